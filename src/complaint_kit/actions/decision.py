"""The GM office's decision as the workbooks hold it (issue 7 items 1 and 2; rules C8, C10, C16, E1, E2, P1).

Section 七 of the form (``Handling``, ``LossAmount``, ``ImprovementTracked``, ``ResaleStatus``,
``ResaleAmount``, ``GradeAPrice``) and its ``Responsibility`` table are read into a
:class:`~complaint_kit.domain.decision.Decision`; the register's 人员 sheet (table ``Staff``) into
:class:`~complaint_kit.domain.allocation.StaffMember` values. Every problem points at its cell.

Consolidation needs the decision whole (:func:`check_consolidation`): with the register the names
are checked against the roster; without it (a department's own ``complete``) the shares, E1/E2 and
C16 are still checked and a warning says the names are checked at the GM office.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from .. import layout as L
from ..domain.allocation import Responsibility, ResponsibilityKind, Sanction, StaffMember
from ..domain.authority import ApprovalLevel
from ..domain.decision import Decision, Handling, ResaleStatus, check_decision
from ..domain.loss import LossFacts, compute_loss, round_money
from ..domain.problems import Problem, problem
from ..domain.rules import YesNo
from ..domain.seal import canonical
from ..domain.values import FieldReader, is_blank, shown, to_code, to_decimal
from ..ports import Book, TableData
from .formbook import LABELS
from .records import form_version, locate_field

# Problems that need the roster: skipped (with a warning) when a department completes without it.
ROSTER_CODES = frozenset(
    {"E-RESPONSIBLE-UNKNOWN", "E-STAFF-AMBIGUOUS", "E-ZERO-BASIS-POINTS", "E-RESP-PERSON-ELSEWHERE"}
)
_RESP_LABELS = dict(zip(L.RESPONSIBILITY_ATTRS, L.RESPONSIBILITY_HEADERS, strict=True))
_STAFF_LABELS = dict(zip(L.STAFF_ATTRS, L.STAFF_HEADERS, strict=True))


def _number(reader: FieldReader, attr: str, *, required: bool, rule: str | None = None) -> Decimal | None:
    raw = reader.raw.get(attr)
    try:
        value = to_decimal(raw)
    except ValueError:
        reader.problem(attr, "E-NOT-NUMBER", rule=rule, value=shown(raw))
        return None
    if value is None and required:
        reader.missing(attr, rule)
    elif value is not None and value < 0:
        reader.problem(attr, "E-TOO-SMALL", rule=rule, minimum=0)
        return None
    return value


def read_staff(register: Book) -> tuple[list[StaffMember], list[Problem]]:
    """The staff roster (人员, table ``Staff``); bad rows are problems at their cells and left out."""
    table = register.read_table(L.STAFF_TABLE)
    staff: list[StaffMember] = []
    found: list[Problem] = []
    for i, row in enumerate(table.rows):
        raw = {attr: row[table.headers.index(h)] for attr, h in _STAFF_LABELS.items() if h in table.headers}
        if all(is_blank(v) for v in raw.values()):
            continue
        r = FieldReader(raw, _STAFF_LABELS)
        name = r.text("name", rule="E3")
        department = r.text("department", rule="E3")
        unit = r.text("unit", required=False)
        points = _number(r, "basis_points", required=True, rule="E3")
        bonus = _number(r, "monthly_bonus", required=False, rule="E4")
        level = r.choice("approval_level", ApprovalLevel, required=False, rule="C10")
        for p in r.problems:
            found.append(p.at(register.locate_table_cell(L.STAFF_TABLE, i, _STAFF_LABELS[p.field or "name"])))
        if not r.problems and points is not None:
            staff.append(StaffMember(name, department, unit, points, bonus or Decimal(0), level.value if level else ""))
    return staff, found


def _read_rows(form: Book) -> tuple[list[Responsibility], list[int], list[Problem]]:
    """The filled rows of the form's Responsibility table and the table index of each."""
    table = form.read_table(L.RESPONSIBILITY_TABLE)
    rows: list[Responsibility] = []
    index: list[int] = []
    found: list[Problem] = []
    for i, row in enumerate(table.rows):
        raw = {attr: row[table.headers.index(h)] for attr, h in _RESP_LABELS.items() if h in table.headers}
        if all(is_blank(v) for v in raw.values()):
            continue
        parsed, problems = read_responsibility(raw)
        for p in problems:
            found.append(p.at(form.locate_table_cell(L.RESPONSIBILITY_TABLE, i, _RESP_LABELS[p.field or "kind"])))
        if parsed is not None:
            rows.append(parsed)
            index.append(i)
    return rows, index, found


def read_responsibility(raw: dict[str, Any]) -> tuple[Responsibility | None, list[Problem]]:
    """One responsibility row (``{attr: cell}``, attrs of ``layout.RESPONSIBILITY_ATTRS``), as the
    form and the register's 责任明细 hold it; None when its kind or share is unreadable."""
    r = FieldReader(raw, _RESP_LABELS)
    kind = r.choice("kind", ResponsibilityKind, rule="E1")
    texts = {a: r.text(a, required=False) for a in ("department", "unit", "person")}
    share = _number(r, "share", required=True, rule="P2")
    sanction = r.choice("sanction", Sanction, required=False, rule="P4") or Sanction.NONE
    base = _number(r, "sanction_base", required=False, rule="P4")
    cause = to_code(raw.get("cause"))  # ７ typed full-width is 7
    if kind is None or share is None:
        return None, r.problems
    return Responsibility(
        kind, share, **texts, sanction=sanction, sanction_base=base or Decimal(1), cause=cause
    ), r.problems


def read_decision(form: Book, raw: dict[str, Any]) -> tuple[Decision | None, list[Problem]]:
    """Section 七 and the Responsibility table; None with the problems when a field is unreadable.
    On a form with the resale fields (version 4), a resold lot's loss is the kit's (P1,
    :func:`resale_loss`) and 损失金额 may be left blank."""
    r = FieldReader(raw, LABELS)
    handling = r.choice("handling", Handling, rule="C8")
    valid = handling is not None and handling is not Handling.INVALID
    tracked = r.choice("improvement_tracked", YesNo, required=valid, rule="C8") or YesNo.NO
    resale = r.choice("resale_status", ResaleStatus, required=valid, rule="P1") or ResaleStatus.NOT_APPLICABLE
    resold = valid and resale is ResaleStatus.RESOLD
    loss = _number(r, "loss_amount", required=valid and not (resold and _has_resale_fields(form)), rule="P1")
    price = _number(r, "resale_amount", required=resold, rule="P1")
    grade_a = _number(r, "grade_a_price", required=resold, rule="P1")
    if resold and price is not None and grade_a is not None and price > grade_a:
        r.problems.append(problem("E-RESALE-ABOVE-GRADE-A", field="resale_amount", resale=price, grade_a=grade_a))
    rows, _, found = _read_rows(form)
    found = [locate_field(form, p) for p in r.problems] + found
    if handling is None or found:
        return None, found
    return Decision(handling, tracked, resale, loss, tuple(rows)), []


def _has_resale_fields(form: Book) -> bool:
    return form_version(form) >= L.RETURNS_VERSION


# LossFacts attribute → the form field it is read from (P1)
_LOSS_ATTRS = {
    "quantity": "resale_qty",
    "grade_a_price": "grade_a_price",
    "resale_price": "resale_amount",
    "resold_on": "resale_date",
    "actual_loss": "loss_amount",
}


def resale_loss(
    form: Book, raw: dict[str, Any], decision: Decision, *, decided_on: date, window_months: int
) -> tuple[Decimal | None, list[Problem]]:
    """P1 on a form with the resale fields: a lot resold within ``window_months`` of the decision
    costs ``(A级单价 − 转售单价) × 转售数量``; the kit fills 损失金额 with it, and a different amount
    typed there is refused (both shown). Not resold / not applicable: the loss typed. Returns the
    amount to write into 损失金额 (None: leave it as typed)."""
    if decision.resale_status is not ResaleStatus.RESOLD or not _has_resale_fields(form):
        return None, []
    r = FieldReader(raw, LABELS)
    qty = r.integer("resale_qty", required=True, rule="P1")
    resold_on = r.day("resale_date", required=True, rule="P1")
    if r.problems:
        return None, [locate_field(form, p) for p in r.problems]
    facts = LossFacts(
        decision.handling,
        decision.resale_status,
        decided_on,
        quantity=qty,
        grade_a_price=to_decimal(raw.get("grade_a_price")),
        resale_price=to_decimal(raw.get("resale_amount")),
        resold_on=resold_on,
    )
    amount, found = compute_loss(facts, window_months=window_months)
    located = [locate_field(form, replace(p, field=_LOSS_ATTRS.get(p.field or "", p.field))) for p in found]
    if amount is None:
        return None, located
    if decision.loss_amount is not None and round_money(decision.loss_amount) != amount:
        return None, [
            locate_field(
                form, problem("E-LOSS-NOT-P1", field="loss_amount", typed=decision.loss_amount, computed=amount)
            )
        ]
    return amount, []


def _locate_rows(form: Book, problems: list[Problem], index: list[int]) -> list[Problem]:
    """Problems of the domain's checks at their cells: a row's at its column, the others at the table."""
    out = []
    for p in problems:
        if p.field in L.FIELD_BY_ATTR:
            out.append(locate_field(form, p))
            continue
        header = _RESP_LABELS.get(p.field or "", L.RESPONSIBILITY_HEADERS[0])
        if p.row is not None and p.row <= len(index):
            out.append(p.at(f"{form.label} {form.locate_table_cell(L.RESPONSIBILITY_TABLE, index[p.row - 1], header)}"))
        else:
            out.append(p.at(f"{form.label} {L.RESPONSIBILITY_SHEET}[{header}]"))
    return out


def check_consolidation(
    form: Book,
    raw: dict[str, Any],
    *,
    staff: Sequence[StaffMember] | None,
    decided_on: date,
    window_months: int,
) -> tuple[Decision | None, Decimal | None, list[Problem]]:
    """Consolidation completes only with a whole decision (C8, C16, P1, P2, E1, E2). ``staff``: the
    roster when the register is at hand; None skips the names (with a warning). Returns the
    decision, the P1 loss the kit fills in (None: as typed) and the problems."""
    decision, found = read_decision(form, raw)
    if decision is None:
        return None, None, found
    _, index, _ = _read_rows(form)
    checked = check_decision(decision, staff=staff or ())
    if staff is None:
        checked = [p for p in checked if p.code not in ROSTER_CODES]
        if decision.responsibility:
            checked.append(problem("W-ROSTER-NOT-CHECKED", field="handling"))
    loss, loss_problems = resale_loss(form, raw, decision, decided_on=decided_on, window_months=window_months)
    return decision, loss, _locate_rows(form, checked, index) + loss_problems


def responsibility_records(case_no: str, decision: Decision) -> list[list[Any]]:
    """The case's rows for the register's 责任明细 (``CaseResponsibility``): the case number, then
    the form's columns as decided (the share as a fraction, blank sanction base when 1)."""
    return [
        [
            case_no,
            row.kind.value,
            row.department or None,
            row.unit or None,
            row.person or None,
            row.share,
            row.sanction.value,
            row.sanction_base,
            row.cause or None,
        ]
        for row in decision.responsibility
    ]


def typed_responsibility_body(table: TableData, records: list[list[Any]]) -> list[list[Any]] | None:
    """The form's 责任归属 rows as the values consolidation read (``records``: the case's rows of
    :func:`responsibility_records`), in the rows the clerk filled — `` 单位 `` trimmed, ``６０%`` a
    fraction —, or None when the table already holds them (issue 8: values, never pasted text)."""
    width = len(L.RESPONSIBILITY_ATTRS)
    body = [list(row[:width]) + [None] * (width - len(row)) for row in table.rows]
    filled = [i for i, row in enumerate(body) if any(not is_blank(v) for v in row)]
    changed = False
    for i, record in zip(filled, records, strict=False):
        typed = list(record[1:])
        if [canonical(v) for v in typed] != [canonical(v) for v in body[i]]:
            body[i], changed = typed, True
    return body if changed else None
