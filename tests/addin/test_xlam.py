"""The built add-in: ribbon = registry; the VBA project re-parsed strictly per [MS-OVBA] (container,
compression, dir record order, PROJECT and PROJECTwm streams); read back exactly by olevba; loaded
by LibreOffice, which also runs a probe macro from a workbook built by the same builder."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from complaint_kit.addin.build import (
    CUSTOMUI_PART,
    PROJECT_ID,
    TEXT_MODULE,
    VBA_TEXTS,
    VERSION_COMPATIBLE32,
    XLAM_MAIN,
    XLSM_MAIN,
    AddinBuildError,
    build_addin,
    compress_ovba,
    read_sources,
    render_text_module,
    vba_string_lines,
    write_macro_workbook,
)
from complaint_kit.buttons import BUTTONS, CUSTOMUI_NS, RIBBON_ON_ACTION, RIBBON_TAB_LABEL

ROOT = Path(__file__).resolve().parents[2]
MACROS = ROOT / "macros"
COMMITTED = ROOT / "addin" / "complaint_kit.xlam"
DOC_MODULES = {"ThisWorkbook", "Sheet1"}


@pytest.fixture(scope="module")
def xlam(tmp_path_factory) -> Path:
    return build_addin(MACROS, tmp_path_factory.mktemp("addin") / "complaint_kit.xlam")


@pytest.fixture(scope="module")
def vba_bin(xlam) -> bytes:
    with zipfile.ZipFile(xlam) as zf:
        return zf.read("xl/vbaProject.bin")


def _code(text: str) -> list[str]:
    """VBA lines without attributes and blank edges, for comparing sources."""
    lines = [ln.rstrip() for ln in text.replace("\r\n", "\n").split("\n") if not ln.startswith("Attribute VB_")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


# --- a strict reader of [MS-OVBA] --------------------------------------------------------------


class Corrupt(ValueError):
    pass


def decompress_strict(data: bytes) -> bytes:
    """[MS-OVBA] 2.4.1.3.1 (decompression of a CompressedContainer) checking every MUST: the
    signature byte, each chunk's signature bits and size, raw chunks of exactly 4096 bytes, no copy
    token reaching before its chunk or cut by the chunk's end, at most 4096 bytes per chunk and
    only the last chunk shorter. oletools' reader tolerates all of these (a copy token that reaches
    too far silently reads other bytes)."""
    if not data or data[0] != 0x01:
        raise Corrupt("signature byte is not 0x01")
    out = bytearray()
    pos, sizes = 1, []
    while pos < len(data):
        if pos + 2 > len(data):
            raise Corrupt(f"truncated chunk header at {pos}")
        (header,) = struct.unpack_from("<H", data, pos)
        size = (header & 0x0FFF) + 3
        if (header >> 12) & 0b111 != 0b011:
            raise Corrupt(f"chunk signature at {pos} is not 0b011")
        end = pos + size
        if end > len(data):
            raise Corrupt(f"chunk at {pos} claims {size} bytes, {len(data) - pos} left")
        start = len(out)
        if not header & 0x8000:
            if size != 4098:
                raise Corrupt(f"raw chunk at {pos} has {size} bytes, must be 4098")
            out += data[pos + 2 : end]
        else:
            p = pos + 2
            while p < end:
                flags, p = data[p], p + 1
                for bit in range(8):
                    if p >= end:
                        break
                    if not flags >> bit & 1:
                        out.append(data[p])
                        p += 1
                        continue
                    if p + 2 > end:
                        raise Corrupt(f"copy token cut by the chunk's end at {p}")
                    (token,) = struct.unpack_from("<H", data, p)
                    p += 2
                    difference = len(out) - start
                    bits = max((difference - 1).bit_length(), 4)  # 2.4.1.3.19.1 CopyToken Help
                    length = (token & (0xFFFF >> bits)) + 3
                    offset = (token >> (16 - bits)) + 1
                    if offset > difference:
                        raise Corrupt(f"copy token at {p - 2} reaches {offset} back, {difference} in chunk")
                    for _ in range(length):
                        out.append(out[-offset])
        sizes.append(len(out) - start)
        if sizes[-1] > 4096:
            raise Corrupt(f"chunk at {pos} decompresses to {sizes[-1]} > 4096 bytes")
        pos = end
    if any(n != 4096 for n in sizes[:-1]):
        raise Corrupt(f"only the last chunk may hold fewer than 4096 bytes: {sizes}")
    return bytes(out)


class Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def u16(self) -> int:
        return self._unpack("<H")

    def u32(self) -> int:
        return self._unpack("<I")

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise Corrupt(f"record at {self.pos} runs past the end")
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def peek16(self) -> int:
        return struct.unpack_from("<H", self.data, self.pos)[0]

    def _unpack(self, fmt: str) -> int:
        (value,) = struct.unpack(fmt, self.take(struct.calcsize(fmt)))
        return int(value)

    def expect(self, record: str, record_id: int) -> None:
        got = self.u16()
        if got != record_id:
            raise Corrupt(f"{record}: expected id {record_id:#06x} at {self.pos - 2}, got {got:#06x}")

    def fixed(self, record: str, record_id: int, size: int) -> int:
        """A record of a 4- or 2-byte value: id, size, value."""
        self.expect(record, record_id)
        if self.u32() != size:
            raise Corrupt(f"{record}: size must be {size}")
        return self.u32() if size == 4 else self.u16()

    def text(self, record: str, record_id: int) -> bytes:
        self.expect(record, record_id)
        return self.take(self.u32())

    def pair(self, record: str, record_id: int, reserved: int, codepage: str) -> str:
        """An MBCS string and its UTF-16 twin (NAME/NAMEUNICODE, DOCSTRING, HELPFILEPATH …)."""
        mbcs = self.text(record, record_id).decode(codepage)
        unicode = self.text(f"{record} (Unicode)", reserved).decode("utf-16-le")
        if mbcs != unicode:
            raise Corrupt(f"{record}: {mbcs!r} and its Unicode copy {unicode!r} differ")
        return mbcs


@dataclass(frozen=True)
class DirModule:
    name: str
    stream: str
    offset: int
    procedural: bool


@dataclass(frozen=True)
class Dir:
    syskind: int
    codepage: str
    project_name: str
    references: list[str]
    modules: list[DirModule]


def parse_dir(data: bytes) -> Dir:
    """The decompressed dir stream, record by record in the order of [MS-OVBA] 2.3.4.2:
    PROJECTINFORMATION (SYSKIND, [COMPATVERSION], LCID, LCIDINVOKE, CODEPAGE, NAME, DOCSTRING,
    HELPFILEPATH, HELPCONTEXT, LIBFLAGS, VERSION, [CONSTANTS]), PROJECTREFERENCES, PROJECTMODULES
    (count, cookie, each MODULE), terminator — and nothing after it."""
    r = Reader(data)
    syskind = r.fixed("PROJECTSYSKIND", 0x0001, 4)
    assert syskind in (0, 1, 2, 3)
    if r.peek16() == 0x004A:
        r.fixed("PROJECTCOMPATVERSION", 0x004A, 4)
    assert r.fixed("PROJECTLCID", 0x0002, 4) == 0x409
    assert r.fixed("PROJECTLCIDINVOKE", 0x0014, 4) == 0x409
    codepage = f"cp{r.fixed('PROJECTCODEPAGE', 0x0003, 2)}"
    name = r.text("PROJECTNAME", 0x0004).decode(codepage)
    assert 1 <= len(name) <= 128
    r.pair("PROJECTDOCSTRING", 0x0005, 0x0040, codepage)
    r.pair("PROJECTHELPFILEPATH", 0x0006, 0x003D, codepage)
    r.fixed("PROJECTHELPCONTEXT", 0x0007, 4)
    assert r.fixed("PROJECTLIBFLAGS", 0x0008, 4) == 0
    r.expect("PROJECTVERSION", 0x0009)
    assert r.u32() == 4, "PROJECTVERSION Reserved must be 4"
    r.take(6)  # VersionMajor (4) + VersionMinor (2)
    if r.peek16() == 0x000C:
        r.pair("PROJECTCONSTANTS", 0x000C, 0x003C, codepage)
    references = []
    while r.peek16() != 0x000F:
        ref_name = r.pair("REFERENCENAME", 0x0016, 0x003E, codepage)
        r.expect("REFERENCEREGISTERED", 0x000D)  # the only kind the builder writes
        size = r.u32()
        libid = r.take(r.u32()).decode(codepage)
        assert r.u32() == 0 and r.u16() == 0, "REFERENCEREGISTERED reserved fields"
        assert size == 4 + len(libid.encode(codepage)) + 6, "REFERENCEREGISTERED size"
        assert libid.startswith("*\\G{"), libid
        references.append(ref_name)
    count = r.fixed("PROJECTMODULES", 0x000F, 2)
    assert r.fixed("PROJECTCOOKIE", 0x0013, 2) == 0xFFFF
    modules = []
    for _ in range(count):
        mod_name = r.pair("MODULENAME", 0x0019, 0x0047, codepage)
        stream = r.pair("MODULESTREAMNAME", 0x001A, 0x0032, codepage)
        r.pair("MODULEDOCSTRING", 0x001C, 0x0048, codepage)
        offset = r.fixed("MODULEOFFSET", 0x0031, 4)
        r.fixed("MODULEHELPCONTEXT", 0x001E, 4)
        assert r.fixed("MODULECOOKIE", 0x002C, 2) == 0xFFFF
        kind = r.u16()
        assert kind in (0x0021, 0x0022), f"MODULETYPE {kind:#06x}"
        assert r.u32() == 0
        for optional in (0x0025, 0x0028):  # MODULEREADONLY, MODULEPRIVATE
            if r.peek16() == optional:
                r.u16()
                assert r.u32() == 0
        r.expect("MODULE Terminator", 0x002B)
        assert r.u32() == 0
        modules.append(DirModule(mod_name, stream, offset, procedural=kind == 0x0021))
    r.expect("dir Terminator", 0x0010)
    assert r.u32() == 0
    assert r.pos == len(data), f"{len(data) - r.pos} bytes after the dir terminator"
    return Dir(syskind, codepage, name, references, modules)


def decrypt_ovba(hex_text: str, project_id: str) -> bytes:
    """[MS-OVBA] 2.4.3.3 Decryption of CMG/DPB/GC: checks the version and the project key."""
    data = bytes.fromhex(hex_text)
    seed, version_enc, key_enc = data[0], data[1], data[2]
    assert seed ^ version_enc == 2, "encryption version must be 2"
    key = seed ^ key_enc
    assert key == sum(project_id.encode("ascii")) & 0xFF, "project key must match the project ID"
    plain_prev, enc_prev1, enc_prev2 = key, key_enc, version_enc
    out = bytearray()
    for byte_enc in data[3:]:
        byte = byte_enc ^ ((enc_prev2 + plain_prev) & 0xFF)
        out.append(byte)
        enc_prev2, enc_prev1, plain_prev = enc_prev1, byte_enc, byte
    ignored = (seed & 6) // 2
    length = int.from_bytes(out[ignored : ignored + 4], "little")
    payload = bytes(out[ignored + 4 :])
    assert len(payload) == length, "encrypted length field"
    return payload


PROJECT_GRAMMAR = [  # [MS-OVBA] 2.3.1.1 ProjectProperties, in order; "?" = optional, "*" = repeated
    ("ID", r'ID="\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}"', ""),
    ("ProjectItem", r"(Document=[^/]+/&H[0-9A-Fa-f]{8}|Module=\S+|Class=\S+|BaseClass=\S+|Package=\{.+\})", "*"),
    ("HelpFile", r'HelpFile=".*"', "?"),
    ("ExeName32", r'ExeName32=".*"', "?"),
    ("Name", r'Name="[^"]{1,128}"', ""),
    ("HelpContextID", r'HelpContextID="-?\d+"', ""),
    ("Description", r'Description=".*"', "?"),
    ("VersionCompatible32", rf'VersionCompatible32="{VERSION_COMPATIBLE32}"', "?"),
    ("CMG", r'CMG="[0-9A-F]{22,28}"', ""),
    ("DPB", r'DPB="[0-9A-F]{16,}"', ""),
    ("GC", r'GC="[0-9A-F]{16,22}"', ""),
    ("blank", r"", ""),
    ("[Host Extender Info]", r"\[Host Extender Info\]", ""),
    ("HostExtenderRef", r"&H[0-9A-F]{8}=\{[0-9A-F-]{36}\};VBE;&H[0-9A-F]{8}", "*"),
]


def parse_project(text: str) -> dict[str, list[str]]:
    """The PROJECT stream's lines matched against the grammar in order (CRLF line ends)."""
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = text[:-2].split("\r\n")
    seen: dict[str, list[str]] = {}
    i = 0
    for name, pattern, how in PROJECT_GRAMMAR:
        while i < len(lines) and re.fullmatch(pattern, lines[i]):
            seen.setdefault(name, []).append(lines[i])
            i += 1
            if how != "*":
                break
        if how == "" and name not in seen:
            raise Corrupt(f"PROJECT: {name} expected at line {i + 1}: {lines[i] if i < len(lines) else 'end'!r}")
    if i < len(lines) and lines[i:] and lines[i] == "":
        i += 1
        assert lines[i] == "[Workspace]", lines[i]
        i = len(lines)
    assert i == len(lines), f"PROJECT: unexpected line {lines[i]!r}"
    return seen


def parse_projectwm(data: bytes, codepage: str) -> list[str]:
    """[MS-OVBA] 2.3.3: (MBCS name, NUL, UTF-16 name, NUL NUL)* then the 0x0000 terminator."""
    names, pos = [], 0
    while data[pos : pos + 2] != b"\0\0":
        end = data.index(b"\0", pos)
        name = data[pos:end].decode(codepage)
        pos = end + 1
        uend = next(j for j in range(pos, len(data) - 1, 2) if data[j : j + 2] == b"\0\0")
        assert data[pos:uend].decode("utf-16-le") == name, "PROJECTwm: the two names differ"
        names.append(name)
        pos = uend + 2
    assert pos + 2 == len(data), "PROJECTwm: bytes after the terminator"
    return names


# --- the tests ---------------------------------------------------------------------------------


def test_the_package_is_an_addin_with_our_ribbon(xlam):
    with zipfile.ZipFile(xlam) as zf:
        types = zf.read("[Content_Types].xml").decode()
        rels = zf.read("_rels/.rels").decode()
        ui = ET.fromstring(zf.read(CUSTOMUI_PART))
    assert XLAM_MAIN in types and XLSM_MAIN not in types
    assert CUSTOMUI_PART in rels
    buttons = ui.findall(f".//{{{CUSTOMUI_NS}}}button")
    assert [b.get("id") for b in buttons] == [b.id for b in BUTTONS]
    assert {b.get("onAction") for b in buttons} == {RIBBON_ON_ACTION}


def test_the_build_is_reproducible_and_the_committed_addin_is_current(xlam, tmp_path):
    again = build_addin(MACROS, tmp_path / "again.xlam")
    assert again.read_bytes() == xlam.read_bytes()
    assert COMMITTED.read_bytes() == xlam.read_bytes(), "run: uv run complaint-kit addin build"


def test_the_vba_project_parses_strictly_per_ms_ovba(vba_bin):
    import olefile

    assert olefile.isOleFile(io.BytesIO(vba_bin))
    # DEFECT_INCORRECT: olefile raises on every defect it knows, not only fatal ones
    ole = olefile.OleFileIO(io.BytesIO(vba_bin), raise_defects=olefile.DEFECT_INCORRECT)
    try:
        streams = {"/".join(p) for p in ole.listdir(streams=True, storages=False)}
        vba_project = ole.openstream("VBA/_VBA_PROJECT").read()
        project_dir = parse_dir(decompress_strict(ole.openstream("VBA/dir").read()))
        module_data = {m.stream: ole.openstream(f"VBA/{m.stream}").read() for m in project_dir.modules}
        project_text = ole.openstream("PROJECT").read().decode(project_dir.codepage)
        projectwm = ole.openstream("PROJECTwm").read()
    finally:
        ole.close()
    sources = read_sources(MACROS)
    names = [m.name for m in project_dir.modules]

    # _VBA_PROJECT (2.3.4.1): reserved 0x61CC, version 0xFFFF (no performance cache), reserved 0x00
    assert len(vba_project) == 7 and vba_project[:5] == b"\xcc\x61\xff\xff\x00"
    # the container holds exactly the project's streams
    expected = {"PROJECT", "PROJECTwm", "VBA/_VBA_PROJECT", "VBA/dir"} | {
        f"VBA/{m.stream}" for m in project_dir.modules
    }
    assert streams == expected
    # dir: modules, kinds and references
    assert set(names) == set(sources) | DOC_MODULES and len(names) == len(set(names))
    assert {m.name for m in project_dir.modules if not m.procedural} == DOC_MODULES
    assert project_dir.references == ["stdole", "Office"]  # Office: the type library of IRibbonControl
    # every module's source, decompressed strictly, is its .bas (CRLF) with nothing cached before it
    for module in project_dir.modules:
        assert module.offset == 0
        source = decompress_strict(module_data[module.stream]).decode(project_dir.codepage)
        assert source.startswith(f'Attribute VB_Name = "{module.name}"\r\n')
        assert "\n" not in source.replace("\r\n", "")
        if module.name in sources:
            assert source == sources[module.name].replace("\r\n", "\n").replace("\n", "\r\n"), module.name
    # PROJECT (2.3.1): grammar order, VersionCompatible32 present, items match the dir stream
    project = parse_project(project_text)
    assert project["VersionCompatible32"] == [f'VersionCompatible32="{VERSION_COMPATIBLE32}"']
    assert project["ID"] == [f'ID="{PROJECT_ID}"']
    items = {line.split("=", 1)[1].split("/")[0]: line.split("=")[0] for line in project["ProjectItem"]}
    assert items == {m.name: ("Module" if m.procedural else "Document") for m in project_dir.modules}
    value = {k: v[0].split('"')[1] for k, v in project.items() if k in ("CMG", "DPB", "GC")}
    assert decrypt_ovba(value["CMG"], PROJECT_ID) == b"\0\0\0\0"  # not protected
    assert decrypt_ovba(value["DPB"], PROJECT_ID) == b"\0"  # no password
    assert decrypt_ovba(value["GC"], PROJECT_ID) == b"\xff"  # visible
    # PROJECTwm (2.3.3): every module, both encodings, in the dir stream's order
    assert parse_projectwm(projectwm, project_dir.codepage) == names


def test_the_strict_reader_refuses_what_oletools_tolerates():
    """A copy token reaching before its chunk — what ms-ovba-compression 1.0.1 writes for long
    runs — is refused here, while oletools returns other bytes without a word."""
    from oletools.olevba import decompress_stream

    # eight literals, then a copy token 10 bytes back (offset 10, length 3) after 8 bytes
    bad = b"\x01" + (0xB000 | 11).to_bytes(2, "little") + b"\x00abcdefgh" + b"\x01" + (0x9000).to_bytes(2, "little")
    with pytest.raises(Corrupt, match="reaches"):
        decompress_strict(bad)
    assert bytes(decompress_stream(bytearray(bad))) == b"abcdefghgga"  # read from the wrong end


@pytest.mark.parametrize(
    "data",
    [b"", b"a", b"abcabcabcabc", b"ChrW(23458) & " * 700, bytes(range(256)) * 40, b"x" * 4096 + b"y" * 5000],
    ids=["empty", "one", "short-run", "long-runs", "incompressible", "several-chunks"],
)
def test_our_compressor_round_trips_through_the_strict_reader(data):
    back = decompress_strict(compress_ovba(data))
    assert back[: len(data)] == data
    # a raw (incompressible) last chunk is padded to 4096 bytes by the spec; ours never is
    assert back == data or set(back[len(data) :]) == {0}


def test_olevba_reads_back_exactly_the_bas_sources(xlam):
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(xlam))
    try:
        modules = {Path(vba_filename).stem: code for _, _, vba_filename, code in parser.extract_macros()}
    finally:
        parser.close()
    sources = read_sources(MACROS)
    assert set(sources) <= set(modules)
    for name, text in sources.items():
        got = modules[name] if isinstance(modules[name], str) else modules[name].decode("ascii")
        assert _code(got) == _code(text), name
    assert set(modules) - set(sources) == DOC_MODULES


def test_non_ascii_vba_is_refused(tmp_path):
    (tmp_path / "Bad.bas").write_text('Attribute VB_Name = "Bad"\n\' 中文\n', encoding="utf-8")
    with pytest.raises(AddinBuildError, match="ASCII"):
        read_sources(tmp_path)


# --- the messages: Chinese through ChrW ---------------------------------------------------------


def _eval_vba_string(expression: str) -> str:
    """Evaluate the subset of VBA string expressions the generator writes."""
    out = []
    for part in re.split(r"\s*&\s*(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", expression.strip()):
        if part == "vbCrLf":
            out.append("\r\n")
        elif m := re.fullmatch(r"ChrW\((\d+)\)", part):
            out.append(chr(int(m.group(1))))
        elif m := re.fullmatch(r'"((?:[^"]|"")*)"', part):
            out.append(m.group(1).replace('""', '"'))
        else:
            raise AssertionError(f"not a generated VBA string part: {part!r}")
    return "".join(out)


def test_the_generated_text_module_is_current_and_ascii():
    committed = (MACROS / f"{TEXT_MODULE}.bas").read_bytes()
    assert committed.decode("ascii") == render_text_module(), "run: uv run python -m complaint_kit.addin.build"


def test_every_message_function_decodes_to_its_chinese_and_english_text():
    source = render_text_module()
    for text in VBA_TEXTS:
        body = re.search(rf"Public Function {text.name}\(\) As String\n(.*?)\nEnd Function", source, re.S)
        assert body, text.name
        value = ""
        for line in body.group(1).split("\n"):
            if m := re.fullmatch(r"    s = s & (.+)", line):
                value += _eval_vba_string(m.group(1))
            elif m := re.fullmatch(r"    s = (.+)", line):
                value = _eval_vba_string(m.group(1))
            assert len(line) < 1023, "VBA line too long"
        assert value == text.zh + ("\r\n" + text.en if text.en else ""), text.name
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text.zh), f"{text.name} is not Chinese"
    assert VBA_TEXTS[0].zh == RIBBON_TAB_LABEL


def test_vba_string_lines_quote_ascii_and_encode_the_rest():
    assert vba_string_lines('xlwings 加"载') == ['"xlwings " & ChrW(21152) & """" & ChrW(36733)']
    assert _eval_vba_string(" & ".join(vba_string_lines("第一行\r\nline 2"))) == "第一行\r\nline 2"


def test_a_stale_text_module_stops_the_build(tmp_path):
    for path in MACROS.glob("*.bas"):
        shutil.copy(path, tmp_path / path.name)
    stale = tmp_path / f"{TEXT_MODULE}.bas"
    stale.write_text(stale.read_text().replace("ChrW(23458)", "ChrW(23459)"))
    with pytest.raises(AddinBuildError, match="stale"):
        build_addin(tmp_path, tmp_path / "x.xlam")


def test_the_callback_checks_the_workbook_first_and_names_xlwings_only_on_1004():
    code = "\n".join(_code((MACROS / "CK_Ribbon.bas").read_text()))
    body = code.split("Public Sub CK_OnAction(control As IRibbonControl)")[1].split("End Sub")[0]
    no_book = body.index("If ActiveWorkbook Is Nothing Then")
    run = body.index('Application.Run "xlwings.xlam!Main.RunPython"')
    assert no_book < run
    assert "ck.dispatch('\" & control.Id & \"')" in body  # the dispatch contract
    assert "If errNumber = 1004 And Not CK_XlwingsLoaded() Then" in body
    missing, other = body.split("If errNumber = 1004 And Not CK_XlwingsLoaded() Then")[1].split("Else")
    assert "CK_TextXlwingsMissing()" in missing
    assert "CK_TextFailed()" in other and "errNumber" in other and "errText" in other
    for text in VBA_TEXTS:
        assert f"{text.name}()" in code


# --- LibreOffice --------------------------------------------------------------------------------


def _libreoffice_or_skip() -> str:
    python = "/usr/bin/python3"
    ok = shutil.which("soffice") and subprocess.run([python, "-c", "import uno"], capture_output=True).returncode == 0
    if not ok:
        if os.environ.get("REQUIRE_LIBREOFFICE"):
            pytest.fail("LibreOffice with python3-uno is required here (REQUIRE_LIBREOFFICE)")
        pytest.skip("LibreOffice / python3-uno not installed")
    return python


@pytest.mark.libreoffice
def test_libreoffice_loads_the_addin_and_lists_the_same_modules(xlam, tmp_path):
    python = _libreoffice_or_skip()
    # LibreOffice refuses the add-in main content type; the same package as .xlsm opens (FACTS.md)
    copy = tmp_path / "complaint_kit.xlsm"
    with zipfile.ZipFile(xlam) as src, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(XLAM_MAIN.encode(), XLSM_MAIN.encode())
            dst.writestr(info.filename, data)
    script = Path(__file__).resolve().parents[1] / "e2e" / "lo_vba_modules.py"
    out = subprocess.run(
        [python, str(script), str(copy), str(tmp_path / "profile")],
        capture_output=True,
        text=True,
        timeout=240,
        check=True,
    )
    libraries = json.loads(out.stdout.strip().splitlines()[-1])
    modules = libraries["VBAProject"]
    sources = read_sources(MACROS)
    assert set(modules) == set(sources) | DOC_MODULES
    for name, text in sources.items():
        lo_lines = [ln for ln in _code(modules[name]) if not ln.startswith(("Rem Attribute", "Option VBASupport"))]
        assert lo_lines == _code(text), name


# Run by the system Python (LibreOffice's uno): load the workbook with macros allowed, run one
# document macro through the script provider, print the first cells of the first sheet.
LO_RUN_MACRO = r"""
import contextlib, json, os, subprocess, sys, time, uuid
import uno
from com.sun.star.beans import PropertyValue

def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p

path, profile, script_url = sys.argv[1:4]
pipe = "ck" + uuid.uuid4().hex[:8]
office = subprocess.Popen(
    ["soffice", "--headless", "--invisible", "--norestore", "--nologo",
     f"-env:UserInstallation=file://{profile}", f"--accept=pipe,name={pipe};urp;"],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(120):
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:
            time.sleep(0.5)
    else:
        raise SystemExit("could not connect to LibreOffice")
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    url = uno.systemPathToFileUrl(os.path.abspath(path))
    # MacroExecutionMode 4 = ALWAYS_EXECUTE_NO_WARN (a test profile; what a trusted location gives)
    doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True), prop("MacroExecutionMode", 4)))
    if doc is None:
        raise SystemExit(f"LibreOffice did not load {path}")
    out = {"vba_mode": bool(doc.BasicLibraries.VBACompatibilityMode)}
    try:
        doc.getScriptProvider().getScript(script_url).invoke((), (), ())
    except Exception as exc:
        out["error"] = str(exc)
    sheet = doc.Sheets.getByIndex(0)
    out["cells"] = [sheet.getCellByPosition(0, row).String for row in range(12)]
    doc.close(True)
    print(json.dumps(out))
    with contextlib.suppress(Exception):
        desktop.terminate()
finally:
    try:
        office.wait(timeout=20)
    except subprocess.TimeoutExpired:
        office.kill()
"""


@pytest.mark.libreoffice
def test_libreoffice_runs_a_probe_macro_built_by_the_same_builder(tmp_path):
    """A workbook from :func:`write_macro_workbook` (the add-in's own builder) with the add-in's
    modules plus a probe: LibreOffice, in VBA compatibility mode, runs the probe, which calls every
    generated message function across modules and writes the results into cells — so the project
    compiles (CK_Ribbon included), ChrW decodes to the intended Chinese and the object model runs."""
    python = _libreoffice_or_skip()
    calls = "\n".join(f'        .Range("A{row}").Value = {text.name}()' for row, text in enumerate(VBA_TEXTS, start=2))
    probe = (
        'Attribute VB_Name = "CK_Probe"\n'
        "Option Explicit\n\n"
        "Public Sub ProbeRun()\n"
        "    With ThisWorkbook.Worksheets(1)\n"
        '        .Range("A1").Value = "probe ran"\n'
        f"{calls}\n"
        f'        .Range("A{len(VBA_TEXTS) + 2}").Value = TypeName(ActiveWorkbook)\n'
        "    End With\n"
        "End Sub\n"
    )
    workbook = write_macro_workbook(read_sources(MACROS) | {"CK_Probe": probe}, tmp_path / "probe.xlsm")
    runner = tmp_path / "lo_run_macro.py"
    runner.write_text(LO_RUN_MACRO, encoding="utf-8")
    url = "vnd.sun.star.script:VBAProject.CK_Probe.ProbeRun?language=Basic&location=document"
    out = subprocess.run(
        [python, str(runner), str(workbook), str(tmp_path / "profile"), url],
        capture_output=True,
        text=True,
        timeout=240,
        check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert "error" not in result, result.get("error")
    assert result["vba_mode"]
    cells = result["cells"]
    assert cells[0] == "probe ran"
    for row, text in enumerate(VBA_TEXTS, start=1):
        expected = text.zh + ("\n" + text.en if text.en else "")
        assert cells[row].replace("\r\n", "\n") == expected, text.name
    assert cells[len(VBA_TEXTS) + 1] == "Workbook"
