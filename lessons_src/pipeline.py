"""Image clustering end to end: images -> features -> clusters -> scores.

``cluster_images(images, n_clusters, features, algorithm)`` is the whole lecture in one call;
its two halves are public too, so a lesson can compute the features once and try every
clustering algorithm on them:

* ``compute_features(images, features)``: the feature matrix the clusterer sees;
* ``cluster_features(X, n_clusters, algorithm)``: the labels;
* ``evaluate(labels_true, labels_pred, features=None)``: ARI, NMI, matched accuracy, and the
  silhouette of the clustering in feature space.

Defaults chosen to work on a collection never seen before, with no tuning:

* images are scaled to [0, 1] and, when larger, shrunk (anti-aliased) to at most
  ``max_pixels=1024`` pixels (ORL's 112 x 92 faces become 35 x 29): finer detail does not help
  to group whole images, and it costs time;
* 'raw' pixels and 'pca' coordinates (``min(40, n, n_pixels // 3)`` components) are centred and
  scaled to unit length: the angle between two images counts, not their overall brightness or
  contrast (on ORL this lifts K-Means' NMI from 0.85 to 0.90);
* 'nmf' weights (as many components; multiplicative updates) and 'sift' word histograms
  (``n_words=50``, L1-normalised) are used as they are;
* 'gnmf': the encodings of graph-regularised NMF (``nmf.GNMF``, Cai et al. 2011: the paper's
  symmetric 5-nearest-neighbour 0/1 graph and lambda = 100) on the pixels scaled to unit
  length, as many components as 'nmf';
* 'kmeans': k-means++ with ``n_init=10`` restarts (the best inertia is kept);
  'agglomerative': Ward linkage; 'spectral': a symmetric k-nearest-neighbour graph with
  ``n_neighbors`` about a quarter of the average cluster size, between 5 and 10, and the
  deterministic ``cluster_qr`` label assignment.

Threads follow the package's policy (:mod:`lessons_src.threads`): one BLAS thread for these
small matrices (``threads.for_problem_size``), and one thread for everything in a lesson.
Random state: ``random_state`` (None, an int, a Generator or a RandomState) is read by
``validation.check_random_state`` and handed to every scikit-learn step that draws.
"""
import warnings

import numpy as np
from sklearn.cluster import AgglomerativeClustering, KMeans, SpectralClustering
from sklearn.exceptions import ConvergenceWarning

from . import metrics, threads
from .nmf import GNMF
from .features import nmf_features, pca_features, raw_features, resize_images, sift_bovw_features
from .validation import (check_array_2d, check_image_stack, check_n_clusters, check_positive_int,
                         check_random_state, image_stack_chunks)

__all__ = [
    "FEATURES",
    "ALGORITHMS",
    "prepare_images",
    "compute_features",
    "default_n_neighbors",
    "cluster_features",
    "cluster_images",
    "evaluate",
]

FEATURES = ("raw", "pca", "nmf", "gnmf", "sift")
"""Names accepted by ``features``."""

ALGORITHMS = ("kmeans", "agglomerative", "spectral")
"""Names accepted by ``algorithm``."""

_FEATURE_OPTIONS = {"max_pixels", "n_components", "n_words", "normalize"}
_ALGORITHM_OPTIONS = {"n_init", "linkage", "n_neighbors"}


def _check_choice(value, name, choices):
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {choices}, got {name}={value!r}")
    return value


def prepare_images(images, max_pixels=1024):
    """Images in [0, 1], shrunk (anti-aliased, aspect kept) to at most ``max_pixels`` pixels.

    Parameters
    ----------
    images : array of shape (n, h, w) or (n, h, w, 3), uint8 or float
    max_pixels : int
        Largest h * w kept; smaller images are left alone (never upsampled).

    Returns
    -------
    images : ndarray of shape (n, h', w') or (n, h', w', 3), float64 in [0, 1]
    """
    # Checked, not yet converted: resize_images converts a few images at a time.
    shape, _ = image_stack_chunks(images)
    max_pixels = check_positive_int(max_pixels, "max_pixels", minimum=4)
    h, w = shape[1:3]
    if h * w <= max_pixels:
        return check_image_stack(images)
    factor = np.sqrt(max_pixels / (h * w))
    return resize_images(images, (max(1, int(h * factor)), max(1, int(w * factor))))


def _unit_rows(X, center):
    if center:
        X = X - X.mean(axis=0)
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    return X / np.where(norms > 0, norms, 1.0)


def compute_features(images, features="raw", random_state=None, max_pixels=1024,
                     n_components=None, n_words=50, normalize=True):
    """The feature matrix that ``cluster_images`` clusters.

    Parameters
    ----------
    images : array of shape (n, h, w) or (n, h, w, 3), uint8 or float, any size
    features : {'raw', 'pca', 'nmf', 'gnmf', 'sift'}
    random_state : None, int, numpy Generator or RandomState
        For NMF's and GNMF's starts and SIFT's vocabulary ('raw' and 'pca' draw nothing).
    max_pixels : int
        Images larger than this are shrunk first (see ``prepare_images``). SIFT works on the
        original images (it resizes to its own working size).
    n_components : int, optional
        For 'pca', 'nmf' and 'gnmf'; default ``min(40, n, n_pixels // 3)``.
    n_words : int
        For 'sift': the vocabulary size (capped by the number of descriptors).
    normalize : bool
        For 'raw' and 'pca': centre and scale each row to unit length.

    Returns
    -------
    X : ndarray of shape (n, n_features)
    """
    _check_choice(features, "features", FEATURES)
    if features == "sift":
        n = len(np.asarray(images))
        n_words = check_positive_int(n_words, "n_words")
        # Around 16 descriptors per image: never ask for more words than descriptors.
        with threads.for_problem_size(np.size(images)):
            return sift_bovw_features(images, n_words=min(n_words, 16 * n),
                                      random_state=random_state)
    images = prepare_images(images, max_pixels=max_pixels)
    n, n_pixels = len(images), int(np.prod(images.shape[1:]))
    if features == "raw":
        X = raw_features(images)
        return _unit_rows(X, center=True) if normalize else X
    if n_components is None:
        # At most 40, and at most a third of the pixels (a factorisation must compress).
        n_components = min(40, n, max(1, n_pixels // 3))
    with threads.for_problem_size(images.size):
        if features == "pca":
            X = pca_features(images, n_components, random_state=random_state)
            return _unit_rows(X, center=False) if normalize else X
        if features == "gnmf":
            # Unit-length rows, as GNMF's lambda = 100 assumes (Cai et al. 2011).
            X = _unit_rows(raw_features(images), center=False)
            return GNMF(n_components, random_state=random_state).fit_transform(X)
        return nmf_features(images, n_components, random_state=random_state)


def default_n_neighbors(n_samples, n_clusters):
    """Neighbours of the spectral graph: a quarter of the mean cluster size, in [5, 10],
    and fewer than ``n_samples``."""
    n_samples = check_positive_int(n_samples, "n_samples")
    n_clusters = check_n_clusters(n_clusters, n_samples)
    guess = int(round(n_samples / (4 * n_clusters)))
    return max(1, min(int(np.clip(guess, 5, 10)), n_samples - 1))


def cluster_features(X, n_clusters, algorithm="kmeans", random_state=None, n_init=10,
                     linkage="ward", n_neighbors=None):
    """Cluster the rows of a feature matrix.

    Parameters
    ----------
    X : ndarray of shape (n, n_features)
    n_clusters : int (numpy integers too), 1 <= n_clusters <= n
    algorithm : {'kmeans', 'agglomerative', 'spectral'}
    random_state : None, int, numpy Generator or RandomState
        For K-Means' starts and the spectral embedding ('agglomerative' draws nothing).
    n_init : int
        K-Means restarts.
    linkage : {'ward', 'complete', 'average', 'single'}
        For 'agglomerative'.
    n_neighbors : int, optional
        For 'spectral'; default ``default_n_neighbors(n, n_clusters)``.

    Returns
    -------
    labels : ndarray of shape (n,), int, values 0 .. n_clusters - 1

    Notes
    -----
    K = 1 puts every image in cluster 0 and K = n gives every image its own cluster, for
    every algorithm (spectral clustering is not defined there).
    """
    X = check_array_2d(X, name="X")
    n = X.shape[0]
    n_clusters = check_n_clusters(n_clusters, n)       # a Python int from here on
    _check_choice(algorithm, "algorithm", ALGORITHMS)
    random_state = check_random_state(random_state, for_sklearn=True)
    if n_clusters == 1:
        return np.zeros(n, dtype=np.int64)
    if n_clusters == n:
        return np.arange(n, dtype=np.int64)
    with threads.for_problem_size(X.size), warnings.catch_warnings():
        if algorithm == "kmeans":
            # Duplicate images can leave fewer distinct points than K; scikit-learn then
            # warns and still returns K labels.
            warnings.filterwarnings("ignore", category=ConvergenceWarning,
                                    message="Number of distinct clusters")
            model = KMeans(n_clusters=n_clusters, n_init=check_positive_int(n_init, "n_init"),
                           random_state=random_state)
        elif algorithm == "agglomerative":
            model = AgglomerativeClustering(n_clusters=n_clusters, linkage=linkage)
        else:
            if n_neighbors is None:
                n_neighbors = default_n_neighbors(n, n_clusters)
            n_neighbors = check_positive_int(n_neighbors, "n_neighbors", maximum=n - 1)
            # A k-NN graph may fall apart into pieces; each piece then ends up in its own
            # cluster(s), which is the right answer, so the warning is not shown.
            warnings.filterwarnings("ignore", category=UserWarning,
                                    message="Graph is not fully connected")
            # A square feature matrix (n images, n features) makes scikit-learn remind us that
            # it is not read as an affinity matrix; it is not, we ask for the k-NN graph.
            warnings.filterwarnings("ignore", category=UserWarning,
                                    message="The spectral clustering API has changed")
            model = SpectralClustering(n_clusters=n_clusters, affinity="nearest_neighbors",
                                       n_neighbors=n_neighbors, assign_labels="cluster_qr",
                                       random_state=random_state)
        labels = model.fit_predict(X)
    return np.asarray(labels, dtype=np.int64)


def cluster_images(images, n_clusters, features="raw", algorithm="kmeans", random_state=None,
                   **options):
    """Cluster a collection of images: features, then a clustering algorithm.

    Parameters
    ----------
    images : array of shape (n, h, w) or (n, h, w, 3), uint8 or float, any size
    n_clusters : int (numpy integers too), 1 <= n_clusters <= n
    features : {'raw', 'pca', 'nmf', 'gnmf', 'sift'}
    algorithm : {'kmeans', 'agglomerative', 'spectral'}
    random_state : None, int, numpy Generator or RandomState
        Read once, then used by the features and by the clustering.
    **options
        Feature options (``max_pixels``, ``n_components``, ``n_words``, ``normalize``, see
        ``compute_features``) and algorithm options (``n_init``, ``linkage``,
        ``n_neighbors``, see ``cluster_features``).

    Returns
    -------
    labels : ndarray of shape (n,), int
    """
    unknown = set(options) - _FEATURE_OPTIONS - _ALGORITHM_OPTIONS
    if unknown:
        raise TypeError(f"unknown option(s) {sorted(unknown)}; accepted: "
                        f"{sorted(_FEATURE_OPTIONS | _ALGORITHM_OPTIONS)}")
    _check_choice(features, "features", FEATURES)
    _check_choice(algorithm, "algorithm", ALGORITHMS)
    n = len(check_image_stack(images))
    check_n_clusters(n_clusters, n)
    # A RandomState (or a Generator, wrapped in one) is drawn from by both halves in turn.
    random_state = check_random_state(random_state, for_sklearn=True)
    X = compute_features(images, features, random_state=random_state,
                         **{k: v for k, v in options.items() if k in _FEATURE_OPTIONS})
    return cluster_features(X, n_clusters, algorithm, random_state=random_state,
                            **{k: v for k, v in options.items() if k in _ALGORITHM_OPTIONS})


def evaluate(labels_true, labels_pred, features=None):
    """Score a clustering against the true classes (and alone, given its features).

    Parameters
    ----------
    labels_true, labels_pred : array-like of shape (n,)
    features : ndarray of shape (n, n_features), optional
        The matrix that was clustered; gives the silhouette.

    Returns
    -------
    scores : dict
        'ARI' (adjusted Rand index), 'NMI' (normalised mutual information), 'accuracy'
        (after the best one-to-one matching of clusters to classes), and with ``features``
        'silhouette' (NaN when it is undefined: fewer than 2 or more than n - 1 clusters).
        All from ``lessons_src.metrics``.
    """
    scores = {
        "ARI": float(metrics.adjusted_rand_index(labels_true, labels_pred)),
        "NMI": float(metrics.normalized_mutual_info(labels_true, labels_pred)),
        "accuracy": float(metrics.clustering_accuracy(labels_true, labels_pred)),
    }
    if features is not None:
        X = check_array_2d(features, name="features")
        labels_pred = np.asarray(labels_pred)
        if len(X) != len(labels_pred):
            raise ValueError(f"features must have one row per label, got {len(X)} rows for "
                             f"{len(labels_pred)} labels")
        k = len(np.unique(labels_pred))
        scores["silhouette"] = (float(metrics.silhouette_score(X, labels_pred))
                                if 2 <= k <= len(X) - 1 else float("nan"))
    return scores
