"""Figures and slider callbacks of lesson 04 (spectral clustering).

Every function draws one whole figure (or into given axes) for one set of values and returns
what it drew; the lesson's sliders call them, and the tests call them at the slider extremes.
"""
import warnings
from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import adjusted_rand_score

from .. import spectral, widgets
from ..datasets import TEACHING_SETS
from ..plotting import cluster_colors, match_labels, plot_clusters
from ..validation import check_image

N_EIGENVALUES = 10
"""How many of the smallest eigenvalues the lesson's figures compute and show, the eigengap
searched among them (the static figures and the slider alike)."""

__all__ = [
    "N_EIGENVALUES",
    "plot_affinity_graph",
    "plot_affinity_matrix",
    "plot_eigenvalues",
    "plot_embedding",
    "PipelineRun",
    "spectral_pipeline",
    "draw_spectral_pipeline",
    "spectral_pipeline_controls",
    "coins_image",
    "plot_image_segmentation",
]


def plot_affinity_graph(X, A, ax=None, labels=None, max_edges=3000, min_weight=0.05):
    """Draw the affinity graph on the plane: one segment per pair, darker when heavier.

    Parameters
    ----------
    X : ndarray of shape (n, 2)
    A : ndarray of shape (n, n)
        Affinity matrix.
    labels : ndarray of shape (n,), optional
        Colour of the points.
    max_edges : int
        Draw at most this many of the heaviest edges (a complete rbf graph has n^2 / 2).
    min_weight : float
        Skip lighter edges (they would be invisible anyway).

    Returns
    -------
    ax : Axes
    """
    from matplotlib.collections import LineCollection

    X = np.asarray(X, dtype=float)
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4.5))
    rows, cols = np.triu_indices(len(X), k=1)
    weights = A[rows, cols]
    keep = weights >= min_weight
    rows, cols, weights = rows[keep], cols[keep], weights[keep]
    if len(weights) > max_edges:
        heaviest = np.argsort(weights)[-max_edges:]
        rows, cols, weights = rows[heaviest], cols[heaviest], weights[heaviest]
    segments = np.stack([X[rows], X[cols]], axis=1)
    colors = np.zeros((len(weights), 4))
    colors[:, 3] = 0.08 + 0.5 * weights / (weights.max() if len(weights) else 1.0)
    ax.add_collection(LineCollection(segments, colors=colors, linewidths=0.7, zorder=1))
    plot_clusters(X, labels, ax=ax, s=14)
    return ax


def plot_affinity_matrix(A, order=None, ax=None):
    """Show the affinity matrix as an image, rows ordered by ``order`` (e.g. by true group):
    well separated groups appear as bright diagonal blocks.

    Returns
    -------
    image : AxesImage
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 4))
    A = np.asarray(A.toarray() if hasattr(A, "toarray") else A, dtype=float)
    if order is not None:
        A = A[np.ix_(order, order)]
    image = ax.imshow(A, cmap="magma", vmin=0, vmax=max(A.max(), 1e-12))
    ax.set_xlabel("point j")
    ax.set_ylabel("point i")
    return image


def plot_eigenvalues(eigenvalues, ax=None, n_show=N_EIGENVALUES, max_clusters=None):
    """The smallest eigenvalues of the normalised Laplacian, with the largest gap marked.

    Numbered from 1 (``lambda_1`` is the smallest, 0 for any graph), like the eigenvectors
    ``u_1, u_2, ...`` of :func:`plot_embedding`. The gap and the K it gives come from
    :func:`lessons_src.spectral.eigengap` (the one rule), among the ``n_show`` values drawn;
    the vertical axis spans the values drawn, so the gap the words name is the gap one sees.

    Parameters
    ----------
    eigenvalues : array of shape (m,)
    n_show : int
        Draw the ``n_show`` smallest.
    max_clusters : int, optional
        Passed to :func:`lessons_src.spectral.eigengap` (default: every gap drawn).

    Returns
    -------
    ax : Axes
    """
    values = np.sort(np.asarray(eigenvalues, dtype=float))[:n_show]
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.8))
    k = spectral.eigengap(values, max_clusters)
    drawn = np.where(np.abs(values) <= spectral.ZERO_TOL, 0.0, values)
    positions = np.arange(1, len(values) + 1)
    ax.plot(positions, drawn, "o", color="0.3", zorder=3)
    ax.vlines(positions, 0, drawn, color="0.6", lw=1)
    top = drawn.max() if drawn.max() > 0 else 1.0
    if k < len(values):
        ax.annotate("", xy=(k + 0.5, drawn[k]), xytext=(k + 0.5, drawn[k - 1]),
                    arrowprops=dict(arrowstyle="<->", color="crimson", lw=1.6))
        words = f"largest gap: after $\\lambda_{{{k}}}$, K = {k}"
    else:   # no jump among the values drawn: all 0
        words = f"all {len(values)} are 0: no gap in view,\nK >= {k}"
    # The words sit in a fixed corner, over the small eigenvalues' empty upper left.
    ax.text(0.03, 0.97, words, color="crimson", transform=ax.transAxes, va="top")
    ax.set_xticks(positions)
    ax.set_xlabel("k (smallest first)")
    ax.set_ylabel("$\\lambda_k$ of $L_{sym}$")
    ax.set_ylim(-0.04 * top, 1.3 * top)
    return ax


def plot_embedding(embedding, labels=None, ax=None):
    """The points in the spectral embedding: coordinates u_2 and u_3, numbered from 1 like the
    eigenvalues (u_1 is constant on a connected graph, so it is skipped); with only two
    columns, u_2 against the point index.

    Returns
    -------
    ax : Axes
    """
    E = np.asarray(embedding, dtype=float)
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4))
    if E.shape[1] >= 3:
        plot_clusters(E[:, 1:3], labels, ax=ax, s=14)
        ax.set_xlabel("$u_2$")
        ax.set_ylabel("$u_3$")
    else:
        column = E[:, min(1, E.shape[1] - 1)]
        plot_clusters(np.c_[np.arange(len(E)), column], labels, ax=ax, s=14)
        ax.set_aspect("auto")
        ax.set_xlabel("point index")
        ax.set_ylabel("$u_2$")
    return ax


class PipelineRun(NamedTuple):
    """One run of spectral clustering on a teaching set (see :func:`spectral_pipeline`).

    Attributes
    ----------
    X : ndarray of shape (n, 2)
    y : ndarray of shape (n,)
        The true groups.
    affinity_matrix : ndarray of shape (n, n)
    eigenvalues : ndarray of shape (N_EIGENVALUES,)
        The smallest eigenvalues of ``L_sym``, ascending.
    embedding : ndarray of shape (n, N_EIGENVALUES)
        ``u_1, u_2, ...``, one column per eigenvalue.
    labels : ndarray of shape (n,)
        The clusters (K-Means on the first ``n_clusters`` columns), named after ``y`` with
        ``plotting.match_labels``.
    n_pieces : int
        Eigenvalues that are 0 (within ``spectral.ZERO_TOL``): the pieces the graph falls into,
        as far as the eigen-solver can tell (N_EIGENVALUES means "at least that many").
    eigengap_k : int
        ``spectral.eigengap(eigenvalues)``.
    ari : float
        Adjusted Rand index of the clusters against ``y``.
    """

    X: np.ndarray
    y: np.ndarray
    affinity_matrix: np.ndarray
    eigenvalues: np.ndarray
    embedding: np.ndarray
    labels: np.ndarray
    n_pieces: int
    eigengap_k: int
    ari: float


def spectral_pipeline(name="moons", affinity="rbf", gamma=30.0, n_neighbors=10, n_clusters=2,
                      random_state=None):
    """The whole method on one teaching set, what :func:`draw_spectral_pipeline` draws.

    Parameters
    ----------
    name : str
        A key of ``lessons_src.datasets.TEACHING_SETS`` ('moons', 'circles', ...).
    affinity : {'rbf', 'nearest_neighbors'}
    gamma : float > 0
    n_neighbors : int (clipped to [1, n])
    n_clusters : int
    random_state : None, int, numpy Generator or RandomState
        Draws the teaching set and the K-Means starts (pass the same int to redraw the same
        data as a slider moves).

    Returns
    -------
    PipelineRun
    """
    X, y = TEACHING_SETS[name](random_state=random_state)
    n_neighbors = int(np.clip(n_neighbors, 1, len(X)))
    A = spectral.affinity_matrix(X, affinity, gamma=gamma, n_neighbors=n_neighbors)
    result = spectral.spectral_embedding(A, N_EIGENVALUES, return_eigenvalues=True)
    with warnings.catch_warnings():
        # A graph in many pieces gives repeated embedding points; K-Means then warns that it
        # found fewer distinct clusters: the figure's title already says the graph is broken.
        warnings.filterwarnings("ignore", category=ConvergenceWarning,
                                message="Number of distinct clusters")
        model = spectral.SpectralClustering(n_clusters, affinity="precomputed",
                                            random_state=random_state).fit(A)
    n_pieces = int(np.sum(np.abs(result.eigenvalues) <= spectral.ZERO_TOL))
    return PipelineRun(X, y, A, result.eigenvalues, result.embedding,
                       match_labels(model.labels_, y), n_pieces,
                       spectral.eigengap(result.eigenvalues),
                       float(adjusted_rand_score(y, model.labels_)))


def draw_spectral_pipeline(name="moons", affinity="rbf", gamma=30.0, n_neighbors=10, n_clusters=2,
                           random_state=None, axes=None):
    """The whole method on one teaching set: graph, eigenvalues, embedding, clusters.

    Four panels, in the order of the steps: the graph (its title counts the pieces, the
    eigenvalues that are 0), the :data:`N_EIGENVALUES` smallest eigenvalues with the eigengap
    (:func:`lessons_src.spectral.eigengap`, the same rule as everywhere), the embedding and
    the clusters, both coloured by the result named after the true groups (the same group has
    the same colour in every figure of the lesson).

    Parameters
    ----------
    name, affinity, gamma, n_neighbors, n_clusters, random_state
        As :func:`spectral_pipeline`.
    axes : sequence of 4 Axes, optional
        Where to draw (default: a new 2 x 2 figure).

    Returns
    -------
    axes : ndarray of 4 Axes
    """
    run = spectral_pipeline(name, affinity, gamma, n_neighbors, n_clusters, random_state)
    if axes is None:
        _, axes = plt.subplots(2, 2, figsize=(10, 8.2))
    axes = np.ravel(axes)
    plot_affinity_graph(run.X, run.affinity_matrix, ax=axes[0])
    setting = (f"gamma = {gamma:.3g}" if affinity == "rbf"
               else f"{int(np.clip(n_neighbors, 1, len(run.X)))} neighbours")
    pieces = f"{run.n_pieces}" if run.n_pieces < N_EIGENVALUES else f">= {run.n_pieces}"
    axes[0].set_title(f"1. graph ({setting}):\n{pieces} piece(s) ($\\lambda = 0$)")
    plot_eigenvalues(run.eigenvalues, ax=axes[1])
    axes[1].set_title("2. smallest Laplacian eigenvalues")
    plot_embedding(run.embedding[:, :3], run.labels, ax=axes[2])
    axes[2].set_title("3. embedding, coloured by the result")
    plot_clusters(run.X, run.labels, ax=axes[3], s=14)
    axes[3].set_title(f"4. K-Means there, K = {n_clusters}:\nARI = {round(run.ari, 2) + 0.0:.2f}")
    for ax in axes[[0, 3]]:
        ax.set_xlabel("")
        ax.set_ylabel("")
    return axes


def spectral_pipeline_controls(values):
    """The rule of :func:`draw_spectral_pipeline`'s slider: which controls do something.

    ``gamma`` is read only by the RBF graph and ``n_neighbors`` only by the k-nearest-neighbours
    graph; the other one is disabled, its tooltip saying why.

    Parameters
    ----------
    values : dict
        The callback's arguments (at least ``affinity``).

    Returns
    -------
    dict : control name -> ``widgets.enabled(...)``
    """
    rbf = values["affinity"] == "rbf"
    return {"gamma": widgets.enabled(rbf, "gamma is the RBF graph's width: the k-NN graph "
                                          "ignores it (choose graph = rbf)"),
            "n_neighbors": widgets.enabled(not rbf, "k is the k-NN graph's number of neighbours: "
                                                    "the RBF graph ignores it "
                                                    "(choose graph = nearest_neighbors)")}


def coins_image(scale=0.15, sigma=2.0):
    """scikit-image's coins, smoothed and downsampled as in scikit-learn's coin example.

    Returns
    -------
    image : ndarray of shape (about 303 * scale, 384 * scale), float in [0, 1]
    """
    from scipy.ndimage import gaussian_filter
    from skimage.transform import rescale

    from ..datasets import load_image

    coins = load_image("coins")[:, :, 0] / 255.0
    # Smoothing first keeps the downsampled image free of aliasing.
    smoothed = gaussian_filter(coins, sigma=sigma)
    return np.clip(rescale(smoothed, scale, mode="reflect", anti_aliasing=False), 0.0, 1.0)


def plot_image_segmentation(image, n_clusters=26, beta=10.0, random_state=None, axes=None):
    """Segment a gray image by spectral clustering of its pixel graph and draw the regions.

    Left, each region's outline on the image; right, the region of each pixel: both in the
    region's colour (``plotting.cluster_colors``), so an outline and its region match.

    Parameters
    ----------
    image : ndarray of shape (H, W) (or RGB, averaged over channels)
        Any encoding ``validation.check_image`` accepts (float in [0, 1], uint8, uint16...).
    n_clusters : int (clipped to [1, H * W])
        Number of regions.
    beta : float > 0
        Edge sharpness of :func:`lessons_src.spectral.image_affinity`.
    random_state : None, int, numpy Generator or RandomState
        Passed to :class:`lessons_src.spectral.SpectralClustering`.
    axes : sequence of 2 Axes, optional

    Returns
    -------
    labels : ndarray of shape (H, W)
    """
    gray = check_image(image).mean(axis=2)
    k = int(np.clip(n_clusters, 1, gray.size))
    A = spectral.image_affinity(gray, beta=beta)
    labels = spectral.SpectralClustering(k, affinity="precomputed",
                                         random_state=random_state).fit_predict(A)
    labels = labels.reshape(gray.shape)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    axes[0].imshow(gray, cmap="gray", vmin=0, vmax=1)
    regions = np.unique(labels)
    for region, color in zip(regions, cluster_colors(regions)):
        axes[0].contour(labels == region, levels=[0.5], colors=[color], linewidths=1.4)
    axes[0].set_title(f"{len(regions)} regions on the image")
    axes[1].imshow(cluster_colors(labels.ravel()).reshape(labels.shape + (3,)))
    axes[1].set_title("region of each pixel")
    for ax in axes:
        ax.set_axis_off()
    return labels
