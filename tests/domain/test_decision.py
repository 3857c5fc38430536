"""The decision on the form (C8, C16, P2, P3, E1, E2): worked examples, both sides of each boundary."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaint_kit.domain.allocation import Responsibility, ResponsibilityKind, Sanction, StaffMember
from complaint_kit.domain.decision import (
    P3_CAUSES,
    Decision,
    DepartmentKind,
    Handling,
    ResaleStatus,
    check_decision,
    compute_department_kind,
)
from complaint_kit.domain.rules import YesNo

PERSON, UNIT, DEPT = ResponsibilityKind.PERSON, ResponsibilityKind.UNIT, ResponsibilityKind.DEPARTMENT
D = Decimal

STAFF = (
    StaffMember("王芳", "制造一科", "钻孔组", D(3), D(2000)),
    StaffMember("赵强", "制造一科", "钻孔组", D(2), D(1800)),
    StaffMember("孙丽", "制造一科", "电镀组", D(2), D(1800)),
    StaffMember("李强", "业务部", "国内组", D(2), D(3000)),
    StaffMember("周杰", "服务部", "维修组", D(1), D(1500)),
    StaffMember("张敏", "质量管理部", "品保组", D(2), D(2000)),
)


def decide(*rows, handling=Handling.RETURN, tracked=YesNo.YES, loss=None):
    return Decision(handling, tracked, ResaleStatus.NOT_RESOLD, loss, tuple(rows))


def codes(decision):
    return [p.code for p in check_decision(decision, staff=STAFF)]


def row(kind, share, department="", unit="", person="", **more):
    return Responsibility(kind, D(share), department, unit, person, **more)


# -- P2: shares add up to exactly 100 % ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("shares", "expected"),
    [
        (("1",), []),
        (("0.7", "0.3"), []),
        (("0.3333", "0.3333", "0.3334"), []),
        (("0.7", "0.2999"), ["E-SHARES-NOT-100"]),  # 99.99 %
        (("0.7", "0.3001"), ["E-SHARES-NOT-100"]),  # 100.01 %
    ],
    ids=["one_person_100", "70_30", "thirds_to_the_hundredth", "99_99_refused", "100_01_refused"],
)
def test_p2_shares_must_add_up_to_exactly_100_percent(shares, expected):
    people = [("王芳", "钻孔组", "制造一科"), ("李强", "国内组", "业务部"), ("张敏", "品保组", "质量管理部")]
    rows = [row(PERSON, s, dept, unit, name) for s, (name, unit, dept) in zip(shares, people, strict=False)]
    assert codes(decide(*rows)) == expected


def test_p2_the_shortfall_is_named_as_a_percentage():
    (found,) = check_decision(decide(row(PERSON, "0.9999", "业务部", person="李强")), staff=STAFF)
    assert "99.99%" in found.zh


def test_c8_a_valid_complaint_without_responsibility_rows_is_refused_as_zero_percent():
    (found,) = check_decision(decide(), staff=STAFF)
    assert (found.code, found.rule) == ("E-SHARES-NOT-100", "P2") and "0%" in found.zh


# -- E1: manufacturing names the smallest unit, else the whole section ----------------------------------
@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ((row(UNIT, 1, "制造一科", "钻孔组"),), []),
        ((row(PERSON, 1, "制造一科", "钻孔组", "王芳"),), []),
        ((row(DEPT, 1, "制造一科"),), []),  # no unit can be named: the whole section (全科)
        ((row(DEPT, 1, "制造一科", "钻孔组"),), [("E-RESP-NAMES-SMALLER", "E1")]),
        ((row(UNIT, 1, "制造一科"),), [("E-RESPONSIBLE-BLANK", "E1")]),  # a unit row that names none
        ((row(UNIT, 1, "制造一科", "成型组"),), [("E-RESPONSIBLE-UNKNOWN", "P2")]),
        ((row(UNIT, 1, "制造一科", "钻孔组", "王芳"),), [("E-RESP-NAMES-SMALLER", "E1")]),
    ],
    ids=[
        "unit_named",
        "person_named",
        "whole_section_when_no_unit_can_be_named",
        "whole_section_refused_when_a_unit_is_named",
        "unit_row_without_a_unit_refused",
        "unit_not_in_the_roster_refused",
        "unit_row_naming_a_person_refused",
    ],
)
def test_e1_manufacturing_responsibility_goes_to_the_smallest_unit(rows, expected):
    assert [(p.code, p.rule) for p in check_decision(decide(*rows), staff=STAFF)] == expected


def test_e1_a_whole_section_row_naming_both_a_unit_and_a_person_points_at_the_person():
    found = check_decision(decide(row(DEPT, 1, "制造一科", "钻孔组", "王芳")), staff=STAFF)
    assert [p.code for p in found] == ["E-RESP-NAMES-SMALLER"]
    assert "王芳" in found[0].zh and "个人" in found[0].zh


def test_e1_the_department_of_a_row_left_blank_comes_from_the_roster():
    found = check_decision(decide(row(DEPT, 1, "", "钻孔组")), staff=STAFF)
    assert [(p.code, p.rule) for p in found] == [("E-RESPONSIBLE-BLANK", "E1"), ("E-RESP-NAMES-SMALLER", "E1")]


# -- E2: sales and service name a person, else the department ---------------------------------------------
@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ((row(PERSON, 1, "业务部", person="李强"),), []),
        ((row(DEPT, 1, "业务部"),), []),  # no person can be named
        ((row(DEPT, 1, "服务部"),), []),
        ((row(DEPT, 1, "业务部", person="李强"),), [("E-RESP-NAMES-SMALLER", "E2")]),
        ((row(PERSON, 1, "服务部"),), [("E-RESPONSIBLE-BLANK", "E2")]),
        ((row(UNIT, 1, "服务部", "维修组"),), [("E-RESP-SALES-UNIT", "E2")]),
        ((row(UNIT, 1, "", "国内组"),), [("E-RESP-SALES-UNIT", "E2")]),
    ],
    ids=[
        "person_named",
        "sales_department_when_no_one_can_be_named",
        "service_department_when_no_one_can_be_named",
        "department_refused_when_a_person_is_named",
        "person_row_without_a_person_refused",
        "service_unit_refused",
        "sales_unit_without_department_refused",
    ],
)
def test_e2_sales_and_service_responsibility_goes_to_the_person(rows, expected):
    assert [(p.code, p.rule) for p in check_decision(decide(*rows), staff=STAFF)] == expected


def test_p2_other_departments_follow_the_smallest_named_too():
    found = check_decision(decide(row(DEPT, 1, "质量管理部", person="张敏")), staff=STAFF)
    assert [(p.code, p.rule) for p in found] == [("E-RESP-NAMES-SMALLER", "P2")]


def test_a_unit_row_in_quality_is_fine():
    assert codes(decide(row(UNIT, 1, "质量管理部", "品保组"))) == []


# -- the roster -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ((row(PERSON, 1, "业务部", person="王芳"),), ["E-RESP-PERSON-ELSEWHERE"]),
        ((row(PERSON, 1, "制造一科", "电镀组", "王芳"),), ["E-RESP-PERSON-ELSEWHERE"]),
        ((row(PERSON, 1, "制造一科", "", "王芳"),), []),
        ((row(PERSON, 1, "", "", "王芳"),), []),
        ((row(PERSON, 1, "业务部", person="陈某"),), ["E-RESPONSIBLE-UNKNOWN"]),
        ((row(DEPT, 1, "仓储科"),), ["E-RESPONSIBLE-UNKNOWN"]),
    ],
    ids=[
        "person_in_another_department",
        "person_in_another_unit",
        "person_in_the_department_unit_left_blank",
        "person_without_department",
        "unknown_person",
        "unknown_department",
    ],
)
def test_every_named_person_unit_and_department_is_in_the_roster(rows, expected):
    assert codes(decide(*rows)) == expected


def test_a_person_in_another_department_is_told_where_the_roster_has_them():
    (found,) = check_decision(decide(row(PERSON, 1, "业务部", person="王芳")), staff=STAFF)
    assert "制造一科/钻孔组" in found.zh and "业务部" in found.zh


# -- rows: duplicates, sanctions, causes -----------------------------------------------------------------
def test_the_same_responsibility_twice_is_refused_naming_the_first_row():
    found = check_decision(decide(row(DEPT, "0.5", "业务部"), row(DEPT, "0.5", "业务部")), staff=STAFF)
    assert [p.code for p in found] == ["E-RESP-DUPLICATE"] and "第 2 行" in found[0].zh and "第 1 行" in found[0].zh


@pytest.mark.parametrize(
    ("cause", "expected"),
    [("", []), ("1", []), ("15", []), (" 品质 ", []), ("0", ["E-RESP-CAUSE"]), ("16", ["E-RESP-CAUSE"])],
    ids=["blank", "first_p3_cause", "last_p3_cause", "quality", "below_p3_refused", "above_p3_refused"],
)
def test_p3_the_cause_is_a_p3_number_or_quality(cause, expected):
    assert codes(decide(row(PERSON, 1, "业务部", person="李强", cause=cause))) == expected


def test_p3_lists_fifteen_causes():
    assert sorted(P3_CAUSES) == list(range(1, 16))


@pytest.mark.parametrize(
    ("kind", "sanction", "base", "expected"),
    [
        (PERSON, Sanction.WARNING, D(0), []),
        (PERSON, Sanction.MINOR, D(1), []),
        (PERSON, Sanction.MINOR, D(0), ["E-SANCTION-BASE"]),
        (PERSON, Sanction.MAJOR, D(1), []),
        (DEPT, Sanction.WARNING, D(1), ["E-SANCTION-NOT-PERSON"]),
    ],
    ids=["warning", "minor_with_one_base", "minor_without_base_refused", "major", "sanction_on_a_department_refused"],
)
def test_p4_p5_sanctions_are_personal_and_a_minor_demerit_has_a_base(kind, sanction, base, expected):
    who = {"person": "李强"} if kind is PERSON else {}
    rows = (row(kind, 1, "业务部", sanction=sanction, sanction_base=base, **who),)
    assert codes(decide(*rows)) == expected


# -- C8: improvement tracking ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("tracked", "cause", "expected"),
    [(YesNo.NO, "品质", ["W-QUALITY-NOT-TRACKED"]), (YesNo.YES, "品质", []), (YesNo.NO, "8", [])],
    ids=["quality_untracked_warned", "quality_tracked", "human_negligence_untracked"],
)
def test_c8_only_human_negligence_is_exempt_from_tracking(tracked, cause, expected):
    found = check_decision(decide(row(PERSON, 1, "业务部", person="李强", cause=cause), tracked=tracked), staff=STAFF)
    assert [p.code for p in found] == expected and all(not p.is_error for p in found)


# -- C16: an invalid complaint ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("loss", "rows", "expected"),
    [
        (None, (), []),
        (D(0), (), []),
        (D("0.01"), (), ["E-INVALID-WITH-LOSS"]),
        (None, (row(PERSON, 1, "业务部", person="李强"),), ["E-INVALID-WITH-RESPONSIBILITY"]),
    ],
    ids=["no_loss_blank", "no_loss_zero", "a_cent_of_loss_refused", "a_responsibility_row_refused"],
)
def test_c16_an_invalid_complaint_closes_with_no_loss_and_no_penalty(loss, rows, expected):
    assert codes(decide(*rows, handling=Handling.INVALID, loss=loss)) == expected


# -- department kinds ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("制造一科", DepartmentKind.MANUFACTURING),
        ("生产部", DepartmentKind.MANUFACTURING),
        ("业务部", DepartmentKind.SALES),
        ("服务中心", DepartmentKind.SERVICE),
        ("研发部", DepartmentKind.OTHER),
    ],
)
def test_a_department_kind_comes_from_its_name(name, kind):
    assert compute_department_kind(name) is kind


def test_department_kinds_are_a_table_the_caller_may_replace():
    kinds = (("研发", DepartmentKind.SALES),)
    found = check_decision(decide(row(DEPT, 1, "质量管理部", person="张敏")), staff=STAFF, department_kinds=kinds)
    assert [p.rule for p in found] == ["P2"]
    assert compute_department_kind("研发部", kinds=kinds) is DepartmentKind.SALES


def test_every_handling_and_resale_status_is_a_form_value():
    assert [h.value for h in Handling] == ["退货", "换货", "重工", "折让", "赔偿", "不成立"]
    assert [s.value for s in ResaleStatus] == ["已转售", "未转售", "不适用"]


# -- properties ------------------------------------------------------------------------------------------
@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=3))
def test_shares_in_hundredths_of_a_percent_pass_exactly_when_they_total_10000(parts):
    departments = ["业务部", "服务部", "质量管理部"]
    rows = [row(DEPT, D(p) / 10_000, departments[i]) for i, p in enumerate(parts)]
    assert ("E-SHARES-NOT-100" in codes(decide(*rows))) == (sum(parts) != 10_000)
