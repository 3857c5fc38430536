"""Case numbers (rule C3): ``YY`` + ``MM`` + serial, the serial restarting every month.

Only the register issues numbers, at acceptance. A serial is never reused, even after a row is
deleted: the register keeps the last serial issued per month, and the next number is one past
the larger of that memory and any number still in the register.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime


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
        try:
            number = CaseNo.parse(text)
        except ValueError:
            continue
        if number.month_key == key:
            highest = max(highest, number.serial)
    serial = highest + 1
    if serial >= 10**width:
        raise SerialsExhausted(f"{key}: all {10**width - 1} serials of width {width} are used")
    return CaseNo(accepted_at.year % 100, accepted_at.month, serial, width)
