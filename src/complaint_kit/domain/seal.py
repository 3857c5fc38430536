"""Tamper evidence (issue 6, DESIGN.md "Reliability and trust"): field fingerprints and seals.

When the GM office accepts a case or records a finished stage, the values that are final from
then on (the section's inputs, the case number, the deadlines, the settings snapshot) are
fingerprinted field by field and the fingerprints are signed with the office's key
(HMAC-SHA-256, standard library). The seal is kept in the register (the truth) and copied onto the
form, so a department without the key can still see which fields changed since sealing; only the
key holder can tell whether the seal itself is genuine.

Pure: no files, no clock. Values are the cells' values as any adapter reads them; :func:`canonical`
makes openpyxl's, xlwings' and the memory book's readings of one value give one text, e.g.
``canonical(1000.0) == canonical(1000) == "1000"`` and
``canonical(datetime(2026, 11, 1)) == canonical(date(2026, 11, 1)) == "2026-11-01"``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from .problems import Problem, problem

DIGEST_HEX = 16  # per-field fingerprints: 64 bits is plenty against accidental and casual edits
KEY_ID_HEX = 12
KEY_BYTES = 32
ACCEPT_SCOPE = "受理"
LEGACY_HASH_HEX = 16  # the unkeyed journal chain before form version 2
JOURNAL_HEAD_SCOPE = "日志链"  # the signed head of the journal: its length and last hash


def canonical(value: Any) -> str:
    """One text per cell value, whichever adapter read it (see module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        moment: datetime = value.replace(tzinfo=None)
        if moment.microsecond:  # a serial date read back as 09:29:59.999999 is 09:30:00
            moment = (moment + timedelta(microseconds=500_000)).replace(microsecond=0)
        if moment.hour == moment.minute == moment.second == 0:
            return moment.date().isoformat()
        return moment.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return str(int(value))
        return format(value.normalize(), "f")
    return str(value)


def field_digest(name: str, value: Any) -> str:
    """The fingerprint of one field: the defined name and its canonical value."""
    text = f"{name}\x1f{canonical(value)}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_HEX]


CELL_PRINT_HEX = 6  # per cell of a journaled row: enough to tell which cell was edited


def cell_prints(values: Sequence[Any]) -> str:
    """A row's fingerprint as the service journal keeps it: a short digest of each cell's
    canonical value, in column order, joined by ``.`` (so ``verify`` can name the cell edited)."""
    return ".".join(hashlib.sha256(canonical(v).encode("utf-8")).hexdigest()[:CELL_PRINT_HEX] for v in values)


def changed_cells(prints: str, values: Sequence[Any]) -> list[int]:
    """The column indexes of ``values`` whose cells differ from the fingerprint ``prints``."""
    now = cell_prints(values).split(".")
    was = prints.split(".") if prints else []
    return [i for i in range(max(len(now), len(was))) if i >= len(now) or i >= len(was) or now[i] != was[i]]


def chain_hash(previous: str, fields: Sequence[Any]) -> str:
    """A journal row's hash: its fields' canonical values chained to the hash of the row before
    (an edited, removed or inserted row breaks the chain from there on)."""
    text = previous + "\x1e" + "\x1f".join(canonical(f) for f in fields)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_HEX]


def key_id(key: bytes) -> str:
    """A short public name for a key, safe to print and to store beside signatures."""
    return hashlib.sha256(key).hexdigest()[:KEY_ID_HEX]


def parse_key(text: str) -> bytes:
    """A key file holds 64 hex characters (32 random bytes); raises ValueError otherwise."""
    clean = text.strip()
    if len(clean) != 2 * KEY_BYTES:
        raise ValueError(f"a signing key is {2 * KEY_BYTES} hex characters, found {len(clean)}")
    return bytes.fromhex(clean)


@dataclass(frozen=True, slots=True)
class Seal:
    """One signed set of field fingerprints of one case."""

    scope: str  # 受理 or a stage's Chinese name
    case_no: str
    at: str  # canonical time of sealing
    by: str
    fields: dict[str, str] = field(default_factory=dict)  # defined name → digest
    key_id: str = ""
    mac: str = ""

    def body(self) -> str:
        """The canonical JSON the MAC covers (everything but the MAC)."""
        return json.dumps(
            {
                "scope": self.scope,
                "case_no": self.case_no,
                "at": self.at,
                "by": self.by,
                "fields": dict(sorted(self.fields.items())),
                "key_id": self.key_id,
            },
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        )

    def to_json(self) -> dict[str, Any]:
        return {**json.loads(self.body()), "mac": self.mac}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Seal:
        fields = data.get("fields") or {}
        if not isinstance(fields, dict):
            raise ValueError("seal fields must be an object")
        return cls(
            str(data.get("scope", "")),
            str(data.get("case_no", "")),
            str(data.get("at", "")),
            str(data.get("by", "")),
            {str(k): str(v) for k, v in fields.items()},
            str(data.get("key_id", "")),
            str(data.get("mac", "")),
        )


def _mac(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def compute_seal(key: bytes, *, scope: str, case_no: str, at: datetime, by: str, values: Mapping[str, Any]) -> Seal:
    """Fingerprint ``values`` (``{defined name: value}``) and sign them. The signer's name is
    trimmed (`` 张敏 `` typed with spaces), as a cell read back gives it."""
    unsigned = Seal(
        scope,
        case_no,
        canonical(at),
        by.strip(),
        {name: field_digest(name, v) for name, v in values.items()},
        key_id(key),
    )
    return replace(unsigned, mac=_mac(key, unsigned.body()))


def check_seal_mac(key: bytes, seal: Seal) -> bool:
    return hmac.compare_digest(_mac(key, seal.body()), seal.mac)


def sealed_digests(seals: Iterable[Seal]) -> dict[str, str]:
    """The fingerprint in force for every sealed field: seals in order, later ones override."""
    out: dict[str, str] = {}
    for seal in seals:
        out.update(seal.fields)
    return out


def dump_seals(seals: Iterable[Seal]) -> str:
    """The form's copy of its seals (``MetaSeal``): a JSON list."""
    return json.dumps([s.to_json() for s in seals], ensure_ascii=False, separators=(",", ":"))


def load_seals(text: Any) -> list[Seal]:
    """Parse the form's copy; raises ValueError for text that is not a list of seals."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return []
    try:
        data = json.loads(str(text))
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc}") from None
    if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
        raise ValueError("not a list of seals")
    return [Seal.from_json(d) for d in data]


def check_fields(
    values: Mapping[str, Any],
    digests: Mapping[str, str],
    *,
    labels: Mapping[str, str],
    attrs: Mapping[str, str] | None = None,
    source: str = "签章",
) -> list[Problem]:
    """One problem per sealed field whose current value does not match its fingerprint.

    ``values`` are the current ``{defined name: value}``; ``labels`` the clerk's names of the
    fields; ``attrs`` (name → domain attr) lets the action point the problem at the cell.
    """
    problems: list[Problem] = []
    for name, digest in digests.items():
        if name not in values:
            continue
        if not hmac.compare_digest(field_digest(name, values[name]), digest):
            label = labels.get(name, name)
            now = canonical(values[name])
            now = now if len(now) <= 40 else now[:40] + "…"
            problems.append(
                problem(
                    "E-TAMPERED", field=(attrs or {}).get(name), label=label, name=name, source=source, value=now or "—"
                )
            )
    return problems


def chain_mac(key: bytes, previous: str, fields: Iterable[Any]) -> str:
    """The keyed journal chain: each entry's HMAC covers the previous entry's and its own fields."""
    text = previous + "\x1e" + "\x1f".join(canonical(f) for f in fields)
    return _mac(key, text)


def legacy_chain_hash(previous: str, fields: Iterable[Any]) -> str:
    """The unkeyed 16-hex chain of registers written before form version 2 (anyone can recompute it)."""
    text = previous + "|" + "|".join("" if f is None else str(f) for f in fields)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:LEGACY_HASH_HEX]


@dataclass(frozen=True, slots=True)
class ChainBreak:
    row: int  # 0-based body row
    legacy: bool
    expected: str


def check_chain(key: bytes, rows: list[list[Any]]) -> tuple[list[ChainBreak], int]:
    """Walk the journal (each row: fields…, hash). Returns the rows whose hash does not match and
    the number of legacy (unkeyed) rows; legacy rows are checked with the legacy hash and the keyed
    chain continues from the last legacy hash."""
    breaks: list[ChainBreak] = []
    legacy = 0
    previous = ""
    for i, row in enumerate(rows):
        *fields, stored = row
        stored_text = canonical(stored).strip().lower()
        if len(stored_text) == LEGACY_HASH_HEX and legacy == i:  # legacy rows only before the first keyed one
            legacy += 1
            expected = legacy_chain_hash(previous, fields)
            ok = hmac.compare_digest(expected, stored_text)
        else:
            expected = chain_mac(key, previous, fields)
            ok = hmac.compare_digest(expected, stored_text)
        if not ok:
            breaks.append(ChainBreak(i, len(stored_text) == LEGACY_HASH_HEX, expected))
        previous = canonical(stored).strip()
    return breaks, legacy


def journal_head(key: bytes, rows: list[list[Any]], *, at: datetime, by: str) -> Seal:
    """The journal's head, signed: how many entries it has and the last one's hash. A chain alone
    cannot show that its last entries were cut off (what remains still chains); the head can."""
    return journal_head_of(key, len(rows), rows[-1][-1] if rows else "", at=at, by=by)


def journal_head_of(key: bytes, count: int, last: Any, *, at: datetime, by: str) -> Seal:
    """:func:`journal_head` from the journal's length and its last hash alone (a write that
    appends to a long journal reads only its end)."""
    values = {"count": count, "last": canonical(last).strip()}
    return compute_seal(key, scope=JOURNAL_HEAD_SCOPE, case_no="", at=at, by=by, values=values)


def _head_values(rows: list[list[Any]]) -> dict[str, Any]:
    return {"count": len(rows), "last": canonical(rows[-1][-1]).strip() if rows else ""}


def check_journal_head(head: Seal, rows: list[list[Any]]) -> bool:
    """The journal still has exactly the entries the (MAC-checked) head was signed over."""
    return head.fields == {name: field_digest(name, v) for name, v in _head_values(rows).items()}


def wrong_key_problem(found: str, mine: str, *, where: str | None = None) -> Problem:
    return problem("E-WRONG-KEY", where=where, found=found, mine=mine)


def unverifiable_warning(case_no: str) -> Problem:
    return problem("W-UNSEALED", case_no=case_no)
