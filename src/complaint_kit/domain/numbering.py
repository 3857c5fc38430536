"""Case numbers (rule C3): ``YY`` + ``MM`` + serial, the serial restarting every month.

Only the register issues numbers, at acceptance. A serial is never reused, even after a row is
deleted: the register keeps the last serial issued per month, and the next number is one past
the larger of that memory and any number still in the register.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .problems import Problem, problem
from .values import shown


class SerialsExhausted(Exception):
    """Not a clerk's typo but a setting to widen; the action turns it into a Problem."""


@dataclass(frozen=True, order=True, slots=True)
class CaseNo:
    """A case number such as ``261103`` (2026, November, serial 03)."""

    year: int  # two digits
    month: int
    serial: int
    width: int = 2

    def __str__(self) -> str:
        return f"{self.year:02d}{self.month:02d}{self.serial:0{self.width}d}"

    @property
    def month_key(self) -> str:
        return f"{self.year:02d}{self.month:02d}"

    @classmethod
    def parse(cls, text: str) -> CaseNo:
        """``"261103"`` → CaseNo(26, 11, 3). Raises ValueError for anything else."""
        m = re.fullmatch(r"(\d{2})(\d{2})(\d{2,6})", str(text).strip())
        if not m or not 1 <= int(m.group(2)) <= 12:
            raise ValueError(f"{text!r} is not a case number YYMM + serial")
        return cls(int(m.group(1)), int(m.group(2)), int(m.group(3)), len(m.group(3)))


def _serials_problem(index: int, row: Sequence[Any]) -> Problem:
    found = " | ".join("—" if _blank(v) else shown(v, 20) for v in row) or "—"
    return problem("E-SERIALS", row=index + 1, found=found)


def read_last_issued(rows: Sequence[Sequence[Any]]) -> tuple[dict[str, int], list[tuple[int, int, Problem]]]:
    """The register's ``Serials`` rows (month ``YYMM``, last serial issued) as ``{month: serial}``.

    A row that is not a month and a whole serial of at most six digits (text, a date, 1e300, a
    negative number, a missing or extra column) is a problem at ``(row, column)``: numbering from
    a damaged memory could issue a number twice (C3)."""
    issued: dict[str, int] = {}
    problems: list[tuple[int, int, Problem]] = []
    for i, row in enumerate(rows):
        if len(row) != 2:
            problems.append((i, 0, _serials_problem(i, row)))
            continue
        month, serial = row
        if _blank(month) and _blank(serial):
            continue
        key = str(month).strip()
        if isinstance(month, float) and month.is_integer():
            key = str(int(month))
        if not re.fullmatch(r"\d{2}(0[1-9]|1[0-2])", key):
            problems.append((i, 0, _serials_problem(i, row)))
            continue
        number: int | None = None
        if isinstance(serial, int) and not isinstance(serial, bool):
            number = serial
        elif isinstance(serial, float) and serial.is_integer() and abs(serial) < 1e7:
            number = int(serial)
        elif (
            isinstance(serial, str)
            and serial.strip().isascii()
            and serial.strip().isdigit()
            and len(serial.strip()) <= 6
        ):
            number = int(serial.strip())
        if number is None or not 0 <= number < 10**6:
            problems.append((i, 1, _serials_problem(i, row)))
            continue
        issued[key] = max(issued.get(key, 0), number)
    return issued, problems


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def month_key(instant: datetime) -> str:
    return f"{instant.year % 100:02d}{instant.month:02d}"


def compute_next_case_no(
    accepted_at: datetime,
    *,
    last_issued: Mapping[str, int],
    existing: Iterable[str],
    width: int,
) -> CaseNo:
    """The next number for the month of ``accepted_at`` (C3).

    >>> str(compute_next_case_no(datetime(2026, 11, 3), last_issued={"2611": 2}, existing=[], width=2))
    '261103'
    """
    key = month_key(accepted_at)
    highest = last_issued.get(key, 0)
    for text in existing:
        if not str(text).strip().startswith(key):  # another month's (YYMM comes first): no parse needed
            continue
        try:
            highest = max(highest, CaseNo.parse(text).serial)  # starts with the key: of this month
        except ValueError:
            continue
    serial = highest + 1
    if serial >= 10**width:
        raise SerialsExhausted(f"{key}: all {10**width - 1} serials of width {width} are used")
    return CaseNo(accepted_at.year % 100, accepted_at.month, serial, width)
