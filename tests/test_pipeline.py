"""The image-clustering pipeline: argument handling, evaluation, and the quality bar.

Quality bar (issue 7): for every feature x algorithm, on digits and ORL, the pipeline with its
defaults scores at least what scikit-learn reaches with its own defaults on the same data:
the same prepared pixels (``prepare_images``), sklearn ``PCA`` / ``NMF`` with the same number
of components, then sklearn ``KMeans`` / ``AgglomerativeClustering`` / ``SpectralClustering``
with the same ``n_clusters`` and ``random_state``. NMI is averaged over three seeds, since one
K-Means run varies by a few hundredths from seed to seed.
"""
import warnings

import numpy as np
import pytest
from sklearn import metrics as skmetrics
from sklearn.cluster import AgglomerativeClustering, KMeans, SpectralClustering
from sklearn.decomposition import NMF, PCA
from sklearn.exceptions import ConvergenceWarning
from threadpoolctl import threadpool_limits

from lessons_src import pipeline
from lessons_src.datasets import load_digits_images, load_orl_faces

SEEDS = (0, 1, 2)


@pytest.fixture(scope="module")
def collections():
    digits, digit_labels = load_digits_images()
    orl, people = load_orl_faces()
    return {"digits": (digits, digit_labels, 10), "orl": (orl, people, 40)}


@pytest.fixture(scope="module")
def quality_table(collections):
    """NMI of ours and of the sklearn baseline, per (data, features, algorithm), seed-averaged."""
    table = {}
    with threadpool_limits(limits=1), warnings.catch_warnings():
        # The baseline's sklearn NMF stops at its max_iter on these data, and says so.
        warnings.filterwarnings("ignore", category=ConvergenceWarning,
                                message="Maximum number of iterations")
        for name, (images, y, k) in collections.items():
            pixels = pipeline.prepare_images(images).reshape(len(images), -1)
            ours_features = {f: pipeline.compute_features(images, f, random_state=0)
                             for f in ("raw", "pca", "nmf")}
            n_components = ours_features["pca"].shape[1]
            assert ours_features["nmf"].shape[1] == n_components
            base_features = {
                "raw": pixels,
                "pca": PCA(n_components=n_components, random_state=0).fit_transform(pixels),
                "nmf": NMF(n_components=n_components, random_state=0).fit_transform(pixels),
            }
            for feature in ("raw", "pca", "nmf"):
                for algorithm in pipeline.ALGORITHMS:
                    ours, base = [], []
                    for seed in SEEDS:
                        labels = pipeline.cluster_features(ours_features[feature], k, algorithm,
                                                           random_state=seed)
                        ours.append(skmetrics.normalized_mutual_info_score(y, labels))
                        model = {
                            "kmeans": KMeans(n_clusters=k, random_state=seed),
                            "agglomerative": AgglomerativeClustering(n_clusters=k),
                            "spectral": SpectralClustering(n_clusters=k, random_state=seed),
                        }[algorithm]
                        labels = model.fit_predict(base_features[feature])
                        base.append(skmetrics.normalized_mutual_info_score(y, labels))
                        if algorithm == "agglomerative":
                            break  # deterministic: one seed is enough
                    table[name, feature, algorithm] = (float(np.mean(ours)), float(np.mean(base)))
    return table


@pytest.mark.parametrize("name", ["digits", "orl"])
@pytest.mark.parametrize("feature", ["raw", "pca", "nmf"])
@pytest.mark.parametrize("algorithm", list(pipeline.ALGORITHMS))
def test_quality_bar_at_least_sklearn_baseline(quality_table, name, feature, algorithm):
    ours, base = quality_table[name, feature, algorithm]
    # K-Means is scored on three seeds; sklearn's single run moves by about +-0.01 from seed to
    # seed. On digits' raw pixels the two tie (3 seeds: 0.737 vs 0.738; 10 seeds: 0.739 vs
    # 0.735), so K-Means is allowed half a hundredth of seed noise. Everything else: at least.
    slack = 0.005 if algorithm == "kmeans" else 0.0
    assert ours >= base - slack, (
        f"{name} {feature} {algorithm}: ours NMI {ours:.3f} < sklearn {base:.3f}")


# Our own regression floors, a few hundredths under what the defaults reach today (NMI averaged
# over SEEDS, measured 2026-12: ORL raw + spectral 0.921, raw + K-Means 0.893, NMF + K-Means
# 0.847; digits raw + spectral 0.870). Not a published result: they only catch a change that
# makes the defaults worse.
NMI_FLOORS = {("orl", "raw", "spectral"): 0.90, ("orl", "raw", "kmeans"): 0.87,
              ("orl", "nmf", "kmeans"): 0.80, ("digits", "raw", "spectral"): 0.84}


@pytest.mark.parametrize("key", list(NMI_FLOORS), ids="-".join)
def test_nmi_stays_above_our_floors(quality_table, key):
    ours, _ = quality_table[key]
    assert ours >= NMI_FLOORS[key], f"{key}: NMI {ours:.3f} < floor {NMI_FLOORS[key]}"


@pytest.mark.parametrize("make", [lambda: 5, lambda: np.random.default_rng(5),
                                  lambda: np.random.RandomState(5)],
                         ids=["int", "Generator", "RandomState"])
def test_every_kind_of_random_state_gives_reproducible_clusters(collections, make):
    images, _, _ = collections["digits"]
    for features in ("nmf", "sift"):
        first = pipeline.cluster_images(images[:120], 10, features, "kmeans", random_state=make())
        again = pipeline.cluster_images(images[:120], 10, features, "kmeans", random_state=make())
        np.testing.assert_array_equal(first, again)
    with pytest.raises(TypeError, match="random_state"):
        pipeline.cluster_features(np.eye(4), 2, random_state="0")


def test_sift_pipeline_beats_chance_and_sklearn_defaults_on_digits(collections):
    images, y, k = collections["digits"]
    images, y = images[:600], y[:600]
    X = pipeline.compute_features(images, "sift", random_state=0)
    assert X.shape == (600, 50)
    labels = pipeline.cluster_features(X, k, "kmeans", random_state=0)
    ours = skmetrics.normalized_mutual_info_score(y, labels)
    base = skmetrics.normalized_mutual_info_score(y, KMeans(k, random_state=0).fit_predict(X))
    shuffled = skmetrics.normalized_mutual_info_score(np.random.default_rng(0).permutation(y),
                                                      labels)
    assert ours > 0.5 > 0.05 > shuffled
    assert ours >= base - 0.02  # one K-Means run each: seed noise of about 0.02


@pytest.mark.filterwarnings("error")
def test_cluster_images_end_to_end_any_dtype_and_colour():
    rng = np.random.default_rng(0)
    # Three "classes" of 12 x 10 colour images: dark, bright left half, bright right half.
    base = np.zeros((3, 12, 10, 3))
    base[1, :, :5] = 1.0
    base[2, :, 5:] = 1.0
    y = np.repeat(np.arange(3), 10)
    images = np.clip(base[y] + rng.normal(scale=0.1, size=(30, 12, 10, 3)), 0, 1)
    as_uint8 = (images * 255).astype(np.uint8)
    for stack in (images, as_uint8, as_uint8.mean(axis=3)):
        for feature in ("raw", "pca", "nmf"):
            for algorithm in pipeline.ALGORITHMS:
                labels = pipeline.cluster_images(stack, np.uint8(3), feature, algorithm,
                                                 random_state=0)
                assert labels.shape == (30,) and labels.dtype == np.int64
                assert skmetrics.adjusted_rand_score(y, labels) == pytest.approx(1.0)


def test_extreme_k_and_tiny_collections():
    images = np.random.default_rng(1).random((6, 5, 5))
    for algorithm in pipeline.ALGORITHMS:
        np.testing.assert_array_equal(pipeline.cluster_images(images, 1, "raw", algorithm), 0)
        np.testing.assert_array_equal(pipeline.cluster_images(images, np.int64(6), "raw", algorithm),
                                      np.arange(6))
        labels = pipeline.cluster_images(images, 5, "pca", algorithm, random_state=0)
        assert len(np.unique(labels)) <= 5
        labels = pipeline.cluster_images(images, np.uint8(2), "sift", algorithm, random_state=0)
        assert labels.shape == (6,) and set(labels) <= {0, 1}
    one = pipeline.cluster_images(images[:1], 1)
    np.testing.assert_array_equal(one, [0])
    # Identical images: K-Means has fewer distinct points than clusters, and must not warn.
    same = np.zeros((5, 4, 4))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert pipeline.cluster_images(same, 3, "raw", "kmeans", random_state=0).shape == (5,)
        assert pipeline.cluster_images(same, 3, "raw", "spectral", random_state=0).shape == (5,)


def test_bad_arguments_raise_clear_errors():
    images = np.zeros((4, 3, 3))
    with pytest.raises(ValueError, match="features must be one of"):
        pipeline.cluster_images(images, 2, features="hog")
    with pytest.raises(ValueError, match="algorithm must be one of"):
        pipeline.cluster_images(images, 2, algorithm="dbscan")
    with pytest.raises(ValueError, match="n_clusters must be <= 4"):
        pipeline.cluster_images(images, 5)
    with pytest.raises(ValueError, match="n_clusters must be >= 1"):
        pipeline.cluster_images(images, 0)
    with pytest.raises(TypeError, match="n_clusters must be an integer"):
        pipeline.cluster_images(images, 2.0)
    with pytest.raises(TypeError, match="unknown option"):
        pipeline.cluster_images(images, 2, n_cluster=3)
    with pytest.raises(ValueError, match="images must have shape"):
        pipeline.cluster_images(np.zeros((4, 3)), 2)


def test_prepare_images_shrinks_large_and_keeps_small():
    small = np.random.default_rng(0).random((3, 8, 8))
    assert pipeline.prepare_images(small) is not small
    np.testing.assert_allclose(pipeline.prepare_images(small), small)
    big = np.full((2, 112, 92), 200, dtype=np.uint8)
    out = pipeline.prepare_images(big)
    assert out.shape[1] * out.shape[2] <= 1024 and out.shape[1] > out.shape[2]
    np.testing.assert_allclose(out, 200 / 255)


def test_default_n_neighbors_sized_from_n_and_k():
    assert pipeline.default_n_neighbors(400, 40) == 5
    assert pipeline.default_n_neighbors(1797, 10) == 10
    assert pipeline.default_n_neighbors(3, 2) == 2


def test_evaluate_uses_lessons_metrics_and_matches_sklearn():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 4, 200)
    labels = np.where(rng.random(200) < 0.7, (y + 1) % 4, rng.integers(0, 4, 200))
    X = rng.normal(size=(200, 3)) + y[:, None]
    scores = pipeline.evaluate(y, labels, features=X)
    assert set(scores) == {"ARI", "NMI", "accuracy", "silhouette"}
    assert scores["ARI"] == pytest.approx(skmetrics.adjusted_rand_score(y, labels))
    assert scores["NMI"] == pytest.approx(skmetrics.normalized_mutual_info_score(y, labels))
    assert scores["silhouette"] == pytest.approx(skmetrics.silhouette_score(X, labels))
    # Accuracy after matching: the relabelled clusters (k -> k + 1) are matched back.
    expected = np.mean(((labels - 1) % 4) == y)
    assert scores["accuracy"] == pytest.approx(expected)
    assert set(pipeline.evaluate(y, labels)) == {"ARI", "NMI", "accuracy"}
    assert np.isnan(pipeline.evaluate(y, np.zeros(200, int), features=X)["silhouette"])
    with pytest.raises(ValueError, match="one row per label"):
        pipeline.evaluate(y, labels, features=X[:10])


def test_gnmf_features_are_gnmf_on_unit_rows(collections):
    from lessons_src.nmf import GNMF

    images = collections["digits"][0][:150]
    X = pipeline.prepare_images(images).reshape(150, -1)
    X = X / np.linalg.norm(X, axis=1, keepdims=True)
    expected = GNMF(21, random_state=3).fit_transform(X)
    np.testing.assert_allclose(pipeline.compute_features(images, "gnmf", random_state=3), expected)


@pytest.mark.parametrize("name", ["orl", "digits"])
def test_gnmf_features_cluster_better_than_nmf(collections, name):
    """Issue 20: K-Means on the pipeline's GNMF encodings beats it on the NMF weights, NMI
    averaged over seeds 0, 1, 2 (measured: ORL 0.885 vs 0.856, the lesson's 600 digits 0.856 vs
    0.666), and on digits for every seed."""
    images, y, k = collections[name]
    if name == "digits":
        images, y = images[:600], y[:600]
    nmi = {"nmf": [], "gnmf": []}
    for seed in SEEDS:
        for feature in nmi:
            X = pipeline.compute_features(images, feature, random_state=seed)
            labels = pipeline.cluster_features(X, k, "kmeans", random_state=seed)
            nmi[feature].append(skmetrics.normalized_mutual_info_score(y, labels))
    assert np.mean(nmi["gnmf"]) > np.mean(nmi["nmf"]), nmi
    if name == "digits":
        assert min(nmi["gnmf"]) > max(nmi["nmf"]), nmi
