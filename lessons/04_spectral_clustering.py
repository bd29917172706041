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
# # 04 · Spectral clustering (谱聚类)
#
# K-Means (K均值) draws straight borders between round groups. When the groups are rings or moons,
# what they share is not a centre but **connectedness**: each point is close to its neighbours,
# which are close to theirs. Spectral clustering turns that into linear algebra: build a graph
# of neighbours, take a few eigenvectors of its **graph Laplacian (拉普拉斯矩阵)**, and run
# K-Means in those new coordinates, where the groups have become round blobs.
#
# **In this notebook you will**
#
# - see K-Means fail on rings and moons;
# - draw the **affinity graph (相似度图)** and its matrix;
# - read the Laplacian's smallest eigenvalues and the **eigengap (特征间隙)** to choose K;
# - look at the **spectral embedding (谱嵌入)** where the clusters separate, and run K-Means there;
# - move sliders for the graph's parameters (gamma, number of neighbours);
# - segment an image (the coins) by spectral clustering of its pixel graph;
# - see what it costs.

# %% [markdown] slideshow={"slide_type": "fragment"}
# The common first cell, plus this lesson's modules.

# %%
from lessons_src.preamble import *
from ipywidgets import fixed
from skimage.filters import threshold_otsu
from sklearn.cluster import SpectralClustering as SklearnSpectralClustering
from sklearn.metrics import adjusted_rand_score

from lessons_src import datasets, figures, pipeline, spectral
from lessons_src.plotting import match_labels, plot_clusters
from lessons_src.teaching import show_source
from lessons_src.widgets import dropdown, int_slider, interactive_figure, log_slider

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Why K-Means fails on rings and moons
#
# K-Means gives each point to its nearest centre, so every border is a straight line (half-way
# between two centres). No straight line separates two interleaved moons, or a ring from the
# ring around it. The adjusted Rand index (ARI, 调整兰德指数; lesson 05) in the titles is 1 for
# a perfect match with the true groups and about 0 for chance; the colours follow the true
# groups. (`pipeline.cluster_features` runs scikit-learn's K-Means with 10 restarts; lesson 08
# uses it on whole image collections.)

# %%
moons, moon_truth = datasets.make_moons_2d(random_state=SEED)
circles, circle_truth = datasets.make_circles_2d(random_state=SEED)
fig, axes = plt.subplots(1, 2, figsize=(10, 4.4))
for ax, (name, X, truth) in zip(axes, [("moons", moons, moon_truth), ("circles", circles, circle_truth)]):
    labels = pipeline.cluster_features(X, 2, "kmeans", random_state=SEED)
    plot_clusters(X, match_labels(labels, truth), ax=ax, s=14)
    score = round(adjusted_rand_score(truth, labels), 2) + 0.0   # + 0.0 turns -0.0 into 0.0
    assert score < 0.5
    ax.set_title(f"K-Means on the {name}: ARI = {score:.2f}")
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Step 1: the affinity graph
#
# Connect every pair of points with a weight that is large when they are close. Two common
# choices:
#
# - **RBF (Gaussian) kernel**: $A_{ij} = \exp(-\gamma\,\|x_i - x_j\|^2)$; $\gamma$ sets the
#   reach (the weight halves at distance $\sqrt{\ln 2/\gamma}$);
# - **k nearest neighbours**: $C_{ij} = 1$ if $x_j$ is among the k nearest points of $x_i$, and
#   $A = (C + C^\top)/2$ to make it symmetric.
#
# Below, the graph on the moons with γ = 30, drawn as segments, darker for heavier edges; and
# the affinity matrix (相似度矩阵) A as an image, the points sorted by true moon (then left to
# right).

# %%
print(f"gamma = 30: the weight halves at distance {np.sqrt(np.log(2) / 30):.2f}")
A_moons = spectral.affinity_matrix(moons, "rbf", gamma=30.0)
fig, axes = plt.subplots(1, 2, figsize=(10, 4.4))
figures.spectral.plot_affinity_graph(moons, A_moons, ax=axes[0], labels=moon_truth)
axes[0].set_title("affinity graph, gamma = 30")
by_moon_then_x = np.lexsort((moons[:, 0], moon_truth))
figures.spectral.plot_affinity_matrix(A_moons, order=by_moon_then_x, ax=axes[1])
axes[1].set_title("A, points sorted by moon, then by x")
plt.show()

# %% slideshow={"slide_type": "subslide"}
same_moon = moon_truth[:, None] == moon_truth[None, :]
within = A_moons[same_moon & ~np.eye(len(moons), dtype=bool)].mean()
across = A_moons[~same_moon].mean()
print(f"mean weight within a moon {within:.4f}, between the moons {across:.6f}")
assert across < 0.01 * within

# %% [markdown] slideshow={"slide_type": "fragment"}
# Each moon is a bright band along the diagonal (neighbours along the curve), and the blocks
# between the moons are almost black: their mean weight is less than 1 % of the mean weight
# inside a moon. Our `affinity_matrix` is the one scikit-learn's `SpectralClustering` builds
# internally (`rbf_kernel`, and `kneighbors_graph(..., include_self=True)` symmetrised); the
# unit tests check both.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Step 2: the graph Laplacian and its eigenvalues
#
# With the degrees $d_i = \sum_j A_{ij}$ on the diagonal of D, the normalised Laplacian is
#
# $$L_{sym} = I - D^{-1/2} A D^{-1/2}.$$
#
# For any vector f, $f^\top L f = \tfrac12\sum_{ij} A_{ij}(f_i - f_j)^2$ (for $L = D - A$; the
# normalised form weighs by degrees): it is small when f hardly changes across heavy edges.
# So a graph made of K separate pieces has K eigenvalues exactly 0 (f constant on each piece),
# and K groups joined by a few light edges have K eigenvalues **near** 0, then a jump. Check the
# identity on the moons' graph:

# %%
L_plain = spectral.laplacian(A_moons, normed=False)
f = np.random.default_rng(SEED).normal(size=len(moons))
A_no_loops = A_moons - np.diag(np.diag(A_moons))   # self-loops do not count
quadratic, pairs = f @ L_plain @ f, 0.5 * np.sum(A_no_loops * (f[:, None] - f[None, :]) ** 2)
assert np.isclose(quadratic, pairs)
print(f"f^T L f = {quadratic:.4f},  1/2 sum A_ij (f_i - f_j)^2 = {pairs:.4f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **The eigengap rule**, the one every figure and slider of this lesson uses
# (`spectral.eigengap`): number the eigenvalues from the smallest, $\lambda_1 \le \lambda_2 \le
# \dots$, and take for K the number of eigenvalues before the largest jump
# $\lambda_{K+1} - \lambda_K$ among the ten smallest (values within $10^{-10}$ of 0 count as 0:
# that is the eigen-solver's rounding). First on four compact blobs:

# %%
blobs, blob_truth = datasets.make_blobs_2d(n_samples=200, n_clusters=4, random_state=SEED)
A_blobs = spectral.affinity_matrix(blobs, "rbf", gamma=1.0)
eigenvalues_blobs = spectral.spectral_embedding(A_blobs, 10, return_eigenvalues=True).eigenvalues
print("smallest eigenvalues:", np.round(np.abs(eigenvalues_blobs[:6]), 3))  # abs: no "-0."
print("eigengap: K =", spectral.eigengap(eigenvalues_blobs))
assert spectral.eigengap(eigenvalues_blobs) == 4 and eigenvalues_blobs[3] < 0.1 < eigenvalues_blobs[4]
fig, axes = plt.subplots(1, 2, figsize=(10, 3.9))
plot_clusters(blobs, blob_truth, ax=axes[0], s=12, title="four blobs")
figures.spectral.plot_eigenvalues(eigenvalues_blobs, ax=axes[1])
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# Four eigenvalues near 0 (below 0.1), then a large jump: the eigengap says K = 4.

# %% [markdown] slideshow={"slide_type": "subslide"}
# The same rule on the moons' graph (γ = 30):

# %%
eigenvalues_moons = spectral.spectral_embedding(A_moons, 10, return_eigenvalues=True).eigenvalues
ratios = eigenvalues_moons[2:] / eigenvalues_moons[1:-1]          # lambda_{k+1} / lambda_k, k >= 2
print("smallest eigenvalues:", np.round(np.abs(eigenvalues_moons[:6]), 4))
print(f"eigengap: K = {spectral.eigengap(eigenvalues_moons)}; "
      f"lambda_3 / lambda_2 = {ratios[0]:.1f}, the next largest ratio {np.sort(ratios)[-2]:.1f}")
assert spectral.eigengap(eigenvalues_moons) == 8 and np.argmax(ratios) == 0
ax = figures.spectral.plot_eigenvalues(eigenvalues_moons)
ax.set_title("moons, rbf graph with gamma = 30")
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# Here the message is murkier: $\lambda_2$ is tiny (two loosely joined pieces), but a noisy moon
# is also "almost cut" at a few thin places, so more small eigenvalues follow, and the largest
# jump among the first ten comes after $\lambda_8$: the rule says K = 8. The eigengap is a guide,
# not a law: here the jump from $\lambda_2$ to $\lambda_3$ is the largest *relative* to the
# eigenvalue before it (a factor above 10).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Step 3: the spectral embedding
#
# Take the eigenvectors $x_1, \dots, x_K$ of the K smallest eigenvalues
# $\lambda_1, \dots, \lambda_K$ of $L_{sym}$ and rescale them, $u_k = D^{-1/2} x_k$. Point i
# gets the K coordinates $(u_1[i], \dots, u_K[i])$. Here the moons in coordinates $u_2, u_3$,
# coloured by the true moon ($u_1$ is left out: see below).

# %%
embedding_moons = spectral.spectral_embedding(A_moons, 3)
_ = figures.spectral.plot_embedding(embedding_moons, moon_truth)
plt.show()
u_1, u_2 = embedding_moons[:, 0], embedding_moons[:, 1]
constant = np.ptp(u_1) < 1e-6 * np.abs(u_1).max()
print(f"u_1 constant (to 1e-6 of its size): {constant}; u_2 on moon 0 >= "
      f"{u_2[moon_truth == 0].min():.4f}, on moon 1 <= {u_2[moon_truth == 1].max():.4f}")
assert constant and u_2[moon_truth == 0].min() > u_2[moon_truth == 1].max()

# %% [markdown] slideshow={"slide_type": "fragment"}
# The first coordinate $u_1$ is constant (it carries no information on a connected graph); the
# next ones are nearly constant on each group and differ between groups. The moons become two
# separate strokes: the single threshold on $u_2$ printed above cuts them apart.
#
# This is the source: a symmetric eigen-solver, the rescaling, and a sign convention (each
# eigenvector's sign is arbitrary; we make its largest entry positive, as scikit-learn does).

# %% slideshow={"slide_type": "subslide"}
show_source(spectral.spectral_embedding)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Step 4: K-Means in the embedding
#
# `spectral.SpectralClustering` chains the steps: affinity → embedding with K columns → K-Means
# (scikit-learn's, `n_init=10`). Against scikit-learn's `SpectralClustering` with the same
# parameters, and against the truth:

# %%
for name, X, truth, params in [("moons", moons, moon_truth, dict(affinity="rbf", gamma=30.0)),
                               ("circles", circles, circle_truth,
                                dict(affinity="nearest_neighbors", n_neighbors=15))]:
    ours = spectral.SpectralClustering(2, random_state=SEED, **params).fit_predict(X)
    theirs = SklearnSpectralClustering(n_clusters=2, random_state=SEED, **params).fit_predict(X)
    print(f"{name:8s} ARI(ours, scikit-learn) = {adjusted_rand_score(ours, theirs):.3f}   "
          f"ARI(ours, truth) = {adjusted_rand_score(ours, truth):.3f}")
    assert adjusted_rand_score(ours, theirs) == adjusted_rand_score(ours, truth) == 1.0

# %% [markdown] slideshow={"slide_type": "fragment"}
# The same clusters as scikit-learn, and both recover the moons and the rings exactly.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The whole method, with sliders
#
# One figure per setting, the four steps: (1) the graph, whose title counts its pieces (the
# eigenvalues that are exactly 0); (2) the ten smallest eigenvalues and the eigengap, by the
# rule above; (3) the embedding and (4) the result on the plane, both coloured after the true
# groups. Here the circles with the 10-nearest-neighbour graph.

# %%
_ = figures.spectral.draw_spectral_pipeline("circles", affinity="nearest_neighbors", n_neighbors=10,
                                           random_state=SEED)
plt.show()

# %%
run = figures.spectral.spectral_pipeline("circles", affinity="nearest_neighbors", n_neighbors=10,
                                         random_state=SEED)
u_2 = run.embedding[:, 1]
print(f"pieces: {run.n_pieces}, eigenvalues: {np.round(np.abs(run.eigenvalues[:3]), 4)}, "
      f"ARI: {run.ari:.2f}")
assert run.n_pieces == 2 and run.ari == 1.0
assert max(u_2[run.y == 0].min(), u_2[run.y == 1].min()) > min(u_2[run.y == 0].max(), u_2[run.y == 1].max())

# %% [markdown] slideshow={"slide_type": "fragment"}
# The graph falls into 2 pieces, so the first two eigenvalues are exactly 0, and the embedding
# puts each ring at its own value of $u_2$ (their ranges do not overlap): K-Means cannot miss.

# %% [markdown] slideshow={"slide_type": "subslide"}
# What do the graph's parameters do? Before you move the sliders, the moons at a few settings
# near the ends of their ranges: the pieces (eigenvalues exactly 0), the eigenvalues below
# 0.001, the eigengap's K and the ARI of the result with K = 2.

# %%
settings = {f"gamma = {gamma:g}": dict(gamma=gamma) for gamma in (0.1, 30.0, 1000.0)}
settings.update({f"k = {k}": dict(affinity="nearest_neighbors", n_neighbors=k) for k in (2, 10, 60)})
runs = {label: figures.spectral.spectral_pipeline("moons", random_state=SEED, **setting)
        for label, setting in settings.items()}
for label, run in runs.items():
    pieces = f"{'>=' if run.n_pieces == len(run.eigenvalues) else ''}{run.n_pieces}"
    print(f"{label:13s} pieces {pieces:>4s}, below 0.001: {np.sum(run.eigenvalues < 1e-3):2d}, "
          f"eigengap K {run.eigengap_k:2d}, ARI {run.ari:.2f}")
assert runs["gamma = 0.1"].ari < 0.5 and runs["gamma = 30"].ari == 1.0
assert np.all(runs["gamma = 1000"].eigenvalues < 1e-3) and runs["gamma = 1000"].eigengap_k > 2
assert runs["k = 2"].n_pieces >= 10 and runs["k = 2"].ari < 0.1 and runs["k = 60"].ari < runs["k = 10"].ari < 1

# %% [markdown] slideshow={"slide_type": "fragment"}
# With the RBF graph, a small γ links everything to everything: the clusters blur, back to
# K-Means-like cuts (ARI below 0.5). A very large γ keeps only the nearest pairs: all ten
# smallest eigenvalues fall below 0.001, the graph is nearly in pieces and the eigengap's K means
# nothing (here K = 2 still finds the moons). With k neighbours, k = 2 shatters the graph into at
# least ten pieces (ARI near 0), and a large k bridges the moons (ARI lower at k = 60 than at
# k = 10).

# %% [markdown] slideshow={"slide_type": "subslide"}
# Move the sliders and find the range where the result is right. γ moves on a log scale (0.1 to
# 1000); the control the chosen graph does not use is greyed out, and its tooltip says why.

# %% tags=["nbval-ignore-output"]
interactive_figure(figures.spectral.draw_spectral_pipeline,
                   rules=figures.spectral.spectral_pipeline_controls,
                   name=dropdown(["moons", "circles", "blobs", "anisotropic"], "moons",
                                 description="data"),
                   affinity=dropdown(["rbf", "nearest_neighbors"], "rbf", description="graph"),
                   gamma=log_slider(0.1, 1000, 30.0, description="gamma (rbf)"),
                   n_neighbors=int_slider(1, 60, 10, description="k (neighbours)"),
                   n_clusters=int_slider(1, 8, 2, description="K"),
                   random_state=fixed(SEED))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Segmenting an image
#
# Pixels are points too, and clustering them is image segmentation (图像分割). As in
# scikit-learn's coin example: link each pixel of the (smoothed, downsampled) coins photo to its
# 4 neighbours, with a weight $\exp(-\beta\, g/\sigma_g)$ that falls when the intensity step g
# across the edge is large; then ask for 26 clusters. Each region has the same colour in both
# panels.

# %%
coins = figures.spectral.coins_image(scale=0.15)
print("pixels:", coins.shape, "=", coins.size, "nodes")
coin_regions = figures.spectral.plot_image_segmentation(coins, n_clusters=26, beta=10.0,
                                                        random_state=SEED)
plt.show()

# %%
sizes = np.bincount(coin_regions.ravel())
background = np.argmax(sizes)
bright = coins > threshold_otsu(coins)                  # coin pixels, by Otsu's threshold
on_coins = [r for r in range(len(sizes)) if r != background and bright[coin_regions == r].mean() >= 0.8]
print(f"largest region: {sizes[background] / coins.size:.0%} of the pixels, "
      f"{1 - bright[coin_regions == background].mean():.0%} of them dark; "
      f"{len(on_coins)} of the other {len(sizes) - 1} regions lie on coins (80 % bright or more)")
assert sizes[background] / coins.size > 0.5 and bright[coin_regions == background].mean() < 0.2
assert len(on_coins) >= 20

# %% [markdown] slideshow={"slide_type": "fragment"}
# The largest region is the background: 68 % of the pixels, mostly dark (83 %). Almost every
# other region lies on a coin (23 of 25). A coin whose edge is faint at this resolution can still fall into
# the background or split in two: the picture shows where.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A note on cost
#
# The affinity matrix of n points has n² entries, and a dense eigen-solver takes O(n³) time.
# The sizes, dense, and the coins' graph, sparse (稀疏):

# %%
print(f"dense affinity matrix, 8 n^2 bytes: 300 points {8 * 300 ** 2 / 1e6:.2f} MB, "
      f"30 000 points {8 * 30_000 ** 2 / 1e9:.1f} GB")
A_coins = spectral.image_affinity(coins, beta=10.0)
print(f"coins: {A_coins.shape[0]} nodes, {A_coins.nnz} stored weights "
      f"({A_coins.nnz / A_coins.shape[0] ** 2:.2%} of the dense matrix, "
      f"{A_coins.nnz / A_coins.shape[0]:.1f} per node)")
assert A_coins.nnz < 4 * A_coins.shape[0]


# %% [markdown] slideshow={"slide_type": "fragment"}
# Dense, 300 points cost 0.72 MB and 30 000 points 7.2 GB. Practical spectral clustering therefore
# uses a **sparse** graph (k nearest neighbours, or pixel grids) and an iterative solver
# (ARPACK, LOBPCG, AMG) that computes only the K eigenvectors needed; beyond that, the Nyström
# method samples the matrix. Our coin segmentation's graph has fewer than 4 weights per pixel
# node, and ARPACK found its few smallest eigenvectors.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Each exercise asks for one function: write it in its cell, run that cell, then run the check
# below it. The check says "Correct", or what is wrong and on which test case. Stuck?
# `hint_rbf_affinity()` gives a nudge, `hint_rbf_affinity(2)` a stronger hint and
# `solution_rbf_affinity()` shows a solution (each exercise has its own three, named after it).
# Try before you ask: the checks' messages are written to help.

# %%
from lessons_src.exercises.spectral import (
    check_eigengap_k, check_rbf_affinity, check_zero_eigenvector, hint_eigengap_k,
    hint_rbf_affinity, hint_zero_eigenvector, solution_eigengap_k, solution_rbf_affinity,
    solution_zero_eigenvector)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 1. The RBF affinity (warm-up)
#
# Write `rbf_affinity(X, gamma)`: the (n, n) matrix $\exp(-\gamma\,\|x_i - x_j\|^2)$.

# %% nbgrader={"grade": false, "grade_id": "04_rbf_affinity", "locked": false, "schema_version": 3, "solution": true, "task": false}
def rbf_affinity(X, gamma):
    ### BEGIN SOLUTION
    squared = ((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=2)
    return np.exp(-gamma * squared)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "04_rbf_affinity_check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
### BEGIN HIDDEN TESTS
assert check_rbf_affinity(rbf_affinity), repr(check_rbf_affinity(rbf_affinity))
### END HIDDEN TESTS
check_rbf_affinity(rbf_affinity)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 2. The eigengap
#
# Write `eigengap_k(eigenvalues)`: sort the eigenvalues and return K, the number of them below the
# largest gap between consecutive ones.

# %% nbgrader={"grade": false, "grade_id": "04_eigengap_k", "locked": false, "schema_version": 3, "solution": true, "task": false}
def eigengap_k(eigenvalues):
    ### BEGIN SOLUTION
    return int(np.argmax(np.diff(np.sort(eigenvalues)))) + 1
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "04_eigengap_k_check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
### BEGIN HIDDEN TESTS
assert check_eigengap_k(eigengap_k), repr(check_eigengap_k(eigengap_k))
### END HIDDEN TESTS
check_eigengap_k(eigengap_k)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 3. The eigenvector of the eigenvalue 0 (derive)
#
# Step 3 says that the first coordinate of the embedding, $u = D^{-1/2} x$, is constant on a
# connected graph. So what is the eigenvector $x$ of $L_{sym}$ for the eigenvalue 0 itself? Derive
# it, and write `zero_eigenvector(A)` returning it as a vector of length 1, with no eigen-solver:
# only the degrees. `A` is symmetric and non-negative, its graph is connected, and, as in
# `spectral.laplacian`, its diagonal (self-loops) does not count in the degrees. The sign is free.

# %% nbgrader={"grade": false, "grade_id": "04_zero_eigenvector", "locked": false, "schema_version": 3, "solution": true, "task": false}
def zero_eigenvector(A):
    ### BEGIN SOLUTION
    # L_sym D^(1/2) 1 = D^(1/2) 1 - D^(-1/2) A 1 = D^(1/2) 1 - D^(-1/2) d = 0.
    degrees = A.sum(axis=1) - np.diag(A)          # self-loops left out
    vector = np.sqrt(degrees)
    return vector / np.linalg.norm(vector)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "04_zero_eigenvector_check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
### BEGIN HIDDEN TESTS
assert check_zero_eigenvector(zero_eigenvector), repr(check_zero_eigenvector(zero_eigenvector))
### END HIDDEN TESTS
check_zero_eigenvector(zero_eigenvector)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - Spectral clustering = affinity graph → Laplacian → the eigenvectors of its K smallest
#   eigenvalues as new coordinates → K-Means there.
# - It finds clusters defined by connectedness (rings, moons) where K-Means cannot.
# - The eigengap of the Laplacian suggests K; it is clear for compact groups, murkier otherwise.
# - The graph's parameters (γ, k) matter most: too local shatters the graph, too global blurs it.
# - Cost: n² affinities and an eigen-problem; sparse graphs and iterative solvers make it
#   practical (images are naturally sparse graphs).

# %% [markdown]
# ---
# Previous: [03 · Hierarchical clustering](03_hierarchical_clustering.ipynb) ·
# Next: [05 · Evaluation metrics](05_evaluation_metrics.ipynb)
