"""五联: the closed, approved form as five copies (rule C9), never for the customer (C13).

The action decides and the openpyxl adapter (:mod:`complaint_kit.adapters.copies`) does the
workbook mechanics. A form is copied only when it is accepted, its approval stage is done and its
status is 已结案, and only after it passes the same checks as ``validate`` (intake, every finished
section, the fields against the form's own seals and the deadlines against its rules snapshot): a
tampered form is never copied. The copies show the form's values as read here, with formula
fields computed in Python (a copy carries no defined names for a formula to refer to).

Example: case 261101 → ``客诉-261101-五联.xlsx`` with sheets 第一联 … 第五联, the first titled
``客户抱怨处理表　第一联（质量管理部存查）``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .. import layout as L
from ..domain.problems import problem
from ..domain.routing import Status
from ..domain.rules import Stage
from ..domain.values import is_blank, to_text
from ..ports import Book
from .forms import validate_form
from .outcome import Outcome, failed
from .records import form_version, locate_field, responsibility_rows
from .sealing import read_form_seals


@dataclass(frozen=True, slots=True)
class Copy:
    """One of the five copies: its sheet, who keeps it, its title cell and printed footer."""

    number: int  # 1 … 5
    sheet: str
    keeper: str
    title: str
    footer: str
    file_name: str  # the copy alone, for mailing (``--split``)


@dataclass(frozen=True, slots=True)
class CopiesPlan:
    case_no: str
    file_name: str  # the five copies in one workbook
    values: dict[str, Any]  # defined name → the value every copy shows
    copies: tuple[Copy, ...]
    responsibility: tuple[tuple[Any, ...], ...] = ()  # the 责任归属 rows the decision sealed (C8)


def plan_copies(form: Book, *, now: datetime) -> Outcome:
    """Decide the five copies of a closed, approved form (C9); on success ``data["plan"]`` is the
    :class:`CopiesPlan` to write. Refused: a form that fails validation or whose sealed fields were
    changed, one not accepted, one not closed and approved."""
    checked = validate_form(form, now=now)
    if not checked.ok:
        return failed(checked.problems)
    fields = L.form_fields_of(form_version(form))  # an older form lacks the later fields
    values = form.read_names([f.name for f in fields])
    case_no = to_text(values.get("CaseNo"))
    if not case_no:
        return failed([locate_field(form, problem("E-NOT-ACCEPTED", field="case_no", rule="C9"))])
    status = to_text(values.get("Status"))
    approved = not is_blank(values.get(L.stage_field(Stage.APPROVAL, "DoneAt").name))
    if status != Status.CLOSED.value or not approved:
        found = problem("E-COPIES-NOT-CLOSED", field="status", case_no=case_no, status=status or "空白")
        return failed([locate_field(form, found)])
    warnings = list(checked.warnings)
    seals, _ = read_form_seals(form)  # readable: validation passed
    if seals and not any(s.scope == Stage.APPROVAL.zh for s in seals):
        warnings.append(problem("W-COPIES-UNSEALED", case_no=case_no).at(form.label))
    for field in fields:
        if field.formula:
            values[field.name] = _formula_value(field.name, values)
    plan = CopiesPlan(
        case_no, L.copies_file_name(file_safe(case_no)), values, _copies(case_no), _responsibility_rows(form)
    )
    keepers = "、".join(f"{c.sheet}{c.keeper}" for c in plan.copies)
    message = (
        f"客诉 {case_no} 已印制五联（{keepers}），不得交给客户"
        f" — case {case_no}: five copies made (C9); never give them to the customer (C13)"
    )
    return Outcome(warnings, [message], {"plan": plan, "case_no": case_no})


def _responsibility_rows(form: Book) -> tuple[tuple[Any, ...], ...]:
    """The form's 责任归属 rows in the template's column order (sealed at consolidation)."""
    return tuple(tuple(r.get(a) for a in L.RESPONSIBILITY_ATTRS) for r in responsibility_rows(form))


def _copies(case_no: str) -> tuple[Copy, ...]:
    return tuple(
        Copy(
            number=i + 1,
            sheet=sheet,
            keeper=keeper,
            title=L.copy_title(sheet, keeper, use),
            footer=f"客诉编号 {case_no}　{sheet}　{keeper}{use}　{L.COPY_FOOTER_NOTICE}",
            file_name=L.copy_file_name(file_safe(case_no), sheet, keeper),
        )
        for i, (sheet, keeper, use) in enumerate(zip(L.COPY_SHEETS, L.COPY_KEEPERS, L.COPY_USES, strict=True))
    )


def file_safe(case_no: str) -> str:
    """A case number as part of a file name: anything but letters, digits and ``-`` becomes ``_``
    (a sealed number is digits; a version-1 form's is only as good as what was typed)."""
    return re.sub(r"[^0-9A-Za-z-]", "_", case_no)


def _formula_value(name: str, values: dict[str, Any]) -> Any:
    """What a formula field shows, computed here (FACTS: never read back a formula's result).
    The defect rate is the form's ``=IF(AND(ISNUMBER(ShipQty),ShipQty>0,ISNUMBER(DefectQty)),…)``;
    a formula the kit cannot compute is left blank rather than shown broken."""
    if L.FIELD_BY_NAME[name].attr != "defect_rate":
        return ""
    ship, defect = (values.get(L.FIELD_BY_ATTR[a].name) for a in ("ship_qty", "defect_qty"))
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (ship, defect)):
        return ""
    return defect / ship if ship > 0 else ""  # type: ignore[operator]  # both are numbers, checked above
