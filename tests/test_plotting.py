"""Smoke-run every shared plotting helper and check it draws what it says."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from lessons_src.figures import overview
from lessons_src import plotting
from lessons_src.datasets import TEACHING_SETS


def test_cluster_colors_consistent_and_noise_gray():
    colors = plotting.cluster_colors([0, 1, 10, -1])
    np.testing.assert_allclose(colors[0], plotting.CLUSTER_COLORS[0])
    np.testing.assert_allclose(colors[2], plotting.CLUSTER_COLORS[0])  # 10 wraps to 0
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


def test_helpers_never_show(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("a helper called plt.show()")

    monkeypatch.setattr(plt, "show", fail)
    overview.plot_lecture_map()
    overview.draw_teaching_set("moons")
