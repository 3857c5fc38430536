"""A Book that reads through and holds its writes until :meth:`DeferredBook.commit`.

Used when one click writes a live workbook and a file: the file is written to a temp file first,
then the live workbook, then the file moved in place — so an I/O error leaves both untouched.
"""

from __future__ import annotations

from ..ports import Book, BookOver, Changes


class DeferredBook(BookOver):
    def __init__(self, inner: Book) -> None:
        super().__init__(inner)
        self.pending: list[Changes] = []

    def apply(self, changes: Changes) -> None:
        self.pending.append(changes)

    def commit(self) -> None:
        for changes in self.pending:
            self.inner.apply(changes)
        self.pending.clear()
