"""The complaint form 客户抱怨处理表 (rules C4–C11), built from :mod:`complaint_kit.layout`."""

from __future__ import annotations

from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from .. import layout as L
from ..domain.rules import STAGE_ORDER, Stage, YesNo
from .common import (
    BOX,
    COMPUTED_FILL,
    INPUT_FILL,
    NOT_APPLICABLE_FILL,
    NOT_APPLICABLE_FONT,
    NUMBER_FORMATS,
    OVERDUE_FILL,
    OVERDUE_FONT,
    SECTION_FILL,
    absolute,
    add_table,
    box_rows,
    define_name,
    font,
    list_validation,
    new_workbook,
    print_setup,
    set_font,
)


def validation_for(field: L.FormField) -> DataValidation | None:
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


LOG_STYLED_ROWS = 300  # 流转记录 rows given the font and the borders (a case logs a few dozen)
SIGN_ROW_HEIGHT = 26  # points: room for a handwritten signature
PAGE_BREAK_BEFORE = "negotiation"  # the printed form: sections 一–五 on page 1, 六–十 on page 2


def build_form() -> Workbook:
    """The complaint form 客户抱怨处理表 (rules C4–C11): one section per department, each
    department's section closed by a signature and date box for the printed form."""
    wb = new_workbook()
    ws = wb.active
    ws.title = L.FORM_SHEET
    for c in range(1, L.FORM_COLUMNS + 1):
        ws.column_dimensions[get_column_letter(c)].width = 11 if c % 2 else 18
    last_col = get_column_letter(L.FORM_COLUMNS)
    ws.merge_cells(f"A1:{last_col}1")
    ws["A1"] = L.FORM_TITLE
    ws["A1"].font = font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.row_dimensions[1].height = 28
    row = 2
    addresses: dict[str, str] = {}
    spans: dict[str, tuple[int, int]] = {}  # section key → its first and last row under the title
    for section in L.SECTIONS:
        if section.key == PAGE_BREAK_BEFORE:
            ws.row_breaks.append(Break(id=row - 1))
        if section.title:
            ws.merge_cells(f"A{row}:{last_col}{row}")
            ws.cell(row, 1, section.title)
            for c in range(1, L.FORM_COLUMNS + 1):
                ws.cell(row, c).fill = SECTION_FILL
                ws.cell(row, c).font = font(bold=True)
            row += 1
        first = row
        for fields in section.rows:
            for k, field in enumerate(fields):
                _label(ws.cell(row, 2 * k + 1, field.label))
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
                    cell.font = font()
                addresses[field.name] = value.coordinate
                define_name(wb, field.name, L.FORM_SHEET, absolute(value.coordinate))
                dv = validation_for(field)
                if dv is not None:
                    ws.add_data_validation(dv)
                    dv.add(value.coordinate)
            row += 1
        if section.stage is not None:
            _sign_row(ws, row, L.SIGN_LABELS_BY_SECTION.get(section.key, L.SIGN_LABELS))
            row += 1
        spans[section.key] = (first, row - 1)
    row += 1
    ws.merge_cells(f"A{row}:{last_col}{row}")
    ws.cell(row, 1, L.FORM_NOTICE).font = font(italic=True, color="C00000")
    # Overdue highlighting that Excel keeps current by itself (C18): due passed and not done.
    for stage in STAGE_ORDER:
        start = absolute(addresses[L.stage_field(stage, "StartAt").name])
        due = absolute(addresses[L.stage_field(stage, "DueAt").name])
        done = absolute(addresses[L.stage_field(stage, "DoneAt").name])
        ws.conditional_formatting.add(
            due.replace("$", ""),
            FormulaRule(
                formula=[f'AND({done}="",{start}<>"",ISNUMBER({due}),{due}<NOW())'],
                fill=OVERDUE_FILL,
                font=OVERDUE_FONT,
            ),
        )
    case_due = absolute(addresses["CaseDueAt"])
    closed = absolute(addresses[L.stage_field(STAGE_ORDER[-1], "DoneAt").name])
    ws.conditional_formatting.add(
        case_due.replace("$", ""),
        FormulaRule(
            formula=[f'AND({closed}="",ISNUMBER({case_due}),{case_due}<NOW())'], fill=OVERDUE_FILL, font=OVERDUE_FONT
        ),
    )
    # C6.5: R&D not needed — its whole section (text, stamps, signature box) greys out, in Excel and
    # on paper, as soon as Quality says 否; completing Quality then writes 不适用 into it and locks it.
    first, last = spans[L.section_of(Stage.RND).key]
    ws.conditional_formatting.add(
        f"A{first}:{last_col}{last}",
        FormulaRule(
            formula=[f'{absolute(addresses["RnDNeeded"])}="{YesNo.NO.value}"'],
            fill=NOT_APPLICABLE_FILL,
            font=Font(color=NOT_APPLICABLE_FONT.color),
        ),
    )
    ws.freeze_panes = "A3"
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.print_area = f"A1:{last_col}{row}"
    print_setup(ws, landscape=False, title_rows="1:1")
    ws.page_margins.top = ws.page_margins.bottom = 0.6  # inches: two readable pages (and one per copy)
    ws.page_margins.header = ws.page_margins.footer = 0.3

    build_responsibility(wb.create_sheet(L.RESPONSIBILITY_SHEET))

    log = wb.create_sheet(L.FORM_LOG_SHEET)
    add_table(log, L.FORM_LOG_TABLE, L.FORM_LOG_HEADERS, widths=(17, 12, 14, 12, 50))
    log.column_dimensions["A"].width = 18  # a date-time with room to spare (no ### in print)
    log_cols = get_column_letter(len(L.FORM_LOG_HEADERS))
    set_font(log, f"A1:{log_cols}1", bold=True)
    set_font(log, f"A2:{log_cols}{LOG_STYLED_ROWS}")
    box_rows(log, f"A1:{log_cols}{LOG_STYLED_ROWS}")
    print_setup(log, landscape=True, title_rows="1:1")

    meta = wb.create_sheet(L.META_SHEET)
    meta["A1"], meta["A2"], meta["A3"] = L.META_VERSION, L.META_SETTINGS, L.META_SEAL
    meta["B1"] = L.FORM_VERSION
    define_name(wb, L.META_VERSION, L.META_SHEET, "$B$1")
    define_name(wb, L.META_SETTINGS, L.META_SHEET, "$B$2")
    define_name(wb, L.META_SEAL, L.META_SHEET, "$B$3")
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    return wb


def _label(cell: Cell) -> None:
    cell.font = font(bold=True)
    cell.alignment = Alignment(vertical="center", wrap_text=True)
    cell.border = BOX


def _sign_row(ws: Worksheet, row: int, labels: tuple[str, ...]) -> None:
    """A department's signature and date boxes for the printed form: label/box pairs across the
    row, the last box running to the form's right edge. No defined names: signed on paper only."""
    pairs = len(labels)
    for k, text in enumerate(labels):
        _label(ws.cell(row, 2 * k + 1, text))
        last = L.FORM_COLUMNS if k == pairs - 1 else 2 * k + 2
        if last > 2 * k + 2:
            ws.merge_cells(start_row=row, start_column=2 * k + 2, end_row=row, end_column=last)
        for c in range(2 * k + 2, last + 1):
            ws.cell(row, c).border = BOX
            ws.cell(row, c).font = font()
    ws.row_dimensions[row].height = SIGN_ROW_HEIGHT


def build_responsibility(ws: Worksheet) -> None:
    """责任归属 (table ``Responsibility``, C8, P2, E1, E2): filled by the GM office at consolidation."""
    rows = 30
    add_table(ws, L.RESPONSIBILITY_TABLE, L.RESPONSIBILITY_HEADERS, widths=(10, 14, 14, 12, 10, 8, 10, 10))
    ws.tables[L.RESPONSIBILITY_TABLE].ref = f"A1:H{rows + 1}"
    for j, attr in enumerate(L.RESPONSIBILITY_ATTRS):
        letter = get_column_letter(j + 1)
        if attr in L.RESPONSIBILITY_CHOICES:
            list_validation(ws, L.RESPONSIBILITY_CHOICES[attr], f"{letter}2:{letter}{rows + 1}")
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
    set_font(ws, "A1:H1", bold=True)
    set_font(ws, f"A2:H{rows + 1}")
    ws["J1"].font = font()
    box_rows(ws, f"A1:H{rows + 1}")
    ws.merge_cells("J1:J8")  # room for the wrapped note beside the table (one row would cut it off)
    ws.column_dimensions["J"].width = 40
    ws.protection.sheet = True
    print_setup(ws, landscape=True, title_rows="1:1")
