"""The shared look of every lesson.

One palette for clusters (cluster k is always ``CLUSTER_COLORS[k % 30]``, noise/outliers gray;
:func:`match_labels` first, so that the same cluster has the same colour in every panel),
gray images shown with ``cmap='gray'``, diverging maps (``'RdBu_r'``, centred on 0) for signed
images such as eigenfaces. Every function takes ``ax=None`` (or ``axes=None``), returns what it
drew, and never saves a file or calls ``plt.show()``.
"""
import os
from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap

from .kmeans import assign
from .validation import check_positive_int

__all__ = [
    "CLUSTER_COLORS",
    "NOISE_COLOR",
    "apply_style",
    "presenting",
    "figure_legibility",
    "Legibility",
    "COLUMN_WIDTH_PX",
    "PRESENTATION_COLUMN_WIDTH_PX",
    "MIN_TEXT_PT",
    "PRESENTING_ENV",
    "PRESENTING_SCALE",
    "cluster_colors",
    "match_labels",
    "show_images",
    "image_montage",
    "plot_clusters",
    "plot_voronoi",
    "data_window",
    "plot_message",
    "plot_kmeans_state",
    "basis_montage",
]

def _hex_colors(*codes):
    return [tuple(int(code[i:i + 2], 16) / 255 for i in (1, 3, 5)) for code in codes]


# matplotlib's tab10, its gray (index 7, which read as the noise gray) replaced, then 20 more:
# each chosen greedily as the farthest (CIEDE2000) from all those before it, the noise gray,
# white and black, among colours of lightness 30-82 and chroma > 25 (they show on white and are
# not grays). Every pair differs by at least 16, as tab10's own closest pair does
# (tests/test_plotting_colors.py measures it).
_TAB10 = list(plt.get_cmap("tab10").colors)
CLUSTER_COLORS = _TAB10[:7] + _hex_colors("#005a4b") + _TAB10[8:] + _hex_colors(
    "#786900", "#0000f0", "#a5b4ff", "#960069", "#69e1b4", "#ffb4b4", "#1e6900", "#f0c387",
    "#4b4b78", "#5ae100", "#a55a00", "#ff5a78", "#2d8787", "#b48769", "#96a578", "#3cb4ff",
    "#b48700", "#96002d", "#e10f87", "#4b5aff")
"""Colour of cluster k: ``CLUSTER_COLORS[k % 30]``: matplotlib's tab10 for 0-9 (but a dark
teal for its gray, 7), then 20 more as distinct: enough for every K a lesson's slider colours
and for the 26 coin regions of lesson 04."""

NOISE_COLOR = (0.6, 0.6, 0.6)
"""Colour of points labelled -1 (noise, outliers)."""


# The notebook column, measured in JupyterLab 4.6 in Chromium (tests/browser/
# test_site_and_slides.py measures it again): in a 1440-px-wide window with the file browser open
# (JupyterLab's default), an output image has 1008 CSS px; in View > Appearance > Presentation
# Mode (prose at 17 px) with the left sidebar closed, 1214 px (with the sidebar open, 962 px).
# JupyterLab shrinks a wider image to fit (``max-width: 100%``), and its text shrinks with it.
COLUMN_WIDTH_PX = 1008
"""Width (CSS px) of a figure in a 1440-px-wide JupyterLab with the file browser open."""

PRESENTATION_COLUMN_WIDTH_PX = 1214
"""Width (CSS px) of a figure in a 1440-px-wide JupyterLab in Presentation Mode, left sidebar
closed (View > Appearance > Show Left Sidebar, or Ctrl+B)."""

MIN_TEXT_PT = 10
"""Smallest figure text, in CSS points (1 pt = 4/3 CSS px) at the size the figure is shown."""

PRESENTING_ENV = "LESSONS_PRESENTING"
"""Environment variable that switches presenting mode on at import (``make present`` sets it)."""

PRESENTING_SCALE = 1.2
"""Presenting mode multiplies the figures' resolution (dots per inch) and every font size, line
width and marker size by this: text grows 1.2 x 1.2 = 1.44 times (12 pt -> about 17 pt on
screen, as large as Presentation Mode's prose), a figure 1.2 times (1214 / 1008: it still fits
the Presentation Mode column)."""

_BASE_STYLE = {
    # 80 dots per inch: a 12.6-inch figure fills the 1008-px column, and a 12-pt font is
    # 12 * 80 / 72 = 13.3 px = 10 CSS pt on screen.
    "figure.figsize": (7.5, 4.5),
    "figure.dpi": 80,
    "savefig.dpi": 80,
    "font.size": 12,
    "axes.titlesize": 13,
    "axes.labelsize": 12,
    "figure.titlesize": 14,
    "legend.fontsize": 12,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "lines.linewidth": 1.8,
    "lines.markersize": 6.0,
    "axes.linewidth": 0.9,
    "patch.linewidth": 1.0,
    "xtick.major.width": 0.9,
    "ytick.major.width": 0.9,
    "xtick.major.size": 4.0,
    "ytick.major.size": 4.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "image.cmap": "viridis",
    "image.interpolation": "nearest",
    "legend.frameon": False,
    "figure.constrained_layout.use": True,
}

# What presenting mode scales: every size above that is a number of points or dots.
_SCALED_BY_PRESENTING = (
    "figure.dpi", "savefig.dpi", "font.size", "axes.titlesize", "axes.labelsize",
    "figure.titlesize", "legend.fontsize", "xtick.labelsize", "ytick.labelsize",
    "lines.linewidth", "lines.markersize", "axes.linewidth", "patch.linewidth",
    "xtick.major.width", "ytick.major.width", "xtick.major.size", "ytick.major.size",
)


def _env_presenting():
    return os.environ.get(PRESENTING_ENV, "").strip().lower() not in ("", "0", "false", "no")


def apply_style(presenting=None):
    """Set the rcParams every lesson shares: every figure's text is >= 10 CSS pt where
    JupyterLab shows it, and compact PNGs in the file.

    Parameters
    ----------
    presenting : bool or None
        True scales resolution, fonts, lines and markers by :data:`PRESENTING_SCALE` for a
        projector; None (default) reads the environment variable ``LESSONS_PRESENTING``
        (set by ``make present``; "", "0", "false" or "no" mean off).

    Returns
    -------
    style : dict
        The rcParams that were set. Figures made after the call use them (a slider's figure
        is made anew on every move, so it follows too); figures already drawn keep theirs.
    """
    if presenting is None:
        presenting = _env_presenting()
    elif not isinstance(presenting, (bool, np.bool_)):
        raise TypeError(f"presenting must be True, False or None, got {presenting!r}")
    style = dict(_BASE_STYLE)
    if presenting:
        for name in _SCALED_BY_PRESENTING:
            style[name] = round(style[name] * PRESENTING_SCALE, 2)
    plt.rcParams.update(style)
    return style


def presenting(on=True):
    """The projector switch, one line in a lesson: ``presenting()`` (``presenting(False)`` to
    go back). Figures drawn after it, static or behind a slider, have 1.44 times larger text and
    thicker lines; re-run a cell to redraw its figure. Returns the rcParams set."""
    return apply_style(presenting=bool(on))


class Legibility(NamedTuple):
    """How a figure looks where JupyterLab shows it (see :func:`figure_legibility`)."""

    width_px: float
    """Width of the PNG the notebook stores (tight bounding box, as the inline backend saves)."""
    shown_width_px: float
    """Width on screen: ``min(width_px, column_px)``."""
    smallest_text_pt: float
    """The smallest drawn text, in CSS pt at the shown size (inf when there is no text)."""
    smallest_text: str
    """That text (the first such)."""

    @property
    def fits(self):
        """True when the figure is no wider than the column (it is not shrunk)."""
        return self.width_px <= self.shown_width_px + 0.5


def figure_legibility(fig, column_px=COLUMN_WIDTH_PX):
    """Measure a figure as JupyterLab shows it: its width, and its smallest text on screen.

    The figure is drawn once with Agg, recording every text that is really drawn (tick labels,
    titles, annotations; not hidden or empty ones). A PNG wider than the column is shrunk to fit,
    and its text with it.

    Parameters
    ----------
    fig : matplotlib Figure
    column_px : float
        Width of the notebook column in CSS px (default :data:`COLUMN_WIDTH_PX`).

    Returns
    -------
    Legibility
        ``width_px``, ``shown_width_px``, ``smallest_text_pt`` (CSS pt = 0.75 CSS px) and
        ``smallest_text``.
    """
    if not column_px > 0:
        raise ValueError(f"column_px must be positive, got {column_px!r}")
    from matplotlib.backends.backend_agg import RendererAgg

    width_in, height_in = fig.get_size_inches()
    # A renderer of our own: the figure's canvas (inline, Agg or other) is left alone.
    renderer = RendererAgg(int(width_in * fig.dpi), int(height_in * fig.dpi), fig.dpi)
    drawn = []
    draw_text = renderer.draw_text

    def recording_draw_text(gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if str(s).strip():
            drawn.append((prop.get_size_in_points(), str(s)))
        return draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

    renderer.draw_text = recording_draw_text
    fig.draw(renderer)
    bbox = fig.get_tightbbox(renderer).padded(plt.rcParams["savefig.pad_inches"])
    width_px = bbox.width * fig.dpi
    shown = min(width_px, float(column_px))
    if not drawn:
        return Legibility(float(width_px), float(shown), float("inf"), "")
    size, text = min(drawn, key=lambda item: item[0])
    # size pt at fig.dpi -> size * dpi / 72 image px -> times the shrink -> CSS px -> 0.75 pt/px
    shown_pt = size * fig.dpi / 72 * (shown / width_px) * 0.75
    return Legibility(float(width_px), float(shown), float(shown_pt), text)


def cluster_colors(labels):
    """RGB colour per label, shape (n, 3): cluster k -> ``CLUSTER_COLORS[k % 30]``, -1 -> gray."""
    labels = np.asarray(labels, dtype=int)
    palette = np.array(CLUSTER_COLORS)
    colors = palette[np.mod(labels, len(palette))]
    colors[labels < 0] = NOISE_COLOR
    return colors


def match_labels(labels, reference):
    """Rename the clusters of ``labels`` after the clusters of ``reference`` they overlap most.

    Two clusterings of the same points number their clusters independently, so the same group
    can be cluster 0 in one panel and cluster 1 in the next, and get another colour. Pass both
    through this first: each cluster of ``labels`` takes the label of one reference cluster, one
    to one, so that the total number of points whose two labels agree is as large as possible
    (the Hungarian assignment, ``scipy.optimize.linear_sum_assignment``, on the contingency
    table). Clusters left over when ``labels`` has more clusters than ``reference`` get new
    labels ``max(reference) + 1, ...``, largest cluster first. Noise (-1) stays -1 and takes part
    in no matching.

    Parameters
    ----------
    labels : array of int, shape (n_samples,)
        The clustering to rename (-1 = noise).
    reference : array of int, shape (n_samples,)
        The clustering whose names (and so colours) to follow, e.g. the true classes, another
        panel's clustering, or the same tree cut at the previous K (-1 = noise).

    Returns
    -------
    matched : ndarray of int, shape (n_samples,)
        The same partition as ``labels``, renamed: ``matched[i] == matched[j]`` exactly when
        ``labels[i] == labels[j]``.
    """
    from scipy.optimize import linear_sum_assignment

    labels = _check_label_vector(labels, "labels")
    reference = _check_label_vector(reference, "reference")
    if labels.shape != reference.shape:
        raise ValueError(f"labels and reference must have the same length, got {labels.shape[0]} "
                         f"and {reference.shape[0]}")
    matched = labels.copy()
    clustered = labels >= 0
    names, inverse = np.unique(labels[clustered], return_inverse=True)
    targets, target_inverse = np.unique(reference[clustered & (reference >= 0)],
                                        return_inverse=True)
    overlap = np.zeros((len(names), len(targets)), dtype=int)
    both = reference[clustered] >= 0
    np.add.at(overlap, (inverse[both], target_inverse), 1)
    rows, cols = linear_sum_assignment(overlap, maximize=True)
    new_name = np.empty(len(names), dtype=int)
    new_name[rows] = targets[cols]
    # Clusters with no partner: fresh names after the reference's, the largest cluster first.
    unmatched = np.setdiff1d(np.arange(len(names)), rows)
    by_size = unmatched[np.argsort(-np.bincount(inverse, minlength=len(names))[unmatched],
                                   kind="stable")]
    first_free = max(int(reference.max()), -1) + 1 if reference.size else 0
    new_name[by_size] = first_free + np.arange(len(by_size))
    matched[clustered] = new_name[inverse]
    return matched


def _check_label_vector(labels, name):
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one label per point), got shape {labels.shape}")
    if labels.dtype.kind not in "iub":
        if labels.dtype.kind != "f" or not np.all(np.isfinite(labels)) or \
                np.any(labels != np.round(labels)):
            raise ValueError(f"{name} must hold integer cluster labels, got dtype {labels.dtype}"
                             + (f" with values such as {labels[:3]!r}" if labels.size else ""))
    return labels.astype(int)


def _to_image_stack(images, image_shape):
    images = np.asarray(images)
    if image_shape is not None:
        images = images.reshape((-1,) + tuple(image_shape))
    if images.ndim == 2:  # a single image
        images = images[None]
    return images


def show_images(images, n_cols=None, titles=None, cmap="gray", vmin=None, vmax=None,
                image_shape=None, axes=None, suptitle=None, size=1.2, symmetric=False):
    """Draw images in a grid, one per axis, without ticks.

    Parameters
    ----------
    images : array of shape (n, h, w), (n, h, w, 3), or (n, h*w) with ``image_shape=(h, w)``
    n_cols : int, optional
        Columns of the grid (default: up to 10).
    titles : list of str, optional
    cmap, vmin, vmax : passed to ``imshow`` for gray images.
    symmetric : bool
        Centre a diverging colour map on 0 (for signed images such as eigenfaces).
    axes : array of Axes, optional
        Draw into these instead of a new figure.
    size : float
        Inches per image when a new figure is made.

    Returns
    -------
    axes : ndarray of Axes, flattened, one per grid cell
    """
    images = _to_image_stack(images, image_shape)
    n = len(images)
    if axes is None:
        n_cols = int(n_cols or min(n, 10))
        n_rows = int(np.ceil(n / n_cols)) if n else 1
        fig, axes = plt.subplots(n_rows, n_cols, figsize=(size * n_cols, size * n_rows + (0.4 if suptitle else 0)),
                                 squeeze=False)
        if suptitle:
            fig.suptitle(suptitle)
    axes = np.ravel(axes)
    for i, ax in enumerate(axes):
        ax.set_axis_off()
        if i >= n:
            continue
        image = images[i]
        if image.ndim == 2:
            lo, hi = vmin, vmax
            if symmetric:
                bound = np.abs(image).max() or 1.0
                lo, hi = -bound, bound
            ax.imshow(image, cmap=cmap, vmin=lo, vmax=hi)
        else:
            ax.imshow(image)
        if titles is not None and i < len(titles):
            ax.set_title(titles[i], fontsize="medium")
    return axes


def image_montage(images, n_rows, n_cols, pad=1, image_shape=None, pad_value=None):
    """Tile images into one 2-D array (e.g. 49 basis images into a 7 x 7 montage).

    Parameters
    ----------
    images : array of shape (n, h, w) or (n, h*w) with ``image_shape``; n <= n_rows * n_cols
    pad : int
        Pixels between tiles, filled with ``pad_value`` (default: the images' maximum).

    Returns
    -------
    montage : ndarray of shape (n_rows*(h+pad)-pad, n_cols*(w+pad)-pad)
    """
    images = _to_image_stack(images, image_shape)
    n, h, w = images.shape[:3]
    n_rows, n_cols = check_positive_int(n_rows, "n_rows"), check_positive_int(n_cols, "n_cols")
    if n > n_rows * n_cols:
        raise ValueError(f"{n} images do not fit in n_rows * n_cols = {n_rows * n_cols} tiles")
    fill = images.max() if pad_value is None else pad_value
    montage = np.full((n_rows * (h + pad) - pad, n_cols * (w + pad) - pad), fill, dtype=float)
    for k in range(n):
        r, c = divmod(k, n_cols)
        montage[r * (h + pad): r * (h + pad) + h, c * (w + pad): c * (w + pad) + w] = images[k]
    return montage


def plot_clusters(X, labels=None, centers=None, ax=None, title=None, s=18, alpha=0.85,
                  center_marker="X", center_size=180):
    """Scatter 2-D points coloured by cluster, with the centres as large crosses.

    Parameters
    ----------
    X : ndarray of shape (n_samples, 2)
    labels : ndarray of shape (n_samples,), optional
        Cluster of each point (-1 = noise, gray). None draws all points in one neutral colour.
    centers : ndarray of shape (n_clusters, 2), optional
        Centre k is drawn in cluster k's colour with a black edge.

    Returns
    -------
    ax : Axes
    """
    X = np.asarray(X, dtype=float)
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4.5))
    if labels is None:
        ax.scatter(X[:, 0], X[:, 1], s=s, color="0.35", alpha=alpha, linewidths=0)
    else:
        ax.scatter(X[:, 0], X[:, 1], s=s, c=cluster_colors(labels), alpha=alpha, linewidths=0)
    if centers is not None:
        centers = np.asarray(centers, dtype=float)
        ax.scatter(centers[:, 0], centers[:, 1], s=center_size, marker=center_marker,
                   c=cluster_colors(np.arange(len(centers))), edgecolors="black", linewidths=1.2,
                   zorder=3)
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if title:
        ax.set_title(title)
    return ax


def plot_voronoi(centers, xlim, ylim, ax=None, resolution=250, alpha=0.18, metric="euclidean"):
    """Shade each point of the plane by its nearest centre (the Voronoi regions of K-Means).

    The nearest centre is K-Means' own rule, :func:`lessons_src.kmeans.assign`.

    Parameters
    ----------
    centers : ndarray of shape (n_clusters, 2)
    xlim, ylim : (float, float)
        The window to shade.
    resolution : int
        Grid points per side.
    metric : {'euclidean', 'cosine'}
        'cosine' shades by the largest cosine similarity (spherical K-Means' regions are cones
        from the origin; the origin itself, which has no direction, is shaded as region 0).

    Returns
    -------
    image : AxesImage
    """
    centers = np.asarray(centers, dtype=float)
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4.5))
    xs = np.linspace(xlim[0], xlim[1], resolution)
    ys = np.linspace(ylim[0], ylim[1], resolution)
    grid = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
    nearest = np.zeros(len(grid), dtype=int)
    has_direction = np.any(grid != 0, axis=1) if metric == "cosine" else slice(None)
    nearest[has_direction] = assign(grid[has_direction], centers, metric)
    cmap = ListedColormap(CLUSTER_COLORS)
    image = ax.imshow(nearest.reshape(resolution, resolution), origin="lower",
                      extent=(xlim[0], xlim[1], ylim[0], ylim[1]), cmap=cmap, vmin=0, vmax=len(CLUSTER_COLORS) - 1,
                      alpha=alpha, aspect="auto", interpolation="nearest", zorder=0)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    return image


def data_window(X, pad=0.08, centers=None):
    """A padded box around the points (and centres), never of zero size.

    Parameters
    ----------
    X : ndarray of shape (n_samples, >= 2); only the first two columns are used
    pad : float
        Margin as a fraction of the span on each side.
    centers : ndarray of shape (n_clusters, >= 2), optional
        Also kept inside the box.

    Returns
    -------
    (xlim, ylim) : two (low, high) pairs
    """
    points = np.asarray(X, dtype=float) if centers is None else np.vstack([X, centers])
    lo, hi = points.min(axis=0)[:2], points.max(axis=0)[:2]
    span = np.maximum(hi - lo, 1.0)
    lo, hi = lo - pad * span, hi + pad * span
    return (lo[0], hi[0]), (lo[1], hi[1])


def plot_message(ax, text):
    """Write ``text`` in the middle of an empty panel (used where there is nothing to draw)."""
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, fontsize="medium",
            color="0.3", wrap=True)
    ax.set_axis_off()
    return ax


def plot_kmeans_state(ax, X, centers, labels, metric="euclidean", title=None, voronoi=True,
                      window=None):
    """One state of a K-Means run: the points coloured by label, the centres, and (optionally)
    the Voronoi regions of the centres, in a fixed window so that successive states line up.

    Parameters
    ----------
    ax : Axes
    X : ndarray of shape (n_samples, 2)
    centers : ndarray of shape (n_clusters, 2) or None
    labels : ndarray of shape (n_samples,) or None
    metric : {'euclidean', 'cosine'}, the regions' rule
    title : str, optional
    voronoi : bool
    window : (xlim, ylim), optional (default: :func:`data_window` of X and the centres)

    Returns
    -------
    ax : Axes
    """
    xlim, ylim = window if window is not None else data_window(X, centers=centers)
    if voronoi:
        plot_voronoi(centers, xlim, ylim, ax=ax, resolution=120, metric=metric)
    plot_clusters(X, labels, centers, ax=ax, title=title, s=14, center_size=150)
    # plot_clusters asks for equal aspect by moving the data limits; keep the window fixed (so
    # steps of a replay line up) and let the box adapt instead.
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    return ax


def basis_montage(basis, image_shape, n_cols=None, normalize=True):
    """Tile basis images (rows of ``basis``) into one array, each scaled by its own max |value|
    when ``normalize`` (so faint parts stay visible). Returns (montage, n_rows, n_cols)."""
    basis = np.asarray(basis, dtype=float)
    r = len(basis)
    n_cols = int(n_cols or np.ceil(np.sqrt(r)))
    n_rows = int(np.ceil(r / n_cols))
    if normalize:
        scale = np.abs(basis).max(axis=1, keepdims=True)
        basis = basis / np.where(scale > 0, scale, 1.0)
    pad_value = 0.0 if basis.min() < 0 else 1.0
    return image_montage(basis, n_rows, n_cols, image_shape=image_shape, pad_value=pad_value), \
        n_rows, n_cols
