"""Settings of the robustness suite: bounded in CI, scalable by hand.

    PLANDOC_FUZZ_EXAMPLES=10000 .venv/bin/python -m pytest tests/robustness

runs the property tests with that many examples each (randomly); without it they run a
fixed, derandomized set small enough for CI. The example database is never written.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

FUZZ_EXAMPLES = int(os.environ.get("PLANDOC_FUZZ_EXAMPLES", "0"))

settings.register_profile(
    "plandoc",
    max_examples=FUZZ_EXAMPLES or 40,
    derandomize=not FUZZ_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile("plandoc")
