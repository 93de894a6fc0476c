"""Sizes for the reliability suite: small in ``make test``, larger in ``make soak``."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

SOAK = os.environ.get("GIVEBACK_SOAK") == "1"


def size(small: int, soak: int) -> int:
    return soak if SOAK else small


# The bot fixture is shared by every example of one test on purpose: state accumulates, so
# "nothing stored" is checked across all the examples, not one at a time.
fuzz = settings(
    max_examples=size(30, 600),
    deadline=None,
    derandomize=not SOAK,  # make test is reproducible; make soak explores
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
