"""The one way a command writes a register file: lock, recover, read, compute, commit.

with register_session(path, user=…, command="受理") as session:
    register = open_register(path)              # read *under* the lock
    outcome = accept_form(form, register, …)
    if outcome.ok:
        session.commit([form, register])        # both files or neither, durable
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .lock import RegisterLock, configured_wait
from .txn import Staged, commit, recover


class Stageable(Protocol):
    def stage(self, path: Path | None = None) -> Staged: ...


@dataclass
class Session:
    register: Path
    lock: RegisterLock
    notes: list[str] = field(default_factory=list)  # recovery and stale-lock messages for the clerk

    def commit(self, books: list[Stageable]) -> None:
        """Write every book to a durable temp file, then replace them all as one commit."""
        staged: list[Staged] = []
        try:
            for book in books:
                staged.append(book.stage())
        except BaseException:
            for s in staged:
                s.discard()
            raise
        commit(self.register, staged)


@contextmanager
def register_session(
    register: Path,
    *,
    user: str,
    command: str,
    wait: float | None = None,
    notice: Callable[[str], None] | None = None,
    allow_office_owner: bool = False,
) -> Iterator[Session]:
    with RegisterLock(
        register,
        user=user,
        command=command,
        wait=configured_wait() if wait is None else wait,
        notice=notice,
        allow_office_owner=allow_office_owner,
    ) as lock:
        notes = [
            f"已清除失效的锁（{b.describe()}，自 {b.since}）— removed a stale lock of {b.describe_en()}"
            for b in lock.broken
        ]
        notes += recover(register)
        yield Session(register, lock, notes)
