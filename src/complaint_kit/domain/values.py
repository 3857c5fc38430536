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
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from .problems import Problem, problem

E = TypeVar("E", bound=StrEnum)
EXCEL_EPOCH = datetime(1899, 12, 30)
EARLIEST = datetime(2000, 1, 1)  # before the kit and the holiday data: a typo, not a complaint
LATEST = datetime(2100, 12, 31, 23, 59, 59)
MAX_CELL_TEXT = 32_767  # Excel's limit on the characters in one cell
# Dates and date-times as people type them (issue 8): 2026-9-30, 2026/9/30, 2026.9.30, 2026年9月30日,
# 20260930, each optionally followed by a time 9:30, 9:30:00, 9时30分, 9点, 下午3:30. Full-width digits and
# punctuation are folded first (NFKC), so ２０２６／９／３０ reads the same.
_DATE_TIME = re.compile(
    r"""^(?P<y>\d{4})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})\s*日?
    |^(?P<cy>\d{4})(?P<cm>\d{2})(?P<cd>\d{2})""",
    re.X,
)
_TIME = re.compile(
    r"""^(?:T|\s*)\s*(?P<half>上午|下午|晚上|AM|PM)?\s*
    (?P<H>\d{1,2})\s*(?:(?::|时|点)\s*(?P<M>\d{1,2})?\s*分?(?:\s*:\s*(?P<S>\d{1,2})\s*秒?)?)
    \s*(?P<ampm>AM|PM)?$""",
    re.X | re.I,
)
_INTEGER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.0*)?$")  # 1200, 1,200, 1200.0
_DECIMAL = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?$|^[+-]?\.\d+$")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """What people paste, as the kit compares it: full-width letters, digits and punctuation folded
    to their plain forms (NFKC: ``１２０`` → ``120``, ``，`` → ``,``, ``：`` → ``:``), every run of
    spaces (also the ideographic space and non-breaking spaces) made one, the ends trimmed. Used for
    numbers, dates, choices and codes — never for prose, whose punctuation is the writer's."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def to_text(value: Any) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an order number typed as a number
    return str(value).strip()


def parse_instant(value: Any) -> tuple[datetime, bool] | None:
    """A cell or a typed text as ``(date-time, whether a time of day was given)``; None for blank.
    Raises ValueError for something that is not a date or date-time.

    A ``datetime`` (openpyxl, xlwings) and an Excel serial carry their time, even 00:00; a
    ``date`` and a text without a time do not — a caller that needs the time refuses them rather
    than read midnight (issue 8)."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None and not value.microsecond:  # as read from a cell, mostly
            return value, True
        return value.replace(tzinfo=None, microsecond=0), True
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day), False
    if isinstance(value, int | float) and not isinstance(value, bool):
        days = float(value)
        if not math.isfinite(days) or not -1 <= days <= 2_958_465:  # Excel's own range: 1900 … 9999
            raise ValueError(f"{value!r} is not a date-time serial")
        return (EXCEL_EPOCH + timedelta(days=days)).replace(microsecond=0), True
    return _parse_text_instant(str(value))


_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")  # 46295.375 pasted from a cell shown as General


def _parse_text_instant(raw: str) -> tuple[datetime, bool]:
    text = fold(raw)
    if _SERIAL.match(text):  # an Excel serial as text: 36526 (2000-01-01) … 73050 (2099-12-31)
        days = float(text)
        return (EXCEL_EPOCH + timedelta(days=days)).replace(microsecond=0), not days.is_integer()
    m = _DATE_TIME.match(text)
    if m is None:
        raise ValueError(f"{raw!r} is not a date-time")
    y, mo, d = (int(m.group(k) or m.group("c" + k)) for k in ("y", "m", "d"))
    rest = text[m.end() :]
    if not rest.strip():
        return datetime(y, mo, d), False
    t = _TIME.match(rest)
    if t is None:
        raise ValueError(f"{raw!r} is not a date-time")
    hour, minute, second = int(t.group("H")), int(t.group("M") or 0), int(t.group("S") or 0)
    half = (t.group("half") or t.group("ampm") or "").upper()
    if half in ("下午", "晚上", "PM") and hour < 12:
        hour += 12
    elif half in ("上午", "AM") and hour == 12:
        hour = 0
    return datetime(y, mo, d, hour, minute, second), True  # ValueError for 2026-2-30 or 25:00


def to_datetime(value: Any) -> datetime | None:
    """None for blank; raises ValueError for something that is not a date-time. A date without a
    time reads as its midnight: for the kit's own cells; people's input goes through
    :meth:`FieldReader.instant`, which refuses it where a time is needed."""
    parsed = parse_instant(value)
    return None if parsed is None else parsed[0]


def to_int(value: Any) -> int | None:
    """A whole number as typed: ``1,200``, ``１２０``, ``1200.0``; blank → None; ValueError else."""
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
    text = fold(str(value))
    if not _INTEGER.match(text):
        raise ValueError(f"{value!r} is not a whole number")
    return int(text.replace(",", "").split(".")[0])


def to_decimal(value: Any) -> Decimal | None:
    """A cell as an exact number: ``0.7`` → ``Decimal("0.7")``, ``"70%"`` → ``Decimal("0.7")``,
    ``"２，０００"`` / ``"¥1,200.50"`` / ``"300元"`` as typed; blank → None; ValueError for anything else."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, Decimal | int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))  # 0.1 typed in a cell arrives as a float
    else:
        text = fold(str(value)).removeprefix("¥").removesuffix("元").strip()
        scale = Decimal(1)
        if text.endswith("%"):
            text, scale = text[:-1].strip(), Decimal("0.01")
        if not _DECIMAL.match(text):
            raise ValueError(value)
        number = Decimal(text.replace(",", "")) * scale
    if not number.is_finite():
        raise ValueError(value)
    return number


def to_choice(value: Any, allowed: tuple[str, ...]) -> str | None:
    """The entry of ``allowed`` that ``value`` names, as typed (`` 国外 ``, full-width ``Ａ``, ``a``);
    None when it names none. Blank is the caller's business."""
    text = fold(to_text(value))
    if text in allowed:
        return text
    return next((a for a in allowed if a.casefold() == text.casefold()), None)


def to_code(value: Any) -> str:
    """An order or part number as typed: folded (``ＰＯ－１２３`` → ``PO-123``), a number typed as a
    number without its ``.0``."""
    return fold(to_text(value))


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

    def instant(
        self, attr: str, *, required: bool = True, rule: str | None = None, need_time: bool = True
    ) -> datetime | None:
        """A date-time as people type it; a date alone (text, or a ``date``) is refused where a
        time is needed (``need_time``), never read as midnight (issue 8)."""
        raw = self.raw.get(attr)
        try:
            parsed = parse_instant(raw)
        except (ValueError, OverflowError):
            self.problem(attr, "E-NOT-DATETIME" if need_time else "E-NOT-DATE", rule=rule, value=shown(raw))
            return None
        if parsed is None:
            if required:
                self.missing(attr, rule)
            return None
        value, timed = parsed
        if not EARLIEST <= value <= LATEST:
            self.problem(attr, "E-DATE-RANGE", rule=rule, day=_ymd(value))
            return None
        if need_time and not timed:
            self.problem(attr, "E-DATE-NO-TIME", rule=rule, value=shown(raw), day=_ymd(value))
            return None
        return value

    def day(self, attr: str, *, required: bool = True, rule: str | None = None) -> date | None:
        value = self.instant(attr, required=required, rule=rule, need_time=False)
        return value.date() if value else None

    def code(self, attr: str, *, required: bool = True, rule: str | None = None) -> str:
        """An order or part number: folded like :func:`to_code`."""
        return fold(self.text(attr, required=required, rule=rule))

    def one_of(self, attr: str, allowed: tuple[str, ...], *, required: bool = True, rule: str | None = None) -> str:
        """One of ``allowed`` as typed (spaces, full-width, case), or "" with a problem."""
        value = self.text(attr, required=required, rule=rule)
        if not value:
            return ""
        found = to_choice(value, allowed)
        if found is None:
            self.problem(attr, "E-NOT-IN-LIST", rule=rule, value=shown(value), allowed="、".join(allowed))
            return ""
        return found

    def choice(self, attr: str, enum: type[E], *, required: bool = True, rule: str | None = None) -> E | None:
        if not self.screen(attr, rule):
            return None
        value = to_text(self.raw.get(attr))
        if not value:
            if required:
                self.missing(attr, rule)
            return None
        allowed = tuple(e.value for e in enum)
        found = to_choice(value, allowed)
        if found is None:
            self.problem(attr, "E-NOT-IN-LIST", rule=rule, value=shown(value), allowed="、".join(allowed))
            return None
        return enum(found)
