"""The GM office's month (issue 7 items 5, 6): deductions by responsibility and basis points,
the capped ledger, the statistics, the HR list and the inquiries (C12, C18–C20, P4, E3–E7)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaint_kit.domain.allocation import DeductionKind, Responsibility, ResponsibilityKind, Sanction, StaffMember
from complaint_kit.domain.ledger import LedgerRow, Month
from complaint_kit.domain.month import (
    ClosedCase,
    StageTiming,
    check_month_timing,
    compute_month_result,
    ledger_carry_in,
    statistics_due,
)

OCT = Month(2026, 10)
STAFF = [
    StaffMember("刘洋", "制造部", "电镀二组", D(4), D(2400)),
    StaffMember("王五", "制造部", "电镀二组", D(2), D(1600)),
    StaffMember("李强", "业务部", "", D(3), D(2200)),
    StaffMember("钱七", "制造部", "电镀一组", D(2), D(1000)),
]
UNIT = Responsibility(ResponsibilityKind.UNIT, D("0.7"), "制造部", "电镀二组", cause="品质")
PERSON = Responsibility(
    ResponsibilityKind.PERSON, D("0.3"), "业务部", person="李强", sanction=Sanction.WARNING, cause="10"
)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def case(no="261001", *, loss="1000", rows=(UNIT, PERSON), handling="退货", closed="2026-10-20 10:00", **kw):
    stages = kw.pop(
        "stages",
        (
            StageTiming("品管分析", "质量管理部", at("2026-10-10 17:30"), at("2026-10-10 16:00")),
            StageTiming("制造对策", "制造部", at("2026-10-13 17:30"), at("2026-10-14 10:30"), 150),
        ),
    )
    return ClosedCase(
        no,
        kw.pop("customer", "华星光电"),
        kw.pop("market", "国内"),
        at(closed),
        kw.pop("due", at("2026-10-23 17:30")),
        handling,
        D(loss),
        tuple(rows),
        stages,
    )


def run(cases, carried=None, staff=STAFF):
    return compute_month_result(OCT, cases, staff=staff, carried_in=carried or {})


def test_a_worked_month_splits_the_loss_by_shares_and_basis_points_and_charges_the_warning():
    result, problems = run([case()])
    assert problems == []
    money = sorted((d.name, d.kind, d.amount) for d in result.deductions)
    assert money == [
        ("刘洋", DeductionKind.LOSS, D("466.67")),  # 700 × 4/6
        ("李强", DeductionKind.SANCTION, D("400.00")),  # P4 警告
        ("李强", DeductionKind.LOSS, D("300.00")),
        ("王五", DeductionKind.LOSS, D("233.33")),  # 700 × 2/6
    ]
    ledger = {r.name: (r.new, r.paid, r.carried_out) for r in result.ledger}
    assert ledger == {
        "刘洋": (D("466.67"), D("466.67"), D(0)),
        "王五": (D("233.33"), D("233.33"), D(0)),
        "李强": (D("700.00"), D("700.00"), D(0)),  # cap 1,100
    }
    assert [(s.name, s.reason) for s in result.sanctions] == [("李强", "警告（原因 10）")]
    assert [(i.department, i.case_no, i.stage, i.late_hours) for i in result.inquiries] == [
        ("制造部", "261001", "制造对策", D("2.50"))
    ]
    assert result.by_department() == {
        "业务部": [r for r in result.ledger if r.name == "李强"],
        "制造部": [r for r in result.ledger if r.department == "制造部"],
    }


def test_the_cap_carries_the_rest_into_next_month_e4():
    result, _ = run([case(loss="10000", rows=(Responsibility(ResponsibilityKind.PERSON, D(1), person="钱七"),))])
    (row,) = result.ledger
    assert (row.new, row.paid, row.carried_out) == (D("10000.00"), D("500.00"), D("9500.00"))


def test_a_minor_demerit_costs_800_per_base_and_a_major_one_the_whole_bonus_p4():
    rows = (
        Responsibility(ResponsibilityKind.PERSON, D("0.5"), person="钱七", sanction=Sanction.MINOR, sanction_base=D(2)),
        Responsibility(ResponsibilityKind.PERSON, D("0.5"), person="王五", sanction=Sanction.MAJOR),
    )
    result, _ = run([case(loss="0", rows=rows)])
    assert sorted((s.name, s.amount) for s in result.sanctions) == [("王五", D("1600.00")), ("钱七", D("1600.00"))]


def test_an_invalid_complaint_costs_nothing_and_counts_as_no_responsibility_c16():
    result, problems = run([case(handling="不成立", loss="0", rows=())])
    assert problems == [] and result.deductions == () and result.ledger == ()
    causes = next(t for t in result.statistics if t.caption.startswith("四"))
    assert causes.rows[0][0] == "不成立（无责任）"


def test_a_closed_case_without_a_decision_is_a_warning_and_costs_nothing():
    result, problems = run([case("261002", handling="", rows=()), case()])
    assert [p.code for p in problems] == ["W-MONTH-NO-DECISION"] and "261002" in problems[0].zh
    assert {d.case for d in result.deductions} == {"261001"}


def test_a_person_who_left_the_roster_stops_the_month_naming_the_case():
    result, problems = run([case()], staff=[m for m in STAFF if m.name != "李强"])
    assert result is None and [p.code for p in problems] == ["E-MONTH-CASE"]
    assert "261001" in problems[0].zh and "李强" in problems[0].zh


def test_a_negative_carry_in_is_refused():
    result, problems = run([case()], carried={"李强": D(-1)})
    assert result is None and [p.code for p in problems] == ["E-MONEY-NEGATIVE"]


def test_statistics_count_by_department_unit_cause_customer_market_and_timeliness():
    cases = [
        case(),
        case(
            "261002",
            customer="Flex Ltd.",
            market="国外",
            rows=(UNIT.__class__(ResponsibilityKind.DEPARTMENT, D(1), "制造部"),),
        ),
        case("261003", closed="2026-10-30 10:00", due=at("2026-10-28 17:30"), stages=()),
    ]
    result, _ = run(cases)
    tables = {t.caption.split("、")[0]: t for t in result.statistics}
    overview = dict(tables["一"].rows)
    assert overview["结案件数"] == 3 and overview["逾期结案"] == 1 and overview["结案及时率"] == D("0.6667")
    assert overview["其中国外"] == 1 and overview["损失金额合计"] == D("3000")
    assert tables["二"].rows[0][:2] == ["制造部", 3] and tables["二"].rows[-1] == ["合计", 5, None, D("3000.00")]
    assert tables["二"].multi and tables["二"].chart == "bar"
    assert ["制造部 电镀二组", 2, D("0.6667")] in tables["三"].rows
    assert tables["四"].chart == "pie" and ["品质", 2, D("0.6667")] in tables["四"].rows
    assert tables["五"].rows[0][:2] == ["华星光电", 2] and tables["五"].rows[-1][2] == D(1)
    assert tables["六"].rows == [["国内", 2, D("0.6667")], ["国外", 1, D("0.3333")], ["合计", 3, D(1)]]
    assert tables["八"].rows == [
        ["品管分析", 2, 2, 0, D(1)],
        ["制造对策", 2, 0, 2, D(0)],
        ["合计", 4, 2, 2, D("0.5")],
    ]
    assert tables["九"].rows[0] == ["质量管理部", 2, 2, 0, D(1)]


def test_an_empty_month_has_empty_statistics_not_errors():
    result, problems = run([])
    assert problems == [] and result.ledger == ()
    overview = dict(result.statistics[0].rows)
    assert overview["结案件数"] == 0 and overview["结案及时率"] == 0


def test_statistics_are_due_on_the_tenth_and_late_after_it_c19():
    assert statistics_due(Month(2026, 12)) == date(2027, 1, 10)
    assert check_month_timing(OCT, at("2026-11-10 23:59")) == []
    assert [p.code for p in check_month_timing(OCT, at("2026-11-11 08:00"))] == ["W-MONTH-LATE"]
    assert [p.code for p in check_month_timing(OCT, at("2026-10-31 23:00"))] == ["E-MONTH-NOT-OVER"]


def _row(month, name, carried_out, new="0"):
    return LedgerRow(month, name, "制造部", D(new), D(0), D(new), D(new) - D(carried_out), D(carried_out))


def test_the_carry_comes_from_each_persons_latest_month_before():
    rows = [_row("2026-08", "刘洋", "50", "100"), _row("2026-09", "刘洋", "20", "20"), _row("2026-10", "刘洋", "5")]
    assert ledger_carry_in(rows, OCT) == ({"刘洋": D(20)}, [])


def test_a_carry_left_before_a_month_never_run_is_an_error_naming_it():
    carry, problems = ledger_carry_in([_row("2026-08", "刘洋", "50", "100"), _row("2026-08", "王五", "0", "9")], OCT)
    assert carry == {} and [p.code for p in problems] == ["E-LEDGER-GAP"] and "2026-09" in problems[0].zh


amounts = st.decimals(min_value=0, max_value=50_000, places=2)
shares = st.lists(st.integers(min_value=1, max_value=100), min_size=1, max_size=4)


@given(loss=amounts, weights=shares)
def test_every_deduction_adds_up_to_the_loss_and_none_is_negative(loss, weights):
    total = sum(weights)
    fractions = [D(w) / D(total) for w in weights]
    fractions[-1] = D(1) - sum(fractions[:-1])  # exactly 100 %
    people = [StaffMember(f"p{i}", "制造部", f"u{i}", D(1 + i), D(2000)) for i in range(len(weights))]
    rows = tuple(Responsibility(ResponsibilityKind.PERSON, f, person=f"p{i}") for i, f in enumerate(fractions))
    result, problems = compute_month_result(OCT, [case(loss=str(loss), rows=rows)], staff=people, carried_in={})
    if any(f < 0 for f in fractions):
        return
    assert problems == []
    parts = [d.amount for d in result.deductions]
    assert sum(parts) == loss.quantize(D("0.01")) and all(p >= 0 for p in parts)
    for row in result.ledger:
        assert row.paid <= D(1000) and row.paid + row.carried_out == row.due


@given(loss=amounts)
def test_running_a_month_twice_gives_the_same_result(loss):
    first = run([case(loss=str(loss))])
    assert run([case(loss=str(loss))]) == first


@pytest.mark.parametrize("closed", ["2026-10-23 17:30", "2026-10-23 17:31"])
def test_a_case_closed_at_its_deadline_is_on_time_and_a_minute_later_is_not(closed):
    result, _ = run([case(closed=closed)])
    assert dict(result.statistics[0].rows)["按时结案"] == (1 if closed.endswith("30") else 0)


def test_a_unit_or_person_named_without_department_is_counted_in_the_rosters_department():
    rows = (
        Responsibility(ResponsibilityKind.UNIT, D("0.5"), unit="电镀一组"),
        Responsibility(ResponsibilityKind.PERSON, D("0.5"), person="李强"),
    )
    result, problems = run([case(rows=rows)])
    assert problems == []
    departments = next(t for t in result.statistics if t.caption.startswith("二"))
    assert {r[0] for r in departments.rows} == {"制造部", "业务部", "合计"}
