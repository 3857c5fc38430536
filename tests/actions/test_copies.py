"""五联 (C9): the copies are planned only for a closed, approved, untampered form; each names its
copy and keeper; never for the customer (C13). On in-memory books."""

from __future__ import annotations

from datetime import timedelta

import pytest

from complaint_kit import layout as L
from complaint_kit.actions.copies import _formula_value, plan_copies
from complaint_kit.actions.forms import complete_stage
from complaint_kit.actions.records import read_form
from complaint_kit.domain.rules import Stage
from tests.actions.test_lifecycle import FULL, SECTIONS, accept, dt, filled, run_through

AFTER = dt("2026-12-01 10:00")


@pytest.fixture
def closed(form, register):
    accept(filled(form), register)
    return run_through(form, register, FULL)


def test_a_closed_approved_case_is_planned_as_five_copies_for_the_five_keepers(closed):
    outcome = plan_copies(closed, now=AFTER)
    assert outcome.ok and outcome.warnings == []
    plan = outcome.data["plan"]
    assert plan.case_no == "261101" and plan.file_name == "客诉-261101-五联.xlsx"
    assert [(c.number, c.sheet, c.keeper) for c in plan.copies] == [
        (1, "第一联", "质量管理部"),
        (2, "第二联", "制造部门"),
        (3, "第三联", "业务部门"),
        (4, "第四联", "会计科"),
        (5, "第五联", "总经理室"),
    ]
    assert plan.copies[0].title == "客户抱怨处理表　第一联（质量管理部存查）"
    assert plan.copies[2].title.endswith("第三联（业务部门依此办理）")  # Sales acts on its copy (C9)
    assert plan.copies[3].file_name == "客诉-261101-第四联-会计科.xlsx"
    assert all("261101" in c.footer and c.sheet in c.footer and "不得交给客户" in c.footer for c in plan.copies)
    assert "five copies" in outcome.messages[0] and "C13" in outcome.messages[0]


def test_the_copies_show_the_forms_values_and_the_defect_rate_computed(closed):
    plan = plan_copies(closed, now=AFTER).data["plan"]
    by_name = {f.attr: f.name for f in L.FORM_FIELDS}
    for attr, value in read_form(closed).items():
        if attr != "defect_rate":
            assert plan.values[by_name[attr]] == value, attr
    assert plan.values["DefectRate"] == pytest.approx(20 / 1000)


def test_planning_writes_nothing_to_the_form(closed):
    before = len(closed.applied)
    assert plan_copies(closed, now=AFTER).ok
    assert len(closed.applied) == before


def test_a_form_not_accepted_is_refused(form):
    outcome = plan_copies(filled(form), now=AFTER)
    assert [p.code for p in outcome.errors] == ["E-NOT-ACCEPTED"] and "plan" not in outcome.data


def test_a_case_awaiting_approval_is_refused(form, register):
    accept(filled(form), register)
    run_through(form, register, FULL[:-1])
    outcome = plan_copies(form, now=AFTER)
    assert [p.code for p in outcome.errors] == ["E-COPIES-NOT-CLOSED"]
    assert "待核决" in outcome.errors[0].zh and "Status" in (outcome.errors[0].where or "")


def test_a_status_typed_as_closed_without_an_approval_is_refused(form, register):
    accept(filled(form), register)
    run_through(form, register, FULL[:-1])
    form.names["Status"] = "已结案"  # typed into the grey cell; the approval stage was never done
    assert [p.code for p in plan_copies(form, now=AFTER).errors] == ["E-COPIES-NOT-CLOSED"]


@pytest.mark.parametrize("name", ["Customer", "DefectQty", "QualityCause", "ApprovalOpinion", "ApprovalDoneAt"])
def test_a_tampered_form_is_never_copied(closed, name):
    value = closed.names[name]
    closed.names[name] = (
        value + timedelta(hours=1) if name.endswith("At") else (value + 1 if name == "DefectQty" else f"{value}改")
    )
    outcome = plan_copies(closed, now=AFTER)
    assert not outcome.ok and "plan" not in outcome.data
    assert any(name in (p.where or "") or p.field == name for p in outcome.errors), [p.render() for p in outcome.errors]


def test_an_approval_done_without_the_register_is_copied_with_a_warning(form, register):
    accept(filled(form), register)
    run_through(form, register, FULL[:-1])
    form.names.update(SECTIONS[Stage.APPROVAL])
    assert complete_stage(form, stage=Stage.APPROVAL, by="周总", now=dt("2026-12-01 09:00")).ok
    outcome = plan_copies(form, now=AFTER)
    assert outcome.ok and [p.code for p in outcome.warnings] == ["W-COPIES-UNSEALED"]


def test_the_defect_rate_is_blank_without_quantities_like_the_forms_formula():
    assert _formula_value("DefectRate", {"ShipQty": 0, "DefectQty": 3}) == ""
    assert _formula_value("DefectRate", {"ShipQty": "一千", "DefectQty": 3}) == ""
    assert _formula_value("DefectRate", {"ShipQty": True, "DefectQty": 1}) == ""
    assert _formula_value("DefectRate", {"ShipQty": 800, "DefectQty": 2}) == pytest.approx(0.0025)
    assert _formula_value("Customer", {}) == ""  # a formula the kit cannot compute is left blank
