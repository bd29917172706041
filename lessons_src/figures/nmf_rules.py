"""Figures and slider callbacks of lesson 07 (the NMF update rules).

Cached arrays are read-only: copy before editing. Every drawing function takes ``ax=None``,
returns what it drew, and never calls ``plt.show()``.
"""
from functools import lru_cache

import matplotlib.pyplot as plt
import numpy as np

from .. import SEED
from ..datasets import load_face_matrix
from ..nmf import (euclidean_loss, initialize, kl_divergence, lee_seung_preprocess,
                   nature1999_objective, update_euclidean, update_kl, update_nature1999)
from .nmf_faces import show_basis

__all__ = [
    "plot_loss_curves",
    "rule_histories",
    "SNAPSHOT_ITERATIONS",
    "basis_snapshots",
    "draw_basis_forming",
    "shifted_rotated_faces",
]


def _read_only(*arrays):
    for array in arrays:
        array.setflags(write=False)
    return arrays


def plot_loss_curves(curves, ax=None, log=True, ylabel="loss", title=None):
    """Draw several loss curves {label: values} against the iteration.

    Returns
    -------
    ax : Axes
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 3.8))
    for label, values in curves.items():
        values = np.asarray(values, dtype=float)
        ax.plot(np.arange(len(values)), values, label=label)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("iteration")
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend()
    return ax


def rule_histories(V, W0, H0, n_iter):
    """Run the three multiplicative rules from the same start and record, after every step, the
    Euclidean loss, the KL divergence and the Nature objective of each.

    Parameters
    ----------
    V : ndarray of shape (n, m), the lecture's orientation (one image per column)
    W0 : ndarray of shape (n, r)
    H0 : ndarray of shape (r, m)

    Returns
    -------
    histories : dict rule -> dict objective -> ndarray (n_iter + 1,), and rule -> (W, H) under
        key 'factors'
    """
    rules = {"euclidean": update_euclidean, "kl": update_kl, "nature1999": update_nature1999}
    histories = {}
    for name, update in rules.items():
        W, H = W0, H0
        values = {"euclidean": [], "kl": [], "nature1999": []}
        for step in range(n_iter + 1):
            if step:
                W, H = update(V, W, H)
            values["euclidean"].append(euclidean_loss(V, W, H))
            values["kl"].append(kl_divergence(V, W, H))
            values["nature1999"].append(nature1999_objective(V, W, H))
        histories[name] = {k: np.asarray(v) for k, v in values.items()}
        histories[name]["factors"] = (W, H)
    return histories


SNAPSHOT_ITERATIONS = (0, 1, 2, 5, 10, 20, 50, 100, 200)
"""Iterations at which :func:`basis_snapshots` keeps the basis images."""


@lru_cache(maxsize=4)
def basis_snapshots(n_faces=1000, r=49, iterations=SNAPSHOT_ITERATIONS):
    """Basis images (lecture's W, columns; here returned as rows) at several iterations of the
    Euclidean rules from a *random* start on CBCL faces.

    Returns
    -------
    snapshots : dict iteration -> ndarray of shape (r, 361), read-only
    losses : dict iteration -> float
    """
    X, _ = load_face_matrix("cbcl", n_faces, random_state=SEED)
    V = X.T
    W, H = initialize(V, r, "random", random_state=SEED)
    snapshots, losses = {}, {}
    done = 0
    for target in sorted(iterations):
        for _ in range(target - done):
            W, H = update_euclidean(V, W, H)
        done = target
        snapshots[target] = _read_only(W.T.copy())[0]
        losses[target] = euclidean_loss(V, W, H)
    return snapshots, losses


def draw_basis_forming(step=len(SNAPSHOT_ITERATIONS) - 1, n_faces=1000):
    """Slider function: the 49 basis images after ``SNAPSHOT_ITERATIONS[step]`` iterations.

    Returns
    -------
    ax : Axes
    """
    step = min(max(int(step), 0), len(SNAPSHOT_ITERATIONS) - 1)
    snapshots, losses = basis_snapshots(n_faces)
    iteration = SNAPSHOT_ITERATIONS[step]
    _, ax = plt.subplots(figsize=(4.6, 4.9))
    show_basis(ax, snapshots[iteration], (19, 19), "NMF",
                  title=f"W after {iteration} iterations\n½‖V − WH‖² = {losses[iteration]:.1f}")
    return ax


def shifted_rotated_faces(X, image_shape, max_shift=3, max_angle=25.0, random_state=SEED):
    """Each face moved by a random shift (up to ``max_shift`` pixels each way) and rotation (up
    to ``max_angle`` degrees), then preprocessed again: faces that are no longer aligned.

    Returns
    -------
    X_moved : ndarray of the shape of X, in [0, 1]
    """
    from scipy import ndimage

    rng = np.random.default_rng(random_state)
    images = np.asarray(X, dtype=float).reshape((-1,) + tuple(image_shape))
    moved = np.empty_like(images)
    for k, image in enumerate(images):
        turned = ndimage.rotate(image, rng.uniform(-max_angle, max_angle), reshape=False,
                                order=1, mode="nearest")
        moved[k] = ndimage.shift(turned, rng.integers(-max_shift, max_shift + 1, size=2),
                                 order=0, mode="nearest")
    return lee_seung_preprocess(moved)
