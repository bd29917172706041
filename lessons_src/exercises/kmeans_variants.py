"""Exercises of lesson 02 (K-Means pitfalls and variants).

- ``inertia`` (warm-up): the objective, the sum of squared distances to the assigned centres.
- ``d2_probabilities``: K-Means++'s law of the next pick, D(x)^2 / sum D^2.
- ``choose_k`` (choose and justify with a number): the K of the best mean silhouette among
  several, and that silhouette (the lesson only shows the curves, drawn by a figure).

Each has ``check_<name>(f)``, ``hint_<name>(level=1)`` and ``solution_<name>()`` (see
:mod:`lessons_src.teaching`).
"""
import numpy as np

from .. import SEED
from ..caching import lru_cache_arrays
from ..datasets import make_blobs_2d
from ..kmeans import assign, compute_inertia, d2_probabilities, squared_distances
from ..teaching import Case, Exercise, Mistake

__all__ = [
    "check_inertia", "hint_inertia", "solution_inertia",
    "check_d2_probabilities", "hint_d2_probabilities", "solution_d2_probabilities",
    "check_choose_k", "hint_choose_k", "solution_choose_k",
    "EXERCISES",
]


def _reference_inertia(X, labels, centers):
    """The sum over the points of the squared distance to their own centre, a float."""
    return compute_inertia(X, labels, centers)


def _inertia_cases():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(30, 2))
    centers = X[:3].copy()
    shuffled = np.arange(30) % 3          # labels that are not the nearest centres
    return [
        Case((X, assign(X, centers), centers), "30 points, each labelled with its nearest of 3 centres"),
        Case((X, shuffled, centers), "30 points whose labels are not their nearest centres"),
        Case((X, np.zeros(30, dtype=int), X.mean(axis=0, keepdims=True)), "one cluster, its mean as centre"),
        Case((X[:4], np.arange(4), X[:4].copy()), "4 points that are their own centres (J = 0)"),
    ]


def _own_squared(X, labels, centers):
    return ((X - centers[labels]) ** 2).sum(axis=1)


INERTIA = Exercise(
    name="inertia", lesson="02", reference=_reference_inertia, cases=_inertia_cases,
    returns="a single number", rtol=1e-9,
    hints=(
        "Each point is compared with the centre of its own cluster, whichever centre is nearest. "
        "Indexing the centres with the labels gives each point its centre, one row per point.",
        "`X - centers[labels]` is each point's offset from its centre; square it, sum over the "
        "features and over the points. Squared distances, no square root.",
    ),
    mistakes=(
        Mistake("unsquared", lambda X, labels, C: float(np.sqrt(_own_squared(X, labels, C)).sum()),
                "you added up distances; the inertia adds up squared distances (no square root)."),
        Mistake("mean", lambda X, labels, C: float(_own_squared(X, labels, C).mean()),
                "you took the mean over the points: the inertia is their sum."),
        Mistake("nearest", lambda X, labels, C: float(squared_distances(X, C).min(axis=1).sum()),
                "you used each point's nearest centre, but the inertia of a labelling uses the "
                "centre of the point's own cluster, `centers[labels]`, nearest or not."),
        Mistake("all_centres", lambda X, labels, C: float(squared_distances(X, C).sum()),
                "you summed the squared distances to every centre: each point counts only its "
                "distance to its own centre."),
        Mistake("per_point", lambda X, labels, C: _own_squared(X, labels, C),
                "you returned one squared distance per point: the inertia is their sum, one number."),
    ),
)


def _reference_d2(X, centers):
    """K-Means++'s probability of picking each point next: D(x)^2 / sum of D^2, shape (n_samples,)."""
    return d2_probabilities(X, centers)


def _d2_cases():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(30, 2))
    return [
        Case((np.array([[0.0, 0.0], [1.0, 0.0], [3.0, 0.0], [0.0, 2.0]]), np.array([[0.0, 0.0]])),
             "4 points on the axes, one centre at the origin"),
        Case((X, X[[0, 5]].copy()), "30 points, 2 centres chosen among them"),
        Case((rng.normal(size=(20, 3)), rng.normal(size=(3, 3))), "20 points in 3-D, 3 centres"),
    ]


def _normalized(values):
    return values / values.sum()


D2_PROBABILITIES = Exercise(
    name="d2_probabilities", lesson="02", reference=_reference_d2, cases=_d2_cases,
    returns="an array of probabilities, shape (n_samples,), summing to 1", rtol=1e-9,
    hints=(
        "D(x) is the distance from x to the nearest centre chosen so far: first the squared "
        "distances to all centres, then one number per point. The probabilities must add up to 1.",
        "Take the minimum over the centres (axis 1) of the (n_samples, n_centers) squared "
        "distances: that is D(x)^2 already. Divide it by its sum.",
    ),
    mistakes=(
        Mistake("unsquared", lambda X, C: _normalized(np.sqrt(squared_distances(X, C).min(axis=1))),
                "your probabilities follow D(x), the distance. K-Means++ draws with probability "
                "proportional to D(x)^2, the squared distance, which favours far points more."),
        Mistake("farthest_centre", lambda X, C: _normalized(squared_distances(X, C).max(axis=1)),
                "you used the distance to the farthest centre (max over the centres): D(x) is "
                "the distance to the nearest centre chosen so far (min)."),
        Mistake("sum_of_centres", lambda X, C: _normalized(squared_distances(X, C).sum(axis=1)),
                "you summed the squared distances over all the centres: D(x) is the distance to "
                "the nearest one only (min over the centres)."),
        Mistake("not_normalized", lambda X, C: squared_distances(X, C).min(axis=1),
                "you returned D(x)^2 itself: divide by its sum over all points so the "
                "probabilities add up to 1."),
        Mistake("forced_farthest", lambda X, C: np.eye(len(X))[np.argmax(squared_distances(X, C).min(axis=1))],
                "you put all the probability on the farthest point. K-Means++ draws at random: "
                "far points are likely, but the farthest (often an outlier) is not forced."),
    ),
)


@lru_cache_arrays(maxsize=8)
def _silhouettes(X, k_values):
    """Mean silhouette and inertia of scikit-learn's K-Means (n_init=10, random_state=SEED) for
    each K of ``k_values``; read-only arrays of shape (len(k_values),)."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    silhouettes, inertias = [], []
    for k in k_values:
        model = KMeans(n_clusters=int(k), n_init=10, random_state=SEED).fit(X)
        silhouettes.append(silhouette_score(X, model.labels_))
        inertias.append(model.inertia_)
    silhouettes, inertias = np.array(silhouettes), np.array(inertias)
    silhouettes.flags.writeable = inertias.flags.writeable = False
    return silhouettes, inertias


def _reference_choose_k(X, k_values):
    """The K of ``k_values`` with the largest mean silhouette, and that silhouette: (K, s)."""
    k_values = tuple(int(k) for k in k_values)
    silhouettes = _silhouettes(X, k_values)[0]
    best = int(np.argmax(silhouettes))
    return k_values[best], float(silhouettes[best])


def _pick(X, k_values, index):
    silhouettes = _silhouettes(X, tuple(int(k) for k in k_values))[0]
    return int(k_values[index]), float(silhouettes[index])


def _choose_k_cases():
    return [
        Case((make_blobs_2d(150, 3, random_state=7)[0], [2, 3, 4, 5, 6, 7]),
             "150 points in 3 blobs, K from 2 to 7"),
        Case((make_blobs_2d(250, 5, random_state=7)[0], [2, 3, 4, 5, 6, 7, 8]),
             "250 points in 5 blobs, K from 2 to 8"),
        Case((make_blobs_2d(200, 4, random_state=7)[0], [3, 4, 5, 6, 7]),
             "200 points in 4 blobs, K from 3 to 7"),
    ]


CHOOSE_K = Exercise(
    name="choose_k", lesson="02", reference=_reference_choose_k, cases=_choose_k_cases,
    returns="a tuple (K, silhouette)", parts=("K", "silhouette"), rtol=0.0, atol=1e-3,
    hints=(
        "For every K in k_values: cluster X into K groups, then score the labels with the mean "
        "silhouette. Keep the K whose score is highest, and return it with its score.",
        "For each k of k_values, cluster with "
        "`labels = SklearnKMeans(n_clusters=k, n_init=10, random_state=SEED).fit_predict(X)` "
        "and score with `silhouette_score(X, labels)`. `np.argmax` of the scores is the position "
        "of the best K in k_values: return `k_values[position]` and its score, not the position.",
    ),
    mistakes=(
        Mistake("worst", lambda X, ks: _pick(X, ks, int(np.argmin(_silhouettes(X, tuple(ks))[0]))),
                "you picked the K with the smallest silhouette: the best clustering has the "
                "largest (near 1: tight, well separated clusters)."),
        Mistake("position", lambda X, ks: (int(np.argmax(_silhouettes(X, tuple(ks))[0])),
                                           _reference_choose_k(X, ks)[1]),
                "your K is the position of the best score in k_values, not the K at that "
                "position: return k_values[position]."),
        Mistake("smallest_inertia", lambda X, ks: _pick(X, ks, int(np.argmin(_silhouettes(X, tuple(ks))[1]))),
                "you picked the K of smallest inertia: the inertia always falls as K grows, so "
                "it always picks the largest K. Use the silhouette, which peaks."),
    ),
)

EXERCISES = (INERTIA, D2_PROBABILITIES, CHOOSE_K)
check_inertia, hint_inertia, solution_inertia = INERTIA.functions()
check_d2_probabilities, hint_d2_probabilities, solution_d2_probabilities = D2_PROBABILITIES.functions()
check_choose_k, hint_choose_k, solution_choose_k = CHOOSE_K.functions()
