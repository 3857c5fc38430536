"""Forms made from an older template are in circulation (mailed between departments): a
version-1 form — no seals (MetaSeal), no decision section (Handling …), made by the kit that
landed before issue 6 — still goes through the whole lifecycle, with a warning where the newer
section would be needed, instead of being refused as broken."""

from __future__ import annotations

import openpyxl
import pytest

from complaint_kit import layout as L
from complaint_kit.adapters.openpyxl_book import OpenpyxlBook
from tests.e2e.test_cli import new_form, run, type_in


@pytest.fixture
def office(tmp_path):
    run("init", tmp_path / "office")
    return tmp_path / "office"


def make_version_1(path) -> None:
    """What the version-1 template lacks: the names introduced later, and its version says 1."""
    wb = openpyxl.load_workbook(path)
    later = [f.name for f in L.FORM_FIELDS if f.since > 1] + [L.META_SEAL]
    for name in later:
        del wb.defined_names[name]
    dest = next(iter(wb.defined_names[L.META_VERSION].destinations))
    wb[dest[0]][dest[1].replace("$", "")].value = "1"
    wb.save(path)


def test_a_version_1_form_goes_through_every_stage_and_into_five_copies(office):
    reg = office / L.REGISTER_FILE
    form = new_form(office)
    make_version_1(form)
    book = OpenpyxlBook.open(form)
    assert not book.has_name("Handling") and not book.has_name(L.META_SEAL)
    run("validate", form, "--now", "2026-11-23T10:00")
    run("accept", form, "-r", reg, "--now", "2026-11-23T11:30", "--user", "王静")
    steps = [
        ("quality", {"QualityCause": "电镀", "ResponsibleUnit": "制造部", "RnDNeeded": "否"}, "2026-11-24T10:00"),
        (
            "manufacturing",
            {
                "MfgCause": "电流",
                "MfgCountermeasure": "改善",
                "ProductionUnit": "二组",
                "MachineShift": "夜班",
                "Operators": "王五",
                "ProductionDate": "2026-10-20",
                "MfgManagerComment": "同意",
            },
            "2026-11-24T16:00",
        ),
        ("negotiation", {"NegotiationResult": "折让"}, "2026-11-30T10:00"),
        ("consolidation", {"GMOpinion": "折让 3%，责任制造二组"}, "2026-11-30T14:00"),
        ("approval", {"ApprovalOpinion": "同意"}, "2026-12-01T09:00"),
    ]
    for stage, values, at in steps:
        type_in(form, **values)
        out = run("complete", form, "--stage", stage, "--by", "经办", "-r", reg, "--now", at).output
        assert ("W-NO-DECISION-SECTION" in out) == (stage == "consolidation")
    assert OpenpyxlBook.open(form).read_names(["Status"]) == {"Status": "已结案"}
    assert "0 break(s)" in run("verify", reg, "--forms", form.parent).output
    run("copies", form, "--now", "2026-12-01T10:00")
    assert (form.parent / L.copies_file_name("261101")).exists()
