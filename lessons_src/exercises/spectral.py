"""Exercise checks of lesson 04 (spectral clustering).

Each ``check_*`` runs the student's function and a reference on fixed inputs and returns a
:class:`lessons_src.teaching.CheckResult` ("Correct..." or "Not yet... Hint: ...").
"""
import numpy as np

from .. import SEED
from .. import spectral as S
from ..datasets import make_circles_2d
from ..teaching import check_function

__all__ = [
    "reference_rbf_affinity",
    "reference_normalized_laplacian",
    "reference_eigengap_k",
    "check_rbf_affinity",
    "check_normalized_laplacian",
    "check_eigengap_k",
]


def reference_rbf_affinity(X, gamma):
    """``A[i, j] = exp(-gamma ||x_i - x_j||^2)``, shape (n, n)."""
    return S.affinity_matrix(X, "rbf", gamma=gamma)


def reference_normalized_laplacian(A):
    """``L_sym = I - D^-1/2 A D^-1/2`` for an affinity matrix with zero diagonal and positive
    degrees, shape (n, n)."""
    return S.laplacian(A, normed=True)


def reference_eigengap_k(eigenvalues):
    """K = the number of eigenvalues before the largest gap between consecutive sorted ones."""
    return S.eigengap(eigenvalues)


def check_rbf_affinity(rbf_affinity):
    """Check ``rbf_affinity(X, gamma)`` on three point sets."""
    rng = np.random.default_rng(5)
    cases = [(rng.normal(size=(6, 2)), 1.0), (rng.normal(size=(5, 3)), 0.2),
             (make_circles_2d(n_samples=20, random_state=SEED)[0], 30.0)]
    return check_function(
        rbf_affinity, reference_rbf_affinity, cases, name="your rbf_affinity",
        hint="squared distances first: ((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=2), "
             "then np.exp(-gamma * ...). The diagonal is exp(0) = 1.",
        rtol=1e-9, atol=1e-12,
    )


def check_normalized_laplacian(normalized_laplacian):
    """Check ``normalized_laplacian(A)`` on three graphs (zero diagonal, no isolated node)."""
    rng = np.random.default_rng(6)
    cases = []
    for n in (4, 7):
        W = rng.random((n, n))
        W = (W + W.T) / 2
        np.fill_diagonal(W, 0.0)
        cases.append((W,))
    path = np.diag(np.ones(4), 1) + np.diag(np.ones(4), -1)   # a path graph on 5 nodes
    cases.append((path,))
    return check_function(
        normalized_laplacian, reference_normalized_laplacian, cases,
        name="your normalized_laplacian",
        hint="degrees d = A.sum(axis=1); then np.eye(n) - A / np.sqrt(np.outer(d, d)).",
        rtol=1e-9, atol=1e-12,
    )


def check_eigengap_k(eigengap_k):
    """Check ``eigengap_k(eigenvalues)`` on sorted and unsorted spectra."""
    cases = [(np.array([0.0, 0.01, 0.02, 0.6, 0.7]),), (np.array([0.0, 0.8, 0.9, 1.0]),),
             (np.array([0.5, 0.0, 0.45, 0.02, 0.6]),), (np.array([0.0, 0.0, 0.0, 0.0, 0.3, 0.31]),)]
    return check_function(
        eigengap_k, reference_eigengap_k, cases, name="your eigengap_k",
        hint="sort the eigenvalues, take np.diff, and return the position of the largest gap "
             "plus one (K eigenvalues sit below the gap).",
    )
