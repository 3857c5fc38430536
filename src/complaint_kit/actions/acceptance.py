"""受理: the GM office accepts a complaint form (rules C3, C6.2, C17; seals: issue 6).

The steps read like the regulation: the form must not be accepted yet and the register must be
current and signed with this office's key; the intake is checked (C4); the case gets the next
number of the month (C3); every deadline is computed from the working calendar (C6, C17); the
register gets its row, the numbering memory, the journal entry and the acceptance seal; the form
gets the number, the deadlines, the settings snapshot and its copy of the seal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .. import layout as L
from ..domain.numbering import CaseNo, SerialsExhausted, compute_next_case_no, read_last_issued
from ..domain.problems import Problem, problem
from ..domain.routing import Routing, compute_acceptance, compute_assessment
from ..domain.rules import Stage
from ..domain.seal import Seal
from ..domain.validation import Intake, check_duplicates, compute_intake, duplicate_key
from ..domain.values import is_blank, to_text
from ..ports import Book, Changes, TableData
from .context import Rules, load_rules
from .formbook import LABELS, log_rows, seal_names
from .outcome import Outcome, failed
from .records import (
    assessment_fields,
    changed_names,
    form_names,
    locate_field,
    open_case_keys,
    read_form,
    register_records,
    register_rows,
    routing_fields,
)
from .sealing import (
    acceptance_seal,
    journal_and_seals,
    read_form_seals,
    register_refusal,
)


def accept_form(
    form: Book,
    register: Book,
    *,
    now: datetime,
    user: str,
    key: bytes,
    received_at: datetime | None = None,
) -> Outcome:
    """Number the form, compute every deadline, log it in the register and write the number and
    deadlines back to the form; seal the case number, the intake, the deadlines and the settings
    snapshot with the office's key. On any error nothing is written."""
    raw = read_form(form)
    refusal = register_refusal(register, key)
    if refusal:
        return failed([refusal])
    rules, problems = load_rules(register)
    problems = _not_yet_accepted(form, raw) + problems
    intake, intake_problems = compute_intake(raw, now=now, labels=LABELS, max_quantity=rules.settings.max_quantity)
    problems += intake_problems
    if not user.strip():
        problems.append(problem("E-USER"))
    if any(p.is_error for p in problems) or intake is None:
        return failed([locate_field(form, p) if p.where is None else p for p in problems])

    table = register.read_table(L.REGISTER_TABLE)
    records = register_records(table)
    numbering, numbering_problems = _issue_case_no(register, records, now=now, rules=rules)
    if numbering is None:
        return failed(numbering_problems)
    received = received_at or now
    routing, routing_problems = compute_acceptance(
        market=intake.market,
        reported_at=intake.reported_at,
        received_at=received,
        accepted_at=now,
        sales_rep=intake.sales_rep,
        settings=rules.settings,
        calendar=rules.calendar,
    )
    if routing_problems:
        return failed([locate_field(form, p) for p in routing_problems])
    problems += _original_case_warning(raw, records)
    same = duplicate_key(intake.customer, intake.order_no, intake.part_no)
    problems += [locate_field(form, p) for p in check_duplicates(same, open_case_keys(records))]

    case_no = str(numbering.case_no)
    fields = {**routing_fields(routing), "case_no": case_no, "received_at": received, "accepted_by": user}
    typed = changed_names(intake.values(), raw)  # the intake as values, not the text pasted (issue 8)
    snapshot = rules.snapshot()
    after = {
        **{L.FIELD_BY_ATTR[a].name: v for a, v in raw.items()},
        **typed,
        **form_names(fields),
        L.META_SETTINGS: snapshot,
    }
    seal = acceptance_seal(key, values=after, case_no=case_no, at=now, by=user)
    record = _register_record(raw, intake, fields, routing, rules, now=now, form_file=form.label)
    form.apply(
        Changes(
            names={**typed, **form_names(fields), L.META_SETTINGS: snapshot, **seal_names(form, [seal])},
            tables={L.FORM_LOG_TABLE: log_rows(form, [now, "受理", "受理登记", user, f"客诉编号 {case_no}"])},
            lock={f.name for f in L.section_input_fields(Stage.INTAKE)},
        )
    )
    register.apply(
        _register_changes(register, table, record, numbering, intake, seal, key=key, now=now, user=user, form=form)
    )
    return _accepted(problems + rules.calendar_warnings(), case_no, routing)


def _not_yet_accepted(form: Book, raw: dict[str, Any]) -> list[Problem]:
    """C3: a form is numbered once. A blanked number on a sealed form does not make it new."""
    own_seals, seal_problems = read_form_seals(form)
    if is_blank(raw.get("case_no")) and not own_seals and not seal_problems:
        return []
    shown = to_text(raw.get("case_no")) or (own_seals[0].case_no if own_seals else "?")
    return [problem("E-ALREADY-ACCEPTED", field="case_no", case_no=shown)]


@dataclass(frozen=True)
class Numbering:
    """The case number issued and the numbering memory (编号台账) that records it."""

    case_no: CaseNo
    last_issued: dict[str, int]

    def serial_rows(self) -> list[list[Any]]:
        issued = {**self.last_issued, self.case_no.month_key: self.case_no.serial}
        return [[month, serial] for month, serial in sorted(issued.items())]


def _issue_case_no(
    register: Book, records: list[dict[str, Any]], *, now: datetime, rules: Rules
) -> tuple[Numbering | None, list[Problem]]:
    """C3: one past the larger of the month's memory and any number still in the register."""
    serials = register.read_table(L.SERIALS_TABLE)
    last_issued, damaged = read_last_issued(serials.rows)
    if damaged:  # a damaged numbering memory could issue a number twice
        headers = L.SERIALS_HEADERS
        return None, [p.at(register.locate_table_cell(L.SERIALS_TABLE, i, headers[c])) for i, c, p in damaged]
    width = rules.settings.case_no_serial_width
    try:
        case_no = compute_next_case_no(
            now, last_issued=last_issued, existing=[to_text(r.get("case_no")) for r in records], width=width
        )
    except SerialsExhausted as exc:
        where = _settings_cell(register, "case_no_serial_width")
        return None, [problem("E-SERIALS-EXHAUSTED", field="case_no_serial_width", where=where, detail=str(exc))]
    return Numbering(case_no, last_issued), []


def _settings_cell(register: Book, key: str) -> str | None:
    table = register.read_table(L.SETTINGS_TABLE)
    keys = [to_text(k) for k in table.column(L.SETTINGS_HEADERS[0])]
    return register.locate_table_cell(L.SETTINGS_TABLE, keys.index(key), L.SETTINGS_HEADERS[2]) if key in keys else None


def _original_case_warning(raw: dict[str, Any], records: list[dict[str, Any]]) -> list[Problem]:
    """C11: a reopened case names its original, which should be in this register."""
    original = to_text(raw.get("original_case_no"))
    if original and original not in {to_text(r.get("case_no")) for r in records}:
        return [problem("W-ORIGINAL-UNKNOWN", field="original_case_no", case_no=original)]
    return []


def _register_record(
    raw: dict[str, Any],
    intake: Intake,
    fields: dict[str, Any],
    routing: Routing,
    rules: Rules,
    *,
    now: datetime,
    form_file: str,
) -> dict[str, Any]:
    """The register row of a new case: the intake (typed), the deadlines and its status at ``now``."""
    assessment = compute_assessment(routing, now=now, settings=rules.settings, calendar=rules.calendar)
    record = dict(intake.values())
    record.update({k: v for k, v in fields.items() if k in L.COLUMN_BY_ATTR})
    record.update(assessment_fields(assessment, routing, now=now))
    original = to_text(raw.get("original_case_no"))
    record.update({"original_case_no": original or None, "form_file": form_file, "rnd_needed": None})
    return record


def _register_changes(
    register: Book,
    table: TableData,
    record: dict[str, Any],
    numbering: Numbering,
    intake: Intake,
    seal: Seal,
    *,
    key: bytes,
    now: datetime,
    user: str,
    form: Book,
) -> Changes:
    """The new row, the numbering memory, the journal entry and the seal, in one write."""
    case_no = str(numbering.case_no)
    return Changes(
        tables={
            L.REGISTER_TABLE: [*table.rows, *register_rows(table, [record])],  # the rows as read, and the new one
            L.SERIALS_TABLE: numbering.serial_rows(),
            **journal_and_seals(
                register,
                [[now, user, L.JOURNAL_ACCEPT, case_no, f"{intake.customer} {form.label}"]],
                key=key,
                now=now,
                user=user,
                seals=[seal],
            ),
        }
    )


def _accepted(problems: list[Problem], case_no: str, routing: Routing) -> Outcome:
    q_due, c_due = f"{routing.record(Stage.QUALITY).due:%Y-%m-%d %H:%M}", f"{routing.case_due:%Y-%m-%d %H:%M}"
    return Outcome(
        problems,
        [
            f"已受理，客诉编号 {case_no}；品管分析期限 {q_due}；结案期限 {c_due}"
            f" — accepted as case {case_no}; quality due {q_due}; case due {c_due}"
        ],
        {"case_no": case_no, "case_due": routing.case_due},
    )
