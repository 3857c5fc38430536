"""Clerks accepting at once, full size (issue 6: ≥ 100 rounds of 4 concurrent accepts).

    uv run python -m tests.stress.concurrent_accepts --rounds 100 --clerks 4 [--wait 0]

Each round starts ``clerks`` ``accept`` commands together on one register (different forms).
With the default wait every clerk must get through in turn; with ``--wait 0`` the ones that find
the register busy must be refused with a message naming who holds it, writing nothing. Counts:
succeeded, lost (success reported but not recorded), duplicate numbers, refused-and-told, other.
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
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--clerks", type=int, default=4)
    parser.add_argument("--wait", type=float, default=None, help="seconds a clerk waits for the lock (default 30)")
    parser.add_argument("--cases", type=int, default=0, help="cases (and their history) already in the register")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="ck-conc-"))
    office = h.make_office(root, forms=args.rounds * args.clerks, cases=args.cases)
    work = root / "work"
    work.mkdir()
    started = time.monotonic()
    result = h.concurrent_rounds(office, rounds=args.rounds, clerks=args.clerks, work=work, wait=args.wait)
    result["seconds"] = round(time.monotonic() - started, 1)
    failures = result.pop("failures")
    print(json.dumps(result, ensure_ascii=False, indent=1))
    for f in failures:
        print("BROKEN", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
