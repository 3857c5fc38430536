"""The complaint lifecycle through the actions, on in-memory copies of the templates."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from complaint_kit import layout as L
from complaint_kit.actions.forms import accept_form, complete_stage, new_form, reopen_form, validate_form
from complaint_kit.actions.records import read_form, register_records
from complaint_kit.actions.register import refresh_register
from complaint_kit.domain.rules import Stage
from complaint_kit.ports import Changes, TableData
from tests.conftest import KEY, memory_from_template


def dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


INTAKE = {
    "Customer": "华星光电",
    "Market": "国内",
    "SalesRep": "李强",
    "ReportedAt": dt("2026-11-23 09:00"),
    "OrderNo": "SO1",
    "PartNo": "PCB-1",
    "ShipDate": dt("2026-11-01"),
    "ShipQty": 1000,
    "DefectQty": 20,
    "CustomerRequest": "退货",
    "RequestQty": 20,
    "Description": '=HYPERLINK("http://x")',
}
SECTIONS = {
    Stage.QUALITY: {"QualityCause": "电镀", "ResponsibleUnit": "制造部", "RnDNeeded": "否"},
    Stage.MANUFACTURING: {
        "MfgCause": "电流",
        "MfgCountermeasure": "改善",
        "ProductionUnit": "二组",
        "MachineShift": "夜班",
        "Operators": "王五",
        "ProductionDate": dt("2026-10-20"),
    },
    Stage.RND: {"RnDOpinion": "无"},
    Stage.NEGOTIATION: {"NegotiationResult": "折让"},
    Stage.CONSOLIDATION: {"GMOpinion": "同意", "Handling": "不成立"},
    Stage.APPROVAL: {"ApprovalOpinion": "同意"},
}


def filled(form, **over):
    """A form as Sales filled it: a valid prefill, then whatever the test types over it (new-form
    refuses what validate would, so invalid values are typed into the cells afterwards)."""
    outcome = new_form(form, values=INTAKE, now=dt("2026-11-23 09:05"))
    assert outcome.ok
    if over:
        form.apply(Changes(names=over))
    return form


def accept(form, register, at="2026-11-23 11:30"):
    outcome = accept_form(form, register, now=dt(at), user="王静", key=KEY, received_at=dt(at) - timedelta(minutes=30))
    assert outcome.ok, [p.render() for p in outcome.problems]
    return outcome


def test_new_form_prefills_and_refuses_computed_fields(form):
    assert new_form(form, values={"CaseNo": "261101"}, now=dt("2026-11-23 09:00")).errors[0].code == "E-COMPUTED-FIELD"
    assert form.applied == []
    filled(form)
    assert form.names["Customer"] == "华星光电" and form.names["Status"] == "草稿"


def test_validate_lists_every_problem_with_its_cell_and_writes_nothing(form):
    filled(form, Customer="", DefectQty=5000)
    before = len(form.applied)
    outcome = validate_form(form, now=dt("2026-11-23 10:00"))
    assert not outcome.ok
    assert {p.field for p in outcome.errors} == {"customer", "defect_qty"}
    assert all((p.where and "Customer" in p.where) or "DefectQty" in p.where for p in outcome.errors)
    assert len(form.applied) == before


def test_accept_numbers_the_case_computes_deadlines_and_logs_it(form, register):  # C3, C6, C17
    filled(form)
    outcome = accept(form, register)
    assert outcome.data["case_no"] == "261101"
    n = form.names
    assert (n["CaseNo"], n["Status"], n["AcceptedBy"]) == ("261101", "处理中", "王静")
    assert n["IntakeDueAt"] == dt("2026-11-23 14:00") and n["IntakeDoneAt"] == dt("2026-11-23 11:00")
    assert n["QualityStartAt"] == dt("2026-11-23 11:30") and n["QualityDueAt"] == dt("2026-11-24 11:30")
    assert n["CaseDueAt"] == dt("2026-12-07 17:30")
    assert n[L.META_SETTINGS]  # the form carries the rules it was accepted under
    assert {"Customer", "ShipQty", "Description"} <= form.locked  # intake is locked
    rows = register_records(register.tables[L.REGISTER_TABLE])
    assert len(rows) == 1 and rows[0]["case_no"] == "261101" and rows[0]["holder"] == "质量管理部"
    assert rows[0]["description"] == INTAKE["Description"]  # customer text stays text
    assert register.tables[L.SERIALS_TABLE].rows == [["2611", 1]]
    assert register.tables[L.JOURNAL_TABLE].rows[-1][2] == "受理"


def test_a_form_cannot_be_accepted_twice(form, register):
    filled(form)
    accept(form, register)
    again = accept_form(form, register, now=dt("2026-11-23 12:00"), user="王静", key=KEY)
    assert [p.code for p in again.errors] == ["E-ALREADY-ACCEPTED"]


def test_an_invalid_form_is_not_accepted_and_nothing_is_written(form, register):
    filled(form, Market="火星")
    outcome = accept_form(form, register, now=dt("2026-11-23 11:30"), user="王静", key=KEY)
    assert [p.field for p in outcome.errors] == ["market"]
    assert register.applied == [] and len(form.applied) == 2  # only the prefill and the typing


def test_serials_are_never_reused_after_a_row_is_deleted(register):  # C3
    for _ in range(2):
        accept(filled(memory_from_template(L.FORM_FILE)), register)
    table = register.tables[L.REGISTER_TABLE]
    register.tables[L.REGISTER_TABLE] = TableData(table.headers, table.rows[:1])  # someone deletes 261102
    third = accept(filled(memory_from_template(L.FORM_FILE)), register)
    assert third.data["case_no"] == "261103"


def test_exhausted_serials_name_the_setting_to_widen(form, register):  # C3
    register.tables[L.SERIALS_TABLE] = TableData(L.SERIALS_HEADERS, [["2611", 99]])
    outcome = accept_form(filled(form), register, now=dt("2026-11-23 11:30"), user="王静", key=KEY)
    assert [p.code for p in outcome.errors] == ["E-SERIALS-EXHAUSTED"]
    assert "case_no_serial_width" in outcome.errors[0].en and outcome.errors[0].where


def test_an_invalid_setting_blocks_acceptance_and_points_at_its_cell(form, register):
    table = register.tables[L.SETTINGS_TABLE]
    rows = [list(r) for r in table.rows]
    rows[0][2] = "8点到12点"  # work_hours
    register.tables[L.SETTINGS_TABLE] = TableData(table.headers, rows)
    outcome = accept_form(filled(form), register, now=dt("2026-11-23 11:30"), user="王静", key=KEY)
    assert [p.code for p in outcome.errors] == ["E-SETTING-INVALID"]
    assert outcome.errors[0].where == "Settings[值]#1"
    assert register.applied == []


def test_settings_overrides_change_the_deadlines(form, register):
    table = register.tables[L.SETTINGS_TABLE]
    rows = [list(r) for r in table.rows]
    keys = [r[0] for r in rows]
    rows[keys.index("quality_days")][2] = 2
    register.tables[L.SETTINGS_TABLE] = TableData(table.headers, rows)
    accept(filled(form), register)
    assert form.names["QualityDueAt"] == dt("2026-11-25 11:30")


def run_through(form, register, stages_at):
    for stage, at in stages_at:
        form.names.update(SECTIONS[stage])
        outcome = complete_stage(form, stage=stage, by="经办", now=dt(at), register=register, user="王静", key=KEY)
        assert outcome.ok, [p.render() for p in outcome.problems]
    return form


FULL = [
    (Stage.QUALITY, "2026-11-24 10:00"),
    (Stage.MANUFACTURING, "2026-11-24 16:00"),
    (Stage.NEGOTIATION, "2026-11-30 10:00"),
    (Stage.CONSOLIDATION, "2026-11-30 14:00"),
    (Stage.APPROVAL, "2026-12-01 09:00"),
]


def test_a_case_runs_through_every_stage_to_closing(form, register):  # C6
    accept(filled(form), register)
    run_through(form, register, FULL)
    n = form.names
    assert n["Status"] == "已结案" and n["ApprovalDoneAt"] == dt("2026-12-01 09:00")
    assert n["RnDBy"] == "不需要" and n["RnDStartAt"] is None  # Quality said R&D is not needed
    assert n["NegotiationDueAt"] == dt("2026-12-01 16:00")
    assert {"QualityCause", "MfgCause", "GMOpinion"} <= form.locked
    row = register_records(register.tables[L.REGISTER_TABLE])[0]
    assert (row["status"], row["timeliness"], row["closed_at"]) == ("已结案", "按时完成", dt("2026-12-01 09:00"))
    log = form.tables[L.FORM_LOG_TABLE].rows
    assert [r[2] for r in log] == ["新建表单", "受理登记"] + ["完成"] * 5


def test_completing_needs_the_section_filled_and_writes_nothing_otherwise(form, register):  # C7
    accept(filled(form), register)
    before = (len(form.applied), len(register.applied))
    outcome = complete_stage(
        form, stage=Stage.QUALITY, by="张敏", now=dt("2026-11-24 10:00"), register=register, key=KEY
    )
    assert {p.field for p in outcome.errors} == {"quality_cause", "responsible_unit", "rnd_needed"}
    assert (len(form.applied), len(register.applied)) == before


def test_completing_another_departments_stage_is_refused(form, register):
    accept(filled(form), register)
    form.names.update(SECTIONS[Stage.NEGOTIATION])
    outcome = complete_stage(form, stage=Stage.NEGOTIATION, by="李强", now=dt("2026-11-24 10:00"))
    assert [p.code for p in outcome.errors] == ["E-WRONG-STAGE"]


def test_a_form_not_yet_accepted_cannot_complete_a_stage(form):
    filled(form)
    outcome = complete_stage(form, stage=Stage.QUALITY, by="张敏", now=dt("2026-11-24 10:00"))
    assert [p.code for p in outcome.errors] == ["E-NOT-ACCEPTED"]


def test_a_department_completes_without_the_register_using_the_forms_snapshot(form, register):
    accept(filled(form), register)
    form.names.update(SECTIONS[Stage.QUALITY])
    assert complete_stage(form, stage=Stage.QUALITY, by="张敏", now=dt("2026-11-24 10:00")).ok
    assert form.names["ManufacturingDueAt"] == dt("2026-11-25 10:00")


def test_reopen_creates_a_linked_form_which_gets_its_own_number(form, register):  # C11
    accept(filled(form), register)
    run_through(form, register, FULL)
    new = memory_from_template(L.FORM_FILE)
    outcome = reopen_form(form, new, now=dt("2026-12-03 09:00"))
    assert outcome.ok and new.names["OriginalCaseNo"] == "261101" and new.names["CaseNo"] is None
    assert new.names["Customer"] == "华星光电" and "261101" in new.names["Description"]
    accepted = accept_form(new, register, now=dt("2026-12-03 10:00"), user="王静", key=KEY)
    assert accepted.ok and accepted.data["case_no"] == "261201"
    rows = register_records(register.tables[L.REGISTER_TABLE])
    assert rows[-1]["original_case_no"] == "261101"


def test_reopen_refuses_an_open_case(form, register):
    accept(filled(form), register)
    outcome = reopen_form(form, memory_from_template(L.FORM_FILE), now=dt("2026-11-24 09:00"))
    assert [p.code for p in outcome.errors] == ["E-NOT-CLOSED"]


def test_refresh_flags_overdue_cases_and_writes_reminders_per_holding_department(register):  # C18
    a = accept(filled(memory_from_template(L.FORM_FILE)), register)  # quality due 24 Nov 11:30
    b_form = filled(memory_from_template(L.FORM_FILE), Customer="Bosch", Market="国外")
    accept(b_form, register, at="2026-11-23 11:40")
    run_through(b_form, register, [(Stage.QUALITY, "2026-11-23 15:00")])  # manufacturing due 24 Nov 15:00
    outcome = refresh_register(register, now=dt("2026-11-24 16:00"), user="王静", key=KEY)
    assert outcome.ok
    rows = {r["case_no"]: r for r in register_records(register.tables[L.REGISTER_TABLE])}
    assert rows[a.data["case_no"]]["timeliness"] == "逾期" and rows[a.data["case_no"]]["overdue_hours"] == 3.5
    assert rows["261102"]["holder"] == "制造部" and rows["261102"]["overdue_hours"] == 1.0
    assert outcome.data["reminders"] == {"质量管理部": 1, "制造部": 1}
    sheet = register.sheets[L.REMINDER_SHEET]
    flat = [str(c) for row in sheet.rows for c in row]
    assert any("致：制造部" in c for c in flat) and any("致：质量管理部" in c for c in flat)


def test_refresh_on_time_and_due_soon(register):
    accept(filled(memory_from_template(L.FORM_FILE)), register)
    refresh_register(register, now=dt("2026-11-23 14:00"), user="x", key=KEY)
    assert register_records(register.tables[L.REGISTER_TABLE])[0]["timeliness"] == "正常"
    refresh_register(register, now=dt("2026-11-24 09:00"), user="x", key=KEY)
    assert register_records(register.tables[L.REGISTER_TABLE])[0]["timeliness"] == "即将到期"
    assert register.sheets[L.REMINDER_SHEET].rows[2] == ["目前没有逾期未结的案件。"]


def test_a_deadline_in_2027_warns_to_fill_the_calendar(register):  # T1
    form = filled(memory_from_template(L.FORM_FILE), ReportedAt=dt("2026-12-28 09:00"))
    outcome = accept(form, register, at="2026-12-28 11:30")
    warnings = [p for p in outcome.warnings if p.code == "W-NO-HOLIDAY-DATA"]
    assert len(warnings) == 1 and "2027" in warnings[0].zh and L.CALENDAR_SHEET in warnings[0].zh


def test_a_confirmed_2027_calendar_silences_the_warning(register):
    table = register.tables[L.SETTINGS_TABLE]
    rows = [list(r) for r in table.rows]
    rows[[r[0] for r in rows].index("confirmed_holiday_years")][2] = "2027"
    register.tables[L.SETTINGS_TABLE] = TableData(table.headers, rows)
    register.tables[L.CALENDAR_TABLE] = TableData(L.CALENDAR_HEADERS, [[dt("2027-01-01"), "休息日", "元旦"]])
    form = filled(memory_from_template(L.FORM_FILE), ReportedAt=dt("2026-12-28 09:00"))
    outcome = accept(form, register, at="2026-12-28 11:30")
    assert outcome.warnings == []


def test_a_bad_calendar_row_points_at_its_cell(register, form):
    register.tables[L.CALENDAR_TABLE] = TableData(L.CALENDAR_HEADERS, [["明天", "放假", ""]])
    outcome = accept_form(filled(form), register, now=dt("2026-11-23 11:30"), user="王静", key=KEY)
    assert {p.where for p in outcome.errors} == {"Calendar[日期]#1", "Calendar[类型]#1"}


@pytest.mark.parametrize(
    ("stage", "next_stage", "next_due"),
    [  # C6: the next stage starts when this one is done; R&D is skipped (Quality said 否)
        (Stage.QUALITY, Stage.MANUFACTURING, dt("2026-11-25 10:00")),
        (Stage.MANUFACTURING, Stage.NEGOTIATION, dt("2026-12-01 16:00")),
    ],
)
def test_read_form_round_trips_the_routing_after_each_stage(form, register, stage, next_stage, next_due):
    accept(filled(form), register)
    steps = FULL[: [s for s, _ in FULL].index(stage) + 1]
    run_through(form, register, steps)
    done_at = dt(steps[-1][1])
    raw = read_form(form)
    assert raw["case_no"] == "261101" and raw["quality_due_at"] == dt("2026-11-24 11:30")
    assert (raw[f"{stage.value}_done_at"], raw[f"{stage.value}_by"]) == (done_at, "经办")
    assert (raw[f"{next_stage.value}_start_at"], raw[f"{next_stage.value}_due_at"]) == (done_at, next_due)
    assert raw[f"{next_stage.value}_done_at"] is None


def test_prefilled_text_is_stored_in_the_fields_kind(form):
    outcome = new_form(
        form,
        values={"ShipDate": "2026-11-10", "ShipQty": "2,000", "ReportedAt": "2026/11/25 09:00"},
        now=dt("2026-11-25 09:10"),
    )
    assert outcome.ok
    assert form.names["ShipDate"] == dt("2026-11-10").date() and form.names["ShipQty"] == 2000
    assert form.names["ReportedAt"] == dt("2026-11-25 09:00")


def test_prefilling_nonsense_is_refused_with_the_cell(form):
    outcome = new_form(form, values={"ShipQty": "很多", "Nope": 1}, now=dt("2026-11-25 09:10"))
    assert {p.code for p in outcome.errors} == {"E-NOT-INTEGER", "E-UNKNOWN-FIELD"}
    assert form.applied == []


def test_an_unknown_original_case_is_a_warning_not_an_error(form, register):
    form.names["OriginalCaseNo"] = "259901"
    outcome = accept(filled(form), register)
    assert [p.code for p in outcome.warnings] == ["W-ORIGINAL-UNKNOWN"]


def test_completing_without_naming_the_stage_completes_the_open_one(form, register):
    accept(filled(form), register)
    form.names.update(SECTIONS[Stage.QUALITY])
    outcome = complete_stage(form, stage=None, by="张敏", now=dt("2026-11-24 10:00"))
    assert outcome.ok and form.names["QualityDoneAt"] == dt("2026-11-24 10:00")
    run_through(form, register, FULL[1:])
    closed = complete_stage(form, stage=None, by="张敏", now=dt("2026-12-02 10:00"))
    assert [p.code for p in closed.errors] == ["E-CLOSED"]
