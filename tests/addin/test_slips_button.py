"""The 退货单/折让单 button (R1, R2) end to end, as 印制五联: a click on a closed, approved form
served by xlwings' remote engine writes the slip beside it, never over an existing one."""

from __future__ import annotations

from datetime import datetime

from complaint_kit import layout as L
from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
from tests.adapters.remote import RemoteWorkbook
from tests.addin import test_dispatch
from tests.e2e.test_cli import new_form
from tests.e2e.test_papers_cli import ROSTER, decided, fill_table

office = test_dispatch.office
click = test_dispatch.click
WHEN = datetime(2026, 12, 2, 10, 0)


def test_slips_button_writes_the_return_slip_beside_a_closed_form(office, monkeypatch):
    fill_table(office / L.REGISTER_FILE, L.STAFF_TABLE, ROSTER)
    form = decided(office)
    outcome, _, text = click(monkeypatch, RemoteWorkbook(form), "ck_slips", now=WHEN)
    assert outcome.ok and "成品退货单" in text, text
    target = next(form.parent.glob("客诉-*-成品退货单.xlsx"))
    assert OpenpyxlBook.open(target).wb.sheetnames == ["第一联", "第二联", "第三联", "第四联"]
    outcome, _, text = click(monkeypatch, RemoteWorkbook(form), "ck_slips", now=WHEN)
    assert not outcome.ok and "文件已存在" in text


def test_slips_button_refuses_a_form_still_open(office, monkeypatch):
    outcome, _, text = click(monkeypatch, RemoteWorkbook(new_form(office)), "ck_slips", now=WHEN)
    assert not outcome.ok and "尚未被总经理室受理" in text
