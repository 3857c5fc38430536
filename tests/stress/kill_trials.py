"""Kill clerks mid-save, full size (issue 6: ≥ 1,000 runs).

    uv run python -m tests.stress.kill_trials --trials 1000

Each trial runs ``accept``, ``complete -r`` or ``refresh`` in a forked process and kills it with
SIGKILL at one step of the commit (half-written temp file, before / after the commit record, after
the first file replaced, before clean-up) or at a random moment; then recovery runs as the next
command would, and the invariants are checked: the register opens, no case number repeats, every
form is numbered with its register row or neither, stage progress is the same on form and
register, nothing is left behind. Prints the counts; exits 1 on any broken trial.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from tests.stress import harness as h


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20261128)
    parser.add_argument("--forms", type=int, default=0, help="forms in the office (default: trials // 2 + 10)")
    parser.add_argument("--cases", type=int, default=0, help="cases (and their history) already in the register")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="ck-kill-"))
    started = time.monotonic()
    office = h.make_office(root, forms=args.forms or args.trials // 2 + 10, cases=args.cases)
    work = root / "work"
    work.mkdir()
    print(f"office ready in {time.monotonic() - started:.1f} s: {root}", flush=True)
    started = time.monotonic()
    result = h.kill_trials(office, trials=args.trials, seed=args.seed, work=work, echo=lambda m: print(m, flush=True))
    result["seconds"] = round(time.monotonic() - started, 1)
    failures = result.pop("failures")
    print(json.dumps(result, ensure_ascii=False, indent=1))
    for f in failures:
        print("BROKEN", f)
    print(f"{args.trials} trials, {len(failures)} broken, {result['stats'].get('killed', 0)} killed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
