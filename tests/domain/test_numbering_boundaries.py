"""Case numbers (C3): month numbers 01–12, serial widths, the register's memory of issued serials."""

from datetime import datetime

import pytest

from complaint_kit.domain.numbering import (
    CaseNo,
    SerialsExhausted,
    compute_next_case_no,
    month_key,
    read_last_issued,
)


@pytest.mark.parametrize("text", ["260101", "261201", " 261103 ", "2611123456"])
def test_c3_a_case_number_is_yymm_with_a_month_from_01_to_12_and_a_serial(text):
    no = CaseNo.parse(text)
    assert str(no) == text.strip() and 1 <= no.month <= 12


@pytest.mark.parametrize("text", ["260001", "261301", "26110", "26111234567", "2611ab", "x261101", ""])
def test_c3_anything_else_is_not_a_case_number(text):
    with pytest.raises(ValueError, match="not a case number"):
        CaseNo.parse(text)


def test_c3_a_case_number_keeps_its_width_and_its_parts():
    no = CaseNo.parse("2611003")
    assert (no.year, no.month, no.serial, no.width, no.month_key) == (26, 11, 3, 3, "2611")
    assert str(CaseNo(5, 1, 7)) == "050107"
    assert CaseNo(26, 11, 3) < CaseNo(26, 11, 4) < CaseNo(26, 12, 1)


def test_c3_the_month_key_is_two_digit_year_and_month():
    assert month_key(datetime(2026, 1, 5)) == "2601"
    assert month_key(datetime(2000, 12, 31)) == "0012"
    assert month_key(datetime(2105, 3, 1)) == "0503"


def test_c3_the_next_number_has_the_width_of_the_setting():
    no = compute_next_case_no(datetime(2026, 11, 3), last_issued={}, existing=[], width=3)
    assert (str(no), no.width) == ("2611001", 3)


def test_c3_the_last_serial_of_a_width_is_issued_and_the_one_after_is_refused():
    assert str(compute_next_case_no(datetime(2026, 11, 3), last_issued={"2611": 98}, existing=[], width=2)) == "261199"
    with pytest.raises(SerialsExhausted, match="2611: all 99 serials of width 2"):
        compute_next_case_no(datetime(2026, 11, 3), last_issued={"2611": 99}, existing=[], width=2)
    with pytest.raises(SerialsExhausted, match="all 999 serials of width 3"):
        compute_next_case_no(datetime(2026, 11, 3), last_issued={"2611": 999}, existing=[], width=3)


def test_c3_a_number_in_the_register_after_a_damaged_one_still_counts():
    no = compute_next_case_no(datetime(2026, 11, 3), last_issued={}, existing=["garbage", "261107", "261003"], width=2)
    assert str(no) == "261108"


def test_c3_the_memory_and_the_register_each_raise_the_serial_whichever_is_higher():
    when = datetime(2026, 11, 3)
    assert str(compute_next_case_no(when, last_issued={"2611": 9}, existing=["261104"], width=2)) == "261110"
    assert str(compute_next_case_no(when, last_issued={"2611": 2}, existing=["261104"], width=2)) == "261105"


# -- the Serials memory -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (["2611", 3], 3),
        (["2611", 3.0], 3),
        (["2611", "7"], 7),
        (["2611", " 7 "], 7),
        (["2611", 0], 0),
        (["2611", 999_999], 999_999),
        (["2611", "999999"], 999_999),
        ([2611, 4], 4),
        ([2611.0, 4], 4),
        ([" 2611 ", 4], 4),
        (["2601", 1], 1),
        (["2612", 1], 1),
    ],
)
def test_c3_a_serials_row_is_a_month_and_a_whole_serial_from_0_to_999999(row, expected):
    issued, problems = read_last_issued([row])
    assert problems == [] and issued == {str(row[0]).strip().removesuffix(".0"): expected}


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (["2611", 1_000_000], 1),
        (["2611", "1000000"], 1),
        (["2611", 9_999_999.0], 1),
        (["2611", 1e7], 1),
        (["2611", -1], 1),
        (["2611", 2.5], 1),
        (["2611", True], 1),
        (["2611", "１２"], 1),
        (["2611", None], 1),
        (["2600", 1], 0),
        (["2613", 1], 0),
        (["26111", 1], 0),
        ([None, 1], 0),
        (["2611"], 0),
        ([], 0),
    ],
)
def test_c3_a_damaged_serials_row_is_a_problem_at_its_row_and_column(row, column):
    issued, problems = read_last_issued([["2610", 4], row])
    assert issued == {"2610": 4}
    [(index, col, p)] = problems
    assert (index, col, p.code, p.rule) == (1, column, "E-SERIALS", "C3")


def test_c3_a_wrong_row_length_names_the_row_number_one_based():
    _, problems = read_last_issued([["2611", 3, "x"]])
    [(_, _, p)] = problems
    assert "1" in p.zh and "row 1" in p.en


def test_c3_a_bad_serial_quotes_the_month_and_the_value():
    _, problems = read_last_issued([["2611", "abc"]])
    [(_, _, p)] = problems
    assert "2611" in p.zh and "abc" in p.zh and "2611" in p.en and "abc" in p.en


def test_c3_a_bad_month_quotes_it():
    _, problems = read_last_issued([["26xx", 3]])
    [(_, _, p)] = problems
    assert "26xx" in p.zh and "26xx" in p.en


def test_c3_a_month_listed_twice_keeps_its_highest_serial_and_empty_rows_are_skipped():
    issued, problems = read_last_issued([["2611", 5], [None, None], ["", " "], ["2611", 3], ["2612", 1]])
    assert problems == [] and issued == {"2611": 5, "2612": 1}


@pytest.mark.parametrize("bad", [["2611", 3, "x"], ["26xx", 3], ["2611", "abc"]])
def test_c3_a_damaged_serials_row_does_not_hide_the_rows_after_it(bad):
    issued, problems = read_last_issued([bad, ["2612", 4]])
    assert issued == {"2612": 4} and [i for i, _, _ in problems] == [0]


def test_c3_a_serial_written_with_seven_digits_is_refused_even_when_small():
    _, problems = read_last_issued([["2611", "0000001"]])
    assert [(i, col, p.code) for i, col, p in problems] == [(0, 1, "E-SERIALS")]


def test_c3_a_damaged_row_is_quoted_column_by_column_blank_as_a_dash_long_values_cut_at_20():
    _, problems = read_last_issued([["2611", None, "y" * 21]])
    [(_, _, p)] = problems
    assert "2611 | — | " + "y" * 20 + "…" in p.zh and "y" * 21 not in p.zh
    _, problems = read_last_issued([[]])
    [(_, _, p)] = problems
    assert p.zh.endswith("：—") and "found: —" in p.en
    _, problems = read_last_issued([["2611", "x" * 20, 1]])
    assert "x" * 20 + " | 1" in problems[0][2].zh
