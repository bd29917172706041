"""Exercises of the evaluation lesson (notebook 05) and their checks.

Each ``check_*`` runs the student's function and a reference on fixed inputs through
:func:`lessons_src.teaching.check_function` and returns a ``CheckResult`` ("Correct..." or
"Not yet... Hint: ...").
"""
from math import comb

import numpy as np

from ..metrics import contingency_table, pair_counts, silhouette_samples
from ..teaching import check_function

__all__ = [
    "reference_count_a_and_b",
    "reference_ari_from_table",
    "reference_silhouette_of_point",
    "check_count_a_and_b",
    "check_ari_from_table",
    "check_silhouette_of_point",
]

_LABEL_CASES = [
    ([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 1, 2]),
    ([0, 0, 1, 1], [0, 1, 0, 1]),
    ([5, 5, 5, 5], [1, 2, 3, 4]),
    (["a", "b", "a", "c", "b", "a", "c"], [2, 2, 0, 0, 1, 1, 1]),
    (list(np.random.default_rng(1).integers(0, 3, 25)), list(np.random.default_rng(2).integers(0, 4, 25))),
]


def reference_count_a_and_b(labels_true, labels_pred):
    """(a, b): pairs together in both labelings, pairs apart in both."""
    counts = pair_counts(labels_true, labels_pred)
    return (counts.a, counts.b)


def check_count_a_and_b(count_a_and_b):
    """Check ``count_a_and_b(labels_true, labels_pred) -> (a, b)``."""
    return check_function(
        count_a_and_b, reference_count_a_and_b, _LABEL_CASES, name="your count_a_and_b",
        hint="loop over i < j (itertools.combinations(range(n), 2)); a pair counts in a when "
             "it is in the same class AND the same cluster, in b when it is in different "
             "classes AND different clusters; return the tuple (a, b).",
    )


def reference_ari_from_table(table):
    """ARI from a contingency table (n_classes, n_clusters) of counts."""
    table = np.asarray(table, dtype=np.int64)
    index = sum(comb(int(x), 2) for x in table.ravel())
    sum_a = sum(comb(int(x), 2) for x in table.sum(axis=1))
    sum_b = sum(comb(int(x), 2) for x in table.sum(axis=0))
    n_pairs = comb(int(table.sum()), 2)
    expected = sum_a * sum_b / n_pairs
    maximum = (sum_a + sum_b) / 2
    return (index - expected) / (maximum - expected)


def _tables():
    # None of these labelings is a pair of identical partitions, so M != E in every case.
    tables = [contingency_table(t, p) for t, p in _LABEL_CASES]
    tables.append(np.array([[10, 1, 0], [2, 8, 1], [0, 3, 12]]))
    return [(table,) for table in tables]


def check_ari_from_table(ari_from_table):
    """Check ``ari_from_table(table) -> float``."""
    return check_function(
        ari_from_table, reference_ari_from_table, _tables(), name="your ari_from_table",
        hint="index = sum of C(n_ij, 2) over cells; A = sum of C(row sum, 2), B = sum of "
             "C(column sum, 2); E = A * B / C(n, 2) (a PRODUCT, not the slides' sum); "
             "M = (A + B) / 2; ARI = (index - E) / (M - E). math.comb(x, 2) gives C(x, 2).",
        rtol=1e-9, atol=1e-12,
    )


def reference_silhouette_of_point(X, labels, i):
    """s(i) of one sample (Euclidean), 0 for a sample alone in its cluster."""
    return float(silhouette_samples(X, labels)[i])


def _silhouette_cases():
    rng = np.random.default_rng(3)
    X = np.r_[rng.normal(0, 1, (8, 2)), rng.normal(4, 1, (7, 2)), rng.normal([0, 5], 1, (6, 2))]
    labels = np.repeat([0, 1, 2], [8, 7, 6])
    wrong = labels.copy()
    wrong[[0, 9]] = [1, 0]  # two points in the wrong cluster: negative s(i)
    tiny = np.array([[0.0, 0.0], [0.0, 1.0], [4.0, 0.0], [5.0, 0.0], [9.0, 9.0]])
    return [(X, labels, 0), (X, labels, 12), (X, wrong, 0), (X, wrong, 9),
            (tiny, np.array([0, 0, 1, 1, 2]), 2), (tiny, np.array([0, 0, 1, 1, 2]), 4)]


def check_silhouette_of_point(silhouette_of_point):
    """Check ``silhouette_of_point(X, labels, i) -> float``."""
    return check_function(
        silhouette_of_point, reference_silhouette_of_point, _silhouette_cases(),
        name="your silhouette_of_point",
        hint="d = np.linalg.norm(X - X[i], axis=1); a = mean of d over the OTHER members of "
             "i's cluster (leave i out); b = min over the other clusters k of d[labels == k].mean(); "
             "s = (b - a) / max(a, b); a point alone in its cluster has s = 0.",
        rtol=1e-9, atol=1e-12,
    )
