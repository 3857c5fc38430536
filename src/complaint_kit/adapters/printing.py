"""What the printed records share (五联 copies, slips and petitions, the month's report): one A4
page per sheet, every cell locked (text widths: :mod:`.textfit`)."""

from __future__ import annotations

from openpyxl.styles import Protection
from openpyxl.worksheet.worksheet import Worksheet

LOCKED = Protection(locked=True)


def print_one_page(ws: Worksheet, *, area: str, orientation: str, footer: str) -> None:
    """A record prints on one A4 sheet of paper, centred, with ``footer`` and no grid lines."""
    ws.print_area = area
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = orientation
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = footer
    ws.oddFooter.center.size = 9
    ws.sheet_view.showGridLines = False


def lock_record(ws: Worksheet) -> None:
    """Every cell locked, the sheet protected (no password: it is a record, not a secret)."""
    for row in ws.iter_rows():
        for cell in row:
            cell.protection = LOCKED
    ws.protection.sheet = True
    ws.protection.formatColumns = True
    ws.protection.formatRows = True
    ws.protection.formatCells = True
