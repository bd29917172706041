"""Pixel clustering and sliding-window segmentation (lesson 09).

Clustering the pixels of one image instead of whole images is **segmentation**. Two recipes:

* **pixel K-Means**: every pixel is a point in colour space (optionally with its position);
  K-Means groups them. With the pixels repainted by their centre this is colour quantisation.
* **window K-Means** (the slides' recipe): slide a ``window x window`` square over the image, take
  the mean of each channel inside it as a feature (3 numbers for RGB), cluster these features,
  and paint each window's cluster back onto the image.

The window means are read off a **summed-area table** (integral image): after one pass of
cumulative sums, the sum over any rectangle is four look-ups,
``S[y+w, x+w] - S[y, x+w] - S[y+w, x] + S[y, x]``, so the cost is O(H * W) whatever the window.

Units: every function works on the image as :func:`lessons_src.validation.check_image` sees it,
float64 in [0, 1] (uint8 is divided by 255, uint16 by 65535, float in [0, 255] by 255; RGBA
drops its alpha; a gray image has one channel). Window means, palettes and quantised images are
on that [0, 1] scale.

K-Means is :class:`sklearn.cluster.KMeans` with ``n_init=N_INIT`` and the caller's
``random_state`` (None, an int, a Generator or a RandomState); large inputs are fitted on a
random sample of ``sample_size`` rows and then every row is assigned to its nearest centre (as in
scikit-learn's colour-quantisation example).
"""
import numbers
from typing import NamedTuple

import numpy as np
from sklearn.cluster import KMeans

from . import threads
from .validation import (check_image, check_number, check_positive_int, check_random_state,
                         check_shape)

__all__ = [
    "N_INIT",
    "SAMPLE_SIZE",
    "integral_image",
    "window_mean_features",
    "window_mean_features_naive",
    "window_std_features",
    "window_positions",
    "paint_window_labels",
    "WindowSegmentation",
    "segment_windows",
    "pixel_features",
    "segment_pixels",
    "Quantization",
    "quantize_colors",
    "make_texture_image",
]

SAMPLE_SIZE = 10_000
"""Rows K-Means is fitted on by default (the rest are assigned to the nearest centre)."""

N_INIT = 4
"""K-Means restarts: explicit, small enough for a live slider."""


# ----------------------------------------------------------------------------------------------
# The integral image and window means
# ----------------------------------------------------------------------------------------------

def _pixels_and_scale(image):
    """The image as an (H, W, C) array plus the factor that brings it to check_image's [0, 1].

    Integer images are not converted here (the scale is folded into the integral image, which
    saves a full pass over a large image); anything else goes through ``check_image``.
    """
    array = np.asarray(image)
    if array.dtype in (np.uint8, np.uint16) and array.ndim in (2, 3):
        if array.ndim == 2:
            array = array[:, :, None]
        if array.shape[2] in (1, 3, 4) and array.shape[0] > 0 and array.shape[1] > 0:
            scale = 1.0 / (255.0 if array.dtype == np.uint8 else 65535.0)
            return array[:, :, :3], scale
    return check_image(image), 1.0


def _summed_area_table(pixels, scale=1.0):
    """Zero-padded integral image of ``pixels * scale``, float64, shape (H + 1, W + 1, C)."""
    height, width, channels = pixels.shape
    table = np.empty((height + 1, width + 1, channels), dtype=np.float64)
    table[0] = 0.0      # the leading zero row and column make S[y, x] = sum of pixels[:y, :x]
    table[:, 0] = 0.0
    np.multiply(pixels, scale, out=table[1:, 1:])
    # Cumulative sum down the rows. One vectorised add per row: NumPy's own cumsum along
    # axis 0 walks each column separately and is about five times slower here.
    for y in range(1, height + 1):
        np.add(table[y], table[y - 1], out=table[y])
    # Cumulative sum along each row.
    np.cumsum(table[:, 1:], axis=1, out=table[:, 1:])
    return table


def integral_image(image):
    """The summed-area table (integral image) of an image, padded with a leading zero row and
    column.

    Parameters
    ----------
    image : array of shape (H, W), (H, W, 1), (H, W, 3) or (H, W, 4)
        uint8, uint16, bool or float; brought to [0, 1] as by ``validation.check_image``.

    Returns
    -------
    table : ndarray of shape (H + 1, W + 1, C), float64
        ``table[y, x]`` is the sum of ``pixels[:y, :x]`` per channel (so ``table[0]`` and
        ``table[:, 0]`` are 0), with ``pixels`` the image on the [0, 1] scale and C = 1 or 3.
        The sum over rows y..y+h-1 and columns x..x+w-1 is
        ``table[y+h, x+w] - table[y, x+w] - table[y+h, x] + table[y, x]``.
    """
    pixels, scale = _pixels_and_scale(image)
    return _summed_area_table(pixels, scale)


def _check_window(window, stride, height, width):
    """``window`` and ``stride`` as ints, with errors that name the image's size."""
    if isinstance(window, (bool, np.bool_)) or not isinstance(window, numbers.Integral):
        raise TypeError(f"window must be an integer, got {window!r} of type {type(window).__name__}")
    window = int(window)
    if window < 1 or window > min(height, width):
        raise ValueError(
            f"window must be between 1 and the image's smaller side: got window={window} "
            f"for an image of {height} x {width} pixels"
        )
    stride = window if stride is None else check_positive_int(stride, "stride")
    return window, stride


def window_positions(image_shape, window, stride=None):
    """Top-left corners of the window positions along each axis.

    Parameters
    ----------
    image_shape : tuple (H, W, ...)
    window : int
        Side of the square window, 1 <= window <= min(H, W).
    stride : int or None
        Step between positions; None means ``stride = window`` (the non-overlapping grid).

    Returns
    -------
    ys : ndarray of shape (n_rows,), ``range(0, H - window + 1, stride)``
    xs : ndarray of shape (n_cols,), ``range(0, W - window + 1, stride)``
    """
    height, width = check_shape(image_shape, "image_shape")
    window, stride = _check_window(window, stride, height, width)
    return np.arange(0, height - window + 1, stride), np.arange(0, width - window + 1, stride)


def window_mean_features(image, window=100, stride=None):
    """Mean of each channel inside every window position, read off the integral image.

    Parameters
    ----------
    image : array of shape (H, W), (H, W, 1), (H, W, 3) or (H, W, 4)
        uint8, uint16, bool or float (see ``validation.check_image``; RGBA drops alpha).
    window : int
        Side of the square window in pixels, 1 <= window <= min(H, W).
    stride : int or None
        Step between window positions in pixels; None means ``stride = window``, the
        non-overlapping grid of Solem's "Programming Computer Vision with Python".

    Returns
    -------
    means : ndarray of shape (n_rows, n_cols, C), float64 in [0, 1]
        ``means[i, j]`` is the mean of ``pixels[y:y+window, x:x+window]`` per channel with
        ``y = i * stride``, ``x = j * stride`` (``y`` in ``range(0, H - window + 1, stride)``,
        ``x`` likewise), on check_image's [0, 1] scale. C = 3 for colour, 1 for gray.

    Notes
    -----
    Cost O(H * W) whatever the window: one integral image S, then the four-corner formula
    ``S[y+w, x+w] - S[y, x+w] - S[y+w, x] + S[y, x]`` for all windows at once, as shifted
    slices of S (no loop over windows).
    """
    pixels, scale = _pixels_and_scale(image)
    height, width = pixels.shape[:2]
    window, stride = _check_window(window, stride, height, width)
    # Divide by the window's area up front: the table then holds sums of pixel / area, and the
    # four-corner formula gives the means directly (one pass fewer over a large result).
    table = _summed_area_table(pixels, scale / (window * window))
    n_rows = (height - window) // stride + 1
    n_cols = (width - window) // stride + 1
    # The four corners of every window at once, D - B - C + A grouped as (D - B) - (C - A).
    # Rows y + window (bottom) minus rows y (top) of S: the sums of rows y..y+window-1,
    # still cumulated along x ...
    top = table[0: n_rows * stride: stride]
    bottom = table[window: window + n_rows * stride: stride]
    strips = bottom - top
    # ... then columns x + window (right) minus columns x (left) of those strips.
    right = strips[:, window: window + n_cols * stride: stride]
    left = strips[:, 0: n_cols * stride: stride]
    return right - left


def window_mean_features_naive(image, window=100, stride=None):
    """The same as :func:`window_mean_features`, with a Python loop over every window.

    For the lesson's speed comparison and the tests only: O(H * W * window^2 / stride^2).
    """
    pixels = check_image(image)
    height, width = pixels.shape[:2]
    ys, xs = window_positions(pixels.shape, window, stride)
    means = np.empty((len(ys), len(xs), pixels.shape[2]))
    for i, y in enumerate(ys):
        for j, x in enumerate(xs):
            means[i, j] = pixels[y:y + window, x:x + window].mean(axis=(0, 1))
    return means


def window_std_features(image, window=100, stride=None):
    """Standard deviation of each channel inside every window position (a texture feature).

    Two integral images, of the pixels and of their squares: std = sqrt(E[x^2] - E[x]^2).

    Returns
    -------
    stds : ndarray of shape (n_rows, n_cols, C), float64, same positions as
        :func:`window_mean_features`.
    """
    pixels = check_image(image)
    means = window_mean_features(pixels, window, stride)
    mean_squares = window_mean_features(pixels * pixels, window, stride)
    # Rounding can make the difference slightly negative on a flat window: clip at 0.
    return np.sqrt(np.maximum(mean_squares - means * means, 0.0))


# ----------------------------------------------------------------------------------------------
# K-Means on features, and painting labels back
# ----------------------------------------------------------------------------------------------

def _kmeans_fit_predict(features, n_clusters, random_state, sample_size, what, n_color=None,
                        name="n_clusters"):
    """Cluster the rows of ``features`` (n, d); returns (labels (n,), centres (k, d)).

    Clusters are numbered from dark to light: by the mean of the centre's first ``n_color``
    features (the colour part; default all), so that the same region gets the same number,
    hence the same colour in a figure, across parallel panels.

    Fitted on a random sample of at most ``sample_size`` rows, then every row is assigned to
    its nearest centre. Fewer distinct rows (in the sample, to 1e-9) than clusters is a
    ValueError: K-Means would otherwise warn and return duplicate centres.
    """
    n_samples = features.shape[0]
    n_clusters = check_positive_int(n_clusters, name)
    sample_size = check_positive_int(sample_size, "sample_size")
    if n_clusters > n_samples:
        raise ValueError(f"{name}={n_clusters} is more than the {n_samples} {what} to cluster")
    rng = check_random_state(random_state)
    if n_samples > sample_size:
        sample = features[np.sort(rng.choice(n_samples, size=sample_size, replace=False))]
    else:
        sample = features
    # Rows equal to 1e-9 count as one: window means read off an integral image carry rounding
    # noise, and clusters split by noise alone would be meaningless.
    n_distinct = len(np.unique(np.round(sample, 9), axis=0))
    if n_clusters > n_distinct:
        raise ValueError(f"{name}={n_clusters} is more than the {n_distinct} distinct {what}")
    with threads.for_problem_size(features.size):
        model = KMeans(n_clusters=n_clusters, n_init=N_INIT,
                       random_state=check_random_state(random_state, for_sklearn=True)).fit(sample)
        labels = model.predict(features) if sample is not features else model.labels_
    centers = model.cluster_centers_
    order = np.argsort(centers[:, :n_color].mean(axis=1), kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[labels].astype(np.int64), centers[order]


def _nearest_window_index(n_pixels, n_windows, window, stride):
    """For each pixel index along one axis, the window whose centre is nearest.

    Window i covers pixels i*stride .. i*stride + window - 1 and has its centre at
    i*stride + (window - 1) / 2. A tie (possible when the stride is odd and the window even)
    goes to the later window; pixels past the last window take the last one.
    """
    offsets = (np.arange(n_pixels) - (window - 1) / 2) / stride
    return np.clip(np.floor(offsets + 0.5), 0, n_windows - 1).astype(np.intp)


def paint_window_labels(window_labels, image_shape, window, stride=None):
    """Paint a grid of window labels back onto the pixels.

    Rule: each pixel takes the label of the window whose centre is nearest (per axis, which on
    a grid of centres is also the nearest in the plane). On the non-overlapping grid
    (stride = window) that is exactly the window containing the pixel; where sliding windows
    overlap it is the window centred nearest; pixels of the right and bottom margins that no
    window covers (when (H - window) % stride != 0) take the nearest window too.

    Parameters
    ----------
    window_labels : array of shape (n_rows, n_cols) or (n_rows, n_cols, C)
        One label (or one feature vector, e.g. a window's mean colour) per window position.
    image_shape : tuple (H, W, ...)
    window, stride : int (stride None means window)

    Returns
    -------
    label_map : ndarray of shape (H, W) or (H, W, C), the dtype of ``window_labels``
    """
    window_labels = np.asarray(window_labels)
    if window_labels.dtype.kind not in "biuf":
        raise TypeError(f"window_labels must be numbers (labels, or values to paint), got dtype "
                        f"{window_labels.dtype}")
    if not np.all(np.isfinite(window_labels)):
        raise ValueError("window_labels must be finite, got NaN or infinity")
    height, width = check_shape(image_shape, "image_shape")
    window, stride = _check_window(window, stride, height, width)
    ys, xs = window_positions((height, width), window, stride)
    if window_labels.shape[:2] != (len(ys), len(xs)):
        raise ValueError(f"window_labels must have shape {(len(ys), len(xs))} for this image, "
                         f"window and stride, got {window_labels.shape}")
    rows = _nearest_window_index(height, len(ys), window, stride)
    cols = _nearest_window_index(width, len(xs), window, stride)
    return window_labels[rows[:, None], cols[None, :]]


class WindowSegmentation(NamedTuple):
    """What ``segment_windows(..., return_features=True)`` returns."""

    label_map: np.ndarray
    """shape (H, W), int64: the cluster of every pixel"""
    features: np.ndarray
    """shape (n_rows, n_cols, C or 2C): the feature of every window position"""
    window_labels: np.ndarray
    """shape (n_rows, n_cols), int64: the cluster of every window position"""


def segment_windows(image, n_clusters, window=100, stride=None, random_state=None,
                    add_std=False, sample_size=SAMPLE_SIZE, return_features=False):
    """The slides' recipe: K-Means on window mean colours, each window painted by its cluster.

    Parameters
    ----------
    image : array (H, W[, C]), see ``validation.check_image``
    n_clusters : int
        K, 1 <= K <= the number of window positions.
    window : int
        Side of the square window (the slides use 100).
    stride : int or None
        None = window: the non-overlapping grid; stride < window: a sliding window.
    random_state : None, int, numpy Generator or RandomState
        For the sample and K-Means' starts.
    add_std : bool
        Also use each window's standard deviation per channel (a texture feature): 2C numbers
        per window instead of C.
    sample_size : int
        K-Means is fitted on at most this many windows (random sample), then all are assigned.
    return_features : bool
        Return a :class:`WindowSegmentation` (the label map, the window features and the
        cluster of each window) instead of the label map alone.

    Returns
    -------
    label_map : ndarray of shape (H, W), int64 in 0..K-1
        Painted by :func:`paint_window_labels` (each pixel takes the window centred nearest).
        Clusters are numbered from dark to light (mean of the centre's colour part).
        (A :class:`WindowSegmentation` with ``return_features=True``.)
    """
    pixels = check_image(image)
    features = window_mean_features(pixels, window, stride)
    if add_std:
        features = np.concatenate([features, window_std_features(pixels, window, stride)], axis=2)
    n_rows, n_cols, n_features = features.shape
    labels, _ = _kmeans_fit_predict(features.reshape(-1, n_features), n_clusters, random_state,
                                    sample_size, what="window positions",
                                    n_color=pixels.shape[2])
    window_labels = labels.reshape(n_rows, n_cols)
    label_map = paint_window_labels(window_labels, pixels.shape, window, stride)
    if return_features:
        return WindowSegmentation(label_map, features, window_labels)
    return label_map


# ----------------------------------------------------------------------------------------------
# Pixel K-Means
# ----------------------------------------------------------------------------------------------

def pixel_features(image, use_position=False, position_weight=1.0):
    """One row per pixel: its colour, optionally followed by its weighted position.

    Parameters
    ----------
    image : array (H, W[, C]), see ``validation.check_image``
    use_position : bool
        Append (y, x) divided by the image's larger side (so in [0, 1]) times
        ``position_weight``.
    position_weight : float >= 0
        How much one image-side of distance counts against the whole colour range [0, 1].

    Returns
    -------
    features : ndarray of shape (H * W, C) or (H * W, C + 2), float64, pixels in row-major order
    """
    pixels = check_image(image)
    height, width, channels = pixels.shape
    colors = pixels.reshape(-1, channels)
    if not use_position:
        return colors
    position_weight = check_number(position_weight, "position_weight", minimum=0)
    ys, xs = np.mgrid[0:height, 0:width]
    positions = np.c_[ys.ravel(), xs.ravel()] * (position_weight / max(height, width))
    return np.hstack([colors, positions])


def segment_pixels(image, n_clusters, use_position=False, position_weight=1.0,
                   random_state=None, sample_size=SAMPLE_SIZE):
    """K-Means on the pixels' colours (and optionally positions): a label per pixel.

    Parameters
    ----------
    image : array (H, W[, C]), see ``validation.check_image``
    n_clusters : int
    use_position, position_weight : see :func:`pixel_features`
    random_state : None, int, numpy Generator or RandomState
        For the sample and K-Means' starts.
    sample_size : int
        K-Means is fitted on at most this many pixels (random sample), then all are assigned.

    Returns
    -------
    label_map : ndarray of shape (H, W), int64 in 0..K-1
        Clusters numbered from dark to light (mean of the centre's colour part).
    """
    pixels = check_image(image)
    features = pixel_features(pixels, use_position, position_weight)
    labels, _ = _kmeans_fit_predict(features, n_clusters, random_state, sample_size,
                                    what="pixels", n_color=pixels.shape[2])
    return labels.reshape(pixels.shape[:2])


class Quantization(NamedTuple):
    """What :func:`quantize_colors` returns."""

    image: np.ndarray
    """shape (H, W, C), float64 in [0, 1]: each pixel replaced by its palette colour"""
    palette: np.ndarray
    """shape (n_colors, C), float64 in [0, 1]: the K-Means centres, from dark to light"""


def quantize_colors(image, n_colors, random_state=None, sample_size=SAMPLE_SIZE):
    """Colour quantisation: repaint every pixel with the nearest of ``n_colors`` K-Means colours.

    Parameters
    ----------
    image : array (H, W[, C]), see ``validation.check_image``
    n_colors : int
        The palette's size K (1 <= K <= number of distinct colours).
    random_state : None, int, numpy Generator or RandomState
        For the sample and K-Means' starts.
    sample_size : int
        The palette is fitted on at most this many pixels (random sample).

    Returns
    -------
    Quantization (image, palette)
        ``image``: shape (H, W, C), float64 in [0, 1], each pixel replaced by its palette colour
        (C = 3 for colour, 1 for gray); ``palette``: shape (n_colors, C), float64 in [0, 1], the
        K-Means centres sorted from dark to light (by mean over channels).
    """
    pixels = check_image(image)
    channels = pixels.shape[2]
    labels, palette = _kmeans_fit_predict(pixels.reshape(-1, channels), n_colors, random_state,
                                          sample_size, what="colours", name="n_colors")
    quantized = palette[labels].reshape(pixels.shape)
    return Quantization(np.clip(quantized, 0.0, 1.0), np.clip(palette, 0.0, 1.0))


# ----------------------------------------------------------------------------------------------
# A harder image: two regions of the same average colour
# ----------------------------------------------------------------------------------------------

def make_texture_image(size=160, random_state=None):
    """A test image where colour alone cannot segment: a rough disc on a smooth background,
    both of the same average colour (a tan, RGB (0.60, 0.45, 0.30)).

    The smooth background varies by +-0.02 around the tan; inside the disc each pixel is the tan
    brightened or darkened by up to 0.25 (uniform). Window means are the same inside and out;
    window standard deviations (texture) are not.

    Parameters
    ----------
    size : int >= 8
        Side of the square image in pixels.
    random_state : None, int, numpy Generator or RandomState

    Returns
    -------
    image : ndarray of shape (size, size, 3), uint8
    truth : ndarray of shape (size, size), int64: 1 inside the disc, 0 outside
    """
    size = check_positive_int(size, "size", minimum=8)
    rng = check_random_state(random_state)
    tan = np.array([0.60, 0.45, 0.30])
    yy, xx = np.mgrid[0:size, 0:size]
    truth = ((yy - 0.5 * size) ** 2 + (xx - 0.55 * size) ** 2 < (0.3 * size) ** 2).astype(np.int64)
    amplitude = np.where(truth == 1, 0.25, 0.02)
    brightness = amplitude * rng.uniform(-1.0, 1.0, size=(size, size))
    image = np.clip(tan + brightness[:, :, None], 0.0, 1.0)
    return np.round(image * 255).astype(np.uint8), truth
