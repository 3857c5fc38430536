"""Translation between workbook records (form fields, register rows) and the domain's Routing.

Forms are read by defined name into ``{attr: value}``; register rows by header into the same
attrs, so both sides share one vocabulary (``layout.FORM_FIELDS`` / ``layout.REGISTER_COLUMNS``).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from .. import layout as L
from ..domain.problems import Problem
from ..domain.routing import Assessment, Routing, StageRecord, Status, Timeliness
from ..domain.rules import STAGE_ORDER, Market, Stage, YesNo
from ..domain.seal import canonical, chain_mac
from ..domain.validation import duplicate_key
from ..domain.values import (
    FieldReader,
    is_blank,
    parse_instant,
    to_choice,
    to_code,
    to_decimal,
    to_int,
    to_text,
)
from ..ports import Book, TableData, find_rows, read_tail


def form_version(form: Book) -> int:
    """The template version a form was made from (the opening checks refused anything else)."""
    text = to_text(form.read_names([L.META_VERSION])[L.META_VERSION])
    return int(text) if text.isascii() and text.isdigit() else int(L.FORM_VERSION)


def responsibility_rows(form: Book) -> list[dict[str, Any]]:
    """The filled rows of the form's 责任归属 table as ``{attr: value}`` (by header); none on a form
    from before the decision section (version < 3)."""
    if form_version(form) < L.DECISION_VERSION:
        return []
    table = form.read_table(L.RESPONSIBILITY_TABLE)
    attr_of = dict(zip(L.RESPONSIBILITY_HEADERS, L.RESPONSIBILITY_ATTRS, strict=True))
    records = [{attr_of[h]: v for h, v in zip(table.headers, row, strict=False) if h in attr_of} for row in table.rows]
    return [r for r in records if any(not is_blank(v) for v in r.values())]


def read_form(form: Book) -> dict[str, Any]:
    """Every field of a form, by attr, in one bulk read; fields its (older) template does not
    have read as blank."""
    fields = L.form_fields_of(form_version(form))
    values = form.read_names([f.name for f in fields])
    out: dict[str, Any] = {f.attr: None for f in L.FORM_FIELDS}
    out.update({L.FIELD_BY_NAME[name].attr: value for name, value in values.items()})
    return out


CODE_ATTRS = frozenset({"order_no", "part_no"})  # folded like the intake reads them (ＳＯ－１ → SO-1)


def typed_value(field: L.FormField, value: Any) -> Any:
    """A field's cell as the value its kind holds (issue 8): ``１２０`` → 120, `` 国外 `` → 国外,
    ``2026/9/30 9:00`` → a date-time, ``２，０００`` → 2000; prose is left as written (only trimmed).
    A value that does not read as its kind is returned unchanged: validation names it."""
    try:
        if field.kind is L.Kind.INT:
            return to_int(value)
        if field.kind is L.Kind.MONEY:
            return to_decimal(value)
        if field.kind in (L.Kind.DATETIME, L.Kind.DATE):
            parsed = parse_instant(value)
            if parsed is None:
                return None
            return parsed[0].date() if field.kind is L.Kind.DATE and isinstance(value, str) else parsed[0]
    except (ValueError, OverflowError):
        return value
    if field.kind is L.Kind.CHOICE:
        return to_choice(value, field.choices) or ((to_text(value) or None) if isinstance(value, str) else value)
    if field.attr in CODE_ATTRS:
        return to_code(value) or None
    return (to_text(value) or None) if isinstance(value, str) and field.kind is not L.Kind.LONG else value


def typed_names(fields: tuple[L.FormField, ...], raw: dict[str, Any]) -> dict[str, Any]:
    """``{defined name: typed value}`` of ``fields`` whose cell holds something else than its typed
    value (text pasted for a number or a date, spaces around a choice): what a completed section
    writes back so the form and the register hold values, not text (issue 8)."""
    out: dict[str, Any] = {}
    for field in fields:
        value = raw.get(field.attr)
        typed = typed_value(field, value)
        if type(typed) is not type(value) or typed != value:
            out[field.name] = typed
    return out


def changed_names(values: dict[str, Any], raw: dict[str, Any]) -> dict[str, Any]:
    """``{defined name: value}`` of the typed ``values`` (by attr) that the form's cells (``raw``)
    do not already hold: a date read back as its midnight, an int as an int count as held."""
    out: dict[str, Any] = {}
    for attr, value in values.items():
        before = raw.get(attr)
        if isinstance(value, date) and not isinstance(value, datetime) and isinstance(before, datetime):
            before = before.date() if before.time() == time(0) else before
        if type(before) is not type(value) or before != value:
            out[L.FIELD_BY_ATTR[attr].name] = value
    return out


def form_names(values: dict[str, Any]) -> dict[str, Any]:
    """``{attr: value}`` → ``{defined name: value}`` for ``Changes.names``."""
    return {L.FIELD_BY_ATTR[attr].name: value for attr, value in values.items()}


def locate_field(form: Book, problem: Problem) -> Problem:
    field = L.FIELD_BY_ATTR.get(problem.field or "")
    if field is None:
        return problem.at(form.label)
    return problem.at(f"{form.label} {form.locate_name(field.name)}")


def routing_from_record(rec: dict[str, Any], labels: dict[str, str]) -> tuple[Routing | None, list[Problem]]:
    """Rebuild the routing of a case from form fields or register columns (same attrs).

    Starts are not stored separately: intake starts at the customer's report and ends at the GM
    office's receipt, Quality starts at acceptance, every later stage when the previous
    non-skipped stage was done (C6); approval is due with the case (C17).
    """
    r = FieldReader(rec, labels)
    market = r.choice("market", Market, rule="C6.6")
    accepted_at = r.instant("accepted_at", required=False)
    case_due = r.instant("case_due_at", required=accepted_at is not None)
    reported_at = r.instant("reported_at", required=False)
    received_at = r.instant("received_at", required=False)
    intake_due = r.instant("intake_due_at", required=False)
    skip_rnd = to_text(rec.get("rnd_needed")) == YesNo.NO.value
    records = [StageRecord(Stage.INTAKE, reported_at, intake_due, received_at, to_text(rec.get("intake_by")))]
    start = accepted_at
    for stage in STAGE_ORDER[1:]:
        a = stage.value
        if stage is Stage.RND and skip_rnd:
            records.append(StageRecord(stage, skipped=True))
            continue
        if start is None:
            records.append(StageRecord(stage))
            continue
        due = case_due if stage is Stage.APPROVAL else r.instant(f"{a}_due_at", required=False)
        done = r.instant(f"{a}_done_at", required=False)
        records.append(StageRecord(stage, start, due, done, to_text(rec.get(f"{a}_by"))))
        start = done
    if r.problems or market is None:
        return None, r.problems
    if accepted_at is None:
        return Routing(market), []
    return Routing(market, accepted_at, case_due, tuple(records)), []


def routing_fields(routing: Routing) -> dict[str, Any]:
    """Form fields a routing fills: every stage's start, due, done and by, and the case's."""
    out: dict[str, Any] = {
        "accepted_at": routing.accepted_at,
        "case_due_at": routing.case_due,
        "status": routing.status.value,
    }
    for rec in routing.stages:
        a = rec.stage.value
        out[f"{a}_start_at"] = rec.start
        out[f"{a}_due_at"] = rec.due
        out[f"{a}_done_at"] = rec.done
        out[f"{a}_by"] = Timeliness.SKIPPED.value if rec.skipped else (rec.by or None)
    return out


def _register_attrs() -> dict[str, str]:
    """Header → attr, with the headers older registers still have for renamed columns."""
    return {**L.REGISTER_LEGACY_HEADERS, **{c.header: c.attr for c in L.REGISTER_COLUMNS}}


def register_records(table: TableData) -> list[dict[str, Any]]:
    """Register rows as ``{attr: value}`` (by header, so column order may change)."""
    attr_of = _register_attrs()
    optional = {L.COLUMN_BY_ATTR[a].header for a in L.REGISTER_OPTIONAL_ATTRS}
    renamed = {L.COLUMN_BY_ATTR[a].header for h, a in L.REGISTER_LEGACY_HEADERS.items() if h in table.headers}
    missing = [h for h in L.REGISTER_HEADERS if h not in table.headers and h not in optional | renamed]
    if missing:
        raise KeyError(f"register table {L.REGISTER_TABLE} lacks columns {missing}")
    keys = [attr_of.get(h, h) for h in table.headers]
    return [dict(zip(keys, row, strict=False)) for row in table.rows]  # C-level: 100,000 rows in 0.1 s


def find_case(register: Book, case_no: str) -> tuple[TableData, int] | None:
    """The register row holding ``case_no`` (as a one-row table) and its 0-based index: the first
    whose 客诉编号 column (by header, an older register's too) reads as ``case_no``. A click on one
    case does not read the register whole where the book can help it (:func:`ports.find_rows`)."""
    headers = read_tail(register, L.REGISTER_TABLE, 0)[0].headers
    attr_of = _register_attrs()
    header = next((h for h in headers if attr_of.get(h) == "case_no"), None)
    if header is None:
        raise KeyError(f"register table {L.REGISTER_TABLE} lacks column {L.COLUMN_BY_ATTR['case_no'].header}")
    found, indexes = find_rows(register, L.REGISTER_TABLE, header, case_no)
    if not indexes:
        return None
    return TableData(found.headers, found.rows[:1]), indexes[0]


def record_at(table: TableData, index: int) -> dict[str, Any]:
    """Body row ``index`` as ``{attr: value}`` (as :func:`register_records` makes them)."""
    return register_records(TableData(table.headers, [table.rows[index]]))[0]


def with_record(table: TableData, index: int, record: dict[str, Any]) -> list[list[Any]]:
    """The table's rows with row ``index`` replaced by ``record``; every other row as read."""
    rows = list(table.rows)
    rows[index] = register_rows(table, [record])[0]
    return rows


def open_case_keys(records: list[dict[str, Any]]) -> list[tuple[str, tuple[str, str, str] | None]]:
    """``(case_no, duplicate key)`` of every case of the register not closed (疑似重复, issue 8)."""
    return [
        (to_text(r.get("case_no")), duplicate_key(r.get("customer"), r.get("order_no"), r.get("part_no")))
        for r in records
        if to_text(r.get("case_no")) and to_text(r.get("status")) != Status.CLOSED.value
    ]


def register_rows(table: TableData, records: list[dict[str, Any]]) -> list[list[Any]]:
    """Records back to rows in the table's own column order; unknown columns keep their value."""
    attr_of = _register_attrs()
    keys = [attr_of.get(h, h) for h in table.headers]
    return [[*map(rec.get, keys)] for rec in records]


def assessment_fields(assessment: Assessment, routing: Routing, *, now: datetime) -> dict[str, Any]:
    """Register columns that a refresh recomputes."""
    current = routing.current
    open_case = routing.closed_at is None
    # issue 8: how late the case is now (open) apart from how late its finished stages were
    now_late = [assessment.case] if open_case else []
    if current is not None:
        now_late.append(assessment.stage(current.stage))
    open_minutes = max((s.overdue_minutes for s in now_late if s.timeliness is Timeliness.OVERDUE), default=0)
    done_minutes = sum(s.overdue_minutes for s in assessment.stages if s.timeliness is Timeliness.DONE_LATE)
    if assessment.case.timeliness is Timeliness.OVERDUE or (
        current and assessment.stage(current.stage).timeliness is Timeliness.OVERDUE
    ):
        timeliness = Timeliness.OVERDUE
    elif not open_case:
        timeliness = assessment.case.timeliness
    elif current and assessment.stage(current.stage).timeliness is Timeliness.DUE_SOON:
        timeliness = Timeliness.DUE_SOON
    else:
        timeliness = Timeliness.ON_TIME
    return {
        "current_stage": current.stage.zh if current else "",
        "holder": assessment.holder.value if assessment.holder else "",
        "stage_due_at": current.due if current else None,
        "closed_at": routing.closed_at,
        "status": assessment.status.value,
        "timeliness": timeliness.value,
        "overdue_hours": round(open_minutes / 60, 2) if open_minutes else None,
        "late_hours": round(done_minutes / 60, 2) if done_minutes else None,
        "refreshed_at": now,
    }


def apply_progress(
    rec: dict[str, Any], raw: dict[str, Any], routing: Routing, assessment: Assessment, *, now: datetime
) -> dict[str, Any]:
    """A register row after the form's progress (``complete -r`` and ``import``, issue 9): the
    stamps and deadlines, 需研发意见 and 责任单位 as values, 最新进展 (the last finished section's
    text), and the status at ``now``."""
    out = dict(rec)
    out.update({k: v for k, v in routing_fields(routing).items() if k in L.COLUMN_BY_ATTR})
    for attr in ("rnd_needed", "responsible_unit"):
        out[attr] = typed_value(L.FIELD_BY_ATTR[attr], raw.get(attr))
    done = [(r.done, STAGE_ORDER.index(r.stage), r.stage) for r in routing.stages if r.done is not None]
    for _, _, stage in sorted(done, reverse=True):
        text = to_text(raw.get(L.STAGE_NOTE_ATTRS.get(stage, "")))
        if text:
            cut = text if len(text) <= L.LATEST_NOTE_LENGTH else text[: L.LATEST_NOTE_LENGTH] + "…"
            out["latest_note"] = f"{stage.zh}：{cut}"
            break
    out.update(assessment_fields(assessment, routing, now=now))
    return out


def journal_rows(table: TableData, entries: list[list[Any]], *, key: bytes) -> list[list[Any]]:
    """The journal table with ``entries`` (time, user, action, case, note) appended, each chained
    to the previous entry by an HMAC-SHA-256 under the GM office's key (full 64 hex, issue 6).
    A register's older unkeyed 16-hex entries stay; the keyed chain continues from the last one."""
    rows = [list(r) for r in table.rows]
    previous = canonical(rows[-1][-1]).strip() if rows else ""
    for entry in entries:
        h = chain_mac(key, previous, entry)
        rows.append([*entry, h])
        previous = h
    return rows
