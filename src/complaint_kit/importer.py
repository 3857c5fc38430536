"""``import`` on files, for the CLI and the ribbon alike (issue 9): the files of 收件 (or those
named) are read — a mail's ``.xlsx`` attachments too —, imported into the register in one write,
committed, the office's copy of each imported form replaced by the newer revision, and every file
moved to 已导入/<month>/ or, refused, to 退回/ with a note saying why (never deleted)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from . import layout as L
from .actions.importing import Candidate, FileResult, import_forms
from .actions.outcome import Outcome
from .adapters.inbox import Source, file_away, open_source
from .ports import Book
from .store.files import write_bytes_atomic


def import_files(
    register: Book,
    office: Path,
    found: list[Path],
    *,
    now: datetime,
    user: str,
    key: bytes,
    commit: Callable[[], None],
    keep: bool = False,
    each: Callable[[list[Path]], Iterable[Path]] = iter,
) -> tuple[Outcome, list[str]]:
    """Import ``found`` into ``register`` (kept in ``office``); ``commit`` makes the register's
    write durable (the CLI's session, the ribbon's save) and is called only when a case changed.
    Returns the outcome and the lines saying where each file went."""
    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="ck-import-") as staging:
        sources = [open_source(p, Path(staging)) for p in each(found)]
        offered = [o for s in sources for o in s.offered]
        outcome = import_forms(
            register, [Candidate(o.label, o.book, o.error) for o in offered], now=now, user=user, key=key
        )
        if not outcome.ok:
            return outcome, lines
        if outcome.data["updated"]:
            commit()
        by_label = {o.label: o.book for o in offered if o.book is not None}
        for case_no, (label, form_file) in outcome.data["imported"].items():
            book = by_label.get(label)
            name = Path(form_file).name
            if book is not None and book.path is not None and name.lower().endswith(".xlsx"):
                copy = office / L.FORMS_DIR / name  # the office's copy: now the form the register describes
                write_bytes_atomic(copy, book.path.read_bytes())
                lines.append(f"客诉 {case_no} 的表单已更新 office copy updated: {copy}")
    if not keep:
        lines += _file_away(sources, outcome.data["results"], office=office, now=now)
    return outcome, lines


def _file_away(sources: list[Source], results: list[FileResult], *, office: Path, now: datetime) -> list[str]:
    lines: list[str] = []
    at = 0
    for source in sources:
        mine = results[at : at + len(source.offered)]
        at += len(source.offered)
        refusals: list[str] = []
        for r in mine:
            if r.verdict.refused:
                refusals.append(f"{r.label}：{r.verdict}（{r.verdict.en}）— {r.detail}")
                refusals += [f"  {p.render()}" for p in r.problems]
        target = file_away(source, refusals, office=office, now=now)
        lines.append(f"{'退回 refused' if refusals else '已归档 filed'}: {target}")
    return lines
