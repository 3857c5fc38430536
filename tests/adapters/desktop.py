"""A stand-in for desktop Excel behind xlwings, for the desktop-only paths of the live adapter
(sheet protection, ``Range.Locked``, column widths) that xlwings' remote engine cannot run.

It is a fake of the few xlwings calls :class:`~complaint_kit.adapters.xlwings_book.XlwingsBook`
makes — book, names, sheets, tables, ranges and their ``.api`` — over an openpyxl workbook loaded
from a real template (so names, tables, merged areas, locked cells and protected sheets are the
template's own). It keeps Excel's one rule that matters here: **a protected sheet refuses any change
to a locked cell** (values, clearing, ``Locked``, colour) and any table resize, raising
:class:`ProtectedSheetError` like the COM error Excel raises. The sheet's ``.api`` speaks the
Windows (COM: ``ProtectContents``, ``Unprotect()``, ``Protect(...)``) or the macOS (AppleScript:
``protect_contents.get()``, ``unprotect()``, ``protect_worksheet()``) dialect, and counts the calls.

Values are stored as written, except what Excel does to text: a leading apostrophe makes the rest
literal text, and a text starting with ``=`` becomes a formula. A value written into a merged area
other than at its top-left cell is refused, as Excel refuses it. Nothing else of Excel is modelled.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import PatternFill, Protection
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.worksheet import Worksheet


class ProtectedSheetError(Exception):
    """What Excel raises when a protected sheet is changed (COM error 0x800A03EC)."""


class DesktopExcel:
    """One workbook open in desktop Excel (``windows`` picks the dialect of ``sheet.api``)."""

    def __init__(self, path: Path, *, windows: bool) -> None:
        self.wb = openpyxl.load_workbook(path)
        self.windows = windows
        self.book = FakeBook(self, path.name)
        self.calls: list[tuple[str, str]] = []  # (sheet, "unprotect" | "protect"), in order

    def protected(self, sheet: str) -> bool:
        return bool(self.wb[sheet].protection.sheet)


class _Engine:
    type = "desktop"


class _App:
    engine = _Engine()


class FakeBook:
    app = _App()

    def __init__(self, excel: DesktopExcel, name: str) -> None:
        self.excel = excel
        self.name = name
        self.sheets = FakeSheets(excel)

    @property
    def names(self) -> list[FakeName]:
        return [FakeName(self.excel, name, dn.attr_text) for name, dn in self.excel.wb.defined_names.items()]


class FakeName:
    def __init__(self, excel: DesktopExcel, name: str, refers_to: str) -> None:
        self.excel, self.name, self.refers_to = excel, name, refers_to

    @property
    def refers_to_range(self) -> FakeRange:
        sheet, _, ref = self.refers_to.rpartition("!")
        c0, r0, c1, r1 = range_boundaries(ref.replace("$", ""))
        return FakeRange(FakeSheet(self.excel, sheet.strip("'")), r0, c0, r1, c1)


class FakeSheets:
    def __init__(self, excel: DesktopExcel) -> None:
        self.excel = excel

    def _all(self) -> list[FakeSheet]:
        return [FakeSheet(self.excel, ws.title) for ws in self.excel.wb.worksheets]

    def __iter__(self):
        return iter(self._all())

    def __len__(self) -> int:
        return len(self.excel.wb.worksheets)

    def __getitem__(self, key: int | str) -> FakeSheet:
        return self._all()[key] if isinstance(key, int) else FakeSheet(self.excel, self.excel.wb[key].title)

    def add(self, name: str, after: FakeSheet) -> FakeSheet:
        self.excel.wb.create_sheet(name, self.excel.wb.sheetnames.index(after.name) + 1)
        return FakeSheet(self.excel, name)


class FakeSheet:
    def __init__(self, excel: DesktopExcel, name: str) -> None:
        self.excel, self.name = excel, name
        self.api = _WindowsSheetApi(self) if excel.windows else _MacSheetApi(self)

    @property
    def ws(self) -> Worksheet:
        return self.excel.wb[self.name]

    @property
    def tables(self) -> list[FakeTable]:
        return [FakeTable(self, name) for name in self.ws.tables]

    def range(self, first: str | tuple[int, int], last: tuple[int, int] | None = None) -> FakeRange:
        if isinstance(first, str):
            c0, r0, c1, r1 = range_boundaries(first)
            return FakeRange(self, r0, c0, r1, c1)
        r1, c1 = last if last is not None else first
        return FakeRange(self, first[0], first[1], r1, c1)

    def delete(self) -> None:
        del self.excel.wb[self.name]

    def _set_protection(self, on: bool) -> None:
        self.excel.calls.append((self.name, "protect" if on else "unprotect"))
        self.ws.protection.sheet = on


class _WindowsSheetApi:
    """COM: ``Worksheet.ProtectContents``, ``Unprotect()``, ``Protect(...)``."""

    def __init__(self, sheet: FakeSheet) -> None:
        self._sheet = sheet

    @property
    def ProtectContents(self) -> bool:
        return bool(self._sheet.ws.protection.sheet)

    def Unprotect(self) -> None:
        self._sheet._set_protection(False)

    def Protect(self, **options: bool) -> None:
        self._sheet._set_protection(True)


class _Property:
    def __init__(self, value: Any) -> None:
        self.value = value

    def get(self) -> Any:
        return self.value


class _MacSheetApi:
    """AppleScript (appscript): ``protect_contents.get()``, ``unprotect()``, ``protect_worksheet()``."""

    def __init__(self, sheet: FakeSheet) -> None:
        self._sheet = sheet

    @property
    def protect_contents(self) -> _Property:
        return _Property(bool(self._sheet.ws.protection.sheet))

    def unprotect(self) -> None:
        self._sheet._set_protection(False)

    def protect_worksheet(self) -> None:
        self._sheet._set_protection(True)


class FakeTable:
    def __init__(self, sheet: FakeSheet, name: str) -> None:
        self.sheet, self.name = sheet, name

    def _bounds(self) -> tuple[int, int, int, int]:
        c0, r0, c1, r1 = range_boundaries(self.sheet.ws.tables[self.name].ref)
        return r0, c0, r1, c1

    @property
    def range(self) -> FakeRange:
        return FakeRange(self.sheet, *self._bounds())

    @property
    def header_row_range(self) -> FakeRange:
        r0, c0, _, c1 = self._bounds()
        return FakeRange(self.sheet, r0, c0, r0, c1)

    @property
    def data_body_range(self) -> FakeRange | None:
        r0, c0, r1, c1 = self._bounds()
        return FakeRange(self.sheet, r0 + 1, c0, r1, c1) if r1 > r0 else None

    def resize(self, rng: FakeRange) -> None:
        if self.sheet.ws.protection.sheet:
            raise ProtectedSheetError(f"{self.sheet.name}: a table on a protected sheet cannot be resized")
        table = self.sheet.ws.tables[self.name]
        table.ref = rng.address.replace("$", "")
        if table.autoFilter is not None:
            table.autoFilter.ref = table.ref


class _RangeApi:
    """``Range.api``: the one COM property the adapter uses, ``Locked``."""

    def __init__(self, rng: FakeRange) -> None:
        self._rng = rng

    @property
    def Locked(self) -> bool | None:
        states = {bool(c.protection.locked) for c in self._rng.cells()}
        return states.pop() if len(states) == 1 else None  # Excel: None when mixed

    @Locked.setter
    def Locked(self, value: bool) -> None:
        self._rng.refuse_if_protected("Locked")
        for cell in self._rng.cells():
            cell.protection = Protection(locked=bool(value), hidden=cell.protection.hidden)


class FakeRange:
    def __init__(self, sheet: FakeSheet, r0: int, c0: int, r1: int, c1: int) -> None:
        self.sheet, self.row, self.column, self.last_row, self.last_column = sheet, r0, c0, r1, c1
        self.api = _RangeApi(self)
        self._ndim: int | None = None

    # -- geometry --------------------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, int]:
        return self.last_row - self.row + 1, self.last_column - self.column + 1

    @property
    def count(self) -> int:
        rows, cols = self.shape
        return rows * cols

    @property
    def address(self) -> str:
        first = f"${get_column_letter(self.column)}${self.row}"
        last = f"${get_column_letter(self.last_column)}${self.last_row}"
        return first if self.count == 1 else f"{first}:{last}"

    def resize(self, rows: int, cols: int) -> FakeRange:
        return FakeRange(self.sheet, self.row, self.column, self.row + rows - 1, self.column + cols - 1)

    def _merged(self) -> tuple[int, int, int, int] | None:
        for merged in self.sheet.ws.merged_cells.ranges:
            if merged.min_row <= self.row <= merged.max_row and merged.min_col <= self.column <= merged.max_col:
                return merged.min_row, merged.min_col, merged.max_row, merged.max_col
        return None

    @property
    def merge_cells(self) -> bool:
        return self._merged() is not None

    @property
    def merge_area(self) -> FakeRange:
        found = self._merged()
        return (
            FakeRange(self.sheet, *found)
            if found
            else FakeRange(self.sheet, self.row, self.column, self.row, self.column)
        )

    def cells(self) -> list[Any]:
        ws = self.sheet.ws
        return [
            ws.cell(r, c) for r in range(self.row, self.last_row + 1) for c in range(self.column, self.last_column + 1)
        ]

    def refuse_if_protected(self, what: str) -> None:
        if self.sheet.ws.protection.sheet and any(c.protection.locked for c in self.cells()):
            raise ProtectedSheetError(f"{self.sheet.name}!{self.address}: {what} refused, the sheet is protected")

    # -- values ----------------------------------------------------------------------------------
    def options(self, ndim: int | None = None) -> FakeRange:
        out = FakeRange(self.sheet, self.row, self.column, self.last_row, self.last_column)
        out._ndim = ndim
        return out

    @property
    def value(self) -> Any:
        ws = self.sheet.ws
        grid = [
            [ws.cell(r, c).value for c in range(self.column, self.last_column + 1)]
            for r in range(self.row, self.last_row + 1)
        ]
        if self._ndim == 2:
            return grid
        flat = [v for row in grid for v in row]
        if self._ndim == 1 or len(flat) > 1:
            return flat if (len(grid) == 1 or self.shape[1] == 1) else grid
        return flat[0]

    @value.setter
    def value(self, data: Any) -> None:
        grid = data if isinstance(data, list) and data and isinstance(data[0], list) else [[data]]
        target = FakeRange(self.sheet, self.row, self.column, self.row + len(grid) - 1,
                           self.column + max(len(r) for r in grid) - 1)  # fmt: skip
        target.refuse_if_protected("writing")
        for i, row in enumerate(grid):
            for j, v in enumerate(row):
                cell = self.sheet.ws.cell(self.row + i, self.column + j)
                if isinstance(cell, MergedCell):  # inside a merged area, not its top-left cell
                    if v is not None and v != "":
                        raise ProtectedSheetError(
                            f"{self.sheet.name}!{cell.coordinate}: can't write into a merged cell"
                        )
                    continue
                if isinstance(v, str) and v.startswith("'"):
                    cell.value = v[1:]
                    cell.data_type = "s"  # the apostrophe: literal text, never a formula
                else:
                    cell.value = v

    def clear_contents(self) -> None:
        self.refuse_if_protected("clearing")
        for cell in self.cells():
            cell.value = None

    # -- formats ---------------------------------------------------------------------------------
    @property
    def color(self) -> str | None:
        rgb = self.sheet.ws.cell(self.row, self.column).fill.fgColor.rgb
        return (
            f"#{rgb[-6:]}"
            if isinstance(rgb, str) and self.sheet.ws.cell(self.row, self.column).fill.fill_type
            else None
        )

    @color.setter
    def color(self, value: str) -> None:
        self.refuse_if_protected("formatting")
        for cell in self.cells():
            cell.fill = PatternFill("solid", fgColor=value.lstrip("#").upper())

    @property
    def number_format(self) -> str:
        return self.sheet.ws.cell(self.row, self.column).number_format

    @number_format.setter
    def number_format(self, fmt: str) -> None:
        self.refuse_if_protected("formatting")
        for cell in self.cells():
            cell.number_format = fmt

    @property
    def column_width(self) -> float | None:
        return self.sheet.ws.column_dimensions[get_column_letter(self.column)].width

    @column_width.setter
    def column_width(self, width: float) -> None:
        self.sheet.ws.column_dimensions[get_column_letter(self.column)].width = width
