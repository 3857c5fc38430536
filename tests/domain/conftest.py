"""The domain's tests under mutation testing (issue 12): a lighter, reproducible hypothesis profile.

``tests/mutation/run.py`` sets ``COMPLAINT_KIT_HYPOTHESIS_PROFILE=mutation``: property tests then
run 40 derandomized examples per mutant (same inputs every run, so a mutant is killed or not, never
"sometimes"). Without the variable the shared "kit" profile of ``tests/conftest.py`` stays.
"""

from __future__ import annotations

import os

from hypothesis import settings as hypothesis_settings

hypothesis_settings.register_profile("mutation", deadline=None, max_examples=40, derandomize=True, database=None)
_profile = os.environ.get("COMPLAINT_KIT_HYPOTHESIS_PROFILE")
if _profile:
    hypothesis_settings.load_profile(_profile)
