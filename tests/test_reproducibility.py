"""Printed results do not depend on the number of BLAS/OpenMP threads.

`make test` runs the notebooks with OMP_NUM_THREADS=1 and then 2; this is the unit-level version:
the key algorithms run under ``threadpool_limits(1)`` and ``threadpool_limits(2)`` and what a
lesson would print (rounded as the lessons round it) and the labels must agree exactly.
"""
import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from lessons_src import SEED, hierarchical, metrics, nmf, segmentation, spectral
from lessons_src.datasets import load_digits_images, make_moons_2d
from lessons_src.kmeans import KMeans


def _blobs(n=3000, d=16, k=8):
    rng = np.random.default_rng(SEED)
    centres = rng.normal(scale=3.0, size=(k, d))
    return centres[rng.integers(k, size=n)] + rng.normal(size=(n, d))


def _kmeans():
    model = KMeans(n_clusters=8, n_init=3, random_state=SEED).fit(_blobs())
    return f"inertia {model.inertia_:.4f}, {model.n_iter_} iterations", model.labels_


def _nmf():
    X = load_digits_images()[0].reshape(-1, 64)[:600]
    model = nmf.NMF(n_components=12, max_iter=80, tol=0, random_state=SEED)
    W = model.fit_transform(X)
    return f"error {model.reconstruction_err_:.4f}, sparsity {nmf.sparsity(W):.3f}", None


def _spectral():
    X, _ = make_moons_2d(n_samples=300, random_state=0)
    model = spectral.SpectralClustering(n_clusters=2, affinity="nearest_neighbors", n_neighbors=10,
                                        random_state=SEED).fit(X)
    return f"eigenvalues {np.round(model.eigenvalues_, 4)}", model.labels_


def _silhouette_and_ari():
    X = _blobs(n=800)
    labels = KMeans(n_clusters=8, random_state=SEED).fit(X).labels_
    truth = np.arange(800) % 8
    return (f"silhouette {metrics.silhouette_score(X, labels):.4f}, "
            f"ARI {metrics.adjusted_rand_index(truth, labels):.4f}"), labels


def _hierarchical():
    X = _blobs(n=150, d=4)
    Z = hierarchical.agglomerative(X, "ward")
    return f"top merges {np.round(Z[-3:, 2], 4)}", hierarchical.flat_clusters(Z, n_clusters=4)


def _segmentation():
    image = segmentation.make_texture_image(size=64, random_state=SEED)[0]
    labels = segmentation.segment_pixels(image, 3, random_state=SEED)
    return f"{np.bincount(np.ravel(labels))}", labels


@pytest.mark.parametrize("run", [_kmeans, _nmf, _spectral, _silhouette_and_ari, _hierarchical,
                                 _segmentation], ids=lambda f: f.__name__.strip("_"))
def test_same_printed_result_with_one_and_two_threads(run):
    with threadpool_limits(limits=1):
        text_1, labels_1 = run()
    with threadpool_limits(limits=2):
        text_2, labels_2 = run()
    assert text_1 == text_2
    if labels_1 is not None:
        np.testing.assert_array_equal(labels_1, labels_2)
