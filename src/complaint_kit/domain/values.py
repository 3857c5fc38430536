"""Coercion of cell values into domain values, each failure a :class:`Problem`.

Cells arrive as whatever the adapter gives: ``datetime`` from openpyxl and xlwings, strings a
clerk typed, Excel serial numbers from raw readers, floats for whole numbers.

Hostile or damaged input is refused here too, naming the field (issue 6): dates outside
2000-01-01 … 2100-12-31 (a typo such as 0026 or 1900, or an Excel serial of 1e20), text longer than
Excel's 32,767-character cell limit (Excel would cut it), control characters other than tab and
line breaks and lone surrogates (neither can be stored in a workbook's XML).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from .problems import Problem, problem

E = TypeVar("E", bound=StrEnum)
EXCEL_EPOCH = datetime(1899, 12, 30)
EARLIEST = datetime(2000, 1, 1)  # before the kit and the holiday data: a typo, not a complaint
LATEST = datetime(2100, 12, 31, 23, 59, 59)
MAX_CELL_TEXT = 32_767  # Excel's limit on the characters in one cell
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
        days = float(value)
        if not math.isfinite(days) or not -1 <= days <= 2_958_465:  # Excel's own range: 1900 … 9999
            raise ValueError(f"{value!r} is not a date-time serial")
        return (EXCEL_EPOCH + timedelta(days=days)).replace(microsecond=0)
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
        if not math.isfinite(value) or not value.is_integer():
            raise ValueError(f"{value!r} is not a whole number")
        return int(value)
    text = str(value).strip().replace(",", "")
    if text.endswith(".0"):
        text = text[:-2]
    return int(text)


def _ymd(value: date) -> str:
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"  # strftime drops a year's zeros


def shown(value: Any, limit: int = 40) -> str:
    """A value as a message may quote it: control characters and lone surrogates escaped (they
    cannot be printed or stored), long text cut to ``limit`` characters with an ellipsis."""
    text = value if isinstance(value, str) else str(value)
    out = "".join(
        ch if ch.isprintable() else f"\\u{ord(ch):04x}"  # a lone surrogate is not printable
        for ch in text[:limit]
    )
    return out + ("…" if len(text) > limit else "")


_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def text_problem(value: Any) -> tuple[str, dict[str, Any]] | None:
    """Why ``value`` cannot be stored in a cell as text, as ``(code, params)`` for
    :func:`~complaint_kit.domain.problems.problem` (plus the ``label``/``attr`` the caller names),
    or None.
    Control characters are C0/C1 except tab, line feed and carriage return (XML 1.0 cannot hold
    them); one regular-expression scan, so it is cheap enough for every cell a register writes."""
    if not isinstance(value, str):
        return None
    found = _UNSTORABLE.search(value)
    if found is not None:
        i, code = found.start(), ord(found.group())
        surrogate = 0xD800 <= code <= 0xDFFF
        return ("E-BAD-CHAR" if surrogate else "E-CONTROL-CHAR"), {"position": i + 1, "char": code}
    if len(value) > MAX_CELL_TEXT:
        return "E-TOO-LONG", {"length": len(value), "limit": MAX_CELL_TEXT}
    return None


class FieldReader:
    """Reads typed values out of a raw ``{attr: cell value}`` mapping, collecting problems.

    ``labels`` maps attrs to the Chinese labels the clerk sees (from the layout module).
    """

    def __init__(self, raw: dict[str, Any], labels: dict[str, str]) -> None:
        self.raw = raw
        self.labels = labels
        self.problems: list[Problem] = []
        self._screened: set[str] = set()
        self._refused: set[str] = set()

    def label(self, attr: str) -> str:
        return self.labels.get(attr, attr)

    def problem(self, attr: str, code: str, *, rule: str | None = None, **params: Any) -> None:
        """A problem of the field ``attr``: the catalogue's texts for ``code`` start with the
        field's ``{label}`` (Chinese) and ``{attr}`` (English)."""
        self.problems.append(problem(code, field=attr, rule=rule, label=self.label(attr), attr=attr, **params))

    def missing(self, attr: str, rule: str | None = None) -> None:
        self.problem(attr, "E-REQUIRED", rule=rule)

    def screen(self, attr: str, rule: str | None = None) -> bool:
        """False (and a problem naming the field) when the cell holds text that cannot be kept:
        over 32,767 characters, control characters, lone surrogates. Each field once per reader."""
        if attr in self._screened:
            return attr not in self._refused
        self._screened.add(attr)
        found = text_problem(self.raw.get(attr))
        if found is None:
            return True
        self._refused.add(attr)
        code, params = found
        self.problem(attr, code, rule=rule, **params)
        return False

    def screen_all(self, *, skip: frozenset[str] = frozenset()) -> None:
        """Screen every field of the mapping not screened yet (except ``skip``)."""
        for attr in self.raw:
            if attr not in skip:
                self.screen(attr)

    def text(self, attr: str, *, required: bool = True, rule: str | None = None) -> str:
        if not self.screen(attr, rule):
            return ""
        value = to_text(self.raw.get(attr))
        if required and not value:
            self.missing(attr, rule)
        return value

    def integer(
        self,
        attr: str,
        *,
        required: bool = True,
        minimum: int = 0,
        maximum: int | None = None,
        rule: str | None = None,
    ) -> int | None:
        raw = self.raw.get(attr)
        try:
            value = to_int(raw)
        except (ValueError, OverflowError):
            self.problem(attr, "E-NOT-INTEGER", rule=rule, value=shown(raw))
            return None
        if value is None:
            if required:
                self.missing(attr, rule)
            return None
        if value < minimum:
            self.problem(attr, "E-TOO-SMALL", rule=rule, minimum=minimum)
            return None
        if maximum is not None and value > maximum:
            self.problem(attr, "E-TOO-LARGE", rule=rule, value=value, maximum=maximum)
            return None
        return value

    def instant(self, attr: str, *, required: bool = True, rule: str | None = None) -> datetime | None:
        raw = self.raw.get(attr)
        try:
            value = to_datetime(raw)
        except (ValueError, OverflowError):
            self.problem(attr, "E-NOT-DATETIME", rule=rule, value=shown(raw))
            return None
        if value is None:
            if required:
                self.missing(attr, rule)
            return None
        if not EARLIEST <= value <= LATEST:
            self.problem(attr, "E-DATE-RANGE", rule=rule, day=_ymd(value))
            return None
        return value

    def day(self, attr: str, *, required: bool = True, rule: str | None = None) -> date | None:
        value = self.instant(attr, required=required, rule=rule)
        return value.date() if value else None

    def choice(self, attr: str, enum: type[E], *, required: bool = True, rule: str | None = None) -> E | None:
        if not self.screen(attr, rule):
            return None
        value = to_text(self.raw.get(attr))
        if not value:
            if required:
                self.missing(attr, rule)
            return None
        try:
            return enum(value)
        except ValueError:
            allowed = "、".join(e.value for e in enum)
            self.problem(attr, "E-NOT-IN-LIST", rule=rule, value=shown(value), allowed=allowed)
            return None
