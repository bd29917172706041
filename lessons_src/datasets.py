"""Offline data sets for the lessons. Nothing here touches the network.

Face databases (bundled in ``lessons_src/data``, see ``data/CREDITS.md``):

* ``load_cbcl_faces()``: MIT CBCL face database #1, 2429 training faces of 19 x 19 pixels, the
  data of Lee and Seung's NMF paper (Nature 1999, Fig. 1).
  Credit: MIT Center for Biological and Computational Learning.
* ``load_orl_faces()``: the AT&T (ORL) Database of Faces, 40 people x 10 images of 112 x 92.
  Credit: AT&T Laboratories Cambridge (Samaria and Harter 1994).

Shipped with scikit-learn / scikit-image: ``load_digits_images()``, ``load_image(name)``.

2-D teaching sets: ``make_blobs_2d``, ``make_moons_2d``, ``make_circles_2d``,
``make_anisotropic_2d``, ``make_unequal_2d``, ``make_blobs_with_outliers_2d``, ``make_rays_2d``,
``make_near_far_2d``. Each takes ``random_state`` (None, an int, a ``numpy.random.Generator`` or a
``RandomState``; None, the default, draws a fresh set, an int the same set every time: the
package's rule, see :mod:`lessons_src`). The K-Means lessons' fixed 240-point sets, drawn once
with ``random_state=SEED``: ``replay_set(name)``.
"""
from functools import lru_cache
from importlib import resources

import numpy as np
from sklearn import datasets as _skdatasets

from . import SEED
from .nmf import lee_seung_preprocess
from .validation import check_number, check_positive_int, check_random_state, check_real_array

__all__ = [
    "load_cbcl_faces",
    "load_orl_faces",
    "load_digits_images",
    "load_image",
    "IMAGE_NAMES",
    "make_blobs_2d",
    "make_moons_2d",
    "make_circles_2d",
    "make_anisotropic_2d",
    "make_unequal_2d",
    "make_blobs_with_outliers_2d",
    "TEACHING_SETS",
    "make_rays_2d",
    "make_near_far_2d",
    "REPLAY_SETS",
    "replay_set",
    "FACE_SETS",
    "load_face_matrix",
]


@lru_cache(maxsize=None)
def _load_npz(filename):
    with resources.files("lessons_src").joinpath("data", filename).open("rb") as fh:
        with np.load(fh) as archive:
            return {key: archive[key] for key in archive.files}


def load_cbcl_faces():
    """The MIT CBCL face database #1 training faces.

    Returns
    -------
    images : ndarray of shape (2429, 19, 19), dtype uint8
        Gray faces, 0 (black) .. 255 (white), cropped and aligned.

    Credit: MIT Center for Biological and Computational Learning. Lee and Seung (Nature 1999)
    used these faces for their Fig. 1 (VQ vs PCA vs NMF, r = 49).
    """
    return _load_npz("cbcl_faces.npz")["images"].copy()


def load_orl_faces():
    """The AT&T (ORL) Database of Faces: 40 subjects x 10 images.

    Returns
    -------
    images : ndarray of shape (400, 112, 92), dtype uint8
    target : ndarray of shape (400,), dtype int64
        The subject, 0..39.

    Credit: AT&T Laboratories Cambridge (F. Samaria and A. Harter, 1994).
    """
    data = _load_npz("orl_faces.npz")
    return data["images"].copy(), data["target"].astype(np.int64)


def load_digits_images():
    """scikit-learn's handwritten digits as images.

    Returns
    -------
    images : ndarray of shape (1797, 8, 8), dtype float64
        Ink intensity 0..16 (not 0..255).
    target : ndarray of shape (1797,), dtype int64
        The digit, 0..9.
    """
    digits = _skdatasets.load_digits()
    return digits.images.copy(), digits.target.astype(np.int64)


def _sklearn_sample(name):
    return {"china": 0, "flower": 1}[name]


IMAGE_NAMES = (
    "china", "flower",                                  # scikit-learn's sample images
    "astronaut", "coffee", "chelsea", "rocket", "retina", "immunohistochemistry",
    "hubble_deep_field", "colorwheel", "logo",          # scikit-image colour (logo is RGBA)
    "coins", "camera", "brick", "grass", "gravel", "moon", "page", "text", "clock",
    "horse",                                            # scikit-image gray / bool
)
"""Names accepted by ``load_image``."""


def load_image(name):
    """A sample image shipped with scikit-learn or scikit-image, always uint8 RGB.

    Parameters
    ----------
    name : str
        One of ``IMAGE_NAMES``: 'china', 'flower' (scikit-learn), 'astronaut', 'coffee',
        'chelsea', 'rocket', 'retina', 'coins', 'brick', 'grass', 'gravel', ... (scikit-image).

    Returns
    -------
    image : ndarray of shape (H, W, 3), dtype uint8
        Gray sources are repeated on the three channels, RGBA drops alpha, bool becomes 0/255.
    """
    if name not in IMAGE_NAMES:
        raise ValueError(f"name must be one of {IMAGE_NAMES}, got name={name!r}")
    if name in ("china", "flower"):
        image = _skdatasets.load_sample_images().images[_sklearn_sample(name)]
    else:
        import skimage.data

        image = getattr(skimage.data, name)()
    image = np.asarray(image)
    if image.dtype == np.bool_:
        image = image.astype(np.uint8) * 255
    if image.ndim == 2:
        image = np.repeat(image[:, :, None], 3, axis=2)
    if image.shape[2] == 4:
        image = image[:, :, :3]
    return np.ascontiguousarray(image, dtype=np.uint8)


# ----------------------------------------------------------------------------------------------
# 2-D teaching sets: small, seeded, each returning (X, y) with X of shape (n_samples, 2).
# ----------------------------------------------------------------------------------------------

def make_blobs_2d(n_samples=300, n_clusters=3, cluster_std=0.8, random_state=None):
    """Well separated round blobs: the case K-Means is made for.

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
    y : ndarray of shape (n_samples,), the blob of each point, 0..n_clusters-1
    """
    n_samples = check_positive_int(n_samples, "n_samples")
    n_clusters = check_positive_int(n_clusters, "n_clusters", maximum=n_samples)
    cluster_std = check_number(cluster_std, "cluster_std", minimum=0, maximum=1e6)
    # Centres evenly spaced on a circle (randomly turned), far enough apart that neighbouring
    # blobs do not touch: about 5 standard deviations between neighbours.
    rng = check_random_state(random_state)
    angles = rng.uniform(0, 2 * np.pi) + 2 * np.pi * np.arange(n_clusters) / n_clusters
    radius = 0.0 if n_clusters == 1 else 2.5 * cluster_std / np.sin(np.pi / n_clusters)
    centers = radius * np.c_[np.cos(angles), np.sin(angles)]
    X, y = _skdatasets.make_blobs(
        n_samples=n_samples, centers=centers, cluster_std=cluster_std,
        random_state=check_random_state(random_state, for_sklearn=True),
    )
    return X, y


def make_moons_2d(n_samples=300, noise=0.06, random_state=None):
    """Two interleaved half circles: non-convex clusters."""
    n_samples = check_positive_int(n_samples, "n_samples", minimum=2)
    noise = check_number(noise, "noise", minimum=0, maximum=1e6)
    return _skdatasets.make_moons(n_samples=n_samples, noise=noise,
                                  random_state=check_random_state(random_state, for_sklearn=True))


def make_circles_2d(n_samples=300, noise=0.05, factor=0.45, random_state=None):
    """Two concentric rings: one cluster surrounds the other."""
    n_samples = check_positive_int(n_samples, "n_samples", minimum=2)
    noise = check_number(noise, "noise", minimum=0, maximum=1e6)
    factor = check_number(factor, "factor", minimum=0, maximum=1)
    if factor == 1:
        raise ValueError("factor must be < 1 (the inner ring inside the outer one), got factor=1.0")
    return _skdatasets.make_circles(
        n_samples=n_samples, noise=noise, factor=factor,
        random_state=check_random_state(random_state, for_sklearn=True),
    )


def make_anisotropic_2d(n_samples=300, random_state=None):
    """Three blobs stretched and sheared by the same linear map: elongated clusters."""
    X, y = make_blobs_2d(n_samples=n_samples, n_clusters=3, cluster_std=0.8, random_state=random_state)
    transformation = np.array([[0.6, -0.64], [-0.41, 0.85]])
    return X @ transformation, y


def make_unequal_2d(random_state=None):
    """Three blobs of very different sizes (300, 60, 20 points) and spreads (2.0, 0.6, 0.4)."""
    X, y = _skdatasets.make_blobs(
        n_samples=[300, 60, 20], centers=[[-3.0, 0.0], [3.0, 2.5], [3.5, -2.0]],
        cluster_std=[2.0, 0.6, 0.4],
        random_state=check_random_state(random_state, for_sklearn=True),
    )
    return X, y


def make_blobs_with_outliers_2d(n_samples=300, n_outliers=5, outlier_distance=12.0,
                                random_state=None):
    """Three blobs plus a few far outliers (labelled -1) at about ``outlier_distance``."""
    n_outliers = check_positive_int(n_outliers, "n_outliers", minimum=0, maximum=10 ** 6)
    outlier_distance = check_number(outlier_distance, "outlier_distance", minimum=0, maximum=1e6)
    X, y = make_blobs_2d(n_samples=n_samples, n_clusters=3, random_state=random_state)
    rng = check_random_state(random_state)
    angles = rng.uniform(0, 2 * np.pi, n_outliers)
    centre = X.mean(axis=0)
    outliers = centre + outlier_distance * np.c_[np.cos(angles), np.sin(angles)]
    outliers += rng.normal(scale=0.5, size=outliers.shape)
    return np.vstack([X, outliers]), np.concatenate([y, -np.ones(n_outliers, dtype=y.dtype)])


TEACHING_SETS = {
    "blobs": make_blobs_2d,
    "moons": make_moons_2d,
    "circles": make_circles_2d,
    "anisotropic": make_anisotropic_2d,
    "unequal": make_unequal_2d,
    "outliers": make_blobs_with_outliers_2d,
}
"""Name -> function for the 2-D teaching sets: ``TEACHING_SETS[name](random_state=SEED)`` gives
(X, y), the same every time for the same ``random_state``."""


def make_rays_2d(n_per_ray=80, angles=(0.3, 1.3, 2.4), spread=0.08, random_state=None):
    """Points along rays from the origin: groups that differ only by direction.

    Radii are uniform in [0.5, 10] for every ray, so distance from the origin says nothing about
    the group; only the angle does. Cosine K-Means finds the rays, Euclidean K-Means cuts by
    distance.

    Returns
    -------
    X : ndarray of shape (n_per_ray * len(angles), 2)
    y : ndarray of shape (n_per_ray * len(angles),), the ray of each point
    """
    n_per_ray = check_positive_int(n_per_ray, "n_per_ray")
    angles = check_real_array(angles, "angles", ndim=1)
    spread = check_number(spread, "spread", minimum=0, maximum=1e6)
    rng = check_random_state(random_state)
    y = np.repeat(np.arange(len(angles)), n_per_ray)
    theta = angles[y] + rng.normal(scale=spread, size=y.size)
    radius = rng.uniform(0.5, 10.0, size=y.size)
    return radius[:, None] * np.c_[np.cos(theta), np.sin(theta)], y


def make_near_far_2d(n_per_group=80, random_state=None):
    """Three round groups, two of them in the same direction from the origin (one near, one far).

    Euclidean K-Means separates them; cosine K-Means cannot tell near from far.
    """
    n_per_group = check_positive_int(n_per_group, "n_per_group")
    rng = check_random_state(random_state)
    centers = np.array([[2.0, 1.0], [8.0, 4.0], [-1.0, 5.0]])
    y = np.repeat(np.arange(3), n_per_group)
    return centers[y] + rng.normal(scale=0.7, size=(y.size, 2)), y


REPLAY_SETS = {
    "blobs": lambda: make_blobs_2d(n_samples=240, n_clusters=4, cluster_std=0.9, random_state=SEED),
    "anisotropic": lambda: make_anisotropic_2d(n_samples=240, random_state=SEED),
    "unequal": lambda: make_unequal_2d(random_state=SEED),
    "rays": lambda: make_rays_2d(n_per_ray=70, random_state=SEED),
    "moons": lambda: make_moons_2d(n_samples=240, random_state=SEED),
}
"""The K-Means lessons' data sets (240 points each, seeded): name -> function returning (X, y)."""


def replay_set(name):
    """One of :data:`REPLAY_SETS`, computed once and read-only.

    Parameters
    ----------
    name : str
        A key of :data:`REPLAY_SETS`: 'blobs', 'anisotropic', 'unequal', 'rays', 'moons'.

    Returns
    -------
    X : ndarray of shape (n_samples, 2), read-only
    y : ndarray of shape (n_samples,), read-only, the true group of each point
    """
    if not isinstance(name, str) or name not in REPLAY_SETS:
        raise ValueError(f"name must be one of {sorted(REPLAY_SETS)}, got name={name!r}")
    return _replay_set(name)


@lru_cache(maxsize=None)
def _replay_set(name):
    X, y = REPLAY_SETS[name]()
    X.setflags(write=False)
    y.setflags(write=False)
    return X, y


FACE_SETS = ("cbcl", "orl")
"""Face sets of :func:`load_face_matrix`."""


@lru_cache(maxsize=None)
def _face_matrix(name):
    """Every face of a set, preprocessed, read-only (computed once per set)."""
    if name == "cbcl":
        images = load_cbcl_faces().astype(np.float64)
    else:
        images = load_orl_faces()[0].astype(np.float64)
        n, h, w = images.shape
        images = images.reshape(n, h // 2, 2, w // 2, 2).mean(axis=(2, 4))
    X = lee_seung_preprocess(images)
    X.setflags(write=False)
    return X, images.shape[1:]


def load_face_matrix(name="cbcl", n_faces=None, random_state=None):
    """Faces preprocessed as Lee and Seung did (per-image mean and std 0.25, clipped to [0, 1]).

    Parameters
    ----------
    name : {'cbcl', 'orl'}
        CBCL: 2429 faces of 19 x 19. ORL: 400 photos, averaged over 2 x 2 blocks to 56 x 46
        (the parts are as visible and the fits 4 times faster).
    n_faces : int, optional
        Keep a random subset of this many faces, in their order in the set (all faces when None).
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState
        Draws the subset (used only with ``n_faces``): None a fresh one, an int the same one
        every time (the lessons pass ``SEED``).

    Returns
    -------
    X : ndarray of shape (n_faces, h*w), read-only, one face per row
    image_shape : (h, w)
    """
    if not isinstance(name, str) or name not in FACE_SETS:
        raise ValueError(f"name must be one of {FACE_SETS}, got name={name!r}")
    X, image_shape = _face_matrix(name)
    if n_faces is not None:
        n_faces = check_positive_int(n_faces, "n_faces", maximum=len(X))
        rng = check_random_state(random_state)
        X = X[np.sort(rng.choice(len(X), n_faces, replace=False))]
        X.setflags(write=False)
    return X, image_shape
