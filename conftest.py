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

