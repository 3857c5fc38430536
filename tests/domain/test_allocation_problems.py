"""The responsibility table's problems, exactly (P2, P4, P5, E1–E3, E7): code, field, row and the
texts filled from the row, so that a clerk is pointed at the right cell with the right words."""

from decimal import Decimal as D

from complaint_kit.domain.allocation import (
    Deduction,
    DeductionKind,
    MoneyRules,
    ResponsibilityKind,
    Sanction,
    StaffMember,
    check_responsibilities,
    compute_allocation,
    compute_case_deductions,
    compute_sanction_amounts,
)
from complaint_kit.domain.problems import problem
from tests.domain.test_allocation import person, unit

PERSON, UNIT, DEPT = ResponsibilityKind.PERSON, ResponsibilityKind.UNIT, ResponsibilityKind.DEPARTMENT

STAFF = (
    StaffMember("王芳", "业务部", "业务一课", D(2), D(1000)),
    StaffMember("张三", "制造部", "一组", D(3), D(1200)),
    StaffMember("李四", "制造部", "一组", D(2), D(900)),
    StaffMember("赵五", "制造部", "一组", D(1), D(600)),
    StaffMember("周八", "制造部", "三组", D(5), D(800)),
    StaffMember("吴九", "制造部", "三组", D(3), D(800)),
    StaffMember("郑十", "制造部", "三组", D(3), D(800)),
    StaffMember("钱六", "品管部", "检验组", D(0), D(700)),
    StaffMember("孙七", "品管部", "检验组", D(0), D(700)),
    StaffMember("刘一", "制造部", "二组", D(1), D(500)),
    StaffMember("刘一", "品管部", "质检组", D(1), D(500)),
)


def test_a_share_above_100_percent_is_refused_on_its_row_with_its_percentage_p2():
    found = check_responsibilities([person("王芳", "0.5"), person("张三", "1.2")], STAFF)
    assert found[0] == problem("E-SHARE-RANGE", field="share", row=2, share="120%")
    assert (found[0].field, found[0].row) == ("share", 2)
    assert "120%" in found[0].zh


def test_a_blank_responsible_name_points_at_the_missing_attribute_and_rule_e1_e2():
    found = check_responsibilities([person("王芳", "0.5"), unit("", "0.5")], STAFF)
    expected = problem(
        "E-RESPONSIBLE-BLANK", field="unit", rule="E1", row=2, kind=UNIT, kind_en="unit", need="单位", attr="unit"
    )
    assert found == [expected]
    assert (found[0].field, found[0].rule, found[0].row) == ("unit", "E1", 2)


def test_a_blank_row_does_not_stop_the_rows_after_it_being_checked_e1():
    found = check_responsibilities([person("", "0.5"), person("无名", "0.5")], STAFF)
    assert [(p.code, p.row) for p in found] == [("E-RESPONSIBLE-BLANK", 1), ("E-RESPONSIBLE-UNKNOWN", 2)]


def test_a_person_twice_in_the_roster_is_ambiguous_with_the_count_e2():
    found = check_responsibilities([person("王芳", "0.5"), person("刘一", "0.5")], STAFF)
    assert found == [problem("E-STAFF-AMBIGUOUS", field="person", row=2, who="刘一", count=2)]
    assert (found[0].field, found[0].row) == ("person", 2)


def test_a_unit_whose_members_have_no_basis_points_cannot_be_split_e3():
    found = check_responsibilities([person("王芳", "0.5"), unit("检验组", "0.5", department="品管部")], STAFF)
    assert found == [problem("E-ZERO-BASIS-POINTS", field="unit", row=2, kind=UNIT, who="品管部检验组")]
    assert (found[0].field, found[0].row) == ("unit", 2)


def test_a_sanction_on_a_unit_row_is_refused_on_the_sanction_cell_p5():
    found = check_responsibilities([person("王芳", "0.5"), unit("一组", "0.5", sanction=Sanction.WARNING)], STAFF)
    assert found == [problem("E-SANCTION-NOT-PERSON", field="sanction", row=2, sanction=Sanction.WARNING)]
    assert (found[0].field, found[0].row) == ("sanction", 2)


def test_a_minor_demerit_needs_a_positive_base_on_the_base_cell_p4():
    rows = [person("张三", "0.5"), person("王芳", "0.5", sanction=Sanction.MINOR, sanction_base=D(0))]
    found = check_responsibilities(rows, STAFF)
    assert found == [problem("E-SANCTION-BASE", field="sanction_base", row=2, base=D(0))]
    assert (found[0].field, found[0].row) == ("sanction_base", 2)


def test_shares_not_adding_to_100_percent_name_the_total_on_the_share_column_p2():
    found = check_responsibilities([person("王芳", "0.5"), person("张三", "0.4999")], STAFF)
    assert found == [problem("E-SHARES-NOT-100", field="share", total="99.99%")]
    assert found[0].field == "share"


def test_a_negative_loss_is_reported_first_on_the_loss_field_e7():
    parts, found = compute_allocation(D("-5"), [person("王芳", "0.5")], STAFF)
    assert parts == []
    assert found[0] == problem("E-MONEY-NEGATIVE", field="loss", label="损失金额", attr="loss", amount=D("-5"))
    assert found[0].field == "loss"
    assert [p.code for p in found] == ["E-MONEY-NEGATIVE", "E-SHARES-NOT-100"]


def test_a_loss_of_one_cent_without_responsibility_rows_is_refused_as_0_percent_p2():
    parts, found = compute_allocation(D("0.01"), [], STAFF)
    assert parts == []
    assert found == [problem("E-SHARES-NOT-100", field="share", total="0%")]
    assert found[0].field == "share"


def test_the_rounding_remainder_goes_to_the_largest_part_not_the_first_row_e7():
    rows = [person("王芳", "0.1"), unit("三组", "0.9")]
    parts, _ = compute_allocation(D("1.00"), rows, STAFF)
    assert [(p.name, p.amount) for p in parts] == [
        ("王芳", D("0.10")),
        ("周八", D("0.40")),
        ("吴九", D("0.25")),
        ("郑十", D("0.25")),
    ]


def test_a_case_number_defaults_to_blank_on_loss_and_sanction_deductions_p4():
    rows = [person("王芳", sanction=Sanction.WARNING)]
    parts, _ = compute_allocation(D(10), rows, STAFF)
    sanctions, _ = compute_sanction_amounts(rows, STAFF)
    both, _ = compute_case_deductions(D(10), rows, STAFF)
    assert {d.case for d in [*parts, *sanctions, *both]} == {""}


def test_sanctions_after_a_row_without_one_are_still_charged_p4():
    rows = [person("张三", "0.5"), person("王芳", "0.5", sanction=Sanction.WARNING, cause="3")]
    deductions, found = compute_sanction_amounts(rows, STAFF, case="261103")
    assert found == []
    assert deductions == [
        Deduction("261103", "王芳", "业务部", D("400.00"), DeductionKind.SANCTION, "警告（原因 3）", "P4")
    ]


def test_case_deductions_carry_the_case_and_the_settings_money_rules_p4():
    rows = [person("王芳", sanction=Sanction.MINOR, sanction_base=D(2))]
    rules = MoneyRules(warning_amount=D(500), minor_demerit_amount=D(1000))
    deductions, found = compute_case_deductions(D("10.00"), rows, STAFF, case="261104", rules=rules)
    assert found == []
    assert deductions == [
        Deduction("261104", "王芳", "业务部", D("10.00"), DeductionKind.LOSS, "个人责任 100%", "P2/E2"),
        Deduction("261104", "王芳", "业务部", D("2000.00"), DeductionKind.SANCTION, "小过 ×2", "P4"),
    ]
