"""Approval by authority (issue 7 item 2, C10): the approver's 核决级别 in the register's roster
must reach the level the loss needs — below 10,000 业务经理, below 100,000 副总经理, else 总经理
(设置: authority_sales_manager_below, authority_deputy_gm_below)."""

from __future__ import annotations

import pytest

from complaint_kit import layout as L
from complaint_kit.actions.forms import complete_stage
from complaint_kit.actions.records import register_records
from complaint_kit.domain.rules import Stage
from tests.actions.test_decision import DECISION, STAFF, _table, consolidate
from tests.actions.test_lifecycle import FULL, accept, dt, filled, run_through
from tests.conftest import KEY

ROSTER = [*STAFF, ["赵经理", "业务部", None, 3, 3000, "业务经理"], ["周总", "总经理室", None, 10, 9000, "总经理"]]


def decided(form, register, *, loss, roster=ROSTER):
    _table(register, L.STAFF_TABLE, roster)
    accept(filled(form), register)
    run_through(form, register, FULL[:3])
    assert consolidate(form, register, names={**DECISION, "LossAmount": loss}).ok
    form.names.update({"ApprovalOpinion": "同意"})


def approve(form, register, by, *, with_register=True):
    reg = {"register": register, "key": KEY} if with_register else {}
    return complete_stage(form, stage=Stage.APPROVAL, by=by, now=dt("2026-12-01 09:00"), **reg)


@pytest.mark.parametrize(
    ("loss", "by", "ok"),
    [
        (9999.99, "赵经理", True),  # below 10,000: a sales manager may approve
        (10000, "赵经理", False),  # exactly 10,000 needs the deputy GM
        (10000, "孙涛", True),
        (99999.99, "孙涛", True),
        (100000, "孙涛", False),  # exactly 100,000 needs the GM
        (100000, "周总", True),
        (500, "周总", True),  # a higher level may always approve
    ],
)
def test_the_approver_must_reach_the_level_the_loss_needs(form, register, loss, by, ok):  # C10
    decided(form, register, loss=loss)
    outcome = approve(form, register, by)
    assert outcome.ok is ok, [p.render() for p in outcome.problems]
    if not ok:
        assert [p.code for p in outcome.errors] == ["E-APPROVER-LEVEL"]
        assert "ApprovalBy" in (outcome.errors[0].where or "")  # pointed at the approver's cell
        assert not form.names.get("ApprovalDoneAt")  # nothing written


def test_an_approver_not_in_the_roster_or_without_a_level_is_refused(form, register):  # C10
    decided(form, register, loss=500)
    assert [p.code for p in approve(form, register, "王五").errors] == ["E-APPROVER-LEVEL"]  # no level
    assert [p.code for p in approve(form, register, "陌生人").errors] == ["E-APPROVER-LEVEL"]


def test_the_register_records_the_level_the_case_needed(form, register):  # C10
    decided(form, register, loss=20000)
    assert approve(form, register, "孙涛").ok
    row = register_records(register.tables[L.REGISTER_TABLE])[0]
    assert (row["approval_level"], row["status"]) == ("副总经理", "已结案")


def test_an_empty_roster_cannot_check_the_level_and_says_so(form, register):  # C10
    decided(form, register, loss=20000)
    _table(register, L.STAFF_TABLE, [])
    outcome = approve(form, register, "任何人")
    assert outcome.ok and [p.code for p in outcome.warnings] == ["W-ROSTER-EMPTY"]
    assert "副总经理" in outcome.warnings[0].zh


def test_without_the_register_the_level_is_checked_at_the_gm_office(form, register):  # C10
    decided(form, register, loss=20000)
    outcome = approve(form, register, "赵经理", with_register=False)
    assert outcome.ok and "W-APPROVER-NOT-CHECKED" in {p.code for p in outcome.warnings}
