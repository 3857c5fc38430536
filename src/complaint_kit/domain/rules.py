"""Rules as data: the complaint stages, their limits and who holds the form (rules C6, C17, T2).

Code says *how* (walk the calendar); these tables say *what*. Every default can be overridden in
the register's 设置 sheet (see :mod:`complaint_kit.domain.settings`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Market(StrEnum):
    DOMESTIC = "国内"
    FOREIGN = "国外"


class Stage(StrEnum):
    """The stages of a complaint form, in routing order (C6). Values are CLI spellings."""

    INTAKE = "intake"
    QUALITY = "quality"
    MANUFACTURING = "manufacturing"
    RND = "rnd"
    NEGOTIATION = "negotiation"
    CONSOLIDATION = "consolidation"
    APPROVAL = "approval"

    @property
    def zh(self) -> str:
        return STAGE_ZH[self]

    @property
    def holder(self) -> Department:
        return STAGE_HOLDER[self]


class Department(StrEnum):
    SALES = "业务部"
    GM_OFFICE = "总经理室"
    QUALITY = "质量管理部"
    MANUFACTURING = "制造部"
    RND = "研发部"


STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)

STAGE_ZH: dict[Stage, str] = {
    Stage.INTAKE: "业务送件",
    Stage.QUALITY: "品管分析",
    Stage.MANUFACTURING: "制造对策",
    Stage.RND: "研发意见",
    Stage.NEGOTIATION: "业务协商",
    Stage.CONSOLIDATION: "总经理室汇总",
    Stage.APPROVAL: "核决",
}

# 责任单位 (C6.3, C7): whom Quality names as responsible; the form's drop-down and its check
RESPONSIBLE_UNITS = ("业务部", "质量管理部", "制造部", "研发部", "服务部", "成品仓储", "供应商", "客户", "其他")

# Who holds the form while a stage is open: the department a 催办单 (C18) goes to.
STAGE_HOLDER: dict[Stage, Department] = {
    Stage.INTAKE: Department.SALES,
    Stage.QUALITY: Department.QUALITY,
    Stage.MANUFACTURING: Department.MANUFACTURING,
    Stage.RND: Department.RND,
    Stage.NEGOTIATION: Department.SALES,
    Stage.CONSOLIDATION: Department.GM_OFFICE,
    Stage.APPROVAL: Department.GM_OFFICE,
}


class CaseLimitBasis(StrEnum):
    """T2: how the total case limit (C17) is counted."""

    CALENDAR = "calendar"
    WORKING = "working"


class CustomerRequest(StrEnum):
    """The customer's request at intake (C4)."""

    RETURN = "退货"
    EXCHANGE = "换货"
    ALLOWANCE = "折让"
    COMPENSATION = "赔偿"
    REWORK = "重工"
    UNDETERMINED = "客户加工中未确定"


# Requests that move goods need a quantity; C4 allows "undetermined" while the customer processes.
REQUESTS_NEEDING_QTY = frozenset({CustomerRequest.RETURN, CustomerRequest.EXCHANGE, CustomerRequest.REWORK})


class YesNo(StrEnum):
    YES = "是"
    NO = "否"


@dataclass(frozen=True, slots=True)
class StageLimit:
    """A row of the stage-limit table: working days, per market when they differ."""

    stage: Stage
    domestic_days: Decimal | None
    foreign_days: Decimal | None
    rule: str

    def days(self, market: Market) -> Decimal | None:
        return self.domestic_days if market is Market.DOMESTIC else self.foreign_days


# Defaults (C6). ``None``: the stage has no limit of its own (approval runs under C17's total).
DEFAULT_STAGE_LIMITS: tuple[StageLimit, ...] = (
    StageLimit(Stage.INTAKE, Decimal("0.5"), Decimal("0.5"), "C6.1"),
    StageLimit(Stage.QUALITY, Decimal(1), Decimal(1), "C6.3"),
    StageLimit(Stage.MANUFACTURING, Decimal(1), Decimal(1), "C6.4"),
    StageLimit(Stage.RND, Decimal(1), Decimal(1), "C6.5"),
    StageLimit(Stage.NEGOTIATION, Decimal(5), Decimal(12), "C6.6"),
    StageLimit(Stage.CONSOLIDATION, Decimal("0.5"), Decimal("0.5"), "C6.7"),
    StageLimit(Stage.APPROVAL, None, None, "C6.8"),
)
