"""在办案件 (issue 8): the open cases as a meeting reads them — the dozen columns that matter, the
overdue first — on a sheet that prints on one landscape A4 page wide. Written by ``refresh``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .. import layout as L
from ..domain.routing import Status, Timeliness
from ..domain.values import to_text
from ..ports import SheetContent

_ORDER = {Timeliness.OVERDUE.value: 0, Timeliness.DUE_SOON.value: 1}


def open_cases_sheet(records: list[dict[str, Any]], *, now: datetime) -> SheetContent:
    """Every case not closed, overdue first (the longest overdue on top), then due soon, then by
    stage deadline; overdue rows in bold so the paper shows them without colour."""
    open_ = [r for r in records if to_text(r.get("case_no")) and to_text(r.get("status")) != Status.CLOSED.value]
    open_.sort(
        key=lambda r: (
            _ORDER.get(to_text(r.get("timeliness")), 2),
            -(r.get("overdue_hours") or 0) if isinstance(r.get("overdue_hours"), int | float) else 0,
            r.get("stage_due_at") if isinstance(r.get("stage_due_at"), datetime) else datetime.max,
            to_text(r.get("case_no")),
        )
    )
    overdue = sum(1 for r in open_ if to_text(r.get("timeliness")) == Timeliness.OVERDUE.value)
    headers = [L.COLUMN_BY_ATTR[a].header for a in L.OPEN_CASES_ATTRS]
    rows: list[list[Any]] = [
        [f"截至 {now:%Y-%m-%d %H:%M}（最近一次刷新）：在办 {len(open_)} 件，其中逾期 {overdue} 件（规则 C18）"],
        headers,
    ]
    bold = {1}
    for rec in open_:
        if to_text(rec.get("timeliness")) == Timeliness.OVERDUE.value:
            bold.add(len(rows))
        rows.append([rec.get(a) for a in L.OPEN_CASES_ATTRS])
    if not open_:
        rows.append(["目前没有在办案件。"])
    formats = {
        j: L.DATETIME_FORMAT for j, a in enumerate(L.OPEN_CASES_ATTRS) if L.COLUMN_BY_ATTR[a].kind is L.Kind.DATETIME
    }
    formats[L.OPEN_CASES_ATTRS.index("overdue_hours")] = "0.00"
    return SheetContent(
        L.OPEN_CASES_TITLE,
        rows,
        L.OPEN_CASES_WIDTHS,
        frozenset(bold),
        formats,
        boxes=((1, len(rows) - 1),) if open_ else (),
        font=L.FONT_NAME,
    )
