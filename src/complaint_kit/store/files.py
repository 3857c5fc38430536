"""Durable file replacement: temp file beside the target, fsync, mode and owner kept, replace,
fsync the folder; and the sweep that removes temp files a killed command left behind.

Temp files are named ``.<target name>.<host>.<pid>.<token>.ck-tmp`` so the sweep can tell a live
writer's file (leave it) from a dead one's (remove it) without any shared state.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import socket
import stat
import time
from collections.abc import Callable
from pathlib import Path

import psutil

TEMP_SUFFIX = ".ck-tmp"
FOREIGN_TEMP_AGE = 3600.0  # seconds: another host's temp file older than this is litter
HOST = socket.gethostname().replace(".", "_") or "host"


def temp_path(target: Path) -> Path:
    """A fresh temp path in the target's folder (same file system, so the replace is atomic)."""
    return target.parent / f".{target.name}.{HOST}.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}"


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX); Windows has no directory handles to sync."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_metadata(tmp: Path, like: Path | None) -> None:
    """The new file gets the old one's permission bits and, where allowed, its owner — a shared
    folder's 0644 register must not become 0600 after a save."""
    if like is not None and like.exists():
        st = like.stat()
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        if hasattr(os, "chown"):
            with contextlib.suppress(PermissionError, OSError):
                if (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
                    os.chown(tmp, st.st_uid, st.st_gid)
    else:
        os.chmod(tmp, _default_mode())


def write_temp(target: Path, write: Callable[[Path], None]) -> Path:
    """Write the new content of ``target`` to a durable temp file beside it and return its path.
    The temp file is removed again when writing fails."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(target)
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0), 0o600)
    os.close(fd)
    try:
        write(tmp)
        copy_metadata(tmp, target)
        fsync_file(tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def replace(tmp: Path, target: Path) -> None:
    """Move a durable temp file over its target and make the rename itself durable."""
    os.replace(tmp, target)
    fsync_dir(target.parent)


def write_atomic(target: Path, write: Callable[[Path], None]) -> Path:
    """Write ``target`` through a durable temp file and an atomic replace: a killed process
    leaves the old file or the new one, never half of one."""
    replace(write_temp(target, write), target)
    return target


def write_bytes_atomic(target: Path, data: bytes) -> Path:
    return write_atomic(target, lambda p: p.write_bytes(data))


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _owner_alive(host: str, pid: int) -> bool | None:
    """True/False on this host; None when the file came from another host (cannot know)."""
    if host != HOST:
        return None
    return psutil.pid_exists(pid)


def sweep_temps(folder: Path, *, keep: frozenset[Path] = frozenset()) -> list[Path]:
    """Remove temp files of ours whose writer is gone: a dead process on this host, or another
    host's file older than an hour. ``keep`` protects files a pending commit still needs."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    now = time.time()
    for path in folder.glob(f".*{TEMP_SUFFIX}"):
        if path in keep:
            continue
        parts = path.name[: -len(TEMP_SUFFIX)].rsplit(".", 3)
        if len(parts) != 4 or not parts[2].isdigit():
            continue
        alive = _owner_alive(parts[1], int(parts[2]))
        try:
            stale = (alive is False) or (alive is None and now - path.stat().st_mtime > FOREIGN_TEMP_AGE)
        except FileNotFoundError:
            continue
        if stale and parts[2] != str(os.getpid()):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed.append(path)
    return removed
