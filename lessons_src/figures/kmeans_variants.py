"""Figures and slider callbacks of lesson 02 (K-Means pitfalls and variants).

Every ``draw_*`` (slider callback) and ``plot_*`` (static figure) function draws one whole figure
for one set of values and returns what it drew (a dict of axes and the numbers shown), so a slider
can call it and a test can check it. Slider values that make no sense for the data never raise.
"""
import functools
from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import Normalize

from .. import SEED
from ..caching import lru_cache_arrays
from ..datasets import (make_anisotropic_2d, make_blobs_2d, make_circles_2d, make_moons_2d,
                        make_unequal_2d, replay_set)
from ..kmeans import (KMeans, MiniBatchKMeans, assign, compute_inertia, init_kmeans_parallel,
                      init_kmeans_plusplus, kmeans_plusplus_picks, squared_distances)
from ..plotting import (CLUSTER_COLORS, cluster_colors, data_window, plot_kmeans_state,
                        plot_message)
from ..timing import median_seconds
from ..validation import check_random_state

__all__ = [
    "plot_init_sensitivity",
    "draw_choose_k",
    "OUTLIER_DISTANCES",
    "draw_outlier_pull",
    "plot_failure_cases",
    "draw_d2_map",
    "plot_plusplus_vs_random",
    "draw_kmeans_parallel_rounds",
    "compare_plusplus_parallel",
    "MINIBATCH_SIZES",
    "MINIBATCH_STEPS",
    "minibatch_curves",
    "draw_minibatch",
]


def _read_only(array):
    """Cached results are shared by every call that asks for them: never writable."""
    array = np.asarray(array)
    array.flags.writeable = False
    return array


def _n_distinct(X):
    return np.unique(X, axis=0).shape[0]


class _SeedRuns(NamedTuple):
    inertias: np.ndarray      # (n_seeds,) final inertia of the run with random_state=s
    init_centers: np.ndarray  # (n_seeds, n_clusters, n_features)
    centers: np.ndarray       # (n_seeds, n_clusters, n_features)
    labels: np.ndarray        # (n_seeds, n_samples)


@lru_cache_arrays(maxsize=8)
def _seed_runs(X, n_clusters, init, n_seeds):
    """One K-Means run for each random_state 0..n_seeds-1 (cached: lesson 02 uses them twice)."""
    models = [KMeans(n_clusters=n_clusters, init=init, random_state=seed, history="none").fit(X)
              for seed in range(n_seeds)]
    return _SeedRuns(*(_read_only([getattr(m, name) for m in models]) for name in
                       ("inertia_", "init_centers_", "cluster_centers_", "labels_")))


def plot_init_sensitivity(X, n_clusters, n_seeds=100, init="random", axes=None):
    """Final inertia of ``n_seeds`` runs from different random initial centres
    (``random_state`` 0, 1, ...), and the best and worst local optima drawn.

    Returns
    -------
    dict with 'axes' and 'inertias' (ndarray of shape (n_seeds,), random_state s at index s)
    """
    if axes is None:
        _, axes = plt.subplots(1, 3, figsize=(13, 4), width_ratios=[1.1, 1, 1])
    runs = _seed_runs(np.asarray(X, dtype=float), n_clusters, init, n_seeds)
    inertias = runs.inertias
    best, worst = int(np.argmin(inertias)), int(np.argmax(inertias))
    axes[0].hist(inertias, bins=25, color=CLUSTER_COLORS[0], alpha=0.85)
    axes[0].set_xlabel("final inertia")
    axes[0].set_ylabel("number of seeds")
    n_best = int(np.sum(inertias <= inertias[best] * 1.01))
    axes[0].set_title(f"{n_seeds} seeds: {n_best} within 1% of the best")
    for ax, index, name in ((axes[1], best, "best"), (axes[2], worst, "worst")):
        plot_kmeans_state(ax, X, runs.centers[index], runs.labels[index],
                          title=f"{name} (seed {index}): inertia {inertias[index]:.0f}")
    return {"axes": axes, "inertias": inertias}


class _KCurves(NamedTuple):
    n_clusters: np.ndarray   # (n_values,) K = 1, 2, ...
    inertias: np.ndarray     # (n_values,)
    silhouettes: np.ndarray  # (n_values,), NaN where undefined
    labels: np.ndarray       # (n_values, n_samples)
    centers: list            # n_values arrays of shape (K, n_features)


@functools.lru_cache(maxsize=8)
def _k_curves(data, max_n_clusters):
    X, _ = replay_set(data)
    return _compute_k_curves(X, max_n_clusters)


def _compute_k_curves(X, max_n_clusters):
    from sklearn.metrics import silhouette_score

    values = np.arange(1, min(int(max_n_clusters), X.shape[0]) + 1)
    inertias, silhouettes, labels, centers = [], [], [], []
    n_distinct = _n_distinct(X)
    for n_clusters in values:
        model = KMeans(n_clusters=int(n_clusters), n_init=5, random_state=SEED,
                       history="none").fit(X)
        inertias.append(model.inertia_)
        n_used = len(np.unique(model.labels_))
        # The silhouette needs 2 <= number of clusters <= n_samples - 1.
        ok = 2 <= n_used <= X.shape[0] - 1 and n_clusters <= n_distinct
        silhouettes.append(silhouette_score(X, model.labels_) if ok else np.nan)
        labels.append(model.labels_)
        centers.append(_read_only(model.cluster_centers_))
    return _KCurves(_read_only(values), _read_only(inertias), _read_only(silhouettes),
                    _read_only(labels), centers)


def draw_choose_k(n_clusters=3, data="blobs", X=None, max_n_clusters=10, axes=None):
    """Choosing K: the elbow curve (inertia vs K), the silhouette curve, and the clustering for
    the chosen K.

    Parameters
    ----------
    n_clusters : int
        The K drawn (clipped to [1, min(max_n_clusters, n_samples)]).
    data : str, key of :data:`~lessons_src.datasets.REPLAY_SETS` (ignored when X is given)
    X : ndarray of shape (n_samples, 2), optional
    max_n_clusters : int
        The curves go from K = 1 to this K.

    Returns
    -------
    dict with 'axes', 'n_clusters' (the K of each point of the curves), 'inertias',
    'silhouettes' (NaN where undefined: K = 1, K = n)
    """
    if axes is None:
        _, axes = plt.subplots(1, 3, figsize=(13, 3.9), width_ratios=[1, 1, 1.1])
    if X is None:
        X = replay_set(data)[0]
        curves = _k_curves(data, int(max_n_clusters))
    else:
        X = np.asarray(X, dtype=float)
        curves = _compute_k_curves(X, int(max_n_clusters))
    values, inertias, silhouettes = curves.n_clusters, curves.inertias, curves.silhouettes
    n_clusters = int(np.clip(int(n_clusters), 1, values[-1]))
    axes[0].plot(values, inertias, "o-", color="0.3", ms=4)
    axes[0].plot(n_clusters, inertias[n_clusters - 1], "o", ms=11, mfc="none",
                 mec=CLUSTER_COLORS[3], mew=2)
    axes[0].set_xlabel("K")
    axes[0].set_ylabel("inertia")
    axes[0].set_title("elbow: inertia always falls with K")
    axes[1].plot(values, silhouettes, "o-", color="0.3", ms=4)
    if np.isfinite(silhouettes[n_clusters - 1]):
        axes[1].plot(n_clusters, silhouettes[n_clusters - 1], "o", ms=11, mfc="none",
                     mec=CLUSTER_COLORS[3], mew=2)
    if np.any(np.isfinite(silhouettes)):
        best = int(values[np.nanargmax(silhouettes)])
        axes[1].set_title(f"silhouette: highest at K = {best}")
    else:
        axes[1].set_title("silhouette: undefined here")
    axes[1].set_xlabel("K")
    axes[1].set_ylabel("mean silhouette")
    axes[1].set_xlim(axes[0].get_xlim())
    sil = silhouettes[n_clusters - 1]
    plot_kmeans_state(axes[2], X, curves.centers[n_clusters - 1], curves.labels[n_clusters - 1],
                      title=f"K = {n_clusters}: silhouette "
                      + (f"{sil:.2f}" if np.isfinite(sil) else "undefined"))
    return {"axes": axes, "n_clusters": values, "inertias": inertias, "silhouettes": silhouettes}


OUTLIER_DISTANCES = tuple(range(0, 61, 4))
"""Distances of the outlier curve in lesson 02."""


def _outlier_data(distance):
    """Three blobs of 30 points and a group of 3 outliers ``distance`` to the right of them."""
    X, _ = make_blobs_2d(n_samples=90, n_clusters=3, cluster_std=0.8, random_state=SEED)
    offsets = np.array([[0.0, 0.0], [0.4, 0.3], [0.2, -0.4]])
    outliers = X.mean(axis=0) + np.array([float(distance), 0.0]) + offsets
    return X, outliers


@functools.lru_cache(maxsize=8)
def _outlier_clean_centers(n_clusters):
    """The centres fitted without the outliers (5 k-means++ starts)."""
    X, _ = _outlier_data(0.0)
    model = KMeans(n_clusters=n_clusters, n_init=5, random_state=SEED, history="none").fit(X)
    return _read_only(model.cluster_centers_)


class _OutlierFit(NamedTuple):
    X: np.ndarray              # (90, 2) the blobs
    outliers: np.ndarray       # (3, 2)
    clean_centers: np.ndarray  # (n_clusters, 2) fitted without the outliers
    model: KMeans              # fitted with them
    move: float                # largest move of a clean centre to its nearest new centre
    outliers_alone: bool       # the outliers form a cluster with no blob point


def _outlier_fit(distance, n_clusters):
    X, outliers = _outlier_data(distance)
    clean_centers = _outlier_clean_centers(n_clusters)
    dirty = KMeans(n_clusters=n_clusters, n_init=5, random_state=SEED,
                   history="none").fit(np.vstack([X, outliers]))
    # Match each clean centre to the nearest centre fitted with the outliers: how far was it moved?
    moves = np.sqrt(squared_distances(clean_centers, dirty.cluster_centers_).min(axis=1))
    outlier_labels = dirty.labels_[-len(outliers):]
    outliers_alone = bool(np.all(np.isin(dirty.labels_[:-len(outliers)], outlier_labels, invert=True)))
    return _OutlierFit(X, outliers, clean_centers, dirty, float(moves.max()), outliers_alone)


class _OutlierCurve(NamedTuple):
    distances: np.ndarray  # OUTLIER_DISTANCES
    moves: np.ndarray
    alone: np.ndarray


@functools.lru_cache(maxsize=4)
def _outlier_curve(n_clusters):
    fits = [_outlier_fit(distance, n_clusters) for distance in OUTLIER_DISTANCES]
    return _OutlierCurve(_read_only(np.array(OUTLIER_DISTANCES, dtype=float)),
                         _read_only([fit.move for fit in fits]),
                         _read_only([fit.outliers_alone for fit in fits]))


def draw_outlier_pull(distance=15.0, n_clusters=3, axes=None):
    """Three outliers ``distance`` to the right of three blobs: they drag a centre, and far
    enough away they take a cluster of their own (two blobs then share one centre).

    Left: K-Means (K = ``n_clusters``, 5 k-means++ starts) with the outliers; hollow crosses are
    the centres fitted without them. Right: how far the most displaced centre moved, against the
    outliers' distance.

    Returns
    -------
    dict with 'axes', 'shift' (largest move of a clean centre to its nearest new centre) and
    'outliers_alone' (True when the outliers form a cluster with no blob point)
    """
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(11, 4), width_ratios=[1.4, 1])
    n_clusters = int(np.clip(int(n_clusters), 1, 90))
    fit = _outlier_fit(distance, n_clusters)
    X_all = np.vstack([fit.X, fit.outliers])
    ax = axes[0]
    plot_kmeans_state(ax, X_all, fit.model.cluster_centers_, fit.model.labels_,
                      window=data_window(X_all, pad=0.05))
    ax.set_aspect("auto")
    ax.scatter(fit.outliers[:, 0], fit.outliers[:, 1], s=170, facecolors="none",
               edgecolors="black", linewidths=1.5, label="outliers")
    ax.scatter(fit.clean_centers[:, 0], fit.clean_centers[:, 1], marker="X", s=120,
               facecolors="none", edgecolors="0.2", linewidths=1, zorder=4, label="without outliers")
    ax.legend(loc="upper right", fontsize=9)
    ax.set_title("the outliers have a cluster of their own" if fit.outliers_alone
                 else f"outliers at {float(distance):.0f}: a centre moved by {fit.move:.2f}")
    curve = _outlier_curve(n_clusters)
    ax = axes[1]
    ax.plot(curve.distances, curve.moves, "o-", color="0.3", ms=4, label="largest centre move")
    ax.plot(curve.distances[curve.alone], curve.moves[curve.alone], "o", color=CLUSTER_COLORS[3],
            ms=6, label="outliers got their own cluster")
    ax.axvline(float(distance), color=CLUSTER_COLORS[0], lw=1.5)
    ax.set_xlabel("distance of the outliers")
    ax.set_ylabel("centre displacement")
    ax.set_title("3 outliers among 90 points")
    ax.legend(loc="center right", fontsize=9)
    return {"axes": axes, "shift": fit.move, "outliers_alone": fit.outliers_alone}


def plot_failure_cases(axes=None, random_state=None):
    """K-Means (with the true K, 10 starts) on moons, circles, anisotropic and unequal clusters,
    with the ARI against the truth in each title.

    Parameters
    ----------
    axes : 4 Axes, optional
    random_state : None, int, numpy Generator or RandomState
        Draws the K-Means starts (the data sets are the lesson's, made with ``SEED``).

    Returns
    -------
    dict with 'axes' and 'ari' {name: float}
    """
    from sklearn.metrics import adjusted_rand_score

    if axes is None:
        _, axes = plt.subplots(1, 4, figsize=(14, 3.8))
    sets = {"moons": make_moons_2d(random_state=SEED), "circles": make_circles_2d(random_state=SEED),
            "anisotropic": make_anisotropic_2d(random_state=SEED),
            "unequal": make_unequal_2d(random_state=SEED)}
    ari = {}
    for ax, (name, (X, y)) in zip(np.ravel(axes), sets.items()):
        model = KMeans(n_clusters=len(np.unique(y)), n_init=10, random_state=random_state,
                       history="none").fit(X)
        ari[name] = adjusted_rand_score(y, model.labels_)
        plot_kmeans_state(ax, X, model.cluster_centers_, model.labels_,
                          title=f"{name}: ARI {ari[name]:.2f}")
        ax.set_xlabel("")
        ax.set_ylabel("")
    return {"axes": axes, "ari": ari}


def draw_d2_map(pick=2, n_clusters=4, random_state=None, X=None, ax=None):
    """K-Means++ pick by pick: the heat map of ``D(x)^2`` (squared distance to the nearest centre
    chosen so far), the points coloured by their probability of being the next centre, the
    centres chosen so far, and the point actually drawn.

    Parameters
    ----------
    pick : int
        Which pick to show, 1..n_clusters (1 = the uniform first pick); clipped.
    n_clusters : int, clipped to the number of points
    random_state : None, int, numpy Generator or RandomState
        Draws the picks (an int: every ``pick`` shows the same run).
    X : ndarray of shape (n_samples, 2), optional (default: the blobs of the replay)

    Returns
    -------
    dict with 'ax', 'probabilities' (the law of this pick), 'indices' (all picks)
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6.2, 4.8))
    X = replay_set("blobs")[0] if X is None else np.asarray(X, dtype=float)
    n_clusters = int(np.clip(int(n_clusters), 1, X.shape[0]))
    pick = int(np.clip(int(pick), 1, n_clusters))
    picks = list(kmeans_plusplus_picks(X, n_clusters, random_state))
    indices = np.array([p.index for p in picks])
    p = picks[pick - 1].probabilities
    chosen = X[indices[:pick - 1]]
    xlim, ylim = data_window(X)
    # One colour scale for the plane and the points: the background at x is D(x)^2 divided by
    # the data's sum of D^2, so at a data point it *is* that point's probability.
    norm = Normalize(0, max(p.max(), 1e-12))
    if pick > 1:
        xs, ys = np.linspace(*xlim, 150), np.linspace(*ylim, 150)
        grid = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
        d2_points = squared_distances(X, chosen).min(axis=1)
        d2 = squared_distances(grid, chosen).min(axis=1).reshape(150, 150)
        total = d2_points.sum()
        background = d2 / total if total > 0 else np.zeros_like(d2)
        ax.imshow(background, origin="lower", extent=(*xlim, *ylim), cmap="magma", norm=norm,
                  alpha=0.85, aspect="auto", zorder=0)
    order = np.argsort(p)
    scatter = ax.scatter(X[order, 0], X[order, 1], c=p[order], cmap="magma", norm=norm,
                         s=10 + 600 * p[order] / max(p.max(), 1e-12) * min(1.0, 20 * p.max()),
                         edgecolors="white", linewidths=0.5, zorder=2)
    plt.colorbar(scatter, ax=ax, label="probability of being the next centre", shrink=0.85)
    if pick > 1:
        ax.scatter(chosen[:, 0], chosen[:, 1], marker="X", s=170, c=cluster_colors(np.arange(pick - 1)),
                   edgecolors="black", linewidths=1.2, zorder=3, label="chosen so far")
    drawn = X[indices[pick - 1]]
    ax.scatter(*drawn, s=260, facecolors="none", edgecolors=CLUSTER_COLORS[3], linewidths=2.2,
               zorder=4, label="drawn now")
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    law = "uniform" if pick == 1 else "proportional to $D(x)^2$"
    ax.set_title(f"pick {pick} of {n_clusters}: {law}; max p = {p.max():.3f}")
    ax.legend(loc="lower left", fontsize=9, markerscale=0.6)
    return {"ax": ax, "probabilities": p, "indices": indices}


def plot_plusplus_vs_random(X, n_clusters, n_seeds=100, axes=None):
    """Inertia over ``n_seeds`` seeds (``random_state`` 0, 1, ...): of the initial centres, and
    after K-Means, for random and for K-Means++ initialisation.

    Returns
    -------
    dict with 'axes' and 'results' {init: {'initial': array, 'final': array}}
    """
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10.5, 3.8))
    X = np.asarray(X, dtype=float)
    results = {}
    for init in ("random", "k-means++"):
        runs = _seed_runs(X, n_clusters, init, n_seeds)
        initial = [compute_inertia(X, assign(X, centers), centers) for centers in runs.init_centers]
        results[init] = {"initial": np.array(initial), "final": runs.inertias.copy()}
    for ax, key in zip(axes, ("initial", "final")):
        values = np.concatenate([results["random"][key], results["k-means++"][key]])
        bins = np.linspace(values.min(), values.max(), 30)
        for init, color in (("random", CLUSTER_COLORS[0]), ("k-means++", CLUSTER_COLORS[1])):
            ax.hist(results[init][key], bins=bins, color=color, alpha=0.6,
                    label=f"{init}: median {np.median(results[init][key]):.0f}")
        ax.set_xlabel("inertia")
        ax.set_ylabel("number of seeds")
        ax.legend(loc="upper right", fontsize=9)
    axes[0].set_title(f"initial centres, {n_seeds} seeds (before any iteration)")
    best = min(results["random"]["final"].min(), results["k-means++"]["final"].min())
    share = {init: int(np.sum(results[init]["final"] <= 1.01 * best)) for init in results}
    axes[1].set_title(f"after K-Means: best optimum reached by {share['random']} vs "
                      f"{share['k-means++']}", fontsize=11)
    return {"axes": axes, "results": results}


def draw_kmeans_parallel_rounds(n_rounds=3, oversampling_factor=1.0, n_clusters=4,
                                random_state=None, X=None, axes=None):
    """K-Means|| round by round: the candidates each round adds (proportional to D^2), then the
    candidates weighted by how many points they stand for, and the K centres weighted K-Means++
    keeps.

    Parameters
    ----------
    n_rounds : int >= 1 (one panel per round, at most 5 drawn)
    oversampling_factor : float > 0, l = oversampling_factor * K candidates expected per round
    n_clusters : int, clipped to the number of points
    random_state : None, int, numpy Generator or RandomState
    X : ndarray of shape (n_samples, 2), optional (default: the blobs of the replay)

    Returns
    -------
    dict with 'axes' and 'seeding' (the :class:`~lessons_src.kmeans.ParallelSeeding` drawn)
    """
    n_rounds = max(int(n_rounds), 1)
    shown_rounds = min(n_rounds, 5)
    if axes is None:
        _, axes = plt.subplots(1, shown_rounds + 1, figsize=(2.9 * (shown_rounds + 1), 3.3))
    axes = np.ravel(axes)
    X = replay_set("blobs")[0] if X is None else np.asarray(X, dtype=float)
    n_clusters = int(np.clip(int(n_clusters), 1, X.shape[0]))
    seeding = init_kmeans_parallel(X, n_clusters, float(oversampling_factor), n_rounds,
                                   random_state)
    candidates, rounds = seeding.candidates, seeding.rounds
    window = data_window(X)
    for r, ax in enumerate(axes[:shown_rounds], start=1):
        ax.scatter(X[:, 0], X[:, 1], s=6, color="0.75", linewidths=0)
        old = candidates[rounds < r]
        new = candidates[rounds == r]
        ax.scatter(old[:, 0], old[:, 1], s=30, color="0.2", marker="o", label="earlier")
        ax.scatter(new[:, 0], new[:, 1], s=45, color=CLUSTER_COLORS[3], marker="o",
                   edgecolors="black", linewidths=0.5, label="this round")
        ax.set_title(f"round {r}: +{len(new)} (total {int(np.sum(rounds <= r))})", fontsize=10)
        ax.set_xlim(window[0])
        ax.set_ylim(window[1])
        ax.set_xticks([])
        ax.set_yticks([])
    axes[0].legend(loc="lower left", fontsize=8)
    ax = axes[shown_rounds]
    ax.scatter(X[:, 0], X[:, 1], s=6, color="0.75", linewidths=0)
    weights = seeding.weights
    ax.scatter(candidates[:, 0], candidates[:, 1], s=8 + 300 * weights / weights.max(), color="0.35",
               alpha=0.6, label="candidate (size = weight)")
    ax.scatter(seeding.centers[:, 0], seeding.centers[:, 1], marker="X", s=150,
               c=cluster_colors(np.arange(n_clusters)), edgecolors="black", linewidths=1.2,
               zorder=3, label="K chosen")
    ax.set_title(f"{len(candidates)} weighted -> K = {n_clusters}", fontsize=10)
    ax.set_xlim(window[0])
    ax.set_ylim(window[1])
    ax.set_xticks([])
    ax.set_yticks([])
    return {"axes": axes, "seeding": seeding}


def compare_plusplus_parallel(X, n_clusters, n_seeds=30, oversampling_factor=2.0, n_rounds=3):
    """Quality and passes over the data of K-Means++ vs K-Means|| initialisation, over
    ``n_seeds`` seeds (``random_state`` 0, 1, ...).

    Returns
    -------
    dict init -> {'initial': median inertia of the initial centres, 'final': median inertia
    after K-Means, 'passes': passes over the data to initialise}
    """
    X = np.asarray(X, dtype=float)
    out = {}
    for init in ("k-means++", "k-means||"):
        initial, final, passes = [], [], []
        for seed in range(int(n_seeds)):
            if init == "k-means++":
                centers = init_kmeans_plusplus(X, n_clusters, seed).centers
                passes.append(n_clusters)  # one pass per centre after the first draw
            else:
                seeding = init_kmeans_parallel(X, n_clusters, oversampling_factor, n_rounds, seed)
                centers = seeding.centers
                passes.append(seeding.n_passes)
            initial.append(compute_inertia(X, assign(X, centers), centers))
            final.append(KMeans(n_clusters=n_clusters, init=centers, history="none").fit(X).inertia_)
        out[init] = {"initial": float(np.median(initial)), "final": float(np.median(final)),
                     "passes": int(np.median(passes))}
    return out


def _minibatch_data():
    X, _ = make_blobs_2d(n_samples=4000, n_clusters=6, cluster_std=1.0, random_state=SEED)
    return X


MINIBATCH_SIZES = (8, 32, 128, 512, 2048)
"""Batch sizes of the mini-batch comparison curve."""

MINIBATCH_STEPS = 20
"""Mini-batch updates per run in lesson 02 (the same for every batch size)."""


def _shared_init(X, n_clusters, random_state):
    """scikit-learn's greedy K-Means++ centres, given to both mini-batch implementations."""
    from sklearn.cluster import kmeans_plusplus

    return kmeans_plusplus(X, int(n_clusters),
                           random_state=check_random_state(random_state, for_sklearn=True))[0]


def minibatch_curves(batch_sizes=MINIBATCH_SIZES, n_steps=MINIBATCH_STEPS, n_clusters=6, n_seeds=3):
    """Quality and fit time vs batch size after ``n_steps`` mini-batch updates, ours and
    scikit-learn's ``MiniBatchKMeans`` (fed the same number of batches with ``partial_fit``),
    relative to full K-Means, on the 4000 points of the lesson (medians over ``n_seeds`` seeds,
    ``random_state`` 0, 1, ...; cached).

    Both start from the same K-Means++ centres for a seed, so the update rule, the batches drawn
    and scikit-learn's reassignment of starved centres are what differ. Times are single fits
    (:func:`lessons_src.timing.median_seconds` with one repeat).

    Returns
    -------
    dict with 'batch_sizes', 'ours' and 'sklearn' (inertia / full K-Means inertia), 'time_ours',
    'time_sklearn' and 'time_full' (seconds), 'full_inertia'
    """
    # Normalise the arguments so every call with the same values shares one cache entry.
    return dict(_minibatch_curves(tuple(int(b) for b in batch_sizes), int(n_steps),
                                  int(n_clusters), int(n_seeds)))


def _time_once(fn):
    return median_seconds(fn, repeat=1, warmup=False)


@functools.lru_cache(maxsize=4)
def _minibatch_curves(batch_sizes, n_steps, n_clusters, n_seeds):
    from sklearn.cluster import MiniBatchKMeans as SklearnMiniBatchKMeans

    X = _minibatch_data()
    n_samples = X.shape[0]
    full = KMeans(n_clusters=n_clusters, n_init=3, random_state=SEED, history="none")
    time_full = _time_once(lambda: full.fit(X)) / 3
    shape = (len(batch_sizes), n_seeds)
    ours, theirs, time_ours, time_theirs = (np.zeros(shape) for _ in range(4))
    for seed in range(n_seeds):
        init = _shared_init(X, n_clusters, seed)
        for i, batch_size in enumerate(batch_sizes):
            batch_size = min(batch_size, n_samples)
            model = MiniBatchKMeans(n_clusters=n_clusters, batch_size=batch_size,
                                    max_steps=n_steps, init=init, random_state=seed)
            time_ours[i, seed] = _time_once(lambda: model.fit(X))
            ours[i, seed] = model.inertia_ / full.inertia_
            rng = np.random.default_rng(seed)
            ref = SklearnMiniBatchKMeans(n_clusters=n_clusters, init=init, n_init=1,
                                         batch_size=batch_size, random_state=seed)

            def feed():
                for _ in range(n_steps):
                    ref.partial_fit(X[rng.choice(n_samples, batch_size, replace=False)])

            time_theirs[i, seed] = _time_once(feed)
            theirs[i, seed] = compute_inertia(X, ref.predict(X), ref.cluster_centers_) / full.inertia_
    return {"batch_sizes": _read_only(batch_sizes), "ours": _read_only(np.median(ours, axis=1)),
            "sklearn": _read_only(np.median(theirs, axis=1)),
            "time_ours": _read_only(np.median(time_ours, axis=1)),
            "time_sklearn": _read_only(np.median(time_theirs, axis=1)), "time_full": time_full,
            "full_inertia": full.inertia_}


def draw_minibatch(batch_size=32, n_steps=MINIBATCH_STEPS, n_clusters=6, X=None, axes=None):
    """Mini-Batch K-Means with one batch size and ``n_steps`` updates: the clustering with the
    path of each centre, and (for the lesson's data) the quality over batch sizes, ours and
    scikit-learn's, with this batch size marked.

    Parameters
    ----------
    batch_size : int >= 1 (capped at the number of points)
    n_steps : int >= 1
    n_clusters : int, clipped to the number of points
    X : ndarray of shape (n_samples, 2), optional (default: 4000 points in 6 blobs)

    Returns
    -------
    dict with 'axes', 'model', 'relative_inertia' (to the best of 3 full K-Means runs)
    """
    given = X is not None
    X = _minibatch_data() if X is None else np.asarray(X, dtype=float)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10.5, 4.2))
    n_samples = X.shape[0]
    n_clusters = int(np.clip(int(n_clusters), 1, n_samples))
    batch_size = int(np.clip(int(batch_size), 1, n_samples))
    n_steps = max(int(n_steps), 1)
    init = _shared_init(X, n_clusters, SEED)
    model = MiniBatchKMeans(n_clusters=n_clusters, batch_size=batch_size, max_steps=n_steps,
                            init=init, random_state=SEED).fit(X)
    if given:
        full_inertia = KMeans(n_clusters=n_clusters, n_init=3, random_state=SEED,
                              history="none").fit(X).inertia_
    else:
        full_inertia = minibatch_curves(n_steps=n_steps, n_clusters=n_clusters)["full_inertia"]
    relative = model.inertia_ / full_inertia if full_inertia > 0 else 1.0
    show = X if n_samples <= 1500 else X[np.random.default_rng(SEED).choice(n_samples, 1500, replace=False)]
    plot_kmeans_state(axes[0], show, model.cluster_centers_, model.predict(show),
                      title=f"batch {batch_size}, {n_steps} steps: inertia x {relative:.3f}")
    for k in range(n_clusters):
        path = model.centers_history_[:, k, :]
        axes[0].plot(path[:, 0], path[:, 1], "-", color="0.1", lw=0.8, zorder=2)
    ax = axes[1]
    if given:
        plot_message(ax, "quality curve: drawn for the lesson's data only")
    else:
        curves = minibatch_curves(n_steps=n_steps, n_clusters=n_clusters)
        ax.semilogx(curves["batch_sizes"], curves["ours"], "o-", color=CLUSTER_COLORS[0],
                    label="ours", base=2)
        ax.semilogx(curves["batch_sizes"], curves["sklearn"], "s--", color=CLUSTER_COLORS[1],
                    label="scikit-learn MiniBatchKMeans", base=2)
        ax.axhline(1.0, color="0.5", lw=1, ls=":", label="full K-Means")
        ax.axvline(batch_size, color=CLUSTER_COLORS[3], lw=1.5)
        ax.set_xlabel(f"batch size ({n_steps} steps each)")
        ax.set_ylabel("inertia / full K-Means inertia")
        ax.set_title("quality vs batch size (median of 3 seeds)")
        ax.legend(loc="upper right", fontsize=9)
    return {"axes": axes, "model": model, "relative_inertia": relative}
