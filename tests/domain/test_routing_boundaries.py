"""Routing, deadlines and timeliness (C6, C17, C18): both sides of every boundary, every refusal."""

from dataclasses import replace
from datetime import datetime, time
from decimal import Decimal

import pytest

from complaint_kit.domain.calendar import NoOfficialHolidays, WorkCalendar, WorkWindow
from complaint_kit.domain.routing import (
    Routing,
    StageRecord,
    Status,
    Timeliness,
    compute_acceptance,
    compute_assessment,
    compute_case_due,
    compute_completion,
    compute_stage_due,
    compute_timeliness,
    format_working,
    limit_minutes,
)
from complaint_kit.domain.rules import STAGE_ORDER, CaseLimitBasis, Department, Market, Stage
from complaint_kit.domain.settings import Settings

S = Settings()


def dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


def accept(reported="2026-11-23 09:00", received="2026-11-23 11:00", at="2026-11-23 11:30", market=Market.DOMESTIC):
    return compute_acceptance(
        market=market,
        reported_at=dt(reported),
        received_at=dt(received),
        accepted_at=dt(at),
        sales_rep="李强",
        settings=S,
        calendar=S.calendar(),
    )


def complete(routing, stage, at, *, by="张敏", rnd=True):
    return compute_completion(routing, stage, by=by, now=dt(at), rnd_needed=rnd, settings=S, calendar=S.calendar())


def assess(routing, now):
    return compute_assessment(routing, now=dt(now), settings=S, calendar=S.calendar())


# -- C6.1 / C6.2: acceptance ------------------------------------------------------------------------
def test_c6_2_acceptance_before_the_receipt_is_refused_naming_accepted_at():
    routing, problems = accept(reported="2026-11-23 09:00", received="2026-11-23 11:00", at="2026-11-23 10:59")
    assert [(p.code, p.field, p.is_error) for p in problems] == [("E-ACCEPTED-BEFORE-RECEIVED", "accepted_at", True)]
    assert routing == Routing(Market.DOMESTIC) and routing.status is Status.DRAFT


def test_c6_2_acceptance_at_the_very_minute_of_receipt_is_accepted():
    routing, problems = accept(reported="2026-11-23 09:00", received="2026-11-23 11:00", at="2026-11-23 11:00")
    assert problems == [] and routing.accepted_at == dt("2026-11-23 11:00")


def test_c6_2_acceptance_is_compared_with_the_receipt_not_with_the_report():
    # accepted after the report but before the receipt: refused
    _, problems = accept(reported="2026-11-23 09:00", received="2026-11-23 11:00", at="2026-11-23 10:00")
    assert [p.code for p in problems] == ["E-ACCEPTED-BEFORE-RECEIVED"]


def test_c6_1_receipt_at_the_very_minute_of_the_report_is_accepted():
    _, problems = accept(reported="2026-11-23 09:00", received="2026-11-23 09:00", at="2026-11-23 09:00")
    assert problems == []


def test_c6_1_and_c6_2_both_refusals_are_reported_at_once():
    routing, problems = accept(reported="2026-11-23 09:00", received="2026-11-23 08:00", at="2026-11-23 07:00")
    assert [(p.code, p.field) for p in problems] == [
        ("E-RECEIVED-BEFORE-REPORT", "received_at"),
        ("E-ACCEPTED-BEFORE-RECEIVED", "accepted_at"),
    ]
    assert routing.market is Market.DOMESTIC and routing.accepted_at is None


def test_c6_1_acceptance_records_intake_by_sales_and_opens_quality_for_nobody_yet():
    routing, _ = accept(market=Market.FOREIGN)
    intake = routing.record(Stage.INTAKE)
    assert intake == StageRecord(
        Stage.INTAKE, dt("2026-11-23 09:00"), dt("2026-11-23 14:00"), dt("2026-11-23 11:00"), "李强"
    )
    quality = routing.record(Stage.QUALITY)
    assert quality == StageRecord(Stage.QUALITY, dt("2026-11-23 11:30"), dt("2026-11-24 11:30"), None, "")
    assert routing.market is Market.FOREIGN and routing.case_due == dt("2026-12-10 17:30")
    assert routing.current == quality and routing.status is Status.OPEN


# -- C6: completing a stage --------------------------------------------------------------------------
def test_c6_2_a_stage_of_a_case_not_accepted_cannot_be_completed():
    draft = Routing(Market.DOMESTIC)
    routing, problems = complete(draft, Stage.QUALITY, "2026-11-24 10:00")
    assert [(p.code, p.field) for p in problems] == [("E-NOT-ACCEPTED", "case_no")]
    assert routing is draft


def test_c6_a_closed_case_has_no_stage_to_complete():
    routing, _ = accept()
    closed = replace(routing, stages=tuple(replace(r, done=r.start) for r in routing.stages))
    again, problems = complete(closed, Stage.APPROVAL, "2026-11-24 10:00")
    assert [(p.code, p.field) for p in problems] == [("E-CLOSED", "status")]
    assert again is closed


def test_c6_completing_another_stage_than_the_open_one_names_both():
    routing, _ = accept()
    again, problems = complete(routing, Stage.NEGOTIATION, "2026-11-24 10:00")
    [p] = problems
    assert (p.code, p.field) == ("E-WRONG-STAGE", "status")
    assert "品管分析" in p.zh and "业务协商" in p.zh
    assert "quality" in p.en and "negotiation" in p.en
    assert again is routing


@pytest.mark.parametrize("by", ["", "   ", "\t"])
def test_c6_a_stage_is_completed_by_a_named_person_only(by):
    routing, _ = accept()
    again, problems = complete(routing, Stage.QUALITY, "2026-11-24 10:00", by=by)
    assert [(p.code, p.field) for p in problems] == [("E-BY-REQUIRED", "quality_by")]
    assert again is routing


def test_c6_the_name_of_who_completed_is_kept_without_surrounding_spaces():
    routing, _ = accept()
    done, problems = complete(routing, Stage.QUALITY, "2026-11-24 10:00", by="  张敏 ")
    assert problems == []
    assert done.record(Stage.QUALITY).by == "张敏" and done.record(Stage.QUALITY).done == dt("2026-11-24 10:00")


def test_c6_completion_at_the_very_minute_the_stage_started_is_accepted_one_minute_before_is_not():
    routing, _ = accept()  # quality started 11:30
    done, problems = complete(routing, Stage.QUALITY, "2026-11-23 11:30")
    assert problems == [] and done.record(Stage.MANUFACTURING).start == dt("2026-11-23 11:30")
    again, problems = complete(routing, Stage.QUALITY, "2026-11-23 11:29")
    [p] = problems
    assert (p.code, p.field) == ("E-DONE-BEFORE-START", "quality_done_at")
    assert "2026-11-23 11:30" in p.zh and again is routing


def test_c6_5_rnd_skipped_is_recorded_as_skipped_with_no_times():
    routing, _ = accept()
    routing, _ = complete(routing, Stage.QUALITY, "2026-11-24 10:00", rnd=False)
    routing, _ = complete(routing, Stage.MANUFACTURING, "2026-11-24 16:00", rnd=False)
    assert routing.record(Stage.RND) == StageRecord(Stage.RND, skipped=True)
    assert not routing.record(Stage.RND).is_open
    a = assess(routing, "2026-11-24 16:30")
    assert a.stage(Stage.RND).timeliness is Timeliness.SKIPPED and a.stage(Stage.RND).stage is Stage.RND
    assert a.current is Stage.NEGOTIATION and a.holder is Department.SALES


def test_c6_5_rnd_needed_after_manufacturing_opens_rnd_with_one_working_day():
    routing, _ = accept()
    routing, _ = complete(routing, Stage.QUALITY, "2026-11-24 10:00")
    routing, _ = complete(routing, Stage.MANUFACTURING, "2026-11-24 16:00")
    assert routing.record(Stage.RND) == StageRecord(Stage.RND, dt("2026-11-24 16:00"), dt("2026-11-25 16:00"))
    assert assess(routing, "2026-11-24 16:30").holder is Department.RND


def test_c6_8_approval_closes_the_case_and_nothing_opens_after_it():
    routing, _ = accept()
    for stage, at in [
        (Stage.QUALITY, "2026-11-24 10:00"),
        (Stage.MANUFACTURING, "2026-11-24 16:00"),
        (Stage.RND, "2026-11-25 09:00"),
        (Stage.NEGOTIATION, "2026-11-30 10:00"),
        (Stage.CONSOLIDATION, "2026-11-30 14:00"),
    ]:
        routing, problems = complete(routing, stage, at)
        assert problems == []
    assert assess(routing, "2026-11-30 15:00").holder is Department.GM_OFFICE
    routing, problems = complete(routing, Stage.APPROVAL, "2026-12-01 09:00")
    assert problems == [] and routing.status is Status.CLOSED
    assert [r.stage for r in routing.stages] == list(STAGE_ORDER)
    a = assess(routing, "2026-12-01 10:00")
    assert (a.status, a.current, a.holder) == (Status.CLOSED, None, None)
    assert a.case.timeliness is Timeliness.DONE_ON_TIME


# -- C6, C17, T2: limits -----------------------------------------------------------------------------
def test_c6_8_approval_has_no_limit_of_its_own_and_is_due_with_the_case():
    cal = S.calendar()
    due = dt("2026-12-07 17:30")
    assert (
        compute_stage_due(
            Stage.APPROVAL, dt("2026-11-30 14:00"), Market.DOMESTIC, settings=S, calendar=cal, case_due=due
        )
        == due
    )
    assert compute_stage_due(Stage.APPROVAL, dt("2026-11-30 14:00"), Market.DOMESTIC, settings=S, calendar=cal) is None


def test_c6_6_negotiation_limit_depends_on_the_market():
    cal = S.calendar()
    start = dt("2026-11-23 09:00")
    assert compute_stage_due(Stage.NEGOTIATION, start, Market.DOMESTIC, settings=S, calendar=cal) == dt(
        "2026-11-30 09:00"
    )
    assert compute_stage_due(Stage.NEGOTIATION, start, Market.FOREIGN, settings=S, calendar=cal) == dt(
        "2026-12-09 09:00"
    )


def test_t2_working_day_case_limit_for_a_foreign_case_is_17_working_days():
    s = Settings(case_limit_basis=CaseLimitBasis.WORKING)
    due = compute_case_due(dt("2026-11-23 11:30"), Market.FOREIGN, settings=s, calendar=s.calendar())
    assert due == dt("2026-12-16 11:30")


def test_t1_half_a_day_rounds_half_up_to_whole_minutes():
    cal = WorkCalendar(windows=[WorkWindow(time(9, 0), time(10, 40))], official=NoOfficialHolidays())  # 100 min
    assert limit_minutes(Decimal("0.005"), cal) == 1  # 0.5 min → 1
    assert limit_minutes(Decimal("0.0049"), cal) == 0
    assert limit_minutes(Decimal("0.019"), cal) == 2  # 1.9 min → 2, not cut to 1
    assert limit_minutes(Decimal("0.5"), S.calendar()) == 240


# -- C18: timeliness at the boundaries ---------------------------------------------------------------
DUE = dt("2026-11-24 11:30")


def timeliness(now, done=None, soon=240):
    return compute_timeliness(
        Stage.QUALITY, DUE, dt(done) if done else None, now=dt(now), soon_minutes=soon, calendar=S.calendar()
    )


def test_c18_a_stage_due_exactly_now_is_due_soon_not_overdue():
    t = timeliness("2026-11-24 11:30")
    assert (t.timeliness, t.overdue_minutes, t.remaining_minutes) == (Timeliness.DUE_SOON, 0, 0)


def test_c18_one_minute_past_the_deadline_is_one_minute_overdue():
    t = timeliness("2026-11-24 11:31")
    assert (t.timeliness, t.overdue_minutes, t.remaining_minutes) == (Timeliness.OVERDUE, 1, 0)


def test_c18_past_the_deadline_but_in_the_lunch_break_is_overdue_by_the_working_time_only():
    t = compute_timeliness(
        Stage.QUALITY, dt("2026-11-24 12:00"), None, now=dt("2026-11-24 12:30"), soon_minutes=240, calendar=S.calendar()
    )
    assert (t.timeliness, t.overdue_minutes) == (Timeliness.OVERDUE, 0)


def test_c18_due_soon_starts_exactly_at_the_reminder_threshold():
    at = timeliness("2026-11-24 08:30", soon=180)  # 180 working minutes left
    assert (at.timeliness, at.remaining_minutes) == (Timeliness.DUE_SOON, 180)
    before = timeliness("2026-11-24 08:30", soon=179)
    assert (before.timeliness, before.remaining_minutes) == (Timeliness.ON_TIME, 180)


def test_c18_a_stage_done_exactly_at_its_deadline_is_on_time_one_minute_later_is_late():
    on_time = timeliness("2026-11-25 09:00", done="2026-11-24 11:30")
    assert (on_time.timeliness, on_time.overdue_minutes) == (Timeliness.DONE_ON_TIME, 0)
    late = timeliness("2026-11-25 09:00", done="2026-11-24 11:31")
    assert (late.timeliness, late.overdue_minutes) == (Timeliness.DONE_LATE, 1)


def test_c18_a_stage_done_after_its_deadline_but_outside_working_time_is_on_time():
    t = compute_timeliness(
        Stage.QUALITY,
        dt("2026-11-24 17:30"),
        dt("2026-11-24 19:00"),
        now=dt("2026-11-25 09:00"),
        soon_minutes=240,
        calendar=S.calendar(),
    )
    assert t.timeliness is Timeliness.DONE_ON_TIME


def test_c18_a_stage_done_before_its_deadline_is_on_time_whatever_now_is():
    t = timeliness("2026-12-25 09:00", done="2026-11-24 09:00")
    assert (t.timeliness, t.overdue_minutes, t.remaining_minutes) == (Timeliness.DONE_ON_TIME, 0, 0)


def test_c18_the_due_soon_setting_is_in_working_hours():
    s = Settings(due_soon_hours=Decimal("0.5"))
    routing, _ = accept()  # quality due Tue 24 Nov 11:30
    soon = compute_assessment(routing, now=dt("2026-11-24 11:00"), settings=s, calendar=s.calendar())
    assert soon.stage(Stage.QUALITY).timeliness is Timeliness.DUE_SOON
    not_yet = compute_assessment(routing, now=dt("2026-11-24 10:59"), settings=s, calendar=s.calendar())
    assert not_yet.stage(Stage.QUALITY).timeliness is Timeliness.ON_TIME


def test_c18_stages_not_started_are_pending_and_the_case_is_assessed_against_its_total_limit():
    routing, _ = accept(reported="2026-11-20 09:00")  # intake due Fri 14:00, received Mon 11:00
    a = assess(routing, "2026-11-23 14:00")
    assert a.status is Status.OPEN and a.current is Stage.QUALITY and a.holder is Department.QUALITY
    intake = a.stage(Stage.INTAKE)
    assert (intake.timeliness, intake.overdue_minutes) == (Timeliness.DONE_LATE, 210 + 150)
    assert a.stage(Stage.QUALITY).timeliness is Timeliness.ON_TIME
    assert [s.timeliness for s in a.stages[2:]] == [Timeliness.PENDING] * 5
    assert [s.stage for s in a.stages] == list(STAGE_ORDER)
    assert a.case.stage is Stage.APPROVAL and a.case.timeliness is Timeliness.ON_TIME
    assert a.case.remaining_minutes == S.calendar().between(dt("2026-11-23 14:00"), dt("2026-12-07 17:30"))
    assert a.overdue_stages == [a.stage(Stage.INTAKE)]


def test_c18_a_draft_case_is_pending_everywhere_with_nobody_holding_it():
    a = assess(Routing(Market.DOMESTIC), "2026-11-23 14:00")
    assert a.status is Status.DRAFT and a.current is None and a.holder is None
    assert a.case.timeliness is Timeliness.PENDING
    assert {s.timeliness for s in a.stages} == {Timeliness.PENDING}


def test_c18_a_stage_with_a_start_but_no_deadline_is_pending():
    routing = Routing(Market.DOMESTIC).with_record(StageRecord(Stage.APPROVAL, dt("2026-11-23 09:00"), None))
    assert assess(routing, "2026-11-23 14:00").stage(Stage.APPROVAL).timeliness is Timeliness.PENDING


def test_c18_awaiting_approval_is_its_own_status():
    routing = Routing(Market.DOMESTIC, accepted_at=dt("2026-11-23 09:00")).with_record(
        StageRecord(Stage.APPROVAL, dt("2026-11-30 09:00"), dt("2026-12-07 17:30"))
    )
    assert routing.status is Status.AWAITING_APPROVAL
    assert routing.closed_at is None


# -- C18: how overdue time is written -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (480, "1天"),
        (120, "2小时"),
        (30, "30分"),
        (1, "1分"),
        (481, "1天1分"),
        (959, "1天7小时59分"),
        (1440, "3天"),
        (0, ""),
        (-5, ""),
    ],
)
def test_c18_overdue_working_time_is_written_in_working_days_hours_and_minutes(minutes, text):
    assert format_working(minutes, 480) == text


def test_c18_a_working_day_is_as_long_as_the_calendar_says():
    assert format_working(540, 540) == "1天"
    assert format_working(540, 480) == "1天1小时"


def test_c18_the_assessment_names_the_stage_it_assesses_on_every_path():
    on_time = timeliness("2026-11-25 09:00", done="2026-11-24 09:00")
    late = timeliness("2026-11-25 09:00", done="2026-11-24 12:00")
    overdue = timeliness("2026-11-24 14:00")
    soon = timeliness("2026-11-24 11:00")
    assert {t.stage for t in (on_time, late, overdue, soon)} == {Stage.QUALITY}


def test_c18_the_default_reminder_starts_at_four_working_hours_left_not_a_minute_earlier():
    routing, _ = accept()  # quality due Tue 24 Nov 11:30
    four = assess(routing, "2026-11-23 16:30").stage(Stage.QUALITY)
    assert (four.timeliness, four.remaining_minutes) == (Timeliness.DUE_SOON, 240)
    more = assess(routing, "2026-11-23 16:29").stage(Stage.QUALITY)
    assert (more.timeliness, more.remaining_minutes) == (Timeliness.ON_TIME, 241)
