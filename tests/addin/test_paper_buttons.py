"""The 退货实收, 签呈 and 异常处理单 buttons (issue 7) end to end on workbooks served by xlwings'
remote engine: each reads what the clerk typed in the workbook and runs the CLI's action."""

from __future__ import annotations

from datetime import datetime

from complaint_kit import layout as L
from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
from complaint_kit.adapters.xlwings_book import XlwingsBook
from tests.adapters.remote import RemoteWorkbook
from tests.addin import test_dispatch
from tests.e2e.test_cli import type_in
from tests.e2e.test_papers_cli import ROSTER, decided, fill_table

office = test_dispatch.office
click = test_dispatch.click
WHEN = datetime(2026, 12, 3, 15, 0)


def test_receipt_button_books_what_the_warehouse_typed(office, monkeypatch):
    fill_table(office / L.REGISTER_FILE, L.STAFF_TABLE, ROSTER)
    form = decided(office)
    type_in(form, ReceivedQty=106, ReceiptProof="原发票盖章")
    wb = RemoteWorkbook(form)
    outcome, _, text = click(monkeypatch, wb, "ck_receive", now=WHEN)
    assert outcome.ok and "W-RETURN-OVER-LIMIT" in [p.code for p in outcome.warnings], text
    wb.sync()
    names = XlwingsBook(wb.book).read_names(["BookedQty", "ReceiptAt", "ReceivedQty"])
    assert names["BookedQty"] is None and names["ReceivedQty"] == 106 and names["ReceiptAt"] is not None


def test_petition_button_drafts_the_petition_from_section_ten(office, monkeypatch):
    fill_table(office / L.REGISTER_FILE, L.STAFF_TABLE, ROSTER)
    form = decided(office)
    outcome, _, text = click(monkeypatch, RemoteWorkbook(form), "ck_petition", now=WHEN)
    assert not outcome.ok and "异议内容" in text
    type_in(form, Objection="客户认为责任比例不合理，请重新核定。")
    outcome, _, text = click(monkeypatch, RemoteWorkbook(form), "ck_petition", now=WHEN)
    assert outcome.ok and "签呈" in text, text
    assert list(form.parent.glob("客诉-*-签呈.xlsx"))


def test_abnormal_button_numbers_the_typed_rows_and_prints_their_sheets(office, monkeypatch):
    reg = office / L.REGISTER_FILE
    fill_table(reg, L.ABNORMAL_TABLE, [[None, None, "华星光电", "制造部", "标签歪斜", None, None, None, None, None]])
    wb = RemoteWorkbook(reg)
    outcome, _, text = click(monkeypatch, wb, "ck_abnormal", now=WHEN)
    assert outcome.ok and "YC2612-001" in text, text
    wb.sync()
    rows = XlwingsBook(wb.book).read_table(L.ABNORMAL_TABLE).rows
    assert rows[0][0] == "YC2612-001" and rows[0][8] == "待回复"
    sheet = office / L.ABNORMAL_DIR / "异常处理单-YC2612-001.xlsx"
    assert OpenpyxlBook.open(sheet).wb.sheetnames == [L.ABNORMAL_TITLE]
