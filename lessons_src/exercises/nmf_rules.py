"""Exercises of the NMF lessons (notebook 07, the update rules) and their checks.

Each ``check_*`` runs the student's function and a reference on fixed inputs through
:func:`lessons_src.teaching.check_function` and returns a ``CheckResult`` ("Correct..." or
"Not yet... Hint: ...").
"""
import numpy as np

from ..teaching import check_function

__all__ = [
    "reference_h_update",
    "reference_kl_h_update",
    "check_h_update",
    "check_kl_h_update",
]


def _problems():
    """Small non-negative problems V ≈ W H of several shapes (fixed seeds)."""
    cases = []
    for seed, (n, m, r) in enumerate([(6, 5, 2), (10, 8, 3), (4, 12, 1), (15, 9, 4)]):
        rng = np.random.default_rng(100 + seed)
        cases.append((rng.random((n, m)), rng.random((n, r)) + 0.1, rng.random((r, m)) + 0.1))
    return cases


def reference_h_update(V, W, H):
    """Euclidean multiplicative rule for H: H * (W^T V) / (W^T W H)."""
    return H * (W.T @ V) / (W.T @ W @ H)


def check_h_update(h_update):
    """Check ``h_update(V, W, H) -> new H`` (Euclidean rule, W fixed)."""
    return check_function(
        h_update, reference_h_update, _problems(), name="your h_update",
        hint="element-wise: H * (W.T @ V) / (W.T @ W @ H); the products are matrix products "
             "(@), the outer * and / are element by element.",
    )


def reference_kl_h_update(V, W, H):
    """KL multiplicative rule for H: H * (W^T (V / WH)) / (W^T 1)."""
    return H * (W.T @ (V / (W @ H))) / W.sum(axis=0)[:, None]


def check_kl_h_update(kl_h_update):
    """Check ``kl_h_update(V, W, H) -> new H`` (KL rule, W fixed)."""
    return check_function(
        kl_h_update, reference_kl_h_update, _problems(), name="your kl_h_update",
        hint="ratio = V / (W @ H); numerator W.T @ ratio; denominator the column sums of W "
             "(W.sum(axis=0)) as a column, W.sum(axis=0)[:, None]; note the step size is "
             "h / sum_i w_ik (not 1 / sum_i w_ik, the slides' erratum).",
    )
