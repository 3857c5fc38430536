"""``complaint-kit addin install``: what an administrator runs once for each Windows or macOS
*user* who works with the kit (everything it writes lives in that user's profile):

1. xlwings' own add-in (of the pinned xlwings version), installed by xlwings' own command — we
   ship no copy of its VBA;
2. our ``complaint_kit.xlam``, installed by the same xlwings command into this user's Excel
   start-up folder (XLSTART);
3. xlwings' settings in ``~/.xlwings/xlwings.conf``: this Python as interpreter (xlwings' own
   install sets it), the persistent Python server ("USE UDF SERVER"), so a click does not pay
   Python's start-up each time, and our cell functions ("UDF MODULES");
4. our settings: register path, user name, forms folder (``~/.complaint_kit/complaint_kit.conf``).

The interpreter written into xlwings' settings is the Python running this command, so it must live
somewhere stable: the documented route is ``uv tool install complaint_kit-….whl`` (what the
``complaint-kit bundle`` zip's install scripts do), after which ``complaint-kit`` runs from uv's
tool environment. Run from a source checkout's ``.venv`` the interpreter would be pinned to that
checkout — moving, re-syncing or deleting it breaks every button — so the command warns.

Desktop Excel exists on Windows and macOS only: elsewhere the plan is printed, nothing is changed.
"""

from __future__ import annotations

import enum
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..config import config_path, write_conf

PER_USER_NOTE = (
    "按用户安装：以下设置只对当前登录的用户有效，每个使用 Excel 的用户各运行一次 — "
    "per-user install: everything below is written into the current user's profile; "
    "run it once for every user who works in Excel."
)


class InterpreterHome(enum.Enum):
    """Where the Python running the install (and then every ribbon click) lives."""

    UV_TOOL = "uv tool"  # uv's tool environment: stable, the documented route
    CHECKOUT = "checkout"  # a source checkout (its .venv or an editable install): pinned to it
    OTHER = "other"  # some other environment (a plain venv, a system Python)


def classify_interpreter(*, prefix: Path, package_dir: Path) -> InterpreterHome:
    """``prefix`` is ``sys.prefix``; ``package_dir`` the folder ``complaint_kit`` is imported from.

    A checkout: the package is imported from outside the environment (an editable install, as
    ``uv run`` / ``uv sync`` make in a checkout), or the environment is a ``.venv`` beside a
    ``pyproject.toml``. A uv tool environment carries ``uv-receipt.toml``."""
    prefix, package_dir = prefix.resolve(), package_dir.resolve()
    if (prefix / "uv-receipt.toml").exists():
        return InterpreterHome.UV_TOOL
    inside = package_dir.is_relative_to(prefix)
    if not inside or (prefix.name == ".venv" and (prefix.parent / "pyproject.toml").exists()):
        return InterpreterHome.CHECKOUT
    return InterpreterHome.OTHER


def interpreter_warning(home: InterpreterHome, executable: str) -> str | None:
    if home is not InterpreterHome.CHECKOUT:
        return None
    return (
        f"警告：本命令从源码目录的环境运行（{executable}），Excel 的按钮将固定使用这个目录里的 Python；"
        "移动、重新同步或删除该目录后按钮就会失效。请改用安装包（complaint-kit bundle 生成的 zip，"
        "运行其中的 install.cmd / install.command），或 uv tool install complaint_kit-….whl 后再运行 "
        "complaint-kit addin install。\n"
        f"Warning: this runs from a source checkout's environment ({executable}); Excel's buttons would be "
        "pinned to the Python in that checkout and break when it is moved, re-synced or deleted. Use the "
        "bundle (the zip from complaint-kit bundle: run its install.cmd / install.command), or "
        "uv tool install complaint_kit-….whl and then complaint-kit addin install."
    )


@dataclass(frozen=True)
class Step:
    zh: str
    en: str
    command: tuple[str, ...] = ()
    conf: Path | None = None
    values: tuple[tuple[str, str], ...] = ()

    def describe(self) -> str:
        what = (
            " ".join(self.command)
            if self.command
            else f"{self.conf}: " + ", ".join(f'"{k}"="{v}"' for k, v in self.values)
        )
        return f"{self.zh} — {self.en}\n    {what}"


def xlwings_conf_path() -> Path:
    import xlwings as xw

    return Path(xw.USER_CONFIG_FILE)


def install_plan(addin: Path, *, register: Path | None, user: str | None, forms_dir: Path | None) -> list[Step]:
    xlwings_cli = (sys.executable, "-m", "xlwings.cli")
    ours = tuple((k, str(v)) for k, v in (("REGISTER", register), ("USER", user), ("FORMS_DIR", forms_dir)) if v)
    steps = [
        Step(
            "为当前用户安装 xlwings 加载项（xlwings 自带命令，同时把本 Python 设为解释器）",
            "install the xlwings add-in for this user with xlwings' own command (also sets this Python as interpreter)",
            (*xlwings_cli, "addin", "install"),
        ),
        Step(
            "安装客诉管理加载项到当前用户的 Excel 启动文件夹",
            "install the complaint_kit add-in into this user's Excel start-up folder",
            (*xlwings_cli, "addin", "install", "--file", str(addin)),
        ),
        Step(
            "启用常驻 Python（点击不再重新启动 Python）并登记单元格函数（当前用户的 xlwings 设置）",
            "turn on the persistent Python server and register the cell functions (this user's xlwings settings)",
            conf=xlwings_conf_path(),
            values=(("USE UDF SERVER", "True"), ("UDF MODULES", "complaint_kit.addin.udfs")),
        ),
    ]
    if ours:
        steps.append(
            Step(
                "写入当前用户的客诉管理配置",
                "write this user's complaint_kit settings",
                conf=config_path(),
                values=ours,
            )
        )
    return steps


def run_install(steps: list[Step], *, dry_run: bool, echo: Callable[[str], None]) -> bool:
    """Run (or print) the plan; returns whether anything was changed."""
    import complaint_kit

    echo(PER_USER_NOTE)
    # sysconfig's "data" path is the environment's prefix (sys.prefix)
    prefix = Path(sysconfig.get_paths()["data"])
    home = classify_interpreter(prefix=prefix, package_dir=Path(complaint_kit.__file__).parent)
    echo(f"解释器 interpreter ({home.value}): {sys.executable}")
    warning = interpreter_warning(home, sys.executable)
    if warning:
        echo(warning)
    if not (sys.platform.startswith("win") or sys.platform == "darwin"):
        echo(
            "本机没有桌面 Excel（仅 Windows 与 macOS）：以下为安装步骤，未做任何更改 — "
            "no desktop Excel on this platform (Windows and macOS only): this is the plan, nothing was changed."
        )
        dry_run = True
    for i, step in enumerate(steps, 1):
        echo(f"{i}. {step.describe()}")
        if dry_run:
            continue
        if step.command:
            subprocess.run(step.command, check=True)
        elif step.conf is not None:
            write_conf(step.conf, dict(step.values))
    if not dry_run:
        echo("完成。请重新启动 Excel — done. Restart Excel.")
    return not dry_run
