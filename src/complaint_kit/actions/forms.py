"""Actions on one complaint form: new, validate, reopen (rules C4, C7, C11); accept and complete
live in :mod:`.acceptance` and :mod:`.completion` and are re-exported here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .. import layout as L
from ..domain.problems import Problem, problem
from ..domain.routing import Status
from ..domain.rules import Stage
from ..domain.validation import check_duplicates, check_section, compute_intake, duplicate_key
from ..domain.values import FieldReader, is_blank, shown, to_choice, to_text
from ..ports import Book, Changes
from .acceptance import accept_form
from .completion import complete_stage
from .context import form_rules
from .formbook import LABELS, log_rows
from .outcome import Outcome, failed
from .records import (
    form_names,
    locate_field,
    open_case_keys,
    read_form,
    register_records,
    routing_from_record,
    typed_value,
)
from .sealing import check_deadlines, check_form_keyless, form_values, seal_notice

__all__ = ["accept_form", "complete_stage", "new_form", "reopen_form", "validate_form"]


def new_form(form: Book, *, values: dict[str, Any], now: datetime) -> Outcome:
    """Prefill a blank form (``--set Customer=…``); keys are defined names or attrs. Typed text is
    converted to the field's kind (a date stays a date in Excel, a quantity a number) by the same
    reader ``validate`` uses, and what ``validate`` would refuse in a prefilled field is refused
    here (issue 8): a form is never written that fails its own check."""
    problems: list[Problem] = []
    given: dict[str, Any] = {}
    for key, value in values.items():
        field = L.FIELD_BY_NAME.get(key) or L.FIELD_BY_ATTR.get(key)
        if field is None:
            problems.append(problem("E-UNKNOWN-FIELD", key=key))
        elif field.computed:
            problems.append(problem("E-COMPUTED-FIELD", field=field.attr, label=field.label, name=field.name))
        else:
            given[field.attr] = value
    problems += _prefill_problems(given, now=now)
    if any(p.is_error for p in problems):
        return failed([locate_field(form, p) for p in problems])
    clean = {attr: typed_value(L.FIELD_BY_ATTR[attr], value) for attr, value in given.items()}
    changes = Changes(names=form_names({**clean, "status": Status.DRAFT.value}))
    changes.tables[L.FORM_LOG_TABLE] = log_rows(form, [now, Stage.INTAKE.zh, "新建表单", clean.get("sales_rep"), ""])
    form.apply(changes)
    located = [locate_field(form, p) for p in problems]
    return Outcome(located, ["已新建客户抱怨处理表 — new complaint form created"])


def _prefill_problems(given: dict[str, Any], *, now: datetime) -> list[Problem]:
    """What validation says of the prefilled fields only (a field left blank is Sales' to fill;
    a report time after ``now`` is judged when the form is validated or accepted)."""
    intake = {attr: v for attr, v in given.items() if attr in L.INTAKE_ATTRS}
    _, found = compute_intake(intake, now=now, labels=LABELS)
    problems = [p for p in found if p.field in given and p.code not in ("E-REQUIRED", "E-FUTURE")]
    for attr, value in given.items():
        if attr in L.INTAKE_ATTRS:
            continue
        field = L.FIELD_BY_ATTR[attr]
        reader = FieldReader({attr: value}, LABELS)
        if field.kind is L.Kind.DATETIME:
            reader.instant(attr, required=False)
        elif field.kind is L.Kind.DATE:
            reader.day(attr, required=False)
        elif field.kind is L.Kind.INT:
            reader.integer(attr, required=False)
        elif field.kind is L.Kind.MONEY and isinstance(typed_value(field, value), str):
            reader.problem(attr, "E-NOT-NUMBER", value=shown(value))
        elif field.kind is L.Kind.CHOICE and not is_blank(value) and to_choice(value, field.choices) is None:
            allowed = "、".join(field.choices)
            reader.problem(attr, "E-NOT-IN-LIST", value=shown(value), allowed=allowed)
        else:
            reader.screen(attr)
        problems += reader.problems
    return problems


def validate_form(form: Book, *, now: datetime, register: Book | None = None) -> Outcome:
    """Check the intake (C4), every section of a stage already done (C7), and that nothing sealed
    was changed since (issue 6; without the key: against the form's own copy of its seals). With
    the register at hand, a form not yet accepted that repeats an open case is named (疑似重复)."""
    raw = read_form(form)
    intake, problems = compute_intake(raw, now=now, labels=LABELS)
    if register is not None and intake is not None and is_blank(raw.get("case_no")):
        key = duplicate_key(intake.customer, intake.order_no, intake.part_no)
        problems += check_duplicates(key, open_case_keys(register_records(register.read_table(L.REGISTER_TABLE))))
    for stage in Stage:
        if stage is not Stage.INTAKE and not is_blank(raw.get(f"{stage.value}_done_at")):
            problems += check_section(stage, raw, labels=LABELS)
    located = [locate_field(form, p) for p in problems]
    sealed, count = _check_keyless(form, raw)
    located += sealed
    if any(p.is_error for p in located):
        return failed(located)
    return Outcome(located, ["表单检查通过 — the form is valid", *([seal_notice(count)] if count else [])])


def _check_keyless(form: Book, raw: dict[str, Any]) -> tuple[list[Problem], int]:
    """Sealed fields against the form's own seals, and deadlines against the rules snapshot."""
    problems, count = check_form_keyless(form, form_values(form))
    return problems + _deadline_problems(form, raw), count


def _deadline_problems(form: Book, raw: dict[str, Any]) -> list[Problem]:
    rules = form_rules(form)
    if rules is None or is_blank(raw.get("case_no")):
        return []
    routing, found = routing_from_record(raw, LABELS)
    if routing is None or found:
        return []
    return check_deadlines(form, routing, rules)


def reopen_form(old: Book, new: Book, *, now: datetime) -> Outcome:
    """C11: the customer rejects the decision; Sales fills a new form linked to the old case.
    A form whose sealed fields were changed is refused (issue 6)."""
    raw = read_form(old)
    tamper, _ = _check_keyless(old, raw)
    if any(p.is_error for p in tamper):
        return failed(tamper)
    case_no = to_text(raw.get("case_no"))
    if not case_no:
        return failed([locate_field(old, problem("E-NOT-ACCEPTED", field="case_no", rule="C11"))])
    status = to_text(raw.get("status"))
    if status != Status.CLOSED.value:
        return failed([locate_field(old, problem("E-NOT-CLOSED", field="status", case_no=case_no, status=status))])
    values = {attr: raw.get(attr) for attr in L.INTAKE_ATTRS}
    values["reported_at"] = now
    values["description"] = f"客户不接受原案 {case_no} 的处理结果。原说明：{to_text(raw.get('description'))}"
    values["original_case_no"] = case_no
    values["status"] = Status.DRAFT.value
    new.apply(
        Changes(
            names=form_names(values),
            tables={
                L.FORM_LOG_TABLE: log_rows(
                    new, [now, Stage.INTAKE.zh, "重开", raw.get("sales_rep"), f"原案 {case_no}（规则 C11）"]
                )
            },
        )
    )
    return Outcome(
        messages=[f"已由原案 {case_no} 新建关联表单，请业务员补充后送总经理室 — new form linked to case {case_no}"],
        data={"original_case_no": case_no},
    )
