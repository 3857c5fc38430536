"""Hand-over mail (issue 9): to whom, what it asks and by when, and never outside the company (C13)."""

from __future__ import annotations

from datetime import datetime

import pytest
from pydantic import ValidationError

from complaint_kit.domain.mail import (
    Draft,
    address_domain,
    check_recipients,
    handover_draft,
    inside,
    parse_domains,
    reminder_draft,
)
from complaint_kit.domain.rules import Stage
from complaint_kit.domain.settings import Settings

DIRECTORY = {
    "制造部": ("zhao.liu@hx-pcb.com",),
    "总经理室": ("wang.jing@hx-pcb.com", "zhao.liu@hx-pcb.com"),
    "业务部": ("li.qiang@mail.hx-pcb.com",),
}
DUE = datetime(2026, 11, 25, 10, 0)


def test_domains_are_read_as_typed_and_bad_ones_refused():
    assert parse_domains(" HX-PCB.com，@mail.hx-pcb.com; ") == ("hx-pcb.com", "mail.hx-pcb.com")
    assert parse_domains("") == ()
    with pytest.raises(ValueError):
        parse_domains("hx pcb")
    assert Settings(mail_domains="hx-pcb.com").mail_domain_list() == ("hx-pcb.com",)
    with pytest.raises(ValidationError):
        Settings(mail_domains="not a domain!")


@pytest.mark.parametrize(
    ("address", "ok"),
    [
        ("zhao.liu@hx-pcb.com", True),
        ("Li@MAIL.HX-PCB.COM", True),  # a sub-domain of the company's
        ("buyer@customer.com", False),
        ("x@hx-pcb.com.evil.cn", False),  # looks alike, is not
        ("x@evilhx-pcb.com", False),
        ("Zhao <zhao@hx-pcb.com>", False),  # only plain addresses are written
        ("not-an-address", False),
    ],
)
def test_an_address_is_the_companys_only_under_its_domains(address, ok):
    assert inside(address, ("hx-pcb.com",)) is ok
    assert (address_domain(address) is None) is (address in ("Zhao <zhao@hx-pcb.com>", "not-an-address"))


def test_the_hand_over_goes_to_the_next_stages_department_with_the_gm_office_in_copy():
    draft, problems = handover_draft(
        case_no="261101",
        customer="华星光电",
        done=Stage.QUALITY,
        by="张敏",
        next_stage=Stage.MANUFACTURING,
        due=DUE,
        case_due=datetime(2026, 12, 7, 17, 30),
        directory=DIRECTORY,
        attachment="客诉-261101-华星光电-品管分析完成.xlsx",
    )
    assert problems == [] and draft is not None
    assert draft.to == ("zhao.liu@hx-pcb.com",) and draft.cc == ("wang.jing@hx-pcb.com",)  # no one twice
    assert "261101" in draft.subject and "2026-11-25 10:00" in draft.subject and "制造对策" in draft.subject
    assert "张敏" in draft.body and "2026-12-07 17:30" in draft.body and "C13" in draft.body
    assert check_recipients(draft, ("hx-pcb.com",)) == []


def test_a_closed_case_goes_back_to_the_gm_office():
    draft, _ = handover_draft(
        case_no="261101",
        customer="华星光电",
        done=Stage.APPROVAL,
        by="孙涛",
        next_stage=None,
        due=None,
        case_due=None,
        directory=DIRECTORY,
        attachment="a.xlsx",
    )
    assert draft is not None and draft.to == DIRECTORY["总经理室"] and draft.cc == () and "结案" in draft.subject


def test_no_address_for_the_department_is_a_warning_and_no_draft():
    draft, problems = handover_draft(
        case_no="1",
        customer="c",
        done=Stage.QUALITY,
        by="x",
        next_stage=Stage.RND,
        due=DUE,
        case_due=None,
        directory=DIRECTORY,
        attachment="a.xlsx",
    )
    assert draft is None and [p.code for p in problems] == ["W-MAIL-NO-ADDRESS"] and "研发部" in problems[0].zh


def test_c13_no_draft_without_domains_nor_to_anyone_outside_them():
    outside = Draft(("zhao@hx-pcb.com",), ("buyer@customer.com",), "s", "b")
    assert [p.code for p in check_recipients(outside, ())] == ["E-MAIL-NO-DOMAINS"]
    found = check_recipients(outside, ("hx-pcb.com",))
    assert [p.code for p in found] == ["E-MAIL-OUTSIDE"] and "buyer@customer.com" in found[0].zh
    assert [p.code for p in check_recipients(Draft((), (), "s", "b"), ("hx-pcb.com",))] == ["E-MAIL-NO-RECIPIENT"]


def test_a_reminder_lists_the_departments_overdue_cases():
    draft, problems = reminder_draft(
        department="制造部", cases=[("261101", "制造对策", "1天2小时")], now=DUE, directory=DIRECTORY
    )
    assert problems == [] and draft is not None and draft.to == ("zhao.liu@hx-pcb.com",)
    assert "261101" in draft.body and "1天2小时" in draft.body and "制造部" in draft.subject
    none, problems = reminder_draft(department="研发部", cases=[], now=DUE, directory=DIRECTORY)
    assert none is None and [p.code for p in problems] == ["W-MAIL-NO-ADDRESS"]
