"""Papers after the decision (issue 7) on in-memory copies of the real templates: the slips (R1,
R2), the warehouse's receipt (R3–R6), the 签呈 (C14, C16) and the 异常处理单 (C2)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from complaint_kit import layout as L
from complaint_kit.actions.forms import complete_stage
from complaint_kit.actions.papers import (
    ReceivablesFile,
    compute_abnormal_number,
    plan_petition,
    plan_slip,
    record_receipt,
    register_abnormal,
    reply_abnormal,
)
from complaint_kit.domain.returns import Proof, SlipKind
from complaint_kit.domain.rules import Stage
from complaint_kit.ports import TableData
from tests.actions.test_approval import ROSTER
from tests.actions.test_decision import DECISION, ROWS, _table, consolidate
from tests.actions.test_lifecycle import FULL, accept, dt, filled, run_through
from tests.conftest import KEY

AFTER = dt("2026-12-01 10:00")
RECEIVED = dt("2026-12-03 15:00")


def decided(form, register, *, handling="退货", approved=100, loss=1200, rows=ROWS, version=None):
    """A case taken through every stage to 已结案 with the register: decided as ``handling``,
    approved by 周总 (总经理 in the roster)."""
    _table(register, L.STAFF_TABLE, ROSTER)
    filled(form)
    if version is not None:  # a form made from an older template, still in circulation
        for f in L.FORM_FIELDS:
            if f.since > version:
                del form.names[f.name]
        form.names[L.META_VERSION] = str(version)
    accept(form, register)
    run_through(form, register, FULL[:3])
    names = {**DECISION, "Handling": handling, "LossAmount": loss}
    if version is None:
        names["ApprovedQty"] = approved
    outcome = consolidate(form, register, names=names, rows=rows)
    assert outcome.ok, [p.render() for p in outcome.problems]
    form.names["ApprovalOpinion"] = "同意"
    outcome = complete_stage(form, stage=Stage.APPROVAL, by="周总", now=dt(FULL[-1][1]), register=register, key=KEY)
    assert outcome.ok, [p.render() for p in outcome.problems]
    return form


def codes(outcome):
    return [p.code for p in outcome.errors]


def texts(paper):
    """Every label and value a paper prints."""
    out = [paper.title, paper.subtitle, paper.footer]
    for block in paper.blocks:
        out += [block.label, block.text, *block.headers]
        out += [x for pair in block.pairs for x in pair]
        out += [x for row in block.rows for x in row]
    return out


def pairs(paper):
    return {label: value for block in paper.blocks for label, value in block.pairs}


# -- R1, R2: slips --------------------------------------------------------------------------------------
def test_a_return_is_printed_as_four_copies_routed_as_r2_says(form, register):
    outcome = plan_slip(decided(form, register), now=AFTER)
    assert outcome.ok and outcome.warnings == [], [p.render() for p in outcome.problems]
    plan = outcome.data["plan"]
    assert (plan.kind, plan.file_name) == ("成品退货单", "客诉-261101-成品退货单.xlsx")
    assert [(p.sheet, p.title) for p in plan.papers] == [
        ("第一联", "成品退货单　第一联（业务部留存）"),
        ("第二联", "成品退货单　第二联（送成品仓储，收货后成品仓储存）"),
        ("第三联", "成品退货单　第三联（送成品仓储，收货后会计科存）"),
        ("第四联", "成品退货单　第四联（送成品仓储，收货后业务部存）"),
    ]
    assert "4 copies" in outcome.messages[0] and "R2" in outcome.messages[0]


@pytest.mark.parametrize("handling", ["换货", "重工"])
def test_an_exchange_or_a_rework_brings_the_goods_back_on_the_return_slip(form, register, handling):
    plan = plan_slip(decided(form, register, handling=handling), now=AFTER).data["plan"]
    assert plan.kind == SlipKind.RETURN_SLIP and len(plan.papers) == 4


@pytest.mark.parametrize(("handling", "amount_label"), [("折让", "折让金额"), ("赔偿", "赔偿金额")])
def test_an_allowance_or_compensation_gets_the_two_copy_certificate(form, register, handling, amount_label):
    plan = plan_slip(decided(form, register, handling=handling), now=AFTER).data["plan"]
    assert plan.file_name == "客诉-261101-销货折让证明单.xlsx"
    assert [p.title for p in plan.papers] == [
        "销货折让证明单　第一联（业务部留存）",
        "销货折让证明单　第二联（送会计科存）",
    ]
    paper = plan.papers[0]
    assert pairs(paper)[amount_label] == "1,200.00"
    assert [b.label for b in paper.blocks if b.kind == "box"] == ["经办", "主管", "买受人盖章"]  # R6: the buyer stamps
    assert not any("电镀" in t for t in texts(paper))  # the buyer sees no internal cause analysis


def test_a_slip_shows_the_case_the_approved_quantity_and_who_approved_it(form, register):
    paper = plan_slip(decided(form, register, approved=96), now=AFTER).data["plan"].papers[2]
    fields = pairs(paper)
    assert fields["客诉编号"] == "261101" and fields["处理方式"] == "退货"
    assert (fields["客户名称"], fields["业务员"], fields["订单号"], fields["料号"]) == (
        "华星光电",
        "李强",
        "SO1",
        "PCB-1",
    )
    assert (fields["出货日期"], fields["核准数量"]) == ("2026-11-01", "96")
    assert (fields["核决人"], fields["核决时间"], fields["核决级别"]) == ("周总", "2026-12-01 09:00", "业务经理")
    reason = next(b for b in paper.blocks if b.kind == "text")
    assert reason.label == "退货原因" and "电镀" in reason.text  # 原因分析 on the internal return slip
    assert [b.label for b in paper.blocks if b.kind == "box"] == ["经办", "主管", "仓储签收"]
    assert "实收数量" in paper.blocks[-1].text  # R4: the warehouse signs for what it received
    assert not any(L.FORM_NOTICE in t or "C13" in t for t in texts(paper))  # slips may reach the customer


def test_planning_a_slip_writes_nothing_to_the_form(form, register):
    decided(form, register)
    before = len(form.applied)
    assert plan_slip(form, now=AFTER).ok and len(form.applied) == before


def test_an_invalid_complaint_gets_no_slip(form, register):  # C16
    accept(filled(form), register)
    run_through(form, register, FULL)  # decided 不成立
    outcome = plan_slip(form, now=AFTER)
    assert codes(outcome) == ["E-SLIP-INVALID"] and "plan" not in outcome.data
    assert "Handling" in outcome.errors[0].where and "petition" in outcome.errors[0].en


def test_a_case_awaiting_approval_gets_no_slip_as_it_gets_no_copies(form, register):
    accept(filled(form), register)
    run_through(form, register, FULL[:-1])
    assert codes(plan_slip(form, now=AFTER)) == ["E-COPIES-NOT-CLOSED"]


def test_a_blank_approved_quantity_is_refused_naming_the_field(form, register):
    outcome = plan_slip(decided(form, register, approved=None), now=AFTER)
    assert codes(outcome) == ["E-APPROVED-QTY-BLANK"]
    assert "核准数量" in outcome.errors[0].zh and "ApprovedQty" in outcome.errors[0].where


def test_a_version_3_form_uses_the_requested_quantity_with_a_warning(form, register):
    outcome = plan_slip(decided(form, register, version=3), now=AFTER)
    assert outcome.ok and [p.code for p in outcome.warnings] == ["W-APPROVED-QTY-FROM-REQUEST"]
    assert pairs(outcome.data["plan"].papers[0])["核准数量"] == "20"  # RequestQty


# -- R3–R6: the receipt -----------------------------------------------------------------------------------
def receive(form, qty, *, proof=Proof.INVOICE_STAMPED.value, **kw):
    return record_receipt(form, quantity=qty, proof=proof, now=RECEIVED, by="仓管陈", **kw)


def test_exactly_at_the_limit_the_actual_quantity_is_booked(form, register):  # R3: 100 at 5 % books 105
    decided(form, register)
    outcome = receive(form, 105)
    assert outcome.ok and [p.code for p in outcome.warnings] == ["W-RATIO-NOT-LOOKED-UP"]
    n = form.names
    assert (n["ReceivedQty"], n["BookedQty"], n["ReceiptProof"], n["ReceiptAt"]) == (105, 105, "原发票盖章", RECEIVED)
    assert "按实收 105 入账" in n["ReceiptNote"] and "公司默认" in n["ReceiptNote"]
    assert form.tables[L.FORM_LOG_TABLE].rows[-1][:4] == [RECEIVED, "退货实收", "登记实收", "仓管陈"]
    assert "booked 105" in outcome.messages[0]


def test_one_above_the_limit_is_flagged_and_nothing_is_booked(form, register):  # R3, R4
    decided(form, register)
    outcome = receive(form, 106)
    assert outcome.ok  # the receipt stands (R4)
    assert [p.code for p in outcome.warnings] == ["W-RETURN-OVER-LIMIT", "W-RATIO-NOT-LOOKED-UP"]
    n = form.names
    assert (n["ReceivedQty"], n["BookedQty"]) == (106, None)
    assert "较核准多 6" in n["ReceiptNote"] and "超出允收上限 1" in n["ReceiptNote"]
    assert "送总经理室裁决，未入账" in n["ReceiptNote"]
    assert outcome.data["reconciliation"].limit == Decimal(105)


def _customers(register, rows):
    _table(register, L.CUSTOMERS_TABLE, rows)


def test_the_customers_own_ratio_comes_from_the_register(form, register):  # R3
    decided(form, register)
    _customers(register, [["其他客户", 0.2, None], ["  华星光电 ", 0.1, "合同约定"]])  # matched after trimming
    outcome = receive(form, 110, register=register)
    assert outcome.ok and outcome.warnings == []
    assert form.names["BookedQty"] == 110 and "超量允收 10%，客户“华星光电”" in form.names["ReceiptNote"]


def test_a_customer_not_in_the_table_gets_the_companys_ratio(form, register):  # R3
    decided(form, register)
    _customers(register, [["其他客户", "20%", None]])
    outcome = receive(form, 106, register=register)
    assert [p.code for p in outcome.warnings] == ["W-RETURN-OVER-LIMIT"]  # 5 %: 106 is above 105


def test_the_companys_ratio_is_the_one_the_case_was_accepted_under(form, register):  # R3
    table = register.tables[L.SETTINGS_TABLE]
    rows = [list(r) for r in table.rows]
    next(r for r in rows if r[0] == "over_acceptance_ratio")[2] = 0.08
    register.tables[L.SETTINGS_TABLE] = TableData(table.headers, rows)
    decided(form, register)  # the form's settings snapshot carries 8 %
    outcome = receive(form, 108)
    assert outcome.ok and form.names["BookedQty"] == 108
    assert "8%" in outcome.warnings[0].zh  # no register: the company's ratio, said so


@pytest.mark.parametrize(
    ("rows", "code"),
    [
        ([["华星光电", "很多", None]], "E-CUSTOMER-RATIO"),
        ([["华星光电", 1.5, None]], "E-CUSTOMER-RATIO"),
        ([["华星光电", 0.1, None], ["华星光电", 0.2, None]], "E-CUSTOMER-DUPLICATE"),
    ],
)
def test_a_customer_ratio_that_cannot_be_used_is_refused_at_its_cell(form, register, rows, code):
    decided(form, register)
    _customers(register, rows)
    before = len(form.applied)
    outcome = receive(form, 100, register=register)
    assert codes(outcome) == [code] and "Customers[" in outcome.errors[0].where
    assert len(form.applied) == before


def test_a_proof_of_the_other_kind_is_refused_naming_the_allowed_ones(form, register):  # R6
    decided(form, register)
    outcome = receive(form, 100, proof=Proof.ALLOWANCE_CERTIFICATE.value)
    assert codes(outcome) == ["E-PROOF-KIND"]
    assert all(p.value in outcome.errors[0].zh for p in (Proof.INVOICE_STAMPED, Proof.RETURN_CERTIFICATE))
    assert codes(receive(form, 100, proof="收据")) == ["E-NOT-IN-LIST"]
    assert form.names["ReceivedQty"] is None


@pytest.mark.parametrize("handling", ["折让", "赔偿"])
def test_a_handling_that_returns_no_goods_has_no_receipt(form, register, handling):
    outcome = receive(decided(form, register, handling=handling), 100)
    assert codes(outcome) == ["E-RECEIPT-NOT-RETURN"] and handling in outcome.errors[0].zh


def test_an_invalid_complaint_has_no_receipt(form, register):
    accept(filled(form), register)
    run_through(form, register, FULL)
    assert codes(receive(form, 100)) == ["E-RECEIPT-NOT-RETURN"]


def test_a_version_3_form_has_no_section_nine_and_is_refused(form, register):
    outcome = receive(decided(form, register, version=3), 20)
    assert codes(outcome) == ["E-RECEIPT-OLD-FORM"] and "reopen" in outcome.errors[0].en


def test_a_second_receipt_is_refused_unless_forced_and_then_replaces_and_logs(form, register):
    decided(form, register)
    assert receive(form, 100).ok
    before = len(form.applied)
    again = receive(form, 98)
    assert codes(again) == ["E-RECEIPT-DONE"] and len(form.applied) == before
    assert "--force" in again.errors[0].zh and "ReceivedQty" in again.errors[0].where
    assert receive(form, 98, force=True).ok
    assert (form.names["ReceivedQty"], form.names["BookedQty"]) == (98, 98)
    last = form.tables[L.FORM_LOG_TABLE].rows[-1]
    assert last[2] == "更正实收" and "原登记：实收 100" in last[4]


def test_a_negative_quantity_is_refused(form, register):
    assert codes(receive(decided(form, register), -1)) == ["E-TOO-SMALL"]


def test_the_receivables_of_the_case_are_listed_with_their_total(form, register):  # R5
    decided(form, register)
    file = ReceivablesFile(
        "应收.csv",
        ("客户", "料号", "发票号", "金额"),
        [
            ["华星光电", "PCB-1", "INV-1", "1,000.50"],
            ["华星光电", "PCB-2", "INV-2", "99"],  # another part: stays in the rate
            [" 华星光电", "PCB-1 ", "INV-3", 200],
            ["", "", "", ""],
        ],
    )
    outcome = receive(form, 100, receivables=file)
    out = "\n".join(outcome.messages)
    assert "客户 华星光电、料号 PCB-1" in out and "李强" in out  # always: customer, part, salesperson
    assert "INV-1" in out and "INV-3" in out and "INV-2" not in out
    assert "排除合计 1,200.50（2 笔）" in out


def test_a_receivables_file_without_its_headers_or_with_a_bad_amount_is_refused(form, register):  # R5
    decided(form, register)
    bad_headers = ReceivablesFile("应收.csv", ("客户", "料号", "金额"), [])
    outcome = receive(form, 100, receivables=bad_headers)
    assert codes(outcome) == ["E-RECEIVABLES-HEADERS"] and "发票号" in outcome.errors[0].zh
    bad_amount = ReceivablesFile("应收.csv", ("客户", "料号", "发票号", "金额"), [["华星光电", "PCB-1", "I", "一千"]])
    outcome = receive(form, 100, receivables=bad_amount)
    assert codes(outcome) == ["E-RECEIVABLE-AMOUNT"] and "第 2 行" in outcome.errors[0].where
    assert form.names["ReceivedQty"] is None


# -- C14, C16: the petition -------------------------------------------------------------------------------
def test_a_petition_carries_the_case_its_responsibility_and_the_objection(form, register):
    decided(form, register)
    outcome = plan_petition(form, text="客户认为责任不在其来料，要求全额赔偿。", by="李强", now=RECEIVED)
    assert outcome.ok
    plan = outcome.data["plan"]
    assert plan.file_name == "客诉-261101-签呈.xlsx"
    (paper,) = plan.papers
    fields = pairs(paper)
    assert (fields["呈"], fields["事由"], fields["日期"], fields["申请人"]) == (
        "总经理",
        "客诉 261101 处理异议",
        "2026-12-03",
        "李强",
    )
    assert (fields["客户名称"], fields["处理方式"], fields["损失金额"]) == ("华星光电", "退货", "1,200.00")
    table = next(b for b in paper.blocks if b.kind == "table")
    assert table.rows == (("单位", "制造部 电镀二组", "", "70%"), ("个人", "业务部", "李强", "30%"))
    objection = next(b for b in paper.blocks if b.label == "异议内容")
    assert objection.text == "客户认为责任不在其来料，要求全额赔偿。"
    assert [b.label for b in paper.blocks if b.kind == "box"] == list(L.PETITION_BOXES)
    assert all("签名" in b.text and "日期" in b.text for b in paper.blocks if b.kind == "box")


def test_a_case_still_open_may_be_petitioned_too(form, register):  # C14: any accepted case
    accept(filled(form), register)
    outcome = plan_petition(form, text="异议", by="李强", now=RECEIVED)
    assert outcome.ok and pairs(outcome.data["plan"].papers[0])["处理方式"] == "（尚未核决）"


def test_a_form_not_accepted_or_an_empty_objection_is_refused(form, register):
    assert codes(plan_petition(filled(form), text="异议", by="李强", now=RECEIVED)) == ["E-NOT-ACCEPTED"]
    accept(form, register)
    outcome = plan_petition(form, text="  ", by="李强", now=RECEIVED)
    assert codes(outcome) == ["E-REQUIRED"] and "异议内容" in outcome.errors[0].zh


# -- C2: the abnormality sheet ----------------------------------------------------------------------------
def log(register, now, **over):
    values = {"customer": "华星光电", "unit": "制造部", "description": "标签错位，未造成损失", "by": "王静"}
    return register_abnormal(register, **{**values, **over}, now=now, key=KEY)


def abnormal_rows(register):
    return register.tables[L.ABNORMAL_TABLE].records()


def test_abnormalities_are_numbered_by_month_and_journaled(register):  # C2
    first = log(register, dt("2026-11-23 10:00"), request="三日内回复")
    second = log(register, dt("2026-11-30 16:00"))
    third = log(register, dt("2026-12-01 09:00"))
    assert [o.data["number"] for o in (first, second, third)] == ["YC2611-001", "YC2611-002", "YC2612-001"]
    rows = abnormal_rows(register)
    assert [r["状态"] for r in rows] == ["待回复"] * 3
    assert rows[0]["回复期限"] == dt("2026-11-26 10:00")  # 3 working days, Mon → Thu
    assert rows[1]["回复期限"] == dt("2026-12-03 16:00")
    assert (rows[0]["处理要求"], rows[1]["处理要求"], rows[0]["登记人"]) == ("三日内回复", None, "王静")
    journal = register.tables[L.JOURNAL_TABLE].rows
    assert [r[2] for r in journal[-3:]] == ["异常登记"] * 3 and journal[-1][4].startswith("YC2612-001")
    paper = first.data["plan"].papers[0]
    assert first.data["plan"].file_name == "异常处理单-YC2611-001.xlsx"
    assert pairs(paper)["回复期限"] == "2026-11-26 10:00" and L.ABNORMAL_REPLY_BOX in texts(paper)


def test_the_reply_due_follows_the_due_days_on_the_calendar(register):
    outcome = log(register, dt("2026-11-27 16:00"), due_days=1)  # Friday afternoon
    assert outcome.data["due"] == dt("2026-11-30 16:00")
    assert codes(log(register, dt("2026-11-27 16:00"), due_days=0)) == ["E-TOO-SMALL"]


def test_a_number_is_never_reused_after_its_row_is_deleted(register):  # C2, like C3
    log(register, dt("2026-11-23 10:00"))
    log(register, dt("2026-11-23 11:00"))
    _table(register, L.ABNORMAL_TABLE, [abnormal_rows(register)[0].values()])  # someone deletes YC2611-002
    assert log(register, dt("2026-11-23 12:00")).data["number"] == "YC2611-003"


def test_required_entries_are_checked_and_nothing_is_written(register):
    before = len(register.applied)
    outcome = log(register, dt("2026-11-23 10:00"), customer=" ", description="")
    assert codes(outcome) == ["E-REQUIRED", "E-REQUIRED"] and len(register.applied) == before


def test_a_reply_is_recorded_and_journaled_and_a_second_is_added_below(register):  # C2
    log(register, dt("2026-11-23 10:00"))
    outcome = reply_abnormal(
        register, number="yc2611-001 ", text="标签机校正", by="刘洋", now=dt("2026-11-25 09:00"), key=KEY
    )
    assert outcome.ok and not outcome.data["late"]
    row = abnormal_rows(register)[0]
    assert row["状态"] == "已回复" and row["回复"] == "标签机校正（2026-11-25 09:00 刘洋）"
    assert register.tables[L.JOURNAL_TABLE].rows[-1][2] == "异常回复"
    later = reply_abnormal(register, number="YC2611-001", text="补充", by="刘洋", now=dt("2026-11-27 09:00"), key=KEY)
    assert later.data["late"] and "late" in later.messages[0]
    assert abnormal_rows(register)[0]["回复"].splitlines()[1].startswith("补充")


def test_an_unknown_number_is_a_message(register):
    outcome = reply_abnormal(register, number="YC2611-009", text="x", by="刘洋", now=dt("2026-11-25 09:00"), key=KEY)
    assert codes(outcome) == ["E-ABNORMAL-UNKNOWN"] and "YC2611-009" in outcome.errors[0].zh


def test_a_register_without_the_abnormal_table_is_told_to_upgrade(register):
    del register.tables[L.ABNORMAL_TABLE]
    outcome = log(register, dt("2026-11-23 10:00"))
    assert codes(outcome) == ["E-REGISTER-NO-TABLE"] and "complaint-kit upgrade" in outcome.errors[0].zh
    outcome = reply_abnormal(register, number="YC2611-001", text="x", by="刘洋", now=dt("2026-11-25 09:00"), key=KEY)
    assert codes(outcome) == ["E-REGISTER-NO-TABLE"]


def test_the_next_number_is_one_past_the_months_highest():
    assert compute_abnormal_number("2611", []) == "YC2611-001"
    assert compute_abnormal_number("2611", ["YC2611-009", "YC2612-020", "YC2611-1000 x"]) == "YC2611-1001"
    assert compute_abnormal_number("2612", ["YC2611-009"]) == "YC2612-001"


def test_an_abnormality_found_at_the_weekend_counts_from_monday(register):  # T1, T3
    assert log(register, dt("2026-11-28 11:00")).data["due"] == dt("2026-12-02 17:30")  # Sat → Wed evening
