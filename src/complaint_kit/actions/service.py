"""The service desk's calls (issue 11, rules S2–S4, S12, S13, S15) on a service centre's
workbook: log a call, dispatch it, arrive, finish it (the customer signs, the call is cancelled
注销), record the survey card, and judge every call's arrival at ``now``.

Each action reads the workbook's tables, checks, and hands one :class:`Changes` to ``apply``; on
any error nothing is written. The 时效 column is the kit's judgement of S13 at the command's
``now`` (``status`` brings every call up to date), so the sheet's red rows never depend on the
PC's clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from .. import layout as L
from ..domain.calendar import WorkCalendar
from ..domain.numbering import SerialsExhausted, compute_next_case_no, read_last_issued
from ..domain.problems import Problem, problem
from ..domain.service import (
    SURVEY_ITEMS,
    Arrival,
    ArrivalState,
    CallFacts,
    CallStatus,
    CallView,
    Category,
    Level,
    ServiceRules,
    Settlement,
    SurveyFacts,
    TimeEntry,
    assess_arrival,
    compute_arrival_due,
    compute_service_month,
    compute_service_rules,
    notice_due,
    parse_category,
    parse_level,
    parse_zone,
    reconcile,
    repair_needs_escalation,
    settle_fee,
    supervisor_report,
    survey_score,
)
from ..domain.settings import Settings, compute_settings
from ..domain.values import fold, is_blank, shown, to_datetime, to_decimal, to_text
from ..ports import Book, Changes, ReportSheet, ReportTable, SheetContent, TableData, TableRows, find_rows
from .context import calendar_warnings, read_company_days
from .outcome import Outcome, failed

FUTURE_SLACK = timedelta(minutes=5)  # a call stamped a little ahead of now: two clocks


ARRIVAL_EN = {
    Arrival.ON_TIME: "on time",
    Arrival.DUE_SOON: "due soon",
    Arrival.OVERDUE: "overdue",
    Arrival.ARRIVED_ON_TIME: "on time",
    Arrival.ARRIVED_LATE: "late",
}


@dataclass(frozen=True)
class ServiceContext:
    settings: Settings  # the calendar's (T1, T4)
    rules: ServiceRules
    calendar: WorkCalendar


def load_service_context(book: Book) -> tuple[ServiceContext, list[Problem]]:
    """设置 (the calendar's keys and the service desk's) and 日历 of a service workbook."""
    table = book.read_table(L.SETTINGS_TABLE)
    key_h, value_h = L.SETTINGS_HEADERS[0], L.SETTINGS_HEADERS[2]
    calendar_keys: dict[str, Any] = {}
    service_keys: dict[str, Any] = {}
    rows: dict[str, int] = {}
    for i, rec in enumerate(table.records()):
        key = to_text(rec.get(key_h))
        if not key:
            continue
        rows[key] = i
        (service_keys if key in ServiceRules.model_fields else calendar_keys)[key] = rec.get(value_h)
    settings, problems = compute_settings(calendar_keys)
    rules, found = compute_service_rules(service_keys)
    located = [
        p.at(book.locate_table_cell(L.SETTINGS_TABLE, rows[p.field], value_h) if p.field in rows else book.label)
        for p in problems + found
    ]
    days, found = read_company_days(book)
    return ServiceContext(settings, rules, settings.calendar(days)), located + found


# ---------------------------------------------------------------------------------------------
# the call register as records
def _records(table: TableData) -> list[dict[str, Any]]:
    attr_of = {c.header: c.attr for c in L.CALL_COLUMNS}
    missing = [h for h in L.CALLS_HEADERS if h not in table.headers]
    if missing:
        raise KeyError(f"{L.CALLS_SHEET} 缺少列 missing columns {missing}")
    return [{attr_of.get(h, h): v for h, v in zip(table.headers, row, strict=False)} for row in table.rows]


def _row(headers: tuple[str, ...], record: dict[str, Any]) -> list[Any]:
    attr_of = {c.header: c.attr for c in L.CALL_COLUMNS}
    return [record.get(attr_of.get(h, h)) for h in headers]


def _instant(value: Any) -> datetime | None:
    """A cell as a date-time, None when blank or not one (the kit's own cells, read back)."""
    try:
        return to_datetime(value)
    except ValueError:
        return None


def _day(value: Any) -> date | None:
    moment = _instant(value)
    return moment.date() if moment else None


def _arrival_state(record: dict[str, Any], *, now: datetime, ctx: ServiceContext) -> ArrivalState | None:
    """S13 of a call at ``now`` (None without a deadline); a call closed without an arrival stamp
    counts as reached when it was closed."""
    due, arrived = _instant(record.get("arrival_due")), _instant(record.get("arrived_at"))
    if arrived is None and _status(record) is CallStatus.CLOSED:
        arrived = _instant(record.get("finished_at"))
    if due is None:
        return None
    return assess_arrival(due, arrived, now=now, rules=ctx.rules, calendar=ctx.calendar)


def _judge(record: dict[str, Any], *, now: datetime, ctx: ServiceContext) -> dict[str, Any]:
    """时效 and 迟到工时 of a call at ``now`` (S13); a cancelled call keeps its arrival's verdict."""
    state = _arrival_state(record, now=now, ctx=ctx)
    if state is None:
        return record
    late = _hours(state.late_minutes) if state.late_minutes else None
    return {**record, "arrival": state.status.value, "late_hours": late}


def _hours(minutes: int) -> Decimal:
    """Working minutes as hours to the hundredth, as every sheet shows them (20 min → 0.33)."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


@dataclass
class _Found:
    headers: tuple[str, ...]
    index: int
    record: dict[str, Any]


def _find_call(book: Book, call_no: str) -> tuple[_Found | None, list[Problem]]:
    text = fold(to_text(call_no)).upper()
    found, indexes = find_rows(book, L.CALLS_TABLE, L.CALL_BY_ATTR["call_no"].header, text)
    if not indexes:
        return None, [problem("E-CALL-UNKNOWN", where=book.label, call_no=shown(call_no))]
    return _Found(found.headers, indexes[0], _records(found)[0]), []


def _status(record: dict[str, Any]) -> CallStatus | None:
    try:
        return CallStatus(to_text(record.get("status")))
    except ValueError:
        return None


def _wrong_state(book: Book, found: _Found, action: str) -> Problem:
    where = book.locate_table_cell(L.CALLS_TABLE, found.index, L.CALL_BY_ATTR["status"].header)
    status = to_text(found.record.get("status")) or "空白"
    return problem("E-CALL-STATE", where=where, call_no=found.record["call_no"], status=status, action=action)


def _write_call(book: Book, found: _Found, record: dict[str, Any]) -> None:
    book.apply(Changes(tables={L.CALLS_TABLE: TableRows({found.index: _row(found.headers, record)})}))


# ---------------------------------------------------------------------------------------------
# S2, S13: a call is logged
def log_call(
    book: Book,
    *,
    customer: str,
    zone: str,
    category: str,
    now: datetime,
    address: str = "",
    phone: str = "",
    model: str = "",
    problem_text: str = "",
    called_at: datetime | None = None,
    row: int | None = None,
    note: str = "",
) -> Outcome:
    """S2: a call into the 叫修登记簿 with the next 叫修编号 of its month and its arrival deadline:
    6 working hours in the city, 7 in the suburbs (S13). ``row``: the body row a clerk typed the
    call into (numbered in place); without it the call is added at the end."""
    ctx, problems = load_service_context(book)
    where = book.label
    at = called_at or now
    customer = to_text(customer)
    parsed_zone, parsed_category = parse_zone(zone), parse_category(category)
    if not customer:
        problems.append(problem("E-CALL-CUSTOMER", where=where))
    if parsed_zone is None:
        problems.append(problem("E-CALL-ZONE", where=where, value=shown(zone), choices=" / ".join(L.SERVICE_ZONES)))
    if parsed_category is None:
        choices = " / ".join(L.SERVICE_CATEGORIES)
        problems.append(problem("E-CALL-CATEGORY", where=where, value=shown(category), choices=choices))
    if at > now + FUTURE_SLACK:
        problems.append(problem("E-CALL-FUTURE", where=where, at=f"{at:%Y-%m-%d %H:%M}", now=f"{now:%Y-%m-%d %H:%M}"))
    if any(p.is_error for p in problems) or parsed_zone is None or parsed_category is None:
        return failed(problems)
    table = book.read_table(L.CALLS_TABLE)
    records = _records(table)
    serials = book.read_table(L.SERIALS_TABLE)
    last_issued, damaged = read_last_issued(serials.rows)
    if damaged:
        headers = L.SERIALS_HEADERS
        return failed([p.at(book.locate_table_cell(L.SERIALS_TABLE, i, headers[c])) for i, c, p in damaged])
    prefix = L.CALL_NO_PREFIX
    existing = [to_text(r.get("call_no")).removeprefix(prefix) for r in records]
    try:
        number = compute_next_case_no(
            at, last_issued=last_issued, existing=existing, width=ctx.rules.call_no_serial_width
        )
    except SerialsExhausted as exc:
        return failed([problem("E-CALL-SERIALS-EXHAUSTED", where=where, detail=str(exc))])
    call_no = f"{prefix}{number}"
    due = compute_arrival_due(at, parsed_zone, rules=ctx.rules, calendar=ctx.calendar)
    record = _judge(
        {
            "call_no": call_no,
            "customer": customer,
            "address": to_text(address),
            "phone": to_text(phone),
            "model": to_text(model),
            "zone": parsed_zone.value,
            "category": parsed_category.value,
            "called_at": at,
            "arrival_due": due,
            "status": CallStatus.LOGGED.value,
            "problem": to_text(problem_text) or None,
            "note": to_text(note) or None,
            "updated_at": now,
        },
        now=now,
        ctx=ctx,
    )
    issued = {**last_issued, number.month_key: number.serial}
    body = _placed(table, _row(table.headers, record), row)
    book.apply(
        Changes(
            tables={
                L.CALLS_TABLE: body,
                L.SERIALS_TABLE: [[m, s] for m, s in sorted(issued.items())],
            }
        )
    )
    zone_text = f"{parsed_zone.value} {ctx.rules.limit_minutes(parsed_zone) / 60:g} 个工作小时"
    return Outcome(
        problems + _calendar_warnings(ctx),
        [
            f"已登记叫修 {call_no}（{customer}，{parsed_category.value}）；到达期限 {due:%Y-%m-%d %H:%M}（{zone_text}）"
            f" — call {call_no} logged; arrive by {due:%Y-%m-%d %H:%M} (rule S13)"
        ],
        {"call_no": call_no, "arrival_due": due},
    )


def _calendar_warnings(ctx: ServiceContext) -> list[Problem]:
    return calendar_warnings(ctx.calendar)


def _settle(
    book: Book, record: dict[str, Any], fee: str | None, ctx: ServiceContext
) -> tuple[Category, Decimal | None, Settlement, list[Problem]]:
    """The call's category, the fee as typed (``￥1,200``, ``300元``) and how it is settled (S4)."""
    category = parse_category(record.get("category")) or Category.FREE
    try:
        amount = to_decimal(fee)
    except ValueError:
        return category, None, Settlement.NONE, [problem("E-SERVICE-FEE-TEXT", where=book.label, fee=shown(fee))]
    settlement, refused = settle_fee(category, amount, rules=ctx.rules)
    return category, amount, settlement, [p.at(book.label) for p in refused]


# ---------------------------------------------------------------------------------------------
# S2: dispatch, S13: arrival
def dispatch_call(book: Book, call_no: str, *, technician: str, now: datetime, at: datetime | None = None) -> Outcome:
    """The supervisor sends a technician (S2), at ``now`` or at ``at`` as typed; a call not
    reached yet may be sent to another."""
    ctx, problems = load_service_context(book)
    found, missing = _find_call(book, call_no)
    if found is None:
        return failed(problems + missing)
    status = _status(found.record)
    if status not in (CallStatus.LOGGED, CallStatus.DISPATCHED):
        return failed([*problems, _wrong_state(book, found, "派工")])
    name = to_text(technician)
    unknown = _unknown_technician(book, name)
    if unknown is not None:
        return failed([*problems, unknown])
    sent = at or now
    refused = _out_of_order(book, found.record, sent, now)
    if refused is not None:
        return failed([*problems, refused])
    record = _judge(
        {
            **found.record,
            "technician": name,
            "dispatched_at": sent,
            "status": CallStatus.DISPATCHED.value,
            "updated_at": now,
        },
        now=now,
        ctx=ctx,
    )
    _write_call(book, found, record)
    again = "改派" if status is CallStatus.DISPATCHED else "派工"
    return Outcome(
        problems,
        [
            f"叫修 {record['call_no']} 已{again}给 {name}；到达期限 {_when(record['arrival_due'])}，"
            f"时效 {record['arrival']} — call {record['call_no']} dispatched to {name};"
            f" arrive by {_when(record['arrival_due'])}"
        ],
        {"call_no": record["call_no"], "arrival": record["arrival"]},
    )


def _unknown_technician(book: Book, name: str) -> Problem | None:
    """E-TECH-UNKNOWN unless ``name`` is a 技术员 in 服务人员 (an empty table: anyone may be sent)."""
    listed = _not_staff(book, name, "技术员")
    if listed is None:
        return None
    return problem("E-TECH-UNKNOWN", where=book.label, name=shown(name) or "空白", listed=listed)


def _not_staff(book: Book, name: str, role: str) -> str | None:
    """None when ``name`` holds ``role`` in 服务人员 (or nobody is listed in it); else the names
    that are, for the message."""
    try:
        table = book.read_table(L.SERVICE_STAFF_TABLE)
    except KeyError:
        table = TableData(L.SERVICE_STAFF_HEADERS, [])
    staff = {to_text(r[0]) for r in table.rows if to_text(r[1]) == role and to_text(r[0])}
    if name and (not staff or name in staff):
        return None
    return "、".join(sorted(staff)) or "（空）"


STEP_TIMES = (("called_at", "叫修"), ("dispatched_at", "派工"), ("arrived_at", "到达"))


def _out_of_order(
    book: Book, record: dict[str, Any], at: datetime, now: datetime, *, after: str = "called_at"
) -> Problem | None:
    """A step of a call stamped before the step it follows (``after`` and those before it: a
    finish before the arrival, an arrival before the dispatch), or later than now (two clocks
    aside)."""
    steps = [a for a, _ in STEP_TIMES]
    for attr, label in STEP_TIMES[: steps.index(after) + 1]:
        before = _instant(record.get(attr))
        if before is not None and at < before:
            return problem("E-CALL-BEFORE", where=book.label, at=_when(at), step=label, before=_when(before))
    if at > now + FUTURE_SLACK:
        return problem("E-CALL-FUTURE", where=book.label, at=_when(at), now=f"{now:%Y-%m-%d %H:%M}")
    return None


def _when(value: Any) -> str:
    moment = _instant(value)
    return f"{moment:%Y-%m-%d %H:%M}" if moment else "—"


def arrive_call(book: Book, call_no: str, *, now: datetime, at: datetime | None = None) -> Outcome:
    """The technician is on site (S13): on time or late, in working hours, for good."""
    ctx, problems = load_service_context(book)
    found, missing = _find_call(book, call_no)
    if found is None:
        return failed(problems + missing)
    if _status(found.record) is not CallStatus.DISPATCHED:
        return failed([*problems, _wrong_state(book, found, "登记到达")])
    arrived = at or now
    refused = _out_of_order(book, found.record, arrived, now, after="dispatched_at")
    if refused is not None:
        return failed([*problems, refused])
    record = _judge(
        {**found.record, "arrived_at": arrived, "status": CallStatus.ARRIVED.value, "updated_at": now},
        now=now,
        ctx=ctx,
    )
    _write_call(book, found, record)
    is_late = record["arrival"] == Arrival.ARRIVED_LATE.value
    late = f" {record['late_hours']} 工作小时" if is_late else ""
    late_en = f" by {record['late_hours']} working hours" if is_late else ""
    return Outcome(
        problems,
        [
            f"叫修 {record['call_no']}：{_when(arrived)} 到达，{record['arrival']}{late}"
            f" — call {record['call_no']}: arrived {_when(arrived)}, {ARRIVAL_EN[Arrival(record['arrival'])]}{late_en}"
        ],
        {"call_no": record["call_no"], "arrival": record["arrival"]},
    )


# ---------------------------------------------------------------------------------------------
# S3, S4: finished on site
def finish_call(
    book: Book,
    call_no: str,
    *,
    now: datetime,
    fee: str | None = None,
    signed: bool = True,
    note: str = "",
    at: datetime | None = None,
) -> Outcome:
    """S3: the customer signs the voucher and the call is cancelled (注销); S4: paid work with a
    small fee is collected on site, otherwise invoiced the same day. A call closed without the
    customer's signature is flagged for the day's reconciliation (S12)."""
    ctx, problems = load_service_context(book)
    found, missing = _find_call(book, call_no)
    if found is None:
        return failed(problems + missing)
    if _status(found.record) is not CallStatus.ARRIVED:
        return failed([*problems, _wrong_state(book, found, "完成注销")])
    category, amount, settlement, refused = _settle(book, found.record, fee, ctx)
    if refused:
        return failed(problems + refused)
    done = at or now
    late = _out_of_order(book, found.record, done, now, after="arrived_at")
    if late is not None:
        return failed([*problems, late])
    if not signed:
        problems.append(problem("W-SERVICE-UNSIGNED", where=book.label, call_no=found.record["call_no"]))
    record = {
        **found.record,
        "finished_at": done,
        "status": CallStatus.CLOSED.value,
        "signed": "是" if signed else "否",
        "fee": amount.quantize(Decimal("0.01")) if amount is not None else None,
        "settlement": settlement.value,
        "note": "；".join(x for x in (to_text(found.record.get("note")), to_text(note)) if x) or None,
        "updated_at": now,
    }
    _write_call(book, found, record)
    if settlement is Settlement.ON_SITE:
        money, money_en = f"现场收费 {record['fee']:,.2f} 元，交会计", f"{record['fee']:,.2f} collected on site"
    elif settlement is Settlement.INVOICE:
        money, money_en = "当日开票请款", "invoiced today"
    else:
        money, money_en = "不收费", "no charge"
    return Outcome(
        problems,
        [
            f"叫修 {record['call_no']} 已完成并注销（{category.value}，{money}）"
            f" — call {record['call_no']} done and closed ({money_en})"
        ],
        {"call_no": record["call_no"], "settlement": settlement.value},
    )


# ---------------------------------------------------------------------------------------------
# S15: the survey card
def record_survey(
    book: Book, call_no: str, *, answers: dict[str, Any], now: datetime, row: int | None = None
) -> Outcome:
    """A returned 客户意见调查卡: the four items on four levels (S15), scored, one card per call.
    ``row``: the body row a clerk typed the card into (scored in place)."""
    _, problems = load_service_context(book)
    found, missing = _find_call(book, call_no)
    if found is None:
        return failed(problems + missing)
    if _status(found.record) is not CallStatus.CLOSED:
        return failed([*problems, _wrong_state(book, found, "登记调查卡")])
    levels: dict[str, Level] = {}
    for item, label in SURVEY_ITEMS:
        level = parse_level(answers.get(item))
        if level is None:
            choices = " / ".join(L.SURVEY_LEVELS)
            problems.append(
                problem(
                    "E-SURVEY-LEVEL",
                    field=item,
                    where=book.label,
                    item=label,
                    value=shown(answers.get(item)),
                    choices=choices,
                )
            )
        else:
            levels[item] = level
    if any(p.is_error for p in problems):
        return failed(problems)
    score = survey_score(levels)
    record = found.record
    table = book.read_table(L.SURVEYS_TABLE)
    card = [
        record["call_no"],
        record.get("customer"),
        record.get("technician"),
        None,
        *(levels[item].value for item, _ in SURVEY_ITEMS),
        score,
        now.date(),
    ]
    rows = [list(r) for r in table.rows]
    mine = [i for i, r in enumerate(rows) if to_text(r[0]).upper() == record["call_no"]]
    if row is not None:  # typed into a row: that row is the card, and the only one of its call
        others = [i for i in mine if i != row]
        if others:
            header = L.SURVEYS_HEADERS[0]
            where, other = (book.locate_table_cell(L.SURVEYS_TABLE, i, header) for i in (row, others[0]))
            return failed([*problems, problem("E-SURVEY-TWICE", where=where, call_no=record["call_no"], other=other)])
        mine = [row]
    if mine and not is_blank(rows[mine[0]][3]):
        card[3] = rows[mine[0]][3]  # the card went out that day
    else:
        finished = _instant(record.get("finished_at"))
        card[3] = finished.date() if finished else now.date()  # sent the day the call was closed (S15)
    before = rows[mine[0]][L.SURVEYS_HEADERS.index("得分")] if mine else None
    if mine:
        rows[mine[0]] = card  # one card per call: a second recording corrects it, and says so
    else:
        rows.append(card)
    book.apply(Changes(tables={L.SURVEYS_TABLE: rows}))
    fixed = f"（更正，原得分 {before}）" if not is_blank(before) else ""
    fixed_en = f" (corrected; it was {before})" if fixed else ""
    return Outcome(
        problems,
        [
            f"叫修 {record['call_no']} 的调查卡已登记，得分 {score}/16{fixed}"
            f" — survey of call {record['call_no']}: {score}/16{fixed_en}"
        ],
        {"call_no": record["call_no"], "score": score},
    )


# ---------------------------------------------------------------------------------------------
# S13 at now, every call
def judge_calls(book: Book, *, now: datetime) -> Outcome:
    """Every call's 时效 at ``now`` (S13): the calls not reached yet become 正常 / 即将到期 /
    逾期; the rest keep their verdict. Lists the overdue ones, oldest deadline first."""
    ctx, problems = load_service_context(book)
    table = book.read_table(L.CALLS_TABLE)
    records = _records(table)
    judged = [_judge(r, now=now, ctx=ctx) for r in records]
    changed = {
        i: _row(table.headers, {**new, "updated_at": now})
        for i, (old, new) in enumerate(zip(records, judged, strict=True))
        if (old.get("arrival"), old.get("late_hours")) != (new.get("arrival"), new.get("late_hours"))
    }
    if changed:
        book.apply(Changes(tables={L.CALLS_TABLE: TableRows(changed)}))
    overdue = sorted(
        (r for r in judged if r.get("arrival") == Arrival.OVERDUE.value),
        key=lambda r: _instant(r.get("arrival_due")) or now,
    )
    soon = [r for r in judged if r.get("arrival") == Arrival.DUE_SOON.value]
    waiting = [r for r in judged if _status(r) in (CallStatus.LOGGED, CallStatus.DISPATCHED)]
    lines = [
        f"叫修 {len(judged)} 件，未到达 {len(waiting)} 件，其中逾期 {len(overdue)} 件、即将到期 {len(soon)} 件"
        f" — {len(judged)} calls, {len(waiting)} not reached: {len(overdue)} overdue, {len(soon)} due soon"
    ]
    lines += [
        f"  逾期 overdue {r['call_no']} {to_text(r.get('customer'))} 期限 {_when(r.get('arrival_due'))}"
        f" 技术员 {to_text(r.get('technician')) or '未派工'} 已逾 {r.get('late_hours')} 工作小时"
        for r in overdue
    ]
    late_repairs = repairs_to_escalate(book, today=now.date(), ctx=ctx)
    lines += [
        f"  修护预警 repair due {to_text(r['收据编号'])} {to_text(r['客户'])} {to_text(r['商品'])}"
        f" 承诺 {_day(r['承诺日期'])} 技术员 {to_text(r['技术员'])}：报服务主任（S8）"
        for r in late_repairs
    ]
    data = {"overdue": len(overdue), "changed": len(changed), "repairs": len(late_repairs)}
    return Outcome(problems + _calendar_warnings(ctx), lines, data)


# ---------------------------------------------------------------------------------------------
# S9, S10, S12, S15: the day's work
def _time_entries(
    book: Book, calls_by_no: dict[str, dict[str, Any]], first: date, last: date
) -> tuple[list[TimeEntry], list[Problem]]:
    """技术员工作日报表 rows from ``first`` to ``last`` as time entries (S9); a row's category defaults
    to its call's. A row of those days (or of no readable day) that cannot be read is a problem at
    its cell and left out; rows of other days are not looked at (each is named on its own day)."""
    table = book.read_table(L.TIMESHEET_TABLE)
    entries: list[TimeEntry] = []
    problems: list[Problem] = []
    day_h, tech_h, call_h, cat_h, hours_h, note_h = L.TIMESHEET_HEADERS
    for i, rec in enumerate(table.records()):
        if all(to_text(v) == "" for v in rec.values()):
            continue
        when = _day(rec.get(day_h))
        if when is not None and not first <= when <= last:
            continue
        call_no = fold(to_text(rec.get(call_h))).upper()
        category = parse_category(rec.get(cat_h)) or parse_category(calls_by_no.get(call_no, {}).get("category"))
        try:
            hours = to_decimal(rec.get(hours_h))
        except ValueError:
            hours = None
        bad = [
            (h, v)
            for h, v, ok in (
                (day_h, rec.get(day_h), when is not None),
                (tech_h, rec.get(tech_h), bool(to_text(rec.get(tech_h)))),
                (cat_h, rec.get(cat_h), category is not None),
                (hours_h, rec.get(hours_h), hours is not None and 0 <= hours <= 24),
            )
            if not ok
        ]
        for header, value in bad:
            where = book.locate_table_cell(L.TIMESHEET_TABLE, i, header)
            problems.append(problem("W-TIMESHEET-ROW", where=where, header=header, value=shown(value) or "空白"))
        if bad or when is None or category is None or hours is None:
            continue
        entries.append(TimeEntry(when, to_text(rec.get(tech_h)), category, hours, call_no, to_text(rec.get(note_h))))
    return entries, problems


def _month_span(year: int, month: int) -> tuple[date, date]:
    start = date(year, month, 1)
    return start, (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def day_report(book: Book, *, day: date, now: datetime) -> Outcome:
    """The day's paper (S9–S12, S15), on the sheet 服务日报: the day's calls; the calls closed
    without the customer's signature (to chase, S12); every call still waiting for a technician,
    oldest first, for priority dispatch the next working day (S12); the supervisor's daily report,
    each person's hours by category from the technicians' reports (S10, built from S9); and a
    survey card for every call closed that day (S15: every call, no sampling), added once to
    客户意见调查. *Decision:* "every call of the day" is every call closed (注销) that day: a card
    asks about a visit."""
    ctx, problems = load_service_context(book)
    table = book.read_table(L.CALLS_TABLE)
    records = [_judge(r, now=now, ctx=ctx) for r in _records(table) if to_text(r.get("call_no"))]
    by_no = {to_text(r["call_no"]): r for r in records}
    views = []
    for r in records:
        called, status = _instant(r.get("called_at")), _status(r)
        if called is not None and status is not None:
            signed, finished = r.get("signed") == "是", _instant(r.get("finished_at"))
            views.append(
                CallView(to_text(r["call_no"]), called, status, to_text(r.get("technician")), signed, finished)
            )
    unsigned, waiting = reconcile(views, day)
    entries, found = _time_entries(book, by_no, day, day)
    problems += found
    people = supervisor_report(entries, day)
    closed_today = [r for r in records if (f := _instant(r.get("finished_at"))) is not None and f.date() == day]
    surveys = book.read_table(L.SURVEYS_TABLE)
    carded = {to_text(r[0]) for r in surveys.rows}
    new_cards = [
        [r["call_no"], r.get("customer"), r.get("technician"), day, None, None, None, None, None, None]
        for r in closed_today
        if to_text(r["call_no"]) not in carded
    ]
    next_day = ctx.calendar.next_working_day(day, inclusive=False)
    rows: list[list[Any]] = []
    bold: set[int] = set()
    boxes: list[tuple[int, int]] = []

    def section(title: str, headers: list[str], body: list[list[Any]], empty: str) -> None:
        bold.add(len(rows))
        rows.append([title])
        if not body:
            rows.append([empty])
            return
        bold.add(len(rows))
        start = len(rows)
        rows.append(headers)
        rows.extend(body)
        boxes.append((start, len(rows) - 1))

    of_day = [r for r in records if (c := _instant(r.get("called_at"))) is not None and c.date() == day]
    section(
        f"一、当日叫修 {len(of_day)} 件",
        ["叫修编号", "客户", "类别", "技术员", "叫修时间", "到达期限", "状态", "时效"],
        [
            [
                r["call_no"],
                r.get("customer"),
                r.get("category"),
                r.get("technician"),
                _instant(r.get("called_at")),
                _instant(r.get("arrival_due")),
                r.get("status"),
                r.get("arrival"),
            ]
            for r in of_day
        ],
        "当日无叫修。",
    )
    section(
        f"二、未派工叫修 {len(waiting)} 件：{next_day:%Y-%m-%d} 优先派工（S12）",
        ["叫修编号", "客户", "类别", "", "叫修时间", "到达期限", "状态", "时效"],
        [
            [
                c.call_no,
                by_no[c.call_no].get("customer"),
                by_no[c.call_no].get("category"),
                None,
                c.called_at,
                _instant(by_no[c.call_no].get("arrival_due")),
                c.status.value,
                by_no[c.call_no].get("arrival"),
            ]
            for c in waiting
        ],
        "没有未派工的叫修。",
    )
    section(
        f"三、已注销未签收 {len(unsigned)} 件：请客户补签服务凭证（S3、S12）",
        ["叫修编号", "客户", "类别", "技术员", "完成时间"],
        [
            [
                c.call_no,
                by_no[c.call_no].get("customer"),
                by_no[c.call_no].get("category"),
                c.technician,
                _instant(by_no[c.call_no].get("finished_at")),
            ]
            for c in unsigned
        ],
        "当日注销的叫修均已签收。",
    )
    section(
        "四、服务主任日报表：各人工时（由技术员工作日报表汇总，S9、S10）",
        ["技术员", "件数", *(c.value for c in Category), "合计"],
        [[p.technician, p.jobs, *(p.hours[c] for c in Category), p.total] for p in people],
        "技术员工作日报表中没有当日的记录。",
    )
    section(
        f"五、客户意见调查卡：当日注销 {len(closed_today)} 件，新发 {len(new_cards)} 张（S15）",
        ["叫修编号", "客户", "技术员", "发卡日期"],
        [[c[0], c[1], c[2], c[3]] for c in new_cards],
        "当日没有需发卡的叫修。",
    )
    bold.add(len(rows))
    rows.append(["服务主任签名：＿＿＿＿＿＿＿＿　　分公司经理签名（S11）：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿＿＿"])
    content = SheetContent(
        f"服务日报 {day:%Y-%m-%d}",
        rows,
        L.DAY_REPORT_WIDTHS,
        frozenset(bold),
        {},  # date-times take the date-time format by their type; hours stay numbers
        boxes=tuple(boxes),
        font=L.FONT_NAME,
    )
    changes = Changes(sheets={L.DAY_REPORT_SHEET: content})
    if new_cards:
        changes.tables[L.SURVEYS_TABLE] = [*map(list, surveys.rows), *new_cards]
    book.apply(changes)
    hours = sum((p.total for p in people), Decimal(0))
    return Outcome(
        problems,
        [
            f"服务日报 {day:%Y-%m-%d} 已写入“{L.DAY_REPORT_SHEET}”表：叫修 {len(of_day)} 件，未派工 {len(waiting)} 件，"
            f"未签收 {len(unsigned)} 件，工时 {hours} 小时，新发调查卡 {len(new_cards)} 张"
            f" — day report {day:%Y-%m-%d} on sheet {L.DAY_REPORT_SHEET}: {len(of_day)} calls, {len(waiting)} waiting,"
            f" {len(unsigned)} unsigned, {len(new_cards)} survey cards"
        ],
        {"calls": len(of_day), "waiting": len(waiting), "unsigned": len(unsigned), "cards": len(new_cards)},
    )


# ---------------------------------------------------------------------------------------------
# S14: maintenance contracts about to expire
def contract_notices(book: Book, *, now: datetime) -> Outcome:
    """S14: a 保养到期通知书 for every contract ending within ``notice_months`` that has not had
    one, on the sheet 保养到期通知书 (one boxed block per contract, to print and send), and its
    通知日期 set; a contract without a 续约负责人 is named so someone is assigned to renew it."""
    ctx, problems = load_service_context(book)
    table = book.read_table(L.CONTRACTS_TABLE)
    today = now.date()
    headers = L.CONTRACTS_HEADERS
    no_h, customer_h, address_h, phone_h, model_h, start_h, end_h, owner_h, notified_h, _ = headers
    rows = [list(r) for r in table.rows]
    due: list[int] = []
    for i, rec in enumerate(table.records()):
        if not to_text(rec.get(no_h)):
            continue
        end = _day(rec.get(end_h))
        if end is None:
            where = book.locate_table_cell(L.CONTRACTS_TABLE, i, end_h)
            problems.append(problem("W-CONTRACT-END", where=where, contract=to_text(rec.get(no_h))))
            continue
        if _day(rec.get(notified_h)) is None and notice_due(end, today=today, rules=ctx.rules):
            due.append(i)
            if not to_text(rec.get(owner_h)):
                where = book.locate_table_cell(L.CONTRACTS_TABLE, i, owner_h)
                problems.append(problem("W-CONTRACT-OWNER", where=where, contract=to_text(rec.get(no_h))))
    lines: list[list[Any]] = []
    bold: set[int] = set()
    boxes: list[tuple[int, int]] = []
    wide: dict[int, float | None] = {}
    for i in due:
        rec = dict(zip(headers, rows[i], strict=False))
        start = len(lines)
        bold.add(start)
        lines.append([f"保养到期通知书　合同 {to_text(rec[no_h])}"])
        lines += [
            ["客户", to_text(rec[customer_h])],
            ["地址 / 电话", f"{to_text(rec[address_h])}　{to_text(rec[phone_h])}"],
            ["机型", to_text(rec[model_h])],
            ["合同期间", f"{_day(rec[start_h]) or '—'} 至 {_day(rec[end_h])}"],
            ["续约负责人", to_text(rec[owner_h]) or "＿＿＿＿＿＿"],  # named to the office as a warning
            ["通知日期", f"{today:%Y-%m-%d}"],
        ]
        lines.append(
            [
                f"贵公司与本公司的保养合同将于 {_day(rec[end_h])} 到期。为使设备继续得到定期保养，"
                "请与续约负责人联系办理续约。如已续约，请忽略本通知。"
            ]
        )
        wide[len(lines) - 1] = 45.0
        lines.append(["客户回执：□ 续约　□ 不续约　　签名：＿＿＿＿＿＿　日期：＿＿＿＿＿＿"])
        wide[len(lines) - 1] = None
        boxes.append((start + 1, len(lines) - 1))
        lines.append([])
        rows[i][headers.index(notified_h)] = today
    content = SheetContent(
        L.NOTICE_SHEET,
        lines,
        L.NOTICE_WIDTHS,
        frozenset(bold),
        {},
        boxes=tuple(boxes),
        wide_rows=wide,
        font=L.FONT_NAME,
    )
    if due:  # nothing new: the sheet keeps the notices printed last time
        book.apply(Changes(tables={L.CONTRACTS_TABLE: rows}, sheets={L.NOTICE_SHEET: content}))
    names = "、".join(to_text(rows[i][0]) for i in due)
    message = (
        f"保养到期通知书 {len(due)} 份，已写入“{L.NOTICE_SHEET}”表并记下通知日期：{names}"
        f" — {len(due)} expiry notice(s) on sheet {L.NOTICE_SHEET} (rule S14)"
        if due
        else "没有需发出的保养到期通知书 — no contract needs an expiry notice (rule S14)"
    )
    return Outcome(problems, [message], {"notices": len(due)})


# ---------------------------------------------------------------------------------------------
# S5–S8: carried-in repairs
GOODS_OPEN = "维修中"
GOODS_RETURNED = "已返还"


def receive_goods(
    book: Book,
    call_no: str,
    *,
    goods: str,
    promised: date,
    now: datetime,
    model: str = "",
    technician: str = "",
    row: int | None = None,
) -> Outcome:
    """S5: the customer's goods are taken in for repair: a 客户商品领取收据 (receipt number
    ``R`` + the call's number and a serial), a row in 客户商品进出登记簿 and a 修护卡 opened, with
    the promised return date (S8 warns before it). *Decision:* a call not reached yet counts as
    reached when its goods are taken in (its arrival judged then)."""
    ctx, problems = load_service_context(book)
    found, missing = _find_call(book, call_no)
    if found is None:
        return failed(problems + missing)
    status = _status(found.record)
    if status is CallStatus.CLOSED or status is None:
        return failed([*problems, _wrong_state(book, found, "收件维修")])
    if not to_text(goods):
        return failed([*problems, problem("E-GOODS-NAME", where=book.label)])
    if promised < now.date():
        return failed([*problems, problem("E-GOODS-PROMISED", where=book.label, promised=promised, today=now.date())])
    tech = to_text(technician) or to_text(found.record.get("technician"))
    if not tech:
        return failed([*problems, problem("E-GOODS-TECH", where=book.label, call_no=found.record["call_no"])])
    unknown = _unknown_technician(book, tech)
    if unknown is not None:
        return failed([*problems, unknown])
    table, cards = book.read_table(L.GOODS_TABLE), book.read_table(L.REPAIR_CARDS_TABLE)
    call = to_text(found.record["call_no"])
    taken = {to_text(r[0]).upper() for r in table.rows}
    serial = 1
    while f"R{call[1:]}-{serial}" in taken:
        serial += 1
    receipt = f"R{call[1:]}-{serial}"
    card = f"X{call[1:]}-{serial}"
    goods_row = [
        receipt,
        call,
        found.record.get("customer"),
        to_text(goods),
        to_text(model) or found.record.get("model"),
        now.date(),
        promised,
        tech,
        None,
        "否",
        GOODS_OPEN,
    ]
    card_row = [card, receipt, tech, None, None, None, None, None]
    tables: dict[str, Any] = {
        L.GOODS_TABLE: _placed(table, goods_row, row),
        L.REPAIR_CARDS_TABLE: [*map(list, cards.rows), card_row],
    }
    if status in (CallStatus.LOGGED, CallStatus.DISPATCHED):
        # the goods came to the centre: the service has reached the customer (S13 is judged here)
        reached = {**found.record, "technician": tech, "arrived_at": now, "status": CallStatus.ARRIVED.value}
        reached = _judge({**reached, "updated_at": now}, now=now, ctx=ctx)
        tables[L.CALLS_TABLE] = TableRows({found.index: _row(found.headers, reached)})
    book.apply(Changes(tables=tables))
    return Outcome(
        problems,
        [
            f"已收件：收据 {receipt}、修护卡 {card}（{to_text(goods)}，承诺 {promised:%Y-%m-%d} 返还）；"
            "请客户在服务凭证上签收"
            f" — goods received: receipt {receipt}, repair card {card}, promised {promised:%Y-%m-%d} (rule S5)"
        ],
        {"receipt": receipt, "card": card},
    )


def _placed(table: TableData, new: list[Any], row: int | None) -> list[list[Any]]:
    """``table``'s body with ``new`` added at the end, or put in body row ``row`` (the row a clerk
    typed it into, numbered in place)."""
    body = [list(r) for r in table.rows]
    if row is None:
        body.append(new)
    else:
        body[row] = new
    return body


def return_goods(
    book: Book,
    receipt: Any,
    *,
    hours: Any,
    parts: Any,
    checked_by: Any,
    now: datetime,
    fee: Any = None,
    at: datetime | None = None,
) -> Outcome:
    """S6, S7: the repair card gets the repair time and the parts replaced and the supervisor's
    check; the goods go back (返还日期), the receipt is taken back and voided, the customer signs
    and the call is cancelled; paid work is invoiced on the return day (S7)."""
    ctx, problems = load_service_context(book)
    table, cards = book.read_table(L.GOODS_TABLE), book.read_table(L.REPAIR_CARDS_TABLE)
    wanted = fold(to_text(receipt)).upper()
    index = next((i for i, r in enumerate(table.rows) if to_text(r[0]).upper() == wanted), None)
    if index is None:
        return failed([*problems, problem("E-GOODS-UNKNOWN", where=book.label, receipt=shown(receipt))])
    goods = dict(zip(L.GOODS_HEADERS, table.rows[index], strict=False))
    if to_text(goods["状态"]) == GOODS_RETURNED:
        where = book.locate_table_cell(L.GOODS_TABLE, index, "状态")
        return failed([*problems, problem("E-GOODS-RETURNED", where=where, receipt=goods["收据编号"])])
    try:
        spent = to_decimal(hours)
    except ValueError:
        spent = None
    if spent is None or not 0 < spent <= 200:
        problems.append(problem("E-GOODS-HOURS", where=book.label, value=shown(hours)))
    checker = to_text(checked_by)
    if not checker:
        problems.append(problem("E-GOODS-CHECK", where=book.label))
    elif (supervisors := _not_staff(book, checker, "服务主任")) is not None:
        problems.append(problem("E-GOODS-CHECKER", where=book.label, name=checker, listed=supervisors))
    found, missing = _find_call(book, to_text(goods["叫修编号"]))
    problems += missing
    if any(p.is_error for p in problems) or found is None or spent is None:
        return failed(problems)
    category, amount, settlement, refused = _settle(book, found.record, fee, ctx)
    if refused:
        return failed(problems + refused)
    if category is Category.PAID:
        settlement = Settlement.INVOICE  # S7: a carried-in paid repair is invoiced on the return day
    done = at or now
    refused_time = _out_of_order(book, found.record, done, now, after="arrived_at")
    if refused_time is not None:
        return failed([*problems, refused_time])
    rows = [list(r) for r in table.rows]
    rows[index][L.GOODS_HEADERS.index("返还日期")] = done.date()
    rows[index][L.GOODS_HEADERS.index("收据作废")] = "是"
    rows[index][L.GOODS_HEADERS.index("状态")] = GOODS_RETURNED
    card_rows = [list(r) for r in cards.rows]
    for r in card_rows:
        if to_text(r[1]) == to_text(goods["收据编号"]):
            r[3], r[4], r[5], r[6] = spent, to_text(parts) or None, checker, done.date()
    call_no = to_text(goods["叫修编号"]).upper()
    still = [
        to_text(r[0])
        for i, r in enumerate(rows)
        if i != index and to_text(r[1]).upper() == call_no and to_text(r[L.GOODS_HEADERS.index("状态")]) == GOODS_OPEN
    ]
    fee_kept = amount.quantize(Decimal("0.01")) if amount is not None else found.record.get("fee")
    if still or _status(found.record) is CallStatus.CLOSED:  # more of its goods in repair: the call stays open
        record = {**found.record, "fee": fee_kept, "updated_at": now}
    else:
        record = {
            **found.record,
            "status": CallStatus.CLOSED.value,
            "finished_at": done,
            "signed": "是",
            "fee": fee_kept,
            "settlement": settlement.value,
            "updated_at": now,
        }
    changes = Changes(
        tables={
            L.GOODS_TABLE: rows,
            L.REPAIR_CARDS_TABLE: card_rows,
            L.CALLS_TABLE: TableRows({found.index: _row(found.headers, record)}),
        }
    )
    book.apply(changes)
    promised = _day(goods["承诺日期"])
    if promised is not None and done.date() > promised:
        problems.append(problem("W-GOODS-LATE", where=book.label, receipt=goods["收据编号"], promised=promised))
    if still:
        closing = f"叫修 {record['call_no']} 仍有商品维修中（{'、'.join(still)}），全部返还后注销"
        closing_en = f"call {record['call_no']} stays open until {', '.join(still)} go back too"
    else:
        closing = f"叫修 {record['call_no']} 已注销（{record.get('settlement')}）"
        closing_en = f"call {record['call_no']} closed"
    return Outcome(
        problems,
        [
            f"收据 {goods['收据编号']} 的商品已返还，收据作废，{closing}"
            f" — goods of receipt {goods['收据编号']} returned, receipt voided, {closing_en} (rule S6)"
        ],
        {"receipt": goods["收据编号"], "settlement": settlement.value, "open": still},
    )


def repairs_to_escalate(book: Book, *, today: date, ctx: ServiceContext) -> list[dict[str, Any]]:
    """S8: goods not returned whose promised date is near (``repair_warn_days``) or past."""
    table = book.read_table(L.GOODS_TABLE)
    out = []
    for rec in (dict(zip(L.GOODS_HEADERS, r, strict=False)) for r in table.rows):
        promised, returned = _day(rec.get("承诺日期")), _day(rec.get("返还日期"))
        if to_text(rec.get("收据编号")) and repair_needs_escalation(
            promised, returned, today=today, rules=ctx.rules, calendar=ctx.calendar
        ):
            out.append(rec)
    return out


# ---------------------------------------------------------------------------------------------
# S11, S13, S15: the month, one centre or the Service department's consolidation of several
def service_month(books: Sequence[tuple[str, Book]], *, year: int, month: int, now: datetime) -> Outcome:
    """The month's report over one or more centres' workbooks (read only): each technician's
    calls, arrivals on time and late, survey scores per item and hours by category (S11, S13,
    S15), the late arrivals one by one, and a line per centre. ``data["sheets"]`` is the report."""
    calls: list[CallFacts] = []
    surveys: list[SurveyFacts] = []
    entries: list[tuple[str, TimeEntry]] = []
    late_rows: list[list[Any]] = []
    centres: list[list[Any]] = []
    problems: list[Problem] = []
    for centre, book in books:
        ctx, found = load_service_context(book)
        problems += found
        records = [r for r in _records(book.read_table(L.CALLS_TABLE)) if r.get("call_no")]
        by_no = {to_text(r["call_no"]): r for r in records}
        logged = closed = late = 0
        for r in records:
            arrived, finished = _instant(r.get("arrived_at")), _instant(r.get("finished_at"))
            state = _arrival_state(r, now=now, ctx=ctx)  # the working minutes late, exactly
            status, minutes = (state.status, state.late_minutes) if state else (None, 0)
            calls.append(
                CallFacts(
                    centre, to_text(r["call_no"]), to_text(r.get("technician")), finished, arrived, status, minutes
                )
            )
            called = _instant(r.get("called_at"))
            logged += called is not None and (called.year, called.month) == (year, month)
            closed += finished is not None and (finished.year, finished.month) == (year, month)
            if (
                status is Arrival.ARRIVED_LATE
                and arrived is not None
                and (arrived.year, arrived.month) == (year, month)
            ):
                late += 1
                late_rows.append(
                    [
                        centre,
                        r["call_no"],
                        r.get("customer"),
                        r.get("technician"),
                        called,
                        _instant(r.get("arrival_due")),
                        arrived,
                        _hours(minutes),
                    ]
                )
        for rec in book.read_table(L.SURVEYS_TABLE).records():
            answers = {item: parse_level(rec.get(label)) for item, label in SURVEY_ITEMS}
            complete = {k: v for k, v in answers.items() if v is not None}
            returned = _day(rec.get("回收日期"))
            surveys.append(
                SurveyFacts(centre, to_text(rec.get("叫修编号")), to_text(rec.get("技术员")), returned, complete)
            )
        found_entries, found = _time_entries(book, by_no, *_month_span(year, month))
        problems += [p.at(f"{centre} {p.where}") for p in found]  # which centre's workbook
        entries += [(centre, e) for e in found_entries]
        centres.append([centre, logged, closed, late])
    people = compute_service_month(calls, surveys, entries, year=year, month=month)
    label = f"{year}-{month:02d}"
    items = [name for _, name in SURVEY_ITEMS]
    person_rows = [
        [
            p.centre,
            p.technician,
            p.closed,
            p.on_time,
            p.late,
            _hours(p.late_minutes),
            p.cards,
            *((p.item_scores or {}).get(item) for item, _ in SURVEY_ITEMS),
            p.average,
            *((p.hours or {}).get(c, Decimal(0)) for c in Category),
            sum((p.hours or {}).values(), Decimal(0)),
        ]
        for p in people
    ]
    for row in centres:
        mine = [p for p in people if p.centre == row[0]]
        cards = sum(p.cards for p in mine)
        scored = [p.average * p.cards for p in mine if p.average is not None]
        row += [cards, (sum(scored, Decimal(0)) / cards).quantize(Decimal("0.01")) if cards else None]
    sheets = [
        ReportSheet(
            "技术员月考核",
            f"技术员月考核 {label}",
            f"{len(books)} 个服务中心；到达按工作小时计（S13）；调查卡每项 4–1 分，满分 16（S15）；"
            "工时来自技术员工作日报表（S9）",
            (
                ReportTable(
                    "每位技术员",
                    (
                        "服务中心",
                        "技术员",
                        "完成件数",
                        "按时到达",
                        "迟到",
                        "迟到工时",
                        "回收调查卡",
                        *items,
                        "平均得分",
                        *(c.value for c in Category),
                        "合计工时",
                    ),
                    person_rows,
                    {
                        5: "0.00",
                        7: "0.00",
                        8: "0.00",
                        9: "0.00",
                        10: "0.00",
                        11: "0.00",
                        **{12 + k: "0.00" for k in range(len(Category) + 1)},
                    },
                    notes=("服务主任：＿＿＿＿＿＿　　分公司经理：＿＿＿＿＿＿　　服务部：＿＿＿＿＿＿（S11）",),
                ),
            ),
            widths=(10, 8, 6, 6, 5, 6, 7, 5, 5, 6, 9, 6, 7, 7, 7, 9, 6),
            landscape=True,
        ),
        ReportSheet(
            "迟到明细",
            f"迟到明细 {label}",
            "到达晚于期限（市区 6、郊区 7 个工作小时，S13）",
            (
                ReportTable(
                    "迟到的叫修",
                    ("服务中心", "叫修编号", "客户", "技术员", "叫修时间", "到达期限", "到达时间", "迟到工时"),
                    late_rows,
                    {4: L.DATETIME_FORMAT, 5: L.DATETIME_FORMAT, 6: L.DATETIME_FORMAT, 7: "0.00"},
                ),
            ),
            widths=(10, 11, 16, 9, L.DATETIME_WIDTH, L.DATETIME_WIDTH, L.DATETIME_WIDTH, 9),
            landscape=True,
        ),
        ReportSheet(
            "各中心汇总",
            f"各服务中心汇总 {label}",
            "服务部汇总各服务中心与分公司服务组（S11）",
            (
                ReportTable(
                    "各中心",
                    ("服务中心", "叫修件数", "完成件数", "迟到", "回收调查卡", "平均得分"),
                    centres,
                    {5: "0.00"},
                ),
            ),
        ),
    ]
    return Outcome(
        problems,
        [
            f"服务月报 {label}：{len(books)} 个服务中心，技术员 {len(people)} 人，迟到 {len(late_rows)} 件"
            f" — service month {label}: {len(books)} centre(s), {len(people)} technician(s),"
            f" {len(late_rows)} late arrival(s)"
        ],
        {"sheets": sheets, "people": people},
    )


# ---------------------------------------------------------------------------------------------
# S2–S7, S15: a call's papers, to print
def call_papers(book: Book, call_no: str, *, now: datetime) -> Outcome:
    """The papers of one call, one A4 sheet each: the 服务凭证 with the customer's signature box
    (S2, S3), for carried-in goods the 客户商品领取收据 and the 修护卡 (S5, S6), and the
    客户意见调查卡 with its four items on four levels (S15), and the 答复函 of a complaint about it
    answered in writing (S16). A complaint's number (``TS…``) gives its 答复函 alone.
    ``data["sheets"]`` is the workbook."""
    _, problems = load_service_context(book)
    if fold(to_text(call_no)).upper().startswith("TS"):
        return _complaint_papers(book, call_no, problems)
    found, missing = _find_call(book, call_no)
    if found is None:
        return failed(problems + missing)
    r = found.record
    call = to_text(r["call_no"])
    sheets = [
        _paper(
            "服务凭证",
            f"服务凭证　{call}",
            f"印制 {now:%Y-%m-%d %H:%M}（规则 S2–S4）",
            "服务内容",
            [
                ("叫修编号", call),
                ("客户", r.get("customer")),
                ("地址", r.get("address")),
                ("电话", r.get("phone")),
                ("机型", r.get("model")),
                ("类别", r.get("category")),
                ("区域 / 到达期限", f"{to_text(r.get('zone'))}　{_when(r.get('arrival_due'))}"),
                ("故障描述", r.get("problem")),
                ("技术员", r.get("technician")),
                ("到达 / 完成", f"{_when(r.get('arrived_at'))}　/　{_when(r.get('finished_at'))}"),
                ("收费", f"{to_text(r.get('fee')) or '—'}　{to_text(r.get('settlement'))}"),
                ("处理说明", ""),
            ],
            "客户签收：＿＿＿＿＿＿＿＿＿＿　　日期：＿＿＿＿＿＿＿＿（签收后由业务员注销叫修，S3）",
        )
    ]
    goods = [g for g in book.read_table(L.GOODS_TABLE).records() if to_text(g.get("叫修编号")) == call]
    cards = {to_text(c.get("收据编号")): c for c in book.read_table(L.REPAIR_CARDS_TABLE).records()}
    for g in goods:
        receipt = to_text(g.get("收据编号"))
        card = cards.get(receipt, {})
        sheets.append(
            _paper(
                f"领取收据 {receipt}",
                f"客户商品领取收据　{receipt}",
                "凭本收据领回商品；领回时收回本收据作废（S5、S6）",
                "商品",
                [
                    ("收据编号", receipt),
                    ("叫修编号", call),
                    ("客户", g.get("客户")),
                    ("商品 / 机型", f"{to_text(g.get('商品'))}　{to_text(g.get('机型'))}"),
                    ("收件日期", _day(g.get("收件日期"))),
                    ("承诺返还日期", _day(g.get("承诺日期"))),
                    ("技术员", g.get("技术员")),
                ],
                "客户签名：＿＿＿＿＿＿＿＿　　经手人：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿＿＿",
            )
        )
        sheets.append(
            _paper(
                f"修护卡 {to_text(card.get('修护卡编号')) or receipt}",
                f"修护卡　{to_text(card.get('修护卡编号'))}",
                "实际修护时间与更换零件；服务主任检验后登记返还日期（S6）",
                "修护",
                [
                    ("收据编号", receipt),
                    ("商品", g.get("商品")),
                    ("技术员", card.get("技术员")),
                    ("维修工时", card.get("维修工时")),
                    ("更换零件", card.get("更换零件")),
                    ("主任检验 / 日期", f"{to_text(card.get('主任检验'))}　{_day(card.get('检验日期')) or ''}"),
                    ("返还日期", _day(g.get("返还日期"))),
                ],
                "技术员：＿＿＿＿＿＿　　服务主任检验：＿＿＿＿＿＿　　客户领回签名：＿＿＿＿＿＿",
            )
        )
    levels = list(L.SURVEY_LEVELS)
    sheets.append(
        ReportSheet(
            "调查卡",
            "客户意见调查卡",
            f"叫修 {call}　客户 {to_text(r.get('customer'))}　技术员 {to_text(r.get('technician'))}（S15）",
            (
                ReportTable(
                    "请在每项选一格打 ✓，寄回或交服务部",
                    ("项目", *levels),
                    [[name, *("□" for _ in levels)] for _, name in SURVEY_ITEMS],
                    notes=("其他意见：", "＿" * 36, "客户签名：＿＿＿＿＿＿　　日期：＿＿＿＿＿＿"),
                ),
            ),
            widths=(22, 14, 14, 14, 14),
        )
    )
    try:
        complaints = _complaints(book).records()
    except KeyError:
        complaints = []
    sheets += [_letter_paper(c) for c in complaints if to_text(c["叫修编号"]) == call and _by_letter(c)]
    return Outcome(
        problems,
        [f"叫修 {call} 的单据 {len(sheets)} 张 — {len(sheets)} paper(s) of call {call}"],
        {"sheets": sheets},
    )


def _by_letter(rec: dict[str, Any]) -> bool:
    return to_text(rec["答复方式"]) == "书面" and bool(to_text(rec["处理结果"]))


def _complaint_papers(book: Book, number: str, problems: list[Problem]) -> Outcome:
    """The 答复函 of one complaint answered in writing, to print (again) on its own A4 sheet."""
    table, index = _find_complaint(book, number)
    if index is None:
        return failed([*problems, problem("E-COMPLAINT-UNKNOWN", where=book.label, number=shown(number))])
    rec = dict(zip(L.SERVICE_COMPLAINTS_HEADERS, table.rows[index], strict=False))
    if not _by_letter(rec):
        where = book.locate_table_cell(L.SERVICE_COMPLAINTS_TABLE, index, "答复方式")
        return failed([*problems, problem("E-COMPLAINT-NO-LETTER", where=where, number=rec["投诉编号"])])
    return Outcome(
        problems,
        [f"投诉 {rec['投诉编号']} 的答复函 — the letter of complaint {rec['投诉编号']}"],
        {"sheets": [_letter_paper(rec)]},
    )


def _letter_paper(rec: dict[str, Any]) -> ReportSheet:
    """A complaint's 答复函 as a printed paper (S16), signed by the Service department and the deputy GM."""
    number = to_text(rec["投诉编号"])
    _, outcome, closing = _letter_body(rec)
    return _paper(
        f"答复函 {number}",
        f"客户投诉处理结果函　{number}",
        f"致 {to_text(rec['客户'])}：{closing}",
        "处理结果",
        [
            ("投诉编号", number),
            ("反映日期", _day(rec["投诉日期"])),
            ("反映内容", rec["内容"]),
            ("处理结果", outcome),
            ("答复日期", _day(rec["答复日期"])),
        ],
        "服务部：＿＿＿＿＿＿　　副总经理：＿＿＿＿＿＿　　日期：＿＿＿＿＿＿（S16）",
    )


def _paper(name: str, title: str, subtitle: str, caption: str, fields: list[tuple[str, Any]], sign: str) -> ReportSheet:
    """One printed paper of a call: its fields as 项目 / 内容 lines and a signature line under them."""
    rows = [[label, "" if value is None else value] for label, value in fields]
    table = ReportTable(caption, ("项目", "内容"), rows, notes=(sign,))
    return ReportSheet(name[:31], title, subtitle, (table,), widths=(18, 62))


# ---------------------------------------------------------------------------------------------
# S16, S17: a service customer's complaint
COMPLAINT_OPEN = "处理中"
COMPLAINT_ANSWERED = "已答复"
COMPLAINT_CLOSED = "已结案"  # answered and visited


def _complaints(book: Book) -> TableData:
    try:
        return book.read_table(L.SERVICE_COMPLAINTS_TABLE)
    except KeyError:
        raise KeyError(
            f"{book.label} 没有“{L.SERVICE_COMPLAINTS_SHEET}”表（较早的登记簿）："
            "请用 service new 建立新登记簿后把记录复制过去"
            f" — no {L.SERVICE_COMPLAINTS_TABLE} table (an older workbook)"
        ) from None


def log_complaint(
    book: Book,
    *,
    customer: str,
    text: str,
    serious: bool,
    now: datetime,
    call_no: str = "",
    row: int | None = None,
) -> Outcome:
    """S16: a customer's suggestion or complaint, numbered ``TS`` + YYMM + serial; a serious one
    goes to the deputy GM first (and is answered by letter), an ordinary one to the Service
    department. S17: it stays open until the supervisor's visit is recorded."""
    _, problems = load_service_context(book)
    if not to_text(customer):
        problems.append(problem("E-CALL-CUSTOMER", where=book.label))
    if not to_text(text):
        problems.append(problem("E-COMPLAINT-TEXT", where=book.label))
    call = ""
    if to_text(call_no):
        found, missing = _find_call(book, call_no)
        problems += missing
        call = to_text(found.record["call_no"]) if found else ""
    if any(p.is_error for p in problems):
        return failed(problems)
    table = _complaints(book)
    prefix = f"TS{now.year % 100:02d}{now.month:02d}"
    serials = [int(to_text(r[0])[len(prefix) :]) for r in table.rows if to_text(r[0]).startswith(prefix)]
    number = f"{prefix}{max(serials, default=0) + 1:03d}"
    handler = L.SERVICE_COMPLAINT_HANDLERS[0 if serious else 1]
    new = [number, call or None, to_text(customer), now.date(), to_text(text), "是" if serious else "否", handler]
    new += [None] * (len(L.SERVICE_COMPLAINTS_HEADERS) - len(new) - 1) + [COMPLAINT_OPEN]
    book.apply(Changes(tables={L.SERVICE_COMPLAINTS_TABLE: _placed(table, new, row)}))
    first = "先呈副总经理，处理结果以书面函告客户" if serious else "由服务部处理，以书面或电话告知客户"
    return Outcome(
        problems,
        [
            f"已登记客户投诉 {number}（{to_text(customer)}）：{first}；并须由服务主任回访（S16、S17）"
            f" — complaint {number} logged: {'to the deputy GM first' if serious else 'to the Service department'};"
            " the supervisor visits the customer"
        ],
        {"complaint": number, "handler": handler},
    )


def _find_complaint(book: Book, number: str) -> tuple[TableData, int | None]:
    table = _complaints(book)
    wanted = fold(to_text(number)).upper()
    return table, next((i for i, r in enumerate(table.rows) if to_text(r[0]).upper() == wanted), None)


def answer_complaint(book: Book, number: str, *, outcome_text: str, by: str, reply: str, now: datetime) -> Outcome:
    """S16: the outcome and how the customer was told. A serious complaint is answered by the
    deputy GM and by letter; a letter (书面) is written on the sheet 投诉答复函, to print and sign."""
    _, problems = load_service_context(book)
    table, index = _find_complaint(book, number)
    if index is None:
        return failed([*problems, problem("E-COMPLAINT-UNKNOWN", where=book.label, number=shown(number))])
    rec = dict(zip(L.SERVICE_COMPLAINTS_HEADERS, table.rows[index], strict=False))
    serious = rec["严重"] == "是"
    how = fold(to_text(reply))
    if how not in L.SERVICE_COMPLAINT_REPLIES:
        problems.append(problem("E-COMPLAINT-REPLY", where=book.label, value=shown(reply)))
    elif serious and how != "书面":
        problems.append(problem("E-COMPLAINT-LETTER", where=book.label, number=rec["投诉编号"]))
    if not to_text(outcome_text):
        problems.append(problem("E-COMPLAINT-OUTCOME", where=book.label))
    if serious and to_text(by) != L.SERVICE_COMPLAINT_HANDLERS[0]:
        problems.append(problem("E-COMPLAINT-DEPUTY", where=book.label, number=rec["投诉编号"], by=shown(by) or "空白"))
    if any(p.is_error for p in problems):
        return failed(problems)
    rows = [list(r) for r in table.rows]
    h = L.SERVICE_COMPLAINTS_HEADERS.index
    rows[index][h("处理人")] = to_text(by) or rec["处理人"]
    rows[index][h("处理结果")] = to_text(outcome_text)
    rows[index][h("答复方式")] = how
    rows[index][h("答复日期")] = now.date()
    visited = not is_blank(rec["回访日期"])
    rows[index][h("状态")] = COMPLAINT_CLOSED if visited else COMPLAINT_ANSWERED
    changes = Changes(tables={L.SERVICE_COMPLAINTS_TABLE: rows})
    if how == "书面":  # the sheet holds every letter answered today, this one last: none is lost unprinted
        changes.sheets[L.COMPLAINT_LETTER_SHEET] = _letters(rows, now)
    book.apply(changes)
    return Outcome(
        problems,
        [
            f"投诉 {rec['投诉编号']} 已答复（{how}）"
            + (f"，答复函在“{L.COMPLAINT_LETTER_SHEET}”表" if how == "书面" else "")
            + ("" if visited else "；待服务主任回访（S17）")
            + f" — complaint {rec['投诉编号']} answered"
        ],
        {"complaint": rec["投诉编号"], "status": rows[index][h("状态")]},
    )


def _letters(rows: list[list[Any]], now: datetime) -> SheetContent:
    """投诉答复函: the letters of the complaints answered in writing on ``now``'s day, one after
    another (``service papers TS…`` reprints any one on its own A4 sheet)."""
    h = L.SERVICE_COMPLAINTS_HEADERS.index
    lines: list[list[Any]] = []
    wide: dict[int, float | None] = {}
    bold: set[int] = set()
    for row in rows:
        if to_text(row[h("答复方式")]) != "书面" or _day(row[h("答复日期")]) != now.date():
            continue
        rec = dict(zip(L.SERVICE_COMPLAINTS_HEADERS, row, strict=False))
        if lines:
            lines += [[], []]
        bold.add(len(lines))
        lines.append([f"客户投诉处理结果函　{to_text(rec['投诉编号'])}"])
        first = len(lines)
        lines += [[f"{to_text(rec['客户'])}："], *([text] for text in _letter_body(rec))]
        wide.update(dict.fromkeys(range(first + 1, len(lines))))
        lines += [[], [f"服务部　{now:%Y-%m-%d}　　　　副总经理：＿＿＿＿＿＿"]]
    return SheetContent(
        f"投诉答复函　{now:%Y-%m-%d} 以书面答复的投诉",
        lines,
        (78,),  # one A4 portrait page wide
        frozenset(bold),
        {},
        wide_rows=wide,
        font=L.FONT_NAME,
        landscape=False,  # a letter
    )


def _letter_body(rec: dict[str, Any]) -> list[str]:
    return [
        f"贵公司于 {_day(rec['投诉日期'])} 反映的意见（投诉编号 {to_text(rec['投诉编号'])}）："
        f"“{to_text(rec['内容'])}”，本公司已调查处理，结果如下：",
        to_text(rec["处理结果"]),
        "感谢贵公司的指正。服务主任将另行拜访贵公司，听取意见。",
    ]


def visit_customer(book: Book, number: str, *, by: str, note: str, now: datetime) -> Outcome:
    """S17: the supervisor's (or a designated person's) visit to the complaining customer."""
    _, problems = load_service_context(book)
    table, index = _find_complaint(book, number)
    if index is None:
        return failed([*problems, problem("E-COMPLAINT-UNKNOWN", where=book.label, number=shown(number))])
    if not to_text(by) or not to_text(note):
        return failed([*problems, problem("E-COMPLAINT-VISIT", where=book.label)])
    rows = [list(r) for r in table.rows]
    h = L.SERVICE_COMPLAINTS_HEADERS.index
    rows[index][h("回访人")] = to_text(by)
    rows[index][h("回访日期")] = now.date()
    rows[index][h("回访记录")] = to_text(note)
    answered = not is_blank(rows[index][h("答复日期")])
    rows[index][h("状态")] = COMPLAINT_CLOSED if answered else COMPLAINT_OPEN
    book.apply(Changes(tables={L.SERVICE_COMPLAINTS_TABLE: rows}))
    number = to_text(rows[index][0])
    state = "已结案" if answered else "仍待答复"
    return Outcome(
        problems,
        [f"投诉 {number} 已记录回访（{to_text(by)}），{state} — complaint {number}: visit recorded"],
        {"complaint": number, "status": rows[index][h("状态")]},
    )
