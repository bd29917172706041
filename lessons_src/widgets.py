"""Thin slider helpers.

A widget cell in a lesson is one line: ``interactive_figure(draw_fn, k=int_slider(1, 10, 3))``.
``draw_fn`` is a plain function in ``lessons_src`` that draws one figure for one set of values;
tests call it at the slider extremes. Sliders update on release (``continuous_update=False``),
and ``interact`` clears its output before each redraw, so the figure is replaced in place instead
of stacking, and dragging does not start a redraw storm.
"""
import ipywidgets
import matplotlib.pyplot as plt

__all__ = ["int_slider", "float_slider", "dropdown", "interactive_figure"]

_LAYOUT = {"width": "420px"}
_STYLE = {"description_width": "120px"}


def int_slider(min, max, value=None, step=1, description=None):
    """An ``IntSlider`` that redraws on release."""
    return ipywidgets.IntSlider(
        min=int(min), max=int(max), step=int(step), value=int(min if value is None else value),
        description=description or "", continuous_update=False, layout=_LAYOUT, style=_STYLE,
    )


def float_slider(min, max, value=None, step=0.1, description=None, log=False):
    """A ``FloatSlider`` (or ``FloatLogSlider`` with ``log=True``, bounds given as exponents of
    10) that redraws on release."""
    if log:
        return ipywidgets.FloatLogSlider(
            min=min, max=max, step=step, value=value if value is not None else 10 ** min, base=10,
            description=description or "", continuous_update=False, layout=_LAYOUT, style=_STYLE,
        )
    return ipywidgets.FloatSlider(
        min=min, max=max, step=step, value=min if value is None else value,
        description=description or "", continuous_update=False, layout=_LAYOUT, style=_STYLE,
        readout_format=".3g",
    )


def dropdown(options, value=None, description=None):
    """A ``Dropdown`` over ``options`` (a list, or a dict label -> value)."""
    values = list(options.values()) if isinstance(options, dict) else list(options)
    return ipywidgets.Dropdown(
        options=options, value=values[0] if value is None else value,
        description=description or "", layout=_LAYOUT, style=_STYLE,
    )


def interactive_figure(draw, **controls):
    """Show ``draw(**values)`` under its controls and redraw it when a control changes.

    Parameters
    ----------
    draw : callable
        A ``lessons_src`` function that draws one figure (it may create its own figure).
    **controls : widgets or fixed values
        Passed to ``ipywidgets.interactive`` by keyword.

    Returns
    -------
    None (the widget is displayed).
    """
    from IPython.display import display

    def _redraw(**values):
        draw(**values)
        plt.show()

    display(ipywidgets.interactive(_redraw, **controls))
