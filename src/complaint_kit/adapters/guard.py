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
from dataclasses import dataclass, field
from pathlib import Path

from ..domain.problems import Problem
from ..domain.values import shown

MiB = 1024 * 1024
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
EOCD = b"PK\x05\x06"
SMALL_PART = MiB  # a part this small cannot hurt, whatever its ratio


class WorkbookError(Exception):
    """A file that is not a usable workbook of ours (I/O, wrong kind, unsafe, damaged).

    ``code`` names the reason (E-XLSM, E-ZIP-BOMB …); ``problems`` lists per-item findings (a bad
    defined name each) when there are several. The message is Chinese with English beside it."""

    def __init__(self, message: str, *, code: str = "E-WORKBOOK", problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.problems: list[Problem] = list(problems or [])


@dataclass(frozen=True, slots=True)
class Budget:
    """What one workbook read may cost. The sums bound both time and memory of the parse that
    follows (openpyxl needs roughly 10–15 bytes of memory per byte of sheet XML)."""

    kind: str  # 表单 / 登记表, for messages
    max_file_bytes: int
    max_unpacked_bytes: int  # the sum over all parts
    max_parts: int
    max_ratio: int = 100  # uncompressed / compressed, overall and per part above SMALL_PART
    suffixes: tuple[str, ...] = field(default=(".xlsx",))


# A form is ~45 KB unpacked (13 parts); every long-text field filled to Excel's 32,767-character
# limit adds ~1 MB. 16 MiB leaves room for a few pasted pictures, not for a bomb.
FORM_BUDGET = Budget("表单 form", max_file_bytes=8 * MiB, max_unpacked_bytes=16 * MiB, max_parts=100)
# A 100,000-case register (benchmarks/bench_refresh.make_register) is 11.9 MB on disk, 24 parts,
# 121 MB unpacked (sheet XML ratio 10.2). Twice that leaves room for long descriptions; openpyxl
# needs ~1.9 GB of memory at 100k rows, so much more would not open on an office PC anyway.
REGISTER_BUDGET = Budget("登记表 register", max_file_bytes=64 * MiB, max_unpacked_bytes=256 * MiB, max_parts=500)


def _refuse(path: Path, code: str, zh: str, en: str) -> WorkbookError:
    return WorkbookError(f"{path.name}：{zh} — {en}", code=code)


_SUFFIX_MESSAGES: dict[str, tuple[str, str, str]] = {
    ".xlsm": (
        "E-XLSM",
        "这是含宏的工作簿(.xlsm)，不受理；表单须为不含宏的 .xlsx：请在 Excel 中“另存为 Excel 工作簿(*.xlsx)”后再试",
        "a macro-enabled workbook (.xlsm) is not accepted; forms travel as macro-free .xlsx: save it as"
        " 'Excel Workbook (*.xlsx)' and try again",
    ),
    ".xltm": (
        "E-XLSM",
        "这是含宏的模板(.xltm)，不受理；请另存为 .xlsx",
        "a macro-enabled template (.xltm) is not accepted; save it as .xlsx",
    ),
    ".xlsb": (
        "E-XLSB",
        "这是二进制工作簿(.xlsb)，无法读取；请在 Excel 中另存为 .xlsx",
        "a binary workbook (.xlsb) cannot be read; save it as .xlsx in Excel",
    ),
    ".xls": (
        "E-XLS",
        "这是旧版 Excel 97-2003 工作簿(.xls)，无法读取；请在 Excel 中另存为 .xlsx",
        "an Excel 97-2003 workbook (.xls) cannot be read; save it as .xlsx in Excel",
    ),
    ".csv": (
        "E-TEXT-FILE",
        "这是 CSV 文本文件，不是工作簿；请使用本工具生成的 .xlsx 表单",
        "a CSV text file is not a workbook; use the .xlsx form made by the kit",
    ),
    ".xltx": (
        "E-SUFFIX",
        "这是 Excel 模板(.xltx)；请先由模板新建 .xlsx 工作簿",
        "an Excel template (.xltx); create an .xlsx workbook from it first",
    ),
}


def check_suffix(path: Path) -> None:
    """Only ``.xlsx``: anything else would be read as one and saved as plain xlsx under its own
    name (an ``.xlsm`` would lose its macros and no longer open)."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return
    if suffix in _SUFFIX_MESSAGES:
        raise _refuse(path, *_SUFFIX_MESSAGES[suffix])
    raise _refuse(
        path,
        "E-SUFFIX",
        f"文件类型“{suffix or '(无扩展名)'}”不受理，只接受 .xlsx 工作簿",
        f"file type {suffix or '(none)'!r} is not accepted; only .xlsx workbooks",
    )


def check_workbook_file(path: Path, budget: Budget = REGISTER_BUDGET) -> None:
    """Raise :class:`WorkbookError` unless ``path`` looks like a safe ``.xlsx`` within ``budget``.
    Reads at most the file's head, its last 64 KiB and its zip directory."""
    if not path.exists():
        raise WorkbookError(f"找不到文件 — file not found: {path}", code="E-FILE-MISSING")
    if path.is_dir():
        raise _refuse(path, "E-DIRECTORY", "这是文件夹，不是工作簿", "this is a folder, not a workbook")
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise _refuse(path, "E-READ", f"无法读取文件（{exc.strerror}）", f"cannot read the file ({exc})") from exc
    if size == 0:
        raise _refuse(path, "E-EMPTY", "文件是空的（0 字节）", "the file is empty (0 bytes)")
    if head.startswith(OLE_SIGNATURE):
        raise _ole_error(path, size, budget)
    check_suffix(path)
    if size > budget.max_file_bytes:
        raise _refuse(
            path,
            "E-FILE-TOO-LARGE",
            f"文件过大（{size:,} 字节，{budget.kind}上限 {budget.max_file_bytes:,}）",
            f"file too large ({size:,} bytes; limit for a {budget.kind} {budget.max_file_bytes:,})",
        )
    if not head.startswith(ZIP_SIGNATURES):
        raise _not_zip_error(path)
    _check_directory_size(path, size, budget)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except Exception as exc:  # BadZipFile, NotImplementedError (odd versions), struct errors, bad names …
        raise _refuse(
            path,
            "E-BAD-ZIP",
            "文件已损坏，无法作为 .xlsx 读取",
            f"the file is damaged and cannot be read as .xlsx ({exc})",
        ) from exc
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
        return _refuse(
            path,
            "E-ENCRYPTED",
            "工作簿设有打开密码（已加密），无法读取；请在 Excel 中取消密码（文件→信息→保护工作簿）后另存为 .xlsx",
            "the workbook is password-protected (encrypted) and cannot be read; remove the password"
            " (File → Info → Protect Workbook) and save it as .xlsx",
        )
    return _refuse(path, *_SUFFIX_MESSAGES[".xls"])


def _not_zip_error(path: Path) -> WorkbookError:
    try:
        with path.open("rb") as fh:
            sample = fh.read(4096)
    except OSError:
        sample = b""
    lowered = sample.lstrip().lower()
    if lowered.startswith((b"<html", b"<!doctype html", b"<?xml", b"<table")):
        return _refuse(
            path,
            "E-TEXT-FILE",
            "这是网页/XML 文件改名为 .xlsx，不是工作簿；请在 Excel 中另存为 .xlsx",
            "an HTML/XML file renamed .xlsx, not a workbook; save it as .xlsx in Excel",
        )
    if _looks_like_text(sample):
        return _refuse(path, "E-TEXT-FILE", *_text_messages())
    return _refuse(
        path, "E-NOT-XLSX", "不是 Excel 工作簿(.xlsx)", "not an Excel workbook (.xlsx): the file is not a zip package"
    )


def _text_messages() -> tuple[str, str]:
    return (
        "这是文本/CSV 文件改名为 .xlsx，不是工作簿；请在 Excel 中打开后另存为 .xlsx",
        "a text/CSV file renamed .xlsx, not a workbook; open it in Excel and save it as .xlsx",
    )


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
        raise _refuse(path, "E-READ", "无法读取文件", f"cannot read the file ({exc})") from exc
    at = tail.rfind(EOCD)
    if at < 0 or len(tail) < at + 22:
        raise _refuse(path, "E-BAD-ZIP", "文件已损坏（找不到 zip 目录）", "the file is damaged (no zip directory)")
    entries, directory_bytes = struct.unpack_from("<HI", tail, at + 10)
    if entries > budget.max_parts or directory_bytes > budget.max_parts * 1024:
        raise _too_many_parts(path, entries, budget)


def _too_many_parts(path: Path, parts: int, budget: Budget) -> WorkbookError:
    return _refuse(
        path,
        "E-TOO-MANY-PARTS",
        f"工作簿内部部件过多（{parts:,} 个，{budget.kind}上限 {budget.max_parts}），疑为恶意文件",
        f"too many parts in the package ({parts:,}; limit for a {budget.kind} {budget.max_parts});"
        " not a workbook we accept",
    )


def _check_kind(path: Path, names: set[str]) -> None:
    lowered = {n.lower() for n in names}
    if any(n.endswith("vbaproject.bin") for n in lowered):
        raise _refuse(path, *_SUFFIX_MESSAGES[".xlsm"])
    if "xl/workbook.bin" in lowered:
        raise _refuse(path, *_SUFFIX_MESSAGES[".xlsb"])
    if "xl/workbook.xml" in lowered and "[content_types].xml" in lowered:
        return
    if "word/document.xml" in lowered:
        zh, en = "这是 Word 文档，不是 Excel 工作簿", "a Word document, not an Excel workbook"
    elif "ppt/presentation.xml" in lowered:
        zh, en = "这是 PowerPoint 文件，不是 Excel 工作簿", "a PowerPoint file, not an Excel workbook"
    else:
        zh, en = "这是 zip 压缩包，不是 Excel 工作簿", "a zip archive, not an Excel workbook"
    raise _refuse(path, "E-NOT-XLSX", zh, en)


def _check_budget(path: Path, infos: list[zipfile.ZipInfo], budget: Budget) -> None:
    if len(infos) > budget.max_parts:
        raise _too_many_parts(path, len(infos), budget)
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if total > budget.max_unpacked_bytes:
        raise _refuse(
            path,
            "E-UNPACKED-TOO-LARGE",
            f"解压后过大（{total:,} 字节，{budget.kind}上限 {budget.max_unpacked_bytes:,}），疑为压缩炸弹",
            f"unpacks to {total:,} bytes (limit for a {budget.kind} {budget.max_unpacked_bytes:,}); a zip bomb?",
        )
    bomb = [i for i in infos if i.file_size > SMALL_PART and i.file_size > budget.max_ratio * max(i.compress_size, 1)]
    if total > SMALL_PART and total > budget.max_ratio * max(packed, 1):
        bomb = bomb or infos
    if bomb:
        raise _refuse(
            path,
            "E-ZIP-BOMB",
            f"压缩比异常（{bomb[0].filename}），疑为压缩炸弹，不读取",
            f"suspicious compression ratio ({bomb[0].filename}); a zip bomb is not read",
        )


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

    return [f.name for f in L.FORM_FIELDS] + [L.META_VERSION, L.META_SETTINGS]


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
        raise WorkbookError(
            f"{label}：此表单由较新版本的工具建立（表单版本 {text}，本工具最高支持 {current}），请升级 complaint-kit"
            f" — the form was made by a newer kit (form version {text}; this kit reads up to {current}); upgrade it",
            code="E-FORM-VERSION",
        )
    raise WorkbookError(
        f"{label}：表单版本“{shown(text, 20) or '(空)'}”无法识别，可能是旧版或被改动的模板；请用 complaint-kit new-form"
        f" 新建表单并抄录内容 — unknown form version {shown(text, 20)!r} (an old or edited template); create a new form"
        " with complaint-kit new-form and copy the entries",
        code="E-FORM-VERSION",
    )


def table_headers(kind: str) -> tuple[dict[str, tuple[str, ...]], set[str]]:
    """Every table the layout defines for a ``form`` or ``register`` with its headers, and which
    of them must exist (a register from before the Signatures table may lack it). The Register
    table may carry extra columns; every other table is written whole, so its headers must match."""
    from .. import layout as L

    if kind == "form":
        return {L.FORM_LOG_TABLE: L.FORM_LOG_HEADERS}, {L.FORM_LOG_TABLE}
    expected = {L.REGISTER_TABLE: L.REGISTER_HEADERS}
    for key, value in vars(L).items():
        if key.endswith("_TABLE") and key not in ("FORM_LOG_TABLE", "REGISTER_TABLE") and isinstance(value, str):
            headers = getattr(L, key.removesuffix("_TABLE") + "_HEADERS", None)
            if isinstance(headers, tuple):
                expected[value] = headers
    required = {L.REGISTER_TABLE, L.SETTINGS_TABLE, L.CALENDAR_TABLE, L.SERIALS_TABLE, L.JOURNAL_TABLE}
    return expected, required & set(expected)
