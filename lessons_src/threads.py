"""The thread policy of the collection, in one place.

Two rules, both applied through `threadpoolctl <https://github.com/joblib/threadpoolctl>`_:

1. **A lesson's kernel runs every BLAS and OpenMP library on one thread.** The preamble calls
   :func:`limit_lesson_threads` once. The lessons' data are small (hundreds to thousands of
   rows): there, starting threads costs more than it saves, and on a shared two-core machine
   OpenBLAS's spinning threads can make one small matrix product 50 times slower. A printed
   result then also never depends on how many cores the machine has.
2. **The estimators** (``KMeans.fit``, ``NMF.fit``...) wrap their work in :func:`for_problem_size`:
   one BLAS thread for small inputs, whatever the caller allows for large ones (at least
   :data:`LARGE_PROBLEM_SIZE` numbers), where the products are big enough for threads to pay.
   scikit-learn's own K-Means does the same.
"""
from contextlib import nullcontext

__all__ = ["LARGE_PROBLEM_SIZE", "limit_lesson_threads", "for_problem_size"]

LARGE_PROBLEM_SIZE = 500_000
"""Inputs with at least this many numbers run with the caller's BLAS threads (e.g. 20 000 x 50)."""

_CONTROLLER = None


def _controller():
    # Building a ThreadpoolController inspects every loaded library: do it once, on first use.
    global _CONTROLLER
    if _CONTROLLER is None:
        from threadpoolctl import ThreadpoolController

        _CONTROLLER = ThreadpoolController()
    return _CONTROLLER


def limit_lesson_threads():
    """Limit every BLAS and OpenMP library of this process to one thread (rule 1).

    Returns threadpoolctl's limiter; ``.restore_original_limits()`` undoes it.
    """
    return _controller().limit(limits=1)


def for_problem_size(n_entries):
    """A context manager for rule 2: one BLAS thread for fewer than :data:`LARGE_PROBLEM_SIZE`
    numbers, the caller's setting otherwise.

    Parameters
    ----------
    n_entries : int
        Size of the problem, e.g. ``X.size``.
    """
    if n_entries >= LARGE_PROBLEM_SIZE:
        return nullcontext()
    return _controller().limit(limits=1, user_api="blas")
