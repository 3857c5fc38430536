"""月结 The GM office's month (issue 7 item 6; rules C12, C18–C20, P4, E3–E7).

Reads only the register: the cases closed in the month (``Register``), their responsibility rows
(``CaseResponsibility``, kept at consolidation), the roster (``Staff``) and the ledger
(``Ledger``). Writes, in one register change, the month's ledger rows (replacing any earlier run of
the same month, so running it twice changes nothing) and a journal entry; and returns the sheets
of the month's report workbook (statistics with charts, deductions, ledger, 奖罚通知单 in three
copies per department, 人事公布单, 洽办单) for the caller to write beside the register.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from .. import layout as L
from ..domain.allocation import Responsibility
from ..domain.ledger import LedgerRow, Month
from ..domain.month import (
    ClosedCase,
    MonthResult,
    StageTiming,
    StatTable,
    check_month_timing,
    compute_month_result,
    ledger_carry_in,
    statistics_due,
)
from ..domain.problems import Problem, problem
from ..domain.rules import Stage
from ..domain.values import is_blank, to_datetime, to_decimal, to_text
from ..ports import Book, Changes, ChartSpec, ReportSheet, ReportTable
from .context import Rules, load_rules
from .decision import read_responsibility, read_staff
from .outcome import Outcome, failed
from .records import register_records, routing_from_record
from .register import REGISTER_LABELS
from .sealing import has_signatures, has_table, journal_and_seals, old_register_problem, wrong_key

MONEY = "#,##0.00"
PERCENT = "0.0%"
_RESP = dict(zip(L.RESPONSIBILITY_ATTRS, L.RESPONSIBILITY_HEADERS, strict=True))


def run_month(register: Book, *, month: Month, now: datetime, user: str, key: bytes) -> Outcome:
    """Close ``month``: the ledger rows go into the register (journalled); ``data["result"]`` is the
    :class:`MonthResult` and ``data["sheets"]`` the report's sheets. On any error nothing is written."""
    if not has_signatures(register):
        return failed([old_register_problem(register)])
    bad_key = wrong_key(register, key, register.read_table(L.SIGNATURES_TABLE))
    if bad_key:
        return failed([bad_key])
    missing = [t for t in (L.CASE_RESPONSIBILITY_TABLE, L.LEDGER_TABLE) if not has_table(register, t)]
    if missing:
        sheet = L.CASE_RESPONSIBILITY_SHEET if L.CASE_RESPONSIBILITY_TABLE in missing else L.LEDGER_SHEET
        return failed([problem("E-REGISTER-NEEDS-UPGRADE", where=register.label, sheet=sheet)])
    problems = check_month_timing(month, now)
    rules, found = load_rules(register)
    staff, staff_problems = read_staff(register)
    problems += found + staff_problems
    ledger, ledger_problems = read_ledger(register)
    problems += ledger_problems
    if any(p.is_error for p in problems):
        return failed(problems)
    responsibilities, resp_problems = read_case_responsibilities(register)
    cases, case_problems = closed_cases(register, month, rules, responsibilities)
    problems += resp_problems + case_problems
    carry, gap = ledger_carry_in(ledger, month)
    problems += gap
    if any(p.is_error for p in problems):
        return failed(problems)
    result, found = compute_month_result(
        month, cases, staff=staff, carried_in=carry, rules=rules.settings.money_rules()
    )
    problems += found
    if result is None:
        return failed(problems)
    later = sorted({row.month for row in ledger if Month.parse(row.month) > month})
    if later:
        problems.append(problem("W-LEDGER-LATER", later="、".join(later)))
    kept = [row for row in ledger if row.month != str(month)]
    rows = sorted([*kept, *result.ledger], key=lambda r: (Month.parse(r.month), r.department, r.name))
    total = sum((d.amount for d in result.deductions), Decimal(0))
    note = f"月结 {month}：结案 {len(cases)} 件，扣款 {total:,.2f}，台账 {len(result.ledger)} 人"
    journal = journal_and_seals(register, [[now, user, "月结", "", note]], key=key, now=now, user=user)
    register.apply(Changes(tables={L.LEDGER_TABLE: [list(r.values()) for r in rows], **journal}))
    paid = sum((r.paid for r in result.ledger), Decimal(0))
    carried = sum((r.carried_out for r in result.ledger), Decimal(0))
    messages = [
        f"{month} 月结：结案 {len(cases)} 件，新增扣款 {total:,.2f} 元，本月实扣 {paid:,.2f} 元，"
        f"结转下月 {carried:,.2f} 元；奖罚通知单 {len(result.by_department())} 个部门，"
        f"人事公布 {len(result.sanctions)} 人次，洽办单 {len(result.inquiries)} 项"
        f" — {month}: {len(cases)} case(s) closed, {total:,.2f} new deductions, {paid:,.2f} deducted this month,"
        f" {carried:,.2f} carried over; notices to {len(result.by_department())} department(s),"
        f" {len(result.sanctions)} sanction(s) for HR, {len(result.inquiries)} inquiry item(s)"
    ]
    sheets = month_report_sheets(result, now=now, register_label=register.label)
    return Outcome(problems, messages, {"result": result, "sheets": sheets})


# -- reading the register ----------------------------------------------------------------------
def read_ledger(register: Book) -> tuple[list[LedgerRow], list[Problem]]:
    """The ``Ledger`` table as rows; a row that is not a month and exact amounts is a problem at its cell."""
    table = register.read_table(L.LEDGER_TABLE)
    rows: list[LedgerRow] = []
    found: list[Problem] = []
    for i, raw in enumerate(table.rows):
        if all(is_blank(v) for v in raw):
            continue
        cells = dict(zip(table.headers, raw, strict=False))
        try:
            month = str(Month.parse(to_text(cells.get("月份"))))
            amounts = [to_decimal(cells.get(h)) or Decimal(0) for h in L.LEDGER_HEADERS[3:]]
        except ValueError:
            where = register.locate_table_cell(L.LEDGER_TABLE, i, L.LEDGER_HEADERS[0])
            found.append(problem("E-LEDGER-ROW", where=where, row=i + 1, sheet=L.LEDGER_SHEET))
            continue
        money = [a.quantize(Decimal("0.01")) for a in amounts]
        rows.append(LedgerRow(month, to_text(cells.get("姓名")), to_text(cells.get("部门")), *money))
    return rows, found


def read_case_responsibilities(register: Book) -> tuple[dict[str, list[Responsibility]], list[Problem]]:
    """责任明细 by case number (the rows consolidation kept)."""
    table = register.read_table(L.CASE_RESPONSIBILITY_TABLE)
    by_case: dict[str, list[Responsibility]] = defaultdict(list)
    found: list[Problem] = []
    labels = {**_RESP, "case_no": L.CASE_RESPONSIBILITY_HEADERS[0]}
    for i, raw in enumerate(table.rows):
        cells = dict(zip(table.headers, raw, strict=False))
        values = {attr: cells.get(header) for attr, header in labels.items()}
        if all(is_blank(v) for v in values.values()):
            continue
        case_no = to_text(values.pop("case_no"))
        parsed, problems = read_responsibility(values)
        if not case_no:
            problems.append(problem("E-REQUIRED", field="case_no", label=labels["case_no"], attr="case_no"))
        for p in problems:
            where = register.locate_table_cell(L.CASE_RESPONSIBILITY_TABLE, i, labels.get(p.field or "", "客诉编号"))
            found.append(p.at(where))
        if parsed is not None and not problems:
            by_case[case_no].append(parsed)
    return dict(by_case), found


def _timings(rec: dict[str, Any], rules: Rules) -> tuple[StageTiming, ...]:
    routing, _ = routing_from_record(rec, REGISTER_LABELS)
    if routing is None:
        return ()
    out = []
    for r in routing.stages:
        if r.skipped or r.stage is Stage.APPROVAL:  # approval is due with the case (C17): the case's timeliness
            continue
        late = rules.calendar.between(r.due, r.done) if r.due and r.done and r.done > r.due else 0
        out.append(StageTiming(r.stage.zh, r.stage.holder.value, r.due, r.done, late))
    return tuple(out)


def closed_cases(
    register: Book, month: Month, rules: Rules, responsibilities: dict[str, list[Responsibility]]
) -> tuple[list[ClosedCase], list[Problem]]:
    """The register's cases whose approval (closing) falls in ``month``."""
    cases = []
    found: list[Problem] = []
    for i, rec in enumerate(register_records(register.read_table(L.REGISTER_TABLE))):
        case_no = to_text(rec.get("case_no"))
        try:
            closed = to_datetime(rec.get("approval_done_at")) or to_datetime(rec.get("closed_at"))
            due = to_datetime(rec.get("case_due_at"))
        except ValueError:
            continue  # refresh reports unreadable dates at their cells
        if not case_no or closed is None or (closed.year, closed.month) != (month.year, month.month):
            continue
        try:
            loss = max(to_decimal(rec.get("loss_amount")) or Decimal(0), Decimal(0))
        except ValueError:
            where = register.locate_table_cell(L.REGISTER_TABLE, i, L.COLUMN_BY_ATTR["loss_amount"].header)
            found.append(
                problem("E-NOT-NUMBER", where=where, label="损失金额", attr="loss_amount", value=rec.get("loss_amount"))
            )
            continue
        cases.append(
            ClosedCase(
                case_no,
                to_text(rec.get("customer")),
                to_text(rec.get("market")),
                closed,
                due,
                to_text(rec.get("handling")),
                loss,
                tuple(responsibilities.get(case_no, ())),
                _timings(rec, rules),
                to_text(rec.get("sales_rep")),
            )
        )
    return cases, found


# -- the report --------------------------------------------------------------------------------
STATS_PAGE_BREAKS = frozenset({1, 3, 5, 7})  # two tables (and their charts) per landscape page


def _overview_value(label: object, value: object) -> object:
    """The overview's one value column as text: a share as ``61.5%``, money as ``18,057.50``."""
    if not isinstance(value, Decimal):
        return value
    return f"{value * 100:.1f}%" if "率" in str(label) else f"{value:,.2f}"


def _stat_table(stat: StatTable, *, page_break: bool = False) -> ReportTable:
    formats = {i: PERCENT for i in stat.percent_columns} | {i: MONEY for i in stat.money_columns}
    rows = [[label, _overview_value(label, value)] for label, value in stat.rows] if stat.mixed else stat.rows
    chart = None
    if stat.chart and len(stat.rows) > (2 if stat.total else 1):
        columns = stat.chart_columns if stat.chart == "bar" else (1,)
        chart = ChartSpec(stat.chart, stat.caption.split("、", 1)[-1], 0, columns)
    caption = f"{stat.caption}（一案多责时分别计数，占比为占结案件数之比）" if stat.multi else stat.caption
    return ReportTable(caption, stat.headers, rows, formats, stat.total, chart, page_break_after=page_break)


def _ledger_totals(rows: Sequence[LedgerRow]) -> list[Decimal]:
    """本月新增 … 结转下月 summed over the month's rows."""
    return [
        sum((getattr(r, attr) for r in rows), Decimal(0))
        for attr in ("new", "carried_in", "due", "paid", "carried_out")
    ]


def _people(rows: list[LedgerRow]) -> list[list[Any]]:
    return [[r.name, r.new, r.carried_in, r.due, r.paid, r.carried_out] for r in rows]


def month_report_sheets(result: MonthResult, *, now: datetime, register_label: str) -> list[ReportSheet]:
    """The month's workbook: 统计表 (with charts), 扣款明细, 扣款台账, 奖罚通知单, 人事公布单, 洽办单."""
    month = str(result.month)
    made = f"资料来源：{register_label}　制表：{now:%Y-%m-%d %H:%M}　应于 {statistics_due(result.month)} 前发出（C19）"
    money = {i: MONEY for i in range(1, 6)}
    stats = ReportSheet(
        L.MONTH_STATS_SHEET,
        f"客户投诉案件统计表　{month}",
        made,
        tuple(_stat_table(s, page_break=i in STATS_PAGE_BREAKS) for i, s in enumerate(result.statistics)),
        widths=(26, 10, 10, 12, 10),
        landscape=True,
    )
    details = ReportSheet(
        L.MONTH_DEDUCTIONS_SHEET,
        f"扣款明细　{month}",
        "损失按责任比例分摊（P2、E2），单位/部门责任按基点分摊（E3、E5、E6），处分折款（P4）；四舍五入至分，尾差归最大份额（E7）",
        (
            ReportTable(
                "各案扣款",
                L.MONTH_DEDUCTION_HEADERS,
                [[d.case, d.name, d.department, d.kind.value, d.amount, d.reason, d.rule] for d in result.deductions]
                + [["合计", "", "", "", sum((d.amount for d in result.deductions), Decimal(0)), "", ""]],
                {4: MONEY},
                total_row=True,
            ),
        ),
        widths=(10, 10, 12, 10, 12, 44, 8),
        landscape=True,
    )
    ledger = ReportSheet(
        L.MONTH_LEDGER_SHEET,
        f"扣款台账　{month}",
        "每人每月实扣不超过当月效率奖金的 50%，余额结转下月直至扣完（E4）",
        (
            ReportTable(
                "本月台账",
                L.LEDGER_HEADERS,
                [list(r.values()) for r in result.ledger] + [["合计", "", "", *_ledger_totals(result.ledger)]],
                {i: MONEY for i in range(3, 8)},
                total_row=True,
            ),
        ),
        widths=(9, 10, 12, 12, 12, 12, 12, 12),
    )
    notices = []
    by_case: dict[str, list[str]] = defaultdict(list)
    for d in result.deductions:
        by_case[d.name].append(f"{d.case} {d.kind.value} {d.amount:,.2f}")
    departments = result.by_department()
    for n, (department, rows) in enumerate(sorted(departments.items())):
        for c, copy in enumerate(L.NOTICE_COPIES):
            keeper = department if copy == "受罚部门" else copy
            last = n == len(departments) - 1 and c == len(L.NOTICE_COPIES) - 1
            notices.append(
                ReportTable(
                    f"奖罚通知单（{month}）　受文：{department}　第{c + 1}联 {keeper}存",
                    ("姓名", "本月新增", "上月结转", "本月应扣", "本月实扣", "结转下月"),
                    [*_people(rows), ["合计", *_ledger_totals(rows)]],
                    money,
                    total_row=True,
                    notes=(
                        "事由："
                        + "；".join(
                            f"{name}：{'，'.join(by_case.get(name, ['上月结转']))}" for name, *_ in _people(rows)
                        ),
                        "依据：C20 奖罚通知单；P2、P4、E3–E7。本月实扣自当月效率奖金中扣除（会计科执行）。",
                        "总经理室：＿＿＿＿＿＿　会计科：＿＿＿＿＿＿　受罚部门主管签收：＿＿＿＿＿＿　日期：＿＿＿＿",
                    ),
                    page_break_after=not last,
                )
            )
    if not notices:
        notices.append(ReportTable("本月无奖罚", ("说明",), [["本月结案无责任扣款"]]))
    hr = ReportSheet(
        L.MONTH_HR_SHEET,
        f"人事公布单　{month}",
        "上月结案之行政处分，送人事公布（C19）",
        (
            ReportTable(
                "行政处分",
                ("客诉编号", "姓名", "部门", "处分", "折款金额", "依据"),
                [[d.case, d.name, d.department, d.reason, d.amount, d.rule] for d in result.sanctions]
                or [["—", "本月无行政处分", "", "", None, ""]],
                {4: MONEY},
                notes=("总经理室：＿＿＿＿＿＿　人事：＿＿＿＿＿＿　公布日期：＿＿＿＿",),
            ),
        ),
        widths=(10, 10, 12, 26, 12, 8),
    )
    inquiries: list[ReportTable] = []
    grouped: dict[str, list[Any]] = defaultdict(list)
    for q in result.inquiries:
        grouped[q.department].append([q.case_no, q.customer, q.stage, q.due, q.done, q.late_hours, ""])
    for n, (department, lines) in enumerate(sorted(grouped.items())):
        inquiries.append(
            ReportTable(
                f"洽办单（{month}）　受文：{department}",
                ("客诉编号", "客户", "阶段", "期限", "完成时间", "逾期工时", "逾期原因及改善（请填写）"),
                lines,
                {3: L.DATETIME_FORMAT, 4: L.DATETIME_FORMAT, 5: "0.00"},
                notes=(
                    "请于收到后 3 个工作日内填写逾期原因及改善对策，送回总经理室（C18）。",
                    "部门主管：＿＿＿＿＿＿　日期：＿＿＿＿　总经理室：＿＿＿＿＿＿",
                ),
                page_break_after=n < len(grouped) - 1,
            )
        )
    if not inquiries:
        inquiries.append(ReportTable("本月结案各阶段均按时完成", ("说明",), [["无需洽办"]]))
    return [
        stats,
        details,
        ledger,
        ReportSheet(
            L.MONTH_NOTICE_SHEET,
            f"奖罚通知单　{month}",
            "一式三联：总经理室、会计科、受罚部门（C20）",
            tuple(notices),
            widths=(12, 13, 13, 13, 13, 13),
        ),
        hr,
        ReportSheet(
            L.MONTH_INQUIRY_SHEET,
            f"洽办单　{month}",
            "结案后逾期阶段之原因查询（C18）",
            tuple(inquiries),
            widths=(10, 14, 12, 16, 16, 9, 30),
            landscape=True,
        ),
    ]
