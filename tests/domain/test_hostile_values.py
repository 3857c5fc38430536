"""Issue 6, item 4: values outside what a cell can hold or a complaint can mean are refused,
naming the field — never a traceback, never silently cut."""

from __future__ import annotations

from datetime import datetime

import pytest

from complaint_kit import layout as L
from complaint_kit.domain.numbering import read_last_issued
from complaint_kit.domain.settings import MAX_QUANTITY_DEFAULT, compute_settings
from complaint_kit.domain.validation import compute_intake
from complaint_kit.domain.values import MAX_CELL_TEXT, FieldReader, shown, text_problem

NOW = datetime(2026, 11, 3, 9, 30)
GOOD = {
    "customer": "华星光电",
    "market": "国内",
    "sales_rep": "李强",
    "reported_at": datetime(2026, 11, 2, 9, 0),
    "order_no": "SO-1",
    "part_no": "P-1",
    "ship_date": datetime(2026, 10, 20),
    "ship_qty": 1000,
    "defect_qty": 12,
    "customer_request": "退货",
    "request_qty": 12,
    "description": "划伤",
}


def _codes(**changes):
    _, problems = compute_intake({**GOOD, **changes}, now=NOW, labels=L.FIELD_LABELS)
    return {(p.field, p.code) for p in problems}


@pytest.mark.parametrize(
    "value", [datetime(1, 1, 1), datetime(1899, 12, 31), datetime(1900, 1, 1), datetime(2101, 1, 1), "0001-01-01"]
)
def test_a_date_before_2000_or_after_2100_is_refused_naming_the_field(value):
    assert ("ship_date", "E-DATE-RANGE") in _codes(ship_date=value)


@pytest.mark.parametrize("serial", [1e20, -1e20, float("nan"), float("inf"), 2_958_466])
def test_an_excel_serial_no_date_can_have_is_not_a_date_time(serial):
    assert ("reported_at", "E-NOT-DATETIME") in _codes(reported_at=serial)


@pytest.mark.parametrize("qty", [1e20, 10**30, MAX_QUANTITY_DEFAULT + 1])
def test_a_quantity_above_the_setting_is_refused(qty):
    assert ("ship_qty", "E-TOO-LARGE") in _codes(ship_qty=qty, defect_qty=1, request_qty=1)


def test_the_quantity_limit_is_a_setting():
    settings, problems = compute_settings({"max_quantity": "5000"})
    assert not problems and settings.max_quantity == 5000
    _, found = compute_intake({**GOOD, "ship_qty": 6000}, now=NOW, labels=L.FIELD_LABELS, max_quantity=5000)
    assert [p.code for p in found] == ["E-TOO-LARGE"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("划" * (MAX_CELL_TEXT + 1), "E-TOO-LONG"),
        ("abc\ud800", "E-BAD-CHAR"),
        ("客户\x01", "E-CONTROL-CHAR"),
        ("\x1b[31m", "E-CONTROL-CHAR"),
        ("\x85", "E-CONTROL-CHAR"),
        ("\ufffe", "E-CONTROL-CHAR"),
    ],
)
def test_text_a_cell_cannot_hold_is_refused_naming_the_field(text, code):
    assert ("description", code) in _codes(description=text)
    assert ("customer", code) in _codes(customer=text)


@pytest.mark.parametrize("text", ["划" * MAX_CELL_TEXT, "第一行\r\n第二行\t制表", "ＦＵＬＬ　ＷＩＤＴＨ", "😀", "=1+1"])
def test_text_a_cell_can_hold_passes(text):
    assert text_problem(text) is None
    assert _codes(description=text) == set()


def test_other_fields_of_the_form_are_screened_once():
    _, problems = compute_intake({**GOOD, "mfg_manager_comment": "x\x00"}, now=NOW, labels=L.FIELD_LABELS)
    assert [(p.field, p.code) for p in problems] == [("mfg_manager_comment", "E-CONTROL-CHAR")]


def test_a_message_never_carries_the_hostile_text_itself():
    reader = FieldReader({"q": "\ud800" + "9" * 100}, {"q": "数量"})
    reader.integer("q")
    [problem] = reader.problems
    problem.render().encode("utf-8")  # printable: no lone surrogate left
    assert len(problem.zh) < 120
    assert shown("a\x00b") == "a\\u0000b"


@pytest.mark.parametrize(
    "row", [["2611", "abc"], ["2611", 1e300], ["2611", -1], ["26xx", 3], ["2611", 3, "extra"], ["2613", 1]]
)
def test_a_damaged_serials_row_is_a_problem_at_its_cell(row):
    issued, problems = read_last_issued([["2610", 4], row])
    assert issued.get("2610") == 4
    assert [(i, p.code) for i, _, p in problems] == [(1, "E-SERIALS")]


def test_good_serials_rows_read_as_numbers():
    assert read_last_issued([["2611", 3.0], [2612, "7"], [None, None]]) == ({"2611": 3, "2612": 7}, [])
