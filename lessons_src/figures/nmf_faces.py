"""Figures and slider callbacks of lesson 06 (NMF vs VQ vs PCA on faces).

Fits made with an int ``random_state`` are cached in memory (``functools.lru_cache``), so a
slider that comes back to a value it has seen redraws at once. Cached arrays are made read-only:
copy before editing.
Every drawing function takes ``ax=None`` / ``axes=None``, returns what it drew, and never calls
``plt.show()``.
"""
import time
from functools import lru_cache

import matplotlib.pyplot as plt
import numpy as np
from sklearn.cluster import KMeans

from ..caching import read_only
from ..datasets import load_face_matrix
from ..nmf import NMF, initialize, run_updates, sparsity, update_euclidean
from ..plotting import basis_montage, show_images
from ..validation import check_positive_int, check_random_state

__all__ = [
    "METHOD_STYLE",
    "fit_vq_pca_nmf",
    "plot_basis",
    "plot_weighted_sum",
    "plot_basis_montages",
    "plot_face_encodings",
    "basis_images_used",
    "plot_sparsity",
    "draw_decompositions",
    "compare_inits",
    "plot_init_comparison",
    "zero_lock_report",
    "plot_zero_lock",
]

METHOD_STYLE = {
    # name: (colour map, symmetric around 0?, one-line description)
    "VQ": ("gray", False, "K-Means centres: whole-face prototypes"),
    "PCA": ("RdBu_r", True, "eigenfaces: signed, holistic"),
    "NMF": ("gray", False, "non-negative parts"),
}
"""How each method's basis images are drawn."""


def fit_vq_pca_nmf(name="cbcl", n_components=49, n_faces=None, max_iter=200, random_state=None):
    """Fit the three factorisations X ≈ W H of Lee and Seung's Fig. 1 with r basis images.

    VQ: K-Means centres (scikit-learn, n_init=1); each encoding is one-hot.
    PCA: the SVD of X itself (not centred, so that X ≈ W H holds with no mean term, as in the
    paper): basis = top right singular vectors, encodings = U S, signs free.
    NMF: :class:`lessons_src.nmf.NMF`, Euclidean loss, init 'nndsvda', ``max_iter`` steps.

    Parameters
    ----------
    name : {'cbcl', 'orl'}
    n_components : int
        r, the number of basis images of each method.
    n_faces : int, optional
        The first ``n_faces`` faces (default all).
    max_iter : int
        NMF iterations.
    random_state : None, int, numpy Generator or RandomState
        For K-Means and NMF's initialisation. With an int the fits are cached in memory (a
        slider that comes back to a value redraws at once); None or a generator fits afresh.

    Returns
    -------
    fits : dict name -> dict with 'basis' (r, n_pixels), 'encodings' (n_faces, r) and
        'seconds' (fit time); plus 'X' and 'image_shape'. Arrays are read-only.
    """
    random_state = check_random_state(random_state, for_sklearn=True)
    if isinstance(random_state, int):
        return _cached_fits(name, n_components, n_faces, max_iter, random_state)
    return _fits(name, n_components, n_faces, max_iter, random_state)


def _fits(name, n_components, n_faces, max_iter, random_state):
    X, image_shape = load_face_matrix(name, n_faces, random_state=random_state)
    r = check_positive_int(n_components, "n_components", maximum=min(X.shape))  # the lecture's r
    fits = {"X": X, "image_shape": image_shape}

    start = time.perf_counter()
    kmeans = KMeans(n_clusters=r, n_init=1, random_state=random_state).fit(X)
    one_hot = np.zeros((len(X), r))
    one_hot[np.arange(len(X)), kmeans.labels_] = 1.0
    fits["VQ"] = {"basis": kmeans.cluster_centers_, "encodings": one_hot,
                  "seconds": time.perf_counter() - start}

    start = time.perf_counter()
    U, S, Vt = np.linalg.svd(X, full_matrices=False)
    # Fix each component's sign so the largest |pixel| is positive (the SVD's sign is arbitrary).
    signs = np.sign(Vt[np.arange(r), np.argmax(np.abs(Vt[:r]), axis=1)])
    fits["PCA"] = {"basis": Vt[:r] * signs[:, None], "encodings": U[:, :r] * S[:r] * signs,
                   "seconds": time.perf_counter() - start}

    start = time.perf_counter()
    model = NMF(r, loss="euclidean", init="nndsvda", max_iter=max_iter, tol=0,
                random_state=random_state)
    encodings = model.fit_transform(X)
    fits["NMF"] = {"basis": model.components_, "encodings": encodings,
                   "seconds": time.perf_counter() - start, "loss_history": model.loss_history_}
    for method in ("VQ", "PCA", "NMF"):
        read_only(*(v for v in fits[method].values() if isinstance(v, np.ndarray)))
    return fits


_cached_fits = lru_cache(maxsize=16)(_fits)


def plot_basis(basis, image_shape, method, ax=None, title=None):
    """Draw basis images (rows of ``basis``, shape (r, n_pixels)) as one montage, in the colour
    map of ``method`` (a key of :data:`METHOD_STYLE`). Returns the ``AxesImage``."""
    if ax is None:
        _, ax = plt.subplots(figsize=(4.6, 4.6))
    cmap, symmetric, _ = METHOD_STYLE[method]
    montage, _, _ = basis_montage(basis, image_shape)
    if symmetric:
        image = ax.imshow(montage, cmap=cmap, vmin=-1, vmax=1)
    else:
        image = ax.imshow(montage, cmap=cmap, vmin=0, vmax=1)
    ax.set_axis_off()
    ax.set_title(title or method)
    return image


def plot_weighted_sum(basis, encoding, face, image_shape, n_terms=5, axes=None):
    """V ≈ W H for one face: the face, then its ``n_terms`` largest terms h_k · (basis image k),
    then the full reconstruction Σ_k h_k · basis_k.

    Parameters
    ----------
    basis : ndarray of shape (r, n_pixels), non-negative
    encoding : ndarray of shape (r,)
    face : ndarray of shape (n_pixels,)
    image_shape : (h, w)
    n_terms : int

    Returns
    -------
    axes : ndarray of Axes (n_terms + 2)
    """
    basis = np.asarray(basis, dtype=float)
    encoding = np.asarray(encoding, dtype=float)
    n_terms = check_positive_int(n_terms, "n_terms", maximum=len(encoding))
    order = np.argsort(encoding)[::-1][:n_terms]
    if axes is None:
        _, axes = plt.subplots(1, n_terms + 2, figsize=(1.6 * (n_terms + 2), 2.2))
    axes = np.ravel(axes)
    reconstruction = encoding @ basis
    top = max(face.max(), reconstruction.max())
    axes[0].imshow(face.reshape(image_shape), cmap="gray", vmin=0, vmax=top)
    axes[0].set_title("face $v_j$")
    for ax, k in zip(axes[1:], order):
        term = basis[k] / (basis[k].max() or 1.0)
        ax.imshow(term.reshape(image_shape), cmap="gray", vmin=0, vmax=1)
        ax.set_title(f"{encoding[k]:.2f} $w_{{{k}}}$")
    axes[-1].imshow(reconstruction.reshape(image_shape), cmap="gray", vmin=0, vmax=top)
    axes[-1].set_title(f"= W $h_j$ (all {len(encoding)})")
    for ax in axes:
        ax.set_axis_off()
    return axes


def plot_basis_montages(fits, axes=None, suptitle=None, figsize=(11, 4.1)):
    """VQ, PCA and NMF basis images as three montages side by side (Lee and Seung's Fig. 1).

    Returns
    -------
    axes : ndarray of 3 Axes
    """
    if axes is None:
        fig, axes = plt.subplots(1, 3, figsize=figsize)
        if suptitle:
            fig.suptitle(suptitle)
    r = len(fits["NMF"]["basis"])
    for ax, method in zip(axes, ("VQ", "PCA", "NMF")):
        plot_basis(fits[method]["basis"], fits["image_shape"], method, ax=ax,
                   title=f"{method} (r = {r})\n{METHOD_STYLE[method][2]}")
    return np.asarray(axes)


def _encoding_grid(encoding):
    r = len(encoding)
    n_cols = int(np.ceil(np.sqrt(r)))
    grid = np.full(n_cols * int(np.ceil(r / n_cols)), np.nan)
    grid[:r] = encoding
    return grid.reshape(-1, n_cols)


def plot_face_encodings(fits, face_index, axes=None):
    """One face under each method: its encoding h_j (as a grid, one cell per basis image, in the
    montage's order) and its reconstruction W h_j.

    Returns
    -------
    axes : ndarray of shape (3, 3): rows VQ, PCA, NMF; columns face, encoding, reconstruction
    """
    X, image_shape = fits["X"], fits["image_shape"]
    face_index = check_positive_int(face_index, "face_index", minimum=0, maximum=len(X) - 1)
    if axes is None:
        _, axes = plt.subplots(3, 3, figsize=(8.4, 7.6))
    axes = np.asarray(axes).reshape(3, 3)
    face = X[face_index]
    for row, method in zip(axes, ("VQ", "PCA", "NMF")):
        encoding = fits[method]["encodings"][face_index]
        reconstruction = encoding @ fits[method]["basis"]
        row[0].imshow(face.reshape(image_shape), cmap="gray", vmin=0, vmax=1)
        row[0].set_title(f"face {face_index}")
        row[0].set_ylabel(method)
        bound = np.abs(encoding).max() or 1.0
        if method == "PCA":
            image = row[1].imshow(_encoding_grid(encoding), cmap="RdBu_r", vmin=-bound, vmax=bound)
        else:
            image = row[1].imshow(_encoding_grid(encoding), cmap="gray_r", vmin=0, vmax=bound)
        plt.colorbar(image, ax=row[1], fraction=0.046, pad=0.04)
        n_nonzero = int(np.sum(np.abs(encoding) > 1e-3 * bound))
        row[1].set_title(f"h: {n_nonzero} of {len(encoding)} used")
        error = np.sqrt(np.mean((reconstruction - face) ** 2))
        row[2].imshow(reconstruction.reshape(image_shape), cmap="gray", vmin=0, vmax=1)
        row[2].set_title(f"W h, RMS {error:.3f}")
        for ax in row:
            ax.set_xticks([])
            ax.set_yticks([])
    return axes


def basis_images_used(encodings, fraction=0.01):
    """How many basis images each face really uses: the entries of its encoding with
    |h_k| > ``fraction`` × its largest |h|.

    Parameters
    ----------
    encodings : ndarray of shape (n_faces, r), or (r,) for one face
    fraction : float in [0, 1)

    Returns
    -------
    counts : ndarray of int, shape (n_faces,) (shape (1,) for one face)
    """
    encodings = np.abs(np.atleast_2d(np.asarray(encodings, dtype=float)))
    return np.sum(encodings > fraction * encodings.max(axis=1, keepdims=True), axis=1)


def plot_sparsity(fits, axes=None, threshold=1e-3):
    """How sparse each method is: the fraction of (near-)zero entries of the basis images and
    of the encodings (|value| <= threshold x the largest), and a histogram over faces of how many
    basis images each face uses (|h_k| above 1% of its largest).

    Returns
    -------
    axes : ndarray of 2 Axes
    """
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    methods = ("VQ", "PCA", "NMF")
    basis_sparsity = [sparsity(fits[m]["basis"], threshold) for m in methods]
    encoding_sparsity = [np.mean([sparsity(h, threshold) for h in fits[m]["encodings"]])
                         for m in methods]
    x = np.arange(3)
    axes[0].bar(x - 0.2, basis_sparsity, 0.4, label="basis images W", color="#4c72b0")
    axes[0].bar(x + 0.2, encoding_sparsity, 0.4, label="encodings H", color="#dd8452")
    axes[0].set_xticks(x, methods)
    axes[0].set_ylim(0, 1.05)
    axes[0].set_ylabel("fraction of (near-)zero entries")
    axes[0].legend(loc="upper right")
    axes[0].set_title("sparsity")
    # How many basis images each face really uses: |h_k| above 1% of the face's largest.
    r = fits["NMF"]["basis"].shape[0]
    bins = np.arange(0.5, r + 1.5)
    for k, method in enumerate(methods):
        used = basis_images_used(fits[method]["encodings"])
        axes[1].hist(used, bins=bins, alpha=0.75, color=f"C{k}",
                     label=f"{method} (median {int(np.median(used))})")
    axes[1].set_xlabel("basis images used by a face (|h| > 1% of its largest)")
    axes[1].set_ylabel("faces")
    axes[1].set_title("how many basis images a face uses")
    axes[1].legend()
    return np.asarray(axes)


def draw_decompositions(side=7, face_index=0, dataset="cbcl", n_faces=None, max_iter=200,
                        random_state=None):
    """Slider function: side x side basis images (n_components = side²) for VQ, PCA and NMF, and
    one face's reconstructions and NMF encoding.

    Parameters
    ----------
    side : int in [1, 9]
    face_index : int
        Clipped to the faces available.
    dataset, n_faces, max_iter, random_state : see :func:`fit_vq_pca_nmf` (an int
        ``random_state`` makes every value of the slider a cached fit).

    Returns
    -------
    fig : Figure
    """
    side = check_positive_int(side, "side", minimum=1, maximum=9)
    fits = fit_vq_pca_nmf(dataset, side ** 2, n_faces, max_iter, random_state)
    face_index = min(max(int(face_index), 0), len(fits["X"]) - 1)
    fig = plt.figure(figsize=(11, 6.6))
    top, bottom = fig.subfigures(2, 1, height_ratios=[1.5, 1])
    plot_basis_montages(fits, axes=top.subplots(1, 3))
    axes = bottom.subplots(1, 7, width_ratios=[1, 0.1, 1, 1, 0.1, 1, 1])
    for ax in axes[[1, 4]]:
        ax.set_axis_off()
    X, shape = fits["X"], fits["image_shape"]
    axes[0].imshow(X[face_index].reshape(shape), cmap="gray", vmin=0, vmax=1)
    axes[0].set_title(f"face {face_index}")
    axes[0].set_axis_off()
    # Reconstructions in the lower row, one per method.
    for ax, method in zip(axes[[2, 3, 5]], ("VQ", "PCA", "NMF")):
        reconstruction = fits[method]["encodings"][face_index] @ fits[method]["basis"]
        ax.imshow(reconstruction.reshape(shape), cmap="gray", vmin=0, vmax=1)
        error = np.sqrt(np.mean((reconstruction - X[face_index]) ** 2))
        ax.set_title(f"{method} W h\nRMS {error:.3f}")
        ax.set_axis_off()
    encoding = fits["NMF"]["encodings"][face_index]
    axes[6].imshow(_encoding_grid(encoding), cmap="gray_r", vmin=0, vmax=encoding.max() or 1)
    axes[6].set_title("NMF h")
    axes[6].set_xticks([])
    axes[6].set_yticks([])
    return fig


# ----------------------------------------------------------------------------------------------
# scikit-learn's initialisations compared (lesson 06)
# ----------------------------------------------------------------------------------------------

def _custom_init(X, n_components, random_state):
    """'custom' example: H = K-Means centres (whole faces), W = sqrt(mean / r) everywhere."""
    centers = KMeans(n_clusters=n_components, n_init=1,
                     random_state=random_state).fit(X).cluster_centers_
    return np.full((len(X), n_components), np.sqrt(X.mean() / n_components)), np.maximum(centers, 0.0)


def compare_inits(X, n_components, max_iter=100, random_state=None):
    """Run the Euclidean multiplicative updates from each of scikit-learn's five initialisations.

    The four named inits come from :func:`lessons_src.nmf.initialize` (identical to
    scikit-learn's); 'custom' starts from K-Means centres as the basis. Each run is
    :func:`lessons_src.nmf.run_updates` with :func:`lessons_src.nmf.update_euclidean`.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), non-negative
    n_components : int
    max_iter : int
        Multiplicative steps from each start.
    random_state : None, int, numpy Generator or RandomState

    Returns
    -------
    results : dict init -> dict with 'history' (loss per iteration, the first entry the loss of
        the initialisation), 'loss', 'sparsity_W', 'sparsity_H', 'seconds', 'W0', 'H0', 'W', 'H'.
        W and H are scikit-learn's (X ≈ W H, one face per row of X): W (n_samples, r) holds the
        encodings and H (r, n_features) the basis images as rows, the transposes of the
        lecture's H and W.
    """
    X = np.asarray(X, dtype=float)
    random_state = check_random_state(random_state, for_sklearn=True)
    results = {}
    for init in ("random", "nndsvd", "nndsvda", "nndsvdar", "custom"):
        start = time.perf_counter()
        if init == "custom":
            W0, H0 = _custom_init(X, n_components, random_state)
        else:
            W0, H0 = initialize(X, n_components, init, random_state=random_state)
        run = run_updates(update_euclidean, X, W0, H0, max_iter)
        seconds = time.perf_counter() - start
        results[init] = {
            "history": run.losses, "loss": run.losses[-1],
            "sparsity_W": sparsity(run.W), "sparsity_H": sparsity(run.H), "seconds": seconds,
            "W0": W0, "H0": H0, "W": run.W, "H": run.H,
        }
    return results


def plot_init_comparison(results, axes=None):
    """Loss curves (log scale) and the final sparsity of W and H for each initialisation.

    Returns
    -------
    axes : ndarray of 2 Axes
    """
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(11, 3.8), width_ratios=[1.4, 1])
    names = list(results)
    for k, name in enumerate(names):
        history = results[name]["history"]
        axes[0].plot(np.arange(len(history)), history, label=name, color=f"C{k}",
                     linestyle="--" if name == "nndsvd" else "-")
    axes[0].set_yscale("log")
    axes[0].set_xlabel("iteration (0 = the initialisation)")
    axes[0].set_ylabel("½‖X − WH‖²")
    axes[0].set_title("loss from each init (same updates)")
    axes[0].legend()
    x = np.arange(len(names))
    # scikit-learn's orientation (X: one face per row): its W holds the encodings, its H the
    # basis images; the lecture's V = Xᵀ has them transposed (basis = W's columns).
    axes[1].bar(x - 0.2, [results[n]["sparsity_W"] for n in names], 0.4,
                label="encodings (sklearn W = Hᵀ)")
    axes[1].bar(x + 0.2, [results[n]["sparsity_H"] for n in names], 0.4,
                label="basis (sklearn H = Wᵀ)")
    axes[1].set_xticks(x, names, rotation=20)
    axes[1].set_ylim(0, 1)
    axes[1].set_ylabel("fraction of exact zeros")
    axes[1].set_title("sparsity after the last iteration")
    axes[1].legend(loc="upper right")
    return np.asarray(axes)


def zero_lock_report(result, X=None):
    """Count the zeros of an init and where they are after the updates.

    Parameters
    ----------
    result : dict
        One entry of :func:`compare_inits` (keys 'W0', 'H0', 'W', 'H').
    X : ndarray of shape (n_samples, n_features), optional
        The data of the run. With it, the report also counts the locked zeros at which the loss
        still goes *down* if the entry grows (∂D/∂w < 0 at w = 0): the end point is then not a
        stationary point of the constrained problem (the KKT conditions ask ∂D/∂w >= 0 wherever
        w = 0), however flat the loss curve.

    Returns
    -------
    report : dict with 'zeros_start', 'zeros_end', 'still_zero' (start zeros still exactly 0),
        'new_zeros' (entries that became exactly 0), over W and H together; with X also
        'locked_descent' (still-zero entries with a negative derivative)
    """
    start = np.r_[result["W0"].ravel(), result["H0"].ravel()] == 0
    end = np.r_[result["W"].ravel(), result["H"].ravel()] == 0
    report = {"zeros_start": int(start.sum()), "zeros_end": int(end.sum()),
              "still_zero": int((start & end).sum()), "new_zeros": int((end & ~start).sum())}
    if X is not None:
        W, H = result["W"], result["H"]
        residual = W @ H - np.asarray(X, dtype=float)
        # ∂D/∂W = (WH − X) Hᵀ and ∂D/∂H = Wᵀ (WH − X), for D = ½‖X − WH‖².
        gradient = np.r_[(residual @ H.T).ravel(), (W.T @ residual).ravel()]
        report["locked_descent"] = int(np.sum(start & end & (gradient < 0)))
    return report


def plot_zero_lock(results, image_shape, n_images=12, axes=None):
    """The zero lock, seen on the basis images: nndsvd's basis (the rows of scikit-learn's H,
    ``results['nndsvd']['H0']`` and ``['H']``) at the start and after the updates, then the
    pixels that are exactly 0 at the start (white) and at the end.

    Returns
    -------
    axes : ndarray of shape (4, n_images)
    """
    if axes is None:
        _, axes = plt.subplots(4, n_images, figsize=(0.95 * n_images, 4.4))
    rows = [("start", results["nndsvd"]["H0"]),
            ("end", results["nndsvd"]["H"]),
            ("0 at start", (results["nndsvd"]["H0"] == 0).astype(float)),
            ("0 at end", (results["nndsvd"]["H"] == 0).astype(float))]
    for row_axes, (label, basis) in zip(axes, rows):
        show_images(basis[:n_images], image_shape=image_shape, axes=row_axes, cmap="gray")
        for ax, image in zip(row_axes, basis[:n_images]):
            ax.images[0].set_clim(0, image.max() or 1.0)
        row_axes[0].set_axis_on()
        row_axes[0].set_xticks([])
        row_axes[0].set_yticks([])
        row_axes[0].set_ylabel(label)
    return axes
