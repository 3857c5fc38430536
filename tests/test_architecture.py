"""Layers (DESIGN.md): the domain is pure, actions see workbooks only through the Book port,
and sheet/table/name strings live in layout.py."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "complaint_kit"
DOMAIN_ALLOWED = {"pydantic", "chinese_calendar"}
ADAPTER_LIBS = {"openpyxl", "xlwings", "python_calamine", "zipfile", "pandas.io", "typer", "shutil", "os"}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            found.add("." * node.level + (node.module or ""))
    return found


@pytest.mark.parametrize("path", sorted((SRC / "domain").glob("*.py")), ids=lambda p: p.name)
def test_the_domain_imports_only_stdlib_pydantic_and_holiday_data(path):
    for name in imports(path):
        if name.startswith("."):
            assert name.count(".") == 1 or name == ".", f"{path.name} reaches out of the domain: {name}"
            continue
        top = name.split(".")[0]
        assert top in sys.stdlib_module_names or top in DOMAIN_ALLOWED, f"{path.name} imports {name}"
        assert top not in {"os", "shutil", "zipfile", "pathlib", "io"}, f"{path.name} touches files: {name}"


@pytest.mark.parametrize("path", sorted((SRC / "domain").glob("*.py")), ids=lambda p: p.name)
def test_the_domain_never_reads_the_clock(path):
    text = path.read_text(encoding="utf-8")
    for call in ("datetime.now(", "date.today(", "datetime.today(", "time.time("):
        assert call not in text, f"{path.name} reads the clock ({call}); now must be an argument"


@pytest.mark.parametrize("path", sorted((SRC / "actions").glob("*.py")), ids=lambda p: p.name)
def test_actions_reach_workbooks_only_through_the_port(path):
    for name in imports(path):
        assert name.split(".")[0] not in ADAPTER_LIBS, f"{path.name} imports {name}"
        assert "adapters" not in name, f"{path.name} imports an adapter: {name}"


@pytest.mark.parametrize("path", sorted(p for p in SRC.rglob("*.py") if p.name != "layout.py"), ids=lambda p: p.name)
def test_table_and_sheet_names_are_spelled_only_in_layout(path):
    text = path.read_text(encoding="utf-8")
    for literal in (
        '"Register"',
        '"Settings"',
        '"Calendar"',
        '"Journal"',
        '"登记追踪表"',
        '"客户抱怨处理表"',
        '"设置"',
    ):
        assert literal not in text, f"{path.name} spells {literal}; use complaint_kit.layout"
