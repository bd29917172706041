"""Figures of lesson 10 (K-Means at scale).

Every function takes ``ax=None`` (or makes its own figure), returns what it drew, and never
saves a file or calls ``plt.show()``.
"""
import re

import matplotlib.pyplot as plt
import numpy as np

from .. import SEED
from ..datasets import make_blobs_2d
from ..kmeans import init_kmeans_parallel, init_kmeans_plusplus
from ..plotting import CLUSTER_COLORS, NOISE_COLOR
from ..validation import check_array_2d, check_positive_int

__all__ = [
    "kmeanspp_passes",
    "kmeans_parallel_passes",
    "plot_passes",
    "draw_seeding_passes",
    "plot_streaming_progress",
    "plot_center_rows",
    "task_prefix",
    "plot_task_stream",
]


def kmeanspp_passes(n_clusters):
    """Passes over the data that K-Means++ seeding needs: one per centre, in sequence.

    (The first centre is a uniform draw; each of the next K - 1 needs D(x)^2 for every x, which
    depends on the centre just chosen; a last pass brings D(x)^2 up to date for Lloyd's first
    assignment. Counted as K.)
    """
    return check_positive_int(n_clusters, "n_clusters")


def kmeans_parallel_passes(n_rounds):
    """Passes over the data of our K-Means|| seeding: 1 (first D^2) + n_rounds + 1 (weights)."""
    return 1 + check_positive_int(n_rounds, "n_rounds") + 1


def plot_passes(passes, ax=None, title="Passes over the data"):
    """Horizontal bars, one per method, with the count written at the end of each bar.

    Parameters
    ----------
    passes : dict
        Method label -> number of passes.
    ax : Axes, optional

    Returns
    -------
    bars : BarContainer
    """
    if not passes:
        raise ValueError("passes must name at least one method, got an empty dict")
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 0.5 + 0.45 * len(passes)))
    labels = list(passes)
    values = np.array([float(passes[label]) for label in labels])
    if np.any(values < 0) or not np.all(np.isfinite(values)):
        raise ValueError(f"passes must be finite counts >= 0, got {dict(passes)}")
    positions = np.arange(len(labels))[::-1]
    colors = [CLUSTER_COLORS[i % len(CLUSTER_COLORS)] for i in range(len(labels))]
    bars = ax.barh(positions, values, color=colors, height=0.6)
    ax.set_yticks(positions, labels)
    for y, value in zip(positions, values):
        ax.text(value, y, f" {value:g}", va="center")
    ax.set_xlim(0, max(values.max(), 1) * 1.15)
    ax.set_xlabel("passes over all the data")
    ax.set_title(title)
    return bars


def draw_seeding_passes(n_clusters=6, n_rounds=3, oversampling_factor=2.0, random_state=None,
                        axes=None):
    """K-Means++ next to K-Means|| on 2-D blobs: which points each picks, and at what cost.

    Left: the K-Means++ centres, numbered in the order they were drawn (one pass each).
    Right: the K-Means|| candidates, coloured by the round that sampled them and sized by their
    weight (points they stand for), with the K centres finally kept circled.

    Parameters
    ----------
    n_clusters : int >= 1
    n_rounds : int >= 1
    oversampling_factor : float > 0
        l / K: each round keeps about ``oversampling_factor * n_clusters`` points.
    random_state : None, int, numpy Generator or RandomState
        Draws both seedings (the 600 points are the lesson's, made with ``SEED``).
    axes : two Axes, optional

    Returns
    -------
    dict with 'axes', 'pp_indices' (the K-Means++ picks, in order) and 'seeding' (the
    :class:`~lessons_src.kmeans.ParallelSeeding`)
    """
    X, _ = make_blobs_2d(n_samples=600, n_clusters=6, cluster_std=0.9, random_state=SEED)
    n_clusters = check_positive_int(n_clusters, "n_clusters", maximum=X.shape[0])
    n_rounds = check_positive_int(n_rounds, "n_rounds")
    pp_indices = init_kmeans_plusplus(X, n_clusters, random_state=random_state).indices
    seeding = init_kmeans_parallel(X, n_clusters, oversampling_factor=oversampling_factor,
                                   n_rounds=n_rounds, random_state=random_state)

    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10, 4.6))
    pad = 0.5
    for ax in axes:
        ax.scatter(X[:, 0], X[:, 1], s=6, color=NOISE_COLOR, alpha=0.6, linewidths=0)
        ax.set_xlim(X[:, 0].min() - pad, X[:, 0].max() + pad)
        ax.set_ylim(X[:, 1].min() - pad, X[:, 1].max() + pad)
        ax.set_aspect("equal", adjustable="box")
        ax.set_xticks([])
        ax.set_yticks([])

    ax = axes[0]
    ax.scatter(X[pp_indices, 0], X[pp_indices, 1], s=90, color="black", marker="X", zorder=3)
    for order, index in enumerate(pp_indices[:30], start=1):
        ax.annotate(str(order), X[index], textcoords="offset points", xytext=(5, 5), fontsize=12)
    # Short title lines: side by side, the two titles must not meet in presenting mode.
    ax.set_title(f"K-Means++: {n_clusters} centres,\n"
                 f"{kmeanspp_passes(n_clusters)} passes in a row")

    ax = axes[1]
    candidates, rounds, weights = seeding.candidates, seeding.rounds, seeding.weights
    sizes = 12 + 120 * np.sqrt(weights / max(weights.max(), 1.0))
    for r in np.unique(rounds):
        mask = rounds == r
        label = "first (uniform)" if r == 0 else (f"round {r}" if r <= n_rounds else "filled up")
        ax.scatter(candidates[mask, 0], candidates[mask, 1], s=sizes[mask],
                   color=CLUSTER_COLORS[int(r) % len(CLUSTER_COLORS)], alpha=0.85, label=label,
                   edgecolors="white", linewidths=0.5, zorder=2)
    ax.scatter(seeding.centers[:, 0], seeding.centers[:, 1], s=260, facecolors="none",
               edgecolors="black", linewidths=1.6, zorder=3, label="kept (weighted K-Means++)")
    ax.set_title(f"K-Means||: {len(candidates)} candidates,\n"
                 f"{n_rounds} rounds, {seeding.n_passes} passes")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), markerscale=0.7)
    return {"axes": axes, "pp_indices": pp_indices, "seeding": seeding}


def plot_streaming_progress(rows_seen, inertia_per_point, reference=None, ax=None,
                            reference_label="K-Means on a sample (all in memory)"):
    """How Mini-Batch K-Means improves as chunks stream in.

    Parameters
    ----------
    rows_seen : array of shape (n_chunks,)
        Rows read so far after each chunk.
    inertia_per_point : array of shape (n_chunks,)
        Mean squared distance to the nearest centre on a fixed held-out set, after each chunk.
    reference : float, optional
        The same score for a reference model, drawn as a dashed line.

    Returns
    -------
    line : Line2D
    """
    rows_seen = np.asarray(rows_seen, dtype=float)
    inertia_per_point = np.asarray(inertia_per_point, dtype=float)
    if rows_seen.shape != inertia_per_point.shape or rows_seen.ndim != 1 or rows_seen.size == 0:
        raise ValueError(f"rows_seen and inertia_per_point must be 1-D of the same non-zero "
                         f"length, got {rows_seen.shape} and {inertia_per_point.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 3.6))
    (line,) = ax.plot(rows_seen, inertia_per_point, "o-", color=CLUSTER_COLORS[0], ms=4,
                      label="Mini-Batch K-Means, partial_fit per chunk")
    if reference is not None:
        ax.axhline(float(reference), color="black", ls="--", lw=1, label=reference_label)
    ax.set_xlabel("rows read from disk")
    ax.set_ylabel("inertia per point (held-out)")
    ax.set_title("Streaming K-Means: one chunk in memory at a time")
    ax.legend()
    return line


def plot_center_rows(rows, image_shape=(8, 8), size=0.75):
    """Centres of several K-Means runs as images, one run per row, one cluster per column.

    Parameters
    ----------
    rows : dict
        Run label -> ndarray of shape (n_clusters, h*w); all with the same n_clusters, already
        put in a common cluster order (see ``scale.match_centers``).
    image_shape : tuple (h, w)

    Returns
    -------
    axes : ndarray of Axes of shape (n_runs, n_clusters)
    """
    if not rows:
        raise ValueError("rows must hold at least one run, got an empty dict")
    arrays = [check_array_2d(centers, f"rows[{label!r}]") for label, centers in rows.items()]
    n_clusters = arrays[0].shape[0]
    if any(a.shape != arrays[0].shape for a in arrays):
        raise ValueError(f"every run needs the same shape, got {[a.shape for a in arrays]}")
    vmin = min(a.min() for a in arrays)
    vmax = max(a.max() for a in arrays)
    fig, axes = plt.subplots(len(arrays), n_clusters, squeeze=False,
                             figsize=(size * n_clusters + 2.2, size * len(arrays) + 0.2))
    for row, (label, centers) in enumerate(zip(rows, arrays)):
        for k in range(n_clusters):
            ax = axes[row, k]
            ax.imshow(centers[k].reshape(image_shape), cmap="gray", vmin=vmin, vmax=vmax)
            ax.set_xticks([])
            ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_visible(False)
        axes[row, 0].set_ylabel(label, rotation=0, ha="right", va="center")
    return axes


_TOKEN = re.compile(r"-?[0-9a-f]{16,}$")
_TASK_KINDS = [  # (part of the task name, what the task does in dask-ml's K-Means), first match
    ("pairwise_distances_argmin_min", "nearest centre (labels)"),
    ("centers_dense", "centre sums"),
    ("bincount", "cluster sizes"),
    ("chunk_min", "distance to candidates"),
    ("pairwise_distances", "distance to candidates"),
    ("uniform", "random draws"),
    ("noisy-copies", "make chunks"),
    ("block-inertia", "inertia"),
    ("sum", "sums"),
    ("any", "input check"),
    ("shuffle", "gather candidates"),
    ("getitem", "select rows"),
    ("finalize", "collect results"),
]


def task_prefix(key):
    """What a Dask task does, from its key.

    Known dask-ml K-Means steps get a plain name (``('pairwise_distances_argmin_min-9f3a...',
    3)`` -> ``'nearest centre (labels)'``); other keys lose their hexadecimal token
    (``('rechunk-merge-0123456789abcdef', 0)`` -> ``'rechunk-merge'``); a key that is only a
    token is ``'other'``.
    """
    if isinstance(key, tuple):
        key = key[0] if key else ""
    name = str(key).strip("('\")").split("'")[0].split(",")[0]
    for part, kind in _TASK_KINDS:
        if part in name:
            return kind
    while _TOKEN.search(name):  # keys such as 'token-token' lose every token
        name = _TOKEN.sub("", name)
    return name or "other"


def plot_task_stream(records, ax=None, max_legend=8):
    """Draw a Dask task stream: one row per worker, one bar per task, coloured by task kind.

    Parameters
    ----------
    records : list of dict
        As returned by ``distributed.Client.get_task_stream`` (keys 'worker', 'key',
        'startstops' = list of dicts with 'action', 'start', 'stop' in seconds).
    ax : Axes, optional
    max_legend : int
        Legend entries for the most time-consuming task kinds.

    Returns
    -------
    ax : Axes
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 2.8))
    bars = []
    for record in records:
        for part in record.get("startstops", ()):
            if part.get("action") != "compute":
                continue
            bars.append((str(record.get("worker", "?")), task_prefix(record.get("key", "")),
                         float(part["start"]), float(part["stop"])))
    if not bars:
        ax.text(0.5, 0.5, "no tasks recorded", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    t0 = min(b[2] for b in bars)
    workers = sorted({b[0] for b in bars})
    busy = {}
    for _, prefix, start, stop in bars:
        busy[prefix] = busy.get(prefix, 0.0) + stop - start
    kinds = sorted(busy, key=busy.get, reverse=True)
    color_of = {kind: CLUSTER_COLORS[i % len(CLUSTER_COLORS)] for i, kind in enumerate(kinds)}
    # One broken_barh per (worker, kind): thousands of tasks draw in one call each.
    groups = {}
    for worker, prefix, start, stop in bars:
        groups.setdefault((worker, prefix), []).append((start - t0, max(stop - start, 1e-4)))
    for (worker, prefix), spans in groups.items():
        ax.broken_barh(spans, (workers.index(worker) - 0.4, 0.8), color=color_of[prefix])
    ax.set_yticks(range(len(workers)), [f"worker {i}" for i in range(len(workers))])
    ax.set_xlabel("seconds since the first task")
    ax.set_title(f"Task stream: {len(bars)} tasks on {len(workers)} worker(s)")
    handles = [plt.Rectangle((0, 0), 1, 1, color=color_of[k]) for k in kinds[:max_legend]]
    ax.legend(handles, kinds[:max_legend], loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return ax
