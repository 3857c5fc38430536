"""One contract for every Book adapter: memory, openpyxl, and the xlwings adapter twice — through
xlwings' remote engine (needs XLWINGS_LICENSE_KEY) and through a fake of desktop Excel's object model
(``tests/adapters/desktop.py``, in the Windows and the macOS dialect) for the protection paths the
remote engine lacks. Each kind states its own exact answers: no test accepts either adapter's."""

from __future__ import annotations

import shutil
from datetime import datetime

import openpyxl
import pytest

from complaint_kit import layout as L
from complaint_kit.adapters.openpyxl_book import OpenpyxlBook, WorkbookError, save_all
from complaint_kit.ports import Changes, Formula, SheetContent, TableRows, find_rows
from complaint_kit.templates import template_dir
from tests.conftest import memory_from_template


class MemoryKind:
    # addresses: the memory book has no cells, it names the table row / the defined name
    settings_value_cell = "Settings[值]#1"
    case_no_cell = "CaseNo"
    locks = True

    def open(self, tmp_path, file):
        return memory_from_template(file)

    def roundtrip(self, book):
        return book


class OpenpyxlKind:
    settings_value_cell = "设置!C2"
    case_no_cell = "客户抱怨处理表!B2"
    locks = True

    def open(self, tmp_path, file):
        path = tmp_path / file
        shutil.copyfile(template_dir() / file, path)
        return OpenpyxlBook.open(path)

    def roundtrip(self, book):
        book.save()
        return OpenpyxlBook.open(book.path)


class RegisterFileKind:
    """The register engine (issue 10): calamine reads, patched writes. What it does not patch
    (a name over a merged area, a lock) it hands to openpyxl — the same answers either way."""

    settings_value_cell = "设置!C2"
    case_no_cell = "客户抱怨处理表!B2"
    locks = True

    def open(self, tmp_path, file):
        from complaint_kit.adapters.register_file import RegisterFile

        path = tmp_path / file
        shutil.copyfile(template_dir() / file, path)
        return RegisterFile.open(path)

    def roundtrip(self, book):
        from complaint_kit.adapters.register_file import RegisterFile

        book.save()
        return RegisterFile.open(book.path)


class XlwingsRemoteKind:
    """xlwings' remote engine stands in for Excel (needs XLWINGS_LICENSE_KEY; skipped without)."""

    settings_value_cell = "设置!C2"
    case_no_cell = "客户抱怨处理表!B2"
    locks = False  # no sheet-protection API: the adapter records what it skipped

    def open(self, tmp_path, file):
        from complaint_kit.adapters.xlwings_book import XlwingsBook
        from tests.adapters.remote import RemoteWorkbook

        self.workbook = RemoteWorkbook(template_dir() / file)
        return XlwingsBook(self.workbook.book)

    def roundtrip(self, book):
        from complaint_kit.adapters.xlwings_book import XlwingsBook

        self.workbook.sync()
        return XlwingsBook(self.workbook.book)


class XlwingsDesktopKind:
    """The live adapter's desktop path over a fake of Excel's object model (no licence key needed)."""

    settings_value_cell = "设置!C2"
    case_no_cell = "客户抱怨处理表!B2"
    locks = True

    def __init__(self, windows: bool) -> None:
        self.windows = windows

    def open(self, tmp_path, file):
        from complaint_kit.adapters.xlwings_book import XlwingsBook
        from tests.adapters.desktop import DesktopExcel

        self.excel = DesktopExcel(template_dir() / file, windows=self.windows)
        return XlwingsBook(self.excel.book, windows=self.windows)

    def roundtrip(self, book):
        """The workbook stays open in Excel; the next click makes a new adapter over it."""
        from complaint_kit.adapters.xlwings_book import XlwingsBook

        assert not book.skipped, f"the desktop path skipped {book.skipped}"
        return XlwingsBook(self.excel.book, windows=self.windows)


KINDS = {
    "memory": MemoryKind(),
    "openpyxl": OpenpyxlKind(),
    "register-file": RegisterFileKind(),
    "xlwings": XlwingsRemoteKind(),
    "xlwings-desktop-win": XlwingsDesktopKind(windows=True),
    "xlwings-desktop-mac": XlwingsDesktopKind(windows=False),
}


@pytest.fixture(params=list(KINDS.values()), ids=list(KINDS))
def kind(request):
    return request.param


def test_names_read_in_bulk_and_written_back(kind, tmp_path):
    book = kind.open(tmp_path, L.FORM_FILE)
    assert book.read_names(["Customer", "CaseNo"]) == {"Customer": None, "CaseNo": None}
    when = datetime(2026, 11, 23, 9, 30)
    book.apply(Changes(names={"Customer": "华星", "ReportedAt": when, "ShipQty": 1000}))
    book = kind.roundtrip(book)
    assert book.read_names(["Customer", "ReportedAt", "ShipQty"]) == {
        "Customer": "华星",
        "ReportedAt": when,
        "ShipQty": 1000,
    }


def test_an_unknown_name_is_a_key_error(kind, tmp_path):
    book = kind.open(tmp_path, L.FORM_FILE)
    with pytest.raises(KeyError):
        book.read_names(["NoSuchField"])
    with pytest.raises(KeyError):
        book.apply(Changes(names={"NoSuchField": 1}))
    assert not book.has_name("NoSuchField") and book.has_name("CaseNo")


def test_customer_text_that_looks_like_a_formula_stays_text(kind, tmp_path):
    book = kind.open(tmp_path, L.FORM_FILE)
    evil = '=HYPERLINK("http://evil","click")'
    book.apply(Changes(names={"Description": evil}))
    book = kind.roundtrip(book)
    assert book.read_names(["Description"])["Description"] == evil


def test_tables_grow_and_shrink(kind, tmp_path):
    book = kind.open(tmp_path, L.REGISTER_FILE)
    table = book.read_table(L.SERIALS_TABLE)
    assert table.headers == L.SERIALS_HEADERS and table.rows == []
    book.apply(Changes(tables={L.SERIALS_TABLE: [["2609", 3], ["2610", 7], ["2611", 1]]}))
    book = kind.roundtrip(book)
    assert book.read_table(L.SERIALS_TABLE).rows == [["2609", 3], ["2610", 7], ["2611", 1]]
    book.apply(Changes(tables={L.SERIALS_TABLE: [["2611", 2]]}))
    book = kind.roundtrip(book)
    assert book.read_table(L.SERIALS_TABLE).rows == [["2611", 2]]


def test_rows_are_found_by_their_text_and_replaced_by_index(kind, tmp_path):
    """A case's row is found by its number (trimmed, a whole number typed as a number) and
    replaced alone (issue 10: ``find_rows`` and :class:`TableRows`)."""
    book = kind.open(tmp_path, L.REGISTER_FILE)
    rows = [["2609", 3], [" 2610 ", 7], ["2611", 1], [2610, 9], ["26100", 4]]
    book.apply(Changes(tables={L.SERIALS_TABLE: rows}))
    book = kind.roundtrip(book)
    found, indexes = find_rows(book, L.SERIALS_TABLE, L.SERIALS_HEADERS[0], "2610")
    assert indexes == [1, 3] and found.headers == L.SERIALS_HEADERS
    assert found.rows == [[" 2610 ", 7], [2610, 9]]
    assert find_rows(book, L.SERIALS_TABLE, L.SERIALS_HEADERS[0], "2612") == (
        found.__class__(L.SERIALS_HEADERS, []),
        [],
    )
    assert find_rows(book, L.SERIALS_TABLE, L.SERIALS_HEADERS[0], "2610") == (found, indexes)  # many: an index
    book.apply(Changes(tables={L.SERIALS_TABLE: TableRows({3: ["2610", 10]})}))
    book = kind.roundtrip(book)
    assert book.read_table(L.SERIALS_TABLE).rows == [*rows[:3], ["2610", 10], rows[4]]
    with pytest.raises(IndexError):
        book.apply(Changes(tables={L.SERIALS_TABLE: TableRows({9: ["2610", 10]})}))


def test_locations_name_the_cell(kind, tmp_path):
    book = kind.open(tmp_path, L.REGISTER_FILE)
    assert book.locate_table_cell(L.SETTINGS_TABLE, 0, "值") == kind.settings_value_cell
    form = kind.open(tmp_path, L.FORM_FILE)
    assert form.locate_name("CaseNo") == kind.case_no_cell


def test_locking_a_finished_section(kind, tmp_path):
    book = kind.open(tmp_path, L.FORM_FILE)
    assert book.locked_names(["Customer", "QualityCause"]) == set()
    book.apply(Changes(lock={"Customer"}))
    if not kind.locks:  # xlwings' remote engine has no protection API: the adapter says what it skipped
        assert book.skipped == ["lock Customer"]
        assert kind.roundtrip(book).locked_names(["Customer", "QualityCause"]) == set()
        return
    book = kind.roundtrip(book)
    assert book.locked_names(["Customer", "QualityCause"]) == {"Customer"}


def test_a_generated_sheet_is_replaced_whole(kind, tmp_path):
    book = kind.open(tmp_path, L.REGISTER_FILE)
    book.apply(Changes(sheets={L.REMINDER_SHEET: SheetContent("催办单", [["a"], ["b"]])}))
    book.apply(Changes(sheets={L.REMINDER_SHEET: SheetContent("催办单", [["c"]])}))
    if isinstance(book, OpenpyxlBook):
        ws = kind.roundtrip(book).wb[L.REMINDER_SHEET]
        assert [r for r in ws.iter_rows(values_only=True)] == [("催办单",), ("c",)]
    elif isinstance(kind, RegisterFileKind):
        kind.roundtrip(book)
        ws = openpyxl.load_workbook(book.path)[L.REMINDER_SHEET]
        assert [r for r in ws.iter_rows(values_only=True)] == [("催办单",), ("c",)]
    elif isinstance(kind, XlwingsRemoteKind):
        again = kind.roundtrip(book)
        assert [s.name for s in again.book.sheets].count(L.REMINDER_SHEET) == 1
        assert again.book.sheets[L.REMINDER_SHEET]["A1:A2"].value == ["催办单", "c"]
    elif isinstance(kind, XlwingsDesktopKind):
        assert kind.excel.wb.sheetnames.count(L.REMINDER_SHEET) == 1
        ws = kind.excel.wb[L.REMINDER_SHEET]
        assert [r for r in ws.iter_rows(values_only=True)] == [("催办单",), ("c",)]
    else:
        assert book.sheets[L.REMINDER_SHEET].rows == [["c"]]


# -- openpyxl specifics -------------------------------------------------------------------------
def test_formulas_are_written_as_formulas_only_when_asked(tmp_path):
    book = OpenpyxlKind().open(tmp_path, L.REGISTER_FILE)
    book.apply(Changes(sheets={"x": SheetContent("t", [[Formula("=1+1"), "=1+1"]])}))
    book.save()
    ws = openpyxl.load_workbook(book.path)["x"]
    assert ws["A2"].data_type == "f" and ws["B2"].data_type == "s"


def test_saving_is_atomic_and_keeps_backups(tmp_path):
    book = OpenpyxlKind().open(tmp_path, L.REGISTER_FILE)
    book.backups = 2
    for i in range(4):
        book.apply(Changes(tables={L.SERIALS_TABLE: [["2611", i]]}))
        book.save()
    backups = sorted((tmp_path / "备份").iterdir())
    assert len(backups) == 2
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp.xlsx")] == []


def test_save_all_writes_all_or_nothing(tmp_path):
    a = OpenpyxlKind().open(tmp_path, L.REGISTER_FILE)
    b = OpenpyxlKind().open(tmp_path, L.FORM_FILE)
    before = a.path.read_bytes()
    a.apply(Changes(tables={L.SERIALS_TABLE: [["2611", 5]]}))
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(OSError):
        save_all([(a, None), (b, tmp_path / "a-file" / "form.xlsx")])
    assert a.path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp.xlsx")] == []


def test_a_file_that_is_not_a_workbook_is_refused_clearly(tmp_path):
    bad = tmp_path / "x.xlsx"
    bad.write_text("hello")
    with pytest.raises(WorkbookError, match="不是工作簿"):
        OpenpyxlBook.open(bad)
    with pytest.raises(WorkbookError, match="找不到文件"):
        OpenpyxlBook.open(tmp_path / "missing.xlsx")


def test_blank_rows_inside_a_table_keep_their_place_trailing_ones_go(kind, tmp_path):
    book = kind.open(tmp_path, L.REGISTER_FILE)
    book.apply(Changes(tables={L.SERIALS_TABLE: [["2609", 3], [None, None], ["2611", 1], [None, None]]}))
    book = kind.roundtrip(book)
    rows = book.read_table(L.SERIALS_TABLE).rows
    assert [r[0] for r in rows] == ["2609", None, "2611"]  # a blank cell reads as None from every adapter
