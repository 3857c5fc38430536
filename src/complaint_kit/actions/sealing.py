"""Seals on forms and in the register (tamper evidence, issue 6), shared by forms.py and verify.py.

The register's 签章 table (``Signatures``) is the truth; the form's hidden ``MetaSeal`` is a copy
so that a department without the key can see which sealed fields were changed. Which fields a
seal covers is decided here from ``layout`` (the domain's :mod:`~complaint_kit.domain.seal` knows
only names and values).
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from typing import Any

from .. import layout as L
from ..domain.problems import Problem, problem
from ..domain.routing import Routing, compute_case_due, compute_stage_due
from ..domain.rules import Stage
from ..domain.seal import (
    ACCEPT_SCOPE,
    JOURNAL_HEAD_SCOPE,
    Seal,
    canonical,
    check_fields,
    check_seal_mac,
    compute_seal,
    field_digest,
    journal_head_of,
    key_id,
    load_seals,
    sealed_digests,
    unverifiable_warning,
    wrong_key_problem,
)
from ..domain.values import is_blank, to_text
from ..ports import Book, TableChange, TableData, TableTail, find_rows, read_tail
from .context import Rules
from .records import find_case, form_version, journal_rows, record_at, responsibility_rows

# register columns that are copies of sealed form fields: attr → defined name
REGISTER_SEALED: dict[str, str] = {
    c.attr: L.FIELD_BY_ATTR[c.attr].name for c in L.REGISTER_COLUMNS if c.attr in L.FIELD_BY_ATTR
}
# the register's deadlines and stamps are the truth; a form's are a copy (issue 6)
TIMING_ATTRS: tuple[str, ...] = tuple(
    a for a in REGISTER_SEALED if a.endswith(("_due_at", "_done_at")) or a in ("accepted_at", "received_at")
)


def form_values(form: Book) -> dict[str, Any]:
    """Every sealable value of a form by defined name (fields and the settings snapshot) and, on a
    form with the decision (version 3 on), the 责任归属 table as one canonical text under its
    table name: consolidation seals it with section 七 (issue 7)."""
    version = form_version(form)
    names = [f.name for f in L.form_fields_of(version)] + [L.META_SETTINGS]
    values = form.read_names(names)
    if version >= L.DECISION_VERSION:
        values[L.RESPONSIBILITY_TABLE] = responsibility_text(form)
    return values


def responsibility_text(form: Book) -> str:
    """The filled rows of the form's Responsibility table, canonical (``canonical`` per cell, in
    the template's column order), one JSON line: what the seal fingerprints."""
    return responsibility_text_of([[r.get(a) for a in L.RESPONSIBILITY_ATTRS] for r in responsibility_rows(form)])


def responsibility_text_of(rows: list[list[Any]]) -> str:
    """Filled responsibility rows (the form's column order) as the one canonical text sealed."""
    text = [[canonical(v) for v in row] for row in rows]
    return json.dumps(text, ensure_ascii=False) if text else ""


def read_form_seals(form: Book) -> tuple[list[Seal], list[Problem]]:
    """The form's copy of its seals; a version-1 form has none."""
    if not form.has_name(L.META_SEAL):
        return [], []
    text = form.read_names([L.META_SEAL])[L.META_SEAL]
    try:
        return load_seals(text), []
    except ValueError as exc:
        where = f"{form.label} {form.locate_name(L.META_SEAL)}"
        return [], [problem("E-SEAL-UNREADABLE", where=where, name=L.META_SEAL, detail=exc)]


def has_table(book: Book, table: str) -> bool:
    try:
        read_tail(book, table, 0)  # a file register answers from the table's end alone
    except KeyError:
        return False
    return True


def has_signatures(register: Book) -> bool:
    return has_table(register, L.SIGNATURES_TABLE)


RECENT_SEALS = 64  # the latest seals whose key ids every register write checks (see register_refusal)


def register_refusal(register: Book, key: bytes) -> Problem | None:
    """Why no action may write ``register``: it lacks its 签章 table (built before seals: run
    upgrade), or it is signed with another office's key (issue 6). None when it may."""
    if not has_signatures(register):
        return old_register_problem(register)
    # the latest seals, the journal's head among them, carry the key of whoever wrote last: another
    # office's register shows there. Every seal is checked by verify (a 10k register has ~55,000).
    return wrong_key(register, key, read_tail(register, L.SIGNATURES_TABLE, RECENT_SEALS)[0])


def old_register_problem(register: Book) -> Problem:
    return problem(
        "E-REGISTER-OLD",
        where=register.label,
        sheet=L.SIGNATURES_SHEET,
        table=L.SIGNATURES_TABLE,
        register=register.label,
    )


def signature_rows(table: TableData) -> list[tuple[int, Seal | None]]:
    """Register rows of 签章 as seals (None for a row that cannot be read)."""
    out: list[tuple[int, Seal | None]] = []
    for i, row in enumerate(table.rows):
        rec = dict(zip(table.headers, row, strict=False))
        case_h, scope_h, at_h, by_h, fields_h, key_h, mac_h = L.SIGNATURES_HEADERS
        try:
            fields = json.loads(to_text(rec.get(fields_h)) or "{}")
            if not isinstance(fields, dict):
                raise ValueError
            seal = Seal(
                scope=to_text(rec.get(scope_h)),
                case_no=to_text(rec.get(case_h)),
                at=canonical(rec.get(at_h)),
                by=to_text(rec.get(by_h)),
                fields={str(k): str(v) for k, v in fields.items()},
                key_id=to_text(rec.get(key_h)),
                mac=to_text(rec.get(mac_h)),
            )
            out.append((i, seal))
        except ValueError:
            out.append((i, None))
    return out


def seal_row(seal: Seal, at: datetime) -> list[Any]:
    """A 签章 row; the time is written as a date-time (its canonical text is what was signed)."""
    return [
        seal.case_no,
        seal.scope,
        at,
        seal.by,
        json.dumps(dict(sorted(seal.fields.items())), ensure_ascii=False, separators=(",", ":")),
        seal.key_id,
        seal.mac,
    ]


def seals_by_case(table: TableData) -> dict[str, list[tuple[int, Seal]]]:
    out: dict[str, list[tuple[int, Seal]]] = defaultdict(list)
    for i, seal in signature_rows(table):
        if seal is not None and seal.scope != JOURNAL_HEAD_SCOPE:
            out[seal.case_no].append((i, seal))
    return out


def seals_of_case(table: TableData, case_no: str) -> list[tuple[int, Seal]]:
    """``seals_by_case(table).get(case_no, [])``, parsing only that case's rows (a check of one
    form must not parse the 55,000 seals of a 10,000-case register)."""
    case_i = table.headers.index(L.SIGNATURES_HEADERS[0])

    def same(v: Any) -> bool:  # to_text(v) == case_no, cheaply for the text nearly every cell holds
        return v == case_no or (v.strip() == case_no if type(v) is str else to_text(v) == case_no)

    picked = [(i, r) for i, r in enumerate(table.rows) if same(r[case_i])]
    parsed = signature_rows(TableData(table.headers, [r for _, r in picked]))
    return [(picked[k][0], s) for k, (_, s) in enumerate(parsed) if s is not None and s.scope != JOURNAL_HEAD_SCOPE]


def case_seal_rows(register: Book, case_no: str) -> list[tuple[int, Seal]]:
    """:func:`seals_of_case` of the register's 签章, found by the case number alone (the register
    file engine reads those rows and no others)."""
    found, indexes = find_rows(register, L.SIGNATURES_TABLE, L.SIGNATURES_HEADERS[0], case_no)
    return [(indexes[k], seal) for k, seal in seals_of_case(found, case_no)]


def foreign_key_ids(table: TableData, key: bytes) -> set[str]:
    """Key ids in 签章 other than this office's: read from the 密钥编号 column alone (every register
    write asks, and a register of 10,000 cases holds some 55,000 seals)."""
    mine = key_id(key)
    col = table.headers.index(L.SIGNATURES_HEADERS[5])
    return {k for k in (to_text(r[col]) for r in table.rows) if k and k != mine}


def journal_head_row(table: TableData) -> tuple[int, Seal | None] | None:
    """The 签章 row holding the journal's signed head (the last such row), if any."""
    heads = [(i, s) for i, s in signature_rows(table) if s is not None and s.scope == JOURNAL_HEAD_SCOPE]
    return heads[-1] if heads else None


def journal_and_seals(
    register: Book, entries: list[list[Any]], *, key: bytes, now: datetime, user: str, seals: list[Seal] | None = None
) -> dict[str, TableChange]:
    """The journal with ``entries`` appended (keyed chain) and, on a register with 签章, the new
    ``seals`` added and the journal's signed head replaced — every register write goes through here."""
    last, count = read_tail(register, L.JOURNAL_TABLE, 1)
    added = journal_rows(last, entries, key=key)[len(last.rows) :]  # chained on from the last entry
    out: dict[str, TableChange] = {L.JOURNAL_TABLE: TableTail(count, added)}
    if has_signatures(register):
        table, total = read_tail(register, L.SIGNATURES_TABLE, 1)
        scope_i = table.headers.index(L.SIGNATURES_HEADERS[1])
        head_last = bool(table.rows) and to_text(table.rows[-1][scope_i]) == JOURNAL_HEAD_SCOPE
        rows = [seal_row(s, now) for s in seals or []]
        count += len(added)
        head = journal_head_of(key, count, added[-1][-1] if added else _last_hash(last), at=now, by=user)
        rows.append(seal_row(head, now))
        out[L.SIGNATURES_TABLE] = TableTail(total - 1 if head_last else total, rows)  # the old head goes
    return out


def _last_hash(journal: TableData) -> Any:
    return journal.rows[-1][-1] if journal.rows else ""


def check_signature_macs(register: Book, key: bytes, table: TableData) -> list[Problem]:
    """Each 签章 row must carry a valid HMAC under the office's key."""
    problems: list[Problem] = []
    mac_h = L.SIGNATURES_HEADERS[-1]
    for i, seal in signature_rows(table):
        if seal is None or not check_seal_mac(key, seal):
            case = seal.case_no if seal else "?"
            where = register.locate_table_cell(L.SIGNATURES_TABLE, i, mac_h)
            problems.append(problem("E-SIGNATURE-BROKEN", where=where, row=i + 1, case_no=case))
    return problems


def wrong_key(register: Book, key: bytes, table: TableData) -> Problem | None:
    found = foreign_key_ids(table, key)
    if not found:
        return None
    return wrong_key_problem("、".join(sorted(found)), key_id(key), where=register.label)


def located(form: Book, problems: list[Problem], names: dict[str, str]) -> list[Problem]:
    """Point seal problems at the form's cells (``names``: attr → defined name)."""
    by_attr = {a: n for n, a in names.items()}
    out = []
    for p in problems:
        name = by_attr.get(p.field or "", p.field)
        if name and form.has_name(name):
            out.append(p.at(f"{form.label} {form.locate_name(name)}"))
        else:
            out.append(p.at(form.label))
    return out


def check_form_fields(form: Book, values: dict[str, Any], seals: list[Seal], *, source: str) -> list[Problem]:
    """Each sealed field whose current value is not the sealed one, pointing at its cell."""
    case_no = to_text(values.get("CaseNo"))
    problems: list[Problem] = []
    for seal in seals:
        if seal.case_no != case_no:
            problems.append(problem("E-CASENO-CHANGED", field="CaseNo", sealed=seal.case_no, shown=case_no or "空白"))
            break
    names = {name: name for name in values}
    found = check_fields(values, sealed_digests(seals), labels=L.SEAL_LABELS, attrs=names, source=source)
    return located(form, problems + found, names)


def check_form_keyless(form: Book, values: dict[str, Any]) -> tuple[list[Problem], int]:
    """What a department can check without the key: the form against its own copy of the seals.
    Returns the problems and the number of seals the form carries."""
    seals, problems = read_form_seals(form)
    case_no = to_text(values.get("CaseNo"))
    if problems:
        return problems, 0
    if not seals:
        if case_no:
            version = to_text(form.read_names([L.META_VERSION])[L.META_VERSION])
            if version.isdigit() and int(version) >= 2:  # forms since version 2 carry their seals
                where = f"{form.label} {form.locate_name(L.META_SEAL)}"
                return [problem("E-SEAL-MISSING", where=where, case_no=case_no, name=L.META_SEAL)], 0
            return [unverifiable_warning(case_no).at(form.label)], 0
        return [], 0
    return check_form_fields(form, values, seals, source="签章"), len(seals)


def check_form_with_register(form: Book, values: dict[str, Any], register: Book, key: bytes) -> list[Problem]:
    """The GM office's check of a form: the register's seals (verified with the key) are the truth,
    and so are the register's deadlines. Problems name every altered field."""
    case_no = to_text(values.get("CaseNo"))
    bad_key = wrong_key(register, key, read_tail(register, L.SIGNATURES_TABLE, RECENT_SEALS)[0])  # as register_refusal
    if bad_key:
        return [bad_key]
    problems: list[Problem] = []
    rows = case_seal_rows(register, case_no)
    good: list[Seal] = []
    mac_h = L.SIGNATURES_HEADERS[-1]
    for i, seal in rows:
        if check_seal_mac(key, seal):
            good.append(seal)
        else:
            where = register.locate_table_cell(L.SIGNATURES_TABLE, i, mac_h)
            problems.append(problem("E-SIGNATURE-BROKEN", where=where, row=i + 1, case_no=case_no))
    own, own_problems = read_form_seals(form)
    problems += own_problems
    moved = next((s.case_no for s in own if s.case_no != case_no), None)
    if moved is not None:
        where = f"{form.label} {form.locate_name('CaseNo')}"
        problems.append(problem("E-CASENO-CHANGED", where=where, sealed=moved, shown=case_no or "空白"))
    if not good:
        if own:
            where = f"{form.label} {form.locate_name('CaseNo')}"
            problems.append(problem("E-SEAL-FOREIGN", where=where, shown=case_no or "空白"))
        elif case_no:
            problems.append(unverifiable_warning(case_no).at(register.label))
        return problems + _register_timing(form, values, register, case_no)
    problems += check_form_fields(form, values, good, source="登记表签章")
    macs = {s.mac for s in good}
    if any(s.mac not in macs for s in own):
        where = f"{form.label} {form.locate_name(L.META_SEAL)}"
        problems.append(problem("E-SEAL-COPY-MISMATCH", where=where, case_no=case_no))
    return problems + _register_timing(form, values, register, case_no)


def _register_timing(form: Book, values: dict[str, Any], register: Book, case_no: str) -> list[Problem]:
    """The register's deadlines and stamps are the truth: a form's copy that differs is refused."""
    found = find_case(register, case_no)
    if found is None:
        return []
    rec = record_at(found[0], 0)
    problems: list[Problem] = []
    for attr in TIMING_ATTRS:
        truth = rec.get(attr)
        name = REGISTER_SEALED[attr]
        if is_blank(truth) or canonical(truth) == canonical(values.get(name)):
            continue
        label = L.SEAL_LABELS.get(name, name)
        header = L.COLUMN_BY_ATTR[attr].header
        shown = canonical(values.get(name)) or "空白"
        where = f"{form.label} {form.locate_name(name)}"
        problems.append(
            problem(
                "E-REGISTER-MISMATCH",
                where=where,
                label=label,
                name=name,
                shown=shown,
                header=header,
                truth=canonical(truth),
            )
        )
    return problems


def check_deadlines(form: Book, routing: Routing, rules: Rules) -> list[Problem]:
    """Deadlines recomputed from the stamps and the case's settings snapshot must equal the form's:
    a deadline moved by hand shows even when its stage was completed without the register."""
    problems: list[Problem] = []
    expected: dict[str, datetime | None] = {}
    if routing.accepted_at is not None:
        expected["CaseDueAt"] = compute_case_due(
            routing.accepted_at, routing.market, settings=rules.settings, calendar=rules.calendar
        )
    for rec in routing.stages:
        if rec.skipped or rec.start is None or rec.due is None or rec.stage is Stage.APPROVAL:
            continue
        expected[L.stage_field(rec.stage, "DueAt").name] = compute_stage_due(
            rec.stage,
            rec.start,
            routing.market,
            settings=rules.settings,
            calendar=rules.calendar,
            case_due=routing.case_due,
        )
    actual = {"CaseDueAt": routing.case_due} | {
        L.stage_field(r.stage, "DueAt").name: r.due for r in routing.stages if not r.skipped
    }
    for name, due in expected.items():
        if due is not None and canonical(due) != canonical(actual.get(name)):
            label = L.SEAL_LABELS.get(name, name)
            where = f"{form.label} {form.locate_name(name)}"
            shown = canonical(actual.get(name)) or "空白"
            problems.append(problem("E-DEADLINE-CHANGED", where=where, label=label, name=name, due=due, shown=shown))
    return problems


def acceptance_seal(key: bytes, *, values: dict[str, Any], case_no: str, at: datetime, by: str) -> Seal:
    """受理 seals the case number, the intake, the acceptance stamps, every deadline it computed
    and the settings snapshot (``values``: the form's values after acceptance, by defined name)."""
    names = [*L.SEALED_AT_ACCEPTANCE]
    for stage in (Stage.INTAKE, Stage.QUALITY):
        names += [f.name for f in L.stage_fields(stage) if not is_blank(values.get(f.name))]
    return compute_seal(
        key, scope=ACCEPT_SCOPE, case_no=case_no, at=at, by=by, values={n: values.get(n) for n in names}
    )


def completion_seal(
    key: bytes, *, stage: Stage, values: dict[str, Any], routing: Routing, sealed: list[Seal], at: datetime, by: str
) -> Seal:
    """A finished stage seals its section, its stamps and the next stage's start and deadline;
    stages finished earlier without the register are sealed now too. Only fields whose value is not
    already sealed as it is go into the seal (later seals override earlier ones)."""
    names = ["CaseNo"]
    for rec in routing.stages:
        if rec.stage is Stage.INTAKE:
            continue
        if rec.done is not None or rec.skipped:
            names += [f.name for f in L.section_input_fields(rec.stage) if f.name in values]
            names += [f.name for f in L.stage_fields(rec.stage)]
            if rec.stage is Stage.CONSOLIDATION and L.RESPONSIBILITY_TABLE in values:
                names.append(L.RESPONSIBILITY_TABLE)
        elif rec.start is not None:
            names += [L.stage_field(rec.stage, "StartAt").name, L.stage_field(rec.stage, "DueAt").name]
    current = sealed_digests(sealed)
    chosen = {n: values.get(n) for n in names if current.get(n) != field_digest(n, values.get(n))}
    return compute_seal(key, scope=stage.zh, case_no=to_text(values.get("CaseNo")), at=at, by=by, values=chosen)


def case_seals(register: Book, case_no: str) -> list[Seal]:
    return [s for _, s in case_seal_rows(register, case_no)]


def seal_notice(count: int) -> str:
    return (
        f"本表带 {count} 个签章，字段摘要已核对；签章本身须由总经理室以密钥核验（complaint-kit verify）"
        f" — {count} seal(s) on the form: fingerprints checked; the signatures themselves need the GM office's key"
    )
