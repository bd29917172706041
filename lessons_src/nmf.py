"""Non-negative matrix factorisation (NMF, 非负矩阵分解) written out for teaching.

Two orientations appear in the lessons, and the functions say which they use:

* **The lecture's** (Lee and Seung): ``V`` of shape (n, m) holds one image per *column*,
  ``V ≈ W H`` with ``W`` (n, r) whose columns are the basis images and ``H`` (r, m) whose columns
  are the encodings. The objectives and the one-step update rules below only need ``V ≈ W H``,
  so they work in either orientation.
* **scikit-learn's**: ``X`` of shape (n_samples, n_features) holds one image per *row*,
  ``X ≈ W H`` with ``W = transform(X)`` (n_samples, r) the encodings and ``H = components_``
  (r, n_features) whose rows are the basis images. The estimator :class:`NMF` follows it, so it
  can be swapped with ``sklearn.decomposition.NMF``.

Objectives
    ``euclidean_loss`` (½‖V − WH‖²_F), ``kl_divergence`` (generalised Kullback-Leibler),
    ``nature1999_objective`` (Σ V log WH − WH, to *maximise*).
One multiplicative step each, returning new ``(W, H)`` (W first, then H with the new W,
as scikit-learn's ``solver='mu'`` does)
    ``update_euclidean``, ``update_kl``, ``update_nature1999``.
Initialisation
    ``initialize``: 'random', 'nndsvd', 'nndsvda', 'nndsvdar', bit for bit the same as
    scikit-learn's for the same arguments.

The only epsilon: ``EPS`` (float32's machine epsilon, the value scikit-learn uses). A
multiplicative rule divides by ``[W H Hᵀ]``, ``[Wᵀ W H]``, ``[W H]`` or row/column sums, and any
of these is 0 when a whole row or column of a factor is 0 (the "zero lock" of lesson 06), so a
zero denominator is replaced by ``EPS``. In the KL rules ``[W H]`` is floored at ``EPS`` before
``V / [W H]`` is formed, also as scikit-learn does; where ``V`` is 0 the ratio stays 0.
"""
import numbers

import numpy as np
from scipy import linalg
from sklearn.base import BaseEstimator, TransformerMixin

from .validation import NotFittedError, check_array_2d, check_n_features, check_positive_int

__all__ = [
    "EPS",
    "LOSSES",
    "KL_RULES",
    "INIT_METHODS",
    "euclidean_loss",
    "kl_divergence",
    "nature1999_objective",
    "update_euclidean",
    "update_kl",
    "update_nature1999",
    "projected_gradient_step",
    "kl_gradient_step",
    "initialize",
    "sparsity",
    "lee_seung_preprocess",
    "NMF",
]

EPS = float(np.finfo(np.float32).eps)
"""Replaces a zero denominator (and floors ``[WH]`` in the KL rules); ~1.19e-7, as scikit-learn."""

LOSSES = ("euclidean", "kl", "nature1999")
"""The losses of :class:`NMF`."""

INIT_METHODS = ("random", "nndsvd", "nndsvda", "nndsvdar")
"""The initialisations of :func:`initialize` (scikit-learn's, less 'custom')."""


# ----------------------------------------------------------------------------------------------
# Argument checks (light: the update rules run in loops of hundreds of steps)
# ----------------------------------------------------------------------------------------------

def _as_factors(V, W, H):
    V = np.asarray(V, dtype=np.float64)
    W = np.asarray(W, dtype=np.float64)
    H = np.asarray(H, dtype=np.float64)
    for name, array in (("V", V), ("W", W), ("H", H)):
        if array.ndim != 2:
            raise ValueError(f"{name} must be 2-D, got shape {array.shape}")
        # min() propagates NaN, so two reductions catch NaN, infinity and negatives cheaply.
        low, high = (float(array.min()), float(array.max())) if array.size else (0.0, 0.0)
        if not (np.isfinite(low) and np.isfinite(high) and low >= 0):
            check_array_2d(array, name, allow_negative=False)  # finds and names the bad entry
    if W.shape[0] != V.shape[0] or H.shape[1] != V.shape[1] or W.shape[1] != H.shape[0]:
        raise ValueError(
            f"V ≈ W H needs W of shape ({V.shape[0]}, r) and H of shape (r, {V.shape[1]}), "
            f"got V {V.shape}, W {W.shape}, H {H.shape}"
        )
    return V, W, H


def _nonzero(denominator):
    """Replace exact zeros of a denominator by EPS, in place (see the module docstring)."""
    denominator[denominator == 0] = EPS
    return denominator


def _kl_ratio(V, WH):
    """``V / max(WH, EPS)``, computed in the buffer ``WH`` (overwritten)."""
    np.maximum(WH, EPS, out=WH)
    return np.divide(V, WH, out=WH)


def _xlogx_minus_x(V):
    """Σ (v log v − v) with 0 log 0 = 0: the constant part of the KL divergence."""
    positive = V[V > 0]
    return float(np.dot(positive, np.log(positive)) - V.sum())


# ----------------------------------------------------------------------------------------------
# Objectives
# ----------------------------------------------------------------------------------------------

def euclidean_loss(V, W, H):
    """½ ‖V − W H‖²_F, half the squared Frobenius norm of the residual.

    Parameters
    ----------
    V : ndarray of shape (n, m)
    W : ndarray of shape (n, r)
    H : ndarray of shape (r, m)

    Returns
    -------
    loss : float
        Equals scikit-learn's ``_beta_divergence(V, W, H, 'frobenius')``.
    """
    V, W, H = _as_factors(V, W, H)
    residual = V - W @ H
    return 0.5 * float(np.vdot(residual, residual))


def kl_divergence(V, W, H):
    """The generalised Kullback-Leibler divergence D_KL(V ‖ WH).

    D_KL = Σ_ij ( v_ij ln(v_ij / [WH]_ij) − v_ij + [WH]_ij ), with 0 ln 0 = 0 where v_ij = 0
    and [WH]_ij floored at ``EPS`` inside the logarithm (a zero of WH where V > 0 would make
    the divergence infinite).

    Parameters
    ----------
    V : ndarray of shape (n, m), non-negative
    W : ndarray of shape (n, r)
    H : ndarray of shape (r, m)

    Returns
    -------
    divergence : float, >= 0
    """
    V, W, H = _as_factors(V, W, H)
    WH = W @ H
    positive = V > 0
    log_ratio = np.log(V[positive]) - np.log(np.maximum(WH[positive], EPS))
    return float(np.dot(V[positive], log_ratio) - V.sum() + WH.sum())


def nature1999_objective(V, W, H):
    """Lee and Seung's (Nature 1999) objective F = Σ_iμ ( V_iμ log (WH)_iμ − (WH)_iμ ), to
    **maximise**.

    F = −D_KL(V ‖ WH) + Σ (V log V − V): it differs from minus the KL divergence by a constant
    that depends on V only, so maximising F is minimising D_KL.

    Parameters
    ----------
    V : ndarray of shape (n, m), non-negative
    W : ndarray of shape (n, r)
    H : ndarray of shape (r, m)

    Returns
    -------
    objective : float
    """
    V, W, H = _as_factors(V, W, H)
    WH = W @ H
    positive = V > 0
    return float(np.dot(V[positive], np.log(np.maximum(WH[positive], EPS))) - WH.sum())


# ----------------------------------------------------------------------------------------------
# One multiplicative step each: W first, then H with the new W
# ----------------------------------------------------------------------------------------------

def update_euclidean(V, W, H):
    """One step of Lee and Seung's multiplicative rules for ½‖V − WH‖² (NIPS 2000).

    W ← W ∘ (V Hᵀ) / (W H Hᵀ), then, with the new W, H ← H ∘ (Wᵀ V) / (Wᵀ W H).

    Each is gradient descent with the element-wise step μ_ik = w_ik / [W H Hᵀ]_ik (and
    η_kj = h_kj / [Wᵀ W H]_kj): w − μ ∘ (−(V − WH) Hᵀ) = w ∘ (V Hᵀ) / (W H Hᵀ).
    The products are taken in the cheap order: H Hᵀ and Wᵀ W are r × r, so W H (n × m) is
    never formed. A zero denominator becomes ``EPS``.

    Parameters
    ----------
    V : ndarray of shape (n, m), non-negative
    W : ndarray of shape (n, r), non-negative
    H : ndarray of shape (r, m), non-negative

    Returns
    -------
    W_new : ndarray of shape (n, r)
    H_new : ndarray of shape (r, m)
        New arrays; the inputs are not modified.
    """
    V, W, H = _as_factors(V, W, H)
    W = W * (V @ H.T) / _nonzero(W @ (H @ H.T))
    H = H * (W.T @ V) / _nonzero((W.T @ W) @ H)
    return W, H


def update_kl(V, W, H):
    """One step of the multiplicative rules for D_KL(V ‖ WH) (Lee and Seung, NIPS 2000).

    W ← W ∘ [(V / WH) Hᵀ] / (1 Hᵀ), then, with the new W, H ← H ∘ [Wᵀ (V / WH)] / (Wᵀ 1):
    w_ik ← w_ik Σ_j h_kj v_ij / [WH]_ij / Σ_j h_kj and h_kj ← h_kj Σ_i w_ik v_ij / [WH]_ij / Σ_i w_ik.
    This is gradient descent with the steps μ_ik = w_ik / Σ_j h_kj and η_kj = h_kj / Σ_i w_ik
    on the gradient ∂D/∂w_ik = Σ_j (h_kj − h_kj v_ij / [WH]_ij) (the slides print both the
    step and the gradient's sign wrongly; see lesson 07). [WH] is floored at ``EPS`` and a zero
    row or column sum becomes ``EPS``.

    Parameters
    ----------
    V : ndarray of shape (n, m), non-negative
    W : ndarray of shape (n, r), non-negative
    H : ndarray of shape (r, m), non-negative

    Returns
    -------
    W_new : ndarray of shape (n, r)
    H_new : ndarray of shape (r, m)
    """
    V, W, H = _as_factors(V, W, H)
    ratio = _kl_ratio(V, W @ H)
    W = W * (ratio @ H.T) / _nonzero(H.sum(axis=1))[np.newaxis, :]
    ratio = _kl_ratio(V, W @ H)
    H = H * (W.T @ ratio) / _nonzero(W.sum(axis=0))[:, np.newaxis]
    return W, H


def update_nature1999(V, W, H):
    """One step of Lee and Seung's Nature 1999 rules, which *increase* F = Σ V log WH − WH.

    1. W_ia ← W_ia Σ_μ [V_iμ / (WH)_iμ] H_aμ
    2. W_ia ← W_ia / Σ_j W_ja            (every column of W, a basis image, sums to 1)
    3. H_aμ ← H_aμ Σ_i W_ia V_iμ / (WH)_iμ   (with the new W)

    Step 1 is the KL rule for W without its division by Σ_μ H_aμ, a per-column factor that
    step 2 removes anyway; step 3 is the KL rule for H, whose divisor Σ_i W_ia is now 1. [WH] is
    floored at ``EPS``; a zero column of W is left at zero (its sum is replaced by ``EPS``).

    Parameters
    ----------
    V : ndarray of shape (n, m), non-negative
    W : ndarray of shape (n, r), non-negative
    H : ndarray of shape (r, m), non-negative

    Returns
    -------
    W_new : ndarray of shape (n, r), columns summing to 1
    H_new : ndarray of shape (r, m)
    """
    V, W, H = _as_factors(V, W, H)
    W = W * (_kl_ratio(V, W @ H) @ H.T)
    W = W / _nonzero(W.sum(axis=0))[np.newaxis, :]
    H = H * (W.T @ _kl_ratio(V, W @ H))
    return W, H


# ----------------------------------------------------------------------------------------------
# Plain gradient steps, for contrast (lesson 07)
# ----------------------------------------------------------------------------------------------

def projected_gradient_step(V, W, H, step):
    """One step of projected gradient descent on ½‖V − WH‖² with a fixed step size.

    W ← max(0, W − step · (−(V − WH) Hᵀ)), then with the new W,
    H ← max(0, H − step · (−Wᵀ (V − WH))). The projection max(0, ·) keeps the factors feasible.
    Unlike the multiplicative rule, a fixed step can be too large (the loss oscillates or
    explodes) or too small (it crawls).

    Parameters
    ----------
    V : ndarray of shape (n, m)
    W : ndarray of shape (n, r)
    H : ndarray of shape (r, m)
    step : float > 0

    Returns
    -------
    W_new, H_new : new arrays
    """
    V, W, H = _as_factors(V, W, H)
    if not np.isfinite(step) or step <= 0:
        raise ValueError(f"step must be a positive number, got step={step!r}")
    W = np.maximum(W + step * ((V - W @ H) @ H.T), 0.0)
    H = np.maximum(H + step * (W.T @ (V - W @ H)), 0.0)
    return W, H


KL_RULES = ("correct", "slides")


def kl_gradient_step(V, W, H, step_rule="correct", gradient_rule="correct"):
    """One additive gradient step on D_KL(V ‖ WH), with the step size and gradient either
    correct or as printed in the slides (lesson 07's erratum check).

    gradient_rule 'correct':  ∂D/∂w_ik = Σ_j (h_kj − h_kj v_ij / [WH]_ij)
                  'slides':   ∂D/∂w_ik = −Σ_j (h_kj v_ij / [WH]_ij + h_kj)   (wrong sign)
    step_rule     'correct':  μ_ik = w_ik / Σ_j h_kj
                  'slides':   μ_ik = 1 / Σ_j h_kj                              (missing w_ik)
    and the same for H (η_kj = h_kj / Σ_i w_ik or 1 / Σ_i w_ik). W is updated first, then H
    with the new W; negative results are clipped to 0 (otherwise D_KL is undefined). With both
    rules 'correct' this is exactly :func:`update_kl`.

    Returns
    -------
    W_new, H_new : new arrays
    """
    V, W, H = _as_factors(V, W, H)
    for name, value in (("step_rule", step_rule), ("gradient_rule", gradient_rule)):
        if value not in KL_RULES:
            raise ValueError(f"{name} must be one of {KL_RULES}, got {name}={value!r}")
    sign = 1.0 if gradient_rule == "correct" else -1.0

    ratio = _kl_ratio(V, W @ H)
    ones = np.ones_like(V)
    gradient_W = (ones - ratio) @ H.T if sign > 0 else -((ratio + ones) @ H.T)
    step_W = 1.0 / _nonzero(H.sum(axis=1))[np.newaxis, :]
    if step_rule == "correct":
        step_W = W * step_W
    W = np.maximum(W - step_W * gradient_W, 0.0)

    ratio = _kl_ratio(V, W @ H)
    gradient_H = W.T @ (ones - ratio) if sign > 0 else -(W.T @ (ratio + ones))
    step_H = 1.0 / _nonzero(W.sum(axis=0))[:, np.newaxis]
    if step_rule == "correct":
        step_H = H * step_H
    H = np.maximum(H - step_H * gradient_H, 0.0)
    return W, H


# ----------------------------------------------------------------------------------------------
# Initialisation: scikit-learn's _initialize_nmf, re-derived (bit for bit)
# ----------------------------------------------------------------------------------------------

def _legacy_random_state(random_state):
    """scikit-learn's ``check_random_state``: None -> NumPy's global RandomState, an int -> a
    new ``RandomState(int)``, a RandomState -> itself. (The lessons' own
    ``validation.check_random_state`` returns a ``Generator``, which draws other numbers; the
    legacy generator is what makes ``initialize`` match scikit-learn bit for bit.)"""
    if random_state is None:
        return np.random.mtrand._rand
    if isinstance(random_state, np.random.RandomState):
        return random_state
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, (bool, np.bool_)):
        return np.random.RandomState(int(random_state))
    raise TypeError(
        f"random_state must be None, an int or a numpy RandomState, got {random_state!r}"
    )


def _randomized_svd(M, n_components, random_state, n_oversamples=10):
    """Halko et al.'s randomised SVD exactly as ``sklearn.utils.extmath.randomized_svd`` runs it
    with its defaults: Gaussian sketch of k + 10 columns, 7 (or 4) power iterations normalised by
    LU, QR, the SVD of the small projected matrix, and the sign convention of ``svd_flip``.

    Returns U (n, k), s (k,), Vt (k, m).
    """
    rng = _legacy_random_state(random_state)
    n_random = n_components + n_oversamples
    n_iter = 7 if n_components < 0.1 * min(M.shape) else 4
    transpose = M.shape[0] < M.shape[1]
    if transpose:  # the range finder is faster on the thinner side
        M = M.T
    # Range finder: Q spans (approximately) the top singular directions of M.
    Q = rng.normal(size=(M.shape[1], n_random))
    normalise = (lambda A: linalg.lu(A, permute_l=True, check_finite=False)[0]) if n_iter > 2 \
        else (lambda A: A)
    for _ in range(n_iter):
        Q = normalise(M @ Q)
        Q = normalise(M.T @ Q)
    Q, _ = linalg.qr(M @ Q, mode="economic", check_finite=False)
    # SVD of the small (k + p) x m matrix, lifted back with Q.
    U_small, s, Vt = linalg.svd(Q.T @ M, full_matrices=False, lapack_driver="gesdd")
    U = Q @ U_small
    # Sign convention (svd_flip): the largest |entry| of each column of U (of each row of Vt when
    # transposed) is positive.
    if not transpose:
        signs = np.sign(U[np.argmax(np.abs(U), axis=0), np.arange(U.shape[1])])
    else:
        signs = np.sign(Vt[np.arange(Vt.shape[0]), np.argmax(np.abs(Vt), axis=1)])
    U *= signs[np.newaxis, :]
    Vt *= signs[:, np.newaxis]
    if transpose:
        return Vt[:n_components, :].T, s[:n_components], U[:, :n_components].T
    return U[:, :n_components], s[:n_components], Vt[:n_components, :]


def initialize(V, n_components, method="nndsvda", random_state=None):
    """Starting factors W, H >= 0 with V ≈ W H, the same as scikit-learn's for the same arguments.

    'random'
        |N(0, 1)| entries scaled by sqrt(mean(V) / r): H drawn first, then W, from
        scikit-learn's ``check_random_state(random_state)`` (legacy ``RandomState``).
    'nndsvd'
        Boutsidis and Gallopoulos (2008): from the r leading singular triplets (u_j, s_j, v_j)
        of V, keep for each the larger of its positive and negative parts (both of u and v);
        values below 1e-6 become 0. Sparse, and the zeros stay zero under multiplicative updates.
    'nndsvda'
        nndsvd with the zeros replaced by mean(V) (scikit-learn's default since 1.1).
    'nndsvdar'
        nndsvd with the zeros replaced by |N(0, 1)| · mean(V) / 100.

    Parameters
    ----------
    V : ndarray of shape (n, m), non-negative, finite
    n_components : int
        r; at most min(n, m) for the nndsvd methods.
    method : {'random', 'nndsvd', 'nndsvda', 'nndsvdar'}
    random_state : None, int or numpy RandomState
        Used by the randomised SVD and by 'random' / 'nndsvdar' (as in scikit-learn).

    Returns
    -------
    W : ndarray of shape (n, r)
    H : ndarray of shape (r, m)
    """
    V = check_array_2d(V, "V", allow_negative=False)
    n, m = V.shape
    if method not in INIT_METHODS:
        raise ValueError(f"method must be one of {INIT_METHODS}, got method={method!r}")
    if method == "random":
        n_components = check_positive_int(n_components, "n_components")
        rng = _legacy_random_state(random_state)
        scale = np.sqrt(V.mean() / n_components)
        H = np.abs(scale * rng.standard_normal(size=(n_components, m)))
        W = np.abs(scale * rng.standard_normal(size=(n, n_components)))
        return W, H
    n_components = check_positive_int(n_components, "n_components", maximum=min(n, m))

    U, S, Vt = _randomized_svd(V, n_components, random_state)
    W = np.zeros_like(U)
    H = np.zeros_like(Vt)
    # The leading singular pair of a non-negative matrix can be taken non-negative.
    W[:, 0] = np.sqrt(S[0]) * np.abs(U[:, 0])
    H[0, :] = np.sqrt(S[0]) * np.abs(Vt[0, :])
    for j in range(1, n_components):
        x, y = U[:, j], Vt[j, :]
        x_p, y_p = np.maximum(x, 0), np.maximum(y, 0)
        x_n, y_n = np.abs(np.minimum(x, 0)), np.abs(np.minimum(y, 0))
        # Plain sqrt(dot) norms, as scikit-learn computes them (np.linalg.norm rounds differently).
        x_p_norm, y_p_norm = np.sqrt(np.dot(x_p, x_p)), np.sqrt(np.dot(y_p, y_p))
        x_n_norm, y_n_norm = np.sqrt(np.dot(x_n, x_n)), np.sqrt(np.dot(y_n, y_n))
        m_p, m_n = x_p_norm * y_p_norm, x_n_norm * y_n_norm
        # u v^T = (x_p - x_n)(y_p - y_n)^T: keep the larger of the two non-negative rank-1 parts.
        if m_p > m_n:
            u, v, sigma = x_p / x_p_norm, y_p / y_p_norm, m_p
        else:
            u, v, sigma = x_n / x_n_norm, y_n / y_n_norm, m_n
        scale = np.sqrt(S[j] * sigma)
        W[:, j] = scale * u
        H[j, :] = scale * v
    W[W < 1e-6] = 0
    H[H < 1e-6] = 0
    if method == "nndsvda":
        mean = V.mean()
        W[W == 0] = mean
        H[H == 0] = mean
    elif method == "nndsvdar":
        rng = _legacy_random_state(random_state)
        mean = V.mean()
        W[W == 0] = abs(mean * rng.standard_normal(size=len(W[W == 0])) / 100)
        H[H == 0] = abs(mean * rng.standard_normal(size=len(H[H == 0])) / 100)
    return W, H


def sparsity(A, threshold=1e-6):
    """Fraction of the entries of ``A`` that are (nearly) zero: ``mean(|A| <= threshold * max|A|)``.

    Returns
    -------
    fraction : float in [0, 1]
    """
    A = np.abs(np.asarray(A, dtype=float))
    top = A.max() if A.size else 0.0
    return float(np.mean(A <= threshold * top)) if top > 0 else 1.0


def lee_seung_preprocess(images):
    """Lee and Seung's preprocessing of face images (Nature 1999, Fig. 1).

    Each image is scaled so that its pixel mean and standard deviation are both 0.25, then
    clipped to [0, 1]: ``clip(0.25 + 0.25 * (x - mean(x)) / std(x), 0, 1)``.

    Parameters
    ----------
    images : ndarray of shape (n_images, h, w) or (n_images, n_pixels)

    Returns
    -------
    X : ndarray of shape (n_images, n_pixels), float64 in [0, 1]
        One image per row (scikit-learn's orientation; the lecture's V is ``X.T``).
    """
    images = np.asarray(images, dtype=np.float64)
    if images.ndim not in (2, 3) or images.shape[0] == 0:
        raise ValueError(f"images must have shape (n, h, w) or (n, n_pixels), got {images.shape}")
    X = images.reshape(images.shape[0], -1)
    std = X.std(axis=1, keepdims=True)
    # A flat image has no contrast to scale: it becomes uniformly 0.25.
    std[std == 0] = 1.0
    X = 0.25 + 0.25 * (X - X.mean(axis=1, keepdims=True)) / std
    return np.clip(X, 0.0, 1.0)


# ----------------------------------------------------------------------------------------------
# The estimator (scikit-learn's orientation: X ≈ W H, samples in rows)
# ----------------------------------------------------------------------------------------------

class NMF(TransformerMixin, BaseEstimator):
    """Non-negative matrix factorisation X ≈ W H by multiplicative updates, from scratch.

    Same orientation and method names as ``sklearn.decomposition.NMF(solver='mu')``: X has one
    sample per row; ``fit_transform`` returns W (n_samples, r); ``components_`` is H
    (r, n_features), whose rows are the basis images.

    Parameters
    ----------
    n_components : int or None
        r, the number of basis images; None means min(n_samples, n_features), the largest r the
        SVD-based initialisations allow.
    loss : {'euclidean', 'kl', 'nature1999'}
        'euclidean' minimises ½‖X − WH‖² (scikit-learn's beta_loss='frobenius'); 'kl' minimises
        D_KL(X ‖ WH) ('kullback-leibler'); 'nature1999' maximises Σ X log WH − WH with Lee and
        Seung's 1999 rules, which keep every basis image (row of ``components_``) summing to 1.
    init : {'random', 'nndsvd', 'nndsvda', 'nndsvdar'}
        See :func:`initialize` (identical to scikit-learn's for the same ``random_state``).
    max_iter : int
        Most iterations; one iteration updates W, then H.
    tol : float
        As scikit-learn: every 10 iterations, stop when the decrease of sqrt(2 · loss) since the
        last check is below ``tol`` times its initial value (for 'nature1999' the loss is the KL
        divergence, which is −F plus a constant). ``tol=0`` runs all ``max_iter``.
    random_state : None, int or numpy RandomState

    Attributes
    ----------
    components_ : ndarray of shape (n_components, n_features)
    loss_history_ : ndarray of shape (n_iter_,)
        The objective after each iteration: ½‖X − WH‖², D_KL, or F (increasing) for 'nature1999'.
    n_iter_ : int
    reconstruction_err_ : float
        sqrt(2 · loss) at the end, as scikit-learn reports it (for 'nature1999': of D_KL).
    """

    def __init__(self, n_components=None, loss="euclidean", init="nndsvda", max_iter=200, tol=1e-4,
                 random_state=None):
        self.n_components = n_components
        self.loss = loss
        self.init = init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    def __repr__(self):
        return (f"NMF(n_components={self.n_components}, loss={self.loss!r}, init={self.init!r}, "
                f"max_iter={self.max_iter}, tol={self.tol}, random_state={self.random_state!r})")

    def __sklearn_tags__(self):
        # X must be non-negative: tells scikit-learn's estimator checks to feed it such data.
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True
        return tags

    # -- checks ---------------------------------------------------------------------------------

    def _check_params(self, X):
        if self.loss not in LOSSES:
            raise ValueError(f"loss must be one of {LOSSES}, got loss={self.loss!r}")
        if self.init not in INIT_METHODS:
            raise ValueError(f"init must be one of {INIT_METHODS}, got init={self.init!r}")
        maximum = None if self.init == "random" else min(X.shape)
        n_components = min(X.shape) if self.n_components is None else self.n_components
        n_components = check_positive_int(n_components, "n_components", maximum=maximum)
        max_iter = check_positive_int(self.max_iter, "max_iter")
        if not isinstance(self.tol, numbers.Real) or not np.isfinite(self.tol) or self.tol < 0:
            raise ValueError(f"tol must be a finite number >= 0, got tol={self.tol!r}")
        return n_components, max_iter, float(self.tol)

    def _check_fitted(self):
        if not hasattr(self, "components_"):
            raise NotFittedError("this NMF is not fitted yet: call fit or fit_transform first")

    # -- fitting --------------------------------------------------------------------------------

    def fit(self, X, y=None):
        """Learn W and H from X (n_samples, n_features), non-negative. Returns self."""
        self.fit_transform(X)
        return self

    def fit_transform(self, X, y=None):
        """Learn the factors and return W, shape (n_samples, n_components)."""
        X = check_array_2d(X, "X", allow_negative=False)
        n_components, max_iter, tol = self._check_params(X)
        W, H = initialize(X, n_components, method=self.init, random_state=self.random_state)
        if not (np.all(np.isfinite(W)) and np.all(np.isfinite(H))):
            # NNDSVD divides by the norms of the positive/negative parts of singular vectors; on
            # degenerate X (e.g. rank < n_components, zero rows) both can be 0 and scikit-learn's
            # init gives NaN too. Say so rather than fit NaN.
            raise ValueError(f"init={self.init!r} is undefined for this X with n_components="
                             f"{n_components} (a singular vector with no usable non-negative "
                             f"part): use fewer components or init='random'")
        if self.loss == "euclidean":
            W, H, history, error = _fit_euclidean(X, W, H, max_iter, tol)
        elif self.loss == "kl":
            W, H, history, error = _fit_kl(X, W, H, max_iter, tol)
        else:
            W, H, history, error = _fit_nature1999(X, W, H, max_iter, tol)
        self.components_ = H
        self.n_components_ = n_components
        self.n_features_in_ = X.shape[1]
        self.loss_history_ = np.asarray(history)
        self.n_iter_ = len(history)
        self.reconstruction_err_ = error
        return W

    def transform(self, X):
        """Encode X with the fitted basis held fixed: W (n_samples, n_components) >= 0.

        As scikit-learn: W starts at sqrt(mean(X) / r) everywhere and only the W rule runs (the
        Euclidean one for 'euclidean', the KL one otherwise; for 'nature1999' the basis rows sum
        to 1, so the KL rule for W is exactly its H rule seen from the other side).
        """
        self._check_fitted()
        X = check_array_2d(X, "X", allow_negative=False)
        check_n_features(X, self.n_features_in_, "NMF")
        H = self.components_
        W = np.full((X.shape[0], H.shape[0]), np.sqrt(X.mean() / H.shape[0]))
        if self.loss == "euclidean":
            W, _, _, _ = _fit_euclidean(X, W, H, self.max_iter, self.tol, update_H=False)
        else:
            W, _, _, _ = _fit_kl(X, W, H, self.max_iter, self.tol, update_H=False)
        return W

    def inverse_transform(self, W):
        """Back to the data space: W @ components_, shape (n_samples, n_features)."""
        self._check_fitted()
        W = check_array_2d(W, "W")
        if W.shape[1] != self.components_.shape[0]:
            raise ValueError(f"W must have {self.components_.shape[0]} columns, got shape {W.shape}")
        return W @ self.components_


def _converged(history, error_at_init, previous_error, tol, to_error):
    """scikit-learn's stopping rule, checked every 10 iterations. Returns (stop, previous_error)."""
    n_iter = len(history)
    if tol > 0 and n_iter % 10 == 0:
        error = to_error(history[-1])
        # error_at_init == 0: the initial factors already reproduce X exactly (e.g. one sample).
        if error_at_init == 0 or (previous_error - error) / error_at_init < tol:
            return True, error
        return False, error
    return False, previous_error


def _frobenius_error(loss):
    return float(np.sqrt(max(2.0 * loss, 0.0)))


def _fit_euclidean(X, W, H, max_iter, tol, update_H=True):
    """The Euclidean rules, in place and in the cheap order: per iteration two n·m·r products
    (X Hᵀ and Wᵀ X), everything else r × r or r × max(n, m). The loss comes for free from
    ½‖X‖² − ⟨Wᵀ X, H⟩ + ½⟨Wᵀ W, H Hᵀ⟩, whose pieces the updates compute anyway."""
    W, H = W.copy(), H.copy()
    half_norm_X = 0.5 * float(np.vdot(X, X))
    HHt = H @ H.T
    if update_H:
        loss = half_norm_X - float(np.vdot(X @ H.T, W)) + 0.5 * float(np.vdot(W.T @ W, HHt))
    else:
        XHt = X @ H.T  # fixed when H is fixed
        loss = euclidean_loss(X, W, H)
    error_at_init = previous_error = _frobenius_error(loss)
    history = []
    for _ in range(max_iter):
        # W <- W * (X H^T) / (W H H^T)
        numerator = X @ H.T if update_H else XHt.copy()
        numerator /= _nonzero(W @ HHt)
        W *= numerator
        if update_H:
            # H <- H * (W^T X) / (W^T W H)
            WtX = W.T @ X
            WtW = W.T @ W
            numerator = WtX.copy()
            numerator /= _nonzero(WtW @ H)
            H *= numerator
            HHt = H @ H.T
            loss = half_norm_X - float(np.vdot(WtX, H)) + 0.5 * float(np.vdot(WtW, HHt))
        else:
            loss = half_norm_X - float(np.vdot(XHt, W)) + 0.5 * float(np.vdot(W.T @ W, HHt))
        # The expanded form can round to a tiny negative number on an exact fit.
        history.append(max(loss, 0.0))
        stop, previous_error = _converged(history, error_at_init, previous_error, tol,
                                          _frobenius_error)
        if stop:
            break
    return W, H, history, _frobenius_error(euclidean_loss(X, W, H))


def _kl_loss_from_WH(X, WH, constant, log_buffer):
    """D_KL from a product WH already floored at EPS: constant − ⟨X, log WH⟩ + Σ WH."""
    np.log(WH, out=log_buffer)
    return constant - float(np.vdot(X, log_buffer)) + float(WH.sum())


def _fit_kl(X, W, H, max_iter, tol, update_H=True, normalise_W=False):
    """The KL rules, in place. Per iteration four n·m·r products, as scikit-learn: (X/WH) Hᵀ,
    W H for the H step, Wᵀ (X/WH), and W H once more, which gives both the loss after the step
    and the ratio for the next W step."""
    W, H = W.copy(), H.copy()
    constant = _xlogx_minus_x(X)
    WH = W @ H
    np.maximum(WH, EPS, out=WH)
    buffer = np.empty_like(WH)
    loss = _kl_loss_from_WH(X, WH, constant, buffer)
    error_at_init = previous_error = _frobenius_error(loss)
    history = []
    for _ in range(max_iter):
        # W <- W * ((X / WH) H^T) / (1 H^T)
        np.divide(X, WH, out=WH)
        numerator = WH @ H.T
        W *= numerator
        if normalise_W:
            # Nature 1999: the division by the row sums of H is a per-column factor that the
            # normalisation of W's columns removes anyway.
            W /= _nonzero(W.sum(axis=0))[np.newaxis, :]
        else:
            W /= _nonzero(H.sum(axis=1))[np.newaxis, :]
        if update_H:
            # H <- H * (W^T (X / WH)) / (W^T 1), with the new W
            np.matmul(W, H, out=WH)
            np.maximum(WH, EPS, out=WH)
            np.divide(X, WH, out=WH)
            numerator = W.T @ WH
            H *= numerator
            if not normalise_W:
                H /= _nonzero(W.sum(axis=0))[:, np.newaxis]
        np.matmul(W, H, out=WH)
        np.maximum(WH, EPS, out=WH)
        loss = _kl_loss_from_WH(X, WH, constant, buffer)
        history.append(loss)
        stop, previous_error = _converged(history, error_at_init, previous_error, tol,
                                          _frobenius_error)
        if stop:
            break
    return W, H, history, _frobenius_error(history[-1])


def _fit_nature1999(X, W, H, max_iter, tol):
    """Lee and Seung's 1999 rules on the lecture's orientation V = Xᵀ (pixels x images), so that
    the normalised factor is the basis: here components_ = H, whose rows sum to 1."""
    constant = _xlogx_minus_x(X)
    basis, encodings, history, error = _fit_kl(X.T, H.T, W.T, max_iter, tol, normalise_W=True)
    # The history holds D_KL; F = constant − D_KL is the increasing objective of the paper.
    objective = [constant - d for d in history]
    return encodings.T.copy(), basis.T.copy(), objective, error
