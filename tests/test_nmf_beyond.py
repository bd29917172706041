"""Tests of lesson 11's algorithms (lessons_src.nmf, the section "beyond the slides") against
scikit-learn and independent computations, and of its figures and exercises."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize
from sklearn.decomposition import NMF as SklearnNMF
from sklearn.decomposition._nmf import _beta_divergence

from lessons_src import SEED, nmf
from lessons_src.exercises import nmf_beyond as ex11
from lessons_src.figures import nmf_beyond as fig11


def positive_problem(seed, n=9, m=7, r=3, zeros=False):
    rng = np.random.default_rng(seed)
    V = rng.random((n, m)) + 0.05
    if zeros:
        V[rng.random((n, m)) < 0.25] = 0.0
    return V, rng.random((n, r)) + 0.05, rng.random((r, m)) + 0.05


def d_beta(x, y, beta):
    """The β-divergence of two numbers, from its definition (limits at β = 0 and 1)."""
    if beta == 0:
        return x / y - np.log(x / y) - 1
    if beta == 1:
        return (x * np.log(x / y) if x > 0 else 0.0) - x + y
    return (x ** beta + (beta - 1) * y ** beta - beta * x * y ** (beta - 1)) / (beta * (beta - 1))


# ----------------------------------------------------------------------------------------------
# The β-divergence
# ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("beta", [-1.5, 0, 0.5, 1, 1.5, 2, 2.5, 3, 4])
@pytest.mark.parametrize("zeros", [False, True])
def test_beta_divergence_matches_the_definition_and_scikit_learn(beta, zeros):
    V, W, H = positive_problem(1, zeros=zeros and beta > 0)
    WH = W @ H
    expected = sum(d_beta(V[i, j], WH[i, j], beta) for i in range(V.shape[0])
                   for j in range(V.shape[1]))
    assert nmf.beta_divergence(V, W, H, beta) == pytest.approx(expected, rel=1e-11)
    assert nmf.beta_divergence(V, W, H, beta) == pytest.approx(_beta_divergence(V, W, H, beta),
                                                               rel=1e-11)


def test_beta_divergence_special_cases_and_limits():
    V, W, H = positive_problem(2)
    assert nmf.beta_divergence(V, W, H, 2) == nmf.euclidean_loss(V, W, H)
    assert nmf.beta_divergence(V, W, H, 1) == nmf.kl_divergence(V, W, H)
    # The general formula tends to KL and IS at β = 1 and 0.
    for beta in (0, 1):
        near = [nmf.beta_divergence(V, W, H, beta + eps) for eps in (-1e-6, 1e-6)]
        assert near == pytest.approx([nmf.beta_divergence(V, W, H, beta)] * 2, rel=1e-5)
    # Scaling data and model by λ scales d_β by λ^β.
    for beta in (-1, 0, 0.5, 1, 2, 3):
        assert nmf.beta_divergence(10 * V, W, 10 * H, beta) == pytest.approx(
            10.0 ** beta * nmf.beta_divergence(V, W, H, beta), rel=1e-10)


def test_beta_divergence_is_a_negative_log_likelihood():
    from scipy import stats

    v = np.array([[2.0, 5.0, 9.0]])
    nll = {2: lambda y: -stats.norm.logpdf(v, y, 1.0).sum(),
           1: lambda y: -stats.poisson.logpmf(v, y).sum(),
           0: lambda y: -stats.gamma.logpdf(v, a=1.0, scale=y).sum()}
    for beta, f in nll.items():
        gaps = [f(y) - nmf.beta_divergence(v, np.ones((1, 1)), np.full((1, 3), y), beta)
                for y in np.linspace(0.5, 15, 30)]
        assert np.ptp(gaps) < 1e-9
    # and not for the wrong pairing: the gap then depends on y
    gaps = [nll[1](y) - nmf.beta_divergence(v, np.ones((1, 1)), np.full((1, 3), y), 2)
            for y in np.linspace(0.5, 15, 30)]
    assert np.ptp(gaps) > 1


def test_beta_divergence_bad_input():
    V, W, H = positive_problem(3, zeros=True)
    with pytest.raises(ValueError, match="positive for beta"):
        nmf.beta_divergence(V, W, H, 0)
    for bad in (np.nan, "2", True, np.inf):
        with pytest.raises(ValueError, match="beta"):
            nmf.beta_divergence(V, W, H, bad)
    with pytest.raises(ValueError, match="gamma"):
        nmf.update_beta(V, W, H, 1.5, gamma=1.5)


@pytest.mark.parametrize("beta", [-1.5, 0, 0.5, 1, 1.5, 2, 3])
def test_beta_divergence_entries_are_the_definition_and_broadcast(beta):
    x = np.array([0.3, 1.0, 2.0, 7.5])
    y = np.array([[0.5], [1.0], [4.0]])            # (3, 1) against (4,): a (3, 4) grid
    d = nmf.beta_divergence_entries(x, y, beta)
    assert d.shape == (3, 4)
    expected = [[d_beta(xj, yi, beta) for xj in x] for yi in y.ravel()]
    np.testing.assert_allclose(d, expected, rtol=1e-12)
    assert np.all(d[1] >= 0) and d[1, 1] == pytest.approx(0.0, abs=1e-15)   # zero at y = x
    V, W, H = positive_problem(7)
    assert nmf.beta_divergence_entries(V, W @ H, beta).sum() == pytest.approx(
        nmf.beta_divergence(V, W, H, beta), rel=1e-12)


def test_beta_divergence_entries_zero_data_and_bad_input():
    # v = 0 contributes its limit y^β / β for β > 0 (0 ln 0 = 0 at β = 1)
    for beta in (0.5, 1, 2, 3):
        assert nmf.beta_divergence_entries(0.0, 2.0, beta) == pytest.approx(2.0 ** beta / beta)
    with pytest.raises(ValueError, match="positive for beta"):
        nmf.beta_divergence_entries([0.0, 1.0], 1.0, 0)
    for V, Y in (([-1.0], [1.0]), ([1.0], [np.nan]), ([np.inf], [1.0])):
        with pytest.raises(ValueError, match="finite and non-negative"):
            nmf.beta_divergence_entries(V, Y, 1.5)
    with pytest.raises(ValueError, match="beta"):
        nmf.beta_divergence_entries(1.0, 1.0, "2")


@pytest.mark.parametrize("beta, gamma", [(-1, 1 / 3), (0, 0.5), (0.5, 2 / 3), (1, 1), (2, 1),
                                         (3, 0.5), (5, 0.25)])
def test_mm_exponent(beta, gamma):
    assert nmf.mm_exponent(beta) == pytest.approx(gamma)


# ----------------------------------------------------------------------------------------------
# update_beta: lesson 07's rules, scikit-learn's MU, monotone with γ(β)
# ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("beta, rule", [(2, nmf.update_euclidean), (1, nmf.update_kl)])
@pytest.mark.parametrize("zeros", [False, True])
def test_update_beta_is_the_euclidean_and_kl_rule(beta, rule, zeros):
    V, W, H = positive_problem(4, zeros=zeros)
    for ours, lesson_07 in zip(nmf.update_beta(V, W, H, beta), rule(V, W, H)):
        np.testing.assert_allclose(ours, lesson_07, rtol=1e-12)


@pytest.mark.parametrize("beta", [-1, 0, 0.5, 1, 1.5, 2, 2.5, 3, 4])
@pytest.mark.parametrize("n_steps", [1, 10])
def test_update_beta_equals_scikit_learn_mu_per_step(beta, n_steps):
    V, W0, H0 = positive_problem(5, n=12, m=10, r=3)
    W, H = W0, H0
    for _ in range(n_steps):
        W, H = nmf.update_beta(V, W, H, beta)
    sk = SklearnNMF(3, init="custom", solver="mu", beta_loss=beta, max_iter=n_steps, tol=0)
    W_sk = sk.fit_transform(V, W=W0.copy(), H=H0.copy())
    np.testing.assert_allclose(W, W_sk, rtol=1e-10)
    np.testing.assert_allclose(H, sk.components_, rtol=1e-10)


@pytest.mark.parametrize("beta", [0, 0.5, 1.5, 3])
def test_gradient_split_matches_finite_differences(beta):
    """The rule's numerator and denominator are the negative and positive parts of ∇_H D_β."""
    V, W, H = positive_problem(6, n=5, m=4, r=2)
    WH = W @ H
    gradient = W.T @ WH ** (beta - 1) - W.T @ (WH ** (beta - 2) * V)
    numeric = np.zeros_like(H)
    for k, j in np.ndindex(*H.shape):
        bump = np.zeros_like(H)
        bump[k, j] = 1e-6
        numeric[k, j] = (nmf.beta_divergence(V, W, H + bump, beta)
                         - nmf.beta_divergence(V, W, H - bump, beta)) / 2e-6
    np.testing.assert_allclose(gradient, numeric, rtol=1e-5, atol=1e-7)
    # The exercise's reference is H ∘ (negative part) / (positive part).
    np.testing.assert_allclose(ex11.BETA_H_UPDATE.reference(V, W, H, beta),
                               H * (W.T @ (WH ** (beta - 2) * V)) / (W.T @ WH ** (beta - 1)))


@settings(max_examples=60)
@given(seed=st.integers(0, 10 ** 6), beta=st.sampled_from([-2.0, -1.0, -0.5, 0.0, 0.3, 1.0, 1.7,
                                                            2.0, 2.5, 3.0, 4.0, 6.0]),
       spread=st.floats(0.5, 3.0))
def test_mm_rule_never_increases_the_divergence(seed, beta, spread):
    rng = np.random.default_rng(seed)
    n, m, r = rng.integers(1, 6, size=3)
    V = np.exp(rng.normal(0, spread, (n, m)))
    W = np.exp(rng.normal(0, spread, (n, r)))
    H = np.exp(rng.normal(0, spread, (r, m)))
    for _ in range(5):
        before = nmf.beta_divergence(V, W, H, beta)
        W_new, H_new = nmf.update_beta(V, W, H, beta)
        half = nmf.beta_divergence(V, W_new, H, beta)     # after the W step
        after = nmf.beta_divergence(V, W_new, H_new, beta)
        tolerance = 1e-10 * abs(before) + 1e-12
        assert half <= before + tolerance and after <= half + tolerance
        W, H = W_new, H_new


def _batch_divergence(V, Y, beta):
    if beta == 0:
        ratio = V / Y
        return (ratio - np.log(ratio) - 1).sum(axis=(1, 2))
    if beta == 1:
        return (V * np.log(V / Y) - V + Y).sum(axis=(1, 2))
    return ((V ** beta + (beta - 1) * Y ** beta - beta * V * Y ** (beta - 1))
            / (beta * (beta - 1))).sum(axis=(1, 2))


@pytest.mark.parametrize("beta, heuristic_can_rise", [(-2, True), (-1, True), (0, False),
                                                      (0.5, False), (1, False), (1.5, False),
                                                      (2, False), (3, True), (4, True)])
def test_heuristic_rule_rises_only_outside_0_2(beta, heuristic_can_rise):
    """200 000 random 1 × 3 problems (r = 2, entries from 0.01 to 100), the W step written
    independently in batch form: the heuristic step (γ = 1) goes up for some when β < 0 or
    β > 2 and never for 0 <= β <= 2; the MM step never. The worst case is then re-run with
    update_beta."""
    rng = np.random.default_rng(0)
    n = 200_000
    V = 10 ** rng.uniform(-2, 2, (n, 1, 3))
    W = 10 ** rng.uniform(-2, 2, (n, 1, 2))
    H = 10 ** rng.uniform(-2, 2, (n, 2, 3))
    Y = W @ H
    power = Y ** (beta - 2)
    ratio = ((power * V) @ H.transpose(0, 2, 1)) / ((power * Y) @ H.transpose(0, 2, 1))
    before = _batch_divergence(V, Y, beta)
    rise = {}
    for label, gamma in (("heuristic", 1.0), ("mm", nmf.mm_exponent(beta))):
        rise[label] = (_batch_divergence(V, (W * ratio ** gamma) @ H, beta) - before) / before
    assert rise["mm"].max() <= 1e-9
    assert (rise["heuristic"].max() > 1e-6) == heuristic_can_rise
    worst = int(np.argmax(rise["heuristic"]))
    start = nmf.beta_divergence(V[worst], W[worst], H[worst], beta)
    heuristic = nmf.beta_divergence(V[worst], nmf.update_beta(V[worst], W[worst], H[worst], beta,
                                                              gamma=1.0)[0], H[worst], beta)
    mm = nmf.beta_divergence(V[worst], nmf.update_beta(V[worst], W[worst], H[worst], beta)[0],
                             H[worst], beta)
    assert heuristic == pytest.approx(start * (1 + rise["heuristic"][worst]), rel=1e-9)
    assert mm <= start * (1 + 1e-12)


@pytest.mark.parametrize("beta, V, W, H", [
    (-1, [[100.0, 100.0, 0.01]], [[0.1, 1.0]], [[0.1, 100.0, 1.0], [100.0, 0.01, 1.0]]),
    (3, [[100.0, 0.1, 0.1]], [[0.01, 0.01]], [[10.0, 100.0, 0.01], [1.0, 0.01, 10.0]]),
])
def test_the_lessons_counterexamples(beta, V, W, H):
    V, W, H = np.array(V), np.array(W), np.array(H)
    start = nmf.beta_divergence(V, W, H, beta)
    heuristic = nmf.beta_divergence(V, nmf.update_beta(V, W, H, beta, gamma=1.0)[0], H, beta)
    mm = nmf.beta_divergence(V, nmf.update_beta(V, W, H, beta)[0], H, beta)
    assert heuristic > start * (1 + 1e-4) and mm < start


# ----------------------------------------------------------------------------------------------
# HALS
# ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("n_steps", [1, 20])
@pytest.mark.parametrize("zeros", [False, True])
def test_update_hals_equals_scikit_learn_cd_per_step(n_steps, zeros):
    V, W0, H0 = positive_problem(7, n=15, m=11, r=4, zeros=zeros)
    W, H = W0, H0
    for _ in range(n_steps):
        W, H = nmf.update_hals(V, W, H)
    sk = SklearnNMF(4, init="custom", solver="cd", max_iter=n_steps, tol=0)
    W_sk = sk.fit_transform(V, W=W0.copy(), H=H0.copy())
    np.testing.assert_allclose(W, W_sk, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(H, sk.components_, rtol=1e-9, atol=1e-12)


def test_update_hals_reaches_scikit_learn_cd_loss():
    """On faces, from the same start, 100 HALS sweeps end at the loss of scikit-learn's cd after
    100 iterations, well below MU's after as many iterations."""
    from lessons_src.datasets import load_face_matrix

    X, _ = load_face_matrix("cbcl", 120, random_state=SEED)
    W0, H0 = nmf.initialize(X, 9, "nndsvda", random_state=SEED)
    sk = SklearnNMF(9, init="custom", solver="cd", max_iter=100, tol=0)
    W_sk = sk.fit_transform(X, W=W0.copy(), H=H0.copy())
    W, H = W0, H0
    Wm, Hm = W0, H0
    for _ in range(100):
        W, H = nmf.update_hals(X, W, H)
        Wm, Hm = nmf.update_euclidean(X, Wm, Hm)
    loss_sk = nmf.euclidean_loss(X, W_sk, sk.components_)
    assert nmf.euclidean_loss(X, W, H) == pytest.approx(loss_sk, rel=1e-9)
    assert nmf.euclidean_loss(X, Wm, Hm) > 1.02 * loss_sk


def test_update_hals_with_one_component_is_non_negative_least_squares():
    """With r = 1 each half step is the exact non-negative least-squares solution (SciPy)."""
    V, W, H = positive_problem(8, n=7, m=6, r=1)
    V[0] = 0.0
    W_new, H_new = nmf.update_hals(V, W, H)
    W_nnls = np.array([optimize.nnls(H.T, V[i])[0] for i in range(V.shape[0])])
    H_nnls = np.array([optimize.nnls(W_new, V[:, j])[0] for j in range(V.shape[1])]).T
    np.testing.assert_allclose(W_new, W_nnls, atol=1e-12)
    np.testing.assert_allclose(H_new, H_nnls, atol=1e-12)


@settings(max_examples=40)
@given(seed=st.integers(0, 10 ** 6), r=st.integers(1, 5), zeros=st.booleans())
def test_update_hals_never_increases_the_loss(seed, r, zeros):
    V, W, H = positive_problem(seed, n=8, m=6, r=r, zeros=zeros)
    losses = [nmf.euclidean_loss(V, W, H)]
    for _ in range(8):
        W, H = nmf.update_hals(V, W, H)
        assert W.min() >= 0 and H.min() >= 0
        losses.append(nmf.euclidean_loss(V, W, H))
    assert np.all(np.diff(losses) <= 1e-12 * losses[0])


def test_update_hals_leaves_a_dead_component():
    V, W, H = positive_problem(9)
    H[1] = 0.0
    W_new, H_new = nmf.update_hals(V, W, H)
    np.testing.assert_array_equal(W_new[:, 1], W[:, 1])
    assert np.all(np.isfinite(W_new)) and np.all(np.isfinite(H_new))


# ----------------------------------------------------------------------------------------------
# Hoyer's sparseness, its projection, sparse NMF
# ----------------------------------------------------------------------------------------------

def test_hoyer_sparseness_values():
    assert nmf.hoyer_sparseness(np.array([0.0, 0, 7, 0])) == pytest.approx(1.0)
    assert nmf.hoyer_sparseness(np.full(10, 3.0)) == pytest.approx(0.0, abs=1e-15)
    x = np.random.default_rng(10).normal(size=(20, 4))
    n = 20
    expected = [(np.sqrt(n) - np.sum(np.abs(c)) / np.sqrt(np.sum(c * c))) / (np.sqrt(n) - 1)
                for c in x.T]
    np.testing.assert_allclose(nmf.hoyer_sparseness(x), expected, rtol=1e-13)
    np.testing.assert_allclose(nmf.hoyer_sparseness(5 * x), expected, rtol=1e-13)
    assert nmf.hoyer_sparseness(x[:, 0]) == pytest.approx(expected[0], rel=1e-13)
    assert ex11.HOYER_SPARSENESS.reference(x[:, 1]) == pytest.approx(expected[1], rel=1e-13)
    # Concentrating mass raises it.
    assert nmf.hoyer_sparseness(np.abs(x[:, 0]) ** 4) > nmf.hoyer_sparseness(np.abs(x[:, 0]))


@pytest.mark.parametrize("bad, match", [(np.zeros(5), "all-zero"), (np.ones(1), "at least 2"),
                                        (np.array([1.0, np.nan]), "finite"),
                                        (np.ones((2, 2, 2)), "vector or matrix")])
def test_hoyer_sparseness_bad_input(bad, match):
    with pytest.raises(ValueError, match=match):
        nmf.hoyer_sparseness(bad)


@pytest.mark.parametrize("sparseness", [0.0, 0.2, 0.5, 0.75, 0.95, 1.0])
def test_project_sparseness_hits_the_target(sparseness):
    x = np.random.default_rng(11).normal(size=(50, 6)) ** 2
    s = nmf.project_sparseness(x, sparseness)
    assert s.min() >= 0
    np.testing.assert_allclose(nmf.hoyer_sparseness(s), sparseness, atol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(s, axis=0), np.linalg.norm(x, axis=0), rtol=1e-12)
    # A point that already satisfies the constraints is its own projection.
    np.testing.assert_allclose(nmf.project_sparseness(s, sparseness), s, atol=1e-12)


@pytest.mark.parametrize("seed", range(6))
def test_project_sparseness_is_the_closest_point(seed):
    """Against SciPy's SLSQP on the same constrained problem, from many starts."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=6)
    sigma = rng.uniform(0.3, 0.9)
    s = nmf.project_sparseness(x, sigma)
    n, l2 = 6, np.linalg.norm(x)
    l1 = l2 * (np.sqrt(n) - sigma * (np.sqrt(n) - 1))
    constraints = [{"type": "eq", "fun": lambda z: z.sum() - l1},
                   {"type": "eq", "fun": lambda z: z @ z - l2 * l2}]
    best = np.inf
    for _ in range(30):
        start = rng.random(6)
        result = optimize.minimize(lambda z: np.sum((z - x) ** 2), start, method="SLSQP",
                                   bounds=[(0, None)] * n, constraints=constraints)
        if result.success and abs(result.x.sum() - l1) < 1e-6:
            best = min(best, np.sum((result.x - x) ** 2))
    assert np.isfinite(best)
    assert np.sum((s - x) ** 2) <= best + 1e-6


def test_project_sparseness_bad_input():
    with pytest.raises(ValueError, match="sparseness"):
        nmf.project_sparseness(np.ones(4) + np.arange(4), 1.5)
    with pytest.raises(ValueError, match="all-zero"):
        nmf.project_sparseness(np.zeros((4, 2)), 0.5)
    with pytest.raises(ValueError, match="tied"):
        nmf.project_sparseness(np.array([1.0, 1.0, 1.0, 1.0]), 0.5)


def test_sparse_nmf_descends_and_keeps_the_sparseness():
    from lessons_src.datasets import load_face_matrix

    X, _ = load_face_matrix("orl", 30, random_state=SEED)
    V = X.T
    W, H = nmf.initialize(V, 4, "nndsvda", random_state=SEED)
    for _ in range(5):
        W, H = nmf.update_hals(V, W, H)
    result = nmf.sparse_nmf(V, W, H, 0.7, n_iter=15)
    assert np.all(np.diff(result.loss_history) <= 1e-12 * result.loss_history[0])
    assert result.loss_history[-1] < result.loss_history[0]
    np.testing.assert_allclose(nmf.hoyer_sparseness(result.W), 0.7, atol=1e-10)
    assert result.W.min() >= 0 and result.H.min() >= 0
    # One step returns a step size for the next, larger after a success.
    step = nmf.update_sparse(V, result.W, result.H, 0.7, 1e-6)
    assert step.step_size == pytest.approx(1.2e-6)
    with pytest.raises(ValueError, match="step_size"):
        nmf.update_sparse(V, result.W, result.H, 0.7, 0.0)
    with pytest.raises(ValueError, match="all-zero column"):
        nmf.sparse_nmf(V, np.zeros_like(W), H, 0.5)


# ----------------------------------------------------------------------------------------------
# GNMF
# ----------------------------------------------------------------------------------------------

def test_neighbor_graph_is_the_symmetric_knn_graph():
    X = np.random.default_rng(12).random((60, 4))
    A = nmf.neighbor_graph(X, 5).toarray()
    d2 = ((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=2)
    np.fill_diagonal(d2, np.inf)
    nearest = np.argsort(d2, axis=1)[:, :5]
    expected = np.zeros((60, 60))
    expected[np.repeat(np.arange(60), 5), nearest.ravel()] = 1.0
    expected = np.maximum(expected, expected.T)
    np.testing.assert_array_equal(A, expected)
    assert np.all(A.sum(axis=1) >= 5) and np.all(np.diag(A) == 0)
    with pytest.raises(ValueError, match="n_neighbors"):
        nmf.neighbor_graph(X, 60)


def test_gnmf_objective_matches_its_definition():
    X, W, H = positive_problem(13, n=10, m=6, r=2)
    A = nmf.neighbor_graph(X, 3)
    dense = A.toarray()
    pairs = sum(dense[i, j] * np.sum((W[i] - W[j]) ** 2) for i in range(10) for j in range(10))
    expected = np.sum((X - W @ H) ** 2) + 7.0 * 0.5 * pairs
    assert nmf.gnmf_objective(X, W, H, A, 7.0) == pytest.approx(expected, rel=1e-12)
    assert nmf.gnmf_objective(X, W, H, dense, 7.0) == pytest.approx(expected, rel=1e-12)


def test_update_gnmf_without_graph_is_the_euclidean_rule():
    X, W, H = positive_problem(14, n=10, m=6, r=2)
    A = nmf.neighbor_graph(X, 3)
    W_new, H_new = nmf.update_gnmf(X, W, H, A, 0.0)
    Ht, Wt = nmf.update_euclidean(X.T, H.T, W.T)    # H first, then W
    np.testing.assert_allclose(W_new, Wt.T, rtol=1e-12)
    np.testing.assert_allclose(H_new, Ht.T, rtol=1e-12)


def test_gnmf_estimator_lambda_zero_is_scikit_learn_mu():
    X = np.random.default_rng(15).random((25, 8))
    model = nmf.GNMF(3, lambda_=0.0, max_iter=30, random_state=3)
    encodings = model.fit_transform(X)
    W0, H0 = nmf.initialize(X, 3, "random", random_state=3)
    # scikit-learn updates its W first: give it Xᵀ, so its W is our basis.
    sk = SklearnNMF(3, init="custom", solver="mu", max_iter=30, tol=0)
    basis_t = sk.fit_transform(X.T, W=H0.T.copy(), H=W0.T.copy())
    np.testing.assert_allclose(encodings @ model.components_, (basis_t @ sk.components_).T,
                               rtol=1e-9)
    np.testing.assert_allclose(np.linalg.norm(model.components_, axis=1), 1.0)


@pytest.mark.parametrize("lambda_", [0.0, 1.0, 100.0, 1e4])
def test_gnmf_objective_never_increases(lambda_):
    X = np.random.default_rng(16).random((40, 12))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    model = nmf.GNMF(4, lambda_=lambda_, max_iter=60, random_state=SEED).fit(X)
    history = model.objective_history_
    assert len(history) == 61 and model.n_iter_ == 60
    assert np.all(np.diff(history) <= 1e-10 * history[0])
    assert history[-1] < history[0]


def test_gnmf_estimator_api():
    from sklearn.base import clone

    X = np.random.default_rng(17).random((30, 6))
    model = nmf.GNMF(2, n_neighbors=4, lambda_=10.0, max_iter=5, random_state=0)
    assert clone(model).get_params() == model.get_params()
    assert model.fit(X) is model
    assert model.embedding_.shape == (30, 2) and model.components_.shape == (2, 6)
    assert model.adjacency_.shape == (30, 30) and model.n_features_in_ == 6
    np.testing.assert_array_equal(nmf.GNMF(2, max_iter=5, random_state=0).fit_transform(X),
                                  nmf.GNMF(2, max_iter=5, random_state=0).fit_transform(X))
    for bad in (dict(lambda_=-1.0), dict(n_neighbors=30), dict(n_components=0),
                dict(max_iter=0)):
        params = dict(n_components=2, max_iter=5) | bad
        with pytest.raises(ValueError):
            nmf.GNMF(**params).fit(X)
    with pytest.raises(ValueError, match="non-negative"):
        nmf.GNMF(2).fit(X - 1.0)


@pytest.mark.parametrize("name, margin", [("orl", 0.015), ("digits", 0.1)])
def test_gnmf_clusters_better_than_nmf(name, margin):
    """K-Means on GNMF encodings against plain NMF's (λ = 0, same rules, same start), three
    seeds, 200 iterations. Measured: ORL 0.871 / 0.873 / 0.870 vs 0.830 / 0.850 / 0.833 (mean
    gain 0.034); digits 0.854 / 0.843 / 0.853 vs 0.682 / 0.658 / 0.649 (mean gain 0.19)."""
    gains = []
    for seed in range(3):
        gnmf = fig11.gnmf_clustering(name, 100.0, random_state=seed, max_iter=200).nmi
        plain = fig11.gnmf_clustering(name, 0.0, random_state=seed, max_iter=200).nmi
        assert gnmf > plain
        gains.append(gnmf - plain)
    assert np.mean(gains) >= margin


# ----------------------------------------------------------------------------------------------
# Figures, the slider and the exercises of lesson 11
# ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("random_state", [0, 1, 2])
def test_each_noise_is_fitted_best_by_its_own_beta(random_state):
    table = fig11.noise_model_table(n_iter=300, random_state=random_state)
    assert list(table.error.argmin(axis=1)) == [0, 1, 2]
    assert table.noise_models == fig11.NOISE_MODELS and table.betas == (2, 1, 0)


def test_cached_only_for_an_int_random_state():
    """An int is cached (every spelling of the call shares the entry, a NumPy int too); None
    and a Generator ask for new draws, so they are computed afresh and differ."""
    first = fig11.noise_model_table(20, 3)
    assert fig11.noise_model_table(n_iter=20, random_state=np.int64(3)) is first
    with pytest.raises(ValueError):
        first.error[0, 0] = 1.0                          # cached arrays are read-only
    fresh = [fig11.noise_model_table(n_iter=20) for _ in range(2)]
    assert fresh[0] is not fresh[1] and not np.array_equal(fresh[0].truth, fresh[1].truth)
    rng = np.random.default_rng(3)
    drawn = [fig11.noise_model_table(n_iter=20, random_state=rng) for _ in range(2)]
    assert not np.array_equal(drawn[0].truth, drawn[1].truth)   # the generator advanced
    assert np.array_equal(drawn[0].truth, first.truth)          # default_rng(3) draws as 3 does
    with pytest.raises(TypeError, match="random_state"):
        fig11.noise_model_table(20, random_state="3")
    scores = [fig11.gnmf_clustering("orl", 0.0, max_iter=3) for _ in range(2)]
    assert scores[0] is not scores[1]
    seeded = fig11.gnmf_clustering("orl", 0.0, 5, 3)
    assert fig11.gnmf_clustering(name="orl", lambda_=0, random_state=5, max_iter=3) is seeded


def test_small_figures_draw():
    ax = fig11.plot_beta_divergences(betas=(0, 2))
    assert len(ax.lines) == 3   # two curves and the line at y = x
    ax = fig11.plot_noise_model_table(fig11.noise_model_table(n_iter=20, random_state=0))
    assert len(ax.texts) == 9


def test_rising_steps_counts_each_problem_on_its_own():
    """The search's row trick (rows sharing one H are separate problems) against the same
    problems run one at a time with update_beta and beta_divergence."""
    betas = (-2, 0.5, 3)
    result = fig11.rising_steps(betas, n_problems=300, n_groups=3, random_state=2)
    rng = np.random.default_rng(2)
    heuristic, mm = np.zeros(3, dtype=int), np.zeros(3, dtype=int)
    for _ in range(3):
        V, W = 10 ** rng.uniform(-2, 2, (100, 3)), 10 ** rng.uniform(-2, 2, (100, 2))
        H = 10 ** rng.uniform(-2, 2, (2, 3))
        for i in range(100):
            v, w = V[i:i + 1], W[i:i + 1]
            for k, beta in enumerate(betas):
                before = nmf.beta_divergence(v, w, H, beta)
                for gamma, counts in ((1.0, heuristic), (None, mm)):
                    after = nmf.beta_divergence(v, nmf.update_beta(v, w, H, beta, gamma)[0], H,
                                                beta)
                    counts[k] += after > before * (1 + 1e-9)
    np.testing.assert_array_equal(result.heuristic, heuristic)
    np.testing.assert_array_equal(result.mm, mm)
    assert result.n_problems == 300 and result.betas == betas


def test_rising_steps_finds_rises_only_outside_0_2():
    result = fig11.rising_steps((-2, 0, 1, 2, 4), n_problems=60_000, n_groups=60,
                                random_state=SEED)
    assert list(result.heuristic > 0) == [True, False, False, False, True]
    assert not result.mm.any()
    assert np.all(result.worst_heuristic[1:4] < 0)      # in [0, 2] every problem went down
    with pytest.raises(ValueError, match="multiple"):
        fig11.rising_steps(n_problems=101, n_groups=10)


def test_race_on_a_small_problem():
    from lessons_src.datasets import load_face_matrix

    X, _ = load_face_matrix("cbcl", 60, random_state=SEED)
    result = fig11.race(X.T, n_components=5, n_iter_mu=12, n_iter_hals=6, repeat=1,
                        random_state=SEED)
    mu, hals, cd = (result.losses[m] for m in fig11.RACE_METHODS)
    assert len(mu) == 13 and len(hals) == len(cd) == 7
    np.testing.assert_allclose(cd, hals, rtol=1e-9)
    assert np.all(np.diff(mu) <= 0) and np.all(np.diff(hals) <= 0)
    assert all(s > 0 for s in result.seconds_per_iteration.values())
    assert len(fig11.plot_race(result).lines) == 3


def test_basis_sparseness_table():
    table = fig11.basis_sparseness(n_components=4, n_faces=40, max_iter=10, random_state=SEED)
    assert set(table) == {(d, m) for d in ("cbcl", "orl") for m in ("VQ", "PCA", "NMF")}
    assert all(v.shape == (4,) and np.all((0 <= v) & (v <= 1)) for v in table.values())
    # the same numbers as hoyer_sparseness on lesson 06's fits
    from lessons_src.figures.nmf_faces import fit_vq_pca_nmf

    fits = fit_vq_pca_nmf("orl", 4, 40, 10, random_state=SEED)
    np.testing.assert_array_equal(table["orl", "NMF"], nmf.hoyer_sparseness(fits["NMF"]["basis"].T))
    assert len(fig11.plot_basis_sparseness(table).get_xticklabels()) == 3


def test_sparse_parts_levels():
    parts = fig11.sparse_parts(n_faces=40, n_components=4, n_iter=5, random_state=SEED)
    # one cache entry however the call is spelled
    assert fig11.sparse_parts(40, 4, 5, list(fig11.SPARSENESS_LEVELS), SEED) is parts
    assert list(parts.fits) == [None, *fig11.SPARSENESS_LEVELS]
    for level in fig11.SPARSENESS_LEVELS:
        fit = parts.fits[level]
        assert fit.sparseness == pytest.approx(level)
        assert fit.basis.shape == (4, 56 * 46) == (4, np.prod(parts.image_shape))
        assert fit.loss >= parts.fits[None].loss * (1 - 1e-9)   # a constraint costs fit
    assert parts.fits[None].sparseness < fig11.SPARSENESS_LEVELS[0]
    with pytest.raises(ValueError):
        parts.fits[None].basis[0, 0] = 1.0     # cached arrays are read-only
    axes = fig11.plot_sparse_parts(parts)
    assert len(axes) == 4 and "plain NMF" in axes[0].get_title()
    assert fig11.sparse_parts(40, 4, 5) is not fig11.sparse_parts(40, 4, 5)   # None: afresh


@pytest.mark.parametrize("sparseness", [0.0, 0.6, 0.65, 0.8, 1.0, -3])
def test_draw_sparse_parts_slider_extremes(sparseness):
    fig = fig11.draw_sparse_parts(sparseness, n_faces=40, random_state=SEED)
    assert len(fig.axes) == 2 and "plain NMF" in fig.axes[0].get_title()
    nearest = min(fig11.SPARSENESS_LEVELS, key=lambda s: abs(s - sparseness))
    assert f"sparseness {nearest:g}" in fig.axes[1].get_title()


def test_clustering_sets_and_graph_figure():
    X, y, n_clusters = fig11.clustering_set("orl")
    assert X.shape == (400, 28 * 23) and n_clusters == 40
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), 1.0)
    X, y, n_clusters = fig11.clustering_set("digits")
    assert X.shape == (1797, 64) and n_clusters == 10
    with pytest.raises(ValueError, match="name"):
        fig11.clustering_set("olivetti")
    A = nmf.neighbor_graph(X[:200], 5)
    ax = fig11.plot_neighbor_graph(A, y[:200], n_classes=4)
    assert ax.images[0].get_array().shape[0] == int(np.sum(y[:200] < 4))


def test_exercise_reference_is_the_libraries_heuristic_h_step():
    for beta in (0, 0.5, 1, 2, 3):
        V, W, H = positive_problem(18, n=6, m=5, r=2)
        W_new, H_new = nmf.update_beta(V, W, H, beta, gamma=1.0)
        np.testing.assert_allclose(ex11.BETA_H_UPDATE.reference(V, W_new, H, beta), H_new,
                                   rtol=1e-12)


# ----------------------------------------------------------------------------------------------
# Issue 23: huge and tiny factors in Hoyer's sparse NMF
# ----------------------------------------------------------------------------------------------

def test_project_sparseness_is_scale_equivariant_for_huge_and_tiny_x():
    x = np.random.default_rng(3).random((10, 3)) + 0.01
    s = nmf.project_sparseness(x, 0.6)
    for scale in (2.0 ** 900, 2.0 ** -900):
        np.testing.assert_allclose(nmf.project_sparseness(x * scale, 0.6) / scale, s, rtol=1e-12)


@pytest.mark.parametrize("argument", ["V", "W", "H", "step_size"])
@pytest.mark.parametrize("scale", [1e300, 1e-300])
def test_sparse_steps_with_huge_or_tiny_values_answer_or_name_the_argument(argument, scale):
    rng = np.random.default_rng(4)
    arguments = dict(V=rng.random((12, 3)) + 0.1, W=rng.random((12, 2)) + 0.1,
                     H=rng.random((2, 3)) + 0.1, sparseness=0.5, step_size=1e-3)
    arguments[argument] = arguments[argument] * scale
    for function in (nmf.update_sparse, nmf.sparse_nmf):
        kwargs = dict(arguments)
        if function is nmf.sparse_nmf:
            if argument == "step_size":
                continue
            del kwargs["step_size"]
            kwargs["n_iter"] = 3
        try:
            result = function(**kwargs)
        except ValueError as error:
            assert argument in str(error), str(error)
            continue
        assert all(np.all(np.isfinite(part)) for part in result)
