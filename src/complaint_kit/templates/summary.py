"""概览: the register's overview sheet."""

from __future__ import annotations

from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from .. import layout as L
from .common import BOX, print_setup


def build_summary(ws: Worksheet) -> None:
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
    print_setup(ws, landscape=False)
