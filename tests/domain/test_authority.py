"""Approval authority (C10): the level a loss needs, an approver below it refused."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaint_kit.domain.authority import (
    DEFAULT_AUTHORITY,
    ApprovalLevel,
    AuthorityTier,
    check_approver,
    check_authority_table,
    compute_required_level,
)

D = Decimal
MANAGER, DEPUTY, GM = ApprovalLevel.SALES_MANAGER, ApprovalLevel.DEPUTY_GM, ApprovalLevel.GM


@pytest.mark.parametrize(
    ("loss", "level"),
    [
        ("0", MANAGER),
        ("9999.99", MANAGER),
        ("10000", DEPUTY),
        ("10000.00", DEPUTY),
        ("99999.99", DEPUTY),
        ("100000", GM),
        ("5000000", GM),
    ],
    ids=["no_loss", "a_cent_below_10000", "exactly_10000", "10000_00", "a_cent_below_100000", "exactly_100000", "huge"],
)
def test_c10_the_level_comes_from_the_loss_below_each_limit(loss, level):
    assert compute_required_level(D(loss)) is level


@pytest.mark.parametrize(
    ("loss", "level", "ok"),
    [
        ("9999.99", MANAGER, True),
        ("10000", MANAGER, False),  # one level too low
        ("10000", DEPUTY, True),
        ("100000", DEPUTY, False),  # one level too low
        ("100000", GM, True),
        ("1", GM, True),  # a higher level may approve what a lower one may
        ("1", None, False),  # no 核决级别 in the roster
    ],
    ids=[
        "manager_below_10000",
        "manager_at_10000_refused",
        "deputy_at_10000",
        "deputy_at_100000_refused",
        "gm_at_100000",
        "gm_approves_a_small_loss",
        "no_level_refused",
    ],
)
def test_c10_an_approver_below_the_required_level_is_refused(loss, level, ok):
    found = check_approver(D(loss), approver="刘经理", level=level)
    assert (found == []) is ok
    if not ok:
        assert [(p.code, p.field, p.rule) for p in found] == [("E-APPROVER-LEVEL", "approval_by", "C10")]
        assert "刘经理" in found[0].zh


def test_c10_the_refusal_names_the_required_level_and_the_approvers():
    (found,) = check_approver(D(10000), approver="刘经理", level=MANAGER)
    assert "副总经理" in found.zh and "业务经理" in found.zh and "deputy GM" in found.en


def test_c10_a_table_from_settings_replaces_the_defaults():
    table = (AuthorityTier(D(5000), MANAGER), AuthorityTier(None, GM))
    assert check_authority_table(table) == []
    assert compute_required_level(D(5000), table=table) is GM
    assert check_approver(D(5000), approver="周副总", level=DEPUTY, table=table) != []


def test_c10_the_default_table_is_valid_and_cites_its_rule():
    assert check_authority_table(DEFAULT_AUTHORITY) == []
    assert {tier.rule for tier in DEFAULT_AUTHORITY} == {"C10"}


@pytest.mark.parametrize(
    "table",
    [
        (),
        (AuthorityTier(D(10), MANAGER),),
        (AuthorityTier(None, MANAGER), AuthorityTier(None, GM)),
        (AuthorityTier(D(0), MANAGER), AuthorityTier(None, GM)),
        (AuthorityTier(D(100), MANAGER), AuthorityTier(D(100), DEPUTY), AuthorityTier(None, GM)),
        (AuthorityTier(D(100), GM), AuthorityTier(None, MANAGER)),
    ],
    ids=["empty", "no_open_row", "open_row_not_last", "zero_limit", "limits_not_rising", "levels_falling"],
)
def test_c10_an_unusable_table_is_refused(table):
    assert [p.code for p in check_authority_table(table)] == ["E-AUTHORITY-TABLE"]


def test_a_negative_loss_is_a_bug():
    with pytest.raises(ValueError, match="never negative"):
        compute_required_level(D("-0.01"))


def test_levels_rank_lowest_first():
    assert [level.rank for level in (MANAGER, DEPUTY, GM)] == [0, 1, 2]


@given(st.decimals(min_value=0, max_value=10**9, places=2), st.decimals(min_value=0, max_value=10**9, places=2))
def test_the_required_level_never_falls_as_the_loss_rises(a, b):
    low, high = sorted((a, b))
    assert compute_required_level(low).rank <= compute_required_level(high).rank
