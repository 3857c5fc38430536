"""Tamper evidence end to end (issue 6): the signing key, ``complete -r`` refusing an edited form,
``verify`` on a register and its forms folder — on real .xlsx files."""

from __future__ import annotations

import os
import stat
from datetime import timedelta

import openpyxl
import pytest

from complaint_kit import layout as L
from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
from complaint_kit.domain.seal import key_id
from tests.conftest import KEY
from tests.e2e.test_cli import new_form, run, type_in


@pytest.fixture
def office(tmp_path):
    run("init", tmp_path / "office")
    return tmp_path / "office"


def accepted_case(office):
    form = new_form(office)
    reg = office / L.REGISTER_FILE
    run("accept", form, "-r", reg, "--now", "2026-11-23T11:30", "--user", "王静")
    type_in(form, QualityCause="电镀", ResponsibleUnit="制造部", RnDNeeded="否")
    run("complete", form, "--stage", "quality", "--by", "张敏", "-r", reg, "--now", "2026-11-24T10:00")
    type_in(
        form, MfgCause="电流", MfgCountermeasure="改善", ProductionUnit="二组", MachineShift="夜班", Operators="王五"
    )
    return form, reg


def test_keys_init_writes_a_private_key_and_refuses_to_overwrite(tmp_path):
    path = tmp_path / "k" / "signing.key"
    result = run("keys", "init", "--file", path)
    assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(path.read_text().strip()) == 64 and "切勿" in result.output
    assert "不覆盖" in run("keys", "init", "--file", path, code=2).output
    assert run("keys", "show-id").output.strip() == key_id(KEY)


def test_a_register_write_without_a_key_tells_the_administrator_what_to_run(office, monkeypatch, tmp_path):
    form = new_form(office)
    monkeypatch.setenv("COMPLAINT_KIT_KEY_FILE", str(tmp_path / "nowhere.key"))
    result = run("accept", form, "-r", office / L.REGISTER_FILE, "--now", "2026-11-23T11:30", code=2)
    assert "complaint-kit keys init" in result.output and "Traceback" not in result.output
    assert OpenpyxlBook.open(form).read_names(["CaseNo"])["CaseNo"] is None


def test_an_untouched_office_verifies_clean(office):
    _, reg = accepted_case(office)
    result = run("verify", reg)
    assert "核验完成" in result.output and "表单 1 张" in result.output and "发现 0 处问题" in result.output


def test_a_moved_deadline_is_refused_by_complete_and_found_by_verify(office):
    form, reg = accepted_case(office)
    due = OpenpyxlBook.open(form).read_names(["ManufacturingDueAt"])["ManufacturingDueAt"]
    type_in(form, ManufacturingDueAt=due + timedelta(days=28))
    before = reg.read_bytes()
    result = run(
        "complete", form, "--stage", "manufacturing", "--by", "x", "-r", reg, "--now", "2026-11-25T09:00", code=1
    )
    assert "ManufacturingDueAt" in result.output and "未写入任何文件" in result.output
    assert reg.read_bytes() == before
    assert "ManufacturingDueAt" in run("validate", form, code=1).output
    assert "ManufacturingDueAt" in run("verify", reg, code=1).output


def test_an_edited_journal_line_is_named_by_its_cell(office):
    _, reg = accepted_case(office)
    wb = openpyxl.load_workbook(reg)
    wb[L.JOURNAL_SHEET]["E2"] = "改过的说明"
    wb.save(reg)
    result = run("verify", reg, code=1)
    assert f"{L.JOURNAL_SHEET}!F2" in result.output and "E-JOURNAL-BROKEN" in result.output


def test_verify_with_another_key_names_both_keys(office, tmp_path, monkeypatch):
    _, reg = accepted_case(office)
    other = tmp_path / "other.key"
    other.write_text(os.urandom(32).hex())
    monkeypatch.setenv("COMPLAINT_KIT_KEY_FILE", str(other))
    result = run("verify", reg, code=1)
    assert "E-WRONG-KEY" in result.output and key_id(KEY) in result.output


def test_the_demo_runs_without_any_key(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPLAINT_KIT_KEY_FILE", str(tmp_path / "absent.key"))
    result = run("demo", tmp_path / "demo")
    assert not (tmp_path / "absent.key").exists()
    key_file = tmp_path / "demo" / "demo-signing.key"
    monkeypatch.setenv("COMPLAINT_KIT_KEY_FILE", str(key_file))
    assert "发现 0 处问题" in run("verify", tmp_path / "demo" / L.REGISTER_FILE).output
    assert "demo-signing.key" in result.output
