"""The CLI end to end on real .xlsx copies in tmp_path, as an administrator would run it."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from complaint_kit import layout as L
from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
from complaint_kit.cli import app
from complaint_kit.ports import Changes

runner = CliRunner()

INTAKE = [
    "Customer=华星光电",
    "Market=国内",
    "SalesRep=李强",
    "ReportedAt=2026-11-23 09:00",
    "OrderNo=SO1",
    "PartNo=PCB-1",
    "ShipDate=2026-11-01",
    "ShipQty=1000",
    "DefectQty=20",
    "CustomerRequest=退货",
    "RequestQty=20",
    "Description=阻焊起泡",
]


def run(*args: str, code: int = 0):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == code, result.output
    return result


def type_in(path: Path, **values) -> None:
    """What a clerk does in Excel: type into the form's input cells and save."""
    book = OpenpyxlBook.open(path)
    book.apply(Changes(names=values))
    book.save()


@pytest.fixture
def office(tmp_path) -> Path:
    run("init", tmp_path / "office")
    return tmp_path / "office"


def new_form(office: Path, name="f1.xlsx", extra=()) -> Path:
    path = office / L.FORMS_DIR / name
    sets = [x for item in [*INTAKE, *extra] for x in ("--set", item)]
    run("new-form", path, *sets, "--now", "2026-11-23T09:05")
    return path


def test_init_creates_an_office_and_refuses_to_overwrite(office):
    assert (office / L.REGISTER_FILE).exists() and (office / L.FORM_FILE).exists()
    result = run("init", office, code=2)
    assert "登记表已存在" in result.output and "register exists" in result.output


def test_validate_reports_problems_in_chinese_and_english_with_cells(office):
    form = new_form(office)
    type_in(form, DefectQty=5000, Customer=None)
    result = run("validate", form, "--now", "2026-11-23T10:00", code=1)
    assert "不良数量" in result.output and "exceeds shipped" in result.output
    assert "客户抱怨处理表!B6" in result.output  # DefectQty's cell
    assert "客户名称：必填" in result.output and "customer: is required" in result.output
    assert "未写入任何文件" in result.output


def test_accept_of_a_bad_form_writes_nothing(office):
    form = new_form(office)
    type_in(form, Market="火星")
    reg = office / L.REGISTER_FILE
    before = (form.read_bytes(), reg.read_bytes())
    run("accept", form, "--register", reg, "--now", "2026-11-23T11:30", "--user", "王静", code=1)
    assert (form.read_bytes(), reg.read_bytes()) == before


def test_the_whole_lifecycle_on_files(office):
    reg = office / L.REGISTER_FILE
    form = new_form(office)
    run("validate", form, "--now", "2026-11-23T10:00")
    out = run(
        "accept", form, "-r", reg, "--now", "2026-11-23T11:30", "--received-at", "2026-11-23T11:00", "--user", "王静"
    ).output
    assert "261101" in out and "accepted as case 261101" in out
    values = OpenpyxlBook.open(form).read_names(["CaseNo", "QualityDueAt", "CaseDueAt"])
    assert values == {
        "CaseNo": "261101",
        "QualityDueAt": datetime(2026, 11, 24, 11, 30),
        "CaseDueAt": datetime(2026, 12, 7, 17, 30),
    }

    before = form.read_bytes()
    out = run("complete", form, "--stage", "quality", "--by", "张敏", "--now", "2026-11-24T10:00", code=1).output
    assert "原因分析：必填" in out and form.read_bytes() == before

    steps = [
        ("quality", {"QualityCause": "电镀", "ResponsibleUnit": "制造部", "RnDNeeded": "是"}, "2026-11-24T10:00"),
        (
            "manufacturing",
            {
                "MfgCause": "电流",
                "MfgCountermeasure": "改善",
                "ProductionUnit": "二组",
                "MachineShift": "夜班",
                "Operators": "王五",
                "ProductionDate": datetime(2026, 10, 20),
            },
            "2026-11-24T16:00",
        ),
        ("rnd", {"RnDOpinion": "无"}, "2026-11-25T10:00"),
        ("negotiation", {"NegotiationResult": "折让"}, "2026-11-30T10:00"),
        ("consolidation", {"GMOpinion": "同意", "Handling": "不成立"}, "2026-11-30T14:00"),
        ("approval", {"ApprovalOpinion": "同意"}, "2026-12-01T09:00"),
    ]
    for stage, values, at in steps:
        type_in(form, **values)
        run("complete", form, "--stage", stage, "--by", "经办", "-r", reg, "--now", at)
    wb = openpyxl.load_workbook(reg)
    table = OpenpyxlBook(wb).read_table(L.REGISTER_TABLE).records()
    assert table[0]["状态"] == "已结案" and table[0]["结案时间"] == datetime(2026, 12, 1, 9, 0)

    new = office / L.FORMS_DIR / "f1-again.xlsx"
    run("reopen", form, "--out", new, "--now", "2026-12-03T09:00")
    assert OpenpyxlBook.open(new).read_names(["OriginalCaseNo"]) == {"OriginalCaseNo": "261101"}
    run("accept", new, "-r", reg, "--now", "2026-12-03T10:00", "--user", "王静")
    out = run("refresh", reg, "--now", "2026-12-08T10:00", "--user", "王静").output
    assert "overdue 1" in out  # the reopened case's quality stage is late
    wb = openpyxl.load_workbook(reg)
    assert L.REMINDER_SHEET in wb.sheetnames
    texts = [c for row in wb[L.REMINDER_SHEET].iter_rows(values_only=True) for c in row if c]
    assert any("致：质量管理部" in str(t) for t in texts)


def test_a_file_that_is_not_a_form_is_refused(office):
    result = run("validate", office / L.REGISTER_FILE, code=2)
    assert "不是客户抱怨处理表" in result.output


def test_a_bad_now_is_a_usage_error(office):
    result = run("validate", new_form(office), "--now", "tomorrow", code=2)
    assert "--now" in result.output


def test_an_aware_now_is_converted_to_company_time(office):
    reg = office / L.REGISTER_FILE
    form = new_form(office)
    run("accept", form, "-r", reg, "--now", "2026-11-23T03:30:00+00:00", "--user", "王静")  # 11:30 Shanghai
    assert OpenpyxlBook.open(form).read_names(["AcceptedAt"])["AcceptedAt"] == datetime(2026, 11, 23, 11, 30)


# Every command's --help: its own bilingual description (the README's command table) and the options
# and arguments it documents. Group commands (keys, templates, addin) list their subcommands.
HELP = {
    ("init",): ("建立办公文件夹", "Create an office folder", ["FOLDER"]),
    ("new-form",): ("新建客户抱怨处理表", "Create a blank complaint form", ["OUT", "--set", "--force", "--now"]),
    ("validate",): ("检查表单", "Validate a form", ["FORM", "--now"]),
    ("accept",): ("受理", "Accept a form", ["FORM", "--register", "-r", "--received-at", "--now", "--user"]),
    ("complete",): (
        "完成阶段",
        "Complete a stage",
        ["FORM", "--stage", "--by", "--register", "--mail", "--now", "--user"],
    ),
    ("reopen",): ("重开", "The customer rejects the decision", ["FORM", "--out", "--now"]),
    ("copies",): ("五联", "Print the closed, approved form as five", ["FORM", "--out", "--split", "--force", "--now"]),
    ("slips",): ("退货单/折让证明单", "Print the slip of the approved handling", ["FORM", "--out", "--force", "--now"]),
    ("receive",): (
        "退货实收",
        "Record the warehouse's receipt",
        ["FORM", "--qty", "--proof", "--register", "-r", "--by", "--receivables", "--force", "--now"],
    ),
    ("petition",): ("签呈", "Draft the petition to the GM", ["FORM", "--text", "--by", "--out", "--force", "--now"]),
    ("abnormal",): (
        "异常处理单",
        "Log a no-loss abnormality",
        [
            "REGISTER",
            "--customer",
            "--unit",
            "--description",
            "--request",
            "--due-days",
            "--reply",
            "--text",
            "--by",
            "--now",
        ],
    ),
    ("refresh",): ("刷新", "Status of every open case at now", ["REGISTER", "--mail", "--all", "--now", "--user"]),
    ("import",): ("导入回传表单", "Import forms that came back", ["REGISTER", "PATHS", "--keep", "--now", "--user"]),
    ("month",): ("月结", "The month's statistics with charts", ["REGISTER", "--month", "--out", "--now", "--user"]),
    ("verify",): ("核验", "Check the journal chain", ["REGISTER", "--forms"]),
    ("upgrade",): ("升级登记表", "Add what a register built by an older version lacks", ["REGISTER"]),
    ("unlock",): ("解除锁定", "Show who holds the register's lock", ["REGISTER", "--force"]),
    ("demo",): ("演示", "A scripted two-month story", ["FOLDER"]),
    ("bundle",): ("安装包", "One zip an administrator carries to a PC", ["FOLDER"]),
    ("keys",): ("签章密钥", "The GM office's signing key", ["init", "show-id"]),
    ("keys", "init"): ("建立签章密钥", "Create the GM office's signing key", ["--file"]),
    ("keys", "show-id"): ("显示密钥编号", "Print the signing key's id", []),
    ("templates",): ("模板", "Workbook templates", ["build"]),
    ("templates", "build"): ("生成模板", "Build the form, register and service workbook templates", []),
    ("addin",): ("Excel 加载项", "The Excel add-in", ["build", "install", "docs"]),
    ("addin", "build"): ("生成加载项", "Build addin/complaint_kit.xlam", []),
    ("addin", "install"): (
        "安装加载项",
        "Install the xlwings add-in",
        ["--register", "--user", "--forms-dir", "--dry-run"],
    ),
    ("addin", "docs"): ("更新按钮表", "Regenerate the README's button table", []),
    ("service",): (
        "服务",
        "The service desk",
        [
            "new",
            "call",
            "dispatch",
            "arrive",
            "finish",
            "survey",
            "day",
            "notices",
            "receive-goods",
            "return-goods",
            "month",
            "papers",
            "complaint",
            "answer",
            "visit",
        ],
    ),
    ("service", "new"): ("建立服务中心登记簿", "Create a service centre's workbook", ["PATH"]),
    ("service", "call"): (
        "叫修登记",
        "Log a call",
        ["BOOK", "--customer", "--zone", "--category", "--address", "--phone", "--model", "--problem", "--at", "--now"],
    ),
    ("service", "dispatch"): ("派工", "Send a technician to a call", ["BOOK", "CALL", "--tech", "--now", "--user"]),
    ("service", "arrive"): ("到达", "The technician is on site", ["BOOK", "CALL", "--at", "--now"]),
    ("service", "finish"): ("完成注销", "Done on site", ["BOOK", "CALL", "--fee", "--unsigned", "--note", "--now"]),
    ("service", "survey"): (
        "调查卡",
        "Record a returned survey card",
        ["BOOK", "CALL", "--attitude", "--skill", "--arrival", "--promise", "--now"],
    ),
    ("service", "day"): ("日报", "The day's paper on sheet 服务日报", ["BOOK", "--date", "--now"]),
    ("service", "notices"): ("保养到期通知", "Notices for maintenance contracts", ["BOOK", "--now"]),
    ("service", "receive-goods"): (
        "收件维修",
        "Take goods in for repair",
        ["BOOK", "CALL", "--goods", "--promised", "--model", "--tech", "--now"],
    ),
    ("service", "return-goods"): (
        "返还",
        "Return repaired goods",
        ["BOOK", "RECEIPT", "--hours", "--checked-by", "--parts", "--fee", "--now"],
    ),
    ("service", "status"): ("时效", "Every call's arrival at now", ["BOOK", "--now"]),
    ("service", "verify"): ("核验", "Check the workbook against its journal", ["BOOK"]),
    ("service", "update"): (
        "登记手填内容",
        "Record what was typed straight into the sheets",
        ["BOOK", "--now", "--user"],
    ),
    ("service", "month"): ("服务月报", "Each technician's month", ["BOOKS", "--month", "--out", "--now"]),
    ("service", "papers"): ("单据", "A call's papers to print", ["BOOK", "CALL", "--out", "--now"]),
    ("service", "complaint"): (
        "客户投诉",
        "Log a service customer's suggestion or complaint",
        ["BOOK", "--customer", "--text", "--serious", "--call", "--now"],
    ),
    ("service", "answer"): (
        "答复",
        "Answer a complaint",
        ["BOOK", "COMPLAINT", "--outcome", "--by", "--reply", "--now"],
    ),
    ("service", "visit"): ("回访", "Record the visit", ["BOOK", "COMPLAINT", "--by", "--note", "--now"]),
}


def _all_commands(group, path=()):
    for name, command in group.commands.items():
        yield (*path, name)
        if hasattr(command, "commands"):
            yield from _all_commands(command, (*path, name))


def test_the_help_table_covers_every_command():
    from typer.main import get_command

    assert set(_all_commands(get_command(app))) == set(HELP)


@pytest.mark.parametrize("path", list(HELP), ids=" ".join)
def test_every_command_explains_itself_and_its_options_in_its_help(path, monkeypatch):
    monkeypatch.setenv("TERMINAL_WIDTH", "240")  # rich wraps at the terminal width: keep each phrase on one line
    monkeypatch.setenv("COLUMNS", "240")
    zh, en, items = HELP[path]
    result = runner.invoke(app, [*path, "--help"], prog_name="complaint-kit")
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert f"Usage: complaint-kit {' '.join(path)}" in out
    assert zh in out and en in out, out
    for item in items:
        assert f" {item} " in out or f"{{{item.lower()}}}" in out or f"[{item.lower()}]" in out, (item, out)


def test_the_top_level_help_lists_every_command():
    out = run("--help").output
    for path in HELP:
        if len(path) == 1:
            assert path[0] in out


def test_the_installed_entry_point_runs():
    result = subprocess.run(
        [sys.executable, "-m", "complaint_kit", "--help"], capture_output=True, text=True, check=True
    )
    assert "complaint_kit" in result.stdout


def test_the_readme_documents_every_command():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    from typer.main import get_command

    group = get_command(app)
    names = set(group.commands)  # type: ignore[attr-defined]
    assert names >= {"init", "new-form", "validate", "accept", "complete", "reopen", "refresh", "demo", "templates"}
    for name in names:
        assert f"complaint-kit {name}" in readme, f"README does not document `complaint-kit {name}`"
    assert "uv run complaint-kit demo" in readme and "uv run pytest" in readme
