"""The ledger (E4): exact problems on the right input, month bounds, and warnings over months."""

from decimal import Decimal as D

import pytest

from complaint_kit.domain.ledger import Month, MonthInput, compute_month, compute_months
from complaint_kit.domain.problems import problem

OCT = Month(2026, 10)


@pytest.mark.parametrize(
    ("attr", "label"),
    [("carried_in", "上月结转"), ("new_deductions", "本月新增"), ("bonuses", "月效率奖金")],
)
def test_a_negative_amount_names_the_person_the_column_and_the_input_e4(attr, label):
    inputs = {"carried_in": {}, "new_deductions": {}, "bonuses": {}, attr: {"王芳": D("-1")}}
    rows, found = compute_month(OCT, departments={}, **inputs)
    assert rows == []
    assert found == [
        problem("E-MONEY-NEGATIVE", field=attr, label=f"王芳 {label}", attr=f"{attr}[王芳]", amount=D("-1"))
    ]
    assert found[0].field == attr
    assert f"王芳 {label}" in found[0].zh


def test_a_person_without_a_bonus_is_warned_on_the_bonuses_input_e4():
    rows, found = compute_month(
        OCT, carried_in={}, new_deductions={"王芳": D(100)}, bonuses={}, departments={"王芳": "业务部"}
    )
    assert found == [problem("W-LEDGER-NO-BONUS", field="bonuses", month="2026-10", name="王芳", due=D("100.00"))]
    assert found[0].field == "bonuses"
    assert rows[0].carried_out == D("100.00")


def test_warnings_of_every_month_are_kept_e4():
    months = [MonthInput({"王芳": D(100)}, {}), MonthInput({}, {})]
    _, found = compute_months(OCT, months, departments={})
    assert [(p.code, "2026-10" in p.zh or "2026-11" in p.zh) for p in found] == [
        ("W-LEDGER-NO-BONUS", True),
        ("W-LEDGER-NO-BONUS", True),
    ]
    assert "2026-11" in found[1].zh


@pytest.mark.parametrize(("year", "month"), [(2000, 1), (2100, 12)])
def test_the_first_and_last_months_of_the_ledger_are_accepted_e4(year, month):
    assert str(Month(year, month)) == f"{year}-{month:02d}"


@pytest.mark.parametrize(("year", "month"), [(1999, 12), (2101, 1), (2026, 0), (2026, 13)])
def test_a_month_outside_2000_01_to_2100_12_is_refused_with_the_range(year, month):
    with pytest.raises(ValueError, match="is not a month between 2000-01 and 2100-12"):
        Month(year, month)


def test_unparsable_month_text_is_refused_with_an_example():
    with pytest.raises(ValueError, match="is not a month such as 2026-10"):
        Month.parse("十月")
