"""nbval's sanitizer (tests/nbval_sanitize.cfg) hides what differs between runs and nothing else.

nbval compares text outputs after applying these regexes to both the stored and the new output.
A figure's only text output is its repr, ``<Figure size 400x360 with 1 Axes>``: a pattern that
also rewrote the ``0x360`` in it would blind the one check nbval makes on figures.
"""
import pathlib
import re

import pytest
from nbval.plugin import get_sanitize_patterns

CONFIG = pathlib.Path(__file__).parent / "nbval_sanitize.cfg"


def sanitize(text):
    # What nbval does with --nbval-sanitize-with (nbval.plugin.IPyNbCell.sanitize).
    for regex, replace in get_sanitize_patterns(CONFIG.read_text()):
        text = re.sub(regex, replace, text)
    return text


def test_the_file_has_patterns():
    assert len(get_sanitize_patterns(CONFIG.read_text())) >= 3


@pytest.mark.parametrize("text", [
    "<Figure size 400x360 with 1 Axes>",
    "<Figure size 1000x1234567 with 12 Axes>",
    "array([0x1f, 0xff])",
])
def test_figure_sizes_and_short_hex_are_kept(text):
    assert sanitize(text) == text


def test_figures_of_different_sizes_still_differ():
    assert sanitize("<Figure size 400x360 with 1 Axes>") != sanitize("<Figure size 400x480 with 1 Axes>")


@pytest.mark.parametrize("stored, new", [
    ("<function f at 0x7f3a2c1b4d90>", "<function f at 0x7fe001a2b3c4>"),
    ("<lessons_src.kmeans.KMeans object at 0x10c2d3e40>", "<lessons_src.kmeans.KMeans object at 0x7f00aa11bb22>"),
    ("saved to /tmp/tmpab12cd/replay.npz", "saved to /tmp/tmpzz99yy/replay.npz"),
    ("12.3 ms per loop", "9.87 ms per loop"),
])
def test_what_differs_between_runs_is_hidden(stored, new):
    assert stored != new and sanitize(stored) == sanitize(new)
