"""Figures and slider callbacks of lesson 01 (K-Means, step by step).

Every ``draw_*`` (slider callback) and ``plot_*`` (static figure) function draws one whole figure
for one set of values and returns what it drew (a dict of axes and the numbers shown), so a slider
can call it and a test can check it. Slider values that make no sense for the data (K larger than
the number of points, one point, duplicates) never raise: K is clipped to what the data allow and
the title says so.
"""
import functools
import numbers
from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np

from .. import SEED
from ..datasets import make_near_far_2d, make_rays_2d, replay_set
from ..kmeans import KMeans
from ..plotting import (CLUSTER_COLORS, data_window, match_labels, plot_clusters,
                        plot_kmeans_state, plot_message, plot_voronoi)

__all__ = [
    "MY_POINTS",
    "plot_six_steps",
    "draw_kmeans_replay",
    "kmeans_replay_controls",
    "plot_inertia_steps",
    "plot_metric_comparison",
    "stop_rule_runs",
    "draw_stop_rules",
    "plot_max_iter_effect",
]

MY_POINTS = np.array([[-6.0, -6.0], [-5.0, -6.5], [-6.5, -5.0], [-5.5, -5.5], [-4.5, -6.0],
                      [-6.0, -4.5], [-4.0, -5.0], [-5.0, -4.0], [-3.5, -6.5], [-6.5, -3.5]])
"""The "your own points" initialisation of the replay: deliberately bad centres, all in one
corner (the first K rows are used). Not data points: the slides allow any starting points."""



def plot_six_steps(X, init_centers, axes=None):
    """The slides' six panels: (a) data, (b) initial centres, (c) first assignment, (d) centres
    moved, (e) reassignment, (f) converged.

    Parameters
    ----------
    X : ndarray of shape (n_samples, 2)
    init_centers : ndarray of shape (n_clusters, 2)
    axes : array of 6 Axes, optional

    Returns
    -------
    dict with 'axes' (6 Axes) and 'model' (the fitted :class:`~lessons_src.kmeans.KMeans`)
    """
    X = np.asarray(X, dtype=float)
    init_centers = np.asarray(init_centers, dtype=float)
    model = KMeans(n_clusters=len(init_centers), init=init_centers, tol=0).fit(X)
    history = model.history_
    if axes is None:
        _, axes = plt.subplots(2, 3, figsize=(11, 7))
    axes = np.ravel(axes)
    window = data_window(X, centers=np.vstack([step.centers for step in history]))
    first_assign, first_update = history[1], history[2]
    second_assign = history[3] if len(history) > 3 else history[-1]
    plot_kmeans_state(axes[0], X, None, None, title="(a) the data", voronoi=False, window=window)
    plot_clusters(X, None, init_centers, ax=axes[1], title="(b) K initial centres", s=14,
                  center_size=150)
    axes[1].set_aspect("equal", adjustable="box")
    axes[1].set_xlim(window[0])
    axes[1].set_ylim(window[1])
    plot_kmeans_state(axes[2], X, init_centers, first_assign.labels,
                      title="(c) assign to the nearest centre", window=window)
    plot_kmeans_state(axes[3], X, first_update.centers, first_update.labels, voronoi=False,
                      title="(d) centres move to the means", window=window)
    for old, new in zip(init_centers, first_update.centers):
        axes[3].annotate("", xy=new, xytext=old, zorder=4,
                         arrowprops=dict(arrowstyle="->", color="black", lw=1.2))
        axes[3].scatter(*old, marker="X", s=90, facecolors="none", edgecolors="0.2", zorder=4)
    plot_kmeans_state(axes[4], X, second_assign.centers, second_assign.labels,
                      title="(e) assign again", window=window)
    plot_kmeans_state(axes[5], X, model.cluster_centers_, model.labels_,
                      title=f"(f) converged after {model.n_iter_} iterations", window=window)
    return {"axes": axes, "model": model}


def _read_only(model):
    """A cached fit is shared by every call that asks for it: its arrays become read-only."""
    arrays = [model.cluster_centers_, model.labels_, model.init_centers_]
    for step in model.history_:
        arrays += [step.centers] if step.labels is None else [step.centers, step.labels]
    for array in arrays:
        array.flags.writeable = False
    return model


def _fit_for_replay(X, n_clusters, random_state, init, metric):
    if init == "my points":
        init = MY_POINTS[:n_clusters] if n_clusters <= len(MY_POINTS) else "random"
    return KMeans(n_clusters=n_clusters, init=init, n_init=1, tol=0, metric=metric,
                  random_state=random_state).fit(X)


@functools.lru_cache(maxsize=64)
def _replay_run(data, n_clusters, random_state, init, metric):
    X, _ = replay_set(data)
    return _read_only(_fit_for_replay(X, n_clusters, random_state, init, metric))


def kmeans_replay_controls(values):
    """The rule of the replay's controls: the step slider ends at the last step of the run shown.

    The run is the one :func:`draw_kmeans_replay` draws for ``values`` (the same cached fit when
    the seed is an int, so asking costs nothing), and its range follows K, the seed, the init,
    the metric and the data. With a seed of None every redraw is a fresh run of unknown length:
    the slider then keeps its range (the callback clips the step to the last one).

    Parameters
    ----------
    values : dict
        The arguments of :func:`draw_kmeans_replay` (controls and fixed values).

    Returns
    -------
    dict : ``{"step": {"max": last step}, "random_state": {"disabled": ..., "tooltip": ...}}``
    (see :class:`lessons_src.widgets.LiveFigure`): the seed is disabled for "my points"
    """
    X, random_state = values.get("X"), values.get("random_state")
    init = values.get("init", "random")
    # "my points" are fixed: the seed changes nothing then (a control that does nothing is
    # disabled, and its tooltip says why; see lessons_src.widgets.enabled).
    fixed_start = init == "my points" and int(values.get("n_clusters", 4)) <= len(MY_POINTS)
    rules = {"random_state": {"disabled": fixed_start, "tooltip": (
        "the seed draws random starts; 'my points' are fixed" if fixed_start else None)}}
    if X is not None or not isinstance(random_state, numbers.Integral):
        return rules if "random_state" in values else {}
    data = values.get("data", "blobs")
    n_clusters = min(int(values.get("n_clusters", 4)), replay_set(data)[0].shape[0])
    model = _replay_run(data, n_clusters, int(random_state), init,
                        values.get("metric", "euclidean"))
    return {**rules, "step": {"max": len(model.history_) - 1}}


def draw_kmeans_replay(step=0, n_clusters=4, random_state=None, init="random",
                       metric="euclidean", data="blobs", X=None, axes=None):
    """Replay one K-Means run step by step: step 0 the initial centres, then each assignment
    and each update of ``history_``, over the Voronoi regions of the current centres, with the
    inertia so far.

    Parameters
    ----------
    step : int >= 0
        Entry of ``history_`` to show (clipped to the last one: the run has converged).
    n_clusters : int
        K (clipped to the number of points).
    random_state : None, int, numpy Generator or RandomState
        Draws the initial centres. With an int every step shows the same run (computed once
        for the lesson's data sets); None starts a fresh run at every call.
    init : {'random', 'k-means++', 'my points'}
        'my points' starts from :data:`MY_POINTS` (all in one corner).
    metric : {'euclidean', 'cosine'}
    data : str
        A key of :data:`~lessons_src.datasets.REPLAY_SETS` (ignored when X is given).
    X : ndarray of shape (n_samples, 2), optional
        Your own points instead of ``data``.
    axes : two Axes, optional

    Returns
    -------
    dict with 'axes', 'entry' (the :class:`~lessons_src.kmeans.LloydStep` drawn), 'model'
    """
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10.5, 4.3), width_ratios=[1.25, 1])
    ax, ax_curve = axes
    n_clusters, step = int(n_clusters), max(int(step), 0)
    note = ""
    if X is None:
        X = replay_set(data)[0]
        if n_clusters > X.shape[0]:
            n_clusters, note = X.shape[0], f" (K clipped to n={X.shape[0]})"
        if isinstance(random_state, numbers.Integral):
            model = _replay_run(data, n_clusters, random_state, init, metric)
        else:
            model = _fit_for_replay(X, n_clusters, random_state, init, metric)
    else:
        X = np.asarray(X, dtype=float)
        if n_clusters > X.shape[0]:
            n_clusters, note = X.shape[0], f" (K clipped to n={X.shape[0]})"
        if metric == "cosine" and np.any(np.linalg.norm(X, axis=1) == 0):
            plot_message(ax, "cosine K-Means needs non-zero points\n(a zero vector has no direction)")
            plot_message(ax_curve, "")
            return {"axes": axes, "entry": None, "model": None}
        model = _fit_for_replay(X, n_clusters, random_state, init, metric)
    history = model.history_
    last = len(history) - 1
    converged = step >= last
    step = min(step, last)
    entry = history[step]
    window = data_window(X, centers=np.vstack([h.centers for h in history]))
    # Each centre's path so far (its position after every update up to this step).
    path = np.array([h.centers for h in history[:step + 1] if h.step != "assign"])
    for k in range(n_clusters):
        ax.plot(path[:, k, 0], path[:, k, 1], "-", color="0.15", lw=1, zorder=2)
    if step > 0:  # where the centres started
        ax.scatter(path[0, :, 0], path[0, :, 1], marker="X", s=80, facecolors="none",
                   edgecolors="0.2", linewidths=1, zorder=3)
    what = {"init": "initial centres", "assign": "assignment", "update": "update"}[entry.step]
    title = f"step {step}/{last}: {what}, iteration {entry.iteration}"
    if converged:
        title += " (converged)"
    plot_kmeans_state(ax, X, entry.centers, entry.labels, metric=metric, title=title + note,
                      window=window)
    plot_inertia_steps(history, upto=step, ax=ax_curve, metric=metric)
    return {"axes": axes, "entry": entry, "model": model}


def plot_inertia_steps(history, upto=None, ax=None, metric="euclidean"):
    """Inertia after each step of ``history_`` (assignments as dots, updates as squares), drawn
    up to entry ``upto``; the axis spans the whole run so the picture does not jump.

    Parameters
    ----------
    history : list of :class:`~lessons_src.kmeans.LloydStep` (``KMeans.history_``)
    upto : int, optional
    ax : Axes, optional
    metric : {'euclidean', 'cosine'}, for the axis label

    Returns
    -------
    ax : Axes
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4))
    upto = len(history) - 1 if upto is None else int(upto)
    steps = np.arange(1, len(history))
    inertias = np.array([h.inertia for h in history[1:]])
    kinds = np.array([h.step for h in history[1:]])
    ax.plot(steps, inertias, "-", color="0.85", lw=1)
    shown = steps <= upto
    ax.plot(steps[shown], inertias[shown], "-", color="0.3", lw=1.2)
    for kind, marker, color in (("assign", "o", CLUSTER_COLORS[0]), ("update", "s", CLUSTER_COLORS[1])):
        sel = shown & (kinds == kind)
        ax.plot(steps[sel], inertias[sel], marker, color=color, ms=5, label=kind, linestyle="none")
    ax.set_xlim(0.5, max(len(history) - 0.5, 1.5))
    positive = inertias[inertias > 0]
    if positive.size and positive.max() > 20 * positive.min():
        ax.set_yscale("log")  # the first steps gain orders of magnitude more than the last
    elif inertias.size and inertias.max() > 0:
        ax.set_ylim(0, inertias.max() * 1.05)
    ax.set_xlabel("step of the run")
    ax.set_ylabel("inertia" + (" (sum of 1 - cos)" if metric == "cosine" else " (sum of squared distances)"))
    current = inertias[upto - 1] if upto >= 1 else None
    ax.set_title("inertia so far" + (f": {current:.2f}" if current is not None else ": (no labels yet)"))
    # The inertia never rises and starts at its largest: the lower left is free of the curve.
    ax.legend(loc="lower left")
    return ax


def _renamed_after(labels, reference, n_clusters):
    """``match_labels(labels, reference)`` and the permutation of the centres that goes with it
    (``centers[order][k]`` is the centre of renamed cluster k). When the new names are not
    0..n_clusters-1 (an empty cluster, or a reference with more groups than K keeps no common
    naming), the labels are kept as they are."""
    present, first = np.unique(labels, return_index=True)
    renamed = match_labels(labels, reference)
    names = renamed[first]
    if sorted(names) != list(range(n_clusters)):
        return np.asarray(labels), np.arange(n_clusters)
    order = np.empty(n_clusters, dtype=int)
    order[names] = present
    return renamed, order


def plot_metric_comparison(n_clusters=3, random_state=None, axes=None):
    """Euclidean vs cosine K-Means on two data sets where they disagree.

    Top row: rays from the origin (groups differ only by direction). Bottom row: a near and a far
    group in the same direction. Each panel shows the clusters, the centres and the regions
    (cells for Euclidean, cones from the origin for cosine), with the ARI against the truth.
    Every panel's clusters are renamed after the true groups (:func:`lessons_src.plotting.
    match_labels`, a Hungarian assignment) before colouring, centres and regions with them, so
    the same group has the same colour in both panels of a row.

    Parameters
    ----------
    n_clusters : int
    random_state : None, int, numpy Generator or RandomState
        Draws the K-Means starts (the data sets are the lesson's, made with ``SEED``).
    axes : 2 x 2 Axes, optional

    Returns
    -------
    dict with 'axes' (2 x 2), 'ari' {(data, metric): float} and 'labels' {(data, metric):
    the drawn labels, renamed after the truth}
    """
    from sklearn.metrics import adjusted_rand_score

    if axes is None:
        _, axes = plt.subplots(2, 2, figsize=(9.5, 6.6))
    sets = {"rays": make_rays_2d(random_state=SEED),
            "near and far": make_near_far_2d(random_state=SEED)}
    ari, drawn = {}, {}
    for row, (name, (X, y)) in enumerate(sets.items()):
        for col, metric in enumerate(("euclidean", "cosine")):
            model = KMeans(n_clusters=n_clusters, metric=metric, n_init=5,
                           random_state=random_state).fit(X)
            ari[(name, metric)] = adjusted_rand_score(y, model.labels_)
            # Rename the clusters after the true groups; centre k moves to its new name, so
            # the centres and the regions take the same colours as their points.
            labels, order = _renamed_after(model.labels_, y, n_clusters)
            centers = model.cluster_centers_[order]
            drawn[(name, metric)] = labels
            if metric == "cosine":
                # A spherical centre is a unit direction: draw it at its points' mean length.
                lengths = np.linalg.norm(X, axis=1)
                scale = np.array([lengths[labels == k].mean() if np.any(labels == k)
                                  else 1.0 for k in range(n_clusters)])
                centers = centers * scale[:, None]
            xlim, ylim = data_window(np.vstack([X, [[0.0, 0.0]]]))
            ax = axes[row, col]
            plot_voronoi(centers, xlim, ylim, ax=ax, resolution=120, metric=metric)
            plot_clusters(X, labels, centers, ax=ax, s=12, center_size=130,
                          title=f"{name}, {metric}: ARI {ari[(name, metric)]:.2f}")
            ax.set_aspect("equal", adjustable="box")
            ax.plot(0, 0, "k+", ms=10)
            ax.set_xlim(xlim)
            ax.set_ylim(ylim)
    return {"axes": axes, "ari": ari, "labels": drawn}


@functools.lru_cache(maxsize=8)
def _stop_rule_run(random_state):
    X, _ = replay_set("anisotropic")
    model = KMeans(n_clusters=6, init="random", tol=0, random_state=random_state).fit(X)
    return _read_only(model)


def stop_rule_runs(tol_exponent=-4.0, max_iter=300, random_state=None, X=None, n_clusters=6):
    """The two runs :func:`draw_stop_rules` draws, without drawing: one to the end (``tol=0``)
    and one from the same initial centres with ``tol=10**tol_exponent`` and ``max_iter``.

    Parameters are those of :func:`draw_stop_rules`.

    Returns
    -------
    dict with 'X', 'full' and 'model' (the two fitted :class:`~lessons_src.kmeans.KMeans`),
    'max_iter', 'threshold' (``tol`` times the mean variance), 'stopped_by' ('tol',
    'max_iter' or 'no label changed'), 'n_iter', 'n_iter_full', 'inertia', 'inertia_full'
    """
    max_iter = max(int(max_iter), 1)
    tol = 10.0 ** float(tol_exponent)
    if X is None and isinstance(random_state, numbers.Integral):
        X, full = replay_set("anisotropic")[0], _stop_rule_run(random_state)
    else:
        X = replay_set("anisotropic")[0] if X is None else np.asarray(X, dtype=float)
        n_clusters = min(int(n_clusters), X.shape[0])
        full = KMeans(n_clusters=n_clusters, init="random", tol=0, random_state=random_state).fit(X)
    init = full.init_centers_
    model = KMeans(n_clusters=len(init), init=init, tol=tol, max_iter=max_iter).fit(X)
    threshold = tol * float(np.mean(np.var(X, axis=0)))
    # How did the real run stop? A run that stopped because no label changed ends on an update
    # (no final assignment is needed); otherwise the last shift tells tol from max_iter.
    last_shift = [h.shift for h in model.history_ if h.step == "update"][-1]
    if model.history_[-1].step == "update":
        stopped_by = "no label changed"
    elif last_shift <= threshold:
        stopped_by = "tol"
    else:
        stopped_by = "max_iter"
    return {"X": X, "full": full, "model": model, "max_iter": max_iter, "threshold": threshold,
            "stopped_by": stopped_by, "n_iter": model.n_iter_, "n_iter_full": full.n_iter_,
            "inertia": model.inertia_, "inertia_full": full.inertia_}


def draw_stop_rules(tol_exponent=-4.0, max_iter=300, random_state=None, X=None, n_clusters=6,
                    axes=None):
    """The two stop rules on one run: the centre shift per iteration against the ``tol``
    threshold, and the ``max_iter`` cut.

    The run is first done with ``tol=0`` (it stops only when no label changes) to get the whole
    shift curve; then the real run from the same initial centres with ``tol=10**tol_exponent``
    and ``max_iter`` is drawn.

    Parameters
    ----------
    tol_exponent : float
        ``tol = 10 ** tol_exponent`` (scikit-learn scales it by the mean variance of X).
    max_iter : int >= 1
    random_state : None, int, numpy Generator or RandomState
        Draws the initial centres (with an int the first run is computed once for the lesson's
        data).
    X : ndarray of shape (n_samples, 2), optional (default: the anisotropic set)
    n_clusters : int, clipped to the number of points

    Returns
    -------
    dict with 'axes', 'n_iter' (of the real run), 'stopped_by', 'inertia', 'inertia_full'
    """
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10.5, 4.2), width_ratios=[1.2, 1])
    ax_shift, ax_state = axes
    runs = stop_rule_runs(tol_exponent, max_iter, random_state, X, n_clusters)
    X, full, model, max_iter = runs["X"], runs["full"], runs["model"], runs["max_iter"]
    stopped_by, threshold = runs["stopped_by"], runs["threshold"]
    shifts = np.array([h.shift for h in full.history_ if h.step == "update"])
    iterations = np.arange(1, shifts.size + 1)
    floor = 1e-12
    ax_shift.semilogy(iterations, np.maximum(shifts, floor), "o-", color="0.3", ms=4,
                      label="total squared centre shift")
    ax_shift.axhline(max(threshold, floor), color=CLUSTER_COLORS[3], lw=1.5,
                     label=f"tol x mean variance = {threshold:.1e}")
    ax_shift.axvline(min(max_iter, shifts.size + 1), color=CLUSTER_COLORS[2], lw=1.5, ls="--",
                     label=f"max_iter = {max_iter}" + (" (off the chart)" if max_iter > shifts.size + 1 else ""))
    ax_shift.axvline(model.n_iter_, color="black", lw=1, alpha=0.6)
    ax_shift.set_xlim(0.5, shifts.size + 1.5)
    ax_shift.set_xlabel("iteration")
    ax_shift.set_ylabel("shift (0 drawn at 1e-12)")
    ax_shift.set_title(f"stopped after {model.n_iter_} iteration(s): {stopped_by}")
    # Under both panels, never over the curve or the lines (they can be anywhere on the chart).
    ax_shift.figure.legend(*ax_shift.get_legend_handles_labels(), loc="outside lower center",
                           ncols=3)
    plot_kmeans_state(ax_state, X, model.cluster_centers_, model.labels_,
                      title=f"inertia {model.inertia_:.1f} (to convergence: {full.inertia_:.1f})")
    return {"axes": axes, "n_iter": model.n_iter_, "stopped_by": stopped_by,
            "inertia": model.inertia_, "inertia_full": full.inertia_}


def plot_max_iter_effect(X, init_centers, max_iters=(1, 2, 3, 300), axes=None):
    """scikit-learn's KMeans with the same initial centres and growing ``max_iter``.

    Returns
    -------
    dict with 'axes' and 'models' (the fitted scikit-learn estimators)
    """
    from sklearn.cluster import KMeans as SklearnKMeans

    if axes is None:
        _, axes = plt.subplots(1, len(max_iters), figsize=(3.0 * len(max_iters), 3.3))
    axes = np.ravel(axes)
    models = []
    window = data_window(X, centers=init_centers)
    for ax, max_iter in zip(axes, max_iters):
        model = SklearnKMeans(n_clusters=len(init_centers), init=init_centers, n_init=1,
                              max_iter=int(max_iter), tol=0).fit(X)
        models.append(model)
        plot_kmeans_state(ax, X, model.cluster_centers_, model.labels_, window=window,
                          title=f"max_iter={max_iter}: inertia {model.inertia_:.0f}")
        ax.set_xlabel("")
        ax.set_ylabel("")
    return {"axes": axes, "models": models}
