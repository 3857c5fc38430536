"""The service workbook's journal (DESIGN.md "Reliability and trust"; S18): every row the kit
writes into a service centre's workbook — a call, goods, a repair card, a survey card, a
complaint, a month's last serial — is appended to 日志 with who, when, which command, a
fingerprint of each of its cells and a hash chained to the entry before.

``journaled`` runs one service action and writes its rows and their journal entries in one
write; ``verify_service`` (``service verify``, the 服务 group's 核验) reads the workbook and names
every row edited since the kit wrote it (the cells), deleted, or numbered by hand, and any break
in the chain. The chain is not keyed: it shows casual and accidental edits, and who did what
when; the complaint register's keyed seals are for forms that leave the office.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from .. import layout as L
from ..domain.problems import Problem, problem
from ..domain.seal import cell_prints, chain_hash, changed_cells
from ..domain.values import to_text
from ..ports import Book, StagedBook, TableTail, read_tail
from .outcome import Outcome


def journaled(book: Book, act: Callable[[Book], Outcome], *, by: str, command: str, now: datetime) -> Outcome:
    """``act`` on ``book``; when it goes through, the rows it wrote and their journal entries are
    written together, once. A workbook made before the journal existed is written without one
    (a warning says so)."""
    staged = StagedBook(book)
    outcome = act(staged)
    if not outcome.ok:
        return outcome
    try:
        tail, count = read_tail(book, L.SERVICE_JOURNAL_TABLE, 1)
    except KeyError:
        staged.commit()
        outcome.problems.append(problem("W-SERVICE-NO-JOURNAL", where=book.label, sheet=L.SERVICE_JOURNAL_SHEET))
        return outcome
    previous = to_text(tail.rows[-1][-1]) if tail.rows else ""
    entries = journal_entries(staged, by=by, command=command, now=now, previous=previous)
    staged.commit({L.SERVICE_JOURNAL_TABLE: TableTail(count, entries)} if entries else None)
    return outcome


def journal_entries(staged: StagedBook, *, by: str, command: str, now: datetime, previous: str) -> list[list[Any]]:
    """One entry per journaled row that ``staged`` changed (or added), chained from ``previous``."""
    at = now.replace(microsecond=0, tzinfo=None)
    entries: list[list[Any]] = []
    for table, (original, data, indexes) in staged.written().items():
        sheet = L.SERVICE_JOURNALED.get(table)
        if sheet is None:
            continue
        before = original.rows
        for i in indexes if indexes is not None else range(len(data.rows)):
            row = data.rows[i]
            if not to_text(row[0]) or (i < len(before) and cell_prints(before[i]) == cell_prints(row)):
                continue  # unchanged, or a row without its number (nothing the kit issued)
            fields = [at, by, command, sheet, to_text(row[0]), cell_prints(row)]
            previous = chain_hash(previous, fields)
            entries.append([*fields, previous])
    return entries


def verify_service(book: Book) -> Outcome:
    """核验: the journal's chain, and every journaled table's rows against their latest entries.
    Reads only; every finding is a problem at its cell."""
    try:
        journal = book.read_table(L.SERVICE_JOURNAL_TABLE)
    except KeyError:
        return Outcome([problem("E-SERVICE-NO-JOURNAL", where=book.label, sheet=L.SERVICE_JOURNAL_SHEET)])
    problems: list[Problem] = []
    previous = ""
    latest: dict[tuple[str, str], str] = {}
    hash_header = L.SERVICE_JOURNAL_HEADERS[-1]
    for i, row in enumerate(journal.rows):
        stored = to_text(row[-1])
        if chain_hash(previous, row[:-1]) != stored:
            where = book.locate_table_cell(L.SERVICE_JOURNAL_TABLE, i, hash_header)
            problems.append(problem("E-SERVICE-JOURNAL-BROKEN", where=where, row=i + 1))
        previous = stored
        latest[(to_text(row[3]), to_text(row[4]))] = to_text(row[5])
    checked = 0
    for table, sheet in L.SERVICE_JOURNALED.items():
        try:
            data = book.read_table(table)
        except KeyError:
            continue
        keys = set()
        for j, row in enumerate(data.rows):
            key = to_text(row[0])
            if not key:
                continue  # typed, not recorded yet
            keys.add(key)
            checked += 1
            prints = latest.get((sheet, key))
            if prints is None:
                where = book.locate_table_cell(table, j, data.headers[0])
                problems.append(problem("E-SERVICE-UNRECORDED", where=where, sheet=sheet, key=key))
                continue
            changed = [data.headers[c] for c in changed_cells(prints, row) if c < len(data.headers)]
            if changed:
                where = book.locate_table_cell(table, j, changed[0])
                problems.append(
                    problem("E-SERVICE-EDITED", where=where, sheet=sheet, key=key, headers="、".join(changed))
                )
        for gone in sorted(k for s, k in latest if s == sheet and k not in keys):
            problems.append(problem("E-SERVICE-DELETED", where=book.label, sheet=sheet, key=gone))
    found = len(problems)
    return Outcome(
        problems,
        [
            f"日志 {len(journal.rows)} 条，核对 {checked} 行：{'未发现问题' if not found else f'发现 {found} 处问题'}"
            f" — journal of {len(journal.rows)} entries, {checked} rows checked: {found} finding(s)"
        ],
        {"entries": len(journal.rows), "rows": checked, "findings": found},
    )
