"""Returns (R3, R4, R6): the reconciliation's every field and the problems' exact cells and texts."""

from decimal import Decimal as D

from complaint_kit.domain.decision import Handling
from complaint_kit.domain.problems import problem
from complaint_kit.domain.returns import Booking, Proof, Reconciliation, check_proof, compute_reconciliation


def test_a_return_within_the_over_acceptance_limit_books_the_actual_quantity_r3():
    result, found = compute_reconciliation(approved=100, actual=105)
    assert found == []
    assert result == Reconciliation(D(100), D(105), D("0.05"), D("105.00"), Booking.BOOKED, D(105))


def test_a_return_above_the_limit_is_flagged_with_the_excess_on_the_actual_cell_r4():
    result, found = compute_reconciliation(approved=100, actual=112, customer_ratio=D("0.1"))
    assert result == Reconciliation(D(100), D(112), D("0.1"), D("110.0"), Booking.FLAGGED, None)
    assert found == [
        problem(
            "W-RETURN-OVER-LIMIT",
            field="actual",
            actual=D(112),
            approved=D(100),
            percent="10",
            limit=D("110.0"),
            excess=D("2.0"),
        )
    ]
    assert found[0].field == "actual"
    assert "112" in found[0].zh and "10" in found[0].zh and "2.0" in found[0].zh


def test_a_negative_quantity_is_refused_with_its_label_and_minimum_0_r3():
    result, found = compute_reconciliation(approved=-1, actual=-2)
    assert result is None
    assert found == [
        problem("E-TOO-SMALL", field="approved", rule="R3", label="核定退货量", attr="approved", minimum=0),
        problem("E-TOO-SMALL", field="actual", rule="R3", label="实退量", attr="actual", minimum=0),
    ]
    assert "核定退货量" in found[0].zh and "实退量" in found[1].zh
    assert [p.field for p in found] == ["approved", "actual"]


def test_a_return_proved_by_an_allowance_certificate_names_the_allowed_proofs_r6():
    found = check_proof(Handling.RETURN, Proof.ALLOWANCE_CERTIFICATE)
    allowed = "、".join(sorted({Proof.INVOICE_STAMPED, Proof.INVOICE_COPY_RETURN, Proof.RETURN_CERTIFICATE}))
    assert found == [problem("E-PROOF-KIND", field="proof", proof="销货折让证明单", handling="退货", allowed=allowed)]
    assert found[0].field == "proof"
    assert "销货折让证明单" in found[0].zh and "退货" in found[0].zh


def test_an_invalid_complaint_accepts_no_proof_at_all_r6():
    found = check_proof(Handling.INVALID, Proof.INVOICE_STAMPED)
    assert found == [problem("E-PROOF-KIND", field="proof", proof="原发票盖章", handling="不成立", allowed="无")]
