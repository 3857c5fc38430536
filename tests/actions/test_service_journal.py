"""The service workbook's journal (S18; DESIGN.md: every change to a register is journaled):
what the kit writes is journaled in the same write, and ``verify`` names what changed since."""

from __future__ import annotations

from datetime import datetime

import pytest

from complaint_kit import layout as L
from complaint_kit.actions.service import arrive_call, dispatch_call, log_call
from complaint_kit.actions.service_journal import journaled, verify_service
from complaint_kit.actions.service_typed import record_typed
from complaint_kit.adapters.memory import MemoryBook
from complaint_kit.ports import Changes, TableData
from tests.actions.test_service_typed import type_rows, typed_call
from tests.conftest import memory_from_template

NOW = datetime(2026, 11, 23, 10, 0)


@pytest.fixture
def book():
    b = memory_from_template(L.SERVICE_FILE)
    b.apply(Changes(tables={L.SERVICE_STAFF_TABLE: [["李工", "技术员", "南山", None]]}))
    return b


def run(book, command, act, now=NOW):
    return journaled(book, act, by="周主任", command=command, now=now)


def journal(book) -> list[list]:
    return book.read_table(L.SERVICE_JOURNAL_TABLE).rows


def test_each_write_and_its_journal_entries_are_one_write(book):  # S18
    writes = len(book.applied)
    out = run(book, "叫修 service call", lambda b: log_call(b, customer="华星", zone="市区", category="A", now=NOW))
    assert out.ok and len(book.applied) == writes + 1
    entries = journal(book)
    assert [(e[1], e[2], e[3], e[4]) for e in entries] == [
        ("周主任", "叫修 service call", L.CALLS_SHEET, "J2611001"),
        ("周主任", "叫修 service call", L.SERIALS_SHEET, "2611"),
    ]
    assert entries[0][0] == NOW and len(entries[1][6]) == 16
    refused = run(book, "派工 service dispatch", lambda b: dispatch_call(b, "J2611001", technician="王五", now=NOW))
    assert not refused.ok and len(journal(book)) == 2 and len(book.applied) == writes + 1  # nothing at all
    run(book, "派工 service dispatch", lambda b: dispatch_call(b, "J2611001", technician="李工", now=NOW))
    assert [e[4] for e in journal(book)] == ["J2611001", "2611", "J2611001"]  # the serials did not change
    checked = verify_service(book)
    assert checked.ok and checked.data == {"entries": 3, "rows": 2, "findings": 0}


def test_verify_names_cells_edited_rows_deleted_numbers_typed_and_a_broken_chain(book):  # S18
    for customer in ("华星", "蓝天"):
        run(book, "叫修", lambda b, c=customer: log_call(b, customer=c, zone="市区", category="A", now=NOW))
    run(book, "派工", lambda b: dispatch_call(b, "J2611001", technician="李工", now=NOW))
    calls = book.tables[L.CALLS_TABLE]
    h = calls.headers.index
    calls.rows[0][h("到达期限")] = datetime(2026, 11, 24, 17, 0)  # someone moves a deadline by hand
    calls.rows[0][h("技术员")] = "王五"
    type_rows(book, L.CALLS_TABLE, [typed_call(叫修编号="J2611009", 客户="己", 区域="市区", 类别="B")])
    book.tables[L.CALLS_TABLE] = TableData(
        calls.headers, [r for r in book.tables[L.CALLS_TABLE].rows if r[0] != "J2611002"]
    )
    found = {(p.code, p.where) for p in verify_service(book).problems}
    assert found == {
        ("E-SERVICE-EDITED", f"{L.CALLS_TABLE}[到达期限]#1"),
        ("E-SERVICE-UNRECORDED", f"{L.CALLS_TABLE}[叫修编号]#2"),
        ("E-SERVICE-DELETED", L.SERVICE_FILE),
    }
    edited = next(p for p in verify_service(book).problems if p.code == "E-SERVICE-EDITED")
    assert "到达期限、技术员" in edited.zh
    book.tables[L.SERVICE_JOURNAL_TABLE].rows[1][1] = "别人"  # the journal itself edited
    broken = [p for p in verify_service(book).problems if p.code == "E-SERVICE-JOURNAL-BROKEN"]
    assert [p.where for p in broken] == [f"{L.SERVICE_JOURNAL_TABLE}[哈希]#2"]  # named once, not every entry after


def test_typed_rows_are_journaled_as_recorded_and_pending_ones_are_named(book):  # S18
    type_rows(book, L.CALLS_TABLE, [typed_call(客户="华星", 区域="市区", 类别="A", 技术员="李工")])
    assert run(book, "登记手填内容", lambda b: record_typed(b, now=NOW)).ok
    assert verify_service(book).ok
    book.tables[L.CALLS_TABLE].rows[0][L.CALLS_HEADERS.index("到达时间")] = "2026-11-23 11:00"  # typed, pending
    pending = verify_service(book).problems
    assert [p.code for p in pending] == ["E-SERVICE-EDITED"] and "登记手填内容" in pending[0].zh
    assert run(book, "登记手填内容", lambda b: record_typed(b, now=datetime(2026, 11, 23, 12))).ok
    assert verify_service(book).ok
    assert arrive_call(book, "J2611001", now=NOW).ok is False  # already arrived: refused, nothing to journal


def test_a_workbook_made_before_the_journal_is_written_with_a_warning_and_cannot_be_verified():  # S18
    old = memory_from_template(L.SERVICE_FILE)
    del old.tables[L.SERVICE_JOURNAL_TABLE]
    out = run(old, "叫修", lambda b: log_call(b, customer="华星", zone="市区", category="A", now=NOW))
    assert out.ok and [p.code for p in out.problems] == ["W-SERVICE-NO-JOURNAL"]
    assert old.read_table(L.CALLS_TABLE).rows[0][0] == "J2611001"
    assert [p.code for p in verify_service(old).problems] == ["E-SERVICE-NO-JOURNAL"]
    assert isinstance(old, MemoryBook)
