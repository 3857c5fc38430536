"""The demo's service desk (issue 11): October 2026 at two service centres, 南山 and 宝安.

Calls come in on every working day (none over the National Day holiday), in the city and the
suburbs, in all four categories. Most are typed straight into 叫修登记簿 by the desk and recorded
at the day's close with 登记手填内容 (``record_typed``, the ribbon button); carried-in repairs go
through the commands at the moment they happen (``receive_goods`` / ``return_goods``). Some
technicians arrive late, one repair comes back after its promised date, a few vouchers come back
unsigned, the technicians' hours are typed into 技术员工作日报表 (one with a typo), the day's report
sends every closed call its survey card and most cards come back, two maintenance contracts
run out in November, and a customer files a serious complaint that the deputy GM answers by
letter. At 2026-11-02 10:00 every call is judged, the notices printed, and the Service
department's October report consolidates both centres. Every step is an action the CLI runs.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from . import layout as L
from .actions.outcome import Outcome
from .actions.service import (
    call_papers,
    contract_notices,
    day_report,
    dispatch_call,
    load_service_context,
    log_call,
    receive_goods,
    return_goods,
    service_month,
)
from .actions.service_journal import journaled, verify_service
from .actions.service_typed import record_typed
from .adapters.openpyxl_book import OpenpyxlBook
from .adapters.report import write_report
from .domain.calendar import WorkCalendar
from .domain.service import Zone
from .ports import Book, Changes, TableData
from .templates import template_dir

SERVICE_DIR = "服务中心"
MONTH = (2026, 10)
CENTRES: dict[str, tuple[tuple[str, str], ...]] = {
    "南山": (("李工", "技术员"), ("陈工", "技术员"), ("周主任", "服务主任"), ("刘经理", "分公司经理")),
    "宝安": (("黄工", "技术员"), ("何工", "技术员"), ("吴主任", "服务主任")),
}
CUSTOMERS = (  # (name, zone, address, phone, model)
    ("华星光电", "市区", "深圳市南山区科技园", "0755-2601-1001", "钻孔机 D-6"),
    ("深南电路", "市区", "深圳市南山区侨城东路", "0755-2601-1002", "曝光机 E-2"),
    ("立讯精密", "郊区", "东莞市清溪镇", "0769-8701-2003", "贴片机 S-8"),
    ("比亚迪电子", "郊区", "惠州市大亚湾", "0752-5501-3004", "回流焊 R-3"),
    ("欣兴电子", "市区", "深圳市宝安区福永", "0755-2901-4005", "钻孔机 D-6"),
    ("景旺电子", "郊区", "深圳市光明区", "0755-2701-5006", "电镀线 P-1"),
)
PROBLEMS = ("主轴异响", "定位偏移", "不开机", "温度报警", "真空不足", "卡板")
FEES = ("200", "300元", "￥450", "500", "800", "1,200")  # as the technicians write them on the voucher
LEVELS = ("很满意", "满意", "满意", "不满意")
CARRIED_GOODS = ("控制板", "主轴电机", "温控模块")


@dataclass
class Call:
    centre: str
    called: datetime
    customer: tuple[str, str, str, str, str]
    category: str
    tech: str
    dispatched: datetime
    arrived: datetime
    finished: datetime
    fee: str | None
    signed: bool
    carried: bool = False
    promised: date | None = None
    number: str = ""
    typed: set[str] = field(default_factory=set)  # the events already typed into its row


def run_service_demo(folder: Path, *, now: datetime, echo: Callable[[str], None]) -> dict[str, Any]:
    """Play October at both centres into ``folder/服务中心``; return counts for the summary."""
    out = folder / SERVICE_DIR
    rng = random.Random(1011)
    books: list[tuple[str, OpenpyxlBook]] = []
    counts: dict[str, int] = {"calls": 0, "late": 0, "carried": 0, "unsigned": 0, "cards": 0, "scored": 0}
    for centre, staff in CENTRES.items():
        book = OpenpyxlBook.open(template_dir() / L.SERVICE_FILE, backups=0)
        book.path = out / centre / L.SERVICE_FILE
        book.apply(
            Changes(
                tables={
                    L.SERVICE_STAFF_TABLE: [[name, role, centre, None] for name, role in staff],
                    L.CONTRACTS_TABLE: _contracts(centre, staff),
                }
            )
        )
        _month(book, centre, [n for n, r in staff if r == "技术员"], now=now, rng=rng, counts=counts, echo=echo)
        books.append((centre, book))
    nanshan = books[0][1]
    for centre, book in books:
        status = _journaled(book, "登记手填内容 service update", now, lambda b: record_typed(b, now=now))
        _check(status, echo)
        for line in status.messages[1:]:
            echo(f"{centre}：{line.strip()}")
        _check(_journaled(book, "保养到期通知 service notices", now, lambda b: contract_notices(b, now=now)), echo)
    which = f"{MONTH[0]}-{MONTH[1]:02d}"
    report = service_month(books, year=MONTH[0], month=MONTH[1], now=now)
    _check(report, echo)
    carried = next(r for r in nanshan.read_table(L.GOODS_TABLE).records())
    papers = call_papers(nanshan, str(carried["叫修编号"]), now=now)
    _check(papers, echo)
    findings = 0
    for centre, book in books:
        book.save()
        checked = verify_service(OpenpyxlBook.open(book.path or out))  # 核验: as saved, against its journal
        findings += checked.data["findings"]
        echo(f"{centre}：{checked.messages[0]}")
    written = write_report(out / L.service_month_file_name(which), report.data["sheets"])
    paper = write_report(out / "南山" / L.service_papers_file_name(str(carried["叫修编号"])), papers.data["sheets"])
    for line in report.messages:
        echo(line)
    echo(
        f"服务中心 service centres: {len(books)}（{'、'.join(CENTRES)}），{which} 叫修 {counts['calls']} 件，"
        f"迟到 {counts['late']} 件，送修 {counts['carried']} 件，未签收 {counts['unsigned']} 件，"
        f"调查卡 {counts['cards']} 张、收回 {counts['scored']} 张 — {counts['calls']} calls, {counts['late']} late"
    )
    echo(f"服务月报 service month report: {written}")
    echo(f"服务单据 call papers: {paper}")
    return {**counts, "findings": findings, "report": written, "books": [b.path for _, b in books]}


def _contracts(centre: str, staff: tuple[tuple[str, str], ...]) -> list[list[Any]]:
    """Maintenance contracts (S14): two run out within a month of the demo's now, one of them with
    nobody to renew it."""
    manager = next(n for n, r in staff if r in ("分公司经理", "服务主任"))
    code = "NS" if centre == "南山" else "BA"
    rows = []
    for i, (customer, end, owner) in enumerate(
        (
            (CUSTOMERS[0], date(2026, 11, 20), manager),
            (CUSTOMERS[2], date(2026, 11, 28), None),
            (CUSTOMERS[1], date(2027, 3, 31), manager),
        )
    ):
        name, _, address, phone, model = customer
        start = date(end.year - 1, end.month, end.day) + timedelta(days=1)
        rows.append([f"BY-{code}-{i + 1:03d}", name, address, phone, model, start, end, owner, None, None])
    return rows


def _month(
    book: OpenpyxlBook,
    centre: str,
    techs: list[str],
    *,
    now: datetime,
    rng: random.Random,
    counts: dict[str, int],
    echo: Callable[[str], None],
) -> None:
    ctx, _ = load_service_context(book)
    calendar = ctx.calendar
    days = [date(2026, 10, 1) + timedelta(days=i) for i in range(33)]  # 1 Oct … 2 Nov
    calls = [c for day in days for c in _calls_of(day, centre, techs, calendar, ctx.rules, now, rng)]
    if centre == "南山":  # a call nobody dispatched: first on the next day's list, red at now (S12, S13)
        later = now + timedelta(days=30)
        calls.append(Call(centre, datetime(2026, 10, 29, 14, 0), CUSTOMERS[4], "B", techs[0], later, later, later,
                          None, True))  # fmt: skip
    counts["calls"] += sum(1 for c in calls if c.called.month == MONTH[1])
    counts["late"] += sum(1 for c in calls if c.arrived <= now and _late(c, calendar, ctx.rules))
    counts["carried"] += sum(1 for c in calls if c.carried)
    counts["unsigned"] += sum(1 for c in calls if not c.signed and c.finished <= now)
    cards_back: dict[date, list[str]] = {}
    typo = centre == "南山"
    for day in days:
        if not calendar.is_working_day(day):
            continue
        close = min(calendar.end_of_day(day), now)
        steps = [(m, s, c) for c in calls if c.carried for s, m in _carried_steps(c) if m.date() == day and m <= close]
        for _, step, carried in sorted(steps, key=lambda e: e[0]):  # carried-in repairs by command, at their moments
            _carried(book, carried, step, echo=echo)
        _type_calls(book, [c for c in calls if not c.carried], close)
        _type_cards(book, cards_back.pop(day, []), rng)
        if centre == "南山":
            _type_complaints(book, day)
        typed = _journaled(book, "登记手填内容 service update", close, lambda b, at=close: record_typed(b, now=at))
        _check(typed, echo)
        _number(book, calls)
        if close == now:
            break
        finished = [c for c in calls if c.number and c.finished.date() == day and c.finished <= close]
        rows = [[day, c.tech, c.number, None, 3.5 if c.carried else _hours(c, calendar), None] for c in finished]
        if typo and rows:  # one technician writes his hours in words: named in the day report, left out
            rows[0][4], typo = "两小时", False
        _append(book, L.TIMESHEET_TABLE, rows)
        _check(
            _journaled(book, "日报 service day", close, lambda b, d=day, at=close: day_report(b, day=d, now=at)), echo
        )
        for card in (r for r in book.read_table(L.SURVEYS_TABLE).records() if r["发卡日期"] == day):
            counts["cards"] += 1
            if rng.random() < 0.7:
                back = calendar.next_working_day(day + timedelta(days=rng.randint(2, 6)))
                cards_back.setdefault(back, []).append(str(card["叫修编号"]))
    counts["scored"] += sum(1 for r in book.read_table(L.SURVEYS_TABLE).records() if r["得分"] is not None)


def _calls_of(
    day: date, centre: str, techs: list[str], calendar: WorkCalendar, rules: Any, now: datetime, rng: random.Random
) -> list[Call]:
    windows = calendar.windows_on(day)
    if not windows:
        return []
    out = []
    first, last = windows[0][0], windows[-1][1] - timedelta(hours=1)
    for _ in range(rng.randint(1, 3)):
        called = first + timedelta(minutes=rng.randrange(int((last - first).total_seconds() // 60)))
        if called > now - timedelta(hours=1):
            continue
        customer = rng.choice(CUSTOMERS)
        category = rng.choices("ABCD", weights=(45, 30, 18, 7))[0]
        limit = rules.limit_minutes(Zone(customer[1]))
        late = rng.random() < 0.1
        reach = limit + rng.randint(20, 150) if late else rng.randint(60, limit - 30)
        dispatched = calendar.add(called, rng.randint(5, 40))
        arrived = calendar.add(called, reach)
        carried = category in "AC" and rng.random() < 0.12
        finished = calendar.add(arrived, rng.randint(30, 150))
        promised = None
        if carried:  # taken in for repair: promised two working days on, one comes back late
            promised = calendar.next_working_day(arrived.date() + timedelta(days=2))
            finished = calendar.add(arrived, rng.randint(8, 16) * 60)
        fee = rng.choice(FEES) if category == "A" else None
        out.append(
            Call(
                centre,
                called,
                customer,
                category,
                rng.choice(techs),
                dispatched,
                arrived,
                finished,
                fee,
                rng.random() > 0.06,
                carried,
                promised,
            )
        )
    return out


def _late(c: Call, calendar: WorkCalendar, rules: Any) -> bool:
    return calendar.between(c.called, c.arrived) > rules.limit_minutes(Zone(c.customer[1]))


def _hours(c: Call, calendar: WorkCalendar) -> float:
    """What the technician writes: the time on site plus half an hour's travel, to the half hour."""
    return round((calendar.between(c.arrived, c.finished) / 60 + 0.5) * 2) / 2


def _type_calls(book: OpenpyxlBook, calls: list[Call], close: datetime) -> None:
    """The desk types what happened by ``close``: new calls as rows (number left blank), then the
    technician, arrival and finish on each call's row as they come back."""
    table = book.read_table(L.CALLS_TABLE)
    rows = [list(r) for r in table.rows]
    col = {c.attr: table.headers.index(c.header) for c in L.CALL_COLUMNS}
    where = {str(r[col["call_no"]]): i for i, r in enumerate(rows) if r[col["call_no"]]}
    for c in sorted(calls, key=lambda c: c.called):
        if c.called > close:
            continue
        if not c.typed:
            row: list[Any] = [None] * len(table.headers)
            name, zone, address, phone, model = c.customer
            values = {"customer": name, "zone": zone, "address": address, "phone": phone, "model": model}
            values |= {"category": c.category, "called_at": c.called, "problem": PROBLEMS[c.called.minute % 6]}
            for attr, value in values.items():
                row[col[attr]] = value
            rows.append(row)
            c.typed.add("called")
            target = row
        elif c.number in where:
            target = rows[where[c.number]]
        else:
            continue
        for event, attr, value in (
            ("dispatched", "technician", c.tech),
            ("arrived", "arrived_at", c.arrived),
            ("finished", "finished_at", c.finished),
        ):
            moment = getattr(c, event)
            if event not in c.typed and moment <= close:
                target[col[attr]] = value
                if event == "dispatched":
                    target[col["dispatched_at"]] = c.dispatched
                if event == "finished":
                    target[col["fee"]], target[col["signed"]] = c.fee, None if c.signed else "否"
                c.typed.add(event)
    book.apply(Changes(tables={L.CALLS_TABLE: rows}))


def _number(book: OpenpyxlBook, calls: list[Call]) -> None:
    """Which number each typed call got (the desk reads it off the sheet)."""
    for rec in book.read_table(L.CALLS_TABLE).records():
        for c in calls:
            if not c.number and c.called == rec["叫修时间"] and c.customer[0] == rec["客户"]:
                c.number = str(rec["叫修编号"])


def _carried_steps(c: Call) -> list[tuple[str, datetime]]:
    return [("call", c.called), ("dispatch", c.dispatched), ("receive", c.arrived), ("return", c.finished)]


def _carried(book: OpenpyxlBook, c: Call, step: str, *, echo: Callable[[str], None]) -> None:
    """One step of a carried-in repair through its command, at its moment: the call, the
    dispatch, the goods taken in (S5), the repair card filled and the goods returned (S6, S7)."""
    name, zone, address, phone, model = c.customer
    if step == "call":
        logged = _journaled(book, "叫修 service call", c.called, lambda b: log_call(
            b,
            customer=name,
            zone=zone,
            category=c.category,
            now=c.called,
            address=address,
            phone=phone,
            model=model,
        ))  # fmt: skip
        _check(logged, echo)
        c.number = logged.data["call_no"]
    elif step == "dispatch":
        sent = _journaled(
            book,
            "派工 service dispatch",
            c.dispatched,
            lambda b: dispatch_call(b, c.number, technician=c.tech, now=c.dispatched),
        )
        _check(sent, echo)
    elif step == "receive":
        assert c.promised is not None
        goods = CARRIED_GOODS[int(c.number[-1]) % len(CARRIED_GOODS)]
        promised = c.promised
        taken = _journaled(
            book,
            "收件 service receive-goods",
            c.arrived,
            lambda b: receive_goods(b, c.number, goods=goods, promised=promised, now=c.arrived, model=model),
        )
        _check(taken, echo)
    else:
        receipt = next(
            str(r["收据编号"]) for r in book.read_table(L.GOODS_TABLE).records() if r["叫修编号"] == c.number
        )
        parts = "电容×2" if c.category == "A" else ""
        back = _journaled(
            book,
            "返还 service return-goods",
            c.finished,
            lambda b: return_goods(
                b, receipt, hours="3.5", parts=parts, checked_by=_desk(book), now=c.finished, fee=c.fee
            ),
        )
        _check(back, echo)


def _type_cards(book: OpenpyxlBook, numbers: list[str], rng: random.Random) -> None:
    """Survey cards that came back: the four answers typed on the card's row (S15)."""
    if not numbers:
        return
    table = book.read_table(L.SURVEYS_TABLE)
    rows = [list(r) for r in table.rows]
    for row in rows:
        if row[0] in numbers and row[8] is None:
            row[4:8] = [rng.choice(LEVELS) for _ in range(4)]
    book.apply(Changes(tables={L.SURVEYS_TABLE: rows}))


def _append(book: OpenpyxlBook, table: str, rows: list[list[Any]]) -> None:
    if rows:
        data: TableData = book.read_table(table)
        book.apply(Changes(tables={table: [*map(list, data.rows), *rows]}))


def _type_complaints(book: OpenpyxlBook, day: date) -> None:
    """S16, S17, typed on the day: a customer whose technician came late complains (serious: the
    deputy GM answers by letter, the supervisor visits); another asks for weekend service
    (ordinary, answered by phone, the visit still to come at the month's end)."""
    h = L.SERVICE_COMPLAINTS_HEADERS.index
    if day == date(2026, 10, 20):
        serious, ordinary = [None] * len(L.SERVICE_COMPLAINTS_HEADERS), [None] * len(L.SERVICE_COMPLAINTS_HEADERS)
        serious[h("客户")], serious[h("内容")], serious[h("严重")] = "立讯精密", "技术员两次迟到，停线三小时", "是"
        ordinary[h("客户")], ordinary[h("内容")] = "华星光电", "希望周六也能派技术员"
        _append(book, L.SERVICE_COMPLAINTS_TABLE, [serious, ordinary])
        return
    typed = {
        date(2026, 10, 22): {
            0: {"处理结果": "已改派资深技术员驻厂两周，迟到的技术员按规定考核。", "答复方式": "书面"},
            1: {"处理结果": "周六可预约，由值班技术员服务。", "答复方式": "电话"},
        },
        date(2026, 10, 27): {0: {"回访人": "周主任", "回访记录": "客户表示满意，停线损失不再追究。"}},
    }.get(day)
    if typed:
        rows = [list(r) for r in book.read_table(L.SERVICE_COMPLAINTS_TABLE).rows]
        for i, values in typed.items():
            for header, value in values.items():
                rows[i][h(header)] = value
        book.apply(Changes(tables={L.SERVICE_COMPLAINTS_TABLE: rows}))


def _journaled(book: OpenpyxlBook, command: str, now: datetime, act: Callable[[Book], Outcome]) -> Outcome:
    """As the CLI and the buttons run a service action: its rows and their journal entries at once."""
    return journaled(book, act, by=_desk(book), command=command, now=now)


def _desk(book: Any) -> str:
    """Who records at the book's centre (its journal's 操作人) and checks its repairs: the 服务主任."""
    centre = book.path.parent.name if book.path is not None else ""
    return next(name for name, role in CENTRES.get(centre, ()) if role == "服务主任")


def _check(outcome: Outcome, echo: Callable[[str], None]) -> None:
    if not outcome.ok:
        raise RuntimeError("service demo step failed: " + "; ".join(p.render() for p in outcome.problems))
    for p in outcome.warnings:
        if p.code != "W-SERVICE-UNSIGNED":  # counted in the summary instead
            echo(p.render())
