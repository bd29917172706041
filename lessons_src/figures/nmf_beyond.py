"""Figures and slider callbacks of lesson 11 (NMF beyond the slides).

Slow fits are cached in memory (``functools.lru_cache``) and their arrays made read-only: copy
before editing. Every drawing function takes ``ax=None`` / ``axes=None``, returns what it drew,
and never calls ``plt.show()``.
"""
from functools import lru_cache
from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np

from .. import SEED
from ..datasets import load_digits_images, load_face_matrix, load_orl_faces
from ..nmf import (GNMF, beta_divergence, euclidean_loss, hoyer_sparseness, initialize,
                   sparse_nmf, update_beta, update_euclidean, update_hals)
from ..plotting import basis_montage
from ..threads import for_problem_size
from ..timing import median_seconds
from ..validation import check_random_state
from .nmf_faces import fit_vq_pca_nmf

__all__ = [
    "plot_beta_divergences",
    "NOISE_MODELS",
    "NoiseModelTable",
    "noise_model_table",
    "plot_noise_model_table",
    "RACE_METHODS",
    "Race",
    "race",
    "plot_race",
    "basis_sparseness",
    "plot_basis_sparseness",
    "SPARSENESS_LEVELS",
    "sparse_parts",
    "plot_sparse_parts",
    "draw_sparse_parts",
    "CLUSTERING_SETS",
    "clustering_set",
    "ClusteringScore",
    "gnmf_clustering",
    "plot_neighbor_graph",
]


def _read_only(*arrays):
    for array in arrays:
        array.setflags(write=False)
    return arrays


# ----------------------------------------------------------------------------------------------
# The β-divergence family
# ----------------------------------------------------------------------------------------------

_BETA_NAMES = {0: "Itakura-Saito", 1: "Kullback-Leibler", 2: "Euclidean"}


def plot_beta_divergences(x=1.0, betas=(0, 0.5, 1, 2, 3), ax=None):
    """d_β(x | y) against y for several β, with x fixed: how each loss punishes a model value y
    below or above the data x.

    Returns
    -------
    ax : Axes
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6.2, 3.8))
    y = np.linspace(0.05, 4.0 * x, 120)
    for beta in betas:
        values = [beta_divergence(np.array([[x]]), np.ones((1, 1)), np.array([[v]]), beta)
                  for v in y]
        name = _BETA_NAMES.get(beta, "")
        ax.plot(y, values, label=f"β = {beta}" + (f" ({name})" if name else ""))
    ax.axvline(x, color="0.5", linestyle=":", linewidth=1)
    ax.set_ylim(0, 2.0 * x)
    ax.set_xlabel("model value y = [WH]ᵢⱼ")
    ax.set_ylabel(f"d_β(x = {x:g} | y)")
    ax.set_title("one family of losses")
    ax.legend(fontsize=9)
    return ax


NOISE_MODELS = ("Gaussian", "Poisson", "gamma")
"""The noise models of :func:`noise_model_table`, in the order of the β that fits each: 2, 1, 0."""


class NoiseModelTable(NamedTuple):
    """The result of :func:`noise_model_table`."""

    noise_models: tuple
    betas: tuple
    error: np.ndarray        # (noise model, beta): ‖WH − truth‖ / ‖truth‖
    truth: np.ndarray        # (n, m) the low-rank matrix the noise was added to
    data: dict               # noise model -> the noisy matrix V, (n, m)


@lru_cache(maxsize=4)
def noise_model_table(n_iter=300, random_state=None):
    """Which loss fits which data: one rank-3 truth, three kinds of noise, three β.

    The truth Y = W₀H₀ (40 × 60, rank 3, entries from about 0.03 to 600, mean 20) is observed
    with additive Gaussian noise (σ = 3), as Poisson counts, or times gamma noise of mean 1
    (exponential, as in power spectrograms); every V is floored at 0.001 (β = 0 needs V > 0).
    Each V is fitted by ``n_iter`` steps of :func:`update_beta` with β = 2, 1 and 0 from the same
    NNDSVDa start, and scored by how close WH comes to the truth.

    Parameters
    ----------
    n_iter : int
    random_state : None or int
        Draws the truth and the noise, and seeds NNDSVDa's randomised SVD. (Cached: pass an int.)

    Returns
    -------
    NoiseModelTable
        ``error[i, j]``: relative error ‖WH − Y‖_F / ‖Y‖_F of β = betas[j] on noise_models[i].
    """
    rng = check_random_state(random_state)
    init_state = check_random_state(random_state, for_sklearn=True)
    n, m, r = 40, 60, 3
    truth = rng.gamma(0.5, 1.0, (n, r)) @ rng.gamma(0.5, 1.0, (r, m))
    truth *= 20.0 / truth.mean()
    data = {
        "Gaussian": truth + rng.normal(0.0, 3.0, truth.shape),
        "Poisson": rng.poisson(truth).astype(float),
        "gamma": truth * rng.gamma(1.0, 1.0, truth.shape),
    }
    betas = (2, 1, 0)
    error = np.empty((len(NOISE_MODELS), len(betas)))
    for i, noise in enumerate(NOISE_MODELS):
        V = data[noise] = np.maximum(data[noise], 1e-3)
        W0, H0 = initialize(V, r, "nndsvda", random_state=init_state)
        for j, beta in enumerate(betas):
            W, H = W0, H0
            for _ in range(n_iter):
                W, H = update_beta(V, W, H, beta)
            error[i, j] = np.linalg.norm(W @ H - truth) / np.linalg.norm(truth)
    _read_only(error, truth, *data.values())
    return NoiseModelTable(NOISE_MODELS, betas, error, truth, data)


def plot_noise_model_table(table, ax=None):
    """The errors of :func:`noise_model_table` as a heat map, the best β of each row framed.

    Returns
    -------
    ax : Axes
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(5.4, 3.4))
    image = ax.imshow(table.error, cmap="viridis_r")
    for i in range(len(table.noise_models)):
        for j in range(len(table.betas)):
            ax.text(j, i, f"{table.error[i, j]:.3f}", ha="center", va="center",
                    color="white" if table.error[i, j] > table.error.mean() else "black")
        best = int(np.argmin(table.error[i]))
        ax.add_patch(plt.Rectangle((best - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="red",
                                   linewidth=2.5))
    short = {0: "IS", 1: "KL", 2: "Euclidean"}
    ax.set_xticks(range(len(table.betas)), [f"β = {b}\n{short[b]}" for b in table.betas])
    ax.set_yticks(range(len(table.noise_models)), [f"{n} noise" for n in table.noise_models])
    ax.set_title("‖WH − truth‖ / ‖truth‖ (lower is better)", fontsize=10)
    plt.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    return ax


# ----------------------------------------------------------------------------------------------
# The race: multiplicative updates, HALS and scikit-learn's coordinate descent
# ----------------------------------------------------------------------------------------------

RACE_METHODS = ("multiplicative (MU)", "HALS (ours)", "scikit-learn cd")
"""The methods of :func:`race`."""


class Race(NamedTuple):
    """The result of :func:`race`."""

    losses: dict                 # method -> ndarray (n_iter + 1,): ½‖V − WH‖² from the start
    seconds_per_iteration: dict  # method -> float, median of repeats


def race(V, n_components=49, n_iter_mu=100, n_iter_hals=30, repeat=5, random_state=None):
    """The Euclidean loss after each iteration of MU, HALS and scikit-learn's
    ``NMF(solver='cd')`` from the same NNDSVDa start, and each method's time per iteration:
    the median of ``repeat`` timed runs of 10 iterations from that start, after a warm-up, / 10.

    scikit-learn's path is followed one iteration per call (``max_iter=1``, restarted from the
    previous factors, which is the same path as one long run); its timed runs are single calls
    with ``max_iter=10``, so its fixed cost per call is spread as in a real fit.

    Parameters
    ----------
    V : ndarray of shape (n, m), non-negative
    n_components : int
    n_iter_mu, n_iter_hals : int
        Iterations of MU, and of HALS and of scikit-learn's cd.
    repeat : int
    random_state : None, int, numpy Generator or RandomState
        For NNDSVDa's randomised SVD.

    Returns
    -------
    Race
    """
    from sklearn.decomposition import NMF as SklearnNMF

    V = np.asarray(V, dtype=float)
    W0, H0 = initialize(V, n_components, "nndsvda",
                        random_state=check_random_state(random_state, for_sklearn=True))
    start = euclidean_loss(V, W0, H0)
    losses = {}
    for method, update, n_iter in ((RACE_METHODS[0], update_euclidean, n_iter_mu),
                                   (RACE_METHODS[1], update_hals, n_iter_hals)):
        W, H = W0, H0
        values = [start]
        for _ in range(n_iter):
            W, H = update(V, W, H)
            values.append(euclidean_loss(V, W, H))
        losses[method] = np.asarray(values)
    one_step = SklearnNMF(n_components, init="custom", solver="cd", max_iter=1, tol=0)
    W, H = W0, H0
    values = [start]
    for _ in range(n_iter_hals):
        W = one_step.fit_transform(V, W=W.copy(), H=H.copy())
        H = one_step.components_
        values.append(euclidean_loss(V, W, H))
    losses[RACE_METHODS[2]] = np.asarray(values)
    # Each timed call runs 10 iterations: one slow moment of a busy machine weighs less.
    def ten(update):
        W, H = W0, H0
        for _ in range(10):
            W, H = update(V, W, H)

    ten_steps = SklearnNMF(n_components, init="custom", solver="cd", max_iter=10, tol=0)
    seconds = {
        RACE_METHODS[0]: median_seconds(lambda: ten(update_euclidean), repeat) / 10,
        RACE_METHODS[1]: median_seconds(lambda: ten(update_hals), repeat) / 10,
        RACE_METHODS[2]: median_seconds(
            lambda: ten_steps.fit_transform(V, W=W0.copy(), H=H0.copy()), repeat) / 10,
    }
    return Race(losses, seconds)


def plot_race(result, ax=None):
    """Loss against wall-clock time (iterations x median time per iteration) for each method
    of :func:`race`, log scale.

    Returns
    -------
    ax : Axes
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 3.9))
    styles = {RACE_METHODS[0]: "-", RACE_METHODS[1]: "-", RACE_METHODS[2]: "--"}
    for method, values in result.losses.items():
        t = np.arange(len(values)) * result.seconds_per_iteration[method] * 1e3
        marker = None if method == RACE_METHODS[0] else "."
        ax.plot(t[1:], values[1:], styles[method], marker=marker, markersize=4, label=method)
    ax.set_yscale("log")
    ax.set_xlabel("wall-clock time (ms): iterations × median time per iteration")
    ax.set_ylabel("½‖V − WH‖²")
    ax.set_title("same start, same data: loss against time")
    ax.legend()
    return ax


# ----------------------------------------------------------------------------------------------
# Hoyer's sparseness of the VQ, PCA and NMF bases
# ----------------------------------------------------------------------------------------------

@lru_cache(maxsize=4)
def basis_sparseness(r=49, n_faces=400, max_iter=100):
    """Hoyer's sparseness of every basis image of VQ, PCA and NMF (lesson 06's fits,
    ``figures.nmf_faces.fit_vq_pca_nmf``) on CBCL and ORL, with the same number of faces of each.

    Returns
    -------
    sparseness : dict (dataset, method) -> ndarray of shape (r,), read-only
    """
    table = {}
    for dataset in ("cbcl", "orl"):
        fits = fit_vq_pca_nmf(dataset, r, n_faces, max_iter, random_state=SEED)
        for method in ("VQ", "PCA", "NMF"):
            table[dataset, method] = _read_only(hoyer_sparseness(fits[method]["basis"].T))[0]
    return table


def plot_basis_sparseness(table, ax=None):
    """Box plots of :func:`basis_sparseness`: one box per method and data set.

    Returns
    -------
    ax : Axes
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 3.7))
    methods = ("VQ", "PCA", "NMF")
    for k, (dataset, color) in enumerate((("cbcl", "C0"), ("orl", "C1"))):
        positions = np.arange(len(methods)) + (k - 0.5) * 0.36
        boxes = ax.boxplot([table[dataset, m] for m in methods], positions=positions, widths=0.3,
                           patch_artist=True, medianprops={"color": "black"})
        for box in boxes["boxes"]:
            box.set_facecolor(color)
            box.set_alpha(0.75)
        ax.plot([], [], "s", color=color, label=dataset.upper())
    ax.set_xticks(range(len(methods)), methods)
    ax.set_ylim(0, 1)
    ax.set_ylabel("Hoyer sparseness of a basis image")
    ax.set_title("how part-like is each basis?")
    ax.legend(loc="upper left")
    return ax


# ----------------------------------------------------------------------------------------------
# Sparse NMF on ORL: the slider
# ----------------------------------------------------------------------------------------------

SPARSENESS_LEVELS = (0.6, 0.7, 0.8)
"""The sparseness levels of the slider (Hoyer sparseness imposed on every basis image)."""


def sparse_parts(n_faces=200, n_components=16, n_iter=30, levels=SPARSENESS_LEVELS):
    """Plain NMF and Hoyer's sparse NMF at each level, on ORL faces (56 × 46).

    Plain: ``n_iter`` HALS sweeps from NNDSVDa. Sparse: from that fit, ``n_iter`` steps of
    :func:`lessons_src.nmf.sparse_nmf` per level. Computed once for all levels and cached, so
    the slider only draws.

    Returns
    -------
    fits : dict level -> dict with 'basis' (n_components, n_pixels) read-only, 'sparseness'
        (mean Hoyer sparseness of the basis images) and 'loss' (½‖V − WH‖²); level None is
        plain NMF. Also 'image_shape'.
    """
    # One cache key however the arguments are spelled (positional or by keyword).
    return _sparse_parts(n_faces, n_components, n_iter, tuple(levels))


@lru_cache(maxsize=2)
def _sparse_parts(n_faces, n_components, n_iter, levels):
    X, image_shape = load_face_matrix("orl", n_faces, random_state=SEED)
    V = X.T
    W, H = initialize(V, n_components, "nndsvda", random_state=SEED)
    with for_problem_size(V.size):
        for _ in range(n_iter):
            W, H = update_hals(V, W, H)
    fits = {"image_shape": image_shape,
            None: {"basis": W.T.copy(), "loss": euclidean_loss(V, W, H)}}
    for level in levels:
        result = sparse_nmf(V, W, H, level, n_iter)
        fits[level] = {"basis": result.W.T.copy(), "loss": float(result.loss_history[-1])}
    for level in (None, *levels):
        fits[level]["sparseness"] = float(np.mean(hoyer_sparseness(fits[level]["basis"].T)))
        _read_only(fits[level]["basis"])
    return fits


def _show_montage(ax, basis, image_shape, title):
    ax.imshow(basis_montage(basis, image_shape)[0], cmap="gray", vmin=0, vmax=1)
    ax.set_title(title, fontsize=10)
    ax.set_axis_off()


def _level_title(fits, level):
    name = "plain NMF" if level is None else f"sparseness {level:g} imposed"
    return f"{name}\nmean Hoyer {fits[level]['sparseness']:.2f}, loss {fits[level]['loss']:.0f}"


def plot_sparse_parts(levels=(None, *SPARSENESS_LEVELS), n_faces=200, axes=None):
    """The basis images of plain NMF (level None) and of sparse NMF at several levels (from
    :data:`SPARSENESS_LEVELS`), side by side: :func:`sparse_parts` on ``n_faces`` ORL faces.

    Returns
    -------
    axes : ndarray of Axes, one per level
    """
    fits = sparse_parts(n_faces)
    if axes is None:
        _, axes = plt.subplots(1, len(levels), figsize=(2.9 * len(levels), 3.6))
    axes = np.atleast_1d(axes)
    for ax, level in zip(axes, levels):
        _show_montage(ax, fits[level]["basis"], fits["image_shape"], _level_title(fits, level))
    return axes


def draw_sparse_parts(sparseness=0.7, n_faces=200):
    """Slider function: plain NMF's basis beside sparse NMF's at the level nearest
    ``sparseness`` (one of :data:`SPARSENESS_LEVELS`), on ``n_faces`` ORL faces.

    Returns
    -------
    fig : Figure
    """
    level = min(SPARSENESS_LEVELS, key=lambda s: abs(s - float(sparseness)))
    fig, axes = plt.subplots(1, 2, figsize=(6.6, 3.9))
    plot_sparse_parts((None, level), n_faces=n_faces, axes=axes)
    return fig


# ----------------------------------------------------------------------------------------------
# Graph-regularised NMF for clustering
# ----------------------------------------------------------------------------------------------

CLUSTERING_SETS = ("orl", "digits")
"""The data sets of :func:`gnmf_clustering`."""


@lru_cache(maxsize=2)
def clustering_set(name="orl"):
    """A clustering data set as GNMF's experiments prepare it: one image per row, scaled to
    unit length. ORL's 112 × 92 photos are averaged over 4 × 4 blocks to 28 × 23 (the paper
    used 32 × 32); digits stay 8 × 8.

    Returns
    -------
    X : ndarray of shape (n_samples, n_pixels), read-only
    y : ndarray of shape (n_samples,), the true classes, read-only
    n_clusters : int
    """
    if name not in CLUSTERING_SETS:
        raise ValueError(f"name must be one of {CLUSTERING_SETS}, got name={name!r}")
    if name == "orl":
        images, y = load_orl_faces()
        n, h, w = images.shape
        X = images.reshape(n, h // 4, 4, w // 4, 4).mean(axis=(2, 4)).reshape(n, -1)
    else:
        images, y = load_digits_images()
        X = images.reshape(len(images), -1)
    X = X / np.linalg.norm(X, axis=1, keepdims=True)
    return (*_read_only(X, np.asarray(y).copy()), int(len(np.unique(y))))


class ClusteringScore(NamedTuple):
    """The result of :func:`gnmf_clustering`."""

    nmi: float
    labels: np.ndarray              # (n_samples,) the K-Means clusters, read-only
    objective_history: np.ndarray   # the GNMF objective at the start and after every step


@lru_cache(maxsize=64)
def gnmf_clustering(name="orl", lambda_=100.0, random_state=None, max_iter=200):
    """K-Means on GNMF encodings (``lambda_=0``: plain NMF, the same rules and start), with as
    many components and clusters as classes, scored by NMI against the classes.

    K-Means is ``pipeline.cluster_features`` (k-means++, 10 restarts) with the same
    ``random_state`` (None or an int: the result is cached).

    Returns
    -------
    ClusteringScore
    """
    from ..metrics import normalized_mutual_info
    from ..pipeline import cluster_features

    X, y, n_clusters = clustering_set(name)
    model = GNMF(n_clusters, lambda_=lambda_, max_iter=max_iter, random_state=random_state)
    encodings = model.fit_transform(X)
    labels = cluster_features(encodings, n_clusters, "kmeans", random_state=random_state)
    return ClusteringScore(normalized_mutual_info(y, labels),
                           *_read_only(np.asarray(labels), model.objective_history_))


def plot_neighbor_graph(A, y, n_classes=10, ax=None):
    """The graph's 0/1 weights between the samples of the first ``n_classes`` classes, sorted
    by class: edges inside a class fall in the diagonal blocks.

    Returns
    -------
    ax : Axes
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(4.2, 4.2))
    y = np.asarray(y)
    keep = np.flatnonzero(y < n_classes)
    keep = keep[np.argsort(y[keep], kind="stable")]
    A = A.toarray() if hasattr(A, "toarray") else np.asarray(A)
    ax.imshow(A[np.ix_(keep, keep)], cmap="gray_r", interpolation="nearest")
    bounds = np.flatnonzero(np.diff(y[keep])) + 0.5
    for b in bounds:
        ax.axhline(b, color="C1", linewidth=0.6)
        ax.axvline(b, color="C1", linewidth=0.6)
    ax.set_title(f"graph edges among {n_classes} classes\n(sorted by class)", fontsize=10)
    ax.set_xticks([])
    ax.set_yticks([])
    return ax
