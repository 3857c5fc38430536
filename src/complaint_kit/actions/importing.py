"""Import of forms that came back by e-mail (issue 9): the register learns what departments did.

A department completes its stage on the form alone (``complete`` without the register, the ribbon's
完成本阶段) and mails it on; the GM office imports the returned files into the register — a
register write like any other (lock, journal, seals: issue 6). The stages a form shows done that the
register does not are checked like ``complete -r`` checks them (the form unaltered since it was
sealed, its deadlines recomputed, each section filled, the decision and the approver's authority),
sealed with the office's key and written into the case's row.

One batch, one write: the files are grouped by case number and the cases taken in number order, so
the register after a batch does not depend on the order the files arrived in. Per case:

* copies of one revision (same intake, same finished sections and stamps) are one form;
* of revisions that extend one another, the newest is imported and the older are reported;
* two forms that claim one case number and do not extend one another are a conflict: both are
  named and nothing is written for that case; so is a form that disagrees with the register;
* a form the register already shows as far along is "unchanged" — importing twice changes nothing;
* a form older than the register is reported and ignored;
* a form the register never accepted, a form whose seals fail, a file that is no form: refused,
  naming why; one bad file never stops the batch, and nothing from it is written.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, cast

from .. import layout as L
from ..domain.problems import Problem, problem
from ..domain.routing import Routing, compute_assessment
from ..domain.rules import STAGE_ORDER, Stage
from ..domain.seal import Seal, canonical, key_id
from ..domain.validation import check_section
from ..domain.values import to_text
from ..ports import Book, Changes, TableData
from .completion import check_approval_stage, check_decision_stage
from .context import Rules, SnapshotError, form_rules, load_rules
from .decision import read_staff
from .formbook import LABELS
from .outcome import Outcome, failed
from .records import (
    apply_progress,
    locate_field,
    read_form,
    register_records,
    register_rows,
    routing_from_record,
)
from .register import REGISTER_LABELS
from .sealing import (
    case_seals,
    check_deadlines,
    check_form_with_register,
    completion_seal,
    form_values,
    journal_and_seals,
    read_form_seals,
    register_refusal,
)


class Verdict(StrEnum):
    """What became of one file (the summary's 结果 column; the folder it is moved to)."""

    IMPORTED = "已导入"
    DUPLICATE = "重复（同一表单）"
    UNCHANGED = "无变化"
    OLDER = "较旧，已忽略"
    CONFLICT = "冲突"
    UNKNOWN = "登记表无此案"
    NOT_ACCEPTED = "未受理"
    REFUSED = "退回"
    BROKEN = "无法读取"

    @property
    def refused(self) -> bool:
        """Refused files go to 退回 with a note; the rest to 已导入."""
        return self in (Verdict.CONFLICT, Verdict.UNKNOWN, Verdict.NOT_ACCEPTED, Verdict.REFUSED, Verdict.BROKEN)

    @property
    def en(self) -> str:
        return _VERDICT_EN[self]


_VERDICT_EN = {
    Verdict.IMPORTED: "imported",
    Verdict.DUPLICATE: "duplicate of an imported file",
    Verdict.UNCHANGED: "unchanged",
    Verdict.OLDER: "older revision, ignored",
    Verdict.CONFLICT: "conflict",
    Verdict.UNKNOWN: "case not in the register",
    Verdict.NOT_ACCEPTED: "never accepted",
    Verdict.REFUSED: "refused",
    Verdict.BROKEN: "not readable",
}


@dataclass
class Candidate:
    """One file offered for import: its name (as shown), the form, or why it could not be opened."""

    label: str
    book: Book | None
    error: Problem | None = None


@dataclass
class FileResult:
    label: str
    case_no: str
    verdict: Verdict
    detail: str = ""  # Chinese, with English after " — "
    problems: list[Problem] = field(default_factory=list)


Stamps = dict[Stage, str]  # stage → done at, canonical (the register keeps no 经办人 per stage)


@dataclass
class _Revision:
    candidate: Candidate
    raw: dict[str, Any]
    routing: Routing
    stamps: Stamps
    digest: str


class _ReadOnce:
    """The register with each table read once: every form of a batch is checked against the same
    tables, and nothing is written before the batch's one write (a 10k register read per form
    made 100 forms cost 43 s)."""

    def __init__(self, book: Book) -> None:
        self._book = book
        self._tables: dict[str, TableData] = {}

    def read_table(self, table: str) -> TableData:
        if table not in self._tables:
            self._tables[table] = self._book.read_table(table)
        return self._tables[table]

    def apply(self, changes: Changes) -> None:
        self._tables.clear()
        self._book.apply(changes)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._book, name)


def import_forms(register: Book, candidates: list[Candidate], *, now: datetime, user: str, key: bytes) -> Outcome:
    """Import ``candidates`` into ``register`` in one write. ``data["results"]`` has one
    :class:`FileResult` per candidate, in the order given."""
    register = cast(Book, _ReadOnce(register))
    refusal = register_refusal(register, key)
    if refusal is not None:
        return failed([refusal])
    rules, problems = load_rules(register)
    _, roster = read_staff(register)  # the GM office's own mistake: fixed there, not sent back with a form
    if any(p.is_error for p in problems + roster):
        return failed(problems + roster)
    table = register.read_table(L.REGISTER_TABLE)
    records = register_records(table)
    row_of = {to_text(r.get("case_no")): i for i, r in enumerate(records) if to_text(r.get("case_no"))}

    results: dict[int, FileResult] = {}
    by_case: dict[str, list[tuple[int, _Revision]]] = {}
    for i, cand in enumerate(candidates):
        revision, result = _read(cand)
        if result is not None:
            results[i] = result
        elif revision is not None:
            case_no = to_text(revision.raw.get("case_no"))
            if case_no not in row_of:
                detail = f"登记表中没有客诉 {case_no} — no such case in the register"
                results[i] = FileResult(cand.label, case_no, Verdict.UNKNOWN, detail)
            else:
                by_case.setdefault(case_no, []).append((i, revision))

    entries: list[list[Any]] = []
    taken: dict[str, str] = {}  # case → the register's form file
    seals: list[Seal] = []
    responsibility: dict[str, list[list[Any]]] = {}
    for case_no in sorted(by_case):
        index = row_of[case_no]
        done = _import_case(
            register, case_no, by_case[case_no], records[index], results, rules=rules, now=now, user=user, key=key
        )
        if done is None:
            continue
        records[index], entry, seal, rows = done
        taken[case_no] = to_text(records[index].get("form_file"))
        entries.append(entry)
        seals.append(seal)
        if rows is not None:
            responsibility[case_no] = rows

    ordered = [results[i] for i in range(len(candidates))]
    if entries:
        tables = {
            L.REGISTER_TABLE: register_rows(table, records),
            **journal_and_seals(register, entries, key=key, now=now, user=user, seals=seals),
        }
        if responsibility:
            earlier = register.read_table(L.CASE_RESPONSIBILITY_TABLE).rows
            kept = [r for r in earlier if to_text(r[0]) not in responsibility]
            tables[L.CASE_RESPONSIBILITY_TABLE] = kept + [row for rows in responsibility.values() for row in rows]
        register.apply(Changes(tables=tables))
    counts = Counter(r.verdict for r in ordered)
    zh = "，".join(f"{v.value} {n}" for v, n in sorted(counts.items(), key=lambda c: list(Verdict).index(c[0])))
    en = ", ".join(f"{v.en} {n}" for v, n in sorted(counts.items(), key=lambda c: list(Verdict).index(c[0])))
    return Outcome(
        problems + rules.calendar_warnings(),
        [
            f"导入 {len(candidates)} 个文件：{zh}；{len(entries)} 件案件已更新"
            f" — {len(candidates)} file(s): {en}; {len(entries)} case(s) updated"
        ],
        {
            "results": ordered,
            "updated": len(entries),
            # case → (label of the file taken, the register's form file): the office's copy in 表单/
            # is replaced by the newer revision, so it keeps the form the register describes
            "imported": {r.case_no: (r.label, taken[r.case_no]) for r in ordered if r.verdict is Verdict.IMPORTED},
        },
    )


def _read(cand: Candidate) -> tuple[_Revision | None, FileResult | None]:
    """The form of a file as a revision, or the file's result when it cannot be one."""
    if cand.book is None:
        error = cand.error or problem("E-IMPORT-NOT-A-FORM", file=cand.label)
        return None, FileResult(cand.label, "", Verdict.BROKEN, _text(error), [error])
    raw = read_form(cand.book)
    case_no = to_text(raw.get("case_no"))
    if not case_no:
        return None, FileResult(cand.label, "", Verdict.NOT_ACCEPTED, "表单没有客诉编号，尚未受理 — not accepted yet")
    routing, found = routing_from_record(raw, LABELS)
    if routing is None:
        where = [p.at(cand.label) for p in found]
        return None, FileResult(cand.label, case_no, Verdict.REFUSED, _text(where[0]), where)
    stamps = _stamps(routing)
    return _Revision(cand, raw, routing, stamps, _digest(cand.book, routing)), None


def _stamps(routing: Routing) -> Stamps:
    """Every finished stage after intake with its stamps: how far a form (or the register) is."""
    return {r.stage: canonical(r.done) for r in routing.stages if r.stage is not Stage.INTAKE and r.done is not None}


def _relation(a: Stamps, b: Stamps) -> str:
    """``same``, ``older`` (a is an earlier state of b), ``newer``, or ``diverged``."""
    common = a.keys() & b.keys()
    if any(a[s] != b[s] for s in common):
        return "diverged"
    if a.keys() == b.keys():
        return "same"
    if a.keys() < b.keys():
        return "older"
    return "newer" if a.keys() > b.keys() else "diverged"


def _digest(book: Book, routing: Routing) -> str:
    """What makes two files one revision: the sealed intake and acceptance, every finished section
    with its stamps (and, consolidated, the responsibility rows). Drafts of open sections do not
    count: nothing of them is written into the register."""
    values = form_values(book)
    names = list(L.SEALED_AT_ACCEPTANCE)
    for rec in routing.stages:
        if rec.stage is not Stage.INTAKE and rec.done is not None:
            names += [f.name for f in L.section_input_fields(rec.stage) if f.name in values]
            names += [f.name for f in L.stage_fields(rec.stage)]
            if rec.stage is Stage.CONSOLIDATION and L.RESPONSIBILITY_TABLE in values:
                names.append(L.RESPONSIBILITY_TABLE)
    text = json.dumps({n: canonical(values.get(n)) for n in names}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _import_case(
    register: Book,
    case_no: str,
    offered: list[tuple[int, _Revision]],
    rec: dict[str, Any],
    results: dict[int, FileResult],
    *,
    rules: Rules,
    now: datetime,
    user: str,
    key: bytes,
) -> tuple[dict[str, Any], list[Any], Seal, list[list[Any]] | None] | None:
    """One case's files: a result for each, and the updated row, journal entry, seal and
    responsibility rows when a newer revision is imported. Copies of one revision are judged once:
    older than the register (ignored), disagreeing with it (conflict), altered since sealed
    (refused, naming the fields); of the rest, one must extend all others, else they conflict."""
    register_routing, _ = routing_from_record(rec, REGISTER_LABELS)
    held = _stamps(register_routing) if register_routing is not None else {}
    groups: dict[str, list[tuple[int, _Revision]]] = {}
    for i, rev in sorted(offered, key=lambda o: (o[1].candidate.label, o[0])):
        groups.setdefault(rev.digest, []).append((i, rev))
    live: dict[str, _Revision] = {}
    for digest, group in sorted(groups.items()):
        rep = group[0][1]  # the first by file name stands for its copies (the journal names it)
        foreign = _other_office(rep, key)
        if foreign is not None:
            _mark(results, group, case_no, Verdict.REFUSED, _text(foreign), [foreign])
            continue
        relation = _relation(rep.stamps, held)
        if relation in ("older", "diverged"):
            verdict, detail, problems = _judge(relation, case_no)
            _mark(results, group, case_no, verdict, detail, problems)
            continue
        altered = _altered(register, rep, key)
        if altered:
            more = f"（另 {len(altered) - 1} 处 and {len(altered) - 1} more）" if len(altered) > 1 else ""
            _mark(results, group, case_no, Verdict.REFUSED, _text(altered[0]) + more, altered)
            continue
        live[digest] = rep
    if not live:
        return None
    newest, rivals = _newest(list(live.values()))
    if newest is None:
        names = "、".join(sorted(rev.candidate.label for rev in rivals))
        detail = f"多个不同的表单都是客诉 {case_no}：{names} — different forms claim case {case_no}"
        for digest, rev in live.items():
            if rev in rivals:
                _mark(results, groups[digest], case_no, Verdict.CONFLICT, detail, [])
            else:
                older = f"本表是较旧的版本（{names} 冲突，未导入） — an older revision (the newer ones conflict)"
                _mark(results, groups[digest], case_no, Verdict.OLDER, older, [])
        return None
    for digest, rev in live.items():
        if rev is not newest:
            older = f"较新的表单 {newest.candidate.label} 已处理 — a newer form of the case was taken"
            _mark(results, groups[digest], case_no, Verdict.OLDER, older, [])
    if _relation(newest.stamps, held) == "same":
        verdict, detail, problems = _judge("same", case_no)
        _mark(results, groups[newest.digest], case_no, verdict, detail, problems)
        return None
    done, problems = _apply(register, case_no, newest, rec, held, rules=rules, now=now, user=user, key=key)
    if done is None:
        _mark(results, groups[newest.digest], case_no, Verdict.REFUSED, _text(_first_error(problems)), problems)
        return None
    new = [s.zh for s in STAGE_ORDER if s in newest.stamps and s not in held]
    detail = f"{'、'.join(new)} 已记入登记表 — recorded in the register"
    _mark(results, groups[newest.digest], case_no, Verdict.IMPORTED, detail, problems)
    return done


def _mark(
    results: dict[int, FileResult],
    group: list[tuple[int, _Revision]],
    case_no: str,
    verdict: Verdict,
    detail: str,
    problems: list[Problem],
) -> None:
    """The result of every copy of one revision: the first carries the problems; copies of an
    imported revision are duplicates."""
    first = group[0][1].candidate.label
    for n, (i, rev) in enumerate(group):
        if n and verdict is Verdict.IMPORTED:
            same = f"与 {first} 相同，已随之导入 — the same form as {first}, imported with it"
            results[i] = FileResult(rev.candidate.label, case_no, Verdict.DUPLICATE, same)
        else:
            results[i] = FileResult(rev.candidate.label, case_no, verdict, detail, problems if n == 0 else [])


def _other_office(rev: _Revision, key: bytes) -> Problem | None:
    """A form accepted by another office's register: its seals carry another key."""
    assert rev.candidate.book is not None
    own, _ = read_form_seals(rev.candidate.book)
    ids = {s.key_id for s in own}
    if not ids or key_id(key) in ids:
        return None
    return problem("E-IMPORT-OTHER-OFFICE", file=rev.candidate.label, theirs="、".join(sorted(ids)), ours=key_id(key))


def _altered(register: Book, rev: _Revision, key: bytes) -> list[Problem]:
    """Errors of a form against the register's signed seals and its recomputed deadlines."""
    form = rev.candidate.book
    assert form is not None
    try:
        snapshot = form_rules(form)
    except SnapshotError as exc:
        return exc.problems
    problems = check_form_with_register(form, form_values(form), register, key)
    if snapshot is not None:
        problems += check_deadlines(form, rev.routing, snapshot)
    return [p for p in problems if p.is_error]


def _first_error(problems: list[Problem]) -> Problem:
    return next(p for p in problems if p.is_error)


def _newest(revisions: list[_Revision]) -> tuple[_Revision | None, list[_Revision]]:
    """The revision every other one is an earlier state of, or None and the rivals: the furthest
    revisions when they do not extend one another (two forms for one case, e.g. a section edited
    after it was completed). A revision earlier than every rival is only older."""
    furthest = [
        rev for rev in revisions if not any(_relation(rev.stamps, other.stamps) == "older" for other in revisions)
    ]
    if len(furthest) == 1:
        newest = furthest[0]
        if all(rev is newest or _relation(rev.stamps, newest.stamps) == "older" for rev in revisions):
            return newest, []
    rivals = [
        rev
        for rev in revisions
        if rev in furthest or not all(_relation(rev.stamps, f.stamps) == "older" for f in furthest)
    ]
    return None, rivals


def _judge(relation: str, case_no: str) -> tuple[Verdict, str, list[Problem]]:
    if relation == "same":
        return Verdict.UNCHANGED, "登记表已有同样的进度 — the register already shows this", []
    if relation == "older":
        return Verdict.OLDER, "登记表的进度比本表新，本表已忽略 — the register is further along", []
    if relation == "diverged":
        found = problem("E-IMPORT-DIVERGED", case_no=case_no)
        return Verdict.CONFLICT, _text(found), [found]
    return Verdict.IMPORTED, "", []


def _apply(
    register: Book,
    case_no: str,
    rev: _Revision,
    rec: dict[str, Any],
    held: Stamps,
    *,
    rules: Rules,
    now: datetime,
    user: str,
    key: bytes,
) -> tuple[tuple[dict[str, Any], list[Any], Seal, list[list[Any]] | None] | None, list[Problem]]:
    """Check the newer form like ``complete -r`` would and make its row, entry, seal and rows."""
    form, raw, routing = rev.candidate.book, rev.raw, rev.routing
    assert form is not None
    values = form_values(form)
    problems: list[Problem] = []
    new = [s for s in STAGE_ORDER if s in rev.stamps and s not in held]
    for stage in new:
        problems += [locate_field(form, p) for p in check_section(stage, raw, labels=LABELS)]
    decided: dict[str, Any] = {}
    rows: list[list[Any]] | None = None
    if Stage.CONSOLIDATION in new:
        when = routing.record(Stage.CONSOLIDATION).done or now
        columns, _, rows, found = check_decision_stage(
            form, raw, Stage.CONSOLIDATION, register=register, now=when, rules=rules
        )
        decided.update(columns)
        problems += found
    if Stage.APPROVAL in new:
        approver = routing.record(Stage.APPROVAL).by
        level, found = check_approval_stage(raw, Stage.APPROVAL, register=register, by=approver, rules=rules)
        decided.update(level)
        problems += found
    if any(p.is_error for p in problems):
        return None, problems
    seal = completion_seal(
        key, stage=new[-1], values=values, routing=routing, sealed=case_seals(register, case_no), at=now, by=user
    )
    assessment = compute_assessment(routing, now=now, settings=rules.settings, calendar=rules.calendar)
    row = apply_progress({**rec, **decided}, raw, routing, assessment, now=now)
    note = f"{'、'.join(s.zh for s in new)} 完成（导入 {rev.candidate.label}）"
    return (row, [now, user, "导入", case_no, note], seal, rows), problems


def _text(p: Problem) -> str:
    return f"{p.zh} — {p.en}"
