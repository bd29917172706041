"""Every figure and slider callback of the K-Means lessons, at its slider extremes."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from lessons_src import SEED, datasets, plotting
from lessons_src.figures import kmeans_steps, kmeans_variants
from lessons_src.kmeans import KMeans

ONE_POINT = np.array([[1.0, 2.0]])
DUPLICATES = np.repeat(np.array([[1.0, 0.0], [0.0, 1.0]]), 4, axis=0)
FEW = np.array([[0.0, 0.0], [1.0, 0.2], [4.0, 3.0], [5.0, 3.5], [-2.0, 4.0]])


def test_data_helpers_shapes():
    X, y = datasets.make_rays_2d(n_per_ray=10, random_state=0)
    assert X.shape == (30, 2) and set(y) == {0, 1, 2}
    X, y = datasets.make_near_far_2d(n_per_group=5, random_state=0)
    assert X.shape == (15, 2)
    for name in datasets.REPLAY_SETS:
        X, y = datasets.replay_set(name)
        assert X.ndim == 2 and X.shape[1] == 2 and len(y) == len(X)
    with pytest.raises(ValueError, match="name must be one of"):
        datasets.replay_set("nope")


def test_six_steps_panels_follow_history():
    X, _ = datasets.replay_set("blobs")
    out = kmeans_steps.plot_six_steps(X, kmeans_steps.MY_POINTS[:4])
    assert len(out["axes"]) == 6
    assert out["axes"][0].get_title().startswith("(a)")
    assert out["axes"][5].get_title().startswith("(f) converged")
    assert out["model"].n_iter_ >= 2


@pytest.mark.parametrize("init", ["random", "k-means++", "my points"])
@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
def test_replay_extremes(init, metric):
    for step in (0, 1, 2, 10_000):
        out = kmeans_steps.draw_kmeans_replay(step=step, n_clusters=3, init=init, metric=metric)
        assert out["entry"] is not None
        plt.close("all")
    last = kmeans_steps.draw_kmeans_replay(step=10_000, n_clusters=3, init=init, metric=metric,
                                           random_state=0)
    np.testing.assert_allclose(last["entry"].centers, last["model"].cluster_centers_)
    assert "(converged)" in last["axes"][0].get_title()
    for k in (1, 10):
        kmeans_steps.draw_kmeans_replay(step=5, n_clusters=k, random_state=99, init=init,
                                        metric=metric)
        plt.close("all")


def test_replay_with_a_seed_replays_one_run_and_shares_no_writable_array():
    first = kmeans_steps.draw_kmeans_replay(step=1, random_state=3)["model"]
    again = kmeans_steps.draw_kmeans_replay(step=2, random_state=np.int64(3))["model"]
    assert again is first  # every step of the slider shows the same (cached) run
    assert not first.cluster_centers_.flags.writeable
    assert not any(step.centers.flags.writeable for step in first.history_)
    rng = np.random.default_rng(5)
    fresh = kmeans_steps.draw_kmeans_replay(step=1, random_state=rng)["model"]
    assert fresh is not first and fresh.cluster_centers_.flags.writeable


def test_replay_with_own_points_k1_kn_one_point_duplicates():
    out = kmeans_steps.draw_kmeans_replay(step=100, n_clusters=len(FEW), X=FEW)
    assert out["model"].inertia_ == pytest.approx(0.0, abs=1e-12)
    out = kmeans_steps.draw_kmeans_replay(step=100, n_clusters=50, X=FEW)  # K > n is clipped
    assert "K clipped" in out["axes"][0].get_title()
    out = kmeans_steps.draw_kmeans_replay(step=3, n_clusters=4, X=ONE_POINT, init="k-means++")
    assert out["model"].n_clusters == 1
    out = kmeans_steps.draw_kmeans_replay(step=3, n_clusters=8, X=DUPLICATES, metric="cosine")
    assert np.all(np.isfinite(out["model"].cluster_centers_))
    out = kmeans_steps.draw_kmeans_replay(step=3, n_clusters=2, X=np.zeros((3, 2)), metric="cosine")
    assert out["model"] is None  # drawn as a message, not an error


def test_inertia_steps_marks_progress():
    X, _ = datasets.replay_set("blobs")
    model = kmeans_steps.draw_kmeans_replay(step=0, random_state=0)["model"]
    ax = kmeans_steps.plot_inertia_steps(model.history_, upto=0)
    assert "no labels yet" in ax.get_title()
    ax = kmeans_steps.plot_inertia_steps(model.history_)
    assert f"{model.inertia_:.2f}" in ax.get_title()


def test_metric_comparison_shows_the_disagreement():
    ari = kmeans_steps.plot_metric_comparison(random_state=0)["ari"]
    assert ari[("rays", "cosine")] > 0.9 > ari[("rays", "euclidean")]
    assert ari[("near and far", "euclidean")] > 0.9 > ari[("near and far", "cosine")]


@pytest.mark.parametrize("random_state", [0, SEED, 7])
def test_metric_comparison_colours_a_group_alike_in_every_panel(random_state):
    """Each panel's clusters are renamed after the true groups before colouring: where a run
    finds the groups exactly its labels are the true ones, and the centres and regions carry
    their points' colours."""
    out = kmeans_steps.plot_metric_comparison(random_state=random_state)
    truth = {"rays": datasets.make_rays_2d(random_state=SEED)[1],
             "near and far": datasets.make_near_far_2d(random_state=SEED)[1]}
    for (row, name) in enumerate(truth):
        for col, metric in enumerate(("euclidean", "cosine")):
            labels = out["labels"][(name, metric)]
            if out["ari"][(name, metric)] == 1.0:
                np.testing.assert_array_equal(labels, truth[name])
            # The group a true class mostly falls in has the class's own name (so its colour).
            assert sorted(set(labels)) == [0, 1, 2]
            ax = out["axes"][row, col]
            points, centers = ax.collections[0], ax.collections[1]
            np.testing.assert_allclose(points.get_facecolors()[:, :3],
                                       plotting.cluster_colors(labels), atol=1e-6)
            np.testing.assert_allclose(centers.get_facecolors()[:, :3],
                                       plotting.cluster_colors([0, 1, 2]), atol=1e-6)
            if metric == "euclidean":  # centre k is the mean of the points named k
                offsets = centers.get_offsets()
                X = ax.collections[0].get_offsets()
                for k in range(3):
                    np.testing.assert_allclose(offsets[k], X[labels == k].mean(axis=0), atol=1e-6)
    plt.close("all")


@pytest.mark.parametrize("data", list(datasets.REPLAY_SETS))
def test_replay_step_slider_ends_at_the_last_step_of_the_run_shown(data):
    """The rule sets the step slider's max to the run's last step, for every data set, K = 1
    and K = 10 (the slider's ends), and follows K, seed, init and metric."""
    from lessons_src.widgets import LiveFigure, dropdown, int_slider

    live = LiveFigure(kmeans_steps.draw_kmeans_replay,
                      rules=kmeans_steps.kmeans_replay_controls,
                      step=int_slider(0, 40, 40), n_clusters=int_slider(1, 10, 1),
                      random_state=int_slider(0, 20, SEED),
                      init=dropdown(["random", "k-means++", "my points"], "my points"),
                      metric=dropdown(["euclidean", "cosine"]),
                      data=dropdown(list(datasets.REPLAY_SETS), data))
    step = live.controls["step"]
    for values in ({}, {"n_clusters": 10}, {"metric": "cosine"}, {"init": "random"},
                   {"random_state": 20}, {"init": "k-means++", "n_clusters": 1}):
        if values:
            live.set_values(**values)
        shown = live.values()
        model = kmeans_steps.draw_kmeans_replay(**shown)["model"]
        last = len(model.history_) - 1
        assert step.max == last, (values, step.max, last)
        assert 0 <= step.value <= last
        # At the slider's end the run has converged; one step earlier it has not.
        end = kmeans_steps.draw_kmeans_replay(**{**shown, "step": step.max})
        assert "(converged)" in end["axes"][0].get_title()
        before = kmeans_steps.draw_kmeans_replay(**{**shown, "step": step.max - 1})
        assert "(converged)" not in before["axes"][0].get_title()
        live.set_values(step=step.max)
        assert live.timings[-1]["values"]["step"] == last
        plt.close("all")
    seedless = kmeans_steps.kmeans_replay_controls({**live.values(), "random_state": None})
    assert "step" not in seedless


def test_replay_seed_is_disabled_for_my_points_and_says_why():
    from lessons_src.widgets import LiveFigure, dropdown, int_slider

    live = LiveFigure(kmeans_steps.draw_kmeans_replay,
                      rules=kmeans_steps.kmeans_replay_controls,
                      step=int_slider(0, 40, 4), n_clusters=int_slider(1, 10, 4),
                      random_state=int_slider(0, 20, SEED),
                      init=dropdown(["random", "k-means++", "my points"], "my points"))
    seed = live.controls["random_state"]
    assert seed.disabled and "my points" in seed.tooltip
    live.set_values(init="random")
    assert not seed.disabled
    png = live.png
    live.set_values(random_state=3)
    assert live.png != png   # a seed that is enabled changes the picture
    live.set_values(init="my points")
    assert seed.disabled
    plt.close("all")


@pytest.mark.parametrize("tol_exponent", [-8.0, -4.0, 0.0, 1.0])
@pytest.mark.parametrize("max_iter", [1, 5, 300])
def test_stop_rules_extremes(tol_exponent, max_iter):
    out = kmeans_steps.draw_stop_rules(tol_exponent=tol_exponent, max_iter=max_iter,
                                       random_state=0)
    assert out["n_iter"] <= max_iter
    assert out["stopped_by"] in ("tol", "max_iter", "no label changed")
    if max_iter == 1:
        assert out["n_iter"] == 1
    assert out["inertia"] >= out["inertia_full"] - 1e-9 or out["stopped_by"] != "no label changed"


def test_stop_rules_on_tiny_data():
    for X in (ONE_POINT, DUPLICATES, FEW):
        out = kmeans_steps.draw_stop_rules(tol_exponent=-4, max_iter=3, X=X, n_clusters=6,
                                           random_state=0)
        assert out["n_iter"] >= 1
        plt.close("all")


def test_max_iter_effect_uses_sklearn():
    X, _ = datasets.replay_set("blobs")
    out = kmeans_steps.plot_max_iter_effect(X, kmeans_steps.MY_POINTS[:4], max_iters=(1, 300))
    assert out["models"][0].n_iter_ == 1
    assert out["models"][1].inertia_ <= out["models"][0].inertia_


def test_init_sensitivity_spread():
    """Lesson 02's data: different random starts reach different local optima."""
    X, _ = datasets.make_blobs_2d(n_samples=300, n_clusters=6, random_state=SEED)
    out = kmeans_variants.plot_init_sensitivity(X, 6, n_seeds=20)
    inertias = out["inertias"]
    assert inertias.shape == (20,)
    # Measured: best 372.9, worst 732.4 (1.96x); 8 of the 20 starts end within 1% of the best.
    assert inertias.max() > 1.5 * inertias.min()
    assert np.sum(inertias <= 1.01 * inertias.min()) < 20
    np.testing.assert_allclose(
        inertias[3], KMeans(n_clusters=6, init="random", random_state=3).fit(X).inertia_)
    assert not inertias.flags.writeable  # the runs are cached and shared


@pytest.mark.parametrize("n_clusters", [-3, 1, 2, 4, 10, 99])
def test_choose_k_extremes(n_clusters):
    out = kmeans_variants.draw_choose_k(n_clusters=n_clusters)
    assert np.all(np.diff(out["inertias"]) <= 1e-9 * out["inertias"][0])  # falls with K
    assert np.isnan(out["silhouettes"][0])  # undefined for K = 1
    assert np.nanargmax(out["silhouettes"]) + 1 == 4  # four blobs


def test_choose_k_tiny_data():
    out = kmeans_variants.draw_choose_k(n_clusters=5, X=FEW)
    assert len(out["n_clusters"]) == 5 and np.isnan(out["silhouettes"][-1])  # K = n
    kmeans_variants.draw_choose_k(n_clusters=3, X=ONE_POINT)
    out = kmeans_variants.draw_choose_k(n_clusters=8, X=DUPLICATES)
    assert np.all(np.isnan(out["silhouettes"][2:]))  # more clusters than distinct points


@pytest.mark.parametrize("distance", [0, 8, 30, 60])
def test_outlier_pull_extremes(distance):
    out = kmeans_variants.draw_outlier_pull(distance=distance)
    if distance == 0:
        assert not out["outliers_alone"] and out["shift"] < 0.5
    if distance == 60:
        assert out["outliers_alone"]
    kmeans_variants.draw_outlier_pull(distance=distance, n_clusters=1)


def test_failure_cases_fail():
    ari = kmeans_variants.plot_failure_cases(random_state=0)["ari"]
    assert set(ari) == {"moons", "circles", "anisotropic", "unequal"}
    assert all(value < 0.8 for value in ari.values())


@pytest.mark.parametrize("pick", [0, 1, 2, 4, 50])
def test_d2_map_extremes(pick):
    out = kmeans_variants.draw_d2_map(pick=pick, n_clusters=4, random_state=0)
    np.testing.assert_allclose(out["probabilities"].sum(), 1.0)
    if pick >= 2:
        chosen = out["indices"][:min(pick, 4) - 1]
        assert np.all(out["probabilities"][chosen] == 0)


def test_d2_map_tiny_data():
    kmeans_variants.draw_d2_map(pick=5, n_clusters=5, X=FEW)
    kmeans_variants.draw_d2_map(pick=2, n_clusters=3, X=ONE_POINT)
    out = kmeans_variants.draw_d2_map(pick=4, n_clusters=8, X=DUPLICATES)
    assert len(set(out["indices"].tolist())) == 8


@pytest.mark.parametrize("n_rounds", [1, 5, 8])
@pytest.mark.parametrize("oversampling_factor", [0.1, 1.0, 5.0])
def test_kmeans_parallel_rounds_extremes(n_rounds, oversampling_factor):
    out = kmeans_variants.draw_kmeans_parallel_rounds(
        n_rounds=n_rounds, oversampling_factor=oversampling_factor, random_state=0)
    assert out["seeding"].centers.shape == (4, 2)
    assert len(out["axes"]) == min(n_rounds, 5) + 1


def test_kmeans_parallel_rounds_tiny_data():
    kmeans_variants.draw_kmeans_parallel_rounds(n_rounds=2, n_clusters=5, X=FEW)
    kmeans_variants.draw_kmeans_parallel_rounds(n_rounds=2, n_clusters=3, X=ONE_POINT)
    out = kmeans_variants.draw_kmeans_parallel_rounds(n_rounds=2, n_clusters=2, X=DUPLICATES)
    assert len({tuple(c) for c in out["seeding"].centers}) == 2


def test_plusplus_vs_random_and_parallel_comparison():
    X, _ = datasets.replay_set("blobs")
    results = kmeans_variants.plot_plusplus_vs_random(X, 4, n_seeds=10)["results"]
    assert np.median(results["k-means++"]["initial"]) < np.median(results["random"]["initial"])
    table = kmeans_variants.compare_plusplus_parallel(X, 4, n_seeds=5)
    assert table["k-means++"]["passes"] == 4 and table["k-means||"]["passes"] == 1 + 3 + 1
    assert table["k-means||"]["final"] <= 1.5 * table["k-means++"]["final"]


@pytest.mark.parametrize("batch_size", [1, 8, 2048, 100_000])
def test_minibatch_extremes(batch_size):
    out = kmeans_variants.draw_minibatch(batch_size=batch_size)
    assert out["relative_inertia"] >= 1.0 - 1e-6
    if batch_size >= 2048:
        assert out["relative_inertia"] < 1.05


def test_minibatch_curves_ours_matches_sklearn_for_large_batches():
    curves = kmeans_variants.minibatch_curves()
    # Same start, same batches: for batches large enough that scikit-learn never reassigns a
    # starved centre, the two implementations give the same centres.
    np.testing.assert_allclose(curves["ours"][1:], curves["sklearn"][1:], rtol=1e-6)
    assert curves["ours"][-1] < 1.01


def test_minibatch_tiny_data():
    for X in (ONE_POINT, DUPLICATES, FEW):
        out = kmeans_variants.draw_minibatch(batch_size=3, n_clusters=6, X=X)
        assert np.all(np.isfinite(out["model"].cluster_centers_))
        plt.close("all")


# --- lesson 02: the seeding lab, the K-Means++ erratum, figures a class can read ---------------
def test_seeding_lab_ratios_and_outliers():
    lab = kmeans_variants.seeding_lab(n_clusters=(2, 16), n_seeds=3)
    assert lab.n_clusters.tolist() == [2, 16]
    for data in kmeans_variants.LAB_DATA:
        finals = np.array([lab.final_ratio[data][s] for s in kmeans_variants.SEEDINGS])
        seeds = np.array([lab.seeding_ratio[data][s] for s in kmeans_variants.SEEDINGS])
        assert finals.shape == seeds.shape == (6, 2, 3)
        # The best cost is the lowest final cost found; Lloyd only goes down from the seeds.
        np.testing.assert_allclose(finals.min(axis=(0, 2)), 1.0)
        assert np.all(seeds >= finals - 1e-9)
        assert not lab.final_ratio[data]["D2"].flags.writeable
    picked = lab.outliers_picked
    assert picked["farthest-first"][1].min() >= 6  # K = 16: the far points first
    assert np.all(picked["uniform"] <= picked["farthest-first"])
    X, is_outlier = kmeans_variants.seeding_lab_data(outliers=True)
    assert X.shape == (488, 2) and is_outlier.sum() == 8
    assert kmeans_variants.seeding_lab_data().X.shape == (480, 2)


def test_seed_centers_names_every_seeding():
    X = kmeans_variants.seeding_lab_data().X
    for seeding in kmeans_variants.SEEDINGS:
        centers = kmeans_variants.seed_centers(X, 5, seeding, random_state=1)
        assert centers.shape == (5, 2)
        assert len({tuple(c) for c in centers}) == 5
        assert all(np.any(np.all(X == c, axis=1)) for c in centers)  # rows of X
    with pytest.raises(ValueError, match="seeding must be one of"):
        kmeans_variants.seed_centers(X, 5, "k-means++", random_state=1)


def test_slides_reading_ranks_the_rules():
    out = kmeans_variants.plot_slides_reading(n_clusters=8, n_seeds=30)
    median = {r: np.median(c) for r, c in out["costs"].items()}
    assert median["D2"] < median["D"] < median["slides, literally"]
    assert median["greedy D2"] < median["D2"]
    assert set(out["costs"]) == set(kmeans_variants.SLIDES_READINGS)


def test_seeding_picks_panels():
    out = kmeans_variants.plot_seeding_picks(n_clusters=16, random_state=SEED)
    assert set(out["outliers_picked"]) == set(kmeans_variants.SEEDINGS)
    assert out["outliers_picked"]["farthest-first"] >= 6
    assert out["outliers_picked"]["uniform"] <= 1


@pytest.mark.parametrize("batch_size", [8, 11.3, 45.25, 2048, 2048.0])
def test_minibatch_takes_any_size_a_log_slider_sends(batch_size):
    out = kmeans_variants.draw_minibatch(batch_size=batch_size)
    assert out["batch_size"] == round(batch_size)
    assert out["model"].batch_size == round(batch_size)
    assert f"batch {round(batch_size)}," in out["axes"][0].get_title()


def _lesson_02_figures():
    X6, _ = datasets.make_blobs_2d(n_samples=300, n_clusters=6, random_state=SEED)
    return {
        "init_sensitivity": lambda: kmeans_variants.plot_init_sensitivity(X6, 6, n_seeds=10),
        "choose_k": lambda: kmeans_variants.draw_choose_k(n_clusters=4),
        "outlier_pull": lambda: kmeans_variants.draw_outlier_pull(distance=30),
        "failure_cases": lambda: kmeans_variants.plot_failure_cases(random_state=0),
        "d2_map": lambda: kmeans_variants.draw_d2_map(pick=3, random_state=0),
        "slides_reading": lambda: kmeans_variants.plot_slides_reading(n_seeds=10),
        "plusplus_vs_random": lambda: kmeans_variants.plot_plusplus_vs_random(X6, 6, n_seeds=10),
        "parallel_rounds_1": lambda: kmeans_variants.draw_kmeans_parallel_rounds(n_rounds=1),
        "parallel_rounds_5": lambda: kmeans_variants.draw_kmeans_parallel_rounds(n_rounds=5),
        "seeding_lab": lambda: kmeans_variants.plot_seeding_lab(
            kmeans_variants.seeding_lab(n_clusters=(2, 16), n_seeds=2)),
        "seeding_picks": lambda: kmeans_variants.plot_seeding_picks(random_state=0),
        "minibatch": lambda: kmeans_variants.draw_minibatch(batch_size=2048),
        "minibatch_times": lambda: kmeans_variants.plot_minibatch_times(),
    }


@pytest.fixture
def lesson_style():
    """The lessons' figure style (the preamble's), undone afterwards."""
    saved = plt.rcParams.copy()
    plotting.apply_style(presenting=False)
    yield
    plt.rcParams.update(saved)


@pytest.mark.parametrize("name", list(_lesson_02_figures()))
def test_lesson_02_figures_keep_legends_off_the_data_and_are_legible(name, lesson_style):
    plt.close("all")
    _lesson_02_figures()[name]()
    fig = plt.gcf()
    assert all(ax.get_legend() is None for ax in fig.axes), "a legend inside an axes"
    measured = plotting.figure_legibility(fig)
    assert measured.fits, f"{measured.width_px:.0f} px wide"
    assert measured.smallest_text_pt >= plotting.MIN_TEXT_PT - 1e-6, measured.smallest_text
    plt.close("all")
