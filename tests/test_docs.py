"""The docs inside the repository say what the code does (issue 8 items 6 and 7).

Read from the real CLI (``typer.main.get_command(app)``), the error catalogue and the settings
model, never from a copied list, so a command, option, code or setting that changes in the code
fails here until the docs follow:

- every ``complaint-kit <command> [<sub>] … --option`` in a code block or inline code of the
  README, ``docs/*.md`` and ``addin/README.md`` names a command that exists and options it takes
  (a documented choice such as ``--stage quality`` must be one of the option's choices);
- a ``<!-- takes:--now -->`` … ``<!-- /takes -->`` list of commands is exactly the commands that
  take that option;
- every relative link resolves to a file in the repository;
- every problem code (``E-…``, ``W-…``) is in the catalogue;
- every row of the table in ``docs/settings.md`` is a setting, and every setting has a row;
- every setting referred to as 设置 `key`, and every snake_case name in ``docs/rules.md``, is a setting.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
import typer

from complaint_kit.cli import app
from complaint_kit.domain.catalogue import CATALOGUE
from complaint_kit.domain.service import SERVICE_SETTING_KEYS
from complaint_kit.domain.settings import SETTING_KEYS

ALL_SETTING_KEYS = (*SETTING_KEYS, *SERVICE_SETTING_KEYS)  # the register's 设置 and the service workbook's

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted(p for p in {ROOT / "README.md", ROOT / "addin" / "README.md", *ROOT.glob("docs/**/*.md")} if p.exists())
ROOT_COMMAND = typer.main.get_command(app)

FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
INLINE = re.compile(r"(`+)((?:(?!\n[ \t]*\n)[^`])+?)\1")  # never across a blank line
USAGE = re.compile(r"(?<![\w-])complaint-kit(?![\w-])")
SHELL_BREAK = re.compile(r"\s#|&&|\|\||;|\s\|\s|\s/\s")  # a comment, the next command, "a / b"
OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")
WORD = re.compile(r"^[a-z][a-z0-9-]*$")
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s.*)?$", re.MULTILINE)
CODE = re.compile(r"(?<![\w-])[EW]-[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*(?![\w-])")
TAKES = re.compile(r"<!--\s*takes:(--?[\w-]+)\s*-->(.*?)<!--\s*/takes\s*-->", re.DOTALL)
SETTING_ROW = re.compile(r"^\|\s*`([a-z][a-z0-9_]*)`\s*\|", re.MULTILINE)  # a row of docs/settings.md's table
SETTING_REF = re.compile(r"设置\s*(?:→\s*)?`([a-z][a-z0-9_]*)`")  # "设置 `key`" in the rules
SNAKE = re.compile(r"`([a-z][a-z0-9]*(?:_[a-z0-9]+)+)`")  # in docs/rules.md only settings are written so


@dataclass(frozen=True)
class Usage:
    file: Path
    line: int
    text: str  # from "complaint-kit" to the end of the command

    def __str__(self) -> str:
        where = self.file.relative_to(ROOT) if self.file.is_relative_to(ROOT) else self.file.name
        return f"{where}:{self.line}: {self.text}"


def _code_spans(text: str) -> Iterator[tuple[int, str]]:
    """(offset, text) of every fenced block's lines and every inline code span outside them."""
    for block in FENCE.finditer(text):
        offset = block.start()
        for line in block.group(0).splitlines(keepends=True):
            yield offset, line
            offset += len(line)
    prose = FENCE.sub(lambda m: " " * len(m.group(0)), text)  # keep offsets, drop the blocks
    for span in INLINE.finditer(prose):
        yield span.start(2), span.group(2).replace("\n", " ")


def _prose(text: str) -> str:
    """The text without code: links and codes in code are examples, not claims."""
    return INLINE.sub(" ", FENCE.sub("", text))


def documented_usages(files: list[Path] = DOCS) -> list[Usage]:
    usages = []
    for file in files:
        text = file.read_text(encoding="utf-8")
        for offset, span in _code_spans(text):
            for hit in USAGE.finditer(span):
                rest = span[hit.end() :]
                end = SHELL_BREAK.search(rest)
                command = "complaint-kit" + (rest[: end.start()] if end else rest).rstrip()
                usages.append(Usage(file, text.count("\n", 0, offset + hit.start()) + 1, command.strip()))
    return usages


def resolve(tokens: list[str]) -> tuple[list[str], Any, list[str]]:
    """The command path named by ``tokens`` (after ``complaint-kit``), its Click command and the
    tokens left; raises LookupError for a command that does not exist."""
    command: Any = ROOT_COMMAND
    path: list[str] = []
    rest = list(tokens)
    while rest and hasattr(command, "commands") and WORD.match(rest[0]):
        sub = command.commands.get(rest[0])
        if sub is None:
            raise LookupError(f"no command `complaint-kit {' '.join([*path, rest[0]])}`")
        path.append(rest.pop(0))
        command = sub
    return path, command, rest


def options_of(command: Any) -> dict[str, Any]:
    """Every spelling of every option of ``command`` (``--help`` included) → its parameter."""
    names: dict[str, Any] = {"--help": None}
    for param in command.params:
        if getattr(param, "param_type_name", "") == "option":
            for name in (*param.opts, *param.secondary_opts):
                names[name] = param
    return names


def choices_of(param: Any) -> list[str]:
    """The values a choice option takes (an enum's values), else []."""
    click_choices = getattr(getattr(param, "type", None), "choices", None)
    if click_choices:
        return [str(c) for c in click_choices]
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)  # typer's own parameter model
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return [str(m.value) for m in annotation]
    return []


def check_usage(usage: Usage) -> list[str]:
    """What is wrong with one documented command line (nothing: [])."""
    tokens = usage.text.split()[1:]
    try:
        path, command, rest = resolve(tokens)
    except LookupError as exc:
        return [f"{usage}: {exc}"]
    known = options_of(command)
    wrong = []
    for index, token in enumerate(rest):
        for name in OPTION.findall(token) if token.lstrip("[(").startswith("-") else ():
            if name not in known:
                spelled = " ".join(["complaint-kit", *path])
                wrong.append(f"{usage}: `{spelled}` has no option {name} (it has: {', '.join(sorted(known))})")
                continue
            choices = choices_of(known[name])
            value = rest[index + 1].strip("[]()`,.;") if index + 1 < len(rest) else ""
            if choices and "=" not in token and WORD.match(value) and value not in choices:
                wrong.append(f"{usage}: {name} {value!r} is not one of {', '.join(map(str, choices))}")
    return wrong


def all_commands(group: Any = ROOT_COMMAND, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from all_commands(command, (*path, name))
        else:
            yield (*path, name), command


# -- the checker itself can fail ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("uv run complaint-kit demo      # the main job --now", []),
        ("complaint-kit accept F.xlsx -r REG --received-at 2026-10-14T09:30 --now 2026-10-14T10:00", []),
        ("complaint-kit copies F.xlsx [--split] [--out F] [--force]", []),
        ("complaint-kit complete F.xlsx --stage quality --by 张敏 [-r 登记表]", []),
        ("complaint-kit keys init [--file PATH]` / `keys show-id", []),
        ("complaint-kit templates build && ls --color; git log --oneline", []),
        ("complaint-kit init 办公室 --now 2026-11-03T09:30", ["has no option --now"]),
        ("complaint-kit demo --now 2026-11-03T09:30", ["has no option --now"]),
        ("complaint-kit accept F.xlsx --registre REG", ["has no option --registre"]),
        ("complaint-kit complete F.xlsx --stage qa --by 张敏", ["'qa' is not one of"]),
        ("complaint-kit keys rotate", ["no command `complaint-kit keys rotate`"]),
        ("complaint-kit warranty claim WB --zone 市区", ["no command `complaint-kit warranty`"]),
    ],
)
def test_the_usage_checker_refuses_what_the_cli_does_not_take(line, expected, tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text(f"Run `{line}` to see.\n\n```bash\n{line}\n```\n", encoding="utf-8")
    usages = documented_usages([doc])
    assert len(usages) == 2 * line.count("complaint-kit ")
    for usage in usages:
        found = check_usage(usage)
        assert len(found) == len(expected) and all(e in f for e, f in zip(expected, found, strict=True)), found


# -- the docs ------------------------------------------------------------------------------------


def test_the_docs_exist():
    names = {p.relative_to(ROOT).as_posix() for p in DOCS}
    assert {"README.md", "docs/README.md", "docs/rules.md", "docs/settings.md"} <= names
    assert len(documented_usages()) >= 30  # the README's command table alone has more


@pytest.mark.parametrize("usage", documented_usages(), ids=str)
def test_every_documented_command_and_option_exists(usage):
    assert check_usage(usage) == []


def test_every_command_is_documented_with_its_full_name():
    documented = set()
    for usage in documented_usages():
        try:
            path, _, _ = resolve(usage.text.split()[1:])
        except LookupError:
            continue
        documented.add(tuple(path))
    missing = [" ".join(path) for path, _ in all_commands() if path not in documented]
    assert not missing, f"not documented as `complaint-kit <command> …`: {missing}"


def _takes_claims() -> list[tuple[Path, str, set[str]]]:
    claims = []
    for file in DOCS:
        for match in TAKES.finditer(file.read_text(encoding="utf-8")):
            named = {m.group(2).strip() for m in INLINE.finditer(match.group(2))}
            claims.append((file, match.group(1), named))
    return claims


def test_a_claim_that_commands_take_an_option_names_exactly_those_commands():
    claims = _takes_claims()
    assert any(option == "--now" for _, option, _ in claims), "the README lists the commands that take --now"
    for file, option, named in claims:
        taking = {" ".join(path) for path, command in all_commands() if option in options_of(command)}
        where = file.relative_to(ROOT)
        assert named == taking, (
            f"{where}: the list of commands taking {option} is wrong — listed but not taking it:"
            f" {sorted(named - taking)}; taking it but not listed: {sorted(taking - named)}"
        )


def _links() -> Iterator[tuple[Path, str]]:
    for file in DOCS:
        prose = _prose(file.read_text(encoding="utf-8"))
        for target in [*LINK.findall(prose), *REFERENCE.findall(prose)]:
            yield file, target


@pytest.mark.parametrize(
    ("file", "target"), list(_links()), ids=lambda v: v.relative_to(ROOT).as_posix() if isinstance(v, Path) else v
)
def test_every_relative_link_resolves_inside_the_repository(file, target):
    if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
        return  # a web address or an anchor on the same page
    path = (file.parent / target.split("#", 1)[0]).resolve()
    assert path.is_relative_to(ROOT), f"{file.relative_to(ROOT)} links outside the repository: {target}"
    assert path.exists(), f"{file.relative_to(ROOT)}: broken link {target}"


def test_every_problem_code_in_the_docs_is_in_the_catalogue():
    unknown = {
        f"{file.relative_to(ROOT)}: {code}"
        for file in DOCS
        for code in CODE.findall(file.read_text(encoding="utf-8"))
        if code not in CATALOGUE
    }
    assert not unknown, sorted(unknown)


def test_the_settings_page_names_every_setting_and_nothing_else():
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    named = set(SETTING_ROW.findall(text))
    assert named - set(ALL_SETTING_KEYS) == set(), (
        f"docs/settings.md names settings that do not exist: {named - set(ALL_SETTING_KEYS)}"
    )
    assert set(ALL_SETTING_KEYS) - named == set(), f"docs/settings.md lacks: {set(ALL_SETTING_KEYS) - named}"


def test_every_setting_the_docs_refer_to_exists():
    refs = {
        (file.relative_to(ROOT).as_posix(), key)
        for file in DOCS
        for key in SETTING_REF.findall(file.read_text(encoding="utf-8"))
    }
    assert any(file == "docs/rules.md" for file, _ in refs), "docs/rules.md refers to settings as 设置 `key`"
    refs |= {("docs/rules.md", key) for key in SNAKE.findall((ROOT / "docs" / "rules.md").read_text(encoding="utf-8"))}
    unknown = sorted((file, key) for file, key in refs if key not in ALL_SETTING_KEYS)
    assert not unknown, f"not a setting: {unknown}"
