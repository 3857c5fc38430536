"""The CLI reads times as people type them and names the option that is wrong (issue 8 item 6);
refresh prints the 催办单 per department; long work shows progress on a terminal only (item 9)."""

from __future__ import annotations

from complaint_kit import layout as L
from complaint_kit.console import progress, reminder_table
from tests.e2e import test_cli
from tests.e2e.test_cli import new_form, run

office = test_cli.office  # the fixture: an office made by init


def test_every_time_option_takes_the_same_spellings_and_names_itself(office):
    reg = office / L.REGISTER_FILE
    form = new_form(office)
    bad = run("accept", form, "-r", reg, "--now", "2026/11/23 11:30", "--received-at", "2026/11/23", code=2)
    assert "--received-at" in bad.output and "--now" not in bad.output and "只有日期" in bad.output
    assert "--now" in run("validate", form, "--now", "明天", code=2).output
    out = run(
        "accept",
        form,
        "-r",
        reg,
        "--now",
        "2026年11月23日 11:30",
        "--received-at",
        "2026/11/23 11:00",
        "--user",
        "王静",
    ).output
    assert "261101" in out
    assert "表单检查通过" in run("validate", form, "--now", "２０２６－１１－２３　１２：００").output  # full-width


def test_refresh_prints_the_reminders_per_department(office):
    reg = office / L.REGISTER_FILE
    form = new_form(office)
    run("accept", form, "-r", reg, "--now", "2026-11-23T11:30", "--user", "王静")
    quiet = run("refresh", reg, "--now", "2026-11-23T12:00", "--user", "王静").output
    assert "无逾期案件" in quiet
    late = run("refresh", reg, "--now", "2026-12-08T10:00", "--user", "王静").output
    assert "催办单 reminders (C18)" in late and "质量管理部" in late and "261101（品管分析" in late
    assert "合计 total" in late


def test_the_reminder_table_lists_each_department_with_its_cases():
    text = reminder_table({"制造部": [("261101", "制造对策", "1天2小时")], "业务部": [("261102", "业务协商", "3小时")]})
    lines = text.splitlines()
    assert lines.index(next(x for x in lines if "业务部" in x)) < lines.index(next(x for x in lines if "制造部" in x))
    assert "261101（制造对策，1天2小时）" in text


def test_progress_is_silent_when_not_on_a_terminal(capsys):
    assert list(progress(range(5), total=5, label="x")) == [0, 1, 2, 3, 4]
    assert capsys.readouterr() == ("", "")
