"""Build the workbook templates from :mod:`complaint_kit.layout` (``complaint-kit templates build``).

The built files are committed in ``workbook_templates/``; a golden test rebuilds them and compares
a normalised description, so the layout and the committed templates never drift apart.
The forms must stay usable in plain Excel without the add-in: drop-down lists, formulas for
derived values, conditional formats that Excel keeps current by itself, protected computed cells.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from . import layout as L
from .domain.rules import STAGE_ORDER
from .domain.settings import SETTING_KEYS, default_value_text, setting_meta
from .packaging import rewrite_zip

INPUT_FILL = PatternFill("solid", fgColor=L.INPUT_RGB)  # pale yellow: type here
COMPUTED_FILL = PatternFill("solid", fgColor=L.COMPUTED_RGB)  # grey: the kit writes this
SECTION_FILL = PatternFill("solid", fgColor="DDEBF7")
OVERDUE_FILL = PatternFill("solid", fgColor="FFC7CE")
OVERDUE_FONT = Font(color="9C0006", bold=True)
SOON_FILL = PatternFill("solid", fgColor="FFEB9C")
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FIXED_TIME = datetime(2026, 1, 1)  # templates carry no build time: rebuilds are comparable

NUMBER_FORMATS = {
    L.Kind.DATETIME: L.DATETIME_FORMAT,
    L.Kind.DATE: L.DATE_FORMAT,
    L.Kind.INT: "0",
    L.Kind.NUMBER: "0.00%",
    L.Kind.MONEY: "#,##0.00",
}


def _new_workbook() -> Workbook:
    wb = openpyxl.Workbook()
    wb.properties.creator = "complaint_kit"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    return wb


def _name(wb: Workbook, name: str, sheet: str, ref: str) -> None:
    wb.defined_names[name] = DefinedName(name, attr_text=f"'{sheet}'!{ref}")


def _absolute(coord: str) -> str:
    col = "".join(ch for ch in coord if ch.isalpha())
    row = coord[len(col) :]
    return f"${col}${row}"


def _print_setup(ws: Worksheet, *, landscape: bool, title_rows: str | None = None) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddFooter.center.text = "&A  第 &P 页 / 共 &N 页"
    if title_rows:
        ws.print_title_rows = title_rows


def _validation_for(field: L.FormField) -> DataValidation | None:
    if field.computed:
        return None
    if field.kind is L.Kind.CHOICE:
        dv = DataValidation(type="list", formula1='"' + ",".join(field.choices) + '"', allow_blank=True)
        dv.error = f"请从下拉列表选择：{'、'.join(field.choices)}"
    elif field.kind is L.Kind.INT:
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.error = "请输入不小于 0 的整数"
    elif field.kind is L.Kind.MONEY:
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.error = "请输入不小于 0 的金额"
    elif field.kind in (L.Kind.DATE, L.Kind.DATETIME):
        dv = DataValidation(type="date", operator="greaterThanOrEqual", formula1="36526", allow_blank=True)
        dv.error = "请输入日期时间，如 2026-11-03 09:30"
    else:
        return None
    dv.errorTitle = field.label
    dv.showErrorMessage = True
    return dv


def build_form() -> Workbook:
    """The complaint form 客户抱怨处理表 (rules C4–C11): one section per department."""
    wb = _new_workbook()
    ws = wb.active
    ws.title = L.FORM_SHEET
    for c in range(1, L.FORM_COLUMNS + 1):
        ws.column_dimensions[get_column_letter(c)].width = 11 if c % 2 else 18
    last_col = get_column_letter(L.FORM_COLUMNS)
    ws.merge_cells(f"A1:{last_col}1")
    ws["A1"] = L.FORM_TITLE
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.row_dimensions[1].height = 28
    row = 2
    addresses: dict[str, str] = {}
    for section in L.SECTIONS:
        if section.title:
            ws.merge_cells(f"A{row}:{last_col}{row}")
            ws.cell(row, 1, section.title).font = Font(bold=True)
            for c in range(1, L.FORM_COLUMNS + 1):
                ws.cell(row, c).fill = SECTION_FILL
            row += 1
        for fields in section.rows:
            for k, field in enumerate(fields):
                label = ws.cell(row, 2 * k + 1, field.label)
                label.font = Font(bold=True)
                label.alignment = Alignment(vertical="center", wrap_text=True)
                label.border = BOX
                value = ws.cell(row, 2 * k + 2)
                if field.kind is L.Kind.LONG:
                    ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=L.FORM_COLUMNS)
                    ws.row_dimensions[row].height = 48
                    value.alignment = Alignment(vertical="top", wrap_text=True)
                else:
                    value.alignment = Alignment(vertical="center", horizontal="left")
                value.number_format = NUMBER_FORMATS.get(field.kind, "@" if field.kind is L.Kind.TEXT else "General")
                if field.formula:
                    value.value = field.formula
                span = range(2, L.FORM_COLUMNS + 1) if field.kind is L.Kind.LONG else [2 * k + 2]
                for c in span:
                    cell = ws.cell(row, c)
                    cell.fill = COMPUTED_FILL if field.computed else INPUT_FILL
                    cell.protection = Protection(locked=field.computed)
                    cell.border = BOX
                addresses[field.name] = value.coordinate
                _name(wb, field.name, L.FORM_SHEET, _absolute(value.coordinate))
                dv = _validation_for(field)
                if dv is not None:
                    ws.add_data_validation(dv)
                    dv.add(value.coordinate)
            row += 1
    row += 1
    ws.merge_cells(f"A{row}:{last_col}{row}")
    ws.cell(row, 1, L.FORM_NOTICE).font = Font(italic=True, color="C00000")
    # Overdue highlighting that Excel keeps current by itself (C18): due passed and not done.
    for stage in STAGE_ORDER:
        start = _absolute(addresses[L.stage_field(stage, "StartAt").name])
        due = _absolute(addresses[L.stage_field(stage, "DueAt").name])
        done = _absolute(addresses[L.stage_field(stage, "DoneAt").name])
        ws.conditional_formatting.add(
            due.replace("$", ""),
            FormulaRule(
                formula=[f'AND({done}="",{start}<>"",ISNUMBER({due}),{due}<NOW())'],
                fill=OVERDUE_FILL,
                font=OVERDUE_FONT,
            ),
        )
    case_due = _absolute(addresses["CaseDueAt"])
    closed = _absolute(addresses[L.stage_field(STAGE_ORDER[-1], "DoneAt").name])
    ws.conditional_formatting.add(
        case_due.replace("$", ""),
        FormulaRule(
            formula=[f'AND({closed}="",ISNUMBER({case_due}),{case_due}<NOW())'], fill=OVERDUE_FILL, font=OVERDUE_FONT
        ),
    )
    ws.freeze_panes = "A3"
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.print_area = f"A1:{last_col}{row}"
    _print_setup(ws, landscape=False, title_rows="1:1")

    _build_responsibility(wb.create_sheet(L.RESPONSIBILITY_SHEET))

    log = wb.create_sheet(L.FORM_LOG_SHEET)
    _table(log, L.FORM_LOG_TABLE, L.FORM_LOG_HEADERS, widths=(17, 12, 14, 12, 50))
    log.column_dimensions["A"].width = 17
    _print_setup(log, landscape=True, title_rows="1:1")

    meta = wb.create_sheet(L.META_SHEET)
    meta["A1"], meta["A2"], meta["A3"] = L.META_VERSION, L.META_SETTINGS, L.META_SEAL
    meta["B1"] = L.FORM_VERSION
    _name(wb, L.META_VERSION, L.META_SHEET, "$B$1")
    _name(wb, L.META_SETTINGS, L.META_SHEET, "$B$2")
    _name(wb, L.META_SEAL, L.META_SHEET, "$B$3")
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    return wb


def _list_validation(ws: Worksheet, choices: tuple[str, ...], ref: str) -> None:
    dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
    ws.add_data_validation(dv)
    dv.add(ref)


def _build_responsibility(ws: Worksheet) -> None:
    """责任归属 (table ``Responsibility``, C8, P2, E1, E2): filled by the GM office at consolidation."""
    rows = 30
    _table(ws, L.RESPONSIBILITY_TABLE, L.RESPONSIBILITY_HEADERS, widths=(10, 14, 14, 12, 10, 8, 10, 10))
    ws.tables[L.RESPONSIBILITY_TABLE].ref = f"A1:H{rows + 1}"
    for j, attr in enumerate(L.RESPONSIBILITY_ATTRS):
        letter = get_column_letter(j + 1)
        if attr in L.RESPONSIBILITY_CHOICES:
            _list_validation(ws, L.RESPONSIBILITY_CHOICES[attr], f"{letter}2:{letter}{rows + 1}")
        for r in range(2, rows + 2):
            cell = ws.cell(r, j + 1)
            cell.fill = INPUT_FILL
            cell.protection = Protection(locked=False)
            cell.number_format = {"share": "0%", "sanction_base": "0.##"}.get(attr, "@")
    ws["J1"] = (
        "责任类型：个人/单位/部门（制造部门须写到最小组单元，无法明确时才写“部门”即全科；业务、服务须写到个人）；"
        "责任比例合计须为 100%；处分留空即“无”；原因类别：1–15 或“品质”。不成立时不填。"
    )
    ws["J1"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("J1:J8")  # room for the wrapped note beside the table (one row would cut it off)
    ws.column_dimensions["J"].width = 40
    ws.protection.sheet = True
    _print_setup(ws, landscape=True, title_rows="1:1")


def _note(ws: Worksheet, column: str, text: str, *, width: float) -> None:
    """A help note in row 1 beside a table, wrapped, in a column ``width`` wide, merged down over
    six rows so the wrapped text shows whole (one row of a table's height would cut it off)."""
    ws[f"{column}1"] = text
    ws[f"{column}1"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions[column].width = width
    ws.merge_cells(f"{column}1:{column}6")


def _table(
    ws: Worksheet, name: str, headers: tuple[str, ...], *, widths: tuple[float, ...] = (), start_row: int = 1
) -> Table:
    for j, header in enumerate(headers):
        cell = ws.cell(start_row, j + 1, header)
        cell.font = Font(bold=True)
    last = get_column_letter(len(headers))
    table = Table(displayName=name, ref=f"A{start_row}:{last}{start_row + 1}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    for j, w in enumerate(widths):
        ws.column_dimensions[get_column_letter(j + 1)].width = w
    ws.freeze_panes = f"A{start_row + 1}"
    return table


def build_register() -> Workbook:
    """The GM office's register 客户抱怨案件登记追踪表 (rules C3, C6, C17, C18) with 设置, 日历."""
    wb = _new_workbook()
    ws = wb.active
    ws.title = L.REGISTER_SHEET
    _table(ws, L.REGISTER_TABLE, L.REGISTER_HEADERS, widths=tuple(c.width for c in L.REGISTER_COLUMNS))
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
    _print_setup(ws, landscape=True, title_rows="1:1")

    summary = wb.create_sheet(L.SUMMARY_SHEET)
    _build_summary(summary)

    settings = wb.create_sheet(L.SETTINGS_SHEET)
    _table(settings, L.SETTINGS_TABLE, L.SETTINGS_HEADERS, widths=(28, 28, 26, 26, 8, 60))
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
    _print_setup(settings, landscape=True, title_rows="1:1")
    settings.cell(len(SETTING_KEYS) + 3, 1, "“值”留空即采用默认值；修改后下次操作生效。").font = Font(italic=True)

    cal = wb.create_sheet(L.CALENDAR_SHEET)
    _table(cal, L.CALENDAR_TABLE, L.CALENDAR_HEADERS, widths=(14, 10, 40))
    dv = DataValidation(type="list", formula1='"' + ",".join(L.CALENDAR_KINDS) + '"', allow_blank=True)
    cal.add_data_validation(dv)
    dv.add("B2:B1000")
    for r in range(2, 1001):
        cal.cell(r, 1).number_format = L.DATE_FORMAT
    _note(
        cal,
        "E",
        (
            "公司休息日填“休息日”，补班日填“工作日”；国家节假日与调休已内置(2004–2026)。"
            "官方数据未覆盖的年份(如 2027)：请录入当年全部节假日与调休，并在 设置 的“已人工录入节假日的年份”中登记。"
        ),
        width=60,
    )
    _print_setup(cal, landscape=False, title_rows="1:1")

    serials = wb.create_sheet(L.SERIALS_SHEET)
    _table(serials, L.SERIALS_TABLE, L.SERIALS_HEADERS, widths=(10, 12))
    serials["D1"] = "每月最后发出的流水号；删除登记行后编号也不会重复使用（规则 C3）。"
    serials.protection.sheet = True
    _print_setup(serials, landscape=False, title_rows="1:1")

    staff = wb.create_sheet(L.STAFF_SHEET)
    _table(staff, L.STAFF_TABLE, L.STAFF_HEADERS, widths=(12, 14, 14, 8, 12, 12))
    _list_validation(staff, L.APPROVAL_LEVELS, "F2:F1000")
    _note(
        staff, "H", "人员名册：责任人/单位须在此登记（E1–E6）；核决级别决定可核决的损失金额（C10，见 设置）。", width=60
    )
    _print_setup(staff, landscape=False, title_rows="1:1")

    add_issue7_sheets(wb)

    journal = wb.create_sheet(L.JOURNAL_SHEET)
    _table(journal, L.JOURNAL_TABLE, L.JOURNAL_HEADERS, widths=(17, 10, 12, 10, 60, 18))
    journal.protection.sheet = True
    _print_setup(journal, landscape=True, title_rows="1:1")
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
        _table(ws, L.CASE_RESPONSIBILITY_TABLE, L.CASE_RESPONSIBILITY_HEADERS, widths=widths)
        for r in range(2, 1001):
            ws.cell(r, 6).number_format = "0%"
        _note(ws, "K", "各案总经理室综合意见时的责任归属（由 complete -r 写入，月结只读此表）；请勿手改。", width=40)
        ws.protection.sheet = True
        _print_setup(ws, landscape=True, title_rows="1:1")
    if L.LEDGER_TABLE not in present:
        ws = wb.create_sheet(L.LEDGER_SHEET)
        _table(ws, L.LEDGER_TABLE, L.LEDGER_HEADERS, widths=(10, 12, 14, 13, 13, 13, 13, 13))
        for r in range(2, 1001):
            for c in range(4, 9):
                ws.cell(r, c).number_format = NUMBER_FORMATS[L.Kind.MONEY]
        _note(
            ws,
            "J",
            "每人每月一行（E4：本月实扣不超过月效率奖金的 50%，余额结转下月）；由 complaint-kit month 写入。",
            width=40,
        )
        ws.protection.sheet = True
        _print_setup(ws, landscape=False, title_rows="1:1")
    if L.ABNORMAL_TABLE not in present:
        ws = wb.create_sheet(L.ABNORMAL_SHEET)
        _table(ws, L.ABNORMAL_TABLE, L.ABNORMAL_HEADERS, widths=(13, 17, 16, 12, 36, 24, 17, 30, 9, 10))
        for r in range(2, 1001):
            ws.cell(r, 2).number_format = L.DATETIME_FORMAT
            ws.cell(r, 7).number_format = L.DATETIME_FORMAT
        _list_validation(ws, L.ABNORMAL_STATUSES, "I2:I1000")
        _print_setup(ws, landscape=True, title_rows="1:1")


def add_signatures_sheet(wb: Workbook) -> None:
    """签章 (table ``Signatures``): the seals of every case, signed with the GM office's key (issue 6).
    Also used to upgrade a register built before seals existed."""
    ws = wb.create_sheet(L.SIGNATURES_SHEET)
    _table(ws, L.SIGNATURES_TABLE, L.SIGNATURES_HEADERS, widths=(10, 12, 17, 10, 60, 14, 66))
    for r in range(2, 1001):
        ws.cell(r, 3).number_format = L.DATETIME_FORMAT
    ws.protection.sheet = True
    _print_setup(ws, landscape=True, title_rows="1:1")


def _build_summary(ws: Worksheet) -> None:
    ws["A1"] = L.SUMMARY_TITLE
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    ws.append(["", "国内", "国外", "合计"])
    t, s, m = L.REGISTER_TABLE, L.COLUMN_BY_ATTR["status"].header, L.COLUMN_BY_ATTR["market"].header
    tl = L.COLUMN_BY_ATTR["timeliness"].header
    for label, column in [(x, s) for x in L.SUMMARY_STATUSES] + [(x, tl) for x in L.SUMMARY_TIMELINESS]:
        r = ws.max_row + 1
        ws.append(
            [
                label,
                f'=COUNTIFS({t}[{column}],"{label}",{t}[{m}],"国内")',
                f'=COUNTIFS({t}[{column}],"{label}",{t}[{m}],"国外")',
                f"=B{r}+C{r}",
            ]
        )
    for row in ws.iter_rows(min_row=3, max_row=ws.max_row):
        for cell in row:
            cell.border = BOX
    for c in "ABCD":
        ws.column_dimensions[c].width = 12
    ws.cell(ws.max_row + 2, 1, "“时效”取自最近一次刷新(complaint-kit refresh)；红色期限由 Excel 按当前时间自动标出。")
    ws.protection.sheet = True
    _print_setup(ws, landscape=False)


def build_templates(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, build in ((L.REGISTER_FILE, build_register), (L.FORM_FILE, build_form)):
        path = folder / name
        build().save(path)
        out.append(rewrite_zip(path, path))  # same layout, same bytes
    return out


def template_dir() -> Path:
    """Committed templates: packaged in a wheel, or ``workbook_templates/`` in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "workbook_templates", here.parents[1] / "workbook_templates"):
        if (candidate / L.FORM_FILE).exists():
            return candidate
    raise FileNotFoundError("workbook templates not found; run: complaint-kit templates build")
