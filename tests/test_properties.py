"""Property-based tests (hypothesis) of the guarantees the lessons state.

* NMF: every multiplicative rule keeps the factors non-negative and finite and never worsens
  its objective (½‖V − WH‖² and D_KL go down, the Nature 1999 F goes up); the estimator's
  ``loss_history_`` is monotone too.
* K-Means: the inertia never increases along ``history_`` (assignment and update steps both
  can only lower it), and the last entry is the returned model.
* Window means read off the integral image equal the naive mean of every window (and the
  window standard deviations equal ``np.std``).

The ARI / Rand index properties live in tests/test_metrics.py. Every test here is derandomized
(the same examples on every run, so CI is deterministic), has no deadline (the machine is
shared), and keeps ``max_examples`` modest.
"""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lessons_src import kmeans, nmf, segmentation
from lessons_src.validation import check_image

PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, derandomize=True)


# --- NMF ---------------------------------------------------------------------------------------
@st.composite
def factorisations(draw):
    """(V, W, H): V (n, m) non-negative with some exact zeros, W (n, r) and H (r, m) positive."""
    n, m = draw(st.integers(1, 9)), draw(st.integers(1, 9))
    r = draw(st.integers(1, min(n, m) + 1))
    seed = draw(st.integers(0, 2**32 - 1))
    zero_fraction = draw(st.sampled_from([0.0, 0.3, 0.7]))
    scale = draw(st.sampled_from([1e-3, 1.0, 255.0]))
    rng = np.random.default_rng(seed)
    V = scale * rng.random((n, m)) * (rng.random((n, m)) >= zero_fraction)
    W = rng.random((n, r)) + 1e-3
    H = rng.random((r, m)) + 1e-3
    return V, W, H


def _not_worse(before, after, increasing=False):
    slack = 1e-9 * (1.0 + abs(before))  # rounding only
    return after >= before - slack if increasing else after <= before + slack


@pytest.mark.parametrize("update, objective, increasing", [
    (nmf.update_euclidean, nmf.euclidean_loss, False),
    (nmf.update_kl, nmf.kl_divergence, False),
    (nmf.update_nature1999, nmf.nature1999_objective, True),
], ids=["euclidean", "kl", "nature1999"])
@PROPERTY_SETTINGS
@given(factors=factorisations())
def test_nmf_rules_keep_factors_non_negative_and_objective_monotone(update, objective, increasing,
                                                                    factors):
    V, W, H = factors
    value = objective(V, W, H)
    for _ in range(5):
        W, H = update(V, W, H)
        assert np.all(W >= 0) and np.all(H >= 0)
        assert np.all(np.isfinite(W)) and np.all(np.isfinite(H))
        new_value = objective(V, W, H)
        assert _not_worse(value, new_value, increasing), (value, new_value)
        value = new_value


@pytest.mark.parametrize("loss", ["euclidean", "kl", "nature1999"])
@settings(max_examples=25, deadline=None, derandomize=True)
@given(factors=factorisations(), init=st.sampled_from(["random", "nndsvd", "nndsvda", "nndsvdar"]))
def test_nmf_estimator_history_is_monotone(loss, factors, init):
    V, _, _ = factors
    r = min(V.shape)
    model = nmf.NMF(n_components=r, loss=loss, init=init, max_iter=30, tol=0, random_state=0)
    try:
        W = model.fit_transform(V)
    except ValueError as exc:
        # NNDSVD is undefined on some degenerate V (scikit-learn's init returns NaN there):
        # refusing clearly is the contract; anything else is a failure.
        assert init != "random" and "n_components" in str(exc), exc
        return
    assert np.all(W >= 0) and np.all(model.components_ >= 0)
    steps = np.diff(model.loss_history_)
    slack = 1e-9 * (1.0 + np.abs(model.loss_history_[:-1]))
    if loss == "nature1999":  # F increases
        assert np.all(steps >= -slack)
    else:
        assert np.all(steps <= slack)


# --- K-Means -----------------------------------------------------------------------------------
@st.composite
def clustering_problems(draw):
    n = draw(st.integers(2, 40))
    d = draw(st.integers(1, 4))
    k = draw(st.integers(1, min(n, 6)))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    centers = rng.normal(scale=draw(st.sampled_from([0.1, 3.0])), size=(k, d))
    X = centers[rng.integers(k, size=n)] + rng.normal(size=(n, d))
    if draw(st.booleans()):  # duplicated points: ties and empty clusters
        X[: n // 2] = X[0]
    return X, k, seed


@PROPERTY_SETTINGS
@given(problem=clustering_problems(), init=st.sampled_from(["k-means++", "random", "k-means||"]),
       metric=st.sampled_from(["euclidean", "cosine"]))
def test_kmeans_inertia_never_increases_along_history(problem, init, metric):
    X, k, seed = problem
    if metric == "cosine":
        X = X + np.where(np.linalg.norm(X, axis=1, keepdims=True) == 0, 1.0, 0.0)  # no zero rows
    model = kmeans.KMeans(n_clusters=k, init=init, n_init=2, max_iter=50, metric=metric,
                          random_state=seed).fit(X)
    # Entry 0 ('init') has centres but no labels yet, hence no inertia.
    inertias = np.array([entry.inertia for entry in model.history_[1:]])
    assert np.all(np.diff(inertias) <= 1e-9 * (1.0 + inertias[:-1]))
    # Every recorded inertia (known without a pass over the data) is the real one.
    for entry in model.history_[1:]:
        assert entry.inertia == pytest.approx(
            kmeans.compute_inertia(X, entry.labels, entry.centers, metric), rel=1e-9, abs=1e-9)
    last = model.history_[-1]
    np.testing.assert_array_equal(last.centers, model.cluster_centers_)
    np.testing.assert_array_equal(last.labels, model.labels_)
    assert last.inertia == model.inertia_
    # The reported inertia is the real one of the returned labels and centres.
    assert model.inertia_ == pytest.approx(
        kmeans.compute_inertia(X, model.labels_, model.cluster_centers_, metric), rel=1e-9, abs=1e-9)


# --- Window means ------------------------------------------------------------------------------
@st.composite
def windowed_images(draw):
    height, width = draw(st.integers(1, 14)), draw(st.integers(1, 14))
    channels = draw(st.sampled_from([None, 1, 3, 4]))
    dtype = draw(st.sampled_from([np.uint8, np.float64, np.bool_]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    shape = (height, width) if channels is None else (height, width, channels)
    if dtype is np.uint8:
        image = rng.integers(0, 256, size=shape).astype(np.uint8)
    elif dtype is np.bool_:
        image = rng.random(shape) > 0.5
    else:
        image = rng.random(shape)
    window = draw(st.integers(1, min(height, width)))
    stride = draw(st.one_of(st.none(), st.integers(1, window + 3)))
    return image, window, stride


@PROPERTY_SETTINGS
@given(case=windowed_images())
def test_window_means_equal_the_naive_mean(case):
    image, window, stride = case
    means = segmentation.window_mean_features(image, window, stride)
    pixels = check_image(image)
    ys, xs = segmentation.window_positions(pixels.shape, window, stride)
    naive = np.array([[pixels[y:y + window, x:x + window].mean(axis=(0, 1)) for x in xs] for y in ys])
    np.testing.assert_allclose(means, naive, rtol=0, atol=1e-12)
    np.testing.assert_allclose(segmentation.window_mean_features_naive(image, window, stride), naive,
                               rtol=0, atol=1e-12)
    stds = segmentation.window_std_features(image, window, stride)
    naive_std = np.array([[pixels[y:y + window, x:x + window].std(axis=(0, 1)) for x in xs] for y in ys])
    np.testing.assert_allclose(stds, naive_std, rtol=0, atol=1e-6)
