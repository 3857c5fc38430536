"""Consolidation needs the GM office's whole decision (issue 7 items 1, 2; C8, C16, P2, E1, E2)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from complaint_kit import layout as L
from complaint_kit.actions.decision import read_staff
from complaint_kit.actions.forms import complete_stage
from complaint_kit.actions.records import register_records
from complaint_kit.domain.rules import Stage
from complaint_kit.domain.values import to_decimal
from complaint_kit.ports import TableData
from tests.actions.test_lifecycle import FULL, accept, dt, filled, run_through
from tests.conftest import KEY

STAFF = [
    ["刘洋", "制造部", "电镀二组", 4, 2400, None],
    ["王五", "制造部", "电镀二组", 2, 1600, None],
    ["李强", "业务部", None, 3, 2200, None],
    ["孙涛", "总经理室", None, 8, 5000, "副总经理"],
]
DECISION = {
    "GMOpinion": "同意退货",
    "Handling": "退货",
    "LossAmount": 1200,
    "ImprovementTracked": "是",
    "ResaleStatus": "未转售",
}
ROWS = [
    ["单位", "制造部", "电镀二组", None, 0.7, None, None, "品质"],
    ["个人", "业务部", None, "李强", 0.3, "警告", None, "7"],
]
AT = FULL[3][1]


def _table(book, name, rows):
    book.tables[name] = TableData(book.tables[name].headers, [list(r) for r in rows])


@pytest.fixture
def case(form, register):
    """A case waiting for consolidation; the register has a roster."""
    _table(register, L.STAFF_TABLE, STAFF)
    accept(filled(form), register)
    run_through(form, register, FULL[:3])
    return form, register


def consolidate(form, register, *, names=DECISION, rows=ROWS, with_register=True):
    form.names.update(names)
    _table(form, L.RESPONSIBILITY_TABLE, rows)
    reg = {"register": register, "key": KEY} if with_register else {}
    return complete_stage(form, stage=Stage.CONSOLIDATION, by="王静", now=dt(AT), **reg)


def codes(outcome):
    return {p.code for p in outcome.problems}


def test_a_whole_decision_completes_consolidation_and_goes_into_the_register(case):
    form, register = case
    outcome = consolidate(form, register)
    assert outcome.ok and outcome.warnings == [], [p.render() for p in outcome.problems]
    row = register_records(register.tables[L.REGISTER_TABLE])[0]
    assert (row["handling"], row["loss_amount"]) == ("退货", 1200)
    assert {"Handling", "LossAmount", "ResaleStatus"} <= form.locked


def test_without_a_decision_consolidation_cannot_complete(case):
    form, register = case
    outcome = consolidate(form, register, names={"GMOpinion": "同意"}, rows=[])
    assert codes(outcome) == {"E-REQUIRED"} and "Handling" in outcome.errors[0].where
    assert form.names["ConsolidationDoneAt"] is None


def test_shares_of_99_percent_are_refused(case):
    form, register = case
    rows = [[*ROWS[0][:4], 0.69, *ROWS[0][5:]], ROWS[1]]
    assert codes(consolidate(form, register, rows=rows)) == {"E-SHARES-NOT-100"}


def test_an_unknown_person_is_refused_at_their_cell(case):
    form, register = case
    rows = [ROWS[0], ["个人", "业务部", None, "张三", 0.3, None, None, None]]
    outcome = consolidate(form, register, rows=rows)
    assert codes(outcome) == {"E-RESPONSIBLE-UNKNOWN"}
    assert outcome.errors[0].where.endswith(form.locate_table_cell(L.RESPONSIBILITY_TABLE, 1, "责任人"))


def test_a_department_without_the_register_checks_shares_but_not_names_and_says_so(case):
    form, register = case
    rows = [ROWS[0], ["个人", "业务部", None, "张三", 0.3, None, None, None]]
    outcome = consolidate(form, register, rows=rows, with_register=False)
    assert outcome.ok and codes(outcome) == {"W-ROSTER-NOT-CHECKED"}


def test_without_the_register_the_shares_are_still_checked(case):
    form, register = case
    rows = [[*ROWS[0][:4], "60%", *ROWS[0][5:]], ROWS[1]]
    assert codes(consolidate(form, register, rows=rows, with_register=False)) == {
        "E-SHARES-NOT-100",
        "W-ROSTER-NOT-CHECKED",
    }


def test_an_invalid_complaint_closes_without_loss_or_responsibility(case):  # C16
    form, register = case
    assert consolidate(form, register, names={"GMOpinion": "不成立", "Handling": "不成立"}, rows=[]).ok


def test_an_invalid_complaint_with_a_loss_is_refused(case):  # C16
    form, register = case
    names = {"GMOpinion": "不成立", "Handling": "不成立", "LossAmount": 500}
    assert codes(consolidate(form, register, names=names, rows=[])) == {"E-INVALID-WITH-LOSS"}


def test_a_resold_lot_needs_its_prices_and_a_resale_below_grade_a(case):  # P1
    form, register = case
    names = {**DECISION, "ResaleStatus": "已转售", "ResaleAmount": 9}
    outcome = consolidate(form, register, names=names)
    assert codes(outcome) == {"E-REQUIRED"} and "GradeAPrice" in outcome.errors[0].where
    outcome = consolidate(form, register, names={**names, "GradeAPrice": 8})
    assert codes(outcome) == {"E-RESALE-ABOVE-GRADE-A"}


def test_unreadable_rows_and_amounts_point_at_their_cells(case):
    form, register = case
    rows = [["整体", "制造部", None, None, "七成", "记过", "x", None], [None] * 8, ROWS[1]]
    outcome = consolidate(form, register, names={**DECISION, "LossAmount": -5}, rows=rows)
    assert [p.code for p in outcome.errors] == [
        "E-TOO-SMALL",
        "E-NOT-IN-LIST",
        "E-NOT-NUMBER",
        "E-NOT-IN-LIST",
        "E-NOT-NUMBER",
    ]
    assert "LossAmount" in outcome.errors[0].where and "责任类型" in outcome.errors[1].where


def test_a_bad_roster_row_is_a_problem_at_its_cell_and_nothing_is_written(case):
    form, register = case
    _table(register, L.STAFF_TABLE, [*STAFF, [None] * 6, ["周七", "制造部", None, "abc", None, "董事长"]])
    outcome = consolidate(form, register)
    assert [p.code for p in outcome.errors] == ["E-NOT-NUMBER", "E-NOT-IN-LIST"]
    assert outcome.errors[0].where == register.locate_table_cell(L.STAFF_TABLE, 5, "基点")
    assert form.names["ConsolidationDoneAt"] is None


def test_the_roster_reads_into_staff_members(register):
    _table(register, L.STAFF_TABLE, STAFF)
    staff, problems = read_staff(register)
    assert problems == [] and staff[3].approval_level == "副总经理" and staff[0].basis_points == 4


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.7, Decimal("0.7")), ("70%", Decimal("0.7")), ("1,200.50", Decimal("1200.50")), (None, None), ("  ", None)],
)
def test_cells_read_as_exact_numbers(value, expected):
    assert to_decimal(value) == expected


@pytest.mark.parametrize("value", [True, "abc", "NaN", "inf"])
def test_cells_that_are_not_numbers_are_refused(value):
    with pytest.raises(ValueError):
        to_decimal(value)
