"""Text width in column units and the rows it fills, for every adapter that writes printed text
(the register engine too: no openpyxl here, so a click does not import it)."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence


def display_width(text: str) -> int:
    """Width in character cells: a CJK (wide or full-width) character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrapped_lines(text: str, width: float, *, fill: float = 0.95) -> int:
    """Rough printed line count of ``text`` wrapped in ``width`` column units (≈ one Latin digit),
    of which ``fill`` is usable; each line of the text starts a new one."""
    per_line = max(1.0, width * fill - 1)
    return sum(max(1, math.ceil(display_width(part) / per_line)) for part in (text or "").splitlines() or [""])


LINE_POINTS = 15.0  # one printed line of 11-point text


def wide_row_height(text: str, widths: Sequence[float], columns: int) -> float:
    """The height of a text across ``columns`` columns (their ``widths``, 8.43 where none is
    given), wrapped: Excel grows a row to its text on open, LibreOffice keeps the default height
    and prints the first line only — so the height is written."""
    total = sum(widths[j] if j < len(widths) else 8.43 for j in range(max(1, columns)))
    return wrapped_lines(text, total) * LINE_POINTS + 3
