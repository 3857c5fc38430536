"""One handler per button (see ``complaint_kit.buttons``): each calls the same action as the CLI
command, on the live workbook, and returns its Outcome."""

from __future__ import annotations

import contextlib
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import layout as L
from ..actions.forms import accept_form, complete_stage, reopen_form, validate_form
from ..actions.outcome import Outcome, failed
from ..actions.register import refresh_register
from ..adapters.deferred import DeferredBook
from ..adapters.xlwings_book import XlwingsBook
from ..config import KEYS, REGISTER_BACKUPS, Config, config_path
from ..domain.problems import Problem, problem
from ..ports import Book

if TYPE_CHECKING:
    from ..adapters.openpyxl_book import OpenpyxlBook

# openpyxl is imported only by the buttons that touch files (accept with a closed register, new
# form, reopen): validate, complete and refresh work on the open workbook alone.


@dataclass
class Context:
    book: Any  # xw.Book
    live: XlwingsBook
    config: Config
    now: datetime


def validate(ctx: Context) -> Outcome:
    """检查: the open form; with the configured register at hand, also 疑似重复 (issue 8)."""
    register, _, missing = _open_register(ctx) if ctx.config.register is not None else (None, None, None)
    return validate_form(ctx.live, now=ctx.now, register=None if missing else register)


def _open_register(ctx: Context) -> tuple[Book | None, OpenpyxlBook | None, Problem | None]:
    """The register: the workbook open in this Excel if it is, else the file (saved by us)."""
    path = ctx.config.register
    if path is None:
        return (
            None,
            None,
            problem("E-NO-REGISTER", conf=config_path(), sheet=L.CONF_SHEET),
        )
    for other in ctx.book.app.books:
        if other.name == path.name:
            return XlwingsBook(other), None, None
    if not path.exists():
        return None, None, problem("E-REGISTER-MISSING", path=path)
    from ..adapters.openpyxl_book import open_checked

    file_book = open_checked(path, kind="register", backups=REGISTER_BACKUPS)
    return file_book, file_book, None


def _lock_register(ctx: Context, *, command: str, live: bool) -> Any:
    """The register lock for a click (see ``complaint_kit.store.lock``): a register open in this
    very Excel is written through it, so its own ``~$`` owner file does not count."""
    from ..store.session import register_session

    path = ctx.config.register
    if path is None or not path.exists():
        return contextlib.nullcontext(None)
    return register_session(path, user=ctx.config.user, command=command, allow_office_owner=live)


def accept(ctx: Context) -> Outcome:
    """The register (file or open in this Excel) is read, numbered and written under its lock;
    the register is committed before the form is written and saved (the register is the system
    of record)."""
    from ..config import load_key

    live_register = _live_register(ctx)
    with _lock_register(ctx, command="受理 accept (Excel)", live=live_register is not None) as session:
        register, register_file, problem = _open_register(ctx)
        if problem or register is None:
            return failed([problem] if problem else [])
        form = DeferredBook(ctx.live)
        outcome = accept_form(form, register, now=ctx.now, user=ctx.config.user, key=load_key())
        if not outcome.ok:
            return outcome
        if register_file is not None and session is not None:
            from ..store.txn import commit

            staged = register_file.stage()  # the file first: an I/O error leaves the form untouched
            form.commit()
            commit(session.register, [staged])
        else:
            form.commit()
            if not ctx.live.remote:
                _save_live(register)
        _save_form(ctx)
        if session is not None:
            outcome.messages[:0] = session.notes
        return outcome


def _save_live(register: Book) -> None:
    if isinstance(register, XlwingsBook):
        register.book.save()


def _live_register(ctx: Context) -> Any:
    path = ctx.config.register
    if path is None:
        return None
    return next((b for b in ctx.book.app.books if b.name == path.name), None)


def _save_form(ctx: Context) -> None:
    """Make the form's new number durable at once (a form saved only later could be lost with
    Excel, leaving a register row whose form never got its number)."""
    if ctx.live.remote:
        return
    here = Path(str(ctx.book.fullname))
    if here.is_absolute():
        ctx.book.save()


def complete(ctx: Context) -> Outcome:
    """Completes whatever stage is open on the form, in the name of the configured user; the
    register is updated too when it is open in the same Excel (the GM office's desk), under its
    lock."""
    from ..config import load_key

    live_register = _live_register(ctx)
    register = XlwingsBook(live_register) if live_register is not None else None
    form = DeferredBook(ctx.live)
    lock = _lock_register(ctx, command="完成阶段 complete (Excel)", live=True) if register else None
    with lock or contextlib.nullcontext(None):
        key = load_key() if register is not None else None
        outcome = complete_stage(
            form, stage=None, by=ctx.config.user, now=ctx.now, register=register, user=ctx.config.user, key=key
        )
        if outcome.ok:
            form.commit()
            if register is not None and not ctx.live.remote:
                _save_live(register)
            _save_form(ctx)
    if outcome.ok:
        _hand_over(ctx, outcome, register)
    return outcome


def _hand_over(ctx: Context, outcome: Outcome, register: Book | None) -> None:
    """The hand-over draft beside the saved form (发件/, issue 9), as ``complete`` writes it; a
    refusal (C13) or a missing address is said in the message, never undoes the completion."""
    from ..actions.handover import mail_rules, plan_handover
    from ..adapters.mail import write_handover
    from ..domain.rules import Stage

    here = Path(str(ctx.book.fullname))
    if ctx.live.remote or not here.is_absolute():
        return
    done = Stage(outcome.data["stage"])
    plan, problems = plan_handover(ctx.live, done=done, by=ctx.config.user, rules=mail_rules(ctx.live, register))
    outcome.problems += problems
    if plan is not None:
        path = write_handover(
            here.parent / L.OUTBOX_DIR,
            plan.draft,
            eml_name=plan.eml_name,
            form=here,
            attachment_name=plan.attachment_name,
        )
        outcome.messages.append(f"邮件草稿（收件人 {', '.join(plan.draft.to)}）：{path} — hand-over draft")


def _folder_for_new(ctx: Context) -> Path | None:
    here = Path(str(ctx.book.fullname))
    if here.is_absolute() and here.parent.exists():
        return here.parent
    return ctx.config.forms_dir


def _open_in_excel(ctx: Context, path: Path) -> None:
    if not ctx.live.remote:
        ctx.book.app.books.open(str(path))


def reopen(ctx: Context) -> Outcome:
    from ..adapters.openpyxl_book import OpenpyxlBook
    from ..templates import template_dir

    folder = _folder_for_new(ctx)
    if folder is None:
        return failed([problem("E-NO-FOLDER")])
    new = OpenpyxlBook.open(template_dir() / L.FORM_FILE)
    outcome = reopen_form(ctx.live, new, now=ctx.now)
    if outcome.ok:
        target = folder / L.reopened_form_name(Path(str(ctx.book.name)).stem)
        if target.exists():
            return failed([problem("E-EXISTS", path=target)])
        new.save(target)
        outcome.messages.append(f"新表单：{target} — new form: {target}")
        _open_in_excel(ctx, target)
    return outcome


def copies(ctx: Context) -> Outcome:
    """五联 (C9) of the form open in Excel: decided on the open workbook, written from its saved
    file (the copies show what was sealed and saved) beside it, and opened; never overwrites."""
    from ..actions.copies import plan_copies
    from ..adapters.copies import copies_workbook, form_snapshot
    from ..adapters.openpyxl_book import open_checked

    outcome = plan_copies(ctx.live, now=ctx.now)
    if not outcome.ok:
        return outcome
    folder = _folder_for_new(ctx)  # the saved form: beside itself, or in the forms folder
    here = folder / Path(str(ctx.book.name)).name if folder is not None else None
    if here is None or not here.exists():
        return failed([problem("E-NO-FOLDER")])
    book = open_checked(here, kind="form")
    outcome = plan_copies(book, now=ctx.now)  # the saved file is what is copied: it must pass too
    if not outcome.ok:
        return outcome
    plan = outcome.data["plan"]
    target = here.with_name(plan.file_name)
    if target.exists():
        return failed([problem("E-EXISTS", path=target)])
    copies_workbook(form_snapshot(book), plan.values, plan.copies, plan.responsibility).save(target)
    outcome.messages.append(f"五联：{target} — five copies: {target}")
    _open_in_excel(ctx, target)
    return outcome


def slips(ctx: Context) -> Outcome:
    """退货单/折让证明单 (R1, R2) of the closed, approved form open in Excel, beside it."""
    from ..actions.papers import plan_slip

    return _paper_beside(ctx, lambda form: plan_slip(form, now=ctx.now), "单据", "slip")


def petition(ctx: Context) -> Outcome:
    """签呈 (C14, C16) from the form's 异议内容 (section 十), beside the form."""
    from ..actions.papers import plan_petition

    return _paper_beside(ctx, lambda form: plan_petition(form, by=ctx.config.user, now=ctx.now), "签呈", "petition")


def _paper_beside(ctx: Context, plan: Callable[[Book], Outcome], zh: str, en: str) -> Outcome:
    """A paper of the form open in Excel, like 印制五联: decided on the open workbook and on its
    saved file (what is printed is what was saved), written beside it and opened; never overwrites."""
    from ..adapters.openpyxl_book import open_checked
    from ..adapters.papers import paper_workbook

    outcome = plan(ctx.live)
    if not outcome.ok:
        return outcome
    folder = _folder_for_new(ctx)
    here = folder / Path(str(ctx.book.name)).name if folder is not None else None
    if here is None or not here.exists():
        return failed([problem("E-NO-FOLDER")])
    outcome = plan(open_checked(here, kind="form"))
    if not outcome.ok:
        return outcome
    target = here.with_name(outcome.data["plan"].file_name)
    if target.exists():
        return failed([problem("E-EXISTS", path=target)])
    paper_workbook(outcome.data["plan"].papers).save(target)
    outcome.messages.append(f"{zh}：{target} — {en}: {target}")
    _open_in_excel(ctx, target)
    return outcome


def receive(ctx: Context) -> Outcome:
    """退货实收 (R3, R4, R6) as the warehouse typed it in section 九 of the form open in Excel; the
    customer's over-acceptance ratio from the configured register when it can be read."""
    from ..actions.papers import record_receipt

    register, _, _ = _open_register(ctx)  # read only; without it the company's ratio, with a warning
    outcome = record_receipt(ctx.live, now=ctx.now, by=ctx.config.user, register=register)
    if outcome.ok:
        _save_form(ctx)
    return outcome


def new_form(ctx: Context) -> Outcome:
    from ..actions.forms import new_form as new_form_action
    from ..adapters.openpyxl_book import OpenpyxlBook
    from ..templates import template_dir

    folder = ctx.config.forms_dir or _folder_for_new(ctx)
    if folder is None:
        return failed([problem("E-NO-FOLDER")])
    target = folder / f"{L.ADDIN_NEW_FORM_PREFIX}-{ctx.now:%Y%m%d-%H%M}.xlsx"
    if target.exists():
        return failed([problem("E-EXISTS", path=target)])
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template_dir() / L.FORM_FILE, target)
    book = OpenpyxlBook.open(target)
    outcome = new_form_action(book, values={"sales_rep": ctx.config.user}, now=ctx.now)
    book.save()
    outcome.messages.append(f"新表单：{target} — new form: {target}")
    _open_in_excel(ctx, target)
    return outcome


def refresh(ctx: Context) -> Outcome:
    """Refresh the register open in Excel, under its lock (another clerk's CLI or click waits)."""
    from ..config import load_key

    key = load_key()
    return _on_open_book(
        ctx, "刷新 refresh (Excel)", lambda b: refresh_register(b, now=ctx.now, user=ctx.config.user, key=key)
    )


def _on_open_book(ctx: Context, command: str, act: Callable[[Book], Outcome]) -> Outcome:
    """One action on the workbook open in Excel, under its file's lock (another clerk's CLI or
    click waits), the workbook saved when the action went through."""
    from ..store.session import register_session

    here = Path(str(ctx.book.fullname))
    lock: Any = contextlib.nullcontext(None)
    if here.is_absolute() and here.exists():
        lock = register_session(here, user=ctx.config.user, command=command, allow_office_owner=True)
    with lock:
        outcome = act(ctx.live)
        if outcome.ok and not ctx.live.remote:
            ctx.book.save()
    return outcome


# ---------------------------------------------------------------------------------------------
# the 服务 group: the service centre's workbook open in Excel (issue 11)
def _on_service_book(ctx: Context, command: str, act: Callable[[Book], Outcome]) -> Outcome:
    """A service action on the open workbook under its lock, its rows journaled in the same write."""
    from ..actions.service_journal import journaled

    return _on_open_book(ctx, command, lambda b: journaled(b, act, by=ctx.config.user, command=command, now=ctx.now))


def service_verify(ctx: Context) -> Outcome:
    """核验 the open service workbook against its journal (``service verify``; reads only)."""
    from ..actions.service_journal import verify_service

    return verify_service(ctx.live)


def service_update(ctx: Context) -> Outcome:
    """登记手填内容: every row typed into the open workbook's sheets recorded, every call's 时效
    refreshed; one write, none when a row is refused (``service update``)."""
    from ..actions.service_typed import record_typed

    return _on_service_book(ctx, "登记手填内容 service update (Excel)", lambda b: record_typed(b, now=ctx.now))


def service_day(ctx: Context) -> Outcome:
    """服务日报 of today on the sheet 服务日报 of the open workbook (``service day``)."""
    from ..actions.service import day_report

    return _on_service_book(ctx, "日报 service day (Excel)", lambda b: day_report(b, day=ctx.now.date(), now=ctx.now))


def service_notices(ctx: Context) -> Outcome:
    """保养到期通知书 on their sheet of the open workbook (``service notices``)."""
    from ..actions.service import contract_notices

    return _on_service_book(ctx, "保养到期通知 service notices (Excel)", lambda b: contract_notices(b, now=ctx.now))


def service_papers(ctx: Context) -> Outcome:
    """The papers of the call in the selected row (or the 答复函 of the complaint in it), written
    beside the workbook and opened (``service papers``); read only on the workbook itself."""
    import re

    from ..actions.service import call_papers
    from ..adapters.report import write_report

    here = _saved_file(ctx)
    if here is None:
        return failed([problem("E-SERVICE-UNSAVED", what="单据", what_en="the papers workbook")])
    selected = ctx.book.selection
    if selected is None:  # a chart or a shape selected: no row
        return failed([problem("E-SELECT-CALL", where=ctx.live.label)])
    row = selected.sheet.range((selected.row, 1), (selected.row, len(L.CALLS_HEADERS))).options(ndim=1).value
    pattern = re.compile(L.PAPERS_NO_PATTERN)
    call_no = next((str(v).strip().upper() for v in row or [] if pattern.match(str(v or "").strip().upper())), None)
    if call_no is None:
        return failed([problem("E-SELECT-CALL", where=f"{selected.sheet.name}!{selected.address.replace('$', '')}")])
    outcome = call_papers(ctx.live, call_no, now=ctx.now)
    if not outcome.ok:
        return outcome
    target = here.with_name(L.service_papers_file_name(call_no))
    write_report(target, outcome.data["sheets"])
    outcome.messages.append(f"单据：{target} — papers: {target}")
    _open_in_excel(ctx, target)
    return outcome


def service_month(ctx: Context) -> Outcome:
    """Last month's 服务月报 of the open workbook, beside it and opened (``service month``; the
    Service department consolidates several centres with the command)."""
    from ..actions.service import service_month as month_report
    from ..adapters.report import write_report
    from ..domain.ledger import Month

    here = _saved_file(ctx)
    if here is None:
        return failed([problem("E-SERVICE-UNSAVED", what="服务月报", what_en="the month's report")])
    which = Month(ctx.now.year, ctx.now.month).previous()
    centre = here.parent.name or here.stem
    outcome = month_report([(centre, ctx.live)], year=which.year, month=which.month, now=ctx.now)
    if not outcome.ok:
        return outcome
    target = here.with_name(L.service_month_file_name(str(which)))
    write_report(target, outcome.data["sheets"])
    outcome.messages.append(f"服务月报：{target} — service month report: {target}")
    _open_in_excel(ctx, target)
    return outcome


def _saved_file(ctx: Context) -> Path | None:
    """The open workbook as a file: its full name; None when it was never saved."""
    here = Path(str(ctx.book.fullname))
    return here if here.is_absolute() else None


def import_returned(ctx: Context) -> Outcome:
    """导入回传表单 on the register open in Excel (issue 9): the forms and mails saved into 收件 beside
    it, under the register's lock; the register saved once when a case changed; each file moved to
    已导入/ or 退回/ (with a note). The summary of every file comes back in the message."""
    from ..adapters.inbox import find_sources
    from ..config import load_key
    from ..console import import_table
    from ..importer import import_files
    from ..store.session import register_session

    here = _register_file(ctx)
    if here is None:
        return failed([problem("E-REGISTER-UNSAVED")])
    inbox = here.parent / L.INBOX_DIR
    lock: Any = contextlib.nullcontext(None)
    if here.exists():
        lock = register_session(here, user=ctx.config.user, command="导入 import (Excel)", allow_office_owner=True)
    with lock:
        found = find_sources([inbox], register=here) if inbox.is_dir() else []
        if not found:
            return Outcome(messages=[f"收件文件夹中没有要导入的文件 — nothing to import in {inbox}"])
        outcome, lines = import_files(
            ctx.live,
            here.parent,
            found,
            now=ctx.now,
            user=ctx.config.user,
            key=load_key(),
            commit=lambda: None if ctx.live.remote else ctx.book.save(),
        )
    if outcome.ok:
        outcome.messages += [import_table(outcome.data["results"]), *lines]
    return outcome


def month(ctx: Context) -> Outcome:
    """月结 of last month (C19: by the 10th) on the register open in Excel, under its lock: the
    扣款台账 rows and the journal go into the register (saved), the month's report is written
    beside it and opened. Running it again gives the same ledger (no double deduction)."""
    from ..actions.month import run_month
    from ..adapters.report import write_report
    from ..config import load_key
    from ..domain.ledger import Month
    from ..store.session import register_session

    here = _register_file(ctx)
    if here is None:
        return failed([problem("E-REGISTER-UNSAVED")])
    which = Month(ctx.now.year, ctx.now.month).previous()
    lock: Any = contextlib.nullcontext(None)
    if here.exists():
        lock = register_session(
            here, user=ctx.config.user, command=f"月结 month {which} (Excel)", allow_office_owner=True
        )
    with lock:
        outcome = run_month(ctx.live, month=which, now=ctx.now, user=ctx.config.user, key=load_key())
        if not outcome.ok:
            return outcome
        if not ctx.live.remote:
            ctx.book.save()
    target = here.with_name(L.month_report_file_name(str(which)))
    write_report(target, outcome.data["sheets"])
    outcome.messages.append(f"月报：{target} — month report: {target}")
    _open_in_excel(ctx, target)
    return outcome


def abnormal(ctx: Context) -> Outcome:
    """异常处理单 (C2) from the rows typed into the 异常处理 sheet of the register open in Excel,
    under its lock: numbered, journaled, the register saved, each sheet written to 异常处理单/ beside
    it; replies typed into waiting rows recorded."""
    from ..actions.papers import register_typed_abnormal
    from ..adapters.papers import paper_workbook
    from ..config import load_key
    from ..store.session import register_session

    here = _register_file(ctx)
    if here is None:
        return failed([problem("E-REGISTER-UNSAVED")])
    lock: Any = contextlib.nullcontext(None)
    if here.exists():
        lock = register_session(
            here, user=ctx.config.user, command="异常登记 abnormal (Excel)", allow_office_owner=True
        )
    with lock:
        outcome = register_typed_abnormal(ctx.live, by=ctx.config.user, now=ctx.now, key=load_key())
        if not outcome.ok:
            return outcome
        if not ctx.live.remote:
            ctx.book.save()
    folder = here.parent / L.ABNORMAL_DIR
    folder.mkdir(exist_ok=True)
    for plan in outcome.data["plans"]:
        target = folder / plan.file_name
        paper_workbook(plan.papers).save(target)
        outcome.messages.append(f"异常处理单：{target} — abnormality sheet: {target}")
    return outcome


def _register_file(ctx: Context) -> Path | None:
    """The register open in Excel as a file: its full name, or (Excel on the web, the remote engine:
    only a name) the configured register of that name; None when it was never saved."""
    here = Path(str(ctx.book.fullname))
    configured = ctx.config.register
    if not here.is_absolute() and configured is not None and configured.name == here.name:
        here = configured
    return here if here.is_absolute() else None


def verify(ctx: Context) -> Outcome:
    """核验 on the open register: the journal chain, every signature and row, and the forms in its
    folder and 表单/ (read-only; nothing is written)."""
    from ..actions.verify import verify_register
    from ..adapters.openpyxl_book import open_forms_beside
    from ..config import load_key

    key = load_key()
    here = Path(str(ctx.book.fullname))
    forms, _unreadable = open_forms_beside(here) if here.is_absolute() else ([], [])
    return verify_register(ctx.live, key=key, forms=list(forms))


def about(ctx: Context) -> Outcome:
    from importlib.metadata import version

    c = ctx.config
    lines = [
        f"complaint_kit {version('complaint-kit')}，Python {sys.version.split()[0]}（{sys.executable}）",
        f"配置文件 {config_path()}",
        f"使用者 USER = {c.user}",
        f"登记追踪表 REGISTER = {c.register or '（未设置）'}",
        f"表单文件夹 FORMS_DIR = {c.forms_dir or '（未设置）'}",
        "可在工作簿中新增“complaint_kit.conf”工作表（A 列键、B 列值）覆盖以上设置：" + "、".join(KEYS),
    ]
    return Outcome(messages=lines)
