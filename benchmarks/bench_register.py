"""The kit's commands on large registers against the I/O floor, in one run, as ratios (issue 10).

Every command is the real CLI in a fresh process (interpreter start included), as a clerk or a
ribbon click pays it, so the script measures whatever file engine the kit uses: it never imports
the engine to time it. Per register size it times the median of ``--repeat`` runs, each on a fresh
copy of the register (and of the forms), and the peak memory (the child's own ``ru_maxrss``):

- ``accept``: one new form into the register;
- ``complete -r``: Quality completes on an accepted form, register updated;
- ``refresh``: every case at now, 催办单 and 在办案件 rewritten;
- ``import``: ``--forms`` forms that came back, each with Quality completed on a copy without the
  register (``--keep``, so the same folder serves every repeat);
- ``month``: the October 2026 report.

The bounds, in the same run and likewise each a fresh process: ``python -c pass``; a python-calamine read of
the register sheet (a Rust reader's floor for reading the table); a raw zip patch of the register
(its sheet inflated, one row of XML spliced in, deflated again, every other part copied raw with
the kit's own zip writer: the least any write of a changed row can cost); an openpyxl load + save
(the engine before issue 10). *Floor* = calamine read + raw zip patch; a command's ratio to it says
how far the command is from the I/O floor (issue 10's targets are ≤ 1.2–1.3 × it).

Processes run with bytecode caching on (``PYTHONDONTWRITEBYTECODE`` removed; one warm-up run
first), as an installed kit runs: without it every process compiles the kit, typer, openpyxl and
pandas from source (≈ 0.5 s).

Registers come from :func:`bench_refresh.make_register` (cached per run in a temporary folder),
laid out as the kit's first write leaves them (big sheets seekable: ``xlsx_patch.seekable_copy``),
and are signed with a key made for the run (``COMPLAINT_KIT_KEY_FILE``); nothing touches
``~/.complaint_kit``. Run (the table is printed and written to ``benchmarks/results/register.md``):

    uv run python benchmarks/bench_register.py --rows 1000 10000 --repeat 3 --forms 100
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import metadata
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable like the tests do
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_refresh import AS_OF, add_history, make_register
from complaint_kit import layout as L
from complaint_kit.adapters.xlsx_patch import seekable_copy

RESULTS = Path(__file__).resolve().parent / "results" / "register.md"
MONTH = "2026-10"
USER = "王静"
INTAKE = {
    "Customer": "华星光电",
    "Market": "国内",
    "SalesRep": "李强",
    "ReportedAt": f"{AS_OF - timedelta(hours=1):%Y-%m-%d %H:%M}",
    "OrderNo": "SO1",
    "PartNo": "PCB-1",
    "ShipDate": "2026-11-02",
    "ShipQty": "1000",
    "DefectQty": "20",
    "CustomerRequest": "退货",
    "RequestQty": "20",
    "Description": "阻焊起泡",
}
QUALITY = {"QualityCause": "电镀", "ResponsibleUnit": "制造部", "RnDNeeded": "否"}


def iso(hours: float) -> str:
    """``AS_OF`` plus ``hours``, as the CLI's ``--now`` takes it."""
    return f"{AS_OF + timedelta(hours=hours):%Y-%m-%dT%H:%M}"


# Each bound is a fresh interpreter: argv after the code are the register and a scratch path.
BOUNDS = {
    "python start": "pass",
    "calamine read": (
        "import sys\n"
        "from python_calamine import CalamineWorkbook\n"
        "rows = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_name(sys.argv[3]).to_python()\n"
        "assert rows\n"
    ),
    "raw zip patch": (
        "import sys, zipfile\n"
        "from pathlib import Path\n"
        "from complaint_kit.adapters.xlsx_patch import write_package\n"
        "part = 'xl/worksheets/sheet1.xml'\n"
        "with zipfile.ZipFile(sys.argv[1]) as zf:\n"
        "    data = zf.read(part)\n"
        "end = data.rindex(b'</sheetData>')\n"
        'row = b\'<row r="999999"><c r="A999999" t="inlineStr"><is><t>26129999</t></is></c></row>\'\n'
        "write_package(Path(sys.argv[1]), Path(sys.argv[2]), {part: data[:end] + row + data[end:]})\n"
    ),
    "openpyxl load+save": ("import sys, openpyxl\nopenpyxl.load_workbook(sys.argv[1]).save(sys.argv[2])\n"),
}
FLOOR = ("calamine read", "raw zip patch")
COMMANDS = ("accept", "complete -r", "refresh", "import", "month")


@dataclass(frozen=True, slots=True)
class Run:
    """One process: wall time from start to exit, its own peak resident memory (None: unknown)."""

    seconds: float
    mb: float | None


@dataclass(frozen=True, slots=True)
class Result:
    rows: int
    label: str
    seconds: float  # median
    mb: float | None  # largest peak over the repeats


# Times one process and reads its peak memory from a small launcher of its own: a child forked from
# this (large) process would count our resident memory as its own, since Linux keeps the pre-exec
# high-water mark in ``ru_maxrss``. Writes "exit-code seconds peak-KiB" to argv[1].
LAUNCHER = """\
import os, subprocess, sys, time
with open(sys.argv[2], "wb") as log:
    t0 = time.perf_counter()
    proc = subprocess.Popen(sys.argv[3:], stdout=log, stderr=subprocess.STDOUT)
    if hasattr(os, "wait4"):
        _, status, usage = os.wait4(proc.pid, 0)
        seconds, code, peak = time.perf_counter() - t0, os.waitstatus_to_exitcode(status), usage.ru_maxrss
        peak = peak // 1024 if sys.platform == "darwin" else peak  # bytes on macOS, KiB on Linux
    else:
        code, seconds, peak = proc.wait(), time.perf_counter() - t0, -1
with open(sys.argv[1], "w") as out:
    out.write(f"{code} {seconds} {peak}")
"""


def run_process(argv: list[str], *, env: dict[str, str], cwd: Path) -> Run:
    """Run ``argv`` to its end; a non-zero exit stops the benchmark with the process's output."""
    result, log = cwd / "timing.txt", cwd / "output.txt"
    subprocess.run([sys.executable, "-S", "-c", LAUNCHER, result, log, *argv], env=env, cwd=cwd, check=True)
    code, seconds, peak = result.read_text(encoding="ascii").split()
    if int(code) != 0:
        text = log.read_text(encoding="utf-8", errors="replace")
        raise SystemExit(f"exit code {code} from {shlex.join(argv)}\n{text}")
    return Run(float(seconds), int(peak) / 1024 if int(peak) >= 0 else None)


def kit_command() -> list[str]:
    """The installed ``complaint-kit`` script beside this interpreter (what a user runs)."""
    script = shutil.which("complaint-kit", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "complaint_kit"]


class Bench:
    """The files of one run: a key, a blank form, registers per size, scratch folders per process."""

    def __init__(self, root: Path, *, history: float = 0.0) -> None:
        self.root = root
        self.history = history
        self.kit = kit_command()
        key = root / "signing.key"
        key.write_text(secrets.token_hex(32) + "\n", encoding="ascii")
        key.chmod(0o600)
        self.key = bytes.fromhex(key.read_text(encoding="ascii").strip())
        self.env = {
            **os.environ,
            "COMPLAINT_KIT_KEY_FILE": str(key),
            "COMPLAINT_KIT_CONF": str(root / L.CONF_FILE),
            "COMPLAINT_KIT_USER": USER,
        }
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: compiled once, then cached
        self.runs = 0
        self.form = root / "blank-form.xlsx"
        sets = [x for name, value in INTAKE.items() for x in ("--set", f"{name}={value}")]
        self.cli("new-form", self.form, *sets, "--now", iso(-0.9))
        self.cli("--help")  # compiles what the kit imports, as the first run after installing does

    def scratch(self) -> Path:
        self.runs += 1
        folder = self.root / f"run-{self.runs}"
        folder.mkdir()
        return folder

    def cli(self, *args: object, cwd: Path | None = None) -> Run:
        return run_process([*self.kit, *map(str, args)], env=self.env, cwd=cwd or self.root)

    def register(self, rows: int) -> Path:
        path = self.root / f"register-{rows}.xlsx"
        if not path.exists():
            built = path.with_name(f"built-{rows}.xlsx")
            make_register(built, rows)
            if self.history:
                add_history(built, self.history)
            # as the kit's first write leaves a register: its big sheets seekable (issue 10); a
            # register fresh from openpyxl pays that once, on the first click (measured apart)
            seekable_copy(built, path)
        return path

    def office(self, register: Path, *forms: Path) -> tuple[Path, list[Path]]:
        """A fresh folder holding copies of ``register`` and ``forms``."""
        folder = self.scratch()
        reg = folder / L.REGISTER_FILE
        shutil.copyfile(register, reg)
        copies = []
        for form in forms:
            copies.append(folder / form.name)
            shutil.copyfile(form, copies[-1])
        return reg, copies

    def accepted(self, rows: int) -> tuple[Path, Path]:
        """A register with the blank form accepted into it (by the CLI) and Quality's section typed in."""
        reg, (form,) = self.office(self.register(rows), self.form)
        self.cli("accept", form, "-r", reg, "--now", iso(0), "--received-at", iso(-0.5))
        type_in(form, QUALITY)
        return reg, form

    def returned_forms(self, rows: int, count: int) -> tuple[Path, Path]:
        """A register with ``count`` forms accepted, and a folder of their copies on which Quality
        completed without the register (what departments mail back). Prepared in-process through
        the actions: ``count`` CLI accepts into a large register would take longer than the runs."""
        from complaint_kit.actions.forms import accept_form, complete_stage
        from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
        from complaint_kit.adapters.register_file import RegisterFile
        from complaint_kit.domain.rules import Stage
        from complaint_kit.ports import Changes

        folder = self.scratch()
        reg_path, back, kept = folder / L.REGISTER_FILE, folder / "returned", folder / L.FORMS_DIR
        back.mkdir()
        kept.mkdir()
        shutil.copyfile(self.register(rows), reg_path)
        reg = RegisterFile.open(reg_path)
        for i in range(count):
            path = kept / f"form-{i:04d}.xlsx"  # the office's own copy, which import updates
            shutil.copyfile(self.form, path)
            form = OpenpyxlBook.open(path)
            at = AS_OF + timedelta(minutes=i % 60)
            outcome = accept_form(form, reg, now=at, user=USER, key=self.key, received_at=at - timedelta(minutes=30))
            if not outcome.ok:
                raise SystemExit([p.render() for p in outcome.problems])
            form.save()
            copy = back / path.name
            shutil.copyfile(path, copy)
            form = OpenpyxlBook.open(copy)
            form.apply(Changes(names=QUALITY))
            outcome = complete_stage(form, stage=Stage.QUALITY, by="张敏", now=AS_OF + timedelta(hours=3))
            if not outcome.ok:
                raise SystemExit([p.render() for p in outcome.problems])
            form.save()
        reg.save()
        return reg_path, back

    def time_command(self, name: str, rows: int, *, forms: int) -> Callable[[], Run]:
        """A callable that prepares fresh copies (not timed) and times one run of ``name``."""
        base = self.register(rows)
        if name == "accept":
            return lambda: self._fresh(base, self.form, "accept", "-r", "--now", iso(0), "--received-at", iso(-0.5))
        if name == "complete -r":
            reg, form = self.accepted(rows)
            stage = ("--stage", "quality", "--by", "张敏")
            return lambda: self._fresh(reg, form, "complete", "-r", *stage, "--now", iso(4))
        if name == "refresh":
            return lambda: self._fresh(base, None, "refresh", "--now", iso(0))
        if name == "import":
            reg, back = self.returned_forms(rows, forms)
            return lambda: self._fresh(reg, None, "import", back, "--keep", "--now", iso(5), forms_dir=True)
        if name == "month":
            return lambda: self._fresh(base, None, "month", "--month", MONTH, "--now", iso(0), "--out", "report.xlsx")
        raise ValueError(name)

    def _fresh(self, register: Path, form: Path | None, command: str, *args: object, forms_dir: bool = False) -> Run:
        """``command`` on fresh copies: ``FORM -r REG`` for a form command, ``REG`` first otherwise;
        with ``forms_dir`` the office's folder of forms beside the register is copied too."""
        if form is None:
            reg, _ = self.office(register)
            if forms_dir:
                shutil.copytree(register.parent / L.FORMS_DIR, reg.parent / L.FORMS_DIR)
            return self.cli(command, reg, *args, cwd=reg.parent)
        reg, (copy,) = self.office(register, form)
        flag, *rest = args
        return self.cli(command, copy, flag, reg, *rest, cwd=reg.parent)

    def time_bound(self, label: str, rows: int) -> Callable[[], Run]:
        def once() -> Run:
            reg, _ = self.office(self.register(rows))
            argv = [sys.executable, "-c", BOUNDS[label], str(reg), str(reg.parent / "out.xlsx"), L.REGISTER_SHEET]
            return run_process(argv, env=self.env, cwd=reg.parent)

        return once


def shape(register: Path) -> str:
    """How many cases are open and overdue, read with python-calamine (the register as built)."""
    from python_calamine import CalamineWorkbook

    from complaint_kit.domain.routing import Status

    rows = CalamineWorkbook.from_path(str(register)).get_sheet_by_name(L.REGISTER_SHEET).to_python()
    header = next(i for i, row in enumerate(rows) if L.REGISTER_HEADERS[0] in row)
    status, timeliness = (rows[header].index(L.COLUMN_BY_ATTR[a].header) for a in ("status", "timeliness"))
    body = [row for row in rows[header + 1 :] if row[0]]
    closed = sum(row[status] == Status.CLOSED for row in body)
    overdue = sum(row[timeliness] == L.OVERDUE_TEXT for row in body)
    n = len(body)
    history = len(CalamineWorkbook.from_path(str(register)).get_sheet_by_name(L.JOURNAL_SHEET).to_python()) - 1
    return (
        f"{n:,} cases, {n - closed:,} open ({(n - closed) / n:.0%}), {overdue:,} overdue ({overdue / n:.1%}),"
        f" {history:,} journal entries and as many seals"
    )


def type_in(path: Path, values: dict[str, str]) -> None:
    """What a department does in Excel: type into the form's cells and save (preparation only)."""
    from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
    from complaint_kit.ports import Changes

    book = OpenpyxlBook.open(path)
    book.apply(Changes(names=dict(values)))
    book.save()


def measure(label: str, rows: int, once: Callable[[], Run], repeat: int) -> Result:
    runs = [once() for _ in range(repeat)]
    peaks = [r.mb for r in runs if r.mb is not None]
    result = Result(rows, label, statistics.median(r.seconds for r in runs), max(peaks) if peaks else None)
    print(f"  {rows:>7,} {label:<20} {result.seconds:7.2f} s  {fmt_mb(result.mb)} MB", file=sys.stderr, flush=True)
    return result


def fmt_mb(mb: float | None) -> str:
    return "n/a" if mb is None else f"{mb:,.0f}"


def table(results: list[Result], *, forms: int) -> str:
    """One markdown row per register size and command; ratios to the same size's bounds."""
    by = {(r.rows, r.label): r for r in results}
    lines = [
        "| cases | command | median s | peak MB | × floor | × openpyxl load+save |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for rows in sorted({r.rows for r in results}):
        floor = sum(by[rows, b].seconds for b in FLOOR)
        openpyxl = by[rows, "openpyxl load+save"].seconds if (rows, "openpyxl load+save") in by else None
        for label in (*COMMANDS, *BOUNDS):
            if (rows, label) not in by:  # a command left out (--commands, --skip-openpyxl)
                continue
            r = by[rows, label]
            shown = f"import {forms} forms" if label == "import" else label
            if label in BOUNDS:
                shown = f"*{shown}*"
            ratio = f"{r.seconds / openpyxl:.2f}" if openpyxl else "—"
            lines.append(
                f"| {rows:,} | {shown} | {r.seconds:.2f} | {fmt_mb(r.mb)} | {r.seconds / floor:.1f} | {ratio} |"
            )
    return "\n".join(lines)


def machine() -> str:
    import psutil

    ram = psutil.virtual_memory().total / 2**30
    versions = ", ".join(
        f"{name} {metadata.version(name)}" for name in ("complaint-kit", "openpyxl", "python-calamine")
    )
    return (
        f"{os.cpu_count()} CPUs, {ram:.1f} GiB RAM, Python {platform.python_version()},"
        f" {platform.platform()}; {versions}"
    )


def report(results: list[Result], args: argparse.Namespace, command: str, shapes: list[str]) -> str:
    return "\n".join(
        [
            "# Register benchmark (issue 10)",
            "",
            f"- date: {date.today():%Y-%m-%d}",
            f"- command: `{command}`",
            f"- machine: {machine()}",
            f"- medians of {args.repeat} runs, each a fresh process on a fresh copy; peak MB is the largest"
            " resident set of the process over the runs",
            "- *floor* = calamine read + raw zip patch of the same register, measured in the same run",
            f"- registers (benchmarks/bench_refresh.make_register, at {AS_OF:%Y-%m-%d %H:%M}; big sheets"
            " seekable, as the kit's first write leaves them): " + "; ".join(shapes),
            "",
            table(results, forms=args.forms),
            "",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[1000, 10000], help="register sizes (cases)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per command (median)")
    ap.add_argument("--forms", type=int, default=100, help="forms that came back, for import")
    ap.add_argument("--out", type=Path, default=RESULTS, help="markdown file written with the table")
    ap.add_argument("--note", default="", help="a line added under the table (e.g. why repeats were cut)")
    ap.add_argument(
        "--history", type=float, default=5.5, help="日志 entries and 签章 seals per case (a real register has ~5.6)"
    )
    ap.add_argument("--commands", nargs="+", choices=COMMANDS, default=list(COMMANDS), help="which commands to time")
    ap.add_argument(
        "--skip-openpyxl",
        action="store_true",
        help="leave out the openpyxl load+save bound (over 4 minutes at 100,000 cases; its column shows —)",
    )
    args = ap.parse_args(argv)
    command = shlex.join(["uv", "run", "python", "benchmarks/bench_register.py", *(argv or sys.argv[1:])])
    results, shapes = [], []
    with tempfile.TemporaryDirectory(prefix="bench-register-") as tmp:
        bench = Bench(Path(tmp), history=args.history)
        for rows in args.rows:
            t0 = time.perf_counter()
            bench.register(rows)
            print(f"register of {rows:,} cases built in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
            shapes.append(shape(bench.register(rows)))
            for label in BOUNDS:
                if label == "openpyxl load+save" and args.skip_openpyxl:
                    continue
                results.append(measure(label, rows, bench.time_bound(label, rows), args.repeat))
            for name in args.commands:
                results.append(measure(name, rows, bench.time_command(name, rows, forms=args.forms), args.repeat))
    text = report(results, args, command, shapes) + (f"\n{args.note}\n" if args.note else "")
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
