"""Exercise checks of lesson 09 (pixel clustering and window segmentation).

Each ``check_*`` runs the student's function and a reference on fixed, seeded inputs through
:func:`lessons_src.teaching.check_function` and returns a ``CheckResult`` ("Correct..." or
"Not yet... Hint: ...").
"""
import numpy as np

from .. import SEED
from ..teaching import check_function

__all__ = [
    "integral_image_2d_solution",
    "window_sum_solution",
    "check_integral_image_2d",
    "check_window_sum",
]


def integral_image_2d_solution(image):
    """Reference: the zero-padded summed-area table of a 2-D array, shape (H + 1, W + 1)."""
    image = np.asarray(image, dtype=np.float64)
    table = np.zeros((image.shape[0] + 1, image.shape[1] + 1))
    table[1:, 1:] = image.cumsum(axis=0).cumsum(axis=1)
    return table


def window_sum_solution(table, y, x, window):
    """Reference: the sum of ``image[y:y+window, x:x+window]`` from its padded integral image."""
    return (table[y + window, x + window] - table[y, x + window]
            - table[y + window, x] + table[y, x])


def _images():
    rng = np.random.default_rng(SEED)
    return [rng.integers(0, 10, size=(4, 5)).astype(float), rng.random((7, 3)),
            np.ones((1, 1)), rng.random((6, 6))]


def check_integral_image_2d(integral_image_2d):
    """Check the student's ``integral_image_2d(image) -> table`` of shape (H + 1, W + 1)."""
    return check_function(
        integral_image_2d, integral_image_2d_solution, [(image,) for image in _images()],
        name="your integral_image_2d",
        hint="table[y, x] is the sum of image[:y, :x]: cumulative sums along both axes, then a "
             "row and a column of zeros in front (the output is one larger on each side).",
    )


def check_window_sum(window_sum):
    """Check the student's ``window_sum(table, y, x, window)`` (four look-ups in the table)."""
    cases = []
    for image in _images():
        table = integral_image_2d_solution(image)
        height, width = image.shape
        for window in sorted({1, min(height, width)}):
            for y, x in [(0, 0), (height - window, width - window), ((height - window) // 2, 0)]:
                cases.append((table, y, x, window))
    return check_function(
        window_sum, window_sum_solution, cases, name="your window_sum",
        hint="with the leading zero row and column, the window rows y..y+window-1 and columns "
             "x..x+window-1 give S[y+window, x+window] - S[y, x+window] - S[y+window, x] + S[y, x].",
    )
