"""Exercises of lesson 06 (NMF, VQ and PCA on faces).

- ``largest_terms`` (warm-up): face j rebuilt from the basis images with its largest weights, in
  the lecture's orientation V ≈ WH (the figure draws it; its code is not shown).
- ``best_rank_error`` (derive a number): the smallest ½‖V − WH‖² that any W, H with r columns
  and rows can reach, from the singular values of V alone (Eckart–Young): the floor under NMF's
  loss, which the lesson does not compute.

Each has ``check_<name>(f)``, ``hint_<name>(level=1)`` and ``solution_<name>()`` (see
:mod:`lessons_src.teaching`).
"""
import numpy as np

from ..teaching import Case, Exercise, Mistake

__all__ = [
    "check_largest_terms", "hint_largest_terms", "solution_largest_terms",
    "check_best_rank_error", "hint_best_rank_error", "solution_best_rank_error",
    "EXERCISES",
]

_ORIENTATION = ("Check the orientation of the lecture: V is n x m (one face per column), W is "
                "n x r (the basis images are its columns), H is r x m (face j's weights are its "
                "column j, `H[:, j]`).")


def _reference_largest_terms(W, H, j, n_terms):
    """Face j rebuilt from its ``n_terms`` largest-weight terms W[:, k] H[k, j], shape (n,)."""
    weights = H[:, j]
    chosen = np.argsort(weights)[len(weights) - n_terms:]
    return sum(W[:, k] * weights[k] for k in chosen)


def _factors(seed, n, r, m):
    rng = np.random.default_rng(seed)
    return rng.random((n, r)), rng.random((r, m)) + 0.05


def _terms_cases():
    return [Case((*_factors(60, 12, 5, 8), 3, 2), "n = 12 pixels, r = 5, m = 8 faces; face 3, 2 terms"),
            Case((*_factors(61, 20, 9, 15), 0, 5), "n = 20, r = 9, m = 15; face 0, 5 terms"),
            Case((*_factors(62, 6, 4, 3), 2, 4), "n = 6, r = 4, m = 3; face 2, all 4 terms"),
            Case((*_factors(63, 9, 7, 11), 10, 1), "n = 9, r = 7, m = 11; face 10, 1 term")]


def _top(H, j, n_terms, smallest=False):
    order = np.argsort(H[:, j])
    return order[:n_terms] if smallest else order[len(order) - n_terms:]


LARGEST_TERMS = Exercise(
    name="largest_terms", lesson="06", reference=_reference_largest_terms, cases=_terms_cases,
    returns="face j rebuilt from its largest terms, an array of shape (n,)", rtol=1e-9,
    on_error=_ORIENTATION,
    hints=(
        "Face j's weights are one column of H. Find the n_terms basis images with the largest "
        "weights; each term is a basis image (a column of W) times its weight, and the terms "
        "only add up.",
        "`weights = H[:, j]`; `np.argsort(weights)[-n_terms:]` are the positions of the largest; "
        "the answer is `W[:, chosen] @ weights[chosen]`.",
    ),
    mistakes=(
        Mistake("smallest", lambda W, H, j, t: W[:, _top(H, j, t, True)] @ H[_top(H, j, t, True), j],
                "you kept the terms with the smallest weights: np.argsort sorts in increasing "
                "order, so the largest are at the end."),
        Mistake("all_terms", lambda W, H, j, t: W @ H[:, j],
                "you added all r terms (that is the whole reconstruction W h_j): keep only the "
                "n_terms with the largest weights."),
        Mistake("unweighted", lambda W, H, j, t: W[:, _top(H, j, t)].sum(axis=1),
                "you added the chosen basis images without their weights: each term is W[:, k] "
                "times H[k, j]."),
        Mistake("weights_only", lambda W, H, j, t: np.sort(H[:, j])[len(H) - t:],
                "you returned the largest weights themselves: the answer is an image, the sum of "
                "the chosen basis images times their weights, with one value per pixel."),
    ),
)


def _reference_best_rank_error(V, r):
    """The smallest ½‖V − WH‖² over all W (n x r) and H (r x m), signs allowed (a float)."""
    singular = np.linalg.svd(V, compute_uv=False)
    return 0.5 * float(np.sum(singular[r:] ** 2))


def _singular(V):
    return np.linalg.svd(V, compute_uv=False)


def _rank_cases():
    rng = np.random.default_rng(64)
    low_rank = rng.random((9, 2)) @ rng.random((2, 7))
    return [Case((rng.random((8, 6)), 2), "a random 8 x 6 matrix, r = 2"),
            Case((rng.random((10, 12)), 3), "a random 10 x 12 matrix, r = 3"),
            Case((low_rank, 2), "a 9 x 7 matrix of rank 2, r = 2 (the floor is 0)"),
            Case((rng.random((5, 5)), 5), "a 5 x 5 matrix, r = 5"),
            Case((rng.random((6, 40)), 1), "a wide 6 x 40 matrix, r = 1")]


BEST_RANK_ERROR = Exercise(
    name="best_rank_error", lesson="06", reference=_reference_best_rank_error, cases=_rank_cases,
    returns="a single number", rtol=1e-8, atol=1e-9,
    hints=(
        "Write V = U S Qᵀ (its SVD). Keeping the r largest singular values gives the best "
        "approximation of rank r of all (the Eckart–Young theorem), and PCA without centring is "
        "exactly that. What remains of ‖V − WH‖² is made of the singular values it drops.",
        "‖V − V_r‖² is the sum of the squares of the dropped singular values: with "
        "`s = np.linalg.svd(V, compute_uv=False)` (sorted, largest first), the answer is "
        "`0.5 * np.sum(s[r:] ** 2)`.",
    ),
    mistakes=(
        Mistake("no_half", lambda V, r: float(np.sum(_singular(V)[r:] ** 2)),
                "you forgot the ½: the lesson's loss is ½‖V − WH‖²."),
        Mistake("unsquared", lambda V, r: 0.5 * float(np.sum(_singular(V)[r:])),
                "you added the singular values themselves: the squared error is the sum of their "
                "squares."),
        Mistake("kept", lambda V, r: 0.5 * float(np.sum(_singular(V)[:r] ** 2)),
                "you added the r largest singular values, the part the approximation keeps: the "
                "error is made of the ones it drops, s[r:]."),
        Mistake("off_by_one", lambda V, r: 0.5 * float(np.sum(_singular(V)[r - 1:] ** 2)),
                "you also counted the r-th singular value (s[r - 1], counting from 0), which the "
                "rank-r approximation keeps: start at s[r]."),
        Mistake("norm", lambda V, r: float(np.sqrt(np.sum(_singular(V)[r:] ** 2))),
                "you returned the norm ‖V − V_r‖: the loss is ½ of its square."),
    ),
)

EXERCISES = (LARGEST_TERMS, BEST_RANK_ERROR)
check_largest_terms, hint_largest_terms, solution_largest_terms = LARGEST_TERMS.functions()
check_best_rank_error, hint_best_rank_error, solution_best_rank_error = BEST_RANK_ERROR.functions()
