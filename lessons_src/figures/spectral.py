"""Figures and slider callbacks of lesson 04 (spectral clustering).

Every function draws one whole figure (or into given axes) for one set of values and returns
what it drew; the lesson's sliders call them, and the tests call them at the slider extremes.
"""
import warnings

import matplotlib.pyplot as plt
import numpy as np
from scipy.sparse.csgraph import connected_components
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import adjusted_rand_score

from .. import spectral
from ..datasets import TEACHING_SETS
from ..plotting import CLUSTER_COLORS, plot_clusters

__all__ = [
    "plot_affinity_graph",
    "plot_affinity_matrix",
    "plot_eigenvalues",
    "plot_embedding",
    "draw_spectral_pipeline",
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


def plot_eigenvalues(eigenvalues, ax=None, n_show=10, max_clusters=None):
    """The smallest eigenvalues of the normalised Laplacian, with the largest gap marked.

    ``max_clusters`` limits the K the eigengap may choose (see :func:`spectral.eigengap`).

    Returns
    -------
    ax : Axes
    """
    values = np.sort(np.asarray(eigenvalues, dtype=float))[:n_show]
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 3.5))
    k = spectral.eigengap(values, max_clusters)
    positions = np.arange(1, len(values) + 1)
    ax.plot(positions, values, "o", color="0.3", zorder=3)
    ax.vlines(positions, 0, values, color="0.6", lw=1)
    ax.annotate("", xy=(k + 0.5, values[k]), xytext=(k + 0.5, values[k - 1]),
                arrowprops=dict(arrowstyle="<->", color="crimson", lw=1.6))
    # The label sits in a fixed corner: a tiny gap would bury it among the points.
    ax.text(0.04, 0.92, f"largest gap after {k} eigenvalue{'s' if k > 1 else ''}: K = {k}",
            color="crimson", transform=ax.transAxes, fontsize=10, va="top")
    ax.set_xticks(positions)
    ax.set_xlabel("index (smallest first)")
    ax.set_ylabel("eigenvalue of $L_{sym}$")
    ax.set_ylim(-0.03, max(values.max() * 1.1, 0.1))
    return ax


def plot_embedding(embedding, labels=None, ax=None):
    """The points in the spectral embedding: coordinates u_1 and u_2 (u_0 is constant on a
    connected graph, so it is skipped); with only two columns, u_1 against the point index.

    Returns
    -------
    ax : Axes
    """
    E = np.asarray(embedding, dtype=float)
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4))
    if E.shape[1] >= 3:
        plot_clusters(E[:, 1:3], labels, ax=ax, s=14)
        ax.set_xlabel("$u_1$")
        ax.set_ylabel("$u_2$")
    else:
        column = E[:, min(1, E.shape[1] - 1)]
        plot_clusters(np.c_[np.arange(len(E)), column], labels, ax=ax, s=14)
        ax.set_aspect("auto")
        ax.set_xlabel("point index")
        ax.set_ylabel("$u_1$")
    return ax


def draw_spectral_pipeline(name="moons", affinity="rbf", gamma=30.0, n_neighbors=10, n_clusters=2,
                           random_state=None, axes=None):
    """The whole method on one teaching set: graph, eigenvalues, embedding, clusters.

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
    axes : sequence of 4 Axes, optional
        Where to draw (default: a new figure).

    Returns
    -------
    axes : ndarray of 4 Axes
    """
    X, y = TEACHING_SETS[name](random_state=random_state)
    n = len(X)
    n_neighbors = int(np.clip(n_neighbors, 1, n))
    A = spectral.affinity_matrix(X, affinity, gamma=gamma, n_neighbors=n_neighbors)
    n_parts = connected_components(A, directed=False)[0]
    if axes is None:
        _, axes = plt.subplots(1, 4, figsize=(15, 3.9))
    axes = np.asarray(axes)
    plot_affinity_graph(X, A, ax=axes[0])
    setting = f"gamma = {gamma:.3g}" if affinity == "rbf" else f"{n_neighbors} neighbours"
    axes[0].set_title(f"graph ({setting}): {n_parts} component(s)", fontsize=10)
    # The eigenvalues and the embedding are drawn for 10 and 3 components whatever K.
    result = spectral.spectral_embedding(A, 10, return_eigenvalues=True)
    # The gap is searched among K = 1..5: further out, small gaps between crowded eigenvalues
    # of a noisy graph say nothing about the groups.
    plot_eigenvalues(result.eigenvalues, ax=axes[1], max_clusters=5)
    axes[1].set_title("smallest Laplacian eigenvalues", fontsize=10)
    with warnings.catch_warnings():
        # A graph in many pieces gives repeated embedding points; K-Means then warns that it
        # found fewer distinct clusters: the title already says the graph is broken.
        warnings.filterwarnings("ignore", category=ConvergenceWarning,
                                message="Number of distinct clusters")
        model = spectral.SpectralClustering(n_clusters, affinity=affinity, gamma=gamma,
                                            n_neighbors=n_neighbors, random_state=random_state).fit(X)
    plot_embedding(result.embedding[:, :3], model.labels_, ax=axes[2])
    axes[2].set_title("embedding, coloured by the result", fontsize=10)
    plot_clusters(X, model.labels_, ax=axes[3], s=14)
    axes[3].set_title(f"spectral clustering: ARI = {adjusted_rand_score(y, model.labels_):.2f}",
                      fontsize=10)
    for ax in axes[[0, 3]]:
        ax.set_xlabel("")
        ax.set_ylabel("")
    return axes


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

    Parameters
    ----------
    image : ndarray of shape (H, W), values in [0, 1]
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
    image = np.asarray(image, dtype=float)
    k = int(np.clip(n_clusters, 1, image.size))
    A = spectral.image_affinity(image, beta=beta)
    labels = spectral.SpectralClustering(k, affinity="precomputed",
                                         random_state=random_state).fit_predict(A)
    labels = labels.reshape(image.shape)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    axes[0].imshow(image, cmap="gray")
    for region in range(k):
        axes[0].contour(labels == region, levels=[0.5], colors=[CLUSTER_COLORS[region % 10]],
                        linewidths=1.2)
    axes[0].set_title(f"{k} regions on the image")
    axes[1].imshow(labels, cmap="tab20", interpolation="nearest")
    axes[1].set_title("region of each pixel")
    for ax in axes:
        ax.set_axis_off()
    return labels
