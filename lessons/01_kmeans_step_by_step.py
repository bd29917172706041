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

# %% [markdown] slideshow={"slide_type": "slide"}
# # 01 · K-Means, step by step (K均值聚类：逐步演示)
#
# K-Means (K均值) splits n points into K groups by alternating two simple steps until nothing
# changes. This lesson takes the algorithm apart: every step drawn, every step replayed on a
# slider, and our from-scratch version checked against scikit-learn's to the last digit.
#
# **In this notebook you will**
#
# - run the four steps of the slides by hand and see the six-panel figure (a)-(f);
# - watch the objective, the inertia (簇内平方和), go down at every step and never up;
# - replay a whole run on a slider, with the Voronoi regions of the centres;
# - compare Euclidean distance (欧氏距离) with cosine distance (余弦距离) on data where they
#   disagree;
# - see the two stop rules, `max_iter` and `tol`, at work on the centre-shift curve;
# - learn `sklearn.cluster.KMeans`'s parameters as the slides list them and as they are today;
# - check that our implementation gives exactly scikit-learn's answer.

# %% [markdown] slideshow={"slide_type": "fragment"}
# The common first cell: figure style, print precision, `SEED`. The last line keeps every
# library on one thread: the lessons' data are small, and on a shared machine starting threads
# costs more than it saves (and results then never depend on the thread count).

# %%
from lessons_src.preamble import *
from lessons_src import datasets, figures, kmeans, plotting
from lessons_src.datasets import load_digits_images
from lessons_src.exercises.kmeans_steps import check_assign, check_update_centers
from lessons_src.teaching import show_source
from lessons_src.widgets import dropdown, float_slider, int_slider, interactive_figure

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The algorithm in four steps
#
# The slides give K-Means as four steps:
#
# 1. pick K initial centres (簇心), data points or not;
# 2. assign every point to its nearest centre, by **Euclidean distance** or **cosine distance**;
# 3. move every centre to the mean of the points assigned to it;
# 4. repeat 2-3 until a stop rule holds: a maximum **number of iterations (迭代次数)**, or the
#    centres hardly move any more (**centre shift (簇中心变化)** below a tolerance).
#
# The quantity that steps 2 and 3 both decrease is the **inertia**, the sum of squared
# distances from each point to its centre:
#
# $$J(c_1, \dots, c_K, \ell) = \sum_{i=1}^{n} \lVert x_i - c_{\ell(i)} \rVert^2 .$$
#
# Step 2 picks the best label $\ell(i)$ for fixed centres; step 3 picks the best centres for fixed
# labels (the mean minimises a sum of squared distances). Neither can increase $J$, so the run
# ends in finitely many steps, at a **local minimum (局部最小值)**.
#
# Our data: 240 points in four round groups.

# %%
X, y = datasets.replay_set("blobs")
print("X:", X.shape)
_ = plotting.plot_clusters(X, title="240 points, no labels")
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# Here are the steps written out with the package's two step functions. Watch the inertia
# printed after each step: it only goes down.

# %%
start = X[np.argsort(X[:, 0])[:4]]            # 1. four initial centres: the 4 leftmost points
centers = start
by_hand = []
for iteration in range(1, 4):
    labels = kmeans.assign(X, centers)                  # 2. nearest centre
    by_hand.append(kmeans.compute_inertia(X, labels, centers))
    centers = kmeans.update_centers(X, labels, 4)       # 3. centres to the means
    by_hand.append(kmeans.compute_inertia(X, labels, centers))
    print(f"iteration {iteration}: after assignment J = {by_hand[-2]:8.2f}   "
          f"after update J = {by_hand[-1]:8.2f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The assignment step is one matrix product: $\lVert x - c\rVert^2 = \lVert x\rVert^2 - 2\,x\cdot c
# + \lVert c\rVert^2$ for all pairs at once (rounding can make an exact zero slightly negative, so
# it is clipped at 0). This is the tested source; `kmeans.assign` takes each point's nearest
# centre from the same product, leaving out $\lVert x\rVert^2$, which is the same for every
# centre (scikit-learn does the same):

# %% slideshow={"slide_type": "subslide"}
show_source(kmeans.squared_distances)

# %% [markdown] slideshow={"slide_type": "subslide"}
# The package writes the whole algorithm the same way, and nothing else: `kmeans.lloyd_steps`
# is a *generator* that hands out one step at a time (the initial centres, each assignment, each
# update), each with its centres, labels and inertia. `kmeans.KMeans` runs it to the end; the
# replay slider below keeps every step. Its four numbered comments are the four steps above
# (the two step helpers also apply scikit-learn's rule for a cluster left empty, and work out
# the inertia of each step):

# %% slideshow={"slide_type": "subslide"}
show_source(kmeans.lloyd_steps)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Run for three iterations from the same start, it passes through exactly the inertias computed
# by hand above:

# %%
steps = list(kmeans.lloyd_steps(X, start, max_iter=3))
for step in steps[1:7]:
    print(f"iteration {step.iteration}, {step.step:>6}: J = {step.inertia:8.2f}")
assert np.allclose([step.inertia for step in steps[1:7]], by_hand, rtol=1e-9)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Where do those inertias come from, if the generator never sums over the points after a step?
# After an assignment, $J$ is the sum of the smallest distances just computed. After an update,
# the **parallel-axis identity (平行轴定理)** gives it: for the $n_k$ points of cluster $k$, with
# mean $m_k$, and any point $c$,
#
# $$\sum_{i \in k} \lVert x_i - c\rVert^2 = \sum_{i \in k} \lVert x_i - m_k\rVert^2
#   + n_k \lVert m_k - c\rVert^2 .$$
#
# So moving centre $k$ from $c_k$ to the mean $m_k$ lowers $J$ by exactly
# $n_k \lVert c_k - m_k\rVert^2 \ge 0$: this is *why* the update step can never raise the
# inertia, and the estimator subtracts it instead of going over the data again. Checked on the
# first update:

# %%
assigned, updated = steps[1], steps[2]
sizes = np.bincount(assigned.labels, minlength=4)
drop = np.sum(sizes * np.sum((assigned.centers - updated.centers) ** 2, axis=1))
print(f"J before the update {assigned.inertia:.2f}, after {updated.inertia:.2f}: "
      f"a drop of {assigned.inertia - updated.inertia:.2f}; sum of n_k ||c_k - m_k||^2 = {drop:.2f}")
exact_drop = (kmeans.compute_inertia(X, assigned.labels, assigned.centers)
              - kmeans.compute_inertia(X, assigned.labels, updated.centers))
assert np.isclose(exact_drop, drop, rtol=1e-9)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The six panels (a)-(f)
#
# The slides' figure, redrawn from a real run: (a) the data; (b) K initial centres; (c) each point
# takes its nearest centre's colour (the shaded cells are the **Voronoi regions** of the centres);
# (d) each centre moves to the mean of its points (arrows from the old position); (e) the points
# are reassigned to the moved centres; (f) the run has converged: an assignment changed nothing.

# %%
six = figures.kmeans_steps.plot_six_steps(X, start)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# The estimator `kmeans.KMeans` keeps every step of the run in `history_`: the initial centres,
# then each assignment and each update, with the inertia. Check that the inertia never goes up:

# %%
model = six["model"]
history = model.history_[1:]
for step in history[:6]:
    print(f"{step.step:>6}: {step.inertia:9.2f}")
inertias = np.array([step.inertia for step in history])
assert np.all(np.diff(inertias) <= 1e-9 * inertias[0])
print(f"{len(history)} steps, {model.n_iter_} iterations; inertia never increased")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Replay a run
#
# Move **step** to replay one run, one assignment or update at a time: the regions of the current
# centres, the path each centre has travelled, and the inertia so far (right). The step slider
# ends at the last step of the run shown: the run has converged there. The other controls start
# a new run, and the step slider's range follows it: **K**, the **seed** (it draws the `random`
# and `k-means++` starts, so it is greyed out for "my points"), the **init** (`random` data
# points, `k-means++`, or "my points", deliberately bad centres bunched in one corner), the
# **metric** and the **data**. Things to try: "my points" with K = 4; the `moons` data; `rays`
# with cosine.

# %% tags=["nbval-ignore-output"]
interactive_figure(
    figures.kmeans_steps.draw_kmeans_replay,
    rules=figures.kmeans_steps.kmeans_replay_controls,
    step=int_slider(0, 40, 4, description="step"),
    n_clusters=int_slider(1, 10, 4, description="K"),
    random_state=int_slider(0, 20, SEED, description="seed"),
    init=dropdown(["random", "k-means++", "my points"], "my points", description="init"),
    metric=dropdown(["euclidean", "cosine"], description="metric"),
    data=dropdown(list(datasets.REPLAY_SETS), description="data"),
)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Euclidean or cosine distance?
#
# **Cosine distance** $1 - \cos(x, c) = 1 - \frac{x \cdot c}{\lVert x\rVert\,\lVert c\rVert}$ looks only at
# the *direction* of a point, not its length. K-Means with it is **spherical K-Means (球面K均值)**:
# scale every point to unit length, assign each to the centre with the largest cosine
# similarity, and re-scale each mean back to unit length. Its regions are cones from the origin
# (the `+`). Top: groups that differ only by direction (rays), where cosine wins. Bottom: a near
# and a far group in the same direction, which cosine cannot tell apart. Each panel's clusters
# are named after the true groups (a Hungarian assignment, `plotting.match_labels`) before they
# are coloured, so a group has the same colour in both panels of a row.

# %%
comparison = figures.kmeans_steps.plot_metric_comparison(random_state=SEED)
plt.show()
for (data, metric), ari in comparison["ari"].items():
    print(f"{data:>13}, {metric:>9}: ARI {ari:.2f}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# For text (word counts) and for image features whose overall brightness should not matter,
# direction is the meaningful part: that is when the slides' "cosine distance" is the right
# choice. In `kmeans.KMeans` it is `metric="cosine"`.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## When to stop: `max_iter` and `tol`
#
# Two stop rules, as in the slides:
#
# - `max_iter`: at most this many iterations (assignment + update);
# - `tol`: stop when the centres hardly moved: the total squared shift
#   $\sum_k \lVert c_k^{new} - c_k^{old}\rVert^2$ is at most `tol` times the mean variance of the
#   features (scikit-learn's scaling, so `tol` does not depend on the units of X).
#
# And one more that is always on: if an assignment changes no label, the next update cannot move
# anything: the run has reached **convergence (收敛)** exactly. On the left, the shift of every iteration of
# a run done to the end (log scale; the red line is the `tol` threshold); on the right, where the
# run with these settings stopped.

# %% tags=["nbval-ignore-output"]
interactive_figure(
    figures.kmeans_steps.draw_stop_rules,
    tol_exponent=float_slider(-8, 1, -2, step=0.5, description="log10(tol)"),
    max_iter=int_slider(1, 15, 15, description="max_iter"),
    random_state=int_slider(0, 20, SEED, description="seed"),
)

# %% [markdown] slideshow={"slide_type": "fragment"}
# The same runs in numbers, at the sliders' first setting (`tol` = 1e-2, `max_iter` = 15):

# %%
stop = figures.kmeans_steps.stop_rule_runs(tol_exponent=-2, max_iter=15, random_state=SEED)
print(f"tol = 1e-2: stopped after {stop['n_iter']} iterations ({stop['stopped_by']}), "
      f"inertia {stop['inertia']:.2f}; run to the end: {stop['n_iter_full']} iterations, "
      f"inertia {stop['inertia_full']:.2f}")
assert stop["stopped_by"] == "tol" and stop["inertia"] <= 1.02 * stop["inertia_full"]
assert stop["n_iter_full"] >= stop["n_iter"] + 2

# %% [markdown] slideshow={"slide_type": "fragment"}
# The shift falls fast, then the last few label changes cost several more iterations for a tiny
# gain in inertia: a loose `tol` stops early at almost the same answer.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## `sklearn.cluster.KMeans`: the parameters, then and now
#
# > **Erratum.** The slides write `sklearn.cluster.Kmeans()` and `n-cluster`. The class is
# > `KMeans` (capital M) and the parameter is `n_clusters` (underscore, plural).

# %%
import sklearn
import sklearn.cluster
from sklearn.cluster import KMeans as SklearnKMeans
from sklearn.metrics import adjusted_rand_score

print("sklearn.cluster has Kmeans:", hasattr(sklearn.cluster, "Kmeans"))
print("sklearn.cluster has KMeans:", hasattr(sklearn.cluster, "KMeans"))
print("'n_clusters' is a parameter:", "n_clusters" in SklearnKMeans().get_params())
print("scikit-learn version:", sklearn.__version__)

# %% [markdown] slideshow={"slide_type": "subslide"}
# The slides follow an old release. Their table, and what each parameter is in scikit-learn 1.9:
#
# | parameter (slides) | slides say | today |
# |---|---|---|
# | `n-cluster` | number of clusters | **`n_clusters`**, default 8 |
# | `max_iter` | maximum number of iterations | same, default 300 |
# | `n_init` | number of runs | runs from different initial centres, the best kept; default now **`'auto'`**: 1 run for `init='k-means++'` or an array, 10 for `'random'` |
# | `init` | `'k-means++'`, `'random'`, or an (n_clusters, n_features) array | same (a callable is also accepted) |
# | `precompute_distance` | precompute distances; `'auto'`: not when n_samples × n_clusters > 12 million | **removed** (deprecated in 0.23, gone in 1.0): the distance computation is now chunked and always fast |
# | `tol` | convergence threshold | same: on the centre shift, scaled by the mean feature variance; default 1e-4 |
# | `n_jobs` | number of CPUs | **removed** (gone in 1.0): threads are used automatically (OpenMP); limit them with `threadpoolctl` |
# | `random_state` | seed | same |
# | `verbose` | 0 silent, 1 some logs, more is more | same |
# | (not in the slides) | | **`algorithm`**: `'lloyd'` (the steps above, default) or `'elkan'` (same result, skips distance computations with the triangle inequality) |
# | (not in the slides) | | **`copy_x`**: whether X may be centred in place |
#
# The removed ones are really gone:

# %%
for removed in ("precompute_distances", "n_jobs"):
    try:
        SklearnKMeans(**{removed: 1}).fit(X)
    except TypeError as error:
        print(f"{removed}: TypeError: {error}")
print("default n_init:", SklearnKMeans().n_init, "| default algorithm:", SklearnKMeans().algorithm)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Now each parameter doing something, on the same 240 points. **`max_iter`**: with the same bad
# initial centres, one, two, three iterations, then to convergence.

# %%
_ = figures.kmeans_steps.plot_max_iter_effect(X, figures.kmeans_steps.MY_POINTS[:4], max_iters=(1, 2, 3, 300))
plt.show()


# %% [markdown] slideshow={"slide_type": "subslide"}
# The others, one line each: the printed inertia and iteration count change with the parameter
# (except `algorithm`, which must not change the answer).

# %%
def run(**params):
    params = {"n_clusters": 4, "n_init": 1, "random_state": SEED, **params}
    fitted = SklearnKMeans(**params).fit(X)
    return f"inertia {fitted.inertia_:9.2f}, {fitted.n_iter_:2d} iterations"


# %%
print("n_clusters=2            ", run(n_clusters=2))
print("n_clusters=4            ", run(n_clusters=4))
print("n_clusters=8            ", run(n_clusters=8))
print("init='random', seed 3   ", run(init="random", random_state=3))
print("init='k-means++', seed 3", run(init="k-means++", random_state=3))
print("init=my 4 points        ", run(init=figures.kmeans_steps.MY_POINTS[:4]))
print("init='random', n_init=1 ", run(init="random", random_state=5, n_clusters=8))
print("init='random', n_init=10", run(init="random", random_state=5, n_clusters=8, n_init=10))
print("tol=1e-1                ", run(init=figures.kmeans_steps.MY_POINTS[:4], tol=1e-1))
print("tol=0                   ", run(init=figures.kmeans_steps.MY_POINTS[:4], tol=0))
print("algorithm='lloyd'       ", run(algorithm="lloyd"))
print("algorithm='elkan'       ", run(algorithm="elkan"))

# %% [markdown] slideshow={"slide_type": "subslide"}
# **`random_state`** fixes the random draws (here the initial centres of `init='random'`): the
# same seed gives the same run, to the last digit; another seed, another start and, with K = 8
# on four groups, another local minimum. Compared, not just claimed:

# %%
first, again, other = (SklearnKMeans(n_clusters=8, init="random", n_init=1, random_state=seed).fit(X)
                       for seed in (0, 0, 1))
same = (np.array_equal(first.labels_, again.labels_)
        and np.array_equal(first.cluster_centers_, again.cluster_centers_))
print(f"seed 0 twice:   identical labels and centres: {same}, inertia {first.inertia_:.2f} "
      f"and {again.inertia_:.2f}")
agreement = adjusted_rand_score(first.labels_, other.labels_)   # 1.0: the same partition
print(f"seed 0, seed 1: partitions agree with ARI {agreement:.2f} (1 = same), "
      f"inertia {first.inertia_:.2f} vs {other.inertia_:.2f}")
assert same and first.inertia_ == again.inertia_
assert agreement < 0.9 and abs(first.inertia_ - other.inertia_) > 1.0

# %% [markdown] slideshow={"slide_type": "subslide"}
# **`verbose=1`** prints the inertia of every iteration (numbers rounded here for stable output):

# %%
import contextlib
import io
import re

log = io.StringIO()
with contextlib.redirect_stdout(log):
    SklearnKMeans(n_clusters=4, init=figures.kmeans_steps.MY_POINTS[:4], n_init=1, verbose=1).fit(X)
for line in log.getvalue().splitlines():
    print(re.sub(r"\d+\.\d+(e[-+]?\d+)?", lambda m: f"{float(m.group()):.2f}", line).rstrip("."))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Our K-Means equals scikit-learn's
#
# `kmeans.KMeans` follows scikit-learn's Lloyd iteration exactly: same order of steps, same stop
# tests, same handling of a cluster that becomes empty (its centre jumps to the point farthest
# from its own centre), same final assignment. Given the same initial centres it must give the
# same labels and the same inertia. On the 1797 handwritten digits (64 features, K = 10):

# %%
digits = load_digits_images()[0].reshape(1797, 64)
start = sklearn.cluster.kmeans_plusplus(digits, 10, random_state=SEED)[0]
ours = kmeans.KMeans(n_clusters=10, init=start, tol=0).fit(digits)
theirs = SklearnKMeans(n_clusters=10, init=start, n_init=1, tol=0, algorithm="lloyd").fit(digits)
print("same labels:    ", np.array_equal(ours.labels_, theirs.labels_))
print(f"inertia:         ours {ours.inertia_:.2f}, scikit-learn {theirs.inertia_:.2f}")
print("relative gap < 1e-9:", abs(ours.inertia_ - theirs.inertia_) <= 1e-9 * theirs.inertia_)
print("iterations:      ours", ours.n_iter_, "scikit-learn", theirs.n_iter_)
assert np.array_equal(ours.labels_, theirs.labels_)


# %% [markdown] slideshow={"slide_type": "fragment"}
# The unit tests (`tests/test_kmeans.py`) check the same on several data sets of different sizes
# and dimensions, with `tol=0` and `tol=1e-4`, and with an empty cluster.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Each exercise asks for one function: write it in its cell, run that cell, then run the check
# below it. The check says "Correct", or what is wrong and on which test case. Stuck?
# `hint_assign()` gives a nudge, `hint_assign(2)` a stronger hint and `solution_assign()` shows a
# solution (each exercise has its own three, named after it). Try before you ask: the checks'
# messages are written to help.

# %%
from lessons_src.exercises.kmeans_steps import (
    check_assign, check_update_centers, check_update_gain, hint_assign, hint_update_centers,
    hint_update_gain, solution_assign, solution_update_centers, solution_update_gain)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **1. The assignment step (warm-up).** Write `my_assign(X, centers)` returning, for every row of
# `X` (shape (n, d)), the index of the nearest row of `centers` (shape (K, d)) by Euclidean
# distance: step 2.

# %% nbgrader={"grade": false, "grade_id": "01_assign", "locked": false, "schema_version": 3, "solution": true, "task": false}
def my_assign(X, centers):
    ### BEGIN SOLUTION
    squared = ((X[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)   # (n, K)
    return np.argmin(squared, axis=1)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "01_assign_check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
### BEGIN HIDDEN TESTS
assert check_assign(my_assign), repr(check_assign(my_assign))
### END HIDDEN TESTS
check_assign(my_assign)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **2. The update step.** Write `my_update(X, labels, n_clusters)` returning the (n_clusters, d)
# array of cluster means: step 3 (every cluster is non-empty in the test cases).

# %% nbgrader={"grade": false, "grade_id": "01_update_centers", "locked": false, "schema_version": 3, "solution": true, "task": false}
def my_update(X, labels, n_clusters):
    ### BEGIN SOLUTION
    return np.array([X[labels == k].mean(axis=0) for k in range(n_clusters)])
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "01_update_centers_check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
### BEGIN HIDDEN TESTS
assert check_update_centers(my_update), repr(check_update_centers(my_update))
### END HIDDEN TESTS
check_update_centers(my_update)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **3. How much does step 3 gain? (derive)** The printout at the start of the lesson shows the
# inertia J falling at every update. By how much, exactly? For fixed labels, moving centre k from
# c_k to the mean m_k of its n_k points lowers J by an amount that depends only on n_k and on how
# far the centre moves. Derive it from the definition of J, then write
# `update_gain(X, labels, centers)` returning J(centers) − J(means) computed that way (every
# cluster has at least one point). Your formula should reproduce the drop from "after assignment"
# to "after update" in that printout.

# %% nbgrader={"grade": false, "grade_id": "01_update_gain", "locked": false, "schema_version": 3, "solution": true, "task": false}
def update_gain(X, labels, centers):
    ### BEGIN SOLUTION
    # Around the mean: sum ||x - c||^2 = sum ||x - m||^2 + n ||m - c||^2 (the cross term is 0).
    n_clusters = len(centers)
    sizes = np.bincount(labels, minlength=n_clusters)                        # n_k
    means = np.array([X[labels == k].mean(axis=0) for k in range(n_clusters)])
    moves = ((centers - means) ** 2).sum(axis=1)                             # ||c_k - m_k||^2
    return float(np.sum(sizes * moves))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "01_update_gain_check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
### BEGIN HIDDEN TESTS
assert check_update_gain(update_gain), repr(check_update_gain(update_gain))
### END HIDDEN TESTS
check_update_gain(update_gain)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - K-Means alternates two steps: assign each point to its nearest centre, move each centre to
#   the mean of its points. Each step lowers (never raises) the inertia, so it converges, to a
#   local minimum that depends on the start.
# - The distances are one matrix product, $\lVert x\rVert^2 - 2x\cdot c + \lVert c\rVert^2$.
# - Moving a centre to the mean of its $n_k$ points lowers the inertia by exactly
#   $n_k \lVert c_{old} - c_{new}\rVert^2$ (the parallel-axis identity), so every step's inertia
#   is known without another pass over the data.
# - Cosine distance (spherical K-Means) groups by direction; Euclidean by position.
# - Stop rules: `max_iter`, `tol` on the centre shift, and "no label changed".
# - Today's `sklearn.cluster.KMeans`: `n_clusters`, `init`, `n_init='auto'`, `max_iter`, `tol`,
#   `random_state`, `verbose`, `algorithm` ('lloyd' or 'elkan'); `precompute_distances` and
#   `n_jobs` are gone. The slides' `Kmeans` / `n-cluster` are `KMeans` / `n_clusters`.

# %% [markdown]
# ---
# Previous: [00 · Overview](00_overview.ipynb) ·
# Next: [02 · K-Means pitfalls and variants](02_kmeans_pitfalls_and_variants.ipynb): bad starts,
# choosing K, outliers (异常点), non-convex (非凸) shapes, and K-Means++, K-Means‖ and mini-batch
# (小批量) K-Means.
