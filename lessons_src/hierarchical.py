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
import numbers
from typing import NamedTuple

import numpy as np

from .validation import check_array_2d, check_n_clusters, check_number, check_real_array

__all__ = [
    "LINKAGES",
    "Merge",
    "MergeHistory",
    "DendrogramLayout",
    "pairwise_distances",
    "lance_williams",
    "merge_steps",
    "linkage_matrix",
    "check_linkage_matrix",
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

    Raises
    ------
    ValueError
        When a distance exceeds the largest float (about 1.8e308).
    """
    X = check_array_2d(X)
    # Computed in units of a power of two near the largest coordinate: exact (a power of two
    # scales floats without rounding), and the squares neither overflow (1e300 ** 2) nor
    # underflow (1e-300 ** 2).
    scale = _power_of_two_scale(X)
    X = X / scale
    # The difference form (not |x|^2 - 2 x.y + |y|^2) keeps tiny distances exact, so merge
    # heights agree with SciPy's pdist to the last digits. One feature at a time: n^2 memory,
    # not n^2 * n_features.
    squared = np.zeros((X.shape[0], X.shape[0]))
    for column in X.T:
        diff = column[:, None] - column[None, :]
        squared += diff * diff
    with np.errstate(over="ignore"):          # checked on the next line
        D = np.sqrt(squared) * scale
    if not np.all(np.isfinite(D)):
        raise ValueError(f"X is too large: distances between its rows exceed the largest float "
                         f"(largest |X| = {scale * np.abs(X).max():.3g}); rescale X")
    return D


def _power_of_two_scale(X):
    """A power of two in (max |X| / 2, max |X|] (1.0 for an all-zero X)."""
    largest = float(np.abs(X).max()) if X.size else 0.0
    return float(np.ldexp(1.0, np.frexp(largest)[1] - 1)) if largest > 0 else 1.0


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
    d_ki = check_real_array(d_ki, "d_ki", ndim=(0, 1), min_size=0, allow_negative=False)
    d_kj = check_real_array(d_kj, "d_kj", ndim=(0, 1), min_size=0, allow_negative=False)
    if d_ki.shape != d_kj.shape:
        raise ValueError(f"d_ki and d_kj must have the same shape, got {d_ki.shape} and {d_kj.shape}")
    d_ij = check_number(d_ij, "d_ij", minimum=0)
    n_i = check_number(n_i, "n_i", minimum=0, strict=True)
    n_j = check_number(n_j, "n_j", minimum=0, strict=True)
    n_k = check_real_array(n_k, "n_k", ndim=(0, 1), min_size=0, allow_negative=False)
    if n_k.ndim and n_k.shape != d_ki.shape:
        raise ValueError(f"n_k must have the shape of d_ki, one size per cluster k, got {n_k.shape} "
                         f"and {d_ki.shape}")
    if linkage == "single":      # a = 1/2, c = -1/2: the minimum of d_ki and d_kj
        return 0.5 * d_ki + 0.5 * d_kj - 0.5 * np.abs(d_ki - d_kj)
    if linkage == "complete":    # a = 1/2, c = +1/2: the maximum
        return 0.5 * d_ki + 0.5 * d_kj + 0.5 * np.abs(d_ki - d_kj)
    if linkage == "average":     # the size-weighted mean of the two distances
        return n_i / (n_i + n_j) * d_ki + n_j / (n_i + n_j) * d_kj
    # Ward: Lance-Williams on squared distances, then back to a Euclidean-scale height. The
    # squares are taken in units of the largest of the three distances, so that distances near
    # the largest float (1e200 ** 2 overflows) still give a finite height.
    n_k = np.asarray(n_k, dtype=float)
    total = n_i + n_j + n_k
    unit = np.maximum(np.maximum(d_ki, d_kj), float(d_ij))
    unit = np.where(unit > 0, unit, 1.0)
    squared = ((n_i + n_k) * (d_ki / unit) ** 2 + (n_j + n_k) * (d_kj / unit) ** 2
               - n_k * (float(d_ij) / unit) ** 2) / total
    return np.sqrt(np.maximum(squared, 0.0)) * unit


def _check_points(X):
    """``check_array_2d(X, min_samples=2)``, also refusing coordinates so large that a merge
    height would exceed the largest float."""
    X = check_array_2d(X, min_samples=2)
    n, n_features = X.shape
    # A height is at most sqrt(n) x the largest distance (Ward's sqrt(2 n_a n_b / (n_a + n_b))
    # <= sqrt(n)), and a distance at most 2 sqrt(n_features) x the largest |coordinate|.
    limit = np.finfo(float).max / (2.0 * np.sqrt(n * n_features))
    largest = float(np.abs(X).max())
    if largest > limit:
        raise ValueError(f"X is too large: its merge heights could exceed the largest float "
                         f"(largest |X| = {largest:.3g}; at most {limit:.3g} for {n} points with "
                         f"{n_features} features); rescale X")
    return X


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
    X = _check_points(X)
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
    if not hasattr(merges, "__iter__"):
        raise TypeError(f"merges must be an iterable of Merge, got {merges!r}")
    rows = []
    for m in merges:    # one row at a time: a Merge also carries that step's matrix
        if not isinstance(m, Merge):
            raise TypeError("merges must hold Merge records (from merge_steps)")
        rows.append((m.left, m.right, m.height, m.size))
    Z = np.array(rows, dtype=float)
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


def check_linkage_matrix(Z, name="Z"):
    """Return ``Z`` as a float array after checking that it is a linkage matrix (one tree).

    What :func:`flat_clusters` and :func:`dendrogram_coordinates` rely on, so that a malformed
    matrix gets a clear error instead of a wrong picture or an endless walk round a cycle.

    Parameters
    ----------
    Z : array of shape (n_samples - 1, 4), n_samples >= 2
        Row t: ``[id_a, id_b, height, size]`` (see the module docstring).
    name : str
        The argument's name, for the error messages.

    Returns
    -------
    Z : ndarray of float, shape (n_samples - 1, 4)

    Raises
    ------
    ValueError
        Unless: the shape is (n - 1, 4) with n >= 2; the ids are integers, row t's in
        [0, n + t) (children are created before their parent) and different; every id is merged
        at most once; heights are finite, non-negative and non-decreasing; every size is the
        sum of its children's sizes (1 for a point).
    TypeError
        For a non-numeric or complex array.
    """
    raw = np.asarray(Z)
    if raw.dtype.kind == "c":
        raise ValueError(f"{name} holds complex numbers, got dtype {raw.dtype}")
    if raw.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a numeric linkage matrix, got dtype {raw.dtype}")
    Z = raw.astype(float)
    if Z.ndim != 2 or Z.shape[1] != 4 or Z.shape[0] < 1:
        raise ValueError(f"{name} must be a linkage matrix of shape (n - 1, 4) with n >= 2, "
                         f"got shape {Z.shape}")
    if not np.all(np.isfinite(Z)):
        t = int(np.argwhere(~np.isfinite(Z))[0, 0])
        raise ValueError(f"{name} must be finite, got {name}[{t}] = {Z[t].tolist()}")
    n = Z.shape[0] + 1
    ids = Z[:, :2]
    if np.any(ids != np.round(ids)):
        t = int(np.argwhere(ids != np.round(ids))[0, 0])
        raise ValueError(f"{name}'s cluster ids must be integers, got {name}[{t}] = {Z[t].tolist()}")
    created = n + np.arange(n - 1)[:, None]          # row t may only use ids made before it
    bad = np.any((ids < 0) | (ids >= created), axis=1) | (ids[:, 0] == ids[:, 1])
    if np.any(bad):
        t = int(np.flatnonzero(bad)[0])
        raise ValueError(f"{name}[{t}] = {Z[t].tolist()} must merge two different clusters that "
                         f"exist before it (ids in [0, {n + t - 1}]): not a linkage matrix")
    merged = ids.ravel().astype(int)
    counts = np.bincount(merged, minlength=2 * n - 1)
    if np.any(counts > 1):
        twice = int(np.flatnonzero(counts > 1)[0])
        raise ValueError(f"{name} merges cluster {twice} more than once: not a linkage matrix")
    heights = Z[:, 2]
    if np.any(heights < 0) or np.any(np.diff(heights) < 0):
        raise ValueError(f"{name}'s heights (column 2) must be non-negative and non-decreasing, "
                         f"got {heights.tolist()[:8]}{'...' if n > 9 else ''}")
    sizes = np.ones(2 * n - 1)
    for t in range(n - 1):
        sizes[n + t] = sizes[int(Z[t, 0])] + sizes[int(Z[t, 1])]
    if not np.array_equal(sizes[n:], Z[:, 3]):
        t = int(np.flatnonzero(sizes[n:] != Z[:, 3])[0])
        raise ValueError(f"{name}[{t}] has size {Z[t, 3]:g}, but its clusters hold "
                         f"{sizes[n + t]:g} points: not a linkage matrix")
    return Z


def flat_clusters(Z, n_clusters=None, height=None):
    """Cut the tree: undo the last merges (by K) or every merge above a height.

    Parameters
    ----------
    Z : ndarray of shape (n_samples - 1, 4)
        A linkage matrix (checked by :func:`check_linkage_matrix`).
    n_clusters : int, optional
        Keep the first n_samples - n_clusters merges (the cut by K).
    height : float, optional
        Keep the merges at heights <= ``height`` (the horizontal cut of the dendrogram; any real
        number, inf included, but not NaN). Exactly one of ``n_clusters`` and ``height`` must be
        given.

    Returns
    -------
    labels : ndarray of shape (n_samples,)
        Cluster of each point, 0..K-1, numbered in order of each cluster's first point.
    """
    Z = check_linkage_matrix(Z)
    n = Z.shape[0] + 1
    if (n_clusters is None) == (height is None):
        raise ValueError("give exactly one of n_clusters and height, got "
                         f"n_clusters={n_clusters!r}, height={height!r}")
    if n_clusters is not None:
        n_merges = n - check_n_clusters(n_clusters, n)
    else:
        if isinstance(height, (bool, np.bool_)) or not isinstance(height, numbers.Real):
            raise TypeError(f"height must be a real number, got height={height!r} of type "
                            f"{type(height).__name__}")
        if np.isnan(height):
            raise ValueError(f"height must be a number, got height={height!r}")
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
        A linkage matrix (checked by :func:`check_linkage_matrix`: a malformed or cyclic one
        raises ``ValueError``).

    Returns
    -------
    DendrogramLayout
        ``leaves`` (left to right), and the ``x`` and ``y`` of every cluster id.
    """
    Z = check_linkage_matrix(Z)
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
