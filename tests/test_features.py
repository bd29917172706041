"""Image features: raw, PCA and NMF against scikit-learn, dense SIFT against scikit-image."""
import functools

import matplotlib.pyplot as plt
import numpy as np
import pytest
from skimage.transform import resize
from sklearn.decomposition import NMF, PCA

from lessons_src import features
from lessons_src.datasets import load_digits_images


@pytest.fixture(scope="module")
def digits():
    images, labels = load_digits_images()
    return images[:300], labels[:300]


def test_to_gray_and_raw_features_shapes_and_scaling():
    rgb = np.zeros((2, 4, 5, 3), dtype=np.uint8)
    rgb[1, ..., 0] = 255
    gray = features.to_gray(rgb)
    assert gray.shape == (2, 4, 5)
    np.testing.assert_allclose(gray[1], 1 / 3)
    assert features.raw_features(rgb).shape == (2, 60)
    assert features.raw_features(gray).shape == (2, 20)
    digits16 = load_digits_images()[0][:3]           # 0..16 floats are taken as 0..255
    assert features.raw_features(digits16).max() <= 1.0


def test_pca_features_equal_sklearn(digits):
    images, _ = digits
    X = images.reshape(len(images), -1) / 255.0
    expected = PCA(n_components=7, svd_solver="full").fit_transform(X)
    np.testing.assert_allclose(features.pca_features(images, np.int64(7)), expected, atol=1e-10)
    white = features.pca_features(images, 5, whiten=True)
    np.testing.assert_allclose(white.std(axis=0, ddof=1), 1.0, rtol=1e-8)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_nmf_features_equal_sklearn_mu_and_reconstruct(digits):
    images, _ = digits
    X = images.reshape(len(images), -1) / 255.0
    H = features.nmf_features(images, 10, random_state=0)
    model = NMF(n_components=10, init="nndsvda", solver="mu", max_iter=200, tol=1e-4,
                random_state=0)
    np.testing.assert_allclose(H, model.fit_transform(X), rtol=1e-8, atol=1e-12)
    assert H.min() >= 0
    # The weights times the basis images give back the digits to within a small error.
    relative = np.linalg.norm(X - H @ model.components_) / np.linalg.norm(X)
    assert relative < 0.35


def test_nmf_features_warn_nothing_but_keep_other_warnings(digits):
    """Only scikit-learn's 'maximum number of iterations' ConvergenceWarning is silenced."""
    import warnings

    images, _ = digits
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        features.nmf_features(images[:50], 5, random_state=0, max_iter=3)   # stops at max_iter
    with pytest.warns(UserWarning, match="still shown"):
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Maximum number of iterations")
            warnings.warn("still shown", UserWarning)
            features.nmf_features(images[:50], 5, random_state=0, max_iter=3)


@pytest.mark.parametrize("make", [lambda: 3, lambda: np.random.default_rng(3),
                                  lambda: np.random.RandomState(3)],
                         ids=["int", "Generator", "RandomState"])
def test_random_state_of_every_kind_gives_reproducible_features(digits, make):
    images, _ = digits
    for compute in (lambda rs: features.nmf_features(images[:80], 4, random_state=rs, max_iter=20),
                    lambda rs: features.sift_bovw_features(images[:40], 8, random_state=rs)):
        np.testing.assert_array_equal(compute(make()), compute(make()))


def test_resize_images_is_skimage_resize_of_each_image():
    rng = np.random.default_rng(0)
    stack = (rng.random((3, 40, 30, 3)) * 255).astype(np.uint8)
    out = features.resize_images(stack, (13, 11))
    assert out.shape == (3, 13, 11, 3)
    for image, resized in zip(stack, out):
        np.testing.assert_allclose(resized, resize(image / 255.0, (13, 11), order=1,
                                                   anti_aliasing=True, mode="reflect"),
                                   atol=1e-12)
    np.testing.assert_array_equal(features.resize_images(stack, (40, 30)), stack / 255.0)
    # A stack of several chunks (a few images are converted and resized at a time): the same
    # as resizing the whole stack at once, to the last bit; gray=True averages colour first.
    big = (rng.random((30, 100, 90, 3)) * 255).astype(np.uint8)
    whole = resize(big / 255.0, (30, 31, 29, 3), order=1, anti_aliasing=True, mode="reflect")
    np.testing.assert_array_equal(features.resize_images(big, (31, 29)), whole)
    np.testing.assert_array_equal(features.resize_images(big, (31, 29), gray=True),
                                  features.resize_images(features.to_gray(big), (31, 29)))
    # The pipeline shrinks large images with this very function, and SIFT upsamples with it.
    # 40 x 30 shrunk to at most 143 pixels: 13 x 10.
    assert np.array_equal(pipeline.prepare_images(stack, max_pixels=143),
                          features.resize_images(stack, (13, 10)))


def test_component_count_checked():
    images = np.zeros((5, 3, 3))
    with pytest.raises(ValueError, match="n_components must be <= min"):
        features.pca_features(images, 6)
    with pytest.raises(TypeError, match="n_components must be an integer"):
        features.nmf_features(images, 2.5)


def test_dense_grid_and_working_size():
    grid = features.dense_grid((32, 32), 8)
    assert grid.shape == (16, 2)
    np.testing.assert_array_equal(np.unique(grid[:, 0]), [3, 11, 19, 27])  # centred
    assert features.dense_grid((3, 3), 8).tolist() == [[1, 1]]
    assert features.sift_working_size((8, 8)) == (32, 32)
    assert features.sift_working_size((112, 92)) == (58, 48)
    assert features.sift_working_size((40, 50)) == (40, 50)


@pytest.mark.parametrize("sigma", [1.6, features.SIFT_SIGMA])
def test_dense_sift_equals_scikit_image_sift(sigma):
    """Our vectorised descriptors are scikit-image's SIFT descriptors: same keypoints handed
    to ``skimage.feature.SIFT.extract``, equal up to its uint8 quantisation (1/512)."""
    rng = np.random.default_rng(0)
    smooth = np.cumsum(np.cumsum(rng.random((2, 37, 41)), axis=1), axis=2)
    images = np.concatenate([rng.random((2, 37, 41)), smooth / smooth.max()])
    positions = np.array([[0, 0], [5, 7], [18, 20], [36, 40], [30, 3]])
    ours = features.dense_sift_descriptors(images, positions, sigma=sigma)
    theirs = features.dense_sift_descriptors(images, positions, sigma=sigma, backend="skimage")
    assert ours.shape == theirs.shape == (4, 5, 128)
    assert np.abs(ours - theirs).max() <= 1 / 512 + 1e-9
    # The quantised values agree within one step (floor at a boundary may differ).
    q_ours = np.minimum(np.floor(512 * ours), 255)
    q_theirs = np.round(512 * theirs)
    assert np.abs(q_ours - q_theirs).max() <= 1


def test_dense_sift_batches_give_the_same_descriptors():
    rng = np.random.default_rng(1)
    images = rng.random((7, 32, 32))
    positions = features.dense_grid((32, 32), 8)
    every = features.dense_sift_descriptors(images, positions, batch=7)
    for batch in (1, 3, None):
        np.testing.assert_allclose(features.dense_sift_descriptors(images, positions, batch=batch),
                                   every, rtol=0, atol=1e-14)


def test_orl_features_never_copy_the_whole_stack_as_float():
    """Lesson 08's memory: on the 400 ORL faces (4 MB of uint8) neither shrinking them for raw
    pixels, PCA and NMF nor their SIFT words makes a float64 copy of the whole stack (31 MiB):
    images are converted and resized a few at a time, dense SIFT works in batches. Measured:
    5 MiB and 20 MiB (the 7.8 MiB of descriptors, then K-Means), where it used to be 97 MiB
    and 119 MiB."""
    import tracemalloc

    from lessons_src.datasets import load_orl_faces

    faces = load_orl_faces()[0]
    whole = faces.size * 8
    features.sift_bovw_features(faces[:20], 5, random_state=0)   # imports, outside the measure
    for compute, share in ((lambda: pipeline.prepare_images(faces), 0.25),
                           (lambda: features.sift_bovw_features(faces, 50, random_state=0), 0.8)):
        tracemalloc.start()
        try:
            compute()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < share * whole, f"{peak / 2 ** 20:.1f} MiB"


def test_dense_sift_sees_orientation():
    # A vertical edge (intensity rising along columns) and the same edge turned by 90 degrees
    # give different descriptors, and each is unit length.
    image = np.tile(np.linspace(0, 1, 32), (32, 1))
    both = np.stack([image, image.T])
    d = features.dense_sift_descriptors(both, [[16, 16]])
    np.testing.assert_allclose(np.linalg.norm(d, axis=-1), 1.0)
    assert np.abs(d[0, 0] - d[1, 0]).sum() > 1.0
    with pytest.raises(ValueError, match="inside"):
        features.dense_sift_descriptors(both, [[40, 0]])
    with pytest.raises(ValueError, match="backend"):
        features.dense_sift_descriptors(both, [[1, 1]], backend="opencv")


def test_sift_bovw_histograms(digits):
    images, labels = digits
    details = features.sift_bovw_features(images, n_words=np.int32(20), random_state=0,
                                          return_details=True)
    X = details.features
    assert X.shape == (300, 20)
    np.testing.assert_allclose(X.sum(axis=1), 1.0)
    assert X.min() >= 0
    assert details.gray.shape == (300, 32, 32)              # 8 x 8 upsampled 4 times
    np.testing.assert_array_equal(details.gray, features.resize_images(features.to_gray(images),
                                                                       (32, 32)))
    assert details.words.shape == (300, len(details.positions))
    assert details.descriptors.shape == (300, len(details.positions), 128)
    assert details.vocabulary.cluster_centers_.shape == (20, 128)
    # Each histogram counts the words of its own descriptors.
    counts = np.bincount(details.words[7], minlength=20)
    np.testing.assert_allclose(X[7], counts / counts.sum())
    # Same seed, same features; the words carry class information (0s differ from 1s).
    np.testing.assert_array_equal(X, features.sift_bovw_features(images, 20, random_state=0))
    zeros, ones = X[labels == 0].mean(axis=0), X[labels == 1].mean(axis=0)
    assert np.abs(zeros - ones).sum() > 0.5


def test_sift_bovw_colour_large_and_too_many_words():
    rng = np.random.default_rng(0)
    photos = (rng.random((3, 100, 150, 3)) * 255).astype(np.uint8)
    X = features.sift_bovw_features(photos, 5, random_state=0)
    assert X.shape == (3, 5)
    with pytest.raises(ValueError, match="n_words must be <="):
        features.sift_bovw_features(photos[:1], 500)


# ----------------------------------------------------------------------------------------------
# Lesson 08 figures, the dropdown callback at its extremes, and the exercise checks
# ----------------------------------------------------------------------------------------------

from lessons_src import pipeline  # noqa: E402
from lessons_src.figures import features as plot_features  # noqa: E402


@pytest.fixture(scope="module")
def small_collection():
    rng = np.random.default_rng(0)
    y = np.repeat(np.arange(3), 8)
    base = np.zeros((3, 16, 16))
    base[1, :, :8] = 1.0
    base[2, :8, :] = 1.0
    images = np.clip(base[y] + rng.normal(scale=0.1, size=(24, 16, 16)), 0, 1)
    cache = {f: pipeline.compute_features(images, f, random_state=0) for f in pipeline.FEATURES}
    return images, y, cache


def test_draw_cluster_gallery_every_choice_and_slider_extremes(small_collection):
    images, y, cache = small_collection
    draw = functools.partial(plot_features.draw_cluster_gallery, images, y, cache,
                             class_names=["a", "b", "c"], random_state=0)
    for features_name in pipeline.FEATURES:
        for algorithm in pipeline.ALGORITHMS:
            # the slider's ends (1 and 12) for every menu choice; K = n once per algorithm
            for k in (1, 12) if features_name != "raw" else (1, 12, len(images)):
                gallery = draw(features_name, algorithm, k)
                assert 1 <= len(gallery.axes) <= 8
                assert set(gallery.scores) == {"ARI", "NMI", "accuracy", "silhouette"}
                if k == 1 or k == len(images):
                    assert np.isnan(gallery.scores["silhouette"])
                plt.close("all")
    gallery = draw("raw", "spectral", 3)
    assert gallery.scores["ARI"] == pytest.approx(1.0)
    assert "ARI 1.00" in gallery.axes[0].figure._suptitle.get_text()
    assert "mostly a" in "".join(ax.get_ylabel() for ax in gallery.axes)


def test_cluster_gallery_marks_errors_in_red():
    images = np.zeros((6, 4, 4))
    labels = np.array([0, 0, 0, 1, 1, 1])
    truth = np.array([5, 5, 7, 7, 7, 7])
    axes = plot_features.plot_cluster_gallery(images, labels, truth, n_per_row=3)
    assert len(axes) == 2 and "mostly 5" in axes[0].get_ylabel()
    strip = axes[0].images[0].get_array()
    pad = 2
    red = np.all(np.isclose(strip[0], (0.85, 0.1, 0.1)), axis=-1)      # top row of the strip
    tile = 4 + 2 * pad
    assert not red[:2 * tile].any() and red[2 * tile:].all()           # only the third: class 7
    assert not np.isclose(axes[1].images[0].get_array()[0], (0.85, 0.1, 0.1)).all(axis=-1).any()
    big = np.zeros((20, 112, 92), dtype=np.uint8)
    axes = plot_features.plot_cluster_gallery(big, np.arange(20) % 10, max_thumbnail=48)
    assert len(axes) == 8 and "2 smaller clusters not shown" in axes[0].figure._suptitle.get_text()
    assert axes[0].images[0].get_array().shape[0] == 38 + 2 * 3


def test_score_heatmap_values_and_layout():
    scores = {(f, a): {"ARI": 0.1, "NMI": 0.5, "accuracy": 0.9, "silhouette": -0.2}
              for f in ("raw", "sift") for a in pipeline.ALGORITHMS}
    scores["raw", "kmeans"]["NMI"] = float("nan")
    axes = plot_features.plot_score_heatmap(scores, title="t")
    assert len(axes) == 4
    texts = [t.get_text() for t in axes[1].texts]
    assert texts[0] == "n/a" and texts[1] == "0.50" and len(texts) == 6
    assert axes[3].images[0].get_clim() == (-1, 1)


def test_sift_figures(digits):
    images, _ = digits
    details = features.sift_bovw_features(images[:60], 10, random_state=0, return_details=True)
    patches = plot_features.word_patches(details, 0, n_examples=4)
    assert patches.shape[1:] == (25, 25) and 1 <= len(patches) <= 4
    axes = plot_features.plot_visual_words(details, n_words=3, n_examples=4)
    assert len(axes) == 3 and axes[0].images[0].get_array().shape == (25, 4 * 28 - 3)
    ax = plot_features.plot_dense_grid(details.gray[0], details.positions, highlight=5)
    assert len(ax.patches) == 16
    from lessons_src.datasets import load_orl_faces

    drawn = plot_features.plot_sift_keypoints(load_orl_faces()[0][0], max_keypoints=10)
    assert drawn.sift.descriptors.shape[1] == 128
    assert len(drawn.ax.patches) == min(10, len(drawn.sift.sigmas))




# ----------------------------------------------------------------------------------------------
# The bag-of-words recipe (issue 21): RootSIFT, TF-IDF, L2, and the plain keypoint baseline


def test_root_sift_is_the_hellinger_map():
    rng = np.random.default_rng(0)
    d = rng.random((5, 128))
    r = features.root_sift(d)
    np.testing.assert_allclose(r, np.sqrt(d / d.sum(axis=1, keepdims=True)), rtol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(r, axis=1), 1.0, rtol=1e-12)
    # Squared Euclidean distance of RootSIFT = 2 (1 - Bhattacharyya coefficient) of the L1 histograms.
    p, q = d[0] / d[0].sum(), d[1] / d[1].sum()
    assert np.sum((r[0] - r[1]) ** 2) == pytest.approx(2 * (1 - np.sum(np.sqrt(p * q))), rel=1e-12)
    np.testing.assert_array_equal(features.root_sift(np.zeros((2, 128))), 0.0)
    with pytest.raises(ValueError, match="non-negative"):
        features.root_sift(-d)


def test_tfidf_and_normalisation_match_scikit_learn():
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.preprocessing import normalize

    rng = np.random.default_rng(1)
    counts = rng.poisson(0.7, size=(30, 12)).astype(float)
    counts[:, 3] = 0          # a word nobody uses
    counts[:, 4] += 1         # a word everybody uses
    counts[7] = 0             # an image with no descriptor
    used = counts.any(axis=0)
    reference = TfidfTransformer(smooth_idf=False, norm=None).fit(counts[:, used])
    idf = features.tfidf_weights(counts)
    np.testing.assert_allclose(idf[used], reference.idf_ - 1.0, rtol=1e-12)   # sklearn adds 1
    assert idf[3] == 0.0 and idf[4] == pytest.approx(np.log(30 / 29))   # all but image 7
    tf = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    np.testing.assert_allclose(features.weight_histograms(counts, tfidf=True, norm="l2"),
                               normalize(tf * idf), atol=1e-12)
    np.testing.assert_allclose(features.weight_histograms(counts), normalize(counts, norm="l1"),
                               atol=1e-12)
    assert not features.weight_histograms(counts, tfidf=True, norm="l2")[7].any()
    with pytest.raises(ValueError, match="norm"):
        features.weight_histograms(counts, norm="max")
    np.testing.assert_array_equal(features.word_counts([[0, 2, 2], []], 4),
                                  [[1, 0, 2, 0], [0, 0, 0, 0]])


def test_sift_bovw_recipe_options(digits):
    images, _ = digits
    plain = features.sift_bovw_features(images[:80], 12, random_state=0, return_details=True)
    full = features.sift_bovw_features(images[:80], 12, random_state=0, root=True, tfidf=True,
                                       norm="l2", return_details=True)
    np.testing.assert_allclose(full.descriptors, features.root_sift(plain.descriptors), atol=1e-12)
    counts = features.word_counts(full.words, 12)
    np.testing.assert_allclose(full.features,
                               features.weight_histograms(counts, tfidf=True, norm="l2"))
    norms = np.linalg.norm(full.features, axis=1)
    assert np.all(np.isclose(norms, 1.0) | np.isclose(norms, 0.0))
    np.testing.assert_allclose(plain.features.sum(axis=1), 1.0)


def test_keypoint_descriptors_are_scikit_image_sift():
    from skimage.feature import SIFT

    from lessons_src.datasets import load_orl_faces

    face = load_orl_faces()[0][0]
    found = features.keypoint_sift_descriptors(np.stack([face, np.zeros_like(face)]))
    sift = SIFT()
    sift.detect_and_extract(face / face.max())
    np.testing.assert_array_equal(found[0], sift.descriptors)
    assert found[1].shape == (0, 128)                           # a blank image: no keypoint
    X = features.keypoint_bovw_features(found, n_words=5, random_state=0)
    assert X.shape == (2, 5) and X[0].sum() == pytest.approx(1.0) and not X[1].any()


@pytest.fixture(scope="module")
def recipe_tables():
    """NMI of every recipe step over seeds 0, 1, 2 on each lesson collection (ORL: the first ten
    people, K = 10, to keep scikit-image's keypoint detection short)."""
    collections = plot_features.lesson_collections(random_state=0)
    images, people, _, _ = collections["ORL"]
    collections["ORL"] = (images[:100], people[:100], 10, None)
    return {name: plot_features.recipe_nmi(images, y, k, n_words=50, seeds=(0, 1, 2))
            for name, (images, y, k, _) in collections.items()}


@pytest.mark.parametrize("name", ["ORL", "digits", "faces"])
def test_recipe_at_least_the_plain_keypoint_baseline(recipe_tables, name):
    """The full recipe (dense upsampled RootSIFT, TF-IDF, L2) >= scikit-image keypoints + K-Means
    vocabulary, NMI averaged over three seeds (measured: ORL 0.84 vs 0.72, digits 0.78 vs 0.25,
    faces vs non-faces 0.72 vs 0.10)."""
    table = recipe_tables[name]
    assert table["+ L2 norm"].mean() >= table["plain SIFT keypoints"].mean()
    assert table["dense, upsampled"].mean() >= table["plain SIFT keypoints"].mean()


def test_recipe_on_textures_what_holds(recipe_tables):
    """On the three textures the dense words beat the keypoint baseline, but RootSIFT + TF-IDF +
    L2 fall below both (measured: keypoints 0.63, dense 0.66, full recipe 0.58): the lesson says
    so, and this test keeps that statement true."""
    table = {step: values.mean() for step, values in recipe_tables["textures"].items()}
    assert table["dense, upsampled"] >= table["plain SIFT keypoints"]
    assert table["+ L2 norm"] < table["dense, upsampled"]


def test_recipe_nmi_dense_steps_equal_sift_bovw_features(small_collection):
    images, y, _ = small_collection
    table = plot_features.recipe_nmi(images, y, 3, n_words=8, seeds=(4,))
    for step, options in plot_features.RECIPE_STEPS.items():
        if options is None:
            continue
        X = features.sift_bovw_features(images, 8, random_state=4, **options)
        labels = pipeline.cluster_features(X, 3, "kmeans", random_state=4)
        assert table[step][0] == pytest.approx(pipeline.evaluate(y, labels)["NMI"], abs=1e-12)


def test_recipe_caches_hold_little(small_collection):
    """What stays in memory after recipe_nmi: the word counts and the keypoints' descriptors as
    uint8 (scikit-image's values), not the dense descriptors (19 MB for lesson 08's digits)."""
    images, y, _ = small_collection
    plot_features.recipe_nmi(images, y, 3, n_words=8, seeds=(5,))
    assert plot_features._dense_descriptors.cache_info().currsize == 0
    cached = plot_features.keypoint_descriptors(images)
    expected = features.keypoint_sift_descriptors(images)
    assert all(d.dtype == np.uint8 for d in cached) and len(cached) == len(expected)
    for ours, theirs in zip(cached, expected):
        np.testing.assert_array_equal(ours, theirs)


def test_draw_vocabulary_size_at_the_slider_ends(small_collection):
    images, y, _ = small_collection
    for n_words in (10, 100):        # the slider's ends
        ax = plot_features.draw_vocabulary_size(images, y, 3, n_words=n_words, seed=0, name="t")
        assert len(ax.patches) == len(plot_features.RECIPE_STEPS)
        assert str(n_words) in ax.get_title()
        plt.close("all")
    ax = plot_features.plot_recipe_steps({"a": plot_features.recipe_nmi(images, y, 3, 8, (0, 1))})
    assert len(ax.patches) == len(plot_features.RECIPE_STEPS)
    plt.close("all")
