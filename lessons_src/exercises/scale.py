"""Exercises of lesson 10 (K-Means at scale).

- ``streaming_inertia`` (warm-up): the inertia of a stream of chunks, read once, one chunk in
  memory at a time.
- ``expected_candidates`` (derive a number): how many candidates one K-Means|| round keeps on
  average (the lesson says "about ℓ"; the exact expectation is less, which it does not derive).

Each has ``check_<name>(f)``, ``hint_<name>(level=1)`` and ``solution_<name>()`` (see
:mod:`lessons_src.teaching`).
"""
import numpy as np

from ..kmeans import squared_distances
from ..scale import chunked_inertia
from ..teaching import Case, Exercise, Mistake

__all__ = [
    "check_streaming_inertia", "hint_streaming_inertia", "solution_streaming_inertia",
    "check_expected_candidates", "hint_expected_candidates", "solution_expected_candidates",
    "EXERCISES",
]


def _reference_streaming_inertia(chunks, centers):
    """The sum over every row of every chunk of the squared distance to its nearest centre."""
    return chunked_inertia(chunks, centers)


def _chunk_cases():
    rng = np.random.default_rng(10)
    cases = []
    for n_chunks, rows, n_features, k in [(3, 7, 2, 3), (1, 5, 2, 1), (4, 50, 8, 5)]:
        chunks = [rng.normal(size=(rows + i, n_features)) for i in range(n_chunks)]
        cases.append(Case((chunks, rng.normal(size=(k, n_features))),
                          f"a list of {n_chunks} chunks of {n_features}-D rows, K = {k}"))
    stream = [rng.normal(size=(6, 3)) for _ in range(3)]
    centers = rng.normal(size=(2, 3))
    cases.append(Case(lambda: ((chunk.copy() for chunk in stream), centers.copy()),
                      "a generator of 3 chunks (a stream: it can be read only once)"))
    points = np.array([[0.0, 0.0], [3.0, 4.0], [1.0, 1.0]])
    cases.append(Case(([points[:2], points[2:]], np.array([[0.0, 0.0], [3.0, 4.0]])),
                      "2 chunks, two rows exactly on a centre"))
    return cases


def _nearest(chunk, centers):
    return squared_distances(chunk, centers).min(axis=1)


def _last_chunk(chunks, centers):
    total = 0.0
    for chunk in chunks:
        total = float(_nearest(chunk, centers).sum())
    return total


def _two_passes(chunks, centers):
    n_rows = sum(len(chunk) for chunk in chunks)   # the first pass empties a stream
    return sum(float(_nearest(chunk, centers).sum()) for chunk in chunks) if n_rows else 0.0


def _mean(chunks, centers):
    chunks = list(chunks)
    return chunked_inertia(chunks, centers) / sum(len(chunk) for chunk in chunks)


STREAMING_INERTIA = Exercise(
    name="streaming_inertia", lesson="10", reference=_reference_streaming_inertia,
    cases=_chunk_cases, returns="a single number", rtol=1e-9,
    hints=(
        "One pass over the chunks with a running total: for each chunk, each row's squared "
        "distance to its nearest centre, summed, added to the total. Never hold two chunks.",
        "For each chunk: `((chunk[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)` has shape "
        "(rows, K); `.min(axis=1).sum()` is the chunk's part. Add it to `total`, return "
        "`total` after the loop.",
    ),
    mistakes=(
        Mistake("unsquared", lambda chunks, C: chunked_inertia(chunks, C, squared=False),
                "you added up distances: the inertia adds up squared distances."),
        Mistake("last_chunk", _last_chunk,
                "you kept only the last chunk's sum: add each chunk's sum to a running total."),
        Mistake("mean", _mean,
                "you divided by the number of rows: the inertia is a sum, not a mean."),
        Mistake("all_centres", lambda chunks, C: float(sum(squared_distances(chunk, C).sum() for chunk in chunks)),
                "you added the squared distances to every centre: each row counts only its "
                "nearest centre (min over the centres)."),
        Mistake("two_passes", _two_passes,
                "you read the chunks twice (once to count or list them, once to sum): a stream "
                "(a file read chunk by chunk, or a generator) can be read only once, and the "
                "second pass sees nothing. Keep a running total in a single pass."),
    ),
)


def _reference_expected_candidates(closest_d2, l):
    """E[number of points one K-Means|| round keeps]: sum of min(1, l d_i / sum d)."""
    closest_d2 = np.asarray(closest_d2, dtype=float)
    return float(np.minimum(1.0, l * closest_d2 / closest_d2.sum()).sum())


def _candidate_cases():
    rng = np.random.default_rng(11)
    skewed = np.r_[100.0, 40.0, np.ones(20), 0.0]
    return [Case((rng.exponential(size=50), 5.0), "50 points, ℓ = 5 (no probability above 1)"),
            Case((skewed, 6.0), "2 far points and 20 near ones, ℓ = 6: the far ones are certain"),
            Case((rng.exponential(size=30) ** 3, 20.0), "30 points with very unequal D², ℓ = 20"),
            Case((np.r_[0.0, rng.exponential(size=9)], 2.0), "10 points, one already a candidate (D² = 0), ℓ = 2")]


def _probabilities(d2, l, cap=True):
    d2 = np.asarray(d2, dtype=float)
    p = l * d2 / d2.sum()
    return np.minimum(1.0, p) if cap else p


EXPECTED_CANDIDATES = Exercise(
    name="expected_candidates", lesson="10", reference=_reference_expected_candidates,
    cases=_candidate_cases, returns="a single number", rtol=1e-9,
    hints=(
        "Point i is kept with its own probability, independently of the others. The number "
        "kept is a sum of 0/1 variables: what is the expectation of a sum? And what is point "
        "i's probability exactly, when ℓ D²_i / ΣD² is above 1?",
        "By linearity, E[kept] = Σ_i p_i with p_i = min(1, ℓ D²_i / ΣD²): "
        "`np.minimum(1, l * closest_d2 / closest_d2.sum()).sum()`. It is ℓ only when no p_i "
        "reaches 1.",
    ),
    mistakes=(
        Mistake("no_cap", lambda d2, l: float(_probabilities(d2, l, cap=False).sum()),
                "without the cap your answer is always ℓ. A probability cannot exceed 1: point i "
                "is kept with probability min(1, ℓ D²_i / ΣD²), so far points add at most 1 each."),
        Mistake("squared_again", lambda d2, l: float(_probabilities(np.asarray(d2) ** 2, l).sum()),
                "you squared closest_d2 again: it already holds the squared distances D²."),
        Mistake("no_l", lambda d2, l: float(_probabilities(d2, 1.0).sum()),
                "you left out the oversampling ℓ: each point's probability is ℓ times its share "
                "of ΣD² (capped at 1)."),
        Mistake("rounded", lambda d2, l: float(np.sum(_probabilities(d2, l) >= 0.5)),
                "you counted the points likely to be kept (p ≥ 1/2): the expected number adds up "
                "every point's probability, however small."),
    ),
)

EXERCISES = (STREAMING_INERTIA, EXPECTED_CANDIDATES)
check_streaming_inertia, hint_streaming_inertia, solution_streaming_inertia = STREAMING_INERTIA.functions()
check_expected_candidates, hint_expected_candidates, solution_expected_candidates = \
    EXPECTED_CANDIDATES.functions()
