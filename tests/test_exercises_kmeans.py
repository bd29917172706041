"""Each K-Means exercise check accepts a correct solution and rejects wrong ones with a hint."""
import numpy as np

from lessons_src.exercises import kmeans_steps, kmeans_variants


def _assign(X, centers):
    return np.argmin(((X[:, None, :] - centers[None, :, :]) ** 2).sum(-1), axis=1)


def _update(X, labels, n_clusters):
    return np.array([X[labels == k].mean(axis=0) for k in range(n_clusters)])


def _d2(X, centers):
    d2 = ((X[:, None, :] - centers[None, :, :]) ** 2).sum(-1).min(axis=1)
    return d2 / d2.sum()


def _inertia(X, labels, centers):
    return float(((X - centers[labels]) ** 2).sum())


def _stub(*args):
    raise NotImplementedError


def _assert_rejected(result, text="Not yet"):
    assert not result
    assert repr(result).startswith(text) and "Hint:" in repr(result)


def test_check_assign():
    assert kmeans_steps.check_assign(_assign)
    assert repr(kmeans_steps.check_assign(_assign)).startswith("Correct")
    _assert_rejected(kmeans_steps.check_assign(lambda X, C: np.argmax(((X[:, None] - C[None]) ** 2).sum(-1), axis=1)))
    # Manhattan distance is a different rule: caught on some case.
    _assert_rejected(kmeans_steps.check_assign(lambda X, C: np.argmin(np.abs(X[:, None] - C[None]).sum(-1), axis=1)))
    _assert_rejected(kmeans_steps.check_assign(_stub))
    assert not kmeans_steps.check_assign("not a function")


def test_check_update_centers():
    assert kmeans_steps.check_update_centers(_update)
    _assert_rejected(kmeans_steps.check_update_centers(lambda X, labels, k: np.array(
        [np.median(X[labels == j], axis=0) for j in range(k)])))
    _assert_rejected(kmeans_steps.check_update_centers(lambda X, labels, k: np.array(
        [X[labels == j].sum(axis=0) for j in range(k)])))
    _assert_rejected(kmeans_steps.check_update_centers(_stub))


def test_check_d2_probabilities():
    assert kmeans_variants.check_d2_probabilities(_d2)
    # Distance instead of squared distance.
    _assert_rejected(kmeans_variants.check_d2_probabilities(lambda X, C: np.sqrt(_d2(X, C)) / np.sqrt(_d2(X, C)).sum()))
    # Distance to the farthest centre instead of the nearest.
    def farthest(X, C):
        d2 = ((X[:, None, :] - C[None]) ** 2).sum(-1).max(axis=1)
        return d2 / d2.sum()
    _assert_rejected(kmeans_variants.check_d2_probabilities(farthest))
    _assert_rejected(kmeans_variants.check_d2_probabilities(_stub))


def test_check_inertia():
    assert kmeans_variants.check_inertia(_inertia)
    _assert_rejected(kmeans_variants.check_inertia(lambda X, labels, C: float(np.sqrt(((X - C[labels]) ** 2).sum(1)).sum())))
    _assert_rejected(kmeans_variants.check_inertia(_stub))
