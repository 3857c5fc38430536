"""The deduction ledger (issue 7 item 5): at most 50 % of a month's efficiency bonus is deducted,
the rest carries into the next months, each capped the same way, until paid (E4)."""

from dataclasses import fields
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaint_kit.domain.allocation import MoneyRules
from complaint_kit.domain.ledger import (
    LedgerRow,
    Month,
    MonthInput,
    carried_forward,
    compute_month,
    compute_months,
    monthly_cap,
)

OCT = Month(2026, 10)
DEPTS = {"张三": "制造部", "王芳": "业务部", "李四": "制造部"}


def month(new=None, carried=None, bonuses=None, rules=None, when=OCT):
    return compute_month(
        when,
        carried_in={k: D(v) for k, v in (carried or {}).items()},
        new_deductions={k: D(v) for k, v in (new or {}).items()},
        bonuses={k: D(v) for k, v in (bonuses or {}).items()},
        departments=DEPTS,
        rules=rules,
    )


def cells(rows):
    return [(r.month, r.name, r.new, r.carried_in, r.due, r.paid, r.carried_out) for r in rows]


def test_a_carry_over_spanning_three_months_is_paid_at_half_a_bonus_a_month_e4():
    months = [
        MonthInput({"张三": D(1500)}, {"张三": D(1000)}),
        MonthInput({}, {"张三": D(1000)}),
        MonthInput({}, {"张三": D(1000)}),
    ]
    rows, problems = compute_months(OCT, months, departments=DEPTS)
    assert problems == []
    assert cells(rows) == [
        ("2026-10", "张三", D(1500), D(0), D(1500), D(500), D(1000)),
        ("2026-11", "张三", D(0), D(1000), D(1000), D(500), D(500)),
        ("2026-12", "张三", D(0), D(500), D(500), D(500), D(0)),
    ]


def test_a_carry_over_into_a_new_year_names_the_month():
    months = [MonthInput({"王芳": D(800)}, {"王芳": D(1000)}), MonthInput({}, {"王芳": D(1000)})]
    rows, _ = compute_months(Month(2026, 12), months, departments=DEPTS)
    assert [(r.month, r.paid) for r in rows] == [("2026-12", D(500)), ("2027-01", D(300))]


def test_new_deductions_add_to_what_was_carried_in_e4():
    rows, _ = month(new={"张三": "300"}, carried={"张三": "400"}, bonuses={"张三": "1000"})
    assert cells(rows) == [("2026-10", "张三", D(300), D(400), D(700), D(500), D(200))]


CAP = {
    "the_cap_exactly_reached_pays_all_and_carries_nothing": ("500.00", "1000", "500.00", "0.00"),
    "one_cent_over_the_cap_carries_one_cent": ("500.01", "1000", "500.00", "0.01"),
    "under_the_cap_pays_all": ("499.99", "1000", "499.99", "0.00"),
    "the_cap_is_rounded_down_so_it_is_never_exceeded": ("600", "1000.01", "500.00", "100.00"),
    "a_zero_bonus_allows_nothing": ("600", "0", "0.00", "600.00"),
}


@pytest.mark.parametrize(("due", "bonus", "paid", "carried"), CAP.values(), ids=CAP.keys())
def test_the_monthly_cap_e4(due, bonus, paid, carried):
    (row,), problems = month(new={"张三": due}, bonuses={"张三": bonus})
    assert problems == []
    assert (row.paid, row.carried_out) == (D(paid), D(carried))


def test_the_cap_ratio_is_a_setting_e4():
    (row,), _ = month(new={"张三": "900"}, bonuses={"张三": "1000"}, rules=MoneyRules(monthly_cap_ratio=D("0.3")))
    assert (row.paid, row.carried_out) == (D(300), D(600))
    assert monthly_cap(D("1000"), MoneyRules()) == D("500.00")


def test_someone_without_a_bonus_this_month_pays_nothing_and_is_warned_e4():
    (row,), problems = month(new={"王芳": "200"})
    assert (row.paid, row.carried_out) == (D(0), D(200))
    assert [(p.code, p.is_error) for p in problems] == [("W-LEDGER-NO-BONUS", False)]
    assert problems[0].zh == "2026-10 王芳 没有当月效率奖金，本月不扣款，应扣 200.00 全部结转下月"


def test_only_people_with_something_due_get_a_row_ordered_by_department_and_name():
    rows, _ = month(
        new={"王芳": "10", "张三": "10", "李四": "0"},
        carried={"赵五": "5"},
        bonuses={"王芳": "1000", "张三": "1000", "李四": "1000", "赵五": "100"},
    )
    assert [(r.department, r.name) for r in rows] == [("", "赵五"), ("业务部", "王芳"), ("制造部", "张三")]


def test_amounts_are_kept_in_cents_e7():
    (row,), _ = month(new={"张三": "10.005"}, bonuses={"张三": "1000"})
    assert (row.new, row.paid) == (D("10.01"), D("10.01"))


@pytest.mark.parametrize(
    ("new", "carried", "bonuses"),
    [({"张三": "-1"}, {}, {}), ({}, {"张三": "-0.01"}, {}), ({"张三": "1"}, {}, {"张三": "-1000"})],
    ids=["new", "carried", "bonus"],
)
def test_a_negative_amount_is_refused_and_no_row_is_made_e7(new, carried, bonuses):
    rows, problems = month(new=new, carried=carried, bonuses=bonuses)
    assert rows == []
    assert [p.code for p in problems] == ["E-MONEY-NEGATIVE"]


def test_a_run_of_months_stops_at_a_month_in_error():
    months = [
        MonthInput({"张三": D(800)}, {"张三": D(1000)}),
        MonthInput({"张三": D(-1)}, {"张三": D(1000)}),
        MonthInput({}, {"张三": D(1000)}),
    ]
    rows, problems = compute_months(OCT, months, departments=DEPTS)
    assert [r.month for r in rows] == ["2026-10"]
    assert [p.code for p in problems] == ["E-MONEY-NEGATIVE"]


def test_a_run_of_months_starts_from_what_was_carried_in():
    rows, _ = compute_months(OCT, [MonthInput({}, {"张三": D(1000)})], departments=DEPTS, carried_in={"张三": D(50)})
    assert cells(rows) == [("2026-10", "张三", D(0), D(50), D(50), D(50), D(0))]


def test_next_months_carry_in_is_this_months_carry_out_that_is_not_zero():
    rows, _ = month(new={"张三": "700", "王芳": "100"}, bonuses={"张三": "1000", "王芳": "1000"})
    assert carried_forward(rows) == {"张三": D(200)}


def test_the_rows_have_the_columns_of_the_ledger_table_in_order():
    # 月份 姓名 部门 本月新增 上月结转 本月应扣 本月实扣 结转下月
    names = [f.name for f in fields(LedgerRow)]
    assert names == ["month", "name", "department", "new", "carried_in", "due", "paid", "carried_out"]
    (row,), _ = month(new={"张三": "700"}, bonuses={"张三": "1000"})
    assert row.values() == ("2026-10", "张三", "制造部", D(700), D(0), D(700), D(500), D(200))


@pytest.mark.parametrize(("text", "expected"), [("2026-10", Month(2026, 10)), (" 2027-01 ", Month(2027, 1))])
def test_a_month_is_written_year_dash_month(text, expected):
    assert Month.parse(text) == expected
    assert str(expected) == text.strip()


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "202610", "26-10", "1999-12"])
def test_a_month_that_is_not_one_is_refused(text):
    with pytest.raises(ValueError):
        Month.parse(text)


def test_months_follow_each_other_across_a_year():
    assert (Month(2026, 11).next(), Month(2026, 12).next()) == (Month(2026, 12), Month(2027, 1))
    assert Month(2026, 12) < Month(2027, 1)


# -- properties ----------------------------------------------------------------------------------

PEOPLE = ["张三", "王芳", "李四", "赵五"]
cents = st.integers(0, 10**7).map(lambda c: D(c) / 100)
amounts = st.dictionaries(st.sampled_from(PEOPLE), cents, max_size=4)
bonus_amounts = st.dictionaries(st.sampled_from(PEOPLE), cents, min_size=0, max_size=4)
ratios = st.integers(1, 100).map(lambda p: MoneyRules(monthly_cap_ratio=D(p) / 100))


@given(amounts, amounts, bonus_amounts, ratios)
def test_the_cap_is_never_exceeded_and_nothing_is_lost(new, carried, bonuses, rules):
    rows, _ = compute_month(
        OCT, carried_in=carried, new_deductions=new, bonuses=bonuses, departments=DEPTS, rules=rules
    )
    for row in rows:
        assert 0 <= row.paid <= bonuses.get(row.name, D(0)) * rules.monthly_cap_ratio
        assert row.paid <= row.due == row.new + row.carried_in
        assert row.carried_out == row.due - row.paid >= 0
    assert sum(r.due for r in rows) == sum(new.values(), D(0)) + sum(carried.values(), D(0))


@given(amounts, amounts, bonus_amounts, ratios)
def test_running_a_month_twice_gives_the_same_rows(new, carried, bonuses, rules):
    def run():
        return compute_month(
            OCT, carried_in=carried, new_deductions=new, bonuses=bonuses, departments=DEPTS, rules=rules
        )

    assert run() == run()


small_amounts = st.dictionaries(st.sampled_from(PEOPLE), st.integers(0, 10**5).map(lambda c: D(c) / 100), max_size=4)


@given(
    st.lists(small_amounts, min_size=1, max_size=4),
    st.dictionaries(
        st.sampled_from(PEOPLE), st.integers(10**4, 10**6).map(lambda c: D(c) / 100), min_size=4, max_size=4
    ),
    st.integers(10, 100).map(lambda p: MoneyRules(monthly_cap_ratio=D(p) / 100)),
)
def test_the_ledger_pays_everything_in_the_end_when_bonuses_continue(news, bonuses, rules):
    owed = {name: sum((n.get(name, D(0)) for n in news), D(0)) for name in PEOPLE}
    enough = len(news) + max(int(owed[name] / monthly_cap(bonuses[name], rules)) + 1 for name in PEOPLE)
    months = [MonthInput(n, bonuses) for n in news] + [MonthInput({}, bonuses)] * (enough - len(news))
    rows, problems = compute_months(OCT, months, departments=DEPTS, rules=rules)
    assert problems == []
    for name in PEOPLE:
        assert sum(r.paid for r in rows if r.name == name) == owed[name]
    last_month = [r for r in rows if r.month == rows[-1].month] if rows else []
    assert carried_forward(last_month) == {}


@pytest.mark.parametrize(("month", "before"), [(Month(2026, 1), Month(2025, 12)), (Month(2026, 10), Month(2026, 9))])
def test_the_month_before_crosses_a_new_year(month, before):
    assert month.previous() == before and before.next() == month


@pytest.mark.parametrize("typed", ["2026-10", "2026/10", "2026.10", "2026年10月", "２０２６－１０", " 2026-10 "])
def test_a_month_is_read_as_clerks_type_it(typed):
    assert Month.parse(typed) == Month(2026, 10)


@pytest.mark.parametrize("typed", ["2026-9", "2026年9月"])
def test_a_single_digit_month_is_read_too(typed):
    assert str(Month.parse(typed)) == "2026-09"


@pytest.mark.parametrize("typed", ["十月", "2026-13", "26-10", "2026-10-01", ""])
def test_anything_else_is_not_a_month(typed):
    with pytest.raises(ValueError):
        Month.parse(typed)
