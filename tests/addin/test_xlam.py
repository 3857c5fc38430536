"""The built add-in: ribbon = registry, VBA read back exactly by olevba and by LibreOffice."""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from complaint_kit.addin.build import CUSTOMUI_PART, XLAM_MAIN, XLSM_MAIN, AddinBuildError, build_addin, read_sources
from complaint_kit.buttons import BUTTONS, CUSTOMUI_NS, RIBBON_ON_ACTION

ROOT = Path(__file__).resolve().parents[2]
MACROS = ROOT / "macros"
COMMITTED = ROOT / "addin" / "complaint_kit.xlam"


@pytest.fixture(scope="module")
def xlam(tmp_path_factory) -> Path:
    return build_addin(MACROS, tmp_path_factory.mktemp("addin") / "complaint_kit.xlam")


def _code(text: str) -> list[str]:
    """VBA lines without attributes and blank edges, for comparing sources."""
    lines = [ln.rstrip() for ln in text.replace("\r\n", "\n").split("\n") if not ln.startswith("Attribute VB_")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


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
    assert set(modules) - set(sources) == {"ThisWorkbook", "Sheet1"}


def test_non_ascii_vba_is_refused(tmp_path):
    (tmp_path / "Bad.bas").write_text('Attribute VB_Name = "Bad"\n\' 中文\n', encoding="utf-8")
    with pytest.raises(AddinBuildError, match="ASCII"):
        read_sources(tmp_path)


@pytest.mark.libreoffice
def test_libreoffice_loads_the_addin_and_lists_the_same_modules(xlam, tmp_path):
    python = "/usr/bin/python3"
    ok = shutil.which("soffice") and subprocess.run([python, "-c", "import uno"], capture_output=True).returncode == 0
    if not ok:
        if os.environ.get("REQUIRE_LIBREOFFICE"):
            pytest.fail("LibreOffice with python3-uno is required here (REQUIRE_LIBREOFFICE)")
        pytest.skip("LibreOffice / python3-uno not installed")
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
    import json

    libraries = json.loads(out.stdout.strip().splitlines()[-1])
    modules = libraries["VBAProject"]
    sources = read_sources(MACROS)
    assert set(modules) == set(sources) | {"ThisWorkbook", "Sheet1"}
    for name, text in sources.items():
        lo_lines = [ln for ln in _code(modules[name]) if not ln.startswith(("Rem Attribute", "Option VBASupport"))]
        assert lo_lines == _code(text), name
