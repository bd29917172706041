import numpy as np
import pytest

from lessons_src import validation as v


@pytest.mark.parametrize("value", [3, np.uint8(3), np.int64(3)])
def test_positive_int_accepts_numpy_integers(value):
    out = v.check_positive_int(value, "k")
    assert out == 3 and type(out) is int


@pytest.mark.parametrize("value, exc", [(0, ValueError), (-1, ValueError), (2.0, TypeError),
                                        (True, TypeError), ("3", TypeError)])
def test_positive_int_errors_name_the_argument(value, exc):
    with pytest.raises(exc, match="n_clusters"):
        v.check_positive_int(value, "n_clusters")


def test_n_clusters_larger_than_samples():
    with pytest.raises(ValueError, match="n_clusters.*10"):
        v.check_n_clusters(10, 5)


def test_array_2d_errors():
    with pytest.raises(ValueError, match="2-D"):
        v.check_array_2d(np.zeros(3))
    with pytest.raises(ValueError, match="nan"):
        v.check_array_2d([[1.0, np.nan]])
    with pytest.raises(ValueError, match="inf"):
        v.check_array_2d([[1.0, np.inf]])
    with pytest.raises(ValueError, match="non-negative.*-2"):
        v.check_array_2d([[1.0, -2.0]], allow_negative=False)
    with pytest.raises(ValueError, match="at least"):
        v.check_array_2d(np.zeros((0, 2)))


@pytest.mark.parametrize("image, expected_max", [
    (np.full((4, 5), 255, np.uint8), 1.0),
    (np.full((4, 5, 3), 65535, np.uint16), 1.0),
    (np.ones((4, 5), bool), 1.0),
    (np.full((4, 5, 3), 0.5), 0.5),
    (np.full((4, 5, 3), 127.5), 0.5),
    (np.full((4, 5, 4), 255, np.uint8), 1.0),
])
def test_check_image_kinds(image, expected_max):
    out = v.check_image(image)
    assert out.ndim == 3 and out.shape[2] in (1, 3) and out.max() == pytest.approx(expected_max)


@pytest.mark.parametrize("image, match", [
    (np.zeros((4, 5, 2)), "shape"),
    (np.zeros((0, 5, 3)), "empty"),
    (np.full((4, 5), -1.0), "range"),
    (np.full((4, 5), np.nan), "NaN"),
    (np.zeros((4, 5), np.int8), "dtype"),
])
def test_check_image_refusals(image, match):
    with pytest.raises((ValueError, TypeError), match=match):
        v.check_image(image)


def test_check_image_stack():
    stack = v.check_image_stack(np.zeros((3, 4, 5), np.uint8))
    assert stack.shape == (3, 4, 5)
    stack = v.check_image_stack(np.zeros((3, 4, 5, 4), np.uint8))
    assert stack.shape == (3, 4, 5, 3)
    with pytest.raises(ValueError, match="shape"):
        v.check_image_stack(np.zeros((4, 5)))


@pytest.mark.parametrize("images", [
    np.concatenate([np.full((3, 4, 5), 0.5), np.full((2, 4, 5), 200.0)]),   # float 0..255
    np.arange(5 * 4 * 5 * 4, dtype=np.uint8).reshape(5, 4, 5, 4),          # uint8 RGBA
    np.ones((5, 4, 5, 1), dtype=bool),
], ids=["float 0..255 decided over the whole stack", "uint8 RGBA", "bool (n, h, w, 1)"])
def test_image_stack_chunks_are_check_image_stack_in_pieces(images):
    """Two images a chunk; the first chunk's floats are <= 1 but the stack's are not, so they
    are divided by 255 too."""
    whole = v.check_image_stack(images)
    shape, chunks = v.image_stack_chunks(images, max_pixels=40)
    chunks = list(chunks)
    assert shape == whole.shape
    assert [start for start, _ in chunks] == [0, 2, 4]
    np.testing.assert_array_equal(np.concatenate([chunk for _, chunk in chunks]), whole)


def test_image_stack_chunks_check_the_whole_stack_at_once():
    images = np.zeros((4, 3, 3))
    images[3, 0, 0] = np.nan                 # in the last chunk: refused before any chunk
    with pytest.raises(ValueError, match="images contains NaN"):
        v.image_stack_chunks(images, max_pixels=9)
    with pytest.raises(ValueError, match=r"shape \(n, h, w\)"):
        v.image_stack_chunks(np.zeros((4, 5)))
    with pytest.raises(ValueError, match="max_pixels"):
        v.image_stack_chunks(images[:3], max_pixels=0)


def test_random_state():
    a = v.check_random_state(np.int64(3)).random(3)
    b = v.check_random_state(3).random(3)
    np.testing.assert_array_equal(a, b)
    with pytest.raises(TypeError, match="random_state"):
        v.check_random_state("seed")
