"""Exercises of lesson 01 (K-Means, step by step).

- ``assign`` (warm-up): step 2, the index of every point's nearest centre.
- ``update_centers``: step 3, the mean of every cluster.
- ``update_gain`` (derive): by how much step 3 lowers the inertia, from the cluster sizes and
  the centre moves alone (the lesson shows that J goes down, not by how much).

Each has ``check_<name>(f)``, ``hint_<name>(level=1)`` and ``solution_<name>()`` (see
:mod:`lessons_src.teaching`).
"""
import numpy as np

from ..kmeans import assign, compute_inertia, squared_distances, update_centers
from ..teaching import Case, Exercise, Mistake

__all__ = [
    "check_assign", "hint_assign", "solution_assign",
    "check_update_centers", "hint_update_centers", "solution_update_centers",
    "check_update_gain", "hint_update_gain", "solution_update_gain",
    "EXERCISES",
]


def _reference_assign(X, centers):
    """The index of every point's nearest centre (Euclidean), shape (n_samples,)."""
    return assign(X, centers)


def _manhattan_separator():
    # (0, 0) is nearer (2, 2) in a straight line (2.83 < 3.5) but nearer (3.5, 0) in |dx| + |dy|.
    X = np.array([[0.0, 0.0], [4.0, 4.0], [1.0, -1.0], [3.0, 3.5]])
    return X, np.array([[2.0, 2.0], [3.5, 0.0]])


def _assign_cases():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(40, 2))
    return [
        Case((X, X[:3].copy()), "40 points, 3 centres taken from the data"),
        Case(_manhattan_separator(), "4 points, 2 centres; point 0's nearest centre in a straight "
                                     "line is not its nearest by |dx| + |dy|"),
        Case((rng.normal(size=(25, 5)) * 10, rng.normal(size=(4, 5)) * 10), "25 points in 5-D, 4 centres"),
        Case((np.array([[0.0, 0.0], [3.0, 4.0]]), np.array([[1.0, 1.0]])), "a single centre (K = 1)"),
        Case((X[:6], X[:6].copy()), "6 points that are their own 6 centres"),
    ]


ASSIGN = Exercise(
    name="assign", lesson="01", reference=_reference_assign, cases=_assign_cases,
    returns="the integer array of labels, shape (n_samples,)",
    hints=(
        "For every point you need its distance to every centre: a table of shape (n_samples, "
        "n_clusters). Broadcasting computes all pairs at once if X gets a new axis for the "
        "centres and `centers` one for the points.",
        "Square the differences `X[:, None, :] - centers[None, :, :]` and sum them over the last "
        "axis (the features). Each row then holds one point's squared distances, and `np.argmin` "
        "along axis 1 picks its nearest centre. No square root is needed: it does not change "
        "which centre is nearest.",
    ),
    mistakes=(
        Mistake("farthest", lambda X, C: np.argmax(squared_distances(X, C), axis=1),
                "your labels are the farthest centres (argmax): step 2 wants the nearest, the "
                "smallest distance."),
        Mistake("axis", lambda X, C: np.argmin(squared_distances(X, C), axis=0),
                "you took the minimum over the points (axis 0), which gives one label per centre. "
                "Each point needs its nearest centre: reduce over the centres, axis 1 of the "
                "(n_samples, n_clusters) distances."),
        Mistake("manhattan", lambda X, C: np.argmin(np.abs(X[:, None] - C[None]).sum(axis=2), axis=1),
                "you measured |dx| + |dy| (the Manhattan distance). K-Means uses the straight-line "
                "(Euclidean) distance: square the differences before summing them."),
        Mistake("one_based", lambda X, C: np.argmin(squared_distances(X, C), axis=1) + 1,
                "your labels are off by one: the first centre is label 0 in Python, the last "
                "n_clusters - 1."),
    ),
)


def _reference_update_centers(X, labels, n_clusters):
    """The mean of every cluster's points, shape (n_clusters, n_features)."""
    return update_centers(X, labels, n_clusters)


def _update_cases():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(30, 2))
    unequal = rng.integers(0, 3, size=17)
    unequal[:3] = [0, 1, 2]
    return [
        Case((X, np.arange(30) % 3, 3), "30 points, 3 clusters of 10"),
        Case((rng.normal(size=(17, 4)), unequal, 3), "17 points in 4-D, 3 clusters of unequal sizes"),
        Case((X[:5], np.zeros(5, dtype=int), 1), "5 points, one cluster"),
    ]


UPDATE_CENTERS = Exercise(
    name="update_centers", lesson="01", reference=_reference_update_centers, cases=_update_cases,
    returns="the array of centres, shape (n_clusters, n_features)",
    hints=(
        "Centre k is the mean of the points labelled k. A boolean mask selects them; then average "
        "over the points, not over the features.",
        "`X[labels == k].mean(axis=0)` is centre k. Stack the n_clusters of them, in the order "
        "k = 0, 1, ..., into an array of shape (n_clusters, n_features).",
    ),
    mistakes=(
        Mistake("sum", lambda X, labels, k: np.array([X[labels == j].sum(axis=0) for j in range(k)]),
                "you summed each cluster's points: the centre is their mean (divide the sum by "
                "the cluster's size)."),
        Mistake("median", lambda X, labels, k: np.array([np.median(X[labels == j], axis=0)
                                                         for j in range(k)]),
                "you took the median (that is K-Medians). K-Means moves each centre to the mean, "
                "the point that minimises the sum of squared distances."),
        Mistake("all_points", lambda X, labels, k: np.repeat(X.mean(axis=0, keepdims=True), k, axis=0),
                "every centre is the mean of all the points: average only the points of cluster k "
                "(the mask labels == k)."),
        Mistake("total_count", lambda X, labels, k: np.array([X[labels == j].sum(axis=0) / len(X)
                                                              for j in range(k)]),
                "you divided each cluster's sum by the number of all points: divide by the size "
                "of that cluster."),
    ),
)


def _reference_update_gain(X, labels, centers):
    """How much step 3 lowers the inertia: J(centers) - J(cluster means), a float >= 0."""
    means = update_centers(X, labels, len(centers))
    return compute_inertia(X, labels, centers) - compute_inertia(X, labels, means)


def _means(X, labels, centers):
    return update_centers(X, labels, len(centers))


def _moves(X, labels, centers):
    return ((centers - _means(X, labels, centers)) ** 2).sum(axis=1)


def _sizes(labels, centers):
    return np.bincount(labels, minlength=len(centers))


def _gain_cases():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(60, 2)) + np.repeat([[0, 0], [5, 0], [0, 5]], 20, axis=0)
    start = X[[0, 1, 2]] + 0.5
    labels = assign(X, start)
    unequal = rng.integers(0, 4, size=23)
    unequal[:4] = [0, 1, 2, 3]
    return [
        Case((X, labels, start), "60 points, 3 centres right after an assignment step"),
        Case((rng.normal(size=(23, 3)), unequal, rng.normal(size=(4, 3))),
             "23 points in 3-D, 4 clusters of unequal sizes, centres far from the means"),
        Case((X[:7], np.zeros(7, dtype=int), np.array([[10.0, -4.0]])), "7 points, one cluster"),
    ]


UPDATE_GAIN = Exercise(
    name="update_gain", lesson="01", reference=_reference_update_gain, cases=_gain_cases,
    returns="a number, J before the update minus J after it", rtol=1e-9,
    hints=(
        "Take one cluster: n_k points x with mean m_k, and its centre c. Write x - c = (x - m_k) "
        "+ (m_k - c) and expand the sum of ||x - c||^2 over the cluster. The cross term sums "
        "(x - m_k) over the cluster: what is that sum? What is left besides the sum of "
        "||x - m_k||^2, which is the cluster's inertia after the update?",
        "For each cluster, sum ||x - c_k||^2 = sum ||x - m_k||^2 + n_k ||m_k - c_k||^2, so step "
        "3 lowers J by the sum over k of n_k ||c_k - m_k||^2: the cluster sizes "
        "(`np.bincount(labels, minlength=len(centers))`) times the squared moves of the centres.",
    ),
    mistakes=(
        Mistake("unweighted", lambda X, labels, C: float(_moves(X, labels, C).sum()),
                "you added up the squared moves of the centres but forgot the cluster sizes: each "
                "of the n_k points of cluster k gains ||c_k - m_k||^2, so weight each move by n_k."),
        Mistake("unsquared", lambda X, labels, C: float((_sizes(labels, C) * np.sqrt(_moves(X, labels, C))).sum()),
                "you weighted the distances the centres move, not their squares: the identity "
                "has n_k ||c_k - m_k||^2."),
        Mistake("sign", lambda X, labels, C: -_reference_update_gain(X, labels, C),
                "your gain is negative: it is J after minus J before. Step 3 can only lower J, so "
                "J before - J after is >= 0."),
        Mistake("after", lambda X, labels, C: compute_inertia(X, labels, _means(X, labels, C)),
                "you returned J after the update, not how much it went down."),
        Mistake("before", lambda X, labels, C: compute_inertia(X, labels, C),
                "you returned J before the update, not how much it went down."),
        Mistake("mean", lambda X, labels, C: _reference_update_gain(X, labels, C) / len(X),
                "you divided by the number of points: J is a sum over the points, not a mean."),
    ),
)

EXERCISES = (ASSIGN, UPDATE_CENTERS, UPDATE_GAIN)
check_assign, hint_assign, solution_assign = ASSIGN.functions()
check_update_centers, hint_update_centers, solution_update_centers = UPDATE_CENTERS.functions()
check_update_gain, hint_update_gain, solution_update_gain = UPDATE_GAIN.functions()
