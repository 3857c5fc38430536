"""The Book port over ``.xlsx`` files with openpyxl.

Safety for workbooks that arrive by e-mail: :func:`guard.check_workbook_file` recognises what the
file is and holds it to a size budget before openpyxl parses anything; openpyxl parses with
defusedxml (a dependency); every defined name must point at one cell on the sheet the template
puts it on (:meth:`OpenpyxlBook.check_names`), and a table is read only as far as the sheet has
cells. Every failure of the file layer is a :class:`WorkbookError` with a Chinese + English
message. Saving is atomic (temp file in the same folder, then ``os.replace``) with rotating
backups for registers (rule S18).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.table import Table
from openpyxl.worksheet.worksheet import Worksheet

from .. import layout
from ..domain.problems import Problem, problem
from ..domain.values import shown as _short
from ..domain.values import text_problem
from ..ports import Changes, Formula, SheetContent, TableData, drop_trailing_blank_rows, whole_bodies
from ..store.files import replace, sha256_of, write_temp
from ..store.txn import Staged, install
from .dashboard import ensure_dashboard
from .guard import (
    FORM_BUDGET,
    MAX_TABLE_COLUMNS,
    MAX_TABLE_ROWS,
    REGISTER_BUDGET,
    Budget,
    WorkbookError,
    check_form_version,
    check_workbook_file,
    form_name_sheets,
    required_form_names,
    table_headers,
    table_problems,
)
from .textfit import wide_row_height

__all__ = ["OpenpyxlBook", "WorkbookError", "open_checked", "save_all", "write_value"]

FINISHED_FILL = PatternFill("solid", fgColor=layout.FINISHED_RGB)


class BadName(KeyError):
    """A defined name that does not point at one cell of the workbook (``#REF!``, a constant,
    a range, a whole column, a missing sheet). Never resolved to a guess such as A1."""

    def __init__(self, name: str, target: str) -> None:
        self.name = name
        self.problem = problem("E-BAD-NAME", name=name, target=target)
        super().__init__(f"{self.problem.zh} — {self.problem.en}")

    def __str__(self) -> str:
        return str(self.args[0])


def write_value(cell: Cell, value: Any) -> None:
    """One value into one openpyxl cell (in memory): text stays text, dates get a format."""
    if isinstance(value, Formula):
        cell.value = str(value)
        return
    found = text_problem(value)
    if found is not None:  # openpyxl would cut it or fail: never silently
        code, params = found
        where = f"{cell.parent.title}!{cell.coordinate}"
        p = problem(code, where=where, label=where, attr=where, **params)
        raise WorkbookError(f"{p.zh}，未写入 — {p.en}; nothing written", code=code)
    # the cell's own format before assigning: openpyxl gives a datetime in a General cell the
    # 19-character "yyyy-mm-dd h:mm:ss", which prints as ### in a 16-17 wide column
    before = cell.number_format
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # customer text is never a formula
    elif isinstance(value, datetime):
        # a date cell keeps its date format for a midnight value (a date read back from Excel)
        widen = before == "General" or (before == layout.DATE_FORMAT and value.time() != time(0))
        cell.number_format = layout.DATETIME_FORMAT if widen else before
    elif isinstance(value, date) and before == "General":
        cell.number_format = layout.DATE_FORMAT


class OpenpyxlBook:
    """A workbook file opened for reading and one bulk write."""

    def __init__(self, wb: Workbook, path: Path | None = None, *, backups: int = 0) -> None:
        self.wb = wb
        self.path = path
        self.name: str | None = None  # shown instead of the file's name (an attachment of a mail)
        self.backups = backups
        self._resolved: dict[str, tuple[Worksheet, str]] = {}
        self._tables: dict[str, tuple[Worksheet, Table]] = {
            name: (ws, ws.tables[name]) for ws in wb.worksheets for name in list(ws.tables)
        }

    @classmethod
    def open(cls, path: str | Path, *, backups: int = 0, budget: Budget = REGISTER_BUDGET) -> OpenpyxlBook:
        """Open a workbook file held to ``budget`` (a form's is smaller than a register's)."""
        p = Path(path)
        check_workbook_file(p, budget)
        try:
            wb = openpyxl.load_workbook(p)
            return cls(wb, p, backups=backups)
        except MemoryError:
            raise WorkbookError.of("E-MEMORY", file=p.name) from None
        except (RecursionError, Exception) as exc:  # openpyxl raises many kinds for broken files
            reason = _short(f"{type(exc).__name__}: {exc}")
            raise WorkbookError.of("E-DAMAGED", file=p.name, reason=reason) from exc

    @property
    def label(self) -> str:
        return self.name or (self.path.name if self.path else "workbook")

    # -- reading ----------------------------------------------------------------------------
    def _destination(self, name: str) -> tuple[Worksheet, str]:
        """The sheet and the one cell (``"B5"``) a defined name points at. A name may span a
        merged area (a long text field), which means its top-left cell; anything else that is
        not exactly one cell raises :class:`BadName`."""
        if name in self._resolved:
            return self._resolved[name]
        dn = self.wb.defined_names.get(name)
        if dn is None:
            raise KeyError(f"{self.label}: 缺少定义名称 missing defined name {name}")
        try:
            destinations = list(dn.destinations)
        except Exception:  # openpyxl's parser fails on some malformed references
            destinations = []
        if len(destinations) != 1:
            raise BadName(name, _short(dn.attr_text))
        sheet, ref = destinations[0]
        if sheet not in self.wb.sheetnames:
            raise BadName(name, _short(dn.attr_text))  # a sheet that does not exist
        ws = self.wb[sheet]
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
        except (ValueError, TypeError):
            min_col = min_row = max_col = max_row = None
        if None in (min_col, min_row, max_col, max_row):
            raise BadName(name, _short(ref) or "#REF!")
        top_left = f"{get_column_letter(min_col)}{min_row}"
        if (min_col, min_row) != (max_col, max_row) and not any(
            (m.min_col, m.min_row, m.max_col, m.max_row) == (min_col, min_row, max_col, max_row)
            for m in ws.merged_cells.ranges
        ):
            raise BadName(name, _short(ref))
        self._resolved[name] = (ws, top_left)
        return ws, top_left

    def check_names(self, expected: Mapping[str, str], *, required: Iterable[str] = ()) -> list[Problem]:
        """One problem per defined name that is missing (when required), does not point at one
        cell, or points at another sheet than ``expected[name]`` — before anything is read."""
        problems: list[Problem] = []
        needed = set(required)
        for name, sheet in expected.items():
            if not self.has_name(name):
                if name in needed:
                    problems.append(problem("E-MISSING-NAME", where=self.label, name=name))
                continue
            try:
                ws, cell = self._destination(name)
            except BadName as exc:
                problems.append(exc.problem.at(self.label))
                continue
            if ws.title != sheet:
                self._resolved.pop(name, None)
                where = f"{self.label} {_short(ws.title)}!{cell}"
                problems.append(
                    problem("E-NAME-WRONG-SHEET", where=where, name=name, found=_short(ws.title), sheet=sheet)
                )
        return problems

    def check_tables(self, expected: Mapping[str, Sequence[str]], *, required: Iterable[str] = ()) -> list[Problem]:
        """One problem per table that is missing (when required), whose range is broken, or whose
        header row lacks a column the kit reads or writes (``layout.REGISTER_TABLE`` may have
        extra columns; other tables are rewritten whole, so their headers must match exactly)."""

        def header_of(table: str) -> tuple[list[str], str]:
            ws, _, (min_col, min_row, max_col, _) = self._table_bounds(table)
            found = [str(ws.cell(min_row, c).value) for c in range(min_col, max_col + 1)]
            return found, f"{self.label} {ws.title}!{get_column_letter(min_col)}{min_row}"

        return table_problems(self.label, self._tables, expected, required, header_of)

    def _cells(self, name: str) -> list[Cell]:
        ws, ref = self._destination(name)
        return [ws[ref]]

    def _merged_cells(self, name: str) -> list[Cell]:
        """The named cell and, for a long text field, the rest of its merged area."""
        ws, top_left = self._destination(name)
        for merged in ws.merged_cells.ranges:
            if top_left in merged:
                return [
                    ws.cell(r, c)
                    for r in range(merged.min_row, merged.max_row + 1)
                    for c in range(merged.min_col, merged.max_col + 1)
                ]
        return self._cells(name)

    def has_name(self, name: str) -> bool:
        return name in self.wb.defined_names

    def read_names(self, names: Sequence[str]) -> dict[str, Any]:
        out = {}
        for name in names:
            ws, ref = self._destination(name)
            out[name] = ws[ref].value
        return out

    def _table(self, table: str) -> tuple[Worksheet, Table]:
        try:
            return self._tables[table]
        except KeyError:
            raise KeyError(f"{self.label}: 缺少表格 missing table {table}") from None

    def _table_bounds(self, table: str) -> tuple[Worksheet, Table, tuple[int, int, int, int]]:
        """The table's range, refused when it is not a range or absurdly wide or long; its last
        row is clamped to the sheet's last cell (a ref reaching row 1,048,576 reads no further)."""
        ws, tbl = self._table(table)
        try:
            min_col, min_row, max_col, max_row = range_boundaries(str(tbl.ref))
        except (ValueError, TypeError):
            min_col = None
        if min_col is None or None in (min_row, max_col, max_row):
            raise WorkbookError.of("E-TABLE-RANGE", file=self.label, table=table, ref=_short(tbl.ref))
        assert min_row is not None and max_col is not None and max_row is not None
        if max_col - min_col + 1 > MAX_TABLE_COLUMNS:
            raise WorkbookError.of("E-TABLE-TOO-WIDE", file=self.label, table=table, columns=max_col - min_col + 1)
        max_row = max(min_row, min(max_row, ws.max_row))
        if max_row - min_row > MAX_TABLE_ROWS:
            raise WorkbookError.of(
                "E-TABLE-TOO-LONG", file=self.label, table=table, rows=max_row - min_row, limit=MAX_TABLE_ROWS
            )
        return ws, tbl, (min_col, min_row, max_col, max_row)

    def read_table(self, table: str) -> TableData:
        ws, _, (min_col, min_row, max_col, max_row) = self._table_bounds(table)
        rows = [
            list(r)
            for r in ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col, values_only=True)
        ]
        headers = tuple(str(h) for h in rows[0])
        return TableData(headers, drop_trailing_blank_rows(rows[1:]))

    def locate_name(self, name: str) -> str:
        ws, ref = self._destination(name)
        return f"{ws.title}!{ref}"

    def locate_table_cell(self, table: str, row: int, header: str) -> str:
        ws, _, (min_col, min_row, max_col, _) = self._table_bounds(table)
        headers = [str(ws.cell(min_row, c).value) for c in range(min_col, max_col + 1)]  # the header row only
        if header not in headers:  # a damaged header row: still say where, by table and row
            return f"{ws.title}!{table}[{_short(header)}] 第 {row + 1} 行 row {row + 1}"
        col = min_col + headers.index(header)
        return f"{ws.title}!{get_column_letter(col)}{min_row + 1 + row}"

    def locked_names(self, names: Sequence[str]) -> set[str]:
        return {n for n in names if self.has_name(n) and self._cells(n)[0].protection.locked}

    # -- writing ----------------------------------------------------------------------------
    def apply(self, changes: Changes) -> None:
        missing = [n for n in changes.names if not self.has_name(n)]
        if missing:
            raise KeyError(f"{self.label}: 缺少定义名称 missing defined names {missing}")
        for name, value in changes.names.items():
            ws, ref = self._destination(name)
            write_value(ws[ref], value)
        for table, rows in whole_bodies(self, changes.tables).items():
            self._write_table(table, rows)
        for sheet, content in changes.sheets.items():
            self._write_sheet(sheet, content)
        for name in changes.lock:  # a finished section: read-only, and visibly so
            for cell in self._merged_cells(name):
                cell.protection = Protection(locked=True)
                cell.fill = FINISHED_FILL

    def _write_table(self, table: str, rows: list[list[Any]]) -> None:
        ws, tbl, (min_col, min_row, max_col, max_row) = self._table_bounds(table)
        declared = range_boundaries(str(tbl.ref))[3]  # before clamping to the sheet's last cell
        width = max_col - min_col + 1
        by_header = layout.TABLE_NUMBER_FORMATS.get(table, {})  # money with separators, hours 0.00
        headers = [str(ws.cell(min_row, c).value) for c in range(min_col, max_col + 1)]
        formats = {j: by_header[h] for j, h in enumerate(headers) if h in by_header}
        for i, row in enumerate(rows):
            if len(row) != width:
                raise WorkbookError.of(
                    "E-TABLE-WIDTH", file=self.label, table=table, width=width, row=i, values=len(row)
                )
            for j, value in enumerate(row):
                cell = ws.cell(min_row + 1 + i, min_col + j)
                write_value(cell, value)
                if j in formats and isinstance(value, int | float | Decimal) and cell.number_format == "General":
                    cell.number_format = formats[j]
        last = min_row + max(len(rows), 1)
        for r in range(min_row + 1 + len(rows), max_row + 1):  # the table shrank: clear the rest
            for c in range(min_col, max_col + 1):
                ws.cell(r, c).value = None
        tbl.ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{last}"
        if tbl.autoFilter is not None:
            tbl.autoFilter.ref = tbl.ref
        _follow_table(ws, min_row + 1, declared, last)

    def _write_sheet(self, sheet: str, content: SheetContent) -> None:
        if sheet in self.wb.sheetnames:
            index = self.wb.sheetnames.index(sheet)
            del self.wb[sheet]
            ws = self.wb.create_sheet(sheet, index)
        else:
            ws = self.wb.create_sheet(sheet)
        ws.append([content.title])
        ws["A1"].font = Font(name=content.font, bold=True, size=14)
        bold = Font(name=content.font, bold=True)
        top, top_wrap = Alignment(vertical="top"), Alignment(vertical="top", wrap_text=True)
        plain = Font(name=content.font) if content.font else None
        for i, row in enumerate(content.rows):
            for j, value in enumerate(row):  # each cell written once, styles shared
                cell = ws.cell(i + 2, j + 1)
                write_value(cell, value)
                if j in content.formats:
                    cell.number_format = content.formats[j]
                if i in content.bold_rows:
                    cell.font = bold
                elif plain is not None:
                    cell.font = plain
                # a heading alone on its row spills over the empty cells beside it; table text wraps
                wrap = len(row) > 1 and isinstance(value, str) and len(value) > 20
                cell.alignment = top_wrap if wrap else top
        _paper_blocks(ws, content, first_row=2)
        for j, w in enumerate(content.widths):
            ws.column_dimensions[get_column_letter(j + 1)].width = w
        ws.freeze_panes = "A2"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if content.landscape else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = "1:1"

    # -- saving -----------------------------------------------------------------------------
    def stage(self, path: Path | None = None) -> Staged:
        """Write the workbook to a durable temp file beside its target (mode and owner of the
        old file kept); :func:`complaint_kit.store.txn.commit` or :meth:`save` moves it in."""
        target = Path(path or self.path or "")
        if not target.name:
            raise ValueError("no path to save to")
        ensure_dashboard(self.wb)  # 概览 rebuilt only if it lost its charts (issue 8; adapters/dashboard.py)
        tmp = write_temp(target, lambda p: self.wb.save(p))
        return Staged(tmp, target, sha256_of(tmp), self.backups)

    def save(self, path: Path | None = None) -> Path:
        """Save one workbook on its own: durable temp file, then an atomic replace."""
        self.path = install(self.stage(path))
        return self.path


def _follow_table(ws: Worksheet, first_body_row: int, old_last: int, new_last: int) -> None:
    """Conditional formats and drop-downs over the table's body grow with it (the same rule as
    the patch engine's, :func:`.xlsx_patch.follow_sqref`)."""
    if new_last <= old_last:
        return
    from openpyxl.formatting.formatting import ConditionalFormattingList
    from openpyxl.worksheet.cell_range import MultiCellRange

    from .xlsx_patch import follow_sqref

    rules = ConditionalFormattingList()
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            rules.add(follow_sqref(str(cf.sqref), first_body_row, old_last, new_last), rule)
    ws.conditional_formatting = rules
    for dv in ws.data_validations.dataValidation:
        dv.sqref = MultiCellRange(follow_sqref(str(dv.sqref), first_body_row, old_last, new_last))


_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _paper_blocks(ws: Worksheet, content: SheetContent, *, first_row: int) -> None:
    """A generated sheet's boxes and its rows of one text across them (:class:`SheetContent`);
    ``rows[0]`` is on sheet row ``first_row``. Every cell of a box is bordered, empty ones too, so
    a block prints as one closed grid."""
    width = content.columns
    for first, last in content.boxes:
        for r in range(first_row + first, first_row + last + 1):
            for c in range(1, width + 1):
                ws.cell(r, c).border = _BOX
    wide = Alignment(vertical="top", wrap_text=True)
    for i, height in content.wide_rows.items():
        r = first_row + i
        if width > 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        ws.cell(r, 1).alignment = wide
        text = content.rows[i][0] if content.rows[i] else ""
        ws.row_dimensions[r].height = height or wide_row_height(str(text or ""), content.widths, width)


def register_engine(engine: str | None = None) -> str:
    """How a register file is written: ``patch`` (read with python-calamine, only the changed
    rows patched into the package; :mod:`.register_file`) or ``openpyxl`` (load and save the whole
    workbook). ``COMPLAINT_KIT_ENGINE=openpyxl`` chooses the second for every command."""
    chosen = engine or os.environ.get("COMPLAINT_KIT_ENGINE", "").strip().lower() or "patch"
    return "openpyxl" if chosen == "openpyxl" else "patch"


def open_checked(path: str | Path, *, kind: str, backups: int = 0, engine: str | None = None) -> Any:
    """A ``"form"``, ``"register"`` or ``"service"`` file, checked before any value is read (issue 6): what the
    file is and its budget (:mod:`.guard`), that it is ours (a form's ``FormVersion`` name, a
    register's table), a form's version and that each defined name points at one cell on its
    template sheet, and that every table keeps its headers. Each broken name or table is one
    problem on the :class:`WorkbookError`. The CLI and the add-in open files through this."""
    p = Path(path)
    book: Any
    if kind in ("register", "service") and register_engine(engine) == "patch":
        from .register_file import RegisterFile
        from .xlsx_patch import Unsupported

        try:
            book = RegisterFile.open(p, backups=backups)
            if layout.REGISTER_TABLE in book._tables or layout.CALLS_TABLE in book._tables:
                expected, required = table_headers(kind)  # every header row read: a sheet calamine refuses shows here
                book.check_tables(expected, required=required)
        except Unsupported:
            book = OpenpyxlBook.open(p, backups=backups)  # openpyxl's checks decide (defusedxml, budgets)
    else:
        book = OpenpyxlBook.open(p, backups=backups, budget=FORM_BUDGET if kind == "form" else REGISTER_BUDGET)
    if kind == "form":
        if not book.has_name(layout.META_VERSION):
            raise WorkbookError.of("E-NOT-FORM", file=p.name, name=layout.META_VERSION)
        bad = book.check_names(form_name_sheets(), required=required_form_names())
        if bad:
            raise WorkbookError.of("E-BAD-NAMES", file=p.name, problems=bad, count=len(bad))
        check_form_version(p.name, book.read_names([layout.META_VERSION])[layout.META_VERSION])
    elif kind == "service":
        if layout.CALLS_TABLE not in book._tables:
            raise WorkbookError.of("E-NOT-SERVICE", file=p.name, table=layout.CALLS_TABLE, sheet=layout.CALLS_SHEET)
    elif layout.REGISTER_TABLE not in book._tables:
        raise WorkbookError.of("E-NOT-REGISTER", file=p.name, table=layout.REGISTER_TABLE)
    expected, required = table_headers(kind)
    bad = book.check_tables(expected, required=required)
    if bad:
        raise WorkbookError.of("E-BAD-TABLES", file=p.name, problems=bad, count=len(bad))
    return book


def open_forms_beside(
    register: Path,
    folder: Path | None = None,
    *,
    each: Callable[[list[Path]], Iterable[Path]] = iter,
) -> tuple[list[OpenpyxlBook], list[tuple[Path, WorkbookError]]]:
    """The complaint forms in ``folder`` (default: beside the register and in its 表单/ folder), for
    ``verify``; files that cannot be read come back with their error, other workbooks are skipped.
    ``each`` wraps the list of files (a progress bar)."""
    folders = [folder] if folder else [register.parent, register.parent / layout.FORMS_DIR]
    paths = [
        path
        for where in folders
        for path in (sorted(where.glob("*.xlsx")) if where.is_dir() else [])
        if not path.name.startswith(("~$", ".")) and path.resolve() != register.resolve()
    ]
    books: list[OpenpyxlBook] = []
    unreadable: list[tuple[Path, WorkbookError]] = []
    for path in each(paths):
        try:
            book = OpenpyxlBook.open(path)
        except WorkbookError as exc:
            unreadable.append((path, exc))
            continue
        if book.has_name(layout.META_VERSION):
            books.append(book)
    return books, unreadable


def save_all(books: Iterable[tuple[OpenpyxlBook, Path | None]]) -> list[Path]:
    """Save several new workbooks (the demo's office): every file is staged first, and only
    when all writes succeeded are they moved in. Registers in use go through
    :func:`complaint_kit.store.session.register_session` instead (lock and commit record)."""
    staged: list[Staged] = []
    try:
        for book, path in books:
            staged.append(book.stage(path))
    except BaseException:
        for s in staged:
            s.discard()
        raise
    for s in staged:
        replace(s.tmp, s.target)
    return [s.target for s in staged]
