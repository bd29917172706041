"""Figures and simulations for the evaluation lesson (notebook 05).

Scores are drawn in one colour each (:data:`SCORE_COLORS`) in every figure.

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
    adjusted_mutual_info,
    adjusted_rand_index,
    clustering_accuracy,
    clustering_stability,
    contingency_table,
    normalized_mutual_info,
    pair_counts,
    rand_index,
    silhouette_samples,
    silhouette_score,
)
from ..kmeans import KMeans
from ..pipeline import cluster_features
from ..spectral import affinity_matrix, eigengap, spectral_embedding
from ..plotting import CLUSTER_COLORS, cluster_colors, plot_clusters
from ..validation import check_array_2d, check_positive_int, check_random_state

__all__ = [
    "PAIR_COLORS",
    "plot_pair_grid",
    "plot_contingency",
    "EXTERNAL_SCORES",
    "SCORE_COLORS",
    "SCORE_NAMES",
    "external_scores",
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
    "ScoresByK",
    "kmeans_scores_by_k",
    "plot_scores_against_k",
    "LowestARI",
    "lowest_ari",
    "SeedScores",
    "kmeans_seed_scores",
    "plot_seed_spread",
    "plot_bootstrap_intervals",
    "three_pairs_2d",
    "KRules",
    "choose_k_rules",
    "plot_k_rules",
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
        ax.text(j, i, "abcd"[int(kind[i, j])], ha="center", va="center",
                color="white" if kind[i, j] in (0, 2) else "black")
    ax.legend(handles, legend, loc="upper left", bbox_to_anchor=(1.02, 1.0),
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
        _, ax = plt.subplots(figsize=(0.7 * len(cols) + 2.6, 0.5 * len(rows) + 1.8))
    ax.imshow(table, cmap="Blues", vmin=0, vmax=max(1, table.max()), aspect="auto")
    threshold = 0.6 * table.max()
    for i in range(table.shape[0]):
        for j in range(table.shape[1]):
            ax.text(j, i, str(table[i, j]), ha="center", va="center",
                    color="white" if table[i, j] > threshold else "black")
    for i, j in (highlight or []):
        ax.add_patch(plt.Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="#d62728", lw=2))
    ax.set_xticks(range(len(cols)), [f"{c}\n({s})" for c, s in zip(cols, table.sum(axis=0))])
    ax.set_yticks(range(len(rows)), [f"{r} ({s})" for r, s in zip(rows, table.sum(axis=1))])
    ax.tick_params(length=0)
    ax.set_xlabel(f"{col_name} (size $b_j$)")
    ax.set_ylabel(f"{row_name} (size $a_i$)")
    for spine in ax.spines.values():
        spine.set_visible(False)
    return ax


EXTERNAL_SCORES = {
    "RI": rand_index,
    "ARI": adjusted_rand_index,
    "NMI": normalized_mutual_info,
    "AMI": adjusted_mutual_info,
}
"""The scores that compare a clustering with the truth, by short name (all from ``metrics``)."""

SCORE_COLORS = {
    "RI": CLUSTER_COLORS[0],
    "ARI": CLUSTER_COLORS[1],
    "NMI": CLUSTER_COLORS[2],
    "AMI": CLUSTER_COLORS[3],
    "accuracy": CLUSTER_COLORS[4],
    "silhouette": "0.25",
}
"""One colour per score in every figure of the lesson."""

SCORE_NAMES = {
    "RI": "Rand index (RI)",
    "ARI": "adjusted Rand index (ARI)",
    "NMI": "normalised mutual information (NMI)",
    "AMI": "adjusted mutual information (AMI)",
    "accuracy": "matched accuracy",
    "silhouette": "silhouette (no truth)",
}
"""Legend text of each score."""


def external_scores(labels_true, labels_pred, accuracy=False):
    """Every score of :data:`EXTERNAL_SCORES` (and matched accuracy if asked) of one clustering.

    Returns
    -------
    scores : dict
        ``{'RI': ..., 'ARI': ..., 'NMI': ..., 'AMI': ...}`` (and ``'accuracy'``), floats.
    """
    scores = {name: float(score(labels_true, labels_pred))
              for name, score in EXTERNAL_SCORES.items()}
    if accuracy:
        scores["accuracy"] = float(clustering_accuracy(labels_true, labels_pred))
    return scores


class ChanceScores(NamedTuple):
    """What :func:`chance_scores` returns.

    Attributes
    ----------
    cluster_counts : ndarray of int, shape (n_counts,)
        The number of clusters K of the random labelings.
    scores : dict
        ``{name: ndarray of shape (n_counts, n_repeats)}`` for every score of
        :data:`EXTERNAL_SCORES`, one row per K.
    """

    cluster_counts: np.ndarray
    scores: dict


def _check_cluster_counts(cluster_counts, minimum, maximum):
    """``cluster_counts`` as an int array, each in [minimum, maximum], at least one."""
    ks = np.array([check_positive_int(k, "cluster_counts", minimum=minimum, maximum=maximum)
                   for k in cluster_counts], dtype=np.int64)
    if ks.size == 0:
        raise ValueError("cluster_counts is empty: give at least one number of clusters")
    return ks


def chance_scores(n_samples, cluster_counts, n_repeats=20, random_state=None, labels_true=None):
    """RI, ARI, NMI and AMI of uniformly random labelings with K clusters, for each K.

    Parameters
    ----------
    n_samples : int
        Ignored when ``labels_true`` is given (its length is used).
    cluster_counts : sequence of int
        Number of clusters K of the random labelings.
    n_repeats : int
    random_state : None, int, numpy Generator or RandomState
        Draws the labelings.
    labels_true : array-like of shape (n_samples,), optional
        Fixed classes to score the random labelings against. Default: a second, independent
        random labeling with K clusters too.

    Returns
    -------
    ChanceScores
    """
    if labels_true is not None:
        labels_true = np.asarray(labels_true)
        n_samples = len(labels_true)
    n_samples = check_positive_int(n_samples, "n_samples", minimum=2)
    n_repeats = check_positive_int(n_repeats, "n_repeats")
    ks = _check_cluster_counts(cluster_counts, minimum=1, maximum=n_samples)
    rng = check_random_state(random_state)
    scores = {name: np.empty((len(ks), n_repeats)) for name in EXTERNAL_SCORES}
    for row, k in enumerate(ks):
        for rep in range(n_repeats):
            first = rng.integers(0, k, n_samples) if labels_true is None else labels_true
            second = rng.integers(0, k, n_samples)
            for name, value in external_scores(first, second).items():
                scores[name][row, rep] = value
    return ChanceScores(cluster_counts=ks, scores=scores)


def _plot_score_curves(ax, cluster_counts, scores, names, band=True):
    """Mean of each score against K (min-max band when each row holds several repeats)."""
    for name in names:
        values = np.atleast_2d(np.asarray(scores[name], dtype=float).T).T   # (n_counts, repeats)
        color = SCORE_COLORS[name]
        if band and values.shape[1] > 1:
            ax.fill_between(cluster_counts, values.min(axis=1), values.max(axis=1), color=color,
                            alpha=0.2, lw=0)
        ax.plot(cluster_counts, values.mean(axis=1), "o-" if name != "silhouette" else "s--",
                color=color, label=SCORE_NAMES[name], ms=4)
    ax.axhline(0, color="0.5", lw=0.8)
    ax.set_xlabel("number of clusters K")


def plot_chance_scores(scores, ax=None, names=("RI", "ARI"), title=None):
    """Mean and spread (min to max) of the chosen scores against K, from :func:`chance_scores`.

    Parameters
    ----------
    scores : ChanceScores
    names : sequence of str
        Keys of :data:`EXTERNAL_SCORES` to draw.
    title : str, optional

    Returns
    -------
    ax : Axes
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 3.8))
    counts = scores.cluster_counts
    _plot_score_curves(ax, counts, scores.scores, names)
    ax.set_xscale("log")
    ax.set_xticks(counts, [str(k) for k in counts])
    ax.minorticks_off()
    ax.set_xlabel("number of clusters K of the random labelings")
    ax.set_ylabel("score")
    ax.set_title(title or "random labelings: " + ", ".join(names))
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
    ax.legend(loc="upper left")
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
                 f"(cluster {nearest})\ns(i) = (b - a) / max(a, b) = {s:.3f}")
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
        ax.text(-0.04, y + len(values) / 2, str(k), ha="right", va="center")
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


# --------------------------------------------------------------------------------------------
# Where the scores disagree; the spread over seeds and samples; choosing K by stability
# --------------------------------------------------------------------------------------------

class ScoresByK(NamedTuple):
    """What :func:`kmeans_scores_by_k` returns.

    Attributes
    ----------
    cluster_counts : ndarray of int, shape (n_counts,)
    scores : dict
        ``{name: ndarray of shape (n_counts,)}`` for 'RI', 'ARI', 'NMI', 'AMI' and
        'silhouette' (the last one without the truth).
    """

    cluster_counts: np.ndarray
    scores: dict


def kmeans_scores_by_k(X, labels_true, cluster_counts, random_state=None):
    """Every score of K-Means (:func:`kmeans_labels`) against the truth, and its silhouette, per K.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    labels_true : array-like of shape (n_samples,)
    cluster_counts : sequence of int, each in [2, n_samples - 1]
    random_state : None, int, numpy Generator or RandomState
        The K-Means starts.

    Returns
    -------
    ScoresByK
    """
    X = check_array_2d(X)
    ks = _check_cluster_counts(cluster_counts, minimum=2, maximum=len(X) - 1)
    rows = []
    for k in ks:
        labels = kmeans_labels(X, k, random_state)
        rows.append({**external_scores(labels_true, labels),
                     "silhouette": silhouette_score(X, labels)})
    return ScoresByK(cluster_counts=ks, scores={name: np.array([row[name] for row in rows])
                                                for name in rows[0]})


def plot_scores_against_k(chance, by_k, axes=None):
    """Two panels sharing one legend: the scores of random labelings against K (left, from
    :func:`chance_scores` with ``labels_true``) and of K-Means against K (right, from
    :func:`kmeans_scores_by_k`).

    Returns
    -------
    axes : ndarray of 2 Axes
    """
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(12.2, 4.6), sharey=True)
    axes = np.asarray(axes)
    left, right = axes
    _plot_score_curves(left, chance.cluster_counts, chance.scores, list(EXTERNAL_SCORES))
    left.set_xscale("log")
    left.set_xticks(chance.cluster_counts, [str(k) for k in chance.cluster_counts])
    left.minorticks_off()
    left.set_ylabel("score")
    left.set_title("random labelings against the truth: nothing learned")
    _plot_score_curves(right, by_k.cluster_counts, by_k.scores,
                       list(EXTERNAL_SCORES) + ["silhouette"], band=False)
    right.set_xscale("log")
    right.set_xticks(by_k.cluster_counts, [str(k) for k in by_k.cluster_counts])
    right.minorticks_off()
    right.set_title("K-Means with K clusters")
    # One legend for both panels, under them: off the data.
    right.get_figure().legend(*right.get_legend_handles_labels(), loc="outside lower center",
                              ncol=3, frameon=False)
    return axes


def _set_partitions(n):
    """Every partition of n samples, once each, as label vectors (restricted growth strings)."""
    partitions = [[0]]
    for _ in range(n - 1):
        partitions = [p + [v] for p in partitions for v in range(max(p) + 2)]
    return [np.array(p) for p in partitions]


class LowestARI(NamedTuple):
    """What :func:`lowest_ari` returns: the lowest ARI and a pair of partitions reaching it."""

    value: float
    labels_true: np.ndarray
    labels_pred: np.ndarray


def lowest_ari(n_samples):
    """The lowest ARI over every pair of partitions of ``n_samples`` samples (exhaustive search).

    Parameters
    ----------
    n_samples : int in [2, 6]
        The number of partitions grows fast (52 for 5 samples, 203 for 6), and the pairs are its
        square.

    Returns
    -------
    LowestARI
    """
    n_samples = check_positive_int(n_samples, "n_samples", minimum=2, maximum=6)
    partitions = _set_partitions(n_samples)
    lowest = LowestARI(np.inf, partitions[0], partitions[0])
    for first in partitions:
        for second in partitions:
            value = adjusted_rand_index(first, second)
            if value < lowest.value:
                lowest = LowestARI(value, first, second)
    return lowest


class SeedScores(NamedTuple):
    """What :func:`kmeans_seed_scores` returns.

    Attributes
    ----------
    scores : dict
        ``{name: ndarray of shape (n_seeds,)}`` for 'RI', 'ARI', 'NMI', 'AMI': one value per run.
    inertia : ndarray of shape (n_seeds,)
        Each run's inertia (what ``n_init`` restarts minimise).
    labels : ndarray of int, shape (n_seeds, n_samples)
        Each run's clustering.
    """

    scores: dict
    inertia: np.ndarray
    labels: np.ndarray


def kmeans_seed_scores(X, labels_true, n_clusters, n_seeds=50, random_state=None):
    """Run the same K-Means (``lessons_src.kmeans.KMeans``, one K-Means++ start) ``n_seeds``
    times with different random starts and score each run against the truth.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    labels_true : array-like of shape (n_samples,)
    n_clusters : int
    n_seeds : int
    random_state : None, int, numpy Generator or RandomState
        Every run draws its start from this one generator, so the runs differ and the whole
        experiment is reproducible.

    Returns
    -------
    SeedScores
    """
    X = check_array_2d(X)
    n_clusters = check_positive_int(n_clusters, "n_clusters", maximum=len(X))
    n_seeds = check_positive_int(n_seeds, "n_seeds")
    rng = check_random_state(random_state)
    scores = {name: np.empty(n_seeds) for name in EXTERNAL_SCORES}
    inertia = np.empty(n_seeds)
    labels = np.empty((n_seeds, len(X)), dtype=np.int64)
    for run in range(n_seeds):
        model = KMeans(n_clusters, n_init=1, random_state=rng, history="none").fit(X)
        inertia[run], labels[run] = model.inertia_, model.labels_
        for name, value in external_scores(labels_true, model.labels_).items():
            scores[name][run] = value
    return SeedScores(scores=scores, inertia=inertia, labels=labels)


def plot_seed_spread(seed_scores, ax=None, names=tuple(EXTERNAL_SCORES), title=None):
    """Each score over the runs of :func:`kmeans_seed_scores`: a box (quartiles, whiskers at the
    extremes) and every run as a dot.

    Returns
    -------
    ax : Axes
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 4.2))
    jitter = np.random.default_rng(0).uniform(-0.12, 0.12, len(seed_scores.scores[names[0]]))
    for position, name in enumerate(names):
        values = seed_scores.scores[name]
        ax.boxplot(values, positions=[position], widths=0.5, whis=(0, 100), showfliers=False,
                   medianprops={"color": "black"}, boxprops={"color": "0.4"},
                   whiskerprops={"color": "0.4"}, capprops={"color": "0.4"})
        ax.scatter(position + jitter, values, s=14, color=SCORE_COLORS[name], alpha=0.75, zorder=3)
    ax.set_xticks(range(len(names)), [f"{name}\n{seed_scores.scores[name].min():.2f} to "
                                      f"{seed_scores.scores[name].max():.2f}" for name in names])
    ax.set_ylabel("score")
    ax.set_title(title or f"the same K-Means, {len(jitter)} seeds")
    return ax


def plot_bootstrap_intervals(bootstrap, ax=None, level=0.95, seed_scores=None,
                             seed_name="K-Means", score_name="ARI"):
    """The bootstrap interval of each clustering's score as a horizontal bar, its score on all
    the samples as a dot; optionally the range of a seeded algorithm over its seeds (gray band).

    Parameters
    ----------
    bootstrap : metrics.BootstrapScores
    level : float
        Coverage of the intervals.
    seed_scores : SeedScores, optional
        Drawn on the row ``seed_name`` as the min-max range over the seeds.
    score_name : str
        The score that was bootstrapped (axis label, colour).

    Returns
    -------
    ax : Axes
    """
    names = sorted(bootstrap.observed, key=bootstrap.observed.get)
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 0.5 * len(names) + 1.4))
    color = SCORE_COLORS.get(score_name, "black")
    for row, name in enumerate(names):
        low, high = bootstrap.interval(name, level)
        if seed_scores is not None and name == seed_name:
            values = seed_scores.scores[score_name]
            ax.barh(row, np.ptp(values), left=values.min(), height=0.55, color="0.85", zorder=1,
                    label=f"range over {len(values)} seeds")
        ax.plot([low, high], [row, row], color=color, lw=3, solid_capstyle="butt", zorder=2,
                label=f"{level:.0%} bootstrap interval" if row == 0 else None)
        ax.plot(bootstrap.observed[name], row, "o", color="black", ms=6, zorder=3,
                label="score on all samples" if row == 0 else None)
        right_end = high if seed_scores is None or name != seed_name else max(
            high, float(seed_scores.scores[score_name].max()))
        ax.text(right_end + 0.015, row, f"{bootstrap.observed[name]:.3f} [{low:.3f}, {high:.3f}]",
                va="center")
    ax.set_yticks(range(len(names)), names)
    ax.set_ylim(-0.7, len(names) - 0.3)
    ax.set_xlim(min(-0.02, ax.get_xlim()[0]), 1.3)
    ax.set_xlabel(score_name)
    ax.legend(loc="lower right", frameon=True, framealpha=0.9)
    return ax


def three_pairs_2d(n_per_blob=40, separation=4.5, random_state=None):
    """Six round blobs (standard deviation 0.6) in three pairs: the blobs of a pair are
    ``separation`` apart, the pairs about 10 apart. Two honest answers: K = 3 and K = 6.

    Returns
    -------
    X : ndarray of shape (6 * n_per_blob, 2)
    y : ndarray of int, shape (6 * n_per_blob,), the blob of each point (0..5; pairs 0-1, 2-3, 4-5)
    """
    n_per_blob = check_positive_int(n_per_blob, "n_per_blob")
    rng = check_random_state(random_state)
    pairs = np.array([[0.0, 0.0], [10.0, 0.0], [5.0, 8.0]])
    centers = np.repeat(pairs, 2, axis=0) + np.tile([[0.0, 0.0], [float(separation), 0.0]], (3, 1))
    y = np.repeat(np.arange(6), n_per_blob)
    return centers[y] + rng.normal(scale=0.6, size=(len(y), 2)), y


class KRules(NamedTuple):
    """What :func:`choose_k_rules` returns: four ways to choose K, on the same data.

    Attributes
    ----------
    cluster_counts : ndarray of int
        The candidate K (from 2).
    inertia : ndarray of shape (n_counts + 2,)
        K-Means inertia for K = cluster_counts[0] - 1 .. cluster_counts[-1] + 1 (the elbow
        needs a neighbour on each side).
    silhouette : ndarray of shape (n_counts,)
        Mean silhouette of K-Means for each candidate K.
    eigenvalues : ndarray of shape (cluster_counts[-1] + 1,)
        Smallest eigenvalues of the normalised Laplacian of the RBF graph.
    stability : ndarray of shape (n_counts, n_pairs)
        :func:`metrics.clustering_stability` of K-Means for each candidate K.
    """

    cluster_counts: np.ndarray
    inertia: np.ndarray
    silhouette: np.ndarray
    eigenvalues: np.ndarray
    stability: np.ndarray

    @property
    def elbow_curvature(self):
        """inertia(K - 1) - 2 inertia(K) + inertia(K + 1) for each candidate K: how sharply the
        inertia curve bends there."""
        return self.inertia[:-2] - 2 * self.inertia[1:-1] + self.inertia[2:]

    @property
    def elbow_k(self):
        """The elbow rule: the K where the inertia curve bends most."""
        return int(self.cluster_counts[np.argmax(self.elbow_curvature)])

    @property
    def silhouette_k(self):
        """The silhouette rule: the K of highest mean silhouette."""
        return int(self.cluster_counts[np.argmax(self.silhouette)])

    @property
    def eigengap_k(self):
        """The eigengap rule: the number of eigenvalues before the largest gap."""
        return eigengap(self.eigenvalues, max_clusters=int(self.cluster_counts[-1]))

    @property
    def stability_k(self):
        """The stability rule: the K of highest mean stability."""
        return int(self.cluster_counts[np.argmax(self.stability.mean(axis=1))])


def choose_k_rules(X, cluster_counts, n_pairs=20, gamma=1.0, random_state=None):
    """The elbow, silhouette, eigengap and stability rules for choosing K, on the same data.

    K-Means is ``lessons_src.kmeans.KMeans`` (K-Means++ starts; 10 for the inertia and the
    silhouette, 3 per subsample for the stability); the graph of the eigengap is
    ``spectral.affinity_matrix(X, 'rbf', gamma)``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    cluster_counts : sequence of consecutive int from 2 up
    n_pairs : int
        Pairs of subsamples (80 % of the points each) per K for the stability.
    gamma : float
        The RBF graph's inverse squared length scale.
    random_state : None, int, numpy Generator or RandomState

    Returns
    -------
    KRules
    """
    X = check_array_2d(X)
    ks = _check_cluster_counts(cluster_counts, minimum=2, maximum=len(X) - 2)
    if not np.array_equal(ks, np.arange(ks[0], ks[0] + len(ks))):
        raise ValueError(f"cluster_counts must be consecutive integers, got {list(ks)}")
    rng = check_random_state(random_state)
    fits = {k: KMeans(k, n_init=10, random_state=rng, history="none").fit(X)
            for k in range(ks[0] - 1, ks[-1] + 2)}
    silhouette = np.array([silhouette_score(X, fits[k].labels_) for k in ks])
    affinity = affinity_matrix(X, "rbf", gamma=gamma)
    eigenvalues = spectral_embedding(affinity, int(ks[-1]) + 1, return_eigenvalues=True).eigenvalues
    stability = np.array([clustering_stability(
        X, lambda X_sub, state, k=k: KMeans(k, n_init=3, random_state=state,
                                            history="none").fit(X_sub).labels_,
        n_pairs=n_pairs, random_state=rng) for k in ks])
    return KRules(cluster_counts=ks, inertia=np.array([fits[k].inertia_ for k in sorted(fits)]),
                  silhouette=silhouette, eigenvalues=eigenvalues, stability=stability)


def plot_k_rules(X, rules, labels=None, axes=None):
    """The data and the four rules' curves, each rule's K ringed in red.

    Parameters
    ----------
    X : ndarray of shape (n_samples, 2)
    rules : KRules
    labels : array-like of shape (n_samples,), optional
        Colours of the points (e.g. the blobs).
    axes : sequence of 5 Axes, optional
        Data, elbow, silhouette, eigengap, stability.

    Returns
    -------
    axes : list of 5 Axes
    """
    if axes is None:
        fig = plt.figure(figsize=(12.2, 6.0))
        grid = fig.add_gridspec(2, 3, width_ratios=[1.5, 1, 1])
        axes = [fig.add_subplot(grid[:, 0])] + [fig.add_subplot(grid[r, c])
                                                for r in range(2) for c in (1, 2)]
    data_ax, elbow_ax, silhouette_ax, eigengap_ax, stability_ax = axes
    plot_clusters(X, labels, ax=data_ax, s=12, title="the data")
    ks = rules.cluster_counts
    curves = [
        (elbow_ax, np.arange(ks[0] - 1, ks[-1] + 2), rules.inertia, rules.elbow_k, "inertia",
         "elbow"),
        (silhouette_ax, ks, rules.silhouette, rules.silhouette_k, "mean silhouette", "silhouette"),
        (eigengap_ax, np.arange(1, len(rules.eigenvalues) + 1), rules.eigenvalues, rules.eigengap_k,
         "Laplacian eigenvalue $\\lambda_K$", "eigengap"),
        (stability_ax, ks, rules.stability.mean(axis=1), rules.stability_k,
         "mean ARI between subsamples", "stability"),
    ]
    for ax, x, y, chosen, ylabel, rule in curves:
        ax.plot(x, y, "o-", color="0.3", ms=4)
        ax.plot(chosen, y[list(x).index(chosen)], "o", ms=12, mfc="none", mec=CLUSTER_COLORS[3],
                mew=2)
        ax.set_xticks(x)
        ax.set_xlabel("K")
        ax.set_ylabel(ylabel)
        ax.set_title(f"{rule}: K = {chosen}")
    stability_ax.fill_between(ks, rules.stability.min(axis=1), rules.stability.max(axis=1),
                              color="0.85", lw=0)
    if rules.eigengap_k < len(rules.eigenvalues):
        gap = rules.eigengap_k
        eigengap_ax.annotate("", xy=(gap + 1, rules.eigenvalues[gap]),
                             xytext=(gap + 1, rules.eigenvalues[gap - 1]),
                             arrowprops={"arrowstyle": "<->", "color": CLUSTER_COLORS[3]})
    return axes
