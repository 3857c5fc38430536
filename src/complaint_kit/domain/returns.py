"""Returns and allowances after the decision (成品退货帐务处理, rules R1–R6).

- R1/R2 :func:`compute_slip`: the paper a handling needs — 销货折让证明单 in two copies for an
  allowance or compensation, 成品退货单 in four for a return or rework. Our reading: an exchange
  (换货) brings the goods back too, so it takes the return slip; 不成立 needs none (C16).
- R3/R4 :func:`compute_reconciliation`: the quantity the warehouse actually received against the
  approved one. Booked as received when actual ≤ approved, or when the excess is at most
  approved × the over-acceptance ratio (超量允收比率: the customer's, else the company's 5 %);
  otherwise flagged for a decision and nothing booked (a warning: the receipt itself still stands,
  R4). The limit is exact: approved 100 at 5 % books 105 and flags 106.
- R6 :class:`Proof`: the proof a return or an allowance is booked on; :func:`check_proof` refuses
  the other kind's proof.
- R5 :func:`compute_receivable_exclusions`: receivables of a complained part number leave the
  salesperson's collection rate — matched by customer and part number; an invalid complaint
  excludes nothing (C16: collected on the normal terms).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .decision import Handling
from .problems import Problem, problem

DEFAULT_OVER_ACCEPTANCE_RATIO = Decimal("0.05")  # R3: the company's 超量允收比率 when the customer has none


class SlipKind(StrEnum):
    RETURN_SLIP = "成品退货单"  # R2
    ALLOWANCE_CERTIFICATE = "销货折让证明单"  # R1


@dataclass(frozen=True, slots=True)
class SlipCopy:
    """One copy (联) of a slip: its number, where it goes first, and who keeps it in the end."""

    number: int
    sent_to: str
    kept_by: str


@dataclass(frozen=True, slots=True)
class SlipSpec:
    kind: SlipKind
    copies: tuple[SlipCopy, ...]
    rule: str


SLIPS: dict[SlipKind, SlipSpec] = {
    # R2: copy 1 stays with Sales; 2–4 go to the warehouse; after receipt 2 warehouse, 3 Accounting, 4 Sales.
    SlipKind.RETURN_SLIP: SlipSpec(
        SlipKind.RETURN_SLIP,
        (
            SlipCopy(1, "业务部", "业务部"),
            SlipCopy(2, "成品仓储", "成品仓储"),
            SlipCopy(3, "成品仓储", "会计科"),
            SlipCopy(4, "成品仓储", "业务部"),
        ),
        "R2",
    ),
    # R1: one copy for Sales, one for Accounting.
    SlipKind.ALLOWANCE_CERTIFICATE: SlipSpec(
        SlipKind.ALLOWANCE_CERTIFICATE, (SlipCopy(1, "业务部", "业务部"), SlipCopy(2, "会计科", "会计科")), "R1"
    ),
}

SLIP_FOR_HANDLING: dict[Handling, SlipKind | None] = {
    Handling.RETURN: SlipKind.RETURN_SLIP,
    Handling.EXCHANGE: SlipKind.RETURN_SLIP,
    Handling.REWORK: SlipKind.RETURN_SLIP,
    Handling.ALLOWANCE: SlipKind.ALLOWANCE_CERTIFICATE,
    Handling.COMPENSATION: SlipKind.ALLOWANCE_CERTIFICATE,
    Handling.INVALID: None,
}


def compute_slip(handling: Handling) -> SlipSpec | None:
    """The slip the approved handling needs (R1, R2), or None (不成立)."""
    kind = SLIP_FOR_HANDLING[handling]
    return None if kind is None else SLIPS[kind]


class Proof(StrEnum):
    """R6: what a return or allowance is booked on, each stamped by the buyer (买受人盖统一发票章)."""

    INVOICE_STAMPED = "原发票盖章"  # return: the original invoice, stamped
    INVOICE_COPY_RETURN = "发票影本注明退货"  # return: invoice copy annotated with qty, unit price, amount
    RETURN_CERTIFICATE = "销货退回证明单"  # return: the return certificate, stamped
    INVOICE_COPY_ALLOWANCE = "发票影本注明折让"  # allowance: invoice copy annotated with the allowance
    ALLOWANCE_CERTIFICATE = "销货折让证明单"  # allowance: the allowance certificate, stamped


PROOFS: dict[SlipKind, frozenset[Proof]] = {
    SlipKind.RETURN_SLIP: frozenset({Proof.INVOICE_STAMPED, Proof.INVOICE_COPY_RETURN, Proof.RETURN_CERTIFICATE}),
    SlipKind.ALLOWANCE_CERTIFICATE: frozenset({Proof.INVOICE_COPY_ALLOWANCE, Proof.ALLOWANCE_CERTIFICATE}),
}


def check_proof(handling: Handling, proof: Proof) -> list[Problem]:
    """R6: the proof fits the handling's slip (a return is not proved by an allowance certificate)."""
    kind = SLIP_FOR_HANDLING[handling]
    allowed = PROOFS[kind] if kind else frozenset()
    if proof in allowed:
        return []
    return [
        problem(
            "E-PROOF-KIND",
            field="proof",
            proof=proof.value,
            handling=handling.value,
            allowed="、".join(sorted(allowed)) or "无",
        )
    ]


class Booking(StrEnum):
    BOOKED = "按实退量入账"
    FLAGGED = "差异待决"


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """R3: ``booked`` is the quantity to book (None when flagged); ``limit`` the most that books."""

    approved: Decimal
    actual: Decimal
    ratio: Decimal
    limit: Decimal
    booking: Booking
    booked: Decimal | None

    @property
    def difference(self) -> Decimal:
        return self.actual - self.approved


def compute_reconciliation(
    *,
    approved: int | Decimal,
    actual: int | Decimal,
    customer_ratio: Decimal | None = None,
    default_ratio: Decimal = DEFAULT_OVER_ACCEPTANCE_RATIO,
) -> tuple[Reconciliation | None, list[Problem]]:
    """Reconcile the warehouse's actual quantity with the approved one (R3, R4).

    >>> compute_reconciliation(approved=100, actual=105)[0].booked
    Decimal('105')
    """
    ratio = default_ratio if customer_ratio is None else customer_ratio
    if ratio < 0:
        raise ValueError(f"an over-acceptance ratio is never negative: {ratio}")
    found = [
        problem("E-TOO-SMALL", field=name, rule="R3", label=label, attr=name, minimum=0)
        for name, label, value in (("approved", "核定退货量", approved), ("actual", "实退量", actual))
        if value < 0
    ]
    if found:
        return None, found
    approved, actual = Decimal(approved), Decimal(actual)
    limit = approved + approved * ratio
    if actual <= limit:
        return Reconciliation(approved, actual, ratio, limit, Booking.BOOKED, actual), []
    flagged = Reconciliation(approved, actual, ratio, limit, Booking.FLAGGED, None)
    return flagged, [
        problem(
            "W-RETURN-OVER-LIMIT",
            field="actual",
            actual=actual,
            approved=approved,
            percent=f"{(ratio * 100).normalize():f}",
            limit=limit,
            excess=actual - limit,
        )
    ]


@dataclass(frozen=True, slots=True)
class Receivable:
    """A receivable row from Accounting: whose collection rate it counts in, and for what."""

    salesperson: str
    customer: str
    part_no: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class ComplaintPart:
    """A complaint's customer and part number (料号); ``handling`` None while undecided."""

    case_no: str
    customer: str
    part_no: str
    handling: Handling | None


@dataclass(frozen=True, slots=True)
class Exclusion:
    receivable: Receivable
    case_no: str


def compute_receivable_exclusions(
    receivables: Iterable[Receivable], complaints: Iterable[ComplaintPart]
) -> tuple[list[Exclusion], dict[str, Decimal]]:
    """R5: the receivables to leave out of each salesperson's collection rate, and the total per
    salesperson. A receivable is excluded once, for the first case naming its customer and part."""
    cases: dict[tuple[str, str], str] = {}
    for complaint in complaints:
        if complaint.handling is not Handling.INVALID:
            cases.setdefault((complaint.customer, complaint.part_no), complaint.case_no)
    excluded = [
        Exclusion(row, cases[(row.customer, row.part_no)])
        for row in receivables
        if (row.customer, row.part_no) in cases
    ]
    totals: dict[str, Decimal] = {}
    for item in excluded:
        person = item.receivable.salesperson
        totals[person] = totals.get(person, Decimal(0)) + item.receivable.amount
    return excluded, totals
