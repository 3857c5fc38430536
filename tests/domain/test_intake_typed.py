"""The intake as values (issue 8): written back instead of pasted text; midnight warned; 疑似重复."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from complaint_kit.domain.validation import check_duplicates, duplicate_key
from complaint_kit.domain.values import to_decimal
from tests.domain.test_validation import intake


def test_the_intake_reads_pasted_text_as_values():
    typed, problems = intake(market=" 国外 ", ship_qty="１，０００", order_no="ＳＯ１", ship_date="2026.11.1")
    assert problems == [] and typed is not None
    values = typed.values()
    assert values["market"] == "国外" and type(values["market"]) is str  # the text, not the enum
    assert (values["ship_qty"], values["order_no"], values["ship_date"]) == (1000, "SO1", date(2026, 11, 1))


def test_a_report_at_midnight_is_accepted_with_a_warning():
    typed, problems = intake(reported_at=datetime(2026, 11, 23))
    assert typed is not None and [p.code for p in problems] == ["W-MIDNIGHT"]
    assert not problems[0].is_error and "00:00" in problems[0].zh


def test_a_probable_duplicate_is_the_same_customer_order_and_part_as_typed():
    key = duplicate_key("华星光电", "SO1", "PCB-1")
    assert key == duplicate_key(" 华星光电", "ｓｏ１", "pcb-1")
    assert duplicate_key("华星光电", "", "PCB-1") is None
    found = check_duplicates(key, [("261101", key), ("261102", duplicate_key("华星光电", "SO2", "PCB-1"))])
    assert [(p.code, p.field) for p in found] == [("W-PROBABLE-DUPLICATE", "order_no")] and "261101" in found[0].zh
    assert check_duplicates(None, [("261101", None)]) == []


@pytest.mark.parametrize(("value", "expected"), [(None, None), ("  ", None), (Decimal("1.5"), Decimal("1.5")), (3, 3)])
def test_amounts_that_are_already_numbers_or_blank(value, expected):
    assert to_decimal(value) == expected


@pytest.mark.parametrize("value", [True, Decimal("NaN"), Decimal("Infinity")])
def test_what_no_amount_can_be(value):
    with pytest.raises(ValueError):
        to_decimal(value)
