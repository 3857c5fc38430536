"""What every form action writes besides its fields: the routing log (流转记录) and the form's copy
of its seals; and the field labels problems are named by."""

from __future__ import annotations

from typing import Any

from .. import layout as L
from ..domain.seal import Seal, dump_seals
from ..ports import Book

LABELS = L.FIELD_LABELS


def log_rows(form: Book, *entries: list[Any]) -> list[list[Any]]:
    """The routing log with ``entries`` (time, stage, action, who, note) appended."""
    table = form.read_table(L.FORM_LOG_TABLE)
    return [*table.rows, *[list(e) for e in entries]]


def seal_names(form: Book, seals: list[Seal]) -> dict[str, Any]:
    """The form's copy of its seals; a version-1 form has no place for it."""
    return {L.META_SEAL: dump_seals(seals)} if form.has_name(L.META_SEAL) else {}
