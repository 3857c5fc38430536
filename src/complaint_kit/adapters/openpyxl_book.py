"""The Book port over ``.xlsx`` files with openpyxl.

Safety for workbooks that arrive by e-mail: openpyxl parses with defusedxml when it is installed
(it is a dependency), and :func:`check_untrusted_zip` refuses oversized files and zip bombs before
parsing. Saving is atomic (temp file in the same folder, then ``os.replace``) with rotating
backups for registers (rule S18).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.table import Table
from openpyxl.worksheet.worksheet import Worksheet

from .. import layout
from ..ports import Changes, Formula, SheetContent, TableData, drop_trailing_blank_rows

MAX_FILE_BYTES = 200 * 1024 * 1024
FINISHED_FILL = PatternFill("solid", fgColor=layout.FINISHED_RGB)
MAX_UNPACKED_BYTES = 2 * 1024 * 1024 * 1024
MAX_RATIO = 200  # unpacked / packed for any member: beyond this it is a bomb, not a workbook


class WorkbookError(Exception):
    """A file that is not a usable workbook of ours (I/O, wrong kind, unsafe)."""


def check_untrusted_zip(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise WorkbookError(f"{path.name}: 文件过大 file too large ({size} bytes)")
    try:
        with zipfile.ZipFile(path) as zf:
            total = 0
            for info in zf.infolist():
                total += info.file_size
                if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 10**7:
                    raise WorkbookError(f"{path.name}: 压缩比异常 suspicious compression in {info.filename}")
            if total > MAX_UNPACKED_BYTES:
                raise WorkbookError(f"{path.name}: 解压后过大 unpacks to {total} bytes")
    except zipfile.BadZipFile as exc:
        raise WorkbookError(f"{path.name}: 不是 Excel 工作簿 not an .xlsx workbook") from exc


def write_value(cell: Cell, value: Any) -> None:
    """One value into one openpyxl cell (in memory): text stays text, dates get a format."""
    if isinstance(value, Formula):
        cell.value = str(value)
        return
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # customer text is never a formula
    elif isinstance(value, datetime):
        if cell.number_format in ("General", layout.DATE_FORMAT):
            cell.number_format = layout.DATETIME_FORMAT
    elif isinstance(value, date) and cell.number_format == "General":
        cell.number_format = layout.DATE_FORMAT


class OpenpyxlBook:
    """A workbook file opened for reading and one bulk write."""

    def __init__(self, wb: Workbook, path: Path | None = None, *, backups: int = 0) -> None:
        self.wb = wb
        self.path = path
        self.backups = backups
        self._tables: dict[str, tuple[Worksheet, Table]] = {
            name: (ws, ws.tables[name]) for ws in wb.worksheets for name in list(ws.tables)
        }

    @classmethod
    def open(cls, path: str | Path, *, backups: int = 0) -> OpenpyxlBook:
        p = Path(path)
        if not p.exists():
            raise WorkbookError(f"找不到文件 file not found: {p}")
        check_untrusted_zip(p)
        try:
            wb = openpyxl.load_workbook(p)
        except Exception as exc:  # openpyxl raises many kinds for broken files
            raise WorkbookError(f"{p.name}: 无法读取工作簿 cannot read workbook ({exc})") from exc
        return cls(wb, p, backups=backups)

    @property
    def label(self) -> str:
        return self.path.name if self.path else "workbook"

    # -- reading ----------------------------------------------------------------------------
    def _destination(self, name: str) -> tuple[Worksheet, str]:
        dn = self.wb.defined_names.get(name)
        if dn is None:
            raise KeyError(f"{self.label}: 缺少定义名称 missing defined name {name}")
        sheet, ref = next(iter(dn.destinations))
        return self.wb[sheet], ref.replace("$", "")

    def _cells(self, name: str) -> list[Cell]:
        ws, ref = self._destination(name)
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        return [ws.cell(r, c) for r in range(min_row, max_row + 1) for c in range(min_col, max_col + 1)]

    def _merged_cells(self, name: str) -> list[Cell]:
        """The named cell and, for a long text field, the rest of its merged area."""
        ws, ref = self._destination(name)
        top_left = ref.split(":")[0]
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
            out[name] = ws[ref.split(":")[0]].value
        return out

    def _table(self, table: str) -> tuple[Worksheet, Table]:
        try:
            return self._tables[table]
        except KeyError:
            raise KeyError(f"{self.label}: 缺少表格 missing table {table}") from None

    def read_table(self, table: str) -> TableData:
        ws, tbl = self._table(table)
        min_col, min_row, max_col, max_row = range_boundaries(tbl.ref)
        rows = [
            list(r)
            for r in ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col, values_only=True)
        ]
        headers = tuple(str(h) for h in rows[0])
        return TableData(headers, drop_trailing_blank_rows(rows[1:]))

    def locate_name(self, name: str) -> str:
        ws, ref = self._destination(name)
        return f"{ws.title}!{ref.split(':')[0]}"

    def locate_table_cell(self, table: str, row: int, header: str) -> str:
        ws, tbl = self._table(table)
        min_col, min_row, max_col, _ = range_boundaries(tbl.ref)
        headers = [str(ws.cell(min_row, c).value) for c in range(min_col, max_col + 1)]  # the header row only
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
            write_value(ws[ref.split(":")[0]], value)
        for table, rows in changes.tables.items():
            self._write_table(table, rows)
        for sheet, content in changes.sheets.items():
            self._write_sheet(sheet, content)
        for name in changes.lock:  # a finished section: read-only, and visibly so
            for cell in self._merged_cells(name):
                cell.protection = Protection(locked=True)
                cell.fill = FINISHED_FILL

    def _write_table(self, table: str, rows: list[list[Any]]) -> None:
        ws, tbl = self._table(table)
        min_col, min_row, max_col, max_row = range_boundaries(tbl.ref)
        width = max_col - min_col + 1
        for i, row in enumerate(rows):
            if len(row) != width:
                raise ValueError(f"{table}: row {i} has {len(row)} values, the table has {width} columns")
            for j, value in enumerate(row):
                write_value(ws.cell(min_row + 1 + i, min_col + j), value)
        last = min_row + max(len(rows), 1)
        for r in range(min_row + 1 + len(rows), max_row + 1):  # the table shrank: clear the rest
            for c in range(min_col, max_col + 1):
                ws.cell(r, c).value = None
        tbl.ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{last}"
        if tbl.autoFilter is not None:
            tbl.autoFilter.ref = tbl.ref

    def _write_sheet(self, sheet: str, content: SheetContent) -> None:
        if sheet in self.wb.sheetnames:
            index = self.wb.sheetnames.index(sheet)
            del self.wb[sheet]
            ws = self.wb.create_sheet(sheet, index)
        else:
            ws = self.wb.create_sheet(sheet)
        ws.append([content.title])
        ws["A1"].font = Font(bold=True, size=14)
        for i, row in enumerate(content.rows):
            ws.append(row)
            for j, value in enumerate(row):
                cell = ws.cell(i + 2, j + 1)
                write_value(cell, value)
                if j in content.formats:
                    cell.number_format = content.formats[j]
                if i in content.bold_rows:
                    cell.font = Font(bold=True)
                # a heading alone on its row spills over the empty cells beside it; table text wraps
                wrap = len(row) > 1 and isinstance(value, str) and len(value) > 20
                cell.alignment = Alignment(vertical="top", wrap_text=wrap)
        for j, w in enumerate(content.widths):
            ws.column_dimensions[get_column_letter(j + 1)].width = w
        ws.freeze_panes = "A2"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = "1:1"

    # -- saving -----------------------------------------------------------------------------
    def prepare(self, path: Path | None = None) -> Path:
        """Write to a temp file beside the target; :meth:`commit` moves it in place."""
        target = Path(path or self.path or "")
        if not target.name:
            raise ValueError("no path to save to")
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp.xlsx", dir=target.parent)
        os.close(fd)
        try:
            self.wb.save(tmp)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._pending = (Path(tmp), target)
        return Path(tmp)

    def commit(self) -> Path:
        tmp, target = self._pending
        if self.backups and target.exists():
            _rotate_backup(target, self.backups)
        os.replace(tmp, target)
        self.path = target
        del self._pending
        return target

    def discard(self) -> None:
        pending = getattr(self, "_pending", None)
        if pending:
            pending[0].unlink(missing_ok=True)
            del self._pending

    def save(self, path: Path | None = None) -> Path:
        self.prepare(path)
        return self.commit()


def save_all(books: Iterable[tuple[OpenpyxlBook, Path | None]]) -> list[Path]:
    """Save several workbooks so that either all are replaced or none is: every file is
    written to a temp file first, and only when all writes succeeded are they moved in."""
    staged: list[OpenpyxlBook] = []
    try:
        for book, path in books:
            book.prepare(path)
            staged.append(book)
    except BaseException:
        for book in staged:
            book.discard()
        raise
    return [book.commit() for book in staged]


def _rotate_backup(target: Path, keep: int) -> None:
    folder = target.parent / "备份"
    folder.mkdir(exist_ok=True)
    stamp = datetime.fromtimestamp(target.stat().st_mtime).strftime("%Y%m%d-%H%M%S-%f")
    shutil.copy2(target, folder / f"{target.stem}.{stamp}{target.suffix}")
    old = sorted(folder.glob(f"{target.stem}.*{target.suffix}"))
    for extra in old[:-keep]:
        extra.unlink(missing_ok=True)
