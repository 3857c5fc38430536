"""The GM office's register 客户抱怨案件登记追踪表 and its sheets (C3, C6, C17, C18, issue 6, issue 7)."""

from __future__ import annotations

from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Font, Protection
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from .. import layout as L
from ..domain.settings import SETTING_KEYS, default_value_text, setting_meta
from .common import (
    INPUT_FILL,
    NUMBER_FORMATS,
    OVERDUE_FILL,
    OVERDUE_FONT,
    OVERDUE_ROW_FILL,
    SOON_FILL,
    add_table,
    calendar_sheet,
    font,
    list_validation,
    new_workbook,
    note,
    print_setup,
    serials_sheet,
    settings_sheet,
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
    _register_view(ws, list(L.REGISTER_HEADERS), rows=cap)

    summary = wb.create_sheet(L.SUMMARY_SHEET)
    build_summary(summary)
    _open_cases_sheet(wb)

    settings_sheet(wb, [(key, setting_meta(key), default_value_text(key)) for key in SETTING_KEYS])

    calendar_sheet(wb)
    serials_sheet(wb, "每月最后发出的流水号；删除登记行后编号也不会重复使用（规则 C3）。")

    staff = wb.create_sheet(L.STAFF_SHEET)
    add_table(staff, L.STAFF_TABLE, L.STAFF_HEADERS, widths=(12, 14, 14, 8, 12, 12))
    list_validation(staff, L.APPROVAL_LEVELS, "F2:F1000")
    note(
        staff, "H", "人员名册：责任人/单位须在此登记（E1–E6）；核决级别决定可核决的损失金额（C10，见 设置）。", width=60
    )
    print_setup(staff, landscape=False, title_rows="1:1")

    add_issue7_sheets(wb)
    add_mailboxes_table(wb)

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


def add_mailboxes_table(wb: Workbook) -> bool:
    """邮件通讯录 (table ``Mailboxes``, issue 9) on 设置 beside the 客户 table, when missing; also
    used by ``upgrade``. Returns whether it was added."""
    present = {name for ws in wb.worksheets for name in ws.tables}
    if L.MAILBOXES_TABLE in present or L.SETTINGS_SHEET not in wb.sheetnames:
        return False
    ws = wb[L.SETTINGS_SHEET]
    customers = ws.tables.get(L.CUSTOMERS_TABLE)
    top = range_boundaries(customers.ref)[1] if customers is not None else ws.max_row + 2
    first = len(L.CUSTOMERS_HEADERS) + 2  # one empty column after 客户
    ws.cell(top - 1, first, L.MAILBOXES_TITLE).font = font(bold=True)
    for j, header in enumerate(L.MAILBOXES_HEADERS):
        ws.cell(top, first + j, header).font = font(bold=True)
    ref = f"{get_column_letter(first)}{top}:{get_column_letter(first + len(L.MAILBOXES_HEADERS) - 1)}{top + 1}"
    table = Table(displayName=L.MAILBOXES_TABLE, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    for r in range(top + 1, top + 51):
        for j in range(len(L.MAILBOXES_HEADERS)):
            cell = ws.cell(r, first + j)
            cell.protection = Protection(locked=False)
            cell.fill = INPUT_FILL
            cell.number_format = "@"
    list_validation(ws, L.MAIL_DEPARTMENTS, f"{get_column_letter(first)}{top + 1}:{get_column_letter(first)}{top + 50}")
    return True


def add_signatures_sheet(wb: Workbook) -> None:
    """签章 (table ``Signatures``): the seals of every case, signed with the GM office's key (issue 6).
    Also used to upgrade a register built before seals existed."""
    ws = wb.create_sheet(L.SIGNATURES_SHEET)
    add_table(ws, L.SIGNATURES_TABLE, L.SIGNATURES_HEADERS, widths=(10, 12, 17, 10, 60, 14, 66))
    for r in range(2, 1001):
        ws.cell(r, 3).number_format = L.DATETIME_FORMAT
    ws.protection.sheet = True
    print_setup(ws, landscape=True, title_rows="1:1")


def _open_cases_sheet(wb: Workbook) -> None:
    """在办案件, right after 概览: written whole by refresh, in this place."""
    index = wb.sheetnames.index(L.SUMMARY_SHEET) + 1 if L.SUMMARY_SHEET in wb.sheetnames else None
    ws = wb.create_sheet(L.OPEN_CASES_SHEET, index)
    ws["A1"] = L.OPEN_CASES_TITLE
    ws["A2"] = "点“刷新”（complaint-kit refresh）后在此列出在办案件，逾期在前，可直接打印。"
    print_setup(ws, landscape=True)


def _register_view(ws: Worksheet, headers: list[str], *, rows: int) -> None:
    """How the register sheet reads and prints (issue 8): an open overdue case is a red row, from
    the kit's own 时效 (the last refresh: the same as refresh says and the 催办单 lists), not from
    the PC's clock; date-times wide enough; across pages at 80 % with the case number and customer
    repeated on each; the note on the hours beside the table. ``headers``: the table's own order."""
    letter = {h: get_column_letter(i + 1) for i, h in enumerate(headers)}
    last, t = get_column_letter(len(headers)), letter[L.COLUMN_BY_ATTR["timeliness"].header]
    ws.conditional_formatting = ConditionalFormattingList()
    ws.conditional_formatting.add(
        f"A2:{last}{rows}", FormulaRule(formula=[f'${t}2="{L.OVERDUE_TEXT}"'], fill=OVERDUE_ROW_FILL)
    )
    overdue = CellIsRule(operator="equal", formula=[f'"{L.OVERDUE_TEXT}"'], fill=OVERDUE_FILL, font=OVERDUE_FONT)
    ws.conditional_formatting.add(f"{t}2:{t}{rows}", overdue)
    ws.conditional_formatting.add(
        f"{t}2:{t}{rows}", CellIsRule(operator="equal", formula=[f'"{L.DUE_SOON_TEXT}"'], fill=SOON_FILL)
    )
    for c in L.REGISTER_COLUMNS:
        if c.header in letter:
            ws.column_dimensions[letter[c.header]].width = c.width
    ws.protection.sheet = True
    ws.protection.autoFilter = False
    ws.protection.sort = False
    ws.protection.formatColumns = False
    print_setup(ws, landscape=True, title_rows="1:1", title_cols="A:C", scale=80)
    column = get_column_letter(len(headers) + 2)
    if f"{column}1:{column}6" in {str(r) for r in ws.merged_cells.ranges}:  # an upgrade run again
        ws.unmerge_cells(f"{column}1:{column}6")
    note(ws, column, L.HOURS_NOTE, width=50)


def upgrade_register_view(wb: Workbook) -> list[str]:
    """Bring a register built by an older version to the current view (``upgrade``, issue 8):
    a renamed column's header, the columns added since (appended to the table, blank until the next
    refresh), the row colouring by 时效 instead of the PC's clock, widths, print set-up, 在办案件.
    Returns what changed (empty: already current)."""
    ws = wb[L.REGISTER_SHEET]
    table = ws.tables[L.REGISTER_TABLE]
    min_col, min_row, max_col, max_row = range_boundaries(table.ref)
    changed: list[str] = []
    for column in table.tableColumns:
        attr = L.REGISTER_LEGACY_HEADERS.get(column.name)
        if attr is not None:
            new = L.COLUMN_BY_ATTR[attr].header
            changed.append(f"{column.name} → {new}")
            ws.cell(min_row, min_col + table.tableColumns.index(column), new)
            column.name = new
    headers = [c.name for c in table.tableColumns]
    for c in L.REGISTER_COLUMNS:
        if c.header not in headers:
            max_col += 1
            ws.cell(min_row, max_col, c.header).font = font(bold=True)
            table.tableColumns.append(TableColumn(id=max(tc.id for tc in table.tableColumns) + 1, name=c.header))
            headers.append(c.header)
            changed.append(f"+{c.header}")
    table.ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{max_row}"
    if table.autoFilter is not None:
        table.autoFilter.ref = table.ref
    old_rules = [r.formula for cf in ws.conditional_formatting for r in cf.rules]
    if any("NOW()" in f for formula in old_rules for f in formula) or changed:
        changed.append("时效着色 overdue rows by 时效")
    _register_view(ws, headers, rows=max(max_row, L.REGISTER_CAPACITY + 1))
    if L.OPEN_CASES_SHEET not in wb.sheetnames:
        _open_cases_sheet(wb)
        changed.append(f"+{L.OPEN_CASES_SHEET}")
    elif L.SUMMARY_SHEET in wb.sheetnames:  # written by a refresh before the upgrade: at the end
        offset = wb.sheetnames.index(L.SUMMARY_SHEET) + 1 - wb.sheetnames.index(L.OPEN_CASES_SHEET)
        if offset:
            wb.move_sheet(L.OPEN_CASES_SHEET, offset)
            changed.append(f"{L.OPEN_CASES_SHEET} → {L.SUMMARY_SHEET} 之后")
    return changed
