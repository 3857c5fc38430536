"""Problems are data: what a validator found, in Chinese for the clerk and English beside it.

Exceptions are for bugs and I/O failures; a clerk's typo is a :class:`Problem` (STYLE.md,
after beancount's ``(entries, errors)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "错误"
    WARNING = "警告"


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding. ``field`` is a domain attribute (``customer``) or a settings key;
    adapters turn it into a defined name and a cell address for the message."""

    code: str
    zh: str
    en: str
    field: str | None = None
    severity: Severity = Severity.ERROR
    rule: str | None = None
    where: str | None = None  # filled by the action layer: "Sheet!B5" or "Table[col] row n"
    row: int | None = None  # a table row (1-based) the problem is about, when its ``row`` param says so

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def at(self, where: str | None) -> Problem:
        """The same problem, pointing at a cell."""
        return Problem(self.code, self.zh, self.en, self.field, self.severity, self.rule, where, self.row)

    def render(self) -> str:
        """``错误 [E-REQUIRED] 客户抱怨处理表!B4: 客户 必填 — Customer is required``"""
        place = f" {self.where}" if self.where else ""
        rule = f" (规则 rule {self.rule})" if self.rule else ""
        return f"{self.severity.value} [{self.code}]{place}: {self.zh} — {self.en}{rule}"


@dataclass(frozen=True, slots=True)
class Entry:
    """One code of the catalogue: the Chinese and English texts (``str.format`` templates over
    the keyword arguments of :func:`problem`), the rule it enforces, and its severity."""

    zh: str
    en: str
    rule: str | None = None
    severity: Severity = Severity.ERROR


class UnknownCode(KeyError):
    """A code that is not in the catalogue: a bug, caught by the tests."""


def problem(
    code: str, *, field: str | None = None, rule: str | None = None, where: str | None = None, **params: object
) -> Problem:
    """The one way a :class:`Problem` is made: its texts, rule and severity come from the catalogue
    (:mod:`complaint_kit.domain.catalogue`); ``params`` fill the templates; ``rule`` overrides the
    catalogue's where one check serves several rules.

    >>> problem("E-REQUIRED", field="customer", label="客户名称", attr="customer").zh
    '客户名称：必填'
    """
    from .catalogue import CATALOGUE

    try:
        entry = CATALOGUE[code]
    except KeyError:
        raise UnknownCode(code) from None
    row = params.get("row")
    return Problem(
        code,
        entry.zh.format(**params),
        entry.en.format(**params),
        field,
        entry.severity,
        rule or entry.rule,
        where,
        row if isinstance(row, int) else None,
    )
