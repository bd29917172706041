"""One way to time and to weigh code, for the lessons, their figures and the benchmarks.

``median_seconds(fn)`` is the median wall time of repeated calls after a warm-up call: medians
of repeats, so that timing curves do not zig-zag with the machine's load. ``peak_bytes(fn)`` is
the peak memory that Python and NumPy allocate while ``fn`` runs (``tracemalloc``).
In a notebook cell, IPython's ``%timeit -o`` does the first job for one statement.
"""
import statistics
import time
import tracemalloc

from .validation import check_positive_int

__all__ = ["median_seconds", "peak_bytes"]


def median_seconds(fn, repeat=5, warmup=True, max_seconds=None):
    """Median wall time of ``fn()``, in seconds.

    Parameters
    ----------
    fn : callable with no arguments
    repeat : int >= 1
        Timed calls.
    warmup : bool
        Make one untimed call first (imports, caches and page faults are not what is measured).
    max_seconds : float, optional
        Stop repeating once the timed calls have taken this long in total (a slow ``fn`` is then
        timed fewer times, at least once).

    Returns
    -------
    seconds : float
    """
    repeat = check_positive_int(repeat, "repeat")
    if warmup:
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
        if max_seconds is not None and sum(times) >= max_seconds:
            break
    return statistics.median(times)


def peak_bytes(fn):
    """Peak memory allocated through Python and NumPy while ``fn()`` runs, in bytes.

    Returns
    -------
    peak : int
    """
    already_tracing = tracemalloc.is_tracing()
    if not already_tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        if not already_tracing:
            tracemalloc.stop()
