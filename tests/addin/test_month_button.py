"""The 月结 button (issue 7 item 6) end to end on the demo's register served by xlwings' remote
engine: last month's ledger equals the CLI's on the same file, and the report lands beside it."""

from __future__ import annotations

import shutil
from datetime import datetime

from complaint_kit import layout as L
from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
from complaint_kit.adapters.xlwings_book import XlwingsBook
from complaint_kit.config import write_conf
from complaint_kit.demo import run_demo
from tests.adapters.remote import RemoteWorkbook
from tests.addin import test_dispatch
from tests.e2e.test_cli import run

office = test_dispatch.office
click = test_dispatch.click


def test_month_button_writes_the_same_ledger_as_the_cli_and_the_report_beside(office, monkeypatch, tmp_path):
    run_demo(tmp_path / "demo", echo=lambda _: None)
    monkeypatch.setenv("COMPLAINT_KIT_KEY_FILE", str(tmp_path / "demo" / "demo-signing.key"))
    reg = tmp_path / "demo" / L.REGISTER_FILE
    conf = tmp_path / "demo.conf"  # the GM office's desk: its register is the demo's
    write_conf(conf, {"REGISTER": str(reg), "USER": "王静"})
    monkeypatch.setenv("COMPLAINT_KIT_CONF", str(conf))
    (tmp_path / "demo" / L.month_report_file_name("2026-10")).unlink()
    file_copy = tmp_path / "copy" / L.REGISTER_FILE
    file_copy.parent.mkdir()
    shutil.copyfile(reg, file_copy)
    when = datetime(2026, 11, 5, 9, 0)
    wb = RemoteWorkbook(reg)
    outcome, _, text = click(monkeypatch, wb, "ck_month", now=when)
    assert outcome.ok and "2026-10" in text and "月报" in text, text
    run("month", file_copy, "--now", when.isoformat(), "--user", "王静")
    wb.sync()
    live = XlwingsBook(wb.book).read_table(L.LEDGER_TABLE)
    on_file = OpenpyxlBook.open(file_copy).read_table(L.LEDGER_TABLE)
    assert live.rows == on_file.rows and len(live.rows) >= 3
    assert (reg.parent / L.month_report_file_name("2026-10")).exists()
    assert (file_copy.parent / L.month_report_file_name("2026-10")).exists()
