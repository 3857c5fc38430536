"""The register benchmark runs end to end at a tiny size, so that it cannot rot (issue 10).

Only that every command succeeds and the table is complete; never the timings (STYLE: benchmarks
live in ``benchmarks/``, not in timed tests).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from benchmarks.bench_register import BOUNDS, COMMANDS

ROOT = Path(__file__).resolve().parents[1]


def test_the_register_benchmark_runs_every_command_and_writes_its_table(tmp_path):
    out = tmp_path / "register.md"
    args = ["--rows", "30", "--repeat", "1", "--forms", "2", "--out", str(out), "--note", "tiny run"]
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_register.py"), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    text = out.read_text(encoding="utf-8")
    assert text in done.stdout and "bench_register.py --rows 30 --repeat 1" in text and "tiny run" in text
    rows = [line for line in text.splitlines() if line.startswith("| 30 |")]
    shown = {line.split("|")[2].strip().strip("*") for line in rows}
    assert shown == {*BOUNDS, *(c for c in COMMANDS if c != "import"), "import 2 forms"}
    assert all(line.count("|") == 7 for line in rows)
    assert "30 cases" in text and "CPUs" in text
