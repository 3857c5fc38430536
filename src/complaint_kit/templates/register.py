"""The GM office's register 客户抱怨案件登记追踪表 and its sheets (C3, C6, C17, C18, issue 6, issue 7)."""

from __future__ import annotations

from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Font, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo

from .. import layout as L
from ..domain.settings import SETTING_KEYS, default_value_text, setting_meta
from .common import (
    INPUT_FILL,
    NUMBER_FORMATS,
    OVERDUE_FILL,
    OVERDUE_FONT,
    SOON_FILL,
    add_table,
    list_validation,
    new_workbook,
    note,
    print_setup,
)
from .summary import build_summary


def build_register() -> Workbook:
    """The GM office's register 客户抱怨案件登记追踪表 (rules C3, C6, C17, C18) with 设置, 日历."""
    wb = new_workbook()
    ws = wb.active
    ws.title = L.REGISTER_SHEET
    add_table(ws, L.REGISTER_TABLE, L.REGISTER_HEADERS, widths=tuple(c.width for c in L.REGISTER_COLUMNS))
    ws.freeze_panes = "B2"
    cap = L.REGISTER_CAPACITY + 1
    col = {c.attr: get_column_letter(i + 1) for i, c in enumerate(L.REGISTER_COLUMNS)}
    for c in L.REGISTER_COLUMNS:
        letter = col[c.attr]
        if c.choices:
            dv = DataValidation(type="list", formula1='"' + ",".join(c.choices) + '"', allow_blank=True)
            ws.add_data_validation(dv)
            dv.add(f"{letter}2:{letter}{cap}")
    closed = col["closed_at"]
    for attr in ("stage_due_at", "case_due_at"):
        letter = col[attr]
        ws.conditional_formatting.add(
            f"{letter}2:{letter}{cap}",
            FormulaRule(
                formula=[f'AND(${closed}2="",ISNUMBER(${letter}2),${letter}2<NOW())'],
                fill=OVERDUE_FILL,
                font=OVERDUE_FONT,
            ),
        )
    t = col["timeliness"]
    ws.conditional_formatting.add(
        f"{t}2:{t}{cap}", CellIsRule(operator="equal", formula=['"逾期"'], fill=OVERDUE_FILL, font=OVERDUE_FONT)
    )
    ws.conditional_formatting.add(
        f"{t}2:{t}{cap}", CellIsRule(operator="equal", formula=['"即将到期"'], fill=SOON_FILL)
    )
    ws.protection.sheet = True
    ws.protection.autoFilter = False
    ws.protection.sort = False
    ws.protection.formatColumns = False
    print_setup(ws, landscape=True, title_rows="1:1")

    summary = wb.create_sheet(L.SUMMARY_SHEET)
    build_summary(summary)

    settings = wb.create_sheet(L.SETTINGS_SHEET)
    add_table(settings, L.SETTINGS_TABLE, L.SETTINGS_HEADERS, widths=(28, 28, 26, 26, 8, 60))
    for i, key in enumerate(SETTING_KEYS):
        meta = setting_meta(key)
        r = i + 2
        for j, v in enumerate((key, meta["zh"], None, default_value_text(key), meta["rule"], meta["help"])):
            cell = settings.cell(r, j + 1, v)
            cell.number_format = "@"
            cell.protection = Protection(locked=j != 2)
            if j == 2:
                cell.fill = INPUT_FILL
        if key in L.SETTINGS_CHOICES:
            dv = DataValidation(type="list", formula1='"' + ",".join(L.SETTINGS_CHOICES[key]) + '"', allow_blank=True)
            settings.add_data_validation(dv)
            dv.add(f"C{r}")
    settings.tables[L.SETTINGS_TABLE].ref = f"A1:F{len(SETTING_KEYS) + 1}"
    settings.protection.sheet = True
    print_setup(settings, landscape=True, title_rows="1:1")
    settings.cell(len(SETTING_KEYS) + 3, 1, "“值”留空即采用默认值；修改后下次操作生效。").font = Font(italic=True)

    cal = wb.create_sheet(L.CALENDAR_SHEET)
    add_table(cal, L.CALENDAR_TABLE, L.CALENDAR_HEADERS, widths=(14, 10, 40))
    dv = DataValidation(type="list", formula1='"' + ",".join(L.CALENDAR_KINDS) + '"', allow_blank=True)
    cal.add_data_validation(dv)
    dv.add("B2:B1000")
    for r in range(2, 1001):
        cal.cell(r, 1).number_format = L.DATE_FORMAT
    note(
        cal,
        "E",
        (
            "公司休息日填“休息日”，补班日填“工作日”；国家节假日与调休已内置(2004–2026)。"
            "官方数据未覆盖的年份(如 2027)：请录入当年全部节假日与调休，并在 设置 的“已人工录入节假日的年份”中登记。"
        ),
        width=60,
    )
    print_setup(cal, landscape=False, title_rows="1:1")

    serials = wb.create_sheet(L.SERIALS_SHEET)
    add_table(serials, L.SERIALS_TABLE, L.SERIALS_HEADERS, widths=(10, 12))
    serials["D1"] = "每月最后发出的流水号；删除登记行后编号也不会重复使用（规则 C3）。"
    serials.protection.sheet = True
    print_setup(serials, landscape=False, title_rows="1:1")

    staff = wb.create_sheet(L.STAFF_SHEET)
    add_table(staff, L.STAFF_TABLE, L.STAFF_HEADERS, widths=(12, 14, 14, 8, 12, 12))
    list_validation(staff, L.APPROVAL_LEVELS, "F2:F1000")
    note(
        staff, "H", "人员名册：责任人/单位须在此登记（E1–E6）；核决级别决定可核决的损失金额（C10，见 设置）。", width=60
    )
    print_setup(staff, landscape=False, title_rows="1:1")

    add_issue7_sheets(wb)

    journal = wb.create_sheet(L.JOURNAL_SHEET)
    add_table(journal, L.JOURNAL_TABLE, L.JOURNAL_HEADERS, widths=(17, 10, 12, 10, 60, 18))
    journal.protection.sheet = True
    print_setup(journal, landscape=True, title_rows="1:1")
    add_signatures_sheet(wb)
    return wb


def add_issue7_sheets(wb: Workbook) -> None:
    """The money and paper tables (issue 7) that are missing from ``wb``: 责任明细, 扣款台账, 异常处理
    and the 客户 table on 设置. Also used by ``upgrade`` on a register built before them."""
    present = {name for ws in wb.worksheets for name in ws.tables}
    if L.CUSTOMERS_TABLE not in present and L.SETTINGS_SHEET in wb.sheetnames:
        ws = wb[L.SETTINGS_SHEET]
        top = ws.max_row + 2  # under the settings table and its note: the sheet prints as wide as before
        ws.cell(top - 1, 1, "客户超量允收比率（R3）：未列出的客户按“超量允收比率(公司默认)”。").font = Font(bold=True)
        for j, header in enumerate(L.CUSTOMERS_HEADERS):
            ws.cell(top, 1 + j, header).font = Font(bold=True)
        last = get_column_letter(len(L.CUSTOMERS_HEADERS))
        table = Table(displayName=L.CUSTOMERS_TABLE, ref=f"A{top}:{last}{top + 1}")
        table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
        ws.add_table(table)
        for r in range(top + 1, top + 201):
            for j in range(len(L.CUSTOMERS_HEADERS)):
                cell = ws.cell(r, 1 + j)
                cell.protection = Protection(locked=False)
                cell.fill = INPUT_FILL
                cell.number_format = "0.0%" if j == 1 else "@"
    if L.CASE_RESPONSIBILITY_TABLE not in present:
        ws = wb.create_sheet(L.CASE_RESPONSIBILITY_SHEET)
        widths = (10, 10, 14, 14, 12, 10, 8, 10, 10)
        add_table(ws, L.CASE_RESPONSIBILITY_TABLE, L.CASE_RESPONSIBILITY_HEADERS, widths=widths)
        for r in range(2, 1001):
            ws.cell(r, 6).number_format = "0%"
        note(ws, "K", "各案总经理室综合意见时的责任归属（由 complete -r 写入，月结只读此表）；请勿手改。", width=40)
        ws.protection.sheet = True
        print_setup(ws, landscape=True, title_rows="1:1")
    if L.LEDGER_TABLE not in present:
        ws = wb.create_sheet(L.LEDGER_SHEET)
        add_table(ws, L.LEDGER_TABLE, L.LEDGER_HEADERS, widths=(10, 12, 14, 13, 13, 13, 13, 13))
        for r in range(2, 1001):
            for c in range(4, 9):
                ws.cell(r, c).number_format = NUMBER_FORMATS[L.Kind.MONEY]
        note(
            ws,
            "J",
            "每人每月一行（E4：本月实扣不超过月效率奖金的 50%，余额结转下月）；由 complaint-kit month 写入。",
            width=40,
        )
        ws.protection.sheet = True
        print_setup(ws, landscape=False, title_rows="1:1")
    if L.ABNORMAL_TABLE not in present:
        ws = wb.create_sheet(L.ABNORMAL_SHEET)
        add_table(ws, L.ABNORMAL_TABLE, L.ABNORMAL_HEADERS, widths=(13, 17, 16, 12, 36, 24, 17, 30, 9, 10))
        for r in range(2, 1001):
            ws.cell(r, 2).number_format = L.DATETIME_FORMAT
            ws.cell(r, 7).number_format = L.DATETIME_FORMAT
        list_validation(ws, L.ABNORMAL_STATUSES, "I2:I1000")
        print_setup(ws, landscape=True, title_rows="1:1")


def add_signatures_sheet(wb: Workbook) -> None:
    """签章 (table ``Signatures``): the seals of every case, signed with the GM office's key (issue 6).
    Also used to upgrade a register built before seals existed."""
    ws = wb.create_sheet(L.SIGNATURES_SHEET)
    add_table(ws, L.SIGNATURES_TABLE, L.SIGNATURES_HEADERS, widths=(10, 12, 17, 10, 60, 14, 66))
    for r in range(2, 1001):
        ws.cell(r, 3).number_format = L.DATETIME_FORMAT
    ws.protection.sheet = True
    print_setup(ws, landscape=True, title_rows="1:1")
