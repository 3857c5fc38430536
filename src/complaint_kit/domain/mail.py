"""Hand-over by e-mail (issue 9): who a form goes to when a stage is done, what the draft says, and
the rule that a form never leaves the company (C13: a customer must never receive it).

Pure: the directory (部门 → addresses) and the company's mail domains come from the register's
设置 (or the form's snapshot); the adapter writes the ``.eml``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from .problems import Problem, problem
from .rules import STAGE_HOLDER, Department, Stage

_ADDRESS = re.compile(r"^[^@\s<>\"',;]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)$")


def parse_domains(text: str) -> tuple[str, ...]:
    """``"hx-pcb.com, mail.hx-pcb.com"`` → the domains, lower case; ValueError for a bad one."""
    domains = tuple(d.strip().lower().lstrip("@") for d in re.split(r"[,，;；\s]+", text) if d.strip())
    for d in domains:
        if not re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", d):
            raise ValueError(f"{d!r} is not a mail domain")
    return domains


def address_domain(address: str) -> str | None:
    """The domain of a plain address ``name@host``, lower case; None when it is not one."""
    m = _ADDRESS.match(address.strip())
    return m.group(1).lower() if m else None


def inside(address: str, domains: Iterable[str]) -> bool:
    """C13: the address is the company's — its domain is one of ``domains`` or under one."""
    domain = address_domain(address)
    return domain is not None and any(domain == d or domain.endswith("." + d) for d in domains)


@dataclass(frozen=True, slots=True)
class Draft:
    """One e-mail to write as an unsent draft: plain addresses, Chinese subject and body."""

    to: tuple[str, ...]
    cc: tuple[str, ...]
    subject: str
    body: str


def check_recipients(draft: Draft, domains: tuple[str, ...]) -> list[Problem]:
    """C13: no draft without the company's domains set, none to an address outside them."""
    if not domains:
        return [problem("E-MAIL-NO-DOMAINS")]
    if not draft.to:
        return [problem("E-MAIL-NO-RECIPIENT")]
    return [problem("E-MAIL-OUTSIDE", address=a) for a in (*draft.to, *draft.cc) if not inside(a, domains)]


def handover_draft(
    *,
    case_no: str,
    customer: str,
    done: Stage,
    by: str,
    next_stage: Stage | None,
    due: datetime | None,
    case_due: datetime | None,
    directory: dict[str, tuple[str, ...]],
    attachment: str,
) -> tuple[Draft | None, list[Problem]]:
    """The mail that hands a form on after ``done`` (C6): to the department holding the next stage,
    the GM office in copy; a closed case goes back to the GM office (the register). Returns the
    problems instead when the directory has no address for the department."""
    holder = STAGE_HOLDER[next_stage] if next_stage is not None else Department.GM_OFFICE
    to = directory.get(holder.value, ())
    if not to:
        return None, [problem("W-MAIL-NO-ADDRESS", department=holder.value)]
    cc = tuple(a for a in directory.get(Department.GM_OFFICE.value, ()) if a not in to)
    if next_stage is None:
        subject = f"客诉 {case_no}（{customer}）：{done.zh}已完成，本案结案，表单请存档"
        ask = "本案已核决结案。附件为最终表单，请总经理室登记存档并安排五联分送（规则 C9）。"
    else:
        when = f"{due:%Y-%m-%d %H:%M}" if due else "（未定）"
        subject = f"客诉 {case_no}（{customer}）：请于 {when} 前完成 {next_stage.zh}"
        ask = (
            f"请 {holder.value} 于 {when} 前完成“{next_stage.zh}”一栏，签名后以“完成本阶段”交回"
            f"（规则 C6、C18；逾期将列入催办单）。"
        )
    tail = f"本案结案期限：{case_due:%Y-%m-%d %H:%M}。" if case_due else ""
    body = (
        f"{holder.value}：\n\n"
        f"客诉 {case_no}（客户：{customer}）的“{done.zh}”已由 {by} 完成。\n"
        f"{ask}\n{tail}\n\n"
        f"附件：{attachment}\n\n"
        "本邮件与附件为公司内部文件，不得转发给客户（规则 C13）。\n"
        "—— 由客诉管理工具生成的草稿，请核对后发送"
    )
    return Draft(to, cc, subject, body), []


def reminder_draft(
    *,
    department: str,
    cases: list[tuple[str, str, str]],
    now: datetime,
    directory: dict[str, tuple[str, ...]],
) -> tuple[Draft | None, list[Problem]]:
    """催办单 by mail (C18): the overdue cases a department holds, ``(case, stage, late by)``."""
    to = directory.get(department, ())
    if not to:
        return None, [problem("W-MAIL-NO-ADDRESS", department=department)]
    cc = tuple(a for a in directory.get(Department.GM_OFFICE.value, ()) if a not in to)
    lines = "\n".join(f"  · 客诉 {case}：{stage}，已逾期 {late}" for case, stage, late in cases)
    body = (
        f"{department}：\n\n截至 {now:%Y-%m-%d %H:%M}，贵部门持有的下列客诉案件已逾期（规则 C18）：\n"
        f"{lines}\n\n请即办理，并将原因及预定完成时间回复总经理室。\n\n"
        "—— 由客诉管理工具生成的草稿，请核对后发送"
    )
    subject = f"催办单：{department} 逾期客诉 {len(cases)} 件（{now:%Y-%m-%d}）"
    return Draft(to, cc, subject, body), []
