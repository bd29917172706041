"""One cache style for the whole package: ``functools.lru_cache``, also for array arguments.

Slider callbacks recompute the same expensive things (a K-Means replay, a spectral embedding)
when a slider comes back to a value it has seen. Functions whose arguments are all hashable use
``functools.lru_cache`` directly. Functions that take arrays use :func:`lru_cache_arrays`, which
is ``functools.lru_cache`` with each array argument wrapped in a hashable key (its shape, dtype
and bytes), so two equal arrays share one entry.

Cached results are shared between calls: functions return read-only arrays (or copies), never
arrays a caller could change in the cache; :func:`read_only` marks them.
"""
import functools

import numpy as np

__all__ = ["lru_cache_arrays", "read_only"]


class _ArrayKey:
    """A hashable stand-in for an array: equal when shape, dtype and values are equal."""

    __slots__ = ("array", "_hash")

    def __init__(self, array):
        self.array = np.ascontiguousarray(array)
        self._hash = hash((self.array.shape, self.array.dtype.str, self.array.tobytes()))

    def __hash__(self):
        return self._hash

    def __eq__(self, other):
        return (isinstance(other, _ArrayKey) and self._hash == other._hash
                and self.array.dtype == other.array.dtype
                and np.array_equal(self.array, other.array))


def _wrap(value):
    return _ArrayKey(value) if isinstance(value, np.ndarray) else value


def _unwrap(value):
    return value.array if isinstance(value, _ArrayKey) else value


def lru_cache_arrays(maxsize=32):
    """``functools.lru_cache(maxsize)`` for functions that take NumPy arrays.

    Array arguments (positional or keyword) are keyed by their contents; other arguments must be
    hashable, as for ``lru_cache``. ``cache_clear`` and ``cache_info`` are available on the
    decorated function.
    """
    def decorator(function):
        @functools.lru_cache(maxsize=maxsize)
        def cached(*args, **kwargs):
            return function(*(_unwrap(a) for a in args),
                            **{k: _unwrap(v) for k, v in kwargs.items()})

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            return cached(*(_wrap(a) for a in args), **{k: _wrap(v) for k, v in kwargs.items()})

        wrapper.cache_clear = cached.cache_clear
        wrapper.cache_info = cached.cache_info
        return wrapper

    return decorator


def read_only(*arrays):
    """Mark arrays read-only, in place, and return them: what a cached function hands out, so
    that no caller can change the copy in the cache (``array[0] = 1`` raises ``ValueError``).

    Parameters
    ----------
    *arrays : ndarray
        Each is marked in place (an array that does not own its data is marked too; its base
        is left writeable).

    Returns
    -------
    ndarray for one argument, tuple of ndarray for several
        The same array objects.
    """
    for index, array in enumerate(arrays):
        if not isinstance(array, np.ndarray):
            raise TypeError(f"read_only takes NumPy arrays, got arrays[{index}] of type "
                            f"{type(array).__name__}")
        array.setflags(write=False)
    return arrays[0] if len(arrays) == 1 else arrays
