"""Refreshing a large register: the kit's cost against the I/O lower bound.

The lower bound is what any openpyxl-based tool must pay: load the register and save it
unchanged. The ratio (refresh ÷ lower bound, medians of ``--repeat`` runs) says how much the
kit's own work (reading the tables, recomputing every case on the working calendar, rewriting
the table body and the 催办单 sheet) adds. Run:

    uv run python benchmarks/bench_refresh.py --rows 2000 --repeat 3
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

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

# The register as it stands at AS_OF (the benchmarks run their commands "now" = AS_OF): cases
# from START on, most of them closed; the newest OPEN_SHARE of them were reported in the last
# RECENT_DAYS working days and are still open, a minority of those overdue.
START = datetime(2026, 1, 5, 9, 0)
AS_OF = datetime(2026, 12, 1, 10, 0)
OPEN_SHARE = 0.15
RECENT_DAYS = 8
LATE_STAGE = 0.2  # chance that a department finishes its stage after the deadline
STUCK = 0.005  # older cases whose negotiation with the customer drags on (open, overdue)
RND_SHARE = 0.3  # share of cases that need R&D's opinion (C6.5)
PEOPLE = ("张敏", "王五", "刘洋", "陈刚", "王静")
REQUESTS = ("退货", "折让", "补货", "重工")
DEFECTS = ("阻焊起泡", "线路开路", "孔铜不足", "板翘", "字符模糊", "尺寸超差")
UNITS = ("制造部", "研发部", "采购部", "业务部")


def make_register(path: Path, rows: int) -> None:
    """A register of ``rows`` cases shaped like a real one at :data:`AS_OF`, built through the domain.

    Cases arrive in case-number order; each department takes a random share of its stage's limit
    (a stage is late with probability :data:`LATE_STAGE`), so closed cases carry some 逾期完成
    stages. The oldest ``1 - OPEN_SHARE`` of the cases spread from :data:`START` to
    :data:`RECENT_DAYS` working days before :data:`AS_OF` and are nearly all closed; the newest
    arrived since and are mostly open: at 10,000 rows about XX. Case
    numbers are real (``YYMM`` + serial, C3), the serial as wide as the busiest month needs with room
    for 1,000 more (the 设置 sheet says so), and the 编号台账 remembers the last serial of every month.
    """
    rules = Rules.of(Settings())
    cal, s = rules.calendar, rules.settings
    book = OpenpyxlBook.open(template_dir() / L.REGISTER_FILE)
    table = book.read_table(L.REGISTER_TABLE)
    recent = min(rows, round(rows * OPEN_SHARE))
    total = cal.between(START, AS_OF)
    history_end = total - RECENT_DAYS * cal.day_minutes
    records = []
    for i in range(rows):
        rng = random.Random(i)
        if i < rows - recent:
            offset = i * history_end // max(1, rows - recent)
        else:
            offset = history_end + (i - (rows - recent)) * (total - history_end - 120) // max(1, recent)
        reported = cal.add(START, offset)
        market = Market.FOREIGN if i % 3 == 0 else Market.DOMESTIC
        received = cal.add(reported, 60)
        routing, _ = compute_acceptance(
            market=market,
            reported_at=reported,
            received_at=received,
            accepted_at=cal.add(reported, 90),
            sales_rep="李强",
            settings=s,
            calendar=cal,
        )
        rnd_needed = rng.random() < RND_SHARE
        while (current := routing.current) is not None and current.start and current.due:
            span = cal.between(current.start, current.due)
            if current.stage is Stage.APPROVAL:  # due with the whole case (C17); the GM signs within a day
                span = min(span, cal.day_minutes)
            late = rng.random() < LATE_STAGE
            pace = rng.uniform(1.1, 1.8) if late else rng.uniform(0.2, 0.9)
            if current.stage is Stage.NEGOTIATION and rng.random() < STUCK:
                pace = 100.0
            done = cal.add(current.start, max(30, int(span * pace)))
            if done > AS_OF:
                break
            routing, _ = compute_completion(
                routing, current.stage, by=rng.choice(PEOPLE), now=done, rnd_needed=rnd_needed, settings=s, calendar=cal
            )
        rec = {
            "customer": f"客户{i % 50}",
            "market": market.value,
            "sales_rep": "李强",
            "order_no": f"SO{26000 + i * 7 % 9000}",
            "part_no": f"PCB-{i % 300:03d}",
            "customer_request": rng.choice(REQUESTS),
            "defect_qty": 1 + i * 13 % 500,
            "description": rng.choice(DEFECTS),
            "rnd_needed": "是" if rnd_needed else "否",
            "responsible_unit": rng.choice(UNITS),
            "reported_at": reported,
            "received_at": received,
            **{k: v for k, v in routing_fields(routing).items() if k in L.COLUMN_BY_ATTR},
        }
        assessment = compute_assessment(routing, now=AS_OF, settings=s, calendar=cal)
        rec.update(assessment_fields(assessment, routing, now=AS_OF))
        records.append(rec)
    serials = number_cases(records)
    width = max(2, len(str(max(serials.values(), default=0) + 1000)))  # room for 1,000 more in a month
    for rec in records:
        rec["case_no"] = f"{rec.pop('_month')}{rec.pop('_serial'):0{width}d}"
    settings = book.read_table(L.SETTINGS_TABLE)
    key_h, value_h = L.SETTINGS_HEADERS[0], L.SETTINGS_HEADERS[2]
    key_i, value_i = settings.headers.index(key_h), settings.headers.index(value_h)
    for row in settings.rows:
        if row[key_i] == "case_no_serial_width":
            row[value_i] = width
    book.apply(
        Changes(
            tables={
                L.REGISTER_TABLE: register_rows(table, records),
                L.SETTINGS_TABLE: settings.rows,
                L.SERIALS_TABLE: [[month, serial] for month, serial in serials.items()],
            }
        )
    )
    book.save(path)


def add_history(path: Path, per_case: float) -> None:
    """Give the register the 日志 and 签章 a real one has: about ``per_case`` journal entries and
    as many seals per case (the demo has 5.6 of each; accepting, each stage, consolidation and
    approval add one). Hashes and MACs are random hex of the real length and the key id is blank
    (an unkeyed seal), so the commands run, although ``verify`` would not pass this history.
    Written through the register engine (openpyxl needs minutes for 550,000 rows)."""
    import json
    import secrets

    from complaint_kit.adapters.register_file import RegisterFile
    from complaint_kit.domain.values import parse_instant

    book = RegisterFile.open(path)
    table = book.read_table(L.REGISTER_TABLE)
    case_i, at_i = (
        table.headers.index(L.REGISTER_HEADERS[0]),
        table.headers.index(L.COLUMN_BY_ATTR["accepted_at"].header),
    )
    scopes = [s.zh for s in Stage]
    fields = json.dumps({f"F{i}": secrets.token_hex(8) for i in range(8)}, separators=(",", ":"))
    journal, seals = [], []
    owed = 0.0
    for row in table.rows:
        accepted = parse_instant(row[at_i])
        at = accepted[0] if accepted else START
        owed += per_case
        for k in range(int(owed)):  # 5.5 per case: 5, 6, 5, 6 …
            when = at.replace(minute=0) if k == 0 else at
            journal.append([when, PEOPLE[k % len(PEOPLE)], "阶段完成", row[case_i], "表单", secrets.token_hex(32)])
            seals.append(
                [row[case_i], scopes[k % len(scopes)], when, PEOPLE[k % len(PEOPLE)], fields, "", secrets.token_hex(32)]
            )
        owed -= int(owed)
    book.apply(Changes(tables={L.JOURNAL_TABLE: journal, L.SIGNATURES_TABLE: seals}))
    book.save()


def number_cases(records: list[dict[str, Any]]) -> dict[str, int]:
    """Give each record its month (``YYMM`` of acceptance) and serial (C3); the last serial per month."""
    last: dict[str, int] = {}
    for rec in records:
        month = f"{rec['accepted_at']:%y%m}"
        last[month] = last.get(month, 0) + 1
        rec["_month"], rec["_serial"] = month, last[month]
    return last


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
            outcome = refresh_register(book, now=AS_OF, user="bench", key=bytes(32))
            assert outcome.ok, outcome.problems
            book.save()

        floor = statistics.median(timed(lower_bound) for _ in range(args.repeat))
        kit = statistics.median(timed(refresh) for _ in range(args.repeat))
    print(f"rows={args.rows} repeat={args.repeat} (register built in {t_make:.1f}s)")
    print(f"lower bound (openpyxl load+save): median {floor:.2f}s")
    print(f"refresh (load+compute+write+save): median {kit:.2f}s  ratio {kit / floor:.2f}")


if __name__ == "__main__":
    main()
