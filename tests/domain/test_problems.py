"""Problems are data (STYLE.md): one catalogue of codes (issue 12), each problem pointing at its field."""

import pytest

from complaint_kit.domain.problems import Severity, UnknownCode, problem


def test_a_problem_takes_its_texts_rule_and_severity_from_the_catalogue():
    p = problem("E-REQUIRED", field="customer", rule="C4", label="客户名称", attr="customer")
    assert (p.code, p.field, p.rule, p.severity, p.where) == ("E-REQUIRED", "customer", "C4", Severity.ERROR, None)
    assert p.zh == "客户名称：必填" and p.en.startswith("customer")


def test_a_problem_without_a_rule_of_its_own_keeps_the_catalogues_rule():
    p = problem(
        "E-DEFECT-GT-SHIPPED", field="defect_qty", label="不良数量", attr="defect_qty", defect_qty=3, ship_qty=2
    )
    assert p.rule == "C4" and "3" in p.zh and "2" in p.zh


def test_a_warning_code_is_a_warning_and_can_point_at_a_cell():
    p = problem("W-UNSEALED", where="登记表!A2", case_no="261101")
    assert (p.severity, p.is_error, p.where) == (Severity.WARNING, False, "登记表!A2")


def test_a_code_missing_from_the_catalogue_is_a_bug_not_a_problem():
    with pytest.raises(UnknownCode, match="E-NO-SUCH-CODE"):
        problem("E-NO-SUCH-CODE")
