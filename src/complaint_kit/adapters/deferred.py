"""A Book that reads through and holds its writes until :meth:`DeferredBook.commit`.

Used when one click writes a live workbook and a file: the file is written to a temp file first,
then the live workbook, then the file moved in place — so an I/O error leaves both untouched.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..ports import Book, Changes, TableData


class DeferredBook:
    def __init__(self, inner: Book) -> None:
        self.inner = inner
        self.pending: list[Changes] = []

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

    def apply(self, changes: Changes) -> None:
        self.pending.append(changes)

    def commit(self) -> None:
        for changes in self.pending:
            self.inner.apply(changes)
        self.pending.clear()
