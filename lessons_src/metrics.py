"""Scoring a clustering: Rand index, adjusted Rand index, silhouette, accuracy and NMI.

Two families (topic 6 of the course):

* **External scores** compare a clustering ``labels_pred`` with known classes ``labels_true``
  by counting *pairs* of samples. Everything follows from the contingency table
  ``n_ij`` (samples of class i put in cluster j), its row sums ``a_i`` and column sums ``b_j``:

  - pair index ``sum_ij C(n_ij, 2)`` (pairs together in both labelings);
  - its expectation over random labelings with the same marginals (Hubert and Arabie 1985)
    ``E = [sum_i C(a_i, 2)] * [sum_j C(b_j, 2)] / C(n, 2)`` -- a **product**; the slides print
    a sum and call it E(RI), which is wrong;
  - its maximum ``M = (sum_i C(a_i, 2) + sum_j C(b_j, 2)) / 2``;
  - ``ARI = (index - E) / (M - E)``; ``RI = (a + b) / C(n, 2)``.

  These run in O(n log n + r*c) time (one ``np.unique`` per labeling, one ``bincount``) and are
  exact at any n: the pair sums are Python integers, so nothing overflows at n = 10**6 or more.
  :func:`rand_index_naive` loops over all C(n, 2) pairs, only to verify the fast versions.

* **Internal score**: the silhouette ``s(i) = (b(i) - a(i)) / max(a(i), b(i))``, computed from
  distances only (:func:`silhouette_from_distances`, the slide's definition), in blocks of rows
  so memory stays bounded (:func:`silhouette_samples`).

Every function equals its scikit-learn counterpart (``rand_score``, ``adjusted_rand_score``,
``pair_confusion_matrix``, ``silhouette_samples``, ``silhouette_score``), special cases
included; ``tests/test_metrics.py`` checks it.
"""
from typing import NamedTuple

import numpy as np

from .validation import check_array_2d, check_positive_int, check_random_state

__all__ = [
    "contingency_table",
    "PairCounts",
    "pair_counts",
    "rand_index",
    "rand_index_naive",
    "pair_index",
    "expected_pair_index",
    "max_pair_index",
    "adjusted_rand_index",
    "silhouette_from_distances",
    "silhouette_samples",
    "silhouette_score",
    "clustering_accuracy",
    "match_clusters",
    "normalized_mutual_info",
]


# --------------------------------------------------------------------------------------------
# Label checks and the contingency table
# --------------------------------------------------------------------------------------------

def _check_labels(labels, name):
    """Return ``labels`` as a 1-D array, or raise a ValueError naming the argument."""
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one label per sample), got shape {labels.shape}")
    if labels.size == 0:
        raise ValueError(f"{name} is empty: at least one sample is needed")
    return labels


def _check_label_pair(labels_true, labels_pred):
    labels_true = _check_labels(labels_true, "labels_true")
    labels_pred = _check_labels(labels_pred, "labels_pred")
    if labels_true.shape[0] != labels_pred.shape[0]:
        raise ValueError(
            "labels_true and labels_pred must have the same length, got "
            f"len(labels_true)={labels_true.shape[0]} and len(labels_pred)={labels_pred.shape[0]}"
        )
    return labels_true, labels_pred


def _encode(labels):
    """Distinct values (sorted) and each sample's index into them: labels of any type
    (strings, arbitrary integers) become 0..k-1."""
    classes, codes = np.unique(labels, return_inverse=True)
    return classes, codes.ravel()


def contingency_table(labels_true, labels_pred):
    """Count how many samples of each true class fall in each cluster.

    Parameters
    ----------
    labels_true : array-like of shape (n_samples,)
        Class of each sample (any hashable, sortable values: ints, strings...).
    labels_pred : array-like of shape (n_samples,)
        Cluster of each sample.

    Returns
    -------
    table : ndarray of shape (n_classes, n_clusters), dtype int64
        ``table[i, j]`` = number of samples of class ``classes[i]`` in cluster ``clusters[j]``,
        rows and columns in sorted label order (as ``sklearn.metrics.cluster.contingency_matrix``).
        Row sums are the class sizes ``a_i``, column sums the cluster sizes ``b_j``.
    """
    labels_true, labels_pred = _check_label_pair(labels_true, labels_pred)
    classes, rows = _encode(labels_true)
    clusters, cols = _encode(labels_pred)
    n_rows, n_cols = len(classes), len(clusters)
    # One bincount over the flattened (row, column) index: O(n + r*c), no Python loop.
    flat = np.bincount(rows * n_cols + cols, minlength=n_rows * n_cols)
    return flat.reshape(n_rows, n_cols).astype(np.int64)


def _comb2_sum(counts):
    """sum_k C(counts_k, 2) as an exact Python int (int64 per term is safe up to n ~ 4e9)."""
    counts = np.asarray(counts, dtype=np.int64)
    return int(np.sum(counts * (counts - 1) // 2))


class _PairSums(NamedTuple):
    """The numbers every pair score is made of, as exact Python ints."""

    n_samples: int
    pair_index: int     # sum_ij C(n_ij, 2): pairs together in both labelings
    same_class: int     # A = sum_i C(a_i, 2): pairs together in labels_true
    same_cluster: int   # B = sum_j C(b_j, 2): pairs together in labels_pred

    @property
    def n_pairs(self):
        """N = C(n, 2), every unordered pair of samples."""
        return self.n_samples * (self.n_samples - 1) // 2


def _pair_sums(labels_true, labels_pred):
    """The numbers every pair score is made of (a :class:`_PairSums`), from the contingency
    table's cells, row sums and column sums."""
    labels_true, labels_pred = _check_label_pair(labels_true, labels_pred)
    classes, rows = _encode(labels_true)
    clusters, cols = _encode(labels_pred)
    n_rows, n_cols = len(classes), len(clusters)
    n = int(labels_true.shape[0])
    flat = rows.astype(np.int64) * n_cols + cols
    if n_rows * n_cols <= 4 * n + 1_000_000:
        cells = np.bincount(flat, minlength=n_rows * n_cols)
    else:
        # A huge, almost empty table (e.g. n = 10**6 singletons): count only its non-zero cells.
        _, cells = np.unique(flat, return_counts=True)
    sum_a = _comb2_sum(np.bincount(rows, minlength=n_rows))
    sum_b = _comb2_sum(np.bincount(cols, minlength=n_cols))
    return _PairSums(n_samples=n, pair_index=_comb2_sum(cells), same_class=sum_a,
                     same_cluster=sum_b)


# --------------------------------------------------------------------------------------------
# Pair counting and the (adjusted) Rand index
# --------------------------------------------------------------------------------------------

class PairCounts(NamedTuple):
    """How the C(n, 2) unordered pairs of samples split between two labelings.

    Attributes
    ----------
    a : int
        Pairs in the same class and the same cluster (agreement; sklearn's true positives).
    b : int
        Pairs in different classes and different clusters (agreement; true negatives).
    c : int
        Pairs in the same class but different clusters (disagreement: a class was split;
        sklearn's false negatives).
    d : int
        Pairs in different classes but the same cluster (disagreement: classes were merged;
        sklearn's false positives).

    ``a + b + c + d == C(n, 2)``. scikit-learn's ``pair_confusion_matrix`` counts *ordered*
    pairs, so it equals ``2 * [[b, d], [c, a]]``: rows = together in ``labels_true``?
    (no, yes), columns = together in ``labels_pred``? (no, yes). See :meth:`confusion_matrix`.
    """

    a: int
    b: int
    c: int
    d: int

    def confusion_matrix(self):
        """The same counts as ``sklearn.metrics.cluster.pair_confusion_matrix``: ordered pairs,
        ``[[2b, 2d], [2c, 2a]]``, int64 array of shape (2, 2)."""
        return 2 * np.array([[self.b, self.d], [self.c, self.a]], dtype=np.int64)


def pair_counts(labels_true, labels_pred):
    """Count agreeing and disagreeing pairs of samples from the contingency table.

    Parameters
    ----------
    labels_true, labels_pred : array-like of shape (n_samples,)

    Returns
    -------
    PairCounts
        Named tuple ``(a, b, c, d)`` of Python ints; see :class:`PairCounts` for the meaning
        and for the link with scikit-learn's ``pair_confusion_matrix``.

    Notes
    -----
    With index = sum_ij C(n_ij, 2), sum_a = sum_i C(a_i, 2), sum_b = sum_j C(b_j, 2):
    ``a = index``, ``c = sum_a - index``, ``d = sum_b - index``, ``b = C(n, 2) - a - c - d``.
    """
    sums = _pair_sums(labels_true, labels_pred)
    index = sums.pair_index
    split = sums.same_class - index
    merged = sums.same_cluster - index
    return PairCounts(a=index, b=sums.n_pairs - index - split - merged, c=split, d=merged)


def rand_index(labels_true, labels_pred):
    """Rand index: the fraction of pairs on which the two labelings agree, (a + b) / C(n, 2).

    Parameters
    ----------
    labels_true, labels_pred : array-like of shape (n_samples,)

    Returns
    -------
    float in [0, 1]
        1.0 when n = 1 (no pair to disagree on), as ``sklearn.metrics.rand_score``.
    """
    counts = pair_counts(labels_true, labels_pred)
    n_pairs = counts.a + counts.b + counts.c + counts.d
    if n_pairs == 0 or counts.c + counts.d == 0:
        return 1.0
    return (counts.a + counts.b) / n_pairs  # Python ints: the division is correctly rounded


def rand_index_naive(labels_true, labels_pred):
    """Rand index by looping over every pair: O(n^2), for checking :func:`rand_index` only.

    Parameters
    ----------
    labels_true, labels_pred : array-like of shape (n_samples,)

    Returns
    -------
    float in [0, 1]
    """
    labels_true, labels_pred = _check_label_pair(labels_true, labels_pred)
    labels_true, labels_pred = labels_true.tolist(), labels_pred.tolist()
    n = len(labels_true)
    agree = 0
    for i in range(n):
        for j in range(i + 1, n):
            same_class = labels_true[i] == labels_true[j]
            same_cluster = labels_pred[i] == labels_pred[j]
            agree += same_class == same_cluster  # a pair counts in a (both True) or b (both False)
    n_pairs = n * (n - 1) // 2
    return 1.0 if n_pairs == 0 else agree / n_pairs


def pair_index(labels_true, labels_pred):
    """The pair index sum_ij C(n_ij, 2): pairs placed together by both labelings (= ``a``).

    Returns
    -------
    int
    """
    return _pair_sums(labels_true, labels_pred).pair_index


def expected_pair_index(labels_true, labels_pred):
    """Expectation of :func:`pair_index` when ``labels_pred`` is permuted at random.

    Under the permutation model (class sizes ``a_i`` and cluster sizes ``b_j`` fixed), a pair
    together in the classes is together in the clusters with probability sum_j C(b_j, 2) / C(n, 2),
    so ``E = [sum_i C(a_i, 2)] * [sum_j C(b_j, 2)] / C(n, 2)`` -- a **product** of the two sums
    (the slides print their sum, which is wrong).

    Returns
    -------
    float
        0.0 when n = 1 (no pairs).
    """
    sums = _pair_sums(labels_true, labels_pred)
    if sums.n_pairs == 0:
        return 0.0
    return sums.same_class * sums.same_cluster / sums.n_pairs


def max_pair_index(labels_true, labels_pred):
    """The maximum used by ARI: (sum_i C(a_i, 2) + sum_j C(b_j, 2)) / 2.

    An upper bound of the pair index (it cannot exceed either sum), reached when the two
    labelings are the same partition.

    Returns
    -------
    float
    """
    sums = _pair_sums(labels_true, labels_pred)
    return (sums.same_class + sums.same_cluster) / 2


def adjusted_rand_index(labels_true, labels_pred):
    """Adjusted Rand index (Hubert and Arabie 1985): (index - E) / (M - E).

    1 for identical partitions, about 0 for random labelings, negative when the agreement is
    worse than chance.

    Parameters
    ----------
    labels_true, labels_pred : array-like of shape (n_samples,)

    Returns
    -------
    float in [-1, 1]
        1.0 when the two labelings are the same partition, including the degenerate cases
        (n = 1, both one cluster, both all singletons) where M = E, as
        ``sklearn.metrics.adjusted_rand_score``.

    Notes
    -----
    Multiplying numerator and denominator by C(n, 2) keeps everything in exact integers:
    ``ARI = 2 (index N - A B) / (N (A + B) - 2 A B)`` with N = C(n, 2), A = sum_i C(a_i, 2),
    B = sum_j C(b_j, 2), so only the final division rounds.
    """
    sums = _pair_sums(labels_true, labels_pred)
    index, A, B, N = sums.pair_index, sums.same_class, sums.same_cluster, sums.n_pairs
    if index == A == B:
        # No split and no merged pair: the same partition (M = E can only happen here).
        return 1.0
    # (index - E) / (M - E) with E = A B / N and M = (A + B) / 2, both sides times 2 N:
    return 2 * (index * N - A * B) / (N * (A + B) - 2 * A * B)


# --------------------------------------------------------------------------------------------
# Silhouette
# --------------------------------------------------------------------------------------------

_SILHOUETTE_METRICS = ("euclidean", "sqeuclidean", "manhattan", "cityblock", "cosine", "precomputed")

DEFAULT_CHUNK_BYTES = 64 * 2**20
"""Default memory budget of one chunk of the silhouette's distance matrix: 64 MiB."""


def _distances(X_rows, X_all, metric):
    """Distances from each row of ``X_rows`` to each row of ``X_all``, shape (len(X_rows), len(X_all)).

    Euclidean distances use the difference form (scipy's ``cdist``), not
    |x|^2 - 2 x.y + |y|^2, so close points suffer no cancellation.
    """
    from scipy.spatial.distance import cdist

    if metric == "cosine":
        # Zero vectors have no direction; scikit-learn treats their cosine similarity as 0.
        norms_rows = np.linalg.norm(X_rows, axis=1)
        norms_all = np.linalg.norm(X_all, axis=1)
        norms_rows[norms_rows == 0] = 1.0
        norms_all[norms_all == 0] = 1.0
        sim = (X_rows / norms_rows[:, None]) @ (X_all / norms_all[:, None]).T
        return np.clip(1.0 - sim, 0.0, 2.0)
    return cdist(X_rows, X_all, metric={"manhattan": "cityblock"}.get(metric, metric))


def silhouette_from_distances(D, labels, row_labels=None):
    """The silhouette s(i) as the slide defines it, from the distances of samples i to all samples.

    Parameters
    ----------
    D : ndarray of shape (n_rows, n_samples)
        ``D[r, j]``: the distance from the r-th sample scored to sample j. The whole n x n
        distance matrix scores every sample; a block of its rows scores those samples (that is
        how :func:`silhouette_samples` keeps memory bounded).
    labels : ndarray of int, shape (n_samples,)
        Cluster of every sample (of every column of D), coded 0..K-1, every code used.
    row_labels : ndarray of int, shape (n_rows,), optional
        Cluster of each row's sample; default ``labels`` (D is the whole square matrix).

    Returns
    -------
    s : ndarray of shape (n_rows,), in [-1, 1]
    """
    row_labels = labels if row_labels is None else row_labels
    sizes = np.bincount(labels)                          # n_k: the members of each cluster k
    rows = np.arange(len(D))
    # Sum of the distances from each sample i to the members of each cluster k: (n_rows, K).
    sums = np.array([np.bincount(labels, weights=d_i, minlength=len(sizes)) for d_i in D])
    with np.errstate(divide="ignore", invalid="ignore"):
        # a(i): the mean distance from i to the *other* members of its own cluster
        # (the sum holds d(i, i) = 0; a sample alone in its cluster gets 0 / 0).
        a = sums[rows, row_labels] / (sizes[row_labels] - 1)
        # b(i): the smallest, over the other clusters, of the mean distance from i to the members.
        mean_distances = sums / sizes
        mean_distances[rows, row_labels] = np.inf
        b = mean_distances.min(axis=1)
        # s(i) = (b(i) - a(i)) / max(a(i), b(i))
        s = (b - a) / np.maximum(a, b)
    # A sample alone in its cluster, or at distance 0 from everything (0 / 0): s(i) = 0.
    return np.nan_to_num(s, nan=0.0)


def silhouette_samples(X, labels, metric="euclidean", chunk_size=None):
    """Silhouette coefficient s(i) of every sample, in blocks of rows so memory stays bounded.

    a(i) = mean distance from i to the *other* members of its cluster; b(i) = the smallest, over
    the other clusters, of the mean distance from i to that cluster's members;
    s(i) = (b(i) - a(i)) / max(a(i), b(i)), in [-1, 1]. A sample alone in its cluster gets
    s(i) = 0 (as in scikit-learn). The definition is :func:`silhouette_from_distances`; this
    function hands it the distance matrix one block of rows at a time.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), or (n_samples, n_samples) if
        ``metric='precomputed'`` (a distance matrix with a zero diagonal)
    labels : array-like of shape (n_samples,)
        Cluster of each sample, any hashable values; 2 <= number of clusters <= n_samples - 1.
    metric : {'euclidean', 'sqeuclidean', 'manhattan', 'cityblock', 'cosine', 'precomputed'}
    chunk_size : int, optional
        Rows of the distance matrix held at once. Peak memory is one block of
        ``chunk_size * n_samples`` float64 values (8 bytes each), plus
        ``chunk_size * n_clusters`` for the per-cluster sums -- never the n x n matrix.
        Default: as many rows as fit in 64 MiB, i.e. ``max(1, 2**23 // n_samples)`` rows.

    Returns
    -------
    s : ndarray of shape (n_samples,)

    Raises
    ------
    ValueError
        If ``labels`` and ``X`` differ in length, or the number of clusters is not in
        [2, n_samples - 1] (scikit-learn's rule: the score needs a neighbour cluster and at least
        one cluster with two members).
    """
    if metric not in _SILHOUETTE_METRICS:
        raise ValueError(f"metric must be one of {_SILHOUETTE_METRICS}, got metric={metric!r}")
    X = check_array_2d(X, name="X")
    labels = _check_labels(labels, "labels")
    n = X.shape[0]
    if labels.shape[0] != n:
        raise ValueError(
            f"labels must have one entry per row of X, got len(labels)={labels.shape[0]} "
            f"and X.shape[0]={n}"
        )
    if metric == "precomputed":
        if X.shape[1] != n:
            raise ValueError(f"with metric='precomputed', X must be square, got shape {X.shape}")
        if np.any(np.abs(np.diag(X)) > 100 * np.finfo(np.float64).eps):
            raise ValueError("the precomputed distance matrix X has non-zero diagonal entries")
    clusters, codes = _encode(labels)
    n_clusters = len(clusters)
    if not 2 <= n_clusters <= n - 1:
        raise ValueError(
            f"silhouette needs 2 <= number of clusters <= n_samples - 1, got {n_clusters} "
            f"cluster(s) for {n} samples"
        )
    if chunk_size is None:
        chunk_size = max(1, (DEFAULT_CHUNK_BYTES // 8) // n)
    chunk_size = check_positive_int(chunk_size, "chunk_size")

    s = np.empty(n)
    for start in range(0, n, chunk_size):
        rows = slice(start, min(start + chunk_size, n))
        # One block of rows of the distance matrix, (chunk, n): freed when the call returns,
        # before the next block is computed.
        block = X[rows] if metric == "precomputed" else _distances(X[rows], X, metric)
        s[rows] = silhouette_from_distances(block, codes, codes[rows])
        del block
    return s


def silhouette_score(X, labels, metric="euclidean", sample_size=None, random_state=None,
                     chunk_size=None):
    """Mean silhouette coefficient over all samples (or over a random subsample).

    Parameters
    ----------
    X, labels, metric, chunk_size
        As in :func:`silhouette_samples`.
    sample_size : int, optional
        Score a random subset of this many samples (without replacement) to save time on large
        data. The subset is drawn with ``numpy.random.default_rng``, so it differs from
        scikit-learn's for the same seed. None uses every sample.
    random_state : None, int or numpy Generator
        Seed of the subsample (only used with ``sample_size``).

    Returns
    -------
    float in [-1, 1]
    """
    if sample_size is not None:
        X = check_array_2d(X, name="X")
        labels = _check_labels(labels, "labels")
        if labels.shape[0] != X.shape[0]:
            raise ValueError(
                f"labels must have one entry per row of X, got len(labels)={labels.shape[0]} "
                f"and X.shape[0]={X.shape[0]}"
            )
        sample_size = check_positive_int(sample_size, "sample_size", maximum=X.shape[0])
        chosen = check_random_state(random_state).permutation(X.shape[0])[:sample_size]
        X = X[chosen][:, chosen] if metric == "precomputed" else X[chosen]
        labels = labels[chosen]
    return float(np.mean(silhouette_samples(X, labels, metric=metric, chunk_size=chunk_size)))


# --------------------------------------------------------------------------------------------
# Accuracy with matching, and NMI
# --------------------------------------------------------------------------------------------

def match_clusters(labels_true, labels_pred):
    """Best one-to-one matching of clusters to classes (Hungarian algorithm).

    Maximises the number of samples whose cluster is matched to their class, with
    ``scipy.optimize.linear_sum_assignment`` on the contingency table. With more clusters than
    classes (or the reverse) the extra ones stay unmatched.

    Parameters
    ----------
    labels_true, labels_pred : array-like of shape (n_samples,)

    Returns
    -------
    mapping : dict
        ``{cluster label: class label}`` for the matched clusters.
    """
    from scipy.optimize import linear_sum_assignment

    labels_true, labels_pred = _check_label_pair(labels_true, labels_pred)
    classes, _ = _encode(labels_true)
    clusters, _ = _encode(labels_pred)
    table = contingency_table(labels_true, labels_pred)
    rows, cols = linear_sum_assignment(table, maximize=True)
    return {clusters[j].item(): classes[i].item() for i, j in zip(rows, cols)}


def clustering_accuracy(labels_true, labels_pred):
    """Accuracy after the best one-to-one matching of clusters to classes.

    Cluster numbers are arbitrary, so plain accuracy is meaningless; this score first renames
    clusters to classes by the Hungarian matching (:func:`match_clusters`), then counts the
    samples that land on their class. Unmatched clusters count as wrong.

    Parameters
    ----------
    labels_true, labels_pred : array-like of shape (n_samples,)

    Returns
    -------
    float in [0, 1]
    """
    from scipy.optimize import linear_sum_assignment

    table = contingency_table(labels_true, labels_pred)
    rows, cols = linear_sum_assignment(table, maximize=True)
    return int(table[rows, cols].sum()) / int(table.sum())


def normalized_mutual_info(labels_true, labels_pred, average_method="arithmetic"):
    """Normalised mutual information, from scikit-learn (``normalized_mutual_info_score``).

    NMI = I(C; K) / mean(H(C), H(K)) (arithmetic mean by default): 1 for identical partitions,
    near 0 for independent ones (not adjusted for chance, unlike ARI).

    Parameters
    ----------
    labels_true, labels_pred : array-like of shape (n_samples,)
    average_method : {'arithmetic', 'geometric', 'min', 'max'}

    Returns
    -------
    float in [0, 1]
    """
    from sklearn.metrics import normalized_mutual_info_score

    labels_true, labels_pred = _check_label_pair(labels_true, labels_pred)
    methods = ("arithmetic", "geometric", "min", "max")
    if average_method not in methods:
        raise ValueError(f"average_method must be one of {methods}, got {average_method!r}")
    return float(normalized_mutual_info_score(labels_true, labels_pred,
                                              average_method=average_method))
