"""The Book port over a register file, fast (issue 10): tables are read in bulk with
python-calamine (a Rust reader), and a write patches only what changed — the changed and
appended rows of a table, the tables' refs, the ranges that follow them, a generated sheet
replaced whole — into the package, copying every other part raw (:mod:`.xlsx_patch`).

The values read are the values openpyxl reads from the same file (numbers that are whole come
back as ``int``, dates as ``datetime``, empty cells as None), and the values written are the bytes
openpyxl would write for them, with the same number formats (``openpyxl_book.write_value``): the
actions cannot tell the two engines apart, and tests hold them to that
(tests/adapters/test_register_file.py). A table body is compared with what was read, cell by
cell; only the cells that differ are written, so a refresh of 10,000 cases rewrites the few
hundred rows whose 时效 changed, not the sheet.

What the patcher does not handle — a formula inside a table, a lock on a register cell, a new
generated sheet where one is missing, an odd package — goes through openpyxl instead
(:class:`xlsx_patch.Unsupported`): slower, never different.
"""

from __future__ import annotations

import bisect
import itertools
import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from defusedxml import ElementTree

from .. import layout
from ..domain.problems import problem
from ..domain.values import shown as _short
from ..domain.values import text_problem, to_text
from ..ports import (
    Changes,
    Formula,
    SheetContent,
    TableData,
    TableRows,
    TableTail,
    drop_trailing_blank_rows,
    replace_rows,
    rows_matching,
)
from ..store.files import sha256_of, write_temp
from ..store.txn import Staged, install
from . import xlsx_patch as xp
from .guard import (
    MAX_TABLE_COLUMNS,
    MAX_TABLE_ROWS,
    REGISTER_BUDGET,
    Budget,
    WorkbookError,
    check_workbook_file,
    table_problems,
)

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
TABLE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/table"
WORKSHEET_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
BIG_TABLE = 5_000  # rows: once read, calamine's parse of its sheet is let go
_FORMULA = re.compile(rb'<c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*>(?:(?!</c>).)*?<f[ >/]', re.S)


@dataclass
class _Table:
    name: str
    sheet: str
    part: str  # xl/tables/tableN.xml
    ref: str


@dataclass
class _Sheet:
    name: str
    part: str  # xl/worksheets/sheetN.xml
    rid: str
    index: int


def _join(base: str, target: str) -> str:
    """A relationship target resolved against the folder of the part that names it."""
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _rels_part(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def convert_rows(rows: list[list[Any]], lo: int, hi: int, width: int) -> list[Any]:
    """Columns ``lo:hi`` of calamine's rows as openpyxl reads them — empty cells None, whole
    numbers ``int``, dates ``datetime`` — column by column: a column of text only is kept as it
    is, and only the kinds of value a column holds are converted (a 100,000-row register has 4
    million cells)."""
    block = [r[lo:hi] for r in rows]
    if not block:
        return []
    if min(map(len, block)) < width:  # calamine's rows are as wide as the sheet's widest: rarely short
        for r in block:
            r.extend([""] * (width - len(r)))
    columns: list[Any] = []
    for col in zip(*block, strict=True):
        kinds = set(map(type, col))
        new: Any = col
        if str in kinds and "" in col:
            new = [None if v == "" and type(v) is str else v for v in new]
        if float in kinds:
            new = [int(v) if type(v) is float and v.is_integer() and -1e15 < v < 1e15 else v for v in new]
        if date in kinds:
            new = [datetime(v.year, v.month, v.day) if type(v) is date else v for v in new]
        columns.append(new)
    return list(zip(*columns, strict=True))  # tuples: the base of a diff is never changed in place


_ROW_CELLS = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_ATTR = re.compile(rb'\b(r|s|t)="([^"]*)"')
_V = re.compile(rb"<v>(.*?)</v>", re.S)


def _xml_rows(
    data: bytes, first: int, last: int, min_col: int, max_col: int, styles: xp.Styles, shared: Any
) -> list[list[Any]]:
    """Rows ``first..last`` (sheet rows, inclusive), columns ``min_col..max_col``, parsed from a
    worksheet's XML as openpyxl reads them (numbers ``int``/``float``, dates by their number
    format, inline strings as stored, shared strings via ``shared()``). A formula is refused."""
    from openpyxl.styles.numbers import is_date_format, is_timedelta_format
    from openpyxl.utils.datetime import from_excel

    width = max_col - min_col + 1
    out = [[None] * width for _ in range(last - first + 1)]
    data, start, end = xp.split_sheet(data)
    m = xp.find_row(data, start, end, first)
    at = m.start() if m else end
    for row in xp.row_spans(data, at, end):
        r, body = row
        if r > last:
            break
        if r < first:
            continue
        for cell in _ROW_CELLS.finditer(body):
            attrs = dict(_ATTR.findall(cell.group(1)))
            ref = attrs.get(b"r", b"").decode()
            col = xp.column_index(ref.rstrip("0123456789"))
            if not min_col <= col <= max_col:
                continue
            inner = cell.group(2) or b""
            if b"<f" in inner:
                raise xp.Unsupported("a formula")
            kind = attrs.get(b"t", b"n")
            value: Any = None
            if kind == b"inlineStr":
                value = (
                    _plain_text(inner) if b"<is" in inner else None
                )  # <c t="inlineStr"/>: empty, as openpyxl reads it
            else:
                v = _V.search(inner)
                text = v.group(1).decode() if v else None
                if text is None or text == "":
                    value = None
                elif kind == b"s":
                    value = shared()[int(text)]
                elif kind == b"b":
                    value = bool(int(text))
                elif kind in (b"str", b"e"):
                    value = _plain_text(b"<t>" + v.group(1) + b"</t>") if v else None
                else:
                    value = float(text) if ("." in text or "E" in text or "e" in text) else int(text)
                    fmt = styles.number_format(int(attrs.get(b"s", b"0")))
                    if is_date_format(fmt):
                        value = from_excel(value, timedelta=is_timedelta_format(fmt))
            out[r - first][col - min_col] = value
    return out


_ESCAPED = re.compile(rb"_x[0-9A-Fa-f]{4}_")
_ESCAPED_SHARED = re.compile(rb"_x[0-9A-Fa-f]{4}_|x005F_")
_CELL_PARTS = re.compile(rb'<c\b[^>]*?\br="([A-Z]+)(\d+)"([^>]*)>(.*?)</c>', re.S)
_SHARED_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*?\bt="s"[^>]*><v>(\d+)</v>')
_T = re.compile(rb"<t\b[^>]*>(.*?)</t>|<t\b[^>]*/>", re.S)
_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _plain_text(xml: bytes) -> str:
    """The text of a string item (``<t>`` runs, rich text joined; phonetic runs left out) with
    XML's character references resolved and nothing else: ``_x000B_`` stays as it is stored."""
    xml = re.sub(rb"<rPh\b.*?</rPh>", b"", xml, flags=re.S)
    text = "".join((m.group(1) or b"").decode("utf-8") for m in _T.finditer(xml))

    def resolve(m: re.Match[str]) -> str:
        name = m.group(1)
        if name.startswith("#x"):
            return chr(int(name[2:], 16))
        if name.startswith("#"):
            return chr(int(name[1:]))
        return _ENTITIES[name]

    return _ENTITY.sub(resolve, text)


def _column_index(data: bytes, letter: str, shared: Any) -> dict[str, list[int]]:
    """Every cell of column ``letter`` in a worksheet's XML: its text (``to_text`` of what openpyxl
    would read, a superset check: the rows found are parsed and compared again) → sheet rows."""
    index: dict[str, list[int]] = {}
    pattern = re.compile(rb'<c\b([^>]*?\br="' + letter.encode() + rb'(\d+)"[^>]*?)(?:/>|>(.*?)</c>)', re.S)
    for m in pattern.finditer(data):
        attrs, inner = m.group(1), m.group(3) or b""
        if b't="inlineStr"' in attrs:
            text = _plain_text(inner)
        elif b't="s"' in attrs:
            v = _V.search(inner)
            text = shared()[int(v.group(1))] if v else ""
        else:
            v = _V.search(inner)
            text = v.group(1).decode() if v else ""
            try:
                number = float(text)
                text = str(int(number)) if number.is_integer() and abs(number) < 1e15 else text
            except ValueError:
                pass
        index.setdefault(to_text(text), []).append(int(m.group(2)))
    return index


class RegisterFile:
    """A register file opened for reading and one write (see the module's doc)."""

    def __init__(self, path: Path, *, backups: int = 0) -> None:
        from python_calamine import CalamineWorkbook

        self.path = path
        self.name: str | None = None
        self.backups = backups
        self.engine = "patch"  # or "openpyxl" once a write needed it (reported by tests and benchmarks)
        self._parts: dict[str, bytes] = {}
        with zipfile.ZipFile(path) as zf:
            self._members = set(zf.namelist())
            for name in self._members:
                if name.startswith(("xl/tables/", "xl/_rels/", "xl/worksheets/_rels/")) or name in (
                    "xl/workbook.xml",
                    "xl/styles.xml",
                    "[Content_Types].xml",
                ):
                    self._parts[name] = zf.read(name)
        self._sheets: dict[str, _Sheet] = {}
        self._tables: dict[str, _Table] = {}
        self._names: dict[str, tuple[str, str]] = {}
        self._parse_workbook()
        self._segments = xp.segments_in(path)  # part → its segments, for a part the kit wrote seekable
        self._segment_text: dict[tuple[str, int], bytes] = {}
        self._calamine = CalamineWorkbook.from_path(str(path))
        self._rows: dict[str, Any] = {}  # sheet → calamine's parse of it
        self._heights: dict[str, int] = {}
        self._literals: dict[str, dict[tuple[int, int], str]] = {}
        self._style_cache: xp.Styles | None = None
        self._shared_all: list[str] | None = None
        self._shared: dict[int, str] | None = None
        self._headers: dict[str, list[str]] = {}
        self._read: dict[str, TableData] = {}  # as read from the file: the base of every diff
        self._pending: list[Changes] = []
        self._bodies: dict[str, list[list[Any]]] = {}
        self._tails: dict[str, tuple[int, list[list[Any]]]] = {}  # table → (start, new rows from there)
        self._lengths: dict[str, int] = {}  # body rows of a table whose end alone was read
        self._found: dict[str, dict[int, tuple[Any, ...]]] = {}  # rows find_rows read, by index: bases of diffs
        self._rowsets: dict[str, dict[int, list[Any]]] = {}  # table → rows replaced by index (TableRows)
        self._lookups: dict[tuple[str, str], int] = {}  # (table, column) → find_rows calls so far
        self._key_index: dict[tuple[str, str], dict[str, list[int]]] = {}  # (table, column) → text → sheet rows
        self._formula_free: set[str] = set()
        self._fallback: Any = None  # the OpenpyxlBook everything goes to once the patcher cannot

    @classmethod
    def open(cls, path: str | Path, *, backups: int = 0, budget: Budget = REGISTER_BUDGET) -> RegisterFile:
        p = Path(path)
        check_workbook_file(p, budget)
        try:
            return cls(p, backups=backups)
        except xp.Unsupported:
            raise
        except MemoryError:
            raise WorkbookError.of("E-MEMORY", file=p.name) from None
        except Exception as exc:  # a damaged package: say so as openpyxl's path does
            raise WorkbookError.of("E-DAMAGED", file=p.name, reason=_short(f"{type(exc).__name__}: {exc}")) from exc

    # -- the package's structure ------------------------------------------------------------
    def _xml(self, part: str) -> Any:
        return ElementTree.fromstring(self._parts[part])

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (type, resolved target) of ``part``."""
        rels = _rels_part(part)
        if rels not in self._parts:
            return {}
        return {
            r.get("Id"): (r.get("Type"), _join(part, r.get("Target")))
            for r in self._xml(rels).iter(f"{PKG_REL}Relationship")
            if r.get("TargetMode") != "External"
        }

    def _parse_workbook(self) -> None:
        wb = self._xml("xl/workbook.xml")
        rels = self._rels("xl/workbook.xml")
        for i, sheet in enumerate(wb.iter(f"{MAIN}sheet")):
            rid = sheet.get(f"{REL}id")
            kind, target = rels.get(rid, ("", ""))
            if kind != WORKSHEET_REL:
                raise xp.Unsupported(f"sheet {sheet.get('name')} is not a worksheet")
            self._sheets[sheet.get("name")] = _Sheet(sheet.get("name"), target, rid, i)
        for sheet in self._sheets.values():
            for kind, target in self._rels(sheet.part).values():
                if kind == TABLE_REL:
                    table = self._xml(target)
                    name = table.get("displayName") or table.get("name")
                    self._tables[name] = _Table(name, sheet.name, target, table.get("ref") or "")
        names = {s.index: s.name for s in self._sheets.values()}
        for dn in wb.iter(f"{MAIN}definedName"):
            name, text = dn.get("name"), (dn.text or "").strip()
            if name.startswith("_xlnm.") or dn.get("localSheetId") is not None:
                continue
            m = re.fullmatch(r"'?((?:[^']|'')+?)'?!\$?([A-Z]{1,3})\$?(\d+)", text)
            if m and m.group(1).replace("''", "'") in self._sheets:
                self._names[name] = (m.group(1).replace("''", "'"), f"{m.group(2)}{m.group(3)}")
            else:
                self._names[name] = ("", text)  # not one cell: refused where it is used
        del names

    def _part(self, part: str) -> bytes:
        if part not in self._parts:
            with zipfile.ZipFile(self.path) as zf:
                self._parts[part] = zf.read(part)
        return self._parts[part]

    def _segment(self, part: str, i: int) -> bytes:
        """Segment ``i`` of a seekable part, inflated alone (checked against its CRC-32)."""
        if (part, i) not in self._segment_text:
            segments = self._segments[part]
            with self.path.open("rb") as src:
                self._segment_text[(part, i)] = xp.inflate_segment(src, segments[i], last=i == len(segments) - 1)
        return self._segment_text[(part, i)]

    def _segment_of(self, part: str, row: int) -> int:
        """The row segment of a seekable part that holds (or would hold) sheet row ``row``: the
        last one starting at or before it, the first for a row above them all; 0 for no rows."""
        starts = [s.first_row for s in self._segments[part][1:-1]]
        return max(0, bisect.bisect_right(starts, row) - 1) + 1 if starts else 0

    def _row_segments(self, part: str, first: int, last: int) -> range:
        """Indexes of the row segments of a seekable part that hold sheet rows ``first..last``."""
        lo = self._segment_of(part, first)
        return range(lo, self._segment_of(part, last) + 1) if lo else range(0)

    def _rows_xml(self, part: str, first: int, last: int) -> bytes:
        """Worksheet XML holding (at least) sheet rows ``first..last``: of a seekable part only
        the segments that hold them, between ``<sheetData>`` tags; else the whole part."""
        if part not in self._segments:
            return self._part(part)
        inner = b"".join(self._segment(part, i) for i in self._row_segments(part, first, last))
        return b"<sheetData>" + inner + b"</sheetData>"

    @property
    def label(self) -> str:
        return self.name or self.path.name

    @property
    def tables(self) -> set[str]:
        return set(self._tables)

    # -- reading ----------------------------------------------------------------------------
    def _sheet(self, sheet: str) -> Any:
        """The sheet as calamine parsed it (once per sheet)."""
        if sheet not in self._rows:
            try:
                self._rows[sheet] = self._calamine.get_sheet_by_name(sheet)
            except (MemoryError, KeyboardInterrupt, SystemExit):
                raise
            except BaseException as exc:  # XML calamine refuses, or a panic (pyo3's is a BaseException)
                raise xp.Unsupported(f"calamine: {type(exc).__name__}") from exc  # openpyxl decides
        return self._rows[sheet]

    def _height(self, sheet: str) -> int:
        """How many rows the sheet has, counted from row 1 (openpyxl's ``max_row`` for values)."""
        if sheet not in self._heights:  # the last <row> of the sheet's XML: no parse of the rest
            data, start, end = xp.split_sheet(self._rows_xml(self._sheets[sheet].part, xp.TAIL_ROW, xp.TAIL_ROW))
            last = data.rfind(b"<row ", start, end)
            m = xp.find_row(data, last, end, 0) if last >= 0 else None
            self._heights[sheet] = int(m.group(1)) if m else 0
        return self._heights[sheet]

    def _block(self, sheet: str, r0: int, r1: int, lo: int, hi: int) -> list[Any]:
        """Rows ``r0:r1`` and columns ``lo:hi`` (0-based, end excluded) as openpyxl reads them,
        converted in chunks as calamine hands them over: the sheet is never all Python lists at
        once (a 100,000-row register: half the time and 100 MB less than ``to_python``)."""
        sh = self._sheet(sheet)
        first = sh.start[1] if sh.start else 0  # iter_rows gives every row from 1, but columns from the first used
        pad = max(0, first - lo)
        a, b = max(0, lo - first), max(0, hi - first)
        width = hi - lo
        rows = itertools.islice(sh.iter_rows(), r0, r1)
        out: list[Any] = []
        try:
            while chunk := list(itertools.islice(rows, 5000)):
                if pad:
                    chunk = [[""] * pad + r for r in chunk]
                    out += convert_rows(chunk, a, b + pad, width)
                else:
                    out += convert_rows(chunk, a, b, width)
        except (MemoryError, KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # a value calamine cannot convert (a panic)
            raise xp.Unsupported(f"calamine: {type(exc).__name__}") from exc
        out += [(None,) * width] * max(0, (r1 - r0) - len(out))  # below the last used row
        for (r, c), text in self._literal_texts(sheet).items():
            if r0 <= r < r1 and lo <= c < hi:
                row = list(out[r - r0])
                row[c - lo] = text
                out[r - r0] = tuple(row)
        return out

    def _literal_texts(self, sheet: str) -> dict[tuple[int, int], str]:
        """Cells whose text holds ``_xHHHH_`` (0-based row, column → the text as stored).

        calamine decodes ``_x000B_`` to the character it stands for (Excel's escape); openpyxl,
        which wrote every register so far and whose reading the seals were made over, keeps an
        inline string as stored and undoes only ``_x005F_`` in a shared one. Such cells (a line
        break pasted from Word, a name like ``ACME_x0041_Co``) are read as openpyxl reads them."""
        if sheet in self._literals:
            return self._literals[sheet]
        data = self._part(self._sheets[sheet].part)
        found: dict[tuple[int, int], str] = {}
        shared: dict[tuple[int, int], int] = {}
        if b"_x" not in data and not (b't="s"' in data and self._escaped_shared()):  # nearly always
            self._literals[sheet] = found
            return found
        for m in _ESCAPED.finditer(data):
            start, end = data.rfind(b"<c ", 0, m.start()), data.find(b"</c>", m.end())
            if start < 0 or end < 0:
                continue
            cell = _CELL_PARTS.match(data, start, end + 4)
            if cell is None:
                continue
            col, row = xp.column_index(cell.group(1).decode()), int(cell.group(2))
            if b't="inlineStr"' in cell.group(3):
                found[(row - 1, col - 1)] = _plain_text(cell.group(4))
        for m in _SHARED_CELL.finditer(data) if self._escaped_shared() else ():
            col, row = xp.column_index(m.group(1).decode()), int(m.group(2))
            index = int(m.group(3))
            if index in self._escaped_shared():
                shared[(row - 1, col - 1)] = index
        for where, index in shared.items():
            found[where] = self._escaped_shared()[index]
        self._literals[sheet] = found
        return found

    def _escaped_shared(self) -> dict[int, str]:
        """Shared strings (Excel's way of storing text) that hold ``_xHHHH_``, by index."""
        if self._shared is None:
            self._shared = {}
            if "xl/sharedStrings.xml" in self._members:
                data = self._part("xl/sharedStrings.xml")
                if _ESCAPED_SHARED.search(data):
                    for i, m in enumerate(re.finditer(rb"<si>(.*?)</si>|<si/>", data, re.S)):
                        if m.group(1) and _ESCAPED_SHARED.search(m.group(1)):
                            # as openpyxl's read_string_table: only Excel's escape of "_" is undone
                            self._shared[i] = _plain_text(m.group(1)).replace("x005F_", "")
        return self._shared

    def _bounds(self, table: str) -> tuple[str, tuple[int, int, int, int]]:
        try:
            t = self._tables[table]
        except KeyError:
            raise KeyError(f"{self.label}: 缺少表格 missing table {table}") from None
        try:
            min_col, min_row, max_col, max_row = xp.parse_range(t.ref)
        except xp.Unsupported:
            raise WorkbookError.of("E-TABLE-RANGE", file=self.label, table=table, ref=_short(t.ref)) from None
        if max_col - min_col + 1 > MAX_TABLE_COLUMNS:
            raise WorkbookError.of("E-TABLE-TOO-WIDE", file=self.label, table=table, columns=max_col - min_col + 1)
        max_row = max(min_row, min(max_row, self._height(t.sheet)))
        if max_row - min_row > MAX_TABLE_ROWS:
            raise WorkbookError.of(
                "E-TABLE-TOO-LONG", file=self.label, table=table, rows=max_row - min_row, limit=MAX_TABLE_ROWS
            )
        return t.sheet, (min_col, min_row, max_col, max_row)

    def _check_formulas(self, table: str) -> None:
        """A formula in a table reads as its text through openpyxl and as its last value here:
        such a workbook goes through openpyxl."""
        t = self._tables[table]
        if table in self._formula_free:
            return
        data = self._part(self._sheets[t.sheet].part)
        if re.search(rb"<f[ >/]", data):
            c1, r1, c2, r2 = xp.parse_range(t.ref)
            for m in _FORMULA.finditer(data):
                c, r = xp.column_index(m.group(1).decode()), int(m.group(2))
                if c1 <= c <= c2 and r1 <= r <= r2:
                    raise xp.Unsupported(f"a formula in table {table}")
        self._formula_free.add(table)

    def _header(self, table: str) -> list[str]:
        if table not in self._headers:  # from the XML: calamine would parse the whole sheet for one row
            sheet, (min_col, min_row, max_col, _) = self._bounds(table)
            data = self._rows_xml(self._sheets[sheet].part, min_row, min_row)
            (row,) = _xml_rows(data, min_row, min_row, min_col, max_col, self._styles(), self._shared_strings)
            self._headers[table] = [str(v) for v in row]
        return list(self._headers[table])

    def _fall_back(self) -> Any:
        if self._fallback is None:
            self._fallback = self._slow()
        return self._fallback

    def read_table(self, table: str) -> TableData:
        if self._fallback is not None:
            return self._fallback.read_table(table)
        try:
            return self._read_table(table)
        except xp.Unsupported:
            return self._fall_back().read_table(table)

    def _read_table(self, table: str) -> TableData:
        if table in self._tails:  # read whole after all: the end becomes part of a body
            start, rows = self._tails.pop(table)
            self._bodies[table] = [*self._read_original(table).rows[:start], *rows]
        if table in self._rowsets:  # so do rows replaced by index
            body = self._read_original(table).rows
            for i, row in self._rowsets.pop(table).items():
                body[i] = row
            self._bodies[table] = body
        if table in self._bodies:
            self._read_original(table)  # read before the first change: the base of the diff
            return TableData(self._read[table].headers, list(map(list, self._bodies[table])))
        return self._read_original(table)

    def read_tail(self, table: str, n: int) -> tuple[TableData, int]:
        """The last ``n`` body rows of ``table`` and the body's length, parsed from the end of the
        sheet's XML — the rest of the table is not read (see :class:`TableTail`)."""
        if self._fallback is not None or table in self._read or table in self._bodies or table in self._rowsets:
            data = self.read_table(table)
            return TableData(data.headers, data.rows[len(data.rows) - n :] if n else []), len(data.rows)
        try:
            headers, rows, total = self._parse_tail(table, n)
        except xp.Unsupported:
            data = self.read_table(table)
            return TableData(data.headers, data.rows[len(data.rows) - n :] if n else []), len(data.rows)
        if table in self._tails:
            start, new = self._tails[table]
            rows = [*rows[: max(0, len(rows) - (total - start))], *new]
            total = start + len(new)
            rows = rows[len(rows) - n :] if n else []
        return TableData(headers, rows), total

    def find_rows(self, table: str, header: str, text: str) -> tuple[TableData, list[int]]:
        """The body rows whose cell under ``header`` reads as ``text`` (see :func:`ports.find_rows`),
        found in the sheet's XML by the text itself and parsed alone: the rest of the table is not
        read (a case's five seals among the 55,000 of a 10,000-case register)."""
        if self._fallback is not None or not text.strip() or text != text.strip():
            return rows_matching(self.read_table(table), header, text)
        if table in self._read:  # in memory already (a body is read before it is replaced): looked through
            rows = self._bodies.get(table, self._read[table].rows)
            return rows_matching(TableData(self._read[table].headers, rows), header, text)
        try:
            found, hits = self._find_rows(table, header, text)
        except xp.Unsupported:
            return rows_matching(self.read_table(table), header, text)
        col = found.headers.index(header)
        pairs = list(zip(hits, found.rows, strict=True))
        if table in self._tails:  # rows written since: the pending end replaces the file's from its start
            start, pending = self._tails[table]
            pairs = [(i, r) for i, r in pairs if i < start]
            pairs += [(start + k, list(r)) for k, r in enumerate(pending) if to_text(r[col]) == text]
        if table in self._rowsets:  # and so do rows replaced by index
            replaced = self._rowsets[table]
            pairs = [(i, r) for i, r in pairs if i not in replaced]
            pairs += [(i, list(r)) for i, r in replaced.items() if to_text(r[col]) == text]
            pairs.sort(key=lambda p: p[0])
        return TableData(found.headers, [r for _, r in pairs]), [i for i, _ in pairs]

    def _find_rows(self, table: str, header: str, text: str) -> tuple[TableData, list[int]]:
        if table not in self._tables:
            raise KeyError(f"{self.label}: 缺少表格 missing table {table}")
        sheet, (min_col, min_row, max_col, max_row) = self._bounds(table)
        headers = tuple(self._header(table))
        col = headers.index(header)
        part = self._sheets[sheet].part
        key = (table, header)
        self._lookups[key] = self._lookups.get(key, 0) + 1
        candidates: set[int] = set()
        if self._lookups[key] > 2 and key not in self._key_index:  # an import: one case per form
            index: dict[str, list[int]] = {}
            for piece in self._searched_pieces(part):
                for value, found_rows in _column_index(
                    piece, xp.column_letter(min_col + col), self._shared_strings
                ).items():
                    index.setdefault(value, []).extend(found_rows)
            self._key_index[key] = index
        if key in self._key_index:
            candidates.update(self._key_index[key].get(text, ()))
        else:
            plain_needle = escape(text).encode("utf-8")
            shared_needles: list[bytes] | None = None
            for piece in self._searched_pieces(part):
                needles = [plain_needle]
                if b't="s"' in piece:  # shared strings: found by their index
                    if shared_needles is None:
                        shared_needles = [
                            b"<v>%d</v>" % i for i, s in enumerate(self._shared_strings()) if to_text(s) == text
                        ]
                    needles += shared_needles
                for needle in needles:
                    at = piece.find(needle)
                    while at >= 0:
                        start = piece.rfind(b"<row ", 0, at)
                        m = xp.find_row(piece, start, len(piece), 0) if start >= 0 else None
                        if m is not None:
                            candidates.add(int(m.group(1)))
                        at = piece.find(needle, at + len(needle))
        styles, found, rows = self._styles(), [], []
        for r in sorted(c for c in candidates if min_row < c <= max_row):
            (row,) = _xml_rows(self._rows_xml(part, r, r), r, r, min_col, max_col, styles, self._shared_strings)
            if to_text(row[col]) == text:
                found.append(r - min_row - 1)
                rows.append(row)
                self._found.setdefault(table, {})[found[-1]] = tuple(row)
        return TableData(headers, [list(r) for r in rows]), found

    def _searched_pieces(self, part: str) -> Iterator[bytes]:
        """A sheet's XML to search, in pieces: a seekable part's row segments one at a time (a
        100,000-case register's 签章 is never whole in memory), any other part whole. Text spelled
        with character references cannot be found by its bytes: that sheet is refused."""
        if part not in self._segments:
            data = self._part(part)
            if b"&#" in data:
                raise xp.Unsupported("character references")
            yield data
            return
        segments = self._segments[part]
        with self.path.open("rb") as src:
            for i in range(1, len(segments) - 1):
                piece = self._segment_text.get((part, i)) or xp.inflate_segment(src, segments[i], last=False)
                if b"&#" in piece:
                    raise xp.Unsupported("character references")
                yield piece

    def _parse_tail(self, table: str, n: int) -> tuple[tuple[str, ...], list[list[Any]], int]:
        """Header, last ``n`` non-blank-ended body rows and body length of ``table`` from its XML."""
        if table not in self._tables:
            raise KeyError(f"{self.label}: 缺少表格 missing table {table}")
        t = self._tables[table]
        min_col, min_row, max_col, max_row = xp.parse_range(t.ref)
        part = self._sheets[t.sheet].part
        styles = self._styles()
        width = max_col - min_col + 1
        header = self._header(table)
        span = n + 16
        while True:
            first = max(min_row + 1, max_row - span + 1)
            data = self._rows_xml(part, first, max_row)
            rows = _xml_rows(data, first, max_row, min_col, max_col, styles, self._shared_strings)
            kept = drop_trailing_blank_rows(rows)
            if kept or first == min_row + 1:
                break
            span *= 4  # a long blank end: look further back
        total = first - (min_row + 1) + len(kept)
        self._lengths[table] = total
        del width
        return tuple(str(v) for v in header), kept[len(kept) - n :] if n else [], total

    def _styles(self) -> xp.Styles:
        if self._style_cache is None:
            self._style_cache = xp.Styles(self._part("xl/styles.xml"))
        return self._style_cache

    def _shared_strings(self) -> list[str]:
        """Every shared string as openpyxl reads it (only when a tail holds a shared string)."""
        if self._shared_all is None:
            self._shared_all = []
            if "xl/sharedStrings.xml" in self._members:
                data = self._part("xl/sharedStrings.xml")
                self._shared_all = [
                    _plain_text(m.group(1) or b"").replace("x005F_", "")
                    for m in re.finditer(rb"<si>(.*?)</si>|<si/>", data, re.S)
                ]
        return self._shared_all

    def _read_original(self, table: str) -> TableData:
        if table not in self._read:
            self._check_formulas(table)
            sheet, (min_col, min_row, max_col, max_row) = self._bounds(table)
            headers = tuple(self._header(table))
            body = self._block(sheet, min_row, max_row, min_col - 1, max_col)
            self._read[table] = TableData(headers, drop_trailing_blank_rows(body))
            if max_row - min_row > BIG_TABLE and all(
                t.name in self._read for t in self._tables.values() if t.sheet == sheet
            ):
                del self._rows[sheet]  # calamine's copy of a long sheet (~300 MB at 100,000 rows) is done with
        data = self._read[table]
        return TableData(data.headers, list(map(list, data.rows)))  # the caller's own lists

    def has_name(self, name: str) -> bool:
        return name in self._names

    def read_names(self, names: Sequence[str]) -> dict[str, Any]:
        if self._fallback is not None:
            return self._fallback.read_names(names)
        try:
            return self._read_names(names)
        except xp.Unsupported:
            return self._fall_back().read_names(names)

    def _read_names(self, names: Sequence[str]) -> dict[str, Any]:
        out = {}
        for name in names:
            sheet, ref = self._cell(name)
            c1, r1, _, _ = xp.parse_range(ref)
            out[name] = self._block(sheet, r1 - 1, r1, c1 - 1, c1)[0][0]
        for changes in self._pending:
            out.update({k: v for k, v in changes.names.items() if k in out})
        return out

    def _cell(self, name: str) -> tuple[str, str]:
        if name not in self._names:
            raise KeyError(f"{self.label}: 缺少定义名称 missing defined name {name}")
        sheet, ref = self._names[name]
        if not sheet:
            raise xp.Unsupported(f"defined name {name} is not one cell")
        return sheet, ref

    def locate_name(self, name: str) -> str:
        if self._fallback is not None:
            return str(self._fallback.locate_name(name))
        try:
            sheet, ref = self._cell(name)
        except xp.Unsupported:  # a name over a merged area: openpyxl resolves it
            return str(self._fall_back().locate_name(name))
        return f"{sheet}!{ref}"

    def locate_table_cell(self, table: str, row: int, header: str) -> str:
        sheet, (min_col, min_row, _, _) = self._bounds(table)
        headers = self._header(table)
        if header not in headers:
            return f"{sheet}!{table}[{_short(header)}] 第 {row + 1} 行 row {row + 1}"
        return f"{sheet}!{xp.column_letter(min_col + headers.index(header))}{min_row + 1 + row}"

    def locked_names(self, names: Sequence[str]) -> set[str]:
        return self._fall_back().locked_names(names)

    def check_tables(self, expected: Mapping[str, Sequence[str]], *, required: Iterable[str] = ()) -> list[Any]:
        """As :meth:`OpenpyxlBook.check_tables`: a missing required table, a broken range, a
        header row without the columns the kit uses."""

        def header_of(table: str) -> tuple[list[str], str]:
            sheet, (min_col, min_row, _, _) = self._bounds(table)
            return self._header(table), f"{self.label} {sheet}!{xp.column_letter(min_col)}{min_row}"

        return table_problems(self.label, self._tables, expected, required, header_of)

    # -- writing ----------------------------------------------------------------------------
    def apply(self, changes: Changes) -> None:
        if self._fallback is not None:
            self._fallback.apply(changes)
            return
        missing = [n for n in changes.names if not self.has_name(n)]
        if missing:
            raise KeyError(f"{self.label}: 缺少定义名称 missing defined names {missing}")
        for table, value in changes.tables.items():
            if table not in self._tables:
                raise KeyError(f"{self.label}: 缺少表格 missing table {table}")
            min_col, _, max_col, _ = xp.parse_range(self._tables[table].ref)
            width = max_col - min_col + 1
            rows = value.rows if isinstance(value, TableTail) else value
            rows = list(value.rows.values()) if isinstance(value, TableRows) else rows
            for i, row in enumerate(rows):
                if len(row) != width:
                    raise WorkbookError.of(
                        "E-TABLE-WIDTH", file=self.label, table=table, width=width, row=i, values=len(row)
                    )
        for table, value in changes.tables.items():
            try:
                if isinstance(value, TableRows):
                    known = self._found.get(table, {})
                    pending = table in self._rowsets or table in self._read or table in self._tails
                    if pending or any(i not in known for i in value.rows):  # read whole, or rows not found first
                        self._bodies[table] = replace_rows(table, self.read_table(table).rows, value)
                    else:
                        self._rowsets[table] = {i: list(row) for i, row in value.rows.items()}
                    continue
                if isinstance(value, TableTail) and table in self._tails:  # a second end (an import's next form)
                    start, pending = self._tails[table]
                    if start <= value.start <= start + len(pending):
                        self._tails[table] = (start, [*pending[: value.start - start], *map(list, value.rows)])
                        continue
                if isinstance(value, TableTail) and table not in self._bodies and table not in self._tails:
                    if table not in self._read:
                        self.read_tail(table, 0)  # the body's length: where the tail starts matters
                    if table not in self._read:
                        self._tails[table] = (value.start, list(value.rows))
                        continue
                if isinstance(value, TableTail):
                    body = self.read_table(table).rows  # a body already: the tail joins it
                    self._bodies[table] = [*body[: value.start], *value.rows]
                    continue
                self._read_original(table)  # the base of the diff, read before the first change
                self._tails.pop(table, None)
            except xp.Unsupported:
                self._fall_back().apply(changes)
                return
            self._bodies[table] = list(value)  # written at stage(): the action has handed them over
        for name, value in changes.names.items():
            _check_text(f"{self.locate_name(name)}", value)
        self._pending.append(changes)

    def _slow(self) -> Any:
        """The same file through openpyxl, with every change applied so far."""
        from .openpyxl_book import OpenpyxlBook

        book = OpenpyxlBook.open(self.path, backups=self.backups)
        book.name = self.name
        self.engine = "openpyxl"
        for changes in self._pending:
            book.apply(changes)
        return book

    def stage(self, path: Path | None = None) -> Staged:
        target = Path(path or self.path)
        if self._fallback is not None:
            return self._fallback.stage(target)
        try:
            parts, drop = self._patch()
        except xp.Unsupported:
            return self._fall_back().stage(target)
        tmp = write_temp(target, lambda p: xp.write_package(self.path, p, parts, drop=drop))
        return Staged(tmp, target, sha256_of(tmp), self.backups)

    def save(self, path: Path | None = None) -> Path:
        """Save the register on its own (commands commit through their session instead)."""
        return install(self.stage(path))

    # -- the patch --------------------------------------------------------------------------
    def _resize(
        self,
        t: _Table,
        last: int,
        parts: dict[str, Any],
        grow: dict[str, list[tuple[int, int, int]]],
        sizes: dict[str, tuple[int, int]],
    ) -> None:
        """A table now ending on sheet row ``last``: its ref (and autoFilter), the ranges that
        follow its body when it grew, and the sheet's dimension."""
        min_col, min_row, max_col, declared = xp.parse_range(t.ref)
        ref = xp.range_text(min_col, min_row, max_col, last)
        if ref != t.ref:
            parts[t.part] = xp.set_table_ref(self._part(t.part), ref)
        if last > declared:
            grow.setdefault(t.sheet, []).append((min_row + 1, declared, last))
        size = sizes.get(t.sheet, (0, 0))
        sizes[t.sheet] = (max(size[0], max_col), max(size[1], last))

    def _patch(self) -> tuple[dict[str, Any], list[str]]:
        """The parts that change, as bytes, and the parts to leave out."""
        if any(c.lock for c in self._pending):
            raise xp.Unsupported("locks")
        styles = xp.Styles(self._part("xl/styles.xml"))
        cells: dict[str, dict[int, dict[int, Any]]] = {}  # sheet → row → column → value
        formats: dict[str, dict[int, str]] = {}  # sheet → column → number format for numbers
        grow: dict[str, list[tuple[int, int, int]]] = {}  # sheet → (first body row, old last, new last)
        parts: dict[str, Any] = {}  # part → new bytes, or pieces of a patched sheet
        sizes: dict[str, tuple[int, int]] = {}
        for table, body in self._bodies.items():
            sheet, (min_col, min_row, max_col, _) = self._bounds(table)
            t = self._tables[table]
            old = self._read[table].rows
            target = cells.setdefault(sheet, {})
            blank = (None,) * (max_col - min_col + 1)
            for i in range(max(len(body), len(old))):
                new_row = tuple(body[i]) if i < len(body) else blank
                old_row = old[i] if i < len(old) else blank
                # most rows come back as they were read: equal values of equal types, no cell to write
                if new_row == old_row and list(map(type, new_row)) == list(map(type, old_row)):
                    continue
                for j, (value, before) in enumerate(zip(new_row, old_row, strict=True)):
                    if (value is before or (type(value) is type(before) and value == before)) or (
                        xp.cell_key(value) == xp.cell_key(before)  # 0.0 written as 0 and read back as int
                    ):
                        continue
                    target.setdefault(min_row + 1 + i, {})[min_col + j] = value
            by_header = layout.TABLE_NUMBER_FORMATS.get(table, {})
            headers = self._read[table].headers
            formats.setdefault(sheet, {}).update(
                {min_col + j: by_header[h] for j, h in enumerate(headers) if h in by_header}
            )
            self._resize(t, min_row + max(len(body), 1), parts, grow, sizes)
        for table, changed_rows in self._rowsets.items():
            sheet, (min_col, min_row, max_col, _) = self._bounds(table)
            target = cells.setdefault(sheet, {})
            for i, row in changed_rows.items():
                before = self._found[table][i]
                for j, (value, old_value) in enumerate(zip(row, before, strict=True)):
                    same = type(value) is type(old_value) and value == old_value
                    if not same and xp.cell_key(value) != xp.cell_key(old_value):
                        target.setdefault(min_row + 1 + i, {})[min_col + j] = value
            by_header = layout.TABLE_NUMBER_FORMATS.get(table, {})
            formats.setdefault(sheet, {}).update(
                {min_col + j: by_header[h] for j, h in enumerate(self._header(table)) if h in by_header}
            )
        for table, (start, rows) in self._tails.items():
            t = self._tables[table]
            min_col, min_row, max_col, _ = xp.parse_range(t.ref)
            sheet, width = t.sheet, max_col - min_col + 1
            target = cells.setdefault(sheet, {})
            end = start + len(rows)
            for i in range(start, max(end, self._lengths[table])):  # written whole; rows before start untouched
                row = rows[i - start] if i < end else [None] * width
                target[min_row + 1 + i] = {min_col + j: v for j, v in enumerate(row)}
            by_header = layout.TABLE_NUMBER_FORMATS.get(table, {})
            if by_header:
                raise xp.Unsupported("a tail of a table with number formats by header")
            self._resize(t, min_row + max(end, 1), parts, grow, sizes)
        for changes in self._pending:
            for name, value in changes.names.items():
                sheet, ref = self._cell(name)
                c, r, _, _ = xp.parse_range(ref)
                cells.setdefault(sheet, {}).setdefault(r, {})[c] = value
        for sheet in {*cells, *grow, *sizes}:
            part, rows = self._sheets[sheet].part, cells.get(sheet, {})
            if part in self._segments:
                writer = _Writer(styles, sheet, formats.get(sheet, {}))
                patched = self._patch_segments(part, rows, writer, grow.get(sheet, []), sizes.get(sheet))
                if patched is not None:
                    parts[part] = patched
                continue
            if rows:
                pieces = xp.patch_rows(self._part(part), rows, _Writer(styles, sheet, formats.get(sheet, {})))
            else:
                data, start, end = xp.split_sheet(self._part(part))
                pieces = [data[:start], memoryview(data)[start:end], data[end:]]
            head, tail = pieces[0], pieces[-1]
            for first, old_last, new_last in grow.get(sheet, []):
                tail = xp.follow_ranges(tail, first, old_last, new_last)
            if sheet in sizes:
                head = xp.set_dimension(head, *sizes[sheet])
            if rows or head != pieces[0] or tail != pieces[-1]:
                parts[part] = [head, *pieces[1:-1], tail]
        generated: dict[str, SheetContent] = {}
        for changes in self._pending:
            generated.update(changes.sheets)
        package = {p: self._part(p) for p in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml")}
        for sheet, content in generated.items():
            if sheet in self._sheets:
                if _rels_part(self._sheets[sheet].part) in self._members:
                    raise xp.Unsupported(f"sheet {sheet} has parts of its own")
                part, index = self._sheets[sheet].part, self._sheets[sheet].index
            else:
                part, index = _add_sheet(package, sheet, self._members | set(parts))
            parts[part] = xp.sheet_xml(
                content,
                styles,
                date_format=layout.DATE_FORMAT,
                datetime_format=layout.DATETIME_FORMAT,
                check=lambda ref, value, s=sheet: _check_text(f"{s}!{ref}", value),
            )
            package["xl/workbook.xml"] = _print_titles(package["xl/workbook.xml"], sheet, index)
        parts.update({p: data for p, data in package.items() if data is not self._parts[p]})
        if styles.changed:
            parts["xl/styles.xml"] = styles.xml()
        return parts, []

    def _patch_segments(
        self,
        part: str,
        rows: Mapping[int, Mapping[int, Any]],
        write: xp.CellWriter,
        grow: list[tuple[int, int, int]],
        size: tuple[int, int] | None,
    ) -> xp.Segments | None:
        """A seekable part with ``rows`` written: only the segments holding those rows are
        inflated and patched (a row past the end joins the last), the head when the dimension
        moves, the tail when ranges follow; every other segment is copied as it is packed."""
        segments = self._segments[part]
        items: list[xp.Segment | bytes] = list(segments)
        touched: dict[int, dict[int, Mapping[int, Any]]] = {}
        for r, cells in rows.items():
            touched.setdefault(self._segment_of(part, r), {})[r] = cells
        changed = False
        new_rows: dict[int, list[bytes]] = {}
        for i, group in touched.items():
            old = self._segment(part, i) if i else b""
            pieces = xp.patch_rows(b"<sheetData>" + old + b"</sheetData>", group, write)
            new_rows[i] = xp.split_rows(b"".join(pieces[1:-1]))
            changed = True
        head = self._segment(part, 0)
        new_head = xp.set_dimension(head, *size) if size else head
        if new_head != head:
            items[0], changed = new_head, True
        tail = self._segment(part, len(segments) - 1)
        new_tail = tail
        for first, old_last, new_last in grow:
            new_tail = xp.follow_ranges(new_tail, first, old_last, new_last)
        if new_tail != tail:
            items[-1], changed = new_tail, True
        if not changed:
            return None
        out: list[xp.Segment | bytes] = []
        for i, item in enumerate(items):
            if i == 0 and 0 in new_rows:  # a sheet that had no rows: they go after the head
                out += [item, *new_rows[0]]
            elif i in new_rows:
                out += new_rows[i]
            else:
                out.append(item)
        return xp.Segments(out)


def _check_text(where: str, value: Any) -> None:
    """Text a cell cannot hold is refused as openpyxl_book.write_value refuses it."""
    found = text_problem(value)
    if found is not None:
        code, params = found
        p = problem(code, where=where, label=where, attr=where, **params)
        raise WorkbookError(f"{p.zh}，未写入 — {p.en}; nothing written", code=code)


class _Writer:
    """Writes one table cell as ``openpyxl_book.write_value`` does, number formats included."""

    def __init__(self, styles: xp.Styles, sheet: str, formats: Mapping[int, str]) -> None:
        self.styles, self.sheet, self.formats = styles, sheet, formats

    def __call__(self, col: int, row: int, value: Any, style: int | None) -> str:
        ref = f"{xp.column_letter(col)}{row}"
        _check_text(f"{self.sheet}!{ref}", value)
        s = style or 0
        before = self.styles.number_format(s)
        if isinstance(value, Formula):
            pass
        elif isinstance(value, datetime):
            widen = before == "General" or (before == layout.DATE_FORMAT and value.time() != time(0))
            code = layout.DATETIME_FORMAT if widen else before
            if code != before:
                s = self.styles.with_format(s, code)
        elif isinstance(value, date) and before == "General":
            s = self.styles.with_format(s, layout.DATE_FORMAT)
        elif col in self.formats and isinstance(value, int | float | Decimal) and before == "General":
            s = self.styles.with_format(s, self.formats[col])
        return xp.cell_xml(ref, value, s)


def _print_titles(workbook: bytes, sheet: str, index: int) -> bytes:
    """workbook.xml with row 1 of ``sheet`` repeated on every printed page (a generated sheet)."""
    quoted = sheet.replace("'", "''")
    entry = f'<definedName name="_xlnm.Print_Titles" localSheetId="{index}">\'{quoted}\'!$1:$1</definedName>'.encode()
    pattern = re.compile(rb'<definedName name="_xlnm\.Print_Titles" localSheetId="%d"\s*>[^<]*</definedName>' % index)
    if pattern.search(workbook):
        return pattern.sub(lambda _: entry, workbook, count=1)
    if b"<definedNames>" in workbook:
        return workbook.replace(b"</definedNames>", entry + b"</definedNames>", 1)
    if b"<definedNames/>" in workbook:
        return workbook.replace(b"<definedNames/>", b"<definedNames>" + entry + b"</definedNames>", 1)
    m = re.search(rb"</sheets>", workbook)
    if m is None:
        raise xp.Unsupported("workbook.xml without sheets")
    return workbook[: m.end()] + b"<definedNames>" + entry + b"</definedNames>" + workbook[m.end() :]


def _add_sheet(package: dict[str, bytes], sheet: str, members: set[str]) -> tuple[str, int]:
    """A new empty sheet at the end of the workbook (as openpyxl's ``create_sheet`` puts it):
    its entry in workbook.xml, the workbook's relationships and the content types. Returns its
    part and its index."""
    workbook, rels, types = (
        package[p] for p in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml")
    )
    if b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"' not in workbook:
        raise xp.Unsupported("workbook.xml without the r: prefix")
    numbers = [int(m.group(1)) for p in members if (m := re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", p))]
    part = f"xl/worksheets/sheet{max(numbers, default=0) + 1}.xml"
    used = [int(x) for x in re.findall(rb'Id="rId(\d+)"', rels)]
    rid = f"rId{max(used, default=0) + 1}"
    sheet_id = max((int(x) for x in re.findall(rb'<sheet\b[^>]*?sheetId="(\d+)"', workbook)), default=0) + 1
    index = len(re.findall(rb"<sheet\b", workbook))
    entry = f'<sheet name={quoteattr(sheet)} sheetId="{sheet_id}" state="visible" r:id="{rid}"/>'.encode()
    if b"</sheets>" not in workbook or b"</Relationships>" not in rels or b"</Types>" not in types:
        raise xp.Unsupported("an unusual package")
    package["xl/workbook.xml"] = workbook.replace(b"</sheets>", entry + b"</sheets>", 1)
    target = part.removeprefix("xl/")
    rel = f'<Relationship Id="{rid}" Type="{WORKSHEET_REL}" Target="{target}"/>'.encode()
    package["xl/_rels/workbook.xml.rels"] = rels.replace(b"</Relationships>", rel + b"</Relationships>", 1)
    override = f'<Override PartName="/{part}" ContentType="{WORKSHEET_TYPE}"/>'.encode()
    package["[Content_Types].xml"] = types.replace(b"</Types>", override + b"</Types>", 1)
    return part, index
