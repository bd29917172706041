"""Exercises of lesson 04 (spectral clustering).

- ``rbf_affinity`` (warm-up): the RBF affinity matrix.
- ``eigengap_k``: K from the largest gap between sorted eigenvalues.
- ``zero_eigenvector`` (derive): the unit eigenvector of L_sym for the eigenvalue 0, written
  down from the degrees without an eigen-solver (the lesson says the first eigenvector is
  constant after the rescaling, not what it is before).

Each has ``check_<name>(f)``, ``hint_<name>(level=1)`` and ``solution_<name>()`` (see
:mod:`lessons_src.teaching`).
"""
import numpy as np

from .. import SEED
from ..datasets import make_circles_2d
from ..hierarchical import pairwise_distances
from ..spectral import affinity_matrix, eigengap, laplacian
from ..teaching import Case, Exercise, Mistake

__all__ = [
    "check_rbf_affinity", "hint_rbf_affinity", "solution_rbf_affinity",
    "check_eigengap_k", "hint_eigengap_k", "solution_eigengap_k",
    "check_zero_eigenvector", "hint_zero_eigenvector", "solution_zero_eigenvector",
    "EXERCISES",
]


def _reference_rbf(X, gamma):
    """``A[i, j] = exp(-gamma ||x_i - x_j||^2)``, shape (n_samples, n_samples)."""
    return affinity_matrix(X, "rbf", gamma=gamma)


def _rbf_cases():
    rng = np.random.default_rng(5)
    return [Case((rng.normal(size=(6, 2)), 1.0), "6 points, gamma = 1"),
            Case((rng.normal(size=(5, 3)) * 2, 0.2), "5 points in 3-D, gamma = 0.2"),
            Case((make_circles_2d(n_samples=20, random_state=SEED)[0], 30.0), "20 points on two rings, gamma = 30")]


def _no_diagonal(X, gamma):
    A = affinity_matrix(X, "rbf", gamma=gamma)
    np.fill_diagonal(A, 0.0)
    return A


RBF_AFFINITY = Exercise(
    name="rbf_affinity", lesson="04", reference=_reference_rbf, cases=_rbf_cases,
    returns="the affinity matrix, shape (n_samples, n_samples)", rtol=1e-9, atol=1e-12,
    hints=(
        "First the squared distance between every pair of points, an (n, n) table; the weights "
        "are a function of that table, applied entry by entry.",
        "`((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=2)` is the table of squared distances; "
        "then `np.exp(-gamma * table)`. The diagonal is exp(0) = 1.",
    ),
    mistakes=(
        Mistake("unsquared", lambda X, g: np.exp(-g * pairwise_distances(X)),
                "you used the distance, not its square: the RBF weight is exp(-gamma ||x_i - x_j||^2)."),
        Mistake("sign", lambda X, g: np.exp(g * pairwise_distances(X) ** 2),
                "your weights grow with the distance: the exponent needs a minus sign, "
                "exp(-gamma d^2), so close points weigh close to 1 and far ones close to 0."),
        Mistake("divided", lambda X, g: np.exp(-pairwise_distances(X) ** 2 / g),
                "you divided by gamma: gamma multiplies, exp(-gamma d^2) (gamma is an inverse "
                "squared length)."),
        Mistake("zero_diagonal", _no_diagonal,
                "you set the diagonal to 0. The RBF affinity keeps it: a point's weight to itself "
                "is exp(0) = 1, as in scikit-learn's rbf_kernel."),
    ),
)


def _reference_eigengap(eigenvalues):
    """K: the number of sorted eigenvalues below the largest gap between consecutive ones."""
    return eigengap(eigenvalues)


def _eigengap_cases():
    return [Case((np.array([0.0, 0.01, 0.02, 0.6, 0.7]),), "5 sorted eigenvalues"),
            Case((np.array([0.0, 0.8, 0.9, 1.0]),), "one eigenvalue before the gap"),
            Case((np.array([0.5, 0.0, 0.45, 0.02, 0.6]),), "5 eigenvalues, not sorted"),
            Case((np.array([0.0, 0.0, 0.0, 0.0, 0.3, 0.31]),), "four zero eigenvalues (four separate pieces)")]


def _gaps(values):
    return np.diff(np.sort(values))


EIGENGAP_K = Exercise(
    name="eigengap_k", lesson="04", reference=_reference_eigengap, cases=_eigengap_cases,
    returns="an integer",
    hints=(
        "Put the eigenvalues in increasing order and look at the differences between neighbours. "
        "K eigenvalues sit below the largest difference: how does K relate to its position?",
        "`np.argmax(np.diff(np.sort(eigenvalues)))` is the position of the largest gap, counted "
        "from 0; K is that position plus one.",
    ),
    mistakes=(
        Mistake("unsorted", lambda values: int(np.argmax(np.diff(values))) + 1,
                "sort the eigenvalues first: gaps between neighbours only mean something in "
                "increasing order."),
        Mistake("position", lambda values: int(np.argmax(_gaps(values))),
                "you returned the position of the largest gap, counted from 0. K is the number of "
                "eigenvalues before it: the position plus one."),
        Mistake("decreasing", lambda values: int(np.argmax(np.abs(np.diff(np.sort(values)[::-1])))) + 1,
                "you sorted in decreasing order, so you counted the eigenvalues above the gap. The "
                "clusters are counted by the small eigenvalues: sort in increasing order."),
        Mistake("smallest_gap", lambda values: int(np.argmin(_gaps(values))) + 1,
                "you took the smallest gap: the eigengap is the largest jump."),
    ),
)


def _reference_zero_eigenvector(A):
    """The unit eigenvector of ``L_sym = I - D^-1/2 A D^-1/2`` for the eigenvalue 0 (a connected
    graph), shape (n,); its sign is free."""
    vectors = np.linalg.eigh(laplacian(A, normed=True))[1]
    vector = vectors[:, 0]
    return vector * np.sign(vector.sum())


def _same_up_to_sign(got, expected):
    got = np.asarray(got)
    if got.dtype.kind not in "biuf":     # complex, strings, objects: not a real eigenvector
        return False
    got = got.astype(float)
    if got.shape != expected.shape:
        return False
    return bool(np.allclose(got, expected, atol=1e-8) or np.allclose(-got, expected, atol=1e-8))


def _graphs():
    rng = np.random.default_rng(6)
    cases = []
    for n in (4, 7):
        W = rng.random((n, n))
        W = (W + W.T) / 2
        np.fill_diagonal(W, 0.0)
        cases.append(Case((W,), f"a complete weighted graph on {n} nodes"))
    path = np.diag(np.ones(4), 1) + np.diag(np.ones(4), -1)
    cases.append(Case((path,), "a path graph on 5 nodes (degrees 1, 2, 2, 2, 1)"))
    cases.append(Case((affinity_matrix(make_circles_2d(n_samples=12, random_state=SEED)[0], "rbf", gamma=2.0),),
                      "an RBF graph on 12 points, with self-loops"))
    return cases


def _unit(vector):
    return vector / np.linalg.norm(vector)


ZERO_EIGENVECTOR = Exercise(
    name="zero_eigenvector", lesson="04", reference=_reference_zero_eigenvector, cases=_graphs,
    returns="a unit vector, shape (n,)", compare=_same_up_to_sign,
    hints=(
        "L_sym x = 0 means D^-1/2 A D^-1/2 x = x. Try x = D^(1/2) u and see what the equation "
        "asks of u: remember that A times a vector of ones gives the degrees d.",
        "With x = D^(1/2) 1, D^-1/2 A D^-1/2 x = D^-1/2 A 1 = D^-1/2 d = D^(1/2) 1 = x. So the "
        "vector is the square root of the degrees, divided by its length (`np.linalg.norm`). "
        "The degrees leave out the diagonal: `A.sum(axis=1) - np.diag(A)`.",
    ),
    mistakes=(
        Mistake("constant", lambda A: np.full(len(A), 1 / np.sqrt(len(A))),
                "a constant vector is u, the embedding's coordinate after the rescaling u = "
                "D^-1/2 x. The eigenvector x of L_sym itself is D^(1/2) u: proportional to the "
                "square roots of the degrees."),
        Mistake("degrees", lambda A: _unit(A.sum(axis=1)),
                "you used the degrees d: L_sym's zero eigenvector is D^(1/2) 1, the square roots "
                "of the degrees."),
        Mistake("inverse", lambda A: _unit(1 / np.sqrt(A.sum(axis=1))),
                "D^-1/2 1 is the wrong power: check L_sym (D^(1/2) 1) = 0, with A 1 = d."),
        Mistake("self_loops", lambda A: _unit(np.sqrt(A.sum(axis=1))),
                "your degrees count the self-loops (the diagonal of A). The lesson's L_sym ignores "
                "them, as scipy's laplacian does: leave the diagonal out of the degrees."),
        Mistake("not_unit", lambda A: np.sqrt(A.sum(axis=1)),
                "the direction is right; divide by the length so the eigenvector has norm 1."),
        Mistake("largest", lambda A: np.linalg.eigh(laplacian(A, normed=True))[1][:, -1],
                "you took the eigenvector of the largest eigenvalue: np.linalg.eigh sorts the "
                "eigenvalues in increasing order, so the eigenvalue 0 is the first column."),
    ),
)

EXERCISES = (RBF_AFFINITY, EIGENGAP_K, ZERO_EIGENVECTOR)
check_rbf_affinity, hint_rbf_affinity, solution_rbf_affinity = RBF_AFFINITY.functions()
check_eigengap_k, hint_eigengap_k, solution_eigengap_k = EIGENGAP_K.functions()
check_zero_eigenvector, hint_zero_eigenvector, solution_zero_eigenvector = ZERO_EIGENVECTOR.functions()
