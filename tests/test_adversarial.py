"""Adversarial battery: every public callable, hostile values for every argument, one rule.

The rule (package docstring): a public function or estimator either returns a finite, valid
answer or raises ``ValueError`` / ``TypeError`` naming the argument. Never a hang, a NaN, an
obscure ``IndexError`` deep inside, or a silent guess.

How the battery is built:

* ``PUBLIC`` is found by introspection: every callable in the ``__all__`` of every module of
  ``lessons_src``. Each one is either in ``SPECS`` (a small valid call) or in ``NOT_BATTERED``
  with the reason; ``test_every_public_callable_is_accounted_for`` fails on a new name.
* Each argument's *kind* comes from its name (``KIND_BY_NAME``; a spec may override it). Each kind
  has a table of hostile values (``hostile_values``), each tagged:
  ``refuse`` (NaN, infinity, complex, strings, wrong dimension, fractional or bool counts, bad
  random states: must raise naming the argument), ``accept`` (numpy integers, every kind of
  random state, uint16 images: must give a finite answer), ``either`` (empty, one sample, huge,
  tiny, integer dtypes: a finite answer or a clear refusal).
* Every case runs under a time limit (``CASE_SECONDS``, a SIGALRM timer), so a loop without
  bound fails the case instead of hanging the suite. ComplexWarning is an error (a dropped
  imaginary part is a silent guess).
* One test per callable loops over its arguments and hostile values and reports every broken
  case at once. The whole battery takes well under a minute.
"""
import dataclasses
import functools
import inspect
import math
import resource
import signal
import time
import warnings
from collections.abc import Callable

import numpy as np
import pytest
from scipy import sparse

import lessons_src
from lessons_src import (caching, datasets, features, hierarchical, kmeans, metrics, nmf, pipeline,
                         plotting, scale, segmentation, spectral, teaching, threads, timing,
                         validation, widgets)

MODULES = [caching, datasets, features, hierarchical, kmeans, metrics, nmf, pipeline, plotting,
           scale, segmentation, spectral, teaching, threads, timing, validation, widgets]

CASE_SECONDS = 3.0
CASE_MEMORY = 2 * 1024 ** 3

# ------------------------------------------------------------------------------------------------
# Small valid data
# ------------------------------------------------------------------------------------------------
_RNG = np.random.default_rng(0)
X = _RNG.random((12, 3)) + 0.1
C = X[[0, 5, 9]].copy()
LAB = np.arange(12) % 3
W = _RNG.random((12, 2)) + 0.1
H = _RNG.random((2, 3)) + 0.1
IMAGE = _RNG.random((12, 10, 3))
GRAY_IMAGE = _RNG.random((6, 5))
IMAGES = _RNG.random((6, 8, 8))
SIFT_IMAGES = _RNG.random((3, 16, 16))
GRAY = _RNG.random((2, 32, 32))
POSITIONS = features.dense_grid((32, 32), step=12)
Z = hierarchical.agglomerative(X, "average")
AFFINITY = spectral.affinity_matrix(X, gamma=1.0)
DISTANCES = hierarchical.pairwise_distances(X)
GRAPH = nmf.neighbor_graph(X, n_neighbors=3).toarray()
VEC = _RNG.random(6) + 0.1
DESCRIPTORS = _RNG.random((20, 16))
COUNTS = np.array([[2.0, 0, 1], [0, 3, 1], [1, 1, 0]])


def _cluster_halves(rows, state):
    return np.arange(len(rows)) % 2


def _squares(A):
    return float((A ** 2).sum())


@dataclasses.dataclass
class Spec:
    """A valid call of one public callable: ``call(**kwargs)``.

    ``kinds`` overrides the kind found from an argument's name (``None`` leaves it alone);
    ``names`` lists other words a refusal may use to name an argument (for ``(name, alias)``);
    ``finite`` False when the answer holds infinities by design.
    """
    kwargs: dict
    call: Callable = None
    kinds: dict = dataclasses.field(default_factory=dict)
    names: dict = dataclasses.field(default_factory=dict)
    finite: bool = True
    valid: set = dataclasses.field(default_factory=set)   # (arg, label) valid here: "either"


def _fit(cls, method="fit", data="X", **init):
    """A call that builds ``cls(**init)`` and calls ``method`` on the data argument."""
    def call(**kwargs):
        data_value = kwargs.pop(data)
        model = cls(**kwargs)
        return getattr(model, method)(data_value)
    call.__name__ = f"{cls.__name__}.{method}"
    return call


def _listed(fn):
    """Generators: drain them, so that the checks of the first step run."""
    @functools.wraps(fn)
    def call(**kwargs):
        return list(fn(**kwargs))
    return call


_PAIR = dict(labels_true=LAB, labels_pred=LAB[::-1].copy())
_NMF3 = dict(V=X, W=W, H=H)

SPECS = {
    # -- datasets ------------------------------------------------------------------------------
    "datasets.load_cbcl_faces": Spec({}),
    "datasets.load_orl_faces": Spec({}),
    "datasets.load_digits_images": Spec({}),
    "datasets.load_image": Spec(dict(name=datasets.IMAGE_NAMES[0])),
    "datasets.make_blobs_2d": Spec(dict(n_samples=30, n_clusters=3, cluster_std=0.8, random_state=0)),
    "datasets.make_moons_2d": Spec(dict(n_samples=30, noise=0.06, random_state=0)),
    "datasets.make_circles_2d": Spec(dict(n_samples=30, noise=0.05, factor=0.45, random_state=0)),
    "datasets.make_anisotropic_2d": Spec(dict(n_samples=30, random_state=0)),
    "datasets.make_unequal_2d": Spec(dict(random_state=0)),
    "datasets.make_blobs_with_outliers_2d": Spec(
        dict(n_samples=30, n_outliers=3, outlier_distance=12.0, random_state=0),
        kinds=dict(n_outliers="count0")),
    "datasets.make_rays_2d": Spec(dict(n_per_ray=10, angles=(0.3, 1.3, 2.4), spread=0.08,
                                       random_state=0), kinds=dict(angles="vector")),
    "datasets.make_near_far_2d": Spec(dict(n_per_group=10, random_state=0)),
    "datasets.replay_set": Spec(dict(name=next(iter(datasets.REPLAY_SETS)))),
    "datasets.load_face_matrix": Spec(dict(name="cbcl", n_faces=5, random_state=0)),
    # -- features ------------------------------------------------------------------------------
    "features.to_gray": Spec(dict(images=IMAGES)),
    "features.resize_images": Spec(dict(images=IMAGES, size=(4, 4))),
    "features.raw_features": Spec(dict(images=IMAGES)),
    "features.pca_features": Spec(dict(images=IMAGES, n_components=2, random_state=0, whiten=False)),
    "features.nmf_features": Spec(dict(images=IMAGES, n_components=2, random_state=0, max_iter=10)),
    "features.sift_working_size": Spec(dict(shape=(8, 8), min_size=32, max_size=48)),
    "features.sift_working_images": Spec(dict(images=SIFT_IMAGES, step=8)),
    "features.dense_grid": Spec(dict(shape=(32, 32), step=8)),
    "features.dense_sift_descriptors": Spec(dict(gray=GRAY, positions=POSITIONS)),
    "features.learn_vocabulary": Spec(
        dict(descriptors=DESCRIPTORS, n_words=3, random_state=0, max_descriptors=100),
        call=lambda **kw: features.learn_vocabulary(**kw).cluster_centers_),
    "features.sift_bovw_features": Spec(dict(images=SIFT_IMAGES, n_words=3, random_state=0)),
    # The bag-of-words recipe: descriptors may have any leading shape (..., d).
    "features.root_sift": Spec(dict(descriptors=DESCRIPTORS),
                               valid={("descriptors", "1-D"), ("descriptors", "3-D")}),
    "features.word_counts": Spec(dict(words=[np.array([0, 1, 1]), np.array([2]), np.zeros(0, int)],
                                      n_words=3), kinds=dict(words=None)),
    "features.tfidf_weights": Spec(dict(counts=COUNTS), kinds=dict(counts="nonneg")),
    "features.weight_histograms": Spec(dict(counts=COUNTS, tfidf=True, norm="l2"),
                                       kinds=dict(counts="nonneg", tfidf="flag", norm="option")),
    "features.keypoint_sift_descriptors": Spec(dict(images=SIFT_IMAGES)),
    "features.keypoint_bovw_features": Spec(
        dict(descriptors=[_RNG.random((4, 128)), _RNG.random((3, 128))], n_words=3, random_state=0),
        kinds=dict(descriptors=None)),
    # -- hierarchical --------------------------------------------------------------------------
    "hierarchical.pairwise_distances": Spec(dict(X=X)),
    "hierarchical.lance_williams": Spec(dict(d_ki=VEC, d_kj=VEC[::-1].copy(), d_ij=0.5, n_i=1, n_j=2,
                                             n_k=np.ones(6), linkage="ward"),
                                        kinds=dict(d_ki="vector", d_kj="vector", n_k="vector")),
    "hierarchical.merge_steps": Spec(dict(X=X, linkage="single"), call=_listed(hierarchical.merge_steps),
                                     finite=False),
    "hierarchical.linkage_matrix": Spec(dict(merges=list(hierarchical.merge_steps(X, "single"))),
                                        kinds=dict(merges="sequence")),
    "hierarchical.check_linkage_matrix": Spec(dict(Z=Z)),
    "hierarchical.agglomerative": Spec(dict(X=X, linkage="ward")),
    "hierarchical.merge_history": Spec(dict(X=X, linkage="single"), finite=False),
    "hierarchical.flat_clusters": Spec(dict(Z=Z, n_clusters=3)),
    "hierarchical.flat_clusters(height)": Spec(dict(Z=Z, height=0.5),
                                               call=hierarchical.flat_clusters),
    "hierarchical.dendrogram_coordinates": Spec(dict(Z=Z)),
    # -- kmeans --------------------------------------------------------------------------------
    "kmeans.squared_distances": Spec(dict(X=X, centers=C)),
    "kmeans.assign": Spec(dict(X=X, centers=C, metric="euclidean")),
    "kmeans.compute_inertia": Spec(dict(X=X, labels=LAB, centers=C)),
    "kmeans.update_centers": Spec(dict(X=X, labels=LAB, n_clusters=3)),
    "kmeans.lloyd_steps": Spec(dict(X=X, centers=C, max_iter=5, tol=0.0),
                               call=_listed(kmeans.lloyd_steps)),
    "kmeans.init_random": Spec(dict(X=X, n_clusters=3, random_state=0)),
    "kmeans.d2_probabilities": Spec(dict(X=X, centers=C, sample_weight=np.ones(12)),
                                    kinds=dict(sample_weight="weights")),
    "kmeans.kmeans_plusplus_picks": Spec(dict(X=X, n_clusters=3, random_state=0, n_local_trials=1),
                                         call=_listed(kmeans.kmeans_plusplus_picks)),
    "kmeans.init_kmeans_plusplus": Spec(dict(X=X, n_clusters=3, random_state=0, n_local_trials=1)),
    "kmeans.init_by_distance": Spec(dict(X=X, n_clusters=3, power=1.0, distance_to="nearest",
                                         random_state=0), valid={("power", "inf")}),  # farthest-first
    "kmeans.init_farthest_first": Spec(dict(X=X, n_clusters=3, random_state=0)),
    "kmeans.init_kmeans_parallel": Spec(dict(X=X, n_clusters=3, oversampling_factor=2.0, n_rounds=2,
                                             random_state=0)),
    "kmeans.minibatch_step": Spec(dict(X_batch=X[:6], centers=C, counts=np.ones(3)),
                                  kinds=dict(counts="weights")),
    "kmeans.KMeans": Spec(dict(X=X, n_clusters=3, init="k-means++", n_init=1, max_iter=20, tol=1e-4,
                               metric="euclidean", random_state=0), call=_fit(kmeans.KMeans)),
    "kmeans.MiniBatchKMeans": Spec(dict(X=X, n_clusters=3, batch_size=4, max_steps=5,
                                        init="k-means++", random_state=0),
                                   call=_fit(kmeans.MiniBatchKMeans)),
    # -- metrics -------------------------------------------------------------------------------
    **{f"metrics.{name}": Spec(dict(_PAIR)) for name in [
        "contingency_table", "pair_counts", "rand_index", "rand_index_naive", "pair_index",
        "expected_pair_index", "max_pair_index", "adjusted_rand_index", "clustering_accuracy",
        "match_clusters", "mutual_info", "expected_mutual_info"]},
    "metrics.normalized_mutual_info": Spec(dict(_PAIR, average_method="arithmetic")),
    "metrics.adjusted_mutual_info": Spec(dict(_PAIR, average_method="arithmetic")),
    "metrics.silhouette_from_distances": Spec(dict(D=DISTANCES, labels=LAB), kinds=dict(D="distances")),
    "metrics.silhouette_samples": Spec(dict(X=X, labels=LAB, metric="euclidean")),
    "metrics.silhouette_score": Spec(dict(X=X, labels=LAB, sample_size=None, random_state=0)),
    "metrics.silhouette_score(precomputed)": Spec(dict(X=DISTANCES, labels=LAB, metric="precomputed"),
                                                  call=metrics.silhouette_score,
                                                  kinds=dict(X="distances")),
    "metrics.entropy": Spec(dict(labels=LAB)),
    "metrics.hypergeometric_pmf": Spec(dict(k=1, n=10, a=3, b=4),
                                       kinds=dict(k="count0", n="count", a="count0", b="count0"),
                                       valid={("k", "negative"), ("k", "array")}),  # P = 0 outside
    "metrics.bootstrap_scores": Spec(dict(labels_true=LAB, labelings={"one": LAB}, n_resamples=5,
                                          random_state=0)),
    "metrics.clustering_stability": Spec(dict(X=X, cluster=_cluster_halves, n_pairs=3, subsample=0.8,
                                              random_state=0)),
    # -- nmf -----------------------------------------------------------------------------------
    **{f"nmf.{name}": Spec(dict(_NMF3)) for name in [
        "euclidean_loss", "kl_divergence", "nature1999_objective", "update_euclidean", "update_kl",
        "update_nature1999", "update_hals"]},
    "nmf.euclidean_auxiliary": Spec(dict(v=X[:, 0].copy(), W=W, h=H[:, 0].copy(), h_t=H[:, 1].copy()),
                                    kinds=dict(v="nonneg_vector", h="vector", h_t="nonneg_vector")),
    "nmf.run_updates": Spec(dict(update=nmf.update_euclidean, V=X, W=W, H=H, max_iter=3, tol=0.0),
                            kinds=dict(max_iter="count0")),
    "nmf.projected_gradient_step": Spec(dict(_NMF3, step=1e-3), kinds=dict(step="real")),
    "nmf.kl_gradient_step": Spec(dict(_NMF3)),
    "nmf.finite_difference_gradient": Spec(dict(objective=_squares, A=W, step=1e-6),
                                           kinds=dict(A="matrix", step="real"),
                                           valid={("A", "1-D"), ("A", "3-D")}),   # any shape
    "nmf.initialize": Spec(dict(V=X, n_components=2, method="nndsvda", random_state=0)),
    "nmf.sparsity": Spec(dict(A=W, threshold=1e-6), kinds=dict(A="matrix"),
                         valid={("A", "1-D"), ("A", "3-D")}),                 # any shape
    "nmf.lee_seung_preprocess": Spec(dict(images=IMAGES), kinds=dict(images="real_stack")),
    "nmf.NMF": Spec(dict(X=X, n_components=2, loss="euclidean", init="nndsvda", max_iter=10, tol=1e-4,
                         random_state=0), call=_fit(nmf.NMF), kinds=dict(X="nonneg")),
    "nmf.beta_divergence_entries": Spec(dict(V=X, Y=W @ H, beta=1.0), kinds=dict(Y="nonneg"),
                                        valid={("V", "3-D"), ("Y", "3-D")}),   # entry by entry
    "nmf.beta_divergence": Spec(dict(_NMF3, beta=1.0)),
    "nmf.mm_exponent": Spec(dict(beta=1.0)),
    "nmf.update_beta": Spec(dict(_NMF3, beta=1.0)),
    "nmf.hoyer_sparseness": Spec(dict(x=VEC), kinds=dict(x="vector")),
    "nmf.project_sparseness": Spec(dict(x=VEC, sparseness=0.5), kinds=dict(x="vector")),
    "nmf.update_sparse": Spec(dict(_NMF3, sparseness=0.5, step_size=1e-3)),
    "nmf.sparse_nmf": Spec(dict(_NMF3, sparseness=0.5, n_iter=3)),
    "nmf.neighbor_graph": Spec(dict(X=X, n_neighbors=3)),
    "nmf.gnmf_objective": Spec(dict(X=X, W=W, H=H, A=GRAPH, lambda_=1.0),
                               kinds=dict(X="nonneg", A="affinity")),
    "nmf.update_gnmf": Spec(dict(X=X, W=W, H=H, A=GRAPH, lambda_=1.0),
                            kinds=dict(X="nonneg", A="affinity")),
    "nmf.GNMF": Spec(dict(X=X, n_components=2, n_neighbors=3, lambda_=1.0, max_iter=5, random_state=0),
                     call=_fit(nmf.GNMF), kinds=dict(X="nonneg")),
    # -- pipeline ------------------------------------------------------------------------------
    "pipeline.prepare_images": Spec(dict(images=IMAGES, max_pixels=16)),
    "pipeline.compute_features": Spec(dict(images=IMAGES, features="pca", random_state=0,
                                           max_pixels=64, n_components=2)),
    "pipeline.default_n_neighbors": Spec(dict(n_samples=12, n_clusters=3)),
    "pipeline.cluster_features": Spec(dict(X=X, n_clusters=3, algorithm="kmeans", random_state=0,
                                           n_init=2)),
    "pipeline.cluster_images": Spec(dict(images=IMAGES, n_clusters=2, features="raw",
                                         algorithm="kmeans", random_state=0)),
    "pipeline.evaluate": Spec(dict(labels_true=LAB, labels_pred=LAB[::-1].copy(), features=X),
                              kinds=dict(features="matrix"), valid={("features", "None")}),
    # -- scale ---------------------------------------------------------------------------------
    "scale.noisy_copies_block": Spec(dict(base=X, block_index=0, copies_per_block=2, noise=0.1,
                                          random_state=0), kinds=dict(block_index="count0")),
    "scale.chunked_inertia": Spec(dict(chunks=[X[:6], X[6:]], centers=C, squared=True),
                                  kinds=dict(chunks="sequence")),
    "scale.match_centers": Spec(dict(reference=C, other=C[::-1].copy()),
                                kinds=dict(reference="matrix", other="matrix")),
    "scale.ChunkReadCounter": Spec(dict(n_chunks=3)),
    # -- segmentation --------------------------------------------------------------------------
    "segmentation.integral_image": Spec(dict(image=IMAGE)),
    **{f"segmentation.{name}": Spec(dict(image=IMAGE, window=4, stride=2)) for name in [
        "window_mean_features", "window_mean_features_naive", "window_std_features"]},
    "segmentation.window_positions": Spec(dict(image_shape=(12, 10), window=4, stride=2)),
    "segmentation.paint_window_labels": Spec(dict(window_labels=np.arange(20).reshape(5, 4) % 3,
                                                  image_shape=(12, 10), window=4, stride=2),
                                             kinds=dict(window_labels="label_grid"),
                                             valid={("window_labels", "fractional")}),  # values
    "segmentation.segment_windows": Spec(dict(image=IMAGE, n_clusters=2, window=4, stride=4,
                                              random_state=0, sample_size=50)),
    "segmentation.pixel_features": Spec(dict(image=IMAGE, use_position=True, position_weight=1.0)),
    "segmentation.segment_pixels": Spec(dict(image=IMAGE, n_clusters=2, use_position=True,
                                             position_weight=1.0, random_state=0, sample_size=50)),
    "segmentation.quantize_colors": Spec(dict(image=IMAGE, n_colors=2, random_state=0, sample_size=50)),
    "segmentation.make_texture_image": Spec(dict(size=32, random_state=0), kinds=dict(size="count")),
    # -- spectral ------------------------------------------------------------------------------
    "spectral.affinity_matrix": Spec(dict(X=X, affinity="rbf", gamma=1.0)),
    "spectral.affinity_matrix(knn)": Spec(dict(X=X, affinity="nearest_neighbors", n_neighbors=4),
                                          call=spectral.affinity_matrix),
    "spectral.image_affinity": Spec(dict(image=GRAY_IMAGE, beta=10.0, eps=1e-6),
                                    call=lambda **kw: spectral.image_affinity(**kw).toarray()),
    "spectral.laplacian": Spec(dict(A=AFFINITY, normed=True)),
    "spectral.spectral_embedding": Spec(dict(A=AFFINITY, n_components=2, random_state=0)),
    "spectral.eigengap": Spec(dict(eigenvalues=np.array([0.0, 0.01, 0.02, 0.9, 1.0]), max_clusters=3),
                              kinds=dict(eigenvalues="vector")),
    "spectral.SpectralClustering": Spec(dict(X=X, n_clusters=3, affinity="rbf", gamma=1.0,
                                             random_state=0),
                                        call=_fit(spectral.SpectralClustering)),
    "spectral.SpectralClustering(precomputed)": Spec(
        dict(X=AFFINITY, n_clusters=3, affinity="precomputed", random_state=0),
        call=_fit(spectral.SpectralClustering), kinds=dict(X="affinity", affinity=None)),
    # -- validation ----------------------------------------------------------------------------
    "validation.check_positive_int": Spec(dict(value=3, name="value"), kinds=dict(value="count", name=None)),
    "validation.check_array_2d": Spec(dict(X=X)),
    "validation.check_n_clusters": Spec(dict(n_clusters=3, n_samples=12), kinds=dict(n_samples=None)),
    "validation.check_image": Spec(dict(image=IMAGE)),
    "validation.check_image_stack": Spec(dict(images=IMAGES)),
    "validation.image_stack_chunks": Spec(dict(images=IMAGES, max_pixels=128),
                                          call=lambda **kw: [chunk for _, chunk in
                                                             validation.image_stack_chunks(**kw)[1]]),
    "validation.check_random_state": Spec(dict(random_state=0), finite=False),
    # Internal shape check after check_array_2d: only the dimension and the columns are its job.
    "validation.check_n_features": Spec(dict(X=X, n_features_in=3, estimator_name="KMeans"),
                                        kinds=dict(X=None, n_features_in=None)),
    "validation.check_number": Spec(dict(value=1.5, name="value"), kinds=dict(value="real", name=None)),
    "validation.check_real_array": Spec(dict(array=X, name="array", ndim=2),
                                        kinds=dict(array="matrix", name=None)),
    "validation.check_shape": Spec(dict(shape=(3, 4))),
    # The light check of loops: no pass over the data (NaN, shapes and sizes are the caller's).
    "validation.as_real_array": Spec(dict(array=X, name="array"), kinds=dict(array="matrix", name=None),
                                     valid={("array", label) for label in
                                            ("NaN", "inf", "1-D", "3-D", "None")}, finite=False),
}

NOT_BATTERED = {
    # Result records (NamedTuples and dataclasses): they hold answers, they do not compute.
    **{name: "a result record" for name in [
        "features.BagOfWords", "hierarchical.Merge", "hierarchical.MergeHistory",
        "hierarchical.DendrogramLayout", "kmeans.CenterUpdate", "kmeans.LloydStep", "kmeans.Seeding",
        "kmeans.PlusPlusPick", "kmeans.ParallelSeeding", "kmeans.MiniBatchUpdate",
        "metrics.PairCounts", "metrics.BootstrapScores", "nmf.Factors", "nmf.Auxiliary",
        "nmf.UpdateRun", "nmf.SparseStep", "nmf.SparseNMFResult", "segmentation.WindowSegmentation",
        "segmentation.Quantization", "spectral.Embedding", "plotting.Legibility",
        "teaching.CheckResult", "teaching.Advice", "teaching.Case", "teaching.Mistake",
        "validation.NotFittedError"]},
    # Figures, widgets and the teaching machinery: drawing, not computing; their own tests
    # (test_plotting*, test_widgets, test_teaching, test_exercises) call them at range ends.
    **{f"plotting.{name}": "drawing (test_plotting*)" for name in [
        "apply_style", "presenting", "figure_legibility", "cluster_colors", "match_labels",
        "show_images", "image_montage", "plot_clusters", "plot_voronoi", "data_window", "plot_message",
        "plot_kmeans_state", "basis_montage"]},
    **{f"widgets.{name}": "widgets (test_widgets)" for name in [
        "int_slider", "float_slider", "log_slider", "dropdown", "checkbox", "enabled",
        "interactive_figure", "LiveFigure"]},
    **{f"teaching.{name}": "teaching machinery (test_teaching, test_exercises)" for name in [
        "show_source", "Exercise", "solution_source", "student_edition", "write_student_notebook"]},
    "caching.lru_cache_arrays": "a decorator (test_caching)",
    "caching.read_only": "marks arrays read-only (test_caching)",
    "threads.limit_lesson_threads": "thread policy, no data argument",
    "threads.for_problem_size": "thread policy (test_teaching)",
    "timing.median_seconds": "times a callable (test_bench)",
    "timing.peak_bytes": "measures a callable (test_bench)",
    # File and Dask plumbing of lesson 12: paths and dask arrays, tested in test_scale.
    "scale.write_noisy_copies": "writes a file (test_scale)",
    "scale.iter_row_chunks": "reads a file (test_scale)",
    "scale.noisy_copies_dask": "builds a Dask graph (test_scale)",
    "scale.counted_dask_array": "wraps a Dask array (test_scale)",
}

# Cases that still break the rule, each with why it is not fixed yet: none today (issue 23's 46
# open cases are fixed). A case not listed here fails its test; a listed case that keeps the rule
# again is reported by a warning (remove it). Shape: {"module.name": {(argument, label), ...}}.
KNOWN_BROKEN = {}

KIND_BY_NAME = {
    **dict.fromkeys(["X", "X_batch", "centers", "descriptors", "base", "D", "reference", "other"],
                    "matrix"),
    **dict.fromkeys(["V", "W", "H"], "nonneg"),
    **dict.fromkeys(["labels", "labels_true", "labels_pred"], "labels"),
    "A": "affinity",
    "image": "image",
    "images": "images",
    "gray": "real_stack",
    "positions": "positions",
    **dict.fromkeys(["shape", "size", "image_shape"], "shape"),
    **dict.fromkeys(["n_clusters", "n_components", "n_init", "max_iter", "n_words", "n_samples",
                     "n_neighbors", "window", "stride", "sample_size", "batch_size", "max_steps",
                     "n_rounds", "n_resamples", "n_pairs", "max_pixels", "step", "n_per_ray",
                     "n_per_group", "n_faces", "n_iter", "max_descriptors", "min_size", "max_size",
                     "n_local_trials", "batch", "copies_per_block", "n_chunks", "max_clusters"],
                    "count"),
    **dict.fromkeys(["gamma", "beta", "tol", "noise", "cluster_std", "position_weight", "power",
                     "lambda_", "sparseness", "outlier_distance", "subsample", "oversampling_factor",
                     "factor", "spread", "threshold", "eps", "step_size", "d_ij", "sigma", "n_i",
                     "n_j"], "real"),
    "random_state": "random_state",
    **dict.fromkeys(["linkage", "metric", "init", "affinity", "loss", "features", "algorithm",
                     "method", "distance_to", "backend", "average_method", "name"], "option"),
    **dict.fromkeys(["whiten", "normed", "use_position", "return_details", "squared"], "flag"),
}
ARRAY_KINDS = {"matrix", "nonneg", "vector", "nonneg_vector", "affinity", "distances", "weights"}
# Iteration counts: a huge value is legitimately slow, so it is not tried.
ITERATION_COUNTS = {"n_init", "max_iter", "max_steps", "n_rounds", "n_resamples", "n_pairs", "n_iter",
                    "batch", "n_local_trials", "copies_per_block", "n_per_ray", "n_per_group",
                    "n_samples", "size", "max_descriptors", "max_pixels", "max_size", "min_size"}


# ------------------------------------------------------------------------------------------------
# Hostile values, per kind: (label, value, expectation), expectation in refuse / accept / either
# ------------------------------------------------------------------------------------------------
def _with(array, index, value):
    out = np.array(array, dtype=float)
    out[index] = value
    return out


def _common_array_values(v):
    corner = (0,) * v.ndim
    yield "NaN", _with(v, corner, np.nan), "refuse"
    yield "inf", _with(v, corner, np.inf), "refuse"
    yield "complex", v + 1j, "refuse"
    yield "strings", v.astype(str), "refuse"
    yield "objects", np.full(v.shape, None, dtype=object), "refuse"
    yield "None", None, "refuse"
    yield "huge", v * 1e300, "either"
    yield "tiny", v * 1e-300, "either"
    yield "float32", v.astype(np.float32), "either"
    yield "list", v.tolist(), "either"


def _matrix_values(v, nonneg=False):
    yield from _common_array_values(v)
    yield "1-D", v.ravel(), "refuse"
    yield "3-D", v[None], "refuse"
    yield "ragged", [[1.0, 2.0], [3.0]], "refuse"
    yield "empty", v[:0], "either"
    yield "one sample", v[:1], "either"
    yield "int dtype", np.rint(v * 10).astype(np.int64), "either"
    yield "bool", v > np.median(v), "either"
    if v.ndim == 2:
        yield "sparse", sparse.csr_matrix(v), "either"
    if nonneg:
        yield "negative", -v, "refuse"


def _square_values(v, kind):
    yield from _common_array_values(v)
    yield "1-D", v.ravel(), "refuse"
    yield "not square", v[:, :-1], "refuse"
    yield "asymmetric", v + np.triu(np.ones_like(v), 1), "refuse"
    yield "negative", -v, "refuse" if kind in ("distances", "affinity") else "either"
    yield "empty", v[:0, :0], "either"
    yield "one sample", v[:1, :1], "either"


def _vector_values(v, nonneg=False):
    yield from _common_array_values(v)
    yield "2-D", v[None], "either" if v.ndim == 0 else "refuse"
    yield "empty", v[:0], "either"
    yield "one value", v[:1], "either"
    if nonneg:
        yield "negative", -v, "refuse"


def _label_values(v):
    yield "NaN", _with(v, 0, np.nan), "refuse"
    yield "inf", _with(v, 0, np.inf), "refuse"
    yield "fractional", v + 0.5, "refuse"
    yield "complex", v + 1j, "refuse"
    yield "objects", np.array([None, {}] * (len(v) // 2), dtype=object), "refuse"
    yield "None", None, "refuse"
    yield "2-D", v[None], "refuse"
    yield "short", v[:-1], "either"
    yield "empty", v[:0], "either"
    yield "float integral", v.astype(float), "either"
    yield "negative", v - 5, "either"
    yield "strings", np.array([f"c{x}" for x in v]), "either"
    yield "uint8", v.astype(np.uint8), "either"


def _image_values(v):
    yield from _common_array_values(v)
    yield "1-D", v.ravel(), "refuse"
    yield "4-D", v[None, None], "refuse"
    yield "empty", v[:0], "refuse"
    yield "negative", -v, "refuse"
    yield "int32", (v * 255).astype(np.int32), "refuse"
    yield "uint16", (v * 65535).astype(np.uint16), "accept"
    yield "uint8", (v * 255).astype(np.uint8), "accept"
    yield "bool", v > 0.5, "accept"
    yield "one pixel", v[:1, :1], "either"


def _images_values(v):
    yield from _image_values(v)
    yield "one image", v[:1], "either"
    yield "one RGB image", _RNG.random((8, 8, 3)), "refuse"


def _count_values(v, arg, zero_allowed=False):
    yield "zero", 0, "either" if zero_allowed else "refuse"
    yield "negative", -1, "refuse"
    yield "fractional", v + 0.5, "refuse"
    yield "float", float(v), "refuse"
    yield "string", str(v), "refuse"
    yield "bool", True, "refuse"
    yield "NaN", math.nan, "refuse"
    yield "complex", complex(v, 1), "refuse"
    yield "array", np.array([v, v]), "refuse"
    yield "np.int64", np.int64(v), "accept"
    if 0 <= v < 256:
        yield "np.uint8", np.uint8(v), "accept"
    if arg not in ITERATION_COUNTS:
        yield "huge", 10 ** 9, "either"


def _real_values(v):
    yield "NaN", math.nan, "refuse"
    yield "inf", math.inf, "refuse"
    yield "-inf", -math.inf, "refuse"
    yield "string", str(v), "refuse"
    yield "bool", True, "refuse"
    yield "complex", complex(v, 1), "refuse"
    yield "array", np.array([v, v]), "refuse"
    yield "np.float32", np.float32(v), "accept"
    yield "np.float64", np.float64(v), "accept"
    yield "zero", 0.0, "either"
    yield "negative", -abs(v) - 1.0, "either"
    yield "huge", 1e300, "either"
    yield "tiny", 1e-300, "either"


def _random_state_values():
    yield "None", None, "accept"
    yield "int", 7, "accept"
    yield "np.int64", np.int64(7), "accept"
    yield "np.uint32", np.uint32(7), "accept"
    yield "Generator", np.random.default_rng(7), "accept"
    yield "RandomState", np.random.RandomState(7), "accept"
    yield "negative", -1, "refuse"
    yield "too large", 2 ** 40, "refuse"
    yield "float", 1.5, "refuse"
    yield "string", "0", "refuse"
    yield "bool", True, "refuse"
    yield "object", object(), "refuse"


def _option_values(v):
    yield "unknown", "no-such-option", "refuse"
    yield "number", 3, "refuse"
    yield "list", [v], "refuse"
    yield "empty", "", "refuse"


def _flag_values(v):
    yield "np.bool_", np.bool_(v), "accept"
    yield "int", int(bool(v)), "either"


def _shape_values(v):
    yield "zero", (0,) + tuple(v[1:]), "refuse"
    yield "negative", (-1,) + tuple(v[1:]), "refuse"
    yield "fractional", (v[0] + 0.5,) + tuple(v[1:]), "refuse"
    yield "one number", v[0], "refuse"
    yield "string", "ab", "refuse"
    yield "None", None, "refuse"
    yield "np.int64", tuple(np.int64(side) for side in v), "accept"


def _positions_values(v):
    yield "fractional", v + 0.5, "refuse"
    yield "outside", v + 1000, "refuse"
    yield "NaN", _with(v, (0, 0), np.nan), "refuse"
    yield "1-D", v.ravel(), "refuse"
    yield "3 columns", np.c_[v, v[:, :1]], "refuse"
    yield "complex", v + 1j, "refuse"
    yield "empty", v[:0], "either"


def _weights_values(v):
    # None is the default (equal weights), so it is not hostile here.
    yield from (case for case in _vector_values(v, nonneg=True) if case[0] != "None")
    yield "wrong length", v[:-1], "refuse"
    yield "column", v[:, None], "refuse"
    yield "zeros", v * 0, "either"


def _sequence_values(v):
    yield "empty", [], "either"
    yield "None", None, "refuse"
    yield "numbers", [1, 2, 3], "refuse"


def _label_grid_values(v):
    yield "NaN", _with(v, (0, 0), np.nan), "refuse"
    yield "fractional", v + 0.5, "refuse"
    yield "1-D", v.ravel(), "refuse"
    yield "wrong grid", v[:-1], "refuse"
    yield "None", None, "refuse"


def hostile_values(kind, arg, value):
    """The hostile values of one argument, from its kind and its valid value."""
    if kind == "matrix":
        return _matrix_values(np.asarray(value))
    if kind == "nonneg":
        return _matrix_values(np.asarray(value), nonneg=True)
    if kind in ("affinity", "distances", "square"):
        return _square_values(np.asarray(value), kind)
    if kind == "vector":
        return _vector_values(np.asarray(value, dtype=float))
    if kind == "nonneg_vector":
        return _vector_values(np.asarray(value, dtype=float), nonneg=True)
    if kind == "weights":
        return _weights_values(np.asarray(value, dtype=float))
    if kind == "labels":
        return _label_values(np.asarray(value))
    if kind == "image":
        return _image_values(np.asarray(value))
    if kind == "images":
        return _images_values(np.asarray(value))
    if kind == "real_stack":
        return _matrix_values(np.asarray(value))
    if kind == "positions":
        return _positions_values(np.asarray(value))
    if kind == "count":
        return _count_values(value, arg)
    if kind == "count0":
        return _count_values(value, arg, zero_allowed=True)
    if kind == "real":
        return _real_values(value)
    if kind == "random_state":
        return _random_state_values()
    if kind == "option":
        return _option_values(value)
    if kind == "flag":
        return _flag_values(value)
    if kind == "shape":
        return _shape_values(value)
    if kind == "sequence":
        return _sequence_values(value)
    if kind == "label_grid":
        return _label_grid_values(np.asarray(value))
    raise KeyError(kind)


# ------------------------------------------------------------------------------------------------
# The rule
# ------------------------------------------------------------------------------------------------
class CaseTimeout(BaseException):
    """Raised by the alarm: a BaseException, so that no ``except Exception`` swallows it."""


def _on_alarm(signum, frame):
    raise CaseTimeout()


def _limit_memory():
    """Cap the address space at its current size + ``CASE_MEMORY`` bytes for one case (a request
    for 10**9 components gets a MemoryError, which breaks the rule, instead of swapping the
    machine); returns the previous limits, to restore."""
    previous = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as statm:
        current = int(statm.read().split()[0]) * resource.getpagesize()
    soft = current + CASE_MEMORY
    if previous[1] == resource.RLIM_INFINITY or soft < previous[1]:
        resource.setrlimit(resource.RLIMIT_AS, (soft, previous[1]))
    return previous


def _nonfinite(obj, path="result", depth=0):
    """The path of a NaN or infinity inside a result, or None."""
    if depth > 6 or obj is None or isinstance(obj, (str, bytes, bool, int, np.integer, np.bool_)):
        return None
    if isinstance(obj, (float, np.floating, complex, np.complexfloating)):
        return None if np.isfinite(obj) else path
    if sparse.issparse(obj):
        return _nonfinite(obj.data, path + ".data", depth + 1)
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind in "fc":
            return None if np.all(np.isfinite(obj)) else path
        if obj.dtype.kind == "O":
            for i, item in enumerate(obj.ravel()[:50]):
                bad = _nonfinite(item, f"{path}[{i}]", depth + 1)
                if bad:
                    return bad
        return None
    if isinstance(obj, (list, tuple)):
        names = getattr(obj, "_fields", None)
        for i, item in enumerate(obj[:50]):
            bad = _nonfinite(item, f"{path}.{names[i]}" if names else f"{path}[{i}]", depth + 1)
            if bad:
                return bad
        return None
    if isinstance(obj, dict):
        for key, item in list(obj.items())[:50]:
            bad = _nonfinite(item, f"{path}[{key!r}]", depth + 1)
            if bad:
                return bad
        return None
    if dataclasses.is_dataclass(obj):
        return _nonfinite({f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}, path, depth)
    if hasattr(obj, "get_params"):          # an estimator: its fitted attributes
        fitted = {k: v for k, v in vars(obj).items() if k.endswith("_") and not k.startswith("_")}
        return _nonfinite(fitted, path, depth)
    return None


def _words_for(arg, spec):
    words = {arg} | set(spec.names.get(arg, ()))
    if arg in ("X", "V"):
        words |= {"X", "V"} if arg == "V" else set()
    return words


def run_case(spec, arg, value, expectation, label="", kind=None):
    """None when the case keeps the rule, else a one-line description of what went wrong."""
    kwargs = {**spec.kwargs, arg: value}
    old = signal.signal(signal.SIGALRM, _on_alarm)
    memory = _limit_memory()
    signal.setitimer(signal.ITIMER_REAL, CASE_SECONDS)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", np.exceptions.ComplexWarning)
            result = spec.call(**kwargs)
    except CaseTimeout:
        return f"no answer within {CASE_SECONDS} s (a loop without bound?)"
    except (ValueError, TypeError) as exc:
        if isinstance(exc, np.exceptions.ComplexWarning):
            return "ComplexWarning: the imaginary part was dropped"
        if expectation == "accept":
            return f"valid input refused: {type(exc).__name__}: {exc}"
        message = str(exc)
        # A refusal must name the argument; an 'either' value (one sample, empty, huge...) may be
        # refused for its combination with another argument, which the message may name instead.
        # Huge data refused is refused for its own magnitude: the message names it.
        strict = expectation == "refuse" or label == "huge" and kind in ARRAY_KINDS
        words = _words_for(arg, spec) if strict else set(kwargs)
        if not any(word in message for word in words):
            return f"{type(exc).__name__} does not name {arg!r}: {message[:160]}"
        return None
    except Exception as exc:                 # noqa: BLE001 - any other exception breaks the rule
        return f"{type(exc).__name__} instead of ValueError/TypeError: {str(exc)[:160]}"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        resource.setrlimit(resource.RLIMIT_AS, memory)
    if expectation == "refuse":
        return f"accepted silently (expected a ValueError/TypeError naming {arg!r})"
    if spec.finite:
        bad = _nonfinite(result)
        if bad:
            return f"returned NaN or infinity in {bad}"
    return None


# ------------------------------------------------------------------------------------------------
# Collection
# ------------------------------------------------------------------------------------------------
def public_callables():
    found = {}
    for module in MODULES:
        short = module.__name__.rsplit(".", 1)[1]
        for name in module.__all__:
            obj = getattr(module, name)
            if callable(obj):
                found[f"{short}.{name}"] = obj
    return found


PUBLIC = public_callables()


def _resolve(key, spec):
    if spec.call is None:
        spec.call = PUBLIC[key]
    return spec


def _kinds(spec):
    kinds = {}
    for arg, value in spec.kwargs.items():
        kind = spec.kinds.get(arg, KIND_BY_NAME.get(arg))
        if arg in spec.kinds and spec.kinds[arg] is None:
            kind = None
        if kind is not None and not (value is None and kind not in ("random_state",)):
            kinds[arg] = kind
    return kinds


def test_every_public_callable_is_accounted_for():
    missing = sorted(set(PUBLIC) - set(SPECS) - set(NOT_BATTERED))
    assert not missing, f"public callables with neither a battery spec nor a reason: {missing}"
    stale = sorted(key.split("(")[0] for key in SPECS if key.split("(")[0] not in PUBLIC)
    assert not stale, f"specs of names that are not public: {stale}"


@pytest.mark.parametrize("key", sorted(SPECS))
def test_valid_call_gives_a_finite_answer(key):
    spec = _resolve(key, SPECS[key])
    if spec.kwargs:
        arg = next(iter(spec.kwargs))
        problem = run_case(spec, arg, spec.kwargs[arg], "accept")
    else:
        result = spec.call()
        problem = _nonfinite(result) if spec.finite else None
    assert problem is None, f"{key}: the valid call itself: {problem}"


def broken_cases(key):
    """The cases of one callable that break the rule: {(arg, label): what went wrong}."""
    spec = _resolve(key, SPECS[key])
    broken = {}
    for arg, kind in _kinds(spec).items():
        for label, value, expectation in hostile_values(kind, arg, spec.kwargs[arg]):
            if (arg, label) in spec.valid:
                expectation = "either"
            problem = run_case(spec, arg, value, expectation, label, kind)
            if problem:
                broken[arg, label] = f"({kind}, {expectation}): {problem}"
    return broken


@pytest.mark.parametrize("key", sorted(SPECS))
def test_hostile_arguments_get_an_answer_or_a_clear_error(key):
    broken = broken_cases(key)
    known = KNOWN_BROKEN.get(key, set())
    new = {case: text for case, text in broken.items() if case not in known}
    assert not new, (f"{key}: {len(new)} case(s) break the rule:\n  "
                     + "\n  ".join(f"{arg}=<{label}> {text}" for (arg, label), text in new.items()))
    fixed = sorted(known - set(broken))
    if fixed:
        warnings.warn(f"{key}: now keep the rule, remove them from KNOWN_BROKEN: {fixed}")


def test_the_package_states_the_rule():
    doc = lessons_src.__doc__
    assert "ValueError" in doc and "TypeError" in doc and "finite" in doc


def test_cyclic_linkage_matrix_is_refused_quickly():
    start = time.perf_counter()
    with pytest.raises(ValueError, match="Z"):
        hierarchical.dendrogram_coordinates(np.array([[0., 1, 1, 2], [4, 2, 2, 3]]))
    assert time.perf_counter() - start < 1.0


# ------------------------------------------------------------------------------------------------
# The exercise checkers: whatever a student's function does, "Not yet" with what went wrong
# ------------------------------------------------------------------------------------------------
class _Unarrayable:
    """An answer NumPy cannot read: __array__ raises, and so do comparisons and float()."""
    def __array__(self, *args, **kwargs):
        raise RuntimeError("no array here")

    def __eq__(self, other):
        raise RuntimeError("no comparison here")

    __hash__ = object.__hash__

    def __float__(self):
        raise RuntimeError("no float here")


class _WeirdFloat(float):
    """A float whose comparisons raise."""
    def __eq__(self, other):
        raise ZeroDivisionError("weird")

    __hash__ = float.__hash__


_STUDENT_ANSWERS = {
    "an object NumPy cannot read": lambda *args: _Unarrayable(),
    "a float subclass whose == raises": lambda *args: _WeirdFloat(1.0),
    "a huge array": lambda *args: np.zeros((1000, 1000)),
    "ragged lists": lambda *args: [[1.0, 2.0], [3.0]],
    "complex numbers": lambda *args: np.array([1 + 1j, 2 - 1j]),
    "a set": lambda *args: {1, 2, 3},
    "SystemExit-free MemoryError": lambda *args: (_ for _ in ()).throw(MemoryError("student")),
    "an OverflowError": lambda *args: math.exp(1000),
}


def _exercises():
    import importlib
    import pkgutil

    import lessons_src.exercises as package
    found = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"lessons_src.exercises.{info.name}")
        found += list(getattr(module, "EXERCISES", ()))
    return found


@pytest.mark.parametrize("exercise", _exercises(), ids=lambda ex: ex.name)
def test_checkers_say_not_yet_whatever_the_student_function_does(exercise):
    for label, student in _STUDENT_ANSWERS.items():
        result = exercise.check(student)
        assert isinstance(result, teaching.CheckResult), label
        assert not result and result.message.startswith("Not yet"), (label, result.message)
