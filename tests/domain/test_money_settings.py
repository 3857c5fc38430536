"""The money, approval and returns rules live in 设置 like every other rule (issue 7: P1, P4, E4,
C10, R3): defaults from the regulation, overridable, checked like the rest."""

from __future__ import annotations

from decimal import Decimal

import pytest

from complaint_kit.domain.authority import ApprovalLevel, compute_required_level
from complaint_kit.domain.settings import Settings, compute_settings


def test_the_defaults_are_the_regulations():  # P4, E4, C10, R3, P1
    s = Settings()
    rules = s.money_rules()
    assert (rules.warning_amount, rules.minor_demerit_amount, rules.monthly_cap_ratio) == (
        Decimal(400),
        Decimal(800),
        Decimal("0.5"),
    )
    assert [(t.below, t.level) for t in s.authority_table()] == [
        (Decimal(10_000), ApprovalLevel.SALES_MANAGER),
        (Decimal(100_000), ApprovalLevel.DEPUTY_GM),
        (None, ApprovalLevel.GM),
    ]
    assert (s.over_acceptance_ratio, s.resale_window_months) == (Decimal("0.05"), 1)


def test_an_overridden_authority_limit_moves_who_approves():  # C10
    s, problems = compute_settings({"authority_sales_manager_below": "20000"})
    assert problems == []
    assert compute_required_level(Decimal(15_000), table=s.authority_table()) is ApprovalLevel.SALES_MANAGER
    assert compute_required_level(Decimal(20_000), table=s.authority_table()) is ApprovalLevel.DEPUTY_GM


@pytest.mark.parametrize("deputy", ["10000", "9999.99"])
def test_the_deputy_gms_limit_must_be_above_the_sales_managers(deputy):  # C10
    _, problems = compute_settings({"authority_deputy_gm_below": deputy})
    assert [(p.code, p.field) for p in problems] == [("E-SETTING-INVALID", "authority_deputy_gm_below")]


def test_a_deputy_limit_just_above_the_sales_managers_is_accepted():  # C10
    s, problems = compute_settings({"authority_deputy_gm_below": "10000.01"})
    assert problems == [] and s.authority_deputy_gm_below == Decimal("10000.01")


def test_an_invalid_sales_manager_limit_is_reported_once_not_also_as_an_ordering_problem():  # C10
    _, problems = compute_settings({"authority_sales_manager_below": "0"})
    assert [(p.code, p.field) for p in problems] == [("E-SETTING-INVALID", "authority_sales_manager_below")]


@pytest.mark.parametrize(
    ("key", "bad", "good"),
    [
        ("monthly_cap_ratio", "0", "1"),
        ("monthly_cap_ratio", "1.01", "0.01"),
        ("over_acceptance_ratio", "-0.01", "0"),
        ("resale_window_months", "0", "1"),
        ("resale_window_months", "13", "12"),
        ("warning_amount", "-1", "0"),
    ],
)
def test_money_settings_are_refused_outside_their_range_and_accepted_at_its_edge(key, bad, good):  # P1, P4, E4, R3
    assert [p.field for p in compute_settings({key: bad})[1]] == [key]
    assert compute_settings({key: good})[1] == []
