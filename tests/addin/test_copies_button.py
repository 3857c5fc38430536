"""The 印制五联 button (C9) end to end, as the other buttons in ``test_dispatch``: a click on a form
served by xlwings' remote engine."""

from __future__ import annotations

from datetime import datetime

from complaint_kit import layout as L
from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
from tests.adapters.remote import RemoteWorkbook
from tests.addin import test_dispatch
from tests.e2e.test_cli import new_form
from tests.e2e.test_copies import take_through

office = test_dispatch.office  # the same office and add-in configuration
click = test_dispatch.click


def test_copies_button_writes_the_five_copies_beside_a_closed_form(office, monkeypatch):
    form = take_through(office)
    outcome, _, text = click(monkeypatch, RemoteWorkbook(form), "ck_copies", now=datetime(2026, 12, 1, 10, 0))
    target = form.with_name("客诉-261101-五联.xlsx")
    assert outcome.ok and "已印制五联" in text and target.name in text
    assert OpenpyxlBook.open(target).wb.sheetnames == list(L.COPY_SHEETS)
    outcome, _, text = click(monkeypatch, RemoteWorkbook(form), "ck_copies", now=datetime(2026, 12, 1, 10, 0))
    assert not outcome.ok and "文件已存在" in text  # never overwritten


def test_copies_button_refuses_a_form_still_open(office, monkeypatch):
    outcome, _, text = click(monkeypatch, RemoteWorkbook(new_form(office)), "ck_copies")
    assert not outcome.ok and "尚未被总经理室受理" in text
