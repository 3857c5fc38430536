"""Forms that travel by e-mail (issue 9), on files through the CLI: the hand-over draft after
``complete``, C13 (never outside the company), ``import`` of what comes back, ``refresh --mail``."""

from __future__ import annotations

import email
import email.policy
from datetime import datetime
from pathlib import Path

from complaint_kit import layout as L
from complaint_kit.actions.records import register_records
from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
from complaint_kit.ports import Changes
from tests.e2e import test_cli
from tests.e2e.test_cli import new_form, run, type_in

office = test_cli.office  # the fixture: an office made by init

DIRECTORY = [
    ["质量管理部", "张敏", "zhang.min@hx-pcb.com"],
    ["制造部", "赵六", "zhao.liu@hx-pcb.com"],
    ["业务部", "李强", "li.qiang@hx-pcb.com"],
    ["总经理室", "王静", "wang.jing@hx-pcb.com"],
]
QUALITY = {"QualityCause": "电镀不良", "ResponsibleUnit": "制造部", "RnDNeeded": "否"}
MFG = {
    "MfgCause": "电流",
    "MfgCountermeasure": "调整电流并加检",
    "ProductionUnit": "二组",
    "MachineShift": "夜班",
    "Operators": "王五",
    "ProductionDate": datetime(2026, 10, 20),
}


def set_mail(register: Path, directory=DIRECTORY, domains="hx-pcb.com") -> None:
    """What the GM office types on 设置: the company's domains and the 邮件通讯录."""
    book = OpenpyxlBook.open(register)
    rows = [list(r) for r in book.read_table(L.SETTINGS_TABLE).rows]
    for r in rows:
        if r[0] == "mail_domains":
            r[2] = domains
    book.apply(Changes(tables={L.SETTINGS_TABLE: rows, L.MAILBOXES_TABLE: directory}))
    book.save()


def accepted(office: Path) -> Path:
    reg = office / L.REGISTER_FILE
    set_mail(reg)
    form = new_form(office)
    run("accept", form, "-r", reg, "--now", "2026-11-23T11:30", "--user", "王静")
    return form


def parse(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def test_completing_a_stage_writes_an_unsent_draft_to_the_next_department(office):
    form = accepted(office)
    type_in(form, **QUALITY)
    out = run("complete", form, "--stage", "quality", "--by", "张敏", "--now", "2026-11-24T10:00").output
    outbox = form.parent / L.OUTBOX_DIR
    name = L.handover_file_name("261101", "华星光电", "品管分析")
    eml, copy = outbox / name.replace(".xlsx", ".eml"), outbox / name
    assert str(eml) in out and copy.exists()
    msg = parse(eml)
    assert msg["X-Unsent"] == "1"
    assert msg["To"] == "zhao.liu@hx-pcb.com" and msg["Cc"] == "wang.jing@hx-pcb.com"
    assert msg["Subject"] == "客诉 261101（华星光电）：请于 2026-11-25 10:00 前完成 制造对策"
    body = msg.get_body(("plain",)).get_content()
    assert "张敏" in body and "2026-11-25 10:00" in body and "C13" in body
    (part,) = list(msg.iter_attachments())
    assert part.get_filename() == name and part.get_content_type() == "application/" + (
        "vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert part.get_payload(decode=True) == copy.read_bytes() == form.read_bytes()  # byte-identical


def test_a_form_is_never_addressed_outside_the_companys_domains(office):  # C13
    form = accepted(office)
    set_mail(office / L.REGISTER_FILE, [*DIRECTORY[:1], ["制造部", "客户采购", "buyer@customer.com"]])
    type_in(form, **QUALITY)
    result = run(
        "complete",
        form,
        "--stage",
        "quality",
        "--by",
        "张敏",
        "-r",
        office / L.REGISTER_FILE,
        "--now",
        "2026-11-24T10:00",
    )
    assert "E-MAIL-OUTSIDE" in result.output and "buyer@customer.com" in result.output
    assert "未生成邮件草稿" in result.output and not (form.parent / L.OUTBOX_DIR).exists()
    (row,) = register_records(OpenpyxlBook.open(office / L.REGISTER_FILE).read_table(L.REGISTER_TABLE))
    assert row["quality_done_at"] == datetime(2026, 11, 24, 10, 0)  # the stage itself is done


def test_the_round_trip_a_mail_comes_back_and_is_imported_once(office, tmp_path):
    form = accepted(office)
    reg = office / L.REGISTER_FILE
    type_in(form, **QUALITY)
    run("complete", form, "--stage", "quality", "--by", "张敏", "--now", "2026-11-24T10:00")
    # 制造部 works on the attachment and completes its stage; its draft goes on to 业务部, the GM office in copy
    mfg = tmp_path / "制造部" / "f.xlsx"
    mfg.parent.mkdir()
    mfg.write_bytes(next((form.parent / L.OUTBOX_DIR).glob("*.xlsx")).read_bytes())
    type_in(mfg, **MFG)
    run("complete", mfg, "--stage", "manufacturing", "--by", "赵六", "--now", "2026-11-24T16:00")
    (draft,) = (mfg.parent / L.OUTBOX_DIR).glob("*.eml")
    inbox = office / L.INBOX_DIR
    (inbox / draft.name).write_bytes(draft.read_bytes())  # the GM office saves the mail it got in copy
    (inbox / "旧版.xlsx").write_bytes(next((form.parent / L.OUTBOX_DIR).glob("*.xlsx")).read_bytes())
    (inbox / "损坏.xlsx").write_text("not a workbook", encoding="utf-8")
    out = run("import", reg, "--now", "2026-11-24T17:00", "--user", "王静").output
    assert "品管分析、制造对策 已记入登记表" in out and "较旧，已忽略" in out and "无法读取" in out
    (row,) = register_records(OpenpyxlBook.open(reg).read_table(L.REGISTER_TABLE))
    assert row["manufacturing_done_at"] == datetime(2026, 11, 24, 16, 0) and row["current_stage"] == "业务协商"
    assert row["responsible_unit"] == "制造部" and row["latest_note"] == "制造对策：调整电流并加检"
    assert sorted(p.name for p in inbox.iterdir()) == []  # every file moved, none deleted
    imported = office / L.IMPORTED_DIR / "2026-11"
    assert {p.name for p in imported.iterdir()} == {draft.name, "旧版.xlsx"}
    refused = office / L.REFUSED_DIR
    assert {p.name for p in refused.iterdir()} == {"损坏.xlsx", "损坏.xlsx" + L.REFUSED_NOTE_SUFFIX}
    assert "无法读取" in (refused / ("损坏.xlsx" + L.REFUSED_NOTE_SUFFIX)).read_text(encoding="utf-8")
    assert OpenpyxlBook.open(form).read_names(["MfgCountermeasure"])["MfgCountermeasure"] == "调整电流并加检"
    assert "0 break" in run("verify", reg).output  # the office's copy in 表单/ is the imported revision
    before = reg.read_bytes()
    (inbox / "again.eml").write_bytes((imported / draft.name).read_bytes())
    again = run("import", reg, "--now", "2026-11-25T09:00", "--user", "王静").output
    assert "无变化" in again and reg.read_bytes() == before  # nothing written the second time


def test_refresh_writes_one_reminder_draft_per_department_holding_overdue_cases(office):
    form = accepted(office)
    reg = office / L.REGISTER_FILE
    assert form.exists()
    out = run("refresh", reg, "--mail", "--now", "2026-12-08T10:00", "--user", "王静").output
    draft = office / L.OUTBOX_DIR / L.reminder_mail_name("质量管理部", "2026-12-08")
    assert str(draft) in out
    msg = parse(draft)
    assert msg["To"] == "zhang.min@hx-pcb.com" and "261101" in msg.get_body(("plain",)).get_content()
    assert msg["X-Unsent"] == "1" and list(msg.iter_attachments()) == []


def test_nothing_in_the_inbox_is_passed_over_and_a_form_in_a_subfolder_is_found(office):
    form = accepted(office)
    type_in(form, **QUALITY)
    run("complete", form, "--stage", "quality", "--by", "张敏", "--now", "2026-11-24T10:00")
    inbox = office / L.INBOX_DIR
    (inbox / "子文件夹").mkdir()
    (inbox / "子文件夹" / "回传.xlsx").write_bytes(next((form.parent / L.OUTBOX_DIR).glob("*.xlsx")).read_bytes())
    (inbox / "会议纪要.txt").write_text("纪要", encoding="utf-8")
    (inbox / "宏.xlsm").write_bytes(b"PK\x03\x04")
    (inbox / "~$回传.xlsx").write_bytes(b"owner file")  # Excel's lock file: left alone
    out = run("import", office / L.REGISTER_FILE, "--now", "2026-11-24T17:00", "--user", "王静").output
    assert "品管分析 已记入登记表" in out
    refused = {p.name for p in (office / L.REFUSED_DIR).iterdir()}
    assert {"会议纪要.txt", "宏.xlsm"} <= refused and "会议纪要.txt" + L.REFUSED_NOTE_SUFFIX in refused
    left = sorted(p.relative_to(inbox).as_posix() for p in inbox.rglob("*") if p.is_file())
    assert left == ["~$回传.xlsx"]
