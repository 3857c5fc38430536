"""A service centre's workbook 服务中心登记簿 (issue 11, rules S1–S17): the call register and
the tables beside it, with 设置 (the calendar's settings and the service desk's) and 日历."""

from __future__ import annotations

from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from .. import layout as L
from ..domain.service import SERVICE_SETTING_KEYS, ServiceRules, service_setting_meta
from ..domain.settings import default_value_text, setting_meta
from .common import (
    OVERDUE_FILL,
    OVERDUE_FONT,
    OVERDUE_ROW_FILL,
    SOON_FILL,
    add_table,
    calendar_sheet,
    list_validation,
    new_workbook,
    note,
    print_setup,
    serials_sheet,
    settings_sheet,
)

ROWS = 3000  # rows covered by drop-downs, formats and colours (they follow a longer table on write)
CALENDAR_KEYS = ("work_hours", "work_weekdays", "confirmed_holiday_years", "timezone")  # T1, T4: as the register's


def build_service() -> Workbook:
    """服务中心登记簿: 叫修登记簿 first (S2, S3, S12, S13), then the tables of S5–S15 and 设置/日历."""
    wb = new_workbook()
    calls = wb.active
    calls.title = L.CALLS_SHEET
    add_table(calls, L.CALLS_TABLE, L.CALLS_HEADERS, widths=tuple(c.width for c in L.CALL_COLUMNS))
    _formats(calls, L.CALL_COLUMNS)
    _call_colours(calls)
    calls.freeze_panes = "B2"
    print_setup(calls, landscape=True, title_rows="1:1", title_cols="A:B", scale=70)
    note(
        calls,
        get_column_letter(len(L.CALLS_HEADERS) + 2),
        "新叫修直接填一行（叫修编号留空），派工填技术员，到达、完成填时间，再点“登记手填内容”"
        "（或 complaint-kit service update / service call 等命令）：编号与到达期限（市区 6、郊区 7 个工作小时，S13）"
        "由工具给出。时效：正常 / 即将到期 / 逾期，到达后为 按时到达 / 迟到。",
        width=50,
    )

    timesheet = wb.create_sheet(L.TIMESHEET_SHEET)
    add_table(timesheet, L.TIMESHEET_TABLE, L.TIMESHEET_HEADERS, widths=(12, 10, 11, 14, 8, 30))
    list_validation(timesheet, L.SERVICE_CATEGORIES, f"D2:D{ROWS}")
    _number_format(timesheet, "A", L.DATE_FORMAT)
    _number_format(timesheet, "E", "0.00")
    print_setup(timesheet, landscape=False, title_rows="1:1")

    surveys = wb.create_sheet(L.SURVEYS_SHEET)
    add_table(surveys, L.SURVEYS_TABLE, L.SURVEYS_HEADERS, widths=(11, 16, 10, 12, 9, 9, 10, 14, 7, 12))
    for col in "EFGH":
        list_validation(surveys, L.SURVEY_LEVELS, f"{col}2:{col}{ROWS}")
    for col in "DJ":
        _number_format(surveys, col, L.DATE_FORMAT)
    print_setup(surveys, landscape=True, title_rows="1:1")

    contracts = wb.create_sheet(L.CONTRACTS_SHEET)
    add_table(contracts, L.CONTRACTS_TABLE, L.CONTRACTS_HEADERS, widths=(12, 16, 22, 14, 12, 12, 12, 11, 12, 24))
    for col in "FGI":
        _number_format(contracts, col, L.DATE_FORMAT)
    print_setup(contracts, landscape=True, title_rows="1:1")

    goods = wb.create_sheet(L.GOODS_SHEET)
    add_table(goods, L.GOODS_TABLE, L.GOODS_HEADERS, widths=(11, 11, 16, 14, 12, 12, 12, 10, 12, 9, 9))
    for col in "FGI":
        _number_format(goods, col, L.DATE_FORMAT)
    list_validation(goods, ("是", "否"), f"J2:J{ROWS}")
    print_setup(goods, landscape=True, title_rows="1:1")

    cards = wb.create_sheet(L.REPAIR_CARDS_SHEET)
    add_table(cards, L.REPAIR_CARDS_TABLE, L.REPAIR_CARDS_HEADERS, widths=(12, 11, 10, 9, 30, 10, 12, 24))
    _number_format(cards, "D", "0.00")
    _number_format(cards, "G", L.DATE_FORMAT)
    print_setup(cards, landscape=True, title_rows="1:1")

    complaints = wb.create_sheet(L.SERVICE_COMPLAINTS_SHEET)
    add_table(
        complaints,
        L.SERVICE_COMPLAINTS_TABLE,
        L.SERVICE_COMPLAINTS_HEADERS,
        widths=(11, 10, 12, 11, 24, 5, 9, 26, 7, 11, 8, 11, 22, 7),
    )
    for col in "EHM":  # 内容, 处理结果, 回访记录: long text wraps in its cell, on screen and on paper
        _wrap(complaints, col)
    list_validation(complaints, ("是", "否"), f"F2:F{ROWS}")
    list_validation(complaints, L.SERVICE_COMPLAINT_REPLIES, f"I2:I{ROWS}")
    for col in "DJL":
        _number_format(complaints, col, L.DATE_FORMAT)
    print_setup(complaints, landscape=True, title_rows="1:1")

    staff = wb.create_sheet(L.SERVICE_STAFF_SHEET)
    add_table(staff, L.SERVICE_STAFF_TABLE, L.SERVICE_STAFF_HEADERS, widths=(10, 10, 14, 14))
    list_validation(staff, L.SERVICE_ROLES, "B2:B500")
    note(staff, "F", "技术员须在此登记后才能派工（S2）；服务主任收修护预警（S8）与客户投诉回访（S17）。", width=40)
    print_setup(staff, landscape=False, title_rows="1:1")

    _settings_sheet(wb)
    calendar_sheet(wb)
    serials_sheet(wb, "每月最后发出的叫修流水号；删除叫修行后编号也不会重复使用。")

    journal = wb.create_sheet(L.SERVICE_JOURNAL_SHEET)  # every row the kit wrote; service verify checks it
    add_table(journal, L.SERVICE_JOURNAL_TABLE, L.SERVICE_JOURNAL_HEADERS, widths=(18, 12, 27, 16, 12, 30, 18))
    _number_format(journal, "A", L.DATETIME_FORMAT)
    journal.protection.sheet = True
    print_setup(journal, landscape=True, title_rows="1:1")
    return wb


def _formats(ws: Worksheet, columns: tuple[L.Column, ...]) -> None:
    for i, c in enumerate(columns):
        letter = get_column_letter(i + 1)
        if c.choices:
            list_validation(ws, c.choices, f"{letter}2:{letter}{ROWS}")
        code = {L.Kind.DATETIME: L.DATETIME_FORMAT, L.Kind.DATE: L.DATE_FORMAT}.get(c.kind)
        code = code or L.TABLE_NUMBER_FORMATS.get(L.CALLS_TABLE, {}).get(c.header)
        if code:
            _number_format(ws, letter, code)


def _wrap(ws: Worksheet, column: str, *, rows: int = ROWS) -> None:
    for r in range(2, rows + 1):
        ws[f"{column}{r}"].alignment = Alignment(wrap_text=True, vertical="top")


def _number_format(ws: Worksheet, column: str, code: str, *, rows: int = ROWS) -> None:
    for r in range(2, rows + 1):
        ws[f"{column}{r}"].number_format = code


def _call_colours(ws: Worksheet) -> None:
    """An overdue call not reached yet is a red row; its 时效 cell red, 即将到期 yellow, 迟到 red
    (from the kit's 时效, written at each command and by ``service status``)."""
    headers = list(L.CALLS_HEADERS)
    last = get_column_letter(len(headers))
    t = get_column_letter(headers.index(L.CALL_BY_ATTR["arrival"].header) + 1)
    ws.conditional_formatting = ConditionalFormattingList()
    ws.conditional_formatting.add(f"A2:{last}{ROWS}", FormulaRule(formula=[f'${t}2="逾期"'], fill=OVERDUE_ROW_FILL))
    for text, fill, bold in (
        ("逾期", OVERDUE_FILL, True),
        ("迟到", OVERDUE_FILL, True),
        ("即将到期", SOON_FILL, False),
    ):
        rule = CellIsRule(operator="equal", formula=[f'"{text}"'], fill=fill, font=OVERDUE_FONT if bold else None)
        ws.conditional_formatting.add(f"{t}2:{t}{ROWS}", rule)


def _settings_sheet(wb: Workbook) -> None:
    """设置: the calendar's keys (T1, T4: the same as the register's) and the service desk's (S)."""
    defaults = ServiceRules()
    rows = [(k, setting_meta(k), default_value_text(k)) for k in CALENDAR_KEYS]
    settings_sheet(wb, rows + [(k, service_setting_meta(k), str(getattr(defaults, k))) for k in SERVICE_SETTING_KEYS])
