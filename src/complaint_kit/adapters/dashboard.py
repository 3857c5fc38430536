"""概览 keeps its charts through every save of a register (issue 8, item 3).

The dashboard is built once, in the template (:mod:`complaint_kit.templates.summary`): formulas
over the ``Register`` table and four native charts over those cells. Excel and LibreOffice
recalculate it; the kit never writes to it. openpyxl 3.1 reads charts back and writes them
unchanged (checked byte for byte after the demo's accepts, completions and refreshes), so an
ordinary save needs nothing. Two cases do: a register built before the dashboard existed (its
概览 is a plain count table), and a file whose charts openpyxl could not read (it drops them with
a warning). :func:`ensure_dashboard`, called on every save by
:meth:`~complaint_kit.adapters.openpyxl_book.OpenpyxlBook.stage`, rebuilds 概览 in place then —
and only then: a 概览 that has its charts is left exactly as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from .. import layout
from ..templates.summary import build_summary, register_headers_read

__all__ = ["ChartRefs", "chart_refs", "ensure_dashboard"]


@dataclass(frozen=True, slots=True)
class ChartRefs:
    """What a chart on a sheet shows and where it sits: enough to say it is the right chart."""

    title: str
    categories: str  # ``'概览'!$A$29:$A$34``
    series: tuple[tuple[str, str], ...]  # (name ref, values ref) per series
    cells: str  # the cells it covers, ``A12:E26``; empty for a chart not anchored cell to cell


def _title(chart: Any) -> str:
    try:
        return "".join(run.t or "" for p in chart.title.tx.rich.p for run in p.r or ())
    except AttributeError:
        return ""


def _cells(chart: Any) -> str:
    anchor = getattr(chart, "anchor", None)
    start, end = getattr(anchor, "_from", None), getattr(anchor, "to", None)
    if start is None or end is None:
        return ""
    # ``to`` is the cell where the chart ends (offset 0: it covers the cells before it)
    return f"{get_column_letter(start.col + 1)}{start.row + 1}:{get_column_letter(end.col)}{end.row}"


def chart_refs(ws: Worksheet) -> list[ChartRefs]:
    """Every chart openpyxl holds for ``ws``, in drawing order."""
    out = []
    for chart in ws._charts:
        series = tuple((s.tx.strRef.f if s.tx and s.tx.strRef else "", s.val.numRef.f) for s in chart.series)
        first = chart.series[0] if chart.series else None
        categories = first.cat.strRef.f if first is not None and first.cat and first.cat.strRef else ""
        out.append(ChartRefs(_title(chart), categories, series, _cells(chart)))
    return out


def _register_headers(wb: Workbook) -> set[str]:
    for ws in wb.worksheets:
        table = ws.tables.get(layout.REGISTER_TABLE)
        if table is not None:
            min_col, min_row, max_col, _ = range_boundaries(str(table.ref))
            return {str(ws.cell(min_row, c).value) for c in range(min_col, max_col + 1)}
    return set()


def ensure_dashboard(wb: Workbook) -> bool:
    """Rebuild 概览 when it has no chart and the workbook's ``Register`` table has every column its
    formulas read; True when it was rebuilt. Anything else — a form, a register without 概览, a
    概览 with its charts — is left untouched."""
    if layout.SUMMARY_SHEET not in wb.sheetnames:
        return False
    old = wb[layout.SUMMARY_SHEET]
    if old._charts or not register_headers_read() <= _register_headers(wb):
        return False
    index, state, active = wb.sheetnames.index(old.title), old.sheet_state, wb.active is old
    wb.remove(old)
    ws = wb.create_sheet(layout.SUMMARY_SHEET, index)
    build_summary(ws)
    ws.sheet_state = state
    if active:
        wb.active = index
    return True
