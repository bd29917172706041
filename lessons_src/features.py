"""Image features for clustering a collection: raw pixels, PCA, NMF, and SIFT visual words.

Every function takes a stack of images, ``(n, h, w)`` gray or ``(n, h, w, 3)`` colour, uint8
or float (checked and scaled to [0, 1] by ``validation.check_image_stack``), and returns one row
of features per image, shape ``(n, n_features)``.

* ``raw_features``: the pixels themselves, flattened.
* ``pca_features``: the image's coordinates on the first principal axes ("eigenfaces").
* ``nmf_features``: the image's non-negative weights on NMF basis images (parts).
* ``sift_bovw_features``: a bag of visual words (视觉词袋). SIFT descriptors are computed on a
  dense grid of every image (small images are first upsampled, since SIFT's keypoint detector
  finds almost nothing in an 8 x 8 digit), K-Means on the descriptors learns a vocabulary of
  ``n_words`` "visual words", and each image becomes the histogram of its words, L1-normalised
  (the fraction of its descriptors that fall on each word). ``root=True, tfidf=True,
  norm='l2'`` is the recipe practitioners run: RootSIFT descriptors (``root_sift``), TF-IDF
  word weights (``tfidf_weights``) and unit-length histograms (``weight_histograms``).
* ``keypoint_sift_descriptors`` / ``keypoint_bovw_features``: the plain baseline, scikit-image's
  SIFT detector with its defaults, a K-Means vocabulary, L1 histograms.

The dense descriptors are the exact descriptors of ``skimage.feature.SIFT`` (upright keypoints
at one fixed scale), computed for every grid point of a batch of images at once by separable
filtering (two matrix products) instead of one Python loop per keypoint (about 0.8 ms each in
scikit-image, measured on a busy shared machine: 24 s for the 28 752 grid keypoints of the
1797 digits);
``dense_sift_descriptors(..., backend='skimage')`` calls scikit-image itself, and the tests
check that both give the same descriptors (to scikit-image's uint8 rounding, 1/512).
"""
import math
import warnings
from typing import NamedTuple

import numpy as np
from scipy import ndimage
from sklearn.cluster import KMeans as _SkKMeans
from sklearn.decomposition import NMF as _SkNMF
from sklearn.decomposition import PCA as _SkPCA
from sklearn.exceptions import ConvergenceWarning

from .validation import (check_array_2d, check_image_stack, check_positive_int, check_random_state,
                         check_real_array, check_shape, image_stack_chunks)

__all__ = [
    "to_gray",
    "resize_images",
    "raw_features",
    "pca_features",
    "nmf_features",
    "sift_working_size",
    "sift_working_images",
    "dense_grid",
    "dense_sift_descriptors",
    "learn_vocabulary",
    "BagOfWords",
    "sift_bovw_features",
    "root_sift",
    "word_counts",
    "tfidf_weights",
    "weight_histograms",
    "keypoint_sift_descriptors",
    "keypoint_bovw_features",
    "SIFT_SIGMA",
]

# scikit-image's SIFT defaults (Otero and Delbracio, "Anatomy of the SIFT method", 2014).
_SIGMA_MIN = 1.6       # blur of the first scale
_SIGMA_IN = 0.5        # blur assumed in the input image
_N_SCALES = 3          # scales per octave
_LAMBDA_DESCR = 6.0    # the descriptor window is 2 * lambda * sigma wide
_N_HIST = 4            # 4 x 4 spatial cells ...
_N_ORI = 8             # ... of 8 orientation bins: 128 numbers

SIFT_SIGMA = _SIGMA_MIN * 2 ** (1 / _N_SCALES)
"""Blur (pixels) of the dense descriptors: scale 1 of the first octave, about 2.02 pixels.
Each descriptor then covers a square of 2 * 6 * 2.02 = 24 pixels of the working image."""

BATCH_PIXELS = 2 ** 14
"""Pixels of the images :func:`dense_sift_descriptors` processes together: their 8 gradient
orientation channels take 1 MiB (float64), all its work arrays about 4 MB. Larger batches are
no faster (measured on the 400 ORL faces and 600 digits), and a large temporary costs a notebook
kernel its memory for good: glibc's malloc keeps freed blocks under 32 MiB in its heap."""


def to_gray(images):
    """Gray images in [0, 1], shape (n, h, w): colour is averaged over the three channels.

    Parameters
    ----------
    images : array of shape (n, h, w) or (n, h, w, 3), uint8 or float
    """
    images = check_image_stack(images)
    return images.mean(axis=3) if images.ndim == 4 else images


def resize_images(images, size, gray=False):
    """Every image of a stack resized to ``size`` pixels, smoothly (bilinear, anti-aliased when
    shrinking, reflected borders): the one resizing of the features and of the pipeline.

    The images are converted and resized a few at a time (``validation.image_stack_chunks``):
    neither the float64 copy of the whole stack nor the blurred copy anti-aliasing makes of
    it is ever made, only the result.

    Parameters
    ----------
    images : array of shape (n, h, w) or (n, h, w, 3), uint8 or float
    size : (rows, cols)
    gray : bool
        Average the colour channels first: ``resize_images(to_gray(images), size)``.

    Returns
    -------
    images : ndarray of shape (n, rows, cols) (or (n, rows, cols, 3) in colour), float64 in
        [0, 1]. The stack itself, checked and scaled, when it already has that size.
    """
    from skimage.transform import resize

    shape, chunks = image_stack_chunks(images)
    size = check_shape(size, "size")
    channels = shape[3:] if not gray else ()
    out = np.empty(shape[:1] + size + channels)
    for start, chunk in chunks:
        if gray and chunk.ndim == 4:
            chunk = chunk.mean(axis=3)
        if chunk.shape[1:3] != size:
            chunk = resize(chunk, chunk.shape[:1] + size + chunk.shape[3:], order=1,
                           anti_aliasing=True, mode="reflect")
        out[start:start + len(chunk)] = chunk
    return out


def raw_features(images):
    """The pixels themselves: one row of ``h * w`` (or ``h * w * 3``) values in [0, 1] per image.

    Returns
    -------
    X : ndarray of shape (n, h * w) or (n, h * w * 3)
    """
    images = check_image_stack(images)
    return images.reshape(len(images), -1)


def _check_components(n_components, n_samples, n_features):
    n_components = check_positive_int(n_components, "n_components")
    limit = min(n_samples, n_features)
    if n_components > limit:
        raise ValueError(
            f"n_components must be <= min(n_images, n_pixels) = {limit}, "
            f"got n_components={n_components}"
        )
    return n_components


def pca_features(images, n_components, random_state=None, whiten=False):
    """Coordinates of each image on the first ``n_components`` principal axes.

    Parameters
    ----------
    images : array of shape (n, h, w) or (n, h, w, 3)
    n_components : int
        At most ``min(n, number of pixels)``.
    random_state : None, int, numpy Generator or RandomState
        Passed to scikit-learn's ``PCA`` (its full SVD draws nothing; kept for symmetry).
    whiten : bool
        Divide each coordinate by its standard deviation (every axis then counts the same).

    Returns
    -------
    X : ndarray of shape (n, n_components)
        Centred projections, largest variance first.
    """
    X = raw_features(images)
    n_components = _check_components(n_components, *X.shape)
    pca = _SkPCA(n_components=n_components, whiten=bool(whiten), svd_solver="full",
                 random_state=check_random_state(random_state, for_sklearn=True))
    return pca.fit_transform(X)


def nmf_features(images, n_components, random_state=None, max_iter=200):
    """Non-negative weights of each image on ``n_components`` NMF basis images.

    With the images as rows of V (n x pixels), NMF finds V ~ H W with both factors >= 0; the
    features are the rows of H, the weights of the parts. (Lesson 06 writes it with one image
    per column, V ~ W H; this is its transpose.) scikit-learn's NMF from the deterministic
    'nndsvda' start with the multiplicative updates of lesson 07 (``solver='mu'``), 200
    iterations: smoother weights than the coordinate-descent solver, which cluster better
    (ORL, 40 components, Ward: NMI 0.88 against 0.62).

    Parameters
    ----------
    images : array of shape (n, h, w) or (n, h, w, 3)
    n_components : int
        At most ``min(n, number of pixels)``.
    random_state : None, int, numpy Generator or RandomState
        For the randomised SVD of the 'nndsvda' start.
    max_iter : int

    Returns
    -------
    H : ndarray of shape (n, n_components), non-negative
    """
    X = raw_features(images)
    n_components = _check_components(n_components, *X.shape)
    nmf = _SkNMF(n_components=n_components, init="nndsvda", solver="mu",
                 max_iter=check_positive_int(max_iter, "max_iter"), tol=1e-4,
                 random_state=check_random_state(random_state, for_sklearn=True))
    # A fixed budget of iterations gives stable features; convergence to the last digit is
    # not needed for clustering, and the warning would only alarm a student.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=ConvergenceWarning,
                                message="Maximum number of iterations")
        return nmf.fit_transform(X)


# ----------------------------------------------------------------------------------------------
# Dense SIFT
# ----------------------------------------------------------------------------------------------

def sift_working_size(shape, min_size=32, max_size=48):
    """The (rows, cols) an image is resized to before dense SIFT.

    The shorter side is brought into ``[min_size, max_size]`` (aspect kept): a 24-pixel SIFT
    descriptor needs room, and a large photograph would only cost time.
    """
    h, w = check_shape(shape, "shape")
    min_size = check_positive_int(min_size, "min_size")
    max_size = check_positive_int(max_size, "max_size", minimum=min_size)
    short = min(h, w)
    factor = min_size / short if short < min_size else (max_size / short if short > max_size else 1.0)
    return max(1, int(round(h * factor))), max(1, int(round(w * factor)))


def sift_working_images(images, step=None):
    """The gray working images of dense SIFT and their grid keypoints, as
    :func:`sift_bovw_features` makes them: gray, resized to ``sift_working_size``, a grid every
    ``step`` pixels (default: a quarter of the shorter side, at least 4).

    Parameters
    ----------
    images : array of shape (n, h, w) or (n, h, w, 3), uint8 or float
    step : int, optional

    Returns
    -------
    gray : ndarray of shape (n, rows, cols), float64 in [0, 1]
    positions : ndarray of shape (n_points, 2), int, (row, col)
    """
    shape, _ = image_stack_chunks(images)          # checked: a valid shape to size from
    size = sift_working_size(shape[1:3])
    if step is None:
        step = max(4, min(size) // 4)
    positions = dense_grid(size, step)
    return resize_images(images, size, gray=True), positions


def dense_grid(shape, step=8):
    """Keypoint centres of a dense grid: every ``step`` pixels, centred in the image.

    Returns
    -------
    positions : ndarray of shape (n_points, 2), int
        (row, col) of each centre, row-major.
    """
    step = check_positive_int(step, "step")
    axes = []
    for size in check_shape(shape, "shape"):
        count = max(1, (int(size) - 1) // step + 1)
        start = (int(size) - 1 - (count - 1) * step) // 2
        axes.append(start + step * np.arange(count))
    rows, cols = np.meshgrid(axes[0], axes[1], indexing="ij")
    return np.c_[rows.ravel(), cols.ravel()]


def _descriptor_geometry(sigma):
    """The separable weights of one SIFT descriptor at an integer centre, upright keypoint.

    Returns ``offsets`` (P,) and ``weights`` (N_HIST, P): the weight of pixel offset d on
    spatial cell r, product of the bilinear cell weight, the Gaussian window and the square
    window |d| < radius, exactly as scikit-image's descriptor (Otero and Delbracio, Alg. 12).
    """
    radius = _LAMBDA_DESCR * (1 + 1 / _N_HIST) * sigma
    reach = int(math.ceil(radius)) - 1 if float(radius).is_integer() else int(math.floor(radius))
    offsets = np.arange(-reach, reach + 1)
    spacing = 2 * _LAMBDA_DESCR * sigma / _N_HIST
    centers = (np.arange(1, _N_HIST + 1) - (1 + _N_HIST) / 2) * spacing
    cell = np.clip(1 - np.abs(centers[:, None] - offsets[None, :]) / spacing, 0, None)
    window = np.exp(-(offsets ** 2) / (2 * (_LAMBDA_DESCR * sigma) ** 2))
    return offsets, cell * window[None, :]


def _window_matrix(centers, offsets, weights, size):
    """The cell weights along one axis as a matrix, shape (n_centers * 4, size): row 4 i + r
    holds each pixel's weight in spatial cell r of the window centred at ``centers[i]``, zero
    outside the window and on the last pixel (scikit-image's patch stops before the last row
    and column of the image)."""
    take = centers[:, None] + offsets[None, :]             # (n_centers, P) pixels read
    inside = (take >= 0) & (take <= size - 2)
    matrix = np.zeros((len(centers), _N_HIST, size))
    center, offset = np.nonzero(inside)
    matrix[center, :, take[center, offset]] = weights[:, offset].T
    return matrix.reshape(len(centers) * _N_HIST, size)


def _scale_space_image(gray, sigma):
    """Blur as scikit-image's SIFT does (no upsampling): to SIGMA_MIN from SIGMA_IN, then on to
    ``sigma`` by a second Gaussian, both with 'reflect' borders. Works on a stack (n, h, w)."""
    first = math.sqrt(_SIGMA_MIN ** 2 - _SIGMA_IN ** 2)
    out = ndimage.gaussian_filter(gray, sigma=(0, first, first), mode="reflect", truncate=4.0)
    if sigma > _SIGMA_MIN:
        extra = math.sqrt(sigma ** 2 - _SIGMA_MIN ** 2)
        out = ndimage.gaussian_filter(out, sigma=(0, extra, extra), mode="reflect", truncate=4.0)
    return out


def _orientation_channels(blurred):
    """Gradient magnitude split over the 8 orientation bins, shape (n, h, w, 8).

    Same rule as scikit-image: the orientation theta = atan2(d/dcol, d/drow) is given to the
    nearest bin centre at or above it (centres 2 pi k / 8, k = 1..8) with weight proportional
    to its angular distance, the rest to the next bin.
    """
    grad_row, grad_col = np.gradient(blurred, axis=(1, 2))
    magnitude = np.hypot(grad_row, grad_col)
    # theta in bin units, in (-4, 4]; the bin at or above it is ceil(theta) (1..8, cyclic).
    # An exact non-positive integer goes wholly to the bin just above (scikit-image's rule).
    theta = np.arctan2(grad_col, grad_row) * (_N_ORI / (2 * np.pi))
    above = np.ceil(theta)
    above = np.where((above == theta) & (theta <= 0), above + 1, above)
    frac = above - theta                       # in [0, 1]: share of the bin at or above
    low = np.mod(above - 1, _N_ORI).astype(np.intp)
    high = np.mod(low + 1, _N_ORI)
    # Scatter both shares into an (n, h, w, 8) array through flat indices (low != high).
    channels = np.zeros(blurred.size * _N_ORI)
    base = np.arange(blurred.size) * _N_ORI
    channels[base + low.ravel()] = (magnitude * frac).ravel()
    channels[base + high.ravel()] = (magnitude * (1 - frac)).ravel()
    return channels.reshape(blurred.shape + (_N_ORI,))


def _normalize_descriptors(hist):
    """Lowe's normalisation: unit length, clip at 0.2, unit length again (times 512 and
    quantised to 0..255 in scikit-image; here kept as float, unit length)."""
    norm = np.linalg.norm(hist, axis=-1, keepdims=True)
    hist = np.minimum(hist, 0.2 * norm)
    norm = np.linalg.norm(hist, axis=-1, keepdims=True)
    return hist / np.where(norm > 0, norm, 1.0)


def dense_sift_descriptors(gray, positions, sigma=SIFT_SIGMA, backend="numpy", batch=None):
    """SIFT descriptors of upright keypoints at fixed positions and scale, for a stack of images.

    Parameters
    ----------
    gray : array of shape (n, h, w), float in [0, 1]
        Gray images, all the same size.
    positions : array of shape (n_points, 2), int
        Keypoint centres (row, col), the same for every image (e.g. ``dense_grid``).
    sigma : float
        Scale of the keypoints in pixels: SIFT_SIGMA (scale 1 of the first octave) or
        1.6 (scale 0).
    backend : {'numpy', 'skimage'}
        'numpy' computes the descriptors of many images at once by separable filtering;
        'skimage' hands the keypoints to ``skimage.feature.SIFT.extract`` one image at a time
        (slow; the reference the tests compare with). Both give the same descriptors.
    batch : int, optional
        Images processed together. Default: as many as hold ``BATCH_PIXELS`` pixels, so that
        the work arrays stay a few MB whatever the size of the stack.

    Returns
    -------
    descriptors : ndarray of shape (n, n_points, 128), float64
        Unit-length descriptors (4 x 4 cells x 8 orientations, row-major), the 0.2 clipping of
        Lowe's SIFT applied. scikit-image stores ``min(floor(512 * d), 255)`` as uint8.
    """
    gray = check_real_array(gray, "gray", ndim=(2, 3))
    if gray.ndim == 2:
        gray = gray[None]
    positions = check_real_array(positions, "positions", ndim=2, min_size=0)
    if positions.shape[1] != 2 or np.any(positions != np.round(positions)):
        raise ValueError(f"positions must be (row, col) integer pairs, shape (n_points, 2), got "
                         f"shape {positions.shape}")
    positions = positions.astype(int)
    if len(positions) == 0:
        raise ValueError("positions is empty: give at least one keypoint (row, col)")
    n, h, w = gray.shape
    if not np.all((positions >= 0) & (positions < (h, w))):
        raise ValueError(f"positions must lie inside the {h} x {w} images")
    if sigma not in (_SIGMA_MIN, SIFT_SIGMA):
        raise ValueError(f"sigma must be {_SIGMA_MIN} or {SIFT_SIGMA:.6f}, got sigma={sigma}")
    if batch is None:
        batch = max(1, BATCH_PIXELS // (h * w))
    batch = check_positive_int(batch, "batch")
    if backend == "skimage":
        return _dense_sift_skimage(gray, positions, sigma)
    if backend != "numpy":
        raise ValueError(f"backend must be 'numpy' or 'skimage', got backend={backend!r}")
    offsets, weights = _descriptor_geometry(sigma)
    unique_rows, row_index = np.unique(positions[:, 0], return_inverse=True)
    unique_cols, col_index = np.unique(positions[:, 1], return_inverse=True)
    by_row = _window_matrix(unique_rows, offsets, weights, h)          # (R * 4, h)
    by_col = _window_matrix(unique_cols, offsets, weights, w)          # (C * 4, w)
    n_rows, n_cols = len(unique_rows), len(unique_cols)
    out = np.empty((n, len(positions), _N_HIST * _N_HIST * _N_ORI))
    for start in range(0, n, batch):
        blurred = _scale_space_image(gray[start:start + batch], sigma)
        channels = _orientation_channels(blurred)                     # (b, h, w, 8)
        b = len(channels)
        # Separable filtering as two matrix products, evaluated only where needed: the rows
        # around each distinct keypoint row weighed by its 4 row cells, then the columns
        # around each distinct keypoint column by its 4 column cells. No array larger than
        # the channels is made (gathering every window's pixels first took 4 times more).
        cells = np.matmul(by_row, channels.reshape(b, h, w * _N_ORI))      # (b, R*4, w*8)
        cells = np.matmul(by_col, cells.reshape(b, n_rows * _N_HIST, w, _N_ORI))
        # (b, R, 4, C, 4, 8) -> each keypoint's (4 rows, 4 cols, 8 orientations)
        cells = cells.reshape(b, n_rows, _N_HIST, n_cols, _N_HIST, _N_ORI)
        hist = cells.transpose(0, 1, 3, 2, 4, 5)[:, row_index, col_index]   # (b, k, 4, 4, 8)
        out[start:start + b] = _normalize_descriptors(hist.reshape(b, len(positions), -1))
    return out


def _dense_sift_skimage(gray, positions, sigma):
    from skimage.feature import SIFT

    k = len(positions)
    scale = 0 if sigma == _SIGMA_MIN else 1
    out = np.empty((len(gray), k, _N_HIST * _N_HIST * _N_ORI))
    for i, image in enumerate(gray):
        sift = SIFT(upsampling=1, n_octaves=1)
        sift.positions = positions.astype(np.float64)
        sift.scales = np.full(k, scale)
        sift.octaves = np.zeros(k, dtype=int)
        sift.sigmas = np.full(k, sigma)
        sift.orientations = np.zeros(k)
        sift.extract(image)
        out[i] = sift.descriptors
    norm = np.linalg.norm(out, axis=-1, keepdims=True)
    return out / np.where(norm > 0, norm, 1.0)


def learn_vocabulary(descriptors, n_words, random_state=None, max_descriptors=6000):
    """Visual words (视觉单词): K-Means centers of SIFT descriptors.

    Parameters
    ----------
    descriptors : ndarray of shape (n_descriptors, 128)
    n_words : int
        At most the number of descriptors.
    random_state : None, int, numpy Generator or RandomState
        For the subset of descriptors and K-Means' start.
    max_descriptors : int
        K-Means runs on a random subset of at most this many (the vocabulary barely changes,
        the time does).

    Returns
    -------
    kmeans : fitted ``sklearn.cluster.KMeans``; ``kmeans.cluster_centers_`` are the words.
    """
    descriptors = check_array_2d(descriptors, "descriptors")
    n_words = check_positive_int(n_words, "n_words", maximum=len(descriptors))
    rng = check_random_state(random_state)
    max_descriptors = check_positive_int(max_descriptors, "max_descriptors")
    subset = len(descriptors) > max_descriptors
    if subset:
        descriptors = descriptors[rng.choice(len(descriptors), max_descriptors, replace=False)]
    # A subset is our own copy: K-Means may centre it in place (copy_x=False, the same result)
    # instead of copying it once more.
    kmeans = _SkKMeans(n_clusters=n_words, n_init=1, max_iter=100, copy_x=not subset,
                       random_state=check_random_state(random_state, for_sklearn=True))
    return kmeans.fit(descriptors)


class BagOfWords(NamedTuple):
    """A bag of visual words and how it was made (``sift_bovw_features(..., return_details=True)``)."""

    features: np.ndarray
    """shape (n, n_words): each image's word histogram, rows summing to 1"""
    gray: np.ndarray
    """shape (n, rows, cols): the gray working images the descriptors were taken from"""
    positions: np.ndarray
    """shape (n_points, 2): the grid keypoints (row, col), the same in every image"""
    descriptors: np.ndarray
    """shape (n, n_points, 128): the unit-length dense SIFT descriptors"""
    words: np.ndarray
    """shape (n, n_points): the visual word of each descriptor"""
    vocabulary: object
    """the fitted ``sklearn.cluster.KMeans``; its ``cluster_centers_`` (n_words, 128) are the words"""


def sift_bovw_features(images, n_words=50, random_state=None, step=None, return_details=False,
                       root=False, tfidf=False, norm="l1"):
    """A bag of visual words per image: the normalised histogram of its dense SIFT words.

    Steps: (1) gray, resized so the shorter side is in [32, 48] pixels (8 x 8 digits are
    upsampled 4 times); (2) SIFT descriptors on a dense grid, every ``step`` pixels (default:
    a quarter of the shorter side, so about 4 x 4 descriptors per image), optionally mapped to
    RootSIFT (``root=True``); (3) K-Means on the descriptors of all images gives ``n_words``
    visual words; (4) each descriptor votes for its nearest word; the votes of one image,
    optionally TF-IDF weighted (``tfidf=True``), divided by their sum (``norm='l1'``) or by
    their length (``norm='l2'``), are its features.

    The defaults are the plain bag of words; the recipe practitioners run (Arandjelovic and
    Zisserman 2012; Sivic and Zisserman 2003) is ``root=True, tfidf=True, norm='l2'``.

    Parameters
    ----------
    images : array of shape (n, h, w) or (n, h, w, 3)
    n_words : int
        Size of the vocabulary, at most the number of descriptors.
    random_state : None, int, numpy Generator or RandomState
        For the vocabulary (see :func:`learn_vocabulary`).
    step : int, optional
        Grid spacing in pixels of the working image.
    return_details : bool
        Return the whole :class:`BagOfWords` (working images, keypoints, descriptors, words,
        vocabulary) instead of the features alone.
    root : bool
        Replace each descriptor by its RootSIFT (:func:`root_sift`) before the vocabulary.
    tfidf : bool
        Weight each word by its inverse document frequency (:func:`tfidf_weights`).
    norm : {'l1', 'l2'}
        Scale each histogram to sum 1 or to length 1.

    Returns
    -------
    X : ndarray of shape (n, n_words)
        Non-negative histograms; with the defaults each row sums to 1.
        (A :class:`BagOfWords` with ``return_details=True``; ``X`` is its ``features``.)
    """
    n_words = check_positive_int(n_words, "n_words")
    gray, positions = sift_working_images(images, step)
    n = len(gray)
    descriptors = dense_sift_descriptors(gray, positions)
    if not return_details:
        del gray                      # free the working images before K-Means runs
    if root:
        descriptors = root_sift(descriptors)
    flat = descriptors.reshape(-1, descriptors.shape[-1])
    if n_words > len(flat):
        raise ValueError(f"n_words must be <= the number of descriptors ({len(flat)}), "
                         f"got n_words={n_words}")
    vocabulary = learn_vocabulary(flat, n_words, random_state=random_state)
    words = vocabulary.predict(flat).reshape(n, len(positions))
    counts = word_counts(words, n_words)
    X = weight_histograms(counts, tfidf=tfidf, norm=norm)
    if return_details:
        return BagOfWords(X, gray, positions, descriptors, words, vocabulary)
    return X


# ----------------------------------------------------------------------------------------------
# The bag-of-words recipe: RootSIFT, TF-IDF, normalisation; and the plain keypoint baseline
# ----------------------------------------------------------------------------------------------

def root_sift(descriptors):
    """RootSIFT (Arandjelovic and Zisserman 2012): divide each descriptor by its sum (L1), then
    take the square root of every entry.

    Euclidean distance between RootSIFT vectors is the Hellinger distance between the original
    descriptors read as histograms: large gradient bins no longer dominate the distance.
    Every result has unit length.

    Parameters
    ----------
    descriptors : ndarray of shape (..., d), non-negative

    Returns
    -------
    ndarray of the same shape
    """
    descriptors = check_real_array(descriptors, "descriptors", min_size=0, allow_negative=False)
    total = descriptors.sum(axis=-1, keepdims=True)
    out = descriptors / np.where(total > 0, total, 1.0)
    return np.sqrt(out, out=out)         # in place: one array the size of descriptors, not two


MAX_WORDS = 10 ** 6
"""The largest vocabulary :func:`word_counts` counts (a row of a million counts: 8 MB)."""


def word_counts(words, n_words):
    """How many times each image uses each word.

    Parameters
    ----------
    words : sequence of int arrays
        One array per image (its descriptors' words; lengths may differ, even be 0), or an
        (n, n_points) array.
    n_words : int, at most MAX_WORDS; every word number must be below it

    Returns
    -------
    counts : ndarray of shape (n, n_words)
    """
    n_words = check_positive_int(n_words, "n_words", maximum=MAX_WORDS)
    rows = []
    for i, w in enumerate(words):
        w = check_real_array(w, f"words[{i}]", min_size=0).ravel()
        if np.any(w != np.round(w)) or np.any(w < 0) or np.any(w >= n_words):
            raise ValueError(f"words[{i}] must hold word numbers, integers in [0, {n_words}), "
                             f"got values from {w.min()} to {w.max()}")
        rows.append(np.bincount(w.astype(np.intp), minlength=n_words))
    return np.array(rows, dtype=np.float64).reshape(len(rows), n_words)


def tfidf_weights(counts):
    """Inverse document frequency of every word (Sivic and Zisserman 2003): log(n / n_w), with
    n_w the number of images that use word w (a word in every image weighs 0, a word no image
    uses weighs 0 too).

    Parameters
    ----------
    counts : ndarray of shape (n, n_words)

    Returns
    -------
    idf : ndarray of shape (n_words,)
    """
    counts = check_array_2d(counts, "counts", allow_negative=False)
    used = np.count_nonzero(counts, axis=0)
    return np.where(used > 0, np.log(len(counts) / np.maximum(used, 1)), 0.0)


def weight_histograms(counts, tfidf=False, norm="l1"):
    """Word counts to features: term frequencies (counts / descriptors in the image), times
    the words' ``tfidf_weights`` when asked, scaled to sum 1 (``'l1'``) or length 1 (``'l2'``).
    A row of zeros stays zeros.

    Parameters
    ----------
    counts : ndarray of shape (n, n_words)
    tfidf : bool
    norm : {'l1', 'l2'}

    Returns
    -------
    X : ndarray of shape (n, n_words)
    """
    counts = check_array_2d(counts, "counts", allow_negative=False)
    if norm not in ("l1", "l2"):
        raise ValueError(f"norm must be 'l1' or 'l2', got norm={norm!r}")
    total = counts.sum(axis=1, keepdims=True)
    X = counts / np.where(total > 0, total, 1.0)
    if tfidf:
        X = X * tfidf_weights(counts)
    size = (X.sum(axis=1, keepdims=True) if norm == "l1"
            else np.linalg.norm(X, axis=1, keepdims=True))
    return X / np.where(size > 0, size, 1.0)


# Below 6 pixels in a side scikit-image's SIFT raises an IndexError; no keypoint fits there.
_SIFT_MIN_SIDE = 6


def keypoint_sift_descriptors(images):
    """scikit-image's SIFT, defaults untouched, on each gray image (the stack scaled to a
    brightest pixel of 1): the detected keypoints' descriptors (uint8 as scikit-image stores
    them, here as float).

    Parameters
    ----------
    images : array of shape (n, h, w) or (n, h, w, 3)

    Returns
    -------
    descriptors : list of n ndarrays of shape (n_keypoints_i, 128); n_keypoints_i may be 0
    """
    from skimage.feature import SIFT

    gray = to_gray(images)
    # SIFT's contrast threshold is absolute: scale the stack so its brightest pixel is 1 (the
    # digits' 0..16 would otherwise read as 0..16/255, too faint for any keypoint).
    gray = gray / max(float(gray.max()), 1e-12)
    out = []
    for image in gray:
        if min(image.shape) < _SIFT_MIN_SIDE:   # too small for a keypoint (and scikit-image's
            out.append(np.zeros((0, _N_HIST * _N_HIST * _N_ORI)))   # SIFT fails there)
            continue
        sift = SIFT()
        try:
            sift.detect_and_extract(image)
            found = np.asarray(sift.descriptors, dtype=np.float64)
        except RuntimeError:          # scikit-image raises when it finds no keypoint at all
            found = np.zeros((0, _N_HIST * _N_HIST * _N_ORI))
        out.append(found.reshape(-1, _N_HIST * _N_HIST * _N_ORI))
    return out


def keypoint_bovw_features(descriptors, n_words=50, random_state=None):
    """The plain baseline: a K-Means vocabulary on detected keypoints' SIFT descriptors (from
    :func:`keypoint_sift_descriptors`), one L1-normalised word histogram per image (all zeros
    for an image without keypoints).

    Parameters
    ----------
    descriptors : list of n ndarrays of shape (n_keypoints_i, 128)
    n_words : int
        Capped by the number of descriptors.
    random_state : None, int, numpy Generator or RandomState

    Returns
    -------
    X : ndarray of shape (n, n_words); n_words capped by the number of descriptors (all zeros
        when no image has a keypoint)
    """
    flat = np.concatenate([np.asarray(d, dtype=np.float64).reshape(-1, 128) for d in descriptors])
    n_words = check_positive_int(n_words, "n_words")
    if len(flat) == 0:                  # no keypoint in any image: nothing to describe them by
        return np.zeros((len(descriptors), n_words))
    n_words = min(n_words, len(flat))
    vocabulary = learn_vocabulary(flat, n_words, random_state=random_state)
    words = [vocabulary.predict(d) if len(d) else np.zeros(0, dtype=np.intp) for d in descriptors]
    return weight_histograms(word_counts(words, n_words))
