"""What every template shares: fills, borders, number formats, tables, notes, print setup."""

from __future__ import annotations

from datetime import datetime

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
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
OVERDUE_FONT = Font(color="9C0006", bold=True)
SOON_FILL = PatternFill("solid", fgColor="FFEB9C")
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FIXED_TIME = datetime(2026, 1, 1)  # templates carry no build time: rebuilds are comparable

NUMBER_FORMATS = {
    L.Kind.DATETIME: L.DATETIME_FORMAT,
    L.Kind.DATE: L.DATE_FORMAT,
    L.Kind.INT: "0",
    L.Kind.NUMBER: "0.00%",
    L.Kind.MONEY: "#,##0.00",
}


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


def print_setup(ws: Worksheet, *, landscape: bool, title_rows: str | None = None) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddFooter.center.text = "&A  第 &P 页 / 共 &N 页"
    if title_rows:
        ws.print_title_rows = title_rows


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
