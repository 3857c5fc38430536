"""Form and register as one commit: a crash at any step leaves all or nothing after recovery."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from complaint_kit.store import txn
from complaint_kit.store.files import HOST, TEMP_SUFFIX, sweep_temps, write_temp
from complaint_kit.store.txn import RecoveryError, Staged, commit, commit_path, marker_path, recover, recover_target


def dead_pid() -> int:
    out = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(out.stdout)


@pytest.fixture
def office(tmp_path: Path) -> tuple[Path, Path]:
    register = tmp_path / "登记表.xlsx"
    forms = tmp_path / "表单"
    forms.mkdir()
    form = forms / "客诉-01.xlsx"
    register.write_bytes(b"register v1")
    form.write_bytes(b"form v1")
    os.chmod(register, 0o644)
    os.chmod(form, 0o664)
    return register, form


def stage(target: Path, content: bytes, backups: int = 0) -> Staged:
    from complaint_kit.store.files import sha256_of

    tmp = write_temp(target, lambda p: p.write_bytes(content))
    return Staged(tmp, target, sha256_of(tmp), backups)


def litter(folder: Path) -> list[str]:
    return sorted(
        p.name for p in folder.rglob(".*") if p.name.endswith((TEMP_SUFFIX, txn.COMMIT_SUFFIX, txn.MARKER_SUFFIX))
    )


def test_commit_replaces_both_files_keeps_their_modes_and_leaves_nothing_behind(office):
    register, form = office
    commit(register, [stage(form, b"form v2"), stage(register, b"register v2", backups=3)])
    assert (register.read_bytes(), form.read_bytes()) == (b"register v2", b"form v2")
    assert stat.S_IMODE(register.stat().st_mode) == 0o644  # not 0600: colleagues keep access
    assert stat.S_IMODE(form.stat().st_mode) == 0o664
    assert litter(register.parent) == []
    assert [p.read_bytes() for p in (register.parent / "备份").iterdir()] == [b"register v1"]


@pytest.mark.parametrize("moves_done", [0, 1])
def test_a_crash_after_the_decision_is_finished_by_the_next_command(office, monkeypatch, moves_done):
    register, form = office
    real_move = txn._move
    calls = []

    def crashing_move(s: Staged) -> bool:
        if len(calls) == moves_done:
            raise KeyboardInterrupt("killed")  # stands in for the process dying here
        calls.append(s)
        return real_move(s)

    monkeypatch.setattr(txn, "_move", crashing_move)
    with pytest.raises(KeyboardInterrupt):
        commit(register, [stage(register, b"register v2"), stage(form, b"form v2")])
    monkeypatch.setattr(txn, "_move", real_move)
    assert commit_path(register).exists()
    notes = recover(register)
    assert (register.read_bytes(), form.read_bytes()) == (b"register v2", b"form v2")
    assert litter(register.parent) == []
    assert (notes and "登记表.xlsx" in notes[0]) or moves_done == 1


def test_a_crash_after_the_record_is_removed_leaves_only_a_harmless_marker(office, monkeypatch):
    register, form = office

    def killed(_folder: Path) -> None:
        raise KeyboardInterrupt("killed")

    monkeypatch.setattr(txn, "fsync_dir", killed)  # the sync right after the record is removed
    with pytest.raises(KeyboardInterrupt):
        commit(register, [stage(register, b"register v2"), stage(form, b"form v2")])
    monkeypatch.undo()
    assert (register.read_bytes(), form.read_bytes()) == (b"register v2", b"form v2")
    assert marker_path(form).exists()
    recover_target(form)
    assert litter(register.parent) == []


def test_a_crash_before_the_decision_rolls_back_to_the_old_files(office, monkeypatch):
    register, form = office
    real = txn._write_json

    def fail_on_record(path: Path, data: dict) -> None:
        if path == commit_path(register):
            raise OSError("disk full")
        real(path, data)

    monkeypatch.setattr(txn, "_write_json", fail_on_record)
    with pytest.raises(OSError):
        commit(register, [stage(register, b"register v2"), stage(form, b"form v2")])
    assert (register.read_bytes(), form.read_bytes()) == (b"register v1", b"form v1")
    assert litter(register.parent) == []


def test_a_killed_writers_temp_files_are_swept_but_a_live_writers_are_kept(office):
    register, _ = office
    dead = register.parent / f".{register.name}.{HOST}.{dead_pid()}.abcd1234{TEMP_SUFFIX}"
    live = register.parent / f".{register.name}.{HOST}.{os.getpid()}.abcd1234{TEMP_SUFFIX}"
    other_host = register.parent / f".{register.name}.OTHER.1.abcd1234{TEMP_SUFFIX}"
    for p in (dead, live, other_host):
        p.write_bytes(b"x")
    sweep_temps(register.parent)
    assert (dead.exists(), live.exists(), other_host.exists()) == (False, True, True)


def _kill_after_decision(register: Path, form: Path, *, decided: bool) -> None:
    """Leave the files as a writer killed after (or before) the commit record would: markers and
    temp files on disk, owned by a process that no longer runs."""
    pid = dead_pid()
    staged = [stage(register, b"register v2"), stage(form, b"form v2")]
    renamed = []
    for s in staged:
        tmp = s.tmp.with_name(f".{s.target.name}.{HOST}.{pid}.deadbeef{TEMP_SUFFIX}")
        s.tmp.rename(tmp)
        renamed.append(Staged(tmp, s.target, s.sha256))
    record = {"id": "r1", "host": HOST, "pid": pid, "process_started": 0, "moves": [s.as_json() for s in renamed]}
    marker_path(form).write_text(
        json.dumps(
            {"record": str(commit_path(register)), "id": "r1", "host": HOST, "pid": pid, "move": renamed[1].as_json()}
        ),
        encoding="utf-8",
    )
    if decided:
        commit_path(register).write_text(json.dumps(record), encoding="utf-8")


def test_a_command_on_the_form_alone_finishes_the_forms_part_of_a_decided_commit(office):
    register, form = office
    _kill_after_decision(register, form, decided=True)
    notes = recover_target(form)
    assert form.read_bytes() == b"form v2" and notes
    assert not marker_path(form).exists()
    recover(register)  # the register's part, at the next register command
    assert register.read_bytes() == b"register v2"
    assert litter(register.parent) == []


def test_an_undecided_commit_of_a_dead_writer_is_rolled_back_on_both_sides(office):
    register, form = office
    _kill_after_decision(register, form, decided=False)
    assert recover_target(form) == []
    recover(register)
    assert (register.read_bytes(), form.read_bytes()) == (b"register v1", b"form v1")
    assert litter(register.parent) == []


def test_a_form_command_leaves_a_live_writers_commit_alone(office):
    register, form = office
    staged = stage(form, b"form v2")
    marker_path(form).write_text(
        json.dumps(
            {
                "record": str(commit_path(register)),
                "id": "r9",
                "host": HOST,
                "pid": os.getpid(),
                "move": staged.as_json(),
            }
        ),
        encoding="utf-8",
    )
    recover_target(form)
    assert staged.tmp.exists() and marker_path(form).exists()


def test_a_temp_file_changed_after_the_decision_is_refused_not_moved(office):
    register, form = office
    _kill_after_decision(register, form, decided=True)
    record = json.loads(commit_path(register).read_text(encoding="utf-8"))
    Path(record["moves"][0]["tmp"]).write_bytes(b"tampered")
    with pytest.raises(RecoveryError):
        recover(register)
    assert register.read_bytes() == b"register v1"


def test_a_target_that_cannot_be_written_now_stops_the_commit_before_the_decision(office):
    register, _ = office
    blocked = register.parent / "blocked.xlsx"
    blocked.mkdir()  # cannot be opened for writing, like a workbook open in Excel on Windows
    with pytest.raises(PermissionError) as refused:
        commit(register, [stage(register, b"register v2"), stage(blocked / ".." / "blocked.xlsx", b"x")])
    assert "未写入任何文件" in str(refused.value)
    assert register.read_bytes() == b"register v1"
    assert litter(register.parent) == []


def test_a_replace_refused_after_the_decision_is_pending_and_finished_later(office, monkeypatch):
    register, form = office
    real = txn.replace

    def refuse_form(tmp: Path, target: Path) -> None:
        if target == form:
            raise PermissionError(13, "Permission denied", str(form))
        real(tmp, target)

    monkeypatch.setattr(txn, "replace", refuse_form)
    with pytest.raises(txn.CommitPending) as pending:
        commit(register, [stage(form, b"form v2"), stage(register, b"register v2")])
    assert "下次" in str(pending.value) and "next register command" in str(pending.value)
    assert register.read_bytes() == b"register v2"  # the register goes first
    monkeypatch.undo()
    recover(register)
    assert form.read_bytes() == b"form v2"
    assert litter(register.parent) == []
