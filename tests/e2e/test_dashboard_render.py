"""概览 in a real spreadsheet (issue 8, item 3): LibreOffice recalculates every number the charts
draw to what the register says, and prints the dashboard on two A4 landscape pages.

The expected figures are counted here, in Python, from the register's own cells — never read
back from a file the kit wrote (its formulas have no cached values)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from complaint_kit import layout as L
from complaint_kit.cli import app
from complaint_kit.demo import DEMO_KEY_FILE, run_demo
from complaint_kit.domain.rules import STAGE_ZH
from complaint_kit.templates import template_dir
from complaint_kit.templates.summary import BLOCK, HOLDERS, KEY_CELLS, ON_TIME_STAGES, OPEN_STAGES

pytestmark = pytest.mark.libreoffice
LATER = "2026-11-05T10:00"  # three days after the demo's last refresh: more cases are overdue


def register_rows(path: Path) -> list[dict[str, Any]]:
    ws = openpyxl.load_workbook(path)[L.REGISTER_SHEET]
    rows = list(ws.iter_rows(values_only=True))
    headers = [str(h) for h in rows[0]]
    by_header = [dict(zip(headers, r, strict=True)) for r in rows[1:] if any(v is not None for v in r)]
    return [{c.attr: row.get(c.header) for c in L.REGISTER_COLUMNS} for row in by_header]


def expected(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Every charted figure, counted from the register's cells as the formulas define them."""
    open_rows = [r for r in rows if r["status"] in L.SUMMARY_OPEN_STATUSES]
    out: dict[str, Any] = {}
    for s in OPEN_STAGES:
        here = [r for r in rows if r["current_stage"] == STAGE_ZH[s]]
        out[("stage", STAGE_ZH[s])] = (
            sum(r in open_rows for r in here),
            sum(r["timeliness"] == "逾期" for r in here),
        )
    for department in HOLDERS:
        here = [r for r in rows if r["holder"] == department]
        out[("holder", department)] = (
            sum(r in open_rows for r in here),
            sum(r["timeliness"] == "逾期" for r in here),
            sum(r["timeliness"] == "即将到期" for r in here),
        )
    stamps = [r[a] for r in rows for a in ("accepted_at", "refreshed_at") if isinstance(r[a], datetime)]
    as_of = max(stamps)
    for k in range(L.SUMMARY_MONTHS):
        back = L.SUMMARY_MONTHS - 1 - k
        year, month = divmod(as_of.year * 12 + as_of.month - 1 - back, 12)
        month += 1
        label = f"{year}-{month:02d}"
        markets = Counter(
            r["market"]
            for r in rows
            if isinstance(r["accepted_at"], datetime)
            and (r["accepted_at"].year, r["accepted_at"].month) == (year, month)
        )
        out[("month", label)] = (markets["国内"], markets["国外"])
    finished = on_time = 0
    for label, due_attr, done_attr in ON_TIME_STAGES:
        both = [r for r in rows if isinstance(r[due_attr], datetime) and isinstance(r[done_attr], datetime)]
        good = sum(r[done_attr] <= r[due_attr] for r in both)
        out[("on_time", label)] = (len(both), good, good / len(both) if both else None)
        finished, on_time = finished + len(both), on_time + good
    out["key"] = {
        L.SUMMARY_KEY_OPEN: len(open_rows),
        L.SUMMARY_KEY_OVERDUE: sum(r["timeliness"] == "逾期" for r in rows),
        L.SUMMARY_KEY_SOON: sum(r["timeliness"] == "即将到期" for r in rows),
        L.SUMMARY_KEY_ON_TIME: on_time / finished if finished else None,
        L.SUMMARY_KEY_AS_OF: as_of,
    }
    return out


def recalculated(ws) -> dict[str, Any]:
    """The dashboard's figures as LibreOffice computed them, keyed like :func:`expected`."""
    out: dict[str, Any] = {}

    def row(block, r: int) -> list[Any]:
        return [ws.cell(r, block.first_column + j).value for j in range(len(block.headers))]

    for key, width in (("stage", (2, 3)), ("holder", (1, 2, 3)), ("month", (1, 2)), ("on_time", (1, 2, 4))):
        block = BLOCK[key]
        for r in range(block.first_row, block.last_row + 1):
            values = row(block, r)
            out[(key, values[0])] = tuple(values[j] if values[j] != "" else None for j in width)
    out["key"] = {label: ws[cell].value if ws[cell].value != "" else None for label, cell in KEY_CELLS.items()}
    return out


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """The demo's register, refreshed once more at :data:`LATER`."""
    folder = tmp_path_factory.mktemp("dash") / "demo"
    run_demo(folder, echo=lambda _: None)
    reg = folder / L.REGISTER_FILE
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COMPLAINT_KIT_KEY_FILE", str(folder / DEMO_KEY_FILE))
        result = CliRunner().invoke(app, ["refresh", str(reg), "--now", LATER, "--user", "王静"])
    assert result.exit_code == 0, result.output
    return reg


def summary_only(src: Path, folder: Path) -> Path:
    """A copy of the register whose only visible sheet is 概览 (what an office prints)."""
    folder.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.load_workbook(src)
    for ws in wb.worksheets:
        ws.sheet_state = "visible" if ws.title == L.SUMMARY_SHEET else "hidden"
    wb.active = wb.sheetnames.index(L.SUMMARY_SHEET)
    out = folder / "概览.xlsx"
    wb.save(out)
    return out


def test_every_charted_number_recalculates_to_what_the_register_says(demo, tmp_path, libreoffice):
    want = expected(register_rows(demo))
    out = libreoffice(demo, "xlsx", tmp_path / "lo")
    got = recalculated(openpyxl.load_workbook(out, data_only=True)[L.SUMMARY_SHEET])
    for key, value in want.items():
        if key == "key":
            continue
        if key[0] == "on_time":
            assert got[key][:2] == value[:2], key
            assert got[key][2] == pytest.approx(value[2]), key
        else:
            assert got[key] == value, key
    assert got["key"][L.SUMMARY_KEY_ON_TIME] == pytest.approx(want["key"][L.SUMMARY_KEY_ON_TIME])
    for label in (L.SUMMARY_KEY_OPEN, L.SUMMARY_KEY_OVERDUE, L.SUMMARY_KEY_SOON, L.SUMMARY_KEY_AS_OF):
        assert got["key"][label] == want["key"][label], label
    # the figures are not all zero: a formula that always says 0 would fail here
    assert want["key"][L.SUMMARY_KEY_OVERDUE] >= 3 and sum(sum(v) for k, v in want.items() if k[0] == "month") >= 30
    assert any(v[1] < v[0] for k, v in want.items() if k != "key" and k[0] == "on_time")  # some stage finished late


def test_an_empty_register_shows_zeros_and_no_rate(tmp_path, libreoffice):
    out = libreoffice(template_dir() / L.REGISTER_FILE, "xlsx", tmp_path / "lo")
    got = recalculated(openpyxl.load_workbook(out, data_only=True)[L.SUMMARY_SHEET])
    counts = [v for k, v in got.items() if k != "key" and k[0] in ("stage", "holder", "month")]
    assert counts and all(x == 0 for v in counts for x in v)
    assert all(v == (0, 0, None) for k, v in got.items() if k[0] == "on_time")
    assert got["key"][L.SUMMARY_KEY_ON_TIME] is None and got["key"][L.SUMMARY_KEY_OPEN] == 0
    months = [k[1] for k in got if k != "key" and k[0] == "month"]
    as_of = got["key"][L.SUMMARY_KEY_AS_OF]  # no case yet: the twelve months end today
    assert months[-1] == f"{as_of.year}-{as_of.month:02d}" and len(set(months)) == L.SUMMARY_MONTHS


def test_the_dashboard_prints_on_two_a4_landscape_pages(demo, tmp_path, libreoffice):
    for tool in ("pdftotext", "pdfinfo"):
        if shutil.which(tool) is None:
            if os.environ.get("REQUIRE_LIBREOFFICE"):
                pytest.fail(f"{tool} (poppler-utils) is required here (REQUIRE_LIBREOFFICE is set)")
            pytest.skip(f"{tool} (poppler-utils) not installed")
    pdf = libreoffice(summary_only(demo, tmp_path / "copy"), "pdf", tmp_path / "lo")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+2$", info, re.M), info
    width, height = (float(x) for x in info.split("Page size:")[1].split("pts")[0].replace("x", " ").split())
    assert (round(width), round(height)) == (842, 595)  # A4 landscape
    pages = [
        subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True, text=True).stdout
        for n in (1, 2)
    ]
    for caption in (L.SUMMARY_TITLE, L.SUMMARY_STAGE_CAPTION, L.SUMMARY_HOLDER_CAPTION):
        assert caption in pages[0], caption
    for caption in (L.SUMMARY_MONTH_CAPTION.replace(" ", ""), L.SUMMARY_ON_TIME_CAPTION):
        assert caption in pages[1].replace(" ", ""), caption
