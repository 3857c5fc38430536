"""What the printed records share (五联 copies, slips and petitions, the month's report): text
width and wrapped lines in column units, one A4 page per sheet, every cell locked."""

from __future__ import annotations

import math
import unicodedata

from openpyxl.styles import Protection
from openpyxl.worksheet.worksheet import Worksheet

LOCKED = Protection(locked=True)


def display_width(text: str) -> int:
    """Width in character cells: a CJK (wide or full-width) character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrapped_lines(text: str, width: float, *, fill: float = 0.95) -> int:
    """Rough printed line count of ``text`` wrapped in ``width`` column units (≈ one Latin digit),
    of which ``fill`` is usable; each line of the text starts a new one."""
    per_line = max(1.0, width * fill - 1)
    return sum(max(1, math.ceil(display_width(part) / per_line)) for part in (text or "").splitlines() or [""])


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
