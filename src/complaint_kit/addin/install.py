"""``complaint-kit addin install``: what an administrator runs once per PC.

1. xlwings' own add-in (of the pinned xlwings version), installed by xlwings' own command — we
   ship no copy of its VBA;
2. our ``complaint_kit.xlam``, installed by the same xlwings command into Excel's start-up folder;
3. xlwings' settings: this Python as interpreter (xlwings' ``config create``) and the persistent
   Python server ("USE UDF SERVER"), so a click does not pay Python's start-up each time, plus our
   cell functions ("UDF MODULES");
4. our settings: register path, user name, forms folder (``~/.complaint_kit/complaint_kit.conf``).

Desktop Excel exists on Windows and macOS only: elsewhere the plan is printed, nothing is changed.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..config import config_path, write_conf


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
            "安装 xlwings 加载项（xlwings 自带命令，同时把本 Python 设为解释器）",
            "install the xlwings add-in with xlwings' own command (also sets this Python as interpreter)",
            (*xlwings_cli, "addin", "install"),
        ),
        Step(
            "安装客诉管理加载项到 Excel 启动文件夹",
            "install the complaint_kit add-in into Excel's start-up folder",
            (*xlwings_cli, "addin", "install", "--file", str(addin)),
        ),
        Step(
            "启用常驻 Python（点击不再重新启动 Python）并登记单元格函数",
            "turn on the persistent Python server and register the cell functions",
            conf=xlwings_conf_path(),
            values=(("USE UDF SERVER", "True"), ("UDF MODULES", "complaint_kit.addin.udfs")),
        ),
    ]
    if ours:
        steps.append(Step("写入客诉管理配置", "write complaint_kit settings", conf=config_path(), values=ours))
    return steps


def run_install(steps: list[Step], *, dry_run: bool, echo: Callable[[str], None]) -> bool:
    """Run (or print) the plan; returns whether anything was changed."""
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
    return not dry_run
