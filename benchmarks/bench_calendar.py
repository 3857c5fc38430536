"""Working-time calendar speed: ``add`` and ``between`` per call, and every deadline of 100,000 cases.

The lower bound is plain ``datetime + timedelta`` (what a calendar-free deadline would cost).
Medians of ``--repeat`` runs. Issue 10's target: all stage deadlines of 100,000 cases in ≤ 1 s.

Per case (as ``domain/routing.py`` computes them): the case due (C17: calendar days by default)
and the six stage dues of C6 (intake from the report, quality from the acceptance, each later
stage from the due of the one before). Two ways are timed:

* ``calendar``: the limits converted to working minutes once, then ``WorkCalendar.add`` and
  ``add_calendar_days`` per deadline — the calendar's own cost;
* ``routing``: ``compute_case_due`` / ``compute_stage_due`` per deadline — what the actions pay
  (including the settings' stage table and the Decimal → minutes conversion on every call).

Run:

    uv run python benchmarks/bench_calendar.py [--cases 100000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from complaint_kit.domain.calendar import WorkCalendar
from complaint_kit.domain.routing import compute_case_due, compute_stage_due, limit_minutes
from complaint_kit.domain.rules import STAGE_ORDER, Market, Stage
from complaint_kit.domain.settings import Settings

TIMED_STAGES = tuple(s for s in STAGE_ORDER if s is not Stage.APPROVAL)  # approval is due with the case


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``fn`` in seconds over ``repeat`` runs."""
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def make_cases(n: int, rng: random.Random) -> list[tuple[datetime, datetime, Market]]:
    """``n`` cases over 2025–2026: (reported at, accepted at, market), any minute of any day."""
    cases = []
    for _ in range(n):
        reported = datetime(2025, 1, 1) + timedelta(minutes=rng.randrange(0, 700 * 24 * 60))
        accepted = reported + timedelta(minutes=rng.randrange(0, 3 * 24 * 60))
        cases.append((reported, accepted, Market.FOREIGN if rng.random() < 0.3 else Market.DOMESTIC))
    return cases


def all_dues_calendar(
    cases: list[tuple[datetime, datetime, Market]], cal: WorkCalendar, settings: Settings
) -> list[datetime]:
    limits = settings.stage_limits()
    minutes = {
        (stage, market): limit_minutes(days, cal)
        for stage in TIMED_STAGES
        for market in Market
        if (days := limits[stage].days(market)) is not None
    }
    case_days = {market: settings.case_limit_days(market) for market in Market}
    add, add_days = cal.add, cal.add_calendar_days
    out = []
    for reported, accepted, market in cases:
        out.append(add_days(accepted, case_days[market]))
        out.append(add(reported, minutes[Stage.INTAKE, market]))
        due = accepted
        for stage in TIMED_STAGES[1:]:
            due = add(due, minutes[stage, market])
            out.append(due)
    return out


def all_dues_routing(
    cases: list[tuple[datetime, datetime, Market]], cal: WorkCalendar, settings: Settings
) -> list[datetime]:
    out = []
    for reported, accepted, market in cases:
        case_due = compute_case_due(accepted, market, settings=settings, calendar=cal)
        out.append(case_due)
        intake = compute_stage_due(Stage.INTAKE, reported, market, settings=settings, calendar=cal)
        assert intake is not None
        out.append(intake)
        due = accepted
        for stage in TIMED_STAGES[1:]:
            nxt = compute_stage_due(stage, due, market, settings=settings, calendar=cal, case_due=case_due)
            assert nxt is not None
            due = nxt
            out.append(due)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--calls", type=int, default=20000)
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    rng = random.Random(1)
    starts = [datetime(2025, 1, 1) + timedelta(minutes=rng.randrange(0, 700 * 24 * 60)) for _ in range(args.calls)]
    spans = [rng.randrange(0, 12 * 480) for _ in range(args.calls)]
    cal = WorkCalendar()
    cal.between(datetime(2025, 1, 1), datetime(2027, 12, 31))  # warm the per-year tables once

    def per_call(fn: Callable[[], object]) -> float:
        return timed(fn, args.repeat) / args.calls * 1e6

    floor = per_call(lambda: [s + timedelta(minutes=m) for s, m in zip(starts, spans, strict=True)])
    add = per_call(lambda: [cal.add(s, m) for s, m in zip(starts, spans, strict=True)])
    ends = [cal.add(s, m) for s, m in zip(starts, spans, strict=True)]
    between = per_call(lambda: [cal.between(s, e) for s, e in zip(starts, ends, strict=True)])
    print(f"calls={args.calls} repeat={args.repeat}")
    print(f"lower bound datetime+timedelta: {floor:.2f} µs/call")
    print(f"add (working time, ≤12 days):   {add:.2f} µs/call  ratio {add / floor:.1f}")
    print(f"between (prefix sums):          {between:.2f} µs/call  ratio {between / floor:.1f}")

    settings = Settings()
    cases = make_cases(args.cases, rng)
    n_dues = len(all_dues_calendar(cases[:1], cal, settings)) * len(cases)
    case_floor = timed(
        lambda: [a + timedelta(minutes=m) for _, a, _ in cases for m in (1, 2, 3, 4, 5, 6, 7)], args.repeat
    )
    by_calendar = timed(lambda: all_dues_calendar(cases, cal, settings), args.repeat)
    by_routing = timed(lambda: all_dues_routing(cases, cal, settings), args.repeat)
    assert all_dues_calendar(cases, cal, settings) == all_dues_routing(cases, cal, settings)
    print(f"\n{len(cases):,} cases, {n_dues:,} deadlines (case due + 6 stage dues each), target ≤ 1 s:")
    print(f"lower bound, 7 × datetime+timedelta per case: {case_floor:.3f} s")
    print(f"calendar (add / add_calendar_days):           {by_calendar:.3f} s  ratio {by_calendar / case_floor:.1f}")
    print(f"routing (compute_case_due / compute_stage_due): {by_routing:.3f} s  ratio {by_routing / case_floor:.1f}")


if __name__ == "__main__":
    main()
