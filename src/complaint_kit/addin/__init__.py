"""What the add-in's VBA imports on every ribbon click:

    RunPython "import complaint_kit.addin as ck; ck.dispatch('ck_validate')"

Kept light: this module imports nothing heavy; xlwings, openpyxl and the actions are imported
inside :func:`dispatch`, only when a button is pressed (and once per process in xlwings' persistent
"UDF server" mode, which the install step turns on).
"""

from __future__ import annotations

from typing import Any


def dispatch(button_id: str, book: Any = None) -> Any:
    """Run the button ``button_id`` on the calling workbook (``xw.Book.caller()``); every result
    and every error reaches the user as a Chinese message box, never as a traceback."""
    from .runner import run_button

    return run_button(button_id, book)
