"""Reproducible Office packages: rewrite a zip with fixed entry times (and optional edits), so
the same sources build the same bytes and committed files change only when their content does."""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

FIXED_ZIP_TIME = (2026, 1, 1, 0, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def pin_core_properties(data: bytes) -> bytes:
    """docProps/core.xml without the save time that writers stamp into ``dcterms:modified``."""
    return _MODIFIED.sub(rb"\g<1>2026-01-01T00:00:00Z\g<2>", data)


def rewrite_zip(
    src: Path,
    dst: Path,
    *,
    edit: Callable[[str, bytes], bytes] = lambda name, data: data,
    extra: dict[str, bytes] | None = None,
) -> Path:
    """Copy ``src`` to ``dst`` (may be the same file) entry by entry with fixed times; ``edit``
    may change an entry, ``extra`` adds entries. Written to a temp file, then moved in place."""
    tmp = dst.with_name(f".{dst.name}.tmp")
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = pin_core_properties(data)
            _write(zout, info.filename, edit(info.filename, data))
        for name, data in (extra or {}).items():
            _write(zout, name, data)
    os.replace(tmp, dst)
    return dst


def _write(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    zf.writestr(info, data)
