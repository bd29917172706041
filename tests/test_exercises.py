"""The lessons' exercises: checks that diagnose, hints on request, and the two editions.

- Every catalogued mistake, written here again the way a student would write it (loops,
  other library calls), is recognised and answered with its own message.
- The teacher's edition (the lesson sources) passes every check with its solutions filled in,
  and every module reference is checked against the library or an independent computation.
- Malformed returns and exceptions of a student's function are "Not yet", never a crash.
- The student's edition (the committed notebooks) holds no solution, no hidden test, and its
  stored check outputs say only what to do; nbgrader's own ``generate_assignment`` makes the
  same student's edition.
"""
import importlib
import itertools
import json
import math
import os
import pathlib
import re
import subprocess
import sys
import textwrap
from math import comb

import jupytext
import nbformat
import numpy as np
import pytest
from scipy.spatial.distance import cdist

from lessons_src import datasets, features, kmeans, metrics, nmf, segmentation, spectral, teaching, threads

ROOT = pathlib.Path(__file__).resolve().parents[1]
MODULES = ["kmeans_steps", "kmeans_variants", "hierarchical", "spectral", "metrics", "nmf_faces",
           "nmf_rules", "features", "segmentation", "scale", "nmf_beyond"]
EXERCISES = {ex.name: ex for module in MODULES
             for ex in importlib.import_module(f"lessons_src.exercises.{module}").EXERCISES}
SOURCES = sorted((ROOT / "lessons").glob("*.py"))


@pytest.fixture(scope="module", autouse=True)
def _one_thread():
    # The checks run scikit-learn's K-Means (choose_k): one thread, as in a lesson's kernel.
    limiter = threads.limit_lesson_threads()
    yield
    limiter.restore_original_limits()


def test_every_lesson_has_a_warm_up_and_an_exercise_on_an_unshown_step():
    # The modules' docstrings name them; one module per lesson 01-10, 2 to 4 exercises each.
    by_lesson = {}
    for ex in EXERCISES.values():
        by_lesson.setdefault(ex.lesson, []).append(ex)
    assert sorted(by_lesson) == [f"{n:02d}" for n in range(1, 12)]
    for module in MODULES:
        doc = importlib.import_module(f"lessons_src.exercises.{module}").__doc__
        assert "(warm-up)" in doc and re.search(r"\((derive|choose)", doc), module
    assert all(2 <= len(group) <= 4 for group in by_lesson.values())


# ------------------------------------------------------------------------------------------
# Every catalogued mistake, written as a student would, gets its own message
# ------------------------------------------------------------------------------------------

def _J(X, labels, C):
    return float(sum(np.sum((x - C[k]) ** 2) for x, k in zip(X, labels)))


def _means(X, labels, k):
    return np.array([X[labels == j].mean(axis=0) for j in range(k)])


def _pick_k(X, ks, choose):
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    fits = [KMeans(n_clusters=k, n_init=10, random_state=0).fit(X) for k in ks]
    scores = [silhouette_score(X, f.labels_) for f in fits]
    return choose(list(ks), scores, [f.inertia_ for f in fits])


def _ari(table, expected_rule, maximum_rule=lambda A, B: (A + B) / 2, pairs=lambda x: comb(int(x), 2)):
    table = np.asarray(table)
    index = sum(pairs(x) for x in table.flat)
    A = sum(pairs(x) for x in table.sum(axis=1))
    B = sum(pairs(x) for x in table.sum(axis=0))
    E = expected_rule(A, B, pairs(table.sum()))
    return (index - E) / (maximum_rule(A, B) - E)


def _silhouette(X, labels, i, a_of=None, b_of=None, scale=None, alone=0.0, power=1):
    labels = np.asarray(labels)
    d = np.array([np.linalg.norm(x - X[i]) for x in X]) ** power
    mates = [j for j in range(len(X)) if labels[j] == labels[i] and j != i]
    if not mates:
        return alone
    a = np.mean(d[mates]) if a_of is None else a_of(d, labels == labels[i])
    others = set(labels.tolist()) - {labels[i]}
    b = min(np.mean(d[labels == k]) for k in others) if b_of is None else b_of(d, labels != labels[i])
    return (b - a) / (max(a, b) if scale is None else scale(a, b))


def _kl_parts(V, W, H):
    return W.T @ (V / (W @ H)), W.T @ np.ones_like(V)


def _bincount_words(D, V, pick=np.argmin):
    return np.bincount([pick([np.sum((d - v) ** 2) for v in V]) for d in D], minlength=len(V))


def _nearest_sum(chunk, C, power=2):
    return sum(min(np.linalg.norm(row - c) ** power for c in C) for row in chunk)


def _components(X, height, connected):
    """Connected pieces of the graph of pairs with connected(distance, height), by search."""
    n, seen, pieces = len(X), set(), 0
    D = cdist(X, X)
    for start in range(n):
        if start in seen:
            continue
        pieces += 1
        stack = [start]
        while stack:
            i = stack.pop()
            if i in seen:
                continue
            seen.add(i)
            stack += [j for j in range(n) if j not in seen and connected(D[i, j], height)]
    return pieces


def _window_counts(rule):
    return lambda H, W, w, s: (rule(H, w, s), rule(W, w, s))


STUDENT_MISTAKES = {
    ("assign", "farthest"): lambda X, C: np.array([np.argmax([np.sum((x - c) ** 2) for c in C]) for x in X]),
    ("assign", "axis"): lambda X, C: np.argmin(cdist(X, C), axis=0),
    ("assign", "manhattan"): lambda X, C: np.array([np.argmin([np.abs(x - c).sum() for c in C]) for x in X]),
    ("assign", "one_based"): lambda X, C: np.argmin(cdist(X, C), axis=1) + 1,
    ("update_centers", "sum"): lambda X, labels, k: np.array([sum(X[labels == j]) for j in range(k)]),
    ("update_centers", "median"): lambda X, labels, k: np.stack([np.median(X[labels == j], 0) for j in range(k)]),
    ("update_centers", "all_points"): lambda X, labels, k: np.tile(X.mean(axis=0), (k, 1)),
    ("update_centers", "total_count"): lambda X, labels, k: np.array([X[labels == j].sum(0) for j in range(k)]) / X.shape[0],
    ("update_gain", "unweighted"): lambda X, labels, C: float(((C - _means(X, labels, len(C))) ** 2).sum()),
    ("update_gain", "unsquared"): lambda X, labels, C: sum(np.sum(labels == k) * np.linalg.norm(C[k] - X[labels == k].mean(0))
                                                           for k in range(len(C))),
    ("update_gain", "sign"): lambda X, labels, C: _J(X, labels, _means(X, labels, len(C))) - _J(X, labels, C),
    ("update_gain", "after"): lambda X, labels, C: _J(X, labels, _means(X, labels, len(C))),
    ("update_gain", "before"): lambda X, labels, C: _J(X, labels, C),
    ("update_gain", "mean"): lambda X, labels, C: (_J(X, labels, C) - _J(X, labels, _means(X, labels, len(C)))) / len(X),
    ("inertia", "unsquared"): lambda X, labels, C: sum(np.linalg.norm(x - C[k]) for x, k in zip(X, labels)),
    ("inertia", "mean"): lambda X, labels, C: _J(X, labels, C) / len(X),
    ("inertia", "nearest"): lambda X, labels, C: float(np.sum(cdist(X, C, "sqeuclidean").min(axis=1))),
    ("inertia", "all_centres"): lambda X, labels, C: float(np.sum(cdist(X, C) ** 2)),
    ("inertia", "per_point"): lambda X, labels, C: np.sum((X - C[labels]) ** 2, axis=1),
    ("d2_probabilities", "unsquared"): lambda X, C: (lambda d: d / d.sum())(cdist(X, C).min(axis=1)),
    ("d2_probabilities", "farthest_centre"): lambda X, C: (lambda d: d / d.sum())(cdist(X, C, "sqeuclidean").max(axis=1)),
    ("d2_probabilities", "sum_of_centres"): lambda X, C: (lambda d: d / d.sum())((cdist(X, C) ** 2).sum(axis=1)),
    ("d2_probabilities", "not_normalized"): lambda X, C: cdist(X, C, "sqeuclidean").min(axis=1),
    ("d2_probabilities", "forced_farthest"): lambda X, C: (cdist(X, C).min(1) == cdist(X, C).min(1).max()).astype(float),
    ("choose_k", "worst"): lambda X, ks: _pick_k(X, ks, lambda ks, s, i: (ks[int(np.argmin(s))], min(s))),
    ("choose_k", "position"): lambda X, ks: _pick_k(X, ks, lambda ks, s, i: (int(np.argmax(s)), max(s))),
    ("choose_k", "smallest_inertia"): lambda X, ks: _pick_k(X, ks, lambda ks, s, i: (ks[int(np.argmin(i))], s[int(np.argmin(i))])),
    ("cluster_distance", "squared"): lambda A, B, linkage: {"single": min, "complete": max, "average": np.mean}[linkage](
        [np.sum((a - b) ** 2) for a in A for b in B]),
    ("cluster_distance", "swapped"): lambda A, B, linkage: {"single": np.max, "complete": np.min, "average": np.mean}[linkage](cdist(A, B)),
    ("cluster_distance", "centroid"): lambda A, B, linkage: (np.linalg.norm(A.mean(0) - B.mean(0)) if linkage == "average"
                                                            else getattr(cdist(A, B), {"single": "min", "complete": "max"}[linkage])()),
    ("cluster_distance", "manhattan"): lambda A, B, linkage: {"single": np.min, "complete": np.max, "average": np.mean}[linkage](
        np.abs(A[:, None] - B[None]).sum(-1)),
    ("n_clusters_at_height", "strict"): lambda Z, h: len(Z) + 1 - sum(1 for row in Z if row[2] < h),
    ("n_clusters_at_height", "off_by_one"): lambda Z, h: len(Z) - sum(1 for row in Z if row[2] <= h),
    ("n_clusters_at_height", "merges"): lambda Z, h: sum(1 for row in Z if row[2] <= h),
    ("n_single_clusters", "squared"): lambda X, h: _components(X, h, lambda d, h: d * d <= h),
    ("n_single_clusters", "strict"): lambda X, h: _components(X, h, lambda d, h: d < h),
    ("n_single_clusters", "pairs"): lambda X, h: len(X) - sum(1 for i, j in itertools.combinations(range(len(X)), 2)
                                                              if np.linalg.norm(X[i] - X[j]) <= h),
    ("n_single_clusters", "neighbours"): lambda X, h: sum(1 for i in range(len(X))
                                                          if all(np.linalg.norm(X[i] - X[j]) > h for j in range(len(X)) if j != i)),
    ("rbf_affinity", "unsquared"): lambda X, g: np.exp(-g * cdist(X, X)),
    ("rbf_affinity", "sign"): lambda X, g: np.exp(g * cdist(X, X, "sqeuclidean")),
    ("rbf_affinity", "divided"): lambda X, g: np.exp(-cdist(X, X, "sqeuclidean") / g),
    ("rbf_affinity", "zero_diagonal"): lambda X, g: np.exp(-g * cdist(X, X, "sqeuclidean")) - np.eye(len(X)),
    ("eigengap_k", "unsorted"): lambda values: 1 + max(range(len(values) - 1), key=lambda k: values[k + 1] - values[k]),
    ("eigengap_k", "position"): lambda values: int(np.argmax(np.diff(sorted(values)))),
    ("eigengap_k", "decreasing"): lambda values: 1 + int(np.argmax(-np.diff(sorted(values, reverse=True)))),
    ("eigengap_k", "smallest_gap"): lambda values: 1 + int(np.argmin(np.diff(np.sort(values)))),
    ("zero_eigenvector", "constant"): lambda A: np.ones(len(A)) / np.sqrt(len(A)),
    ("zero_eigenvector", "degrees"): lambda A: (lambda d: d / np.sqrt(d @ d))(A.sum(axis=1) - np.diag(A)),
    ("zero_eigenvector", "inverse"): lambda A: (lambda v: v / np.linalg.norm(v))((A.sum(axis=1) - np.diag(A)) ** -0.5),
    ("zero_eigenvector", "self_loops"): lambda A: (lambda v: v / np.linalg.norm(v))(np.sqrt(A @ np.ones(len(A)))),
    ("zero_eigenvector", "not_unit"): lambda A: np.sqrt(A.sum(axis=1) - np.diag(A)),
    ("zero_eigenvector", "largest"): lambda A: np.linalg.eigh(spectral.laplacian(A))[1][:, -1],
    ("count_a_and_b", "swapped"): lambda t, p: tuple(reversed(metrics.pair_counts(t, p)[:2])),
    ("count_a_and_b", "ordered_pairs"): lambda t, p: (
        sum(1 for i in range(len(t)) for j in range(len(t)) if i != j and t[i] == t[j] and p[i] == p[j]),
        sum(1 for i in range(len(t)) for j in range(len(t)) if t[i] != t[j] and p[i] != p[j])),
    ("count_a_and_b", "self_pairs"): lambda t, p: (
        sum(1 for i in range(len(t)) for j in range(i, len(t)) if t[i] == t[j] and p[i] == p[j]),
        sum(1 for i in range(len(t)) for j in range(i, len(t)) if t[i] != t[j] and p[i] != p[j])),
    ("count_a_and_b", "class_only"): lambda t, p: (
        sum(1 for i, j in itertools.combinations(range(len(t)), 2) if t[i] == t[j]),
        sum(1 for i, j in itertools.combinations(range(len(t)), 2) if t[i] != t[j] and p[i] != p[j])),
    ("ari_from_table", "slides_sum"): lambda table: _ari(table, lambda A, B, N: (A + B) / N),
    ("ari_from_table", "no_pairs_division"): lambda table: _ari(table, lambda A, B, N: A * B),
    ("ari_from_table", "max_sum"): lambda table: _ari(table, lambda A, B, N: A * B / N, lambda A, B: A + B),
    ("ari_from_table", "counts"): lambda table: _ari(table, lambda A, B, N: A * B / N, pairs=lambda x: float(x) ** 2),
    ("silhouette_of_point", "self_in_a"): lambda X, labels, i: _silhouette(X, labels, i, a_of=lambda d, own: d[own].mean()),
    ("silhouette_of_point", "b_all_others"): lambda X, labels, i: _silhouette(X, labels, i, b_of=lambda d, out: d[out].mean()),
    ("silhouette_of_point", "b_nearest_point"): lambda X, labels, i: _silhouette(X, labels, i, b_of=lambda d, out: d[out].min()),
    ("silhouette_of_point", "divide_by_b"): lambda X, labels, i: _silhouette(X, labels, i, scale=lambda a, b: b),
    ("silhouette_of_point", "alone_one"): lambda X, labels, i: _silhouette(X, labels, i, alone=1.0),
    ("silhouette_of_point", "squared"): lambda X, labels, i: _silhouette(X, labels, i, power=2),
    ("expected_rand_index", "only_a"): lambda C, K: 1 / C / K,
    ("expected_rand_index", "only_b"): lambda C, K: (C - 1) * (K - 1) / (C * K),
    ("expected_rand_index", "k_only"): lambda C, K: (1 / K) ** 2 + (1 - 1 / K) ** 2,
    ("expected_rand_index", "sum_of_chances"): lambda C, K: (1 / C + 1 / K) + (1 - 1 / C) * (1 - 1 / K),
    ("largest_terms", "smallest"): lambda W, H, j, t: sum(W[:, k] * H[k, j] for k in sorted(range(len(H)), key=lambda k: H[k, j])[:t]),
    ("largest_terms", "all_terms"): lambda W, H, j, t: sum(W[:, k] * H[k, j] for k in range(len(H))),
    ("largest_terms", "unweighted"): lambda W, H, j, t: W[:, np.argsort(-H[:, j])[:t]].sum(axis=1),
    ("largest_terms", "weights_only"): lambda W, H, j, t: np.sort(H[:, j])[-t:],
    ("best_rank_error", "no_half"): lambda V, r: float(np.sum(np.linalg.svd(V)[1][r:] ** 2)),
    ("best_rank_error", "unsquared"): lambda V, r: 0.5 * float(np.sum(np.linalg.svd(V)[1][r:])),
    ("best_rank_error", "kept"): lambda V, r: 0.5 * float(np.sum(np.linalg.svd(V)[1][:r] ** 2)),
    ("best_rank_error", "off_by_one"): lambda V, r: 0.5 * float(np.sum(sorted(np.linalg.eigvalsh(V.T @ V if V.shape[0] >= V.shape[1] else V @ V.T))[::-1][r - 1:])),
    ("best_rank_error", "norm"): lambda V, r: float(np.linalg.norm(np.linalg.svd(V)[1][r:])),
    ("normalize_basis", "w_only"): lambda W, H: (W / W.sum(0, keepdims=True), H.copy()),
    ("normalize_basis", "divided_h"): lambda W, H: (W / W.sum(0), (H.T / W.sum(0)).T),
    ("normalize_basis", "rows"): lambda W, H: (np.array([w / w.sum() for w in W]), H),
    ("normalize_basis", "l2"): lambda W, H: (W / np.sqrt((W ** 2).sum(0)), H * np.sqrt((W ** 2).sum(0))[:, None]),
    ("sparse_kl_h_update", "no_penalty"): lambda V, W, H, lam: H * _kl_parts(V, W, H)[0] / _kl_parts(V, W, H)[1],
    ("sparse_kl_h_update", "slides_step"): lambda V, W, H, lam: H - 1 / (_kl_parts(V, W, H)[1] + lam) * (
        _kl_parts(V, W, H)[1] - _kl_parts(V, W, H)[0] + lam),
    ("sparse_kl_h_update", "slides_gradient"): lambda V, W, H, lam: H - H / (_kl_parts(V, W, H)[1] + lam) * (
        -(_kl_parts(V, W, H)[0] + _kl_parts(V, W, H)[1]) + lam),
    ("sparse_kl_h_update", "minus_numerator"): lambda V, W, H, lam: H * (_kl_parts(V, W, H)[0] - lam) / _kl_parts(V, W, H)[1],
    ("sparse_kl_h_update", "plus_numerator"): lambda V, W, H, lam: H * (_kl_parts(V, W, H)[0] + lam) / _kl_parts(V, W, H)[1],
    ("sparse_kl_h_update", "euclidean"): lambda V, W, H, lam: H * (W.T @ V) / (W.T @ (W @ H) + lam),
    ("bovw_vector", "counts"): lambda D, V: _bincount_words(D, V),
    ("bovw_vector", "farthest"): lambda D, V: _bincount_words(D, V, np.argmax) / len(D),
    ("bovw_vector", "no_minlength"): lambda D, V: np.bincount(np.argmin(cdist(D, V), axis=1)) / len(D),
    ("bovw_vector", "unit_length"): lambda D, V: (lambda c: c / np.sqrt(np.sum(c ** 2)))(_bincount_words(D, V)),
    ("bovw_vector", "by_words"): lambda D, V: _bincount_words(D, V) / V.shape[0],
    ("angle_from_distance", "radians"): lambda d: np.arccos(1 - np.square(d) / 2),
    ("angle_from_distance", "unsquared"): lambda d: np.arccos(1 - np.asarray(d) / 2) * 180 / np.pi,
    ("angle_from_distance", "no_half"): lambda d: np.rad2deg(np.arccos(1 - np.square(d))),
    ("angle_from_distance", "supplement"): lambda d: 180 - np.degrees(np.arccos(1 - np.square(d) / 2)),
    ("angle_from_distance", "cosine"): lambda d: 1 - np.square(d) / 2,
    ("integral_image_2d", "no_padding"): lambda image: np.array([[image[:y + 1, :x + 1].sum() for x in range(image.shape[1])]
                                                                 for y in range(image.shape[0])]),
    ("integral_image_2d", "one_axis"): lambda image: np.vstack([np.zeros(image.shape[1] + 1),
                                                                np.c_[np.zeros(len(image)), image.cumsum(0)]]),
    ("integral_image_2d", "end_padding"): lambda image: np.pad(image.cumsum(0).cumsum(1), [(0, 1), (0, 1)]),
    ("window_sum", "unpadded"): lambda S, y, x, w: S[y + w - 1, x + w - 1] - S[y - 1, x + w - 1] - S[y + w - 1, x - 1] + S[y - 1, x - 1],
    ("window_sum", "no_corner"): lambda S, y, x, w: S[y + w, x + w] - S[y, x + w] - S[y + w, x],
    ("window_sum", "corner_sign"): lambda S, y, x, w: S[y + w, x + w] - S[y, x + w] - S[y + w, x] - S[y, x],
    ("window_sum", "one_lookup"): lambda S, y, x, w: S[y + w][x + w],
    ("n_window_positions", "no_plus_one"): _window_counts(lambda n, w, s: int((n - w) / s)),
    ("n_window_positions", "divide"): _window_counts(lambda n, w, s: n // s),
    ("n_window_positions", "ceil"): _window_counts(lambda n, w, s: -(-(n - w) // s) + 1),
    ("n_window_positions", "swapped"): lambda H, W, w, s: ((W - w) // s + 1, (H - w) // s + 1),
    ("n_window_positions", "product"): lambda H, W, w, s: ((H - w) // s + 1) * ((W - w) // s + 1),
    ("streaming_inertia", "unsquared"): lambda chunks, C: sum(_nearest_sum(chunk, C, power=1) for chunk in chunks),
    ("streaming_inertia", "last_chunk"): lambda chunks, C: [_nearest_sum(chunk, C) for chunk in chunks][-1],
    ("streaming_inertia", "mean"): lambda chunks, C: (lambda cs: sum(_nearest_sum(c, C) for c in cs) / sum(map(len, cs)))(list(chunks)),
    ("streaming_inertia", "all_centres"): lambda chunks, C: sum(float(np.sum(cdist(chunk, C) ** 2)) for chunk in chunks),
    ("streaming_inertia", "two_passes"): lambda chunks, C: (len([0 for _ in chunks]) >= 0) * sum(_nearest_sum(c, C) for c in chunks),
    ("expected_candidates", "no_cap"): lambda d2, l: float(np.sum(l * d2 / np.sum(d2))),
    ("expected_candidates", "squared_again"): lambda d2, l: sum(min(1.0, l * x ** 2 / np.sum(d2 ** 2)) for x in d2),
    ("expected_candidates", "no_l"): lambda d2, l: sum(min(1.0, x / d2.sum()) for x in d2),
    ("expected_candidates", "rounded"): lambda d2, l: sum(1 for x in d2 if min(1.0, l * x / d2.sum()) >= 0.5),
    # lesson 11
    ("hoyer_sparseness", "no_abs"): lambda x: (np.sqrt(len(x)) - sum(x) / np.sqrt(sum(x * x))) / (np.sqrt(len(x)) - 1),
    ("hoyer_sparseness", "no_rescale"): lambda x: np.sqrt(len(x)) - np.abs(x).sum() / np.linalg.norm(x),
    ("hoyer_sparseness", "ratio_only"): lambda x: np.linalg.norm(x, 1) / np.linalg.norm(x),
    ("hoyer_sparseness", "squared_l2"): lambda x: (np.sqrt(x.size) - np.abs(x).sum() / (x ** 2).sum()) / (np.sqrt(x.size) - 1),
    ("beta_h_update", "euclidean_always"): lambda V, W, H, beta: H * (W.T @ V) / (W.T @ (W @ H)),
    ("beta_h_update", "kl_always"): lambda V, W, H, beta: H * (W.T @ (V / (W @ H))) / (W.T @ np.ones_like(V)),
    ("beta_h_update", "swapped"): lambda V, W, H, beta: H * (W.T @ (W @ H) ** (beta - 1)) / (W.T @ ((W @ H) ** (beta - 2) * V)),
    ("beta_h_update", "exponents"): lambda V, W, H, beta: H * (W.T @ (V * (W @ H) ** (beta - 1))) / (W.T @ (W @ H) ** beta),
}


def test_every_catalogued_mistake_has_a_student_version():
    catalogued = {(name, mistake.name) for name, ex in EXERCISES.items() for mistake in ex.mistakes}
    assert catalogued == set(STUDENT_MISTAKES)


@pytest.mark.parametrize("exercise, mistake", sorted(STUDENT_MISTAKES), ids=lambda v: v)
def test_a_student_mistake_gets_its_own_message(exercise, mistake):
    ex = EXERCISES[exercise]
    result = ex.check(STUDENT_MISTAKES[exercise, mistake])
    message = next(m.message for m in ex.mistakes if m.name == mistake)
    assert not result and result.mistake == mistake, result.message
    assert result.message.startswith("Not yet (test case ") and message in result.message
    assert f"`hint_{exercise}()`" in result.message


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_catalogue_entries_are_told_apart(name):
    # Each catalogued wrong function is recognised as itself (no entry hides another), with a
    # message of its own.
    ex = EXERCISES[name]
    assert len({m.message for m in ex.mistakes}) == len(ex.mistakes) >= 3
    for mistake in ex.mistakes:
        assert ex.check(mistake.wrong).mistake == mistake.name


# ------------------------------------------------------------------------------------------
# Not yet, never a crash
# ------------------------------------------------------------------------------------------

def _hostile(reference):
    """Student functions that return malformed answers or raise."""
    def shape_of(*args):
        return np.shape(reference(*args))

    return {
        "None": lambda *args: None,
        "string": lambda *args: "42",
        "dict": lambda *args: {"answer": 1},
        "ragged": lambda *args: ([1.0, 2.0], [3.0]),
        "nan": lambda *args: np.full(shape_of(*args), np.nan) if shape_of(*args) else float("nan"),
        "inf": lambda *args: np.full(shape_of(*args), np.inf) if shape_of(*args) else float("inf"),
        "generator": lambda *args: (x for x in range(3)),
        "extra axis": lambda *args: np.asarray(reference(*args), dtype=object)[None],
        "object array": lambda *args: np.array([object()]),
        "ValueError": lambda *args: np.zeros(3) @ np.zeros(4),
        "KeyError": lambda *args: {}["x"],
        "wrong arguments": lambda x: x,
        "recursion": lambda *args: (_ for _ in ()).throw(RecursionError("maximum recursion depth")),
    }


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_malformed_answers_and_exceptions_are_not_yet(name):
    ex = EXERCISES[name]
    for kind, function in _hostile(ex.reference).items():
        result = ex.check(function)
        assert not result, kind
        assert result.message.startswith("Not yet (test case 1 of "), (kind, result.message)
        assert result.case == 1
    assert ex.check(None).message.startswith("Not yet: pass your function itself")


def test_messages_name_what_went_wrong():
    check = EXERCISES["assign"].check
    X40 = "40 points, 3 centres taken from the data"
    assert f"(test case 1 of 5: {X40}): my_function returned None" in check(_named(lambda X, C: None)).message
    labels = kmeans.assign(*EXERCISES["assign"].cases()[0].make())
    nan = check(_named(lambda X, C: np.full(len(X), np.nan))).message
    assert f"returned nan at index 0, expected {labels[0]} (NaN comes from an invalid operation" in nan
    assert "returned an array of shape (3,), expected shape (40,)" in check(_named(lambda X, C: np.zeros(3))).message
    ragged = check(_named(lambda X, C: ([1, 2], [3]))).message
    assert "a tuple of 2 values that do not form an array of numbers" in ragged
    raised = check(_named(lambda X, C: X[100])).message
    assert "my_function raised IndexError: index 100 is out of bounds" in raised
    # Wrong values: where the answer first differs, and the largest difference for floats.
    wrong = labels.copy()
    wrong[[3, 7]] = (wrong[[3, 7]] + 1) % 3
    message = check(_named(lambda X, C: wrong if len(X) == 40 else kmeans.assign(X, C))).message
    assert (f"differs from the expected one at 2 of 40 entries; the first at index 3 "
            f"(got {wrong[3]}, expected {labels[3]})") in message and "largest" not in message
    gain = EXERCISES["update_gain"]
    expected = gain.reference(*gain.cases()[0].make())
    message = gain.check(_named(lambda X, labels, C: expected + 1.5)).message
    assert f"returned {expected + 1.5:.6g}, expected {expected:.6g}" in message
    rbf = EXERCISES["rbf_affinity"]
    A = rbf.reference(*rbf.cases()[0].make())
    B = A.copy()
    B[1, 2] += 0.01
    B[4, 5] += 0.5
    message = rbf.check(_named(lambda X, g: B)).message
    assert "at 2 of 36 entries; the first at index (1, 2)" in message
    assert "the largest difference is 0.5 at index (4, 5)" in message
    # A tuple: which part is wrong; which case (the linkage) for numbers.
    counts = EXERCISES["count_a_and_b"]
    message = counts.check(_named(lambda t, p: (metrics.pair_counts(t, p).a, 0))).message
    assert "part b of the answer is 0, expected" in message
    distance = EXERCISES["cluster_distance"]
    message = distance.check(_named(lambda A, B, linkage: float(cdist(A, B).min()))).message
    assert "(test case 2 of 6: linkage='complete', 4 and 6 points)" in message


def _named(function):
    function.__name__ = "my_function"
    return function


def test_the_student_s_input_cannot_reach_the_reference():
    def mutating(X, centers):
        labels = kmeans.assign(X, centers)
        X[:] = 0
        centers[:] = 1e9
        return labels

    assert EXERCISES["assign"].check(mutating)
    consumed = EXERCISES["streaming_inertia"].check(lambda chunks, C: float(sum(
        np.sum(np.min(cdist(c, C, "sqeuclidean"), axis=1)) for c in chunks)))
    assert consumed, consumed.message


def test_stub_message_says_only_what_to_do():
    for name, ex in EXERCISES.items():
        def my_function(*args):
            raise NotImplementedError()

        message = ex.check(my_function).message
        assert message == ("Not yet: my_function still raises NotImplementedError. Write its body "
                           "in the cell above, run that cell, then run this check again.")
        assert not re.search(r"\bHint\b|`|\(|=", message)


# ------------------------------------------------------------------------------------------
# Hints on request, wrapped at word boundaries; solutions from the teacher's edition
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_two_hints_then_the_way_to_the_solution(name):
    ex = EXERCISES[name]
    module = importlib.import_module(ex.reference.__module__)
    hint = getattr(module, f"hint_{name}")
    assert hint.__name__ == f"hint_{name}" and hint.__doc__
    first, second, third = repr(hint()), repr(hint(2)), repr(hint(3))
    assert first.startswith("Hint 1 of 2: ") and second.startswith("Hint 2 of 2: ")
    assert first != second and f"`solution_{name}()`" in third
    for level, text, original in ((1, first, ex.hints[0]), (2, second, ex.hints[1])):
        lines = text.splitlines()
        assert all(len(line) <= teaching.WIDTH for line in lines if "`" not in line)
        assert " ".join(lines) == f"Hint {level} of 2: {original}"      # broken at spaces only
    with pytest.raises(ValueError, match="level"):
        hint(0)


def test_wrapping_keeps_words_and_code_spans_whole():
    text = ("compute t he n_a x n_b matrix " * 3 + "`X[:, None, :] - centers[None, :, :]` and more "
            "words " * 10)
    wrapped = teaching.Advice(text)
    lines = repr(wrapped).splitlines()
    assert len(lines) > 2 and all(len(line) <= teaching.WIDTH or "`" in line for line in lines)
    assert " ".join(lines).split() == text.split()
    assert any("`X[:, None, :] - centers[None, :, :]`" in line for line in lines)


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_solution_comes_from_the_teacher_s_edition(name):
    ex = EXERCISES[name]
    module = importlib.import_module(ex.reference.__module__)
    code = getattr(module, f"solution_{name}")()
    assert "def " in code.data and "### " not in code.data and "YOUR CODE" not in code.data
    namespace = {}
    exec("from lessons_src.preamble import *", namespace)
    exec(_exercise_imports(ex.lesson), namespace)
    exec(code.data, namespace)
    function = namespace[re.match(r"def (\w+)\(", code.data).group(1)]
    assert ex.check(function), ex.check(function).message


def test_solution_without_the_lesson_sources(monkeypatch, tmp_path):
    monkeypatch.setattr(teaching, "LESSONS_DIR", tmp_path)
    advice = EXERCISES["assign"].solution()
    assert isinstance(advice, teaching.Advice) and "lessons/01_*.py" in repr(advice)


# ------------------------------------------------------------------------------------------
# The teacher's edition: solutions written once, each passing its check (hidden tests)
# ------------------------------------------------------------------------------------------

def _exercise_cells(source):
    cells = jupytext.read(source, fmt="py:percent").cells
    start = [i for i, c in enumerate(cells) if c.cell_type == "markdown" and "## Exercises" in c.source]
    if not start:
        return []
    end = next(i for i, c in enumerate(cells) if c.cell_type == "markdown" and c.source.startswith("## Summary"))
    return cells[start[0]:end]


def _exercise_imports(lesson):
    source = next((ROOT / "lessons").glob(f"{lesson}_*.py"))
    return next(c.source for c in _exercise_cells(source) if c.cell_type == "code" and "import" in c.source
                and "nbgrader" not in c.metadata)


@pytest.mark.parametrize("source", [s for s in SOURCES if _exercise_cells(s)], ids=lambda p: p.stem)
def test_teacher_s_edition_passes_every_check(source):
    cells = _exercise_cells(source)
    lesson = source.stem[:2]
    graded = {c.metadata["nbgrader"]["grade_id"]: c for c in cells if "nbgrader" in c.metadata}
    names = sorted(ex.name for ex in EXERCISES.values() if ex.lesson == lesson)
    assert sorted(graded) == sorted([f"{lesson}_{n}" for n in names] + [f"{lesson}_{n}_check" for n in names])
    for name in names:
        solution, check = graded[f"{lesson}_{name}"], graded[f"{lesson}_{name}_check"]
        assert solution.metadata["nbgrader"]["solution"] and not solution.metadata["nbgrader"]["grade"]
        assert check.metadata["nbgrader"]["grade"] and check.metadata["nbgrader"]["points"] == 1
        assert re.search(r"### BEGIN SOLUTION\n(.|\n)+### END SOLUTION", solution.source)
        # The hidden test fails with the check's diagnosis (nbgrader's feedback shows it).
        assert re.search(rf"### BEGIN HIDDEN TESTS\nassert check_{name}\((\w+)\), repr\(check_{name}\(\1\)\)\n"
                         rf"### END HIDDEN TESTS\ncheck_{name}\(\1\)$", check.source)
    namespace = {}
    exec("from lessons_src.preamble import *", namespace)
    for cell in cells:
        if cell.cell_type == "code":
            exec(cell.source, namespace)      # the hidden tests assert every check passes
    for name in names:
        argument = re.search(rf"check_{name}\((\w+)\)$", graded[f"{lesson}_{name}_check"].source).group(1)
        assert namespace[f"check_{name}"](namespace[argument]).message.startswith("Correct")


# ------------------------------------------------------------------------------------------
# The student's edition: what the committed notebooks show
# ------------------------------------------------------------------------------------------

def _solution_lines():
    """Every substantial line written only between the solution markers of the lessons (a line
    the lesson also shows elsewhere, such as section 1's pair loop in lesson 05, is no secret)."""
    lines = set()
    for source in SOURCES:
        text = source.read_text(encoding="utf-8")
        pattern = r"### BEGIN SOLUTION\n(.*?)### END SOLUTION"
        shown = {line.strip() for line in re.sub(pattern, "", text, flags=re.S).splitlines()}
        for block in re.findall(pattern, text, re.S):
            lines |= {line.strip() for line in block.splitlines() if len(line.strip()) > 12} - shown
    return lines


@pytest.mark.parametrize("notebook", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.stem)
def test_committed_notebooks_show_no_solution(notebook):
    nb = nbformat.read(notebook, as_version=4)
    secrets = _solution_lines()
    assert len(secrets) > 40
    for cell in nb.cells:
        outputs = "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "")
                          for o in cell.get("outputs", []))
        for text in (cell.source, outputs):
            assert not re.search(r"BEGIN SOLUTION|END SOLUTION|HIDDEN TESTS", text)
            leaked = [line for line in secrets if line in text]
            assert not leaked, f"{notebook.name}: solution text {leaked[:2]}"
        assert not re.search(r"\bHint\b", outputs), f"{notebook.name}: a hint shown before it was asked"
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade"):
            assert outputs.replace("\n", " ").startswith("Not yet: ") and "NotImplementedError" in outputs
            assert "`" not in outputs and "(test case" not in outputs


# ------------------------------------------------------------------------------------------
# The module references, checked against the library or an independent computation
# ------------------------------------------------------------------------------------------

def test_reference_update_gain_is_the_parallel_axis_identity():
    ex = EXERCISES["update_gain"]
    for case in ex.cases():
        X, labels, C = case.make()
        means = _means(X, labels, len(C))
        identity = sum(np.sum(labels == k) * np.sum((C[k] - means[k]) ** 2) for k in range(len(C)))
        assert ex.reference(X, labels, C) == pytest.approx(identity, rel=1e-10)
        assert ex.reference(X, labels, C) >= 0


def test_reference_choose_k_finds_the_blobs():
    ex = EXERCISES["choose_k"]
    for case, truth in zip(ex.cases(), (3, 5, 4)):
        assert ex.reference(*case.make())[0] == truth


def test_reference_cluster_distances_against_scipy():
    from scipy.cluster.hierarchy import linkage

    rng = np.random.default_rng(2)
    A, B = rng.normal(size=(3, 2)), rng.normal(size=(4, 2)) + 5
    for rule in ("single", "complete", "average"):
        # The last merge of two far groups happens at exactly the linkage distance between them.
        Z = linkage(np.vstack([A, B]), rule)
        assert EXERCISES["cluster_distance"].reference(A, B, rule) == pytest.approx(Z[-1, 2], rel=1e-12)


def test_reference_cuts_against_scipy_fcluster():
    from scipy.cluster.hierarchy import fcluster, linkage

    X = np.random.default_rng(9).normal(size=(20, 2))
    for rule in ("single", "complete", "ward"):
        Z = linkage(X, rule)
        for h in (0.5, 1.0, 2.0):
            assert EXERCISES["n_clusters_at_height"].reference(Z, h) == len(np.unique(fcluster(Z, h, "distance")))
            if rule == "single":
                assert EXERCISES["n_single_clusters"].reference(X, h) == len(np.unique(fcluster(Z, h, "distance")))


def test_reference_zero_eigenvector_is_in_the_kernel_of_l_sym():
    for case in EXERCISES["zero_eigenvector"].cases():
        (A,) = case.make()
        vector = EXERCISES["zero_eigenvector"].reference(A)
        np.testing.assert_allclose(spectral.laplacian(A) @ vector, 0, atol=1e-10)
        assert np.linalg.norm(vector) == pytest.approx(1)


def test_reference_expected_rand_index_against_random_labelings():
    rng = np.random.default_rng(0)
    for C, K in [(2, 3), (5, 50), (10, 10)]:
        ri = [metrics.rand_index(rng.integers(0, C, 2000), rng.integers(0, K, 2000)) for _ in range(20)]
        assert EXERCISES["expected_rand_index"].reference(C, K) == pytest.approx(np.mean(ri), abs=3e-3)


def test_reference_ari_from_table_against_sklearn():
    from sklearn.metrics import adjusted_rand_score

    rng = np.random.default_rng(4)
    t, p = rng.integers(0, 3, 40), rng.integers(0, 4, 40)
    table = metrics.contingency_table(t, p)
    assert EXERCISES["ari_from_table"].reference(table) == pytest.approx(adjusted_rand_score(t, p), abs=1e-12)


def test_reference_silhouette_against_sklearn():
    from sklearn.metrics import silhouette_samples

    for case in EXERCISES["silhouette_of_point"].cases():
        X, labels, i = case.make()
        assert EXERCISES["silhouette_of_point"].reference(X, labels, i) == pytest.approx(
            silhouette_samples(X, labels)[i], abs=1e-12)


def test_reference_best_rank_error_is_the_floor_under_nmf_and_pca_reaches_it():
    from sklearn.decomposition import NMF, TruncatedSVD

    V = np.random.default_rng(3).random((30, 20))
    floor = EXERCISES["best_rank_error"].reference(V, 4)
    svd = TruncatedSVD(4, algorithm="arpack").fit(V)
    assert 0.5 * np.sum((V - svd.inverse_transform(svd.transform(V))) ** 2) == pytest.approx(floor, rel=1e-8)
    model = NMF(4, init="nndsvda", max_iter=500).fit(V)
    assert 0.5 * np.sum((V - model.inverse_transform(model.transform(V))) ** 2) > floor


def test_reference_largest_terms_with_all_terms_is_the_reconstruction():
    W, H = np.random.default_rng(5).random((12, 5)), np.random.default_rng(6).random((5, 8))
    np.testing.assert_allclose(EXERCISES["largest_terms"].reference(W, H, 2, 5), W @ H[:, 2])


def test_reference_normalize_basis_matches_the_nature_rule():
    V, W, H = np.random.default_rng(7).random((8, 6)), np.random.default_rng(8).random((8, 3)), \
        np.random.default_rng(9).random((3, 6))
    W_kl = nmf.update_kl(V, W, H)[0]
    W_nature = nmf.update_nature1999(V, W, H)[0]
    W_new, H_new = EXERCISES["normalize_basis"].reference(W_kl, H)
    np.testing.assert_allclose(W_new, W_nature, rtol=1e-12)
    np.testing.assert_allclose(W_new @ H_new, W_kl @ H, rtol=1e-12)


def test_reference_sparse_kl_rule_is_the_kl_rule_at_zero_and_descends():
    rng = np.random.default_rng(12)
    V, W, H = rng.random((10, 8)), rng.random((10, 3)) + 0.1, rng.random((3, 8)) + 0.1
    W_new, H_new = nmf.update_kl(V, W, H)
    rule = EXERCISES["sparse_kl_h_update"].reference
    np.testing.assert_allclose(rule(V, W_new, H, 0.0), H_new, rtol=1e-12)
    for lam in (0.1, 1.0, 5.0):
        objective = [nmf.kl_divergence(V, W, H) + lam * H.sum()]
        H_k = H
        for _ in range(30):
            H_k = rule(V, W, H_k, lam)
            objective.append(nmf.kl_divergence(V, W, H_k) + lam * H_k.sum())
        assert np.all(np.diff(objective) <= 1e-12 * objective[0]) and H_k.min() >= 0


def test_reference_bag_of_words_is_the_pipeline_s():
    images = datasets.load_digits_images()[0][:12]
    bag = features.sift_bovw_features(images, n_words=10, random_state=0, return_details=True)
    vocabulary = bag.vocabulary.cluster_centers_
    for image in range(12):
        np.testing.assert_allclose(EXERCISES["bovw_vector"].reference(bag.descriptors[image], vocabulary),
                                   bag.features[image], atol=1e-12)


def test_reference_angle_of_random_unit_vectors():
    rng = np.random.default_rng(13)
    a, b = rng.normal(size=(2, 50, 7))
    a, b = a / np.linalg.norm(a, axis=1, keepdims=True), b / np.linalg.norm(b, axis=1, keepdims=True)
    angles = np.degrees(np.arccos(np.clip((a * b).sum(axis=1), -1, 1)))
    np.testing.assert_allclose(EXERCISES["angle_from_distance"].reference(np.linalg.norm(a - b, axis=1)), angles,
                               atol=1e-6)


def test_reference_windows_against_the_segmentation_module():
    rng = np.random.default_rng(14)
    image = rng.random((9, 7))
    S = np.pad(image.cumsum(0).cumsum(1), ((1, 0), (1, 0)))
    np.testing.assert_allclose(EXERCISES["integral_image_2d"].reference(image), S, atol=1e-12)
    np.testing.assert_allclose(segmentation.integral_image(image)[..., 0], S, atol=1e-12)
    assert EXERCISES["window_sum"].reference(S, 2, 3, 4) == pytest.approx(image[2:6, 3:7].sum())
    for H, W, w, s in [(400, 600, 100, 10), (9, 11, 2, 4), (7, 5, 3, 2)]:
        means = segmentation.window_mean_features(np.zeros((H, W, 3), dtype=np.uint8), window=w, stride=s)
        assert EXERCISES["n_window_positions"].reference(H, W, w, s) == means.shape[:2]
        assert means.shape[:2] == ((H - w) // s + 1, (W - w) // s + 1)


def test_reference_expected_candidates_against_simulated_rounds():
    rng = np.random.default_rng(15)
    for case in EXERCISES["expected_candidates"].cases():
        d2, l = case.make()
        p = np.minimum(1, l * d2 / d2.sum())
        kept = (rng.random((4000, len(d2))) < p).sum(axis=1)
        assert EXERCISES["expected_candidates"].reference(d2, l) == pytest.approx(kept.mean(), abs=0.1)
        assert EXERCISES["expected_candidates"].reference(d2, l) <= l + 1e-12


# ------------------------------------------------------------------------------------------
# nbgrader: the teacher's route, and the student's lab without its menus
# ------------------------------------------------------------------------------------------

def test_nbgrader_generate_assignment_makes_the_student_s_edition(tmp_path):
    source = ROOT / "lessons" / "01_kmeans_step_by_step.py"
    assignment = tmp_path / "source" / "lesson01"
    assignment.mkdir(parents=True)
    jupytext.write(jupytext.read(source, fmt="py:percent"), assignment / "01_kmeans_step_by_step.ipynb")
    nbgrader = pathlib.Path(sys.executable).with_name("nbgrader")
    run = subprocess.run([str(nbgrader), "generate_assignment", "lesson01", "--force",
                          f"--CourseDirectory.root={tmp_path}",
                          f"--CourseDirectory.db_url=sqlite:///{tmp_path / 'gradebook.db'}"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=300,
                         env={**os.environ, "PATH": f"{nbgrader.parent}{os.pathsep}{os.environ['PATH']}"})
    assert run.returncode == 0, run.stdout + run.stderr
    released = nbformat.read(tmp_path / "release" / "lesson01" / "01_kmeans_step_by_step.ipynb", as_version=4)
    student = teaching.student_edition(jupytext.read(source, fmt="py:percent"))
    assert [c.source for c in released.cells] == [c.source for c in student.cells]
    text = "\n".join(c.source for c in released.cells)
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
    assert not [line for line in _solution_lines() if line in text]
    assert text.count("raise NotImplementedError()") == 3


def test_the_lab_shows_no_nbgrader_menus():
    # make venv installs nbgrader for the command line and switches its JupyterLab extension off.
    installed = pathlib.Path(sys.prefix, "share", "jupyter", "labextensions", "@jupyter", "nbgrader")
    if not installed.exists():
        pytest.skip("nbgrader's JupyterLab extension is not installed in this environment")
    config = pathlib.Path(sys.prefix, "etc", "jupyter", "labconfig", "page_config.json")
    assert config.exists(), "run `make venv`: it switches nbgrader's JupyterLab menus off"
    disabled = json.loads(config.read_text())["disabledExtensions"]
    assert disabled.get("@jupyter/nbgrader") and disabled.get("@jupyter-notebook/lab-extension")
