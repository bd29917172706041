"""Exercises of lesson 11 (NMF beyond the slides) and their checks.

Each ``check_*`` runs the student's function and a reference on fixed inputs through
:func:`lessons_src.teaching.check_function` and returns a ``CheckResult`` ("Correct..." or
"Not yet... Hint: ...").
"""
import numpy as np

from ..teaching import check_function

__all__ = [
    "reference_hoyer_sparseness",
    "check_hoyer_sparseness",
    "reference_beta_h_update",
    "check_beta_h_update",
]


def reference_hoyer_sparseness(x):
    """Hoyer's sparseness of a vector: (√n − ‖x‖₁/‖x‖₂) / (√n − 1)."""
    x = np.asarray(x, dtype=float)
    root_n = np.sqrt(x.size)
    return (root_n - np.abs(x).sum() / np.sqrt(np.sum(x * x))) / (root_n - 1)


def _vectors():
    rng = np.random.default_rng(110)
    return [(np.array([0.0, 0.0, 5.0, 0.0]),), (np.ones(9),), (np.array([1.0, 2.0]),),
            (rng.random(30),), (rng.random(30) ** 6,), (np.array([3.0, -4.0, 0.0, 1.0]),)]


def check_hoyer_sparseness(hoyer_sparseness):
    """Check ``hoyer_sparseness(x) -> float`` on vectors from one-hot to flat."""
    return check_function(
        hoyer_sparseness, reference_hoyer_sparseness, _vectors(), name="your hoyer_sparseness",
        hint="n = x.size; the L1 norm is np.abs(x).sum() (absolute values: entries may be "
             "negative), the L2 norm np.sqrt(np.sum(x ** 2)); then "
             "(sqrt(n) - L1 / L2) / (sqrt(n) - 1). A one-hot vector gives 1, a flat one 0.",
    )


def reference_beta_h_update(V, W, H, beta):
    """The heuristic multiplicative rule for H under the β-divergence (W fixed):
    H ∘ Wᵀ[(WH)^(β−2) ∘ V] / Wᵀ(WH)^(β−1)."""
    WH = W @ H
    return H * (W.T @ (WH ** (beta - 2) * V)) / (W.T @ WH ** (beta - 1))


def _beta_problems():
    cases = []
    for seed, beta in enumerate([2.0, 1.0, 0.0, 0.5, 1.5, 3.0]):
        rng = np.random.default_rng(120 + seed)
        n, m, r = 6 + seed, 5 + seed % 3, 1 + seed % 3
        cases.append((rng.random((n, m)) + 0.1, rng.random((n, r)) + 0.1,
                      rng.random((r, m)) + 0.1, beta))
    return cases


def check_beta_h_update(beta_h_update):
    """Check ``beta_h_update(V, W, H, beta) -> new H`` (the heuristic rule, W fixed) at
    β = 2, 1, 0, 0.5, 1.5 and 3."""
    return check_function(
        beta_h_update, reference_beta_h_update, _beta_problems(), name="your beta_h_update",
        hint="the gradient is W.T @ (WH**(beta-1)) - W.T @ (WH**(beta-2) * V), with WH = W @ H: "
             "the first part is positive, the second negative. Multiply H by (negative part) / "
             "(positive part). At beta = 2 this is the Euclidean rule, at beta = 1 the KL one.",
    )
