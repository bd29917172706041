"""Tests of lessons_src.nmf against independent formulas and scikit-learn's NMF (solver='mu')."""
import warnings

import numpy as np
import pytest
from sklearn.decomposition import NMF as SklearnNMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.decomposition._nmf import _beta_divergence, _fit_multiplicative_update, _initialize_nmf

from lessons_src import nmf

BETA = {"euclidean": "frobenius", "kl": "kullback-leibler"}


def random_problem(seed, n=12, m=9, r=3, zeros=False):
    rng = np.random.default_rng(seed)
    V = rng.random((n, m))
    if zeros:
        V[rng.random((n, m)) < 0.2] = 0.0
    return V, rng.random((n, r)) + 0.05, rng.random((r, m)) + 0.05


# ----------------------------------------------------------------------------------------------
# Objectives
# ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("zeros", [False, True])
def test_objectives_match_scikit_learn_and_the_definitions(zeros):
    V, W, H = random_problem(1, zeros=zeros)
    WH = W @ H
    assert nmf.euclidean_loss(V, W, H) == pytest.approx(0.5 * np.sum((V - WH) ** 2), rel=1e-12)
    assert nmf.euclidean_loss(V, W, H) == pytest.approx(_beta_divergence(V, W, H, 2), rel=1e-12)
    # The KL definition written with explicit loops over entries (0 log 0 = 0).
    expected = sum(
        (V[i, j] * np.log(V[i, j] / WH[i, j]) if V[i, j] > 0 else 0.0) - V[i, j] + WH[i, j]
        for i in range(V.shape[0]) for j in range(V.shape[1])
    )
    assert nmf.kl_divergence(V, W, H) == pytest.approx(expected, rel=1e-12)
    assert nmf.kl_divergence(V, W, H) == pytest.approx(_beta_divergence(V, W, H, 1), rel=1e-10)
    positive = V > 0
    F = np.sum(V[positive] * np.log(WH[positive])) - WH.sum()
    assert nmf.nature1999_objective(V, W, H) == pytest.approx(F, rel=1e-12)
    # F = -D_KL + sum(V log V - V): maximising F is minimising D_KL.
    constant = np.sum(V[positive] * np.log(V[positive])) - V.sum()
    assert nmf.nature1999_objective(V, W, H) == pytest.approx(constant - nmf.kl_divergence(V, W, H),
                                                              rel=1e-12)


def test_objectives_at_an_exact_factorisation():
    _, W, H = random_problem(2)
    V = W @ H
    assert nmf.euclidean_loss(V, W, H) == pytest.approx(0.0, abs=1e-20)
    assert nmf.kl_divergence(V, W, H) == pytest.approx(0.0, abs=1e-12)
    assert nmf.kl_divergence(V, W, H * 1.1) > 1e-3


def test_shape_mismatch_is_named():
    V, W, H = random_problem(3)
    with pytest.raises(ValueError, match="W of shape"):
        nmf.euclidean_loss(V, W[:-1], H)
    with pytest.raises(ValueError, match="must be 2-D"):
        nmf.update_kl(V.ravel(), W, H)


# ----------------------------------------------------------------------------------------------
# One step equals its formula, computed independently (element by element sums)
# ----------------------------------------------------------------------------------------------

def test_update_euclidean_equals_the_formula():
    V, W, H = random_problem(4)
    n, r = W.shape
    m = H.shape[1]
    WH = np.einsum("ik,kj->ij", W, H)
    W_expected = np.empty_like(W)
    for i in range(n):
        for k in range(r):
            VHt = sum(V[i, j] * H[k, j] for j in range(m))
            WHHt = sum(WH[i, j] * H[k, j] for j in range(m))
            W_expected[i, k] = W[i, k] * VHt / WHHt
    WH = np.einsum("ik,kj->ij", W_expected, H)
    H_expected = np.empty_like(H)
    for k in range(r):
        for j in range(m):
            WtV = sum(W_expected[i, k] * V[i, j] for i in range(n))
            WtWH = sum(W_expected[i, k] * WH[i, j] for i in range(n))
            H_expected[k, j] = H[k, j] * WtV / WtWH
    W_new, H_new = nmf.update_euclidean(V, W, H)
    np.testing.assert_allclose(W_new, W_expected, rtol=1e-12)
    np.testing.assert_allclose(H_new, H_expected, rtol=1e-12)


def test_update_euclidean_is_the_gradient_step_with_the_lecture_step_size():
    V, W, H = random_problem(5)
    gradient_W = -(V - W @ H) @ H.T
    step_W = W / (W @ H @ H.T)
    W_gd = W - step_W * gradient_W
    gradient_H = -W_gd.T @ (V - W_gd @ H)
    H_gd = H - H / (W_gd.T @ W_gd @ H) * gradient_H
    W_new, H_new = nmf.update_euclidean(V, W, H)
    np.testing.assert_allclose(W_new, W_gd, rtol=1e-10)
    np.testing.assert_allclose(H_new, H_gd, rtol=1e-10)


@pytest.mark.parametrize("zeros", [False, True])
def test_update_kl_equals_the_formula(zeros):
    V, W, H = random_problem(6, zeros=zeros)
    n, r = W.shape
    m = H.shape[1]
    WH = W @ H
    W_expected = np.array([[W[i, k] * sum(H[k, j] * V[i, j] / WH[i, j] for j in range(m))
                            / sum(H[k, j] for j in range(m)) for k in range(r)] for i in range(n)])
    WH = W_expected @ H
    H_expected = np.array([[H[k, j] * sum(W_expected[i, k] * V[i, j] / WH[i, j] for i in range(n))
                            / sum(W_expected[i, k] for i in range(n)) for j in range(m)]
                           for k in range(r)])
    W_new, H_new = nmf.update_kl(V, W, H)
    np.testing.assert_allclose(W_new, W_expected, rtol=1e-12)
    np.testing.assert_allclose(H_new, H_expected, rtol=1e-12)
    # And it is gradient descent with the CORRECT step w/sum(h) and gradient sum(h - h v/WH).
    gradient_W = (np.ones_like(V) - V / (W @ H)) @ H.T
    W_gd = W - W / H.sum(axis=1)[None, :] * gradient_W
    np.testing.assert_allclose(W_new, W_gd, rtol=1e-10)


def test_update_nature1999_equals_the_formula():
    V, W, H = random_problem(7)
    n, r = W.shape
    m = H.shape[1]
    WH = W @ H
    W1 = np.array([[W[i, a] * sum(V[i, mu] / WH[i, mu] * H[a, mu] for mu in range(m))
                    for a in range(r)] for i in range(n)])
    W2 = np.array([[W1[i, a] / sum(W1[j, a] for j in range(n)) for a in range(r)] for i in range(n)])
    WH = W2 @ H
    H_expected = np.array([[H[a, mu] * sum(W2[i, a] * V[i, mu] / WH[i, mu] for i in range(n))
                            for mu in range(m)] for a in range(r)])
    W_new, H_new = nmf.update_nature1999(V, W, H)
    np.testing.assert_allclose(W_new, W2, rtol=1e-12)
    np.testing.assert_allclose(H_new, H_expected, rtol=1e-12)
    np.testing.assert_allclose(W_new.sum(axis=0), 1.0, rtol=1e-12)


def test_updates_do_not_modify_their_inputs_and_stay_non_negative():
    V, W, H = random_problem(8, zeros=True)
    copies = V.copy(), W.copy(), H.copy()
    for update in (nmf.update_euclidean, nmf.update_kl, nmf.update_nature1999):
        W_new, H_new = update(V, W, H)
        assert W_new.min() >= 0 and H_new.min() >= 0
        for original, copy in zip((V, W, H), copies):
            np.testing.assert_array_equal(original, copy)


def test_zero_rows_and_columns_do_not_produce_nan():
    """The epsilon: a zero column of W makes a denominator 0; the rules must stay finite."""
    V, W, H = random_problem(9)
    W[:, 1] = 0.0
    H[2, :] = 0.0
    for update in (nmf.update_euclidean, nmf.update_kl, nmf.update_nature1999):
        W_new, H_new = update(V, W, H)
        assert np.all(np.isfinite(W_new)) and np.all(np.isfinite(H_new))


def test_zero_lock_zeros_never_move():
    """The MU trap of lesson 06: an entry that is exactly 0 stays 0 for ever."""
    V, W, H = random_problem(10)
    W[3, 0] = 0.0
    H[1, 4] = 0.0
    for update in (nmf.update_euclidean, nmf.update_kl):
        Wk, Hk = W, H
        for _ in range(50):
            Wk, Hk = update(V, Wk, Hk)
        assert Wk[3, 0] == 0.0 and Hk[1, 4] == 0.0
        assert np.all(np.delete(Wk.ravel(), 3 * W.shape[1]) > 0)


# ----------------------------------------------------------------------------------------------
# Monotonicity over hundreds of steps from many random starts
# ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, update, objective, sign", [
    ("euclidean", nmf.update_euclidean, nmf.euclidean_loss, 1),
    ("kl", nmf.update_kl, nmf.kl_divergence, 1),
    ("nature1999", nmf.update_nature1999, nmf.nature1999_objective, -1),
])
def test_objective_is_monotone(name, update, objective, sign):
    n_steps = 0
    for seed in range(20):
        rng = np.random.default_rng(100 + seed)
        n, m, r = rng.integers(4, 12), rng.integers(4, 12), rng.integers(1, 5)
        V = rng.random((n, m)) * rng.uniform(0.1, 10)
        if seed % 2:
            V[rng.random((n, m)) < 0.25] = 0.0
        W, H = rng.random((n, r)), rng.random((r, m))
        previous = sign * objective(V, W, H)
        start = previous
        for _ in range(300):
            W, H = update(V, W, H)
            current = sign * objective(V, W, H)
            # sign * objective never increases, up to rounding.
            assert current <= previous + 1e-10 * max(1.0, abs(previous)), (name, seed)
            previous = current
            n_steps += 1
        assert previous < start  # it did move
    assert n_steps == 20 * 300


# ----------------------------------------------------------------------------------------------
# Initialisation: bit for bit the same as scikit-learn's
# ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", nmf.INIT_METHODS)
@pytest.mark.parametrize("shape, r", [((30, 20), 5), ((15, 40), 6), ((80, 60), 3)])
@pytest.mark.parametrize("random_state", [0, 7])
def test_initialize_matches_scikit_learn_bit_for_bit(method, shape, r, random_state):
    rng = np.random.default_rng(11)
    V = rng.random(shape)
    V[rng.random(shape) < 0.1] = 0.0
    W, H = nmf.initialize(V, np.int64(r), method=method, random_state=random_state)
    W_sk, H_sk = _initialize_nmf(V, r, init=method, random_state=random_state)
    np.testing.assert_array_equal(W, W_sk)
    np.testing.assert_array_equal(H, H_sk)


def test_initialize_with_a_random_state_instance_and_none():
    V = np.random.default_rng(12).random((25, 18))
    W, H = nmf.initialize(V, 4, "nndsvdar", np.random.RandomState(3))
    W_sk, H_sk = _initialize_nmf(V, 4, "nndsvdar", random_state=np.random.RandomState(3))
    np.testing.assert_array_equal(W, W_sk)
    np.testing.assert_array_equal(H, H_sk)
    np.random.seed(5)
    W, H = nmf.initialize(V, 4, "random", None)
    np.random.seed(5)
    W_sk, H_sk = _initialize_nmf(V, 4, "random", random_state=None)
    np.testing.assert_array_equal(W, W_sk)


def test_initialize_with_a_generator_draws_from_it_as_scikit_learn_would():
    """A Generator is read through the RandomState that shares its bit generator."""
    V = np.random.default_rng(12).random((25, 18))
    for method in ("random", "nndsvdar"):
        W, H = nmf.initialize(V, 4, method, np.random.default_rng(3))
        legacy = np.random.RandomState(np.random.default_rng(3).bit_generator)
        W_sk, H_sk = _initialize_nmf(V, 4, method, random_state=legacy)
        np.testing.assert_array_equal(W, W_sk)
        np.testing.assert_array_equal(H, H_sk)
    generator = np.random.default_rng(3)
    first = nmf.initialize(V, 4, "random", generator)
    second = nmf.initialize(V, 4, "random", generator)     # the generator has moved on
    assert not np.array_equal(first.W, second.W)
    model = nmf.NMF(3, init="random", max_iter=5, random_state=np.random.default_rng(1))
    np.testing.assert_array_equal(
        model.fit_transform(V),
        nmf.NMF(3, init="random", max_iter=5, random_state=np.random.default_rng(1)).fit_transform(V))


def test_initialize_rejects_bad_arguments():
    V = np.random.default_rng(13).random((6, 5))
    with pytest.raises(ValueError, match="method"):
        nmf.initialize(V, 2, "svd")
    with pytest.raises(ValueError, match="n_components"):
        nmf.initialize(V, 6, "nndsvd")
    bad = V.copy()
    bad[2, 3] = -0.5
    with pytest.raises(ValueError, match=r"-0\.5"):
        nmf.initialize(bad, 2)
    with pytest.raises(TypeError, match="random_state"):
        nmf.initialize(V, 2, "random", random_state="seed")


def test_nndsvd_is_sparse_and_nndsvda_fills_the_zeros_with_the_mean():
    V = np.random.default_rng(14).random((40, 30))
    W, H = nmf.initialize(V, 6, "nndsvd", 0)
    assert nmf.sparsity(W) > 0.2 and nmf.sparsity(H) > 0.2
    Wa, Ha = nmf.initialize(V, 6, "nndsvda", 0)
    np.testing.assert_allclose(Wa[W == 0], V.mean())
    np.testing.assert_array_equal(Wa[W > 0], W[W > 0])


# ----------------------------------------------------------------------------------------------
# The estimator against scikit-learn's NMF(solver='mu')
# ----------------------------------------------------------------------------------------------

def faces_like(seed=0, n_samples=60, n_features=40):
    """Non-negative data with some exact zeros, like clipped face images."""
    rng = np.random.default_rng(seed)
    X = rng.gamma(2.0, 0.2, size=(n_samples, n_features))
    X[X < 0.1] = 0.0
    return X


def sklearn_fit(X, loss, **kwargs):
    model = SklearnNMF(solver="mu", beta_loss=BETA[loss], **kwargs)
    with warnings.catch_warnings():
        # scikit-learn warns when it stops at max_iter, which these tests do on purpose, and
        # when nndsvd's zeros meet 'mu' (the zero lock of lesson 06, compared on purpose too).
        warnings.filterwarnings("ignore", category=ConvergenceWarning,
                                message="Maximum number of iterations")
        warnings.filterwarnings("ignore", category=UserWarning,
                                message=r"The multiplicative update \('mu'\) solver cannot update zeros")
        W = model.fit_transform(X)
    return model, W


@pytest.mark.parametrize("loss", ["euclidean", "kl"])
@pytest.mark.parametrize("init", nmf.INIT_METHODS)
def test_estimator_reaches_scikit_learn_loss(loss, init):
    X = faces_like(1)
    for max_iter, tol in [(150, 0.0), (400, 1e-4)]:
        ours = nmf.NMF(6, loss=loss, init=init, max_iter=max_iter, tol=tol, random_state=0)
        W = ours.fit_transform(X)
        sk, W_sk = sklearn_fit(X, loss, n_components=6, init=init, max_iter=max_iter, tol=tol,
                               random_state=0)
        assert ours.n_iter_ == sk.n_iter_
        ours_loss = _beta_divergence(X, W, ours.components_, BETA[loss])
        sk_loss = _beta_divergence(X, W_sk, sk.components_, BETA[loss])
        assert ours_loss == pytest.approx(sk_loss, rel=0.01)
        # In fact the same iterates, up to rounding (same order of operations).
        assert ours_loss == pytest.approx(sk_loss, rel=1e-6)
        assert ours.reconstruction_err_ == pytest.approx(sk.reconstruction_err_, rel=1e-6)
        assert ours.loss_history_.shape == (ours.n_iter_,)
        assert ours.loss_history_[-1] == pytest.approx(ours_loss, rel=1e-9)


@pytest.mark.parametrize("loss", ["euclidean", "kl"])
def test_estimator_transform_matches_scikit_learn(loss):
    X = faces_like(2)
    ours = nmf.NMF(5, loss=loss, max_iter=100, random_state=0).fit(X[:40])
    sk, _ = sklearn_fit(X[:40], loss, n_components=5, max_iter=100, random_state=0)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=ConvergenceWarning,
                                message="Maximum number of iterations")
        expected = sk.transform(X[40:])
    np.testing.assert_allclose(ours.transform(X[40:]), expected, rtol=1e-6, atol=1e-10)


def test_run_updates_records_the_loss_and_stops_like_scikit_learn():
    X = faces_like(8, 30, 20)
    W0, H0 = nmf.initialize(X, 4, "nndsvda", 0)
    run = nmf.run_updates(nmf.update_euclidean, X, W0, H0, 25)
    W, H, losses = W0, H0, [nmf.euclidean_loss(X, W0, H0)]
    for _ in range(25):
        W, H = nmf.update_euclidean(X, W, H)
        losses.append(nmf.euclidean_loss(X, W, H))
    assert run.n_iter == 25 and run.losses.shape == (26,)
    np.testing.assert_array_equal(run.losses, losses)
    np.testing.assert_array_equal(run.W, W)
    np.testing.assert_array_equal(run.H, H)
    # The tol rule: checked every 10 steps, as scikit-learn's; a large tol stops at step 10.
    assert nmf.run_updates(nmf.update_euclidean, X, W0, H0, 500, tol=0.5).n_iter == 10
    _, _, n_iter = _fit_multiplicative_update(X, W0.copy(), H0.copy(), "frobenius", 500, 1e-3)
    assert nmf.run_updates(nmf.update_euclidean, X, W0, H0, 500, tol=1e-3).n_iter == n_iter
    assert nmf.run_updates(nmf.update_euclidean, X, W0, H0, 0).losses.shape == (1,)
    with pytest.raises(ValueError, match="max_iter"):
        nmf.run_updates(nmf.update_euclidean, X, W0, H0, -1)


@pytest.mark.parametrize("loss, update, objective", [
    ("euclidean", nmf.update_euclidean, nmf.euclidean_loss),
    ("kl", nmf.update_kl, nmf.kl_divergence),
])
def test_estimator_runs_the_lesson_update_rules(loss, update, objective):
    """The fast in-place loop of the estimator and the readable update functions agree."""
    X = faces_like(3, 30, 20)
    ours = nmf.NMF(4, loss=loss, init="random", max_iter=25, tol=0, random_state=1)
    W = ours.fit_transform(X)
    W_ref, H_ref = nmf.initialize(X, 4, "random", 1)
    history = []
    for _ in range(25):
        W_ref, H_ref = update(X, W_ref, H_ref)
        history.append(objective(X, W_ref, H_ref))
    np.testing.assert_allclose(W, W_ref, rtol=1e-9)
    np.testing.assert_allclose(ours.components_, H_ref, rtol=1e-9)
    np.testing.assert_allclose(ours.loss_history_, history, rtol=1e-9)
    assert np.all(np.diff(ours.loss_history_) <= 1e-12 * ours.loss_history_[0])


def test_estimator_nature1999():
    X = faces_like(4, 40, 25)
    ours = nmf.NMF(5, loss="nature1999", init="nndsvda", max_iter=60, tol=0, random_state=0)
    W = ours.fit_transform(X)
    # The basis images (rows of components_) sum to 1, and F only increases.
    np.testing.assert_allclose(ours.components_.sum(axis=1), 1.0, rtol=1e-12)
    assert np.all(np.diff(ours.loss_history_) >= -1e-10 * abs(ours.loss_history_[0]))
    assert ours.loss_history_[-1] == pytest.approx(
        nmf.nature1999_objective(X, W, ours.components_), rel=1e-10)
    # Same iterates as update_nature1999 in the lecture's orientation V = X^T, W_l = H^T, H_l = W^T.
    W0, H0 = nmf.initialize(X, 5, "nndsvda", 0)
    basis, encodings = H0.T, W0.T
    for _ in range(60):
        basis, encodings = nmf.update_nature1999(X.T, basis, encodings)
    np.testing.assert_allclose(ours.components_, basis.T, rtol=1e-9)
    np.testing.assert_allclose(W, encodings.T, rtol=1e-9)
    # It minimises KL too: close to the KL solution's divergence reached by scikit-learn.
    sk, W_sk = sklearn_fit(X, "kl", n_components=5, max_iter=60, tol=0, random_state=0)
    ours_kl = nmf.kl_divergence(X, W, ours.components_)
    assert ours_kl == pytest.approx(_beta_divergence(X, W_sk, sk.components_, 1), rel=0.05)
    transformed = ours.transform(X)
    assert nmf.kl_divergence(X, transformed, ours.components_) < nmf.kl_divergence(
        X, np.full_like(W, np.sqrt(X.mean() / 5)), ours.components_)


def test_estimator_api():
    X = faces_like(5, 30, 20)
    model = nmf.NMF(np.int64(3), max_iter=20, random_state=np.int64(0))
    assert model.fit(X) is model
    W = model.transform(X)
    assert W.shape == (30, 3) and model.components_.shape == (3, 20)
    np.testing.assert_allclose(model.inverse_transform(W), W @ model.components_)
    assert "NMF(n_components=3" in repr(model)
    with pytest.raises(ValueError, match="not fitted"):
        nmf.NMF(2).transform(X)
    with pytest.raises(ValueError, match="features"):
        model.transform(X[:, :5])


@pytest.mark.parametrize("bad_value, pattern", [(-1.5, r"-1\.5"), (np.nan, "nan"), (np.inf, "inf")])
def test_estimator_rejects_bad_input_naming_the_value(bad_value, pattern):
    X = faces_like(6, 10, 8)
    X[4, 2] = bad_value
    with pytest.raises(ValueError, match=pattern) as info:
        nmf.NMF(2).fit(X)
    assert "X[4, 2]" in str(info.value)


@pytest.mark.parametrize("kwargs, pattern", [
    ({"loss": "frobenius"}, "loss"), ({"init": "custom"}, "init"), ({"tol": -1.0}, "tol"),
    ({"n_components": 11}, "n_components"), ({"max_iter": 0}, "max_iter"),
])
def test_estimator_rejects_bad_parameters(kwargs, pattern):
    params = {"n_components": 2, **kwargs}
    with pytest.raises(ValueError, match=pattern):
        nmf.NMF(**params).fit(faces_like(7, 10, 8))


def test_sparsity():
    assert nmf.sparsity(np.array([[0.0, 1.0], [0.0, 2.0]])) == 0.5
    assert nmf.sparsity(np.zeros((2, 2))) == 1.0


def test_lee_seung_preprocess():
    images = np.random.default_rng(15).integers(0, 256, size=(5, 4, 3)).astype(np.uint8)
    images[4] = 7  # a flat image
    X = nmf.lee_seung_preprocess(images)
    assert X.shape == (5, 12) and X.min() >= 0 and X.max() <= 1
    flat = images[:4].reshape(4, -1).astype(float)
    unclipped = 0.25 + 0.25 * (flat - flat.mean(1, keepdims=True)) / flat.std(1, keepdims=True)
    np.testing.assert_allclose(X[:4], np.clip(unclipped[:4], 0, 1))
    np.testing.assert_allclose(unclipped[:4].mean(1), 0.25)
    np.testing.assert_allclose(unclipped[:4].std(1), 0.25)
    np.testing.assert_allclose(X[4], 0.25)
    with pytest.raises(ValueError, match="shape"):
        nmf.lee_seung_preprocess(np.zeros(5))


# ----------------------------------------------------------------------------------------------
# Plain gradient steps (lesson 07)
# ----------------------------------------------------------------------------------------------

def test_projected_gradient_step_equals_the_formula():
    V, W, H = random_problem(16)
    step = 0.05
    W_expected = np.clip(W - step * (-(V - W @ H) @ H.T), 0, None)
    H_expected = np.clip(H - step * (-W_expected.T @ (V - W_expected @ H)), 0, None)
    W_new, H_new = nmf.projected_gradient_step(V, W, H, step)
    np.testing.assert_allclose(W_new, W_expected, rtol=1e-12)
    np.testing.assert_allclose(H_new, H_expected, rtol=1e-12)
    # A huge step leaves the loss higher than where it started; a small one decreases it.
    assert nmf.euclidean_loss(V, *nmf.projected_gradient_step(V, W, H, 5.0)) > nmf.euclidean_loss(V, W, H)
    assert nmf.euclidean_loss(V, *nmf.projected_gradient_step(V, W, H, 1e-3)) < nmf.euclidean_loss(V, W, H)
    with pytest.raises(ValueError, match="step"):
        nmf.projected_gradient_step(V, W, H, -1.0)


def test_finite_difference_gradient_checks_the_lesson_gradients():
    V, W, H = random_problem(22, n=5, m=4, r=2)
    numeric = nmf.finite_difference_gradient(lambda A: nmf.euclidean_loss(V, A, H), W)
    np.testing.assert_allclose(numeric, -(V - W @ H) @ H.T, rtol=1e-6, atol=1e-9)
    numeric = nmf.finite_difference_gradient(lambda A: nmf.euclidean_loss(V, W, A), H)
    np.testing.assert_allclose(numeric, -W.T @ (V - W @ H), rtol=1e-6, atol=1e-9)
    numeric = nmf.finite_difference_gradient(lambda A: nmf.kl_divergence(V, A, H), W)
    correct = (np.ones_like(V) - V / (W @ H)) @ H.T
    slides = -(V / (W @ H) + np.ones_like(V)) @ H.T
    np.testing.assert_allclose(numeric, correct, rtol=1e-5, atol=1e-8)
    assert not np.allclose(numeric, slides, atol=1e-2)
    # Any shape, and the step is checked.
    assert nmf.finite_difference_gradient(lambda a: float(np.sum(a ** 3)), np.ones(3)).shape == (3,)
    with pytest.raises(ValueError, match="step"):
        nmf.finite_difference_gradient(np.sum, W, step=0.0)


def test_kl_gradient_step_correct_rules_are_the_multiplicative_update():
    V, W, H = random_problem(17, zeros=True)
    W_new, H_new = nmf.kl_gradient_step(V, W, H, "correct", "correct")
    W_mu, H_mu = nmf.update_kl(V, W, H)
    np.testing.assert_allclose(W_new, W_mu, rtol=1e-10)
    np.testing.assert_allclose(H_new, H_mu, rtol=1e-10)
    # The slides' gradient: -sum(h v / WH + h), everywhere negative, so it only ever grows W.
    W_s, _ = nmf.kl_gradient_step(V, W, H, "slides", "slides")
    WH = W @ H
    np.testing.assert_allclose(W_s, W + ((V / WH) @ H.T + H.sum(1)[None, :]) / H.sum(1)[None, :])
    with pytest.raises(ValueError, match="gradient_rule"):
        nmf.kl_gradient_step(V, W, H, "correct", "minus")


def test_only_the_correct_kl_step_and_gradient_decrease_the_divergence():
    """The erratum check of lesson 07, on faces-like data: the slides' step or sign fails."""
    X = faces_like(18, 40, 30).T
    W, H = nmf.initialize(X, 5, "nndsvda", 0)
    start = nmf.kl_divergence(X, W, H)
    for step_rule in nmf.KL_RULES:
        for gradient_rule in nmf.KL_RULES:
            Wk, Hk = W, H
            values = [start]
            for _ in range(20):
                Wk, Hk = nmf.kl_gradient_step(X, Wk, Hk, step_rule, gradient_rule)
                values.append(nmf.kl_divergence(X, Wk, Hk))
            monotone = np.all(np.diff(values) <= 1e-10 * start)
            if step_rule == gradient_rule == "correct":
                assert monotone and values[-1] < start
            else:
                assert not monotone and values[-1] > start


# ----------------------------------------------------------------------------------------------
# Lee and Seung's auxiliary function (lesson 07's convergence erratum)
# ----------------------------------------------------------------------------------------------

def test_auxiliary_function_majorises_touches_and_its_minimum_is_the_step():
    rng = np.random.default_rng(30)
    for seed in range(5):
        V, W, H = random_problem(40 + seed, n=10, m=6, r=4)
        v, h_t = V[:, 2], H[:, 2]
        F_t, G_t, _ = nmf.euclidean_auxiliary(v, W, h_t, h_t)
        assert G_t == pytest.approx(F_t, rel=1e-14)                        # G(hᵗ, hᵗ) = F(hᵗ)
        assert F_t == pytest.approx(nmf.euclidean_loss(V[:, [2]], W, H[:, [2]]), rel=1e-12)
        for h in rng.random((200, 4)) * 3 * h_t.max():                    # G >= F everywhere
            F, G, _ = nmf.euclidean_auxiliary(v, W, h, h_t)
            assert G >= F - 1e-12 * max(1.0, F)
        # G is a separable quadratic: its minimum, written out, is the multiplicative step.
        gram = W.T @ W
        minimum = nmf.euclidean_auxiliary(v, W, h_t, h_t).G_argmin
        np.testing.assert_allclose(minimum, h_t * (W.T @ v) / (gram @ h_t), rtol=1e-12)
        G_min = nmf.euclidean_auxiliary(v, W, minimum, h_t).G
        for h in minimum + rng.normal(scale=1e-3, size=(50, 4)):
            assert nmf.euclidean_auxiliary(v, W, h, h_t).G >= G_min - 1e-14
        # The chain F(hᵗ⁺¹) <= G(hᵗ⁺¹, hᵗ) <= G(hᵗ, hᵗ) = F(hᵗ).
        F_next = nmf.euclidean_auxiliary(v, W, minimum, h_t).F
        assert F_next <= G_min <= F_t
    with pytest.raises(ValueError, match="h_t"):
        nmf.euclidean_auxiliary(v, W, h_t, np.r_[0.0, h_t[1:]])
    with pytest.raises(ValueError, match="h_t"):
        nmf.euclidean_auxiliary(v, W, h_t, h_t[:2])
    with pytest.raises(ValueError, match="too large"):
        nmf.euclidean_auxiliary(v, W, h_t * 1e300, h_t)
    with pytest.raises(ValueError, match="complex"):
        nmf.euclidean_auxiliary(v + 1j, W, h_t, h_t)


# ----------------------------------------------------------------------------------------------
# Bad input (issue 23): complex refused; huge values refused or computed, never inf/NaN
# ----------------------------------------------------------------------------------------------

import functools  # noqa: E402

FACTOR_FUNCTIONS = {
    "euclidean_loss": nmf.euclidean_loss,
    "kl_divergence": nmf.kl_divergence,
    "nature1999_objective": nmf.nature1999_objective,
    "update_euclidean": nmf.update_euclidean,
    "update_kl": nmf.update_kl,
    "update_nature1999": nmf.update_nature1999,
    "projected_gradient_step": functools.partial(nmf.projected_gradient_step, step=1e-3),
    "kl_gradient_step": nmf.kl_gradient_step,
    "update_hals": nmf.update_hals,
}


@pytest.mark.parametrize("argument", ["X", "W", "H"])
@pytest.mark.parametrize("scale", [1e300, 1e200, 1e-300])
def test_gnmf_huge_or_tiny_values_give_a_finite_answer_or_a_named_error(argument, scale):
    V, W, H = random_problem(50, zeros=True)
    arguments = {"X": V, "W": W, "H": H}
    A = nmf.neighbor_graph(V, n_neighbors=2)
    arguments[argument] = arguments[argument] * scale
    for function in (nmf.update_gnmf, nmf.gnmf_objective):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                result = function(**arguments, A=A, lambda_=1.0)
            except ValueError as error:
                assert scale > 1, f"{function.__name__} refused {argument} * {scale:g}: {error}"
                assert f"{argument} is too large" in str(error), str(error)
                continue
        assert _all_finite(result), f"{function.__name__}({argument} * {scale:g}) returned inf or NaN"


def test_neighbor_graph_is_the_same_for_huge_and_tiny_data():
    X = np.random.default_rng(0).random((20, 3))
    graph = nmf.neighbor_graph(X, 3).toarray()
    for scale in (1e300, 1e-300):
        np.testing.assert_array_equal(nmf.neighbor_graph(X * scale, 3).toarray(), graph)


def _all_finite(result):
    parts = result if isinstance(result, tuple) else (result,)
    return all(np.all(np.isfinite(part)) for part in parts)


@pytest.mark.parametrize("name", FACTOR_FUNCTIONS)
@pytest.mark.parametrize("argument", ["V", "W", "H"])
@pytest.mark.parametrize("scale", [1e300, 1e200, 1e160, 1e-300])
def test_huge_or_tiny_values_give_a_finite_answer_or_a_named_error(name, argument, scale):
    V, W, H = random_problem(50, zeros=True)
    arguments = {"V": V, "W": W, "H": H}
    arguments[argument] = arguments[argument] * scale
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # no overflow warning either
        try:
            result = FACTOR_FUNCTIONS[name](**arguments)
        except ValueError as error:
            assert scale > 1, f"{name} refused {argument} * {scale:g}: {error}"
            assert f"{argument} is too large" in str(error), str(error)
            return
    assert _all_finite(result), f"{name}({argument} * {scale:g}) returned inf or NaN"


def test_the_issue_23_reproducers():
    V, W, H = random_problem(51)
    with pytest.raises(ValueError, match="V is too large for euclidean_loss"):
        nmf.euclidean_loss(V * 1e300, W, H)
    with pytest.raises(ValueError, match="V is too large for update_euclidean"):
        nmf.update_euclidean(V * 1e300, W, H)
    for fit in (lambda X: nmf.NMF(2, random_state=0).fit(X),
                lambda X: nmf.initialize(X, 2, random_state=0)):
        with pytest.raises(ValueError, match="too large for NMF"):
            fit(V * 1e300)
    model = nmf.NMF(2, max_iter=20, random_state=0).fit(V)
    with pytest.raises(ValueError, match="X is too large"):
        model.transform(V * 1e300)
    # Large but safe data are fitted, to the same factors scaled (NMF is scale-equivariant; the
    # random start scales with sqrt(mean), while nndsvd's 1e-6 threshold would not).
    big = nmf.NMF(2, init="random", max_iter=20, tol=0, random_state=0)
    W_big = big.fit_transform(V * 2.0 ** 100)
    small = nmf.NMF(2, init="random", max_iter=20, tol=0, random_state=0)
    W_small = small.fit_transform(V)
    np.testing.assert_allclose(W_big, W_small * 2.0 ** 50, rtol=1e-9)
    assert big.reconstruction_err_ == pytest.approx(small.reconstruction_err_ * 2.0 ** 100)


@pytest.mark.parametrize("name", FACTOR_FUNCTIONS)
@pytest.mark.parametrize("argument", ["V", "W", "H"])
def test_complex_and_text_input_is_refused_naming_the_argument(name, argument):
    V, W, H = random_problem(52)
    good = {"V": V, "W": W, "H": H}
    for bad in (good[argument] + 0.5j, np.full(good[argument].shape, "bright")):
        arguments = {**good, argument: bad}
        with warnings.catch_warnings():
            warnings.simplefilter("error")      # no ComplexWarning
            with pytest.raises((ValueError, TypeError), match=argument):
                FACTOR_FUNCTIONS[name](**arguments)


def test_estimator_refuses_complex_data():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="X holds complex"):
            nmf.NMF(2).fit(faces_like(7, 10, 8) + 0j)


# ----------------------------------------------------------------------------------------------
# The estimator's Euclidean loss comes from the rule's products (2 large products per step)
# ----------------------------------------------------------------------------------------------

def test_the_loss_from_the_rules_products_equals_the_loss():
    for seed, (n, m, r) in enumerate([(30, 20, 4), (12, 40, 7), (361, 120, 16)]):
        rng = np.random.default_rng(60 + seed)
        X = rng.random((n, m))
        X[rng.random((n, m)) < 0.3] = 0.0
        W0, H0 = nmf.initialize(X, r, "nndsvd", random_state=seed)    # exact zeros in H too
        tracked = nmf.run_updates(nmf.update_euclidean, X, W0, H0, 40,
                                  loss=nmf._EuclideanLossAfterSteps())
        exact = nmf.run_updates(nmf.update_euclidean, X, W0, H0, 40)
        np.testing.assert_array_equal(tracked.W, exact.W)
        np.testing.assert_allclose(tracked.losses, exact.losses,
                                   rtol=0, atol=1e-13 * 0.5 * np.sum(X ** 2))
    # And it can tell a different step apart: fed a step that is not update_euclidean's, it errs.
    X = np.random.default_rng(7).random((10, 8))
    W0, H0 = nmf.initialize(X, 3, "random", random_state=0)
    wrong = nmf.run_updates(functools.partial(nmf.projected_gradient_step, step=0.01), X, W0, H0,
                            3, loss=nmf._EuclideanLossAfterSteps())
    right = nmf.run_updates(functools.partial(nmf.projected_gradient_step, step=0.01), X, W0, H0, 3)
    assert not np.allclose(wrong.losses[1:], right.losses[1:], rtol=1e-6)


def test_estimator_loss_history_is_the_loss_of_each_iterate():
    X = faces_like(9, 60, 40)
    W_ref, H_ref = nmf.initialize(X, 5, "nndsvda", 0)
    model = nmf.NMF(5, init="nndsvda", max_iter=30, tol=0, random_state=0)
    model.fit(X)
    for k in range(30):
        W_ref, H_ref = nmf.update_euclidean(X, W_ref, H_ref)
        assert model.loss_history_[k] == pytest.approx(nmf.euclidean_loss(X, W_ref, H_ref),
                                                       rel=1e-11)


# ----------------------------------------------------------------------------------------------
# Figures, slider functions and exercises of lessons 06 and 07
# ----------------------------------------------------------------------------------------------

from lessons_src import datasets, plotting  # noqa: E402
from lessons_src.figures import nmf_faces, nmf_rules  # noqa: E402


def test_load_faces():
    X, shape = datasets.load_face_matrix("cbcl", 50, random_state=0)
    assert X.shape == (50, 361) and shape == (19, 19) and 0 <= X.min() and X.max() <= 1
    X, shape = datasets.load_face_matrix("orl", 20, random_state=0)
    assert X.shape == (20, 56 * 46) and shape == (56, 46)
    with pytest.raises(ValueError, match="name"):
        datasets.load_face_matrix("olivetti")
    with pytest.raises(ValueError, match="n_faces"):
        datasets.load_face_matrix("orl", 401)


def test_fit_vq_pca_nmf_constraints():
    fits = nmf_faces.fit_vq_pca_nmf("cbcl", 9, 80, 20, random_state=0)
    assert nmf_faces.fit_vq_pca_nmf("cbcl", 9, 80, 20, random_state=np.int64(0)) is fits  # cached
    assert nmf_faces.fit_vq_pca_nmf("cbcl", 9, 80, 20) is not nmf_faces.fit_vq_pca_nmf(
        "cbcl", 9, 80, 20)                                    # random_state=None: fitted afresh
    X = fits["X"]
    vq = fits["VQ"]["encodings"]
    assert set(np.unique(vq)) == {0.0, 1.0} and np.all(vq.sum(axis=1) == 1)  # one-hot
    basis = fits["PCA"]["basis"]
    np.testing.assert_allclose(basis @ basis.T, np.eye(9), atol=1e-10)  # orthonormal
    pca_encodings = fits["PCA"]["encodings"]
    gram = pca_encodings.T @ pca_encodings
    np.testing.assert_allclose(gram - np.diag(np.diag(gram)), 0, atol=1e-8)  # orthogonal
    # PCA (uncentred SVD) is the best rank-9 approximation: no method beats it.
    errors = {m: np.sum((X - fits[m]["encodings"] @ fits[m]["basis"]) ** 2) for m in ("VQ", "PCA", "NMF")}
    assert errors["PCA"] <= errors["NMF"] and errors["PCA"] <= errors["VQ"]
    assert fits["NMF"]["basis"].min() >= 0 and fits["NMF"]["encodings"].min() >= 0
    with pytest.raises(ValueError):
        fits["NMF"]["basis"][0, 0] = 1.0  # cached arrays are read-only


@pytest.mark.parametrize("side, face_index", [(2, 0), (7, 59), (7, 10 ** 6), (2, -5)])
def test_draw_decompositions_slider_extremes(side, face_index):
    fig = nmf_faces.draw_decompositions(side, face_index, dataset="cbcl", n_faces=60, max_iter=5,
                                        random_state=0)
    assert len(fig.axes) >= 10


@pytest.mark.parametrize("step", [0, 4, len(nmf_rules.SNAPSHOT_ITERATIONS) - 1, 99, -1])
def test_draw_basis_forming_slider_extremes(step):
    ax = nmf_rules.draw_basis_forming(step, n_faces=40)
    assert "iterations" in ax.get_title()


def test_basis_snapshots_loss_decreases():
    snapshots = nmf_rules.basis_snapshots(40, random_state=0)
    values = [snapshots.losses[k] for k in sorted(snapshots.losses)]
    assert np.all(np.diff(values) <= 0)
    assert nmf_rules.basis_snapshots(40, random_state=0) is snapshots             # cached
    assert snapshots.bases[0].shape == (49, 361)


def test_other_figures_draw():
    fits = nmf_faces.fit_vq_pca_nmf("cbcl", 9, 80, 20, random_state=0)
    assert len(nmf_faces.plot_basis_montages(fits)) == 3
    assert nmf_faces.plot_basis(fits["PCA"]["basis"], (19, 19), "PCA").get_clim() == (-1, 1)
    assert nmf_faces.plot_face_encodings(fits, 79).shape == (3, 3)
    assert len(nmf_faces.plot_sparsity(fits)) == 2
    axes = nmf_faces.plot_weighted_sum(fits["NMF"]["basis"], fits["NMF"]["encodings"][0],
                                      fits["X"][0], (19, 19), n_terms=3)
    assert len(axes) == 5
    with pytest.raises(ValueError, match="face_index"):
        nmf_faces.plot_face_encodings(fits, 80)


def test_compare_inits_and_zero_lock():
    X, shape = datasets.load_face_matrix("cbcl", 60, random_state=0)
    results = nmf_faces.compare_inits(X, 4, max_iter=30, random_state=0)
    assert set(results) == {"random", "nndsvd", "nndsvda", "nndsvdar", "custom"}
    for res in results.values():
        assert res["history"].shape == (31,)
        assert res["history"][0] == pytest.approx(nmf.euclidean_loss(X, res["W0"], res["H0"]))
        assert np.all(np.diff(res["history"]) <= 1e-9 * res["history"][0])
    np.testing.assert_array_equal(results["nndsvd"]["W0"], nmf.initialize(X, 4, "nndsvd", 0).W)
    report = nmf_faces.zero_lock_report(results["nndsvd"])
    assert report["zeros_start"] > 0 and report["still_zero"] == report["zeros_start"]
    assert "locked_descent" not in report
    # Locked zeros where the loss still descends: the end point is not stationary (KKT).
    with_X = nmf_faces.zero_lock_report(results["nndsvd"], X)
    W, H = results["nndsvd"]["W"], results["nndsvd"]["H"]
    gradient_W = (W @ H - X) @ H.T
    expected = np.sum((results["nndsvd"]["W0"] == 0) & (W == 0) & (gradient_W < 0))
    assert with_X["locked_descent"] >= expected > 0
    assert nmf_faces.zero_lock_report(results["nndsvda"])["zeros_start"] == 0
    assert nmf_faces.plot_init_comparison(results).shape == (2,)
    assert nmf_faces.plot_zero_lock(results, shape, n_images=4).shape == (4, 4)


def test_auxiliary_slice_touches_below_and_is_smallest_at_the_step():
    V, W, H = random_problem(22, n=15, m=8, r=4)
    aux = nmf_rules.auxiliary_slice(V[:, 3], W, H[:, 3])
    assert aux.s.min() < 0 < 1 < aux.s.max()
    assert np.all(aux.G >= aux.F - 1e-12)
    assert aux.G[aux.s == 0.0][0] == pytest.approx(aux.F[aux.s == 0.0][0], rel=1e-14)
    assert aux.s[np.argmin(aux.G)] == 1.0
    np.testing.assert_allclose(aux.h_next, H[:, 3] * (W.T @ V[:, 3]) / (W.T @ W @ H[:, 3]))
    assert np.all(aux.h_t[:, None] + aux.s * (aux.h_next - aux.h_t)[:, None] >= -1e-12)
    ax = nmf_rules.plot_auxiliary_function(aux)
    assert len(ax.lines) == 4


def test_rule_histories_monotone():
    V, W, H = random_problem(19)
    histories = nmf_rules.rule_histories(V, W, H, 30)
    assert np.all(np.diff(histories["euclidean"]["euclidean"]) <= 1e-12)
    assert np.all(np.diff(histories["kl"]["kl"]) <= 1e-12)
    assert np.all(np.diff(histories["nature1999"]["nature1999"]) >= -1e-12)
    ax = nmf_rules.plot_loss_curves({k: h["kl"] for k, h in histories.items()})
    assert len(ax.lines) == 3
    # The legend sits under the figure, off the curves; a second panel can go without one.
    assert ax.get_legend() is None and len(ax.get_figure().legends) == 1
    assert len(ax.get_figure().legends[0].get_texts()) == 3
    bare = nmf_rules.plot_loss_curves({"kl": histories["kl"]["kl"]}, legend=False)
    assert bare.get_legend() is None and not bare.get_figure().legends
    with pytest.raises(ValueError, match="legend"):
        nmf_rules.plot_loss_curves({"kl": histories["kl"]["kl"]}, legend="best")
    import matplotlib.pyplot as plt
    plt.close("all")


def test_plot_two_solutions_and_alignment():
    X, shape = datasets.load_face_matrix("cbcl", 12, random_state=0)
    solutions = [nmf.Factors(*nmf.initialize(X, 4, "random", random_state=seed)) for seed in (0, 1)]
    ts = np.linspace(0, 1, 5)
    line = [nmf.euclidean_loss(X, (1 - t) * solutions[0].W + t * solutions[1].W,
                               (1 - t) * solutions[0].H + t * solutions[1].H) for t in ts]
    axes = nmf_rules.plot_two_solutions(ts, line, solutions, shape)
    assert axes.shape == (3,) and len(axes[0].lines) == 2
    np.testing.assert_allclose(axes[0].lines[0].get_ydata(), line)
    bases = {"aligned": solutions[0].H, "moved": np.zeros_like(solutions[1].H)}
    axes = nmf_rules.plot_alignment(X, bases, shape)
    assert axes.shape == (3,) and "100% zero pixels" in axes[2].get_title()


def test_shifted_rotated_faces():
    X, shape = datasets.load_face_matrix("cbcl", 10, random_state=0)
    moved = nmf_rules.shifted_rotated_faces(X, shape, random_state=0)
    assert moved.shape == X.shape and moved.min() >= 0 and moved.max() <= 1
    assert not np.allclose(moved, X)
    np.testing.assert_array_equal(moved, nmf_rules.shifted_rotated_faces(X, shape, random_state=0))
    same = nmf_rules.shifted_rotated_faces(X, shape, max_shift=0, max_angle=0.0)
    np.testing.assert_allclose(same, nmf.lee_seung_preprocess(X.reshape(-1, *shape)), atol=1e-12)


