"""The decision's problems, exactly (C8, C16, P2, P3, E1, E2): code, field, row and the texts."""

from decimal import Decimal as D

from complaint_kit.domain.allocation import Responsibility, ResponsibilityKind, StaffMember
from complaint_kit.domain.decision import DepartmentKind, Handling, check_decision
from complaint_kit.domain.problems import problem
from complaint_kit.domain.rules import YesNo
from tests.domain.test_decision import decide

PERSON, UNIT, DEPT = ResponsibilityKind.PERSON, ResponsibilityKind.UNIT, ResponsibilityKind.DEPARTMENT

STAFF = (
    StaffMember("王芳", "制造一科", "钻孔组", D(3), D(2000)),
    StaffMember("赵强", "制造一科", "钻孔组", D(2), D(1800)),
    StaffMember("孙丽", "制造一科", "电镀组", D(2), D(1800)),
    StaffMember("李强", "业务部", "国内组", D(2), D(3000)),
    StaffMember("周杰", "服务部", "维修组", D(1), D(1500)),
)


def check(decision):
    return check_decision(decision, staff=STAFF)


def test_an_invalid_complaint_with_rows_and_a_loss_names_both_cells_c16():
    rows = (Responsibility(PERSON, D(1), person="王芳"), Responsibility(PERSON, D(0), person="赵强"))
    found = check(decide(*rows, handling=Handling.INVALID, loss=D("12.5")))
    assert found == [
        problem("E-INVALID-WITH-RESPONSIBILITY", field="responsibility", rows=2),
        problem("E-INVALID-WITH-LOSS", field="loss_amount", amount=D("12.5")),
    ]
    assert [p.field for p in found] == ["responsibility", "loss_amount"]


def test_a_decision_without_rows_is_refused_as_shares_of_0_percent_on_the_share_column_p2():
    found = check(decide())
    assert found == [problem("E-SHARES-NOT-100", field="share", total="0%")]
    assert found[0].field == "share"


def test_a_department_row_naming_a_person_should_charge_the_person_e1():
    row = Responsibility(DEPT, D(1), department="制造一科", unit="钻孔组", person="王芳")
    found = [p for p in check(decide(row)) if p.code == "E-RESP-NAMES-SMALLER"]
    assert found == [
        problem(
            "E-RESP-NAMES-SMALLER",
            field="responsibility",
            rule="E1",
            row=1,
            kind="部门",
            kind_en="department",
            what="责任人",
            attr="person",
            name="王芳",
            target="个人",
            target_en="person",
        )
    ]
    assert (found[0].field, found[0].row, found[0].rule) == ("responsibility", 1, "E1")


def test_a_sales_unit_row_is_refused_with_its_department_e2():
    row = Responsibility(UNIT, D(1), unit="国内组")
    found = [p for p in check(decide(row)) if p.code == "E-RESP-SALES-UNIT"]
    assert found == [problem("E-RESP-SALES-UNIT", field="responsibility", row=1, department="业务部")]
    assert (found[0].field, found[0].row) == ("responsibility", 1)
    assert "业务部" in found[0].zh


def test_a_person_found_only_elsewhere_lists_every_place_of_the_roster_e2():
    staff = (*STAFF, StaffMember("王芳", "制造二科", "成型组", D(1), D(1000)))
    row = Responsibility(PERSON, D(1), department="制造一科", unit="电镀组", person="王芳")
    found = [p for p in check_decision(decide(row), staff=staff) if p.code == "E-RESP-PERSON-ELSEWHERE"]
    assert found == [
        problem(
            "E-RESP-PERSON-ELSEWHERE",
            field="responsibility",
            row=1,
            person="王芳",
            places="制造一科/钻孔组、制造二科/成型组",
            department="制造一科/电镀组",
        )
    ]
    assert (found[0].field, found[0].row) == ("responsibility", 1)


def test_a_person_in_another_department_without_a_unit_names_only_the_department_e2():
    row = Responsibility(PERSON, D(1), department="业务部", person="王芳")
    found = [p for p in check(decide(row)) if p.code == "E-RESP-PERSON-ELSEWHERE"]
    assert found == [
        problem(
            "E-RESP-PERSON-ELSEWHERE",
            field="responsibility",
            row=1,
            person="王芳",
            places="制造一科/钻孔组",
            department="业务部",
        )
    ]


def test_an_unknown_cause_is_refused_on_its_row_p3():
    row = Responsibility(PERSON, D(1), person="王芳", cause="16")
    found = [p for p in check(decide(row)) if p.code == "E-RESP-CAUSE"]
    assert found == [problem("E-RESP-CAUSE", field="responsibility", row=1, cause="16")]
    assert (found[0].field, found[0].row) == ("responsibility", 1)


def test_a_duplicate_row_names_the_first_row_it_repeats_p2():
    rows = (Responsibility(PERSON, D("0.5"), person="王芳"), Responsibility(PERSON, D("0.5"), person="王芳"))
    found = [p for p in check(decide(*rows)) if p.code == "E-RESP-DUPLICATE"]
    assert found == [problem("E-RESP-DUPLICATE", field="responsibility", row=2, first=1)]
    assert (found[0].field, found[0].row) == ("responsibility", 2)


def test_a_quality_cause_without_tracking_warns_on_the_tracking_cell_c10():
    row = Responsibility(PERSON, D(1), person="王芳", cause="品质")
    found = check(decide(row, tracked=YesNo.NO))
    assert found == [problem("W-QUALITY-NOT-TRACKED", field="improvement_tracked")]
    assert found[0].field == "improvement_tracked"


def test_a_row_without_department_takes_the_department_of_the_person_it_names_e2():
    # 李强 is in 业务部 (sales): a unit row naming him is a sales unit row, found through his name
    row = Responsibility(UNIT, D(1), unit="", person="李强")
    found = [p for p in check(decide(row)) if p.code == "E-RESP-SALES-UNIT"]
    assert found == [problem("E-RESP-SALES-UNIT", field="responsibility", row=1, department="业务部")]


def test_an_unknown_person_without_department_is_reported_not_raised_e2():
    row = Responsibility(PERSON, D(1), person="无名")
    found = check(decide(row))
    assert [p.code for p in found] == ["E-RESPONSIBLE-UNKNOWN"]


def test_the_department_kinds_passed_in_decide_which_units_are_sales_units_e2():
    row = Responsibility(UNIT, D(1), unit="维修组")
    kinds = (("服务", DepartmentKind.MANUFACTURING),)
    found = check_decision(decide(row), staff=STAFF, department_kinds=kinds)
    assert "E-RESP-SALES-UNIT" not in [p.code for p in found]
    assert "E-RESP-SALES-UNIT" in [p.code for p in check(decide(row))]
