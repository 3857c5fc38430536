"""Issue 6, item 5 (CI size): hostile values and malformed workbooks through validate, accept
and complete end in a problem list with Chinese text or in success — never a traceback.

The full run (≥ 10,000 inputs) is ``uv run python tests/stress/fuzz.py``; this one uses the
same generators and a fixed seed, sized to stay within ``.ci/run``'s time.
"""

from __future__ import annotations

import pytest

from tests.fuzz.hostile import run

SEED = 20261128


@pytest.fixture(scope="module")
def tallies(tmp_path_factory):
    return run(values=300, workbooks=40, seed=SEED, folder=tmp_path_factory.mktemp("fuzz"))


def test_hostile_values_never_raise_and_every_known_bad_value_is_named(tallies):
    values, _ = tallies
    assert values.inputs == 300
    assert values.tracebacks == 0, "\n".join(values.examples)
    assert values.missed == 0, "\n".join(values.examples)
    assert values.unexplained == 0, "\n".join(values.examples)
    assert values.refused > 0 and values.accepted > 0  # the generator reaches both ends


def test_malformed_workbooks_are_refused_with_a_chinese_message_never_a_traceback(tallies):
    _, books = tallies
    assert books.inputs == 40
    assert books.tracebacks == 0, "\n".join(books.examples)
    assert books.unexplained == 0, "\n".join(books.examples)
    assert books.refused > 0
