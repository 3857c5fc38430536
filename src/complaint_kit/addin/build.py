"""Build ``addin/complaint_kit.xlam`` on Linux (``complaint-kit addin build``).

* the ribbon: ``customUI/customUI14.xml`` generated from the button registry;
* the VBA project: ``macros/*.bas`` (plain ASCII) compiled into ``vbaProject.bin`` by ``ms-ovba``,
  source only with no performance cache ([MS-OVBA], version 0xFFFF), so Excel compiles it on first
  load;
* the workbook shell (with the ``ThisWorkbook`` / ``Sheet1`` code names the VBA project expects)
  written by XlsxWriter as ``.xlsm``, then given the add-in main content type and the ribbon part.

Zip entries get a fixed timestamp so that two builds of the same sources are byte-identical.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import tempfile
import uuid
from datetime import datetime
from pathlib import Path

from .. import layout as L
from ..buttons import ribbon_xml
from ..packaging import rewrite_zip

XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
XLAM_MAIN = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
UI_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
CUSTOMUI_PART = "customUI/customUI14.xml"
PROJECT_ID = "{6C6B1A52-3C1E-4B7A-9D51-0C4B1E2A7F10}"


class AddinBuildError(Exception):
    pass


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
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            project = VbaProject()
            project.project_id = PROJECT_ID
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


def build_addin(macros: Path, out: Path) -> Path:
    import xlsxwriter

    sources = read_sources(macros)
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

        def edit(name: str, data: bytes) -> bytes:
            if name == "[Content_Types].xml":
                return data.replace(XLSM_MAIN.encode(), XLAM_MAIN.encode())
            if name == "_rels/.rels":
                rel = f'<Relationship Id="rIdCustomUI" Type="{UI_REL}" Target="{CUSTOMUI_PART}"/>'
                return data.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            return data

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
