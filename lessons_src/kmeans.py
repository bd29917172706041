"""K-Means written from scratch for teaching, and checked against scikit-learn.

The algorithm (Lloyd's iteration) in four steps:

1. pick K initial centres (``init_random``, ``init_kmeans_plusplus``, ``init_kmeans_parallel``,
   or your own points);
2. assign every point to its nearest centre (``assign``);
3. move every centre to the mean of its points (``update_centers``);
4. repeat 2-3 until a stop rule holds: ``max_iter`` iterations, no label changed, or the total
   squared centre shift is at most ``tol`` (scaled like scikit-learn, see :class:`KMeans`).

:class:`KMeans` runs these steps and records each one in ``history_`` so a slider can replay the
run exactly. With the same initial centres, ``metric='euclidean'`` and ``tol=0`` it gives the same
labels and inertia as ``sklearn.cluster.KMeans(init=centres, n_init=1, tol=0, algorithm='lloyd')``
(the tests check this on several data sets): it follows scikit-learn's iteration order, its
convergence tests, its empty-cluster relocation and its final assignment step.

``metric='cosine'`` is *spherical K-Means*: every row of X is scaled to unit length, a point goes
to the centre with the largest cosine similarity, and each centre is the mean of its (unit) points
re-scaled to unit length. Its ``inertia_`` is ``sum_i (1 - cos(x_i, c_label(i)))``, the quantity
those two steps decrease. Only the direction of a point matters; a zero row has no direction and
is rejected.

:class:`MiniBatchKMeans` and :func:`minibatch_step` implement Sculley's (2010) mini-batch update
(each centre moves toward the mean of its points in the batch with step ``batch_count / total
count``), the update scikit-learn's ``MiniBatchKMeans`` uses.
"""
import functools
import numbers

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClusterMixin, TransformerMixin

from .validation import (NotFittedError, check_array_2d, check_n_clusters, check_n_features,
                         check_positive_int, check_random_state)

__all__ = [
    "METRICS",
    "INITS",
    "squared_distances",
    "assign",
    "compute_inertia",
    "update_centers",
    "init_random",
    "d2_probabilities",
    "init_kmeans_plusplus",
    "init_kmeans_parallel",
    "minibatch_step",
    "KMeans",
    "MiniBatchKMeans",
]

METRICS = ("euclidean", "cosine")
"""The distances :class:`KMeans` understands."""

INITS = ("random", "k-means++", "k-means||")
"""The named initialisations (an (n_clusters, n_features) array is also accepted)."""

# Below this many samples ``history_`` keeps the labels of every step ('auto' policy); above it
# only centres, inertia and shifts are kept (labels can be recomputed with ``assign``).
_HISTORY_LABELS_MAX_SAMPLES = 50_000


_THREADPOOL_CONTROLLER = None


_MULTITHREAD_MIN_SIZE = 500_000
"""Inputs with at least this many entries run with the machine's BLAS threads."""


def _single_blas_thread(function):
    """Run ``function`` with BLAS limited to one thread.

    The products here are small (thousands x tens): threads cost more than they save, and on a
    shared machine OpenBLAS's spinning threads can make one product 50x slower. scikit-learn's
    KMeans does the same.
    """
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        global _THREADPOOL_CONTROLLER
        if any(isinstance(a, np.ndarray) and a.size >= _MULTITHREAD_MIN_SIZE for a in args):
            # Large data (e.g. 20 000 x 50): the products are big enough for threads to pay.
            return function(*args, **kwargs)
        if _THREADPOOL_CONTROLLER is None:
            from threadpoolctl import ThreadpoolController

            _THREADPOOL_CONTROLLER = ThreadpoolController()
        with _THREADPOOL_CONTROLLER.limit(limits=1, user_api="blas"):
            return function(*args, **kwargs)

    return wrapper


# --------------------------------------------------------------------------------------------
# Argument checks
# --------------------------------------------------------------------------------------------
def _check_metric(metric):
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {METRICS}, got metric={metric!r}")
    return metric


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
    X = np.asarray(X, dtype=float)
    centers = np.asarray(centers, dtype=float)
    # Light checks only (this runs inside every loop): shapes here, NaN/inf from the result.
    for name, array in (("X", X), ("centers", centers)):
        if array.ndim != 2:
            raise ValueError(f"{name} must be 2-D (n, n_features), got shape {array.shape}")
    if X.shape[1] != centers.shape[1]:
        raise ValueError(f"X and centers must have the same number of features, got X "
                         f"{X.shape} and centers {centers.shape}")
    if X_squared_norms is None:
        X_squared_norms = np.einsum("ij,ij->i", X, X)
    D2 = X @ centers.T
    D2 *= -2.0
    D2 += X_squared_norms[:, None]
    D2 += np.einsum("ij,ij->i", centers, centers)[None, :]
    np.maximum(D2, 0.0, out=D2)
    if not np.isfinite(D2).all():
        # A NaN or infinity in an input spreads to the result: name the input it came from.
        check_array_2d(centers, "centers", min_samples=0)
        check_array_2d(X, "X", min_samples=0)
    return D2


@_single_blas_thread
def assign(X, centers, metric="euclidean"):
    """Assignment step: the index of the nearest centre of every point.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    centers : ndarray of shape (n_clusters, n_features)
    metric : {'euclidean', 'cosine'}
        'euclidean': smallest squared distance (BLAS form, see :func:`squared_distances`).
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
        similarity = _normalize_rows(X) @ _normalize_rows(centers, "centers").T
        return np.argmax(similarity, axis=1)
    return np.argmin(squared_distances(X, centers), axis=1)


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
        Xn, Cn = _normalize_rows(X), _normalize_rows(centers, "centers")
        return float(np.sum(1.0 - np.einsum("ij,ij->i", Xn, Cn[labels])))
    return _euclidean_inertia(X, labels, centers)


def _euclidean_inertia(X, labels, centers):
    diff = X - centers[labels]
    return float(np.einsum("ij,ij->", diff, diff))


def _cluster_sums(X, labels, n_clusters):
    """Per-cluster sums of the rows of X and per-cluster counts, via one indicator product."""
    n_samples = X.shape[0]
    if n_samples * n_clusters <= 2_000_000:
        # Small problems: a dense 0/1 indicator and one BLAS product (building a sparse
        # matrix costs more than the product here).
        indicator = np.zeros((n_clusters, n_samples))
        indicator[labels, np.arange(n_samples)] = 1.0
        sums = indicator @ X
    else:
        indicator = sp.csr_matrix((np.ones(n_samples), (labels, np.arange(n_samples))),
                                  shape=(n_clusters, n_samples))
        sums = np.asarray(indicator @ X)
    counts = np.bincount(labels, minlength=n_clusters).astype(float)
    return sums, counts


def _update(X, labels, n_clusters, centers_old, metric):
    """The update step; returns (centers, labels after relocation, relocated cluster indices).

    X is already row-normalised when metric == 'cosine'.
    """
    sums, counts = _cluster_sums(X, labels, n_clusters)
    labels = labels.copy()
    relocated = []
    empty = np.flatnonzero(counts == 0)
    if empty.size and centers_old is not None:
        # scikit-learn's policy: each empty cluster takes one of the points farthest from the
        # centre they were just assigned to, farthest first. Taking such a point lowers the
        # objective, and a centre stranded far from every point comes back into play.
        if metric == "cosine":
            cost = 1.0 - np.einsum("ij,ij->i", X, centers_old[labels])
        else:
            diff = X - centers_old[labels]
            cost = np.einsum("ij,ij->i", diff, diff)
        n_empty = empty.size
        if cost.max() > 0:  # all points already on their centre (duplicates): nothing to gain
            farthest = np.argpartition(cost, -n_empty)[:-n_empty - 1:-1]
            for cluster, index in zip(empty, farthest):
                donor = labels[index]
                sums[donor] -= X[index]
                counts[donor] -= 1
                sums[cluster] = X[index]
                counts[cluster] = 1
                labels[index] = cluster
                relocated.append(int(cluster))
    filled = counts > 0
    centers = np.empty_like(sums)
    centers[filled] = sums[filled] / counts[filled, None]
    if not np.all(filled):
        # Still empty (no old centres given, or every point sits on its centre): put the centre
        # on the largest cluster's centre, as scikit-learn does, so it stays a valid point.
        centers[~filled] = centers[np.argmax(counts)]
    if metric == "cosine":
        norms = np.linalg.norm(centers, axis=1)
        degenerate = norms == 0  # the points cancel out (e.g. two opposite directions)
        if np.any(degenerate) and centers_old is not None:
            centers[degenerate] = centers_old[degenerate]
            norms[degenerate] = 1.0
        norms[norms == 0] = 1.0
        centers /= norms[:, None]
    return centers, labels, relocated


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
    n_clusters : int
    centers_old : ndarray of shape (n_clusters, n_features), optional
    metric : {'euclidean', 'cosine'}
        'cosine': the mean of the unit-length rows, re-scaled to unit length (spherical K-Means).
    return_labels : bool
        Also return the labels after relocation.

    Returns
    -------
    centers : ndarray of shape (n_clusters, n_features)
    labels : ndarray of shape (n_samples,), only with ``return_labels=True``
    """
    _check_metric(metric)
    X = check_array_2d(X)
    n_clusters = check_positive_int(n_clusters, "n_clusters")
    labels = _check_labels(labels, X.shape[0], n_clusters)
    if centers_old is not None:
        centers_old = _check_centers(centers_old, X.shape[1], "centers_old", n_clusters)
    if metric == "cosine":
        X = _normalize_rows(X)
        if centers_old is not None:
            centers_old = _normalize_rows(centers_old, "centers_old")
    centers, new_labels, _ = _update(X, labels, n_clusters, centers_old, metric)
    return (centers, new_labels) if return_labels else centers


# --------------------------------------------------------------------------------------------
# Initialisations
# --------------------------------------------------------------------------------------------
def init_random(X, n_clusters, random_state=None):
    """K distinct data points drawn uniformly at random (the 'random' initialisation).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    n_clusters : int in [1, n_samples]
    random_state : None, int or numpy Generator

    Returns
    -------
    centers : ndarray of shape (n_clusters, n_features), copies of rows of X
    """
    X = check_array_2d(X)
    n_clusters = check_n_clusters(n_clusters, X.shape[0])
    rng = check_random_state(random_state)
    indices = rng.choice(X.shape[0], size=n_clusters, replace=False)
    return X[indices].copy()


@_single_blas_thread
def d2_probabilities(X, centers, sample_weight=None):
    """K-Means++'s sampling probabilities: ``D(x)^2 / sum D^2``.

    ``D(x)`` is the distance from x to its nearest centre in ``centers``. If every point sits
    on a centre (all D = 0, e.g. duplicates), there is nothing to prefer and the probabilities
    are uniform.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    centers : ndarray of shape (n_chosen, n_features)
    sample_weight : ndarray of shape (n_samples,), optional
        Weighted K-Means++ (used on K-Means||'s candidates): probability ∝ weight * D^2.

    Returns
    -------
    probabilities : ndarray of shape (n_samples,), sums to 1
    """
    X = check_array_2d(X)
    centers = _check_centers(centers, X.shape[1])
    d2 = squared_distances(X, centers).min(axis=1)
    return _d2_to_probabilities(d2, sample_weight)


def _d2_to_probabilities(d2, sample_weight=None):
    mass = d2 if sample_weight is None else d2 * sample_weight
    total = mass.sum()
    if total > 0:
        return mass / total
    if sample_weight is not None and sample_weight.sum() > 0:
        return sample_weight / sample_weight.sum()
    return np.full(d2.shape, 1.0 / d2.size)


def _kmeans_plusplus(X, n_clusters, rng, sample_weight=None):
    """D^2 sampling; returns (indices, list of the probability vector used for each pick)."""
    n_samples = X.shape[0]
    squared_norms = np.einsum("ij,ij->i", X, X)
    first_p = (np.full(n_samples, 1.0 / n_samples) if sample_weight is None
               else sample_weight / sample_weight.sum())
    indices = [int(rng.choice(n_samples, p=first_p))]
    probabilities = [first_p]
    closest_d2 = squared_distances(X, X[indices], squared_norms).ravel()
    for _ in range(1, n_clusters):
        p = _d2_to_probabilities(closest_d2, sample_weight)
        if closest_d2.max() == 0:
            # Every point sits on a chosen centre (more clusters than distinct points): draw
            # uniformly among the points not chosen yet so the K indices stay distinct.
            p = np.ones(n_samples)
            p[indices] = 0.0
            p /= p.sum()
        index = int(rng.choice(n_samples, p=p))
        indices.append(index)
        probabilities.append(p)
        # One pass over the data per new centre: update each point's nearest distance.
        new_d2 = squared_distances(X[index:index + 1], X, None).ravel()
        np.minimum(closest_d2, new_d2, out=closest_d2)
    return np.array(indices, dtype=np.int64), probabilities


@_single_blas_thread
def init_kmeans_plusplus(X, n_clusters, random_state=None, return_probabilities=False):
    """K-Means++ (Arthur and Vassilvitskii 2007): D^2 sampling of the initial centres.

    The first centre is a data point drawn uniformly; each next one is a data point drawn with
    probability ``D(x)^2 / sum D^2``, D(x) being the distance to the nearest centre chosen so
    far. Far points are likely, but the single farthest point (often an outlier) is not forced.
    This is the plain algorithm, one draw per centre; scikit-learn's ``kmeans_plusplus`` is the
    "greedy" variant that draws ``2 + log(K)`` candidates and keeps the best.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    n_clusters : int in [1, n_samples]
    random_state : None, int or numpy Generator
    return_probabilities : bool
        Also return the probability vector each pick was drawn from (for drawing them).

    Returns
    -------
    centers : ndarray of shape (n_clusters, n_features)
    indices : ndarray of shape (n_clusters,), the rows of X chosen, in order
    probabilities : list of n_clusters ndarrays of shape (n_samples,), only with
        ``return_probabilities=True``; ``probabilities[j]`` is the distribution pick j was
        drawn from (uniform for j = 0).
    """
    X = check_array_2d(X)
    n_clusters = check_n_clusters(n_clusters, X.shape[0])
    rng = check_random_state(random_state)
    indices, probabilities = _kmeans_plusplus(X, n_clusters, rng)
    centers = X[indices].copy()
    if return_probabilities:
        return centers, indices, probabilities
    return centers, indices


@_single_blas_thread
def init_kmeans_parallel(X, n_clusters, oversampling_factor=2.0, n_rounds=5, random_state=None,
                         return_details=False):
    """K-Means|| (Bahmani et al. 2012): a few rounds of oversampling, then weighted K-Means++.

    1. Draw one centre uniformly; ``C = {it}``.
    2. For each of ``n_rounds`` rounds, keep every point independently with probability
       ``min(1, l * D(x)^2 / sum D^2)``, with ``l = oversampling_factor * n_clusters`` (so about
       l candidates a round), and add them to C. Each round is one pass over the data.
    3. Weight every candidate by the number of points nearest to it (one more pass).
    4. Run weighted K-Means++ on the (few) candidates to keep K of them.

    If fewer than K distinct candidates were found (tiny data, many duplicates), the missing
    ones are drawn uniformly from the points not yet candidates.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    n_clusters : int in [1, n_samples]
    oversampling_factor : float > 0
        l / K, the expected number of candidates per round divided by K.
    n_rounds : int >= 1
    random_state : None, int or numpy Generator
    return_details : bool
        Also return a dict with 'candidate_indices' (rows of X), 'round' (round of each
        candidate, 0 for the first uniform draw), 'weights', 'chosen' (positions in the
        candidates of the K centres) and 'n_passes' (passes over X).

    Returns
    -------
    centers : ndarray of shape (n_clusters, n_features)
    candidates : ndarray of shape (n_candidates, n_features), the oversampled points
    details : dict, only with ``return_details=True``
    """
    X = check_array_2d(X)
    n_samples = X.shape[0]
    n_clusters = check_n_clusters(n_clusters, n_samples)
    if (isinstance(oversampling_factor, (bool, np.bool_))
            or not isinstance(oversampling_factor, numbers.Real) or not oversampling_factor > 0):
        raise ValueError(f"oversampling_factor must be a number > 0, "
                         f"got oversampling_factor={oversampling_factor!r}")
    n_rounds = check_positive_int(n_rounds, "n_rounds")
    rng = check_random_state(random_state)
    l = float(oversampling_factor) * n_clusters
    squared_norms = np.einsum("ij,ij->i", X, X)

    first = int(rng.integers(n_samples))
    is_candidate = np.zeros(n_samples, dtype=bool)
    is_candidate[first] = True
    candidate_indices = [first]
    rounds = [0]
    closest_d2 = squared_distances(X, X[[first]], squared_norms).ravel()
    n_passes = 1
    for r in range(1, n_rounds + 1):
        total = closest_d2.sum()
        if total == 0:  # every point is already a candidate or a duplicate of one
            break
        keep = rng.random(n_samples) < l * closest_d2 / total
        keep &= ~is_candidate
        new = np.flatnonzero(keep)
        n_passes += 1
        if new.size == 0:
            continue
        is_candidate[new] = True
        candidate_indices.extend(new.tolist())
        rounds.extend([r] * new.size)
        np.minimum(closest_d2, squared_distances(X, X[new], squared_norms).min(axis=1),
                   out=closest_d2)

    candidate_indices = np.array(candidate_indices, dtype=np.int64)
    rounds = np.array(rounds, dtype=np.int64)
    n_distinct = np.unique(X[candidate_indices], axis=0).shape[0]
    if n_distinct < n_clusters:
        # Too few: add points not yet candidates, uniformly, so K distinct rows can be chosen
        # whenever X has K distinct rows.
        others = np.flatnonzero(~is_candidate)
        extra = rng.choice(others, size=min(others.size, n_clusters - n_distinct), replace=False)
        candidate_indices = np.concatenate([candidate_indices, extra])
        rounds = np.concatenate([rounds, np.full(extra.size, n_rounds + 1)])
    candidates = X[candidate_indices].copy()
    # Weight of a candidate = how many points it stands for (one more pass).
    nearest = np.argmin(squared_distances(X, candidates, squared_norms), axis=1)
    weights = np.bincount(nearest, minlength=candidates.shape[0]).astype(float)
    n_passes += 1
    # Candidates that are exact duplicates of another one get weight 0 (argmin picks the first
    # copy); give every candidate at least a tiny weight so K distinct rows stay reachable.
    weights = np.maximum(weights, 1e-12)
    chosen, _ = _kmeans_plusplus(candidates, n_clusters, rng, sample_weight=weights)
    centers = candidates[chosen].copy()
    if return_details:
        details = {"candidate_indices": candidate_indices, "round": rounds, "weights": weights,
                   "chosen": chosen, "n_passes": n_passes}
        return centers, candidates, details
    return centers, candidates


# --------------------------------------------------------------------------------------------
# The estimator
# --------------------------------------------------------------------------------------------
def _tolerance(X, tol):
    """scikit-learn's scaling: ``tol`` times the mean per-feature variance of X."""
    if tol == 0:
        return 0.0
    return float(np.mean(np.var(X, axis=0)) * tol)


def _lloyd(X, centers, max_iter, tol, metric, keep_labels):
    """One run of Lloyd's iteration in scikit-learn's order.

    X and centers are already prepared (centred for Euclidean, unit rows for cosine). Returns
    labels, centres, inertia, n_iter and the history (centres in the prepared space).
    """
    n_samples, n_clusters = X.shape[0], centers.shape[0]

    def nearest(centers):
        if metric == "cosine":
            return np.argmax(X @ centers.T, axis=1)
        # argmin_k ||x - c_k||^2 = argmin_k (||c_k||^2 - 2 x.c_k): ||x||^2 is the same for every
        # k, so it is left out here, as in scikit-learn's Lloyd loop (one product, one add).
        scores = X @ centers.T
        scores *= -2.0
        scores += np.einsum("ij,ij->i", centers, centers)[None, :]
        return np.argmin(scores, axis=1)

    def objective(labels, centers):
        if metric == "cosine":
            return float(np.sum(1.0 - np.einsum("ij,ij->i", X, centers[labels])))
        return _euclidean_inertia(X, labels, centers)

    record_steps = keep_labels is not None  # history='none': no per-step objective at all

    def record(step, iteration, centers, labels, inertia, shift=None, relocated=()):
        history.append({"step": step, "iteration": iteration, "centers": centers.copy(),
                        "labels": None if labels is None or not keep_labels
                        else labels.astype(np.int32),
                        "inertia": inertia, "shift": shift, "relocated": list(relocated)})

    history = []
    record("init", 0, centers, None, None)
    labels_old = np.full(n_samples, -1, dtype=np.int64)
    strict_convergence = False
    labels = labels_old
    for iteration in range(1, max_iter + 1):
        # 2. assignment step
        labels = nearest(centers)
        if record_steps:
            record("assign", iteration, centers, labels, objective(labels, centers))
        # 3. update step (with scikit-learn's empty-cluster relocation)
        new_centers, labels_after, relocated = _update(X, labels, n_clusters, centers, metric)
        diff = new_centers - centers
        shift = float(np.einsum("ij,ij->", diff, diff))  # total squared centre movement
        if record_steps:
            record("update", iteration, new_centers, labels_after,
                   objective(labels_after, new_centers), shift, relocated)
        centers = new_centers
        # 4. stop rules, in scikit-learn's order: unchanged labels, then the shift
        if np.array_equal(labels, labels_old):
            strict_convergence = True
            break
        if shift <= tol:
            break
        labels_old = labels
    n_iter = iteration
    if not strict_convergence:
        # Stopped on tol or max_iter: assign once more so the labels match the final centres.
        labels = nearest(centers)
        if record_steps:
            record("assign", n_iter, centers, labels, objective(labels, centers))
    elif record_steps and history[-1]["labels"] is not None and not np.array_equal(history[-1]["labels"], labels):
        # A relocation in the very last update (rare): end the replay on the returned labels.
        record("assign", n_iter, centers, labels, objective(labels, centers))
    return labels, centers, objective(labels, centers), n_iter, history


# TransformerMixin (before BaseEstimator, as scikit-learn's KMeans): transform() gives distances.
class KMeans(ClusterMixin, TransformerMixin, BaseEstimator):
    """K-Means (Lloyd's algorithm) from scratch, in scikit-learn's style.

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
    random_state : None, int or numpy Generator
    history : {'auto', 'full', 'centers', 'none'}, default='auto'
        What ``history_`` keeps: 'full' stores the labels of every step, 'centers' only centres,
        inertia and shifts (labels then recomputable with :func:`assign`), 'auto' is 'full' up
        to 50 000 samples. 'none' records nothing but the initial centres and skips the exact
        objective of every step (two passes over X per iteration): the fastest plain Lloyd,
        for large data.

    Attributes
    ----------
    cluster_centers_ : ndarray of shape (n_clusters, n_features)
        Unit length for metric='cosine'.
    labels_ : ndarray of shape (n_samples,)
    inertia_ : float
        Sum of squared distances to the assigned centres (cosine: ``sum (1 - cos)``).
    n_iter_ : int
        Iterations of the kept run.
    history_ : list of dict
        The kept run, step by step. Entry 0 is ``step='init'`` (initial centres); then for each
        iteration an ``'assign'`` entry (centres used, new labels, inertia) and an ``'update'``
        entry (new centres, labels after any empty-cluster relocation, inertia, ``shift`` = total
        squared centre movement, ``relocated`` clusters); a final ``'assign'`` when the run
        stopped on tol or max_iter. Keys: step, iteration, centers, labels, inertia, shift,
        relocated. The last entry's centres and labels are ``cluster_centers_`` and ``labels_``,
        and its inertia is ``inertia_``; the inertia never increases along the entries.
    init_centers_ : ndarray of shape (n_clusters, n_features)
        The initial centres of the kept run.
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

    # -- checks ------------------------------------------------------------------------------
    def _check_params(self, X):
        n_samples, n_features = X.shape
        n_clusters = check_n_clusters(self.n_clusters, n_samples)
        _check_metric(self.metric)
        if isinstance(self.init, str):
            if self.init not in INITS:
                raise ValueError(f"init must be one of {INITS} or an array of shape "
                                 f"(n_clusters, n_features), got init={self.init!r}")
            init = self.init
        else:
            init = _check_centers(self.init, n_features, "init", n_clusters)
        if isinstance(self.n_init, str):
            if self.n_init != "auto":
                raise ValueError(f"n_init must be a positive int or 'auto', got n_init={self.n_init!r}")
            n_init = 10 if (isinstance(init, str) and init == "random") else 1
        else:
            n_init = check_positive_int(self.n_init, "n_init")
        if not isinstance(init, str):
            n_init = 1  # the same centres would give the same run every time
        max_iter = check_positive_int(self.max_iter, "max_iter")
        if (isinstance(self.tol, (bool, np.bool_)) or not isinstance(self.tol, numbers.Real)
                or not np.isfinite(self.tol) or self.tol < 0):
            raise ValueError(f"tol must be a finite number >= 0, got tol={self.tol!r}")
        if self.history not in ("auto", "full", "centers", "none"):
            raise ValueError(f"history must be 'auto', 'full', 'centers' or 'none', "
                             f"got history={self.history!r}")
        keep_labels = self.history == "full" or (self.history == "auto"
                                                  and n_samples <= _HISTORY_LABELS_MAX_SAMPLES)
        if self.history == "none":
            keep_labels = None  # _lloyd records no steps
        return n_clusters, init, n_init, max_iter, float(self.tol), keep_labels

    def _initial_centers(self, X, n_clusters, init, rng):
        if not isinstance(init, str):
            return init.copy()
        if init == "random":
            return init_random(X, n_clusters, rng)
        if init == "k-means++":
            return init_kmeans_plusplus(X, n_clusters, rng)[0]
        return init_kmeans_parallel(X, n_clusters, random_state=rng)[0]

    # -- fitting -----------------------------------------------------------------------------
    @_single_blas_thread
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
        n_clusters, init, n_init, max_iter, tol, keep_labels = self._check_params(X)
        rng = check_random_state(self.random_state)
        if self.metric == "cosine":
            X_work = _normalize_rows(X)
            offset = np.zeros(X.shape[1])
        else:
            # Centre the data, as scikit-learn does: distances are unchanged, but the BLAS form
            # ||x||^2 - 2x.c + ||c||^2 loses fewer digits when the numbers are near 0.
            offset = X.mean(axis=0)
            X_work = X - offset
        tol = _tolerance(X_work, tol)

        best = None
        inertias = []
        for _ in range(n_init):
            centers0 = self._initial_centers(X, n_clusters, init, rng)
            if self.metric == "cosine":
                centers0 = _normalize_rows(centers0, "init")
            else:
                centers0 = centers0 - offset
            run = _lloyd(X_work, centers0, max_iter, tol, self.metric, keep_labels)
            inertias.append(run[2])
            if best is None or run[2] < best[0][2]:
                best = (run, centers0)
        (labels, centers, inertia, n_iter, history), centers0 = best
        for entry in history:  # back to the caller's coordinates
            entry["centers"] = entry["centers"] + offset
        self.cluster_centers_ = centers + offset
        self.labels_ = labels.astype(np.int64)
        self.inertia_ = float(inertia)
        self.n_iter_ = int(n_iter)
        self.history_ = history
        self.init_centers_ = centers0 + offset
        self.all_inertias_ = np.array(inertias)
        self.n_features_in_ = X.shape[1]
        return self

    def _check_fitted_X(self, X):
        if not hasattr(self, "cluster_centers_"):
            raise NotFittedError("This KMeans is not fitted yet: call fit(X) first.")
        X = check_array_2d(X)
        check_n_features(X, self.n_features_in_, "KMeans")
        return X

    @_single_blas_thread
    def predict(self, X):
        """Index of the nearest learned centre for every row of X, shape (n_samples,)."""
        X = self._check_fitted_X(X)
        return assign(X, self.cluster_centers_, self.metric)

    def fit_predict(self, X, y=None):
        """Fit and return ``labels_``."""
        return self.fit(X).labels_

    def transform(self, X):
        """Distances to every centre, shape (n_samples, n_clusters) (Euclidean, not squared; or
        ``1 - cos`` for metric='cosine')."""
        X = self._check_fitted_X(X)
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
@_single_blas_thread
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
    centers : ndarray of shape (n_clusters, n_features), new array
    counts : ndarray of shape (n_clusters,), new array
    labels : ndarray of shape (batch_size,), the batch's assignment
    """
    X_batch = check_array_2d(X_batch, name="X_batch")
    centers = _check_centers(centers, X_batch.shape[1])
    counts = np.asarray(counts, dtype=float)
    if counts.shape != (centers.shape[0],) or np.any(counts < 0) or not np.all(np.isfinite(counts)):
        raise ValueError(f"counts must be {centers.shape[0]} finite non-negative numbers, "
                         f"got {counts!r}")
    labels = np.argmin(squared_distances(X_batch, centers), axis=1)
    sums, batch_counts = _cluster_sums(X_batch, labels, centers.shape[0])
    new_counts = counts + batch_counts
    moved = batch_counts > 0
    centers = centers.copy()
    centers[moved] = (centers[moved] * counts[moved, None] + sums[moved]) / new_counts[moved, None]
    return centers, new_counts, labels


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
    random_state : None, int or numpy Generator

    Attributes
    ----------
    cluster_centers_, labels_ (nearest centre of every point of X at the end), inertia_,
    counts_ (points absorbed per centre), n_steps_, centers_history_ (ndarray of shape
    (n_steps + 1, n_clusters, n_features): initial centres then after each step),
    n_features_in_.
    """

    def __init__(self, n_clusters=8, batch_size=256, max_steps=100, init="k-means++",
                 random_state=None):
        self.n_clusters = n_clusters
        self.batch_size = batch_size
        self.max_steps = max_steps
        self.init = init
        self.random_state = random_state

    @_single_blas_thread
    def fit(self, X, y=None):
        """Run the mini-batch updates on X; returns self."""
        X = check_array_2d(X)
        n_samples = X.shape[0]
        n_clusters = check_n_clusters(self.n_clusters, n_samples)
        batch_size = min(check_positive_int(self.batch_size, "batch_size"), n_samples)
        max_steps = check_positive_int(self.max_steps, "max_steps")
        rng = check_random_state(self.random_state)
        helper = KMeans(n_clusters=n_clusters, init=self.init)
        init = helper._check_params(X)[1]
        centers = helper._initial_centers(X, n_clusters, init, rng)
        counts = np.zeros(n_clusters)
        history = [centers.copy()]
        for _ in range(max_steps):
            batch = rng.choice(n_samples, size=batch_size, replace=False)
            centers, counts, _ = minibatch_step(X[batch], centers, counts)
            history.append(centers)
        self.cluster_centers_ = centers
        self.counts_ = counts
        self.labels_ = np.argmin(squared_distances(X, centers), axis=1)
        self.inertia_ = _euclidean_inertia(X, self.labels_, centers)
        self.n_steps_ = max_steps
        self.centers_history_ = np.array(history)
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X):
        """Index of the nearest learned centre for every row of X."""
        if not hasattr(self, "cluster_centers_"):
            raise RuntimeError("This MiniBatchKMeans is not fitted yet: call fit(X) first.")
        X = check_array_2d(X)
        return np.argmin(squared_distances(X, self.cluster_centers_), axis=1)
