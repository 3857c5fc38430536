"""``complaint-kit bundle [FOLDER]``: one zip an administrator carries to a PC (issue 8 item 8).

The zip holds one folder ``complaint-kit-<version>/`` with

* the wheel, built from this checkout by ``uv build --wheel`` (it carries the add-in and the
  templates too, so the installed kit is complete);
* ``complaint_kit.xlam`` and ``templates/*.xlsx`` — the copies inside that wheel, for the shared
  drive, for signing the VBA project, or for a trusted location;
* ``install.cmd`` (Windows) and ``install.command`` (macOS) running the documented steps for the
  current user: uv (or, if missing, ``py -m pip install --user uv``), ``uv tool install <wheel>`` so
  the interpreter lives in uv's tool environment, then ``complaint-kit addin install`` with any
  options given to the script;
* ``安装说明.txt``, the short guide in Chinese.

Entries carry a fixed time (like every Office file we build), so the same checkout gives the same
zip. The target PC needs network access to PyPI (or the company's mirror) for the wheel's
dependencies, and uv or Python ≥ 3.11 with its launcher; the guide says so.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from .. import layout as L
from ..packaging import FIXED_ZIP_TIME
from .build import AddinBuildError, build_addin, repo_paths

GUIDE = "安装说明.txt"
WINDOWS_SCRIPT = "install.cmd"
MAC_SCRIPT = "install.command"
TEMPLATES = (L.FORM_FILE, L.REGISTER_FILE)


class BundleError(Exception):
    """A bundle that cannot be made; the message is Chinese and English."""


def build_bundle(
    folder: Path,
    *,
    echo: Callable[[str], None],
    root: Path | None = None,
    uv: str | None = None,
) -> Path:
    """Write ``folder/complaint-kit-<version>-bundle.zip`` from the checkout ``root`` (default:
    the one this package runs from) and return its path. ``uv`` is the uv executable (default:
    ``$UV``, as ``uv run`` sets it, else ``uv`` on ``PATH``)."""
    root = root or repo_paths()[0].parent
    if not (root / "pyproject.toml").exists():
        raise BundleError(
            f"安装包只能在源码目录中生成（{root} 没有 pyproject.toml）"
            f" — the bundle is built from a source checkout ({root} has no pyproject.toml)"
        )
    uv = uv or os.environ.get("UV") or shutil.which("uv")
    if not uv:
        raise BundleError("找不到 uv，请先安装（pip install uv） — uv not found; install it first (pip install uv)")

    echo("1/4 检查加载项是否为最新 — checking that addin/complaint_kit.xlam is current")
    _check_addin_current(root)
    with tempfile.TemporaryDirectory() as tmp:
        echo(f"2/4 生成 wheel — building the wheel: {uv} build --wheel")
        wheel = _build_wheel(uv, root, Path(tmp))
        version = wheel.name.split("-")[1]
        echo(f"3/4 取出加载项与模板 — taking the add-in and templates from {wheel.name}")
        with zipfile.ZipFile(wheel) as whl:
            names = set(whl.namelist())
            wanted = [f"complaint_kit/addin/{L.ADDIN_FILE}"] + [
                f"complaint_kit/workbook_templates/{t}" for t in TEMPLATES
            ]
            missing = [n for n in wanted if n not in names]
            if missing:
                raise BundleError(f"wheel 缺少文件 — the wheel lacks {', '.join(missing)}")
            addin = whl.read(wanted[0])
            templates = {t: whl.read(f"complaint_kit/workbook_templates/{t}") for t in TEMPLATES}
        top = f"complaint-kit-{version}"
        entries: list[tuple[str, bytes, int]] = [
            (wheel.name, wheel.read_bytes(), 0o644),
            (L.ADDIN_FILE, addin, 0o644),
            *((f"templates/{t}", data, 0o644) for t, data in templates.items()),
            (WINDOWS_SCRIPT, windows_script(wheel.name, version).encode("ascii"), 0o644),
            (MAC_SCRIPT, mac_script(wheel.name, version).encode("ascii"), 0o755),
            (GUIDE, guide(wheel.name, version).encode("utf-8-sig"), 0o644),
        ]
        folder.mkdir(parents=True, exist_ok=True)
        out = folder / f"{top}-bundle.zip"
        echo(f"4/4 写入安装包 — writing {out}")
        tmp_zip = out.with_name(f".{out.name}.tmp")
        with zipfile.ZipFile(tmp_zip, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data, mode in entries:
                info = zipfile.ZipInfo(f"{top}/{name}", date_time=FIXED_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3  # Unix, so macOS keeps the script's executable bit
                info.external_attr = (0o100000 | mode) << 16
                zf.writestr(info, data)
        os.replace(tmp_zip, out)
    return out


def _check_addin_current(root: Path) -> None:
    """The wheel packs ``addin/complaint_kit.xlam`` as it is: refuse one older than ``macros/``."""
    macros, committed = root / "macros", root / "addin" / L.ADDIN_FILE
    if not committed.exists():
        raise BundleError(f"加载项尚未生成 — add-in not built: run complaint-kit addin build ({committed})")
    with tempfile.TemporaryDirectory() as tmp:
        try:
            fresh = build_addin(macros, Path(tmp) / L.ADDIN_FILE)
        except AddinBuildError as exc:
            raise BundleError(str(exc)) from None
        if fresh.read_bytes() != committed.read_bytes():
            raise BundleError(
                "addin/complaint_kit.xlam 不是最新，请先运行 complaint-kit addin build"
                " — the add-in is older than macros/ or the ribbon: run complaint-kit addin build first"
            )


def _build_wheel(uv: str, root: Path, out: Path) -> Path:
    cmd = [uv, "build", "--wheel", "--no-create-gitignore", "--out-dir", str(out), str(root)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BundleError(f"无法运行 uv build — could not run uv build: {exc}") from None
    wheels = sorted(out.glob("*.whl"))
    if done.returncode != 0 or len(wheels) != 1:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        raise BundleError(
            f"生成 wheel 失败（uv build 退出码 {done.returncode}），未写入安装包；uv 的输出如下"
            f" — building the wheel failed (uv build exit code {done.returncode}); no bundle was written."
            f" uv said:\n{tail}"
        )
    if not re.fullmatch(r"complaint_kit-[^-]+-py3-none-any\.whl", wheels[0].name):
        raise BundleError(f"意外的 wheel 文件名 — unexpected wheel name: {wheels[0].name}")
    return wheels[0]


def windows_script(wheel: str, version: str) -> str:
    """``install.cmd``: ASCII (cmd.exe reads batch files in the OEM code page) with CRLF ends."""
    lines = [
        "@echo off",
        f"rem complaint_kit {version}: installs for the CURRENT Windows user; run it once for every user",
        "rem who works in Excel. Options are passed to complaint-kit addin install, e.g.",
        'rem   install.cmd --register "\\\\server\\share\\register.xlsx" --user NAME'
        ' --forms-dir "\\\\server\\share\\forms"',
        "rem Generated by complaint-kit bundle. See the guide next to this file.",
        "setlocal",
        'cd /d "%~dp0"',
        f'set "WHEEL=%~dp0{wheel}"',
        'set "UV=uv"',
        "where uv >nul 2>nul",
        "if errorlevel 1 (",
        "    echo [1/3] uv not found: installing it for this user with py -m pip install --user uv",
        "    py -m pip install --user --upgrade uv",
        "    if errorlevel 1 goto no_uv",
        '    set "UV=py -m uv"',
        ") else (",
        "    echo [1/3] uv found",
        ")",
        "echo [2/3] uv tool install %WHEEL%",
        '%UV% tool install --force --reinstall-package complaint-kit "%WHEEL%"',
        "if errorlevel 1 goto failed",
        'for /f "delims=" %%D in (\'%UV% tool dir --bin\') do set "CKBIN=%%D"',
        "%UV% tool update-shell >nul 2>nul",
        "echo [3/3] complaint-kit addin install %*",
        '"%CKBIN%\\complaint-kit.exe" addin install %*',
        "if errorlevel 1 goto failed",
        "echo Done: restart Excel.",
        "pause",
        "exit /b 0",
        ":no_uv",
        "echo uv could not be installed: install uv, or Python 3.11+ from python.org (with the py launcher),",
        "echo then run install.cmd again.",
        "pause",
        "exit /b 1",
        ":failed",
        "echo Installation failed; see the messages above.",
        "pause",
        "exit /b 1",
    ]
    return "\r\n".join(lines) + "\r\n"


def mac_script(wheel: str, version: str) -> str:
    """``install.command``: a bash script that Finder opens in Terminal (LF ends, executable)."""
    return f"""#!/bin/bash
# complaint_kit {version}: installs for the CURRENT macOS user; run it once for every user who
# works in Excel. Options are passed to complaint-kit addin install, e.g.
#   ./install.command --register "/Volumes/share/register.xlsx" --user NAME --forms-dir "/Volumes/share/forms"
# Generated by complaint-kit bundle. See the guide next to this file.
set -euo pipefail
cd "$(dirname "$0")"
WHEEL="$PWD/{wheel}"
if command -v uv >/dev/null 2>&1; then
    UV=(uv)
    echo "[1/3] uv found"
elif [ -x "$HOME/.local/bin/uv" ]; then
    UV=("$HOME/.local/bin/uv")
    echo "[1/3] uv found in ~/.local/bin"
else
    echo "[1/3] uv not found: installing it for this user with python3 -m pip install --user uv"
    if ! python3 -m pip install --user --upgrade uv; then
        echo "uv could not be installed: install uv (e.g. brew install uv) or Python 3.11+ from python.org,"
        echo "then run install.command again."
        exit 1
    fi
    UV=(python3 -m uv)
fi
echo "[2/3] uv tool install $WHEEL"
"${{UV[@]}}" tool install --force --reinstall-package complaint-kit "$WHEEL"
BIN="$("${{UV[@]}}" tool dir --bin)"
"${{UV[@]}}" tool update-shell >/dev/null 2>&1 || true
echo "[3/3] complaint-kit addin install $*"
"$BIN/complaint-kit" addin install "$@"
echo "Done: quit Excel (Cmd-Q) and start it again."
"""


def guide(wheel: str, version: str) -> str:
    """``安装说明.txt``: the short Chinese guide (CRLF, so every Notepad shows it right)."""
    text = f"""客诉管理工具 complaint_kit {version} — 安装说明

本安装包内容
  {wheel}   Python 程序（含 Excel 加载项与工作簿模板）
  {L.ADDIN_FILE}   Excel 加载项（“客诉管理”选项卡），供签名或放入受信任位置
  templates\\   空白模板：{L.REGISTER_FILE}（总经理室登记追踪表）、{L.FORM_FILE}（客户抱怨处理表）
  {WINDOWS_SCRIPT}   Windows 安装脚本
  {MAC_SCRIPT}   macOS 安装脚本

按用户安装
  安装写入的是当前登录用户自己的设置（Excel 启动文件夹、xlwings 设置、客诉管理配置），
  所以每个使用 Excel 的用户都要用自己的账号运行一次；不需要管理员权限。

前提
  1. 桌面版 Excel（Windows 或 macOS）。
  2. 能访问 PyPI（或公司的镜像，设置环境变量 UV_INDEX_URL）：安装时要下载依赖包。
  3. 已安装 uv；没有 uv 时脚本用 “py -m pip install --user uv”（Windows）或
     “python3 -m pip install --user uv”（macOS）安装，这需要 Python 3.11 或更高版本
     （python.org 的安装程序，Windows 上勾选 py 启动器）。

步骤
  1. 解压整个文件夹（不要在压缩包里直接运行）。
  2. 关闭 Excel。
  3. Windows：双击 {WINDOWS_SCRIPT}；或在命令提示符中带上设置运行：
       {WINDOWS_SCRIPT} --register "\\\\服务器\\客诉\\{L.REGISTER_FILE}" --user 王静 ^
         --forms-dir "\\\\服务器\\客诉\\表单"
     macOS：在“终端”中运行 ./{MAC_SCRIPT}（选项同上）；双击时如被拦截，请右键→打开。
     脚本依次：准备 uv → uv tool install（程序装在 uv 的工具环境中，不依赖任何源码目录）
     → complaint-kit addin install（安装 xlwings 加载项和客诉管理加载项，写入设置）。
  4. 重新启动 Excel，出现“客诉管理”选项卡即完成。“设置与说明”按钮显示当前配置。

宏的信任
  加载项含 VBA 宏。请由 IT 选择其一：
  - 受信任位置：文件 → 选项 → 信任中心 → 信任中心设置 → 受信任位置，加入 Excel 启动文件夹
    （XLSTART）；
  - 数字签名：用公司的代码签名证书在 VBA 编辑器（工具 → 数字签名）中为 {L.ADDIN_FILE} 的
    VBA 工程签名，再通过组策略信任该发布者。
  从邮件或网络下载的文件会被 Windows 标记并阻止宏：解压前右键压缩包 → 属性 → 勾选“解除锁定”。

卸载
  uv tool uninstall complaint-kit；在 Excel 的 加载项 列表或 XLSTART 文件夹中删除 {L.ADDIN_FILE}。

详细说明见源码仓库 docs/addin.md。
"""
    return text.replace("\n", "\r\n")
