"""Figures of lesson 08: SIFT keypoints and visual words, cluster galleries, score heat maps.

Every function draws one figure (or into the axes it is given), returns what it drew, and never
calls ``plt.show()``. ``draw_cluster_gallery`` is the callback of the lesson's menus: it
clusters one collection with any features, algorithm and K, and draws the clusters.
"""
from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Circle, Rectangle

from ..datasets import load_digits_images, load_image, load_orl_faces
from ..caching import lru_cache_arrays
from ..features import (SIFT_SIGMA, dense_sift_descriptors, keypoint_bovw_features,
                        keypoint_sift_descriptors, learn_vocabulary, root_sift, sift_working_images,
                        to_gray, weight_histograms, word_counts)
from ..validation import check_random_state
from ..pipeline import ALGORITHMS, FEATURES, cluster_features, evaluate
from ..plotting import CLUSTER_COLORS

__all__ = [
    "texture_patches",
    "lesson_collections",
    "SiftKeypoints",
    "plot_sift_keypoints",
    "plot_dense_grid",
    "word_patches",
    "plot_visual_words",
    "plot_cluster_gallery",
    "plot_score_heatmap",
    "ClusterGallery",
    "draw_cluster_gallery",
    "RECIPE_STEPS",
    "keypoint_descriptors",
    "recipe_nmi",
    "plot_recipe_steps",
    "draw_vocabulary_size",
]

_DESCRIPTOR_HALF_WIDTH = 6 * SIFT_SIGMA   # lambda_descr * sigma: half the 4 x 4 cell grid

TEXTURE_NAMES = ("brick", "grass", "gravel")


def texture_patches(n_per_texture=40, size=32, random_state=None):
    """Square patches cut at random places from scikit-image's brick, grass and gravel photos,
    each photo shrunk by 2 first (256 x 256) so a patch holds a few bricks or pebbles.

    Returns
    -------
    images : ndarray of shape (3 * n_per_texture, size, size), float in [0, 1]
    labels : ndarray of shape (3 * n_per_texture,), int: 0 brick, 1 grass, 2 gravel
    """
    rng = check_random_state(random_state)
    patches, labels = [], []
    for k, name in enumerate(TEXTURE_NAMES):
        gray = load_image(name).mean(axis=2)[::2, ::2] / 255.0
        corners = rng.integers(0, gray.shape[0] - size, size=(int(n_per_texture), 2))
        patches += [gray[r:r + size, c:c + size] for r, c in corners]
        labels += [k] * int(n_per_texture)
    return np.array(patches), np.array(labels)


def lesson_collections(random_state=None, n_digits=600):
    """The four collections of lesson 08: ``{name: (images, labels, n_clusters, class_names)}``
    for 'ORL' (400 faces, 40 people), 'digits' (the first ``n_digits``), 'textures'
    (:func:`texture_patches`, drawn with ``random_state``) and 'faces' (scikit-image's
    ``lfw_subset``: 100 faces, then 100 non-faces)."""
    import skimage.data

    orl, people = load_orl_faces()
    digits, digit_labels = load_digits_images()
    textures, texture_labels = texture_patches(random_state=random_state)
    lfw = skimage.data.lfw_subset()
    return {
        "ORL": (orl, people, 40, None),
        "digits": (digits[:n_digits], digit_labels[:n_digits], 10, None),
        "textures": (textures, texture_labels, 3, list(TEXTURE_NAMES)),
        "faces": (lfw, np.repeat([0, 1], 100), 2, ["face", "non-face"]),
    }


class SiftKeypoints(NamedTuple):
    """What :func:`plot_sift_keypoints` returns."""

    ax: object
    """The Axes drawn."""
    sift: object
    """The fitted ``skimage.feature.SIFT`` (``positions``, ``sigmas``, ``orientations``,
    ``descriptors``)."""


def plot_sift_keypoints(image, max_keypoints=40, ax=None, title=None):
    """Detect SIFT keypoints with ``skimage.feature.SIFT`` and draw them on the image.

    Each keypoint is a circle of radius 6 sigma (the half-width of its descriptor window)
    with a line along its main gradient orientation. The ``max_keypoints`` largest are drawn.

    Parameters
    ----------
    image : array of shape (h, w) or (h, w, 3), uint8 or float

    Returns
    -------
    SiftKeypoints (ax, sift)
    """
    from skimage.feature import SIFT

    gray = to_gray(np.asarray(image)[None])[0]
    sift = SIFT()
    sift.detect_and_extract(gray)
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 5))
    ax.imshow(gray, cmap="gray", vmin=0, vmax=1)
    order = np.argsort(-sift.sigmas)[:int(max_keypoints)]
    for k, i in enumerate(order):
        (r, c), sigma, angle = sift.positions[i], sift.sigmas[i], sift.orientations[i]
        color = CLUSTER_COLORS[k % len(CLUSTER_COLORS)]
        radius = 6 * sigma / 2  # circle at half the window: keeps the picture readable
        ax.add_patch(Circle((c, r), radius, fill=False, color=color, lw=1.2))
        # orientation: angle measured from the row axis towards the column axis
        ax.plot([c, c + radius * np.sin(angle)], [r, r + radius * np.cos(angle)], color=color, lw=1.2)
    ax.set_axis_off()
    ax.set_title(title or f"{len(sift.sigmas)} SIFT keypoints ({min(len(order), len(sift.sigmas))} largest drawn)")
    return SiftKeypoints(ax, sift)


def plot_dense_grid(gray, positions, ax=None, highlight=0, title=None):
    """A working image with its dense grid of keypoints and one descriptor's 4 x 4 cells.

    Parameters
    ----------
    gray : ndarray of shape (h, w)
    positions : ndarray of shape (n_points, 2), (row, col)
    highlight : int
        Index of the keypoint whose descriptor window is drawn.

    Returns
    -------
    ax : Axes
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 4))
    ax.imshow(gray, cmap="gray")
    positions = np.asarray(positions)
    ax.scatter(positions[:, 1], positions[:, 0], s=22, color=CLUSTER_COLORS[1], zorder=3)
    r, c = positions[int(highlight)]
    half = _DESCRIPTOR_HALF_WIDTH
    cell = 2 * half / 4
    for i in range(4):
        for j in range(4):
            ax.add_patch(Rectangle((c - half + j * cell - 0.5, r - half + i * cell - 0.5), cell, cell,
                                   fill=False, color=CLUSTER_COLORS[3], lw=1.0))
    ax.set_xlim(-0.5 - 0.2 * gray.shape[1], gray.shape[1] - 0.5 + 0.2 * gray.shape[1])
    ax.set_ylim(gray.shape[0] - 0.5 + 0.2 * gray.shape[0], -0.5 - 0.2 * gray.shape[0])
    ax.set_axis_off()
    ax.set_title(title or f"{len(positions)} grid keypoints; one 4 x 4-cell window")
    return ax


def word_patches(details, word, n_examples=6):
    """The image patches (descriptor windows) whose descriptors lie nearest to one word.

    Parameters
    ----------
    details : lessons_src.features.BagOfWords
        From ``sift_bovw_features(..., return_details=True)``.
    word : int

    Returns
    -------
    patches : ndarray of shape (m, s, s), m <= n_examples, s = 2 * 6 * sigma (about 25 px)
    """
    gray, positions = details.gray, details.positions
    descriptors = details.descriptors
    center = details.vocabulary.cluster_centers_[int(word)]
    image_index, point_index = np.nonzero(details.words == int(word))
    if len(image_index) == 0:
        return np.zeros((0, 1, 1))
    distance = np.linalg.norm(descriptors[image_index, point_index] - center, axis=1)
    order = np.argsort(distance, kind="stable")[:int(n_examples)]
    half = int(round(_DESCRIPTOR_HALF_WIDTH))
    # Only the images shown are padded (all 600 digits padded take 16 MB, for each word).
    padded = np.pad(gray[image_index[order]], ((0, 0), (half, half + 1), (half, half + 1)))
    patches = []
    for k, i in enumerate(order):
        r, c = positions[point_index[i]]
        patches.append(padded[k, r:r + 2 * half + 1, c:c + 2 * half + 1])
    return np.array(patches)


def plot_visual_words(details, n_words=6, n_examples=6, title=None):
    """One row per visual word (the most frequent ones): the patches nearest to that word.

    Parameters
    ----------
    details : lessons_src.features.BagOfWords
        From ``sift_bovw_features(..., return_details=True)``.
    n_words : int
        Words shown, the most frequent first.
    n_examples : int
        Patches per word.

    Returns
    -------
    axes : ndarray of Axes, one per word (each row is one strip image)
    """
    counts = np.bincount(details.words.ravel(),
                         minlength=len(details.vocabulary.cluster_centers_))
    words = np.argsort(-counts, kind="stable")[:int(n_words)]
    fig, axes = plt.subplots(len(words), 1, figsize=(0.9 * n_examples + 0.9, 0.9 * len(words) + 0.4),
                             squeeze=False)
    axes = axes[:, 0]
    for ax, word in zip(axes, words):
        patches = word_patches(details, word, n_examples)
        size = patches.shape[1]
        strip = np.ones((size, int(n_examples) * (size + 3) - 3))      # white gaps of 3 px
        for k, patch in enumerate(patches):
            strip[:, k * (size + 3):k * (size + 3) + size] = patch / max(patch.max(), 1e-12)
        ax.imshow(strip, cmap="gray", vmin=0, vmax=1)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.spines[:].set_visible(False)
        ax.set_ylabel(f"word {word}\n{counts[word]}x", rotation=0, ha="right", va="center")
    fig.suptitle(title or "Visual words: the patches nearest to each word")
    return axes


def plot_cluster_gallery(images, labels, labels_true=None, n_per_row=8, max_clusters=8,
                         title=None, cmap="gray", max_thumbnail=48):
    """A row of thumbnails per cluster (largest clusters first), errors framed in red.

    With ``labels_true``, each row is titled by the cluster's majority class and a thumbnail
    whose true class differs from it gets a red frame: where the clustering errs. Each row is
    one image (the thumbnails side by side), so the figure stays light and quick to draw.

    Parameters
    ----------
    images : array of shape (n, h, w) or (n, h, w, 3)
    labels : array of shape (n,)
    labels_true : array of shape (n,), optional
    n_per_row : int
        Thumbnails per cluster: members evenly spread over the cluster (in collection order),
        so a cluster that mixes classes shows the mix.
    max_clusters : int
        Rows drawn; the rest are counted in the title.
    max_thumbnail : int
        Larger images are subsampled to at most this many pixels a side.

    Returns
    -------
    axes : ndarray of Axes, one per row (cluster)
    """
    images = np.asarray(images)
    stride = int(np.ceil(max(images.shape[1:3]) / int(max_thumbnail)))
    # One float copy, of the thumbnails only: a float copy of the 400 ORL faces would take
    # 33 MB, and a notebook kernel keeps the memory of such temporaries.
    images = images[:, ::stride, ::stride].astype(float)
    # One common scale for the whole gallery (uint8, 0..16 digits, [0, 1] alike).
    lo, hi = float(images.min()), float(images.max())
    if hi > lo:
        images -= lo
        images /= hi - lo
    else:
        images[:] = 0.0
    if images.ndim == 3:
        images = images[..., None]          # gray: spread over R, G and B where it is drawn
    h, w = images.shape[1:3]
    pad = max(2, h // 12)
    labels = np.asarray(labels)
    truth = None if labels_true is None else np.asarray(labels_true)
    clusters, sizes = np.unique(labels, return_counts=True)
    order = clusters[np.argsort(-sizes, kind="stable")][:int(max_clusters)]
    n_per_row = int(n_per_row)
    fig, axes = plt.subplots(len(order), 1, squeeze=False,
                             figsize=(0.75 * n_per_row + 2.0, 0.9 * len(order) + 0.6))
    axes = axes[:, 0]
    for ax, cluster in zip(axes, order):
        members = np.flatnonzero(labels == cluster)
        size = len(members)
        if size > n_per_row:
            members = members[np.linspace(0, size - 1, n_per_row).round().astype(int)]
        majority = None
        if truth is not None:
            classes, votes = np.unique(truth[labels == cluster], return_counts=True)
            majority = classes[np.argmax(votes)]
        strip = np.ones((h + 2 * pad, n_per_row * (w + 2 * pad), 3))
        for k, i in enumerate(members):
            left = k * (w + 2 * pad)
            if majority is not None and truth[i] != majority:
                strip[:, left:left + w + 2 * pad] = (0.85, 0.1, 0.1)    # the red frame
            strip[pad:pad + h, left + pad:left + pad + w] = images[i]
        ax.imshow(strip, interpolation="nearest")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.spines[:].set_visible(False)
        text = f"cluster {cluster}\n{size} images"
        if majority is not None:
            text += f"\nmostly {majority}"
        ax.set_ylabel(text, rotation=0, ha="right", va="center")
    hidden = len(clusters) - len(order)
    suffix = f" ({hidden} smaller clusters not shown)" if hidden > 0 else ""
    fig.suptitle((title or "Clusters") + suffix)
    return axes


def plot_score_heatmap(scores, metrics=("ARI", "NMI", "accuracy", "silhouette"), title=None,
                       axes=None):
    """Features x algorithms tables of scores, one heat map per metric, values printed.

    Parameters
    ----------
    scores : dict
        ``{(features, algorithm): {'ARI': .., 'NMI': .., ...}}``.

    Returns
    -------
    axes : ndarray of Axes, one per metric
    """
    features = [f for f in FEATURES if any(key[0] == f for key in scores)]
    algorithms = [a for a in ALGORITHMS if any(key[1] == a for key in scores)]
    if axes is None:
        fig, axes = plt.subplots(1, len(metrics), figsize=(3.1 * len(metrics), 0.45 * len(features) + 1.2), squeeze=False)
        axes = axes[0]
        if title:
            fig.suptitle(title)
    for ax, metric in zip(axes, metrics):
        table = np.array([[scores.get((f, a), {}).get(metric, np.nan) for a in algorithms]
                          for f in features])
        low = -1 if metric in ("ARI", "silhouette") and np.nanmin(table) < 0 else 0
        ax.imshow(table, cmap="viridis", vmin=low, vmax=1, aspect="auto")
        for i in range(len(features)):
            for j in range(len(algorithms)):
                value = table[i, j]
                text = "n/a" if np.isnan(value) else f"{value:.2f}"
                ax.text(j, i, text, ha="center", va="center",
                        color="black" if not np.isnan(value) and value > 0.6 else "white")
        ax.set_xticks(range(len(algorithms)), [{"agglomerative": "agglo."}.get(a, a) for a in algorithms])
        ax.set_yticks(range(len(features)), features)
        ax.set_title(metric)
        ax.spines[:].set_visible(False)
    return axes


class ClusterGallery(NamedTuple):
    """What :func:`draw_cluster_gallery` returns."""

    axes: np.ndarray
    """The gallery's Axes, one per cluster shown."""
    scores: dict
    """``pipeline.evaluate`` of the clustering: 'ARI', 'NMI', 'accuracy', 'silhouette'."""


def draw_cluster_gallery(images, labels_true, feature_matrices, features="raw",
                         algorithm="kmeans", n_clusters=2, class_names=None, random_state=None):
    """Menu callback: cluster one collection's precomputed features and draw the gallery, with
    the scores in its title.

    Parameters
    ----------
    images : array of shape (n, h, w) or (n, h, w, 3)
    labels_true : array of shape (n,), int
        The true class of each image.
    feature_matrices : dict
        ``{'raw': X, 'pca': X, ...}``, computed once (``pipeline.compute_features``).
    features : str
        A key of ``feature_matrices``.
    algorithm : {'kmeans', 'agglomerative', 'spectral'}
    n_clusters : int
        Clipped to 1 .. n.
    class_names : sequence of str, optional
        Name of each class, for the row titles.
    random_state : None, int, numpy Generator or RandomState
        For ``pipeline.cluster_features``.

    Returns
    -------
    ClusterGallery (axes, scores)
    """
    X = feature_matrices[features]
    labels_true = np.asarray(labels_true)
    n_clusters = int(np.clip(int(n_clusters), 1, len(X)))
    labels = cluster_features(X, n_clusters, algorithm, random_state=random_state)
    scores = evaluate(labels_true, labels, features=X)
    title = (f"{features} + {algorithm}, K = {n_clusters}: ARI {scores['ARI']:.2f}, "
             f"NMI {scores['NMI']:.2f}, accuracy {scores['accuracy']:.2f}")
    shown = labels_true if class_names is None else np.asarray(class_names)[labels_true]
    return ClusterGallery(plot_cluster_gallery(images, labels, shown, title=title), scores)


# ----------------------------------------------------------------------------------------------
# The bag-of-words recipe, one step at a time

RECIPE_STEPS = {
    "plain SIFT keypoints": None,
    "dense, upsampled": dict(root=False, tfidf=False, norm="l1"),
    "+ RootSIFT": dict(root=True, tfidf=False, norm="l1"),
    "+ TF-IDF": dict(root=True, tfidf=True, norm="l1"),
    "+ L2 norm": dict(root=True, tfidf=True, norm="l2"),
}
"""The steps of the recipe, each adding one change to the one before (the first is the
baseline: scikit-image's detected keypoints, a K-Means vocabulary, L1 histograms)."""


@lru_cache_arrays(maxsize=8)
def keypoint_descriptors(images):
    """``features.keypoint_sift_descriptors(images)``, cached: a tuple of arrays of shape
    (n_keypoints_i, 128), uint8 as scikit-image computes them (the same values, in an eighth
    of the memory of float64)."""
    return tuple(d.astype(np.uint8) for d in keypoint_sift_descriptors(images))


# One array at a time, for one call of recipe_nmi (which clears it): its steps ask for the
# plain descriptors (every seed), then for the RootSIFT ones, which replace them.
@lru_cache_arrays(maxsize=1)
def _dense_descriptors(images, root):
    """Dense SIFT descriptors of the working images, RootSIFT with ``root``: shape
    (n, n_points, 128), float64."""
    if root:
        return root_sift(_dense_descriptors(images, False))
    return dense_sift_descriptors(*sift_working_images(images))


@lru_cache_arrays(maxsize=64)
def _dense_counts(images, root, n_words, seed):
    """Word counts of the dense descriptors (RootSIFT or not): one vocabulary per (root,
    n_words, seed), shared by the steps that differ only in weighting."""
    descriptors = _dense_descriptors(images, root)
    flat = descriptors.reshape(-1, descriptors.shape[-1])
    vocabulary = learn_vocabulary(flat, min(n_words, len(flat)), random_state=seed)
    words = vocabulary.predict(flat).reshape(descriptors.shape[:2])
    return word_counts(words, vocabulary.n_clusters)


def _recipe_features(images, step, n_words, seed):
    options = RECIPE_STEPS[step]
    if options is None:
        return keypoint_bovw_features(keypoint_descriptors(images), n_words, random_state=seed)
    counts = _dense_counts(images, options["root"], n_words, seed)
    return weight_histograms(counts, tfidf=options["tfidf"], norm=options["norm"])


@lru_cache_arrays(maxsize=64)
def recipe_nmi(images, labels_true, n_clusters, n_words=50, seeds=(0, 1, 2)):
    """NMI of K-Means (``pipeline.cluster_features``) on the features of every recipe step.

    The same as ``features.sift_bovw_features(images, n_words, seed, root=.., tfidf=..,
    norm=..)`` for the dense steps (the descriptors are computed once per call), and
    ``keypoint_bovw_features`` for the baseline. Each seed draws the vocabulary and K-Means.

    Returns
    -------
    nmi : dict ``{step: ndarray of shape (len(seeds),)}``, read-only arrays
    """
    labels_true = np.asarray(labels_true)
    out = {}
    try:
        for step in RECIPE_STEPS:
            values = []
            for seed in seeds:
                X = _recipe_features(images, step, int(n_words), seed)
                labels = cluster_features(X, int(n_clusters), "kmeans", random_state=seed)
                values.append(evaluate(labels_true, labels)["NMI"])
            out[step] = np.array(values)
            out[step].setflags(write=False)
    finally:
        # The descriptors serve this call's steps and seeds only (the word counts stay
        # cached): kept, one collection's would still take memory while the next one's are
        # computed (9.4 MB for the 600 digits), and recomputing them takes milliseconds.
        _dense_descriptors.cache_clear()
    return out


def plot_recipe_steps(tables, ax=None, title=None):
    """NMI of each recipe step on each collection: mean over seeds (bars) and every seed (dots).

    Parameters
    ----------
    tables : dict ``{collection: recipe_nmi(...)}``

    Returns
    -------
    ax : Axes
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(8.4, 3.4))
    steps = list(RECIPE_STEPS)
    width = 0.8 / len(steps)
    for j, step in enumerate(steps):
        for i, name in enumerate(tables):
            values = tables[name][step]
            x = i + (j - (len(steps) - 1) / 2) * width
            ax.bar(x, values.mean(), width * 0.9, color=CLUSTER_COLORS[j % len(CLUSTER_COLORS)],
                   label=step if i == 0 else None)
            ax.plot(np.full(len(values), x), values, "k.", markersize=4)
    ax.set_xticks(range(len(tables)), list(tables))
    ax.set_ylabel("NMI (K-Means)")
    ax.set_ylim(0, 1)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.set_title(title or "Bag of visual words, one step at a time")
    return ax


def draw_vocabulary_size(images, labels_true, n_clusters, n_words=50, seed=0, name=""):
    """Slider callback: NMI of every recipe step at one vocabulary size (one seed; cached).

    Returns
    -------
    ax : Axes
    """
    table = recipe_nmi(images, labels_true, int(n_clusters), n_words=int(n_words),
                       seeds=(int(seed),))
    _, ax = plt.subplots(figsize=(6.4, 3.0))
    steps = list(RECIPE_STEPS)
    values = [float(table[s][0]) for s in steps]
    ax.barh(range(len(steps)), values, color=[CLUSTER_COLORS[j % len(CLUSTER_COLORS)]
                                              for j in range(len(steps))])
    for j, v in enumerate(values):
        ax.text(min(v + 0.02, 0.85), j, f"{v:.2f}", va="center")
    ax.set_yticks(range(len(steps)), steps)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("NMI (K-Means)")
    ax.set_title(f"{name} {n_words} visual words".strip())
    return ax
