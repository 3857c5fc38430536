"""What every template shares: fills, borders, number formats, tables, notes, print setup."""

from __future__ import annotations

from datetime import datetime

import openpyxl
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from .. import layout as L

INPUT_FILL = PatternFill("solid", fgColor=L.INPUT_RGB)  # pale yellow: type here
COMPUTED_FILL = PatternFill("solid", fgColor=L.COMPUTED_RGB)  # grey: the kit writes this
SECTION_FILL = PatternFill("solid", fgColor="DDEBF7")
OVERDUE_FILL = PatternFill("solid", fgColor="FFC7CE")
OVERDUE_ROW_FILL = PatternFill("solid", fgColor=L.OVERDUE_ROW_RGB, bgColor=L.OVERDUE_ROW_RGB)  # a whole overdue row
OVERDUE_FONT = Font(color="9C0006", bold=True)
SOON_FILL = PatternFill("solid", fgColor="FFEB9C")
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
# One CJK font family (L.FONT_NAME) for every cell a template styles: openpyxl's default (Calibri)
# and a bare ``Font(bold=True)`` (no name) end up as different fonts in LibreOffice and on paper.
FONT_NAME = L.FONT_NAME
NOT_APPLICABLE_FILL = PatternFill("solid", fgColor=L.NOT_APPLICABLE_RGB, bgColor=L.NOT_APPLICABLE_RGB)
NOT_APPLICABLE_FONT = Font(name=FONT_NAME, color="595959")
FIXED_TIME = datetime(2026, 1, 1)  # templates carry no build time: rebuilds are comparable

NUMBER_FORMATS = {
    L.Kind.DATETIME: L.DATETIME_FORMAT,
    L.Kind.DATE: L.DATE_FORMAT,
    L.Kind.INT: "0",
    L.Kind.NUMBER: "0.00%",
    L.Kind.MONEY: "#,##0.00",
}


def font(*, size: float = 11, bold: bool = False, italic: bool = False, color: str | None = None) -> Font:
    """A :class:`Font` of the one family every template uses (``font(bold=True)`` for labels)."""
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic, color=color)


def set_font(ws: Worksheet, ref: str, *, bold: bool = False) -> None:
    """Every cell of ``ref`` (``"A2:E200"``) in the one family, other styles kept: rows that
    actions write later (a table's body) then print in the same family as the template."""
    style = font(bold=bold)
    for row in ws[ref]:
        for cell in row:
            cell.font = style


def box_rows(ws: Worksheet, ref: str) -> None:
    """Borders on the rows of ``ref`` that hold something, kept by Excel and LibreOffice as rows
    are written (a conditional format on ``$A<row> <> ""``): table styles print no borders in
    LibreOffice, and pre-bordered empty rows would print as an empty grid."""
    min_col, min_row, _, _ = range_boundaries(ref)
    first = f"${get_column_letter(min_col)}{min_row}"
    ws.conditional_formatting.add(ref, FormulaRule(formula=[f'{first}<>""'], border=BOX))


def new_workbook() -> Workbook:
    wb = openpyxl.Workbook()
    wb.properties.creator = "complaint_kit"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    return wb


def define_name(wb: Workbook, name: str, sheet: str, ref: str) -> None:
    wb.defined_names[name] = DefinedName(name, attr_text=f"'{sheet}'!{ref}")


def absolute(coord: str) -> str:
    col = "".join(ch for ch in coord if ch.isalpha())
    row = coord[len(col) :]
    return f"${col}${row}"


def print_setup(
    ws: Worksheet,
    *,
    landscape: bool,
    title_rows: str | None = None,
    title_cols: str | None = None,
    scale: int | None = None,
) -> None:
    """A4 with page numbers; one page wide, or — with ``scale`` — across pages at that scale with
    ``title_cols`` repeated on each (a sheet too wide to read on one page)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = scale is None
    if scale is not None:
        ws.page_setup.scale = scale
        ws.page_setup.pageOrder = "overThenDown"
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddFooter.center.text = "&A  第 &P 页 / 共 &N 页"
    if title_rows:
        ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols


def list_validation(ws: Worksheet, choices: tuple[str, ...], ref: str) -> None:
    dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
    ws.add_data_validation(dv)
    dv.add(ref)


def note(ws: Worksheet, column: str, text: str, *, width: float) -> None:
    """A help note in row 1 beside a table, wrapped, in a column ``width`` wide, merged down over
    six rows so the wrapped text shows whole (one row of a table's height would cut it off)."""
    ws[f"{column}1"] = text
    ws[f"{column}1"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions[column].width = width
    ws.merge_cells(f"{column}1:{column}6")


def add_table(
    ws: Worksheet, name: str, headers: tuple[str, ...], *, widths: tuple[float, ...] = (), start_row: int = 1
) -> Table:
    for j, header in enumerate(headers):
        cell = ws.cell(start_row, j + 1, header)
        cell.font = Font(bold=True)
    last = get_column_letter(len(headers))
    table = Table(displayName=name, ref=f"A{start_row}:{last}{start_row + 1}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    for j, w in enumerate(widths):
        ws.column_dimensions[get_column_letter(j + 1)].width = w
    ws.freeze_panes = f"A{start_row + 1}"
    return table


def settings_sheet(wb: Workbook, rows: list[tuple[str, dict[str, str], str]]) -> Worksheet:
    """设置 (table ``Settings``): one row per ``(key, meta, default)`` — the key, its Chinese name,
    a yellow 值 cell for the override (the only unlocked cell), the default, the rule and the help —
    with a drop-down where the layout names the choices, the sheet protected, printed landscape."""
    from openpyxl.styles import Protection

    ws = wb.create_sheet(L.SETTINGS_SHEET)
    add_table(ws, L.SETTINGS_TABLE, L.SETTINGS_HEADERS, widths=(28, 28, 26, 26, 8, 60))
    for i, (key, meta, default) in enumerate(rows):
        r = i + 2
        for j, v in enumerate((key, meta["zh"], None, default, meta["rule"], meta["help"])):
            cell = ws.cell(r, j + 1, v)
            cell.number_format = "@"
            cell.protection = Protection(locked=j != 2)
            if j == 2:
                cell.fill = INPUT_FILL
        if key in L.SETTINGS_CHOICES:
            dv = DataValidation(type="list", formula1='"' + ",".join(L.SETTINGS_CHOICES[key]) + '"', allow_blank=True)
            ws.add_data_validation(dv)
            dv.add(f"C{r}")
    ws.tables[L.SETTINGS_TABLE].ref = f"A1:F{len(rows) + 1}"
    ws.protection.sheet = True
    print_setup(ws, landscape=True, title_rows="1:1")
    ws.cell(len(rows) + 3, 1, "“值”留空即采用默认值；修改后下次操作生效。").font = Font(italic=True)
    return ws


def calendar_sheet(wb: Workbook) -> Worksheet:
    """日历 (table ``Calendar``): the company's own days off and extra working days (T1), the same
    in the register and in a service centre's workbook."""
    cal = wb.create_sheet(L.CALENDAR_SHEET)
    add_table(cal, L.CALENDAR_TABLE, L.CALENDAR_HEADERS, widths=(14, 10, 40))
    list_validation(cal, L.CALENDAR_KINDS, "B2:B1000")
    for r in range(2, 1001):
        cal.cell(r, 1).number_format = L.DATE_FORMAT
    note(
        cal,
        "E",
        (
            "公司休息日填“休息日”，补班日填“工作日”；国家节假日与调休已内置(2004–2026)。"
            "官方数据未覆盖的年份(如 2027)：请录入当年全部节假日与调休，并在 设置 的“已人工录入节假日的年份”中登记。"
        ),
        width=60,
    )
    print_setup(cal, landscape=False, title_rows="1:1")
    return cal


def serials_sheet(wb: Workbook, help_text: str) -> Worksheet:
    """编号台账 (table ``Serials``): the last serial issued per month, so a number is never reused."""
    serials = wb.create_sheet(L.SERIALS_SHEET)
    add_table(serials, L.SERIALS_TABLE, L.SERIALS_HEADERS, widths=(10, 12))
    serials["D1"] = help_text
    serials.protection.sheet = True
    print_setup(serials, landscape=False, title_rows="1:1")
    return serials
