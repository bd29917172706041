"""Figures and slider callbacks of lesson 03 (hierarchical clustering).

Every function draws one whole figure (or into given axes) for one set of values and returns
what it drew; the lesson's sliders call them, and the tests call them at the slider extremes.
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib import patheffects
from matplotlib.offsetbox import AnnotationBbox, OffsetImage

from .. import hierarchical
from ..caching import lru_cache_arrays
from ..plotting import CLUSTER_COLORS, cluster_colors, match_labels, plot_clusters

__all__ = [
    "plot_dendrogram",
    "draw_merge_step",
    "draw_cut",
    "cut_height_range",
    "cut_height_controls",
    "cut_colors",
    "cut_by_linkage",
    "plot_linkage_comparison",
    "plot_image_dendrogram",
    "measure_cost",
    "plot_cost",
]

_FUTURE = "0.85"     # links not merged yet: light gray, so the final tree shape is visible
_ABOVE_CUT = "0.25"  # links above a cut: dark gray


def _link_colors(Z, colors, n_merges):
    """Colour of each merge: the colour of its flat cluster if it is below the cut.

    ``colors`` is one colour label per point (as :func:`cut_colors` gives it; -1 is gray)."""
    n = len(colors)
    links = []
    for t in range(n - 1):
        if t >= n_merges:
            links.append(_ABOVE_CUT)
            continue
        # Any point of the merged cluster carries the cluster's colour: walk down to a leaf.
        node = int(Z[t, 0])
        while node >= n:
            node = int(Z[node - n, 0])
        links.append(tuple(cluster_colors([colors[node]])[0]))
    return links


def cut_colors(Z, n_clusters, top_down=True):
    """Colour labels for the tree cut into ``n_clusters``, stable as the cut moves.

    The cuts are named one after the other with :func:`lessons_src.plotting.match_labels`,
    each after the cut before it: top-down from K = 1 (a split keeps the name on its larger
    part, the other part gets a new one), or bottom-up from n clusters (a merge keeps the name
    of its larger part; two points merged get a new one). A slider moving K by one then
    recolours only the clusters that changed, and every panel showing this cut uses these
    names. Clusters of one point get -1 (drawn gray): with n points at most n / 2 clusters are
    coloured, which the 30 colours of the palette cover up to n = 60.

    Parameters
    ----------
    Z : ndarray of shape (n - 1, 4)
        A linkage matrix.
    n_clusters : int in [1, n]
    top_down : bool
        True: name the cuts K = 1, 2, ..., n_clusters (the cut-by-K figure); False: name the
        cuts K = n, n - 1, ..., n_clusters (the replay of the merges).

    Returns
    -------
    colors : ndarray of int, shape (n,)
        One colour label per point, -1 for a cluster of one point.
    """
    n = len(Z) + 1
    order = range(1, n_clusters + 1) if top_down else range(n, n_clusters - 1, -1)
    names = None
    for k in order:
        labels = hierarchical.flat_clusters(Z, n_clusters=k)
        labels = np.where(np.bincount(labels)[labels] > 1, labels, -1)
        names = labels if names is None else match_labels(labels, names)
    return names


def plot_dendrogram(Z, ax=None, n_drawn=None, link_colors=None, leaf_labels=None, cut_height=None):
    """Draw a dendrogram from a linkage matrix (our own layout, identical to SciPy's).

    Parameters
    ----------
    Z : ndarray of shape (n - 1, 4)
    n_drawn : int, optional
        Draw merges 0 .. n_drawn - 1 in colour and the later ones in light gray (the tree
        "growing"). Default: all.
    link_colors : list of colours, optional
        One per merge (default: dark gray), e.g. from a cut's :func:`cut_colors`.
    leaf_labels : list of str, optional
        Tick label of each point (default: the point indices; none above 20 points, where they
        would be too small to read).
    cut_height : float, optional
        Draw a dashed horizontal line there.

    Returns
    -------
    ax : Axes
    """
    Z = hierarchical.check_linkage_matrix(Z)
    n = Z.shape[0] + 1
    n_drawn = n - 1 if n_drawn is None else int(n_drawn)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5))
    layout = hierarchical.dendrogram_coordinates(Z)
    x, y = layout.x, layout.y
    colors = link_colors or [_ABOVE_CUT] * (n - 1)
    for t in range(n - 1):
        a, b = int(Z[t, 0]), int(Z[t, 1])
        drawn = t < n_drawn
        ax.plot([x[a], x[a], x[b], x[b]], [y[a], Z[t, 2], Z[t, 2], y[b]],
                color=colors[t] if drawn else _FUTURE, lw=1.6 if drawn else 1.0,
                zorder=2 if drawn else 1)
    ax.set_xlim(0, 10 * n)
    ax.set_ylim(0, 1.05 * Z[:, 2].max() if n > 1 and Z[:, 2].max() > 0 else 1.0)
    if leaf_labels is None and n <= 20:
        leaf_labels = [str(i) for i in range(n)]
    if leaf_labels is not None:
        ax.set_xticks(x[layout.leaves])
        ax.set_xticklabels([leaf_labels[i] for i in layout.leaves])
    else:
        ax.set_xticks([])
    if cut_height is not None:
        ax.axhline(cut_height, color="crimson", ls="--", lw=1.2, zorder=3)
    ax.set_ylabel("merge height")
    return ax


@lru_cache_arrays(maxsize=8)
def _replay(X, linkage):
    """``hierarchical.merge_history(X, linkage)``, cached with its arrays read-only: the replay
    slider asks for the same run at every position."""
    history = hierarchical.merge_history(X, linkage)
    history.linkage_matrix.flags.writeable = False
    for merge in history.merges:
        merge.cluster_ids.flags.writeable = False
        merge.distances.flags.writeable = False
    return history


def _cluster_name(members):
    return "{" + ",".join(str(m) for m in sorted(members)) + "}" if len(members) > 1 else str(members[0])


def draw_merge_step(X, n_merges, linkage="single", axes=None):
    """The slides' algorithm after ``n_merges`` merges: the plane, the dendrogram, the matrix.

    Left: the points coloured by their current cluster (singletons gray; a cluster keeps its
    colour from step to step, see :func:`cut_colors`) and, for every merge done so far, the
    segment between the closest points of the two merged clusters (for single linkage these
    segments form a minimum spanning tree). Middle: the dendrogram, merges done in the same
    colours, the rest in light gray. Right: the distances between the current clusters (each
    pair once, below the diagonal), the next merge boxed in red and the newest cluster's row
    (the distances step 3 just recomputed) labelled in red.

    Parameters
    ----------
    X : ndarray of shape (n, 2), n small (<= 10 keeps the matrix readable)
    n_merges : int in [0, n - 1]
        Values outside are clipped (a slider cannot break the figure).
    linkage : {'single', 'complete', 'average', 'ward'}
    axes : sequence of 3 Axes, optional
        Where to draw (default: a new figure, 12.2 x 4.9 inches).

    Returns
    -------
    axes : ndarray of 3 Axes
    """
    X = np.asarray(X, dtype=float)
    n = len(X)
    t = int(np.clip(n_merges, 0, n - 1))
    history = _replay(X, linkage)
    Z = history.linkage_matrix
    colors = cut_colors(Z, n - t, top_down=False)

    if axes is None:
        _, axes = plt.subplots(1, 3, figsize=(12.2, 4.9),
                               gridspec_kw={"width_ratios": [0.85, 0.95, 1.2]})
    axes = np.asarray(axes)
    ax_plane, ax_tree, ax_matrix = axes
    D = hierarchical.pairwise_distances(X)
    members = {i: [i] for i in range(n)}
    for merge in history.merges[:t]:
        members[merge.new_id] = members[merge.left] + members[merge.right]
        left, right = members[merge.left], members[merge.right]
        block = D[np.ix_(left, right)]
        i, j = np.unravel_index(np.argmin(block), block.shape)
        p, q = X[left[i]], X[right[j]]
        latest = merge.step == t - 1
        ax_plane.plot([p[0], q[0]], [p[1], q[1]], color="crimson" if latest else "0.4",
                      lw=2.4 if latest else 1.2, zorder=1)
    plot_clusters(X, colors, ax=ax_plane, s=90, alpha=1.0)
    for i, (px, py) in enumerate(X):
        ax_plane.annotate(str(i), (px, py), xytext=(5, 4), textcoords="offset points", zorder=4,
                          path_effects=[patheffects.withStroke(linewidth=3, foreground="white")])
    ax_plane.set_title(f"{t} merge(s) done:\n{n - t} cluster(s)")

    current_height = Z[t - 1, 2] if t > 0 else None
    plot_dendrogram(Z, ax=ax_tree, n_drawn=t, link_colors=_link_colors(Z, colors, t),
                    cut_height=current_height)
    ax_tree.set_title(f"dendrogram\n({linkage} linkage)")

    if t == n - 1:
        ax_matrix.text(0.5, 0.5, "one cluster left:\nnothing more to merge", ha="center",
                       va="center", transform=ax_matrix.transAxes)
        ax_matrix.set_axis_off()
        return axes
    state = history.merges[t]
    ids = list(state.cluster_ids)
    names = [_cluster_name(members[c]) for c in ids]
    M = state.distances
    size = len(ids)
    # Each distance once (the matrix is symmetric): the part below the diagonal, rows 1.. and
    # columns ..size-2. It holds the whole row of the newest cluster, which comes last.
    below = np.tril(np.ones((size - 1, size - 1), dtype=bool))
    shown = np.where(below, M[1:, :-1], np.nan)
    cmap = plt.get_cmap("Blues_r").with_extremes(bad="white")
    ax_matrix.imshow(shown, cmap=cmap, vmin=0, vmax=D.max())
    for r, c in zip(*np.nonzero(below)):
        ax_matrix.text(c, r, f"{shown[r, c]:.2f}", ha="center", va="center",
                       color="black" if shown[r, c] > 0.45 * D.max() else "white")
    a, b = sorted((ids.index(state.left), ids.index(state.right)))
    ax_matrix.add_patch(plt.Rectangle((a - 0.5, b - 1.5), 1, 1, fill=False, ec="crimson", lw=2.5))
    ax_matrix.set_xticks(range(size - 1))
    ax_matrix.set_yticks(range(size - 1))
    ax_matrix.set_xticklabels(names[:-1], rotation=90)
    ax_matrix.set_yticklabels(names[1:])
    ax_matrix.spines[["left", "bottom"]].set_visible(False)
    ax_matrix.tick_params(length=0)
    if t > 0 and (n + t - 1) in ids:            # the newest cluster: its recomputed distances
        for label in ax_matrix.get_yticklabels()[-1:]:
            label.set_fontweight("bold")
            label.set_color("crimson")
    ax_matrix.set_title(f"distances now; next merge:\n{names[a]} + {names[b]} at {state.height:.2f}")
    return axes


@lru_cache_arrays(maxsize=16)
def _tree(X, linkage):
    """``hierarchical.agglomerative(X, linkage)``, cached read-only: every move of a cut slider
    and every rule call asks for the same tree."""
    Z = hierarchical.agglomerative(X, linkage)
    Z.flags.writeable = False
    return Z


def _nice_step(span, n_steps=60):
    """A round step (1, 2 or 5 times a power of ten) giving about ``n_steps`` steps over span."""
    raw = max(float(span), 1e-12) / n_steps
    power = 10.0 ** np.floor(np.log10(raw))
    return float(min((m * power for m in (1, 2, 5, 10) if m * power >= raw), default=10 * power))


def cut_height_range(X, linkage):
    """The range of a cut-height slider for the tree of ``X`` under ``linkage``.

    From 0 (every point alone) to a bit above the last merge (one cluster), in about 60 round
    steps, so that the slider spans the heights of the tree shown: single linkage merges
    everything far below Ward's top.

    Returns
    -------
    dict with 'min', 'max' and 'step'
    """
    Z = _tree(np.asarray(X, dtype=float), linkage)
    top = float(Z[-1, 2]) if len(Z) else 1.0
    step = _nice_step(1.1 * top)
    return {"min": 0.0, "max": round(float(step * np.ceil(1.1 * top / step)), 10), "step": step}


def cut_height_controls(values):
    """The rule of the cut-by-height slider of :func:`draw_cut`: its range follows the linkage.

    Parameters
    ----------
    values : dict
        The arguments of :func:`draw_cut` (``X`` fixed, ``linkage``, ``height``).

    Returns
    -------
    dict : ``{"height": {"min": ..., "max": ..., "step": ...}}`` (see
    :class:`lessons_src.widgets.LiveFigure`; a height above the new top is clamped to it)
    """
    return {"height": cut_height_range(values["X"], values["linkage"])}


def draw_cut(X, linkage="ward", n_clusters=None, height=None, axes=None):
    """Cut the tree by K or by height: the dendrogram with the cut line, and the clusters.

    Both panels colour a cluster alike, and a cluster keeps its colour as K moves (see
    :func:`cut_colors`); clusters of one point are gray.

    Parameters
    ----------
    X : ndarray of shape (n, 2)
    linkage : {'single', 'complete', 'average', 'ward'}
    n_clusters : int, optional
        Cut by K (clipped to [1, n]).
    height : float, optional
        Cut by height (negative values act as 0). Give exactly one of the two.
    axes : sequence of 2 Axes, optional
        Where to draw (default: a new figure).

    Returns
    -------
    axes : ndarray of 2 Axes
    """
    X = np.asarray(X, dtype=float)
    n = len(X)
    Z = _tree(X, linkage)
    if n_clusters is not None:
        k = int(np.clip(n_clusters, 1, n))
        # Draw the line midway between the last kept merge and the first undone one.
        below = Z[n - k - 1, 2] if k < n else 0.0
        above = Z[n - k, 2] if k > 1 else 1.05 * Z[-1, 2]
        cut = 0.5 * (below + above)
        title = f"cut by K = {k}"
    else:
        cut = max(float(height), 0.0)
        k = len(np.unique(hierarchical.flat_clusters(Z, height=cut)))
        title = f"cut at height {cut:.2f}: K = {k}"
    colors = cut_colors(Z, k)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(12, 4.2), gridspec_kw={"width_ratios": [1.5, 1]})
    axes = np.asarray(axes)
    plot_dendrogram(Z, ax=axes[0], link_colors=_link_colors(Z, colors, n - k), cut_height=cut,
                    leaf_labels=[""] * n if n > 20 else None)
    axes[0].set_ylim(0, 1.08 * max(Z[-1, 2], cut))
    axes[0].set_title(f"{linkage} linkage: {title}")
    plot_clusters(X, colors, ax=axes[1])
    alone = int(np.sum(colors < 0))
    axes[1].set_title(f"{k} cluster(s)" + (f", {alone} of one point (gray)" if alone else ""))
    return axes


def cut_by_linkage(X, n_clusters, linkages=hierarchical.LINKAGES):
    """The same data cut at the same K under each linkage (what
    :func:`plot_linkage_comparison` draws).

    Parameters
    ----------
    X : ndarray of shape (n, n_features)
    n_clusters : int
    linkages : sequence of str

    Returns
    -------
    labels : dict of str -> ndarray of shape (n,)
        ``hierarchical.flat_clusters`` of each linkage's tree, numbered by first point
        (read-only arrays: they are cached).
    """
    return dict(_cut_by_linkage(np.asarray(X, dtype=float), n_clusters, tuple(linkages)))


@lru_cache_arrays(maxsize=16)
def _cut_by_linkage(X, n_clusters, linkages):
    labels = {}
    for method in linkages:
        labels[method] = hierarchical.flat_clusters(hierarchical.agglomerative(X, method),
                                                    n_clusters=n_clusters)
        labels[method].flags.writeable = False
    return labels


def plot_linkage_comparison(X, n_clusters, linkages=hierarchical.LINKAGES, axes=None,
                            title_prefix="", reference=None):
    """The same data cut at the same K under each linkage, side by side.

    Each panel names its clusters after the panel before it, or after ``reference`` if given
    (:func:`plotting.match_labels`), so the same group has the same colour in every panel.

    Parameters
    ----------
    X : ndarray of shape (n, 2)
    n_clusters : int
    linkages : sequence of str
    axes : sequence of Axes, optional
        One per linkage (default: a new figure, one row).
    title_prefix : str
    reference : array of int, shape (n,), optional
        The labelling whose colours every panel follows (e.g. the true groups); default: each
        panel follows the one before it.

    Returns
    -------
    axes : ndarray of Axes, one per linkage
    """
    X = np.asarray(X, dtype=float)
    labels = cut_by_linkage(X, n_clusters, linkages)
    if axes is None:
        _, axes = plt.subplots(1, len(linkages), figsize=(3.1 * len(linkages), 3.3))
    axes = np.ravel(axes)
    previous = None
    for ax, method in zip(axes, linkages):
        sizes = sorted(np.bincount(labels[method]), reverse=True)
        follow = reference if reference is not None else previous
        previous = labels[method] if follow is None else match_labels(labels[method], follow)
        plot_clusters(X, previous, ax=ax, s=12)
        ax.set_title(f"{title_prefix}{method}:\nsizes {', '.join(map(str, sizes[:3]))}"
                     + ("..." if len(sizes) > 3 else ""))
        ax.set_xlabel("")
        ax.set_ylabel("")
    return axes


def plot_image_dendrogram(images, Z, ax=None, zoom=2.0, cmap="gray_r", labels=None, n_clusters=None,
                          thumbnail_band=0.2):
    """A dendrogram whose leaves are the images themselves.

    Parameters
    ----------
    images : ndarray of shape (n, h, w)
    Z : ndarray of shape (n - 1, 4)
        Linkage matrix of the images (e.g. of their flattened pixels).
    zoom : float
        Thumbnail magnification (screen pixels per image pixel at the figure's dpi).
    labels : array of shape (n,), optional
        A true class per image, written under its thumbnail.
    n_clusters : int, optional
        Colour the tree cut at this K.
    thumbnail_band : float
        Height of the band under the tree that holds the thumbnails, as a fraction of the tree's.

    Returns
    -------
    ax : Axes
    """
    images = np.asarray(images)
    n = len(images)
    if ax is None:
        _, ax = plt.subplots(figsize=(max(7.0, 0.33 * n), 4.0))
    k = n_clusters if n_clusters is not None else 1
    leaf_labels = [str(label) for label in labels] if labels is not None else [""] * n
    plot_dendrogram(Z, ax=ax, link_colors=_link_colors(Z, cut_colors(Z, k), n - k),
                    leaf_labels=leaf_labels)
    layout = hierarchical.dendrogram_coordinates(Z)
    top = ax.get_ylim()[1]
    ax.set_yticks([tick for tick in ax.get_yticks() if 0 <= tick <= top])
    # The thumbnails live in a band below 0, the true labels (if any) as tick labels under it.
    ax.set_ylim(-thumbnail_band * top, top)
    for position, i in zip(layout.x[layout.leaves], layout.leaves):
        box = AnnotationBbox(OffsetImage(images[i], zoom=zoom, cmap=cmap),
                             (position, -0.5 * thumbnail_band * top), frameon=False, pad=0.0)
        ax.add_artist(box)
    ax.spines["bottom"].set_visible(False)
    return ax


def measure_cost(methods, data, repeat=5, max_seconds=5.0, min_sample=0.01):
    """Time and peak memory of each method against n, measured so the curves do not zig-zag.

    Two things make a timing curve zig-zag on a shared machine: other programs taking the CPU
    during some calls (wall time counts the wait), and a burst of load hitting one size's calls
    all at once. So each call is timed in CPU time of this process (``time.process_time``:
    another program's load does not count; the lessons run one thread), the repeats go round
    all (method, n) pairs in turn rather than one size after the other, a call faster than
    ``min_sample`` seconds is timed over a loop of calls, and each point is the median of its
    repeats. After one untimed warm-up call per pair, rounds stop once
    ``max_seconds`` of timed calls are spent (at least one round).

    Parameters
    ----------
    methods : dict of str -> (callable, sequence of int)
        Per method, ``fit(X)`` and the n values to measure it at.
    data : ndarray of shape (n_max, n_features)
        ``fit`` gets ``data[:n]``.
    repeat : int
        Rounds at most.
    max_seconds : float
    min_sample : float
        Shortest timed sample, in CPU seconds.

    Returns
    -------
    sizes, seconds, memory_bytes : dicts of str -> list (what :func:`plot_cost` draws)
    """
    import time

    from ..timing import peak_bytes

    pairs = [(name, n) for name, (_, ns) in methods.items() for n in ns]
    times = {pair: [] for pair in pairs}
    loops = {}
    for name, n in pairs:
        start = time.process_time()
        methods[name][0](data[:n])                      # warm-up: imports, caches, page faults
        # A fast call is timed in a loop of calls lasting >= min_sample seconds (as timeit does).
        loops[(name, n)] = int(np.clip(np.ceil(min_sample / max(time.process_time() - start,
                                                                1e-6)), 1, 1000))
    spent = 0.0
    for _ in range(int(repeat)):
        for name, n in pairs:
            fit, X, count = methods[name][0], data[:n], loops[(name, n)]
            start = time.process_time()
            for _ in range(count):
                fit(X)
            elapsed = time.process_time() - start
            times[(name, n)].append(elapsed / count)
            spent += elapsed
        if spent > max_seconds:
            break
    sizes = {name: list(ns) for name, (_, ns) in methods.items()}
    seconds = {name: [float(np.median(times[(name, n)])) for n in ns]
               for name, (_, ns) in methods.items()}
    memory = {name: [peak_bytes(lambda: fit(data[:n])) for n in ns]
              for name, (fit, ns) in methods.items()}
    return sizes, seconds, memory


def plot_cost(sizes, seconds, memory_bytes=None, axes=None):
    """Time (and memory) against the number of points, log-log, one line per method.

    One legend for both panels, above them (never over a curve).

    Parameters
    ----------
    sizes : dict of str -> array of int
        The n values measured for each method.
    seconds : dict of str -> array of float
        The time per fit (e.g. the median of repeats: ``lessons_src.timing.median_seconds``),
        same keys and lengths.
    memory_bytes : dict of str -> array of float, optional
        Peak memory per fit; a right-hand panel if given.

    Returns
    -------
    axes : ndarray of Axes
    """
    panels = 2 if memory_bytes else 1
    if axes is None:
        _, axes = plt.subplots(1, panels, figsize=(5.5 * panels, 4.4), squeeze=False)
    axes = np.ravel(axes)
    for k, method in enumerate(seconds):
        axes[0].loglog(sizes[method], seconds[method], "o-", color=CLUSTER_COLORS[k], label=method)
    # Gray guides of slope 2 and 3 ending at the first method's largest n: compare the slopes
    # where the measurement is least dominated by fixed overheads.
    first = next(iter(seconds))
    n_end, t_end = float(sizes[first][-1]), float(seconds[first][-1])
    n_span = np.array([float(sizes[first][0]), n_end])
    for power, style in ((2, "--"), (3, ":")):
        axes[0].loglog(n_span, t_end * (n_span / n_end) ** power, style, color="0.5", lw=1.2,
                       label=f"~ n^{power}")
    axes[0].set_xlabel("n (points)")
    axes[0].set_ylabel("CPU seconds (median)")
    axes[0].set_title("time")
    if memory_bytes:
        for k, method in enumerate(memory_bytes):
            axes[1].loglog(sizes[method], np.asarray(memory_bytes[method]) / 1e6, "o-",
                           color=CLUSTER_COLORS[k])
        axes[1].set_xlabel("n (points)")
        axes[1].set_ylabel("MB")
        axes[1].set_title("peak memory")
    axes[0].figure.legend(*axes[0].get_legend_handles_labels(), loc="outside upper center",
                          ncols=3)
    return axes
