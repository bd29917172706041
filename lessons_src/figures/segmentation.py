"""Figures and slider callbacks of lesson 09 (pixel clustering and window segmentation).

``draw_*`` functions are the slider callbacks: each draws one whole figure for one set of values
and returns the axes it drew, and a slider value that cannot be computed (a window larger than
the image, more clusters than windows) draws a message in the figure instead of raising.
``plot_*`` functions draw static figures. None calls ``plt.show()``.
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

from ..plotting import CLUSTER_COLORS, cluster_colors, match_labels
from ..segmentation import (paint_window_labels, quantize_colors,
                           segment_pixels, segment_windows, window_mean_features,
                           window_positions)
from ..validation import check_image, check_random_state

__all__ = [
    "label_overlay",
    "plot_label_map",
    "plot_palette",
    "plot_pixel_colors",
    "draw_quantization",
    "plot_quantization_row",
    "draw_window_segmentation",
    "plot_segmentations",
    "draw_position_weight",
    "INTEGRAL_DEMO_IMAGE",
    "plot_integral_image_demo",
]

INTEGRAL_DEMO_IMAGE = np.array([[4, 3, 2, 1, 1, 0],
                                [0, 0, 0, 4, 3, 4],
                                [2, 3, 4, 3, 3, 2],
                                [2, 4, 1, 4, 3, 0],
                                [1, 4, 2, 0, 3, 3]])
"""The small image of :func:`plot_integral_image_demo`: digits 0..4, shape (5, 6)."""


def _as_uint8(image):
    """An image on the [0, 1] scale as uint8 (0..255), the form in which a figure keeps it.

    A figure holds on to every array it shows until it is garbage-collected, and a slider's
    replaced figures wait for Python's cycle collector: a 400 x 600 RGB panel is 5.8 MB as
    float64 and 0.7 MB as uint8, which is all the screen shows anyway.
    """
    return np.round(np.clip(image, 0.0, 1.0) * 255).astype(np.uint8)


def _show(image, ax):
    """imshow for an image on the [0, 1] scale (gray images with the gray map), kept as uint8."""
    image = np.asarray(image)
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if image.ndim == 2:
        return ax.imshow(_as_uint8(image), cmap="gray", vmin=0, vmax=255)
    return ax.imshow(_as_uint8(image))


def _message(ax, text):
    """Write ``text`` in the middle of an empty axis (for slider values that cannot be drawn)."""
    ax.set_axis_off()
    ax.text(0.5, 0.5, text, ha="center", va="center", wrap=True,
            transform=ax.transAxes, color="0.3")
    return ax


def _new_axes(axes, n, width_per_axis=3.2, height=3.0):
    if axes is None:
        _, axes = plt.subplots(1, n, figsize=(width_per_axis * n, height), squeeze=False)
    return np.ravel(axes)


def label_overlay(image, label_map, alpha=0.6):
    """Cluster colours blended over a gray copy of the image.

    Parameters
    ----------
    image : array (H, W[, C]), see ``validation.check_image``
    label_map : int array of shape (H, W); cluster k gets ``CLUSTER_COLORS[k % 10]``
    alpha : float in [0, 1]
        Weight of the cluster colour (0: the gray image only, 1: flat colours only).

    Returns
    -------
    overlay : ndarray of shape (H, W, 3), float in [0, 1]
    """
    pixels = check_image(image)
    gray = pixels.mean(axis=2, keepdims=True)
    colors = cluster_colors(np.asarray(label_map).ravel()).reshape(label_map.shape + (3,))
    return (1 - alpha) * gray + alpha * colors


def plot_label_map(image, label_map, ax=None, title=None, alpha=0.6):
    """Draw a segmentation: cluster colours over the gray image.

    Returns
    -------
    ax : Axes
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 3.2))
    ax.imshow(_as_uint8(label_overlay(image, label_map, alpha)))
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax


def plot_palette(palette, ax=None, title=None):
    """Draw a palette as a row of swatches.

    Parameters
    ----------
    palette : array of shape (K, C), colours in [0, 1] (C = 3, or 1 for gray)

    Returns
    -------
    ax : Axes
    """
    palette = np.asarray(palette, dtype=float)
    if palette.shape[1] == 1:
        palette = np.repeat(palette, 3, axis=1)
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 1))
    ax.imshow(palette[None, :, :], aspect="auto")
    ax.set_yticks([])
    ax.set_xticks(np.arange(len(palette)))
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title(title or f"palette: {len(palette)} colours")
    return ax


def plot_pixel_colors(image, n_colors, n_points=2000, random_state=None, axes=None):
    """Pixels as points in colour space (red against green), before and after K-Means.

    Left: a random sample of pixels, each drawn in its own colour. Right: the same pixels in
    their palette colour, with the K centres as crosses.

    Parameters
    ----------
    image : array (H, W[, C])
    n_colors : int
        K of the colour quantisation.
    n_points : int
        Pixels drawn.
    random_state : None, int, numpy Generator or RandomState
        For the quantisation, then for the sample of pixels drawn.
    axes : 2 Axes, optional

    Returns
    -------
    axes : ndarray of 2 Axes
    """
    pixels = check_image(image)
    colors = pixels.reshape(-1, pixels.shape[2])
    if colors.shape[1] == 1:
        colors = np.repeat(colors, 3, axis=1)
    quantization = quantize_colors(colors.reshape(pixels.shape[:2] + (3,)), n_colors,
                                   random_state=random_state)
    rng = check_random_state(random_state)
    pick = rng.choice(len(colors), size=min(n_points, len(colors)), replace=False)
    axes = _new_axes(axes, 2, width_per_axis=4, height=3.6)
    palette = quantization.palette
    for ax, shown, title in [(axes[0], colors[pick], "each pixel in its own colour"),
                             (axes[1], quantization.image.reshape(-1, 3)[pick],
                              f"each pixel in its centre's colour (K = {n_colors})")]:
        ax.scatter(colors[pick, 0], colors[pick, 1], c=shown, s=8, linewidths=0)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_aspect("equal")
        ax.set_xlabel("red")
        ax.set_ylabel("green")
        ax.set_title(title)
    axes[1].scatter(palette[:, 0], palette[:, 1], c=palette, s=160, marker="X",
                    edgecolors="black", linewidths=1.2)
    return axes


def draw_quantization(image, n_colors, random_state=None):
    """Slider callback: the image, its colour quantisation with ``n_colors``, and the palette.

    Parameters
    ----------
    image : array (H, W[, C])
    n_colors : int
        Any value: more colours than the image has draws a message.
    random_state : None, int, numpy Generator or RandomState

    Returns
    -------
    axes : ndarray of 3 Axes (image, quantised image, palette)
    """
    fig = plt.figure(figsize=(9.5, 3.6))
    grid = fig.add_gridspec(2, 2, height_ratios=[5, 1])
    ax_image, ax_quant = fig.add_subplot(grid[:, 0]), fig.add_subplot(grid[0, 1])
    ax_palette = fig.add_subplot(grid[1, 1])
    pixels = check_image(image)
    _show(pixels, ax_image)
    ax_image.set_axis_off()
    ax_image.set_title(f"original ({len(np.unique(pixels.reshape(-1, pixels.shape[2]), axis=0))}"
                       " colours)")
    try:
        quantization = quantize_colors(pixels, n_colors, random_state=random_state)
    except ValueError as exc:
        _message(ax_quant, str(exc))
        ax_palette.set_axis_off()
        return np.array([ax_image, ax_quant, ax_palette])
    _show(quantization.image, ax_quant)
    ax_quant.set_axis_off()
    ax_quant.set_title(f"K-Means with K = {n_colors}: every pixel -> nearest centre")
    plot_palette(quantization.palette, ax=ax_palette, title="")
    return np.array([ax_image, ax_quant, ax_palette])


def plot_quantization_row(image, n_colors_list, random_state=None):
    """The same image quantised with several palette sizes, each with its palette below.

    Parameters
    ----------
    image : array (H, W[, C])
    n_colors_list : sequence of int
    random_state : None, int, numpy Generator or RandomState
        Read once; every palette size is fitted with it in turn.

    Returns
    -------
    axes : ndarray of shape (2, len(n_colors_list)) of Axes
    """
    n = len(n_colors_list)
    random_state = check_random_state(random_state, for_sklearn=True)
    fig, axes = plt.subplots(2, n, figsize=(2.6 * n, 2.9), height_ratios=[5, 1], squeeze=False)
    for j, n_colors in enumerate(n_colors_list):
        quantization = quantize_colors(image, n_colors, random_state=random_state)
        _show(quantization.image, axes[0, j])
        axes[0, j].set_axis_off()
        axes[0, j].set_title(f"K = {n_colors}")
        plot_palette(quantization.palette, ax=axes[1, j], title="")
        axes[1, j].set_xticks([])
    return axes


def _draw_windows(ax, image_shape, window, stride, max_outlines=3):
    """Outline the first window positions of the top row (dashed), to show the overlap."""
    ys, xs = window_positions(image_shape, window, stride)
    for k, x in enumerate(xs[:max_outlines]):
        corner = (x - 0.5, ys[0] - 0.5)
        # A white line under each coloured one keeps the outline visible on dark pixels.
        ax.add_patch(Rectangle(corner, window, window, fill=False, edgecolor="white",
                               linewidth=3.2))
        ax.add_patch(Rectangle(corner, window, window, fill=False, edgecolor=CLUSTER_COLORS[k],
                               linewidth=1.8, linestyle="-" if k == 0 else "--"))


def draw_window_segmentation(image, n_clusters=3, window=100, stride=None, random_state=None,
                             add_std=False):
    """Slider callback: the slides' recipe in three panels.

    1. the image with the first window positions outlined; 2. every pixel painted with the mean
    colour of its nearest window (what K-Means sees); 3. the segmentation.

    Parameters
    ----------
    image : array (H, W[, C])
    n_clusters, window, stride, random_state, add_std : see ``segmentation.segment_windows``.
        Any positive stride is allowed (``None`` = window, the grid; larger than the window
        leaves gaps between windows, whose pixels take the nearest window's label).

    Returns
    -------
    axes : ndarray of 3 Axes
    """
    pixels = check_image(image)
    _, axes = plt.subplots(1, 3, figsize=(10, 3.0))
    _show(pixels, axes[0])
    axes[0].set_axis_off()
    try:
        ys, xs = window_positions(pixels.shape, window, stride)
    except ValueError as exc:
        axes[0].set_title(f"image {pixels.shape[0]} x {pixels.shape[1]}")
        _message(axes[1], str(exc).replace(": got", ":\ngot"))
        _message(axes[2], "")
        return axes
    stride_value = window if stride is None else int(stride)
    _draw_windows(axes[0], pixels.shape, window, stride)
    axes[0].set_title(f"window {window}, stride {stride_value}:\n{len(ys)} x {len(xs)} positions")
    means = window_mean_features(pixels, window, stride)
    _show(paint_window_labels(means, pixels.shape, window, stride), axes[1])
    axes[1].set_axis_off()
    axes[1].set_title("mean colour of the nearest window")
    try:
        labels = segment_windows(pixels, n_clusters, window, stride, random_state=random_state,
                                 add_std=add_std)
    except ValueError as exc:
        _message(axes[2], str(exc).replace(" is more", "\nis more"))
        return axes
    plot_label_map(pixels, labels, ax=axes[2],
                   title=f"K-Means, K = {n_clusters}" + (" (mean + std)" if add_std else ""))
    return axes


def plot_segmentations(image, label_maps, titles, show_image=True, size=3.0):
    """Several segmentations of one image side by side (parallel panels for a comparison).

    Each label map after the first is renamed after the first (``plotting.match_labels``, the
    Hungarian assignment) before it is coloured, so that a region found by two methods has the
    same colour in both panels.

    Parameters
    ----------
    image : array (H, W[, C])
    label_maps : list of int arrays of shape (H, W)
    titles : list of str, one per label map
    show_image : bool
        Put the image itself first.

    Returns
    -------
    axes : ndarray of Axes
    """
    pixels = check_image(image)
    label_maps = [np.asarray(label_map) for label_map in label_maps]
    reference = label_maps[0] if label_maps else None
    label_maps = [label_map if label_map.shape != reference.shape
                  else match_labels(label_map.ravel(), reference.ravel()).reshape(label_map.shape)
                  for label_map in label_maps]
    n = len(label_maps) + int(show_image)
    height = size * pixels.shape[0] / pixels.shape[1] + 0.35
    _, axes = plt.subplots(1, n, figsize=(size * n, height), squeeze=False)
    axes = axes.ravel()
    if show_image:
        _show(pixels, axes[0])
        axes[0].set_axis_off()
        axes[0].set_title("image")
    for ax, label_map, title in zip(axes[int(show_image):], label_maps, titles):
        plot_label_map(pixels, label_map, ax=ax, title=title)
    return axes


def draw_position_weight(image, n_clusters=4, position_weight=1.0, random_state=None):
    """Slider callback: pixel K-Means on colour alone vs colour + weighted position.

    Parameters
    ----------
    image : array (H, W[, C])
    n_clusters : int
    position_weight : float >= 0
        See ``segmentation.pixel_features``.
    random_state : None, int, numpy Generator or RandomState
        Read once; both segmentations are fitted with it in turn.

    Returns
    -------
    axes : ndarray of 3 Axes (1 with a message when K-Means cannot run)
    """
    random_state = check_random_state(random_state, for_sklearn=True)
    try:
        colour_only = segment_pixels(image, n_clusters, random_state=random_state)
        with_position = segment_pixels(image, n_clusters, use_position=True,
                                       position_weight=position_weight, random_state=random_state)
    except ValueError as exc:
        _, axes = plt.subplots(1, 1, figsize=(6, 2))
        _message(axes, str(exc))
        return np.array([axes])
    return plot_segmentations(
        image, [colour_only, with_position],
        [f"colour only, K = {n_clusters}", f"colour + {position_weight:g} x position"],
    )


def plot_integral_image_demo(image=INTEGRAL_DEMO_IMAGE, y=1, x=2, height=3, width=3, axes=None):
    """The integral image in one picture: a small image, its summed-area table, four corners.

    Parameters
    ----------
    image : int array of shape (h, w)
        Default: :data:`INTEGRAL_DEMO_IMAGE`, 5 x 6 digits 0..4.
    y, x, height, width : int
        The rectangle whose sum is read off the table.
    axes : 2 Axes, optional

    Returns
    -------
    axes : ndarray of 2 Axes (image, table)
    """
    image = np.asarray(image)
    table = np.cumsum(np.cumsum(np.pad(image, ((1, 0), (1, 0))), axis=0), axis=1)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(12, 5.2),
                               width_ratios=[image.shape[1], table.shape[1]])
    for ax, values, title in [(axes[0], image, "image: the window's pixels"),
                              (axes[1], table, "integral image S (leading zero row and column)")]:
        ax.imshow(np.zeros(values.shape), cmap="gray_r", vmin=0, vmax=1)
        for (i, j), v in np.ndenumerate(values):
            ax.text(j, i + 0.12, str(v), ha="center", va="center", fontsize=14)
        ax.set_xticks(np.arange(values.shape[1]))
        ax.set_yticks(np.arange(values.shape[0]))
        ax.set_xticks(np.arange(values.shape[1] + 1) - 0.5, minor=True)
        ax.set_yticks(np.arange(values.shape[0] + 1) - 0.5, minor=True)
        ax.grid(which="minor", color="0.75", linewidth=0.8)
        ax.tick_params(which="both", length=0)
        ax.set_title(title)
    axes[0].add_patch(Rectangle((x - 0.5, y - 0.5), width, height, facecolor=CLUSTER_COLORS[0],
                                alpha=0.25, edgecolor=CLUSTER_COLORS[0], linewidth=2))
    window_sum = int(image[y:y + height, x:x + width].sum())
    axes[0].set_xlabel(f"sum of the shaded window = {window_sum}")
    corners = [("A", y, x, "+", CLUSTER_COLORS[2]), ("B", y, x + width, "-", CLUSTER_COLORS[3]),
               ("C", y + height, x, "-", CLUSTER_COLORS[3]),
               ("D", y + height, x + width, "+", CLUSTER_COLORS[2])]
    for name, i, j, sign, color in corners:
        axes[1].add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=color, alpha=0.35,
                                    edgecolor=color, linewidth=2))
        axes[1].text(j + 0.45, i - 0.47, f"{name}{sign}", ha="right", va="top", fontsize=12,
                     color=color, weight="bold")
    a, b, c, d = (int(table[i, j]) for _, i, j, _, _ in corners)
    axes[1].set_xlabel(f"D - B - C + A = {d} - {b} - {c} + {a} = {d - b - c + a}")
    return axes
