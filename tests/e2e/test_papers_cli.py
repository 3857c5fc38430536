"""Papers after the decision end to end (issue 7): ``slips`` (R1, R2), ``receive`` (R3–R6),
``petition`` (C14, C16) and ``abnormal`` (C2) on real files, and (LibreOffice) each paper printed
on one A4 page."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from complaint_kit import layout as L
from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
from complaint_kit.ports import Changes
from tests.actions.test_approval import ROSTER
from tests.actions.test_decision import ROWS
from tests.conftest import KEY
from tests.e2e.test_cli import new_form, run, type_in
from tests.e2e.test_copies import STEPS, take_through

NOW = ("--now", "2026-12-01T10:00")
RECEIVED = ("--now", "2026-12-03T15:00")
SECTION_9 = ["ReceivedQty", "BookedQty", "ReceiptProof", "ReceiptAt", "ReceiptNote"]


def fill_table(path: Path, table: str, rows) -> None:
    """What a clerk types into a table in Excel (the roster, the form's 责任归属, 客户)."""
    book = OpenpyxlBook.open(path)
    book.apply(Changes(tables={table: [list(r) for r in rows]}))
    book.save()


@pytest.fixture
def office(tmp_path) -> Path:
    run("init", tmp_path / "office")
    fill_table(tmp_path / "office" / L.REGISTER_FILE, L.STAFF_TABLE, ROSTER)
    return tmp_path / "office"


def decided(office: Path, *, handling="退货", approved=100, name="f1.xlsx", version=None) -> Path:
    """A case through every stage with the register, decided as ``handling`` and approved by 周总."""
    reg = office / L.REGISTER_FILE
    form = new_form(office, name)
    if version is not None:
        make_version(form, version)
    run("accept", form, "-r", reg, "--now", "2026-11-23T11:30", "--received-at", "2026-11-23T11:00", "--user", "王静")
    for stage, values, at in STEPS[:4]:
        type_in(form, **values)
        run("complete", form, "--stage", stage, "--by", "经办", "-r", reg, "--now", at)
    decision = {"GMOpinion": "同意", "Handling": handling, "LossAmount": 1200, "ImprovementTracked": "是"}
    decision["ResaleStatus"] = "未转售"
    if version is None:
        decision["ApprovedQty"] = approved
    type_in(form, **decision)
    fill_table(form, L.RESPONSIBILITY_TABLE, ROWS)
    run("complete", form, "--stage", "consolidation", "--by", "王静", "-r", reg, "--now", "2026-11-30T14:00")
    type_in(form, ApprovalOpinion="同意")
    run("complete", form, "--stage", "approval", "--by", "周总", "-r", reg, "--now", "2026-12-01T09:00")
    return form


def make_version(path: Path, version: int) -> None:
    """A form from an older template: the names introduced later are missing, its version says so."""
    wb = openpyxl.load_workbook(path)
    for f in L.FORM_FIELDS:
        if f.since > version:
            del wb.defined_names[f.name]
    dest = next(iter(wb.defined_names[L.META_VERSION].destinations))
    wb[dest[0]][dest[1].replace("$", "")].value = str(version)
    wb.save(path)


@pytest.fixture
def plain_office(tmp_path) -> Path:
    """An office whose 人员 roster is empty (the five copies' tests run their cases in one)."""
    run("init", tmp_path / "plain")
    return tmp_path / "plain"


@pytest.fixture(scope="module")
def returned_office(tmp_path_factory) -> Path:
    """An office with one return (case 261101, 核准数量 100) decided and approved, built once per
    module with the tests' signing key; each test gets its own copy (:func:`returned`)."""
    home = tmp_path_factory.mktemp("returned-home")
    key = home / "signing.key"
    key.write_text(KEY.hex() + "\n", encoding="ascii")
    folder = tmp_path_factory.mktemp("returned") / "office"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COMPLAINT_KIT_KEY_FILE", str(key))
        mp.setenv("COMPLAINT_KIT_CONF", str(home / L.CONF_FILE))
        run("init", folder)
        fill_table(folder / L.REGISTER_FILE, L.STAFF_TABLE, ROSTER)
        decided(folder)
    return folder


@pytest.fixture
def returned(returned_office, tmp_path) -> Path:
    """The decided return's form, in a fresh copy of its office (the register beside 表单/)."""
    shutil.copytree(returned_office, tmp_path / "returned")
    return tmp_path / "returned" / L.FORMS_DIR / "f1.xlsx"


def register_of(form: Path) -> Path:
    return form.parent.parent / L.REGISTER_FILE


def section_9(form: Path) -> dict:
    return OpenpyxlBook.open(form).read_names(SECTION_9)


# -- slips ----------------------------------------------------------------------------------------------
def test_slips_writes_the_four_protected_copies_of_the_return_slip(returned):
    out = run("slips", returned, *NOW).output
    target = returned.with_name("客诉-261101-成品退货单.xlsx")
    assert "已开立成品退货单" in out and "4 copies" in out and f"written: {target}" in out
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames == ["第一联", "第二联", "第三联", "第四联"]
    assert wb.security is not None and wb.security.lockStructure and not list(wb.defined_names)
    titles = [ws["A1"].value for ws in wb.worksheets]
    assert titles[0] == "成品退货单　第一联（业务部留存）"
    assert titles[2] == "成品退货单　第三联（送成品仓储，收货后会计科存）"
    for ws in wb.worksheets:
        assert ws.protection.sheet and all(c.protection.locked for row in ws.iter_rows() for c in row)
        setup = ws.page_setup
        assert (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight) == (
            int(ws.PAPERSIZE_A4),
            "portrait",
            1,
            1,
        )
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_area and ws.title in ws.oddFooter.center.text
        values = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
        assert "261101" in values and "100" in values and "仓储签收" in values
        assert not any("C13" in v or "不得" in v for v in values)  # a slip may reach the customer (R6)


def test_slips_refuse_to_overwrite_without_force_and_write_elsewhere_with_out(returned, tmp_path):
    run("slips", returned, *NOW)
    target = returned.with_name("客诉-261101-成品退货单.xlsx")
    before = target.read_bytes()
    out = run("slips", returned, *NOW, code=2).output
    assert "file exists" in out and target.read_bytes() == before
    run("slips", returned, "--force", *NOW)
    run("slips", returned, "--out", tmp_path / "出单", *NOW)
    assert (tmp_path / "出单" / "客诉-261101-成品退货单.xlsx").exists()


def test_an_allowance_gets_the_two_copy_certificate(office):
    form = decided(office, handling="折让")
    run("slips", form, *NOW)
    wb = openpyxl.load_workbook(form.with_name("客诉-261101-销货折让证明单.xlsx"))
    assert [ws["A1"].value for ws in wb.worksheets] == [
        "销货折让证明单　第一联（业务部留存）",
        "销货折让证明单　第二联（送会计科存）",
    ]
    values = [c.value for row in wb.worksheets[0].iter_rows() for c in row]
    assert "折让金额" in values and "1,200.00" in values and "买受人盖章" in values


def test_an_invalid_complaint_gets_no_slip_and_nothing_is_written(plain_office):  # C16
    form = take_through(plain_office)  # decided 不成立
    out = run("slips", form, *NOW, code=1).output
    assert "E-SLIP-INVALID" in out and "不成立" in out and "nothing was written" in out
    assert not list(form.parent.glob("客诉-*"))


def test_a_case_not_closed_gets_no_slip(plain_office):
    form = take_through(plain_office, STEPS[:-1])
    assert "E-COPIES-NOT-CLOSED" in run("slips", form, *NOW, code=1).output


# -- receive --------------------------------------------------------------------------------------------
def test_receive_books_exactly_at_the_limit_and_refuses_a_second_receipt(returned):  # R3: 100 at 5 %
    out = run("receive", returned, "--qty", 105, "--proof", "销货退回证明单", "--by", "仓管陈", *RECEIVED).output
    assert "booked 105" in out and "W-RATIO-NOT-LOOKED-UP" in out
    assert "客户 华星光电、料号 PCB-1" in out and "李强" in out  # R5
    values = section_9(returned)
    assert values["ReceivedQty"] == 105 and values["BookedQty"] == 105
    assert (values["ReceiptProof"], values["ReceiptAt"]) == ("销货退回证明单", datetime(2026, 12, 3, 15, 0))
    log = OpenpyxlBook.open(returned).read_table(L.FORM_LOG_TABLE).rows
    assert log[-1][1:4] == ["退货实收", "登记实收", "仓管陈"]

    before = returned.read_bytes()
    out = run("receive", returned, "--qty", 100, "--proof", "原发票盖章", *RECEIVED, code=1).output
    assert "E-RECEIPT-DONE" in out and "--force" in out and returned.read_bytes() == before
    run("receive", returned, "--qty", 100, "--proof", "原发票盖章", "--force", *RECEIVED)
    assert section_9(returned)["BookedQty"] == 100
    run("copies", returned, *RECEIVED)  # section 九 is not sealed: the closed form still prints its copies
    assert "0 break(s)" in run("verify", register_of(returned)).output


def test_receive_one_above_the_limit_flags_it_books_nothing_and_exits_0(returned):  # R3, R4
    out = run("receive", returned, "--qty", 106, "--proof", "原发票盖章", *RECEIVED).output
    assert "W-RETURN-OVER-LIMIT" in out and "nothing booked" in out
    values = section_9(returned)
    assert (values["ReceivedQty"], values["BookedQty"]) == (106, None)
    assert "送总经理室裁决" in values["ReceiptNote"]


def test_receive_takes_the_customers_ratio_from_the_register(returned):  # R3
    reg = register_of(returned)
    fill_table(reg, L.CUSTOMERS_TABLE, [["华星光电 ", 0.1, "合同约定 10%"]])
    out = run("receive", returned, "--qty", 110, "--proof", "原发票盖章", "-r", reg, *RECEIVED).output
    assert "booked 110" in out and "W-" not in out
    assert "客户“华星光电”" in section_9(returned)["ReceiptNote"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_receive_lists_the_receivables_to_exclude_from_a_file(returned, tmp_path, suffix):  # R5
    rows = [
        ["客户", "料号", "发票号", "金额"],
        ["华星光电", "PCB-1", "INV-7", "800.25"],
        ["华星光电", "PCB-9", "INV-8", 5],
    ]
    path = tmp_path / f"应收账款{suffix}"
    if suffix == ".csv":
        path.write_text("\n".join(",".join(map(str, r)) for r in rows), encoding="gb18030")  # as Chinese Excel saves
    else:
        wb = openpyxl.Workbook()
        for r in rows:
            wb.active.append(r)
        wb.save(path)
    out = run("receive", returned, "--qty", 100, "--proof", "原发票盖章", "--receivables", path, *RECEIVED).output
    assert "INV-7" in out and "INV-8" not in out and "排除合计 800.25（1 笔）" in out


def test_receive_refuses_a_receivables_file_of_another_type(returned, tmp_path):
    path = tmp_path / "应收.txt"
    path.write_text("客户", encoding="utf-8")
    out = run("receive", returned, "--qty", 1, "--proof", "原发票盖章", "--receivables", path, *RECEIVED, code=2).output
    assert ".csv" in out and section_9(returned)["ReceivedQty"] is None


def test_receive_refuses_a_proof_of_the_other_kind(returned):  # R6
    out = run("receive", returned, "--qty", 100, "--proof", "销货折让证明单", *RECEIVED, code=1).output
    assert "E-PROOF-KIND" in out and "原发票盖章" in out and "销货退回证明单" in out


def test_receive_refuses_an_allowance(office):
    form = decided(office, handling="折让")
    assert "E-RECEIPT-NOT-RETURN" in run("receive", form, "--qty", 1, "--proof", "原发票盖章", *RECEIVED, code=1).output


def test_a_version_3_form_prints_its_slip_from_the_requested_quantity_but_takes_no_receipt(office):
    form = decided(office, version=3)
    out = run("slips", form, *NOW).output
    assert "W-APPROVED-QTY-FROM-REQUEST" in out and "已开立成品退货单" in out
    out = run("receive", form, "--qty", 20, "--proof", "原发票盖章", *RECEIVED, code=1).output
    assert "E-RECEIPT-OLD-FORM" in out and "complaint-kit reopen" in out


# -- petition -------------------------------------------------------------------------------------------
def test_petition_writes_the_petition_beside_the_form(returned):
    out = run("petition", returned, "--text", "客户不同意责任判定，要求重新会勘。", "--by", "李强", *RECEIVED).output
    target = returned.with_name("客诉-261101-签呈.xlsx")
    assert f"written: {target}" in out and "C14" in out
    ws = openpyxl.load_workbook(target).worksheets[0]
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert (
        ws["A1"].value == "签呈" and "客诉 261101 处理异议" in values and "客户不同意责任判定，要求重新会勘。" in values
    )
    assert {"部门主管意见", "总经理室意见", "总经理批示", "制造部 电镀二组"} <= set(values)
    assert ws.protection.sheet and ws.page_setup.fitToHeight == 1


def test_petition_of_a_form_not_accepted_is_refused(office):
    form = new_form(office)
    out = run("petition", form, "--text", "异议", *RECEIVED, code=1).output
    assert "E-NOT-ACCEPTED" in out and not form.with_name("客诉--签呈.xlsx").exists()


# -- abnormal -------------------------------------------------------------------------------------------
def abnormal_rows(reg: Path):
    return OpenpyxlBook.open(reg).read_table(L.ABNORMAL_TABLE).records()


def log_abnormal(reg: Path, at: str, *extra: str, code: int = 0):
    args = ["--customer", "华星光电", "--unit", "制造部", "--description", "外箱标签错位，未造成损失"]
    return run("abnormal", reg, *args, *extra, "--by", "王静", "--now", at, code=code)


def test_abnormal_numbers_logs_journals_and_prints_the_sheet(office):  # C2
    reg = office / L.REGISTER_FILE
    out = log_abnormal(reg, "2026-11-23T10:00", "--request", "回复原因及对策").output
    sheet = office / "异常处理单" / "异常处理单-YC2611-001.xlsx"
    assert "YC2611-001" in out and "2026-11-26 10:00" in out and f"written: {sheet}" in out
    log_abnormal(reg, "2026-11-24T10:00", "--due-days", "5")
    log_abnormal(reg, "2026-12-01T10:00")
    rows = abnormal_rows(reg)
    assert [r["编号"] for r in rows] == ["YC2611-001", "YC2611-002", "YC2612-001"]
    assert rows[1]["回复期限"] == datetime(2026, 12, 1, 10, 0) and rows[0]["处理要求"] == "回复原因及对策"
    journal = OpenpyxlBook.open(reg).read_table(L.JOURNAL_TABLE).rows
    assert [r[2] for r in journal[-3:]] == ["异常登记"] * 3
    ws = openpyxl.load_workbook(sheet).worksheets[0]
    assert ws["A1"].value == "异常处理单" and ws.protection.sheet
    assert "0 break(s)" in run("verify", reg).output  # journaled and sealed like every register write


def test_abnormal_reply_records_the_answer_and_an_unknown_number_is_a_message(office):
    reg = office / L.REGISTER_FILE
    log_abnormal(reg, "2026-11-23T10:00")
    out = run("abnormal", reg, "--reply", "YC2611-001", "--text", "贴标机已校正", "--by", "刘洋", *RECEIVED).output
    assert "YC2611-001" in out and "late" in out  # due 11-26, answered 12-03
    row = abnormal_rows(reg)[0]
    assert row["状态"] == "已回复" and row["回复"].startswith("贴标机已校正")
    before = reg.read_bytes()
    out = run("abnormal", reg, "--reply", "YC2611-007", "--text", "x", *RECEIVED, code=1).output
    assert "E-ABNORMAL-UNKNOWN" in out and reg.read_bytes() == before


@pytest.mark.parametrize(
    "args",
    [
        ["--customer", "华星光电", "--unit", "制造部"],  # no --description
        ["--reply", "YC2611-001"],  # no --text
        ["--reply", "YC2611-001", "--text", "x", "--unit", "制造部"],
    ],
)
def test_abnormal_is_a_usage_error_without_what_it_needs(office, args):
    out = run("abnormal", office / L.REGISTER_FILE, *args, code=2).output
    assert "错误 error" in out


def test_an_old_register_without_the_abnormal_table_is_told_to_upgrade(office):
    reg = office / L.REGISTER_FILE
    wb = openpyxl.load_workbook(reg)
    del wb[L.ABNORMAL_SHEET]
    wb.save(reg)
    out = log_abnormal(reg, "2026-11-23T10:00", code=1).output
    assert "E-REGISTER-NO-TABLE" in out and "complaint-kit upgrade" in out
    run("upgrade", reg)
    log_abnormal(reg, "2026-11-23T10:00")


# -- printed on one A4 page (LibreOffice) ------------------------------------------------------------------
@pytest.mark.libreoffice
def test_libreoffice_prints_each_paper_on_one_a4_page(returned, tmp_path, libreoffice):
    for tool in ("pdfinfo", "pdftotext"):
        if shutil.which(tool) is None:
            if os.environ.get("REQUIRE_LIBREOFFICE"):
                pytest.fail(f"{tool} (poppler-utils) is required here (REQUIRE_LIBREOFFICE is set) but was not found")
            pytest.skip(f"{tool} (poppler-utils) not installed")
    run("slips", returned, *NOW)
    run("petition", returned, "--text", "客户不同意责任判定，要求重新会勘。" * 12, "--by", "李强", *RECEIVED)
    log_abnormal(register_of(returned), "2026-11-23T10:00")
    papers = [
        (returned.with_name("客诉-261101-成品退货单.xlsx"), 4, "成品退货单"),
        (returned.with_name("客诉-261101-签呈.xlsx"), 1, "签呈"),
        (returned.parent.parent / "异常处理单" / "异常处理单-YC2611-001.xlsx", 1, "异常处理单"),
    ]
    for path, pages, title in papers:
        pdf = libreoffice(path, "pdf", tmp_path / "lo")
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert f"Pages:           {pages}" in info and "(A4)" in info, (path.name, info)
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert text.count(title) >= pages and "###" not in text and "#NAME" not in text


def test_abnormal_without_options_registers_the_rows_typed_into_the_sheet(office):  # C2, the Excel way
    reg = office / L.REGISTER_FILE
    fill_table(
        reg, L.ABNORMAL_TABLE, [[None, None, "华星光电", "制造部", "标签歪斜", "三日内回复", None, None, None, None]]
    )
    out = run("abnormal", reg, "--now", "2026-12-03T15:00", "--by", "王静").output
    assert "YC2612-001" in out and (office / L.ABNORMAL_DIR / "异常处理单-YC2612-001.xlsx").exists()
    again = run("abnormal", reg, "--now", "2026-12-03T15:05", code=1).output
    assert "E-ABNORMAL-NOTHING" in again
