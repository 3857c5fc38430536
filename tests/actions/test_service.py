"""The service desk's calls (issue 11) on the committed 服务中心登记簿 template: in memory, and
through the CLI on real files (as a clerk runs them)."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from decimal import Decimal

import pytest

from complaint_kit import layout as L
from complaint_kit.actions.service import (
    arrive_call,
    dispatch_call,
    finish_call,
    judge_calls,
    load_service_context,
    log_call,
    record_survey,
)
from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
from complaint_kit.adapters.register_file import RegisterFile
from complaint_kit.ports import Changes
from complaint_kit.templates import template_dir
from tests.conftest import memory_from_template


def dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


def calls(book) -> list[dict]:
    return book.read_table(L.CALLS_TABLE).records()


@pytest.fixture
def book():
    b = memory_from_template(L.SERVICE_FILE)
    b.apply(
        Changes(
            tables={L.SERVICE_STAFF_TABLE: [["李工", "技术员", "南山", None], ["周主任", "服务主任", "南山", None]]}
        )
    )
    return b


def test_a_call_is_numbered_by_month_and_due_six_working_hours_later(book):  # S2, S13
    out = log_call(book, customer="华星光电", zone="市区", category="A", now=dt("2026-11-27 15:00"))
    assert out.ok and out.data["call_no"] == "J2611001" and out.data["arrival_due"] == dt("2026-11-30 12:00")
    out = log_call(book, customer="蓝天", zone="郊区", category="ｃ", now=dt("2026-11-27 16:10"))
    assert out.data["call_no"] == "J2611002" and out.data["arrival_due"] == dt("2026-11-30 15:10")
    out = log_call(book, customer="新月", zone="市区", category="b", now=dt("2026-12-01 09:00"))
    assert out.data["call_no"] == "J2612001"  # a new month, serial 1 again
    rows = calls(book)
    assert [r["类别"] for r in rows] == ["A 有费服务", "C 免费服务", "B 合同服务"]
    assert [r["状态"] for r in rows] == ["待派工"] * 3 and rows[0]["时效"] == "正常"
    assert book.read_table(L.SERIALS_TABLE).rows == [["2611", 2], ["2612", 1]]


def test_a_bad_call_writes_nothing_and_says_why(book):  # S1, S2, S13
    out = log_call(book, customer=" ", zone="乡下", category="E", now=dt("2026-11-27 15:00"))
    assert not out.ok
    assert {p.code for p in out.problems} == {"E-CALL-CUSTOMER", "E-CALL-ZONE", "E-CALL-CATEGORY"}
    out = log_call(
        book, customer="甲", zone="市区", category="A", now=dt("2026-11-27 15:00"), called_at=dt("2026-11-28 15:00")
    )
    assert [p.code for p in out.problems] == ["E-CALL-FUTURE"]
    assert calls(book) == [] and book.applied == [book.applied[0]]  # only the staff the fixture typed


def test_the_lifecycle_of_a_paid_call(book):  # S2, S3, S4, S13, S15
    call_no = log_call(book, customer="华星", zone="市区", category="A", now=dt("2026-11-25 10:00")).data["call_no"]
    assert dispatch_call(book, call_no, technician="李工", now=dt("2026-11-25 10:10")).ok
    out = arrive_call(book, call_no, now=dt("2026-11-25 17:20"))
    assert out.data["arrival"] == "迟到"  # due 17:00: 20 working minutes late
    assert calls(book)[0]["迟到工时"] == Decimal("0.33")
    out = finish_call(book, call_no, now=dt("2026-11-25 17:30"), fee="￥３００")
    assert out.ok and out.data["settlement"] == "现场收费"
    row = calls(book)[0]
    assert (row["状态"], row["客户签收"], row["收费金额"], row["收费方式"]) == (
        "已注销",
        "是",
        Decimal("300.00"),
        "现场收费",
    )
    out = record_survey(
        book,
        call_no,
        answers={"attitude": "很满意", "skill": "4", "arrival": "不满意", "promise": "满意"},
        now=dt("2026-11-26 10:00"),
    )
    assert out.data["score"] == 13
    survey = book.read_table(L.SURVEYS_TABLE).records()
    assert survey == [
        {
            "叫修编号": call_no,
            "客户": "华星",
            "技术员": "李工",
            "发卡日期": dt("2026-11-25 17:30").date(),
            "态度": "很满意",
            "技术": "很满意",
            "到达时间": "不满意",
            "答应事情的办理": "满意",
            "得分": 13,
            "回收日期": dt("2026-11-26").date(),
        }
    ]
    again = record_survey(
        book,
        call_no,
        answers=dict.fromkeys(("attitude", "skill", "arrival", "promise"), "满意"),
        now=dt("2026-11-27 10:00"),
    )
    assert again.data["score"] == 12 and len(book.read_table(L.SURVEYS_TABLE).rows) == 1  # one card per call
    assert "更正，原得分 13" in again.messages[0]  # a second recording corrects the card, and says so


def test_a_large_fee_is_invoiced_and_free_work_is_not_charged(book):  # S4
    a = log_call(book, customer="甲", zone="市区", category="A", now=dt("2026-11-25 09:00")).data["call_no"]
    c = log_call(book, customer="乙", zone="市区", category="C", now=dt("2026-11-25 09:00")).data["call_no"]
    for n in (a, c):
        dispatch_call(book, n, technician="李工", now=dt("2026-11-25 09:10"))
        arrive_call(book, n, now=dt("2026-11-25 10:00"))
    assert finish_call(book, a, now=dt("2026-11-25 11:00"), fee="1,200").data["settlement"] == "开票请款"
    out = finish_call(book, c, now=dt("2026-11-25 11:00"), fee="50")
    assert [p.code for p in out.problems] == ["E-SERVICE-FEE-NOT-PAID"]
    assert calls(book)[1]["状态"] == "已到达"  # nothing written
    out = finish_call(book, c, now=dt("2026-11-25 11:00"), signed=False)
    assert out.ok and [p.code for p in out.problems] == ["W-SERVICE-UNSIGNED"] and calls(book)[1]["客户签收"] == "否"


def test_steps_out_of_order_and_unknown_people_are_refused(book):  # S2
    n = log_call(book, customer="甲", zone="市区", category="A", now=dt("2026-11-25 09:00")).data["call_no"]
    assert [p.code for p in arrive_call(book, n, now=dt("2026-11-25 10:00")).problems] == ["E-CALL-STATE"]
    assert [p.code for p in finish_call(book, n, now=dt("2026-11-25 10:00")).problems] == ["E-CALL-STATE"]
    assert [p.code for p in dispatch_call(book, n, technician="周主任", now=dt("2026-11-25 10:00")).problems] == [
        "E-TECH-UNKNOWN"
    ]
    assert [
        p.code for p in dispatch_call(book, "J2699999", technician="李工", now=dt("2026-11-25 10:00")).problems
    ] == ["E-CALL-UNKNOWN"]
    assert dispatch_call(book, " j2611001 ", technician="李工", now=dt("2026-11-25 10:00")).ok  # typed loosely
    out = arrive_call(book, n, now=dt("2026-11-25 10:00"), at=dt("2026-11-25 08:00"))
    assert [p.code for p in out.problems] == ["E-CALL-BEFORE"]


def test_status_judges_every_call_not_reached_at_now(book):  # S13
    log_call(book, customer="甲", zone="市区", category="A", now=dt("2026-11-25 09:00"))  # due 16:00
    log_call(book, customer="乙", zone="郊区", category="B", now=dt("2026-11-25 09:00"))  # due 17:00
    out = judge_calls(book, now=dt("2026-11-25 16:30"))
    assert [r["时效"] for r in calls(book)] == ["逾期", "即将到期"]
    assert out.data == {"overdue": 1, "changed": 2, "repairs": 0} and "J2611001" in out.messages[1]
    assert judge_calls(book, now=dt("2026-11-25 16:30")).data["changed"] == 0  # nothing new: nothing written


def test_settings_change_the_limits_and_a_bad_value_is_named(book):  # S13 settings
    rows = [list(r) for r in book.read_table(L.SETTINGS_TABLE).rows]
    keys = [r[0] for r in rows]
    rows[keys.index("city_hours")][2] = "4"
    book.apply(Changes(tables={L.SETTINGS_TABLE: rows}))
    assert log_call(book, customer="甲", zone="市区", category="A", now=dt("2026-11-25 09:00")).data[
        "arrival_due"
    ] == dt("2026-11-25 14:00")
    rows[keys.index("suburb_hours")][2] = "-1"
    book.apply(Changes(tables={L.SETTINGS_TABLE: rows}))
    _, problems = load_service_context(book)
    assert [p.code for p in problems] == ["E-SETTING-INVALID"] and "suburb_hours" in problems[0].en


# ---------------------------------------------------------------------------------------------
# the CLI on real files, as a clerk runs it
def cli(*args: object, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "complaint_kit", *map(str, args)], capture_output=True, text=True, env=env, check=False
    )


def test_the_cli_runs_a_call_through_on_a_real_workbook(tmp_path):
    import os

    env = {**os.environ, "COMPLAINT_KIT_USER": "王静", "COMPLAINT_KIT_CONF": str(tmp_path / "none.conf")}
    wb = tmp_path / "中心" / L.SERVICE_FILE
    assert cli("service", "new", wb, env=env).returncode == 0
    assert cli("service", "new", wb, env=env).returncode == 2  # never overwritten
    staff = OpenpyxlBook.open(wb)
    staff.apply(Changes(tables={L.SERVICE_STAFF_TABLE: [["李工", "技术员", "南山", None]]}))
    staff.save()
    run = cli(
        "service",
        "call",
        wb,
        "--customer",
        "华星",
        "--zone",
        "郊区",
        "--category",
        "Ａ",
        "--now",
        "2026/11/27 15:00",
        env=env,
    )
    assert run.returncode == 0, run.stderr
    assert "J2611001" in run.stdout and "2026-11-30 14:00" in run.stdout  # 2.5 h Friday, 3.5 + 1 h Monday
    bad = cli("service", "dispatch", wb, "J2611001", "--tech", "王五", "--now", "2026-11-27 15:10", env=env)
    assert bad.returncode == 1 and "E-TECH-UNKNOWN" in bad.stderr and "未写入" in bad.stderr
    steps = [
        ("dispatch", "J2611001", "--tech", "李工", "--now", "2026-11-27 15:10"),
        ("arrive", "J2611001", "--now", "２０２６-11-30 10:00"),
        ("finish", "J2611001", "--fee", "300元", "--now", "2026-11-30 11:00"),
        ("survey", "J2611001", "--attitude", "4", "--skill", "满意", "--arrival", "满意", "--promise", "很满意"),
        ("status", "--now", "2026-11-30 11:00"),
    ]
    for step in steps:
        run = cli("service", step[0], wb, *step[1:], env=env)
        assert run.returncode == 0, (step, run.stderr)
    row = RegisterFile.open(wb).read_table(L.CALLS_TABLE).records()[0]
    assert (row["状态"], row["时效"], row["收费方式"], row["技术员"]) == ("已注销", "按时到达", "现场收费", "李工")
    assert row["到达时间"] == dt("2026-11-30 10:00")
    report = tmp_path / "服务月报.xlsx"
    run = cli("service", "month", wb, "--month", "2026/11", "--out", report, "--now", "2026-12-01 09:00", env=env)
    assert run.returncode == 0, run.stderr
    rated = OpenpyxlBook.open(report).wb["技术员月考核"]
    values = [c.value for row in rated.iter_rows() for c in row]
    assert "李工" in values and "中心" in values  # the centre is the workbook's folder


def test_the_template_is_what_the_layout_says():
    book = OpenpyxlBook.open(template_dir() / L.SERVICE_FILE)
    assert book.read_table(L.CALLS_TABLE).headers == L.CALLS_HEADERS
    required = [
        "叫修编号",
        "客户",
        "地址",
        "电话",
        "机型",
        "区域",
        "类别",
        "叫修时间",
        "到达期限",
        "技术员",
        "派工时间",
        "到达时间",
        "完成时间",
        "状态",
    ]
    assert list(L.CALLS_HEADERS[: len(required)]) == required  # the contract, in its order
    for table, headers in (
        (L.TIMESHEET_TABLE, L.TIMESHEET_HEADERS),
        (L.SURVEYS_TABLE, L.SURVEYS_HEADERS),
        (L.CONTRACTS_TABLE, L.CONTRACTS_HEADERS),
        (L.GOODS_TABLE, L.GOODS_HEADERS),
        (L.REPAIR_CARDS_TABLE, L.REPAIR_CARDS_HEADERS),
        (L.SERVICE_STAFF_TABLE, L.SERVICE_STAFF_HEADERS),
    ):
        assert book.read_table(table).headers == headers
    keys = [r[0] for r in book.read_table(L.SETTINGS_TABLE).rows]
    assert {"work_hours", "city_hours", "suburb_hours", "small_fee", "notice_months"} <= set(keys)


def test_the_day_report_reconciles_sums_hours_and_sends_one_card_per_call(book):  # S9, S10, S12, S15
    from datetime import date

    from complaint_kit.actions.service import day_report

    a = log_call(book, customer="甲", zone="市区", category="A", now=dt("2026-11-25 09:00")).data["call_no"]
    b = log_call(book, customer="乙", zone="郊区", category="C", now=dt("2026-11-25 09:30")).data["call_no"]
    c = log_call(book, customer="丙", zone="市区", category="B", now=dt("2026-11-25 16:00")).data["call_no"]
    for n in (a, b):
        dispatch_call(book, n, technician="李工", now=dt("2026-11-25 09:40"))
        arrive_call(book, n, now=dt("2026-11-25 11:00"))
    finish_call(book, a, now=dt("2026-11-25 12:00"), fee="200")
    finish_call(book, b, now=dt("2026-11-25 15:00"), signed=False)
    book.apply(
        Changes(
            tables={
                L.TIMESHEET_TABLE: [
                    [date(2026, 11, 25), "李工", a, None, Decimal("2.5"), None],  # category from the call: A
                    [date(2026, 11, 25), "李工", b, "C", "１.５", None],
                    [date(2026, 11, 25), "李工", None, "D", 1, "工具保养"],
                    [date(2026, 11, 24), "李工", None, "D", 8, None],  # another day
                    [date(2026, 11, 25), "李工", None, "D", "很多", None],  # unreadable: named, left out
                ]
            }
        )
    )
    out = day_report(book, day=date(2026, 11, 25), now=dt("2026-11-25 18:00"))
    assert out.ok and out.data == {"calls": 3, "waiting": 1, "unsigned": 1, "cards": 2}
    assert [p.code for p in out.problems] == ["W-TIMESHEET-ROW"]  # the unreadable row, named
    sheet = book.sheets[L.DAY_REPORT_SHEET]
    hours = next(r for r in sheet.rows if r and r[0] == "李工")
    assert hours == ["李工", 3, Decimal("2.5"), Decimal(0), Decimal("1.5"), Decimal(1), Decimal(5)]
    assert any(r and r[0] == c for r in sheet.rows)  # waiting: dispatched first tomorrow
    cards = book.read_table(L.SURVEYS_TABLE).rows
    assert sorted(r[0] for r in cards) == [a, b] and all(r[3] == date(2026, 11, 25) for r in cards)
    again = day_report(book, day=date(2026, 11, 25), now=dt("2026-11-25 18:30"))
    assert again.data["cards"] == 0 and len(book.read_table(L.SURVEYS_TABLE).rows) == 2  # exactly one card per call


def test_contracts_ending_within_a_month_get_one_notice_each(book):  # S14
    from datetime import date

    from complaint_kit.actions.service import contract_notices

    book.apply(
        Changes(
            tables={
                L.CONTRACTS_TABLE: [
                    [
                        "BY-1",
                        "华星",
                        "深圳",
                        "0755",
                        "PCB-3",
                        date(2025, 12, 20),
                        date(2026, 12, 19),
                        "周主任",
                        None,
                        None,
                    ],
                    ["BY-2", "蓝天", "东莞", "", "SMT", date(2026, 1, 1), date(2027, 3, 31), "周主任", None, None],
                    ["BY-3", "新月", "惠州", "", "AOI", date(2025, 12, 1), "2026/12/28", None, None, None],
                    ["BY-4", "旧", "", "", "", None, date(2026, 11, 1), "周主任", None, None],  # ended
                    ["BY-5", "坏", "", "", "", None, "明年", None, None, None],
                ]
            }
        )
    )
    out = contract_notices(book, now=dt("2026-11-28 10:00"))
    assert out.data == {"notices": 2}
    assert sorted(p.code for p in out.problems) == ["W-CONTRACT-END", "W-CONTRACT-OWNER"]
    rows = book.read_table(L.CONTRACTS_TABLE).rows
    assert [r[8] for r in rows] == [date(2026, 11, 28), None, date(2026, 11, 28), None, None]
    sheet = book.sheets[L.NOTICE_SHEET]
    assert [r[0] for r in sheet.rows if r and str(r[0]).startswith("保养到期通知书")] == [
        "保养到期通知书　合同 BY-1",
        "保养到期通知书　合同 BY-3",
    ]
    assert [
        "续约负责人",
        "＿＿＿＿＿＿",
    ] in sheet.rows  # BY-3 has none: a blank on the customer's paper, a warning here
    assert contract_notices(book, now=dt("2026-11-29 10:00")).data == {"notices": 0}  # one notice per contract
    assert book.sheets[L.NOTICE_SHEET] == sheet  # nothing new: last time's notices stay to be printed


def test_a_carried_in_repair_from_receipt_to_return(book):  # S5, S6, S7, S8
    from datetime import date

    from complaint_kit.actions.service import receive_goods, return_goods

    n = log_call(book, customer="华星", zone="郊区", category="A", now=dt("2026-11-25 09:00")).data["call_no"]
    out = receive_goods(
        book, n, goods="控制板", promised=date(2026, 11, 27), technician="李工", now=dt("2026-11-25 10:00")
    )
    assert out.ok and out.data == {"receipt": "R2611001-1", "card": "X2611001-1"}
    call = calls(book)[0]
    assert (call["状态"], call["时效"], call["到达时间"]) == ("已到达", "按时到达", dt("2026-11-25 10:00"))
    goods = book.read_table(L.GOODS_TABLE).records()[0]
    assert (goods["客户"], goods["收件日期"], goods["承诺日期"], goods["收据作废"], goods["状态"]) == (
        "华星",
        date(2026, 11, 25),
        date(2026, 11, 27),
        "否",
        "维修中",
    )
    status = judge_calls(book, now=dt("2026-11-26 10:00"))  # promised tomorrow: to the supervisor (S8)
    assert status.data["repairs"] == 1 and "R2611001-1" in status.messages[-1]
    bad = return_goods(book, "r2611001-1", hours="两小时", parts="", checked_by="", now=dt("2026-11-27 10:00"))
    assert sorted(p.code for p in bad.problems) == ["E-GOODS-CHECK", "E-GOODS-HOURS"]
    out = return_goods(
        book, " r2611001-1 ", hours="3.5", parts="电容×2", checked_by="周主任", fee="800", now=dt("2026-11-28 10:00")
    )
    assert out.ok and out.data["settlement"] == "开票请款"  # S7: invoiced on the return day, whatever the amount
    assert [p.code for p in out.problems] == ["W-GOODS-LATE"]
    card = book.read_table(L.REPAIR_CARDS_TABLE).records()[0]
    assert (card["维修工时"], card["更换零件"], card["主任检验"], card["检验日期"]) == (
        Decimal("3.5"),
        "电容×2",
        "周主任",
        date(2026, 11, 28),
    )
    goods = book.read_table(L.GOODS_TABLE).records()[0]
    assert (goods["返还日期"], goods["收据作废"], goods["状态"]) == (date(2026, 11, 28), "是", "已返还")
    assert (calls(book)[0]["状态"], calls(book)[0]["客户签收"]) == ("已注销", "是")
    again = return_goods(book, "R2611001-1", hours="1", parts="", checked_by="周主任", now=dt("2026-11-28 11:00"))
    assert [p.code for p in again.problems] == ["E-GOODS-RETURNED"]
    assert judge_calls(book, now=dt("2026-11-30 10:00")).data["repairs"] == 0


def test_what_cannot_be_done_is_refused_with_its_reason(book):  # S2, S5, S6, S15
    from datetime import date

    from complaint_kit.actions.service import receive_goods, return_goods

    now = dt("2026-11-25 09:00")
    serials = book.read_table(L.SERIALS_TABLE)
    book.apply(Changes(tables={L.SERIALS_TABLE: [["26年11月", "x"]]}))  # a damaged numbering memory
    assert [p.code for p in log_call(book, customer="甲", zone="市区", category="A", now=now).problems] == ["E-SERIALS"]
    book.apply(Changes(tables={L.SERIALS_TABLE: [["2611", 999]]}))  # every serial of the month used
    out = log_call(book, customer="甲", zone="市区", category="A", now=now)
    assert [p.code for p in out.problems] == ["E-CALL-SERIALS-EXHAUSTED"]
    book.apply(Changes(tables={L.SERIALS_TABLE: serials.rows}))
    n = log_call(book, customer="甲", zone="市区", category="A", now=now).data["call_no"]
    assert [p.code for p in record_survey(book, n, answers={}, now=now).problems] == ["E-CALL-STATE"]
    assert [p.code for p in record_survey(book, "J1", answers={}, now=now).problems] == ["E-CALL-UNKNOWN"]
    dispatch_call(book, n, technician="李工", now=now)
    future = arrive_call(book, n, now=now, at=dt("2026-11-25 11:00"))
    assert [p.code for p in future.problems] == ["E-CALL-FUTURE"]
    assert [p.code for p in finish_call(book, n, now=now).problems] == ["E-CALL-STATE"]
    arrive_call(book, n, now=dt("2026-11-25 10:00"))
    assert [p.code for p in finish_call(book, n, now=now, fee="三百").problems] == ["E-SERVICE-FEE-TEXT"]
    assert [p.code for p in finish_call(book, n, now=now, fee="-5").problems] == ["E-SERVICE-FEE"]
    goods = {"goods": "主板", "now": dt("2026-11-25 10:30")}
    assert [
        p.code for p in receive_goods(book, n, **{**goods, "goods": " "}, promised=date(2026, 11, 30)).problems
    ] == ["E-GOODS-NAME"]
    assert [p.code for p in receive_goods(book, n, **goods, promised=date(2026, 11, 24)).problems] == [
        "E-GOODS-PROMISED"
    ]
    unknown = receive_goods(book, n, **goods, promised=date(2026, 11, 30), technician="王五")
    assert [p.code for p in unknown.problems] == ["E-TECH-UNKNOWN"]
    assert [p.code for p in receive_goods(book, "J9", **goods, promised=date(2026, 11, 30)).problems] == [
        "E-CALL-UNKNOWN"
    ]
    assert [p.code for p in return_goods(book, "R0", hours="1", parts="", checked_by="周主任", now=now).problems] == [
        "E-GOODS-UNKNOWN"
    ]
    receipt = receive_goods(book, n, **goods, promised=date(2026, 11, 30)).data["receipt"]
    bad_fee = return_goods(
        book, receipt, hours="1", parts="", checked_by="周主任", fee="很贵", now=dt("2026-11-26 10:00")
    )
    assert [p.code for p in bad_fee.problems] == ["E-SERVICE-FEE-TEXT"]
    assert finish_call(book, n, now=dt("2026-11-26 10:00")).ok
    assert [p.code for p in receive_goods(book, n, **goods, promised=date(2026, 11, 30)).problems] == ["E-CALL-STATE"]


def test_a_workbook_without_the_call_columns_is_refused(book):
    from complaint_kit.ports import TableData

    broken = memory_from_template(L.SERVICE_FILE)
    broken.tables[L.CALLS_TABLE] = TableData(L.CALLS_HEADERS[:5], [])
    with pytest.raises(KeyError, match="missing columns"):
        log_call(broken, customer="甲", zone="市区", category="A", now=dt("2026-11-25 09:00"))
    assert judge_calls(book, now=dt("2026-11-25 09:00")).data == {"overdue": 0, "changed": 0, "repairs": 0}


def test_the_month_rates_each_technician_over_several_centres():  # S11, S13, S15
    from datetime import date

    from complaint_kit.actions.service import service_month

    centres = []
    for name, tech in (("南山", "李工"), ("宝安", "钱工")):
        b = memory_from_template(L.SERVICE_FILE)
        b.apply(Changes(tables={L.SERVICE_STAFF_TABLE: [[tech, "技术员", name, None]]}))
        on_time = log_call(b, customer="甲", zone="市区", category="A", now=dt("2026-11-20 09:00")).data["call_no"]
        late = log_call(b, customer="乙", zone="市区", category="C", now=dt("2026-11-20 09:00")).data["call_no"]
        december = log_call(b, customer="丙", zone="市区", category="B", now=dt("2026-11-30 09:00")).data["call_no"]
        for n, arrive_at, done in (
            (on_time, "2026-11-20 11:00", "2026-11-20 12:00"),
            (late, "2026-11-20 17:00", "2026-11-20 17:20"),  # due 16:00: one working hour late
            (december, "2026-12-01 09:00", "2026-12-01 10:00"),
        ):
            dispatch_call(b, n, technician=tech, now=dt("2026-11-20 09:00"))
            arrive_call(b, n, now=dt(arrive_at))
            finish_call(b, n, now=dt(done))
        levels = {"attitude": "4", "skill": "3", "arrival": "1", "promise": "2"}
        record_survey(b, on_time, answers=levels, now=dt("2026-11-25 10:00"))
        record_survey(b, late, answers=dict.fromkeys(levels, "很满意"), now=dt("2026-11-26 10:00"))
        record_survey(b, december, answers=dict.fromkeys(levels, "满意"), now=dt("2026-12-02 10:00"))  # December's
        b.apply(Changes(tables={L.TIMESHEET_TABLE: [[date(2026, 11, 20), tech, on_time, None, 2, None]]}))
        centres.append((name, b))
    centres[1][1].apply(Changes(tables={L.TIMESHEET_TABLE: [[date(2026, 11, 20), "钱工", None, "A", "两小时", None]]}))
    out = service_month(centres, year=2026, month=11, now=dt("2026-12-03 09:00"))
    assert [p.where for p in out.problems if p.code == "W-TIMESHEET-ROW"] == [f"宝安 {L.TIMESHEET_TABLE}[工时]#1"]
    people = out.data["people"]
    assert [(p.centre, p.technician) for p in people] == [("南山", "李工"), ("宝安", "钱工")]  # by centre (code point)
    p = people[0]
    assert (p.closed, p.on_time, p.late, p.late_minutes, p.cards) == (2, 2 - 1, 1, 60, 2)
    assert p.item_scores == {
        "attitude": Decimal("4.00"),
        "skill": Decimal("3.50"),
        "arrival": Decimal("2.50"),
        "promise": Decimal("3.00"),
    }
    assert p.average == Decimal("13.00") and p.hours is not None and sum(p.hours.values()) == 2
    sheets = {s.name: s for s in out.data["sheets"]}
    assert set(sheets) == {"技术员月考核", "迟到明细", "各中心汇总"}
    assert len(sheets["迟到明细"].tables[0].rows) == 2
    assert [r[:4] for r in sheets["各中心汇总"].tables[0].rows] == [
        ["南山", 3, 2, 1],
        ["宝安", 3, 2, 1],
    ]  # logged, closed, late


def test_a_calls_papers_are_one_sheet_each(book):  # S2, S3, S5, S6, S15
    from datetime import date

    from complaint_kit.actions.service import call_papers, receive_goods

    n = log_call(book, customer="华星", zone="市区", category="A", now=dt("2026-11-25 09:00"), address="南山").data[
        "call_no"
    ]
    only = call_papers(book, n, now=dt("2026-11-25 09:05"))
    assert [s.name for s in only.data["sheets"]] == ["服务凭证", "调查卡"]
    receive_goods(book, n, goods="控制板", promised=date(2026, 11, 27), technician="李工", now=dt("2026-11-25 10:00"))
    papers = call_papers(book, n, now=dt("2026-11-25 10:05")).data["sheets"]
    assert [s.name for s in papers] == ["服务凭证", "领取收据 R2611001-1", "修护卡 X2611001-1", "调查卡"]
    voucher = dict(papers[0].tables[0].rows)
    assert voucher["客户"] == "华星" and voucher["地址"] == "南山" and "客户签收" in papers[0].tables[0].notes[0]
    assert [r[0] for r in papers[-1].tables[0].rows] == ["态度", "技术", "到达时间", "答应事情的办理"]
    assert [p.code for p in call_papers(book, "J0", now=dt("2026-11-25 10:05")).problems] == ["E-CALL-UNKNOWN"]


def test_a_serious_complaint_goes_to_the_deputy_gm_by_letter_and_every_one_is_visited(book):  # S16, S17
    from complaint_kit.actions.service import answer_complaint, log_complaint, visit_customer

    now = dt("2026-11-25 10:00")
    serious = log_complaint(book, customer="华星", text="迟到两次", serious=True, now=now)
    assert serious.data == {"complaint": "TS2611001", "handler": "副总经理"}
    ordinary = log_complaint(book, customer="蓝天", text="希望周末服务", serious=False, now=now)
    assert ordinary.data == {"complaint": "TS2611002", "handler": "服务部"}
    assert [p.code for p in log_complaint(book, customer="", text="", serious=False, now=now).problems] == [
        "E-CALL-CUSTOMER",
        "E-COMPLAINT-TEXT",
    ]
    bad = answer_complaint(book, "TS2611001", outcome_text="已处理", by="服务部", reply="电话", now=now)
    assert sorted(p.code for p in bad.problems) == ["E-COMPLAINT-DEPUTY", "E-COMPLAINT-LETTER"]
    out = answer_complaint(book, " ts2611001 ", outcome_text="已改派资深技术员", by="副总经理", reply="书面", now=now)
    assert out.data == {"complaint": "TS2611001", "status": "已答复"}
    letter = book.sheets[L.COMPLAINT_LETTER_SHEET]
    assert letter.rows[:2] == [["客户投诉处理结果函　TS2611001"], ["华星："]] and ["已改派资深技术员"] in letter.rows
    assert letter.landscape is False and letter.wide_rows  # a letter, its paragraphs as tall as their text
    assert visit_customer(book, "TS2611001", by="周主任", note="满意", now=now).data["status"] == "已结案"
    assert visit_customer(book, "TS2611002", by="周主任", note="已说明", now=now).data["status"] == "处理中"
    done = answer_complaint(book, "TS2611002", outcome_text="暂不提供", by="服务部", reply="电话", now=now)
    assert done.data["status"] == "已结案"  # visited before: answered now, closed
    assert [p.code for p in visit_customer(book, "TS9", by="周主任", note="x", now=now).problems] == [
        "E-COMPLAINT-UNKNOWN"
    ]
    assert [p.code for p in visit_customer(book, "TS2611002", by="", note="", now=now).problems] == [
        "E-COMPLAINT-VISIT"
    ]
    reply = answer_complaint(book, "TS2611002", outcome_text="", by="服务部", reply="邮件", now=now)
    assert sorted(p.code for p in reply.problems) == ["E-COMPLAINT-OUTCOME", "E-COMPLAINT-REPLY"]


def test_each_step_follows_the_one_before_and_only_a_supervisor_checks_a_repair(book):  # S2, S3, S6, S13
    from datetime import date

    from complaint_kit.actions.service import receive_goods, return_goods

    n = log_call(book, customer="甲", zone="市区", category="A", now=dt("2026-11-25 09:00")).data["call_no"]
    assert dispatch_call(book, n, technician="李工", now=dt("2026-11-25 10:30")).ok
    early = arrive_call(book, n, now=dt("2026-11-25 11:00"), at=dt("2026-11-25 10:00"))  # before he was sent
    assert [p.code for p in early.problems] == ["E-CALL-BEFORE"] and "派工时间" in early.problems[0].zh
    assert arrive_call(book, n, now=dt("2026-11-25 11:00")).ok
    done = finish_call(book, n, now=dt("2026-11-25 12:00"), at=dt("2026-11-25 10:45"))  # before he arrived
    assert [p.code for p in done.problems] == ["E-CALL-BEFORE"] and "到达时间" in done.problems[0].zh
    m = log_call(book, customer="乙", zone="市区", category="C", now=dt("2026-11-25 09:00")).data["call_no"]
    nobody = receive_goods(book, m, goods="控制板", promised=date(2026, 11, 27), now=dt("2026-11-25 10:00"))
    assert [p.code for p in nobody.problems] == ["E-GOODS-TECH"]  # nobody sent and no --tech: said so
    first = receive_goods(
        book, m, goods="控制板", promised=date(2026, 11, 27), technician="李工", now=dt("2026-11-25 10:00")
    )
    second = receive_goods(book, m, goods="电源", promised=date(2026, 11, 27), now=dt("2026-11-25 10:05"))
    tech = return_goods(book, first.data["receipt"], hours="2", parts="", checked_by="李工", now=dt("2026-11-26 10:00"))
    assert [p.code for p in tech.problems] == ["E-GOODS-CHECKER"]  # a technician does not check his own repair
    back = return_goods(
        book, first.data["receipt"], hours="2", parts="", checked_by="周主任", now=dt("2026-11-26 10:00")
    )
    assert back.ok and back.data["open"] == [second.data["receipt"]]
    assert calls(book)[1]["状态"] == "已到达"  # the other goods are still in repair: the call stays open
    last = return_goods(
        book, second.data["receipt"], hours="1", parts="", checked_by="周主任", now=dt("2026-11-27 10:00")
    )
    assert last.ok and calls(book)[1]["状态"] == "已注销" and calls(book)[1]["完成时间"] == dt("2026-11-27 10:00")


def test_letters_of_the_day_stay_on_the_sheet_and_any_one_reprints_alone(book):  # S16
    from complaint_kit.actions.service import answer_complaint, call_papers, log_complaint

    now = dt("2026-11-25 10:00")
    n = log_call(book, customer="华星", zone="市区", category="A", now=now).data["call_no"]
    for customer, text in (("华星", "迟到"), ("蓝天", "三天又坏"), ("新月", "希望周末服务")):
        log_complaint(
            book, customer=customer, text=text, serious=customer != "新月", now=now, call_no=n * (customer == "华星")
        )
    assert answer_complaint(book, "TS2611001", outcome_text="改派技术员", by="副总经理", reply="书面", now=now).ok
    assert answer_complaint(book, "TS2611002", outcome_text="更换主板", by="副总经理", reply="书面", now=now).ok
    assert answer_complaint(book, "TS2611003", outcome_text="可预约", by="服务部", reply="电话", now=now).ok
    letters = book.sheets[L.COMPLAINT_LETTER_SHEET].rows
    assert [r[0] for r in letters if r and str(r[0]).startswith("客户投诉处理结果函")] == [
        "客户投诉处理结果函　TS2611001",
        "客户投诉处理结果函　TS2611002",
    ]  # the second letter did not replace the first
    reprint = call_papers(book, " ts2611002 ", now=now)
    assert [s.name for s in reprint.data["sheets"]] == ["答复函 TS2611002"]
    assert ["处理结果", "更换主板"] in reprint.data["sheets"][0].tables[0].rows
    assert "答复函 TS2611001" in [s.name for s in call_papers(book, n, now=now).data["sheets"]]  # with its call
    assert [p.code for p in call_papers(book, "TS2611003", now=now).problems] == ["E-COMPLAINT-NO-LETTER"]  # by phone
    assert [p.code for p in call_papers(book, "TS2699999", now=now).problems] == ["E-COMPLAINT-UNKNOWN"]
