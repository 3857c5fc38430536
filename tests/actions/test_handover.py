"""Hand-over drafts planned from the register's 邮件通讯录 or the form's snapshot (issue 9), and the
import of a decision and an approval made without the register."""

from __future__ import annotations

import copy

from complaint_kit import layout as L
from complaint_kit.actions.context import load_rules
from complaint_kit.actions.forms import complete_stage
from complaint_kit.actions.handover import mail_rules, plan_handover, plan_reminders
from complaint_kit.actions.importing import Candidate, Verdict, import_forms
from complaint_kit.actions.records import register_records
from complaint_kit.actions.verify import verify_register
from complaint_kit.domain.rules import Stage
from complaint_kit.ports import TableData
from tests.actions.test_approval import ROSTER
from tests.actions.test_decision import DECISION, FULL, ROWS, _table, consolidate, run_through
from tests.actions.test_lifecycle import SECTIONS, accept, dt, filled
from tests.conftest import KEY

DIRECTORY = [
    ["制造部", "赵六", "zhao.liu@hx-pcb.com"],
    ["总经理室", "王静", "wang.jing@hx-pcb.com"],
    ["业务部", "李强", "li.qiang@hx-pcb.com"],
]


def with_mail(register, directory=DIRECTORY, domains="hx-pcb.com"):
    settings = register.tables[L.SETTINGS_TABLE]
    rows = [[*r[:2], domains if r[0] == "mail_domains" else r[2], *r[3:]] for r in settings.rows]
    register.tables[L.SETTINGS_TABLE] = TableData(settings.headers, rows)
    _table(register, L.MAILBOXES_TABLE, directory)
    return register


def test_a_department_without_the_register_addresses_the_mail_from_the_forms_snapshot(form, register):
    accept(filled(form), with_mail(register))
    form.names.update(SECTIONS[Stage.QUALITY])
    assert complete_stage(form, stage=Stage.QUALITY, by="张敏", now=dt("2026-11-24 10:00")).ok
    plan, problems = plan_handover(form, done=Stage.QUALITY, by="张敏", rules=mail_rules(form, None))
    assert problems == [] and plan is not None
    assert plan.draft.to == ("zhao.liu@hx-pcb.com",) and plan.draft.cc == ("wang.jing@hx-pcb.com",)
    assert plan.attachment_name == "客诉-261101-华星光电-品管分析完成.xlsx" and plan.eml_name.endswith("完成.eml")
    # the register's directory is the current one: a changed address is used at once
    with_mail(register, [["制造部", "赵六", "zl@hx-pcb.com"]])
    current, _ = plan_handover(form, done=Stage.QUALITY, by="张敏", rules=mail_rules(form, register))
    assert current is not None and current.draft.to == ("zl@hx-pcb.com",) and current.draft.cc == ()


def test_no_directory_means_mail_is_not_set_up_and_nothing_is_said(form, register):
    accept(filled(form), register)
    form.names.update(SECTIONS[Stage.QUALITY])
    assert complete_stage(form, stage=Stage.QUALITY, by="张敏", now=dt("2026-11-24 10:00")).ok
    assert plan_handover(form, done=Stage.QUALITY, by="张敏", rules=mail_rules(form, None)) == (None, [])
    assert plan_handover(form, done=Stage.QUALITY, by="张敏", rules=None) == (None, [])


def test_an_address_outside_the_company_is_refused_and_a_missing_one_warned(form, register):  # C13
    with_mail(register, [["制造部", "采购", "buyer@customer.com"], ["总经理室", "王静", "wang.jing@hx-pcb.com"]])
    accept(filled(form), register)
    form.names.update(SECTIONS[Stage.QUALITY])
    assert complete_stage(form, stage=Stage.QUALITY, by="张敏", now=dt("2026-11-24 10:00")).ok
    plan, problems = plan_handover(form, done=Stage.QUALITY, by="张敏", rules=mail_rules(form, register))
    assert plan is None and [p.code for p in problems] == ["E-MAIL-OUTSIDE"]
    rules, _ = load_rules(register)
    plans, found = plan_reminders(
        {"制造部": [("261101", "制造对策", "3小时")], "研发部": [("261102", "研发意见", "1小时")]},
        rules=rules,
        now=dt("2026-11-30 10:00"),
    )
    assert plans == {} and sorted(p.code for p in found) == ["E-MAIL-OUTSIDE", "W-MAIL-NO-ADDRESS"]


def test_a_reminder_plan_per_department(register):
    rules, _ = load_rules(with_mail(register))
    plans, found = plan_reminders(
        {"制造部": [("261101", "制造对策", "3小时")]}, rules=rules, now=dt("2026-11-30 10:00")
    )
    assert found == [] and list(plans) == ["制造部"] and plans["制造部"].eml_name == "催办单-制造部-2026-11-30.eml"
    assert plans["制造部"].attachment_name is None


def test_bad_directory_rows_are_warnings_at_their_cells_and_never_stop_the_work(register):
    with_mail(register, [["火星部", "x", "x@hx-pcb.com"], ["制造部", "赵六", "not-an-address"], [None, None, None]])
    rules, problems = load_rules(register)
    assert [p.code for p in problems] == ["W-MAIL-DEPARTMENT", "W-MAIL-ADDRESS"] and rules.directory == {}
    assert all(p.where and not p.is_error for p in problems)


def test_directory_cells_as_people_type_them(register):
    with_mail(
        register,
        [
            [" 制造部 ", "赵六", "ｚｈａｏ.liu＠hx-pcb.com; 刘洋 <liu.yang@hx-pcb.com>"],  # full-width, two, a name
            ["总经理室", "王静", " wang.jing@hx-pcb.com "],
        ],
    )
    rules, problems = load_rules(register)
    assert problems == []
    assert rules.directory == {
        "制造部": ("zhao.liu@hx-pcb.com", "liu.yang@hx-pcb.com"),
        "总经理室": ("wang.jing@hx-pcb.com",),
    }


def test_a_decision_and_an_approval_made_without_the_register_are_imported_and_checked(form, register):
    _table(register, L.STAFF_TABLE, ROSTER)
    accept(filled(form), register)
    run_through(form, register, FULL[:3])
    assert consolidate(form, register, with_register=False).ok
    form.names.update({"ApprovalOpinion": "同意"})
    approved = copy.deepcopy(form)
    assert complete_stage(approved, stage=Stage.APPROVAL, by="孙涛", now=dt("2026-12-01 09:00")).ok
    outcome = import_forms(
        register, [Candidate("approved.xlsx", approved)], now=dt("2026-12-01 10:00"), user="王静", key=KEY
    )
    (result,) = outcome.data["results"]
    assert result.verdict is Verdict.IMPORTED, result.detail
    (row,) = register_records(register.tables[L.REGISTER_TABLE])
    assert row["handling"] == DECISION["Handling"] and row["approval_level"] == "业务经理" and row["status"] == "已结案"
    kept = [r for r in register.tables[L.CASE_RESPONSIBILITY_TABLE].rows if r[0] == "261101"]
    assert len(kept) == len(ROWS)
    assert verify_register(register, key=KEY, forms=[approved]).ok


def test_an_approver_below_the_level_is_refused_at_import(form, register):  # C10
    _table(register, L.STAFF_TABLE, ROSTER)
    accept(filled(form), register)
    run_through(form, register, FULL[:3])
    assert consolidate(form, register, names={**DECISION, "LossAmount": 20000}).ok
    form.names.update({"ApprovalOpinion": "同意"})
    assert complete_stage(form, stage=Stage.APPROVAL, by="赵经理", now=dt("2026-12-01 09:00")).ok  # warned only
    outcome = import_forms(register, [Candidate("f.xlsx", form)], now=dt("2026-12-01 10:00"), user="王静", key=KEY)
    (result,) = outcome.data["results"]
    assert result.verdict is Verdict.REFUSED and "E-APPROVER-LEVEL" in {p.code for p in result.problems}
    assert outcome.data["updated"] == 0
