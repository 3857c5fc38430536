"""The one working-time calendar every deadline uses (rules T1–T4).

* T1: working days are Mon–Fri by default, adjusted by China's public holidays **and** make-up
  working days (调休) from the official data, then by the company's own 日历 entries; each
  working day has several windows (default 08:30–12:00 and 13:00–17:30, so 1 day = 480 min).
* T3: adding working time never lands outside a window: a span that completes exactly at the
  end of a window ends there (08:30 + 480 min = 17:30 the same day, never 08:30 the next day).
* T4: all instants are naive local wall time of the company (minute resolution); the caller
  converts at the edges, nothing in here is time-zone aware.

A year that the official data does not cover and the administrator has not confirmed is still
computed (weekday rule plus company entries) but recorded in :attr:`WorkCalendar.missing_years`,
which the actions turn into a visible warning — never a silent guess, never a crash.

Speed: per-year prefix sums of working minutes, so :meth:`WorkCalendar.between` is O(1) per
call after the first use of a year; :meth:`WorkCalendar.add` walks days, not minutes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Protocol

MAX_SPAN_DAYS = 3660  # a deadline more than ten years away is a bug, not a deadline


class DayKind(StrEnum):
    """A company calendar entry (日历 sheet): an extra day off, or an extra working day."""

    OFF = "休息日"
    WORK = "工作日"


@dataclass(frozen=True, slots=True)
class WorkWindow:
    start: time
    end: time

    @property
    def minutes(self) -> int:
        return (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)


DEFAULT_WINDOWS: tuple[WorkWindow, ...] = (
    WorkWindow(time(8, 30), time(12, 0)),
    WorkWindow(time(13, 0), time(17, 30)),
)


class OfficialHolidays(Protocol):
    """Official public-holiday data: which years it covers and, for those, which days work."""

    @property
    def covered_years(self) -> frozenset[int]: ...

    def is_working_day(self, day: date) -> bool: ...


class ChinaOfficialHolidays:
    """China's State Council holiday notices as published in ``chinesecalendar`` (T1).

    It lists public holidays and the weekend days that are worked instead (调休); a year is
    covered when the data has any entry for it (2004–2026 in version 1.11).
    """

    def __init__(self) -> None:
        from chinese_calendar import constants  # pure data tables, no I/O

        self._holidays: frozenset[date] = frozenset(constants.holidays)
        self._workdays: frozenset[date] = frozenset(constants.workdays)
        self._years = frozenset(d.year for d in self._holidays)

    @property
    def covered_years(self) -> frozenset[int]:
        return self._years

    def is_working_day(self, day: date) -> bool:
        if day in self._workdays:
            return True
        if day in self._holidays:
            return False
        return day.weekday() < 5


class NoOfficialHolidays:
    """No official data at all: every year is reported missing unless confirmed."""

    covered_years: frozenset[int] = frozenset()

    def is_working_day(self, day: date) -> bool:  # pragma: no cover - never asked
        return day.weekday() < 5


def floor_minute(instant: datetime) -> datetime:
    return instant.replace(second=0, microsecond=0)


class WorkCalendar:
    """Working time: add it to an instant, measure it between two instants."""

    def __init__(
        self,
        *,
        windows: Iterable[WorkWindow] = DEFAULT_WINDOWS,
        weekdays: Iterable[int] = (0, 1, 2, 3, 4),
        official: OfficialHolidays | None = None,
        company_days: Mapping[date, DayKind] | None = None,
        confirmed_years: Iterable[int] = (),
    ) -> None:
        self.windows = tuple(sorted(windows, key=lambda w: w.start))
        if not self.windows:
            raise ValueError("a working calendar needs at least one working window")
        for w in self.windows:
            if w.minutes <= 0:
                raise ValueError(f"working window {w.start}-{w.end} is empty")
        for a, b in zip(self.windows, self.windows[1:], strict=False):
            if b.start < a.end:
                raise ValueError(f"working windows overlap: {a.start}-{a.end} and {b.start}-{b.end}")
        self.weekdays = frozenset(weekdays)
        self.official: OfficialHolidays = official if official is not None else ChinaOfficialHolidays()
        self.company_days: dict[date, DayKind] = dict(company_days or {})
        self.confirmed_years = frozenset(confirmed_years)
        self.day_minutes = sum(w.minutes for w in self.windows)
        self._missing: set[int] = set()
        self._prefix: dict[int, list[int]] = {}

    # -- days -------------------------------------------------------------------------------
    @property
    def missing_years(self) -> list[int]:
        """Years this calendar was asked about that have neither official data nor a
        confirmation by the administrator (T1)."""
        return sorted(self._missing)

    def has_data_for(self, year: int) -> bool:
        return year in self.official.covered_years or year in self.confirmed_years

    def is_working_day(self, day: date) -> bool:
        kind = self.company_days.get(day)
        if kind is not None:
            return kind is DayKind.WORK
        if day.year in self.official.covered_years:
            return self.official.is_working_day(day)
        if day.year not in self.confirmed_years:
            self._missing.add(day.year)
        return day.weekday() in self.weekdays

    def windows_on(self, day: date) -> list[tuple[datetime, datetime]]:
        if not self.is_working_day(day):
            return []
        return [(datetime.combine(day, w.start), datetime.combine(day, w.end)) for w in self.windows]

    def next_working_day(self, day: date, *, inclusive: bool = True) -> date:
        current = day if inclusive else day + timedelta(days=1)
        for _ in range(MAX_SPAN_DAYS):
            if self.is_working_day(current):
                return current
            current += timedelta(days=1)
        raise ValueError(f"no working day within {MAX_SPAN_DAYS} days after {day}")

    def end_of_day(self, day: date) -> datetime:
        """End of the last working window of ``day`` (whether or not it is a working day)."""
        return datetime.combine(day, self.windows[-1].end)

    # -- adding and measuring -----------------------------------------------------------------
    def add(self, start: datetime, minutes: int) -> datetime:
        """The instant when ``minutes`` of working time after ``start`` have elapsed (T1, T3).

        >>> cal = WorkCalendar()
        >>> cal.add(datetime(2026, 11, 27, 16, 0), 240)  # Fri 16:00 + 1/2 day
        datetime.datetime(2026, 11, 30, 11, 0)
        """
        if minutes < 0:
            raise ValueError("working time to add must not be negative")
        start = floor_minute(start)
        if minutes == 0:
            return start
        remaining = minutes
        day = start.date()
        for _ in range(MAX_SPAN_DAYS):
            for w_start, w_end in self.windows_on(day):
                if w_end <= start:
                    continue
                begin = max(w_start, start)
                available = _minutes(begin, w_end)
                if available >= remaining:
                    return begin + timedelta(minutes=remaining)
                remaining -= available
            day += timedelta(days=1)
        raise ValueError(f"no {minutes} working minutes within {MAX_SPAN_DAYS} days of {start}")

    def between(self, start: datetime, end: datetime) -> int:
        """Working minutes in ``[start, end)``; 0 when ``end`` is not after ``start``."""
        start, end = floor_minute(start), floor_minute(end)
        if end <= start:
            return 0
        if start.year == end.year:
            return self._in_year(end) - self._in_year(start)
        middle = sum(self._year_prefix(y)[-1] for y in range(start.year + 1, end.year))
        return self._year_prefix(start.year)[-1] - self._in_year(start) + middle + self._in_year(end)

    def add_calendar_days(self, start: datetime, days: int) -> datetime:
        """A limit in calendar days (T2, C17): counting starts the day after ``start``; the
        deadline is the end of working time on the last day, and a last day that is not a
        working day moves to the next working day (as China's Civil Code art. 201/203).

        >>> WorkCalendar().add_calendar_days(datetime(2026, 9, 17, 10, 0), 13)  # -> Wed 30 Sep
        datetime.datetime(2026, 9, 30, 17, 30)
        """
        if days < 1:
            raise ValueError("a limit in calendar days must be at least one day")
        last = self.next_working_day(start.date() + timedelta(days=days))
        return self.end_of_day(last)

    # -- prefix sums --------------------------------------------------------------------------
    def _year_prefix(self, year: int) -> list[int]:
        prefix = self._prefix.get(year)
        if prefix is None:
            prefix = [0]
            day = date(year, 1, 1)
            while day.year == year:
                prefix.append(prefix[-1] + (self.day_minutes if self.is_working_day(day) else 0))
                day += timedelta(days=1)
            self._prefix[year] = prefix
        return prefix

    def _in_year(self, instant: datetime) -> int:
        """Working minutes from 1 Jan 00:00 of ``instant``'s year to ``instant``."""
        day = instant.date()
        total = self._year_prefix(day.year)[day.timetuple().tm_yday - 1]
        for w_start, w_end in self.windows_on(day):
            if instant <= w_start:
                break
            total += _minutes(w_start, min(instant, w_end))
        return total


def _minutes(a: datetime, b: datetime) -> int:
    return int((b - a).total_seconds() // 60)
