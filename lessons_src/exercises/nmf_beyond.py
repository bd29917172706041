"""Exercises of lesson 11 (NMF beyond the slides).

- ``hoyer_sparseness`` (warm-up): Hoyer's sparseness of one vector, 1 for a single non-zero entry
  and 0 for all entries equal (the lesson applies the package's version to whole bases).
- ``beta_h_update`` (derive): the heuristic multiplicative rule for H under the beta-divergence,
  from the gradient split into its positive and negative parts; the lesson shows the rule for W
  in the package's code, not the derivation.

Each has ``check_<name>(f)``, ``hint_<name>(level=1)`` and ``solution_<name>()`` (see
:mod:`lessons_src.teaching`).
"""
import numpy as np

from ..teaching import Case, Exercise, Mistake

__all__ = [
    "check_hoyer_sparseness", "hint_hoyer_sparseness", "solution_hoyer_sparseness",
    "check_beta_h_update", "hint_beta_h_update", "solution_beta_h_update",
    "EXERCISES",
]


def _reference_hoyer(x):
    """Hoyer's sparseness (sqrt(n) - ||x||_1 / ||x||_2) / (sqrt(n) - 1) of a vector."""
    x = np.asarray(x, dtype=float)
    root_n = np.sqrt(x.size)
    return float((root_n - np.abs(x).sum() / np.sqrt(np.sum(x * x))) / (root_n - 1))


def _hoyer_cases():
    rng = np.random.default_rng(110)
    return [
        Case((np.array([0.0, 0.0, 5.0, 0.0]),), "one non-zero entry among 4"),
        Case((np.ones(9),), "9 equal entries"),
        Case((rng.random(30),), "30 uniform random entries"),
        Case((rng.random(30) ** 6,), "30 entries, a few large"),
        Case((np.array([3.0, -4.0, 0.0, 1.0]),), "entries of both signs"),
        Case((np.array([1.0, 2.0]),), "two entries"),
    ]


def _no_abs(x):
    root_n = np.sqrt(x.size)
    return float((root_n - np.sum(x) / np.linalg.norm(x)) / (root_n - 1))


HOYER_SPARSENESS = Exercise(
    name="hoyer_sparseness", lesson="11", reference=_reference_hoyer, cases=_hoyer_cases,
    returns="one number between 0 and 1", rtol=1e-9,
    hints=(
        "Compare two norms of x: for one non-zero entry they are equal, for n equal entries "
        "their ratio is as large as it can be, sqrt(n). Then rescale so that those two extremes "
        "give 1 and 0.",
        "With n = x.size, L1 = sum of |x_i| and L2 = sqrt(sum of x_i²): the sparseness is "
        "(sqrt(n) - L1 / L2) / (sqrt(n) - 1).",
    ),
    mistakes=(
        Mistake("no_abs", _no_abs,
                "you summed x itself for the L1 norm: entries may be negative, and the L1 norm "
                "adds their absolute values (np.abs)."),
        Mistake("no_rescale", lambda x: float(np.sqrt(x.size) - np.abs(x).sum() / np.linalg.norm(x)),
                "you kept sqrt(n) - L1/L2 without dividing by sqrt(n) - 1: a single non-zero "
                "entry must give exactly 1."),
        Mistake("ratio_only", lambda x: float(np.abs(x).sum() / np.linalg.norm(x)),
                "that is the ratio L1/L2 itself (1 for one non-zero entry, sqrt(n) for n equal "
                "ones): Hoyer's measure turns it around and rescales it to [0, 1]."),
        Mistake("squared_l2", lambda x: float((np.sqrt(x.size) - np.abs(x).sum() / np.sum(x * x))
                                              / (np.sqrt(x.size) - 1)),
                "you divided by the sum of squares, not by its square root: the L2 norm is "
                "sqrt(sum of x_i²)."),
    ),
)


def _reference_beta_h(V, W, H, beta):
    """One heuristic multiplicative step on H for D_beta(V || WH), W fixed:
    H * W^T[(WH)^(beta-2) * V] / W^T (WH)^(beta-1)."""
    WH = W @ H
    return H * (W.T @ (WH ** (beta - 2) * V)) / (W.T @ WH ** (beta - 1))


def _beta_cases():
    cases = []
    for seed, beta in enumerate([2.0, 1.0, 0.0, 0.5, 1.5, 3.0]):
        rng = np.random.default_rng(120 + seed)
        n, m, r = 6 + seed, 5 + seed % 3, 1 + seed % 3
        cases.append(Case((rng.random((n, m)) + 0.1, rng.random((n, r)) + 0.1,
                           rng.random((r, m)) + 0.1, beta),
                          f"beta = {beta}, V {n} x {m}, r = {r}"))
    return cases


def _euclidean_always(V, W, H, beta):
    return H * (W.T @ V) / (W.T @ W @ H)


def _kl_always(V, W, H, beta):
    return H * (W.T @ (V / (W @ H))) / W.sum(axis=0)[:, None]


def _swapped(V, W, H, beta):
    WH = W @ H
    return H * (W.T @ WH ** (beta - 1)) / (W.T @ (WH ** (beta - 2) * V))


def _exponents_off_by_one(V, W, H, beta):
    WH = W @ H
    return H * (W.T @ (WH ** (beta - 1) * V)) / (W.T @ WH ** beta)


BETA_H_UPDATE = Exercise(
    name="beta_h_update", lesson="11", reference=_reference_beta_h, cases=_beta_cases,
    returns="the new H, shape (r, m)", rtol=1e-9,
    hints=(
        "The derivative of d_beta(v | y) with respect to y is y^(beta-1) - v y^(beta-2). Chain it "
        "through y = WH to get the gradient for H: one positive part and one negative part, "
        "each a matrix product with W^T. The multiplicative rule multiplies H by their ratio.",
        "The gradient is W^T (WH)^(beta-1) - W^T [(WH)^(beta-2) * V]: multiply H by the negative "
        "part over the positive part. At beta = 2 this must give the Euclidean rule, at beta = 1 "
        "the KL rule.",
    ),
    mistakes=(
        Mistake("euclidean_always", _euclidean_always,
                "that is the Euclidean rule at every beta: the powers of WH must depend on beta "
                "(it is the Euclidean rule only at beta = 2)."),
        Mistake("kl_always", _kl_always,
                "that is the KL rule at every beta: the powers of WH must depend on beta (it is "
                "the KL rule only at beta = 1)."),
        Mistake("swapped", _swapped,
                "you multiplied H by the positive part over the negative part: the step must "
                "shrink H where the gradient is positive, so the negative part (with V) goes on "
                "top."),
        Mistake("exponents", _exponents_off_by_one,
                "your powers of WH are one too high: the derivative of d_beta(v | y) is "
                "y^(beta-1) - v y^(beta-2), so V meets (WH)^(beta-2)."),
    ),
)

EXERCISES = (HOYER_SPARSENESS, BETA_H_UPDATE)
check_hoyer_sparseness, hint_hoyer_sparseness, solution_hoyer_sparseness = \
    HOYER_SPARSENESS.functions()
check_beta_h_update, hint_beta_h_update, solution_beta_h_update = BETA_H_UPDATE.functions()
