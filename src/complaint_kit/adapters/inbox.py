"""The office's mail folders (issue 9): what ``import`` reads from 收件 and where each file goes.

A clerk saves the forms that came back — or the mails themselves (``.eml``) — into 收件 and runs
``import``. Each file is then moved (never deleted) to 已导入/<month>/ when the register took it,
or would gain nothing from it, and to 退回/ with a note beside it saying why when it was refused,
so the folder shows what happened to every file.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .. import layout as L
from ..domain.problems import Problem, problem
from ..store.files import write_bytes_atomic
from .mail import workbook_attachments
from .openpyxl_book import OpenpyxlBook, WorkbookError, open_checked


@dataclass
class Offered:
    """One form offered for import: its label, the workbook or why it cannot be read."""

    label: str
    book: OpenpyxlBook | None
    error: Problem | None = None


@dataclass
class Source:
    """A file found for import: a workbook, or a mail whose workbook attachments are the forms."""

    path: Path
    offered: list[Offered] = field(default_factory=list)


def find_sources(paths: Iterable[Path], *, register: Path) -> list[Path]:
    """The files named and every file under the folders named (sub-folders too: a form saved one
    level down is still a form that came back), sorted, without the register itself, Excel's
    ``~$`` owner files and hidden files. Files of other kinds are offered too, to be refused with
    a note: nothing in 收件 is passed over in silence."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p.relative_to(path)))
        else:
            files = [path]
        found += [f for f in files if not (f.exists() and f.resolve() == register.resolve())]
    return list(dict.fromkeys(found))


def _hidden(relative: Path) -> bool:
    return any(part.startswith(("~$", ".")) for part in relative.parts)


def open_source(path: Path, staging: Path) -> Source:
    """A file as the forms it offers: a workbook is one; a mail offers each ``.xlsx`` attachment
    (saved into ``staging`` to be read); a mail without one offers a refusal."""
    source = Source(path)
    if path.suffix.lower() == ".eml":
        try:
            attachments = workbook_attachments(path)
        except (OSError, ValueError) as exc:
            found = problem("E-IMPORT-NOT-A-FORM", file=f"{path.name} ({exc})")
            source.offered.append(Offered(path.name, None, found))
            return source
        if not attachments:
            source.offered.append(Offered(path.name, None, problem("E-IMPORT-NO-ATTACHMENT", file=path.name)))
        for n, (name, data) in enumerate(attachments, 1):
            saved = staging / f"{path.stem}-{n}-{L.file_part(Path(name).stem)}.xlsx"
            saved.parent.mkdir(parents=True, exist_ok=True)
            saved.write_bytes(data)
            source.offered.append(_open(saved, f"{path.name}:{name}"))
        return source
    source.offered.append(_open(path, path.name))
    return source


def _open(path: Path, label: str) -> Offered:
    if path.suffix.lower() != ".xlsx":
        return Offered(label, None, problem("E-IMPORT-NOT-A-FORM", file=label))
    try:
        book = open_checked(path, kind="form")
    except WorkbookError as exc:
        return Offered(label, None, exc.problem or problem("E-IMPORT-NOT-A-FORM", file=f"{label}: {exc}"))
    book.name = label
    return Offered(label, book)


def file_away(
    source: Source,
    refusals: list[str],
    *,
    office: Path,
    now: datetime,
    move: Callable[[Path, Path], object] = shutil.move,
) -> Path:
    """Move ``source`` to 已导入/<month>/ — or, with ``refusals`` (why, one line each), to 退回/
    with a note file beside it. Never overwrites: a name taken gets ``-2``, ``-3`` …"""
    folder = office / L.REFUSED_DIR if refusals else office / L.IMPORTED_DIR / f"{now:%Y-%m}"
    folder.mkdir(parents=True, exist_ok=True)
    target = _free(folder / source.path.name)
    if not source.path.exists():  # moved meanwhile by another import (it waited for the lock)
        return target
    move(source.path, target)
    if refusals:
        note = target.with_name(target.name + L.REFUSED_NOTE_SUFFIX)
        text = f"退回时间 refused at: {now:%Y-%m-%d %H:%M}\n文件 file: {source.path.name}\n\n" + "\n".join(refusals)
        write_bytes_atomic(note, (text + "\n").encode("utf-8"))
    return target


def _free(path: Path) -> Path:
    n = 2
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate
