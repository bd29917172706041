"""Checks for the exercises of lesson 02 (K-Means pitfalls and variants).

Each ``check_*`` runs the student's function and the tested reference from
:mod:`lessons_src.kmeans` on the same fixed inputs and returns a
:class:`~lessons_src.teaching.CheckResult` ("Correct..." or "Not yet... Hint: ...").
"""
import numpy as np

from ..kmeans import assign, compute_inertia, d2_probabilities
from ..teaching import check_function

__all__ = ["check_d2_probabilities", "check_inertia"]


def _cases_d2():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(30, 2))
    return [
        (np.array([[0.0, 0.0], [1.0, 0.0], [3.0, 0.0], [0.0, 2.0]]), np.array([[0.0, 0.0]])),
        (X, X[[0, 5]].copy()),
        (rng.normal(size=(20, 3)), rng.normal(size=(3, 3))),
    ]
def _cases_inertia():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(30, 2))
    centers = X[:3].copy()
    return [
        (X, assign(X, centers), centers),
        (X, np.zeros(30, dtype=int), X.mean(axis=0, keepdims=True)),
        (X[:4], np.arange(4), X[:4].copy()),
    ]
def check_d2_probabilities(fn):
    """Check ``fn(X, centers) -> p`` (K-Means++'s law of the next pick: D(x)^2 / sum D^2)."""
    return check_function(
        fn, lambda X, centers: d2_probabilities(X, centers), _cases_d2(),
        name="your D^2 probabilities",
        hint="D(x)^2 is the squared distance to the *nearest* chosen centre (a min over axis "
             "1 of the squared distances), and the probabilities are D^2 divided by its sum.",
    )
def check_inertia(fn):
    """Check ``fn(X, labels, centers) -> float`` (sum of squared distances to the assigned
    centres)."""
    return check_function(
        fn, lambda X, labels, centers: compute_inertia(X, labels, centers), _cases_inertia(),
        name="your inertia",
        hint="subtract each point's own centre, centers[labels], square, and sum everything "
             "(squared distances: no square root).",
    )

