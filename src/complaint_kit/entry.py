"""The ``complaint-kit`` command: the CLI, started without numpy.

openpyxl imports numpy when it is installed, only to recognise numpy numbers written into cells;
the kit never writes any (nothing in it uses numpy), and the import costs ~0.1 s of every command
(issue 10: a click on a 10,000-case register is about 1.4 s). The CLI process therefore runs with
numpy marked absent. The add-in and the tests import :mod:`complaint_kit.cli` directly and are
left as they are.
"""

from __future__ import annotations

import sys


def main() -> None:
    if "numpy" not in sys.modules:
        sys.modules["numpy"] = None  # type: ignore[assignment]  # "import numpy" raises ImportError
    from .cli import main as run

    run()
