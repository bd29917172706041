"""lessons_src.kmeans against scikit-learn, and the properties the lessons rely on."""
import numpy as np
import pytest
from scipy import stats
from sklearn.cluster import KMeans as SklearnKMeans
from sklearn.cluster import MiniBatchKMeans as SklearnMiniBatchKMeans
from sklearn.cluster._kmeans import _mini_batch_step
from sklearn.exceptions import NotFittedError
from sklearn.metrics import adjusted_rand_score

from lessons_src import kmeans as km


def _separated_blobs(n_samples, n_clusters, seed):
    """Blobs of std 1 whose centres are >= 10 apart (a grid): K-Means must find them."""
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(n_clusters)))
    grid = 10.0 * np.array([(i, j) for i in range(side) for j in range(side)])[:n_clusters]
    y = rng.integers(n_clusters, size=n_samples)
    return grid[y] + rng.normal(size=(n_samples, 2)), y


def _data(n_samples, n_features, seed, offset=10.0):
    rng = np.random.default_rng(seed)
    centers = rng.normal(scale=4.0, size=(5, n_features)) + offset
    return centers[rng.integers(5, size=n_samples)] + rng.normal(size=(n_samples, n_features))


# --- equality with scikit-learn ----------------------------------------------------------------
@pytest.mark.parametrize("n_samples, n_features, n_clusters, seed", [
    (300, 2, 3, 0), (1000, 5, 8, 1), (1500, 20, 12, 2), (400, 3, 30, 3), (40, 2, 10, 4),
    (2000, 64, 10, 5),
    (6000, 20, 20, 6),  # large enough for the sparse cluster sums
    (700, 3, 260, 7),   # more than 255 clusters: the nearest centre by argmax, not by weights
])
@pytest.mark.parametrize("tol", [0.0, 1e-4])
def test_same_labels_and_inertia_as_sklearn(n_samples, n_features, n_clusters, seed, tol):
    X = _data(n_samples, n_features, seed)
    rng = np.random.default_rng(seed)
    init = X[rng.choice(n_samples, n_clusters, replace=False)] + rng.normal(scale=0.1, size=(n_clusters, n_features))
    ours = km.KMeans(n_clusters=n_clusters, init=init, tol=tol).fit(X)
    ref = SklearnKMeans(n_clusters=n_clusters, init=init, n_init=1, tol=tol, algorithm="lloyd").fit(X)
    np.testing.assert_array_equal(ours.labels_, ref.labels_)
    assert ours.inertia_ == pytest.approx(ref.inertia_, rel=1e-9)
    np.testing.assert_allclose(ours.cluster_centers_, ref.cluster_centers_, rtol=1e-9, atol=1e-9)
    assert ours.n_iter_ == ref.n_iter_


def test_same_as_sklearn_with_empty_cluster_relocation():
    # One initial centre far from every point gets no point at the first assignment: both
    # implementations must move it to the point farthest from its centre.
    X = _data(300, 2, 7)
    init = np.vstack([X[:3], [[500.0, 500.0]], [[-400.0, 0.0]]])
    ours = km.KMeans(n_clusters=5, init=init, tol=0).fit(X)
    ref = SklearnKMeans(n_clusters=5, init=init, n_init=1, tol=0, algorithm="lloyd").fit(X)
    assert ours.history_[2].relocated == (3, 4)
    np.testing.assert_array_equal(ours.labels_, ref.labels_)
    assert ours.inertia_ == pytest.approx(ref.inertia_, rel=1e-9)


def test_max_iter_stop_matches_sklearn():
    X = _data(800, 4, 8)
    init = X[:9]
    for max_iter in (1, 2, 5):
        ours = km.KMeans(n_clusters=9, init=init, tol=0, max_iter=max_iter).fit(X)
        ref = SklearnKMeans(n_clusters=9, init=init, n_init=1, tol=0, max_iter=max_iter,
                            algorithm="lloyd").fit(X)
        np.testing.assert_array_equal(ours.labels_, ref.labels_)
        assert ours.inertia_ == pytest.approx(ref.inertia_, rel=1e-9)
        assert ours.n_iter_ == ref.n_iter_ == max_iter


def test_squared_distances_match_direct_and_are_non_negative():
    rng = np.random.default_rng(0)
    X, C = rng.normal(size=(50, 3)), rng.normal(size=(4, 3))
    direct = ((X[:, None, :] - C[None, :, :]) ** 2).sum(-1)
    np.testing.assert_allclose(km.squared_distances(X, C), direct, rtol=1e-10, atol=1e-12)
    same = km.squared_distances(X, X[:5] * 1.0)
    assert same.min() >= 0 and np.allclose(np.diag(same[:5]), 0, atol=1e-12)


def test_assign_and_update_are_the_textbook_steps():
    X = _data(200, 3, 1)
    centers = X[:4]
    labels = km.assign(X, centers)
    direct = np.argmin(((X[:, None, :] - centers[None]) ** 2).sum(-1), axis=1)
    np.testing.assert_array_equal(labels, direct)
    means = np.array([X[labels == k].mean(axis=0) for k in range(4)])
    np.testing.assert_allclose(km.update_centers(X, labels, 4), means, rtol=1e-12)


def test_update_centers_empty_cluster_policy():
    X = np.array([[0.0, 0.0], [1.0, 0.0], [10.0, 0.0], [11.0, 0.0]])
    labels = np.array([0, 0, 0, 0])
    # Without the old centres: the empty cluster sits on the largest cluster's centre.
    centers = km.update_centers(X, labels, 2)
    np.testing.assert_allclose(centers, [[5.5, 0.0], [5.5, 0.0]])
    # With them: it takes the point farthest from its centre, which leaves its cluster.
    old = np.array([[0.0, 0.0], [100.0, 100.0]])
    update = km.update_centers(X, labels, 2, centers_old=old, return_labels=True)
    np.testing.assert_allclose(update.centers, [[11.0 / 3, 0.0], [11.0, 0.0]])
    np.testing.assert_array_equal(update.labels, [0, 0, 0, 1])
    assert update.relocated == (1,)
    # Every point on its centre (duplicates): relocating gains nothing, nothing moves.
    D = np.zeros((3, 2))
    centers = km.update_centers(D, np.zeros(3, dtype=int), 2, centers_old=np.array([[0.0, 0], [5, 5]]))
    np.testing.assert_allclose(centers, 0.0)


# --- initialisations ---------------------------------------------------------------------------
def test_init_random_gives_distinct_data_points():
    X = _data(100, 2, 0)
    centers = km.init_random(X, 7, np.int64(3))
    assert centers.shape == (7, 2)
    assert len({tuple(c) for c in centers}) == 7
    assert all(any(np.array_equal(c, x) for x in X) for c in centers)
    np.testing.assert_array_equal(centers, km.init_random(X, 7, 3))


def test_d2_probabilities_formula():
    X = np.array([[0.0, 0.0], [1.0, 0.0], [3.0, 0.0], [0.0, 2.0]])
    p = km.d2_probabilities(X, X[[0]])
    np.testing.assert_allclose(p, np.array([0, 1, 9, 4]) / 14)
    p = km.d2_probabilities(X, X[[0, 2]])
    np.testing.assert_allclose(p, np.array([0, 1, 0, 4]) / 5)
    np.testing.assert_allclose(km.d2_probabilities(np.zeros((4, 2)), np.zeros((1, 2))), 0.25)


def test_kmeans_plusplus_frequencies_match_d2_probabilities():
    """Chi-square test on the joint law of the first two picks: P(i, j) = 1/n * D_i(j)^2 / sum."""
    X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.5], [4.0, 0.5], [2.0, 3.0]])
    n = len(X)
    expected = np.zeros((n, n))
    for i in range(n):
        expected[i] = km.d2_probabilities(X, X[[i]]) / n
    rng = np.random.default_rng(12345)
    n_draws = 6000
    counts = np.zeros((n, n))
    for _ in range(n_draws):
        i, j = km.init_kmeans_plusplus(X, 2, rng).indices
        counts[i, j] += 1
    mask = expected > 0
    assert counts[~mask].sum() == 0  # never picks a point twice
    result = stats.chisquare(counts[mask], expected[mask] * n_draws)
    assert result.pvalue > 1e-3
    # The test has power: uniform second picks would be rejected.
    uniform = np.where(mask, 1.0, 0.0)
    uniform /= uniform.sum()
    assert stats.chisquare(counts[mask], uniform[mask] * n_draws).pvalue < 1e-6


def test_kmeans_plusplus_picks_show_their_law_and_stay_distinct():
    X = _data(60, 2, 3)
    picks = list(km.kmeans_plusplus_picks(X, 5, 0))
    seeding = km.init_kmeans_plusplus(X, 5, 0)
    indices = seeding.indices
    assert [pick.index for pick in picks] == indices.tolist()  # the same draws
    np.testing.assert_array_equal(seeding.centers, X[indices])
    assert len(set(indices.tolist())) == 5
    np.testing.assert_allclose(picks[0].probabilities, 1 / 60)
    np.testing.assert_allclose(picks[3].probabilities, km.d2_probabilities(X, X[indices[:3]]))
    # More clusters than distinct points: indices stay distinct.
    D = np.repeat(np.array([[0.0, 0.0], [1.0, 1.0]]), 3, axis=0)
    assert sorted(km.init_kmeans_plusplus(D, 6, 0).indices.tolist()) == list(range(6))


def test_kmeans_parallel_distinct_centres_and_clusters_blobs():
    X, y = _separated_blobs(600, 6, 1)
    seeding = km.init_kmeans_parallel(X, 6, 2.0, 5, 0)
    centers, candidates = seeding.centers, seeding.candidates
    assert centers.shape == (6, 2)
    assert len({tuple(c) for c in centers}) == 6
    assert candidates.shape[0] >= 6
    np.testing.assert_array_equal(candidates, X[seeding.candidate_indices])
    np.testing.assert_array_equal(centers, candidates[seeding.chosen])
    assert seeding.n_passes == 1 + 5 + 1
    assert seeding.weights.sum() == pytest.approx(600, abs=1e-6)
    assert set(seeding.rounds.tolist()) <= set(range(7))
    # Its centres start a K-Means that finds the blobs.
    model = km.KMeans(n_clusters=6, init="k-means||", random_state=0).fit(X)
    assert adjusted_rand_score(y, model.labels_) > 0.95
    model = km.KMeans(n_clusters=6, init=centers).fit(X)
    assert adjusted_rand_score(y, model.labels_) > 0.95


def test_kmeans_parallel_tiny_and_duplicate_data():
    D = np.repeat(np.array([[0.0, 0.0], [1.0, 1.0], [5.0, 0.0]]), 4, axis=0)
    centers = km.init_kmeans_parallel(D, 3, 0.5, 1, 0).centers
    assert len({tuple(c) for c in centers}) == 3
    centers = km.init_kmeans_parallel(np.ones((1, 3)), 1, 2, 3, 0).centers
    np.testing.assert_array_equal(centers, np.ones((1, 3)))


# --- estimator behaviour -----------------------------------------------------------------------
@pytest.mark.parametrize("init", ["random", "k-means++", "k-means||"])
def test_named_inits_find_blobs(init):
    X, y = _separated_blobs(300, 4, 2)
    model = km.KMeans(n_clusters=4, init=init, n_init=3, random_state=0).fit(X)
    assert adjusted_rand_score(y, model.labels_) > 0.95
    np.testing.assert_array_equal(model.predict(X), model.labels_)
    np.testing.assert_array_equal(km.KMeans(n_clusters=4, init=init, n_init=3, random_state=0)
                                  .fit_predict(X), model.labels_)
    assert model.score(X) == pytest.approx(-model.inertia_)


def test_n_init_keeps_best_run():
    X = _data(300, 2, 5)
    model = km.KMeans(n_clusters=8, init="random", n_init=6, random_state=1).fit(X)
    assert len(model.all_inertias_) == 6
    assert model.inertia_ == pytest.approx(model.all_inertias_.min())
    assert model.history_[-1].inertia == model.inertia_
    single = km.KMeans(n_clusters=8, init="random", n_init=1, random_state=1).fit(X)
    assert model.inertia_ <= single.inertia_ + 1e-12
    assert single.all_inertias_[0] == pytest.approx(model.all_inertias_[0])
    assert km.KMeans(n_clusters=3, init="random", n_init="auto").fit(X).all_inertias_.size == 10


@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
def test_history_replays_to_final_state(metric):
    X = _data(250, 3, 6, offset=2.0)
    model = km.KMeans(n_clusters=5, init="random", random_state=3, metric=metric, tol=1e-3).fit(X)
    history = model.history_
    assert history[0].step == "init" and history[0].labels is None
    np.testing.assert_allclose(history[0].centers, model.init_centers_)
    centers = history[0].centers
    for entry in history[1:]:
        if entry.step == "assign":
            np.testing.assert_allclose(entry.centers, centers)
            np.testing.assert_array_equal(entry.labels, km.assign(X, centers, metric))
        else:
            assert entry.step == "update"
            replayed = km.update_centers(X, previous_labels, 5, centers_old=centers, metric=metric)
            np.testing.assert_allclose(entry.centers, replayed, rtol=1e-9, atol=1e-9)
            assert entry.shift == pytest.approx(np.sum((entry.centers - centers) ** 2), rel=1e-9)
        # The inertia recorded without a pass over the data is the real one.
        assert entry.inertia == pytest.approx(
            km.compute_inertia(X, entry.labels, entry.centers, metric), rel=1e-9, abs=1e-9)
        centers, previous_labels = entry.centers, entry.labels
    np.testing.assert_allclose(history[-1].centers, model.cluster_centers_)
    np.testing.assert_array_equal(history[-1].labels, model.labels_)
    assert history[-1].inertia == model.inertia_
    inertias = np.array([entry.inertia for entry in history[1:]])
    assert np.all(np.diff(inertias) <= 1e-9 * inertias[0])
    assert model.n_iter_ == max(entry.iteration for entry in history)


def test_update_inertia_is_the_parallel_axis_identity():
    """After an update the inertia drops by sum_k n_k ||c_k(old) - c_k(new)||^2, exactly."""
    X = _data(400, 4, 2)
    steps = list(km.lloyd_steps(X, X[:6] + 0.5, max_iter=3))
    for assigned, updated in zip(steps[1::2], steps[2::2]):
        assert (assigned.step, updated.step) == ("assign", "update") and not updated.relocated
        counts = np.bincount(assigned.labels, minlength=6)
        drop = np.sum(counts * np.sum((assigned.centers - updated.centers) ** 2, axis=1))
        exact_before = km.compute_inertia(X, assigned.labels, assigned.centers)
        exact_after = km.compute_inertia(X, updated.labels, updated.centers)
        assert exact_before - exact_after == pytest.approx(drop, rel=1e-9)
        assert updated.inertia == pytest.approx(exact_after, rel=1e-12)


def test_lloyd_steps_is_what_kmeans_runs():
    X = _data(500, 3, 4)
    init = X[:7] + 0.1
    steps = list(km.lloyd_steps(X, init, max_iter=300, tol=0.0))
    model = km.KMeans(n_clusters=7, init=init, tol=0).fit(X)
    assert [s.step for s in steps] == [h.step for h in model.history_]
    for step, entry in zip(steps, model.history_):
        np.testing.assert_allclose(step.centers, entry.centers, rtol=1e-9, atol=1e-9)
        if step.labels is not None:
            np.testing.assert_array_equal(step.labels, entry.labels)
    assert steps[-1].iteration == model.n_iter_
    # The generator is lazy: it stops at max_iter with a last assignment.
    short = list(km.lloyd_steps(X, init, max_iter=2))
    assert [s.step for s in short] == ["init", "assign", "update", "assign", "update", "assign"]


@pytest.mark.parametrize("history", ["full", "centers", "none"])
def test_history_modes_record_and_do_not_change_the_fit(history):
    X = _data(300, 2, 1)
    reference = km.KMeans(n_clusters=4, random_state=0, history="full").fit(X)
    model = km.KMeans(n_clusters=4, random_state=0, history=history).fit(X)
    np.testing.assert_array_equal(model.labels_, reference.labels_)
    assert model.inertia_ == reference.inertia_ and model.n_iter_ == reference.n_iter_
    if history == "none":
        assert [entry.step for entry in model.history_] == ["init"]
        return
    assert len(model.history_) == len(reference.history_)
    if history == "centers":
        assert all(entry.labels is None for entry in model.history_)
    np.testing.assert_allclose(model.history_[-1].centers, model.cluster_centers_)


def test_tol_stops_at_the_first_iteration_whose_shift_is_small():
    X = _data(500, 2, 2)
    init = X[:6] + 1.0
    full = km.KMeans(n_clusters=6, init=init, tol=0).fit(X)
    shifts = np.array([e.shift for e in full.history_ if e.step == "update"])
    assert shifts.size >= 6  # a run long enough for tol to cut it short
    mean_variance = np.mean(np.var(X, axis=0))
    for iteration in (2, 3, 5):
        # A tol whose threshold lies just above this iteration's shift.
        tol = shifts[iteration - 1] * (1 + 1e-6) / mean_variance
        first = 1 + int(np.argmax(shifts <= tol * mean_variance))
        assert first <= iteration
        model = km.KMeans(n_clusters=6, init=init, tol=tol).fit(X)
        assert model.n_iter_ == first  # not before, not after
        assert model.history_[-1].step == "assign"  # stopped on tol, then a last assignment
        reference = SklearnKMeans(n_clusters=6, init=init, n_init=1, tol=tol,
                                  algorithm="lloyd").fit(X)
        assert reference.n_iter_ == first
        np.testing.assert_array_equal(model.labels_, reference.labels_)


def test_assignment_ties_go_to_the_lowest_centre():
    X = np.array([[0.0, 0.0], [2.0, 0.0], [1.0, 0.0]])
    centers = np.array([[2.0, 0.0], [0.0, 0.0], [0.0, 0.0]])  # centres 1 and 2 coincide
    np.testing.assert_array_equal(km.assign(X, centers), [1, 0, 0])
    np.testing.assert_array_equal(km.assign(X + 1.0, centers + 1.0, "cosine"), [1, 0, 0])


def test_cosine_recovers_directions():
    """Three clusters that differ only by direction (radii overlap completely)."""
    rng = np.random.default_rng(0)
    angles = np.array([0.3, 1.3, 2.4])
    y = np.repeat(np.arange(3), 80)
    theta = angles[y] + rng.normal(scale=0.08, size=y.size)
    radius = rng.uniform(0.5, 10.0, size=y.size)
    X = radius[:, None] * np.c_[np.cos(theta), np.sin(theta)]
    cosine = km.KMeans(n_clusters=3, metric="cosine", n_init=5, random_state=0).fit(X)
    assert adjusted_rand_score(y, cosine.labels_) > 0.95
    np.testing.assert_allclose(np.linalg.norm(cosine.cluster_centers_, axis=1), 1.0)
    euclidean = km.KMeans(n_clusters=3, n_init=5, random_state=0).fit(X)
    assert adjusted_rand_score(y, euclidean.labels_) < 0.8  # distance mixes radius in
    np.testing.assert_array_equal(cosine.predict(X * 7.0), cosine.labels_)  # scale-free
    with pytest.raises(ValueError, match="non-zero rows"):
        km.KMeans(n_clusters=2, metric="cosine").fit(np.vstack([X, [[0.0, 0.0]]]))


@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
def test_extremes_k1_kn_one_point_duplicates(metric):
    X = _data(30, 2, 9)
    one = km.KMeans(n_clusters=1, metric=metric, random_state=0).fit(X)
    assert set(one.labels_) == {0}
    if metric == "euclidean":
        np.testing.assert_allclose(one.cluster_centers_[0], X.mean(axis=0))
    everyone = km.KMeans(n_clusters=np.int64(30), metric=metric, random_state=0).fit(X)
    assert everyone.inertia_ == pytest.approx(0.0, abs=1e-9)
    assert len(set(everyone.labels_)) == 30
    single = km.KMeans(n_clusters=1, metric=metric, random_state=0).fit([[1.0, 2.0]])
    np.testing.assert_allclose(single.cluster_centers_ * (1 if metric == "euclidean" else np.sqrt(5)),
                               [[1.0, 2.0]])
    D = np.repeat(np.array([[1.0, 0.0], [0.0, 1.0]]), 5, axis=0)
    for init in ("random", "k-means++", "k-means||"):
        dup = km.KMeans(n_clusters=4, init=init, metric=metric, random_state=0).fit(D)
        assert dup.inertia_ == pytest.approx(0.0, abs=1e-9)
        assert np.all(np.isfinite(dup.cluster_centers_))


def test_numpy_integers_accepted():
    X = _data(100, 2, 0)
    model = km.KMeans(n_clusters=np.int32(3), n_init=np.int64(2), max_iter=np.uint8(50),
                      random_state=np.int64(4)).fit(X)
    assert model.cluster_centers_.shape == (3, 2)
    assert km.init_kmeans_plusplus(X, np.uint8(3), np.int16(1))[0].shape == (3, 2)


@pytest.mark.parametrize("kwargs, data, error, match", [
    ({"n_clusters": 0}, None, ValueError, "n_clusters"),
    ({"n_clusters": 11}, None, ValueError, "n_clusters"),
    ({"n_clusters": 2.5}, None, TypeError, "n_clusters"),
    ({"init": "kmeans"}, None, ValueError, "init"),
    ({"init": np.zeros((2, 2))}, None, ValueError, "init"),
    ({"init": np.zeros((3, 5))}, None, ValueError, "init"),
    ({"metric": "manhattan"}, None, ValueError, "metric"),
    ({"tol": -1.0}, None, ValueError, "tol"),
    ({"max_iter": 0}, None, ValueError, "max_iter"),
    ({"n_init": "many"}, None, ValueError, "n_init"),
    ({}, np.arange(10.0), ValueError, "2-D"),
    ({}, np.array([[0.0, np.nan]] * 10), ValueError, "finite"),
])
def test_bad_input_raises_clear_errors(kwargs, data, error, match):
    X = _data(10, 2, 0) if data is None else data
    params = {"n_clusters": 3, **kwargs}
    with pytest.raises(error, match=match):
        km.KMeans(**params).fit(X)


def test_step_functions_validate():
    X = _data(10, 2, 0)
    with pytest.raises(ValueError, match="features"):
        km.assign(X, np.zeros((2, 3)))
    with pytest.raises(ValueError, match="labels"):
        km.update_centers(X, np.full(10, 5), 3)
    with pytest.raises(ValueError, match="oversampling_factor"):
        km.init_kmeans_parallel(X, 2, 0.0, 3, 0)
    with pytest.raises(NotFittedError, match="not fitted"):
        km.KMeans().predict(X)
    with pytest.raises(NotFittedError, match="not fitted"):
        km.MiniBatchKMeans().predict(X)
    fitted = km.MiniBatchKMeans(n_clusters=2, random_state=0).fit(X)
    with pytest.raises(ValueError, match="X has 3 features, but MiniBatchKMeans is expecting 2"):
        fitted.predict(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="max_iter"):
        next(km.lloyd_steps(X, X[:2], max_iter=0))


# --- mini-batch --------------------------------------------------------------------------------
def test_minibatch_step_equals_sklearn_step():
    X = _data(200, 3, 4)
    rng = np.random.default_rng(0)
    centers = X[rng.choice(200, 5, replace=False)].copy()
    counts = np.array([0.0, 3.0, 10.0, 1.0, 0.0])
    update = km.minibatch_step(X[:64], centers, counts)
    ref_centers = centers.copy()
    ref_new = np.empty_like(centers)
    ref_counts = counts.copy()
    _mini_batch_step(X[:64], np.ones(64), ref_centers, ref_new, ref_counts,
                     np.random.RandomState(0), random_reassign=False)
    np.testing.assert_allclose(update.centers, ref_new, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(update.counts, ref_counts)
    direct = np.argmin(((X[:64, None, :] - centers[None]) ** 2).sum(-1), axis=1)
    np.testing.assert_array_equal(update.labels, direct)


def test_minibatch_kmeans_close_to_sklearn():
    X, y = _separated_blobs(2000, 5, 3)
    ours = km.MiniBatchKMeans(n_clusters=5, batch_size=64, max_steps=60, random_state=0).fit(X)
    ref = SklearnMiniBatchKMeans(n_clusters=5, batch_size=64, max_iter=60, n_init=3,
                                 random_state=0).fit(X)
    full = SklearnKMeans(n_clusters=5, n_init=3, random_state=0).fit(X)
    assert ours.inertia_ <= 1.05 * full.inertia_
    assert ours.inertia_ <= 1.05 * ref.inertia_
    assert adjusted_rand_score(y, ours.labels_) > 0.95
    assert ours.centers_history_.shape == (61, 5, 2)
    assert ours.counts_.sum() == pytest.approx(60 * 64)
    np.testing.assert_array_equal(ours.predict(X), ours.labels_)
