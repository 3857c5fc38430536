"""The demo: 30+ cases over two months, domestic and foreign, on time and late, one reopened."""

from __future__ import annotations

from collections import Counter

from complaint_kit import layout as L
from complaint_kit.actions.records import register_records
from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
from complaint_kit.demo import run_demo
from tests.e2e.test_cli import run


def test_demo_tells_the_whole_story(tmp_path):
    lines: list[str] = []
    data = run_demo(tmp_path / "demo", echo=lines.append)
    rows = register_records(OpenpyxlBook.open(tmp_path / "demo" / L.REGISTER_FILE).read_table(L.REGISTER_TABLE))
    assert len(rows) >= 30
    months = Counter(str(r["case_no"])[:4] for r in rows)
    assert months["2609"] >= 10 and months["2610"] >= 10
    assert {r["market"] for r in rows} == {"国内", "国外"}
    timeliness = Counter(r["timeliness"] for r in rows)
    assert timeliness["逾期"] >= 1 and timeliness["按时完成"] >= 1 and timeliness["逾期完成"] >= 1
    reopened = [r for r in rows if r["original_case_no"]]
    assert len(reopened) == 1 and reopened[0]["original_case_no"] in {r["case_no"] for r in rows}
    assert data["validation_problems_shown"] == 1
    assert sum(data["reminders"].values()) == timeliness["逾期"]
    assert any(L.REGISTER_FILE in line for line in lines) and any("表单" in line for line in lines)
    assert len(list((tmp_path / "demo" / L.FORMS_DIR).glob("客诉表-*.xlsx"))) == data["forms"]
    papers = sorted(p.name for p in (tmp_path / "demo" / L.FORMS_DIR).glob("客诉-*.xlsx"))  # R2 slip, C14 petition
    assert [n.rsplit("-", 1)[-1] for n in papers] == ["成品退货单.xlsx", "签呈.xlsx"]
    assert (tmp_path / "demo" / L.month_report_file_name("2026-10")).exists()


def test_demo_refuses_a_folder_it_did_not_write(tmp_path):
    (tmp_path / "mine.txt").write_text("keep me")
    result = run("demo", tmp_path, code=2)
    assert "不是演示文件夹" in result.output and (tmp_path / "mine.txt").exists()


def test_demo_can_be_run_again_in_its_own_folder(tmp_path):
    run("demo", tmp_path / "d")
    out = run("demo", tmp_path / "d").output
    assert "客诉登记追踪" in out
