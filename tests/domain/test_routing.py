"""Routing and deadlines of a complaint (rules C6, C17, C18) on the 2026 calendar."""

from datetime import datetime

from complaint_kit.domain.routing import (
    Status,
    Timeliness,
    compute_acceptance,
    compute_assessment,
    compute_completion,
    format_working,
)
from complaint_kit.domain.rules import CaseLimitBasis, Department, Market, Stage
from complaint_kit.domain.settings import Settings

S = Settings()


def dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


def accepted(
    market=Market.DOMESTIC, reported="2026-11-23 09:00", received="2026-11-23 11:00", at="2026-11-23 11:30", settings=S
):
    routing, problems = compute_acceptance(
        market=market,
        reported_at=dt(reported),
        received_at=dt(received),
        accepted_at=dt(at),
        sales_rep="李强",
        settings=settings,
        calendar=settings.calendar(),
    )
    assert problems == []
    return routing


def complete(routing, stage, at, *, rnd=True, settings=S):
    new, problems = compute_completion(
        routing, stage, by="某人", now=dt(at), rnd_needed=rnd, settings=settings, calendar=settings.calendar()
    )
    assert problems == [], problems
    return new


def test_intake_is_half_a_working_day_from_the_report():  # C6.1
    r = accepted(reported="2026-11-23 15:00", received="2026-11-24 09:00", at="2026-11-24 09:10")
    assert r.record(Stage.INTAKE).due == dt("2026-11-24 10:00")  # 150 min Mon + 90 Tue
    assert r.record(Stage.INTAKE).done == dt("2026-11-24 09:00")


def test_quality_starts_at_acceptance_and_has_one_working_day():  # C6.3
    r = accepted()
    q = r.record(Stage.QUALITY)
    assert (q.start, q.due) == (dt("2026-11-23 11:30"), dt("2026-11-24 11:30"))
    assert r.current.stage is Stage.QUALITY and r.status is Status.OPEN


def test_domestic_case_has_13_calendar_days():  # C17
    assert accepted().case_due == dt("2026-12-07 17:30")  # 23 Nov + 13 = Sun 6 Dec → Mon 7 Dec


def test_foreign_case_has_17_calendar_days():  # C17
    assert accepted(Market.FOREIGN).case_due == dt("2026-12-10 17:30")


def test_case_limit_in_working_days_when_set():  # T2
    s = Settings(case_limit_basis=CaseLimitBasis.WORKING)
    assert accepted(settings=s).case_due == dt("2026-12-10 11:30")  # 13 working days


def test_each_stage_starts_when_the_previous_is_done():  # C6
    r = complete(accepted(), Stage.QUALITY, "2026-11-24 10:00")
    m = r.record(Stage.MANUFACTURING)
    assert (m.start, m.due) == (dt("2026-11-24 10:00"), dt("2026-11-25 10:00"))


def test_rnd_not_needed_is_skipped_and_negotiation_follows_manufacturing():  # C6.5
    r = complete(accepted(), Stage.QUALITY, "2026-11-24 10:00", rnd=False)
    r = complete(r, Stage.MANUFACTURING, "2026-11-24 16:00", rnd=False)
    assert r.record(Stage.RND).skipped
    assert r.current.stage is Stage.NEGOTIATION
    assert r.record(Stage.NEGOTIATION).due == dt("2026-12-01 16:00")  # 5 working days


def test_foreign_negotiation_has_12_working_days():  # C6.6
    r = accepted(Market.FOREIGN)
    for stage, at in [
        (Stage.QUALITY, "2026-11-24 10:00"),
        (Stage.MANUFACTURING, "2026-11-24 16:00"),
        (Stage.RND, "2026-11-25 09:00"),
    ]:
        r = complete(r, stage, at)
    assert r.record(Stage.NEGOTIATION).due == dt("2026-12-11 09:00")


def test_consolidation_half_day_then_approval_due_with_the_case():  # C6.7, C6.8
    r = accepted()
    for stage, at in [
        (Stage.QUALITY, "2026-11-24 10:00"),
        (Stage.MANUFACTURING, "2026-11-24 16:00"),
        (Stage.RND, "2026-11-25 09:00"),
        (Stage.NEGOTIATION, "2026-11-30 10:00"),
    ]:
        r = complete(r, stage, at)
    assert r.record(Stage.CONSOLIDATION).due == dt("2026-11-30 15:00")
    r = complete(r, Stage.CONSOLIDATION, "2026-11-30 14:00")
    assert r.status is Status.AWAITING_APPROVAL and r.record(Stage.APPROVAL).due == r.case_due
    r = complete(r, Stage.APPROVAL, "2026-12-01 09:00")
    assert r.status is Status.CLOSED and r.closed_at == dt("2026-12-01 09:00") and r.current is None


def test_completing_the_wrong_stage_is_a_problem():
    _, problems = compute_completion(
        accepted(),
        Stage.NEGOTIATION,
        by="x",
        now=dt("2026-11-24 09:00"),
        rnd_needed=True,
        settings=S,
        calendar=S.calendar(),
    )
    assert [p.code for p in problems] == ["E-WRONG-STAGE"]


def test_completion_before_the_stage_started_is_a_problem():
    _, problems = compute_completion(
        accepted(),
        Stage.QUALITY,
        by="x",
        now=dt("2026-11-23 10:00"),
        rnd_needed=True,
        settings=S,
        calendar=S.calendar(),
    )
    assert [p.code for p in problems] == ["E-DONE-BEFORE-START"]


def test_receipt_before_the_report_is_refused():
    _, problems = compute_acceptance(
        market=Market.DOMESTIC,
        reported_at=dt("2026-11-23 09:00"),
        received_at=dt("2026-11-22 09:00"),
        accepted_at=dt("2026-11-23 10:00"),
        sales_rep="a",
        settings=S,
        calendar=S.calendar(),
    )
    assert [p.code for p in problems] == ["E-RECEIVED-BEFORE-REPORT"]


def test_on_time_due_soon_and_overdue_in_working_time():  # C18
    r = accepted()  # quality due Tue 24 Nov 11:30

    def quality(now):
        return compute_assessment(r, now=dt(now), settings=S, calendar=S.calendar()).stage(Stage.QUALITY)

    assert quality("2026-11-23 14:00").timeliness is Timeliness.ON_TIME
    soon = quality("2026-11-24 09:00")
    assert soon.timeliness is Timeliness.DUE_SOON and soon.remaining_minutes == 150
    late = quality("2026-11-24 14:00")  # 30 min before lunch + 60 after
    assert late.timeliness is Timeliness.OVERDUE and late.overdue_minutes == 90


def test_overdue_time_does_not_run_at_night_or_weekends():
    r = accepted(at="2026-11-27 11:30")  # quality due Mon 30 Nov 11:30
    a = compute_assessment(r, now=dt("2026-12-01 08:00"), settings=S, calendar=S.calendar())
    assert a.stage(Stage.QUALITY).overdue_minutes == 30 + 270
    assert a.holder is Department.QUALITY


def test_a_stage_done_late_stays_visible_as_late():
    r = complete(accepted(), Stage.QUALITY, "2026-11-24 15:00")
    a = compute_assessment(r, now=dt("2026-11-24 15:30"), settings=S, calendar=S.calendar())
    assert a.stage(Stage.QUALITY).timeliness is Timeliness.DONE_LATE
    assert a.stage(Stage.QUALITY).overdue_minutes == 30 + 120
    assert [s.stage for s in a.overdue_stages] == [Stage.QUALITY]


def test_the_case_itself_is_overdue_after_its_total_limit():  # C17, C18
    r = accepted()
    a = compute_assessment(r, now=dt("2026-12-08 09:30"), settings=S, calendar=S.calendar())
    assert a.case.timeliness is Timeliness.OVERDUE and a.case.overdue_minutes == 60


def test_a_settings_override_changes_the_limit():
    s = Settings(quality_days=2)
    assert accepted(settings=s).record(Stage.QUALITY).due == dt("2026-11-25 11:30")


def test_format_working_time():
    assert format_working(600, 480) == "1天2小时"
    assert format_working(90, 480) == "1小时30分"
    assert format_working(0, 480) == ""
