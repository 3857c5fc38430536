"""Issue 6, item 4: a damaged or forged settings snapshot on a form's hidden sheet is a problem
that names the sheet, not a traceback."""

from __future__ import annotations

import pytest

from complaint_kit import layout as L
from complaint_kit.actions.context import SnapshotError, form_rules


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        "[" * 100_000,
        "null",
        '{"settings": 1}',
        '{"settings": {"manufacturing_days": -1}, "calendar": {}}',
        '{"settings": {}, "calendar": {"2026-02-30": "休息日"}}',
        '{"settings": {}, "calendar": {"2026-10-01": "假期"}}',
        "x" * 40_000,
        12345,
    ],
)
def test_a_damaged_snapshot_is_a_problem_naming_the_meta_sheet(form, text):
    form.names[L.META_SETTINGS] = text
    with pytest.raises(SnapshotError) as info:
        form_rules(form)
    [problem] = info.value.problems
    assert problem.code == "E-BAD-SNAPSHOT" and L.META_SHEET in problem.zh
    assert problem.where and L.META_SETTINGS in problem.where
