"""The seedings of lessons_src.kmeans: K-Means++ plain and greedy (against scikit-learn, in
distribution), farthest-first, the D^power family, and the checks on their input."""
import itertools

import numpy as np
import pytest
from scipy import stats
from sklearn.cluster import kmeans_plusplus

from lessons_src import kmeans as km

N_SEEDS = 200


def _grid_blobs(seed=0):
    """16 blobs of 30 points, standard deviation 1, on a 4 x 4 grid with spacing 8."""
    rng = np.random.default_rng(seed)
    grid = 8.0 * np.array([(i, j) for i in range(4) for j in range(4)])
    return grid[np.repeat(np.arange(16), 30)] + rng.normal(size=(480, 2))


def _blobs_and_outliers(seed=1):
    """5 blobs of 60 points in 3-D and 6 far points."""
    rng = np.random.default_rng(seed)
    blobs = [rng.normal(size=(60, 3)) + rng.normal(scale=6, size=(1, 3)) for _ in range(5)]
    return np.vstack(blobs + [rng.normal(scale=30, size=(6, 3))])


def _seeding_cost(X, centers):
    """The K-Means cost of the seeds themselves: every point to its nearest seed."""
    return ((X[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2).min(axis=1).sum()


def _costs(X, seeding, n_seeds=N_SEEDS):
    return np.array([_seeding_cost(X, seeding(s)) for s in range(n_seeds)])


def _sklearn_costs(X, n_clusters):
    return _costs(X, lambda s: kmeans_plusplus(X, n_clusters, random_state=10_000 + s)[0])


# --- greedy K-Means++ is scikit-learn's kmeans_plusplus, in distribution ----------------------
@pytest.mark.parametrize("make_data, n_clusters", [(_grid_blobs, 16), (_blobs_and_outliers, 5)])
def test_greedy_kmeans_plusplus_matches_sklearn_in_distribution(make_data, n_clusters):
    """Seeding cost over 200 seeds: two-sample Kolmogorov-Smirnov and Cramer-von Mises tests
    cannot tell our greedy K-Means++ (2 + int(ln K) candidates) from scikit-learn's."""
    X = make_data()
    theirs = _sklearn_costs(X, n_clusters)
    ours = _costs(X, lambda s: km.init_kmeans_plusplus(X, n_clusters, s,
                                                       n_local_trials="auto").centers)
    # Measured: KS p = 0.97 and 0.47, Cramer-von Mises p = 0.94 and 0.32.
    assert stats.ks_2samp(ours, theirs).pvalue > 0.01
    assert stats.cramervonmises_2samp(ours, theirs).pvalue > 0.01


def test_the_two_sample_test_has_power():
    """The same test, the same 200 seeds, rejects what differs: plain K-Means++ (one candidate),
    greedy K-Means++ with too few candidates, and uniform seeding."""
    X = _grid_blobs()
    theirs = _sklearn_costs(X, 16)
    assert km._check_local_trials("auto", 16) == 4  # scikit-learn's 2 + int(ln 16)
    others = {
        "plain": lambda s: km.init_kmeans_plusplus(X, 16, s).centers,
        "2 candidates": lambda s: km.init_kmeans_plusplus(X, 16, s, n_local_trials=2).centers,
        "uniform": lambda s: km.init_random(X, 16, s),
    }
    for name, seeding in others.items():
        costs = _costs(X, seeding)
        # Measured: KS p = 4e-64, 2e-15 and < 1e-100.
        assert stats.ks_2samp(costs, theirs).pvalue < 1e-6, name
        assert stats.cramervonmises_2samp(costs, theirs).pvalue < 1e-4, name


def test_greedy_keeps_the_candidate_that_lowers_the_cost_most():
    X = _blobs_and_outliers()
    chosen = []
    for pick in km.kmeans_plusplus_picks(X, 6, random_state=3, n_local_trials="auto"):
        if not chosen:
            assert pick.candidates.tolist() == [pick.index]
        else:
            assert len(pick.candidates) == 2 + int(np.log(6))
            assert np.all(pick.probabilities[pick.candidates] > 0)  # drawn from the D^2 law
            costs = [_seeding_cost(X, X[chosen + [c]]) for c in pick.candidates]
            assert _seeding_cost(X, X[chosen + [pick.index]]) == pytest.approx(min(costs))
            np.testing.assert_allclose(pick.probabilities, km.d2_probabilities(X, X[chosen]))
        chosen.append(pick.index)
    plain = list(km.kmeans_plusplus_picks(X, 6, random_state=3))
    assert all(pick.candidates.tolist() == [pick.index] for pick in plain)


def test_greedy_seeds_cost_less_than_plain_ones():
    X = _grid_blobs()
    plain = _costs(X, lambda s: km.init_kmeans_plusplus(X, 16, s).centers, 50)
    greedy = _costs(X, lambda s: km.init_kmeans_plusplus(X, 16, s, n_local_trials=4).centers, 50)
    assert np.median(greedy) < 0.7 * np.median(plain)


# --- the D^power family, by its exact law -----------------------------------------------------
SMALL = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.5], [4.0, 0.5], [2.0, 3.0]])


def _law_of_three_picks(X, power, distance_to):
    """P(first three picks = (i, j, k)), enumerated: the first uniform, then ∝ D^power over the
    points not chosen, D the nearest or the summed distance to the chosen ones."""
    n = len(X)
    dist = np.sqrt(((X[:, None] - X[None]) ** 2).sum(-1))
    law = {}
    for i, j, k in itertools.permutations(range(n), 3):
        p = 1.0 / n
        for chosen, nxt in (([i], j), ([i, j], k)):
            d = dist[:, chosen].min(axis=1) if distance_to == "nearest" else dist[:, chosen].sum(1)
            score = d ** power
            score[chosen] = 0.0
            p *= score[nxt] / score.sum()
        law[(i, j, k)] = p
    return law


@pytest.mark.parametrize("power, distance_to", [(1.0, "nearest"), (2.0, "nearest"), (1.0, "all")])
def test_init_by_distance_draws_its_law(power, distance_to):
    law = _law_of_three_picks(SMALL, power, distance_to)
    keys = sorted(law)
    rng = np.random.default_rng(2024)
    n_draws = 6000
    counts = dict.fromkeys(keys, 0)
    for _ in range(n_draws):
        indices = km.init_by_distance(SMALL, 3, power, distance_to, rng).indices
        counts[tuple(indices.tolist())] += 1
    observed = np.array([counts[key] for key in keys])
    expected = np.array([law[key] for key in keys]) * n_draws
    assert stats.chisquare(observed, expected).pvalue > 1e-3
    # The test has power: the law of another power is rejected.
    other = _law_of_three_picks(SMALL, power + 2.0, distance_to)
    wrong = np.array([other[key] for key in keys]) * n_draws
    assert stats.chisquare(observed, wrong).pvalue < 1e-6


def test_power_two_to_the_nearest_centre_is_kmeans_plusplus():
    law = _law_of_three_picks(SMALL, 2.0, "nearest")
    n = len(SMALL)
    for (i, j, k), p in law.items():
        expected = (1 / n) * km.d2_probabilities(SMALL, SMALL[[i]])[j] \
            * km.d2_probabilities(SMALL, SMALL[[i, j]])[k]
        assert p == pytest.approx(expected)


def test_farthest_first_takes_the_farthest_point_and_every_outlier():
    X = _blobs_and_outliers()
    seeding = km.init_farthest_first(X, 8, random_state=0)
    chosen = [seeding.indices[0]]
    for index in seeding.indices[1:]:
        d = np.sqrt(((X[:, None] - X[chosen][None]) ** 2).sum(-1)).min(axis=1)
        assert d[index] == d.max()
        chosen.append(index)
    np.testing.assert_array_equal(seeding.centers, X[seeding.indices])
    # The six far points are the farthest from everything: all taken.
    assert set(range(300, 306)) <= set(seeding.indices.tolist())
    # Deterministic after the first pick: the same first pick gives the same seeds.
    again = km.init_by_distance(X, 8, power=np.inf, random_state=0)
    np.testing.assert_array_equal(again.indices, seeding.indices)


@pytest.mark.parametrize("seeding", [
    lambda X, k: km.init_farthest_first(X, k, 0),
    lambda X, k: km.init_by_distance(X, k, 1.0, "all", 0),
    lambda X, k: km.init_kmeans_plusplus(X, k, 0, n_local_trials="auto"),
])
def test_seedings_stay_distinct_on_duplicates(seeding):
    D = np.repeat(np.array([[0.0, 0.0], [1.0, 1.0]]), 3, axis=0)
    assert sorted(seeding(D, 6).indices.tolist()) == list(range(6))
    assert seeding(np.ones((1, 2)), 1).indices.tolist() == [0]


# --- huge and tiny coordinates: the same picks, no overflow -----------------------------------
@pytest.mark.parametrize("scale", [2.0 ** 1000, 2.0 ** -1000])
def test_seedings_do_not_overflow_or_underflow(scale):
    """Squared distances of 1e301 overflow and of 1e-301 underflow; a power-of-two scale is
    exact, so every seeding picks the same rows as on X itself."""
    X = _blobs_and_outliers()
    Y = X * scale
    with np.errstate(over="ignore", under="ignore"):
        d2 = (Y[0] - Y[1]) @ (Y[0] - Y[1])
    assert (d2 == np.inf) if scale > 1 else (d2 == 0)  # what a seeding must not compute on
    np.testing.assert_array_equal(km.d2_probabilities(Y, Y[:3]), km.d2_probabilities(X, X[:3]))
    for seeding in (lambda Z: km.init_kmeans_plusplus(Z, 5, 7, n_local_trials="auto").indices,
                    lambda Z: km.init_kmeans_plusplus(Z, 5, 7).indices,
                    lambda Z: km.init_by_distance(Z, 5, 1.0, random_state=7).indices,
                    lambda Z: km.init_farthest_first(Z, 5, 7).indices,
                    lambda Z: km.init_kmeans_parallel(Z, 5, random_state=7).candidate_indices):
        np.testing.assert_array_equal(seeding(Y), seeding(X))
    seeds = km.init_kmeans_plusplus(Y, 5, 7)
    np.testing.assert_array_equal(seeds.centers, Y[seeds.indices])  # in Y's own units


def test_d2_probabilities_of_1e300_are_finite():
    X = _grid_blobs()[:40]
    p = km.d2_probabilities(X * 1e300, X[:4] * 1e300)
    np.testing.assert_allclose(p, km.d2_probabilities(X, X[:4]), rtol=1e-12, atol=1e-300)
    weights = np.full(40, 1e300)
    np.testing.assert_allclose(km.d2_probabilities(X, X[:4], weights),
                               km.d2_probabilities(X, X[:4]), rtol=1e-12)


# --- bad input -------------------------------------------------------------------------------
X12 = np.random.default_rng(0).random((12, 3))


@pytest.mark.parametrize("sample_weight, error, match", [
    (np.ones((12, 1)), ValueError, r"sample_weight must have shape \(12,\).*\(12, 1\)"),
    (np.ones(11), ValueError, r"sample_weight must have shape \(12,\)"),
    (1.0, ValueError, r"sample_weight must have shape \(12,\)"),
    (np.r_[np.ones(11), -1.0], ValueError, r"sample_weight\[11\]=-1.0"),
    (np.r_[np.nan, np.ones(11)], ValueError, r"sample_weight\[0\]=nan"),
    (np.r_[np.ones(11), np.inf], ValueError, r"sample_weight\[11\]=inf"),
    (np.zeros(12), ValueError, "sample_weight must have a positive entry"),
    (np.ones(12) * 1j, TypeError, "sample_weight must hold real numbers"),
    (np.array(["1"] * 12), TypeError, "sample_weight must hold real numbers"),
    (np.ones(12, dtype=bool), TypeError, "sample_weight must hold real numbers"),
])
def test_bad_sample_weight_is_refused_by_name(sample_weight, error, match):
    with pytest.raises(error, match=match):
        km.d2_probabilities(X12, X12[:3], sample_weight=sample_weight)
    with pytest.raises(error, match=match):
        next(km.kmeans_plusplus_picks(X12, 3, 0, sample_weight=sample_weight))


def test_sample_weight_is_a_law():
    weights = np.arange(12.0)
    p = km.d2_probabilities(X12, X12[:3], sample_weight=weights)
    d2 = ((X12[:, None] - X12[None, :3]) ** 2).sum(-1).min(axis=1)
    np.testing.assert_allclose(p, weights * d2 / (weights * d2).sum())
    assert p.shape == (12,)
    # Every point with weight on a centre: no D^2 mass, the law follows the weights.
    on_centres = np.r_[np.ones(3), np.zeros(9)]
    np.testing.assert_allclose(km.d2_probabilities(X12, X12[:3], on_centres), on_centres / 3)
    # Weighted K-Means++ never picks a point of weight 0 while another carries D^2 mass.
    weights = np.r_[np.ones(6), np.zeros(6)]
    for seed in range(20):
        picks = [p.index for p in km.kmeans_plusplus_picks(X12, 4, seed, sample_weight=weights)]
        assert max(picks) < 6


@pytest.mark.parametrize("kwargs, error, match", [
    ({"power": -1.0}, ValueError, "power"), ({"power": float("nan")}, ValueError, "power"),
    ({"power": "2"}, ValueError, "power"), ({"power": True}, ValueError, "power"),
    ({"distance_to": "farthest"}, ValueError, "distance_to"),
    ({"n_clusters": 13}, ValueError, "n_clusters"), ({"n_clusters": 2.5}, TypeError, "n_clusters"),
])
def test_init_by_distance_refuses_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        km.init_by_distance(X12, **{"n_clusters": 3, **kwargs})


@pytest.mark.parametrize("n_local_trials, error", [(0, ValueError), (1.5, TypeError),
                                                   ("many", ValueError), (True, TypeError)])
def test_n_local_trials_is_checked(n_local_trials, error):
    with pytest.raises(error, match="n_local_trials"):
        km.init_kmeans_plusplus(X12, 3, 0, n_local_trials=n_local_trials)


def test_oversampling_factor_must_be_finite():
    for bad in (float("inf"), float("nan"), -1.0, 0):
        with pytest.raises(ValueError, match="oversampling_factor"):
            km.init_kmeans_parallel(X12, 3, bad)
