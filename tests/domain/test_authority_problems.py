"""The authority table and the approver (C10): exact reasons, both sides of each boundary."""

from decimal import Decimal as D

from complaint_kit.domain.authority import ApprovalLevel, AuthorityTier, check_approver, check_authority_table
from complaint_kit.domain.problems import problem

SM, DGM, GM = ApprovalLevel.SALES_MANAGER, ApprovalLevel.DEPUTY_GM, ApprovalLevel.GM


def test_a_table_with_an_open_row_before_the_last_says_only_the_last_row_is_open_c10():
    found = check_authority_table([AuthorityTier(None, SM), AuthorityTier(None, GM)])
    assert found == [
        problem("E-AUTHORITY-TABLE", reason_zh="最后一行（且仅最后一行）不设上限", reason="only the last row is open")
    ]
    assert "最后一行（且仅最后一行）不设上限" in found[0].zh
    assert "only the last row is open" in found[0].en


def test_a_table_with_falling_amounts_says_amounts_must_rise_c10():
    found = check_authority_table([AuthorityTier(D(100), SM), AuthorityTier(D(50), DGM), AuthorityTier(None, GM)])
    assert found == [
        problem("E-AUTHORITY-TABLE", reason_zh="金额须为正且逐行递增", reason="amounts must be positive and rising")
    ]
    assert "金额须为正且逐行递增" in found[0].zh
    assert "amounts must be positive and rising" in found[0].en


def test_a_table_with_falling_levels_says_levels_must_not_fall_c10():
    found = check_authority_table([AuthorityTier(D(100), DGM), AuthorityTier(None, SM)])
    assert found == [problem("E-AUTHORITY-TABLE", reason_zh="核决级别不能逐行降低", reason="levels must not fall")]
    assert "核决级别不能逐行降低" in found[0].zh
    assert "levels must not fall" in found[0].en


def test_a_first_limit_of_exactly_1_is_positive_and_usable_c10():
    assert check_authority_table([AuthorityTier(D(1), SM), AuthorityTier(None, GM)]) == []


def test_two_rows_at_the_same_level_do_not_fall_c10():
    assert check_authority_table([AuthorityTier(D(100), SM), AuthorityTier(D(200), SM), AuthorityTier(None, GM)]) == []


def test_an_approver_with_no_level_is_refused_as_none_with_the_loss_c10():
    found = check_approver(D(20_000), approver="李强", level=None)
    assert found == [
        problem(
            "E-APPROVER-LEVEL",
            field="approval_by",
            approver="李强",
            level="无",
            level_en="none",
            required="副总经理",
            required_en="deputy GM",
            loss=D(20_000),
        )
    ]
    assert "无" in found[0].zh and "none" in found[0].en and "20000" in found[0].zh


def test_an_approver_below_the_required_level_is_refused_with_both_levels_c10():
    found = check_approver(D(200_000), approver="李强", level=SM)
    assert found == [
        problem(
            "E-APPROVER-LEVEL",
            field="approval_by",
            approver="李强",
            level="业务经理",
            level_en="sales manager",
            required="总经理",
            required_en="GM",
            loss=D(200_000),
        )
    ]
