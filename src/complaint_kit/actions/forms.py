"""Actions on one complaint form: new, validate, accept (with the register), complete a stage,
reopen (rules C3–C7, C11, C17)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .. import layout as L
from ..domain.numbering import SerialsExhausted, compute_next_case_no, read_last_issued
from ..domain.problems import Problem, warning
from ..domain.routing import Routing, Status, compute_acceptance, compute_assessment, compute_completion
from ..domain.rules import Stage
from ..domain.seal import Seal, dump_seals
from ..domain.validation import check_section, compute_intake, rnd_needed
from ..domain.values import FieldReader, is_blank, to_text
from ..ports import Book, Changes
from .context import Rules, form_rules, load_rules
from .outcome import Outcome, failed
from .records import (
    assessment_fields,
    form_names,
    locate_field,
    read_form,
    register_records,
    register_rows,
    routing_fields,
    routing_from_record,
)
from .sealing import (
    acceptance_seal,
    case_seals,
    check_deadlines,
    check_form_keyless,
    check_form_with_register,
    completion_seal,
    form_values,
    has_signatures,
    journal_and_seals,
    old_register_problem,
    read_form_seals,
    seal_notice,
    wrong_key,
)

LABELS = L.FIELD_LABELS
REGISTER_LABELS = {c.attr: c.header for c in L.REGISTER_COLUMNS}


def _log_rows(form: Book, *entries: list[Any]) -> list[list[Any]]:
    table = form.read_table(L.FORM_LOG_TABLE)
    return [*table.rows, *[list(e) for e in entries]]


def new_form(form: Book, *, values: dict[str, Any], now: datetime) -> Outcome:
    """Prefill a blank form (``--set Customer=…``); keys are defined names or attrs. Typed text is
    converted to the field's kind (a date stays a date in Excel, a quantity a number)."""
    problems: list[Problem] = []
    clean: dict[str, Any] = {}
    for key, value in values.items():
        field = L.FIELD_BY_NAME.get(key) or L.FIELD_BY_ATTR.get(key)
        if field is None:
            problems.append(Problem("E-UNKNOWN-FIELD", f"表单没有字段 {key}", f"the form has no field {key}"))
        elif field.computed:
            problems.append(
                Problem(
                    "E-COMPUTED-FIELD",
                    f"{field.label}({field.name}) 由系统填写，不能预填",
                    f"{field.name} is written by the kit and cannot be preset",
                    field.attr,
                )
            )
        else:
            reader = FieldReader({field.attr: value}, LABELS)
            clean[field.attr] = _typed(reader, field)
            problems += reader.problems
    if problems:
        return failed([locate_field(form, p) for p in problems])
    changes = Changes(names=form_names({**clean, "status": Status.DRAFT.value}))
    changes.tables[L.FORM_LOG_TABLE] = _log_rows(form, [now, Stage.INTAKE.zh, "新建表单", clean.get("sales_rep"), ""])
    form.apply(changes)
    return Outcome(messages=["已新建客户抱怨处理表 — new complaint form created"])


def _typed(reader: FieldReader, field: L.FormField) -> Any:
    """A prefilled value in the field's own kind; blank stays blank."""
    if field.kind is L.Kind.DATETIME:
        return reader.instant(field.attr, required=False)
    if field.kind is L.Kind.DATE:
        return reader.day(field.attr, required=False)
    if field.kind is L.Kind.INT:
        return reader.integer(field.attr, required=False)
    return to_text(reader.raw.get(field.attr)) or None


def validate_form(form: Book, *, now: datetime) -> Outcome:
    """Check the intake (C4), every section of a stage already done (C7), and that nothing sealed
    was changed since (issue 6; without the key: against the form's own copy of its seals)."""
    raw = read_form(form)
    _, problems = compute_intake(raw, now=now, labels=LABELS)
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


def accept_form(
    form: Book,
    register: Book,
    *,
    now: datetime,
    user: str,
    key: bytes,
    received_at: datetime | None = None,
) -> Outcome:
    """The GM office accepts a form (C3, C6.2, C17): number it, compute every deadline, log it in
    the register and write the number and deadlines back to the form; seal the case number, the
    intake, the deadlines and the settings snapshot with the office's key (issue 6)."""
    raw = read_form(form)
    problems: list[Problem] = []
    own_seals, seal_problems = read_form_seals(form)
    if not is_blank(raw.get("case_no")) or own_seals or seal_problems:
        shown = to_text(raw.get("case_no")) or (own_seals[0].case_no if own_seals else "?")
        problems.append(
            Problem(
                "E-ALREADY-ACCEPTED",
                f"本表已受理，客诉编号 {shown}",
                f"this form was already accepted as case {shown}",
                "case_no",
                rule="C3",
            )
        )
    if not has_signatures(register):
        return failed([old_register_problem(register)])
    bad_key = wrong_key(register, key, register.read_table(L.SIGNATURES_TABLE))
    if bad_key:
        return failed([bad_key])
    rules, rule_problems = load_rules(register)
    problems += rule_problems
    intake, intake_problems = compute_intake(raw, now=now, labels=LABELS, max_quantity=rules.settings.max_quantity)
    problems += intake_problems
    if not user.strip():
        problems.append(
            Problem("E-USER", "请提供受理人姓名 (--user)", "the accepting user's name is required (--user)")
        )
    if any(p.is_error for p in problems) or intake is None:
        return failed([locate_field(form, p) if p.where is None else p for p in problems])

    table = register.read_table(L.REGISTER_TABLE)
    records = register_records(table)
    serials = register.read_table(L.SERIALS_TABLE)
    last_issued, serial_problems = read_last_issued(serials.rows)
    if serial_problems:  # a damaged numbering memory could issue a number twice (C3)
        headers = L.SERIALS_HEADERS
        return failed([p.at(register.locate_table_cell(L.SERIALS_TABLE, i, headers[c])) for i, c, p in serial_problems])
    settings = rules.settings
    try:
        case_no = compute_next_case_no(
            now,
            last_issued=last_issued,
            existing=[to_text(r.get("case_no")) for r in records],
            width=settings.case_no_serial_width,
        )
    except SerialsExhausted as exc:
        where = _settings_cell(register, "case_no_serial_width")
        return failed(
            [
                Problem(
                    "E-SERIALS-EXHAUSTED",
                    f"本月客诉编号流水号已用尽：请在“{L.SETTINGS_SHEET}”表加大“客诉编号流水号位数”(case_no_serial_width)",
                    f"case-number serials for this month are used up ({exc}); widen setting case_no_serial_width",
                    "case_no_serial_width",
                    rule="C3",
                    where=where,
                )
            ]
        )
    original = to_text(raw.get("original_case_no"))
    if original and original not in {to_text(r.get("case_no")) for r in records}:
        problems.append(
            warning(
                "W-ORIGINAL-UNKNOWN",
                f"原案编号 {original} 不在登记表中",
                f"original case {original} is not in the register",
                field="original_case_no",
                rule="C11",
            )
        )

    received = received_at or now
    routing, routing_problems = compute_acceptance(
        market=intake.market,
        reported_at=intake.reported_at,
        received_at=received,
        accepted_at=now,
        sales_rep=intake.sales_rep,
        accepted_by=user,
        settings=settings,
        calendar=rules.calendar,
    )
    if routing_problems:
        return failed([locate_field(form, p) for p in routing_problems])
    assessment = compute_assessment(routing, now=now, settings=settings, calendar=rules.calendar)

    fields = {**routing_fields(routing), "case_no": str(case_no), "received_at": received, "accepted_by": user}
    snapshot = rules.snapshot()
    after = {**{L.FIELD_BY_ATTR[a].name: v for a, v in raw.items()}, **form_names(fields), L.META_SETTINGS: snapshot}
    seal = acceptance_seal(key, values=after, case_no=str(case_no), at=now, by=user)
    form_changes = Changes(
        names={**form_names(fields), L.META_SETTINGS: snapshot, **_seal_names(form, [seal])},
        tables={L.FORM_LOG_TABLE: _log_rows(form, [now, "受理", "受理登记", user, f"客诉编号 {case_no}"])},
        lock={f.name for f in L.section_input_fields(Stage.INTAKE)},
    )
    record = {attr: raw.get(attr) for attr in L.INTAKE_ATTRS}
    record.update({k: v for k, v in fields.items() if k in L.COLUMN_BY_ATTR})
    record.update(assessment_fields(assessment, routing, now=now))
    record.update({"original_case_no": original or None, "form_file": form.label, "rnd_needed": None})
    serial_rows = {to_text(m): n for m, n in serials.rows if not is_blank(m)}
    serial_rows[case_no.month_key] = case_no.serial
    register_changes = Changes(
        tables={
            L.REGISTER_TABLE: register_rows(table, [*records, record]),
            L.SERIALS_TABLE: [[m, n] for m, n in sorted(serial_rows.items())],
            **journal_and_seals(
                register,
                [[now, user, "受理", str(case_no), f"{intake.customer} {form.label}"]],
                key=key,
                now=now,
                user=user,
                seals=[seal],
            ),
        }
    )
    form.apply(form_changes)
    register.apply(register_changes)
    problems += rules.calendar_warnings()
    q_due, c_due = f"{routing.record(Stage.QUALITY).due:%Y-%m-%d %H:%M}", f"{routing.case_due:%Y-%m-%d %H:%M}"
    return Outcome(
        problems,
        [
            f"已受理，客诉编号 {case_no}；品管分析期限 {q_due}；结案期限 {c_due}"
            f" — accepted as case {case_no}; quality due {q_due}; case due {c_due}"
        ],
        {"case_no": str(case_no), "case_due": routing.case_due},
    )


def _settings_cell(register: Book, key: str) -> str | None:
    table = register.read_table(L.SETTINGS_TABLE)
    keys = [to_text(k) for k in table.column(L.SETTINGS_HEADERS[0])]
    return register.locate_table_cell(L.SETTINGS_TABLE, keys.index(key), L.SETTINGS_HEADERS[2]) if key in keys else None


def _seal_names(form: Book, seals: list[Seal]) -> dict[str, Any]:
    """The form's copy of its seals; a version-1 form has no place for it."""
    return {L.META_SEAL: dump_seals(seals)} if form.has_name(L.META_SEAL) else {}


def complete_stage(
    form: Book,
    *,
    stage: Stage | None,
    by: str,
    now: datetime,
    register: Book | None = None,
    user: str | None = None,
    key: bytes | None = None,
) -> Outcome:
    """A department finishes its section (C6, C7): check the section is filled, stamp the stage,
    start the next one (skipping R&D when not needed), lock the section; optionally update the
    register row when the GM office has it at hand. ``stage=None`` means the stage that is open
    (the ribbon button); the CLI names it explicitly.

    Issue 6: the form is first compared with its seals — with the register (and ``key``, required
    then) against the register's signed seals and deadlines, which are the truth; without it against
    the form's own copy. Any altered field refuses the completion, naming the field. With the
    register the finished stage is sealed."""
    if register is not None and key is None:
        raise ValueError("complete_stage with a register needs the signing key")
    raw = read_form(form)
    rules = form_rules(form)
    if rules is None or is_blank(raw.get("case_no")):
        return failed(
            [
                locate_field(
                    form,
                    Problem(
                        "E-NOT-ACCEPTED",
                        "本表尚未被总经理室受理（没有客诉编号），不能完成阶段",
                        "the form has not been accepted by the GM office (no case number)",
                        "case_no",
                        rule="C6.2",
                    ),
                )
            ]
        )
    routing, problems = routing_from_record(raw, LABELS)
    if routing is None:
        return failed([locate_field(form, p) for p in problems])
    values = form_values(form)
    if register is not None and key is not None:
        if not has_signatures(register):
            return failed([old_register_problem(register)])
        tamper = check_form_with_register(form, values, register, key)
    else:
        tamper, _ = check_form_keyless(form, values)
    tamper += check_deadlines(form, routing, rules)
    if any(p.is_error for p in tamper):
        return failed(tamper)
    if stage is None:
        if routing.current is None:
            return failed(
                [
                    locate_field(
                        form,
                        Problem(
                            "E-CLOSED", "本表已结案，没有待完成的阶段", "the case is closed; no stage is open", "status"
                        ),
                    )
                ]
            )
        stage = routing.current.stage
    updated, completion_problems = compute_completion(
        routing, stage, by=by, now=now, rnd_needed=rnd_needed(raw), settings=rules.settings, calendar=rules.calendar
    )
    problems = completion_problems
    if not any(p.code == "E-WRONG-STAGE" for p in completion_problems):
        problems = check_section(stage, raw, labels=LABELS) + completion_problems
    located = tamper + [locate_field(form, p) for p in problems]
    case_no = to_text(raw["case_no"])

    register_changes = None
    seal_names: dict[str, Any] = {}
    if register is not None and key is not None and not any(p.is_error for p in located):
        sealed = case_seals(register, case_no)
        after = {**values, **form_names(routing_fields(updated))}
        seal = completion_seal(key, stage=stage, values=after, routing=updated, sealed=sealed, at=now, by=user or by)
        seal_names = _seal_names(form, [*sealed, seal])
        register_changes, reg_problems = _register_update(
            register,
            case_no,
            raw,
            updated,
            now=now,
            user=user or by,
            note=f"{stage.zh} 完成，经办人 {by}",
            rules=rules,
            key=key,
            seal=seal,
        )
        located += reg_problems
    if any(p.is_error for p in located):
        return failed(located)

    form.apply(
        Changes(
            names={**form_names(routing_fields(updated)), **seal_names},
            tables={L.FORM_LOG_TABLE: _log_rows(form, [now, stage.zh, "完成", by, ""])},
            lock={f.name for f in L.section_input_fields(stage)},
        )
    )
    if register is not None and register_changes is not None:
        register.apply(register_changes)
    nxt = updated.current
    due = f"{nxt.due:%Y-%m-%d %H:%M}" if nxt and nxt.due else ""
    tail = (
        f"下一阶段：{nxt.stage.zh}，期限 {due} — next: {nxt.stage.value}, due {due}"
        if nxt and nxt.due
        else "本案已结案 — the case is closed"
    )
    return Outcome(
        located + rules.calendar_warnings(),
        [f"客诉 {case_no}：{stage.zh} 已完成 — case {case_no}: {stage.value} done. {tail}"],
        {"case_no": case_no, "status": updated.status.value},
    )


def _register_update(
    register: Book,
    case_no: str,
    raw: dict[str, Any],
    routing: Routing,
    *,
    now: datetime,
    user: str,
    note: str,
    rules: Rules,
    key: bytes,
    seal: Seal,
) -> tuple[Changes | None, list[Problem]]:
    table = register.read_table(L.REGISTER_TABLE)
    records = register_records(table)
    index = next((i for i, r in enumerate(records) if to_text(r.get("case_no")) == case_no), None)
    if index is None:
        return None, [
            Problem(
                "E-NOT-IN-REGISTER",
                f"登记表中没有客诉编号 {case_no}",
                f"case {case_no} is not in the register",
                "case_no",
                where=register.label,
            )
        ]
    rec = dict(records[index])
    rec.update({k: v for k, v in routing_fields(routing).items() if k in L.COLUMN_BY_ATTR})
    rec["rnd_needed"] = to_text(raw.get("rnd_needed")) or None
    assessment = compute_assessment(routing, now=now, settings=rules.settings, calendar=rules.calendar)
    rec.update(assessment_fields(assessment, routing, now=now))
    records[index] = rec
    return Changes(
        tables={
            L.REGISTER_TABLE: register_rows(table, records),
            **journal_and_seals(
                register, [[now, user, "阶段完成", case_no, note]], key=key, now=now, user=user, seals=[seal]
            ),
        }
    ), []


def reopen_form(old: Book, new: Book, *, now: datetime) -> Outcome:
    """C11: the customer rejects the decision; Sales fills a new form linked to the old case.
    A form whose sealed fields were changed is refused (issue 6)."""
    raw = read_form(old)
    tamper, _ = _check_keyless(old, raw)
    if any(p.is_error for p in tamper):
        return failed(tamper)
    case_no = to_text(raw.get("case_no"))
    if not case_no:
        return failed(
            [
                locate_field(
                    old,
                    Problem(
                        "E-NOT-ACCEPTED",
                        "原表没有客诉编号，不能重开",
                        "the form has no case number to reopen",
                        "case_no",
                        rule="C11",
                    ),
                )
            ]
        )
    status = to_text(raw.get("status"))
    if status != Status.CLOSED.value:
        return failed(
            [
                locate_field(
                    old,
                    Problem(
                        "E-NOT-CLOSED",
                        f"客诉 {case_no} 状态为“{status}”，核决结案后客户不接受时才能重开",
                        f"case {case_no} is {status!r}; only a decided (closed) case can be reopened",
                        "status",
                        rule="C11",
                    ),
                )
            ]
        )
    values = {attr: raw.get(attr) for attr in L.INTAKE_ATTRS}
    values["reported_at"] = now
    values["description"] = f"客户不接受原案 {case_no} 的处理结果。原说明：{to_text(raw.get('description'))}"
    values["original_case_no"] = case_no
    values["status"] = Status.DRAFT.value
    new.apply(
        Changes(
            names=form_names(values),
            tables={
                L.FORM_LOG_TABLE: _log_rows(
                    new, [now, Stage.INTAKE.zh, "重开", raw.get("sales_rep"), f"原案 {case_no}（规则 C11）"]
                )
            },
        )
    )
    return Outcome(
        messages=[f"已由原案 {case_no} 新建关联表单，请业务员补充后送总经理室 — new form linked to case {case_no}"],
        data={"original_case_no": case_no},
    )
