"""Unit-test fixtures: draw on Agg and close every figure after each test."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# Hypothesis: the same examples on every run and no per-example deadline, so CI on a loaded
# two-core machine is deterministic and never flaky on timing.
from hypothesis import settings  # noqa: E402

settings.register_profile("lessons", derandomize=True, deadline=None, print_blob=True)
settings.load_profile("lessons")
