"""The service desk's words (rules S1, S2, S4, S13, S15): categories, zones, a call's states, an
arrival's verdicts, settlements and survey levels. Only enums, so the layout module (read on every
ribbon click) builds its drop-downs from them without importing the rules' machinery."""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    """S1: every job and every time entry carries one category."""

    PAID = "A 有费服务"
    CONTRACT = "B 合同服务"
    FREE = "C 免费服务"
    ADMIN = "D 一般行政工作"

    @property
    def letter(self) -> str:
        return self.value[0]

    @property
    def zh(self) -> str:
        return self.value[2:]


class Zone(StrEnum):
    """S13: the arrival limit depends on where the customer is."""

    CITY = "市区"
    SUBURB = "郊区"


class CallStatus(StrEnum):
    """S2, S3, S12: logged → dispatched → arrived → 注销 (the customer signed the voucher)."""

    LOGGED = "待派工"
    DISPATCHED = "已派工"
    ARRIVED = "已到达"
    CLOSED = "已注销"


class Arrival(StrEnum):
    """S13 at ``now``: before arrival 正常 / 即将到期 / 逾期, after it 按时到达 / 迟到."""

    ON_TIME = "正常"
    DUE_SOON = "即将到期"
    OVERDUE = "逾期"
    ARRIVED_ON_TIME = "按时到达"
    ARRIVED_LATE = "迟到"


class Settlement(StrEnum):
    """S4 / S7: how paid work is settled."""

    NONE = "不收费"
    ON_SITE = "现场收费"  # a small fee, handed to the accountant; invoice sent afterwards
    INVOICE = "开票请款"  # an invoice issued the same day (S4) or on the return day (S7)


class Level(StrEnum):
    """S15: the four levels of every survey item, with their default scores."""

    VERY_SATISFIED = "很满意"
    SATISFIED = "满意"
    DISSATISFIED = "不满意"
    VERY_DISSATISFIED = "很不满意"
