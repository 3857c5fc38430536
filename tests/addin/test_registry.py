"""One button registry: the ribbon, the CLI, the README and the handlers all agree with it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from typer.main import get_command

from complaint_kit.addin import handlers
from complaint_kit.buttons import (
    BUTTONS,
    CUSTOMUI_NS,
    GROUPS,
    RIBBON_ON_ACTION,
    RIBBON_ON_LOAD,
    button_table_markdown,
    ribbon_xml,
)
from complaint_kit.cli import app

ROOT = Path(__file__).resolve().parents[2]
NS = {"ui": CUSTOMUI_NS}


def test_ribbon_buttons_are_exactly_the_registry_and_all_call_the_one_callback():
    root = ET.fromstring(ribbon_xml())
    buttons = root.findall(".//ui:button", NS)
    assert [b.get("id") for b in buttons] == [b.id for b in BUTTONS]
    assert {b.get("onAction") for b in buttons} == {RIBBON_ON_ACTION}
    assert root.get("onLoad") == RIBBON_ON_LOAD
    assert [g.get("id") for g in root.findall(".//ui:group", NS)] == [g.id for g in GROUPS]
    labels = {b.get("id"): b.get("label") for b in buttons}
    assert all(re.search(r"[\u4e00-\u9fff]", label) for label in labels.values())  # Chinese labels


def test_every_button_has_a_handler_and_its_cli_command_exists():
    commands = get_command(app).commands  # type: ignore[attr-defined]
    for b in BUTTONS:
        assert callable(getattr(handlers, b.handler)), b.id
        if b.cli is not None:
            group, _, sub = b.cli.partition(" ")
            assert group in commands, b.id
            assert not sub or sub in commands[group].commands, b.id  # ``service update``
    assert len({b.id for b in BUTTONS}) == len(BUTTONS)


def test_every_cli_workflow_command_has_a_button():
    workflow = {"new-form", "validate", "accept", "complete", "reopen", "refresh"}
    assert workflow <= {b.cli for b in BUTTONS}


def test_the_readme_button_table_is_the_generated_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- buttons:start -->", 1)[1].split("<!-- buttons:end -->", 1)[0]
    assert block.strip() == button_table_markdown().strip(), "run: uv run complaint-kit addin docs"


def test_the_vba_callbacks_named_in_the_ribbon_exist_in_the_macros():
    source = "\n".join(p.read_text(encoding="ascii") for p in (ROOT / "macros").glob("*.bas"))
    assert f"Public Sub {RIBBON_ON_ACTION}(control As IRibbonControl)" in source
    assert f"Public Sub {RIBBON_ON_LOAD}(ribbon As IRibbonUI)" in source
    assert "xlwings.xlam!Main.RunPython" in source and "ck.dispatch(" in source
