"""The ribbon's accept honours the register lock like the CLI (issue 6): a register another
clerk's command holds, or that a person has open in Excel elsewhere, is a Chinese message box,
and neither the form nor the register changes."""

from __future__ import annotations

import pytest

from complaint_kit import layout as L
from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
from complaint_kit.adapters.xlwings_book import XlwingsBook
from tests.adapters.remote import RemoteWorkbook
from tests.addin.test_dispatch import click, office  # noqa: F401 (office is a fixture)
from tests.e2e.test_cli import new_form
from tests.store.test_lock import excel_owner_file
from tests.store.test_lock import plant as plant_lock


def _unchanged(office_path, wb) -> None:
    rows = OpenpyxlBook.open(office_path / L.REGISTER_FILE).read_table(L.REGISTER_TABLE).records()
    assert rows == []
    wb.sync()
    assert not XlwingsBook(wb.book).read_names(["CaseNo"])["CaseNo"]


def test_accept_waits_then_refuses_a_register_held_by_another_command(office, monkeypatch):  # noqa: F811
    monkeypatch.setenv("COMPLAINT_KIT_LOCK_WAIT", "0.2")
    plant_lock(office / L.REGISTER_FILE)
    wb = RemoteWorkbook(new_form(office))
    outcome, counts, text = click(monkeypatch, wb, "ck_accept")
    assert outcome is not None and not outcome.ok
    assert "李四" in text and "未写入" in text
    assert counts.get("setValues", 0) == 0
    _unchanged(office, wb)


def test_accept_refuses_a_register_open_in_excel_on_another_pc(office, monkeypatch):  # noqa: F811
    register = office / L.REGISTER_FILE
    (office / f"~${register.name}").write_bytes(excel_owner_file("张敏"))
    wb = RemoteWorkbook(new_form(office))
    outcome, _, text = click(monkeypatch, wb, "ck_accept")
    assert outcome is not None and not outcome.ok and "张敏" in text
    _unchanged(office, wb)


@pytest.fixture(autouse=True)
def _no_stale_lock_left(office):  # noqa: F811
    yield
    assert not list(office.glob(".*.ck-tmp"))
