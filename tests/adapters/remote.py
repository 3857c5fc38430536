"""A stand-in for Excel on Linux: xlwings' remote engine fed with payloads built from real
workbooks, and a small client that applies the returned actions to the payload the way
Excel's add-in client would (so a test can read back what was written)."""

from __future__ import annotations

import copy
import os
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar

import openpyxl
import pytest
import xlwings as xw
from openpyxl.utils import range_boundaries

from tests.conftest import NO_XLWINGS_LICENSE

DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$")


def require_license() -> None:
    """Skip without a licence key (tests/conftest.py counts these skips and says how to run them)."""
    if not os.environ.get("XLWINGS_LICENSE_KEY"):
        pytest.skip(NO_XLWINGS_LICENSE)


def _cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(v, date):
        return f"{v.isoformat()}T00:00:00.000Z"
    if isinstance(v, str) and v.startswith("="):
        return ""  # a formula: Excel would send its value; tests do not read formula results back
    return v


def _a1(row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col)}{row}"


def payload_from_xlsx(path: Path) -> dict[str, Any]:
    """The JSON an Excel client sends for the workbook at ``path`` (format of xlwings' own tests)."""
    wb = openpyxl.load_workbook(path)
    sheets, names = [], []
    for ws in wb.worksheets:
        values = [
            [_cell(c) for c in row]
            for row in ws.iter_rows(
                min_row=1, max_row=max(ws.max_row, 1), min_col=1, max_col=max(ws.max_column, 1), values_only=True
            )
        ]
        tables = []
        for name in ws.tables:
            c0, r0, c1, r1 = range_boundaries(ws.tables[name].ref)
            tables.append(
                {
                    "name": name,
                    "range_address": f"{_a1(r0, c0)}:{_a1(r1, c1)}",
                    "header_row_range_address": f"{_a1(r0, c0)}:{_a1(r0, c1)}",
                    "data_body_range_address": f"{_a1(r0 + 1, c0)}:{_a1(r1, c1)}",
                    "total_row_range_address": None,
                    "show_headers": True,
                    "show_totals": False,
                    "table_style": "TableStyleMedium2",
                    "show_autofilter": True,
                }
            )
        sheets.append({"name": ws.title, "values": values, "pictures": [], "tables": tables})
    for name, dn in wb.defined_names.items():
        sheet, ref = next(iter(dn.destinations))
        names.append(
            {
                "name": name,
                "sheet_index": wb.sheetnames.index(sheet),
                "address": ref.replace("$", ""),
                "scope_sheet_name": None,
                "scope_sheet_index": None,
                "book_scope": True,
            }
        )
    return {
        "client": "Microsoft Office Scripts",
        "version": xw.__version__,
        "book": {"name": path.name, "active_sheet_index": 0, "selection": "A1"},
        "names": names,
        "sheets": sheets,
    }


def _excel_value(v: Any) -> Any:
    """What Excel stores when a client writes ``v`` (strings that look like dates become dates)."""
    if v is None:
        return ""
    if isinstance(v, str):
        if v.startswith("'"):
            return v[1:]
        if DATE_TEXT.match(v):
            return (v.replace(" ", "T") if " " in v else v + "T00:00:00") + ".000Z"
    return v


def _ensure(grid: list[list[Any]], rows: int, cols: int) -> None:
    width = max(cols, max((len(r) for r in grid), default=0))
    while len(grid) < rows:
        grid.append([])
    for r in grid:
        r.extend([""] * (width - len(r)))


def apply_actions(payload: dict[str, Any], actions: list[dict[str, Any]]) -> dict[str, Any]:
    """Play ``book.json()['actions']`` onto a copy of ``payload``."""
    data = copy.deepcopy(payload)
    sheets = data["sheets"]
    for a in actions:
        func = a["func"]
        if func == "setValues":
            grid = sheets[a["sheet_position"]]["values"]
            r0, c0 = a["start_row"], a["start_column"]
            _ensure(grid, r0 + len(a["values"]), c0 + max(len(r) for r in a["values"]))
            for i, row in enumerate(a["values"]):
                for j, v in enumerate(row):
                    grid[r0 + i][c0 + j] = _excel_value(v)
        elif func == "rangeClearContents":
            grid = sheets[a["sheet_position"]]["values"]
            for i in range(a["row_count"]):
                for j in range(a["column_count"]):
                    grid[a["start_row"] + i][a["start_column"] + j] = ""
        elif func == "resizeTable":
            index, address = a["args"]
            table = sheets[a["sheet_position"]]["tables"][index]
            c0, r0, c1, r1 = range_boundaries(address.replace("$", ""))
            table["range_address"] = f"{_a1(r0, c0)}:{_a1(r1, c1)}"
            table["header_row_range_address"] = f"{_a1(r0, c0)}:{_a1(r0, c1)}"
            table["data_body_range_address"] = f"{_a1(r0 + 1, c0)}:{_a1(r1, c1)}"
        elif func == "addSheet":
            index, name = a["args"]
            sheets.insert(index, {"name": name, "values": [[""]], "pictures": [], "tables": []})
        elif func == "sheetDelete":
            del sheets[a["sheet_position"]]
        elif func in {"setNumberFormat", "alert", "activateSheet"}:
            continue
        else:
            raise NotImplementedError(f"the test client does not know action {func}")
    return data


class RemoteWorkbook:
    """A workbook 'open in Excel': the payload, and the xlwings book made from it.

    The remote engine keeps every book it was given in one process-wide app; :func:`close_all`
    (run after each test) closes them, so one test's workbooks are not "open" in the next.
    """

    opened: ClassVar[list[Any]] = []

    def __init__(self, path: Path, *, selection: tuple[str, str] | None = None) -> None:
        """``selection``: the sheet and the cell the clerk has selected (default: A1 of the first)."""
        require_license()
        self.path = path
        self.payload = payload_from_xlsx(path)
        if selection is not None:
            sheet, cell = selection
            names = [s["name"] for s in self.payload["sheets"]]
            self.payload["book"].update(active_sheet_index=names.index(sheet), selection=cell)
        self.book = self._open(self.payload)

    def _open(self, payload: dict[str, Any]) -> Any:
        book = xw.Book(json=copy.deepcopy(payload))  # the engine edits its copy in place
        RemoteWorkbook.opened.append(book)
        return book

    @property
    def actions(self) -> list[dict[str, Any]]:
        return self.book.json()["actions"]

    def sync(self) -> None:
        """Excel runs the actions; the next click sends the new state."""
        self.payload = apply_actions(self.payload, self.actions)
        self.book.close()
        RemoteWorkbook.opened.remove(self.book)
        self.book = self._open(self.payload)


def close_all() -> None:
    for book in RemoteWorkbook.opened:
        book.close()
    RemoteWorkbook.opened.clear()
