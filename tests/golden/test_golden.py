"""Golden files: the templates, the demo register and the demo's service centre, normalised,
compared with committed JSON.

Regenerate after a deliberate change and review the diff:
    UPDATE_GOLDEN=1 uv run pytest tests/golden
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from complaint_kit import layout as L
from complaint_kit.demo import run_demo
from complaint_kit.templates import build_templates, template_dir
from tests.golden.describe import describe_workbook

HERE = Path(__file__).parent


def check_golden(name: str, data: dict) -> None:
    path = HERE / f"{name}.json"
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True, default=str)
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text + "\n", encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run UPDATE_GOLDEN=1 uv run pytest tests/golden"
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(text)


@pytest.mark.parametrize("file", [L.FORM_FILE, L.REGISTER_FILE, L.SERVICE_FILE])
def test_committed_templates_match_the_layout(file, tmp_path):
    """``complaint-kit templates build`` was run after the last layout change."""
    build_templates(tmp_path)
    assert describe_workbook(tmp_path / file) == describe_workbook(template_dir() / file)


def test_template_builds_are_byte_reproducible(tmp_path):
    first, second = build_templates(tmp_path / "a"), build_templates(tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert [p.read_bytes() for p in first] == [(template_dir() / p.name).read_bytes() for p in first], (
        "run: uv run complaint-kit templates build"
    )


@pytest.mark.parametrize("file", [L.FORM_FILE, L.REGISTER_FILE, L.SERVICE_FILE])
def test_templates_golden(file):
    check_golden(f"template-{Path(file).stem}", describe_workbook(template_dir() / file))


def test_demo_register_golden(tmp_path):
    run_demo(tmp_path / "demo", echo=lambda _: None)
    check_golden("demo-register", describe_workbook(tmp_path / "demo" / L.REGISTER_FILE))
    centres = tmp_path / "demo" / "服务中心"  # issue 11: a centre's October and the consolidated month
    check_golden("demo-service-nanshan", describe_workbook(centres / "南山" / L.SERVICE_FILE))
    check_golden("demo-service-month", describe_workbook(centres / L.service_month_file_name("2026-10")))
