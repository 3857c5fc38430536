"""Coercion of cell values into domain values, each failure a :class:`Problem`.

Cells arrive as whatever the adapter gives: ``datetime`` from openpyxl and xlwings, strings a
clerk typed, Excel serial numbers from raw readers, floats for whole numbers.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from .problems import Problem

E = TypeVar("E", bound=StrEnum)
EXCEL_EPOCH = datetime(1899, 12, 30)
_FORMATS = (
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日",
)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def to_text(value: Any) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an order number typed as a number
    return str(value).strip()


def to_datetime(value: Any) -> datetime | None:
    """None for blank; raises ValueError for something that is not a date-time."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (EXCEL_EPOCH + timedelta(days=float(value))).replace(microsecond=0)
    text = str(value).strip()
    for fmt in _FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueError(f"{value!r} is not a date-time")


def to_int(value: Any) -> int | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError("a yes/no is not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"{value!r} is not a whole number")
        return int(value)
    text = str(value).strip().replace(",", "")
    if text.endswith(".0"):
        text = text[:-2]
    return int(text)


class FieldReader:
    """Reads typed values out of a raw ``{attr: cell value}`` mapping, collecting problems.

    ``labels`` maps attrs to the Chinese labels the clerk sees (from the layout module).
    """

    def __init__(self, raw: dict[str, Any], labels: dict[str, str]) -> None:
        self.raw = raw
        self.labels = labels
        self.problems: list[Problem] = []

    def label(self, attr: str) -> str:
        return self.labels.get(attr, attr)

    def problem(self, attr: str, code: str, zh: str, en: str, rule: str | None = None) -> None:
        self.problems.append(Problem(code, f"{self.label(attr)}：{zh}", f"{attr}: {en}", attr, rule=rule))

    def missing(self, attr: str, rule: str | None = None) -> None:
        self.problem(attr, "E-REQUIRED", "必填", "is required", rule)

    def text(self, attr: str, *, required: bool = True, rule: str | None = None) -> str:
        value = to_text(self.raw.get(attr))
        if required and not value:
            self.missing(attr, rule)
        return value

    def integer(self, attr: str, *, required: bool = True, minimum: int = 0, rule: str | None = None) -> int | None:
        raw = self.raw.get(attr)
        try:
            value = to_int(raw)
        except ValueError:
            self.problem(attr, "E-NOT-INTEGER", f"应为整数，而不是“{raw}”", f"{raw!r} is not a whole number", rule)
            return None
        if value is None:
            if required:
                self.missing(attr, rule)
            return None
        if value < minimum:
            self.problem(attr, "E-TOO-SMALL", f"不能小于 {minimum}", f"must be at least {minimum}", rule)
            return None
        return value

    def instant(self, attr: str, *, required: bool = True, rule: str | None = None) -> datetime | None:
        raw = self.raw.get(attr)
        try:
            value = to_datetime(raw)
        except ValueError:
            self.problem(
                attr,
                "E-NOT-DATETIME",
                f"应为日期时间(如 2026-11-03 09:30)，而不是“{raw}”",
                f"{raw!r} is not a date-time such as 2026-11-03 09:30",
                rule,
            )
            return None
        if value is None and required:
            self.missing(attr, rule)
        return value

    def day(self, attr: str, *, required: bool = True, rule: str | None = None) -> date | None:
        value = self.instant(attr, required=required, rule=rule)
        return value.date() if value else None

    def choice(self, attr: str, enum: type[E], *, required: bool = True, rule: str | None = None) -> E | None:
        value = to_text(self.raw.get(attr))
        if not value:
            if required:
                self.missing(attr, rule)
            return None
        try:
            return enum(value)
        except ValueError:
            allowed = "、".join(e.value for e in enum)
            self.problem(
                attr,
                "E-NOT-IN-LIST",
                f"“{value}”不在可选值中（{allowed}）",
                f"{value!r} is not one of: {allowed}",
                rule,
            )
            return None
