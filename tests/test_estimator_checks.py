"""The from-scratch estimators are scikit-learn estimators: sklearn's own checks, Pipeline, GridSearchCV.

Every check of ``sklearn.utils.estimator_checks`` (scikit-learn 1.9) runs on KMeans,
MiniBatchKMeans, NMF and SpectralClustering. One check does not apply to the multiplicative-update NMF and is declared
with its reason (``expected_failed_checks``); a test below shows scikit-learn's own
``NMF(solver='mu')`` fails that same check, so the exemption hides no bug of ours.
"""
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.cluster import KMeans as SklearnKMeans
from sklearn.cluster import SpectralClustering as SklearnSpectralClustering
from sklearn.decomposition import NMF as SklearnNMF
from sklearn.metrics import adjusted_rand_score, make_scorer
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler
from sklearn.utils.estimator_checks import check_transformer_general, parametrize_with_checks

from lessons_src.datasets import load_digits_images, make_blobs_2d, make_moons_2d
from lessons_src.kmeans import KMeans, MiniBatchKMeans
from lessons_src.nmf import NMF
from lessons_src.spectral import SpectralClustering

# scikit-learn's reference NMF warns when it stops at max_iter, which these tests do on purpose.
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

_MU_TRANSFORM_REASON = (
    "multiplicative updates converge sublinearly: transform() re-solves W with H fixed from "
    "scikit-learn's flat start, so after max_iter steps it differs from fit_transform()'s W by "
    "more than the check's atol=0.01; scikit-learn's own NMF(solver='mu') fails this check too "
    "(test_sklearn_mu_nmf_fails_the_same_check)"
)


def _expected_failed_checks(estimator):
    if isinstance(estimator, NMF) and estimator.loss == "euclidean":
        return {"check_transformer_general": _MU_TRANSFORM_REASON,
                "check_transformer_data_not_an_array": _MU_TRANSFORM_REASON}
    return {}


@parametrize_with_checks(
    [
        KMeans(n_clusters=3, n_init=1, random_state=0),
        KMeans(n_clusters=3, init="random", n_init=2, random_state=0),
        MiniBatchKMeans(n_clusters=3, batch_size=16, max_steps=30, random_state=0),
        NMF(n_components=2, random_state=0),
        NMF(n_components=2, loss="kl", random_state=0),
        SpectralClustering(n_clusters=3, gamma=1.0, random_state=0),
        SpectralClustering(n_clusters=3, affinity="nearest_neighbors", n_neighbors=5,
                           random_state=0),
    ],
    expected_failed_checks=_expected_failed_checks,
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


def test_sklearn_mu_nmf_fails_the_same_check():
    """The declared exemption is the method's, not our bug: scikit-learn's MU NMF fails it too."""
    with pytest.raises(AssertionError, match="fit_transform and transform outcomes not consistent"):
        check_transformer_general("NMF", SklearnNMF(n_components=2, solver="mu", max_iter=200,
                                                    random_state=0))


def test_nmf_transform_reconstructs_as_well_as_fit_transform():
    """What the exempted check is after, at the tolerance MU can reach: same reconstruction."""
    X = load_digits_images()[0].reshape(-1, 64)[:200]
    model = NMF(n_components=8, max_iter=400, tol=0, random_state=0)
    W_fit = model.fit_transform(X)
    W_transform = model.transform(X)
    err_fit = np.linalg.norm(X - W_fit @ model.components_)
    err_transform = np.linalg.norm(X - W_transform @ model.components_)
    assert err_transform == pytest.approx(err_fit, rel=0.02)
    assert np.all(W_transform >= 0)


# --- Pipeline ----------------------------------------------------------------------------------
def test_kmeans_in_pipeline_matches_sklearn_pipeline():
    X, y = make_blobs_2d(n_samples=300, n_clusters=4, random_state=0)
    X = X * np.array([100.0, 0.01])  # badly scaled features: the scaler matters
    ours = make_pipeline(StandardScaler(), KMeans(n_clusters=4, init="k-means++", random_state=0))
    ref = make_pipeline(StandardScaler(), SklearnKMeans(n_clusters=4, n_init=1, random_state=0))
    labels_ours = ours.fit_predict(X)
    labels_ref = ref.fit_predict(X)
    assert adjusted_rand_score(labels_ours, labels_ref) == pytest.approx(1.0)
    assert adjusted_rand_score(y, labels_ours) > 0.95
    # transform() goes through the scaler too: distances to the centres in scaled units.
    distances = ours.transform(X)
    assert distances.shape == (300, 4)
    np.testing.assert_array_equal(distances.argmin(axis=1), ours.predict(X))


def test_nmf_in_pipeline_matches_sklearn_mu():
    images, _ = load_digits_images()
    X = images.reshape(len(images), -1)[:300] * 3.0  # not in [0, 1]: MinMaxScaler brings it back
    kwargs = dict(n_components=6, init="nndsvda", max_iter=150, tol=0, random_state=0)
    ours = make_pipeline(MinMaxScaler(), NMF(**kwargs))
    ref = make_pipeline(MinMaxScaler(), SklearnNMF(solver="mu", beta_loss="frobenius", **kwargs))
    W_ours = ours.fit_transform(X)
    W_ref = ref.fit_transform(X)
    np.testing.assert_allclose(W_ours, W_ref, rtol=1e-6, atol=1e-8)
    assert ours[-1].reconstruction_err_ == pytest.approx(ref[-1].reconstruction_err_, rel=1e-9)
    # inverse_transform goes back through NMF, then MinMaxScaler, to X's units.
    np.testing.assert_allclose(ours.inverse_transform(W_ours), ref.inverse_transform(W_ref),
                               rtol=1e-6, atol=1e-6)


def test_spectral_in_pipeline_matches_sklearn():
    X, y = make_moons_2d(n_samples=200, random_state=0)
    kwargs = dict(n_clusters=2, affinity="nearest_neighbors", n_neighbors=10, random_state=0)
    ours = make_pipeline(StandardScaler(), SpectralClustering(**kwargs)).fit_predict(X)
    ref = make_pipeline(StandardScaler(), SklearnSpectralClustering(**kwargs)).fit_predict(X)
    assert adjusted_rand_score(ours, ref) > 0.98
    assert adjusted_rand_score(y, ours) > 0.98


# --- GridSearchCV --------------------------------------------------------------------------------
def _ari_of_refit(estimator, X, y):
    """Scorer for a clusterer without predict (spectral): cluster the held-out fold, compare to y."""
    return adjusted_rand_score(y, clone(estimator).fit_predict(X))


def _negative_reconstruction_error(estimator, X, y=None):
    """Scorer for NMF: minus the Frobenius error of the held-out fold encoded on the fitted basis."""
    return -float(np.linalg.norm(X - estimator.inverse_transform(estimator.transform(X))))


def test_kmeans_grid_search_finds_the_number_of_blobs():
    X, y = make_blobs_2d(n_samples=240, n_clusters=4, cluster_std=0.5, random_state=0)
    grid = {"n_clusters": [2, 3, 4, 5, 6]}
    cv = KFold(3, shuffle=True, random_state=0)
    ours = GridSearchCV(KMeans(n_init=3, random_state=0), grid, scoring=make_scorer(adjusted_rand_score),
                        cv=cv).fit(X, y)
    ref = GridSearchCV(SklearnKMeans(n_init=3, random_state=0), grid,
                       scoring=make_scorer(adjusted_rand_score), cv=cv).fit(X, y)
    assert ours.best_params_ == ref.best_params_ == {"n_clusters": 4}
    np.testing.assert_allclose(ours.cv_results_["mean_test_score"],
                               ref.cv_results_["mean_test_score"], atol=0.05)
    assert isinstance(ours.best_estimator_, KMeans) and ours.best_estimator_.n_clusters == 4


def test_spectral_grid_search_finds_the_number_of_blobs_like_sklearn():
    X, y = make_blobs_2d(n_samples=150, n_clusters=3, cluster_std=0.6, random_state=0)
    grid = {"n_clusters": [2, 3, np.int64(4)]}
    cv = KFold(2, shuffle=True, random_state=0)
    search = GridSearchCV(SpectralClustering(affinity="nearest_neighbors", n_neighbors=10,
                                             random_state=0),
                          grid, scoring=_ari_of_refit, cv=cv).fit(X, y)
    ref = GridSearchCV(SklearnSpectralClustering(affinity="nearest_neighbors", n_neighbors=10,
                                                 random_state=0),
                       grid, scoring=_ari_of_refit, cv=cv).fit(X, y)
    assert search.best_params_["n_clusters"] == ref.best_params_["n_clusters"] == 3
    np.testing.assert_allclose(search.cv_results_["mean_test_score"],
                               ref.cv_results_["mean_test_score"], atol=0.02)
    labels = search.best_estimator_.labels_  # refit on all the data with the best K
    assert adjusted_rand_score(ref.best_estimator_.labels_, labels) > 0.98
    assert adjusted_rand_score(y, labels) > 0.9


def test_nmf_grid_search_prefers_more_components_like_sklearn():
    images, _ = load_digits_images()
    X = images.reshape(len(images), -1)[:240]
    grid = {"n_components": [2, 5, np.uint8(10)]}
    cv = KFold(3, shuffle=True, random_state=0)
    kwargs = dict(init="nndsvda", max_iter=100, random_state=0)
    ours = GridSearchCV(NMF(**kwargs), grid, scoring=_negative_reconstruction_error, cv=cv).fit(X)
    ref = GridSearchCV(SklearnNMF(solver="mu", **kwargs), grid,
                       scoring=_negative_reconstruction_error, cv=cv).fit(X)
    assert ours.best_params_["n_components"] == ref.best_params_["n_components"] == 10
    scores = ours.cv_results_["mean_test_score"]
    assert scores[0] < scores[1] < scores[2]  # more basis images, smaller held-out error
    np.testing.assert_allclose(scores, ref.cv_results_["mean_test_score"], rtol=0.02)
