"""Exercises of lesson 03 (hierarchical clustering).

- ``cluster_distance`` (warm-up): single, complete and average linkage between two groups.
- ``n_clusters_at_height``: how many clusters a cut of the dendrogram leaves.
- ``n_single_clusters`` (derive): single linkage's clusters at a height, without building the
  tree (they are the connected pieces of the graph of pairs closer than the height, which the
  lesson does not show).

Each has ``check_<name>(f)``, ``hint_<name>(level=1)`` and ``solution_<name>()`` (see
:mod:`lessons_src.teaching`).
"""
import numpy as np
from scipy.spatial.distance import cdist

from ..hierarchical import agglomerative, flat_clusters, pairwise_distances
from ..teaching import Case, Exercise, Mistake

__all__ = [
    "check_cluster_distance", "hint_cluster_distance", "solution_cluster_distance",
    "check_n_clusters_at_height", "hint_n_clusters_at_height", "solution_n_clusters_at_height",
    "check_n_single_clusters", "hint_n_single_clusters", "solution_n_single_clusters",
    "EXERCISES",
]

_REDUCE = {"single": np.min, "complete": np.max, "average": np.mean}


def _reference_cluster_distance(A, B, linkage):
    """Single (closest pair), complete (farthest pair) or average (mean of all pairs) distance."""
    return float(_REDUCE[linkage](cdist(A, B)))


def _cluster_distance_cases():
    rng = np.random.default_rng(3)
    A, B = rng.normal(size=(4, 2)), rng.normal(loc=2.0, size=(6, 2))
    C, D = rng.normal(size=(1, 3)), rng.normal(size=(5, 3))
    return [Case((A, B, "single"), "linkage='single', 4 and 6 points"),
            Case((A, B, "complete"), "linkage='complete', 4 and 6 points"),
            Case((A, B, "average"), "linkage='average', 4 and 6 points"),
            Case((C, D, "single"), "linkage='single', 1 and 5 points in 3-D"),
            Case((C, D, "average"), "linkage='average', 1 and 5 points in 3-D"),
            Case((B, A, "complete"), "linkage='complete', the groups swapped")]


def _swapped(A, B, linkage):
    return _reference_cluster_distance(A, B, {"single": "complete", "complete": "single"}.get(linkage, linkage))


def _centroid_or_reference(A, B, linkage):
    if linkage == "average":
        return float(np.linalg.norm(A.mean(axis=0) - B.mean(axis=0)))
    return _reference_cluster_distance(A, B, linkage)


CLUSTER_DISTANCE = Exercise(
    name="cluster_distance", lesson="03", reference=_reference_cluster_distance,
    cases=_cluster_distance_cases, returns="a single number", rtol=1e-9,
    hints=(
        "All three linkages start from the same table: the distance between every point of A "
        "and every point of B, shape (n_a, n_b). They differ only in how they reduce that table "
        "to one number.",
        "`np.sqrt(((A[:, None, :] - B[None, :, :]) ** 2).sum(axis=2))` is the table (plain "
        "distances, not squared). Single linkage is its `.min()`, complete its `.max()`, "
        "average its `.mean()`.",
    ),
    mistakes=(
        Mistake("squared", lambda A, B, linkage: float(_REDUCE[linkage](cdist(A, B) ** 2)),
                "you used squared distances: the linkages of the lesson compare plain Euclidean "
                "distances (take the square root)."),
        Mistake("swapped", _swapped,
                "single and complete are swapped: single linkage is the closest pair (minimum "
                "distance, the slides' 最小距离), complete the farthest pair (maximum)."),
        Mistake("centroid", _centroid_or_reference,
                "for 'average' you measured the distance between the two means (that is "
                "centroid linkage). Average linkage is the mean of all n_a x n_b pair distances."),
        Mistake("manhattan", lambda A, B, linkage: float(_REDUCE[linkage](cdist(A, B, "cityblock"))),
                "you measured |dx| + |dy| (Manhattan distance): use the Euclidean distance."),
    ),
)


def _reference_n_clusters_at_height(Z, height):
    """The number of clusters left by a cut of the dendrogram at ``height`` (an int)."""
    return int(flat_clusters(Z, height=height).max() + 1)


def _height_cases():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(12, 2))
    Z_single, Z_ward = agglomerative(X, "single"), agglomerative(X, "ward")
    grid = np.array([[0.0, 0.0], [0.0, 1.0], [0.0, 3.0], [5.0, 0.0], [5.0, 1.0]])
    return [Case((Z_single, float(np.median(Z_single[:, 2]))), "single linkage, 12 points, cut at the median merge height"),
            Case((agglomerative(grid, "single"), 1.0), "5 points, cut exactly at the height of two merges"),
            Case((Z_ward, float(Z_ward[5, 2]) - 1e-9), "Ward, cut just below the 6th merge"),
            Case((Z_ward, 100.0), "Ward, cut above the last merge"),
            Case((Z_single, 0.0), "single linkage, cut at height 0")]


def _merges_at_or_below(Z, height):
    return int(np.sum(np.asarray(Z)[:, 2] <= height))


N_CLUSTERS_AT_HEIGHT = Exercise(
    name="n_clusters_at_height", lesson="03", reference=_reference_n_clusters_at_height,
    cases=_height_cases, returns="an integer",
    hints=(
        "Start with every point alone: how many points does a linkage matrix with len(Z) rows "
        "describe? Each merge below the cut joins two clusters into one.",
        "n = len(Z) + 1 points; column 2 of Z holds the merge heights, and every merge at a height "
        "<= the cut removes one cluster: n - np.sum(Z[:, 2] <= height).",
    ),
    mistakes=(
        Mistake("strict", lambda Z, h: len(Z) + 1 - int(np.sum(np.asarray(Z)[:, 2] < h)),
                "a merge exactly at the cut height counts as done (<=, as in the lesson and in "
                "SciPy's fcluster): you used <."),
        Mistake("off_by_one", lambda Z, h: len(Z) - _merges_at_or_below(Z, h),
                "you are one short: a linkage matrix has n - 1 rows for n points, so start from "
                "len(Z) + 1."),
        Mistake("merges", _merges_at_or_below,
                "you counted the merges below the cut; each of them removes one cluster from the "
                "n points you start with."),
    ),
)


def _reference_n_single_clusters(X, height):
    """The number of clusters of single linkage cut at ``height`` (an int)."""
    return int(flat_clusters(agglomerative(X, "single"), height=height).max() + 1)


def _single_cases():
    rng = np.random.default_rng(5)
    chain = np.c_[np.arange(8) * 0.9, np.zeros(8)]                       # steps of 0.9
    triangle = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, 0.8], [6.0, 0.0], [6.0, 1.0]])
    grid = np.array([[0.0, 0.0], [0.0, 1.0], [0.0, 2.0], [4.0, 0.0]])   # gaps exactly 1
    return [Case((chain, 1.0), "8 points in a row, 0.9 apart, cut at 1"),
            Case((triangle, 1.0), "a triangle of 3 close points and a pair far away, cut at 1"),
            Case((grid, 1.0), "4 points, two gaps of exactly the cut height 1"),
            Case((rng.normal(size=(30, 2)), 0.5), "30 random points, cut at 0.5"),
            Case((rng.normal(size=(20, 3)) * 3, 2.0), "20 points in 3-D, cut at 2")]


def _components(X, height, close):
    from scipy.sparse.csgraph import connected_components

    return int(connected_components(close(pairwise_distances(X), height), directed=False)[0])


N_SINGLE_CLUSTERS = Exercise(
    name="n_single_clusters", lesson="03", reference=_reference_n_single_clusters,
    cases=_single_cases, returns="an integer",
    hints=(
        "Single linkage merges two clusters as soon as one pair of their points is close enough. "
        "So after cutting at height h, two points share a cluster when a path of hops, each of "
        "length <= h, joins them. Draw the graph whose edges are those short pairs: what are the "
        "clusters in it?",
        "Build the boolean (n, n) matrix of pairs at distance <= height and count its connected "
        "components: `scipy.sparse.csgraph.connected_components(matrix, directed=False)[0]` (or a "
        "breadth-first search of your own). Counting n minus the short pairs is wrong as soon as "
        "three points are close to each other.",
    ),
    mistakes=(
        Mistake("squared", lambda X, h: _components(X, h, lambda D, h: D ** 2 <= h),
                "you compared squared distances with the height: the dendrogram's heights are "
                "plain distances."),
        Mistake("strict", lambda X, h: _components(X, h, lambda D, h: D < h),
                "two points exactly at the cut height are merged (a merge at the cut height "
                "counts as done, <=): you used <."),
        Mistake("pairs", lambda X, h: len(X) - int(np.triu(pairwise_distances(X) <= h, 1).sum()),
                "you took n minus the number of close pairs. That assumes every close pair joins "
                "two different clusters; in a triangle of close points the third pair joins "
                "nothing new. Count the connected pieces of the graph of close pairs instead."),
        Mistake("neighbours", lambda X, h: int(np.sum((pairwise_distances(X) <= h).sum(axis=1) == 1)),
                "you counted the points with no close neighbour. A cluster can hold many points: "
                "count the connected pieces of the graph of close pairs."),
    ),
)

EXERCISES = (CLUSTER_DISTANCE, N_CLUSTERS_AT_HEIGHT, N_SINGLE_CLUSTERS)
check_cluster_distance, hint_cluster_distance, solution_cluster_distance = CLUSTER_DISTANCE.functions()
check_n_clusters_at_height, hint_n_clusters_at_height, solution_n_clusters_at_height = \
    N_CLUSTERS_AT_HEIGHT.functions()
check_n_single_clusters, hint_n_single_clusters, solution_n_single_clusters = N_SINGLE_CLUSTERS.functions()
