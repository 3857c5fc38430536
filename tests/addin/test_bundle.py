"""``complaint-kit bundle``: one zip with the wheel, the add-in, the templates, install scripts that
name the wheel actually in the zip, and a Chinese guide; failures are Chinese and English."""

from __future__ import annotations

import shutil
import stat
import zipfile
from pathlib import Path

import pytest

from complaint_kit import layout as L
from complaint_kit.addin.build import repo_paths
from complaint_kit.addin.bundle import GUIDE, MAC_SCRIPT, WINDOWS_SCRIPT, BundleError, build_bundle

ROOT = repo_paths()[0].parent


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> tuple[Path, list[str]]:
    lines: list[str] = []
    path = build_bundle(tmp_path_factory.mktemp("bundle"), echo=lines.append)
    return path, lines


def test_the_zip_holds_one_folder_with_wheel_addin_templates_scripts_and_guide(bundle):
    path, _ = bundle
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
    top = path.name.removesuffix("-bundle.zip")
    assert top.startswith("complaint-kit-")
    assert all(n.startswith(f"{top}/") for n in names)
    rel = sorted(n.removeprefix(f"{top}/") for n in names)
    wheels = [n for n in rel if n.endswith(".whl")]
    assert len(wheels) == 1 and wheels[0].startswith("complaint_kit-")
    assert sorted(set(rel) - set(wheels)) == sorted(
        [
            L.ADDIN_FILE,
            f"templates/{L.FORM_FILE}",
            f"templates/{L.REGISTER_FILE}",
            WINDOWS_SCRIPT,
            MAC_SCRIPT,
            GUIDE,
        ]
    )


def test_the_wheel_carries_the_same_addin_and_templates_as_the_zip_and_the_checkout(bundle):
    path, _ = bundle
    with zipfile.ZipFile(path) as zf:
        top = zf.namelist()[0].split("/")[0]
        wheel_name = next(n for n in zf.namelist() if n.endswith(".whl"))
        zf.extract(wheel_name, path.parent / "x")
        addin = zf.read(f"{top}/{L.ADDIN_FILE}")
        form = zf.read(f"{top}/templates/{L.FORM_FILE}")
    with zipfile.ZipFile(path.parent / "x" / wheel_name) as whl:
        assert whl.read(f"complaint_kit/addin/{L.ADDIN_FILE}") == addin
        assert whl.read(f"complaint_kit/workbook_templates/{L.FORM_FILE}") == form
        assert "complaint_kit/cli.py" in whl.namelist()
    assert addin == (ROOT / "addin" / L.ADDIN_FILE).read_bytes()


def test_the_scripts_install_the_wheel_that_is_in_the_zip_for_this_user(bundle):
    path, _ = bundle
    with zipfile.ZipFile(path) as zf:
        top = zf.namelist()[0].split("/")[0]
        wheel = next(n for n in zf.namelist() if n.endswith(".whl")).split("/")[1]
        cmd = zf.read(f"{top}/{WINDOWS_SCRIPT}")
        mac_info = zf.getinfo(f"{top}/{MAC_SCRIPT}")
        mac = zf.read(mac_info).decode("ascii")
        guide_bytes = zf.read(f"{top}/{GUIDE}")
    # Windows: ASCII (cmd reads the OEM code page), CRLF on every line
    text = cmd.decode("ascii")
    assert text.count("\r\n") == text.count("\n") and text.endswith("\r\n")
    assert f'set "WHEEL=%~dp0{wheel}"' in text
    assert 'tool install --force --reinstall-package complaint-kit "%WHEEL%"' in text
    assert "py -m pip install --user --upgrade uv" in text
    assert '"%CKBIN%\\complaint-kit.exe" addin install %*' in text
    assert "CURRENT Windows user" in text
    # macOS: LF, executable, the same three steps
    assert "\r" not in mac and mac.startswith("#!/bin/bash\n")
    assert stat.S_IMODE(mac_info.external_attr >> 16) == 0o755
    assert f'WHEEL="$PWD/{wheel}"' in mac
    assert 'tool install --force --reinstall-package complaint-kit "$WHEEL"' in mac
    assert '"$BIN/complaint-kit" addin install "$@"' in mac
    assert "CURRENT macOS user" in mac
    # the guide: Chinese, names the files and says per user
    guide = guide_bytes.decode("utf-8-sig")
    assert "\r\n" in guide and wheel in guide and L.ADDIN_FILE in guide
    for words in ("按用户安装", "每个使用 Excel 的用户", "受信任位置", "代码签名证书", "uv tool install", "PyPI"):
        assert words in guide, words


def test_the_bundle_is_reproducible_and_reports_progress(bundle, tmp_path):
    path, lines = bundle
    assert [line.split(" ")[0] for line in lines] == ["1/4", "2/4", "3/4", "4/4"]
    assert all(" — " in line for line in lines)  # Chinese — English
    again = build_bundle(tmp_path, echo=lambda _: None)
    assert again.read_bytes() == path.read_bytes()
    with zipfile.ZipFile(again) as zf:
        assert {i.date_time for i in zf.infolist()} == {(2026, 1, 1, 0, 0, 0)}


def test_a_failing_wheel_build_is_a_chinese_and_english_error_and_writes_nothing(tmp_path):
    checkout = tmp_path / "checkout"
    for part in ("macros", "addin"):
        shutil.copytree(ROOT / part, checkout / part)
    (checkout / "pyproject.toml").write_text("[project]\nname = 'broken'\nversion = \n")
    out = tmp_path / "out"
    with pytest.raises(BundleError) as caught:
        build_bundle(out, echo=lambda _: None, root=checkout)
    message = str(caught.value)
    assert "生成 wheel 失败" in message and "building the wheel failed" in message
    assert not out.exists() or not any(out.iterdir())


def test_outside_a_checkout_the_bundle_says_where_it_can_be_built(tmp_path):
    with pytest.raises(BundleError, match=r"源码目录.*source checkout"):
        build_bundle(tmp_path, echo=lambda _: None, root=tmp_path)


def test_a_stale_addin_is_refused_before_the_wheel_is_built(tmp_path):
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT / "macros", checkout / "macros")
    (checkout / "addin").mkdir()
    (checkout / "addin" / L.ADDIN_FILE).write_bytes(b"old")
    (checkout / "pyproject.toml").write_text("")
    with pytest.raises(BundleError, match="complaint-kit addin build"):
        build_bundle(tmp_path / "out", echo=lambda _: None, root=checkout)
