"""Settings: the defaults of regulation.md, overridable row by row in the 设置 sheet.

One pydantic model validates both the defaults in code and the values an administrator typed;
an invalid value is a :class:`Problem` naming the setting (the action layer adds the cell).
Each field carries its Chinese label and the rule it implements, so the 设置 sheet, the docs and
the validation all come from here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, time
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from .allocation import MINOR_DEMERIT_AMOUNT, MONTHLY_CAP_RATIO, WARNING_AMOUNT, MoneyRules
from .calendar import DayKind, NoOfficialHolidays, OfficialHolidays, WorkCalendar, WorkWindow
from .mail import parse_domains
from .problems import Problem, problem
from .rules import DEFAULT_STAGE_LIMITS, CaseLimitBasis, Market, Stage, StageLimit

if TYPE_CHECKING:
    from .authority import AuthorityTier

MAX_QUANTITY_DEFAULT = 100_000_000  # one shipment of 1亿 pieces is already implausible; 1e20 is a typo


def _meta(zh: str, rule: str, help_zh: str) -> dict[str, Any]:
    return {"zh": zh, "rule": rule, "help": help_zh}


class Settings(BaseModel):
    """Every rule default the kit uses. Field order is the order of the 设置 sheet."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    work_hours: str = Field(
        "08:30-12:00,13:00-17:30",
        json_schema_extra=_meta("工作时段", "T1", "每天的工作时段，逗号分隔，如 08:30-12:00,13:00-17:30"),
    )
    work_weekdays: str = Field(
        "1,2,3,4,5", json_schema_extra=_meta("每周工作日", "T1", "1=周一 … 7=周日；国家调休以官方数据为准")
    )
    confirmed_holiday_years: str = Field(
        "",
        json_schema_extra=_meta(
            "已人工录入节假日的年份", "T1", "官方数据尚未覆盖、已在 日历 表录入节假日与调休的年份，逗号分隔，如 2027"
        ),
    )
    timezone: str = Field("Asia/Shanghai", json_schema_extra=_meta("时区", "T4", "所有时间均为公司当地时间"))
    intake_days: Decimal = Field(
        Decimal("0.5"), gt=0, json_schema_extra=_meta("业务送件时限(工作日)", "C6.1", "客户反映至总经理室收件")
    )
    quality_days: Decimal = Field(
        Decimal(1), gt=0, json_schema_extra=_meta("品管分析时限(工作日)", "C6.3", "原因分析、责任单位")
    )
    manufacturing_days: Decimal = Field(
        Decimal(1), gt=0, json_schema_extra=_meta("制造对策时限(工作日)", "C6.4", "原因、对策、经理室意见")
    )
    rnd_days: Decimal = Field(Decimal(1), gt=0, json_schema_extra=_meta("研发意见时限(工作日)", "C6.5", "需要时"))
    negotiation_domestic_days: Decimal = Field(
        Decimal(5), gt=0, json_schema_extra=_meta("业务协商时限-国内(工作日)", "C6.6", "与客户协商并记录结果")
    )
    negotiation_foreign_days: Decimal = Field(
        Decimal(12), gt=0, json_schema_extra=_meta("业务协商时限-国外(工作日)", "C6.6", "与客户协商并记录结果")
    )
    consolidation_days: Decimal = Field(
        Decimal("0.5"),
        gt=0,
        json_schema_extra=_meta("总经理室汇总时限(工作日)", "C6.7", "原文另有“1天”，取较严的 0.5 天"),
    )
    case_limit_domestic_days: int = Field(
        13, gt=0, json_schema_extra=_meta("结案总时限-国内(天)", "C17", "自总经理室受理起算")
    )
    case_limit_foreign_days: int = Field(
        17, gt=0, json_schema_extra=_meta("结案总时限-国外(天)", "C17", "自总经理室受理起算")
    )
    case_limit_basis: CaseLimitBasis = Field(
        CaseLimitBasis.CALENDAR,
        json_schema_extra=_meta("结案总时限计算方式", "T2", "calendar=日历天(默认) / working=工作日"),
    )
    due_soon_hours: Decimal = Field(
        Decimal(4),
        ge=0,
        json_schema_extra=_meta("即将到期提醒(工作小时)", "C18", "剩余工作时间不超过此值时标为即将到期"),
    )
    case_no_serial_width: int = Field(
        2,
        ge=2,
        le=6,
        json_schema_extra=_meta("客诉编号流水号位数", "C3", "编号=年2位+月2位+流水号；每月用尽时加大此值"),
    )
    max_quantity: int = Field(
        MAX_QUANTITY_DEFAULT,
        ge=1,
        le=10**15,  # Excel keeps 15 significant digits
        json_schema_extra=_meta("数量上限(件)", "C4", "出货、不良、要求数量超过此值视为输入错误"),
    )

    # -- money, approval, returns (issue 7; the domain modules take them as MoneyRules and tables)
    warning_amount: Decimal = Field(
        WARNING_AMOUNT, ge=0, json_schema_extra=_meta("警告折算金额(元)", "P4", "每次警告折算的扣款，制度规定至少 400")
    )
    minor_demerit_amount: Decimal = Field(
        MINOR_DEMERIT_AMOUNT,
        ge=0,
        json_schema_extra=_meta("小过折算金额(元/基数)", "P4", "小过每个处分基数折算的扣款，制度规定至少 800"),
    )
    monthly_cap_ratio: Decimal = Field(
        MONTHLY_CAP_RATIO,
        gt=0,
        le=1,
        json_schema_extra=_meta(
            "每月扣款上限(占当月效率奖金)", "E4", "每人每月扣款不超过当月效率奖金的此比例，余额结转下月"
        ),
    )
    authority_sales_manager_below: Decimal = Field(
        Decimal(10_000),
        gt=0,
        json_schema_extra=_meta("业务经理核决上限(元，不含)", "C10", "损失低于此金额由业务经理核决"),
    )
    authority_deputy_gm_below: Decimal = Field(
        Decimal(100_000),
        gt=0,
        json_schema_extra=_meta("副总经理核决上限(元，不含)", "C10", "损失低于此金额由副总经理核决，以上由总经理核决"),
    )
    over_acceptance_ratio: Decimal = Field(
        Decimal("0.05"),
        ge=0,
        le=1,
        json_schema_extra=_meta("超量允收比率(公司默认)", "R3", "实收超过核准数量在此比例内照实收入账"),
    )
    resale_window_months: int = Field(
        1, ge=1, le=12, json_schema_extra=_meta("转售期限(月)", "P1", "退回品自核决起此期限内转售，以差价计损失")
    )
    mail_domains: str = Field(
        "",
        json_schema_extra=_meta(
            "公司邮箱域名",
            "C13",
            "表单邮件只可发往这些域名，逗号分隔，如 hx-pcb.com；留空则不生成邮件草稿（客户不得收到本表）",
        ),
    )

    # -- validators -------------------------------------------------------------------------
    @field_validator("authority_deputy_gm_below")
    @classmethod
    def _check_authority_order(cls, value: Decimal, info: ValidationInfo) -> Decimal:
        lower = info.data.get("authority_sales_manager_below")
        if lower is not None and value <= lower:
            raise ValueError(f"须高于业务经理核决上限 {lower} — must exceed the sales manager's limit {lower}")
        return value

    @field_validator("work_hours")
    @classmethod
    def _check_hours(cls, value: str) -> str:
        parse_windows(value)
        return value

    @field_validator("work_weekdays")
    @classmethod
    def _check_weekdays(cls, value: str) -> str:
        parse_int_list(value, low=1, high=7)
        return value

    @field_validator("mail_domains")
    @classmethod
    def _check_domains(cls, value: str) -> str:
        parse_domains(value)
        return value

    @field_validator("confirmed_holiday_years")
    @classmethod
    def _check_years(cls, value: str) -> str:
        parse_int_list(value, low=2000, high=2100)
        return value

    # -- derived tables -----------------------------------------------------------------------
    def mail_domain_list(self) -> tuple[str, ...]:
        """C13: the domains a form may be mailed to."""
        return parse_domains(self.mail_domains)

    def money_rules(self) -> MoneyRules:
        """P4 and E4 as the allocation and ledger modules take them."""
        return MoneyRules(
            warning_amount=self.warning_amount,
            minor_demerit_amount=self.minor_demerit_amount,
            monthly_cap_ratio=self.monthly_cap_ratio,
        )

    def authority_table(self) -> tuple[AuthorityTier, ...]:
        """C10: who approves a loss, lowest level first."""
        from .authority import ApprovalLevel, AuthorityTier

        return (
            AuthorityTier(self.authority_sales_manager_below, ApprovalLevel.SALES_MANAGER),
            AuthorityTier(self.authority_deputy_gm_below, ApprovalLevel.DEPUTY_GM),
            AuthorityTier(None, ApprovalLevel.GM),
        )

    def stage_limits(self) -> dict[Stage, StageLimit]:
        """The C6 table with this settings' overrides applied (built once per settings: every
        deadline of a refresh asks for it)."""
        return _stage_limits(self)

    def _build_stage_limits(self) -> dict[Stage, StageLimit]:
        days = {
            Stage.INTAKE: (self.intake_days, self.intake_days),
            Stage.QUALITY: (self.quality_days, self.quality_days),
            Stage.MANUFACTURING: (self.manufacturing_days, self.manufacturing_days),
            Stage.RND: (self.rnd_days, self.rnd_days),
            Stage.NEGOTIATION: (self.negotiation_domestic_days, self.negotiation_foreign_days),
            Stage.CONSOLIDATION: (self.consolidation_days, self.consolidation_days),
        }
        table = {}
        for row in DEFAULT_STAGE_LIMITS:
            domestic, foreign = days.get(row.stage, (None, None))
            table[row.stage] = StageLimit(row.stage, domestic, foreign, row.rule)
        return table

    def case_limit_days(self, market: Market) -> int:
        return self.case_limit_domestic_days if market is Market.DOMESTIC else self.case_limit_foreign_days

    def windows(self) -> tuple[WorkWindow, ...]:
        return parse_windows(self.work_hours)

    def weekday_indexes(self) -> tuple[int, ...]:
        return tuple(d - 1 for d in parse_int_list(self.work_weekdays, low=1, high=7))

    def calendar(
        self,
        company_days: Mapping[date, DayKind] | None = None,
        *,
        official: OfficialHolidays | None = None,
    ) -> WorkCalendar:
        return WorkCalendar(
            windows=self.windows(),
            weekdays=self.weekday_indexes(),
            official=official,
            company_days=company_days,
            confirmed_years=parse_int_list(self.confirmed_holiday_years, low=2000, high=2100),
        )


SETTING_KEYS: tuple[str, ...] = tuple(Settings.model_fields)


def setting_meta(key: str) -> dict[str, str]:
    extra = Settings.model_fields[key].json_schema_extra
    assert isinstance(extra, dict)
    return {k: str(v) for k, v in extra.items()}


def default_value_text(key: str) -> str:
    value = Settings.model_fields[key].default
    return str(value.value if hasattr(value, "value") else value)


def compute_settings(overrides: Mapping[str, Any]) -> tuple[Settings, list[Problem]]:
    """Defaults overridden by the 设置 sheet. Blank values keep the default; an unknown key or
    an invalid value is a problem naming the key, and then the defaults are returned."""
    unknown = [problem("E-SETTING-UNKNOWN", field=k, key=k) for k in overrides if k not in Settings.model_fields]
    known = {k: v for k, v in overrides.items() if k in Settings.model_fields}
    settings, problems = validated_overrides(Settings, known)
    return settings, unknown + problems


M = TypeVar("M", bound=BaseModel)


def validated_overrides(model: type[M], overrides: Mapping[str, Any]) -> tuple[M, list[Problem]]:
    """``model`` (a settings model whose fields carry ``zh`` labels) with the values typed in a
    设置 sheet: blank keeps the default, a float typed in a cell is read exactly, text is trimmed.
    An invalid value is E-SETTING-INVALID naming its key and label, and then the defaults hold."""
    clean: dict[str, Any] = {}
    for key, value in overrides.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if isinstance(value, float):
            value = Decimal(repr(value))  # 0.5 typed in a cell arrives as a float
        clean[key] = value.strip() if isinstance(value, str) else value
    try:
        return model(**clean), []
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            key = str(err["loc"][0])  # every field error has a location
            field = model.model_fields.get(key)
            extra = field.json_schema_extra if field is not None else None
            label = str(extra["zh"]) if isinstance(extra, dict) else key
            problems.append(
                problem("E-SETTING-INVALID", field=key, label=label, key=key, value=clean.get(key), reason=err["msg"])
            )
        return model(), problems


_WINDOW = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def parse_windows(text: str) -> tuple[WorkWindow, ...]:
    """``"08:30-12:00,13:00-17:30"`` → windows; raises ValueError with the bad part."""
    windows = []
    for part in text.replace("，", ",").split(","):
        if not part.strip():
            continue
        m = _WINDOW.match(part)
        if not m:
            raise ValueError(f"working window {part!r} is not HH:MM-HH:MM")
        h1, m1, h2, m2 = map(int, m.groups())
        if not (0 <= h1 <= 23 and 0 <= h2 <= 23 and m1 < 60 and m2 < 60):
            raise ValueError(f"working window {part!r} is not a time of day")
        windows.append(WorkWindow(time(h1, m1), time(h2, m2)))
    if not windows:
        raise ValueError("at least one working window is needed")
    WorkCalendar(windows=windows, official=NoOfficialHolidays())  # order / overlap checks
    return tuple(windows)


def parse_int_list(text: str, *, low: int, high: int) -> tuple[int, ...]:
    values = []
    for part in str(text).replace("，", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if part.endswith(".0"):  # a number cell read back as float text
            part = part[:-2]
        if not part.isdigit() or not low <= int(part) <= high:
            raise ValueError(f"{part!r} is not a whole number between {low} and {high}")
        values.append(int(part))
    return tuple(values)


@lru_cache(maxsize=64)
def _stage_limits(settings: Settings) -> dict[Stage, StageLimit]:
    return settings._build_stage_limits()
