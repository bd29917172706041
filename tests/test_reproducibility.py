"""Printed results do not depend on the number of BLAS/OpenMP threads.

A lesson's kernel runs on one thread (the preamble calls ``threads.limit_lesson_threads``), so
this is where two threads are tried: each key algorithm runs under ``threadpool_limits(1)`` and
``threadpool_limits(2)``, and what a lesson would print (rounded as the lessons round it) and the
labels must agree exactly.

"Two threads" has to be true inside the run, not only around it: the package's own policy would
limit these small inputs to one thread (``threads.for_problem_size`` below
``threads.LARGE_PROBLEM_SIZE``), which made this test compare one thread with one. So the policy's
threshold is set to 0 here, and every BLAS and OpenMP library is checked (``threadpool_info``) to
have the requested number of threads at the start and end of the run and after every thread limit
that anything sets during it; a limit to one thread inside the package fails the test and says
where it was set. (OpenBLAS still runs a product on one thread when m x n x k is below about
262 000, whatever its limit: a row meant to exercise threads needs a product above that.)
"""
import contextlib
import sys

import numpy as np
import pytest
import threadpoolctl
from threadpoolctl import threadpool_info, threadpool_limits

from lessons_src import SEED, hierarchical, metrics, nmf, segmentation, spectral, threads
from lessons_src.datasets import load_digits_images, make_moons_2d
from lessons_src.kmeans import KMeans


def _blobs(n=3000, d=16, k=8):
    rng = np.random.default_rng(SEED)
    centres = rng.normal(scale=3.0, size=(k, d))
    return centres[rng.integers(k, size=n)] + rng.normal(size=(n, d))


def _kmeans():
    model = KMeans(n_clusters=8, n_init=3, random_state=SEED).fit(_blobs())
    return f"inertia {model.inertia_:.4f}, {model.n_iter_} iterations", model.labels_


def _nmf():
    X = load_digits_images()[0].reshape(-1, 64)[:600]
    model = nmf.NMF(n_components=12, max_iter=80, tol=0, random_state=SEED)
    W = model.fit_transform(X)
    return f"error {model.reconstruction_err_:.4f}, sparsity {nmf.sparsity(W):.3f}", None


def _spectral():
    X, _ = make_moons_2d(n_samples=300, random_state=0)
    model = spectral.SpectralClustering(n_clusters=2, affinity="nearest_neighbors", n_neighbors=10,
                                        random_state=SEED).fit(X)
    return f"eigenvalues {np.round(model.eigenvalues_, 4) + 0.0}", model.labels_


def _silhouette_and_ari():
    X = _blobs(n=800)
    labels = KMeans(n_clusters=8, random_state=SEED).fit(X).labels_
    truth = np.arange(800) % 8
    return (f"silhouette {metrics.silhouette_score(X, labels):.4f}, "
            f"ARI {metrics.adjusted_rand_index(truth, labels):.4f}"), labels


def _hierarchical():
    X = _blobs(n=150, d=4)
    Z = hierarchical.agglomerative(X, "ward")
    return f"top merges {np.round(Z[-3:, 2], 4)}", hierarchical.flat_clusters(Z, n_clusters=4)


def _segmentation():
    image = segmentation.make_texture_image(size=64, random_state=SEED)[0]
    labels = segmentation.segment_pixels(image, 3, random_state=SEED)
    return f"{np.bincount(np.ravel(labels))}", labels


RUNS = [_kmeans, _nmf, _spectral, _silhouette_and_ari, _hierarchical, _segmentation]
"""What a lesson prints, one function per algorithm: each returns (text, labels or None)."""


def _thread_counts():
    """Threads of every BLAS and OpenMP library loaded now, e.g. {'openblas (libscipy_openblas...)': 2}."""
    return {f"{lib['internal_api']} ({lib['filepath'].rsplit('/', 1)[-1]})": lib["num_threads"]
            for lib in threadpool_info() if lib["user_api"] in ("blas", "openmp")}


def _who_set_the_limit():
    """``file:line`` of the code that asked threadpoolctl for a limit, when that code is
    lessons_src (or this file); None for a library's own limits (scikit-learn's KMeans limits BLAS
    to one thread inside its OpenMP loops: its thread policy, not ours)."""
    frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_filename == threadpoolctl.__file__:
        frame = frame.f_back
    filename = frame.f_code.co_filename if frame is not None else ""
    if "/lessons_src/" in filename:
        return f"lessons_src/{filename.split('/lessons_src/')[-1]}:{frame.f_lineno}"
    if filename == __file__:
        return f"tests/test_reproducibility.py:{frame.f_lineno}"
    return None


@pytest.fixture
def thread_log(monkeypatch):
    """Switch off the package's one-thread policy for small inputs, and log the thread counts
    after every thread limit that lessons_src sets. ``threadpool_limits(...)`` and
    ``ThreadpoolController.limit(...)`` both build a ``_ThreadpoolLimiter`` (threadpoolctl 3.8,
    pinned; if it is renamed, monkeypatch raises here rather than the log staying empty)."""
    monkeypatch.setattr(threads, "LARGE_PROBLEM_SIZE", 0)
    log = []
    set_limits = threadpoolctl._ThreadpoolLimiter.__init__

    def logging_init(self, *args, **kwargs):
        set_limits(self, *args, **kwargs)
        where = _who_set_the_limit()
        if where is not None:
            log.append((f"limit set at {where}", _thread_counts()))

    monkeypatch.setattr(threadpoolctl._ThreadpoolLimiter, "__init__", logging_init)

    # And inside every estimator's ``with threads.for_problem_size(X.size):`` block.
    for_problem_size = threads.for_problem_size

    @contextlib.contextmanager
    def logging_for_problem_size(n_entries):
        with for_problem_size(n_entries):
            log.append((f"inside threads.for_problem_size({n_entries})", _thread_counts()))
            yield

    monkeypatch.setattr(threads, "for_problem_size", logging_for_problem_size)
    return log


def _run_with_threads(run, n_threads, log):
    del log[:]
    with threadpool_limits(limits=n_threads):
        log.append(("start of the run", _thread_counts()))
        result = run()
        log.append(("end of the run", _thread_counts()))
    wrong = list(dict.fromkeys(f"{where}: {counts}" for where, counts in log
                               if set(counts.values()) != {n_threads}))
    assert not wrong, (f"{run.__name__} asked for {n_threads} BLAS/OpenMP threads but ran with "
                       f"others: " + "; ".join(wrong))
    assert len(log) >= 3  # our own limit, the start and the end: the log is really written
    return result


@pytest.mark.parametrize("run", RUNS, ids=lambda f: f.__name__.strip("_"))
def test_same_printed_result_with_one_and_two_threads(run, thread_log):
    text_1, labels_1 = _run_with_threads(run, 1, thread_log)
    text_2, labels_2 = _run_with_threads(run, 2, thread_log)
    assert text_1 == text_2
    if labels_1 is not None:
        np.testing.assert_array_equal(labels_1, labels_2)
