"""lessons_src.hierarchical against scipy.cluster.hierarchy on the same inputs."""
import matplotlib.pyplot as plt
import numpy as np
import pytest
from scipy.cluster.hierarchy import dendrogram, fcluster, leaves_list, linkage
from scipy.spatial.distance import pdist, squareform
from sklearn.metrics import adjusted_rand_score

from lessons_src import hierarchical as H
from lessons_src.datasets import make_blobs_2d, make_moons_2d


def _random_sets():
    # Continuous random coordinates: no two distances tie, so the merge order is unique.
    for seed in range(4):
        rng = np.random.default_rng(seed)
        yield rng.normal(size=(30 + 7 * seed, 2 + seed % 3))
    yield make_moons_2d(n_samples=60, random_state=3)[0]
    yield make_blobs_2d(n_samples=50, random_state=4)[0]


@pytest.mark.parametrize("method", H.LINKAGES)
def test_linkage_matrix_equals_scipy(method):
    for X in _random_sets():
        Z = H.agglomerative(X, linkage=method)
        expected = linkage(X, method=method)
        assert Z.shape == expected.shape == (len(X) - 1, 4)
        # Same pairs (column 0 < column 1, new ids n, n+1, ...), same heights, same sizes.
        np.testing.assert_array_equal(Z[:, [0, 1, 3]], expected[:, [0, 1, 3]])
        np.testing.assert_allclose(Z[:, 2], expected[:, 2], rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("method", H.LINKAGES)
def test_flat_clusters_equal_fcluster(method):
    for X in _random_sets():
        Z = H.agglomerative(X, linkage=method)
        reference = linkage(X, method=method)
        n = len(X)
        for k in (1, 2, 3, 7, n):
            ours = H.flat_clusters(Z, n_clusters=k)
            theirs = fcluster(reference, k, criterion="maxclust")
            assert len(np.unique(ours)) == k
            # The same partition (numbering differs): the pair-matching contingency is a permutation.
            _, inverse = np.unique(np.c_[ours, theirs], axis=0, return_inverse=True)
            assert len(np.unique(inverse)) == k
        for height in np.quantile(reference[:, 2], [0.1, 0.5, 0.9]) + 1e-9:
            ours = H.flat_clusters(Z, height=height)
            theirs = fcluster(reference, height, criterion="distance")
            assert adjusted_rand_score(ours, theirs) == pytest.approx(1.0)
            assert len(np.unique(ours)) == len(np.unique(theirs))


def test_pairwise_distances_and_lance_williams_match_definitions():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(12, 3))
    D = H.pairwise_distances(X)
    np.testing.assert_allclose(D, squareform(pdist(X)), rtol=1e-12, atol=1e-14)
    # Lance-Williams gives the linkage distance of the union computed from the points.
    I, J, K = X[:3], X[3:8], X[8:]
    d = lambda A, B: H.pairwise_distances(np.vstack([A, B]))[: len(A), len(A):]
    union = np.vstack([I, J])
    definitions = {
        "single": d(K, union).min(), "complete": d(K, union).max(), "average": d(K, union).mean(),
    }
    linkage_of = {"single": np.min, "complete": np.max, "average": np.mean}
    for method, expected in definitions.items():
        f = linkage_of[method]
        got = H.lance_williams(np.array([f(d(K, I))]), np.array([f(d(K, J))]), f(d(I, J)),
                               len(I), len(J), np.array([len(K)]), method)
        assert got[0] == pytest.approx(expected, rel=1e-12)

    # Ward: distance = sqrt(2 * increase of the within-cluster sum of squares).
    def ward(A, B):
        merged = np.vstack([A, B])
        sse = lambda P: ((P - P.mean(0)) ** 2).sum()
        return np.sqrt(2 * (sse(merged) - sse(A) - sse(B)))

    got = H.lance_williams(np.array([ward(K, I)]), np.array([ward(K, J)]), ward(I, J),
                           len(I), len(J), np.array([len(K)]), "ward")
    assert got[0] == pytest.approx(ward(K, union), rel=1e-10)


def test_merge_history_replays_the_matrix():
    X = np.random.default_rng(1).normal(size=(9, 2))
    history = H.merge_history(X, "single")
    Z = history.linkage_matrix
    np.testing.assert_array_equal(Z, H.agglomerative(X, "single"))
    assert len(history.merges) == 8
    first = history.merges[0]
    np.testing.assert_allclose(first.distances, H.pairwise_distances(X) + np.diag(np.full(9, np.inf)))
    for merge in history.merges:
        assert isinstance(merge, H.Merge)
        assert len(merge.cluster_ids) == 9 - merge.step
        assert np.all(np.diff(merge.cluster_ids) > 0)          # clusters in increasing id order
        assert merge.left in merge.cluster_ids and merge.right in merge.cluster_ids
        assert merge.distances.min() == pytest.approx(merge.height)
        a, b = np.unravel_index(np.argmin(merge.distances), merge.distances.shape)
        assert sorted(merge.cluster_ids[[a, b]]) == [merge.left, merge.right]
        assert merge.new_id == 9 + merge.step
        np.testing.assert_allclose(Z[merge.step], [merge.left, merge.right, merge.height, merge.size])


@pytest.mark.parametrize("method", H.LINKAGES)
def test_merge_steps_distances_are_the_linkage_distances_of_the_clusters(method):
    """Every matrix the generator yields holds the linkage distance between its clusters,
    computed here from the points (for Ward: sqrt(2 x the increase of the sum of squares))."""
    X = np.random.default_rng(3).normal(size=(10, 2))
    members = {i: [i] for i in range(10)}

    def between(A, B):
        if method == "ward":
            sse = lambda P: ((P - P.mean(0)) ** 2).sum()
            return np.sqrt(2 * (sse(np.vstack([A, B])) - sse(A) - sse(B)))
        d = H.pairwise_distances(np.vstack([A, B]))[:len(A), len(A):]
        return {"single": d.min, "complete": d.max, "average": d.mean}[method]()

    steps = H.merge_steps(X, method)
    assert iter(steps) is steps                                 # a generator: one merge per next()
    for merge in steps:
        ids = merge.cluster_ids
        for r, c in zip(*np.triu_indices(len(ids), k=1)):
            expected = between(X[members[ids[r]]], X[members[ids[c]]])
            assert merge.distances[r, c] == pytest.approx(expected, rel=1e-10)
        members[merge.new_id] = members[merge.left] + members[merge.right]
        assert len(members[merge.new_id]) == merge.size
    assert merge.step == 8 and merge.size == 10


def test_merge_steps_checks_its_input_at_the_first_merge():
    steps = H.merge_steps(np.zeros((1, 2)))
    with pytest.raises(ValueError, match="at least 2"):
        next(steps)
    with pytest.raises(ValueError, match="linkage"):
        next(H.merge_steps(np.zeros((3, 2)), "centroid"))


def test_scipy_relabelling_of_out_of_order_rows():
    # Merge (0, 1) at 2.0 then (2, {0,1}) at 1.0: sorted, scipy's labelling gives these rows.
    Z = np.array([[0.0, 1.0, 2.0, 2.0], [2.0, 3.0, 1.0, 3.0]])
    got = H._scipy_order(Z, 3)
    np.testing.assert_array_equal(got, [[0.0, 2.0, 1.0, 2.0], [1.0, 3.0, 2.0, 3.0]])


def test_dendrogram_coordinates_match_scipy():
    X = np.random.default_rng(2).normal(size=(15, 2))
    Z = H.agglomerative(X, "average")
    layout = H.dendrogram_coordinates(Z)
    leaves, x, y = layout.leaves, layout.x, layout.y
    np.testing.assert_array_equal(leaves, leaves_list(linkage(X, "average")))
    drawn = dendrogram(Z, no_plot=True)
    tops = sorted((ic[1] + ic[2]) / 2 for ic in drawn["icoord"])
    np.testing.assert_allclose(sorted(x[15:]), tops)
    np.testing.assert_allclose(sorted(dc[1] for dc in drawn["dcoord"]), sorted(y[15:]))


def test_bad_input_raises_clear_errors():
    X = np.random.default_rng(0).normal(size=(5, 2))
    with pytest.raises(ValueError, match="linkage"):
        H.agglomerative(X, linkage="centroid")
    with pytest.raises(ValueError, match="at least 2"):
        H.agglomerative(X[:1])
    with pytest.raises(ValueError, match="2-D"):
        H.agglomerative(X[:, 0])
    Z = H.agglomerative(X)
    with pytest.raises(ValueError, match="exactly one"):
        H.flat_clusters(Z)
    with pytest.raises(ValueError, match="n_clusters"):
        H.flat_clusters(Z, n_clusters=6)
    assert len(np.unique(H.flat_clusters(Z, n_clusters=np.uint8(2)))) == 2


# ---- figures and slider callbacks (lesson 03), at the slider extremes ----------------------

def test_merge_step_figure_at_every_slider_value():
    from lessons_src.figures import hierarchical as P

    X = np.random.default_rng(0).uniform(0, 10, size=(8, 2))
    for method in H.LINKAGES:
        for n_merges in (-1, 0, 3, 7, 99):       # out-of-range values are clipped, never raise
            axes = P.draw_merge_step(X, n_merges, linkage=method)
            assert len(axes) == 3
        plt.close("all")
    t = 3
    axes = P.draw_merge_step(X, t, "average")
    # The matrix shows the n - t clusters left; the dendrogram draws all n - 1 merges.
    assert axes[2].images[0].get_array().shape == (8 - t, 8 - t)
    assert len(axes[1].lines) == 7 + 1         # 7 links and the current-height line
    # Into given axes (a live widget reuses its figure), and the cached replay is read-only.
    fig, given = plt.subplots(1, 3)
    assert P.draw_merge_step(X, t, "average", axes=given)[2] is given[2]
    assert len(fig.axes) == 3
    with pytest.raises(ValueError, match="read-only"):
        P._replay(X, "average").merges[0].distances[0, 1] = 0.0


def test_cut_figure_by_k_and_height_extremes():
    from lessons_src.figures import hierarchical as P

    X = make_blobs_2d(n_samples=30, random_state=0)[0]
    for k in (0, 1, 3, 30, 31):
        P.draw_cut(X, "ward", n_clusters=k)
    for height in (-1.0, 0.0, 2.0, 1e6):
        P.draw_cut(X, "single", height=height)
    axes = P.draw_cut(X, "ward", n_clusters=3)
    fig, given = plt.subplots(1, 2)
    assert P.draw_cut(X, "ward", n_clusters=3, axes=given)[1] is given[1]
    colors = {tuple(np.round(c, 3)) for c in axes[1].collections[0].get_facecolors()[:, :3]}
    assert len(colors) == 3


def test_other_hierarchical_figures():
    from lessons_src.figures import hierarchical as P

    X = make_moons_2d(n_samples=40, random_state=0)[0]
    assert len(P.plot_linkage_comparison(X, 2)) == 4
    images = np.random.default_rng(0).random((6, 4, 4))
    Z = H.agglomerative(images.reshape(6, -1), "ward")
    ax = P.plot_image_dendrogram(images, Z, labels=list("abcdef"), n_clusters=2)
    assert len(ax.artists) == 6
    axes = P.plot_cost({"a": [10, 20]}, {"a": [0.1, 0.4]}, {"a": [1e3, 4e3]})
    assert len(axes) == 2


