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
One multiplicative step each, returning the new :class:`Factors` ``(W, H)`` (W first, then H
with the new W, as scikit-learn's ``solver='mu'`` does)
    ``update_euclidean``, ``update_kl``, ``update_nature1999``: the slides' formulas and nothing
    else. ``run_updates`` applies one of them repeatedly and records the loss: the loop the
    estimator :class:`NMF` runs, and the lessons too.
Why the Euclidean rule never increases the loss (lesson 07)
    ``euclidean_auxiliary``: the loss of one encoding and Lee and Seung's auxiliary function
    G(h, hᵗ) >= F(h), whose minimum is the multiplicative step.
Plain gradient steps, for contrast (lesson 07)
    ``projected_gradient_step``, ``kl_gradient_step`` (with the slides' errata as options), and
    ``finite_difference_gradient`` to check any gradient numerically.
Initialisation
    ``initialize``: 'random', 'nndsvd', 'nndsvda', 'nndsvdar', bit for bit the same as
    scikit-learn's for the same arguments.

The only epsilon: ``EPS`` (float32's machine epsilon, the value scikit-learn uses). A
multiplicative rule divides by ``[W H Hᵀ]``, ``[Wᵀ W H]``, ``[W H]`` or row/column sums, and any
of these is 0 when a whole row or column of a factor is 0 (the "zero lock" of lesson 06), so a
zero denominator is replaced by ``EPS``. In the KL rules ``[W H]`` is floored at ``EPS`` before
``V / [W H]`` is formed, also as scikit-learn does; where ``V`` is 0 the ratio stays 0.

Bad input: every objective and one-step rule either returns a finite answer or raises a
``ValueError`` naming the argument. Complex, string and object arrays are refused (casting would
drop the imaginary part); finite values so large that a product or a square overflows float64
(e.g. ``V * 1e300``) are refused when the overflow happens (``@_refuses_overflow``: NumPy's
floating-point errors are raised inside the function, and its result is checked to be finite).
:func:`initialize` and :class:`NMF` refuse such data up front (½‖X‖² must be finite, with room
to spare). NMF is scale-equivariant: V / c ≈ (W / √c)(H / √c), so dividing the data by a constant
loses nothing.
"""
import functools
import inspect
import numbers
from typing import NamedTuple

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils import check_random_state as sklearn_check_random_state
from sklearn.utils.extmath import randomized_svd

from . import threads
from .hierarchical import _power_of_two_scale
from .metrics import _safe_scale
from .validation import (NotFittedError, check_array_2d, check_n_features, check_number,
                         check_positive_int,
                         check_random_state, check_real_array, as_real_array, MAX_ABS,
                         _check_magnitude)

__all__ = [
    "EPS",
    "LOSSES",
    "KL_RULES",
    "INIT_METHODS",
    "Factors",
    "euclidean_loss",
    "kl_divergence",
    "nature1999_objective",
    "update_euclidean",
    "update_kl",
    "update_nature1999",
    "Auxiliary",
    "euclidean_auxiliary",
    "UpdateRun",
    "run_updates",
    "projected_gradient_step",
    "kl_gradient_step",
    "finite_difference_gradient",
    "initialize",
    "sparsity",
    "lee_seung_preprocess",
    "NMF",
]

EPS = float(np.finfo(np.float32).eps)
"""Replaces a zero denominator (and floors ``[WH]`` in the KL rules); ~1.19e-7, as scikit-learn."""

LOSSES = ("euclidean", "kl", "nature1999")
"""The losses of :class:`NMF`."""

KL_RULES = ("correct", "slides")
"""The choices of :func:`kl_gradient_step`'s ``step_rule`` and ``gradient_rule``."""

INIT_METHODS = ("random", "nndsvd", "nndsvda", "nndsvdar")
"""The initialisations of :func:`initialize` (scikit-learn's, less 'custom')."""


class Factors(NamedTuple):
    """The two factors of V ≈ W H (``W, H = factors`` unpacks them)."""

    W: np.ndarray
    """shape (n, r)"""
    H: np.ndarray
    """shape (r, m)"""


# ----------------------------------------------------------------------------------------------
# Argument checks and the EPS guards (light: the update rules run in loops of hundreds of steps)
# ----------------------------------------------------------------------------------------------

def _as_float_matrix(array, name):
    """``array`` as float64 without a copy when it already is one; complex, string and object
    arrays go through :func:`check_array_2d`, which refuses them naming ``name`` (a real array
    is returned as it is shaped: the caller checks its dimensions)."""
    try:
        array = np.asarray(array)
    except ValueError as exc:                   # ragged nested lists
        raise ValueError(f"{name} must be a rectangular array: {exc}") from None
    if array.dtype.kind not in "biuf":
        return check_array_2d(array, name, allow_negative=False)
    return array.astype(np.float64, copy=False)


def _check_factors(V, W, H, names=("V", "W", "H")):
    V, W, H = (_as_float_matrix(array, name) for array, name in zip((V, W, H), names))
    for name, array in zip(names, (V, W, H)):
        if array.ndim != 2:
            raise ValueError(f"{name} must be 2-D, got shape {array.shape}")
        # min() propagates NaN, so two reductions catch NaN, infinity and negatives cheaply.
        low, high = (float(array.min()), float(array.max())) if array.size else (0.0, 0.0)
        if not (np.isfinite(low) and np.isfinite(high) and low >= 0):
            check_array_2d(array, name, allow_negative=False)  # finds and names the bad entry
    if W.shape[0] != V.shape[0] or H.shape[1] != V.shape[1] or W.shape[1] != H.shape[0]:
        raise ValueError(
            f"{names[0]} ≈ W H needs W of shape ({V.shape[0]}, r) and H of shape (r, {V.shape[1]}), "
            f"got {names[0]} {V.shape}, W {W.shape}, H {H.shape}"
        )
    return V, W, H


def _largest(value):
    """The largest |entry| of an array-like or number (0 for an empty one)."""
    array = np.abs(np.asarray(value, dtype=np.float64))
    return float(array.max()) if array.size else 0.0


def _is_finite_result(result):
    if isinstance(result, tuple):
        return all(_is_finite_result(part) for part in result)
    array = np.asarray(result)
    # max() propagates NaN and infinity: one reduction (the rules' results are >= 0).
    return array.size == 0 or bool(np.isfinite(np.abs(array).max()))


def _refuses_overflow(function):
    """Decorator: run an objective or a one-step rule with NumPy's overflow and invalid-value
    errors raised, check that its result is finite, and turn either failure into a
    ``ValueError`` that names the argument with the largest magnitude."""

    signature = inspect.signature(function)
    first = next(iter(signature.parameters))          # V, or X for GNMF

    @functools.wraps(function)
    def checked(*args, **kwargs):
        try:
            with np.errstate(over="raise", invalid="raise"):
                result = function(*args, **kwargs)
        except FloatingPointError as error:
            cause = str(error)
        else:
            if _is_finite_result(result):
                return result
            cause = "the result is not finite"
        sizes = {}
        for name, value in signature.bind(*args, **kwargs).arguments.items():
            if isinstance(value, (bool, np.bool_, str)) or sparse.issparse(value):
                continue
            try:
                sizes[name] = _largest(value)
            except (TypeError, ValueError):
                continue
        culprit = max(sizes, key=sizes.get)
        largest = ", ".join(f"{name} {size:.3g}" for name, size in sizes.items())
        raise ValueError(
            f"{culprit} is too large for {function.__name__} in float64 ({cause}; largest "
            f"entries: {largest}). NMF is scale-equivariant: divide {first} by a constant c "
            f"({first} / c ≈ (W / √c)(H / √c)) and start again") from None

    return checked


# Room to spare above ½‖X‖² for the products of a fit (W H, W H Hᵀ, the losses of early steps).
_SCALE_MARGIN = 1e6


def _check_scale(X, name):
    """Refuse data whose squared norm times :data:`_SCALE_MARGIN` overflows float64, before a
    fit's arithmetic does. ``X`` is a checked non-negative float array."""
    top = float(X.max()) if X.size else 0.0
    # Python floats: top * top * size becomes inf (no exception) when it overflows.
    if not np.isfinite(top * top * X.size * _SCALE_MARGIN):
        raise ValueError(
            f"{name} is too large for NMF in float64: its largest value is {top:.3g}, and "
            f"½‖{name}‖² over its {X.size} entries (times {_SCALE_MARGIN:.0e} of room for the "
            f"fit's products) overflows. NMF is scale-equivariant: divide {name} by a constant "
            f"(e.g. {name} / {name}.max()) and scale the factors back")


def _nonzero(denominator):
    """A fresh denominator with its exact zeros replaced by EPS (in place)."""
    denominator[denominator == 0] = EPS
    return denominator


def _floored(WH):
    """A fresh product [WH] floored at EPS (in place), so that V / [WH] is finite."""
    return np.maximum(WH, EPS, out=WH)


# ----------------------------------------------------------------------------------------------
# Objectives
# ----------------------------------------------------------------------------------------------

@_refuses_overflow
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
    V, W, H = _check_factors(V, W, H)
    residual = W @ H
    residual -= V
    return 0.5 * float(np.vdot(residual, residual))


@_refuses_overflow
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
    V, W, H = _check_factors(V, W, H)
    WH = W @ H
    positive = V > 0
    v = V[positive]
    log_ratio = np.log(v / np.maximum(WH[positive], EPS))
    return float(np.dot(v, log_ratio) - v.sum() + WH.sum())


@_refuses_overflow
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
    V, W, H = _check_factors(V, W, H)
    WH = W @ H
    positive = V > 0
    return float(np.dot(V[positive], np.log(np.maximum(WH[positive], EPS))) - WH.sum())


# ----------------------------------------------------------------------------------------------
# One multiplicative step each: W first, then H with the new W
# ----------------------------------------------------------------------------------------------

@_refuses_overflow
def update_euclidean(V, W, H):
    """One step of Lee and Seung's multiplicative rules for ½‖V − WH‖² (NIPS 2000).

    Each line is gradient descent with the element-wise step μ_ik = w_ik / [W H Hᵀ]_ik (and
    η_kj = h_kj / [Wᵀ W H]_kj): w − μ ∘ (W H Hᵀ − V Hᵀ) = w ∘ (V Hᵀ) / (W H Hᵀ). The products
    are taken in the cheap order: H Hᵀ and Wᵀ W are r × r, so W H (n × m) is never formed.
    A zero denominator becomes ``EPS``.

    Parameters
    ----------
    V : ndarray of shape (n, m), non-negative
    W : ndarray of shape (n, r), non-negative
    H : ndarray of shape (r, m), non-negative

    Returns
    -------
    Factors (W, H) : new arrays of shapes (n, r) and (r, m); the inputs are not modified.
    """
    V, W, H = _check_factors(V, W, H)
    # 1. W ← W ∘ (V Hᵀ) / (W H Hᵀ)
    W = W * (V @ H.T) / _nonzero(W @ (H @ H.T))
    # 2. H ← H ∘ (Wᵀ V) / (Wᵀ W H), with the new W
    H = H * (W.T @ V) / _nonzero((W.T @ W) @ H)
    return Factors(W, H)


@_refuses_overflow
def update_kl(V, W, H):
    """One step of the multiplicative rules for D_KL(V ‖ WH) (Lee and Seung, NIPS 2000).

    Element by element: w_ik ← w_ik Σ_j h_kj v_ij / [WH]_ij / Σ_j h_kj, then, with the new W,
    h_kj ← h_kj Σ_i w_ik v_ij / [WH]_ij / Σ_i w_ik. This is gradient descent with the steps
    μ_ik = w_ik / Σ_j h_kj and η_kj = h_kj / Σ_i w_ik on the gradient
    ∂D/∂w_ik = Σ_j (h_kj − h_kj v_ij / [WH]_ij) (the slides print both the step and the
    gradient's sign wrongly; see lesson 07). [WH] is floored at ``EPS`` and a zero row or column
    sum becomes ``EPS``.

    Parameters
    ----------
    V : ndarray of shape (n, m), non-negative
    W : ndarray of shape (n, r), non-negative
    H : ndarray of shape (r, m), non-negative

    Returns
    -------
    Factors (W, H) : new arrays of shapes (n, r) and (r, m)
    """
    V, W, H = _check_factors(V, W, H)
    # 1. W ← W ∘ [(V / WH) Hᵀ] / (1 Hᵀ)        (1 Hᵀ: the row sums of H)
    W = W * ((V / _floored(W @ H)) @ H.T) / _nonzero(H.sum(axis=1))[np.newaxis, :]
    # 2. H ← H ∘ [Wᵀ (V / WH)] / (Wᵀ 1), with the new W        (Wᵀ 1: the column sums of W)
    H = H * (W.T @ (V / _floored(W @ H))) / _nonzero(W.sum(axis=0))[:, np.newaxis]
    return Factors(W, H)


@_refuses_overflow
def update_nature1999(V, W, H):
    """One step of Lee and Seung's Nature 1999 rules, which *increase* F = Σ V log WH − WH.

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
    Factors (W, H) : new arrays; every column of W (a basis image) sums to 1
    """
    V, W, H = _check_factors(V, W, H)
    # 1. W_ia ← W_ia Σ_μ [V_iμ / (WH)_iμ] H_aμ
    W = W * ((V / _floored(W @ H)) @ H.T)
    # 2. W_ia ← W_ia / Σ_j W_ja            (every column of W sums to 1)
    W = W / _nonzero(W.sum(axis=0))[np.newaxis, :]
    # 3. H_aμ ← H_aμ Σ_i W_ia V_iμ / (WH)_iμ, with the new W
    H = H * (W.T @ (V / _floored(W @ H)))
    return Factors(W, H)


# ----------------------------------------------------------------------------------------------
# Why the Euclidean rule never increases the loss: Lee and Seung's auxiliary function
# ----------------------------------------------------------------------------------------------

class Auxiliary(NamedTuple):
    """What :func:`euclidean_auxiliary` returns."""

    F: float
    """F(h) = ½‖v − W h‖², the loss at h."""
    G: float
    """G(h, hᵗ) >= F(h), the majoriser at h (equal to F where h = hᵗ)."""
    G_argmin: np.ndarray
    """shape (r,): where G(·, hᵗ) is smallest, hᵗ − ∇F(hᵗ) / K (the multiplicative step)."""


def euclidean_auxiliary(v, W, h, h_t):
    """The loss F(h) = ½‖v − W h‖² of one encoding h (W fixed) and Lee and Seung's auxiliary
    function G(h, hᵗ) at h (NIPS 2000, Lemma 1 and eq. 13):

    G(h, hᵗ) = F(hᵗ) + (h − hᵗ)ᵀ ∇F(hᵗ) + ½ Σ_a K_a (h_a − hᵗ_a)²,  K_a = [Wᵀ W hᵗ]_a / hᵗ_a.

    F is the same expansion with Wᵀ W in place of diag(K), and diag(K) − Wᵀ W is positive
    semi-definite, so G >= F everywhere and G = F at h = hᵗ. Minimising G (a separable quadratic)
    gives hᵗ − ∇F / K = hᵗ ∘ (Wᵀ v) / (Wᵀ W hᵗ): the multiplicative step. Hence
    F(hᵗ⁺¹) <= G(hᵗ⁺¹, hᵗ) <= G(hᵗ, hᵗ) = F(hᵗ): the loss never increases.

    Parameters
    ----------
    v : ndarray of shape (n,), non-negative
        One column of V (one image).
    W : ndarray of shape (n, r), non-negative
    h : ndarray of shape (r,)
        Where F and G are evaluated.
    h_t : ndarray of shape (r,), positive
        The current encoding hᵗ (K divides by it).

    Returns
    -------
    Auxiliary (F, G, G_argmin) : F(h), G(h, hᵗ) and the minimiser of G(·, hᵗ)
    """
    v, h, h_t = _as_float_matrix(v, "v"), _as_float_matrix(h, "h"), _as_float_matrix(h_t, "h_t")
    if v.ndim != 1 or h.ndim != 1 or h_t.shape != h.shape:
        raise ValueError(f"v, h and h_t must be 1-D with h and h_t of one shape, got v {v.shape}, "
                         f"h {h.shape}, h_t {h_t.shape}")
    V, W, H = _check_factors(v[:, np.newaxis], W, h_t[:, np.newaxis], names=("v", "W", "h_t"))
    if not np.all(h_t > 0):
        raise ValueError(f"h_t must be positive (K divides by it), got min(h_t)={h_t.min()!r}")
    if not np.all(np.isfinite(h)):
        raise ValueError("h must be finite")
    try:
        with np.errstate(over="raise", invalid="raise"):
            gram = W.T @ W
            gradient = gram @ h_t - W.T @ v                       # ∇F(hᵗ) = Wᵀ W hᵗ − Wᵀ v
            K = (gram @ h_t) / h_t
            step = h - h_t
            F = 0.5 * float(np.sum((v - W @ h) ** 2))
            G = 0.5 * float(np.sum((v - W @ h_t) ** 2)) + float(step @ gradient) \
                + 0.5 * float(np.sum(K * step ** 2))
            # G is a separable quadratic in h: each coordinate's minimum is where its derivative
            # is 0.
            result = Auxiliary(F, G, h_t - gradient / K)
    except FloatingPointError as error:
        raise ValueError(f"v, W, h or h_t is too large for float64 ({error}): rescale them") from None
    if not _is_finite_result(result):
        raise ValueError("v, W, h or h_t is too large for float64 (the result is not finite): "
                         "rescale them")
    return result


# ----------------------------------------------------------------------------------------------
# Running a rule: the loop of the estimator and of the lessons
# ----------------------------------------------------------------------------------------------

class UpdateRun(NamedTuple):
    """What :func:`run_updates` returns."""

    W: np.ndarray
    """The last W, shape (n, r)."""
    H: np.ndarray
    """The last H, shape (r, m)."""
    losses: np.ndarray
    """shape (n_iter + 1,): the loss of the start, then the loss after each step."""
    n_iter: int
    """Steps made (``max_iter``, or fewer when the ``tol`` rule stopped the run)."""


def _error(loss):
    """sqrt(2 · loss): the 'reconstruction error' scikit-learn reports and tests ``tol`` on."""
    return float(np.sqrt(max(2.0 * loss, 0.0)))


def run_updates(update, V, W, H, max_iter, loss=euclidean_loss, tol=0.0):
    """Apply a one-step rule up to ``max_iter`` times from (W, H), recording the loss.

    Parameters
    ----------
    update : callable ``update(V, W, H) -> (W, H)``
        One step, e.g. :func:`update_euclidean`, :func:`update_kl` or
        ``functools.partial(projected_gradient_step, step=0.01)``.
    V : ndarray of shape (n, m), non-negative
    W : ndarray of shape (n, r)
    H : ndarray of shape (r, m)
    max_iter : int >= 0
    loss : callable ``loss(V, W, H) -> float``
        Recorded at the start and after every step (e.g. :func:`euclidean_loss`,
        :func:`kl_divergence`).
    tol : float >= 0
        scikit-learn's stop rule: every 10 steps, stop when sqrt(2 · loss) fell by less than
        ``tol`` times its value at the start since the previous check. 0 runs all ``max_iter``.

    Returns
    -------
    UpdateRun : the last W and H, ``losses`` of shape (n_iter + 1,) and ``n_iter``.
    """
    max_iter = check_positive_int(max_iter, "max_iter", minimum=0)
    tol = check_number(tol, "tol", minimum=0)
    losses = [loss(V, W, H)]
    error_at_init = previous_error = _error(losses[0])
    n_iter = 0
    while n_iter < max_iter:
        W, H = update(V, W, H)
        losses.append(loss(V, W, H))
        n_iter += 1
        if tol > 0 and n_iter % 10 == 0:
            error = _error(losses[-1])
            # error_at_init == 0: the start already reproduces V exactly (e.g. one sample).
            if error_at_init == 0 or (previous_error - error) / error_at_init < tol:
                break
            previous_error = error
    return UpdateRun(W, H, np.asarray(losses), n_iter)


# ----------------------------------------------------------------------------------------------
# Plain gradient steps, for contrast (lesson 07)
# ----------------------------------------------------------------------------------------------

@_refuses_overflow
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
    Factors (W, H) : new arrays
    """
    V, W, H = _check_factors(V, W, H)
    step = check_number(step, "step", minimum=0, strict=True)
    W = np.maximum(W + step * ((V - W @ H) @ H.T), 0.0)
    H = np.maximum(H + step * (W.T @ (V - W @ H)), 0.0)
    return Factors(W, H)


@_refuses_overflow
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
    Factors (W, H) : new arrays
    """
    V, W, H = _check_factors(V, W, H)
    for name, value in (("step_rule", step_rule), ("gradient_rule", gradient_rule)):
        if value not in KL_RULES:
            raise ValueError(f"{name} must be one of {KL_RULES}, got {name}={value!r}")
    sign = 1.0 if gradient_rule == "correct" else -1.0

    ratio = V / _floored(W @ H)
    ones = np.ones_like(V)
    gradient_W = (ones - ratio) @ H.T if sign > 0 else -((ratio + ones) @ H.T)
    step_W = 1.0 / _nonzero(H.sum(axis=1))[np.newaxis, :]
    if step_rule == "correct":
        step_W = W * step_W
    W = np.maximum(W - step_W * gradient_W, 0.0)

    ratio = V / _floored(W @ H)
    gradient_H = W.T @ (ones - ratio) if sign > 0 else -(W.T @ (ratio + ones))
    step_H = 1.0 / _nonzero(W.sum(axis=0))[:, np.newaxis]
    if step_rule == "correct":
        step_H = H * step_H
    H = np.maximum(H - step_H * gradient_H, 0.0)
    return Factors(W, H)


def finite_difference_gradient(objective, A, step=1e-6):
    """The gradient of a scalar function, numerically: central differences entry by entry,
    (f(A + h eᵢ) − f(A − h eᵢ)) / 2h with h = ``step``, to check a gradient formula.

    Parameters
    ----------
    objective : callable ``objective(A) -> float``
        E.g. ``lambda W: euclidean_loss(V, W, H)``.
    A : ndarray of any shape
        The point where the gradient is taken.
    step : float > 0
        h. Central differences are exact for quadratics and accurate to about h² otherwise.

    Returns
    -------
    gradient : ndarray of the shape of A
    """
    A = check_real_array(A, "A")
    if (isinstance(step, (bool, np.bool_)) or not isinstance(step, numbers.Real)
            or not np.isfinite(step) or step <= 0):
        raise ValueError(f"step must be a positive number, got step={step!r}")
    gradient = np.empty_like(A)
    for index in np.ndindex(*A.shape):
        bump = np.zeros_like(A)
        bump[index] = step
        gradient[index] = (objective(A + bump) - objective(A - bump)) / (2 * step)
    if not np.all(np.isfinite(gradient)):
        raise ValueError(
            f"the finite differences are not finite: objective(A ± step) overflowed or is not "
            f"defined there (A as large as {_largest(A):.3g}, step={step:g}). Use a small step "
            f"(about 1e-6 times the size of A) and rescale A if it is huge")
    return gradient


# ----------------------------------------------------------------------------------------------
# Initialisation: scikit-learn's _initialize_nmf, re-derived (bit for bit)
# ----------------------------------------------------------------------------------------------

def initialize(V, n_components, method="nndsvda", random_state=None):
    """Starting factors W, H >= 0 with V ≈ W H, the same as scikit-learn's for the same arguments.

    'random'
        |N(0, 1)| entries scaled by sqrt(mean(V) / r): H drawn first, then W.
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
    random_state : None, int, numpy Generator or RandomState
        Drives the randomised SVD and the draws of 'random' / 'nndsvdar'. Read as scikit-learn
        reads it (an int gives a new ``RandomState(int)`` each time), so that an int gives
        scikit-learn's own numbers.

    Returns
    -------
    Factors (W, H) : arrays of shapes (n, r) and (r, m)
    """
    V = check_array_2d(V, "V", allow_negative=False)
    _check_scale(V, "V")
    n, m = V.shape
    if method not in INIT_METHODS:
        raise ValueError(f"method must be one of {INIT_METHODS}, got method={method!r}")
    random_state = check_random_state(random_state, for_sklearn=True)
    if method == "random":
        n_components = check_positive_int(n_components, "n_components")
        rng = sklearn_check_random_state(random_state)
        scale = np.sqrt(V.mean() / n_components)
        H = np.abs(scale * rng.standard_normal(size=(n_components, m)))
        W = np.abs(scale * rng.standard_normal(size=(n, n_components)))
        return Factors(W, H)
    n_components = check_positive_int(n_components, "n_components", maximum=min(n, m))

    # The r leading singular triplets, by scikit-learn's randomised SVD (Halko et al. 2011).
    U, S, Vt = randomized_svd(V, n_components, random_state=random_state)
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
        rng = sklearn_check_random_state(random_state)
        mean = V.mean()
        W[W == 0] = abs(mean * rng.standard_normal(size=len(W[W == 0])) / 100)
        H[H == 0] = abs(mean * rng.standard_normal(size=len(H[H == 0])) / 100)
    return Factors(W, H)


def sparsity(A, threshold=1e-6):
    """Fraction of the entries of ``A`` that are (nearly) zero: ``mean(|A| <= threshold * max|A|)``.

    Returns
    -------
    fraction : float in [0, 1]
    """
    A = np.abs(check_real_array(A, "A", min_size=0))
    threshold = check_number(threshold, "threshold", minimum=0)
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
    images = check_real_array(images, "images", min_size=0)
    if images.ndim not in (2, 3) or images.shape[0] == 0:
        raise ValueError(f"images must have shape (n, h, w) or (n, n_pixels), got {images.shape}")
    X = images.reshape(images.shape[0], -1)
    std = X.std(axis=1, keepdims=True)
    # A flat image has no contrast to scale: it becomes uniformly 0.25.
    std[std == 0] = 1.0
    X = 0.25 + 0.25 * (X - X.mean(axis=1, keepdims=True)) / std
    return np.clip(X, 0.0, 1.0)


class _EuclideanLossAfterSteps:
    """½‖V − WH‖² of a run of :func:`update_euclidean` without forming the n × m product W H.

    ½‖V − WH‖² = ½‖V‖² − ⟨Wᵀ V, H⟩ + ½⟨Wᵀ W, H Hᵀ⟩. After a step, H = Hᵗ ∘ (Wᵀ V) / D with
    D = Wᵀ W Hᵗ (zeros replaced by EPS, as in the rule), so Wᵀ V = H ∘ D / Hᵗ where Hᵗ > 0 (and
    H = 0 where Hᵗ = 0): the loss needs only r × r and r × m products (W Wᵀ, D, H Hᵀ), not a
    third n × m × r product on top of the rule's two. Called as ``loss(V, W, H)`` by
    :func:`run_updates`: first with the start (computed directly), then after each step of
    ``update_euclidean`` on the same V, in order. Agrees with :func:`euclidean_loss` to rounding
    (relative to ½‖V‖²; the tests check it).
    """

    def __init__(self):
        self._half_squared_norm = None
        self._previous_H = None

    def __call__(self, V, W, H):
        if self._previous_H is None:
            loss = euclidean_loss(V, W, H)
            self._half_squared_norm = 0.5 * float(np.vdot(V, V))
        else:
            H_t = self._previous_H
            gram = W.T @ W
            D = _nonzero(gram @ H_t)
            positive = H_t > 0
            cross = float(np.sum(H[positive] ** 2 * D[positive] / H_t[positive]))  # ⟨Wᵀ V, H⟩
            loss = max(self._half_squared_norm - cross + 0.5 * float(np.vdot(gram, H @ H.T)), 0.0)
        self._previous_H = H
        return loss


# ----------------------------------------------------------------------------------------------
# The estimator (scikit-learn's orientation: X ≈ W H, samples in rows)
# ----------------------------------------------------------------------------------------------

_RULES = {
    # loss: (the one-step rule, the divergence it decreases: what the tol rule watches)
    "euclidean": (update_euclidean, euclidean_loss),
    "kl": (update_kl, kl_divergence),
    "nature1999": (update_nature1999, kl_divergence),
}


class NMF(TransformerMixin, BaseEstimator):
    """Non-negative matrix factorisation X ≈ W H by multiplicative updates, from scratch.

    Same orientation and method names as ``sklearn.decomposition.NMF(solver='mu')``: X has one
    sample per row; ``fit_transform`` returns W (n_samples, r); ``components_`` is H
    (r, n_features), whose rows are the basis images. Fitting runs :func:`run_updates` with the
    lessons' rules (:func:`update_euclidean`, :func:`update_kl`, :func:`update_nature1999`).

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
    random_state : None, int, numpy Generator or RandomState
        Read by :func:`initialize`.

    Attributes
    ----------
    components_ : ndarray of shape (n_components, n_features)
    loss_history_ : ndarray of shape (n_iter_,)
        The objective after each iteration: ½‖X − WH‖², D_KL, or F (increasing) for 'nature1999'.
        The Euclidean one comes from r × m products of the step (``½‖X‖² − ⟨Wᵀ X, H⟩ +
        ½⟨Wᵀ W, H Hᵀ⟩``), equal to :func:`euclidean_loss` up to rounding relative to ½‖X‖².
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
        # 'random' may exceed min(X.shape), but more than max(X.shape) components can only repeat
        # themselves (and n_components=10**9 would fill memory).
        maximum = max(X.shape) if self.init == "random" else min(X.shape)
        n_components = min(X.shape) if self.n_components is None else self.n_components
        n_components = check_positive_int(n_components, "n_components", maximum=maximum)
        max_iter = check_positive_int(self.max_iter, "max_iter")
        if (isinstance(self.tol, (bool, np.bool_)) or not isinstance(self.tol, numbers.Real)
                or not np.isfinite(self.tol) or self.tol < 0):
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
        _check_scale(X, "X")
        n_components, max_iter, tol = self._check_params(X)
        update, loss = _RULES[self.loss]
        if self.loss == "euclidean":
            # The same loss from the rule's own products: 2 large products per step, not 3.
            loss = _EuclideanLossAfterSteps()
        with threads.for_problem_size(X.size):
            W, H = initialize(X, n_components, method=self.init, random_state=self.random_state)
            if not (np.all(np.isfinite(W)) and np.all(np.isfinite(H))):
                # NNDSVD divides by the norms of the positive/negative parts of singular vectors;
                # on degenerate X (e.g. rank < n_components, zero rows) both can be 0 and
                # scikit-learn's init gives NaN too. Say so rather than fit NaN.
                raise ValueError(f"init={self.init!r} is undefined for this X with n_components="
                                 f"{n_components} (a singular vector with no usable non-negative "
                                 f"part): use fewer components or init='random'")
            if self.loss == "nature1999":
                # Lee and Seung's rules normalise the lecture's W, the basis: run them on the
                # lecture's orientation V = Xᵀ (pixels x images), whose W is our Hᵀ.
                run = run_updates(update, X.T, H.T, W.T, max_iter, loss, tol)
                W, H = run.H.T.copy(), run.W.T.copy()
            else:
                run = run_updates(update, X, W, H, max_iter, loss, tol)
                W, H = run.W, run.H
        history = run.losses[1:]
        if self.loss == "nature1999":
            # F = Σ (X log X − X) − D_KL: the increasing objective of the paper.
            positive = X[X > 0]
            history = float(np.dot(positive, np.log(positive)) - X.sum()) - history
        self.components_ = H
        self.n_components_ = n_components
        self.n_features_in_ = X.shape[1]
        self.loss_history_ = history
        self.n_iter_ = run.n_iter
        self.reconstruction_err_ = _error(run.losses[-1])
        return W

    def transform(self, X):
        """Encode X with the fitted basis held fixed: W (n_samples, n_components) >= 0.

        As scikit-learn: W starts at sqrt(mean(X) / r) everywhere and only the W step of the
        rule runs (the Euclidean one for 'euclidean', the KL one otherwise; for 'nature1999' the
        basis rows sum to 1, so the KL step for W is exactly its H step seen from the other side).
        """
        self._check_fitted()
        X = check_array_2d(X, "X", allow_negative=False)
        _check_scale(X, "X")
        check_n_features(X, self.n_features_in_, "NMF")
        H = self.components_
        update, loss = (update_euclidean, euclidean_loss) if self.loss == "euclidean" \
            else (update_kl, kl_divergence)

        def update_W(X, W, H):
            # The rule's W step with the basis fixed (its H step is computed and dropped).
            return Factors(update(X, W, H).W, H)

        W = np.full((X.shape[0], H.shape[0]), np.sqrt(X.mean() / H.shape[0]))
        with threads.for_problem_size(X.size):
            return run_updates(update_W, X, W, H, self.max_iter, loss, self.tol).W

    def inverse_transform(self, W):
        """Back to the data space: W @ components_, shape (n_samples, n_features)."""
        self._check_fitted()
        W = check_array_2d(W, "W")
        if W.shape[1] != self.components_.shape[0]:
            raise ValueError(f"W must have {self.components_.shape[0]} columns, got shape {W.shape}")
        return W @ self.components_


# ==============================================================================================
# Beyond the slides (lesson 11): one rule for every β-divergence, HALS, Hoyer's sparseness,
# sparse NMF with a sparseness constraint, and graph-regularised NMF.
# ==============================================================================================

from scipy import special  # noqa: E402  (this section is appended to the module)


def _check_gnmf_input(X, W, H, A, lambda_):
    """GNMF's X, W, H (as :func:`_check_factors`), graph A and weight lambda_ >= 0, checked."""
    X, W, H = _check_factors(X, W, H, names=("X", "W", "H"))
    A = _check_graph(A, len(X))
    lambda_ = _check_real(lambda_, "lambda_")
    if lambda_ < 0:
        raise ValueError(f"lambda_ must be >= 0, got lambda_={lambda_!r}")
    return X, W, H, A, lambda_


def _check_graph(A, n_samples):
    """GNMF's graph weights: (n, n), finite, non-negative, symmetric (dense or scipy sparse).

    O(number of stored weights): a sparse graph stays sparse (this runs at every step)."""
    from scipy import sparse

    if sparse.issparse(A):
        values, transposed = A.data, A.T
    else:
        A = check_real_array(A, "A", ndim=2)
        values, transposed = A, A.T
    if A.shape != (n_samples, n_samples):
        raise ValueError(f"A must have shape ({n_samples}, {n_samples}), one row per sample, "
                         f"got shape {A.shape}")
    if values.dtype.kind not in "biuf" or not np.all(np.isfinite(values)) or np.any(values < 0):
        raise ValueError("A must hold finite, non-negative graph weights")
    asymmetry = abs(A - transposed).max() if A.size else 0.0
    if asymmetry > 1e-9 * max(1.0, float(np.max(values)) if values.size else 1.0):
        raise ValueError(f"A must be symmetric (an undirected graph), got max |A - A.T| = "
                         f"{float(asymmetry):.3g}")
    return A


def _check_real(value, name="beta"):
    """``value`` as a float, or a ValueError naming it (bools, strings, NaN, infinity)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real) \
            or not np.isfinite(value):
        raise ValueError(f"{name} must be a finite real number, got {name}={value!r}")
    return float(value)


def _d_beta(V, Y, beta):
    """d_β(v | y) entry by entry, for checked arrays (V > 0 where β <= 0)."""
    if beta == 2:
        return 0.5 * (V - Y) ** 2
    Y = np.maximum(Y, EPS)
    if beta == 1:
        return special.xlogy(V, V / Y) - V + Y
    if beta == 0:
        ratio = V / Y
        return ratio - np.log(ratio) - 1.0
    return (V ** beta + (beta - 1.0) * Y ** beta - beta * V * Y ** (beta - 1.0)) \
        / (beta * (beta - 1.0))


def beta_divergence_entries(V, Y, beta):
    """d_β(v | y) for every pair of entries: the terms :func:`beta_divergence` adds up.

    d_β(x | y) = (x^β + (β − 1) y^β − β x y^(β−1)) / (β (β − 1))   for β ∉ {0, 1},
    ½ (x − y)² at β = 2, and the limits x ln(x/y) − x + y at β = 1 (generalised KL, 0 ln 0 = 0)
    and x/y − ln(x/y) − 1 at β = 0 (Itakura-Saito). For β < 2, y is floored at ``EPS``.

    Parameters
    ----------
    V : ndarray, non-negative (positive for beta <= 0)
        The data.
    Y : ndarray of a shape that broadcasts with V, non-negative
        The model, e.g. W @ H, a grid of model values, or a stack of small problems.
    beta : float

    Returns
    -------
    d : ndarray of the broadcast shape, >= 0
    """
    beta = _check_real(beta)
    V, Y = as_real_array(V, "V"), as_real_array(Y, "Y")
    try:
        np.broadcast_shapes(V.shape, Y.shape)
    except ValueError:
        raise ValueError(f"V and Y must have the same shape, got {V.shape} and {Y.shape}") from None
    for name, array in (("V", V), ("Y", Y)):
        if not np.all(np.isfinite(array)) or np.any(array < 0):
            raise ValueError(f"{name} must be finite and non-negative, got min {array.min()!r}, "
                             f"max {array.max()!r}")
    if beta <= 0 and np.any(V == 0):
        raise ValueError(f"V must be positive for beta={beta} <= 0 (d_β(0 | y) is infinite), "
                         f"got {int(np.sum(V == 0))} zero entries")
    return _finite_d_beta(V, Y, beta, "Y")


def _finite_d_beta(V, Y, beta, model="W H"):
    """:func:`_d_beta`, or a ValueError naming beta, V and the model when it overflows (x^β with
    β = 1e300, or values whose powers exceed float64)."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        d = _d_beta(V, Y, beta)
    if not np.all(np.isfinite(d)):
        raise ValueError(
            f"d_β overflows float64 with beta={beta:g}, V as large as {_largest(V):.3g} and "
            f"{model} as large as {_largest(Y):.3g}: use a beta of moderate size (the usual "
            f"range is 0 <= beta <= 2) or rescale V")
    return d


def beta_divergence(V, W, H, beta):
    """The β-divergence D_β(V ‖ WH) = Σ_ij d_β(v_ij | [WH]_ij), one family for every NMF loss.

    d_β(x | y) = (x^β + (β − 1) y^β − β x y^(β−1)) / (β (β − 1))   for β ∉ {0, 1},
    and its limits: the generalised KL divergence x ln(x/y) − x + y at β = 1 and the
    Itakura-Saito divergence x/y − ln(x/y) − 1 at β = 0. At β = 2 it is ½ (x − y)².

    β = 2 and β = 1 are :func:`euclidean_loss` and :func:`kl_divergence` themselves. Elsewhere
    it is the sum of :func:`beta_divergence_entries`: [WH] is floored at ``EPS`` where it would
    be raised to a negative power or divided by, and an entry with v_ij = 0 contributes its limit
    y^β / β (β > 0). For β <= 0 that limit is infinite, so V must then be positive.

    Parameters
    ----------
    V : ndarray of shape (n, m), non-negative (positive for beta <= 0)
    W : ndarray of shape (n, r)
    H : ndarray of shape (r, m)
    beta : float

    Returns
    -------
    divergence : float, >= 0
        Equals scikit-learn's ``_beta_divergence(V, W, H, beta)``.
    """
    beta = _check_real(beta)
    if beta == 2:
        return euclidean_loss(V, W, H)
    if beta == 1:
        return kl_divergence(V, W, H)
    V, W, H = _check_factors(V, W, H)
    if beta <= 0 and np.any(V == 0):
        raise ValueError(f"V must be positive for beta={beta} <= 0 (d_β(0 | y) is infinite), "
                         f"got {int(np.sum(V == 0))} zero entries")
    total = float(_finite_d_beta(V, W @ H, beta).sum())
    if not np.isfinite(total):
        raise ValueError(f"D_β overflows float64 with beta={beta:g}: the sum of its entries is "
                         f"infinite; rescale V (largest {_largest(V):.3g})")
    return total


def mm_exponent(beta):
    """γ(β), the exponent that makes the β multiplicative rule provably monotone (Févotte and
    Idier 2011): 1 / (2 − β) for β < 1, 1 for 1 <= β <= 2, 1 / (β − 1) for β > 2.

    Returns
    -------
    gamma : float in (0, 1]
    """
    beta = _check_real(beta)
    if beta < 1:
        return 1.0 / (2.0 - beta)
    if beta > 2:
        return 1.0 / (beta - 1.0)
    return 1.0


def update_beta(V, W, H, beta, gamma=None):
    """One multiplicative step for the β-divergence: the Euclidean rule at β = 2, the KL rule at
    β = 1, Itakura-Saito at β = 0, and everything in between or beyond.

    1. W ← W ∘ ( [(WH)^(β−2) ∘ V] Hᵀ  /  [(WH)^(β−1)] Hᵀ )^γ
    2. H ← H ∘ ( Wᵀ [(WH)^(β−2) ∘ V]  /  Wᵀ [(WH)^(β−1)] )^γ   (with the new W)

    The gradient of D_β splits into a positive part, the denominator, and a negative part, the
    numerator; their ratio is the step. With γ = 1 (the "heuristic" rule) this is Lee and Seung's
    recipe for any β. ``gamma=None`` uses γ(β) = :func:`mm_exponent`, which makes the step a
    majorisation-minimisation step and so provably monotone for every β (as scikit-learn's
    ``NMF(solver='mu', beta_loss=beta)`` does). [WH] is floored at ``EPS`` for β < 2 (a negative
    power of 0) and a zero denominator becomes ``EPS``.

    Parameters
    ----------
    V : ndarray of shape (n, m), non-negative
    W : ndarray of shape (n, r), non-negative
    H : ndarray of shape (r, m), non-negative
    beta : float
    gamma : float in (0, 1], optional
        The exponent of the ratio; None means γ(β), 1 the heuristic rule.

    Returns
    -------
    W_new : ndarray of shape (n, r)
    H_new : ndarray of shape (r, m)
    """
    V, W, H = _check_factors(V, W, H)
    beta = _check_real(beta)
    gamma = mm_exponent(beta) if gamma is None else _check_real(gamma, "gamma")
    if not 0 < gamma <= 1:
        raise ValueError(f"gamma must be in (0, 1], got gamma={gamma!r}")

    def weights(W, H):
        """(WH)^(β−2) and WH, floored where a negative power needs it."""
        WH = W @ H
        if beta < 2:
            np.maximum(WH, EPS, out=WH)
        return WH ** (beta - 2.0), WH

    # 1. W ← W ∘ ([(WH)^(β−2) ∘ V] Hᵀ / [(WH)^(β−1)] Hᵀ)^γ
    power, WH = weights(W, H)
    W = W * (((power * V) @ H.T) / _nonzero((power * WH) @ H.T)) ** gamma
    # 2. H ← H ∘ (Wᵀ [(WH)^(β−2) ∘ V] / Wᵀ [(WH)^(β−1)])^γ, with the new W
    power, WH = weights(W, H)
    H = H * ((W.T @ (power * V)) / _nonzero(W.T @ (power * WH))) ** gamma
    return W, H


@_refuses_overflow
def update_hals(V, W, H):
    """One sweep of HALS (hierarchical alternating least squares, Cichocki and Phan 2009) on
    ½‖V − WH‖²: every column of W, then every row of H, each solved exactly in turn.

    With everything else fixed, the loss is a separable quadratic in column k of W, with the
    same curvature [HHᵀ]_kk in every entry: its non-negative minimiser is the unconstrained one
    clipped at 0,

    1. w_k ← max(0, w_k + ([VHᵀ]_k − W [HHᵀ]_k) / [HHᵀ]_kk)      for k = 1..r, in turn
    2. h_k ← max(0, h_k + ([WᵀV]_k − [WᵀW]_k H) / [WᵀW]_kk)       for k = 1..r, with the new W

    Each line is an exact minimisation, so the loss never increases. This is scikit-learn's
    ``NMF(solver='cd')`` (its coordinate descent updates one entry at a time, and the entries of
    one column do not interact). A column whose curvature is 0 (an all-zero row of H) is left.

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
    V, W, H = _check_factors(V, W, H)
    W, H = W.copy(), H.copy()
    # 1. The columns of W, one at a time
    VHt, HHt = V @ H.T, H @ H.T
    for k in range(W.shape[1]):
        if HHt[k, k] > 0:
            W[:, k] = np.maximum(W[:, k] + (VHt[:, k] - W @ HHt[:, k]) / HHt[k, k], 0.0)
    # 2. The rows of H, one at a time, with the new W
    WtV, WtW = W.T @ V, W.T @ W
    for k in range(H.shape[0]):
        if WtW[k, k] > 0:
            H[k] = np.maximum(H[k] + (WtV[k] - WtW[k] @ H) / WtW[k, k], 0.0)
    return W, H


def hoyer_sparseness(x):
    """Hoyer's (2004) sparseness of a vector, or of each column of a matrix:

    s(x) = (√n − ‖x‖₁ / ‖x‖₂) / (√n − 1),

    1 when x has a single non-zero entry, 0 when all its entries have the same magnitude, and
    in between it rises as the mass concentrates on fewer entries (‖x‖₁/‖x‖₂ runs from √n down
    to 1). It does not change when x is scaled.

    Parameters
    ----------
    x : ndarray of shape (n,) or (n, n_columns), n >= 2, no column all zero

    Returns
    -------
    sparseness : float in [0, 1], or ndarray of shape (n_columns,) for a matrix
    """
    x = as_real_array(x, "x")
    if x.size and np.abs(x).max() > MAX_ABS:
        raise ValueError(f"x holds values beyond {MAX_ABS:.0e} in magnitude: rescale x")
    if x.ndim not in (1, 2) or x.shape[0] < 2 or not np.all(np.isfinite(x)):
        raise ValueError(f"x must be a finite vector or matrix with at least 2 rows, got shape "
                         f"{x.shape}" + ("" if np.all(np.isfinite(x)) else " with NaN or infinity"))
    l1 = np.abs(x).sum(axis=0)
    l2 = np.sqrt((x * x).sum(axis=0))
    if np.any(l2 == 0):
        raise ValueError("x has an all-zero column: its sparseness is undefined (0 / 0), column "
                         f"{int(np.flatnonzero(np.atleast_1d(l2 == 0))[0])}")
    root_n = np.sqrt(x.shape[0])
    sparseness = (root_n - l1 / l2) / (root_n - 1.0)
    return float(sparseness) if x.ndim == 1 else sparseness


def project_sparseness(x, sparseness):
    """The non-negative vector closest to ``x`` with the same Euclidean length and Hoyer
    sparseness ``sparseness`` (Hoyer 2004, the projection of his Fig. 2 / ``projfunc``); for a
    matrix, each column on its own.

    The length ‖s‖₂ = ‖x‖₂ and the sparseness σ fix the sum ‖s‖₁ = ‖x‖₂ (√n − σ (√n − 1)).

    1. Project x onto the plane Σ s = L1.
    2. From the centre of the plane (over the entries still free), move along the line through s
       to the sphere ‖s‖₂ = L2 (the larger root of a quadratic).
    3. If an entry is negative: fix it at 0, share the sum over the others again, and go to 2.

    Parameters
    ----------
    x : ndarray of shape (n,) or (n, n_columns), n >= 2, no column all zero
    sparseness : float in [0, 1]

    Returns
    -------
    s : ndarray of the shape of x, non-negative, with ``hoyer_sparseness(s) == sparseness`` and
        the column lengths of x, to rounding
    """
    x = as_real_array(x, "x")
    if x.ndim not in (1, 2) or x.shape[0] < 2 or not np.all(np.isfinite(x)):
        raise ValueError(f"x must be a finite vector or matrix with at least 2 rows, got shape "
                         f"{x.shape}")
    sparseness = _check_real(sparseness, "sparseness")
    if not 0 <= sparseness <= 1:
        raise ValueError(f"sparseness must be in [0, 1], got sparseness={sparseness!r}")
    # The projection of c x is c times that of x (c > 0): work in units of a power of two near
    # the largest |x| (exact), so that huge or tiny x neither overflows nor underflows.
    unit = _power_of_two_scale(x)
    return unit * _project_sparseness_unit(x / unit, sparseness)


def _project_sparseness_unit(x, sparseness):
    """:func:`project_sparseness` of a checked x whose largest magnitude is near 1."""
    columns = x.reshape(x.shape[0], -1)
    n = columns.shape[0]
    l2 = np.sqrt((columns * columns).sum(axis=0))
    if np.any(l2 == 0):
        raise ValueError(f"x has an all-zero column (column {int(np.flatnonzero(l2 == 0)[0])}): "
                         f"it has no direction to keep")
    l1 = l2 * (np.sqrt(n) - sparseness * (np.sqrt(n) - 1.0))
    # 1. Onto the plane sum(s) = L1.
    s = columns + (l1 - columns.sum(axis=0)) / n
    zero = np.zeros(s.shape, dtype=bool)
    for _ in range(n):
        # 2. From the plane's centre through s, out to the sphere ||s|| = L2.
        centre = np.where(zero, 0.0, l1 / (n - zero.sum(axis=0)))
        direction = s - centre
        a = (direction * direction).sum(axis=0)
        b = 2.0 * (direction * centre).sum(axis=0)
        c = (centre * centre).sum(axis=0) - l2 * l2
        # s at the centre (all free entries equal): there is no line to follow. That is the
        # answer if its length is right, else x had tied entries and the answer is not unique.
        flat = a <= 1e-24 * l2 * l2
        if np.any(flat & (np.abs(c) > 1e-9 * l2 * l2)):
            raise ValueError("x has a column whose free entries are all tied: the closest point "
                             "is not unique (perturb x slightly)")
        with np.errstate(divide="ignore", invalid="ignore"):
            alpha = np.where(flat, 1.0, (-b + np.sqrt(np.maximum(b * b - 4 * a * c, 0))) / (2 * a))
        s = centre + alpha * direction
        negative = s < 0
        if not negative.any():
            break
        # 3. Negative entries to 0; the free entries share the sum again.
        zero |= negative
        s[zero] = 0.0
        s += np.where(zero, 0.0, (l1 - s.sum(axis=0)) / (n - zero.sum(axis=0)))
    return np.maximum(s, 0.0).reshape(x.shape)


class SparseStep(NamedTuple):
    """One step of :func:`update_sparse`: the new factors and the step size for the next."""

    W: np.ndarray
    H: np.ndarray
    step_size: float


@_refuses_overflow
def update_sparse(V, W, H, sparseness, step_size):
    """One step of Hoyer's (2004) NMF with a sparseness constraint on the basis images:
    ½‖V − WH‖² subject to W, H >= 0 and ``hoyer_sparseness(W) == sparseness`` (every column).

    1. H ← H ∘ (WᵀV) / (WᵀWH)                        (the usual multiplicative rule)
    2. W ← P(W − μ (W HHᵀ − VHᵀ))                    (a gradient step, then the projection)
    3. if the loss went up: μ ← μ / 2 and redo 2;  otherwise μ ← 1.2 μ for the next step

    P is :func:`project_sparseness`, which keeps each column's length. Only the basis images
    carry the constraint; the length of a column trades scale with its row of encodings.
    With H fixed the loss is ½⟨WᵀW, HHᵀ⟩ − ⟨VHᵀ, W⟩ + ½‖V‖², cheap to evaluate for each trial.

    Parameters
    ----------
    V : ndarray of shape (n, m), non-negative
    W : ndarray of shape (n, r), non-negative, each column with the target sparseness
    H : ndarray of shape (r, m), non-negative
    sparseness : float in [0, 1]
    step_size : float > 0
        μ for this step; 1 / ‖HHᵀ‖₂ is a good first one. Each step returns the next.

    Returns
    -------
    SparseStep
        ``W`` (n, r), ``H`` (r, m), ``step_size`` for the next step.
    """
    V, W, H = _check_factors(V, W, H)
    step_size = _check_real(step_size, "step_size")
    if step_size <= 0:
        raise ValueError(f"step_size must be a positive number, got step_size={step_size!r}")
    # 1. H by the multiplicative rule
    H = H * (W.T @ V) / _nonzero((W.T @ W) @ H)
    # 2.-3. W by a projected gradient step, halved until the loss does not go up
    VHt, HHt = V @ H.T, H @ H.T

    def loss_minus_constant(W):
        return 0.5 * float(np.vdot(W.T @ W, HHt)) - float(np.vdot(VHt, W))

    loss = loss_minus_constant(W)
    gradient = W @ HHt - VHt
    for _ in range(60):
        W_new = project_sparseness(W - step_size * gradient, sparseness)
        if loss_minus_constant(W_new) <= loss:
            return SparseStep(W_new, H, 1.2 * step_size)
        step_size /= 2
    return SparseStep(W, H, step_size)  # no step of μ / 2^60 helps: W stays


class SparseNMFResult(NamedTuple):
    """The result of :func:`sparse_nmf`."""

    W: np.ndarray
    H: np.ndarray
    loss_history: np.ndarray


def sparse_nmf(V, W, H, sparseness, n_iter=40):
    """Hoyer's NMF with sparseness constraints on the basis images, from a given start.

    Each column of W is first scaled to unit length (its row of H by the inverse, so WH is
    unchanged) and projected to the target sparseness; then ``n_iter`` steps of
    :func:`update_sparse`, with a first step size 1 / ‖HHᵀ‖₂ (the inverse curvature in W).

    Parameters
    ----------
    V : ndarray of shape (n, m), non-negative
    W : ndarray of shape (n, r), non-negative, no zero column (e.g. a plain NMF fit)
    H : ndarray of shape (r, m), non-negative
    sparseness : float in [0, 1]
    n_iter : int

    Returns
    -------
    SparseNMFResult
        ``W`` (n, r) with ``hoyer_sparseness(W) == sparseness``, ``H`` (r, m), and
        ``loss_history`` (n_iter + 1,): ½‖V − WH‖² after the projection and after each step.
    """
    V, W, H = _check_factors(V, W, H)
    for name, factor in (("V", V), ("W", W), ("H", H)):
        _check_magnitude(factor, name)       # beyond MAX_ABS, W Wᵀ or H Hᵀ overflows
    n_iter = check_positive_int(n_iter, "n_iter")
    lengths = np.sqrt((W * W).sum(axis=0))
    if np.any(lengths == 0):
        raise ValueError("W has an all-zero column (or one too small to measure): start from a "
                         "fit with no dead component")
    try:
        W = project_sparseness(W / lengths, sparseness)
    except ValueError as error:
        raise ValueError(f"W cannot be projected to sparseness {sparseness}: {error}") from None
    H = H * lengths[:, None]
    with threads.for_problem_size(V.size):
        with np.errstate(divide="ignore"):
            step_size = 1.0 / np.linalg.norm(H @ H.T, 2)
        if not np.isfinite(step_size):
            raise ValueError("H is too small: the first step size 1 / ‖H Hᵀ‖₂ overflows float64 "
                             "(H Hᵀ is 0 to float64). Rescale V, W and H, or start from a fit "
                             "whose H is not all but zero")
        history = [euclidean_loss(V, W, H)]
        for _ in range(n_iter):
            W, H, step_size = update_sparse(V, W, H, sparseness, step_size)
            history.append(euclidean_loss(V, W, H))
    return SparseNMFResult(W, H, np.asarray(history))


# ----------------------------------------------------------------------------------------------
# Graph-regularised NMF (Cai, He, Han and Huang 2011), scikit-learn's orientation
# ----------------------------------------------------------------------------------------------

def neighbor_graph(X, n_neighbors=5):
    """The 0/1 weights of the symmetric p-nearest-neighbour graph of GNMF: A_ij = 1 when x_j is
    one of the ``n_neighbors`` nearest samples of x_i or x_i one of x_j's, else 0 (and A_ii = 0).

    Built with ``sklearn.neighbors.kneighbors_graph`` (sparse, so digits' 1797 samples need no
    1797 × 1797 matrix), then made symmetric.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    n_neighbors : int in [1, n_samples - 1]

    Returns
    -------
    A : scipy.sparse.csr_array of shape (n_samples, n_samples), symmetric, entries 0 or 1
        (between n_neighbors and about 2 n_neighbors non-zeros per row)
    """
    from scipy import sparse
    from sklearn.neighbors import kneighbors_graph

    X = check_array_2d(X, "X", min_samples=2)
    n_neighbors = check_positive_int(n_neighbors, "n_neighbors", maximum=len(X) - 1)
    # Huge or tiny X: the same neighbours in units of a power of two (exact), no overflow.
    directed = sparse.csr_array(kneighbors_graph(_safe_scale(X), n_neighbors, include_self=False))
    return directed.maximum(directed.T).tocsr()


@_refuses_overflow
def gnmf_objective(X, W, H, A, lambda_):
    """GNMF's objective ‖X − WH‖²_F + λ Tr(Wᵀ L W), with L = D − A the graph Laplacian.

    Tr(Wᵀ L W) = ½ Σ_ij A_ij ‖w_i − w_j‖²: neighbours in the graph pay for encodings far apart.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), non-negative
    W : ndarray of shape (n_samples, r), the encodings
    H : ndarray of shape (r, n_features), the basis
    A : ndarray or scipy sparse array of shape (n_samples, n_samples), symmetric graph weights
    lambda_ : float >= 0

    Returns
    -------
    objective : float
    """
    X, W, H, A, lambda_ = _check_gnmf_input(X, W, H, A, lambda_)
    degree = np.asarray(A.sum(axis=1)).ravel()
    smoothness = float(np.vdot(W, degree[:, None] * W) - np.vdot(W, A @ W))
    residual = W @ H - X
    return float(np.vdot(residual, residual)) + lambda_ * smoothness


@_refuses_overflow
def update_gnmf(X, W, H, A, lambda_):
    """One step of GNMF's multiplicative rules (Cai et al. 2011, eqs. 14-15), in scikit-learn's
    orientation X ≈ W H: W (n_samples, r) the encodings, H (r, n_features) the basis. (The
    paper's X is our Xᵀ, its U our Hᵀ and its V our W.)

    1. H ← H ∘ (WᵀX) / (WᵀWH)                          (the basis: the plain Euclidean rule)
    2. W ← W ∘ (XHᵀ + λ A W) / (WHHᵀ + λ D W)          (the encodings, pulled towards their
                                                         neighbours' by the graph term)

    D is the diagonal of A's row sums. With λ = 0 this is :func:`update_euclidean` with the two
    factors taken in the other order. The objective :func:`gnmf_objective` never increases.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), non-negative
    W : ndarray of shape (n_samples, r), non-negative
    H : ndarray of shape (r, n_features), non-negative
    A : ndarray or scipy sparse array of shape (n_samples, n_samples), symmetric, non-negative
    lambda_ : float >= 0

    Returns
    -------
    W_new : ndarray of shape (n_samples, r)
    H_new : ndarray of shape (r, n_features)
    """
    X, W, H, A, lambda_ = _check_gnmf_input(X, W, H, A, lambda_)
    # 1. The basis
    H = H * (W.T @ X) / _nonzero((W.T @ W) @ H)
    # 2. The encodings, with the graph
    degree = np.asarray(A.sum(axis=1)).reshape(-1, 1)
    W = W * (X @ H.T + lambda_ * (A @ W)) / _nonzero(W @ (H @ H.T) + lambda_ * degree * W)
    return W, H


class GNMF(BaseEstimator):
    """Graph-regularised NMF (Cai, He, Han and Huang, IEEE TPAMI 2011): NMF whose encodings are
    asked to be smooth on a nearest-neighbour graph of the samples, so that samples close in
    the data stay close in the encodings.

    Minimises ‖X − WH‖²_F + λ Tr(Wᵀ L W) by :func:`update_gnmf`, from scikit-learn's 'random'
    start (:func:`initialize`). The defaults are those of the paper's clustering experiments:
    0/1 weights on the symmetric 5-nearest-neighbour graph (:func:`neighbor_graph`) and λ = 100,
    a value meant for samples scaled to unit length (``sklearn.preprocessing.normalize(X)``).
    At the end, as in the paper, each basis image (row of ``components_``) is scaled to unit
    length and its encodings by the inverse, so the encodings of different components compare.

    Parameters
    ----------
    n_components : int
    n_neighbors : int
    lambda_ : float >= 0
        λ; 0 gives plain NMF (Euclidean multiplicative rules).
    max_iter : int
    random_state : None, int, numpy Generator or RandomState

    Attributes
    ----------
    components_ : ndarray of shape (n_components, n_features), rows of unit length
    embedding_ : ndarray of shape (n_samples, n_components), the encodings of the samples
    adjacency_ : scipy.sparse.csr_array of shape (n_samples, n_samples)
    objective_history_ : ndarray of shape (max_iter + 1,), the objective at the start and after
        each step (before the final scaling, which changes the λ term)
    n_iter_ : int
    """

    def __init__(self, n_components, n_neighbors=5, lambda_=100.0, max_iter=200,
                 random_state=None):
        self.n_components = n_components
        self.n_neighbors = n_neighbors
        self.lambda_ = lambda_
        self.max_iter = max_iter
        self.random_state = random_state

    def fit(self, X, y=None):
        """Learn the encodings and the basis of X (n_samples, n_features). Returns self."""
        self.fit_transform(X)
        return self

    def fit_transform(self, X, y=None):
        """Learn the factors; return the encodings W, shape (n_samples, n_components)."""
        from scipy import sparse

        X = check_array_2d(X, "X", allow_negative=False, min_samples=2)
        _check_scale(X, "X")
        n_components = check_positive_int(self.n_components, "n_components", maximum=max(X.shape))
        max_iter = check_positive_int(self.max_iter, "max_iter")
        lambda_ = _check_real(self.lambda_, "lambda_")
        if lambda_ < 0:
            raise ValueError(f"lambda_ must be >= 0, got lambda_={self.lambda_!r}")
        with threads.for_problem_size(X.size):
            # λ = 0 is plain NMF: the graph is not needed (an empty one keeps the code uniform).
            A = (neighbor_graph(X, self.n_neighbors) if lambda_ > 0
                 else sparse.csr_array((len(X), len(X))))
            W, H = initialize(X, n_components, "random",
                              random_state=check_random_state(self.random_state, for_sklearn=True))
            history = [gnmf_objective(X, W, H, A, lambda_)]
            for _ in range(max_iter):
                W, H = update_gnmf(X, W, H, A, lambda_)
                history.append(gnmf_objective(X, W, H, A, lambda_))
        norms = np.sqrt((H * H).sum(axis=1))
        norms[norms == 0] = 1.0
        self.components_ = H / norms[:, None]
        self.embedding_ = W * norms[None, :]
        self.adjacency_ = A
        self.objective_history_ = np.asarray(history)
        self.n_iter_ = max_iter
        self.n_features_in_ = X.shape[1]
        return self.embedding_


__all__ += [
    "beta_divergence_entries",
    "beta_divergence",
    "mm_exponent",
    "update_beta",
    "update_hals",
    "hoyer_sparseness",
    "project_sparseness",
    "SparseStep",
    "update_sparse",
    "SparseNMFResult",
    "sparse_nmf",
    "neighbor_graph",
    "gnmf_objective",
    "update_gnmf",
    "GNMF",
]
