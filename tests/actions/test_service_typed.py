"""登记手填内容 (issue 11, the 服务 group's first button and ``service update``): rows a clerk typed
straight into the service workbook go through the same actions as the commands, in one write,
or in none when a row is refused."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from complaint_kit import layout as L
from complaint_kit.actions.service import day_report, log_call
from complaint_kit.actions.service_typed import record_typed
from complaint_kit.ports import Changes, StagedBook, TableRows
from tests.conftest import memory_from_template

H = L.CALLS_HEADERS


def dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


def typed_call(**values) -> list:
    row = [None] * len(H)
    for header, value in values.items():
        row[H.index(header)] = value
    return row


def calls(book) -> list[dict]:
    return book.read_table(L.CALLS_TABLE).records()


def type_rows(book, table: str, rows: list[list]) -> None:
    """What the clerk types: rows below the kit's own (none of the kit's code runs)."""
    body = [list(r) for r in book.read_table(table).rows]
    book.tables[table] = type(book.tables[table])(book.tables[table].headers, body + [list(r) for r in rows])


@pytest.fixture
def book():
    b = memory_from_template(L.SERVICE_FILE)
    b.apply(
        Changes(
            tables={L.SERVICE_STAFF_TABLE: [["李工", "技术员", "南山", None], ["周主任", "服务主任", "南山", None]]}
        )
    )
    return b


def test_typed_calls_are_numbered_in_place_and_taken_as_far_as_typed_in_one_write(book):  # S2–S4, S13
    type_rows(
        book,
        L.CALLS_TABLE,
        [
            typed_call(
                客户="华星", 区域="市区", 类别="ａ", 叫修时间="２０２６-11-23 ９:３０", 故障描述="卡纸", 说明="急"
            ),
            typed_call(
                客户="蓝天",
                区域="郊区",
                类别="C",
                叫修时间="2026/11/23 08:40",
                技术员="李工",
                到达时间="2026-11-23 14:00",
                完成时间="2026-11-23 16:00",
                客户签收="否",
            ),
            typed_call(
                客户="新月",
                区域="市区",
                类别="A 有费服务",
                叫修时间=dt("2026-11-23 09:00"),
                技术员="李工",
                派工时间="2026-11-23 9:10",
                到达时间="2026-11-23 16:20",
                完成时间="2026-11-23 16:50",
                收费金额="￥３００",
            ),
        ],
    )
    writes = len(book.applied)
    out = record_typed(book, now=dt("2026-11-23 17:00"))
    assert out.ok, out.problems
    assert len(book.applied) == writes + 1  # one write for every row and the 时效 of all
    assert out.data["recorded"] == 1 + 4 + 4 and out.data["overdue"] == 1
    assert [p.code for p in out.problems] == ["W-SERVICE-UNSIGNED"]
    assert out.problems[0].where == f"{L.CALLS_TABLE}[客户签收]#2"
    rows = calls(book)
    assert [r["叫修编号"] for r in rows] == ["J2611001", "J2611002", "J2611003"]
    assert [r["状态"] for r in rows] == ["待派工", "已注销", "已注销"]
    assert [r["时效"] for r in rows] == ["逾期", "按时到达", "迟到"]  # 9:30 + 6 h = 16:30 < 17:00
    assert (rows[0]["叫修时间"], rows[0]["故障描述"], rows[0]["说明"]) == (dt("2026-11-23 09:30"), "卡纸", "急")
    assert rows[1]["派工时间"] == dt("2026-11-23 14:00")  # no 派工时间 typed: sent by his arrival at the latest
    assert (rows[2]["派工时间"], rows[2]["迟到工时"]) == (dt("2026-11-23 09:10"), Decimal("0.33"))
    assert (rows[2]["收费金额"], rows[2]["收费方式"], rows[2]["完成时间"]) == (
        Decimal("300.00"),
        "现场收费",
        dt("2026-11-23 16:50"),
    )
    assert book.read_table(L.SERIALS_TABLE).rows == [["2611", 3]]
    assert out.messages[1].startswith("已登记叫修 J2611001")
    assert sum("J2611002" in m for m in out.messages) == 2  # its number and where it ended, not every step
    again = record_typed(book, now=dt("2026-11-23 17:05"))
    assert again.ok and again.data["recorded"] == 0 and "没有要登记的手填内容" in again.messages[0]


def test_a_refused_row_writes_nothing_and_every_refusal_is_at_its_cell(book):  # S1, S2, S13
    log_call(book, customer="甲", zone="市区", category="A", now=dt("2026-11-23 09:00"))
    type_rows(
        book,
        L.CALLS_TABLE,
        [
            typed_call(客户="乙", 区域="乡下", 类别="E"),
            typed_call(客户="丙", 区域="市区", 类别="B", 叫修时间="下午三点"),
            typed_call(客户="丁", 区域="市区", 类别="B", 技术员="王五"),
            typed_call(客户="戊", 区域="市区", 类别="B", 到达时间="2026-11-23 10:00"),
            typed_call(叫修编号="J2611099", 客户="己", 区域="市区", 类别="B"),
        ],
    )
    book.tables[L.CALLS_TABLE].rows[0][0] = None  # the clerk cleared a recorded call's number
    before = calls(book)
    writes = len(book.applied)
    out = record_typed(book, now=dt("2026-11-23 17:00"))
    assert not out.ok and len(book.applied) == writes and calls(book) == before
    found = {(p.code, p.where) for p in out.problems if p.is_error}
    assert found == {
        ("E-CALL-ZONE", f"{L.CALLS_TABLE}[区域]#2"),
        ("E-CALL-CATEGORY", f"{L.CALLS_TABLE}[类别]#2"),
        ("E-NOT-DATETIME", f"{L.CALLS_TABLE}[叫修时间]#3"),
        ("E-TECH-UNKNOWN", f"{L.CALLS_TABLE}[技术员]#4"),
        ("E-CALL-STATE", f"{L.CALLS_TABLE}[到达时间]#5"),  # an arrival typed before anyone was sent
        ("E-NUMBER-TYPED", f"{L.CALLS_TABLE}[叫修编号]#6"),
        ("E-NUMBER-CLEARED", f"{L.CALLS_TABLE}[叫修编号]#1"),  # never numbered again as a new call
    }


def test_survey_cards_typed_on_their_rows_are_scored_once_per_call(book):  # S15
    type_rows(
        book,
        L.CALLS_TABLE,
        [
            typed_call(
                客户="华星",
                区域="市区",
                类别="A",
                叫修时间="2026-11-23 09:00",
                技术员="李工",
                到达时间="2026-11-23 10:00",
                完成时间="2026-11-23 11:00",
            )
        ],
    )
    assert record_typed(book, now=dt("2026-11-23 17:00")).ok
    assert day_report(book, day=date(2026, 11, 23), now=dt("2026-11-23 17:30")).ok  # the card goes out
    card = book.read_table(L.SURVEYS_TABLE).rows[0]
    card[4:8] = ["很满意", "４", "满意", "不满意"]
    book.tables[L.SURVEYS_TABLE].rows[0] = card
    out = record_typed(book, now=dt("2026-11-26 10:00"))
    assert out.ok
    scored = book.read_table(L.SURVEYS_TABLE).records()
    assert len(scored) == 1 and scored[0]["得分"] == 4 + 4 + 3 + 2 and scored[0]["发卡日期"] == date(2026, 11, 23)
    assert scored[0]["技术"] == "很满意" and scored[0]["回收日期"] == date(2026, 11, 26)
    type_rows(book, L.SURVEYS_TABLE, [["j2611001", None, None, None, "满意", "满意", "满意", "满意", None, None]])
    out = record_typed(book, now=dt("2026-11-26 10:05"))
    assert [(p.code, p.where) for p in out.problems] == [("E-SURVEY-TWICE", f"{L.SURVEYS_TABLE}[叫修编号]#2")]
    book.tables[L.SURVEYS_TABLE].rows[1][7] = None
    book.tables[L.SURVEYS_TABLE].rows[1][0] = "J2699999"
    codes = {p.code for p in record_typed(book, now=dt("2026-11-26 10:05")).problems}
    assert codes == {"E-CALL-UNKNOWN"}


def test_goods_typed_in_and_back_with_the_repair_card_as_typed(book):  # S5–S7
    type_rows(book, L.CALLS_TABLE, [typed_call(客户="华星", 区域="郊区", 类别="A", 叫修时间="2026-11-23 09:00")])
    assert record_typed(book, now=dt("2026-11-23 09:05")).ok
    type_rows(
        book, L.GOODS_TABLE, [[None, "j2611001", None, "控制板", None, None, "2026-11-25", "李工", None, None, None]]
    )
    out = record_typed(book, now=dt("2026-11-23 10:00"))
    assert out.ok, out.problems
    goods = book.read_table(L.GOODS_TABLE).records()
    assert (goods[0]["收据编号"], goods[0]["状态"], goods[0]["承诺日期"]) == (
        "R2611001-1",
        "维修中",
        date(2026, 11, 25),
    )
    assert calls(book)[0]["状态"] == "已到达"  # the goods came in: reached
    book.tables[L.GOODS_TABLE].rows[0][L.GOODS_HEADERS.index("返还日期")] = "2026/11/24"
    refused = record_typed(book, now=dt("2026-11-25 09:00"))
    assert {(p.code, p.where) for p in refused.problems if p.is_error} == {
        ("E-GOODS-HOURS", f"{L.REPAIR_CARDS_TABLE}[维修工时]#1"),
        ("E-GOODS-CHECK", f"{L.REPAIR_CARDS_TABLE}[主任检验]#1"),
    }
    card = book.tables[L.REPAIR_CARDS_TABLE].rows[0]
    card[3:6] = ["3.5", "电容×2", "周主任"]
    book.tables[L.CALLS_TABLE].rows[0][H.index("收费金额")] = "800元"
    out = record_typed(book, now=dt("2026-11-25 09:00"))
    assert out.ok, out.problems
    goods = book.read_table(L.GOODS_TABLE).records()[0]
    assert (goods["返还日期"], goods["收据作废"], goods["状态"]) == (date(2026, 11, 24), "是", "已返还")
    call = calls(book)[0]
    assert (call["状态"], call["完成时间"], call["收费方式"]) == ("已注销", dt("2026-11-24 23:59"), "开票请款")
    book.tables[L.GOODS_TABLE].rows[0][0] = " "
    cleared = record_typed(book, now=dt("2026-11-25 10:00"))
    assert [(p.code, p.where) for p in cleared.problems] == [("E-NUMBER-CLEARED", f"{L.GOODS_TABLE}[收据编号]#1")]


def test_complaints_typed_are_numbered_answered_and_visited(book):  # S16, S17
    blank = [None] * len(L.SERVICE_COMPLAINTS_HEADERS)
    serious = list(blank)
    serious[2:6] = ["华星", None, "技术员迟到两次", "是"]
    ordinary = list(blank)
    ordinary[2:5] = ["蓝天", None, "希望周末也能服务"]
    type_rows(book, L.SERVICE_COMPLAINTS_TABLE, [serious, ordinary])
    out = record_typed(book, now=dt("2026-11-25 10:00"))
    assert out.ok, out.problems
    rows = book.read_table(L.SERVICE_COMPLAINTS_TABLE).records()
    assert [(r["投诉编号"], r["处理人"], r["状态"]) for r in rows] == [
        ("TS2611001", "副总经理", "处理中"),
        ("TS2611002", "服务部", "处理中"),
    ]
    h = L.SERVICE_COMPLAINTS_HEADERS.index
    body = book.tables[L.SERVICE_COMPLAINTS_TABLE].rows
    body[0][h("处理结果")], body[0][h("答复方式")] = "改派资深技术员", "电话"
    refused = record_typed(book, now=dt("2026-11-26 10:00"))
    assert [(p.code, p.where) for p in refused.problems] == [
        ("E-COMPLAINT-LETTER", f"{L.SERVICE_COMPLAINTS_TABLE}[答复方式]#1")
    ]
    body[0][h("答复方式")] = "书面"
    body[1][h("回访记录")] = "已说明周末安排"
    body[1][h("回访人")] = "周主任"
    out = record_typed(book, now=dt("2026-11-26 10:00"))
    assert out.ok, out.problems
    rows = book.read_table(L.SERVICE_COMPLAINTS_TABLE).records()
    assert [r["状态"] for r in rows] == ["已答复", "处理中"] and rows[1]["回访人"] == "周主任"
    assert L.COMPLAINT_LETTER_SHEET in book.sheets  # a serious complaint is answered by letter
    assert book.sheets[L.COMPLAINT_LETTER_SHEET].landscape is False  # a letter prints portrait
    book.tables[L.SERVICE_COMPLAINTS_TABLE].rows[1][0] = None
    cleared = record_typed(book, now=dt("2026-11-26 11:00"))
    assert [(p.code, p.where) for p in cleared.problems] == [
        ("E-NUMBER-CLEARED", f"{L.SERVICE_COMPLAINTS_TABLE}[投诉编号]#2")
    ]


def test_the_staged_book_sees_its_writes_and_writes_once(book):
    staged = StagedBook(book)
    writes = len(book.applied)
    staged.apply(Changes(tables={L.SERVICE_STAFF_TABLE: TableRows({0: ["李四", "技术员", "南山", None]})}))
    assert staged.read_table(L.SERVICE_STAFF_TABLE).rows[0][0] == "李四"
    assert book.read_table(L.SERVICE_STAFF_TABLE).rows[0][0] == "李工" and len(book.applied) == writes
    staged.apply(Changes(tables={L.SERVICE_STAFF_TABLE: TableRows({1: ["王主任", "服务主任", "南山", None]})}))
    staged.commit()
    assert len(book.applied) == writes + 1
    assert book.applied[-1].tables[L.SERVICE_STAFF_TABLE] == TableRows(
        {0: ["李四", "技术员", "南山", None], 1: ["王主任", "服务主任", "南山", None]}
    )
    staged.commit()  # nothing pending: nothing written
    assert len(book.applied) == writes + 1
    with pytest.raises(NotImplementedError):
        staged.apply(Changes(names={"x": 1}))


def test_service_update_on_a_real_workbook_all_or_nothing(tmp_path):
    import hashlib
    import os

    from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
    from complaint_kit.adapters.register_file import RegisterFile
    from tests.actions.test_service import cli

    env = {**os.environ, "COMPLAINT_KIT_USER": "周主任", "COMPLAINT_KIT_CONF": str(tmp_path / "none.conf")}
    wb = tmp_path / "南山" / L.SERVICE_FILE
    assert cli("service", "new", wb, env=env).returncode == 0
    clerk = OpenpyxlBook.open(wb)
    clerk.apply(
        Changes(
            tables={
                L.SERVICE_STAFF_TABLE: [["李工", "技术员", "南山", None]],
                L.CALLS_TABLE: [
                    typed_call(客户="华星", 区域="市区", 类别="A", 叫修时间="2026-11-23 9:30"),
                    typed_call(客户="蓝天", 区域="郊区", 类别="B", 技术员="王五"),
                ],
            }
        )
    )
    clerk.save()
    before = hashlib.sha256(wb.read_bytes()).hexdigest()
    bad = cli("service", "update", wb, "--now", "2026-11-23 17:00", env=env)
    assert bad.returncode == 1 and "E-TECH-UNKNOWN" in bad.stderr and "叫修登记簿!J3" in bad.stderr
    assert hashlib.sha256(wb.read_bytes()).hexdigest() == before  # nothing written
    clerk = OpenpyxlBook.open(wb)
    clerk.apply(
        Changes(tables={L.CALLS_TABLE: TableRows({1: typed_call(客户="蓝天", 区域="郊区", 类别="B", 技术员="李工")})})
    )
    clerk.save()
    ok = cli("service", "update", wb, "--now", "2026-11-23 17:00", env=env)
    assert ok.returncode == 0, ok.stderr
    assert "J2611001" in ok.stdout and "J2611002" in ok.stdout and "已派工给 李工" in ok.stdout
    rows = RegisterFile.open(wb).read_table(L.CALLS_TABLE).records()
    assert [(r["叫修编号"], r["状态"], r["时效"]) for r in rows] == [
        ("J2611001", "待派工", "逾期"),
        ("J2611002", "已派工", "正常"),
    ]


def test_typed_mistakes_are_named_at_the_cell_typed(book):  # S3, S13, S15, S17
    type_rows(
        book,
        L.CALLS_TABLE,
        [
            typed_call(客户="甲", 区域="市区", 类别="A", 叫修时间="2026-11-23 09:00", 技术员="李工",
                       到达时间="2026-11-23 08:00"),  # before the call, no 派工时间 typed
            typed_call(客户="乙", 区域="市区", 类别="A", 叫修时间="2026-11-23 09:00", 技术员="李工",
                       到达时间="2026-11-23 10:00", 完成时间="2026-11-23 11:00", 客户签收="×"),
        ],
    )  # fmt: skip
    out = record_typed(book, now=dt("2026-11-23 17:00"))
    assert {(p.code, p.where) for p in out.problems if p.is_error} == {
        ("E-CALL-BEFORE", f"{L.CALLS_TABLE}[到达时间]#1"),
        ("E-SIGNED-VALUE", f"{L.CALLS_TABLE}[客户签收]#2"),
    }
    book.tables[L.CALLS_TABLE].rows[0][H.index("到达时间")] = "2026-11-23 10:00"
    book.tables[L.CALLS_TABLE].rows[1][H.index("客户签收")] = "没签"
    assert record_typed(book, now=dt("2026-11-23 17:00")).ok
    assert [c["客户签收"] for c in calls(book)] == [None, "否"]
    type_rows(book, L.SURVEYS_TABLE, [["J2611002", None, None, None, "满意", "满意", "准时", "满意", None, None]])
    card = record_typed(book, now=dt("2026-11-24 10:00"))
    assert [(p.code, p.where) for p in card.problems] == [("E-SURVEY-LEVEL", f"{L.SURVEYS_TABLE}[到达时间]#1")]
    visit = [None] * len(L.SERVICE_COMPLAINTS_HEADERS)
    visit[2:5] = ["甲", None, "迟到"]
    visit[L.SERVICE_COMPLAINTS_HEADERS.index("回访记录")] = "已说明"  # 回访人 left blank
    book.tables[L.SURVEYS_TABLE].rows[0][6] = "满意"
    type_rows(book, L.SERVICE_COMPLAINTS_TABLE, [visit])
    nobody = record_typed(book, now=dt("2026-11-24 10:00"))
    assert [(p.code, p.where) for p in nobody.problems] == [
        ("E-COMPLAINT-VISIT", f"{L.SERVICE_COMPLAINTS_TABLE}[回访人]#1")
    ]  # never recorded as a visit by the clerk who clicked
    type_rows(
        book, L.GOODS_TABLE, [[None, "J2611002", None, "控制板", None, None, "2026-11-30", None, None, None, None]]
    )
    book.tables[L.SERVICE_COMPLAINTS_TABLE].rows[0][L.SERVICE_COMPLAINTS_HEADERS.index("回访人")] = "周主任"
    closed = record_typed(book, now=dt("2026-11-24 10:00"))
    assert [(p.code, p.where) for p in closed.problems] == [("E-CALL-STATE", f"{L.GOODS_TABLE}[叫修编号]#1")]


def test_every_unreadable_or_refused_typed_value_is_named_and_nothing_is_written(book):  # S2–S7, S16
    type_rows(
        book,
        L.CALLS_TABLE,
        [
            typed_call(说明="只写了说明"),  # nothing of a call: left alone
            typed_call(客户="甲", 区域="市区", 类别="A", 技术员="李工", 派工时间="九点"),
            typed_call(客户="乙", 区域="市区", 类别="A", 技术员="李工", 到达时间="十点"),
            typed_call(客户="丙", 区域="市区", 类别="C", 叫修时间="2026-11-23 09:00", 技术员="李工",
                       到达时间="2026-11-23 10:00", 完成时间="2026-11-23 11:00", 收费金额="50"),
        ],
    )  # fmt: skip
    blank = [None] * len(L.SERVICE_COMPLAINTS_HEADERS)
    typed_number = list(blank)
    typed_number[:3] = ["TS9", None, "丁"]
    no_text = list(blank)
    no_text[2] = "戊"
    type_rows(book, L.SERVICE_COMPLAINTS_TABLE, [typed_number, no_text])
    type_rows(
        book,
        L.GOODS_TABLE,
        [
            [None, "J2611001", None, "控制板", None, None, "下周", "李工", None, None, None],
            [None, "J2611001", None, "电源", None, None, None, "李工", None, None, None],
            ["R9", "J2611001", None, "电源", None, None, "2026-11-30", "李工", None, None, None],
        ],
    )
    writes = len(book.applied)
    out = record_typed(book, now=dt("2026-11-23 17:00"))
    assert len(book.applied) == writes
    assert {(p.code, p.where) for p in out.problems if p.is_error} == {
        ("E-NOT-DATETIME", f"{L.CALLS_TABLE}[派工时间]#2"),
        ("E-NOT-DATETIME", f"{L.CALLS_TABLE}[到达时间]#3"),
        ("E-SERVICE-FEE-NOT-PAID", f"{L.CALLS_TABLE}[收费金额]#4"),
        ("E-NOT-DATE", f"{L.GOODS_TABLE}[承诺日期]#1"),
        ("E-REQUIRED", f"{L.GOODS_TABLE}[承诺日期]#2"),
        ("E-NUMBER-TYPED", f"{L.GOODS_TABLE}[收据编号]#3"),
        ("E-NUMBER-TYPED", f"{L.SERVICE_COMPLAINTS_TABLE}[投诉编号]#1"),
        ("E-COMPLAINT-TEXT", f"{L.SERVICE_COMPLAINTS_TABLE}[内容]#2"),
    }


def test_a_return_typed_with_an_unreadable_date_or_fee_is_named_where_typed(book):  # S6, S7
    type_rows(book, L.CALLS_TABLE, [typed_call(客户="华星", 区域="郊区", 类别="A", 叫修时间="2026-11-23 09:00")])
    type_rows(book, L.GOODS_TABLE, [[None, "J2611001", None, "控制板", None, None, "2026-11-25", "李工"] + [None] * 3])
    assert record_typed(book, now=dt("2026-11-23 10:00")).ok
    book.tables[L.REPAIR_CARDS_TABLE].rows[0][3:6] = ["2", None, "周主任"]
    book.tables[L.GOODS_TABLE].rows[0][L.GOODS_HEADERS.index("返还日期")] = "下周一"
    book.tables[L.CALLS_TABLE].rows[0][H.index("收费金额")] = "三百"
    out = record_typed(book, now=dt("2026-11-24 10:00"))
    assert [(p.code, p.where) for p in out.problems] == [("E-NOT-DATE", f"{L.GOODS_TABLE}[返还日期]#1")]
    book.tables[L.GOODS_TABLE].rows[0][L.GOODS_HEADERS.index("返还日期")] = "2026-11-24"
    out = record_typed(book, now=dt("2026-11-24 10:00"))
    assert [(p.code, p.where) for p in out.problems] == [("E-SERVICE-FEE-TEXT", f"{L.CALLS_TABLE}[收费金额]#1")]
    book.tables[L.CALLS_TABLE].rows[0][H.index("收费金额")] = "300元"
    assert record_typed(book, now=dt("2026-11-24 10:00")).ok
    assert calls(book)[0]["收费方式"] == "开票请款"  # S7: carried in, invoiced on return


def test_an_older_workbook_without_the_complaints_sheet_still_records_its_calls():
    old = memory_from_template(L.SERVICE_FILE)
    del old.tables[L.SERVICE_COMPLAINTS_TABLE]
    type_rows(old, L.CALLS_TABLE, [typed_call(客户="华星", 区域="市区", 类别="A")])
    assert record_typed(old, now=dt("2026-11-23 10:00")).ok
    assert calls(old)[0]["叫修编号"] == "J2611001"


def test_the_staged_book_reads_each_table_from_the_workbook_once(book):
    reads: list[str] = []
    real = book.read_table

    def counted(table):
        reads.append(table)
        return real(table)

    book.read_table = counted
    type_rows(
        book, L.CALLS_TABLE, [typed_call(客户=f"客户{k}", 区域="市区", 类别="A", 技术员="李工") for k in range(5)]
    )
    reads.clear()
    assert record_typed(book, now=dt("2026-11-23 17:00")).ok
    assert reads.count(L.CALLS_TABLE) == 1 and len(reads) == len(set(reads))  # five calls logged and dispatched
    assert [c["状态"] for c in calls(book)] == ["已派工"] * 5
