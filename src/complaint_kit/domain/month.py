"""The GM office's month (rules C12, C18–C20, P4, E3–E7): what the cases closed in a month cost
whom, the statistics managers read, and the papers that go out by the 10th.

Pure: :func:`compute_month_result` takes the month's closed cases as the register holds them
(:class:`ClosedCase`, built by ``actions.month``), the staff roster and what the ledger carried
in, and returns every deduction, the month's ledger rows (E4), the statistics tables, the
administrative sanctions for HR (C19) and the late stages to inquire about (C18). The same
inputs give the same result, so running a month twice changes nothing.

Our reading where the regulation is silent:

- A case belongs to the month it was closed in (approval done), whatever month it was reported.
- A person's deductions are capped with the roster's 月效率奖金 as it stands when the month is run
  (the roster has no history of bonuses).
- A department is counted once per case it shares responsibility in; its loss is the sum of its
  members' loss parts (so the departments' losses add up to the month's loss).
- A stage is late when it was done after its deadline; a skipped stage (R&D not needed) is not
  counted. The 洽办单 goes to the department that held the case in that stage.

Example: one case of 1,000.00 closed in 2026-10, 70 % to unit 电镀二组 (two members, basis
points 4 and 2) and 30 % to 李强 with a 警告 → 刘洋 466.67, 王五 233.33, 李强 300.00 + 400.00.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from .allocation import (
    Deduction,
    DeductionKind,
    MoneyRules,
    Responsibility,
    ResponsibilityKind,
    StaffMember,
    compute_case_deductions,
    sum_by_person,
)
from .decision import P3_CAUSES, QUALITY_CAUSE
from .ledger import LedgerRow, Month, compute_month
from .problems import Problem, problem

ZERO = Decimal("0.00")
STATISTICS_DEADLINE_DAY = 10  # C19: last month's statistics and penalties by the 10th
NO_CAUSE = "未注明"


@dataclass(frozen=True, slots=True)
class StageTiming:
    """One stage of a closed case: its deadline, when it was done, by whom it was held."""

    stage: str  # 品管分析 …
    department: str  # the holder (C18: the 洽办单 goes there)
    due: datetime | None
    done: datetime | None
    late_minutes: int = 0  # working minutes after the deadline (0: on time)

    @property
    def counted(self) -> bool:
        return self.due is not None and self.done is not None

    @property
    def late(self) -> bool:
        return self.counted and self.late_minutes > 0


@dataclass(frozen=True, slots=True)
class ClosedCase:
    """A case closed (approved) in the month, as the register holds it."""

    case_no: str
    customer: str
    market: str
    closed_at: datetime
    case_due: datetime | None
    handling: str  # blank: no decision recorded (a form from before the decision section)
    loss: Decimal
    responsibilities: tuple[Responsibility, ...] = ()
    stages: tuple[StageTiming, ...] = ()
    sales_rep: str = ""

    @property
    def on_time(self) -> bool:
        return self.case_due is None or self.closed_at <= self.case_due


@dataclass(frozen=True, slots=True)
class Inquiry:
    """洽办单 (C18): one late stage of a closed case, to the department that held it."""

    department: str
    case_no: str
    customer: str
    stage: str
    due: datetime
    done: datetime
    late_hours: Decimal


@dataclass(frozen=True, slots=True)
class StatTable:
    """One statistics table: ``percent_columns`` / ``money_columns`` are column indexes;
    ``chart`` is ``"bar"``, ``"pie"`` or ``""``; ``total`` marks a last row that is a total."""

    caption: str
    headers: tuple[str, ...]
    rows: list[list[object]]
    percent_columns: tuple[int, ...] = ()
    money_columns: tuple[int, ...] = ()
    chart: str = ""
    chart_columns: tuple[int, ...] = (1,)
    total: bool = False
    multi: bool = False  # a case may count in several rows (one per department named): no total share
    mixed: bool = False  # one value column of counts, shares (labels with 率) and money: the overview


@dataclass(frozen=True, slots=True)
class MonthResult:
    month: Month
    cases: tuple[ClosedCase, ...]
    deductions: tuple[Deduction, ...]
    ledger: tuple[LedgerRow, ...]
    statistics: tuple[StatTable, ...]
    inquiries: tuple[Inquiry, ...]
    sanctions: tuple[Deduction, ...] = field(default=())

    def by_department(self) -> dict[str, list[LedgerRow]]:
        """The ledger rows of each penalised department (one 奖罚通知单 each, C20)."""
        out: dict[str, list[LedgerRow]] = defaultdict(list)
        for row in self.ledger:  # every row owes something (the ledger keeps no empty rows)
            out[row.department or "未登记部门"].append(row)
        return dict(out)


def statistics_due(month: Month) -> date:
    """C19: a month's statistics and penalties are due on the 10th of the next month."""
    following = month.next()
    return date(following.year, following.month, STATISTICS_DEADLINE_DAY)


def check_month_timing(month: Month, now: datetime) -> list[Problem]:
    """A month not yet over cannot be closed; last month's statistics after the 10th are late (C19)."""
    following = month.next()
    if (now.year, now.month) < (following.year, following.month):
        return [problem("E-MONTH-NOT-OVER", month=str(month), first=f"{following}-01")]
    due = statistics_due(month)
    if now.date() > due:
        return [problem("W-MONTH-LATE", month=str(month), due=due, today=now.date())]
    return []


def _ratio(part: int | Decimal, whole: int | Decimal) -> Decimal:
    """A share to four places (``0.3333``), 0 when there is nothing to share."""
    if not whole:
        return Decimal(0)
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))


def _cause_label(cause: str) -> str:
    cause = cause.strip()
    if not cause:
        return NO_CAUSE
    if cause == QUALITY_CAUSE:
        return QUALITY_CAUSE
    return f"{cause}. {P3_CAUSES.get(int(cause), '')}" if cause.isdigit() else cause


def _no_cause(case: ClosedCase) -> str:
    return "不成立（无责任）" if case.handling == "不成立" else NO_CAUSE


def _department_of(row: Responsibility, staff: Sequence[StaffMember]) -> str:
    if row.department:
        return row.department
    if row.kind is ResponsibilityKind.PERSON:
        return next((m.department for m in staff if m.name == row.person), "")
    return next((m.department for m in staff if m.unit == row.unit), "")


def _count_table(
    caption: str,
    label: str,
    counts: Counter[str],
    total: int,
    *,
    chart: str,
    losses: Mapping[str, Decimal] | None,
    multi: bool = False,
) -> StatTable:
    """Rows ``label, 件数, 占比 (, 损失)`` biggest first, then a total row. ``multi``: a case may
    count in several rows, so the shares are each of the month's cases and have no total."""
    headers = (label, "件数", "占比", *(("损失金额",) if losses is not None else ()))
    rows: list[list[object]] = []
    for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        rows.append([key, n, _ratio(n, total), *((losses.get(key, ZERO),) if losses is not None else ())])
    loss_total = (sum(losses.values(), ZERO),) if losses is not None else ()
    share = None if multi else _ratio(sum(counts.values()), total)
    rows.append(["合计", sum(counts.values()), share, *loss_total])
    return StatTable(
        caption,
        headers,
        rows,
        percent_columns=(2,),
        money_columns=(3,) if losses is not None else (),
        chart=chart,
        total=True,
        multi=multi,
    )


def _timeliness_table(caption: str, label: str, groups: Mapping[str, list[StageTiming]]) -> StatTable:
    def row(key: str, timings: Iterable[StageTiming]) -> list[object]:
        counted = [t for t in timings if t.counted]
        late = sum(t.late for t in counted)
        return [key, len(counted), len(counted) - late, late, _ratio(len(counted) - late, len(counted))]

    everything = [t for timings in groups.values() for t in timings]
    rows = [row(key, timings) for key, timings in groups.items()] + [row("合计", everything)]
    return StatTable(
        caption,
        (label, "应完成", "按时", "逾期", "及时率"),
        rows,
        percent_columns=(4,),
        chart="bar",
        chart_columns=(2, 3),
        total=True,
    )


def compute_statistics(
    cases: Sequence[ClosedCase], deductions: Sequence[Deduction], staff: Sequence[StaffMember]
) -> tuple[StatTable, ...]:
    """客户投诉案件统计表 (C12, C18): counts and ratios by responsible department and unit, cause,
    customer, market and handling; on-time rate per stage and per department; the money."""
    n = len(cases)
    on_time = sum(c.on_time for c in cases)
    loss = sum((c.loss for c in cases), ZERO)
    charged = sum((d.amount for d in deductions), ZERO)
    sanctions = [d for d in deductions if d.kind is DeductionKind.SANCTION]
    overview = StatTable(
        "一、概况",
        ("项目", "数值"),
        [
            ["结案件数", n],
            ["其中国内", sum(c.market == "国内" for c in cases)],
            ["其中国外", sum(c.market == "国外" for c in cases)],
            ["按时结案", on_time],
            ["逾期结案", n - on_time],
            ["结案及时率", _ratio(on_time, n)],
            ["不成立件数", sum(c.handling == "不成立" for c in cases)],
            ["损失金额合计", loss],
            ["扣款合计（损失分摊与处分折款）", charged],
            ["行政处分人次", len(sanctions)],
        ],
        mixed=True,
    )
    departments: Counter[str] = Counter()
    units: Counter[str] = Counter()
    causes: Counter[str] = Counter()
    for case in cases:
        departments.update({name for r in case.responsibilities if (name := _department_of(r, staff))})
        units.update(
            {f"{_department_of(r, staff)} {r.unit}".strip() for r in case.responsibilities if r.unit}
            | {f"{_department_of(r, staff)} {r.person}".strip() for r in case.responsibilities if r.person}
        )
        causes.update({_cause_label(r.cause) for r in case.responsibilities} or {_no_cause(case)})
    dept_loss: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for d in deductions:
        if d.kind is DeductionKind.LOSS:
            dept_loss[d.department] += d.amount
    customer_loss: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for case in cases:
        customer_loss[case.customer] += case.loss
    by_stage: dict[str, list[StageTiming]] = defaultdict(list)
    by_holder: dict[str, list[StageTiming]] = defaultdict(list)
    for case in cases:
        for t in case.stages:
            by_stage[t.stage].append(t)
            by_holder[t.department].append(t)
    return (
        overview,
        _count_table("二、按责任部门", "责任部门", departments, n, chart="bar", losses=dept_loss, multi=True),
        _count_table("三、按责任单位/责任人", "责任单位/责任人", units, n, chart="", losses=None, multi=True),
        _count_table("四、按原因类别（P3）", "原因类别", causes, n, chart="pie", losses=None, multi=True),
        _count_table("五、按客户", "客户", Counter(c.customer for c in cases), n, chart="bar", losses=customer_loss),
        _count_table("六、按市场", "国内/国外", Counter(c.market for c in cases), n, chart="pie", losses=None),
        _count_table(
            "七、按处理方式", "处理方式", Counter(c.handling or "未核定" for c in cases), n, chart="", losses=None
        ),
        _timeliness_table("八、各阶段及时率（C18）", "阶段", by_stage),
        _timeliness_table("九、各部门及时率（C18）", "部门", by_holder),
    )


def compute_inquiries(cases: Iterable[ClosedCase]) -> tuple[Inquiry, ...]:
    """洽办单 (C18): every late stage of a closed case, by department then case."""
    found = [
        Inquiry(
            t.department,
            c.case_no,
            c.customer,
            t.stage,
            t.due,
            t.done,
            (Decimal(t.late_minutes) / 60).quantize(Decimal("0.01")),
        )
        for c in cases
        for t in c.stages
        if t.late and t.due is not None and t.done is not None
    ]
    return tuple(sorted(found, key=lambda i: (i.department, i.case_no, i.due)))


def compute_month_result(
    month: Month,
    cases: Sequence[ClosedCase],
    *,
    staff: Sequence[StaffMember],
    carried_in: Mapping[str, Decimal],
    rules: MoneyRules | None = None,
) -> tuple[MonthResult | None, list[Problem]]:
    """Everything the month produces. A case whose responsibility no longer allocates (a person
    left the roster, …) is an error naming the case, and then nothing is produced; a closed case
    without a decision is a warning and costs nobody anything."""
    problems: list[Problem] = []
    deductions: list[Deduction] = []
    undecided = [c.case_no for c in cases if not c.handling]
    if undecided:
        problems.append(problem("W-MONTH-NO-DECISION", month=str(month), cases="、".join(undecided)))
    for case in sorted(cases, key=lambda c: c.case_no):
        if not case.handling:
            continue
        found, case_problems = compute_case_deductions(
            case.loss, case.responsibilities, staff, case=case.case_no, rules=rules
        )
        for p in case_problems:
            problems.append(
                problem("E-MONTH-CASE", case_no=case.case_no, detail_zh=p.zh, detail_en=p.en) if p.is_error else p
            )
        deductions += found
    if any(p.is_error for p in problems):
        return None, problems
    members = {m.name: m for m in staff}
    ledger, ledger_problems = compute_month(
        month,
        carried_in=carried_in,
        new_deductions=sum_by_person(deductions),
        bonuses={m.name: m.monthly_bonus for m in staff},
        departments={name: m.department for name, m in members.items()},
        rules=rules,
    )
    problems += ledger_problems
    if any(p.is_error for p in ledger_problems):
        return None, problems
    result = MonthResult(
        month,
        tuple(sorted(cases, key=lambda c: c.case_no)),
        tuple(deductions),
        tuple(ledger),
        compute_statistics(cases, deductions, staff),
        compute_inquiries(cases),
        tuple(d for d in deductions if d.kind is DeductionKind.SANCTION),
    )
    return result, problems


def ledger_carry_in(rows: Iterable[LedgerRow], month: Month) -> tuple[dict[str, Decimal], list[Problem]]:
    """What each person brings into ``month`` (E4): the 结转下月 of their latest row before it.
    A carry left in a month before last means the months between were never run: an error naming
    the first missing month (running them in order keeps every cap)."""
    latest: dict[str, LedgerRow] = {}
    for row in rows:
        if Month.parse(row.month) < month and (row.name not in latest or row.month > latest[row.name].month):
            latest[row.name] = row
    carry: dict[str, Decimal] = {}
    gaps: set[str] = set()
    for name, row in latest.items():
        if not row.carried_out:
            continue
        following = Month.parse(row.month).next()
        if following < month:
            gaps.add(str(following))
        carry[name] = row.carried_out
    if gaps:
        return {}, [problem("E-LEDGER-GAP", month=str(month), missing=min(gaps))]
    return carry, []
