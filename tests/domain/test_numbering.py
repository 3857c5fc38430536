"""Case numbers (rule C3): YYMM + serial, restarting monthly, never reused."""

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaint_kit.domain.numbering import CaseNo, SerialsExhausted, compute_next_case_no

NOV = datetime(2026, 11, 3, 9, 0)


def nxt(last=None, existing=(), width=2, when=NOV):
    return str(compute_next_case_no(when, last_issued=last or {}, existing=existing, width=width))


def test_first_case_of_a_month_is_serial_01():
    assert nxt() == "261101"


def test_the_serial_restarts_every_month():
    assert nxt({"2610": 17}, ["261017"]) == "261101"


def test_a_deleted_row_does_not_free_its_number():
    # the register remembers 261105 was issued although no row shows it any more
    assert nxt({"2611": 5}, ["261101", "261102"]) == "261106"


def test_numbers_still_in_the_register_count_even_without_memory():
    assert nxt({}, ["261101", "261104", "garbage", None, ""]) == "261105"


def test_only_this_months_numbers_count_and_a_broken_one_of_it_is_skipped():  # C3; issue 10's pre-filter
    assert nxt({}, ["261007", "2611x9", " 261103 ", "2611", "2612099", 261102]) == "261104"


def test_a_month_that_runs_out_is_an_error_naming_the_width():
    with pytest.raises(SerialsExhausted, match="width 2"):
        nxt({"2611": 99})


def test_a_wider_serial_setting_continues_the_month():
    assert nxt({"2611": 99}, width=3) == "2611100"


def test_parse_round_trips():
    assert str(CaseNo.parse("261103")) == "261103"
    assert CaseNo.parse("2611100").serial == 100
    with pytest.raises(ValueError):
        CaseNo.parse("261303")


@given(
    st.lists(
        st.sampled_from([datetime(2026, 10, 30), datetime(2026, 11, 2), datetime(2026, 11, 20), datetime(2026, 12, 1)]),
        min_size=1,
        max_size=60,
    )
)
def test_issued_numbers_are_unique_and_increasing_within_a_month(dates):
    dates = sorted(dates)
    last: dict[str, int] = {}
    issued: list[CaseNo] = []
    for when in dates:
        no = compute_next_case_no(when, last_issued=last, existing=[str(n) for n in issued], width=2)
        last[no.month_key] = no.serial
        issued.append(no)
    assert len({str(n) for n in issued}) == len(issued)
    assert issued == sorted(issued)
