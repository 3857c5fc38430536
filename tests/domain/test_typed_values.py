"""Values as people type them (issue 8 item 1): one parser for --set, validate, accept, complete."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaint_kit.domain.rules import Market
from complaint_kit.domain.values import FieldReader, fold, parse_instant, to_choice, to_code, to_decimal, to_int

NINE_THIRTY = datetime(2026, 9, 30, 9, 30)


@pytest.mark.parametrize(
    "typed",
    [
        "2026-09-30 09:30",
        "2026-9-30 9:30",
        "2026/9/30 9:30",
        "2026.9.30 9:30",
        "2026年9月30日 9:30",
        "2026年9月30日9:30",
        "2026年9月30日 9时30分",
        "2026年9月30日 上午9点30分",
        "２０２６／９／３０　９：３０",  # full-width digits, slash, colon and the ideographic space
        " 2026-09-30T09:30:00 ",
        "2026/9/30 9:30:00",
        "2026/9/30 9:30 AM",
    ],
)
def test_the_common_chinese_date_time_spellings_read_the_same(typed):
    assert parse_instant(typed) == (NINE_THIRTY, True)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026/9/30 下午3:30", datetime(2026, 9, 30, 15, 30)),
        ("2026/9/30 3:30 PM", datetime(2026, 9, 30, 15, 30)),
        ("2026/9/30 12:10 AM", datetime(2026, 9, 30, 0, 10)),
        ("2026-9-30 9点", datetime(2026, 9, 30, 9, 0)),
        (46295.395833333336, NINE_THIRTY),  # an Excel serial
        ("46295.395833333336", NINE_THIRTY),  # the same pasted as text from a General cell
        (NINE_THIRTY, NINE_THIRTY),
    ],
)
def test_afternoons_serials_and_datetimes(typed, expected):
    assert parse_instant(typed) == (expected, True)


@pytest.mark.parametrize(
    "typed", ["2026/9/30", "2026-9-30", "2026.9.30", "2026年9月30日", "20260930", date(2026, 9, 30)]
)
def test_a_date_alone_says_it_has_no_time(typed):
    assert parse_instant(typed) == (datetime(2026, 9, 30), False)


@pytest.mark.parametrize("typed", ["30/9/2026", "2026-02-30 9:00", "2026/9/30 25:00", "昨天", "2026/9/30 9", "9:30"])
def test_what_is_not_a_date_time_is_refused(typed):
    with pytest.raises(ValueError):
        parse_instant(typed)


def test_a_date_without_its_time_is_refused_where_a_time_is_needed_never_midnight():
    r = FieldReader({"reported_at": "2026年9月30日", "ship_date": "2026.9.30"}, {"reported_at": "客户反映时间"})
    assert r.instant("reported_at") is None
    assert [p.code for p in r.problems] == ["E-DATE-NO-TIME"]
    assert "客户反映时间" in r.problems[0].zh and "09:30" in r.problems[0].zh
    assert r.day("ship_date") == date(2026, 9, 30) and len(r.problems) == 1
    bad = FieldReader({"ship_date": "昨天"}, {"ship_date": "出货日期"})
    assert bad.day("ship_date") is None and [p.code for p in bad.problems] == ["E-NOT-DATE"]
    assert "09:30" not in bad.problems[0].zh  # a date field asks for a date


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("1,200", 1200), ("１２０", 120), ("1200.0", 1200), (" 12 ", 12), ("２，０００", 2000), (7.0, 7), ("-3", -3)],
)
def test_whole_numbers_as_typed(typed, expected):
    assert to_int(typed) == expected


@pytest.mark.parametrize("typed", ["1,2", "1.5", "12,00", "一百", "1e3", True, 1.5])
def test_what_is_not_a_whole_number_is_refused(typed):
    with pytest.raises(ValueError):
        to_int(typed)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("２，０００", Decimal(2000)),
        ("¥1,200.50", Decimal("1200.50")),
        ("￥300元", Decimal(300)),
        ("70%", Decimal("0.70")),
        ("７０％", Decimal("0.70")),
        (0.1, Decimal("0.1")),
        (".5", Decimal("0.5")),
    ],
)
def test_amounts_as_typed(typed, expected):
    assert to_decimal(typed) == expected


@pytest.mark.parametrize("typed", ["1,2", "NaN", "inf", "1e3", "二百", "1.2.3"])
def test_what_is_not_an_amount_is_refused(typed):
    with pytest.raises(ValueError):
        to_decimal(typed)


def test_choices_and_codes_fold_what_is_pasted():
    assert to_choice(" 国外 ", ("国内", "国外")) == "国外"
    assert to_choice("ａ", ("A", "B")) == "A"
    assert to_choice("火星", ("国内", "国外")) is None
    assert to_code("ＰＯ－１２３ ") == "PO-123" and to_code(12345.0) == "12345"
    r = FieldReader({"market": "\u3000国外 "}, {})
    assert r.choice("market", Market) is Market.FOREIGN and not r.problems


def test_folding_joins_runs_of_spaces_and_keeps_chinese():
    assert fold("  华星\u3000\u00a0光电  ") == "华星 光电"


SPELLINGS = [
    "{y}-{m}-{d} {H}:{M:02d}",
    "{y}/{m}/{d} {H}:{M:02d}",
    "{y}.{m}.{d} {H}:{M:02d}",
    "{y}年{m}月{d}日 {H}:{M:02d}",
    "{y}年{m}月{d}日{H}时{M}分",
]


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 12, 31)).map(
        lambda d: d.replace(second=0, microsecond=0)
    ),
    st.sampled_from(SPELLINGS),
    st.booleans(),
)
def test_every_spelling_of_a_moment_reads_back_as_that_moment(moment, spelling, wide):
    text = spelling.format(y=moment.year, m=moment.month, d=moment.day, H=moment.hour, M=moment.minute)
    if wide:  # the same typed with a Chinese input method's full-width digits
        text = text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789/:.-"})
    assert parse_instant(text) == (moment, True)
