"""Working-time calendar (T1–T3): both sides of every boundary, and the input guards.

Every test builds its own calendar: a calendar caches per-year sums, and a cache filled by one
test must not hide a broken computation from the next (mutation testing runs tests in one process).
"""

from datetime import date, datetime, time

import pytest

from complaint_kit.domain.calendar import (
    ChinaOfficialHolidays,
    DayKind,
    NoOfficialHolidays,
    WorkCalendar,
    WorkWindow,
    floor_minute,
)


def dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


def windows(*spans: tuple[int, int, int, int]) -> list[WorkWindow]:
    return [WorkWindow(time(h1, m1), time(h2, m2)) for h1, m1, h2, m2 in spans]


# -- T1: windows: touching is allowed, overlapping or empty is not ---------------------------------
def test_t1_touching_windows_08_12_and_12_17_are_one_nine_hour_day():
    cal = WorkCalendar(windows=windows((8, 0, 12, 0), (12, 0, 17, 0)))
    assert cal.day_minutes == 540
    assert cal.add(dt("2026-11-25 11:00"), 120) == dt("2026-11-25 13:00")  # no break at noon


def test_t1_windows_overlapping_by_one_minute_are_refused():
    with pytest.raises(ValueError, match="overlap"):
        WorkCalendar(windows=windows((8, 0, 12, 1), (12, 0, 17, 0)))


def test_t1_windows_are_taken_in_order_of_their_start_whatever_order_they_are_given():
    cal = WorkCalendar(windows=windows((13, 0, 17, 30), (8, 30, 12, 0)))
    assert [w.start for w in cal.windows] == [time(8, 30), time(13, 0)]
    with pytest.raises(ValueError, match="overlap"):
        WorkCalendar(windows=windows((11, 0, 17, 0), (8, 0, 12, 0)))


def test_t1_an_empty_window_is_refused_and_a_one_minute_window_is_kept():
    with pytest.raises(ValueError, match="empty"):
        WorkCalendar(windows=windows((9, 0, 9, 0)))
    with pytest.raises(ValueError, match="empty"):
        WorkCalendar(windows=windows((10, 0, 9, 0)))
    assert WorkCalendar(windows=windows((9, 0, 9, 1))).day_minutes == 1


def test_t1_a_calendar_without_any_window_is_refused():
    with pytest.raises(ValueError, match="at least one working window"):
        WorkCalendar(windows=[])


# -- T1: which days work -----------------------------------------------------------------------------
def test_t1_official_data_can_be_replaced_so_national_day_works_without_it():
    cal = WorkCalendar(official=NoOfficialHolidays())
    assert cal.is_working_day(date(2026, 10, 1))  # a Thursday: only the official data makes it a holiday
    assert cal.missing_years == [2026]
    assert not WorkCalendar().is_working_day(date(2026, 10, 1))


def test_t1_the_weekday_setting_decides_in_a_year_without_official_data():
    cal = WorkCalendar(weekdays=(5,), official=NoOfficialHolidays(), confirmed_years=[2026])
    assert cal.is_working_day(date(2026, 11, 28))  # Saturday
    assert not cal.is_working_day(date(2026, 11, 27))  # Friday
    assert cal.missing_years == []


def test_t1_china_official_data_covers_its_years_and_knows_make_up_days():
    official = ChinaOfficialHolidays()
    assert 2026 in official.covered_years and 2099 not in official.covered_years
    assert official.is_working_day(date(2026, 2, 14))  # make-up Saturday
    assert not official.is_working_day(date(2026, 2, 16))  # Spring Festival Monday
    assert official.is_working_day(date(2026, 11, 27))  # an ordinary Friday
    assert not official.is_working_day(date(2026, 11, 28))  # an ordinary Saturday


def test_t1_a_year_has_data_when_official_or_confirmed_and_not_otherwise():
    cal = WorkCalendar(confirmed_years=[2030])
    assert cal.has_data_for(2026)  # official only
    assert cal.has_data_for(2030)  # confirmed only
    assert not cal.has_data_for(2031)
    assert not WorkCalendar(official=NoOfficialHolidays()).has_data_for(2026)


def test_t1_a_company_working_day_opens_the_windows_and_a_company_day_off_closes_them():
    cal = WorkCalendar(company_days={date(2026, 11, 28): DayKind.WORK, date(2026, 11, 27): DayKind.OFF})
    assert cal.windows_on(date(2026, 11, 28)) == [
        (dt("2026-11-28 08:30"), dt("2026-11-28 12:00")),
        (dt("2026-11-28 13:00"), dt("2026-11-28 17:30")),
    ]
    assert cal.windows_on(date(2026, 11, 27)) == []


def test_t1_the_next_working_day_is_the_day_itself_when_inclusive_else_strictly_after():
    cal = WorkCalendar()
    assert cal.next_working_day(date(2026, 11, 26)) == date(2026, 11, 26)  # Thursday
    assert cal.next_working_day(date(2026, 11, 26), inclusive=False) == date(2026, 11, 27)
    assert cal.next_working_day(date(2026, 11, 27), inclusive=False) == date(2026, 11, 30)  # Fri → Mon
    assert cal.next_working_day(date(2026, 11, 28)) == date(2026, 11, 30)


def test_t1_a_calendar_with_no_working_day_at_all_is_an_error_not_an_endless_loop():
    cal = WorkCalendar(weekdays=(), official=NoOfficialHolidays())
    with pytest.raises(ValueError, match="no working day within 3660 days"):
        cal.next_working_day(date(2026, 11, 28))
    with pytest.raises(ValueError, match="no 60 working minutes within 3660 days"):
        cal.add(dt("2026-11-28 09:00"), 60)


# -- T3 / T4: adding working time ----------------------------------------------------------------
def test_t4_instants_are_counted_in_whole_minutes():
    assert floor_minute(datetime(2026, 11, 25, 9, 15, 45, 123)) == dt("2026-11-25 09:15")
    cal = WorkCalendar()
    assert cal.add(datetime(2026, 11, 25, 9, 15, 45, 123), 0) == dt("2026-11-25 09:15")
    assert cal.add(datetime(2026, 11, 25, 9, 15, 59), 15) == dt("2026-11-25 09:30")
    assert cal.between(datetime(2026, 11, 25, 9, 0, 59), datetime(2026, 11, 25, 9, 1, 0)) == 1
    assert cal.between(datetime(2026, 11, 25, 9, 0, 1), datetime(2026, 11, 25, 9, 0, 59)) == 0


def test_t3_time_that_fills_a_morning_window_exactly_ends_at_noon_not_after_lunch():
    cal = WorkCalendar()
    assert cal.add(dt("2026-11-25 08:30"), 210) == dt("2026-11-25 12:00")
    assert cal.add(dt("2026-11-25 08:30"), 211) == dt("2026-11-25 13:01")


def test_t3_a_start_exactly_at_the_end_of_a_window_continues_in_the_next():
    cal = WorkCalendar()
    assert cal.add(dt("2026-11-25 12:00"), 1) == dt("2026-11-25 13:01")
    assert cal.add(dt("2026-11-25 17:30"), 1) == dt("2026-11-26 08:31")
    assert cal.add(dt("2026-11-25 08:30"), 1) == dt("2026-11-25 08:31")


def test_t1_negative_working_time_cannot_be_added_and_zero_adds_nothing():
    cal = WorkCalendar()
    with pytest.raises(ValueError, match="must not be negative"):
        cal.add(dt("2026-11-25 09:00"), -1)
    assert cal.add(dt("2026-11-28 20:00"), 0) == dt("2026-11-28 20:00")  # zero: not even moved into a window


# -- T1: measuring working time ------------------------------------------------------------------
def test_t1_between_is_zero_when_the_end_is_not_after_the_start_never_negative():
    cal = WorkCalendar()
    assert cal.between(dt("2026-11-25 10:00"), dt("2026-11-25 10:00")) == 0
    assert cal.between(dt("2026-11-25 10:00"), dt("2026-11-25 09:00")) == 0
    assert cal.between(dt("2027-01-05 10:00"), dt("2026-11-25 09:00")) == 0
    assert cal.between(dt("2026-11-25 10:00"), dt("2026-11-25 10:01")) == 1


def test_t1_between_counts_window_edges_exactly():
    cal = WorkCalendar()
    assert cal.between(dt("2026-11-25 08:30"), dt("2026-11-25 12:00")) == 210
    assert cal.between(dt("2026-11-25 08:00"), dt("2026-11-25 08:30")) == 0
    assert cal.between(dt("2026-11-25 12:00"), dt("2026-11-25 13:00")) == 0
    assert cal.between(dt("2026-11-25 13:00"), dt("2026-11-25 13:01")) == 1
    assert cal.between(dt("2026-11-25 08:30"), dt("2026-11-25 17:30")) == 480
    assert cal.between(dt("2026-11-25 17:30"), dt("2026-11-25 23:59")) == 0


def test_t1_between_counts_no_time_over_a_weekend_and_each_working_day_in_full():
    cal = WorkCalendar()
    assert cal.between(dt("2026-11-27 17:30"), dt("2026-11-30 08:30")) == 0
    assert cal.between(dt("2026-11-27 16:00"), dt("2026-11-30 11:00")) == 240
    assert cal.between(dt("2026-11-27 08:30"), dt("2026-11-28 08:30")) == 480  # Friday counts, Saturday not
    assert cal.between(dt("2026-11-23 08:30"), dt("2026-11-30 08:30")) == 5 * 480


def test_t1_between_counts_the_first_days_of_a_year():
    cal = WorkCalendar(official=NoOfficialHolidays(), confirmed_years=[2030])  # 1 Jan 2030 is a Tuesday
    assert cal.between(dt("2030-01-01 08:30"), dt("2030-01-02 08:30")) == 480
    assert cal.between(dt("2030-01-01 00:00"), dt("2030-01-01 12:00")) == 210


def test_t1_between_across_several_years_counts_every_working_day_of_the_years_between():
    cal = WorkCalendar(official=NoOfficialHolidays(), confirmed_years=[2029, 2030, 2031])
    working_days_2030 = sum(1 for d in range(365) if date.fromordinal(date(2030, 1, 1).toordinal() + d).weekday() < 5)
    assert working_days_2030 == 261
    # Mon 31 Dec 2029 17:00 → Wed 1 Jan 2031 09:00: 30 min + all of 2030 + 30 min
    assert cal.between(dt("2029-12-31 17:00"), dt("2031-01-01 09:00")) == 30 + 261 * 480 + 30
    assert cal.between(dt("2029-12-31 17:00"), dt("2030-01-01 09:00")) == 60


# -- T2 / C17: calendar-day limits -----------------------------------------------------------------
def test_t2_a_calendar_day_limit_is_at_least_one_day():
    cal = WorkCalendar()
    with pytest.raises(ValueError, match="at least one day"):
        cal.add_calendar_days(dt("2026-11-25 10:00"), 0)
    assert cal.add_calendar_days(dt("2026-11-25 10:00"), 1) == dt("2026-11-26 17:30")


def test_t2_the_last_day_ends_with_the_last_window_of_the_day():
    cal = WorkCalendar(windows=windows((8, 0, 10, 0), (11, 0, 12, 0), (13, 0, 16, 0)))
    assert cal.end_of_day(date(2026, 11, 28)) == dt("2026-11-28 16:00")
    assert cal.add_calendar_days(dt("2026-11-25 10:00"), 1) == dt("2026-11-26 16:00")


def test_t1_each_refusal_of_a_calendar_says_exactly_why():
    with pytest.raises(ValueError, match=r"^a working calendar needs at least one working window$"):
        WorkCalendar(windows=[])
    with pytest.raises(ValueError, match=r"^working time to add must not be negative$"):
        WorkCalendar().add(dt("2026-11-25 09:00"), -1)
    with pytest.raises(ValueError, match=r"^a limit in calendar days must be at least one day$"):
        WorkCalendar().add_calendar_days(dt("2026-11-25 09:00"), 0)
