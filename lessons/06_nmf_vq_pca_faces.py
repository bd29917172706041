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
# # 06 · NMF, VQ and PCA on faces (人脸上的 NMF、VQ 与 PCA)
#
# Lee and Seung (Nature 1999) factorised 2429 face images three ways and drew the result as
# one famous figure: **vector quantization (VQ, 矢量量化)** learns whole-face prototypes,
# **principal component analysis (PCA, 主成分分析)** learns signed **eigenfaces (特征脸)**, and
# **non-negative matrix factorization (NMF, 非负矩阵分解)** learns *parts*: eyes, noses, mouths.
# This lesson rebuilds that figure on their own data and asks why.
#
# **In this lesson you will**
#
# - draw V ≈ WH: one face as a weighted sum of **basis images (基图像)**;
# - reproduce Fig. 1 (r = 49) and compare the three encodings of one face (one-hot, dense and
#   signed, **sparse (稀疏)** and non-negative);
# - see where parts stop being local (ORL faces);
# - use `sklearn.decomposition.NMF`, compare its five initialisations, and meet the zero lock
#   of the **multiplicative updates (乘法更新)**.

# %%
from lessons_src.preamble import *
from ipywidgets import fixed
from sklearn.decomposition import NMF as SklearnNMF
from lessons_src import datasets, figures, nmf, plotting
from lessons_src.teaching import show_source
from lessons_src.widgets import interactive_figure, int_slider

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The data: CBCL faces, preprocessed as in the paper
#
# 2429 faces of 19 × 19 pixels (MIT CBCL). Lee and Seung scaled each image so that its pixel mean
# and standard deviation are both 0.25, then clipped to [0, 1]: every face gets the same
# brightness and contrast, and stays non-negative. Look at how the preprocessing evens out the
# lighting.

# %%
raw = datasets.load_cbcl_faces()[:8]
X, image_shape = datasets.load_face_matrix("cbcl")
unclipped = 0.25 + 0.25 * (raw.reshape(8, -1) - raw.reshape(8, -1).mean(1, keepdims=True)) \
    / raw.reshape(8, -1).std(1, keepdims=True)
print(f"X: {X.shape} (one face per row), values in [{X.min():.1f}, {X.max():.1f}]")
print(f"before clipping: mean {unclipped.mean(1).mean():.3f}, std {unclipped.std(1).mean():.3f}; "
      f"after: {100 * np.mean((X == 0) | (X == 1)):.1f}% of pixels clipped")
# Same grey scale for all (0 black, 1 white): the raw faces differ in brightness and contrast.
_ = plotting.show_images(np.r_[raw / 255, X[:8].reshape(8, *image_shape)], n_cols=8, size=1.0,
                vmin=0, vmax=1, titles=["raw"] * 8 + ["preprocessed"] * 8)
plt.show()

# %% slideshow={"slide_type": "subslide"}
show_source(nmf.lee_seung_preprocess)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## V ≈ WH: a face is a weighted sum of basis images
#
# In the lecture's notation V (n × m) holds one image per **column**: n = 361 pixels, m = 2429
# faces. NMF finds W (n × r) and H (r × m), both ≥ 0, with
#
# $$V_{:,j} \approx \sum_{k=1}^{r} W_{:,k}\, H_{k,j} = W H_{:,j}.$$
#
# W is the **basis matrix (基矩阵)**: its columns are the basis images. H is the
# **coefficient matrix (系数矩阵)**: column j is the **encoding** (编码) of face j, the weights.
# scikit-learn (and our `NMF`) store the same thing transposed: X = Vᵀ has one face per *row*,
# `fit_transform` returns the encodings (m × r, the lecture's Hᵀ) and `components_` holds the
# basis images as rows (r × n, the lecture's Wᵀ). We fit all three methods with r = 49 once
# (cached for the rest of the lesson).

# %%
fits = figures.nmf_faces.fit_vq_pca_nmf("cbcl", n_components=49, random_state=SEED)
basis, encodings = fits["NMF"]["basis"], fits["NMF"]["encodings"]
print("basis images (components_):", basis.shape, " encodings:", encodings.shape)
V, W, H = X.T, basis.T, encodings.T           # the lecture's orientation
print("lecture: V", V.shape, "≈ W", W.shape, "@ H", H.shape)
print(f"½‖V − WH‖² = {nmf.euclidean_loss(V, W, H):.1f}  (the same in either orientation: "
      f"{nmf.euclidean_loss(X, encodings, basis):.1f})")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Here is face 3 written as that sum: its five largest terms h_k · w_k, and the full sum over
# all 49. Each term is a *part* of a face, and the parts only add up (W and H hold no negative
# number, so no term can cancel another).

# %%
face = 3
_ = figures.nmf_faces.plot_weighted_sum(basis, encodings[face], X[face], image_shape, n_terms=5)
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# > **Erratum (slides).** One sentence of the slides says NMF combines the "basis images H". The
# > basis images are the columns of **W**; H holds the weights. The shapes say it: W has one
# > 361-pixel column per basis image, H one 49-number column per face.

# %%
assert W.shape == (19 * 19, 49) and H.shape == (49, len(X))
assert np.allclose(W @ H[:, face], encodings[face] @ basis)   # face 3 = W times its weights
print("W's columns are 19 x 19 images; H's columns are the 49 weights of each face.")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Lee and Seung's Fig. 1: VQ, PCA and NMF with r = 49
#
# The three methods solve the same V ≈ WH with different constraints:
#
# - **VQ** (**K-Means (K均值)**): each column of H is **one-hot** (a single 1): a face is replaced
#   by its nearest prototype, so the basis images are whole faces (原型脸);
# - **PCA**: W's columns orthonormal, H's rows orthogonal, signs free: the basis images are
#   eigenfaces, drawn here in red (positive) and blue (negative) around white 0;
# - **NMF**: W, H ≥ 0, nothing else: only additive combinations, and the basis images come out
#   as **localised parts** (局部特征).
#
# (Our PCA is the SVD of X itself: its basis images are the right singular vectors of the 49
# largest **singular values (奇异值)**. The mean face is not subtracted, so that X ≈ WH holds with
# no extra term as in the paper; the first eigenface is then close to the mean face.) Look at the
# right panel: eyebrows, eyes, noses, mouths, cheeks.

# %%
_ = figures.nmf_faces.plot_basis_montages(fits)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# The same face under each method: its encoding h (one cell per basis image, in the montage's
# order) and its reconstruction W h. First count how many basis images each method really uses
# for this face (|h| above 1% of its largest):

# %%
used_by_face = {method: int(figures.nmf_faces.basis_images_used(fits[method]["encodings"][face])[0])
                for method in ("VQ", "PCA", "NMF")}
print(f"basis images face {face} uses:", used_by_face)
assert used_by_face["VQ"] == 1 and used_by_face["NMF"] < used_by_face["PCA"] > 0.8 * 49
assert fits["NMF"]["encodings"][face].min() >= 0 > fits["PCA"]["encodings"][face].min()

# %%
_ = figures.nmf_faces.plot_face_encodings(fits, face_index=face)
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# VQ uses one prototype, PCA nearly all 49 with both signs, NMF fewer, all non-negative.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## How sparse? (稀疏性)
#
# Count the (near-)zero entries (below 0.1% of the largest) of the basis images and of the
# encodings, and, for every face, the basis images it really uses (|h| above 1% of its largest):

# %%
used = {}
for method in ("VQ", "PCA", "NMF"):
    enc = fits[method]["encodings"]
    used[method] = figures.nmf_faces.basis_images_used(enc)
    print(f"{method:4s} basis: {nmf.sparsity(fits[method]['basis'], 1e-3):5.1%} zeros   "
          f"encodings: {np.mean([nmf.sparsity(h, 1e-3) for h in enc]):5.1%} zeros   "
          f"negative entries: {np.mean(enc < 0):5.1%}   median used: {np.median(used[method]):.0f}")
assert nmf.sparsity(fits["NMF"]["basis"], 1e-3) > 0.5 > 0.05 > nmf.sparsity(fits["PCA"]["basis"], 1e-3)
assert 0.05 < np.mean([nmf.sparsity(h, 1e-3) for h in fits["NMF"]["encodings"]]) < 0.95
assert np.all(used["VQ"] == 1) and np.median(used["NMF"]) < np.median(used["PCA"]) > 49 / 2

# %%
_ = figures.nmf_faces.plot_sparsity(fits)
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# NMF's basis images are mostly zero (parts are small) and its encodings partly zero; PCA is
# dense; VQ's encodings are all zero but one. A face uses fewer NMF basis images than PCA ones,
# and PCA uses most of the 49.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Sliders: the number of basis images r and the face shown
#
# r = side², so the basis stays a square montage. What does r do to the parts? First the fits
# for every r the slider offers, 4 to 49 (they are cached, so every position of the slider
# redraws at once), and the slider's two ends compared. The slider starts at r = 49, face 3.

# %%
fits_by_side = {side: figures.nmf_faces.fit_vq_pca_nmf("cbcl", n_components=side ** 2,
                                                        random_state=SEED) for side in range(2, 8)}
assert fits_by_side[7] is fits                    # r = 49: the fit above, from the cache
zeros_small, zeros_large = (nmf.sparsity(fits_by_side[side]["NMF"]["basis"], 1e-3) for side in (2, 7))
print(f"NMF basis images: {zeros_small:.1%} zeros with r = 4, {zeros_large:.1%} with r = 49")
assert zeros_small < zeros_large

# %% [markdown] slideshow={"slide_type": "fragment"}
# With few basis images NMF has to use larger, more face-like parts (fewer zero pixels); with
# more, they shrink to eyes and mouths. Move the slider and watch it happen.

# %% tags=["nbval-ignore-output"]
interactive_figure(figures.nmf_faces.draw_decompositions,
                   side=int_slider(2, 7, 7, description="√r (side)"),
                   face_index=int_slider(0, len(X) - 1, 3, description="face"),
                   random_state=fixed(SEED))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The same on ORL faces: parts are less local (one of NMF's limits)
#
# The slides list NMF's limits (NMF 的缺点; lesson 07 ends with all of them); the first is that it
# does not learn parts from every database. ORL photos (40 people × 10, here averaged to
# 56 × 46) are not cropped and aligned as tightly as CBCL's: hair, shoulders and background vary,
# and heads turn. The same three methods with r = 49:

# %%
fits_orl = figures.nmf_faces.fit_vq_pca_nmf("orl", n_components=49, max_iter=100,
                                            random_state=SEED)
_ = figures.nmf_faces.plot_basis_montages(fits_orl)
plt.show()
for name, f in (("CBCL", fits), ("ORL", fits_orl)):
    print(f"{name}: NMF basis {nmf.sparsity(f['NMF']['basis'], 1e-3):5.1%} zeros, "
          f"PCA basis {nmf.sparsity(f['PCA']['basis'], 1e-3):5.1%} zeros")
assert (nmf.sparsity(fits["NMF"]["basis"], 1e-3) > nmf.sparsity(fits_orl["NMF"]["basis"], 1e-3)
        > nmf.sparsity(fits_orl["PCA"]["basis"], 1e-3))

# %% [markdown] slideshow={"slide_type": "fragment"}
# NMF's basis images are still non-negative and sparser than the eigenfaces, but less sparse
# than on CBCL, and many of them are whole-face "ghosts" or outlines rather than eyes and mouths.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## NMF in scikit-learn (`sklearn.decomposition.NMF`)
#
# The API: `NMF(n_components, init, solver, beta_loss, max_iter, tol, random_state, ...)`.
# **From here on the orientation is scikit-learn's**: X has one face per row and X ≈ W H, so
# scikit-learn's **W holds the encodings** (`fit_transform(X)`, faces × r: the lecture's Hᵀ) and
# its **H = `components_` the basis images** (r × pixels: the lecture's Wᵀ); `inverse_transform`
# gives W H back. `solver='mu'` is Lee and Seung's multiplicative updates (the default, `'cd'`,
# is coordinate descent); `beta_loss='frobenius'` is ½‖X − WH‖², `'kullback-leibler'` the KL
# divergence of lesson 07. Our from-scratch `NMF` has the same orientation. From the same
# initialisation, does it run the same iterates? Here on 500 faces:

# %%
X500, _ = datasets.load_face_matrix("cbcl", n_faces=500, random_state=SEED)
sk = SklearnNMF(n_components=49, init="nndsvda", solver="mu", beta_loss="frobenius",
                max_iter=100, tol=0, random_state=SEED)
W_sk = sk.fit_transform(X500)
ours = nmf.NMF(49, loss="euclidean", init="nndsvda", max_iter=100, tol=0, random_state=SEED)
W_ours = ours.fit_transform(X500)
assert np.allclose(W_ours, W_sk, rtol=1e-6, atol=1e-9)     # the same iterates
print(f"scikit-learn: ½‖X − WH‖² = {nmf.euclidean_loss(X500, W_sk, sk.components_):.2f}")
print(f"ours:         ½‖X − WH‖² = {nmf.euclidean_loss(X500, W_ours, ours.components_):.2f}"
      f"  ({ours.n_iter_} iterations, last loss_history_ value {ours.loss_history_[-1]:.2f})")
print("the same encodings to 1e-6:", np.allclose(W_ours, W_sk, rtol=1e-6, atol=1e-9))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The five initialisations (初始化方法)
#
# `init` is one of:
#
# | init | what it does |
# |---|---|
# | `'random'` | \|N(0,1)\| entries scaled by √(mean(X) / r) |
# | `'nndsvd'` | non-negative double SVD (Boutsidis and Gallopoulos 2008): from each singular pair keep its larger non-negative part; many exact zeros (good for sparseness) |
# | `'nndsvda'` | nndsvd with the zeros filled with mean(X) (when sparsity is not wanted) |
# | `'nndsvdar'` | nndsvd with the zeros filled with small random values |
# | `'custom'` | your own W and H (`fit_transform(X, W=..., H=...)`); below: K-Means centres as the basis |
#
# Our `nmf.initialize` computes the first four as scikit-learn does (the unit tests compare them
# bit for bit; the nndsvda start above gave the same iterates). Its source is the next sub-slide.

# %% slideshow={"slide_type": "subslide"}
show_source(nmf.initialize)

# %% [markdown] slideshow={"slide_type": "subslide"}
# All five below run the same 100 multiplicative (Euclidean) steps; only the start differs.
# Zeros are counted in scikit-learn's W (the encodings) and H (the basis images).

# %%
results = figures.nmf_faces.compare_inits(X500, n_components=49, max_iter=100, random_state=SEED)
print(f"{'init':9s} {'start loss':>11s} {'after 1':>9s} {'final loss':>11s} "
      f"{'zeros in W (encodings)':>23s} {'zeros in H (basis)':>19s}")
for name, res in results.items():
    print(f"{name:9s} {res['history'][0]:11.1f} {res['history'][1]:9.1f} {res['loss']:11.1f} "
          f"{res['sparsity_W']:23.1%} {res['sparsity_H']:19.1%}")

# %%
start_loss = {name: res["history"][0] for name, res in results.items()}
final_loss = {name: res["loss"] for name, res in results.items()}
assert max(start_loss, key=start_loss.get) == "nndsvda" and min(start_loss, key=start_loss.get) == "nndsvd"
assert results["nndsvda"]["history"][1] < results["random"]["history"][1]
assert max(final_loss, key=final_loss.get) == "nndsvd" and final_loss["nndsvda"] < final_loss["nndsvd"]
_ = figures.nmf_faces.plot_init_comparison(results)
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# Read the curves: nndsvda starts worst (each filled zero adds mean(X)² to many products of WH),
# yet after one step it is already below random's loss after one step, because all its entries
# are free to move, and it ends far below nndsvd, which starts best and ends worst of the five.

# %% [markdown] slideshow={"slide_type": "skip"}
# Time of each run (initialisation plus 100 steps; it depends on the machine, so this cell's
# output is not compared by the tests).

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
for name, res in results.items():
    print(f"{name:9s} {res['seconds']:.2f} s")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The zero lock (零锁定) of multiplicative updates
#
# A multiplicative rule multiplies each entry by a ratio: w ← w · (something). An entry that is
# **exactly 0 stays 0 for ever**, whatever the gradient says. nndsvd starts with many exact
# zeros. Count them at the start and after the 100 steps, and count the locked zeros at which the
# loss would still go *down* if the entry could grow (∂D/∂w < 0 at w = 0):

# %%
report = figures.nmf_faces.zero_lock_report(results["nndsvd"], X500)
print(f"nndsvd: {report['zeros_start']} zeros at the start, {report['zeros_end']} at the end, "
      f"{report['still_zero']} of the first still exactly 0, {report['new_zeros']} new")
print(f"locked zeros where the loss still descends: {report['locked_descent']}")
assert report["still_zero"] == report["zeros_start"] and report["locked_descent"] > 0
print(f"final loss: nndsvd {results['nndsvd']['loss']:.1f} vs nndsvda {results['nndsvda']['loss']:.1f}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# Every starting zero is still exactly 0: under `solver='mu'` nndsvd is locked into its starting
# sparsity pattern, which is why its loss curve (dashed) stalls above the others. The locked
# zeros with ∂D/∂w < 0 break the first-order (KKT) condition of a constrained minimum (a zero
# entry needs ∂D/∂w ≥ 0), so the run is **not heading for a stationary point**, however flat its
# loss curve looks. Lee and Seung proved that the loss never increases, not that the iterates
# reach a stationary point: lesson 07 comes back to this.

# %% [markdown] slideshow={"slide_type": "subslide"}
# The first 12 basis images of the nndsvd run (rows of scikit-learn's H), at the start and after
# 100 steps, and their zero pixels (white): the white masks are the same, as the count above said.

# %%
_ = figures.nmf_faces.plot_zero_lock(results, image_shape)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# **The slides' default vs today's.** The slides (an old scikit-learn) give `init='nndsvd'` as the
# default. Since scikit-learn 1.1 the default is `'nndsvda'`: filling the zeros with mean(X) frees
# them, so the multiplicative solver can move every entry, and it reached a lower loss in the same
# number of steps (checked above). Coordinate descent (`solver='cd'`) changes entries by adding to
# them: does it move nndsvd's zeros? The same start, 100 iterations:

# %%
W0, H0 = nmf.initialize(X500, 49, "nndsvd", random_state=SEED)
cd = SklearnNMF(n_components=49, init="custom", solver="cd", max_iter=100, tol=0)
W_cd = cd.fit_transform(X500, W=W0.copy(), H=H0.copy())
cd_loss = nmf.euclidean_loss(X500, W_cd, cd.components_)
unlocked = np.sum((W0 == 0) & (W_cd > 0)) + np.sum((H0 == 0) & (cd.components_ > 0))
print(f"solver='cd' from nndsvd: ½‖X − WH‖² = {cd_loss:.1f}; {unlocked} of "
      f"{report['zeros_start']} starting zeros moved")
assert unlocked > 0 and cd_loss < min(final_loss.values())

# %% [markdown] slideshow={"slide_type": "fragment"}
# It does: coordinate descent unlocks many of the zeros and reaches a lower loss than any
# multiplicative run above, so nndsvd is a fine start there.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Each exercise asks for one function: write it in its cell, run that cell, then run the check
# below it. The check says "Correct", or what is wrong and on which test case. Stuck?
# `hint_largest_terms()` gives a nudge, `hint_largest_terms(2)` a stronger hint and
# `solution_largest_terms()` shows a solution (each exercise has its own three, named after it).
# Try before you ask: the checks' messages are written to help.

# %%
from lessons_src.exercises.nmf_faces import (
    check_best_rank_error, check_largest_terms, hint_best_rank_error, hint_largest_terms,
    solution_best_rank_error, solution_largest_terms)

# %% [markdown]
# **1. A face from its largest parts (warm-up).** In the lecture's orientation (V ≈ WH, one face
# per column of V), write `largest_terms(W, H, j, n_terms)`: face j rebuilt from only the
# `n_terms` basis images with the largest weights in its encoding, each times its weight, as in
# the partial sums drawn under "V ≈ WH" above. It returns an image: a vector of n pixels.

# %% nbgrader={"grade": false, "grade_id": "06_largest_terms", "locked": false, "schema_version": 3, "solution": true, "task": false}
def largest_terms(W, H, j, n_terms):
    ### BEGIN SOLUTION
    weights = H[:, j]                             # face j's encoding: column j of H
    chosen = np.argsort(weights)[-n_terms:]       # the n_terms largest weights
    return W[:, chosen] @ weights[chosen]         # basis images (columns of W) times weights
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "06_largest_terms_check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
### BEGIN HIDDEN TESTS
assert check_largest_terms(largest_terms), repr(check_largest_terms(largest_terms))
### END HIDDEN TESTS
check_largest_terms(largest_terms)

# %% [markdown]
# **2. How low can any factorisation go? (derive a number)** NMF reached the ½‖V − WH‖² printed
# above with r = 49. No W (n × r) and H (r × m) at all, even with negative entries, can do better
# than the best rank-r approximation of V, and the SVD gives that one (the Eckart–Young theorem:
# PCA without centring, as in the figure). Write `best_rank_error(V, r)`: that smallest ½‖V −
# WH‖², from the singular values of V alone. When it passes, compare `best_rank_error(V, 49)` with
# NMF's loss: what share of NMF's error is the price of non-negativity?

# %% nbgrader={"grade": false, "grade_id": "06_best_rank_error", "locked": false, "schema_version": 3, "solution": true, "task": false}
def best_rank_error(V, r):
    ### BEGIN SOLUTION
    singular_values = np.linalg.svd(V, compute_uv=False)      # largest first
    return 0.5 * np.sum(singular_values[r:] ** 2)             # what the rank-r SVD drops
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "06_best_rank_error_check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
### BEGIN HIDDEN TESTS
assert check_best_rank_error(best_rank_error), repr(check_best_rank_error(best_rank_error))
### END HIDDEN TESTS
check_best_rank_error(best_rank_error)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - NMF writes each face as V ≈ WH with W, H ≥ 0: the **basis images are W's columns** (the
#   basis matrix), the encodings H's columns (the coefficient matrix); only additions are
#   allowed, so the basis images become parts. scikit-learn stores the transpose: its W holds
#   the encodings, its H (`components_`) the basis images.
# - VQ (one-hot H) gives whole-face prototypes; PCA (orthogonal, signed) gives dense eigenfaces;
#   NMF gives sparse, local parts, and sparse encodings.
# - Parts need aligned data: on ORL the basis images are less local.
# - `sklearn.decomposition.NMF`: five inits; under multiplicative updates nndsvd's zeros never move
#   (zero lock), which is one reason the default became `'nndsvda'`; the locked run does not even
#   head for a stationary point.
#
# Next, lesson 07 derives the update rules themselves.
#
# Previous: [05 · Evaluation metrics](05_evaluation_metrics.ipynb) ·
# Next: [07 · NMF update rules](07_nmf_update_rules.ipynb).
