"""The mutation script's bookkeeping (issue 12): an equivalent entry counts only while it still holds."""

from tests.mutation.run import EQUIVALENT_FILE, Equivalent, added_lines, load_equivalents, match_equivalents

DIFF = """--- a.py
+++ a.py
@@ -1,2 +1,2 @@
 def f(x):
-    return x // 60
+    return x / 60"""


def test_the_line_a_mutant_introduces_is_read_from_its_diff_without_the_file_header():
    assert added_lines(DIFF) == ["return x / 60"]


def test_an_equivalent_entry_holds_while_its_mutant_survives_with_the_same_change():
    eq = Equivalent("m1", "return x / 60", "whole minutes")
    found, stale = match_equivalents({"m1": eq}, {"m1": "survived"}, {"m1": DIFF})
    assert found == {"m1": eq} and stale == []


def test_an_equivalent_entry_whose_mutant_is_gone_killed_or_changed_is_stale():
    eqs = {n: Equivalent(n, "return x / 60", "r") for n in ("gone", "killed", "changed")}
    status = {"killed": "killed", "changed": "survived"}
    found, stale = match_equivalents(eqs, status, {"changed": DIFF.replace("x / 60", "x % 60")})
    assert found == {}
    assert [s.split(":")[0] for s in stale] == ["gone", "killed", "changed"]


def test_every_listed_equivalent_has_a_reason_and_is_listed_once():
    equivalents = load_equivalents(EQUIVALENT_FILE)
    assert equivalents and all(eq.reason and eq.line for eq in equivalents.values())
