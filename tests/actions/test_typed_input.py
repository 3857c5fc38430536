"""Text pasted into a form is read as values and written back as values (issue 8 item 1): the form
and the register hold numbers and date-times, so every formula in the register agrees with refresh."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from complaint_kit import layout as L
from complaint_kit.actions.forms import accept_form, complete_stage, new_form, validate_form
from complaint_kit.actions.records import register_records
from complaint_kit.domain.rules import Stage
from complaint_kit.ports import Changes
from tests.actions.test_lifecycle import INTAKE, SECTIONS, dt
from tests.conftest import KEY

PASTED = {
    "Customer": " 华星光电 ",
    "Market": " 国外 ",
    "ReportedAt": "2026年11月23日 9:00",
    "OrderNo": "ＳＯ－１",
    "ShipDate": "2026.11.1",
    "ShipQty": "1,000",
    "DefectQty": "２０",
    "RequestQty": "２０",
}


def _typed_form(form):
    assert new_form(form, values={**INTAKE, "Description": "划伤"}, now=dt("2026-11-23 09:05")).ok
    form.apply(Changes(names=PASTED))  # what a clerk pastes over the cells
    return form


def test_pasted_text_passes_validate_and_is_accepted_as_values(form, register):
    _typed_form(form)
    assert validate_form(form, now=dt("2026-11-23 10:00")).ok
    outcome = accept_form(form, register, now=dt("2026-11-23 11:30"), user="王静", key=KEY)
    assert outcome.ok, [p.render() for p in outcome.problems]
    n = form.names
    assert (n["Customer"], n["Market"], n["OrderNo"]) == ("华星光电", "国外", "SO-1")
    assert n["ReportedAt"] == datetime(2026, 11, 23, 9, 0) and n["ShipDate"] == date(2026, 11, 1)
    assert (n["ShipQty"], n["DefectQty"], n["RequestQty"]) == (1000, 20, 20)
    (row,) = register_records(register.tables[L.REGISTER_TABLE])
    assert (row["customer"], row["market"], row["defect_qty"]) == ("华星光电", "国外", 20)
    assert row["reported_at"] == datetime(2026, 11, 23, 9, 0)
    # the sealed values are the written ones: the form validates after acceptance as it is
    assert validate_form(form, now=dt("2026-11-23 12:00")).ok


def test_a_date_typed_without_its_time_is_refused_by_validate_and_accept(form, register):
    _typed_form(form)
    form.apply(Changes(names={"ReportedAt": "2026年11月23日"}))
    for outcome in (
        validate_form(form, now=dt("2026-11-23 10:00")),
        accept_form(form, register, now=dt("2026-11-23 11:30"), user="王静", key=KEY),
    ):
        assert [p.code for p in outcome.errors] == ["E-DATE-NO-TIME"]
    assert register.applied == []


def test_a_real_midnight_is_accepted_with_a_warning(form, register):
    _typed_form(form)
    form.apply(Changes(names={"ReportedAt": datetime(2026, 11, 23)}))
    outcome = accept_form(form, register, now=dt("2026-11-23 11:30"), user="王静", key=KEY)
    assert outcome.ok and [p.code for p in outcome.warnings] == ["W-MIDNIGHT"]


def test_a_completed_section_is_written_back_as_values(form, register):
    _typed_form(form)
    assert accept_form(form, register, now=dt("2026-11-23 11:30"), user="王静", key=KEY).ok
    form.apply(Changes(names={**SECTIONS[Stage.QUALITY], "RnDNeeded": " 否 ", "ResponsibleUnit": "制造部 "}))
    outcome = complete_stage(
        form, stage=Stage.QUALITY, by="张敏", now=dt("2026-11-24 10:00"), register=register, key=KEY
    )
    assert outcome.ok, [p.render() for p in outcome.problems]
    assert form.names["RnDNeeded"] == "否" and form.names["ResponsibleUnit"] == "制造部"
    (row,) = register_records(register.tables[L.REGISTER_TABLE])
    assert row["rnd_needed"] == "否"
    form.apply(Changes(names={**SECTIONS[Stage.MANUFACTURING], "ProductionDate": "2026年10月20日"}))
    assert complete_stage(form, stage=Stage.MANUFACTURING, by="赵六", now=dt("2026-11-24 15:00")).ok
    assert form.names["ProductionDate"] == date(2026, 10, 20)


def test_new_form_refuses_what_validate_refuses_and_types_what_it_accepts(form):
    bad = new_form(
        form, values={"Market": "火星", "DefectQty": "abc", "LossAmount": "二百"}, now=dt("2026-11-23 09:00")
    )
    assert sorted(p.code for p in bad.errors) == ["E-NOT-IN-LIST", "E-NOT-INTEGER", "E-NOT-NUMBER"]
    assert form.applied == []
    gt = new_form(form, values={"ShipQty": "10", "DefectQty": "20"}, now=dt("2026-11-23 09:00"))
    assert [p.code for p in gt.errors] == ["E-DEFECT-GT-SHIPPED"]
    ok = new_form(
        form,
        values={"Market": " 国外", "ShipQty": "１，０００", "ReportedAt": "2026/11/23 9:00", "LossAmount": "¥2,000"},
        now=dt("2026-11-23 09:00"),
    )
    assert ok.ok
    assert form.names["Market"] == "国外" and form.names["ShipQty"] == 1000
    assert form.names["ReportedAt"] == datetime(2026, 11, 23, 9) and form.names["LossAmount"] == Decimal(2000)


def test_the_same_customer_order_and_part_as_an_open_case_is_a_probable_duplicate(register):  # issue 8 item 5
    from tests.conftest import memory_from_template

    first = memory_from_template(L.FORM_FILE)
    assert new_form(first, values=INTAKE, now=dt("2026-11-23 09:05")).ok
    assert accept_form(first, register, now=dt("2026-11-23 11:30"), user="王静", key=KEY).data["case_no"] == "261101"
    second = memory_from_template(L.FORM_FILE)
    assert new_form(second, values=INTAKE, now=dt("2026-11-23 09:05")).ok
    second.apply(Changes(names={"Customer": " 华星光电", "OrderNo": "ｓｏ１"}))  # pasted, full-width, lower case
    checked = validate_form(second, now=dt("2026-11-23 12:00"), register=register)
    assert checked.ok and [p.code for p in checked.warnings] == ["W-PROBABLE-DUPLICATE"]
    assert "261101" in checked.warnings[0].zh and "疑似重复" in checked.warnings[0].zh
    assert validate_form(second, now=dt("2026-11-23 12:00")).warnings == []  # without the register: not known
    accepted = accept_form(second, register, now=dt("2026-11-23 13:30"), user="王静", key=KEY)
    assert accepted.ok and [p.code for p in accepted.warnings] == ["W-PROBABLE-DUPLICATE"]
    third = memory_from_template(L.FORM_FILE)
    assert new_form(third, values={**INTAKE, "PartNo": "PCB-2"}, now=dt("2026-11-23 09:05")).ok
    assert accept_form(third, register, now=dt("2026-11-23 14:30"), user="王静", key=KEY).warnings == []


def test_the_responsibility_rows_typed_by_hand_are_written_back_as_values(form, register):
    from complaint_kit.actions.verify import verify_register
    from tests.actions.test_decision import FULL, STAFF, _table, consolidate, run_through
    from tests.actions.test_lifecycle import accept, filled

    _table(register, L.STAFF_TABLE, STAFF)
    accept(filled(form), register)
    run_through(form, register, FULL[:3])
    rows = [
        [" 单位 ", "制造部 ", "电镀二组", None, "７０%", None, None, "品质"],
        ["个人", " 业务部", None, " 李强", "0.3", "警告", None, "７"],
    ]
    assert consolidate(form, register, rows=rows).ok
    body = [r[:5] for r in form.tables[L.RESPONSIBILITY_TABLE].rows if any(v is not None for v in r)]
    assert body == [
        ["单位", "制造部", "电镀二组", None, Decimal("0.7")],
        ["个人", "业务部", None, "李强", Decimal("0.3")],
    ]
    kept = [r[1:6] for r in register.tables[L.CASE_RESPONSIBILITY_TABLE].rows]
    assert kept == body
    assert validate_form(form, now=dt("2026-11-30 12:00")).ok
    assert verify_register(register, key=KEY, forms=[form]).ok
