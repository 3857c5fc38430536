"""The service desk (rules S1–S17): calls, arrival deadlines, fees, repairs, daily reports,
contracts and surveys — pure functions over values, ``now`` always an argument.

A call (叫修) is logged with its zone and category; its arrival deadline is 6 working hours after
the call in the city and 7 in the suburbs (S13), on the same working calendar as complaints (T1,
T3: lunch break, weekends, public holidays, make-up working days, the company's 日历). Until the
technician arrives the call is 正常 / 即将到期 / 逾期 at ``now``; once arrived it stays 按时到达 or
迟到 with the working minutes it was late.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .calendar import WorkCalendar
from .problems import Problem, problem
from .service_terms import Arrival as Arrival
from .service_terms import CallStatus as CallStatus
from .service_terms import Category as Category
from .service_terms import Level as Level
from .service_terms import Settlement as Settlement
from .service_terms import Zone as Zone
from .settings import _meta, validated_overrides

SURVEY_ITEMS: tuple[tuple[str, str], ...] = (
    ("attitude", "态度"),
    ("skill", "技术"),
    ("arrival", "到达时间"),
    ("promise", "答应事情的办理"),
)
DEFAULT_SCORES: Mapping[Level, int] = {
    Level.VERY_SATISFIED: 4,
    Level.SATISFIED: 3,
    Level.DISSATISFIED: 2,
    Level.VERY_DISSATISFIED: 1,
}


class ServiceRules(BaseModel):
    """The service desk's defaults (regulation.md), overridable row by row in the service
    workbook's 设置 (beside the calendar's T1/T4 settings, which it shares with the register).
    Field order is the order of the 设置 sheet."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    city_hours: Decimal = Field(
        Decimal(6), gt=0, le=80, json_schema_extra=_meta("市区到达时限(工作小时)", "S13", "自叫修起至到达现场")
    )
    suburb_hours: Decimal = Field(
        Decimal(7), gt=0, le=80, json_schema_extra=_meta("郊区到达时限(工作小时)", "S13", "自叫修起至到达现场")
    )
    service_due_soon_hours: Decimal = Field(
        Decimal(1),
        ge=0,
        json_schema_extra=_meta("到达即将到期提醒(工作小时)", "S13", "剩余工作时间不超过此值时标为即将到期"),
    )
    small_fee: Decimal = Field(
        Decimal(500),
        ge=0,
        json_schema_extra=_meta("现场收费上限(元)", "S4", "有费服务收费不超过此金额时现场收取，否则当日开票请款"),
    )
    notice_months: int = Field(
        1, ge=1, le=12, json_schema_extra=_meta("保养到期通知提前(月)", "S14", "合同到期前此期限内发出保养到期通知书")
    )
    call_no_serial_width: int = Field(
        3,
        ge=2,
        le=6,
        json_schema_extra=_meta("叫修编号流水号位数", "S2", "叫修编号=J+年2位+月2位+流水号；每月用尽时加大此值"),
    )
    repair_warn_days: int = Field(
        1,
        ge=0,
        le=30,
        json_schema_extra=_meta("修护预警(工作日)", "S8", "距承诺日期不超过此工作日数仍未返还的修护，报服务主任"),
    )

    @property
    def due_soon_hours(self) -> Decimal:
        return self.service_due_soon_hours

    def limit_minutes(self, zone: Zone) -> int:
        hours = self.city_hours if zone is Zone.CITY else self.suburb_hours
        return int(hours * 60)


SERVICE_SETTING_KEYS: tuple[str, ...] = tuple(ServiceRules.model_fields)


def service_setting_meta(key: str) -> dict[str, str]:
    extra = ServiceRules.model_fields[key].json_schema_extra
    assert isinstance(extra, dict)
    return {k: str(v) for k, v in extra.items()}


def compute_service_rules(overrides: Mapping[str, Any]) -> tuple[ServiceRules, list[Problem]]:
    """Defaults overridden by the service workbook's 设置 (the caller hands the calendar's keys to
    ``compute_settings``): read as the register's settings are (:func:`validated_overrides`)."""
    return validated_overrides(ServiceRules, overrides)


# ---------------------------------------------------------------------------------------------
# Reading what a clerk types
def _fold(text: object) -> str:
    return unicodedata.normalize("NFKC", str(text or "")).strip().upper().replace(" ", "")


def parse_category(value: object) -> Category | None:
    """``A``, ``a``, ``Ａ``, ``A 有费服务``, ``有费服务`` → :attr:`Category.PAID`; None otherwise."""
    folded = _fold(value)
    for c in Category:
        if folded in (c.letter, c.value.replace(" ", ""), c.zh):
            return c
    return None


def parse_zone(value: object) -> Zone | None:
    folded = _fold(value)
    aliases = {"市区": Zone.CITY, "市": Zone.CITY, "CITY": Zone.CITY, "郊区": Zone.SUBURB, "郊": Zone.SUBURB}
    return aliases.get(folded) or aliases.get(folded.replace("SUBURB", "郊区"))


def parse_level(value: object) -> Level | None:
    """A survey answer: the level's words, or its score 1–4 (what a card typed in shows)."""
    folded = _fold(value)
    for level in Level:
        if folded == level.value:
            return level
    by_score = {str(v): k for k, v in DEFAULT_SCORES.items()}
    return by_score.get(folded)


# ---------------------------------------------------------------------------------------------
# S13: arrival
def compute_arrival_due(called_at: datetime, zone: Zone, *, rules: ServiceRules, calendar: WorkCalendar) -> datetime:
    """The latest arrival on site: 6 working hours after the call in the city, 7 in the suburbs
    (S13). A call logged outside working time starts counting when work starts (T3)."""
    return calendar.add(called_at, rules.limit_minutes(zone))


@dataclass(frozen=True, slots=True)
class ArrivalState:
    status: Arrival
    late_minutes: int = 0  # working minutes past the deadline (overdue now, or late on arrival)
    left_minutes: int = 0  # working minutes left before the deadline (not yet arrived)


def assess_arrival(
    due: datetime, arrived_at: datetime | None, *, now: datetime, rules: ServiceRules, calendar: WorkCalendar
) -> ArrivalState:
    """S13 at ``now``: a call not yet reached is 正常, 即将到期 (within ``due_soon_hours`` of its
    deadline, in working time) or 逾期; a reached one stays 按时到达 or 迟到 for good."""
    if arrived_at is not None:
        late = calendar.between(due, arrived_at) if arrived_at > due else 0
        return (
            ArrivalState(Arrival.ARRIVED_LATE, late_minutes=late) if late > 0 else ArrivalState(Arrival.ARRIVED_ON_TIME)
        )
    if now > due:
        late = calendar.between(due, now)
        if late > 0:
            return ArrivalState(Arrival.OVERDUE, late_minutes=late)
    left = calendar.between(now, due) if now < due else 0
    soon = int(rules.due_soon_hours * 60)
    return ArrivalState(Arrival.DUE_SOON if left <= soon else Arrival.ON_TIME, left_minutes=left)


# ---------------------------------------------------------------------------------------------
# S4 / S7: fees
def settle_fee(category: Category, fee: Decimal | None, *, rules: ServiceRules) -> tuple[Settlement, list[Problem]]:
    """How a finished call is settled: paid work (A) with a fee up to ``small_fee`` is collected on
    site, a larger fee or none at all is invoiced the same day (S4); contract, free and
    administrative work is not charged — a fee on it is refused."""
    if fee is not None and fee < 0:
        return Settlement.NONE, [problem("E-SERVICE-FEE", fee=fee, rule="S4")]
    if category is not Category.PAID:
        if fee:
            return Settlement.NONE, [problem("E-SERVICE-FEE-NOT-PAID", fee=fee, category=category.value, rule="S4")]
        return Settlement.NONE, []
    if fee is not None and 0 < fee <= rules.small_fee:
        return Settlement.ON_SITE, []
    return Settlement.INVOICE, []


# ---------------------------------------------------------------------------------------------
# S8: repairs that will miss their promised date
def repair_needs_escalation(
    promised: date | None, returned: date | None, *, today: date, rules: ServiceRules, calendar: WorkCalendar
) -> bool:
    """S8: a carried-in repair not returned and due within ``repair_warn_days`` working days (or
    past its promised date) goes to the service supervisor."""
    if promised is None or returned is not None:
        return False
    if today >= promised:
        return True
    day, left = today, 0
    while day < promised and left <= rules.repair_warn_days:
        day = calendar.next_working_day(day, inclusive=False)
        left += 1
    return left <= rules.repair_warn_days


# ---------------------------------------------------------------------------------------------
# S9 / S10: daily reports
@dataclass(frozen=True, slots=True)
class TimeEntry:
    day: date
    technician: str
    category: Category
    hours: Decimal
    call_no: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class PersonDay:
    """One line of the supervisor's daily report (S10): a person's hours by category."""

    technician: str
    hours: Mapping[Category, Decimal]
    jobs: int

    @property
    def total(self) -> Decimal:
        return sum(self.hours.values(), Decimal(0))


def supervisor_report(entries: Iterable[TimeEntry], day: date) -> list[PersonDay]:
    """S10, built from the technicians' daily reports (S9): per person, hours by category."""
    by_person: dict[str, dict[Category, Decimal]] = {}
    jobs: dict[str, int] = {}
    for e in entries:
        if e.day != day:
            continue
        hours = by_person.setdefault(e.technician, {c: Decimal(0) for c in Category})
        hours[e.category] += e.hours
        jobs[e.technician] = jobs.get(e.technician, 0) + 1
    return [PersonDay(t, by_person[t], jobs[t]) for t in sorted(by_person)]


# ---------------------------------------------------------------------------------------------
# S12: the day's reconciliation
@dataclass(frozen=True, slots=True)
class CallView:
    """What the day's work needs of a call."""

    call_no: str
    called_at: datetime
    status: CallStatus
    technician: str = ""
    voucher_signed: bool = False
    finished_at: datetime | None = None


def reconcile(calls: Sequence[CallView], day: date) -> tuple[list[CallView], list[CallView]]:
    """S12: the calls closed on ``day`` without a signed voucher (to chase), and every call still
    waiting for a technician (dispatched first the next working day), oldest first."""
    unsigned = [
        c
        for c in calls
        if c.status is CallStatus.CLOSED
        and not c.voucher_signed
        and c.finished_at is not None
        and c.finished_at.date() == day
    ]
    waiting = sorted(
        (c for c in calls if c.status is CallStatus.LOGGED and c.called_at.date() <= day), key=lambda c: c.called_at
    )
    return unsigned, waiting


# ---------------------------------------------------------------------------------------------
# S14: contracts
def notice_due(end: date, *, today: date, rules: ServiceRules) -> bool:
    """S14: a contract ending within ``notice_months`` month(s) of ``today`` (and not ended)."""
    if end < today:
        return False
    month = today.month - 1 + rules.notice_months
    year, month = today.year + month // 12, month % 12 + 1
    last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
    horizon = date(year, month, min(today.day, last))
    return end <= horizon


# ---------------------------------------------------------------------------------------------
# S15: surveys
def survey_score(answers: Mapping[str, Level], scores: Mapping[Level, int] = DEFAULT_SCORES) -> int:
    """The card's total: each of the four items scored by its level (S15)."""
    return sum(scores[answers[item]] for item, _ in SURVEY_ITEMS)


# ---------------------------------------------------------------------------------------------
# S11, S13, S15: the month per technician, over one centre or several
@dataclass(frozen=True, slots=True)
class CallFacts:
    centre: str
    call_no: str
    technician: str
    finished_at: datetime | None
    arrived_at: datetime | None
    arrival: Arrival | None
    late_minutes: int = 0


@dataclass(frozen=True, slots=True)
class SurveyFacts:
    centre: str
    call_no: str
    technician: str
    returned: date | None
    answers: Mapping[str, Level]


@dataclass
class TechnicianMonth:
    """One technician's month at one centre (S11): calls closed, arrivals on time and late (S13),
    survey cards returned and their average per item and in total (S15), hours by category (S9)."""

    centre: str
    technician: str
    closed: int = 0
    on_time: int = 0
    late: int = 0
    late_minutes: int = 0
    cards: int = 0
    item_scores: dict[str, Decimal] | None = None  # the average per survey item, None without cards
    hours: dict[Category, Decimal] | None = None

    @property
    def average(self) -> Decimal | None:
        if not self.item_scores:
            return None
        return sum(self.item_scores.values(), Decimal(0))


def _in_month(moment: date | None, year: int, month: int) -> bool:
    return moment is not None and moment.year == year and moment.month == month


def compute_service_month(
    calls: Iterable[CallFacts],
    surveys: Iterable[SurveyFacts],
    entries: Iterable[tuple[str, TimeEntry]],
    *,
    year: int,
    month: int,
    scores: Mapping[Level, int] = DEFAULT_SCORES,
) -> list[TechnicianMonth]:
    """Per (centre, technician): calls closed in the month, the month's arrivals on time and late
    with the working minutes late, the cards returned in the month scored per item (averaged to two
    decimals), and the month's hours by category from the timesheets. Sorted by centre and name."""
    rows: dict[tuple[str, str], TechnicianMonth] = {}

    def row(centre: str, technician: str) -> TechnicianMonth:
        key = (centre, technician)
        if key not in rows:
            rows[key] = TechnicianMonth(centre, technician, hours={c: Decimal(0) for c in Category})
        return rows[key]

    for c in calls:
        if not c.technician:
            continue
        if c.finished_at is not None and _in_month(c.finished_at.date(), year, month):
            row(c.centre, c.technician).closed += 1
        if c.arrived_at is not None and _in_month(c.arrived_at.date(), year, month):
            r = row(c.centre, c.technician)
            if c.arrival is Arrival.ARRIVED_LATE:
                r.late += 1
                r.late_minutes += c.late_minutes
            else:
                r.on_time += 1
    totals: dict[tuple[str, str], dict[str, int]] = {}
    for s in surveys:
        if not s.technician or not _in_month(s.returned, year, month) or len(s.answers) < len(SURVEY_ITEMS):
            continue
        r = row(s.centre, s.technician)
        r.cards += 1
        sums = totals.setdefault((s.centre, s.technician), {item: 0 for item, _ in SURVEY_ITEMS})
        for item, _ in SURVEY_ITEMS:
            sums[item] += scores[s.answers[item]]
    for key, sums in totals.items():
        r = rows[key]
        r.item_scores = {item: (Decimal(v) / r.cards).quantize(Decimal("0.01")) for item, v in sums.items()}
    for centre, e in entries:
        if _in_month(e.day, year, month):
            hours = row(centre, e.technician).hours
            assert hours is not None
            hours[e.category] += e.hours
    return [rows[k] for k in sorted(rows)]
