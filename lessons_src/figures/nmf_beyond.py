"""Figures and slider callbacks of lesson 11 (NMF beyond the slides).

Everything that draws random numbers takes ``random_state`` (default None: fresh randomness; the
lesson passes ``SEED``). Slow fits made with an int ``random_state`` are cached in memory
(``functools.lru_cache``), so the slider only redraws; their arrays are read-only
(:func:`lessons_src.caching.read_only`): copy before editing. Every drawing function takes
``ax=None`` / ``axes=None`` (the slider callback makes its own figure), returns what it drew, and
never calls ``plt.show()``.
"""
import functools
import inspect
from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
from sklearn.decomposition import NMF as SklearnNMF

from ..caching import read_only
from ..datasets import load_digits_images, load_face_matrix, load_orl_faces
from ..nmf import (GNMF, beta_divergence_entries, euclidean_loss, hoyer_sparseness, initialize,
                   sparse_nmf, update_beta, update_euclidean, update_hals)
from ..plotting import basis_montage
from ..threads import for_problem_size
from ..timing import median_seconds
from ..validation import check_positive_int, check_random_state
from .nmf_faces import fit_vq_pca_nmf

__all__ = [
    "plot_beta_divergences",
    "NOISE_MODELS",
    "NoiseModelTable",
    "noise_model_table",
    "plot_noise_model_table",
    "RisingSteps",
    "rising_steps",
    "RACE_METHODS",
    "Race",
    "race",
    "plot_race",
    "basis_sparseness",
    "plot_basis_sparseness",
    "SPARSENESS_LEVELS",
    "SparseFit",
    "SparseParts",
    "sparse_parts",
    "plot_sparse_parts",
    "draw_sparse_parts",
    "CLUSTERING_SETS",
    "clustering_set",
    "ClusteringScore",
    "gnmf_clustering",
    "plot_neighbor_graph",
]


def _cached_for_int_random_state(maxsize):
    """``functools.lru_cache(maxsize)`` for the calls whose ``random_state`` is an int.

    None, a Generator or a RandomState asks for new draws: those calls are computed afresh. The
    arguments are bound to the signature first, so every spelling of one call (positional, by
    keyword, defaults left out, a NumPy int seed) shares one cache entry.
    """
    def decorator(function):
        signature = inspect.signature(function)
        cached = functools.lru_cache(maxsize=maxsize)(function)

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            state = check_random_state(bound.arguments["random_state"], for_sklearn=True)
            if isinstance(state, int):
                bound.arguments["random_state"] = state
                return cached(*bound.args, **bound.kwargs)
            return function(*bound.args, **bound.kwargs)

        wrapper.cache_clear = cached.cache_clear
        wrapper.cache_info = cached.cache_info
        return wrapper

    return decorator


# ----------------------------------------------------------------------------------------------
# The β-divergence family
# ----------------------------------------------------------------------------------------------

_BETA_NAMES = {0: "Itakura-Saito", 1: "Kullback-Leibler", 2: "Euclidean"}


def plot_beta_divergences(x=1.0, betas=(0, 0.5, 1, 2, 3), ax=None):
    """d_β(x | y) against y for several β, with x fixed: how each loss punishes a model value y
    below or above the data x (:func:`lessons_src.nmf.beta_divergence_entries`).

    Returns
    -------
    ax : Axes
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(8.4, 4.0))
    y = np.linspace(0.05, 4.0 * x, 200)
    for beta in betas:
        name = _BETA_NAMES.get(beta, "")
        ax.plot(y, beta_divergence_entries(x, y, beta),
                label=f"β = {beta}" + (f" ({name})" if name else ""))
    ax.axvline(x, color="0.5", linestyle=":", linewidth=1)
    ax.set_ylim(0, 2.0 * x)
    ax.set_xlabel("model value y = [WH]ᵢⱼ")
    ax.set_ylabel(f"d_β(x = {x:g} | y)")
    ax.set_title("one family of losses")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0))
    return ax


NOISE_MODELS = ("Gaussian", "Poisson", "gamma")
"""The noise models of :func:`noise_model_table`, in the order of the β that fits each: 2, 1, 0."""


class NoiseModelTable(NamedTuple):
    """The result of :func:`noise_model_table`."""

    noise_models: tuple
    betas: tuple
    error: np.ndarray        # (noise model, beta): ‖WH − truth‖ / ‖truth‖, read-only
    truth: np.ndarray        # (n, m) the low-rank matrix the noise was added to, read-only
    data: dict               # noise model -> the noisy matrix V, (n, m), read-only


@_cached_for_int_random_state(maxsize=4)
def noise_model_table(n_iter=300, random_state=None):
    """Which loss fits which data: one rank-3 truth, three kinds of noise, three β.

    The truth Y = W₀H₀ (40 × 60, rank 3, gamma-distributed factors, scaled to mean 20) is
    observed with additive Gaussian noise (σ = 3), as Poisson counts, or times gamma noise of
    mean 1 (exponential, as in power spectrograms); every V is floored at 0.001 (β = 0 needs
    V > 0). Each V is fitted by ``n_iter`` steps of :func:`lessons_src.nmf.update_beta` with
    β = 2, 1 and 0 from the same NNDSVDa start, and scored by how close WH comes to the truth.

    Parameters
    ----------
    n_iter : int
    random_state : None, int, numpy Generator or RandomState
        Draws the truth and the noise, and seeds NNDSVDa's randomised SVD. With an int the
        table is cached.

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
    with for_problem_size(truth.size):
        for i, noise in enumerate(NOISE_MODELS):
            V = data[noise] = np.maximum(data[noise], 1e-3)
            W0, H0 = initialize(V, r, "nndsvda", random_state=init_state)
            for j, beta in enumerate(betas):
                W, H = W0, H0
                for _ in range(n_iter):
                    W, H = update_beta(V, W, H, beta)
                error[i, j] = np.linalg.norm(W @ H - truth) / np.linalg.norm(truth)
    read_only(error, truth, *data.values())
    return NoiseModelTable(NOISE_MODELS, betas, error, truth, data)


def plot_noise_model_table(table, ax=None):
    """The errors of :func:`noise_model_table` as a heat map, the best β of each row framed.

    Returns
    -------
    ax : Axes
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6.0, 3.9))
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
    ax.set_title("‖WH − truth‖ / ‖truth‖, lower is better")
    plt.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    return ax


class RisingSteps(NamedTuple):
    """The result of :func:`rising_steps`: per β, how many of the random problems went *up*."""

    betas: tuple
    n_problems: int
    heuristic: np.ndarray       # (n_betas,) problems whose D_β rose after the step with γ = 1
    mm: np.ndarray              # (n_betas,) the same for the step with γ(β)
    worst_heuristic: np.ndarray  # (n_betas,) the largest relative change with γ = 1 (> 0: a rise)


def rising_steps(betas=(-2, -1, 0, 0.5, 1, 1.5, 2, 3, 4), n_problems=200_000, n_groups=200,
                 random_state=None):
    """Search random small problems for a multiplicative W step that *raises* D_β: the heuristic
    step (γ = 1) against the MM step (γ(β), :func:`lessons_src.nmf.mm_exponent`).

    A problem is one row v (1 × 3) with its encoding row w (1 × 2) and a basis H (2 × 3),
    every entry 10^u with u uniform in [−2, 2]. The W step of :func:`lessons_src.nmf.update_beta`
    treats the rows of V separately, so ``n_problems / n_groups`` rows that share one H are
    ``n_problems / n_groups`` problems solved in one call. A problem counts as rising when its
    D_β grows by more than 1e-9 (relative; rounding is 1e-15).

    Parameters
    ----------
    betas : tuple of float
    n_problems : int, a multiple of n_groups
    n_groups : int
        How many different H.
    random_state : None, int, numpy Generator or RandomState

    Returns
    -------
    RisingSteps
    """
    n_groups = check_positive_int(n_groups, "n_groups")
    n_problems = check_positive_int(n_problems, "n_problems", minimum=n_groups)
    if n_problems % n_groups:
        raise ValueError(f"n_problems must be a multiple of n_groups={n_groups}, got "
                         f"n_problems={n_problems}")
    rng = check_random_state(random_state)
    rows = n_problems // n_groups
    heuristic = np.zeros(len(betas), dtype=int)
    mm = np.zeros(len(betas), dtype=int)
    worst = np.full(len(betas), -np.inf)
    with for_problem_size(rows * 3):
        for _ in range(n_groups):
            V, W = 10 ** rng.uniform(-2, 2, (rows, 3)), 10 ** rng.uniform(-2, 2, (rows, 2))
            H = 10 ** rng.uniform(-2, 2, (2, 3))
            for k, beta in enumerate(betas):
                before = beta_divergence_entries(V, W @ H, beta).sum(axis=1)
                for gamma, counts in ((1.0, heuristic), (None, mm)):
                    W_new = update_beta(V, W, H, beta, gamma)[0]
                    change = beta_divergence_entries(V, W_new @ H, beta).sum(axis=1) / before - 1
                    counts[k] += int(np.sum(change > 1e-9))
                    if gamma == 1.0:
                        worst[k] = max(worst[k], float(change.max()))
    return RisingSteps(tuple(betas), rows * n_groups, heuristic, mm, worst)


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
    with ``max_iter=10``, so its fixed cost per call is spread as in a real fit. All three run
    under the same thread policy (:func:`lessons_src.threads.for_problem_size`).

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
    V = np.asarray(V, dtype=float)
    W0, H0 = initialize(V, n_components, "nndsvda",
                        random_state=check_random_state(random_state, for_sklearn=True))
    start = euclidean_loss(V, W0, H0)
    losses = {}
    with for_problem_size(V.size):
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
        _, ax = plt.subplots(figsize=(7.2, 4.2))
    styles = {RACE_METHODS[0]: "-", RACE_METHODS[1]: "-", RACE_METHODS[2]: "--"}
    for method, values in result.losses.items():
        t = np.arange(len(values)) * result.seconds_per_iteration[method] * 1e3
        marker = None if method == RACE_METHODS[0] else "."
        ax.plot(t[1:], values[1:], styles[method], marker=marker, markersize=4, label=method)
    ax.set_yscale("log")
    ax.set_xlabel("time (ms): iterations × median time of one iteration")
    ax.set_ylabel("½‖V − WH‖²")
    ax.set_title("same start, same data: loss against time")
    ax.legend()
    return ax


# ----------------------------------------------------------------------------------------------
# Hoyer sparseness of the VQ, PCA and NMF bases
# ----------------------------------------------------------------------------------------------

def basis_sparseness(n_components=49, n_faces=400, max_iter=100, random_state=None):
    """Hoyer sparseness of every basis image of VQ, PCA and NMF (lesson 06's fits,
    ``figures.nmf_faces.fit_vq_pca_nmf``, cached there for an int ``random_state``) on CBCL and
    ORL, with the same number of faces of each.

    Parameters
    ----------
    n_components : int
        r, the number of basis images of each method.
    n_faces : int
    max_iter : int
        NMF iterations.
    random_state : None, int, numpy Generator or RandomState
        For the subset of faces, K-Means and NMF's start.

    Returns
    -------
    sparseness : dict (dataset, method) -> ndarray of shape (n_components,)
        PCA's signed basis images are measured by their absolute values.
    """
    table = {}
    for dataset in ("cbcl", "orl"):
        fits = fit_vq_pca_nmf(dataset, n_components, n_faces, max_iter, random_state=random_state)
        for method in ("VQ", "PCA", "NMF"):
            table[dataset, method] = hoyer_sparseness(fits[method]["basis"].T)
    return table


def plot_basis_sparseness(table, ax=None):
    """Box plots of :func:`basis_sparseness`: one box per method and data set.

    Returns
    -------
    ax : Axes
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6.8, 4.0))
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
    ax.set_ylabel("Hoyer sparseness")
    ax.set_title("how part-like is each basis image?")
    ax.legend(loc="upper left")
    return ax


# ----------------------------------------------------------------------------------------------
# Sparse NMF on ORL: the slider
# ----------------------------------------------------------------------------------------------

SPARSENESS_LEVELS = (0.6, 0.7, 0.8)
"""The sparseness levels of the slider (Hoyer sparseness imposed on every basis image)."""


class SparseFit(NamedTuple):
    """One fit of :func:`sparse_parts`."""

    basis: np.ndarray      # (n_components, n_pixels), one basis image per row, read-only
    sparseness: float      # the mean Hoyer sparseness of the basis images
    loss: float            # ½‖V − WH‖²


class SparseParts(NamedTuple):
    """The result of :func:`sparse_parts`."""

    image_shape: tuple     # (height, width) of a basis image
    fits: dict             # level -> SparseFit; level None is plain NMF


def sparse_parts(n_faces=200, n_components=16, n_iter=30, levels=SPARSENESS_LEVELS,
                 random_state=None):
    """Plain NMF and Hoyer's sparse NMF at each level, on ORL faces (56 × 46).

    Plain: ``n_iter`` HALS sweeps from NNDSVDa. Sparse: from that fit, ``n_iter`` steps of
    :func:`lessons_src.nmf.sparse_nmf` per level. Computed for all levels at once and, for an
    int ``random_state``, cached, so the slider only draws.

    Parameters
    ----------
    n_faces, n_components, n_iter : int
    levels : sequence of float in [0, 1]
    random_state : None, int, numpy Generator or RandomState
        For the subset of faces and NNDSVDa's randomised SVD.

    Returns
    -------
    SparseParts
    """
    return _sparse_parts(n_faces, n_components, n_iter, tuple(float(s) for s in levels),
                         random_state)


@_cached_for_int_random_state(maxsize=2)
def _sparse_parts(n_faces, n_components, n_iter, levels, random_state):
    state = check_random_state(random_state, for_sklearn=True)
    X, image_shape = load_face_matrix("orl", n_faces, random_state=state)
    V = X.T
    W, H = initialize(V, n_components, "nndsvda", random_state=state)
    with for_problem_size(V.size):
        for _ in range(n_iter):
            W, H = update_hals(V, W, H)
    fits = {None: (W, euclidean_loss(V, W, H))}
    for level in levels:
        result = sparse_nmf(V, W, H, level, n_iter)
        fits[level] = (result.W, float(result.loss_history[-1]))
    return SparseParts(image_shape, {
        level: SparseFit(read_only(W.T.copy()), float(np.mean(hoyer_sparseness(W))), loss)
        for level, (W, loss) in fits.items()})


def _level_title(fit, level):
    name = "plain NMF" if level is None else f"sparseness {level:g}"
    return f"{name}\nHoyer {fit.sparseness:.2f}, loss {fit.loss:.0f}"


def plot_sparse_parts(parts, levels=None, axes=None):
    """The basis images of plain NMF (level None) and of sparse NMF at several levels, side by
    side, from :func:`sparse_parts`.

    Parameters
    ----------
    parts : SparseParts
    levels : sequence of levels of ``parts.fits``, optional
        Default: all of them, plain NMF first.
    axes : sequence of Axes, one per level, optional

    Returns
    -------
    axes : ndarray of Axes, one per level
    """
    levels = tuple(parts.fits) if levels is None else tuple(levels)
    if axes is None:
        _, axes = plt.subplots(1, len(levels), figsize=(3.0 * len(levels), 3.9))
    axes = np.atleast_1d(axes)
    for ax, level in zip(axes, levels):
        fit = parts.fits[level]
        ax.imshow(basis_montage(fit.basis, parts.image_shape)[0], cmap="gray", vmin=0, vmax=1)
        ax.set_title(_level_title(fit, level))
        ax.set_axis_off()
    return axes


def draw_sparse_parts(sparseness=0.7, n_faces=200, random_state=None):
    """Slider function: plain NMF's basis beside sparse NMF's at the level nearest
    ``sparseness`` (one of :data:`SPARSENESS_LEVELS`), on ``n_faces`` ORL faces
    (:func:`sparse_parts`, cached for an int ``random_state``).

    Returns
    -------
    fig : Figure
    """
    level = min(SPARSENESS_LEVELS, key=lambda s: abs(s - float(sparseness)))
    parts = sparse_parts(n_faces, random_state=random_state)
    fig, axes = plt.subplots(1, 2, figsize=(6.4, 3.9))
    plot_sparse_parts(parts, (None, level), axes=axes)
    return fig


# ----------------------------------------------------------------------------------------------
# Graph-regularized NMF for clustering
# ----------------------------------------------------------------------------------------------

CLUSTERING_SETS = ("orl", "digits")
"""The data sets of :func:`gnmf_clustering`."""


@functools.lru_cache(maxsize=2)
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
    return (*read_only(X, np.asarray(y).copy()), int(len(np.unique(y))))


class ClusteringScore(NamedTuple):
    """The result of :func:`gnmf_clustering`."""

    nmi: float
    labels: np.ndarray              # (n_samples,) the K-Means clusters, read-only
    objective_history: np.ndarray   # the GNMF objective at the start and after every step


@_cached_for_int_random_state(maxsize=64)
def gnmf_clustering(name="orl", lambda_=100.0, random_state=None, max_iter=200):
    """K-Means on GNMF encodings (``lambda_=0``: plain NMF, the same rules and start), with as
    many components and clusters as classes, scored by NMI against the classes.

    K-Means is ``pipeline.cluster_features`` (k-means++, 10 restarts).

    Parameters
    ----------
    name : {'orl', 'digits'}
    lambda_ : float >= 0
    random_state : None, int, numpy Generator or RandomState
        For GNMF's random start and K-Means' starts. With an int the score is cached.
    max_iter : int

    Returns
    -------
    ClusteringScore
    """
    from ..metrics import normalized_mutual_info
    from ..pipeline import cluster_features

    state = check_random_state(random_state, for_sklearn=True)
    X, y, n_clusters = clustering_set(name)
    model = GNMF(n_clusters, lambda_=lambda_, max_iter=max_iter, random_state=state)
    encodings = model.fit_transform(X)
    labels = cluster_features(encodings, n_clusters, "kmeans", random_state=state)
    return ClusteringScore(normalized_mutual_info(y, labels),
                           *read_only(np.asarray(labels), model.objective_history_))


def plot_neighbor_graph(A, y, n_classes=10, ax=None):
    """The graph's 0/1 weights between the samples of the first ``n_classes`` classes, sorted
    by class: edges inside a class fall in the diagonal blocks.

    Returns
    -------
    ax : Axes
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(4.6, 4.6))
    y = np.asarray(y)
    keep = np.flatnonzero(y < n_classes)
    keep = keep[np.argsort(y[keep], kind="stable")]
    A = A.toarray() if hasattr(A, "toarray") else np.asarray(A)
    ax.imshow(A[np.ix_(keep, keep)], cmap="gray_r", interpolation="nearest")
    bounds = np.flatnonzero(np.diff(y[keep])) + 0.5
    for b in bounds:
        ax.axhline(b, color="C1", linewidth=0.6)
        ax.axvline(b, color="C1", linewidth=0.6)
    ax.set_title(f"graph edges among the first\n{n_classes} classes, sorted by class")
    ax.set_xticks([])
    ax.set_yticks([])
    return ax
