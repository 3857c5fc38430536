"""What a complaint form must say before it moves on (rules C4, C6, C7).

``check_*`` functions return problems; ``compute_intake`` also returns the typed intake when
there are none. Labels for messages come from the layout module through the caller.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from .problems import Problem, problem
from .rules import REQUESTS_NEEDING_QTY, RESPONSIBLE_UNITS, CustomerRequest, Market, Stage, YesNo
from .settings import MAX_QUANTITY_DEFAULT
from .values import FieldReader, fold, is_blank, to_choice, to_text


@dataclass(frozen=True, slots=True)
class Intake:
    """Sales' part of the form (C4)."""

    customer: str
    market: Market
    sales_rep: str
    reported_at: datetime
    order_no: str
    part_no: str
    ship_date: date
    ship_qty: int
    defect_qty: int
    customer_request: CustomerRequest
    request_qty: int | None
    description: str

    def values(self) -> dict[str, Any]:
        """``{attr: value}`` as typed values (choices as their text): what the kit writes back to
        the form and into the register, never the raw text a clerk pasted (issue 8)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return {attr: v.value if isinstance(v, StrEnum) else v for attr, v in values.items()}


def compute_intake(
    raw: dict[str, Any], *, now: datetime, labels: dict[str, str], max_quantity: int = MAX_QUANTITY_DEFAULT
) -> tuple[Intake | None, list[Problem]]:
    """Validate Sales' intake (C4, C7: Sales checks order no., part no., quantity, ship date
    and the customer's request). ``客户加工中未确定`` is a valid request with no quantity.

    Every other text on the form is screened too (over-long text, control characters; issue 6),
    except the sections of finished stages: :func:`check_section` screens those, and validation
    runs it for each finished stage, so each field is reported once."""
    r = FieldReader(raw, labels)
    customer = r.text("customer", rule="C4")
    market = r.choice("market", Market, rule="C6.6")
    sales_rep = r.text("sales_rep", rule="C4")
    reported_at = r.instant("reported_at", rule="C6.1")
    order_no = r.code("order_no", rule="C4")
    part_no = r.code("part_no", rule="C4")
    ship_date = r.day("ship_date", rule="C4")
    ship_qty = r.integer("ship_qty", minimum=1, maximum=max_quantity, rule="C4")
    defect_qty = r.integer("defect_qty", minimum=1, maximum=max_quantity, rule="C4")
    request = r.choice("customer_request", CustomerRequest, rule="C4")
    request_qty = r.integer("request_qty", required=request in REQUESTS_NEEDING_QTY, maximum=max_quantity, rule="C4")
    description = r.text("description", rule="C4")
    r.screen_all(skip=finished_section_attrs(raw))

    if reported_at is not None and reported_at > now:
        r.problem("reported_at", "E-FUTURE", now=now)
    elif reported_at is not None and reported_at.time() == time(0):  # a date typed into a date-time cell
        r.problem("reported_at", "W-MIDNIGHT", rule="C6.1")
    if ship_date is not None and reported_at is not None and ship_date > reported_at.date():
        r.problem("ship_date", "E-SHIP-AFTER-REPORT")
    if ship_qty is not None and defect_qty is not None and defect_qty > ship_qty:
        r.problem("defect_qty", "E-DEFECT-GT-SHIPPED", defect_qty=defect_qty, ship_qty=ship_qty)
    if ship_qty is not None and request_qty is not None and request_qty > ship_qty:
        r.problem("request_qty", "E-REQUEST-GT-SHIPPED", request_qty=request_qty, ship_qty=ship_qty)
    if any(p.is_error for p in r.problems):
        return None, r.problems
    assert market and reported_at and ship_date and ship_qty and defect_qty and request
    return Intake(
        customer,
        market,
        sales_rep,
        reported_at,
        order_no,
        part_no,
        ship_date,
        ship_qty,
        defect_qty,
        request,
        request_qty,
        description,
    ), r.problems  # warnings only


# What each department must have written before its stage can be completed (C6, C7).
SECTION_FIELDS: dict[Stage, tuple[tuple[str, str], ...]] = {
    Stage.QUALITY: (("quality_cause", "C6.3"), ("responsible_unit", "C7"), ("rnd_needed", "C6.5")),
    Stage.MANUFACTURING: (
        ("mfg_cause", "C6.4"),
        ("mfg_countermeasure", "C6.4"),
        ("production_unit", "C7"),
        ("machine_shift", "C7"),
        ("operators", "C7"),
        ("production_date", "C7"),
    ),
    Stage.RND: (("rnd_opinion", "C6.5"),),
    Stage.NEGOTIATION: (("negotiation_result", "C6.6"),),
    Stage.CONSOLIDATION: (("gm_opinion", "C6.7"),),
    Stage.APPROVAL: (("approval_opinion", "C6.8"),),
}


def finished_section_attrs(raw: dict[str, Any]) -> frozenset[str]:
    """The section fields of every stage whose completion time is set."""
    return frozenset(
        attr
        for stage, fields in SECTION_FIELDS.items()
        if not is_blank(raw.get(f"{stage.value}_done_at"))
        for attr, _ in fields
    )


def check_section(stage: Stage, raw: dict[str, Any], *, labels: dict[str, str]) -> list[Problem]:
    """The department's section of ``stage`` is filled (C7), with text a cell can hold."""
    r = FieldReader(raw, labels)
    for attr, rule in SECTION_FIELDS.get(stage, ()):
        if attr == "rnd_needed":
            r.choice(attr, YesNo, rule=rule)
        elif attr == "responsible_unit":
            r.one_of(attr, RESPONSIBLE_UNITS, rule=rule)
        elif attr == "production_date":
            r.day(attr, rule=rule)
        else:
            r.text(attr, rule=rule)
    return r.problems


def rnd_needed(raw: dict[str, Any]) -> bool:
    """R&D's opinion is asked unless Quality said 否 (C6.5)."""
    return to_choice(raw.get("rnd_needed"), tuple(y.value for y in YesNo)) != YesNo.NO.value


def duplicate_key(customer: Any, order_no: Any, part_no: Any) -> tuple[str, str, str] | None:
    """What makes two complaints probably one (issue 8): the same customer, order and part, as
    pasted (spaces, full-width, case folded); None when any of the three is blank."""
    key = tuple(fold(to_text(v)).casefold() for v in (customer, order_no, part_no))
    return None if not all(key) else (key[0], key[1], key[2])


def check_duplicates(
    key: tuple[str, str, str] | None, open_cases: list[tuple[str, tuple[str, str, str] | None]]
) -> list[Problem]:
    """疑似重复: a warning naming each open case (``(case_no, key)``) with the same key."""
    if key is None:
        return []
    return [
        problem("W-PROBABLE-DUPLICATE", field="order_no", case_no=case_no)
        for case_no, other in open_cases
        if other == key
    ]
