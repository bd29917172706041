"""Tests of lessons_src.segmentation, its figures and its exercise checks (lesson 09)."""
import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import ndimage
from skimage.transform import integral_image as skimage_integral_image
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from threadpoolctl import threadpool_limits

from lessons_src.figures import segmentation as ps
from lessons_src import segmentation as seg
from lessons_src.datasets import load_image
from lessons_src.timing import median_seconds
from lessons_src.validation import check_image


def _random_image(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    if np.issubdtype(dtype, np.floating):
        return rng.random(shape)
    return rng.integers(0, np.iinfo(dtype).max + 1, size=shape).astype(dtype)


@pytest.fixture(autouse=True)
def _one_thread():
    # scikit-learn's reference fits, one thread like lessons_src.segmentation's own fits:
    # OpenMP threads spin-waiting on a shared two-core machine made them ten times slower.
    with threadpool_limits(limits=1):
        yield


@pytest.fixture(scope="module")
def small_photo():
    return load_image("coffee")[::4, ::4]          # 100 x 150 RGB


# ------------------------------------------------------------------------------------------
# Integral image and window means
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("shape, dtype", [((23, 31, 3), np.uint8), ((19, 17), np.uint16),
                                          ((12, 15, 4), np.uint8), ((16, 21, 3), np.float64),
                                          ((14, 13, 1), np.float32)])
def test_integral_image_matches_skimage(shape, dtype):
    image = _random_image(shape, dtype)
    pixels = check_image(image)
    table = seg.integral_image(image)
    assert table.shape == (shape[0] + 1, shape[1] + 1, pixels.shape[2])
    assert table.dtype == np.float64
    np.testing.assert_array_equal(table[0], 0)
    np.testing.assert_array_equal(table[:, 0], 0)
    np.testing.assert_allclose(table[1:, 1:], np.dstack([skimage_integral_image(pixels[:, :, c]) for c in range(pixels.shape[2])]),
                               rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("shape, dtype", [((37, 53, 3), np.uint8), ((40, 31), np.uint16),
                                          ((20, 25, 4), np.uint8), ((30, 30, 3), np.float64),
                                          ((18, 22, 3), np.float32), ((15, 12), np.bool_)])
@pytest.mark.parametrize("window", [1, 4, 12])
@pytest.mark.parametrize("stride", [None, 1, 3, 7])
def test_window_means_equal_naive_loop(shape, dtype, window, stride):
    if dtype == np.bool_:
        image = np.random.default_rng(1).random(shape) > 0.5
    else:
        image = _random_image(shape, dtype)
    fast = seg.window_mean_features(image, window, stride)
    naive = seg.window_mean_features_naive(image, window, stride)
    step = window if stride is None else stride
    channels = 1 if len(shape) == 2 else 3
    assert fast.shape == (len(range(0, shape[0] - window + 1, step)),
                          len(range(0, shape[1] - window + 1, step)), channels)
    np.testing.assert_allclose(fast, naive, rtol=0, atol=1e-9)


def test_window_means_equal_scipy_uniform_filter():
    image = load_image("astronaut")[:120, :150]
    window = 20
    box = ndimage.uniform_filter(image / 255.0, size=(window, window, 1), mode="constant")
    half = window // 2
    expected = box[half: 120 - window + 1 + half, half: 150 - window + 1 + half]
    np.testing.assert_allclose(seg.window_mean_features(image, window, stride=1), expected,
                               rtol=0, atol=1e-9)


def test_window_means_units_are_check_image_scale():
    image8 = _random_image((20, 24, 3), np.uint8)
    as16 = image8.astype(np.uint16) * 257            # the same picture on the uint16 scale
    as_float = image8 / 255.0
    as_255 = image8.astype(np.float64)               # floats in [0, 255]
    reference = seg.window_mean_features(image8, 5, 2)
    assert 0 <= reference.min() and reference.max() <= 1
    for other in (as16, as_float, as_255):
        np.testing.assert_allclose(seg.window_mean_features(other, 5, 2), reference, atol=1e-12)
    rgba = np.dstack([image8, np.full(image8.shape[:2], 7, np.uint8)])
    np.testing.assert_array_equal(seg.window_mean_features(rgba, 5, 2), reference)


def test_window_means_stride_none_is_the_grid_and_numpy_ints_are_accepted():
    image = _random_image((30, 40, 3), np.uint8)
    grid = seg.window_mean_features(image, 10)
    assert grid.shape == (3, 4, 3)
    np.testing.assert_array_equal(grid, seg.window_mean_features(image, np.int64(10), np.uint8(10)))
    np.testing.assert_allclose(grid[1, 2], image[10:20, 20:30].mean(axis=(0, 1)) / 255, atol=1e-12)
    # window = image side: one position along that axis
    assert seg.window_mean_features(image, 30, 1).shape == (1, 11, 3)


@pytest.mark.parametrize("window", [0, -3, 31, 100])
def test_window_out_of_range_names_both_sizes(window):
    image = np.zeros((30, 40, 3), np.uint8)
    with pytest.raises(ValueError, match=rf"window={window}.*30 x 40"):
        seg.window_mean_features(image, window)
    with pytest.raises(ValueError, match=rf"window={window}.*30 x 40"):
        seg.segment_windows(image, 2, window)


def test_bad_window_and_stride_types():
    image = np.zeros((10, 10), np.uint8)
    with pytest.raises(TypeError, match="window"):
        seg.window_mean_features(image, 2.5)
    with pytest.raises(ValueError, match="stride"):
        seg.window_mean_features(image, 2, stride=0)
    with pytest.raises(ValueError, match="shape"):
        seg.window_mean_features(np.zeros((4, 4, 2)), 2)
    with pytest.raises(TypeError):
        seg.window_mean_features(np.zeros((4, 4), np.int32), 2)


def test_window_std_features_equal_naive_std():
    image = _random_image((25, 19, 3), np.uint8)
    pixels = check_image(image)
    stds = seg.window_std_features(image, 6, 4)
    ys, xs = seg.window_positions(image.shape, 6, 4)
    naive = np.array([[pixels[y:y + 6, x:x + 6].std(axis=(0, 1)) for x in xs] for y in ys])
    np.testing.assert_allclose(stds, naive, atol=1e-7)


def test_integral_means_are_much_faster_than_the_naive_loop():
    image = load_image("astronaut")[:160, :160]
    naive = median_seconds(lambda: seg.window_mean_features_naive(image, 16, 1), repeat=1,
                           warmup=False)
    fast = median_seconds(lambda: seg.window_mean_features(image, 16, 1), repeat=3)
    assert naive / fast >= 50, f"only {naive / fast:.0f}x faster"


# ------------------------------------------------------------------------------------------
# Painting window labels back
# ------------------------------------------------------------------------------------------

def _nearest_center_brute_force(height, width, window, stride):
    ys, xs = seg.window_positions((height, width), window, stride)
    centers_y, centers_x = ys + (window - 1) / 2, xs + (window - 1) / 2
    rows = np.empty(height, int)
    for i in range(height):
        d = np.abs(i - centers_y)
        rows[i] = np.flatnonzero(d == d.min())[-1]       # a tie goes to the later window
    cols = np.empty(width, int)
    for j in range(width):
        d = np.abs(j - centers_x)
        cols[j] = np.flatnonzero(d == d.min())[-1]
    return rows, cols


@pytest.mark.parametrize("height, width, window, stride",
                         [(30, 40, 10, None), (31, 47, 10, None), (30, 40, 10, 3), (25, 26, 8, 5),
                          (20, 20, 1, 1), (20, 20, 20, 1), (17, 23, 4, 1)])
def test_paint_window_labels_nearest_center(height, width, window, stride):
    ys, xs = seg.window_positions((height, width), window, stride)
    window_labels = np.arange(len(ys) * len(xs)).reshape(len(ys), len(xs))
    painted = seg.paint_window_labels(window_labels, (height, width), window, stride)
    rows, cols = _nearest_center_brute_force(height, width, window, stride)
    np.testing.assert_array_equal(painted, window_labels[rows[:, None], cols[None, :]])
    if stride is None:   # the grid: every covered pixel takes the window that contains it
        for i, y in enumerate(ys):
            for j, x in enumerate(xs):
                assert np.all(painted[y:y + window, x:x + window] == window_labels[i, j])
    with pytest.raises(ValueError, match="shape"):
        seg.paint_window_labels(window_labels[:, :-1] if len(xs) > 1 else window_labels[:0],
                                (height, width), window, stride)


# ------------------------------------------------------------------------------------------
# K-Means segmentations
# ------------------------------------------------------------------------------------------

def _two_colour_image():
    image = np.zeros((40, 60, 3), np.uint8)
    image[:, :25] = (200, 40, 30)
    image[:, 25:] = (20, 90, 210)
    truth = (np.arange(60) >= 25)[None, :].repeat(40, axis=0).astype(int)
    return image, truth


def test_segment_windows_equals_kmeans_on_window_features(small_photo):
    window, stride, k = 20, 5, 3
    result = seg.segment_windows(small_photo, k, window, stride, random_state=0,
                                 return_features=True)
    model = KMeans(n_clusters=k, n_init=seg.N_INIT, random_state=0).fit(
        result.features.reshape(-1, 3))
    # The same partition as scikit-learn's, renumbered from dark to light.
    rank = np.argsort(np.argsort(model.cluster_centers_.mean(axis=1)))
    expected = rank[model.labels_]
    np.testing.assert_array_equal(result.window_labels.ravel(), expected)
    np.testing.assert_array_equal(
        result.label_map, seg.paint_window_labels(expected.reshape(result.window_labels.shape),
                                                  small_photo.shape, window, stride))
    assert result.label_map.shape == small_photo.shape[:2] and result.label_map.dtype == np.int64


def test_segment_windows_finds_two_flat_halves():
    image, truth = _two_colour_image()
    labels = seg.segment_windows(image, 2, window=5, random_state=0)
    assert adjusted_rand_score(truth.ravel(), labels.ravel()) == 1.0


def test_segment_windows_extremes():
    image, _ = _two_colour_image()
    assert np.all(seg.segment_windows(image, 1, window=40) == 0)          # one window, K = 1
    with pytest.raises(ValueError, match="n_clusters=2 is more than the 1 window"):
        seg.segment_windows(image, 2, window=40)
    labels = seg.segment_windows(image, 2, window=1, stride=1, random_state=0)  # window 1 = pixels
    assert adjusted_rand_score(_two_colour_image()[1].ravel(), labels.ravel()) == 1.0
    with pytest.raises(ValueError, match="distinct"):
        seg.segment_windows(image, 3, window=1, stride=1)                # only 2 colours


def test_texture_image_needs_the_std_feature():
    image, truth = seg.make_texture_image(120, random_state=0)
    colour = adjusted_rand_score(truth.ravel(), seg.segment_pixels(image, 2, random_state=0).ravel())
    means = adjusted_rand_score(truth.ravel(),
                                seg.segment_windows(image, 2, 9, 3, random_state=0).ravel())
    texture = adjusted_rand_score(truth.ravel(), seg.segment_windows(
        image, 2, 9, 3, random_state=0, add_std=True).ravel())
    assert colour < 0.5 and means < 0.5 and texture > 0.8


@pytest.mark.parametrize("make", [lambda: 7, lambda: np.int64(7),
                                  lambda: np.random.default_rng(7),
                                  lambda: np.random.RandomState(7)],
                         ids=["int", "numpy int", "Generator", "RandomState"])
def test_every_kind_of_random_state_is_accepted_and_reproducible(make):
    image, _ = seg.make_texture_image(40, random_state=make())
    np.testing.assert_array_equal(image, seg.make_texture_image(40, random_state=make())[0])
    for run in (lambda rs: seg.segment_pixels(image, 3, sample_size=500, random_state=rs),
                lambda rs: seg.segment_windows(image, 3, 4, 2, sample_size=100, random_state=rs),
                lambda rs: seg.quantize_colors(image, 3, sample_size=500, random_state=rs).image):
        np.testing.assert_array_equal(run(make()), run(make()))
    # The sample really is drawn from the random state: two seeds, two samples, other palettes.
    palettes = {seed: seg.quantize_colors(image, 3, sample_size=50, random_state=seed).palette
                for seed in (1, 2)}
    assert not np.allclose(palettes[1], palettes[2])
    with pytest.raises(TypeError, match="random_state"):
        seg.segment_pixels(image, 2, random_state=0.5)


def test_segment_pixels_equals_kmeans_and_position_features():
    image, truth = _two_colour_image()
    labels = seg.segment_pixels(image, 2, random_state=0)
    assert adjusted_rand_score(truth.ravel(), labels.ravel()) == 1.0
    features = seg.pixel_features(image, use_position=True, position_weight=2.0)
    assert features.shape == (40 * 60, 5)
    np.testing.assert_allclose(features[-1, 3:], [39 * 2 / 60, 59 * 2 / 60])
    photo = load_image("coffee")[::8, ::8]                                  # 50 x 75 pixels
    model = KMeans(n_clusters=4, n_init=seg.N_INIT, random_state=0).fit(
        seg.pixel_features(photo, True, 0.5))
    rank = np.argsort(np.argsort(model.cluster_centers_[:, :3].mean(axis=1)))
    got = seg.segment_pixels(photo, 4, use_position=True, position_weight=0.5, random_state=0)
    np.testing.assert_array_equal(got.ravel(), rank[model.labels_])
    with pytest.raises(ValueError, match="position_weight"):
        seg.pixel_features(image, use_position=True, position_weight=-1)


def test_large_inputs_are_fitted_on_a_sample():
    photo = load_image("coffee")[::2, ::2]                                 # 60 000 pixels
    labels = seg.segment_pixels(photo, 3, sample_size=2000, random_state=0)
    assert labels.shape == photo.shape[:2] and set(np.unique(labels)) == {0, 1, 2}
    np.testing.assert_array_equal(labels, seg.segment_pixels(photo, 3, sample_size=2000,
                                                             random_state=0))


def test_quantize_colors(small_photo):
    quantized, palette = seg.quantize_colors(small_photo, 6, random_state=0)
    assert quantized.shape == small_photo.shape and palette.shape == (6, 3)
    assert np.all(np.diff(palette.mean(axis=1)) >= 0)                     # dark to light
    colors = np.unique(quantized.reshape(-1, 3), axis=0)
    assert len(colors) <= 6 and all(np.any(np.all(palette == c, axis=1)) for c in colors)
    # Each pixel gets its nearest palette colour, and the error matches scikit-learn's fit.
    pixels = check_image(small_photo).reshape(-1, 3)
    nearest = palette[np.argmin(((pixels[:, None] - palette[None]) ** 2).sum(2), axis=1)]
    np.testing.assert_allclose(quantized.reshape(-1, 3), nearest)
    # Fitted on every pixel (sample_size >= H * W) it is scikit-learn's fit, palette sorted.
    quantized, palette = seg.quantize_colors(small_photo, 6, sample_size=pixels.shape[0],
                                             random_state=0)
    model = KMeans(n_clusters=6, n_init=seg.N_INIT, random_state=0).fit(pixels)
    ours = ((pixels - quantized.reshape(-1, 3)) ** 2).sum()
    assert ours == pytest.approx(model.inertia_, rel=1e-9)
    centers = model.cluster_centers_[np.argsort(model.cluster_centers_.mean(axis=1))]
    np.testing.assert_allclose(palette, np.clip(centers, 0, 1), atol=1e-12)


def test_quantize_colors_exact_with_as_many_colours_as_the_image():
    image, _ = _two_colour_image()
    quantized, palette = seg.quantize_colors(image, 2)
    np.testing.assert_allclose(quantized, image / 255.0)
    gray = np.array([[0, 128], [255, 128]], np.uint8)
    quantized, palette = seg.quantize_colors(gray, 3)
    assert quantized.shape == (2, 2, 1) and palette.shape == (3, 1)
    with pytest.raises(ValueError, match="distinct"):
        seg.quantize_colors(gray, 4)
    with pytest.raises(ValueError, match="n_colors"):
        seg.quantize_colors(gray, 0)


# ------------------------------------------------------------------------------------------
# Figures and slider callbacks at their extremes
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("n_colors", [1, 2, 16, 10**6])
def test_draw_quantization_extremes(small_photo, n_colors):
    axes = ps.draw_quantization(small_photo, n_colors)
    assert len(axes) == 3
    if n_colors == 10**6:
        assert "is more than the" in axes[1].texts[0].get_text()


@pytest.mark.parametrize("window, stride, k", [(1, 1, 1), (1, 1, 8), (100, 1, 1), (100, 1, 8),
                                               (100, None, 1), (100, None, 2), (150, 1, 2),
                                               (5, 100, 2), (5, 100, 3), (30, 1, 8), (30, None, 8)])
def test_draw_window_segmentation_extremes(small_photo, window, stride, k):
    axes = ps.draw_window_segmentation(small_photo, k, window, stride)
    assert len(axes) == 3
    if window > 100:
        assert "window=150" in axes[1].texts[0].get_text()
    elif (window, stride, k) in [(100, None, 2), (5, 100, 3)]:
        assert "is more than the" in axes[2].texts[0].get_text()
    else:
        assert axes[2].images                         # a segmentation was drawn


def test_draw_window_segmentation_with_std():
    image, _ = seg.make_texture_image(60, random_state=0)
    assert len(ps.draw_window_segmentation(image, 2, 9, 3, add_std=True)) == 3


@pytest.mark.parametrize("weight", [0.0, 0.5, 5.0])
@pytest.mark.parametrize("k", [1, 8])
def test_draw_position_weight_extremes(small_photo, weight, k):
    assert len(ps.draw_position_weight(small_photo, k, weight)) == 3


def test_draw_position_weight_message():
    axes = ps.draw_position_weight(np.zeros((4, 4), np.uint8), 2, 1.0)
    assert "distinct" in axes[0].texts[0].get_text()


def test_other_figures(small_photo):
    axes = ps.plot_integral_image_demo()
    assert "= 25" in axes[1].get_xlabel() and "= 25" in axes[0].get_xlabel()
    assert ps.plot_quantization_row(small_photo, [1, 4]).shape == (2, 2)
    labels = seg.segment_pixels(small_photo, 3, random_state=0)
    assert len(ps.plot_segmentations(small_photo, [labels, labels], ["a", "b"])) == 3
    overlay = ps.label_overlay(small_photo, labels, alpha=1.0)
    assert overlay.shape == small_photo.shape and 0 <= overlay.min() and overlay.max() <= 1
    ax = ps.plot_palette(np.array([[0.1], [0.9]]))
    assert ax.images
    plt.close("all")


def test_plot_pixel_colors(small_photo):
    axes = ps.plot_pixel_colors(small_photo, 4)
    assert len(axes) == 2 and len(axes[1].collections) == 2
    assert len(ps.plot_pixel_colors(np.arange(12, dtype=np.uint8).reshape(3, 4), 1)) == 2


def test_draw_window_segmentation_full_size_extremes():
    photo = load_image("coffee")                                         # 400 x 600
    for window, stride, k in [(1, 1, 10), (400, 1, 10), (400, None, 1), (100, 200, 2)]:
        assert len(ps.draw_window_segmentation(photo, k, window, stride)) == 3
        plt.close("all")


@settings(max_examples=40, deadline=None)
@given(height=st.integers(1, 24), width=st.integers(1, 24), channels=st.sampled_from([1, 3]),
       window_fraction=st.floats(0, 1), stride=st.one_of(st.none(), st.integers(1, 9)),
       seed=st.integers(0, 2**16))
def test_window_means_equal_naive_any_shape(height, width, channels, window_fraction, stride,
                                            seed):
    image = _random_image((height, width, channels), np.uint8, seed)
    window = 1 + int(window_fraction * (min(height, width) - 1))
    fast = seg.window_mean_features(image, window, stride)
    np.testing.assert_allclose(fast, seg.window_mean_features_naive(image, window, stride),
                               rtol=0, atol=1e-9)
    labels = np.arange(fast.shape[0] * fast.shape[1]).reshape(fast.shape[:2])
    painted = seg.paint_window_labels(labels, image.shape, window, stride)
    rows, cols = _nearest_center_brute_force(height, width, window, stride)
    np.testing.assert_array_equal(painted, labels[rows[:, None], cols[None, :]])


def test_plot_segmentations_colours_a_region_alike_in_every_panel(small_photo):
    """The same partition numbered two ways is drawn in the same colours in both panels."""
    labels = (np.arange(small_photo.shape[0])[:, None] * 3 // small_photo.shape[0]
              + np.zeros(small_photo.shape[1], dtype=int)[None, :])
    renamed = (labels + 1) % 3
    axes = ps.plot_segmentations(small_photo, [labels, renamed], ["a", "b"], show_image=False)
    first, second = (ax.get_images()[0].get_array() for ax in axes)
    assert np.array_equal(np.asarray(first), np.asarray(second))
    plt.close("all")
