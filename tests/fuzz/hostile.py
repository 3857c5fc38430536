"""Hostile values and malformed workbooks, and the harness that runs them through the kit
(issue 6, item 5): every input must end in a problem list or a success, never a traceback.

Two streams, both from one seeded ``random.Random`` (reproducible):

- **values**: a filled form whose fields get hostile cell values (lone surrogates, control
  characters, 40,000-character text, dates of year 1/1899/9999, Excel serials of 1e20, NaN,
  quantities of 1e20, full-width and pasted text …), run through validate → accept → complete on
  in-memory books; every accepted form is also written with openpyxl, saved and read back.
- **workbooks**: mutations of real form and register files (truncated, bit-flipped, zip bombs
  split over many parts, macro parts, OLE headers, CSV and empty files, broken XML, defined
  names set to ``#REF!``/constants/columns/ranges/other sheets, hostile text inside the XML,
  damaged ``_meta`` snapshots, ``Serials`` text and huge serials …), run through the CLI
  (``validate``, ``accept``, ``complete``) in-process.

A *refusal* must carry Chinese text; a value the kit must refuse (a known-bad value) that is
accepted is counted as ``missed``.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import os
import random
import re
import shutil
import traceback
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl
from typer.testing import CliRunner

from complaint_kit import layout as L
from complaint_kit.actions import forms as form_actions
from complaint_kit.adapters.memory import MemoryBook
from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
from complaint_kit.cli import app
from complaint_kit.domain.rules import Stage
from complaint_kit.domain.settings import MAX_QUANTITY_DEFAULT
from complaint_kit.domain.values import MAX_CELL_TEXT
from complaint_kit.templates import template_dir

NOW = datetime(2026, 11, 3, 9, 30)
LATER = datetime(2026, 11, 3, 15, 0)
KEY = bytes(range(32))
CJK = re.compile(r"[\u4e00-\u9fff]")
GOOD_INTAKE: dict[str, Any] = {
    "customer": "华星光电",
    "market": "国内",
    "sales_rep": "李强",
    "reported_at": datetime(2026, 11, 2, 9, 0),
    "order_no": "SO-261101",
    "part_no": "P-100",
    "ship_date": datetime(2026, 10, 20),
    "ship_qty": 1000,
    "defect_qty": 12,
    "customer_request": "退货",
    "request_qty": 12,
    "description": "外观划伤",
}
QUALITY_SECTION = {"quality_cause": "模具磨损", "responsible_unit": "制造部", "rnd_needed": "否"}


@dataclass
class Tally:
    inputs: int = 0
    refused: int = 0  # ended with at least one problem (Chinese text)
    accepted: int = 0  # ended in success
    tracebacks: int = 0
    missed: int = 0  # a value that must be refused went through
    unexplained: int = 0  # refused without Chinese text
    examples: list[str] = field(default_factory=list)

    def note(self, kind: str, text: str) -> None:
        if len(self.examples) < 20:
            self.examples.append(f"{kind}: {text[:1500]}")

    def add(self, other: Tally) -> None:
        for name in ("inputs", "refused", "accepted", "tracebacks", "missed", "unexplained"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.examples += other.examples[: max(0, 20 - len(self.examples))]

    def line(self, title: str) -> str:
        return (
            f"{title}: inputs={self.inputs} refused-with-problem={self.refused} accepted={self.accepted}"
            f" tracebacks={self.tracebacks} missed={self.missed} refused-without-chinese={self.unexplained}"
        )


# ---------------------------------------------------------------------------------------------
# Hostile values. Each generator returns (value, must_refuse).
def _random_text(rng: random.Random) -> str:
    ranges = [(0x20, 0x7E), (0x4E00, 0x9FFF), (0xFF01, 0xFF5E), (0x3000, 0x303F), (0x1F600, 0x1F64F), (0x0, 0x2FFFF)]
    lo, hi = rng.choice(ranges)
    chars = []
    for _ in range(rng.randint(0, 40)):
        c = rng.randint(lo, hi)
        chars.append(chr(c))
    return "".join(chars)


def _must_refuse_text(text: str) -> bool:
    if len(text) > MAX_CELL_TEXT:
        return True
    for ch in text:
        o = ord(ch)
        if 0xD800 <= o <= 0xDFFF or o in (0xFFFE, 0xFFFF) or (o < 32 and ch not in "\t\n\r") or 0x7F <= o <= 0x9F:
            return True
    return False


def hostile_value(rng: random.Random, kind: L.Kind) -> tuple[Any, bool]:
    """A value for a field of ``kind`` and whether the kit must refuse it."""
    pick = rng.random()
    if pick < 0.35:  # text attacks, any field
        text = rng.choice(
            [
                "\ud800",
                "abc\udfff",
                "\x00",
                "客户\x01名称",
                "\x1b[31m",
                "\x7f",
                "\ufffe",
                "划" * (MAX_CELL_TEXT + rng.randint(1, 9000)),
                "划" * MAX_CELL_TEXT,
                "ＨＵＡＸＩＮＧ　光电（深圳）有限公司",
                "第一行\r\n第二行\t制表",
                '=HYPERLINK("http://x","点我")',
                "+1+1",
                "@SUM(A1)",
                "\u200b\u202e反转",
                "😀" * 10,
                "e\u0301" * 5,
                "9" * 5000,
                " ",
                "",
                _random_text(rng),
                _random_text(rng) + chr(rng.randint(0, 31)),
            ]
        )
        return text, _must_refuse_text(text)
    if kind in (L.Kind.DATETIME, L.Kind.DATE) or pick < 0.55:
        value, bad = rng.choice(
            [
                (datetime(1, 1, 1), True),
                (datetime(1899, 12, 31), True),
                (datetime(1900, 1, 1), True),
                (datetime(9999, 12, 31, 23, 59), True),
                (datetime(2101, 1, 1), True),
                (date(1999, 12, 31), True),
                (time(9, 30), True),
                (1e20, True),
                (-1e20, True),
                (float("nan"), True),
                (float("inf"), True),
                (2958466.0, True),
                (-5, True),
                ("0001-01-01", True),
                ("1899-12-31 08:00", True),
                ("9999-12-31", True),
                ("2026-02-30", True),
                ("2026-13-01", True),
                ("２０２６-１０-２０", False),
                ("2026/10/20", False),
                (45000.5, False),
                (True, True),
            ]
        )
        return value, bad and kind in (L.Kind.DATETIME, L.Kind.DATE)
    value, bad = rng.choice(
        [
            (1e20, True),
            (10**30, True),
            (2**63, True),
            (MAX_QUANTITY_DEFAULT + 1, True),
            (float("inf"), True),
            (float("nan"), True),
            (-1, True),
            (0, False),  # a requested quantity may be 0
            (1.5, True),
            ("1,000", False),
            ("１２", False),
            ("1e5", True),
            (True, True),
            (MAX_QUANTITY_DEFAULT, False),
        ]
    )
    return value, bad and kind is L.Kind.INT


def _memory(file: str) -> MemoryBook:
    book = OpenpyxlBook.open(template_dir() / file)
    names = list(book.wb.defined_names)
    tables = {name: book.read_table(name) for name in book._tables}
    return MemoryBook(names=book.read_names(names), tables=tables, label=file)


class ValueRunner:
    """Runs hostile values through validate → accept → complete on memory books."""

    def __init__(self) -> None:
        self.form0 = _memory(L.FORM_FILE)
        self.register0 = _memory(L.REGISTER_FILE)
        self.form_bytes = (template_dir() / L.FORM_FILE).read_bytes()
        self.accept_kw = {"key": KEY} if "key" in inspect.signature(form_actions.accept_form).parameters else {}
        self.complete_kw = {"key": KEY} if "key" in inspect.signature(form_actions.complete_stage).parameters else {}

    def _books(self) -> tuple[MemoryBook, MemoryBook]:
        form = MemoryBook(names=dict(self.form0.names), tables=dict(self.form0.tables), label="fuzz.xlsx")
        reg = MemoryBook(names=dict(self.register0.names), tables=dict(self.register0.tables), label="register.xlsx")
        return form, reg

    def run_one(self, rng: random.Random, tally: Tally) -> None:
        tally.inputs += 1
        form, register = self._books()
        values = dict(GOOD_INTAKE)
        must_refuse: set[str] = set()
        intake_fields = [L.FIELD_BY_ATTR[a] for a in L.INTAKE_ATTRS]
        for _ in range(rng.randint(1, 3)):
            f = rng.choice(intake_fields)
            value, bad = hostile_value(rng, f.kind)
            values[f.attr] = value
            (must_refuse.add if bad else must_refuse.discard)(f.attr)
        section = dict(QUALITY_SECTION)
        section_bad: set[str] = set()
        if rng.random() < 0.5:
            attr = rng.choice(list(section))
            value, _ = hostile_value(rng, L.Kind.TEXT)
            section[attr] = value
            if isinstance(value, str) and _must_refuse_text(value):
                section_bad.add(attr)
        form.names.update({L.FIELD_BY_ATTR[a].name: v for a, v in values.items()})
        stage = "validate"
        try:
            refused = not self._check(form_actions.validate_form(form, now=NOW), must_refuse, tally, values, stage)
            stage = "accept"
            outcome = form_actions.accept_form(form, register, now=NOW, user="王静", **self.accept_kw)
            if not self._check(outcome, must_refuse, tally, values, stage) or refused:
                tally.refused += 1
                return
            self._roundtrip(form)
            form.names.update({L.FIELD_BY_ATTR[a].name: v for a, v in section.items()})
            stage = "complete"
            outcome = form_actions.complete_stage(
                form, stage=Stage.QUALITY, by="张敏", now=LATER, register=register, user="张敏", **self.complete_kw
            )
            if not self._check(outcome, section_bad, tally, section, stage):
                tally.refused += 1
                return
            self._roundtrip(form)
            tally.accepted += 1
        except Exception:
            tally.tracebacks += 1
            tally.note("traceback", f"{stage} {_repr(values)} {_repr(section)}\n{traceback.format_exc()}")

    def _check(self, outcome: Any, must_refuse: set[str], tally: Tally, values: dict[str, Any], stage: str) -> bool:
        """True when the step succeeded. A must-refuse field must be named by a problem; a
        refusal must carry Chinese text."""
        named = {p.field for p in outcome.problems if p.is_error}
        unnamed = must_refuse - named
        if unnamed and (outcome.ok or stage == "validate"):
            tally.missed += 1
            tally.note("missed", f"{stage} {sorted(unnamed)} {_repr({a: values[a] for a in unnamed})}")
        if outcome.ok:
            return True
        text = " ".join(p.render() for p in outcome.problems)
        if not CJK.search(text):
            tally.unexplained += 1
            tally.note("no-chinese", text)
        return False

    def _roundtrip(self, form: MemoryBook) -> None:
        """What was accepted can be written to a real workbook, saved and read back."""
        book = OpenpyxlBook(openpyxl.load_workbook(io.BytesIO(self.form_bytes)))
        names = {n: v for n, v in form.names.items() if book.has_name(n)}
        book.apply(_changes(names))
        buf = io.BytesIO()
        book.wb.save(buf)
        back = OpenpyxlBook(openpyxl.load_workbook(io.BytesIO(buf.getvalue())))
        back.read_names(list(names))


def _changes(names: dict[str, Any]) -> Any:
    from complaint_kit.ports import Changes

    return Changes(names=names)


def _repr(values: dict[str, Any]) -> str:
    return repr({k: (v[:30] + f"…({len(v)})" if isinstance(v, str) and len(v) > 30 else v) for k, v in values.items()})


# ---------------------------------------------------------------------------------------------
# Malformed workbooks
Parts = dict[str, bytes]


def write_parts(parts: Parts, *, level: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", level) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _sheet_part(parts: Parts, n: int = 1) -> str:
    return f"xl/worksheets/sheet{n}.xml"


def _bad_name_target(rng: random.Random) -> str:
    return rng.choice(
        [
            "#REF!",
            "'客户抱怨处理表'!#REF!",
            '"常量"',
            "42",
            "'客户抱怨处理表'!$A:$A",
            "'客户抱怨处理表'!$1:$1",
            "'客户抱怨处理表'!$A$1:$XFD$1048576",
            "'客户抱怨处理表'!$B$4:$D$9",
            "'流转记录'!$A$1",
            "'不存在'!$A$1",
            "'客户抱怨处理表'!$B$4,'客户抱怨处理表'!$B$5",
            "SUM(1,2)",
            "$A$1",
            "",
            "'客户抱怨处理表'!$ZZZZ$99999999",
        ]
    )


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mutate(rng: random.Random, data: bytes, kind: str) -> tuple[bytes, str, str]:
    """One malformed variant of ``data`` (a form or register file): bytes, suffix, description."""
    parts = read_parts_bytes(data)
    choice = rng.randrange(26)
    suffix = ".xlsx"
    if choice == 0:
        cut = rng.randrange(len(data))
        return data[:cut], suffix, f"truncated at {cut}"
    if choice == 1:
        out = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            out[rng.randrange(len(out))] = rng.randrange(256)
        return bytes(out), suffix, "bit flips"
    if choice == 2:  # a bomb split over many parts under any per-part limit
        n = rng.randint(20, 400)
        for k in range(n):
            parts[f"xl/media/pad{k}.bin"] = b"\0" * rng.choice([100_000, 1_000_000, 5_000_000])
        return write_parts(parts), suffix, f"zip bomb over {n} parts"
    if choice == 3:
        parts[_sheet_part(parts)] = b"<" * 1000 + b"\0" * rng.randint(1, 50_000_000)
        return write_parts(parts), suffix, "one bomb part"
    if choice == 4:
        parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0" + b"\0" * 512
        return write_parts(parts), rng.choice([".xlsx", ".xlsm"]), "macro part"
    if choice == 5:
        return data, rng.choice([".xlsm", ".xlsb", ".xls", ".csv", ".xltx", ".txt", ""]), "renamed"
    if choice == 6:
        body = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(rng.randint(0, 4000))
        if rng.random() < 0.5:
            body += "EncryptedPackage".encode("utf-16-le")
        return body, suffix, "OLE compound file"
    if choice == 7:
        return (
            rng.choice([b"", b"PK", "客户,数量\n华星,1\n".encode(), b"<html><table></table></html>", os.urandom(300)]),
            suffix,
            "not a zip",
        )
    if choice == 8:
        victim = rng.choice(list(parts))
        del parts[victim]
        return write_parts(parts), suffix, f"part {victim} removed"
    if choice == 9:
        victim = rng.choice([p for p in parts if p.endswith(".xml") or p.endswith(".rels")])
        body = parts[victim]
        parts[victim] = body[: rng.randrange(max(1, len(body)))]
        return write_parts(parts), suffix, f"part {victim} truncated"
    if choice == 10:
        victim = rng.choice([p for p in parts if p.endswith(".xml")])
        parts[victim] = rng.choice(
            [
                b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
                b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><x>&c;</x>',
                b"<a>" * 100_000,
                b"not xml at all",
                b'<?xml version="1.0" encoding="utf-16"?><x/>',
            ]
        )
        return write_parts(parts), suffix, f"part {victim} replaced by hostile XML"
    if choice == 11:
        parts = {f"p{k}.xml": b"x" for k in range(rng.randint(100, 3000))} | parts
        return write_parts(parts, level=zipfile.ZIP_STORED), suffix, "many tiny parts"
    if choice == 12:
        return write_parts({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<Types/>"}), suffix, "a Word file"
    if choice in (13, 14, 15, 16) and kind != "register":
        wb_xml = parts["xl/workbook.xml"].decode()
        names = re.findall(r'<definedName name="([^"]+)"', wb_xml)
        victims = rng.sample(names, rng.randint(1, 3))
        for v in victims:
            target = _bad_name_target(rng)
            if rng.random() < 0.1:
                wb_xml = re.sub(rf'<definedName name="{v}"[^>]*>[^<]*</definedName>', "", wb_xml)
            else:
                wb_xml = re.sub(
                    rf'(<definedName name="{v}"[^>]*>)[^<]*(</definedName>)',
                    lambda m, t=target: m.group(1) + _xml_text(t) + m.group(2),
                    wb_xml,
                )
        parts["xl/workbook.xml"] = wb_xml.encode()
        return write_parts(parts), suffix, f"defined names {victims} broken"
    if choice in (17, 18, 19, 20):
        sheet = parts[_sheet_part(parts)].decode()
        texts = re.findall(r"<t>([^<]*)</t>", sheet)
        if texts:
            victim = rng.choice(texts)
            hostile = rng.choice(
                [
                    "划" * (MAX_CELL_TEXT + 100),
                    "_x0001_控制",
                    "&#1;",
                    "\x01",
                    "&#xD800;",
                    "ＦＵＬＬ　ＷＩＤＴＨ",
                    "=1+1",
                    "x" * 100_000,
                ]
            )
            sheet = sheet.replace(f"<t>{victim}</t>", f"<t>{hostile if '&#' in hostile else _xml_text(hostile)}</t>", 1)
        sheet = re.sub(r"(<c r=\"H5\"[^>]*>)<v>[^<]*</v>", r"\1<v>1e20</v>", sheet) if rng.random() < 0.3 else sheet
        sheet = re.sub(r"(<c r=\"H4\"[^>]*>)<v>[^<]*</v>", r"\1<v>-700000</v>", sheet) if rng.random() < 0.3 else sheet
        parts[_sheet_part(parts)] = sheet.encode()
        return write_parts(parts), suffix, "hostile text inside the sheet XML"
    if choice == 21 and kind != "register":
        meta = parts.get("xl/worksheets/sheet3.xml", b"").decode()
        snapshot = rng.choice(
            [
                "{not json",
                "[" * 50_000,
                '{"settings": {"manufacturing_days": -1}, "calendar": {}}',
                "null",
                '{"settings": 1}',
                "x" * 40_000,
            ]
        )
        meta = re.sub(
            r"(<c r=\"B2\"[^>]*>)(.*?)(</c>)",
            lambda m: f'<c r="B2" t="inlineStr"><is><t>{_xml_text(snapshot)}</t></is></c>',
            meta,
            count=1,
        )
        parts["xl/worksheets/sheet3.xml"] = meta.encode()
        return write_parts(parts), suffix, "damaged _meta snapshot"
    if choice in (22, 23) and kind == "register":
        target = rng.choice([p for p in parts if p.startswith("xl/worksheets/sheet")])
        sheet = parts[target].decode()
        hostile = rng.choice(["<v>1e308</v>", "<v>-1</v>", "<is><t>abc</t></is>", "<v>1e20</v>", "<v>NaN</v>"])
        sheet = re.sub(
            r"<c r=\"B2\"([^>]*)/>",
            rf'<c r="B2" t="inlineStr">{hostile}</c>' if "<is>" in hostile else rf"<c r=\"B2\">{hostile}</c>",
            sheet,
        )
        sheet = re.sub(
            r"(<c r=\"[A-Z]+2\"[^>]*>)<v>[^<]*</v>",
            rf"\1{hostile}" if "<is>" not in hostile else r"\g<0>",
            sheet,
            count=1,
        )
        parts[target] = sheet.encode()
        return write_parts(parts), suffix, f"register sheet {target} values"
    if choice == 24 and kind == "register":
        table = rng.choice([p for p in parts if p.startswith("xl/tables/")])
        body = parts[table].decode()
        body = re.sub(
            r'ref="[^"]+"', f'ref="{rng.choice(["A1:XFD1048576", "A1:B1048576", "ZZ", "A1", "B2:A1"])}"', body
        )
        parts[table] = body.encode()
        return write_parts(parts), suffix, f"table {table} ref"
    cut = rng.randrange(len(data))
    return data[:cut] + os.urandom(rng.randint(1, 100)) + data[cut + 1 :], suffix, "spliced bytes"


def read_parts_bytes(data: bytes) -> Parts:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


class WorkbookRunner:
    """Runs malformed files through the CLI in-process (``validate``, ``accept``, ``complete``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        os.environ["COMPLAINT_KIT_KEY_FILE"] = str(folder / "signing.key")
        os.environ["COMPLAINT_KIT_LOG"] = str(folder / "cli.log")
        os.environ.setdefault("COMPLAINT_KIT_USER", "王静")
        from complaint_kit.config import create_key

        if not (folder / "signing.key").exists():
            create_key(folder / "signing.key")
        self.runner = CliRunner()
        self.register = folder / "register.xlsx"
        shutil.copyfile(template_dir() / L.REGISTER_FILE, self.register)
        self.register_bytes = self.register.read_bytes()
        self.good_form = self._good_form(folder / "good.xlsx")
        self.good_bytes = self.good_form.read_bytes()
        accepted = folder / "accepted.xlsx"
        shutil.copyfile(self.good_form, accepted)
        result = self.invoke(["accept", str(accepted), "-r", str(self.register), "--now", "2026-11-03T09:30"])
        self.accepted_bytes = accepted.read_bytes() if result[0] == 0 else None
        self.accepted_register = self.register.read_bytes()

    def _good_form(self, path: Path) -> Path:
        wb = openpyxl.load_workbook(template_dir() / L.FORM_FILE)
        book = OpenpyxlBook(wb)
        book.apply(_changes({L.FIELD_BY_ATTR[a].name: v for a, v in {**GOOD_INTAKE, **QUALITY_SECTION}.items()}))
        wb.save(path)
        return path

    def invoke(self, args: list[str]) -> tuple[int, str, BaseException | None]:
        result = self.runner.invoke(app, args, catch_exceptions=True)
        out = result.output
        with contextlib.suppress(ValueError, AttributeError):
            out += result.stderr
        exc = result.exception if not isinstance(result.exception, SystemExit) else None
        return result.exit_code, out, exc

    def run_one(self, rng: random.Random, tally: Tally, index: int) -> None:
        tally.inputs += 1
        which = rng.random()
        if which < 0.6:
            base, kind, command = self.good_bytes, "form", rng.choice(["validate", "validate", "accept"])
        elif which < 0.8 and self.accepted_bytes:
            base, kind, command = self.accepted_bytes, "form", "complete"
        else:
            base, kind, command = self.register_bytes, "register", "accept"
        try:
            data, suffix, what = mutate(rng, base, kind)
        except Exception:
            tally.tracebacks += 1
            tally.note("generator", traceback.format_exc())
            return
        path = self.folder / f"in{index % 4}{suffix}"
        if path.is_dir():
            shutil.rmtree(path)
        path.write_bytes(data)
        register = self.folder / "reg-work.xlsx"
        if kind == "register":
            register.write_bytes(data)
            form = self.folder / "form-work.xlsx"
            form.write_bytes(self.good_bytes)
            args = ["accept", str(form), "-r", str(register)]
            if suffix != ".xlsx":
                register = register.with_suffix(suffix or ".noext")
                register.write_bytes(data)
                args = ["accept", str(form), "-r", str(register)]
        else:
            register.write_bytes(self.accepted_register if command == "complete" else self.register_bytes)
            args = {
                "validate": ["validate", str(path)],
                "accept": ["accept", str(path), "-r", str(register)],
                "complete": ["complete", str(path), "--stage", "quality", "--by", "张敏", "-r", str(register)],
            }[command]
        code, out, exc = self.invoke([*args, "--now", "2026-11-03T15:00"])
        if exc is not None or code == 3:
            tally.tracebacks += 1
            detail = "".join(traceback.format_exception(exc)) if exc else _log_tail(self.folder / "cli.log")
            tally.note("traceback", f"{command} {what}: exit {code}\n{out[-500:]}\n{detail[-3000:]}")
        elif code == 0:
            tally.accepted += 1
        elif CJK.search(out):
            tally.refused += 1
        else:
            tally.unexplained += 1
            tally.note("no-chinese", f"{command} {what}: {out[-300:]}")


def _log_tail(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")[-3000:]
    except OSError:
        return "(no log)"


def run(
    *, values: int, workbooks: int, seed: int, folder: Path, progress: Callable[[str], None] | None = None
) -> tuple[Tally, Tally]:
    rng = random.Random(seed)
    v_tally, w_tally = Tally(), Tally()
    runner = ValueRunner()
    for i in range(values):
        runner.run_one(rng, v_tally)
        if progress and (i + 1) % 1000 == 0:
            progress(v_tally.line(f"values {i + 1}"))
    books = WorkbookRunner(folder)
    for i in range(workbooks):
        books.run_one(rng, w_tally, i)
        if progress and (i + 1) % 100 == 0:
            progress(w_tally.line(f"workbooks {i + 1}"))
    return v_tally, w_tally
