"""Figures and simulations for the evaluation lesson (notebook 05).

Every function takes ``ax=None`` (or ``axes=None``), returns what it drew, and never calls
``plt.show()``. The widget callback :func:`draw_silhouette_for_k` draws a whole figure for one
slider value and never raises for a value the slider can reach (K = 1 and K = n draw a message).
"""
from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap

from ..caching import lru_cache_arrays
from ..metrics import (
    adjusted_rand_index,
    contingency_table,
    pair_counts,
    rand_index,
    silhouette_samples,
    silhouette_score,
)
from ..pipeline import cluster_features
from ..plotting import CLUSTER_COLORS, cluster_colors, plot_clusters
from ..validation import check_array_2d, check_positive_int, check_random_state

__all__ = [
    "PAIR_COLORS",
    "plot_pair_grid",
    "plot_contingency",
    "ChanceScores",
    "chance_scores",
    "plot_chance_scores",
    "PermutationSamples",
    "permutation_pair_indices",
    "plot_permutation_test",
    "plot_silhouette_point",
    "plot_silhouette_knife",
    "kmeans_labels",
    "draw_silhouette_for_k",
    "silhouette_by_k",
    "plot_silhouette_by_k",
]

PAIR_COLORS = {
    "a": "#2ca02c",  # together in both: agreement
    "b": "#aec7e8",  # apart in both: agreement
    "c": "#d62728",  # same class, split by the clustering
    "d": "#ff7f0e",  # different classes, merged by the clustering
}
"""Colour of each kind of pair in :func:`plot_pair_grid`."""


def plot_pair_grid(labels_true, labels_pred, ax=None, names=None):
    """Every unordered pair (i < j) as one cell of the upper triangle, coloured by its kind.

    Green = a (same class, same cluster), light blue = b (different, different), red = c
    (same class, split), orange = d (different classes, merged).

    Parameters
    ----------
    labels_true, labels_pred : array-like of shape (n_samples,), small n (say <= 30)
    names : list of str, optional
        Tick label of each sample (default: its index).

    Returns
    -------
    ax : Axes
    """
    labels_true, labels_pred = np.asarray(labels_true), np.asarray(labels_pred)
    n = len(labels_true)
    pair_counts(labels_true, labels_pred)  # validates lengths
    same_class = labels_true[:, None] == labels_true[None, :]
    same_cluster = labels_pred[:, None] == labels_pred[None, :]
    # Codes 0..3 for a, b, c, d; NaN below the diagonal (each pair is drawn once).
    kind = np.select([same_class & same_cluster, ~same_class & ~same_cluster,
                      same_class & ~same_cluster], [0, 1, 2], default=3).astype(float)
    kind[np.tril_indices(n)] = np.nan
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 3.8))
    cmap = ListedColormap([PAIR_COLORS[k] for k in "abcd"])
    ax.imshow(kind, cmap=cmap, vmin=-0.5, vmax=3.5)
    names = [str(i) for i in range(n)] if names is None else list(names)
    ax.set_xticks(range(n), names)
    ax.set_yticks(range(n), names)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    counts = pair_counts(labels_true, labels_pred)
    handles = [plt.Rectangle((0, 0), 1, 1, color=PAIR_COLORS[k]) for k in "abcd"]
    legend = [f"a = {counts.a}: same class, same cluster",
              f"b = {counts.b}: different, different",
              f"c = {counts.c}: same class, split",
              f"d = {counts.d}: different classes, merged"]
    for i, j in zip(*np.triu_indices(n, k=1)):
        ax.text(j, i, "abcd"[int(kind[i, j])], ha="center", va="center", fontsize=9,
                color="white" if kind[i, j] in (0, 2) else "black")
    ax.legend(handles, legend, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=9,
              frameon=False)
    ax.set_xlabel("sample j")
    ax.set_ylabel("sample i")
    ax.set_title("every pair (i < j) once")
    return ax


def plot_contingency(labels_true, labels_pred, ax=None, row_name="class", col_name="cluster",
                     highlight=None):
    """The contingency table n_ij as an annotated heat map, with its row and column sums.

    Parameters
    ----------
    labels_true, labels_pred : array-like of shape (n_samples,)
    highlight : iterable of (row, col) index pairs, optional
        Cells to outline (e.g. the Hungarian matching).

    Returns
    -------
    ax : Axes
    """
    table = contingency_table(labels_true, labels_pred)
    rows, cols = np.unique(labels_true), np.unique(labels_pred)
    if ax is None:
        _, ax = plt.subplots(figsize=(0.55 * len(cols) + 2.2, 0.45 * len(rows) + 1.6))
    ax.imshow(table, cmap="Blues", vmin=0, vmax=max(1, table.max()), aspect="auto")
    threshold = 0.6 * table.max()
    for i in range(table.shape[0]):
        for j in range(table.shape[1]):
            ax.text(j, i, str(table[i, j]), ha="center", va="center", fontsize=9,
                    color="white" if table[i, j] > threshold else "black")
    for i, j in (highlight or []):
        ax.add_patch(plt.Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="#d62728", lw=2))
    ax.set_xticks(range(len(cols)), [f"{c}\n({s})" for c, s in zip(cols, table.sum(axis=0))],
                  fontsize=9)
    ax.set_yticks(range(len(rows)), [f"{r} ({s})" for r, s in zip(rows, table.sum(axis=1))],
                  fontsize=9)
    ax.tick_params(length=0)
    ax.set_xlabel(f"{col_name} (size $b_j$)")
    ax.set_ylabel(f"{row_name} (size $a_i$)")
    for spine in ax.spines.values():
        spine.set_visible(False)
    return ax


class ChanceScores(NamedTuple):
    """What :func:`chance_scores` returns.

    Attributes
    ----------
    cluster_counts : ndarray of int, shape (n_counts,)
        The number of clusters K of both random labelings.
    rand_index, adjusted_rand_index : ndarray of shape (n_counts, n_repeats)
        RI and ARI of each repeat, one row per K.
    """

    cluster_counts: np.ndarray
    rand_index: np.ndarray
    adjusted_rand_index: np.ndarray


def chance_scores(n_samples, cluster_counts, n_repeats=20, random_state=None):
    """RI and ARI between two *independent uniformly random* labelings, for each K.

    Parameters
    ----------
    n_samples : int
    cluster_counts : sequence of int
        Number of clusters K of both labelings.
    n_repeats : int
    random_state : None, int, numpy Generator or RandomState
        Draws the labelings.

    Returns
    -------
    ChanceScores
    """
    n_samples = check_positive_int(n_samples, "n_samples", minimum=2)
    n_repeats = check_positive_int(n_repeats, "n_repeats")
    ks = np.array([check_positive_int(k, "cluster_counts", maximum=n_samples) for k in cluster_counts])
    rng = check_random_state(random_state)
    ri = np.empty((len(ks), n_repeats))
    ari = np.empty((len(ks), n_repeats))
    for row, k in enumerate(ks):
        for rep in range(n_repeats):
            first, second = rng.integers(0, k, n_samples), rng.integers(0, k, n_samples)
            ri[row, rep] = rand_index(first, second)
            ari[row, rep] = adjusted_rand_index(first, second)
    return ChanceScores(cluster_counts=ks, rand_index=ri, adjusted_rand_index=ari)


def plot_chance_scores(scores, ax=None):
    """Mean and spread (min to max) of RI and ARI against K, from :func:`chance_scores`.

    Parameters
    ----------
    scores : ChanceScores

    Returns
    -------
    ax : Axes
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 3.8))
    counts = scores.cluster_counts
    for values, label, color in [(scores.rand_index, "Rand index (RI)", CLUSTER_COLORS[0]),
                                 (scores.adjusted_rand_index, "adjusted Rand index (ARI)",
                                  CLUSTER_COLORS[1])]:
        ax.fill_between(counts, values.min(axis=1), values.max(axis=1), color=color, alpha=0.2)
        ax.plot(counts, values.mean(axis=1), "o-", color=color, label=label)
    ax.axhline(0, color="0.5", lw=0.8)
    ax.set_xscale("log")
    ax.set_xticks(counts, [str(k) for k in counts])
    ax.minorticks_off()
    ax.set_xlabel("number of clusters K of both random labelings")
    ax.set_ylabel("score")
    ax.set_title("Two independent random labelings: RI looks good, ARI says 0")
    ax.legend(loc="center right")
    return ax


class PermutationSamples(NamedTuple):
    """What :func:`permutation_pair_indices` returns, one entry per random permutation.

    Attributes
    ----------
    pair_index : ndarray of int, shape (n_permutations,)
        sum_ij C(n_ij, 2) of ``labels_true`` against the permuted ``labels_pred``.
    rand_index : ndarray of shape (n_permutations,)
        The Rand index of the same pair of labelings.
    """

    pair_index: np.ndarray
    rand_index: np.ndarray


def permutation_pair_indices(labels_true, labels_pred, n_permutations=2000, random_state=None):
    """Pair index and RI of ``labels_true`` against random permutations of ``labels_pred``.

    Permuting keeps both marginals (class sizes a_i, cluster sizes b_j) fixed: this is the
    random model under which ARI's expectation is computed.

    Parameters
    ----------
    labels_true, labels_pred : array-like of shape (n_samples,)
    n_permutations : int
    random_state : None, int, numpy Generator or RandomState
        Draws the permutations.

    Returns
    -------
    PermutationSamples
    """
    n_permutations = check_positive_int(n_permutations, "n_permutations")
    rng = check_random_state(random_state)
    counts = pair_counts(labels_true, labels_pred)
    sum_a, sum_b = counts.a + counts.c, counts.a + counts.d   # pairs together in classes, clusters
    n_pairs = counts.a + counts.b + counts.c + counts.d
    # Encode once; each permutation then costs one bincount over the (class, cluster) cells.
    _, rows = np.unique(np.asarray(labels_true), return_inverse=True)
    _, cols = np.unique(np.asarray(labels_pred), return_inverse=True)
    rows, cols = rows.ravel(), cols.ravel()
    n_cols = int(cols.max()) + 1
    size = (int(rows.max()) + 1) * n_cols
    index = np.empty(n_permutations, dtype=np.int64)
    for t in range(n_permutations):
        cells = np.bincount(rows * n_cols + rng.permutation(cols), minlength=size)
        index[t] = np.sum(cells * (cells - 1) // 2)
    # RI = (C(n,2) + 2 index - A - B) / C(n,2): linear in the index (a = index, c = A - index,
    # d = B - index, b = the rest).
    ri = (n_pairs + 2 * index - sum_a - sum_b) / n_pairs if n_pairs else np.ones(n_permutations)
    return PermutationSamples(pair_index=index, rand_index=ri)


def plot_permutation_test(index_samples, product_form, sum_form, ax=None):
    """Histogram of the pair index over random permutations, its mean, and the two formulas.

    Parameters
    ----------
    index_samples : ndarray of int
        From :func:`permutation_pair_indices`.
    product_form : float
        [sum_i C(a_i,2) * sum_j C(b_j,2)] / C(n,2) (the correct expectation).
    sum_form : float
        [sum_i C(a_i,2) + sum_j C(b_j,2)] / C(n,2) (the slides' formula).

    Returns
    -------
    ax : Axes
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.6))
    values, counts = np.unique(index_samples, return_counts=True)
    ax.bar(values, counts / counts.sum(), width=0.9 if np.ptp(values) < 80 else 0.8 * max(1, np.ptp(values) / 80),
           color="0.75", label=f"pair index, {len(index_samples)} random permutations")
    ax.axvline(np.mean(index_samples), color="black", lw=2,
               label=f"Monte Carlo mean = {np.mean(index_samples):.2f}")
    ax.axvline(product_form, color=CLUSTER_COLORS[2], lw=2, ls="--",
               label=f"product form = {product_form:.2f}")
    ax.axvline(sum_form, color=CLUSTER_COLORS[3], lw=2, ls=":",
               label=f"slides' sum form = {sum_form:.2f}")
    ax.set_xlabel(r"pair index $\sum_{ij} \binom{n_{ij}}{2}$")
    ax.set_ylabel("fraction of permutations")
    ax.legend(loc="upper left", fontsize=9)
    return ax


def plot_silhouette_point(X, labels, i, ax=None):
    """One point's silhouette on the plane: lines to its own cluster (a(i)) and to the nearest
    other cluster (b(i)), with a(i), b(i) and s(i) written in the title.

    Parameters
    ----------
    X : ndarray of shape (n_samples, 2)
    labels : ndarray of shape (n_samples,), integer labels
    i : int
        The chosen point.

    Returns
    -------
    ax : Axes
    """
    X = check_array_2d(X)
    labels = np.asarray(labels)
    i = check_positive_int(i, "i", minimum=0, maximum=len(X) - 1)
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 4.8))
    distances = np.linalg.norm(X - X[i], axis=1)
    own = labels == labels[i]
    own_others = own & (np.arange(len(X)) != i)
    other_means = {k: distances[labels == k].mean() for k in np.unique(labels) if k != labels[i]}
    nearest = min(other_means, key=other_means.get)
    a = distances[own_others].mean() if own_others.any() else 0.0
    b = other_means[nearest]
    s = 0.0 if not own_others.any() else (b - a) / max(a, b)
    for j in np.flatnonzero(own_others):
        ax.plot(*X[[i, j]].T, color=cluster_colors([labels[i]])[0], lw=0.7, alpha=0.5, zorder=1)
    for j in np.flatnonzero(labels == nearest):
        ax.plot(*X[[i, j]].T, color="0.3", lw=0.7, alpha=0.35, ls="--", zorder=1)
    plot_clusters(X, labels, ax=ax, s=22)
    ax.scatter(*X[i], s=240, facecolors="none", edgecolors="black", linewidths=2, zorder=4)
    ax.set_title(f"point {i}: a(i) = {a:.2f} (own cluster), b(i) = {b:.2f} "
                 f"(cluster {nearest})\ns(i) = (b - a) / max(a, b) = {s:.3f}", fontsize=10)
    return ax


def plot_silhouette_knife(X, labels, ax=None, samples=None):
    """The per-cluster silhouette ("knife") plot: each cluster's s(i) sorted, as horizontal bars,
    with the mean silhouette as a dashed line.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    labels : ndarray of shape (n_samples,), integer labels 0..K-1
    samples : ndarray of shape (n_samples,), optional
        Precomputed ``silhouette_samples(X, labels)``.

    Returns
    -------
    ax : Axes
    """
    labels = np.asarray(labels)
    if samples is None:
        samples = silhouette_samples(X, labels)
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4.5))
    y = 0
    gap = max(2, len(labels) // 60)
    for k in np.unique(labels):
        values = np.sort(samples[labels == k])
        ax.fill_betweenx(np.arange(y, y + len(values)), 0, values,
                         color=cluster_colors([k])[0], lw=0)
        ax.text(-0.04, y + len(values) / 2, str(k), ha="right", va="center", fontsize=9)
        y += len(values) + gap
    mean = float(np.mean(samples))
    ax.axvline(mean, color="black", ls="--", lw=1.2)
    ax.axvline(0, color="0.5", lw=0.8)
    ax.set_xlim(min(-0.2, samples.min() - 0.05), 1)
    ax.set_ylim(0, y)
    ax.set_yticks([])
    ax.set_xlabel("silhouette s(i)")
    ax.set_ylabel("samples, grouped by cluster")
    ax.set_title(f"mean silhouette = {mean:.3f}")
    return ax


@lru_cache_arrays(maxsize=256)
def _cached_kmeans_labels(X, n_clusters, random_state):
    labels = cluster_features(X, n_clusters, "kmeans", random_state=random_state, n_init=10)
    labels.flags.writeable = False
    return labels


def kmeans_labels(X, n_clusters, random_state=None):
    """K-Means labels: ``pipeline.cluster_features(X, n_clusters, 'kmeans', n_init=10)``
    (scikit-learn's K-Means), cached for an int ``random_state`` (so a slider moved back and
    forth refits nothing).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    n_clusters : int in [1, n_samples]
    random_state : None, int, numpy Generator or RandomState
        The K-Means starts. Only an int gives the same labels twice, so only an int is cached.

    Returns
    -------
    labels : ndarray of shape (n_samples,), read-only
    """
    X = check_array_2d(X)
    n_clusters = check_positive_int(n_clusters, "n_clusters", maximum=len(X))
    state = check_random_state(random_state, for_sklearn=True)    # an int stays an int
    if isinstance(state, int):
        return _cached_kmeans_labels(X, n_clusters, state)
    return cluster_features(X, n_clusters, "kmeans", random_state=random_state, n_init=10)


def draw_silhouette_for_k(n_clusters, X, random_state=None, axes=None):
    """Widget callback: K-Means with K clusters on the left, its knife plot on the right.

    K = 1 and K = n_samples have no silhouette (no neighbour cluster, or only singletons): the
    right panel then says so instead of raising.

    Parameters
    ----------
    n_clusters : int
    X : ndarray of shape (n_samples, 2)
    random_state : None, int, numpy Generator or RandomState
        The K-Means starts (see :func:`kmeans_labels`).
    axes : sequence of 2 Axes, optional
        Where to draw (default: a new figure).

    Returns
    -------
    axes : ndarray of 2 Axes
    """
    X = check_array_2d(X)
    n_clusters = check_positive_int(n_clusters, "n_clusters", maximum=len(X))
    labels = kmeans_labels(X, n_clusters, random_state)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(9.5, 4.2))
    axes = np.asarray(axes)
    left, right = axes
    plot_clusters(X, labels, ax=left, s=14, title=f"K-Means, K = {n_clusters}")
    if 2 <= n_clusters <= len(X) - 1:
        plot_silhouette_knife(X, labels, ax=right)
    else:
        right.set_axis_off()
        right.text(0.5, 0.5, f"K = {n_clusters}: no silhouette\n(it needs 2 <= K <= n - 1)",
                   ha="center", va="center", fontsize=12, transform=right.transAxes)
    return axes


def silhouette_by_k(X, cluster_counts, random_state=None):
    """Mean silhouette of K-Means for each K (each K must be in [2, n_samples - 1]).

    ``random_state`` (None, int, numpy Generator or RandomState): the K-Means starts.

    Returns
    -------
    scores : ndarray of shape (len(cluster_counts),)
    """
    X = check_array_2d(X)
    return np.array([silhouette_score(X, kmeans_labels(X, k, random_state)) for k in cluster_counts])


def plot_silhouette_by_k(cluster_counts, scores, ax=None, title=None):
    """Mean silhouette against K, the best K marked.

    Returns
    -------
    ax : Axes
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 3.4))
    cluster_counts = np.asarray(cluster_counts)
    best = int(np.argmax(scores))
    ax.plot(cluster_counts, scores, "o-", color="0.3")
    ax.plot(cluster_counts[best], scores[best], "o", ms=12, mfc="none", mec=CLUSTER_COLORS[3], mew=2)
    ax.set_xticks(cluster_counts)
    ax.set_xlabel("K")
    ax.set_ylabel("mean silhouette")
    ax.set_title(title or f"best K = {cluster_counts[best]}")
    return ax
