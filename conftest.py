"""Keep Jupyter, IPython and matplotlib state out of the user's home during tests.

This file sits at the top of the repository so it applies both to ``tests/`` and to the
notebooks that nbval collects from ``notebooks/``. Kernels started by nbval inherit these
variables. ``make test`` already sets them; this covers a bare ``pytest`` call too.
"""
import os
import tempfile

_STATE = tempfile.mkdtemp(prefix="lessons-test-state-")
for _name, _sub in [
    ("JUPYTER_CONFIG_DIR", "jupyter_config"),
    ("JUPYTER_DATA_DIR", "jupyter_data"),
    ("JUPYTER_RUNTIME_DIR", "jupyter_runtime"),
    ("IPYTHONDIR", "ipython"),
    ("MPLCONFIGDIR", "matplotlib"),
]:
    os.environ.setdefault(_name, os.path.join(_STATE, _sub))


# --------------------------------------------------------------------------------------------
# Lesson 10 needs the optional Dask extra (`make scale`). Its stored outputs were made with it,
# so without it nbval could only fail: skip its cells with a visible reason instead, unless
# REQUIRE_SCALE_EXTRA is set (CI installs the extra and sets it), where a missing extra fails.
# find_spec looks the packages up without importing them (no numba/pandas import cost here).
# --------------------------------------------------------------------------------------------
import importlib.util  # noqa: E402

import pytest  # noqa: E402

SCALE_NOTEBOOKS = {"10_kmeans_at_scale.ipynb"}
SCALE_MODULES = ("dask", "distributed", "dask_ml")
SCALE_SKIP_REASON = "dask extra not installed: make scale"


def _missing_scale_modules():
    return [name for name in SCALE_MODULES if importlib.util.find_spec(name) is None]


def _needs_scale_extra(item):
    return os.path.basename(str(getattr(item, "fspath", ""))) in SCALE_NOTEBOOKS


def pytest_collection_modifyitems(config, items):
    if os.environ.get("REQUIRE_SCALE_EXTRA"):
        return  # checked per item in pytest_runtest_setup, which fails instead of skipping
    scale_items = [item for item in items if _needs_scale_extra(item)]
    if scale_items and _missing_scale_modules():
        for item in scale_items:
            item.add_marker(pytest.mark.skip(reason=SCALE_SKIP_REASON))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if os.environ.get("REQUIRE_SCALE_EXTRA") and _needs_scale_extra(item):
        missing = _missing_scale_modules()
        if missing:
            pytest.fail(f"REQUIRE_SCALE_EXTRA is set but {', '.join(missing)} cannot be imported: "
                        f"run `make scale`", pytrace=False)
