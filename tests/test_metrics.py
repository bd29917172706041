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


def _million_labelings(n_noise_clusters=4):
    """10**6 samples in 4 classes, clustered with 10 % of the samples moved at random."""
    rng = np.random.default_rng(SEED)
    labels_true = rng.integers(0, 4, 10**6)
    return labels_true, np.where(rng.random(10**6) < 0.9, labels_true,
                                 rng.integers(0, n_noise_clusters, 10**6))


def test_large_n_no_overflow():
    """At n = 10**6 the products of pair sums exceed int64; the result must stay exact."""
    n = 10**6
    labels_true, labels_pred = _million_labelings()
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
    assert -0.5 <= metrics.adjusted_rand_index(labels_true, labels_pred) <= 1.0   # not -1: see below


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


# ------------------------------------------------------------------ ARI's range is [-1/2, 1]

def _all_partitions(n):
    """Every partition of n items once, as restricted growth strings (independent of the code
    under test)."""
    found = []

    def grow(prefix, largest):
        if len(prefix) == n:
            found.append(list(prefix))
            return
        for value in range(largest + 2):
            grow(prefix + [value], max(largest, value))

    grow([0], 0)
    return np.array(found)


@pytest.mark.parametrize("n", range(2, 8))
def test_ari_is_never_below_minus_one_half(n):
    """Exhaustively, over every pair of partitions of n <= 7 samples (877**2 pairs at n = 7),
    from the pair counts alone: the minimum is -1/2 (reached at n = 3 and 4), not the slides' -1."""
    partitions = _all_partitions(n)
    first, second = np.triu_indices(n, k=1)
    together = (partitions[:, first] == partitions[:, second]).astype(np.int64)   # pair bits
    N = together.shape[1]
    A = together.sum(axis=1)
    index = together @ together.T
    numerator = 2 * (index * N - A[:, None] * A[None, :])
    denominator = N * (A[:, None] + A[None, :]) - 2 * A[:, None] * A[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        ari = np.where(denominator != 0, numerator / np.where(denominator == 0, 1, denominator), 1.0)
    assert ari.min() >= -0.5 - 1e-15
    assert (ari.min() == -0.5) == (n in (3, 4))
    rng = np.random.default_rng(n)
    for i, j in rng.integers(0, len(partitions), size=(20, 2)):        # the formula is ARI
        assert metrics.adjusted_rand_index(partitions[i], partitions[j]) == pytest.approx(ari[i, j], abs=1e-12)
    if n <= 5:
        assert plot_metrics.lowest_ari(n).value == pytest.approx(ari.min(), abs=1e-15)


# ------------------------------------------------------------------ information: MI, NMI, AMI

def test_entropy_and_mutual_info_equal_sklearn():
    from sklearn.metrics.cluster._supervised import _entropy
    for labels_true, labels_pred in list(EDGE_CASES.values()) + _random_labelings(40):
        assert metrics.entropy(labels_true) == pytest.approx(_entropy(np.asarray(labels_true)), abs=1e-12)
        assert abs(metrics.mutual_info(labels_true, labels_pred)
                   - skm.mutual_info_score(labels_true, labels_pred)) <= 1e-12


AMI_CASES = {
    **EDGE_CASES,
    "identical": ([0, 0, 1, 1, 2, 2, 2], [5, 5, 3, 3, 1, 1, 1]),
    "singletons vs blocks": (list(range(9)), [0, 0, 0, 1, 1, 1, 2, 2, 2]),
    "blocks vs singletons": ([0, 0, 0, 1, 1, 1, 2, 2, 2], list(range(9))),
    "one cluster vs singletons": ([0] * 9, list(range(9))),
}


@pytest.mark.parametrize("average_method", ["arithmetic", "geometric", "min", "max"])
@pytest.mark.parametrize("labels_true, labels_pred", list(AMI_CASES.values()) + _random_labelings(120),
                         ids=list(AMI_CASES) + [f"random{i}" for i in range(120)])
def test_nmi_and_ami_equal_sklearn(labels_true, labels_pred, average_method):
    assert abs(metrics.normalized_mutual_info(labels_true, labels_pred, average_method)
               - skm.normalized_mutual_info_score(labels_true, labels_pred,
                                                  average_method=average_method)) <= TOL
    ours = metrics.adjusted_mutual_info(labels_true, labels_pred, average_method)
    theirs = skm.adjusted_mutual_info_score(labels_true, labels_pred, average_method=average_method)
    if average_method == "min" and _is_refinement_by_singletons(labels_true, labels_pred):
        # 0 / 0: every shuffle gives the same I, so mean(H) = E[I] = I. scikit-learn divides
        # rounding noise by machine epsilon (values like 1.5 or 2.0 > 1 appear); ours says 0.
        assert ours == 0.0
        return
    assert abs(ours - theirs) <= TOL


def _is_refinement_by_singletons(labels_true, labels_pred):
    """One labeling all singletons and the other not a single cluster: the 'min' 0 / 0 case."""
    n = len(labels_true)
    sizes = (len(set(map(str, labels_true))), len(set(map(str, labels_pred))))
    return n > 1 and n in sizes and min(sizes) > 1 and sizes != (n, n)


def test_expected_mutual_info_equals_sklearn_and_the_permutation_mean():
    from sklearn.metrics.cluster import contingency_matrix, expected_mutual_information

    for labels_true, labels_pred in list(EDGE_CASES.values()) + _random_labelings(60):
        n = len(labels_true)
        theirs = expected_mutual_information(contingency_matrix(labels_true, labels_pred), n)
        assert metrics.expected_mutual_info(labels_true, labels_pred) == pytest.approx(theirs, abs=1e-12)
    # Exact: the mean of I over ALL 7! permutations of a small labeling.
    labels_true, labels_pred = np.array([0, 0, 0, 1, 1, 2, 2]), np.array([0, 0, 1, 1, 1, 1, 2])
    values = [skm.mutual_info_score(labels_true, labels_pred[list(p)])
              for p in itertools.permutations(range(7))]
    assert metrics.expected_mutual_info(labels_true, labels_pred) == pytest.approx(np.mean(values), abs=1e-13)


@pytest.mark.parametrize("n, a, b", [(10, 3, 4), (1000, 10, 300), (10**5, 50, 20000),
                                     (10**6, 1, 142857), (10**6, 3, 1000), (10**6, 1000, 1000),
                                     (20, 20, 7), (20, 0, 5)])
def test_hypergeometric_pmf_is_exact(n, a, b):
    """Against exact rational arithmetic (Python's big integers): relative error below 1e-12 even
    at n = 10**6, where gammaln differences keep only about 1e-9."""
    from fractions import Fraction
    from math import comb as exact_comb

    low, high = max(0, a + b - n), min(a, b)
    mode = (a + 1) * (b + 1) // (n + 2)
    ks = sorted({low, high, min(max(mode, low), high), min(mode + 1, high), min(low + 1, high)})
    p = metrics.hypergeometric_pmf(np.array(ks), n, a, b)
    for k, value in zip(ks, p):
        exact = Fraction(exact_comb(a, k) * exact_comb(n - a, b - k), exact_comb(n, b))
        if exact > Fraction(1, 10**250):
            assert value == pytest.approx(float(exact), rel=1e-12), k
    full = metrics.hypergeometric_pmf(np.arange(-2, high + 3), n, a, b)
    assert full.sum() == pytest.approx(1.0, abs=1e-13) and full[:2].sum() == full[-2:].sum() == 0.0


def test_ami_large_n_and_singletons():
    labels_true, labels_pred = _million_labelings(n_noise_clusters=5)
    assert abs(metrics.adjusted_mutual_info(labels_true, labels_pred)
               - skm.adjusted_mutual_info_score(labels_true, labels_pred)) <= TOL
    singletons = np.arange(10**6)
    # Exactly 0 in exact arithmetic (every shuffle gives the same I): ours keeps it to 1e-13;
    # scikit-learn's gammaln-based E[I] drifts to about 1e-9 here.
    assert abs(metrics.adjusted_mutual_info(singletons, singletons % 7)) < 1e-13
    assert metrics.adjusted_mutual_info(singletons, singletons[::-1]) == 1.0
    small = np.arange(10**4)
    assert abs(metrics.adjusted_mutual_info(small, small % 7)
               - skm.adjusted_mutual_info_score(small, small % 7)) <= TOL


def test_ami_is_about_zero_for_random_labelings_where_nmi_is_not():
    rng = np.random.default_rng(SEED)
    truth = np.repeat(np.arange(4), 50)
    ami = [metrics.adjusted_mutual_info(truth, rng.integers(0, 100, 200)) for _ in range(20)]
    nmi = [metrics.normalized_mutual_info(truth, rng.integers(0, 100, 200)) for _ in range(20)]
    assert abs(np.mean(ami)) < 0.01 and np.mean(nmi) > 0.2


# ------------------------------------------------------------------ bad labels and distances

PAIR_FUNCTIONS = ["contingency_table", "pair_counts", "rand_index", "rand_index_naive", "pair_index",
                  "expected_pair_index", "max_pair_index", "adjusted_rand_index", "clustering_accuracy",
                  "match_clusters", "mutual_info", "expected_mutual_info", "normalized_mutual_info",
                  "adjusted_mutual_info"]


@pytest.mark.parametrize("name", PAIR_FUNCTIONS)
@pytest.mark.parametrize("bad, message", [
    ([0.0, np.nan, 1.0, 1.0], r"labels_\w+\[1\]=nan"),
    ([0.0, np.inf, 1.0, 1.0], r"labels_\w+\[1\]=inf"),
    ([0.0, 1.5, 1.0, 1.0], r"labels_\w+\[1\]=1.5"),
    ([0, 1j, 1, 1], "complex"),
    (np.array([0, None, 1, 1], dtype=object), r"labels_\w+\[1\]=None"),
    (np.array([0, "a", 1, 1], dtype=object), "not a mix"),
    ([0, 1, 1], "same length"),
])
def test_every_pair_metric_refuses_bad_labels(name, bad, message):
    """The reproducer of issue 23: labels with NaN gave ARI 0.879. Each argument is named."""
    good = [0, 0, 1, 1]
    for args in [(bad, good), (good, bad)]:
        with pytest.raises((ValueError, TypeError), match=message):
            getattr(metrics, name)(*args)


def test_whole_number_floats_and_object_strings_are_labels():
    ints, floats = [0, 0, 1, 2, 2], [0.0, 0.0, 1.0, 2.0, 2.0]
    names = np.array(["a", "a", "b", "c", "c"], dtype=object)
    other = [1, 0, 1, 1, 2]
    for labels in (floats, names):
        assert metrics.adjusted_rand_index(labels, other) == metrics.adjusted_rand_index(ints, other)
        assert metrics.adjusted_mutual_info(labels, other) == metrics.adjusted_mutual_info(ints, other)
    assert metrics.adjusted_rand_index(np.array([True, True, False]), [1, 1, 0]) == 1.0
    with pytest.raises(ValueError, match="labels"):
        metrics.silhouette_samples(np.eye(4), [0.0, np.nan, 1.0, 1.0])


def test_precomputed_distances_are_checked():
    """Negative (the reproducer of issue 23), NaN and asymmetric distance matrices are refused."""
    X, labels = _blobs(n=30, k=3, d=2)
    D = skm.pairwise_distances(X)
    negative = D.copy()
    negative[3, 7] = negative[7, 3] = -0.25
    asymmetric = D.copy()
    asymmetric[3, 7] += 0.25
    with_nan = D.copy()
    with_nan[3, 7] = with_nan[7, 3] = np.nan
    for function in (metrics.silhouette_samples, metrics.silhouette_score):
        with pytest.raises(ValueError, match=r"non-negative, got X\[3, 7\]=-0.25"):
            function(negative, labels, metric="precomputed", chunk_size=4)
        with pytest.raises(ValueError, match=r"symmetric, got X\[3, 7\]=.* but X\[7, 3\]="):
            function(asymmetric, labels, metric="precomputed")
        with pytest.raises(ValueError, match="finite"):
            function(with_nan, labels, metric="precomputed")
    # Rounding-level asymmetry (distances computed in two orders) is accepted.
    rounded = D * (1 + 1e-14 * np.triu(np.ones_like(D), 1))
    np.testing.assert_allclose(metrics.silhouette_samples(rounded, labels, metric="precomputed"),
                               skm.silhouette_samples(D, labels, metric="precomputed"), atol=TOL)


@pytest.mark.parametrize("scale", [1e300, 1e-300, 2.0**300, 1e-160])
@pytest.mark.parametrize("metric", ["euclidean", "sqeuclidean", "manhattan", "cosine", "precomputed"])
def test_silhouette_of_huge_or_tiny_coordinates(scale, metric):
    """Squared differences of 1e300 overflow and of 1e-300 underflow; the silhouette does not
    depend on the scale, and scaling by a power of two is exact, so the answer is unchanged."""
    X, labels = _blobs(n=40, k=3, d=2)
    data = skm.pairwise_distances(X) if metric == "precomputed" else X
    expected = skm.silhouette_samples(data, labels, metric=metric)
    ours = metrics.silhouette_samples(data * scale, labels, metric=metric)
    assert np.all(np.isfinite(ours))
    np.testing.assert_allclose(ours, expected, atol=TOL, rtol=0)


# ------------------------------------------------------------------ bootstrap and stability

def test_bootstrap_scores_are_paired_and_reproducible():
    rng = np.random.default_rng(SEED)
    labels_true = rng.integers(0, 3, 60)
    good = np.where(rng.random(60) < 0.8, labels_true, rng.integers(0, 3, 60))
    noise = rng.integers(0, 3, 60)
    result = metrics.bootstrap_scores(labels_true, {"good": good, "noise": noise}, n_resamples=200,
                                      random_state=SEED)
    # Recompute by hand: the same generator, the same resamples, each scored by scikit-learn.
    replay = np.random.default_rng(SEED)
    for r in range(200):
        chosen = replay.integers(0, 60, 60)
        assert result.resampled["good"][r] == pytest.approx(
            skm.adjusted_rand_score(labels_true[chosen], good[chosen]), abs=TOL)
        assert result.resampled["noise"][r] == pytest.approx(
            skm.adjusted_rand_score(labels_true[chosen], noise[chosen]), abs=TOL)
    assert result.observed["good"] == pytest.approx(skm.adjusted_rand_score(labels_true, good))
    low, high = result.interval("good")
    assert low < result.observed["good"] < high
    assert result.interval("good", 0.5)[0] >= low
    difference = result.difference_interval("good", "noise")
    assert difference[0] > 0
    np.testing.assert_allclose(difference, np.percentile(
        result.resampled["good"] - result.resampled["noise"], [2.5, 97.5]))
    nmi = metrics.bootstrap_scores(labels_true, {"good": good}, score=metrics.normalized_mutual_info,
                                   n_resamples=5, random_state=SEED)
    assert nmi.observed["good"] == pytest.approx(skm.normalized_mutual_info_score(labels_true, good))
    with pytest.raises(TypeError, match="labelings"):
        metrics.bootstrap_scores(labels_true, [good])
    with pytest.raises(ValueError, match="same length"):
        metrics.bootstrap_scores(labels_true, {"short": good[:-1]})
    with pytest.raises(ValueError, match="level"):
        result.interval("good", 1.5)


def test_clustering_stability_by_hand():
    from sklearn.cluster import KMeans

    X, _ = _blobs(n=90, k=3, d=2)

    def cluster(rows, state):
        return KMeans(3, n_init=2, random_state=np.random.RandomState(state.bit_generator)).fit_predict(rows)

    scores = metrics.clustering_stability(X, cluster, n_pairs=4, subsample=0.7, random_state=SEED)
    replay = np.random.default_rng(SEED)
    for t in range(4):
        first = np.sort(replay.choice(90, 63, replace=False))
        second = np.sort(replay.choice(90, 63, replace=False))
        labels_first, labels_second = cluster(X[first], replay), cluster(X[second], replay)
        shared = np.intersect1d(first, second)
        expected = skm.adjusted_rand_score(labels_first[np.searchsorted(first, shared)],
                                           labels_second[np.searchsorted(second, shared)])
        assert scores[t] == pytest.approx(expected, abs=TOL)
    with pytest.raises(ValueError, match="subsample"):
        metrics.clustering_stability(X, cluster, subsample=0.0)
    for too_small in (1e-300, 0.5):     # two subsamples that might share no point (issue 23)
        with pytest.raises(ValueError, match="subsample"):
            metrics.clustering_stability(X, cluster, subsample=too_small)
    with pytest.raises(ValueError, match="one label per row"):
        metrics.clustering_stability(X, lambda rows, state: np.zeros(3), random_state=SEED)


def test_stability_separates_a_good_k_from_a_bad_one():
    X, _ = plot_metrics.three_pairs_2d(n_per_blob=25, random_state=SEED)
    from lessons_src.kmeans import KMeans

    def stability(k):
        return metrics.clustering_stability(
            X, lambda rows, state: KMeans(k, n_init=3, random_state=state, history="none").fit(rows).labels_,
            n_pairs=8, random_state=SEED).mean()

    assert stability(3) > 0.99 and stability(2) < 0.9


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
    assert set(chance.scores) == {"RI", "ARI", "NMI", "AMI"}
    assert all(values.shape == (2, 5) for values in chance.scores.values())
    assert list(chance.cluster_counts) == [2, 10]
    assert chance.scores["RI"][1].mean() > chance.scores["RI"][0].mean() + 0.2   # RI grows with K
    assert np.all(np.abs(chance.scores["ARI"]) < 0.1) and np.all(np.abs(chance.scores["AMI"]) < 0.1)
    ax = plot_metrics.plot_chance_scores(chance, names=("RI", "ARI", "NMI"), title="t")
    assert ax.get_title() == "t" and len(ax.get_lines()) == 4      # three curves and the zero line
    # Against fixed classes: the same random labelings scored against them.
    truth = np.repeat([0, 1, 2, 3], 50)
    against = plot_metrics.chance_scores(0, [100], n_repeats=3, random_state=SEED, labels_true=truth)
    replay = np.random.default_rng(SEED)
    for rep in range(3):
        drawn = replay.integers(0, 100, 200)
        assert against.scores["NMI"][0, rep] == pytest.approx(skm.normalized_mutual_info_score(truth, drawn))
    assert against.scores["NMI"].mean() > 0.2       # NMI's bias toward many clusters
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


def test_scores_against_k_figure():
    from lessons_src.datasets import make_blobs_2d

    X, y = make_blobs_2d(n_samples=80, n_clusters=4, random_state=SEED)
    by_k = plot_metrics.kmeans_scores_by_k(X, y, [2, 4, 8], random_state=SEED)
    assert set(by_k.scores) == {"RI", "ARI", "NMI", "AMI", "silhouette"}
    labels = plot_metrics.kmeans_labels(X, 4, random_state=SEED)
    assert by_k.scores["AMI"][1] == pytest.approx(skm.adjusted_mutual_info_score(y, labels))
    assert by_k.scores["silhouette"][1] == pytest.approx(skm.silhouette_score(X, labels))
    chance = plot_metrics.chance_scores(0, [2, 8], n_repeats=2, random_state=SEED, labels_true=y)
    left, right = plot_metrics.plot_scores_against_k(chance, by_k)
    # One legend for both panels, under them (off the data): the five scores.
    legends = right.get_figure().legends
    assert len(legends) == 1 and len(legends[0].get_texts()) == 5
    assert left.get_legend() is None and right.get_legend() is None
    with pytest.raises(ValueError, match="cluster_counts"):
        plot_metrics.kmeans_scores_by_k(X, y, [1, 2])


def test_external_scores_table():
    scores = plot_metrics.external_scores([0, 0, 1, 1], [0, 1, 0, 1], accuracy=True)
    assert scores == {"RI": pytest.approx(1 / 3), "ARI": -0.5, "NMI": 0.0, "AMI": pytest.approx(
        skm.adjusted_mutual_info_score([0, 0, 1, 1], [0, 1, 0, 1])), "accuracy": 0.5}
    assert set(plot_metrics.SCORE_COLORS) >= set(scores) | {"silhouette"}


def test_seed_scores_and_spread_figures():
    X, y = _blobs(n=90, k=4, d=2)
    runs = plot_metrics.kmeans_seed_scores(X, y, 4, n_seeds=6, random_state=SEED)
    assert runs.labels.shape == (6, 90) and runs.inertia.shape == (6,)
    for run in range(6):
        assert runs.scores["ARI"][run] == pytest.approx(skm.adjusted_rand_score(y, runs.labels[run]))
    again = plot_metrics.kmeans_seed_scores(X, y, 4, n_seeds=6, random_state=SEED)
    np.testing.assert_array_equal(again.labels, runs.labels)
    assert len({tuple(labels) for labels in runs.labels}) > 1          # the seeds differ
    ax = plot_metrics.plot_seed_spread(runs)
    assert [t.get_text().split("\n")[0] for t in ax.get_xticklabels()] == ["RI", "ARI", "NMI", "AMI"]
    boot = metrics.bootstrap_scores(y, {"K-Means": runs.labels[0], "truth": y}, n_resamples=20,
                                    random_state=SEED)
    ax = plot_metrics.plot_bootstrap_intervals(boot, seed_scores=runs)
    assert [t.get_text() for t in ax.get_yticklabels()] == sorted(boot.observed, key=boot.observed.get)
    assert any("1.000 [1.000, 1.000]" in t.get_text() for t in ax.texts)


def test_k_rules_on_three_pairs():
    from lessons_src import spectral

    X, y = plot_metrics.three_pairs_2d(n_per_blob=20, random_state=SEED)
    assert X.shape == (120, 2) and np.bincount(y).tolist() == [20] * 6
    rules = plot_metrics.choose_k_rules(X, range(2, 8), n_pairs=4, random_state=SEED)
    assert rules.inertia.shape == (8,) and rules.stability.shape == (6, 4)
    assert np.all(np.diff(rules.inertia) < 0)
    curvature = rules.inertia[:-2] - 2 * rules.inertia[1:-1] + rules.inertia[2:]
    assert rules.elbow_k == 2 + int(np.argmax(curvature))
    assert rules.silhouette_k == 2 + int(np.argmax(rules.silhouette))
    assert rules.eigengap_k == spectral.eigengap(rules.eigenvalues, max_clusters=7) == 6
    assert rules.stability_k == 3
    axes = plot_metrics.plot_k_rules(X, rules, labels=y)
    assert axes[1].get_title() == f"elbow: K = {rules.elbow_k}"
    assert axes[4].get_title() == "stability: K = 3"
    with pytest.raises(ValueError, match="consecutive"):
        plot_metrics.choose_k_rules(X, [2, 4])
