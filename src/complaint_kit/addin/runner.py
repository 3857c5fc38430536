"""Runs one ribbon button: find the workbook, check it is the right kind, call the handler, and
tell the user the result in a Chinese message box. Errors are logged, never shown as tracebacks."""

from __future__ import annotations

import logging
import traceback
from datetime import datetime
from pathlib import Path
from typing import Any

from .. import layout as L
from ..actions.outcome import Outcome
from ..buttons import BUTTON_BY_ID, Button, Target
from ..domain.problems import Problem

MAX_LINES = 15
log = logging.getLogger("complaint_kit.addin")


def log_path() -> Path:
    return Path.home() / ".complaint_kit" / "addin.log"


def run_button(button_id: str, book: Any = None, *, now: datetime | None = None) -> Outcome | None:
    import xlwings as xw

    if book is None:
        book = xw.Book.caller()
    button = BUTTON_BY_ID.get(button_id)
    if button is None:
        _alert(book, "客诉管理", f"未知按钮 {button_id}：请重新安装加载项（complaint-kit addin install）", error=True)
        return None
    title = f"客诉管理 — {button.zh}"
    try:  # from here on, whatever fails reaches the clerk as a message box, not a traceback
        from ..adapters.xlwings_book import XlwingsBook
        from ..clock import company_now
        from ..config import load_config
        from . import handlers

        live = XlwingsBook(book)
        problem = _target_problem(button, live)
        if problem:
            _alert(book, title, problem, error=True)
            return None
        ctx = handlers.Context(
            book=book, live=live, config=load_config(read_conf_sheet(book)), now=now or company_now()
        )
        outcome: Outcome = getattr(handlers, button.handler)(ctx)
    except Exception as exc:
        carried = refusal_problems(exc)
        if not carried:
            _log_exception(button_id)
            _alert(book, title, f"操作未完成：{exc}\n详情已记录在 {log_path()}", error=True)
            return None
        outcome = Outcome(problems=carried)  # a refusal (register busy, no key, broken file): its own words
    _alert(book, title, render(outcome), error=not outcome.ok)
    return outcome


def refusal_problems(exc: Exception) -> list[Problem]:
    """A refusal the clerk reads as a problem, not a crash: the register held by someone else
    (``RegisterBusy``) or no signing key on this PC (``KeyMissing``). Anything else: none."""
    from ..config import KeyMissing
    from ..store.lock import RegisterBusy

    return [exc.problem] if isinstance(exc, RegisterBusy | KeyMissing) else []


def _target_problem(button: Button, live: Any) -> str | None:
    is_form = live.has_name(L.META_VERSION)
    if button.target is Target.FORM and not is_form:
        return f"请在客户抱怨处理表中使用“{button.zh}”（当前工作簿不是客户抱怨处理表）。"
    if button.target is Target.REGISTER and not live.has_table(L.REGISTER_TABLE):
        return f"请在客户抱怨案件登记追踪表中使用“{button.zh}”（当前工作簿没有登记表）。"
    if button.target is Target.SERVICE and not live.has_table(L.CALLS_TABLE):
        return f"请在服务中心登记簿中使用“{button.zh}”（当前工作簿没有叫修登记簿）。"
    return None


def render(outcome: Outcome) -> str:
    """Chinese only: the first half of every "中文 — English" message, then the problems."""
    lines = [m.split(" — ")[0] for m in outcome.messages]
    problems: list[Problem] = outcome.problems
    if outcome.errors:
        lines.insert(0, f"发现 {len(outcome.errors)} 个问题，未写入任何内容：")
    for p in problems[:MAX_LINES]:
        place = f"[{p.where}] " if p.where else ""
        lines.append(f"• {place}{p.zh}")
    if len(problems) > MAX_LINES:
        lines.append(f"……另有 {len(problems) - MAX_LINES} 项")
    return "\n".join(lines) or "完成。"


def read_conf_sheet(book: Any) -> dict[str, str]:
    """The optional ``complaint_kit.conf`` sheet (column A key, column B value), one read."""
    if L.CONF_SHEET not in [s.name for s in book.sheets]:
        return {}
    values = book.sheets[L.CONF_SHEET].range("A1").expand("table").options(ndim=2).value or []
    return {str(r[0]): str(r[1]) for r in values if len(r) > 1 and r[0] and r[1] is not None}


def _alert(book: Any, title: str, text: str, *, error: bool) -> None:
    book.app.alert(text, title=title, buttons="ok", mode="critical" if error else "info")


def _log_exception(button_id: str) -> None:
    try:
        path = log_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"--- {datetime.now().isoformat()} {button_id}\n{traceback.format_exc()}\n")
    except OSError:
        log.exception("could not write the add-in log")
