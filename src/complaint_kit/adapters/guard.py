"""What a file is, before anything parses it: refuse what is not a workbook of ours, cheaply.

Forms arrive by e-mail, so every file is untrusted. :func:`check_workbook_file` looks only at
the file's size, its first bytes and its zip directory (never at a part's content), so its cost
is bounded by the file-size budget whatever the file holds. It refuses, each with its own
Chinese + English message:

- a missing file, a folder, an empty file;
- a macro workbook (``.xlsm``/``.xltm``, or any file carrying ``vbaProject.bin``): forms travel as
  macro-free ``.xlsx`` (Office blocks macros in mailed files) and openpyxl would drop the macros;
- a binary workbook (``.xlsb``), an Excel 97–2003 ``.xls`` and a password-protected workbook (both
  are OLE compound files, signature ``D0 CF 11 E0``), a CSV or other text renamed ``.xlsx``;
- a zip that is not an Excel workbook (a Word or PowerPoint file), a damaged zip;
- a zip bomb: the **sum** of the parts' uncompressed sizes, the number of parts and the
  compression ratio are held to a :class:`Budget` (one for a form, a larger one for a register),
  so a bomb split across many small parts is refused as surely as one big part.

The zip directory is trustworthy for this: Python's ``zipfile`` never inflates a part beyond the
size its directory entry declares (it fails the CRC check instead).
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..domain.problems import Problem, problem
from ..domain.values import shown

MiB = 1024 * 1024
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
EOCD = b"PK\x05\x06"
SMALL_PART = MiB  # a part this small cannot hurt, whatever its ratio


class WorkbookError(Exception):
    """A file that is not a usable workbook of ours (I/O, wrong kind, unsafe, damaged).

    ``code`` names the reason (E-XLSM, E-ZIP-BOMB …); ``problems`` lists per-item findings (a bad
    defined name each) when there are several. The message is Chinese with English beside it;
    :meth:`of` takes it from the catalogue (:mod:`complaint_kit.domain.catalogue`)."""

    def __init__(self, message: str, *, code: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.problems: list[Problem] = list(problems or [])
        self.problem: Problem | None = None  # the message as a problem, when made by :meth:`of`

    @classmethod
    def of(
        cls, code: str, *, file: str | None = None, problems: list[Problem] | None = None, **params: Any
    ) -> WorkbookError:
        """``<file>：<中文> — <English>`` from the catalogue's entry for ``code``.

        >>> str(WorkbookError.of("E-EMPTY", file="客诉-01.xlsx"))
        '客诉-01.xlsx：文件是空的（0 字节） — the file is empty (0 bytes)'
        """
        found = problem(code, where=file, **params)
        prefix = f"{file}：" if file else ""
        error = cls(f"{prefix}{found.zh} — {found.en}", code=code, problems=problems)
        error.problem = found
        return error


@dataclass(frozen=True, slots=True)
class Budget:
    """What one workbook read may cost. The sums bound both time and memory of the parse that
    follows (openpyxl needs roughly 10–15 bytes of memory per byte of sheet XML)."""

    kind: str  # 表单 / 登记表, for messages
    max_file_bytes: int
    max_unpacked_bytes: int  # the sum over all parts
    max_parts: int
    max_ratio: int = 100  # uncompressed / compressed, overall and per part above SMALL_PART


# A form is ~45 KB unpacked (13 parts); every long-text field filled to Excel's 32,767-character
# limit adds ~1 MB. 16 MiB leaves room for a few pasted pictures, not for a bomb.
FORM_BUDGET = Budget("表单 form", max_file_bytes=8 * MiB, max_unpacked_bytes=16 * MiB, max_parts=100)
# A 100,000-case register with its history (benchmarks/bench_refresh.make_register + add_history:
# 550,000 journal entries and as many seals) is 103 MB on disk and about 600 MB unpacked; the
# register engine (adapters/register_file.py) opens it in ~700 MB of memory. Twice that leaves
# room for long descriptions; the per-part ratio check still refuses a bomb.
# A table's size: the register has ~40 columns, a wider table is not ours; its journal and seals grow
# by ~5.5 rows per case, and Excel holds 1,048,576 rows on a sheet (the header takes one).
MAX_TABLE_COLUMNS = 512
MAX_TABLE_ROWS = 1_048_575
REGISTER_BUDGET = Budget("登记表 register", max_file_bytes=256 * MiB, max_unpacked_bytes=1536 * MiB, max_parts=500)


def _refuse(path: Path, code: str, **params: Any) -> WorkbookError:
    return WorkbookError.of(code, file=path.name, **params)


# Suffixes with their own message: (code, params of the catalogue's text).
_SUFFIX_CODES: dict[str, tuple[str, dict[str, str]]] = {
    ".xlsm": ("E-XLSM", {"suffix": ".xlsm"}),
    ".xltm": ("E-XLSM", {"suffix": ".xltm"}),
    ".xlsb": ("E-XLSB", {}),
    ".xls": ("E-XLS", {}),
    ".csv": ("E-TEXT-FILE", {"kind": "CSV"}),
    ".xltx": ("E-XLTX", {}),
}


def _refuse_suffix(path: Path, suffix: str) -> WorkbookError:
    code, params = _SUFFIX_CODES[suffix]
    return _refuse(path, code, **params)


def check_suffix(path: Path) -> None:
    """Only ``.xlsx``: anything else would be read as one and saved as plain xlsx under its own
    name (an ``.xlsm`` would lose its macros and no longer open)."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return
    if suffix in _SUFFIX_CODES:
        raise _refuse_suffix(path, suffix)
    raise _refuse(path, "E-SUFFIX", suffix=suffix or "—")


def check_workbook_file(path: Path, budget: Budget = REGISTER_BUDGET) -> None:
    """Raise :class:`WorkbookError` unless ``path`` looks like a safe ``.xlsx`` within ``budget``.
    Reads at most the file's head, its last 64 KiB and its zip directory."""
    if not path.exists():
        raise WorkbookError.of("E-FILE-MISSING", path=path)
    if path.is_dir():
        raise _refuse(path, "E-DIRECTORY")
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise _refuse(path, "E-READ", reason=exc.strerror or exc) from exc
    if size == 0:
        raise _refuse(path, "E-EMPTY")
    if head.startswith(OLE_SIGNATURE):
        raise _ole_error(path, size, budget)
    check_suffix(path)
    if size > budget.max_file_bytes:
        raise _refuse(path, "E-FILE-TOO-LARGE", size=size, kind=budget.kind, limit=budget.max_file_bytes)
    if not head.startswith(ZIP_SIGNATURES):
        raise _not_zip_error(path)
    _check_directory_size(path, size, budget)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except Exception as exc:  # BadZipFile, NotImplementedError (odd versions), struct errors, bad names …
        raise _refuse(path, "E-BAD-ZIP", reason=shown(str(exc), 80)) from exc
    _check_kind(path, {i.filename for i in infos})
    _check_budget(path, infos, budget)


def _ole_error(path: Path, size: int, budget: Budget) -> WorkbookError:
    """An OLE compound file: a password-protected workbook (its streams are called
    EncryptionInfo / EncryptedPackage) or an old binary .xls."""
    try:
        with path.open("rb") as fh:
            data = fh.read(min(size, budget.max_file_bytes))
    except OSError:
        data = b""
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        return _refuse(path, "E-ENCRYPTED")
    return _refuse_suffix(path, ".xls")


def _not_zip_error(path: Path) -> WorkbookError:
    try:
        with path.open("rb") as fh:
            sample = fh.read(4096)
    except OSError:
        sample = b""
    lowered = sample.lstrip().lower()
    if lowered.startswith((b"<html", b"<!doctype html", b"<?xml", b"<table")):
        return _refuse(path, "E-TEXT-FILE", kind="HTML/XML")
    if _looks_like_text(sample):
        return _refuse(path, "E-TEXT-FILE", kind="CSV/TXT")
    return _refuse(path, "E-NOT-XLSX", kind="no zip")


def _looks_like_text(sample: bytes) -> bool:
    if b"\x00" in sample.replace(b"\x00\x00", b"") and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    for encoding in ("utf-8-sig", "utf-16", "gb18030"):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
        return printable >= 0.95 * max(len(text), 1)
    return False


def _check_directory_size(path: Path, size: int, budget: Budget) -> None:
    """Refuse a directory with too many entries before ``zipfile`` builds an object for each."""
    try:
        with path.open("rb") as fh:
            fh.seek(max(0, size - 65_557))
            tail = fh.read()
    except OSError as exc:
        raise _refuse(path, "E-READ", reason=exc.strerror or exc) from exc
    at = tail.rfind(EOCD)
    if at < 0 or len(tail) < at + 22:
        raise _refuse(path, "E-BAD-ZIP", reason="no zip directory")
    entries, directory_bytes = struct.unpack_from("<HI", tail, at + 10)
    if entries > budget.max_parts or directory_bytes > budget.max_parts * 1024:
        raise _too_many_parts(path, entries, budget)


def _too_many_parts(path: Path, parts: int, budget: Budget) -> WorkbookError:
    return _refuse(path, "E-TOO-MANY-PARTS", parts=parts, kind=budget.kind, limit=budget.max_parts)


def _check_kind(path: Path, names: set[str]) -> None:
    lowered = {n.lower() for n in names}
    if any(n.endswith("vbaproject.bin") for n in lowered):
        raise _refuse(path, "E-XLSM", suffix=f"{path.suffix}, vbaProject.bin")
    if "xl/workbook.bin" in lowered:
        raise _refuse_suffix(path, ".xlsb")
    if "xl/workbook.xml" in lowered and "[content_types].xml" in lowered:
        return
    if "word/document.xml" in lowered:
        kind = "Word"
    elif "ppt/presentation.xml" in lowered:
        kind = "PowerPoint"
    else:
        kind = "zip"
    raise _refuse(path, "E-NOT-XLSX", kind=kind)


def _check_budget(path: Path, infos: list[zipfile.ZipInfo], budget: Budget) -> None:
    if len(infos) > budget.max_parts:
        raise _too_many_parts(path, len(infos), budget)
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if total > budget.max_unpacked_bytes:
        raise _refuse(path, "E-UNPACKED-TOO-LARGE", size=total, kind=budget.kind, limit=budget.max_unpacked_bytes)
    bomb = [i for i in infos if i.file_size > SMALL_PART and i.file_size > budget.max_ratio * max(i.compress_size, 1)]
    if total > SMALL_PART and total > budget.max_ratio * max(packed, 1):
        bomb = bomb or infos
    if bomb:
        raise _refuse(path, "E-ZIP-BOMB", part=shown(bomb[0].filename, 80))


# -- what a form of ours holds (checked after parsing, before anything is read) ----------------
def form_name_sheets() -> dict[str, str]:
    """Where the template puts each defined name: every field on the form sheet, every ``META_*``
    name of the layout on the hidden meta sheet."""
    from .. import layout as L

    meta = {v for k, v in vars(L).items() if k.startswith("META_") and k != "META_SHEET" and isinstance(v, str)}
    return {f.name: L.FORM_SHEET for f in L.FORM_FIELDS} | dict.fromkeys(sorted(meta), L.META_SHEET)


def required_form_names() -> list[str]:
    """Names every form version has (a version-1 form lacks the later meta names)."""
    from .. import layout as L

    return [f.name for f in L.form_fields_of(1)] + [L.META_VERSION, L.META_SETTINGS]


def check_form_version(label: str, value: object) -> None:
    """Versions 1 … the current one are read; an older or newer template gets its own message."""
    from .. import layout as L

    current = int(L.FORM_VERSION)
    text = str(value).strip() if value is not None else ""
    if text.endswith(".0"):
        text = text[:-2]
    if text.isascii() and text.isdigit() and 1 <= int(text) <= current:
        return
    if text.isascii() and text.isdigit() and int(text) > current:
        raise WorkbookError.of("E-FORM-TOO-NEW", file=label, version=text, current=current)
    raise WorkbookError.of("E-FORM-VERSION", file=label, version=shown(text, 20) or "—")


def table_problems(
    label: str,
    present: Iterable[str],
    expected: Mapping[str, Sequence[str]],
    required: Iterable[str],
    header_of: Callable[[str], tuple[list[str], str]],
) -> list[Problem]:
    """What ``check_tables`` of either file engine reports: one problem per table that is missing
    (when required), whose range is broken (``header_of`` raises it), or whose header row lacks
    what the kit uses. ``header_of(table)`` gives the header row and where it is."""
    problems: list[Problem] = []
    there, needed = set(present), set(required)
    for table, headers in expected.items():
        if table not in there:
            if table in needed:
                problems.append(problem("E-MISSING-TABLE", where=label, table=table))
            continue
        try:
            found, where = header_of(table)
        except WorkbookError as exc:
            if exc.problem is None:
                raise
            problems.append(exc.problem)
            continue
        bad = header_problem(table, found, headers, where=where)
        if bad is not None:
            problems.append(bad)
    return problems


def header_problem(table: str, found: list[str], headers: Sequence[str], *, where: str) -> Problem | None:
    """E-TABLE-HEADERS when a table's header row (``found``) lacks what the kit uses: the Register
    table may carry extra columns and a column renamed since it was built counts under its old
    header; every other table is rewritten whole, so its headers must match exactly."""
    from .. import layout as L

    exact = table not in (L.REGISTER_TABLE, L.CALLS_TABLE)  # the two registers may carry columns of the office's own
    if not exact:
        legacy = L.REGISTER_LEGACY_HEADERS
        found = [*found, *(L.COLUMN_BY_ATTR[legacy[h]].header for h in found if h in legacy)]
    if (exact and tuple(found) == tuple(headers)) or (not exact and set(headers) <= set(found)):
        return None
    missing = [h for h in headers if h not in found] or list(headers)
    return problem(
        "E-TABLE-HEADERS",
        where=where,
        table=table,
        expected_zh="、".join(missing[:8]),
        expected_en=", ".join(missing[:8]),
    )


def table_headers(kind: str) -> tuple[dict[str, tuple[str, ...]], set[str]]:
    """Every table the layout defines for a ``form``, ``register`` or ``service`` workbook with its headers, and which
    of them must exist (a register from before the Signatures table may lack it). The Register
    table may carry extra columns; every other table is written whole, so its headers must match."""
    from .. import layout as L

    if kind == "form":
        return {L.FORM_LOG_TABLE: L.FORM_LOG_HEADERS}, {L.FORM_LOG_TABLE}
    optional = {L.COLUMN_BY_ATTR[a].header for a in L.REGISTER_OPTIONAL_ATTRS}  # added later: may be missing
    expected = {L.REGISTER_TABLE: tuple(h for h in L.REGISTER_HEADERS if h not in optional)}
    for key, value in vars(L).items():
        if key.endswith("_TABLE") and key not in ("FORM_LOG_TABLE", "REGISTER_TABLE") and isinstance(value, str):
            headers = getattr(L, key.removesuffix("_TABLE") + "_HEADERS", None)
            if isinstance(headers, tuple):
                expected[value] = headers
    if kind == "service":  # a service centre's workbook (issue 11)
        return expected, {L.CALLS_TABLE, L.SETTINGS_TABLE, L.CALENDAR_TABLE, L.SERIALS_TABLE}
    required = {L.REGISTER_TABLE, L.SETTINGS_TABLE, L.CALENDAR_TABLE, L.SERIALS_TABLE, L.JOURNAL_TABLE}
    return expected, required & set(expected)
