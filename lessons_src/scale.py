"""K-Means at scale: data too big for one pass per centre, or for memory, or for one machine.

Helpers of lesson 10, in three groups:

* **the data**: ``noisy_copies_block`` makes block i of a large, seeded data set (copies of small
  base features, e.g. the 1797 digits, plus Gaussian noise). The same block function feeds the
  file written for out-of-core reading (``write_noisy_copies``, read back chunk by chunk with
  ``iter_row_chunks``) and the Dask array (``noisy_copies_dask``), so both hold the same rows.
* **out-of-core pieces**: ``chunked_inertia`` (one streaming pass: sum of squared distances to
  the nearest centre, chunk by chunk), ``match_centers`` (pair two sets of K centres).
* **counting passes**: ``counted_dask_array`` wraps an array so that every chunk read is counted
  (``ChunkReadCounter``); with Dask's in-process synchronous scheduler this measures how many
  times an algorithm reads the whole data.

Dask (with distributed and dask-ml) is a core dependency; nothing here imports it at module
level, so the in-memory helpers load fast.
"""
import numbers
import operator
import os

import numpy as np
from scipy.optimize import linear_sum_assignment

from .hierarchical import _power_of_two_scale
from .kmeans import squared_distances
from .validation import check_array_2d, check_number, check_positive_int, check_random_state

__all__ = [
    "noisy_copies_block",
    "write_noisy_copies",
    "iter_row_chunks",
    "noisy_copies_dask",
    "chunked_inertia",
    "match_centers",
    "ChunkReadCounter",
    "counted_dask_array",
]


def _check_noise(noise):
    return check_number(noise, "noise", minimum=0)


def _check_dtype(dtype):
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise ValueError(f"dtype must be numpy.float64 or numpy.float32, got {dtype!r}") from None
    if dtype not in (np.float64, np.float32):
        raise ValueError(f"dtype must be numpy.float64 or numpy.float32, got {dtype}")
    return dtype


def _data_seed(random_state):
    """The integer behind every block's noise: ``random_state`` itself when it is an int (a block
    can then be made again anywhere, in any order), otherwise one number drawn from it."""
    rng = check_random_state(random_state)  # checks its type and range
    if isinstance(random_state, numbers.Integral):
        return operator.index(random_state)
    return int(rng.integers(2 ** 32))


def noisy_copies_block(base, block_index, copies_per_block, noise, random_state=None,
                       dtype=np.float64):
    """Block ``block_index`` of the large data set: copies of ``base`` plus Gaussian noise.

    With an int ``random_state``, the noise of block i comes from
    ``numpy.random.default_rng([random_state, i])``, so a block is the same whoever computes it,
    in whatever order (a Dask worker, a file writer, a test).

    Parameters
    ----------
    base : ndarray of shape (n_base, n_features)
        The small data set that is replicated (e.g. digit pixels scaled to [0, 1]).
    block_index : int >= 0
    copies_per_block : int >= 1
    noise : float >= 0
        Standard deviation of the added noise, in the units of ``base``.
    random_state : None, int, numpy Generator or RandomState
        An int names the data set: the same int gives the same blocks.
    dtype : numpy.float64 (default) or numpy.float32
        The block is always made in float64 (so both dtypes hold the same rows, float32 rounded);
        float32 halves the memory a large data set takes, at the cost of speed in scikit-learn
        (it computes float32 distances in small float64 batches).

    Returns
    -------
    block : ndarray of shape (copies_per_block * n_base, n_features), of ``dtype``
    """
    base = check_array_2d(base, "base")
    block_index = check_positive_int(block_index, "block_index", minimum=0)
    copies_per_block = check_positive_int(copies_per_block, "copies_per_block")
    noise = _check_noise(noise)
    dtype = _check_dtype(dtype)
    rng = np.random.default_rng([_data_seed(random_state), block_index])
    # One array of the block's size, filled in place (no tiled copy, no noise array beside it):
    # a Dask worker making several blocks at once then holds little more than the blocks.
    block = rng.standard_normal((copies_per_block * base.shape[0], base.shape[1]))
    block *= noise
    block.reshape(copies_per_block, *base.shape)[...] += base  # the same sum as tile(base) + noise
    return block if dtype == np.float64 else block.astype(dtype)


def write_noisy_copies(path, base, n_blocks, copies_per_block, noise, random_state=None):
    """Write ``n_blocks`` blocks of :func:`noisy_copies_block` to a ``.npy`` file, one at a time.

    Memory stays bounded by one block: the file is a memory map filled block by block. With the
    same int ``random_state`` the file holds the rows of :func:`noisy_copies_dask`.

    Returns
    -------
    shape : tuple (n_rows, n_features) of the array written (float64)
    """
    n_blocks = check_positive_int(n_blocks, "n_blocks")
    copies_per_block = check_positive_int(copies_per_block, "copies_per_block")
    base = check_array_2d(base, "base")
    rows_per_block = copies_per_block * base.shape[0]
    shape = (n_blocks * rows_per_block, base.shape[1])
    data_seed = _data_seed(random_state)
    out = np.lib.format.open_memmap(os.fspath(path), mode="w+", dtype=np.float64, shape=shape)
    for i in range(n_blocks):
        out[i * rows_per_block:(i + 1) * rows_per_block] = noisy_copies_block(
            base, i, copies_per_block, noise, data_seed)
    out.flush()
    del out  # closes the memory map
    return shape


def iter_row_chunks(path, chunk_rows):
    """Read a 2-D ``.npy`` file ``chunk_rows`` rows at a time (an out-of-core data stream).

    The file is memory-mapped; each chunk is copied into an ordinary array, so at most one chunk
    is held in memory by this reader.

    Yields
    ------
    chunk : ndarray of shape (<= chunk_rows, n_features)
    """
    chunk_rows = check_positive_int(chunk_rows, "chunk_rows")
    data = np.load(os.fspath(path), mmap_mode="r")
    if data.ndim != 2:
        raise ValueError(f"path must hold a 2-D array, got shape {data.shape} in {path!r}")
    for start in range(0, data.shape[0], chunk_rows):
        yield np.array(data[start:start + chunk_rows])


def _block_from_id(base, copies_per_block, noise, data_seed, block_dtype, block_id=None):
    return noisy_copies_block(base, block_id[0], copies_per_block, noise, data_seed, block_dtype)


def noisy_copies_dask(base, n_blocks, copies_per_block, noise, random_state=None,
                      dtype=np.float64):
    """The same data as :func:`write_noisy_copies`, as a lazy Dask array, one chunk per block.

    Each chunk is made where it is computed (on a worker), so nothing large leaves the client.
    With the same int ``random_state`` it holds the rows of :func:`write_noisy_copies` (rounded
    to float32 if ``dtype`` is float32: half the memory on the workers).

    Returns
    -------
    X : dask.array.Array of shape (n_blocks * copies_per_block * n_base, n_features), of ``dtype``
    """
    import dask.array as da
    from dask.base import tokenize

    n_blocks = check_positive_int(n_blocks, "n_blocks")
    copies_per_block = check_positive_int(copies_per_block, "copies_per_block")
    base = check_array_2d(base, "base")
    noise = _check_noise(noise)
    dtype = _check_dtype(dtype)
    rows_per_block = copies_per_block * base.shape[0]
    data_seed = _data_seed(random_state)
    return da.map_blocks(
        _block_from_id, base=base, copies_per_block=copies_per_block, noise=noise,
        data_seed=data_seed, block_dtype=dtype, dtype=dtype,
        chunks=((rows_per_block,) * n_blocks, (base.shape[1],)),
        meta=np.empty((0, base.shape[1]), dtype=dtype),
        name="noisy-copies-" + tokenize(base, n_blocks, copies_per_block, noise, data_seed,
                                        dtype.str),
    )


def chunked_inertia(chunks, centers, squared=True):
    """Sum of squared distances from every row to its nearest centre, one chunk at a time.

    Parameters
    ----------
    chunks : iterable of ndarray of shape (n_rows_i, n_features), or a dask array
        For a dask array the sum is computed block by block by the active Dask scheduler.
    centers : ndarray of shape (n_clusters, n_features)
    squared : bool, default=True
        False sums the distances themselves (not squared), which is what dask-ml 2025.1's
        ``inertia_`` holds whenever the last squared shift of its centres exceeds 1e-7 (then it
        recomputes the distances unsquared), e.g. when ``max_iter`` stops Lloyd's loop.

    Returns
    -------
    inertia : float
    """
    centers = check_array_2d(centers, "centers")
    if hasattr(chunks, "map_blocks") and hasattr(chunks, "numblocks"):  # a dask array
        from dask.base import tokenize

        per_block = chunks.map_blocks(
            _block_inertia, centers=centers, squared=bool(squared), drop_axis=1, dtype=np.float64,
            chunks=((1,) * chunks.numblocks[0],), name="block-inertia-" + tokenize(
                chunks.name, centers, bool(squared)))
        return float(per_block.sum().compute())
    if isinstance(chunks, np.ndarray):
        chunks = [chunks]
    if not hasattr(chunks, "__iter__") or isinstance(chunks, (str, bytes)):
        raise TypeError(f"chunks must be an iterable of 2-D arrays or a dask array, got {chunks!r}")
    return float(sum(_block_inertia(chunk, centers, squared)[0] for chunk in chunks))


_ROWS_PER_STEP = 16_384
"""Rows of a chunk scored at once by :func:`chunked_inertia`: its temporaries (a float64 copy
of the rows, their distances to every centre) stay a few MB whatever the chunk's size."""


def _block_inertia(block, centers, squared=True):
    if not isinstance(block, np.ndarray) or block.ndim != 2 or len(block) == 0:
        block = check_array_2d(block, "a block of chunks")  # small, or refused with a clear error
    if block.shape[1] != centers.shape[1]:
        raise ValueError(f"chunk has {block.shape[1]} features, centers have {centers.shape[1]}")
    total = 0.0
    for start in range(0, len(block), _ROWS_PER_STEP):
        rows = check_array_2d(block[start:start + _ROWS_PER_STEP], "a block of chunks")
        nearest = squared_distances(rows, centers).min(axis=1)  # clipped at 0 (rounding)
        total += nearest.sum() if squared else np.sqrt(nearest).sum()
    return np.array([total])


def match_centers(reference, other):
    """Pair the centres of two K-Means runs (cluster numbers are arbitrary).

    Parameters
    ----------
    reference, other : ndarray of shape (n_clusters, n_features)

    Returns
    -------
    order : ndarray of shape (n_clusters,)
        ``other[order[k]]`` is the centre paired with ``reference[k]`` (the pairing with the
        smallest total squared distance, Hungarian algorithm).
    distances : ndarray of shape (n_clusters,)
        Euclidean distance between each pair.
    """
    reference = check_array_2d(reference, "reference")
    other = check_array_2d(other, "other")
    if reference.shape != other.shape:
        raise ValueError(f"reference and other must have the same shape, got {reference.shape} "
                         f"and {other.shape}")
    # Huge or tiny centres (1e300, 1e-300): pair them in units of a power of two near their
    # largest magnitude (exact scaling, same pairing), so that the squares neither overflow nor
    # underflow, and give the distances back in the caller's units.
    unit = _power_of_two_scale(np.concatenate([reference, other]))
    cost = np.maximum(squared_distances(reference / unit, other / unit), 0.0)
    rows, order = linear_sum_assignment(cost)
    distances = np.sqrt(cost[rows, order]) * unit
    if not np.all(np.isfinite(distances)):
        raise ValueError(f"reference and other are too far apart for float64: their distances "
                         f"overflow (largest magnitude {unit:.3g}). Rescale both by a constant")
    return order, distances


MAX_CHUNKS = 10 ** 6
"""The most chunks a :class:`ChunkReadCounter` counts (a million counters: 8 MB)."""


class ChunkReadCounter:
    """How many times each chunk of a :func:`counted_dask_array` was read (at most
    :data:`MAX_CHUNKS` chunks).

    Attributes
    ----------
    reads : ndarray of shape (n_chunks,), int
    """

    def __init__(self, n_chunks):
        self.reads = np.zeros(check_positive_int(n_chunks, "n_chunks", maximum=MAX_CHUNKS),
                              dtype=int)

    @property
    def full_passes(self):
        """Reads of the least-read chunk: how many times *all* the data was read."""
        return int(self.reads.min())

    def reset(self):
        self.reads[:] = 0


def _counted_block(X, counter, chunk_rows, block_id=None):
    i = block_id[0]
    counter.reads[i] += 1
    return X[i * chunk_rows:(i + 1) * chunk_rows]


def counted_dask_array(X, chunk_rows):
    """A Dask array over X whose chunk reads are counted.

    Only meaningful with an in-process scheduler (``dask.config.set(scheduler='synchronous')``):
    the counter lives in this process. Nothing is cached, so every computation that needs a chunk
    reads it again, as it would from disk.

    Returns
    -------
    X_dask : dask.array.Array, chunks of ``chunk_rows`` rows
    counter : ChunkReadCounter
    """
    import dask.array as da

    X = check_array_2d(X)
    chunk_rows = check_positive_int(chunk_rows, "chunk_rows")
    n_rows = X.shape[0]
    sizes = [min(chunk_rows, n_rows - start) for start in range(0, n_rows, chunk_rows)]
    counter = ChunkReadCounter(len(sizes))
    X_dask = da.map_blocks(
        _counted_block, X=X, counter=counter, chunk_rows=chunk_rows,
        chunks=(tuple(sizes), (X.shape[1],)), dtype=X.dtype,
        meta=np.empty((0, X.shape[1]), dtype=X.dtype), name=f"counted-{id(counter)}",
    )
    return X_dask, counter
