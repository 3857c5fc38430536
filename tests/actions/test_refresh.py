"""Refreshing the register (C18) when the register itself is wrong: a bad setting or a malformed
row is named with its cell and nothing is written; rows without a number or not yet accepted are
left alone; a register that lost a column is refused by name."""

from __future__ import annotations

import pytest

from complaint_kit import layout as L
from complaint_kit.actions.records import register_records
from complaint_kit.actions.register import refresh_register
from complaint_kit.ports import TableData
from tests.actions.test_lifecycle import accept, dt, filled
from tests.conftest import KEY, memory_from_template

NOW = dt("2026-11-24 16:00")


def one_case(register):
    accept(filled(memory_from_template(L.FORM_FILE)), register)  # 261101, quality due 24 Nov 11:30
    return register


def set_cell(register, table_name, row, header, value):
    table = register.tables[table_name]
    rows = [list(r) for r in table.rows]
    rows[row][table.headers.index(header)] = value
    register.tables[table_name] = TableData(table.headers, rows)


def header(attr: str) -> str:
    return L.COLUMN_BY_ATTR[attr].header


def test_refresh_with_an_invalid_setting_writes_nothing_and_points_at_the_setting(register):  # T1, C18
    one_case(register)
    set_cell(register, L.SETTINGS_TABLE, 0, "值", "8点到12点")  # work_hours
    before = len(register.applied)
    outcome = refresh_register(register, now=NOW, user="王静", key=KEY)
    assert [(p.code, p.where) for p in outcome.errors] == [("E-SETTING-INVALID", "Settings[值]#1")]
    assert len(register.applied) == before


@pytest.mark.parametrize(
    ("attr", "value", "code"),
    [
        ("market", "火星", "E-NOT-IN-LIST"),  # C6.6: 国内 / 国外 decides the negotiation limit
        ("accepted_at", "昨天上午", "E-NOT-DATETIME"),
        ("quality_due_at", "明天", "E-NOT-DATETIME"),
        ("case_due_at", None, "E-REQUIRED"),  # C17: an accepted case always has its case deadline
    ],
)
def test_a_malformed_register_row_is_named_with_its_case_and_cell_and_nothing_is_written(register, attr, value, code):
    one_case(register)
    set_cell(register, L.REGISTER_TABLE, 0, header(attr), value)
    before = len(register.applied)
    outcome = refresh_register(register, now=NOW, user="王静", key=KEY)
    assert [(p.code, p.where) for p in outcome.errors] == [(code, f"Register[{header(attr)}]#1")]
    assert "261101" in outcome.errors[0].zh and "261101" in outcome.errors[0].en
    assert len(register.applied) == before


def test_a_row_without_a_case_number_is_left_as_it_is(register):  # C3: only numbered cases are tracked
    one_case(register)
    table = register.tables[L.REGISTER_TABLE]
    blank = [None] * len(table.headers)
    typed = list(blank)
    typed[table.headers.index(header("customer"))] = "手写的一行"
    register.tables[L.REGISTER_TABLE] = TableData(table.headers, [*table.rows, blank, typed])
    outcome = refresh_register(register, now=NOW, user="王静", key=KEY)
    assert outcome.ok and outcome.data["counts"] == {"处理中": 1, "overdue": 1}
    rows = register.tables[L.REGISTER_TABLE].rows
    assert rows[1:] == [blank, typed]
    assert register_records(register.tables[L.REGISTER_TABLE])[0]["timeliness"] == "逾期"


def test_a_numbered_row_not_yet_accepted_is_not_assessed(register):  # C17 runs from acceptance
    one_case(register)
    set_cell(register, L.REGISTER_TABLE, 0, header("accepted_at"), None)
    set_cell(register, L.REGISTER_TABLE, 0, header("timeliness"), None)
    outcome = refresh_register(register, now=NOW, user="王静", key=KEY)
    assert outcome.ok and outcome.data["counts"] == {} and outcome.data["reminders"] == {}
    assert register_records(register.tables[L.REGISTER_TABLE])[0]["timeliness"] is None


def test_a_register_that_lost_a_column_is_refused_naming_the_column(register):
    table = register.tables[L.REGISTER_TABLE]
    lost = header("case_due_at")
    keep = [i for i, h in enumerate(table.headers) if h != lost]
    damaged = TableData(tuple(table.headers[i] for i in keep), [])
    with pytest.raises(KeyError, match=lost):
        register_records(damaged)


def test_refresh_refuses_a_register_built_before_seals_like_every_register_write(register):  # issue 6
    del register.tables[L.SIGNATURES_TABLE]
    outcome = refresh_register(register, now=dt("2026-11-24 10:00"), user="王静", key=KEY)
    assert [p.code for p in outcome.errors] == ["E-REGISTER-OLD"]
    assert register.tables[L.JOURNAL_TABLE].rows == []


def test_refresh_refuses_another_offices_key_naming_both_keys(register):  # issue 6
    one_case(register)
    before = [list(r) for r in register.tables[L.JOURNAL_TABLE].rows]
    outcome = refresh_register(register, now=dt("2026-11-24 10:00"), user="王静", key=bytes(32))
    assert [p.code for p in outcome.errors] == ["E-WRONG-KEY"]
    assert register.tables[L.JOURNAL_TABLE].rows == before


def test_a_closed_case_keeps_what_it_was_judged_when_it_closed_unless_all(register):  # C18, issue 10
    """Refresh judges open cases; a closed row's 时效 and hours are left as they are, until
    ``closed=True`` (``refresh --all``) judges them again. A closed row without 时效 is judged."""
    one_case(register)
    set_cell(register, L.REGISTER_TABLE, 0, header("status"), "已结案")
    set_cell(register, L.REGISTER_TABLE, 0, header("timeliness"), "按时完成")
    outcome = refresh_register(register, now=NOW, user="王静", key=KEY)
    row = register_records(register.tables[L.REGISTER_TABLE])[0]
    assert outcome.ok and outcome.data["counts"] == {"已结案": 1}
    assert row["timeliness"] == "按时完成" and row["status"] == "已结案"  # as it was: not judged again
    outcome = refresh_register(register, now=NOW, user="王静", key=KEY, closed=True)
    row = register_records(register.tables[L.REGISTER_TABLE])[0]
    assert row["status"] == "处理中" and row["timeliness"] == "逾期"  # its stamps say open and overdue
    set_cell(register, L.REGISTER_TABLE, 0, header("status"), "已结案")
    set_cell(register, L.REGISTER_TABLE, 0, header("timeliness"), None)
    refresh_register(register, now=NOW, user="王静", key=KEY)
    assert register_records(register.tables[L.REGISTER_TABLE])[0]["timeliness"] == "逾期"  # no 时效 yet: judged


def test_the_seals_of_one_case_are_those_of_all_cases_for_it():  # issue 10: parsed for that case only
    from complaint_kit.actions.sealing import seal_row, seals_by_case, seals_of_case
    from complaint_kit.domain.seal import JOURNAL_HEAD_SCOPE, compute_seal

    at = dt("2026-11-24 10:00")
    seals = [
        compute_seal(KEY, scope=scope, case_no=case, at=at, by="王静", values={"A": case})
        for case, scope in [("261101", "受理"), ("261102", "受理"), ("261101", "品管分析"), ("", JOURNAL_HEAD_SCOPE)]
    ]
    rows = [seal_row(s, at) for s in seals] + [["261101", "受理", at, "王静", "not json", "", ""]]
    rows += [[" 261101 ", "受理", at, "王静", "{}", "", "x"], [261102, "受理", at, "王静", "{}", "", "y"]]
    table = TableData(L.SIGNATURES_HEADERS, rows)
    for case in ("261101", "261102", "", "261199"):
        assert seals_of_case(table, case) == seals_by_case(table).get(case, [])
    assert [i for i, _ in seals_of_case(table, "261101")] == [0, 2, 5]  # padded text: the same case
