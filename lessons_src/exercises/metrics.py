"""Exercises of lesson 05 (evaluation metrics).

- ``count_a_and_b`` (warm-up): the pairs together in both labelings, and apart in both.
- ``ari_from_table``: ARI from a contingency table, with the correct (product) expectation.
- ``silhouette_of_point``: s(i) of one point.
- ``expected_rand_index`` (derive a number): the Rand index two independent uniform random
  labelings get on average, for C classes and K clusters (the lesson states it for C = K only).

Each has ``check_<name>(f)``, ``hint_<name>(level=1)`` and ``solution_<name>()`` (see
:mod:`lessons_src.teaching`).
"""
from math import comb

import numpy as np

from ..hierarchical import pairwise_distances
from ..metrics import adjusted_rand_index, contingency_table, pair_counts, silhouette_samples
from ..teaching import Case, Exercise, Mistake

__all__ = [
    "check_count_a_and_b", "hint_count_a_and_b", "solution_count_a_and_b",
    "check_ari_from_table", "hint_ari_from_table", "solution_ari_from_table",
    "check_silhouette_of_point", "hint_silhouette_of_point", "solution_silhouette_of_point",
    "check_expected_rand_index", "hint_expected_rand_index", "solution_expected_rand_index",
    "EXERCISES",
]

_LABELINGS = [
    (np.array([0, 0, 0, 1, 1, 1]), np.array([0, 0, 1, 1, 1, 2]), "6 samples, 2 classes, 3 clusters"),
    (np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]), "4 samples, the clustering crosses the classes"),
    (np.array(["a", "b", "a", "c", "b", "a", "c"]), np.array([2, 2, 0, 0, 1, 1, 1]), "7 samples, string classes"),
    (np.random.default_rng(1).integers(0, 3, 25), np.random.default_rng(2).integers(0, 4, 25),
     "25 samples, random labels"),
]


def _reference_count_a_and_b(labels_true, labels_pred):
    """(a, b): the pairs together in both labelings, and the pairs apart in both."""
    counts = pair_counts(labels_true, labels_pred)
    return (int(counts.a), int(counts.b))


def _count_cases():
    return [Case((t, p), label) for t, p, label in _LABELINGS]


def _ordered_pairs(labels_true, labels_pred):
    a, b = _reference_count_a_and_b(labels_true, labels_pred)
    return (2 * a, 2 * b)


COUNT_A_AND_B = Exercise(
    name="count_a_and_b", lesson="05", reference=_reference_count_a_and_b, cases=_count_cases,
    returns="a tuple (a, b) of two integers", parts=("a", "b"),
    hints=(
        "Visit every pair of samples once (i < j). Ask two questions of each pair: same class? "
        "same cluster? Two of the four answers count.",
        "`for i, j in itertools.combinations(range(n), 2)`: the pair goes to a when it is in the "
        "same class AND the same cluster, to b when it is in different classes AND different "
        "clusters. Return the tuple (a, b).",
    ),
    mistakes=(
        Mistake("swapped", lambda t, p: _reference_count_a_and_b(t, p)[::-1],
                "you returned (b, a): a counts the pairs together in both labelings, b the pairs "
                "apart in both."),
        Mistake("ordered_pairs", _ordered_pairs,
                "you counted every pair twice, as (i, j) and (j, i): a pair is unordered, loop "
                "over i < j only (itertools.combinations)."),
        Mistake("self_pairs", lambda t, p: (_reference_count_a_and_b(t, p)[0] + len(t), _reference_count_a_and_b(t, p)[1]),
                "you paired every sample with itself too (i <= j): a pair is two different samples."),
        Mistake("class_only", lambda t, p: (int(sum(comb(int(c), 2) for c in contingency_table(t, p).sum(axis=1))),
                                            _reference_count_a_and_b(t, p)[1]),
                "your a counts the pairs in the same class, whatever the clusters: a needs the "
                "same class AND the same cluster."),
    ),
)


def _reference_ari_from_table(table):
    """ARI from a contingency table (classes x clusters) of counts, a float."""
    table = np.asarray(table)
    labels_true = np.repeat(np.repeat(np.arange(table.shape[0]), table.shape[1]), table.ravel())
    labels_pred = np.repeat(np.tile(np.arange(table.shape[1]), table.shape[0]), table.ravel())
    return adjusted_rand_index(labels_true, labels_pred)


def _ari_parts(table):
    table = np.asarray(table, dtype=np.int64)
    index = sum(comb(int(x), 2) for x in table.ravel())
    rows = sum(comb(int(x), 2) for x in table.sum(axis=1))
    columns = sum(comb(int(x), 2) for x in table.sum(axis=0))
    return index, rows, columns, comb(int(table.sum()), 2)


def _ari_with(expected_rule, maximum_rule=lambda rows, columns: (rows + columns) / 2):
    def ari(table):
        index, rows, columns, pairs = _ari_parts(table)
        expected = expected_rule(rows, columns, pairs)
        return (index - expected) / (maximum_rule(rows, columns) - expected)
    return ari


def _ari_on_counts(table):
    table = np.asarray(table, dtype=float)
    index, rows, columns, n = (table ** 2).sum(), (table.sum(axis=1) ** 2).sum(), (table.sum(axis=0) ** 2).sum(), table.sum()
    expected = rows * columns / n ** 2
    return (index - expected) / ((rows + columns) / 2 - expected)


def _table_cases():
    cases = [Case((contingency_table(t, p),), label) for t, p, label in _LABELINGS]
    cases.append(Case((np.array([[10, 1, 0], [2, 8, 1], [0, 3, 12]]),), "a 3 x 3 table, 37 samples"))
    return cases


ARI_FROM_TABLE = Exercise(
    name="ari_from_table", lesson="05", reference=_reference_ari_from_table, cases=_table_cases,
    returns="a single number", rtol=1e-9, atol=1e-12,
    hints=(
        "Four numbers from the table: the pair index (pairs inside each cell), the pairs inside "
        "each row sum and inside each column sum, and C(n, 2). The expectation combines the row "
        "and column sums; mind the erratum above on how.",
        "index = sum of C(n_ij, 2); A = sum of C(row sum, 2); B = sum of C(column sum, 2); "
        "E = A * B / C(n, 2) (a product); M = (A + B) / 2; ARI = (index - E) / (M - E). "
        "`comb(x, 2)` is C(x, 2).",
    ),
    mistakes=(
        Mistake("slides_sum", _ari_with(lambda rows, columns, pairs: (rows + columns) / pairs),
                "your expected index is the slides' [sum_i C(a_i,2) + sum_j C(b_j,2)] / C(n,2), "
                "a sum: the erratum above shows (with a Monte Carlo check) that it is the product "
                "of the two sums divided by C(n, 2)."),
        Mistake("no_pairs_division", _ari_with(lambda rows, columns, pairs: rows * columns),
                "your expected index is the product of the two sums without the division by "
                "C(n, 2), the number of pairs."),
        Mistake("max_sum", _ari_with(lambda rows, columns, pairs: rows * columns / pairs,
                                     lambda rows, columns: rows + columns),
                "your maximum index is A + B: it is their mean, M = (A + B) / 2."),
        Mistake("counts", _ari_on_counts,
                "you used the counts (or their squares) instead of the numbers of pairs C(x, 2) = "
                "x (x - 1) / 2 inside each cell, row and column."),
    ),
)


def _reference_silhouette_of_point(X, labels, i):
    """s(i) of one sample (Euclidean distances), 0 for a sample alone in its cluster."""
    return float(silhouette_samples(X, labels)[i])


def _silhouette_cases():
    rng = np.random.default_rng(3)
    X = np.r_[rng.normal(0, 1, (8, 2)), rng.normal(4, 1, (7, 2)), rng.normal([0, 5], 1, (6, 2))]
    labels = np.repeat([0, 1, 2], [8, 7, 6])
    wrong = labels.copy()
    wrong[[0, 9]] = [1, 0]
    tiny = np.array([[0.0, 0.0], [0.0, 1.0], [4.0, 0.0], [5.0, 0.0], [9.0, 9.0]])
    return [Case((X, labels, 0), "3 blobs, point 0 in its own blob"),
            Case((X, labels, 12), "3 blobs, point 12"),
            Case((X, wrong, 0), "point 0 put in the wrong cluster (negative s)"),
            Case((X, wrong, 9), "point 9 put in the wrong cluster"),
            Case((tiny, np.array([0, 0, 1, 1, 2]), 2), "5 points, point 2"),
            Case((tiny, np.array([0, 0, 1, 1, 2]), 4), "point 4, alone in its cluster")]


def _silhouette_with(a_rule=None, b_rule=None, denominator=None, alone=None, power=1):
    """s(i) computed with one part replaced by a mistaken rule."""
    def silhouette(X, labels, i):
        d = pairwise_distances(X)[i] ** power
        labels = np.asarray(labels)
        own = labels == labels[i]
        others = own & (np.arange(len(X)) != i)
        if not others.any():
            return 0.0 if alone is None else alone
        a = d[others].mean() if a_rule is None else a_rule(d, own)
        b = (min(d[labels == k].mean() for k in np.unique(labels) if k != labels[i])
             if b_rule is None else b_rule(d, own))
        return float((b - a) / (max(a, b) if denominator is None else denominator(a, b)))
    return silhouette


SILHOUETTE_OF_POINT = Exercise(
    name="silhouette_of_point", lesson="05", reference=_reference_silhouette_of_point,
    cases=_silhouette_cases, returns="a single number", rtol=1e-9, atol=1e-12,
    hints=(
        "Three numbers from the distances of point i to all points: a(i) from its own cluster "
        "(without i itself), b(i) from the nearest other cluster, then s(i). A point alone in "
        "its cluster has s(i) = 0.",
        "`d = np.linalg.norm(X - X[i], axis=1)`; a = mean of d over the other members of i's "
        "cluster (mask out i); b = the smallest, over the other clusters k, of "
        "`d[labels == k].mean()`; s = (b - a) / max(a, b).",
    ),
    mistakes=(
        Mistake("self_in_a", _silhouette_with(a_rule=lambda d, own: d[own].mean()),
                "you counted point i in a(i): its distance 0 to itself pulls the mean down. a(i) "
                "averages over the other members of i's cluster."),
        Mistake("b_all_others", _silhouette_with(b_rule=lambda d, own: d[~own].mean()),
                "your b(i) averages over all points outside i's cluster. It is the smallest, over "
                "the other clusters, of the mean distance to that cluster's members."),
        Mistake("b_nearest_point", _silhouette_with(b_rule=lambda d, own: d[~own].min()),
                "your b(i) is the distance to the nearest point of another cluster. It averages "
                "over a whole cluster: the nearest cluster by mean distance."),
        Mistake("divide_by_b", _silhouette_with(denominator=lambda a, b: b),
                "you divided by b(i): divide by max(a(i), b(i)), so s(i) stays between -1 and 1."),
        Mistake("alone_one", _silhouette_with(alone=1.0),
                "a point alone in its cluster has no a(i); the convention (and scikit-learn's) is "
                "s(i) = 0, not 1."),
        Mistake("squared", _silhouette_with(power=2),
                "you used squared distances: the silhouette averages plain Euclidean distances."),
    ),
)


def _reference_expected_rand_index(n_classes, n_clusters):
    """E[RI] of two independent uniform random labelings (C classes, K clusters), many samples."""
    together = 1 / (n_classes * n_clusters)
    apart = (1 - 1 / n_classes) * (1 - 1 / n_clusters)
    return together + apart


def _expected_cases():
    return [Case((2, 3), "C = 2 classes, K = 3 clusters"),
            Case((10, 10), "C = K = 10"),
            Case((5, 50), "C = 5, K = 50"),
            Case((40, 2), "C = 40, K = 2"),
            Case((1, 4), "C = 1 class, K = 4")]


EXPECTED_RAND_INDEX = Exercise(
    name="expected_rand_index", lesson="05", reference=_reference_expected_rand_index,
    cases=_expected_cases, returns="a single number between 0 and 1", rtol=1e-9,
    hints=(
        "For one pair of samples: with C equally likely classes, the probability that both get "
        "the same class is 1/C; likewise 1/K for the clusters, independently. RI is the "
        "fraction of pairs counted in a or b: what is the probability that a pair lands in a? "
        "in b?",
        "P(a) = (1/C)(1/K) (together in both) and P(b) = (1 - 1/C)(1 - 1/K) (apart in both); "
        "the expected RI is their sum. For C = K it is 1 - 2/K + 2/K^2, the lesson's formula.",
    ),
    mistakes=(
        Mistake("only_a", lambda c, k: 1 / (c * k),
                "you counted only the pairs together in both (a). RI also counts the pairs apart "
                "in both (b), which dominate when there are many clusters."),
        Mistake("only_b", lambda c, k: (1 - 1 / c) * (1 - 1 / k),
                "you counted only the pairs apart in both (b); add the pairs together in both (a)."),
        Mistake("k_only", lambda c, k: 1 - 2 / k + 2 / k ** 2,
                "that is the lesson's formula for C = K; here the truth has C classes and the "
                "clustering K clusters: use 1/C for one and 1/K for the other."),
        Mistake("sum_of_chances", lambda c, k: 1 / c + 1 / k + (1 - 1 / c) * (1 - 1 / k),
                "your P(together in both) adds the two chances 1/C + 1/K. Class and cluster are "
                "drawn independently: the chance that both happen is the product of the chances."),
    ),
)

EXERCISES = (COUNT_A_AND_B, ARI_FROM_TABLE, SILHOUETTE_OF_POINT, EXPECTED_RAND_INDEX)
check_count_a_and_b, hint_count_a_and_b, solution_count_a_and_b = COUNT_A_AND_B.functions()
check_ari_from_table, hint_ari_from_table, solution_ari_from_table = ARI_FROM_TABLE.functions()
check_silhouette_of_point, hint_silhouette_of_point, solution_silhouette_of_point = \
    SILHOUETTE_OF_POINT.functions()
check_expected_rand_index, hint_expected_rand_index, solution_expected_rand_index = \
    EXPECTED_RAND_INDEX.functions()
