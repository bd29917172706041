"""Scoring a clustering (RI, ARI, silhouette, accuracy, NMI, AMI), and how sure a score is.

Two families (topic 6 of the course):

* **External scores** compare a clustering ``labels_pred`` with known classes ``labels_true``
  by counting *pairs* of samples. Everything follows from the contingency table
  ``n_ij`` (samples of class i put in cluster j), its row sums ``a_i`` and column sums ``b_j``:

  - pair index ``sum_ij C(n_ij, 2)`` (pairs together in both labelings);
  - its expectation over random labelings with the same marginals (Hubert and Arabie 1985)
    ``E = [sum_i C(a_i, 2)] * [sum_j C(b_j, 2)] / C(n, 2)`` -- a **product**; the slides print
    a sum and call it E(RI), which is wrong;
  - its maximum ``M = (sum_i C(a_i, 2) + sum_j C(b_j, 2)) / 2``;
  - ``ARI = (index - E) / (M - E)``, in [-1/2, 1]; ``RI = (a + b) / C(n, 2)``, in [0, 1].

  The same table gives the information scores: the entropies H(C), H(K), the mutual information
  I(C; K), NMI = I / mean(H(C), H(K)), and AMI = (I - E[I]) / (mean(H) - E[I]) with E[I] the
  expectation under the same random model, each cell n_ij then being hypergeometric
  (:func:`expected_mutual_info`, computed here, not taken from scikit-learn).

  These run in O(n log n + r*c) time (one ``np.unique`` per labeling, one ``bincount``) and are
  exact at any n: the pair sums are Python integers, so nothing overflows at n = 10**6 or more.
  :func:`rand_index_naive` loops over all C(n, 2) pairs, only to verify the fast versions.

* **Internal score**: the silhouette ``s(i) = (b(i) - a(i)) / max(a(i), b(i))``, computed from
  distances only (:func:`silhouette_from_distances`, the slide's definition), in blocks of rows
  so memory stays bounded (:func:`silhouette_samples`).

* **How sure is a score**: :func:`bootstrap_scores` (the score on resamples of the samples, paired
  across clusterings) and :func:`clustering_stability` (agreement between clusterings of two
  random subsamples: a way to choose K without the truth).

Every score equals its scikit-learn counterpart (``rand_score``, ``adjusted_rand_score``,
``pair_confusion_matrix``, ``mutual_info_score``, ``normalized_mutual_info_score``,
``adjusted_mutual_info_score``, ``silhouette_samples``, ``silhouette_score``), special cases
included; ``tests/test_metrics.py`` checks it.

Bad input gets a ``ValueError`` / ``TypeError`` naming the argument: labels that are NaN,
infinite, fractional, complex or of different lengths, and precomputed distance matrices that are
negative, non-finite or not symmetric. Huge or tiny coordinates (1e300, 1e-300) are scaled by a
power of two before the silhouette's distances, which cannot then overflow or underflow.
"""
import numbers
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
    "entropy",
    "mutual_info",
    "hypergeometric_pmf",
    "expected_mutual_info",
    "normalized_mutual_info",
    "adjusted_mutual_info",
    "BootstrapScores",
    "bootstrap_scores",
    "clustering_stability",
]


# --------------------------------------------------------------------------------------------
# Label checks and the contingency table
# --------------------------------------------------------------------------------------------

def _check_labels(labels, name):
    """Return ``labels`` as a 1-D array of class or cluster labels, or raise naming ``name``.

    Labels are names: integers, booleans, strings, or floats that are whole numbers (1.0, 2.0).
    NaN, infinity, fractional floats (1.5 is no label), complex numbers and objects that are
    neither strings nor numbers are refused with the offending entry.
    """
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one label per sample), got shape {labels.shape}")
    if labels.size == 0:
        raise ValueError(f"{name} is empty: at least one sample is needed")
    if labels.dtype.kind == "O":
        labels = _object_labels(labels, name)
    if labels.dtype.kind == "c":
        raise ValueError(f"{name} holds complex numbers (dtype {labels.dtype}): labels must be "
                         f"integers or strings")
    if labels.dtype.kind not in "biufUS":
        raise TypeError(f"{name} must hold integers or strings, got dtype {labels.dtype}")
    if labels.dtype.kind == "f":
        not_finite = ~np.isfinite(labels)
        if not_finite.any():
            i = int(np.argmax(not_finite))
            raise ValueError(f"{name} must hold labels, got {name}[{i}]={labels[i].item()!r} "
                             f"(NaN or infinity is no label)")
        fractional = labels != np.round(labels)
        if fractional.any():
            i = int(np.argmax(fractional))
            raise ValueError(f"{name} must hold whole-number labels, got "
                             f"{name}[{i}]={labels[i].item()!r}: a fractional value is no label "
                             f"(pass integers or strings)")
    return labels


def _object_labels(labels, name):
    """An object array of labels as a plain array: all strings, or all numbers."""
    is_string = np.array([isinstance(x, str) for x in labels])
    is_number = np.array([isinstance(x, numbers.Number) for x in labels])
    if is_string.all():
        return labels.astype(str)
    if is_number.all():
        return np.array(labels.tolist())       # ints, bools or floats, checked as such
    neither = ~(is_string | is_number)
    i = int(np.argmax(neither)) if neither.any() else int(np.argmax(is_string != is_string[0]))
    raise TypeError(f"{name} must hold integers or strings (not a mix, not other objects), got "
                    f"{name}[{i}]={labels[i]!r} of type {type(labels[i]).__name__}")


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
    table = _table(labels_true, labels_pred)
    dense = np.zeros((len(table.row_sums), len(table.col_sums)), dtype=np.int64)
    dense[table.cell_rows, table.cell_cols] = table.cells
    return dense


def _comb2_sum(counts):
    """sum_k C(counts_k, 2) as an exact Python int (int64 per term is safe up to n ~ 4e9)."""
    counts = np.asarray(counts, dtype=np.int64)
    return int(np.sum(counts * (counts - 1) // 2))


class _Table(NamedTuple):
    """The non-zero cells of the contingency table and its margins: everything the external
    scores are made of."""

    n_samples: int
    cells: np.ndarray      # n_ij of every non-zero cell, int64
    cell_rows: np.ndarray  # its class index i
    cell_cols: np.ndarray  # its cluster index j
    row_sums: np.ndarray   # a_i, the class sizes, int64
    col_sums: np.ndarray   # b_j, the cluster sizes, int64


def _table(labels_true, labels_pred):
    """The contingency table as a :class:`_Table`, in O(n log n) without building it densely
    when it is huge and almost empty (e.g. n = 10**6 singletons)."""
    labels_true, labels_pred = _check_label_pair(labels_true, labels_pred)
    classes, rows = _encode(labels_true)
    clusters, cols = _encode(labels_pred)
    n_rows, n_cols = len(classes), len(clusters)
    flat = rows.astype(np.int64) * n_cols + cols
    if n_rows * n_cols <= 4 * len(flat) + 1_000_000:
        counts = np.bincount(flat, minlength=n_rows * n_cols)
        cell_index = np.flatnonzero(counts)
        counts = counts[cell_index]
    else:
        cell_index, counts = np.unique(flat, return_counts=True)
    return _Table(n_samples=int(len(flat)), cells=counts.astype(np.int64),
                  cell_rows=cell_index // n_cols, cell_cols=cell_index % n_cols,
                  row_sums=np.bincount(rows, minlength=n_rows).astype(np.int64),
                  col_sums=np.bincount(cols, minlength=n_cols).astype(np.int64))


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
    table = _table(labels_true, labels_pred)
    return _PairSums(n_samples=table.n_samples, pair_index=_comb2_sum(table.cells),
                     same_class=_comb2_sum(table.row_sums), same_cluster=_comb2_sum(table.col_sums))


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
    float in [-1/2, 1]
        The slides say [-1, 1], but -1/2 is the minimum (Chacon and Rastrojo 2023), reached by
        two classes {0, 1}, {2, 3} against the crosswise clusters {0, 2}, {1, 3}.
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


def _safe_scale(X):
    """``X`` times a power of two that brings its largest magnitude near 1 when it is huge or
    tiny (then squared distances would overflow to inf or underflow to 0); else ``X`` itself.

    The silhouette is a ratio of mean distances, unchanged when every distance is scaled, and a
    power of two scales floats exactly: the result is the same bit for bit, minus the overflow.
    """
    peak = float(np.max(np.abs(X))) if X.size else 0.0
    if peak == 0.0 or 2.0 ** -200 < peak < 2.0 ** 200:
        return X
    return np.ldexp(X, -np.frexp(peak)[1])


def _check_distance_rows(rows, mirror, start):
    """Refuse a block of rows of a precomputed distance matrix X with a negative entry, or that
    differs from the matching columns (``mirror`` = ``X[:, rows].T``): X must be symmetric."""
    if np.any(rows < 0):
        i, j = np.argwhere(rows < 0)[0]
        raise ValueError(f"the precomputed distance matrix X must be non-negative, got "
                         f"X[{start + i}, {j}]={rows[i, j].item()!r}")
    tolerance = 1e-10 * max(float(np.max(rows)), float(np.max(mirror)), 1e-300)
    asymmetric = np.abs(rows - mirror) > tolerance
    if np.any(asymmetric):
        i, j = np.argwhere(asymmetric)[0]
        raise ValueError(f"the precomputed distance matrix X must be symmetric, got "
                         f"X[{start + i}, {j}]={rows[i, j].item()!r} but "
                         f"X[{j}, {start + i}]={mirror[i, j].item()!r}")


def _check_silhouette_input(D, labels, row_labels):
    """D (n_rows, n) finite and >= 0; labels coded 0..K-1 (n,); row_labels (n_rows,), default labels."""
    D = check_array_2d(D, "D", allow_negative=False)
    codes = []
    for name, value in (("labels", labels), ("row_labels", row_labels)):
        if value is None and name == "row_labels":
            codes.append(codes[0])
            continue
        value = _check_labels(value, name)
        if value.dtype.kind not in "biuf" or (value.size and value.min() < 0):
            raise ValueError(f"{name} must be cluster codes 0..K-1, got {value[:5]!r}...")
        codes.append(value.astype(np.int64))
    labels, row_labels = codes
    if labels.shape != (D.shape[1],) or row_labels.shape != (D.shape[0],):
        raise ValueError(f"labels must have one entry per column of D and row_labels one per row, "
                         f"got D {D.shape}, labels {labels.shape}, row_labels {row_labels.shape}")
    if row_labels is labels and not np.allclose(D, D.T):
        raise ValueError("D must be symmetric (the distance from i to j is the one from j to i)")
    if np.any(row_labels > labels.max()):
        raise ValueError("row_labels must use the cluster codes of labels")
    return D, labels, row_labels


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
    D, labels, row_labels = _check_silhouette_input(D, labels, row_labels)
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
    X = _safe_scale(X)
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
        if metric == "precomputed":
            block = X[rows]
            _check_distance_rows(block, X[:, rows].T, start)
        else:
            block = _distances(X[rows], X, metric)
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
    rng = check_random_state(random_state)
    if sample_size is not None:
        X = check_array_2d(X, name="X")
        labels = _check_labels(labels, "labels")
        if labels.shape[0] != X.shape[0]:
            raise ValueError(
                f"labels must have one entry per row of X, got len(labels)={labels.shape[0]} "
                f"and X.shape[0]={X.shape[0]}"
            )
        sample_size = check_positive_int(sample_size, "sample_size", maximum=X.shape[0])
        chosen = rng.permutation(X.shape[0])[:sample_size]
        X = X[chosen][:, chosen] if metric == "precomputed" else X[chosen]
        labels = labels[chosen]
    return float(np.mean(silhouette_samples(X, labels, metric=metric, chunk_size=chunk_size)))


# --------------------------------------------------------------------------------------------
# Accuracy with matching
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


# --------------------------------------------------------------------------------------------
# Information: entropy, mutual information, NMI and AMI
# --------------------------------------------------------------------------------------------

_AVERAGE_METHODS = ("arithmetic", "geometric", "min", "max")


def _check_average_method(average_method):
    if average_method not in _AVERAGE_METHODS:
        raise ValueError(f"average_method must be one of {_AVERAGE_METHODS}, "
                         f"got average_method={average_method!r}")
    return average_method


def _average(h_true, h_pred, average_method):
    """The mean of the two entropies that normalises NMI and AMI."""
    return {"arithmetic": (h_true + h_pred) / 2, "geometric": np.sqrt(h_true * h_pred),
            "min": min(h_true, h_pred), "max": max(h_true, h_pred)}[average_method]


def _entropy_of_counts(counts, n):
    """H = -sum_k (c_k / n) ln(c_k / n) = ln n - sum_k c_k ln c_k / n, in nats."""
    counts = np.asarray(counts, dtype=np.float64)
    counts = counts[counts > 0]
    return max(0.0, float(np.log(n) - np.sum(counts * np.log(counts)) / n))


def _mutual_info_of_table(table):
    """I(C; K) = sum_ij (n_ij / n) ln(n n_ij / (a_i b_j)) over the non-zero cells, in nats."""
    if len(table.row_sums) == 1 or len(table.col_sums) == 1:
        return 0.0        # one side is a single cluster: it tells nothing (exactly 0)
    n = table.n_samples
    a = table.row_sums[table.cell_rows].astype(np.float64)
    b = table.col_sums[table.cell_cols].astype(np.float64)
    cells = table.cells.astype(np.float64)
    terms = cells / n * (np.log(n) + np.log(cells) - np.log(a) - np.log(b))
    return max(0.0, float(np.sum(terms)))


def entropy(labels):
    """Entropy of a labeling, H = -sum_k p_k ln p_k with p_k = n_k / n, in nats.

    Parameters
    ----------
    labels : array-like of shape (n_samples,)

    Returns
    -------
    float >= 0
        0 for a single cluster, ln n for n singletons.
    """
    labels = _check_labels(labels, "labels")
    _, codes = _encode(labels)
    return _entropy_of_counts(np.bincount(codes), len(codes))


def mutual_info(labels_true, labels_pred):
    """Mutual information of two labelings, in nats (as ``sklearn.metrics.mutual_info_score``).

    ``I(C; K) = sum_ij (n_ij / n) ln(n n_ij / (a_i b_j))`` over the contingency table: how many
    nats knowing a sample's cluster tells about its class. 0 for independent labelings,
    H(C) = H(K) for identical ones.

    Parameters
    ----------
    labels_true, labels_pred : array-like of shape (n_samples,)

    Returns
    -------
    float >= 0
    """
    return _mutual_info_of_table(_table(labels_true, labels_pred))


def hypergeometric_pmf(k, n, a, b):
    """P(n_ij = k): the chance that a class of ``a`` samples and a cluster of ``b`` samples,
    among ``n``, share exactly ``k`` samples when the labels are shuffled.

    The cluster is b samples drawn without replacement from n, of which a are in the class:
    ``P(k) = C(a, k) C(n - a, b - k) / C(n, b)``, for max(0, a + b - n) <= k <= min(a, b)
    (0 outside).

    Parameters
    ----------
    k : int or ndarray of int
    n, a, b : int, with 0 <= a, b <= n

    Returns
    -------
    ndarray of float, the shape of ``k``

    Notes
    -----
    The binomial coefficients are astronomically large (C(10**6, 5 * 10**5) has 300 000 digits),
    and differences of ``gammaln`` of such numbers keep only about 1e-9 of relative precision at
    n = 10**6. Here the probabilities are built from the ratios of neighbours,
    ``P(t + 1) / P(t) = (a - t)(b - t) / ((t + 1)(n - a - b + t + 1))``, summed in logarithms
    outward from the mode, then normalised so that the whole support sums to 1: about 1e-14.
    """
    n, a, b = (check_positive_int(v, name, minimum=0) for v, name in ((n, "n"), (a, "a"), (b, "b")))
    if a > n or b > n:
        raise ValueError(f"a and b must be at most n, got n={n}, a={a}, b={b}")
    k_array = np.asarray(k) if not isinstance(k, (str, bytes)) else np.asarray(object())
    if k_array.dtype.kind not in "iu":
        raise TypeError(f"k must be an integer or an array of integers, got {k!r}")
    low, high = max(0, a + b - n), min(a, b)
    mode = min(max((a + 1) * (b + 1) // (n + 2), low), high)
    up = np.arange(mode, high, dtype=np.float64)                  # t = mode .. high - 1
    log_up = np.cumsum(np.log(a - up) + np.log(b - up)
                       - np.log(up + 1) - np.log(n - a - b + up + 1))
    down = np.arange(mode - 1, low - 1, -1, dtype=np.float64)     # t = mode - 1 .. low
    log_down = np.cumsum(np.log(down + 1) + np.log(n - a - b + down + 1)
                         - np.log(a - down) - np.log(b - down))
    log_p = np.concatenate([log_down[::-1], [0.0], log_up])       # k = low .. high
    p = np.exp(log_p - log_p.max())
    p /= p.sum()
    k = np.asarray(k)
    inside = (k >= low) & (k <= high)
    return np.where(inside, p[np.clip(k - low, 0, high - low)], 0.0)


def expected_mutual_info(labels_true, labels_pred):
    """Expected mutual information E[I(C; K)] when ``labels_pred`` is shuffled at random.

    The random model of ARI's expected index: class sizes a_i and cluster sizes b_j fixed,
    samples shuffled. Cell n_ij is then the number of class-i samples among the b_j that land in
    cluster j: a hypergeometric count (:func:`hypergeometric_pmf`). By linearity of the
    expectation (Vinh, Epps and Bailey 2010), with k from max(1, a_i + b_j - n) to min(a_i, b_j),

        E[I] = sum_ij sum_k P(n_ij = k) (k / n) ln(n k / (a_i b_j)).

    Parameters
    ----------
    labels_true, labels_pred : array-like of shape (n_samples,)

    Returns
    -------
    float >= 0, in nats
    """
    table = _table(labels_true, labels_pred)
    n = table.n_samples
    expected = 0.0
    # A cell's term depends only on its sizes (a_i, b_j): each pair of sizes once, times its count
    # (n singletons cost one term, not n**2).
    for a, n_classes in zip(*np.unique(table.row_sums, return_counts=True)):
        for b, n_clusters in zip(*np.unique(table.col_sums, return_counts=True)):
            a, b = int(a), int(b)
            k = np.arange(max(1, a + b - n), min(a, b) + 1)      # the possible overlaps n_ij > 0
            p = hypergeometric_pmf(k, n, a, b)                   # P(n_ij = k)
            term = k / n * (np.log(n) + np.log(k) - np.log(a) - np.log(b))  # (k/n) ln(nk/(ab))
            expected += n_classes * n_clusters * float(np.sum(p * term))
    return expected


def _same_partition(table):
    """True when the two labelings group the samples identically (names aside)."""
    return len(table.cells) == len(table.row_sums) == len(table.col_sums)


def normalized_mutual_info(labels_true, labels_pred, average_method="arithmetic"):
    """Normalised mutual information, NMI = I(C; K) / mean(H(C), H(K)).

    1 for identical partitions, near 0 for independent ones, but **not adjusted for chance**:
    random labelings with many clusters score well above 0 (see :func:`adjusted_mutual_info`).
    Equal to ``sklearn.metrics.normalized_mutual_info_score``, conventions included (1.0 when
    both labelings are one cluster, 0.0 when the mutual information is 0).

    Parameters
    ----------
    labels_true, labels_pred : array-like of shape (n_samples,)
    average_method : {'arithmetic', 'geometric', 'min', 'max'}
        The mean of H(C) and H(K) in the denominator.

    Returns
    -------
    float in [0, 1]
    """
    _check_average_method(average_method)
    table = _table(labels_true, labels_pred)
    if len(table.row_sums) == len(table.col_sums) == 1:
        return 1.0
    mi = _mutual_info_of_table(table)
    if mi == 0.0:
        return 0.0
    h_true = _entropy_of_counts(table.row_sums, table.n_samples)
    h_pred = _entropy_of_counts(table.col_sums, table.n_samples)
    return float(mi / _average(h_true, h_pred, average_method))


def adjusted_mutual_info(labels_true, labels_pred, average_method="arithmetic"):
    """Adjusted mutual information, AMI = (I - E[I]) / (mean(H) - E[I]) (Vinh et al. 2010).

    The information-theoretic twin of ARI: the mutual information I(C; K) minus its expectation
    E[I] under random labelings with the same sizes (:func:`expected_mutual_info`, the
    hypergeometric model), divided by the largest value that difference could take. 1 for
    identical partitions, about 0 for random labelings whatever the number of clusters (where
    NMI grows with K), negative when worse than chance.

    Parameters
    ----------
    labels_true, labels_pred : array-like of shape (n_samples,)
    average_method : {'arithmetic', 'geometric', 'min', 'max'}
        The mean of H(C) and H(K) used as the upper bound of I.

    Returns
    -------
    float, at most 1
        1.0 for the same partition (one cluster each, n singletons each, identical labelings),
        0.0 when one labeling is a single cluster (no information to share), as
        ``sklearn.metrics.adjusted_mutual_info_score``. Where mean(H) = E[I] (with
        ``average_method='min'`` when one labeling is all singletons, every shuffle then
        scores the same I) the ratio is 0 / 0 and 0.0 is returned: no labeling beats chance
        there. (scikit-learn returns rounding noise divided by machine epsilon in that case.)
    """
    _check_average_method(average_method)
    table = _table(labels_true, labels_pred)
    if _same_partition(table):
        return 1.0
    if len(table.row_sums) == 1 or len(table.col_sums) == 1:
        return 0.0
    n = table.n_samples
    mi = _mutual_info_of_table(table)
    emi = expected_mutual_info(labels_true, labels_pred)
    h_true = _entropy_of_counts(table.row_sums, n)
    h_pred = _entropy_of_counts(table.col_sums, n)
    denominator = _average(h_true, h_pred, average_method) - emi
    if denominator <= 1e-12 * max(h_true, h_pred):
        return 0.0
    return float((mi - emi) / denominator)


# --------------------------------------------------------------------------------------------
# How sure is a score? The bootstrap, and stability without the truth
# --------------------------------------------------------------------------------------------

class BootstrapScores(NamedTuple):
    """What :func:`bootstrap_scores` returns.

    Attributes
    ----------
    observed : dict
        ``{name: score on all the samples}``.
    resampled : dict
        ``{name: ndarray of shape (n_resamples,)}``, the score on each bootstrap resample; every
        labeling is scored on the *same* resamples, so differences are paired.
    """

    observed: dict
    resampled: dict

    def interval(self, name, level=0.95):
        """Percentile interval of one labeling's score: (low, high), a ``level`` fraction of the
        resampled scores between them."""
        return _percentile_interval(self.resampled[name], level)

    def difference_interval(self, first, second, level=0.95):
        """Percentile interval of ``score(first) - score(second)`` over the shared resamples."""
        return _percentile_interval(self.resampled[first] - self.resampled[second], level)


def _percentile_interval(values, level):
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), got level={level!r}")
    tail = 50 * (1 - level)
    low, high = np.percentile(values, [tail, 100 - tail])
    return float(low), float(high)


def bootstrap_scores(labels_true, labelings, score=adjusted_rand_index, n_resamples=1000,
                     random_state=None):
    """Score several clusterings of the same samples on bootstrap resamples of those samples.

    Each resample draws n samples from the n with replacement; every labeling is scored on the
    same resamples (a *paired* bootstrap), so the interval of a difference between two labelings
    is available too (:meth:`BootstrapScores.difference_interval`).

    The clusterings are not refitted: the spread says how much the score depends on *which*
    samples were scored, not on the algorithm's own randomness (run it with several
    ``random_state`` values for that). For pair scores, a sample drawn twice adds a pair that
    is together in both labelings, which lifts ARI slightly (by about K / n).

    Parameters
    ----------
    labels_true : array-like of shape (n_samples,)
    labelings : dict
        ``{name: labels_pred}``, each of shape (n_samples,).
    score : callable ``score(labels_true, labels_pred) -> float``
        Default :func:`adjusted_rand_index`.
    n_resamples : int
    random_state : None, int, numpy Generator or RandomState
        Draws the resamples.

    Returns
    -------
    BootstrapScores
    """
    labels_true = _check_labels(labels_true, "labels_true")
    if not isinstance(labelings, dict) or not labelings:
        raise TypeError(f"labelings must be a non-empty dict {{name: labels_pred}}, got "
                        f"{type(labelings).__name__}")
    checked = {}
    for name, labels in labelings.items():
        _, labels = _check_label_pair(labels_true, labels)
        checked[name] = _encode(labels)[1]
    true_codes = _encode(labels_true)[1]
    n_resamples = check_positive_int(n_resamples, "n_resamples")
    rng = check_random_state(random_state)
    n = len(true_codes)
    resampled = {name: np.empty(n_resamples) for name in checked}
    for r in range(n_resamples):
        chosen = rng.integers(0, n, n)                  # n samples, drawn with replacement
        for name, codes in checked.items():
            resampled[name][r] = score(true_codes[chosen], codes[chosen])
    observed = {name: float(score(true_codes, codes)) for name, codes in checked.items()}
    return BootstrapScores(observed=observed, resampled=resampled)


def clustering_stability(X, cluster, n_pairs=20, subsample=0.8, random_state=None):
    """How much a clustering changes between two random subsamples of the data (no truth needed).

    Ben-Hur, Elisseeff and Guyon (2002): cluster two random subsamples independently, then
    compare the two labelings on the points both contain with ARI. A K that the data support
    gives the same groups on every subsample (ARI near 1); a K that cuts through a group, or
    has several equally good answers, does not. High stability means "reproducible", not
    "right": a K with one clear optimum can be stable and still miss finer structure.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    cluster : callable ``cluster(X_subsample, random_state) -> labels``
        Runs the clustering (with its K) on a subsample; ``random_state`` is a numpy Generator,
        so the algorithm's own randomness is part of what is measured.
    n_pairs : int
        Pairs of subsamples.
    subsample : float in (0, 1], more than half of the points
        Fraction of the points in each subsample (drawn without replacement); two subsamples
        share about ``subsample**2`` of the points, and at least one.
    random_state : None, int, numpy Generator or RandomState

    Returns
    -------
    scores : ndarray of shape (n_pairs,)
        ARI of each pair on its shared points.
    """
    X = check_array_2d(X, name="X", min_samples=2)
    n_pairs = check_positive_int(n_pairs, "n_pairs")
    if isinstance(subsample, (bool, np.bool_)) or not isinstance(subsample, numbers.Real) \
            or not 0 < subsample <= 1:
        raise ValueError(f"subsample must be a fraction in (0, 1], got subsample={subsample!r}")
    rng = check_random_state(random_state)
    n = X.shape[0]
    size = max(2, int(round(subsample * n)))
    if 2 * size <= n:   # two subsamples of `size` points might then share none to compare
        raise ValueError(f"subsample={subsample} is too small: two subsamples of {size} of the "
                         f"{n} points may share no point (take subsample > 0.5)")
    scores = np.empty(n_pairs)
    for t in range(n_pairs):
        # 1. two random subsamples, each drawn without replacement
        first, second = (np.sort(rng.choice(n, size, replace=False)) for _ in range(2))
        # 2. cluster each on its own
        labels_first, labels_second = (_labels_of(cluster, X[rows], rng)
                                       for rows in (first, second))
        # 3. compare the two labelings on the points both subsamples hold
        _, in_first, in_second = np.intersect1d(first, second, assume_unique=True,
                                                return_indices=True)
        scores[t] = adjusted_rand_index(labels_first[in_first], labels_second[in_second])
    return scores


def _labels_of(cluster, X, rng):
    """``cluster(X, rng)`` as a label array, checked to give one label per row."""
    labels = np.asarray(cluster(X, rng))
    if labels.shape != (X.shape[0],):
        raise ValueError(f"cluster must return one label per row of its input, got shape "
                         f"{labels.shape} for {X.shape[0]} rows")
    return labels
