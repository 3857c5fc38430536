"""Forms fit for paper (issue 8 item 4): the form template's signature and date boxes, one font
family, the greyed 不适用 R&D section, borders on 流转记录; the five copies of a form made before the
boxes existed; and LibreOffice's print of a closed form (the boxes and 不适用 on paper, no ###)."""

from __future__ import annotations

import io
import subprocess
from datetime import datetime
from types import SimpleNamespace

import openpyxl
import pytest
from openpyxl.cell.cell import MergedCell

from complaint_kit import layout as L
from complaint_kit.actions.copies import plan_copies
from complaint_kit.adapters.copies import copies_workbook
from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
from complaint_kit.templates import build_form, template_dir
from tests.e2e.test_cli import run
from tests.e2e.test_copies import NOW, STEPS, take_through

SKIPPED_RND = [
    ("quality", {**STEPS[0][1], "RnDNeeded": "否"}, STEPS[0][2]),
    *[step for step in STEPS[1:] if step[0] != "rnd"],
]


def _row(wb, name: str) -> int:
    sheet, ref = next(iter(wb.defined_names[name].destinations))
    return wb[sheet][ref.replace("$", "")].row


def test_every_departments_section_ends_with_a_bordered_signature_row_inside_the_print_area():
    wb = openpyxl.load_workbook(template_dir() / L.FORM_FILE)
    ws = wb[L.FORM_SHEET]
    last_printed = int(str(ws.print_area).rsplit("$", 1)[1])
    for section in (s for s in L.SECTIONS if s.stage is not None):
        row = _row(wb, L.stage_field(section.stage, "By").name) + 1
        labels = L.SIGN_LABELS_BY_SECTION.get(section.key, L.SIGN_LABELS)
        assert [ws.cell(row, 2 * k + 1).value for k in range(len(labels))] == list(labels), section.key
        assert all(ws.cell(row, c).border.top.style == "thin" for c in range(1, L.FORM_COLUMNS + 1)), section.key
        assert ws.row_dimensions[row].height >= 24 and row <= last_printed
    assert ws.page_setup.orientation == "portrait" and ws.page_setup.paperSize == int(ws.PAPERSIZE_A4)


def test_the_boxes_add_no_defined_name_so_the_form_version_stays():
    wb = build_form()
    assert set(wb.defined_names) == {f.name for f in L.FORM_FIELDS} | {L.META_VERSION, L.META_SETTINGS, L.META_SEAL}
    assert wb[L.META_SHEET]["B1"].value == L.FORM_VERSION == "4"


def test_every_cell_the_template_styles_is_in_one_cjk_family():
    wb = openpyxl.load_workbook(template_dir() / L.FORM_FILE)
    for ws in (wb[L.FORM_SHEET], wb[L.FORM_LOG_SHEET], wb[L.RESPONSIBILITY_SHEET]):
        styled = [
            c
            for row in ws.iter_rows()
            for c in row  # the covered cells of a merged area show nothing (and openpyxl drops their font)
            if not isinstance(c, MergedCell) and c.has_style and (c.value is not None or c.border.top.style)
        ]
        assert styled and {c.font.name for c in styled} == {L.FONT_NAME}, ws.title


def test_the_rnd_section_greys_out_when_quality_says_it_is_not_needed():  # C6.5
    wb = openpyxl.load_workbook(template_dir() / L.FORM_FILE)
    ws = wb[L.FORM_SHEET]
    needed = wb.defined_names["RnDNeeded"].attr_text.rsplit("!", 1)[1]
    rules = {str(cf.sqref): rule for cf in ws.conditional_formatting for rule in cf.rules}
    area = next(ref for ref, rule in rules.items() if rule.formula == [f'{needed}="否"'])
    _, first, _, last = openpyxl.utils.range_boundaries(area)
    assert first == _row(wb, "RnDOpinion") and last == _row(wb, "RnDBy") + 1  # text, stamps, signature box
    assert rules[area].dxf.fill.fgColor.rgb.endswith(L.NOT_APPLICABLE_RGB)


def test_the_routing_log_borders_the_rows_it_holds():
    ws = openpyxl.load_workbook(template_dir() / L.FORM_FILE)[L.FORM_LOG_SHEET]
    rules = [(str(cf.sqref), rule) for cf in ws.conditional_formatting for rule in cf.rules]
    assert [(ref.split(":")[0], rule.formula, rule.dxf.border.top.style) for ref, rule in rules] == [
        ("A1", ['$A1<>""'], "thin")
    ]


def test_copies_of_a_form_made_before_the_boxes_get_a_signature_block_and_a_grey_rnd_section(tmp_path):
    wb = build_form()  # a form of the same version without the boxes, as forms in circulation are
    ws = wb[L.FORM_SHEET]
    for row in ws.iter_rows():
        for cell in row:
            if cell.value in (*L.SIGN_LABELS, *L.SIGN_LABELS_BY_SECTION["approval"]):
                cell.value = None
    buf = io.BytesIO()
    wb.save(buf)
    spec = SimpleNamespace(sheet=L.COPY_SHEETS[0], title="第一联", footer="第一联")
    copy = copies_workbook(buf.getvalue(), {"RnDNeeded": "否", "RnDOpinion": None}, [spec]).wb.worksheets[0]
    texts = [c.value for row in copy.iter_rows() for c in row if c.value]
    stage_sections = [s for s in L.SECTIONS if s.stage is not None]
    assert "签名栏" in texts and texts.count("经办人签名") == len(stage_sections)
    opinion = wb.defined_names["RnDOpinion"].attr_text.rsplit("!", 1)[1].replace("$", "")
    assert copy[opinion].value == L.NOT_APPLICABLE
    assert copy[opinion].fill.fgColor.rgb.endswith(L.NOT_APPLICABLE_RGB)


@pytest.fixture
def office(tmp_path):
    run("init", tmp_path / "office")
    return tmp_path / "office"


def test_a_closed_form_with_rnd_skipped_reads_not_applicable_in_its_copies(office):
    form = take_through(office, SKIPPED_RND)
    book = OpenpyxlBook.open(form)
    assert book.read_names(["RnDOpinion"]) == {"RnDOpinion": L.NOT_APPLICABLE}
    outcome = plan_copies(book, now=datetime(2026, 12, 1, 10, 0))
    assert outcome.ok, [p.render() for p in outcome.problems]
    assert outcome.data["plan"].values["RnDOpinion"] == L.NOT_APPLICABLE


@pytest.mark.libreoffice
@pytest.mark.parametrize("steps", [SKIPPED_RND, STEPS], ids=["rnd-skipped", "rnd-done"])
def test_libreoffice_prints_the_form_with_its_boxes_on_a4_and_no_hashes(office, tmp_path, libreoffice, steps):
    form = take_through(office, steps)
    run("copies", form, *NOW)
    for workbook, pages in ((form, None), (form.with_name("客诉-261101-五联.xlsx"), 5)):
        pdf = libreoffice(workbook, "pdf", tmp_path / workbook.stem)
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert "(A4)" in info
        if pages:
            assert f"Pages:           {pages}" in info
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "###" not in text and text.count("经办人签名") >= 6 and "核决人签名" in text
        assert (L.NOT_APPLICABLE in text) == (steps is SKIPPED_RND)
