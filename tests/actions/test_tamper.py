"""Tamper evidence (issue 6) on in-memory books: a case accepted and taken through several stages
with the register; then each finished field, each deadline and stamp, the case number, the settings
snapshot, each register deadline and each journal line is altered in turn, and every alteration
must be detected and named — both ways: the untouched case verifies clean."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from complaint_kit import layout as L
from complaint_kit.actions.forms import accept_form, complete_stage, new_form, reopen_form, validate_form
from complaint_kit.actions.verify import verify_register
from complaint_kit.domain.rules import Stage
from complaint_kit.domain.seal import key_id, legacy_chain_hash
from complaint_kit.ports import TableData
from tests.actions.test_lifecycle import INTAKE, SECTIONS, dt
from tests.conftest import KEY, memory_from_template

DONE = (  # quality says no R&D: R&D is skipped
    (Stage.QUALITY, "2026-11-24 10:00"),
    (Stage.MANUFACTURING, "2026-11-25 09:00"),
    (Stage.NEGOTIATION, "2026-11-27 15:00"),
)
NEXT = (Stage.CONSOLIDATION, "2026-11-30 09:00")


def make_case():
    register = memory_from_template(L.REGISTER_FILE)
    other = memory_from_template(L.FORM_FILE)  # case 261101: another customer's, so a changed CaseNo lands on it
    assert new_form(other, values={**INTAKE, "Customer": "深南电路"}, now=dt("2026-11-23 08:50")).ok
    assert accept_form(other, register, now=dt("2026-11-23 11:00"), user="王静", key=KEY).ok
    form = memory_from_template(L.FORM_FILE)
    assert new_form(form, values=INTAKE, now=dt("2026-11-23 09:05")).ok
    accepted = accept_form(
        form, register, now=dt("2026-11-23 11:30"), user="王静", key=KEY, received_at=dt("2026-11-23 11:00")
    )
    assert accepted.ok and accepted.data["case_no"] == "261102"
    for stage, at in DONE:
        _type(form, SECTIONS[stage])
        outcome = complete_stage(form, stage=stage, by="经办", now=dt(at), register=register, user="王静", key=KEY)
        assert outcome.ok, [p.render() for p in outcome.problems]
    _type(form, SECTIONS[NEXT[0]])
    return form, register


def _type(form, values):
    form.names.update(values)


def _finish_next(form, register):
    return complete_stage(form, stage=NEXT[0], by="总经理室", now=dt(NEXT[1]), register=register, user="王静", key=KEY)


def _altered(value):
    if isinstance(value, datetime):
        return value + timedelta(days=1)
    if isinstance(value, int):
        return value + 1
    return {"国内": "国外", "退货": "换货", "否": "是", "制造部": "研发部"}.get(value, f"{value}改")


FINISHED_FIELDS = [
    *(f.name for f in L.section_input_fields(Stage.INTAKE)),
    *(f.name for stage, _ in DONE for f in L.section_input_fields(stage)),
]
DEADLINES_AND_STAMPS = [
    "ReceivedAt",
    "AcceptedAt",
    "AcceptedBy",
    "CaseDueAt",
    *(f.name for stage in (Stage.INTAKE, *(s for s, _ in DONE)) for f in L.stage_fields(stage)),
    "RnDBy",  # the skipped stage's mark
    "ConsolidationStartAt",
    "ConsolidationDueAt",
]


def _named(problems, name):
    return [p for p in problems if p.is_error and (name in p.zh or name in (p.where or ""))]


def test_an_untouched_case_verifies_clean_and_completes():
    form, register = make_case()
    assert validate_form(form, now=dt(NEXT[1])).ok
    clean = verify_register(register, key=KEY, forms=[form])
    assert clean.ok and clean.problems == [], [p.render() for p in clean.problems]
    assert clean.data["signatures"] == 5 and clean.data["forms"] == 1
    assert _finish_next(form, register).ok
    assert verify_register(register, key=KEY, forms=[form]).ok


def test_the_seals_name_what_was_sealed():
    form, register = make_case()
    rows = register.tables[L.SIGNATURES_TABLE].rows
    scopes = [r[1] for r in rows if r[0] == "261102"]
    assert scopes == ["受理", "品管分析", "制造对策", "业务协商"]
    accept_fields = json.loads(next(r[4] for r in rows if r[0] == "261102" and r[1] == "受理"))
    assert {"CaseNo", "Customer", "CaseDueAt", "QualityDueAt", L.META_SETTINGS} <= set(accept_fields)
    assert "Status" not in accept_fields and "ManufacturingDueAt" not in accept_fields
    assert len(json.loads(form.names[L.META_SEAL])) == 4  # the form's copy


@pytest.mark.parametrize("name", FINISHED_FIELDS + DEADLINES_AND_STAMPS)
def test_each_altered_finished_field_deadline_and_stamp_is_refused_by_name(name):
    form, register = make_case()
    before = len(register.applied)
    form.names[name] = _altered(form.names[name])
    outcome = _finish_next(form, register)
    assert not outcome.ok and _named(outcome.problems, name), [p.render() for p in outcome.problems]
    assert len(register.applied) == before  # nothing written
    assert _named(validate_form(form, now=dt(NEXT[1])).problems, name)  # keyless, too
    assert _named(verify_register(register, key=KEY, forms=[form]).problems, name)


def test_a_changed_case_number_is_refused_with_the_register_and_without():
    form, register = make_case()
    form.names["CaseNo"] = "261101"  # another case of this register
    outcome = _finish_next(form, register)
    assert not outcome.ok and _named(outcome.problems, "CaseNo")
    assert {"E-TAMPERED", "E-CASENO-CHANGED"} <= {p.code for p in outcome.errors}
    assert _named(validate_form(form, now=dt(NEXT[1])).problems, "CaseNo")
    assert not verify_register(register, key=KEY, forms=[form]).ok


def test_an_edited_settings_snapshot_is_refused():
    form, register = make_case()
    snapshot = json.loads(form.names[L.META_SETTINGS])
    snapshot["settings"]["manufacturing_days"] = 100
    form.names[L.META_SETTINGS] = json.dumps(snapshot, ensure_ascii=False, sort_keys=True)
    outcome = _finish_next(form, register)
    assert not outcome.ok and _named(outcome.problems, L.META_SETTINGS)
    assert _named(validate_form(form, now=dt(NEXT[1])).problems, L.META_SETTINGS)


def test_forged_seals_on_the_form_are_caught_by_the_register():
    """A department recomputes the form's own (unkeyed) digests after an edit: the keyless check is
    fooled, the register's signed seals are not."""
    from complaint_kit.domain.seal import Seal, dump_seals, field_digest, load_seals

    form, register = make_case()
    form.names["QualityCause"] = "供应商"
    seals = load_seals(form.names[L.META_SEAL])
    forged = [
        Seal(
            s.scope,
            s.case_no,
            s.at,
            s.by,
            {
                **s.fields,
                **({"QualityCause": field_digest("QualityCause", "供应商")} if "QualityCause" in s.fields else {}),
            },
            s.key_id,
            s.mac,
        )
        for s in seals
    ]
    form.names[L.META_SEAL] = dump_seals(forged)
    assert validate_form(form, now=dt(NEXT[1])).ok  # keyless: cannot tell
    outcome = _finish_next(form, register)
    assert not outcome.ok and _named(outcome.problems, "QualityCause")


def test_a_deadline_edited_after_a_stage_completed_without_the_register_is_refused():
    form, register = make_case()
    _type(form, SECTIONS[Stage.CONSOLIDATION])
    assert complete_stage(form, stage=Stage.CONSOLIDATION, by="总经理室", now=dt(NEXT[1])).ok  # no register
    _type(form, SECTIONS[Stage.APPROVAL])
    form.names["CaseDueAt"] = dt("2027-03-01 17:30")
    outcome = complete_stage(
        form, stage=Stage.APPROVAL, by="总经理", now=dt("2026-12-01 10:00"), register=register, key=KEY
    )
    assert not outcome.ok and _named(outcome.problems, "CaseDueAt")


UNSET_BY_NOW = ("rnd_due_at", "rnd_done_at", "consolidation_done_at", "approval_done_at", "stage_due_at")
REGISTER_DEADLINES = [
    c.header
    for c in L.REGISTER_COLUMNS
    if (c.attr in ("accepted_at", "received_at") or c.attr.endswith(("_due_at", "_done_at")))
    and c.attr not in UNSET_BY_NOW
]


@pytest.mark.parametrize("header", REGISTER_DEADLINES)
def test_each_altered_register_deadline_is_found(header):
    form, register = make_case()
    table = register.tables[L.REGISTER_TABLE]
    i = table.headers.index(header)
    row = next(r for r in table.rows if r[0] == "261102")
    row[i] = row[i] + timedelta(days=7)
    found = verify_register(register, key=KEY, forms=[])
    assert not found.ok and any(header in p.zh for p in found.errors), [p.render() for p in found.problems]
    assert not _finish_next(form, register).ok  # the form no longer agrees with the register


@pytest.mark.parametrize("row", range(5))  # 2 acceptances, 3 completions
def test_each_altered_journal_line_is_found_at_its_cell(row):
    _, register = make_case()
    rows = register.tables[L.JOURNAL_TABLE].rows
    assert len(rows) == 5
    rows[row][4] = f"{rows[row][4]}（改）"
    found = verify_register(register, key=KEY)
    broken = [p for p in found.errors if p.code == "E-JOURNAL-BROKEN"]
    assert [p.where for p in broken] == [f"{L.JOURNAL_TABLE}[{L.JOURNAL_HEADERS[-1]}]#{row + 1}"]


def test_an_altered_signature_row_is_found():
    _, register = make_case()
    rows = register.tables[L.SIGNATURES_TABLE].rows
    rows[2][3] = "别人"
    found = verify_register(register, key=KEY)
    assert [p.code for p in found.errors] == ["E-SIGNATURE-BROKEN"]


def test_a_deleted_register_row_is_found():
    _, register = make_case()
    table = register.tables[L.REGISTER_TABLE]
    register.tables[L.REGISTER_TABLE] = TableData(table.headers, [r for r in table.rows if r[0] != "261102"])
    assert "E-CASE-MISSING" in {p.code for p in verify_register(register, key=KEY).errors}


def test_a_wrong_key_is_named_not_reported_as_tampering():
    form, register = make_case()
    other = bytes(32)
    found = verify_register(register, key=other, forms=[form])
    assert [p.code for p in found.problems] == ["E-WRONG-KEY"]
    assert key_id(KEY) in found.problems[0].zh and key_id(other) in found.problems[0].en
    refused = complete_stage(form, stage=NEXT[0], by="x", now=dt(NEXT[1]), register=register, key=other)
    assert [p.code for p in refused.errors] == ["E-WRONG-KEY"]
    fresh = memory_from_template(L.FORM_FILE)
    new_form(fresh, values=INTAKE, now=dt("2026-11-23 09:05"))
    assert [p.code for p in accept_form(fresh, register, now=dt("2026-11-30 10:00"), user="x", key=other).errors] == [
        "E-WRONG-KEY"
    ]


def test_a_legacy_journal_is_reported_and_the_keyed_chain_continues():
    register = memory_from_template(L.REGISTER_FILE)
    rows, previous = [], ""
    for i in range(3):
        fields = [dt("2026-10-01 09:00") + timedelta(hours=i), "王静", "刷新", None, f"旧 {i}"]
        previous = legacy_chain_hash(previous, fields)
        rows.append([*fields, previous])
    register.tables[L.JOURNAL_TABLE] = TableData(L.JOURNAL_HEADERS, rows)
    form = memory_from_template(L.FORM_FILE)
    new_form(form, values=INTAKE, now=dt("2026-11-23 09:05"))
    assert accept_form(form, register, now=dt("2026-11-23 11:30"), user="王静", key=KEY).ok
    journal = register.tables[L.JOURNAL_TABLE].rows
    assert len(journal[-1][-1]) == 64 and len(journal[0][-1]) == 16
    found = verify_register(register, key=KEY, forms=[form])
    assert found.ok and [p.code for p in found.problems] == ["W-JOURNAL-LEGACY"]
    journal[1][4] = "改"
    assert [p.code for p in verify_register(register, key=KEY).errors] == ["E-JOURNAL-BROKEN"]


def test_a_version_1_form_still_works_and_warns_that_it_cannot_be_verified():
    register = memory_from_template(L.REGISTER_FILE)
    form = memory_from_template(L.FORM_FILE)
    del form.names[L.META_SEAL]
    form.names[L.META_VERSION] = "1"
    new_form(form, values=INTAKE, now=dt("2026-11-23 09:05"))
    assert accept_form(form, register, now=dt("2026-11-23 11:30"), user="王静", key=KEY).ok
    checked = validate_form(form, now=dt("2026-11-23 12:00"))
    assert checked.ok and [p.code for p in checked.warnings] == ["W-UNSEALED"]
    _type(form, SECTIONS[Stage.QUALITY])
    ok = complete_stage(form, stage=Stage.QUALITY, by="张敏", now=dt("2026-11-24 10:00"), register=register, key=KEY)
    assert ok.ok  # the register holds the seals
    form.names["Customer"] = "别家"
    _type(form, SECTIONS[Stage.MANUFACTURING])
    bad = complete_stage(
        form, stage=Stage.MANUFACTURING, by="x", now=dt("2026-11-25 10:00"), register=register, key=KEY
    )
    assert _named(bad.problems, "Customer")


def test_a_tampered_form_cannot_be_reopened():
    form, register = make_case()
    for stage, at in (NEXT, (Stage.APPROVAL, "2026-12-01 10:00")):
        _type(form, SECTIONS[stage])
        assert complete_stage(form, stage=stage, by="x", now=dt(at), register=register, key=KEY).ok
    form.names["NegotiationResult"] = "全额赔偿"
    outcome = reopen_form(form, memory_from_template(L.FORM_FILE), now=dt("2026-12-02 09:00"))
    assert not outcome.ok and _named(outcome.problems, "NegotiationResult")


def test_a_form_with_seals_but_a_blanked_case_number_cannot_be_accepted_again():
    form, register = make_case()
    form.names["CaseNo"] = None
    outcome = accept_form(form, register, now=dt("2026-12-01 10:00"), user="王静", key=KEY)
    assert [p.code for p in outcome.errors] == ["E-ALREADY-ACCEPTED"]


@pytest.mark.parametrize("cut", [1, 2, 5])
def test_journal_entries_cut_off_its_end_are_found_by_the_signed_head(cut):
    """What remains of a chain still chains; the signed head (length, last hash) does not."""
    _, register = make_case()
    table = register.tables[L.JOURNAL_TABLE]
    register.tables[L.JOURNAL_TABLE] = TableData(table.headers, table.rows[:-cut])
    found = verify_register(register, key=KEY)
    assert [p.code for p in found.errors] == ["E-JOURNAL-TRUNCATED"]


def test_a_deleted_journal_head_is_found():
    _, register = make_case()
    table = register.tables[L.SIGNATURES_TABLE]
    register.tables[L.SIGNATURES_TABLE] = TableData(table.headers, [r for r in table.rows if r[1] != "日志链"])
    assert [p.code for p in verify_register(register, key=KEY).errors] == ["E-JOURNAL-HEAD-MISSING"]


def test_a_keyed_journal_line_rewritten_with_the_old_unkeyed_hash_is_not_taken_for_legacy():
    _, register = make_case()
    rows = register.tables[L.JOURNAL_TABLE].rows
    rows[2][4] = "改"
    rows[2][5] = legacy_chain_hash(rows[1][5], rows[2][:5])  # anyone can compute the old hash
    codes = [p.code for p in verify_register(register, key=KEY).problems]
    assert "E-JOURNAL-BROKEN" in codes and "W-JOURNAL-LEGACY" not in codes


def test_every_register_write_keeps_exactly_one_journal_head():
    from complaint_kit.actions.register import refresh_register

    _, register = make_case()
    assert refresh_register(register, now=dt("2026-11-30 10:00"), user="王静", key=KEY).ok
    heads = [r for r in register.tables[L.SIGNATURES_TABLE].rows if r[1] == "日志链"]
    assert len(heads) == 1 and heads[0] == register.tables[L.SIGNATURES_TABLE].rows[-1]
    assert verify_register(register, key=KEY).ok
