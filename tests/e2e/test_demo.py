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
    _the_service_centres_month(tmp_path / "demo", data["service"], lines)


def _the_service_centres_month(folder, service, lines) -> None:
    """Issue 11 item 6: October at two centres — calls in both zones and all categories, late
    arrivals, carried-in repairs (one back late), daily reports and survey cards, contract notices,
    a serious complaint answered by letter and visited; the Service department's month report."""
    nanshan = OpenpyxlBook.open(folder / "服务中心" / "南山" / L.SERVICE_FILE)
    calls = nanshan.read_table(L.CALLS_TABLE).records()
    assert {c["区域"] for c in calls} == {"市区", "郊区"}
    assert {c["类别"][0] for c in calls} == set("ABCD")
    assert {c["收费方式"] for c in calls} >= {"现场收费", "开票请款", "不收费"}
    assert service["calls"] >= 60 and service["late"] >= 2 and service["carried"] >= 3 and service["unsigned"] >= 1
    assert service["cards"] >= 50 and 0 < service["scored"] < service["cards"]
    late = [c for c in calls if c["时效"] == "迟到"]
    assert late and all(c["迟到工时"] > 0 for c in late)
    waiting = [c for c in calls if c["状态"] == "待派工"]  # nobody was sent: red at now, first on the list
    assert [c["时效"] for c in waiting] == ["逾期"]
    assert not any(c["叫修时间"].date().isoformat() in ("2026-10-01", "2026-10-05") for c in calls)  # holiday
    goods = (
        nanshan.read_table(L.GOODS_TABLE).records()
        + OpenpyxlBook.open(folder / "服务中心" / "宝安" / L.SERVICE_FILE).read_table(L.GOODS_TABLE).records()
    )
    assert {g["状态"] for g in goods} == {"已返还", "维修中"}
    assert any("W-GOODS-LATE" in line for line in lines)
    complaints = nanshan.read_table(L.SERVICE_COMPLAINTS_TABLE).records()
    assert [(c["严重"], c["处理人"], c["答复方式"], c["状态"]) for c in complaints] == [
        ("是", "副总经理", "书面", "已结案"),
        ("否", "服务部", "电话", "已答复"),
    ]
    sheets = nanshan.wb.sheetnames
    assert {L.DAY_REPORT_SHEET, L.COMPLAINT_LETTER_SHEET, L.NOTICE_SHEET} <= set(sheets)
    assert nanshan.wb[L.COMPLAINT_LETTER_SHEET].page_setup.orientation == "portrait"  # a letter
    notices = [c for c in nanshan.read_table(L.CONTRACTS_TABLE).records() if c["通知日期"]]
    assert len(notices) == 2 and any(not c["续约负责人"] for c in notices)
    report = OpenpyxlBook.open(folder / "服务中心" / L.service_month_file_name("2026-10")).wb
    rated = [c.value for row in report["技术员月考核"].iter_rows() for c in row]
    assert {"南山", "宝安", "李工", "黄工"} <= set(rated)
    assert list((folder / "服务中心" / "南山").glob("单据-J*.xlsx"))
    assert service["findings"] == 0  # every row as the kit wrote it, and journaled (S18)
    journal = nanshan.read_table(L.SERVICE_JOURNAL_TABLE).rows
    assert len(journal) > len(calls) and {e[2] for e in journal} >= {
        "登记手填内容 service update",
        "返还 service return-goods",
    }


def test_demo_refuses_a_folder_it_did_not_write(tmp_path):
    (tmp_path / "mine.txt").write_text("keep me")
    result = run("demo", tmp_path, code=2)
    assert "不是演示文件夹" in result.output and (tmp_path / "mine.txt").exists()


def test_demo_can_be_run_again_in_its_own_folder(tmp_path):
    run("demo", tmp_path / "d")
    out = run("demo", tmp_path / "d").output
    assert "客诉登记追踪" in out
