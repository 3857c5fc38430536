"""The ONLY home of sheet names, defined names, table names and headers (DESIGN.md).

Templates are built from this module (``complaint-kit templates build``); actions and adapters
address workbooks through it — by defined name for form fields, by table name and header for
registers — so moving a cell in a template never breaks code.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

from .domain.allocation import ResponsibilityKind, Sanction
from .domain.authority import ApprovalLevel
from .domain.calendar import DEFAULT_WINDOWS, DayKind
from .domain.decision import P3_CAUSES, QUALITY_CAUSE, Handling, ResaleStatus
from .domain.returns import Proof
from .domain.rules import (
    RESPONSIBLE_UNITS,
    STAGE_ZH,
    CaseLimitBasis,
    CustomerRequest,
    Department,
    Market,
    Stage,
    YesNo,
)
from .domain.service_terms import Arrival, CallStatus, Level, Settlement, Zone
from .domain.service_terms import Category as ServiceCategory


class Kind(StrEnum):
    TEXT = "text"
    LONG = "long"  # multi-line text spanning the row
    INT = "int"
    DATETIME = "datetime"
    DATE = "date"
    CHOICE = "choice"
    NUMBER = "number"
    MONEY = "money"


DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATETIME_WIDTH = 17  # characters: 16 for yyyy-mm-dd hh:mm and a margin (LibreOffice shows ### at 16)
# Cell colours a clerk learns: type here / the kit writes this / this section is finished (locked)
INPUT_RGB = "FFF2CC"
COMPUTED_RGB = "E7E6E6"
FINISHED_RGB = "E2EFDA"
NOT_APPLICABLE_RGB = "D9D9D9"  # a skipped section (R&D not needed, C6.5): no input, nothing to sign
# One CJK font family for every cell a template or the kit styles: Excel's own default on Chinese
# Windows (Office 2016+); LibreOffice, lacking it, substitutes one family for all of them alike.
FONT_NAME = "等线"
DATE_FORMAT = "yyyy-mm-dd"

# ---------------------------------------------------------------------------------------------
# Files
REGISTER_FILE = "客户抱怨案件登记追踪表.xlsx"
FORM_FILE = "客户抱怨处理表.xlsx"
FORMS_DIR = "表单"
FORM_VERSION = "4"  # 2: seals (MetaSeal); 3: the decision (section 七) and 责任归属; 4: P1 resale, receipt
DECISION_VERSION = 3
RETURNS_VERSION = 4  # 核准数量, 转售数量/日期 (P1) and section 九, the warehouse's receipt (R3, R4, R6)


def file_part(text: str, *, limit: int = 40) -> str:
    """Text (a customer's name) as part of a file name that Windows, macOS and a mail client all
    keep: characters a file name cannot hold become ``_``, runs of dots one dot, no dot or space at
    either end (``Flex Ltd.`` → ``Flex Ltd``), at most ``limit`` characters; ``_`` when nothing
    is left."""
    clean = re.sub(r'[<>:"/\\|?*\x00-\x1f\x7f]', "_", unicodedata.normalize("NFKC", text))
    clean = re.sub(r"\.{2,}", ".", clean).strip(" .")[:limit].strip(" .")
    return clean or "_"


# The office folder (issue 9): forms arriving by mail, imported, refused, and the drafts to send
INBOX_DIR = "收件"
IMPORTED_DIR = "已导入"  # by month: 已导入/2026-11/
REFUSED_DIR = "退回"  # each refused file with a note beside it saying why
OUTBOX_DIR = "发件"  # beside a form: the hand-over copy and its .eml draft
REFUSED_NOTE_SUFFIX = ".退回原因.txt"


def handover_file_name(case_no: str, customer: str, stage_zh: str) -> str:
    """The form as it is mailed on: ``客诉-261101-华星光电-品管分析完成.xlsx``."""
    return f"客诉-{case_no}-{file_part(customer)}-{stage_zh}完成.xlsx"


def reminder_mail_name(department: str, day: str) -> str:
    """``催办单-制造部-2026-11-05.eml``."""
    return f"催办单-{file_part(department)}-{day}.eml"


def reopened_form_name(stem: str) -> str:
    """The new form of a case the customer rejected (C11), beside the old one."""
    return f"{stem}-重开.xlsx"


# ---------------------------------------------------------------------------------------------
# The complaint form (one case)
FORM_SHEET = "客户抱怨处理表"
FORM_TITLE = "客户抱怨处理表"
FORM_LOG_SHEET = "流转记录"
FORM_LOG_TABLE = "RoutingLog"
FORM_LOG_HEADERS = ("时间", "阶段", "动作", "经办人", "说明")
META_SHEET = "_meta"
META_SETTINGS = "MetaSettings"  # JSON snapshot of the register's settings and calendar at acceptance
META_VERSION = "FormVersion"
META_SEAL = "MetaSeal"  # JSON copy of the case's seals (tamper evidence, issue 6); the register holds the truth
# 责任归属 (C8, P2, E1, E2): the GM office's responsibility rows, on their own sheet of the form
RESPONSIBILITY_SHEET = "责任归属"
RESPONSIBILITY_TABLE = "Responsibility"
RESPONSIBILITY_HEADERS = ("责任类型", "部门", "单位", "责任人", "责任比例", "处分", "处分基数", "原因类别")
RESPONSIBILITY_ATTRS = ("kind", "department", "unit", "person", "share", "sanction", "sanction_base", "cause")
RESPONSIBILITY_CHOICES: dict[str, tuple[str, ...]] = {
    "kind": tuple(k.value for k in ResponsibilityKind),
    "sanction": tuple(s.value for s in Sanction),
    "cause": (*map(str, P3_CAUSES), QUALITY_CAUSE),
}
FORM_COLUMNS = 8  # four label/value pairs per row
FORM_NOTICE = "本表为公司内部文件，业务人员不得将本表或其副本交给客户（规则 C13）。"
# Signed on paper: under each department's section a row of label/box pairs (no defined names, so
# adding it needs no new FormVersion); the approval is signed by the approver alone.
SIGN_LABELS = ("经办人签名", "日期", "主管签名", "日期")
SIGN_LABELS_BY_SECTION: dict[str, tuple[str, ...]] = {"approval": ("核决人签名", "日期")}
NOT_APPLICABLE = "不适用"  # written into a skipped section's text field (R&D not needed, C6.5)


@dataclass(frozen=True, slots=True)
class FormField:
    name: str  # workbook-level defined name: the contract
    attr: str  # domain attribute
    label: str  # what the clerk sees
    kind: Kind = Kind.TEXT
    choices: tuple[str, ...] = ()
    computed: bool = False  # written by the kit; locked and grey
    formula: str | None = None  # a formula over other defined names
    since: int = 1  # the form version that introduced it; older forms in circulation lack it


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str
    rows: tuple[tuple[FormField, ...], ...]
    stage: Stage | None = None  # the stage whose completion locks this section


def _stage_row(stage: Stage, prefix: str) -> tuple[FormField, ...]:
    a = stage.value
    return (
        FormField(f"{prefix}StartAt", f"{a}_start_at", "开始时间", Kind.DATETIME, computed=True),
        FormField(f"{prefix}DueAt", f"{a}_due_at", "期限", Kind.DATETIME, computed=True),
        FormField(f"{prefix}DoneAt", f"{a}_done_at", "完成时间", Kind.DATETIME, computed=True),
        FormField(f"{prefix}By", f"{a}_by", "经办人", computed=True),
    )


STAGE_PREFIX: dict[Stage, str] = {
    Stage.INTAKE: "Intake",
    Stage.QUALITY: "Quality",
    Stage.MANUFACTURING: "Manufacturing",
    Stage.RND: "RnD",
    Stage.NEGOTIATION: "Negotiation",
    Stage.CONSOLIDATION: "Consolidation",
    Stage.APPROVAL: "Approval",
}

F = FormField
SECTIONS: tuple[Section, ...] = (
    Section(
        "head",
        "",
        (
            (
                F("CaseNo", "case_no", "客诉编号", computed=True),
                F("Status", "status", "状态", computed=True),
                F("OriginalCaseNo", "original_case_no", "原案编号", computed=True),
                F("AcceptedBy", "accepted_by", "受理人", computed=True),
            ),
        ),
    ),
    Section(
        "intake",
        "一、业务部：客户抱怨内容（C4）",
        (
            (
                F("Customer", "customer", "客户名称"),
                F("Market", "market", "国内/国外", Kind.CHOICE, tuple(m.value for m in Market)),
                F("SalesRep", "sales_rep", "业务员"),
                F("ReportedAt", "reported_at", "客户反映时间", Kind.DATETIME),
            ),
            (
                F("OrderNo", "order_no", "订单号"),
                F("PartNo", "part_no", "料号"),
                F("ShipDate", "ship_date", "出货日期", Kind.DATE),
                F("ShipQty", "ship_qty", "出货数量", Kind.INT),
            ),
            (
                F("DefectQty", "defect_qty", "不良数量", Kind.INT),
                F(
                    "CustomerRequest",
                    "customer_request",
                    "客户要求",
                    Kind.CHOICE,
                    tuple(r.value for r in CustomerRequest),
                ),
                F("RequestQty", "request_qty", "要求数量", Kind.INT),
                F(
                    "DefectRate",
                    "defect_rate",
                    "不良率",
                    Kind.NUMBER,
                    computed=True,
                    formula='=IF(AND(ISNUMBER(ShipQty),ShipQty>0,ISNUMBER(DefectQty)),DefectQty/ShipQty,"")',
                ),
            ),
            (F("Description", "description", "不良现象及原因说明", Kind.LONG),),
            _stage_row(Stage.INTAKE, "Intake"),
        ),
        Stage.INTAKE,
    ),
    Section(
        "accept",
        "二、总经理室生产管理组：受理登记（C6.2、C17）",
        (
            (
                F("ReceivedAt", "received_at", "收件时间", Kind.DATETIME, computed=True),
                F("AcceptedAt", "accepted_at", "受理时间", Kind.DATETIME, computed=True),
                F("CaseDueAt", "case_due_at", "结案期限", Kind.DATETIME, computed=True),
            ),
        ),
    ),
    Section(
        "quality",
        "三、质量管理部：原因分析、责任单位（C6.3，1天）",
        (
            (F("QualityCause", "quality_cause", "原因分析", Kind.LONG),),
            (
                F("ResponsibleUnit", "responsible_unit", "责任单位", Kind.CHOICE, RESPONSIBLE_UNITS),
                F("RnDNeeded", "rnd_needed", "需研发意见", Kind.CHOICE, tuple(y.value for y in YesNo)),
            ),
            _stage_row(Stage.QUALITY, "Quality"),
        ),
        Stage.QUALITY,
    ),
    Section(
        "manufacturing",
        "四、制造部门：原因及对策（C6.4，1天）",
        (
            (F("MfgCause", "mfg_cause", "发生原因", Kind.LONG),),
            (F("MfgCountermeasure", "mfg_countermeasure", "改善对策", Kind.LONG),),
            (
                F("ProductionUnit", "production_unit", "生产单位"),
                F("MachineShift", "machine_shift", "机台/班别"),
                F("Operators", "operators", "作业人员"),
                F("ProductionDate", "production_date", "生产日期", Kind.DATE),
            ),
            (F("MfgManagerComment", "mfg_manager_comment", "经理室意见", Kind.LONG),),
            _stage_row(Stage.MANUFACTURING, "Manufacturing"),
        ),
        Stage.MANUFACTURING,
    ),
    Section(
        "rnd",
        "五、研发部：意见（C6.5，1天，需要时）",
        (
            (F("RnDOpinion", "rnd_opinion", "研发意见", Kind.LONG),),
            _stage_row(Stage.RND, "RnD"),
        ),
        Stage.RND,
    ),
    Section(
        "negotiation",
        "六、业务部：与客户协商结果（C6.6，国内5天/国外12天）",
        (
            (F("NegotiationResult", "negotiation_result", "协商结果", Kind.LONG),),
            _stage_row(Stage.NEGOTIATION, "Negotiation"),
        ),
        Stage.NEGOTIATION,
    ),
    Section(
        "consolidation",
        "七、总经理室：综合意见（C6.7，0.5天）",
        (
            (F("GMOpinion", "gm_opinion", "综合意见", Kind.LONG),),
            (
                F(
                    "Handling",
                    "handling",
                    "处理方式",
                    Kind.CHOICE,
                    tuple(h.value for h in Handling),
                    since=DECISION_VERSION,
                ),
                F("LossAmount", "loss_amount", "损失金额", Kind.MONEY, since=DECISION_VERSION),
                F(
                    "ImprovementTracked",
                    "improvement_tracked",
                    "改善追踪",
                    Kind.CHOICE,
                    tuple(y.value for y in YesNo),
                    since=DECISION_VERSION,
                ),
                F(
                    "ResaleStatus",
                    "resale_status",
                    "转售情况",
                    Kind.CHOICE,
                    tuple(r.value for r in ResaleStatus),
                    since=DECISION_VERSION,
                ),
            ),
            (
                F("ResaleAmount", "resale_amount", "转售单价", Kind.MONEY, since=DECISION_VERSION),
                F("GradeAPrice", "grade_a_price", "A级单价", Kind.MONEY, since=DECISION_VERSION),
                F("ResaleQty", "resale_qty", "转售数量", Kind.INT, since=RETURNS_VERSION),
                F("ResaleDate", "resale_date", "转售日期", Kind.DATE, since=RETURNS_VERSION),
            ),
            (F("ApprovedQty", "approved_qty", "核准数量", Kind.INT, since=RETURNS_VERSION),),
            _stage_row(Stage.CONSOLIDATION, "Consolidation"),
        ),
        Stage.CONSOLIDATION,
    ),
    Section(
        "approval",
        "八、核决（C6.8、C10）",
        (
            (F("ApprovalOpinion", "approval_opinion", "核决意见", Kind.LONG),),
            _stage_row(Stage.APPROVAL, "Approval"),
        ),
        Stage.APPROVAL,
    ),
    Section(
        "receipt",
        "九、成品仓储：退货实收（R3、R4、R6；填实收数量与凭证后点“退货实收”）",
        (
            (
                F("ReceivedQty", "received_qty", "实收数量", Kind.INT, since=RETURNS_VERSION),
                F(
                    "ReceiptProof",
                    "receipt_proof",
                    "入账凭证",
                    Kind.CHOICE,
                    tuple(p.value for p in Proof),
                    since=RETURNS_VERSION,
                ),
                F("BookedQty", "booked_qty", "入账数量", Kind.INT, computed=True, since=RETURNS_VERSION),
                F("ReceiptAt", "receipt_at", "登记时间", Kind.DATETIME, computed=True, since=RETURNS_VERSION),
            ),
            (F("ReceiptNote", "receipt_note", "差异说明", Kind.LONG, computed=True, since=RETURNS_VERSION),),
        ),
    ),
    Section(
        "objection",
        "十、异议（签呈，C14、C16；填写后点“签呈”）",
        ((F("Objection", "objection", "异议内容", Kind.LONG, since=RETURNS_VERSION),),),
    ),
)
del F

FORM_FIELDS: tuple[FormField, ...] = tuple(f for s in SECTIONS for row in s.rows for f in row)
FIELD_BY_ATTR: dict[str, FormField] = {f.attr: f for f in FORM_FIELDS}
FIELD_BY_NAME: dict[str, FormField] = {f.name: f for f in FORM_FIELDS}
FIELD_LABELS: dict[str, str] = {f.attr: f.label for f in FORM_FIELDS}
INTAKE_ATTRS: tuple[str, ...] = tuple(
    f.attr for s in SECTIONS if s.key == "intake" for row in s.rows for f in row if not f.computed
)


def form_fields_of(version: int) -> tuple[FormField, ...]:
    """The fields a form of ``version`` has (forms of every version are in circulation)."""
    return tuple(f for f in FORM_FIELDS if f.since <= version)


def stage_field(stage: Stage, part: str) -> FormField:
    """``stage_field(Stage.QUALITY, "DueAt")`` → the ``QualityDueAt`` field."""
    return FIELD_BY_NAME[f"{STAGE_PREFIX[stage]}{part}"]


def section_of(stage: Stage) -> Section:
    return next(s for s in SECTIONS if s.stage is stage)


def section_input_fields(stage: Stage, version: int | None = None) -> tuple[FormField, ...]:
    """The fields a department fills in the section of ``stage`` (locked once it is done); with
    ``version``, only those a form of that template version has."""
    fields = tuple(f for row in section_of(stage).rows for f in row if not f.computed)
    return fields if version is None else tuple(f for f in fields if f.since <= version)


def stage_fields(stage: Stage) -> tuple[FormField, ...]:
    """A stage's StartAt, DueAt, DoneAt and By."""
    return tuple(stage_field(stage, part) for part in ("StartAt", "DueAt", "DoneAt", "By"))


# Tamper evidence (issue 6): what acceptance seals besides the stage fields it fills. Status and the
# stages not yet done change legitimately later and are never sealed.
SEALED_AT_ACCEPTANCE: tuple[str, ...] = (
    "CaseNo",
    "OriginalCaseNo",
    *(f.name for f in section_input_fields(Stage.INTAKE)),
    "ReceivedAt",
    "AcceptedAt",
    "AcceptedBy",
    "CaseDueAt",
    META_SETTINGS,
)
SEAL_LABELS: dict[str, str] = {
    **{f.name: f.label for f in FORM_FIELDS},
    **{
        stage_field(s, p).name: f"{STAGE_ZH[s]}{stage_field(s, p).label}"
        for s in Stage
        for p in ("StartAt", "DueAt", "DoneAt", "By")
    },
    META_SETTINGS: "受理时的设置快照",
    RESPONSIBILITY_TABLE: "责任归属表",
}


# ---------------------------------------------------------------------------------------------
# 五联 (C9): the closed, approved form printed as five copies, each saying which it is and who keeps it
COPY_SHEETS = ("第一联", "第二联", "第三联", "第四联", "第五联")
COPY_KEEPERS = ("质量管理部", "制造部门", "业务部门", "会计科", "总经理室")
COPY_USES = ("存查", "存查", "依此办理", "存查", "存查")  # ③ Sales acts on it (C9)
COPY_FOOTER_NOTICE = "不得交给客户（C13）"


def copy_title(sheet: str, keeper: str, use: str) -> str:
    """The title cell of one copy: ``客户抱怨处理表　第一联（质量管理部存查）``."""
    return f"{FORM_TITLE}　{sheet}（{keeper}{use}）"


def copies_file_name(case_no: str) -> str:
    """The five copies in one workbook, beside the form: ``客诉-261101-五联.xlsx``."""
    return f"客诉-{case_no}-五联.xlsx"


def copy_file_name(case_no: str, sheet: str, keeper: str) -> str:
    """One copy, named for mailing: ``客诉-261101-第一联-质量管理部.xlsx``."""
    return f"客诉-{case_no}-{sheet}-{keeper}.xlsx"


# ---------------------------------------------------------------------------------------------
# The register workbook (GM office)
REGISTER_SHEET = "登记追踪表"
REGISTER_TABLE = "Register"
SUMMARY_SHEET = "概览"
SETTINGS_SHEET = "设置"
SETTINGS_TABLE = "Settings"
SETTINGS_HEADERS = ("键", "名称", "值", "默认值", "规则", "说明")
CALENDAR_SHEET = "日历"
CALENDAR_TABLE = "Calendar"
CALENDAR_HEADERS = ("日期", "类型", "说明")
SERIALS_SHEET = "编号台账"
SERIALS_TABLE = "Serials"
SERIALS_HEADERS = ("月份", "最后流水号")
JOURNAL_SHEET = "日志"
JOURNAL_TABLE = "Journal"
JOURNAL_HEADERS = ("时间", "操作人", "操作", "客诉编号", "说明", "哈希")
JOURNAL_ACCEPT = "受理"  # the journal's action of an acceptance: verify knows a row by it
SIGNATURES_SHEET = "签章"
SIGNATURES_TABLE = "Signatures"
SIGNATURES_HEADERS = ("客诉编号", "范围", "签章时间", "签章人", "字段摘要", "密钥编号", "签章")
REMINDER_SHEET = "催办单"
# 责任明细: each decided case's responsibility rows as consolidation sealed them, so `month` needs
# only the register (issue 7 item 2); replaced per case when the case's consolidation is recorded.
CASE_RESPONSIBILITY_SHEET = "责任明细"
CASE_RESPONSIBILITY_TABLE = "CaseResponsibility"
CASE_RESPONSIBILITY_HEADERS = ("客诉编号", *RESPONSIBILITY_HEADERS)
# 扣款台账 (E4): one row per person per month; a month's rows are replaced when it is run again
LEDGER_SHEET = "扣款台账"
LEDGER_TABLE = "Ledger"
LEDGER_HEADERS = ("月份", "姓名", "部门", "本月新增", "上月结转", "本月应扣", "本月实扣", "结转下月")
# 异常处理单 (C2): a no-loss abnormality sent to the responsible unit, with its own light register
ABNORMAL_SHEET = "异常处理"
ABNORMAL_TABLE = "Abnormal"
ABNORMAL_HEADERS = (
    *("编号", "发现时间", "客户", "责任单位", "异常内容"),
    *("处理要求", "回复期限", "回复", "状态", "登记人"),
)
ABNORMAL_STATUSES = ("待回复", "已回复")
# 客户 (R3): a customer's own over-acceptance ratio, on the 设置 sheet beside the settings
CUSTOMERS_TABLE = "Customers"
CUSTOMERS_HEADERS = ("客户", "超量允收比率", "说明")
# 邮件通讯录 (issue 9): who a form is mailed to, per department; on the 设置 sheet under 客户
MAILBOXES_TABLE = "Mailboxes"
MAILBOXES_HEADERS = ("部门", "姓名", "邮箱")
MAIL_DEPARTMENTS: tuple[str, ...] = tuple(d.value for d in Department)
MAILBOXES_TITLE = "邮件通讯录（交接邮件草稿的收件人；总经理室的邮箱作为抄送；只可填公司邮箱，见“公司邮箱域名”）"
# Tables added with issue 7: `upgrade` adds them to an older register; readers treat a missing one as empty.
ISSUE7_TABLES = (CASE_RESPONSIBILITY_TABLE, LEDGER_TABLE, ABNORMAL_TABLE, CUSTOMERS_TABLE)
STAFF_SHEET = "人员"
STAFF_TABLE = "Staff"
STAFF_HEADERS = ("姓名", "部门", "单位", "基点", "月效率奖金", "核决级别")
STAFF_ATTRS = ("name", "department", "unit", "basis_points", "monthly_bonus", "approval_level")
APPROVAL_LEVELS: tuple[str, ...] = tuple(a.value for a in ApprovalLevel)
REGISTER_CAPACITY = 5000  # rows covered by the template's validation and conditional formats


# 逾期工时 (issue 8): how late an open case is now, apart from how late its finished stages were
OPEN_OVERDUE_HEADER = "逾期工时(在办)"
FINISHED_LATE_HEADER = "迟延工时(已完成)"
OVERDUE_TEXT = "逾期"  # 时效 values the register's formats and 概览 count (domain Timeliness)
DUE_SOON_TEXT = "即将到期"
OVERDUE_ROW_RGB = "FDE2E4"
HOURS_NOTE = (
    "逾期工时(在办)：在办案件当前阶段或结案期限已超过的工作时数；"
    "迟延工时(已完成)：已完成各阶段超过期限的工作时数合计。"
    f"1 个工作日 = {sum(w.minutes for w in DEFAULT_WINDOWS) // 60} 个工作小时"
    f"（默认作息 {'、'.join(f'{w.start:%H:%M}–{w.end:%H:%M}' for w in DEFAULT_WINDOWS)}，可在 设置 修改；"
    "不含午休、休息日与节假日）。"
    "整行红色＝在办逾期（按“时效”，即最近一次刷新的结果）。"
)


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    attr: str
    kind: Kind = Kind.TEXT
    width: float = 12
    choices: tuple[str, ...] = field(default=())


def _stage_columns() -> tuple[Column, ...]:
    short = {
        Stage.INTAKE: "送件",
        Stage.QUALITY: "品管",
        Stage.MANUFACTURING: "制造",
        Stage.RND: "研发",
        Stage.NEGOTIATION: "协商",
        Stage.CONSOLIDATION: "汇总",
    }
    cols: list[Column] = []
    for stage, name in short.items():
        cols.append(Column(f"{name}期限", f"{stage.value}_due_at", Kind.DATETIME, DATETIME_WIDTH))
        if stage is not Stage.INTAKE:  # intake is done when the GM office receives the form
            cols.append(Column(f"{name}完成", f"{stage.value}_done_at", Kind.DATETIME, DATETIME_WIDTH))
    cols.append(Column("核决完成", "approval_done_at", Kind.DATETIME, DATETIME_WIDTH))
    return tuple(cols)


REGISTER_COLUMNS: tuple[Column, ...] = (
    Column("客诉编号", "case_no", width=10),
    Column("原案编号", "original_case_no", width=10),
    Column("客户", "customer", width=16),
    Column("国内/国外", "market", Kind.CHOICE, 9, tuple(m.value for m in Market)),
    Column("业务员", "sales_rep", width=9),
    Column("订单号", "order_no"),
    Column("料号", "part_no"),
    Column("客户要求", "customer_request", width=14),
    Column("不良数量", "defect_qty", Kind.INT, 9),
    Column("不良现象", "description", width=30),
    Column("客户反映时间", "reported_at", Kind.DATETIME, DATETIME_WIDTH),
    Column("收件时间", "received_at", Kind.DATETIME, DATETIME_WIDTH),
    Column("受理时间", "accepted_at", Kind.DATETIME, DATETIME_WIDTH),
    Column("当前阶段", "current_stage", width=12),
    Column("持有部门", "holder", width=11),
    Column("阶段期限", "stage_due_at", Kind.DATETIME, 18),  # bold when overdue: wider than the rest
    Column("结案期限", "case_due_at", Kind.DATETIME, 18),
    Column("结案时间", "closed_at", Kind.DATETIME, DATETIME_WIDTH),
    Column("状态", "status", width=9),
    Column("时效", "timeliness", width=9),
    Column(OPEN_OVERDUE_HEADER, "overdue_hours", Kind.NUMBER, 15),
    Column(FINISHED_LATE_HEADER, "late_hours", Kind.NUMBER, 16),
    Column("需研发意见", "rnd_needed", Kind.CHOICE, 9, tuple(y.value for y in YesNo)),
    Column("责任单位", "responsible_unit", width=10),
    Column("最新进展", "latest_note", width=30),
    *_stage_columns(),
    Column("处理方式", "handling", Kind.CHOICE, 9, tuple(h.value for h in Handling)),
    Column("损失金额", "loss_amount", Kind.MONEY, 12),
    Column("核决级别", "approval_level", Kind.CHOICE, 10, tuple(a.value for a in ApprovalLevel)),
    Column("表单文件", "form_file", width=28),
    Column("更新时间", "refreshed_at", Kind.DATETIME, DATETIME_WIDTH),
)
REGISTER_HEADERS: tuple[str, ...] = tuple(c.header for c in REGISTER_COLUMNS)
COLUMN_BY_ATTR: dict[str, Column] = {c.attr: c for c in REGISTER_COLUMNS}
# Columns added with the decision (issue 7): a register built before them still works without them.
REGISTER_OPTIONAL_ATTRS = frozenset(
    {"handling", "loss_amount", "approval_level", "late_hours", "responsible_unit", "latest_note"}
)
# 最新进展 (issue 9): the text of a stage's section that the register shows after it is done
STAGE_NOTE_ATTRS: dict[Stage, str] = {
    Stage.QUALITY: "quality_cause",
    Stage.MANUFACTURING: "mfg_countermeasure",
    Stage.RND: "rnd_opinion",
    Stage.NEGOTIATION: "negotiation_result",
    Stage.CONSOLIDATION: "gm_opinion",
    Stage.APPROVAL: "approval_opinion",
}
LATEST_NOTE_LENGTH = 60
# Headers a register built by an older version still has for a column that was renamed since
REGISTER_LEGACY_HEADERS: dict[str, str] = {"逾期工时": "overdue_hours"}

# How numbers of a table print (issue 8: 12000 read as 12,000.00, hours as 16.42): by header
TABLE_NUMBER_FORMATS: dict[str, dict[str, str]] = {
    REGISTER_TABLE: {
        **{c.header: "#,##0.00" for c in REGISTER_COLUMNS if c.kind is Kind.MONEY},
        **{c.header: "0.00" for c in REGISTER_COLUMNS if c.kind is Kind.NUMBER},
    },
}

SETTINGS_CHOICES: dict[str, tuple[str, ...]] = {"case_limit_basis": tuple(b.value for b in CaseLimitBasis)}
CALENDAR_KINDS: tuple[str, ...] = tuple(k.value for k in DayKind)

# 催办单 (C18): one block per department holding overdue cases
REMINDER_TITLE = "催办单"
REMINDER_HEADERS = ("客诉编号", "客户", "国内/国外", "当前阶段", "阶段期限", "逾期", "结案期限", "表单文件")
REMINDER_WIDTHS = (10, 16, 9, 12, 17, 14, 17, 30)
# under each department's block, filled in by hand and returned to the GM office
REMINDER_REPLY = "回复（原因及预定完成时间）："
REMINDER_SIGN = "部门主管签名：＿＿＿＿＿＿＿＿＿＿　　日期：＿＿＿＿＿＿＿＿　　总经理室收回日期：＿＿＿＿＿＿＿＿"

# 在办案件 (issue 8): the open cases on one landscape page wide, for a meeting; written by refresh
OPEN_CASES_SHEET = "在办案件"
OPEN_CASES_TITLE = "在办案件一览"
OPEN_CASES_ATTRS = (
    *("case_no", "customer", "market", "sales_rep", "part_no", "defect_qty", "accepted_at"),
    *("current_stage", "holder", "stage_due_at", "case_due_at", "timeliness", "overdue_hours"),
)
OPEN_CASES_WIDTHS = (10, 16, 9, 9, 12, 9, 19, 13, 11, 19, 19, 9, 15)  # bold (overdue) dates need 19

# 概览: counts that Excel keeps current from the Register table
SUMMARY_TITLE = "客诉案件概览"
SUMMARY_STATUSES = ("处理中", "待核决", "已结案")
SUMMARY_TIMELINESS = ("逾期", "即将到期")
SUMMARY_OPEN_STATUSES = ("处理中", "待核决")  # a case is open (在办) until it is closed
SUMMARY_NOTE = "“时效”“逾期”取自最近一次刷新(complaint-kit refresh)；本页各数由 Excel 按登记追踪表自动计算。"
SUMMARY_TOTAL = "合计"
# 要点: one figure per row beside the count table
SUMMARY_KEY_TITLE = "要点"
SUMMARY_KEY_OPEN = "在办案件"
SUMMARY_KEY_OVERDUE = "其中逾期"
SUMMARY_KEY_SOON = "即将到期"
SUMMARY_KEY_ON_TIME = "阶段按时完成率"
SUMMARY_KEY_REFRESHED = "最近刷新"
SUMMARY_KEY_AS_OF = "数据截至"  # the newest 受理时间 or 更新时间: where the 12 months end
# The four charts, each above its table (caption = chart title)
SUMMARY_STAGE_CAPTION = "在办案件（按阶段、持有部门）"
SUMMARY_STAGE_HEADERS = ("当前阶段", "持有部门", "在办", "其中逾期")
SUMMARY_HOLDER_CAPTION = "各部门持有的在办与逾期案件"
SUMMARY_HOLDER_HEADERS = ("持有部门", "在办", "逾期", "即将到期")
SUMMARY_MONTH_CAPTION = "每月受理件数（近 12 个月）"
SUMMARY_MONTH_HEADERS = ("受理月份", "国内", "国外", "合计")
SUMMARY_MONTHS = 12  # ending at the month of the latest 受理时间 or 更新时间 (refresh)
SUMMARY_ON_TIME_CAPTION = "各阶段按时完成率"
SUMMARY_ON_TIME_NOTE = (
    "按时＝完成时间不晚于该阶段期限；核决以结案期限计(C17)；未完成或不需要的阶段不计。"
    "期限后、下班时间内完成的，刷新按未逾期计(无逾期工时)，本表按逾期完成计。"
)
SUMMARY_ON_TIME_HEADERS = ("阶段", "已完成", "按时完成", "逾期完成", "按时率")


# ---------------------------------------------------------------------------------------------
# The Excel add-in (following xlwings' conventions: a config file, overridable by a sheet)
CONF_SHEET = "complaint_kit.conf"  # optional sheet in a workbook: column A key, column B value
CONF_FILE = "complaint_kit.conf"  # in ~/.complaint_kit/ — "KEY","VALUE" lines like xlwings.conf
ADDIN_FILE = "complaint_kit.xlam"
ADDIN_NEW_FORM_PREFIX = "客户抱怨处理表"


# ---------------------------------------------------------------------------------------------
# Papers after the decision (issue 7): slips (R1, R2), the petition (C14, C16), 异常处理单 (C2)
def slip_file_name(case_no: str, slip: str) -> str:
    """``客诉-261101-成品退货单.xlsx`` / ``客诉-261101-销货折让证明单.xlsx``, beside the form."""
    return f"客诉-{case_no}-{slip}.xlsx"


def petition_file_name(case_no: str) -> str:
    """签呈 of a case: ``客诉-261101-签呈.xlsx``."""
    return f"客诉-{case_no}-签呈.xlsx"


def abnormal_file_name(number: str) -> str:
    """One 异常处理单 to mail to the responsible unit: ``异常处理单-YC2610-001.xlsx``."""
    return f"异常处理单-{number}.xlsx"


# The month (C12, C18–C20, E4): one workbook per month beside the register
def month_report_file_name(month: str) -> str:
    """``客诉月报-2026-10.xlsx``."""
    return f"客诉月报-{month}.xlsx"


MONTH_STATS_SHEET = "客户投诉案件统计表"
MONTH_DEDUCTIONS_SHEET = "扣款明细"
MONTH_LEDGER_SHEET = "扣款台账"
MONTH_NOTICE_SHEET = "奖罚通知单"
MONTH_HR_SHEET = "人事公布单"
MONTH_INQUIRY_SHEET = "洽办单"
MONTH_DEDUCTION_HEADERS = ("客诉编号", "姓名", "部门", "类别", "金额", "依据", "规则")
NOTICE_COPIES = ("总经理室", "会计科", "受罚部门")  # C19: three copies of each 奖罚通知单


# ---------------------------------------------------------------------------------------------
# Printed papers after the decision (issue 7): what the slips, the 签呈 and the 异常处理单 say.
# A paper is one protected A4 portrait sheet: label/value pairs in four columns, text boxes, and
# signature boxes; unlike the five copies these may reach the customer (R6), so no C13 notice.
PAPER_WIDTHS = (13.0, 27.0, 13.0, 27.0)  # label, value, label, value
SIGN_LINE = "签名：＿＿＿＿＿＿＿＿＿＿　　日期：＿＿＿＿＿＿＿＿"
SLIP_BOXES: dict[str, tuple[tuple[str, str], ...]] = {  # R1, R2, R4: who signs each slip
    "成品退货单": (
        ("经办", SIGN_LINE),
        ("主管", SIGN_LINE),
        ("仓储签收", "实收数量：＿＿＿＿＿＿　　签收人：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿＿＿"),
    ),
    "销货折让证明单": (
        ("经办", SIGN_LINE),
        ("主管", SIGN_LINE),
        ("买受人盖章", "（盖统一发票专用章）　　　　　　日期：＿＿＿＿＿＿＿＿"),
    ),
}
PAPER_LABELS = {  # labels a paper prints besides the form's own field labels
    "approved_by": "核决人",
    "approved_at": "核决时间",
    "approval_level": "核决级别",
    "basis": "依据",
    "reason": "原因",
    "amount": "金额",
    "petitioner": "申请人",
    "date": "日期",
    "to": "呈",
    "subject": "事由",
    "objection": "异议内容",
    "responsibility": "责任归属",
    "number": "编号",
}
RESPONSIBILITY_PAPER_HEADERS = ("责任类型", "部门/单位", "责任人", "责任比例")


def slip_copy_title(slip: str, sheet: str, *, sent_to: str, kept_by: str, first: bool) -> str:
    """``成品退货单　第一联（业务部留存）``; a copy sent on: ``第二联（送成品仓储，收货后会计科存）`` (R2);
    a copy kept where it is sent: ``第二联（送会计科存）`` (R1)."""
    if first:
        keeper = f"{kept_by}留存"
    elif slip == "成品退货单":
        keeper = f"送{sent_to}，收货后{kept_by}存"
    else:
        keeper = f"送{kept_by}存"
    return f"{slip}　{sheet}（{keeper}）"


PETITION_TITLE = "签呈"
PETITION_TO = "总经理"
PETITION_BOXES = ("部门主管意见", "总经理室意见", "总经理批示")


def petition_subject(case_no: str) -> str:
    """事由 of a 签呈 (C14, C16)."""
    return f"客诉 {case_no} 处理异议"


ABNORMAL_DIR = "异常处理单"  # beside the register: one printable sheet per abnormality (C2)
ABNORMAL_TITLE = "异常处理单"
ABNORMAL_REPLY_BOX = "原因及对策\n（责任单位填写）"
ABNORMAL_SIGN_BOX = "责任单位主管"
ABNORMAL_NUMBER_PREFIX = "YC"  # YC{yymm}-{seq:03d}
RECEIPT_LOG_STAGE = "退货实收"  # the 流转记录 stage of a receipt (R3, R4)


# ---------------------------------------------------------------------------------------------
# The service centre's workbook (issue 11, rules S1–S17): one per centre or branch
SERVICE_FILE = "服务中心登记簿.xlsx"
SERVICE_CATEGORIES: tuple[str, ...] = tuple(c.value for c in ServiceCategory)  # S1
SERVICE_ZONES: tuple[str, ...] = tuple(z.value for z in Zone)  # S13
CALL_STATUSES: tuple[str, ...] = tuple(c.value for c in CallStatus)  # S2, S3, S12
ARRIVAL_STATES: tuple[str, ...] = tuple(a.value for a in Arrival)  # S13
SETTLEMENTS: tuple[str, ...] = tuple(s.value for s in Settlement)  # S4, S7
SURVEY_LEVELS: tuple[str, ...] = tuple(level.value for level in Level)  # S15
CALL_NO_PREFIX = "J"  # 叫修编号 J{yymm}{serial}: J2611001 (a month's serials in 编号台账, as C3)

CALLS_SHEET = "叫修登记簿"
CALLS_TABLE = "Calls"
CALL_COLUMNS: tuple[Column, ...] = (
    Column("叫修编号", "call_no", Kind.TEXT, 11),
    Column("客户", "customer", Kind.TEXT, 16),
    Column("地址", "address", Kind.TEXT, 22),
    Column("电话", "phone", Kind.TEXT, 14),
    Column("机型", "model", Kind.TEXT, 12),
    Column("区域", "zone", Kind.CHOICE, 7, SERVICE_ZONES),
    Column("类别", "category", Kind.CHOICE, 14, SERVICE_CATEGORIES),
    Column("叫修时间", "called_at", Kind.DATETIME, DATETIME_WIDTH),
    Column("到达期限", "arrival_due", Kind.DATETIME, DATETIME_WIDTH),
    Column("技术员", "technician", Kind.TEXT, 9),
    Column("派工时间", "dispatched_at", Kind.DATETIME, DATETIME_WIDTH),
    Column("到达时间", "arrived_at", Kind.DATETIME, DATETIME_WIDTH),
    Column("完成时间", "finished_at", Kind.DATETIME, DATETIME_WIDTH),
    Column("状态", "status", Kind.CHOICE, 8, CALL_STATUSES),
    Column("时效", "arrival", Kind.CHOICE, 9, ARRIVAL_STATES),
    Column("迟到工时", "late_hours", Kind.NUMBER, 9),
    Column("故障描述", "problem", Kind.TEXT, 24),
    Column("客户签收", "signed", Kind.CHOICE, 8, ("是", "否")),
    Column("收费金额", "fee", Kind.MONEY, 11),
    Column("收费方式", "settlement", Kind.CHOICE, 10, SETTLEMENTS),
    Column("说明", "note", Kind.TEXT, 24),
    Column("更新时间", "updated_at", Kind.DATETIME, DATETIME_WIDTH),
)
CALLS_HEADERS: tuple[str, ...] = tuple(c.header for c in CALL_COLUMNS)
CALL_BY_ATTR: dict[str, Column] = {c.attr: c for c in CALL_COLUMNS}

TIMESHEET_SHEET = "技术员工作日报表"  # S9; the supervisor's daily report (S10) is built from it
TIMESHEET_TABLE = "Timesheet"
TIMESHEET_HEADERS = ("日期", "技术员", "叫修编号", "类别", "工时", "说明")

SURVEYS_SHEET = "客户意见调查"  # S15
SURVEYS_TABLE = "Surveys"
SURVEYS_HEADERS = (
    "叫修编号",
    "客户",
    "技术员",
    "发卡日期",
    "态度",
    "技术",
    "到达时间",
    "答应事情的办理",
    "得分",
    "回收日期",
)

CONTRACTS_SHEET = "保养合同"  # S14
CONTRACTS_TABLE = "Contracts"
CONTRACTS_HEADERS = (
    "合同编号",
    "客户",
    "地址",
    "电话",
    "机型",
    "开始日期",
    "到期日期",
    "续约负责人",
    "通知日期",
    "说明",
)

GOODS_SHEET = "客户商品进出登记簿"  # S5, S6
GOODS_TABLE = "Goods"
GOODS_HEADERS = (
    "收据编号",
    "叫修编号",
    "客户",
    "商品",
    "机型",
    "收件日期",
    "承诺日期",
    "技术员",
    "返还日期",
    "收据作废",
    "状态",
)

REPAIR_CARDS_SHEET = "修护卡"  # S6
REPAIR_CARDS_TABLE = "RepairCards"
REPAIR_CARDS_HEADERS = ("修护卡编号", "收据编号", "技术员", "维修工时", "更换零件", "主任检验", "检验日期", "说明")

SERVICE_STAFF_SHEET = "服务人员"
SERVICE_STAFF_TABLE = "ServiceStaff"
SERVICE_STAFF_HEADERS = ("姓名", "职务", "服务中心", "电话")
SERVICE_ROLES: tuple[str, ...] = ("技术员", "服务主任", "业务员", "分公司经理")

TABLE_NUMBER_FORMATS[CALLS_TABLE] = {"收费金额": "#,##0.00", "迟到工时": "0.00"}
TABLE_NUMBER_FORMATS[TIMESHEET_TABLE] = {"工时": "0.00"}
DAY_REPORT_SHEET = "服务日报"  # written whole by ``service day`` (S9, S10, S12, S15), printable
DAY_REPORT_WIDTHS = (11, 16, 14, 10, 17, 17, 10, 12)
NOTICE_SHEET = "保养到期通知书"  # written whole by ``service notices`` (S14), one block per contract
NOTICE_WIDTHS = (16, 60)

SERVICE_COMPLAINTS_SHEET = "客户投诉"  # S16, S17
SERVICE_COMPLAINTS_TABLE = "ServiceComplaints"
SERVICE_COMPLAINTS_HEADERS = (
    "投诉编号",
    "叫修编号",
    "客户",
    "投诉日期",
    "内容",
    "严重",
    "处理人",
    "处理结果",
    "答复方式",
    "答复日期",
    "回访人",
    "回访日期",
    "回访记录",
    "状态",
)
SERVICE_COMPLAINT_HANDLERS = ("副总经理", "服务部")  # S16: serious ones to the deputy GM first
SERVICE_COMPLAINT_REPLIES = ("书面", "电话")
COMPLAINT_LETTER_SHEET = "投诉答复函"  # written whole by ``service answer`` when the reply is by letter (S16)

# The service workbook's journal (DESIGN.md: every change to a register is appended to its journal):
# one row per row the kit wrote, with a fingerprint of each of its cells and a hash chained to the
# row before. ``service verify`` finds a row edited, deleted or numbered outside the kit.
SERVICE_JOURNAL_SHEET = "日志"
SERVICE_JOURNAL_TABLE = "ServiceJournal"
SERVICE_JOURNAL_HEADERS = ("时间", "操作人", "操作", "表格", "编号", "指纹", "哈希")
SERVICE_JOURNALED: dict[str, str] = {  # the tables the kit writes → their sheets (the 表格 column)
    CALLS_TABLE: CALLS_SHEET,
    GOODS_TABLE: GOODS_SHEET,
    REPAIR_CARDS_TABLE: REPAIR_CARDS_SHEET,
    SURVEYS_TABLE: SURVEYS_SHEET,
    SERVICE_COMPLAINTS_TABLE: SERVICE_COMPLAINTS_SHEET,
    SERIALS_TABLE: SERIALS_SHEET,
}
# the first call or complaint number in the row the clerk selected (服务单据 button): a call's papers,
# or a complaint's 答复函
PAPERS_NO_PATTERN = rf"^(?:{CALL_NO_PREFIX}|TS)\d{{7,}}$"


def service_month_file_name(month: str) -> str:
    """``服务月报-2026-11.xlsx``: ``service month`` and the 服务月报 button, beside the workbook."""
    return f"服务月报-{month}.xlsx"


def service_papers_file_name(call_no: str) -> str:
    """``单据-J2611001.xlsx``: a call's papers, beside the workbook."""
    return f"单据-{file_part(call_no.strip().upper())}.xlsx"
