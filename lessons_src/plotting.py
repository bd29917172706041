"""The shared look of every lesson.

One palette for clusters (cluster k is always ``CLUSTER_COLORS[k % 10]``, noise/outliers gray),
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
    "show_images",
    "image_montage",
    "plot_clusters",
    "plot_voronoi",
    "data_window",
    "plot_message",
    "plot_kmeans_state",
    "basis_montage",
]

CLUSTER_COLORS = list(plt.get_cmap("tab10").colors)
"""Colour of cluster k: ``CLUSTER_COLORS[k % 10]`` (matplotlib's tab10)."""

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
    """RGB colour per label, shape (n, 3): cluster k -> ``CLUSTER_COLORS[k % 10]``, -1 -> gray."""
    labels = np.asarray(labels, dtype=int)
    palette = np.array(CLUSTER_COLORS)
    colors = palette[np.mod(labels, len(palette))]
    colors[labels < 0] = NOISE_COLOR
    return colors


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
                      extent=(xlim[0], xlim[1], ylim[0], ylim[1]), cmap=cmap, vmin=0, vmax=9,
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
