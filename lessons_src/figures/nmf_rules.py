"""Figures and slider callbacks of lesson 07 (the NMF update rules).

Cached arrays are read-only: copy before editing. Every drawing function takes ``ax=None``,
returns what it drew, and never calls ``plt.show()``.
"""
from functools import lru_cache
from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
from scipy import ndimage

from ..caching import read_only
from ..datasets import load_face_matrix
from ..nmf import (Factors, euclidean_auxiliary, euclidean_loss, initialize, kl_divergence,
                   lee_seung_preprocess, nature1999_objective, sparsity, update_euclidean,
                   update_kl, update_nature1999)
from ..plotting import basis_montage
from ..validation import check_random_state
from .nmf_faces import plot_basis

__all__ = [
    "plot_loss_curves",
    "plot_two_solutions",
    "AuxiliarySlice",
    "auxiliary_slice",
    "plot_auxiliary_function",
    "rule_histories",
    "SNAPSHOT_ITERATIONS",
    "BasisSnapshots",
    "basis_snapshots",
    "draw_basis_forming",
    "shifted_rotated_faces",
    "plot_alignment",
]


def plot_loss_curves(curves, ax=None, log=True, ylabel="loss", title=None, legend="below",
                     ncol=2):
    """Draw several loss curves {label: values} against the iteration.

    Parameters
    ----------
    curves : dict label -> sequence of floats
    legend : {'below', False}
        'below': one legend for these curves under the figure, off the data (a figure of
        several panels with the same curves asks for it once, ``legend=False`` elsewhere).
    ncol : int
        Columns of that legend.

    Returns
    -------
    ax : Axes
    """
    if legend not in ("below", False):
        raise ValueError(f"legend must be 'below' or False, got {legend!r}")
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
    if legend == "below":
        ax.get_figure().legend(*ax.get_legend_handles_labels(), loc="outside lower center",
                               ncol=max(1, min(int(ncol), len(curves))))
    return ax


def plot_two_solutions(ts, line, solutions, image_shape, axes=None):
    """Non-convexity on the faces: the loss along the segment between two NMF solutions, with
    the chord between its ends, and the two bases.

    Parameters
    ----------
    ts : ndarray of shape (n_points,), in [0, 1]
    line : sequence of n_points floats
        The loss at (1 − t) · solution 0 + t · solution 1.
    solutions : two :class:`~lessons_src.nmf.Factors` in scikit-learn's orientation
        (``H`` holds the basis images as rows).
    image_shape : (h, w)

    Returns
    -------
    axes : ndarray of 3 Axes
    """
    if axes is None:
        _, axes = plt.subplots(1, 3, figsize=(11, 3.6), width_ratios=[1.3, 1, 1])
    axes[0].plot(ts, line, marker=".")
    axes[0].plot([ts[0], ts[-1]], [line[0], line[-1]], "k--", label="chord")
    axes[0].set_xlabel("t: (1 − t)·solution 0 + t·solution 1")
    axes[0].set_ylabel("½‖V − WH‖²")
    axes[0].legend()
    for k, (ax, solution) in enumerate(zip(axes[1:], solutions)):
        ax.imshow(basis_montage(solution.H, image_shape)[0], cmap="gray", vmin=0, vmax=1)
        ax.set_title(f"basis from start {k}")
        ax.set_axis_off()
    return np.asarray(axes)


class AuxiliarySlice(NamedTuple):
    """What :func:`auxiliary_slice` returns: F and G along the line h(s) = hᵗ + s (h⁺ − hᵗ)."""

    s: np.ndarray
    """shape (n_points,): positions on the line; 0 is hᵗ, 1 is h⁺ (the multiplicative step)."""
    F: np.ndarray
    """shape (n_points,): the loss ½‖v − W h(s)‖²"""
    G: np.ndarray
    """shape (n_points,): the auxiliary function G(h(s), hᵗ)"""
    h_t: np.ndarray
    """shape (r,): the current encoding hᵗ"""
    h_next: np.ndarray
    """shape (r,): h⁺, the minimiser of G(·, hᵗ)"""


def auxiliary_slice(v, W, h_t, n_points=241):
    """F and Lee and Seung's G(·, hᵗ) on the line through hᵗ and h⁺, the minimiser of G (which
    is the multiplicative step), over the part of the line where h >= 0 (s capped to
    [−0.5, 2.5]).

    Parameters
    ----------
    v : ndarray of shape (n,), one image
    W : ndarray of shape (n, r), the basis, held fixed
    h_t : ndarray of shape (r,), positive: the current encoding of v
    n_points : int

    Returns
    -------
    AuxiliarySlice (s, F, G, h_t, h_next)
    """
    h_t = np.asarray(h_t, dtype=float)
    h_next = euclidean_auxiliary(v, W, h_t, h_t).G_argmin
    direction = h_next - h_t
    # h_t + s * direction >= 0 for s in [low, high] (h_t > 0, so low < 0 and high >= 1).
    with np.errstate(divide="ignore"):
        bounds = -h_t / direction
    low = max(-0.5, bounds[direction > 0].max(initial=-np.inf))
    high = min(2.5, bounds[direction < 0].min(initial=np.inf))
    s = np.unique(np.r_[np.linspace(low, high, n_points), 0.0, 1.0])
    values = np.array([euclidean_auxiliary(v, W, h_t + t * direction, h_t)[:2] for t in s])
    return AuxiliarySlice(s, values[:, 0], values[:, 1], h_t, h_next)


def plot_auxiliary_function(aux, ax=None):
    """Draw F and G(·, hᵗ) along :func:`auxiliary_slice`'s line, with the two points that make
    the proof: G touches F at hᵗ (s = 0), and G's minimum is the multiplicative step (s = 1),
    where F is lower still.

    Returns
    -------
    ax : Axes
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 4.2))
    ax.plot(aux.s, aux.F, color="C0", label="F(h) = ½‖v − W h‖²")
    ax.plot(aux.s, aux.G, color="C1", linestyle="--", label="G(h, hᵗ), the auxiliary function")
    at = {t: int(np.flatnonzero(aux.s == t)[0]) for t in (0.0, 1.0)}
    ax.plot([0.0], [aux.F[at[0.0]]], "ko")
    ax.annotate("hᵗ: G = F", (0.0, aux.F[at[0.0]]), textcoords="offset points", xytext=(8, 10))
    ax.plot([1.0, 1.0], [aux.F[at[1.0]], aux.G[at[1.0]]], "k:", marker="o")
    ax.annotate("hᵗ⁺¹ = argmin G:\nthe multiplicative step", (1.0, aux.G[at[1.0]]),
                textcoords="offset points", xytext=(10, 12))
    ax.set_xlabel("s along h = hᵗ + s (hᵗ⁺¹ − hᵗ)")
    ax.set_ylabel("loss of one face")
    ax.legend(loc="upper center")  # between the curves' rising ends: off the data
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
    histories : dict rule -> dict objective -> ndarray (n_iter + 1,), and the last
        :class:`~lessons_src.nmf.Factors` (W, H) of each rule under the key 'factors'
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
        histories[name]["factors"] = Factors(W, H)
    return histories


SNAPSHOT_ITERATIONS = (0, 1, 2, 5, 10, 20, 50, 100, 200)
"""Iterations at which :func:`basis_snapshots` keeps the basis images."""


class BasisSnapshots(NamedTuple):
    """What :func:`basis_snapshots` returns."""

    bases: dict
    """iteration -> the basis images at that iteration, ndarray of shape (r, 361), read-only"""
    losses: dict
    """iteration -> ½‖V − WH‖² at that iteration"""


def basis_snapshots(n_faces=1000, n_components=49, iterations=SNAPSHOT_ITERATIONS,
                    random_state=None):
    """Basis images (lecture's W, columns; here returned as rows) at several iterations of the
    Euclidean rules from a *random* start on CBCL faces.

    Parameters
    ----------
    n_faces : int
    n_components : int
    iterations : tuple of int
    random_state : None, int, numpy Generator or RandomState
        The random start (:func:`lessons_src.nmf.initialize`). With an int the run is cached
        in memory (the slider replays it); None or a generator runs afresh.

    Returns
    -------
    BasisSnapshots (bases, losses)
    """
    random_state = check_random_state(random_state, for_sklearn=True)
    if isinstance(random_state, int):
        return _cached_snapshots(n_faces, n_components, tuple(iterations), random_state)
    return _snapshots(n_faces, n_components, tuple(iterations), random_state)


def _snapshots(n_faces, n_components, iterations, random_state):
    X, _ = load_face_matrix("cbcl", n_faces, random_state=random_state)
    V = X.T
    W, H = initialize(V, n_components, "random", random_state=random_state)
    bases, losses = {}, {}
    done = 0
    for target in sorted(iterations):
        for _ in range(target - done):
            W, H = update_euclidean(V, W, H)
        done = target
        bases[target] = read_only(W.T.copy())
        losses[target] = euclidean_loss(V, W, H)
    return BasisSnapshots(bases, losses)


_cached_snapshots = lru_cache(maxsize=4)(_snapshots)


def draw_basis_forming(step=len(SNAPSHOT_ITERATIONS) - 1, n_faces=1000, random_state=None):
    """Slider function: the 49 basis images after ``SNAPSHOT_ITERATIONS[step]`` iterations.

    Parameters
    ----------
    step : int
        Index into :data:`SNAPSHOT_ITERATIONS` (clipped to its range).
    n_faces, random_state : see :func:`basis_snapshots`

    Returns
    -------
    ax : Axes
    """
    step = min(max(int(step), 0), len(SNAPSHOT_ITERATIONS) - 1)
    snapshots = basis_snapshots(n_faces, random_state=random_state)
    iteration = SNAPSHOT_ITERATIONS[step]
    _, ax = plt.subplots(figsize=(4.6, 4.9))
    plot_basis(snapshots.bases[iteration], (19, 19), "NMF", ax=ax,
               title=f"W after {iteration} iterations\n"
                     f"½‖V − WH‖² = {snapshots.losses[iteration]:.1f}")
    return ax


def shifted_rotated_faces(X, image_shape, max_shift=3, max_angle=25.0, random_state=None):
    """Each face moved by a random shift (up to ``max_shift`` pixels each way) and rotation (up
    to ``max_angle`` degrees), then preprocessed again: faces that are no longer aligned.

    Parameters
    ----------
    X : ndarray of shape (n_faces, h * w), one face per row
    image_shape : (h, w)
    max_shift : int, pixels
    max_angle : float, degrees
    random_state : None, int, numpy Generator or RandomState

    Returns
    -------
    X_moved : ndarray of the shape of X, in [0, 1]
    """
    rng = check_random_state(random_state)
    images = np.asarray(X, dtype=float).reshape((-1,) + tuple(image_shape))
    moved = np.empty_like(images)
    for k, image in enumerate(images):
        turned = ndimage.rotate(image, rng.uniform(-max_angle, max_angle), reshape=False,
                                order=1, mode="nearest")
        moved[k] = ndimage.shift(turned, rng.integers(-max_shift, max_shift + 1, size=2),
                                 order=0, mode="nearest")
    return lee_seung_preprocess(moved)


def plot_alignment(X_moved, bases, image_shape, axes=None):
    """Moved faces, then the NMF basis images of each data set with its share of zero pixels.

    Parameters
    ----------
    X_moved : ndarray of shape (n_faces, h * w), the moved faces (the first 16 are drawn)
    bases : dict label -> ndarray of shape (r, h * w), basis images as rows
    image_shape : (h, w)

    Returns
    -------
    axes : ndarray of 1 + len(bases) Axes
    """
    if axes is None:
        _, axes = plt.subplots(1, 1 + len(bases), figsize=(11, 4.2),
                               width_ratios=[0.8] + [1] * len(bases))
    axes[0].imshow(basis_montage(X_moved[:16], image_shape)[0], cmap="gray", vmin=0, vmax=1)
    axes[0].set_title("moved faces")
    for ax, (label, basis) in zip(axes[1:], bases.items()):
        ax.imshow(basis_montage(basis, image_shape)[0], cmap="gray", vmin=0, vmax=1)
        ax.set_title(f"NMF basis, {label}\n{sparsity(basis, 1e-3):.0%} zero pixels")
    for ax in axes:
        ax.set_axis_off()
    return np.asarray(axes)
