"""Generated sheets for paper (issue 8 item 4): the 催办单's boxes, reply and signature lines and its
one font, as the file adapter writes them and as the live adapter's desktop path asks Excel for
them — one range call per block, never per cell, however many cases a block holds."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import datetime

from complaint_kit import layout as L
from complaint_kit.actions.reminders import reminder_sheet
from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
from complaint_kit.adapters.textfit import wide_row_height
from complaint_kit.adapters.xlwings_book import XlwingsBook
from complaint_kit.ports import Changes
from complaint_kit.templates import template_dir
from tests.adapters.remote import RemoteWorkbook

NOW = datetime(2026, 11, 24, 16, 0)


def case(n: int) -> list:
    return [f"2611{n:02d}", "华星光电", "国内", "品管分析", datetime(2026, 11, 24, 11, 30), "3.5 小时", None, "f.xlsx"]


def reminders(cases: int):
    return reminder_sheet({"质量管理部": [case(1)], "制造部": [case(n) for n in range(cases)]}, now=NOW)


def test_the_file_adapter_borders_every_cell_of_each_block_and_merges_its_lines(tmp_path):
    path = tmp_path / L.REGISTER_FILE
    shutil.copyfile(template_dir() / L.REGISTER_FILE, path)
    book = OpenpyxlBook.open(path)
    content = reminders(3)
    book.apply(Changes(sheets={L.REMINDER_SHEET: content}))
    book.save()
    ws = OpenpyxlBook.open(path).wb[L.REMINDER_SHEET]
    width = len(L.REMINDER_HEADERS)
    boxed = {2 + r for first, last in content.boxes for r in range(first, last + 1)}
    for r in range(2, 2 + len(content.rows)):
        for c in range(1, width + 1):
            assert (ws.cell(r, c).border.top.style == "thin") == (r in boxed), (r, c)  # merged too
    merged = {str(m) for m in ws.merged_cells.ranges}
    for i, height in content.wide_rows.items():
        assert f"A{i + 2}:{chr(64 + width)}{i + 2}" in merged
        text = str(content.rows[i][0] or "")  # a line without a height is as tall as its text wraps
        assert ws.row_dimensions[i + 2].height == (height or wide_row_height(text, content.widths, width))
        assert ws.row_dimensions[i + 2].height >= 15
    texts = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert texts.count(L.REMINDER_REPLY) == texts.count(L.REMINDER_SIGN) == 2
    fonts = {c.font.name for row in ws.iter_rows(max_col=width) for c in row if c.value is not None}
    assert fonts == {L.FONT_NAME} and ws["A1"].font.b


def _desktop_calls(cases: int) -> tuple[Counter, list[dict]]:
    """The desktop path's calls, recorded through xlwings' remote engine (which speaks the same
    Range API and logs every call as an action instead of running it)."""
    workbook = RemoteWorkbook(template_dir() / L.REGISTER_FILE)
    book = XlwingsBook(workbook.book)
    book.remote = False  # take the desktop path
    book.apply(Changes(sheets={L.REMINDER_SHEET: reminders(cases)}))
    actions = workbook.actions
    return Counter(a["func"] for a in actions), actions


def test_the_live_adapter_asks_excel_for_the_same_boxes_one_call_per_block():
    counts, actions = _desktop_calls(3)
    content = reminders(3)
    assert counts["setValues"] == 1  # every value in one write
    assert counts["rangeMerge"] == counts["setWrapText"] == len(content.wide_rows)
    bordered = {
        (a["start_row"], a["row_count"], a["column_count"]) for a in actions if a["func"] == "setBorderProperty"
    }
    width = len(L.REMINDER_HEADERS)  # sheet rows are 0-based here; rows[0] is under the title
    assert bordered == {(first + 1, last - first + 1, width) for first, last in content.boxes}
    fonts = [a for a in actions if a["func"] == "setFontProperty" and a["args"][0] == "name"]
    assert [(a["args"][1], a["row_count"]) for a in fonts] == [(L.FONT_NAME, len(content.rows) + 1)]


def test_the_live_adapters_calls_do_not_grow_with_the_number_of_cases():
    assert _desktop_calls(2)[0] == _desktop_calls(40)[0]
