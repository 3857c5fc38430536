"""Papers from what clerks typed in the workbook (the ribbon's way, issue 7): the receipt from
section 九, the petition from section 十, abnormalities from rows typed into 异常处理 (R3–R6, C2,
C14). The same actions as the CLI's options; nothing is written on any error."""

from __future__ import annotations

from complaint_kit import layout as L
from complaint_kit.actions.papers import plan_petition, record_receipt, register_typed_abnormal
from complaint_kit.ports import TableData
from tests.actions.test_papers import AFTER, RECEIVED, codes, decided
from tests.conftest import KEY

TYPED = {"ReceivedQty": 105, "ReceiptProof": "原发票盖章"}


def test_the_receipt_typed_in_section_nine_is_booked_and_its_cells_locked(form, register):  # R3, R4
    form = decided(form, register)
    form.names.update(TYPED)
    outcome = record_receipt(form, now=RECEIVED, by="仓储-吴刚", register=register)
    assert outcome.ok, [p.render() for p in outcome.problems]
    assert (form.names["BookedQty"], form.names["ReceiptAt"]) == (105, RECEIVED)  # 100 at 5 %: exactly the limit
    assert {"ReceivedQty", "ReceiptProof"} <= form.locked
    again = record_receipt(form, now=RECEIVED, by="仓储-吴刚", register=register)
    assert codes(again) == ["E-RECEIPT-DONE"]


def test_a_receipt_typed_wrong_is_refused_at_its_cells_and_nothing_written(form, register):
    form = decided(form, register)
    form.names.update({"ReceivedQty": "一百", "ReceiptProof": None})
    outcome = record_receipt(form, now=RECEIVED, by="仓储-吴刚", register=register)
    assert sorted(codes(outcome)) == ["E-NOT-INTEGER", "E-REQUIRED"]
    assert {p.where.split()[-1] for p in outcome.errors} == {"ReceivedQty", "ReceiptProof"}
    assert form.names["ReceiptAt"] is None and not form.locked & {"ReceivedQty"}


def test_the_petition_takes_the_objection_typed_in_section_ten(form, register):  # C14
    form = decided(form, register)
    assert codes(plan_petition(form, by="业务-李强", now=AFTER)) == ["E-REQUIRED"]
    form.names["Objection"] = "客户认为责任比例不合理。"
    outcome = plan_petition(form, by="业务-李强", now=AFTER)
    assert outcome.ok
    assert any("客户认为责任比例不合理。" in b.text for b in outcome.data["plan"].papers[0].blocks)


def _typed(register, *rows):
    headers = register.tables[L.ABNORMAL_TABLE].headers
    register.tables[L.ABNORMAL_TABLE] = TableData(headers, [list(r) for r in rows])


def _row(customer=None, unit=None, description=None, *, number=None, reply=None, status=None):
    return [number, None, customer, unit, description, None, None, reply, status, None]


def test_rows_typed_into_the_abnormal_sheet_are_numbered_journaled_and_printed(register):  # C2
    _typed(register, _row("华星光电", "制造部", "标签歪斜"), _row("比亚迪电子", "成品仓储", "外箱破损"))
    journal = len(register.tables[L.JOURNAL_TABLE].rows)
    outcome = register_typed_abnormal(register, by="王静", now=RECEIVED, key=KEY)
    assert outcome.ok, [p.render() for p in outcome.problems]
    rows = register.tables[L.ABNORMAL_TABLE].rows
    assert [r[0] for r in rows] == ["YC2612-001", "YC2612-002"]
    assert [r[8] for r in rows] == ["待回复", "待回复"] and rows[0][9] == "王静" and rows[0][1] == RECEIVED
    assert [p.file_name for p in outcome.data["plans"]] == ["异常处理单-YC2612-001.xlsx", "异常处理单-YC2612-002.xlsx"]
    assert len(register.tables[L.JOURNAL_TABLE].rows) == journal + 2


def test_a_reply_typed_into_a_waiting_row_is_recorded_and_an_unfinished_row_refused(register):  # C2
    _typed(register, _row("华星光电", "制造部", "标签歪斜", number="YC2612-001", reply="已更换标签机", status="待回复"))
    assert register_typed_abnormal(register, by="王静", now=RECEIVED, key=KEY).ok
    assert register.tables[L.ABNORMAL_TABLE].rows[0][8] == "已回复"
    assert codes(register_typed_abnormal(register, by="王静", now=RECEIVED, key=KEY)) == ["E-ABNORMAL-NOTHING"]
    _typed(register, _row("华星光电", None, "缺少责任单位"))
    before = register.tables[L.ABNORMAL_TABLE]
    outcome = register_typed_abnormal(register, by="王静", now=RECEIVED, key=KEY)
    assert codes(outcome) == ["E-REQUIRED"] and "责任单位" in outcome.errors[0].where
    assert register.tables[L.ABNORMAL_TABLE] == before
