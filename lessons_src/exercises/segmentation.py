"""Exercises of lesson 09 (pixel clustering and window segmentation).

- ``integral_image_2d`` (warm-up): the zero-padded summed-area table of a 2-D array.
- ``window_sum``: the sum of one window in four look-ups of that table.
- ``n_window_positions`` (derive): how many window positions a sliding window has along each
  axis (the lesson prints the counts, not the rule).

Each has ``check_<name>(f)``, ``hint_<name>(level=1)`` and ``solution_<name>()`` (see
:mod:`lessons_src.teaching`).
"""
import math

import numpy as np

from .. import SEED
from ..segmentation import window_positions
from ..teaching import Case, Exercise, Mistake

__all__ = [
    "check_integral_image_2d", "hint_integral_image_2d", "solution_integral_image_2d",
    "check_window_sum", "hint_window_sum", "solution_window_sum",
    "check_n_window_positions", "hint_n_window_positions", "solution_n_window_positions",
    "EXERCISES",
]


def _reference_integral_image(image):
    """S of shape (H + 1, W + 1) with S[y, x] = the sum of image[:y, :x] (the definition)."""
    image = np.asarray(image, dtype=float)
    height, width = image.shape
    return np.array([[image[:y, :x].sum() for x in range(width + 1)] for y in range(height + 1)])


def _images():
    rng = np.random.default_rng(SEED)
    return [(rng.integers(0, 10, size=(4, 5)).astype(float), "a 4 x 5 image of integers"),
            (rng.random((7, 3)), "a tall 7 x 3 image"),
            (np.ones((1, 1)), "a single pixel"),
            (rng.random((6, 6)), "a 6 x 6 image")]


def _table(image):
    return np.cumsum(np.cumsum(image, axis=0), axis=1)


INTEGRAL_IMAGE_2D = Exercise(
    name="integral_image_2d", lesson="09", reference=_reference_integral_image,
    cases=lambda: [Case((image,), label) for image, label in _images()],
    returns="the table, shape (H + 1, W + 1)", rtol=1e-9,
    hints=(
        "S[y, x] adds up everything above and to the left of (y, x), exclusive. Running sums do "
        "that one axis at a time; the table is one row and one column larger than the image.",
        "Cumulative sums down the rows and then along them (`np.cumsum` on axis 0, then axis 1), "
        "placed in `np.zeros((H + 1, W + 1))` at `[1:, 1:]`, so row 0 and column 0 stay 0.",
    ),
    mistakes=(
        Mistake("no_padding", _table,
                "your table has the image's shape: it needs a leading row and column of zeros, "
                "shape (H + 1, W + 1), so that S[y, x] is the sum of image[:y, :x]."),
        Mistake("one_axis", lambda image: np.pad(np.cumsum(image, axis=0), ((1, 0), (1, 0))),
                "you summed along one axis only: accumulate down the rows and then along them."),
        Mistake("end_padding", lambda image: np.pad(_table(image), ((0, 1), (0, 1))),
                "the zeros are at the end: they go in front (row 0 and column 0), so that S[y, x] "
                "is the sum of image[:y, :x]."),
    ),
)


def _reference_window_sum(S, y, x, window):
    """The sum of image[y:y+window, x:x+window], read from the image behind the table S."""
    image = np.diff(np.diff(S, axis=0), axis=1)
    return float(image[y:y + window, x:x + window].sum())


def _window_cases():
    cases = []
    for image, label in _images():
        table = np.pad(_table(image), ((1, 0), (1, 0)))
        height, width = image.shape
        for window in sorted({1, min(height, width)}):
            for y, x in sorted({(0, 0), (height - window, width - window), ((height - window) // 2, 0)}):
                cases.append(Case((table, y, x, window), f"{label}, window {window} at y = {y}, x = {x}"))
    return cases


def _corners(S, y, x, window):
    return S[y + window, x + window], S[y, x + window], S[y + window, x], S[y, x]


WINDOW_SUM = Exercise(
    name="window_sum", lesson="09", reference=_reference_window_sum, cases=_window_cases,
    returns="a single number", rtol=1e-9,
    hints=(
        "S at the window's bottom-right corner holds everything above and to the left of it. "
        "Remove the block above the window and the block left of it; the block above and to "
        "the left was removed twice.",
        "With the leading zeros, rows y .. y+window-1 and columns x .. x+window-1 give "
        "S[y+window, x+window] - S[y, x+window] - S[y+window, x] + S[y, x].",
    ),
    mistakes=(
        Mistake("unpadded", lambda S, y, x, w: float(S[y + w - 1, x + w - 1] - S[y - 1, x + w - 1]
                                                    - S[y + w - 1, x - 1] + S[y - 1, x - 1]),
                "your corners are one step up and left: S has a leading row and column of zeros, "
                "so the window's last row y + window - 1 of the image is row y + window of S."),
        Mistake("no_corner", lambda S, y, x, w: float(sum(np.array(_corners(S, y, x, w)) * [1, -1, -1, 0])),
                "the block above and to the left of the window was subtracted twice: add S[y, x] "
                "back once."),
        Mistake("corner_sign", lambda S, y, x, w: float(sum(np.array(_corners(S, y, x, w)) * [1, -1, -1, -1])),
                "S[y, x] has the wrong sign: it was subtracted twice (inside both blocks), so it "
                "is added back."),
        Mistake("one_lookup", lambda S, y, x, w: float(S[y + w, x + w]),
                "S[y+window, x+window] alone is the sum of everything above and left of the "
                "window's corner: subtract the blocks above and to the left of the window."),
    ),
)


def _reference_n_positions(height, width, window, stride):
    """(rows, columns): the numbers of window positions down and across the image."""
    ys, xs = window_positions((height, width), window, stride)
    return len(ys), len(xs)


def _positions_cases():
    return [Case((400, 600, 100, 10), "the lesson's photo: 400 x 600, window 100, stride 10"),
            Case((400, 600, 100, 100), "the slides' grid: 400 x 600, window 100, stride 100"),
            Case((9, 11, 2, 4), "9 x 11, window 2, stride 4 (the last windows do not reach the edge)"),
            Case((7, 5, 3, 2), "7 x 5, window 3, stride 2"),
            Case((10, 10, 10, 3), "10 x 10, window 10: a single position")]


def _per_axis(rule):
    return lambda height, width, window, stride: (rule(height, window, stride), rule(width, window, stride))


N_WINDOW_POSITIONS = Exercise(
    name="n_window_positions", lesson="09", reference=_reference_n_positions, cases=_positions_cases,
    returns="a tuple (rows, columns) of two integers", parts=("rows", "columns"),
    hints=(
        "Along one axis, the first window starts at 0 and the next ones stride further, as long "
        "as the whole window still fits inside the image. What is the last start that fits?",
        "The last start is at most H - window, so the starts are 0, stride, 2 stride, ... up to "
        "H - window: (H - window) // stride + 1 of them (and the same across with W).",
    ),
    mistakes=(
        Mistake("no_plus_one", _per_axis(lambda size, w, s: (size - w) // s),
                "you are one short: count the first position (start 0) too, "
                "(H - window) // stride + 1."),
        Mistake("divide", _per_axis(lambda size, w, s: size // s),
                "a window must fit entirely inside the image: the last start is H - window, not "
                "H - stride."),
        Mistake("ceil", _per_axis(lambda size, w, s: math.ceil((size - w) / s) + 1),
                "you rounded up, counting a last window that sticks out of the image: round down "
                "(//), the margin that no window reaches is painted from the nearest window."),
        Mistake("swapped", lambda height, width, w, s: _reference_n_positions(height, width, w, s)[::-1],
                "you returned (columns, rows): rows first, the positions down the image (height)."),
        Mistake("product", lambda height, width, w, s: int(np.prod(_reference_n_positions(height, width, w, s))),
                "you returned the number of windows, rows x columns: return the two counts as a "
                "tuple (rows, columns)."),
    ),
)

EXERCISES = (INTEGRAL_IMAGE_2D, WINDOW_SUM, N_WINDOW_POSITIONS)
check_integral_image_2d, hint_integral_image_2d, solution_integral_image_2d = INTEGRAL_IMAGE_2D.functions()
check_window_sum, hint_window_sum, solution_window_sum = WINDOW_SUM.functions()
check_n_window_positions, hint_n_window_positions, solution_n_window_positions = \
    N_WINDOW_POSITIONS.functions()
