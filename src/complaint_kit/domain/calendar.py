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

Speed: per-year prefix sums of working minutes and, per minute of a working day, the working
minutes before it. After the first use of a year :meth:`WorkCalendar.between` is O(1) per call
and :meth:`WorkCalendar.add` is one bisection of the year's sums (no walk over days or windows);
:meth:`WorkCalendar.add_calendar_days` finds the next working day in the same sums. Windows are
whole minutes (T4), as the 设置 sheet gives them.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from itertools import accumulate
from typing import NamedTuple, Protocol

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
    if not (instant.second or instant.microsecond):  # most instants are whole minutes already
        return instant
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
        self._tables: dict[int, _YearTable] = {}
        # per minute of a working day: minutes worked before it; per count of minutes worked in a
        # day: the earliest time of day that reaches it (a window's end when it fills it, T3)
        self._minutes_before, reaching = _day_tables(self.windows)
        self._reaching = [timedelta(minutes=m) for m in reaching]
        end = self.windows[-1].end
        self._end_of_day = timedelta(hours=end.hour, minutes=end.minute)

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

        Found without walking: the working minutes from 1 Jan to ``start`` plus ``minutes`` is a
        target in the year's prefix sums; bisecting them gives the day, and the day's window
        table the minute (the earliest instant that reaches the target, so a span that fills a
        window ends at its end, T3). O(log 366) per call plus one step per year crossed.

        >>> cal = WorkCalendar()
        >>> cal.add(datetime(2026, 11, 27, 16, 0), 240)  # Fri 16:00 + 1/2 day
        datetime.datetime(2026, 11, 30, 11, 0)
        """
        if minutes < 0:
            raise ValueError("working time to add must not be negative")
        if start.second or start.microsecond:
            start = floor_minute(start)
        if minutes == 0:
            return start
        table = self._tables.get(start.year) or self._year_table(start.year)
        first_ordinal, prefix, midnights = table
        day = start.toordinal() - first_ordinal
        target = prefix[day] + minutes
        if prefix[day + 1] != prefix[day]:  # a working day: add the day's minutes worked before start
            target += self._minutes_before[start.hour * 60 + start.minute]
        last_ordinal = start.toordinal() + MAX_SPAN_DAYS - 1  # as far as the day-by-day walk went
        year = start.year
        while target > prefix[-1] and first_ordinal + len(prefix) - 1 <= last_ordinal:  # into next year
            target -= prefix[-1]
            year += 1
            first_ordinal, prefix, midnights = self._year_table(year)
            day = 0
        day = bisect_left(prefix, target, day + 1) - 1  # the day during which the target is reached
        if first_ordinal + day > last_ordinal:  # also when the last year searched was too short
            raise ValueError(f"no {minutes} working minutes within {MAX_SPAN_DAYS} days of {start}")
        return midnights[day] + self._reaching[target - prefix[day]]

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
        last = start.date() + timedelta(days=days)
        # next_working_day(last) on the prefix sums: day d works when prefix[d + 1] > prefix[d]
        first_ordinal, prefix, midnights = self._year_table(last.year)
        index = last.toordinal() - first_ordinal
        day = bisect_right(prefix, prefix[index], index) - 1
        last_ordinal = last.toordinal() + MAX_SPAN_DAYS - 1
        year = last.year
        while day == len(prefix) - 1 and first_ordinal + day <= last_ordinal:  # none left this year
            year += 1
            first_ordinal, prefix, midnights = self._year_table(year)
            day = bisect_right(prefix, 0) - 1
        if first_ordinal + day > last_ordinal:
            raise ValueError(f"no working day within {MAX_SPAN_DAYS} days after {last}")
        return midnights[day] + self._end_of_day

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

    def _year_table(self, year: int) -> _YearTable:
        table = self._tables.get(year)
        if table is None:
            first = datetime(year, 1, 1)
            prefix = self._year_prefix(year)
            midnights = [first + timedelta(days=d) for d in range(len(prefix) - 1)]
            table = _YearTable(first.toordinal(), prefix, midnights)
            self._tables[year] = table
        return table

    def _in_year(self, instant: datetime) -> int:
        """Working minutes from 1 Jan 00:00 of ``instant``'s year to ``instant``."""
        first_ordinal, prefix, _ = self._year_table(instant.year)
        day = instant.toordinal() - first_ordinal
        total = prefix[day]
        if prefix[day + 1] != total:  # a working day (every working day has day_minutes > 0)
            total += self._minutes_before[instant.hour * 60 + instant.minute]
        return total


class _YearTable(NamedTuple):
    """A year's prefix sums (``prefix[d]`` = working minutes before day ``d``, 0 = 1 Jan) and the
    midnight of each of its days, so that a deadline is one ``datetime + timedelta``."""

    first_ordinal: int
    prefix: list[int]
    midnights: list[datetime]


def _day_tables(windows: tuple[WorkWindow, ...]) -> tuple[list[int], list[int]]:
    """For a working day with ``windows``: the working minutes before each minute of the day
    (00:00 to 24:00, 1,441 entries), and for each count 0..day_minutes of working minutes the
    earliest minute of the day that reaches it — the end of a window when it fills it (T3)."""
    working = [0] * (24 * 60)
    for w in windows:
        begin = w.start.hour * 60 + w.start.minute
        working[begin : begin + w.minutes] = [1] * w.minutes
    before = [0, *accumulate(working)]
    reaching = [0, *(minute + 1 for minute, on in enumerate(working) if on)]
    return before, reaching
