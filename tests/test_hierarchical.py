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
    # The matrix shows each distance between the n - t clusters left once (rows 1.., columns
    # ..n-t-2, the lower triangle); the dendrogram draws all n - 1 merges.
    shown = axes[2].images[0].get_array()
    assert shown.shape == (8 - t - 1, 8 - t - 1)
    assert np.ma.count(shown) == (8 - t) * (8 - t - 1) // 2 == len(axes[2].texts)
    assert len(axes[1].lines) == 7 + 1         # 7 links and the current-height line
    # Into given axes (a live widget reuses its figure), and the cached replay is read-only.
    fig, given = plt.subplots(1, 3)
    assert P.draw_merge_step(X, t, "average", axes=given)[2] is given[2]
    assert len(fig.axes) == 3
    with pytest.raises(ValueError, match="read-only"):
        P._replay(X, "average").merges[0].distances[0, 1] = 0.0


@pytest.fixture
def lesson_style():
    """The lessons' rcParams (lessons_src.preamble sets them), restored afterwards."""
    from lessons_src.plotting import apply_style

    saved = plt.rcParams.copy()
    apply_style(presenting=False)
    yield
    plt.rcParams.update(saved)
    plt.close("all")


def test_merge_step_figure_is_legible_and_keeps_cluster_colours(lesson_style):
    from lessons_src.figures import hierarchical as P
    from lessons_src.plotting import MIN_TEXT_PT, figure_legibility

    X = np.round(np.random.default_rng(0).uniform(0, 10, size=(8, 2)), 1)  # lesson 03's points
    previous = None
    for t in range(8):
        axes = P.draw_merge_step(X, t, "single")
        measured = figure_legibility(axes[0].figure)
        assert measured.fits and measured.smallest_text_pt >= MIN_TEXT_PT - 1e-6, (t, measured)
        colours = axes[0].collections[0].get_facecolors()[:, :3]
        if previous is not None:
            # A merge recolours only the points of the new cluster: every other point keeps its
            # colour (the clusters are named after the step before, plotting.match_labels).
            Z = H.agglomerative(X, "single")
            labels = H.flat_clusters(Z, n_clusters=8 - t)
            others = labels != labels[_a_leaf(Z, 8 + t - 1)]     # outside the new cluster
            np.testing.assert_allclose(colours[others], previous[others])
        previous = colours
        plt.close("all")


def _a_leaf(Z, node):
    n = len(Z) + 1
    while node >= n:
        node = int(Z[node - n, 0])
    return node


def test_cut_colours_are_stable_and_distinct_at_every_k():
    from lessons_src.figures import hierarchical as P
    from lessons_src.plotting import CLUSTER_COLORS

    X = make_blobs_2d(n_samples=40, random_state=0)[0]        # lesson 03's slider data
    for method in H.LINKAGES:
        Z = H.agglomerative(X, method)
        previous = None
        for k in range(1, 41):
            colors = P.cut_colors(Z, k)
            labels = H.flat_clusters(Z, n_clusters=k)
            sizes = np.bincount(labels)
            # Exactly the clusters of one point are gray; the others get distinct palette
            # colours (the 30 colours cover every K of the slider), one per cluster.
            assert np.array_equal(colors < 0, sizes[labels] == 1)
            named = colors >= 0
            assert len(set(zip(labels[named], colors[named]))) == len(set(labels[named]))
            assert len(set(colors[named])) == len(set(labels[named]))
            assert colors.max() < len(CLUSTER_COLORS)
            if previous is not None:
                # K -> K + 1 splits one cluster: every point outside it keeps its colour.
                split = H.flat_clusters(Z, n_clusters=k - 1)
                parents = [c for c in np.unique(split) if len(np.unique(labels[split == c])) == 2]
                assert len(parents) == 1
                kept = (split != parents[0]) & (colors >= 0) & (previous >= 0)
                np.testing.assert_array_equal(colors[kept], previous[kept])
            previous = colors


def test_cut_figure_colours_both_panels_alike_at_k_21():
    from lessons_src.figures import hierarchical as P
    from lessons_src.plotting import NOISE_COLOR

    X = make_blobs_2d(n_samples=40, random_state=0)[0]
    axes = P.draw_cut(X, "ward", n_clusters=21)
    points = axes[1].collections[0].get_facecolors()[:, :3]
    Z = H.agglomerative(X, "ward")
    labels = H.flat_clusters(Z, n_clusters=21)
    alone = np.bincount(labels)[labels] == 1
    np.testing.assert_allclose(points[alone], np.tile(NOISE_COLOR, (alone.sum(), 1)))
    # Not gray: the clusters of 2+ points, one colour each, distinct.
    assert len({tuple(c) for c in np.round(points[~alone], 4)}) == len(np.unique(labels[~alone]))
    assert not np.any(np.all(np.isclose(points[~alone], NOISE_COLOR), axis=1))
    # The dendrogram's link above a point's leaf has the point's colour.
    layout = H.dendrogram_coordinates(Z)
    link_colour = {}
    for line in axes[0].lines[:-1]:
        xs = line.get_xdata()
        for x_leaf in (xs[0], xs[-1]):
            link_colour.setdefault(round(float(x_leaf), 6), np.asarray(plt.matplotlib.colors.to_rgb(line.get_color())))
    for leaf in np.flatnonzero(~alone):
        x_leaf = round(float(layout.x[leaf]), 6)
        np.testing.assert_allclose(link_colour[x_leaf], points[leaf], atol=1e-6)
    plt.close("all")


def test_linkage_comparison_colours_the_same_group_alike():
    from lessons_src.figures import hierarchical as P

    rng = np.random.default_rng(0)
    left, right = rng.normal([-3, 0], 0.6, (60, 2)), rng.normal([3, 0], 0.6, (60, 2))
    bridge = np.c_[np.linspace(-2.2, 2.2, 12), rng.normal(0, 0.05, 12)]
    X = np.vstack([left, right, bridge])
    axes = P.plot_linkage_comparison(X, 2)
    colours = [ax.collections[0].get_facecolors()[:, :3] for ax in axes]
    # complete, average, ward each put each group in one cluster: the same colour in all three.
    for group in (slice(0, 60), slice(60, 120)):
        reference = colours[1][group][0]
        for panel in colours[1:]:
            np.testing.assert_allclose(panel[group], np.tile(reference, (60, 1)))
    assert not np.allclose(colours[1][0], colours[1][60])
    # With a reference: the colours follow it (the moons' truth in the lesson).
    moons, truth = make_moons_2d(n_samples=60, random_state=0)
    single = P.plot_linkage_comparison(moons, 2, linkages=("single",), reference=truth)[0]
    from lessons_src.plotting import cluster_colors
    np.testing.assert_allclose(single.collections[0].get_facecolors()[:, :3], cluster_colors(truth))
    labels = P.cut_by_linkage(moons, 2)
    with pytest.raises(ValueError, match="read-only"):
        labels["single"][0] = 5
    plt.close("all")


def test_cut_height_slider_spans_the_tree_of_each_linkage():
    """The rule's range: 0 to a bit above the last merge of the linkage shown, ~60 round steps;
    at its top one cluster, just below the last merge two; switching linkage clamps the value."""
    from lessons_src.figures import hierarchical as P
    from lessons_src.widgets import LiveFigure, dropdown, float_slider
    import ipywidgets

    X = make_blobs_2d(n_samples=40, random_state=0)[0]        # lesson 03's slider data
    for method in H.LINKAGES:
        top = H.agglomerative(X, method)[-1, 2]
        span = P.cut_height_range(X, method)
        assert span["min"] == 0 and top < span["max"] <= 1.25 * top
        assert 30 <= span["max"] / span["step"] <= 150
        assert P.draw_cut(X, method, height=span["max"])[1].get_title() == "1 cluster(s)"
        assert P.draw_cut(X, method, height=0.0)[1].get_title().startswith("40 cluster(s)")
        plt.close("all")
    live = LiveFigure(P.draw_cut, rules=P.cut_height_controls, X=ipywidgets.fixed(X),
                      linkage=dropdown(list(H.LINKAGES), "ward"),
                      height=float_slider(0.0, 16.0, 6.0, step=0.25))
    height = live.controls["height"]
    assert height.max == P.cut_height_range(X, "ward")["max"]
    live.set_values(height=height.max)
    live.set_values(linkage="single")
    single = P.cut_height_range(X, "single")
    assert (height.max, height.step) == (single["max"], single["step"])
    assert height.value <= single["max"]
    assert live.timings[-1]["values"]["height"] <= single["max"]
    live.set_values(linkage="ward")
    assert height.max == P.cut_height_range(X, "ward")["max"]
    plt.close("all")


def test_measure_cost_gives_medians_per_size_in_cpu_time():
    from lessons_src.figures import hierarchical as P

    calls = []
    methods = {"sleepy": (lambda X: (calls.append(len(X)), __import__("time").sleep(0.002)),
                          [2, 4]),
               "busy": (lambda X: sum(range(2000 * len(X))), [1, 4, 16])}
    sizes, seconds, memory = P.measure_cost(methods, np.zeros((16, 2)), repeat=3, max_seconds=1)
    assert sizes == {"sleepy": [2, 4], "busy": [1, 4, 16]}
    assert set(calls) == {2, 4}
    assert all(t < 0.001 for t in seconds["sleepy"])     # sleeping costs no CPU time
    assert seconds["busy"][0] < seconds["busy"][1] < seconds["busy"][2]
    assert all(len(v) == len(sizes[k]) for k, v in memory.items())


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
    # One legend, the figure's, outside the panels: none over a curve.
    assert all(ax.get_legend() is None for ax in axes) and len(axes[0].figure.legends) == 1
    legend_box = axes[0].figure.legends[0].get_window_extent()
    for ax in axes:
        assert not legend_box.overlaps(ax.get_window_extent())
    plt.close("all")


# ---- bad input: a clear error or a right answer, never a hang (issue 23) -------------------

@pytest.fixture
def time_limit():
    """Fail (instead of hanging) when the test's body runs longer than 10 s."""
    import signal

    def stop(signum, frame):
        raise TimeoutError("no answer within 10 s: a loop without bound?")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _good_linkage():
    return H.agglomerative(np.random.default_rng(0).normal(size=(6, 2)), "average")


def _malformed_linkages():
    Z = _good_linkage()
    yield "cyclic (issue 23's hang)", np.array([[0.0, 1, 1, 2], [4, 2, 2, 3]]), "exist before"
    yield "3 columns", Z[:, :3], "shape"
    yield "no row", Z[:0], "shape"
    yield "1-D", Z[0], "shape"
    yield "rows reversed", Z[::-1], "exist before|non-decreasing"
    bad = Z.copy(); bad[2, 2] = np.nan
    yield "NaN height", bad, "finite"
    bad = Z.copy(); bad[0, 2] = -1.0
    yield "negative height", bad, "non-negative"
    bad = Z.copy(); bad[[1, 2], 2] = bad[[2, 1], 2]
    yield "heights not monotone", bad, "non-decreasing"
    bad = Z.copy(); bad[3, 3] += 1
    yield "wrong size", bad, "size"
    bad = Z.copy(); bad[4, 1] = bad[4, 0]
    yield "a cluster with itself", bad, "two different"
    bad = Z.copy(); bad[4, :2] = bad[3, :2]
    yield "merged twice", bad, "more than once|exist before"
    bad = Z.copy(); bad[0, 0] += 0.5
    yield "fractional id", bad, "integers"
    bad = Z.copy(); bad[0, 1] = -1
    yield "negative id", bad, "exist before"
    yield "random", np.random.default_rng(1).uniform(0, 9, size=(5, 4)), ""
    yield "complex", Z.astype(complex), "complex"
    yield "strings", Z.astype(str), "numeric"


@pytest.mark.parametrize("use", ["flat_clusters", "dendrogram_coordinates", "plot_dendrogram"])
def test_malformed_linkage_matrices_are_refused_never_looped_on(use, time_limit):
    from lessons_src.figures import hierarchical as P

    call = {"flat_clusters": lambda Z: H.flat_clusters(Z, n_clusters=1),
            "dendrogram_coordinates": H.dendrogram_coordinates,
            "plot_dendrogram": P.plot_dendrogram}[use]
    for label, Z, words in _malformed_linkages():
        with pytest.raises((ValueError, TypeError), match=words or "Z") as info:
            call(Z)
        assert "Z" in str(info.value), (label, str(info.value))
    plt.close("all")


def test_every_linkage_scipy_or_ours_passes_the_check():
    X = np.random.default_rng(5).normal(size=(25, 3))
    for method in H.LINKAGES:
        for Z in (H.agglomerative(X, method), linkage(X, method)):
            np.testing.assert_array_equal(H.check_linkage_matrix(Z), Z)
    # A two-point tree, and integer dtypes, are linkage matrices too.
    assert H.check_linkage_matrix(np.array([[0, 1, 0, 2]])).dtype == float


def test_cut_height_must_be_a_number():
    Z = _good_linkage()
    with pytest.raises(ValueError, match="height"):
        H.flat_clusters(Z, height=float("nan"))
    with pytest.raises(TypeError, match="height"):
        H.flat_clusters(Z, height="2")
    assert len(np.unique(H.flat_clusters(Z, height=np.inf))) == 1
    assert len(np.unique(H.flat_clusters(Z, height=-np.inf))) == 6
    assert len(np.unique(H.flat_clusters(Z, height=np.float32(100.0)))) == 1


@pytest.mark.parametrize("method", H.LINKAGES)
def test_huge_and_tiny_coordinates_give_the_scaled_tree(method, time_limit):
    """Issue 23: X * 1e300 with Ward merged a cluster with itself at height inf."""
    X = np.random.default_rng(0).random((12, 3)) + 0.1
    Z = H.agglomerative(X, method)
    for scale in (1e300, 1e-300, 2.0 ** 1000):
        scaled = H.agglomerative(X * scale, method)
        assert np.all(np.isfinite(scaled)) and np.all(scaled[:, 0] != scaled[:, 1])
        np.testing.assert_array_equal(scaled[:, [0, 1, 3]], Z[:, [0, 1, 3]])
        np.testing.assert_allclose(scaled[:, 2] / scale, Z[:, 2], rtol=1e-12)
    # Beyond what a float can hold: a clear error naming X, not infinities.
    with pytest.raises(ValueError, match="X is too large"):
        H.agglomerative(X * 1e308, method)
    with pytest.raises(ValueError, match="X is too large"):
        H.pairwise_distances(np.array([[1.5e308, 0.0], [-1.5e308, 0.0]]))


def test_lance_williams_ward_does_not_overflow():
    """Issue 23: ``d_ij ** 2`` on a Python float raised OverflowError."""
    rng = np.random.default_rng(3)
    d_ki, d_kj, d_ij = rng.uniform(1, 2, 4), rng.uniform(1, 2, 4), 1.5
    sizes = (2, 3, np.array([1, 2, 3, 4]))
    plain = H.lance_williams(d_ki, d_kj, d_ij, *sizes, "ward")
    for scale in (1e200, 1e-200):
        scaled = H.lance_williams(d_ki * scale, d_kj * scale, float(d_ij * scale), *sizes, "ward")
        np.testing.assert_allclose(scaled / scale, plain, rtol=1e-13)
    for method in ("single", "complete", "average"):
        got = H.lance_williams([1e308], [1.5e308], 1e308, 3, 1, [1], method)
        assert np.all(np.isfinite(got))
