"""The CLI's promises about files (issue 6): one writer at a time, modes kept, nothing left
behind, success printed only when both files are saved, and a clear way out of a stuck lock."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from complaint_kit import layout as L
from complaint_kit.cli import app
from complaint_kit.store.lock import lock_path
from complaint_kit.store.txn import commit_path
from tests.e2e.test_cli import new_form, run, runner
from tests.store.test_lock import dead_pid, excel_owner_file
from tests.store.test_lock import plant as plant_lock


@pytest.fixture
def office(tmp_path) -> Path:
    run("init", tmp_path / "office")
    return tmp_path / "office"


ACCEPT = ("--now", "2026-11-23T10:00", "--user", "王静")


def test_accept_keeps_the_files_modes_and_leaves_no_temp_file_lock_or_record(office):
    form = new_form(office)
    register = office / L.REGISTER_FILE
    os.chmod(register, 0o664)
    os.chmod(form, 0o644)
    result = run("accept", form, "-r", register, *ACCEPT)
    assert "261101" in result.output
    assert stat.S_IMODE(register.stat().st_mode) == 0o664
    assert stat.S_IMODE(form.stat().st_mode) == 0o644
    names = [p.name for p in office.rglob(".*")]
    assert not [n for n in names if n.endswith((".ck-tmp", ".ck-lock", ".ck-commit", ".ck-pending"))], names


def test_a_register_held_by_another_command_is_refused_after_the_wait_naming_who(office, monkeypatch):
    form = new_form(office)
    register = office / L.REGISTER_FILE
    plant_lock(register)  # this test process: a live holder
    monkeypatch.setenv("COMPLAINT_KIT_LOCK_WAIT", "0.3")
    result = run("accept", form, "-r", register, *ACCEPT, code=2)
    assert "李四" in result.output and "2026-11-28 09:00:00" in result.output
    assert "complaint-kit unlock" in result.output and "已受理" not in result.output
    assert not runner.invoke(app, ["validate", str(form)]).exit_code


def test_a_stale_lock_of_a_killed_command_is_broken_and_the_clerk_told(office):
    form = new_form(office)
    register = office / L.REGISTER_FILE
    plant_lock(register, pid=dead_pid())
    result = run("accept", form, "-r", register, *ACCEPT)
    assert "已清除失效的锁" in result.output and "李四" in result.output and "261101" in result.output


def test_the_register_open_in_excel_is_refused_with_the_persons_name(office):
    form = new_form(office)
    register = office / L.REGISTER_FILE
    (office / f"~${register.name}").write_bytes(excel_owner_file("张敏"))
    result = run("refresh", register, "--now", "2026-11-23T10:00", code=2)
    assert "张敏" in result.output and "Excel" in result.output
    result = run("accept", form, "-r", register, *ACCEPT, code=2)
    assert "张敏" in result.output


def test_unlock_shows_the_holder_and_breaks_only_with_force_and_only_a_stopped_command(office):
    register = office / L.REGISTER_FILE
    run("unlock", register)  # not locked: says so, exit 0
    plant_lock(register)  # alive: this process
    shown = run("unlock", register, code=1)
    assert "李四" in shown.output and "--force" in shown.output
    run("unlock", register, "--force", code=2)  # still running here: refused
    assert lock_path(register).exists()
    plant_lock(register, host="OTHER-PC")  # another computer: the clerk checked, then forces
    assert "another computer" in run("unlock", register, code=1).output
    run("unlock", register, "--force")
    assert not lock_path(register).exists()


def test_an_interrupted_commit_is_finished_by_the_next_command_and_said_so(office, monkeypatch):
    from complaint_kit.store import txn

    form = new_form(office)
    register = office / L.REGISTER_FILE
    real = txn._move

    def die_after_the_register(s):
        real(s)
        if s.target == register:
            raise KeyboardInterrupt  # the process dies between the two files

    monkeypatch.setattr(txn, "_move", die_after_the_register)
    result = runner.invoke(app, ["accept", str(form), "-r", str(register), *ACCEPT])
    assert result.exit_code != 0 and "已受理" not in result.output  # no success line for a half-done save
    assert commit_path(register).exists()
    monkeypatch.setattr(txn, "_move", real)
    result = run("validate", form, "--now", "2026-11-23T10:05")  # a command on the form alone finishes the form
    assert "已完成上次中断的保存" in result.output
    result = run("refresh", register, "--now", "2026-11-23T10:10")
    assert not commit_path(register).exists()
    assert "处理中 1" in result.output
