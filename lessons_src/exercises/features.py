"""Exercises of lesson 08 (image features and clustering).

- ``bovw_vector`` (warm-up): one image's bag-of-visual-words feature, from its SIFT descriptors
  and the vocabulary (nearest word for each descriptor, then the normalised histogram; the
  lesson describes it, ``features.sift_bovw_features`` does it).
- ``angle_from_distance`` (derive): the angle between two images whose features have unit
  length, from their Euclidean distance (why K-Means on the pipeline's unit rows groups by
  angle, not by brightness).

Each has ``check_<name>(f)``, ``hint_<name>(level=1)`` and ``solution_<name>()`` (see
:mod:`lessons_src.teaching`).
"""
import numpy as np

from ..kmeans import assign, squared_distances
from ..teaching import Case, Exercise, Mistake

__all__ = [
    "check_bovw_vector", "hint_bovw_vector", "solution_bovw_vector",
    "check_angle_from_distance", "hint_angle_from_distance", "solution_angle_from_distance",
    "EXERCISES",
]


def _reference_bovw(descriptors, vocabulary):
    """Fraction of the descriptors whose nearest word is each word, shape (n_words,), sum 1."""
    words = assign(descriptors, vocabulary)
    return np.bincount(words, minlength=len(vocabulary)) / len(descriptors)


def _bovw_cases():
    rng = np.random.default_rng(8)
    vocabulary = rng.normal(size=(5, 8))
    near_first_words = vocabulary[rng.integers(0, 3, 12)] + 0.05 * rng.normal(size=(12, 8))
    return [Case((rng.normal(size=(16, 8)), vocabulary), "16 descriptors of 8 numbers, 5 words"),
            Case((near_first_words, vocabulary), "12 descriptors near the first 3 words: "
                                                 "words 3 and 4 unused"),
            Case((rng.normal(size=(1, 8)), vocabulary), "a single descriptor"),
            Case((rng.normal(size=(40, 128)), rng.normal(size=(50, 128))),
                 "40 SIFT-sized descriptors (128 numbers), 50 words")]


def _counts(descriptors, vocabulary, minlength=True):
    words = assign(descriptors, vocabulary)
    return np.bincount(words, minlength=len(vocabulary) if minlength else 0).astype(float)


BOVW_VECTOR = Exercise(
    name="bovw_vector", lesson="08", reference=_reference_bovw, cases=_bovw_cases,
    returns="a histogram of shape (n_words,) that sums to 1", rtol=1e-9,
    hints=(
        "Two steps: give each descriptor its nearest word (as K-Means' assignment step in lesson "
        "01), then count how many descriptors chose each word, for every word of the vocabulary, "
        "and turn the counts into fractions.",
        "With `squared` the (n_descriptors, n_words) table of squared distances, "
        "`words = np.argmin(squared, axis=1)`; then "
        "`np.bincount(words, minlength=len(vocabulary)) / len(descriptors)`.",
    ),
    mistakes=(
        Mistake("counts", _counts,
                "you returned the counts: divide by the number of descriptors, so images with "
                "more descriptors are comparable (each row sums to 1)."),
        Mistake("farthest", lambda D, V: np.bincount(np.argmax(squared_distances(D, V), axis=1),
                                                     minlength=len(V)) / len(D),
                "each descriptor counted its farthest word (argmax): it is its nearest (argmin)."),
        Mistake("no_minlength", lambda D, V: _counts(D, V, minlength=False) / len(D),
                "your histogram is too short when the last words are unused: np.bincount stops at "
                "the largest word it sees; `minlength=len(vocabulary)` keeps a 0 for every word."),
        Mistake("unit_length", lambda D, V: _counts(D, V) / np.linalg.norm(_counts(D, V)),
                "you scaled the histogram to length 1: the bag of words divides by the number of "
                "descriptors, so its entries sum to 1."),
        Mistake("by_words", lambda D, V: _counts(D, V) / len(V),
                "you divided by the number of words: divide by the number of descriptors."),
    ),
)


def _reference_angle(distance):
    """The angle in degrees between two unit vectors at Euclidean distance ``distance``."""
    return np.degrees(np.arccos(np.clip(1 - np.asarray(distance, dtype=float) ** 2 / 2, -1, 1)))


def _angle_cases():
    return [Case((np.array([0.0, np.sqrt(2.0), 2.0]),), "distances 0, √2 and 2"),
            Case((np.array([[0.5, 1.0], [1.5, 1.9]]),), "a 2 x 2 array of distances"),
            Case((np.array([0.1, 0.765, 1.2]),), "distances 0.1, 0.765 and 1.2"),
            Case((0.3,), "one distance, 0.3 (a number in, a number out)")]


ANGLE_FROM_DISTANCE = Exercise(
    name="angle_from_distance", lesson="08", reference=_reference_angle, cases=_angle_cases,
    returns="the angles in degrees, the shape of `distance`", rtol=1e-7, atol=1e-6,
    hints=(
        "Expand ‖a − b‖² = (a − b)·(a − b) for two vectors of length 1, and use a·b = cos θ. "
        "Solve for θ.",
        "‖a − b‖² = 2 − 2 cos θ, so cos θ = 1 − d²/2 and θ = `np.degrees(np.arccos(1 - d ** 2 / 2))`.",
    ),
    mistakes=(
        Mistake("radians", lambda d: np.arccos(1 - np.asarray(d) ** 2 / 2),
                "your angles are in radians (np.arccos returns radians): convert with np.degrees."),
        Mistake("unsquared", lambda d: np.degrees(np.arccos(1 - np.asarray(d) / 2)),
                "you used d where the identity has d²: ‖a − b‖² = 2 − 2 cos θ."),
        Mistake("no_half", lambda d: np.degrees(np.arccos(1 - np.asarray(d) ** 2)),
                "you lost the factor 2: ‖a − b‖² = ‖a‖² + ‖b‖² − 2 a·b = 2 − 2 cos θ, so cos θ = "
                "1 − d²/2."),
        Mistake("supplement", lambda d: np.degrees(np.arccos(np.asarray(d) ** 2 / 2 - 1)),
                "your angles are 180° minus the right ones: a sign slipped, cos θ = 1 − d²/2 "
                "(equal vectors, d = 0, are 0° apart)."),
        Mistake("cosine", lambda d: 1 - np.asarray(d) ** 2 / 2,
                "you returned cos θ: the angle is its arccos, in degrees."),
    ),
)

EXERCISES = (BOVW_VECTOR, ANGLE_FROM_DISTANCE)
check_bovw_vector, hint_bovw_vector, solution_bovw_vector = BOVW_VECTOR.functions()
check_angle_from_distance, hint_angle_from_distance, solution_angle_from_distance = \
    ANGLE_FROM_DISTANCE.functions()
