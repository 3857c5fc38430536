"""What the actions refuse, each named by its code and cell, with nothing written: acceptance
without a user, into a register built before seals or with a damaged numbering memory; completing
against a register that lost the case or belongs to another office; reopening a draft; and what
``verify`` says about registers and forms that are not what they claim (C3, C6, C11, issue 6)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from complaint_kit import layout as L
from complaint_kit.actions.forms import accept_form, complete_stage, reopen_form, validate_form
from complaint_kit.actions.verify import verify_register
from complaint_kit.domain.rules import Stage
from complaint_kit.ports import TableData
from tests.actions.test_lifecycle import SECTIONS, accept, dt, filled
from tests.actions.test_tamper import NEXT, _finish_next, make_case
from tests.conftest import KEY, memory_from_template

AT = dt("2026-11-23 11:30")


def writes(*books) -> tuple[int, ...]:
    return tuple(len(b.applied) for b in books)


def without_signatures(register):
    """A register built before seals existed (upgrade adds the 签章 table)."""
    del register.tables[L.SIGNATURES_TABLE]
    return register


# -- acceptance (C3, C6, C17) ---------------------------------------------------------------------
def test_acceptance_needs_the_accepting_users_name(form, register):
    filled(form)
    before = writes(form, register)
    outcome = accept_form(form, register, now=AT, user="  ", key=KEY)
    assert [p.code for p in outcome.errors] == ["E-USER"]
    assert writes(form, register) == before


def test_a_register_built_before_seals_is_refused_until_upgraded(form, register):  # issue 6
    filled(form)
    outcome = accept_form(form, without_signatures(register), now=AT, user="王静", key=KEY)
    assert [p.code for p in outcome.errors] == ["E-REGISTER-OLD"]
    assert register.applied == []


def test_a_damaged_numbering_memory_refuses_acceptance_at_its_cell(form, register):  # C3: never a number twice
    register.tables[L.SERIALS_TABLE] = TableData(L.SERIALS_HEADERS, [["2611", "很多"]])
    outcome = accept_form(filled(form), register, now=AT, user="王静", key=KEY)
    assert [p.where for p in outcome.errors] == [f"Serials[{L.SERIALS_HEADERS[1]}]#1"]
    assert register.applied == []


def test_a_form_cannot_be_accepted_before_the_gm_office_received_it(form, register):  # C6: intake ends at receipt
    filled(form)
    outcome = accept_form(form, register, now=AT, user="王静", key=KEY, received_at=AT + timedelta(hours=1))
    assert [p.code for p in outcome.errors] == ["E-ACCEPTED-BEFORE-RECEIVED"]
    assert register.applied == []


# -- completing a stage (C6, C7) -----------------------------------------------------------------
def test_completing_with_the_register_needs_the_signing_key(form, register):
    accept(filled(form), register)
    with pytest.raises(ValueError, match="key"):
        complete_stage(form, stage=Stage.QUALITY, by="张敏", now=dt("2026-11-24 10:00"), register=register)


def test_a_malformed_stamp_on_the_form_is_named_at_its_cell(form, register):
    accept(filled(form), register)
    form.names.update(SECTIONS[Stage.QUALITY])
    form.names["QualityDueAt"] = "明天"
    before = len(form.applied)
    outcome = complete_stage(form, stage=Stage.QUALITY, by="张敏", now=dt("2026-11-24 10:00"))
    assert [(p.code, p.where) for p in outcome.errors] == [("E-NOT-DATETIME", f"{form.label} QualityDueAt")]
    assert len(form.applied) == before


def test_completing_against_a_register_built_before_seals_is_refused():
    form, register = make_case()
    before = writes(form, register)
    outcome = _finish_next(form, without_signatures(register))
    assert [p.code for p in outcome.errors] == ["E-REGISTER-OLD"]
    assert writes(form, register) == before


def test_completing_a_case_whose_register_row_was_deleted_is_refused():  # C3: the register is the truth
    form, register = make_case()
    table = register.tables[L.REGISTER_TABLE]
    register.tables[L.REGISTER_TABLE] = TableData(table.headers, [r for r in table.rows if r[0] != "261102"])
    before = writes(form, register)
    outcome = _finish_next(form, register)
    assert [p.code for p in outcome.errors] == ["E-NOT-IN-REGISTER"]
    assert writes(form, register) == before


def test_a_form_from_another_offices_register_is_refused_and_verify_says_so():  # issue 6
    form, _ = make_case()
    other = memory_from_template(L.REGISTER_FILE)
    outcome = complete_stage(form, stage=NEXT[0], by="总经理室", now=dt(NEXT[1]), register=other, user="王静", key=KEY)
    assert [p.code for p in outcome.errors] == ["E-SEAL-FOREIGN"]
    assert other.applied == []
    found = verify_register(other, key=KEY, forms=[form])
    assert [p.code for p in found.problems] == ["E-SEAL-FOREIGN"] and not found.ok


# -- reopening (C11) -----------------------------------------------------------------------------
def test_a_form_never_accepted_cannot_be_reopened(form):
    filled(form)
    new = memory_from_template(L.FORM_FILE)
    outcome = reopen_form(form, new, now=dt("2026-12-03 09:00"))
    assert [p.code for p in outcome.errors] == ["E-NOT-ACCEPTED"] and new.applied == []


# -- the form's own copy of its seals ------------------------------------------------------------
def test_a_damaged_copy_of_the_seals_is_named_at_its_cell():
    form, _ = make_case()
    form.names[L.META_SEAL] = "{这不是签章"
    outcome = validate_form(form, now=dt(NEXT[1]))
    assert [p.code for p in outcome.errors] == ["E-SEAL-UNREADABLE"]
    assert outcome.errors[0].where == f"{form.label} {L.META_SEAL}"


# -- blank rows the GM office leaves in 设置 and 日历 ------------------------------------------------
def test_blank_rows_in_settings_and_calendar_are_ignored(form, register):  # T1
    settings = register.tables[L.SETTINGS_TABLE]
    blank = [None] * len(settings.headers)  # in the middle: trailing blank rows are not part of a table
    register.tables[L.SETTINGS_TABLE] = TableData(settings.headers, [settings.rows[0], blank, *settings.rows[1:]])
    register.tables[L.CALENDAR_TABLE] = TableData(L.CALENDAR_HEADERS, [[None, None, "留空"]])
    outcome = accept(filled(form), register)
    assert outcome.data["case_no"] == "261101" and form.names["QualityDueAt"] == dt("2026-11-24 11:30")


# -- verify ----------------------------------------------------------------------------------------
def test_verify_refuses_a_register_built_before_seals():
    _, register = make_case()
    outcome = verify_register(without_signatures(register), key=KEY)
    assert [p.code for p in outcome.problems] == ["E-REGISTER-OLD"] and not outcome.ok


def test_a_case_whose_seals_were_removed_is_reported_as_unsealed():
    _, register = make_case()
    table = register.tables[L.SIGNATURES_TABLE]
    register.tables[L.SIGNATURES_TABLE] = TableData(table.headers, [r for r in table.rows if r[0] != "261101"])
    outcome = verify_register(register, key=KEY)
    assert outcome.ok and [(p.code, p.is_error) for p in outcome.problems] == [("W-UNSEALED", False)]
    assert "261101" in outcome.problems[0].zh


def test_verify_skips_a_draft_and_flags_a_form_whose_case_left_the_register():
    form, register = make_case()
    draft = filled(memory_from_template(L.FORM_FILE))
    table = register.tables[L.REGISTER_TABLE]
    register.tables[L.REGISTER_TABLE] = TableData(table.headers, [r for r in table.rows if r[0] != "261102"])
    outcome = verify_register(register, key=KEY, forms=[draft, form])
    assert outcome.data["forms"] == 1  # the draft has nothing sealed
    assert [p.code for p in outcome.problems] == ["E-CASE-MISSING", "W-FORM-UNKNOWN"]


def test_verify_passes_over_a_register_row_without_a_case_number():  # C3: only numbered cases are sealed
    form, register = make_case()
    table = register.tables[L.REGISTER_TABLE]
    blank = [None] * len(table.headers)
    register.tables[L.REGISTER_TABLE] = TableData(table.headers, [table.rows[0], blank, *table.rows[1:]])
    outcome = verify_register(register, key=KEY, forms=[form])
    assert outcome.ok and outcome.problems == [] and outcome.data["cases"] == 2


def test_an_unreadable_signature_row_is_a_break_at_its_cell():
    _, register = make_case()
    table = register.tables[L.SIGNATURES_TABLE]
    rows = [list(r) for r in table.rows]
    rows[0][table.headers.index(L.SIGNATURES_HEADERS[4])] = "[1, 2]"  # the field digests: not a mapping
    register.tables[L.SIGNATURES_TABLE] = TableData(table.headers, rows)
    outcome = verify_register(register, key=KEY)
    assert "E-SIGNATURE-BROKEN" in [p.code for p in outcome.errors]
    assert f"Signatures[{L.SIGNATURES_HEADERS[-1]}]#1" in [p.where for p in outcome.errors]
