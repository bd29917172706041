"""Agglomerative hierarchical clustering (凝聚型层次聚类), written from scratch for teaching.

The slides' algorithm with the minimum distance (single linkage):

1. every object is a cluster; compute the distance between every pair;
2. merge the two closest clusters into a new cluster;
3. recompute the distance from the new cluster to every other cluster;
4. repeat 2-3 until one cluster remains (or a stop condition holds).

:func:`merge_steps` is that algorithm alone, a generator that yields one :class:`Merge` at a
time. Two small consumers read it: :func:`agglomerative` keeps SciPy's linkage matrix, and
:func:`merge_history` keeps every merge with its distance matrix, for the lesson's replay slider.

Step 3 uses the **Lance-Williams** formula, which gives the new distances from the old ones
without going back to the points:

    d(k, i+j) = a_i d(k, i) + a_j d(k, j) + b d(i, j) + c |d(k, i) - d(k, j)|

=========  ======================  ======================  =================  =====
linkage    a_i                     a_j                     b                  c
=========  ======================  ======================  =================  =====
single     1/2                     1/2                     0                  -1/2
complete   1/2                     1/2                     0                  +1/2
average    n_i / (n_i + n_j)       n_j / (n_i + n_j)       0                  0
ward       (n_i+n_k) / N           (n_j+n_k) / N           -n_k / N           0
=========  ======================  ======================  =================  =====

with N = n_i + n_j + n_k; for Ward the formula holds for *squared* Euclidean distances (SciPy,
like us, reports the square root: the heights are then Euclidean, not variances).

Output: SciPy's linkage matrix ``Z`` of shape (n - 1, 4). Row t merges clusters ``Z[t, 0]`` and
``Z[t, 1]`` (``Z[t, 0] < Z[t, 1]``) at height ``Z[t, 2]`` into a new cluster of ``Z[t, 3]``
points, which gets the id ``n + t``; the ids 0..n-1 are the points themselves. Rows are sorted
by height. ``scipy.cluster.hierarchy.dendrogram``/``fcluster`` accept it unchanged.

Cost: the distance matrix takes O(n^2) memory (8 n^2 bytes: 80 MB at n = 3 200); this naive
version searches the whole matrix at each of the n - 1 merges, O(n^3) time. SciPy's minimum
spanning tree (single) and nearest-neighbour chain (complete, average, Ward) need O(n^2) time.
"""
from typing import NamedTuple

import numpy as np

from .validation import check_array_2d, check_n_clusters

__all__ = [
    "LINKAGES",
    "Merge",
    "MergeHistory",
    "DendrogramLayout",
    "pairwise_distances",
    "lance_williams",
    "merge_steps",
    "linkage_matrix",
    "agglomerative",
    "merge_history",
    "flat_clusters",
    "dendrogram_coordinates",
]

LINKAGES = ("single", "complete", "average", "ward")
"""The linkage rules implemented here (the names SciPy and scikit-learn use)."""


class Merge(NamedTuple):
    """One merge of the slides' algorithm, as :func:`merge_steps` yields it.

    Attributes
    ----------
    step : int
        0 for the first merge, ..., n - 2 for the last.
    left, right : int
        The ids of the two merged clusters (``left < right``; ids 0..n-1 are the points).
    new_id : int
        The id of the new cluster, ``n + step``.
    height : float
        The linkage distance between the two clusters, at which they merge.
    size : int
        Points in the new cluster.
    cluster_ids : ndarray of shape (n_clusters,)
        The ids of the clusters alive *before* this merge, in increasing order.
    distances : ndarray of shape (n_clusters, n_clusters)
        The distance matrix between those clusters before this merge, ``inf`` on the diagonal
        (a cluster is never merged with itself): the merged pair is its smallest entry.
        The algorithm's own matrix (it builds a new one for the next merge): keep it, but do
        not change it while the generator runs.
    """

    step: int
    left: int
    right: int
    new_id: int
    height: float
    size: int
    cluster_ids: np.ndarray
    distances: np.ndarray


class MergeHistory(NamedTuple):
    """The whole run, for the replay slider (see :func:`merge_history`).

    Attributes
    ----------
    linkage_matrix : ndarray of shape (n_samples - 1, 4)
        As :func:`agglomerative` returns it.
    merges : list of Merge
        ``merges[t]`` is merge t, the row ``linkage_matrix[t]`` (the two orders agree whenever
        the merge heights increase, which they do for these linkages up to floating-point ties).
    """

    linkage_matrix: np.ndarray
    merges: list


def _check_linkage(linkage):
    if linkage not in LINKAGES:
        raise ValueError(f"linkage must be one of {LINKAGES}, got linkage={linkage!r}")
    return linkage


def pairwise_distances(X):
    """Euclidean distance between every pair of rows.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)

    Returns
    -------
    D : ndarray of shape (n_samples, n_samples)
        ``D[i, j] = ||X[i] - X[j]||``, symmetric, 0 on the diagonal.
    """
    X = check_array_2d(X)
    # The difference form (not |x|^2 - 2 x.y + |y|^2) keeps tiny distances exact, so merge
    # heights agree with SciPy's pdist to the last digits. One feature at a time: n^2 memory,
    # not n^2 * n_features.
    squared = np.zeros((X.shape[0], X.shape[0]))
    for column in X.T:
        diff = column[:, None] - column[None, :]
        squared += diff * diff
    return np.sqrt(squared)


def lance_williams(d_ki, d_kj, d_ij, n_i, n_j, n_k, linkage):
    """The distance from every cluster k to the union of clusters i and j.

    Parameters
    ----------
    d_ki, d_kj : ndarray of shape (m,)
        Distances from m clusters k to cluster i and to cluster j.
    d_ij : float
        Distance between i and j.
    n_i, n_j : int
        Sizes of clusters i and j.
    n_k : ndarray of shape (m,)
        Sizes of the clusters k (used by 'average' and 'ward').
    linkage : {'single', 'complete', 'average', 'ward'}

    Returns
    -------
    d_k_ij : ndarray of shape (m,)
    """
    _check_linkage(linkage)
    d_ki = np.asarray(d_ki, dtype=float)
    d_kj = np.asarray(d_kj, dtype=float)
    if linkage == "single":      # a = 1/2, c = -1/2: the minimum of d_ki and d_kj
        return 0.5 * d_ki + 0.5 * d_kj - 0.5 * np.abs(d_ki - d_kj)
    if linkage == "complete":    # a = 1/2, c = +1/2: the maximum
        return 0.5 * d_ki + 0.5 * d_kj + 0.5 * np.abs(d_ki - d_kj)
    if linkage == "average":     # the size-weighted mean of the two distances
        return (n_i * d_ki + n_j * d_kj) / (n_i + n_j)
    # Ward: Lance-Williams on squared distances, then back to a Euclidean-scale height.
    n_k = np.asarray(n_k, dtype=float)
    total = n_i + n_j + n_k
    squared = ((n_i + n_k) * d_ki ** 2 + (n_j + n_k) * d_kj ** 2 - n_k * d_ij ** 2) / total
    return np.sqrt(np.maximum(squared, 0.0))


def merge_steps(X, linkage="single"):
    """The slides' agglomerative algorithm, one merge at a time.

    A generator: each ``next`` runs one merge and yields it, so a consumer can stop after any
    merge (a cut) or keep every one (a replay). The input is checked at the first ``next``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), n_samples >= 2
    linkage : {'single', 'complete', 'average', 'ward'}
        How the distance between two clusters is defined (see :func:`lance_williams`).

    Yields
    ------
    Merge
        n_samples - 1 merges, from the closest pair of points to the last two clusters.
    """
    X = check_array_2d(X, min_samples=2)
    _check_linkage(linkage)
    n = X.shape[0]
    # 1. Every object is a cluster; the distance between every pair of clusters.
    #    Row r of D belongs to cluster clusters[r], of sizes[r] points.
    clusters = np.arange(n)
    sizes = np.ones(n, dtype=int)
    D = pairwise_distances(X)
    np.fill_diagonal(D, np.inf)                      # a cluster is never merged with itself
    for step in range(n - 1):
        # 2. Merge the two closest clusters: the smallest entry of D (i < j: D is symmetric).
        i, j = np.unravel_index(np.argmin(D), D.shape)
        yield Merge(step=step, left=int(clusters[i]), right=int(clusters[j]), new_id=n + step,
                    height=float(D[i, j]), size=int(sizes[i] + sizes[j]),
                    cluster_ids=clusters, distances=D)
        # 3. The distances from the new cluster to every other one, from the old distances
        #    alone (Lance-Williams). Rows i and j leave; the new cluster's row comes last.
        others = np.delete(np.arange(len(D)), [i, j])
        new_row = lance_williams(D[i, others], D[j, others], D[i, j], sizes[i], sizes[j],
                                 sizes[others], linkage)
        D = np.block([[D[np.ix_(others, others)], new_row[:, None]],
                      [new_row[None, :], np.inf]])
        clusters = np.append(clusters[others], n + step)
        sizes = np.append(sizes[others], sizes[i] + sizes[j])
        # 4. Repeat 2-3 until one cluster is left.


def linkage_matrix(merges):
    """SciPy's linkage matrix from the merges of :func:`merge_steps`.

    Parameters
    ----------
    merges : iterable of Merge
        All n_samples - 1 of them, in order (e.g. the generator itself).

    Returns
    -------
    Z : ndarray of shape (n_samples - 1, 4)
        ``[left, right, height, size]`` per merge, sorted by height and renumbered as SciPy does
        (see the module docstring).
    """
    Z = np.array([(m.left, m.right, m.height, m.size) for m in merges], dtype=float)
    return _scipy_order(Z.reshape(-1, 4), len(Z) + 1)


def _scipy_order(Z, n):
    """Sort the merges by height (stably) and renumber the clusters as SciPy does."""
    order = np.argsort(Z[:, 2], kind="mergesort")
    if np.array_equal(order, np.arange(n - 1)):
        return Z
    # A merge recorded earlier at a larger height can only come from floating-point ties.
    # Re-label as scipy's ``_hierarchy.label`` does: name each cluster by one of its points,
    # then rebuild the ids with a union-find in the sorted order.
    representative = np.arange(2 * n - 1)
    for t in range(n - 1):
        representative[n + t] = representative[int(Z[t, 0])]
    sorted_Z = Z[order].copy()
    parent = np.arange(2 * n - 1)
    size = np.ones(2 * n - 1)

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    for t in range(n - 1):
        ra = find(representative[int(sorted_Z[t, 0])])
        rb = find(representative[int(sorted_Z[t, 1])])
        sorted_Z[t, 0], sorted_Z[t, 1] = min(ra, rb), max(ra, rb)
        parent[ra] = parent[rb] = n + t
        size[n + t] = sorted_Z[t, 3] = size[ra] + size[rb]
    return sorted_Z


def agglomerative(X, linkage="single"):
    """Agglomerative clustering from singletons to one cluster, the slides' algorithm.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), n_samples >= 2
    linkage : {'single', 'complete', 'average', 'ward'}
        How the distance between two clusters is defined: closest pair (minimum distance, 最小距离),
        farthest pair, mean over all pairs, or Ward's increase of within-cluster variance.

    Returns
    -------
    Z : ndarray of shape (n_samples - 1, 4)
        SciPy's linkage matrix: ``[id_a, id_b, height, size]`` per merge (see the module
        docstring). Equal to ``scipy.cluster.hierarchy.linkage(X, linkage)`` when no two
        distances tie.

    Notes
    -----
    O(n^2) memory and O(n^3) time: fine for a few thousand points, then the n^2 wall.
    """
    return linkage_matrix(merge_steps(X, linkage))


def merge_history(X, linkage="single"):
    """Every merge with the distance matrix it started from, for the replay slider.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Keep n small (tens of points): the replay keeps one matrix per merge, O(n^3) memory.
    linkage : {'single', 'complete', 'average', 'ward'}

    Returns
    -------
    MergeHistory
        ``linkage_matrix`` (as :func:`agglomerative`) and ``merges``, the list of every
        :class:`Merge`.
    """
    merges = list(merge_steps(X, linkage))
    return MergeHistory(linkage_matrix(merges), merges)


def flat_clusters(Z, n_clusters=None, height=None):
    """Cut the tree: undo the last merges (by K) or every merge above a height.

    Parameters
    ----------
    Z : ndarray of shape (n_samples - 1, 4)
        A linkage matrix.
    n_clusters : int, optional
        Keep the first n_samples - n_clusters merges (the cut by K).
    height : float, optional
        Keep the merges at heights <= ``height`` (the horizontal cut of the dendrogram).
        Exactly one of ``n_clusters`` and ``height`` must be given.

    Returns
    -------
    labels : ndarray of shape (n_samples,)
        Cluster of each point, 0..K-1, numbered in order of each cluster's first point.
    """
    Z = np.asarray(Z, dtype=float)
    if Z.ndim != 2 or Z.shape[1] != 4:
        raise ValueError(f"Z must be a linkage matrix of shape (n - 1, 4), got shape {Z.shape}")
    n = Z.shape[0] + 1
    if (n_clusters is None) == (height is None):
        raise ValueError("give exactly one of n_clusters and height, got "
                         f"n_clusters={n_clusters!r}, height={height!r}")
    if n_clusters is not None:
        n_merges = n - check_n_clusters(n_clusters, n)
    else:
        n_merges = int(np.sum(Z[:, 2] <= float(height)))
    # Union-find over the kept merges: each point ends in the tree of its last kept ancestor.
    parent = np.arange(2 * n - 1)
    for t in range(n_merges):
        parent[int(Z[t, 0])] = n + t
        parent[int(Z[t, 1])] = n + t
    root = np.arange(n)
    for _ in range(n_merges):                # at most n_merges jumps to any root
        nxt = parent[root]
        if np.array_equal(nxt, root):
            break
        root = nxt
    _, labels = np.unique(root, return_inverse=True)
    # Renumber by first appearance so the colours do not depend on cluster ids.
    first = np.unique(labels, return_index=True)[1]
    rank = np.empty_like(first)
    rank[np.argsort(first)] = np.arange(len(first))
    return rank[labels]


class DendrogramLayout(NamedTuple):
    """Where a dendrogram draws its leaves and merges (see :func:`dendrogram_coordinates`).

    Attributes
    ----------
    leaves : ndarray of shape (n_samples,)
        The point drawn at each leaf position, left to right.
    x : ndarray of shape (2 * n_samples - 1,)
        Horizontal position of every cluster id (points, then merges).
    y : ndarray of shape (2 * n_samples - 1,)
        Height of every cluster id (0 for points).
    """

    leaves: np.ndarray
    x: np.ndarray
    y: np.ndarray


def dendrogram_coordinates(Z):
    """Where a dendrogram draws each leaf and each merge (like ``scipy...dendrogram``).

    Leaves sit at x = 5, 15, 25, ... in the order of a depth-first walk that visits
    ``Z[t, 0]`` before ``Z[t, 1]``; a merge sits midway between its two children.

    Parameters
    ----------
    Z : ndarray of shape (n_samples - 1, 4)

    Returns
    -------
    DendrogramLayout
        ``leaves`` (left to right), and the ``x`` and ``y`` of every cluster id.
    """
    Z = np.asarray(Z, dtype=float)
    n = Z.shape[0] + 1
    leaves = []
    stack = [2 * n - 2]
    while stack:                             # depth-first, left child first
        node = stack.pop()
        if node < n:
            leaves.append(node)
        else:
            left, right = int(Z[node - n, 0]), int(Z[node - n, 1])
            stack.extend((right, left))
    leaves = np.array(leaves)
    x = np.zeros(2 * n - 1)
    y = np.zeros(2 * n - 1)
    x[leaves] = 5.0 + 10.0 * np.arange(n)
    for t in range(n - 1):                   # children always come before their parent
        left, right = int(Z[t, 0]), int(Z[t, 1])
        x[n + t] = 0.5 * (x[left] + x[right])
        y[n + t] = Z[t, 2]
    return DendrogramLayout(leaves, x, y)
