"""The real-spreadsheet check: LibreOffice (headless) opens what the kit writes and recalculates
every formula to the value the Python side expects."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import Counter

import openpyxl
import pytest

from complaint_kit import layout as L
from complaint_kit.actions.records import register_records
from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
from complaint_kit.demo import run_demo
from complaint_kit.ports import Changes
from complaint_kit.templates import template_dir

pytestmark = pytest.mark.libreoffice


@pytest.mark.parametrize("file", [L.FORM_FILE, L.REGISTER_FILE])
def test_libreoffice_opens_the_templates_with_sheets_names_and_tables(file, tmp_path, libreoffice):
    out = libreoffice(template_dir() / file, "xlsx", tmp_path / "lo")
    original = openpyxl.load_workbook(template_dir() / file)
    reopened = openpyxl.load_workbook(out)
    assert reopened.sheetnames == original.sheetnames
    assert set(original.defined_names) <= set(reopened.defined_names)
    tables = {t for ws in reopened.worksheets for t in ws.tables}
    assert {t for ws in original.worksheets for t in ws.tables} <= tables


def test_the_forms_defect_rate_formula_recalculates(tmp_path, libreoffice):
    src = tmp_path / "form.xlsx"
    shutil.copyfile(template_dir() / L.FORM_FILE, src)
    book = OpenpyxlBook.open(src)
    book.apply(Changes(names={"ShipQty": 1250, "DefectQty": 35}))
    book.save()
    out = libreoffice(src, "xlsx", tmp_path / "lo")
    values = OpenpyxlBook(openpyxl.load_workbook(out, data_only=True)).read_names(["DefectRate"])
    assert values["DefectRate"] == pytest.approx(35 / 1250)


def test_the_demo_registers_summary_counts_recalculate_to_the_python_counts(tmp_path, libreoffice):
    run_demo(tmp_path / "demo", echo=lambda _: None)
    reg = tmp_path / "demo" / L.REGISTER_FILE
    rows = register_records(OpenpyxlBook.open(reg).read_table(L.REGISTER_TABLE))
    out = libreoffice(reg, "xlsx", tmp_path / "lo")
    ws = openpyxl.load_workbook(out, data_only=True)[L.SUMMARY_SHEET]
    got = {r[0]: r[1:4] for r in ws.iter_rows(min_row=4, max_row=3 + len(L.SUMMARY_STATUSES) + 2, values_only=True)}
    for label in L.SUMMARY_STATUSES:
        want = Counter(r["market"] for r in rows if r["status"] == label)
        assert got[label] == (want["国内"], want["国外"], want["国内"] + want["国外"]), label
    for label in L.SUMMARY_TIMELINESS:
        want = Counter(r["market"] for r in rows if r["timeliness"] == label)
        assert got[label] == (want["国内"], want["国外"], want["国内"] + want["国外"]), label
    assert got["逾期"][2] >= 1  # the check would catch a formula that always says 0


def test_the_demo_register_renders_to_pdf_with_its_reminders(tmp_path, libreoffice):
    if shutil.which("pdftotext") is None:
        if os.environ.get("REQUIRE_LIBREOFFICE"):
            pytest.fail("pdftotext (poppler-utils) is required here (REQUIRE_LIBREOFFICE is set) but was not found")
        pytest.skip("pdftotext (poppler-utils) not installed")
    run_demo(tmp_path / "demo", echo=lambda _: None)
    pdf = libreoffice(tmp_path / "demo" / L.REGISTER_FILE, "pdf", tmp_path / "lo")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "催办单" in text and "客诉案件概览" in text and "260901" in text
    # issue 8: every date-time printed whole (a column too narrow prints ###), the open cases listed
    assert "###" not in text and L.OPEN_CASES_TITLE in text and L.OPEN_OVERDUE_HEADER in text
    assert "2026-10-16 13:16" in text  # a stage deadline as yyyy-mm-dd hh:mm
