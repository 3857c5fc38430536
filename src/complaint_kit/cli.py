"""``complaint-kit``: every step of the complaint lifecycle on workbook files.

Each command opens the files, runs one action, and saves atomically only when the action found
no error; problems are printed in Chinese with English beside them, naming the cell, and the
exit code is 1. ``--now`` makes every run reproducible.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from . import layout as L
from .actions.outcome import Outcome
from .adapters.guard import check_suffix
from .adapters.openpyxl_book import OpenpyxlBook, WorkbookError, open_checked
from .clock import company_now, to_company_time
from .config import REGISTER_BACKUPS, default_user
from .domain.problems import problem
from .domain.rules import Stage
from .store.lock import RegisterBusy
from .store.txn import CommitPending, RecoveryError

if TYPE_CHECKING:
    from .actions.handover import MailPlan
    from .domain.problems import Problem
    from .store.session import Session

app = typer.Typer(
    help="客诉管理工具 complaint_kit — 售后与客户投诉管理 (after-sales service and customer complaints) in Excel.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
templates_app = typer.Typer(help="模板 Workbook templates built from the layout module.", no_args_is_help=True)
app.add_typer(templates_app, name="templates")
addin_app = typer.Typer(help="Excel 加载项 The Excel add-in: build, install, document.", no_args_is_help=True)
app.add_typer(addin_app, name="addin")
service_app = typer.Typer(
    help="服务 The service desk (S1–S17): calls, dispatch, arrival deadlines, finishing, surveys.",
    no_args_is_help=True,
)
app.add_typer(service_app, name="service")


NowOpt = Annotated[
    str | None,
    typer.Option(
        "--now", help="当前时间 the current time, ISO 8601 (2026-11-03T09:30); default: the clock, company time zone"
    ),
]
UserOpt = Annotated[
    str | None, typer.Option("--user", help="操作人 who runs the command (default: $COMPLAINT_KIT_USER or login)")
]


# the papers' options (slips, petition): where to write, and whether an existing file may go
PaperDirOpt = Annotated[Path | None, typer.Option(help="输出文件夹 the folder to write to (default: beside the form)")]
OverwriteOpt = Annotated[bool, typer.Option("--force", help="覆盖已有文件 overwrite an existing file")]


class UsageError(Exception):
    pass


def parse_now(text: str | None, *, option: str = "--now") -> datetime:
    """T4: naive company wall time; an aware time (ISO with an offset) is converted to the company
    zone. Every time option reads the spellings a form's cells do (issue 8): ``2026-10-14 9:30``,
    ``2026/10/14 9:30``, ``2026年10月14日 9:30``, full-width digits; a date alone is refused, and
    the error names the option."""
    from .domain.values import parse_instant, shown

    if not text:
        return company_now()
    try:
        aware = datetime.fromisoformat(text.strip())
    except ValueError:
        aware = None
    if aware is not None and aware.tzinfo is not None:  # 2026-10-14T09:30+08:00, …Z
        return to_company_time(aware)
    try:
        parsed = parse_instant(text)
    except ValueError:
        parsed = None
    if parsed is None:
        raise UsageError(
            f"{option} 不是日期时间 is not a date-time: {shown(text)!r}（如 e.g. 2026-10-14 09:30、2026/10/14 9:30）"
        )
    value, timed = parsed
    if not timed:
        raise UsageError(
            f"{option} 只有日期，请加上时间 has a date but no time: {shown(text)!r}（如 e.g. {value:%Y-%m-%d} 09:30）"
        )
    return to_company_time(value)


def _month_option(text: str | None, at: datetime) -> Any:
    """``--month`` as clerks type it (``2026-10``, ``2026/10``); default the month before ``at``."""
    from .domain.ledger import Month

    try:
        return Month.parse(text) if text else Month(at.year, at.month).previous()
    except ValueError as exc:
        raise UsageError(f"--month 应如 2026-10 — must be a month such as 2026-10 ({exc})") from None


def _user(user: str | None) -> str:
    """``--user`` as typed, trimmed (a name with spaces would sign differently from the cell)."""
    return (user or "").strip() or default_user()


def _key() -> bytes:
    """The GM office's signing key (issue 6); a missing key is a message for the administrator."""
    from .config import KeyMissing, load_key

    try:
        return load_key()
    except KeyMissing as exc:
        raise UsageError(str(exc)) from None


def _open(path: Path, *, kind: str, backups: int = 0, engine: str | None = None) -> Any:
    """A form or a register, checked before any value is read (see
    :func:`complaint_kit.adapters.openpyxl_book.open_checked`)."""
    return open_checked(path, kind=kind, backups=backups, engine=engine)


def report(outcome: Outcome, *, written: bool = True) -> None:
    """Problems first; on an error exit 1 (nothing was written). Success lines are printed only
    when ``written`` — i.e. after the files are durable (commands that save call
    :func:`report_problems` first, save, then :func:`report_messages`)."""
    report_problems(outcome)
    if written:
        report_messages(outcome)


def report_problems(outcome: Outcome) -> None:
    for p in outcome.problems:
        typer.echo(p.render(), err=True)
    if not outcome.ok:
        n = len(outcome.errors)
        typer.echo(f"共 {n} 个错误，未写入任何文件 — {n} error(s); nothing was written", err=True)
        raise typer.Exit(1)


def report_messages(outcome: Outcome) -> None:
    for m in outcome.messages:
        typer.echo(m)


def _notice(message: str) -> None:
    typer.echo(message, err=True)


def _open_form(path: Path) -> OpenpyxlBook:
    """A form, after finishing or rolling back a save of it that a crash interrupted."""
    from .store.txn import recover_target

    for note in recover_target(path):
        _notice(note)
    return _open(path, kind="form")


@contextlib.contextmanager
def _register_session(path: Path, *, user: str, command: str) -> Iterator[Session]:
    """Lock the register (waiting for another kit command, refusing a person's open copy),
    finish any interrupted commit, and yield; the register is read inside, under the lock."""
    from .store.session import register_session

    if not path.exists():
        raise WorkbookError.of("E-FILE-MISSING", path=path)
    from .store.lock import configured_wait

    with register_session(path, user=user, command=command, wait=configured_wait(), notice=_notice) as session:
        for note in session.notes:
            _notice(note)
        yield session


def _run(fn):  # type: ignore[no-untyped-def]
    """Every failure is a Chinese + English message and a non-zero exit, never a traceback on the
    clerk's screen: usage, file and lock failures exit 2 (problems an exception carries, such as
    broken defined names, one per line); anything unexpected exits 3 and its traceback goes to
    a log file (:func:`_log_path`) for the administrator."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        _safe_output()
        try:
            return fn(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except (UsageError, WorkbookError, KeyError, FileExistsError, FileNotFoundError, PermissionError) as exc:
            _fail(exc)
        except (RegisterBusy, RecoveryError, CommitPending) as exc:  # the register is someone else's right now
            _fail(exc)
        except MemoryError:
            _fail(MemoryError("内存不足，操作未完成 — not enough memory; the command did not finish"))
        except OSError as exc:
            _fail(OSError(f"文件读写失败 file system error: {exc.strerror or exc} ({exc.filename or ''})"))
        except Exception as exc:
            if getattr(exc, "problems", None):
                _fail(exc)
            log = _log_exception()
            typer.echo(
                f"内部错误，操作未完成；详情已记录在 {log}，请发给管理员"
                f" — internal error, the command did not finish; details are in {log}, please send it to the"
                " administrator",
                err=True,
            )
            raise typer.Exit(3) from None

    return wrapper


def _fail(exc: BaseException, code: int = 2) -> NoReturn:
    """Print a known failure (its problems one per line, then the message) and exit."""
    problems = getattr(exc, "problems", None) or []
    for p in problems:
        typer.echo(p.render(), err=True)
    if problems and not isinstance(exc, WorkbookError):  # the message repeats the problem: summarise
        n = len(problems)
        typer.echo(f"共 {n} 个错误，未写入任何文件 — {n} error(s); nothing was written", err=True)
        raise typer.Exit(code) from None
    text = str(exc.args[0]) if type(exc) is KeyError and exc.args else str(exc)
    typer.echo(f"错误 error: {text}", err=True)
    raise typer.Exit(code) from None


def _safe_output() -> None:
    """Text a clerk pasted may hold characters the console cannot print: escape, never crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(Exception):
                reconfigure(errors="backslashreplace")


def _log_path() -> Path:
    """``$COMPLAINT_KIT_LOG`` or ``~/.complaint_kit/cli.log`` (beside the add-in's log)."""
    import os

    return Path(os.environ.get("COMPLAINT_KIT_LOG") or Path.home() / ".complaint_kit" / "cli.log")


def _log_exception() -> Path:
    import tempfile
    import traceback

    entry = f"--- {datetime.now().isoformat()} {' '.join(sys.argv)!r}\n{traceback.format_exc()}\n"
    for path in (_log_path(), Path(tempfile.gettempdir()) / "complaint_kit-cli.log"):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8", errors="backslashreplace") as fh:
                fh.write(entry)
            return path
        except OSError:
            continue
    return Path("(日志无法写入 log not writable)")


@app.command()
@_run
def init(folder: Annotated[Path, typer.Argument(help="办公文件夹 the office folder to create")]) -> None:
    """建立办公文件夹 Create an office folder: the register, a blank form, folders for forms, 收件 (incoming),
    已导入 (imported) and 退回 (refused)."""
    from .templates import template_dir

    src = template_dir()
    folder.mkdir(parents=True, exist_ok=True)
    register = folder / L.REGISTER_FILE
    if register.exists():
        raise FileExistsError(f"登记表已存在，不覆盖 register exists, not overwritten: {register}")
    shutil.copyfile(src / L.REGISTER_FILE, register)
    shutil.copyfile(src / L.FORM_FILE, folder / L.FORM_FILE)
    for sub in (L.FORMS_DIR, L.INBOX_DIR, L.IMPORTED_DIR, L.REFUSED_DIR):
        (folder / sub).mkdir(exist_ok=True)
    typer.echo(
        f"已建立 created: {register}\n已建立 created: {folder / L.FORM_FILE}\n"
        f"表单文件夹 forms: {folder / L.FORMS_DIR}\n"
        f"收件 incoming: {folder / L.INBOX_DIR}（回传的表单与邮件放这里，再运行 import — returned forms and mails "
        f"go here, then run import）；{L.IMPORTED_DIR} imported / {L.REFUSED_DIR} refused"
    )
    _ensure_key()


@app.command("new-form")
@_run
def new_form_cmd(
    out: Annotated[Path, typer.Argument(help="新表单路径 where to write the new form (.xlsx)")],
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="预填 prefill a field: Name=Value (defined name, e.g. Customer=华星)"),
    ] = None,
    force: Annotated[bool, typer.Option(help="覆盖已有文件 overwrite an existing file")] = False,
    now: NowOpt = None,
) -> None:
    """新建客户抱怨处理表 Create a blank complaint form (C4), optionally prefilled."""
    from .actions.forms import new_form
    from .templates import template_dir

    when = parse_now(now)
    if out.exists() and not force:
        raise FileExistsError(f"文件已存在 file exists (use --force): {out}")
    check_suffix(out)
    values = _parse_set(set_ or [])
    book = OpenpyxlBook.open(template_dir() / L.FORM_FILE)
    book.name = out.name  # problems name the form being made, not the template
    outcome = new_form(book, values=values, now=when)
    report_problems(outcome)
    book.save(out)
    report_messages(outcome)
    typer.echo(f"已写入 written: {out}")


def _parse_set(items: list[str]) -> dict[str, str]:
    """``--set Name=Value`` pairs. A value a cell cannot hold (over 32,767 characters, control
    characters, lone surrogates from a mis-encoded terminal) is a problem naming the field, exit 1,
    nothing written — the same check the form's validation applies (domain.values)."""
    from .actions.outcome import failed
    from .domain.values import shown, text_problem

    values: dict[str, str] = {}
    problems: list[Problem] = []
    for item in items:
        if "=" not in item:
            raise UsageError(f"--set 需要 Name=Value, got {shown(item)!r}")
        key, value = item.split("=", 1)
        key = key.strip()
        field = L.FIELD_BY_NAME.get(key) or L.FIELD_BY_ATTR.get(key)
        found = text_problem(key) or text_problem(value)
        if found:
            code, params = found
            label = f"--set {field.label if field else shown(key)}"
            attr = field.attr if field else None
            problems.append(problem(code, field=attr, label=label, attr=f"--set {shown(key)}", **params))
            continue
        values[key] = value
    if problems:
        report_problems(failed(problems))
    return values


@app.command()
@_run
def validate(
    form: Annotated[Path, typer.Argument(help="客户抱怨处理表 the form")],
    register: Annotated[
        Path | None,
        typer.Option("--register", "-r", help="登记追踪表 the register: also warn of a probable duplicate (疑似重复)"),
    ] = None,
    now: NowOpt = None,
) -> None:
    """检查表单 Validate a form: intake (C4) and every finished section (C7)."""
    from .actions.forms import validate_form

    reg = _open(register, kind="register") if register is not None else None
    report(validate_form(_open_form(form), now=parse_now(now), register=reg))


@app.command()
@_run
def accept(
    form: Annotated[Path, typer.Argument(help="客户抱怨处理表 the form")],
    register: Annotated[Path, typer.Option("--register", "-r", help="登记追踪表 the register")],
    received_at: Annotated[
        str | None, typer.Option(help="总经理室收件时间 when the GM office received the form (default: now)")
    ] = None,
    now: NowOpt = None,
    user: UserOpt = None,
) -> None:
    """受理 Accept a form: case number (C3), deadlines (C6, C17), register row, written back to the form."""
    from .actions.forms import accept_form

    when = parse_now(now)
    received = parse_now(received_at, option="--received-at") if received_at else None
    who = _user(user)
    with _register_session(register, user=who, command="受理 accept") as session:
        form_book = _open_form(form)
        reg_book = _open(register, kind="register", backups=REGISTER_BACKUPS)
        outcome = accept_form(form_book, reg_book, now=when, user=who, key=_key(), received_at=received)
        report_problems(outcome)
        session.commit([form_book, reg_book])
    report_messages(outcome)


@app.command()
@_run
def complete(
    form: Annotated[Path, typer.Argument(help="客户抱怨处理表 the form")],
    stage: Annotated[Stage, typer.Option(help="完成的阶段 the stage being completed")],
    by: Annotated[str, typer.Option(help="经办人 who completes it")],
    register: Annotated[
        Path | None, typer.Option("--register", "-r", help="同时更新登记表 also update the register")
    ] = None,
    mail: Annotated[
        bool, typer.Option("--mail/--no-mail", help="写交接邮件草稿 write the hand-over e-mail draft (发件/)")
    ] = True,
    now: NowOpt = None,
    user: UserOpt = None,
) -> None:
    """完成阶段 Complete a stage: check the section, stamp it, start the next stage (C6, C7); then the
    e-mail draft that hands the form to the next department (发件/, issue 9)."""
    from .actions.forms import complete_stage
    from .actions.handover import mail_rules, plan_handover

    when = parse_now(now)
    if register is None:
        form_book = _open_form(form)
        outcome = complete_stage(form_book, stage=stage, by=by, now=when, register=None, user=user)
        report_problems(outcome)
        form_book.save()
        reg_book = None
    else:
        who = _user(user)
        with _register_session(register, user=who, command="完成阶段 complete") as session:
            form_book = _open_form(form)
            reg_book = _open(register, kind="register", backups=REGISTER_BACKUPS)
            key = _key()
            outcome = complete_stage(form_book, stage=stage, by=by, now=when, register=reg_book, user=user, key=key)
            report_problems(outcome)
            session.commit([form_book, reg_book])
    report_messages(outcome)
    if mail:
        plan, problems = plan_handover(form_book, done=stage, by=by, rules=mail_rules(form_book, reg_book))
        _write_drafts({stage.zh: plan} if plan else {}, problems, outbox=form.parent / L.OUTBOX_DIR, form=form, at=when)


def _write_drafts(
    plans: dict[str, MailPlan], problems: list[Problem], *, outbox: Path, form: Path | None, at: datetime
) -> list[Path]:
    """Write each mail plan as a draft in ``outbox``; a draft refused (C13) is said, never fatal:
    the work it follows is done and saved."""
    from .adapters.mail import write_handover

    for p in problems:
        typer.echo(p.render(), err=True)
        if p.is_error:
            typer.echo("未生成邮件草稿 — no draft written", err=True)
    written = []
    for plan in plans.values():
        path = write_handover(
            outbox, plan.draft, eml_name=plan.eml_name, form=form, attachment_name=plan.attachment_name, at=at
        )
        typer.echo(f"邮件草稿 draft (收件人 to: {', '.join(plan.draft.to)}): {path}")
        written.append(path)
    return written


@app.command("import")
@_run
def import_cmd(
    register: Annotated[Path, typer.Argument(help="登记追踪表 the register")],
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="表单、文件夹或 .eml 邮件（默认：登记表旁的 收件 文件夹） forms, folders, .eml mails (default: 收件)"
        ),
    ] = None,
    keep: Annotated[bool, typer.Option(help="不移动文件 leave the files where they are")] = False,
    now: NowOpt = None,
    user: UserOpt = None,
) -> None:
    """导入回传表单 Import forms that came back: the register's rows learn the stages the departments did
    (issue 9); files move to 已导入/<month>/ or, refused, to 退回/ with a note."""
    from .adapters.inbox import find_sources
    from .console import import_table, progress
    from .importer import import_files

    when = parse_now(now)
    who = _user(user)
    office = register.parent
    wanted = paths or [office / L.INBOX_DIR]
    with _register_session(register, user=who, command="导入 import") as session:
        found = find_sources(wanted, register=register)  # under the lock: another import may have moved them
        if not found:
            typer.echo(f"没有要导入的文件 nothing to import: {', '.join(str(p) for p in wanted)}")
            return
        book = _open(register, kind="register", backups=REGISTER_BACKUPS)
        outcome, lines = import_files(
            book,
            office,
            found,
            now=when,
            user=who,
            key=_key(),
            commit=lambda: session.commit([book]),
            keep=keep,
            each=lambda paths: progress(paths, total=len(paths), label="读取 reading"),
        )
        report_problems(outcome)
    typer.echo(import_table(outcome.data["results"]))
    report_messages(outcome)
    for line in lines:
        typer.echo(line)


@app.command()
@_run
def reopen(
    form: Annotated[Path, typer.Argument(help="原案的表单 the decided case's form")],
    out: Annotated[Path | None, typer.Option(help="新表单路径 the new form (default: beside the old one)")] = None,
    now: NowOpt = None,
) -> None:
    """重开 The customer rejects the decision: a new form linked to the old case number (C11)."""
    from .actions.forms import reopen_form
    from .templates import template_dir

    old = _open_form(form)
    new = OpenpyxlBook.open(template_dir() / L.FORM_FILE)
    target = out or form.with_name(L.reopened_form_name(form.stem))
    check_suffix(target)
    if target.exists():
        raise FileExistsError(f"文件已存在，未写入 file exists, nothing written: {target}")
    outcome = reopen_form(old, new, now=parse_now(now))
    report_problems(outcome)
    new.save(target)
    report_messages(outcome)
    typer.echo(f"已写入 written: {target}")


@app.command()
@_run
def copies(
    form: Annotated[Path, typer.Argument(help="已结案的表单 the closed, approved form")],
    out: Annotated[
        Path | None, typer.Option(help="五联工作簿 the workbook of copies (default: 客诉-编号-五联.xlsx by the form)")
    ] = None,
    split: Annotated[
        bool, typer.Option("--split", help="另存五个单联工作簿以便邮寄 also one workbook per copy, named for mailing")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="覆盖已有文件 overwrite existing files")] = False,
    now: NowOpt = None,
) -> None:
    """五联 Print the closed, approved form as five protected copies on A4 (C9); not for the customer (C13)."""
    from .actions.copies import plan_copies
    from .adapters.copies import copies_workbook, form_snapshot
    from .adapters.openpyxl_book import save_all

    book = _open_form(form)
    outcome = plan_copies(book, now=parse_now(now))
    report_problems(outcome)
    plan = outcome.data["plan"]
    target = out or form.with_name(plan.file_name)
    check_suffix(target)
    snapshot = form_snapshot(book)
    books = [(copies_workbook(snapshot, plan.values, plan.copies, plan.responsibility), target)]
    if split:
        books += [
            (copies_workbook(snapshot, plan.values, [c], plan.responsibility), target.with_name(c.file_name))
            for c in plan.copies
        ]
    existing = [str(path) for _, path in books if path.exists()]
    if existing and not force:
        raise FileExistsError(f"文件已存在，未写入 file exists, nothing written (use --force): {', '.join(existing)}")
    written = save_all(books)
    report_messages(outcome)
    for path in written:
        typer.echo(f"已写入 written: {path}")


@app.command()
@_run
def refresh(
    register: Annotated[Path, typer.Argument(help="登记追踪表 the register")],
    mail: Annotated[
        bool, typer.Option("--mail", help="每个部门一封催办邮件草稿 one reminder e-mail draft per department (发件/)")
    ] = False,
    everything: Annotated[
        bool,
        typer.Option(
            "--all",
            help="已结案的案件也重算（日历或节假日改过之后） closed cases judged again (after the calendar changed)",
        ),
    ] = False,
    now: NowOpt = None,
    user: UserOpt = None,
) -> None:
    """刷新 Status of every open case at now; 催办单 reminders grouped by the department holding each overdue case
    (C18); with --mail, one e-mail draft per department (发件/); with --all, closed cases are judged again too."""
    from .actions.register import refresh_register
    from .console import reminder_table, working

    who = _user(user)
    with _register_session(register, user=who, command="刷新 refresh") as session, working("刷新 refreshing …"):
        book = _open(register, kind="register", backups=REGISTER_BACKUPS)
        outcome = refresh_register(book, now=parse_now(now), user=who, key=_key(), closed=everything)
        report_problems(outcome)
        session.commit([book])
    report_messages(outcome)
    typer.echo(reminder_table(outcome.data["overdue_cases"]))
    if mail:
        from .actions.context import load_rules
        from .actions.handover import plan_reminders

        rules, _ = load_rules(book)
        when = parse_now(now)
        plans, problems = plan_reminders(outcome.data["overdue_cases"], rules=rules, now=when)
        _write_drafts(plans, problems, outbox=register.parent / L.OUTBOX_DIR, form=None, at=when)


@app.command()
@_run
def month(
    register: Annotated[Path, typer.Argument(help="登记追踪表 the register")],
    month: Annotated[
        str | None,
        typer.Option("--month", help="月份，如 2026-10（默认：上个月） the month, e.g. 2026-10 (default: last month)"),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="月报工作簿 the report workbook (default: 客诉月报-YYYY-MM.xlsx by the register)"),
    ] = None,
    now: NowOpt = None,
    user: UserOpt = None,
) -> None:
    """月结 The month's statistics with charts, 扣款台账 (capped at half a bonus, carried over), 奖罚通知单,
    人事公布单 and 洽办单 (C12, C18–C20, E4)."""
    from .actions.month import run_month
    from .adapters.report import write_report
    from .console import working

    at = parse_now(now)
    which = _month_option(month, at)
    target = out or register.with_name(L.month_report_file_name(str(which)))
    check_suffix(target)
    who = _user(user)
    with (
        _register_session(register, user=who, command=f"月结 month {which}") as session,
        working(f"月结 {which} …"),
    ):
        book = _open(register, kind="register", backups=REGISTER_BACKUPS)
        outcome = run_month(book, month=which, now=at, user=who, key=_key())
        report_problems(outcome)
        session.commit([book])
        # derived from the committed ledger: rewritten on a rerun
        written = write_report(target, outcome.data["sheets"])
    report_messages(outcome)
    typer.echo(f"已写入 written: {written}")


@app.command()
@_run
def unlock(
    register: Annotated[Path, typer.Argument(help="登记追踪表 the register")],
    force: Annotated[bool, typer.Option("--force", help="确认解除 confirm: break the lock")] = False,
) -> None:
    """解除锁定 Show who holds the register's lock; with --force break it (after checking that command has stopped)."""
    from .store.lock import break_lock, holder_alive, lock_path, read_lock

    info = read_lock(register)
    path = lock_path(register)
    if info is None and not path.exists():
        typer.echo(f"登记表未被锁定 the register is not locked: {register}")
        return
    who = info.describe() if info else "（锁文件不完整 incomplete lock file）"
    since = info.since.replace("T", " ") if info else "?"
    alive = holder_alive(info) if info else False
    states = {True: "仍在运行 still running", False: "已停止 has stopped", None: "在另一台电脑上 on another computer"}
    state = states[alive]
    typer.echo(f"锁定者 held by: {who}，自 since {since}；该操作 that command {state}")
    if not force:
        typer.echo("确认该操作已停止后，加 --force 解除 — add --force to break it once you are sure it has stopped")
        raise typer.Exit(1)
    if alive:
        raise UsageError("该操作仍在本机运行，不能解除 the holding command is still running on this computer")
    if not break_lock(path, expected=info):
        raise UsageError("锁已变化，请重试 the lock changed meanwhile; try again")
    typer.echo(f"已解除锁定 lock removed: {path}")


ServiceBookArg = Annotated[Path, typer.Argument(help="服务中心登记簿 the service centre's workbook")]
CallArg = Annotated[str, typer.Argument(help="叫修编号 the call number (J2611001)")]


def _service_command(when: datetime, path: Path, user: str | None, command: str, act: Any) -> None:
    """One service action on the workbook, under its lock, its rows journaled (``service verify``),
    saved only when it found no error."""
    from .actions.service_journal import journaled

    who = _user(user)
    with _register_session(path, user=who, command=command) as session:
        book = _open(path, kind="service", backups=REGISTER_BACKUPS)
        outcome = journaled(book, act, by=who, command=command, now=when)
        report_problems(outcome)
        session.commit([book])
    report_messages(outcome)


@service_app.command("new")
@_run
def service_new(
    path: Annotated[Path, typer.Argument(help="新的服务中心登记簿 where to create the service workbook (.xlsx)")],
) -> None:
    """建立服务中心登记簿 Create a service centre's workbook from the template (one per centre or branch)."""
    from .templates import template_dir

    check_suffix(path)
    if path.exists():
        raise FileExistsError(f"文件已存在，不覆盖 exists, not overwritten: {path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template_dir() / L.SERVICE_FILE, path)
    typer.echo(f"已建立 created: {path}（先在 服务人员 表登记技术员 — list the technicians in 服务人员 first）")


@service_app.command("call")
@_run
def service_call(
    book: ServiceBookArg,
    customer: Annotated[str, typer.Option(help="客户 the customer")],
    zone: Annotated[str, typer.Option(help="区域 市区 (city, 6 working hours) | 郊区 (suburbs, 7)")],
    category: Annotated[str, typer.Option(help="类别 A 有费服务 | B 合同服务 | C 免费服务 | D 一般行政工作 (A/B/C/D)")],
    address: Annotated[str, typer.Option(help="地址 the address")] = "",
    phone: Annotated[str, typer.Option(help="电话 the phone number")] = "",
    model: Annotated[str, typer.Option(help="机型 the product model")] = "",
    problem_text: Annotated[str, typer.Option("--problem", help="故障描述 what the customer reports")] = "",
    at: Annotated[str | None, typer.Option("--at", help="叫修时间 when the customer called (default: now)")] = None,
    now: NowOpt = None,
    user: UserOpt = None,
) -> None:
    """叫修登记 Log a call (S2): its number and its arrival deadline (S13)."""
    from .actions.service import log_call

    when = parse_now(now)
    called = parse_now(at, option="--at") if at else None
    _service_command(
        when,
        book,
        user,
        "叫修 service call",
        lambda b: log_call(
            b,
            customer=customer,
            zone=zone,
            category=category,
            address=address,
            phone=phone,
            model=model,
            problem_text=problem_text,
            called_at=called,
            now=when,
        ),
    )


@service_app.command("dispatch")
@_run
def service_dispatch(
    book: ServiceBookArg,
    call: CallArg,
    tech: Annotated[str, typer.Option("--tech", help="技术员 the technician sent (listed in 服务人员)")],
    now: NowOpt = None,
    user: UserOpt = None,
) -> None:
    """派工 Send a technician to a call (S2); again to send another before arrival."""
    from .actions.service import dispatch_call

    when = parse_now(now)
    _service_command(
        when, book, user, "派工 service dispatch", lambda b: dispatch_call(b, call, technician=tech, now=when)
    )


@service_app.command("arrive")
@_run
def service_arrive(
    book: ServiceBookArg,
    call: CallArg,
    at: Annotated[str | None, typer.Option("--at", help="到达时间 when the technician arrived (default: now)")] = None,
    now: NowOpt = None,
    user: UserOpt = None,
) -> None:
    """到达 The technician is on site: on time or late (S13)."""
    from .actions.service import arrive_call

    when = parse_now(now)
    arrived = parse_now(at, option="--at") if at else None
    _service_command(when, book, user, "到达 service arrive", lambda b: arrive_call(b, call, now=when, at=arrived))


@service_app.command("finish")
@_run
def service_finish(
    book: ServiceBookArg,
    call: CallArg,
    fee: Annotated[str | None, typer.Option(help="收费金额 the fee of paid work (A), e.g. 300 or ¥1,200")] = None,
    unsigned: Annotated[
        bool, typer.Option("--unsigned", help="客户未签收 the customer has not signed the voucher yet (S12)")
    ] = False,
    note: Annotated[str, typer.Option(help="说明 a note")] = "",
    now: NowOpt = None,
    user: UserOpt = None,
) -> None:
    """完成注销 Done on site: the customer signs, the call is closed (S3); paid work settled (S4)."""
    from .actions.service import finish_call

    when = parse_now(now)
    _service_command(
        when,
        book,
        user,
        "完成 service finish",
        lambda b: finish_call(b, call, now=when, fee=fee, signed=not unsigned, note=note),
    )


@service_app.command("survey")
@_run
def service_survey(
    book: ServiceBookArg,
    call: CallArg,
    attitude: Annotated[str, typer.Option(help="态度 attitude: 很满意 | 满意 | 不满意 | 很不满意 (or 4–1)")],
    skill: Annotated[str, typer.Option(help="技术 skill")],
    arrival: Annotated[str, typer.Option(help="到达时间 arrival time")],
    promise: Annotated[str, typer.Option(help="答应事情的办理 keeping promises")],
    now: NowOpt = None,
    user: UserOpt = None,
) -> None:
    """调查卡 Record a returned survey card: four items on four levels (S15)."""
    from .actions.service import record_survey

    when = parse_now(now)
    answers = {"attitude": attitude, "skill": skill, "arrival": arrival, "promise": promise}
    _service_command(
        when, book, user, "调查卡 service survey", lambda b: record_survey(b, call, answers=answers, now=when)
    )


@service_app.command("day")
@_run
def service_day(
    book: ServiceBookArg,
    day: Annotated[str | None, typer.Option("--date", help="日期 the day (2026-11-30; default: today)")] = None,
    now: NowOpt = None,
    user: UserOpt = None,
) -> None:
    """日报 The day's paper on sheet 服务日报: calls, waiting calls first tomorrow, unsigned vouchers,
    the supervisor's hours by category, a survey card for every call closed (S9, S10, S12, S15)."""
    from .actions.service import day_report

    when = parse_now(now)
    on = _date_option(day, "--date") if day else when.date()
    _service_command(when, book, user, "日报 service day", lambda b: day_report(b, day=on, now=when))


@service_app.command("notices")
@_run
def service_notices(book: ServiceBookArg, now: NowOpt = None, user: UserOpt = None) -> None:
    """保养到期通知 Notices for maintenance contracts ending within a month, on sheet 保养到期通知书 (S14)."""
    from .actions.service import contract_notices

    when = parse_now(now)
    _service_command(when, book, user, "保养到期通知 service notices", lambda b: contract_notices(b, now=when))


@service_app.command("receive-goods")
@_run
def service_receive_goods(
    book: ServiceBookArg,
    call: CallArg,
    goods: Annotated[str, typer.Option(help="商品 what the customer brought in")],
    promised: Annotated[str, typer.Option(help="承诺返还日期 the promised return date (2026-12-05)")],
    model: Annotated[str, typer.Option(help="机型 the model (default: the call's)")] = "",
    tech: Annotated[str, typer.Option("--tech", help="技术员 who repairs it (default: the call's)")] = "",
    now: NowOpt = None,
    user: UserOpt = None,
) -> None:
    """收件维修 Take goods in for repair: receipt, goods register, repair card (S5)."""
    from .actions.service import receive_goods

    when = parse_now(now)
    on = _date_option(promised, "--promised")
    _service_command(
        when,
        book,
        user,
        "收件 service receive-goods",
        lambda b: receive_goods(b, call, goods=goods, promised=on, now=when, model=model, technician=tech),
    )


@service_app.command("return-goods")
@_run
def service_return_goods(
    book: ServiceBookArg,
    receipt: Annotated[str, typer.Argument(help="收据编号 the receipt number (R2611001-1)")],
    hours: Annotated[str, typer.Option(help="维修工时 repair hours on the repair card")],
    checked_by: Annotated[str, typer.Option(help="主任检验 the supervisor who checked the repair")],
    parts: Annotated[str, typer.Option(help="更换零件 parts replaced")] = "",
    fee: Annotated[str | None, typer.Option(help="收费金额 the fee of paid work, invoiced today (S7)")] = None,
    now: NowOpt = None,
    user: UserOpt = None,
) -> None:
    """返还 Return repaired goods: repair card, receipt voided, the call closed (S6, S7)."""
    from .actions.service import return_goods

    when = parse_now(now)
    _service_command(
        when,
        book,
        user,
        "返还 service return-goods",
        lambda b: return_goods(b, receipt, hours=hours, parts=parts, checked_by=checked_by, now=when, fee=fee),
    )


def _date_option(text: str, option: str) -> Any:
    from .domain.values import parse_instant, shown

    try:
        parsed = parse_instant(text)
    except ValueError:
        parsed = None
    if parsed is None:
        raise UsageError(f"{option} 不是日期 is not a date: {shown(text)!r}（如 e.g. 2026-12-05）")
    return parsed[0].date()


@service_app.command("month")
@_run
def service_month_cmd(
    books: Annotated[list[Path], typer.Argument(help="服务中心登记簿 one or more centres' workbooks (read only)")],
    month: Annotated[
        str | None,
        typer.Option("--month", help="月份，如 2026-11（默认：上个月） the month, e.g. 2026-11 (default: last month)"),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="月报工作簿 the report (default: 服务月报-YYYY-MM.xlsx beside the first)")
    ] = None,
    now: NowOpt = None,
) -> None:
    """服务月报 Each technician's month (calls, late arrivals, survey scores, hours by category) and the
    Service department's consolidation of several centres (S11, S13, S15)."""
    from .actions.service import service_month
    from .adapters.report import write_report

    at = parse_now(now)
    which = _month_option(month, at)
    target = out or books[0].with_name(L.service_month_file_name(str(which)))
    check_suffix(target)
    opened = [(path.parent.name or path.stem, _open(path, kind="service")) for path in books]
    names = [c for c, _ in opened]
    if len(set(names)) < len(names):  # two centres' folders with one name: tell them apart by file
        opened = [(f"{c} {p.stem}", b) for (c, b), p in zip(opened, books, strict=True)]
    outcome = service_month(opened, year=which.year, month=which.month, now=at)
    report_problems(outcome)
    written = write_report(target, outcome.data["sheets"])
    report_messages(outcome)
    typer.echo(f"已写入 written: {written}")


@service_app.command("papers")
@_run
def service_papers(
    book: ServiceBookArg,
    call: Annotated[str, typer.Argument(help="叫修编号或投诉编号 a call (J2611001) or a complaint (TS2611001)")],
    out: Annotated[
        Path | None, typer.Option(help="单据工作簿 where to write (default: 单据-CALL.xlsx beside it)")
    ] = None,
    now: NowOpt = None,
) -> None:
    """单据 A call's papers to print, one A4 sheet each: 服务凭证, 领取收据, 修护卡, 调查卡 (S2–S7, S15), and the
    答复函 of its complaints answered in writing; a complaint's number (TS2611001) prints its 答复函 alone (S16)."""
    from .actions.service import call_papers
    from .adapters.report import write_report

    at = parse_now(now)
    if out is not None:
        check_suffix(out)
    outcome = call_papers(_open(book, kind="service"), call, now=at)
    report_problems(outcome)
    target = out or book.with_name(L.service_papers_file_name(call))
    written = write_report(target, outcome.data["sheets"])
    report_messages(outcome)
    typer.echo(f"已写入 written: {written}")


ComplaintArg = Annotated[str, typer.Argument(help="投诉编号 the complaint number (TS2611001)")]


@service_app.command("complaint")
@_run
def service_complaint(
    book: ServiceBookArg,
    customer: Annotated[str, typer.Option(help="客户 the customer")],
    text: Annotated[str, typer.Option(help="内容 what the customer suggests or complains of")],
    serious: Annotated[
        bool, typer.Option("--serious", help="严重 a serious complaint: to the deputy GM first")
    ] = False,
    call: Annotated[str, typer.Option("--call", help="叫修编号 the call it concerns, if any")] = "",
    now: NowOpt = None,
    user: UserOpt = None,
) -> None:
    """客户投诉 Log a service customer's suggestion or complaint (S16); the supervisor visits (S17)."""
    from .actions.service import log_complaint

    when = parse_now(now)
    _service_command(
        when,
        book,
        user,
        "客户投诉 service complaint",
        lambda b: log_complaint(b, customer=customer, text=text, serious=serious, now=when, call_no=call),
    )


@service_app.command("answer")
@_run
def service_answer(
    book: ServiceBookArg,
    complaint: ComplaintArg,
    outcome: Annotated[str, typer.Option(help="处理结果 the outcome told to the customer")],
    by: Annotated[str, typer.Option(help="处理人 who handled it: 副总经理 for a serious one, else 服务部")],
    reply: Annotated[str, typer.Option(help="答复方式 书面 (letter, on sheet 投诉答复函) | 电话 (phone)")],
    now: NowOpt = None,
    user: UserOpt = None,
) -> None:
    """答复 Answer a complaint (S16): a serious one by the deputy GM, by letter."""
    from .actions.service import answer_complaint

    when = parse_now(now)
    _service_command(
        when,
        book,
        user,
        "答复 service answer",
        lambda b: answer_complaint(b, complaint, outcome_text=outcome, by=by, reply=reply, now=when),
    )


@service_app.command("visit")
@_run
def service_visit(
    book: ServiceBookArg,
    complaint: ComplaintArg,
    by: Annotated[str, typer.Option(help="回访人 the supervisor or designated person who visited")],
    note: Annotated[str, typer.Option(help="回访记录 what the customer said")],
    now: NowOpt = None,
    user: UserOpt = None,
) -> None:
    """回访 Record the visit to a complaining customer (S17)."""
    from .actions.service import visit_customer

    when = parse_now(now)
    _service_command(
        when, book, user, "回访 service visit", lambda b: visit_customer(b, complaint, by=by, note=note, now=when)
    )


@service_app.command("status")
@_run
def service_status(book: ServiceBookArg, now: NowOpt = None, user: UserOpt = None) -> None:
    """时效 Every call's arrival at now (S13): 正常 / 即将到期 / 逾期; the overdue ones listed."""
    from .actions.service import judge_calls

    when = parse_now(now)
    _service_command(when, book, user, "时效 service status", lambda b: judge_calls(b, now=when))


@service_app.command("update")
@_run
def service_update(book: ServiceBookArg, now: NowOpt = None, user: UserOpt = None) -> None:
    """登记手填内容 Record what was typed straight into the sheets (new calls, 技术员, 到达时间, 完成时间,
    goods in and back, survey cards, complaints, answers, visits), then every call's 时效; all or nothing."""
    from .actions.service_typed import record_typed

    when = parse_now(now)
    _service_command(when, book, user, "登记手填内容 service update", lambda b: record_typed(b, now=when))


@service_app.command("verify")
@_run
def service_verify(book: ServiceBookArg) -> None:
    """核验 Check the workbook against its journal: cells edited since the kit wrote them, rows deleted
    or numbered by hand, a broken chain (S18); reads only. Exit 1 when anything is found."""
    from .actions.service_journal import verify_service

    outcome = verify_service(_open(book, kind="service"))
    for p in outcome.problems:
        typer.echo(p.render(), err=True)
    report_messages(outcome)
    if not outcome.ok:
        raise typer.Exit(1)


@templates_app.command("build")
@_run
def templates_build(
    out: Annotated[Path, typer.Option(help="输出文件夹 output folder")] = Path("workbook_templates"),
) -> None:
    """生成模板 Build the form, register and service workbook templates from the layout module."""
    from .templates import build_templates

    for path in build_templates(out):
        typer.echo(f"已生成 built: {path}")


@addin_app.command("build")
@_run
def addin_build(
    macros: Annotated[Path | None, typer.Option(help="VBA 源码文件夹 folder of .bas sources")] = None,
    out: Annotated[Path | None, typer.Option(help="输出 the .xlam to write")] = None,
) -> None:
    """生成加载项 Build addin/complaint_kit.xlam from macros/*.bas and the ribbon of the button registry."""
    from .addin.build import AddinBuildError, build_addin, repo_paths

    default_macros, default_out = repo_paths()
    try:
        path = build_addin(macros or default_macros, out or default_out)
    except AddinBuildError as exc:
        raise UsageError(str(exc)) from None
    typer.echo(f"已生成 built: {path}")


@addin_app.command("install")
@_run
def addin_install(
    register: Annotated[Path | None, typer.Option(help="登记追踪表路径 the GM office's register")] = None,
    user: Annotated[str | None, typer.Option(help="使用者姓名 the user's name (经办人)")] = None,
    forms_dir: Annotated[Path | None, typer.Option(help="表单文件夹 folder for new forms")] = None,
    dry_run: Annotated[bool, typer.Option(help="只显示步骤 print the steps only")] = False,
) -> None:
    """安装加载项 Install the xlwings add-in and ours into Excel, and write the settings."""
    from .addin.build import built_addin
    from .addin.install import install_plan, run_install

    addin = built_addin()
    if not addin.exists():
        raise UsageError(f"加载项尚未生成 add-in not built yet: run complaint-kit addin build ({addin})")
    steps = install_plan(addin, register=register, user=user, forms_dir=forms_dir)
    run_install(steps, dry_run=dry_run, echo=typer.echo)


@app.command()
@_run
def bundle(
    folder: Annotated[Path, typer.Argument(help="输出文件夹 where the bundle zip is written")] = Path("dist"),
) -> None:
    """安装包 One zip an administrator carries to a PC: wheel, add-in, templates, install scripts, guide."""
    from .addin.bundle import BundleError, build_bundle

    try:
        path = build_bundle(folder, echo=typer.echo)
    except BundleError as exc:
        raise UsageError(str(exc)) from None
    typer.echo(f"已生成 built: {path}")


@addin_app.command("docs")
@_run
def addin_docs(
    readme: Annotated[Path, typer.Option(help="README 路径")] = Path("README.md"),
) -> None:
    """更新按钮表 Regenerate the README's button table from the button registry."""
    from .buttons import button_table_markdown

    text = readme.read_text(encoding="utf-8")
    start, end = "<!-- buttons:start -->", "<!-- buttons:end -->"
    if start not in text or end not in text:
        raise UsageError(f"{readme} 没有按钮表标记 has no {start} … {end} markers")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    readme.write_text(f"{head}{start}\n{button_table_markdown()}\n{end}{tail}", encoding="utf-8")
    typer.echo(f"已更新 updated: {readme}")


@app.command()
@_run
def demo(
    folder: Annotated[Path, typer.Argument(help="演示文件夹 where the demo office is written")] = Path(
        "complaint-kit-demo"
    ),
) -> None:
    """演示 A scripted two-month story of 30+ cases through the same actions the CLI runs."""
    from .demo import run_demo

    run_demo(folder, echo=typer.echo)


# ---------------------------------------------------------------------------------------------
# Tamper evidence (issue 6): the GM office's signing key, and verification of a register and forms
keys_app = typer.Typer(help="签章密钥 The GM office's signing key (keep it on the office PC; never mail it).")
app.add_typer(keys_app, name="keys")


def _ensure_key() -> None:
    """``init``: create the office's key when there is none, and say where it is."""
    from .config import KeyMissing, create_key, key_path, load_key
    from .domain.seal import key_id

    path = key_path()
    try:
        key = load_key(path)
        typer.echo(f"签章密钥 signing key: {path}（编号 id {key_id(key)}，已存在 existing）")
    except KeyMissing:
        if path.exists():
            raise
        create_key(path)
        typer.echo(
            f"已建立签章密钥 created the signing key: {path}（编号 id {key_id(load_key(path))}）"
            "— 请备份，切勿邮寄 back it up, never mail it"
        )


@keys_app.command("init")
@_run
def keys_init(
    file: Annotated[Path | None, typer.Option("--file", help="密钥文件 where to write the key")] = None,
) -> None:
    """建立签章密钥 Create the GM office's signing key (64 hex characters, readable by its owner only)."""
    from .config import create_key, key_path, load_key
    from .domain.seal import key_id

    path = file or key_path()
    if path.exists():
        raise FileExistsError(f"密钥已存在，不覆盖 the key exists and is not overwritten: {path}")
    create_key(path)
    typer.echo(f"已建立签章密钥 created: {path}\n密钥编号 key id: {key_id(load_key(path))}")
    typer.echo("请备份此文件并妥善保管，切勿放入邮寄的表单或共享文件夹 — back it up; never mail it or share the folder")


@keys_app.command("show-id")
@_run
def keys_show_id() -> None:
    """显示密钥编号 Print the signing key's id (safe to show; the key itself is never printed)."""
    from .domain.seal import key_id

    typer.echo(key_id(_key()))


# ---------------------------------------------------------------------------------------------
# Papers after the decision (issue 7): slips (R1, R2), the receipt (R3–R6), the petition (C14, C16),
# the 异常处理单 (C2). Printed papers are new protected A4 workbooks, written atomically.
def _write_papers(outcome: Outcome, folder: Path, *, force: bool) -> None:
    """The papers an action planned, in ``folder``; an existing file only with ``--force``."""
    from .adapters.openpyxl_book import save_all
    from .adapters.papers import paper_workbook

    report_problems(outcome)
    plan = outcome.data["plan"]
    target = folder / plan.file_name
    if target.exists() and not force:
        raise FileExistsError(f"文件已存在，未写入 file exists, nothing written (use --force): {target}")
    written = save_all([(paper_workbook(plan.papers), target)])
    report_messages(outcome)
    for path in written:
        typer.echo(f"已写入 written: {path}")


def _proof_help() -> str:
    from .domain.returns import Proof

    return f"入账凭证 the proof the return is booked on (R6), one of: {'、'.join(p.value for p in Proof)}"


@app.command()
@_run
def slips(
    form: Annotated[Path, typer.Argument(help="已结案的表单 the closed, approved form")],
    out: PaperDirOpt = None,
    force: OverwriteOpt = False,
    now: NowOpt = None,
) -> None:
    """退货单/折让证明单 Print the slip of the approved handling: 成品退货单, 4 copies (R2); 销货折让证明单, 2 (R1)."""
    from .actions.papers import plan_slip

    _write_papers(plan_slip(_open_form(form), now=parse_now(now)), out or form.parent, force=force)


@app.command()
@_run
def receive(
    form: Annotated[Path, typer.Argument(help="已结案的退货表单 the closed, approved form of a return")],
    qty: Annotated[
        int | None,
        typer.Option("--qty", help="实收数量 the quantity received (default: as typed in section 九 of the form)"),
    ] = None,
    proof: Annotated[str | None, typer.Option("--proof", help=_proof_help())] = None,
    register: Annotated[
        Path | None,
        typer.Option("--register", "-r", help="登记追踪表：查客户的超量允收比率 the register (customer's ratio)"),
    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="经办人 who records it (default: --user's default)")] = None,
    receivables: Annotated[
        Path | None,
        typer.Option(
            "--receivables",
            help="应收账款 .csv/.xlsx，首行标题 客户,料号,发票号,金额（可加 业务员）— Accounting's receivables, headers"
            " 客户,料号,发票号,金额 (optional 业务员): the rows of this customer and part are listed to exclude (R5)",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="重新登记 record again over an earlier receipt")] = False,
    now: NowOpt = None,
) -> None:
    """退货实收 Record the warehouse's receipt against the approved quantity (R3, R4, R6) and list exclusions (R5)."""
    from .actions.papers import ReceivablesFile, record_receipt

    when = parse_now(now)
    who = by or _user(None)
    file = None
    if receivables is not None:
        from .adapters.papers import read_rows

        headers, rows = read_rows(receivables)
        file = ReceivablesFile(receivables.name, tuple(headers), rows)
    reg_book = _open(register, kind="register") if register is not None else None
    book = _open_form(form)
    outcome = record_receipt(
        book, quantity=qty, proof=proof, now=when, by=who, register=reg_book, receivables=file, force=force
    )
    report_problems(outcome)
    book.save()
    report_messages(outcome)


@app.command()
@_run
def petition(
    form: Annotated[Path, typer.Argument(help="已受理的表单 the accepted case's form")],
    text: Annotated[
        str | None,
        typer.Option("--text", help="异议内容 the objection (default: as typed in section 十 of the form)"),
    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="申请人 who petitions (default: --user's default)")] = None,
    out: PaperDirOpt = None,
    force: OverwriteOpt = False,
    now: NowOpt = None,
) -> None:
    """签呈 Draft the petition to the GM about an objection to a case's decision (C14, C16)."""
    from .actions.papers import plan_petition

    outcome = plan_petition(_open_form(form), text=text, by=by or _user(None), now=parse_now(now))
    _write_papers(outcome, out or form.parent, force=force)


@app.command()
@_run
def abnormal(
    register: Annotated[Path, typer.Argument(help="登记追踪表 the register")],
    customer: Annotated[str | None, typer.Option("--customer", help="客户 the customer who reported it")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="责任单位 the responsible unit")] = None,
    description: Annotated[str | None, typer.Option("--description", help="异常内容 what was found")] = None,
    request: Annotated[str | None, typer.Option("--request", help="处理要求 what the unit is asked to do")] = None,
    due_days: Annotated[int, typer.Option("--due-days", help="回复期限（工作日）reply due in working days")] = 3,
    reply: Annotated[
        str | None, typer.Option("--reply", help="回复的异常编号 record the unit's reply to this number (YC…)")
    ] = None,
    text: Annotated[str | None, typer.Option("--text", help="回复内容 the reply (with --reply)")] = None,
    by: Annotated[str | None, typer.Option("--by", help="登记人 who records it (default: --user's default)")] = None,
    now: NowOpt = None,
) -> None:
    """异常处理单 Log a no-loss abnormality, print its sheet for the responsible unit (C2); --reply records answers.

    Without options: the rows typed into the register's 异常处理 sheet with no 编号 are registered and
    printed, and replies typed into waiting rows are recorded (the ribbon's 异常处理 button)."""
    from .actions.papers import register_abnormal, reply_abnormal

    when = parse_now(now)
    who = by or _user(None)
    intake = {"--customer": customer, "--unit": unit, "--description": description, "--request": request}
    if reply is not None:
        given = [name for name, value in intake.items() if value is not None]
        if given or text is None:
            raise UsageError(
                f"--reply 只需 --text，不用 {'、'.join(given) or '其他选项'} — --reply takes --text only"
                if given
                else "--reply 需要 --text 回复内容 — --reply needs --text"
            )
        with _register_session(register, user=who, command="异常回复 abnormal reply") as session:
            book = _open(register, kind="register", backups=REGISTER_BACKUPS)
            outcome = reply_abnormal(book, number=reply, text=text, by=who, now=when, key=_key())
            report_problems(outcome)
            session.commit([book])
        report_messages(outcome)
        return
    if all(value is None for value in intake.values()) and text is None:
        _abnormal_typed(register, who=who, when=when, due_days=due_days)
        return
    missing = [name for name in ("--customer", "--unit", "--description") if intake[name] is None]
    if missing or text is not None:
        raise UsageError(
            f"登记异常需要 {'、'.join(missing)} — registering an abnormality needs {', '.join(missing)}"
            if missing
            else "--text 只与 --reply 同用 — --text goes with --reply"
        )
    from .adapters.papers import paper_workbook

    with _register_session(register, user=who, command="异常登记 abnormal") as session:
        book = _open(register, kind="register", backups=REGISTER_BACKUPS)
        outcome = register_abnormal(
            book,
            customer=customer or "",
            unit=unit or "",
            description=description or "",
            request=request or "",
            due_days=due_days,
            by=who,
            now=when,
            key=_key(),
        )
        report_problems(outcome)
        plan = outcome.data["plan"]
        paper = paper_workbook(plan.papers)
        paper.path = register.parent / L.ABNORMAL_DIR / plan.file_name
        if paper.path.exists():
            raise FileExistsError(f"文件已存在，未写入 file exists, nothing written: {paper.path}")
        session.commit([book, paper])  # the register's row and its printed sheet, as one commit
    report_messages(outcome)
    typer.echo(f"已写入 written: {paper.path}")


def _abnormal_typed(register: Path, *, who: str, when: datetime, due_days: int) -> None:
    """The rows typed into the register's 异常处理 table: registered, printed, replies recorded."""
    from .actions.papers import register_typed_abnormal
    from .adapters.papers import paper_workbook

    with _register_session(register, user=who, command="异常登记 abnormal (typed rows)") as session:
        book = _open(register, kind="register", backups=REGISTER_BACKUPS)
        outcome = register_typed_abnormal(book, due_days=due_days, by=who, now=when, key=_key())
        report_problems(outcome)
        papers = []
        for plan in outcome.data["plans"]:
            paper = paper_workbook(plan.papers)
            paper.path = register.parent / L.ABNORMAL_DIR / plan.file_name
            if paper.path.exists():
                raise FileExistsError(f"文件已存在，未写入 file exists, nothing written: {paper.path}")
            papers.append(paper)
        session.commit([book, *papers])  # the rows and their printed sheets, as one commit
    report_messages(outcome)
    for paper in papers:
        typer.echo(f"已写入 written: {paper.path}")


@app.command()
@_run
def verify(
    register: Annotated[Path, typer.Argument(help="登记追踪表 the register")],
    forms: Annotated[
        Path | None, typer.Option("--forms", help="表单文件夹 folder of forms (default: beside the register and 表单/)")
    ] = None,
) -> None:
    """核验 Check the journal chain, every signature, every register row and every form against the register."""
    from .actions.verify import verify_register
    from .adapters.openpyxl_book import open_forms_beside
    from .console import progress, working

    key = _key()
    with working("读取登记表 reading the register …"):
        reg_book = _open(register, kind="register")
    books, unreadable = open_forms_beside(
        register, forms, each=lambda paths: progress(paths, total=len(paths), label="读取表单 reading forms")
    )
    for path, exc in unreadable:
        typer.echo(problem("W-FORM-UNREADABLE", where=path.name, reason=exc).render(), err=True)
    outcome = verify_register(reg_book, key=key, forms=books)
    for p in outcome.problems:
        typer.echo(p.render(), err=not p.is_error)
    for m in outcome.messages:
        typer.echo(m)
    if not outcome.ok:
        raise typer.Exit(1)


@app.command()
@_run
def upgrade(register: Annotated[Path, typer.Argument(help="登记追踪表 the register")]) -> None:
    """升级登记表 Add what a register built by an older version lacks: 签章 (seals), 责任明细, 扣款台账,
    异常处理, 客户, and the current register view (hour columns, overdue rows by 时效, 在办案件)."""
    from .templates import add_issue7_sheets, add_signatures_sheet
    from .templates.register import add_mailboxes_table, upgrade_register_view

    with _register_session(register, user=_user(None), command="升级 upgrade") as session:
        book = _open(
            register, kind="register", backups=REGISTER_BACKUPS, engine="openpyxl"
        )  # edits the workbook itself
        missing = [t for t in (L.SIGNATURES_TABLE, *L.ISSUE7_TABLES) if t not in book._tables]
        if L.SIGNATURES_TABLE in missing:
            add_signatures_sheet(book.wb)
        add_issue7_sheets(book.wb)
        if add_mailboxes_table(book.wb):
            missing.append(L.MAILBOXES_TABLE)
        view = upgrade_register_view(book.wb)
        if not missing and not view:
            typer.echo(f"无需升级 already up to date: {register}")
            return
        session.commit([book])
    added = f"新增表格 added tables: {'、'.join(missing)}；" if missing else ""
    typer.echo(f"已升级 upgraded: {register}（{added}登记表 register sheet: {'、'.join(view) or '—'}）")


def main() -> None:
    try:
        app()
    except UsageError as exc:  # pragma: no cover - raised outside a command
        typer.echo(f"错误 error: {exc}", err=True)
        sys.exit(2)
