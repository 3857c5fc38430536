"""Who pays for a complaint: the loss split by responsibility, and sanctions turned into money.

Rules implemented (``../shared/spec/regulation.md``):

- **P2** one person at fault pays 100 %; several share by responsibility shares that add up to
  exactly 100 %.
- **E2** a 个人 (person) share goes to that person.
- **E3 / E5 / E6** a 单位 (unit) share is spread over the unit's members, a 部门 (department) share
  over every member of the department, each by basis points (基点): ``share ÷ total basis points ×
  the person's basis points``.
- **P4** sanctions become money: 警告 → at least 400, 小过 → at least 800 × 处分基数, 大过 → the
  person's whole month's efficiency bonus (the amounts are :class:`MoneyRules`).
- **E7** money is exact (``Decimal`` in, :class:`~fractions.Fraction` while splitting), rounded
  half-up to 0.01 only at the end; the parts of one allocation add up to the cent exactly.

A clerk's mistake in the responsibility table is a :class:`Problem`, never an exception; with any
error nothing is allocated. The 50 %-of-bonus monthly cap (E4) is the ledger's
(:mod:`complaint_kit.domain.ledger`).

Example: a loss of 1,000.00, 70 % to 王芳 and 30 % to unit 一组 (basis points 3 / 2 / 1) gives
王芳 700.00 and the unit's members 150.00, 100.00 and 50.00.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from pydantic import BaseModel, ConfigDict, Field

from .problems import Problem, problem

CENT = Decimal("0.01")


WARNING_AMOUNT = Decimal(400)  # P4: a warning costs at least 400
MINOR_DEMERIT_AMOUNT = Decimal(800)  # P4: a minor demerit at least 800 per 处分基数
MONTHLY_CAP_RATIO = Decimal("0.5")  # E4: at most half a month's efficiency bonus


class MoneyRules(BaseModel):
    """The money rules (P4, E4) as allocation and the ledger take them. Their labelled,
    overridable home is the 设置 sheet (:class:`~complaint_kit.domain.settings.Settings`, which
    builds one with ``money_rules()``); the defaults are the constants above, shared by both."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    warning_amount: Decimal = Field(WARNING_AMOUNT, ge=0)
    minor_demerit_amount: Decimal = Field(MINOR_DEMERIT_AMOUNT, ge=0)
    monthly_cap_ratio: Decimal = Field(MONTHLY_CAP_RATIO, gt=0, le=1)


class ResponsibilityKind(StrEnum):
    """责任类型 of a row of the form's Responsibility table (E1, E2)."""

    PERSON = "个人"
    UNIT = "单位"
    DEPARTMENT = "部门"


class Sanction(StrEnum):
    """处分 (P4); blank on the form reads as 无."""

    NONE = "无"
    WARNING = "警告"
    MINOR = "小过"
    MAJOR = "大过"


class DeductionKind(StrEnum):
    LOSS = "损失分摊"
    SANCTION = "处分折款"


@dataclass(frozen=True, slots=True)
class StaffMember:
    """A row of the staff roster (人员 sheet): 姓名 部门 单位 基点 月效率奖金 核决级别."""

    name: str
    department: str
    unit: str
    basis_points: Decimal
    monthly_bonus: Decimal
    approval_level: str = ""


@dataclass(frozen=True, slots=True)
class Responsibility:
    """A row of the form's Responsibility table: 责任类型 部门 单位 责任人 责任比例 处分 处分基数 原因类别.

    ``share`` is a fraction as Excel stores a percentage (70 % = 0.7); ``cause`` a P3 cause number
    (1–15) or 品质, shown in the sanction's reason."""

    kind: ResponsibilityKind
    share: Decimal
    department: str = ""
    unit: str = ""
    person: str = ""
    sanction: Sanction = Sanction.NONE
    sanction_base: Decimal = Decimal(1)
    cause: str = ""


@dataclass(frozen=True, slots=True)
class Deduction:
    """One amount one person owes for one case: a part of the loss or a sanction's money."""

    case: str
    name: str
    department: str
    amount: Decimal
    kind: DeductionKind
    reason: str
    rule: str


# What each responsibility kind needs filled in, and the rule that says so.
_NEEDS: dict[ResponsibilityKind, tuple[str, str, str]] = {
    ResponsibilityKind.PERSON: ("person", "责任人", "E2"),
    ResponsibilityKind.UNIT: ("unit", "单位", "E1"),
    ResponsibilityKind.DEPARTMENT: ("department", "部门", "E1"),
}
_KIND_RULE: dict[ResponsibilityKind, str] = {
    ResponsibilityKind.PERSON: "P2/E2",
    ResponsibilityKind.UNIT: "E3/E5",
    ResponsibilityKind.DEPARTMENT: "E3/E5",
}


def to_cents(value: Fraction) -> Decimal:
    """A non-negative exact amount rounded half-up to 0.01 (E7). ``Fraction(1, 200)`` → ``0.01``."""
    return Decimal(math.floor(value * 100 + Fraction(1, 2))).scaleb(-2)


def percent(share: Decimal) -> str:
    """``Decimal("0.7")`` → ``"70%"``; ``Decimal("0.3333")`` → ``"33.33%"``."""
    return f"{(share * 100).normalize():f}%"


def _members(row: Responsibility, staff: Sequence[StaffMember]) -> list[StaffMember]:
    """The roster rows a responsibility names: the person, the unit's members or the department's."""
    if row.kind is ResponsibilityKind.PERSON:
        return [m for m in staff if m.name == row.person]
    if row.kind is ResponsibilityKind.UNIT:
        return [m for m in staff if m.unit == row.unit and (not row.department or m.department == row.department)]
    return [m for m in staff if m.department == row.department]


def _who(row: Responsibility) -> str:
    if row.kind is ResponsibilityKind.PERSON:
        return row.person
    if row.kind is ResponsibilityKind.UNIT:
        return f"{row.department}{row.unit}"
    return row.department


def check_responsibilities(responsibilities: Sequence[Responsibility], staff: Sequence[StaffMember]) -> list[Problem]:
    """Every problem of a case's responsibility table at once (P2, P4, P5, E1–E3).

    Shares must lie in 0 … 100 % and add up to exactly 100 % (P2: 99.99 % is refused); each row
    names what its kind needs (a person, a unit, a department) and that name is in the staff
    roster exactly once (a person) or has members with basis points (a unit, a department);
    a sanction is for a named person (P5) and a 小过 needs a positive 处分基数."""
    problems: list[Problem] = []
    for number, row in enumerate(responsibilities, start=1):
        attr, need, rule = _NEEDS[row.kind]
        kind_en = row.kind.name.lower()
        if not 0 <= row.share <= 1:
            problems.append(problem("E-SHARE-RANGE", field="share", row=number, share=percent(row.share)))
        if not getattr(row, attr).strip():
            problems.append(
                problem(
                    "E-RESPONSIBLE-BLANK",
                    field=attr,
                    rule=rule,
                    row=number,
                    kind=row.kind,
                    kind_en=kind_en,
                    need=need,
                    attr=attr,
                )
            )
            continue
        members = _members(row, staff)
        who = _who(row)
        if not members:
            problems.append(
                problem("E-RESPONSIBLE-UNKNOWN", field=attr, row=number, kind=row.kind, kind_en=kind_en, who=who)
            )
        elif row.kind is ResponsibilityKind.PERSON and len(members) > 1:
            problems.append(problem("E-STAFF-AMBIGUOUS", field=attr, row=number, who=who, count=len(members)))
        elif row.kind is not ResponsibilityKind.PERSON and sum(m.basis_points for m in members) <= 0:
            problems.append(problem("E-ZERO-BASIS-POINTS", field=attr, row=number, kind=row.kind, who=who))
        if row.sanction is not Sanction.NONE and row.kind is not ResponsibilityKind.PERSON:
            problems.append(problem("E-SANCTION-NOT-PERSON", field="sanction", row=number, sanction=row.sanction))
        if row.sanction is Sanction.MINOR and row.sanction_base <= 0:
            problems.append(problem("E-SANCTION-BASE", field="sanction_base", row=number, base=row.sanction_base))
    total = sum((row.share for row in responsibilities), Decimal(0))
    if responsibilities and total != 1:
        problems.append(problem("E-SHARES-NOT-100", field="share", total=percent(total)))
    return problems


def _split_exactly(
    total: Fraction, responsibilities: Sequence[Responsibility], staff: Sequence[StaffMember]
) -> list[tuple[StaffMember, Fraction, str, str]]:
    """``(member, exact amount, reason, rule)`` per person per row (zero parts included: the
    notice shows a member with no basis points, or a 0 % share kept for a sanction)."""
    parts = []
    for row in responsibilities:
        share = total * Fraction(row.share)
        members = _members(row, staff)
        if row.kind is ResponsibilityKind.PERSON:  # E2: the whole share, whatever the basis points
            parts.append((members[0], share, f"个人责任 {percent(row.share)}", _KIND_RULE[row.kind]))
            continue
        points = sum((m.basis_points for m in members), Decimal(0))
        for member in members:
            amount = share * Fraction(member.basis_points) / Fraction(points)
            reason = f"{row.kind}“{_who(row)}”责任 {percent(row.share)}，基点 {member.basis_points}/{points}"
            parts.append((member, amount, reason, _KIND_RULE[row.kind]))
    return parts


def compute_allocation(
    loss: Decimal,
    responsibilities: Sequence[Responsibility],
    staff: Sequence[StaffMember],
    *,
    case: str = "",
) -> tuple[list[Deduction], list[Problem]]:
    """The loss of one case split over the people responsible (P2, E2, E3, E5, E6, E7).

    The loss is first rounded half-up to the cent; the split is exact; each part is then rounded
    half-up, and the rounding remainder goes to the largest parts, one cent each, largest first
    (ties: the earlier row) — so the parts add up to the loss exactly and none is negative.
    With any problem (see :func:`check_responsibilities`, and a negative loss) nothing is allocated.
    A loss with no responsibility rows at all is refused as shares of 0 %; no loss needs none."""
    problems = check_responsibilities(responsibilities, staff)
    if loss < 0:
        problems.insert(0, problem("E-MONEY-NEGATIVE", field="loss", label="损失金额", attr="loss", amount=loss))
    elif loss > 0 and not responsibilities:
        problems.append(problem("E-SHARES-NOT-100", field="share", total=percent(Decimal(0))))
    if problems:
        return [], problems
    total = to_cents(Fraction(loss))
    parts = _split_exactly(Fraction(total), responsibilities, staff)
    rounded = [to_cents(amount) for _, amount, _, _ in parts]
    remainder = int((total - sum(rounded, Decimal(0))) / CENT)
    step = CENT if remainder > 0 else -CENT
    largest_first = sorted(range(len(parts)), key=lambda i: -parts[i][1])
    for i in largest_first[: abs(remainder)]:
        rounded[i] += step
    return [
        Deduction(case, member.name, member.department, amount, DeductionKind.LOSS, reason, rule)
        for (member, _, reason, rule), amount in zip(parts, rounded, strict=True)
    ], []


def _sanction_amount(row: Responsibility, member: StaffMember, rules: MoneyRules) -> Decimal:
    """P4 as a table: the money of one sanction, rounded half-up to the cent."""
    if row.sanction is Sanction.WARNING:
        amount = rules.warning_amount
    elif row.sanction is Sanction.MINOR:
        amount = rules.minor_demerit_amount * row.sanction_base
    else:  # 大过 or worse: the whole month's efficiency bonus
        amount = member.monthly_bonus
    return to_cents(Fraction(amount))


def compute_sanction_amounts(
    responsibilities: Sequence[Responsibility],
    staff: Sequence[StaffMember],
    *,
    case: str = "",
    rules: MoneyRules | None = None,
) -> tuple[list[Deduction], list[Problem]]:
    """Each person's sanction of one case as money (P4): 警告 → ``warning_amount`` (400),
    小过 → ``minor_demerit_amount`` (800) × 处分基数, 大过 → the person's 月效率奖金.

    The regulation's amounts are minimums ("at least"); the settings are the amounts charged.
    The table is checked as in :func:`check_responsibilities`; with any problem nothing is charged."""
    rules = rules or MoneyRules()
    problems = check_responsibilities(responsibilities, staff)
    if problems:
        return [], problems
    deductions = []
    for row in responsibilities:
        if row.sanction is Sanction.NONE:
            continue
        (member,) = _members(row, staff)
        reason = row.sanction.value
        if row.sanction is Sanction.MINOR:
            reason += f" ×{row.sanction_base.normalize():f}"
        if row.cause.strip():
            reason += f"（原因 {row.cause.strip()}）"
        deductions.append(
            Deduction(
                case,
                member.name,
                member.department,
                _sanction_amount(row, member, rules),
                DeductionKind.SANCTION,
                reason,
                "P4",
            )
        )
    return deductions, []


def compute_case_deductions(
    loss: Decimal,
    responsibilities: Sequence[Responsibility],
    staff: Sequence[StaffMember],
    *,
    case: str = "",
    rules: MoneyRules | None = None,
) -> tuple[list[Deduction], list[Problem]]:
    """Everything one closed case costs its people: the loss parts, then the sanctions' money;
    the problems of both, each once. With any problem nothing is charged."""
    parts, loss_problems = compute_allocation(loss, responsibilities, staff, case=case)
    sanctions, sanction_problems = compute_sanction_amounts(responsibilities, staff, case=case, rules=rules)
    problems = list(dict.fromkeys([*loss_problems, *sanction_problems]))
    if problems:
        return [], problems
    return [*parts, *sanctions], []


def sum_by_person(deductions: Iterable[Deduction]) -> dict[str, Decimal]:
    """Per person, the total of their deductions (the ledger's 本月新增)."""
    totals: dict[str, Decimal] = {}
    for d in deductions:
        totals[d.name] = totals.get(d.name, Decimal(0)) + d.amount
    return totals
