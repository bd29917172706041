"""Bad input gets a clear error from every public function of ``lessons_src``; numpy ints work.

Table-driven: each row of ``CASES`` is one public function with a small valid call and the roles
of its arguments (a 2-D data matrix, a non-negative matrix, a label vector, an image, a stack of
images, a count). From the roles the bad inputs are generated: wrong number of dimensions, NaN,
infinity, empty, negative values where NMF needs non-negative ones, counts that are not positive
integers or are larger than the data allow, windows larger than the image. Every one must raise
``ValueError`` or ``TypeError`` whose message names the argument (and, for a count, the value).
Every count given as ``np.uint8`` / ``np.int64`` must give exactly the result of the Python int.
"""
import dataclasses
from typing import Callable

import numpy as np
import pytest

from lessons_src import features, hierarchical, kmeans, metrics, nmf, pipeline, segmentation, spectral
from lessons_src import datasets, plotting, validation

RNG = np.random.default_rng(0)
X = RNG.random((12, 3)) + 0.1                       # 12 points, 3 features, positive
CENTERS = X[:3].copy()
LABELS = np.arange(12) % 3
W = RNG.random((12, 2)) + 0.1
H = RNG.random((2, 3)) + 0.1
IMAGE = RNG.random((24, 20, 3))
IMAGES = RNG.random((6, 8, 8))
AFFINITY = spectral.affinity_matrix(X, gamma=1.0)
Z = hierarchical.agglomerative(X, "average")


@dataclasses.dataclass
class Case:
    """One public function: a valid call, and the role of each argument we break."""
    name: str
    fn: Callable
    kwargs: dict
    roles: dict                      # argument -> 'matrix', 'nonneg', 'labels', 'image', 'images', 'square'
    counts: dict = dataclasses.field(default_factory=dict)  # count argument -> first too-large value

    def __repr__(self):
        return self.name


def _kmeans_fit(X, n_clusters=3, n_init=1, max_iter=20):
    return kmeans.KMeans(n_clusters=n_clusters, n_init=n_init, max_iter=max_iter,
                         random_state=0).fit(X).labels_


def _kmeans_predict(X):
    return kmeans.KMeans(n_clusters=3, random_state=0).fit(CENTERS + 0.0).predict(X)


def _lloyd_run(X, centers, max_iter=20):
    return list(kmeans.lloyd_steps(X, centers, max_iter=max_iter))[-1].labels


def _plusplus_picks(X, n_clusters=3):
    return [pick.index for pick in kmeans.kmeans_plusplus_picks(X, n_clusters, random_state=0)]


def _minibatch_fit(X, n_clusters=3, batch_size=4, max_steps=5):
    model = kmeans.MiniBatchKMeans(n_clusters=n_clusters, batch_size=batch_size,
                                   max_steps=max_steps, random_state=0)
    return model.fit(X).cluster_centers_


def _nmf_fit(X, n_components=2, max_iter=20):
    return nmf.NMF(n_components=n_components, max_iter=max_iter, random_state=0).fit_transform(X)


def _nmf_transform(X):
    return nmf.NMF(n_components=2, max_iter=20, random_state=0).fit(np.abs(RNG.random((8, 3)))).transform(X)


def _merge_steps(X, linkage="single"):
    return list(hierarchical.merge_steps(X, linkage))   # a generator checks at its first merge


def _spectral_fit(X, n_clusters=3, n_neighbors=4):
    return spectral.SpectralClustering(n_clusters=n_clusters, affinity="nearest_neighbors",
                                       n_neighbors=n_neighbors, random_state=0).fit(X).labels_


def _spectral_fit_precomputed(X, n_clusters=3):
    return spectral.SpectralClustering(n_clusters=n_clusters, affinity="precomputed",
                                       random_state=0).fit(X).labels_


CASES = [
    # -- kmeans ---------------------------------------------------------------------------------
    # No point or no centre gives an empty (n, k) table, which the loops rely on: "matrix_or_empty".
    Case("kmeans.squared_distances", kmeans.squared_distances, dict(X=X, centers=CENTERS),
         {"X": "matrix_or_empty", "centers": "matrix_or_empty"}),
    Case("kmeans.assign", kmeans.assign, dict(X=X, centers=CENTERS), {"X": "matrix", "centers": "matrix"}),
    Case("kmeans.compute_inertia", kmeans.compute_inertia, dict(X=X, labels=LABELS, centers=CENTERS),
         {"X": "matrix", "labels": "labels", "centers": "matrix"}),
    # More clusters than points is defined here: the empty-cluster policy places the extra centres.
    Case("kmeans.update_centers", kmeans.update_centers, dict(X=X, labels=LABELS, n_clusters=3),
         {"X": "matrix", "labels": "labels"}, {"n_clusters": None}),
    Case("kmeans.init_random", kmeans.init_random, dict(X=X, n_clusters=3, random_state=0),
         {"X": "matrix"}, {"n_clusters": 13}),
    Case("kmeans.d2_probabilities", kmeans.d2_probabilities, dict(X=X, centers=CENTERS),
         {"X": "matrix", "centers": "matrix"}),
    Case("kmeans.lloyd_steps", _lloyd_run, dict(X=X, centers=CENTERS, max_iter=20),
         {"X": "matrix", "centers": "matrix"}, {"max_iter": None}),
    Case("kmeans.kmeans_plusplus_picks", _plusplus_picks, dict(X=X, n_clusters=3),
         {"X": "matrix"}, {"n_clusters": 13}),
    Case("kmeans.init_kmeans_plusplus", kmeans.init_kmeans_plusplus, dict(X=X, n_clusters=3, random_state=0),
         {"X": "matrix"}, {"n_clusters": 13}),
    Case("kmeans.init_farthest_first", kmeans.init_farthest_first,
         dict(X=X, n_clusters=3, random_state=0), {"X": "matrix"}, {"n_clusters": 13}),
    Case("kmeans.init_by_distance", kmeans.init_by_distance,
         dict(X=X, n_clusters=3, power=1.0, random_state=0), {"X": "matrix"}, {"n_clusters": 13}),
    Case("kmeans.init_kmeans_parallel", kmeans.init_kmeans_parallel,
         dict(X=X, n_clusters=3, n_rounds=2, random_state=0), {"X": "matrix"},
         {"n_clusters": 13, "n_rounds": None}),
    Case("kmeans.minibatch_step", kmeans.minibatch_step,
         dict(X_batch=X[:6], centers=CENTERS, counts=np.ones(3)),
         {"X_batch": "matrix", "centers": "matrix"}),
    Case("kmeans.KMeans.fit", _kmeans_fit, dict(X=X, n_clusters=3, n_init=1, max_iter=20),
         {"X": "matrix"}, {"n_clusters": 13, "n_init": None, "max_iter": None}),
    Case("kmeans.KMeans.predict", _kmeans_predict, dict(X=X), {"X": "matrix"}),
    Case("kmeans.MiniBatchKMeans.fit", _minibatch_fit, dict(X=X, n_clusters=3, batch_size=4, max_steps=5),
         {"X": "matrix"}, {"n_clusters": 13, "batch_size": None, "max_steps": None}),
    # -- hierarchical ---------------------------------------------------------------------------
    Case("hierarchical.pairwise_distances", hierarchical.pairwise_distances, dict(X=X), {"X": "matrix"}),
    Case("hierarchical.agglomerative", hierarchical.agglomerative, dict(X=X, linkage="ward"), {"X": "matrix"}),
    Case("hierarchical.merge_steps", _merge_steps, dict(X=X), {"X": "matrix"}),
    Case("hierarchical.merge_history", hierarchical.merge_history, dict(X=X), {"X": "matrix"}),
    Case("hierarchical.flat_clusters", hierarchical.flat_clusters, dict(Z=Z, n_clusters=3),
         {"Z": "matrix"}, {"n_clusters": 13}),
    Case("hierarchical.check_linkage_matrix", hierarchical.check_linkage_matrix, dict(Z=Z), {"Z": "matrix"}),
    Case("hierarchical.dendrogram_coordinates", hierarchical.dendrogram_coordinates, dict(Z=Z),
         {"Z": "matrix"}),
    # -- spectral -------------------------------------------------------------------------------
    Case("spectral.affinity_matrix", spectral.affinity_matrix,
         dict(X=X, affinity="nearest_neighbors", n_neighbors=4), {"X": "matrix"}, {"n_neighbors": 13}),
    Case("spectral.image_affinity", spectral.image_affinity, dict(image=IMAGE[:6, :5, 0]), {"image": "image"}),
    Case("spectral.laplacian", spectral.laplacian, dict(A=AFFINITY), {"A": "square"}),
    Case("spectral.spectral_embedding", spectral.spectral_embedding, dict(A=AFFINITY, n_components=3),
         {"A": "square"}, {"n_components": 13}),
    Case("spectral.SpectralClustering.fit", _spectral_fit, dict(X=X, n_clusters=3, n_neighbors=4),
         {"X": "matrix"}, {"n_clusters": 13, "n_neighbors": 13}),
    Case("spectral.SpectralClustering.fit(precomputed)", _spectral_fit_precomputed,
         dict(X=AFFINITY, n_clusters=3), {"X": "square"}, {"n_clusters": 13}),
    # -- metrics --------------------------------------------------------------------------------
    # Labels are names: NaN, infinity, fractional floats and complex numbers are refused too.
    *[Case(f"metrics.{name}", getattr(metrics, name), dict(labels_true=LABELS, labels_pred=LABELS[::-1].copy()),
           {"labels_true": "class_labels", "labels_pred": "class_labels"})
      for name in ["contingency_table", "pair_counts", "rand_index", "rand_index_naive", "pair_index",
                   "expected_pair_index", "max_pair_index", "adjusted_rand_index",
                   "clustering_accuracy", "match_clusters", "mutual_info", "expected_mutual_info",
                   "normalized_mutual_info", "adjusted_mutual_info"]],
    Case("metrics.entropy", metrics.entropy, dict(labels=LABELS), {"labels": "lone_labels"}),
    Case("metrics.bootstrap_scores", lambda labels_true, n_resamples: metrics.bootstrap_scores(
        labels_true, {"one": LABELS}, n_resamples=n_resamples, random_state=0).resampled["one"],
         dict(labels_true=LABELS, n_resamples=5), {"labels_true": "class_labels"}, {"n_resamples": None}),
    Case("metrics.clustering_stability", lambda X, n_pairs: metrics.clustering_stability(
        X, lambda rows, state: np.arange(len(rows)) % 2, n_pairs=n_pairs, random_state=0),
         dict(X=X, n_pairs=3), {"X": "matrix"}, {"n_pairs": None}),
    Case("metrics.silhouette_samples", metrics.silhouette_samples, dict(X=X, labels=LABELS),
         {"X": "matrix", "labels": "class_labels"}),
    Case("metrics.silhouette_score", metrics.silhouette_score, dict(X=X, labels=LABELS),
         {"X": "matrix", "labels": "class_labels"}),
    # A precomputed distance matrix must also be non-negative and symmetric.
    *[Case(f"metrics.{fn.__name__}(precomputed)", fn,
           dict(X=hierarchical.pairwise_distances(X), labels=LABELS, metric="precomputed"),
           {"X": "distances"}) for fn in (metrics.silhouette_samples, metrics.silhouette_score)],
    # -- nmf ------------------------------------------------------------------------------------
    *[Case(f"nmf.{name}", getattr(nmf, name), dict(V=X, W=W, H=H),
           {"V": "nonneg", "W": "nonneg", "H": "nonneg"})
      for name in ["euclidean_loss", "kl_divergence", "nature1999_objective", "update_euclidean",
                   "update_kl", "update_nature1999"]],
    Case("nmf.projected_gradient_step", nmf.projected_gradient_step, dict(V=X, W=W, H=H, step=1e-3),
         {"V": "nonneg", "W": "nonneg", "H": "nonneg"}),
    Case("nmf.kl_gradient_step", nmf.kl_gradient_step, dict(V=X, W=W, H=H),
         {"V": "nonneg", "W": "nonneg", "H": "nonneg"}),
    Case("nmf.initialize", nmf.initialize, dict(V=X, n_components=2, random_state=0), {"V": "nonneg"},
         {"n_components": 4}),
    # Any real pixel values are fine (each image is standardised): only the shape matters. (NaN
    # passes through to NaN output: lesson 06 prints this function, so it is left unchanged.)
    Case("nmf.lee_seung_preprocess", nmf.lee_seung_preprocess, dict(images=IMAGES), {"images": "real_stack"}),
    Case("nmf.NMF.fit_transform", _nmf_fit, dict(X=X, n_components=2, max_iter=20), {"X": "nonneg"},
         {"n_components": 4, "max_iter": None}),
    Case("nmf.NMF.transform", _nmf_transform, dict(X=X), {"X": "nonneg"}),
    # -- segmentation ---------------------------------------------------------------------------
    Case("segmentation.integral_image", segmentation.integral_image, dict(image=IMAGE), {"image": "image"}),
    *[Case(f"segmentation.{name}", getattr(segmentation, name), dict(image=IMAGE, window=4, stride=2),
           {"image": "image"}, {"window": 21, "stride": None})
      for name in ["window_mean_features", "window_mean_features_naive", "window_std_features"]],
    Case("segmentation.window_positions", segmentation.window_positions,
         dict(image_shape=(24, 20), window=4, stride=2), {}, {"window": 21, "stride": None}),
    Case("segmentation.segment_windows", segmentation.segment_windows,
         dict(image=IMAGE, n_clusters=2, window=4, stride=4, sample_size=50, random_state=0),
         {"image": "image"},
         {"n_clusters": 31, "window": 21, "stride": None, "sample_size": None}),
    Case("segmentation.pixel_features", segmentation.pixel_features, dict(image=IMAGE), {"image": "image"}),
    Case("segmentation.segment_pixels", segmentation.segment_pixels,
         dict(image=IMAGE, n_clusters=3, sample_size=100, random_state=0), {"image": "image"},
         {"n_clusters": 481, "sample_size": None}),
    Case("segmentation.quantize_colors", segmentation.quantize_colors,
         dict(image=IMAGE, n_colors=3, sample_size=100, random_state=0), {"image": "image"},
         {"n_colors": 481, "sample_size": None}),
    # -- features -------------------------------------------------------------------------------
    Case("features.to_gray", features.to_gray, dict(images=IMAGES), {"images": "images"}),
    Case("features.raw_features", features.raw_features, dict(images=IMAGES), {"images": "images"}),
    Case("features.pca_features", features.pca_features, dict(images=IMAGES, n_components=3),
         {"images": "images"}, {"n_components": 7}),
    Case("features.nmf_features", features.nmf_features,
         dict(images=IMAGES, n_components=3, max_iter=20, random_state=0),
         {"images": "images"}, {"n_components": 7, "max_iter": None}),
    Case("features.learn_vocabulary", lambda descriptors, n_words: features.learn_vocabulary(
        descriptors, n_words, random_state=0).cluster_centers_,
         dict(descriptors=RNG.random((20, 128)), n_words=4), {"descriptors": "matrix"}, {"n_words": 21}),
    # -- pipeline -------------------------------------------------------------------------------
    Case("pipeline.prepare_images", pipeline.prepare_images, dict(images=IMAGES, max_pixels=16),
         {"images": "images"}, {"max_pixels": None}),
    Case("pipeline.compute_features", pipeline.compute_features,
         dict(images=IMAGES, features="pca", n_components=3), {"images": "images"}, {"n_components": 7}),
    Case("pipeline.cluster_features", pipeline.cluster_features,
         dict(X=X, n_clusters=3, n_init=2, random_state=0),
         {"X": "matrix"}, {"n_clusters": 13, "n_init": None}),
    Case("pipeline.cluster_images", pipeline.cluster_images,
         dict(images=IMAGES, n_clusters=2, random_state=0),
         {"images": "images"}, {"n_clusters": 7}),
    Case("pipeline.evaluate", pipeline.evaluate, dict(labels_true=LABELS, labels_pred=LABELS, features=X),
         {"labels_true": "labels", "labels_pred": "labels", "features": "matrix"}),
    # -- smaller helpers ------------------------------------------------------------------------
    Case("spectral.eigengap", spectral.eigengap, dict(eigenvalues=np.array([0.0, 0.01, 0.02, 0.9, 1.0]),
                                                      max_clusters=3), {}, {"max_clusters": 5}),
    Case("segmentation.make_texture_image", segmentation.make_texture_image,
         dict(size=16, random_state=0), {},
         {"size": None}),
    Case("features.dense_grid", features.dense_grid, dict(shape=(32, 32), step=8), {}, {"step": None}),
    Case("pipeline.default_n_neighbors", pipeline.default_n_neighbors, dict(n_samples=40, n_clusters=4),
         {}, {"n_samples": None, "n_clusters": 41}),
    Case("plotting.image_montage", plotting.image_montage, dict(images=IMAGES, n_rows=2, n_cols=3),
         {}, {"n_rows": None, "n_cols": None}),
    # -- datasets -------------------------------------------------------------------------------
    Case("datasets.make_blobs_2d", datasets.make_blobs_2d, dict(n_samples=30, n_clusters=3, random_state=0), {},
         {"n_samples": None, "n_clusters": 31}),
    Case("datasets.make_moons_2d", datasets.make_moons_2d, dict(n_samples=30, random_state=0), {}, {"n_samples": None}),
    Case("datasets.make_circles_2d", datasets.make_circles_2d, dict(n_samples=30, random_state=0), {}, {"n_samples": None}),
    Case("datasets.make_anisotropic_2d", datasets.make_anisotropic_2d, dict(n_samples=30, random_state=0), {},
         {"n_samples": None}),
    Case("datasets.make_blobs_with_outliers_2d", datasets.make_blobs_with_outliers_2d,
         dict(n_samples=30, n_outliers=2, random_state=0), {}, {"n_samples": None, "n_outliers": None}),
]


def _bad_arrays(kind, good):
    """(label, bad value, words one of which the message must contain besides the argument)."""
    good = np.asarray(good)
    if kind in ("labels", "class_labels", "lone_labels"):
        yield "2-D", good.reshape(-1, 1), ()
        if kind != "lone_labels":            # a lone label vector has no length to match
            yield "wrong length", good[:-1], ()
        yield "empty", good[:0], ()
        if kind != "labels":
            for label, value, words in [("NaN", np.nan, ("nan",)), ("inf", np.inf, ("inf",)),
                                        ("fractional", 1.5, ("1.5",))]:
                bad = good.astype(float)
                bad[1] = value
                yield label, bad, words
            yield "complex", good + 1j, ("complex",)
            yield "None among ints", np.array([None, *good[1:]], dtype=object), ("None",)
        return
    if kind == "distances":
        yield "not square", good[:, :-1], ()
        negative = good.copy()
        negative[0, 1] = negative[1, 0] = -0.5
        yield "negative", negative, ("negative",)
        asymmetric = good.copy()
        asymmetric[0, 1] += 0.5
        yield "asymmetric", asymmetric, ("symmetric",)
        with_nan = good.copy()
        with_nan[0, 1] = with_nan[1, 0] = np.nan
        yield "NaN", with_nan, ("nan", "NaN", "finite")
        yield "1-D", good[0], ()
        return
    if kind in ("image", "images"):
        yield "1-D", good.ravel(), ()
        yield "one pixel per channel too many dims", good[..., None, None], ()
        with_nan = good.astype(float).copy()
        with_nan.flat[3] = np.nan
        yield "NaN", with_nan, ("nan", "NaN")
        yield "negative", -np.ones_like(good, dtype=float), ()
        yield "empty", good[:0], ()
        yield "int8 dtype", good.astype(np.int8), ("int8", "dtype")
        return
    if kind == "real_stack":
        yield "1-D", good.ravel(), ()
        yield "4-D", good[..., None, None], ()
        yield "empty", good[:0], ()
        return
    yield "1-D", good[0], ()
    yield "3-D", good[None], ()
    for label, value in [("NaN", np.nan), ("inf", np.inf)]:
        bad = good.astype(float).copy()
        bad.flat[1] = value
        yield label, bad, ("nan", "NaN", "inf", "finite")
    if kind != "matrix_or_empty":
        yield "empty", good[:0], ()
    if kind == "nonneg":
        bad = good.astype(float).copy()
        bad.flat[2] = -0.5
        yield "negative", bad, ("-0.5", "negative")
        # Casting would drop the imaginary part (issue 23): refused, naming the argument.
        yield "complex", good + 0.5j, ("complex",)
    if kind == "square":
        yield "not square", good[:, :-1], ()


ARRAY_CASES = [pytest.param(case, arg, label, bad, words, id=f"{case.name}-{arg}-{label}")
               for case in CASES for arg, kind in case.roles.items()
               for label, bad, words in _bad_arrays(kind, case.kwargs[arg])]


@pytest.mark.parametrize("case, arg, label, bad, words", ARRAY_CASES)
def test_bad_array_is_refused_naming_the_argument(case, arg, label, bad, words):
    with pytest.raises((ValueError, TypeError)) as info:
        case.fn(**{**case.kwargs, arg: bad})
    message = str(info.value)
    assert arg in message, f"{case.name}({arg}=<{label}>) message does not name {arg!r}: {message}"
    if words:
        assert any(w in message for w in words), f"{case.name}: {message!r} lacks one of {words}"


# Counts for which 0 is a valid value.
ZERO_ALLOWED = {("datasets.make_blobs_with_outliers_2d", "n_outliers")}
# Every count's message names that count (quantize_colors says n_colors, not its K-Means' n_clusters).
ARGUMENT_NAME_IN_MESSAGE = {}


def _bad_counts(case, arg):
    good = case.kwargs[arg]
    if (case.name, arg) not in ZERO_ALLOWED:
        yield "zero", 0, ValueError
    yield "negative", -2, ValueError
    # A float or a string: TypeError, or ValueError where strings are options too (n_init='auto')
    # or where scikit-learn's parameter validation answers (an InvalidParameterError).
    yield "float", 2.5, (TypeError, ValueError)
    yield "string", str(good), (TypeError, ValueError)
    if case.counts[arg] is not None:
        yield "too large", case.counts[arg], ValueError


COUNT_CASES = [pytest.param(case, arg, label, bad, exc, id=f"{case.name}-{arg}-{label}")
               for case in CASES for arg in case.counts for label, bad, exc in _bad_counts(case, arg)]


@pytest.mark.parametrize("case, arg, label, bad, exc", COUNT_CASES)
def test_bad_count_is_refused_naming_argument_and_value(case, arg, label, bad, exc):
    with pytest.raises(exc) as info:
        case.fn(**{**case.kwargs, arg: bad})
    message = str(info.value)
    name = ARGUMENT_NAME_IN_MESSAGE.get((case.name, arg), arg)
    assert name in message, f"{case.name}({arg}={bad!r}) message does not name {name!r}: {message}"
    assert str(bad) in message, f"{case.name}({arg}={bad!r}) message does not show the value: {message}"


def _same(a, b):
    if isinstance(a, (tuple, list)):
        assert type(a) is type(b) and len(a) == len(b)
        for x, y in zip(a, b):
            _same(x, y)
    elif isinstance(a, dict):
        assert a.keys() == b.keys()
        for key in a:
            _same(a[key], b[key])
    elif hasattr(a, "__dict__") and not isinstance(a, np.ndarray):
        _same(vars(a), vars(b))
    else:
        np.testing.assert_array_equal(a, b)


NUMPY_INT_CASES = [pytest.param(case, arg, dtype, id=f"{case.name}-{arg}-{dtype.__name__}")
                   for case in CASES for arg in case.counts for dtype in (np.uint8, np.int64)]


@pytest.mark.parametrize("case, arg, dtype", NUMPY_INT_CASES)
def test_numpy_integer_counts_give_the_same_result(case, arg, dtype):
    expected = case.fn(**case.kwargs)
    got = case.fn(**{**case.kwargs, arg: dtype(case.kwargs[arg])})
    _same(got, expected)


# --- Image formats: gray, RGB, RGBA; uint8, uint16, bool, float in [0, 1] or [0, 255] --------------
# Each image function must give, for every accepted encoding of the same picture, exactly what it
# gives for the float [0, 1] encoding; anything else must be refused with a message naming the
# image and what is wrong with it (its dtype, shape or value range).
_U8_RGB = RNG.integers(0, 256, size=(24, 20, 3), dtype=np.uint8)
_U8_GRAY = RNG.integers(0, 256, size=(24, 20), dtype=np.uint8)
_BOOL = RNG.random((24, 20)) > 0.5


def _encodings_rgb():
    reference = _U8_RGB / 255.0
    alpha = RNG.integers(0, 256, size=(24, 20, 1), dtype=np.uint8)
    return reference, {
        "uint8 RGB": _U8_RGB,
        "uint16 RGB": _U8_RGB.astype(np.uint16) * 257,
        "float [0, 255] RGB": _U8_RGB.astype(np.float64),
        "float32 [0, 1] RGB": (_U8_RGB / 255.0).astype(np.float32),
        "uint8 RGBA": np.concatenate([_U8_RGB, alpha], axis=2),
        "float RGBA": np.concatenate([_U8_RGB, alpha], axis=2) / 255.0,
    }


def _encodings_gray():
    reference = _U8_GRAY / 255.0
    return reference, {
        "uint8 gray (H, W)": _U8_GRAY,
        "uint8 gray (H, W, 1)": _U8_GRAY[:, :, None],
        "uint16 gray": _U8_GRAY.astype(np.uint16) * 257,
        "float [0, 255] gray": _U8_GRAY.astype(np.float64),
        "float gray (H, W, 1)": (_U8_GRAY / 255.0)[:, :, None],
    }


def _encodings_bool():
    return _BOOL.astype(np.float64), {"bool gray": _BOOL}


IMAGE_FUNCTIONS = {
    "segmentation.integral_image": segmentation.integral_image,
    "segmentation.window_mean_features": lambda image: segmentation.window_mean_features(image, 4, 2),
    "segmentation.window_std_features": lambda image: segmentation.window_std_features(image, 4, 2),
    "segmentation.pixel_features": lambda image: segmentation.pixel_features(image, use_position=True),
    "segmentation.segment_windows": lambda image: segmentation.segment_windows(
        image, 2, window=4, stride=4, sample_size=200, random_state=0),
    "segmentation.segment_pixels": lambda image: segmentation.segment_pixels(
        image, 2, sample_size=200, random_state=0),
    "segmentation.quantize_colors": lambda image: segmentation.quantize_colors(
        image, 2, sample_size=200, random_state=0),
    "spectral.image_affinity": lambda image: spectral.image_affinity(image).toarray(),
}

# Stack functions see n copies of the picture (slightly shifted, so that PCA has variance).
STACK_FUNCTIONS = {
    "features.to_gray": features.to_gray,
    "features.resize_images": lambda images: features.resize_images(images, (9, 7)),
    "features.sift_working_images": lambda images: features.sift_working_images(images)[0],
    "validation.image_stack_chunks": lambda images: np.concatenate(     # one image a chunk
        [chunk for _, chunk in validation.image_stack_chunks(images, max_pixels=1)[1]]),
    "features.raw_features": features.raw_features,
    "features.pca_features": lambda images: features.pca_features(images, 2),
    "pipeline.prepare_images": lambda images: pipeline.prepare_images(images, max_pixels=120),
    "pipeline.compute_features": lambda images: pipeline.compute_features(images, "raw", max_pixels=120),
    "pipeline.cluster_images": lambda images: pipeline.cluster_images(images, 2, max_pixels=120,
                                                                      random_state=0),
}


def _stack(image):
    return np.stack([np.roll(image, shift, axis=1) for shift in range(4)])


FORMAT_CASES = [pytest.param(name, encodings, label, id=f"{name}-{label}")
                for name in list(IMAGE_FUNCTIONS) + list(STACK_FUNCTIONS)
                for encodings in (_encodings_rgb, _encodings_gray, _encodings_bool)
                for label in encodings()[1]]


def _close(a, b):
    if isinstance(a, (tuple, list)):
        for x, y in zip(a, b, strict=True):
            _close(x, y)
    else:
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name, encodings, label", FORMAT_CASES)
def test_every_image_encoding_gives_the_float_result(name, encodings, label):
    reference, variants = encodings()
    image = variants[label]
    if name in IMAGE_FUNCTIONS:
        fn = IMAGE_FUNCTIONS[name]
    else:
        fn = STACK_FUNCTIONS[name]
        image, reference = _stack(image), _stack(reference)
    _close(fn(image), fn(reference))


REFUSED_IMAGES = {
    "int8": (_U8_GRAY.astype(np.int8), "dtype"),
    "int32": (_U8_GRAY.astype(np.int32), "dtype"),
    "complex": (_U8_GRAY.astype(np.complex128), "dtype"),
    "negative float": (_U8_GRAY / 255.0 - 0.5, "range"),
    "float above 255": (_U8_GRAY * 2.0, "range"),
    "two channels": (np.zeros((24, 20, 2)), "shape"),
    "five channels": (np.zeros((24, 20, 5)), "shape"),
    "empty": (np.zeros((0, 20, 3)), "empty"),
}


@pytest.mark.parametrize("label", list(REFUSED_IMAGES))
@pytest.mark.parametrize("name", list(IMAGE_FUNCTIONS) + list(STACK_FUNCTIONS))
def test_unsupported_images_are_refused_clearly(name, label):
    image, word = REFUSED_IMAGES[label]
    if name in STACK_FUNCTIONS:
        fn, image = STACK_FUNCTIONS[name], _stack(image) if image.shape[0] else image[None]
        argument = "images"
    else:
        fn, argument = IMAGE_FUNCTIONS[name], "image"
    with pytest.raises((ValueError, TypeError)) as info:
        fn(image)
    message = str(info.value)
    assert argument in message and word in message, f"{name}({label}): {message}"
