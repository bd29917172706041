"""Exercise checks of lesson 03 (hierarchical clustering).

Each ``check_*`` runs the student's function and a reference on fixed inputs and returns a
:class:`lessons_src.teaching.CheckResult` ("Correct..." or "Not yet... Hint: ...").
"""
import numpy as np

from .. import hierarchical as H
from ..teaching import check_function

__all__ = [
    "reference_cluster_distance",
    "reference_n_clusters_at_height",
    "check_cluster_distance",
    "check_n_clusters_at_height",
]


def reference_cluster_distance(A, B, linkage):
    """Distance between two groups of points under a linkage rule.

    Parameters
    ----------
    A : ndarray of shape (n_a, n_features)
    B : ndarray of shape (n_b, n_features)
    linkage : {'single', 'complete', 'average'}
        Closest pair, farthest pair, or the mean over all n_a * n_b pairs.

    Returns
    -------
    distance : float
    """
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    pair_distances = np.sqrt(((A[:, None, :] - B[None, :, :]) ** 2).sum(axis=2))
    return float({"single": np.min, "complete": np.max, "average": np.mean}[linkage](pair_distances))


def reference_n_clusters_at_height(Z, height):
    """How many clusters a horizontal cut of the dendrogram at ``height`` leaves.

    Parameters
    ----------
    Z : ndarray of shape (n - 1, 4)
        A linkage matrix (heights in column 2, non-decreasing).
    height : float

    Returns
    -------
    n_clusters : int
        n minus the number of merges at heights <= ``height``.
    """
    Z = np.asarray(Z, dtype=float)
    return int(len(Z) + 1 - np.sum(Z[:, 2] <= height))


def _cluster_distance_cases():
    rng = np.random.default_rng(3)
    A, B = rng.normal(size=(4, 2)), rng.normal(loc=2.0, size=(6, 2))
    C, D = rng.normal(size=(1, 3)), rng.normal(size=(5, 3))
    return [(A, B, "single"), (A, B, "complete"), (A, B, "average"),
            (C, D, "single"), (C, D, "average"), (B, A, "complete")]


def check_cluster_distance(cluster_distance):
    """Check ``cluster_distance(A, B, linkage)`` for 'single', 'complete' and 'average'."""
    return check_function(
        cluster_distance, reference_cluster_distance, _cluster_distance_cases(),
        name="your cluster_distance",
        hint="compute the n_a x n_b matrix of Euclidean distances between the rows of A and B "
             "(broadcast A[:, None, :] - B[None, :, :]), then take its min, max or mean.",
        rtol=1e-9,
    )


def _height_cases():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(12, 2))
    Z_single, Z_ward = H.agglomerative(X, "single"), H.agglomerative(X, "ward")
    return [(Z_single, 0.0), (Z_single, float(np.median(Z_single[:, 2]))),
            (Z_ward, float(Z_ward[5, 2])), (Z_ward, 100.0), (Z_ward, float(Z_ward[5, 2]) - 1e-9)]


def check_n_clusters_at_height(n_clusters_at_height):
    """Check ``n_clusters_at_height(Z, height)`` on single and Ward trees, cuts below, on and
    above merges."""
    return check_function(
        n_clusters_at_height, reference_n_clusters_at_height, _height_cases(),
        name="your n_clusters_at_height",
        hint="each merge at a height <= the cut joins two clusters into one: start from n = "
             "len(Z) + 1 points and subtract the merges below the line (Z[:, 2] holds the heights).",
    )
