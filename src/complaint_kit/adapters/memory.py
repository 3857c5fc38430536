"""An in-memory Book for action tests: names and tables in dicts, addresses made up."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from ..ports import Changes, SheetContent, TableData, drop_trailing_blank_rows, whole_bodies


class MemoryBook:
    def __init__(
        self,
        *,
        names: dict[str, Any] | None = None,
        tables: dict[str, TableData] | None = None,
        label: str = "memory",
    ) -> None:
        self.names: dict[str, Any] = dict(names or {})
        self.tables: dict[str, TableData] = dict(tables or {})
        self.sheets: dict[str, SheetContent] = {}
        self.locked: set[str] = set()
        self.applied: list[Changes] = []
        self._label = label

    @property
    def label(self) -> str:
        return self._label

    def has_name(self, name: str) -> bool:
        return name in self.names

    def read_names(self, names: Sequence[str]) -> dict[str, Any]:
        missing = [n for n in names if n not in self.names]
        if missing:
            raise KeyError(f"{self.label}: no defined names {missing}")
        return {n: self.names[n] for n in names}

    def read_table(self, table: str) -> TableData:
        data = self.tables[table]
        return TableData(data.headers, drop_trailing_blank_rows([list(r) for r in data.rows]))

    def locate_name(self, name: str) -> str:
        return name

    def locate_table_cell(self, table: str, row: int, header: str) -> str:
        return f"{table}[{header}]#{row + 1}"

    def locked_names(self, names: Sequence[str]) -> set[str]:
        return {n for n in names if n in self.locked}

    def apply(self, changes: Changes) -> None:
        unknown = [n for n in changes.names if n not in self.names]
        if unknown:
            raise KeyError(f"{self.label}: no defined names {unknown}")
        self.applied.append(copy.deepcopy(changes))
        self.names.update(changes.names)
        for table, rows in whole_bodies(self, changes.tables).items():
            self.tables[table] = TableData(self.tables[table].headers, [list(r) for r in rows])
        self.sheets.update(changes.sheets)
        self.locked |= changes.lock
