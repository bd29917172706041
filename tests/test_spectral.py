"""lessons_src.spectral against scikit-learn and SciPy on the same inputs."""
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest
from scipy import sparse
from scipy.sparse.csgraph import laplacian as scipy_laplacian
from sklearn.cluster import SpectralClustering as SklearnSpectral
from sklearn.feature_extraction.image import img_to_graph
from sklearn.manifold import spectral_embedding as sklearn_embedding
from sklearn.metrics import adjusted_rand_score
from sklearn.metrics.pairwise import rbf_kernel
from sklearn.neighbors import kneighbors_graph
from threadpoolctl import threadpool_limits

from lessons_src import spectral as S
from lessons_src.pipeline import cluster_features
from lessons_src.datasets import make_blobs_2d, make_circles_2d, make_moons_2d


def test_affinity_matrices_equal_sklearn():
    X, _ = make_moons_2d(n_samples=120, random_state=0)
    np.testing.assert_allclose(S.affinity_matrix(X, "rbf", gamma=3.0), rbf_kernel(X, gamma=3.0),
                               rtol=1e-12, atol=1e-14)
    for k in (1, 5, 12):
        C = kneighbors_graph(X, n_neighbors=k, include_self=True).toarray()
        np.testing.assert_array_equal(S.affinity_matrix(X, "nearest_neighbors", n_neighbors=k),
                                      0.5 * (C + C.T))


@pytest.mark.parametrize("normed", [True, False])
def test_laplacian_equals_scipy(normed):
    X, _ = make_blobs_2d(n_samples=60, random_state=0)
    A = S.affinity_matrix(X, "rbf", gamma=0.5)
    np.testing.assert_allclose(S.laplacian(A, normed=normed), scipy_laplacian(A, normed=normed),
                               atol=1e-12)
    # Sparse input gives the same matrix, sparse; an isolated node gets a zero row.
    A_iso = A.copy()
    A_iso[0, 1:] = A_iso[1:, 0] = 0.0
    L_sparse = S.laplacian(sparse.csr_matrix(A_iso), normed=normed)
    assert sparse.issparse(L_sparse)
    np.testing.assert_allclose(L_sparse.toarray(), scipy_laplacian(A_iso, normed=normed), atol=1e-12)
    np.testing.assert_allclose(S.laplacian(A_iso, normed=normed)[0], 0.0, atol=1e-15)


def test_embedding_equals_sklearn_and_eigenvalues_are_those_of_L():
    X, _ = make_circles_2d(n_samples=150, random_state=0)
    A = S.affinity_matrix(X, "rbf", gamma=20.0)
    result = S.spectral_embedding(A, 4, return_eigenvalues=True)
    ours, eigenvalues = result.embedding, result.eigenvalues
    np.testing.assert_array_equal(S.spectral_embedding(A, 4), ours)
    theirs = sklearn_embedding(A, n_components=4, drop_first=False, random_state=0)
    np.testing.assert_allclose(ours, theirs, atol=1e-7)
    np.testing.assert_allclose(eigenvalues, np.linalg.eigvalsh(S.laplacian(A))[:4], atol=1e-10)
    # The sparse (ARPACK) path agrees with the dense one, whatever its random start vector.
    for random_state in (0, 1, np.random.default_rng(2), np.random.RandomState(3)):
        sparse_embedding = S.spectral_embedding(sparse.csr_matrix(A), 4, random_state=random_state)
        np.testing.assert_allclose(sparse_embedding, ours, atol=1e-6)


@pytest.mark.parametrize("make, params", [
    (make_moons_2d, dict(affinity="rbf", gamma=50.0)),
    (make_moons_2d, dict(affinity="nearest_neighbors", n_neighbors=15)),
    (make_circles_2d, dict(affinity="rbf", gamma=50.0)),
    (make_circles_2d, dict(affinity="nearest_neighbors", n_neighbors=15)),
])
def test_spectral_clustering_agrees_with_sklearn_and_truth(make, params):
    X, y = make(n_samples=300, random_state=0)
    ours = S.SpectralClustering(np.uint8(2), random_state=np.int64(0), **params)
    labels = ours.fit_predict(X)
    with threadpool_limits(1, "openmp"), warnings.catch_warnings():
        warnings.simplefilter("error")      # a disconnected graph would warn: it must not
        reference = SklearnSpectral(n_clusters=2, random_state=0, **params).fit_predict(X)
    assert adjusted_rand_score(labels, reference) >= 0.98
    assert adjusted_rand_score(labels, y) >= 0.98
    assert ours.embedding_.shape == (300, 2) and ours.labels_.shape == (300,)
    assert ours.eigenvalues_[0] == pytest.approx(0.0, abs=1e-8)


def test_spectral_clustering_three_blobs_and_precomputed():
    X, y = make_blobs_2d(n_samples=150, n_clusters=3, random_state=0)
    A = S.affinity_matrix(X, "rbf", gamma=1.0)
    a = S.SpectralClustering(3, random_state=0).fit_predict(X)
    b = S.SpectralClustering(3, affinity="precomputed", random_state=0).fit_predict(A)
    np.testing.assert_array_equal(a, b)
    assert adjusted_rand_score(a, y) >= 0.9  # the blobs touch: a few border points may swap
    # K = n is allowed and gives one point per cluster.
    small = X[:6]
    assert len(np.unique(S.SpectralClustering(6, random_state=0).fit_predict(small))) == 6


def test_eigengap_finds_the_number_of_groups():
    X, _ = make_blobs_2d(n_samples=150, n_clusters=4, random_state=0)
    A = S.affinity_matrix(X, "rbf", gamma=1.0)
    values = np.linalg.eigvalsh(S.laplacian(A))[:10]
    assert S.eigengap(values) == 4
    assert S.eigengap([0.0, 0.0, 0.0, 0.9, 1.0]) == 3
    assert S.eigengap([0.0, 0.5, 0.6, 1.9], max_clusters=2) == 1
    with pytest.raises(ValueError):
        S.eigengap([0.0])


def test_image_affinity_matches_sklearn_gradient_graph():
    rng = np.random.default_rng(0)
    image = rng.random((7, 9))
    A = S.image_affinity(image, beta=5.0, eps=1e-6)
    graph = img_to_graph(image).tocoo()
    off = graph.row != graph.col
    steps = graph.data[off]
    expected = sparse.coo_matrix((np.exp(-5.0 * steps / steps.std()) + 1e-6,
                                  (graph.row[off], graph.col[off])), shape=A.shape).toarray()
    np.testing.assert_allclose(A.toarray(), expected, rtol=1e-12)
    assert (A != A.T).nnz == 0 and A.diagonal().sum() == 0


def test_image_segmentation_separates_two_flat_regions():
    image = np.zeros((12, 14))
    image[3:9, 4:10] = 1.0
    image += np.random.default_rng(0).normal(scale=0.02, size=image.shape)
    labels = S.SpectralClustering(2, affinity="precomputed", random_state=0).fit_predict(
        S.image_affinity(np.clip(image, 0, 1), beta=5.0))
    truth = np.zeros((12, 14), dtype=int)
    truth[3:9, 4:10] = 1
    assert adjusted_rand_score(labels, truth.ravel()) == pytest.approx(1.0)


def test_bad_input_raises_clear_errors():
    X, _ = make_moons_2d(n_samples=20, random_state=0)
    with pytest.raises(ValueError, match="affinity"):
        S.affinity_matrix(X, "cosine")
    with pytest.raises(ValueError, match="gamma"):
        S.affinity_matrix(X, "rbf", gamma=0.0)
    with pytest.raises(ValueError, match="n_neighbors"):
        S.affinity_matrix(X, "nearest_neighbors", n_neighbors=21)
    with pytest.raises(TypeError, match="n_neighbors"):
        S.affinity_matrix(X, "nearest_neighbors", n_neighbors=2.5)
    with pytest.raises(ValueError, match="n_clusters"):
        S.SpectralClustering(21).fit(X)
    with pytest.raises(ValueError, match="affinity"):
        S.SpectralClustering(2, affinity="poly").fit(X)
    with pytest.raises(ValueError, match="square"):
        S.laplacian(np.ones((3, 4)))
    with pytest.raises(ValueError, match="non-negative"):
        S.laplacian(-np.ones((3, 3)))
    with pytest.raises(ValueError, match="n_components"):
        S.spectral_embedding(np.ones((3, 3)), 4)


# ---- figures and slider callbacks (lesson 04), at the slider extremes ----------------------

def test_pipeline_figure_at_slider_extremes():
    from lessons_src.figures import spectral as P

    with warnings.catch_warnings():
        warnings.simplefilter("error")           # nothing may leak a warning to the lesson
        for gamma in (0.1, 1000.0):
            assert len(P.draw_spectral_pipeline("moons", "rbf", gamma=gamma, random_state=0)) == 4
        for k in (0, 1, 300, 400):
            assert len(P.draw_spectral_pipeline("circles", "nearest_neighbors", n_neighbors=k,
                                                random_state=0)) == 4
            plt.close("all")
        # Every data set of the menu at the K slider's ends, with the most broken graphs.
        for name in ("moons", "circles", "blobs", "anisotropic"):
            for n_clusters in (1, 8):
                P.draw_spectral_pipeline(name, "rbf", gamma=1000.0, n_clusters=n_clusters,
                                         random_state=0)
                P.draw_spectral_pipeline(name, "nearest_neighbors", n_neighbors=1,
                                         n_clusters=n_clusters, random_state=0)
                plt.close("all")
        # Into given axes (a live widget reuses them); the same int draws the same figure.
        fig, given = plt.subplots(1, 4)
        axes = P.draw_spectral_pipeline("moons", random_state=0, axes=given)
        assert axes[3] is given[3] and len(fig.axes) == 4
        again = P.draw_spectral_pipeline("moons", random_state=0)
        assert again[3].get_title() == axes[3].get_title()


def test_segmentation_figure_and_helpers():
    from lessons_src.figures import spectral as P

    image = P.coins_image(scale=0.05)
    assert image.shape == (15, 19) and 0 <= image.min() and image.max() <= 1
    for k in (0, 1, 4):
        labels = P.plot_image_segmentation(image, n_clusters=k, random_state=0)
        assert labels.shape == image.shape and len(np.unique(labels)) == max(k, 1)
    tiny = image[:3, :3]
    assert len(np.unique(P.plot_image_segmentation(tiny, n_clusters=100, random_state=0))) == 9
    X, y = make_moons_2d(n_samples=60, random_state=0)
    A = S.affinity_matrix(X, "rbf", gamma=30.0)
    P.plot_affinity_graph(X, A, labels=y, max_edges=50)
    assert P.plot_affinity_matrix(A, order=np.argsort(y)).get_array().shape == (60, 60)
    ax = P.plot_eigenvalues(np.linalg.eigvalsh(S.laplacian(A))[:10])
    assert any("K = " in text.get_text() for text in ax.texts)
    P.plot_embedding(S.spectral_embedding(A, 3), y)
    P.plot_embedding(S.spectral_embedding(A, 2), y)
    # K-Means fails on moons (the lesson's first figure).
    assert adjusted_rand_score(cluster_features(X, 2, "kmeans", random_state=0), y) < 0.6


