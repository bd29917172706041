"""Exercises of the NMF lessons (notebook 06, NMF vs VQ vs PCA on faces) and their checks.

Each ``check_*`` runs the student's function and a reference on fixed inputs through
:func:`lessons_src.teaching.check_function` and returns a ``CheckResult`` ("Correct..." or
"Not yet... Hint: ...").
"""
import numpy as np

from ..teaching import check_function

__all__ = [
    "reference_vq_encoding",
    "reference_nndsvda_fill",
    "check_vq_encoding",
    "check_nndsvda_fill",
]


def _problems():
    """Small non-negative problems V ≈ W H of several shapes (fixed seeds)."""
    cases = []
    for seed, (n, m, r) in enumerate([(6, 5, 2), (10, 8, 3), (4, 12, 1), (15, 9, 4)]):
        rng = np.random.default_rng(100 + seed)
        cases.append((rng.random((n, m)), rng.random((n, r)) + 0.1, rng.random((r, m)) + 0.1))
    return cases


def reference_vq_encoding(X, centres):
    """One-hot encodings (n_samples, n_centres): 1 at the nearest centre (Euclidean), else 0."""
    X, centres = np.asarray(X, float), np.asarray(centres, float)
    distances = ((X[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
    encoding = np.zeros((len(X), len(centres)))
    encoding[np.arange(len(X)), np.argmin(distances, axis=1)] = 1.0
    return encoding


def check_vq_encoding(vq_encoding):
    """Check ``vq_encoding(X, centres) -> H`` of shape (n_samples, n_centres), one-hot."""
    cases = []
    for seed in range(4):
        rng = np.random.default_rng(200 + seed)
        cases.append((rng.random((12 + seed, 6)), rng.random((3 + seed, 6))))
    return check_function(
        vq_encoding, reference_vq_encoding, cases, name="your vq_encoding",
        hint="squared distances from every row of X to every centre (broadcast X[:, None, :] - "
             "centres[None, :, :]), argmin over the centres, then a zeros array with a single "
             "1.0 per row at that column.",
    )


def reference_nndsvda_fill(A, X):
    """nndsvd -> nndsvda for one factor: a copy of A with its exact zeros set to mean(X)."""
    A = np.array(A, dtype=float)
    A[A == 0] = np.mean(X)
    return A


def check_nndsvda_fill(nndsvda_fill):
    """Check ``nndsvda_fill(A, X) -> A_filled`` (apply it to W and to H)."""
    cases = []
    for V, W, H in _problems():
        W, H = W.copy(), H.copy()
        W[W < 0.4] = 0.0
        H[H < 0.5] = 0.0
        cases += [(W, V), (H, V)]
    return check_function(
        nndsvda_fill, reference_nndsvda_fill, cases, name="your nndsvda_fill",
        hint="copy A (A.copy(), so the caller's array is untouched), then set the entries that "
             "are exactly 0 (A == 0) to X.mean().",
    )
