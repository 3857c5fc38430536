"""Hand-over by e-mail (issue 9): after a stage is completed, the draft to the department holding
the next stage (the GM office in copy), addressed from the register's 邮件通讯录 or — a department
without the register — from the snapshot the form carries since its acceptance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .. import layout as L
from ..domain.mail import Draft, check_recipients, handover_draft, reminder_draft
from ..domain.problems import Problem
from ..domain.rules import Stage
from ..domain.values import to_text
from ..ports import Book
from .context import Rules, form_rules, load_rules
from .formbook import LABELS
from .records import read_form, routing_from_record


@dataclass(frozen=True)
class MailPlan:
    """One draft to write: its ``.eml`` file name and the name its attachment (a copy of the form)
    is mailed under, if any."""

    draft: Draft
    eml_name: str
    attachment_name: str | None


def mail_rules(form: Book, register: Book | None) -> Rules | None:
    """The register's rules when it is at hand (its 通讯录 is current), else the form's snapshot."""
    return load_rules(register)[0] if register is not None else form_rules(form)


def plan_handover(form: Book, *, done: Stage, by: str, rules: Rules | None) -> tuple[MailPlan | None, list[Problem]]:
    """The hand-over draft for a form whose ``done`` stage was just completed. No plan and no
    problem when the office has no 邮件通讯录 (mail not set up); C13 refusals otherwise."""
    if rules is None or not rules.directory:
        return None, []
    raw = read_form(form)
    routing, _ = routing_from_record(raw, LABELS)
    if routing is None:
        return None, []
    case_no, customer = to_text(raw.get("case_no")), to_text(raw.get("customer"))
    attachment = L.handover_file_name(case_no, customer, done.zh)
    nxt = routing.current
    draft, problems = handover_draft(
        case_no=case_no,
        customer=customer,
        done=done,
        by=by,
        next_stage=nxt.stage if nxt else None,
        due=nxt.due if nxt else None,
        case_due=routing.case_due,
        directory=rules.directory,
        attachment=attachment,
    )
    if draft is None:
        return None, problems
    refused = check_recipients(draft, rules.settings.mail_domain_list())
    plan = MailPlan(draft, f"{attachment.removesuffix('.xlsx')}.eml", attachment)
    return (None, refused) if refused else (plan, problems)


def plan_reminders(
    overdue_cases: dict[str, list[tuple[str, str, str]]], *, rules: Rules, now: datetime
) -> tuple[dict[str, MailPlan], list[Problem]]:
    """催办单 by mail (C18): one draft per department holding overdue cases."""
    plans: dict[str, MailPlan] = {}
    problems: list[Problem] = []
    for department in sorted(overdue_cases):
        draft, found = reminder_draft(
            department=department, cases=overdue_cases[department], now=now, directory=rules.directory
        )
        problems += found
        if draft is None:
            continue
        refused = check_recipients(draft, rules.settings.mail_domain_list())
        problems += refused
        if not refused:
            plans[department] = MailPlan(draft, L.reminder_mail_name(department, f"{now:%Y-%m-%d}"), None)
    return plans, problems
