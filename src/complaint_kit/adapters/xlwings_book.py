"""The Book port over a workbook open in Excel, through xlwings (desktop or remote engine).

Bulk by design ("minimize the number of interactions with Excel"): values are read with one range
read per sheet (the bounding box of the requested names) and per table; table bodies are written
with one range write; form fields are written with one range write per worksheet row of changed
fields (cells between them are rewritten with the values just read, never formulas: cells of
formula fields split a row's write). Resolving a defined name's address is a metadata call,
cached for the adapter's life (one click).

Sheet protection: desktop Excel refuses writes to protected sheets, so a write to a protected sheet
is wrapped in unprotect/protect; xlwings' remote engine has no protection API, so there locking
finished sections is not possible and is recorded in :attr:`XlwingsBook.skipped`.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from .. import layout as L
from ..ports import Changes, Formula, SheetContent, TableData, drop_trailing_blank_rows, whole_bodies
from .textfit import wide_row_height

TEXT_GUARD = ("=", "+", "-", "@")  # Excel would parse these as formulas: keep customer text as text


def _is_merged_area(rng: Any) -> bool:
    """A long text field may name its whole merged area (its top-left cell is the value)."""
    try:
        return bool(rng.merge_cells) and rng.merge_area.address == rng.address
    except Exception:  # engines without merge information: not one cell, refuse
        return False


def to_excel(value: Any) -> Any:
    """A Python value as xlwings should write it."""
    if isinstance(value, Formula):
        return str(value)
    if isinstance(value, str) and value.startswith(TEXT_GUARD):
        return "'" + value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value


class XlwingsBook:
    def __init__(self, book: Any, *, windows: bool | None = None) -> None:
        self.book = book
        self.remote = book.app.engine.type == "remote"
        # desktop Excel's protection calls are COM on Windows, AppleScript on macOS
        self.windows = sys.platform.startswith("win") if windows is None else windows
        self._names = {n.name: n for n in book.names}
        self._where: dict[str, tuple[Any, int, int]] = {}
        self._tables: dict[str, tuple[Any, Any]] | None = None
        self._headers: dict[str, list[str]] = {}
        self._read: dict[str, list[list[Any]]] = {}  # table bodies as read, before any write
        self.skipped: list[str] = []
        self.written_rows: dict[str, int] = {}  # table → body rows the last write sent to Excel

    @property
    def label(self) -> str:
        return str(self.book.name)

    # -- addresses ----------------------------------------------------------------------------
    def has_name(self, name: str) -> bool:
        return name in self._names

    def _loc(self, name: str) -> tuple[Any, int, int]:
        if name not in self._where:
            if name not in self._names:
                raise KeyError(f"{self.label}: 缺少定义名称 missing defined name {name}")
            try:  # "#REF!", a constant, a formula: no range at all
                rng = self._names[name].refers_to_range
                cells = rng.count
            except Exception:
                rng, cells = None, 0
            if rng is None or (cells != 1 and not _is_merged_area(rng)):
                raise KeyError(
                    f"{self.label}: 定义名称 {name} 不指向单个单元格 — defined name {name} does not point at one cell"
                )
            self._where[name] = (rng.sheet, rng.row, rng.column)
        return self._where[name]

    def locate_name(self, name: str) -> str:
        sheet, row, col = self._loc(name)
        return f"{sheet.name}!{_a1(row, col)}"

    def _table(self, table: str) -> tuple[Any, Any]:
        if self._tables is None:
            self._tables = {t.name: (sheet, t) for sheet in self.book.sheets for t in sheet.tables}
        try:
            return self._tables[table]
        except KeyError:
            raise KeyError(f"{self.label}: 缺少表格 missing table {table}") from None

    def locate_table_cell(self, table: str, row: int, header: str) -> str:
        sheet, tbl = self._table(table)
        head = tbl.header_row_range
        if table not in self._headers:  # one read per table, however many problems point into it
            self._headers[table] = [str(h) for h in head.options(ndim=1).value]
        return f"{sheet.name}!{_a1(head.row + 1 + row, head.column + self._headers[table].index(header))}"

    def has_table(self, table: str) -> bool:
        """Metadata only: no cell is read."""
        try:
            self._table(table)
        except KeyError:
            return False
        return True

    # -- reading ------------------------------------------------------------------------------
    def _block(self, sheet: Any, rows: Sequence[int], cols: Sequence[int]) -> tuple[int, int, list[list[Any]]]:
        r0, c0 = min(rows), min(cols)
        values = sheet.range((r0, c0), (max(rows), max(cols))).options(ndim=2).value
        return r0, c0, values

    def read_names(self, names: Sequence[str]) -> dict[str, Any]:
        by_sheet: dict[str, list[str]] = defaultdict(list)
        for name in names:
            by_sheet[self._loc(name)[0].name].append(name)
        out: dict[str, Any] = {}
        for group in by_sheet.values():
            sheet = self._loc(group[0])[0]
            r0, c0, values = self._block(sheet, [self._loc(n)[1] for n in group], [self._loc(n)[2] for n in group])
            for n in group:
                _, r, c = self._loc(n)
                out[n] = values[r - r0][c - c0]
        return {n: out[n] for n in names}

    def read_table(self, table: str) -> TableData:
        _, tbl = self._table(table)
        values = tbl.range.options(ndim=2).value
        headers = tuple(str(h) for h in values[0])
        body = drop_trailing_blank_rows([list(r) for r in values[1:]])
        self._read.setdefault(table, [list(r) for r in body])  # what a write is compared with
        return TableData(headers, body)

    def locked_names(self, names: Sequence[str]) -> set[str]:
        if self.remote:
            return set()
        return {n for n in names if self.has_name(n) and bool(self._names[n].refers_to_range.api.Locked)}

    # -- writing ------------------------------------------------------------------------------
    def apply(self, changes: Changes) -> None:
        missing = [n for n in changes.names if not self.has_name(n)]
        if missing:
            raise KeyError(f"{self.label}: 缺少定义名称 missing defined names {missing}")
        touched = {self._loc(n)[0].name for n in [*changes.names, *changes.lock]}
        touched |= {self._table(t)[0].name for t in changes.tables}
        with _Unprotected(self, touched):
            self._write_names(changes.names)
            for table, rows in whole_bodies(self, changes.tables).items():
                self._write_table(table, rows)
            for name in changes.lock:
                self._lock(name)
        for sheet, content in changes.sheets.items():
            self._write_sheet(sheet, content)

    def _write_names(self, values: dict[str, Any]) -> None:
        if not values:
            return
        formula_cells = {self._loc(f.name) for f in L.FORM_FIELDS if f.formula and self.has_name(f.name)}
        by_row: dict[tuple[str, int], dict[int, Any]] = defaultdict(dict)
        sheets: dict[str, Any] = {}
        for name, value in values.items():
            sheet, r, c = self._loc(name)
            sheets[sheet.name] = sheet
            by_row[(sheet.name, r)][c] = to_excel(value)
        for sheet_name, sheet in sheets.items():
            rows = [r for (s, r) in by_row if s == sheet_name]
            cols = [c for (s, r), cells in by_row.items() if s == sheet_name for c in cells]
            r0, c0, current = self._block(sheet, rows, cols)  # one read: the cells between fields
            for (s, r), cells in sorted(by_row.items()):
                if s != sheet_name:
                    continue
                for start, stop in _segments(
                    sorted(cells), {c for (fs, fr, c) in formula_cells if fs.name == s and fr == r}
                ):
                    row_values = [cells.get(c, to_excel(current[r - r0][c - c0])) for c in range(start, stop + 1)]
                    sheet.range((r, start), (r, stop)).value = [row_values]

    def _write_table(self, table: str, rows: list[list[Any]]) -> None:
        sheet, tbl = self._table(table)
        head = tbl.header_row_range
        width = head.shape[1]
        old_rows = tbl.data_body_range.shape[0] if tbl.data_body_range is not None else 0
        first = head.row + 1
        for i, row in enumerate(rows):
            if len(row) != width:
                raise ValueError(f"{table}: row {i} has {len(row)} values, the table has {width} columns")
        runs = changed_runs(self._read.get(table), rows)
        for start, stop in runs:  # one range write per run of changed rows; a table never read: all of it
            block = [[to_excel(v) for v in r] for r in rows[start:stop]]
            sheet.range((first + start, head.column)).resize(stop - start, width).value = block
        self.written_rows[table] = sum(stop - start for start, stop in runs)
        self._read[table] = [list(r) for r in rows]
        if old_rows > len(rows):
            sheet.range((first + len(rows), head.column)).resize(old_rows - len(rows), width).clear_contents()
        if old_rows != len(rows):
            tbl.resize(sheet.range((head.row, head.column)).resize(1 + max(len(rows), 1), width))

    def _write_sheet(self, name: str, content: SheetContent) -> None:
        names = [s.name for s in self.book.sheets]
        if name in names:
            self.book.sheets[name].delete()
        sheet = self.book.sheets.add(name=name, after=self.book.sheets[len(self.book.sheets) - 1])
        width = max([1, *(len(r) for r in content.rows)])
        block = [[content.title] + [None] * (width - 1)]
        block += [[to_excel(v) for v in r] + [None] * (width - len(r)) for r in content.rows]
        sheet.range("A1").value = block
        for col, fmt in content.formats.items():
            sheet.range((2, col + 1)).resize(len(content.rows), 1).number_format = fmt
        if not self.remote:  # cosmetics: desktop only (remote has no column-width API)
            for j, w in enumerate(content.widths):
                sheet.range((1, j + 1)).column_width = w
            _paper_blocks(sheet, content, width=max(width, content.columns))

    def _lock(self, name: str) -> None:
        if self.remote:
            self.skipped.append(f"lock {name}")
            return
        rng = self._names[name].refers_to_range.merge_area
        rng.api.Locked = True
        rng.color = "#" + L.FINISHED_RGB


MAX_RUNS = 8  # more separate runs of changed rows than this: one write from the first to the last


def changed_runs(before: list[list[Any]] | None, rows: list[list[Any]]) -> list[tuple[int, int]]:
    """``[start, stop)`` runs of the rows of ``rows`` that differ from ``before`` (the body as read):
    a click that changes one case writes one row of a 10,000-row register, not all of them. With
    nothing read to compare with, every row is one run; with many scattered changes (a refresh),
    the span from the first changed row to the last is one run — a few large writes beat many
    small ones against Excel."""
    if not rows:
        return []
    if before is None:
        return [(0, len(rows))]
    changed = [i for i, r in enumerate(rows) if i >= len(before) or _differs(before[i], r)]
    runs: list[tuple[int, int]] = []
    for i in changed:
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    if len(runs) > MAX_RUNS:
        return [(runs[0][0], runs[-1][1])]
    return runs


def _differs(old: list[Any], new: list[Any]) -> bool:
    """Whether Excel would hold something else after writing ``new`` where ``old`` was read
    (Excel gives every number back as a float, so 3 and 3.0 are the same cell)."""
    if len(old) != len(new):
        return True
    for a, b in zip(old, new, strict=True):
        x, y = to_excel(a), to_excel(b)
        if x == y and (type(x) is type(y) or (_number(x) and _number(y))):
            continue
        if x in (None, "") and y in (None, ""):
            continue
        return True
    return False


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _paper_blocks(sheet: Any, content: SheetContent, *, width: int) -> None:
    """What the file adapter styles on a sheet for paper (:class:`SheetContent`), one range call
    per block, never per cell: the family and the title, bold headings, each box's borders, each
    row of one text (heading, reply, signature) merged and made tall. ``rows[0]`` is on sheet
    row 2, under the title."""
    if content.font:
        sheet.range((1, 1)).resize(len(content.rows) + 1, width).font.name = content.font
        title = sheet.range((1, 1)).font
        title.bold, title.size = True, 14
    for i in sorted(content.bold_rows):
        sheet.range((i + 2, 1)).resize(1, width).font.bold = True
    for first, last in content.boxes:
        box = sheet.range((first + 2, 1)).resize(last - first + 1, width)
        box.borders.set("all", line_style="continuous", weight="thin", color="#808080")
    for i, height in sorted(content.wide_rows.items()):
        line = sheet.range((i + 2, 1)).resize(1, width)
        line.merge()
        line.wrap_text = True
        text = content.rows[i][0] if content.rows[i] else ""
        line.row_height = height or wide_row_height(str(text or ""), content.widths, width)  # merged: no autofit


class _Unprotected:
    """Desktop Excel: lift sheet protection around our writes, restore it after."""

    def __init__(self, book: XlwingsBook, sheets: set[str]) -> None:
        self.book = book
        self.sheets = sheets
        self.restore: list[Any] = []

    def __enter__(self) -> None:
        if self.book.remote:
            return
        for name in self.sheets:
            api = self.book.book.sheets[name].api
            protected = api.ProtectContents if self.book.windows else api.protect_contents.get()
            if protected:
                api.Unprotect() if self.book.windows else api.unprotect()
                self.restore.append(api)

    def __exit__(self, *exc: object) -> None:
        for api in self.restore:
            if self.book.windows:
                api.Protect(
                    DrawingObjects=True,
                    Contents=True,
                    AllowFormattingColumns=True,
                    AllowFormattingRows=True,
                    AllowSorting=True,
                    AllowFiltering=True,
                )
            else:
                api.protect_worksheet()


def _segments(cols: list[int], formula_cols: set[int]) -> list[tuple[int, int]]:
    """Column spans covering the changed ``cols`` of one row, split so that no span covers a
    formula cell. ``_segments([2, 4, 8], {6}) == [(2, 5), (7, 8)]``"""
    spans: list[tuple[int, int]] = []
    start = cols[0]
    for c in range(cols[0], cols[-1] + 1):
        if c in formula_cols:
            if start < c:
                spans.append((start, c - 1))
            start = c + 1
    if start <= cols[-1]:
        spans.append((start, cols[-1]))
    return [(a, b) for a, b in spans if any(a <= c <= b for c in cols)]


def _a1(row: int, col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"
