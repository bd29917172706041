"""The slider machinery (``lessons_src.widgets``): controls, rules, the one live figure, what a
reader without a kernel sees, and the bench's measurement of a callback."""
import base64
import copy
import importlib.util
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import ipywidgets
import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest
from PIL import Image

from lessons_src import plotting, widgets
from lessons_src.datasets import TEACHING_SETS
from lessons_src.figures import overview
from lessons_src.widgets import (LiveFigure, checkbox, dropdown, enabled, float_slider, int_slider,
                                 log_slider)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(autouse=True)
def lesson_style():
    """The lessons' figure style (constrained layout, their DPI), for this module only."""
    with plt.rc_context():
        plotting.apply_style()
        yield


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)))


def draw_points(n_points=10, scale=1.0, title="points", ax=None):
    """A small callback: ``n_points`` points on a line, axes limits following ``scale``."""
    if ax is None:
        _, ax = plt.subplots(figsize=(3, 2.5))
    x = np.linspace(0, scale, n_points)
    ax.plot(x, x ** 2, "o")
    ax.set_title(f"{title}: {n_points}")
    return ax


# -- controls --------------------------------------------------------------------------------

def test_control_factories_update_on_release():
    s = int_slider(1, 10, 3)
    assert (s.value, s.min, s.max, s.continuous_update) == (3, 1, 10, False)
    assert int_slider(1, 10).value == 1
    d = dropdown({"a": 1, "b": 2})
    assert d.value == 1
    assert dropdown(["x", "y"], "y").value == "y"
    c = checkbox(True, "show")
    assert c.value is True and c.description == "show"


def test_log_slider_float_spans_the_decades():
    s = log_slider(0.1, 1000, 30, description="gamma")
    assert isinstance(s, ipywidgets.FloatLogSlider) and s.continuous_update is False
    assert (s.min, s.max, s.base) == (-1, 3, 10) and s.value == pytest.approx(30)
    assert s.step == pytest.approx(0.1)
    # The older spelling with exponents is the same slider.
    old = float_slider(-1, 3, 30.0, step=0.1, log=True)
    assert isinstance(old, ipywidgets.FloatLogSlider)
    assert (old.min, old.max, old.step, old.value) == (s.min, s.max, s.step, s.value)


def test_log_slider_integer_stops():
    s = log_slider(2, 2048, 32, integer=True, description="batch size")
    assert isinstance(s, ipywidgets.SelectionSlider) and s.continuous_update is False
    stops = list(s.options)
    assert stops[0] == 2 and stops[-1] == 2048 and s.value == 32
    assert all(isinstance(v, int) for v in stops) and stops == sorted(set(stops))
    ratios = np.diff(np.log10(stops))
    assert ratios.max() < 0.2 and len(stops) >= 25  # about 10 stops per decade over 3 decades
    # A value between stops starts at the nearest one on the log scale.
    assert log_slider(1, 100, 9, integer=True, steps_per_decade=2).value == 10


@pytest.mark.parametrize("kwargs, message", [
    (dict(min=0, max=10), "0 < min < max"),
    (dict(min=10, max=1), "0 < min < max"),
    (dict(min=1, max=10, value=20), "value must be within"),
    (dict(min=1, max=10, steps_per_decade=0), "steps_per_decade"),
])
def test_log_slider_rejects_bad_ranges(kwargs, message):
    with pytest.raises(ValueError, match=message):
        log_slider(**kwargs)


def test_enabled_says_why_only_when_disabled():
    assert enabled(True, "why") == {"disabled": False, "tooltip": None}
    assert enabled(0, "k is for the k-NN graph") == {"disabled": True,
                                                     "tooltip": "k is for the k-NN graph"}


# -- LiveFigure: the callback, the figure, the PNG --------------------------------------------

def test_live_figure_calls_draw_with_controls_and_fixed_values():
    calls = []

    def draw(n_points, scale, title, ax=None):
        calls.append((n_points, scale, title))
        return draw_points(n_points, scale, title, ax=ax)

    live = LiveFigure(draw, n_points=int_slider(2, 20, 5), scale=ipywidgets.fixed(2.0),
                      title="fixed")
    assert calls == [(5, 2.0, "fixed")]
    assert set(live.controls) == {"n_points"} and live.fixed == {"scale": 2.0, "title": "fixed"}
    dpi = plt.rcParams["figure.dpi"]
    assert live.png.startswith(b"\x89PNG")
    assert pixels(live.png).shape[:2] == (round(2.5 * dpi), round(3 * dpi))
    assert live.set_values(n_points=20) == {"n_points": 20, "scale": 2.0, "title": "fixed"}
    assert calls[-1] == (20, 2.0, "fixed")
    assert not np.array_equal(pixels(live.png), pixels(LiveFigure(
        draw_points, n_points=int_slider(2, 20, 5), scale=2.0, title="fixed").png))
    with pytest.raises(ValueError, match="no control named"):
        live.set_values(scale=3)


def test_live_figure_leaves_no_pyplot_figure_open():
    before = plt.get_fignums()
    live = LiveFigure(draw_points, n_points=int_slider(2, 20, 5))
    live.set_values(n_points=7)
    assert plt.get_fignums() == before

    def fails(n_points):
        plt.subplots()
        raise ValueError(f"n_points={n_points} is not allowed")

    with pytest.raises(ValueError, match="not allowed"):
        LiveFigure(fails, n_points=int_slider(2, 20, 5))
    assert plt.get_fignums() == before


def test_live_figure_finds_the_figure_in_what_the_callback_returns():
    def returns_dict(n_points):
        ax = draw_points(n_points)
        plt.figure()  # a second, unrelated figure: not the one drawn
        return {"axes": np.array([ax], dtype=object), "n": n_points}

    live = LiveFigure(returns_dict, n_points=int_slider(2, 20, 5))
    dpi = plt.rcParams["figure.dpi"]
    assert live.timings[-1]["size_px"] == (round(3 * dpi), round(2.5 * dpi))
    assert plt.get_fignums() == []


def test_live_figure_rejects_a_callback_that_draws_nothing():
    with pytest.raises(TypeError, match="drew no figure"):
        LiveFigure(lambda k: None, k=int_slider(1, 5, 2))
    with pytest.raises(TypeError, match="draw must be callable"):
        LiveFigure("draw_points")


def test_layout_is_reused_only_when_the_frame_is_unchanged():
    """Steps that keep the axes, ticks and labels reuse the last layout, and the picture is the
    same, pixel for pixel, as a fresh layout's; a change of frame runs the layout again."""
    live = LiveFigure(draw_points, n_points=int_slider(2, 20, 5), scale=float_slider(1, 1000, 1))
    assert live.timings[-1]["layout"] is True
    for n_points in (6, 12, 20):
        live.set_values(n_points=n_points)
        assert live.timings[-1]["layout"] is False
        fresh = LiveFigure(draw_points, n_points=int_slider(2, 20, n_points),
                           scale=float_slider(1, 1000, 1))
        np.testing.assert_array_equal(pixels(live.png), pixels(fresh.png))
    live.set_values(scale=1000)  # tick labels up to 1e6: wider, so the layout must run
    assert live.timings[-1]["layout"] is True
    fresh = LiveFigure(draw_points, n_points=int_slider(2, 20, 20),
                       scale=float_slider(1, 1000, 1000))
    np.testing.assert_array_equal(pixels(live.png), pixels(fresh.png))


def test_timings_split_the_redraw():
    live = LiveFigure(overview.draw_teaching_set, name=dropdown(list(TEACHING_SETS)))
    timing = live.timings[-1]
    assert set(timing) >= {"values", "compute_s", "layout", "draw_s", "encode_s", "total_s",
                           "png_bytes"}
    parts = timing["compute_s"] + timing["draw_s"] + timing["encode_s"]
    assert 0 < parts <= timing["total_s"] and timing["png_bytes"] == len(live.png)


def test_redraws_are_logged_when_asked(tmp_path, monkeypatch):
    log = tmp_path / "redraws.jsonl"
    monkeypatch.setenv(widgets.LOG_ENV, str(log))
    live = LiveFigure(draw_points, n_points=int_slider(2, 20, 5))
    live.controls["n_points"].value = 9  # as the browser does: through the observer
    live.controls["n_points"].value = 10
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert [r["callback"] for r in records] == ["draw_points", "draw_points"]
    assert all(r["end_ms"] >= r["start_ms"] and r["draw_s"] > 0 for r in records)


# -- rules: ranges that follow the data, controls that do nothing ------------------------------

def replay_like(step, n_clusters, graph, k):
    """A callback whose 'run' has 2 * n_clusters + 1 steps (a stand-in for a K-Means replay)."""
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.set_title(f"step {step} of {2 * n_clusters}, {graph} {k}")
    return ax


def replay_like_controls(values):
    return {"step": {"max": 2 * values["n_clusters"]},
            "k": enabled(values["graph"] == "knn", "k is used only by the k-NN graph")}


def test_rules_set_ranges_and_disable_before_the_callback_runs():
    k = int_slider(1, 10, 3)
    k.tooltip = "neighbours per point"
    live = LiveFigure(replay_like, rules=replay_like_controls, step=int_slider(0, 40, 30),
                      n_clusters=int_slider(1, 10, 4), graph=dropdown(["rbf", "knn"]), k=k)
    step = live.controls["step"]
    # The step slider ends at the run's last step; its value was clamped before the first draw.
    assert (step.max, step.value) == (8, 8) and live.timings[-1]["values"]["step"] == 8
    assert k.disabled and k.tooltip == "k is used only by the k-NN graph"
    assert live.set_values(n_clusters=2)["step"] == 4 and step.max == 4
    live.set_values(n_clusters=10)
    assert step.max == 20 and step.value == 4  # a longer run keeps the step shown
    live.set_values(graph="knn")
    assert not k.disabled and k.tooltip == "neighbours per point"  # its own tooltip is back
    assert len(live.timings) == 4  # one redraw per move, none for the rules' own changes


def test_rules_that_move_a_range_past_the_other_bound():
    def draw(lo, ax=None):
        return draw_points(ax=ax)

    live = LiveFigure(draw, rules=lambda v: {"lo": {"min": 50, "max": 60}},
                      lo=int_slider(0, 10, 5))
    assert (live.controls["lo"].min, live.controls["lo"].max, live.controls["lo"].value) == (
        50, 60, 50)


@pytest.mark.parametrize("rules, error, message", [
    (lambda v: {"nope": {"max": 3}}, ValueError, "not a control"),
    (lambda v: {"step": {"colour": "red"}}, ValueError, "allowed"),
    (lambda v: [("step", {"max": 3})], TypeError, "must return a dict"),
])
def test_bad_rules_are_named(rules, error, message):
    with pytest.raises(error, match=message):
        LiveFigure(replay_like, rules=rules, step=int_slider(0, 40, 3), n_clusters=4,
                   graph="rbf", k=3)


# -- display: one figure per widget -------------------------------------------------------------

class FakeHandle:
    def __init__(self):
        self.updates = []

    def update(self, data, **kwargs):
        self.updates.append(data)


def test_display_is_controls_then_one_figure_updated_in_place(monkeypatch):
    shown = []

    def fake_display(data, raw=False, display_id=None):
        if not raw:
            return data._ipython_display_()  # what IPython's display does with a LiveFigure
        shown.append((data, display_id))
        return FakeHandle() if display_id else None

    monkeypatch.setattr(widgets, "display", fake_display)
    widgets.interactive_figure(overview.draw_teaching_set, name=dropdown(list(TEACHING_SETS)))
    (controls, no_id), (figure, with_id) = shown
    assert WIDGET_VIEW in controls and no_id is None
    assert "name='blobs'" in controls["text/plain"]  # what a reader without widgets sees
    assert set(figure) == {"image/png", "text/plain"} and with_id is True
    first = base64.b64decode(figure["image/png"])
    assert first.startswith(b"\x89PNG")


def test_a_moved_control_updates_the_same_output(monkeypatch):
    handles = []

    def fake_display(data, raw=False, display_id=None):
        if display_id:
            handles.append(FakeHandle())
            return handles[-1]

    monkeypatch.setattr(widgets, "display", fake_display)
    live = LiveFigure(overview.draw_teaching_set, name=dropdown(list(TEACHING_SETS)))
    live._ipython_display_()
    live.controls["name"].value = "moons"
    (update,) = handles[0].updates
    assert base64.b64decode(update["image/png"]) == live.png
    # A callback error replaces the figure with its message (a comm handler's exception would
    # only reach the server's log) and is raised.
    monkeypatch.setattr(live, "draw", lambda name: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        live.controls["name"].value = "circles"
    assert "raised ZeroDivisionError" in handles[0].updates[-1]["text/plain"]
    assert "image/png" not in handles[0].updates[-1]


# -- the stored notebooks and their static HTML ------------------------------------------------

def _widget_cells(nb):
    return [cell for cell in nb.cells if cell.cell_type == "code"
            and re.search(r"^\s*interactive_figure\(", cell.source, re.M)]


def _made_by_live_figure(cell):
    return any("Controls of " in output.get("data", {}).get("text/plain", "")
               for output in cell.get("outputs", []))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_stored_widget_cell_shows_one_figure(path):
    nb = nbformat.read(path, as_version=4)
    cells = _widget_cells(nb)
    if not cells:
        pytest.skip("no widget cell")
    if path.name != "00_overview.ipynb" and not all(map(_made_by_live_figure, cells)):
        pytest.xfail("executed before lessons_src.widgets.LiveFigure: re-execute it")
    for cell in cells:
        kinds = [sorted(output.get("data", {})) for output in cell.outputs]
        assert kinds == [["application/vnd.jupyter.widget-view+json", "text/plain"],
                         ["image/png", "text/plain"]], (cell.source, kinds)


@pytest.mark.slow
@pytest.mark.parametrize("widget_state", [False, True], ids=["no-widget-state", "widget-state"])
def test_static_html_shows_one_figure_per_widget_cell(tmp_path, widget_state):
    """``jupyter nbconvert --to html`` of lesson 00 (with its stored widget state or without):
    exactly one image in the widget cell."""
    nb = nbformat.read(ROOT / "notebooks" / "00_overview.ipynb", as_version=4)
    if not widget_state:
        nb.metadata.pop("widgets", None)
    source = tmp_path / "lesson.ipynb"
    nbformat.write(nb, source)
    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", str(source)],
                   check=True, capture_output=True)
    html = (tmp_path / "lesson.html").read_text()
    cells = {re.search(r'id="cell-id=([^"]+)"', part).group(1): part
             for part in re.split(r'<div\s+class="jp-Cell ', html)[1:]}
    (widget_cell,) = _widget_cells(nb)
    assert cells[widget_cell.id].count("<img") == 1
    assert html.count("<img") == sum(  # and no other cell draws it again
        "image/png" in output.get("data", {}) for cell in nb.cells for output in
        cell.get("outputs", []))


# -- the bench's measurement of a callback ---------------------------------------------------

def test_bench_measures_a_callback_at_the_ends_of_its_ranges():
    spec = importlib.util.spec_from_file_location("lessons_bench", ROOT / "bench" / "run.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    live = LiveFigure(replay_like, rules=replay_like_controls, step=int_slider(0, 40, 3),
                      n_clusters=int_slider(1, 10, 4), graph=dropdown(["rbf", "knn"]),
                      k=int_slider(1, 10, 3))
    settings = bench.callback_settings(live)
    labels = [label for label, _ in settings]
    assert labels[0] == "initial"
    # every slider at both ends (the step's end is the run's last step, set by the rule), every
    # other dropdown option
    assert {"step=0", "step=8", "n_clusters=1", "n_clusters=10", "graph='knn'", "k=1",
            "k=10"} <= set(labels)
    result = bench.measure_callback(live, calls=2, slow_s=0.0)
    assert result["callback"].endswith("replay_like")
    assert len(result["settings"]) == len(settings)
    assert all(s["median_s"] > 0 and s["cpu_median_s"] > 0 for s in result["settings"])
    assert result["worst"]["median_s"] == max(s["median_s"] for s in result["settings"])
    assert "compute" in result["profile"] and "draw" in result["profile"]


# -- memory: 200 slider moves ------------------------------------------------------------------

def _rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024


def draw_photo(seed, ax=None):
    """A photo-like callback: a new 150 x 200 RGB image (0.7 MB as float64) on every call."""
    if ax is None:
        _, ax = plt.subplots(figsize=(3, 2.25))
    ax.imshow(np.random.default_rng(seed).random((150, 200, 3)))
    ax.set_title(f"seed {seed}")
    ax.set_axis_off()
    return ax


@pytest.fixture
def inline_backend():
    """pyplot as a kernel has it: matplotlib-inline's backend in interactive mode, which queues
    every new figure for the end of the cell."""
    import matplotlib

    backend, interactive = matplotlib.get_backend(), matplotlib.is_interactive()
    plt.switch_backend("module://matplotlib_inline.backend_inline")
    matplotlib.interactive(True)
    from matplotlib_inline import backend_inline
    try:
        yield backend_inline
    finally:
        backend_inline.show._to_draw.clear()
        matplotlib.interactive(interactive)
        plt.switch_backend(backend)


def test_200_redraws_do_not_grow_the_kernel(inline_backend):
    """Issue 22: 200 slider moves grow the kernel by < 50 MB; every replaced figure is freed
    (none kept by pyplot or by the inline backend's queue of figures to show)."""
    import gc
    import weakref

    drawn = []

    def draw(seed, ax=None):
        ax = draw_photo(seed, ax=ax)
        drawn.append(weakref.ref(ax.figure))
        return ax

    live = LiveFigure(draw, seed=int_slider(0, 1000, 0))
    gc.collect()
    before = _rss_mb()
    for move in range(1, 201):
        live.set_values(seed=move)
    gc.collect()
    growth = _rss_mb() - before
    alive = sum(ref() is not None for ref in drawn)
    assert len(drawn) == 201 and alive <= 1, f"{alive} of {len(drawn)} figures still alive"
    assert inline_backend.show._to_draw == [] and plt.get_fignums() == []
    assert growth < 50, f"the process grew by {growth:.0f} MB over 200 redraws"


# -- no Output widget: what made `make execute` stall ------------------------------------------

OUTPUT_WIDGET_CALLS = {"Output", "interact", "interactive", "interact_manual", "interactive_output"}


def _output_widget_calls(path):
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in OUTPUT_WIDGET_CALLS:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}(...)")
    return found


def test_no_output_widget_in_lessons_or_their_code():
    """ipywidgets' Output widget (which interact and interactive use) makes nbclient send each
    output back to the kernel on the shell socket while it awaits the cell's reply there; now
    and then the reply's wake-up is lost and `make execute` waits out the cell timeout
    (reproduced: 3 stalls of exactly the timeout in 120 interact cells; none in 150 with that
    send switched off). Sliders go through LiveFigure, which has no Output widget."""
    sources = sorted((ROOT / "lessons").glob("*.py")) + sorted((ROOT / "lessons_src").rglob("*.py"))
    assert [call for path in sources for call in _output_widget_calls(path)] == []
    for path in NOTEBOOKS:
        state = nbformat.read(path, as_version=4).metadata.get("widgets", {}).get(
            "application/vnd.jupyter.widget-state+json", {}).get("state", {})
        models = {model["model_name"] for model in state.values()}
        assert "OutputModel" not in models, path.name
