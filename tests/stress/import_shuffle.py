"""Import of a shuffled batch on real files (issue 9: ≥ 100 runs, the final register identical).

    uv run python -m tests.stress.import_shuffle --runs 100

One office, four cases, the files that come back: the newest revision as a mail, an older
revision, a copy, a form with a sealed field changed, two different forms for one case, a form
never accepted, a form of another office, a broken workbook and a text file. Each run copies the
register, puts the files into a fresh 收件, imports them named in a random order with ``--keep``
at a fixed ``--now`` and reads every table of the register back; prints how many
distinct registers the runs gave (must be 1) and the verdicts.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

from complaint_kit import layout as L
from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
from tests.e2e.test_cli import INTAKE, run, type_in
from tests.e2e.test_mail_cli import MFG, QUALITY, set_mail

TABLES = (L.REGISTER_TABLE, L.JOURNAL_TABLE, L.SIGNATURES_TABLE, L.CASE_RESPONSIBILITY_TABLE, L.SERIALS_TABLE)


def _form(office: Path, name: str, customer: str, *, accept: bool = True) -> Path:
    path = office / L.FORMS_DIR / name
    sets = [x for item in [*INTAKE, f"Customer={customer}"] for x in ("--set", item)]
    run("new-form", path, *sets, "--now", "2026-11-23T09:05")
    if accept:
        run("accept", path, "-r", office / L.REGISTER_FILE, "--now", "2026-11-23T11:30", "--user", "王静")
    return path


def _complete(form: Path, stage: str, by: str, at: str, values: dict) -> None:
    type_in(form, **values)
    run("complete", form, "--stage", stage, "--by", by, "--now", at)


def build(root: Path) -> tuple[Path, list[Path]]:
    """The office after four acceptances and the files that came back."""
    office = root / "office"
    run("init", office)
    set_mail(office / L.REGISTER_FILE)
    batch = root / "batch"
    batch.mkdir()
    a = _form(office, "a.xlsx", "华星光电")
    _complete(a, "quality", "张敏", "2026-11-24T10:00", QUALITY)
    shutil.copy(a, batch / "a-older.xlsx")
    mfg = root / "mfg" / "a.xlsx"
    mfg.parent.mkdir()
    shutil.copy(a, mfg)
    _complete(mfg, "manufacturing", "赵六", "2026-11-24T16:00", MFG)
    (eml,) = (mfg.parent / L.OUTBOX_DIR).glob("*.eml")
    shutil.copy(eml, batch / "a-newest.eml")
    shutil.copy(mfg, batch / "a-copy.xlsx")
    b = _form(office, "b.xlsx", "深南电路")
    _complete(b, "quality", "张敏", "2026-11-24T11:00", QUALITY)
    shutil.copy(b, batch / "b.xlsx")
    shutil.copy(b, batch / "b-tampered.xlsx")
    type_in(batch / "b-tampered.xlsx", DefectQty=2)
    c = _form(office, "c.xlsx", "比亚迪电子")
    for name, at, cause in (("c1.xlsx", "2026-11-24T10:30", "电镀"), ("c2.xlsx", "2026-11-24T10:45", "蚀刻")):
        copy = root / name
        shutil.copy(c, copy)
        _complete(copy, "quality", "张敏", at, {**QUALITY, "QualityCause": cause})
        shutil.copy(copy, batch / name)
    shutil.copy(_form(office, "never.xlsx", "立讯精密", accept=False), batch / "never.xlsx")
    other = root / "other"
    run("init", other)
    stranger = other / L.FORMS_DIR / "s.xlsx"
    sets = [x for item in [*INTAKE, "Customer=Flex Ltd."] for x in ("--set", item)]
    run("new-form", stranger, *sets, "--now", "2026-11-23T09:05")
    shutil.copy(stranger, batch / "other-office.xlsx")
    (batch / "broken.xlsx").write_bytes(b"PK\x03\x04 not really")
    (batch / "notes.txt").write_text("纪要", encoding="utf-8")
    return office, sorted(batch.iterdir())


def snapshot(register: Path) -> str:
    book = OpenpyxlBook.open(register)
    return json.dumps({t: book.read_table(t).rows for t in TABLES}, ensure_ascii=False, default=str)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--seed", type=int, default=20261128)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    root = Path(tempfile.mkdtemp(prefix="ck-import-"))
    office, files = build(root)
    seen: dict[str, int] = {}
    summary = ""
    for n in range(args.runs):
        work = root / f"run{n}"
        work.mkdir()
        shutil.copy(office / L.REGISTER_FILE, work / L.REGISTER_FILE)
        inbox = work / L.INBOX_DIR
        inbox.mkdir()
        order = [inbox / f.name for f in files]
        rng.shuffle(order)  # named on the command line in another order each run
        for f in files:
            shutil.copy(f, inbox / f.name)
        out = run(
            "import", work / L.REGISTER_FILE, *order, "--keep", "--now", "2026-11-25T09:00", "--user", "王静"
        ).output
        summary = summary or next(line for line in out.splitlines() if line.startswith("导入 "))
        key = snapshot(work / L.REGISTER_FILE)
        seen[key] = seen.get(key, 0) + 1
        shutil.rmtree(work)
    print(json.dumps({"runs": args.runs, "distinct_registers": len(seen), "files": len(files)}, ensure_ascii=False))
    print(summary)
    return 0 if len(seen) == 1 else 1


if __name__ == "__main__":
    started = datetime.now()
    code = main()
    print(f"{(datetime.now() - started).total_seconds():.0f} s")
    raise SystemExit(code)
