"""Seals and the keyed journal chain (issue 6): pure functions, no files."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from complaint_kit.domain.seal import (
    Seal,
    canonical,
    chain_mac,
    check_chain,
    check_fields,
    check_seal_mac,
    compute_seal,
    dump_seals,
    field_digest,
    key_id,
    legacy_chain_hash,
    load_seals,
    parse_key,
    sealed_digests,
)

KEY = bytes(range(32))
OTHER = bytes(32)
AT = datetime(2026, 11, 23, 11, 30)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (1000, 1000.0),
        (Decimal("1000.00"), 1000),
        (datetime(2026, 11, 1), date(2026, 11, 1)),
        (datetime(2026, 11, 3, 9, 29, 59, 999_999), datetime(2026, 11, 3, 9, 30)),
        (None, ""),
        (Decimal("0.50"), 0.5),
    ],
)
def test_every_adapter_reading_of_one_value_gives_one_digest(a, b):
    assert canonical(a) == canonical(b)
    assert field_digest("ShipQty", a) == field_digest("ShipQty", b)


def test_a_digest_depends_on_the_field_name_and_the_exact_text():
    assert field_digest("OrderNo", "SO1") != field_digest("PartNo", "SO1")
    assert field_digest("OrderNo", "SO1") != field_digest("OrderNo", "SO1 ")


def test_a_seal_verifies_with_its_key_only():
    seal = compute_seal(KEY, scope="受理", case_no="261101", at=AT, by="王静", values={"CaseNo": "261101"})
    assert check_seal_mac(KEY, seal) and not check_seal_mac(OTHER, seal)
    assert seal.key_id == key_id(KEY) and len(seal.mac) == 64


@pytest.mark.parametrize("part", ["scope", "case_no", "at", "by", "key_id"])
def test_changing_any_part_of_a_seal_breaks_its_mac(part):
    seal = compute_seal(KEY, scope="受理", case_no="261101", at=AT, by="王静", values={"CaseNo": "261101"})
    forged = Seal(**{**{s: getattr(seal, s) for s in Seal.__slots__}, part: "x"})
    assert not check_seal_mac(KEY, forged)


def test_a_forged_field_digest_breaks_the_mac():
    seal = compute_seal(KEY, scope="受理", case_no="261101", at=AT, by="王静", values={"Customer": "华星"})
    forged = Seal(
        seal.scope,
        seal.case_no,
        seal.at,
        seal.by,
        {"Customer": field_digest("Customer", "别家")},
        seal.key_id,
        seal.mac,
    )
    assert not check_seal_mac(KEY, forged)


def test_seals_round_trip_through_the_forms_json_copy():
    seals = [
        compute_seal(KEY, scope="受理", case_no="261101", at=AT, by="王静", values={"CaseNo": "261101"}),
        compute_seal(KEY, scope="品管分析", case_no="261101", at=AT, by="张敏", values={"QualityCause": "电镀"}),
    ]
    again = load_seals(dump_seals(seals))
    assert again == seals and all(check_seal_mac(KEY, s) for s in again)
    with pytest.raises(ValueError):
        load_seals("{not json")


def test_later_seals_override_the_same_field():
    first = compute_seal(KEY, scope="受理", case_no="1", at=AT, by="a", values={"QualityDueAt": AT})
    later = compute_seal(
        KEY, scope="品管分析", case_no="1", at=AT, by="a", values={"QualityDueAt": datetime(2026, 12, 1)}
    )
    assert sealed_digests([first, later])["QualityDueAt"] == field_digest("QualityDueAt", datetime(2026, 12, 1))


def test_each_altered_field_is_one_problem_naming_it():
    seal = compute_seal(KEY, scope="受理", case_no="1", at=AT, by="a", values={"Customer": "华星", "ShipQty": 1000})
    problems = check_fields({"Customer": "别家", "ShipQty": 1000.0}, seal.fields, labels={"Customer": "客户名称"})
    assert [p.code for p in problems] == ["E-TAMPERED"]
    assert "客户名称" in problems[0].zh and "Customer" in problems[0].zh and "Customer" in problems[0].en


def test_the_keyed_chain_is_full_length_and_needs_the_key():
    assert len(chain_mac(KEY, "", [AT, "王静"])) == 64
    assert chain_mac(KEY, "", [AT, "王静"]) != chain_mac(OTHER, "", [AT, "王静"])


def _journal(n: int, *, legacy: int = 0) -> list[list]:
    rows: list[list] = []
    previous = ""
    for i in range(n):
        fields = [datetime(2026, 11, 1, 9, i), "王静", "受理", f"2611{i:02d}", f"note {i}"]
        h = legacy_chain_hash(previous, fields) if i < legacy else chain_mac(KEY, previous, fields)
        rows.append([*fields, h])
        previous = h
    return rows


def test_an_untouched_journal_has_no_breaks():
    assert check_chain(KEY, _journal(5)) == ([], 0)


@pytest.mark.parametrize("row", range(5))
def test_each_altered_journal_line_is_a_break_at_that_line(row):
    rows = _journal(5)
    rows[row][4] = "改过"
    breaks, _ = check_chain(KEY, rows)
    assert [b.row for b in breaks] == [row]


def test_a_deleted_journal_line_breaks_the_next():
    rows = _journal(5)
    del rows[2]
    assert [b.row for b in check_chain(KEY, rows)[0]] == [2]


def test_legacy_lines_are_counted_and_the_keyed_chain_continues_after_them():
    rows = _journal(5, legacy=3)
    assert check_chain(KEY, rows) == ([], 3)
    rows[1][1] = "别人"
    breaks, _ = check_chain(KEY, rows)
    assert [(b.row, b.legacy) for b in breaks] == [(1, True)]


def test_a_key_file_holds_64_hex_characters():
    assert parse_key(KEY.hex() + "\n") == KEY
    with pytest.raises(ValueError):
        parse_key("abc")


def test_the_service_journal_names_the_cell_edited_whichever_adapter_read_the_row():  # S18
    from complaint_kit.domain.seal import cell_prints, changed_cells

    written = ["J2611001", datetime(2026, 11, 23, 9, 30), Decimal("300.00"), None, "已注销"]
    read_back = ["J2611001", datetime(2026, 11, 23, 9, 30), 300, None, "已注销"]  # as openpyxl reads it
    prints = cell_prints(written)
    assert len(prints.split(".")) == 5 and changed_cells(prints, read_back) == []
    assert changed_cells(prints, ["J2611001", datetime(2026, 11, 23, 9, 30), 30, None, "已注销"]) == [2]
    assert changed_cells(prints, [*read_back, "多一列"]) == [5]  # a column added: named
    assert changed_cells(prints, read_back[:4]) == [4]  # a cell gone
    assert changed_cells("", ["x"]) == [0]


def test_the_service_journal_chain_breaks_at_an_edited_entry():  # S18
    from complaint_kit.domain.seal import chain_hash

    first = chain_hash("", ["2026-11-23 17:00", "周主任", "叫修", "叫修登记簿", "J2611001", "ab.cd"])
    second = chain_hash(first, ["2026-11-23 17:05", "周主任", "派工", "叫修登记簿", "J2611001", "ab.ce"])
    assert len(first) == 16 and first != second
    assert chain_hash(first, ["2026-11-23 17:05", "周主任", "派工", "叫修登记簿", "J2611001", "ab.cf"]) != second
    assert chain_hash("0" * 16, ["2026-11-23 17:00", "周主任", "叫修", "叫修登记簿", "J2611001", "ab.cd"]) != first
