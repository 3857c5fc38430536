"""The live adapter's desktop-Excel path (Windows COM and macOS AppleScript dialects), run against a
fake of Excel's object model that refuses changes to protected sheets as Excel does
(``tests/adapters/desktop.py``): protection is lifted around our writes and put back after, finished
sections are locked over their whole merged area, and nothing is recorded as skipped."""

from __future__ import annotations

from datetime import datetime

import pytest

from complaint_kit import layout as L
from complaint_kit.actions.forms import accept_form, complete_stage, new_form
from complaint_kit.adapters.xlwings_book import XlwingsBook
from complaint_kit.domain.rules import Stage
from complaint_kit.ports import Changes, SheetContent
from complaint_kit.templates import template_dir
from tests.actions.test_lifecycle import INTAKE, SECTIONS
from tests.adapters.desktop import DesktopExcel, ProtectedSheetError
from tests.conftest import KEY

FORM_SHEET = "客户抱怨处理表"
REGISTER_SHEET = "登记追踪表"
ROUTING_SHEET = "流转记录"


@pytest.fixture(params=[True, False], ids=["windows", "macos"])
def windows(request) -> bool:
    return request.param


def open_desktop(file: str, windows: bool) -> tuple[DesktopExcel, XlwingsBook]:
    excel = DesktopExcel(template_dir() / file, windows=windows)
    return excel, XlwingsBook(excel.book, windows=windows)


def test_the_fake_refuses_a_write_to_a_locked_cell_of_a_protected_sheet_as_excel_does(windows):
    excel, _ = open_desktop(L.FORM_FILE, windows)
    assert excel.protected(FORM_SHEET)
    with pytest.raises(ProtectedSheetError):
        excel.book.sheets[FORM_SHEET].range("B2").value = "261101"  # CaseNo: a locked, computed cell


def test_a_write_to_a_protected_sheet_lifts_its_protection_and_puts_it_back(windows):
    excel, book = open_desktop(L.FORM_FILE, windows)
    book.apply(Changes(names={"CaseNo": "261101", "Customer": "华星光电"}))
    assert book.read_names(["CaseNo", "Customer"]) == {"CaseNo": "261101", "Customer": "华星光电"}
    assert excel.calls == [(FORM_SHEET, "unprotect"), (FORM_SHEET, "protect")]
    assert excel.protected(FORM_SHEET)


def test_a_sheet_that_was_not_protected_is_not_protected_after_a_write(windows):
    excel, book = open_desktop(L.FORM_FILE, windows)
    assert not excel.protected(ROUTING_SHEET)
    book.apply(Changes(tables={L.FORM_LOG_TABLE: [[datetime(2026, 11, 23, 9, 5), "业务", "新建表单", "李强", ""]]}))
    assert book.read_table(L.FORM_LOG_TABLE).rows[0][3] == "李强"
    assert excel.calls == [] and not excel.protected(ROUTING_SHEET)


def test_locking_a_finished_field_locks_and_colours_its_whole_merged_area(windows):  # C6: finished sections
    excel, book = open_desktop(L.FORM_FILE, windows)
    book.apply(Changes(lock={"Description"}))
    assert book.skipped == []
    description, quality = (book.locate_name(n).split("!")[1] for n in ("Description", "QualityCause"))
    row = description.lstrip("ABCDEFGH")
    area = excel.book.sheets[FORM_SHEET].range(f"B{row}:H{row}")
    assert area.api.Locked is True and area.color == "#" + L.FINISHED_RGB
    assert excel.book.sheets[FORM_SHEET].range(quality).api.Locked is False  # QualityCause: still open
    assert book.locked_names(["Description", "QualityCause"]) == {"Description"}
    assert excel.protected(FORM_SHEET)


def test_protection_is_put_back_when_a_write_fails(windows):
    excel, book = open_desktop(L.REGISTER_FILE, windows)
    with pytest.raises(ValueError, match="columns"):
        book.apply(Changes(tables={L.SERIALS_TABLE: [["2611"]]}))  # one value for a two-column table
    serials_sheet = excel.calls[0][0]
    assert excel.calls == [(serials_sheet, "unprotect"), (serials_sheet, "protect")]
    assert excel.protected(serials_sheet)


def test_a_generated_sheet_gets_its_column_widths_on_the_desktop(windows):
    excel, book = open_desktop(L.REGISTER_FILE, windows)
    book.apply(Changes(sheets={L.REMINDER_SHEET: SheetContent("催办单", [["a", "b"]], (12.0, 30.0))}))
    ws = excel.wb[L.REMINDER_SHEET]
    assert (ws.column_dimensions["A"].width, ws.column_dimensions["B"].width) == (12.0, 30.0)
    assert [r for r in ws.iter_rows(values_only=True)] == [("催办单", None), ("a", "b")]


def test_a_ribbon_accept_and_completion_on_desktop_excel_lock_the_section_and_keep_sheets_protected(windows):
    """The ribbon's path end to end: accept (C3, C6) and complete Quality (C7) through the adapter."""
    form_excel, form = open_desktop(L.FORM_FILE, windows)
    register_excel, register = open_desktop(L.REGISTER_FILE, windows)
    assert new_form(form, values=INTAKE, now=datetime(2026, 11, 23, 9, 5)).ok
    accepted = accept_form(form, register, now=datetime(2026, 11, 23, 11, 30), user="王静", key=KEY)
    assert accepted.ok, [p.render() for p in accepted.problems]
    form.apply(Changes(names=SECTIONS[Stage.QUALITY]))
    done = complete_stage(
        form, stage=Stage.QUALITY, by="张敏", now=datetime(2026, 11, 24, 10, 0), register=register, user="王静", key=KEY
    )
    assert done.ok, [p.render() for p in done.problems]
    again = XlwingsBook(form_excel.book, windows=windows)
    assert again.read_names(["CaseNo", "QualityDoneAt"]) == {
        "CaseNo": "261101",
        "QualityDoneAt": datetime(2026, 11, 24, 10, 0),
    }
    assert {"Customer", "QualityCause"} <= again.locked_names(["Customer", "QualityCause", "MfgCause"])
    assert "MfgCause" not in again.locked_names(["MfgCause"])
    assert form.skipped == [] and register.skipped == []
    assert form_excel.protected(FORM_SHEET) and register_excel.protected(REGISTER_SHEET)
