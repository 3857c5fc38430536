"""The fast working-time calendar (issue 10) gives exactly what the day-by-day walk gave (T1–T3).

``add`` now bisects per-year prefix sums and ``add_calendar_days`` looks the next working day up
in them. The walks they replace are kept here, verbatim, as the reference: every property below
compares the two on random calendars (default or custom windows, settings' work hours, weekday
sets, official data or none, company days off and make-up days) and random starts (any minute,
off hours, weekends, holidays, window edges, the turns of 2025/2026 and 2026/2027).

Every example builds its own calendars: a calendar caches per-year sums, and a cache filled by one
example must not hide a broken computation from the next.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaint_kit.domain.calendar import (
    MAX_SPAN_DAYS,
    ChinaOfficialHolidays,
    DayKind,
    NoOfficialHolidays,
    WorkCalendar,
    WorkWindow,
    floor_minute,
)
from complaint_kit.domain.settings import Settings

CHINA = ChinaOfficialHolidays()  # immutable data tables: one copy for every example


# -- the reference: the walks of the calendar before issue 10, unchanged --------------------------
def reference_add(cal: WorkCalendar, start: datetime, minutes: int) -> datetime:
    if minutes < 0:
        raise ValueError("working time to add must not be negative")
    start = floor_minute(start)
    if minutes == 0:
        return start
    remaining = minutes
    day = start.date()
    for _ in range(MAX_SPAN_DAYS):
        for w_start, w_end in cal.windows_on(day):
            if w_end <= start:
                continue
            begin = max(w_start, start)
            available = _minutes(begin, w_end)
            if available >= remaining:
                return begin + timedelta(minutes=remaining)
            remaining -= available
        day += timedelta(days=1)
    raise ValueError(f"no {minutes} working minutes within {MAX_SPAN_DAYS} days of {start}")


def reference_add_calendar_days(cal: WorkCalendar, start: datetime, days: int) -> datetime:
    if days < 1:
        raise ValueError("a limit in calendar days must be at least one day")
    last = cal.next_working_day(start.date() + timedelta(days=days))
    return cal.end_of_day(last)


def _minutes(a: datetime, b: datetime) -> int:
    return int((b - a).total_seconds() // 60)


def outcome(fn: Any, *args: Any) -> datetime | str:
    """The result, or the message of the ValueError, so that both can be compared."""
    try:
        return fn(*args)  # type: ignore[no-any-return]
    except ValueError as exc:
        return f"ValueError: {exc}"


# -- random calendars -----------------------------------------------------------------------------
SETTINGS_HOURS = [
    "08:30-12:00,13:00-17:30",
    "08:00-12:00,13:00-17:00",
    "09:00-18:00",
    "08:00-12:00,12:00-17:00",  # touching windows
    "07:30-11:30,13:30-17:30,18:30-21:00",
    "00:00-23:59",
    "23:58-23:59",
]


@st.composite
def random_windows(draw: st.DrawFn) -> list[WorkWindow]:
    """1–3 windows at minute resolution, anywhere in the day, some touching their neighbour."""
    count = draw(st.integers(1, 3))
    points = sorted(draw(st.sets(st.integers(0, 24 * 60 - 1), min_size=2 * count, max_size=2 * count)))
    spans = [[points[2 * i], points[2 * i + 1]] for i in range(count)]
    for before, after in pairwise(spans):
        if draw(st.booleans()):
            after[0] = before[1]
    return [WorkWindow(time(a // 60, a % 60), time(b // 60, b % 60)) for a, b in spans]


company_day = st.dates(min_value=date(2025, 11, 1), max_value=date(2027, 3, 31))


@st.composite
def calendars(draw: st.DrawFn) -> dict[str, Any]:
    """Keyword arguments of a WorkCalendar (built twice per example: fresh caches for each side)."""
    company = draw(st.dictionaries(company_day, st.sampled_from(DayKind), max_size=12))
    official = draw(st.sampled_from([CHINA, NoOfficialHolidays()]))
    kind = draw(st.sampled_from(["default", "settings", "random"]))
    if kind == "settings":
        hours = draw(st.sampled_from(SETTINGS_HOURS))
        weekdays = draw(st.sampled_from(["1,2,3,4,5", "1,2,3,4,5,6", "2,4,6", "7"]))
        return {
            "settings": Settings(work_hours=hours, work_weekdays=weekdays),
            "company": company,
            "official": official,
        }
    kwargs: dict[str, Any] = {
        "official": official,
        "company_days": company,
        "confirmed_years": draw(st.sampled_from([(), (2027,)])),
        "weekdays": draw(st.sampled_from([(0, 1, 2, 3, 4), (0, 1, 2, 3, 4, 5), (6,), (1, 3)])),
    }
    if kind == "random":
        kwargs["windows"] = draw(random_windows())
    return kwargs


def build(spec: dict[str, Any]) -> WorkCalendar:
    if "settings" in spec:
        settings: Settings = spec["settings"]
        return settings.calendar(spec["company"], official=spec["official"])
    return WorkCalendar(**spec)


@st.composite
def starts(draw: st.DrawFn, cal: WorkCalendar) -> datetime:
    """Any instant (seconds included), or one on a window edge ± 1 minute, often near a new year."""
    day = draw(
        st.one_of(
            st.dates(min_value=date(2025, 11, 1), max_value=date(2027, 2, 28)),
            st.dates(min_value=date(2025, 12, 24), max_value=date(2026, 1, 6)),
            st.dates(min_value=date(2026, 12, 24), max_value=date(2027, 1, 6)),
        )
    )
    if draw(st.booleans()):
        edge = draw(st.sampled_from([t for w in cal.windows for t in (w.start, w.end)]))
        instant = datetime.combine(day, edge) + timedelta(minutes=draw(st.integers(-1, 1)))
    else:
        instant = datetime.combine(day, time()) + timedelta(minutes=draw(st.integers(0, 24 * 60 - 1)))
    return instant.replace(second=draw(st.sampled_from([0, 0, 59])), microsecond=draw(st.sampled_from([0, 0, 1])))


@st.composite
def spans(draw: st.DrawFn, cal: WorkCalendar) -> int:
    """Working minutes up to 60 working days, often whole days or whole windows (T3's edges)."""
    day = cal.day_minutes
    return draw(
        st.one_of(
            st.integers(0, 60 * day),
            st.integers(0, 3 * day),
            st.integers(0, 60).map(lambda days: days * day),
            st.tuples(st.integers(0, 10), st.sampled_from(cal.windows)).map(lambda x: x[0] * day + x[1].minutes),
        )
    )


# -- properties -----------------------------------------------------------------------------------
@given(st.data(), calendars())
def test_add_gives_exactly_what_the_day_by_day_walk_gave(data, spec):  # T1, T3, T4
    fast, walk = build(spec), build(spec)
    start = data.draw(starts(fast))
    minutes = data.draw(spans(fast))
    assert outcome(fast.add, start, minutes) == outcome(reference_add, walk, start, minutes)
    # a whole year's sums warn about at least the years the walk saw (and the same ones
    # unless the walk saw only company days of a year, which need no official data)
    assert set(walk.missing_years) <= set(fast.missing_years)
    if not spec.get("company_days", spec.get("company")):
        assert walk.missing_years == fast.missing_years


@given(st.data(), calendars())
def test_the_working_time_between_a_start_and_its_deadline_is_the_time_added(data, spec):  # T1
    cal = build(spec)
    start = data.draw(starts(cal))
    minutes = data.draw(spans(cal))
    assert cal.between(start, cal.add(start, minutes)) == minutes


@given(st.data(), calendars(), st.integers(1, 40))
def test_a_limit_in_calendar_days_gives_what_the_walk_gave(data, spec, days):  # T2, C17
    fast, walk = build(spec), build(spec)
    start = data.draw(starts(fast))
    assert outcome(fast.add_calendar_days, start, days) == outcome(reference_add_calendar_days, walk, start, days)
    assert set(walk.missing_years) <= set(fast.missing_years)
    if not spec.get("company_days", spec.get("company")):
        assert walk.missing_years == fast.missing_years


# -- the ten-year limit and the turn of the year, on both sides -----------------------------------
def lone_working_day(day: date) -> WorkCalendar:
    """A calendar whose only working day is ``day`` (a company 工作日 in a year of no weekdays)."""
    return WorkCalendar(weekdays=(), official=NoOfficialHolidays(), company_days={day: DayKind.WORK})


START = datetime(2026, 11, 28)


def test_add_reaches_a_working_day_on_the_last_day_of_the_ten_year_limit():
    last = START.date() + timedelta(days=MAX_SPAN_DAYS - 1)
    assert lone_working_day(last).add(START, 480) == datetime.combine(last, time(17, 30))
    assert reference_add(lone_working_day(last), START, 480) == datetime.combine(last, time(17, 30))


def test_add_does_not_reach_a_working_day_one_day_past_the_ten_year_limit():
    beyond = START.date() + timedelta(days=MAX_SPAN_DAYS)
    with pytest.raises(ValueError, match="no 480 working minutes within 3660 days of 2026-11-28 00:00"):
        lone_working_day(beyond).add(START, 480)
    with pytest.raises(ValueError, match="no 480 working minutes within 3660 days of 2026-11-28 00:00"):
        reference_add(lone_working_day(beyond), START, 480)


def test_add_refuses_more_time_than_ten_years_hold_even_when_years_have_working_days():
    cal = WorkCalendar(official=NoOfficialHolidays(), confirmed_years=range(2026, 2038))
    ten_years = cal.between(START, START + timedelta(days=MAX_SPAN_DAYS))
    assert cal.add(START, ten_years) == datetime(2036, 12, 4, 17, 30)  # a Thursday, the 3,660th day
    assert reference_add(cal, START, ten_years) == datetime(2036, 12, 4, 17, 30)
    with pytest.raises(ValueError, match="within 3660 days"):
        cal.add(START, ten_years + 1)


def test_calendar_days_reach_a_working_day_on_the_last_day_of_the_ten_year_limit_and_not_after():
    first = START.date() + timedelta(days=1)  # the day counting starts from (T2)
    last = first + timedelta(days=MAX_SPAN_DAYS - 1)
    assert lone_working_day(last).add_calendar_days(START, 1) == datetime.combine(last, time(17, 30))
    with pytest.raises(ValueError, match="no working day within 3660 days after 2026-11-29"):
        lone_working_day(last + timedelta(days=1)).add_calendar_days(START, 1)


def test_add_crosses_a_new_year_with_no_working_day_left_in_the_old_one():
    cal = WorkCalendar(company_days={date(2026, 12, 31): DayKind.OFF}, confirmed_years=[2027])
    assert cal.add(datetime(2026, 12, 30, 17, 30), 1) == datetime(2027, 1, 1, 8, 31)
    assert cal.add(datetime(2026, 12, 30, 17, 0), 30) == datetime(2026, 12, 30, 17, 30)  # T3: not 2027


def test_a_calendar_limit_crosses_a_new_year_with_no_working_day_left_in_the_old_one():
    cal = WorkCalendar(company_days={date(2026, 12, 31): DayKind.OFF}, confirmed_years=[2027])
    assert cal.add_calendar_days(datetime(2026, 12, 29, 10, 0), 1) == datetime(2026, 12, 30, 17, 30)
    assert cal.add_calendar_days(datetime(2026, 12, 29, 10, 0), 2) == datetime(2027, 1, 1, 17, 30)  # Fri
    assert cal.add_calendar_days(datetime(2026, 12, 30, 10, 0), 2) == datetime(2027, 1, 1, 17, 30)
