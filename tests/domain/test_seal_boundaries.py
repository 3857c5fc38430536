"""Seals, the journal chain and its head (issue 6, C6 sealed sections): every form of a value, every break."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from complaint_kit.domain.problems import Problem, Severity
from complaint_kit.domain.seal import (
    JOURNAL_HEAD_SCOPE,
    ChainBreak,
    Seal,
    canonical,
    chain_mac,
    check_chain,
    check_fields,
    check_journal_head,
    check_seal_mac,
    compute_seal,
    dump_seals,
    field_digest,
    journal_head,
    key_id,
    legacy_chain_hash,
    load_seals,
    parse_key,
    sealed_digests,
    unverifiable_warning,
    wrong_key_problem,
)

KEY = bytes(range(32))
AT = datetime(2026, 11, 23, 11, 30)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "TRUE"),
        (False, "FALSE"),
        (datetime(2026, 11, 1), "2026-11-01"),
        (datetime(2026, 11, 1, 0, 0, 1), "2026-11-01T00:00:01"),
        (datetime(2026, 11, 1, 0, 1), "2026-11-01T00:01:00"),
        (datetime(2026, 11, 1, 1, 0), "2026-11-01T01:00:00"),
        (datetime(2026, 11, 3, 9, 29, 59, 500_000), "2026-11-03T09:30:00"),
        (datetime(2026, 11, 3, 9, 29, 59, 499_999), "2026-11-03T09:29:59"),
        (datetime(2026, 11, 3, 9, 30, tzinfo=UTC), "2026-11-03T09:30:00"),
        (datetime(2026, 11, 2, 23, 59, 59, 600_000), "2026-11-03"),
        (date(2026, 11, 1), "2026-11-01"),
        (1000, "1000"),
        (1000.0, "1000"),
        (0.5, "0.5"),
        (Decimal("1.50"), "1.5"),
        (Decimal("1E+3"), "1000"),
        (Decimal("0.0001"), "0.0001"),
        ("  文本 ", "  文本 "),
    ],
)
def test_c6_one_canonical_text_per_sealed_cell_value(value, text):
    assert canonical(value) == text


def test_c6_a_field_digest_is_16_hex_of_the_name_and_the_value():
    assert len(field_digest("Customer", "华星")) == 16
    assert field_digest("Customer", "华星") == field_digest("Customer", "华星")
    assert field_digest("Customer", "华星") != field_digest("Customer", "华")


def test_c6_a_key_is_exactly_64_hex_characters():
    assert parse_key("  " + KEY.hex().upper() + "\n") == KEY
    with pytest.raises(ValueError, match="64 hex characters, found 63"):
        parse_key(KEY.hex()[:63])
    with pytest.raises(ValueError, match="found 65"):
        parse_key(KEY.hex() + "0")
    with pytest.raises(ValueError):
        parse_key("z" * 64)


def test_c6_a_key_id_is_the_first_12_hex_of_its_sha256():
    assert key_id(KEY) == "630dcd2966c4"
    assert len(key_id(bytes(32))) == 12 and key_id(bytes(32)) != key_id(KEY)


def test_c6_a_seal_covers_scope_case_time_person_fields_and_key_in_canonical_json():
    seal = compute_seal(KEY, scope="受理", case_no="261101", at=AT, by="王静", values={"B": 2, "A": "甲"})
    body = json.loads(seal.body())
    assert body == {
        "scope": "受理",
        "case_no": "261101",
        "at": "2026-11-23T11:30:00",
        "by": "王静",
        "fields": {"A": field_digest("A", "甲"), "B": field_digest("B", 2)},
        "key_id": key_id(KEY),
    }
    assert "受理" in seal.body()  # not \\u escaped
    assert seal.body().index('"A"') < seal.body().index('"B"')
    assert seal.to_json() == {**body, "mac": seal.mac}
    assert check_seal_mac(KEY, seal)


def test_c6_a_seal_read_back_from_json_keeps_every_part_and_missing_parts_are_blank():
    seal = compute_seal(KEY, scope="品管分析", case_no="261101", at=AT, by="张敏", values={"QualityCause": "电镀"})
    assert Seal.from_json(seal.to_json()) == seal
    assert Seal.from_json({}) == Seal("", "", "", "", {}, "", "")
    assert Seal.from_json({"fields": None}).fields == {}
    assert Seal.from_json({"fields": {"A": 1}, "case_no": 261101}) == Seal("", "261101", "", "", {"A": "1"}, "", "")
    with pytest.raises(ValueError, match="fields must be an object"):
        Seal.from_json({"fields": ["A"]})


def test_c6_the_forms_copy_of_its_seals_is_a_json_list_in_plain_chinese():
    seals = [compute_seal(KEY, scope="受理", case_no="1", at=AT, by="王静", values={})]
    text = dump_seals(seals)
    assert text.startswith("[{") and "王静" in text and ", " not in text
    assert load_seals(text) == seals


@pytest.mark.parametrize("text", [None, "", "   "])
def test_c6_a_form_without_seals_has_none(text):
    assert load_seals(text) == []


@pytest.mark.parametrize(
    ("text", "message"), [("{not json", "not JSON"), ('{"a": 1}', "not a list"), ("[1]", "not a list")]
)
def test_c6_a_damaged_copy_of_the_seals_is_an_error_saying_why(text, message):
    with pytest.raises(ValueError, match=message):
        load_seals(text)


def test_c6_an_empty_list_of_seals_seals_nothing():
    assert load_seals("[]") == [] and sealed_digests([]) == {}


def test_c6_a_changed_field_is_named_with_its_label_its_cell_and_its_value_now():
    digests = {"Customer": field_digest("Customer", "华星"), "ShipQty": field_digest("ShipQty", 1000)}
    problems = check_fields(
        {"Customer": "别家", "ShipQty": 1000}, digests, labels={"Customer": "客户名称"}, attrs={"Customer": "customer"}
    )
    [p] = problems
    assert (p.code, p.field, p.is_error) == ("E-TAMPERED", "customer", True)
    assert "客户名称" in p.zh and "别家" in p.zh and "签章" in p.zh
    assert "Customer" in p.en and "别家" in p.en


def test_c6_a_changed_field_without_label_or_cell_is_named_by_its_defined_name_and_source():
    [p] = check_fields({"ShipQty": 5}, {"ShipQty": field_digest("ShipQty", 1000)}, labels={}, source="登记表")
    assert p.field is None and "ShipQty" in p.zh and "登记表" in p.zh and "5" in p.zh


def test_c6_a_long_changed_value_is_quoted_cut_at_40_characters():
    [p] = check_fields({"Note": "长" * 41}, {"Note": field_digest("Note", "x")}, labels={})
    assert "长" * 40 + "…" in p.zh and "长" * 41 not in p.zh
    [p] = check_fields({"Note": "长" * 40}, {"Note": field_digest("Note", "x")}, labels={})
    assert "长" * 40 in p.zh and "…" not in p.zh


def test_c6_a_sealed_field_that_is_not_on_the_form_is_not_checked():
    assert check_fields({}, {"Gone": field_digest("Gone", 1)}, labels={}) == []


def test_c6_the_legacy_chain_is_16_hex_with_blank_for_none():
    h = legacy_chain_hash("", ["a", None, 1])
    assert len(h) == 16
    assert h == legacy_chain_hash("", ["a", "", 1]) != legacy_chain_hash("", ["a", "x", 1])
    assert legacy_chain_hash("p", ["a"]) != legacy_chain_hash("", ["a"])


def test_c6_the_keyed_chain_depends_on_the_previous_hash_and_each_field():
    assert chain_mac(KEY, "p", ["a"]) != chain_mac(KEY, "", ["a"])
    assert chain_mac(KEY, "", ["a", "b"]) != chain_mac(KEY, "", ["ab"])
    assert chain_mac(KEY, "", [datetime(2026, 11, 1)]) == chain_mac(KEY, "", [date(2026, 11, 1)])


def _journal(n, legacy=0):
    rows, previous = [], ""
    for i in range(n):
        fields = [datetime(2026, 11, 1, 9, i), "王静", f"note {i}"]
        h = legacy_chain_hash(previous, fields) if i < legacy else chain_mac(KEY, previous, fields)
        rows.append([*fields, h])
        previous = h
    return rows


def test_c6_a_break_reports_the_hash_expected_there():
    rows = _journal(3)
    rows[1][2] = "改过"
    [b] = check_chain(KEY, rows)[0]
    assert b == ChainBreak(1, False, chain_mac(KEY, rows[0][-1], rows[1][:-1]))


def test_c6_a_hash_stored_in_capitals_is_the_same_hash():
    rows = _journal(3)
    rows[2][-1] = rows[2][-1].upper()
    assert check_chain(KEY, rows) == ([], 0)


def test_c6_a_legacy_length_hash_after_a_keyed_line_is_a_break_not_a_legacy_line():
    rows = _journal(3)
    rows.append(
        [datetime(2026, 11, 1, 10), "x", "y", legacy_chain_hash(rows[-1][-1], [datetime(2026, 11, 1, 10), "x", "y"])]
    )
    breaks, legacy = check_chain(KEY, rows)
    assert legacy == 0 and [(b.row, b.legacy) for b in breaks] == [(3, True)]


def test_c6_an_empty_journal_has_no_breaks():
    assert check_chain(KEY, []) == ([], 0)


def test_c6_the_signed_head_notices_a_cut_off_or_an_added_line():
    rows = _journal(4)
    head = journal_head(KEY, rows, at=AT, by="王静")
    assert head.scope == JOURNAL_HEAD_SCOPE and head.case_no == "" and head.by == "王静" and check_seal_mac(KEY, head)
    assert set(head.fields) == {"count", "last"}
    assert check_journal_head(head, rows)
    assert not check_journal_head(head, rows[:3])
    assert not check_journal_head(head, [*rows, rows[-1]])
    changed_last = [*rows[:3], [*rows[3][:-1], rows[3][-1].upper() + " "]]
    assert not check_journal_head(head, changed_last)


def test_c6_the_head_of_an_empty_journal_is_zero_lines():
    head = journal_head(KEY, [], at=AT, by="王静")
    assert check_journal_head(head, []) and not check_journal_head(head, _journal(1))
    assert head.fields == {"count": field_digest("count", 0), "last": field_digest("last", "")}


def test_c6_a_register_signed_with_another_key_names_both_key_ids():
    p = wrong_key_problem("aaaaaaaaaaaa", "bbbbbbbbbbbb", where="签章")
    assert (p.code, p.where, p.is_error) == ("E-WRONG-KEY", "签章", True)
    assert "aaaaaaaaaaaa" in p.zh and "bbbbbbbbbbbb" in p.zh and "aaaaaaaaaaaa" in p.en and "bbbbbbbbbbbb" in p.en
    assert wrong_key_problem("a", "b").where is None


def test_c6_a_case_accepted_before_seals_is_a_warning_naming_it():
    p = unverifiable_warning("261101")
    assert (p.code, p.severity, p.is_error) == ("W-UNSEALED", Severity.WARNING, False)
    assert "261101" in p.zh and "261101" in p.en


# -- problems are data -------------------------------------------------------------------------------
def test_a_problem_points_at_a_cell_without_changing_anything_else():
    p = Problem("E-X", "中", "en", "customer", Severity.WARNING, "C4")
    q = p.at("表!B4")
    assert q == Problem("E-X", "中", "en", "customer", Severity.WARNING, "C4", "表!B4") and p.where is None


def test_a_problem_renders_severity_code_cell_texts_and_rule():
    p = Problem("E-X", "中文", "english", rule="C4", where="表!B4")
    assert p.render() == "错误 [E-X] 表!B4: 中文 — english (规则 rule C4)"
    assert Problem("W-X", "中", "en", severity=Severity.WARNING).render() == "警告 [W-X]: 中 — en"


def test_c6_fingerprints_and_chains_keep_their_exact_formula_so_older_registers_still_verify():
    assert field_digest("A", 1) == hashlib.sha256(b"A\x1f1").hexdigest()[:16]
    assert chain_mac(KEY, "p", ["a", "b"]) == hmac.new(KEY, b"p\x1ea\x1fb", hashlib.sha256).hexdigest()
    assert legacy_chain_hash("p", ["a", "b"]) == hashlib.sha256(b"p|a|b").hexdigest()[:16]


def test_c6_the_signed_body_of_a_seal_is_compact_json_with_sorted_keys():
    seal = compute_seal(KEY, scope="受理", case_no="261101", at=AT, by="王静", values={"B": 2, "A": "甲"})
    a, b = field_digest("A", "甲"), field_digest("B", 2)
    assert seal.body() == (
        '{"at":"2026-11-23T11:30:00","by":"王静","case_no":"261101",'
        f'"fields":{{"A":"{a}","B":"{b}"}},"key_id":"{key_id(KEY)}","scope":"受理"}}'
    )


def test_c6_a_decimal_fingerprint_never_uses_exponent_notation():
    assert canonical(Decimal("0.0000001")) == "0.0000001"
    assert canonical(Decimal("-2.50")) == "-2.5"


def test_c6_a_changed_field_after_a_field_missing_from_the_form_is_still_found():
    digests = {"Gone": field_digest("Gone", 1), "ShipQty": field_digest("ShipQty", 1000)}
    assert [p.code for p in check_fields({"ShipQty": 5}, digests, labels={})] == ["E-TAMPERED"]


def test_c6_a_changed_field_names_its_label_or_else_its_defined_name_and_says_when_it_is_blank_now():
    [p] = check_fields({"ShipQty": None}, {"ShipQty": field_digest("ShipQty", 1000)}, labels={})
    assert p.zh.startswith("“ShipQty”(ShipQty) 在签章后") and "None" not in p.zh
    assert p.zh.endswith("（现值 —）")
    [p] = check_fields({"ShipQty": 5}, {"ShipQty": field_digest("ShipQty", 1000)}, labels={"ShipQty": "出货数量"})
    assert p.zh.startswith("“出货数量”(ShipQty) 在签章后")


def test_c6_the_journal_head_is_sealed_at_its_time():
    head = journal_head(KEY, _journal(1), at=AT, by="王静")
    assert head.at == "2026-11-23T11:30:00" and head.key_id == key_id(KEY)


def test_c6_each_refusal_of_a_seal_copy_says_exactly_why():
    with pytest.raises(ValueError, match=r"^not a list of seals$"):
        load_seals("[1]")
    with pytest.raises(ValueError, match=r"^seal fields must be an object$"):
        Seal.from_json({"fields": [1]})
