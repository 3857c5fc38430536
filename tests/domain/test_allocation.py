"""Who pays for a complaint (issue 7 item 5): the loss split by responsibility shares and basis
points (P2, E2, E3, E5, E6), exact to the cent (E7), and sanctions as money (P4)."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from complaint_kit.domain.allocation import (
    DeductionKind,
    MoneyRules,
    Responsibility,
    ResponsibilityKind,
    Sanction,
    StaffMember,
    check_responsibilities,
    compute_allocation,
    compute_case_deductions,
    compute_sanction_amounts,
    percent,
    sum_by_person,
    to_cents,
)

PERSON, UNIT, DEPT = ResponsibilityKind.PERSON, ResponsibilityKind.UNIT, ResponsibilityKind.DEPARTMENT

STAFF = (
    StaffMember("王芳", "业务部", "业务一课", D(2), D(1000), "业务经理"),
    StaffMember("张三", "制造部", "一组", D(3), D(1200)),
    StaffMember("李四", "制造部", "一组", D(2), D(900)),
    StaffMember("赵五", "制造部", "一组", D(1), D(600)),
    StaffMember("周八", "制造部", "三组", D(5), D(800)),
    StaffMember("吴九", "制造部", "三组", D(3), D(800)),
    StaffMember("郑十", "制造部", "三组", D(3), D(800)),
    StaffMember("钱六", "品管部", "检验组", D(0), D(700)),
)


def person(name, share="1", **kw):
    return Responsibility(PERSON, D(share), person=name, **kw)


def unit(name, share="1", department="制造部", **kw):
    return Responsibility(UNIT, D(share), department=department, unit=name, **kw)


def dept(name, share="1", **kw):
    return Responsibility(DEPT, D(share), department=name, **kw)


def amounts(loss, rows, staff=STAFF):
    parts, problems = compute_allocation(D(loss), rows, staff, case="261103")
    assert problems == []
    return [(p.name, p.amount) for p in parts]


def codes(loss, rows, staff=STAFF):
    parts, problems = compute_allocation(D(loss), rows, staff)
    assert parts == []  # with any problem nothing is allocated
    return [p.code for p in problems]


# -- worked examples (tables) ------------------------------------------------------------------

EXAMPLES = {
    "a_70_30_split_between_a_person_and_a_unit_p2_e3": (
        "1000.00",
        [person("王芳", "0.7"), unit("一组", "0.3")],
        [("王芳", "700.00"), ("张三", "150.00"), ("李四", "100.00"), ("赵五", "50.00")],
    ),
    "one_person_at_fault_pays_100_percent_p2": ("345.67", [person("王芳")], [("王芳", "345.67")]),
    "a_unit_of_three_with_basis_points_3_2_1_shares_by_points_e3_e5": (
        "600.00",
        [unit("一组")],
        [("张三", "300.00"), ("李四", "200.00"), ("赵五", "100.00")],
    ),
    "a_department_share_spreads_over_the_whole_department_by_points_e5_e6": (
        "1700.00",
        [dept("制造部")],
        [
            ("张三", "300.00"),
            ("李四", "200.00"),
            ("赵五", "100.00"),
            ("周八", "500.00"),
            ("吴九", "300.00"),
            ("郑十", "300.00"),
        ],
    ),
    "a_rounding_remainder_of_one_cent_goes_to_the_largest_share_e7": (
        "1.00",  # 5/3/3 points: 0.4545… 0.2727… 0.2727… round to 0.45 0.27 0.27 = 0.99
        [unit("三组")],
        [("周八", "0.46"), ("吴九", "0.27"), ("郑十", "0.27")],
    ),
    "a_cent_too_many_from_rounding_up_comes_off_the_largest_share_e7": (
        "0.05",  # 0.025 0.0166… 0.0083… round to 0.03 0.02 0.01 = 0.06
        [unit("一组")],
        [("张三", "0.02"), ("李四", "0.02"), ("赵五", "0.01")],
    ),
    "equal_shares_give_the_remainder_to_the_earlier_row_e7": (
        "100.00",
        [person("王芳", "0.3333"), person("周八", "0.3333"), person("吴九", "0.3334")],
        [("王芳", "33.33"), ("周八", "33.33"), ("吴九", "33.34")],
    ),
    "a_loss_with_fractions_of_a_cent_is_rounded_half_up_first_e7": ("100.005", [person("王芳")], [("王芳", "100.01")]),
    "a_person_without_basis_points_still_pays_the_whole_personal_share_e2": (
        "80.00",
        [person("钱六")],
        [("钱六", "80.00")],
    ),
    "a_unit_named_without_its_department_is_found_by_its_name_e1": (
        "6.00",
        [unit("一组", department="")],
        [("张三", "3.00"), ("李四", "2.00"), ("赵五", "1.00")],
    ),
    "no_loss_charges_zero_to_everyone_named": ("0", [person("王芳")], [("王芳", "0.00")]),
    "no_loss_and_no_rows_charges_nobody_c16": ("0", [], []),
}


@pytest.mark.parametrize(("loss", "rows", "expected"), EXAMPLES.values(), ids=EXAMPLES.keys())
def test_worked_example(loss, rows, expected):
    assert amounts(loss, rows) == [(name, D(amount)) for name, amount in expected]


def test_each_part_names_its_case_department_rule_and_reason():
    parts, _ = compute_allocation(D(1000), [person("王芳", "0.7"), unit("一组", "0.3")], STAFF, case="261103")
    first, second = parts[0], parts[1]
    assert (first.case, first.department, first.kind, first.rule) == ("261103", "业务部", DeductionKind.LOSS, "P2/E2")
    assert first.reason == "个人责任 70%"
    assert (second.department, second.rule) == ("制造部", "E3/E5")
    assert second.reason == "单位“制造部一组”责任 30%，基点 3/6"


REFUSED = {
    "shares_adding_to_99_99_percent_are_refused_p2": (
        "1000",
        [person("王芳", "0.7"), unit("一组", "0.2999")],
        ["E-SHARES-NOT-100"],
    ),
    "shares_adding_to_more_than_100_percent_are_refused_p2": (
        "1000",
        [person("王芳", "0.7"), unit("一组", "0.4")],
        ["E-SHARES-NOT-100"],
    ),
    "a_loss_without_any_responsibility_is_refused_p2": ("1000", [], ["E-SHARES-NOT-100"]),
    "an_unknown_person_is_refused_p2": ("1000", [person("陈某")], ["E-RESPONSIBLE-UNKNOWN"]),
    "an_unknown_unit_is_refused_e1": ("1000", [unit("九组")], ["E-RESPONSIBLE-UNKNOWN"]),
    "a_unit_in_the_wrong_department_is_refused_e1": (
        "1000",
        [unit("一组", department="业务部")],
        ["E-RESPONSIBLE-UNKNOWN"],
    ),
    "an_unknown_department_is_refused_e1": ("1000", [dept("采购部")], ["E-RESPONSIBLE-UNKNOWN"]),
    "a_unit_with_zero_basis_points_is_refused_e3": (
        "1000",
        [unit("检验组", department="品管部")],
        ["E-ZERO-BASIS-POINTS"],
    ),
    "a_department_with_zero_basis_points_is_refused_e3": ("1000", [dept("品管部")], ["E-ZERO-BASIS-POINTS"]),
    "a_personal_row_without_a_person_is_refused_e2": ("1000", [person("")], ["E-RESPONSIBLE-BLANK"]),
    "a_unit_row_without_a_unit_is_refused_e1": ("1000", [unit(" ")], ["E-RESPONSIBLE-BLANK"]),
    "a_department_row_without_a_department_is_refused_e1": ("1000", [dept("")], ["E-RESPONSIBLE-BLANK"]),
    "a_negative_share_is_refused_p2": (
        "1000",
        [person("王芳", "-0.1"), person("周八", "1.1")],
        ["E-SHARE-RANGE", "E-SHARE-RANGE"],
    ),
    "a_negative_loss_is_refused_e7": ("-0.01", [person("王芳")], ["E-MONEY-NEGATIVE"]),
    "every_problem_is_reported_at_once": (
        "-5",
        [person("陈某", "0.5"), unit("九组", "0.4")],
        ["E-MONEY-NEGATIVE", "E-RESPONSIBLE-UNKNOWN", "E-RESPONSIBLE-UNKNOWN", "E-SHARES-NOT-100"],
    ),
}


@pytest.mark.parametrize(("loss", "rows", "expected"), REFUSED.values(), ids=REFUSED.keys())
def test_refused(loss, rows, expected):
    assert codes(loss, rows) == expected


def test_a_name_twice_in_the_roster_cannot_be_charged():
    staff = (*STAFF, StaffMember("王芳", "制造部", "一组", D(1), D(500)))
    assert codes("10", [person("王芳")], staff) == ["E-STAFF-AMBIGUOUS"]


def test_a_refusal_names_the_row_and_the_rule():
    _, problems = compute_allocation(D(1000), [person("王芳", "0.5"), person("陈某", "0.5")], STAFF)
    (unknown,) = problems
    assert (unknown.rule, unknown.field) == ("P2", "person")
    assert unknown.zh == "责任表第 2 行：个人“陈某”不在人员名册中"
    assert unknown.en == "responsibility row 2: person '陈某' is not in the staff roster"
    _, problems = compute_allocation(D(1000), [person("王芳", "0.7"), unit("一组", "0.2999")], STAFF)
    assert problems[0].zh == "责任比例合计为 99.99%，应恰好为 100%"
    _, problems = compute_allocation(D(1000), [unit("")], STAFF)
    assert (problems[0].rule, problems[0].en) == ("E1", "responsibility row 1: a unit responsibility needs its unit")


def test_check_responsibilities_accepts_a_whole_table():
    assert check_responsibilities([person("王芳", "0.7"), unit("一组", "0.3")], STAFF) == []


# -- sanctions as money (P4) ---------------------------------------------------------------------

SANCTIONS = {
    "a_warning_costs_400_p4": (person("王芳", sanction=Sanction.WARNING), "400.00", "警告"),
    "a_minor_demerit_costs_800_per_base_p4": (
        person("王芳", sanction=Sanction.MINOR, sanction_base=D(2)),
        "1600.00",
        "小过 ×2",
    ),
    "a_major_demerit_costs_the_whole_months_bonus_p4": (person("张三", sanction=Sanction.MAJOR), "1200.00", "大过"),
    "the_cause_is_named_in_the_reason_p3": (
        person("王芳", sanction=Sanction.WARNING, cause="10"),
        "400.00",
        "警告（原因 10）",
    ),
}


@pytest.mark.parametrize(("row", "amount", "reason"), SANCTIONS.values(), ids=SANCTIONS.keys())
def test_sanction(row, amount, reason):
    (charged,), problems = compute_sanction_amounts([row], STAFF, case="261103")
    assert problems == []
    assert (charged.amount, charged.reason, charged.kind, charged.rule) == (
        D(amount),
        reason,
        DeductionKind.SANCTION,
        "P4",
    )


def test_no_sanction_costs_nothing():
    assert compute_sanction_amounts([person("王芳")], STAFF) == ([], [])


def test_sanction_amounts_are_settings():
    rules = MoneyRules(warning_amount=D(500), minor_demerit_amount=D("850.5"))
    rows = [
        person("王芳", "0.5", sanction=Sanction.WARNING),
        person("张三", "0.5", sanction=Sanction.MINOR, sanction_base=D("1.5")),
    ]
    charged, _ = compute_sanction_amounts(rows, STAFF, rules=rules)
    assert [c.amount for c in charged] == [D("500.00"), D("1275.75")]


def test_a_sanction_on_a_unit_is_refused_p5():
    _, problems = compute_sanction_amounts([unit("一组", sanction=Sanction.WARNING)], STAFF)
    assert [p.code for p in problems] == ["E-SANCTION-NOT-PERSON"]


def test_a_minor_demerit_with_no_base_is_refused_p4():
    _, problems = compute_sanction_amounts([person("王芳", sanction=Sanction.MINOR, sanction_base=D(0))], STAFF)
    assert [p.code for p in problems] == ["E-SANCTION-BASE"]


def test_a_case_charges_its_loss_parts_then_its_sanctions():
    rows = [person("王芳", "0.7", sanction=Sanction.WARNING), unit("一组", "0.3")]
    charged, problems = compute_case_deductions(D(1000), rows, STAFF, case="261103")
    assert problems == []
    assert [(c.name, c.amount, c.kind) for c in charged][-1] == ("王芳", D(400), DeductionKind.SANCTION)
    assert sum_by_person(charged) == {"王芳": D(1100), "张三": D(150), "李四": D(100), "赵五": D(50)}


def test_a_case_reports_each_problem_once():
    charged, problems = compute_case_deductions(D(1000), [person("陈某", sanction=Sanction.WARNING)], STAFF)
    assert charged == []
    assert [p.code for p in problems] == ["E-RESPONSIBLE-UNKNOWN"]


# -- small pieces --------------------------------------------------------------------------------


def test_the_money_rules_default_to_the_regulation_p4_e4():
    rules = MoneyRules()
    assert (rules.warning_amount, rules.minor_demerit_amount, rules.monthly_cap_ratio) == (D(400), D(800), D("0.5"))


@pytest.mark.parametrize("ratio", ["0", "1.01", "-0.5"])
def test_a_cap_ratio_outside_0_to_100_percent_is_invalid_e4(ratio):
    with pytest.raises(ValidationError):
        MoneyRules(monthly_cap_ratio=D(ratio))


def test_the_roster_keeps_the_approval_level():
    assert STAFF[0].approval_level == "业务经理"


@pytest.mark.parametrize(
    ("exact", "cents"), [(D("0.005"), "0.01"), (D("0.00499"), "0.00"), (D("2.675"), "2.68"), (D(3), "3.00")]
)
def test_rounding_is_half_up_to_the_cent_e7(exact, cents):
    from fractions import Fraction

    assert str(to_cents(Fraction(exact))) == cents


def test_percent_reads_like_the_form():
    assert (percent(D("0.7")), percent(D("0.3333")), percent(D(1))) == ("70%", "33.33%", "100%")


# -- properties ----------------------------------------------------------------------------------

NAMES = [m.name for m in STAFF if m.basis_points > 0]
UNITS = [("制造部", "一组"), ("制造部", "三组")]


@st.composite
def cases(draw):
    """A loss, a roster with drawn basis points, and rows whose shares add up to exactly 100 %."""
    staff = [StaffMember(m.name, m.department, m.unit, D(draw(st.integers(1, 50))), m.monthly_bonus) for m in STAFF[:7]]
    n = draw(st.integers(1, 5))
    cuts = sorted(draw(st.lists(st.integers(0, 10_000), min_size=n - 1, max_size=n - 1)))
    shares = [D(b - a) / 10_000 for a, b in zip([0, *cuts], [*cuts, 10_000], strict=True)]
    rows = []
    for share in shares:
        kind = draw(st.sampled_from(list(ResponsibilityKind)))
        if kind is PERSON:
            rows.append(person(draw(st.sampled_from(NAMES)), share))
        elif kind is UNIT:
            department, name = draw(st.sampled_from(UNITS))
            rows.append(unit(name, share, department=department))
        else:
            rows.append(dept("制造部", share))
    loss = D(draw(st.integers(0, 10**9))) / 100
    return loss, rows, staff


@given(cases())
def test_allocations_sum_exactly_to_the_loss_and_are_never_negative(case):
    loss, rows, staff = case
    parts, problems = compute_allocation(loss, rows, staff)
    assert problems == []
    assert sum(p.amount for p in parts) == loss
    assert all(p.amount >= 0 and p.amount == p.amount.quantize(D("0.01")) for p in parts)


@given(cases())
def test_each_part_is_within_one_and_a_half_cents_of_its_exact_share(case):
    loss, rows, staff = case
    parts, _ = compute_allocation(loss, rows, staff)
    exact = []
    for row in rows:
        members = [m for m in staff if (row.kind is PERSON and m.name == row.person)] or [
            m for m in staff if m.unit == row.unit or (row.kind is DEPT and m.department == row.department)
        ]
        points = sum(m.basis_points for m in members)
        exact += [loss * row.share * (1 if row.kind is PERSON else m.basis_points / points) for m in members]
    # half a cent from rounding, plus at most one cent of the remainder (E7)
    assert all(abs(p.amount - e) <= D("0.015") for p, e in zip(parts, exact, strict=True))
