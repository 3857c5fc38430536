"""Working-time calendar (rules T1–T4), with China's 2026 holidays and make-up working days."""

from datetime import date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaint_kit.domain.calendar import DayKind, WorkCalendar, WorkWindow


def dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_a_working_day_is_eight_hours_in_two_windows():  # T1
    assert WorkCalendar().day_minutes == 480
    assert WorkCalendar().windows_on(date(2026, 11, 27)) == [
        (dt("2026-11-27 08:30"), dt("2026-11-27 12:00")),
        (dt("2026-11-27 13:00"), dt("2026-11-27 17:30")),
    ]


def test_half_a_day_skips_the_lunch_break():  # T1: "1/2 天" = 4 working hours
    assert WorkCalendar().add(dt("2026-11-25 10:00"), 240) == dt("2026-11-25 15:00")


def test_time_added_during_lunch_starts_after_lunch():
    assert WorkCalendar().add(dt("2026-11-25 12:20"), 60) == dt("2026-11-25 14:00")
    assert WorkCalendar().between(dt("2026-11-25 11:30"), dt("2026-11-25 13:30")) == 60


def test_a_full_day_from_the_morning_ends_the_same_evening_not_next_morning():  # T3
    assert WorkCalendar().add(dt("2026-11-25 08:30"), 480) == dt("2026-11-25 17:30")


def test_a_deadline_never_lands_at_night_or_on_a_weekend():  # T3
    assert WorkCalendar().add(dt("2026-11-27 16:00"), 240) == dt("2026-11-30 11:00")  # Fri → Mon
    assert WorkCalendar().add(dt("2026-11-27 20:00"), 30) == dt("2026-11-30 09:00")


def test_spring_festival_2026_make_up_saturday_is_worked():
    # 2026-02-14 (Saturday) is a make-up working day before the Feb 15–23 holiday.
    assert WorkCalendar().is_working_day(date(2026, 2, 14))
    assert WorkCalendar().add(dt("2026-02-13 17:00"), 60) == dt("2026-02-14 09:00")


def test_spring_festival_2026_holiday_is_skipped():
    assert not any(WorkCalendar().is_working_day(date(2026, 2, d)) for d in range(15, 24))
    assert WorkCalendar().add(dt("2026-02-14 17:00"), 60) == dt("2026-02-24 09:00")
    assert WorkCalendar().between(dt("2026-02-13 17:30"), dt("2026-02-24 08:30")) == 480  # only Sat 14th


def test_spring_festival_2026_second_make_up_saturday():
    assert WorkCalendar().is_working_day(date(2026, 2, 28))
    assert not WorkCalendar().is_working_day(date(2026, 3, 1))


def test_national_day_2026_make_up_days_are_worked():
    assert WorkCalendar().is_working_day(date(2026, 9, 20))  # Sunday before the holiday
    assert WorkCalendar().is_working_day(date(2026, 10, 10))  # Saturday after it
    assert not WorkCalendar().is_working_day(date(2026, 9, 19))
    assert WorkCalendar().add(dt("2026-09-18 17:00"), 60) == dt("2026-09-20 09:00")


def test_national_day_2026_holiday_pushes_a_one_day_stage_to_october_8():
    assert WorkCalendar().add(dt("2026-09-30 16:00"), 480) == dt("2026-10-08 16:00")
    assert WorkCalendar().between(dt("2026-09-30 16:00"), dt("2026-10-09 09:00")) == 600


def test_domestic_case_limit_counts_calendar_days_from_the_day_after():  # C17, T2
    assert WorkCalendar().add_calendar_days(dt("2026-09-17 10:00"), 13) == dt("2026-09-30 17:30")


def test_a_last_day_in_the_holiday_moves_to_the_next_working_day():  # C17, Civil Code 203
    assert WorkCalendar().add_calendar_days(dt("2026-09-20 10:00"), 13) == dt("2026-10-08 17:30")


def test_foreign_case_limit_landing_on_a_sunday_moves_to_monday():
    assert WorkCalendar().add_calendar_days(dt("2026-09-24 10:00"), 17) == dt("2026-10-12 17:30")


def test_a_year_without_official_data_is_reported_not_guessed_silently():  # T1
    cal = WorkCalendar()
    assert cal.add(dt("2026-12-31 16:00"), 480) == dt("2027-01-01 16:00")
    assert cal.missing_years == [2027]
    assert not cal.has_data_for(2027)


def test_a_confirmed_year_uses_the_company_calendar_without_warning():
    cal = WorkCalendar(company_days={date(2027, 1, 1): DayKind.OFF}, confirmed_years=[2027])
    assert cal.add(dt("2026-12-31 16:00"), 480) == dt("2027-01-04 16:00")
    assert cal.missing_years == []


def test_company_days_override_the_official_calendar():
    cal = WorkCalendar(company_days={date(2026, 11, 30): DayKind.OFF, date(2026, 11, 28): DayKind.WORK})
    assert cal.add(dt("2026-11-27 17:00"), 60) == dt("2026-11-28 09:00")
    assert cal.add(dt("2026-11-28 17:00"), 60) == dt("2026-12-01 09:00")


def test_custom_windows():
    cal = WorkCalendar(windows=[WorkWindow(time(8), time(12)), WorkWindow(time(13), time(17))])
    assert cal.day_minutes == 480
    assert cal.add(dt("2026-11-25 11:00"), 120) == dt("2026-11-25 14:00")


def test_overlapping_windows_are_refused():
    with pytest.raises(ValueError, match="overlap"):
        WorkCalendar(windows=[WorkWindow(time(8), time(12)), WorkWindow(time(11), time(17))])


def test_spans_across_new_year_add_up():
    cal = WorkCalendar(confirmed_years=[2027])
    total = cal.between(dt("2025-12-31 08:30"), dt("2027-01-01 08:30"))
    by_year = sum(
        cal.between(dt(a), dt(b))
        for a, b in [("2025-12-31 08:30", "2026-01-01 00:00"), ("2026-01-01 00:00", "2027-01-01 08:30")]
    )
    assert total == by_year > 0


instants = st.datetimes(min_value=datetime(2025, 6, 1), max_value=datetime(2026, 12, 15)).map(
    lambda d: d.replace(second=0, microsecond=0)
)
spans = st.integers(min_value=0, max_value=30 * 480)


@given(instants, spans)
def test_a_deadline_never_precedes_its_start(start, minutes):
    cal = WorkCalendar()  # fresh per example: no prefix sums cached by another test
    assert cal.add(start, minutes) >= start


@given(instants, instants, spans)
def test_a_later_start_never_gives_an_earlier_deadline(a, b, minutes):
    cal = WorkCalendar()  # fresh per example: no prefix sums cached by another test
    early, late = sorted((a, b))
    assert cal.add(early, minutes) <= cal.add(late, minutes)


@given(instants, spans)
def test_between_undoes_add(start, minutes):
    cal = WorkCalendar()  # fresh per example: no prefix sums cached by another test
    assert cal.between(start, cal.add(start, minutes)) == minutes


@given(instants, instants)
def test_add_undoes_between_up_to_non_working_time(a, b):
    cal = WorkCalendar()  # fresh per example: no prefix sums cached by another test
    start, end = sorted((a, b))
    back = cal.add(start, cal.between(start, end))
    assert back <= end
    assert cal.between(back, end) == 0


@given(instants, instants, st.integers(min_value=1, max_value=40))
def test_calendar_day_limits_are_monotone_and_not_before_start(a, b, days):
    cal = WorkCalendar()  # fresh per example: no prefix sums cached by another test
    early, late = sorted((a, b))
    assert cal.add_calendar_days(early, days) >= early
    assert cal.add_calendar_days(early, days) <= cal.add_calendar_days(late, days)
