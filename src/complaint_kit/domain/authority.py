"""Approval authority (核决权限, rule C10): which level must approve a decided loss, and whether an
approver may.

The regulation names the levels (业务经理, 副总经理, 总经理: "依据核决权限分送业务部经理、副总经理或
总经理核决") but the source text gives no amounts. Our defaults (regulation.md C10): a loss below
10,000 → 业务经理; below 100,000 → 副总经理; otherwise → 总经理. A limit is exclusive: exactly
10,000.00 goes to the deputy GM. A higher level may always approve what a lower one may.

>>> compute_required_level(Decimal("9999.99")), compute_required_level(Decimal("10000"))
(<ApprovalLevel.SALES_MANAGER: '业务经理'>, <ApprovalLevel.DEPUTY_GM: '副总经理'>)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise

from .problems import Problem, problem


class ApprovalLevel(StrEnum):
    """核决级别, lowest first (the 人员 sheet's column)."""

    SALES_MANAGER = "业务经理"
    DEPUTY_GM = "副总经理"
    GM = "总经理"

    @property
    def rank(self) -> int:
        return tuple(ApprovalLevel).index(self)


@dataclass(frozen=True, slots=True)
class AuthorityTier:
    """A row of the authority table: a loss strictly ``below`` the amount (None: any amount) is
    approved at ``level`` or above."""

    below: Decimal | None
    level: ApprovalLevel
    rule: str = "C10"


DEFAULT_AUTHORITY: tuple[AuthorityTier, ...] = (
    AuthorityTier(Decimal(10_000), ApprovalLevel.SALES_MANAGER),
    AuthorityTier(Decimal(100_000), ApprovalLevel.DEPUTY_GM),
    AuthorityTier(None, ApprovalLevel.GM),
)


def check_authority_table(table: Sequence[AuthorityTier]) -> list[Problem]:
    """A usable table: amounts positive and rising, levels never falling, the last row open (None)
    and only the last."""
    found = []
    limits = [tier.below for tier in table]
    closed = [limit for limit in limits[:-1] if limit is not None]
    if not table or limits[-1] is not None or len(closed) != len(limits) - 1:
        found.append(
            problem(
                "E-AUTHORITY-TABLE", reason_zh="最后一行（且仅最后一行）不设上限", reason="only the last row is open"
            )
        )
    if any(limit <= 0 for limit in closed) or any(a >= b for a, b in pairwise(closed)):
        found.append(
            problem("E-AUTHORITY-TABLE", reason_zh="金额须为正且逐行递增", reason="amounts must be positive and rising")
        )
    ranks = [tier.level.rank for tier in table]
    if any(a > b for a, b in pairwise(ranks)):
        found.append(problem("E-AUTHORITY-TABLE", reason_zh="核决级别不能逐行降低", reason="levels must not fall"))
    return found


def compute_required_level(loss: Decimal, *, table: Sequence[AuthorityTier] = DEFAULT_AUTHORITY) -> ApprovalLevel:
    """The lowest level that may approve ``loss`` (C10). ``table`` must pass
    :func:`check_authority_table`; a negative loss is a bug."""
    if loss < 0:
        raise ValueError(f"a loss is never negative: {loss}")
    return next(tier.level for tier in table if tier.below is None or loss < tier.below)


def check_approver(
    loss: Decimal,
    *,
    approver: str,
    level: ApprovalLevel | None,
    table: Sequence[AuthorityTier] = DEFAULT_AUTHORITY,
) -> list[Problem]:
    """Refuses an approver whose 核决级别 (None: blank in the roster) is below the one ``loss`` needs."""
    required = compute_required_level(loss, table=table)
    if level is not None and level.rank >= required.rank:
        return []
    return [
        problem(
            "E-APPROVER-LEVEL",
            field="approval_by",
            approver=approver,
            level=level.value if level else "无",
            level_en=_english(level) if level else "none",
            required=required.value,
            required_en=_english(required),
            loss=loss,
        )
    ]


def _english(level: ApprovalLevel) -> str:
    """A level as an English message says it: ``sales manager``, ``deputy GM``, ``GM``."""
    return level.name.replace("_", " ").lower().replace("gm", "GM")
