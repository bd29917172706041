"""Smoke-run every shared plotting helper and check it draws what it says."""
import io
import pathlib

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lessons_src.figures import overview
from lessons_src import plotting
from lessons_src.datasets import TEACHING_SETS


def test_cluster_colors_consistent_and_noise_gray():
    colors = plotting.cluster_colors([0, 1, len(plotting.CLUSTER_COLORS), -1])
    np.testing.assert_allclose(colors[0], plotting.CLUSTER_COLORS[0])
    np.testing.assert_allclose(colors[2], plotting.CLUSTER_COLORS[0])  # the palette wraps
    np.testing.assert_allclose(colors[3], plotting.NOISE_COLOR)


def test_show_images_grid_and_flat_input():
    images = np.random.default_rng(0).random((7, 4, 5))
    axes = plotting.show_images(images, n_cols=3, titles=[str(i) for i in range(7)])
    assert len(axes) == 9 and len(axes[0].images) == 1 and len(axes[8].images) == 0
    axes = plotting.show_images(images.reshape(7, 20), image_shape=(4, 5), symmetric=True)
    lo, hi = axes[0].images[0].get_clim()
    assert lo == -hi
    rgb = np.zeros((2, 4, 4, 3))
    assert len(plotting.show_images(rgb)) == 2


def test_image_montage_places_tiles():
    images = np.arange(4 * 2 * 3, dtype=float).reshape(4, 2, 3)
    montage = plotting.image_montage(images, 2, 2, pad=1, pad_value=-1)
    assert montage.shape == (5, 7)
    np.testing.assert_array_equal(montage[3:5, 4:7], images[3])
    assert montage[2, 0] == -1
    with pytest.raises(ValueError, match="do not fit"):
        plotting.image_montage(images, 1, 3)


def test_plot_clusters_and_voronoi():
    X, y = TEACHING_SETS["blobs"](random_state=0)
    centers = np.array([X[y == k].mean(axis=0) for k in range(3)])
    ax = plotting.plot_clusters(X, y, centers=centers, title="t")
    assert len(ax.collections) == 2 and ax.get_title() == "t"
    image = plotting.plot_voronoi(centers, (-10, 10), (-10, 10), ax=ax, resolution=50)
    regions = image.get_array()
    assert set(np.unique(regions)) == {0, 1, 2}
    # the region under each centre is that centre's own
    for k, (cx, cy) in enumerate(centers):
        j = int(np.clip((cx + 10) / 20 * 49, 0, 49)); i = int(np.clip((cy + 10) / 20 * 49, 0, 49))
        assert regions[i, j] == k
    cos_image = plotting.plot_voronoi(centers, (-10, 10), (-10, 10), metric="cosine", resolution=20)
    assert cos_image.get_array().shape == (20, 20)


@pytest.mark.parametrize("name", sorted(TEACHING_SETS))
def test_plot_teaching_set(name):
    ax = overview.draw_teaching_set(name)
    assert name in ax.get_title()


def test_plot_teaching_set_bad_name():
    with pytest.raises(ValueError, match="name"):
        overview.draw_teaching_set("spirals")


def test_lecture_map_draws_every_box():
    ax = overview.plot_lecture_map()
    texts = " ".join(t.get_text() for t in ax.texts)
    for word in ["PCA", "NMF", "SIFT", "K-Means", "hierarchical", "spectral", "ARI", "silhouette",
                 "segmentation"]:
        assert word in texts


def test_show_and_savefig_fail_in_unit_tests(_no_show_no_save):
    # conftest's guard, which every unit test runs under: a helper that shows or saves fails.
    with pytest.raises(AssertionError, match="called show"):
        plt.show()
    fig = plt.figure()
    with pytest.raises(AssertionError, match="called show"):
        fig.show()
    as_if_in_the_package = {"__name__": "lessons_src.some_module", "fig": fig, "io": io}
    with pytest.raises(AssertionError, match="lessons_src.some_module called savefig"):
        exec("fig.savefig(io.BytesIO())", as_if_in_the_package)
    assert len(_no_show_no_save) == 3  # recorded too, in case a helper swallowed the error
    _no_show_no_save.clear()
    fig.savefig(io.BytesIO(), format="png")  # a test may render a figure itself


@pytest.mark.after_all_tests
def test_every_figure_function_is_called_by_a_unit_test(figure_calls):
    """Every public plot_*/draw_* function of lessons_src.plotting and lessons_src.figures.* is
    called by some unit test, so the guard against show()/savefig() covers all of them."""
    tests_dir = pathlib.Path(__file__).parent
    not_run = sorted(p.name for p in set(tests_dir.glob("test_*.py")) - figure_calls.collected_files)
    if not_run or figure_calls.deselected:
        pytest.skip(f"needs the whole unit suite ({len(not_run)} test files not collected, "
                    f"{figure_calls.deselected} tests deselected)")
    assert len(figure_calls.functions) > 50, sorted(figure_calls.functions)
    missing = figure_calls.missing()
    assert not missing, (f"figure helpers called by no unit test ({len(missing)}): "
                         f"{', '.join(missing)}")
