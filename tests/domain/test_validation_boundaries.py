"""Intake (C4, C6.1) and cell values: both sides of every boundary, each problem naming its field."""

from datetime import UTC, date, datetime, timedelta

import pytest

from complaint_kit.domain.rules import Stage
from complaint_kit.domain.validation import check_section, compute_intake, finished_section_attrs, rnd_needed
from complaint_kit.domain.values import MAX_CELL_TEXT, FieldReader, shown, to_datetime, to_int, to_text
from complaint_kit.layout import FIELD_LABELS

NOW = datetime(2026, 11, 23, 10, 0)
GOOD = {
    "customer": "华星光电",
    "market": "国内",
    "sales_rep": "李强",
    "reported_at": datetime(2026, 11, 23, 9, 0),
    "order_no": "SO1",
    "part_no": "PCB-1",
    "ship_date": datetime(2026, 11, 1),
    "ship_qty": 1000,
    "defect_qty": 20,
    "customer_request": "退货",
    "request_qty": 20,
    "description": "起泡",
}


def intake(max_quantity=None, **changes):
    extra = {} if max_quantity is None else {"max_quantity": max_quantity}
    return compute_intake({**GOOD, **changes}, now=NOW, labels=FIELD_LABELS, **extra)


def found(**changes):
    _, problems = intake(**changes)
    return [(p.field, p.code) for p in problems]


# -- C4: quantities ---------------------------------------------------------------------------------
def test_c4_defective_quantity_equal_to_the_shipped_quantity_is_accepted():
    value, problems = intake(defect_qty=1000, request_qty=1000)
    assert problems == [] and (value.defect_qty, value.request_qty) == (1000, 1000)


def test_c4_defective_quantity_one_above_the_shipped_quantity_is_refused_quoting_both():
    _, problems = intake(defect_qty=1001, request_qty=5)
    [p] = problems
    assert (p.field, p.code, p.rule) == ("defect_qty", "E-DEFECT-GT-SHIPPED", "C4")
    assert "1001" in p.zh and "1000" in p.zh and "1001" in p.en and "1000" in p.en


def test_c4_requested_quantity_one_above_the_shipped_quantity_is_refused_quoting_both():
    _, problems = intake(request_qty=1001)
    [p] = problems
    assert (p.field, p.code, p.rule) == ("request_qty", "E-REQUEST-GT-SHIPPED", "C4")
    assert "1001" in p.zh and "1000" in p.zh and "1001" in p.en and "1000" in p.en


@pytest.mark.parametrize("attr", ["ship_qty", "defect_qty"])
def test_c4_shipped_and_defective_quantities_are_at_least_one(attr):
    assert (attr, "E-TOO-SMALL") in found(**{attr: 0})
    value, problems = intake(ship_qty=1, defect_qty=1, request_qty=1)
    assert problems == [] and (value.ship_qty, value.defect_qty) == (1, 1)


def test_c4_a_requested_quantity_may_be_zero_but_not_negative():
    assert found(request_qty=0) == []
    _, problems = intake(request_qty=-1)
    [p] = problems
    assert (p.field, p.code, p.rule) == ("request_qty", "E-TOO-SMALL", "C4")
    assert "0" in p.zh and "at least 0" in p.en


def test_c4_a_quantity_equal_to_the_limit_is_accepted_one_above_is_refused():
    assert found(max_quantity=5000, ship_qty=5000) == []
    _, problems = intake(max_quantity=5000, ship_qty=5001)
    [p] = problems
    assert (p.field, p.code, p.rule) == ("ship_qty", "E-TOO-LARGE", "C4")
    assert "5,001" in p.zh and "5,000" in p.zh and "5,001" in p.en and "5,000" in p.en


@pytest.mark.parametrize("wanted", ["退货", "换货", "重工"])
def test_c4_requests_that_move_goods_need_a_quantity(wanted):
    assert found(customer_request=wanted, request_qty=None) == [("request_qty", "E-REQUIRED")]


@pytest.mark.parametrize("wanted", ["折让", "赔偿", "客户加工中未确定"])
def test_c4_requests_that_move_no_goods_need_no_quantity(wanted):
    value, problems = intake(customer_request=wanted, request_qty=None)
    assert problems == [] and value.request_qty is None and value.customer_request.value == wanted


def test_c4_a_complete_intake_keeps_every_value_typed():
    value, problems = intake()
    assert problems == []
    assert (value.customer, value.market.value, value.sales_rep, value.order_no, value.part_no) == (
        "华星光电",
        "国内",
        "李强",
        "SO1",
        "PCB-1",
    )
    assert (value.reported_at, value.ship_date, value.ship_qty) == (
        datetime(2026, 11, 23, 9, 0),
        date(2026, 11, 1),
        1000,
    )
    assert (value.customer_request.value, value.request_qty, value.description) == ("退货", 20, "起泡")


# -- C6.1 / C4: times ----------------------------------------------------------------------------------
def test_c6_1_a_report_at_the_very_minute_of_now_is_accepted_one_minute_later_is_in_the_future():
    assert found(reported_at=NOW) == []
    _, problems = intake(reported_at=NOW + timedelta(minutes=1))
    [p] = problems
    assert (p.field, p.code, p.rule) == ("reported_at", "E-FUTURE", "C6.1")
    assert "2026-11-23 10:00" in p.zh


def test_c4_shipping_on_the_day_of_the_report_is_accepted_the_day_after_is_not():
    assert found(ship_date=datetime(2026, 11, 23, 23, 0)) == []
    _, problems = intake(ship_date=datetime(2026, 11, 24))
    assert [(p.field, p.code, p.rule) for p in problems] == [("ship_date", "E-SHIP-AFTER-REPORT", "C4")]


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        (datetime(2000, 1, 1), True),
        (datetime(1999, 12, 31, 23, 59), False),
        (datetime(2100, 12, 31, 23, 59, 59), True),
        (datetime(2101, 1, 1), False),
    ],
)
def test_c4_dates_from_2000_to_2100_are_plausible_and_no_others(value, ok):
    r = FieldReader({"ship_date": value}, {"ship_date": "出货日期"})
    got = r.day("ship_date", rule="C4")
    assert (got == value.date()) is ok
    if not ok:
        [p] = r.problems
        assert (p.field, p.code, p.rule) == ("ship_date", "E-DATE-RANGE", "C4")
        assert f"{value.year:04d}-{value.month:02d}-{value.day:02d}" in p.zh


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-03 09:30", datetime(2026, 11, 3, 9, 30)),
        ("2026-11-03 09:30:15", datetime(2026, 11, 3, 9, 30, 15)),
        ("2026/11/03 09:30", datetime(2026, 11, 3, 9, 30)),
        ("2026/11/03 09:30:15", datetime(2026, 11, 3, 9, 30, 15)),
        ("2026-11-03T09:30", datetime(2026, 11, 3, 9, 30)),
        ("2026-11-03T09:30:15", datetime(2026, 11, 3, 9, 30, 15)),
        (" 2026-11-03 ", datetime(2026, 11, 3)),
        ("2026/11/03", datetime(2026, 11, 3)),
        ("2026年11月03日 09:30", datetime(2026, 11, 3, 9, 30)),
        ("2026年11月3日", datetime(2026, 11, 3)),
        (date(2026, 11, 3), datetime(2026, 11, 3)),
        (datetime(2026, 11, 3, 9, 30, 15, 500, tzinfo=UTC), datetime(2026, 11, 3, 9, 30, 15)),
        (46329.5, datetime(2026, 11, 3, 12, 0)),  # an Excel serial
        (46329, datetime(2026, 11, 3)),
        (None, None),
        ("  ", None),
    ],
)
def test_c4_a_date_time_is_understood_however_the_cell_gives_it(text, expected):
    assert to_datetime(text) == expected


@pytest.mark.parametrize("value", ["昨天", "2026-13-01", True, -1.0001, 2_958_465.0001, float("nan")])
def test_c4_what_is_not_a_date_time_is_refused(value):
    with pytest.raises((ValueError, OverflowError)):
        to_datetime(value)


def test_c4_excel_serials_from_minus_one_to_the_last_day_of_9999_are_dates():
    assert to_datetime(-1) == datetime(1899, 12, 29)
    assert to_datetime(2_958_465) == datetime(9999, 12, 31)
    assert to_datetime(0.25) == datetime(1899, 12, 30, 6, 0)


def test_c4_an_excel_serial_keeps_whole_seconds_only():
    assert to_datetime(46329 + 1 / 86400 + 0.4 / 86400) == datetime(2026, 11, 3, 0, 0, 1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), ("", None), (12, 12), (12.0, 12), (" 1,000 ", 1000), ("12.0", 12), ("-3", -3)],
)
def test_c4_whole_numbers_are_understood_however_the_cell_gives_them(value, expected):
    assert to_int(value) == expected


@pytest.mark.parametrize("value", [True, False, 2.5, float("inf"), float("nan"), "abc", "2.5"])
def test_c4_what_is_not_a_whole_number_is_refused(value):
    with pytest.raises((ValueError, OverflowError)):
        to_int(value)


def test_c4_a_quantity_that_is_not_a_whole_number_is_a_problem_quoting_it():
    _, problems = intake(ship_qty=2.5)
    [p] = problems
    assert (p.field, p.code, p.rule) == ("ship_qty", "E-NOT-INTEGER", "C4")
    assert "2.5" in p.zh and "2.5" in p.en and "出货数量" in p.zh


@pytest.mark.parametrize(
    ("value", "expected"), [(None, ""), ("  ", ""), (2600123.0, "2600123"), (1.5, "1.5"), (" SO1 ", "SO1"), (7, "7")]
)
def test_c4_text_fields_are_read_trimmed_and_whole_numbers_without_a_decimal_point(value, expected):
    assert to_text(value) == expected


# -- messages: the field's label, the value quoted safely ------------------------------------------------
def test_c4_a_problem_names_the_fields_label_in_chinese_and_its_attr_in_english():
    _, problems = intake(customer="")
    [p] = problems
    assert (p.field, p.code, p.rule) == ("customer", "E-REQUIRED", "C4")
    assert p.zh.startswith(FIELD_LABELS["customer"]) and p.en.startswith("customer")


def test_c4_a_field_without_a_label_is_named_by_its_attr():
    r = FieldReader({}, {})
    r.text("order_no", rule="C4")
    [p] = r.problems
    assert p.zh.startswith("order_no") and p.field == "order_no" and p.rule == "C4"
    assert r.label("order_no") == "order_no"


def test_c6_6_a_market_not_in_the_list_quotes_the_value_and_the_choices():
    _, problems = intake(market="欧洲")
    [p] = problems
    assert (p.field, p.code, p.rule) == ("market", "E-NOT-IN-LIST", "C6.6")
    assert "欧洲" in p.zh and "国内、国外" in p.zh and "国内、国外" in p.en


def test_c4_optional_fields_left_blank_are_not_problems():
    r = FieldReader({"a": None, "b": " ", "c": ""}, {})
    assert r.text("a", required=False) == ""
    assert r.integer("b", required=False) is None
    assert r.instant("c", required=False) is None
    assert r.choice("a", Stage, required=False) is None
    assert r.problems == []


def test_c4_text_a_cell_cannot_hold_is_refused_once_even_when_read_twice():
    r = FieldReader({"customer": "x\x00"}, {})
    assert r.screen("customer", "C4") is False
    assert r.screen("customer", "C4") is False
    assert r.text("customer") == "" and r.choice("customer", Stage) is None
    [p] = r.problems
    assert (p.field, p.code, p.rule) == ("customer", "E-CONTROL-CHAR", "C4")
    assert "U+0000" in p.zh and "2" in p.zh and "U+0000" in p.en and "position 2" in p.en


def test_c4_a_cell_at_the_limit_of_32767_characters_is_kept_one_more_is_refused():
    r = FieldReader({"a": "划" * MAX_CELL_TEXT, "b": "划" * (MAX_CELL_TEXT + 1)}, {})
    assert r.screen("a") and not r.screen("b")
    [p] = r.problems
    assert (p.field, p.code) == ("b", "E-TOO-LONG")
    assert "32,768" in p.zh and "32,767" in p.zh and "32,768" in p.en


def test_c4_a_lone_surrogate_is_an_invalid_character_at_its_position():
    r = FieldReader({"a": "ab\udc00"}, {})
    assert not r.screen("a")
    [p] = r.problems
    assert p.code == "E-BAD-CHAR" and "U+DC00" in p.zh and "3" in p.zh and "position 3" in p.en


@pytest.mark.parametrize("char", ["\x7f", "\x9f", "\x0b", "\x0c", "\x1f", "\uffff"])
def test_c4_every_control_character_but_tab_and_line_breaks_is_refused(char):
    r = FieldReader({"a": "x" + char}, {})
    assert not r.screen("a")
    assert [p.code for p in r.problems] == ["E-CONTROL-CHAR"]


@pytest.mark.parametrize("text", ["a\tb", "a\nb", "a\rb", "a\xa0b", "\ue000"])
def test_c4_tab_line_breaks_and_other_printable_text_are_kept(text):
    r = FieldReader({"a": text}, {})
    assert r.screen("a") and r.problems == []


def test_c4_values_are_quoted_in_messages_cut_at_40_characters():
    assert shown("x" * 40) == "x" * 40
    assert shown("x" * 41) == "x" * 40 + "…"
    assert shown("a b") == "a b"
    assert shown("a\udc00") == "a\\udc00"
    assert shown("a\u2028") == "a\\u2028"  # a line separator is not printable
    assert shown(12.5) == "12.5"
    assert shown("abcdef", limit=3) == "abc…"


# -- C6, C7: sections ----------------------------------------------------------------------------------
def test_c7_sections_of_finished_stages_only_are_left_to_the_section_check():
    raw = {"quality_done_at": datetime(2026, 11, 24), "manufacturing_done_at": " ", "rnd_done_at": None}
    assert finished_section_attrs(raw) == {"quality_cause", "responsible_unit", "rnd_needed"}
    assert finished_section_attrs({}) == frozenset()


def test_c7_intake_screens_fields_outside_finished_sections_only():
    _, problems = intake(quality_done_at=datetime(2026, 11, 24), quality_cause="x\x00", mfg_cause="y\x00")
    assert [(p.field, p.code) for p in problems] == [("mfg_cause", "E-CONTROL-CHAR")]


@pytest.mark.parametrize(
    ("stage", "attr", "rule"),
    [
        (Stage.RND, "rnd_opinion", "C6.5"),
        (Stage.NEGOTIATION, "negotiation_result", "C6.6"),
        (Stage.CONSOLIDATION, "gm_opinion", "C6.7"),
        (Stage.APPROVAL, "approval_opinion", "C6.8"),
    ],
)
def test_c6_each_department_must_fill_its_own_section(stage, attr, rule):
    problems = check_section(stage, {}, labels=FIELD_LABELS)
    assert [(p.field, p.code, p.rule) for p in problems] == [(attr, "E-REQUIRED", rule)]
    assert check_section(stage, {attr: "已处理"}, labels=FIELD_LABELS) == []


def test_c7_quality_and_manufacturing_sections_check_each_field_by_its_kind():
    quality = check_section(Stage.QUALITY, {}, labels=FIELD_LABELS)
    assert [(p.field, p.rule) for p in quality] == [
        ("quality_cause", "C6.3"),
        ("responsible_unit", "C7"),
        ("rnd_needed", "C6.5"),
    ]
    assert (
        check_section(
            Stage.QUALITY,
            {"quality_cause": "a", "responsible_unit": " 制造部 ", "rnd_needed": "否"},
            labels=FIELD_LABELS,
        )
        == []
    )
    other = check_section(  # 责任单位 is one of the drop-down's units (issue 8: it accepted anything)
        Stage.QUALITY, {"quality_cause": "a", "responsible_unit": "火星部", "rnd_needed": "否"}, labels=FIELD_LABELS
    )
    assert [(p.field, p.code) for p in other] == [("responsible_unit", "E-NOT-IN-LIST")]
    mfg = {
        "mfg_cause": "a",
        "mfg_countermeasure": "b",
        "production_unit": "c",
        "machine_shift": "d",
        "operators": "e",
        "production_date": "昨天",
    }
    assert [(p.field, p.code) for p in check_section(Stage.MANUFACTURING, mfg, labels=FIELD_LABELS)] == [
        ("production_date", "E-NOT-DATE")
    ]
    assert check_section(Stage.MANUFACTURING, {**mfg, "production_date": "2026-11-20"}, labels=FIELD_LABELS) == []


def test_c6_intake_has_no_section_of_its_own_to_check():
    assert check_section(Stage.INTAKE, {}, labels=FIELD_LABELS) == []


def test_c6_5_rnd_is_skipped_only_for_an_explicit_no():
    assert not rnd_needed({"rnd_needed": " 否 "})
    assert rnd_needed({"rnd_needed": None}) and rnd_needed({"rnd_needed": "是"}) and rnd_needed({})


@pytest.mark.parametrize(
    ("attr", "rule"),
    [
        ("customer", "C4"),
        ("market", "C6.6"),
        ("sales_rep", "C4"),
        ("reported_at", "C6.1"),
        ("order_no", "C4"),
        ("part_no", "C4"),
        ("ship_date", "C4"),
        ("ship_qty", "C4"),
        ("defect_qty", "C4"),
        ("customer_request", "C4"),
        ("description", "C4"),
    ],
)
def test_each_required_intake_field_left_blank_names_its_rule(attr, rule):
    _, problems = intake(**{attr: None})
    assert [(p.field, p.code, p.rule) for p in problems] == [(attr, "E-REQUIRED", rule)]


def test_c4_a_defective_or_requested_quantity_above_the_limit_is_too_large_before_it_is_compared():
    _, problems = intake(max_quantity=5000, ship_qty=5000, defect_qty=5001, request_qty=5001)
    assert [(p.field, p.code, p.rule) for p in problems] == [
        ("defect_qty", "E-TOO-LARGE", "C4"),
        ("request_qty", "E-TOO-LARGE", "C4"),
    ]


def test_c7_a_production_date_that_is_not_a_date_names_rule_c7():
    problems = check_section(Stage.MANUFACTURING, {"production_date": "昨天"}, labels=FIELD_LABELS)
    assert ("production_date", "E-NOT-DATE", "C7") in [(p.field, p.code, p.rule) for p in problems]


def test_each_refusal_of_a_cell_value_says_exactly_why():
    with pytest.raises(ValueError, match=r"^'昨天' is not a date-time$"):
        to_datetime("昨天")
    with pytest.raises(ValueError, match=r"^1e\+20 is not a date-time serial$"):
        to_datetime(1e20)
    with pytest.raises(ValueError, match=r"^a yes/no is not a number$"):
        to_int(True)
    with pytest.raises(ValueError, match=r"^2\.5 is not a whole number$"):
        to_int(2.5)


def test_c4_a_whole_number_read_back_as_text_with_point_zero_keeps_all_its_digits():
    assert to_int("123.0") == 123 and to_int("1,234.0") == 1234


def test_c4_the_last_surrogate_code_point_is_an_invalid_character_too():
    r = FieldReader({"a": "\udfff", "b": "\ud800"}, {})
    assert not r.screen("a") and not r.screen("b")
    assert [p.code for p in r.problems] == ["E-BAD-CHAR", "E-BAD-CHAR"]


def test_c4_fields_are_required_unless_said_otherwise():
    r = FieldReader({}, {})
    assert r.instant("a") is None and r.integer("b") is None and r.day("c") is None and r.text("d") == ""
    assert r.choice("e", Stage) is None
    assert [(p.field, p.code) for p in r.problems] == [(x, "E-REQUIRED") for x in "abcde"]
    optional = FieldReader({}, {})
    assert optional.day("c", required=False) is None and optional.problems == []


def test_c4_every_problem_of_a_field_carries_the_rule_it_was_read_for():
    r = FieldReader({"t": "x\x00", "c": "y\x01", "i": "zz", "d": "昨天", "blank": None}, {})
    r.text("t", rule="C4")
    r.choice("c", Stage, rule="C6")
    r.integer("i", rule="C7")
    r.instant("d", rule="C6.1")
    r.instant("blank", rule="C6.2")
    r.integer("blank", rule="C6.3")
    assert [(p.field, p.code, p.rule) for p in r.problems] == [
        ("t", "E-CONTROL-CHAR", "C4"),
        ("c", "E-CONTROL-CHAR", "C6"),
        ("i", "E-NOT-INTEGER", "C7"),
        ("d", "E-NOT-DATETIME", "C6.1"),
        ("blank", "E-REQUIRED", "C6.2"),
        ("blank", "E-REQUIRED", "C6.3"),
    ]
    assert "昨天" in r.problems[3].zh and "昨天" in r.problems[3].en
