"""The rules an action works under: settings and the working calendar, from the register's
设置/日历 sheets, or from the snapshot a form carries since its acceptance."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .. import layout as L
from ..domain.calendar import DayKind, WorkCalendar
from ..domain.mail import address_domain
from ..domain.problems import Problem, problem
from ..domain.settings import Settings, compute_settings, setting_meta
from ..domain.values import MAX_CELL_TEXT, FieldReader, fold, is_blank, shown, to_text
from ..ports import Book


class SnapshotError(ValueError):
    """The form's hidden settings snapshot (``_meta`` sheet) is damaged or was edited by hand:
    the form's deadlines cannot be trusted. Carries the problem to show (the CLI prints it)."""

    def __init__(self, cause: BaseException) -> None:
        reason = shown(f"{type(cause).__name__}: {cause}", 80)
        self.problems = [problem("E-BAD-SNAPSHOT", sheet=L.META_SHEET, reason=reason)]
        super().__init__(f"{self.problems[0].zh} — {self.problems[0].en}")


@dataclass
class Rules:
    settings: Settings
    company_days: dict[date, DayKind]
    calendar: WorkCalendar
    directory: dict[str, tuple[str, ...]] = field(default_factory=dict)  # 部门 → mail addresses (issue 9)

    @classmethod
    def of(
        cls,
        settings: Settings,
        company_days: dict[date, DayKind] | None = None,
        directory: dict[str, tuple[str, ...]] | None = None,
    ) -> Rules:
        days = dict(company_days or {})
        return cls(settings, days, settings.calendar(days), dict(directory or {}))

    def snapshot(self) -> str:
        """JSON kept in the form's hidden meta sheet so departments compute the same deadlines
        as the GM office, without the register at hand."""
        return json.dumps(
            {
                "settings": self.settings.model_dump(mode="json"),
                "calendar": {d.isoformat(): k.value for d, k in sorted(self.company_days.items())},
                **({"directory": {k: list(v) for k, v in sorted(self.directory.items())}} if self.directory else {}),
            },
            ensure_ascii=False,
            sort_keys=True,
        )

    @classmethod
    def from_snapshot(cls, text: str) -> Rules:
        """Raises :class:`SnapshotError` for anything that is not a snapshot we wrote (invalid
        JSON, wrong shape, a setting out of range, a nested bomb)."""
        try:
            data = json.loads(text)
            settings = Settings(**data["settings"])
            days = {date.fromisoformat(d): DayKind(k) for d, k in data["calendar"].items()}
            directory = {str(k): tuple(str(a) for a in v) for k, v in data.get("directory", {}).items()}
            return cls.of(settings, days, directory)
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
            raise SnapshotError(exc) from None

    def calendar_warnings(self) -> list[Problem]:
        return calendar_warnings(self.calendar)


def calendar_warnings(calendar: WorkCalendar) -> list[Problem]:
    """T1: a year without official holiday data is a visible warning, naming the sheet."""
    key = "confirmed_holiday_years"
    return [
        problem(
            "W-NO-HOLIDAY-DATA",
            year=year,
            calendar_sheet=L.CALENDAR_SHEET,
            settings_sheet=L.SETTINGS_SHEET,
            setting_label=setting_meta(key)["zh"],
            setting_key=key,
        )
        for year in calendar.missing_years
    ]


def load_rules(register: Book) -> tuple[Rules, list[Problem]]:
    """Settings and company calendar from the register; problems point at their cells."""
    problems: list[Problem] = []
    table = register.read_table(L.SETTINGS_TABLE)
    key_h, value_h = L.SETTINGS_HEADERS[0], L.SETTINGS_HEADERS[2]
    overrides: dict[str, Any] = {}
    rows: dict[str, int] = {}
    for i, rec in enumerate(table.records()):
        key = str(rec.get(key_h) or "").strip()
        if not key:
            continue
        overrides[key] = rec.get(value_h)
        rows[key] = i
    settings, found = compute_settings(overrides)
    for p in found:
        where = register.locate_table_cell(L.SETTINGS_TABLE, rows[p.field], value_h) if p.field in rows else None
        problems.append(p.at(where))

    days, found = read_company_days(register)
    problems += found
    directory, found = read_directory(register)
    return Rules.of(settings, days, directory), problems + found


def read_company_days(book: Book) -> tuple[dict[date, DayKind], list[Problem]]:
    """The company's own days off and extra working days (日历, T1), problems at their cells."""
    problems: list[Problem] = []
    cal = book.read_table(L.CALENDAR_TABLE)
    days: dict[date, DayKind] = {}
    d_h, k_h = L.CALENDAR_HEADERS[0], L.CALENDAR_HEADERS[1]
    for i, rec in enumerate(cal.records()):
        if is_blank(rec.get(d_h)) and is_blank(rec.get(k_h)):
            continue
        reader = FieldReader({"day": rec.get(d_h), "kind": rec.get(k_h)}, {"day": d_h, "kind": k_h})
        day = reader.day("day")
        kind = reader.choice("kind", DayKind)
        for p in reader.problems:
            header = d_h if p.field == "day" else k_h
            problems.append(p.at(book.locate_table_cell(L.CALENDAR_TABLE, i, header)))
        if day and kind:
            days[day] = kind
    return days, problems


_ADDRESSES = re.compile(r"[^\s<>;,\"'()]+@[^\s<>;,\"'()]+")  # each address in a cell, names around it left


def read_directory(register: Book) -> tuple[dict[str, tuple[str, ...]], list[Problem]]:
    """邮件通讯录 (table ``Mailboxes`` on 设置, issue 9): 部门 → addresses, as typed: full-width
    folded, several in one cell (``a@x; b@x``), a name pasted from Outlook (``王静 <w@x>``). A
    register without the table (before issue 9) has none. A bad row or an address outside the
    company's domains is a warning at its cell, never a reason to stop the work (the drafts that
    would use it are refused, C13)."""
    try:
        table = register.read_table(L.MAILBOXES_TABLE)
    except KeyError:
        return {}, []
    dept_h, _, mail_h = L.MAILBOXES_HEADERS
    directory: dict[str, list[str]] = {}
    problems: list[Problem] = []
    for i, rec in enumerate(table.records()):
        dept, cell = fold(to_text(rec.get(dept_h))), fold(to_text(rec.get(mail_h)))
        if not dept and not cell:
            continue
        if dept not in L.MAIL_DEPARTMENTS:
            where = register.locate_table_cell(L.MAILBOXES_TABLE, i, dept_h)
            allowed = "、".join(L.MAIL_DEPARTMENTS)
            problems.append(problem("W-MAIL-DEPARTMENT", where=where, value=shown(dept), allowed=allowed))
            continue
        found = [a for a in _ADDRESSES.findall(cell) if address_domain(a) is not None]
        if not found:
            where = register.locate_table_cell(L.MAILBOXES_TABLE, i, mail_h)
            problems.append(problem("W-MAIL-ADDRESS", where=where, value=shown(cell)))
        else:
            directory.setdefault(dept, []).extend(found)
    return {k: tuple(dict.fromkeys(v)) for k, v in directory.items()}, problems


def form_rules(form: Book) -> Rules | None:
    """The snapshot written at acceptance, or None for a form not yet accepted; a damaged one
    raises :class:`SnapshotError` (its problem names the sheet)."""
    text = form.read_names([L.META_SETTINGS])[L.META_SETTINGS]
    if is_blank(text):
        return None
    reason = check_snapshot_text(text)
    try:
        if reason:
            raise SnapshotError(ValueError(reason))
        return Rules.from_snapshot(str(text))
    except SnapshotError as exc:
        exc.problems = [p.at(f"{form.label} {form.locate_name(L.META_SETTINGS)}") for p in exc.problems]
        raise


def check_snapshot_text(text: object) -> str | None:
    """Why a snapshot cell cannot be one of ours before parsing it (not text, too long)."""
    if not isinstance(text, str):
        return f"not text but {type(text).__name__}"
    return None if len(text) <= MAX_CELL_TEXT else f"{len(text):,} characters"
