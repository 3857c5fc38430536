"""The report writer (adapters/report.py): layout, exact money, text that looks like a formula,
native charts, print set-up, protection, reproducible bytes, atomic writes, and what LibreOffice
prints from it."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from complaint_kit.adapters import report as report_module
from complaint_kit.adapters.report import CHART_ROWS, build_report, write_report
from complaint_kit.ports import ChartSpec, Formula, ReportSheet, ReportTable
from complaint_kit.store.files import TEMP_SUFFIX

STATS, NOTICES, EMPTY = "客诉统计", "奖罚通知单", "洽办单"
INJECTION = '=HYPERLINK("http://evil.example","点我")'
LONG_REASON = "客户来函称包装破损，责任部门未按期回复，依售后管理制度第 12 条扣发当月奖金"


def stats_sheet() -> ReportSheet:
    by_department = ReportTable(
        caption="一、按责任部门统计",
        headers=("责任部门", "件数", "损失金额（元）", "占比"),
        rows=[
            ["品管部", 5, Decimal("12345.67"), 0.5],
            ["制造部", 3, Decimal("2000.10"), 0.3],
            ["研发部", 2, Decimal("0.05"), 0.2],
            ["合计", Formula("=SUM(B6:B8)"), Decimal("14345.82"), 1.0],
        ],
        formats={2: "#,##0.00", 3: "0.0%"},
        total_row=True,
        chart=ChartSpec(kind="bar", title="各部门客诉件数", category_column=0, value_columns=(1,)),
        notes=("注：损失金额含运费与折让。",),
    )
    by_market = ReportTable(
        caption="二、按市场统计",
        headers=("市场", "件数"),
        rows=[["内销", 7], ["外销", 3]],
        chart=ChartSpec(kind="pie", title="内外销占比"),
    )
    return ReportSheet(
        name=STATS,
        title="2026年11月 客诉月报",
        subtitle="统计期间：2026-11-01 至 2026-11-30",
        tables=(by_department, by_market),
        widths=(16, 10, 16, 12),
        landscape=True,
    )


def notice(i: int, keeper: str) -> ReportTable:
    return ReportTable(
        caption=f"奖罚通知单 {i}/3（{keeper}）",
        headers=("案号", "事由", "扣款金额", "日期", "签发时间"),
        rows=[
            ["261101", LONG_REASON, Decimal("200.00"), date(2026, 11, 30), datetime(2026, 11, 30, 9, 30)],
            ["261102", INJECTION, Decimal("50.50"), date(2026, 12, 1), datetime(2026, 12, 1, 14, 5)],
            ["合计", "", Decimal("250.50"), None, None],
        ],
        total_row=True,
        notes=("总经理：＿＿＿＿　　部门主管：＿＿＿＿", "本单一式三联，财务、人事、当事人各执一联。"),
        page_break_after=True,
    )


def notices_sheet() -> ReportSheet:
    keepers = ("财务联", "人事联", "当事人联")
    return ReportSheet(
        name=NOTICES,
        title="奖罚通知单",
        tables=tuple(notice(i, k) for i, k in enumerate(keepers, start=1)),
        widths=(10, 30, 12, 12, 17),
    )


def empty_sheet() -> ReportSheet:
    table = ReportTable(
        caption="本月洽办",
        headers=("案号", "部门", "事项"),
        rows=[],
        chart=ChartSpec(kind="bar", title="不应出现的图表"),
        notes=("本月无洽办事项。",),
    )
    return ReportSheet(name=EMPTY, title="洽办单", tables=(table,))


SHEETS = (stats_sheet(), notices_sheet(), empty_sheet())


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    return write_report(tmp_path_factory.mktemp("report") / "月报.xlsx", SHEETS)


@pytest.fixture(scope="module")
def wb(written):
    return openpyxl.load_workbook(written)


def part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read(name).decode("utf-8")


def values(ws, row: int) -> list:
    return [c.value for c in ws[row]]


# --- layout and values ---------------------------------------------------------------------------


def test_one_sheet_per_report_sheet_in_order(wb):
    assert wb.sheetnames == [STATS, NOTICES, EMPTY]


def test_the_title_is_bold_16pt_merged_and_centred_with_the_subtitle_below(wb):
    ws = wb[STATS]
    assert ws["A1"].value == "2026年11月 客诉月报"
    assert ws["A1"].font.b and ws["A1"].font.sz == 16 and ws["A1"].alignment.horizontal == "center"
    assert ws["A2"].value == "统计期间：2026-11-01 至 2026-11-30"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert any(r.startswith("A1:") for r in merged) and any(r.startswith("A2:") for r in merged)


def test_caption_header_rows_and_notes_follow_each_other(wb):
    ws = wb[STATS]
    assert ws["A4"].value == "一、按责任部门统计" and ws["A4"].font.b
    assert values(ws, 5)[:4] == ["责任部门", "件数", "损失金额（元）", "占比"]
    header = ws["A5"]
    assert header.font.b and header.fill.fgColor.rgb.endswith("DDEBF7") and header.border.left.style == "thin"
    assert values(ws, 6)[:2] == ["品管部", 5] and ws["A6"].border.bottom.style == "thin"
    assert ws["A10"].value == "注：损失金额含运费与折让。"
    assert ws["A10"].border.left.style is None


def test_money_keeps_every_cent_through_save_and_reload(wb, written):
    ws = wb[STATS]
    assert [Decimal(str(ws.cell(r, 3).value)) for r in range(6, 10)] == [
        Decimal("12345.67"),
        Decimal("2000.10"),
        Decimal("0.05"),
        Decimal("14345.82"),
    ]
    assert "<v>12345.67</v>" in part(written, "xl/worksheets/sheet1.xml")


def test_formats_come_from_the_table_or_the_value_type(wb):
    stats, notices = wb[STATS], wb[NOTICES]
    assert stats["C6"].number_format == "#,##0.00" and stats["D6"].number_format == "0.0%"
    assert notices["C5"].number_format == "#,##0.00"  # an amount without a table format keeps its cents
    assert notices["D5"].number_format == "yyyy-mm-dd" and notices["D5"].value == datetime(2026, 11, 30)
    assert notices["E5"].number_format == "yyyy-mm-dd hh:mm" and notices["E5"].value == datetime(2026, 11, 30, 9, 30)


def test_the_total_row_is_bold_with_a_top_border(wb):
    ws = wb[STATS]
    total = ws["C9"]
    assert total.value == 14345.82 and total.font.b and total.border.top.style == "medium"
    assert not ws["B8"].font.b


def test_text_that_looks_like_a_formula_is_stored_as_text(wb, written):
    ws = wb[NOTICES]
    assert ws["B6"].value == INJECTION and ws["B6"].data_type == "s"
    xml = part(written, "xl/worksheets/sheet2.xml")
    assert "HYPERLINK" not in "".join(re.findall(r"<f>(.*?)</f>", xml))


def test_only_a_formula_value_is_a_formula(wb):
    assert wb[STATS]["B9"].value == "=SUM(B6:B8)" and wb[STATS]["B9"].data_type == "f"


def test_long_text_wraps_and_its_row_grows(wb):
    ws = wb[NOTICES]
    assert ws["B5"].alignment.wrap_text and ws.row_dimensions[5].height > 15
    assert not ws["A5"].alignment.wrap_text


def test_column_widths_from_the_sheet_default_14(wb):
    ws = wb[NOTICES]
    assert [ws.column_dimensions[c].width for c in "ABCDE"] == [10, 30, 12, 12, 17]
    assert wb[EMPTY].column_dimensions["A"].width == 14


def test_a_table_without_rows_still_shows_caption_header_and_notes(wb):
    ws = wb[EMPTY]
    assert ws["A3"].value == "本月洽办" and values(ws, 4) == ["案号", "部门", "事项"]
    assert ws["A5"].value == "本月无洽办事项。"


# --- charts --------------------------------------------------------------------------------------


C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
XDR = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"


def chart_parts(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return sorted(n for n in zf.namelist() if n.startswith("xl/charts/chart"))


def chart(path: Path, n: int) -> ET.Element:
    return ET.fromstring(part(path, f"xl/charts/chart{n}.xml"))


def series_refs(root: ET.Element) -> list[tuple[str | None, ...]]:
    """(name, values, categories) references of each series."""
    return [
        (
            ser.findtext(f"{C}tx/{C}strRef/{C}f"),
            ser.findtext(f"{C}val/{C}numRef/{C}f"),
            ser.findtext(f"{C}cat/{C}strRef/{C}f"),
        )
        for ser in root.iter(f"{C}ser")
    ]


def test_the_stats_sheet_has_a_clustered_column_chart_over_the_body_rows(written):
    root = chart(written, 1)
    bar = root.find(f"{C}chart/{C}plotArea/{C}barChart")
    assert bar is not None
    assert bar.find(f"{C}barDir").get("val") == "col" and bar.find(f"{C}grouping").get("val") == "clustered"
    # series name from the header, values and categories from the body rows without the total row
    assert series_refs(root) == [(f"'{STATS}'!$B$5", f"'{STATS}'!$B$6:$B$8", f"'{STATS}'!$A$6:$A$8")]
    assert root.findtext(f"{C}chart/{C}title//{A}t") == "各部门客诉件数"


def test_the_pie_chart_labels_show_percentage_and_category(written):
    root = chart(written, 2)
    pie = root.find(f"{C}chart/{C}plotArea/{C}pieChart")
    assert pie is not None
    shown = {child.tag.removeprefix(C): child.get("val") for child in pie.find(f"{C}dLbls")}
    assert shown["showPercent"] == "1" and shown["showCatName"] == "1" and shown["showVal"] == "0"
    assert series_refs(root) == [(f"'{STATS}'!$B$21", f"'{STATS}'!$B$22:$B$23", f"'{STATS}'!$A$22:$A$23")]


def test_a_bar_chart_has_one_series_per_value_column():
    table = ReportTable(
        caption="c",
        headers=("月份", "内销", "外销"),
        rows=[["10月", 1, 2], ["11月", 3, 4]],
        chart=ChartSpec(kind="bar", title="t", value_columns=(1, 2)),
    )
    buf = io.BytesIO()
    build_report([ReportSheet(name="s", title="t", tables=(table,))]).save(buf)
    with zipfile.ZipFile(buf) as zf:
        root = ET.fromstring(zf.read("xl/charts/chart1.xml"))
    assert series_refs(root) == [
        ("'s'!$B$4", "'s'!$B$5:$B$6", "'s'!$A$5:$A$6"),  # caption row 3, header row 4
        ("'s'!$C$4", "'s'!$C$5:$C$6", "'s'!$A$5:$A$6"),
    ]
    assert [s.find(f"{C}idx").get("val") for s in root.iter(f"{C}ser")] == ["0", "1"]


def test_a_table_without_rows_gets_no_chart(written):
    assert chart_parts(written) == ["xl/charts/chart1.xml", "xl/charts/chart2.xml"]


def test_charts_sit_right_of_their_tables_and_do_not_overlap(written):
    drawing = ET.fromstring(part(written, "xl/drawings/drawing1.xml"))
    anchors = drawing.findall(f"{XDR}oneCellAnchor")
    where = [(int(a.findtext(f"{XDR}from/{XDR}col")), int(a.findtext(f"{XDR}from/{XDR}row"))) for a in anchors]
    # 0-based: the bar chart at F4 (4 columns + 1 gap), the pie at D20 (2 columns + 1 gap)
    assert where == [(5, 3), (3, 19)]
    assert where[1][1] - where[0][1] >= CHART_ROWS
    sizes = {(a.find(f"{XDR}ext").get("cx"), a.find(f"{XDR}ext").get("cy")) for a in anchors}
    assert sizes == {("5400000", "2700000")}  # 15 x 7.5 cm in EMU


# --- print set-up and protection -----------------------------------------------------------------


def test_pages_are_a4_fit_to_one_page_wide_with_the_page_footer(wb):
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert int(setup.paperSize) == int(ws.PAPERSIZE_A4)
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0) and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_margins.left == ws.page_margins.right == ws.page_margins.top == ws.page_margins.bottom == 0.5
        assert ws.oddFooter.center.text == "&A  第 &P 页 / 共 &N 页"
        assert ws.print_title_rows is None and ws.print_title_cols is None
    assert wb[STATS].page_setup.orientation == "landscape" and wb[NOTICES].page_setup.orientation == "portrait"


def test_the_print_area_reaches_the_charts(wb):
    area = wb[STATS].print_area
    last_column = re.search(r":\$([A-Z]+)\$(\d+)$", area)
    assert last_column is not None
    # the bar chart starts at F and is 15 cm wide (about 5.5 columns of width 14)
    assert last_column.group(1) == "K" and int(last_column.group(2)) >= 20 + CHART_ROWS - 1


def test_each_notice_ends_with_a_manual_page_break(wb):
    ws = wb[NOTICES]
    breaks = [b.id for b in ws.row_breaks.brk]
    assert len(breaks) == 2  # after notices 1 and 2; the third ends the sheet
    for brk in breaks:  # the row after the break holds the next notice's caption
        assert str(ws.cell(brk + 1, 1).value).startswith("奖罚通知单 ")
    assert not wb[STATS].row_breaks.brk


def test_sheets_are_protected_but_columns_and_rows_may_be_resized(wb):
    for ws in wb.worksheets:
        assert ws.protection.sheet and not ws.protection.formatColumns and not ws.protection.formatRows


# --- files ---------------------------------------------------------------------------------------


def test_the_same_sheets_give_the_same_bytes(tmp_path, written):
    again = write_report(tmp_path / "again.xlsx", SHEETS)
    assert again.read_bytes() == written.read_bytes()
    wb = openpyxl.load_workbook(again)
    assert wb.properties.creator == "complaint_kit" and wb.properties.created == datetime(2026, 1, 1)


def test_writing_leaves_no_temp_files(tmp_path):
    target = tmp_path / "out" / "月报.xlsx"
    assert write_report(target, SHEETS) == target
    assert sorted(p.name for p in target.parent.iterdir()) == ["月报.xlsx"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "月报.xlsx"
    target.write_bytes(b"old report")

    def crash(src, dst, **_):
        raise OSError("disk full")

    monkeypatch.setattr(report_module, "rewrite_zip", crash)
    with pytest.raises(OSError):
        write_report(target, SHEETS)
    assert target.read_bytes() == b"old report"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(TEMP_SUFFIX) or p.name.endswith(".tmp")]


# --- refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["一" * 32, "统计[11月]", "a:b", "a*b", "a?b", "2026/11", "a\\b", "", "'统计'"],
)
def test_a_sheet_name_excel_refuses_is_refused(name):
    with pytest.raises(ValueError, match="工作表名称"):
        build_report([ReportSheet(name=name, title="t")])


def test_a_name_of_31_characters_is_accepted():
    assert build_report([ReportSheet(name="一" * 31, title="t")]).sheetnames == ["一" * 31]


def test_duplicate_sheet_names_are_refused_whatever_their_case():
    with pytest.raises(ValueError, match=r"重复.*duplicate"):
        build_report([ReportSheet(name="Report", title="a"), ReportSheet(name="report", title="b")])


@pytest.mark.parametrize("amount", [Decimal("NaN"), Decimal("Infinity"), Decimal("1234567890123.456")])
def test_an_amount_that_cannot_be_stored_exactly_is_refused(amount):
    table = ReportTable(caption="c", headers=("金额",), rows=[[amount]])
    with pytest.raises(ValueError, match="金额"):
        build_report([ReportSheet(name="s", title="t", tables=(table,))])


def test_a_15_digit_amount_is_stored_exactly(tmp_path):
    table = ReportTable(caption="c", headers=("金额",), rows=[[Decimal("1234567890123.45")]])
    path = write_report(tmp_path / "r.xlsx", [ReportSheet(name="s", title="t", tables=(table,))])
    assert "<v>1234567890123.45</v>" in part(path, "xl/worksheets/sheet1.xml")


def test_a_chart_on_a_missing_column_is_refused():
    table = ReportTable(
        caption="c", headers=("a", "b"), rows=[["x", 1]], chart=ChartSpec(kind="bar", title="t", value_columns=(2,))
    )
    with pytest.raises(ValueError, match="图表"):
        build_report([ReportSheet(name="s", title="t", tables=(table,))])


def test_a_row_wider_than_its_headers_is_refused():
    table = ReportTable(caption="c", headers=("a",), rows=[["x", 1]])
    with pytest.raises(ValueError, match="表头"):
        build_report([ReportSheet(name="s", title="t", tables=(table,))])


# --- what LibreOffice prints ---------------------------------------------------------------------


def need(tool: str) -> None:
    if shutil.which(tool) is None:
        if os.environ.get("REQUIRE_LIBREOFFICE"):
            pytest.fail(f"{tool} (poppler-utils) is required here (REQUIRE_LIBREOFFICE is set) but was not found")
        pytest.skip(f"{tool} (poppler-utils) not installed")


@pytest.mark.libreoffice
def test_libreoffice_prints_one_page_wide_with_one_notice_per_page(written, tmp_path, libreoffice):
    need("pdfinfo")
    need("pdftotext")
    pdf = libreoffice(written, "pdf", tmp_path / "lo")
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(pdf)], capture_output=True, text=True, check=True)
    # stats 1 page (tables and both charts), one page per notice, the empty list 1: a column that
    # spilled past the page width would add pages
    assert "Pages:           5" in info.stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts \(A4\)", info.stdout)
    assert [float(w) > float(h) for w, h in sizes] == [True, False, False, False, False]

    def text(page: int) -> str:
        args = ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"]
        return subprocess.run(args, capture_output=True, text=True, check=True).stdout

    pages = [text(p) for p in range(1, 6)]
    assert all("###" not in t for t in pages)
    first = pages[0]
    assert "客诉月报" in first and "二、按市场统计" in first and "14,345.82" in first
    assert "各部门客诉件数" in first and "内外销占比" in first  # both charts printed
    assert f"{STATS} 第 1 页 / 共 5 页" in first
    for page, keeper in zip(pages[1:4], ("财务联", "人事联", "当事人联"), strict=True):
        assert keeper in page and "总经理：" in page and "HYPERLINK" in page and "2026-11-30 09:30" in page
    assert "本月无洽办事项" in pages[4] and "不应出现的图表" not in pages[4]


def test_a_refused_report_writes_nothing(tmp_path):
    with pytest.raises(ValueError):
        write_report(tmp_path / "r.xlsx", [ReportSheet(name="a/b", title="t")])
    assert list(tmp_path.iterdir()) == []
