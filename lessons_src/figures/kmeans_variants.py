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
from matplotlib.ticker import NullFormatter

from .. import SEED
from ..caching import lru_cache_arrays
from ..datasets import (make_anisotropic_2d, make_blobs_2d, make_circles_2d, make_moons_2d,
                        make_unequal_2d, replay_set)
from ..kmeans import (KMeans, MiniBatchKMeans, assign, compute_inertia, init_by_distance,
                      init_farthest_first, init_kmeans_parallel, init_kmeans_plusplus,
                      init_random, kmeans_plusplus_picks, squared_distances)
from ..plotting import (CLUSTER_COLORS, cluster_colors, data_window, plot_kmeans_state,
                        plot_message)
from ..timing import median_seconds
from ..validation import check_random_state

__all__ = [
    "plot_init_sensitivity",
    "choose_k_curves",
    "draw_choose_k",
    "OUTLIER_DISTANCES",
    "outlier_pull",
    "draw_outlier_pull",
    "plot_failure_cases",
    "draw_d2_map",
    "plot_plusplus_vs_random",
    "draw_kmeans_parallel_rounds",
    "compare_plusplus_parallel",
    "SEEDINGS",
    "SEEDING_LABELS",
    "LAB_N_CLUSTERS",
    "LAB_N_SEEDS",
    "LAB_DATA",
    "seed_centers",
    "LabData",
    "seeding_lab_data",
    "SeedingLab",
    "seeding_lab",
    "plusplus_bound",
    "plot_seeding_lab",
    "plot_seeding_picks",
    "SLIDES_READINGS",
    "plot_slides_reading",
    "MINIBATCH_SIZES",
    "MINIBATCH_STEPS",
    "minibatch_curves",
    "draw_minibatch",
    "plot_minibatch_times",
]


def _read_only(array):
    """Cached results are shared by every call that asks for them: never writable."""
    array = np.asarray(array)
    array.flags.writeable = False
    return array


def _legend_below(axes, ncol):
    """One legend for every labelled artist of ``axes``, under the figure, off the data."""
    handles, labels = [], []
    for ax in np.ravel(axes):
        for handle, label in zip(*ax.get_legend_handles_labels()):
            if label not in labels:
                handles.append(handle)
                labels.append(label)
    return np.ravel(axes)[0].get_figure().legend(handles, labels, loc="outside lower center",
                                                  ncol=ncol)


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
        _, axes = plt.subplots(1, 3, figsize=(12.2, 3.9), width_ratios=[1.1, 1, 1])
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


def choose_k_curves(data="blobs", max_n_clusters=10):
    """What :func:`draw_choose_k` draws for a replay set, without drawing (cached).

    Returns
    -------
    dict with 'n_clusters' (K = 1 .. max_n_clusters), 'inertias' and 'silhouettes' (NaN where
    undefined), read-only arrays
    """
    curves = _k_curves(data, int(max_n_clusters))
    return {"n_clusters": curves.n_clusters, "inertias": curves.inertias,
            "silhouettes": curves.silhouettes}


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
        _, axes = plt.subplots(1, 3, figsize=(12.2, 3.9), width_ratios=[1, 1, 1.1])
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


def outlier_pull(distance=15.0, n_clusters=3):
    """What :func:`draw_outlier_pull` reports for one distance, without drawing.

    Returns
    -------
    dict with 'shift' (largest move of a clean centre to its nearest new centre) and
    'outliers_alone' (True when the outliers form a cluster with no blob point)
    """
    fit = _outlier_fit(distance, int(np.clip(int(n_clusters), 1, 90)))
    return {"shift": fit.move, "outliers_alone": fit.outliers_alone}


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
               facecolors="none", edgecolors="0.2", linewidths=1, zorder=4,
               label="centres fitted without them")
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
    _legend_below(axes, ncol=2)
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
        _, axes = plt.subplots(1, 4, figsize=(12.2, 3.5))
    sets = {"moons": make_moons_2d(random_state=SEED), "circles": make_circles_2d(random_state=SEED),
            "anisotropic": make_anisotropic_2d(random_state=SEED),
            "unequal": make_unequal_2d(random_state=SEED)}
    ari = {}
    for ax, (name, (X, y)) in zip(np.ravel(axes), sets.items()):
        model = KMeans(n_clusters=len(np.unique(y)), n_init=10, random_state=random_state,
                       history="none").fit(X)
        ari[name] = adjusted_rand_score(y, model.labels_)
        # round() then + 0.0: an ARI of -0.002 is titled 0.00, not -0.00
        plot_kmeans_state(ax, X, model.cluster_centers_, model.labels_,
                          title=f"{name}: ARI {round(ari[name], 2) + 0.0:.2f}")
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
    ax.get_figure().colorbar(scatter, ax=ax, label="probability of the next pick", shrink=0.85)
    # The chosen centres sit where D = 0, on black: white crosses with a black rim. The point
    # drawn now: a cyan ring inside a black one, readable on dark and on light ground.
    if pick > 1:
        ax.scatter(chosen[:, 0], chosen[:, 1], marker="X", s=220, color="white",
                   edgecolors="black", linewidths=1.5, zorder=3, label="centres chosen so far")
    drawn = X[indices[pick - 1]]
    ax.scatter(*drawn, s=330, facecolors="none", edgecolors="black", linewidths=4.5, zorder=4)
    ax.scatter(*drawn, s=330, facecolors="none", edgecolors="#00e5ff", linewidths=2.2, zorder=5,
               label="the point drawn now")
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    law = "uniform" if pick == 1 else "$\\propto D(x)^2$"
    ax.set_title(f"pick {pick} of {n_clusters}: {law}; max p = {p.max():.3f}")
    _legend_below(ax, ncol=2)
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
            ax.hist(results[init][key], bins=bins, color=color, alpha=0.6, label=init)
            ax.axvline(np.median(results[init][key]), color=color, lw=2, ls="--")
        ax.set_xlabel("inertia")
        ax.set_ylabel("number of seeds")
    medians = [np.median(results[init]["initial"]) for init in ("random", "k-means++")]
    axes[0].set_title(f"initial centres: medians {medians[0]:.0f} vs {medians[1]:.0f}")
    best = min(results["random"]["final"].min(), results["k-means++"]["final"].min())
    share = {init: int(np.sum(results[init]["final"] <= 1.01 * best)) for init in results}
    axes[1].set_title(f"after K-Means: best optimum {share['random']} vs {share['k-means++']} "
                      f"times")
    _legend_below(axes, ncol=2)
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
        width = min(2.9, 12.2 / (shown_rounds + 1))  # no wider than the notebook column
        _, axes = plt.subplots(1, shown_rounds + 1, figsize=(width * (shown_rounds + 1), 3.4))
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
        ax.scatter(old[:, 0], old[:, 1], s=30, color="0.2", marker="o",
                   label="candidates of earlier rounds")
        ax.scatter(new[:, 0], new[:, 1], s=45, color=CLUSTER_COLORS[3], marker="o",
                   edgecolors="black", linewidths=0.5, label="this round's")
        ax.set_title(f"round {r}: +{len(new)} → {int(np.sum(rounds <= r))}")
        ax.set_xlim(window[0])
        ax.set_ylim(window[1])
        ax.set_xticks([])
        ax.set_yticks([])
    ax = axes[shown_rounds]
    ax.scatter(X[:, 0], X[:, 1], s=6, color="0.75", linewidths=0)
    weights = seeding.weights
    ax.scatter(candidates[:, 0], candidates[:, 1], s=8 + 300 * weights / weights.max(), color="0.35",
               alpha=0.6, label="candidate (size = weight)")
    ax.scatter(seeding.centers[:, 0], seeding.centers[:, 1], marker="X", s=150,
               c=cluster_colors(np.arange(n_clusters)), edgecolors="black", linewidths=1.2,
               zorder=3, label="the K centres kept")
    ax.set_title(f"{len(candidates)} weighted → K = {n_clusters}")
    ax.set_xlim(window[0])
    ax.set_ylim(window[1])
    ax.set_xticks([])
    ax.set_yticks([])
    _legend_below(axes, ncol=4 if shown_rounds >= 3 else 2)
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


# --------------------------------------------------------------------------------------------
# The seeding lab: six seedings side by side, with and without outliers
# --------------------------------------------------------------------------------------------
SEEDINGS = ("uniform", "farthest-first", "D", "D2", "greedy D2", "k-means||")
"""The seedings of the lab (keys of :data:`SEEDING_LABELS`), see :func:`seed_centers`."""

_SHORT_NAMES = {"uniform": "uniform", "farthest-first": "farthest-first", "D": "∝ D",
                "D2": "∝ D² (K-Means++)", "greedy D2": "greedy K-Means++", "k-means||": "K-Means‖"}

SEEDING_LABELS = {
    "uniform": "uniform (random points)",
    "farthest-first": "farthest-first",
    "D": "∝ D (the slides' linear law)",
    "D2": "∝ D² (K-Means++)",
    "greedy D2": "greedy K-Means++ (scikit-learn's)",
    "k-means||": "K-Means‖ (3 rounds, ℓ = 2K)",
}
"""How the figures name each seeding."""

LAB_N_CLUSTERS = (2, 4, 8, 16, 32)
"""The K of the seeding lab (the data have 16 blobs)."""

LAB_N_SEEDS = 20
"""Seeds (``random_state`` 0, 1, ...) per seeding, K and data set in the lab."""

LAB_DATA = ("clean", "outliers")
"""The lab's two data sets: 16 blobs, and the same 16 blobs with 8 far outliers."""


def seed_centers(X, n_clusters, seeding, random_state=None):
    """The initial centres of one seeding of the lab, all from :mod:`lessons_src.kmeans`.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    n_clusters : int
    seeding : str, one of :data:`SEEDINGS`
        'uniform' (:func:`~lessons_src.kmeans.init_random`), 'farthest-first'
        (:func:`~lessons_src.kmeans.init_farthest_first`), 'D' (probability ∝ D:
        :func:`~lessons_src.kmeans.init_by_distance` with power 1), 'D2' (plain K-Means++),
        'greedy D2' (K-Means++ with scikit-learn's ``2 + int(ln K)`` candidates per pick),
        'k-means||' (:func:`~lessons_src.kmeans.init_kmeans_parallel`, 3 rounds, ℓ = 2K).
    random_state : None, int, numpy Generator or RandomState

    Returns
    -------
    centers : ndarray of shape (n_clusters, n_features), rows of X
    """
    if seeding == "uniform":
        return init_random(X, n_clusters, random_state)
    if seeding == "farthest-first":
        return init_farthest_first(X, n_clusters, random_state).centers
    if seeding == "D":
        return init_by_distance(X, n_clusters, power=1.0, random_state=random_state).centers
    if seeding in ("D2", "greedy D2"):
        trials = 1 if seeding == "D2" else "auto"
        return init_kmeans_plusplus(X, n_clusters, random_state, n_local_trials=trials).centers
    if seeding == "k-means||":
        return init_kmeans_parallel(X, n_clusters, 2.0, 3, random_state).centers
    raise ValueError(f"seeding must be one of {SEEDINGS}, got seeding={seeding!r}")


class LabData(NamedTuple):
    """One data set of the seeding lab."""

    X: np.ndarray
    """(n_samples, 2) the points: 480 in 16 blobs, then the outliers if any."""
    is_outlier: np.ndarray
    """(n_samples,) True for the outliers."""


@functools.lru_cache(maxsize=2)
def seeding_lab_data(outliers=False):
    """The lab's data: 16 round blobs of 30 points (standard deviation 1) on a 4 × 4 grid with
    spacing 8, and with ``outliers=True`` 8 more points 35-50 away from the grid's centre
    (about twice as far as its corners), in random directions. Made with ``SEED``; read-only.

    Returns
    -------
    LabData
    """
    rng = check_random_state(SEED)
    grid = 8.0 * np.array([(i, j) for i in range(4) for j in range(4)])
    X = grid[np.repeat(np.arange(16), 30)] + rng.normal(size=(480, 2))
    angles, radii = rng.uniform(0, 2 * np.pi, 8), rng.uniform(35, 50, 8)
    far = grid.mean(axis=0) + radii[:, None] * np.c_[np.cos(angles), np.sin(angles)]
    if outliers:
        X = np.vstack([X, far])
    return LabData(_read_only(X), _read_only(np.arange(len(X)) >= 480))


class SeedingLab(NamedTuple):
    """What :func:`seeding_lab` measured. Ratios are to the best K-Means cost found for that
    data set and K (the lowest final cost of all the lab's runs): 1 is as good as it got."""

    n_clusters: np.ndarray
    """(n_K,) the K values."""
    seeding_ratio: dict
    """{data: {seeding: (n_K, n_seeds)}}: cost of the initial centres themselves (every point
    to its nearest seed, ``sum D^2``), divided by the best cost."""
    final_ratio: dict
    """The same after K-Means (Lloyd from those seeds to convergence)."""
    best_cost: dict
    """{data: (n_K,)} the best cost found."""
    outliers_picked: dict
    """{seeding: (n_K, n_seeds)} how many of the seeds are outliers (the data with outliers)."""


def _lab_runs(data, n_clusters, seeding, n_seeds):
    """Seeding cost, final cost and outliers among the seeds, one per seed."""
    X, is_outlier = seeding_lab_data(data == "outliers")
    out = np.zeros((3, n_seeds))
    for seed in range(n_seeds):
        centers = seed_centers(X, n_clusters, seeding, seed)
        out[0, seed] = squared_distances(X, centers).min(axis=1).sum()
        out[1, seed] = KMeans(n_clusters=n_clusters, init=centers, history="none").fit(X).inertia_
        on_points = squared_distances(centers, X).argmin(axis=1)  # seeds are rows of X
        out[2, seed] = np.sum(is_outlier[on_points])
    return out


@functools.lru_cache(maxsize=2)
def _seeding_lab(n_clusters, n_seeds):
    runs = {data: {seeding: np.array([_lab_runs(data, k, seeding, n_seeds) for k in n_clusters])
                   for seeding in SEEDINGS} for data in LAB_DATA}  # (n_K, 3, n_seeds) each
    best = {data: np.min([r[:, 1].min(axis=1) for r in runs[data].values()], axis=0)
            for data in LAB_DATA}
    ratio = {kind: {data: {seeding: _read_only(r[:, index] / best[data][:, None])
                           for seeding, r in runs[data].items()} for data in LAB_DATA}
             for kind, index in (("seeding", 0), ("final", 1))}
    return SeedingLab(_read_only(n_clusters), ratio["seeding"], ratio["final"],
                      {data: _read_only(b) for data, b in best.items()},
                      {seeding: _read_only(r[:, 2]) for seeding, r in runs["outliers"].items()})


def seeding_lab(n_clusters=LAB_N_CLUSTERS, n_seeds=LAB_N_SEEDS):
    """Every seeding of :data:`SEEDINGS` on both lab data sets (:func:`seeding_lab_data`), for
    every K, ``n_seeds`` seeds each (``random_state`` 0, 1, ...): the cost of the seeds, and the
    cost after K-Means started from them. Computed once and cached (read-only arrays).

    Returns
    -------
    SeedingLab
    """
    return _seeding_lab(tuple(int(k) for k in n_clusters), int(n_seeds))


def plusplus_bound(n_clusters):
    """Arthur and Vassilvitskii's bound on K-Means++'s expected seeding cost, in units of the
    optimal cost: ``8 (ln K + 2)``."""
    return 8.0 * (np.log(n_clusters) + 2.0)


def _plain_log(ax, axis="y"):
    """A log axis labelled with plain numbers (1.5, 2, 2000) where 2 x 10^3 would be."""
    getattr(ax, f"set_{axis}scale")("log")
    low, high = getattr(ax, f"get_{axis}lim")()
    steps = (1, 1.25, 1.5, 2, 3, 4) if high / low < 8 else (1, 2, 5)
    decades = 10.0 ** np.arange(np.floor(np.log10(low)), np.ceil(np.log10(high)) + 1)
    ticks = [step * decade for decade in decades for step in steps
             if low <= step * decade <= high]
    getattr(ax, f"set_{axis}ticks")(ticks, [f"{t:g}" for t in ticks])
    getattr(ax, f"{axis}axis").set_minor_formatter(NullFormatter())


_LAB_STYLE = {"uniform": ("o", ":"), "farthest-first": ("v", "-"), "D": ("s", "--"),
              "D2": ("D", "-"), "greedy D2": ("^", "-"), "k-means||": ("P", "--")}


def plot_seeding_lab(lab=None, axes=None):
    """The lab in four panels: rows the clean data and the data with outliers, columns the
    mean cost of the seeds and the mean cost after K-Means, both divided by the best cost found,
    against K (log scales), with K-Means++'s bound ``8 (ln K + 2)`` on the seeding costs.

    Parameters
    ----------
    lab : SeedingLab, optional (default: :func:`seeding_lab`)
    axes : 2 x 2 Axes, optional

    Returns
    -------
    dict with 'axes' and 'lab'
    """
    lab = seeding_lab() if lab is None else lab
    if axes is None:
        _, axes = plt.subplots(2, 2, figsize=(12, 7.2), sharex=True)
    axes = np.asarray(axes).reshape(2, 2)
    K = lab.n_clusters
    for row, data in enumerate(LAB_DATA):
        for col, (ratios, what) in enumerate(((lab.seeding_ratio, "the seeds"),
                                              (lab.final_ratio, "after K-Means"))):
            ax = axes[row, col]
            for i, seeding in enumerate(SEEDINGS):
                marker, style = _LAB_STYLE[seeding]
                ax.plot(K, ratios[data][seeding].mean(axis=1), marker=marker, ls=style,
                        color=CLUSTER_COLORS[i], label=SEEDING_LABELS[seeding])
            if col == 0:
                ax.plot(K, plusplus_bound(K), color="0.5", ls="-.", lw=1.2,
                        label="K-Means++'s bound 8 (ln K + 2)")
            ax.set_xscale("log", base=2)
            ax.set_xticks(K, [str(k) for k in K])
            _plain_log(ax, "y")
            ax.set_ylabel("mean cost / best")
            where = "16 blobs" if data == "clean" else "16 blobs + 8 outliers"
            ax.set_title(f"{what}: {where}")
            if row == 1:
                ax.set_xlabel("K")
    _legend_below(axes, ncol=3)
    return {"axes": axes, "lab": lab}


def plot_seeding_picks(n_clusters=16, random_state=None, axes=None):
    """The seeds each seeding of the lab picks on the data with outliers, one panel per
    seeding, the outliers ringed.

    Returns
    -------
    dict with 'axes' and 'outliers_picked' {seeding: number of seeds that are outliers}
    """
    if axes is None:
        _, axes = plt.subplots(2, 3, figsize=(12, 7.4))
    X, is_outlier = seeding_lab_data(outliers=True)
    window = data_window(X, pad=0.04)
    picked = {}
    for ax, seeding in zip(np.ravel(axes), SEEDINGS):
        centers = seed_centers(X, n_clusters, seeding, random_state)
        on_points = squared_distances(centers, X).argmin(axis=1)
        picked[seeding] = int(np.sum(is_outlier[on_points]))
        ax.scatter(X[~is_outlier, 0], X[~is_outlier, 1], s=6, color="0.6", linewidths=0)
        ax.scatter(X[is_outlier, 0], X[is_outlier, 1], s=90, facecolors="none",
                   edgecolors="black", linewidths=1.2, label="outliers")
        ax.scatter(centers[:, 0], centers[:, 1], marker="X", s=90, color=CLUSTER_COLORS[3],
                   edgecolors="black", linewidths=0.7, zorder=3, label=f"the {n_clusters} seeds")
        ax.set_xlim(window[0])
        ax.set_ylim(window[1])
        ax.set_aspect("equal", adjustable="box")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(f"{_SHORT_NAMES[seeding]}: {picked[seeding]} on outliers")
    _legend_below(axes, ncol=2)
    return {"axes": axes, "outliers_picked": picked}


SLIDES_READINGS = {
    "slides, literally": "∝ Σ distances to all centres (the slides' words)",
    "D": "∝ D, nearest centre (linear)",
    "D2": "∝ D² (K-Means++, plain)",
    "greedy D2": "greedy K-Means++ (ours, 2 + ln K)",
    "scikit-learn": "sklearn.cluster.kmeans_plusplus",
}
"""The rules the K-Means++ erratum compares (see :func:`plot_slides_reading`)."""


def _reading_centers(X, n_clusters, reading, seed):
    if reading == "slides, literally":
        return init_by_distance(X, n_clusters, power=1.0, distance_to="all",
                                random_state=seed).centers
    if reading == "scikit-learn":
        from sklearn.cluster import kmeans_plusplus

        return kmeans_plusplus(X, n_clusters, random_state=seed)[0]
    return seed_centers(X, n_clusters, reading, seed)


@functools.lru_cache(maxsize=2)
def _reading_costs(n_clusters, n_seeds):
    X = seeding_lab_data().X
    return {reading: _read_only([squared_distances(X, _reading_centers(X, n_clusters, reading, s))
                                 .min(axis=1).sum() for s in range(n_seeds)])
            for reading in SLIDES_READINGS}


def plot_slides_reading(n_clusters=16, n_seeds=100, ax=None):
    """The K-Means++ erratum on the lab's 16 blobs: the cost of the seeds (``sum D^2``) over
    ``n_seeds`` seeds (``random_state`` 0, 1, ...) for the slides' rule read literally (the
    next centre drawn with probability proportional to its summed distance to all the centres so
    far), for a linear law on the nearest centre's distance, for K-Means++ (∝ D²), for its
    greedy variant and for scikit-learn's ``kmeans_plusplus`` (cached).

    Returns
    -------
    dict with 'ax' and 'costs' {reading: ndarray of shape (n_seeds,)} (keys of
    :data:`SLIDES_READINGS`)
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 4.2))
    costs = _reading_costs(int(n_clusters), int(n_seeds))
    readings = list(SLIDES_READINGS)[::-1]  # the slides' reading on top
    ax.boxplot([costs[r] for r in readings], orientation="horizontal", widths=0.6,
               tick_labels=[SLIDES_READINGS[r] for r in readings],
               medianprops={"color": CLUSTER_COLORS[3], "lw": 2}, flierprops={"ms": 4})
    _plain_log(ax, "x")
    ax.set_xlabel("cost of the seeds, Σ D² (log scale)")
    ax.set_title(f"K = {n_clusters} on 16 blobs, {n_seeds} seeds each")
    return {"ax": ax, "costs": costs}


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
    relative to full K-Means, on the 4000 points of the lesson (cached).

    Both start from the same K-Means++ centres for a seed, so the update rule, the batches drawn
    and scikit-learn's reassignment of starved centres are what differ. Quality: the median over
    ``n_seeds`` seeds (``random_state`` 0, 1, ...). Time: seed 0's fits, the median of
    :data:`MINIBATCH_TIMING_ROUNDS` rounds in which every size is timed in turn, so that the
    curves do not zig-zag with the machine's load.

    Returns
    -------
    dict with 'batch_sizes', 'ours' and 'sklearn' (inertia / full K-Means inertia), 'time_ours',
    'time_sklearn' and 'time_full' (seconds; one full K-Means run), 'full_inertia'
    """
    # Normalise the arguments so every call with the same values shares one cache entry.
    return dict(_minibatch_curves(tuple(int(b) for b in batch_sizes), int(n_steps),
                                  int(n_clusters), int(n_seeds)))


def _minibatch_fits(X, batch_size, n_steps, n_clusters, seed):
    """One fit of ours and a function that feeds scikit-learn's the same number of batches."""
    from sklearn.cluster import MiniBatchKMeans as SklearnMiniBatchKMeans

    n_samples = X.shape[0]
    batch_size = min(batch_size, n_samples)
    init = _shared_init(X, n_clusters, seed)
    ours = MiniBatchKMeans(n_clusters=n_clusters, batch_size=batch_size, max_steps=n_steps,
                           init=init, random_state=seed)

    def fit_theirs():
        rng = np.random.default_rng(seed)
        ref = SklearnMiniBatchKMeans(n_clusters=n_clusters, init=init, n_init=1,
                                     batch_size=batch_size, random_state=seed)
        for _ in range(n_steps):
            ref.partial_fit(X[rng.choice(n_samples, batch_size, replace=False)])
        return ref

    return ours, fit_theirs


MINIBATCH_TIMING_ROUNDS = 5
"""Timed fits per batch size in :func:`minibatch_curves`: one per round, every size in each
round, so that a burst of load on the machine is spread over all the sizes."""


def _median_times(fits, n_rounds=MINIBATCH_TIMING_ROUNDS):
    """Median wall time (s) of each function in ``fits`` over ``n_rounds`` rounds, the
    functions timed in turn within each round (after one untimed call of each)."""
    for fit in fits:
        fit()
    times = [[median_seconds(fit, repeat=1, warmup=False) for fit in fits]
             for _ in range(n_rounds)]
    return np.median(times, axis=0)


@functools.lru_cache(maxsize=4)
def _minibatch_curves(batch_sizes, n_steps, n_clusters, n_seeds):
    X = _minibatch_data()
    full = KMeans(n_clusters=n_clusters, n_init=3, random_state=SEED, history="none").fit(X)
    single = KMeans(n_clusters=n_clusters, init=full.init_centers_, history="none")
    ours, theirs = np.zeros((2, len(batch_sizes), n_seeds))
    fits = []  # seed 0's fits, ours then scikit-learn's, for the timing
    for i, batch_size in enumerate(batch_sizes):
        for seed in range(n_seeds):
            model, fit_theirs = _minibatch_fits(X, batch_size, n_steps, n_clusters, seed)
            ours[i, seed] = model.fit(X).inertia_ / full.inertia_
            ref = fit_theirs()
            theirs[i, seed] = compute_inertia(X, ref.predict(X), ref.cluster_centers_) / full.inertia_
            if seed == 0:
                fits += [functools.partial(model.fit, X), fit_theirs]
    times = _median_times(fits + [functools.partial(single.fit, X)])
    return {"batch_sizes": _read_only(batch_sizes), "ours": _read_only(np.median(ours, axis=1)),
            "sklearn": _read_only(np.median(theirs, axis=1)),
            "time_ours": _read_only(times[0:-1:2]), "time_sklearn": _read_only(times[1:-1:2]),
            "time_full": float(times[-1]), "full_inertia": full.inertia_}


def _batch_size_ticks(ax, batch_sizes):
    ax.set_xticks(batch_sizes, [str(b) for b in batch_sizes])
    ax.xaxis.set_minor_formatter(NullFormatter())


def draw_minibatch(batch_size=32, n_steps=MINIBATCH_STEPS, n_clusters=6, X=None, axes=None):
    """Mini-Batch K-Means with one batch size and ``n_steps`` updates: the clustering with the
    path of each centre, and (for the lesson's data) the quality over batch sizes, ours and
    scikit-learn's, with this batch size marked on the curve's log axis.

    Parameters
    ----------
    batch_size : number >= 1
        Taken as given, rounded to the nearest integer and capped at the number of points: any
        value a slider sends (a log slider over the curve's range 8-2048 sends 8, 11, 16, 23...).
    n_steps : int >= 1
    n_clusters : int, clipped to the number of points
    X : ndarray of shape (n_samples, 2), optional (default: 4000 points in 6 blobs)

    Returns
    -------
    dict with 'axes', 'model', 'batch_size' (the size used), 'relative_inertia' (to the best of
    3 full K-Means runs)
    """
    given = X is not None
    X = _minibatch_data() if X is None else np.asarray(X, dtype=float)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(11, 4.4))
    n_samples = X.shape[0]
    n_clusters = int(np.clip(int(n_clusters), 1, n_samples))
    batch_size = int(np.clip(round(float(batch_size)), 1, n_samples))
    n_steps = max(int(n_steps), 1)
    model, _ = _minibatch_fits(X, batch_size, n_steps, n_clusters, SEED)
    model.fit(X)
    if given:
        full_inertia = KMeans(n_clusters=n_clusters, n_init=3, random_state=SEED,
                              history="none").fit(X).inertia_
    else:
        full_inertia = minibatch_curves(n_steps=n_steps, n_clusters=n_clusters)["full_inertia"]
    relative = model.inertia_ / full_inertia if full_inertia > 0 else 1.0
    show = X if n_samples <= 1500 else X[np.random.default_rng(SEED).choice(n_samples, 1500, replace=False)]
    plot_kmeans_state(axes[0], show, model.cluster_centers_, model.predict(show),
                      title=f"batch {batch_size}, {n_steps} steps: inertia × {relative:.3f}")
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
        ax.axvline(batch_size, color=CLUSTER_COLORS[3], lw=1.5, label="this batch size")
        _batch_size_ticks(ax, curves["batch_sizes"])
        ax.set_xlabel(f"batch size ({n_steps} steps each)")
        ax.set_ylabel("inertia / full K-Means")
        ax.set_title("quality vs batch size (median of 3 seeds)")
        _legend_below(ax, ncol=2)
    return {"axes": axes, "model": model, "batch_size": batch_size,
            "relative_inertia": relative}


def plot_minibatch_times(ax=None):
    """Fit time against batch size, ours and scikit-learn's (``n_steps`` batches each), and one
    full K-Means run, on the lesson's 4000 points: medians of repeated fits
    (:func:`minibatch_curves`). Machine-dependent: drawn, never asserted.

    Returns
    -------
    dict with 'ax' and 'curves' (what :func:`minibatch_curves` returned)
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 4.4))
    curves = minibatch_curves()
    ax.semilogx(curves["batch_sizes"], curves["time_ours"] * 1e3, "o-", color=CLUSTER_COLORS[0],
                label=f"ours ({MINIBATCH_STEPS} steps)", base=2)
    ax.semilogx(curves["batch_sizes"], curves["time_sklearn"] * 1e3, "s--",
                color=CLUSTER_COLORS[1], label=f"scikit-learn ({MINIBATCH_STEPS} partial_fit calls)",
                base=2)
    ax.axhline(curves["time_full"] * 1e3, color="0.5", ls=":", label="one full K-Means run (ours)")
    ax.set_ylim(0, None)
    _batch_size_ticks(ax, curves["batch_sizes"])
    ax.set_xlabel("batch size")
    ax.set_ylabel("fit time (ms), median of 5")
    ax.set_title("time vs batch size")
    _legend_below(ax, ncol=2)
    return {"ax": ax, "curves": curves}
