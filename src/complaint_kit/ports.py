"""The Book port: how actions see a workbook (DESIGN.md, "Fields by name, never by address").

Actions read in bulk (``read_names``, ``read_table``), compute a :class:`Changes`, and hand it
to ``apply`` once; adapters (memory, openpyxl file, xlwings live Excel) write it in bulk — one
range per block, never cell by cell against Excel.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from .domain.values import to_text


class Formula(str):
    """A value to be written as a formula. Every other string is written as text, so a
    customer's ``=HYPERLINK(...)`` stays text (no formula injection)."""


@dataclass(frozen=True, slots=True)
class TableData:
    headers: tuple[str, ...]
    rows: list[list[Any]]

    def column(self, header: str) -> list[Any]:
        i = self.headers.index(header)
        return [row[i] for row in self.rows]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.headers, row, strict=False)) for row in self.rows]


def drop_trailing_blank_rows(rows: list[list[Any]]) -> list[list[Any]]:
    """A table's body without the empty rows at its end (a new table has one); blank rows in the
    middle stay, so row numbers keep pointing at the right cells."""
    end = len(rows)
    while end and all(v is None or v == "" for v in rows[end - 1]):
        end -= 1
    return rows[:end]


@dataclass(frozen=True, slots=True)
class SheetContent:
    """A generated sheet (催办单 …): replaced whole on every write. Row indexes are 0-based into
    ``rows`` (the title is written above them). For paper: ``boxes`` are inclusive row ranges
    printed with a border round every cell (as wide as :attr:`columns`); ``wide_rows`` hold one
    text across that width (a heading, or a line filled in by hand: a reply, a signature), merged,
    and as tall as given in points (None: as tall as the text); ``font`` names the family of every
    cell, the title in it bold and larger. Without them an adapter writes values, widths, number
    formats and bold headings only."""

    title: str
    rows: list[list[Any]]
    widths: Sequence[float] = ()
    bold_rows: frozenset[int] = frozenset()  # headings
    formats: dict[int, str] = field(default_factory=dict)  # column index → number format
    boxes: tuple[tuple[int, int], ...] = ()  # (first, last) rows of each bordered block
    wide_rows: dict[int, float | None] = field(default_factory=dict)  # row → height in points
    font: str | None = None
    landscape: bool = True  # a list prints landscape; a letter (投诉答复函) portrait

    @property
    def columns(self) -> int:
        """How many columns the sheet spans: its widest row, or its column widths."""
        return max([1, len(self.widths), *(len(r) for r in self.rows)])


@dataclass(frozen=True, slots=True)
class TableTail:
    """A table's body from row ``start`` (0-based) on replaced by ``rows``: the rows before it stay
    as they are, unread. The journal and the seals only ever grow at their end; a register of
    10,000 cases holds ~55,000 of each, and a click appends one."""

    start: int
    rows: list[list[Any]]


@dataclass(frozen=True, slots=True)
class TableRows:
    """Body rows of a table replaced by their 0-based index; every other row stays as it is,
    unread. A stage completed on one case of a 10,000-case register changes that case's row."""

    rows: dict[int, list[Any]]


TableChange = list[list[Any]] | TableTail | TableRows  # a table's new body, its new end, or rows of it


@dataclass
class Changes:
    """Everything one action writes, applied at once by :meth:`Book.apply`."""

    names: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, TableChange] = field(default_factory=dict)  # table → new body, its new end, or rows
    sheets: dict[str, SheetContent] = field(default_factory=dict)
    lock: set[str] = field(default_factory=set)  # defined names whose cells become read-only

    def __bool__(self) -> bool:
        return bool(self.names or self.tables or self.sheets or self.lock)


def read_tail(book: Any, table: str, n: int) -> tuple[TableData, int]:
    """The last ``n`` body rows of ``table`` and how many rows its body has. A book that can read
    the end of a table without the rest offers ``read_tail`` (the register file engine); any other
    reads the table."""
    own = getattr(book, "read_tail", None)
    if own is not None:
        return own(table, n)  # type: ignore[no-any-return]
    data = book.read_table(table)
    return TableData(data.headers, data.rows[len(data.rows) - n :] if n else []), len(data.rows)


def find_rows(book: Any, table: str, header: str, text: str) -> tuple[TableData, list[int]]:
    """The body rows of ``table`` whose cell under ``header`` reads as ``text`` (``to_text``:
    trimmed, a whole number without ``.0``), and their 0-based indexes. A book that can find
    them without reading the table offers ``find_rows`` (the register file engine: a case's
    seals among 55,000); any other reads the table."""
    own = getattr(book, "find_rows", None)
    if own is not None:
        return own(table, header, text)  # type: ignore[no-any-return]
    return rows_matching(book.read_table(table), header, text)


def rows_matching(data: TableData, header: str, text: str) -> tuple[TableData, list[int]]:
    """:func:`find_rows` over a table in hand (its rows copied, never the caller's own lists)."""
    col = data.headers.index(header)
    found = [i for i, row in enumerate(data.rows) if to_text(row[col]) == text]
    return TableData(data.headers, [list(data.rows[i]) for i in found]), found


def replace_rows(table: str, body: list[list[Any]], rows: TableRows) -> list[list[Any]]:
    """``body`` with the rows of ``rows`` put in by index; an index past the body is refused."""
    for i, row in rows.rows.items():
        if not 0 <= i < len(body):
            raise IndexError(f"{table}: 第 {i + 1} 行不存在 — row {i + 1} does not exist")
        body[i] = list(row)
    return body


def whole_bodies(book: Any, tables: dict[str, TableChange]) -> dict[str, list[list[Any]]]:
    """``tables`` with every :class:`TableTail` and :class:`TableRows` resolved against the table
    as it is now, for adapters that write whole bodies."""
    out: dict[str, list[list[Any]]] = {}
    for table, value in tables.items():
        if isinstance(value, TableTail):
            out[table] = [*book.read_table(table).rows[: value.start], *value.rows]
        elif isinstance(value, TableRows):
            out[table] = replace_rows(table, book.read_table(table).rows, value)
        else:
            out[table] = value
    return out


class Book(Protocol):
    """A workbook seen through names and tables."""

    @property
    def label(self) -> str:
        """A short name for messages (the file name)."""
        ...

    def has_name(self, name: str) -> bool: ...

    def read_names(self, names: Sequence[str]) -> dict[str, Any]: ...

    def read_table(self, table: str) -> TableData: ...

    def locate_name(self, name: str) -> str:
        """``"客户抱怨处理表!B5"`` for messages."""
        ...

    def locate_table_cell(self, table: str, row: int, header: str) -> str:
        """Address of body row ``row`` (0-based) under ``header``."""
        ...

    def locked_names(self, names: Sequence[str]) -> set[str]:
        """Which of ``names`` are locked (finished sections)."""
        ...

    def apply(self, changes: Changes) -> None: ...


class BookOver:
    """A Book that reads and locates through ``inner`` (the base of books that hold writes)."""

    def __init__(self, inner: Book) -> None:
        self.inner = inner

    @property
    def label(self) -> str:
        return self.inner.label

    def has_name(self, name: str) -> bool:
        return self.inner.has_name(name)

    def read_names(self, names: Sequence[str]) -> dict[str, Any]:
        return self.inner.read_names(names)

    def read_table(self, table: str) -> TableData:
        return self.inner.read_table(table)

    def locate_name(self, name: str) -> str:
        return self.inner.locate_name(name)

    def locate_table_cell(self, table: str, row: int, header: str) -> str:
        return self.inner.locate_table_cell(table, row, header)

    def locked_names(self, names: Sequence[str]) -> set[str]:
        return self.inner.locked_names(names)


class StagedBook(BookOver):
    """A Book over ``inner`` that holds its writes until :meth:`commit` and whose reads see them:
    several actions run one after another (the service desk's 登记手填内容: each typed row logged,
    dispatched, arrived, finished) and the workbook is written once, or not at all. Each table is
    read from ``inner`` once (a live workbook: one range read per table, however many actions)."""

    def __init__(self, inner: Book) -> None:
        super().__init__(inner)
        self.pending: list[Changes] = []
        self._read: dict[str, TableData] = {}  # as ``inner`` holds them
        self._tables: dict[str, TableData] = {}  # as staged
        self._whole: set[str] = set()  # tables written whole at least once
        self._rows: dict[str, set[int]] = {}  # the rows written of the others

    def read_table(self, table: str) -> TableData:
        data = self._tables.get(table)
        if data is None:
            data = self._read.get(table)
        if data is None:
            data = self._read[table] = self.inner.read_table(table)
        return TableData(data.headers, [list(r) for r in data.rows])

    def apply(self, changes: Changes) -> None:
        if changes.names or changes.lock:
            raise NotImplementedError("StagedBook stages tables and sheets only")
        for table, body in whole_bodies(self, changes.tables).items():
            change = changes.tables[table]
            if isinstance(change, TableRows):
                self._rows.setdefault(table, set()).update(change.rows)
            else:
                self._whole.add(table)
            self._tables[table] = TableData(self.read_table(table).headers, [list(r) for r in body])
        self.pending.append(changes)

    def written(self) -> dict[str, tuple[TableData, TableData, list[int] | None]]:
        """Each table written so far: its body as ``inner`` holds it, as staged, and the indexes
        of the rows written (None: written whole)."""
        return {
            table: (self._read[table], data, None if table in self._whole else sorted(self._rows[table]))
            for table, data in self._tables.items()
        }

    def commit(self, also: dict[str, TableChange] | None = None) -> None:
        """Everything staged, in one write: a table written whole is written whole, any other
        as the rows that changed; ``also``: tables written as they are given, unread (the end
        of a journal)."""
        if not self.pending and not also:
            return
        merged = Changes(tables=dict(also or {}))
        for changes in self.pending:
            merged.sheets.update(changes.sheets)
        for table, data in self._tables.items():
            if table in self._whole:
                merged.tables[table] = [list(r) for r in data.rows]
            else:
                merged.tables[table] = TableRows({i: list(data.rows[i]) for i in sorted(self._rows[table])})
        self.inner.apply(merged)
        self.pending.clear()
        self._read.clear()
        self._tables.clear()
        self._whole.clear()
        self._rows.clear()


# ---------------------------------------------------------------------------------------------
# Reports: workbooks the kit writes whole for people to read and print (the month's statistics,
# notices, lists). Actions build these values; ``adapters.report.write_report`` writes them.
@dataclass(frozen=True, slots=True)
class ChartSpec:
    """A native Excel chart over a :class:`ReportTable`: categories from one column, one series
    per value column (headers are the series names)."""

    kind: str  # "bar" (clustered columns) or "pie" (first value column only)
    title: str
    category_column: int = 0
    value_columns: tuple[int, ...] = (1,)


@dataclass(frozen=True, slots=True)
class ReportTable:
    """A captioned table on a report sheet. ``formats``: column index → number format;
    ``total_row``: the last row is a total (bold, top border); ``notes``: lines printed under the
    table (signature lines such as ``总经理：＿＿＿＿``); ``page_break_after``: the next table starts
    on a new printed page (one notice per page)."""

    caption: str
    headers: tuple[str, ...]
    rows: list[list[Any]]
    formats: dict[int, str] = field(default_factory=dict)
    total_row: bool = False
    chart: ChartSpec | None = None
    notes: tuple[str, ...] = ()
    page_break_after: bool = False


@dataclass(frozen=True, slots=True)
class ReportSheet:
    """One printed sheet of a report: a title, a subtitle line, tables top to bottom."""

    name: str  # the sheet tab (≤ 31 characters)
    title: str
    subtitle: str = ""
    tables: tuple[ReportTable, ...] = ()
    widths: tuple[float, ...] = ()  # column widths, left to right (default 14)
    landscape: bool = False
