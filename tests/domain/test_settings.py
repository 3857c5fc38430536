"""Settings: regulation defaults in code, overrides from the 设置 sheet, validated by one model."""

from decimal import Decimal

from complaint_kit.domain.rules import Market, Stage
from complaint_kit.domain.settings import Settings, compute_settings


def test_defaults_are_the_regulations():  # C6, C17, T1, T2
    s = Settings()
    limits = s.stage_limits()
    assert limits[Stage.INTAKE].days(Market.DOMESTIC) == Decimal("0.5")
    assert limits[Stage.QUALITY].days(Market.FOREIGN) == 1
    assert limits[Stage.NEGOTIATION].days(Market.DOMESTIC) == 5
    assert limits[Stage.NEGOTIATION].days(Market.FOREIGN) == 12
    assert limits[Stage.CONSOLIDATION].days(Market.DOMESTIC) == Decimal("0.5")
    assert limits[Stage.APPROVAL].days(Market.DOMESTIC) is None
    assert (s.case_limit_days(Market.DOMESTIC), s.case_limit_days(Market.FOREIGN)) == (13, 17)
    assert s.calendar().day_minutes == 480


def test_an_override_typed_as_a_number_cell_is_taken():
    s, problems = compute_settings({"negotiation_domestic_days": 4.0, "intake_days": 0.25, "work_hours": ""})
    assert problems == []
    assert s.negotiation_domestic_days == 4 and s.intake_days == Decimal("0.25")
    assert s.work_hours == Settings().work_hours  # blank keeps the default


def test_an_invalid_value_is_a_problem_naming_the_setting_and_defaults_stay():
    s, problems = compute_settings({"work_hours": "8-12", "quality_days": -1})
    assert {p.field for p in problems} == {"work_hours", "quality_days"}
    assert all("设置项" in p.zh for p in problems)
    assert s == Settings()


def test_an_unknown_key_is_reported():
    _, problems = compute_settings({"qualty_days": 2})
    assert [p.code for p in problems] == ["E-SETTING-UNKNOWN"]
