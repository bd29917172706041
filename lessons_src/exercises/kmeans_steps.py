"""Checks for the exercises of lesson 01 (K-Means, step by step).

Each ``check_*`` runs the student's function and the tested reference from
:mod:`lessons_src.kmeans` on the same fixed inputs and returns a
:class:`~lessons_src.teaching.CheckResult` ("Correct..." or "Not yet... Hint: ...").
"""
import numpy as np

from ..kmeans import assign, update_centers
from ..teaching import check_function

__all__ = ["check_assign", "check_update_centers"]


def _cases_assign():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(40, 2))
    return [
        (X, X[:3].copy()),
        (rng.normal(size=(25, 5)) * 10, rng.normal(size=(4, 5)) * 10),
        (np.array([[0.0, 0.0], [3.0, 4.0]]), np.array([[0.0, 0.0]])),  # K = 1
        (X[:6], X[:6].copy()),  # K = n: each point is its own centre
    ]
def _cases_update():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(30, 2))
    labels = np.arange(30) % 3
    return [
        (X, labels, 3),
        (rng.normal(size=(12, 4)), rng.integers(0, 2, size=12), 2),
        (X[:5], np.zeros(5, dtype=int), 1),
    ]
def check_assign(fn):
    """Check ``fn(X, centers) -> labels`` (the nearest centre of every point, Euclidean)."""
    return check_function(
        fn, lambda X, centers: assign(X, centers), _cases_assign(), name="your assign step",
        hint="compute the squared distance from every point to every centre, shape "
             "(n_samples, n_clusters) (e.g. ((X[:, None, :] - centers[None]) ** 2).sum(-1)), "
             "then take np.argmin along axis 1.",
    )
def check_update_centers(fn):
    """Check ``fn(X, labels, n_clusters) -> centers`` (the mean of each cluster's points; the
    cases have no empty cluster)."""
    return check_function(
        fn, lambda X, labels, k: update_centers(X, labels, k), _cases_update(),
        name="your update step",
        hint="for each k in range(n_clusters), centre k is X[labels == k].mean(axis=0); "
             "return an array of shape (n_clusters, n_features).",
    )
