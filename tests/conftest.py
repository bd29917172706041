"""Unit-test fixtures.

* Figures are drawn on Agg and every figure is closed after each test.
* **No helper shows or saves a figure**: in every unit test, ``plt.show()`` and
  ``Figure.show()`` fail unless ``lessons_src.widgets`` calls them (``interactive_figure`` shows
  the figure its callback drew, which is its job), and ``savefig`` fails when ``lessons_src``
  calls it. A call that some ``except`` swallowed still fails the test at teardown.
* **Every figure helper is exercised**: each public ``plot_*`` / ``draw_*`` function of
  ``lessons_src.plotting`` and ``lessons_src.figures.*`` is wrapped so that its calls are recorded
  (the wrapper replaces it wherever a ``lessons_src`` module holds it, before any test module is
  imported); ``tests/test_plotting.py::test_every_figure_function_is_called_by_a_unit_test``
  runs after all the others and names the helpers no test called. With the two rules above, this
  is what makes "no helper calls ``plt.show()``" hold for all of them, not for a sample.
"""
import functools
import importlib
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.figure  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import lessons_src  # noqa: E402
from lessons_src import figures, plotting  # noqa: E402

# ----------------------------------------------------------------------------------------------
# Recording which figure helpers the unit tests call
# ----------------------------------------------------------------------------------------------

FIGURE_FUNCTION_PREFIXES = ("plot_", "draw_")


def public_figure_functions():
    """Every public ``plot_*`` / ``draw_*`` function defined in ``lessons_src.plotting`` or a
    ``lessons_src.figures`` module: ``{"lessons_src.figures.overview.draw_teaching_set": f}``."""
    modules = [plotting] + [importlib.import_module(f"{figures.__name__}.{name}")
                            for name in figures.MODULES]
    found = {}
    for module in modules:
        for name, value in vars(module).items():
            if (name.startswith(FIGURE_FUNCTION_PREFIXES) and callable(value)
                    and not isinstance(value, type)
                    and getattr(value, "__module__", None) == module.__name__):
                found[f"{module.__name__}.{name}"] = getattr(value, "_recorded_original", value)
    return found


class _FigureCalls:
    """What the session recorded: the helpers, the ones called, and whether the whole unit suite
    was selected (only then does "never called" mean "no unit test calls it")."""

    def __init__(self):
        self.functions = {}
        self.called = set()
        self.deselected = 0
        self.collected_files = set()

    def missing(self):
        return sorted(set(self.functions) - self.called)


FIGURE_CALLS = _FigureCalls()


def _recording(key, function):
    @functools.wraps(function)
    def recorded(*args, **kwargs):
        FIGURE_CALLS.called.add(key)
        return function(*args, **kwargs)

    # lru_cache's cache_info / cache_clear are methods, which functools.wraps does not copy.
    for attribute in ("cache_info", "cache_clear"):
        if hasattr(function, attribute):
            setattr(recorded, attribute, getattr(function, attribute))
    recorded._recorded_original = function
    return recorded


def _record_figure_calls():
    FIGURE_CALLS.functions = public_figure_functions()
    wrappers = {id(f): (f, _recording(key, f)) for key, f in FIGURE_CALLS.functions.items()}
    # Rebind every reference a lessons_src module holds (``from ..plotting import plot_voronoi``
    # included), so calls from other helpers are recorded too.
    for name, module in list(sys.modules.items()):
        if module is None or not (name == lessons_src.__name__
                                  or name.startswith(lessons_src.__name__ + ".")):
            continue
        for attribute, value in list(vars(module).items()):
            entry = wrappers.get(id(value))
            if entry is not None and value is entry[0]:
                setattr(module, attribute, entry[1])


_record_figure_calls()


@pytest.fixture
def figure_calls():
    """The session's record of figure-helper calls (see the module docstring)."""
    return FIGURE_CALLS


def pytest_deselected(items):
    FIGURE_CALLS.deselected += len(items)


def pytest_collection_modifyitems(session, config, items):
    """Tests marked ``after_all_tests`` run last, whatever their file."""
    FIGURE_CALLS.collected_files = {item.path for item in items}
    last = [item for item in items if item.get_closest_marker("after_all_tests")]
    items[:] = [item for item in items if item not in last] + last


# ----------------------------------------------------------------------------------------------
# No helper shows or saves a figure
# ----------------------------------------------------------------------------------------------

def _calling_module():
    """The module of the first caller outside matplotlib and this file."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_globals.get("__name__", "")
        if not (name.startswith("matplotlib") or frame.f_code.co_filename == __file__):
            return name
        frame = frame.f_back
    return ""


@pytest.fixture(autouse=True)
def _no_show_no_save(monkeypatch):
    violations = []
    original_savefig = matplotlib.figure.Figure.savefig

    def show(*args, **kwargs):
        caller = _calling_module()
        if caller == "lessons_src.widgets":
            return None
        violations.append(f"{caller} called show()")
        raise AssertionError(f"{caller} called show(): helpers return what they drew; only "
                             f"lessons_src.widgets shows a figure")

    def savefig(self, *args, **kwargs):
        caller = _calling_module()
        if caller.startswith("lessons_src"):
            violations.append(f"{caller} called savefig()")
            raise AssertionError(f"{caller} called savefig(): lessons_src never saves a file")
        return original_savefig(self, *args, **kwargs)

    monkeypatch.setattr(plt, "show", show)
    monkeypatch.setattr(matplotlib.figure.Figure, "show", show)
    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", savefig)
    yield violations
    assert not violations, "; ".join(violations)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# Hypothesis: the same examples on every run and no per-example deadline, so CI on a loaded
# two-core machine is deterministic and never flaky on timing.
from hypothesis import settings  # noqa: E402

settings.register_profile("lessons", derandomize=True, deadline=None, print_blob=True)
settings.load_profile("lessons")
