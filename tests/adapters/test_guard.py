"""Issue 6, item 4: a file is recognised and held to a budget before openpyxl parses it, and a
form's defined names must each point at one cell on the template's sheet."""

from __future__ import annotations

import io
import shutil
import zipfile

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

from complaint_kit import layout as L
from complaint_kit.adapters.guard import (
    FORM_BUDGET,
    REGISTER_BUDGET,
    WorkbookError,
    check_workbook_file,
    form_name_sheets,
    required_form_names,
)
from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
from complaint_kit.ports import Changes
from complaint_kit.templates import template_dir

FORM = template_dir() / L.FORM_FILE


def _code(path, budget=FORM_BUDGET) -> str:
    with pytest.raises(WorkbookError) as info:
        check_workbook_file(path, budget)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(info.value)), "the message is Chinese with English beside it"
    return info.value.code


def _zip(path, parts: dict[str, bytes], method=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", method) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def _template_parts() -> dict[str, bytes]:
    with zipfile.ZipFile(FORM) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def test_the_templates_pass_their_budgets():
    check_workbook_file(FORM, FORM_BUDGET)
    check_workbook_file(template_dir() / L.REGISTER_FILE, REGISTER_BUDGET)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("empty.xlsx", b"", "E-EMPTY"),
        ("csv.xlsx", "客户,数量\n华星,100\n".encode(), "E-TEXT-FILE"),
        ("page.xlsx", b"<html><body><table></table></body></html>", "E-TEXT-FILE"),
        ("random.xlsx", bytes(range(256)) * 4, "E-NOT-XLSX"),
        ("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "E-XLS"),
        (
            "locked.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600 + "EncryptedPackage".encode("utf-16-le"),
            "E-ENCRYPTED",
        ),
        ("cut.xlsx", FORM.read_bytes()[:3000], "E-BAD-ZIP"),
    ],
)
def test_each_kind_of_not_a_workbook_gets_its_own_message(tmp_path, name, content, code):
    path = tmp_path / name
    path.write_bytes(content)
    assert _code(path) == code


@pytest.mark.parametrize(
    ("suffix", "code"), [(".xlsm", "E-XLSM"), (".xlsb", "E-XLSB"), (".xls", "E-XLS"), (".csv", "E-TEXT-FILE")]
)
def test_a_real_workbook_under_another_name_is_refused_so_it_is_never_saved_as_plain_xlsx(tmp_path, suffix, code):
    path = tmp_path / f"form{suffix}"
    shutil.copyfile(FORM, path)
    assert _code(path) == code


def test_macros_inside_an_xlsx_and_binary_workbooks_are_recognised_by_their_parts(tmp_path):
    assert _code(_zip(tmp_path / "m.xlsx", _template_parts() | {"xl/vbaProject.bin": b"\0" * 64})) == "E-XLSM"
    assert _code(_zip(tmp_path / "b.xlsx", {"[Content_Types].xml": b"<T/>", "xl/workbook.bin": b"\0"})) == "E-XLSB"
    word = {"[Content_Types].xml": b"<T/>", "word/document.xml": b"<w/>"}
    assert _code(_zip(tmp_path / "w.xlsx", word)) == "E-NOT-XLSX"


def test_a_folder_and_a_missing_file(tmp_path):
    (tmp_path / "d.xlsx").mkdir()
    assert _code(tmp_path / "d.xlsx") == "E-DIRECTORY"
    assert _code(tmp_path / "nope.xlsx") == "E-FILE-MISSING"


def test_a_zip_bomb_split_over_many_parts_is_refused_by_the_sum_of_their_sizes(tmp_path):
    """Every part is small and its ratio under any per-part limit; together they are 40 MB."""
    parts = _template_parts() | {f"xl/media/p{k}.bin": bytes(range(256)) * 4000 for k in range(40)}
    path = _zip(tmp_path / "bomb.xlsx", parts)
    assert all(len(v) <= 1_024_000 for v in parts.values())
    assert _code(path) == "E-UNPACKED-TOO-LARGE"


def test_too_many_parts_is_refused_before_the_directory_is_parsed(tmp_path):
    path = _zip(tmp_path / "parts.xlsx", _template_parts() | {f"p{k}.xml": b"x" for k in range(200)})
    assert _code(path) == "E-TOO-MANY-PARTS"


def test_a_compression_ratio_no_workbook_has_is_a_bomb(tmp_path):
    path = _zip(tmp_path / "ratio.xlsx", _template_parts() | {"xl/media/zero.bin": b"\0" * 8_000_000})
    assert _code(path) == "E-ZIP-BOMB"


def test_opening_reports_broken_xml_as_a_workbook_error(tmp_path):
    path = _zip(tmp_path / "broken.xlsx", _template_parts() | {"xl/workbook.xml": b"<workbook"})
    with pytest.raises(WorkbookError, match="已损坏"):
        OpenpyxlBook.open(path, budget=FORM_BUDGET)


# -- defined names ---------------------------------------------------------------------------
def _form_with_name(tmp_path, name: str, target: str):
    wb = openpyxl.load_workbook(FORM)
    del wb.defined_names[name]
    wb.defined_names[name] = DefinedName(name, attr_text=target)
    path = tmp_path / "form.xlsx"
    wb.save(path)
    return OpenpyxlBook.open(path)


@pytest.mark.parametrize(
    "target",
    [
        "#REF!",
        f"'{L.FORM_SHEET}'!#REF!",
        '"a constant"',
        "42",
        f"'{L.FORM_SHEET}'!$A:$A",
        f"'{L.FORM_SHEET}'!$1:$1",
        f"'{L.FORM_SHEET}'!$A$1:$XFD$1048576",
        f"'{L.FORM_SHEET}'!$B$4,'{L.FORM_SHEET}'!$B$5",
        "'没有这张表'!$A$1",
    ],
)
def test_a_name_that_is_not_one_cell_is_one_problem_and_is_never_written(tmp_path, target):
    book = _form_with_name(tmp_path, "Customer", target)
    problems = book.check_names(form_name_sheets(), required=required_form_names())
    assert [p.code for p in problems] == ["E-BAD-NAME"]
    assert "Customer" in problems[0].zh and "Customer" in problems[0].en
    before = book.wb[L.FORM_SHEET]["A1"].value
    with pytest.raises(KeyError):
        book.apply(Changes(names={"Customer": "华星"}))
    assert book.wb[L.FORM_SHEET]["A1"].value == before  # never a guess such as A1


def test_a_name_moved_to_another_sheet_is_named_with_both_sheets(tmp_path):
    book = _form_with_name(tmp_path, "CaseNo", f"'{L.FORM_LOG_SHEET}'!$A$1")
    [problem] = book.check_names(form_name_sheets())
    assert L.FORM_LOG_SHEET in problem.zh and L.FORM_SHEET in problem.zh


def test_a_long_text_field_may_name_its_whole_merged_area(tmp_path):
    wb = openpyxl.load_workbook(FORM)
    sheet, ref = next(iter(wb.defined_names["Description"].destinations))
    merged = next(m for m in wb[sheet].merged_cells.ranges if ref.replace("$", "") in m)
    book = _form_with_name(tmp_path, "Description", f"'{sheet}'!{merged.coord}")
    assert book.check_names(form_name_sheets()) == []
    assert book.locate_name("Description") == f"{sheet}!{ref.replace('$', '')}"


def test_the_template_has_every_name_where_it_belongs():
    assert OpenpyxlBook.open(FORM).check_names(form_name_sheets(), required=required_form_names()) == []


def test_a_table_reaching_the_last_row_reads_only_as_far_as_the_sheet_has_cells(tmp_path):
    reg = tmp_path / "reg.xlsx"
    wb = openpyxl.load_workbook(template_dir() / L.REGISTER_FILE)
    for ws in wb.worksheets:
        if L.SERIALS_TABLE in ws.tables:
            ws.tables[L.SERIALS_TABLE].ref = "A1:B1048576"
    buf = io.BytesIO()
    wb.save(buf)
    reg.write_bytes(buf.getvalue())
    assert OpenpyxlBook.open(reg).read_table(L.SERIALS_TABLE).rows == []


@pytest.mark.parametrize(("text", "code"), [("划" * 32_768, "E-TOO-LONG"), ("a\x01", "E-CONTROL-CHAR")])
def test_text_a_cell_cannot_hold_is_never_cut_or_half_written(tmp_path, text, code):
    book = OpenpyxlBook.open(FORM)
    with pytest.raises(WorkbookError) as info:
        book.apply(Changes(names={"Description": text}))
    assert info.value.code == code
    assert book.read_names(["Description"])["Description"] in (None, "")


def test_a_date_read_back_as_midnight_keeps_its_date_format_and_a_time_widens_it():
    """ProductionDate comes back from Excel as a midnight datetime: saving it again must not turn
    the date cell into 2026-10-20 00:00; a real time in a date cell shows its time."""
    from datetime import datetime

    from complaint_kit import layout
    from complaint_kit.adapters.openpyxl_book import write_value

    ws = openpyxl.Workbook().active
    day, general, timed = ws["A1"], ws["A2"], ws["A3"]
    day.number_format = layout.DATE_FORMAT
    timed.number_format = layout.DATE_FORMAT
    write_value(day, datetime(2026, 10, 20))
    write_value(general, datetime(2026, 10, 20, 9, 30))
    write_value(timed, datetime(2026, 10, 20, 9, 30))
    assert (day.number_format, general.number_format, timed.number_format) == (
        layout.DATE_FORMAT,
        layout.DATETIME_FORMAT,
        layout.DATETIME_FORMAT,
    )
