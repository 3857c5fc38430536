"""月结 on a real register (issue 7 item 6; C12, C18–C20, E4): the demo's register after its
October, then November, reruns, gaps and refusals. Nothing is written on any error."""

from __future__ import annotations

import shutil
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from complaint_kit import layout as L
from complaint_kit.actions.month import read_ledger, run_month
from complaint_kit.adapters.memory import MemoryBook
from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
from complaint_kit.demo import DEMO_KEY, run_demo
from complaint_kit.domain.ledger import Month
from complaint_kit.ports import TableData

NOV_RUN = datetime(2026, 12, 1, 9, 0)


@pytest.fixture(scope="module")
def demo_register(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("month") / "demo"
    run_demo(folder, echo=lambda _: None)
    return folder / L.REGISTER_FILE


@pytest.fixture
def register(demo_register, tmp_path) -> OpenpyxlBook:
    path = tmp_path / L.REGISTER_FILE
    shutil.copy(demo_register, path)
    return OpenpyxlBook.open(path)


def month(book, text, now):
    return run_month(book, month=Month.parse(text), now=now, user="王静", key=DEMO_KEY)


def ledger(book):
    rows, problems = read_ledger(book)
    assert problems == []
    return rows


def test_the_demo_closed_october_into_the_ledger_and_a_rerun_changes_nothing(register):
    before = ledger(register)
    assert {r.month for r in before} == {"2026-10"} and sum(r.carried_out for r in before) > 0
    journal = len(register.read_table(L.JOURNAL_TABLE).rows)
    again = month(register, "2026-10", datetime(2026, 11, 2, 10, 0))
    assert again.ok and again.warnings == [], [p.render() for p in again.problems]
    assert ledger(register) == before  # no double deduction
    assert len(register.read_table(L.JOURNAL_TABLE).rows) == journal + 1  # the rerun is journalled


def test_november_brings_octobers_carry_and_caps_it_again(register):
    october = {r.name: r for r in ledger(register)}
    outcome = month(register, "2026-11", NOV_RUN)
    assert outcome.ok, [p.render() for p in outcome.problems]
    november = {r.name: r for r in ledger(register) if r.month == "2026-11"}
    for name, row in october.items():
        if row.carried_out:
            assert november[name].carried_in == row.carried_out
            assert november[name].paid + november[name].carried_out == november[name].due


def test_rerunning_october_after_november_warns_that_november_must_be_rerun(register):
    assert month(register, "2026-11", NOV_RUN).ok
    again = month(register, "2026-10", NOV_RUN)
    assert [p.code for p in again.warnings] == ["W-MONTH-LATE", "W-LEDGER-LATER"]
    assert "2026-11" in again.warnings[1].zh


def test_skipping_a_month_that_has_a_carry_is_refused_and_nothing_written(register):
    before = ledger(register)
    outcome = month(register, "2026-12", datetime(2027, 1, 5, 9, 0))
    assert [p.code for p in outcome.errors] == ["E-LEDGER-GAP"] and "2026-11" in outcome.errors[0].zh
    assert ledger(register) == before


def test_a_month_not_over_is_refused(register):
    outcome = month(register, "2026-11", datetime(2026, 11, 30, 17, 0))
    assert [p.code for p in outcome.errors] == ["E-MONTH-NOT-OVER"]


def test_the_report_has_the_statistics_with_charts_and_three_notice_copies_per_department(register):
    outcome = month(register, "2026-10", datetime(2026, 11, 2, 10, 0))
    sheets = {s.name: s for s in outcome.data["sheets"]}
    assert list(sheets) == [
        L.MONTH_STATS_SHEET,
        L.MONTH_DEDUCTIONS_SHEET,
        L.MONTH_LEDGER_SHEET,
        L.MONTH_NOTICE_SHEET,
        L.MONTH_HR_SHEET,
        L.MONTH_INQUIRY_SHEET,
    ]
    charts = [t.chart.kind for t in sheets[L.MONTH_STATS_SHEET].tables if t.chart]
    assert charts.count("bar") >= 3 and charts.count("pie") >= 1
    result = outcome.data["result"]
    notices = sheets[L.MONTH_NOTICE_SHEET].tables
    assert len(notices) == 3 * len(result.by_department())
    assert [t.caption.split("第")[1][:1] for t in notices[:3]] == ["1", "2", "3"]
    details = sheets[L.MONTH_DEDUCTIONS_SHEET].tables[0].rows
    assert details[-1][4] == sum((d.amount for d in result.deductions), Decimal(0))
    inquiries = sheets[L.MONTH_INQUIRY_SHEET].tables
    assert sum(len(t.rows) for t in inquiries) == len(result.inquiries) > 0


def test_a_register_without_the_ledger_must_be_upgraded(register):
    book = MemoryBook(tables={t: register.read_table(t) for t in (L.SIGNATURES_TABLE, L.JOURNAL_TABLE)})
    outcome = run_month(book, month=Month(2026, 10), now=datetime(2026, 11, 2), user="x", key=DEMO_KEY)
    assert [p.code for p in outcome.errors] == ["E-REGISTER-NEEDS-UPGRADE"]


def test_an_unreadable_ledger_row_is_named_and_nothing_written(register):
    table = register.read_table(L.LEDGER_TABLE)
    bad = MemoryBook(
        tables={t: register.read_table(t) for t in register._tables}
        | {L.LEDGER_TABLE: TableData(table.headers, [["十月", "刘洋", "制造部", 1, 0, 1, 1, 0]])}
    )
    outcome = run_month(bad, month=Month(2026, 10), now=datetime(2026, 11, 2), user="x", key=DEMO_KEY)
    assert "E-LEDGER-ROW" in [p.code for p in outcome.errors] and bad.applied == []
