"""Clerks at work, the hard way: CLI commands run in forked processes (the kit's imports are paid
once by the parent), killed at random moments or at chosen steps of the commit, or started four
at once on one register; and the invariants every run must leave behind.

Used by the CI-sized tests in ``tests/store/test_clerks.py`` and by the full-size scripts
``tests/stress/kill_trials.py`` and ``tests/stress/concurrent_accepts.py``.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import secrets
import shutil
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from complaint_kit import layout as L
from complaint_kit.ports import Changes

NOW = datetime(2026, 11, 23, 9, 0)
LITTER = (".ck-tmp", ".ck-commit", ".ck-pending", ".ck-lock", ".ck-lock.break")


@dataclass
class Office:
    root: Path
    register: Path
    forms: list[Path]
    key_file: Path
    env: dict[str, str] = field(default_factory=dict)


def cli(args: list[str]) -> int:
    """Run the CLI in this process (set-up steps, never killed)."""
    from complaint_kit.cli import app

    try:
        app(args=[str(a) for a in args], prog_name="complaint-kit", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def make_office(root: Path, *, forms: int, cases: int = 0) -> Office:
    """An office folder (init), its key, and ``forms`` filled-in complaint forms. With ``cases``
    the register already holds that many cases and their history (journal, seals), its big
    sheets seekable as the kit's writes leave them (issue 10)."""
    key_file = root / "gm-office.key"
    key_file.write_text(secrets.token_hex(32) + "\n", encoding="ascii")
    env = {"COMPLAINT_KIT_KEY_FILE": str(key_file), "COMPLAINT_KIT_CONF": str(root / "none.conf")}
    os.environ.update(env)
    office = root / "office"
    with contextlib.redirect_stdout(io.StringIO()):
        assert cli(["init", office]) == 0
        register = office / L.REGISTER_FILE
        if cases:
            from benchmarks.bench_refresh import add_history, make_register

            from complaint_kit.adapters.xlsx_patch import seekable_copy

            built = root / "built.xlsx"
            make_register(built, cases)
            add_history(built, 5.5)
            _set_setting(built, "case_no_serial_width", 4)
            seekable_copy(built, register)
        else:
            _set_setting(register, "case_no_serial_width", 4)  # thousands of cases a month
        paths = _make_forms(office, forms)
    return Office(office, register, paths, key_file, env)


def _set_setting(register: Path, key: str, value: object) -> None:
    """What the GM office does in 设置: type a value beside the rule's key."""
    from complaint_kit.adapters.openpyxl_book import OpenpyxlBook

    book = OpenpyxlBook.open(register)
    table = book.read_table(L.SETTINGS_TABLE)
    rows = [list(r) for r in table.rows]
    keys = table.column(L.SETTINGS_HEADERS[0])
    rows[keys.index(key)][L.SETTINGS_HEADERS.index(L.SETTINGS_HEADERS[2])] = value
    book.apply(Changes(tables={L.SETTINGS_TABLE: rows}))
    book.save()


def _make_forms(office: Path, forms: int) -> list[Path]:
    """One form typed in through the CLI (new-form, then every section as the clerks would), then
    copied: each copy is a separate complaint as far as the register is concerned."""
    first = office / L.FORMS_DIR / "客诉-0000.xlsx"
    values = {
        "Customer": "华星光电",
        "Market": "国内",
        "SalesRep": "业务-李强",
        "ReportedAt": (NOW - timedelta(hours=2)).isoformat(sep=" ", timespec="minutes"),
        "OrderNo": "PO-00001",
        "PartNo": "PCB-8L",
        "ShipDate": "2026-11-10",
        "ShipQty": "1000",
        "DefectQty": "12",
        "CustomerRequest": "退货",
        "RequestQty": "12",
        "Description": "孔铜厚度不足",
    }
    args: list[str | Path] = ["new-form", first, "--now", NOW.isoformat()]
    for k, v in values.items():
        args += ["--set", f"{k}={v}"]
    assert cli(args) == 0, f"new-form failed for {first}"
    fill_sections(first)
    paths = [first]
    for i in range(1, forms):
        path = first.with_name(f"客诉-{i:04d}.xlsx")
        shutil.copyfile(first, path)
        paths.append(path)
    return paths


SECTION_VALUES: dict[str, dict[str, str]] = {
    "quality": {"QualityCause": "电镀时间不足", "ResponsibleUnit": "制造部", "RnDNeeded": "否"},
    "manufacturing": {
        "MfgCause": "电镀线参数漂移",
        "MfgCountermeasure": "每班首件切片",
        "ProductionUnit": "电镀课",
        "MachineShift": "VCP-2/夜班",
        "Operators": "王五",
        "ProductionDate": "2026-11-02",
        "MfgManagerComment": "同意",
    },
    "negotiation": {"NegotiationResult": "客户同意重工"},
    "consolidation": {"GMOpinion": "按协商结果办理", "Handling": "不成立"},
    "approval": {"ApprovalOpinion": "同意"},
}
STAGES = ("quality", "manufacturing", "negotiation", "consolidation", "approval")
PREFIX = {
    "quality": "Quality",
    "manufacturing": "Manufacturing",
    "negotiation": "Negotiation",
    "consolidation": "Consolidation",
    "approval": "Approval",
}


def fill_sections(form: Path) -> None:
    """Every department's section typed in (as the clerks would before clicking complete)."""
    from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
    from complaint_kit.ports import Changes

    book = OpenpyxlBook.open(form)
    names = {k: v for values in SECTION_VALUES.values() for k, v in values.items()}
    book.apply(Changes(names=names))
    book.save()


def open_stage(form: Path) -> str | None:
    from complaint_kit.adapters.openpyxl_book import OpenpyxlBook

    book = OpenpyxlBook.open(form)
    done = book.read_names([f"{PREFIX[s]}DoneAt" for s in STAGES])
    return next((s for s in STAGES if not done[f"{PREFIX[s]}DoneAt"]), None)


def accept_args(office: Office, form: Path, now: datetime = NOW) -> list[str]:
    return ["accept", str(form), "-r", str(office.register), "--now", now.isoformat(), "--user", "总经理室-王静"]


# -- running a clerk in a child process ------------------------------------------------------------
Injection = Callable[[], None]  # patches applied in the child before the command runs


def _kill_self() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def crash_at(point: str) -> Injection:
    """A child that dies (SIGKILL) at one step of saving: ``temp`` (a temp file half written),
    ``record`` (just before the commit record), ``decided`` (just after it), ``moved`` (after
    the first file was replaced), ``cleanup`` (after both, before the record is removed)."""

    def patch() -> None:
        from complaint_kit.store import files, txn

        if point == "temp":
            real_write_temp = files.write_temp
            count = [0]

            def write_temp(target: Path, write: Callable[[Path], None]) -> Path:
                def half(tmp: Path) -> None:
                    count[0] += 1
                    if count[0] == 2:  # the second workbook of the commit, mid-write
                        tmp.write_bytes(b"PK\x03\x04 half a workbook")
                        _kill_self()
                    write(tmp)

                return real_write_temp(target, half)

            files.write_temp = write_temp  # type: ignore[assignment]
            import complaint_kit.adapters.openpyxl_book as ob

            ob.write_temp = write_temp  # type: ignore[attr-defined]
        elif point in ("record", "decided"):
            real = txn._write_json

            def write_json(path: Path, data: dict) -> None:
                is_record = path.name.endswith(txn.COMMIT_SUFFIX)
                if is_record and point == "record":
                    _kill_self()
                real(path, data)
                if is_record and point == "decided":
                    _kill_self()

            txn._write_json = write_json  # type: ignore[assignment]
        elif point in ("moved", "cleanup"):
            real_move = txn._move
            moves = [0]

            def move(s: txn.Staged) -> bool:
                done = real_move(s)
                moves[0] += 1
                if point == "moved" and moves[0] == 1:
                    _kill_self()
                if point == "cleanup" and moves[0] == 2:
                    _kill_self()
                return done

            txn._move = move  # type: ignore[assignment]
        else:
            raise ValueError(point)

    return patch


@dataclass
class Run:
    status: int | None  # exit code, None when killed
    seconds: float
    output: str


def run_child(args: list[str], *, out: Path, kill_after: float | None = None, inject: Injection | None = None) -> int:
    """Fork a clerk running ``complaint-kit ARGS`` (stdout+stderr to ``out``); returns its pid."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 70
        try:
            fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            # under pytest sys.stdout is a capture object, not fd 1: write where the parent reads
            sys.stdout = sys.stderr = io.TextIOWrapper(os.fdopen(fd, "wb"), encoding="utf-8", line_buffering=True)
            if inject is not None:
                inject()
            code = cli(args)
        except BaseException:
            import traceback

            traceback.print_exc()
            code = 99
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
            os._exit(code)
    return pid


def wait_child(pid: int, *, out: Path, started: float, kill_after: float | None = None) -> Run:
    killed = False
    if kill_after is not None:
        deadline = started + kill_after
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() >= deadline:
                os.kill(pid, signal.SIGKILL)
                killed = True
                _, status = os.waitpid(pid, 0)
                break
            time.sleep(0.002)
    else:
        _, status = os.waitpid(pid, 0)
    code = None if killed or os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    text = out.read_text(encoding="utf-8", errors="replace") if out.exists() else ""
    return Run(code, time.monotonic() - started, text)


def run(args: list[str], *, out: Path, kill_after: float | None = None, inject: Injection | None = None) -> Run:
    started = time.monotonic()
    pid = run_child(args, out=out, inject=inject)
    return wait_child(pid, out=out, started=started, kill_after=kill_after)


# -- what must hold after every run (and the next command's recovery) -------------------------------
def recover_like_the_next_command(office: Office) -> None:
    """What every command does first: finish or roll back an interrupted commit, clear litter;
    a stale lock of a killed clerk is broken by the next lock taken."""
    from complaint_kit.store.lock import RegisterLock
    from complaint_kit.store.txn import recover, recover_target

    with RegisterLock(office.register, user="检查", command="check", wait=30):
        recover(office.register)
    for form in office.forms:
        recover_target(form)


def form_case_no(form: Path) -> str:
    from complaint_kit.adapters.openpyxl_book import OpenpyxlBook

    book = OpenpyxlBook.open(form)
    value = book.read_names(["CaseNo"])["CaseNo"]
    return str(value or "").strip()


def check_invariants(office: Office, forms: list[Path] | None = None) -> list[str]:
    """Broken promises, as sentences (empty when all hold): the register opens; no case number
    repeats; every form is either numbered *and* in the register, or neither; no litter."""
    from complaint_kit.actions.records import register_records
    from complaint_kit.adapters.openpyxl_book import OpenpyxlBook

    broken: list[str] = []
    try:
        reg = OpenpyxlBook.open(office.register)
        records = register_records(reg.read_table(L.REGISTER_TABLE))
    except Exception as exc:  # the register must always open
        return [f"register does not open: {exc!r}"]
    numbers = Counter(str(r.get("case_no") or "") for r in records if r.get("case_no"))
    broken += [f"case number {n} issued {c} times" for n, c in numbers.items() if c > 1]
    by_file = Counter(str(r.get("form_file") or "") for r in records)
    for form in office.forms if forms is None else forms:
        try:
            case_no = form_case_no(form)
        except Exception as exc:
            broken.append(f"{form.name} does not open: {exc!r}")
            continue
        rows = [r for r in records if str(r.get("form_file") or "") == form.name]
        if case_no and not any(str(r.get("case_no")) == case_no for r in rows):
            broken.append(f"{form.name} is numbered {case_no} but has no register row")
        if not case_no and rows:
            broken.append(f"{form.name} has a register row but no number")
        if case_no and rows:
            book = OpenpyxlBook.open(form)
            done = book.read_names([f"{PREFIX[s]}DoneAt" for s in STAGES])
            for stage in STAGES:
                in_form = bool(done[f"{PREFIX[stage]}DoneAt"])
                in_register = bool(rows[0].get(f"{stage}_done_at"))
                if in_form != in_register:
                    broken.append(f"{form.name}: {stage} done in form {in_form}, in register {in_register}")
        if by_file[form.name] > 1:
            broken.append(f"{form.name} is in the register {by_file[form.name]} times")
    leftovers = [p.name for p in office.root.rglob(".*") if p.name.endswith(LITTER)]
    if leftovers:
        broken.append(f"litter left: {leftovers}")
    return broken


def kill_trials(office: Office, *, trials: int, seed: int, work: Path, echo: Callable[[str], None] = print) -> dict:
    """``trials`` clerks' commands (accept mostly, complete -r and refresh too), each killed at a
    random moment or at a chosen step of the commit; after each, recovery and the invariants."""
    rng = random.Random(seed)
    points = ("temp", "record", "decided", "moved", "cleanup")
    stats: Counter[str] = Counter()
    failures: list[str] = []
    accepted = [f for f in office.forms if form_case_no(f)]
    pending = [f for f in office.forms if f not in accepted]
    first = pending.pop(0)
    baseline = run(accept_args(office, first), out=work / "baseline.txt")
    assert baseline.status == 0, baseline.output
    accepted.append(first)
    typical = baseline.seconds
    now = NOW
    kinds = ("accept", "complete", "refresh")
    for i in range(trials):
        now += timedelta(minutes=7)
        scheduled = i < len(points) * len(kinds)  # every step of the commit, in every command, once
        kind = kinds[i // len(points)] if scheduled else rng.choices(kinds, (6, 3, 1))[0]
        if kind == "accept" and not pending:
            kind = "complete"
        form: Path | None = None
        if kind == "accept":
            form = pending[0]
            args = accept_args(office, form, now)
        elif kind == "complete":
            form = rng.choice(accepted)
            stage = open_stage(form)
            if stage is None:
                continue
            args = [
                "complete",
                form,
                "--stage",
                stage,
                "--by",
                "经办人",
                "-r",
                office.register,
                "--now",
                now.isoformat(),
            ]
        else:
            args = ["refresh", office.register, "--now", now.isoformat(), "--user", "王静"]
        if scheduled or rng.random() < 0.5:
            point = points[i % len(points)] if scheduled else rng.choice(points)
            result = run([str(a) for a in args], out=work / "out.txt", inject=crash_at(point))
            label = f"{kind}@{point}"
        else:
            delay = rng.uniform(0, typical * 1.3)
            result = run([str(a) for a in args], out=work / "out.txt", kill_after=delay)
            label = f"{kind}@t"
        stats["killed" if result.status is None else f"exit {result.status}"] += 1
        stats[label] += 1
        if result.status not in (None, 0, 1):
            failures.append(f"trial {i} {label}: exit {result.status}: {result.output[-400:]}")
        recover_like_the_next_command(office)
        full = (i + 1) % 50 == 0 or i == trials - 1
        broken = check_invariants(office, None if full else ([form] if form else []))
        if broken:
            failures.append(f"trial {i} {label}: {broken}")
            echo(f"BROKEN trial {i} {label}: {broken}")
        if kind == "accept" and form is not None and form_case_no(form):
            pending.remove(form)
            accepted.append(form)
            stats["accepted"] += 1
        if (i + 1) % 100 == 0:
            echo(f"  {i + 1}/{trials} trials, {len(failures)} broken")
    return {"trials": trials, "stats": dict(stats), "failures": failures, "accepted": len(accepted)}


def concurrent_rounds(office: Office, *, rounds: int, clerks: int, work: Path, wait: float | None = None) -> dict:
    """``rounds`` times, ``clerks`` accepts started at once on one register (different forms)."""
    lost = duplicates = refused_told = refused_silent = ok = 0
    failures: list[str] = []
    forms = iter([f for f in office.forms if not form_case_no(f)])
    now = NOW
    env_wait = os.environ.get("COMPLAINT_KIT_LOCK_WAIT")
    if wait is not None:
        os.environ["COMPLAINT_KIT_LOCK_WAIT"] = str(wait)
    try:
        for r in range(rounds):
            now += timedelta(minutes=11)
            batch = [next(forms) for _ in range(clerks)]
            started = time.monotonic()
            pids = [
                (form, run_child(accept_args(office, form, now), out=work / f"c{j}.txt"), work / f"c{j}.txt")
                for j, form in enumerate(batch)
            ]
            results = [(form, wait_child(pid, out=out, started=started)) for form, pid, out in pids]
            for form, res in results:
                numbered = bool(form_case_no(form))
                if res.status == 0:
                    ok += 1
                    if not numbered:
                        lost += 1
                        failures.append(f"round {r}: {form.name} reported success but is not numbered")
                elif res.status == 2 and ("占用" in res.output or "打开" in res.output) and not numbered:
                    refused_told += 1
                else:
                    refused_silent += 1
                    failures.append(f"round {r}: {form.name} exit {res.status}: {res.output[-300:]}")
            broken = check_invariants(office, None if r == rounds - 1 else batch)
            duplicates += sum(1 for b in broken if "issued" in b)
            lost += sum(1 for b in broken if "no register row" in b)
            failures += [f"round {r}: {b}" for b in broken]
    finally:
        if env_wait is None:
            os.environ.pop("COMPLAINT_KIT_LOCK_WAIT", None)
        else:
            os.environ["COMPLAINT_KIT_LOCK_WAIT"] = env_wait
    return {
        "rounds": rounds,
        "clerks": clerks,
        "ok": ok,
        "lost": lost,
        "duplicates": duplicates,
        "refused_told": refused_told,
        "refused_silent": refused_silent,
        "failures": failures,
    }
