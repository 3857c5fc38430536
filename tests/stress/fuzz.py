"""Issue 6, item 5 (full size): ≥ 10,000 hostile values and malformed workbooks through validate,
accept and complete; prints the counts. Exit status 1 when any input raised a traceback, a value
the kit must refuse went through, or a refusal had no Chinese text.

    uv run python tests/stress/fuzz.py                      # 10,000 values + 2,000 workbooks
    uv run python tests/stress/fuzz.py --values 500 --workbooks 50 --seed 7
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.fuzz.hostile import Tally, run


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--values", type=int, default=10_000)
    ap.add_argument("--workbooks", type=int, default=2_000)
    ap.add_argument("--seed", type=int, default=20261128)
    args = ap.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        values, books = run(
            values=args.values, workbooks=args.workbooks, seed=args.seed, folder=Path(tmp), progress=print
        )
    total = Tally()
    total.add(values)
    total.add(books)
    print(values.line("hostile values   "))
    print(books.line("malformed books  "))
    print(total.line("total            "))
    print(f"seed={args.seed} time={time.perf_counter() - started:.0f}s")
    for example in total.examples:
        print("---", example)
    return 1 if total.tracebacks or total.missed or total.unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
