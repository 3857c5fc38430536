"""五联 workbook mechanics (rule C9): the form sheet copied once per copy, with openpyxl.

What :func:`complaint_kit.actions.copies.plan_copies` decided is written here. Each copy keeps the
form sheet's values, merged cells, column widths, row heights, styles and A4 page set-up, and
gets what openpyxl's ``copy_worksheet`` drops (FACTS.md: print area, header/footer, protection;
data validation and conditional formats are not wanted on a locked record). Every cell is locked
and the sheet protected; the workbook's structure is locked too. The hidden ``_meta`` sheet (the
settings snapshot and seals), the 流转记录 routing log and every defined name are left out: a copy
is a printed record, not a form the kit would accept or complete. Each copy prints on one A4 page,
says in its title which copy it is and who keeps it, and carries the C13 notice in the sheet and
in its footer.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from copy import copy
from typing import Any, Protocol

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.worksheet import Worksheet

from .. import layout
from ..domain.rules import Stage, YesNo
from ..domain.values import is_blank
from .openpyxl_book import OpenpyxlBook, write_value
from .printing import lock_record, print_one_page
from .textfit import wrapped_lines

__all__ = ["copies_workbook", "form_snapshot"]

LINE_POINTS = 15.5  # one wrapped line of 11-point text
SIGN_POINTS = 26  # a row to sign in by hand (as the form's own signature boxes)
# what column A of a form's signature row says (a form made before them has none)
_SIGN_LABELS = frozenset(labels[0] for labels in (layout.SIGN_LABELS, *layout.SIGN_LABELS_BY_SECTION.values()))
NOT_APPLICABLE_FILL = PatternFill("solid", fgColor=layout.NOT_APPLICABLE_RGB)
NOTICE_FONT = Font(italic=True, bold=True, color="C00000")
_THIN = Side(style="thin", color="808080")
BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


class CopySpec(Protocol):
    """What the adapter needs of one copy (``actions.copies.Copy``)."""

    @property
    def sheet(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def footer(self) -> str: ...


def form_snapshot(form: OpenpyxlBook) -> bytes:
    """The form as ``.xlsx`` bytes, loaded afresh for each workbook of copies (the form itself is
    never changed)."""
    buf = io.BytesIO()
    form.wb.save(buf)
    return buf.getvalue()


def copies_workbook(
    snapshot: bytes,
    values: Mapping[str, Any],
    copies: Sequence[CopySpec],
    responsibility: Sequence[Sequence[Any]] = (),
) -> OpenpyxlBook:
    """A workbook holding ``copies`` (all five, or one for mailing) of the form in ``snapshot``,
    each showing ``values`` (defined name → value) in the named cells and, under the form, the
    decision's 责任归属 rows (C8) when there are any."""
    wb = openpyxl.load_workbook(io.BytesIO(snapshot))
    source = wb[layout.FORM_SHEET]
    cells = _named_cells(wb, values)
    area = _print_area(source)
    for spec in copies:
        ws = wb.copy_worksheet(source)
        ws.title = spec.sheet
        ws.merged_cells = MultiCellRange([r.coord for r in source.merged_cells.ranges])
        for name, value in values.items():
            if name in cells:  # the form's number format stays (a date read back is a datetime)
                cell = ws[cells[name]]
                number_format = cell.number_format
                write_value(cell, value)
                cell.number_format = number_format
        _title(ws, spec.title)
        _skipped_rnd(ws, cells, values)
        last_row = _responsibility(ws, _sign_block(ws, _notice(ws, area), area[2]), responsibility)
        _one_family(ws, last_row, area[2])
        _fit_long_text(ws, [cells[n] for n in values if n in cells and isinstance(values[n], str)])
        orientation = source.page_setup.orientation or "portrait"
        print_one_page(
            ws, area=f"A1:{get_column_letter(area[2])}{last_row}", orientation=orientation, footer=spec.footer
        )
        lock_record(ws)
    keep = {spec.sheet for spec in copies}
    for ws in list(wb.worksheets):
        if ws.title not in keep:
            wb.remove(ws)
    for name in list(wb.defined_names):
        del wb.defined_names[name]
    wb.active = 0
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws is wb.active
    wb.security = WorkbookProtection(lockStructure=True)
    return OpenpyxlBook(wb)


def _named_cells(wb: Any, names: Mapping[str, Any]) -> dict[str, str]:
    """Defined name → its cell (``"B5"``) on the form sheet, for the names given."""
    out: dict[str, str] = {}
    for name in names:
        dn = wb.defined_names.get(name)
        if dn is None:
            continue
        for sheet, ref in dn.destinations:
            if sheet == layout.FORM_SHEET:
                min_col, min_row, _, _ = range_boundaries(ref.replace("$", ""))
                out[name] = f"{get_column_letter(min_col)}{min_row}"
    return out


def _print_area(source: Worksheet) -> tuple[int, int, int, int]:
    """The form's print area (columns and rows), or the cells it uses when it has none."""
    ref = source.print_area
    if ref:
        text = (ref[0] if isinstance(ref, list) else str(ref)).split(",")[0].rsplit("!", 1)[-1]
        bounds = range_boundaries(text.replace("$", ""))
        if None not in bounds:
            return bounds  # type: ignore[return-value]
    return 1, 1, max(source.max_column, layout.FORM_COLUMNS), source.max_row


def _title(ws: Worksheet, title: str) -> None:
    """The form's title cell (its first cell holding the form title, else A1) names the copy."""
    found = next(
        (c for row in ws.iter_rows(min_row=1, max_row=3) for c in row if c.value == layout.FORM_TITLE), ws["A1"]
    )
    found.value = title
    found.alignment = Alignment(horizontal="center", vertical="center")


def _notice(ws: Worksheet, area: tuple[int, int, int, int]) -> int:
    """The C13 notice in the sheet (the form's own line, or a new one below the print area),
    printed bold; returns the last row to print."""
    last_row = area[3]
    for row in ws.iter_rows(min_row=1, max_row=max(ws.max_row, last_row)):
        for cell in row:
            if cell.value == layout.FORM_NOTICE:
                cell.font = NOTICE_FONT
                return max(last_row, cell.row)
    row_no = last_row + 2
    ws.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=area[2])
    cell = ws.cell(row_no, 1, layout.FORM_NOTICE)
    cell.font = NOTICE_FONT
    return row_no


def _skipped_rnd(ws: Worksheet, cells: Mapping[str, str], values: Mapping[str, Any]) -> None:
    """C6.5: a case whose Quality said R&D was not needed prints its R&D section as 不适用 and grey
    (the form shows it by a conditional format, which a copy does not carry): the rows from the
    section's first field to its signature box. A case that needed R&D prints as it is."""
    if str(values.get("RnDNeeded") or "").strip() != YesNo.NO.value:
        return
    section = layout.section_of(Stage.RND)
    rows = [ws[cells[f.name]].row for row in section.rows for f in row if f.name in cells]
    if not rows:
        return
    last = max(rows)
    if ws.cell(last + 1, 1).value in _SIGN_LABELS:
        last += 1
    opinion = cells.get("RnDOpinion")
    if opinion and is_blank(ws[opinion].value):
        ws[opinion].value = layout.NOT_APPLICABLE
    for r in range(min(rows), last + 1):
        for c in range(1, layout.FORM_COLUMNS + 1):
            ws.cell(r, c).fill = NOT_APPLICABLE_FILL


def _sign_block(ws: Worksheet, last_row: int, columns: int) -> int:
    """Signature and date boxes under a form made before the template had them (forms of every
    version are in circulation): one boxed row per department's section. A form that has them
    is left as it is. Returns the last row to print."""
    if any(c.value in _SIGN_LABELS for row in ws.iter_rows(max_row=last_row) for c in row):
        return last_row
    start = last_row + 2
    ws.cell(start, 1, "签名栏").font = Font(name=layout.FONT_NAME, bold=True)
    labels = ("经办人签名", "主管签名", "日期")
    for i, section in enumerate(s for s in layout.SECTIONS if s.stage is not None):
        r = start + 1 + i
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
        ws.cell(r, 1, re.split("[：（]", section.title)[0]).font = Font(name=layout.FONT_NAME, bold=True)
        for k, label in enumerate(labels):
            ws.cell(r, 3 + 2 * k, label).font = Font(name=layout.FONT_NAME, bold=True)
        for c in range(1, columns + 1):
            ws.cell(r, c).border = BOX
            ws.cell(r, c).alignment = Alignment(vertical="center")
        ws.row_dimensions[r].height = SIGN_POINTS
    return start + sum(1 for s in layout.SECTIONS if s.stage is not None)


def _one_family(ws: Worksheet, last_row: int, columns: int) -> None:
    """Every printed cell in the one CJK family (layout.FONT_NAME), its size, weight and colour
    kept: a form made before the template named its font mixes two families on paper."""
    for row in ws.iter_rows(min_row=1, max_row=last_row, max_col=columns):
        for cell in row:
            if cell.font is not None and cell.font.name != layout.FONT_NAME:
                font = copy(cell.font)
                font.name = layout.FONT_NAME
                cell.font = font


def _responsibility(ws: Worksheet, last_row: int, rows: Sequence[Sequence[Any]]) -> int:
    """The decision's responsibility rows under the form, boxed, one per line (the table has as
    many columns as the form); returns the last row to print."""
    if not rows:
        return last_row
    start = last_row + 2
    ws.cell(start, 1, f"{layout.RESPONSIBILITY_SHEET}（C8、P2、E1、E2）").font = Font(bold=True)
    share = layout.RESPONSIBILITY_ATTRS.index("share")
    for i, line in enumerate([layout.RESPONSIBILITY_HEADERS, *rows]):
        for j, value in enumerate(line[: len(layout.RESPONSIBILITY_HEADERS)]):
            cell = ws.cell(start + 1 + i, j + 1)
            write_value(cell, value)
            cell.border = BOX
            cell.font = Font(bold=i == 0)
            cell.alignment = Alignment(horizontal="center" if i == 0 else "left", vertical="center")
            cell.number_format = "0%" if i and j == share else "General"
    return start + len(rows) + 1


def _fit_long_text(ws: Worksheet, coords: Sequence[str]) -> None:
    """Rows of wrapped text grow to show all of it (a copy cannot be scrolled or widened):
    a rough line count from the merged width in character units."""
    for coord in coords:
        cell = ws[coord]
        text = str(cell.value or "")
        if not text or not (cell.alignment and cell.alignment.wrap_text):
            continue
        first, last = cell.column, cell.column
        for merged in ws.merged_cells.ranges:
            if coord in merged:
                first, last = merged.min_col, merged.max_col
        width = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(first, last + 1))
        need = wrapped_lines(text, width) * LINE_POINTS + 4
        current = ws.row_dimensions[cell.row].height or LINE_POINTS
        if need > current:
            ws.row_dimensions[cell.row].height = need
