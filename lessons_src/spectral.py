"""Spectral clustering (谱聚类), written from scratch for teaching.

Four steps (Shi and Malik 2000; Ng, Jordan and Weiss 2001; von Luxburg 2007):

1. **Affinity graph** (相似度图): a weight ``A[i, j] >= 0`` per pair of points, large when they
   are close: ``exp(-gamma ||x_i - x_j||^2)`` ('rbf') or 1/2 per k-nearest-neighbour relation
   ('nearest_neighbors').
2. **Graph Laplacian** (拉普拉斯矩阵): ``L = D - A`` with D the diagonal of degrees
   ``d_i = sum_j A[i, j]``, or normalised ``L_sym = I - D^-1/2 A D^-1/2``. Its eigenvalues lie in
   [0, 2]; each connected component of the graph adds one eigenvalue 0, so K well separated
   groups give K eigenvalues near 0 and then a jump: the **eigengap** (特征间隙) tells K.
3. **Spectral embedding** (谱嵌入): the eigenvectors x of the K smallest eigenvalues of
   ``L_sym``, rescaled to ``u = D^-1/2 x``, give each point K new coordinates in which the
   groups become compact blobs.
4. **K-Means** in the embedding: its labels are the clusters.

Like scikit-learn, self-loops (the diagonal of A) are ignored by the Laplacian, and the
embedding keeps the first (nearly constant) eigenvector: ``sklearn.cluster.SpectralClustering``
with the same parameters gives the same clusters.

Cost: the affinity matrix is n x n (O(n^2) memory, dense here); a dense eigen-solver takes
O(n^3) time. For images the graph is sparse (4 neighbours per pixel) and ARPACK's shift-invert
Lanczos finds the few smallest eigenvectors quickly.
"""
import numbers
from typing import NamedTuple

import numpy as np
import scipy.linalg
from scipy import sparse
from scipy.sparse.linalg import eigsh
from sklearn.base import BaseEstimator, ClusterMixin

from . import threads
from .hierarchical import _power_of_two_scale
from .validation import (check_array_2d, check_image, check_n_clusters, check_positive_int,
                         check_random_state)

__all__ = [
    "AFFINITIES",
    "affinity_matrix",
    "image_affinity",
    "laplacian",
    "Embedding",
    "spectral_embedding",
    "eigengap",
    "ZERO_TOL",
    "SpectralClustering",
]

ZERO_TOL = 1e-10
"""Eigenvalues of the Laplacian within this of 0 count as 0: a graph in c pieces has c zero
eigenvalues, which a dense eigen-solver returns as values of about 1e-15 (see :func:`eigengap`)."""

AFFINITIES = ("rbf", "nearest_neighbors", "precomputed")
"""Accepted values of ``SpectralClustering(affinity=...)`` (``affinity_matrix`` takes the
first two)."""


def _squared_distances(X):
    sq = np.einsum("ij,ij->i", X, X)
    d2 = sq[:, None] - 2.0 * X @ X.T + sq[None, :]
    np.fill_diagonal(d2, 0.0)
    return np.maximum(d2, 0.0)


def _scaled_squared_distances(X):
    """``(d2, scale)`` with ``d2 * scale ** 2`` the squared distances between the rows of X:
    ``d2`` is computed on ``X / scale``, scale a power of two near max |X|, so it neither
    overflows (1e300 ** 2) nor underflows, and is exactly the unscaled result otherwise."""
    scale = _power_of_two_scale(X)
    return _squared_distances(X / scale), scale


def affinity_matrix(X, affinity="rbf", gamma=1.0, n_neighbors=10):
    """The weighted graph between the points.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    affinity : {'rbf', 'nearest_neighbors'}
        'rbf': ``A[i, j] = exp(-gamma ||x_i - x_j||^2)`` (1 on the diagonal), a complete graph.
        'nearest_neighbors': ``C[i, j] = 1`` when j is one of the ``n_neighbors`` nearest points
        of i (i itself counts as its own nearest), and ``A = (C + C.T) / 2``: 1 for mutual
        neighbours, 1/2 for one-way ones, 0 otherwise.
    gamma : float > 0
        Inverse squared length scale of 'rbf' (in 1 / units of X squared).
    n_neighbors : int in [1, n_samples]
        Neighbours per point for 'nearest_neighbors'.

    Returns
    -------
    A : ndarray of shape (n_samples, n_samples)
        Symmetric, non-negative.
    """
    X = check_array_2d(X)
    if affinity == "rbf":
        if isinstance(gamma, (bool, np.bool_)) or not isinstance(gamma, numbers.Real) \
                or not gamma > 0 or not np.isfinite(gamma):
            raise ValueError(f"gamma must be a positive finite number, got gamma={gamma!r}")
        d2, scale = _scaled_squared_distances(X)
        with np.errstate(over="ignore"):     # an overflow to inf is a weight exp(-inf) = 0
            exponent = float(gamma) * d2 * scale * scale
        return np.exp(-exponent)
    if affinity == "nearest_neighbors":
        n = X.shape[0]
        k = check_positive_int(n_neighbors, "n_neighbors")
        if k > n:
            raise ValueError(f"n_neighbors must be <= n_samples={n} (a point counts as its own "
                             f"nearest neighbour), got n_neighbors={k}")
        d2 = _scaled_squared_distances(X)[0]  # the order of the distances, whatever the scale
        np.fill_diagonal(d2, -1.0)           # each point is its own nearest neighbour
        nearest = np.argpartition(d2, k - 1, axis=1)[:, :k]
        C = np.zeros((n, n))
        C[np.repeat(np.arange(n), k), nearest.ravel()] = 1.0
        return 0.5 * (C + C.T)
    raise ValueError(f"affinity must be 'rbf' or 'nearest_neighbors', got affinity={affinity!r}")


def image_affinity(image, beta=10.0, eps=1e-6):
    """The pixel graph of a gray image: each pixel linked to its 4 neighbours.

    As in scikit-learn's coin-segmentation example, an edge across an intensity step ``g``
    weighs ``exp(-beta g / std(g)) + eps``: strong inside flat regions, weak across edges.

    Parameters
    ----------
    image : ndarray of shape (H, W) (or RGB, converted to its mean over channels)
    beta : float > 0
        How sharply weights fall with the step (larger: segments follow edges more closely).
    eps : float >= 0
        Keeps the graph connected.

    Returns
    -------
    A : scipy.sparse.csr_matrix of shape (H * W, H * W)
        Pixel ``(r, c)`` is node ``r * W + c``; symmetric, empty diagonal.
    """
    gray = check_image(image).mean(axis=2)
    for value, name, low in ((beta, "beta", "positive"), (eps, "eps", "non-negative")):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
            raise TypeError(f"{name} must be a real number, got {name}={value!r}")
        if not np.isfinite(value) or not (value > 0 if low == "positive" else value >= 0):
            raise ValueError(f"{name} must be {low} and finite, got {name}={value!r}")
    height, width = gray.shape
    index = np.arange(height * width).reshape(height, width)
    # Horizontal then vertical neighbour pairs and the intensity step across each.
    pairs_from = np.concatenate([index[:, :-1].ravel(), index[:-1, :].ravel()])
    pairs_to = np.concatenate([index[:, 1:].ravel(), index[1:, :].ravel()])
    steps = np.concatenate([np.abs(np.diff(gray, axis=1)).ravel(),
                            np.abs(np.diff(gray, axis=0)).ravel()])
    scale = steps.std() or 1.0               # a flat image: every weight is 1 + eps
    weights = np.exp(-beta * steps / scale) + eps
    n = height * width
    A = sparse.coo_matrix((np.concatenate([weights, weights]),
                           (np.concatenate([pairs_from, pairs_to]),
                            np.concatenate([pairs_to, pairs_from]))), shape=(n, n))
    return A.tocsr()


def _check_affinity_input(A, name="A"):
    """A as a float matrix (dense, or sparse CSR), after checking that it is a graph: square,
    real, finite, non-negative and symmetric (to 1e-10 of its largest weight)."""
    dtype = A.dtype if sparse.issparse(A) else np.asarray(A).dtype
    if dtype.kind == "c":
        raise ValueError(f"{name} holds complex numbers (dtype {dtype}): an affinity matrix is "
                         f"real")
    if dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a numeric matrix, got dtype {dtype}")
    if sparse.issparse(A):
        A = sparse.csr_matrix(A, dtype=float)
        values = A.data
    else:
        A = np.asarray(A, dtype=float)
        values = A
    if A.ndim != 2 or A.shape[0] != A.shape[1] or A.shape[0] == 0:
        raise ValueError(f"{name} must be a square matrix, got shape {A.shape}")
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        raise ValueError(f"{name} must be finite and non-negative")
    asymmetry = abs(A - A.T).max() if sparse.issparse(A) else np.abs(A - A.T).max()
    if asymmetry > 1e-10 * (values.max() if values.size else 0.0):
        raise ValueError(f"{name} must be symmetric (the weights of an undirected graph), got "
                         f"max |{name} - {name}.T| = {asymmetry:.3g}")
    return A


def laplacian(A, normed=True):
    """The graph Laplacian of an affinity matrix (self-loops ignored).

    Parameters
    ----------
    A : ndarray or sparse matrix of shape (n, n)
        Symmetric, non-negative weights.
    normed : bool
        True: ``L_sym = I - D^-1/2 A D^-1/2`` (eigenvalues in [0, 2]); False: ``L = D - A``.
        An isolated node (degree 0) gets a 0 row, as in ``scipy.sparse.csgraph.laplacian``.

    Returns
    -------
    L : ndarray (or sparse matrix, for sparse ``A``) of shape (n, n)
    """
    A = _check_affinity_input(A)
    if sparse.issparse(A):
        A = A - sparse.diags(A.diagonal())       # drop self-loops
        A.eliminate_zeros()
        degree = np.asarray(A.sum(axis=1)).ravel()
        if not normed:
            return (sparse.diags(degree) - A).tocsr()
        inv_sqrt = _inverse_sqrt(degree)
        D_half = sparse.diags(inv_sqrt)
        return (sparse.diags((degree > 0).astype(float)) - D_half @ A @ D_half).tocsr()
    A = A.copy()
    np.fill_diagonal(A, 0.0)
    degree = A.sum(axis=1)
    if not normed:
        return np.diag(degree) - A
    inv_sqrt = _inverse_sqrt(degree)
    return np.diag((degree > 0).astype(float)) - inv_sqrt[:, None] * A * inv_sqrt[None, :]


def _inverse_sqrt(degree):
    out = np.zeros_like(degree)
    positive = degree > 0
    out[positive] = 1.0 / np.sqrt(degree[positive])
    return out


def _sign_flip(vectors):
    """Make the largest-magnitude entry of each column positive (scikit-learn's convention), so
    the embedding does not depend on the eigen-solver's arbitrary signs."""
    biggest = np.argmax(np.abs(vectors), axis=0)
    signs = np.sign(vectors[biggest, np.arange(vectors.shape[1])])
    signs[signs == 0] = 1.0
    return vectors * signs


class Embedding(NamedTuple):
    """What :func:`spectral_embedding` returns with ``return_eigenvalues=True``.

    Attributes
    ----------
    embedding : ndarray of shape (n, n_components)
        The new coordinates of the points.
    eigenvalues : ndarray of shape (n_components,), ascending
        The smallest eigenvalues of ``L_sym``, one per column of ``embedding``.
    """

    embedding: np.ndarray
    eigenvalues: np.ndarray


def spectral_embedding(A, n_components, return_eigenvalues=False, random_state=None):
    """New coordinates from the eigenvectors of the smallest eigenvalues of ``L_sym``.

    Parameters
    ----------
    A : ndarray or sparse matrix of shape (n, n)
        Affinity matrix (symmetric, non-negative, connected for a meaningful result).
    n_components : int in [1, n]
        Coordinates per point (for spectral clustering: the number of clusters).
    return_eigenvalues : bool
        Return an :class:`Embedding`, the coordinates with the ``n_components`` smallest
        eigenvalues of ``L_sym``.
    random_state : None, int, numpy Generator or RandomState
        Draws ARPACK's start vector (sparse ``A`` only; the dense solver draws nothing), as in
        ``sklearn.manifold.spectral_embedding``. The eigenvectors do not depend on it beyond
        the solver's tolerance.

    Returns
    -------
    embedding : ndarray of shape (n, n_components)
        Column k is ``D^-1/2 x_k`` for the k-th eigenvector ``x_k`` (the first is nearly
        constant), signs fixed so each column's largest-magnitude entry is positive.
        With ``return_eigenvalues=True``, an :class:`Embedding` holding it and the eigenvalues.

    Notes
    -----
    Dense ``A``: ``scipy.linalg.eigh`` on the n x n matrix, O(n^3). Sparse ``A``: ARPACK in
    shift-invert mode near 0 (like scikit-learn), fast on sparse graphs such as pixel grids.
    """
    A = _check_affinity_input(A)
    n = A.shape[0]
    k = check_positive_int(n_components, "n_components", maximum=n)
    rng = check_random_state(random_state)    # checked on both paths, drawn from on ARPACK's
    L = laplacian(A, normed=True)
    if sparse.issparse(L) and k >= n - 1:   # ARPACK needs k < n - 1: small graphs go dense
        L = L.toarray()
    off_diagonal = A - sparse.diags(A.diagonal()) if sparse.issparse(A) else A - np.diag(np.diag(A))
    degree = np.asarray(off_diagonal.sum(axis=1)).ravel()
    if sparse.issparse(L):
        # Shift-invert around a small negative sigma finds the eigenvalues nearest 0 quickly
        # (sigma = 0 exactly would factorise a singular matrix).
        start = rng.uniform(-1.0, 1.0, n)
        eigenvalues, vectors = eigsh(L.tocsc(), k=k, sigma=-1e-5, which="LM", v0=start)
        order = np.argsort(eigenvalues)
        eigenvalues, vectors = eigenvalues[order], vectors[:, order]
    else:
        eigenvalues, vectors = scipy.linalg.eigh(L, subset_by_index=[0, k - 1])
    embedding = _sign_flip(vectors * _inverse_sqrt(degree)[:, None])
    if return_eigenvalues:
        return Embedding(embedding, eigenvalues)
    return embedding


def eigengap(eigenvalues, max_clusters=None):
    """The eigengap rule (特征间隙): K = the number of eigenvalues before the largest jump.

    Sort the given eigenvalues, ``lambda_1 <= ... <= lambda_m``, and return the K in
    1..``max_clusters`` with the largest jump ``lambda_{K+1} - lambda_K``. Eigenvalues within
    :data:`ZERO_TOL` of 0 count as exactly 0: the rounding noise between the zero eigenvalues
    of a graph in pieces is no gap. When there is no jump at all (the first
    ``max_clusters + 1`` eigenvalues are equal, in practice all 0: the graph has at least that
    many pieces), the gap lies beyond the eigenvalues given, and ``max_clusters + 1`` is
    returned as a lower bound.

    This is the one rule of the package: the lesson's figures, its slider and the exercise's
    reference all call this function.

    Parameters
    ----------
    eigenvalues : array of shape (m,), m >= 2
        The smallest eigenvalues of the Laplacian, finite (sorted here).
    max_clusters : int in [1, m - 1], optional
        Consider K = 1 .. max_clusters (default m - 1: every gap between the values given).

    Returns
    -------
    K : int
        In 1..max_clusters, or max_clusters + 1 when there is no jump.
    """
    values = np.asarray(eigenvalues)
    if values.dtype.kind not in "biuf":
        raise TypeError(f"eigenvalues must be real numbers, got dtype {values.dtype}")
    if values.ndim != 1:
        raise ValueError(f"eigenvalues must be 1-D, got shape {values.shape}")
    values = np.sort(values.astype(float))
    if values.size < 2:
        raise ValueError(f"eigenvalues needs at least 2 values, got {values.size}")
    if not np.all(np.isfinite(values)):
        raise ValueError(f"eigenvalues must be finite, got {float(values[~np.isfinite(values)][0])} "
                         f"among them")
    limit = values.size - 1 if max_clusters is None else check_positive_int(
        max_clusters, "max_clusters", maximum=values.size - 1)
    values = np.where(np.abs(values) <= ZERO_TOL, 0.0, values)
    gaps = np.diff(values)[:limit]           # gaps[K - 1] = lambda_{K+1} - lambda_K
    if not gaps.max() > 0:
        return limit + 1
    return int(np.argmax(gaps)) + 1


class SpectralClustering(ClusterMixin, BaseEstimator):
    """Spectral clustering: affinity graph -> Laplacian eigenvectors -> K-Means.

    Parameters
    ----------
    n_clusters : int, default=8
        Number of clusters K (numpy integers accepted, converted with ``int``).
    affinity : {'rbf', 'nearest_neighbors', 'precomputed'}
        How to build the graph from X (see :func:`affinity_matrix`); 'precomputed': ``fit`` is
        given the affinity matrix itself (dense or sparse), e.g. from :func:`image_affinity`.
    gamma : float
        Width parameter of 'rbf'.
    n_neighbors : int
        Neighbours per point of 'nearest_neighbors'.
    random_state : None, int, numpy Generator or RandomState
        Draws ARPACK's start vector (sparse graphs) and the K-Means step's starts
        (``sklearn.cluster.KMeans(n_init=10)``). None: fresh randomness.

    Attributes
    ----------
    affinity_matrix_ : ndarray or sparse matrix of shape (n_samples, n_samples)
    embedding_ : ndarray of shape (n_samples, n_clusters)
        The spectral embedding the K-Means ran on.
    eigenvalues_ : ndarray of shape (n_clusters,)
        The smallest eigenvalues of the normalised Laplacian.
    labels_ : ndarray of shape (n_samples,)
    n_features_in_ : int
        Columns of X seen in ``fit`` (n_samples for 'precomputed').
    """

    def __init__(self, n_clusters=8, affinity="rbf", gamma=1.0, n_neighbors=10, random_state=None):
        self.n_clusters = n_clusters
        self.affinity = affinity
        self.gamma = gamma
        self.n_neighbors = n_neighbors
        self.random_state = random_state

    def __sklearn_tags__(self):
        # With affinity='precomputed', X is an n x n graph, not samples x features.
        tags = super().__sklearn_tags__()
        tags.input_tags.pairwise = self.affinity == "precomputed"
        return tags

    def fit(self, X, y=None):
        """Cluster X (or, with affinity='precomputed', the graph X). Returns self."""
        from sklearn.cluster import KMeans

        if self.affinity not in AFFINITIES:
            raise ValueError(f"affinity must be one of {AFFINITIES}, got affinity={self.affinity!r}")
        if self.affinity == "precomputed":
            A = _check_affinity_input(X, name="X")
        else:
            A = affinity_matrix(X, self.affinity, gamma=self.gamma, n_neighbors=self.n_neighbors)
        n = A.shape[0]
        # int(): a numpy uint8 here once corrupted memory inside scikit-learn/ARPACK.
        k = check_n_clusters(self.n_clusters, n)
        self.affinity_matrix_ = A
        self.n_features_in_ = A.shape[1] if self.affinity == "precomputed" else np.shape(X)[1]
        # The eigen-solver works on the graph: its stored weights are the problem's size.
        with threads.for_problem_size(A.nnz if sparse.issparse(A) else A.size):
            result = spectral_embedding(A, k, return_eigenvalues=True,
                                        random_state=self.random_state)
            self.embedding_, self.eigenvalues_ = result.embedding, result.eigenvalues
            kmeans = KMeans(n_clusters=k, n_init=10,
                            random_state=check_random_state(self.random_state, for_sklearn=True))
            self.labels_ = kmeans.fit_predict(self.embedding_)
        return self

    def fit_predict(self, X, y=None):
        """Fit and return ``labels_``, shape (n_samples,)."""
        return self.fit(X).labels_

    def __repr__(self):
        return (f"SpectralClustering(n_clusters={self.n_clusters!r}, affinity={self.affinity!r}, "
                f"gamma={self.gamma!r}, n_neighbors={self.n_neighbors!r}, "
                f"random_state={self.random_state!r})")
