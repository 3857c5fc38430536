"""The loss of a decided complaint (rule P1; C16 for an invalid one).

P1: rejected goods get one month from the decision to be resold. Resold → the loss is the
difference to the A-grade price, ``(A-grade price − resale price) × quantity``; not resold (or no
resale applies: allowance, compensation) → the actual loss entered by the GM office; 不成立 → 0
(C16). Money is :class:`~decimal.Decimal`, rounded half-up to 0.01 once, at the end (E7).

Our reading where the text is silent:

- "Within one month" is calendar months: a decision on 2026-10-15 allows a resale up to and
  including 2026-11-15; a decision on 01-31 runs to the last day of February. A resale dated before
  the decision is accepted (the warehouse may resell while approval is pending).
- The decision date is the date the case was decided (the approval, 核决) — the caller passes it.
- A resale above the A-grade price would make a negative loss: refused as a likely typo.
- A part-resold lot is entered as 未转售 with its actual loss.

>>> from datetime import date
>>> compute_loss(LossFacts(Handling.RETURN, ResaleStatus.RESOLD, date(2026, 10, 15), quantity=100,
...     grade_a_price=Decimal("12.5"), resale_price=Decimal("9.875"), resold_on=date(2026, 11, 15)))
(Decimal('262.50'), [])
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .decision import Handling, ResaleStatus
from .problems import Problem, problem

RESALE_WINDOW_MONTHS = 1  # P1: "给予一个月的转售时间"
CENT = Decimal("0.01")


def round_money(amount: Decimal) -> Decimal:
    """Half-up to 0.01 (E7): ``round_money(Decimal("2.345")) == Decimal("2.35")``."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def compute_resale_deadline(decided_on: date, *, months: int = RESALE_WINDOW_MONTHS) -> date:
    """The last day a resale counts (P1): the same day ``months`` later, or that month's last day."""
    index = decided_on.month - 1 + months
    year, month = decided_on.year + index // 12, index % 12 + 1
    return date(year, month, min(decided_on.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True)
class LossFacts:
    """What the form says about the loss. Prices are per piece; ``actual_loss`` is the 损失金额
    entered when the goods were not resold."""

    handling: Handling
    resale_status: ResaleStatus
    decided_on: date
    quantity: int | Decimal | None = None
    grade_a_price: Decimal | None = None
    resale_price: Decimal | None = None
    resold_on: date | None = None
    actual_loss: Decimal | None = None


_LABELS = {
    "actual_loss": "损失金额",
    "quantity": "转售数量",
    "grade_a_price": "A级售价",
    "resale_price": "转售单价",
    "resold_on": "转售日期",
}


def _required(facts: LossFacts, names: tuple[str, ...]) -> list[Problem]:
    """Each named fact is given (P1 needs it) and, when a number, not negative."""
    found = []
    for name in names:
        value = getattr(facts, name)
        if value is None:
            found.append(problem("E-REQUIRED", field=name, rule="P1", label=_LABELS[name], attr=name))
        elif not isinstance(value, date) and value < 0:
            found.append(
                problem("E-MONEY-NEGATIVE", field=name, rule="P1", label=_LABELS[name], attr=name, amount=value)
            )
    return found


def compute_loss(
    facts: LossFacts, *, window_months: int = RESALE_WINDOW_MONTHS
) -> tuple[Decimal | None, list[Problem]]:
    """The loss to share (P1), rounded to the cent, or None with the problems that prevent it."""
    if facts.handling is Handling.INVALID:
        return Decimal("0.00"), []
    if facts.resale_status is not ResaleStatus.RESOLD:
        found = _required(facts, ("actual_loss",))
        return (None, found) if found else (round_money(Decimal(facts.actual_loss or 0)), [])
    found = _required(facts, ("quantity", "grade_a_price", "resale_price", "resold_on"))
    if found:
        return None, found
    assert facts.resold_on is not None and facts.grade_a_price is not None and facts.resale_price is not None
    deadline = compute_resale_deadline(facts.decided_on, months=window_months)
    if facts.resold_on > deadline:
        found.append(
            problem(
                "E-RESALE-LATE",
                field="resold_on",
                resold_on=facts.resold_on,
                decided_on=facts.decided_on,
                deadline=deadline,
                months=window_months,
            )
        )
    if facts.resale_price > facts.grade_a_price:
        found.append(
            problem(
                "E-RESALE-ABOVE-GRADE-A", field="resale_price", resale=facts.resale_price, grade_a=facts.grade_a_price
            )
        )
    if found:
        return None, found
    return round_money((facts.grade_a_price - facts.resale_price) * Decimal(facts.quantity or 0)), []
