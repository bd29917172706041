"""Lesson 10 helpers: the large data set, the out-of-core reader, chunked inertia, centre
matching, chunk-read counting, the figures and the exercises.

References: scikit-learn's KMeans inertia_ and MiniBatchKMeans, SciPy's cdist, brute force over
permutations, and dask-ml's KMeans (Dask is a core dependency: a missing module fails here).
"""
import itertools

import matplotlib.pyplot as plt
import numpy as np
import pytest
from scipy.spatial.distance import cdist
from sklearn.cluster import KMeans as SklearnKMeans, MiniBatchKMeans

from lessons_src import SEED, scale
from lessons_src.figures.scale import (draw_seeding_passes, kmeans_parallel_passes,
                                    kmeanspp_passes, plot_center_rows, plot_passes,
                                    plot_streaming_progress, plot_task_stream, task_prefix)
from lessons_src.kmeans import init_kmeans_parallel

BASE = np.random.default_rng(0).normal(size=(30, 4))


# -- the data --------------------------------------------------------------------------------
def test_noisy_block_is_base_plus_seeded_noise():
    block = scale.noisy_copies_block(BASE, 3, 5, 0.2, SEED)
    assert block.shape == (150, 4) and block.dtype == np.float64
    again = scale.noisy_copies_block(BASE, np.int64(3), np.int32(5), 0.2, np.int64(SEED))
    np.testing.assert_array_equal(block, again)  # same block whoever computes it
    other = scale.noisy_copies_block(BASE, 4, 5, 0.2, SEED)
    assert not np.allclose(block, other)
    noise = block - np.tile(BASE, (5, 1))
    assert abs(noise.std() - 0.2) < 0.03 and abs(noise.mean()) < 0.05
    np.testing.assert_array_equal(scale.noisy_copies_block(BASE, 0, 2, 0.0, SEED),
                                  np.tile(BASE, (2, 1)))
    # Without an int, fresh noise: another data set at every call.
    assert not np.allclose(scale.noisy_copies_block(BASE, 3, 5, 0.2),
                           scale.noisy_copies_block(BASE, 3, 5, 0.2))
    rng_block = scale.noisy_copies_block(BASE, 3, 5, 0.2, np.random.default_rng(1))
    assert rng_block.shape == block.shape


def test_noisy_block_in_float32_holds_the_float64_rows_rounded():
    # Made in float64 then rounded: the float32 data set is the same data, at half the memory.
    block64 = scale.noisy_copies_block(BASE, 2, 6, 0.3, SEED)
    block32 = scale.noisy_copies_block(BASE, 2, 6, 0.3, SEED, dtype=np.float32)
    assert block32.dtype == np.float32 and block32.shape == block64.shape
    np.testing.assert_array_equal(block32, block64.astype(np.float32))
    # The same numbers as the textbook recipe: tiled copies plus scaled noise.
    rng = np.random.default_rng([SEED, 2])
    noise = rng.standard_normal(block64.shape)
    np.testing.assert_array_equal(block64, np.tile(BASE, (6, 1)) + 0.3 * noise)


@pytest.mark.parametrize("kwargs, match", [
    ({"noise": -1.0}, "noise"), ({"noise": float("nan")}, "noise"),
    ({"copies_per_block": 0}, "copies_per_block"), ({"block_index": -1}, "block_index"),
    ({"dtype": np.int64}, "dtype"), ({"dtype": "float16"}, "dtype"), ({"dtype": "nonsense"}, "dtype"),
])
def test_noisy_block_rejects_bad_arguments(kwargs, match):
    args = {"base": BASE, "block_index": 0, "copies_per_block": 2, "noise": 0.1, "random_state": 0}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        scale.noisy_copies_block(**args)


def test_file_written_block_by_block_reads_back_in_chunks(tmp_path):
    path = tmp_path / "features.npy"
    shape = scale.write_noisy_copies(path, BASE, n_blocks=3, copies_per_block=4, noise=0.1,
                                     random_state=SEED)
    assert shape == (360, 4)
    expected = np.vstack([scale.noisy_copies_block(BASE, i, 4, 0.1, SEED) for i in range(3)])
    np.testing.assert_array_equal(np.load(path), expected)
    chunks = list(scale.iter_row_chunks(path, 100))
    assert [len(c) for c in chunks] == [100, 100, 100, 60]
    assert all(isinstance(c, np.ndarray) and not isinstance(c, np.memmap) for c in chunks)
    np.testing.assert_array_equal(np.vstack(chunks), expected)
    assert len(list(scale.iter_row_chunks(path, 10_000))) == 1  # a chunk larger than the file
    with pytest.raises(ValueError, match="chunk_rows"):
        next(scale.iter_row_chunks(path, 0))


def test_streaming_partial_fit_equals_scikit_learn_on_the_same_chunks(tmp_path):
    # The lesson's out-of-core loop is exactly MiniBatchKMeans.partial_fit over the file's chunks.
    path = tmp_path / "features.npy"
    scale.write_noisy_copies(path, BASE, n_blocks=2, copies_per_block=10, noise=0.1,
                             random_state=SEED)
    streamed = MiniBatchKMeans(n_clusters=3, n_init=1, random_state=SEED)
    for chunk in scale.iter_row_chunks(path, 150):
        streamed.partial_fit(chunk)
    in_memory = MiniBatchKMeans(n_clusters=3, n_init=1, random_state=SEED)
    data = np.load(path)
    for start in range(0, len(data), 150):
        in_memory.partial_fit(data[start:start + 150])
    np.testing.assert_allclose(streamed.cluster_centers_, in_memory.cluster_centers_)


# -- chunked inertia and matching ------------------------------------------------------------
def test_chunked_inertia_equals_scikit_learn_inertia():
    X = scale.noisy_copies_block(BASE, 0, 10, 0.3, SEED)
    model = SklearnKMeans(n_clusters=4, n_init=1, random_state=SEED).fit(X)
    chunks = [X[i:i + 70] for i in range(0, len(X), 70)]
    assert scale.chunked_inertia(chunks, model.cluster_centers_) == pytest.approx(
        model.inertia_, rel=1e-9)
    assert scale.chunked_inertia(X, model.cluster_centers_) == pytest.approx(model.inertia_,
                                                                               rel=1e-9)
    distances = cdist(X, model.cluster_centers_).min(axis=1).sum()
    assert scale.chunked_inertia(iter(chunks), model.cluster_centers_, squared=False) == \
        pytest.approx(distances, rel=1e-9)
    assert scale.chunked_inertia([X[:3]], X[:3]) == pytest.approx(0.0, abs=1e-12)


def test_chunked_inertia_of_a_chunk_larger_than_one_step_of_rows():
    # Chunks longer than _ROWS_PER_STEP are scored a slice at a time (bounded temporaries):
    # same sum, float32 chunks included.
    X = scale.noisy_copies_block(BASE, 0, 1200, 0.3, SEED)  # 36 000 rows
    assert len(X) > 2 * scale._ROWS_PER_STEP
    centers = BASE[:5]
    expected = cdist(X, centers, "sqeuclidean").min(axis=1).sum()
    assert scale.chunked_inertia([X], centers) == pytest.approx(expected, rel=1e-10)
    X32 = X.astype(np.float32)
    expected32 = cdist(X32.astype(np.float64), centers, "sqeuclidean").min(axis=1).sum()
    assert scale.chunked_inertia([X32], centers) == pytest.approx(expected32, rel=1e-10)
    with pytest.raises(ValueError, match="block"):
        scale.chunked_inertia([np.zeros((0, 4))], centers)


def test_chunked_inertia_rejects_a_feature_mismatch():
    with pytest.raises(ValueError, match="features"):
        scale.chunked_inertia([np.zeros((3, 2))], np.zeros((2, 3)))


def test_match_centers_finds_the_best_permutation():
    rng = np.random.default_rng(1)
    for _ in range(5):
        reference = rng.normal(size=(5, 3))
        other = reference[rng.permutation(5)] + rng.normal(scale=0.3, size=(5, 3))
        order, gaps = scale.match_centers(reference, other)
        best = min(itertools.permutations(range(5)),
                   key=lambda p: ((reference - other[list(p)]) ** 2).sum())
        np.testing.assert_array_equal(order, best)
        np.testing.assert_allclose(gaps, np.linalg.norm(reference - other[order], axis=1))
    with pytest.raises(ValueError, match="same shape"):
        scale.match_centers(np.zeros((3, 2)), np.zeros((4, 2)))


def test_pass_counts():
    assert kmeanspp_passes(np.int64(10)) == 10
    assert kmeans_parallel_passes(5) == 7
    seeding = init_kmeans_parallel(BASE, 3, n_rounds=5, random_state=SEED)
    assert seeding.n_passes == kmeans_parallel_passes(5)
    with pytest.raises(ValueError):
        kmeanspp_passes(0)


# -- figures ---------------------------------------------------------------------------------
@pytest.mark.parametrize("n_clusters, n_rounds, factor", [
    (1, 1, 0.2), (12, 8, 5.0), (6, 3, 2.0), (12, 1, 0.2), (1, 8, 5.0)])
def test_seeding_figure_at_the_slider_extremes(n_clusters, n_rounds, factor):
    drawn = draw_seeding_passes(n_clusters=n_clusters, n_rounds=n_rounds,
                                oversampling_factor=factor, random_state=SEED)
    assert len(drawn["pp_indices"]) == n_clusters
    assert len(drawn["seeding"].chosen) == n_clusters
    assert str(kmeanspp_passes(n_clusters)) in drawn["axes"][0].get_title()
    assert f"{drawn['seeding'].n_passes} passes" in drawn["axes"][1].get_title()
    plt.close("all")


def test_plot_passes_and_streaming_progress():
    bars = plot_passes({"K-Means++": 10, "K-Means||": 7})
    assert [b.get_width() for b in bars] == [10, 7]
    with pytest.raises(ValueError):
        plot_passes({})
    line = plot_streaming_progress([10, 20, 30], [3.0, 2.0, 1.5], reference=1.4)
    np.testing.assert_array_equal(line.get_ydata(), [3.0, 2.0, 1.5])
    with pytest.raises(ValueError, match="same"):
        plot_streaming_progress([1, 2], [1.0])


def test_plot_center_rows():
    axes = plot_center_rows({"a": np.zeros((3, 64)), "b": np.ones((3, 64))})
    assert axes.shape == (2, 3)
    assert axes[1, 0].get_ylabel() == "b"
    with pytest.raises(ValueError):
        plot_center_rows({"a": np.zeros((3, 64)), "b": np.ones((2, 64))})


def test_task_stream_figure_from_records():
    assert task_prefix(("pairwise_distances_argmin_min-9f3a0c1d2e", 3)) == \
        "nearest centre (labels)"
    assert task_prefix("('rechunk-merge-0123456789abcdef', 0)") == "rechunk-merge"
    assert task_prefix("bd17137179a7273498382acc2de1ec05") == "other"
    assert task_prefix("truediv-finalize-hlgfinalizecompute-87165bfb1a8146e3") == \
        "collect results"
    assert task_prefix(("747db475d65c9e4631ab2f92d13a1021-b3b676582b73cff7f031a2bacd865e16",
                        3)) == "other"
    records = [
        {"worker": "tcp://a", "key": ("noisy-copies-0123456789ab", 0),
         "startstops": [{"action": "compute", "start": 10.0, "stop": 10.5}]},
        {"worker": "tcp://b", "key": ("sum-fedcba9876543210", 1),
         "startstops": [{"action": "transfer", "start": 10.1, "stop": 10.2},
                        {"action": "compute", "start": 10.2, "stop": 10.3}]},
    ]
    ax = plot_task_stream(records)
    assert "2 tasks on 2 worker(s)" in ax.get_title()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["make chunks", "sums"]
    empty = plot_task_stream([])
    assert empty.texts[0].get_text() == "no tasks recorded"
    plt.close("all")


# -- Dask and dask-ml ---------------------------------------------------------------------------
def test_dask_array_holds_the_same_rows_as_the_file(tmp_path):
    import dask

    X = scale.noisy_copies_dask(BASE, n_blocks=3, copies_per_block=4, noise=0.1, random_state=SEED)
    assert X.shape == (360, 4) and X.numblocks == (3, 1)
    path = tmp_path / "features.npy"
    scale.write_noisy_copies(path, BASE, n_blocks=3, copies_per_block=4, noise=0.1,
                             random_state=SEED)
    with dask.config.set(scheduler="synchronous"):
        np.testing.assert_array_equal(X.compute(), np.load(path))
        centers = BASE[:3]
        assert scale.chunked_inertia(X, centers) == pytest.approx(
            scale.chunked_inertia(np.load(path), centers), rel=1e-12)
        X32 = scale.noisy_copies_dask(BASE, n_blocks=3, copies_per_block=4, noise=0.1,
                                      random_state=SEED, dtype=np.float32)
        assert X32.dtype == np.float32 and X32.name != X.name
        np.testing.assert_array_equal(X32.compute(), np.load(path).astype(np.float32))


def _dask_ml_reads(X, init_max_iter, max_iter):
    import dask
    from dask_ml.cluster import KMeans as DaskKMeans

    X_counted, counter = scale.counted_dask_array(X, chunk_rows=400)
    with dask.config.set(scheduler="synchronous"):
        model = DaskKMeans(n_clusters=3, init="k-means||", oversampling_factor=6,
                           init_max_iter=init_max_iter, max_iter=max_iter,
                           random_state=SEED).fit(X_counted)
    assert model.n_iter_ == max_iter
    return counter, model


def test_dask_ml_passes_are_linear_in_iterations_as_the_lesson_assumes():
    X = scale.noisy_copies_block(BASE, 0, 40, 0.2, SEED)  # 1200 rows, 3 chunks
    reads = {(r, i): _dask_ml_reads(X, r, i)[0] for r, i in [(2, 1), (2, 2), (2, 3), (3, 1)]}
    for counter in reads.values():
        # Every chunk is read equally often, chunk 0 once more (it holds the first centre).
        np.testing.assert_array_equal(counter.reads[1:], counter.full_passes)
        assert counter.reads[0] == counter.full_passes + 1
    passes = {key: counter.full_passes for key, counter in reads.items()}
    per_iteration = passes[2, 2] - passes[2, 1]
    assert per_iteration >= 1
    assert passes[2, 3] - passes[2, 2] == per_iteration
    assert passes[3, 1] - passes[2, 1] == 2  # a seeding round: one sampling + one gathering pass


def test_dask_ml_inertia_is_a_sum_of_distances_when_it_stops_before_converging():
    X = scale.noisy_copies_block(BASE, 0, 40, 0.2, SEED)
    _, model = _dask_ml_reads(X, 2, 2)
    centers = model.cluster_centers_
    assert model.inertia_ == pytest.approx(scale.chunked_inertia(X, centers, squared=False),
                                           rel=1e-6)
    assert model.inertia_ != pytest.approx(scale.chunked_inertia(X, centers), rel=1e-2)


@pytest.mark.parametrize("n_clusters, n_rounds, factor", [(12, 8, 5.0), (4, 5, 2.4), (1, 1, 0.2)])
def test_seeding_titles_do_not_meet_on_a_projector(n_clusters, n_rounds, factor):
    # Seen in the browser: in presenting mode the two side-by-side titles ran into each other.
    from lessons_src.plotting import presenting

    presenting(True)
    try:
        axes = draw_seeding_passes(n_clusters=n_clusters, n_rounds=n_rounds,
                                   oversampling_factor=factor, random_state=SEED)["axes"]
        fig = axes[0].figure
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        left, right = (ax.title.get_window_extent(renderer) for ax in axes)
        assert left.x1 < right.x0
    finally:
        presenting(False)
        plt.close("all")
