"""The service desk's rules (S1–S17), worked examples and properties, on the real calendar
(China's 2026 holidays and make-up working days, the default 08:30–12:00 / 13:00–17:30)."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaint_kit.domain.calendar import DayKind, WorkCalendar
from complaint_kit.domain.service import (
    DEFAULT_SCORES,
    SURVEY_ITEMS,
    Arrival,
    CallStatus,
    CallView,
    Category,
    Level,
    ServiceRules,
    Settlement,
    TimeEntry,
    Zone,
    assess_arrival,
    compute_arrival_due,
    notice_due,
    parse_category,
    parse_level,
    parse_zone,
    reconcile,
    repair_needs_escalation,
    settle_fee,
    supervisor_report,
    survey_score,
)

CAL = WorkCalendar()
RULES = ServiceRules()


def dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


def due(called: str, zone: Zone = Zone.CITY, calendar: WorkCalendar = CAL) -> datetime:
    return compute_arrival_due(dt(called), zone, rules=RULES, calendar=calendar)


# ---------------------------------------------------------------------------------------------
# S13: arrival deadlines on the working calendar
def test_a_city_call_is_reached_within_six_working_hours_across_the_lunch_break():  # S13, T1
    assert due("2026-11-25 10:00") == dt("2026-11-25 17:00")  # 2 h before lunch, 4 h after


def test_a_suburb_call_has_seven_working_hours_and_runs_into_the_next_morning():  # S13
    assert due("2026-11-25 10:00", Zone.SUBURB) == dt("2026-11-26 09:00")


def test_a_friday_afternoon_call_is_due_on_monday():  # S13, T1: weekends are not working time
    assert due("2026-11-27 15:00") == dt("2026-11-30 12:00")  # 2.5 h Friday, 3.5 h Monday: lunch, not 13:00


def test_a_call_before_national_day_is_due_after_the_holiday():  # S13, T1: public holidays
    # 2026-09-30 16:00: 1.5 h that day; 1–7 October are holidays; the rest on Thursday 8 October
    assert not any(CAL.is_working_day(date(2026, 10, d)) for d in range(1, 8))
    assert due("2026-09-30 16:00") == dt("2026-10-08 14:00")


def test_a_make_up_saturday_counts():  # S13, T1: 调休 — 2026-02-14 is a make-up working day
    assert due("2026-02-13 16:00") == dt("2026-02-14 14:00")


def test_a_call_logged_at_night_starts_counting_in_the_morning():  # S13, T3
    assert due("2026-11-25 20:00") == dt("2026-11-26 15:30")


def test_the_companys_own_day_off_is_skipped():  # S13, T1: the 日历 sheet
    calendar = WorkCalendar(company_days={date(2026, 11, 26): DayKind.OFF})
    assert due("2026-11-25 16:00", calendar=calendar) == dt("2026-11-27 14:00")  # 1.5 h Wed, 4.5 h Fri


def test_limits_are_settings():  # S13: the administrator may change 6 and 7
    rules = ServiceRules(city_hours=Decimal(4), suburb_hours=Decimal("4.5"))
    assert compute_arrival_due(dt("2026-11-25 08:30"), Zone.CITY, rules=rules, calendar=CAL) == dt("2026-11-25 13:30")
    assert compute_arrival_due(dt("2026-11-25 08:30"), Zone.SUBURB, rules=rules, calendar=CAL) == dt("2026-11-25 14:00")


def test_status_before_arrival_is_on_time_due_soon_or_overdue():  # S13
    limit = dt("2026-11-25 17:00")
    state = assess_arrival(limit, None, now=dt("2026-11-25 14:00"), rules=RULES, calendar=CAL)
    assert state.status is Arrival.ON_TIME and state.left_minutes == 180
    state = assess_arrival(limit, None, now=dt("2026-11-25 16:00"), rules=RULES, calendar=CAL)
    assert state.status is Arrival.DUE_SOON and state.left_minutes == 60
    state = assess_arrival(limit, None, now=dt("2026-11-26 09:00"), rules=RULES, calendar=CAL)
    assert state.status is Arrival.OVERDUE and state.late_minutes == 60  # the night is not working time


def test_status_after_arrival_stays_for_good():  # S13
    limit = dt("2026-11-25 17:00")
    on_time = assess_arrival(limit, dt("2026-11-25 16:59"), now=dt("2027-01-01 09:00"), rules=RULES, calendar=CAL)
    assert on_time.status is Arrival.ARRIVED_ON_TIME
    late = assess_arrival(limit, dt("2026-11-26 09:30"), now=dt("2026-11-26 09:30"), rules=RULES, calendar=CAL)
    assert late.status is Arrival.ARRIVED_LATE and late.late_minutes == 90  # 17:00–17:30 and 08:30–09:30


def test_arriving_in_the_evening_after_a_deadline_at_close_of_day_is_not_late():  # T3
    limit = dt("2026-11-25 17:30")
    state = assess_arrival(limit, dt("2026-11-25 18:10"), now=dt("2026-11-25 18:10"), rules=RULES, calendar=CAL)
    assert state.status is Arrival.ARRIVED_ON_TIME  # no working time passed after the deadline


MOMENTS = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 20)).map(
    lambda d: d.replace(second=0, microsecond=0)
)


@given(called=MOMENTS, zone=st.sampled_from(list(Zone)))
def test_a_deadline_never_precedes_its_call_and_holds_exactly_the_limit(called, zone):  # S13 property
    limit = compute_arrival_due(called, zone, rules=RULES, calendar=CAL)
    assert limit >= called
    assert CAL.between(called, limit) == RULES.limit_minutes(zone)
    assert CAL.is_working_day(limit.date())


@given(called=MOMENTS, later=st.integers(0, 60 * 24 * 20))
def test_overdue_exactly_when_now_is_past_the_deadline_in_working_time(called, later):  # S13 property
    limit = compute_arrival_due(called, Zone.CITY, rules=RULES, calendar=CAL)
    now = called + timedelta(minutes=later)
    state = assess_arrival(limit, None, now=now, rules=RULES, calendar=CAL)
    assert (state.status is Arrival.OVERDUE) == (CAL.between(limit, now) > 0 and now > limit)


# ---------------------------------------------------------------------------------------------
# S1, S15: what clerks type
@pytest.mark.parametrize(
    ("typed", "category"),
    [
        ("A", Category.PAID),
        ("a", Category.PAID),
        ("Ａ", Category.PAID),
        ("A 有费服务", Category.PAID),
        ("有费服务", Category.PAID),
        (" B ", Category.CONTRACT),
        ("免费服务", Category.FREE),
        ("d", Category.ADMIN),
    ],
)
def test_categories_are_read_as_clerks_type_them(typed, category):  # S1
    assert parse_category(typed) is category


def test_unknown_categories_zones_and_levels_are_none():
    assert parse_category("E") is None and parse_category("") is None and parse_category(None) is None
    assert parse_zone("市区") is Zone.CITY and parse_zone(" 郊区 ") is Zone.SUBURB and parse_zone("乡下") is None
    assert parse_level("很满意") is Level.VERY_SATISFIED and parse_level("４") is Level.VERY_SATISFIED
    assert parse_level("1") is Level.VERY_DISSATISFIED and parse_level("还行") is None


def test_a_survey_card_scores_four_items_on_four_levels():  # S15
    assert [name for _, name in SURVEY_ITEMS] == ["态度", "技术", "到达时间", "答应事情的办理"]
    assert DEFAULT_SCORES == {
        Level.VERY_SATISFIED: 4,
        Level.SATISFIED: 3,
        Level.DISSATISFIED: 2,
        Level.VERY_DISSATISFIED: 1,
    }
    answers = {"attitude": Level.VERY_SATISFIED, "skill": Level.SATISFIED, "arrival": Level.DISSATISFIED}
    assert survey_score({**answers, "promise": Level.VERY_DISSATISFIED}) == 10


# ---------------------------------------------------------------------------------------------
# S4, S7: fees
def test_a_small_fee_is_collected_on_site_a_larger_one_is_invoiced():  # S4: "small" = 500
    assert settle_fee(Category.PAID, Decimal(500), rules=RULES) == (Settlement.ON_SITE, [])
    assert settle_fee(Category.PAID, Decimal("500.01"), rules=RULES) == (Settlement.INVOICE, [])
    assert settle_fee(Category.PAID, None, rules=RULES) == (Settlement.INVOICE, [])  # invoiced the same day
    assert settle_fee(Category.PAID, Decimal(800), rules=ServiceRules(small_fee=Decimal(1000)))[0] is Settlement.ON_SITE


def test_contract_free_and_internal_work_is_not_charged():  # S1, S4
    assert settle_fee(Category.CONTRACT, None, rules=RULES) == (Settlement.NONE, [])
    settlement, problems = settle_fee(Category.FREE, Decimal(50), rules=RULES)
    assert settlement is Settlement.NONE and [p.code for p in problems] == ["E-SERVICE-FEE-NOT-PAID"]
    assert [p.code for p in settle_fee(Category.PAID, Decimal(-5), rules=RULES)[1]] == ["E-SERVICE-FEE"]


# ---------------------------------------------------------------------------------------------
# S8: repairs that will be late
def test_a_repair_due_tomorrow_or_past_due_goes_to_the_supervisor():  # S8
    today = date(2026, 11, 25)  # a Wednesday
    assert repair_needs_escalation(date(2026, 11, 26), None, today=today, rules=RULES, calendar=CAL)
    assert repair_needs_escalation(date(2026, 11, 20), None, today=today, rules=RULES, calendar=CAL)
    assert not repair_needs_escalation(date(2026, 11, 30), None, today=today, rules=RULES, calendar=CAL)
    assert not repair_needs_escalation(date(2026, 11, 26), date(2026, 11, 25), today=today, rules=RULES, calendar=CAL)
    assert not repair_needs_escalation(None, None, today=today, rules=RULES, calendar=CAL)
    # Friday: Monday is the next working day, so a repair promised for Monday is one day away
    assert repair_needs_escalation(date(2026, 11, 30), None, today=date(2026, 11, 27), rules=RULES, calendar=CAL)


# ---------------------------------------------------------------------------------------------
# S9, S10: daily reports
ENTRIES = st.lists(
    st.builds(
        TimeEntry,
        day=st.sampled_from([date(2026, 11, 25), date(2026, 11, 26)]),
        technician=st.sampled_from(["王工", "李工", "赵工"]),
        category=st.sampled_from(list(Category)),
        hours=st.decimals(min_value=0, max_value=8, places=1, allow_nan=False, allow_infinity=False),
    ),
    max_size=30,
)


@given(entries=ENTRIES)
def test_a_daily_report_holds_each_persons_hours_exactly(entries):  # S9, S10 property
    day = date(2026, 11, 25)
    report = supervisor_report(entries, day)
    of_day = [e for e in entries if e.day == day]
    assert sum((p.total for p in report), Decimal(0)) == sum((e.hours for e in of_day), Decimal(0))
    for person in report:
        mine = [e for e in of_day if e.technician == person.technician]
        assert person.jobs == len(mine)
        for c in Category:
            assert person.hours[c] == sum((e.hours for e in mine if e.category is c), Decimal(0))
    assert [p.technician for p in report] == sorted({e.technician for e in of_day})


# ---------------------------------------------------------------------------------------------
# S12: the day's reconciliation
def test_the_days_reconciliation_finds_unsigned_vouchers_and_calls_still_waiting():  # S12
    day = date(2026, 11, 25)
    closed = CallStatus.CLOSED
    calls = [
        CallView("S1", dt("2026-11-25 09:00"), closed, "王工", voucher_signed=True, finished_at=dt("2026-11-25 11:00")),
        CallView(
            "S2", dt("2026-11-24 10:00"), closed, "王工", voucher_signed=False, finished_at=dt("2026-11-25 15:00")
        ),
        CallView(
            "S7", dt("2026-11-24 10:00"), closed, "王工", voucher_signed=False, finished_at=dt("2026-11-24 15:00")
        ),
        CallView("S3", dt("2026-11-25 16:00"), CallStatus.LOGGED),
        CallView("S4", dt("2026-11-24 16:00"), CallStatus.LOGGED),
        CallView("S5", dt("2026-11-26 08:00"), CallStatus.LOGGED),  # tomorrow's: not today's business
        CallView("S6", dt("2026-11-25 11:00"), CallStatus.DISPATCHED, "李工"),
    ]
    unsigned, waiting = reconcile(calls, day)
    assert [c.call_no for c in unsigned] == ["S2"]  # closed today unsigned; S7 was yesterday's paper
    assert [c.call_no for c in waiting] == ["S4", "S3"]  # the oldest first, next working day


# ---------------------------------------------------------------------------------------------
# S14: contracts
def test_an_expiry_notice_is_due_within_a_month_of_the_end():  # S14
    today = date(2026, 11, 28)
    assert notice_due(date(2026, 12, 28), today=today, rules=RULES)
    assert notice_due(date(2026, 11, 28), today=today, rules=RULES)
    assert not notice_due(date(2026, 12, 29), today=today, rules=RULES)
    assert not notice_due(date(2026, 11, 27), today=today, rules=RULES)  # ended: nothing to renew by notice
    assert notice_due(date(2027, 2, 28), today=date(2027, 1, 31), rules=RULES)  # a short month: its last day
    assert notice_due(date(2027, 1, 15), today=date(2026, 12, 20), rules=RULES)  # across the year


# ---------------------------------------------------------------------------------------------
# settings of the service workbook
def test_service_settings_read_as_typed_and_refuse_what_is_wrong():  # S4, S13, S14 settings
    from complaint_kit.domain.service import SERVICE_SETTING_KEYS, compute_service_rules, service_setting_meta

    rules, problems = compute_service_rules(
        {"city_hours": "5", "suburb_hours": 6.5, "small_fee": None, "notice_months": " "}
    )
    assert problems == [] and rules.city_hours == Decimal(5) and rules.suburb_hours == Decimal("6.5")
    assert rules.small_fee == Decimal(500) and rules.notice_months == 1  # blank keeps the default
    rules, problems = compute_service_rules({"city_hours": "-1", "no_such_key": 3})
    assert rules == ServiceRules() and sorted(p.field for p in problems) == ["city_hours", "no_such_key"]
    assert "市区到达时限" in next(p.zh for p in problems if p.field == "city_hours")
    assert service_setting_meta("small_fee") == {
        "zh": "现场收费上限(元)",
        "rule": "S4",
        "help": service_setting_meta("small_fee")["help"],
    }
    assert SERVICE_SETTING_KEYS[0] == "city_hours" and "repair_warn_days" in SERVICE_SETTING_KEYS


def test_the_evening_after_a_close_of_day_deadline_is_not_overdue_yet():  # S13, T3
    state = assess_arrival(dt("2026-11-25 17:30"), None, now=dt("2026-11-25 19:00"), rules=RULES, calendar=CAL)
    assert state.status is Arrival.DUE_SOON and state.late_minutes == 0  # no working time has passed


# ---------------------------------------------------------------------------------------------
# S11: the month per technician
def test_the_month_counts_by_the_day_things_happened():  # S11, S13, S15
    from complaint_kit.domain.service import CallFacts, SurveyFacts, compute_service_month

    nov = dt("2026-11-20 10:00")
    calls = [
        CallFacts("南山", "J1", "李工", nov, nov, Arrival.ARRIVED_ON_TIME),
        CallFacts("南山", "J2", "李工", nov, nov, Arrival.ARRIVED_LATE, 90),
        CallFacts("南山", "J3", "李工", dt("2026-12-01 10:00"), dt("2026-12-01 09:00"), Arrival.ARRIVED_ON_TIME),
        CallFacts("南山", "J4", "", None, None, None),  # not dispatched: nobody's
        CallFacts("宝安", "J1", "钱工", None, None, None),  # open: counts nothing yet
    ]
    top = dict.fromkeys(("attitude", "skill", "arrival", "promise"), Level.VERY_SATISFIED)
    low = dict.fromkeys(("attitude", "skill", "arrival", "promise"), Level.DISSATISFIED)
    surveys = [
        SurveyFacts("南山", "J1", "李工", date(2026, 11, 22), top),
        SurveyFacts("南山", "J2", "李工", date(2026, 11, 23), low),
        SurveyFacts("南山", "J3", "李工", date(2026, 12, 2), low),  # December's
        SurveyFacts("南山", "J9", "李工", date(2026, 11, 23), {"attitude": Level.SATISFIED}),  # incomplete card
        SurveyFacts("南山", "J8", "", date(2026, 11, 23), top),
    ]
    entries = [
        ("南山", TimeEntry(date(2026, 11, 20), "李工", Category.PAID, Decimal("2.5"))),
        ("南山", TimeEntry(date(2026, 12, 1), "李工", Category.PAID, Decimal(8))),
        ("宝安", TimeEntry(date(2026, 11, 20), "钱工", Category.ADMIN, Decimal(1))),
    ]
    people = compute_service_month(calls, surveys, entries, year=2026, month=11)
    assert [(p.centre, p.technician) for p in people] == [("南山", "李工"), ("宝安", "钱工")]
    li, qian = people
    assert (li.closed, li.on_time, li.late, li.late_minutes, li.cards) == (2, 1, 1, 90, 2)
    assert li.item_scores == dict.fromkeys(("attitude", "skill", "arrival", "promise"), Decimal("3.00"))
    assert li.average == Decimal("12.00") and li.hours is not None and li.hours[Category.PAID] == Decimal("2.5")
    assert (qian.closed, qian.cards, qian.item_scores, qian.average) == (0, 0, None, None)
    assert qian.hours is not None and qian.hours[Category.ADMIN] == 1
