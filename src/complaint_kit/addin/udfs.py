"""Cell functions (xlwings UDFs, Windows desktop Excel): where a formula is the natural interface.

    =CK_DUE(start, "quality", "国内")      working-time deadline of a stage (C6, T1–T3)
    =CK_WORKTIME(start, end)              working hours between two instants (T1)
    =CK_STATUS(due, done, at)             正常 / 即将到期 / 逾期 / 按时完成 / 逾期完成 (C18)

They use the configured register's 设置 and 日历 (read once per change of the file), or the
defaults when no register is configured. On Linux the decorators are no-ops and these stay plain
functions, which is how the tests call them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import xlwings as xw

from ..actions.context import Rules, load_rules
from ..domain.routing import compute_stage_due, compute_timeliness
from ..domain.rules import STAGE_ZH, Market, Stage
from ..domain.settings import Settings
from ..domain.values import to_datetime

_cache: dict[str, Any] = {}


def udf_rules() -> Rules:
    from ..adapters.openpyxl_book import OpenpyxlBook
    from ..config import load_config

    path = load_config().register
    key = f"{path}:{path.stat().st_mtime_ns}" if path and path.exists() else "defaults"
    if _cache.get("key") != key:
        rules = Rules.of(Settings())
        if path and path.exists():
            loaded, problems = load_rules(OpenpyxlBook.open(path))
            if not any(p.is_error for p in problems):
                rules = loaded
        _cache.update(key=key, rules=rules)
    rules_: Rules = _cache["rules"]
    return rules_


def _stage(text: Any) -> Stage:
    value = str(text).strip()
    for stage in Stage:
        if value in (stage.value, STAGE_ZH[stage]):
            return stage
    raise ValueError(f"未知阶段 {value}")


def _instant(value: Any, what: str) -> datetime:
    instant = to_datetime(value)
    if instant is None:
        raise ValueError(f"{what}为空")
    return instant


@xw.func
@xw.arg("start", doc="阶段开始时间 start of the stage")
@xw.arg("stage", doc="阶段：quality/manufacturing/rnd/negotiation/consolidation 或中文名")
@xw.arg("market", doc="国内 或 国外")
def CK_DUE(start: Any, stage: Any, market: Any = "国内") -> Any:
    """阶段期限（工作时间）— the working-time deadline of a stage."""
    try:
        rules = udf_rules()
        due = compute_stage_due(
            _stage(stage),
            _instant(start, "开始时间"),
            Market(str(market).strip()),
            settings=rules.settings,
            calendar=rules.calendar,
        )
        return due if due is not None else "（无时限）"
    except ValueError as exc:
        return f"#错误：{exc}"


@xw.func
@xw.arg("start", doc="开始 from")
@xw.arg("end", doc="结束 to")
def CK_WORKTIME(start: Any, end: Any) -> Any:
    """两时间之间的工作小时数 — working hours between two instants."""
    try:
        rules = udf_rules()
        return rules.calendar.between(_instant(start, "开始时间"), _instant(end, "结束时间")) / 60
    except ValueError as exc:
        return f"#错误：{exc}"


@xw.func
@xw.arg("due", doc="期限 deadline")
@xw.arg("done", doc="完成时间（未完成留空） done at, blank if open")
@xw.arg("at", doc="时点（留空=现在） at this moment, blank = now")
def CK_STATUS(due: Any, done: Any = None, at: Any = None) -> Any:
    """时效：正常 / 即将到期 / 逾期 / 按时完成 / 逾期完成 (C18)."""
    from ..clock import company_now

    try:
        rules = udf_rules()
        deadline = _instant(due, "期限")
        finished = to_datetime(done)
        moment = to_datetime(at) or company_now(rules.settings.timezone)
        soon = int(rules.settings.due_soon_hours * 60)
        return compute_timeliness(
            Stage.APPROVAL, deadline, finished, now=moment, soon_minutes=soon, calendar=rules.calendar
        ).timeliness.value
    except ValueError as exc:
        return f"#错误：{exc}"
