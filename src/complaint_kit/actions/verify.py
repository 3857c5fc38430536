"""``complaint-kit verify``: the GM office checks its register and the forms in a folder (issue 6).

With the office's key: the journal's keyed chain (each broken entry named by its cell), every
signature in 签章, every register row against its case's seals, and every form against the
register (sealed fields, the register's deadlines, deadlines recomputed from the rules snapshot).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from .. import layout as L
from ..domain.problems import Problem, problem
from ..domain.seal import (
    JOURNAL_HEAD_SCOPE,
    canonical,
    check_chain,
    check_journal_head,
    check_seal_mac,
    field_digest,
    key_id,
    sealed_digests,
    unverifiable_warning,
)
from ..domain.values import is_blank, to_text
from ..ports import Book
from .context import form_rules
from .outcome import Outcome
from .records import read_form, register_records, routing_from_record
from .sealing import (
    REGISTER_SEALED,
    check_deadlines,
    check_form_with_register,
    check_signature_macs,
    form_values,
    has_signatures,
    journal_head_row,
    old_register_problem,
    seals_by_case,
    wrong_key,
)


def verify_register(register: Book, *, key: bytes, forms: list[Book] | None = None) -> Outcome:
    """Every break found, one problem each; ``ok`` only when nothing is broken."""
    if not has_signatures(register):
        return Outcome([old_register_problem(register)])
    signatures = register.read_table(L.SIGNATURES_TABLE)
    bad_key = wrong_key(register, key, signatures)
    if bad_key:
        return Outcome([bad_key], data={"key_id": key_id(key)})
    problems: list[Problem] = []
    counts: Counter[str] = Counter()

    journal = register.read_table(L.JOURNAL_TABLE)
    breaks, legacy = check_chain(key, [list(r) for r in journal.rows])
    counts["journal"] = len(journal.rows)
    hash_h = L.JOURNAL_HEADERS[-1]
    for b in breaks:
        row = journal.rows[b.row]
        problems.append(
            problem(
                "E-JOURNAL-BROKEN",
                where=register.locate_table_cell(L.JOURNAL_TABLE, b.row, hash_h),
                row=b.row + 1,
                entry=f"{canonical(row[0])} {to_text(row[2])} {to_text(row[3])}",
            )
        )
    if legacy:
        problems.append(problem("W-JOURNAL-LEGACY", count=legacy))

    head = journal_head_row(signatures)
    if head is None and len(journal.rows) > legacy:
        problems.append(problem("E-JOURNAL-HEAD-MISSING", where=register.label, scope=JOURNAL_HEAD_SCOPE))
    elif (
        head is not None
        and head[1] is not None
        and check_seal_mac(key, head[1])
        and not check_journal_head(head[1], [list(r) for r in journal.rows])
    ):
        where = register.locate_table_cell(L.SIGNATURES_TABLE, head[0], L.SIGNATURES_HEADERS[-1])
        problems.append(problem("E-JOURNAL-TRUNCATED", where=where, count=len(journal.rows)))
    counts["signatures"] = len(signatures.rows) - (head is not None)
    problems += check_signature_macs(register, key, signatures)
    by_case = {case: [s for _, s in rows if check_seal_mac(key, s)] for case, rows in seals_by_case(signatures).items()}

    table = register.read_table(L.REGISTER_TABLE)
    records = register_records(table)
    action_i, case_i = L.JOURNAL_HEADERS.index("操作"), L.JOURNAL_HEADERS.index("客诉编号")
    journaled = {to_text(r[case_i]) for r in journal.rows if to_text(r[action_i]) == L.JOURNAL_ACCEPT}
    cases = set()
    for i, rec in enumerate(records):
        case_no = to_text(rec.get("case_no"))
        if not case_no:
            continue
        cases.add(case_no)
        counts["cases"] += 1
        digests = sealed_digests(by_case.get(case_no, []))
        if not digests and case_no not in journaled:  # no seal and never accepted: a row added by hand
            where = register.locate_table_cell(L.REGISTER_TABLE, i, L.REGISTER_HEADERS[0])
            problems.append(problem("E-CASE-NOT-JOURNALED", where=where, case_no=case_no))
            continue
        if not digests:  # accepted before seals existed (issue 6): it can be trusted only so far
            problems.append(unverifiable_warning(case_no))
            continue
        for attr, name in REGISTER_SEALED.items():  # a column the register lacks (built before it) is not checked
            if name in digests and attr in rec and field_digest(name, rec.get(attr)) != digests[name]:
                header = L.COLUMN_BY_ATTR[attr].header
                problems.append(
                    problem(
                        "E-REGISTER-TAMPERED",
                        where=register.locate_table_cell(L.REGISTER_TABLE, i, header),
                        case_no=case_no,
                        header=header,
                        name=name,
                        value=canonical(rec.get(attr)) or "—",
                    )
                )
    for case_no in sorted(set(by_case) - cases):
        problems.append(problem("E-CASE-MISSING", where=register.label, case_no=case_no))

    for form in forms or []:
        problems += _verify_form(form, register, key, cases, counts)

    broken = sum(1 for p in problems if p.is_error)
    summary = (
        f"核验完成：日志 {counts['journal']} 条（旧式 {legacy} 条），签章 {counts['signatures']} 个，"
        f"案件 {counts['cases']} 件，表单 {counts['forms']} 张；发现 {broken} 处问题"
        f" — verified: {counts['journal']} journal entries ({legacy} legacy), {counts['signatures']} signatures,"
        f" {counts['cases']} cases, {counts['forms']} forms; {broken} break(s)"
    )
    data: dict[str, Any] = {**counts, "legacy": legacy, "breaks": broken, "key_id": key_id(key)}
    return Outcome(problems, [summary], data)


def _verify_form(form: Book, register: Book, key: bytes, cases: set[str], counts: Counter[str]) -> list[Problem]:
    raw = read_form(form)
    case_no = to_text(raw.get("case_no"))
    values = form_values(form)
    if not case_no and (not form.has_name(L.META_SEAL) or is_blank(form.read_names([L.META_SEAL])[L.META_SEAL])):
        return []  # a draft: nothing sealed yet
    counts["forms"] += 1
    problems = check_form_with_register(form, values, register, key)
    if case_no and case_no not in cases and not any(p.code == "E-SEAL-FOREIGN" for p in problems):
        problems.append(problem("W-FORM-UNKNOWN", where=form.label, case_no=case_no))
    rules = form_rules(form)
    routing, found = routing_from_record(raw, L.FIELD_LABELS)
    if rules is not None and routing is not None and not found:
        problems += check_deadlines(form, routing, rules)
    return problems
