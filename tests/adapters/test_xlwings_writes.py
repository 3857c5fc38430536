"""How the live adapter batches writes (bulk, and never over a formula)."""

from __future__ import annotations

from openpyxl.utils import range_boundaries

from complaint_kit import layout as L
from complaint_kit.adapters.xlwings_book import XlwingsBook, _segments, changed_runs, to_excel
from complaint_kit.ports import Changes
from complaint_kit.templates import template_dir
from tests.adapters.remote import RemoteWorkbook, require_license


def test_row_spans_split_around_formula_cells():
    assert _segments([2, 4, 8], {6}) == [(2, 5), (7, 8)]
    assert _segments([2, 4], {6}) == [(2, 4)]
    assert _segments([6, 8], {6}) == [(7, 8)]
    assert _segments([4], set()) == [(4, 4)]


def test_text_that_excel_would_parse_as_a_formula_is_quoted():
    assert to_excel("=1+1") == "'=1+1" and to_excel("-5 pcs") == "'-5 pcs" and to_excel("abc") == "abc"


def test_writing_fields_beside_a_formula_never_overwrites_it():
    wb = RemoteWorkbook(template_dir() / L.FORM_FILE)
    book = XlwingsBook(wb.book)
    _, row, col = book._loc("DefectRate")
    book.apply(Changes(names={"DefectQty": 20, "RequestQty": 10, "CustomerRequest": "退货"}))
    writes = [a for a in wb.actions if a["func"] == "setValues"]
    assert len(writes) == 1  # one row, one range write
    for a in writes:
        rows = range(a["start_row"] + 1, a["start_row"] + 1 + a["row_count"])
        cols = range(a["start_column"] + 1, a["start_column"] + 1 + a["column_count"])
        assert not (row in rows and col in cols), "a write covered the DefectRate formula"


def test_a_table_body_is_one_write_whatever_its_length():
    wb = RemoteWorkbook(template_dir() / L.REGISTER_FILE)
    book = XlwingsBook(wb.book)
    book.apply(Changes(tables={L.SERIALS_TABLE: [[f"26{m:02d}", m] for m in range(1, 13)]}))
    funcs = [a["func"] for a in wb.actions]
    assert funcs == ["setValues", "resizeTable"]
    address = wb.actions[1]["args"][1]
    assert range_boundaries(address.replace("$", ""))[3] == 13  # header + 12 rows


def test_runs_of_changed_rows():
    before = [["a", 1.0], ["b", 2.0], ["c", 3.0], ["d", None]]
    assert changed_runs(before, [["a", 1], ["b", 2], ["c", 3], ["d", ""]]) == []  # 1 is 1.0; "" is empty
    assert changed_runs(before, [["a", 1], ["B", 2], ["c", 3], ["d", None], ["e", 5]]) == [(1, 2), (4, 5)]
    assert changed_runs(None, [["a", 1]]) == [(0, 1)]  # never read: all of it
    assert changed_runs(before, [["a", True], ["b", 2], ["c", 3], ["d", None]]) == [(0, 1)]  # TRUE is not 1
    many = [[str(i), float(i)] for i in range(40)]
    scattered = [[r[0], r[1] + (1 if i % 4 == 0 else 0)] for i, r in enumerate(many)]
    assert changed_runs(many, scattered) == [(0, 37)]  # 10 runs: one write from the first to the last


def test_one_changed_case_of_a_long_register_is_one_row_written():
    """Issue 10: the live path writes only the rows that changed, one range per run."""
    require_license()
    wb = RemoteWorkbook(template_dir() / L.REGISTER_FILE)
    XlwingsBook(wb.book).apply(Changes(tables={L.SERIALS_TABLE: [[f"26{m:02d}", m] for m in range(1, 13)]}))
    wb.sync()  # the next click sees the 12 rows
    book = XlwingsBook(wb.book)
    rows = book.read_table(L.SERIALS_TABLE).rows
    rows[6][1] = 99
    rows.append(["2701", 1])
    book.apply(Changes(tables={L.SERIALS_TABLE: rows}))
    writes = [a for a in wb.actions if a["func"] == "setValues"]
    assert [(a["start_row"], a["row_count"]) for a in writes] == [(7, 1), (13, 1)]  # 0-based sheet rows
    assert book.written_rows[L.SERIALS_TABLE] == 2
    wb.sync()
    assert XlwingsBook(wb.book).read_table(L.SERIALS_TABLE).rows == [
        *[[f"26{m:02d}", float(m)] for m in range(1, 7)],
        ["2607", 99.0],
        *[[f"26{m:02d}", float(m)] for m in range(8, 13)],
        ["2701", 1.0],
    ]
