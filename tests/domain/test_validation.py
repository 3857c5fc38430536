"""Intake and section checks (rules C4, C6, C7): every problem at once, in Chinese."""

from datetime import datetime

from complaint_kit.domain.rules import Stage
from complaint_kit.domain.validation import check_section, compute_intake, rnd_needed
from complaint_kit.layout import FIELD_LABELS

NOW = datetime(2026, 11, 23, 10, 0)
GOOD = {
    "customer": "华星光电",
    "market": "国内",
    "sales_rep": "李强",
    "reported_at": datetime(2026, 11, 23, 9, 0),
    "order_no": "SO1",
    "part_no": "PCB-1",
    "ship_date": datetime(2026, 11, 1),
    "ship_qty": 1000,
    "defect_qty": 20,
    "customer_request": "退货",
    "request_qty": 20,
    "description": "起泡",
}


def intake(**changes):
    return compute_intake({**GOOD, **changes}, now=NOW, labels=FIELD_LABELS)


def test_a_complete_intake_is_valid():
    value, problems = intake()
    assert problems == [] and value.defect_qty == 20


def test_values_typed_as_text_are_understood():
    value, problems = intake(reported_at="2026/11/23 09:00", ship_qty="1,000", defect_qty=20.0, order_no=2600123.0)
    assert problems == [] and value.ship_qty == 1000 and value.order_no == "2600123"


def test_customer_still_processing_needs_no_quantity():  # C4
    value, problems = intake(customer_request="客户加工中未确定", request_qty=None)
    assert problems == [] and value.request_qty is None


def test_a_return_needs_a_quantity():  # C4
    _, problems = intake(request_qty="")
    assert [(p.code, p.field) for p in problems] == [("E-REQUIRED", "request_qty")]
    assert problems[0].zh == "要求数量：必填"


def test_every_problem_is_reported_at_once():
    _, problems = intake(customer="", market="欧洲", ship_qty="abc", defect_qty=0, reported_at="昨天")
    assert {p.field for p in problems} == {"customer", "market", "ship_qty", "defect_qty", "reported_at"}
    assert all(p.zh and p.en for p in problems)


def test_defects_cannot_exceed_the_shipment():
    _, problems = intake(defect_qty=1001, request_qty=1200)
    assert {p.code for p in problems} == {"E-DEFECT-GT-SHIPPED", "E-REQUEST-GT-SHIPPED"}


def test_a_report_in_the_future_is_refused():
    _, problems = intake(reported_at=datetime(2026, 11, 24, 9, 0))
    assert [p.code for p in problems] == ["E-FUTURE"]


def test_shipping_after_the_report_is_refused():
    _, problems = intake(ship_date=datetime(2026, 11, 24))
    assert [p.code for p in problems] == ["E-SHIP-AFTER-REPORT"]


def test_quality_must_name_cause_responsible_unit_and_whether_rnd_is_needed():  # C6.3, C7
    problems = check_section(Stage.QUALITY, {"quality_cause": "x", "rnd_needed": "也许"}, labels=FIELD_LABELS)
    assert {(p.field, p.code) for p in problems} == {
        ("responsible_unit", "E-REQUIRED"),
        ("rnd_needed", "E-NOT-IN-LIST"),
    }


def test_manufacturing_reports_unit_shift_operators_and_date():  # C7
    problems = check_section(Stage.MANUFACTURING, {}, labels=FIELD_LABELS)
    assert {p.field for p in problems} == {
        "mfg_cause",
        "mfg_countermeasure",
        "production_unit",
        "machine_shift",
        "operators",
        "production_date",
    }


def test_rnd_is_needed_unless_quality_says_no():  # C6.5
    assert rnd_needed({"rnd_needed": "是"}) and rnd_needed({}) and not rnd_needed({"rnd_needed": "否"})
