"""Exercises of lesson 07 (the NMF update rules).

- ``normalize_basis`` (warm-up): make W's columns sum to 1 without changing WH (the Nature
  rule's normalisation, and the scale freedom of NMF).
- ``sparse_kl_h_update`` (derive): the multiplicative H rule for D_KL + λ Σ H, a loss the lesson
  does not treat: from its gradient and the step size that makes the step multiplicative. The
  catalogue holds both of the slides' KL errata.

Each has ``check_<name>(f)``, ``hint_<name>(level=1)`` and ``solution_<name>()`` (see
:mod:`lessons_src.teaching`).
"""
import numpy as np

from ..teaching import Case, Exercise, Mistake

__all__ = [
    "check_normalize_basis", "hint_normalize_basis", "solution_normalize_basis",
    "check_sparse_kl_h_update", "hint_sparse_kl_h_update", "solution_sparse_kl_h_update",
    "EXERCISES",
]


def _problems():
    """Small non-negative problems V ≈ W H of several shapes (fixed seeds)."""
    problems = []
    for seed, (n, m, r) in enumerate([(6, 5, 2), (10, 8, 3), (4, 12, 1), (15, 9, 4)]):
        rng = np.random.default_rng(100 + seed)
        problems.append((rng.random((n, m)), rng.random((n, r)) * rng.uniform(0.5, 4.0, r) + 0.1,
                         rng.random((r, m)) + 0.1))
    return problems


def _reference_normalize_basis(W, H):
    """(W', H') with the columns of W' summing to 1 and W'H' = WH."""
    sums = W.sum(axis=0)
    return W / sums, H * sums[:, None]


def _normalize_cases():
    return [Case((W, H), f"W {W.shape[0]} x {W.shape[1]}, H {H.shape[0]} x {H.shape[1]}")
            for _, W, H in _problems()]


NORMALIZE_BASIS = Exercise(
    name="normalize_basis", lesson="07", reference=_reference_normalize_basis,
    cases=_normalize_cases, returns="a tuple (W, H) of two arrays", parts=("W", "H"), rtol=1e-9,
    hints=(
        "Dividing column k of W by a number s_k changes WH unless something else is multiplied "
        "by s_k: which row of H meets column k of W in the product?",
        "`sums = W.sum(axis=0)` (one per column); return `W / sums` and `H * sums[:, None]` (row "
        "k of H times s_k), so that the product does not change.",
    ),
    mistakes=(
        Mistake("w_only", lambda W, H: (W / W.sum(axis=0), H),
                "you normalised W but left H as it was, so WH changed: when column k of W is "
                "divided by s_k, row k of H must be multiplied by s_k."),
        Mistake("divided_h", lambda W, H: (W / W.sum(axis=0), H / W.sum(axis=0)[:, None]),
                "you divided H's rows too: to keep WH, H's row k is multiplied by the s_k that "
                "divided W's column k."),
        Mistake("rows", lambda W, H: (W / W.sum(axis=1, keepdims=True), H),
                "you made the rows of W sum to 1: the basis images are the columns of W "
                "(sum over axis 0)."),
        Mistake("l2", lambda W, H: (W / np.linalg.norm(W, axis=0), H * np.linalg.norm(W, axis=0)[:, None]),
                "you gave the columns of W length 1 (the L2 norm): the Nature rule makes each "
                "column sum to 1, W.sum(axis=0)."),
    ),
)


def _ratio_terms(V, W, H):
    """W^T (V / WH) and W^T 1, the two halves of the KL gradient for H."""
    return W.T @ (V / (W @ H)), np.repeat(W.sum(axis=0)[:, None], H.shape[1], axis=1)


def _reference_sparse_kl(V, W, H, lam):
    """One multiplicative step on H for D_KL(V ‖ WH) + lam * sum(H), W fixed."""
    ratio, ones = _ratio_terms(V, W, H)
    return H * ratio / (ones + lam)


def _sparse_cases():
    cases = []
    for (V, W, H), lam in zip(_problems(), [0.5, 2.0, 0.0, 0.1]):
        cases.append(Case((V, W, H, lam), f"V {V.shape[0]} x {V.shape[1]}, r = {W.shape[1]}, "
                                          f"lam = {lam}"))
    return cases


def _slides_step(V, W, H, lam):
    ratio, ones = _ratio_terms(V, W, H)
    return H - (ones - ratio + lam) / (ones + lam)


def _slides_gradient(V, W, H, lam):
    ratio, ones = _ratio_terms(V, W, H)
    return H - H / (ones + lam) * (-(ratio + ones) + lam)


SPARSE_KL_H_UPDATE = Exercise(
    name="sparse_kl_h_update", lesson="07", reference=_reference_sparse_kl, cases=_sparse_cases,
    returns="the new H, shape (r, m)", rtol=1e-9,
    hints=(
        "Write the gradient of D_KL + λ Σ H with respect to h_kj: the KL part is the lesson's, "
        "and the penalty adds one constant. Then choose the step η_kj as the lesson did for KL, "
        "so that h_kj - η_kj (gradient) has no subtraction left.",
        "The gradient is Σ_i w_ik - Σ_i w_ik v_ij/[WH]_ij + λ; with η_kj = h_kj / (Σ_i w_ik + λ) "
        "the step is h_kj Σ_i w_ik v_ij/[WH]_ij / (Σ_i w_ik + λ): "
        "`H * (W.T @ (V / (W @ H))) / (W.sum(axis=0)[:, None] + lam)`.",
    ),
    mistakes=(
        Mistake("no_penalty", lambda V, W, H, lam: _reference_sparse_kl(V, W, H, 0.0),
                "that is the plain KL rule: the penalty λ Σ H adds λ to every entry of the "
                "gradient, and it must show up in the step."),
        Mistake("slides_step", _slides_step,
                "that is a gradient step with the slides' step size 1 / (Σ_i w_ik + λ), without "
                "h_kj in the numerator (the KL step-size erratum): the step stays additive, "
                "nothing cancels and H can turn negative. Use η_kj = h_kj / (Σ_i w_ik + λ)."),
        Mistake("slides_gradient", _slides_gradient,
                "your gradient has the slides' sign error, -Σ_i (w_ik v_ij/[WH]_ij + w_ik): the "
                "correct KL gradient is Σ_i (w_ik - w_ik v_ij/[WH]_ij) (see the erratum above), "
                "plus λ for the penalty."),
        Mistake("minus_numerator", lambda V, W, H, lam: H * (_ratio_terms(V, W, H)[0] - lam) / _ratio_terms(V, W, H)[1],
                "you subtracted λ in the numerator: that can make H negative. With the step "
                "η_kj = h_kj / (Σ_i w_ik + λ), λ lands in the denominator."),
        Mistake("plus_numerator", lambda V, W, H, lam: H * (_ratio_terms(V, W, H)[0] + lam) / _ratio_terms(V, W, H)[1],
                "you added λ in the numerator, which makes H grow: the penalty must shrink H, and "
                "the step puts λ in the denominator."),
        Mistake("euclidean", lambda V, W, H, lam: H * (W.T @ V) / (W.T @ W @ H + lam),
                "that is the Euclidean rule with the penalty: this loss is D_KL, whose rule has "
                "W^T (V / WH) in the numerator and the column sums of W in the denominator."),
    ),
)

EXERCISES = (NORMALIZE_BASIS, SPARSE_KL_H_UPDATE)
check_normalize_basis, hint_normalize_basis, solution_normalize_basis = NORMALIZE_BASIS.functions()
check_sparse_kl_h_update, hint_sparse_kl_h_update, solution_sparse_kl_h_update = \
    SPARSE_KL_H_UPDATE.functions()
