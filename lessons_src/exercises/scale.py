"""Exercises of lesson 10 (K-Means at scale) and their checks.

Each ``check_*`` runs the student's function and a reference on fixed inputs through
:func:`lessons_src.teaching.check_function` and returns a ``CheckResult`` ("Correct..." or
"Not yet... Hint: ...").
"""
import numpy as np

from ..scale import chunked_inertia
from ..teaching import check_function

__all__ = [
    "reference_streaming_inertia",
    "reference_oversample_round",
    "check_streaming_inertia",
    "check_oversample_round",
]


def _chunk_cases():
    rng = np.random.default_rng(10)
    cases = []
    for n_chunks, rows, n_features, k in [(1, 5, 2, 1), (3, 7, 2, 3), (4, 50, 8, 5), (2, 1, 3, 2)]:
        chunks = [rng.normal(size=(rows + i, n_features)) for i in range(n_chunks)]
        centers = rng.normal(size=(k, n_features))
        cases.append((chunks, centers))
    # A centre sitting on a point: its distance is exactly 0.
    points = np.array([[0.0, 0.0], [3.0, 4.0], [1.0, 1.0]])
    cases.append(([points[:2], points[2:]], np.array([[0.0, 0.0], [3.0, 4.0]])))
    return cases


def reference_streaming_inertia(chunks, centers):
    """Sum over all rows of all chunks of the squared distance to the nearest centre."""
    return chunked_inertia(chunks, centers)


def check_streaming_inertia(streaming_inertia):
    """Check ``streaming_inertia(chunks, centers) -> float``."""
    return check_function(
        streaming_inertia, reference_streaming_inertia, _chunk_cases(),
        name="your streaming_inertia", rtol=1e-9,
        hint="keep a running total; for each chunk compute the (rows, K) squared distances "
             "((chunk[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2), take the min over "
             "the centres (axis=1) and add its sum. Squared distances, not distances.",
    )


def _round_cases():
    rng = np.random.default_rng(11)
    cases = []
    for n, l in [(10, 2.0), (200, 20.0), (50, 5.0), (30, 100.0)]:
        d2 = rng.exponential(size=n)
        d2[rng.integers(n)] = 0.0  # a point that is already a candidate is never drawn again
        cases.append((d2, l, rng.random(n)))
    return cases


def reference_oversample_round(closest_d2, l, uniforms):
    """Indices (ascending) of the points one K-Means|| round keeps.

    Point i is kept when ``uniforms[i] < l * closest_d2[i] / closest_d2.sum()``: probability
    ``min(1, l D(x)^2 / sum D^2)``, so about l points per round.
    """
    closest_d2 = np.asarray(closest_d2, dtype=float)
    return np.flatnonzero(np.asarray(uniforms) < l * closest_d2 / closest_d2.sum())


def _same_indices(got, expected):
    try:
        got = np.asarray(got)
        return got.ndim == 1 and np.array_equal(np.sort(got.astype(np.int64)), expected)
    except (TypeError, ValueError):
        return False


def check_oversample_round(oversample_round):
    """Check ``oversample_round(closest_d2, l, uniforms) -> indices``."""
    return check_function(
        oversample_round, reference_oversample_round, _round_cases(),
        name="your oversample_round",
        compare=_same_indices,
        hint="the probability of point i is l * closest_d2[i] / closest_d2.sum(); keep i when "
             "uniforms[i] is below it (np.flatnonzero of the comparison gives the indices).",
    )
