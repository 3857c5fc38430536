"""The loss to share (P1): exact problems with their labels and cells, and zero quantities."""

from datetime import date
from decimal import Decimal as D

from complaint_kit.domain.decision import Handling, ResaleStatus
from complaint_kit.domain.loss import LossFacts, compute_loss, compute_resale_deadline
from complaint_kit.domain.problems import problem

DECIDED = date(2026, 3, 10)


def resold(**kw):
    base = dict(quantity=10, grade_a_price=D("5.00"), resale_price=D("3.00"), resold_on=date(2026, 4, 1))
    return LossFacts(Handling.RETURN, ResaleStatus.RESOLD, DECIDED, **{**base, **kw})


def test_a_missing_actual_loss_is_required_with_its_label_p1():
    facts = LossFacts(Handling.RETURN, ResaleStatus.NOT_RESOLD, DECIDED)
    assert compute_loss(facts) == (
        None,
        [problem("E-REQUIRED", field="actual_loss", rule="P1", label="损失金额", attr="actual_loss")],
    )


def test_a_negative_resale_price_is_refused_with_its_label_and_rule_p1():
    loss, found = compute_loss(resold(resale_price=D("-1")))
    assert loss is None
    assert found == [
        problem(
            "E-MONEY-NEGATIVE", field="resale_price", rule="P1", label="转售单价", attr="resale_price", amount=D("-1")
        )
    ]
    assert found[0].rule == "P1"
    assert "转售单价" in found[0].zh


def test_an_actual_loss_of_zero_is_a_loss_of_0_00_p1():
    facts = LossFacts(Handling.RETURN, ResaleStatus.NOT_RESOLD, DECIDED, actual_loss=D(0))
    assert compute_loss(facts) == (D("0.00"), [])


def test_a_resale_of_zero_pieces_loses_nothing_p1():
    assert compute_loss(resold(quantity=0)) == (D("0.00"), [])


def test_a_late_resale_names_both_dates_the_deadline_and_the_window_p1():
    deadline = compute_resale_deadline(DECIDED, months=3)
    late = date(2026, 12, 1)
    loss, found = compute_loss(resold(resold_on=late), window_months=3)
    assert loss is None
    assert found == [
        problem("E-RESALE-LATE", field="resold_on", resold_on=late, decided_on=DECIDED, deadline=deadline, months=3)
    ]
    assert "2026-12-01" in found[0].zh and "2026-03-10" in found[0].zh


def test_a_resale_above_the_grade_a_price_names_both_prices_on_the_resale_cell_p1():
    loss, found = compute_loss(resold(resale_price=D("6.00")))
    assert loss is None
    assert found == [problem("E-RESALE-ABOVE-GRADE-A", field="resale_price", resale=D("6.00"), grade_a=D("5.00"))]
    assert found[0].field == "resale_price"
    assert "6.00" in found[0].zh and "5.00" in found[0].zh
