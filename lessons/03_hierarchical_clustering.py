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
# # 03 · Hierarchical clustering (层次聚类)
#
# K-Means (K均值) needs K before it starts. **Agglomerative hierarchical clustering
# (凝聚型层次聚类)** does not: it starts with every point alone and merges the two closest
# clusters, again and again, until one cluster is left. The record of the merges is a tree, the
# **dendrogram (树状图)**; cutting it at any height gives a clustering with any K.
#
# **In this notebook you will**
#
# - replay the slides' algorithm with the minimum distance (single linkage, 最小距离) merge by
#   merge: the clusters on the plane, the dendrogram growing and the distance matrix being updated;
# - see how the **Lance–Williams** formula updates the distances, and check our implementation
#   against SciPy;
# - cut the tree by height and by K;
# - compare single, complete, average and Ward linkage: the **chaining effect (链式效应)**;
# - see each of the slides' pros and cons on data, including the cost as n grows;
# - draw a dendrogram of face images.

# %% [markdown] slideshow={"slide_type": "fragment"}
# The common first cell, plus this lesson's modules.

# %%
from lessons_src.preamble import *
from ipywidgets import fixed
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.metrics import adjusted_rand_score

from lessons_src import datasets, figures, hierarchical
from lessons_src.teaching import show_source
from lessons_src.widgets import dropdown, float_slider, int_slider, interactive_figure

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The slides' algorithm, step by step
#
# With the **minimum distance (最小距离)** between clusters, also called single linkage
# (d(A, B) = the smallest distance between a point of A and a point of B), the slides' algorithm is:
#
# 1. make every object a cluster and compute the distance between every pair;
# 2. merge the two closest clusters into a new cluster;
# 3. recompute the distances from the new cluster to all the other clusters;
# 4. repeat 2 and 3 until one cluster is left (or a stop condition holds).
#
# Eight points are enough to follow every step by eye.

# %%
rng = np.random.default_rng(SEED)
points = np.round(rng.uniform(0, 10, size=(8, 2)), 1)
print(points)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Here is the state after 3 merges. Left: the clusters (singletons gray) and, in red, the
# segment of the last merge: for single linkage it joins the two closest points of the two
# clusters. Middle: the dendrogram, merges done in colour; the height of each horizontal bar is
# the distance at which its two clusters merged. Right: the distances between the clusters
# that are left, each pair once; the red box marks the smallest, the next merge, and the newest
# cluster's row (its name in red) holds the distances step 3 just recomputed.
#
# Move the slider from 0 to 7 merges. Watch the red box in the matrix: it is always the pair that
# merges at the next step, and the dendrogram's next bar appears at exactly that height. A
# cluster keeps its colour from step to step. The menu changes the linkage rule (next section).

# %% tags=["nbval-ignore-output"]
interactive_figure(figures.hierarchical.draw_merge_step, X=fixed(points),
                   n_merges=int_slider(0, len(points) - 1, 3, description="merges done"),
                   linkage=dropdown(list(hierarchical.LINKAGES), "single", description="linkage"))

# %% [markdown] slideshow={"slide_type": "fragment"}
# The whole algorithm is a few lines, with the slides' step numbers. `D` is the distance matrix
# between the clusters left, one row per cluster in `clusters`. Each merge removes the rows of
# the two merged clusters and adds one for the new cluster at the end. The function is a
# generator: it hands out (`yield`s) one merge at a time. The slider above replays those merges,
# and `hierarchical.agglomerative` keeps them as SciPy's linkage matrix.

# %% slideshow={"slide_type": "subslide"}
show_source(hierarchical.merge_steps)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Step 3: the Lance–Williams update
#
# Step 3 does not go back to the points: the distance from any cluster k to the union of i and j
# follows from three distances already in the matrix,
#
# $$d(k, i\cup j) = \alpha_i\, d(k,i) + \alpha_j\, d(k,j) + \beta\, d(i,j) + \gamma\, |d(k,i) - d(k,j)|.$$
#
# | linkage | $\alpha_i$ | $\alpha_j$ | $\beta$ | $\gamma$ | the distance between two clusters |
# |---|---|---|---|---|---|
# | single linkage (最小距离) | 1/2 | 1/2 | 0 | −1/2 | closest pair: $\min(d(k,i), d(k,j))$ |
# | complete linkage (最大距离) | 1/2 | 1/2 | 0 | +1/2 | farthest pair: $\max$ |
# | average linkage (平均距离) | $\frac{n_i}{n_i+n_j}$ | $\frac{n_j}{n_i+n_j}$ | 0 | 0 | mean over all pairs |
# | Ward | $\frac{n_i+n_k}{N}$ | $\frac{n_j+n_k}{N}$ | $-\frac{n_k}{N}$ | 0 | growth of the within-cluster variance |
#
# with $N = n_i + n_j + n_k$; Ward's row applies to **squared** distances.

# %% [markdown] slideshow={"slide_type": "fragment"}
# A numerical check for single and average linkage: the formula equals the distance computed
# from the points.

# %%
I, J, K = points[:2], points[2:5], points[5:]
def between(A, B):
    return hierarchical.pairwise_distances(np.vstack([A, B]))[:len(A), len(A):]

for rule, reduce in [("single", np.min), ("average", np.mean)]:
    updated = hierarchical.lance_williams([reduce(between(K, I))], [reduce(between(K, J))],
                               reduce(between(I, J)), len(I), len(J), [len(K)], rule)[0]
    direct = reduce(between(K, np.vstack([I, J])))
    assert np.isclose(updated, direct)
    print(f"{rule:8s} Lance-Williams {updated:.4f} = from the points {direct:.4f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The same tree as SciPy
#
# `hierarchical.agglomerative(X, linkage)` returns SciPy's **linkage matrix**: one row per merge,
# `[cluster a, cluster b, height, size]`, where ids 0..n−1 are the points and merge t creates
# id n + t. On the same data it equals `scipy.cluster.hierarchy.linkage` for all four rules
# (the unit tests check it on several random sets).

# %%
for rule in hierarchical.LINKAGES:
    assert np.allclose(hierarchical.agglomerative(points, rule), linkage(points, rule))
print(hierarchical.agglomerative(points, "single"))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Cutting the tree: by height or by K
#
# A horizontal line across the dendrogram cuts it into subtrees: each is a cluster. Cutting at
# height h keeps the merges below h; asking for K clusters undoes the last K − 1 merges. No K is
# needed before the tree is built (an advantage the slides name): one tree, every K. Here 40
# points of the three blobs, Ward linkage, cut into K = 3. Slide K from 1 (everything together)
# to 40 (every point alone): a cluster keeps its colour while K moves, and clusters of a single
# point turn gray (the 30 colours of the palette are for clusters of two or more points: at
# K = 21 and above some points must be alone, and at K = 40 all are).

# %%
blobs, _ = datasets.make_blobs_2d(n_samples=40, random_state=SEED)

# %% tags=["nbval-ignore-output"]
interactive_figure(figures.hierarchical.draw_cut, X=fixed(blobs),
                   linkage=dropdown(list(hierarchical.LINKAGES), "ward", description="linkage"),
                   n_clusters=int_slider(1, len(blobs), 3, description="K"))

# %% [markdown] slideshow={"slide_type": "subslide"}
# How far can the red line move without changing the clusters? For K clusters, from the height
# of the last merge kept to the height of the first merge undone:

# %%
Z_ward = hierarchical.agglomerative(blobs, "ward")
n = len(blobs)
stretch = {k: Z_ward[n - k, 2] - Z_ward[n - k - 1, 2] for k in range(2, n)}
runner_up = max(v for k, v in stretch.items() if k != 3)
print(f"K = 3: the line can move over {stretch[3]:.2f} in height; "
      f"for any other K >= 2 at most {runner_up:.2f}")
assert stretch[3] > 2 * runner_up

# %% [markdown]
# For K = 3 the line can move over a long range of heights, from the tops of the coloured
# subtrees up to the next dark bar: more than twice as long as for any other K above 1. Such a
# long stretch is what a "natural" number of clusters looks like on a dendrogram.

# %% [markdown] slideshow={"slide_type": "subslide"}
# The same cut by height. The slider goes from 0 (40 clusters) to a bit above the last merge of
# the linkage shown (1 cluster), and its range follows the menu: single linkage merges
# everything far lower than Ward does.

# %% tags=["nbval-ignore-output"]
interactive_figure(figures.hierarchical.draw_cut, X=fixed(blobs),
                   rules=figures.hierarchical.cut_height_controls,
                   linkage=dropdown(list(hierarchical.LINKAGES), "ward", description="linkage"),
                   height=float_slider(0.0, 16.0, 6.0, step=0.25, description="cut height"))

# %% [markdown] slideshow={"slide_type": "fragment"}
# The top of each linkage's tree, where the slider's range ends:

# %%
tops = {rule: hierarchical.agglomerative(blobs, rule)[-1, 2] for rule in hierarchical.LINKAGES}
ranges = {rule: figures.hierarchical.cut_height_range(blobs, rule) for rule in hierarchical.LINKAGES}
for rule in hierarchical.LINKAGES:
    print(f"{rule:8s} last merge at {tops[rule]:6.2f}: slider 0 to {ranges[rule]['max']:.2f} "
          f"in steps of {ranges[rule]['step']:g}")
    assert tops[rule] < ranges[rule]["max"] <= 1.25 * tops[rule]
assert tops["ward"] > 3 * tops["single"]

# %% [markdown] slideshow={"slide_type": "fragment"}
# Our cuts give the same partitions as SciPy's `fcluster`, by K (`maxclust`) and by height
# (`distance`): the pairs of labels match one to one.

# %%
for ours, theirs in [(hierarchical.flat_clusters(Z_ward, n_clusters=3), fcluster(Z_ward, 3, "maxclust")),
                     (hierarchical.flat_clusters(Z_ward, height=6.0), fcluster(Z_ward, 6.0, "distance"))]:
    pairs = set(zip(ours, theirs))
    assert len(pairs) == len(set(ours)) == len(set(theirs))
    print(f"{len(pairs)} clusters, identical partitions")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Single, complete, average, Ward: the chaining effect
#
# Two round groups of 60 points joined by a thin bridge of 12. Which linkages cut the bridge at
# K = 2? (The colours follow the first panel's clusters: the same group, the same colour.)

# %%
rng = np.random.default_rng(SEED)
left = rng.normal([-3.0, 0.0], 0.6, size=(60, 2))
right = rng.normal([3.0, 0.0], 0.6, size=(60, 2))
bridge = np.c_[np.linspace(-2.2, 2.2, 12), rng.normal(0.0, 0.05, 12)]
chain = np.vstack([left, right, bridge])
_ = figures.hierarchical.plot_linkage_comparison(chain, n_clusters=2)
plt.show()

# %%
cuts = figures.hierarchical.cut_by_linkage(chain, n_clusters=2)
apart = {rule: bool(len(set(labels[:60])) == len(set(labels[60:120])) == 1 and labels[0] != labels[60])
         for rule, labels in cuts.items()}
print("each group in a cluster of its own:", apart)
assert np.bincount(cuts["single"]).min() == 1 and not apart["single"]
assert apart["complete"] and apart["average"] and apart["ward"]

# %% [markdown] slideshow={"slide_type": "fragment"}
# Single linkage only looks at the closest pair, so the bridge chains the groups together at a
# small height: cut at K = 2 it splits off one lone point instead. Complete, average and Ward
# look at whole clusters and cut the bridge, each group in its own cluster.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The slides' pros and cons, each on data
#
# **Pro: non-convex (非凸) shapes.** The same chaining that hurt above is what follows a curved
# cluster. On the moons, coloured after the true moons:

# %%
moons, moon_labels = datasets.make_moons_2d(n_samples=200, random_state=SEED)
_ = figures.hierarchical.plot_linkage_comparison(moons, n_clusters=2, reference=moon_labels)
plt.show()
moon_ari = {rule: adjusted_rand_score(moon_labels, labels)
            for rule, labels in figures.hierarchical.cut_by_linkage(moons, n_clusters=2).items()}
print("ARI with the true moons:", {rule: round(ari, 2) for rule, ari in moon_ari.items()})
assert moon_ari.pop("single") == 1.0 and max(moon_ari.values()) < 0.5

# %% [markdown] slideshow={"slide_type": "fragment"}
# Single linkage finds both half circles exactly (ARI 1); the others, like K-Means, cut the moons
# with a straight-ish border (ARI below 0.5).

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Con: outliers (异常点) matter.** The slides write 奇异值 here, which usually means a
# *singular value* (奇异值) of a matrix: read it as "outlier". Three blobs of 150 points plus five
# far points, cut at K = 3; the titles give the cluster sizes.

# %%
outlier_set, outlier_truth = datasets.make_blobs_with_outliers_2d(n_samples=150, n_outliers=5,
                                                                  random_state=SEED)
_ = figures.hierarchical.plot_linkage_comparison(outlier_set, n_clusters=3)
plt.show()

# %%
cuts = figures.hierarchical.cut_by_linkage(outlier_set, n_clusters=3)
for rule, labels in cuts.items():
    wasted = [c for c in range(3) if set(outlier_truth[labels == c]) == {-1}]
    print(f"{rule:8s} clusters of outliers only: {len(wasted)}")
    assert len(wasted) == (0 if rule == "ward" else 2)
inliers = outlier_truth >= 0
ward_alone = hierarchical.flat_clusters(hierarchical.agglomerative(outlier_set[inliers], "ward"), n_clusters=3)
assert adjusted_rand_score(ward_alone, cuts["ward"][inliers]) == 1.0

# %% [markdown] slideshow={"slide_type": "fragment"}
# Single, complete and average spend two of their three clusters on outliers alone. Ward, which
# pays for variance, absorbs the five outliers into the blobs' clusters here, and splits the
# blob points exactly as it does without the outliers.
#
# **Con: chains.** Shown above with the bridge.

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Con: cost (计算复杂度).** The distance matrix has n² entries (8n² bytes), and our plain loop
# scans it at each of the n − 1 merges: O(n³) time (we stop it at n = 400). SciPy (minimum
# spanning tree for single, nearest-neighbour chain for the others) and scikit-learn need O(n²)
# time, but the same O(n²) memory. The times are CPU times of the notebook's process (other
# programs on the machine do not count), the median of up to 5 runs per point, the runs going
# round all sizes in turn: so a burst of load cannot bend one point of a curve. The right panel
# is the peak memory Python allocated.

# %% slideshow={"slide_type": "subslide"} tags=["nbval-ignore-output"]
from sklearn.cluster import AgglomerativeClustering

methods = {
    "ours (naive, O(n^3))": (lambda X: hierarchical.agglomerative(X, "average"), [100, 200, 400]),
    "scipy linkage": (lambda X: linkage(X, "average"), [100, 200, 400, 800, 1600]),
    "sklearn Agglomerative": (lambda X: AgglomerativeClustering(n_clusters=2, linkage="average").fit(X),
                              [100, 200, 400, 800, 1600]),
}
data = np.random.default_rng(SEED).normal(size=(1600, 2))
sizes, seconds, memory = figures.hierarchical.measure_cost(methods, data, repeat=5)
for name in methods:
    print(f"{name:24s} n={sizes[name][-1]}: {seconds[name][-1]:.3f} s, {memory[name][-1] / 1e6:.1f} MB")
    assert 3.5 < memory[name][-1] / memory[name][-2] < 4.5      # n doubled: memory x 4 (n^2)
assert seconds["ours (naive, O(n^3))"][-1] > 3 * seconds["scipy linkage"][2]   # both at n = 400
print(f"the matrix alone at n = 100 000: {8 * 100_000 ** 2 / 1e9:.0f} GB")
_ = figures.hierarchical.plot_cost(sizes, seconds, memory)
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# Every method's memory grows by about 4 each time n doubles: the n² matrix (at n = 100 000 it
# alone would need 80 GB). At n = 400 our loop is more than 3 times slower than SciPy. The
# dashed gray guides have the slopes of n² and n³ (the time multiplied by 4 or 8 when n
# doubles): compare each curve's slope with them. That is the n² wall; hierarchical clustering
# is for a few thousand objects, or for a sample of them.

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Pro: the hierarchy.** The tree says which objects are nearly identical and which groups are
# close. Here 24 faces of the ORL database (6 people, 4 photos each, shrunk to 28 × 23 pixels),
# clustered by Ward linkage on their raw pixels; each leaf is the face itself, the number under
# it is the person, and the colours are the cut at K = 6.

# %%
faces, people = datasets.load_orl_faces()
chosen = np.concatenate([np.flatnonzero(people == p)[:4] for p in [0, 3, 7, 12, 18, 25]])
small_faces = faces[chosen].reshape(24, 28, 4, 23, 4).mean(axis=(2, 4)) / 255.0   # 4x4 blocks
Z_faces = hierarchical.agglomerative(small_faces.reshape(24, -1), "ward")
fig, ax = plt.subplots(figsize=(12, 4.6))
_ = figures.hierarchical.plot_image_dendrogram(small_faces, Z_faces, ax=ax, zoom=1.3, cmap="gray",
                             labels=people[chosen], n_clusters=6)
ax.set_title("Ward linkage on raw pixels: each subtree is mostly one person")
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# Two questions the picture answers, checked in numbers: does each person have a subtree of
# their own (some cut by K holds exactly their four photos), and does the cut at K = 6 give one
# person per cluster?

# %%
person = people[chosen]
subtrees = [set(np.flatnonzero(hierarchical.flat_clusters(Z_faces, n_clusters=k) == c))
            for k in range(1, 25) for c in range(k)]
own_subtree = [p for p in np.unique(person) if set(np.flatnonzero(person == p)) in subtrees]
cut_at_6 = hierarchical.flat_clusters(Z_faces, n_clusters=6)
people_per_cluster = [len(np.unique(person[cut_at_6 == c])) for c in range(6)]
print(f"people with a subtree of their own: {len(own_subtree)} of 6")
print(f"cut at K = 6: cluster sizes {np.bincount(cut_at_6)}, people per cluster {people_per_cluster}")
assert len(own_subtree) == 6 and sorted(people_per_cluster) == [1, 1, 1, 1, 1, 2]
alone = person[np.bincount(cut_at_6)[cut_at_6] == 1]      # the people of one-photo clusters
assert list(alone) == [0]

# %% [markdown] slideshow={"slide_type": "fragment"}
# Every person has a subtree of their own, yet no single height cuts out the six people: at
# K = 6 one photo of person 0 is still alone while two people already share a cluster. The
# photos of one person can differ more (pose, lighting) than two people do. Raw pixels are a
# weak feature: lesson 08 clusters better features.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Each exercise asks for one function: write it in its cell, run that cell, then run the check
# below it. The check says "Correct", or what is wrong and on which test case. Stuck?
# `hint_cluster_distance()` gives a nudge, `hint_cluster_distance(2)` a stronger hint and
# `solution_cluster_distance()` shows a solution (each exercise has its own three, named after
# it). Try before you ask: the checks' messages are written to help.

# %%
from lessons_src.exercises.hierarchical import (
    check_cluster_distance, check_n_clusters_at_height, check_n_single_clusters,
    hint_cluster_distance, hint_n_clusters_at_height, hint_n_single_clusters,
    solution_cluster_distance, solution_n_clusters_at_height, solution_n_single_clusters)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 1. The distance between two clusters (warm-up)
#
# Write `cluster_distance(A, B, linkage)` for `'single'` (closest pair), `'complete'`
# (farthest pair) and `'average'` (mean over all pairs). `A` and `B` are arrays of points, one per
# row.

# %% nbgrader={"grade": false, "grade_id": "03_cluster_distance", "locked": false, "schema_version": 3, "solution": true, "task": false}
def cluster_distance(A, B, linkage):
    ### BEGIN SOLUTION
    distances = np.sqrt(((A[:, None, :] - B[None, :, :]) ** 2).sum(axis=2))   # (n_a, n_b)
    if linkage == "single":
        return distances.min()
    if linkage == "complete":
        return distances.max()
    return distances.mean()
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "03_cluster_distance_check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
### BEGIN HIDDEN TESTS
assert check_cluster_distance(cluster_distance), repr(check_cluster_distance(cluster_distance))
### END HIDDEN TESTS
check_cluster_distance(cluster_distance)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 2. How many clusters below a cut?
#
# Write `n_clusters_at_height(Z, height)`: the number of clusters left when the dendrogram of the
# linkage matrix `Z` is cut at `height` (merges exactly at the height count as done).

# %% nbgrader={"grade": false, "grade_id": "03_n_clusters_at_height", "locked": false, "schema_version": 3, "solution": true, "task": false}
def n_clusters_at_height(Z, height):
    ### BEGIN SOLUTION
    return len(Z) + 1 - int(np.sum(Z[:, 2] <= height))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "03_n_clusters_at_height_check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
### BEGIN HIDDEN TESTS
assert check_n_clusters_at_height(n_clusters_at_height), repr(check_n_clusters_at_height(n_clusters_at_height))
### END HIDDEN TESTS
check_n_clusters_at_height(n_clusters_at_height)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 3. Single linkage without the tree (derive)
#
# Cut the single-linkage dendrogram of `X` at a height h: how many clusters are there? It can be
# answered from the pairwise distances alone, without running a single merge. Work out which
# points end up together (think of the chaining effect above), then write
# `n_single_clusters(X, height)` that way; the check compares it with `hierarchical.agglomerative`
# and `flat_clusters`. Afterwards, explain with it why the bridge of section "the chaining effect"
# holds the two groups together at K = 2.

# %% nbgrader={"grade": false, "grade_id": "03_n_single_clusters", "locked": false, "schema_version": 3, "solution": true, "task": false}
def n_single_clusters(X, height):
    ### BEGIN SOLUTION
    # Two points share a cluster when a path of hops, each <= height, joins them: the clusters
    # are the connected components of the graph of close pairs.
    from scipy.sparse.csgraph import connected_components

    distances = np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=2))
    return connected_components(distances <= height, directed=False)[0]
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "03_n_single_clusters_check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
### BEGIN HIDDEN TESTS
assert check_n_single_clusters(n_single_clusters), repr(check_n_single_clusters(n_single_clusters))
### END HIDDEN TESTS
check_n_single_clusters(n_single_clusters)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - Agglomerative clustering merges the two closest clusters until one is left; the dendrogram
#   records the merges, and a cut by height or by K gives a flat clustering.
# - The linkage defines "closest": single (minimum distance), complete, average, Ward; the
#   Lance–Williams formula updates the distance matrix after each merge without the points.
# - Pros: no K in advance, a hierarchy to read, non-convex shapes (single linkage).
#   Cons: O(n²) memory and O(n²)–O(n³) time, outliers, chains.
# - `lessons_src.hierarchical.agglomerative` gives the same linkage matrix as
#   `scipy.cluster.hierarchy.linkage`; use SciPy or `sklearn.cluster.AgglomerativeClustering` in
#   practice.

# %% [markdown]
# ---
# Previous: [02 · K-Means pitfalls and variants](02_kmeans_pitfalls_and_variants.ipynb) ·
# Next: [04 · Spectral clustering](04_spectral_clustering.ipynb)
