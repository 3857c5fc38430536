"""Refreshing a large register: the kit's cost against the I/O lower bound.

The lower bound is what any openpyxl-based tool must pay: load the register and save it
unchanged. The ratio (refresh ÷ lower bound, medians of ``--repeat`` runs) says how much the
kit's own work (reading the tables, recomputing every case on the working calendar, rewriting
the table body and the 催办单 sheet) adds. Run:

    uv run python benchmarks/bench_refresh.py --rows 2000 --repeat 3
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from complaint_kit import layout as L
from complaint_kit.actions.context import Rules
from complaint_kit.actions.records import assessment_fields, register_rows, routing_fields
from complaint_kit.actions.register import refresh_register
from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
from complaint_kit.domain.routing import compute_acceptance, compute_assessment, compute_completion
from complaint_kit.domain.rules import Market, Stage
from complaint_kit.domain.settings import Settings
from complaint_kit.ports import Changes
from complaint_kit.templates import template_dir


def make_register(path: Path, rows: int) -> None:
    """A register of ``rows`` cases in various stages, built through the domain."""
    rules = Rules.of(Settings())
    cal, s = rules.calendar, rules.settings
    book = OpenpyxlBook.open(template_dir() / L.REGISTER_FILE)
    table = book.read_table(L.REGISTER_TABLE)
    records = []
    start = datetime(2026, 1, 5, 9, 0)
    stages = [Stage.QUALITY, Stage.MANUFACTURING, Stage.RND, Stage.NEGOTIATION, Stage.CONSOLIDATION, Stage.APPROVAL]
    for i in range(rows):
        reported = cal.add(start, (i * 37) % (200 * 480))
        market = Market.FOREIGN if i % 3 == 0 else Market.DOMESTIC
        routing, _ = compute_acceptance(
            market=market,
            reported_at=reported,
            received_at=cal.add(reported, 60),
            accepted_at=cal.add(reported, 90),
            sales_rep="李强",
            settings=s,
            calendar=cal,
        )
        now = cal.add(reported, 90)
        for stage in stages[: i % 7]:
            now = cal.add(now, 300 + (i % 5) * 100)
            routing, _ = compute_completion(routing, stage, by="x", now=now, rnd_needed=True, settings=s, calendar=cal)
        rec = {
            "case_no": f"B{i:06d}",
            "customer": f"客户{i % 50}",
            "market": market.value,
            "sales_rep": "李强",
            "reported_at": reported,
            "received_at": cal.add(reported, 60),
            **{k: v for k, v in routing_fields(routing).items() if k in L.COLUMN_BY_ATTR},
        }
        rec.update(assessment_fields(compute_assessment(routing, now=now, settings=s, calendar=cal), routing, now=now))
        records.append(rec)
    book.apply(Changes(tables={L.REGISTER_TABLE: register_rows(table, records)}))
    book.save(path)


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "register.xlsx"
        t_make = timed(lambda: make_register(base, args.rows))
        work = Path(tmp) / "work.xlsx"

        def lower_bound() -> None:
            shutil.copyfile(base, work)
            OpenpyxlBook.open(work).save()

        def refresh() -> None:
            shutil.copyfile(base, work)
            book = OpenpyxlBook.open(work)
            when = datetime(2026, 12, 1, 10, 0) + timedelta()
            outcome = refresh_register(book, now=when, user="bench", key=bytes(32))
            assert outcome.ok, outcome.problems
            book.save()

        floor = statistics.median(timed(lower_bound) for _ in range(args.repeat))
        kit = statistics.median(timed(refresh) for _ in range(args.repeat))
    print(f"rows={args.rows} repeat={args.repeat} (register built in {t_make:.1f}s)")
    print(f"lower bound (openpyxl load+save): median {floor:.2f}s")
    print(f"refresh (load+compute+write+save): median {kit:.2f}s  ratio {kit / floor:.2f}")


if __name__ == "__main__":
    main()
