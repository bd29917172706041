"""lessons_src.caching.read_only: what a cached function hands out cannot be changed."""
import numpy as np
import pytest

from lessons_src.caching import read_only


def test_read_only_marks_in_place_and_returns_the_same_objects():
    a, b = np.zeros(3), np.ones((2, 2))
    assert read_only(a) is a                      # one array: the array
    pair = read_only(a, b)                        # several: a tuple, in order
    assert pair[0] is a and pair[1] is b
    for array in (a, b):
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 5.0
    view = np.arange(6.0)
    read_only(view[::2])
    view[0] = 1.0                                 # the base of a marked view stays writeable
    assert view[0] == 1.0


def test_read_only_refuses_what_is_not_an_array():
    with pytest.raises(TypeError, match=r"arrays\[1\] of type list"):
        read_only(np.zeros(2), [1.0, 2.0])
