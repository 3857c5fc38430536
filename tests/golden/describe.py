"""Normalised description of a workbook for golden tests (after XlsxWriter's golden files).

Volatile parts (zip timestamps, style ids) are left out; what a user meets is kept: sheets,
values, formulas, defined names, tables, validations, conditional formats, protection, print set-up.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl


def _value(v: Any) -> Any:
    if isinstance(v, datetime | date):
        return v.isoformat()
    if isinstance(v, Decimal):
        return str(v)
    return v


def describe_workbook(path: Path, *, skip_sheets: tuple[str, ...] = ()) -> dict[str, Any]:
    wb = openpyxl.load_workbook(path)
    out: dict[str, Any] = {
        "names": {n: str(dn.attr_text) for n, dn in sorted(wb.defined_names.items())},
        "sheets": [],
    }
    for ws in wb.worksheets:
        if ws.title in skip_sheets:
            continue
        cells = {c.coordinate: _value(c.value) for row in ws.iter_rows() for c in row if c.value is not None}
        out["sheets"].append(
            {
                "title": ws.title,
                "state": ws.sheet_state,
                "protected": bool(ws.protection.sheet),
                "freeze": ws.freeze_panes,
                "paper": ws.page_setup.paperSize,
                "orientation": ws.page_setup.orientation,
                "merged": sorted(str(r) for r in ws.merged_cells.ranges),
                "tables": {name: ws.tables[name].ref for name in sorted(ws.tables)},
                "validations": sorted(
                    f"{dv.sqref}|{dv.type}|{dv.formula1}" for dv in ws.data_validations.dataValidation
                ),
                "conditional": sorted(
                    f"{cf.sqref}|{rule.type}|{rule.formula}" for cf in ws.conditional_formatting for rule in cf.rules
                ),
                "unlocked": sorted(
                    c.coordinate
                    for row in ws.iter_rows()
                    for c in row
                    if c.protection is not None and not c.protection.locked
                ),
                "cells": cells,
            }
        )
    return out
