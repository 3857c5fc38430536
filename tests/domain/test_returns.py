"""Returns and allowances (R1–R6): the slip, the reconciliation, the proof, the receivables."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaint_kit.domain.decision import Handling
from complaint_kit.domain.returns import (
    DEFAULT_OVER_ACCEPTANCE_RATIO,
    PROOFS,
    Booking,
    ComplaintPart,
    Proof,
    Receivable,
    SlipKind,
    check_proof,
    compute_receivable_exclusions,
    compute_reconciliation,
    compute_slip,
)

D = Decimal


# -- R1, R2: the slip ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("handling", "kind", "copies"),
    [
        (Handling.RETURN, SlipKind.RETURN_SLIP, 4),
        (Handling.REWORK, SlipKind.RETURN_SLIP, 4),
        (Handling.EXCHANGE, SlipKind.RETURN_SLIP, 4),
        (Handling.ALLOWANCE, SlipKind.ALLOWANCE_CERTIFICATE, 2),
        (Handling.COMPENSATION, SlipKind.ALLOWANCE_CERTIFICATE, 2),
    ],
)
def test_r1_r2_the_handling_decides_the_slip_and_its_copies(handling, kind, copies):
    slip = compute_slip(handling)
    assert slip is not None and slip.kind is kind and len(slip.copies) == copies
    assert [c.number for c in slip.copies] == list(range(1, copies + 1))


def test_c16_an_invalid_complaint_needs_no_slip():
    assert compute_slip(Handling.INVALID) is None


def test_r2_copy_one_stays_with_sales_and_after_receipt_warehouse_accounting_sales_keep_two_to_four():
    slip = compute_slip(Handling.RETURN)
    assert slip is not None and slip.rule == "R2"
    assert [(c.sent_to, c.kept_by) for c in slip.copies] == [
        ("业务部", "业务部"),
        ("成品仓储", "成品仓储"),
        ("成品仓储", "会计科"),
        ("成品仓储", "业务部"),
    ]


def test_r1_the_allowance_certificate_goes_to_sales_and_accounting():
    slip = compute_slip(Handling.ALLOWANCE)
    assert slip is not None and slip.rule == "R1"
    assert [c.kept_by for c in slip.copies] == ["业务部", "会计科"]


# -- R3: the reconciliation ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("approved", "actual", "ratio", "booked"),
    [
        (100, 90, None, D(90)),  # less than approved: the actual quantity
        (100, 100, None, D(100)),
        (100, 105, None, D(105)),  # exactly at the company's 5 %
        (100, 106, None, None),  # one unit above: flagged, nothing booked
        (100, 110, D("0.1"), D(110)),  # the customer's own ratio, exactly at it
        (100, 111, D("0.1"), None),
        (100, 101, D(0), None),  # a customer who accepts no excess
        (30, 31, None, D(31)),  # 5 % of 30 is 1.5: 31 is within
        (30, 32, None, None),
        (0, 0, None, D(0)),
        (0, 1, None, None),
        (D("100.00"), D("105.01"), None, None),  # one hundredth above, for a measured quantity
    ],
    ids=[
        "short_books_actual",
        "equal_books",
        "at_the_default_limit_books",
        "one_above_the_default_limit_flagged",
        "at_the_customer_limit_books",
        "one_above_the_customer_limit_flagged",
        "customer_zero_ratio_flags_any_excess",
        "half_unit_limit_rounds_nothing",
        "above_a_half_unit_limit_flagged",
        "nothing_approved_nothing_back",
        "nothing_approved_something_back_flagged",
        "a_hundredth_above_flagged",
    ],
)
def test_r3_book_the_actual_quantity_within_the_over_acceptance_ratio(approved, actual, ratio, booked):
    result, found = compute_reconciliation(approved=approved, actual=actual, customer_ratio=ratio)
    assert result is not None and result.booked == booked
    assert result.booking is (Booking.BOOKED if booked is not None else Booking.FLAGGED)
    assert [(p.code, p.is_error) for p in found] == ([] if booked is not None else [("W-RETURN-OVER-LIMIT", False)])


def test_r3_the_flag_says_the_difference_and_the_limit():
    result, (found,) = compute_reconciliation(approved=100, actual=106)
    assert result is not None and result.difference == 6 and result.limit == 105
    assert "105" in found.zh and "5%" in found.zh and found.rule == "R3"


def test_r3_the_company_default_is_five_percent_and_an_argument():
    assert D("0.05") == DEFAULT_OVER_ACCEPTANCE_RATIO
    result, _ = compute_reconciliation(approved=100, actual=108, default_ratio=D("0.08"))
    assert result is not None and result.booked == 108


@pytest.mark.parametrize(("approved", "actual", "fields"), [(-1, 5, ["approved"]), (5, -1, ["actual"])])
def test_r3_a_negative_quantity_is_refused(approved, actual, fields):
    result, found = compute_reconciliation(approved=approved, actual=actual)
    assert result is None and [(p.code, p.field, p.rule) for p in found] == [("E-TOO-SMALL", f, "R3") for f in fields]


def test_r3_a_negative_ratio_is_a_bug():
    with pytest.raises(ValueError, match="never negative"):
        compute_reconciliation(approved=1, actual=1, customer_ratio=D("-0.01"))


@given(st.integers(0, 10**6), st.integers(0, 10**6), st.decimals(min_value=0, max_value=1, places=4))
def test_r3_booked_is_the_actual_quantity_or_nothing_and_within_the_limit(approved, actual, ratio):
    result, _ = compute_reconciliation(approved=approved, actual=actual, customer_ratio=ratio)
    assert result is not None
    assert result.booked in (None, D(actual))
    assert (result.booked is not None) == (D(actual) <= D(approved) * (1 + ratio))


# -- R6: the proof -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("proof", sorted(PROOFS[SlipKind.RETURN_SLIP]))
def test_r6_a_return_is_proved_by_one_of_three_documents(proof):
    assert check_proof(Handling.RETURN, proof) == []
    assert [p.code for p in check_proof(Handling.ALLOWANCE, proof)] == ["E-PROOF-KIND"]


@pytest.mark.parametrize("proof", sorted(PROOFS[SlipKind.ALLOWANCE_CERTIFICATE]))
def test_r6_an_allowance_is_proved_by_one_of_two_documents(proof):
    assert check_proof(Handling.COMPENSATION, proof) == []
    assert [p.code for p in check_proof(Handling.REWORK, proof)] == ["E-PROOF-KIND"]


def test_r6_the_five_proofs():
    assert {p.name for p in Proof} == {
        "INVOICE_STAMPED",
        "INVOICE_COPY_RETURN",
        "RETURN_CERTIFICATE",
        "INVOICE_COPY_ALLOWANCE",
        "ALLOWANCE_CERTIFICATE",
    }


def test_c16_an_invalid_complaint_takes_no_proof():
    (found,) = check_proof(Handling.INVALID, Proof.INVOICE_STAMPED)
    assert found.code == "E-PROOF-KIND" and "无" in found.zh


# -- R5: receivables -----------------------------------------------------------------------------------------
RECEIVABLES = (
    Receivable("李强", "华星光电", "PN-001", D("1000.00")),
    Receivable("李强", "华星光电", "PN-002", D("500.00")),
    Receivable("李强", "京东方", "PN-001", D("300.00")),
    Receivable("王丽", "京东方", "PN-009", D("200.50")),
    Receivable("王丽", "京东方", "PN-009", D("99.50")),
)


def test_r5_receivables_of_a_complained_part_are_excluded_per_salesperson():
    complaints = (
        ComplaintPart("261101", "华星光电", "PN-001", Handling.RETURN),
        ComplaintPart("261102", "京东方", "PN-009", None),  # still open: affected too
    )
    excluded, totals = compute_receivable_exclusions(RECEIVABLES, complaints)
    assert [(e.receivable.part_no, e.receivable.customer, e.case_no) for e in excluded] == [
        ("PN-001", "华星光电", "261101"),
        ("PN-009", "京东方", "261102"),
        ("PN-009", "京东方", "261102"),
    ]
    assert totals == {"李强": D("1000.00"), "王丽": D("300.00")}


def test_r5_c16_an_invalid_complaint_excludes_nothing():
    complaints = (ComplaintPart("261103", "华星光电", "PN-002", Handling.INVALID),)
    assert compute_receivable_exclusions(RECEIVABLES, complaints) == ([], {})


def test_r5_a_receivable_is_excluded_once_for_the_first_case():
    complaints = (
        ComplaintPart("261101", "华星光电", "PN-002", Handling.ALLOWANCE),
        ComplaintPart("261105", "华星光电", "PN-002", Handling.RETURN),
    )
    excluded, totals = compute_receivable_exclusions(RECEIVABLES, complaints)
    assert [e.case_no for e in excluded] == ["261101"] and totals == {"李强": D("500.00")}
