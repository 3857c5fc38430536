"""The deduction ledger (扣款台账, table ``Ledger``): the 50 %-of-bonus monthly cap and its carry-over.

Rule **E4**: a person's deductions in one month are capped at 50 % of that month's efficiency
bonus (``MoneyRules.monthly_cap_ratio``); the rest is carried into the following months, each
capped the same way, until paid. Amounts are exact ``Decimal`` cents (E7); the cap is rounded
*down* to the cent, so it is never exceeded (a bonus of 1,000.01 allows 500.00, not 500.01).

Pure: a month's rows depend only on the arguments, so running the same month twice on the same
inputs gives the same rows (issue 7: no double deduction). The register keeps the rows; the next
month's 上月结转 is :func:`carried_forward` of this month's rows.

Example: 600 new in 2026-10 with a bonus of 1,000 a month → 2026-10 pays 500 and carries 100,
2026-11 pays the 100.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import astuple, dataclass
from decimal import Decimal
from fractions import Fraction

from .allocation import MoneyRules, to_cents
from .problems import Problem, problem

ZERO = Decimal("0.00")
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")


@dataclass(frozen=True, slots=True, order=True)
class Month:
    """A ledger month, written ``2026-10``."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not (2000 <= self.year <= 2100 and 1 <= self.month <= 12):
            raise ValueError(f"{self.year}-{self.month:02d} is not a month between 2000-01 and 2100-12")

    @classmethod
    def parse(cls, text: str) -> Month:
        """``"2026-10"`` → ``Month(2026, 10)``, as clerks also type it: ``2026/10``, ``2026.9``,
        ``2026年10月``, full-width ``２０２６－１０``; raises ValueError for anything else."""
        m = _MONTH.match(unicodedata.normalize("NFKC", text).strip())
        if not m:
            raise ValueError(f"{text!r} is not a month such as 2026-10")
        return cls(int(m[1]), int(m[2]))

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Month:
        """``Month(2026, 1).previous() == Month(2025, 12)``"""
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """One person's month, in the column order of the ``Ledger`` table:
    月份 姓名 部门 本月新增 上月结转 本月应扣 本月实扣 结转下月 (the headers live in layout.py)."""

    month: str  # 月份, e.g. 2026-10
    name: str  # 姓名
    department: str  # 部门
    new: Decimal  # 本月新增: this month's new deductions (loss parts and sanctions)
    carried_in: Decimal  # 上月结转: what last month could not take
    due: Decimal  # 本月应扣 = 本月新增 + 上月结转
    paid: Decimal  # 本月实扣 = min(本月应扣, the cap), E4
    carried_out: Decimal  # 结转下月 = 本月应扣 − 本月实扣

    def values(self) -> tuple[object, ...]:
        """The row's cells, left to right."""
        return astuple(self)


@dataclass(frozen=True, slots=True)
class MonthInput:
    """What one month brings: new deductions and efficiency bonuses, per person."""

    new_deductions: Mapping[str, Decimal]
    bonuses: Mapping[str, Decimal]


def monthly_cap(bonus: Decimal, rules: MoneyRules) -> Decimal:
    """E4: the most a person can pay in a month, rounded down to the cent. 1,000 → 500.00."""
    return Decimal(math.floor(Fraction(bonus) * Fraction(rules.monthly_cap_ratio) * 100)).scaleb(-2)


def compute_month(
    month: Month,
    *,
    carried_in: Mapping[str, Decimal],
    new_deductions: Mapping[str, Decimal],
    bonuses: Mapping[str, Decimal],
    departments: Mapping[str, str],
    rules: MoneyRules | None = None,
) -> tuple[list[LedgerRow], list[Problem]]:
    """One month of the ledger (E4): a row for every person with something new or carried in,
    ordered by department and name.

    ``paid`` is the smaller of what is due and the cap (50 % of this month's bonus); the rest
    is carried to the next month. A person without a bonus this month (left, on leave) pays
    nothing and carries everything — a warning, not an error. A negative amount or bonus is an
    error and then no row is made. ``departments`` gives the 部门 column (blank when unknown)."""
    rules = rules or MoneyRules()
    problems: list[Problem] = []
    for label, attr, amounts in (
        ("上月结转", "carried_in", carried_in),
        ("本月新增", "new_deductions", new_deductions),
        ("月效率奖金", "bonuses", bonuses),
    ):
        for name, amount in amounts.items():
            if amount < 0:
                problems.append(
                    problem(
                        "E-MONEY-NEGATIVE", field=attr, label=f"{name} {label}", attr=f"{attr}[{name}]", amount=amount
                    )
                )
    if problems:
        return [], problems
    rows = []
    for name in set(carried_in) | set(new_deductions):
        new = to_cents(Fraction(new_deductions.get(name, ZERO)))
        carried = to_cents(Fraction(carried_in.get(name, ZERO)))
        due = new + carried
        if due == 0:
            continue
        if name not in bonuses:
            problems.append(problem("W-LEDGER-NO-BONUS", field="bonuses", month=str(month), name=name, due=due))
        paid = min(due, monthly_cap(bonuses.get(name, ZERO), rules))
        rows.append(LedgerRow(str(month), name, departments.get(name, ""), new, carried, due, paid, due - paid))
    rows.sort(key=lambda row: (row.department, row.name))
    return rows, problems


def carried_forward(rows: Iterable[LedgerRow]) -> dict[str, Decimal]:
    """Next month's 上月结转: each person's 结转下月 that is not zero."""
    return {row.name: row.carried_out for row in rows if row.carried_out}


def compute_months(
    first: Month,
    months: Sequence[MonthInput],
    *,
    departments: Mapping[str, str],
    carried_in: Mapping[str, Decimal] | None = None,
    rules: MoneyRules | None = None,
) -> tuple[list[LedgerRow], list[Problem]]:
    """Several months in a row from ``first``: each month's carry-over feeds the next (E4).
    Stops at the first month with an error (its problems are returned with the rows before it)."""
    rows: list[LedgerRow] = []
    problems: list[Problem] = []
    carry = dict(carried_in or {})
    month = first
    for entry in months:
        month_rows, month_problems = compute_month(
            month,
            carried_in=carry,
            new_deductions=entry.new_deductions,
            bonuses=entry.bonuses,
            departments=departments,
            rules=rules,
        )
        problems += month_problems
        if any(p.is_error for p in month_problems):
            break
        rows += month_rows
        carry = carried_forward(month_rows)
        month = month.next()
    return rows, problems
