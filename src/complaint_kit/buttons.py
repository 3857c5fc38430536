"""The one registry of buttons (DESIGN.md): every ribbon button, its labels, group, icon, the
handler it runs and the workbook it applies to. The ribbon XML, the CLI command list, the README's
button table and the tests are generated from or checked against this table.

Light on purpose: VBA's ``RunPython`` imports the add-in entry module on every click, and that
module reads this table; nothing heavy is imported here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from xml.sax.saxutils import quoteattr

from . import layout as L


class Target(StrEnum):
    """Which workbook must be active for the button to apply."""

    FORM = "form"
    REGISTER = "register"
    SERVICE = "service"  # a service centre's 服务中心登记簿
    ANY = "any"


@dataclass(frozen=True, slots=True)
class Group:
    id: str
    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class Button:
    id: str  # ribbon control id, also what VBA hands to dispatch()
    zh: str
    en: str
    group: Group
    icon: str  # built-in Office icon (imageMso)
    handler: str  # function name in complaint_kit.addin.handlers
    target: Target
    cli: str | None  # the CLI command that does the same on files
    rules: str
    tip_zh: str


FORM_GROUP = Group("ck_group_form", L.FORM_TITLE, "Complaint form")
REGISTER_GROUP = Group("ck_group_register", L.REGISTER_SHEET, "Case register")
SERVICE_GROUP = Group("ck_group_service", "服务", "Service desk")
KIT_GROUP = Group("ck_group_kit", "工具", "Kit")
GROUPS: tuple[Group, ...] = (FORM_GROUP, REGISTER_GROUP, SERVICE_GROUP, KIT_GROUP)

BUTTONS: tuple[Button, ...] = (
    Button(
        "ck_new_form",
        "新建表单",
        "New form",
        FORM_GROUP,
        "FileNew",
        "new_form",
        Target.ANY,
        "new-form",
        "C4",
        "由模板新建一张客户抱怨处理表",
    ),
    Button(
        "ck_validate",
        "检查",
        "Validate",
        FORM_GROUP,
        "DataValidation",
        "validate",
        Target.FORM,
        "validate",
        "C4, C7",
        "检查业务部填写内容及已完成的各节，列出全部问题",
    ),
    Button(
        "ck_accept",
        "受理",
        "Accept",
        FORM_GROUP,
        "FileCheckIn",
        "accept",
        Target.FORM,
        "accept",
        "C3, C6, C17",
        "总经理室受理：编号、计算各阶段期限、登记到登记追踪表",
    ),
    Button(
        "ck_complete",
        "完成本阶段",
        "Complete stage",
        FORM_GROUP,
        "ReviewAcceptChange",
        "complete",
        Target.FORM,
        "complete",
        "C6, C7",
        "检查本部门一节、记录完成时间、开始下一阶段并锁定本节",
    ),
    Button(
        "ck_reopen",
        "客户不接受·重开",
        "Reopen",
        FORM_GROUP,
        "Undo",
        "reopen",
        Target.FORM,
        "reopen",
        "C11",
        "客户不接受处理结果：新建关联原案编号的表单",
    ),
    Button(
        "ck_copies",
        "印制五联",
        "Five copies",
        FORM_GROUP,
        "FilePrint",
        "copies",
        Target.FORM,
        "copies",
        "C9, C13",
        "已结案核决的表单印成五联（第一联至第五联，各注明保存部门），存于表单旁；不得交给客户",
    ),
    Button(
        "ck_slips",
        "退货单/折让单",
        "Slips",
        FORM_GROUP,
        "FileSaveAsPdfOrXps",
        "slips",
        Target.FORM,
        "slips",
        "R1, R2, C16",
        "按核决的处理方式开单：退货、换货、重工开成品退货单四联；折让、赔偿开销货折让证明单两联；不成立不开单",
    ),
    Button(
        "ck_receive",
        "退货实收",
        "Receipt",
        FORM_GROUP,
        "ShipmentReceive",
        "receive",
        Target.FORM,
        "receive",
        "R3, R4, R5, R6",
        "按第九节填写的实收数量与入账凭证登记实收：在超量允收比率内照实收入账，否则差异待决；列出应收排除",
    ),
    Button(
        "ck_petition",
        "签呈",
        "Petition",
        FORM_GROUP,
        "ReviewNewComment",
        "petition",
        Target.FORM,
        "petition",
        "C14, C16",
        "按第十节填写的异议内容拟签呈（呈总经理），存于表单旁",
    ),
    Button(
        "ck_refresh",
        "刷新时效/催办",
        "Refresh & remind",
        REGISTER_GROUP,
        "RefreshAll",
        "refresh",
        Target.REGISTER,
        "refresh",
        "C18",
        "按当前时间刷新在办案件时效，按持有部门生成催办单",
    ),
    Button(
        "ck_verify",
        "核验",
        "Verify",
        REGISTER_GROUP,
        "ReviewProtectWorkbook",
        "verify",
        Target.REGISTER,
        "verify",
        "C6, S18",
        "以总经理室密钥核验日志链、每个签章、每个案件及表单文件夹中的每张表单",
    ),
    Button(
        "ck_import",
        "导入回传表单",
        "Import returned forms",
        REGISTER_GROUP,
        "FileOpen",
        "import_returned",
        Target.REGISTER,
        "import",
        "C6, C13, C18",
        "导入“收件”文件夹中回传的表单与邮件(.eml)：各部门已完成的阶段记入登记表；文件移到 已导入/ 或 退回/（附原因）",
    ),
    Button(
        "ck_month",
        "月结",
        "Month",
        REGISTER_GROUP,
        "ChartInsert",
        "month",
        Target.REGISTER,
        "month",
        "C12, C18–C20, E4",
        "上月结案统计表（含图表）、扣款台账（每月不超过效率奖金 50%，余额结转）、奖罚通知单、人事公布单、洽办单",
    ),
    Button(
        "ck_abnormal",
        "异常处理单",
        "Abnormality",
        REGISTER_GROUP,
        "TableInsert",
        "abnormal",
        Target.REGISTER,
        "abnormal",
        "C2",
        "异常处理表中编号留空的新行：编号、计算回复期限、印制异常处理单；已填回复的行标为已回复",
    ),
    Button(
        "ck_service_update",
        "登记手填内容",
        "Record typed rows",
        SERVICE_GROUP,
        "CalculateNow",
        "service_update",
        Target.SERVICE,
        "service update",
        "S2–S7, S13, S15–S17",
        "登记各表中手填的内容：编号留空的新叫修、收件、投诉；填了技术员即派工，填了到达/完成时间即到达/完成注销，"
        "填了返还日期即返还；调查卡评分；投诉答复与回访。然后刷新全部叫修时效。有一处错误则一律不写入",
    ),
    Button(
        "ck_service_day",
        "服务日报",
        "Day report",
        SERVICE_GROUP,
        "DateAndTimeInsert",
        "service_day",
        Target.SERVICE,
        "service day",
        "S9–S12, S15",
        "今天的服务日报（可打印）：当日叫修与凭证核对、待派工先排次日、技术员与主任日报、当日完成叫修的调查卡",
    ),
    Button(
        "ck_service_notices",
        "保养到期通知",
        "Contract notices",
        SERVICE_GROUP,
        "FileSendAsAttachment",
        "service_notices",
        Target.SERVICE,
        "service notices",
        "S14",
        "一个月内到期的保养合同：印制保养到期通知书，提醒续约负责人",
    ),
    Button(
        "ck_service_papers",
        "服务单据",
        "Call papers",
        SERVICE_GROUP,
        "FilePrintPreview",
        "service_papers",
        Target.SERVICE,
        "service papers",
        "S3, S5, S6, S15",
        "选中一件叫修所在的行：印制服务凭证（客户签收栏）、客户商品领取收据、修护卡、客户意见调查卡；"
        "选中一件投诉：印制答复函。存于登记簿旁",
    ),
    Button(
        "ck_service_month",
        "服务月报",
        "Service month",
        SERVICE_GROUP,
        "ChartInsert",
        "service_month",
        Target.SERVICE,
        "service month",
        "S11, S13, S15",
        "上月服务月报（存于登记簿旁）：技术员叫修、迟到、调查卡得分、各类别工时；多个中心的汇总用命令 service month",
    ),
    Button(
        "ck_service_verify",
        "核验登记簿",
        "Verify",
        SERVICE_GROUP,
        "ReviewProtectWorkbook",
        "service_verify",
        Target.SERVICE,
        "service verify",
        "S18",
        "按日志核对各表：工具登记后被改动的单元格、被删除的行、手填的编号、日志链断裂，逐一列出（只读）",
    ),
    Button(
        "ck_settings",
        "设置与说明",
        "Settings & help",
        KIT_GROUP,
        "Help",
        "about",
        Target.ANY,
        None,
        "T1",
        "显示当前配置（登记表路径、使用者、Python）与版本",
    ),
)
BUTTON_BY_ID: dict[str, Button] = {b.id: b for b in BUTTONS}

RIBBON_TAB_ID = "ck_tab"
RIBBON_TAB_LABEL = "客诉管理"
RIBBON_ON_LOAD = "CK_OnLoad"
RIBBON_ON_ACTION = "CK_OnAction"
CUSTOMUI_NS = "http://schemas.microsoft.com/office/2009/07/customui"


def ribbon_xml() -> str:
    """customUI14.xml: one tab, one group per ``Group``, every button calling the one callback."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
        f'<customUI xmlns="{CUSTOMUI_NS}" onLoad="{RIBBON_ON_LOAD}">',
        "  <ribbon>",
        "    <tabs>",
        f'      <tab id="{RIBBON_TAB_ID}" label={quoteattr(RIBBON_TAB_LABEL)}>',
    ]
    for group in GROUPS:
        lines.append(f'        <group id="{group.id}" label={quoteattr(group.zh)}>')
        for b in (b for b in BUTTONS if b.group == group):
            lines.append(
                f'          <button id="{b.id}" label={quoteattr(b.zh)} size="large" imageMso="{b.icon}"'
                f" screentip={quoteattr(f'{b.zh} — {b.en}')} supertip={quoteattr(f'{b.tip_zh}（规则 {b.rules}）')}"
                f' onAction="{RIBBON_ON_ACTION}"/>'
            )
        lines.append("        </group>")
    lines += ["      </tab>", "    </tabs>", "  </ribbon>", "</customUI>", ""]
    return "\n".join(lines)


def button_table_markdown() -> str:
    """The README's button table (regenerated by ``complaint-kit addin docs``)."""
    rows = ["| 按钮 button | 组 group | 作用 what it does | 规则 rules | 同等命令 CLI |", "|---|---|---|---|---|"]
    for b in BUTTONS:
        cli = f"`complaint-kit {b.cli}`" if b.cli else "—"
        rows.append(f"| {b.zh} ({b.en}) | {b.group.zh} | {b.tip_zh} | {b.rules} | {cli} |")
    return "\n".join(rows)
