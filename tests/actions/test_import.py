"""Import of returned forms (issue 9): a shuffled batch with duplicates, an older revision, a
conflict, an unknown case, a tampered form, a form never accepted and a broken file — the register
after it is the same whatever the order, and importing again changes nothing."""

from __future__ import annotations

import copy
import random

from complaint_kit import layout as L
from complaint_kit.actions.forms import accept_form, complete_stage, new_form
from complaint_kit.actions.importing import Candidate, Verdict, import_forms
from complaint_kit.actions.records import register_records
from complaint_kit.actions.verify import verify_register
from complaint_kit.domain.problems import problem
from complaint_kit.domain.rules import Stage
from complaint_kit.ports import Changes
from tests.actions.test_lifecycle import INTAKE, SECTIONS, dt
from tests.conftest import KEY, memory_from_template

NOW = dt("2026-11-25 09:00")


def _form(register, customer, *, accept_at="2026-11-23 11:30"):
    form = memory_from_template(L.FORM_FILE)
    assert new_form(form, values={**INTAKE, "Customer": customer}, now=dt("2026-11-23 09:05")).ok
    if register is not None:
        assert accept_form(form, register, now=dt(accept_at), user="王静", key=KEY).ok
    return form


def _done(form, stage, when, by, **over):
    form.apply(Changes(names={**SECTIONS[stage], **over}))
    outcome = complete_stage(form, stage=stage, by=by, now=dt(when))  # the department, without the register
    assert outcome.ok, [p.render() for p in outcome.problems]
    return form


def _batch():
    """The register after four acceptances, and the files that come back."""
    register = memory_from_template(L.REGISTER_FILE)
    a = _form(register, "华星光电")
    a1 = _done(copy.deepcopy(a), Stage.QUALITY, "2026-11-24 10:00", "张敏")
    a2 = _done(copy.deepcopy(a1), Stage.MANUFACTURING, "2026-11-24 16:00", "赵六")
    b = _done(_form(register, "深南电路"), Stage.QUALITY, "2026-11-24 11:00", "张敏")
    evil = copy.deepcopy(b)
    evil.apply(Changes(names={"DefectQty": 2}))  # sealed at acceptance
    c = _form(register, "比亚迪电子")
    c1 = _done(copy.deepcopy(c), Stage.QUALITY, "2026-11-24 10:30", "张敏", QualityCause="电镀")
    c2 = _done(copy.deepcopy(c), Stage.QUALITY, "2026-11-24 10:45", "刘洋", QualityCause="蚀刻")
    never = _form(None, "立讯精密")
    stranger = _done(
        _form(memory_from_template(L.REGISTER_FILE), "Flex Ltd."), Stage.QUALITY, "2026-11-24 10:00", "张敏"
    )
    stranger.apply(Changes(names={"CaseNo": "261199"}))
    files = [
        Candidate("a1.xlsx", a1),
        Candidate("a2.xlsx", a2),
        Candidate("a2-copy.xlsx", copy.deepcopy(a2)),
        Candidate("b.xlsx", b),
        Candidate("b-evil.xlsx", evil),
        Candidate("c1.xlsx", c1),
        Candidate("c2.xlsx", c2),
        Candidate("never.xlsx", never),
        Candidate("stranger.xlsx", stranger),
        Candidate("broken.xlsx", None, problem("E-IMPORT-NOT-A-FORM", file="broken.xlsx")),
    ]
    return register, files


EXPECTED = {
    "a1.xlsx": Verdict.OLDER,
    "a2.xlsx": Verdict.DUPLICATE,  # copies of one revision: the first by file name is imported
    "a2-copy.xlsx": Verdict.IMPORTED,
    "b.xlsx": Verdict.IMPORTED,
    "b-evil.xlsx": Verdict.REFUSED,
    "c1.xlsx": Verdict.CONFLICT,
    "c2.xlsx": Verdict.CONFLICT,
    "never.xlsx": Verdict.NOT_ACCEPTED,
    "stranger.xlsx": Verdict.UNKNOWN,
    "broken.xlsx": Verdict.BROKEN,
}


def _snapshot(register):
    return {name: [list(r) for r in table.rows] for name, table in register.tables.items()}


def test_each_kind_of_file_gets_its_verdict_and_only_good_ones_are_written():
    register, files = _batch()
    outcome = import_forms(register, files, now=NOW, user="王静", key=KEY)
    verdicts = {r.label: r.verdict for r in outcome.data["results"]}
    assert verdicts == EXPECTED
    results = {r.label: r for r in outcome.data["results"]}
    assert "DefectQty" in results["b-evil.xlsx"].detail or "不良数量" in results["b-evil.xlsx"].detail
    assert "c1.xlsx" in results["c2.xlsx"].detail and "c2.xlsx" in results["c1.xlsx"].detail  # both named
    rows = {r["customer"]: r for r in register_records(register.tables[L.REGISTER_TABLE])}
    assert rows["华星光电"]["manufacturing_done_at"] == dt("2026-11-24 16:00")
    assert (
        rows["华星光电"]["current_stage"] == Stage.NEGOTIATION.zh and rows["华星光电"]["responsible_unit"] == "制造部"
    )
    assert rows["华星光电"]["latest_note"].startswith("制造对策：")
    assert rows["深南电路"]["quality_done_at"] == dt("2026-11-24 11:00")
    assert rows["比亚迪电子"]["quality_done_at"] is None  # the conflict: nothing written for it
    assert outcome.data["updated"] == 2 and set(outcome.data["imported"]) == {"261101", "261102"}
    assert verify_register(register, key=KEY, forms=[f.book for f in files[1:2]]).ok


def test_importing_the_same_files_again_changes_nothing():
    register, files = _batch()
    assert import_forms(register, files, now=NOW, user="王静", key=KEY).data["updated"] == 2
    before = _snapshot(register)
    again = import_forms(register, files, now=dt("2026-11-26 09:00"), user="王静", key=KEY)
    assert _snapshot(register) == before and again.data["updated"] == 0
    verdicts = {r.label: r.verdict for r in again.data["results"]}
    assert verdicts["a2-copy.xlsx"] is Verdict.UNCHANGED and verdicts["a1.xlsx"] is Verdict.OLDER
    assert verdicts["b.xlsx"] is Verdict.UNCHANGED


def test_an_older_revision_arriving_after_the_newer_one_is_reported_and_ignored():
    register, files = _batch()
    by = {f.label: f for f in files}
    assert import_forms(register, [by["a2.xlsx"]], now=NOW, user="王静", key=KEY).data["updated"] == 1
    before = _snapshot(register)
    late = import_forms(register, [by["a1.xlsx"]], now=dt("2026-11-26 09:00"), user="王静", key=KEY)
    assert [r.verdict for r in late.data["results"]] == [Verdict.OLDER] and _snapshot(register) == before


RUNS = 100


def test_a_shuffled_batch_gives_the_same_register_every_time():
    register, files = _batch()
    rng = random.Random(20261128)
    outcomes = set()
    for _ in range(RUNS):
        fresh = copy.deepcopy(register)
        order = copy.deepcopy(files)
        rng.shuffle(order)
        result = import_forms(fresh, order, now=NOW, user="王静", key=KEY)
        assert {r.label: r.verdict for r in result.data["results"]} == EXPECTED
        outcomes.add(repr(_snapshot(fresh)))
    assert len(outcomes) == 1, f"{len(outcomes)} different registers from {RUNS} orders"


def test_a_section_edited_after_completion_conflicts_with_the_genuine_form_not_with_older_ones():
    register = memory_from_template(L.REGISTER_FILE)
    a = _form(register, "华星光电")
    a1 = _done(copy.deepcopy(a), Stage.QUALITY, "2026-11-24 10:00", "张敏")
    a2 = _done(copy.deepcopy(a1), Stage.MANUFACTURING, "2026-11-24 16:00", "赵六")
    edited = copy.deepcopy(a2)
    edited.apply(Changes(names={"MfgCountermeasure": "改过的对策"}))  # not sealed yet: only a rival
    files = [Candidate("a1.xlsx", a1), Candidate("a2.xlsx", a2), Candidate("edited.xlsx", edited)]
    outcome = import_forms(register, files, now=NOW, user="王静", key=KEY)
    verdicts = {r.label: r.verdict for r in outcome.data["results"]}
    assert verdicts == {"a1.xlsx": Verdict.OLDER, "a2.xlsx": Verdict.CONFLICT, "edited.xlsx": Verdict.CONFLICT}
    conflict = next(r for r in outcome.data["results"] if r.label == "a2.xlsx")
    assert "edited.xlsx" in conflict.detail and "a1.xlsx" not in conflict.detail
    assert outcome.data["updated"] == 0


def test_a_form_accepted_by_another_offices_register_is_refused_as_such():
    register = memory_from_template(L.REGISTER_FILE)
    _form(register, "华星光电")  # our 261101
    elsewhere = memory_from_template(L.FORM_FILE)
    assert new_form(elsewhere, values={**INTAKE, "Customer": "深南电路"}, now=dt("2026-11-23 09:05")).ok
    other_key = b"another office" * 3
    assert accept_form(
        elsewhere, memory_from_template(L.REGISTER_FILE), now=dt("2026-11-23 11:30"), user="周", key=other_key
    ).ok
    outcome = import_forms(register, [Candidate("other.xlsx", elsewhere)], now=NOW, user="王静", key=KEY)
    (result,) = outcome.data["results"]
    assert result.verdict is Verdict.REFUSED and [p.code for p in result.problems] == ["E-IMPORT-OTHER-OFFICE"]
    assert "另一个登记表" in result.detail
