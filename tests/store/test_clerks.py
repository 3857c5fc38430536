"""Clerks at work on real files, CI-sized (the full counts: ``tests/stress/kill_trials.py`` and
``tests/stress/concurrent_accepts.py``). POSIX only: clerks are forked processes killed with SIGKILL."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from complaint_kit.store.files import TEMP_SUFFIX
from tests.stress import harness as h

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="forks clerks (POSIX)")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> tuple[Path, h.Office]:
    root = tmp_path_factory.mktemp("pristine")
    return root, h.make_office(root, forms=24)


@pytest.fixture
def office(pristine, tmp_path, monkeypatch) -> h.Office:
    """A fresh copy of the module's office (making 24 forms once is the slow part)."""
    import shutil

    root, made = pristine
    shutil.copytree(root, tmp_path, dirs_exist_ok=True)
    moved = h.Office(
        tmp_path / "office",
        tmp_path / "office" / made.register.name,
        [tmp_path / "office" / f.relative_to(made.root) for f in made.forms],
        tmp_path / made.key_file.name,
    )
    monkeypatch.setenv("COMPLAINT_KIT_KEY_FILE", str(moved.key_file))
    monkeypatch.setenv("COMPLAINT_KIT_CONF", str(tmp_path / "none.conf"))
    (tmp_path / "work").mkdir()
    return moved


def test_four_clerks_accepting_at_once_lose_nothing_and_never_share_a_number(office, tmp_path):
    result = h.concurrent_rounds(office, rounds=3, clerks=4, work=tmp_path / "work")
    assert result["failures"] == []
    assert (result["ok"], result["lost"], result["duplicates"]) == (12, 0, 0)


def test_clerks_whose_wait_runs_out_are_told_who_holds_the_register_and_nothing_is_written(office, tmp_path):
    result = h.concurrent_rounds(office, rounds=2, clerks=4, work=tmp_path / "work", wait=0)
    assert result["failures"] == []
    assert result["refused_told"] >= 1 and result["ok"] >= 2  # the first clerk of each round gets through
    assert result["ok"] + result["refused_told"] == 8


def test_the_register_open_in_excel_elsewhere_refuses_each_clerk_by_name(office, tmp_path):
    from tests.store.test_lock import excel_owner_file

    owner = office.register.parent / f"~${office.register.name}"
    owner.write_bytes(excel_owner_file("张敏"))
    run = h.run(h.accept_args(office, office.forms[0]), out=tmp_path / "work" / "out.txt")
    assert run.status == 2 and "张敏" in run.output and "Excel" in run.output
    assert h.form_case_no(office.forms[0]) == ""
    owner.unlink()
    assert h.check_invariants(office) == []


def test_clerks_killed_at_every_step_and_at_random_leave_each_case_all_or_nothing(office, tmp_path):
    result = h.kill_trials(office, trials=30, seed=20261128, work=tmp_path / "work", echo=lambda _: None)
    assert result["failures"] == []
    assert result["stats"].get("killed", 0) >= 15  # the 15 scheduled steps at least
    assert result["accepted"] >= 3
    assert not list(office.root.rglob(f"*{TEMP_SUFFIX}"))


def test_the_checker_itself_sees_a_half_recorded_case(office):
    """The invariants can fail: a form numbered without its register row (the old two-replace
    save, killed in between) is reported."""
    from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
    from complaint_kit.ports import Changes

    book = OpenpyxlBook.open(office.forms[0])
    book.apply(Changes(names={"CaseNo": "261199"}))
    book.save()
    (office.register.parent / f".{office.register.name}.host.1.abcd{TEMP_SUFFIX}").write_bytes(b"x")
    broken = h.check_invariants(office)
    assert any("no register row" in b for b in broken) and any("litter" in b for b in broken)
