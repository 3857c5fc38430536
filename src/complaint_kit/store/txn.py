"""A form and its register change as one commit (DESIGN.md, "Reliability and trust").

The sequence, each step durable (fsync) before the next:

1. every new file is written to a temp file beside its target (``files.write_temp``);
2. beside every target other than the register, a *pending marker* names the temp file and the
   commit record to come;
3. the **commit record** ``.<register>.ck-commit`` is written beside the register (temp file and
   rename, so it exists whole or not at all). This is the moment of decision;
4. each target is replaced by its temp file (the register's previous version goes to 备份/);
5. the commit record, then the markers, are removed.

Recovery (:func:`recover`, run under the register lock by every register command before it reads
anything) finishes what a record says — every temp file it names is complete, so rolling forward
is always possible — and removes temp files and markers of commits that never reached step 3.
A command on a form alone runs :func:`recover_target` on it first: it finishes the form's part of
a decided commit, or rolls back an undecided one whose writer is gone. A crash at any point
therefore leaves, after the next command, either the whole change or none of it.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from .files import HOST, fsync_dir, replace, sha256_of, sweep_temps, write_atomic
from .lock import _process_started

COMMIT_SUFFIX = ".ck-commit"
MARKER_SUFFIX = ".ck-pending"


class RecoveryError(Exception):
    """A commit record that cannot be finished (a temp file changed after it was written)."""


class CommitPending(Exception):
    """Decided but not finished (a target could not be replaced): the next register command
    finishes it. The message says so, in Chinese and English."""


def check_writable(target: Path) -> None:
    """Before deciding: each target must be replaceable now. On Windows a workbook open in Excel
    cannot be opened for writing; finding that out before the decision keeps the commit whole."""
    if not target.exists():
        return
    try:
        fd = os.open(target, os.O_RDWR | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise PermissionError(
            f"{target.name} 正被占用或无写入权限，未写入任何文件 — {target.name} is in use or read-only;"
            f" nothing was written ({exc.strerror or exc})"
        ) from None
    os.close(fd)


@dataclass(frozen=True)
class Staged:
    """A durable temp file ready to replace ``target``."""

    tmp: Path
    target: Path
    sha256: str
    backups: int = 0  # previous versions kept in 备份/ (rule S18)

    def as_json(self) -> dict[str, Any]:
        return {"tmp": str(self.tmp), "target": str(self.target), "sha256": self.sha256, "backups": self.backups}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Staged:
        return cls(Path(data["tmp"]), Path(data["target"]), str(data["sha256"]), int(data.get("backups", 0)))

    def discard(self) -> None:
        self.tmp.unlink(missing_ok=True)


def commit_path(register: Path) -> Path:
    return register.parent / f".{register.name}{COMMIT_SUFFIX}"


def marker_path(target: Path) -> Path:
    return target.parent / f".{target.name}{MARKER_SUFFIX}"


def _write_json(path: Path, data: dict[str, Any]) -> None:
    def write(tmp: Path) -> None:
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    write_atomic(path, write)


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except ValueError as exc:
        raise RecoveryError(f"{path.name}: 无法读取 unreadable ({exc})") from None
    return data if isinstance(data, dict) else None


def install(staged: Staged) -> Path:
    """Move one staged file in on its own (no commit record: a workbook saved alone), keeping
    its backups; the temp file is removed if that fails."""
    try:
        if staged.backups and staged.target.exists():
            rotate_backup(staged.target, staged.backups)
        replace(staged.tmp, staged.target)
    except BaseException:
        staged.discard()
        raise
    return staged.target


def rotate_backup(target: Path, keep: int) -> None:
    """Copy the current ``target`` into 备份/ and keep the newest ``keep`` copies (rule S18)."""
    import shutil

    folder = target.parent / "备份"
    folder.mkdir(exist_ok=True)
    stamp = datetime.fromtimestamp(target.stat().st_mtime).strftime("%Y%m%d-%H%M%S-%f")
    shutil.copy2(target, folder / f"{target.stem}.{stamp}{target.suffix}")
    old = sorted(folder.glob(f"{target.stem}.*{target.suffix}"))
    for extra in old[:-keep]:
        extra.unlink(missing_ok=True)


def _move(staged: Staged) -> bool:
    """Replace one target; False when its temp file is already gone (done before)."""
    if not staged.tmp.exists():
        return False
    if sha256_of(staged.tmp) != staged.sha256:
        raise RecoveryError(
            f"临时文件 {staged.tmp.name} 与提交记录不符，未替换 {staged.target.name}；请联系管理员 — "
            f"temp file {staged.tmp.name} does not match its commit record; {staged.target.name} not replaced"
        )
    if staged.backups and staged.target.exists():
        rotate_backup(staged.target, staged.backups)
    try:
        replace(staged.tmp, staged.target)
    except FileNotFoundError:  # another command finished this move a moment ago
        return False
    return True


def commit(register: Path, staged: list[Staged]) -> None:
    """Replace every staged target as one unit (see the module docstring)."""
    record_path = commit_path(register)
    record = {
        "id": secrets.token_hex(8),
        "host": HOST,
        "pid": os.getpid(),
        "process_started": _process_started(os.getpid()),
        "created": datetime.now().isoformat(timespec="seconds"),
        "moves": [s.as_json() for s in staged],
    }
    # the register first: if anything is refused, it is most likely the shared register
    staged = sorted(staged, key=lambda s: s.target.resolve() != register.resolve())
    markers = []
    try:
        for s in staged:
            check_writable(s.target)
        for s in staged:
            if s.target.resolve() != register.resolve():
                marker = marker_path(s.target)
                _write_json(marker, {"record": str(record_path), "id": record["id"], **record, "move": s.as_json()})
                markers.append(marker)
        _write_json(record_path, record)  # the decision
    except BaseException:
        for s in staged:
            s.discard()
        for m in markers:
            m.unlink(missing_ok=True)
        raise
    try:
        for s in staged:
            _move(s)
    except OSError as exc:
        raise CommitPending(
            f"保存未完成：{exc}。已记下待完成的保存，下次对登记表操作（如 complaint-kit refresh）时自动完成 — the save"
            f" is decided but not finished ({exc}); the next register command (e.g. refresh) finishes it"
        ) from None
    record_path.unlink(missing_ok=True)
    fsync_dir(record_path.parent)
    for m in markers:
        m.unlink(missing_ok=True)


def recover(register: Path) -> list[str]:
    """Finish a decided commit and clear litter beside the register; returns messages for the
    clerk (Chinese — English). Run under the register lock, before anything is read."""
    notes: list[str] = []
    record_path = commit_path(register)
    record = _read_json(record_path)
    folders = {register.parent}
    if record is not None:
        moves = [Staged.from_json(m) for m in record.get("moves", [])]
        done = [s.target.name for s in moves if _move(s)]
        for s in moves:
            folders.add(s.target.parent)
            if s.target.resolve() != register.resolve():
                with contextlib.suppress(FileNotFoundError):
                    marker = marker_path(s.target)
                    data = _read_json(marker)
                    if data is not None and data.get("id") == record.get("id"):
                        marker.unlink()
        record_path.unlink(missing_ok=True)
        fsync_dir(record_path.parent)
        if done:
            notes.append(f"已完成上次中断的保存：{'、'.join(done)} — finished an interrupted save of {', '.join(done)}")
    for folder in folders:
        _sweep(folder)
    return notes


def recover_target(target: Path) -> list[str]:
    """Before a command uses a form on its own: finish its part of a decided commit, or roll back
    an undecided one whose writer is gone (a live writer is left alone)."""
    marker = marker_path(target)
    data = _read_json(marker)
    notes: list[str] = []
    if data is not None:
        staged = Staged.from_json(data["move"])
        record = _read_json(Path(data["record"]))
        if record is not None and record.get("id") == data.get("id"):
            if _move(staged):
                notes.append(f"已完成上次中断的保存：{target.name} — finished an interrupted save of {target.name}")
            marker.unlink(missing_ok=True)
        elif not staged.tmp.exists() or not _writer_alive(data):  # done before, or never decided
            staged.discard()
            marker.unlink(missing_ok=True)
    _sweep(target.parent)
    return notes


def _sweep(folder: Path) -> None:
    """Remove dead writers' temp files, except those a commit record or marker still names."""
    keep: set[Path] = set()
    for path in [*folder.glob(f".*{COMMIT_SUFFIX}"), *folder.glob(f".*{MARKER_SUFFIX}")]:
        try:
            data = _read_json(path)
        except RecoveryError:
            continue
        if data is None:
            continue
        moves = data.get("moves") or ([data["move"]] if "move" in data else [])
        keep.update(Path(m["tmp"]) for m in moves if isinstance(m, dict) and "tmp" in m)
    sweep_temps(folder, keep=frozenset(keep))


def _writer_alive(data: dict[str, Any]) -> bool:
    import psutil

    if data.get("host") != HOST:
        return True  # another computer's commit: it may still be running; its register recovery decides
    pid = int(data.get("pid", 0))
    if not psutil.pid_exists(pid):
        return False
    started = float(data.get("process_started") or 0)
    return not started or abs(_process_started(pid) - started) <= 1.0
