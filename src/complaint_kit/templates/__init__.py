"""Build the workbook templates from :mod:`complaint_kit.layout` (``complaint-kit templates build``).

The built files are committed in ``workbook_templates/``; a golden test rebuilds them and compares
a normalised description, so the layout and the committed templates never drift apart.
The forms must stay usable in plain Excel without the add-in: drop-down lists, formulas for
derived values, conditional formats that Excel keeps current by itself, protected computed cells.
"""

from __future__ import annotations

from pathlib import Path

from .. import layout as L
from ..packaging import rewrite_zip
from .form import build_form
from .register import add_issue7_sheets, add_signatures_sheet, build_register
from .service import build_service

__all__ = [
    "add_issue7_sheets",
    "add_signatures_sheet",
    "build_form",
    "build_register",
    "build_service",
    "build_templates",
    "template_dir",
]


def build_templates(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, build in ((L.REGISTER_FILE, build_register), (L.FORM_FILE, build_form), (L.SERVICE_FILE, build_service)):
        path = folder / name
        build().save(path)
        out.append(rewrite_zip(path, path))  # same layout, same bytes
    return out


def template_dir() -> Path:
    """Committed templates: packaged in a wheel, or ``workbook_templates/`` in a checkout."""
    here = Path(__file__).resolve().parents[1]
    for candidate in (here / "workbook_templates", here.parents[1] / "workbook_templates"):
        if (candidate / L.FORM_FILE).exists():
            return candidate
    raise FileNotFoundError("workbook templates not found; run: complaint-kit templates build")
