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
# # 02 · K-Means: pitfalls and variants (K均值的不足与改进)
#
# The slides list four weaknesses of K-Means and three remedies. This lesson shows each weakness
# happening on real runs of the clustering (聚类), then each remedy at work: **K-Means++**,
# **K-Means‖** (K-Means parallel) and **Mini-Batch** (小批量) **K-Means**, and ends with a lab that
# sets six ways of choosing the initial centres side by side.
#
# **In this notebook you will**
#
# - see one data set give different answers from different starts (初值敏感);
# - choose K with the elbow and silhouette curves (K值的选择);
# - drag a centre with outliers on a slider (异常点敏感);
# - watch K-Means fail on non-convex and unequal clusters (非凸形状、大小差别较大的簇);
# - step through K-Means++'s D² sampling (and the slides' erratum on it), K-Means‖'s rounds and
#   Mini-Batch's updates, each compared with the plain algorithm or with scikit-learn;
# - run the seeding lab: six seedings, with and without outliers, K from 2 to 32.

# %%
from lessons_src.preamble import *
from scipy import stats

from lessons_src import datasets, figures, kmeans, metrics
from lessons_src.datasets import make_blobs_2d
from lessons_src.widgets import dropdown, float_slider, int_slider, interactive_figure, log_slider
from lessons_src.teaching import show_source

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Weakness 1: sensitive to the initial centres
#
# K-Means only goes downhill, so where it ends depends on where it starts. Below, 300 points in six
# groups, clustered 100 times with K = 6 from random initial centres (`init='random'`, one run
# each): the histogram of the final inertia (簇内平方和, the sum of squared distances to the
# assigned centres), the best run and the worst.

# %%
X6, y6 = make_blobs_2d(n_samples=300, n_clusters=6, random_state=SEED)
sensitivity = figures.kmeans_variants.plot_init_sensitivity(X6, 6, n_seeds=100, init="random")
plt.show()
inertias = sensitivity["inertias"]
print(f"final inertia over 100 seeds: min {inertias.min():.1f}, median {np.median(inertias):.1f}, "
      f"max {inertias.max():.1f}")

# %%
worst = kmeans.KMeans(n_clusters=6, init="random", random_state=int(np.argmax(inertias)),
                      history="none").fit(X6)
table = metrics.contingency_table(y6, worst.labels_)  # true groups x clusters
print("worst run, points of each true group (rows) in each cluster (columns):")
print(table)
assert np.any(np.sum(table >= 10, axis=1) >= 2)  # a group split between two centres
assert np.any(np.sum(table >= 10, axis=0) >= 2)  # a centre shared by two groups
again = kmeans.KMeans(n_clusters=6, init=worst.cluster_centers_, tol=0, history="none").fit(X6)
assert np.array_equal(again.labels_, worst.labels_)  # Lloyd from there: nothing moves

# %% [markdown] slideshow={"slide_type": "fragment"}
# The worst run is a **local minimum (局部最小值)**: one group is split between two centres
# (a row of the table with two large counts) while two other groups share one (a column with two),
# and no step can fix it: started again from its own centres, Lloyd's iteration changes nothing.
# The usual defence is several starts (`n_init`) and a better start (K-Means++, below).

# %% [markdown] slideshow={"slide_type": "slide"}
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

# %% [markdown] slideshow={"slide_type": "subslide"}
# The slider's curves for the four blobs, as numbers:

# %%
choose = figures.kmeans_variants.choose_k_curves(data="blobs")
for n_clusters, inertia, silhouette in zip(choose["n_clusters"], choose["inertias"], choose["silhouettes"]):
    print(f"K = {n_clusters:2d}: inertia {inertia:8.1f}, silhouette "
          + ("  -  " if np.isnan(silhouette) else f"{silhouette:.3f}"))
gains = -np.diff(choose["inertias"])  # what each added cluster buys
assert choose["n_clusters"][np.nanargmax(choose["silhouettes"])] == 4  # the silhouette's K
assert gains[3] < 0.1 * gains[2]  # the elbow: the 5th cluster buys a tenth of what the 4th did

# %% [markdown] slideshow={"slide_type": "fragment"}
# On the four blobs both agree on K = 4. Try the `moons` or `unequal` data in the slider: the
# curves are much less clear when the clusters are not round.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Weakness 3: sensitive to outliers
#
# A centre is a mean, and a mean follows every point, however far. Three outliers (异常点) sit at
# some distance to the right of three groups of 30 points. Close by, they drag a centre; farther
# away they become worth a centre of their own, and two real groups must then share one.

# %% tags=["nbval-ignore-output"]
interactive_figure(figures.kmeans_variants.draw_outlier_pull,
                   distance=float_slider(0, 60, 8, step=1, description="outlier distance"))

# %% [markdown] slideshow={"slide_type": "subslide"}
# At distance 8 (the slider's start, above) and at distance 30, drawn here:

# %%
_ = figures.kmeans_variants.draw_outlier_pull(distance=30)
plt.show()
pulls = {distance: figures.kmeans_variants.outlier_pull(distance=distance) for distance in (8, 30)}
for distance, result in pulls.items():
    print(f"distance {distance}: largest centre move {result['shift']:.2f}, "
          f"outliers alone in a cluster: {result['outliers_alone']}")
assert not pulls[8]["outliers_alone"] and pulls[30]["outliers_alone"]

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Weakness 4: non-convex shapes and very different sizes
#
# K-Means' regions are convex cells (each is where one centre is nearest), and it prefers
# clusters of similar spread. Interleaved moons, nested circles, stretched (anisotropic) groups
# and groups of very unequal size break both assumptions, even with the true K and 10 starts. The
# ARI (adjusted Rand index (调整兰德指数), lesson 05) compares with the true groups: 1 is
# perfect, 0 is what labels drawn at random score on average.

# %%
failures = figures.kmeans_variants.plot_failure_cases(random_state=SEED)
plt.show()
for name, ari in failures["ari"].items():
    print(f"{name:>12}: ARI {ari:+.3f}")
assert all(ari < 0.7 for ari in failures["ari"].values())
assert abs(failures["ari"]["circles"]) < 0.01

# %% [markdown] slideshow={"slide_type": "fragment"}
# On the circles the ARI is a hair below 0 (the figure rounds it to 0.00): no better than chance.
# A score centred on 0 for random labels lands a little above or a little below it; a negative
# ARI only says "no agreement beyond chance" (lesson 05 shows that ARI never goes below -1/2).
# Hierarchical clustering (层次聚类, lesson 03) and spectral clustering (谱聚类, lesson 04) handle
# the first two shapes.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Remedy 1: K-Means++
#
# **K-Means++** (Arthur and Vassilvitskii 2007) chooses the initial centres one at a time: the
# first uniformly among the points, each next one at random with probability
#
# $$p(x) = \frac{D(x)^2}{\sum_{x'} D(x')^2},$$
#
# where $D(x)$ is the Euclidean distance (欧氏距离) from $x$ to the **nearest** centre chosen so
# far. Far points are likely, so the centres spread out; but the single farthest point, often an
# outlier, is not forced (the slides' remark).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Erratum: the *nearest* centre, and the *square* of its distance
#
# > **The slides write** "对数据集中的每个点 x，计算 x 到所有已有聚类中心 …… 线性概率选择出下一个聚类中心点":
# > the distance from x to **all** the centres chosen so far, and a **linear** probability.
# >
# > **Correct:** $D(x)$ is the distance to the **nearest** chosen centre, and the next centre is
# > drawn with probability $\propto D(x)^2$ (Arthur and Vassilvitskii 2007). The spelling
# > `kmeans++` is `init='k-means++'` in scikit-learn.
#
# The check: the cost of the seeds themselves (every point to its nearest seed, $\sum D^2$) over
# 100 seeds, K = 16, on 16 round blobs (the data of the seeding lab below), for the slides read
# literally (probability ∝ the summed distance to all the chosen centres), for a linear law on the
# nearest centre (∝ D), for K-Means++ (∝ D²), and for two more explained after the figure.

# %% slideshow={"slide_type": "subslide"}
reading = figures.kmeans_variants.plot_slides_reading(n_clusters=16, n_seeds=100)
plt.show()
median = {rule: np.median(cost) for rule, cost in reading["costs"].items()}
for rule, label in figures.kmeans_variants.SLIDES_READINGS.items():
    print(f"{label:>50}: median {median[rule]:6.0f}")
print(f"the slides read literally cost {median['slides, literally'] / median['D2']:.1f} times "
      f"K-Means++, the linear law {median['D'] / median['D2']:.1f} times")
assert median["D2"] < median["D"] < median["slides, literally"]

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### scikit-learn's `'k-means++'` is the greedy variant
#
# A sum over *all* the centres gives a point sitting next to a chosen centre a large weight (it is
# far from the others), so new centres land in clusters that already have one; a linear law on the
# nearest distance favours far points less than the square does. The square is also what
# the guarantee needs: K-Means++'s seeds cost at most $8(\ln K + 2)$ times the optimum in
# expectation, which the lab below checks.
#
# scikit-learn's `'k-means++'` is not this plain rule: it is the *greedy* variant of the same
# paper, which draws $2 + \lfloor \ln K \rfloor$ candidates (4 for K = 16) from the $D^2$ law at
# every step and keeps the one that lowers $\sum D^2$ most. `kmeans.init_kmeans_plusplus` is the
# plain rule by default and the greedy one with `n_local_trials='auto'`; in the figure, the greedy
# seeds cost about half as much. Do they follow scikit-learn's law? A two-sample
# Kolmogorov-Smirnov test on the 100 costs cannot tell ours from scikit-learn's, and separates the
# plain rule at once:

# %%
costs = reading["costs"]
p_greedy = stats.ks_2samp(costs["greedy D2"], costs["scikit-learn"]).pvalue
p_plain = stats.ks_2samp(costs["D2"], costs["scikit-learn"]).pvalue
print(f"greedy (ours) vs scikit-learn: p = {p_greedy:.2f}; plain vs scikit-learn: p = {p_plain:.0e}")
print(f"median cost of the seeds, greedy / plain: {median['greedy D2'] / median['D2']:.2f}")
assert p_greedy > 0.05 and p_plain < 1e-6
assert median["greedy D2"] < 0.6 * median["D2"]

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### K-Means++ pick by pick
#
# Step through the picks: the heat map is $D(x)^2$ over the plane (scaled so that at a data point
# it is that point's probability), and larger dots are likelier. White crosses are the centres
# chosen so far (each sits where $D = 0$, on black); the cyan ring is the point drawn now.

# %% tags=["nbval-ignore-output"]
interactive_figure(figures.kmeans_variants.draw_d2_map, pick=int_slider(1, 4, 2, description="pick"),
                   random_state=int_slider(0, 20, SEED, description="seed"))

# %% [markdown] slideshow={"slide_type": "subslide"}
# The last pick of the same run (the slider starts at pick 2), and each pick's law:

# %%
_ = figures.kmeans_variants.draw_d2_map(pick=4, random_state=SEED)
plt.show()
picks = kmeans.kmeans_plusplus_picks(datasets.replay_set("blobs")[0], 4, random_state=SEED)
for pick, step in enumerate(picks, start=1):
    print(f"pick {pick}: probabilities sum to {step.probabilities.sum():.6f}, "
          f"largest {step.probabilities.max():.4f}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# The probabilities are one line of NumPy on top of the distances (the lines before it check the
# input and keep huge coordinates from overflowing):

# %% slideshow={"slide_type": "subslide"}
show_source(kmeans.d2_probabilities)

# %% [markdown]
# And the whole of K-Means++, one pick at a time (the slider above draws each pick's law): a
# generator, like lesson 01's Lloyd, that hands out every pick with the probabilities it was
# drawn from. With `n_local_trials=1` step 2 draws one candidate, the pick itself; the greedy
# variant draws several and step 3 keeps the best.

# %% slideshow={"slide_type": "subslide"}
show_source(kmeans.kmeans_plusplus_picks)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Does it help?
#
# The same 300 points and 100 seeds as in weakness 1, random vs (plain) K-Means++ starts: the
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

# %% [markdown] slideshow={"slide_type": "fragment"}
# K-Means++ starts much lower and reaches the best optimum more often, but not always: with six
# groups, several starts (`n_init`) are still worth it.

# %% [markdown] slideshow={"slide_type": "slide"}
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
# Each round is one pass that parallelises over the points.

# %% [markdown] slideshow={"slide_type": "fragment"}
# The tested source, step by step:

# %% slideshow={"slide_type": "subslide"}
show_source(kmeans.init_kmeans_parallel)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Move the rounds and the oversampling:

# %% tags=["nbval-ignore-output"]
interactive_figure(figures.kmeans_variants.draw_kmeans_parallel_rounds,
                   n_rounds=int_slider(1, 5, 3, description="rounds"),
                   oversampling_factor=float_slider(0.25, 4, 1, step=0.25, description="oversampling"),
                   random_state=int_slider(0, 20, SEED, description="seed"))

# %%
seeding = kmeans.init_kmeans_parallel(datasets.replay_set("blobs")[0], 4, oversampling_factor=1.0,
                                      n_rounds=3, random_state=SEED)
print(f"{len(seeding.candidate_indices)} candidates in {seeding.n_passes} passes over the data")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Quality and cost against K-Means++ on the six groups (medians over 30 seeds; 3 rounds with
# oversampling 2): the inertia of the initial centres, after K-Means, and the passes over the
# data needed to initialise.

# %%
table = figures.kmeans_variants.compare_plusplus_parallel(X6, 6, n_seeds=30, oversampling_factor=2.0, n_rounds=3)
print(f"{'init':>10} | {'initial inertia':>15} | {'final inertia':>13} | passes")
for init, row in table.items():
    print(f"{init:>10} | {row['initial']:15.1f} | {row['final']:13.1f} | {row['passes']:6d}")
assert table["k-means||"]["passes"] == 3 + 2 < table["k-means++"]["passes"] == 6  # rounds + 2, K
assert table["k-means||"]["final"] <= 1.01 * table["k-means++"]["final"]

# %% [markdown] slideshow={"slide_type": "fragment"}
# Similar quality from fewer passes; with K in the hundreds (the distributed case) the gap in
# passes is what matters: K for K-Means++, the number of rounds plus two for K-Means‖ however
# large K is. Spark's MLlib and dask-ml use K-Means‖ by default.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The seeding lab: six seedings side by side
#
# How much does the start matter, and what does each rule do with outliers? Six seedings, 20 seeds
# each, K from 2 to 32, on 16 round blobs of 30 points (a 4 × 4 grid), and on the same blobs
# with 8 far outliers (1.6 % of the points):
#
# - **uniform**: K random points (`init='random'`);
# - **farthest-first**: each next centre the point farthest from its nearest chosen centre;
# - **∝ D**: drawn with probability proportional to that distance (the slides' linear law);
# - **∝ D²**: K-Means++, plain; **greedy K-Means++**: scikit-learn's (2 + ln K candidates);
# - **K-Means‖**: 3 rounds with ℓ = 2K, as above.
#
# For every run, the cost of the seeds and the cost after K-Means from them, both divided by the
# best cost any run found for that K. The grey line is K-Means++'s guarantee, $8(\ln K + 2)$
# times the optimum in expectation.

# %% slideshow={"slide_type": "subslide"}
lab = figures.kmeans_variants.seeding_lab()
_ = figures.kmeans_variants.plot_seeding_lab(lab)
plt.show()
K = lab.n_clusters
print("mean cost / best at K = 16    seeds: clean  outliers | after K-Means: clean  outliers")
for seeding in figures.kmeans_variants.SEEDINGS:
    ratios = [r[data][seeding][K == 16].mean() for r in (lab.seeding_ratio, lab.final_ratio)
              for data in figures.kmeans_variants.LAB_DATA]
    print(f"{seeding:>16}: {ratios[0]:18.2f} {ratios[1]:9.2f} | {ratios[2]:20.2f} {ratios[3]:9.2f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# What the lab shows, each line checked by the cell below:
#
# 1. K-Means++'s seeds stay far under their $8(\ln K + 2)$ bound at every K, with or without
#    outliers; the greedy variant's are the cheapest of all six at every K.
# 2. Uniform seeds miss blobs: at K = 16 they cost about 11 times the best, and K-Means does not
#    recover (the worst final cost on the clean blobs).
# 3. Farthest-first is excellent on clean, separated blobs (after K-Means, the best final cost at
#    K = 16: one seed in every blob), and the worst with outliers at K = 4: it takes them first.

# %%
seeds, final = ({data: {s: r[data][s].mean(axis=1) for s in r[data]} for data in r}
                for r in (lab.seeding_ratio, lab.final_ratio))
for data in figures.kmeans_variants.LAB_DATA:
    assert np.all(seeds[data]["D2"] < figures.kmeans_variants.plusplus_bound(K))  # 1.
    assert all(np.all(seeds[data]["greedy D2"] <= m) for m in seeds[data].values())
assert seeds["clean"]["uniform"][K == 16] > 10  # 2.
assert max(final["clean"], key=lambda s: final["clean"][s][K == 16]) == "uniform"
assert min(final["clean"], key=lambda s: final["clean"][s][K == 16]) == "farthest-first"  # 3.
assert max(seeds["outliers"], key=lambda s: seeds["outliers"][s][K == 4]) == "farthest-first"
assert max(final["outliers"], key=lambda s: final["outliers"][s][K == 4]) == "farthest-first"
print("all three hold")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Where the seeds land
#
# K = 16 on the data with outliers (circled), one seed (`random_state=SEED`) per rule, and the
# number of seeds on outliers averaged over the lab's 20 seeds:

# %%
picks = figures.kmeans_variants.plot_seeding_picks(n_clusters=16, random_state=SEED)
plt.show()
on_outliers = {s: lab.outliers_picked[s][K == 16].mean() for s in figures.kmeans_variants.SEEDINGS}
for seeding, mean in on_outliers.items():
    print(f"{seeding:>16}: {mean:4.2f} of 16 seeds on the 8 outliers")
assert max(on_outliers, key=on_outliers.get) == "farthest-first"
assert on_outliers["uniform"] < 1 < on_outliers["D2"] < 16 / 4  # most K-Means++ seeds in blobs

# %% [markdown] slideshow={"slide_type": "fragment"}
# Farthest-first takes the outliers by construction: nothing is farther. K-Means++ is not
# immune (an outlier's $D^2$ is large, so it is a likely pick, and it takes a few), but drawing
# instead of taking the farthest point keeps most of its seeds in the blobs, as the slides' remark
# says. Uniform seeds almost never land on an outlier, and miss blobs instead. K-Means does not
# undo a bad start: in the lab's last panel farthest-first's final cost at K = 4 is the worst.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Remedy 3: Mini-Batch K-Means
#
# Each full iteration touches every point. **Mini-Batch K-Means** (Sculley 2010) updates the
# centres from a small random batch at a time: each batch point is assigned to its nearest
# centre, and a centre that has absorbed $n_k$ points so far moves toward the mean $m_k$ of its
# $b_k$ new points with step $b_k / (n_k + b_k)$: a learning rate that shrinks as the centre
# matures. This is the update scikit-learn's `MiniBatchKMeans` uses (the unit tests check one
# step equal to scikit-learn's).

# %% slideshow={"slide_type": "subslide"}
show_source(kmeans.minibatch_step)

# %% [markdown] slideshow={"slide_type": "subslide"}
# 4000 points, 20 updates, from the same K-Means++ start for ours and for scikit-learn's
# `MiniBatchKMeans` (fed the same number of batches): on the left one batch size with the path of
# each centre, on the right the inertia relative to full K-Means for every batch size (a log
# scale). Pick the batch size on a log slider over the curve's range, 8 to 2048:

# %% tags=["nbval-ignore-output"]
interactive_figure(figures.kmeans_variants.draw_minibatch,
                   batch_size=log_slider(8, 2048, 32, integer=True, description="batch size"))

# %%
curves = figures.kmeans_variants.minibatch_curves()
print("batch size | ours   | scikit-learn  (inertia / full K-Means)")
for size, ours, theirs in zip(curves["batch_sizes"], curves["ours"], curves["sklearn"]):
    print(f"{size:10d} | {ours:.4f} | {theirs:.4f}")
assert np.all(np.diff(curves["ours"]) < 0)  # larger batches, better answers
large = curves["batch_sizes"] >= 32
assert np.array_equal(np.round(curves["ours"][large], 4), np.round(curves["sklearn"][large], 4))

# %% [markdown] slideshow={"slide_type": "fragment"}
# Larger batches give a better answer in the same number of steps, at a higher cost per step.
# For batches of 32 and more the two implementations agree to every printed digit (same start,
# same batches, same update); with tiny batches scikit-learn also moves centres that receive
# almost no points to random data points (its `reassignment_ratio`), which we do not.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Time (machine-dependent, so drawn but never compared by the tests): the fit time of each run,
# the median of 5 rounds that time every batch size in turn, against one full K-Means run.

# %% tags=["nbval-ignore-output"]
_ = figures.kmeans_variants.plot_minibatch_times()
plt.show()

# %% [markdown]
# On 4000 points everything is fast; Mini-Batch pays off when the data do not fit in memory or
# arrive as a stream (`partial_fit`), where a full pass per iteration is not an option.

# %% [markdown] slideshow={"slide_type": "slide"}
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

# %% [markdown] slideshow={"slide_type": "subslide"}
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

# %% [markdown] slideshow={"slide_type": "subslide"}
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

# %% [markdown] slideshow={"slide_type": "subslide"}
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

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - K-Means depends on its start (local minima), needs K (elbow, silhouette), follows outliers,
#   and fails on non-convex or very unequal clusters.
# - **K-Means++**: draw each next centre with probability $\propto D(x)^2$, $D$ the distance to
#   the *nearest* chosen centre (the slides' "all centres, linear" is an erratum): better starts,
#   often the best optimum; K passes over the data. scikit-learn's `'k-means++'` is the greedy
#   variant (2 + ln K candidates per pick), equal in law to `init_kmeans_plusplus(...,
#   n_local_trials='auto')`.
# - **K-Means‖**: a few rounds of oversampling $\propto D(x)^2$, then weighted K-Means++ on the
#   candidates: similar quality in a handful of parallel passes.
# - **The seeding lab**: greedy K-Means++ has the cheapest seeds; uniform seeds miss clusters;
#   farthest-first is fine on clean blobs and spends its seeds on outliers when there are any.
# - **Mini-Batch**: centres updated from small random batches with a shrinking per-centre step;
#   larger batches, better answers, more work per step.
#
# Previous: [01 · K-Means step by step](01_kmeans_step_by_step.ipynb) ·
# Next: [03 · Hierarchical clustering](03_hierarchical_clustering.ipynb), which needs no K in
# advance and follows non-convex shapes.
