"""完成本阶段: a department finishes its section of an accepted form (rules C6, C7; seals: issue 6).

The steps read like the regulation: the form must be accepted (C6.2) and unaltered since it was
sealed — checked against the register's signed seals and deadlines when the GM office has the
register at hand (they are the truth), else against the form's own copy; the stage is the one
that is open; its section must be filled (C7); it is stamped, the next stage starts with its
deadline (R&D skipped when Quality says it is not needed, C6.5: the R&D section then reads 不适用)
and the section is locked (a skipped R&D section with it); with the register, the stage is sealed
and the register row, journal and seals are updated too.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from .. import layout as L
from ..domain.authority import ApprovalLevel, check_approver, compute_required_level
from ..domain.problems import Problem, problem
from ..domain.routing import Routing, compute_assessment, compute_completion
from ..domain.rules import Stage
from ..domain.seal import Seal
from ..domain.validation import check_section, rnd_needed
from ..domain.values import is_blank, to_decimal, to_text
from ..ports import Book, Changes, TableChange, TableRows
from .context import Rules, form_rules
from .decision import check_consolidation, read_staff, responsibility_records, typed_responsibility_body
from .formbook import LABELS, log_rows, seal_names
from .outcome import Outcome, failed
from .records import (
    apply_progress,
    find_case,
    form_names,
    form_version,
    locate_field,
    read_form,
    record_at,
    routing_fields,
    routing_from_record,
    typed_names,
    typed_value,
    with_record,
)
from .sealing import (
    case_seals,
    check_deadlines,
    check_form_keyless,
    check_form_with_register,
    completion_seal,
    form_values,
    has_signatures,
    has_table,
    journal_and_seals,
    old_register_problem,
    responsibility_text_of,
)


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
    """Complete ``stage`` (``None``: whichever is open — the ribbon button; the CLI names it) in
    the name of ``by``; with ``register`` (and then ``key``) the register is updated and the stage
    sealed. On any error nothing is written."""
    if register is not None and key is None:
        raise ValueError("complete_stage with a register needs the signing key")
    by, user = by.strip(), user.strip() if user else user  # names typed with spaces (issue 8)
    raw = read_form(form)
    rules = form_rules(form)
    if rules is None or is_blank(raw.get("case_no")):
        return failed([locate_field(form, problem("E-NOT-ACCEPTED", field="case_no", rule="C6.2"))])
    routing, problems = routing_from_record(raw, LABELS)
    if routing is None:
        return failed([locate_field(form, p) for p in problems])
    values = form_values(form)
    tamper = _altered_since_sealed(form, values, routing, rules, register=register, key=key)
    if any(p.is_error for p in tamper):
        return failed(tamper)
    if stage is None:
        if routing.current is None:
            return failed([locate_field(form, problem("E-CLOSED", field="status"))])
        stage = routing.current.stage
    updated, problems = _stamp(routing, stage, raw, by=by, now=now, rules=rules)
    located = tamper + [locate_field(form, p) for p in problems]
    case_no = to_text(raw["case_no"])
    decided, filled, responsibility, found = check_decision_stage(
        form, raw, stage, register=register, now=now, rules=rules
    )
    located += found
    not_applicable, also_locked = _skipped_sections(form, raw, stage, updated)
    filled = {**filled, **not_applicable}
    level, found = check_approval_stage(raw, stage, register=register, by=by, rules=rules)
    decided.update(level)
    located += [locate_field(form, p) if p.where is None else p for p in found]

    register_changes: Changes | None = None
    names: dict[str, Any] = {}
    # the section's cells as values, not pasted text (issue 8), sealed and written as such
    typed = typed_names(L.section_input_fields(stage, form_version(form)), raw)
    tables: dict[str, list[list[Any]]] = {}
    sealed_rows: dict[str, str] = {}
    if responsibility:  # consolidation: the 责任归属 rows as read (`６０%` a fraction), sealed so
        body = typed_responsibility_body(form.read_table(L.RESPONSIBILITY_TABLE), responsibility)
        if body is not None:
            tables[L.RESPONSIBILITY_TABLE] = body
            sealed_rows[L.RESPONSIBILITY_TABLE] = responsibility_text_of([r[1:] for r in responsibility])
    if register is not None and key is not None and not any(p.is_error for p in located):
        sealed = case_seals(register, case_no)
        after = {**values, **typed, **sealed_rows, **form_names(routing_fields(updated)), **filled}
        seal = completion_seal(key, stage=stage, values=after, routing=updated, sealed=sealed, at=now, by=user or by)
        names = seal_names(form, [*sealed, seal])
        register_changes, found = _register_update(
            register,
            case_no,
            raw,
            updated,
            rules,
            seal,
            key=key,
            now=now,
            user=user or by,
            note=f"{stage.zh} 完成，经办人 {by}",
            decided=decided,
            responsibility=responsibility,
        )
        located += found
    if any(p.is_error for p in located):
        return failed(located)

    form.apply(
        Changes(
            names={**typed, **form_names(routing_fields(updated)), **filled, **names},
            tables={L.FORM_LOG_TABLE: log_rows(form, [now, stage.zh, "完成", by, ""]), **tables},
            lock={f.name for f in L.section_input_fields(stage, form_version(form))} | also_locked,
        )
    )
    if register is not None and register_changes is not None:
        register.apply(register_changes)
    return _completed(located + rules.calendar_warnings(), case_no, stage, updated)


def _altered_since_sealed(
    form: Book, values: dict[str, Any], routing: Routing, rules: Rules, *, register: Book | None, key: bytes | None
) -> list[Problem]:
    """Issue 6: with the register, its signed seals and deadlines are the truth; without it, the
    form's own copy of its seals. Deadlines are also recomputed from the stamps and the snapshot."""
    if register is not None and key is not None:
        if not has_signatures(register):
            return [old_register_problem(register)]
        found = check_form_with_register(form, values, register, key)
    else:
        found, _ = check_form_keyless(form, values)
    return found + check_deadlines(form, routing, rules)


def check_decision_stage(
    form: Book, raw: dict[str, Any], stage: Stage, *, register: Book | None, now: datetime, rules: Rules
) -> tuple[dict[str, Any], dict[str, Any], list[list[Any]] | None, list[Problem]]:
    """Issue 7: consolidation needs the whole decision (C8, C16, P1, E1, E2); the roster is the
    register's (none without it). Returns the register columns the stage fills, the form fields the
    kit fills (损失金额 of a resold lot, P1), the case's 责任明细 rows (None: not this stage) and
    the problems."""
    if stage is not Stage.CONSOLIDATION:
        return {}, {}, None, []
    version = form_version(form)
    if version < L.DECISION_VERSION:  # a form made before the decision section (in circulation)
        return {}, {}, None, [problem("W-NO-DECISION-SECTION", field="gm_opinion", version=version)]
    staff, found = read_staff(register) if register is not None else (None, [])
    if found:
        return {}, {}, None, found
    if register is not None and not has_table(register, L.CASE_RESPONSIBILITY_TABLE):
        found = [problem("E-REGISTER-NEEDS-UPGRADE", where=register.label, sheet=L.CASE_RESPONSIBILITY_SHEET)]
    decision, loss, problems = check_consolidation(
        form, raw, staff=staff, decided_on=now.date(), window_months=rules.settings.resale_window_months
    )
    filled = {"LossAmount": loss} if loss is not None else {}
    rows = responsibility_records(to_text(raw.get("case_no")), decision) if decision is not None else []
    # as the form holds them: the register's copy is compared with the sealed section (verify)
    columns = {
        attr: loss if attr == "loss_amount" and loss is not None else typed_value(L.FIELD_BY_ATTR[attr], raw.get(attr))
        for attr in ("handling", "loss_amount")
    }
    return columns, filled, rows, found + problems


def _skipped_sections(
    form: Book, raw: dict[str, Any], stage: Stage, routing: Routing
) -> tuple[dict[str, Any], set[str]]:
    """C6.5: when Quality's completion skips R&D (需研发意见 否), the R&D section is finished with it:
    its blank text fields read 不适用 (text someone typed anyway is kept) and it is locked, so the
    printed form shows a closed, greyed section rather than an empty input. Returns the names to
    write and the names to lock; nothing for any other stage or when R&D is needed."""
    skipped = any(r.stage is Stage.RND and r.skipped for r in routing.stages)
    if stage is not Stage.QUALITY or not skipped:
        return {}, set()
    fields = L.section_input_fields(Stage.RND, form_version(form))
    text_kinds = (L.Kind.TEXT, L.Kind.LONG)
    filled = {f.name: L.NOT_APPLICABLE for f in fields if f.kind in text_kinds and is_blank(raw.get(f.attr))}
    return filled, {f.name for f in fields}


def check_approval_stage(
    raw: dict[str, Any], stage: Stage, *, register: Book | None, by: str, rules: Rules
) -> tuple[dict[str, Any], list[Problem]]:
    """C10: the approver's 核决级别 in the register's roster must reach the level the loss needs
    (the authority table in 设置). Without the register it is checked at the GM office; with an
    empty roster (an office that has not filled 人员 yet) it cannot be checked and says so."""
    if stage is not Stage.APPROVAL:
        return {}, []
    if register is None:
        return {}, [problem("W-APPROVER-NOT-CHECKED")]
    staff, found = read_staff(register)
    if found:
        return {}, found
    loss = max(to_decimal(raw.get("loss_amount")) or Decimal(0), Decimal(0))
    table = rules.settings.authority_table()
    required = compute_required_level(loss, table=table)
    if not staff:
        return {"approval_level": required.value}, [problem("W-ROSTER-EMPTY", required=required.value)]
    member = next((m for m in staff if m.name == by.strip()), None)
    level = ApprovalLevel(member.approval_level) if member is not None and member.approval_level else None
    return {"approval_level": required.value}, check_approver(loss, approver=by, level=level, table=table)


def _stamp(
    routing: Routing, stage: Stage, raw: dict[str, Any], *, by: str, now: datetime, rules: Rules
) -> tuple[Routing, list[Problem]]:
    """C6: the open stage only, done by someone; C7: its section filled (not asked of a stage that
    is not open — the clerk is told which one is)."""
    updated, problems = compute_completion(
        routing, stage, by=by, now=now, rnd_needed=rnd_needed(raw), settings=rules.settings, calendar=rules.calendar
    )
    if any(p.code == "E-WRONG-STAGE" for p in problems):
        return updated, problems
    return updated, check_section(stage, raw, labels=LABELS) + problems


def _register_update(
    register: Book,
    case_no: str,
    raw: dict[str, Any],
    routing: Routing,
    rules: Rules,
    seal: Seal,
    *,
    key: bytes,
    now: datetime,
    user: str,
    note: str,
    decided: dict[str, Any],
    responsibility: list[list[Any]] | None,
) -> tuple[Changes | None, list[Problem]]:
    """The case's register row with the new routing and its status at ``now``, the journal entry
    and the stage's seal."""
    found = find_case(register, case_no)  # the case's row alone, not the register's 10,000 (issue 10)
    if found is None:
        return None, [problem("E-NOT-IN-REGISTER", field="case_no", where=register.label, case_no=case_no)]
    row, index = found
    assessment = compute_assessment(routing, now=now, settings=rules.settings, calendar=rules.calendar)
    record = apply_progress({**record_at(row, 0), **decided}, raw, routing, assessment, now=now)
    journal = journal_and_seals(
        register, [[now, user, "阶段完成", case_no, note]], key=key, now=now, user=user, seals=[seal]
    )
    tables: dict[str, TableChange] = {L.REGISTER_TABLE: TableRows({index: with_record(row, 0, record)[0]}), **journal}
    if responsibility is not None:  # consolidation: the case's rows replace any earlier ones
        kept = [r for r in register.read_table(L.CASE_RESPONSIBILITY_TABLE).rows if to_text(r[0]) != case_no]
        tables[L.CASE_RESPONSIBILITY_TABLE] = kept + responsibility
    return Changes(tables=tables), []


def _completed(problems: list[Problem], case_no: str, stage: Stage, updated: Routing) -> Outcome:
    nxt = updated.current
    due = f"{nxt.due:%Y-%m-%d %H:%M}" if nxt and nxt.due else ""
    tail = (
        f"下一阶段：{nxt.stage.zh}，期限 {due} — next: {nxt.stage.value}, due {due}"
        if nxt and nxt.due
        else "本案已结案 — the case is closed"
    )
    return Outcome(
        problems,
        [f"客诉 {case_no}：{stage.zh} 已完成 — case {case_no}: {stage.value} done. {tail}"],
        {"case_no": case_no, "status": updated.status.value, "stage": stage.value},
    )
