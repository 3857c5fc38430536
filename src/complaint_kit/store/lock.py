"""One writer at a time for a register (DESIGN.md, "Reliability and trust").

A lock file ``.<register name>.ck-lock`` beside the register is taken with an OS-level exclusive
create (``O_CREAT | O_EXCL``: atomic on local disks and SMB/NFS shares) and holds who took it:
user, host, process (with its start time, so a reused pid is not mistaken for the holder), time
and command. Every register write — CLI, add-in, later import — reads, numbers and writes under it,
so a case number cannot be issued twice.

- Held by another kit command (a second or two): wait for it, saying so when the wait is noticeable.
- Held by a process that no longer runs on this host: stale, broken safely (see :func:`_break`).
- Held longer than the wait by a live command, or by another host: refused, naming who and since
  when; ``complaint-kit unlock`` breaks it once the clerk has checked.
- The register open in Excel/WPS (owner file ``~$<name>``) or LibreOffice (``.~lock.<name>#``)
  elsewhere: refused at once — the person would overwrite our write when they save.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import psutil

from .files import HOST, TEMP_SUFFIX, fsync_dir

DEFAULT_WAIT = 30.0  # seconds another kit command may hold the register before we give up
NOTICE_AFTER = 1.0  # say we are waiting once the wait is noticeable
BREAKER_STALE = 30.0  # a breaker file older than this belongs to a killed breaker
EMPTY_LOCK_STALE = 10.0  # a lock file still empty after this was never finished by its creator


WAIT_ENV = "COMPLAINT_KIT_LOCK_WAIT"


def configured_wait() -> float:
    """How long a command waits for another one: ``$COMPLAINT_KIT_LOCK_WAIT`` seconds, else 30."""
    try:
        return max(0.0, float(os.environ.get(WAIT_ENV, DEFAULT_WAIT)))
    except ValueError:
        return DEFAULT_WAIT


def lock_path(register: Path) -> Path:
    return register.parent / f".{register.name}.ck-lock"


@dataclass(frozen=True)
class LockInfo:
    user: str
    host: str
    pid: int
    process_started: float
    since: str  # ISO local time
    command: str
    token: str

    def describe(self) -> str:
        return f"{self.user}（{self.host}，进程 {self.pid}，{self.command}）"

    def describe_en(self) -> str:
        return f"{self.user} on {self.host} (process {self.pid}, {self.command})"


class RegisterBusy(Exception):
    """The register cannot be written now; ``problem`` (the catalogue's E-REGISTER-OPEN or
    E-REGISTER-BUSY) says who holds it and what to do, ``zh`` and ``en`` are its texts."""

    def __init__(self, code: str, *, holder: str = "", **params: object) -> None:
        from ..domain.problems import problem

        self.problem = problem(code, **params)
        self.zh, self.en, self.holder = self.problem.zh, self.problem.en, holder
        super().__init__(f"{self.zh} — {self.en}")


def _process_started(pid: int) -> float:
    try:
        return round(psutil.Process(pid).create_time(), 3)
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return 0.0


def _read(path: Path) -> LockInfo | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return LockInfo(**data)
    except (FileNotFoundError, ValueError, TypeError):
        return None


def holder_alive(info: LockInfo) -> bool | None:
    """On this host: whether the holding process still runs (same pid *and* start time). From
    another host: None — we cannot see its processes."""
    if info.host != HOST:
        return None
    if not psutil.pid_exists(info.pid):
        return False
    started = _process_started(info.pid)
    return not (info.process_started and started and abs(started - info.process_started) > 1.0)


# -- other applications' owner files ---------------------------------------------------------------
def _excel_owner_name(data: bytes) -> str:
    """Excel's ``~$`` file: byte 0 the name's length, then the name (ANSI), and from byte 54 the
    length again and the name in UTF-16. Best effort: an unreadable name becomes ``?``."""
    if len(data) >= 56:
        n = data[54]
        raw = data[56 : 56 + 2 * n]
        with contextlib.suppress(UnicodeDecodeError):
            name = raw.decode("utf-16-le").strip("\x00 ")
            if name:
                return name
    if data:
        n = data[0]
        for encoding in ("gbk", "latin-1"):
            with contextlib.suppress(UnicodeDecodeError):
                name = data[1 : 1 + n].decode(encoding).strip("\x00 ")
                if name:
                    return name
    return "?"


def office_owner(register: Path) -> tuple[str, str, datetime] | None:
    """(application, user, since) when the register is open in Excel/WPS or LibreOffice."""
    candidates = [register.parent / f"~${register.name}"]
    if len(register.name) > 2:
        candidates.append(register.parent / f"~${register.name[2:]}")  # long names lose 2 characters
    for path in candidates:
        try:
            data = path.read_bytes()[:512]
            since = datetime.fromtimestamp(path.stat().st_mtime)
        except (FileNotFoundError, PermissionError, OSError):
            continue
        return "Excel", _excel_owner_name(data), since
    lo = register.parent / f".~lock.{register.name}#"
    try:
        text = lo.read_text(encoding="utf-8", errors="replace")
        since = datetime.fromtimestamp(lo.stat().st_mtime)
    except (FileNotFoundError, PermissionError, OSError):
        return None
    fields = [f for f in text.split(",") if f.strip()]
    return "LibreOffice", (fields[0].strip() if fields else "?"), since


# -- the lock ------------------------------------------------------------------------------------
class RegisterLock:
    """``with RegisterLock(path, user=…, command=…):`` — the only way a register is written."""

    def __init__(
        self,
        register: Path,
        *,
        user: str | None = None,
        command: str = "",
        wait: float = DEFAULT_WAIT,
        allow_office_owner: bool = False,
        notice: Callable[[str], None] | None = None,
        poll: float = 0.05,
    ) -> None:
        self.register = Path(register)
        self.path = lock_path(self.register)
        self.user = user or getpass.getuser()
        self.command = command
        self.wait = wait
        self.allow_office_owner = allow_office_owner  # the add-in writing through this very Excel
        self.notice = notice
        self.poll = poll
        self.info: LockInfo | None = None
        self.broken: list[LockInfo] = []  # stale locks we removed (reported to the clerk)

    def __enter__(self) -> RegisterLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def _check_office(self) -> None:
        if self.allow_office_owner:
            return
        owner = office_owner(self.register)
        if owner:
            app, who, since = owner
            raise RegisterBusy(
                "E-REGISTER-OPEN", holder=who, who=who, app=app, since=since, folder=self.register.parent
            )

    def acquire(self) -> LockInfo:
        self._check_office()
        started = time.monotonic()
        told = False
        info = LockInfo(
            user=self.user,
            host=HOST,
            pid=os.getpid(),
            process_started=_process_started(os.getpid()),
            since=datetime.now().isoformat(timespec="seconds"),
            command=self.command,
            token=secrets.token_hex(8),
        )
        payload = json.dumps(asdict(info), ensure_ascii=False).encode("utf-8")
        while True:
            try:
                _create_exclusive(self.path, payload)
            except FileExistsError:
                holder = _read(self.path)
                if self._stale(holder):
                    self._break(holder)
                    continue
                waited = time.monotonic() - started
                if waited >= self.wait:
                    raise self._busy(holder) from None
                if not told and waited >= NOTICE_AFTER and self.notice is not None:
                    who = holder.describe() if holder else "另一操作"
                    self.notice(f"登记表正被 {who} 使用，等待中… — the register is in use, waiting…")
                    told = True
                time.sleep(self.poll)
                continue
            fsync_dir(self.path.parent)
            self.info = info
            return info

    def _busy(self, holder: LockInfo | None) -> RegisterBusy:
        other_host = holder is not None and holder_alive(holder) is None
        who = holder.describe() if holder else "未知操作"
        since = holder.since.replace("T", " ") if holder else "?"
        who_en = holder.describe_en() if holder else "another command"
        return RegisterBusy(
            "E-REGISTER-BUSY",
            holder=holder.user if holder else "",
            who=who,
            who_en=who_en + (" on another computer" if other_host else ""),
            since=since,
            wait=self.wait,
            register=self.register,
        )

    def _stale(self, holder: LockInfo | None) -> bool:
        if holder is None:  # being written this instant, or an empty file a killed creator left
            try:
                age = time.time() - self.path.stat().st_mtime
            except FileNotFoundError:
                return False
            return age > EMPTY_LOCK_STALE
        return holder_alive(holder) is False

    def _break(self, holder: LockInfo | None) -> None:
        """Remove a stale lock without ever removing a live one: breakers take turns through an
        exclusive breaker file, and the lock is removed only if it is still the very one found
        stale (same token); a holder that is dead never releases, so it cannot change under us."""
        if break_lock(self.path, expected=holder) and holder is not None:
            self.broken.append(holder)

    def release(self) -> None:
        if self.info is None:
            return
        current = _read(self.path)
        if current is not None and current.token == self.info.token:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
        self.info = None


def _create_exclusive(path: Path, payload: bytes) -> None:
    """Create ``path`` holding ``payload``, or raise FileExistsError — atomically: the content is
    written and synced to a private file first and then hard-linked into place (``link`` fails
    when the name exists), so a writer killed at any moment never leaves an empty lock. Where
    the file system has no hard links, an exclusive create and a write (a killed writer's empty
    lock is broken after :data:`EMPTY_LOCK_STALE` seconds)."""
    private = path.with_name(f"{path.name}.{HOST}.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
    _write_new(private, payload)
    try:
        os.link(private, path)
        return
    except FileExistsError:
        raise
    except OSError:  # no hard links here (some network shares)
        pass
    finally:
        private.unlink(missing_ok=True)
    _write_new(path, payload)


def _write_new(path: Path, payload: bytes) -> None:
    """Create ``path`` (FileExistsError if it exists) with ``payload``, synced."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0), 0o644)
    try:
        os.write(fd, payload)
        os.fsync(fd)
    finally:
        os.close(fd)


def break_lock(path: Path, *, expected: LockInfo | None) -> bool:
    """Remove the lock at ``path`` if it is still ``expected`` (None: still unreadable)."""
    breaker = path.with_name(path.name + ".break")
    try:
        fd = os.open(breaker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        with contextlib.suppress(FileNotFoundError):
            if time.time() - breaker.stat().st_mtime > BREAKER_STALE:
                breaker.unlink()
        return False
    try:
        os.write(fd, f"{HOST} {os.getpid()}".encode())
        os.close(fd)
        current = _read(path)
        same = (current is None and expected is None) or (
            current is not None and expected is not None and current.token == expected.token
        )
        if not same:
            return False
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            breaker.unlink()


def read_lock(register: Path) -> LockInfo | None:
    return _read(lock_path(register))
