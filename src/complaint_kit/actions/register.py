"""Actions on the GM office's register: refresh every case's status at ``now`` and issue the
催办单 reminders, grouped by the department holding each overdue case (C18)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from datetime import datetime
from typing import Any

from .. import layout as L
from ..domain.routing import Status, Timeliness, compute_assessment, format_working
from ..domain.values import to_text
from ..ports import Book, Changes
from .context import load_rules
from .open_cases import open_cases_sheet
from .outcome import Outcome, failed
from .records import assessment_fields, register_records, register_rows, routing_from_record
from .reminders import reminder_sheet
from .sealing import journal_and_seals, register_refusal

REGISTER_LABELS = {c.attr: c.header for c in L.REGISTER_COLUMNS}


def refresh_register(register: Book, *, now: datetime, user: str, key: bytes, closed: bool = False) -> Outcome:
    """Every open case's status at ``now`` (C18) and the 催办单; like every register write it needs
    a register with its 签章 table signed with this office's key (issue 6).

    A closed case's 时效 and hours no longer depend on ``now``: they are kept as computed when it
    closed (its row already says 按时完成/逾期完成), so a refresh of 100,000 cases judges the 13 %
    still open. ``closed=True`` (``refresh --all``) judges the closed ones again too — after the
    company's 日历 or the holidays changed."""
    refusal = register_refusal(register, key)
    if refusal is not None:
        return failed([refusal])
    rules, problems = load_rules(register)
    if any(p.is_error for p in problems):
        return failed(problems)
    table = register.read_table(L.REGISTER_TABLE)
    records = register_records(table)
    reminders: dict[str, list[list[Any]]] = defaultdict(list)
    counts: Counter[str] = Counter()
    for i, rec in enumerate(records):
        case_no = to_text(rec.get("case_no"))
        if not case_no:
            continue
        if not closed and rec.get("status") == Status.CLOSED.value and to_text(rec.get("timeliness")):
            counts[Status.CLOSED.value] += 1  # judged when it closed (see above)
            continue
        routing, found = routing_from_record(rec, REGISTER_LABELS)
        for p in found:
            header = REGISTER_LABELS.get(p.field or "", L.REGISTER_HEADERS[0])
            where = register.locate_table_cell(L.REGISTER_TABLE, i, header)
            problems.append(replace(p, zh=f"客诉 {case_no}：{p.zh}", en=f"case {case_no}: {p.en}", where=where))
        if routing is None or routing.accepted_at is None:
            continue
        assessment = compute_assessment(routing, now=now, settings=rules.settings, calendar=rules.calendar)
        fields = assessment_fields(assessment, routing, now=now)
        rec.update(fields)
        counts[fields["status"]] += 1
        if fields["timeliness"] == Timeliness.OVERDUE.value and routing.current is not None:
            current = routing.current
            late = max(assessment.stage(current.stage).overdue_minutes, assessment.case.overdue_minutes)
            counts["overdue"] += 1
            reminders[fields["holder"]].append(
                [
                    case_no,
                    rec.get("customer"),
                    rec.get("market"),
                    current.stage.zh,
                    current.due,
                    format_working(late, rules.calendar.day_minutes),
                    routing.case_due,
                    rec.get("form_file"),
                ]
            )
    if any(p.is_error for p in problems):
        return failed(problems)
    note = f"处理中 {counts['处理中']}，待核决 {counts['待核决']}，已结案 {counts['已结案']}，逾期 {counts['overdue']}"
    register.apply(
        Changes(
            tables={
                L.REGISTER_TABLE: register_rows(table, records),
                **journal_and_seals(register, [[now, user, "刷新", None, note]], key=key, now=now, user=user),
            },
            sheets={
                L.REMINDER_SHEET: reminder_sheet(reminders, now=now),
                L.OPEN_CASES_SHEET: open_cases_sheet(records, now=now),
            },
        )
    )
    problems += rules.calendar_warnings()
    by_department = {dept: len(rows) for dept, rows in reminders.items()}
    cases = {dept: [(str(r[0]), str(r[3]), str(r[5])) for r in sorted(rows)] for dept, rows in reminders.items()}
    return Outcome(
        problems,
        [
            f"已刷新 {sum(counts[s] for s in L.SUMMARY_STATUSES)} 件：{note}"
            f" — refreshed: open {counts['处理中']}, awaiting approval {counts['待核决']}, closed {counts['已结案']},"
            f" overdue {counts['overdue']}",
        ],
        {"counts": dict(counts), "reminders": by_department, "overdue_cases": cases},
    )
