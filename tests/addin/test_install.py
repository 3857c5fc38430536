"""Installation is per user and says so; run from a source checkout it warns that the interpreter
would be pinned to that checkout (the stable route is ``uv tool install`` of the wheel)."""

from __future__ import annotations

import sys
from pathlib import Path

import complaint_kit
from complaint_kit.addin.install import (
    PER_USER_NOTE,
    InterpreterHome,
    Step,
    classify_interpreter,
    interpreter_warning,
    run_install,
)


def _env(root: Path, *, receipt: bool = False) -> tuple[Path, Path]:
    prefix = root / "env"
    package = prefix / "lib" / "python3.11" / "site-packages" / "complaint_kit"
    package.mkdir(parents=True)
    if receipt:
        (prefix / "uv-receipt.toml").write_text("[tool]\n")
    return prefix, package


def test_a_uv_tool_environment_is_the_stable_home(tmp_path):
    prefix, package = _env(tmp_path, receipt=True)
    home = classify_interpreter(prefix=prefix, package_dir=package)
    assert home is InterpreterHome.UV_TOOL
    assert interpreter_warning(home, str(prefix / "bin" / "python")) is None


def test_a_checkouts_venv_is_recognised_by_the_pyproject_beside_it(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'complaint-kit'\n")
    prefix = tmp_path / ".venv"
    package = prefix / "lib" / "python3.11" / "site-packages" / "complaint_kit"
    package.mkdir(parents=True)
    assert classify_interpreter(prefix=prefix, package_dir=package) is InterpreterHome.CHECKOUT


def test_an_editable_install_is_a_checkout_wherever_its_environment_is(tmp_path):
    prefix, _ = _env(tmp_path)
    source = tmp_path / "work" / "src" / "complaint_kit"
    source.mkdir(parents=True)
    assert classify_interpreter(prefix=prefix, package_dir=source) is InterpreterHome.CHECKOUT


def test_another_environment_is_neither(tmp_path):
    prefix, package = _env(tmp_path)
    assert classify_interpreter(prefix=prefix, package_dir=package) is InterpreterHome.OTHER


def test_the_checkout_warning_is_chinese_and_english_and_names_the_stable_routes():
    text = interpreter_warning(InterpreterHome.CHECKOUT, "/repo/.venv/bin/python")
    assert text is not None
    zh, en = text.split("\n")
    assert "警告" in zh and "源码目录" in zh and "/repo/.venv/bin/python" in zh
    assert en.startswith("Warning:") and "pinned" in en
    for route in ("complaint-kit bundle", "uv tool install", "install.cmd", "install.command"):
        assert route in zh and route in en


def test_this_test_run_is_a_checkout():
    """The tests run through ``uv run`` in the checkout: exactly the case the warning is for."""
    home = classify_interpreter(prefix=Path(sys.prefix), package_dir=Path(complaint_kit.__file__).parent)
    assert home is InterpreterHome.CHECKOUT


def test_install_says_it_is_per_user_and_warns_from_a_checkout(tmp_path):
    lines: list[str] = []
    steps = [Step("写入", "write", conf=tmp_path / "x.conf", values=(("USER", "王静"),))]
    changed = run_install(steps, dry_run=True, echo=lines.append)
    assert not changed and not (tmp_path / "x.conf").exists()
    assert lines[0] == PER_USER_NOTE
    assert "按用户安装" in PER_USER_NOTE and "per-user install" in PER_USER_NOTE
    assert any(line.startswith("解释器 interpreter (checkout): ") for line in lines)
    assert any(line.startswith("警告") for line in lines)
    assert any(line.startswith("1. 写入 — write") for line in lines)
