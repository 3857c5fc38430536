"""The ribbon's 服务 group (issue 11) end to end on a service workbook served by xlwings' remote
engine: each button runs the CLI command's action on the open workbook and writes in bulk."""

from __future__ import annotations

import shutil
from datetime import datetime

import pytest

from complaint_kit import layout as L
from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
from complaint_kit.adapters.register_file import RegisterFile
from complaint_kit.adapters.xlwings_book import XlwingsBook
from complaint_kit.addin import handlers
from complaint_kit.ports import Changes
from tests.actions.test_service_typed import typed_call
from tests.adapters.remote import RemoteWorkbook
from tests.addin import test_dispatch
from tests.e2e.test_cli import run

office = test_dispatch.office
click = test_dispatch.click
WHEN = datetime(2026, 11, 23, 17, 0)


@pytest.fixture
def centre(office):
    """A centre's workbook with its technician and the day's calls typed in, as a clerk leaves it."""
    wb = office / "南山" / L.SERVICE_FILE
    run("service", "new", wb)
    clerk = OpenpyxlBook.open(wb)
    clerk.apply(
        Changes(
            tables={
                L.SERVICE_STAFF_TABLE: [["李工", "技术员", "南山", None]],
                L.CALLS_TABLE: [
                    typed_call(客户="华星", 区域="市区", 类别="A", 叫修时间="2026-11-23 9:30"),
                    typed_call(
                        客户="蓝天",
                        区域="郊区",
                        类别="A",
                        叫修时间="2026-11-23 8:40",
                        技术员="李工",
                        到达时间="2026-11-23 14:00",
                        完成时间="2026-11-23 16:00",
                        收费金额="300元",
                    ),
                ],
            }
        )
    )
    clerk.save()
    return wb


def test_record_typed_rows_in_excel_equals_the_cli_on_the_file(centre, monkeypatch, tmp_path):
    copy = tmp_path / "copy" / L.SERVICE_FILE
    copy.parent.mkdir()
    shutil.copyfile(centre, copy)
    wb = RemoteWorkbook(centre)
    outcome, counts, text = click(monkeypatch, wb, "ck_service_update", now=WHEN)
    assert outcome.ok and "J2611001" in text and "J2611002" in text, text
    assert counts["setValues"] <= 6  # the typed rows written back in bulk, not cell by cell
    run("service", "update", copy, "--now", WHEN.isoformat(), "--user", "王静")
    wb.sync()
    live = XlwingsBook(wb.book).read_table(L.CALLS_TABLE).records()
    on_file = RegisterFile.open(copy).read_table(L.CALLS_TABLE).records()
    assert [(r["叫修编号"], r["状态"], r["时效"], r["收费方式"]) for r in live] == [
        ("J2611001", "待派工", "逾期", None),
        ("J2611002", "已注销", "按时到达", "现场收费"),
    ]
    keys = ("叫修编号", "状态", "时效", "到达期限", "派工时间", "到达时间", "完成时间", "收费方式")
    assert [[r[k] for k in keys] for r in live] == [[r[k] for k in keys] for r in on_file]


def test_a_refused_row_writes_nothing_in_excel(centre, monkeypatch):
    clerk = OpenpyxlBook.open(centre)
    clerk.apply(Changes(tables={L.CALLS_TABLE: [typed_call(客户="华星", 区域="乡下", 类别="A")]}))
    clerk.save()
    outcome, counts, text = click(monkeypatch, RemoteWorkbook(centre), "ck_service_update", now=WHEN)
    assert not outcome.ok and counts == {"alert": 1}
    assert "未写入任何内容" in text and "叫修登记簿!F2" in text and "乡下" in text


def test_day_notices_papers_and_month_buttons(centre, monkeypatch):
    run("service", "update", centre, "--now", WHEN.isoformat())  # saved: what each click below opens
    wb = RemoteWorkbook(centre)
    outcome, _, text = click(monkeypatch, wb, "ck_service_day", now=WHEN)
    assert outcome.ok, text
    wb.sync()
    assert L.DAY_REPORT_SHEET in [s.name for s in wb.book.sheets]
    outcome, _, text = click(monkeypatch, wb, "ck_service_notices", now=WHEN)
    assert outcome.ok, text

    monkeypatch.setattr(handlers, "_saved_file", lambda ctx: centre)  # the remote engine knows no path
    selected = RemoteWorkbook(centre, selection=(L.CALLS_SHEET, "D3"))
    outcome, _, text = click(monkeypatch, selected, "ck_service_papers", now=WHEN)
    assert outcome.ok and "J2611002" in text, text
    assert (centre.parent / L.service_papers_file_name("J2611002")).exists()
    run("service", "complaint", centre, "--customer", "华星", "--text", "迟到", "--serious", "--now", WHEN.isoformat())
    run("service", "answer", centre, "TS2611001", "--outcome", "改派", "--by", "副总经理", "--reply", "书面")
    letter = RemoteWorkbook(centre, selection=(L.SERVICE_COMPLAINTS_SHEET, "E2"))  # a complaint's row: its letter
    outcome, _, text = click(monkeypatch, letter, "ck_service_papers", now=WHEN)
    assert outcome.ok and (centre.parent / L.service_papers_file_name("TS2611001")).exists(), text
    header = RemoteWorkbook(centre, selection=(L.CALLS_SHEET, "B1"))
    outcome, _, text = click(monkeypatch, header, "ck_service_papers", now=WHEN)
    assert not outcome.ok and "请先选中一件叫修或投诉所在的行" in text

    outcome, _, text = click(monkeypatch, RemoteWorkbook(centre), "ck_service_month", now=datetime(2026, 12, 1, 9))
    assert outcome.ok and "2026-11" in text, text
    report = OpenpyxlBook.open(centre.parent / L.service_month_file_name("2026-11")).wb
    values = [c.value for row in report["技术员月考核"].iter_rows() for c in row]
    assert "李工" in values and "南山" in values


def test_verify_button_names_a_cell_edited_in_excel(centre, monkeypatch):  # S18
    run("service", "update", centre, "--now", WHEN.isoformat())
    outcome, counts, text = click(monkeypatch, RemoteWorkbook(centre), "ck_service_verify", now=WHEN)
    assert outcome.ok and counts == {"alert": 1} and "未发现问题" in text, text
    clerk = OpenpyxlBook.open(centre)
    rows = [list(r) for r in clerk.read_table(L.CALLS_TABLE).rows]
    rows[1][L.CALLS_HEADERS.index("收费方式")] = "不收费"
    clerk.apply(Changes(tables={L.CALLS_TABLE: rows}))
    clerk.save()
    outcome, counts, text = click(monkeypatch, RemoteWorkbook(centre), "ck_service_verify", now=WHEN)
    assert not outcome.ok and counts == {"alert": 1} and "叫修登记簿!T3" in text and "收费方式" in text, text


def test_service_buttons_refuse_other_workbooks(office, monkeypatch):
    outcome, _, text = click(monkeypatch, RemoteWorkbook(office / L.REGISTER_FILE), "ck_service_update")
    assert outcome is None and "请在服务中心登记簿中使用" in text
