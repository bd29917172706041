import hashlib
from importlib import resources

import numpy as np
import pytest

from lessons_src import datasets

SHA256 = {
    "cbcl_faces.npz": "cf49164fc53bc83691a57cf58f9841fb555f4dcde228dd1f91f19ae8415f6852",
    "orl_faces.npz": "1a492e98158b6edf5ad2057ad83eab747cd4b783ed68ad409ebf9cd677ac31c8",
}


@pytest.mark.parametrize("filename", sorted(SHA256))
def test_bundled_file_checksum(filename):
    data = resources.files("lessons_src").joinpath("data", filename).read_bytes()
    assert hashlib.sha256(data).hexdigest() == SHA256[filename]


def test_cbcl_faces():
    images = datasets.load_cbcl_faces()
    assert images.shape == (2429, 19, 19) and images.dtype == np.uint8
    assert images.max() > 200 and images.min() < 50
    images[0, 0, 0] ^= 1  # a copy: editing it must not change the next load
    assert not np.array_equal(images, datasets.load_cbcl_faces())


def test_orl_faces():
    images, target = datasets.load_orl_faces()
    assert images.shape == (400, 112, 92) and images.dtype == np.uint8
    assert target.shape == (400,) and set(target) == set(range(40))
    assert np.all(np.bincount(target) == 10)


def test_digits():
    images, target = datasets.load_digits_images()
    assert images.shape == (1797, 8, 8) and target.shape == (1797,)
    assert images.max() == 16


@pytest.mark.parametrize("name", datasets.IMAGE_NAMES)
def test_load_image_is_uint8_rgb(name):
    image = datasets.load_image(name)
    assert image.dtype == np.uint8 and image.ndim == 3 and image.shape[2] == 3


def test_load_image_unknown_name():
    with pytest.raises(ValueError, match="nonexistent"):
        datasets.load_image("nonexistent")


@pytest.mark.parametrize("name", sorted(datasets.TEACHING_SETS))
def test_teaching_sets_are_seeded_and_2d(name):
    X1, y1 = datasets.TEACHING_SETS[name](random_state=0)
    X2, y2 = datasets.TEACHING_SETS[name](random_state=0)
    assert X1.ndim == 2 and X1.shape[1] == 2 and len(X1) == len(y1)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)


def test_outliers_are_far_and_labelled():
    X, y = datasets.make_blobs_with_outliers_2d(n_outliers=4, outlier_distance=30, random_state=0)
    assert np.sum(y == -1) == 4
    centre = X[y >= 0].mean(axis=0)
    assert np.all(np.linalg.norm(X[y == -1] - centre, axis=1) > 25)


def test_unequal_sizes():
    _, y = datasets.make_unequal_2d(random_state=0)
    assert sorted(np.bincount(y)) == [20, 60, 300]


@pytest.mark.parametrize("bad", [0, -3, 2.5, "10"])
def test_bad_n_samples_is_a_clear_error(bad):
    with pytest.raises((ValueError, TypeError), match="n_samples"):
        datasets.make_blobs_2d(n_samples=bad, random_state=0)


def test_numpy_integers_accepted():
    X, y = datasets.make_blobs_2d(n_samples=np.int64(50), n_clusters=np.uint8(4))
    assert X.shape == (50, 2) and len(set(y)) == 4


def test_face_subset_follows_random_state():
    from lessons_src.datasets import load_face_matrix

    everything, shape = load_face_matrix("cbcl")
    same_1, _ = load_face_matrix("cbcl", 40, random_state=3)
    same_2, _ = load_face_matrix("cbcl", 40, random_state=np.random.default_rng(3))
    np.testing.assert_array_equal(same_1, same_2)
    # a subset of the whole set's rows, in their order, read-only like the whole set
    rows = [int(np.flatnonzero((everything == face).all(axis=1))[0]) for face in same_1]
    assert rows == sorted(rows) and len(set(rows)) == 40 and shape == (19, 19)
    assert not same_1.flags.writeable and not everything.flags.writeable
    # None: a fresh subset each call (two equal draws of 40 of 2429 faces: never in practice)
    assert not np.array_equal(load_face_matrix("cbcl", 40)[0], load_face_matrix("cbcl", 40)[0])
    assert not np.array_equal(same_1, load_face_matrix("cbcl", 40, random_state=4)[0])
    with pytest.raises(TypeError, match="random_state"):
        load_face_matrix("cbcl", 40, random_state="3")
