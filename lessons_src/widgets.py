"""Sliders that redraw one live figure.

A widget cell in a lesson is one call: a ``draw_*`` callback from ``lessons_src.figures`` and
its controls, by the callback's argument names::

    interactive_figure(figures.overview.draw_teaching_set,
                       name=dropdown(list(datasets.TEACHING_SETS), description="teaching set"))

Widgets are functions: the callback is a plain function that draws one figure for one set of
values (it makes its own figure, as it does when a lesson or a test calls it with ``ax=None``),
so tests call it at the ends of every range. Keyword arguments that are not widgets (or are
``ipywidgets.fixed(...)``) are passed unchanged on every call.

How a redraw works, and why (profiled in JupyterLab + Chromium on this 2-core machine: with the
old ``ipywidgets.interactive`` + ``Output`` + ``plt.show()``, the callback plus matplotlib's
draw and PNG encoding took about 90 % of release-to-new-picture, the draw alone 80 %; the comm,
the ``Output`` refill and the browser's decoding together took 30-50 ms):

1. A control is released (``continuous_update=False``: dragging starts no redraw storm). The
   ``rules`` function, if any, adjusts the other controls (ranges that follow the data,
   controls disabled for the current choice); then the callback runs once.
2. The callback's new figure is taken out of pyplot at once (it is never shown by the inline
   backend) and rendered on the widget's own Agg canvas, which lives as long as the widget: the
   renderer and its text-metrics cache are reused from one redraw to the next.
3. Constrained layout runs only when the figure's frame changes (its axes, tick labels, axis
   labels or title lines); otherwise the previous redraw's axes positions are reused. Layout
   is about a third of a draw.
4. One Agg draw (``plt.show()`` in the inline backend drew twice for ``bbox_inches='tight'``),
   then PNG encoding of the canvas buffer with fast zlib settings.
5. The PNG replaces the cell's one figure output in place (``update_display``, one message).

One figure per widget: the cell shows the controls and one figure output. That figure is an
ordinary ``image/png`` output, stored in the executed notebook, so a reader without a kernel
(GitHub, ``jupyter nbconvert --to html``, JupyterLab before the cell runs) sees the figure at
the controls' initial values, once; no "same figure at a fixed setting" cell is needed under a
widget. The controls' own output falls back to one line of text naming those values.

Worked example: converting a callback
-------------------------------------
Lesson 04's spectral pipeline has a ``gamma`` that only the RBF graph uses and a
``n_neighbors`` that only the k-nearest-neighbours graph uses. In the figure module, next to the
callback, write its rule as a plain function of the controls' values::

    def spectral_pipeline_controls(values):
        \"\"\"Which controls of ``draw_spectral_pipeline`` do something for ``values``.\"\"\"
        rbf = values["affinity"] == "rbf"
        return {"gamma": widgets.enabled(rbf, "gamma is used only by the RBF graph"),
                "n_neighbors": widgets.enabled(not rbf, "k is used only by the k-NN graph")}

and in the lesson, a log slider for the log-scale quantity and the rule::

    interactive_figure(figures.spectral.draw_spectral_pipeline,
                       rules=figures.spectral.spectral_pipeline_controls,
                       affinity=dropdown(["rbf", "nearest_neighbors"], description="graph"),
                       gamma=log_slider(0.1, 1000, 30, description="gamma (rbf)"),
                       n_neighbors=int_slider(1, 60, 10, description="k (neighbours)"))

A range that follows the data is a rule too: the K-Means replay's step slider ends at the last
step of the run being shown, ``{"step": {"max": n_steps - 1}}`` (the slider's value is clamped
into the new range before the callback runs; ``n_steps`` comes from the same cached run the
callback draws). Then:

1. the callback stays a ``draw_*`` function that makes its own figure when ``ax``/``axes`` is
   None and returns what it drew (nothing else changes in it: the machinery takes the figure);
2. make it fast where the time goes: ``make bench`` times every callback as its slider runs
   it, at its initial values and at the ends of its ranges, and profiles the slow ones
   (compute, draw, PNG, and the hottest functions). Compute what does not depend on the slider
   once per data set and cache it (``functools.lru_cache`` or ``caching.lru_cache_arrays``);
   draw fewer artists (a background as one low-resolution image, fewer edges, fewer ticks);
3. test the rule and the callback as a student's slider drives them, at the ends of every
   range (``LiveFigure`` draws at construction; ``set_values`` goes through the rules)::

       def test_spectral_pipeline_controls():
           live = LiveFigure(spectral.draw_spectral_pipeline,
                             rules=spectral.spectral_pipeline_controls,
                             affinity=dropdown(["rbf", "nearest_neighbors"]),
                             gamma=log_slider(0.1, 1000, 30), n_neighbors=int_slider(1, 60, 10))
           assert live.controls["n_neighbors"].disabled
           live.set_values(affinity="nearest_neighbors", n_neighbors=60)
           assert live.controls["gamma"].disabled and not live.controls["n_neighbors"].disabled

4. delete the lesson's "same figure at a fixed setting" cell under the widget, ``make
   notebooks``, ``make execute`` the lesson (its widget cell then stores the one figure), then
   ``make test TESTS=notebooks/NN_name.ipynb`` and ``make test TESTS=tests/browser
   PYTEST_ARGS="-k NN_name"``: the browser test moves every control and fails on a control
   that does not change the picture (disable it with a rule instead).
"""
import base64
import io
import json
import math
import os
import time

import ipywidgets
import matplotlib.image
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = [
    "int_slider",
    "float_slider",
    "log_slider",
    "dropdown",
    "checkbox",
    "enabled",
    "interactive_figure",
    "LiveFigure",
]

_LAYOUT = {"width": "420px"}
_STYLE = {"description_width": "120px"}

RULE_ATTRIBUTES = ("min", "max", "step", "options", "value", "disabled", "tooltip")
"""What a rule may set on a control (see :class:`LiveFigure`)."""

LOG_ENV = "LESSONS_WIDGET_LOG"
"""Environment variable: when it names a file, every redraw appends one JSON line to it (the
callback, the epoch times at which the redraw started and ended in ms, and the stage times).
The browser test sets it to split release-to-new-picture into kernel and browser time."""

LIVE_PNG_COMPRESSION = 1
"""zlib level of the PNGs sent while a slider moves: level 1 encodes about twice as fast as
matplotlib's default 6, for files about 10 % larger (sent over a local socket)."""

MAX_TIMINGS = 1000
"""``LiveFigure.timings`` keeps the last this many redraws."""

STORED_PNG_COMPRESSION = 6
"""zlib level of the first PNG, the one stored in the executed notebook (smaller in git)."""


def int_slider(min, max, value=None, step=1, description=None):
    """An ``IntSlider`` that redraws on release (default value: ``min``)."""
    return ipywidgets.IntSlider(
        min=int(min), max=int(max), step=int(step), value=int(min if value is None else value),
        description=description or "", continuous_update=False, layout=_LAYOUT, style=_STYLE,
    )


def float_slider(min, max, value=None, step=0.1, description=None, log=False):
    """A ``FloatSlider`` that redraws on release (default value: ``min``).

    ``log=True`` is the older spelling of :func:`log_slider` with the bounds and the step given
    as exponents of 10: ``float_slider(-1, 3, 30, step=0.1, log=True)`` is
    ``log_slider(0.1, 1000, 30, steps_per_decade=10)``.
    """
    if log:
        return log_slider(10.0 ** min, 10.0 ** max, value, description=description,
                          steps_per_decade=round(1 / step))
    return ipywidgets.FloatSlider(
        min=min, max=max, step=step, value=min if value is None else value,
        description=description or "", continuous_update=False, layout=_LAYOUT, style=_STYLE,
        readout_format=".3g",
    )


def log_slider(min, max, value=None, description=None, integer=False, steps_per_decade=10):
    """A slider on a log scale, for quantities such as a kernel width or a batch size.

    Parameters
    ----------
    min, max : float > 0
        The range, as values (not exponents).
    value : float, optional
        Initial value (default: ``min``); an integer slider starts at the nearest stop.
    integer : bool
        Stop at integers only (e.g. a batch size): a ``SelectionSlider`` over about
        ``steps_per_decade`` integers per factor of 10, from ``min`` to ``max`` included.
        Otherwise a ``FloatLogSlider`` whose steps are ``1 / steps_per_decade`` of a decade.
    steps_per_decade : int >= 1

    Returns
    -------
    ipywidgets.FloatLogSlider or ipywidgets.SelectionSlider
    """
    if not (min > 0 and max > min):
        raise ValueError(f"a log slider needs 0 < min < max, got min={min!r}, max={max!r}")
    if not (isinstance(steps_per_decade, int) and steps_per_decade >= 1):
        raise ValueError(f"steps_per_decade must be a positive int, got {steps_per_decade!r}")
    value = min if value is None else value
    if not min <= value <= max:
        raise ValueError(f"value must be within [{min}, {max}], got value={value!r}")
    common = dict(description=description or "", continuous_update=False, layout=_LAYOUT,
                  style=_STYLE)
    n_stops = round(math.log10(max / min) * steps_per_decade) + 1  # >= 2: max > min
    if integer:
        stops = np.unique(np.round(np.geomspace(min, max, n_stops)).astype(int))
        nearest = stops[np.argmin(np.abs(np.log(stops) - np.log(value)))]
        return ipywidgets.SelectionSlider(options=[int(s) for s in stops], value=int(nearest),
                                          **common)
    return ipywidgets.FloatLogSlider(
        min=math.log10(min), max=math.log10(max), step=1 / steps_per_decade, value=value, base=10,
        readout_format=".3g", **common)


def dropdown(options, value=None, description=None):
    """A ``Dropdown`` over ``options`` (a list, or a dict label -> value)."""
    values = list(options.values()) if isinstance(options, dict) else list(options)
    return ipywidgets.Dropdown(
        options=options, value=values[0] if value is None else value,
        description=description or "", layout=_LAYOUT, style=_STYLE,
    )


def checkbox(value=False, description=None):
    """A ``Checkbox`` (redraws when ticked or unticked)."""
    return ipywidgets.Checkbox(value=bool(value), description=description or "",
                               indent=False, layout=_LAYOUT)


def enabled(flag, why):
    """A rule's answer for one control: usable when ``flag`` is true, otherwise disabled with the
    tooltip ``why`` (say what the control would do and when).

    Returns
    -------
    dict with 'disabled' and 'tooltip'
    """
    flag = bool(flag)
    return {"disabled": not flag, "tooltip": None if flag else str(why)}


def interactive_figure(draw, rules=None, **controls):
    """Show ``draw(**values)`` under its controls; redraw it when a control is released.

    Parameters
    ----------
    draw : callable
        A ``draw_*`` function of ``lessons_src.figures`` that makes one figure (with
        ``ax=None``/``axes=None``) and returns what it drew.
    rules : callable, optional
        ``rules(values) -> {control name: {attribute: value}}``, called with every argument's
        value before each redraw; see :class:`LiveFigure`.
    **controls : widgets or fixed values
        One per argument of ``draw`` to set: a control (``int_slider``, ``log_slider``,
        ``dropdown``...), or any other value, passed unchanged.

    Returns
    -------
    None (the controls and the figure are displayed). Build a :class:`LiveFigure` to keep a
    handle on them.
    """
    display(LiveFigure(draw, rules=rules, **controls))


def _figure_in(result, depth=3):
    """The matplotlib Figure that a callback's return value refers to, or None."""
    if isinstance(result, Figure):
        return result
    if isinstance(result, Axes):
        return result.get_figure(root=True)
    if depth == 0:
        return None
    if isinstance(result, dict):
        items = result.values()
    elif isinstance(result, np.ndarray) and result.dtype == object:
        items = result.ravel()
    elif isinstance(result, (list, tuple)):
        items = result
    else:
        return None
    for item in items:
        found = _figure_in(item, depth - 1)
        if found is not None:
            return found
    return None


def _lines(text):
    """What a piece of text contributes to the layout: (present, number of lines)."""
    return (bool(text), text.count("\n") + 1 if text else 0)


def _tick_labels(axis):
    return tuple(axis.get_major_formatter().format_ticks(axis.get_majorticklocs()))


def _frame_signature(fig):
    """Everything that constrained layout reads, for a figure about to be drawn: its size, its
    axes and their grid cells, tick labels, axis labels and title lines. Two figures with equal
    signatures get the same layout."""
    parts = [tuple(np.round(fig.get_size_inches(), 4)), fig.dpi,
             type(fig.get_layout_engine()).__name__, _lines(fig.get_suptitle()),
             _lines(fig.get_supxlabel()), _lines(fig.get_supylabel()), len(fig.legends)]
    for ax in fig.axes:
        spec = ax.get_subplotspec()
        cell = None
        if spec is not None:
            grid = spec.get_gridspec()
            cell = (grid.get_geometry(), tuple(grid.get_width_ratios() or ()),
                    tuple(grid.get_height_ratios() or ()), spec.rowspan, spec.colspan)
        parts.append((
            type(ax).__name__, ax.get_label(), cell, ax.axison, ax.get_visible(),
            ax.get_xscale(), ax.get_yscale(), str(ax.get_aspect()),
            *((_tick_labels(ax.xaxis), _tick_labels(ax.yaxis)) if ax.axison else ((), ())),
            _lines(ax.get_xlabel()), _lines(ax.get_ylabel()),
            *(_lines(ax.get_title(loc)) for loc in ("left", "center", "right")),
            ax.get_legend() is not None,
        ))
    return tuple(parts)


class LiveFigure(ipywidgets.VBox):
    """Controls and the one figure they redraw (what :func:`interactive_figure` displays).

    Parameters
    ----------
    draw : callable
        Makes one figure for one set of values and returns what it drew (a Figure, an Axes,
        an array or tuple of Axes, or a dict or NamedTuple holding them); it may also just
        create the figure with pyplot.
    rules : callable, optional
        ``rules(values)`` -> ``{control name: {attribute: value}}``, where ``values`` holds
        every argument of ``draw`` (controls and fixed values) and the attributes are among
        :data:`RULE_ATTRIBUTES`: ``min``, ``max``, ``step`` (a range that follows the data),
        ``options``, ``value``, ``disabled`` and ``tooltip`` (a control that does nothing for
        the current choice is disabled and its tooltip says why: see :func:`enabled`). Called
        before every redraw, after the control that moved; controls it does not mention keep
        their state. A value outside a new range is clamped into it before ``draw`` runs.
    **controls : widgets or fixed values

    Attributes
    ----------
    controls : dict of name -> widget
    timings : list of dict
        One entry per redraw: ``values``, ``compute_s`` (the callback, building its artists),
        ``layout`` (whether constrained layout ran), ``draw_s`` (Agg), ``encode_s`` (PNG),
        ``total_s`` and ``png_bytes``.
    png : bytes
        The PNG shown now.
    """

    def __init__(self, draw, rules=None, **controls):
        if not callable(draw):
            raise TypeError(f"draw must be callable, got {draw!r}")
        if rules is not None and not callable(rules):
            raise TypeError(f"rules must be callable or None, got {rules!r}")
        self.draw, self.rules = draw, rules
        self.name = getattr(draw, "__qualname__", repr(draw))
        self.controls, self.fixed = {}, {}
        for name, control in controls.items():
            if isinstance(control, ipywidgets.fixed):
                self.fixed[name] = control.value
            elif isinstance(control, ipywidgets.ValueWidget):
                self.controls[name] = control
            else:
                self.fixed[name] = control
        self._tooltips = {name: c.tooltip for name, c in self.controls.items()}
        self._canvas = None
        self._frame = None  # (signature, axes positions) of the last constrained layout
        self._handle = None
        self._quiet = False
        self.timings = []
        self.png = None
        super().__init__(list(self.controls.values()))
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self._apply_rules()
        self.png = self.render(compress_level=STORED_PNG_COMPRESSION)

    # -- values and rules ----------------------------------------------------------------------

    def values(self):
        """Every argument passed to ``draw``: the controls' current values and the fixed ones."""
        return {**{name: c.value for name, c in self.controls.items()}, **self.fixed}

    def set_values(self, **values):
        """Move controls as a student would (the rules apply, then one redraw).

        Returns
        -------
        dict : the values the callback was called with
        """
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"no control named {sorted(unknown)} (controls: "
                             f"{sorted(self.controls)})")
        self._quiet = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._quiet = False
        self._refresh()
        return self.timings[-1]["values"]

    def _apply_rules(self):
        if self.rules is None:
            return
        changes = self.rules(self.values())
        if not isinstance(changes, dict):
            raise TypeError(f"rules must return a dict, got {changes!r}")
        quiet, self._quiet = self._quiet, True
        try:
            for name, attributes in changes.items():
                if name not in self.controls:
                    raise ValueError(f"rules set {name!r}, which is not a control of "
                                     f"{self.name} (controls: {sorted(self.controls)})")
                unknown = set(attributes) - set(RULE_ATTRIBUTES)
                if unknown:
                    raise ValueError(f"rules set {sorted(unknown)} on {name!r}; allowed: "
                                     f"{RULE_ATTRIBUTES}")
                self._set_control(name, dict(attributes))
        finally:
            self._quiet = quiet

    def _set_control(self, name, attributes):
        control = self.controls[name]
        if "disabled" in attributes and "tooltip" not in attributes and not attributes["disabled"]:
            attributes["tooltip"] = self._tooltips[name]
        if attributes.get("tooltip", "") is None:
            attributes["tooltip"] = self._tooltips[name]
        low, high = attributes.pop("min", None), attributes.pop("max", None)
        with control.hold_sync():
            # Move the bound that keeps min <= max valid first (the slider clamps its value).
            if low is not None and high is not None and low > control.max:
                control.max, control.min = high, low
            else:
                if low is not None:
                    control.min = low
                if high is not None:
                    control.max = high
            if "options" in attributes:
                control.options = attributes.pop("options")
            value = attributes.pop("value", None)
            for attribute, setting in attributes.items():
                setattr(control, attribute, setting)
            if value is not None:
                control.value = value

    # -- redrawing -----------------------------------------------------------------------------

    def _on_change(self, change):
        if not self._quiet:
            self._refresh()

    def _refresh(self):
        """Apply the rules, redraw, and replace the displayed figure."""
        start_epoch = time.time()
        try:
            self._apply_rules()
            self.png = self.render()
        except Exception as error:  # show it where the figure was: a comm handler's
            # exception would only reach the server's log
            self._show({"text/plain": f"{self.name}({_call_text(self.values())}) raised "
                                      f"{type(error).__name__}: {error}"})
            raise
        self._show(self._figure_bundle())
        _log(self.name, start_epoch, self.timings[-1])

    def render(self, compress_level=LIVE_PNG_COMPRESSION):
        """Call the callback with the current values and render its figure to PNG.

        Returns
        -------
        png : bytes
        """
        values = self.values()
        start = time.perf_counter()
        fig = self._call(values)
        computed = time.perf_counter()
        signature = self._reuse_layout(fig)
        self._canvas.draw()
        if signature is not None:  # constrained layout ran: remember where it put the axes
            self._frame = (signature, [ax.get_position(original=True) for ax in fig.axes])
        drawn = time.perf_counter()
        buffer = io.BytesIO()
        matplotlib.image.imsave(buffer, self._canvas.buffer_rgba(), format="png", dpi=fig.dpi,
                                pil_kwargs={"compress_level": compress_level})
        png = buffer.getvalue()
        end = time.perf_counter()
        del self.timings[:-MAX_TIMINGS + 1]
        self.timings.append({
            "values": values, "compute_s": computed - start, "layout": signature is not None,
            "draw_s": drawn - computed, "encode_s": end - drawn, "total_s": end - start,
            "png_bytes": len(png), "size_px": tuple(int(v) for v in fig.bbox.size)})
        self._canvas.figure = None  # the figure can go; the canvas and its renderer stay
        return png

    def _call(self, values):
        """Run the callback; return its figure, taken out of pyplot and put on our canvas."""
        before = set(plt.get_fignums())
        try:
            result = self.draw(**values)
        finally:
            new = [plt.figure(number) for number in plt.get_fignums() if number not in before]
            for figure in new:  # never left for the inline backend to show after a cell
                plt.close(figure)
            _forget_in_inline_backend(new)
        fig = _figure_in(result) or (new[-1] if new else None)
        if fig is None:
            raise TypeError(f"{self.name} drew no figure: it must create one (plt.subplots "
                            f"when ax/axes is None) or return what it drew")
        if self._canvas is None:
            self._canvas = FigureCanvasAgg(fig)
        else:  # one canvas per widget: its renderer caches text metrics between redraws
            self._canvas.figure = fig
            fig.set_canvas(self._canvas)
        return fig

    def _reuse_layout(self, fig):
        """Give ``fig`` the last layout when its frame is unchanged (and return None), else
        return its frame signature: the coming draw runs constrained layout."""
        if fig.get_layout_engine() is None:
            return None
        signature = _frame_signature(fig)
        if self._frame is None or self._frame[0] != signature:
            return signature
        fig.set_layout_engine("none")
        for ax, position in zip(fig.axes, self._frame[1]):
            ax.set_position(position, which="both")
        return None

    # -- display -------------------------------------------------------------------------------

    def _figure_bundle(self):
        return {"image/png": base64.b64encode(self.png).decode("ascii"),
                "text/plain": f"<figure drawn by {self.name}>"}

    def _show(self, data):
        if self._handle is not None:
            self._handle.update(data, raw=True)

    def _ipython_display_(self):
        controls = self._repr_mimebundle_()
        controls["text/plain"] = (f"Controls of {self.name}: {_call_text(self.values())} "
                                  f"(run the notebook to move them)")
        display(controls, raw=True)
        self._handle = display(self._figure_bundle(), raw=True, display_id=True)


def _forget_in_inline_backend(figures):
    """Take ``figures`` off the inline backend's list of figures to show after the cell.

    In interactive mode, matplotlib-inline appends every new pyplot figure to
    ``backend_inline.show._to_draw``, a list that only the end of a cell (``flush_figures``) or
    ``plt.show()`` empties; ``plt.close`` does not. Redraws made inside one cell (a lesson's own
    loop over ``set_values``, the bench, the tests) would keep every replaced figure, with its
    image data, alive until the cell ends (all 201 figures of 200 redraws, without this:
    tests/test_widgets.py). Redraws from a moved slider (comm messages) are not queued.
    """
    import sys

    inline = sys.modules.get("matplotlib_inline.backend_inline")
    queue = getattr(getattr(inline, "show", None), "_to_draw", None)
    if not figures or not isinstance(queue, list):
        return
    gone = {id(figure) for figure in figures}
    queue[:] = [figure for figure in queue if id(figure) not in gone]


def _call_text(values):
    shown = []
    for name, value in values.items():
        text = repr(value)
        shown.append(f"{name}={text if len(text) <= 30 else type(value).__name__ + '(...)'}")
    return ", ".join(shown)


def _log(name, start_epoch, timing):
    """Append one redraw to the file named by :data:`LOG_ENV`, if set."""
    path = os.environ.get(LOG_ENV)
    if not path:
        return
    record = {"callback": name, "start_ms": start_epoch * 1e3, "end_ms": time.time() * 1e3,
              **{key: timing[key] for key in ("compute_s", "draw_s", "encode_s", "layout",
                                              "png_bytes")}}
    with open(path, "a") as log:
        log.write(json.dumps(record) + "\n")
