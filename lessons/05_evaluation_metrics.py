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
# # 05 · Evaluation metrics: RI, ARI, AMI and silhouette (聚类评价指标)
#
# A clustering (聚类) algorithm always returns *some* groups. Is it any good? With known classes
# we can compare the clustering with the truth pair by pair (**Rand index** (兰德指数) and
# **adjusted Rand index** (调整兰德指数)) or by shared information (NMI, AMI); without them we
# can only ask whether the groups are tight and well apart (**silhouette**). This lesson builds
# them from first principles, checks each against scikit-learn, fixes four errors in the slides,
# and then asks the questions a results table rarely answers: where do the scores disagree, how
# much does a score move with the seed and with the samples, and how could we choose K?
#
# **In this notebook you will**
#
# - count agreeing pairs by hand on six samples and get the Rand index;
# - see why the Rand index is high even for *random* labelings, and how ARI corrects it;
# - build ARI from the contingency table (列联表), check by Monte Carlo that the expected index
#   is a **product** (the slides print a sum), and find ARI's true range, [-1/2, 1];
# - draw a(i), b(i) and s(i) for one point, read a silhouette "knife" plot, choose K with it,
#   and see where it misleads;
# - score digit images with matched accuracy, NMI and the adjusted mutual information (互信息)
#   AMI, whose expectation we compute from the hypergeometric law;
# - watch the scores disagree, put intervals on them (50 seeds, the bootstrap), state a
#   comparison only where the intervals separate, and choose K by stability.

# %% slideshow={"slide_type": "skip"}
from itertools import combinations
from math import comb

from lessons_src.preamble import *
from lessons_src import datasets, figures, metrics, pipeline
from lessons_src.plotting import plot_clusters
from lessons_src.teaching import show_source
from lessons_src.timing import peak_bytes
from lessons_src.widgets import interactive_figure, int_slider
from lessons_src.exercises.metrics import (check_ari_from_table, check_count_a_and_b,
                                           check_silhouette_of_point)
import ipywidgets
import sklearn.metrics as skm

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. Pair counting by hand
#
# Six photos, A to F. The truth (C): A, B, C are cats, D, E, F are dogs. A clustering (K) put
# them in three clusters. Both are just labels, one per sample.

# %%
names = list("ABCDEF")
labels_true = np.array(["cat", "cat", "cat", "dog", "dog", "dog"])
labels_pred = np.array([0, 0, 1, 1, 1, 2])
for name, c, k in zip(names, labels_true, labels_pred):
    print(f"{name}: class {c}, cluster {k}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# The Rand index (兰德指数, RI) looks at every **pair** of samples: C(6, 2) = 15 pairs. A pair
# *agrees* when both labelings put it together (counted in **a**) or both put it apart (counted
# in **b**). Here is every pair, with its verdict.

# %% slideshow={"slide_type": "subslide"}
a = b = 0
for i, j in combinations(range(len(names)), 2):
    same_class = labels_true[i] == labels_true[j]
    same_cluster = labels_pred[i] == labels_pred[j]
    if same_class and same_cluster:
        verdict, a = "a: together in both", a + 1
    elif not same_class and not same_cluster:
        verdict, b = "b: apart in both", b + 1
    elif same_class:
        verdict = "c: same class, split by K"
    else:
        verdict = "d: different classes, merged by K"
    print(f"{names[i]}{names[j]}  class {'same' if same_class else 'diff'}  "
          f"cluster {'same' if same_cluster else 'diff'}  -> {verdict}")
n_pairs = comb(len(names), 2)
print(f"\na = {a}, b = {b}, pairs = {n_pairs}, RI = (a + b) / C(n, 2) = {(a + b) / n_pairs:.4f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The same count as a picture: one cell per pair (i < j). Green and light blue cells are the
# agreements a and b; red pairs are cats the clustering split, orange pairs are animals it merged.

# %%
_ = figures.metrics.plot_pair_grid(labels_true, labels_pred, names=names)
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# `metrics.pair_counts` gives a, b and the two kinds of disagreement c and d without listing the
# pairs (from the contingency table of section 3). scikit-learn's `pair_confusion_matrix`
# counts *ordered* pairs, so it holds `2 * [[b, d], [c, a]]`: the assertions below check both, and
# the pair loop `rand_index_naive`.

# %%
counts = metrics.pair_counts(labels_true, labels_pred)
print(counts)
print("RI =", f"{metrics.rand_index(labels_true, labels_pred):.4f}")
assert (counts.a, counts.b) == (a, b)
assert np.array_equal(counts.confusion_matrix(), skm.cluster.pair_confusion_matrix(labels_true, labels_pred))
assert metrics.rand_index(labels_true, labels_pred) == metrics.rand_index_naive(labels_true, labels_pred)
assert abs(metrics.rand_index(labels_true, labels_pred) - skm.rand_score(labels_true, labels_pred)) < 1e-12

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. Why RI is high even for random labelings
#
# Draw two labelings **completely at random**, independent of each other, each with K clusters,
# and score one against the other. They share no information, so a good score should say 0.
# Watch the Rand index instead (as in scikit-learn's "adjustment for chance" example).

# %%
chance = figures.metrics.chance_scores(n_samples=500, cluster_counts=[2, 3, 5, 10, 20, 50, 100],
                                       n_repeats=10, random_state=SEED)
for k, ri, ari in zip(chance.cluster_counts, chance.scores["RI"].mean(axis=1),
                      chance.scores["ARI"].mean(axis=1)):
    print(f"K = {k:3d}: mean RI = {ri:.3f}, mean ARI = {ari:+.3f}")

# %%
_ = figures.metrics.plot_chance_scores(
    chance, title="Two independent random labelings: RI looks good, ARI says 0")
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# With many clusters almost every pair is *apart* in both labelings, so b, and RI with it, is
# close to 1 by chance alone. A pair agrees when both labelings put it together (probability
# 1/K · 1/K) or both apart ((1 - 1/K)²), so for two uniform random labelings the expected RI is
# 1 - 2/K + 2/K². The means above sit on it:

# %%
ks = chance.cluster_counts
ri_by_chance = 1 - 2 / ks + 2 / ks**2
gap = np.abs(chance.scores["RI"].mean(axis=1) - ri_by_chance)
print("1 - 2/K + 2/K²:", np.round(ri_by_chance, 3))
print(f"largest distance to the mean RI: {gap.max():.4f}")
assert gap.max() < 0.01

# %% [markdown] slideshow={"slide_type": "fragment"}
# RI is not wrong, but its "zero point" moves with K and with the cluster sizes. The adjusted
# Rand index subtracts what chance alone would give.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. The contingency table, the pair index, its expectation and maximum
#
# The **contingency table** (列联表) n_ij counts the samples of class i placed in cluster j. Its
# row sums a_i are the class sizes, its column sums b_j the cluster sizes.

# %%
_ = figures.metrics.plot_contingency(labels_true, labels_pred)
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# Every count we need is a sum of $\binom{x}{2} = x(x-1)/2$ over this table:
#
# - the **pair index** $\sum_{ij} \binom{n_{ij}}{2}$: pairs together in both (it is a);
# - $A = \sum_i \binom{a_i}{2}$: pairs together in the classes;
#   $B = \sum_j \binom{b_j}{2}$: pairs together in the clusters;
# - the index's **expectation** (期望) when the clustering is shuffled at random, sizes kept:
#   $E = A \cdot B / \binom{n}{2}$ (Hubert and Arabie 1985);
# - its **maximum** $M = (A + B) / 2$;
# - **ARI** (调整兰德指数) $= \dfrac{\text{index} - E}{M - E}$: 1 for a perfect match, about 0 by
#   chance.
#
# Computed step by step on the six photos, then compared with `metrics` and scikit-learn:

# %% slideshow={"slide_type": "subslide"}
table = metrics.contingency_table(labels_true, labels_pred)
index = sum(comb(int(x), 2) for x in table.ravel())
A = sum(comb(int(x), 2) for x in table.sum(axis=1))
B = sum(comb(int(x), 2) for x in table.sum(axis=0))
N = comb(int(table.sum()), 2)
E = A * B / N
M = (A + B) / 2
ari = (index - E) / (M - E)
print(f"index = {index}, A = {A}, B = {B}, C(n,2) = {N}, E = {E:.4f}, M = {M:.1f}, ARI = {ari:.4f}")
assert index == metrics.pair_index(labels_true, labels_pred)
assert abs(E - metrics.expected_pair_index(labels_true, labels_pred)) < 1e-12
assert abs(M - metrics.max_pair_index(labels_true, labels_pred)) < 1e-12
assert abs(ari - metrics.adjusted_rand_index(labels_true, labels_pred)) < 1e-12
assert abs(ari - skm.adjusted_rand_score(labels_true, labels_pred)) < 1e-12

# %% [markdown] slideshow={"slide_type": "fragment"}
# In `lessons_src.metrics` the same sums run in O(n + r·c): `np.unique(..., return_inverse=True)`
# turns any labels (strings, large integers) into 0..k-1, one `np.bincount` fills the table, and
# the pair sums are exact Python integers (A · B exceeds 64 bits at n = 10⁶). Scaling numerator and
# denominator by C(n, 2) keeps ARI in integers until the final division:

# %% slideshow={"slide_type": "subslide"}
show_source(metrics.adjusted_rand_index)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Erratum: the expected index is a product, not a sum
#
# > **The slides write**
# > $E(RI) = E\left(\sum_{ij} \binom{n_{ij}}{2}\right) = \left[\sum_i \binom{a_i}{2} \mathbf{+} \sum_j \binom{b_j}{2}\right] / \binom{n}{2}$.
# >
# > **Correct:**
# > $E\left(\sum_{ij} \binom{n_{ij}}{2}\right) = \left[\sum_i \binom{a_i}{2} \mathbf{\times} \sum_j \binom{b_j}{2}\right] / \binom{n}{2}$,
# > a **product**, and it is the expectation of the **pair index**, not of RI.
#
# Why a product: shuffle the clustering. A pair that is together in the classes (A of them) lands
# together in the clusters with probability $B / \binom{n}{2}$, the fraction of all pairs that the
# clusters keep together. So $E = A \cdot B / \binom{n}{2}$.
#
# A Monte Carlo check decides: keep the truth, shuffle the clustering 4000 times (a random
# permutation keeps every class and cluster size), and average the pair index. Here with 30
# samples in three classes and three clusters of unequal sizes.

# %% slideshow={"slide_type": "subslide"}
rng = np.random.default_rng(SEED)
mc_true = np.repeat([0, 1, 2], [14, 10, 6])
mc_pred = rng.permutation(np.repeat([0, 1, 2], [8, 12, 10]))
samples = figures.metrics.permutation_pair_indices(mc_true, mc_pred, n_permutations=4000,
                                                   random_state=SEED)
index_samples, ri_samples = samples.pair_index, samples.rand_index
A = metrics.pair_counts(mc_true, mc_true).a            # Σ C(a_i, 2): pairs together in the classes
B = metrics.pair_counts(mc_pred, mc_pred).a            # Σ C(b_j, 2): pairs together in the clusters
N = comb(len(mc_true), 2)
product_form, sum_form = A * B / N, (A + B) / N
standard_error = index_samples.std() / np.sqrt(len(index_samples))
print(f"A = {A}, B = {B}, C(n,2) = {N}")
print(f"Monte Carlo mean of the pair index: {index_samples.mean():.2f} (± {standard_error:.2f})")
print(f"product form  A*B/C(n,2)          : {product_form:.2f}")
print(f"slides' sum   (A+B)/C(n,2)        : {sum_form:.2f}")
print(f"Monte Carlo mean of RI            : {ri_samples.mean():.4f}")

# %%
_ = figures.metrics.plot_permutation_test(index_samples, product_form, sum_form)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# The product sits on the Monte Carlo mean (within its standard error). The sum, 0.67, is nowhere
# near the mean pair index (48.3), and it is not the mean RI (0.555) either. The right E(RI)
# follows from $RI = \left(\binom{n}{2} + 2\,\text{index} - A - B\right) / \binom{n}{2}$ (since
# a = index, c = A - index, d = B - index), which is linear in the index:
# $E(RI) = 1 + (2E - A - B) / \binom{n}{2}$. The same relation maps M to max(RI) = 1, so the
# slides' $ARI = (RI - E[RI]) / (\max(RI) - E[RI])$ is right once E[RI] is, and equals
# (index - E) / (M - E):

# %%
expected_ri = 1 + (2 * product_form - A - B) / N
print(f"E(RI) = {expected_ri:.4f}, Monte Carlo mean of RI = {ri_samples.mean():.4f}")
ri_here = metrics.rand_index(mc_true, mc_pred)
ari_via_ri = (ri_here - expected_ri) / (1 - expected_ri)
print(f"ARI via RI = {ari_via_ri:.6f}, ARI via the index = {metrics.adjusted_rand_index(mc_true, mc_pred):.6f}")
assert abs(product_form - index_samples.mean()) < 4 * standard_error
assert abs(sum_form - index_samples.mean()) > 100 * standard_error
assert abs(ari_via_ri - metrics.adjusted_rand_index(mc_true, mc_pred)) < 1e-12

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Erratum: "max(RI)" is the maximum of the index, not of RI
#
# > **The slides write** $\max(RI) = \frac{1}{2}\left[\sum_i \binom{a_i}{2} + \sum_j \binom{b_j}{2}\right]$.
# >
# > **Correct:** that is M, the maximum of the **pair index** $\sum_{ij} \binom{n_{ij}}{2}$, a
# > count of pairs. The maximum of RI is 1.
#
# The check: on the 30 samples, M is a number of pairs far above 1, and the linear map from the
# index to RI sends M exactly to 1.

# %%
M_here = metrics.max_pair_index(mc_true, mc_pred)
ri_at_M = (N + 2 * M_here - A - B) / N
print(f"the slides' max(RI) = (A + B) / 2 = {M_here:.1f} pairs; RI when the index equals M: {ri_at_M:.4f}")
assert M_here > 1 and ri_at_M == 1.0

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### ARI at 1, about 0, and below 0
#
# Three clusterings of the same 300 blob points: the truth under other names (perfect), labels
# drawn at random, and an "evenly mixed" clustering where each cluster takes a third of every
# class. A fourth, tiny case is the textbook adversary: two classes {0, 1}, {2, 3} against the
# crosswise clusters {0, 2}, {1, 3}. RI says 0.33 to 1 on all of them; ARI tells them apart.

# %% slideshow={"slide_type": "subslide"}
X_blobs, y_blobs = datasets.make_blobs_2d(n_samples=300, n_clusters=3, random_state=SEED)
rank_in_class = np.zeros_like(y_blobs)
for k in np.unique(y_blobs):
    members = np.flatnonzero(y_blobs == k)
    rank_in_class[members] = np.arange(len(members)) % 3
cases = {
    "perfect\n(renamed)": (y_blobs, (y_blobs + 1) % 3),
    "random": (y_blobs, rng.integers(0, 3, len(y_blobs))),
    "evenly mixed": (y_blobs, rank_in_class),
    "adversarial\n(n = 4)": ([0, 0, 1, 1], [0, 1, 0, 1]),
}
scores = {name: (metrics.rand_index(t, p), metrics.adjusted_rand_index(t, p)) for name, (t, p) in cases.items()}
for name, (ri, ari) in scores.items():
    print(f"{name.replace(chr(10), ' '):22s} RI = {ri:.3f}   ARI = {ari:+.3f}")

# %%
fig, ax = plt.subplots(figsize=(7, 3.4))
positions = np.arange(len(scores))
ax.bar(positions - 0.2, [s[0] for s in scores.values()], 0.4, label="RI", color="C0")
ax.bar(positions + 0.2, [s[1] for s in scores.values()], 0.4, label="ARI", color="C1")
ax.axhline(0, color="0.4", lw=0.8)
ax.axhline(-0.5, color="0.4", lw=0.8, ls=":")
ax.text(1.5, -0.47, "the lowest possible ARI: -1/2", ha="center", va="bottom", color="0.3")
ax.set_xticks(positions, list(scores))
ax.set_ylabel("score")
ax.set_title("RI stays high; ARI is 1, about 0, or negative")
fig.legend(loc="outside right upper")
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# Below 0 means *worse than chance*: the clustering systematically separates what belongs
# together. Large negative values need small data; on 300 points the evenly mixed clustering
# only reaches about -0.007.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Erratum: ARI lies in [-1/2, 1], not [-1, 1]
#
# > **The slides write** "ARI取值范围为[-1,1]".
# >
# > **Correct:** ARI ≥ -1/2 (Chacón and Rastrojo 2023 give the lowest ARI for any cluster
# > sizes), so its range is [-1/2, 1]. The adversarial case above is the extreme: -0.500.
#
# An exhaustive check: every pair of partitions of 2, 3, 4 and 5 samples (52 × 52 pairs for 5),
# and the lowest ARI among them.

# %%
adversarial = metrics.adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1])
lowest = {n: figures.metrics.lowest_ari(n) for n in range(2, 6)}
print(f"adversarial case: ARI = {adversarial:.3f}")
for n, found in lowest.items():
    print(f"n = {n}: lowest ARI {found.value:+.3f}, e.g. {found.labels_true} against {found.labels_pred}")
assert adversarial == -0.5 and min(found.value for found in lowest.values()) == -0.5

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. Silhouette: scoring without the truth
#
# Often there are no labels. The **silhouette coefficient** (轮廓系数) asks of each point i:
#
# - a(i) = mean distance from i to the *other* members of its own cluster (how tight; the
#   slides' intra-cluster dissimilarity, 簇内不相似度);
# - b(i) = the smallest, over the other clusters, of the mean distance from i to that cluster's
#   members (how far the nearest neighbouring cluster is; the inter-cluster dissimilarity,
#   簇间不相似度);
# - $s(i) = \dfrac{b(i) - a(i)}{\max\{a(i), b(i)\}}$, between -1 and 1: near 1 well placed, near 0
#   on a border, negative in the wrong cluster. A point alone in its cluster gets s(i) = 0.
#
# Four blobs clustered by K-Means (K均值; scikit-learn's, K = 4), with the Euclidean distance
# (欧氏距离). The circled point has a lowish silhouette: it sits on the edge of its blob, facing
# the neighbouring one. Solid lines go to the other members of its cluster (their mean length
# is a(i)), dashed lines to the members of the nearest other cluster (mean length b(i)).

# %%
X4, y4 = datasets.make_blobs_2d(n_samples=200, n_clusters=4, cluster_std=1.0, random_state=SEED)
labels4 = figures.metrics.kmeans_labels(X4, 4, random_state=SEED)
s4 = metrics.silhouette_samples(X4, labels4)
chosen = int(np.argsort(s4)[len(s4) // 10])   # a point with a lowish silhouette: near a border
_ = figures.metrics.plot_silhouette_point(X4, labels4, chosen)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# The same three numbers from the definition, checked against `metrics.silhouette_samples` and
# scikit-learn:

# %%
distances = np.linalg.norm(X4 - X4[chosen], axis=1)
own = (labels4 == labels4[chosen]) & (np.arange(len(X4)) != chosen)
a_i = distances[own].mean()
b_i = min(distances[labels4 == k].mean() for k in np.unique(labels4) if k != labels4[chosen])
s_i = (b_i - a_i) / max(a_i, b_i)
print(f"a(i) = {a_i:.4f}, b(i) = {b_i:.4f}, s(i) = {s_i:.4f}")
assert abs(s_i - s4[chosen]) < 1e-12
assert np.allclose(s4, skm.silhouette_samples(X4, labels4), atol=1e-10, rtol=0)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Erratum: b(i) is the *smallest* mean distance to another cluster
#
# > **The slides write** 簇间不相似度：“计算样本i到其他簇的所有平均距离” (the mean distances from i to
# > the other clusters), and stop there.
# >
# > **Correct:** b(i) is **the minimum, over the other clusters**, of the mean distance from i to
# > that cluster's members: the nearest neighbouring cluster, the one i might belong to instead.
#
# Read literally, as one mean over the members of all the other clusters together, b(i) counts
# far clusters too: it grows, and every s(i) looks better than it is.

# %%
D4 = np.linalg.norm(X4[:, None] - X4[None, :], axis=2)
same = labels4[:, None] == labels4[None, :]
a4 = (D4 * same).sum(axis=1) / (same.sum(axis=1) - 1)
b_pooled = (D4 * ~same).sum(axis=1) / (~same).sum(axis=1)     # all other clusters, pooled
s_pooled = (b_pooled - a4) / np.maximum(a4, b_pooled)
print(f"point {chosen}: b(i) = {b_i:.4f} (the minimum), {b_pooled[chosen]:.4f} (pooled)")
print(f"mean silhouette: {s4.mean():.4f} (the minimum, = scikit-learn), {s_pooled.mean():.4f} (pooled)")
assert b_pooled[chosen] > b_i and s_pooled.mean() > s4.mean() + 0.05

# %% [markdown] slideshow={"slide_type": "fragment"}
# In `lessons_src.metrics` the definition reads the same, for every row of a distance matrix at
# once: one `np.bincount` per row sums the distances from sample i to the members of each
# cluster, and a(i), b(i) and s(i) follow.

# %% slideshow={"slide_type": "subslide"}
show_source(metrics.silhouette_from_distances)

# %% [markdown] slideshow={"slide_type": "fragment"}
# The whole n × n matrix would take 8n² bytes: 80 GB for 10⁵ points. `metrics.silhouette_samples`
# never builds it: it hands `silhouette_from_distances` one block of `chunk_size` rows at a time
# (chunk_size × n distances) and keeps only the s(i). Measured on 4000 points in blocks of 100
# rows:

# %%
X_big = np.random.default_rng(SEED).normal(size=(4000, 2))
labels_big = np.arange(4000) % 5
block_bytes = 100 * 4000 * 8
peak = peak_bytes(lambda: metrics.silhouette_samples(X_big, labels_big, chunk_size=100))
print(f"whole matrix: {4000 ** 2 * 8 / 1e6:.0f} MB; one block: {block_bytes / 1e6:.1f} MB; "
      f"peak below 1.5 blocks: {peak < 1.5 * block_bytes}")
assert peak < 1.5 * block_bytes

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The silhouette ("knife") plot
#
# Sort the s(i) of each cluster and draw them as horizontal bars, one cluster above the other;
# the dashed line is the mean silhouette. Good clusters are thick blades that reach far right;
# thin, short or negative blades point at a bad cluster. Move the slider to change K.

# %% tags=["nbval-ignore-output"]
interactive_figure(figures.metrics.draw_silhouette_for_k,
                   n_clusters=int_slider(1, 10, 4, description="K (clusters)"),
                   X=ipywidgets.fixed(X4), random_state=ipywidgets.fixed(SEED))

# %% [markdown] slideshow={"slide_type": "fragment"}
# The slider starts at K = 4; here K = 6, and the mean silhouette at both:

# %%
_ = figures.metrics.draw_silhouette_for_k(6, X4, random_state=SEED)
plt.show()
mean_4, mean_6 = figures.metrics.silhouette_by_k(X4, [4, 6], random_state=SEED)
print(f"mean silhouette: K = 4: {mean_4:.3f}, K = 6: {mean_6:.3f}")
assert mean_6 < mean_4

# %% [markdown] slideshow={"slide_type": "fragment"}
# At K = 6 two blobs are cut in half: their blades are thinner and shorter, and the mean drops.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Choosing K by silhouette
#
# Fit K-Means for every K from 2 to 8 and keep the K of highest mean silhouette. On the four
# blobs it finds 4.

# %%
k_values = np.arange(2, 9)
blob_scores = figures.metrics.silhouette_by_k(X4, k_values, random_state=SEED)
print("mean silhouette:", np.round(blob_scores, 3))
assert k_values[np.argmax(blob_scores)] == 4
_ = figures.metrics.plot_silhouette_by_k(k_values, blob_scores, title="four blobs: best K = "
                                      f"{k_values[np.argmax(blob_scores)]}")
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Where silhouette misleads: moons
#
# The silhouette rewards compact, convex clusters (a(i) small, b(i) large in plain distance). Two
# interleaved moons are the true groups, but K-Means' straight cut scores a *higher* silhouette
# than the truth does. ARI, which knows the truth, disagrees completely.

# %%
X_moons, y_moons = datasets.make_moons_2d(n_samples=300, noise=0.06, random_state=SEED)
kmeans_moons = figures.metrics.kmeans_labels(X_moons, 2, random_state=SEED)
fig, axes = plt.subplots(1, 2, figsize=(10, 4))
for ax, (title, labels) in zip(axes, [("true moons", y_moons), ("K-Means, K = 2", kmeans_moons)]):
    sil = metrics.silhouette_score(X_moons, labels)
    ari = metrics.adjusted_rand_index(y_moons, labels)
    plot_clusters(X_moons, labels, ax=ax, title=f"{title}: silhouette {sil:.3f}, ARI {ari:.2f}")
    print(f"{title:15s} silhouette = {sil:.3f}   ARI vs truth = {ari:.3f}")
plt.show()
assert metrics.silhouette_score(X_moons, kmeans_moons) > metrics.silhouette_score(X_moons, y_moons)

# %% [markdown] slideshow={"slide_type": "fragment"}
# The lesson: the silhouette measures one notion of "good" (round and separated), not the truth.
# Use it to compare K for the *same* algorithm on data where that notion fits; for chains and
# rings, look at the picture or use a density or graph-based method (lessons 03 and 04).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. Two more scores with the truth: matched accuracy and NMI
#
# Cluster numbers are arbitrary names, so `mean(labels_pred == labels_true)` means nothing.
# **Clustering accuracy** (聚类准确率) first matches clusters to classes one to one so that as
# many samples as possible land on their class: the Hungarian algorithm (匈牙利算法,
# `scipy.optimize.linear_sum_assignment`) on the contingency table. **NMI** (归一化互信息,
# normalised mutual information) measures how much knowing the cluster tells about the class, from
# 0 to 1 (not adjusted for chance).
#
# We cluster 600 handwritten digit images (8 × 8 pixels as 64 features) with K-Means, K = 10.

# %%
digit_images, digit_labels = datasets.load_digits_images()
pick = np.random.default_rng(SEED).choice(len(digit_images), 600, replace=False)
X_digits = digit_images[pick].reshape(600, -1).astype(float)
y_digits = digit_labels[pick]
digit_clusters = figures.metrics.kmeans_labels(X_digits, 10, random_state=SEED)
print(f"plain 'accuracy' (meaningless) = {np.mean(digit_clusters == y_digits):.3f}")
print(f"matched accuracy = {metrics.clustering_accuracy(y_digits, digit_clusters):.3f}")
print(f"ARI = {metrics.adjusted_rand_index(y_digits, digit_clusters):.3f}, "
      f"NMI = {metrics.normalized_mutual_info(y_digits, digit_clusters):.3f}, "
      f"RI = {metrics.rand_index(y_digits, digit_clusters):.3f}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# The whole of `clustering_accuracy`: the table, the matching, the matched counts.

# %% slideshow={"slide_type": "subslide"}
show_source(metrics.clustering_accuracy)

# %% [markdown] slideshow={"slide_type": "fragment"}
# The contingency table with the Hungarian matching outlined in red. Each red cell is one
# cluster assigned to one digit; the matched accuracy is the sum of the red cells over 600. Look
# for the digits that K-Means spreads over several clusters or merges with another.

# %%
mapping = metrics.match_clusters(y_digits, digit_clusters)
matched_cells = [(int(digit), int(cluster)) for cluster, digit in mapping.items()]
_ = figures.metrics.plot_contingency(y_digits, digit_clusters, row_name="digit", col_name="cluster",
                                  highlight=matched_cells)
plt.gcf().set_size_inches(7, 5.2)
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. Information, adjusted for chance: AMI
#
# NMI comes from information theory. With $a_i$, $b_j$ and $n_{ij}$ the sizes of section 3, the
# **entropy** of the classes $H(C) = -\sum_i \frac{a_i}{n} \ln \frac{a_i}{n}$ measures how
# uncertain a sample's class is ($H(K)$ the same for the clusters), and the mutual information
# $I(C; K) = \sum_{ij} \frac{n_{ij}}{n} \ln \frac{n\, n_{ij}}{a_i b_j}$ how much of that
# uncertainty knowing the cluster removes. NMI divides I by the mean of the two entropies. The
# sums by hand, on the digits, against `metrics` and scikit-learn:

# %%
table = metrics.contingency_table(y_digits, digit_clusters)
n_samples, class_sizes, cluster_sizes = table.sum(), table.sum(axis=1), table.sum(axis=0)
H_C = -np.sum(class_sizes / n_samples * np.log(class_sizes / n_samples))
H_K = -np.sum(cluster_sizes / n_samples * np.log(cluster_sizes / n_samples))
rows, cols = np.nonzero(table)
cells = table[rows, cols]
I = np.sum(cells / n_samples * np.log(n_samples * cells / (class_sizes[rows] * cluster_sizes[cols])))
print(f"H(C) = {H_C:.4f}, H(K) = {H_K:.4f}, I(C; K) = {I:.4f} nats, NMI = {I / ((H_C + H_K) / 2):.4f}")
assert abs(I - metrics.mutual_info(y_digits, digit_clusters)) < 1e-12
assert abs(I - skm.mutual_info_score(y_digits, digit_clusters)) < 1e-10
assert abs(I / ((H_C + H_K) / 2) - skm.normalized_mutual_info_score(y_digits, digit_clusters)) < 1e-10

# %% [markdown] slideshow={"slide_type": "fragment"}
# Like the pair index, I is not 0 for random labelings: shuffle the clusters and some
# information remains by chance, more with many small clusters. The **adjusted mutual
# information** (AMI; Vinh, Epps and Bailey 2010) subtracts its expectation E[I], as ARI
# subtracts E:
#
# $$AMI = \frac{I - E[I]}{\operatorname{mean}(H(C), H(K)) - E[I]}.$$
#
# E[I] uses ARI's random model: sizes fixed, samples shuffled. Cell $n_{ij}$ is then the number
# of class-i samples among the $b_j$ that land in cluster j, drawn without replacement from the
# n samples: a **hypergeometric** count,
# $P(n_{ij} = k) = \binom{a_i}{k}\binom{n - a_i}{b_j - k} / \binom{n}{b_j}$, and by linearity of
# the expectation $E[I] = \sum_{ij} \sum_k P(n_{ij} = k)\, \frac{k}{n} \ln \frac{n k}{a_i b_j}$:

# %% slideshow={"slide_type": "subslide"}
show_source(metrics.expected_mutual_info)

# %% [markdown] slideshow={"slide_type": "fragment"}
# (`metrics.hypergeometric_pmf` builds each probability from the ratios of its neighbours,
# never from the huge binomial coefficients themselves.) A Monte Carlo check, as for the
# expected index: the 30 samples of section 3, the clusters shuffled 2000 times, the mutual
# information averaged.

# %%
rng = np.random.default_rng(SEED)
shuffled_mi = np.array([metrics.mutual_info(mc_true, rng.permutation(mc_pred)) for _ in range(2000)])
expected_mi = metrics.expected_mutual_info(mc_true, mc_pred)
mi_error = shuffled_mi.std() / np.sqrt(len(shuffled_mi))
print(f"E[I] = {expected_mi:.4f} nats; Monte Carlo mean {shuffled_mi.mean():.4f} (± {mi_error:.4f})")
assert abs(expected_mi - shuffled_mi.mean()) < 4 * mi_error

# %% [markdown] slideshow={"slide_type": "fragment"}
# On the digits, with 600 samples in 10 clusters, chance explains little mutual information:

# %%
expected_digits = metrics.expected_mutual_info(y_digits, digit_clusters)
nmi_digits = metrics.normalized_mutual_info(y_digits, digit_clusters)
ami_digits = metrics.adjusted_mutual_info(y_digits, digit_clusters)
print(f"E[I] = {expected_digits:.4f} of I = {I:.4f} nats; NMI = {nmi_digits:.4f}, AMI = {ami_digits:.4f}")
assert abs(ami_digits - skm.adjusted_mutual_info_score(y_digits, digit_clusters)) < 1e-10
assert abs(ami_digits - nmi_digits) < 0.02

# %% [markdown] slideshow={"slide_type": "fragment"}
# so AMI and NMI nearly agree here. With many clusters and few samples they do not: next section.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7. Where the scores disagree
#
# On a good clustering the scores agree; away from it each has its own bias. First, K far from
# the truth: the four blobs of section 4 (their true classes) scored against random labelings
# with K clusters (nothing learned, 20 draws per K, the band spans them; left) and against
# K-Means with K clusters (right).

# %%
chance_blobs = figures.metrics.chance_scores(len(y4), [2, 3, 5, 10, 20, 50, 100], n_repeats=20,
                                             random_state=SEED, labels_true=y4)
by_k = figures.metrics.kmeans_scores_by_k(X4, y4, [2, 3, 4, 5, 6, 8, 10, 15, 20, 30], random_state=SEED)
_ = figures.metrics.plot_scores_against_k(chance_blobs, by_k)
plt.show()

# %%
at_100 = {name: values[-1].mean() for name, values in chance_blobs.scores.items()}
at_30 = {name: values[-1] for name, values in by_k.scores.items()}
print("random, K = 100: ", ", ".join(f"{name} {value:+.3f}" for name, value in at_100.items()))
print("K-Means, K = 30: ", ", ".join(f"{name} {value:+.3f}" for name, value in at_30.items()))
assert at_100["NMI"] > 0.2 and abs(at_100["ARI"]) < 0.01 and abs(at_100["AMI"]) < 0.01
assert all(by_k.cluster_counts[np.argmax(values)] == 4 for values in by_k.scores.values())
assert min(at_30["NMI"], at_30["AMI"]) > 0.5 > 0.2 > at_30["ARI"]

# %% [markdown] slideshow={"slide_type": "subslide"}
# With 100 random clusters on 200 points NMI says 0.25 although nothing was learned: **NMI is
# biased toward many clusters**. ARI and AMI stay at 0, and RI climbs towards 0.75. On the
# right every score peaks at the true K = 4; past it ARI falls fast (below 0.2 at K = 30) while
# NMI and AMI stay above 0.5: cutting a class into pure pieces breaks many same-class pairs but
# loses little information.
#
# Next, many small clusters against a few large ones, and unequal classes, on 200 samples: four
# classes of 50 clustered into 40 pure clusters (each class cut in ten) or into the right 4 with
# every fourth sample moved to one of the three other clusters; and two classes of 180 and 20
# "clustered" into one single cluster, or into three (the small class found, the large one cut
# in half).

# %%
four, unequal, sample = np.repeat(np.arange(4), 50), np.repeat([0, 1], [180, 20]), np.arange(200)
moved = np.where(sample % 4 == 0, (four + 1 + sample // 4 % 3) % 4, four)   # 1 in 4 moved
cases = {
    "40 pure clusters": (four, four * 10 + sample % 10),
    "4 clusters, 25% moved": (four, moved),
    "unequal: one cluster": (unequal, np.zeros(200, dtype=int)),
    "unequal: big class halved": (unequal, np.repeat([0, 1, 2], [90, 90, 20])),
}
case_scores = {name: figures.metrics.external_scores(t, p, accuracy=True) for name, (t, p) in cases.items()}
print(" " * 27 + "".join(f"{name:>10s}" for name in case_scores["40 pure clusters"]))
for name, row in case_scores.items():
    print(f"{name:27s}" + "".join(f"{value:10.3f}" for value in row.values()))

# %%
pure, relabelled = case_scores["40 pure clusters"], case_scores["4 clusters, 25% moved"]
lumped, halved = case_scores["unequal: one cluster"], case_scores["unequal: big class halved"]
assert pure["NMI"] > relabelled["NMI"] and pure["AMI"] > relabelled["AMI"]
assert pure["ARI"] < relabelled["ARI"] and pure["accuracy"] < relabelled["accuracy"]
assert lumped["accuracy"] > halved["accuracy"] and lumped["RI"] > halved["RI"]
assert lumped["ARI"] == lumped["NMI"] == lumped["AMI"] == 0 < 0.2 < min(halved["ARI"], halved["AMI"])

# %% [markdown] slideshow={"slide_type": "fragment"}
# - **Many small clusters**: NMI and AMI prefer the 40 pure clusters, ARI and matched accuracy
#   the right K with its errors. Each pure cluster tells the class exactly (much information),
#   but the 40 of them break most same-class pairs. Romano, Vinh, Bailey and Verspoor (2016)
#   advise ARI when the true classes are large and of similar sizes, AMI when they are small or
#   unbalanced.
# - **Unequal classes**: one cluster for everything scores a matched accuracy of 0.900 and an RI
#   of 0.819 (the large class alone is "right"), more than the clustering that finds the small
#   class; ARI, NMI and AMI give the lump exactly 0.
#
# Report more than one score, and say which one decided.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 8. The spread nobody shows: seeds and samples
#
# A results table gives one number per method. But K-Means starts from random centres: here
# the same K-Means (one K-Means++ start, K = 10) on the 600 digits of section 5, run with 50
# seeds and scored each time.

# %%
seed_runs = figures.metrics.kmeans_seed_scores(X_digits, y_digits, 10, n_seeds=50, random_state=SEED)
for name, values in seed_runs.scores.items():
    print(f"{name}: min {values.min():.3f}, median {np.median(values):.3f}, max {values.max():.3f}")
assert np.ptp(seed_runs.scores["ARI"]) > 0.2

# %% [markdown] slideshow={"slide_type": "fragment"}
# ARI moves by more than 0.2 from seed to seed: one run says little about the algorithm.
#
# A deterministic method has no seed, but its score is still an estimate: it depends on which
# 600 digits were drawn. The **bootstrap** measures that: draw 600 samples from the 600 with
# replacement, score the same clustering on them, repeat 1000 times; the middle 95 % of the
# scores is a 95 % interval. Five clusterings of the digits, scored on the *same* resamples:
# spectral clustering (谱聚类), Ward, average linkage (平均距离) and single linkage (最小距离)
# through `pipeline.cluster_features` (lessons 03 and 04), and the first K-Means run above.

# %% slideshow={"slide_type": "subslide"}
labelings = {
    "spectral": pipeline.cluster_features(X_digits, 10, "spectral", random_state=SEED),
    "Ward": pipeline.cluster_features(X_digits, 10, "agglomerative", linkage="ward"),
    "K-Means": seed_runs.labels[0],
    "average": pipeline.cluster_features(X_digits, 10, "agglomerative", linkage="average"),
    "single": pipeline.cluster_features(X_digits, 10, "agglomerative", linkage="single"),
}
bootstrap = metrics.bootstrap_scores(y_digits, labelings, n_resamples=1000, random_state=SEED)
lift = {name: bootstrap.resampled[name].mean() - bootstrap.observed[name] for name in labelings}
for name in labelings:
    low, high = bootstrap.interval(name)
    print(f"{name:9s} ARI {bootstrap.observed[name]:.3f}, 95% interval [{low:.3f}, {high:.3f}], "
          f"mean of the resamples {lift[name]:+.3f} above")
assert all(0 <= value < 0.01 for value in lift.values())

# %% [markdown] slideshow={"slide_type": "fragment"}
# Left, every score of the 50 K-Means runs (a box from quartile to quartile, a dot per run);
# right, the bootstrap intervals of ARI, with K-Means' range over its 50 seeds in gray.

# %%
fig, axes = plt.subplots(1, 2, figsize=(12.2, 4.6), width_ratios=[1, 1.3])
_ = figures.metrics.plot_seed_spread(seed_runs, ax=axes[0])
_ = figures.metrics.plot_bootstrap_intervals(bootstrap, ax=axes[1], seed_scores=seed_runs)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# Now the comparisons, each stated only where the intervals allow it. Ward against single
# linkage:

# %%
ward, single = bootstrap.interval("Ward"), bootstrap.interval("single")
largest_single = np.bincount(labelings["single"]).max()
print(f"Ward [{ward[0]:.3f}, {ward[1]:.3f}], single [{single[0]:.3f}, {single[1]:.3f}]: "
      f"separate {ward[0] > single[1]}; single's largest cluster: {largest_single} of 600")
assert ward[0] > single[1] and largest_single > 0.9 * 600

# %% [markdown] slideshow={"slide_type": "fragment"}
# **Ward beats single linkage on these digits** (single linkage chains almost everything into
# one cluster). Spectral clustering against Ward: their intervals overlap, often read as "no
# difference". But both were scored on the same resamples, so take the interval of the
# *difference*, resample by resample (a paired comparison):

# %%
spectral = bootstrap.interval("spectral")
difference = bootstrap.difference_interval("spectral", "Ward")
print(f"intervals overlap: {spectral[0] < ward[1]}; spectral - Ward: [{difference[0]:+.3f}, {difference[1]:+.3f}]")
spectral_seeds = [metrics.adjusted_rand_index(y_digits, pipeline.cluster_features(
    X_digits, 10, "spectral", random_state=seed)) for seed in range(10)]
print(f"spectral clustering over 10 seeds: ARI {min(spectral_seeds):.4f} to {max(spectral_seeds):.4f}")
assert spectral[0] < ward[1] and difference[0] > 0 and np.ptp(spectral_seeds) < 1e-3

# %% [markdown] slideshow={"slide_type": "fragment"}
# The difference stays above 0, and spectral clustering's seed hardly matters here (Ward has
# none): **spectral clustering beats Ward on these 600 digits**, by a small margin. Last, Ward against K-Means: on the run we scored Ward wins clearly, but the
# bootstrap knows that one run only.

# %%
versus_run = bootstrap.difference_interval("Ward", "K-Means")
best_seed = seed_runs.scores["ARI"].max()
print(f"Ward - K-Means run 1: [{versus_run[0]:+.3f}, {versus_run[1]:+.3f}]; best K-Means seed: ARI "
      f"{best_seed:.3f}, inside Ward's interval: {ward[0] <= best_seed <= ward[1]}")
assert versus_run[0] > 0 and ward[0] <= best_seed <= ward[1]

# %% [markdown] slideshow={"slide_type": "fragment"}
# "Ward beats this K-Means run" holds; "Ward beats K-Means" does not: other seeds land inside
# Ward's interval. The bootstrap measures the samples' share of the uncertainty, the seeds the
# algorithm's, and a claim must survive both. (The clusterings were not refitted on each
# resample: refitting would add the algorithm's variance on top. And a sample drawn twice adds a
# pair that is together in both labelings, which lifts ARI a little: the resamples' mean sits
# 0.000 to 0.005 above the score on all samples, as printed above.)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 9. Choosing K without the truth: four rules
#
# Without labels, K has to come from the data. Lesson 02 used the elbow of the inertia
# (簇内平方和) curve and the silhouette, lesson 04 the eigengap (特征间隙) of the graph Laplacian
# (拉普拉斯矩阵). A fourth rule asks whether a clustering can be *reproduced*: cluster two random
# subsamples (80 % of the points each) on their own, and compare the two labelings with ARI on
# the points they share (Ben-Hur, Elisseeff and Guyon 2002). A K the data support gives the same
# groups every time.

# %% slideshow={"slide_type": "subslide"}
show_source(metrics.clustering_stability)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Six blobs in three pairs, and the four rules for K = 2 to 8: K-Means with 10 starts for the
# elbow (the K where the inertia curve bends most) and the silhouette; 20 pairs of subsamples
# per K for the stability; the eigengap on the RBF graph with γ = 1, as in lesson 04.

# %%
X_pairs, y_pairs = figures.metrics.three_pairs_2d(random_state=SEED)
rules = figures.metrics.choose_k_rules(X_pairs, range(2, 9), random_state=SEED)
stability = rules.stability.mean(axis=1)
print(f"elbow K = {rules.elbow_k}, silhouette K = {rules.silhouette_k}, "
      f"eigengap K = {rules.eigengap_k}, stability K = {rules.stability_k}")
print("mean stability for K = 2..8:", np.round(stability, 3))
assert (rules.elbow_k, rules.stability_k, rules.silhouette_k, rules.eigengap_k) == (3, 3, 6, 6)
assert stability[6 - 2] > 0.95 and np.argmin(stability) == 0

# %% [markdown] slideshow={"slide_type": "fragment"}
# The figure: the data coloured by blob, and each rule's curve with its K ringed (the gray band
# of the stability is the range over its 20 pairs).

# %%
_ = figures.metrics.plot_k_rules(X_pairs, rules, labels=y_pairs)
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# Two rules against two: the elbow and the stability see the three pairs, the silhouette and
# the eigengap the six blobs. Both structures are real and no rule is wrong; each answers its
# own question (where another cluster stops paying; which K gives the tightest, best separated
# groups; how many nearly separate pieces the graph has; which K reproduces itself). Read the
# whole curves, not only their best points: the stability is almost as high at K = 6 as at
# K = 3, and lowest at K = 2, where three equal pairs in a triangle have no single best cut in
# two and every subsample picks another. Stable means reproducible, not right (Ben-David, von
# Luxburg and Pál 2006).


# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Each exercise asks for one function: write it in its cell, run that cell, then run the check
# below it. The check says "Correct", or what is wrong and on which test case. Stuck?
# `hint_count_a_and_b()` gives a nudge, `hint_count_a_and_b(2)` a stronger hint and
# `solution_count_a_and_b()` shows a solution (each exercise has its own three, named after it).
# Try before you ask: the checks' messages are written to help.

# %%
from itertools import combinations
from math import comb

from lessons_src.exercises.metrics import (
    check_ari_from_table, check_count_a_and_b, check_expected_rand_index,
    check_silhouette_of_point, hint_ari_from_table, hint_count_a_and_b,
    hint_expected_rand_index, hint_silhouette_of_point, solution_ari_from_table,
    solution_count_a_and_b, solution_expected_rand_index, solution_silhouette_of_point)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 1: count a and b (warm-up)
#
# Write `count_a_and_b(labels_true, labels_pred)` returning the tuple `(a, b)` by looping over all
# pairs, as in section 1.

# %% nbgrader={"grade": false, "grade_id": "05_count_a_and_b", "locked": false, "schema_version": 3, "solution": true, "task": false}
def count_a_and_b(labels_true, labels_pred):
    ### BEGIN SOLUTION
    a = b = 0
    for i, j in combinations(range(len(labels_true)), 2):
        same_class = labels_true[i] == labels_true[j]
        same_cluster = labels_pred[i] == labels_pred[j]
        a += same_class and same_cluster
        b += not same_class and not same_cluster
    return a, b
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "05_count_a_and_b_check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
### BEGIN HIDDEN TESTS
assert check_count_a_and_b(count_a_and_b), repr(check_count_a_and_b(count_a_and_b))
### END HIDDEN TESTS
check_count_a_and_b(count_a_and_b)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2: ARI from a contingency table
#
# Write `ari_from_table(table)` for a table of counts (classes × clusters), with the product form
# of the expectation. `comb(x, 2)` is already imported.

# %% nbgrader={"grade": false, "grade_id": "05_ari_from_table", "locked": false, "schema_version": 3, "solution": true, "task": false}
def ari_from_table(table):
    ### BEGIN SOLUTION
    table = np.asarray(table)
    index = sum(comb(int(x), 2) for x in table.ravel())
    rows = sum(comb(int(x), 2) for x in table.sum(axis=1))
    columns = sum(comb(int(x), 2) for x in table.sum(axis=0))
    expected = rows * columns / comb(int(table.sum()), 2)      # a product
    maximum = (rows + columns) / 2
    return (index - expected) / (maximum - expected)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "05_ari_from_table_check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
### BEGIN HIDDEN TESTS
assert check_ari_from_table(ari_from_table), repr(check_ari_from_table(ari_from_table))
### END HIDDEN TESTS
check_ari_from_table(ari_from_table)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3: one point's silhouette
#
# Write `silhouette_of_point(X, labels, i)` returning s(i) with Euclidean distances (0 when i is
# alone in its cluster).

# %% nbgrader={"grade": false, "grade_id": "05_silhouette_of_point", "locked": false, "schema_version": 3, "solution": true, "task": false}
def silhouette_of_point(X, labels, i):
    ### BEGIN SOLUTION
    labels = np.asarray(labels)
    d = np.linalg.norm(X - X[i], axis=1)
    own = (labels == labels[i]) & (np.arange(len(X)) != i)        # the others in i's cluster
    if not own.any():
        return 0.0
    a = d[own].mean()
    b = min(d[labels == k].mean() for k in np.unique(labels) if k != labels[i])
    return (b - a) / max(a, b)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "05_silhouette_of_point_check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
### BEGIN HIDDEN TESTS
assert check_silhouette_of_point(silhouette_of_point), repr(check_silhouette_of_point(silhouette_of_point))
### END HIDDEN TESTS
check_silhouette_of_point(silhouette_of_point)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 4: RI by chance (derive a number)
#
# Section 2 measured the mean RI of two random labelings and quoted RI ≈ 1 - 2/K + 2/K² when both
# have K groups. Derive the general rule: the truth has C classes and the clustering K clusters,
# each sample's class and cluster drawn uniformly and independently, many samples. Write
# `expected_rand_index(n_classes, n_clusters)`; for C = K it must give the printed values.

# %% nbgrader={"grade": false, "grade_id": "05_expected_rand_index", "locked": false, "schema_version": 3, "solution": true, "task": false}
def expected_rand_index(n_classes, n_clusters):
    ### BEGIN SOLUTION
    together = (1 / n_classes) * (1 / n_clusters)          # same class and same cluster: in a
    apart = (1 - 1 / n_classes) * (1 - 1 / n_clusters)     # different in both: in b
    return together + apart
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "05_expected_rand_index_check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
### BEGIN HIDDEN TESTS
assert check_expected_rand_index(expected_rand_index), repr(check_expected_rand_index(expected_rand_index))
### END HIDDEN TESTS
check_expected_rand_index(expected_rand_index)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - **RI** = (a + b) / C(n, 2): the fraction of pairs on which truth and clustering agree. It is
#   high even for random labelings, more so with many clusters.
# - **ARI** = (index - E) / (M - E) with the pair index $\sum_{ij} \binom{n_{ij}}{2}$, its expectation
#   $E = \sum_i \binom{a_i}{2} \cdot \sum_j \binom{b_j}{2} / \binom{n}{2}$ (a **product**: the
#   slides' sum is wrong, as the Monte Carlo average showed) and maximum
#   $M = \left(\sum_i \binom{a_i}{2} + \sum_j \binom{b_j}{2}\right) / 2$ (the slides' "max(RI)":
#   the maximum of the index; RI's is 1). ARI is 1 for a perfect match, about 0 by chance,
#   negative when worse than chance, and never below -1/2 (not -1, as the slides say).
# - **Silhouette** s(i) = (b(i) - a(i)) / max(a(i), b(i)), with b(i) the *nearest* other
#   cluster's mean distance, needs no truth; its mean helps choose K, but it prefers convex,
#   compact clusters (moons fool it).
# - **Matched accuracy** (Hungarian matching), **NMI** and **AMI** are the other common scores;
#   plain accuracy on raw cluster numbers means nothing. AMI subtracts the mutual information
#   expected by chance (each table cell hypergeometric), as ARI subtracts E.
# - The scores disagree: NMI rewards many clusters, even random ones; ARI punishes splitting a
#   class, NMI and AMI much less; accuracy and RI reward lumping unequal classes together.
# - A score is an estimate: it moves with the seed (ARI over 0.2 for K-Means on the digits) and
#   with the samples (the bootstrap). State "A beats B" only where the intervals separate, and
#   compare methods scored on the same samples through the interval of their difference.
# - K without the truth: elbow, silhouette, eigengap and stability each answer their own
#   question, and they can split, as on six blobs in three pairs.
# - Every score in `lessons_src.metrics` equals scikit-learn's to 1e-10, the pair scores are
#   exact integers at any n, and bad labels or distances are refused with a named error.
#
# Previous: [04 · Spectral clustering](04_spectral_clustering.ipynb) ·
# Next: [06 · NMF vs VQ vs PCA on faces](06_nmf_vq_pca_faces.ipynb).
