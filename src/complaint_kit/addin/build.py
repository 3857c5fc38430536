"""Build ``addin/complaint_kit.xlam`` on Linux (``complaint-kit addin build``).

* the ribbon: ``customUI/customUI14.xml`` generated from the button registry;
* the VBA project: ``macros/*.bas`` (plain ASCII) compiled into ``vbaProject.bin`` by ``ms-ovba``,
  source only with no performance cache ([MS-OVBA], version 0xFFFF), so Excel compiles it on first
  load. Like the project files Excel, EPPlus and vbamc write, it carries the ``PROJECTwm`` stream
  ([MS-OVBA] 2.3.3) and the ``VersionCompatible32="393222000"`` line of the ``PROJECT`` stream
  (2.3.1.10);
* the workbook shell (with the ``ThisWorkbook`` / ``Sheet1`` code names the VBA project expects)
  written by XlsxWriter as ``.xlsm`` (:func:`write_macro_workbook`, also used by the tests to build a
  probe workbook LibreOffice runs), then given the add-in main content type and the ribbon part.

The compression of module and ``dir`` streams ([MS-OVBA] 2.4.1) is ours (:func:`compress_ovba`):
ms-ovba's compressor (``ms-ovba-compression`` 1.0.1) computes a copy token's maximum length as
``0xFFFF << bit_count + 3`` where 2.4.1.3.19.1 says ``(0xFFFF >> bit_count) + 3``, so a long repeated
run (``ChrW(…) & ChrW(…)``) is packed into a token that decodes to other text: LibreOffice then loads
the module empty and oletools silently returns garbage. The build swaps our compressor in.

The clerk's messages are Chinese, but VBA source is stored in the machine's code page, so the
``.bas`` files stay ASCII and build Chinese text with ``ChrW``: ``macros/CK_Text.bas`` is generated
from :data:`VBA_TEXTS` (``uv run python -m complaint_kit.addin.build``), and a build refuses a stale
copy. Nobody hand-encodes code points.

Zip entries get a fixed timestamp so that two builds of the same sources are byte-identical.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .. import layout as L
from ..buttons import RIBBON_TAB_LABEL, ribbon_xml
from ..packaging import rewrite_zip

XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
XLAM_MAIN = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
UI_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
CUSTOMUI_PART = "customUI/customUI14.xml"
PROJECT_ID = "{6C6B1A52-3C1E-4B7A-9D51-0C4B1E2A7F10}"
# [MS-OVBA] 2.3.1.10 ProjectVersionCompat32: the one value the grammar allows; Excel, EPPlus and
# vbamc all write it, and a project without it is one way ours differed from Excel's own.
VERSION_COMPATIBLE32 = "393222000"
TEXT_MODULE = "CK_Text"
REGENERATE = "uv run python -m complaint_kit.addin.build"


class AddinBuildError(Exception):
    pass


@dataclass(frozen=True)
class VbaText:
    """One message the add-in's VBA shows: a VBA function ``name`` returning ``zh`` (Chinese,
    for the clerk) and, on the next line, ``en`` (English, for the administrator; ASCII)."""

    name: str
    zh: str
    en: str = ""


VBA_TEXTS: tuple[VbaText, ...] = (
    VbaText("CK_TextTitle", RIBBON_TAB_LABEL),
    VbaText(
        "CK_TextNoWorkbook",
        "没有活动的工作簿：请先打开（或点选）要处理的工作簿，再点按钮。如果文件停在“受保护的视图”，请先点“启用编辑”。",
        "No workbook is active: open (or click into) the workbook first, then press the button.",
    ),
    VbaText(
        "CK_TextXlwingsMissing",
        "找不到 xlwings 加载项（xlwings.xlam），按钮无法运行。"
        "请管理员为您（每个使用者各一次）运行：complaint-kit addin install，然后重新启动 Excel。",
        "The xlwings add-in (xlwings.xlam) is not loaded. Ask the administrator to run, for this user:"
        " complaint-kit addin install, then restart Excel.",
    ),
    VbaText(
        "CK_TextFailed",
        "客诉管理加载项未能运行这个按钮。请把下面的错误信息告诉管理员：",
        "The complaint_kit add-in could not run this button. Tell the administrator:",
    ),
)

_CHUNK = 8  # ChrW calls per VBA line: keeps every line far below VBA's 1023-character limit


def vba_string_lines(text: str) -> list[str]:
    """``text`` as VBA expressions (ASCII) whose concatenation is ``text``: runs of printable
    ASCII as quoted literals, every other character as ``ChrW(code point)``; line breaks as
    ``vbCrLf``. Each item fits on one line. Example: ``"xlwings 加载"`` →
    ``['"xlwings " & ChrW(21152) & ChrW(36733)']``."""
    parts: list[str] = []
    for run in re.findall(r"[ -~]+|\r\n|[^ -~]", text):
        if run == "\r\n":
            parts.append("vbCrLf")
        elif run.isascii() and run.isprintable():
            parts.append('"' + run.replace('"', '""') + '"')
        else:
            code = ord(run)
            if code > 0xFFFF:
                raise AddinBuildError(f"ChrW 只能表示 BMP 字符 — ChrW covers the BMP only: {run!r}")
            parts.append(f"ChrW({code})")
    lines, current = [], []
    for part in parts:
        current.append(part)
        if len(current) == _CHUNK or (part.startswith('"') and len(part) > 40):
            lines.append(" & ".join(current))
            current = []
    if current:
        lines.append(" & ".join(current))
    return lines or ['""']


def render_text_module(texts: tuple[VbaText, ...] = VBA_TEXTS) -> str:
    """The VBA source of ``macros/CK_Text.bas`` (ASCII, LF line ends like the other ``.bas``)."""
    out = [
        f'Attribute VB_Name = "{TEXT_MODULE}"',
        "' The add-in's messages. GENERATED from complaint_kit.addin.build.VBA_TEXTS - do not edit;",
        f"' regenerate with: {REGENERATE}",
        "' Chinese is built with ChrW (code points in decimal) because VBA source must stay ASCII.",
        "' Option Private Module: these functions are not offered to worksheets as cell functions.",
        "Option Explicit",
        "Option Private Module",
    ]
    for text in texts:
        full = text.zh + ("\r\n" + text.en if text.en else "")
        out += ["", f"Public Function {text.name}() As String", "    Dim s As String"]
        for i, line in enumerate(vba_string_lines(full)):
            out.append(f"    s = {line}" if i == 0 else f"    s = s & {line}")
        out += [f"    {text.name} = s", "End Function"]
    return "\n".join(out) + "\n"


def write_text_module(macros: Path) -> Path:
    path = macros / f"{TEXT_MODULE}.bas"
    path.write_bytes(render_text_module().encode("ascii"))
    return path


def read_sources(macros: Path) -> dict[str, str]:
    """``{module name: source}`` of every ``.bas``; refuses non-ASCII (VBA uses the code page)."""
    sources: dict[str, str] = {}
    for path in sorted(macros.glob("*.bas")):
        raw = path.read_bytes()
        try:
            text = raw.decode("ascii")
        except UnicodeDecodeError as exc:
            raise AddinBuildError(f"{path.name}: VBA 源码必须是 ASCII — VBA source must be ASCII ({exc})") from None
        m = re.search(r'^Attribute VB_Name = "([^"]+)"', text, re.M)
        sources[m.group(1) if m else path.stem] = text
    if not sources:
        raise AddinBuildError(f"没有 .bas 文件 — no .bas files in {macros}")
    return sources


def check_text_module(sources: dict[str, str]) -> None:
    """Refuse a missing or hand-edited ``CK_Text.bas``: the messages come from :data:`VBA_TEXTS`."""
    got = sources.get(TEXT_MODULE, "").replace("\r\n", "\n")
    if got != render_text_module():
        raise AddinBuildError(
            f"{TEXT_MODULE}.bas 缺失或不是由 VBA_TEXTS 生成的最新版本，请运行 — is missing or stale, run: {REGENERATE}"
        )


_CHUNK_SIZE = 4096  # [MS-OVBA] 2.4.1.1.4: a DecompressedChunk holds at most 4096 bytes


def _copy_token_bits(difference: int) -> int:
    """[MS-OVBA] 2.4.1.3.19.1 CopyToken Help: bits of a copy token that hold the offset, for a
    token ``difference`` bytes after the start of its chunk."""
    return max((difference - 1).bit_length(), 4)


def _compress_chunk(chunk: bytes) -> bytes:
    """One CompressedChunk (header + data) for up to 4096 bytes ([MS-OVBA] 2.4.1.3.7): tokens
    in groups of eight behind a flag byte; a copy token points at the nearest longest earlier
    match (at least 3 bytes) in the same chunk. A chunk that does not shrink is stored raw
    (2.4.1.3.10, padded to 4096 bytes)."""
    size = len(chunk)
    seen: dict[bytes, list[int]] = {}  # 3-byte prefix -> earlier positions in this chunk
    body = bytearray()
    pos = 0

    def remember(start: int, stop: int) -> None:
        for p in range(start, min(stop, size - 2)):
            seen.setdefault(chunk[p : p + 3], []).append(p)

    while pos < size:
        flag_at = len(body)
        body.append(0)
        for bit in range(8):
            if pos >= size:
                break
            bits = _copy_token_bits(pos)
            max_length = (0xFFFF >> bits) + 3
            best_length, best_at = 0, 0
            for candidate in reversed(seen.get(chunk[pos : pos + 3], ())):
                length = 0
                while pos + length < size and length < max_length and chunk[candidate + length] == chunk[pos + length]:
                    length += 1
                if length > best_length:
                    best_length, best_at = length, candidate
                    if length == max_length:
                        break
            if best_length >= 3:
                token = ((pos - best_at - 1) << (16 - bits)) | (best_length - 3)
                body += token.to_bytes(2, "little")
                body[flag_at] |= 1 << bit
                remember(pos, pos + best_length)
                pos += best_length
            else:
                body.append(chunk[pos])
                remember(pos, pos + 1)
                pos += 1
    if len(body) > _CHUNK_SIZE:
        return (0x3000 | (_CHUNK_SIZE - 1)).to_bytes(2, "little") + chunk.ljust(_CHUNK_SIZE, b"\0")
    return (0xB000 | (len(body) - 1)).to_bytes(2, "little") + bytes(body)


def compress_ovba(data: bytes) -> bytes:
    """A CompressedContainer ([MS-OVBA] 2.4.1.3.6): signature byte 0x01, then one chunk per
    4096 bytes of ``data``."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), _CHUNK_SIZE):
        out += _compress_chunk(data[start : start + _CHUNK_SIZE])
    return bytes(out)


@contextmanager
def _our_compressor() -> Iterator[None]:
    """ms-ovba compresses through ``MsOvba().compress``; use :func:`compress_ovba` meanwhile."""
    from ms_ovba_compression.ms_ovba import MsOvba

    original = MsOvba.compress
    MsOvba.compress = lambda self, data: compress_ovba(data)  # type: ignore[method-assign]
    try:
        yield
    finally:
        MsOvba.compress = original  # type: ignore[method-assign]


def build_vba_project(sources: dict[str, str]) -> bytes:
    """vbaProject.bin from VBA sources via ms-ovba (which works in the current folder)."""
    from ms_ovba.Models.Entities.doc_module import DocModule
    from ms_ovba.Models.Entities.reference import Reference
    from ms_ovba.Models.Entities.reference_registered import ReferenceRegistered
    from ms_ovba.Models.Entities.std_module import StdModule
    from ms_ovba.Models.Fields.libid_reference import LibidReference
    from ms_ovba.vbaProject import VbaProject
    from ms_ovba.Views.project_ole_file import ProjectOleFile

    blank = Path(__import__("ms_ovba").__file__).parent / "blank_files"
    cwd = os.getcwd()
    # MS-OVBA's data "encryption" of the PROJECT stream draws a random seed; a fixed one makes
    # builds reproducible (it protects nothing either way). The global state is restored after.
    state = random.getstate()
    random.seed(20260101)
    with tempfile.TemporaryDirectory() as tmp, _our_compressor():
        os.chdir(tmp)
        try:
            project = VbaProject()
            project.project_id = PROJECT_ID
            # ms-ovba writes attributes after HelpContextID and before CMG, where the grammar of
            # [MS-OVBA] 2.3.1.1 puts ProjectVersionCompat32; PROJECTwm lists the modules (2.3.3).
            project.add_attribute("VersionCompatible32", VERSION_COMPATIBLE32)
            project.include_projectwm()
            for name, guid in (
                ("Sheet1", "0002082000000000C000000000000046"),
                ("ThisWorkbook", "0002081900000000C000000000000046"),
            ):
                shutil.copyfile(blank / f"{name}.cls", f"{name}.cls")
                doc = DocModule(name)
                doc.add_file(f"{name}.cls")
                doc.add_guid(uuid.UUID(guid))
                doc.normalize_file()
                project.add_module(doc)
            for name, text in sources.items():
                Path(f"{name}.bas").write_bytes(text.replace("\r\n", "\n").replace("\n", "\r\n").encode("ascii"))
                module = StdModule(name)
                module.add_file(f"{name}.bas")
                module.normalize_file()
                project.add_module(module)
            for libid, version, path, label, ref_name in (
                (
                    "0002043000000000C000000000000046",
                    "2.0",
                    r"C:\Windows\System32\stdole2.tlb",
                    "OLE Automation",
                    "stdole",
                ),
                (
                    "2DF8D04C5BFA101BBDE500AA0044DE52",
                    "2.0",
                    r"C:\Program Files\Common Files\Microsoft Shared\OFFICE16\MSO.DLL",
                    "Microsoft Office 16.0 Object Library",
                    "Office",
                ),
            ):
                ref = ReferenceRegistered(LibidReference(uuid.UUID(libid), version, "0", path, label))
                project.add_reference(Reference(ref, ref_name))
            ProjectOleFile.write_file(project)
            return Path("vbaProject.bin").read_bytes()
        finally:
            os.chdir(cwd)
            random.setstate(state)


def write_macro_workbook(sources: dict[str, str], out: Path) -> Path:
    """A macro-enabled workbook (``.xlsm``) holding ``sources`` as its VBA project: the shell of
    the add-in, and what the LibreOffice probe test runs a macro from."""
    import xlsxwriter

    vba = build_vba_project(sources)
    with tempfile.TemporaryDirectory() as tmp:
        bin_path = Path(tmp) / "vbaProject.bin"
        bin_path.write_bytes(vba)
        shell = Path(tmp) / "shell.xlsm"
        wb = xlsxwriter.Workbook(str(shell))
        wb.set_properties({"title": "complaint_kit add-in", "author": "complaint_kit", "created": datetime(2026, 1, 1)})
        ws = wb.add_worksheet("Sheet1")
        ws.write("A1", "complaint_kit — 客诉管理加载项 (ribbon tab 客诉管理); code: macros/*.bas")
        wb.add_vba_project(str(bin_path))
        wb.set_vba_name("ThisWorkbook")
        ws.set_vba_name("Sheet1")
        wb.close()
        out.parent.mkdir(parents=True, exist_ok=True)
        return rewrite_zip(shell, out)


def build_addin(macros: Path, out: Path) -> Path:
    sources = read_sources(macros)
    check_text_module(sources)
    with tempfile.TemporaryDirectory() as tmp:
        shell = write_macro_workbook(sources, Path(tmp) / "shell.xlsm")

        def edit(name: str, data: bytes) -> bytes:
            if name == "[Content_Types].xml":
                return data.replace(XLSM_MAIN.encode(), XLAM_MAIN.encode())
            if name == "_rels/.rels":
                rel = f'<Relationship Id="rIdCustomUI" Type="{UI_REL}" Target="{CUSTOMUI_PART}"/>'
                return data.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            return data

        out.parent.mkdir(parents=True, exist_ok=True)
        rewrite_zip(shell, out, edit=edit, extra={CUSTOMUI_PART: ribbon_xml().encode("utf-8")})
    return out


def repo_paths() -> tuple[Path, Path]:
    """``macros/`` and ``addin/complaint_kit.xlam`` in a checkout."""
    root = Path(__file__).resolve().parents[3]
    return root / "macros", root / "addin" / L.ADDIN_FILE


def built_addin() -> Path:
    """The add-in to install: packaged in a wheel, or the checkout's ``addin/``."""
    packaged = Path(__file__).resolve().parent / L.ADDIN_FILE
    return packaged if packaged.exists() else repo_paths()[1]


if __name__ == "__main__":  # regenerate macros/CK_Text.bas from VBA_TEXTS, then build the add-in
    macros_dir, addin_out = repo_paths()
    print(f"已生成 written: {write_text_module(macros_dir)}")
    print(f"已生成 built: {build_addin(macros_dir, addin_out)}")
