"""Cell functions (=CK_DUE, =CK_WORKTIME, =CK_STATUS) and the weight of the module VBA imports."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from types import SimpleNamespace

import pytest

from complaint_kit import layout as L
from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
from complaint_kit.addin import install, udfs
from complaint_kit.config import load_config, write_conf
from complaint_kit.ports import TableData
from tests.e2e.test_cli import run


@pytest.fixture
def no_config(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPLAINT_KIT_CONF", str(tmp_path / "none.conf"))
    udfs._cache.clear()


def test_ck_due_gives_a_stages_working_time_deadline(no_config):  # C6, T1
    assert udfs.CK_DUE(datetime(2026, 11, 23, 11, 30), "quality", "国内") == datetime(2026, 11, 24, 11, 30)
    assert udfs.CK_DUE(datetime(2026, 9, 30, 16, 0), "品管分析") == datetime(2026, 10, 8, 16, 0)  # National Day
    assert udfs.CK_DUE(46349.5, "negotiation", "国外") == datetime(
        2026, 12, 9, 12, 0
    )  # serial of 23 Nov 12:00 + 12 days


def test_ck_due_reports_bad_input_in_the_cell(no_config):
    assert udfs.CK_DUE(datetime(2026, 11, 23), "lunch", "国内").startswith("#错误")
    assert udfs.CK_DUE(None, "quality", "国内").startswith("#错误")
    assert udfs.CK_DUE(datetime(2026, 11, 23), "quality", "火星").startswith("#错误")


def test_ck_worktime_and_ck_status(no_config):  # T1, C18
    assert udfs.CK_WORKTIME(datetime(2026, 11, 27, 16, 0), datetime(2026, 11, 30, 11, 0)) == 4.0
    due = datetime(2026, 11, 24, 11, 30)
    assert udfs.CK_STATUS(due, None, datetime(2026, 11, 24, 9, 0)) == "即将到期"
    assert udfs.CK_STATUS(due, None, datetime(2026, 11, 24, 14, 0)) == "逾期"
    assert udfs.CK_STATUS(due, datetime(2026, 11, 24, 10, 0), None) == "按时完成"
    assert udfs.CK_STATUS(due, datetime(2026, 11, 25, 10, 0), None) == "逾期完成"


def test_cell_functions_follow_the_configured_registers_settings(tmp_path, monkeypatch):
    run("init", tmp_path / "office")
    reg = tmp_path / "office" / L.REGISTER_FILE
    book = OpenpyxlBook.open(reg)
    table = book.read_table(L.SETTINGS_TABLE)
    rows = [list(r) for r in table.rows]
    rows[[r[0] for r in rows].index("quality_days")][2] = 2
    from complaint_kit.ports import Changes

    book.apply(Changes(tables={L.SETTINGS_TABLE: TableData(table.headers, rows).rows}))
    book.save()
    conf = tmp_path / "c.conf"
    write_conf(conf, {"REGISTER": str(reg)})
    monkeypatch.setenv("COMPLAINT_KIT_CONF", str(conf))
    udfs._cache.clear()
    assert udfs.CK_DUE(datetime(2026, 11, 23, 11, 30), "quality") == datetime(2026, 11, 25, 11, 30)


def test_config_file_is_overridden_by_the_workbook_sheet(tmp_path):
    conf = tmp_path / "c.conf"
    write_conf(conf, {"REGISTER": "/a/register.xlsx", "USER": "王静"})
    write_conf(conf, {"FORMS_DIR": "/a/forms"})  # merged, not replaced
    config = load_config({"USER": "李强"}, path=conf)
    assert (str(config.register), config.user, str(config.forms_dir)) == ("/a/register.xlsx", "李强", "/a/forms")
    assert config.sources == {"REGISTER": "file", "USER": "sheet", "FORMS_DIR": "file"}


def test_the_module_vba_imports_pulls_in_nothing_heavy():
    code = (
        "import sys, json, complaint_kit.addin; print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'xlwings', 'openpyxl', 'pandas', 'numpy', 'typer', 'pydantic', 'rich'})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def _platform(monkeypatch, name: str) -> list[tuple[str, ...]]:
    """Run the install as on ``name`` (whatever this machine is); commands are recorded, not run."""
    ran: list[tuple[str, ...]] = []
    monkeypatch.setattr(install, "sys", SimpleNamespace(platform=name, executable=sys.executable))
    monkeypatch.setattr(install.subprocess, "run", lambda command, **_: ran.append(tuple(command)))
    return ran


def test_install_without_desktop_excel_prints_the_plan_and_changes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("COMPLAINT_KIT_CONF", str(tmp_path / "ck.conf"))
    ran = _platform(monkeypatch, "linux")
    out = run("addin", "install", "--register", "/x/reg.xlsx", "--user", "王静").output
    assert "nothing was changed" in out and "xlwings.cli addin install" in out and "USE UDF SERVER" in out
    assert ran == [] and not (tmp_path / "ck.conf").exists()


def test_install_dry_run_on_windows_prints_the_plan_and_changes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPLAINT_KIT_CONF", str(tmp_path / "ck.conf"))
    ran = _platform(monkeypatch, "win32")
    out = run("addin", "install", "--register", "/x/reg.xlsx", "--user", "王静", "--dry-run").output
    assert "xlwings.cli addin install" in out and "nothing was changed" not in out
    assert ran == [] and not (tmp_path / "ck.conf").exists()


def test_install_on_windows_runs_xlwings_own_commands_and_writes_our_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPLAINT_KIT_CONF", str(tmp_path / "ck.conf"))
    xlwings_conf = tmp_path / "xlwings.conf"
    monkeypatch.setattr(install, "xlwings_conf_path", lambda: xlwings_conf)
    ran = _platform(monkeypatch, "win32")
    run("addin", "install", "--register", "/x/reg.xlsx", "--user", "王静")
    assert len(ran) == 2 and ran[0][1:] == ("-m", "xlwings.cli", "addin", "install")
    assert ran[1][1:-1] == ("-m", "xlwings.cli", "addin", "install", "--file")
    assert ran[1][-1].endswith("complaint_kit.xlam")
    assert '"USE UDF SERVER","True"' in xlwings_conf.read_text(encoding="utf-8")
    config = load_config({}, path=tmp_path / "ck.conf")
    assert (str(config.register), config.user) == ("/x/reg.xlsx", "王静")
