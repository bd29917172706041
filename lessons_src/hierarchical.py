"""Agglomerative hierarchical clustering (凝聚型层次聚类), written from scratch for teaching.

The slides' algorithm with the minimum distance (single linkage):

1. every object is a cluster; compute the distance between every pair;
2. merge the two closest clusters into a new cluster;
3. recompute the distance from the new cluster to every other cluster;
4. repeat 2-3 until one cluster remains (or a stop condition holds).

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
from collections import namedtuple

import numpy as np

from .validation import check_array_2d, check_n_clusters

__all__ = [
    "LINKAGES",
    "MergeStep",
    "pairwise_distances",
    "lance_williams",
    "agglomerative",
    "merge_history",
    "flat_clusters",
    "dendrogram_coordinates",
]

LINKAGES = ("single", "complete", "average", "ward")
"""The linkage rules implemented here (the names SciPy and scikit-learn use)."""

MergeStep = namedtuple(
    "MergeStep",
    ["step", "left", "right", "new_id", "height", "size", "cluster_ids", "distances"],
)
MergeStep.__doc__ = """One merge of the replay.

Attributes
----------
step : int
    0 for the first merge, ..., n - 2 for the last.
left, right : int
    The ids of the two merged clusters (as in the linkage matrix, ``left < right``).
new_id : int
    The id of the new cluster, ``n + step``.
height : float
    The linkage distance at which they merge.
size : int
    Points in the new cluster.
cluster_ids : ndarray of shape (n_active,)
    The ids of the clusters alive *before* this merge, in increasing order.
distances : ndarray of shape (n_active, n_active)
    The distance matrix between those clusters before this merge (0 on the diagonal): the
    merged pair is its smallest off-diagonal entry.
"""


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


def _agglomerate(X, linkage, record_history):
    """The merge loop shared by :func:`agglomerative` and :func:`merge_history`."""
    X = check_array_2d(X, min_samples=2)
    _check_linkage(linkage)
    n = X.shape[0]
    D = pairwise_distances(X)
    np.fill_diagonal(D, np.inf)             # a cluster is never merged with itself
    slot_id = np.arange(n)                  # the cluster id living in each row/column of D
    slot_size = np.ones(n)
    alive = np.ones(n, dtype=bool)
    Z = np.empty((n - 1, 4))
    history = []
    for step in range(n - 1):
        if record_history:
            rows = np.flatnonzero(alive)
            order = np.argsort(slot_id[rows])   # show clusters by id
            rows = rows[order]
            snapshot = D[np.ix_(rows, rows)].copy()
            np.fill_diagonal(snapshot, 0.0)
            ids_before = slot_id[rows].copy()
        # 2. the closest pair of live clusters (dead rows/columns hold +inf)
        flat = int(np.argmin(D))
        a, b = divmod(flat, n)
        i, j = min(a, b), max(a, b)
        height = D[i, j]
        ids = sorted((int(slot_id[i]), int(slot_id[j])))
        size = slot_size[i] + slot_size[j]
        Z[step] = (ids[0], ids[1], height, size)
        # 3. Lance-Williams: distances from the union (stored in row i) to every other cluster.
        others = alive.copy()
        others[[i, j]] = False
        new_row = lance_williams(D[i, others], D[j, others], height, slot_size[i], slot_size[j],
                                 slot_size[others], linkage)
        D[i, others] = new_row
        D[others, i] = new_row
        D[j, :] = np.inf                     # row j is dead from now on
        D[:, j] = np.inf
        alive[j] = False
        slot_id[i] = n + step
        slot_size[i] = size
        if record_history:
            history.append(MergeStep(step, ids[0], ids[1], n + step, float(height), int(size),
                                     ids_before, snapshot))
    return _scipy_order(Z, n), history


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
    Z, _ = _agglomerate(X, linkage, record_history=False)
    return Z


def merge_history(X, linkage="single"):
    """The linkage matrix and a replay of every merge with the distance matrix it started from.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Keep n small (tens of points): the replay stores one matrix per merge, O(n^3) memory.
    linkage : {'single', 'complete', 'average', 'ward'}

    Returns
    -------
    Z : ndarray of shape (n_samples - 1, 4)
        As :func:`agglomerative`.
    history : list of MergeStep
        ``history[t]`` describes merge t (the row ``Z[t]``).
    """
    return _agglomerate(X, linkage, record_history=True)


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


def dendrogram_coordinates(Z):
    """Where a dendrogram draws each leaf and each merge (like ``scipy...dendrogram``).

    Leaves sit at x = 5, 15, 25, ... in the order of a depth-first walk that visits
    ``Z[t, 0]`` before ``Z[t, 1]``; a merge sits midway between its two children.

    Parameters
    ----------
    Z : ndarray of shape (n_samples - 1, 4)

    Returns
    -------
    leaves : ndarray of shape (n_samples,)
        The point drawn at each leaf position, left to right.
    x : ndarray of shape (2 * n_samples - 1,)
        Horizontal position of every cluster id (points, then merges).
    y : ndarray of shape (2 * n_samples - 1,)
        Height of every cluster id (0 for points).
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
    return leaves, x, y
