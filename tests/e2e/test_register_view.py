"""The register as a clerk and a manager read and print it (issue 8 item 2), on the demo's files."""

from __future__ import annotations

import openpyxl
import pytest

from complaint_kit import layout as L
from complaint_kit.actions.records import register_records
from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
from complaint_kit.demo import run_demo
from complaint_kit.templates import template_dir


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    run_demo(folder, echo=lambda _: None)
    return folder / L.REGISTER_FILE


def test_the_register_sheet_is_set_up_to_read_and_print():
    ws = openpyxl.load_workbook(template_dir() / L.REGISTER_FILE)[L.REGISTER_SHEET]
    assert ws.freeze_panes == "B2" and ws.tables[L.REGISTER_TABLE].autoFilter is not None
    assert ws.print_title_rows == "$1:$1" and ws.print_title_cols == "$A:$C"
    assert ws.page_setup.orientation == "landscape" and not ws.sheet_properties.pageSetUpPr.fitToPage
    letters = {c.attr: openpyxl.utils.get_column_letter(i + 1) for i, c in enumerate(L.REGISTER_COLUMNS)}
    for c in L.REGISTER_COLUMNS:
        if c.kind is L.Kind.DATETIME:
            assert ws.column_dimensions[letters[c.attr]].width >= L.DATETIME_WIDTH, c.header


def test_overdue_rows_follow_the_kits_timeliness_not_the_pcs_clock():
    ws = openpyxl.load_workbook(template_dir() / L.REGISTER_FILE)[L.REGISTER_SHEET]
    rules = [(str(cf.sqref), r) for cf in ws.conditional_formatting for r in cf.rules]
    assert not any("NOW()" in f for _, r in rules for f in r.formula)
    timeliness = openpyxl.utils.get_column_letter(L.REGISTER_HEADERS.index("时效") + 1)
    last = openpyxl.utils.get_column_letter(len(L.REGISTER_COLUMNS))
    whole_row = [r for ref, r in rules if ref.startswith("A2:") and ref.split(":")[1].startswith(last)]
    assert [r.formula for r in whole_row] == [[f'${timeliness}2="逾期"']]


def test_overdue_hours_are_split_into_open_and_finished_late(demo):
    rows = register_records(OpenpyxlBook.open(demo).read_table(L.REGISTER_TABLE))
    for r in rows:
        if r["timeliness"] == "逾期":
            assert r["overdue_hours"] and r["overdue_hours"] > 0, r["case_no"]
        else:
            assert r["overdue_hours"] is None, r["case_no"]  # a finished late stage is not "overdue now"
    late = [r for r in rows if r["late_hours"]]
    assert late and any(r["timeliness"] == "正常" for r in late)  # a case late once, on time now
    assert all(r["late_hours"] > 0 for r in late)


def test_the_open_cases_sheet_lists_every_open_case_overdue_first_on_one_page_wide(demo):
    wb = openpyxl.load_workbook(demo)
    rows = register_records(OpenpyxlBook(wb).read_table(L.REGISTER_TABLE))
    ws = wb[L.OPEN_CASES_SHEET]
    assert wb.sheetnames.index(L.OPEN_CASES_SHEET) == wb.sheetnames.index(L.SUMMARY_SHEET) + 1
    values = [r for r in ws.iter_rows(min_row=1, values_only=True)]
    headers = [L.COLUMN_BY_ATTR[a].header for a in L.OPEN_CASES_ATTRS]
    start = next(i for i, r in enumerate(values) if list(r[: len(headers)]) == headers) + 1
    listed = [r for r in values[start:] if r[0]]
    open_cases = {r["case_no"] for r in rows if r["status"] != "已结案"}
    assert {r[0] for r in listed} == open_cases and len(listed) == len(open_cases)
    flags = [r[headers.index("时效")] == "逾期" for r in listed]
    assert flags == sorted(flags, reverse=True) and any(flags)  # overdue first
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
