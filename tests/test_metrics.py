"""lessons_src.metrics against scikit-learn, the O(n^2) pair loop and brute force."""
import itertools
from math import comb

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import metrics as skm
from sklearn.metrics.cluster import contingency_matrix, pair_confusion_matrix

from lessons_src import SEED
from lessons_src import metrics

TOL = 1e-10


def _random_labelings(n_cases=120, max_n=60):
    rng = np.random.default_rng(SEED)
    cases = []
    for _ in range(n_cases):
        n = int(rng.integers(1, max_n))
        cases.append((rng.integers(0, int(rng.integers(1, 9)), n),
                      rng.integers(0, int(rng.integers(1, 9)), n)))
    return cases


EDGE_CASES = {
    "n=1": ([0], [5]),
    "n=2 same": ([0, 0], [1, 1]),
    "n=2 split": ([0, 0], [0, 1]),
    "n=2 singletons": ([0, 1], [1, 0]),
    "one cluster vs classes": ([0, 0, 1, 1, 2], [0, 0, 0, 0, 0]),
    "classes vs one cluster": ([0, 0, 0, 0, 0], [3, 3, 4, 4, 4]),
    "both one cluster": ([7] * 6, [2] * 6),
    "both singletons": (list(range(6)), list(range(6))[::-1]),
    "singletons vs one cluster": (list(range(6)), [0] * 6),
    "strings": (["cat", "cat", "dog", "dog", "eel"], ["x", "y", "y", "y", "x"]),
    "arbitrary ints": ([-5, 10**9, -5, 3, 3, 10**9], [42, 42, -1, -1, 7, 7]),
    "strings vs ints": (["a", "b", "a", "c"], [100, -3, 100, 100]),
    "adversarial": ([0, 0, 1, 1], [0, 1, 0, 1]),
}


@pytest.mark.parametrize("labels_true, labels_pred",
                         list(EDGE_CASES.values()) + _random_labelings(),
                         ids=list(EDGE_CASES) + [f"random{i}" for i in range(120)])
def test_pair_metrics_equal_sklearn(labels_true, labels_pred):
    assert abs(metrics.rand_index(labels_true, labels_pred)
               - skm.rand_score(labels_true, labels_pred)) <= TOL
    assert abs(metrics.adjusted_rand_index(labels_true, labels_pred)
               - skm.adjusted_rand_score(labels_true, labels_pred)) <= TOL
    counts = metrics.pair_counts(labels_true, labels_pred)
    np.testing.assert_array_equal(counts.confusion_matrix(),
                                  pair_confusion_matrix(labels_true, labels_pred))
    n = len(labels_true)
    assert sum(counts) == comb(n, 2)
    np.testing.assert_array_equal(metrics.contingency_table(labels_true, labels_pred),
                                  contingency_matrix(labels_true, labels_pred))


@pytest.mark.parametrize("labels_true, labels_pred", list(EDGE_CASES.values()) + _random_labelings(30))
def test_fast_rand_index_equals_the_pair_loop(labels_true, labels_pred):
    assert abs(metrics.rand_index(labels_true, labels_pred)
               - metrics.rand_index_naive(labels_true, labels_pred)) <= TOL


def _pairs_by_hand(labels_true, labels_pred):
    """a, b, c, d by listing every pair (the definition, independent of the table)."""
    a = b = c = d = 0
    for i, j in itertools.combinations(range(len(labels_true)), 2):
        same_class, same_cluster = labels_true[i] == labels_true[j], labels_pred[i] == labels_pred[j]
        a += same_class and same_cluster
        b += (not same_class) and (not same_cluster)
        c += same_class and not same_cluster
        d += (not same_class) and same_cluster
    return a, b, c, d


@pytest.mark.parametrize("labels_true, labels_pred", list(EDGE_CASES.values()) + _random_labelings(20))
def test_pair_counts_and_indices_by_definition(labels_true, labels_pred):
    assert tuple(metrics.pair_counts(labels_true, labels_pred)) == _pairs_by_hand(labels_true, labels_pred)
    table = contingency_matrix(labels_true, labels_pred)
    index = sum(comb(int(x), 2) for x in table.ravel())
    sum_a = sum(comb(int(x), 2) for x in table.sum(axis=1))
    sum_b = sum(comb(int(x), 2) for x in table.sum(axis=0))
    n_pairs = comb(len(labels_true), 2)
    assert metrics.pair_index(labels_true, labels_pred) == index
    assert metrics.max_pair_index(labels_true, labels_pred) == pytest.approx((sum_a + sum_b) / 2)
    expected = sum_a * sum_b / n_pairs if n_pairs else 0.0
    assert metrics.expected_pair_index(labels_true, labels_pred) == pytest.approx(expected)


def test_expected_pair_index_is_the_permutation_mean():
    """Exact check of the product form: average the pair index over ALL permutations of a small
    labeling (fixed marginals); the slides' sum form is far off."""
    labels_true = np.array([0, 0, 0, 1, 1, 2])
    labels_pred = np.array([0, 0, 1, 1, 1, 1])
    values = [metrics.pair_index(labels_true, labels_pred[list(p)])
              for p in itertools.permutations(range(6))]
    exact_mean = float(np.mean(values))
    assert metrics.expected_pair_index(labels_true, labels_pred) == pytest.approx(exact_mean, rel=1e-12)
    sum_a, sum_b, n_pairs = 3 + 1, 1 + 6, 15
    assert abs((sum_a + sum_b) / n_pairs - exact_mean) > 0.5


def test_large_n_no_overflow():
    """At n = 10**6 the products of pair sums exceed int64; the result must stay exact."""
    n = 10**6
    rng = np.random.default_rng(SEED)
    labels_true = rng.integers(0, 4, n)
    labels_pred = np.where(rng.random(n) < 0.9, labels_true, rng.integers(0, 4, n))
    assert abs(metrics.adjusted_rand_index(labels_true, labels_pred)
               - skm.adjusted_rand_score(labels_true, labels_pred)) <= TOL
    assert abs(metrics.rand_index(labels_true, labels_pred)
               - skm.rand_score(labels_true, labels_pred)) <= TOL
    # All singletons against one cluster: a dense table would be 10**12 cells.
    singletons = np.arange(n)
    assert metrics.pair_counts(singletons, np.zeros(n, dtype=int)) == (0, 0, 0, comb(n, 2))
    assert metrics.adjusted_rand_index(singletons, np.zeros(n, dtype=int)) == 0.0
    assert metrics.adjusted_rand_index(singletons, singletons[::-1]) == 1.0


def test_ari_reference_values():
    assert metrics.adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(-0.5)
    assert metrics.adjusted_rand_index([0, 0, 1, 1], [1, 1, 0, 0]) == 1.0


def test_label_errors():
    with pytest.raises(ValueError, match="same length"):
        metrics.rand_index([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="empty"):
        metrics.adjusted_rand_index([], [])
    with pytest.raises(ValueError, match="1-D"):
        metrics.pair_counts([[0, 1]], [[0, 1]])
    with pytest.raises(ValueError, match="same length"):
        metrics.clustering_accuracy([0, 1], [0])
    with pytest.raises(ValueError, match="empty"):
        metrics.normalized_mutual_info([], [])


# ------------------------------------------------------------------ hypothesis properties

labelings = st.integers(min_value=1, max_value=40).flatmap(
    lambda n: st.tuples(st.lists(st.integers(0, 5), min_size=n, max_size=n),
                        st.lists(st.integers(0, 5), min_size=n, max_size=n)))


@settings(max_examples=150, deadline=None)
@given(labelings)
def test_ari_symmetric_and_ri_in_unit_interval(pair):
    labels_true, labels_pred = pair
    assert metrics.adjusted_rand_index(labels_true, labels_pred) == pytest.approx(
        metrics.adjusted_rand_index(labels_pred, labels_true), abs=1e-12)
    ri = metrics.rand_index(labels_true, labels_pred)
    assert 0.0 <= ri <= 1.0
    assert -1.0 <= metrics.adjusted_rand_index(labels_true, labels_pred) <= 1.0


@settings(max_examples=150, deadline=None)
@given(labelings, st.permutations(list(range(6))), st.permutations(list(range(6))))
def test_ari_invariant_to_relabelling(pair, rename_true, rename_pred):
    labels_true, labels_pred = pair
    renamed_true = [rename_true[x] * 10 - 3 for x in labels_true]
    renamed_pred = [f"c{rename_pred[x]}" for x in labels_pred]
    assert metrics.adjusted_rand_index(renamed_true, renamed_pred) == pytest.approx(
        metrics.adjusted_rand_index(labels_true, labels_pred), abs=1e-12)
    assert metrics.rand_index(renamed_true, renamed_pred) == pytest.approx(
        metrics.rand_index(labels_true, labels_pred), abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(-3, 3), min_size=1, max_size=40))
def test_ari_one_on_identical_labelings(labels):
    assert metrics.adjusted_rand_index(labels, labels) == 1.0
    assert metrics.rand_index(labels, labels) == 1.0
    assert metrics.clustering_accuracy(labels, labels) == 1.0


# ------------------------------------------------------------------ silhouette

def _blobs(n=120, k=4, d=3, seed=SEED):
    rng = np.random.default_rng(seed)
    centers = rng.normal(scale=4, size=(k, d))
    labels = rng.integers(0, k, n)
    return centers[labels] + rng.normal(size=(n, d)), labels


@pytest.mark.parametrize("metric", ["euclidean", "sqeuclidean", "manhattan", "cosine"])
@pytest.mark.parametrize("chunk_size", [None, 1, 7, 1000])
def test_silhouette_equals_sklearn(metric, chunk_size):
    X, labels = _blobs()
    labels = labels.copy()
    labels[5] = 99  # a singleton: s = 0
    ours = metrics.silhouette_samples(X, labels, metric=metric, chunk_size=chunk_size)
    np.testing.assert_allclose(ours, skm.silhouette_samples(X, labels, metric=metric), atol=TOL, rtol=0)
    assert ours[5] == 0.0
    assert abs(metrics.silhouette_score(X, labels, metric=metric, chunk_size=chunk_size)
               - skm.silhouette_score(X, labels, metric=metric)) <= TOL


def test_silhouette_random_labels_strings_and_precomputed():
    rng = np.random.default_rng(SEED)
    for trial in range(10):
        n = int(rng.integers(3, 50))
        X = rng.normal(size=(n, 2))
        labels = rng.integers(0, int(rng.integers(2, n)), n)
        if len(np.unique(labels)) < 2:
            labels[0] = labels[0] + 1
        if len(np.unique(labels)) > n - 1:
            labels[0] = labels[1]
        names = np.array(["k%d" % v for v in labels])
        np.testing.assert_allclose(metrics.silhouette_samples(X, names),
                                   skm.silhouette_samples(X, labels), atol=TOL, rtol=0)
        D = skm.pairwise_distances(X)
        np.testing.assert_allclose(metrics.silhouette_samples(D, labels, metric="precomputed", chunk_size=4),
                                   skm.silhouette_samples(D, labels, metric="precomputed"), atol=TOL, rtol=0)


def test_silhouette_from_distances_is_the_definition_and_equals_sklearn():
    """The shown function on the whole matrix, and on blocks of its rows, against sklearn and
    against a(i), b(i), s(i) written out for every sample."""
    X, labels = _blobs(n=40, k=3, d=2)
    D = skm.pairwise_distances(X)
    s = metrics.silhouette_from_distances(D, labels)
    np.testing.assert_allclose(s, skm.silhouette_samples(X, labels), atol=TOL, rtol=0)
    for i in range(len(X)):
        own = (labels == labels[i]) & (np.arange(len(X)) != i)
        a = D[i, own].mean()
        b = min(D[i, labels == k].mean() for k in set(labels.tolist()) - {labels[i]})
        assert s[i] == pytest.approx((b - a) / max(a, b), abs=1e-12)
    rows = slice(7, 19)
    np.testing.assert_array_equal(metrics.silhouette_from_distances(D[rows], labels, labels[rows]),
                                  s[rows])


def test_silhouette_by_definition_on_a_tiny_example():
    X = np.array([[0.0, 0.0], [0.0, 1.0], [4.0, 0.0], [5.0, 0.0]])
    labels = [0, 0, 1, 1]
    a0 = 1.0
    b0 = (4.0 + 5.0) / 2
    s = metrics.silhouette_samples(X, labels)
    assert s[0] == pytest.approx((b0 - a0) / b0, abs=1e-12)


def test_silhouette_duplicates_and_n_clusters_rule():
    X = np.zeros((4, 2))  # all distances 0: 0/0 -> 0, as sklearn
    np.testing.assert_array_equal(metrics.silhouette_samples(X, [0, 0, 1, 1]),
                                  skm.silhouette_samples(X, [0, 0, 1, 1]))
    X3 = np.array([[0.0], [1.0], [5.0]])
    np.testing.assert_allclose(metrics.silhouette_samples(X3, [0, 0, 1]),
                               skm.silhouette_samples(X3, [0, 0, 1]), atol=TOL)
    with pytest.raises(ValueError, match="number of clusters"):
        metrics.silhouette_samples(X3, [0, 0, 0])
    with pytest.raises(ValueError, match="number of clusters"):
        metrics.silhouette_score(X3, [0, 1, 2])
    with pytest.raises(ValueError, match="len\\(labels\\)=2"):
        metrics.silhouette_samples(X3, [0, 1])
    with pytest.raises(ValueError, match="metric"):
        metrics.silhouette_samples(X3, [0, 0, 1], metric="chebyshev-ish")
    with pytest.raises(ValueError, match="square"):
        metrics.silhouette_samples(X3, [0, 0, 1], metric="precomputed")
    with pytest.raises(ValueError, match="chunk_size"):
        metrics.silhouette_samples(X3, [0, 0, 1], chunk_size=0)
    with pytest.raises(ValueError, match="empty"):
        metrics.silhouette_samples(X3, [])


def test_silhouette_memory_is_bounded(monkeypatch):
    """Every distance block handed out has at most chunk_size rows."""
    X, labels = _blobs(n=50)
    shapes = []
    original = metrics._distances

    def spy(rows, all_, metric):
        shapes.append(rows.shape[0])
        return original(rows, all_, metric)

    monkeypatch.setattr(metrics, "_distances", spy)
    metrics.silhouette_samples(X, labels, chunk_size=8)
    assert max(shapes) == 8 and sum(shapes) == 50


def test_silhouette_peak_memory_is_one_block():
    """Measured: the peak allocation is one chunk_size x n block of float64, plus O(n)."""
    import tracemalloc

    rng = np.random.default_rng(SEED)
    n, chunk_size = 3000, 100
    X, labels = rng.normal(size=(n, 2)), rng.integers(0, 4, n)
    metrics.silhouette_samples(X[:10], labels[:10])  # warm up imports outside the measurement
    tracemalloc.start()
    try:
        metrics.silhouette_samples(X, labels, chunk_size=chunk_size)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    block = chunk_size * n * 8
    assert peak < 1.5 * block  # a full n x n matrix would be 30 blocks


def test_silhouette_score_subsample():
    X, labels = _blobs(n=200)
    full = metrics.silhouette_score(X, labels)
    sub = metrics.silhouette_score(X, labels, sample_size=150, random_state=SEED)
    assert sub == metrics.silhouette_score(X, labels, sample_size=150, random_state=SEED)
    assert abs(sub - full) < 0.1
    assert metrics.silhouette_score(X, labels, sample_size=200, random_state=SEED) == pytest.approx(full)


# ------------------------------------------------------------------ accuracy and NMI

def _accuracy_brute_force(labels_true, labels_pred):
    classes, clusters = sorted(set(labels_true)), sorted(set(labels_pred))
    best = 0
    # Every injective map of clusters to classes (or classes to clusters) via permutations.
    if len(clusters) <= len(classes):
        for chosen in itertools.permutations(classes, len(clusters)):
            mapping = dict(zip(clusters, chosen))
            best = max(best, sum(mapping[p] == t for t, p in zip(labels_true, labels_pred)))
    else:
        for chosen in itertools.permutations(clusters, len(classes)):
            mapping = dict(zip(chosen, classes))
            best = max(best, sum(mapping.get(p) == t for t, p in zip(labels_true, labels_pred)))
    return best / len(labels_true)


@pytest.mark.parametrize("seed", range(15))
def test_clustering_accuracy_is_the_best_matching(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 40))
    labels_true = rng.integers(0, int(rng.integers(1, 5)), n).tolist()
    labels_pred = rng.integers(0, int(rng.integers(1, 6)), n).tolist()
    assert metrics.clustering_accuracy(labels_true, labels_pred) == pytest.approx(
        _accuracy_brute_force(labels_true, labels_pred))
    mapping = metrics.match_clusters(labels_true, labels_pred)
    hits = sum(mapping.get(p) == t for t, p in zip(labels_true, labels_pred))
    assert hits / n == pytest.approx(metrics.clustering_accuracy(labels_true, labels_pred))


def test_clustering_accuracy_permuted_and_strings():
    labels_true = ["a", "a", "b", "b", "c", "c"]
    assert metrics.clustering_accuracy(labels_true, [2, 2, 0, 0, 1, 1]) == 1.0
    assert metrics.clustering_accuracy(labels_true, [0, 0, 0, 0, 0, 0]) == pytest.approx(2 / 6)
    assert metrics.match_clusters(labels_true, [2, 2, 0, 0, 1, 1]) == {2: "a", 0: "b", 1: "c"}


def test_nmi_wraps_sklearn():
    rng = np.random.default_rng(SEED)
    labels_true, labels_pred = rng.integers(0, 4, 80), rng.integers(0, 3, 80)
    for method in ["arithmetic", "geometric", "min", "max"]:
        assert metrics.normalized_mutual_info(labels_true, labels_pred, method) == pytest.approx(
            skm.normalized_mutual_info_score(labels_true, labels_pred, average_method=method), abs=TOL)
    with pytest.raises(ValueError, match="average_method"):
        metrics.normalized_mutual_info(labels_true, labels_pred, "median")


# ------------------------------------------------------------------ figures, widget, exercises

from lessons_src.figures import metrics as plot_metrics  # noqa: E402


def test_pair_grid_and_contingency_figures():
    labels_true, labels_pred = ["cat"] * 3 + ["dog"] * 3, [0, 0, 1, 1, 1, 2]
    ax = plot_metrics.plot_pair_grid(labels_true, labels_pred)
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == 15 and texts.count("a") == 2 and texts.count("b") == 7
    ax = plot_metrics.plot_contingency(labels_true, labels_pred, highlight=[(0, 0)])
    assert [t.get_text() for t in ax.texts] == ["2", "1", "0", "0", "2", "1"]


def test_chance_scores_and_permutations():
    chance = plot_metrics.chance_scores(200, [2, 10], n_repeats=5, random_state=SEED)
    assert chance.rand_index.shape == chance.adjusted_rand_index.shape == (2, 5)
    assert list(chance.cluster_counts) == [2, 10]
    assert chance.rand_index[1].mean() > chance.rand_index[0].mean() + 0.2   # RI grows with K
    assert np.all(np.abs(chance.adjusted_rand_index) < 0.1)
    plot_metrics.plot_chance_scores(chance)
    labels_true, labels_pred = np.repeat([0, 1, 2], [7, 5, 3]), np.repeat([0, 1], [9, 6])
    samples = plot_metrics.permutation_pair_indices(labels_true, labels_pred, 3000, SEED)
    index = samples.pair_index
    expected = metrics.expected_pair_index(labels_true, labels_pred)
    assert abs(index.mean() - expected) < 4 * index.std() / np.sqrt(len(index))
    plot_metrics.plot_permutation_test(index, expected, 1.0)


def test_silhouette_figures_match_the_metric():
    X, labels = _blobs(n=60, k=3, d=2)
    ax = plot_metrics.plot_silhouette_point(X, labels, 4)
    s = metrics.silhouette_samples(X, labels)[4]
    assert f"s(i) = (b - a) / max(a, b) = {s:.3f}" in ax.get_title()
    ax = plot_metrics.plot_silhouette_knife(X, labels)
    assert f"{metrics.silhouette_score(X, labels):.3f}" in ax.get_title()
    singleton = labels.copy()
    singleton[0] = 9
    ax = plot_metrics.plot_silhouette_point(X, singleton, 0)
    assert "s(i) = (b - a) / max(a, b) = 0.000" in ax.get_title()


@pytest.mark.parametrize("n_clusters", [1, 2, 10, 11, 12])
def test_silhouette_widget_at_slider_extremes(n_clusters):
    X, _ = _blobs(n=12, k=3, d=2)
    right = plot_metrics.draw_silhouette_for_k(n_clusters, X, random_state=SEED)[1]
    if n_clusters in (1, 12):
        assert "no silhouette" in right.texts[0].get_text()
    else:
        assert "mean silhouette" in right.get_title()
    fig, given = plt.subplots(1, 2)              # into given axes: a live widget reuses them
    assert plot_metrics.draw_silhouette_for_k(n_clusters, X, SEED, axes=given)[0] is given[0]


def test_kmeans_labels_cached_and_silhouette_by_k():
    from sklearn.cluster import KMeans

    from lessons_src.datasets import make_blobs_2d

    X, y = make_blobs_2d(n_samples=90, n_clusters=3, random_state=SEED)
    first = plot_metrics.kmeans_labels(X, 3, random_state=SEED)
    np.testing.assert_array_equal(first, KMeans(3, n_init=10, random_state=SEED).fit_predict(X))
    with pytest.raises(ValueError, match="read-only"):   # the cache cannot be corrupted
        first[:] = -1
    hits = plot_metrics._cached_kmeans_labels.cache_info().hits
    again = plot_metrics.kmeans_labels(X.copy(), np.int64(3), random_state=np.int64(SEED))
    assert plot_metrics._cached_kmeans_labels.cache_info().hits == hits + 1   # equal data: a hit
    assert skm.adjusted_rand_score(y, again) == 1.0
    scores = plot_metrics.silhouette_by_k(X, [2, 3, 4], random_state=SEED)
    assert scores.shape == (3,) and int(np.argmax(scores)) == 1
    plot_metrics.plot_silhouette_by_k([2, 3, 4], scores)


def test_permutation_samples_equal_the_slow_loop():
    labels_true, labels_pred = ["x", "y", "x", "z", "y", "x", "x"], [3, 3, 9, 9, 9, 1, 3]
    samples = plot_metrics.permutation_pair_indices(labels_true, labels_pred, 50, SEED)
    index, ri = samples.pair_index, samples.rand_index
    rng = np.random.default_rng(SEED)
    _, cols = np.unique(labels_pred, return_inverse=True)
    for t in range(50):
        shuffled = cols[rng.permutation(len(cols))]
        assert index[t] == metrics.pair_index(labels_true, shuffled)
        assert ri[t] == pytest.approx(metrics.rand_index(labels_true, shuffled), abs=1e-12)
