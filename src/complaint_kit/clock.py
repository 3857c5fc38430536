"""The clock, read only at the edges (CLI, add-in) and passed inward as ``now`` (rule T4)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Asia/Shanghai"


def company_now(timezone: str = DEFAULT_TIMEZONE) -> datetime:
    """Naive company wall time, to the minute."""
    return datetime.now(ZoneInfo(timezone)).replace(tzinfo=None, second=0, microsecond=0)


def to_company_time(value: datetime, timezone: str = DEFAULT_TIMEZONE) -> datetime:
    """An aware instant converted to naive company time; a naive one is taken as company time."""
    if value.tzinfo is not None:
        value = value.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)
    return value.replace(microsecond=0)
