"""Issue 6, item 4 on the command line: hostile input is a Chinese + English message and a
non-zero exit, never a traceback on the clerk's screen, and nothing is written."""

from __future__ import annotations

import shutil

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName
from typer.testing import CliRunner

from complaint_kit import layout as L
from complaint_kit.cli import app
from complaint_kit.templates import template_dir

runner = CliRunner()


def run(*args, code: int):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.output


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("划" * 32_768, "E-TOO-LONG"),
        ("华星\x07光电", "E-CONTROL-CHAR"),
        ("华星\udcff", "E-BAD-CHAR"),  # what a mis-encoded terminal hands Python
    ],
)
def test_set_refuses_what_a_cell_cannot_hold_naming_the_field(tmp_path, value, code):
    out = run("new-form", tmp_path / "f.xlsx", "--set", f"Customer={value}", code=1)
    assert code in out and "客户名称" in out and "Customer" in out
    assert not (tmp_path / "f.xlsx").exists()


def test_a_new_form_is_never_saved_as_xlsx_under_an_xlsm_name(tmp_path):
    out = run("new-form", tmp_path / "f.xlsm", code=2)
    assert ".xlsm" in out and not (tmp_path / "f.xlsm").exists()


def test_an_xlsm_form_is_refused_with_its_own_message_and_left_untouched(tmp_path):
    path = tmp_path / "form.xlsm"
    shutil.copyfile(template_dir() / L.FORM_FILE, path)
    before = path.read_bytes()
    out = run("validate", path, code=2)
    assert "含宏" in out and "macro" in out
    assert path.read_bytes() == before


def test_broken_defined_names_are_listed_one_per_line(tmp_path):
    wb = openpyxl.load_workbook(template_dir() / L.FORM_FILE)
    for name, target in (("CaseNo", "#REF!"), ("Customer", f"'{L.FORM_SHEET}'!$A:$A")):
        del wb.defined_names[name]
        wb.defined_names[name] = DefinedName(name, attr_text=target)
    path = tmp_path / "form.xlsx"
    wb.save(path)
    out = run("validate", path, code=2)
    assert out.count("[E-BAD-NAME]") == 2 and "CaseNo" in out and "Customer" in out


def test_an_unknown_form_version_has_its_own_message(tmp_path):
    wb = openpyxl.load_workbook(template_dir() / L.FORM_FILE)
    sheet, ref = next(iter(wb.defined_names[L.META_VERSION].destinations))
    wb[sheet][ref.replace("$", "")].value = "99"
    path = tmp_path / "form.xlsx"
    wb.save(path)
    assert "较新版本" in run("validate", path, code=2)


def test_an_unexpected_failure_exits_3_and_goes_to_the_log_not_the_screen(tmp_path, monkeypatch):
    import complaint_kit.actions.forms as forms

    def boom(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(forms, "validate_form", boom)
    monkeypatch.setenv("COMPLAINT_KIT_LOG", str(tmp_path / "cli.log"))
    path = tmp_path / "form.xlsx"
    shutil.copyfile(template_dir() / L.FORM_FILE, path)
    out = run("validate", path, code=3)
    assert "内部错误" in out and "a bug" not in out
    assert "RuntimeError: a bug" in (tmp_path / "cli.log").read_text(encoding="utf-8")
