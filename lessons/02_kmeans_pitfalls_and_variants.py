# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: nbgrader,slideshow,tags
#     notebook_metadata_filter: kernelspec
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 02 · K-Means: pitfalls and variants (K均值的不足与改进)
#
# The slides list four weaknesses of K-Means and three remedies. This lesson shows each weakness
# happening on real runs, then each remedy at work: **K-Means++**, **K-Means‖** (K-Means
# parallel) and **Mini-Batch K-Means**.
#
# **In this notebook you will**
#
# - see one data set give different answers from different starts (初值敏感);
# - choose K with the elbow and silhouette curves (K值的选择);
# - drag a centre with outliers on a slider (异常点敏感);
# - watch K-Means fail on non-convex and unequal clusters (非凸形状、大小差别较大的簇);
# - step through K-Means++'s D² sampling, K-Means‖'s rounds, and Mini-Batch's updates, each
#   compared with the plain algorithm or with scikit-learn.

# %%
from lessons_src.preamble import *
from lessons_src import datasets, figures, kmeans
from lessons_src.datasets import make_blobs_2d
from lessons_src.exercises.kmeans_variants import check_d2_probabilities, check_inertia
from lessons_src.teaching import show_source
from lessons_src.widgets import dropdown, float_slider, int_slider, interactive_figure

# %% [markdown]
# ## Weakness 1: sensitive to the initial centres
#
# K-Means only goes downhill, so where it ends depends on where it starts. Below, 300 points in six
# groups, clustered 100 times with K = 6 from random initial centres (`init='random'`, one run
# each): the histogram of the final inertia, the best run and the worst.

# %%
X6, y6 = make_blobs_2d(n_samples=300, n_clusters=6, random_state=SEED)
sensitivity = figures.kmeans_variants.plot_init_sensitivity(X6, 6, n_seeds=100, init="random")
plt.show()
inertias = sensitivity["inertias"]
print(f"final inertia over 100 seeds: min {inertias.min():.1f}, median {np.median(inertias):.1f}, "
      f"max {inertias.max():.1f}")

# %% [markdown]
# The worst run is a **local optimum (局部最优)**: one group is split between two centres while
# two other groups share one, and no single step can fix it (moving either centre alone raises the
# inertia). The usual defence is several starts (`n_init`) and a better start (K-Means++, below).
#
# ## Weakness 2: K must be given in advance
#
# The inertia always falls as K grows (K = n gives 0), so it cannot pick K by itself. Two common
# aids: the **elbow** of the inertia curve, where adding a cluster stops paying much, and the
# **silhouette (轮廓系数)**, which rewards tight, well-separated clusters and peaks at a good K
# (computed here with `sklearn.metrics.silhouette_score`; lesson 05 derives it). Move K:

# %% tags=["nbval-ignore-output"]
interactive_figure(figures.kmeans_variants.draw_choose_k,
                   n_clusters=int_slider(1, 10, 4, description="K"),
                   data=dropdown(list(datasets.REPLAY_SETS), description="data"))

# %%
choose = figures.kmeans_variants.draw_choose_k(n_clusters=4, data="blobs")
plt.show()
for n_clusters, inertia, silhouette in zip(choose["n_clusters"], choose["inertias"], choose["silhouettes"]):
    print(f"K = {n_clusters:2d}: inertia {inertia:8.1f}, silhouette "
          + ("  -  " if np.isnan(silhouette) else f"{silhouette:.3f}"))
gains = -np.diff(choose["inertias"])  # what each added cluster buys
assert choose["n_clusters"][np.nanargmax(choose["silhouettes"])] == 4  # the silhouette's K
assert gains[3] < 0.1 * gains[2]  # the elbow: the 5th cluster buys a tenth of what the 4th did

# %% [markdown]
# On the four blobs both agree on K = 4. Try the `moons` or `unequal` data in the slider: the
# curves are much less clear when the clusters are not round.
#
# ## Weakness 3: sensitive to outliers
#
# A centre is a mean, and a mean follows every point, however far. Three outliers sit at some
# distance to the right of three groups of 30 points. Close by, they drag a centre; farther away
# they become worth a centre of their own, and two real groups must then share one.

# %% tags=["nbval-ignore-output"]
interactive_figure(figures.kmeans_variants.draw_outlier_pull,
                   distance=float_slider(0, 60, 8, step=1, description="outlier distance"))

# %%
for distance in (8, 30):
    result = figures.kmeans_variants.draw_outlier_pull(distance=distance)
    plt.show()
    print(f"distance {distance}: largest centre move {result['shift']:.2f}, "
          f"outliers alone in a cluster: {result['outliers_alone']}")

# %% [markdown]
# ## Weakness 4: non-convex shapes and very different sizes
#
# K-Means' regions are convex cells (each is where one centre is nearest), and it prefers
# clusters of similar spread. Interleaved moons, nested circles, stretched (anisotropic) groups
# and groups of very unequal size break both assumptions, even with the true K and 10 starts. The
# ARI (adjusted Rand index, lesson 05) compares with the true groups: 1 is perfect, 0 is chance.

# %%
failures = figures.kmeans_variants.plot_failure_cases(random_state=SEED)
plt.show()
for name, ari in failures["ari"].items():
    print(f"{name:>12}: ARI {ari:.2f}")

# %% [markdown]
# Lessons 03 and 04 (hierarchical and spectral clustering) handle the first two shapes.
#
# ## Remedy 1: K-Means++
#
# **K-Means++** (Arthur and Vassilvitskii 2007) chooses the initial centres one at a time: the
# first uniformly among the points, each next one at random with probability
#
# $$p(x) = \frac{D(x)^2}{\sum_{x'} D(x')^2},$$
#
# where $D(x)$ is the distance from $x$ to the nearest centre chosen so far. Far points are
# likely, so the centres spread out; but the single farthest point, often an outlier, is not
# forced (the slides' remark). Step through the picks: the heat map is $D(x)^2$ over the plane
# (scaled so that at a data point it is that point's probability), and larger dots are likelier.

# %% tags=["nbval-ignore-output"]
interactive_figure(figures.kmeans_variants.draw_d2_map, pick=int_slider(1, 4, 2, description="pick"),
                   random_state=int_slider(0, 20, SEED, description="seed"))

# %%
for pick in (2, 4):
    d2_map = figures.kmeans_variants.draw_d2_map(pick=pick, random_state=SEED)
    plt.show()
    print(f"pick {pick}: probabilities sum to {d2_map['probabilities'].sum():.6f}, "
          f"largest {d2_map['probabilities'].max():.4f}")

# %% [markdown]
# The probabilities are one line of NumPy on top of the distances:

# %%
show_source(kmeans.d2_probabilities)

# %% [markdown]
# And the whole of K-Means++, one pick at a time (the slider above draws each pick's law): a
# generator, like lesson 01's Lloyd, that hands out every pick with the probabilities it was
# drawn from.

# %%
show_source(kmeans.kmeans_plusplus_picks)

# %% [markdown]
# Does it help? The same 300 points and 100 seeds as above, random vs K-Means++ starts: the
# inertia of the initial centres themselves, and after K-Means.

# %%
plusplus = figures.kmeans_variants.plot_plusplus_vs_random(X6, 6, n_seeds=100)
plt.show()
for init, result in plusplus["results"].items():
    best = min(r["final"].min() for r in plusplus["results"].values())
    share = np.mean(result["final"] <= 1.01 * best)
    print(f"{init:>9}: median initial inertia {np.median(result['initial']):7.1f}, "
          f"best optimum reached in {share:.0%} of runs")
random_runs, plusplus_runs = plusplus["results"]["random"], plusplus["results"]["k-means++"]
assert np.median(plusplus_runs["initial"]) < 0.7 * np.median(random_runs["initial"])
assert (np.mean(plusplus_runs["final"] <= 1.01 * best)
        > np.mean(random_runs["final"] <= 1.01 * best))  # more often, ...
assert np.max(plusplus_runs["final"]) > 1.01 * best  # ... but not always

# %% [markdown]
# K-Means++ starts much lower and reaches the best optimum more often, but not always: with six
# groups, several starts (`n_init`) are still worth it.
#
# ## Remedy 2: K-Means‖ (K-Means parallel)
#
# K-Means++ needs K passes over the data, one per centre, each depending on the previous one:
# slow when the data are spread over many machines. **K-Means‖** (Bahmani et al. 2012) replaces
# them with a few rounds that each pick *many* points at once:
#
# 1. one centre uniformly at random;
# 2. for a few rounds: keep each point independently with probability
#    $\min(1,\ \ell\, D(x)^2 / \sum D^2)$, about $\ell$ new candidates per round (here
#    $\ell$ = oversampling factor × K);
# 3. weight each candidate by the number of points nearest to it;
# 4. run weighted K-Means++ on the few candidates to keep K.
#
# Each round is one pass that parallelises over the points. The tested source, step by step:

# %%
show_source(kmeans.init_kmeans_parallel)

# %% [markdown]
# Move the rounds and the oversampling:

# %% tags=["nbval-ignore-output"]
interactive_figure(figures.kmeans_variants.draw_kmeans_parallel_rounds,
                   n_rounds=int_slider(1, 5, 3, description="rounds"),
                   oversampling_factor=float_slider(0.25, 4, 1, step=0.25, description="oversampling"),
                   random_state=int_slider(0, 20, SEED, description="seed"))

# %%
parallel = figures.kmeans_variants.draw_kmeans_parallel_rounds(n_rounds=3, oversampling_factor=1.0,
                                                                random_state=SEED)
plt.show()
seeding = parallel["seeding"]
print(f"{len(seeding.candidate_indices)} candidates in {seeding.n_passes} passes over the data")

# %% [markdown]
# Quality and cost against K-Means++ on the six groups (medians over 30 seeds; 3 rounds with
# oversampling 2): the inertia of the initial centres, after K-Means, and the passes over the
# data needed to initialise.

# %%
table = figures.kmeans_variants.compare_plusplus_parallel(X6, 6, n_seeds=30, oversampling_factor=2.0, n_rounds=3)
print(f"{'init':>10} | {'initial inertia':>15} | {'final inertia':>13} | passes")
for init, row in table.items():
    print(f"{init:>10} | {row['initial']:15.1f} | {row['final']:13.1f} | {row['passes']:6d}")
assert table["k-means||"]["passes"] < table["k-means++"]["passes"]
assert table["k-means||"]["final"] <= 1.01 * table["k-means++"]["final"]

# %% [markdown]
# Similar quality from fewer passes; with K in the hundreds (the distributed case) the gap in
# passes is what matters: K for K-Means++, about 5-10 for K-Means‖ however large K is. Spark's
# MLlib and dask-ml use K-Means‖ by default.
#
# ## Remedy 3: Mini-Batch K-Means
#
# Each full iteration touches every point. **Mini-Batch K-Means** (Sculley 2010) updates the
# centres from a small random batch at a time: each batch point is assigned to its nearest
# centre, and a centre that has absorbed $n_k$ points so far moves toward the mean $m_k$ of its
# $b_k$ new points with step $b_k / (n_k + b_k)$: a learning rate that shrinks as the centre
# matures. This is the update scikit-learn's `MiniBatchKMeans` uses (the unit tests check one
# step equal to scikit-learn's).

# %%
show_source(kmeans.minibatch_step)

# %% [markdown]
# 4000 points, 20 updates, from the same K-Means++ start for ours and for scikit-learn's
# `MiniBatchKMeans` (fed the same number of batches): on the left one batch size with the path of
# each centre, on the right the inertia relative to full K-Means for every batch size. Move the
# batch size:

# %% tags=["nbval-ignore-output"]
interactive_figure(figures.kmeans_variants.draw_minibatch,
                   batch_size=int_slider(2, 1024, 32, step=2, description="batch size"))

# %%
minibatch = figures.kmeans_variants.draw_minibatch(batch_size=32)
plt.show()
curves = figures.kmeans_variants.minibatch_curves()
print("batch size | ours   | scikit-learn  (inertia / full K-Means)")
for size, ours, theirs in zip(curves["batch_sizes"], curves["ours"], curves["sklearn"]):
    print(f"{size:10d} | {ours:.4f} | {theirs:.4f}")
assert np.all(np.diff(curves["ours"]) < 0)  # larger batches, better answers
large = curves["batch_sizes"] >= 32
assert np.array_equal(np.round(curves["ours"][large], 4), np.round(curves["sklearn"][large], 4))

# %% [markdown]
# Larger batches give a better answer in the same number of steps, at a higher cost per step.
# For batches of 32 and more the two implementations agree to every printed digit (same start,
# same batches, same update); with tiny batches scikit-learn also moves centres that receive
# almost no points to random data points (its `reassignment_ratio`), which we do not.
#
# Time (machine-dependent, so not compared by the tests): the fit time of each run, against one
# full K-Means.

# %% tags=["nbval-ignore-output"]
fig, ax = plt.subplots(figsize=(6, 3.6))
ax.semilogx(curves["batch_sizes"], curves["time_ours"] * 1e3, "o-", label="ours (20 steps)", base=2)
ax.semilogx(curves["batch_sizes"], curves["time_sklearn"] * 1e3, "s--", label="scikit-learn (20 partial_fit calls)", base=2)
ax.set_ylim(0, None)
ax.axhline(curves["time_full"] * 1e3, color="0.5", ls=":", label="full K-Means (ours, one run)")
ax.set_xlabel("batch size")
ax.set_ylabel("fit time (ms)")
ax.legend(fontsize=9)
plt.show()


# %% [markdown]
# On 4000 points everything is fast; Mini-Batch pays off when the data do not fit in memory or
# arrive as a stream (`partial_fit`), where a full pass per iteration is not an option.
#
# ## Exercises
#
# Each exercise asks for one function: write it in its cell, run that cell, then run the check
# below it. The check says "Correct", or what is wrong and on which test case. Stuck?
# `hint_inertia()` gives a nudge, `hint_inertia(2)` a stronger hint and `solution_inertia()` shows
# a solution (each exercise has its own three, named after it). Try before you ask: the checks'
# messages are written to help.

# %%
from sklearn.cluster import KMeans as SklearnKMeans
from sklearn.metrics import silhouette_score

from lessons_src.exercises.kmeans_variants import (
    check_choose_k, check_d2_probabilities, check_inertia, hint_choose_k, hint_d2_probabilities,
    hint_inertia, solution_choose_k, solution_d2_probabilities, solution_inertia)

# %% [markdown]
# **1. The objective (warm-up).** Write `my_inertia(X, labels, centers)`: the sum over points of
# the squared Euclidean distance to the centre of their cluster, as a float. It is the number the
# elbow curve and every comparison above are made of.

# %% nbgrader={"grade": false, "grade_id": "02_inertia", "locked": false, "schema_version": 3, "solution": true, "task": false}
def my_inertia(X, labels, centers):
    ### BEGIN SOLUTION
    return float(((X - centers[labels]) ** 2).sum())
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "02_inertia_check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
### BEGIN HIDDEN TESTS
assert check_inertia(my_inertia), repr(check_inertia(my_inertia))
### END HIDDEN TESTS
check_inertia(my_inertia)

# %% [markdown]
# **2. K-Means++'s law.** Write `my_d2_probabilities(X, centers)`: for every row of `X`, the
# squared distance $D(x)^2$ to its *nearest* row of `centers`, divided by the sum over all rows.

# %% nbgrader={"grade": false, "grade_id": "02_d2_probabilities", "locked": false, "schema_version": 3, "solution": true, "task": false}
def my_d2_probabilities(X, centers):
    ### BEGIN SOLUTION
    d2 = ((X[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2).min(axis=1)
    return d2 / d2.sum()
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "02_d2_probabilities_check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
### BEGIN HIDDEN TESTS
assert check_d2_probabilities(my_d2_probabilities), repr(check_d2_probabilities(my_d2_probabilities))
### END HIDDEN TESTS
check_d2_probabilities(my_d2_probabilities)

# %% [markdown]
# **3. Choose K, and back it with a number.** The curves of weakness 2 come from a figure
# function. Now choose K yourself: write `choose_k(X, k_values)` that clusters `X` for every K in
# `k_values` with `SklearnKMeans(n_clusters=K, n_init=10, random_state=SEED)`, scores each
# clustering by its mean silhouette (`silhouette_score(X, labels)`), and returns the pair
# `(K, silhouette)` of the best one. When it passes, try it on the `unequal` or `moons` data
# (`datasets.replay_set("moons")[0]`) and compare with the elbow of the inertia: do the two scores
# agree there?

# %% nbgrader={"grade": false, "grade_id": "02_choose_k", "locked": false, "schema_version": 3, "solution": true, "task": false}
def choose_k(X, k_values):
    ### BEGIN SOLUTION
    scores = []
    for k in k_values:
        labels = SklearnKMeans(n_clusters=k, n_init=10, random_state=SEED).fit_predict(X)
        scores.append(silhouette_score(X, labels))
    best = int(np.argmax(scores))
    return k_values[best], scores[best]
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "02_choose_k_check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
### BEGIN HIDDEN TESTS
assert check_choose_k(choose_k), repr(check_choose_k(choose_k))
### END HIDDEN TESTS
check_choose_k(choose_k)

# %% [markdown]
# ## Summary
#
# - K-Means depends on its start (local optima), needs K (elbow, silhouette), follows outliers,
#   and fails on non-convex or very unequal clusters.
# - **K-Means++**: draw each next centre with probability $\propto D(x)^2$: better starts, often
#   the best optimum; K passes over the data.
# - **K-Means‖**: a few rounds of oversampling $\propto D(x)^2$, then weighted K-Means++ on the
#   candidates: similar quality in a handful of parallel passes.
# - **Mini-Batch**: centres updated from small random batches with a shrinking per-centre step;
#   larger batches, better answers, more work per step.
#
# Next: [03 · Hierarchical clustering](03_hierarchical_clustering.ipynb), which needs no K in
# advance and follows non-convex shapes.
