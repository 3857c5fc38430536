"""催办单 (C18): the reminder sheet that ``refresh`` writes into the register, one block per
department holding overdue cases, printed for the department to answer and sign on paper."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .. import layout as L
from ..ports import SheetContent

REPLY_HEIGHT = 54.0  # points: three handwritten lines
SIGN_HEIGHT = 24.0


def reminder_sheet(reminders: dict[str, list[list[Any]]], *, now: datetime) -> SheetContent:
    """催办单 (C18): one bordered block per department that holds overdue cases — its heading, the
    cases, then a reply line and a signature line to fill in by hand and return to the GM office.

    Example: two departments → rows ``[生成时间…], [], [致：业务部…], [headers], [case…],
    [回复…], [部门主管签名…], [], [致：制造部…], …``; each department from its heading to its
    signature line is one box."""
    rows: list[list[Any]] = [[f"生成时间：{now:%Y-%m-%d %H:%M}（规则 C18）"], []]
    bold: set[int] = set()
    boxes: list[tuple[int, int]] = []
    wide_rows: dict[int, float | None] = {}
    if not reminders:
        rows.append(["目前没有逾期未结的案件。"])
    for dept in sorted(reminders):
        first = len(rows)
        bold.add(len(rows))
        wide_rows[len(rows)] = None
        rows.append([f"致：{dept}（逾期 {len(reminders[dept])} 件，请即办理并回复总经理室）"])
        bold.add(len(rows))
        rows.append(list(L.REMINDER_HEADERS))
        rows.extend(sorted(reminders[dept], key=lambda r: str(r[0])))
        wide_rows[len(rows)] = REPLY_HEIGHT
        rows.append([L.REMINDER_REPLY])
        wide_rows[len(rows)] = SIGN_HEIGHT
        rows.append([L.REMINDER_SIGN])
        boxes.append((first, len(rows) - 1))
        rows.append([])
    return SheetContent(
        L.REMINDER_TITLE,
        rows,
        L.REMINDER_WIDTHS,
        frozenset(bold),
        {4: L.DATETIME_FORMAT, 6: L.DATETIME_FORMAT},
        boxes=tuple(boxes),
        wide_rows=wide_rows,
        font=L.FONT_NAME,
    )
