"""Papers after the decision (issue 7): the slips (R1, R2), the warehouse's receipt (R3–R6), the
签呈 (C14, C16) and the 异常处理单 (C2).

- :func:`plan_slip`: the 成品退货单 (four copies, R2) or 销货折让证明单 (two copies, R1) the approved
  handling needs, for a case that is closed and approved (the same check as the five copies);
  不成立 needs none (C16). These papers may reach the customer (R6: the buyer stamps them), so they
  carry no C13 notice and the allowance certificate shows no internal cause analysis.
- :func:`record_receipt`: section 九 of the form — what the warehouse received, reconciled with the
  approved quantity (R3: the customer's over-acceptance ratio from the register's 客户 table, else
  the company's from the form's settings snapshot), the proof it is booked on (R6), and the
  receivables to leave out of the salesperson's collection rate (R5).
- :func:`plan_petition`: the 签呈 of an objection to a decision, for any accepted case.
- :func:`register_abnormal` / :func:`reply_abnormal`: a no-loss abnormality logged in the register's
  异常处理 table (``YC{yymm}-{seq:03d}``, never reused: the journal remembers every number issued),
  journaled like every register write, and its printable sheet.

Printed papers are :class:`Paper` values; :mod:`complaint_kit.adapters.papers` writes them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .. import layout as L
from ..domain.authority import compute_required_level
from ..domain.decision import Handling
from ..domain.problems import Problem, problem
from ..domain.returns import (
    ComplaintPart,
    Proof,
    Receivable,
    Reconciliation,
    SlipKind,
    SlipSpec,
    check_proof,
    compute_receivable_exclusions,
    compute_reconciliation,
    compute_slip,
)
from ..domain.settings import Settings
from ..domain.values import FieldReader, is_blank, shown, to_decimal, to_int, to_text
from ..ports import Book, Changes
from .context import form_rules, load_rules
from .copies import file_safe, plan_copies
from .formbook import LABELS, log_rows
from .outcome import Outcome, failed
from .records import form_version, locate_field, read_form, responsibility_rows
from .sealing import has_signatures, has_table, journal_and_seals, old_register_problem, wrong_key

SLIP_EN = {SlipKind.RETURN_SLIP: "return slip", SlipKind.ALLOWANCE_CERTIFICATE: "allowance certificate"}
RECEIVABLE_HEADERS = ("客户", "料号", "发票号", "金额")  # R5: a receivables file; 业务员 optional
RECEIVABLE_REP = "业务员"
JOURNAL_ABNORMAL = "异常登记"
JOURNAL_REPLY = "异常回复"


# -- what a printed paper holds (written by adapters.papers) ----------------------------------------
@dataclass(frozen=True, slots=True)
class Block:
    """A part of a paper, top to bottom: ``fields`` (label/value pairs, two a row), ``text`` (a
    label and a long text on its own rows), ``table`` (a caption, up to four headers, rows), or
    ``box`` (a label and a tall bordered space with the line to sign on). Values are display text."""

    kind: str
    label: str = ""
    pairs: tuple[tuple[str, str], ...] = ()
    text: str = ""
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    lines: int = 1  # the least height, in lines of text


def fields_block(*pairs: tuple[str, str]) -> Block:
    return Block("fields", pairs=pairs)


def text_block(label: str, text: str, *, lines: int = 2) -> Block:
    return Block("text", label=label, text=text, lines=lines)


def table_block(caption: str, headers: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> Block:
    return Block("table", label=caption, headers=headers, rows=tuple(rows))


def box_block(label: str, line: str, *, lines: int = 2) -> Block:
    return Block("box", label=label, text=line, lines=lines)


@dataclass(frozen=True, slots=True)
class Paper:
    """One printed sheet: one A4 portrait page, every cell locked."""

    sheet: str
    title: str
    footer: str
    subtitle: str = ""
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True, slots=True)
class PapersPlan:
    """A workbook of papers to write: ``file_name`` beside the form (or the register's folder)."""

    key: str  # the case number or the abnormality's number
    file_name: str
    papers: tuple[Paper, ...]
    kind: str = ""


# -- reading what the papers need -------------------------------------------------------------------
def _display(value: Any) -> str:
    """A value as a paper prints it (text: a printed record, never a formula or a ### cell)."""
    if is_blank(value):
        return ""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d}" if value.time() == datetime.min.time() else f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, Decimal):
        return f"{value.quantize(Decimal('0.01'), ROUND_HALF_UP):,}"
    return to_text(value)


def _short(value: Any, limit: int = 120) -> str:
    text = _display(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _closed_case(form: Book, *, now: datetime) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The form's fields by attr when it is closed and approved (the five copies' check, C9: valid,
    untampered, accepted, 已结案 with the approval done); warnings about the approval's seal."""
    outcome = plan_copies(form, now=now)
    if not outcome.ok:
        return None, outcome.problems
    warnings = [p for p in outcome.warnings if p.code != "W-COPIES-UNSEALED"]
    if len(warnings) < len(outcome.warnings):
        case_no = outcome.data["case_no"]
        warnings.append(problem("W-PAPER-UNSEALED", case_no=case_no).at(form.label))
    return read_form(form), warnings


def _handling(form: Book, raw: dict[str, Any]) -> tuple[Handling | None, list[Problem]]:
    """The approved 处理方式 (C8); a form made before the decision section has none (R1, R2)."""
    version = form_version(form)
    if version < L.DECISION_VERSION:
        return None, [problem("E-PAPER-NO-HANDLING", version=version).at(form.label)]
    reader = FieldReader(raw, LABELS)
    handling = reader.choice("handling", Handling, rule="R1")
    return handling, [locate_field(form, p) for p in reader.problems]


def _approved_qty(form: Book, raw: dict[str, Any]) -> tuple[int | None, list[Problem]]:
    """R3: 核准数量 from section 七; a version-3 form has none, so the customer's requested quantity
    stands in, with a warning. Blank or not a whole number: refused, naming the field."""
    version = form_version(form)
    attr = "approved_qty" if version >= L.RETURNS_VERSION else "request_qty"
    field_ = L.FIELD_BY_ATTR[attr]
    value = raw.get(attr)
    try:
        qty = to_int(value)
    except (ValueError, OverflowError):
        qty = None
    if qty is None or qty < 0:
        found = problem(
            "E-APPROVED-QTY-BLANK", field=attr, label=field_.label, name=field_.name, value=shown(value) or "空白"
        )
        return None, [locate_field(form, found)]
    if attr == "request_qty":
        return qty, [locate_field(form, problem("W-APPROVED-QTY-FROM-REQUEST", field=attr, version=version, qty=qty))]
    return qty, []


def _settings(form: Book) -> Settings:
    rules = form_rules(form)
    return rules.settings if rules is not None else Settings()


def _approval(form: Book, raw: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """核决 by, at and the level the loss needed (C10, the authority table of the case's snapshot)."""
    try:
        loss = max(to_decimal(raw.get("loss_amount")) or Decimal(0), Decimal(0))
        level = compute_required_level(loss, table=_settings(form).authority_table()).value
    except ValueError:
        level = ""
    return (
        (L.PAPER_LABELS["approved_by"], _display(raw.get("approval_by"))),
        (L.PAPER_LABELS["approved_at"], _display(raw.get("approval_done_at"))),
        (L.PAPER_LABELS["approval_level"], level),
    )


def _label(attr: str) -> str:
    return L.FIELD_BY_ATTR[attr].label


# -- R1, R2: the slip --------------------------------------------------------------------------------
def plan_slip(form: Book, *, now: datetime) -> Outcome:
    """The slip of a closed, approved case (R1, R2); ``data["plan"]`` is the :class:`PapersPlan`.
    Refused: the five copies' refusals, 不成立 (C16), a form without the decision, a missing
    核准数量."""
    raw, problems = _closed_case(form, now=now)
    if raw is None:
        return failed(problems)
    handling, found = _handling(form, raw)
    if handling is None:
        return failed(problems + found)
    spec = compute_slip(handling)
    case_no = to_text(raw.get("case_no"))
    if spec is None:
        return failed([*problems, locate_field(form, problem("E-SLIP-INVALID", field="handling", case_no=case_no))])
    qty, found = _approved_qty(form, raw)
    problems += found
    if qty is None:
        return failed(problems)
    papers = tuple(_slip_paper(spec, i, raw, handling, qty, form=form, now=now) for i in range(len(spec.copies)))
    plan = PapersPlan(case_no, L.slip_file_name(file_safe(case_no), spec.kind.value), papers, spec.kind.value)
    keepers = "、".join(p.title.split("　", 1)[1] for p in papers)
    message = (
        f"已开立{spec.kind.value}，共 {len(papers)} 联：{keepers}"
        f" — {SLIP_EN[spec.kind]} of case {case_no}: {len(papers)} copies (rule {spec.rule})"
    )
    return Outcome(problems, [message], {"plan": plan, "case_no": case_no})


def _slip_paper(
    spec: SlipSpec, index: int, raw: dict[str, Any], handling: Handling, qty: int, *, form: Book, now: datetime
) -> Paper:
    copy = spec.copies[index]
    sheet = L.COPY_SHEETS[index]
    kind = spec.kind.value
    title = L.slip_copy_title(kind, sheet, sent_to=copy.sent_to, kept_by=copy.kept_by, first=copy.number == 1)
    case_no = to_text(raw.get("case_no"))
    head = [
        (_label("case_no"), case_no),
        (_label("handling"), handling.value),
        (_label("customer"), _display(raw.get("customer"))),
        (_label("sales_rep"), _display(raw.get("sales_rep"))),
        (_label("order_no"), _display(raw.get("order_no"))),
        (_label("part_no"), _display(raw.get("part_no"))),
        (_label("ship_date"), _display(raw.get("ship_date"))),
        (_label("approved_qty"), str(qty)),
    ]
    if spec.kind is SlipKind.ALLOWANCE_CERTIFICATE:
        # R1, R6: the buyer stamps this one; internal cause analysis stays in the company (C13's spirit)
        amount_label = f"{handling.value}{L.PAPER_LABELS['amount']}"
        head.append((amount_label, _money(raw.get("loss_amount"))))
        reason = f"{_label('description')}：{_short(raw.get('description'))}"
    else:
        reason = (
            f"{_label('description')}：{_short(raw.get('description'))}\n"
            f"{_label('quality_cause')}：{_short(raw.get('quality_cause'))}"
        )
    basis = (L.PAPER_LABELS["basis"], f"{L.FORM_TITLE} 客诉 {case_no}")
    blocks = (
        fields_block(*head),
        text_block(f"{handling.value}{L.PAPER_LABELS['reason']}", reason, lines=3),
        fields_block(*_approval(form, raw), basis),
        *(box_block(label, line, lines=3) for label, line in L.SLIP_BOXES[kind]),
    )
    return Paper(
        sheet=sheet,
        title=title,
        subtitle=f"{L.PAPER_LABELS['date']}：{now:%Y-%m-%d}",
        footer=f"客诉编号 {case_no}　{kind}　{sheet}（规则 {spec.rule}）",
        blocks=blocks,
    )


def _money(value: Any) -> str:
    try:
        amount = to_decimal(value)
    except ValueError:
        return shown(value)
    return "" if amount is None else _display(amount)


# -- R3–R6: the warehouse's receipt ------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ReceivablesFile:
    """Accounting's receivables as read from a .csv or .xlsx (R5): headers and rows as found."""

    label: str
    headers: tuple[str, ...]
    rows: list[list[Any]] = field(default_factory=list)


def record_receipt(
    form: Book,
    *,
    quantity: int | None = None,
    proof: str | None = None,
    now: datetime,
    by: str,
    register: Book | None = None,
    receivables: ReceivablesFile | None = None,
    force: bool = False,
) -> Outcome:
    """Record what the warehouse received against a closed, approved return (R3, R4, R6) in section
    九, with a 流转记录 row; list the receivables to exclude from the salesperson's rate (R5).
    ``quantity`` / ``proof`` None: as typed into section 九 (实收数量, 入账凭证 — the ribbon's way).
    A flagged excess is a warning: the receipt stands, nothing is booked (R4)."""
    raw, problems = _closed_case(form, now=now)
    if raw is None:
        return failed(problems)
    version = form_version(form)
    if version < L.RETURNS_VERSION:
        return failed([*problems, problem("E-RECEIPT-OLD-FORM", version=version).at(form.label)])
    handling, found = _handling(form, raw)
    if handling is None:
        return failed(problems + found)
    spec = compute_slip(handling)
    if spec is None or spec.kind is not SlipKind.RETURN_SLIP:
        refused = problem("E-RECEIPT-NOT-RETURN", field="handling", handling=handling.value)
        return failed([*problems, locate_field(form, refused)])
    errors: list[Problem] = []
    typed = quantity is None
    if quantity is None or proof is None:
        reader = FieldReader(raw, LABELS)
        if quantity is None:
            quantity = reader.integer("received_qty", rule="R4")
        if proof is None:
            proof = reader.text("receipt_proof", rule="R6")
        errors += [locate_field(form, p) for p in reader.problems]
    kind = _proof(proof, handling, errors) if proof else None
    if not force and not is_blank(raw.get("receipt_at")):
        at = _display(raw.get("receipt_at")) or "?"
        done = problem("E-RECEIPT-DONE", field="received_qty", at=at, qty=_display(raw.get("received_qty")) or "?")
        errors.append(locate_field(form, done))
    approved, found = _approved_qty(form, raw)
    problems += found
    settings = _settings(form)
    customer = to_text(raw.get("customer"))
    ratio, source, found = _customer_ratio(register, customer)
    problems += found
    lines, found = _receivable_lines(receivables, sales_rep=to_text(raw.get("sales_rep")))
    errors += found
    if approved is None or kind is None or quantity is None or errors or any(p.is_error for p in problems):
        return failed(problems + errors)
    recon, found = compute_reconciliation(
        approved=approved, actual=quantity, customer_ratio=ratio, default_ratio=settings.over_acceptance_ratio
    )
    if recon is None:
        return failed(problems + found)
    problems += [locate_field(form, p) if typed else p.at(f"{form.label} --qty") for p in found]
    note = _receipt_note(recon, kind, source or "公司默认")
    redo = not is_blank(raw.get("receipt_at"))
    action = "更正实收" if redo else "登记实收"
    log_note = (
        f"{note}（原登记：实收 {_display(raw.get('received_qty'))}，{_display(raw.get('receipt_at'))}）"
        if redo
        else note
    )
    form.apply(
        Changes(
            names={
                "ReceivedQty": quantity,
                "BookedQty": None if recon.booked is None else int(recon.booked),
                "ReceiptProof": kind.value,
                "ReceiptAt": now,
                "ReceiptNote": note,
            },
            tables={L.FORM_LOG_TABLE: log_rows(form, [now, L.RECEIPT_LOG_STAGE, action, by, log_note])},
            lock={"ReceivedQty", "ReceiptProof"},  # booked: a correction is the GM office's (receive --force)
        )
    )
    case_no = to_text(raw.get("case_no"))
    part = ComplaintPart(case_no, customer, to_text(raw.get("part_no")), handling)
    messages = [_receipt_message(case_no, recon), *_exclusion_messages(part, to_text(raw.get("sales_rep")), lines)]
    if register is None:
        problems.append(problem("W-RATIO-NOT-LOOKED-UP", percent=_percent(recon.ratio)).at(form.label))
    return Outcome(problems, messages, {"case_no": case_no, "reconciliation": recon})


def _proof(text: str, handling: Handling, errors: list[Problem]) -> Proof | None:
    """R6: one of the proofs (Chinese), and of the kind the handling needs."""
    try:
        kind = Proof(text.strip())
    except ValueError:
        allowed = "、".join(p.value for p in Proof)
        errors.append(
            problem(
                "E-NOT-IN-LIST",
                field="proof",
                rule="R6",
                label="入账凭证",
                attr="--proof",
                value=shown(text),
                allowed=allowed,
            )
        )
        return None
    found = check_proof(handling, kind)
    errors += [p.at("--proof") for p in found]
    return None if found else kind


def _customer_ratio(register: Book | None, customer: str) -> tuple[Decimal | None, str, list[Problem]]:
    """R3: the customer's 超量允收比率 from the register's 客户 table (the name matched after
    trimming); None (the company's) when there is no register, no row or a blank ratio. A register
    made before the table reads as having no customer rows."""
    if register is None or not has_table(register, L.CUSTOMERS_TABLE):
        return None, "", []
    table = register.read_table(L.CUSTOMERS_TABLE)
    name_h, ratio_h = L.CUSTOMERS_HEADERS[0], L.CUSTOMERS_HEADERS[1]
    first: int | None = None
    ratio: Decimal | None = None
    problems: list[Problem] = []
    for i, rec in enumerate(table.records()):
        if to_text(rec.get(name_h)) != customer:
            continue
        where = register.locate_table_cell(L.CUSTOMERS_TABLE, i, name_h)
        if first is not None:
            problems.append(problem("E-CUSTOMER-DUPLICATE", where=where, row=i + 1, first=first + 1, customer=customer))
            continue
        first = i
        raw = rec.get(ratio_h)
        try:
            ratio = to_decimal(raw)
        except ValueError:
            ratio = Decimal(-1)
        if ratio is not None and not Decimal(0) <= ratio <= Decimal(1):
            where = register.locate_table_cell(L.CUSTOMERS_TABLE, i, ratio_h)
            problems.append(problem("E-CUSTOMER-RATIO", where=where, row=i + 1, customer=customer, value=shown(raw)))
            ratio = None
    return ratio, (f"客户“{customer}”" if ratio is not None else ""), problems


def _percent(ratio: Decimal) -> str:
    return f"{(ratio * 100).normalize():f}"


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _receipt_note(recon: Reconciliation, proof: Proof, source: str) -> str:
    """Section 九's 差异说明, in the clerk's words (R3, R4)."""
    head = (
        f"实收 {_number(recon.actual)}，核准 {_number(recon.approved)}，允收上限 {_number(recon.limit)}"
        f"（超量允收 {_percent(recon.ratio)}%，{source}）"
    )
    if recon.booked is not None:
        return f"{head}：按实收 {_number(recon.booked)} 入账。凭证：{proof.value}。"
    excess = recon.actual - recon.limit
    return (
        f"{head}：较核准多 {_number(recon.difference)}，超出允收上限 {_number(excess)}，"
        f"送总经理室裁决，未入账。凭证：{proof.value}。"
    )


def _receipt_message(case_no: str, recon: Reconciliation) -> str:
    actual, limit = _number(recon.actual), _number(recon.limit)
    if recon.booked is not None:
        return (
            f"客诉 {case_no} 已登记实收 {actual}，按实收入账 {_number(recon.booked)}（允收上限 {limit}）"
            f" — case {case_no}: received {actual}, booked {_number(recon.booked)} (limit {limit}, R3)"
        )
    return (
        f"客诉 {case_no} 已登记实收 {actual}，超出允收上限 {limit}，差异送总经理室裁决，未入账"
        f" — case {case_no}: received {actual}, above the limit of {limit}; flagged for the GM office, nothing booked"
        " (R3, R4)"
    )


@dataclass(frozen=True, slots=True)
class ReceivableLine:
    invoice: str
    receivable: Receivable


def _receivable_lines(file: ReceivablesFile | None, *, sales_rep: str) -> tuple[list[ReceivableLine], list[Problem]]:
    """R5: Accounting's receivables (客户, 料号, 发票号, 金额; 业务员 optional, else the case's)."""
    if file is None:
        return [], []
    headers = [to_text(h) for h in file.headers]
    missing = [h for h in RECEIVABLE_HEADERS if h not in headers]
    if missing:
        return [], [
            problem(
                "E-RECEIVABLES-HEADERS",
                where=file.label,
                missing="、".join(missing),
                expected=",".join(RECEIVABLE_HEADERS),
            )
        ]
    index = {h: headers.index(h) for h in (*RECEIVABLE_HEADERS, RECEIVABLE_REP) if h in headers}
    lines: list[ReceivableLine] = []
    problems: list[Problem] = []
    for n, row in enumerate(file.rows, start=2):  # row 1 holds the headers
        cells = [*row, *[None] * (len(headers) - len(row))]
        if all(is_blank(c) for c in cells):
            continue
        customer, part, invoice, raw = (cells[index[h]] for h in RECEIVABLE_HEADERS)
        try:
            amount = to_decimal(raw)
        except ValueError:
            amount = None
        if amount is None:
            problems.append(problem("E-RECEIVABLE-AMOUNT", where=f"{file.label} 第 {n} 行", row=n, value=shown(raw)))
            continue
        rep = to_text(cells[index[RECEIVABLE_REP]]) if RECEIVABLE_REP in index else ""
        receivable = Receivable(rep or sales_rep, to_text(customer), to_text(part), amount)
        lines.append(ReceivableLine(to_text(invoice), receivable))
    return lines, problems


def _exclusion_messages(part: ComplaintPart, sales_rep: str, lines: list[ReceivableLine]) -> list[str]:
    """R5: always the case's customer, part number and salesperson; with Accounting's file, the
    matching receivables and their total."""
    out = [
        f"应收账款排除（R5）：客户 {part.customer}、料号 {part.part_no} 的应收不计入业务员 {sales_rep} 的收款率"
        f" — receivables of customer {part.customer}, part {part.part_no} are left out of {sales_rep}'s"
        " collection rate (R5)"
    ]
    if not lines:
        return out
    excluded, totals = compute_receivable_exclusions([line.receivable for line in lines], [part])
    chosen = {id(e.receivable) for e in excluded}
    matched = [line for line in lines if id(line.receivable) in chosen]
    if not matched:
        return [*out, "应收账款文件中没有该客户与料号的应收 — no receivable of this customer and part in the file"]
    for line in matched:
        r = line.receivable
        out.append(
            f"  排除 excluded：发票 {line.invoice}　{r.customer}　{r.part_no}　{_display(r.amount)}　{r.salesperson}"
        )
    total = sum((line.receivable.amount for line in matched), Decimal(0))
    out.append(
        f"排除合计 {_display(total)}（{len(matched)} 笔）"
        f" — excluded total {_display(total)} ({len(matched)} receivable(s))"
    )
    if len(totals) > 1:
        out += [f"  {person}：{_display(amount)}" for person, amount in sorted(totals.items())]
    return out


# -- C14, C16: the petition --------------------------------------------------------------------------
def plan_petition(form: Book, *, text: str | None = None, by: str, now: datetime) -> Outcome:
    """A 签呈 to the GM about an objection to the decision of an accepted case (C14, C16).
    ``text`` None: the form's 异议内容 (section 十, the ribbon's way). ``data["plan"]`` is the
    :class:`PapersPlan`; the form is not changed."""
    from .forms import validate_form

    checked = validate_form(form, now=now)
    if not checked.ok:
        return failed(checked.problems)
    raw = read_form(form)
    case_no = to_text(raw.get("case_no"))
    if not case_no:
        return failed([locate_field(form, problem("E-NOT-ACCEPTED", field="case_no", rule="C14"))])
    if text is None:
        reader = FieldReader(raw, LABELS)
        objection = reader.text("objection", rule="C14")
        if reader.problems:
            return failed([locate_field(form, p) for p in reader.problems])
        text = objection
    reader = FieldReader(
        {"--text": text, "--by": by}, {"--text": L.PAPER_LABELS["objection"], "--by": L.PAPER_LABELS["petitioner"]}
    )
    objection, petitioner = reader.text("--text", rule="C14"), reader.text("--by", rule="C14")
    if reader.problems:
        return failed(reader.problems)
    handling = _display(raw.get("handling")) or "（尚未核决）"
    labels = L.PAPER_LABELS
    blocks = (
        fields_block(
            (labels["to"], L.PETITION_TO),
            (labels["date"], f"{now:%Y-%m-%d}"),
            (labels["subject"], L.petition_subject(case_no)),
            (labels["petitioner"], petitioner),
        ),
        fields_block(
            (_label("case_no"), case_no),
            (_label("customer"), _display(raw.get("customer"))),
            (_label("order_no"), _display(raw.get("order_no"))),
            (_label("part_no"), _display(raw.get("part_no"))),
            (_label("handling"), handling),
            (_label("loss_amount"), _money(raw.get("loss_amount"))),
        ),
        text_block(_label("description"), _short(raw.get("description"), 200), lines=2),
        table_block(labels["responsibility"], L.RESPONSIBILITY_PAPER_HEADERS, _responsibility_rows(form)),
        text_block(labels["objection"], objection, lines=8),
        *(box_block(label, L.SIGN_LINE, lines=4) for label in L.PETITION_BOXES),
    )
    paper = Paper(
        sheet=L.PETITION_TITLE,
        title=L.PETITION_TITLE,
        subtitle=f"客诉编号 {case_no}",
        footer=f"客诉编号 {case_no}　{L.PETITION_TITLE}（规则 C14、C16）",
        blocks=blocks,
    )
    plan = PapersPlan(case_no, L.petition_file_name(file_safe(case_no)), (paper,), L.PETITION_TITLE)
    message = (
        f"已拟签呈：{L.petition_subject(case_no)}，呈总经理核示"
        f" — petition about case {case_no} drafted for the GM (C14)"
    )
    return Outcome(list(checked.warnings), [message], {"plan": plan, "case_no": case_no})


def _responsibility_rows(form: Book) -> list[tuple[str, ...]]:
    """The form's 责任归属 rows as the petition prints them (type, department/unit, person, share)."""
    rows: list[tuple[str, ...]] = []
    for rec in responsibility_rows(form):
        try:
            share = to_decimal(rec.get("share"))
            shown_share = "" if share is None else f"{_percent(share)}%"
        except ValueError:
            shown_share = shown(rec.get("share"))
        where = " ".join(t for t in (to_text(rec.get("department")), to_text(rec.get("unit"))) if t)
        rows.append((to_text(rec.get("kind")), where, to_text(rec.get("person")), shown_share))
    return rows


# -- C2: the abnormality sheet -----------------------------------------------------------------------
ABNORMAL_NUMBER = re.compile(rf"{L.ABNORMAL_NUMBER_PREFIX}(\d{{4}})-(\d{{3,}})")
ABNORMAL_ATTRS = ("number", "found_at", "customer", "unit", "description", "request", "due_at", "reply", "status", "by")
ABNORMAL_LABELS = dict(zip(ABNORMAL_ATTRS, L.ABNORMAL_HEADERS, strict=True))


def _register_ready(register: Book, key: bytes) -> Problem | None:
    """Every register write journals and seals (issue 6); the 异常处理 table came with issue 7."""
    if not has_signatures(register):
        return old_register_problem(register)
    if not has_table(register, L.ABNORMAL_TABLE):
        return problem(
            "E-REGISTER-NO-TABLE",
            where=register.label,
            sheet=L.ABNORMAL_SHEET,
            table=L.ABNORMAL_TABLE,
            register=register.label,
        )
    return wrong_key(register, key, register.read_table(L.SIGNATURES_TABLE))


def compute_abnormal_number(month: str, used: Sequence[str]) -> str:
    """C2: ``YC{yymm}-{seq:03d}``, one past the highest of the month among ``used`` (the table's
    numbers and every number the journal says was issued, so a deleted row's is never reused).

    >>> compute_abnormal_number("2611", ["YC2611-001", "YC2610-007", "YC2611-004"])
    'YC2611-005'
    """
    serials = [int(m.group(2)) for text in used for m in ABNORMAL_NUMBER.finditer(text) if m.group(1) == month]
    return f"{L.ABNORMAL_NUMBER_PREFIX}{month}-{max(serials, default=0) + 1:03d}"


def _issued_numbers(register: Book) -> list[str]:
    table = register.read_table(L.ABNORMAL_TABLE)
    journal = register.read_table(L.JOURNAL_TABLE)
    action_h, note_h = L.JOURNAL_HEADERS[2], L.JOURNAL_HEADERS[4]
    issued = [to_text(r.get(note_h)) for r in journal.records() if to_text(r.get(action_h)) == JOURNAL_ABNORMAL]
    return [to_text(v) for v in table.column(L.ABNORMAL_HEADERS[0])] + issued


def register_abnormal(
    register: Book,
    *,
    customer: str,
    unit: str,
    description: str,
    request: str = "",
    due_days: int = 3,
    by: str,
    now: datetime,
    key: bytes,
) -> Outcome:
    """Log a no-loss abnormality (C2) in the register's 异常处理 table: the next number of the month,
    the reply due ``due_days`` working days from now on the register's calendar, status 待回复;
    journaled. ``data["plan"]`` is the printable 异常处理单 for the responsible unit."""
    refusal = _register_ready(register, key)
    if refusal:
        return failed([refusal])
    rules, problems = load_rules(register)
    raw = {"customer": customer, "unit": unit, "description": description, "request": request, "by": by}
    reader = FieldReader({**raw, "due_days": due_days}, {**ABNORMAL_LABELS, "due_days": "回复期限（工作日）"})
    values = {a: reader.text(a, required=a != "request", rule="C2") for a in raw}
    reader.integer("due_days", minimum=1, rule="C2")
    problems += reader.problems
    if any(p.is_error for p in problems):
        return failed(problems)
    number = compute_abnormal_number(f"{now:%y%m}", _issued_numbers(register))
    due = rules.calendar.add(now, due_days * rules.calendar.day_minutes)
    record = _new_record(values, number=number, now=now, due=due)
    table = register.read_table(L.ABNORMAL_TABLE)
    attr_of = {h: a for a, h in ABNORMAL_LABELS.items()}
    row = [record.get(attr_of.get(h, "")) for h in table.headers]
    note = f"{number} {values['customer']} → {values['unit']}"
    register.apply(
        Changes(
            tables={
                L.ABNORMAL_TABLE: [*table.rows, row],
                **journal_and_seals(register, [[now, by, JOURNAL_ABNORMAL, None, note]], key=key, now=now, user=by),
            }
        )
    )
    plan = PapersPlan(number, L.abnormal_file_name(number), (_abnormal_paper(record),), L.ABNORMAL_TITLE)
    message = (
        f"已登记异常 {number}（{values['customer']}，责任单位 {values['unit']}），回复期限 {due:%Y-%m-%d %H:%M}"
        f" — abnormality {number} logged for {values['unit']}; reply due {due:%Y-%m-%d %H:%M} (C2)"
    )
    return Outcome(problems + rules.calendar_warnings(), [message], {"plan": plan, "number": number, "due": due})


def _new_record(values: dict[str, Any], *, number: str, now: datetime, due: datetime) -> dict[str, Any]:
    """A new abnormality's row (C2): numbered, found now, due, awaiting the unit's reply."""
    return {
        "reply": None,
        **values,
        "number": number,
        "found_at": now,
        "due_at": due,
        "status": L.ABNORMAL_STATUSES[0],
        "request": values.get("request") or None,
    }


_TYPED = ("customer", "unit", "description", "request")


def register_typed_abnormal(register: Book, *, due_days: int = 3, by: str, now: datetime, key: bytes) -> Outcome:
    """C2 the spreadsheet way (the ribbon's 异常处理 button, ``complaint-kit abnormal REG``): rows a
    clerk typed into the 异常处理 table without a number are registered as :func:`register_abnormal`
    does (numbered, found now, due in ``due_days`` working days, by ``by``); a numbered row whose
    回复 was typed while it waited is marked 已回复. One register write, each journaled;
    ``data["plans"]`` are the new rows' printable 异常处理单. Nothing to do is an error."""
    refusal = _register_ready(register, key)
    if refusal:
        return failed([refusal])
    rules, problems = load_rules(register)
    table = register.read_table(L.ABNORMAL_TABLE)
    column = {a: table.headers.index(h) for a, h in ABNORMAL_LABELS.items() if h in table.headers}
    rows = [list(r) + [None] * (len(table.headers) - len(r)) for r in table.rows]
    used = _issued_numbers(register)
    due = rules.calendar.add(now, due_days * rules.calendar.day_minutes)
    journal: list[list[Any]] = []
    plans: list[PapersPlan] = []
    for i, row in enumerate(rows):
        rec = {a: row[j] for a, j in column.items()}
        number = to_text(rec.get("number"))
        if number:
            if not is_blank(rec.get("reply")) and to_text(rec.get("status")) == L.ABNORMAL_STATUSES[0]:
                row[column["status"]] = L.ABNORMAL_STATUSES[1]
                journal.append([now, by, JOURNAL_REPLY, None, f"{number} {shown(rec.get('reply'))}"])
            continue
        if all(is_blank(rec.get(a)) for a in _TYPED):
            continue
        reader = FieldReader(rec, ABNORMAL_LABELS)
        values = {a: reader.text(a, required=a != "request", rule="C2") for a in _TYPED}
        for p in reader.problems:
            where = register.locate_table_cell(L.ABNORMAL_TABLE, i, ABNORMAL_LABELS[p.field or "customer"])
            problems.append(p.at(where))
        if reader.problems:
            continue
        number = compute_abnormal_number(f"{now:%y%m}", used)
        used.append(number)
        record = _new_record({**values, "by": to_text(rec.get("by")) or by}, number=number, now=now, due=due)
        for a, j in column.items():
            row[j] = record.get(a)
        journal.append([now, by, JOURNAL_ABNORMAL, None, f"{number} {values['customer']} → {values['unit']}"])
        plans.append(PapersPlan(number, L.abnormal_file_name(number), (_abnormal_paper(record),), L.ABNORMAL_TITLE))
    if any(p.is_error for p in problems):
        return failed(problems)
    if not journal:
        return failed([problem("E-ABNORMAL-NOTHING", where=register.label, sheet=L.ABNORMAL_SHEET)])
    tables = {L.ABNORMAL_TABLE: rows, **journal_and_seals(register, journal, key=key, now=now, user=by)}
    register.apply(Changes(tables=tables))
    replies = len(journal) - len(plans)
    numbers = "、".join(p.key for p in plans) or "无"
    message = (
        f"已登记异常 {len(plans)} 件（{numbers}），回复期限 {due:%Y-%m-%d %H:%M}；记录回复 {replies} 件"
        f" — {len(plans)} abnormality(ies) logged ({numbers}), reply due {due:%Y-%m-%d %H:%M};"
        f" {replies} reply(ies) recorded (C2)"
    )
    return Outcome(problems + rules.calendar_warnings(), [message], {"plans": plans})


def _abnormal_paper(record: dict[str, Any]) -> Paper:
    label = ABNORMAL_LABELS
    number, due = record["number"], record["due_at"]
    return Paper(
        sheet=L.ABNORMAL_TITLE,
        title=L.ABNORMAL_TITLE,
        subtitle=f"{L.PAPER_LABELS['number']}：{number}",
        footer=f"{number}　请于 {due:%Y-%m-%d %H:%M} 前回复总经理室生产管理组（规则 C2）",
        blocks=(
            fields_block(
                *(
                    (label[a], _display(record.get(a)))
                    for a in ("number", "found_at", "customer", "unit", "by", "due_at")
                )
            ),
            text_block(label["description"], _display(record.get("description")), lines=4),
            text_block(label["request"], _display(record.get("request")), lines=2),
            box_block(L.ABNORMAL_REPLY_BOX, "", lines=10),
            box_block(L.ABNORMAL_SIGN_BOX, L.SIGN_LINE, lines=2),
        ),
    )


def reply_abnormal(register: Book, *, number: str, text: str, by: str, now: datetime, key: bytes) -> Outcome:
    """C2: the responsible unit's reply, recorded in the abnormality's row (回复, 状态 已回复) and
    journaled. A second reply is added below the first, never over it."""
    refusal = _register_ready(register, key)
    if refusal:
        return failed([refusal])
    reader = FieldReader({"reply": text, "by": by}, ABNORMAL_LABELS)
    reply, who = reader.text("reply", rule="C2"), reader.text("by", rule="C2")
    if reader.problems:
        return failed(reader.problems)
    table = register.read_table(L.ABNORMAL_TABLE)
    headers = list(table.headers)
    no_i, reply_i, status_i, due_i = (
        headers.index(ABNORMAL_LABELS[a]) for a in ("number", "reply", "status", "due_at")
    )
    wanted = number.strip().upper()
    index = next((i for i, r in enumerate(table.rows) if to_text(r[no_i]).upper() == wanted), None)
    if index is None:
        return failed([problem("E-ABNORMAL-UNKNOWN", where=register.label, number=shown(number.strip()))])
    rows = [list(r) for r in table.rows]
    entry = f"{reply}（{now:%Y-%m-%d %H:%M} {who}）"
    earlier = to_text(rows[index][reply_i])
    rows[index][reply_i] = f"{earlier}\n{entry}" if earlier else entry
    rows[index][status_i] = L.ABNORMAL_STATUSES[1]
    found_no = to_text(rows[index][no_i])
    register.apply(
        Changes(
            tables={
                L.ABNORMAL_TABLE: rows,
                **journal_and_seals(
                    register,
                    [[now, who, JOURNAL_REPLY, None, f"{found_no} {shown(reply)}"]],
                    key=key,
                    now=now,
                    user=who,
                ),
            }
        )
    )
    due = rows[index][due_i]
    late = isinstance(due, datetime) and now > due
    suffix = ("（逾期回复）", " (late)") if late else ("", "")
    message = f"已记录 {found_no} 的回复{suffix[0]} — reply to {found_no} recorded{suffix[1]} (C2)"
    return Outcome([], [message], {"number": found_no, "late": late})
