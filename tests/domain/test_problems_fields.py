"""Problems as data: the row a problem is about and the cell it points at survive every step."""

from decimal import Decimal as D

from complaint_kit.domain.allocation import MoneyRules
from complaint_kit.domain.problems import problem
from complaint_kit.domain.settings import Settings


def test_a_problem_about_a_table_row_keeps_the_row_number():
    p = problem("E-RESP-CAUSE", field="responsibility", row=3, cause="99")
    assert p.row == 3


def test_a_row_parameter_that_is_not_a_number_is_no_row():
    p = problem("E-REQUIRED", field="customer", label="客户名称", attr="customer", row="第三行")
    assert p.row is None


def test_a_problem_made_for_a_cell_keeps_its_place_and_renders_it():
    p = problem("E-REQUIRED", field="customer", where="客户抱怨处理表!B4", label="客户名称", attr="customer")
    assert p.where == "客户抱怨处理表!B4"
    assert " 客户抱怨处理表!B4: " in p.render()


def test_pointing_a_problem_at_a_cell_keeps_its_row_and_everything_else():
    p = problem("E-RESP-CAUSE", field="responsibility", row=3, cause="99")
    placed = p.at("Responsibility[原因类别] row 3")
    assert placed.row == 3
    assert placed.where == "Responsibility[原因类别] row 3"
    assert (placed.code, placed.zh, placed.en, placed.field, placed.severity, placed.rule) == (
        p.code,
        p.zh,
        p.en,
        p.field,
        p.severity,
        p.rule,
    )


def test_the_settings_money_rules_are_the_amounts_set_on_the_settings_sheet_p4_e4():
    settings = Settings(warning_amount=D(450), minor_demerit_amount=D(900), monthly_cap_ratio=D("0.4"))
    assert settings.money_rules() == MoneyRules(
        warning_amount=D(450), minor_demerit_amount=D(900), monthly_cap_ratio=D("0.4")
    )


def test_a_settings_field_carries_its_chinese_label_rule_and_help_p4():
    extra = Settings.model_fields["warning_amount"].json_schema_extra
    assert extra == {"zh": "警告折算金额(元)", "rule": "P4", "help": "每次警告折算的扣款，制度规定至少 400"}
