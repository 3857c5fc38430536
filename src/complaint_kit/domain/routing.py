"""Routing of a complaint form and the deadline of every stage (rules C6, C17, C18, T1–T3).

A stage starts when the previous one is done and is due after its limit in *working* time;
R&D may be marked not needed and is then skipped (C6.5). The whole case is due 13 (domestic)
or 17 (foreign) days after the GM office's acceptance (C17), counted per T2. For any ``now``
:func:`compute_assessment` says whether each stage and the case are on time, due soon or
overdue, and by how much working time.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from .calendar import WorkCalendar
from .problems import Problem, problem
from .rules import STAGE_ORDER, CaseLimitBasis, Department, Market, Stage
from .settings import Settings


class Status(StrEnum):
    """Lifecycle of a case."""

    DRAFT = "草稿"
    OPEN = "处理中"
    AWAITING_APPROVAL = "待核决"
    CLOSED = "已结案"


class Timeliness(StrEnum):
    PENDING = "未开始"
    ON_TIME = "正常"
    DUE_SOON = "即将到期"
    OVERDUE = "逾期"
    DONE_ON_TIME = "按时完成"
    DONE_LATE = "逾期完成"
    SKIPPED = "不需要"


@dataclass(frozen=True, slots=True)
class StageRecord:
    stage: Stage
    start: datetime | None = None
    due: datetime | None = None
    done: datetime | None = None
    by: str = ""
    skipped: bool = False

    @property
    def is_open(self) -> bool:
        return self.start is not None and self.done is None and not self.skipped


@dataclass(frozen=True, slots=True)
class Routing:
    """Where a case is: its market, acceptance, total deadline and one record per stage."""

    market: Market
    accepted_at: datetime | None = None
    case_due: datetime | None = None
    stages: tuple[StageRecord, ...] = field(default_factory=lambda: tuple(StageRecord(s) for s in STAGE_ORDER))

    def record(self, stage: Stage) -> StageRecord:
        return self.stages[STAGE_ORDER.index(stage)]

    def with_record(self, new: StageRecord) -> Routing:
        stages = tuple(new if r.stage is new.stage else r for r in self.stages)
        return replace(self, stages=stages)

    @property
    def current(self) -> StageRecord | None:
        """The open stage, if any (after intake exactly one stage is open until approval)."""
        return next((r for r in self.stages if r.is_open), None)

    @property
    def closed_at(self) -> datetime | None:
        return self.record(Stage.APPROVAL).done

    @property
    def status(self) -> Status:
        if self.accepted_at is None:
            return Status.DRAFT
        if self.closed_at is not None:
            return Status.CLOSED
        current = self.current
        if current is not None and current.stage is Stage.APPROVAL:
            return Status.AWAITING_APPROVAL
        return Status.OPEN


def limit_minutes(days: Decimal, calendar: WorkCalendar) -> int:
    """Working days → working minutes (T1: "1/2 天" = half a working day = 240 min by default)."""
    return int((days * calendar.day_minutes).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def compute_stage_due(
    stage: Stage,
    start: datetime,
    market: Market,
    *,
    settings: Settings,
    calendar: WorkCalendar,
    case_due: datetime | None = None,
) -> datetime | None:
    """The deadline of ``stage`` started at ``start`` (C6). Approval has no limit of its own: it
    is due with the case (C17)."""
    days = settings.stage_limits()[stage].days(market)
    if days is None:
        return case_due
    return calendar.add(start, limit_minutes(days, calendar))


def compute_case_due(accepted_at: datetime, market: Market, *, settings: Settings, calendar: WorkCalendar) -> datetime:
    """C17 with T2: calendar days by default, working days when the setting says so."""
    days = settings.case_limit_days(market)
    if settings.case_limit_basis is CaseLimitBasis.WORKING:
        return calendar.add(accepted_at, days * calendar.day_minutes)
    return calendar.add_calendar_days(accepted_at, days)


def compute_acceptance(
    *,
    market: Market,
    reported_at: datetime,
    received_at: datetime,
    accepted_at: datetime,
    sales_rep: str,
    settings: Settings,
    calendar: WorkCalendar,
) -> tuple[Routing, list[Problem]]:
    """The GM office accepts a form (C6.1–C6.2): intake ran from the customer's report to the
    GM office's receipt; Quality starts at acceptance; the case clock starts too (C17)."""
    problems: list[Problem] = []
    if received_at < reported_at:
        problems.append(problem("E-RECEIVED-BEFORE-REPORT", field="received_at"))
    if accepted_at < received_at:
        problems.append(problem("E-ACCEPTED-BEFORE-RECEIVED", field="accepted_at"))
    if problems:
        return Routing(market), problems
    case_due = compute_case_due(accepted_at, market, settings=settings, calendar=calendar)
    routing = Routing(market, accepted_at=accepted_at, case_due=case_due)
    routing = routing.with_record(
        StageRecord(
            Stage.INTAKE,
            reported_at,
            compute_stage_due(Stage.INTAKE, reported_at, market, settings=settings, calendar=calendar),
            received_at,
            sales_rep,
        )
    )
    routing = routing.with_record(
        StageRecord(
            Stage.QUALITY,
            accepted_at,
            compute_stage_due(Stage.QUALITY, accepted_at, market, settings=settings, calendar=calendar),
            by="",
        )
    )
    return routing, []


def compute_completion(
    routing: Routing,
    stage: Stage,
    *,
    by: str,
    now: datetime,
    rnd_needed: bool,
    settings: Settings,
    calendar: WorkCalendar,
) -> tuple[Routing, list[Problem]]:
    """Stamp ``stage`` done at ``now`` by ``by`` and start the next stage (C6).

    R&D is skipped when ``rnd_needed`` is false (C6.5: "when the abnormality calls for it").
    """
    current = routing.current
    if routing.accepted_at is None:
        return routing, [problem("E-NOT-ACCEPTED", field="case_no")]
    if current is None:
        return routing, [problem("E-CLOSED", field="status")]
    if current.stage is not stage:
        return routing, [
            problem(
                "E-WRONG-STAGE",
                field="status",
                open_zh=current.stage.zh,
                open_en=current.stage.value,
                stage_zh=stage.zh,
                stage_en=stage.value,
            )
        ]
    if not by.strip():
        return routing, [problem("E-BY-REQUIRED", field=f"{stage.value}_by")]
    assert current.start is not None
    if now < current.start:
        return routing, [problem("E-DONE-BEFORE-START", field=f"{stage.value}_done_at", start=current.start)]
    routing = routing.with_record(replace(current, done=now, by=by.strip()))
    index = STAGE_ORDER.index(stage) + 1
    while index < len(STAGE_ORDER):
        nxt = STAGE_ORDER[index]
        if nxt is Stage.RND and not rnd_needed:
            routing = routing.with_record(StageRecord(Stage.RND, skipped=True))
            index += 1
            continue
        due = compute_stage_due(
            nxt, now, routing.market, settings=settings, calendar=calendar, case_due=routing.case_due
        )
        routing = routing.with_record(StageRecord(nxt, now, due))
        break
    return routing, []


@dataclass(frozen=True, slots=True)
class StageAssessment:
    stage: Stage
    timeliness: Timeliness
    overdue_minutes: int = 0  # working minutes past the deadline (now or at completion)
    remaining_minutes: int = 0  # working minutes left while open and not overdue


@dataclass(frozen=True, slots=True)
class Assessment:
    status: Status
    case: StageAssessment  # the C17 total limit, reported like a stage
    stages: tuple[StageAssessment, ...]
    current: Stage | None
    holder: Department | None

    def stage(self, stage: Stage) -> StageAssessment:
        return self.stages[STAGE_ORDER.index(stage)]

    @property
    def overdue_stages(self) -> list[StageAssessment]:
        return [s for s in self.stages if s.timeliness in (Timeliness.OVERDUE, Timeliness.DONE_LATE)]


def compute_timeliness(
    stage: Stage, due: datetime, done: datetime | None, *, now: datetime, soon_minutes: int, calendar: WorkCalendar
) -> StageAssessment:
    """On time, due soon or overdue at ``now`` while open; done on time or late once done (C18)."""
    if done is not None:
        late = calendar.between(due, done)
        if done > due and late > 0:
            return StageAssessment(stage, Timeliness.DONE_LATE, overdue_minutes=late)
        return StageAssessment(stage, Timeliness.DONE_ON_TIME)
    if now > due:
        return StageAssessment(stage, Timeliness.OVERDUE, overdue_minutes=calendar.between(due, now))
    left = calendar.between(now, due)
    kind = Timeliness.DUE_SOON if left <= soon_minutes else Timeliness.ON_TIME
    return StageAssessment(stage, kind, remaining_minutes=left)


def _assess_span(
    stage: Stage,
    start: datetime | None,
    due: datetime | None,
    done: datetime | None,
    *,
    skipped: bool,
    now: datetime,
    soon: int,
    calendar: WorkCalendar,
) -> StageAssessment:
    if skipped:
        return StageAssessment(stage, Timeliness.SKIPPED)
    if start is None or due is None:
        return StageAssessment(stage, Timeliness.PENDING)
    return compute_timeliness(stage, due, done, now=now, soon_minutes=soon, calendar=calendar)


def compute_assessment(routing: Routing, *, now: datetime, settings: Settings, calendar: WorkCalendar) -> Assessment:
    """Status of every stage and of the case at ``now`` (C18). "Overdue" is measured in working
    time; a stage done after its deadline stays visible as 逾期完成 for the 洽办单."""
    soon = int(settings.due_soon_hours * 60)
    stages = tuple(
        _assess_span(r.stage, r.start, r.due, r.done, skipped=r.skipped, now=now, soon=soon, calendar=calendar)
        for r in routing.stages
    )
    case = _assess_span(
        Stage.APPROVAL,
        routing.accepted_at,
        routing.case_due,
        routing.closed_at,
        skipped=False,
        now=now,
        soon=soon,
        calendar=calendar,
    )
    current = routing.current
    return Assessment(
        status=routing.status,
        case=case,
        stages=stages,
        current=current.stage if current else None,
        holder=current.stage.holder if current else None,
    )


def format_working(minutes: int, day_minutes: int) -> str:
    """``format_working(600, 480)`` → ``"1天2小时"`` (working days of ``day_minutes``)."""
    if minutes <= 0:
        return ""
    days, rest = divmod(minutes, day_minutes)
    hours, mins = divmod(rest, 60)
    parts = [f"{days}天" if days else "", f"{hours}小时" if hours else "", f"{mins}分" if mins else ""]
    return "".join(parts)
