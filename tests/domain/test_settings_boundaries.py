"""Settings (T1, T2, C3, C4, C6, C17, C18): both sides of every range, every 设置 value form."""

from datetime import date, time
from decimal import Decimal

import pytest

from complaint_kit.domain.calendar import DayKind, NoOfficialHolidays, WorkWindow
from complaint_kit.domain.rules import DEFAULT_STAGE_LIMITS, CaseLimitBasis, Market, Stage
from complaint_kit.domain.settings import (
    SETTING_KEYS,
    Settings,
    compute_settings,
    default_value_text,
    parse_int_list,
    parse_windows,
    setting_meta,
)


def invalid(**overrides):
    settings, problems = compute_settings(overrides)
    return settings, [(p.code, p.field) for p in problems]


@pytest.mark.parametrize(
    ("key", "refused", "accepted"),
    [
        ("intake_days", 0, "0.01"),  # C6.1: a stage limit is more than zero
        ("quality_days", "-0.5", 2),  # C6.3
        ("manufacturing_days", 0, "0.5"),  # C6.4
        ("rnd_days", 0, 3),  # C6.5
        ("negotiation_domestic_days", 0, 1),  # C6.6
        ("negotiation_foreign_days", 0, 1),  # C6.6
        ("consolidation_days", 0, 1),  # C6.7
        ("case_limit_domestic_days", 0, 1),  # C17
        ("case_limit_foreign_days", 0, 1),  # C17
        ("due_soon_hours", "-0.1", 0),  # C18: zero turns the reminder off
        ("case_no_serial_width", 1, 2),  # C3: two to six digits
        ("case_no_serial_width", 7, 6),
        ("max_quantity", 0, 1),  # C4: one piece up to Excel's fifteen digits
        ("max_quantity", 10**15 + 1, 10**15),
        ("work_weekdays", "0", "1"),  # T1: 1 = Monday … 7 = Sunday
        ("work_weekdays", "8", "7"),
        ("confirmed_holiday_years", "1999", "2000"),  # T1
        ("confirmed_holiday_years", "2101", "2100"),
        ("case_limit_basis", "weekly", "working"),  # T2
    ],
)
def test_each_setting_range_refuses_just_outside_and_accepts_just_inside(key, refused, accepted):
    settings, problems = invalid(**{key: refused})
    assert problems == [("E-SETTING-INVALID", key)] and settings == Settings()
    settings, problems = invalid(**{key: accepted})
    assert problems == []
    value = getattr(settings, key)
    assert str(value.value if isinstance(value, CaseLimitBasis) else value) == str(accepted)


def test_an_invalid_setting_names_its_label_key_and_value():
    _, problems = compute_settings({"quality_days": -1})
    [p] = problems
    assert (p.code, p.field) == ("E-SETTING-INVALID", "quality_days")
    assert "品管分析时限(工作日)" in p.zh and "quality_days" in p.zh and "-1" in p.zh
    assert "quality_days" in p.en


def test_an_unknown_setting_is_named_and_the_known_ones_still_apply():
    settings, problems = compute_settings({"qualty_days": 2, "quality_days": 3})
    [p] = problems
    assert (p.code, p.field) == ("E-SETTING-UNKNOWN", "qualty_days")
    assert "qualty_days" in p.zh and "qualty_days" in p.en
    assert settings.quality_days == 3


def test_values_typed_in_the_settings_sheet_are_trimmed_and_blank_keeps_the_default():
    settings, problems = compute_settings(
        {"case_limit_domestic_days": " 10 ", "due_soon_hours": None, "work_hours": "  ", "quality_days": 0.1}
    )
    assert problems == []
    assert settings.case_limit_domestic_days == 10
    assert settings.due_soon_hours == Decimal(4) and settings.work_hours == Settings().work_hours
    assert settings.quality_days == Decimal("0.1")  # the float 0.1 read exactly as typed, not 0.1000000000000000055…


def test_t1_weekdays_are_1_for_monday_to_7_for_sunday():
    assert Settings().weekday_indexes() == (0, 1, 2, 3, 4)
    assert Settings(work_weekdays="6,7").weekday_indexes() == (5, 6)
    assert Settings(work_weekdays="1，3.0").weekday_indexes() == (0, 2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", ()), (" , ", ()), ("2027", (2027,)), ("2027，2028", (2027, 2028)), ("2027.0, 2030", (2027, 2030))],
)
def test_t1_a_list_of_years_or_weekdays_is_read_as_whole_numbers(text, expected):
    assert parse_int_list(text, low=2000, high=2100) == expected


@pytest.mark.parametrize("text", ["-1", "x", "2027.5", "3001"])
def test_t1_a_list_entry_that_is_not_a_whole_number_in_range_is_refused_naming_it(text):
    with pytest.raises(ValueError, match="between 0 and 3000"):
        parse_int_list(text, low=0, high=3000)


def test_t1_work_hours_are_read_as_windows_full_width_commas_and_spaces_allowed():
    assert parse_windows(" 8:00 - 12:00 ，13:00-17:00,") == (
        WorkWindow(time(8, 0), time(12, 0)),
        WorkWindow(time(13, 0), time(17, 0)),
    )
    assert parse_windows("0:00-23:59") == (WorkWindow(time(0, 0), time(23, 59)),)


def test_t1_touching_work_windows_are_accepted_in_the_settings():
    settings, problems = compute_settings({"work_hours": "08:00-12:00,12:00-17:00"})
    assert problems == [] and settings.calendar().day_minutes == 540


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("8-12", "not HH:MM-HH:MM"),
        ("24:00-25:00", "not a time of day"),
        ("08:00-24:00", "not a time of day"),
        ("08:60-12:00", "not a time of day"),
        ("08:00-12:60", "not a time of day"),
        ("", "at least one working window"),
        (" ， ", "at least one working window"),
        ("08:00-12:01,12:00-17:00", "overlap"),
        ("12:00-08:00", "empty"),
    ],
)
def test_t1_work_hours_that_are_not_windows_of_a_day_are_refused_saying_why(text, message):
    with pytest.raises(ValueError, match=message):
        parse_windows(text)


def test_t1_invalid_work_hours_typed_in_the_settings_sheet_are_a_problem_naming_the_setting():
    settings, problems = compute_settings({"work_hours": "08:00-12:01,12:00-17:00"})
    assert [(p.code, p.field) for p in problems] == [("E-SETTING-INVALID", "work_hours")]
    assert settings == Settings()


def test_t1_the_calendar_of_the_settings_uses_their_windows_weekdays_years_and_company_days():
    s = Settings(work_hours="09:00-11:00", work_weekdays="1,2,3,4,5,6", confirmed_holiday_years="2027")
    cal = s.calendar({date(2027, 1, 4): DayKind.OFF}, official=NoOfficialHolidays())
    assert cal.day_minutes == 120
    assert cal.weekdays == frozenset(range(6))
    assert cal.confirmed_years == frozenset({2027})
    assert not cal.is_working_day(date(2027, 1, 4)) and cal.is_working_day(date(2027, 1, 2))  # a Saturday
    assert cal.missing_years == []
    assert Settings().calendar().official.covered_years  # China's data by default


def test_c6_the_stage_limit_table_applies_each_override_to_its_own_stage_and_keeps_the_rules():
    s = Settings(
        intake_days=Decimal("0.25"),
        quality_days=2,
        manufacturing_days=3,
        rnd_days=4,
        negotiation_domestic_days=6,
        negotiation_foreign_days=13,
        consolidation_days=Decimal("0.75"),
    )
    table = s.stage_limits()
    assert [(st, table[st].days(Market.DOMESTIC), table[st].days(Market.FOREIGN)) for st in table] == [
        (Stage.INTAKE, Decimal("0.25"), Decimal("0.25")),
        (Stage.QUALITY, 2, 2),
        (Stage.MANUFACTURING, 3, 3),
        (Stage.RND, 4, 4),
        (Stage.NEGOTIATION, 6, 13),
        (Stage.CONSOLIDATION, Decimal("0.75"), Decimal("0.75")),
        (Stage.APPROVAL, None, None),
    ]
    assert [table[row.stage].rule for row in DEFAULT_STAGE_LIMITS] == [row.rule for row in DEFAULT_STAGE_LIMITS]


def test_c17_the_case_limit_depends_on_the_market():
    s = Settings(case_limit_domestic_days=10, case_limit_foreign_days=20)
    assert (s.case_limit_days(Market.DOMESTIC), s.case_limit_days(Market.FOREIGN)) == (10, 20)


def test_every_setting_has_its_chinese_label_rule_and_help_for_the_settings_sheet():
    assert SETTING_KEYS[0] == "work_hours" and len(SETTING_KEYS) == len(set(SETTING_KEYS))
    assert setting_meta("intake_days") == {
        "zh": "业务送件时限(工作日)",
        "rule": "C6.1",
        "help": "客户反映至总经理室收件",
    }
    assert all(set(setting_meta(k)) == {"zh", "rule", "help"} for k in SETTING_KEYS)


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("case_limit_basis", "calendar"),
        ("intake_days", "0.5"),
        ("case_limit_foreign_days", "17"),
        ("work_hours", "08:30-12:00,13:00-17:30"),
        ("confirmed_holiday_years", ""),
    ],
)
def test_the_settings_sheet_shows_each_default_as_text(key, text):
    assert default_value_text(key) == text


def test_t2_a_choice_typed_with_spaces_around_it_is_understood():
    settings, problems = compute_settings({"case_limit_basis": " working ", "work_weekdays": " 6,7 "})
    assert problems == [] and settings.case_limit_basis is CaseLimitBasis.WORKING and settings.work_weekdays == "6,7"


def test_an_invalid_setting_says_why_in_english():
    _, problems = compute_settings({"quality_days": -1})
    assert "greater than 0" in problems[0].en


@pytest.mark.parametrize(("text", "expected"), [(",2027", (2027,)), ("2027,,2028", (2027, 2028))])
def test_t1_an_empty_entry_in_a_list_is_skipped_not_the_end_of_the_list(text, expected):
    assert parse_int_list(text, low=2000, high=2100) == expected


def test_t1_an_empty_part_of_the_work_hours_is_skipped_not_the_end_of_them():
    assert len(parse_windows(",08:00-12:00,,13:00-17:00")) == 2


@pytest.mark.parametrize(
    ("text", "minutes"), [("23:00-23:30", 30), ("00:00-00:30", 30), ("00:00-23:00", 1380), ("09:00-09:59", 59)]
)
def test_t1_hours_0_to_23_and_minutes_0_to_59_are_times_of_day(text, minutes):
    assert parse_windows(text)[0].minutes == minutes


@pytest.mark.parametrize("text", ["24:00-23:00", "09:00-24:00", "09:60-10:00", "09:00-09:60"])
def test_t1_hour_24_and_minute_60_are_not_times_of_day(text):
    with pytest.raises(ValueError, match=r"is not a time of day$"):
        parse_windows(text)


def test_t1_the_settings_calendar_takes_the_confirmed_years_2000_and_2100_and_the_official_data_given():
    s = Settings(confirmed_holiday_years="2000,2100,2026")
    cal = s.calendar(official=NoOfficialHolidays())
    assert cal.confirmed_years == frozenset({2000, 2100, 2026})
    assert cal.is_working_day(date(2026, 10, 1))  # no official data given: National Day is a Thursday like any
    assert not s.calendar().is_working_day(date(2026, 10, 1))


def test_c6_each_row_of_the_stage_limit_table_is_its_own_stage():
    assert all(row.stage is stage for stage, row in Settings().stage_limits().items())


def test_t1_work_hours_with_no_window_at_all_are_refused_saying_so():
    with pytest.raises(ValueError, match=r"^at least one working window is needed$"):
        parse_windows(" , ")
