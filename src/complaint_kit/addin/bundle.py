"""``complaint-kit bundle``: one zip an administrator carries to a PC (issue 8 item 8)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


def build_bundle(folder: Path, *, echo: Callable[[str], None]) -> Path:
    raise NotImplementedError("bundle: being built (issue 8)")  # replaced by the add-in work
