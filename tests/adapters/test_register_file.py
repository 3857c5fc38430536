"""The fast register engine (issue 10) against openpyxl, on real files.

Every write here goes through both engines from the same file: :class:`RegisterFile` (calamine
read, rows patched into the package) and :class:`OpenpyxlBook` (load, write, save). The results
are read back with openpyxl and compared cell by cell — value, number format, font, border,
alignment — together with merged cells, tables, conditional formats, validations, widths,
heights, freeze panes and page setup. A Hypothesis property runs random sequences of appends,
updates and shrinks through both. LibreOffice opens what the patcher wrote.
"""

from __future__ import annotations

import shutil
import zipfile
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from benchmarks.bench_refresh import add_history, make_register
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaint_kit import layout as L
from complaint_kit.adapters import xlsx_patch as xp
from complaint_kit.adapters.openpyxl_book import OpenpyxlBook, open_checked
from complaint_kit.adapters.register_file import RegisterFile
from complaint_kit.ports import Changes, Formula, SheetContent, TableData, TableTail, read_tail
from complaint_kit.templates import template_dir


# ---------------------------------------------------------------------------------------------
# helpers
def snapshot(path: Path) -> dict[str, Any]:
    """Everything a clerk sees of a workbook, read back with openpyxl."""
    wb = openpyxl.load_workbook(path)
    out: dict[str, Any] = {"sheets": wb.sheetnames}
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is None and not c.has_style:
                    continue
                value = c.value
                cells[c.coordinate] = (
                    value,
                    type(value).__name__,
                    c.number_format,
                    bool(c.font.b),
                    c.font.sz,
                    c.font.name,
                    c.border.left.style,
                    bool(c.alignment.wrap_text),
                    c.alignment.vertical,
                    c.protection.locked,
                    c.fill.fgColor.rgb if c.fill.fill_type else None,
                )
        out[ws.title] = {
            "cells": cells,
            "merged": sorted(map(str, ws.merged_cells.ranges)),
            "tables": {n: ws.tables[n].ref for n in ws.tables},
            "cf": sorted((str(cf.sqref), len(cf.rules)) for cf in ws.conditional_formatting),
            "dv": sorted(str(d.sqref) for d in ws.data_validations.dataValidation),
            "widths": {k: v.width for k, v in ws.column_dimensions.items()},
            "heights": {k: v.height for k, v in ws.row_dimensions.items() if v.height},
            "freeze": ws.freeze_panes,
            "titles": ws.print_title_rows,
            "setup": (ws.page_setup.orientation, ws.page_setup.paperSize, ws.page_setup.fitToWidth),
        }
    return out


def assert_same(fast: Path, slow: Path) -> None:
    a, b = snapshot(fast), snapshot(slow)
    assert a["sheets"] == b["sheets"]
    for sheet in b["sheets"]:
        for key, expected in b[sheet].items():
            got = a[sheet][key]
            if key == "cells":
                diff = sorted(c for c in set(got) | set(expected) if got.get(c) != expected.get(c))
                assert not diff, f"{sheet}: {[(c, got.get(c), expected.get(c)) for c in diff[:5]]}"
            else:
                assert got == expected, f"{sheet} {key}"


def write_both(base: Path, tmp: Path, *changes: Changes) -> tuple[Path, Path, RegisterFile]:
    """``changes`` applied by each engine to a copy of ``base``; returns the two files."""
    fast_path, slow_path = tmp / "fast.xlsx", tmp / "slow.xlsx"
    shutil.copyfile(base, fast_path)
    shutil.copyfile(base, slow_path)
    fast = RegisterFile.open(fast_path)
    slow = OpenpyxlBook.open(slow_path)
    for change in changes:
        fast.apply(change)
        slow.apply(change)
    fast.save()
    slow.save()
    return fast_path, slow_path, fast


@pytest.fixture(scope="module")
def small_register(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("reg") / L.REGISTER_FILE
    make_register(path, 60)
    return path


@pytest.fixture(scope="module")
def template_register() -> Path:
    return template_dir() / L.REGISTER_FILE


def register_row(book: Any, **values: Any) -> list[Any]:
    headers = book.read_table(L.REGISTER_TABLE).headers
    by_attr = {c.header: c.attr for c in L.REGISTER_COLUMNS}
    return [values.get(by_attr.get(h, "")) for h in headers]


# ---------------------------------------------------------------------------------------------
# reading
@pytest.mark.parametrize("which", ["small_register", "template_register"])
def test_every_table_reads_as_openpyxl_reads_it(which, request):
    path = request.getfixturevalue(which)
    fast, slow = RegisterFile.open(path), OpenpyxlBook.open(path)
    assert fast.tables == set(slow._tables)
    for table in fast.tables:
        a, b = fast.read_table(table), slow.read_table(table)
        assert a.headers == b.headers, table
        assert a.rows == b.rows, table
        assert [[type(v) for v in r] for r in a.rows] == [[type(v) for v in r] for r in b.rows], table
        for header in a.headers[:3]:
            assert fast.locate_table_cell(table, 4, header) == slow.locate_table_cell(table, 4, header)
    assert fast.check_tables({L.REGISTER_TABLE: L.REGISTER_HEADERS[:5]}) == []


def test_a_table_whose_first_columns_are_empty_reads_as_openpyxl_reads_it(tmp_path):
    """calamine hands rows over from the first used column: the columns before it are blank."""
    from openpyxl.worksheet.table import Table

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [[None, None, "b", "c"], [None, None, 1, datetime(2026, 1, 2, 3, 4)], [None, None, "x", None]]:
        ws.append(row)
    ws["E7"] = "beyond"
    ws.add_table(Table(displayName="Odd", ref="A1:D3"))
    wb.save(tmp_path / "odd.xlsx")
    fast, slow = RegisterFile.open(tmp_path / "odd.xlsx"), OpenpyxlBook.open(tmp_path / "odd.xlsx")
    assert fast.read_table("Odd") == slow.read_table("Odd")
    assert fast.read_table("Odd").headers == ("None", "None", "b", "c")


ESCAPED = ["ACME_x0041_Co", "第一行_x000B_第二行 &amp; <b>", "x005F_x", "_x005F_x0041_"]


def test_text_with_excels_escapes_reads_as_stored(tiny_register, tmp_path):
    """``_x000B_`` is how Excel stores a control character; calamine decodes it, openpyxl keeps an
    inline string as stored: the engine reads such text as openpyxl does (the seals were made over
    openpyxl's reading), so verify stays clean."""
    book = RegisterFile.open(tiny_register)
    rows = book.read_table(L.REGISTER_TABLE).rows
    for i, text in enumerate(ESCAPED):
        rows[i][2] = text
    fast, slow, _ = write_both(tiny_register, tmp_path, Changes(tables={L.REGISTER_TABLE: rows}))
    assert_same(fast, slow)
    for path in (fast, slow):
        got = [r[2] for r in RegisterFile.open(path).read_table(L.REGISTER_TABLE).rows[:4]]
        assert got == ESCAPED == [r[2] for r in OpenpyxlBook.open(path).read_table(L.REGISTER_TABLE).rows[:4]]


def test_shared_strings_with_escapes_read_as_openpyxl_reads_them(tiny_register, tmp_path, libreoffice):
    """A register saved by an office program keeps its text as shared strings (LibreOffice, like
    Excel, writes ``_x005F_`` before a literal ``_x``): both engines read the same values."""
    book = OpenpyxlBook.open(tiny_register)
    rows = book.read_table(L.REGISTER_TABLE).rows
    for i, text in enumerate(ESCAPED):
        rows[i][2] = text
    book.apply(Changes(tables={L.REGISTER_TABLE: rows}))
    book.save(tmp_path / "typed.xlsx")
    saved = libreoffice(tmp_path / "typed.xlsx", "xlsx", tmp_path / "lo")
    with zipfile.ZipFile(saved) as zf:
        assert "xl/sharedStrings.xml" in zf.namelist()
    for table in (L.REGISTER_TABLE, L.SETTINGS_TABLE):
        assert RegisterFile.open(saved).read_table(table) == OpenpyxlBook.open(saved).read_table(table)


def test_calamine_values_become_openpyxl_values():
    from complaint_kit.adapters.register_file import convert_rows

    rows = [["", 3.0, 2.5, date(2026, 1, 2), "x", True], ["a", "", 1e16, datetime(2026, 1, 2, 9, 30), "", False]]
    assert convert_rows(rows, 0, 6, 6) == [
        (None, 3, 2.5, datetime(2026, 1, 2), "x", True),
        ("a", None, 1e16, datetime(2026, 1, 2, 9, 30), None, False),
    ]
    assert type(convert_rows(rows, 0, 6, 6)[0][1]) is int
    assert convert_rows([[1.0]], 0, 3, 3) == [(1, None, None)]  # short rows padded


# ---------------------------------------------------------------------------------------------
# writing: the same bytes' worth as openpyxl
def test_appends_updates_journal_and_generated_sheets_equal_an_openpyxl_write(small_register, tmp_path):
    book = RegisterFile.open(small_register)
    table = book.read_table(L.REGISTER_TABLE)
    rows = [list(r) for r in table.rows]
    status = table.headers.index(L.COLUMN_BY_ATTR["status"].header)
    rows[3][status] = "已结案"
    rows[5][table.headers.index(L.COLUMN_BY_ATTR["customer"].header)] = "  <Flex & 合作>  "
    rows[7][table.headers.index(L.COLUMN_BY_ATTR["order_no"].header)] = None
    rows.append(
        register_row(
            book,
            case_no="26129999",
            customer='=HYPERLINK("http://x")',
            market="国内",
            defect_qty=Decimal("12000.50"),
            accepted_at=datetime(2026, 12, 1, 9, 30),
            case_due_at=datetime(2026, 12, 14, 17, 30),
            status="处理中",
        )
    )
    journal = book.read_table(L.JOURNAL_TABLE)
    sheet = SheetContent(
        "催办单 2026-12-01",
        [
            ["质量管理部"],
            ["客诉编号", "客户", "期限"],
            ["26120001", "甲" * 30, datetime(2026, 12, 1, 17, 0)],
            ["答复："],
        ],
        widths=(12, 30, 17),
        bold_rows=frozenset({0, 1}),
        formats={2: L.DATETIME_FORMAT},
        boxes=((1, 2),),
        wide_rows={3: 40.0},
        font=L.FONT_NAME,
    )
    changes = Changes(
        tables={
            L.REGISTER_TABLE: rows,
            L.JOURNAL_TABLE: [
                *journal.rows,
                [datetime(2026, 12, 1, 10, 0), "张敏", "刷新", None, "备注", "h1", "h0"][: len(journal.headers)],
            ],
        },
        sheets={L.REMINDER_SHEET: sheet, L.OPEN_CASES_SHEET: sheet},
    )
    fast, slow, engine = write_both(small_register, tmp_path, changes)
    assert engine.engine == "patch"
    assert_same(fast, slow)
    again = RegisterFile.open(fast).read_table(L.REGISTER_TABLE)
    assert (
        again.rows[-1][0] == "26129999"
        and again.rows[5][table.headers.index(L.COLUMN_BY_ATTR["customer"].header)] == "  <Flex & 合作>  "
    )


def test_only_the_changed_parts_are_rewritten_and_the_rest_is_copied_raw(small_register, tmp_path):
    book = RegisterFile.open(small_register)
    rows = book.read_table(L.REGISTER_TABLE).rows
    rows[0][-1] = "改"
    fast, _, _ = write_both(small_register, tmp_path, Changes(tables={L.REGISTER_TABLE: rows}))
    with zipfile.ZipFile(small_register) as before, zipfile.ZipFile(fast) as after:
        old = {i.filename: (i.CRC, i.compress_size) for i in before.infolist()}
        new = {i.filename: (i.CRC, i.compress_size) for i in after.infolist()}
        assert after.testzip() is None
    assert set(old) == set(new)
    changed = {name for name in old if old[name] != new[name]}
    assert changed == {"xl/worksheets/sheet1.xml"}  # the register's sheet only: its table did not grow


def test_a_write_with_nothing_changed_rewrites_no_part(small_register, tmp_path):
    book = RegisterFile.open(small_register)
    fast, _, _ = write_both(
        small_register, tmp_path, Changes(tables={L.REGISTER_TABLE: book.read_table(L.REGISTER_TABLE).rows})
    )
    with zipfile.ZipFile(small_register) as before, zipfile.ZipFile(fast) as after:
        assert [(i.filename, i.CRC) for i in before.infolist()] == [(i.filename, i.CRC) for i in after.infolist()]


def test_the_table_shrinks_as_openpyxl_shrinks_it(small_register, tmp_path):
    rows = RegisterFile.open(small_register).read_table(L.REGISTER_TABLE).rows
    fast, slow, _ = write_both(small_register, tmp_path, Changes(tables={L.REGISTER_TABLE: rows[:10]}))
    assert_same(fast, slow)
    assert RegisterFile.open(fast).read_table(L.REGISTER_TABLE).rows == rows[:10]


def test_a_table_that_grows_past_its_formats_takes_them_along(template_register, tmp_path):
    """The template colours and validates rows 2..5001; a register with more cases than that
    kept red rows and drop-downs only for its first 5,000 (both engines now stretch them)."""
    book = RegisterFile.open(template_register)
    first = register_row(book, case_no="26010001", market="国内", status="处理中", timeliness="逾期")
    rows = [[*first[:1], *first[1:]] for _ in range(5003)]
    for i, r in enumerate(rows):
        r[0] = f"2601{i:04d}"
    fast, slow, _ = write_both(template_register, tmp_path, Changes(tables={L.REGISTER_TABLE: rows}))
    ws = openpyxl.load_workbook(fast)[L.REGISTER_SHEET]
    assert ws.tables[L.REGISTER_TABLE].ref.endswith("5004")
    assert all(str(cf.sqref).endswith("5004") for cf in ws.conditional_formatting)
    assert all(str(dv.sqref).endswith("5004") for dv in ws.data_validations.dataValidation)
    assert_same(fast, slow)


def test_sqref_follows_only_the_ranges_over_the_body():
    assert xp.follow_sqref("A2:AP3 T2:T3", 2, 3, 9) == "A2:AP9 T2:T9"
    assert xp.follow_sqref("A2:AP5001", 2, 3, 9) == "A2:AP5001"  # already covers it
    assert xp.follow_sqref("H1:H1 B7:B8", 2, 3, 9) == "H1:H1 B7:B8"  # the header; a range below


def test_text_a_cell_cannot_hold_is_refused_and_nothing_is_written(small_register, tmp_path):
    from complaint_kit.adapters.guard import WorkbookError

    path = tmp_path / "r.xlsx"
    shutil.copyfile(small_register, path)
    book = RegisterFile.open(path)
    rows = book.read_table(L.REGISTER_TABLE).rows
    rows[0][2] = "bad\x07bell"
    book.apply(Changes(tables={L.REGISTER_TABLE: rows}))
    before = path.read_bytes()
    with pytest.raises(WorkbookError) as caught:
        book.save()
    assert caught.value.code == "E-CONTROL-CHAR" and "登记追踪表!C2" in str(caught.value)
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["r.xlsx"]


# ---------------------------------------------------------------------------------------------
# the end of a table: the journal and the seals grow there, and a click reads only that
@pytest.fixture(scope="module")
def with_history(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("history") / L.REGISTER_FILE
    make_register(path, 30)
    add_history(path, 5.5)  # 165 journal entries, 165 seals
    return path


def test_the_end_of_a_table_reads_as_openpyxl_reads_it(with_history):
    fast, slow = RegisterFile.open(with_history), OpenpyxlBook.open(with_history)
    for table in (L.JOURNAL_TABLE, L.SIGNATURES_TABLE, L.REGISTER_TABLE, L.SETTINGS_TABLE, L.STAFF_TABLE):
        whole = slow.read_table(table)
        for n in (0, 1, 3):
            data, total = fast.read_tail(table, n)
            assert total == len(whole.rows) and data.headers == whole.headers, table
            assert data.rows == (whole.rows[len(whole.rows) - n :] if n else []), (table, n)
            assert (
                [[type(v) for v in r] for r in data.rows]
                == [[type(v) for v in r] for r in whole.rows[len(whole.rows) - n :]][: len(data.rows)]
                if n
                else True
            )
    assert fast._read == {}  # no table was read whole
    assert read_tail(slow, L.JOURNAL_TABLE, 1)[1] == 165  # any other book: through read_table


def journal_and_head(book: Any, at: datetime) -> Changes:
    """What every write adds: two journal entries, a seal, and the journal's head replaced."""
    _, count = book.read_tail(L.JOURNAL_TABLE, 1)
    _, total = book.read_tail(L.SIGNATURES_TABLE, 1)
    entries = [[at, "王静", "受理", "26129999", "表单 & <备注>", "a" * 64], [at, "王静", "刷新", None, None, "b" * 64]]
    return Changes(
        tables={
            L.JOURNAL_TABLE: TableTail(count, entries),
            L.SIGNATURES_TABLE: TableTail(
                total - 1,
                [["26129999", "受理", at, "王静", "{}", "", "c" * 64], ["", "日志链", at, "王静", "{}", "", "d" * 64]],
            ),
        }
    )


def test_a_tail_write_equals_an_openpyxl_write_and_reads_nothing_whole(with_history, tmp_path):
    fast_path, slow_path = tmp_path / "fast.xlsx", tmp_path / "slow.xlsx"
    shutil.copyfile(with_history, fast_path)
    shutil.copyfile(with_history, slow_path)
    fast, slow = RegisterFile.open(fast_path), OpenpyxlBook.open(slow_path)
    changes = journal_and_head(fast, datetime(2026, 12, 1, 10, 0))
    for book in (fast, slow):
        book.apply(changes)
    assert fast.read_tail(L.JOURNAL_TABLE, 1) == (
        TableData(L.JOURNAL_HEADERS, [changes.tables[L.JOURNAL_TABLE].rows[-1]]),
        167,
    )  # type: ignore[union-attr]
    fast.save()
    slow.save()
    assert fast._read == {} and fast.engine == "patch"
    assert_same(fast_path, slow_path)
    again = OpenpyxlBook.open(fast_path)
    assert len(again.read_table(L.JOURNAL_TABLE).rows) == 167 and len(again.read_table(L.SIGNATURES_TABLE).rows) == 166


def test_tails_and_bodies_mixed_in_one_write_equal_openpyxl(with_history, tmp_path):
    book = RegisterFile.open(with_history)
    first = journal_and_head(book, datetime(2026, 12, 1, 10, 0))
    body = Changes(tables={L.STAFF_TABLE: [["张敏", "质量管理部", "品管课", 100, 2000, "业务经理"]]})
    last = [datetime(2026, 12, 1, 11, 0), "张敏", "改", None, None, "e" * 64]
    second = Changes(tables={L.JOURNAL_TABLE: TableTail(166, [last])})  # the second of first's two entries
    fast, slow, engine = write_both(with_history, tmp_path, first, body, second)
    assert engine.engine == "patch"
    assert_same(fast, slow)
    rows = OpenpyxlBook.open(fast).read_table(L.JOURNAL_TABLE).rows
    assert len(rows) == 167 and rows[-1][2] == "改" and rows[-2][2] == "受理"
    book = RegisterFile.open(with_history)
    book.apply(first)
    assert len(book.read_table(L.JOURNAL_TABLE).rows) == 167  # read whole after a tail: the tail is in it
    book.apply(second)
    assert book.read_table(L.JOURNAL_TABLE).rows[-1] == last


# ---------------------------------------------------------------------------------------------
# what the patcher leaves to openpyxl
def test_a_formula_inside_a_table_goes_through_openpyxl(small_register, tmp_path):
    base = tmp_path / "formula.xlsx"
    book = OpenpyxlBook.open(small_register)
    rows = book.read_table(L.REGISTER_TABLE).rows
    rows[0][-1] = Formula("=1+1")
    book.apply(Changes(tables={L.REGISTER_TABLE: rows}))
    book.save(base)
    fast = RegisterFile.open(base)
    assert fast.read_table(L.REGISTER_TABLE).rows[0][-1] == "=1+1"  # as openpyxl reads it
    assert fast.engine == "openpyxl"
    rows = fast.read_table(L.REGISTER_TABLE).rows
    rows[1][-1] = "x"
    fast_path, slow_path, engine = write_both(base, tmp_path, Changes(tables={L.REGISTER_TABLE: rows}))
    assert engine.engine == "openpyxl"
    assert_same(fast_path, slow_path)


def test_locking_cells_goes_through_openpyxl(tmp_path):
    """Registers have no locked sections; a lock still works, through openpyxl."""
    path = tmp_path / "with-name.xlsx"
    wb = openpyxl.load_workbook(template_dir() / L.REGISTER_FILE)
    from openpyxl.workbook.defined_name import DefinedName

    wb.defined_names["Probe"] = DefinedName("Probe", attr_text=f"'{L.SETTINGS_SHEET}'!$K$3")
    wb.save(path)
    fast_path, slow_path, engine = write_both(path, tmp_path, Changes(names={"Probe": "值"}, lock={"Probe"}))
    assert engine.engine == "openpyxl"
    assert_same(fast_path, slow_path)


def test_a_name_is_written_in_place(tmp_path):
    path = tmp_path / "with-name.xlsx"
    wb = openpyxl.load_workbook(template_dir() / L.REGISTER_FILE)
    from openpyxl.workbook.defined_name import DefinedName

    wb.defined_names["Probe"] = DefinedName("Probe", attr_text=f"'{L.SETTINGS_SHEET}'!$K$3")
    wb.save(path)
    book = RegisterFile.open(path)
    assert book.has_name("Probe") and book.locate_name("Probe") == f"{L.SETTINGS_SHEET}!K3"
    fast_path, slow_path, engine = write_both(path, tmp_path, Changes(names={"Probe": datetime(2026, 12, 1, 8, 0)}))
    assert engine.engine == "patch"
    assert_same(fast_path, slow_path)
    assert RegisterFile.open(fast_path).read_names(["Probe"]) == {"Probe": datetime(2026, 12, 1, 8, 0)}


def test_the_engine_is_chosen_by_setting(small_register, monkeypatch):
    assert isinstance(open_checked(small_register, kind="register"), RegisterFile)
    monkeypatch.setenv("COMPLAINT_KIT_ENGINE", "openpyxl")
    assert isinstance(open_checked(small_register, kind="register"), OpenpyxlBook)
    assert isinstance(open_checked(small_register, kind="register", engine="patch"), RegisterFile)


# ---------------------------------------------------------------------------------------------
# LibreOffice reads what the patcher wrote
def test_libreoffice_opens_a_patched_register(small_register, tmp_path, libreoffice):
    book = RegisterFile.open(small_register)
    rows = book.read_table(L.REGISTER_TABLE).rows
    rows.append(
        register_row(book, case_no="26129999", customer="新客户 & Co", accepted_at=datetime(2026, 12, 1, 9, 30))
    )
    fast, _, _ = write_both(small_register, tmp_path, Changes(tables={L.REGISTER_TABLE: rows}))
    out = libreoffice(fast, "xlsx", tmp_path / "lo")
    ws = openpyxl.load_workbook(out)[L.REGISTER_SHEET]
    last = len(rows) + 1
    values = [c.value for c in ws[last]]
    assert values[0] == "26129999" and "新客户 & Co" in values, values
    assert datetime(2026, 12, 1, 9, 30) in values
    assert ws.tables[L.REGISTER_TABLE].ref.endswith(f"{last}")
    assert [c.value for c in ws["A"][1:last]] == [r[0] for r in rows]  # every case, in order


# ---------------------------------------------------------------------------------------------
# the property: random appends, updates and shrinks, through both engines
TOKENS = [*"ab <&>'\"甲乙\n ", "_x000B_", "_x0041_", "x005F_", "&amp;", "\t"]
TEXT = st.lists(st.sampled_from(TOKENS), max_size=8).map("".join)
BY_KIND = {
    L.Kind.DATETIME: st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)).map(
        lambda d: d.replace(microsecond=0)
    ),
    L.Kind.DATE: st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    L.Kind.INT: st.integers(0, 10**9),
    L.Kind.NUMBER: st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
    L.Kind.MONEY: st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False),
}
KINDS = {c.header: c.kind for c in L.REGISTER_COLUMNS}


def value_for(header: str) -> st.SearchStrategy[Any]:
    """What a clerk or the kit puts in that column: its kind's values, text, blank, a checkbox."""
    kind = BY_KIND.get(KINDS.get(header, L.Kind.TEXT))
    return st.one_of(st.none(), TEXT, st.booleans(), *([kind] if kind is not None else []))


@st.composite
def operations(draw: Any, headers: tuple[str, ...]) -> list[tuple[Any, ...]]:
    ops: list[tuple[Any, ...]] = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["append", "update", "update", "shrink"]))
        if kind == "append":
            ops.append(("append", [draw(value_for(h)) for h in headers[1:]]))
        elif kind == "update":
            j = draw(st.integers(0, len(headers) - 1))
            ops.append(("update", draw(st.integers(0, 200)), j, draw(value_for(headers[j]))))
        else:
            ops.append(("shrink", draw(st.integers(0, 3))))
    return ops


@pytest.fixture(scope="module")
def tiny_register(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tiny") / L.REGISTER_FILE
    make_register(path, 12)
    return path


def crcs(path: Path) -> dict[str, int]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: i.CRC for i in zf.infolist()}


@pytest.mark.parametrize("seekable_parts", [False, True], ids=["whole", "seekable"])
@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_random_sequences_of_writes_equal_openpyxl_writes(
    tiny_register, tmp_path_factory, monkeypatch, seekable_parts, data
):
    """Each step is one command: open, write, save — the patcher on its own output, openpyxl on
    its own; at the end the two files hold the same, cell for cell and format for format. With
    ``seekable_parts`` the sheets are written in 600-byte segments and repacked segment by segment."""
    if seekable_parts:
        monkeypatch.setattr(xp, "SEGMENT", 600)
        monkeypatch.setattr(xp, "SEGMENTED_ABOVE", 1000)
    tmp = tmp_path_factory.mktemp("prop")
    fast_path, slow_path = tmp / "fast.xlsx", tmp / "slow.xlsx"
    shutil.copyfile(tiny_register, fast_path)
    shutil.copyfile(tiny_register, slow_path)
    table = RegisterFile.open(tiny_register).read_table(L.REGISTER_TABLE)
    rows, width = table.rows, len(table.headers)
    for op in data.draw(operations(table.headers)):
        if op[0] == "append":
            rows = [*rows, [f"27{len(rows):06d}", *op[1]]]
        elif op[0] == "update":
            _, i, j, value = op
            rows = [list(r) for r in rows]
            rows[i % len(rows)][j % width] = value
        else:
            rows = rows[: max(1, len(rows) - op[1])]
        fast, slow = RegisterFile.open(fast_path), OpenpyxlBook.open(slow_path)
        for book in (fast, slow):
            book.apply(Changes(tables={L.REGISTER_TABLE: [list(r) for r in rows]}))
            book.save()
        assert fast.engine == "patch"
    assert_same(fast_path, slow_path)
    written = crcs(fast_path) != crcs(tiny_register)  # a write that changed nothing rewrites no part
    assert bool(xp.segments_in(fast_path)) == (seekable_parts and written)
    assert (
        RegisterFile.open(fast_path).read_table(L.REGISTER_TABLE).rows
        == OpenpyxlBook.open(slow_path).read_table(L.REGISTER_TABLE).rows
    )


def test_a_sheet_calamine_cannot_read_goes_through_openpyxl(tiny_register, monkeypatch):
    """calamine refuses some XML openpyxl reads (and a Rust panic reaches Python as a
    BaseException): that register is read and written through openpyxl instead."""

    class Panic(BaseException):  # what pyo3's PanicException derives from
        pass

    book = RegisterFile.open(tiny_register)

    def refuse(name: str) -> Any:
        raise Panic("TimeDelta::milliseconds out of bounds")

    monkeypatch.setattr(book, "_calamine", type("C", (), {"get_sheet_by_name": staticmethod(refuse)})())
    assert book.read_table(L.REGISTER_TABLE).rows == OpenpyxlBook.open(tiny_register).read_table(L.REGISTER_TABLE).rows
    assert book.engine == "openpyxl"


def test_dates_are_serials_as_openpyxl_computes_them():
    from openpyxl.utils.datetime import to_excel

    for moment in (datetime(1900, 1, 1), datetime(1900, 3, 1, 12), datetime(2026, 9, 30, 9, 30, 15), date(2026, 2, 28)):
        assert xp.number_text(xp.serial(moment)) == format(to_excel(moment), ".16g")
    assert xp.cell_key(Decimal("12000.00")) == xp.cell_key(12000) == ("n", "12000")
    assert xp.cell_key(0.1 + 0.2) == ("n", "0.3")  # openpyxl keeps 16 digits
    assert xp.cell_key("") is None and xp.cell_key(None) is None
    with pytest.raises(xp.Unsupported):
        xp.cell_key(timedelta(hours=1))


# ---------------------------------------------------------------------------------------------
# seekable parts: a big sheet deflated in segments, a write repacks only the ones it touches
@pytest.fixture
def seekable(monkeypatch):
    """Segments of ~600 bytes for every sheet above 1 kB: the small registers here behave as a
    10,000-case register does with the real sizes (1 MB segments above 4 MB)."""
    monkeypatch.setattr(xp, "SEGMENT", 600)
    monkeypatch.setattr(xp, "SEGMENTED_ABOVE", 1000)


def test_crc32_combine_is_zlibs():
    import random
    import zlib

    rng = random.Random(7)
    for _ in range(200):
        a, b = rng.randbytes(rng.randint(0, 3000)), rng.randbytes(rng.choice([0, 1, 2, 17, rng.randint(0, 70000)]))
        assert xp.crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)


def packed_segments(path: Path) -> dict[str, list[tuple[int, int, int]]]:
    """Each seekable part's segments as (first row, CRC, compressed size)."""
    return {p: [(s.first_row, s.crc, s.csize) for s in segs] for p, segs in xp.segments_in(path).items()}


@pytest.mark.usefixtures("seekable")
def test_a_seekable_register_is_written_and_read_as_openpyxl_does(with_history, tmp_path):
    # the first write lays the big sheets out in segments
    first = journal_and_head(RegisterFile.open(with_history), datetime(2026, 12, 1, 10, 0))
    fast, slow, engine = write_both(with_history, tmp_path, first)
    assert engine.engine == "patch"
    assert_same(fast, slow)
    before = packed_segments(fast)
    journal_part = RegisterFile.open(fast)._sheets[L.JOURNAL_SHEET].part
    assert len(before[journal_part]) > 10, before.keys()  # 167 entries in ~600-byte segments
    with zipfile.ZipFile(fast) as zf:
        assert zf.testzip() is None  # every part's CRC holds: the stream is one ordinary deflate

    # the next writes: journal and seals appended, a register row changed in the middle, a row added
    step = tmp_path / "step"
    step.mkdir()
    book = RegisterFile.open(fast)
    assert book._read == {}
    table = book.read_table(L.REGISTER_TABLE)
    rows = [list(r) for r in table.rows]
    rows[14][table.headers.index(L.COLUMN_BY_ATTR["customer"].header)] = "改名 & Co"
    rows.append(register_row(book, case_no="26129998", customer="新", accepted_at=datetime(2026, 12, 1, 11, 0)))
    second = journal_and_head(book, datetime(2026, 12, 1, 11, 0))
    second = Changes(tables={**second.tables, L.REGISTER_TABLE: rows})
    fast2, _, engine = write_both(fast, step, second)
    shutil.copyfile(slow, step / "slow-base.xlsx")
    reference = OpenpyxlBook.open(step / "slow-base.xlsx")
    reference.apply(second)
    reference.save()
    assert engine.engine == "patch"
    assert_same(fast2, step / "slow-base.xlsx")
    with zipfile.ZipFile(fast2) as zf:
        assert zf.testzip() is None
    after = packed_segments(fast2)
    journal = before[journal_part], after[journal_part]
    kept = [s for s in journal[1] if s in journal[0]]
    assert len(kept) >= len(journal[0]) - 3, "only the head, the last row segment and the tail repacked"
    assert journal[1][0] != journal[0][0]  # the head: its dimension moved

    # reading back: every table and every end, as openpyxl reads them
    fresh, ref = RegisterFile.open(fast2), OpenpyxlBook.open(fast2)
    for name in (L.JOURNAL_TABLE, L.SIGNATURES_TABLE, L.REGISTER_TABLE):
        whole = ref.read_table(name)
        assert fresh.read_tail(name, 2) == (TableData(whole.headers, whole.rows[-2:]), len(whole.rows)), name
    assert fresh._read == {}  # the ends, from their segments alone
    assert fresh.read_table(L.REGISTER_TABLE) == ref.read_table(L.REGISTER_TABLE)


@pytest.mark.usefixtures("seekable")
def test_a_segment_index_that_does_not_add_up_is_ignored(with_history, tmp_path):
    fast, _, _ = write_both(
        with_history, tmp_path, journal_and_head(RegisterFile.open(with_history), datetime(2026, 12, 1, 10, 0))
    )
    with zipfile.ZipFile(fast) as zf:
        infos = {i.filename: i for i in zf.infolist()}
    part, segments = next(iter(xp.segments_in(fast).items()))
    info = infos[part]
    good = xp.read_segments(info, segments[0].offset)
    assert good is not None and len(good) == len(segments)
    lying = xp.segment_extra(
        [xp.Segment(s.first_row, s.size + (i == 2), s.csize, s.crc) for i, s in enumerate(segments)]
    )
    info.extra = lying
    assert xp.read_segments(info, segments[0].offset) is None  # sizes that do not add up: read whole
    info.extra = xp.segment_extra(
        [xp.Segment(s.first_row, s.size, s.csize, s.crc ^ (i == 3)) for i, s in enumerate(segments)]
    )
    assert xp.read_segments(info, segments[0].offset) is None  # a CRC that does not combine to the part's
    with fast.open("rb") as src:  # a segment whose bytes are not what its entry says is refused
        wrong = xp.Segment(
            segments[2].first_row, segments[2].size, segments[2].csize, segments[2].crc ^ 1, segments[2].offset
        )
        with pytest.raises(xp.Unsupported):
            xp.inflate_segment(src, wrong, last=False)


@pytest.mark.usefixtures("seekable")
def test_a_seekable_register_saved_by_another_program_is_read_whole_again(with_history, tmp_path):
    fast, _, _ = write_both(
        with_history, tmp_path, journal_and_head(RegisterFile.open(with_history), datetime(2026, 12, 1, 10, 0))
    )
    assert xp.segments_in(fast)
    other = tmp_path / "resaved.xlsx"
    openpyxl.load_workbook(fast).save(other)  # as Excel or openpyxl would: no extra fields
    assert xp.segments_in(other) == {}
    book = RegisterFile.open(other)
    assert book.read_tail(L.JOURNAL_TABLE, 1) == read_tail(OpenpyxlBook.open(fast), L.JOURNAL_TABLE, 1)


@pytest.mark.usefixtures("seekable")
def test_libreoffice_opens_a_seekable_register(with_history, tmp_path, libreoffice):
    book = RegisterFile.open(with_history)
    fast, _, _ = write_both(with_history, tmp_path, journal_and_head(book, datetime(2026, 12, 1, 10, 0)))
    rows = RegisterFile.open(fast).read_table(L.REGISTER_TABLE).rows
    rows[3][1] = "改"
    step = tmp_path / "step"
    step.mkdir()
    again, _, _ = write_both(fast, step, Changes(tables={L.REGISTER_TABLE: rows}))
    assert xp.segments_in(again)
    wb = openpyxl.load_workbook(libreoffice(again, "xlsx", tmp_path / "lo"))
    assert len(list(wb[L.JOURNAL_SHEET].iter_rows())) == 168  # the header and 167 entries
    assert wb[L.REGISTER_SHEET]["B5"].value == "改"


# ---------------------------------------------------------------------------------------------
# one case's rows: found by the case number in the XML, replaced alone
def test_a_cases_rows_are_found_in_the_xml_as_openpyxl_reads_them(with_history, tmp_path, libreoffice, monkeypatch):
    """One case (complete -r) by its number's bytes; many in one process (an import) through an
    index of the column built on the third lookup — both equal to filtering what openpyxl reads,
    on the kit's own file, on one laid out seekable (searched segment by segment) and on one
    LibreOffice saved (shared strings everywhere)."""
    from complaint_kit.ports import rows_matching

    saved_by_lo = libreoffice(with_history, "xlsx", tmp_path / "lo")
    monkeypatch.setattr(xp, "SEGMENT", 600)
    monkeypatch.setattr(xp, "SEGMENTED_ABOVE", 1000)
    seekable = tmp_path / "seekable.xlsx"
    assert xp.seekable_copy(with_history, seekable)
    for path in (with_history, seekable, saved_by_lo):
        slow = OpenpyxlBook.open(path)
        register = slow.read_table(L.REGISTER_TABLE)
        wanted = [str(r[0]) for r in register.rows] + ["26999999", "2601000"]
        fast = RegisterFile.open(path)
        for table, header in ((L.SIGNATURES_TABLE, L.SIGNATURES_HEADERS[0]), (L.REGISTER_TABLE, register.headers[0])):
            whole = slow.read_table(table)
            for case_no in wanted:
                assert fast.find_rows(table, header, case_no) == rows_matching(whole, header, case_no), (table, case_no)
            assert (table, header) in fast._key_index
        assert fast._read == {}, "found without reading the table"


def test_a_row_replaced_by_index_equals_an_openpyxl_write(with_history, tmp_path):
    from complaint_kit.ports import TableRows

    book = RegisterFile.open(with_history)
    headers = book.read_tail(L.REGISTER_TABLE, 0)[0].headers
    case_no = str(OpenpyxlBook.open(with_history).read_table(L.REGISTER_TABLE).rows[9][0])
    found, (index,) = book.find_rows(L.REGISTER_TABLE, headers[0], case_no)
    row = list(found.rows[0])
    row[headers.index(L.COLUMN_BY_ATTR["status"].header)] = "已结案"
    row[headers.index(L.COLUMN_BY_ATTR["customer"].header)] = "改 & <Co>"
    row[headers.index(L.COLUMN_BY_ATTR["closed_at"].header)] = datetime(2026, 12, 3, 16, 30)
    change = Changes(
        tables={L.REGISTER_TABLE: TableRows({index: row}), **journal_and_head(book, datetime(2026, 12, 3)).tables}
    )
    fast_path, slow_path = tmp_path / "fast.xlsx", tmp_path / "slow.xlsx"
    shutil.copyfile(with_history, fast_path)
    shutil.copyfile(with_history, slow_path)
    fast = RegisterFile.open(fast_path)
    fast.find_rows(L.REGISTER_TABLE, headers[0], case_no)
    slow = OpenpyxlBook.open(slow_path)
    for b in (fast, slow):
        b.apply(change)
        b.save()
    assert fast.engine == "patch" and fast._read == {}, "written without reading the register whole"
    assert_same(fast_path, slow_path)


@pytest.mark.usefixtures("seekable")
def test_a_register_laid_out_seekable_reads_the_same(with_history, tmp_path):
    target = tmp_path / "seekable.xlsx"
    laid_out = xp.seekable_copy(with_history, target)
    assert laid_out and set(laid_out) == set(xp.segments_in(target))
    fast, slow = RegisterFile.open(target), OpenpyxlBook.open(with_history)
    for table in (L.REGISTER_TABLE, L.JOURNAL_TABLE, L.SIGNATURES_TABLE):
        assert fast.read_table(table) == slow.read_table(table)
    assert_same(target, with_history)


def test_rows_found_after_changes_in_the_same_process_include_them(with_history):
    """An import checks each form's seals after the earlier forms' were added: find_rows sees
    the pending end of 签章 and rows replaced by index without reading either table whole."""
    from complaint_kit.ports import TableRows, rows_matching

    book = RegisterFile.open(with_history)
    headers = book.read_tail(L.REGISTER_TABLE, 0)[0].headers
    case_no = "26129999"
    book.apply(journal_and_head(book, datetime(2026, 12, 1, 10, 0)))  # a seal of 26129999 appended
    target = str(OpenpyxlBook.open(with_history).read_table(L.REGISTER_TABLE).rows[4][0])
    found, (index,) = book.find_rows(L.REGISTER_TABLE, headers[0], target)
    renamed = [case_no, *found.rows[0][1:]]
    book.apply(Changes(tables={L.REGISTER_TABLE: TableRows({index: renamed})}))
    got = {
        t: book.find_rows(t, h, case_no)
        for t, h in ((L.SIGNATURES_TABLE, L.SIGNATURES_HEADERS[0]), (L.REGISTER_TABLE, headers[0]))
    }
    assert book._read == {}, "found without reading a table whole"
    assert got[L.REGISTER_TABLE][1] == [index] and got[L.REGISTER_TABLE][0].rows == [renamed]
    assert book.find_rows(L.REGISTER_TABLE, headers[0], target)[1] == []  # its old number is gone
    for table, header in ((L.SIGNATURES_TABLE, L.SIGNATURES_HEADERS[0]), (L.REGISTER_TABLE, headers[0])):
        assert got[table] == rows_matching(book.read_table(table), header, case_no), table
