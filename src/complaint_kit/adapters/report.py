"""Printed reports (客诉月报, 奖罚通知单, 人事公布单, 洽办单 …) written whole with openpyxl.

Actions build :class:`~complaint_kit.ports.ReportSheet` values; this module lays them out: a title
row, a subtitle row, then each table as caption, header, body rows and notes, a native Excel chart
to the right of a table when it asks for one, and A4 page set-up that prints one page wide.
The output is read-only (sheets protected) and reproducible: the same sheets give the same bytes.

Traps handled here:

* ``Decimal`` is stored natively: openpyxl writes numbers with ``"%.16g"``, so every amount of 15
  significant digits or fewer keeps its cents exactly (Excel itself holds 15). Longer or
  non-finite amounts are refused, never rounded silently (openpyxl writes NaN as an empty cell).
* Only :class:`~complaint_kit.ports.Formula` is a formula; any other text starting with ``=``
  is stored as text (no formula injection) — :func:`.openpyxl_book.write_value` does that.
* A chart is about 15 rows tall, so after a table with a chart the next table starts at least
  :data:`CHART_ROWS` rows below the chart's top, and the print area reaches the chart's columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

# openpyxl ships no type information (no types-openpyxl in the dev group); ``unused-ignore`` keeps
# these lines clean should the stubs be added later.
import openpyxl  # type: ignore[import-untyped, unused-ignore]
from openpyxl.chart import BarChart, PieChart, Reference, Series  # type: ignore[import-untyped, unused-ignore]
from openpyxl.chart.data_source import AxDataSource, StrRef  # type: ignore[import-untyped, unused-ignore]
from openpyxl.chart.label import DataLabelList  # type: ignore[import-untyped, unused-ignore]
from openpyxl.chart.series import SeriesLabel  # type: ignore[import-untyped, unused-ignore]
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side  # type: ignore[import-untyped, unused-ignore]
from openpyxl.styles.fonts import DEFAULT_FONT  # type: ignore[import-untyped, unused-ignore]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped, unused-ignore]
from openpyxl.worksheet.page import PageMargins  # type: ignore[import-untyped, unused-ignore]
from openpyxl.worksheet.pagebreak import Break  # type: ignore[import-untyped, unused-ignore]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped, unused-ignore]

from ..packaging import rewrite_zip
from ..ports import ChartSpec, ReportSheet, ReportTable
from ..store.files import write_atomic
from .openpyxl_book import write_value
from .textfit import display_width, wrapped_lines

__all__ = ["CHART_ROWS", "build_report", "write_report"]

FIXED_TIME = datetime(2026, 1, 1)  # workbook created/modified: reproducible bytes
CREATOR = "complaint_kit"
FOOTER = "&A  第 &P 页 / 共 &N 页"  # sheet name, page n of N (Excel header/footer codes)

DEFAULT_WIDTH = 14.0  # column width in characters when ReportSheet.widths says nothing


def _font(*, size: float = DEFAULT_FONT.sz, bold: bool = False, color: str | None = None) -> Font:
    """The workbook's default font (its name, family and theme scheme, so CJK text takes the
    theme's East Asian font like every unstyled cell) at another size or weight. A font record
    with no name is not "inherit": LibreOffice prints it in its own fallback, a serif."""
    return Font(
        name=DEFAULT_FONT.name, family=DEFAULT_FONT.family, scheme=DEFAULT_FONT.scheme, sz=size, b=bold, color=color
    )


TITLE_FONT = _font(size=16, bold=True)
SUBTITLE_FONT = _font(color="595959")
BOLD = _font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TOTAL_GRID = Border(left=THIN, right=THIN, top=Side(style="medium", color="000000"), bottom=THIN)
LINE_POINTS = 15.0  # one line of 11-point text
MARGIN_INCHES = 0.5

CHART_WIDTH_CM = 15.0
CHART_HEIGHT_CM = 7.5  # about 14 rows of 15 points
CHART_ROWS = 16  # the next table starts at least this many rows below a chart's top row
CHART_GAP_COLUMNS = 1  # empty columns between a table and its chart
PIXELS_PER_CM = 96 / 2.54

BAD_SHEET_CHARS = set("[]:*?/\\")
MAX_SHEET_NAME = 31
MAX_EXACT_DIGITS = 15  # what Excel keeps of a number


@dataclass(frozen=True, slots=True)
class _Placed:
    """Where a table landed: its caption, header and last body rows, and its column count."""

    caption_row: int
    header_row: int
    last_row: int  # last body row (== header_row when the table has no rows)
    columns: int


def build_report(sheets: Sequence[ReportSheet]) -> openpyxl.Workbook:
    """A workbook with one protected, print-ready worksheet per :class:`ReportSheet`, in order.

    Raises ``ValueError`` (Chinese and English message) for a sheet name Excel refuses, a
    duplicate name, a row wider than its headers, a chart on columns the table lacks, or an
    amount that cannot be stored exactly; nothing is built then."""
    _check_sheets(sheets)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for spec in sheets:
        _write_sheet(wb.create_sheet(spec.name), spec)
    wb.active = 0
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws is wb.active
    wb.properties.creator = CREATOR
    wb.properties.lastModifiedBy = CREATOR
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    return wb


def write_report(path: Path, sheets: Sequence[ReportSheet]) -> Path:
    """Write the report to ``path`` atomically (temp file beside it, fsync, replace): a crash
    leaves the old file or the new one, never half of one. The same sheets give the same bytes."""
    wb = build_report(sheets)  # refuses bad input before any file is touched

    def save(tmp: Path) -> None:
        wb.save(tmp)
        rewrite_zip(tmp, tmp)  # fixed zip entry times and core properties

    write_atomic(path, save)
    return path


# --- checks --------------------------------------------------------------------------------------


def _check_sheets(sheets: Sequence[ReportSheet]) -> None:
    if not sheets:
        raise ValueError("报表至少需要一个工作表 — a report needs at least one sheet")
    seen: set[str] = set()
    for spec in sheets:
        _check_sheet_name(spec.name)
        key = spec.name.casefold()  # Excel compares sheet names without case
        if key in seen:
            raise ValueError(f"工作表名称重复：{spec.name} — duplicate sheet name {spec.name!r}")
        seen.add(key)
        for table in spec.tables:
            _check_table(spec.name, table)


def _check_sheet_name(name: str) -> None:
    if not name or not name.strip():
        raise ValueError("工作表名称不能为空 — a sheet name cannot be empty")
    if len(name) > MAX_SHEET_NAME:
        raise ValueError(
            f"工作表名称超过 {MAX_SHEET_NAME} 个字符：{name}"
            f" — sheet name longer than {MAX_SHEET_NAME} characters: {name!r}"
        )
    bad = sorted(set(name) & BAD_SHEET_CHARS)
    if bad:
        chars = " ".join(bad)
        raise ValueError(
            f"工作表名称含有不允许的字符 {chars}：{name}"
            f" — sheet name contains characters Excel refuses ({chars}): {name!r}"
        )
    if name.startswith("'") or name.endswith("'"):
        raise ValueError(
            f"工作表名称不能以单引号开头或结尾：{name} — a sheet name cannot start or end with an apostrophe: {name!r}"
        )


def _check_table(sheet: str, table: ReportTable) -> None:
    where = f"{sheet} / {table.caption}"
    width = len(table.headers)
    if width == 0:
        raise ValueError(f"表格没有表头：{where} — a table needs headers: {where}")
    for i, row in enumerate(table.rows, start=1):
        if len(row) > width:
            raise ValueError(
                f"第 {i} 行比表头多出 {len(row) - width} 列：{where} — row {i} has more cells than headers: {where}"
            )
        for value in row:
            _check_amount(value, where)
    chart = table.chart
    if chart is None:
        return
    if chart.kind not in ("bar", "pie"):
        raise ValueError(f"不支持的图表类型 {chart.kind}：{where} — chart kind must be 'bar' or 'pie': {where}")
    columns = (chart.category_column, *chart.value_columns)
    if not chart.value_columns or any(not 0 <= c < width for c in columns):
        raise ValueError(
            f"图表引用了表格中不存在的列：{where} — the chart refers to columns the table does not have: {where}"
        )


def _check_amount(value: Any, where: str) -> None:
    """A Decimal must survive Excel's 15 significant digits unchanged (cents kept exactly)."""
    if not isinstance(value, Decimal):
        return
    if not value.is_finite():
        raise ValueError(f"金额不是有限数值 {value}：{where} — amount is not a finite number {value}: {where}")
    if Decimal(f"{value:.{MAX_EXACT_DIGITS}g}") != value:
        raise ValueError(
            f"金额 {value} 超过 Excel 的 {MAX_EXACT_DIGITS} 位有效数字，无法精确保存：{where}"
            f" — amount {value} has more than {MAX_EXACT_DIGITS} significant digits: {where}"
        )


# --- layout --------------------------------------------------------------------------------------


def _width(spec: ReportSheet, column: int) -> float:
    """Width of 1-based ``column`` in characters."""
    return spec.widths[column - 1] if column <= len(spec.widths) else DEFAULT_WIDTH


def _column_pixels(width: float) -> float:
    return max(width, 0.0) * 7 + 5  # Excel's rule for the default font (max digit width 7 px + padding)


def _chart_last_column(spec: ReportSheet, first: int) -> int:
    """The last column a chart anchored at column ``first`` covers."""
    need = CHART_WIDTH_CM * PIXELS_PER_CM
    column = first
    while True:
        need -= _column_pixels(_width(spec, column))
        if need <= 0:
            return column
        column += 1


def _write_sheet(ws: Worksheet, spec: ReportSheet) -> None:
    table_columns = max((len(t.headers) for t in spec.tables), default=1)
    last_column = table_columns
    row = 4 if spec.subtitle else 3  # a blank row between the heading and the first table
    end_row = row - 1
    for i, table in enumerate(spec.tables):
        placed = _write_table(ws, spec, table, row)
        row = placed.last_row + 1
        row = _write_notes(ws, spec, table, placed, row)
        row += 1  # the blank row after every table
        if table.chart is not None and _chart_rows(table):
            last_column = max(last_column, _add_chart(ws, spec, table, table.chart, placed))
            row = max(row, placed.caption_row + CHART_ROWS)
        end_row = row - 1
        if table.page_break_after and i < len(spec.tables) - 1:
            ws.row_breaks.append(Break(id=end_row))
    _heading(ws, spec, last_column)
    for column in range(1, last_column + 1):
        ws.column_dimensions[get_column_letter(column)].width = _width(spec, column)
    _page_setup(ws, spec, f"A1:{get_column_letter(last_column)}{max(end_row, 2)}")
    _protect(ws)


def _heading(ws: Worksheet, spec: ReportSheet, last_column: int) -> None:
    """Title (row 1) and subtitle (row 2), each merged across the printed width and centred."""
    for row, text, font, height in ((1, spec.title, TITLE_FONT, 28.0), (2, spec.subtitle, SUBTITLE_FONT, None)):
        if not text:
            continue
        cell = ws.cell(row, 1)
        write_value(cell, text)
        cell.font = font
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if last_column > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_column)
        if height is not None:
            ws.row_dimensions[row].height = height


def _write_table(ws: Worksheet, spec: ReportSheet, table: ReportTable, row: int) -> _Placed:
    caption_row, header_row = row, row + 1
    caption = ws.cell(caption_row, 1)
    write_value(caption, table.caption)
    caption.font = BOLD
    columns = len(table.headers)
    header_lines = 1
    for c, text in enumerate(table.headers, start=1):
        cell = ws.cell(header_row, c)
        write_value(cell, text)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.border = GRID
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header_lines = max(header_lines, wrapped_lines(str(text), _width(spec, c), fill=1.0))
    _set_height(ws, header_row, header_lines)
    last = header_row
    for i, values in enumerate(table.rows):
        r = header_row + 1 + i
        total = table.total_row and i == len(table.rows) - 1
        lines = 1
        for c in range(1, columns + 1):
            value = values[c - 1] if c <= len(values) else None
            cell = ws.cell(r, c)
            write_value(cell, value)
            fmt = table.formats.get(c - 1) or _decimal_format(value)
            if fmt:
                cell.number_format = fmt
            cell.border = TOTAL_GRID if total else GRID
            if total:
                cell.font = BOLD
            if isinstance(value, str) and cell.data_type == "s":
                width = _width(spec, c)
                wrap = display_width(value) > width - 1 or "\n" in value
                cell.alignment = Alignment(vertical="center", wrap_text=wrap)
                if wrap:
                    lines = max(lines, wrapped_lines(value, width, fill=1.0))
            else:
                cell.alignment = Alignment(vertical="center")
        _set_height(ws, r, lines)
        last = r
    return _Placed(caption_row=caption_row, header_row=header_row, last_row=last, columns=columns)


def _decimal_format(value: Any) -> str | None:
    """An amount without a table format shows all its decimals (``0.10`` not ``0.1``)."""
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        return "#,##0" + ("." + "0" * places if places else "")
    return None


def _set_height(ws: Worksheet, row: int, lines: int) -> None:
    if lines > 1:
        ws.row_dimensions[row].height = lines * LINE_POINTS + 3


def _write_notes(ws: Worksheet, spec: ReportSheet, table: ReportTable, placed: _Placed, row: int) -> int:
    """Notes one per row, no borders, merged across the table and wrapped when long."""
    width = sum(_width(spec, c) for c in range(1, placed.columns + 1))
    for note in table.notes:
        cell = ws.cell(row, 1)
        write_value(cell, note)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        if placed.columns > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=placed.columns)
        _set_height(ws, row, wrapped_lines(str(note), width, fill=1.0))
        row += 1
    return row


# --- charts --------------------------------------------------------------------------------------


def _chart_rows(table: ReportTable) -> int:
    """Body rows a chart plots: a total row is not a category."""
    return len(table.rows) - (1 if table.total_row and table.rows else 0)


def _column_ref(ws: Worksheet, column: int, top: int, bottom: int) -> str:
    """``'sheet'!$B$6:$B$8``: rows ``top``..``bottom`` of 0-based table ``column``."""
    return str(Reference(ws, min_col=column + 1, min_row=top, max_col=column + 1, max_row=bottom))


def _add_chart(ws: Worksheet, spec: ReportSheet, table: ReportTable, chart_spec: ChartSpec, placed: _Placed) -> int:
    """A native chart over the table's cells, right of the table at its caption row; returns the
    last column it covers (the print area must reach it)."""
    first_row = placed.header_row + 1
    last_row = placed.header_row + _chart_rows(table)
    chart: Any
    if chart_spec.kind == "pie":
        chart = PieChart()
        value_columns = chart_spec.value_columns[:1]
        chart.dataLabels = DataLabelList()
        chart.dataLabels.showPercent = True
        chart.dataLabels.showCatName = True
        chart.dataLabels.showVal = False
        chart.dataLabels.showSerName = False
        chart.dataLabels.showLegendKey = False
    else:
        chart = BarChart()
        chart.type = "col"
        chart.grouping = "clustered"
        value_columns = chart_spec.value_columns
        chart.x_axis.delete = False  # openpyxl 3.1 hides both axes unless told otherwise
        chart.y_axis.delete = False
    categories = _column_ref(ws, chart_spec.category_column, first_row, last_row)
    for column in value_columns:
        # built here rather than by openpyxl's add_data: its series names are relative refs
        # (B5, not $B$5) and its categories a numeric ref over text labels
        series = Series(values=_column_ref(ws, column, first_row, last_row))
        series.tx = SeriesLabel(strRef=StrRef(f=_column_ref(ws, column, placed.header_row, placed.header_row)))
        series.cat = AxDataSource(strRef=StrRef(f=categories))
        chart.series.append(series)
    chart.title = chart_spec.title
    chart.width = CHART_WIDTH_CM
    chart.height = CHART_HEIGHT_CM
    anchor_column = placed.columns + CHART_GAP_COLUMNS + 1
    ws.add_chart(chart, f"{get_column_letter(anchor_column)}{placed.caption_row}")
    return _chart_last_column(spec, anchor_column)


# --- print and protection ------------------------------------------------------------------------


def _page_setup(ws: Worksheet, spec: ReportSheet, area: str) -> None:
    ws.print_area = area
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if spec.landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed; manual row breaks still apply
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(
        left=MARGIN_INCHES, right=MARGIN_INCHES, top=MARGIN_INCHES, bottom=MARGIN_INCHES, header=0.25, footer=0.25
    )
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = FOOTER
    ws.oddFooter.center.size = 9
    ws.sheet_view.showGridLines = False


def _protect(ws: Worksheet) -> None:
    """Read-only output: cells and charts locked (no password), but a reader may still widen
    columns or rows to see more. In OOXML a ``format*`` flag set true means *forbidden*."""
    ws.protection.sheet = True
    ws.protection.objects = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
