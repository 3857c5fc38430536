"""The GM office's decision on a complaint form (section 七): handling, improvement tracking, resale
status and the responsibility rows (rules C8, C16, P2, P3, E1, E2).

:func:`check_decision` says whether consolidation may complete: every problem at once, each naming
its responsibility row (1-based, as the clerk counts the form's ``Responsibility`` table). The rows,
the staff roster and the row checks shared with the money (shares in 0 … 100 % adding up to exactly
100 %, each named person/unit/department in the roster, sanctions for persons, 小过 with a base) are
:mod:`complaint_kit.domain.allocation`'s; this module adds what the decision itself demands.

Encodings where the regulation and issue 7 are silent (our decisions):

- **Department kinds** come from the department's name (:data:`DEFAULT_DEPARTMENT_KINDS`, a table
  of keywords: 制造/生产 → manufacturing, 业务 → sales, 服务 → service; anything else is "other").
  A row without a department takes the roster department of the unit or person it names.
- **E1 (manufacturing)**: a row names the smallest unit (责任类型 单位 with its 单位, or 个人 — P2 lets
  one person's fault go to that person); 责任类型 部门 *is* the mark "whole section" (全科) and is
  refused when the row names a unit or person anyway: then that unit or person is charged.
- **E2 (sales, service)**: a row names a person (个人); 部门 is the mark "no one can be named" and is
  refused when a person is written on it; a 单位 row is refused (E2 knows persons and departments).
- The same "name the smallest" rule holds in any department (a 单位 row naming a person is refused),
  cited as P2 outside manufacturing, sales and service.
- A person named with a department must be in that department in the roster (and in the unit,
  when one is written); the same responsibility twice is refused (it would be charged twice).
- **Cause** (原因类别) is optional: a P3 cause number 1–15 or 品质 (a quality cause). C8: human
  negligence is not tracked, so a 品质 cause with 改善追踪 = 否 is a warning.
- **C8 / P2**: a valid complaint (the company at fault) needs responsibility rows: none at all is
  refused as shares adding up to 0 %.
- **C16**: 不成立 carries no responsibility rows and no loss.
- **C15** (a supplier at fault) is not modelled: such a decision needs a roster entry for the supplier.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .allocation import Responsibility, ResponsibilityKind, StaffMember, check_responsibilities, percent
from .problems import Problem, problem
from .rules import YesNo


class Handling(StrEnum):
    """处理方式 decided by the GM office (C8); 不成立 = the complaint is invalid (C16)."""

    RETURN = "退货"
    EXCHANGE = "换货"
    REWORK = "重工"
    ALLOWANCE = "折让"
    COMPENSATION = "赔偿"
    INVALID = "不成立"


class ResaleStatus(StrEnum):
    """P1: whether the rejected goods were resold within the window."""

    RESOLD = "已转售"
    NOT_RESOLD = "未转售"
    NOT_APPLICABLE = "不适用"


class DepartmentKind(StrEnum):
    MANUFACTURING = "制造"
    SALES = "业务"
    SERVICE = "服务"
    OTHER = "其他"


# Rules as data: a department whose name contains the keyword is of that kind (first match wins).
DEFAULT_DEPARTMENT_KINDS: tuple[tuple[str, DepartmentKind], ...] = (
    ("制造", DepartmentKind.MANUFACTURING),
    ("生产", DepartmentKind.MANUFACTURING),
    ("业务", DepartmentKind.SALES),
    ("服务", DepartmentKind.SERVICE),
)

# P3: the human causes of administrative sanctions, by number (原因类别); 品质 marks a quality cause.
P3_CAUSES: dict[int, str] = {
    1: "票据错误或附样等资料错误",
    2: "财务错误",
    3: "未依制作规范备料、用料",
    4: "剔除的不合格品混入正常品缴库",
    5: "成品交运超出应收范围未经客户同意",
    6: "擅自减少有关生产资料",
    7: "业务人员未反映特殊质量要求",
    8: "订单误记",
    9: "交货延迟",
    10: "装运错误",
    11: "交货单误记交运错误",
    12: "仓储保管不当及运输问题",
    13: "外观标示不符规格",
    14: "检验资料不符",
    15: "其他",
}
QUALITY_CAUSE = "品质"
_CAUSES = frozenset({QUALITY_CAUSE, *map(str, P3_CAUSES)})


@dataclass(frozen=True, slots=True)
class Decision:
    """Section 七 of the form. ``loss_amount`` is the 损失金额 cell (None when blank)."""

    handling: Handling
    improvement_tracked: YesNo
    resale_status: ResaleStatus
    loss_amount: Decimal | None = None
    responsibility: tuple[Responsibility, ...] = ()


def compute_department_kind(
    department: str, *, kinds: Sequence[tuple[str, DepartmentKind]] = DEFAULT_DEPARTMENT_KINDS
) -> DepartmentKind:
    """``compute_department_kind("制造一科") is DepartmentKind.MANUFACTURING``"""
    return next((kind for keyword, kind in kinds if keyword in department), DepartmentKind.OTHER)


def _department(row: Responsibility, staff: Sequence[StaffMember]) -> str:
    """The row's department, or the roster's for the unit or person it names."""
    if row.department:
        return row.department
    return next(
        (m.department for m in staff if (row.unit and m.unit == row.unit) or (row.person and m.name == row.person)),
        "",
    )


_RULE_OF_KIND = {DepartmentKind.MANUFACTURING: "E1", DepartmentKind.SALES: "E2", DepartmentKind.SERVICE: "E2"}
_SMALLER: dict[ResponsibilityKind, tuple[tuple[str, ResponsibilityKind], ...]] = {
    # what a row of this kind must not name, smallest first: naming it means it should be charged
    ResponsibilityKind.DEPARTMENT: (("person", ResponsibilityKind.PERSON), ("unit", ResponsibilityKind.UNIT)),
    ResponsibilityKind.UNIT: (("person", ResponsibilityKind.PERSON),),
    ResponsibilityKind.PERSON: (),
}
_WHAT = {"person": "责任人", "unit": "单位"}


def _check_attribution(n: int, row: Responsibility, department: str, kind: DepartmentKind) -> list[Problem]:
    """E1, E2: responsibility goes to the smallest that can be named."""
    rule = _RULE_OF_KIND.get(kind, "P2")
    found = [
        problem(
            "E-RESP-NAMES-SMALLER",
            field="responsibility",
            rule=rule,
            row=n,
            kind=row.kind.value,
            kind_en=row.kind.name.lower(),
            what=_WHAT[attr],
            attr=attr,
            name=getattr(row, attr),
            target=target.value,
            target_en=target.name.lower(),
        )
        for attr, target in _SMALLER[row.kind]
        if getattr(row, attr)
    ][:1]
    if row.kind is ResponsibilityKind.UNIT and kind in (DepartmentKind.SALES, DepartmentKind.SERVICE):
        found.append(problem("E-RESP-SALES-UNIT", field="responsibility", row=n, department=department))
    return found


def _check_person_place(n: int, row: Responsibility, staff: Sequence[StaffMember]) -> list[Problem]:
    """A named person is in the row's department (and unit) in the roster."""
    places = [(m.department, m.unit) for m in staff if m.name == row.person]
    if not row.person or not row.department or not places:
        return []  # nothing to compare, or unknown: allocation's check says so
    if any(dept == row.department and (not row.unit or unit == row.unit) for dept, unit in places):
        return []
    return [
        problem(
            "E-RESP-PERSON-ELSEWHERE",
            field="responsibility",
            row=n,
            person=row.person,
            places="、".join(f"{dept}/{unit}" for dept, unit in places),
            department=f"{row.department}/{row.unit}" if row.unit else row.department,
        )
    ]


def check_decision(
    decision: Decision,
    *,
    staff: Sequence[StaffMember],
    department_kinds: Sequence[tuple[str, DepartmentKind]] = DEFAULT_DEPARTMENT_KINDS,
) -> list[Problem]:
    """Every reason consolidation may not complete yet (C8, C16, P2, P4, E1, E2); empty when whole.

    ``staff``: the roster (the 人员 sheet). Rows are numbered from 1.
    """
    rows = decision.responsibility
    if decision.handling is Handling.INVALID:  # C16: no loss, no responsibility, no penalty
        found: list[Problem] = []
        if rows:
            found.append(problem("E-INVALID-WITH-RESPONSIBILITY", field="responsibility", rows=len(rows)))
        if decision.loss_amount:
            found.append(problem("E-INVALID-WITH-LOSS", field="loss_amount", amount=decision.loss_amount))
        return found
    found = check_responsibilities(rows, staff)
    if not rows:
        found.append(problem("E-SHARES-NOT-100", field="share", total=percent(Decimal(0))))
    seen: dict[tuple[ResponsibilityKind, str, str, str], int] = {}
    for n, row in enumerate(rows, start=1):
        department = _department(row, staff)
        kind = compute_department_kind(department, kinds=department_kinds)
        found += _check_attribution(n, row, department, kind)
        found += _check_person_place(n, row, staff)
        if row.cause.strip() and row.cause.strip() not in _CAUSES:
            found.append(problem("E-RESP-CAUSE", field="responsibility", row=n, cause=row.cause))
        key = (row.kind, row.department, row.unit, row.person)
        if key in seen:
            found.append(problem("E-RESP-DUPLICATE", field="responsibility", row=n, first=seen[key]))
        seen.setdefault(key, n)
    if decision.improvement_tracked is YesNo.NO and any(row.cause.strip() == QUALITY_CAUSE for row in rows):
        found.append(problem("W-QUALITY-NOT-TRACKED", field="improvement_tracked"))
    return found
