"""Printed papers after the decision (issue 7) with openpyxl: slips (R1, R2), the 签呈 (C14) and
the 异常处理单 (C2), each a new workbook of protected A4 portrait sheets; and Accounting's
receivables file (R5) read as headers and rows.

What :mod:`complaint_kit.actions.papers` decided is written here: one sheet per paper in four
columns (label, value, label, value), a block after another — label/value pairs, long texts as
tall merged cells, a small table, bordered signature boxes. Values arrive as display text, so a
paper never shows ``###`` or a formula. Every cell is locked, the sheet and the workbook's
structure protected (a record, not a form), and each sheet prints on one A4 page.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.worksheet import Worksheet

from .. import layout
from .guard import WorkbookError
from .openpyxl_book import OpenpyxlBook, write_value
from .printing import lock_record, print_one_page
from .textfit import wrapped_lines

__all__ = ["paper_workbook", "read_rows"]

COLUMNS = len(layout.PAPER_WIDTHS)
LINE_POINTS = 15.5  # one line of 11-point text
MAX_ROW_POINTS = 400.0  # Excel's row height limit is 409: a taller text spans several rows
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LABEL_FILL = PatternFill("solid", fgColor="F2F2F2")
LABEL_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=16)
LABEL_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
VALUE_ALIGN = Alignment(horizontal="left", vertical="center", wrap_text=True)
TEXT_ALIGN = Alignment(horizontal="left", vertical="top", wrap_text=True)
SIGN_ALIGN = Alignment(horizontal="right", vertical="bottom", wrap_text=True)


class BlockSpec(Protocol):
    """What the adapter needs of a block (``actions.papers.Block``)."""

    @property
    def kind(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def pairs(self) -> Sequence[tuple[str, str]]: ...
    @property
    def text(self) -> str: ...
    @property
    def headers(self) -> Sequence[str]: ...
    @property
    def rows(self) -> Sequence[Sequence[str]]: ...
    @property
    def lines(self) -> int: ...


class PaperSpec(Protocol):
    """What the adapter needs of a paper (``actions.papers.Paper``)."""

    @property
    def sheet(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def subtitle(self) -> str: ...
    @property
    def footer(self) -> str: ...
    @property
    def blocks(self) -> Sequence[BlockSpec]: ...


def paper_workbook(papers: Sequence[PaperSpec]) -> OpenpyxlBook:
    """A new workbook with one protected A4 sheet per paper, in order."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for paper in papers:
        ws = wb.create_sheet(paper.sheet)
        for i, width in enumerate(layout.PAPER_WIDTHS, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        row = _heading(ws, paper)
        for block in paper.blocks:
            row = _BLOCKS[block.kind](ws, block, row)
        area = f"A1:{get_column_letter(COLUMNS)}{row - 1}"
        print_one_page(ws, area=area, orientation="portrait", footer=paper.footer)
        lock_record(ws)
    wb.active = 0
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws is wb.active
    wb.security = WorkbookProtection(lockStructure=True)
    return OpenpyxlBook(wb)


def _heading(ws: Worksheet, paper: PaperSpec) -> int:
    _merged(ws, 1, 1, 1, COLUMNS, paper.title, font=TITLE_FONT, align=Alignment(horizontal="center", vertical="center"))
    ws.row_dimensions[1].height = 32
    if not paper.subtitle:
        return 3
    _merged(ws, 2, 1, 2, COLUMNS, paper.subtitle, align=Alignment(horizontal="right", vertical="center"))
    ws.row_dimensions[2].height = 20
    return 4  # an empty row before the first block


def _fields(ws: Worksheet, block: BlockSpec, row: int) -> int:
    """Two label/value pairs a row; an odd last value spans the rest of its row."""
    pairs = list(block.pairs)
    for start in range(0, len(pairs), 2):
        chunk = pairs[start : start + 2]
        need = 1
        for j, (label, value) in enumerate(chunk):
            col = 1 + 2 * j
            last = col + 1 if len(chunk) == 2 else COLUMNS
            _cell(ws, row, col, label, font=LABEL_FONT, fill=LABEL_FILL, align=LABEL_ALIGN)
            _merged(ws, row, col + 1, row, last, value, align=VALUE_ALIGN)
            need = max(
                need, wrapped_lines(value, _width(ws, col + 1, last)), wrapped_lines(label, _width(ws, col, col))
            )
        ws.row_dimensions[row].height = need * LINE_POINTS + 6
        row += 1
    return row


def _text(ws: Worksheet, block: BlockSpec, row: int) -> int:
    """A label on the left, the text in the three columns beside it, as tall as it needs."""
    need = max(block.lines, wrapped_lines(block.text, _width(ws, 2, COLUMNS)))
    return _tall(ws, row, block.label, block.text, need, align=TEXT_ALIGN)


def _box(ws: Worksheet, block: BlockSpec, row: int) -> int:
    """A signature box: the label, and space to write with the line to sign on at its foot."""
    return _tall(ws, row, block.label, block.text, max(block.lines, 1), align=SIGN_ALIGN)


def _table(ws: Worksheet, block: BlockSpec, row: int) -> int:
    """A caption across the page, the headers, then the rows (``（无）`` when there are none)."""
    _merged(ws, row, 1, row, COLUMNS, block.label, font=LABEL_FONT, fill=LABEL_FILL, align=VALUE_ALIGN)
    ws.row_dimensions[row].height = LINE_POINTS + 6
    row += 1
    headers = list(block.headers)[:COLUMNS]
    for j, header in enumerate(headers, start=1):
        _cell(ws, row, j, header, font=LABEL_FONT, fill=LABEL_FILL, align=LABEL_ALIGN)
    ws.row_dimensions[row].height = LINE_POINTS + 6
    row += 1
    if not block.rows:
        _merged(ws, row, 1, row, COLUMNS, "（无）", align=LABEL_ALIGN)
        ws.row_dimensions[row].height = LINE_POINTS + 6
        return row + 1
    for values in block.rows:
        need = 1
        for j, value in enumerate(list(values)[: len(headers)], start=1):
            _cell(ws, row, j, value, align=LABEL_ALIGN)
            need = max(need, wrapped_lines(value, _width(ws, j, j)))
        ws.row_dimensions[row].height = need * LINE_POINTS + 6
        row += 1
    return row


_BLOCKS = {"fields": _fields, "text": _text, "box": _box, "table": _table}


def _tall(ws: Worksheet, row: int, label: str, text: str, lines: int, *, align: Alignment) -> int:
    """A label cell and a merged text cell ``lines`` tall; beyond one row's limit the two span
    several rows (merged down)."""
    points = lines * LINE_POINTS + 8
    rows = max(1, math.ceil(points / MAX_ROW_POINTS))
    last = row + rows - 1
    _merged(ws, row, 1, last, 1, label, font=LABEL_FONT, fill=LABEL_FILL, align=LABEL_ALIGN)
    _merged(ws, row, 2, last, COLUMNS, text, align=align)
    for r in range(row, last + 1):
        ws.row_dimensions[r].height = points / rows
    return last + 1


def _cell(
    ws: Worksheet,
    row: int,
    col: int,
    value: str,
    *,
    font: Font | None = None,
    fill: PatternFill | None = None,
    align: Alignment | None = None,
) -> None:
    cell = ws.cell(row, col)
    write_value(cell, value or None)
    cell.border = BORDER
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if align is not None:
        cell.alignment = align


def _merged(
    ws: Worksheet,
    row: int,
    col: int,
    last_row: int,
    last_col: int,
    value: str,
    *,
    font: Font | None = None,
    fill: PatternFill | None = None,
    align: Alignment | None = None,
) -> None:
    """One value over a merged range; every cell of it bordered (a merged range draws the borders
    of its own cells)."""
    bordered = font is not TITLE_FONT and row > 2
    for r in range(row, last_row + 1):
        for c in range(col, last_col + 1):
            cell = ws.cell(r, c)
            if bordered:
                cell.border = BORDER
            if fill is not None:
                cell.fill = fill
    if (row, col) != (last_row, last_col):
        ws.merge_cells(start_row=row, start_column=col, end_row=last_row, end_column=last_col)
    cell = ws.cell(row, col)
    write_value(cell, value or None)
    if font is not None:
        cell.font = font
    if align is not None:
        cell.alignment = align


def _width(ws: Worksheet, first: int, last: int) -> float:
    return sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(first, last + 1))


# -- R5: Accounting's receivables ---------------------------------------------------------------------
CSV_LIMIT = 20 * 1024 * 1024  # bytes: a receivables list, not a data warehouse


def read_rows(path: Path) -> tuple[list[str], list[list[Any]]]:
    """The first row (headers) and the rest of a ``.csv`` (UTF-8, or GB18030 as Chinese Excel
    saves it) or of an ``.xlsx``'s first sheet. Any other file type is a :class:`WorkbookError`."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        if not path.is_file():
            raise WorkbookError.of("E-FILE-MISSING", path=path)
        data = path.read_bytes()
        if len(data) > CSV_LIMIT:
            raise WorkbookError.of(
                "E-FILE-TOO-LARGE", file=path.name, size=len(data), kind="应收账款文件", limit=CSV_LIMIT
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:  # Chinese Excel's "CSV" is GB18030 (GBK)
            text = data.decode("gb18030", errors="replace")
        rows: list[list[Any]] = [list(r) for r in csv.reader(io.StringIO(text, newline=""))]
    elif suffix == ".xlsx":
        book = OpenpyxlBook.open(path)  # held to the register's size budget
        ws = book.wb.worksheets[0]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
    else:
        raise WorkbookError.of("E-RECEIVABLES-SUFFIX", file=path.name, suffix=suffix or "（无）")
    if not rows:
        return [], []
    return [str(h).strip() if h is not None else "" for h in rows[0]], rows[1:]
