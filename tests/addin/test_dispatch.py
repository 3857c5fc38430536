"""Ribbon buttons end to end: ``dispatch(button_id)`` with ``xw.Book.caller`` pointed at a
workbook served by xlwings' remote engine (the stand-in for Excel here), counting what is
written back (bulk: a handful of range writes per click, whatever the register's size)."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
import xlwings as xw

from complaint_kit import layout as L
from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
from complaint_kit.adapters.xlwings_book import XlwingsBook
from complaint_kit.addin import dispatch
from complaint_kit.addin import runner as runner_module
from complaint_kit.config import write_conf
from complaint_kit.demo import run_demo
from complaint_kit.ports import Changes
from tests.adapters.remote import RemoteWorkbook, require_license
from tests.conftest import KEY
from tests.e2e.test_cli import new_form, run, type_in

NOW = datetime(2026, 11, 23, 11, 30)


@pytest.fixture
def office(tmp_path, monkeypatch):
    require_license()
    run("init", tmp_path / "office")
    conf = tmp_path / "complaint_kit.conf"
    write_conf(
        conf,
        {
            "REGISTER": str(tmp_path / "office" / L.REGISTER_FILE),
            "USER": "王静",
            "FORMS_DIR": str(tmp_path / "office" / L.FORMS_DIR),
        },
    )
    monkeypatch.setenv("COMPLAINT_KIT_CONF", str(conf))
    monkeypatch.setattr(runner_module, "log_path", lambda: tmp_path / "addin.log")
    return tmp_path / "office"


def click(monkeypatch, workbook: RemoteWorkbook, button: str, now=NOW):
    """The user clicks ``button`` with ``workbook`` active."""
    monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: workbook.book))
    outcome = runner_module.run_button(button, now=now)
    actions = workbook.actions
    alerts = [a for a in actions if a["func"] == "alert"]
    assert len(alerts) == 1, "every click ends with exactly one message box"
    return outcome, Counter(a["func"] for a in actions), alerts[0]["args"][0]


def test_dispatch_uses_the_calling_book(office, monkeypatch):
    wb = RemoteWorkbook(new_form(office))
    monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: wb.book))
    outcome = dispatch("ck_validate")
    assert outcome is not None and outcome.ok


def test_validate_writes_nothing_and_says_so_in_chinese(office, monkeypatch):
    path = new_form(office)
    type_in(path, DefectQty=5000)
    wb = RemoteWorkbook(path)
    outcome, counts, text = click(monkeypatch, wb, "ck_validate")
    assert not outcome.ok and counts == {"alert": 1}
    assert "不良数量" in text and "客户抱怨处理表!B6" in text and "defective" not in text


def test_accept_numbers_the_form_in_excel_and_logs_the_register_file(office, monkeypatch):
    form = new_form(office)
    wb = RemoteWorkbook(form)
    outcome, counts, text = click(monkeypatch, wb, "ck_accept")
    assert outcome.ok and "261101" in text
    assert counts["setValues"] <= 12  # one write per row of changed fields, not per cell
    wb.sync()
    live = XlwingsBook(wb.book)
    assert live.read_names(["CaseNo", "QualityDueAt"]) == {
        "CaseNo": "261101",
        "QualityDueAt": datetime(2026, 11, 24, 11, 30),
    }
    rows = OpenpyxlBook.open(office / L.REGISTER_FILE).read_table(L.REGISTER_TABLE).records()
    assert [r["客诉编号"] for r in rows] == ["261101"] and rows[0]["表单文件"] == form.name


def test_complete_stamps_the_open_stage_in_the_users_name(office, monkeypatch):
    wb = RemoteWorkbook(new_form(office))
    click(monkeypatch, wb, "ck_accept")
    wb.sync()
    XlwingsBook(wb.book).apply(Changes(names={"QualityCause": "电镀", "ResponsibleUnit": "制造部", "RnDNeeded": "否"}))
    wb.sync()  # the quality clerk typed the section
    outcome, counts, text = click(monkeypatch, wb, "ck_complete", now=datetime(2026, 11, 24, 10, 0))
    assert outcome.ok and "品管分析" in text and counts["setValues"] <= 12
    wb.sync()
    values = XlwingsBook(wb.book).read_names(["QualityDoneAt", "QualityBy", "ManufacturingDueAt", "RnDBy"])
    assert values == {
        "QualityDoneAt": datetime(2026, 11, 24, 10, 0),
        "QualityBy": "王静",
        "ManufacturingDueAt": datetime(2026, 11, 25, 10, 0),
        "RnDBy": "不需要",
    }


def test_a_button_on_the_wrong_workbook_explains_itself(office, monkeypatch):
    wb = RemoteWorkbook(new_form(office))
    outcome, counts, text = click(monkeypatch, wb, "ck_refresh")
    assert outcome is None and counts == {"alert": 1} and "登记追踪表" in text


def test_an_unknown_button_and_a_crash_become_messages_not_tracebacks(office, monkeypatch, tmp_path):
    wb = RemoteWorkbook(new_form(office))
    outcome, _, text = click(monkeypatch, wb, "ck_no_such_button")
    assert outcome is None and "未知按钮" in text
    (office / L.REGISTER_FILE).write_text("not a workbook")
    wb = RemoteWorkbook(new_form(office, name="f2.xlsx"))
    outcome, counts, text = click(monkeypatch, wb, "ck_accept")
    assert outcome is None and "操作未完成" in text and "Traceback" not in text
    assert counts == {"alert": 1}
    assert "Traceback" in (tmp_path / "addin.log").read_text(encoding="utf-8")


def _register_with(rows: int, tmp_path: Path) -> Path:
    from benchmarks.bench_refresh import make_register

    path = tmp_path / f"register-{rows}.xlsx"
    make_register(path, rows)
    return path


def test_refresh_costs_the_same_handful_of_writes_for_10_or_300_cases(office, monkeypatch, tmp_path):
    counts = []
    for rows in (10, 300):
        wb = RemoteWorkbook(_register_with(rows, tmp_path))
        outcome, count, text = click(monkeypatch, wb, "ck_refresh", now=datetime(2026, 12, 1, 10, 0))
        assert outcome.ok and "已刷新" in text
        counts.append(count)
    assert counts[0] == counts[1]
    assert sum(counts[1].values()) <= 16, counts[1]  # two generated sheets (催办单, 在办案件), whatever the rows


def test_refresh_in_excel_matches_refresh_on_the_file(office, monkeypatch, tmp_path):
    run_demo(tmp_path / "demo", echo=lambda _: None)
    monkeypatch.setenv("COMPLAINT_KIT_KEY_FILE", str(tmp_path / "demo" / "demo-signing.key"))  # the demo's office key
    reg = tmp_path / "demo" / L.REGISTER_FILE
    file_copy = tmp_path / "copy.xlsx"
    shutil.copyfile(reg, file_copy)
    wb = RemoteWorkbook(reg)
    when = datetime(2026, 11, 20, 9, 0)
    outcome, _, _ = click(monkeypatch, wb, "ck_refresh", now=when)
    run("refresh", file_copy, "--now", when.isoformat(), "--user", "王静")
    wb.sync()
    live = XlwingsBook(wb.book).read_table(L.REGISTER_TABLE)
    on_file = OpenpyxlBook.open(file_copy).read_table(L.REGISTER_TABLE)
    status = live.headers.index("时效")
    assert [r[status] for r in live.rows] == [r[status] for r in on_file.rows]
    assert outcome.data["counts"]["overdue"] >= 1


def test_new_form_button_creates_a_prefilled_form_in_the_forms_folder(office, monkeypatch):
    wb = RemoteWorkbook(office / L.REGISTER_FILE)  # any workbook may be active
    outcome, counts, text = click(monkeypatch, wb, "ck_new_form")
    assert outcome.ok and counts == {"alert": 1}
    created = list((office / L.FORMS_DIR).glob(f"{L.ADDIN_NEW_FORM_PREFIX}-*.xlsx"))
    assert len(created) == 1 and created[0].name in text
    assert OpenpyxlBook.open(created[0]).read_names(["SalesRep", "Status"]) == {"SalesRep": "王静", "Status": "草稿"}


def test_reopen_button_writes_a_linked_form(office, monkeypatch):
    from complaint_kit.actions.forms import accept_form, complete_stage
    from tests.actions.test_lifecycle import FULL, SECTIONS

    form = new_form(office)
    book = OpenpyxlBook.open(form)
    reg = OpenpyxlBook.open(office / L.REGISTER_FILE)
    assert accept_form(book, reg, now=NOW, user="王静", key=KEY).ok
    for stage, at in FULL:
        book.apply(Changes(names=SECTIONS[stage]))
        assert complete_stage(book, stage=stage, by="x", now=datetime.fromisoformat(at)).ok
    book.save()
    wb = RemoteWorkbook(form)
    outcome, _, text = click(monkeypatch, wb, "ck_reopen", now=datetime(2026, 12, 3, 9, 0))
    assert outcome.ok and "重开" in text
    new = office / L.FORMS_DIR / f"{form.stem}-重开.xlsx"
    assert OpenpyxlBook.open(new).read_names(["OriginalCaseNo"]) == {"OriginalCaseNo": "261101"}


def test_settings_button_shows_the_configuration_in_effect(office, monkeypatch):
    wb = RemoteWorkbook(office / L.REGISTER_FILE)
    outcome, counts, text = click(monkeypatch, wb, "ck_settings")
    assert outcome.ok and "王静" in text and L.REGISTER_FILE in text and counts == {"alert": 1}
