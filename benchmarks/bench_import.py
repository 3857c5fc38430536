"""What a ribbon click pays before any work: importing the module VBA names, and a click's
first-use imports (xlwings, the actions, openpyxl). Medians of fresh interpreters.

    uv run python benchmarks/bench_import.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

CASES = {
    "python -c pass (lower bound)": "pass",
    "import complaint_kit.addin (what VBA imports)": "import complaint_kit.addin",
    "import xlwings": "import xlwings",
    "a click's imports (runner, handlers)": "import complaint_kit.addin.runner, complaint_kit.addin.handlers",
}


def cost(code: str, repeat: int = 7) -> float:
    """Median wall time of a fresh interpreter running ``code`` (start-up included)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    floor = None
    for label, code in CASES.items():
        seconds = cost(code)
        floor = floor or seconds
        print(f"{label:50s} {seconds * 1000:8.1f} ms  ratio {seconds / floor:5.1f}")


if __name__ == "__main__":
    main()
