"""complaint-kit month on the demo's register files (issue 7 item 6): the report workbook with
native charts, the same ledger on a rerun, clear refusals for bad input."""

from __future__ import annotations

import shutil
import zipfile

import pytest

from complaint_kit import layout as L
from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
from complaint_kit.demo import run_demo
from tests.e2e.test_cli import run


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("monthcli") / "demo"
    run_demo(folder, echo=lambda _: None)
    return folder


@pytest.fixture
def office(demo, tmp_path, monkeypatch):
    shutil.copytree(demo, tmp_path / "demo")
    monkeypatch.setenv("COMPLAINT_KIT_KEY_FILE", str(tmp_path / "demo" / "demo-signing.key"))
    return tmp_path / "demo"


def test_month_writes_the_report_with_native_charts_and_a_rerun_keeps_the_ledger(office):
    reg = office / L.REGISTER_FILE
    report = office / L.month_report_file_name("2026-10")
    report.unlink()
    before = OpenpyxlBook.open(reg).read_table(L.LEDGER_TABLE).rows
    out = run("month", reg, "--now", "2026-11-09 08:30", "--user", "王静").output
    assert "2026-10 月结" in out and "已写入 written" in out and report.exists()
    with zipfile.ZipFile(report) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        xml = "".join(z.read(n).decode() for n in charts)
    assert len(charts) >= 6 and "<barChart>" in xml and "<pieChart>" in xml
    assert OpenpyxlBook.open(reg).read_table(L.LEDGER_TABLE).rows == before  # the demo ran it once already
    assert OpenpyxlBook.open(report).wb.sheetnames[:3] == [
        L.MONTH_STATS_SHEET,
        L.MONTH_DEDUCTIONS_SHEET,
        L.MONTH_LEDGER_SHEET,
    ]


def test_a_late_month_warns_and_a_bad_month_is_refused(office):
    reg = office / L.REGISTER_FILE
    late = run("month", reg, "--month", "2026-10", "--now", "2026-11-12 09:00")
    assert "W-MONTH-LATE" in late.output and "2026-11-10" in late.output
    bad = run("month", reg, "--month", "十月", code=2)
    assert "--month" in bad.output and "2026-10" in bad.output
    early = run("month", reg, "--month", "2026-11", "--now", "2026-11-20 10:00", code=1)
    assert "E-MONTH-NOT-OVER" in early.output and "nothing was written" in early.output
