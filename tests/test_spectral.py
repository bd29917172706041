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


def test_pipeline_controls_rule():
    """The lesson's widget: the control the chosen graph ignores is disabled with a tooltip,
    gamma moves on a log slider, and the slider's picture follows the rule."""
    from lessons_src.figures import spectral as P
    from lessons_src.widgets import LiveFigure, dropdown, int_slider, log_slider

    live = LiveFigure(P.draw_spectral_pipeline, rules=P.spectral_pipeline_controls,
                      affinity=dropdown(["rbf", "nearest_neighbors"]),
                      gamma=log_slider(0.1, 1000, 30), n_neighbors=int_slider(1, 60, 10),
                      random_state=0)
    gamma, k = live.controls["gamma"], live.controls["n_neighbors"]
    assert k.disabled and "RBF graph ignores it" in k.tooltip and not gamma.disabled
    assert gamma.min == pytest.approx(-1) and gamma.max == pytest.approx(3)  # exponents of 10
    live.set_values(affinity="nearest_neighbors", n_neighbors=60)
    assert gamma.disabled and "k-NN graph ignores it" in gamma.tooltip and not k.disabled
    assert live.timings[-1]["values"]["n_neighbors"] == 60
    live.set_values(affinity="rbf", gamma=1000)
    assert k.disabled and not gamma.disabled and not gamma.tooltip
    plt.close("all")


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


# ---- one eigengap rule, figures that say what they show (issues 16, 19) ---------------------

def test_eigengap_rule_zero_noise_and_no_gap():
    # Rounding noise between zero eigenvalues is no gap: 3 pieces, then the jump.
    noisy = [-2e-16, 3e-16, 1e-15, 0.2, 0.25]
    assert S.eigengap(noisy) == 3
    # All zero: no gap among the values given, K is at least their number.
    assert S.eigengap(np.zeros(10)) == 10
    assert S.eigengap(np.zeros(10), max_clusters=4) == 5
    # A tiny but real eigenvalue (above ZERO_TOL) is not noise.
    assert S.eigengap([0.0, 1e-7, 1e-6, 1.0]) == 3
    # The exercise's cases keep their answers (its reference calls this function).
    for values, k in [([0.0, 0.01, 0.02, 0.6, 0.7], 3), ([0.0, 0.8, 0.9, 1.0], 1),
                      ([0.5, 0.0, 0.45, 0.02, 0.6], 2), ([0.0, 0.0, 0.0, 0.0, 0.3, 0.31], 4)]:
        assert S.eigengap(np.array(values)) == k


@pytest.mark.parametrize("bad, error", [([0.0, np.nan, 1.0], ValueError), ([0.0, np.inf], ValueError),
                                        ([[0.0, 1.0], [2.0, 3.0]], ValueError),
                                        ([0.0, 1j], TypeError), (["a", "b"], TypeError)])
def test_eigengap_refuses_what_is_not_a_spectrum(bad, error):
    with pytest.raises(error, match="eigenvalues"):
        S.eigengap(bad)


def _panel_k(ax):
    """The K an eigenvalue panel's words announce."""
    import re

    text = " ".join(t.get_text() for t in ax.texts)
    return int(re.search(r"K >?=? ?(\d+)", text).group(1))


def test_eigengap_figure_and_slider_say_the_same_k():
    """Issue 16: the static figure said K = 8 on the moons, the widget K = 4 (a cap at 5)."""
    from lessons_src.figures import spectral as P

    X, _ = make_moons_2d(n_samples=300, random_state=0)
    A = S.affinity_matrix(X, "rbf", gamma=30.0)
    eigenvalues = S.spectral_embedding(A, 10, return_eigenvalues=True).eigenvalues
    static = P.plot_eigenvalues(eigenvalues)
    for setting in (dict(gamma=30.0), dict(gamma=1000.0), dict(gamma=0.1),
                    dict(affinity="nearest_neighbors", n_neighbors=2)):
        run = P.spectral_pipeline("moons", random_state=0, **setting)
        axes = P.draw_spectral_pipeline("moons", random_state=0, **setting)
        assert _panel_k(axes[1]) == run.eigengap_k == S.eigengap(run.eigenvalues)
        plt.close("all")
    assert _panel_k(static) == S.eigengap(eigenvalues) == 8


def test_eigenvalue_panel_words_match_its_picture():
    """Issue 16: at gamma = 1000 the title said "3 component(s)" over ten eigenvalues drawn at 0
    and announced K = 5."""
    from lessons_src.figures import spectral as P

    run = P.spectral_pipeline("moons", gamma=1000.0, random_state=0)
    axes = P.draw_spectral_pipeline("moons", gamma=1000.0, random_state=0)
    zeros = int(np.sum(np.abs(run.eigenvalues) <= S.ZERO_TOL))
    assert run.n_pieces == zeros == 2
    assert f"{zeros} piece(s)" in axes[0].get_title()
    # The axis spans the values drawn: the largest fills most of the height, so the gap shows.
    drawn = axes[1].lines[0].get_ydata()
    low, high = axes[1].get_ylim()
    assert drawn.max() > 0.7 * high and low < 0
    # The arrow spans the gap the words name: between lambda_K and lambda_{K+1}.
    k = _panel_k(axes[1])
    arrow = axes[1].texts[0]
    assert arrow.xy == pytest.approx((k + 0.5, drawn[k])) and arrow.xyann[1] == pytest.approx(drawn[k - 1])
    # A shattered graph: every eigenvalue drawn is 0, the words say so and no arrow is drawn.
    axes = P.draw_spectral_pipeline("moons", "nearest_neighbors", n_neighbors=1, random_state=0)
    assert ">= 10 piece(s)" in axes[0].get_title()
    assert "no gap" in axes[1].texts[0].get_text() and len(axes[1].texts) == 1
    plt.close("all")


def test_embedding_axes_are_numbered_from_one_like_the_eigenvalues():
    from lessons_src.figures import spectral as P

    X, y = make_moons_2d(n_samples=60, random_state=0)
    E = S.spectral_embedding(S.affinity_matrix(X, "rbf", gamma=30.0), 3)
    ax = P.plot_embedding(E, y)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("$u_2$", "$u_3$")
    np.testing.assert_allclose(ax.collections[0].get_offsets(), E[:, 1:3])
    assert P.plot_eigenvalues(np.linspace(0, 1, 5)).get_xticks()[0] == 1
    plt.close("all")


def test_pipeline_colours_follow_the_true_groups():
    from lessons_src.figures import spectral as P
    from lessons_src.plotting import cluster_colors, match_labels

    for name in ("moons", "circles", "blobs"):
        run = P.spectral_pipeline(name, random_state=0, n_clusters=3)
        axes = P.draw_spectral_pipeline(name, random_state=0, n_clusters=3)
        expected = cluster_colors(match_labels(run.labels, run.y))
        for ax in axes[2:]:                    # the embedding and the plane: the same colours
            np.testing.assert_allclose(ax.collections[0].get_facecolors()[:, :3], expected)
        plt.close("all")
    run = P.spectral_pipeline("moons", random_state=0)       # K = 2 finds the moons exactly
    np.testing.assert_array_equal(run.labels, run.y)


def test_segmentation_outlines_have_their_regions_colour_and_uint16_works():
    from matplotlib.colors import to_rgb

    from lessons_src.figures import spectral as P
    from lessons_src.plotting import cluster_colors

    image = P.coins_image(scale=0.05)
    labels = P.plot_image_segmentation(image, n_clusters=6, random_state=0)
    axes = plt.gcf().axes
    region_map = axes[1].images[0].get_array()
    for region, contour in zip(np.unique(labels), axes[0].collections):
        colour = contour.get_edgecolor()[0][:3]
        np.testing.assert_allclose(colour, cluster_colors([region])[0])
        np.testing.assert_allclose(region_map[labels == region][0], colour)
    # Issue 23: a uint16 gray image gives the float image's segmentation.
    as_uint16 = np.round(image * 65535).astype(np.uint16)
    np.testing.assert_array_equal(P.plot_image_segmentation(as_uint16, n_clusters=6, random_state=0),
                                  P.plot_image_segmentation(as_uint16 / 65535.0, n_clusters=6,
                                                            random_state=0))
    plt.close("all")


# ---- bad input (issue 23) -----------------------------------------------------------------

def test_graphs_must_be_symmetric_real_matrices():
    A = np.array([[0.0, 1.0, 0.0], [2.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    for call in (S.laplacian, lambda A: S.spectral_embedding(A, 2)):
        with pytest.raises(ValueError, match="A must be symmetric"):
            call(A)
        with pytest.raises(ValueError, match="A must be symmetric"):
            call(sparse.csr_matrix(A))
        with pytest.raises(ValueError, match="complex"):
            call(A.astype(complex) + 1j * np.eye(3))
        with pytest.raises(TypeError, match="numeric"):
            call(A.astype(str))
    with pytest.raises(ValueError, match="X must be symmetric"):
        S.SpectralClustering(2, affinity="precomputed", random_state=0).fit(A)
    # Rounding-level asymmetry (a Gram matrix computed in floating point) is accepted.
    B = A + A.T
    B[0, 1] += 1e-14
    assert np.allclose(S.laplacian(B), S.laplacian(np.maximum(B, B.T)))


def test_affinity_of_huge_or_tiny_coordinates_is_the_right_answer():
    X = np.random.default_rng(0).random((12, 3)) + 0.1
    with warnings.catch_warnings():
        warnings.simplefilter("error")           # no overflow warning either
        # exp(-gamma d^2) with d ~ 1e300 is 0 off the diagonal: the identity, not NaN.
        np.testing.assert_array_equal(S.affinity_matrix(X * 1e300, "rbf", gamma=1.0), np.eye(12))
        np.testing.assert_array_equal(S.affinity_matrix(X, "rbf", gamma=1e300), np.eye(12))
        # Distances scale, the weights' inputs with them: the same graph at any scale.
        np.testing.assert_allclose(S.affinity_matrix(X * 1e-150, "rbf", gamma=1e300),
                                   S.affinity_matrix(X, "rbf", gamma=1.0), rtol=1e-12)
        for scale in (1e300, 1e-300):
            np.testing.assert_array_equal(
                S.affinity_matrix(X * scale, "nearest_neighbors", n_neighbors=4),
                S.affinity_matrix(X, "nearest_neighbors", n_neighbors=4))


@pytest.mark.parametrize("name, value", [("beta", np.inf), ("beta", np.nan), ("beta", -1.0),
                                         ("beta", "10"), ("eps", np.nan), ("eps", -1e-6)])
def test_image_affinity_parameters_are_checked(name, value):
    image = np.random.default_rng(0).random((5, 6))
    with pytest.raises((ValueError, TypeError), match=name):
        S.image_affinity(image, **{name: value})
