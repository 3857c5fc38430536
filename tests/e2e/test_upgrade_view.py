"""A register built before issue 8 (one 逾期工时 column, rows painted by the PC's clock, no 在办案件)
keeps working, and ``upgrade`` brings it to the current view without losing a case."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.formatting.rule import FormulaRule
from openpyxl.utils import get_column_letter, range_boundaries

from complaint_kit import layout as L
from complaint_kit.actions.records import register_records
from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
from tests.e2e.test_cli import new_form, run


def make_old(register: Path) -> None:
    """The register as the kit built it before issue 8."""
    wb = openpyxl.load_workbook(register)
    ws = wb[L.REGISTER_SHEET]
    table = ws.tables[L.REGISTER_TABLE]
    names = [c.name for c in table.tableColumns]
    late = names.index(L.FINISHED_LATE_HEADER)
    ws.delete_cols(late + 1)
    del table.tableColumns[late]
    min_col, min_row, max_col, max_row = range_boundaries(table.ref)
    table.ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col - 1)}{max_row}"
    table.autoFilter.ref = table.ref
    opened = names.index(L.OPEN_OVERDUE_HEADER)
    table.tableColumns[opened].name = "逾期工时"
    ws.cell(1, opened + 1, "逾期工时")
    ws.conditional_formatting.add("P2:P5001", FormulaRule(formula=['AND($R2="",ISNUMBER($P2),$P2<NOW())']))
    del wb[L.OPEN_CASES_SHEET]
    wb.save(register)


def test_an_old_register_keeps_working_and_is_upgraded_to_the_current_view(tmp_path):
    office = tmp_path / "office"
    run("init", office)
    reg = office / L.REGISTER_FILE
    make_old(reg)
    form = new_form(office)
    run("accept", form, "-r", reg, "--now", "2026-11-23T11:30", "--user", "王静")
    run("refresh", reg, "--now", "2026-12-08T10:00", "--user", "王静")  # the case is overdue by then
    table = OpenpyxlBook.open(reg).read_table(L.REGISTER_TABLE)
    assert "逾期工时" in table.headers and L.FINISHED_LATE_HEADER not in table.headers
    (row,) = register_records(table)
    assert row["timeliness"] == "逾期" and row["overdue_hours"] > 0  # written into the old column

    out = run("upgrade", reg).output
    assert "逾期工时 → 逾期工时(在办)" in out and f"+{L.FINISHED_LATE_HEADER}" in out and L.OPEN_CASES_SHEET in out
    wb = openpyxl.load_workbook(reg)
    ws = wb[L.REGISTER_SHEET]
    assert not any("NOW()" in f for cf in ws.conditional_formatting for r in cf.rules for f in r.formula)
    assert wb.sheetnames.index(L.OPEN_CASES_SHEET) == wb.sheetnames.index(L.SUMMARY_SHEET) + 1
    run("refresh", reg, "--now", "2026-12-08T10:00", "--user", "王静")
    (after,) = register_records(OpenpyxlBook.open(reg).read_table(L.REGISTER_TABLE))
    assert after["case_no"] == row["case_no"] and after["overdue_hours"] == row["overdue_hours"]
    assert "late_hours" in after
    assert "无需升级" in run("upgrade", reg).output  # a second upgrade changes nothing
