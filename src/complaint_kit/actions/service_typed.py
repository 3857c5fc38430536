"""登记手填内容: what a clerk typed straight into the sheets of a service centre's workbook, recorded
as the ``service`` commands record it (issue 11; the 服务 group's ribbon button and ``complaint-kit
service update``). In Excel the desk types rows, not commands:

- 叫修登记簿: a new row with 叫修编号 blank is a call (S2); a 技术员 typed on a 待派工 row dispatches it;
  a 到达时间 typed on an 已派工 row is the arrival (S13); a 完成时间 typed on an 已到达 row finishes and
  cancels it, with the 收费金额 and 客户签收 typed beside it (S3, S4). One row may go all the way.
- 客户商品进出登记簿: a new row with 收据编号 blank is goods taken in (S5); a 返还日期 typed on a 维修中
  row returns them, with the repair card's 维修工时 / 更换零件 / 主任检验 as typed on 修护卡 (S6, S7).
- 客户意见调查: a card's four answers typed on a row without 得分 are scored (S15).
- 客户投诉: a new row with 投诉编号 blank is a complaint (S16); a 处理结果 typed answers it; a 回访记录
  typed is the supervisor's visit (S17).

Then every call's 时效 at ``now`` (``service status``). Each row goes through the very action its
command runs, on a :class:`StagedBook`: the workbook is written once, and not at all when any
row is refused (every refusal is listed, at its cell).

*Decisions:* a 客户签收 left blank on a finished row counts as signed (the command's default); a
返还日期 typed for an earlier day closes the call at that day's end, since no time was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from .. import layout as L
from ..domain.problems import Problem, problem
from ..domain.service import SURVEY_ITEMS, CallStatus
from ..domain.values import FieldReader, fold, is_blank, shown, to_text
from ..ports import Book, StagedBook
from .outcome import Outcome, failed
from .service import (
    COMPLAINT_ANSWERED,
    COMPLAINT_CLOSED,
    COMPLAINT_OPEN,
    GOODS_OPEN,
    GOODS_RETURNED,
    _find_call,
    _records,
    _status,
    answer_complaint,
    arrive_call,
    dispatch_call,
    finish_call,
    judge_calls,
    log_call,
    log_complaint,
    receive_goods,
    record_survey,
    return_goods,
    visit_customer,
)
from .service import (
    _complaints as _complaint_rows,
)

ORDER = (CallStatus.LOGGED, CallStatus.DISPATCHED, CallStatus.ARRIVED, CallStatus.CLOSED)
# a time typed on a call row, and the status the call must reach once it is recorded
STEP_OF_TIME = {"arrived_at": CallStatus.ARRIVED, "finished_at": CallStatus.CLOSED}
# where a refusal of a call's step points on its row: the problem's code → the column
CALL_CELLS = {
    "E-CALL-CUSTOMER": "customer",
    "E-CALL-ZONE": "zone",
    "E-CALL-CATEGORY": "category",
    "E-TECH-UNKNOWN": "technician",
    "E-SERVICE-FEE": "fee",
    "E-SERVICE-FEE-TEXT": "fee",
    "E-SERVICE-FEE-NOT-PAID": "fee",
    "E-CALL-STATE": "status",
    "W-SERVICE-UNSIGNED": "signed",
}
COMPLAINT_CELLS = {  # where a refusal of a complaint's step points on its row
    "E-COMPLAINT-DEPUTY": "处理人",
    "E-COMPLAINT-LETTER": "答复方式",
    "E-COMPLAINT-REPLY": "答复方式",
    "E-COMPLAINT-OUTCOME": "处理结果",
    "E-COMPLAINT-VISIT": "回访人",
    "E-CALL-CUSTOMER": "客户",
    "E-COMPLAINT-TEXT": "内容",
    "E-CALL-UNKNOWN": "叫修编号",
}
NOT_SIGNED = {"否", "N", "NO", "未签", "未签收", "没签"}
SIGNED = {"是", "Y", "YES", "已签", "已签收", "签收"}
YES = {"是", "Y", "YES", "严重"}


@dataclass
class _Run:
    book: StagedBook
    now: datetime
    problems: list[Problem] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    recorded: int = 0

    def step(self, outcome: Outcome, place: Callable[[Problem], str], *, moved: frozenset[str] = frozenset()) -> bool:
        """One action on a typed row: its problems pointed at the row's cells (those the action
        could only place in the workbook, and those of ``moved``: a call's state, for a row typed
        on another sheet); True when it went through."""
        for p in outcome.problems:
            self.problems.append(p.at(place(p)) if p.where in (None, self.book.label) or p.code in moved else p)
        if outcome.ok:
            self.messages += outcome.messages
            self.recorded += 1
        return outcome.ok

    def cell(self, table: str, row: int, header: str) -> str:
        return self.book.locate_table_cell(table, row, header)

    def instant(self, value: Any, where: str, header: str, *, need_time: bool = True) -> tuple[datetime | None, bool]:
        """A typed date-time (``2026-11-3 9:30``, full-width digits, a cell's own date); a refusal
        at ``where``. (None, True) when blank."""
        reader = FieldReader({"value": value}, {"value": header})
        got = reader.instant("value", required=False, need_time=need_time)
        self.problems += [p.at(where) for p in reader.problems]
        return got, not reader.problems


def record_typed(book: Book, *, now: datetime) -> Outcome:
    """登记手填内容 (see the module): every typed row recorded, then every call judged at ``now``;
    one write, or none when a row is refused."""
    run = _Run(StagedBook(book), now)
    _calls(run)
    _goods(run)
    _surveys(run)
    _complaints(run)
    judged = judge_calls(run.book, now=now)
    problems = _unique(run.problems + judged.problems)
    if any(p.is_error for p in problems):
        return failed(problems)
    run.book.commit()
    head = (
        f"已登记手填内容 {run.recorded} 项 — {run.recorded} typed entries recorded"
        if run.recorded
        else "没有要登记的手填内容，已刷新时效 — nothing typed to record; arrival states refreshed"
    )
    return Outcome(problems, [head, *run.messages, *judged.messages], {"recorded": run.recorded, **judged.data})


def _unique(problems: list[Problem]) -> list[Problem]:
    """Each problem once: every action reads the settings and the calendar and warns alike."""
    seen: set[tuple[str, str | None, str]] = set()
    out = []
    for p in problems:
        key = (p.code, p.where, p.zh)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


# ---------------------------------------------------------------------------------------------
# 叫修登记簿 (S2–S4, S13)
def _calls(run: _Run) -> None:
    for i, rec in enumerate(_records(run.book.read_table(L.CALLS_TABLE))):
        said = len(run.messages)
        _call_row(run, i, rec)
        if len(run.messages) - said > 2:  # a row taken through several steps: its number and where it ended
            run.messages[said + 1 : -1] = []


def _call_row(run: _Run, i: int, rec: dict[str, Any]) -> None:
    book, now = run.book, run.now

    def cell(attr: str) -> str:
        return run.cell(L.CALLS_TABLE, i, L.CALL_BY_ATTR[attr].header)

    def place(attr: str) -> Callable[[Problem], str]:
        return lambda p: cell(CALL_CELLS.get(p.code, attr))

    def typed_time(attr: str) -> tuple[datetime | None, bool]:
        return run.instant(rec.get(attr), cell(attr), L.CALL_BY_ATTR[attr].header)

    number = to_text(rec.get("call_no"))
    status = _status(rec)
    if not number and not is_blank(rec.get("status")):
        header = L.CALL_BY_ATTR["call_no"].header
        run.problems.append(problem("E-NUMBER-CLEARED", where=cell("call_no"), header=header, status=rec["status"]))
        return
    if not number:
        typed = ("customer", "address", "phone", "model", "zone", "category", "problem", "technician")
        if all(is_blank(rec.get(a)) for a in typed):
            return
        called, ok = typed_time("called_at")
        if not ok:
            return
        out = log_call(
            book,
            customer=to_text(rec.get("customer")),
            zone=to_text(rec.get("zone")),
            category=to_text(rec.get("category")),
            now=now,
            address=to_text(rec.get("address")),
            phone=to_text(rec.get("phone")),
            model=to_text(rec.get("model")),
            problem_text=to_text(rec.get("problem")),
            called_at=called,
            row=i,
            note=to_text(rec.get("note")),
        )
        if not run.step(out, place("called_at")):
            return
        number, status = out.data["call_no"], CallStatus.LOGGED
    elif status is None:
        header = L.CALL_BY_ATTR["call_no"].header
        run.problems.append(problem("E-NUMBER-TYPED", where=cell("call_no"), header=header, value=number))
        return
    if status is CallStatus.LOGGED and to_text(rec.get("technician")):
        sent, ok = typed_time("dispatched_at")
        if not ok:
            return
        sent_cell = "dispatched_at"
        if sent is None and not is_blank(rec.get("arrived_at")):
            sent, ok = typed_time("arrived_at")  # no 派工时间 typed: sent by the time he arrived at the latest
            sent_cell = "arrived_at"
            if not ok:
                return
        out = dispatch_call(book, number, technician=to_text(rec.get("technician")), now=now, at=sent)
        if not run.step(out, place(sent_cell)):
            return
        status = CallStatus.DISPATCHED
    if status is CallStatus.DISPATCHED and not is_blank(rec.get("arrived_at")):
        arrived, ok = typed_time("arrived_at")
        if not ok or not run.step(arrive_call(book, number, now=now, at=arrived), place("arrived_at")):
            return
        status = CallStatus.ARRIVED
    if status is CallStatus.ARRIVED and not is_blank(rec.get("finished_at")):
        done, ok = typed_time("finished_at")
        if not ok:
            return
        typed_sign = fold(to_text(rec.get("signed"))).upper()
        if typed_sign and typed_sign not in NOT_SIGNED | SIGNED:
            run.problems.append(problem("E-SIGNED-VALUE", where=cell("signed"), value=shown(rec.get("signed"))))
            return
        out = finish_call(book, number, now=now, fee=rec.get("fee"), signed=typed_sign not in NOT_SIGNED, at=done)
        if not run.step(out, place("finished_at")):
            return
        status = CallStatus.CLOSED
    for attr, reached in STEP_OF_TIME.items():  # a time typed ahead of its turn (no technician yet)
        if not is_blank(rec.get(attr)) and ORDER.index(status) < ORDER.index(reached):
            action = "登记到达" if reached is CallStatus.ARRIVED else "完成注销"
            run.problems.append(
                problem("E-CALL-STATE", where=cell(attr), call_no=number, status=status.value, action=action)
            )
            return


# ---------------------------------------------------------------------------------------------
# 客户商品进出登记簿 and 修护卡 (S5–S7)
def _goods(run: _Run) -> None:
    table = run.book.read_table(L.GOODS_TABLE)
    for i, row in enumerate(table.rows):
        _goods_row(run, i, dict(zip(L.GOODS_HEADERS, row, strict=False)))


def _goods_row(run: _Run, i: int, rec: dict[str, Any]) -> None:
    book, now = run.book, run.now

    def cell(header: str) -> Callable[[Problem], str]:
        return lambda _p: run.cell(L.GOODS_TABLE, i, header)

    receipt, state = to_text(rec["收据编号"]), to_text(rec["状态"])
    if not receipt and state:
        where = run.cell(L.GOODS_TABLE, i, "收据编号")
        run.problems.append(problem("E-NUMBER-CLEARED", where=where, header="收据编号", status=state))
        return
    if not receipt:
        if is_blank(rec["叫修编号"]) and is_blank(rec["商品"]):
            return
        promised_at = run.cell(L.GOODS_TABLE, i, "承诺日期")
        promised, ok = run.instant(rec["承诺日期"], promised_at, "承诺日期", need_time=False)
        if not ok:
            return
        if promised is None:
            run.problems.append(problem("E-REQUIRED", where=promised_at, label="承诺日期", attr="promised"))
            return
        out = receive_goods(
            book,
            to_text(rec["叫修编号"]),
            goods=to_text(rec["商品"]),
            promised=promised.date(),
            now=now,
            model=to_text(rec["机型"]),
            technician=to_text(rec["技术员"]),
            row=i,
        )
        if not run.step(out, cell("叫修编号"), moved=frozenset({"E-CALL-STATE"})):
            return
        receipt, state = out.data["receipt"], GOODS_OPEN
    elif state not in (GOODS_OPEN, GOODS_RETURNED):
        where = run.cell(L.GOODS_TABLE, i, "收据编号")
        run.problems.append(problem("E-NUMBER-TYPED", where=where, header="收据编号", value=receipt))
        return
    if state != GOODS_OPEN or is_blank(rec["返还日期"]):
        return
    where = run.cell(L.GOODS_TABLE, i, "返还日期")
    back, ok = run.instant(rec["返还日期"], where, "返还日期", need_time=False)
    if not ok or back is None:
        return
    at = now if back.date() == now.date() else _day_end(back.date())
    cards = run.book.read_table(L.REPAIR_CARDS_TABLE)
    j = next((k for k, r in enumerate(cards.rows) if to_text(r[1]).upper() == receipt.upper()), None)
    card = dict(zip(L.REPAIR_CARDS_HEADERS, cards.rows[j], strict=False)) if j is not None else {}
    fee, fee_cell = _call_fee(run, to_text(rec["叫修编号"]))
    card_cells = {"E-GOODS-HOURS": "维修工时", "E-GOODS-CHECK": "主任检验"}

    def place(p: Problem) -> str:
        if p.code in card_cells and j is not None:
            return run.cell(L.REPAIR_CARDS_TABLE, j, card_cells[p.code])
        if CALL_CELLS.get(p.code) == "fee" and fee_cell:
            return fee_cell
        return where

    out = return_goods(
        book,
        receipt,
        hours=card.get("维修工时"),
        parts=card.get("更换零件"),
        checked_by=card.get("主任检验"),
        now=now,
        fee=fee,
        at=at,
    )
    run.step(out, place)


def _day_end(day: date) -> datetime:
    return datetime.combine(day, time(23, 59))


def _call_fee(run: _Run, call_no: str) -> tuple[Any, str | None]:
    """The 收费金额 typed on the call's row (a carried-in paid repair is invoiced on return, S7)."""
    found, _ = _find_call(run.book, call_no)
    if found is None:
        return None, None
    return found.record.get("fee"), run.cell(L.CALLS_TABLE, found.index, L.CALL_BY_ATTR["fee"].header)


# ---------------------------------------------------------------------------------------------
# 客户意见调查 (S15)
def _surveys(run: _Run) -> None:
    table = run.book.read_table(L.SURVEYS_TABLE)
    items = [label for _, label in SURVEY_ITEMS]
    for i, row in enumerate(table.rows):
        rec = dict(zip(L.SURVEYS_HEADERS, row, strict=False))
        if not is_blank(rec["得分"]) or all(is_blank(rec[h]) for h in items):
            continue
        answers = {item: rec[label] for item, label in SURVEY_ITEMS}
        call_cell = run.cell(L.SURVEYS_TABLE, i, L.SURVEYS_HEADERS[0])

        def place(p: Problem, i: int = i, call_cell: str = call_cell) -> str:
            label = dict(SURVEY_ITEMS).get(p.field or "")
            return run.cell(L.SURVEYS_TABLE, i, label) if label else call_cell

        run.step(record_survey(run.book, to_text(rec["叫修编号"]), answers=answers, now=run.now, row=i), place)


# ---------------------------------------------------------------------------------------------
# 客户投诉 (S16, S17)
def _complaints(run: _Run) -> None:
    try:
        table = _complaint_rows(run.book)
    except KeyError:
        return  # an older workbook without the sheet: nothing typed there
    for i, row in enumerate(table.rows):
        _complaint_row(run, i, dict(zip(L.SERVICE_COMPLAINTS_HEADERS, row, strict=False)))


def _complaint_row(run: _Run, i: int, rec: dict[str, Any]) -> None:
    book, now = run.book, run.now

    def cell(header: str) -> Callable[[Problem], str]:
        return lambda p: run.cell(L.SERVICE_COMPLAINTS_TABLE, i, COMPLAINT_CELLS.get(p.code, header))

    number, state, handler = to_text(rec["投诉编号"]), to_text(rec["状态"]), to_text(rec["处理人"])
    if not number and state:
        where = run.cell(L.SERVICE_COMPLAINTS_TABLE, i, "投诉编号")
        run.problems.append(problem("E-NUMBER-CLEARED", where=where, header="投诉编号", status=state))
        return
    if not number:
        if all(is_blank(rec[h]) for h in ("客户", "内容", "叫修编号")):
            return
        out = log_complaint(
            book,
            customer=to_text(rec["客户"]),
            text=to_text(rec["内容"]),
            serious=fold(to_text(rec["严重"])).upper() in YES,
            now=now,
            call_no=to_text(rec["叫修编号"]),
            row=i,
        )
        if not run.step(out, cell("内容")):
            return
        number, state, handler = out.data["complaint"], COMPLAINT_OPEN, handler or out.data["handler"]
    elif state not in (COMPLAINT_OPEN, COMPLAINT_ANSWERED, COMPLAINT_CLOSED):
        where = run.cell(L.SERVICE_COMPLAINTS_TABLE, i, "投诉编号")
        run.problems.append(problem("E-NUMBER-TYPED", where=where, header="投诉编号", value=number))
        return
    if state == COMPLAINT_OPEN and is_blank(rec["答复日期"]) and not is_blank(rec["处理结果"]):
        out = answer_complaint(
            book, number, outcome_text=to_text(rec["处理结果"]), by=handler, reply=to_text(rec["答复方式"]), now=now
        )
        if not run.step(out, cell("处理结果")):
            return
        state = out.data["status"]
    if state in (COMPLAINT_OPEN, COMPLAINT_ANSWERED) and is_blank(rec["回访日期"]) and not is_blank(rec["回访记录"]):
        by = to_text(rec["回访人"])  # who visited is typed, never taken to be the clerk recording it
        run.step(visit_customer(book, number, by=by, note=to_text(rec["回访记录"]), now=now), cell("回访人"))
