"""Forms fit for paper (issue 8 item 4), the actions' part: a skipped R&D section reads 不适用 and is
locked with Quality's (C6.5); the 催办单 is boxed per department with a reply and a signature line."""

from __future__ import annotations

from datetime import datetime

from complaint_kit import layout as L
from complaint_kit.actions.forms import complete_stage, validate_form
from complaint_kit.actions.reminders import reminder_sheet
from complaint_kit.domain.rules import Stage
from tests.actions.test_lifecycle import FULL, SECTIONS, accept, dt, filled, run_through
from tests.conftest import KEY


def complete_quality(form, register=None, **section):
    form.names.update({**SECTIONS[Stage.QUALITY], **section})
    outcome = complete_stage(
        form,
        stage=Stage.QUALITY,
        by="张敏",
        now=dt("2026-11-24 10:00"),
        register=register,
        key=KEY if register else None,
    )
    assert outcome.ok, [p.render() for p in outcome.problems]
    return outcome


def test_quality_saying_rnd_is_not_needed_marks_the_rnd_section_not_applicable_and_locks_it(form, register):
    accept(filled(form), register)
    complete_quality(form, register, RnDNeeded="否")
    assert form.names["RnDOpinion"] == L.NOT_APPLICABLE and form.names["RnDBy"] == "不需要"
    assert {"RnDOpinion", "QualityCause"} <= form.locked


def test_a_department_without_the_register_marks_it_too(form, register):
    accept(filled(form), register)
    complete_quality(form, RnDNeeded="否")
    assert form.names["RnDOpinion"] == L.NOT_APPLICABLE and "RnDOpinion" in form.locked


def test_a_case_with_rnd_skipped_runs_to_closing_and_still_validates_with_its_seals(form, register):
    accept(filled(form), register)
    run_through(form, register, FULL)  # Quality says 否 in SECTIONS
    assert form.names["Status"] == "已结案" and form.names["RnDOpinion"] == L.NOT_APPLICABLE
    checked = validate_form(form, now=dt("2026-12-01 10:00"))
    assert checked.ok, [p.render() for p in checked.problems]


def test_text_typed_into_a_skipped_rnd_section_is_kept_and_locked(form, register):
    accept(filled(form), register)
    form.names["RnDOpinion"] = "研发已口头确认无需介入"
    complete_quality(form, register, RnDNeeded="否")
    assert form.names["RnDOpinion"] == "研发已口头确认无需介入" and "RnDOpinion" in form.locked


def test_an_rnd_section_that_is_needed_stays_open_for_rnd(form, register):
    accept(filled(form), register)
    complete_quality(form, register, RnDNeeded="是")
    assert form.names["RnDOpinion"] is None and "RnDOpinion" not in form.locked
    run_through(form, register, [(Stage.MANUFACTURING, "2026-11-24 16:00")])
    form.names.update(SECTIONS[Stage.RND])
    outcome = complete_stage(form, stage=Stage.RND, by="周杰", now=dt("2026-11-25 10:00"), register=register, key=KEY)
    assert outcome.ok and form.names["RnDOpinion"] == "无" and "RnDOpinion" in form.locked


def test_the_reminder_sheet_boxes_each_department_from_its_heading_to_its_signature_line():  # C18
    case = ["261101", "华星光电", "国内", "品管分析", datetime(2026, 11, 24, 11, 30), "3.5 小时", None, "f.xlsx"]
    sheet = reminder_sheet({"质量管理部": [case], "制造部": [case, case]}, now=datetime(2026, 11, 24, 16, 0))
    assert sheet.font == L.FONT_NAME and sheet.columns == len(L.REMINDER_HEADERS)
    assert len(sheet.boxes) == 2
    for first, last in sheet.boxes:
        assert str(sheet.rows[first][0]).startswith("致：") and first in sheet.bold_rows
        assert sheet.rows[last - 1] == [L.REMINDER_REPLY] and sheet.rows[last] == [L.REMINDER_SIGN]
        assert {first, last - 1, last} <= set(sheet.wide_rows)
        assert sheet.wide_rows[last - 1] and sheet.wide_rows[last]  # tall enough to write in
        assert sheet.rows[last + 1] == []  # a gap between blocks, outside the boxes
    assert not reminder_sheet({}, now=datetime(2026, 11, 24, 16, 0)).boxes
