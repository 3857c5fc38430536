"""Consolidation with the register: P1's loss of a resold lot, the register's 责任明细, and the
responsibility rows sealed with section 七 (issue 7 items 1 and 2; P1, C8, E7)."""

from __future__ import annotations

from decimal import Decimal

from complaint_kit import layout as L
from complaint_kit.actions.forms import complete_stage, validate_form
from complaint_kit.actions.records import register_records
from complaint_kit.actions.verify import verify_register
from complaint_kit.domain.rules import Stage
from complaint_kit.ports import TableData
from tests.actions import test_decision
from tests.actions.test_decision import DECISION, codes, consolidate
from tests.actions.test_lifecycle import dt
from tests.conftest import KEY

case = test_decision.case  # the same case waiting for consolidation, with a roster

RESOLD = {
    **DECISION,
    "LossAmount": None,
    "ResaleStatus": "已转售",
    "ResaleAmount": Decimal("9.125"),
    "GradeAPrice": Decimal("12.5"),
    "ResaleQty": 104,
    "ResaleDate": dt("2026-11-20 00:00"),
}


def test_a_resold_lot_costs_the_price_difference_and_the_kit_fills_in_the_loss(case):  # P1
    form, register = case
    outcome = consolidate(form, register, names=RESOLD)
    assert outcome.ok, [p.render() for p in outcome.problems]
    assert form.names["LossAmount"] == Decimal("351.00")  # (12.5 − 9.125) × 104
    assert register_records(register.tables[L.REGISTER_TABLE])[0]["loss_amount"] == Decimal("351.00")


def test_a_typed_loss_that_is_not_the_price_difference_is_refused_and_nothing_written(case):  # P1
    form, register = case
    before = register.tables[L.REGISTER_TABLE]
    outcome = consolidate(form, register, names={**RESOLD, "LossAmount": 350})
    assert codes(outcome) == {"E-LOSS-NOT-P1"} and "LossAmount" in outcome.errors[0].where
    assert "351.00" in outcome.errors[0].zh and form.names["ConsolidationDoneAt"] is None
    assert register.tables[L.REGISTER_TABLE] == before
    assert consolidate(form, register, names={**RESOLD, "LossAmount": Decimal("351.004")}).ok  # same cent


def test_a_resale_after_the_one_month_window_is_refused(case):  # P1: decided 2026-11-30 → until 12-30
    form, register = case
    late = consolidate(form, register, names={**RESOLD, "ResaleDate": dt("2026-12-31 00:00")})
    assert codes(late) == {"E-RESALE-LATE"} and "ResaleDate" in late.errors[0].where
    assert "2026-12-30" in late.errors[0].zh
    assert consolidate(form, register, names={**RESOLD, "ResaleDate": dt("2026-12-30 00:00")}).ok


def test_a_resold_lot_needs_its_quantity_and_date(case):  # P1
    form, register = case
    outcome = consolidate(form, register, names={**RESOLD, "ResaleQty": None, "ResaleDate": "下周"})
    assert codes(outcome) == {"E-REQUIRED", "E-NOT-DATE"}  # a date field: the message asks for a date
    assert {p.where.split()[-1] for p in outcome.errors} >= {"ResaleQty", "ResaleDate"}


def test_consolidation_keeps_the_cases_responsibility_rows_in_the_register(case):  # issue 7 item 2
    form, register = case
    headers = register.tables[L.CASE_RESPONSIBILITY_TABLE].headers
    case_no = form.names["CaseNo"]
    other = ["260101", "个人", "业务部", None, "李强", Decimal(1), "无", Decimal(1), None]
    stale = [case_no, "部门", "制造部", None, None, Decimal(1), "无", Decimal(1), None]
    register.tables[L.CASE_RESPONSIBILITY_TABLE] = TableData(headers, [other, stale])
    assert consolidate(form, register).ok
    rows = register.tables[L.CASE_RESPONSIBILITY_TABLE].rows
    assert rows[0] == other and len(rows) == 3  # another case's row kept, the stale one replaced
    assert rows[1] == [case_no, "单位", "制造部", "电镀二组", None, Decimal("0.7"), "无", Decimal(1), "品质"]
    assert rows[2] == [case_no, "个人", "业务部", None, "李强", Decimal("0.3"), "警告", Decimal(1), "7"]


def test_a_register_without_the_responsibility_sheet_must_be_upgraded_first(case):
    form, register = case
    del register.tables[L.CASE_RESPONSIBILITY_TABLE]
    before = register.tables[L.REGISTER_TABLE]
    outcome = consolidate(form, register)
    assert codes(outcome) == {"E-REGISTER-NEEDS-UPGRADE"} and "upgrade" in outcome.errors[0].en
    assert register.tables[L.REGISTER_TABLE] == before and form.names["ConsolidationDoneAt"] is None


def test_responsibility_rows_changed_after_consolidation_are_named_as_altered(case):  # issue 6 + 7
    form, register = case
    assert consolidate(form, register).ok
    assert validate_form(form, now=dt("2026-11-30 15:00")).ok
    rows = [list(r) for r in form.tables[L.RESPONSIBILITY_TABLE].rows]
    rows[1][4] = 0.2  # 李强's share lowered after the decision was sealed
    rows[0][4] = 0.8
    form.tables[L.RESPONSIBILITY_TABLE] = TableData(form.tables[L.RESPONSIBILITY_TABLE].headers, rows)
    for outcome in (
        validate_form(form, now=dt("2026-11-30 15:00")),
        verify_register(register, key=KEY, forms=[form]),
        complete_stage(form, stage=Stage.APPROVAL, by="孙涛", now=dt("2026-12-01 09:00"), register=register, key=KEY),
    ):
        assert any("责任归属表" in p.zh for p in outcome.errors), [p.render() for p in outcome.problems]
