"""Shared fixtures: in-memory copies of the real templates, and the LibreOffice helper."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from complaint_kit import layout as L
from complaint_kit.adapters.memory import MemoryBook
from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
from complaint_kit.templates import template_dir

ROOT = Path(__file__).resolve().parents[1]
# Properties, not timings: a slow shared CI machine must not fail a property test.
hypothesis_settings.register_profile("kit", deadline=None, max_examples=150)
hypothesis_settings.load_profile("kit")


def memory_from_template(file: str) -> MemoryBook:
    """The committed template, loaded into a MemoryBook (names and tables only)."""
    book = OpenpyxlBook.open(template_dir() / file)
    names = list(book.wb.defined_names)
    tables = {name: book.read_table(name) for name in book._tables}
    return MemoryBook(names=book.read_names(names), tables=tables, label=file)


# The reason every xlwings remote-engine test skips with when no licence key is set (tests/adapters/remote.py);
# the summary below counts these skips and prints the command that runs them.
NO_XLWINGS_LICENSE = "xlwings remote engine needs XLWINGS_LICENSE_KEY (noncommercial for this open test suite)"
XLWINGS_COMMAND = "XLWINGS_LICENSE_KEY=noncommercial uv run pytest"


def pytest_terminal_summary(terminalreporter) -> None:
    """One clear line when the xlwings remote-engine tests were skipped for lack of a licence key."""
    skipped = [
        r for r in terminalreporter.stats.get("skipped", []) if NO_XLWINGS_LICENSE in str(getattr(r, "longrepr", ""))
    ]
    if skipped:
        terminalreporter.write_line(
            f"NOT RUN: {len(skipped)} xlwings remote-engine tests skipped (XLWINGS_LICENSE_KEY is not set);"
            f" run them with: {XLWINGS_COMMAND}",
            yellow=True,
            bold=True,
        )


KEY = bytes(range(32))  # the GM office's signing key in tests (issue 6)


@pytest.fixture(autouse=True)
def _signing_key(tmp_path_factory, monkeypatch) -> Path:
    """Every test has a signing key and a conf file of its own: nothing touches ~/.complaint_kit."""
    folder = tmp_path_factory.mktemp("kit-home")
    key_file = folder / "signing.key"
    key_file.write_text(KEY.hex() + "\n", encoding="ascii")
    monkeypatch.setenv("COMPLAINT_KIT_KEY_FILE", str(key_file))
    monkeypatch.setenv("COMPLAINT_KIT_CONF", str(folder / L.CONF_FILE))
    return key_file


@pytest.fixture
def form() -> MemoryBook:
    return memory_from_template(L.FORM_FILE)


@pytest.fixture
def register() -> MemoryBook:
    return memory_from_template(L.REGISTER_FILE)


@pytest.fixture(autouse=True)
def _close_remote_books():
    """Workbooks given to xlwings' remote engine stay 'open' process-wide: close them after each test."""
    yield
    import sys

    remote = sys.modules.get("tests.adapters.remote")
    if remote is not None:
        remote.close_all()


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture
def libreoffice():
    """Convert a workbook with LibreOffice headless; skip when it is not installed (CI installs it)."""
    exe = soffice()
    if exe is None:
        if os.environ.get("REQUIRE_LIBREOFFICE"):
            pytest.fail("LibreOffice is required here (REQUIRE_LIBREOFFICE is set) but soffice was not found")
        pytest.skip("LibreOffice (soffice) not installed")

    def convert(src: Path, fmt: str, outdir: Path) -> Path:
        outdir.mkdir(parents=True, exist_ok=True)
        profile = outdir / ".lo-profile"
        subprocess.run(
            [
                exe,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--calc",
                "--convert-to",
                fmt,
                "--outdir",
                str(outdir),
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        out = outdir / f"{src.stem}.{fmt.split(':')[0]}"
        assert out.exists(), f"LibreOffice did not write {out}"
        return out

    return convert
