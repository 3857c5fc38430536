"""Mutation score of the domain (issue 12): ``uv run python -m tests.mutation.run``.

Runs mutmut (configured in ``pyproject.toml`` ``[tool.mutmut]``: mutate ``src/complaint_kit/domain``,
run ``tests/domain``) on a fresh ``mutants/`` copy, then prints the totals, the score and every
surviving mutant with its diff. Mutants listed in ``tests/mutation/equivalent.toml`` (an
equivalent mutant: no test can tell it from the original) are marked with their reason and left
out of the score:

    score = killed / (total - equivalent)

where ``total`` counts every mutant mutmut made (timeouts count as killed only if mutmut says so;
"no tests", "suspicious" and survivors count against the score). An equivalent entry names the
mutant and the line it introduces; an entry whose mutant no longer exists or no longer makes that
change is reported as stale (the code moved: look again), and the run fails.

Options: ``--max-children N`` (default 2: the CI machine has two cores), ``--report`` (no run,
report the last one), ``--fail-under P`` (default 90), ``--quiet-diffs`` (names only).
Exit status 1 when the score is below ``--fail-under`` or an equivalent entry is stale.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EQUIVALENT_FILE = Path(__file__).with_name("equivalent.toml")
PROFILE_ENV = "COMPLAINT_KIT_HYPOTHESIS_PROFILE"  # read by tests/domain/conftest.py


@dataclass(frozen=True)
class Equivalent:
    mutant: str
    line: str  # the mutated line as it appears in the diff (after "+"), stripped
    reason: str


def load_equivalents(path: Path = EQUIVALENT_FILE) -> dict[str, Equivalent]:
    data = tomllib.loads(path.read_text("utf-8")) if path.exists() else {}
    out: dict[str, Equivalent] = {}
    for entry in data.get("mutant", []):
        eq = Equivalent(entry["name"], entry["line"].strip(), entry["reason"].strip())
        if eq.mutant in out:
            raise SystemExit(f"{path.name}: {eq.mutant} is listed twice")
        out[eq.mutant] = eq
    return out


def run_mutmut(max_children: int) -> float:
    shutil.rmtree(ROOT / "mutants", ignore_errors=True)  # fresh: no result cached from older tests
    env = {**os.environ, PROFILE_ENV: "mutation"}
    started = time.monotonic()
    cmd = [sys.executable, "-m", "mutmut", "run", "--max-children", str(max_children)]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.monotonic() - started
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-4000:])
        raise SystemExit(f"mutmut run failed (exit {proc.returncode})")
    return elapsed


def collect() -> tuple[dict[str, str], dict[str, str]]:
    """``{mutant: status}`` and ``{mutant: source path}`` of the last run, read from ``mutants/``."""
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.stats import status_by_exit_code
    from mutmut.utils.file_utils import walk_mutatable_files

    status: dict[str, str] = {}
    where: dict[str, str] = {}
    for path in walk_mutatable_files():
        data = SourceFileMutationData(path=path)
        data.load()
        for name, code in data.exit_code_by_key.items():
            status[name] = status_by_exit_code[code]
            where[name] = str(path)
    return status, where


def diff_of(name: str, path: str) -> str:
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    return get_diff_for_mutant(name, path=path)


def added_lines(diff: str) -> list[str]:
    return [ln[1:].strip() for ln in diff.splitlines() if ln.startswith("+") and not ln.startswith("+++")]


def match_equivalents(
    equivalents: dict[str, Equivalent], status: dict[str, str], diffs: dict[str, str]
) -> tuple[dict[str, Equivalent], list[str]]:
    """The listed equivalents that still hold, and a line for each stale entry: its mutant is gone,
    killed now, or no longer introduces the line the entry names."""
    found: dict[str, Equivalent] = {}
    stale: list[str] = []
    for name, eq in equivalents.items():
        if name not in status:
            stale.append(f"{name}: no such mutant any more")
        elif status[name] == "killed":
            stale.append(f"{name}: now killed, remove it from {EQUIVALENT_FILE.name}")
        elif eq.line not in added_lines(diffs.get(name, "")):
            stale.append(f"{name}: the mutant no longer introduces {eq.line!r}")
        else:
            found[name] = eq
    return found, stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-children", type=int, default=2)
    parser.add_argument("--report", action="store_true", help="report the last run without running mutmut")
    parser.add_argument("--fail-under", type=float, default=90.0)
    parser.add_argument("--quiet-diffs", action="store_true")
    args = parser.parse_args(argv)

    os.chdir(ROOT)
    elapsed = None if args.report else run_mutmut(args.max_children)
    equivalents = load_equivalents()
    status, where = collect()
    if not status:
        print("no mutation results: run without --report first")
        return 1

    counts = Counter(status.values())
    not_killed = sorted(n for n, s in status.items() if s != "killed")
    diffs = {n: diff_of(n, where[n]) for n in not_killed}
    equivalent_found, stale = match_equivalents(equivalents, status, diffs)

    total = len(status)
    killed = counts["killed"]
    denominator = total - len(equivalent_found)
    score = 100.0 * killed / denominator if denominator else 100.0

    print("Mutation testing of src/complaint_kit/domain with tests/domain (mutmut)")
    if elapsed is not None:
        print(f"  run time    {elapsed:.0f} s (--max-children {args.max_children})")
    print(f"  mutants     {total}")
    print(f"  killed      {killed}")
    print(f"  survived    {counts['survived']}")
    print(f"  timeout     {counts['timeout']}")
    print(f"  suspicious  {counts['suspicious']}")
    others = {k: v for k, v in counts.items() if k not in {"killed", "survived", "timeout", "suspicious"}}
    for kind, n in sorted(others.items()):
        print(f"  {kind:<11} {n}")
    print(f"  equivalent  {len(equivalent_found)} (listed in tests/mutation/{EQUIVALENT_FILE.name})")
    print(f"  score       {score:.1f} % = killed / (total - equivalent) = {killed} / {denominator}")
    print(f"  raw score   {100.0 * killed / total:.1f} % = killed / total (equivalents counted as survivors)")
    print()
    survivors = [n for n in not_killed if n not in equivalent_found]
    print(f"Not killed and not equivalent ({len(survivors)}):")
    for name in survivors:
        print(f"\n--- {name} [{status[name]}]")
        if not args.quiet_diffs:
            print(diffs[name])
    print(f"\nEquivalent mutants ({len(equivalent_found)}):")
    for name, eq in sorted(equivalent_found.items()):
        print(f"\n--- {name} [{status[name]}, equivalent] {eq.reason}")
        if not args.quiet_diffs:
            print(diffs[name])
    if stale:
        print(f"\nStale entries in {EQUIVALENT_FILE.name} ({len(stale)}):")
        for line in stale:
            print(f"  {line}")
    ok = score >= args.fail_under and not stale
    print(f"\n{'PASS' if ok else 'FAIL'}: score {score:.1f} % (required {args.fail_under:.0f} %)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
