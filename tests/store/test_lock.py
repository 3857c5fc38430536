"""One writer at a time (DESIGN.md "Reliability and trust"; issue: parallel clerks lost cases)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import asdict, replace
from pathlib import Path

import pytest

from complaint_kit.store import lock as lock_mod
from complaint_kit.store.files import HOST
from complaint_kit.store.lock import LockInfo, RegisterBusy, RegisterLock, break_lock, lock_path, read_lock


@pytest.fixture
def register(tmp_path: Path) -> Path:
    path = tmp_path / "登记表.xlsx"
    path.write_bytes(b"register")
    return path


def dead_pid() -> int:
    out = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(out.stdout)


def plant(register: Path, **changes) -> LockInfo:
    info = LockInfo(
        user="李四",
        host=HOST,
        pid=os.getpid(),
        process_started=0.0,
        since="2026-11-28T09:00:00",
        command="受理 accept",
        token="feedfacefeedface",
    )
    info = replace(info, **changes)
    lock_path(register).write_text(json.dumps(asdict(info), ensure_ascii=False), encoding="utf-8")
    return info


def test_the_lock_file_names_who_holds_it_and_goes_away_on_release(register):
    with RegisterLock(register, user="王静", command="受理 accept") as held:
        info = read_lock(register)
        assert info is not None and info.token == held.info.token
        assert (info.user, info.host, info.pid, info.command) == ("王静", HOST, os.getpid(), "受理 accept")
        assert info.process_started > 0
    assert not lock_path(register).exists()


def test_a_second_writer_waits_its_turn_and_is_told_it_waits(register):
    order: list[str] = []
    notices: list[str] = []
    first = RegisterLock(register, user="甲").__enter__()

    def second() -> None:
        with RegisterLock(register, user="乙", notice=notices.append, wait=10):
            order.append("second")

    t = threading.Thread(target=second)
    t.start()
    time.sleep(lock_mod.NOTICE_AFTER + 0.3)
    order.append("first done")
    first.__exit__(None, None, None)
    t.join(5)
    assert order == ["first done", "second"]
    assert len(notices) == 1 and "甲" in notices[0] and "等待" in notices[0]


def test_a_lock_held_past_the_wait_is_refused_naming_the_holder(register):
    plant(register, user="李四")  # this very process: alive
    with pytest.raises(RegisterBusy) as busy:
        RegisterLock(register, user="王静", wait=0.2).acquire()
    assert "李四" in busy.value.zh and "2026-11-28 09:00:00" in busy.value.zh and "unlock" in busy.value.zh
    assert read_lock(register).user == "李四"  # refused, not broken


def test_a_lock_left_by_a_process_that_died_is_broken_and_reported(register):
    plant(register, pid=dead_pid())
    with RegisterLock(register, user="王静", wait=0.2) as held:
        assert [b.user for b in held.broken] == ["李四"]
        assert read_lock(register).user == "王静"


def test_a_reused_pid_is_not_mistaken_for_the_holder(register):
    # the pid runs (it is ours) but the recorded start time is another process's
    plant(register, process_started=12345.0)
    with RegisterLock(register, wait=0.2) as held:
        assert len(held.broken) == 1


def test_a_lock_from_another_computer_is_never_broken_automatically(register):
    plant(register, host="OTHER-PC", pid=1)
    with pytest.raises(RegisterBusy) as busy:
        RegisterLock(register, wait=0.2).acquire()
    assert "another computer" in busy.value.en
    assert read_lock(register).host == "OTHER-PC"


def test_an_empty_lock_file_is_broken_only_once_it_is_old(register):
    path = lock_path(register)
    path.write_bytes(b"")
    with pytest.raises(RegisterBusy):
        RegisterLock(register, wait=0.2).acquire()
    old = time.time() - lock_mod.EMPTY_LOCK_STALE - 5
    os.utime(path, (old, old))
    with RegisterLock(register, wait=0.2):
        pass


def test_breaking_never_removes_a_lock_that_changed_since_it_was_found_stale(register):
    stale = plant(register, pid=dead_pid(), token="0000000000000000")
    plant(register, token="1111111111111111")  # a live writer took it meanwhile
    assert not break_lock(lock_path(register), expected=stale)
    assert read_lock(register).token == "1111111111111111"
    assert break_lock(lock_path(register), expected=read_lock(register))
    assert not lock_path(register).exists()


def test_breakers_take_turns_and_a_killed_breakers_file_expires(register):
    info = plant(register, pid=dead_pid())
    breaker = lock_path(register).with_name(lock_path(register).name + ".break")
    breaker.write_text("x")
    assert not break_lock(lock_path(register), expected=info)  # someone else is breaking
    assert lock_path(register).exists()
    old = time.time() - lock_mod.BREAKER_STALE - 5
    os.utime(breaker, (old, old))
    assert not break_lock(lock_path(register), expected=info)  # expires the dead breaker's file
    assert break_lock(lock_path(register), expected=info)


def excel_owner_file(name: str) -> bytes:
    """The 165-byte owner file Excel writes: length + ANSI name padded to 54, then UTF-16."""
    ansi = name.encode("gbk")
    head = bytes([len(name)]) + ansi.ljust(53, b" ")
    return head + bytes([len(name), 0]) + name.encode("utf-16-le").ljust(109, b" ")


def test_the_register_open_in_excel_elsewhere_is_refused_at_once_naming_the_person(register):
    (register.parent / f"~${register.name}").write_bytes(excel_owner_file("张敏"))
    started = time.monotonic()
    with pytest.raises(RegisterBusy) as busy:
        RegisterLock(register, wait=10).acquire()
    assert time.monotonic() - started < 2  # a person holds it: no point waiting
    assert "张敏" in busy.value.zh and "Excel" in busy.value.zh
    assert not lock_path(register).exists()


def test_the_add_in_writing_through_this_excel_is_not_refused_by_its_own_owner_file(register):
    (register.parent / f"~${register.name}").write_bytes(excel_owner_file("王静"))
    with RegisterLock(register, allow_office_owner=True):
        assert lock_path(register).exists()


def test_a_libreoffice_lock_file_is_honoured_too(register):
    (register.parent / f".~lock.{register.name}#").write_text(",赵磊,PC-7,赵磊,28.11.2026 09:00,file:///x;", "utf-8")
    with pytest.raises(RegisterBusy) as busy:
        RegisterLock(register).acquire()
    assert "赵磊" in busy.value.zh and "LibreOffice" in busy.value.zh


def test_release_leaves_a_lock_that_is_no_longer_ours(register):
    held = RegisterLock(register).__enter__()
    plant(register, token="2222222222222222")
    held.release()
    assert read_lock(register).token == "2222222222222222"


def test_the_lock_appears_whole_or_not_at_all_and_leaves_no_private_file(register):
    with RegisterLock(register, user="王静"):
        assert read_lock(register).user == "王静"  # never an empty file another clerk could see
        assert [p.name for p in register.parent.iterdir() if p.name.endswith(".ck-tmp")] == []


def test_without_hard_links_the_lock_is_an_exclusive_create(register, monkeypatch):
    def no_links(src, dst):
        raise OSError(95, "Operation not supported")

    monkeypatch.setattr(os, "link", no_links)
    with RegisterLock(register, user="王静"):
        assert read_lock(register).user == "王静"
        with pytest.raises(RegisterBusy):
            RegisterLock(register, wait=0.1).acquire()
    assert not lock_path(register).exists()
