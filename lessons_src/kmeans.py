"""K-Means written from scratch for teaching, and checked against scikit-learn.

The algorithm (Lloyd's iteration), as the slides give it:

1. pick K initial centres (``init_random``, ``init_kmeans_plusplus``, ``init_kmeans_parallel``,
   or your own points);
2. assign every point to its nearest centre (``assign``);
3. move every centre to the mean of its points (``update_centers``);
4. repeat 2-3 until a stop rule holds: ``max_iter`` iterations, no label changed, or the total
   squared centre shift is at most ``tol``.

:func:`lloyd_steps` is that algorithm and nothing else: a generator that yields one
:class:`LloydStep` at a time (the initial centres, then each assignment and each update, with the
inertia the step already knows). :class:`KMeans` runs it to the end; its ``history_`` keeps the
steps a replay slider draws. Recording costs no pass over the data: after an assignment the
inertia falls out of the distances just computed, and after an update it is the assignment's
inertia minus ``sum_k n_k ||c_k(old) - c_k(new)||^2`` (the parallel-axis identity, which is also
why the update step can only lower the inertia).

With the same initial centres, ``metric='euclidean'`` and ``tol=0``, :class:`KMeans` gives the
same labels, inertia and iteration count as ``sklearn.cluster.KMeans(init=centers, n_init=1,
tol=0, algorithm='lloyd')`` (the tests check this on several data sets): it follows
scikit-learn's iteration order, its convergence tests, its empty-cluster relocation and its final
assignment step.

``metric='cosine'`` is *spherical K-Means*: every row of X is scaled to unit length, a point goes
to the centre with the largest cosine similarity, and each centre is the mean of its (unit) points
re-scaled to unit length. Its inertia is ``sum_i (1 - cos(x_i, c_label(i)))``, the quantity those
two steps decrease. Only the direction of a point matters; a zero row has no direction and is
rejected.

The initial centres (the seeding): :func:`init_random` (K points drawn uniformly), K-Means++
(:func:`kmeans_plusplus_picks`, one pick at a time, and :func:`init_kmeans_plusplus`; plain, or
the greedy variant scikit-learn runs), K-Means|| (:func:`init_kmeans_parallel`, a
:class:`ParallelSeeding` with every round's candidates), and, to compare K-Means++ with what it
is not, :func:`init_farthest_first` and :func:`init_by_distance` (probability proportional to
``D(x) ** power``: the slides' "linear" reading is power 1). A seeding measures ratios of
distances only, so huge or tiny coordinates are scaled by a power of two before it measures
them (exact: the same picks, no overflow). :class:`MiniBatchKMeans` and :func:`minibatch_step`
implement Sculley's (2010) mini-batch update (each centre moves toward the mean of its points in
the batch with step ``batch_count / total count``), the update scikit-learn's
``MiniBatchKMeans`` uses.
"""
import numbers
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClusterMixin, TransformerMixin

from . import threads
from .metrics import _safe_scale
from .validation import (NotFittedError, check_array_2d, check_n_clusters, check_n_features,
                         check_positive_int, check_random_state, as_real_array,
                         _check_magnitude)

__all__ = [
    "METRICS",
    "INITS",
    "HISTORIES",
    "squared_distances",
    "assign",
    "compute_inertia",
    "CenterUpdate",
    "update_centers",
    "LloydStep",
    "lloyd_steps",
    "init_random",
    "Seeding",
    "d2_probabilities",
    "PlusPlusPick",
    "kmeans_plusplus_picks",
    "init_kmeans_plusplus",
    "init_by_distance",
    "init_farthest_first",
    "ParallelSeeding",
    "init_kmeans_parallel",
    "MiniBatchUpdate",
    "minibatch_step",
    "KMeans",
    "MiniBatchKMeans",
]

METRICS = ("euclidean", "cosine")
"""The distances :class:`KMeans` understands."""

INITS = ("random", "k-means++", "k-means||")
"""The named initialisations (an (n_clusters, n_features) array is also accepted)."""

HISTORIES = ("auto", "full", "centers", "none")
"""What :class:`KMeans` can keep in ``history_``."""

# Below this many samples ``history_`` keeps the labels of every step ('auto' policy); above it
# only centres, inertia and shifts are kept (labels can be recomputed with ``assign``).
_HISTORY_LABELS_MAX_SAMPLES = 50_000

# Rows per block when the exact inertia is summed: the differences stay in cache.
_INERTIA_BLOCK_ROWS = 2048

# Below this many (sample, cluster) pairs the cluster sums are one dense indicator product;
# above it a sparse indicator is cheaper to build and to multiply (measured: 2500 x 64 points,
# K = 20: 193 us dense, 65 us sparse; 240 x 2, K = 4: 5 us dense, 17 us sparse).
_DENSE_SUMS_MAX_ENTRIES = 20_000


# --------------------------------------------------------------------------------------------
# Argument checks
# --------------------------------------------------------------------------------------------
def _check_metric(metric):
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {METRICS}, got metric={metric!r}")
    return metric


def _check_tol(tol):
    if (isinstance(tol, (bool, np.bool_)) or not isinstance(tol, numbers.Real)
            or not np.isfinite(tol) or tol < 0):
        raise ValueError(f"tol must be a finite number >= 0, got tol={tol!r}")
    return float(tol)


def _normalize_rows(X, name="X"):
    """Rows scaled to unit Euclidean length; a zero row has no direction and is an error."""
    norms = np.linalg.norm(X, axis=1)
    if np.any(norms == 0):
        bad = int(np.flatnonzero(norms == 0)[0])
        raise ValueError(f"metric='cosine' needs non-zero rows: {name}[{bad}] is all zeros "
                         "(a zero vector has no direction)")
    return X / norms[:, None]


def _check_centers(centers, n_features, name="centers", n_clusters=None):
    centers = check_array_2d(centers, name=name)
    if centers.shape[1] != n_features:
        raise ValueError(f"{name} must have {n_features} features (columns) like X, "
                         f"got shape {centers.shape}")
    if n_clusters is not None and centers.shape[0] != n_clusters:
        raise ValueError(f"{name} must have n_clusters={n_clusters} rows, got shape {centers.shape}")
    return centers


def _check_labels(labels, n_samples, n_clusters):
    labels = np.asarray(labels)
    if labels.dtype.kind not in "biuf":
        raise TypeError(f"labels must be integers, got dtype {labels.dtype}")
    if labels.shape != (n_samples,):
        raise ValueError(f"labels must have shape ({n_samples},), got shape {labels.shape}")
    if not np.issubdtype(labels.dtype, np.integer):
        if not np.all(np.mod(labels, 1) == 0):
            raise TypeError(f"labels must be integers, got dtype {labels.dtype}")
        labels = labels.astype(np.int64)
    if n_samples and (labels.min() < 0 or labels.max() >= n_clusters):
        raise ValueError(f"labels must lie in [0, n_clusters - 1] = [0, {n_clusters - 1}], "
                         f"got range [{labels.min()}, {labels.max()}]")
    return labels.astype(np.int64, copy=False)


def _check_init(init, n_features, n_clusters):
    """A named initialisation, or the initial centres as an (n_clusters, n_features) array."""
    if isinstance(init, str):
        if init not in INITS:
            raise ValueError(f"init must be one of {INITS} or an array of shape "
                             f"(n_clusters, n_features), got init={init!r}")
        return init
    return _check_centers(init, n_features, "init", n_clusters)


def _initial_centers(X, n_clusters, init, rng):
    """The initial centres named by ``init`` (checked by :func:`_check_init`), drawn from rng."""
    if not isinstance(init, str):
        return init.copy()
    if init == "random":
        return init_random(X, n_clusters, rng)
    if init == "k-means++":
        return init_kmeans_plusplus(X, n_clusters, rng).centers
    return init_kmeans_parallel(X, n_clusters, random_state=rng).centers


# --------------------------------------------------------------------------------------------
# The two steps
# --------------------------------------------------------------------------------------------
def squared_distances(X, centers, X_squared_norms=None):
    """Squared Euclidean distance from every point to every centre, in BLAS form.

    ``||x - c||^2 = ||x||^2 - 2 x.c + ||c||^2``: one matrix product does the work. Rounding can
    make an exact 0 come out as a tiny negative number, so the result is clipped at 0.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    centers : ndarray of shape (n_clusters, n_features)
    X_squared_norms : ndarray of shape (n_samples,), optional
        ``(X ** 2).sum(1)`` if already known (saves a pass over X).

    Returns
    -------
    D2 : ndarray of shape (n_samples, n_clusters), in squared units of X
    """
    X, centers = as_real_array(X, "X"), as_real_array(centers, "centers")
    # Light checks only (this runs inside every loop): shapes here, NaN/inf from the result.
    for name, array in (("X", X), ("centers", centers)):
        if array.ndim != 2:
            raise ValueError(f"{name} must be 2-D (n, n_features), got shape {array.shape}")
    if X.shape[1] != centers.shape[1]:
        raise ValueError(f"X and centers must have the same number of features, got X "
                         f"{X.shape} and centers {centers.shape}")
    # A NaN or infinity in an input spreads to the result, which is checked below.
    with np.errstate(invalid="ignore", over="ignore"):
        if X_squared_norms is None:
            X_squared_norms = np.einsum("ij,ij->i", X, X)
        D2 = X @ centers.T
        D2 *= -2.0
        D2 += X_squared_norms[:, None]
        D2 += np.einsum("ij,ij->i", centers, centers)[None, :]
    np.maximum(D2, 0.0, out=D2)
    if not np.isfinite(D2).all():
        # Name the input it came from: a NaN or infinity, or else values whose squares overflow.
        check_array_2d(centers, "centers", min_samples=0)
        check_array_2d(X, "X", min_samples=0)
        raise ValueError("X and centers are too large: their squared distances overflow float64. "
                         "Rescale X (and centers) by a constant, e.g. X / abs(X).max()")
    return D2


class _Nearest(NamedTuple):
    labels: np.ndarray  # (n_samples,) index of the nearest centre
    best: np.ndarray    # (n_samples,) its score: ||c||^2 - 2 x.c (Euclidean) or x.c (cosine)


def _nearest(X, centers, metric):
    """The nearest-centre rule of this module (assignment, predict, Voronoi regions).

    One matrix product in the (n_clusters, n_samples) layout. Euclidean: the smallest
    ``||c||^2 - 2 x.c``, which is ``||x - c||^2`` minus ``||x||^2``, the same for every centre
    (scikit-learn's Lloyd loop leaves it out too). Cosine (X and centers with unit rows): the
    largest ``x.c``. Ties go to the lowest centre index, as with ``np.argmin``.
    """
    if metric == "cosine":
        scores = centers @ X.T
        best = scores.max(axis=0)
    else:
        scores = (-2.0 * centers) @ X.T
        scores += np.einsum("ij,ij->i", centers, centers)[:, None]
        best = scores.min(axis=0)
    return _Nearest(_first_row_where(scores == best), best)


def _first_row_where(mask):
    """For every column of a (n_clusters, n) boolean array, the first row that is True.

    ``np.argmax(mask, axis=0)`` copies the array to transpose it; weighting row k by
    ``n_clusters - k`` and taking the largest weight reads it in place, row by row.
    """
    n_rows = mask.shape[0]
    if n_rows > 255:
        return np.argmax(mask, axis=0)
    weights = np.arange(n_rows, 0, -1, dtype=np.uint8)[:, None]
    return np.subtract(n_rows, (mask.view(np.uint8) * weights).max(axis=0), dtype=np.intp)


def assign(X, centers, metric="euclidean"):
    """Assignment step: the index of the nearest centre of every point.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    centers : ndarray of shape (n_clusters, n_features)
    metric : {'euclidean', 'cosine'}
        'euclidean': smallest squared distance ``||x||^2 - 2 x.c + ||c||^2``, with ``||x||^2``
        left out (the same for every centre, it cannot change which one is nearest).
        'cosine': largest cosine similarity ``x.c / (||x|| ||c||)`` (rows must be non-zero).
        Ties go to the lowest centre index.

    Returns
    -------
    labels : ndarray of shape (n_samples,), int
    """
    _check_metric(metric)
    X = check_array_2d(X)
    centers = _check_centers(centers, X.shape[1])
    if metric == "cosine":
        X, centers = _normalize_rows(X), _normalize_rows(centers, "centers")
    return _nearest(X, centers, metric).labels


def compute_inertia(X, labels, centers, metric="euclidean"):
    """The K-Means objective of a labelling and a set of centres.

    Euclidean: ``sum_i ||x_i - c_label(i)||^2`` (computed from the differences, not the BLAS form,
    so it does not lose digits). Cosine: ``sum_i (1 - cos(x_i, c_label(i)))``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    labels : ndarray of shape (n_samples,), ints in [0, n_clusters)
    centers : ndarray of shape (n_clusters, n_features)
    metric : {'euclidean', 'cosine'}

    Returns
    -------
    inertia : float
    """
    _check_metric(metric)
    X = check_array_2d(X)
    centers = _check_centers(centers, X.shape[1])
    labels = _check_labels(labels, X.shape[0], centers.shape[0])
    if metric == "cosine":
        X, centers = _normalize_rows(X), _normalize_rows(centers, "centers")
    inertia = _exact_inertia(X, labels, centers, metric)
    if not np.isfinite(inertia):
        raise ValueError(f"X and centers are too large: the inertia overflows float64 (largest "
                         f"|X| = {np.abs(X).max():.3g}, |centers| = {np.abs(centers).max():.3g}). "
                         f"Rescale X and centers by a constant, e.g. X / abs(X).max()")
    return inertia


def _exact_inertia(X, labels, centers, metric):
    """The inertia from the differences themselves, block by block (X prepared for metric)."""
    total = 0.0
    for start in range(0, X.shape[0], _INERTIA_BLOCK_ROWS):
        block = X[start:start + _INERTIA_BLOCK_ROWS]
        own = centers[labels[start:start + _INERTIA_BLOCK_ROWS]]
        if metric == "cosine":
            total += block.shape[0] - float(np.einsum("ij,ij->", block, own))
        else:
            diff = block - own
            total += float(np.einsum("ij,ij->", diff, diff))
    return total


def _cluster_sums(X, labels, n_clusters):
    """Per-cluster sums of the rows of X (n_clusters, n_features) and counts (n_clusters,)."""
    n_samples = X.shape[0]
    if n_samples * n_clusters <= _DENSE_SUMS_MAX_ENTRIES:
        indicator = np.zeros((n_clusters, n_samples))
        indicator[labels, np.arange(n_samples)] = 1.0
    else:  # column i of the indicator holds a single 1, in row labels[i]
        indicator = sp.csc_array((np.ones(n_samples), labels, np.arange(n_samples + 1)),
                                 shape=(n_clusters, n_samples))
    return indicator @ X, np.bincount(labels, minlength=n_clusters)


class _Relocation(NamedTuple):
    labels: np.ndarray
    sums: np.ndarray
    counts: np.ndarray
    relocated: tuple


def _relocate_empty_clusters(X, labels, centers_old, sums, counts, metric):
    """scikit-learn's policy: each empty cluster takes one of the points farthest from the
    centre they were just assigned to, farthest first (those points change cluster). Taking
    such a point lowers the objective, and a centre stranded far from every point comes back
    into play. Nothing moves when every point already sits on its centre (duplicates)."""
    empty = np.flatnonzero(counts == 0)
    if metric == "cosine":
        cost = 1.0 - np.einsum("ij,ij->i", X, centers_old[labels])
    else:
        diff = X - centers_old[labels]
        cost = np.einsum("ij,ij->i", diff, diff)
    if cost.max() <= 0:
        return _Relocation(labels, sums, counts, ())
    labels, sums, counts = labels.copy(), sums.copy(), counts.copy()
    farthest = np.argpartition(cost, -empty.size)[:-empty.size - 1:-1]
    for cluster, index in zip(empty, farthest):
        donor = labels[index]
        sums[donor] -= X[index]
        counts[donor] -= 1
        sums[cluster] = X[index]
        counts[cluster] = 1
        labels[index] = cluster
    return _Relocation(labels, sums, counts, tuple(int(k) for k in empty[:farthest.size]))


def _means(sums, counts, centers_old, metric):
    """Each centre at the mean of its points; an empty cluster's centre on the largest cluster's
    centre (scikit-learn's fallback, so it stays a valid point); unit rows for cosine."""
    filled = counts > 0
    centers = sums / np.maximum(counts, 1)[:, None]
    if not np.all(filled):
        centers[~filled] = centers[np.argmax(counts)]
    if metric == "cosine":
        norms = np.linalg.norm(centers, axis=1)
        degenerate = norms == 0  # the points cancel out (e.g. two opposite directions)
        if np.any(degenerate) and centers_old is not None:
            centers[degenerate] = centers_old[degenerate]
            norms[degenerate] = 1.0
        norms[norms == 0] = 1.0
        centers /= norms[:, None]
    return centers


class CenterUpdate(NamedTuple):
    """The result of :func:`update_centers` with ``return_labels=True``."""

    centers: np.ndarray
    """(n_clusters, n_features) the new centres."""
    labels: np.ndarray
    """(n_samples,) the labels after any empty-cluster relocation."""
    relocated: tuple
    """The clusters that were empty and took a point."""


def update_centers(X, labels, n_clusters, centers_old=None, metric="euclidean",
                   return_labels=False):
    """Update step: every centre moves to the mean of the points assigned to it.

    Empty-cluster policy (a centre that got no point): with ``centers_old`` given (the centres
    the labels were computed from), the empty clusters take the points farthest from their
    current centre, one each, farthest first, exactly as scikit-learn does; those points are then
    relabelled to their new cluster (``return_labels=True`` gives the new labels). Without
    ``centers_old``, or when every point already sits on its centre (duplicates), an empty
    cluster's centre is put on the centre of the largest cluster.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    labels : ndarray of shape (n_samples,), ints in [0, n_clusters)
    n_clusters : int, at most max(100 * n_samples, 1000)
    centers_old : ndarray of shape (n_clusters, n_features), optional
    metric : {'euclidean', 'cosine'}
        'cosine': the mean of the unit-length rows, re-scaled to unit length (spherical K-Means).
    return_labels : bool
        Return a :class:`CenterUpdate` (centres, labels after relocation, relocated clusters)
        instead of the centres alone.

    Returns
    -------
    centers : ndarray of shape (n_clusters, n_features), or a :class:`CenterUpdate`
    """
    _check_metric(metric)
    X = check_array_2d(X)
    # More clusters than points is defined (the extra ones are empty), within a bound.
    n_clusters = check_positive_int(n_clusters, "n_clusters", maximum=max(100 * X.shape[0], 1000))
    labels = _check_labels(labels, X.shape[0], n_clusters)
    if centers_old is not None:
        centers_old = _check_centers(centers_old, X.shape[1], "centers_old", n_clusters)
    if metric == "cosine":
        X = _normalize_rows(X)
        if centers_old is not None:
            centers_old = _normalize_rows(centers_old, "centers_old")
    sums, counts = _cluster_sums(X, labels, n_clusters)
    relocated = ()
    if centers_old is not None and np.any(counts == 0):
        labels, sums, counts, relocated = _relocate_empty_clusters(X, labels, centers_old, sums,
                                                                   counts, metric)
    centers = _means(sums, counts, centers_old, metric)
    return CenterUpdate(centers, labels, relocated) if return_labels else centers


# --------------------------------------------------------------------------------------------
# Lloyd's algorithm, one step at a time
# --------------------------------------------------------------------------------------------
class LloydStep(NamedTuple):
    """One step of :func:`lloyd_steps`.

    Centres and inertia are in the coordinates the generator was given (``KMeans.history_``
    holds them in the caller's coordinates).
    """

    step: str
    """'init' (the initial centres), 'assign' or 'update'."""
    iteration: int
    """0 for 'init', then 1, 2, ... (an assignment and its update share one)."""
    centers: np.ndarray
    """(n_clusters, n_features): the centres used by an assignment, or just computed by an
    update."""
    labels: np.ndarray = None
    """(n_samples,): the assignment's labels; for an update, the labels after any empty-cluster
    relocation (the same array when nothing was relocated). None for 'init'."""
    inertia: float = None
    """The objective of these labels and centres (None for 'init'), known without a pass over
    the data: from the assignment's distances, then by the parallel-axis identity."""
    shift: float = None
    """Update only: total squared centre movement ``sum_k ||c_k(new) - c_k(old)||^2``."""
    relocated: tuple = ()
    """Update only: clusters that were empty and took a point (scikit-learn's policy)."""


def _assignment_step(X, centers, iteration, metric, squared_norm_total):
    """Step 2, with the inertia that falls out of the distances: ``sum_i min_k ||x_i - c_k||^2``
    is ``sum_i ||x_i||^2`` plus the smallest ``||c||^2 - 2 x.c`` of each point (cosine: the number
    of points minus the largest ``x.c``)."""
    nearest = _nearest(X, centers, metric)
    if metric == "cosine":
        inertia = X.shape[0] - float(nearest.best.sum())
    else:
        inertia = squared_norm_total + float(nearest.best.sum())
    return LloydStep("assign", iteration, centers, nearest.labels, max(inertia, 0.0))


def _update_step(X, assigned, metric):
    """Step 3, with its inertia. Euclidean, no relocation: the parallel-axis identity,
    ``sum_{i in k} ||x_i - c||^2 = sum_{i in k} ||x_i - m_k||^2 + n_k ||m_k - c||^2``, so moving
    centre k from c to the mean m_k lowers the inertia by exactly ``n_k ||m_k - c||^2``. Cosine:
    ``sum_i (1 - x_i.c_label) = n - sum_k s_k.c_k`` with s_k the sum of cluster k."""
    centers_old, labels = assigned.centers, assigned.labels
    sums, counts = _cluster_sums(X, labels, centers_old.shape[0])
    relocated = ()
    if np.any(counts == 0):
        labels, sums, counts, relocated = _relocate_empty_clusters(X, labels, centers_old, sums,
                                                                   counts, metric)
    centers = _means(sums, counts, centers_old, metric)
    moves = centers - centers_old
    shift = float(np.einsum("ij,ij->", moves, moves))
    if metric == "cosine":
        inertia = X.shape[0] - float(np.einsum("ij,ij->", sums, centers))
    elif relocated:  # points changed cluster: the identity does not apply, sum once
        inertia = _exact_inertia(X, labels, centers, metric)
    else:
        inertia = assigned.inertia - float(np.einsum("k,kj,kj->", counts, moves, moves))
    return LloydStep("update", assigned.iteration, centers, labels, max(inertia, 0.0), shift,
                     relocated)


def lloyd_steps(X, centers, max_iter=300, tol=0.0, metric="euclidean"):
    """Lloyd's K-Means, one step at a time: a generator of :class:`LloydStep`.

    It yields the initial centres, then for each iteration the assignment and the update, and,
    when the run stopped on ``tol`` or ``max_iter``, a last assignment so that the final labels
    fit the final centres (scikit-learn's order and stop tests). The last step yielded is the
    result: its centres, labels and inertia.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        (:class:`KMeans` passes it centred on its mean: the distances are unchanged and the
        products lose fewer digits.)
    centers : ndarray of shape (n_clusters, n_features)
        The initial centres.
    max_iter : int >= 1
    tol : float >= 0
        Stop when the total squared centre shift of an update is at most ``tol`` (in squared
        units of X; :class:`KMeans` scales its own ``tol`` by the mean variance first).
    metric : {'euclidean', 'cosine'}
        'cosine': the rows of X and centers are scaled to unit length first (spherical K-Means).

    Yields
    ------
    step : LloydStep
    """
    X, centers, squared_norm_total = _check_lloyd_input(X, centers, max_iter, tol, metric)
    # 1. the initial centres
    step = LloydStep("init", 0, centers)
    yield step
    labels_old = None
    for iteration in range(1, max_iter + 1):
        # 2. assignment: every point goes to its nearest centre
        assigned = _assignment_step(X, step.centers, iteration, metric, squared_norm_total)
        yield assigned
        # 3. update: every centre moves to the mean of its points
        step = _update_step(X, assigned, metric)
        yield step
        # 4. repeat until no label changed (then nothing can move any more), or until the
        #    centres moved by at most tol in total
        converged = np.array_equal(assigned.labels, labels_old)
        if converged or step.shift <= tol:
            break
        labels_old = assigned.labels
    if not converged or step.relocated:
        # Stopped on tol or max_iter (or an empty cluster just took a point): assign once more,
        # so that the labels fit the final centres.
        yield _assignment_step(X, step.centers, iteration, metric, squared_norm_total)


def _check_lloyd_input(X, centers, max_iter, tol, metric):
    """Checked arrays (unit rows for cosine) and ``sum_i ||x_i||^2``, which the assignment's
    inertia needs."""
    _check_metric(metric)
    X = check_array_2d(X)
    centers = _check_centers(centers, X.shape[1])
    check_positive_int(max_iter, "max_iter")
    _check_tol(tol)
    # Once per run, not per iteration: beyond MAX_ABS the squares of the distances overflow.
    _check_magnitude(X, "X")
    _check_magnitude(centers, "centers")
    if metric == "cosine":
        X, centers = _normalize_rows(X), _normalize_rows(centers, "centers")
        return X, centers, float(X.shape[0])
    return X, centers, float(np.einsum("ij,ij->", X, X))


# --------------------------------------------------------------------------------------------
# Initialisations (seedings)
# --------------------------------------------------------------------------------------------
def init_random(X, n_clusters, random_state=None):
    """K distinct data points drawn uniformly at random (the 'random' initialisation).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    n_clusters : int in [1, n_samples]
    random_state : None, int, numpy Generator or RandomState

    Returns
    -------
    centers : ndarray of shape (n_clusters, n_features), copies of rows of X
    """
    X = check_array_2d(X)
    n_clusters = check_n_clusters(n_clusters, X.shape[0])
    rng = check_random_state(random_state)
    indices = rng.choice(X.shape[0], size=n_clusters, replace=False)
    return X[indices].copy()


class Seeding(NamedTuple):
    """The result of :func:`init_kmeans_plusplus`, :func:`init_farthest_first` and
    :func:`init_by_distance`."""

    centers: np.ndarray
    """(n_clusters, n_features) the chosen rows of X."""
    indices: np.ndarray
    """(n_clusters,) which rows, in the order they were chosen."""


def _check_seeding_input(X, n_clusters, random_state):
    """Checked X, n_clusters and a Generator, and the X to measure distances in.

    Every seeding here depends on ratios of distances only, so it may measure them on X times
    any constant: huge or tiny coordinates (1e300, 1e-300) are multiplied by a power of two,
    which is exact, and their squared distances then neither overflow nor underflow. The picks
    are the same rows; the centres returned are rows of the original X.
    """
    X = check_array_2d(X)
    n_clusters = check_n_clusters(n_clusters, X.shape[0])
    return X, _safe_scale(X), n_clusters, check_random_state(random_state)


def _check_sample_weight(sample_weight, n_samples):
    """Weights of shape (n_samples,), finite, >= 0 and not all 0 (ones when None), times a power
    of two that brings the largest into [0.5, 1): a law proportional to weight * D^2 does not
    change, and the products cannot overflow."""
    if sample_weight is None:
        return np.ones(n_samples)
    weights = np.asarray(sample_weight)
    if weights.dtype.kind not in "iuf":
        raise TypeError(f"sample_weight must hold real numbers, got dtype {weights.dtype} "
                        f"({sample_weight!r:.60})")
    weights = weights.astype(float)
    if weights.shape != (n_samples,):
        raise ValueError(f"sample_weight must have shape ({n_samples},), one weight per row of X, "
                         f"got shape {weights.shape}")
    bad = np.flatnonzero(~np.isfinite(weights) | (weights < 0))
    if bad.size:
        raise ValueError(f"sample_weight must be finite and >= 0, got "
                         f"sample_weight[{bad[0]}]={weights[bad[0]].item()!r}")
    peak = weights.max()
    if not peak > 0:
        raise ValueError("sample_weight must have a positive entry, got all zeros")
    return np.ldexp(weights, -np.frexp(peak)[1])


def _d2_to_probabilities(d2, weights):
    """``weight * D^2`` scaled to sum 1, or None when it is 0 everywhere."""
    mass = d2 * weights
    total = mass.sum()
    return mass / total if total > 0 else None


def d2_probabilities(X, centers, sample_weight=None):
    """K-Means++'s sampling probabilities: ``D(x)^2 / sum D^2``.

    ``D(x)`` is the distance from x to its *nearest* centre in ``centers`` (not to all of them),
    and the probability grows with its *square* (not linearly). If every point sits on a centre
    (all D = 0, e.g. duplicates), there is nothing to prefer and the probabilities are uniform
    (in proportion to the weights).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    centers : ndarray of shape (n_chosen, n_features)
    sample_weight : ndarray of shape (n_samples,), optional
        Weighted K-Means++ (used on K-Means||'s candidates): probability ∝ weight * D^2.
        Finite, >= 0 and not all 0.

    Returns
    -------
    probabilities : ndarray of shape (n_samples,), sums to 1
    """
    X = check_array_2d(X)
    centers = _check_centers(centers, X.shape[1])
    weights = _check_sample_weight(sample_weight, X.shape[0])
    # Huge or tiny coordinates: scaled by a power of two first (exact), so D^2 cannot overflow.
    points = _safe_scale(np.vstack([X, centers]))
    d2 = squared_distances(points[:len(X)], points[len(X):]).min(axis=1)
    p = _d2_to_probabilities(d2, weights)
    return weights / weights.sum() if p is None else p


def _check_local_trials(n_local_trials, n_clusters):
    """n_local_trials as an int: 'auto' is scikit-learn's choice, ``2 + int(ln K)``."""
    if isinstance(n_local_trials, str) and n_local_trials == "auto":
        return 2 + int(np.log(n_clusters))
    if isinstance(n_local_trials, str):
        raise ValueError(f"n_local_trials must be a positive int or 'auto', "
                         f"got n_local_trials={n_local_trials!r}")
    return check_positive_int(n_local_trials, "n_local_trials")


class PlusPlusPick(NamedTuple):
    """One pick of :func:`kmeans_plusplus_picks`."""

    index: int
    """The row of X chosen as the next centre."""
    probabilities: np.ndarray
    """(n_samples,) the law it was drawn from: uniform for the first pick, then
    ``D(x)^2 / sum D^2``."""
    candidates: np.ndarray
    """(n_local_trials,) the rows drawn from that law (with replacement); the pick is the one
    that leaves the smallest sum of D^2. Plain K-Means++ draws one: the pick itself."""


def kmeans_plusplus_picks(X, n_clusters, random_state=None, sample_weight=None, n_local_trials=1):
    """K-Means++ (Arthur and Vassilvitskii 2007), one pick at a time: a generator of
    :class:`PlusPlusPick`.

    Far points are likely picks, but the single farthest point (often an outlier) is not forced.
    With ``n_local_trials=1`` this is the plain algorithm, one draw per centre. With more, it is
    the "greedy" variant of the same paper, which scikit-learn's ``kmeans_plusplus`` runs (with
    ``2 + int(ln K)`` trials): each step draws that many candidates from the same law and keeps
    the one that lowers ``sum D^2`` most. If every point already sits on a chosen centre (more
    clusters than distinct points), the next pick is uniform among the points not chosen yet, so
    the K picks stay distinct.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    n_clusters : int in [1, n_samples]
    random_state : None, int, numpy Generator or RandomState
    sample_weight : ndarray of shape (n_samples,), optional
        Weighted K-Means++ (K-Means|| runs it on its candidates): probability ∝ weight * D^2.
    n_local_trials : int >= 1 or 'auto'
        Candidates drawn per pick after the first: 1 is plain K-Means++; 'auto' is
        scikit-learn's greedy choice, ``2 + int(ln K)``.

    Yields
    ------
    pick : PlusPlusPick
    """
    X, X_work, n_clusters, rng = _check_seeding_input(X, n_clusters, random_state)
    weights = _check_sample_weight(sample_weight, X.shape[0])
    n_local_trials = _check_local_trials(n_local_trials, n_clusters)
    n_samples, squared_norms = X.shape[0], np.einsum("ij,ij->i", X_work, X_work)
    # 1. the first centre: a data point drawn uniformly (or in proportion to its weight)
    p = weights / weights.sum()
    chosen = [int(rng.choice(n_samples, p=p))]
    yield PlusPlusPick(chosen[0], p, np.array(chosen))
    # D(x)^2, the squared distance from every point to its nearest chosen centre: one pass
    closest_d2 = squared_distances(X_work, X_work[chosen], squared_norms).ravel()
    for _ in range(1, n_clusters):
        # 2. the next centre: a data point drawn with probability D(x)^2 / sum D^2
        #    (the greedy variant draws n_local_trials candidates from this law)
        p = _d2_to_probabilities(closest_d2, weights)
        if p is None:  # every point sits on a chosen centre
            p = np.ones(n_samples)
            p[chosen] = 0.0
            p /= p.sum()
        candidates = rng.choice(n_samples, size=n_local_trials, p=p)
        # 3. D(x) shrinks where a new centre is nearer: one more pass over the data per
        #    candidate; the greedy variant keeps the candidate that leaves the smallest sum D^2
        trial_d2 = np.minimum(squared_distances(X_work[candidates], X_work,
                                                squared_norms[candidates]), closest_d2)
        best = int(np.argmin(trial_d2 @ weights))
        chosen.append(int(candidates[best]))
        closest_d2 = trial_d2[best]
        yield PlusPlusPick(chosen[-1], p, candidates)


def init_kmeans_plusplus(X, n_clusters, random_state=None, n_local_trials=1):
    """K-Means++ initial centres: every pick of :func:`kmeans_plusplus_picks`.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    n_clusters : int in [1, n_samples]
    random_state : None, int, numpy Generator or RandomState
    n_local_trials : int >= 1 or 'auto'
        1 (the default): plain K-Means++. 'auto': the greedy variant with scikit-learn's
        ``2 + int(ln K)`` candidates per pick, which draws its centres from the same law as
        ``sklearn.cluster.kmeans_plusplus`` (the tests check it with a two-sample test).

    Returns
    -------
    Seeding
        ``centers`` (n_clusters, n_features) and ``indices`` (n_clusters,).
    """
    picks = kmeans_plusplus_picks(X, n_clusters, random_state, n_local_trials=n_local_trials)
    indices = np.array([pick.index for pick in picks], dtype=np.int64)
    return Seeding(check_array_2d(X)[indices].copy(), indices)


def _check_power(power):
    if (isinstance(power, (bool, np.bool_)) or not isinstance(power, numbers.Real)
            or not power >= 0):
        raise ValueError(f"power must be a number >= 0 (or inf), got power={power!r}")
    return float(power)


def init_by_distance(X, n_clusters, power=1.0, distance_to="nearest", random_state=None):
    """Seeding by distance: the first centre uniformly at random, then each next one drawn with
    probability proportional to ``D(x) ** power``.

    The family around K-Means++, for comparing the rule with its misreadings: ``power=2`` with
    ``distance_to='nearest'`` is K-Means++'s law (:func:`init_kmeans_plusplus` draws the same
    way); ``power=1`` is a "linear" probability, as the slides write it; ``power=inf`` always
    takes the point with the largest D (:func:`init_farthest_first`). A point already chosen is
    never chosen again; if every other point has D = 0, the next is uniform among them.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    n_clusters : int in [1, n_samples]
    power : float >= 0, or inf
        0 draws uniformly among the points not chosen; inf takes the largest D (ties to the
        lowest index).
    distance_to : {'nearest', 'all'}
        D(x) is the distance from x to its nearest chosen centre ('nearest', as K-Means++), or
        the sum of its distances to all the chosen centres ('all': the slides' "x 到所有已有聚类中心"
        read literally).
    random_state : None, int, numpy Generator or RandomState

    Returns
    -------
    Seeding
        ``centers`` (n_clusters, n_features) and ``indices`` (n_clusters,).
    """
    X, X_work, n_clusters, rng = _check_seeding_input(X, n_clusters, random_state)
    power = _check_power(power)
    if distance_to not in ("nearest", "all"):
        raise ValueError(f"distance_to must be 'nearest' or 'all', got distance_to={distance_to!r}")
    n_samples = X.shape[0]
    chosen = [int(rng.integers(n_samples))]
    distance = np.sqrt(squared_distances(X_work, X_work[chosen]).ravel())
    for _ in range(1, n_clusters):
        # D scaled to at most 1 before the power, so D ** power cannot overflow
        score = distance / distance.max() if distance.max() > 0 else np.ones(n_samples)
        score = score ** power if np.isfinite(power) else score
        score[chosen] = 0.0
        if score.max() == 0:  # every point not chosen has D = 0 (duplicates)
            score = np.ones(n_samples)
            score[chosen] = 0.0
        if np.isfinite(power):
            chosen.append(int(rng.choice(n_samples, p=score / score.sum())))
        else:
            chosen.append(int(np.argmax(score)))
        new = np.sqrt(squared_distances(X_work, X_work[chosen[-1:]]).ravel())
        distance = np.minimum(distance, new) if distance_to == "nearest" else distance + new
    indices = np.array(chosen, dtype=np.int64)
    return Seeding(X[indices].copy(), indices)


def init_farthest_first(X, n_clusters, random_state=None):
    """Farthest-first traversal (Gonzalez 1985): the first centre uniformly at random, then each
    next one the point farthest from its nearest chosen centre.

    Deterministic after the first pick, and a 2-approximation for the K-center problem (the
    largest distance to a centre), but it takes every far outlier, since an outlier is by
    definition far from everything: the reason K-Means++ *draws* in proportion to D^2 instead of
    taking the farthest point. :func:`init_by_distance` with ``power=inf``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    n_clusters : int in [1, n_samples]
    random_state : None, int, numpy Generator or RandomState
        Draws the first centre.

    Returns
    -------
    Seeding
        ``centers`` (n_clusters, n_features) and ``indices`` (n_clusters,).
    """
    return init_by_distance(X, n_clusters, power=np.inf, random_state=random_state)


class ParallelSeeding(NamedTuple):
    """The result of :func:`init_kmeans_parallel`: the centres, and every round's candidates."""

    centers: np.ndarray
    """(n_clusters, n_features) the K centres kept."""
    candidates: np.ndarray
    """(n_candidates, n_features) the oversampled points (rows of X)."""
    candidate_indices: np.ndarray
    """(n_candidates,) which rows of X."""
    rounds: np.ndarray
    """(n_candidates,) the round that sampled each candidate: 0 for the first uniform draw,
    ``n_rounds + 1`` for points added because too few distinct candidates were found."""
    weights: np.ndarray
    """(n_candidates,) how many points each candidate stands for (at least 1e-12)."""
    chosen: np.ndarray
    """(n_clusters,) positions in ``candidates`` of the K centres, in the order drawn."""
    n_passes: int
    """Passes over X: the first D^2, one per round, one for the weights."""


def init_kmeans_parallel(X, n_clusters, oversampling_factor=2.0, n_rounds=5, random_state=None):
    """K-Means|| (Bahmani et al. 2012): a few rounds of oversampling, then weighted K-Means++.

    Each round is one pass over the data in which every point decides independently, so a round
    parallelises perfectly; K-Means++ needs K passes, one after another. If fewer than K
    distinct candidates were found (tiny data, many duplicates), the missing ones are drawn
    uniformly from the points not yet candidates.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    n_clusters : int in [1, n_samples]
    oversampling_factor : float > 0
        l / K, the expected number of candidates per round divided by K.
    n_rounds : int >= 1
    random_state : None, int, numpy Generator or RandomState

    Returns
    -------
    ParallelSeeding
    """
    X, X_work, n_clusters, l, n_rounds, rng = _check_parallel_input(
        X, n_clusters, oversampling_factor, n_rounds, random_state)
    n_samples, squared_norms = X.shape[0], np.einsum("ij,ij->i", X_work, X_work)
    # 1. one centre drawn uniformly: C = {it}, and D(x)^2 to it (one pass over the data)
    candidates, rounds = [int(rng.integers(n_samples))], [0]  # rows of X in C, round of each
    closest_d2 = squared_distances(X_work, X_work[candidates], squared_norms).ravel()
    n_passes = 1
    for r in range(1, n_rounds + 1):
        if closest_d2.sum() == 0:  # every point is in C, or a copy of a point in C
            break
        # 2. keep every point not in C independently with probability min(1, l D(x)^2 / sum D^2),
        #    about l new candidates, and bring D(x)^2 up to date (one pass over the data)
        keep = rng.random(n_samples) < l * closest_d2 / closest_d2.sum()
        keep[candidates] = False
        new = np.flatnonzero(keep)
        candidates += new.tolist()
        rounds += [r] * new.size
        np.minimum(closest_d2, squared_distances(X_work, X_work[new], squared_norms).min(
            axis=1, initial=np.inf), out=closest_d2)
        n_passes += 1
    candidates, rounds = _add_distinct_candidates(X, candidates, rounds, n_clusters, n_rounds, rng)
    # 3. weight every candidate by the number of points nearest to it (one more pass); a copy
    #    of an earlier candidate gets a tiny weight, so K distinct rows stay reachable
    nearest = np.argmin(squared_distances(X_work, X_work[candidates], squared_norms), axis=1)
    weights = np.maximum(np.bincount(nearest, minlength=candidates.size), 1e-12)
    n_passes += 1
    # 4. weighted K-Means++ on the candidates keeps K of them
    chosen = np.array([pick.index for pick in kmeans_plusplus_picks(
        X_work[candidates], n_clusters, rng, sample_weight=weights)], dtype=np.int64)
    return ParallelSeeding(X[candidates[chosen]], X[candidates], candidates, rounds, weights,
                           chosen, n_passes)


def _check_parallel_input(X, n_clusters, oversampling_factor, n_rounds, random_state):
    """Checked X (and the X to measure distances in, see :func:`_check_seeding_input`),
    n_clusters, l = oversampling_factor * n_clusters, n_rounds and a Generator."""
    X, X_work, n_clusters, rng = _check_seeding_input(X, n_clusters, random_state)
    if (isinstance(oversampling_factor, (bool, np.bool_))
            or not isinstance(oversampling_factor, numbers.Real)
            or not 0 < oversampling_factor < np.inf):
        raise ValueError(f"oversampling_factor must be a finite number > 0, "
                         f"got oversampling_factor={oversampling_factor!r}")
    n_rounds = check_positive_int(n_rounds, "n_rounds")
    return X, X_work, n_clusters, float(oversampling_factor) * n_clusters, n_rounds, rng


def _add_distinct_candidates(X, candidates, rounds, n_clusters, n_rounds, rng):
    """Candidate rows and their rounds as arrays. With fewer than K distinct candidate rows
    (tiny data, duplicates), points not yet candidates are added, drawn uniformly, with round
    ``n_rounds + 1``: K distinct rows can then be chosen whenever X has K distinct rows."""
    candidates = np.array(candidates, dtype=np.int64)
    rounds = np.array(rounds, dtype=np.int64)
    n_distinct = np.unique(X[candidates], axis=0).shape[0]
    if n_distinct >= n_clusters:
        return candidates, rounds
    others = np.setdiff1d(np.arange(X.shape[0]), candidates)
    extra = rng.choice(others, size=min(others.size, n_clusters - n_distinct), replace=False)
    return (np.concatenate([candidates, extra]),
            np.concatenate([rounds, np.full(extra.size, n_rounds + 1)]))


# --------------------------------------------------------------------------------------------
# The estimator
# --------------------------------------------------------------------------------------------
def _tolerance(X, tol):
    """scikit-learn's scaling: ``tol`` times the mean per-feature variance of X."""
    if tol == 0:
        return 0.0
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = float(np.mean(np.var(X, axis=0)) * tol)
    if not np.isfinite(scaled):
        raise ValueError(f"X is too large for K-Means in float64: its variance overflows (largest "
                         f"|X| = {np.abs(X).max():.3g}). Rescale X by a constant, e.g. X / abs(X).max()")
    return scaled


class _Run(NamedTuple):
    last: LloydStep    # the final step: centres, labels
    inertia: float     # exact inertia of the final labels and centres
    init_centers: np.ndarray
    history: list      # the steps kept for the replay


def _run_lloyd(X, centers, max_iter, tol, metric, keep):
    """Run :func:`lloyd_steps` to the end, keeping what ``history_`` needs.

    keep : 'full' (every step), 'centers' (every step without its labels) or 'none' (the
    initial centres only). X is prepared (unit rows for cosine). The final inertia is summed
    exactly (one pass, as scikit-learn does).
    """
    history = []
    for step in lloyd_steps(X, centers, max_iter, tol, metric):
        if step.step == "init":
            init_centers = step.centers
        if keep == "full" or step.step == "init":
            history.append(step)
        elif keep == "centers":
            history.append(step._replace(labels=None))
    inertia = _exact_inertia(X, step.labels, step.centers, metric)
    if keep != "none":
        history[-1] = history[-1]._replace(inertia=inertia)
    return _Run(step, inertia, init_centers, history)


class _KMeansParams(NamedTuple):
    n_clusters: int
    init: object
    n_init: int
    max_iter: int
    tol: float
    keep: str


# TransformerMixin (before BaseEstimator, as scikit-learn's KMeans): transform() gives distances.
class KMeans(ClusterMixin, TransformerMixin, BaseEstimator):
    """K-Means (Lloyd's algorithm) from scratch, in scikit-learn's style.

    ``fit`` runs :func:`lloyd_steps` ``n_init`` times and keeps the run with the lowest inertia.

    Parameters
    ----------
    n_clusters : int, default=8
        K, in [1, n_samples].
    init : {'k-means++', 'random', 'k-means||'} or ndarray of shape (n_clusters, n_features)
        How to pick the initial centres (see :func:`init_kmeans_plusplus`, :func:`init_random`,
        :func:`init_kmeans_parallel`), or the centres themselves.
    n_init : int or 'auto', default=1
        Number of runs from different initial centres; the run with the lowest inertia is kept.
        'auto' means 1 for 'k-means++', 'k-means||' or an array, 10 for 'random'
        (scikit-learn's rule). With an array ``init`` every run would be identical, so one is run.
    max_iter : int, default=300
        Maximum number of assignment + update iterations per run.
    tol : float >= 0, default=1e-4
        Stop when the total squared centre shift ``sum_k ||c_k^new - c_k^old||^2`` is at most
        ``tol * mean(var(X, axis=0))`` (scikit-learn's scaling). Independently of tol, a run stops
        as soon as an assignment leaves every label unchanged.
    metric : {'euclidean', 'cosine'}, default='euclidean'
        'cosine' is spherical K-Means (unit-length rows, largest cosine similarity, unit centres).
    random_state : None, int, numpy Generator or RandomState
    history : {'auto', 'full', 'centers', 'none'}, default='auto'
        What ``history_`` keeps: 'full' every step with its labels, 'centers' every step without
        labels (recomputable with :func:`assign`), 'auto' is 'full' up to 50 000 samples and
        'centers' above, 'none' only the initial centres. Recording costs no pass over the data
        (every step knows its inertia), so the choice is about memory, not time.

    Attributes
    ----------
    cluster_centers_ : ndarray of shape (n_clusters, n_features)
        Unit length for metric='cosine'.
    labels_ : ndarray of shape (n_samples,)
    inertia_ : float
        Sum of squared distances to the assigned centres (cosine: ``sum (1 - cos)``), summed
        exactly from the differences.
    n_iter_ : int
        Iterations of the kept run.
    history_ : list of LloydStep
        The kept run, step by step, in X's coordinates (see :class:`LloydStep`): entry 0 is the
        initial centres ('init'); then each iteration's 'assign' and 'update'; a final 'assign'
        when the run stopped on tol or max_iter. The last entry's centres and labels are
        ``cluster_centers_`` and ``labels_``, and its inertia is ``inertia_``; the inertia never
        increases along the entries.
    init_centers_ : ndarray of shape (n_clusters, n_features)
        The initial centres of the kept run (unit rows for metric='cosine').
    all_inertias_ : ndarray of shape (n_runs,)
        Final inertia of every run.
    n_features_in_ : int
    """

    def __init__(self, n_clusters=8, init="k-means++", n_init=1, max_iter=300, tol=1e-4,
                 metric="euclidean", random_state=None, history="auto"):
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.metric = metric
        self.random_state = random_state
        self.history = history

    def _check_params(self, X):
        n_samples, n_features = X.shape
        n_clusters = check_n_clusters(self.n_clusters, n_samples)
        _check_metric(self.metric)
        init = _check_init(self.init, n_features, n_clusters)
        if isinstance(self.n_init, str):
            if self.n_init != "auto":
                raise ValueError(f"n_init must be a positive int or 'auto', got n_init={self.n_init!r}")
            n_init = 10 if (isinstance(init, str) and init == "random") else 1
        else:
            n_init = check_positive_int(self.n_init, "n_init")
        if not isinstance(init, str):
            n_init = 1  # the same centres would give the same run every time
        max_iter = check_positive_int(self.max_iter, "max_iter")
        tol = _check_tol(self.tol)
        if self.history not in HISTORIES:
            raise ValueError(f"history must be one of {HISTORIES}, got history={self.history!r}")
        keep = self.history
        if keep == "auto":
            keep = "full" if n_samples <= _HISTORY_LABELS_MAX_SAMPLES else "centers"
        return _KMeansParams(n_clusters, init, n_init, max_iter, tol, keep)

    def fit(self, X, y=None):
        """Run K-Means ``n_init`` times on X and keep the run with the lowest inertia.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), finite
        y : ignored

        Returns
        -------
        self
        """
        X = check_array_2d(X)
        params = self._check_params(X)
        rng = check_random_state(self.random_state)
        with threads.for_problem_size(X.size):
            if self.metric == "cosine":
                offset = np.zeros(X.shape[1])
                X_work = _normalize_rows(X)
            else:
                # Centre the data, as scikit-learn does: distances are unchanged, but the BLAS
                # form ||x||^2 - 2x.c + ||c||^2 loses fewer digits when the numbers are near 0.
                offset = X.mean(axis=0)
                X_work = X - offset
            tol = _tolerance(X_work, params.tol)
            best, inertias = None, []
            for _ in range(params.n_init):
                centers = _initial_centers(X, params.n_clusters, params.init, rng) - offset
                run = _run_lloyd(X_work, centers, params.max_iter, tol, self.metric, params.keep)
                inertias.append(run.inertia)
                if best is None or run.inertia < best.inertia:
                    best = run
        self.cluster_centers_ = best.last.centers + offset
        self.labels_ = best.last.labels.astype(np.int64, copy=False)
        self.inertia_ = float(best.inertia)
        self.n_iter_ = int(best.last.iteration)
        self.history_ = [step._replace(centers=step.centers + offset) for step in best.history]
        self.init_centers_ = best.init_centers + offset
        self.all_inertias_ = np.array(inertias)
        self.n_features_in_ = X.shape[1]
        return self

    def _check_fitted_X(self, X):
        if not hasattr(self, "cluster_centers_"):
            raise NotFittedError("This KMeans is not fitted yet: call fit(X) first.")
        X = check_array_2d(X)
        check_n_features(X, self.n_features_in_, "KMeans")
        return X

    def predict(self, X):
        """Index of the nearest learned centre for every row of X, shape (n_samples,)."""
        X = self._check_fitted_X(X)
        with threads.for_problem_size(X.size):
            return assign(X, self.cluster_centers_, self.metric)

    def fit_predict(self, X, y=None):
        """Fit and return ``labels_``."""
        return self.fit(X).labels_

    def transform(self, X):
        """Distances to every centre, shape (n_samples, n_clusters) (Euclidean, not squared; or
        ``1 - cos`` for metric='cosine')."""
        X = self._check_fitted_X(X)
        with threads.for_problem_size(X.size):
            if self.metric == "cosine":
                return 1.0 - _normalize_rows(X) @ self.cluster_centers_.T
            return np.sqrt(squared_distances(X, self.cluster_centers_))

    def score(self, X, y=None):
        """Minus the inertia of X with its predicted labels (higher is better, as in sklearn)."""
        X = self._check_fitted_X(X)
        return -compute_inertia(X, self.predict(X), self.cluster_centers_, self.metric)


# --------------------------------------------------------------------------------------------
# Mini-batch
# --------------------------------------------------------------------------------------------
class MiniBatchUpdate(NamedTuple):
    """The result of :func:`minibatch_step`."""

    centers: np.ndarray
    """(n_clusters, n_features) the centres after the step (a new array)."""
    counts: np.ndarray
    """(n_clusters,) points absorbed so far by each centre, this batch included."""
    labels: np.ndarray
    """(batch_size,) the batch's assignment."""


def minibatch_step(X_batch, centers, counts):
    """One mini-batch update (Sculley 2010, in its batch form, as scikit-learn applies it).

    Each point of the batch is assigned to its nearest centre; centre k, which has absorbed
    ``counts[k]`` points so far and gets ``b_k`` batch points with mean ``m_k``, becomes
    ``(counts[k] * c_k + b_k * m_k) / (counts[k] + b_k)``: a step toward ``m_k`` of size
    ``b_k / (counts[k] + b_k)``, the per-centre learning rate that shrinks as the centre
    matures. Centres with no batch point do not move.

    Parameters
    ----------
    X_batch : ndarray of shape (batch_size, n_features)
    centers : ndarray of shape (n_clusters, n_features)
    counts : ndarray of shape (n_clusters,)
        Points absorbed so far by each centre (start with zeros).

    Returns
    -------
    MiniBatchUpdate
        ``centers``, ``counts`` (new arrays) and the batch's ``labels``.
    """
    X_batch = check_array_2d(X_batch, name="X_batch")
    centers = _check_centers(centers, X_batch.shape[1])
    counts = as_real_array(counts, "counts")
    if counts.shape != (centers.shape[0],) or np.any(counts < 0) or not np.all(np.isfinite(counts)):
        raise ValueError(f"counts must be {centers.shape[0]} finite non-negative numbers, "
                         f"got {counts!r}")
    labels = assign(X_batch, centers)
    sums, batch_counts = _cluster_sums(X_batch, labels, centers.shape[0])
    new_counts = counts + batch_counts
    moved = batch_counts > 0
    centers = centers.copy()
    centers[moved] = (centers[moved] * counts[moved, None] + sums[moved]) / new_counts[moved, None]
    return MiniBatchUpdate(centers, new_counts, labels)


class MiniBatchKMeans(ClusterMixin, BaseEstimator):
    """Mini-Batch K-Means from scratch: ``max_steps`` updates from random batches.

    Each step draws ``batch_size`` points without replacement and applies
    :func:`minibatch_step`. Unlike scikit-learn's ``MiniBatchKMeans`` there is no early stopping
    and no random reassignment of rarely used centres: the plain algorithm.

    Parameters
    ----------
    n_clusters : int, default=8
    batch_size : int, default=256 (capped at n_samples)
    max_steps : int, default=100
    init : {'k-means++', 'random', 'k-means||'} or ndarray of shape (n_clusters, n_features)
    random_state : None, int, numpy Generator or RandomState

    Attributes
    ----------
    cluster_centers_ : ndarray of shape (n_clusters, n_features)
    labels_ : ndarray of shape (n_samples,)
        Nearest centre of every point of X at the end.
    inertia_ : float
        Sum of squared distances of X to its nearest centres at the end.
    counts_ : ndarray of shape (n_clusters,)
        Points absorbed per centre.
    n_steps_ : int
    centers_history_ : ndarray of shape (n_steps + 1, n_clusters, n_features)
        Initial centres, then the centres after each step.
    n_features_in_ : int
    """

    def __init__(self, n_clusters=8, batch_size=256, max_steps=100, init="k-means++",
                 random_state=None):
        self.n_clusters = n_clusters
        self.batch_size = batch_size
        self.max_steps = max_steps
        self.init = init
        self.random_state = random_state

    def fit(self, X, y=None):
        """Run the mini-batch updates on X; returns self."""
        X = check_array_2d(X)
        _check_magnitude(X, "X")      # beyond MAX_ABS the squared distances overflow
        n_samples = X.shape[0]
        n_clusters = check_n_clusters(self.n_clusters, n_samples)
        batch_size = min(check_positive_int(self.batch_size, "batch_size"), n_samples)
        max_steps = check_positive_int(self.max_steps, "max_steps")
        init = _check_init(self.init, X.shape[1], n_clusters)
        rng = check_random_state(self.random_state)
        with threads.for_problem_size(X.size):
            centers = _initial_centers(X, n_clusters, init, rng)
            counts = np.zeros(n_clusters)
            history = [centers]
            for _ in range(max_steps):
                batch = rng.choice(n_samples, size=batch_size, replace=False)
                update = minibatch_step(X[batch], centers, counts)
                centers, counts = update.centers, update.counts
                history.append(centers)
            labels = assign(X, centers)
            inertia = _exact_inertia(X, labels, centers, "euclidean")
        self.cluster_centers_ = centers
        self.counts_ = counts
        self.labels_ = labels.astype(np.int64, copy=False)
        self.inertia_ = inertia
        self.n_steps_ = max_steps
        self.centers_history_ = np.array(history)
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X):
        """Index of the nearest learned centre for every row of X, shape (n_samples,)."""
        if not hasattr(self, "cluster_centers_"):
            raise NotFittedError("This MiniBatchKMeans is not fitted yet: call fit(X) first.")
        X = check_array_2d(X)
        check_n_features(X, self.n_features_in_, "MiniBatchKMeans")
        with threads.for_problem_size(X.size):
            return assign(X, self.cluster_centers_)
