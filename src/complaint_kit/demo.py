"""``complaint-kit demo``: two months of an office's complaints, scripted and reproducible.

Thirty-odd cases are reported between 1 Sep and 31 Oct 2026 (across the National Day holiday
and its make-up working days), domestic and foreign, most on time, some late, one reopened by a
customer who rejects the decision (C11). Every step goes through the same action functions the
CLI commands call; the demo only plays the clerks who type into the forms. At the end the
register is refreshed at 2026-11-02 10:00, a summary is printed and the workbooks are saved.
"""

from __future__ import annotations

import hashlib
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from . import layout as L
from .actions.context import Rules
from .actions.forms import accept_form, complete_stage, new_form, reopen_form, validate_form
from .actions.handover import mail_rules, plan_handover
from .actions.month import run_month
from .actions.outcome import Outcome
from .actions.records import register_records
from .actions.register import refresh_register
from .adapters.mail import write_handover
from .adapters.openpyxl_book import OpenpyxlBook, save_all
from .adapters.report import write_report
from .console import import_table, progress
from .demo_service import run_service_demo
from .domain.ledger import Month
from .domain.rules import CustomerRequest, Market, Stage
from .domain.settings import Settings
from .importer import import_files
from .ports import Changes
from .templates import template_dir

DEMO_NOW = datetime(2026, 11, 2, 10, 0)
# The demo signs with its own key, kept in its own folder (never ~/.complaint_kit): derived from a
# public phrase so the demo register is reproducible. It protects nothing; a real office runs
# ``complaint-kit keys init``.
DEMO_KEY = hashlib.sha256(b"complaint-kit demo key - public, protects nothing").digest()
DEMO_KEY_FILE = "demo-signing.key"
MARKER = ".complaint-kit-demo"
GM_CLERK = "总经理室-王静"

CUSTOMERS = (
    ("华星光电", Market.DOMESTIC),
    ("深南电路", Market.DOMESTIC),
    ("立讯精密", Market.DOMESTIC),
    ("比亚迪电子", Market.DOMESTIC),
    ("欣兴电子", Market.DOMESTIC),
    ("Bosch Automotive", Market.FOREIGN),
    ("Flex Ltd.", Market.FOREIGN),
    ("Jabil Circuit", Market.FOREIGN),
    ("Continental AG", Market.FOREIGN),
)
SALES = ("业务-李强", "业务-陈芳", "业务-赵磊")
DEFECTS = ("孔铜厚度不足", "阻焊起泡", "线路短路", "板翘超标", "金面氧化", "字符偏移", "开路")
HANDLERS = {
    Stage.QUALITY: "品管-张敏",
    Stage.MANUFACTURING: "制造-刘洋",
    Stage.RND: "研发-周杰",
    Stage.NEGOTIATION: "业务-李强",
    Stage.CONSOLIDATION: GM_CLERK,
    Stage.APPROVAL: "副总-孙涛",
}


# 人员 (table Staff): the people and units the demo's decisions name (E1–E6, C10)
STAFF = (
    ("品管-张敏", "质量管理部", "", 3, 2000, ""),
    ("制造-刘洋", "制造部", "电镀二组", 4, 2400, ""),
    ("王五", "制造部", "电镀二组", 2, 1600, ""),
    ("赵六", "制造部", "电镀二组", 2, 1600, ""),
    ("钱七", "制造部", "电镀一组", 2, 1600, ""),
    ("业务-李强", "业务部", "", 3, 2200, ""),
    ("业务-陈芳", "业务部", "", 3, 2200, ""),
    ("业务-赵磊", "业务部", "", 3, 2200, ""),
    ("业务经理-郑伟", "业务部", "", 5, 3000, "业务经理"),
    ("副总-孙涛", "总经理室", "", 8, 5000, "副总经理"),
)


@dataclass
class Plan:
    """One case of the story: when things happen, and what the clerks type."""

    seq: int
    customer: str
    market: Market
    reported_at: datetime
    received_at: datetime
    late_stages: set[Stage]
    rnd_needed: bool
    intake: dict[str, Any]
    reopen_of: int | None = None
    stalled: Stage | None = None
    done: dict[Stage, datetime] = field(default_factory=dict)


def _stage_minutes(
    stage: Stage, market: Market, settings: Settings, day: int, *, late: bool, rng: random.Random
) -> int:
    days = settings.stage_limits()[stage].days(market)
    limit = int((days or 1) * day)
    ratio = rng.uniform(1.3, 2.6) if late else rng.uniform(0.25, 0.9)
    return max(30, int(limit * ratio))


def make_plans(rules: Rules, *, seed: int = 20260901) -> list[Plan]:
    """The cases of the story with their timetable on the working calendar."""
    rng = random.Random(seed)
    cal = rules.calendar
    plans: list[Plan] = []
    day = datetime(2026, 9, 1)
    seq = 0
    while day < datetime(2026, 11, 1):
        if cal.is_working_day(day.date()) and rng.random() < 0.9:
            seq += 1
            customer, market = CUSTOMERS[rng.randrange(len(CUSTOMERS))]
            reported = cal.add(datetime.combine(day.date(), cal.windows[0].start), rng.randrange(0, 420))
            late_intake = rng.random() < 0.12
            received = cal.add(reported, rng.randrange(300, 600) if late_intake else rng.randrange(30, 200))
            late = {s for s in (Stage.QUALITY, Stage.MANUFACTURING, Stage.NEGOTIATION) if rng.random() < 0.15}
            # In October some departments let a form lie: those cases are overdue at the end.
            stalled = (
                rng.choice((Stage.QUALITY, Stage.MANUFACTURING, Stage.CONSOLIDATION))
                if day.month == 10 and rng.random() < 0.25
                else None
            )
            ship_qty = rng.choice((500, 1200, 2000, 5000, 8000))
            request = rng.choice(list(CustomerRequest))
            intake = {
                "Customer": customer,
                "Market": market.value,
                "SalesRep": rng.choice(SALES),
                "ReportedAt": reported,
                "OrderNo": f"SO{2600000 + seq * 37}",
                "PartNo": f"PCB-{4100 + rng.randrange(80)}-A",
                "ShipDate": (reported - timedelta(days=rng.randrange(5, 30))).date(),
                "ShipQty": ship_qty,
                "DefectQty": rng.randrange(5, ship_qty // 10),
                "CustomerRequest": request.value,
                "RequestQty": None if request is CustomerRequest.UNDETERMINED else rng.randrange(5, ship_qty // 10),
                "Description": f"客户反映{rng.choice(DEFECTS)}，批量不良。",
            }
            plans.append(
                Plan(seq, customer, market, reported, received, late, rng.random() < 0.5, intake, stalled=stalled)
            )
        day += timedelta(days=1)
    for plan in plans:
        _schedule(plan, rules, rng)
    # The customer of one decided September case rejects the decision (C11).
    parent = next(
        p
        for p in plans
        if p.market is Market.DOMESTIC and Stage.APPROVAL in p.done and p.done[Stage.APPROVAL] < datetime(2026, 9, 25)
    )
    reopened_at = cal.add(parent.done[Stage.APPROVAL], 2 * cal.day_minutes)
    child = Plan(
        len(plans) + 1,
        parent.customer,
        parent.market,
        reopened_at,
        cal.add(reopened_at, 90),
        set(),
        False,
        {},
        reopen_of=parent.seq,
    )
    _schedule(child, rules, rng)
    plans.append(child)
    return plans


def _schedule(plan: Plan, rules: Rules, rng: random.Random) -> None:
    cal, settings = rules.calendar, rules.settings
    start = plan.received_at + timedelta(minutes=10)
    plan.done[Stage.INTAKE] = start  # accepted
    for stage in (
        Stage.QUALITY,
        Stage.MANUFACTURING,
        Stage.RND,
        Stage.NEGOTIATION,
        Stage.CONSOLIDATION,
        Stage.APPROVAL,
    ):
        if stage is Stage.RND and not plan.rnd_needed:
            continue
        if stage is plan.stalled:
            minutes = 30 * cal.day_minutes
        elif stage is Stage.APPROVAL:
            minutes = rng.randrange(60, 600)
        else:
            minutes = _stage_minutes(
                stage, plan.market, settings, cal.day_minutes, late=stage in plan.late_stages, rng=rng
            )
        start = cal.add(start, minutes)
        plan.done[stage] = start


def _section_values(stage: Stage, plan: Plan, rng: random.Random) -> dict[str, Any]:
    if stage is Stage.QUALITY:
        return {
            "QualityCause": "切片分析确认为电镀参数偏低导致。",
            "ResponsibleUnit": rng.choice(("制造部", "制造部", "供应商", "业务部")),
            "RnDNeeded": "是" if plan.rnd_needed else "否",
        }
    if stage is Stage.MANUFACTURING:
        return {
            "MfgCause": "电镀线电流密度设定偏低。",
            "MfgCountermeasure": "修订作业指导书并加严首件检验。",
            "ProductionUnit": "电镀二组",
            "MachineShift": "VCP-2 / 夜班",
            "Operators": "王五、赵六",
            "ProductionDate": (plan.reported_at - timedelta(days=20)).date(),
        }
    if stage is Stage.RND:
        return {"RnDOpinion": "建议调整叠构设计余量。"}
    if stage is Stage.NEGOTIATION:
        return {"NegotiationResult": "客户同意折让 3%，不良品退回重工。"}
    if stage is Stage.CONSOLIDATION:
        return _decision(plan)
    return {"ApprovalOpinion": "同意。"}


def _decision(plan: Plan) -> dict[str, Any]:
    """Section 七 as the GM office decides it (C8, C16, P1): a mix of handlings, one complaint
    invalid in seven, and every tenth case a returned lot resold within the month, whose loss the
    kit computes as the price difference (the clerk leaves 损失金额 blank)."""
    if plan.seq % 7 == 0:
        return {"GMOpinion": "经查为客户端组装不良，投诉不成立，货款照常收取。", "Handling": "不成立"}
    handling = ("退货", "重工", "折让", "换货", "赔偿")[plan.seq % 5]
    values: dict[str, Any] = {
        "GMOpinion": f"同意业务协商结果（{handling}），责任归属制造部电镀二组，纳入改善追踪。",
        "Handling": handling,
        "LossAmount": 300 + 85 * plan.seq,
        "ImprovementTracked": "是",
        "ResaleStatus": "未转售" if handling in ("退货", "换货") else "不适用",
        "ApprovedQty": plan.intake.get("DefectQty", 40),  # a reopened case keeps its quantities
    }
    if plan.seq % 10 == 0:  # P1: resold within the month → (A-grade − resale price) × quantity
        resold_on = plan.done[Stage.NEGOTIATION].date()
        values.update(
            LossAmount=None,
            ResaleStatus="已转售",
            ResaleAmount=9.2,
            GradeAPrice=12.5,
            ResaleQty=plan.intake.get("DefectQty", 40),
            ResaleDate=datetime(resold_on.year, resold_on.month, resold_on.day),
        )
    return values


def _responsibility(plan: Plan) -> list[list[Any]]:
    """The responsibility rows (责任类型 部门 单位 责任人 责任比例 处分 处分基数 原因类别; E1, E2)."""
    if plan.seq % 7 == 0:
        return []
    if plan.seq % 3 == 0:  # a wrong shipment by Sales: shared, with a warning for the person (P3 cause 10)
        sales = plan.intake["SalesRep"]
        return [
            ["单位", "制造部", "电镀二组", None, 0.6, None, None, "品质"],
            ["个人", "业务部", None, sales, 0.4, "警告", None, "10"],
        ]
    if plan.seq % 11 == 0:  # rejects mixed into good stock (P3 cause 4): the operator, a minor demerit
        return [
            ["单位", "制造部", "电镀二组", None, 0.5, None, None, "品质"],
            ["个人", "制造部", "电镀一组", "钱七", 0.5, "小过", 1, "4"],
        ]
    return [["单位", "制造部", "电镀二组", None, 1, None, None, "品质"]]


MAIL_DOMAIN = "hx-pcb.example"  # the demo company's mail domain (C13: forms go only there)
MAILBOXES = (
    ("质量管理部", "张敏", f"zhang.min@{MAIL_DOMAIN}"),
    ("制造部", "刘洋", f"liu.yang@{MAIL_DOMAIN}"),
    ("研发部", "周杰", f"zhou.jie@{MAIL_DOMAIN}"),
    ("业务部", "李强", f"li.qiang@{MAIL_DOMAIN}"),
    ("总经理室", "王静", f"wang.jing@{MAIL_DOMAIN}"),
)


def _set_mail(register: OpenpyxlBook) -> None:
    """What the GM office types on 设置 before mailing forms: the domain and the 邮件通讯录."""
    rows = [list(r) for r in register.read_table(L.SETTINGS_TABLE).rows]
    for row in rows:
        if row[0] == "mail_domains":
            row[2] = MAIL_DOMAIN
    register.apply(Changes(tables={L.SETTINGS_TABLE: rows, L.MAILBOXES_TABLE: [list(m) for m in MAILBOXES]}))


def _mail_round_trip(
    folder: Path, register: OpenpyxlBook, forms: dict[int, OpenpyxlBook], key: bytes, echo: Callable[[str], None]
) -> int:
    """Issue 9 in the story: Quality completes an open case on the form alone, the kit writes the
    hand-over draft (发件/) to 制造部 with the GM office in copy; the GM office saves the mail it got
    into 收件 and imports it — the register learns the stage. Returns the case's form number."""
    records = register_records(register.read_table(L.REGISTER_TABLE))
    rec = next(r for r in records if r.get("current_stage") == Stage.QUALITY.zh)
    seq = next(s for s, book in forms.items() if book.path is not None and book.path.name == rec["form_file"])
    form = OpenpyxlBook.open(forms[seq].path or folder)
    _type_in(form, {"QualityCause": "外观检验确认为运输挤压变形。", "ResponsibleUnit": "成品仓储", "RnDNeeded": "否"})
    when = DEMO_NOW - timedelta(minutes=30)
    _check(complete_stage(form, stage=Stage.QUALITY, by=HANDLERS[Stage.QUALITY], now=when), echo)
    form.save()
    plan, problems = plan_handover(form, done=Stage.QUALITY, by=HANDLERS[Stage.QUALITY], rules=mail_rules(form, None))
    if plan is None:
        raise RuntimeError("demo step failed: no hand-over draft: " + "; ".join(p.render() for p in problems))
    assert form.path is not None
    outbox = form.path.parent / L.OUTBOX_DIR
    eml = write_handover(
        outbox, plan.draft, eml_name=plan.eml_name, form=form.path, attachment_name=plan.attachment_name
    )
    echo(f"演示：品管完成后的交接邮件草稿 — demo hand-over draft to {', '.join(plan.draft.to)}: {eml}")
    inbox = folder / L.INBOX_DIR
    inbox.mkdir(exist_ok=True)
    (inbox / eml.name).write_bytes(eml.read_bytes())  # the GM office's copy of the mail, saved into 收件
    book = OpenpyxlBook.open(folder / L.REGISTER_FILE)
    outcome, lines = import_files(
        book, folder, [inbox / eml.name], now=DEMO_NOW, user=GM_CLERK, key=key, commit=lambda: _save(book)
    )
    _check(outcome, echo)
    echo(import_table(outcome.data["results"]))
    for line in lines:
        echo(line)
    return seq


def _save(book: OpenpyxlBook) -> None:
    book.save()


_FULL_WIDTH = {ord(c): ord(c) + 0xFEE0 for c in "0123456789,"}  # what a Chinese input method types


def _type_in(book: OpenpyxlBook, values: dict[str, Any]) -> None:
    """What a department clerk does by hand in Excel: type into the input cells."""
    book.apply(Changes(names=values))


def run_demo(folder: Path, *, echo: Callable[[str], None] = print) -> dict[str, Any]:
    """Play the story into ``folder``; return the final refresh outcome's data."""
    if folder.exists() and any(folder.iterdir()) and not (folder / MARKER).exists():
        raise FileExistsError(f"文件夹非空且不是演示文件夹 folder is not empty and not a demo folder: {folder}")
    shutil.rmtree(folder, ignore_errors=True)
    forms_dir = folder / L.FORMS_DIR
    forms_dir.mkdir(parents=True)
    (folder / MARKER).write_text("written by complaint-kit demo\n", encoding="utf-8")
    (folder / DEMO_KEY_FILE).write_text(DEMO_KEY.hex() + "\n", encoding="ascii")
    key = DEMO_KEY
    src = template_dir()
    register_path = folder / L.REGISTER_FILE
    register = OpenpyxlBook.open(src / L.REGISTER_FILE, backups=0)
    register.path = register_path
    register.apply(Changes(tables={L.STAFF_TABLE: [list(row) for row in STAFF]}))
    _set_mail(register)
    rules = Rules.of(Settings())
    plans = make_plans(rules)
    rng = random.Random(7)

    events: list[tuple[datetime, int, int, Stage | None]] = []
    for plan in plans:
        events.append((plan.reported_at + timedelta(minutes=5), plan.seq, 0, None))
        for i, (stage, when) in enumerate(plan.done.items()):
            events.append((when, plan.seq, i + 1, stage))
    events.sort(key=lambda e: (e[0], e[1], e[2]))

    forms: dict[int, OpenpyxlBook] = {}
    by_seq = {p.seq: p for p in plans}
    problems_shown = 0
    for when, seq, _, stage in progress(events, total=len(events), label="演示 demo"):
        if when > DEMO_NOW:
            continue
        plan = by_seq[seq]
        if stage is None:  # Sales opens a form (or reopens a rejected case)
            book = OpenpyxlBook.open(src / L.FORM_FILE)
            name = f"客诉表-{seq:02d}-{L.file_part(plan.customer)}{'-重开' if plan.reopen_of else ''}.xlsx"
            book.path = forms_dir / name
            if plan.reopen_of:
                _check(reopen_form(forms[plan.reopen_of], book, now=when), echo)
            else:
                _check(new_form(book, values=plan.intake, now=when), echo)
            if seq == 3:  # one clerk types the defect quantity wrong first
                _type_in(book, {"DefectQty": plan.intake["ShipQty"] + 10})
                outcome = validate_form(book, now=when)
                echo("演示：业务员输入错误后点“检查” — demo: a clerk's typo caught by validate:")
                for p in outcome.problems:
                    echo("  " + p.render())
                problems_shown += len(outcome.problems)
                _type_in(book, {"DefectQty": plan.intake["DefectQty"]})
            if seq == 4:  # another pastes from a customer's mail: full-width digits, a Chinese date
                reported, qty = plan.intake["ReportedAt"], plan.intake["ShipQty"]
                pasted = {
                    "ShipQty": f"{qty:,}".translate(_FULL_WIDTH),
                    "ReportedAt": f"{reported.year}年{reported.month}月{reported.day}日 {reported:%H:%M}",
                    "Market": f" {plan.intake['Market']} ",
                }
                _type_in(book, pasted)
                echo(f"演示：业务员粘贴 {pasted}，受理时按数值与日期时间读取 — demo: pasted text read as values")
            forms[seq] = book
        elif stage is Stage.INTAKE:  # the GM office accepts
            _check(
                accept_form(forms[seq], register, now=when, user=GM_CLERK, key=key, received_at=plan.received_at), echo
            )
        else:
            _type_in(forms[seq], _section_values(stage, plan, rng))
            if stage is Stage.CONSOLIDATION:
                forms[seq].apply(Changes(tables={L.RESPONSIBILITY_TABLE: _responsibility(plan)}))
            _check(
                complete_stage(
                    forms[seq], stage=stage, by=HANDLERS[stage], now=when, register=register, user=GM_CLERK, key=key
                ),
                echo,
            )

    save_all([(register, None), *[(book, None) for book in forms.values()]])
    seq = _mail_round_trip(folder, register, forms, key, echo)
    register = OpenpyxlBook.open(register_path)  # as the import left it
    forms[seq] = OpenpyxlBook.open(forms[seq].path or forms_dir)

    final = refresh_register(register, now=DEMO_NOW, user=GM_CLERK, key=key)
    _check(final, echo)
    month = run_month(register, month=Month(2026, 10), now=DEMO_NOW, user=GM_CLERK, key=key)
    _check(month, echo)
    papers = _papers(forms, forms_dir, register, echo)
    save_all([(register, None), *[(book, None) for book in forms.values()], *papers])
    report = write_report(folder / L.month_report_file_name("2026-10"), month.data["sheets"])
    _print_summary(register, final, echo)
    echo("")
    for message in month.messages:
        echo(message)
    echo(f"月报 month report: {report}")
    echo("")
    echo(f"登记表 register: {register_path}")
    echo(f"表单 forms ({len(forms)}): {forms_dir}")
    echo(
        f"签章密钥（演示专用，公开）demo signing key (public, demo only): {folder / DEMO_KEY_FILE}；"
        f"核验 verify: COMPLAINT_KIT_KEY_FILE={folder / DEMO_KEY_FILE} complaint-kit verify {register_path}"
    )
    echo(f"现在 now: {DEMO_NOW:%Y-%m-%d %H:%M}；查看“{L.REMINDER_SHEET}”工作表 — see the reminders sheet")
    echo("")
    service = run_service_demo(folder, now=DEMO_NOW, echo=echo)
    return {**final.data, "forms": len(forms), "validation_problems_shown": problems_shown, "service": service}


def _papers(
    forms: dict[int, OpenpyxlBook], folder: Path, register: OpenpyxlBook, echo: Callable[[str], None]
) -> list[tuple[OpenpyxlBook, Path]]:
    """After the decision (R1–R4, C14): the first closed return gets its 成品退货单 and the
    warehouse receives 3 % more than approved (booked, within 5 %); the first invalid complaint's
    customer objects and Sales drafts the 签呈."""
    from .actions.papers import plan_petition, plan_slip, record_receipt
    from .adapters.papers import paper_workbook

    out: list[tuple[OpenpyxlBook, Path]] = []
    returned = invalid = False
    for seq in sorted(forms):
        book = forms[seq]
        fields = book.read_names(["Status", "Handling", "ApprovedQty"])
        if fields["Status"] != "已结案":
            continue
        if fields["Handling"] == "退货" and not returned:
            slip = plan_slip(book, now=DEMO_NOW)
            _check(slip, echo)
            out.append((paper_workbook(slip.data["plan"].papers), folder / slip.data["plan"].file_name))
            qty = round(int(fields["ApprovedQty"]) * 1.03)
            receipt = record_receipt(
                book, quantity=qty, proof="原发票盖章", now=DEMO_NOW, by="仓储-吴刚", register=register
            )
            _check(receipt, echo)
            echo(receipt.messages[0])
            returned = True
        elif fields["Handling"] == "不成立" and not invalid:
            text = "客户不同意“不成立”的结论，认为组装前已有分层，要求重新切片分析。"
            petition = plan_petition(book, text=text, by="业务-李强", now=DEMO_NOW)
            _check(petition, echo)
            out.append((paper_workbook(petition.data["plan"].papers), folder / petition.data["plan"].file_name))
            invalid = True
    for _, path in out:
        echo(f"单据 paper: {path.name}")
    return out


def _check(outcome: Outcome, echo: Callable[[str], None]) -> None:
    if not outcome.ok:
        raise RuntimeError("demo step failed: " + "; ".join(p.render() for p in outcome.problems))
    for p in outcome.warnings:
        echo(p.render())


def _print_summary(register: OpenpyxlBook, outcome: Outcome, echo: Callable[[str], None]) -> None:
    from rich.console import Console
    from rich.table import Table

    from .console import reminder_table

    records = register_records(register.read_table(L.REGISTER_TABLE))
    table = Table(title=f"客诉登记追踪 Complaint register at {DEMO_NOW:%Y-%m-%d %H:%M}")
    for header in (
        "客诉编号 Case",
        "原案 Orig.",
        "客户 Customer",
        "市场",
        "状态 Status",
        "时效 Timeliness",
        "当前阶段 Stage",
        "结案期限 Case due",
        "逾期工时(在办) h",
    ):
        table.add_column(header)
    for r in records:
        due = r.get("case_due_at")
        table.add_row(
            str(r["case_no"]),
            str(r.get("original_case_no") or ""),
            str(r["customer"]),
            str(r["market"]),
            str(r["status"]),
            str(r["timeliness"]),
            str(r.get("current_stage") or ""),
            f"{due:%Y-%m-%d %H:%M}" if isinstance(due, datetime) else "",
            str(r.get("overdue_hours") or ""),
        )
    console = Console(width=150, force_terminal=False)
    with console.capture() as cap:
        console.print(table)
    echo(cap.get())
    echo(outcome.messages[0])
    echo(reminder_table(outcome.data["overdue_cases"]))
