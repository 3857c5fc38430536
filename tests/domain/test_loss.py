"""The loss (P1, C16): resale within one month, the actual loss, money to the cent."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaint_kit.domain.decision import Handling, ResaleStatus
from complaint_kit.domain.loss import LossFacts, compute_loss, compute_resale_deadline, round_money

D = Decimal
DECIDED = date(2026, 10, 15)


def resold(on, *, qty=100, grade_a="12.50", resale="9.875", decided=DECIDED):
    facts = LossFacts(Handling.RETURN, ResaleStatus.RESOLD, decided, qty, D(grade_a), D(resale), on)
    return compute_loss(facts)


@pytest.mark.parametrize(
    ("decided", "deadline"),
    [
        (date(2026, 10, 15), date(2026, 11, 15)),
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),
        (date(2026, 12, 20), date(2027, 1, 20)),
        (date(2026, 3, 31), date(2026, 4, 30)),
    ],
    ids=["same_day_next_month", "short_february", "leap_february", "over_the_year_end", "thirty_day_month"],
)
def test_p1_the_resale_window_is_one_calendar_month(decided, deadline):
    assert compute_resale_deadline(decided) == deadline


def test_p1_a_resale_exactly_one_month_after_the_decision_counts():
    assert resold(date(2026, 11, 15)) == (D("262.50"), [])


def test_p1_a_resale_one_day_after_the_month_is_refused():
    amount, found = resold(date(2026, 11, 16))
    assert amount is None and [(p.code, p.field, p.rule) for p in found] == [("E-RESALE-LATE", "resold_on", "P1")]
    assert "2026-11-15" in found[0].zh


def test_p1_a_resale_before_the_decision_counts():
    assert resold(date(2026, 10, 1))[0] == D("262.50")


def test_p1_the_window_is_an_argument():
    facts = LossFacts(Handling.RETURN, ResaleStatus.RESOLD, DECIDED, 1, D(2), D(1), date(2026, 12, 15))
    assert compute_loss(facts, window_months=2) == (D("1.00"), [])
    assert compute_loss(facts)[1][0].code == "E-RESALE-LATE"


@pytest.mark.parametrize(
    ("qty", "grade_a", "resale", "loss"),
    [
        (100, "12.50", "9.875", "262.50"),
        (3, "0.335", "0.33", "0.02"),  # 0.015 rounds half up, once, at the end
        (1, "0.005", "0", "0.01"),
        (7, "10", "10", "0.00"),  # resold at the A-grade price: no loss
        (D("2.5"), "4", "1", "7.50"),  # a quantity in square metres
    ],
    ids=["example", "half_up_at_the_end", "half_a_cent_up", "no_difference", "decimal_quantity"],
)
def test_p1_resold_loss_is_the_difference_to_the_a_grade_price_times_quantity(qty, grade_a, resale, loss):
    assert resold(date(2026, 11, 1), qty=qty, grade_a=grade_a, resale=resale) == (D(loss), [])


def test_p1_a_resale_above_the_a_grade_price_is_refused_as_a_likely_typo():
    amount, found = resold(date(2026, 11, 1), grade_a="10", resale="10.01")
    assert amount is None and [p.code for p in found] == ["E-RESALE-ABOVE-GRADE-A"]


def test_p1_late_and_above_are_reported_together():
    _, found = resold(date(2026, 12, 1), grade_a="10", resale="11")
    assert [p.code for p in found] == ["E-RESALE-LATE", "E-RESALE-ABOVE-GRADE-A"]


def test_p1_a_resale_needs_quantity_prices_and_date():
    facts = LossFacts(Handling.RETURN, ResaleStatus.RESOLD, DECIDED)
    amount, found = compute_loss(facts)
    assert amount is None
    assert [(p.code, p.field, p.rule) for p in found] == [
        ("E-REQUIRED", name, "P1") for name in ("quantity", "grade_a_price", "resale_price", "resold_on")
    ]


def test_p1_a_negative_price_is_refused():
    amount, found = resold(date(2026, 11, 1), resale="-1")
    assert amount is None and [(p.code, p.field) for p in found] == [("E-MONEY-NEGATIVE", "resale_price")]


@pytest.mark.parametrize("status", [ResaleStatus.NOT_RESOLD, ResaleStatus.NOT_APPLICABLE])
def test_p1_not_resold_takes_the_actual_loss_entered(status):
    facts = LossFacts(Handling.ALLOWANCE, status, DECIDED, actual_loss=D("1234.565"))
    assert compute_loss(facts) == (D("1234.57"), [])


@pytest.mark.parametrize(("actual", "code"), [(None, "E-REQUIRED"), (D("-0.01"), "E-MONEY-NEGATIVE")])
def test_p1_not_resold_needs_a_non_negative_actual_loss(actual, code):
    facts = LossFacts(Handling.RETURN, ResaleStatus.NOT_RESOLD, DECIDED, actual_loss=actual)
    amount, found = compute_loss(facts)
    assert amount is None and [(p.code, p.field) for p in found] == [(code, "actual_loss")]


def test_c16_an_invalid_complaint_has_zero_loss_whatever_was_entered():
    facts = LossFacts(Handling.INVALID, ResaleStatus.RESOLD, DECIDED, actual_loss=D(500))
    assert compute_loss(facts) == (D("0.00"), [])


def test_round_money_is_half_up():
    assert [round_money(D(x)) for x in ("2.345", "2.344", "-2.345")] == [D("2.35"), D("2.34"), D("-2.35")]


# -- properties ------------------------------------------------------------------------------------------
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_the_deadline_is_28_to_31_days_after_the_decision_and_monotone(decided):
    deadline = compute_resale_deadline(decided)
    assert 28 <= (deadline - decided).days <= 31
    assert compute_resale_deadline(decided + timedelta(days=1)) >= deadline


@given(
    st.integers(min_value=0, max_value=10**6),
    st.decimals(min_value=0, max_value=10**4, places=3),
    st.decimals(min_value=0, max_value=10**4, places=3),
)
def test_a_resold_loss_is_never_negative_and_is_whole_cents(qty, a, b):
    grade_a, resale = max(a, b), min(a, b)
    amount, found = resold(DECIDED, qty=qty, grade_a=str(grade_a), resale=str(resale))
    assert found == [] and amount is not None and amount >= 0 and amount == amount.quantize(D("0.01"))
    assert abs(amount - (grade_a - resale) * qty) <= D("0.005")
