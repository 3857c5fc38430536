"""Working-time calendar speed: ``add`` and ``between`` per call against a lower bound.

The lower bound is plain ``datetime + timedelta`` (what a calendar-free deadline would cost).
Medians of ``--repeat`` runs of ``--calls`` calls each. Run:

    uv run python benchmarks/bench_calendar.py
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import datetime, timedelta

from complaint_kit.domain.calendar import WorkCalendar


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=20000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    rng = random.Random(1)
    starts = [datetime(2025, 1, 1) + timedelta(minutes=rng.randrange(0, 700 * 24 * 60)) for _ in range(args.calls)]
    spans = [rng.randrange(0, 12 * 480) for _ in range(args.calls)]
    cal = WorkCalendar()
    cal.between(datetime(2025, 1, 1), datetime(2026, 12, 31))  # warm the per-year tables once

    def run(fn) -> float:  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        fn()
        return (time.perf_counter() - t0) / args.calls * 1e6

    floor = statistics.median(
        run(lambda: [s + timedelta(minutes=m) for s, m in zip(starts, spans, strict=True)]) for _ in range(args.repeat)
    )
    add = statistics.median(
        run(lambda: [cal.add(s, m) for s, m in zip(starts, spans, strict=True)]) for _ in range(args.repeat)
    )
    ends = [cal.add(s, m) for s, m in zip(starts, spans, strict=True)]
    between = statistics.median(
        run(lambda: [cal.between(s, e) for s, e in zip(starts, ends, strict=True)]) for _ in range(args.repeat)
    )
    print(f"calls={args.calls} repeat={args.repeat}")
    print(f"lower bound datetime+timedelta: {floor:.2f} µs/call")
    print(f"add (working time, ≤12 days):   {add:.2f} µs/call  ratio {add / floor:.0f}")
    print(f"between (prefix sums):          {between:.2f} µs/call  ratio {between / floor:.0f}")


if __name__ == "__main__":
    main()
