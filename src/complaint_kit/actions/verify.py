"""``complaint-kit verify``: the GM office checks its register and the forms in a folder (issue 6).

With the office's key: the journal's keyed chain (each broken entry named by its cell), every
signature in 签章, every register row against its case's seals, and every form against the
register (sealed fields, the register's deadlines, deadlines recomputed from the rules snapshot).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from .. import layout as L
from ..domain.problems import Problem, warning
from ..domain.seal import (
    JOURNAL_HEAD_SCOPE,
    canonical,
    check_chain,
    check_journal_head,
    check_seal_mac,
    field_digest,
    key_id,
    sealed_digests,
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
        kind = "旧式哈希" if b.legacy else "签章链"
        problems.append(
            Problem(
                "E-JOURNAL-BROKEN",
                f"日志第 {b.row + 1} 行（{canonical(row[0])} {to_text(row[2])} {to_text(row[3])}）{kind}不符："
                "该行或其前一行被改动、插入或删除",
                f"journal entry {b.row + 1} does not match its chain: it or the entry before it was altered,"
                " inserted or deleted",
                where=register.locate_table_cell(L.JOURNAL_TABLE, b.row, hash_h),
            )
        )
    if legacy:
        problems.append(
            warning(
                "W-JOURNAL-LEGACY",
                f"日志中有 {legacy} 行为旧式未加密钥的哈希（升级前写入），任何人都能重算；其后各行以密钥续链",
                f"{legacy} journal entries use the old unkeyed hash (written before the upgrade); anyone can"
                " recompute those, the keyed chain continues after them",
            )
        )

    head = journal_head_row(signatures)
    if head is None and len(journal.rows) > legacy:
        problems.append(
            Problem(
                "E-JOURNAL-HEAD-MISSING",
                f"签章表中没有日志链的签章（{JOURNAL_HEAD_SCOPE}）：该行被删除，无法确认日志是否被截短",
                "the signed head of the journal is missing from the signatures: its row was deleted, so a"
                " shortened journal cannot be ruled out",
                where=register.label,
            )
        )
    elif (
        head is not None
        and head[1] is not None
        and check_seal_mac(key, head[1])
        and not check_journal_head(head[1], [list(r) for r in journal.rows])
    ):
        problems.append(
            Problem(
                "E-JOURNAL-TRUNCATED",
                f"日志与其签章不符：日志现有 {len(journal.rows)} 条，其末尾的条目被删除、替换或整表被换成旧版本",
                f"the journal ({len(journal.rows)} entries) does not match its signed head: entries at its end"
                " were deleted or replaced, or an older copy was put back",
                where=register.locate_table_cell(L.SIGNATURES_TABLE, head[0], L.SIGNATURES_HEADERS[-1]),
            )
        )
    counts["signatures"] = len(signatures.rows) - (head is not None)
    problems += check_signature_macs(register, key, signatures)
    by_case = {case: [s for _, s in rows if check_seal_mac(key, s)] for case, rows in seals_by_case(signatures).items()}

    table = register.read_table(L.REGISTER_TABLE)
    records = register_records(table)
    cases = set()
    for i, rec in enumerate(records):
        case_no = to_text(rec.get("case_no"))
        if not case_no:
            continue
        cases.add(case_no)
        counts["cases"] += 1
        digests = sealed_digests(by_case.get(case_no, []))
        if not digests:
            problems.append(
                warning(
                    "W-UNSEALED",
                    f"客诉 {case_no} 没有签章（升级前受理），无法核验",
                    f"case {case_no} has no seals (accepted before the upgrade); it cannot be verified",
                )
            )
            continue
        for attr, name in REGISTER_SEALED.items():
            if name in digests and field_digest(name, rec.get(attr)) != digests[name]:
                header = L.COLUMN_BY_ATTR[attr].header
                problems.append(
                    Problem(
                        "E-REGISTER-TAMPERED",
                        f"登记表客诉 {case_no} 的“{header}”与签章不符（现值 {canonical(rec.get(attr)) or '空白'}）",
                        f"register row of case {case_no}: {header} ({name}) differs from its seal",
                        where=register.locate_table_cell(L.REGISTER_TABLE, i, header),
                    )
                )
    for case_no in sorted(set(by_case) - cases):
        problems.append(
            Problem(
                "E-CASE-MISSING",
                f"签章表有客诉 {case_no} 的签章，登记表中却没有该案：登记行被删除",
                f"case {case_no} is signed but missing from the register: its row was deleted",
                where=register.label,
            )
        )

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
        problems.append(
            warning(
                "W-FORM-UNKNOWN",
                f"表单的客诉 {case_no} 不在本登记表中",
                f"the form's case {case_no} is not in this register",
            ).at(form.label)
        )
    rules = form_rules(form)
    routing, found = routing_from_record(raw, L.FIELD_LABELS)
    if rules is not None and routing is not None and not found:
        problems += check_deadlines(form, routing, rules)
    return problems
