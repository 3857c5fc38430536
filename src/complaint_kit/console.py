"""What the CLI prints besides messages: tables for a terminal (rich, which measures CJK width),
and a progress bar on long work that shows only on a terminal (issue 8 items 6 and 9)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")


def reminder_table(overdue_cases: dict[str, list[tuple[str, str, str]]]) -> str:
    """The 催办单 of a refresh as a terminal table: per department holding overdue cases, how
    many and which (case, stage, how late in working time)."""
    from rich.console import Console
    from rich.table import Table

    if not overdue_cases:
        return "催办单 reminders (C18)：无逾期案件 — no overdue cases"
    table = Table(title="催办单 reminders (C18)", title_justify="left")
    table.add_column("持有部门 department")
    table.add_column("逾期 overdue", justify="right")
    table.add_column("案件（阶段，逾期工时） cases (stage, late by)")
    for dept in sorted(overdue_cases):
        rows = overdue_cases[dept]
        table.add_row(dept, str(len(rows)), "\n".join(f"{case}（{stage}，{late}）" for case, stage, late in rows))
    table.add_row("合计 total", str(sum(len(r) for r in overdue_cases.values())), "", end_section=True)
    console = Console(width=120, force_terminal=False, color_system=None)
    with console.capture() as cap:
        console.print(table)
    return cap.get().rstrip("\n")


def import_table(results: list[Any]) -> str:
    """The one summary of an import (issue 9): each file, its case, what became of it and why."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title="导入结果 import results", title_justify="left")
    for header in ("文件 file", "客诉编号 case", "结果 result", "说明 detail"):
        table.add_column(header, overflow="fold")
    for r in results:
        table.add_row(r.label, r.case_no or "—", f"{r.verdict}\n{r.verdict.en}", r.detail)
    console = Console(width=140, force_terminal=False, color_system=None)
    with console.capture() as cap:
        console.print(table)
    return cap.get().rstrip("\n")


def progress(items: Iterable[T], *, total: int, label: str) -> Iterator[T]:
    """``items`` with a progress bar on stderr when it is a terminal; nothing otherwise (a pipe,
    a log file, the test runner)."""
    if not sys.stderr.isatty():
        yield from items
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task(label, total=total)
        for item in items:
            yield item
            bar.advance(task)


@contextlib.contextmanager
def working(label: str) -> Iterator[None]:
    """A spinner with ``label`` on stderr while a long step runs (reading and writing a large
    register), on a terminal only."""
    if not sys.stderr.isatty():
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(label):
        yield
