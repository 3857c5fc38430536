"""概览 as a dashboard (issue 8, item 3): four native charts over formula cells, laid out without
overlaps for A4 landscape, and still there — the same charts over the same cells — after the
register has been accepted into and refreshed by the kit (openpyxl load + save)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from complaint_kit import layout as L
from complaint_kit.adapters.dashboard import chart_refs, ensure_dashboard
from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
from complaint_kit.cli import app
from complaint_kit.templates import build_register, template_dir
from complaint_kit.templates.summary import (
    BLOCKS,
    CHART_ROWS,
    COUNT_HEADER_ROW,
    KEY_CELLS,
    NOTE_ROW,
    PAGE_BREAK,
    PRINT_AREA,
    register_headers_read,
    summary_formulas,
)

runner = CliRunner()
SHEET = "'" + L.SUMMARY_SHEET + "'"


def template_summary():
    return openpyxl.load_workbook(template_dir() / L.REGISTER_FILE)[L.SUMMARY_SHEET]


def chart_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n.startswith(("xl/charts/", "xl/drawings/"))}


def rect(ref: str) -> tuple[int, int, int, int]:
    min_col, min_row, max_col, max_row = openpyxl.utils.range_boundaries(ref)
    return min_col, min_row, max_col, max_row


def overlap(a: str, b: str) -> bool:
    ax1, ay1, ax2, ay2 = rect(a)
    bx1, by1, bx2, by2 = rect(b)
    return not (ax2 < bx1 or bx2 < ax1 or ay2 < by1 or by2 < ay1)


def col(index: int) -> str:
    return openpyxl.utils.get_column_letter(index)


# -- what the template holds ---------------------------------------------------------------------
def test_the_template_has_one_chart_per_block_over_its_own_cells():
    charts = chart_refs(template_summary())
    assert [c.title for c in charts] == [b.caption for b in BLOCKS]
    for chart, block in zip(charts, BLOCKS, strict=True):
        first = col(block.first_column)
        assert chart.categories == f"{SHEET}!${first}${block.first_row}:${first}${block.last_row}"
        want = []
        for j in block.charted:
            letter = col(block.first_column + j)
            want.append(
                (
                    f"{SHEET}!${letter}${block.header_row}:${letter}${block.header_row}",
                    f"{SHEET}!${letter}${block.first_row}:${letter}${block.last_row}",
                )
            )
        assert list(chart.series) == want, block.key  # never the 合计 row
        right = col(block.first_column + 4)
        assert chart.cells == f"{first}{block.chart_top}:{right}{block.chart_top + CHART_ROWS - 1}"


def test_no_chart_covers_another_chart_or_any_table():
    ws = template_summary()
    charts = [c.cells for c in chart_refs(ws)]
    tables = [
        f"A{COUNT_HEADER_ROW}:D{COUNT_HEADER_ROW + 5}",
        f"G{COUNT_HEADER_ROW}:I{NOTE_ROW - 1}",
        f"A{NOTE_ROW}:K{NOTE_ROW}",
    ]
    tables += [f"{col(b.first_column)}{b.header_row}:{col(b.last_column)}{b.total_row}" for b in BLOCKS]
    for i, chart in enumerate(charts):
        assert not any(overlap(chart, other) for other in charts[i + 1 :]), chart
        assert not any(overlap(chart, table) for table in tables), chart
    filled = {c.coordinate for row in ws.iter_rows() for c in row if c.value is not None}
    for chart in charts:  # nothing written under a chart either
        x1, y1, x2, y2 = rect(chart)
        assert not {f"{col(x)}{y}" for x in range(x1, x2 + 1) for y in range(y1, y2 + 1)} & filled, chart


def test_the_dashboard_prints_on_two_a4_landscape_pages_with_fixed_row_heights():
    ws = template_summary()
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert not ws.sheet_properties.pageSetUpPr.fitToPage  # Excel ignores manual breaks under "fit to"
    assert [b.id for b in ws.row_breaks.brk] == [PAGE_BREAK]
    assert str(ws.print_area).endswith(PRINT_AREA.replace("A1", "$A$1").replace(":K", ":$K$"))
    last = int(PRINT_AREA.split("K")[1])
    assert all(ws.row_dimensions[r].height for r in range(1, last + 1))  # cell-anchored charts keep their size
    assert all(b.total_row <= PAGE_BREAK for b in BLOCKS[:2]) and all(b.chart_top > PAGE_BREAK for b in BLOCKS[2:])


def test_the_count_table_other_code_reads_stays_at_rows_4_to_8():
    ws = template_summary()
    labels = [ws.cell(r, 1).value for r in range(4, 9)]
    assert labels == [*L.SUMMARY_STATUSES, *L.SUMMARY_TIMELINESS]
    assert ws["B4"].value == f'=COUNTIFS({L.REGISTER_TABLE}[状态],"处理中",{L.REGISTER_TABLE}[国内/国外],"国内")'


def test_formulas_address_the_register_by_header_never_by_letter():
    assert register_headers_read() <= set(L.REGISTER_HEADERS)
    formulas = [f for f in summary_formulas().values() if isinstance(f, str) and f.startswith("=")]
    assert sum(L.REGISTER_TABLE + "[" in f for f in formulas) > 50
    assert not [f for f in formulas if "!" in f]  # no sheet reference: other cells are this sheet's own


def test_the_template_file_matches_what_the_builder_writes_now():
    built = build_register()[L.SUMMARY_SHEET]
    assert chart_refs(built) == chart_refs(template_summary())
    got = {c.coordinate: c.value for row in template_summary().iter_rows() for c in row if c.value is not None}
    assert all(got.get(k) == v for k, v in summary_formulas().items() if v), "rebuild: complaint-kit templates build"


# -- it stays right ------------------------------------------------------------------------------
INTAKE = [
    *("Customer=华星光电", "Market=国内", "SalesRep=李强", "ReportedAt=2026-11-23 09:00", "OrderNo=SO1"),
    *("PartNo=PCB-1", "ShipDate=2026-11-01", "ShipQty=1000", "DefectQty=20", "CustomerRequest=退货"),
    *("RequestQty=20", "Description=阻焊起泡"),
]


def run(*args: object) -> str:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def test_accept_and_refresh_keep_the_charts_and_their_data_ranges_byte_for_byte(tmp_path):
    office = tmp_path / "office"
    run("init", office)
    reg = office / L.REGISTER_FILE
    before = chart_parts(reg)
    assert len([n for n in before if n.startswith("xl/charts/chart")]) == len(BLOCKS)
    form = office / L.FORMS_DIR / "f1.xlsx"
    run("new-form", form, *[x for item in INTAKE for x in ("--set", item)], "--now", "2026-11-23T09:05")
    run("accept", form, "-r", reg, "--now", "2026-11-23T11:30", "--user", "王静")
    run("refresh", reg, "--now", "2026-12-08T10:00", "--user", "王静")
    assert chart_parts(reg) == before
    wb = openpyxl.load_workbook(reg)
    assert chart_refs(wb[L.SUMMARY_SHEET]) == chart_refs(template_summary())
    assert wb[L.SUMMARY_SHEET][KEY_CELLS[L.SUMMARY_KEY_OPEN]].value == summary_formulas()[KEY_CELLS[L.SUMMARY_KEY_OPEN]]
    rows = [r for r in wb[L.REGISTER_SHEET].iter_rows(min_row=2, values_only=True) if r[0]]
    assert len(rows) == 1  # the case is there, the dashboard reads it by formula


# -- a register that lost its charts -------------------------------------------------------------
def chartless(tmp_path: Path) -> Path:
    """A register as an older kit built it: 概览 a plain table, no chart."""
    path = tmp_path / L.REGISTER_FILE
    shutil.copyfile(template_dir() / L.REGISTER_FILE, path)
    wb = openpyxl.load_workbook(path)
    index = wb.sheetnames.index(L.SUMMARY_SHEET)
    wb.remove(wb[L.SUMMARY_SHEET])
    wb.create_sheet(L.SUMMARY_SHEET, index)["A1"] = L.SUMMARY_TITLE
    wb.save(path)
    return path


def test_a_register_whose_summary_has_no_chart_gets_the_dashboard_on_its_next_save(tmp_path):
    path = chartless(tmp_path)
    book = OpenpyxlBook.open(path)
    names = list(book.wb.sheetnames)
    book.save()
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == names
    assert chart_refs(wb[L.SUMMARY_SHEET]) == chart_refs(template_summary())
    assert wb[L.SUMMARY_SHEET]["B4"].value == summary_formulas()["B4"]


def test_a_summary_with_its_charts_is_left_exactly_as_it_is():
    wb = openpyxl.load_workbook(template_dir() / L.REGISTER_FILE)
    ws = wb[L.SUMMARY_SHEET]
    ws["M1"] = "办公室自己的备注"
    assert ensure_dashboard(wb) is False
    assert wb[L.SUMMARY_SHEET] is ws and ws["M1"].value == "办公室自己的备注"


@pytest.mark.parametrize("case", ["no summary sheet", "register lacks a column it reads", "a form"])
def test_nothing_is_rebuilt_where_the_dashboard_does_not_belong(case, tmp_path):
    if case == "a form":
        wb = openpyxl.load_workbook(template_dir() / L.FORM_FILE)
    else:
        wb = openpyxl.load_workbook(chartless(tmp_path))
        if case == "no summary sheet":
            wb.remove(wb[L.SUMMARY_SHEET])
        else:
            ws = wb[L.REGISTER_SHEET]
            header = L.COLUMN_BY_ATTR["holder"].header
            cell = next(c for c in ws[1] if c.value == header)
            cell.value = "持有单位"
    names = list(wb.sheetnames)
    assert ensure_dashboard(wb) is False
    assert wb.sheetnames == names
