"""五联 end to end (C9, C13): ``complaint-kit copies`` on a case taken through every stage on real
files, the workbook it writes, and (LibreOffice) each copy printed on one A4 page."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from complaint_kit import layout as L
from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
from tests.e2e.test_cli import new_form, run, type_in

STEPS = [
    (
        "quality",
        {"QualityCause": "电镀槽电流密度偏高", "ResponsibleUnit": "制造部", "RnDNeeded": "是"},
        "2026-11-24T10:00",
    ),
    (
        "manufacturing",
        {
            "MfgCause": "夜班未按作业指导书点检整流器",
            "MfgCountermeasure": "整流器加装上限报警；点检表每 2 小时签核",
            "ProductionUnit": "电镀二组",
            "MachineShift": "夜班",
            "Operators": "王五",
            "ProductionDate": datetime(2026, 10, 20),
        },
        "2026-11-24T16:00",
    ),
    ("rnd", {"RnDOpinion": "油墨与基材匹配无问题"}, "2026-11-25T10:00"),
    ("negotiation", {"NegotiationResult": "客户同意退货重做，运费由我司承担"}, "2026-11-30T10:00"),
    ("consolidation", {"GMOpinion": "客户来料问题，投诉不成立", "Handling": "不成立"}, "2026-11-30T14:00"),
    ("approval", {"ApprovalOpinion": "同意"}, "2026-12-01T09:00"),
]
NOW = ("--now", "2026-12-01T10:00")


@pytest.fixture
def office(tmp_path) -> Path:
    run("init", tmp_path / "office")
    return tmp_path / "office"


def take_through(office: Path, stages=STEPS) -> Path:
    """A case accepted and completed stage by stage with the register, as the departments would."""
    reg = office / L.REGISTER_FILE
    form = new_form(office)
    run("accept", form, "-r", reg, "--now", "2026-11-23T11:30", "--received-at", "2026-11-23T11:00", "--user", "王静")
    for stage, values, at in stages:
        type_in(form, **values)
        run("complete", form, "--stage", stage, "--by", "经办", "-r", reg, "--now", at)
    return form


@pytest.fixture
def closed(office) -> Path:
    return take_through(office)


def _copies_file(form: Path) -> Path:
    return form.with_name("客诉-261101-五联.xlsx")


def test_copies_writes_five_protected_sheets_titled_with_their_keepers(closed):
    out = run("copies", closed, *NOW).output
    assert "已印制五联" in out and "five copies made" in out and f"written: {_copies_file(closed)}" in out
    wb = openpyxl.load_workbook(_copies_file(closed))
    assert wb.sheetnames == list(L.COPY_SHEETS)
    assert wb.security is not None and wb.security.lockStructure
    assert not list(wb.defined_names)  # a record, not a form the kit would accept or complete
    for ws, keeper, use in zip(wb.worksheets, L.COPY_KEEPERS, L.COPY_USES, strict=True):
        assert ws["A1"].value == f"{L.FORM_TITLE}　{ws.title}（{keeper}{use}）"
        assert ws.protection.sheet and all(c.protection.locked for row in ws.iter_rows() for c in row)
        assert ws.sheet_state == "visible"
        texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        assert L.FORM_NOTICE in texts  # C13 on every copy
        assert ws.title in ws.oddFooter.center.text and "不得交给客户" in ws.oddFooter.center.text
        setup = ws.page_setup
        assert (setup.paperSize, setup.fitToWidth, setup.fitToHeight) == (int(ws.PAPERSIZE_A4), 1, 1)
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_area


def test_each_copy_shows_the_forms_values_in_the_forms_cells_with_its_layout(closed):
    run("copies", closed, *NOW)
    form = OpenpyxlBook.open(closed)
    source = form.wb[L.FORM_SHEET]
    wb = openpyxl.load_workbook(_copies_file(closed))
    names = [f.name for f in L.FORM_FIELDS if not f.formula]
    values = form.read_names(names)
    for ws in wb.worksheets:
        for name in names:
            cell = form.locate_name(name).rsplit("!", 1)[1]
            assert ws[cell].value == values[name], (ws.title, name)
            assert ws[cell].number_format == source[cell].number_format, (ws.title, name)
        rate = form.locate_name("DefectRate").rsplit("!", 1)[1]
        assert ws[rate].value == pytest.approx(20 / 1000)  # computed: a copy has no names for a formula
        assert {str(r) for r in ws.merged_cells.ranges} == {str(r) for r in source.merged_cells.ranges}
        for col, dim in source.column_dimensions.items():
            assert ws.column_dimensions[col].width == dim.width
        assert ws.row_dimensions[1].height == source.row_dimensions[1].height
        for row in source.iter_rows(min_row=2):  # every cell styled as on the form (title, notice aside)
            for c in (c for c in row if c.value != L.FORM_NOTICE):
                got = ws[c.coordinate]
                assert (got.font.b, got.fill.fgColor.rgb, got.border.left.style, got.alignment.wrap_text) == (
                    c.font.b,
                    c.fill.fgColor.rgb,
                    c.border.left.style,
                    c.alignment.wrap_text,
                ), (ws.title, c.coordinate)


def test_split_also_writes_one_workbook_per_copy_named_for_mailing(closed):
    out = run("copies", closed, "--split", *NOW).output
    for sheet, keeper in zip(L.COPY_SHEETS, L.COPY_KEEPERS, strict=True):
        path = closed.with_name(f"客诉-261101-{sheet}-{keeper}.xlsx")
        assert f"written: {path}" in out
        wb = openpyxl.load_workbook(path)
        assert wb.sheetnames == [sheet] and keeper in str(wb[sheet]["A1"].value)
    assert _copies_file(closed).exists()


def test_copies_refuse_to_overwrite_without_force_and_write_nothing(closed, tmp_path):
    target = tmp_path / "五联.xlsx"
    run("copies", closed, "--out", target, *NOW)
    before = target.read_bytes()
    out = run("copies", closed, "--out", target, "--split", *NOW, code=2).output
    assert "file exists" in out and str(target) in out
    assert target.read_bytes() == before and not list(tmp_path.glob("客诉-*"))  # split files neither
    run("copies", closed, "--out", target, "--force", *NOW)


def test_a_case_not_yet_approved_is_refused_and_nothing_is_written(office):
    form = take_through(office, STEPS[:-1])
    before = form.read_bytes()
    out = run("copies", form, *NOW, code=1).output
    assert "E-COPIES-NOT-CLOSED" in out and "待核决" in out and "nothing was written" in out
    assert form.read_bytes() == before and not _copies_file(form).exists()


def test_a_tampered_closed_form_is_refused(closed):
    type_in(closed, NegotiationResult="客户同意折让 50%")  # after the negotiation stage was sealed
    out = run("copies", closed, *NOW, code=1).output
    assert "协商结果" in out and not _copies_file(closed).exists()


def test_the_form_is_unchanged_by_copying(closed):
    before = closed.read_bytes()
    run("copies", closed, "--split", *NOW)
    assert closed.read_bytes() == before


@pytest.mark.libreoffice
def test_libreoffice_prints_each_copy_on_one_a4_page(closed, tmp_path, libreoffice):
    for tool in ("pdfinfo", "pdftotext"):
        if shutil.which(tool) is None:
            if os.environ.get("REQUIRE_LIBREOFFICE"):
                pytest.fail(f"{tool} (poppler-utils) is required here (REQUIRE_LIBREOFFICE is set) but was not found")
            pytest.skip(f"{tool} (poppler-utils) not installed")
    run("copies", closed, *NOW)
    pdf = libreoffice(_copies_file(closed), "pdf", tmp_path / "lo")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           5" in info and "(A4)" in info  # one page per copy: fits one page wide and tall
    for page, (sheet, keeper) in enumerate(zip(L.COPY_SHEETS, L.COPY_KEEPERS, strict=True), start=1):
        text = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert sheet in text and keeper in text and "261101" in text
        assert "不得将本表或其副本交给客户" in text  # C13
        assert "###" not in text and "#NAME" not in text
        assert "2.00%" in text  # the defect rate, computed by the kit
