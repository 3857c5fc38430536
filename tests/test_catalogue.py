"""The one catalogue of problem codes (issue 12): every code the package uses is there, every code
there is used, its texts are Chinese and English, and every template formats with what its call
sites pass."""

from __future__ import annotations

import ast
import re
import string
from datetime import datetime
from pathlib import Path

import pytest

import complaint_kit
from complaint_kit.domain.catalogue import CATALOGUE
from complaint_kit.domain.problems import Severity, UnknownCode, problem

SRC = Path(complaint_kit.__file__).parent
CODE = re.compile(r"(?:[EW]|SETTING)-[A-Z0-9]+(?:-[A-Z0-9]+)*")
CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_EXTRAS = set("…→–—")  # typography an English message may use besides ASCII


def _trees() -> dict[Path, ast.Module]:
    return {
        path: ast.parse(path.read_text(encoding="utf-8"), str(path))
        for path in sorted(SRC.rglob("*.py"))
        if path.name != "catalogue.py"
    }


TREES = _trees()


def _codes_used() -> dict[str, list[str]]:
    """Every string literal in the package (docstrings aside) that is a whole problem code."""
    used: dict[str, list[str]] = {}
    for path, tree in TREES.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.fullmatch(node.value):
                used.setdefault(node.value, []).append(f"{path.relative_to(SRC)}:{node.lineno}")
    return used


USED = _codes_used()


def _fields(template: str) -> dict[str, str]:
    """``{name: format spec}`` of a ``str.format`` template (the specs of all uses, joined)."""
    found: dict[str, str] = {}
    for _, name, spec, _ in string.Formatter().parse(template):
        if name is not None:
            assert name.isidentifier(), f"template field {name!r} in {template!r} is not a plain keyword"
            found[name] = found.get(name, "") + (spec or "")
    return found


def _dummy(spec: str) -> object:
    if "%" in spec:
        return datetime(2026, 11, 3, 9, 30)
    if any(c in spec for c in ",dXxg"):
        return 1234
    return "样例x"


@pytest.mark.parametrize("code", sorted(USED))
def test_every_code_the_package_uses_is_in_the_catalogue(code):
    assert code in CATALOGUE, f"{code} used at {USED[code]} is not in the catalogue"


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_code_in_the_catalogue_is_used(code):
    assert code in USED, f"{code} is in the catalogue but no module uses it"


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_each_entry_has_chinese_and_english_text(code):
    entry = CATALOGUE[code]
    assert CJK.search(entry.zh), f"{code}: the Chinese text has no Chinese"
    assert not CJK.search(entry.en), f"{code}: the English text has Chinese in it"
    odd = {c for c in entry.en if not c.isascii() and c not in ENGLISH_EXTRAS}
    assert not odd, f"{code}: the English text has {odd}"


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_a_code_says_its_severity(code):
    expected = Severity.WARNING if code.startswith("W-") else Severity.ERROR
    assert CATALOGUE[code].severity is expected


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_each_entry_renders_with_the_params_its_templates_name(code):
    entry = CATALOGUE[code]
    specs = _fields(entry.zh)
    for name, spec in _fields(entry.en).items():
        specs[name] = specs.get(name, "") + spec
    made = problem(code, **{name: _dummy(spec) for name, spec in specs.items()})
    assert (made.code, made.severity, made.rule) == (code, entry.severity, entry.rule)
    for text in (made.zh, made.en):
        assert "{" not in text and "}" not in text
    assert made.render().startswith(f"{entry.severity.value} [{code}]")


def test_an_unknown_code_is_a_bug_that_raises():
    with pytest.raises(UnknownCode):
        problem("E-NO-SUCH-CODE")


def test_a_missing_param_raises_rather_than_printing_a_hole():
    with pytest.raises(KeyError):
        problem("E-EXISTS")


def test_a_rule_given_at_the_call_overrides_the_entry():
    assert problem("E-REQUIRED", label="客户", attr="customer", rule="C4").rule == "C4"
    assert problem("E-FUTURE", label="客户反映时间", attr="reported_at", now=datetime(2026, 11, 3)).rule == "C6.1"


def _call_sites() -> list[tuple[str, str, set[str]]]:
    """``(place, code, keywords)`` of every call that names a catalogue code with literal
    keywords only. FieldReader's ``.problem(attr, code, …)`` adds ``label`` and ``attr`` itself."""
    sites = []
    for path, tree in TREES.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or any(k.arg is None for k in node.keywords):
                continue
            codes = [a.value for a in node.args if isinstance(a, ast.Constant) and a.value in CATALOGUE]
            if not codes:
                continue
            keywords = {k.arg for k in node.keywords if k.arg}
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "problem":
                keywords |= {"label", "attr"}
            sites.append((f"{path.relative_to(SRC)}:{node.lineno}", codes[0], keywords))
    return sites


SITES = _call_sites()


def test_call_sites_are_found():
    assert len(SITES) > 50


@pytest.mark.parametrize(("place", "code", "keywords"), SITES, ids=[f"{p} {c}" for p, c, _ in SITES])
def test_each_call_site_passes_every_param_its_texts_need(place, code, keywords):
    entry = CATALOGUE[code]
    needed = set(_fields(entry.zh)) | set(_fields(entry.en))
    assert needed <= keywords, f"{place}: {code} needs {sorted(needed - keywords)}"


def test_problems_are_made_from_the_catalogue_only():
    """``Problem(`` is constructed in domain/problems.py alone (by ``problem()`` and ``.at()``)."""
    offenders = [
        f"{path.relative_to(SRC)}:{node.lineno}"
        for path, tree in TREES.items()
        if path.relative_to(SRC) != Path("domain/problems.py")
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Problem"
    ]
    assert offenders == []
