"""``complaint-kit``: every step of the complaint lifecycle on workbook files.

Each command opens the files, runs one action, and saves atomically only when the action found
no error; problems are printed in Chinese with English beside them, naming the cell, and the
exit code is 1. ``--now`` makes every run reproducible.
"""

from __future__ import annotations

import shutil
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from . import layout as L
from .actions.outcome import Outcome
from .adapters.openpyxl_book import OpenpyxlBook, WorkbookError, save_all
from .clock import company_now, to_company_time
from .config import REGISTER_BACKUPS, default_user
from .domain.rules import Stage

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


NowOpt = Annotated[
    str | None,
    typer.Option(
        "--now", help="当前时间 the current time, ISO 8601 (2026-11-03T09:30); default: the clock, company time zone"
    ),
]
UserOpt = Annotated[
    str | None, typer.Option("--user", help="操作人 who runs the command (default: $COMPLAINT_KIT_USER or login)")
]


class UsageError(Exception):
    pass


def parse_now(text: str | None) -> datetime:
    """T4: naive company wall time; an aware ``--now`` is converted to the company zone."""
    if not text:
        return company_now()
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--now 不是 ISO 日期时间 is not an ISO date-time: {text!r}") from None
    return to_company_time(value)


def _user(user: str | None) -> str:
    return user or default_user()


def _open(path: Path, *, kind: str, backups: int = 0) -> OpenpyxlBook:
    book = OpenpyxlBook.open(path, backups=backups)
    marker = L.META_VERSION if kind == "form" else None
    if kind == "form" and not book.has_name(marker or ""):
        raise UsageError(f"{path.name} 不是客户抱怨处理表 is not a complaint form (no defined name {marker})")
    if kind == "register" and L.REGISTER_TABLE not in {n for ws in book.wb.worksheets for n in ws.tables}:
        raise UsageError(f"{path.name} 不是客诉登记表 is not a complaint register (no table {L.REGISTER_TABLE})")
    return book


def report(outcome: Outcome) -> None:
    for p in outcome.problems:
        typer.echo(p.render(), err=True)
    for m in outcome.messages:
        typer.echo(m)
    if not outcome.ok:
        n = len(outcome.errors)
        typer.echo(f"共 {n} 个错误，未写入任何文件 — {n} error(s); nothing was written", err=True)
        raise typer.Exit(1)


def _run(fn):  # type: ignore[no-untyped-def]
    """Turn usage and I/O failures into a message and exit code 2 (no traceback for a clerk)."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            return fn(*args, **kwargs)
        except (UsageError, WorkbookError, KeyError, FileExistsError, FileNotFoundError, PermissionError) as exc:
            typer.echo(f"错误 error: {exc}", err=True)
            raise typer.Exit(2) from None

    return wrapper


@app.command()
@_run
def init(folder: Annotated[Path, typer.Argument(help="办公文件夹 the office folder to create")]) -> None:
    """建立办公文件夹 Create an office folder: the register, a blank form and a folder for forms."""
    from .templates import template_dir

    src = template_dir()
    folder.mkdir(parents=True, exist_ok=True)
    register = folder / L.REGISTER_FILE
    if register.exists():
        raise FileExistsError(f"登记表已存在，不覆盖 register exists, not overwritten: {register}")
    shutil.copyfile(src / L.REGISTER_FILE, register)
    shutil.copyfile(src / L.FORM_FILE, folder / L.FORM_FILE)
    (folder / L.FORMS_DIR).mkdir(exist_ok=True)
    typer.echo(
        f"已建立 created: {register}\n已建立 created: {folder / L.FORM_FILE}\n表单文件夹 forms: {folder / L.FORMS_DIR}"
    )


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
    values = {}
    for item in set_ or []:
        if "=" not in item:
            raise UsageError(f"--set 需要 Name=Value, got {item!r}")
        key, value = item.split("=", 1)
        values[key.strip()] = value
    book = OpenpyxlBook.open(template_dir() / L.FORM_FILE)
    outcome = new_form(book, values=values, now=when)
    report(outcome)
    book.save(out)
    typer.echo(f"已写入 written: {out}")


@app.command()
@_run
def validate(form: Annotated[Path, typer.Argument(help="客户抱怨处理表 the form")], now: NowOpt = None) -> None:
    """检查表单 Validate a form: intake (C4) and every finished section (C7)."""
    from .actions.forms import validate_form

    report(validate_form(_open(form, kind="form"), now=parse_now(now)))


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
    received = parse_now(received_at) if received_at else None
    form_book = _open(form, kind="form")
    reg_book = _open(register, kind="register", backups=REGISTER_BACKUPS)
    outcome = accept_form(form_book, reg_book, now=when, user=_user(user), received_at=received)
    report(outcome)
    save_all([(form_book, None), (reg_book, None)])


@app.command()
@_run
def complete(
    form: Annotated[Path, typer.Argument(help="客户抱怨处理表 the form")],
    stage: Annotated[Stage, typer.Option(help="完成的阶段 the stage being completed")],
    by: Annotated[str, typer.Option(help="经办人 who completes it")],
    register: Annotated[
        Path | None, typer.Option("--register", "-r", help="同时更新登记表 also update the register")
    ] = None,
    now: NowOpt = None,
    user: UserOpt = None,
) -> None:
    """完成阶段 Complete a stage: check the section, stamp it, start the next stage (C6, C7)."""
    from .actions.forms import complete_stage

    form_book = _open(form, kind="form")
    reg_book = _open(register, kind="register", backups=REGISTER_BACKUPS) if register else None
    outcome = complete_stage(form_book, stage=stage, by=by, now=parse_now(now), register=reg_book, user=user)
    report(outcome)
    save_all([(form_book, None)] + ([(reg_book, None)] if reg_book else []))


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

    old = _open(form, kind="form")
    new = OpenpyxlBook.open(template_dir() / L.FORM_FILE)
    outcome = reopen_form(old, new, now=parse_now(now))
    report(outcome)
    target = out or form.with_name(L.reopened_form_name(form.stem))
    if target.exists():
        raise FileExistsError(f"文件已存在 file exists: {target}")
    new.save(target)
    typer.echo(f"已写入 written: {target}")


@app.command()
@_run
def refresh(
    register: Annotated[Path, typer.Argument(help="登记追踪表 the register")],
    now: NowOpt = None,
    user: UserOpt = None,
) -> None:
    """刷新 Status of every case at now; 催办单 reminders grouped by the department holding each overdue case (C18)."""
    from .actions.register import refresh_register

    book = _open(register, kind="register", backups=REGISTER_BACKUPS)
    report(refresh_register(book, now=parse_now(now), user=_user(user)))
    book.save()


@templates_app.command("build")
@_run
def templates_build(
    out: Annotated[Path, typer.Option(help="输出文件夹 output folder")] = Path("workbook_templates"),
) -> None:
    """生成模板 Build the form and register templates from the layout module."""
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


def main() -> None:
    try:
        app()
    except UsageError as exc:  # pragma: no cover - raised outside a command
        typer.echo(f"错误 error: {exc}", err=True)
        sys.exit(2)
