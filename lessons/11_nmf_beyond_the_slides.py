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
# # 11 · NMF beyond the slides (课件之外的 NMF)
#
# The slides stop at Lee and Seung's two multiplicative rules and a list of NMF's limits. This
# lesson goes on: why the rules look the way they do, what people run instead today, and how
# two of the limits are overcome.
#
# **In this lesson you will**
#
# - meet the **β-divergence**, one family holding the Euclidean, KL and Itakura-Saito losses,
#   and read each loss as a noise model (maximum likelihood);
# - derive **one multiplicative rule for every β**, and see why scikit-learn raises it to a power;
# - race MU against **HALS**, the column-by-column solver that replaced it;
# - measure how part-like a basis is with **Hoyer's sparseness**, then impose it (**sparse NMF**);
# - make NMF's encodings respect a neighbour graph (**GNMF**) and cluster faces better.
#
# Previous: [10 · K-Means at scale](10_kmeans_at_scale.ipynb). The update rules of
# [07 · NMF update rules](07_nmf_update_rules.ipynb) are the starting point.

# %%
from lessons_src.preamble import *
from scipy import stats
from sklearn.decomposition import NMF as SklearnNMF
from lessons_src import datasets, figures, nmf
from lessons_src.teaching import show_source
from lessons_src.widgets import float_slider, interactive_figure

# %% [markdown]
# ## 1. One family of losses: the β-divergence (β 散度)
#
# Lesson 07 fitted V ≈ WH with two different losses. Both are members of one family, summed
# over the entries x = v_ij, y = [WH]_ij:
#
# $$d_\beta(x\,|\,y) = \frac{x^\beta + (\beta-1)\,y^\beta - \beta\,x\,y^{\beta-1}}{\beta(\beta-1)},
# \qquad \beta = 2:\ \tfrac12(x-y)^2,\quad \beta \to 1:\ x\ln\tfrac{x}{y} - x + y,\quad
# \beta \to 0:\ \tfrac{x}{y} - \ln\tfrac{x}{y} - 1 .$$
#
# β = 2 is the Euclidean loss, β = 1 the KL divergence, β = 0 the **Itakura-Saito** divergence
# (板仓-斋藤散度). Look at how each punishes a model value y below or above the data x = 1:

# %%
_ = figures.nmf_beyond.plot_beta_divergences()
plt.show()

# %% [markdown]
# The Euclidean loss is symmetric; the smaller β, the harder a y far *below* x is punished and the
# softer one above it. Scaling data and model by λ scales the loss by λ^β: big entries dominate
# a Euclidean fit, while IS (λ⁰ = 1) weighs every entry by its *relative* error.

# %%
x, y, lam, one = np.array([[2.0, 5.0]]), np.array([[3.0, 4.0]]), 10.0, np.ones((1, 1))
for beta in (2, 1, 0):
    ratio = nmf.beta_divergence(lam * x, one, lam * y, beta) / nmf.beta_divergence(x, one, y, beta)
    assert np.isclose(ratio, lam ** beta)
    print(f"β = {beta}: d(λx | λy) / d(x | y) = {ratio:.1f} = λ^{beta}")

# %% [markdown]
# ### Each loss is a noise model (最大似然, maximum likelihood)
#
# Suppose the data are the model plus noise, v ~ p(v | y) with y = [WH]_ij. The most likely
# W, H minimise −Σ log p(v_ij | [WH]_ij), and for three noise models that is a β-divergence
# plus terms that do not depend on the model:
#
# | noise (噪声) | p(v \| y) | −log p(v \| y) | loss |
# |---|---|---|---|
# | additive Gaussian (高斯), σ | v = y + N(0, σ²) | (v − y)²/(2σ²) + c(v) | β = 2, Euclidean |
# | Poisson counts (泊松) | v ~ Poisson(y) | y − v log y + log v! | β = 1, KL |
# | multiplicative gamma (伽马) | v = y · ε, ε ~ Gamma(α, 1/α) | α (v/y − log(v/y) − 1) + c(v) | β = 0, IS |
#
# A check with SciPy's densities: −log p(v | y) − d_β(v | y) is the same number for every y.

# %%
v = np.array([[3.0, 7.0, 12.0]])   # three observations (counts, for the Poisson case)
ys = np.linspace(1.0, 20.0, 40)    # model values to try
minus_log_likelihood = {
    2: lambda y: -stats.norm.logpdf(v, loc=y, scale=1.0).sum(),    # Gaussian, σ = 1
    1: lambda y: -stats.poisson.logpmf(v, y).sum(),                # Poisson
    0: lambda y: -stats.gamma.logpdf(v, a=1.0, scale=y).sum(),     # y · Exponential(1)
}
for beta, nll in minus_log_likelihood.items():
    gaps = [nll(y) - nmf.beta_divergence(v, one, np.full((1, 3), y), beta) for y in ys]
    assert np.ptp(gaps) < 1e-9
    print(f"β = {beta}: −log p − d_β is constant in y (spread < 1e-9): {np.ptp(gaps) < 1e-9}")

# %% [markdown]
# So the loss is a modelling choice. Euclidean suits noise of the same size everywhere; KL suits
# counts (words in documents, photons in a detector), whose spread grows like √mean; IS suits
# noise proportional to the signal, as in the power spectrogram of a sound. An experiment: one
# rank-3 truth (entries from 0.03 to 600), observed with each noise, fitted with each loss
# (300 steps of the rule of section 2), scored by how close WH comes to the truth.

# %%
table = figures.nmf_beyond.noise_model_table(n_iter=300, random_state=SEED)
assert 0.01 < table.truth.min() < 0.05 and 500 < table.truth.max() < 700
best = [table.betas[j] for j in table.error.argmin(axis=1)]
errors_gamma_noise = table.error[2]    # β = 2, 1, 0 on the gamma-noise data
assert best == [2, 1, 0] and errors_gamma_noise[0] > 2 * errors_gamma_noise[2]
print("best β for each noise:", dict(zip(table.noise_models, best)))
_ = figures.nmf_beyond.plot_noise_model_table(table)
plt.show()

# %% [markdown]
# Each noise is recovered best by its own loss (the diagonal). With gamma noise the Euclidean fit
# chases the largest noisy entries and is twice as far from the truth as the IS fit.
#
# ## 2. One multiplicative rule for every β (乘法更新)
#
# **1. Gradient.** With y = WH, the derivative of d_β in y is y^(β−1) − x y^(β−2), so
#
# $$\nabla_W D_\beta = \big[(WH)^{\beta-1}\big]H^\top - \big[(WH)^{\beta-2}\circ V\big]H^\top
#   = \nabla^+ - \nabla^-, \qquad \nabla^+, \nabla^- \ge 0 .$$
#
# **2. Lee and Seung's recipe.** Multiply by the ratio of the negative to the positive part:
# W ← W ∘ ∇⁻/∇⁺ (a gradient step with step w/∇⁺, as in lesson 07). At a fixed point ∇⁻ = ∇⁺,
# the gradient is 0. β = 2 gives (VHᵀ)/(WHHᵀ), β = 1 gives [(V/WH)Hᵀ]/(1Hᵀ): lesson 07's rules.
#
# **3. The exponent.** This "heuristic" rule is proven to descend for 0 < β < 1 (Févotte and
# Idier 2011) and 1 ≤ β ≤ 2 (Kompass 2007), not beyond. Févotte and Idier built a
# majorisation-minimisation (MM, 主化-极小化) step for every β: the same ratio raised to a power,
# γ(β) = 1/(2 − β) for β < 1, 1 for 1 ≤ β ≤ 2, 1/(β − 1) for β > 2. scikit-learn uses it.

# %%
show_source(nmf.update_beta)

# %% [markdown]
# The checks: at β = 2 and β = 1 it is lesson 07's rules, and for β = 0, 0.5 and 3 one step
# equals one iteration of scikit-learn's `NMF(solver='mu', beta_loss=β)` from the same start.

# %%
rng = np.random.default_rng(SEED)
Vs, Ws, Hs = rng.random((8, 6)) + 0.1, rng.random((8, 3)) + 0.1, rng.random((3, 6)) + 0.1
for beta, rule in ((2, nmf.update_euclidean), (1, nmf.update_kl)):
    ours, lesson_07 = nmf.update_beta(Vs, Ws, Hs, beta), rule(Vs, Ws, Hs)
    gap = max(np.abs(a - b).max() for a, b in zip(ours, lesson_07))
    assert gap < 1e-13
    print(f"β = {beta}: update_beta equals {rule.__name__} to 1e-13: {gap < 1e-13}")
for beta in (0, 0.5, 3):
    sk = SklearnNMF(3, init="custom", solver="mu", beta_loss=beta, max_iter=1, tol=0)
    W_sk = sk.fit_transform(Vs, W=Ws.copy(), H=Hs.copy())
    W_ours, H_ours = nmf.update_beta(Vs, Ws, Hs, beta)
    gap = max(np.abs(W_ours - W_sk).max(), np.abs(H_ours - sk.components_).max())
    assert gap < 1e-12
    print(f"β = {beta} (γ = {nmf.mm_exponent(beta):.3f}): equals scikit-learn's step to 1e-12: "
          f"{gap < 1e-12}")

# %% [markdown]
# **Is γ needed?** Outside [0, 2] the heuristic step (γ = 1) can go *up*. A search of random
# problems found small ones; here is a 1 × 3 example at β = −1, one W step each way:

# %%
V1 = np.array([[100.0, 100.0, 0.01]])
W1 = np.array([[0.1, 1.0]])
H1 = np.array([[0.1, 100.0, 1.0], [100.0, 0.01, 1.0]])
start = nmf.beta_divergence(V1, W1, H1, -1)
after = {label: nmf.beta_divergence(V1, nmf.update_beta(V1, W1, H1, -1, gamma)[0], H1, -1)
         for label, gamma in (("heuristic, γ = 1", 1.0), ("MM, γ = 1/3", None))}
assert after["heuristic, γ = 1"] > 1.15 * start and after["MM, γ = 1/3"] < start
for label, value in after.items():
    print(f"{label:17s} D_β: {start:.3f} → {value:.3f} ({value / start - 1:+.0%})")

# %% [markdown]
# The heuristic step raised D_β by 16 %; the MM step, shorter, lowered it. Such cases are rare
# (a random search in this lesson's tests finds them for β = −2, −1, 3 and 4, never inside
# [0, 2]), but only the γ rule comes with a guarantee.
#
# ## 3. What replaced multiplicative updates: HALS (分层交替最小二乘)
#
# Fix everything but one column w_k of W. The loss is then a quadratic in w_k, separate for each
# entry and with the same curvature [HHᵀ]_kk, so its best non-negative value is the unconstrained
# minimiser clipped at 0:
#
# $$w_k \leftarrow \max\Big(0,\; w_k + \frac{[VH^\top]_k - W[HH^\top]_k}{[HH^\top]_{kk}}\Big).$$
#
# **HALS** (hierarchical alternating least squares, Cichocki and Phan 2009) sweeps the columns
# of W, then the rows of H. Every update is an exact minimisation, so the loss never goes up.
# Updating one entry at a time instead, scikit-learn's coordinate descent (坐标下降,
# `solver='cd'`, its default) does the same arithmetic.

# %%
show_source(nmf.update_hals)

# %% [markdown]
# On 500 CBCL faces (r = 49, NNDSVDa start): ten sweeps; the loss never rises, and the factors
# equal scikit-learn's `cd` after the same ten iterations.

# %%
X, image_shape = datasets.load_face_matrix("cbcl", n_faces=500, random_state=SEED)
V = X.T
W0, H0 = nmf.initialize(V, 49, "nndsvda", random_state=SEED)
W, H = W0, H0
losses = [nmf.euclidean_loss(V, W, H)]
for _ in range(10):
    W, H = nmf.update_hals(V, W, H)
    losses.append(nmf.euclidean_loss(V, W, H))
assert np.all(np.diff(losses) <= 0)
sk = SklearnNMF(49, init="custom", solver="cd", max_iter=10, tol=0)
W_sk = sk.fit_transform(V, W=W0.copy(), H=H0.copy())
gap = max(np.abs(W - W_sk).max(), np.abs(H - sk.components_).max())
assert gap < 1e-9
print(f"loss {losses[0]:.0f} → {losses[-1]:.1f}, never up; equal to scikit-learn's cd to 1e-9: "
      f"{gap < 1e-9}")

# %% [markdown]
# **The race.** MU (100 iterations), HALS and scikit-learn's `cd` (30 each) from the same start;
# the time axis is iterations × the median time of one iteration (five timed repeats). Times
# vary from run to run on a shared machine; the next cell checks only what the text claims.

# %% tags=["nbval-ignore-output"]
result = figures.nmf_beyond.race(V, n_components=49, n_iter_mu=100, n_iter_hals=30, repeat=5,
                                 random_state=SEED)
_ = figures.nmf_beyond.plot_race(result)
plt.show()

# %%
mu_name, hals_name, cd_name = figures.nmf_beyond.RACE_METHODS
mu_losses, hals_losses = result.losses[mu_name], result.losses[hals_name]
catch_up = int(np.argmax(hals_losses <= mu_losses[-1]))
seconds = result.seconds_per_iteration
assert 0 < catch_up <= (len(mu_losses) - 1) / 10
assert catch_up * seconds[hals_name] < 0.5 * (len(mu_losses) - 1) * seconds[mu_name]
assert np.allclose(result.losses[cd_name], hals_losses, rtol=1e-9)
print(f"MU after {len(mu_losses) - 1} iterations: {mu_losses[-1]:.1f}; HALS is lower after "
      f"{catch_up} iterations, in less than half the time; scikit-learn's cd follows HALS's path")

# %% [markdown]
# HALS reaches MU's loss after 100 iterations in a tenth of the iterations and less than half
# the time (the figure shows this run's times).
# **What to use:** for the Euclidean loss, HALS / coordinate descent (scikit-learn's default
# `solver='cd'`); for other β, `solver='mu'` with `beta_loss=β` (the MM rule above). **Why the
# lecture teaches MU:** it falls out of gradient descent in two lines, needs no step size, keeps
# W, H ≥ 0 by itself, and, as section 2 showed, one recipe covers every β.
#
# ## 4. How part-like is a basis? Hoyer's sparseness (稀疏度)
#
# $$s(x) = \frac{\sqrt n - \lVert x\rVert_1/\lVert x\rVert_2}{\sqrt n - 1}\in[0, 1]$$
#
# is 1 for a vector with one non-zero entry and 0 when all entries have the same size (Hoyer
# 2004). It ignores scale, so basis images of any brightness compare.

# %%
for name, x in (("one non-zero", [0, 0, 3.0, 0]), ("all equal", [2.0] * 4),
                ("1, 2, 3, 4", [1.0, 2, 3, 4])):
    print(f"{name:13s} s = {nmf.hoyer_sparseness(np.array(x)):.3f}")

# %% [markdown]
# Lesson 06 found NMF's parts less local on ORL than on CBCL. Here is that as a number: the
# sparseness of every basis image of VQ, PCA and NMF, 400 faces of each set, r = 49, 100 NMF
# iterations (PCA's images are signed: s uses |x|).

# %%
sparseness = figures.nmf_beyond.basis_sparseness(r=49, n_faces=400, max_iter=100)
means = {key: values.mean() for key, values in sparseness.items()}
spread_out = [means[d, m] for d in ("cbcl", "orl") for m in ("VQ", "PCA")]
assert 0.15 < min(spread_out) and max(spread_out) < 0.25
assert means["cbcl", "NMF"] > means["orl", "NMF"] > 2 * max(spread_out)
for method in ("VQ", "PCA", "NMF"):
    print(f"{method:4s} mean sparseness: CBCL {means['cbcl', method]:.3f}, "
          f"ORL {means['orl', method]:.3f}")
_ = figures.nmf_beyond.plot_basis_sparseness(sparseness)
plt.show()

# %% [markdown]
# VQ's prototypes and PCA's eigenfaces spread over the whole face (s ≈ 0.2); NMF's basis images
# are more than twice as sparse, and less so on ORL than on CBCL.
#
# ## 5. Sparse NMF: impose the sparseness (稀疏约束)
#
# Hoyer (2004) asks every basis image to have a chosen sparseness σ. After each gradient step on
# W, each column is replaced by the closest non-negative vector with its length and sparseness σ:

# %%
show_source(nmf.update_sparse)

# %% [markdown]
# The projection (`nmf.project_sparseness`, Hoyer's Fig. 2) lands exactly on the target:

# %%
x = np.random.default_rng(SEED).random((2576, 3))
for sigma in (0.3, 0.8):
    s = nmf.project_sparseness(x, sigma)
    assert np.allclose(nmf.hoyer_sparseness(s), sigma)
    assert np.allclose(np.linalg.norm(s, axis=0), np.linalg.norm(x, axis=0))
    print(f"σ = {sigma}: sparseness {np.round(nmf.hoyer_sparseness(s), 6)}, lengths kept, "
          f"{np.mean(s == 0):.0%} zeros")

# %% [markdown]
# On ORL (200 faces, r = 16) plain NMF gives whole-ish faces. Imposing σ = 0.6, 0.7, 0.8 on the
# basis images (30 steps from the plain fit) turns them into eyes, brows, nostrils and mouths,
# at a price in reconstruction loss:

# %%
parts = figures.nmf_beyond.sparse_parts()
levels = figures.nmf_beyond.SPARSENESS_LEVELS
assert all(np.isclose(parts[level]["sparseness"], level) for level in levels)
assert np.all(np.diff([parts[level]["loss"] for level in (None, *levels)]) > 0)
_ = figures.nmf_beyond.plot_sparse_parts((None, *levels))
plt.show()

# %% [markdown]
# The slider picks the sparseness (the fits above are cached, so it only redraws):

# %% tags=["nbval-ignore-output"]
interactive_figure(figures.nmf_beyond.draw_sparse_parts,
                   sparseness=float_slider(levels[0], levels[-1], 0.7, step=0.1,
                                           description="sparseness σ"))

# %% [markdown]
# ## 6. Graph-regularised NMF (图正则化 NMF)
#
# NMF fits every image on its own: two photos of one person may get unrelated encodings, which
# is what clustering then sees. GNMF (Cai, He, Han and Huang 2011) links each image to its 5
# nearest neighbours (近邻图, 0/1 weights A) and adds a penalty for neighbours whose encodings
# w_i, w_j differ:
#
# $$\lVert X - WH\rVert_F^2 + \lambda\,\mathrm{Tr}(W^\top L W), \qquad
#   \mathrm{Tr}(W^\top L W) = \tfrac12\textstyle\sum_{ij} A_{ij}\lVert w_i - w_j\rVert^2,$$
#
# with L = D − A the graph Laplacian (拉普拉斯矩阵, lesson 04), D the degrees, λ = 100 on images
# scaled to unit length. Splitting the gradient as in section 2 gives the multiplicative rules
# (rows are images, as in scikit-learn: W the encodings, H the basis):

# %%
show_source(nmf.update_gnmf)

# %% [markdown]
# The graph on ORL faces (shrunk to 28 × 23 pixels): most edges join two photos of the same
# person, the diagonal blocks below.

# %%
X_orl, people, n_people = figures.nmf_beyond.clustering_set("orl")
A = nmf.neighbor_graph(X_orl, n_neighbors=5)
rows, cols = A.nonzero()
same = np.mean(people[rows] == people[cols])
assert same > 0.7
print(f"{A.nnz // 2} edges; {same:.0%} join two photos of the same person")
_ = figures.nmf_beyond.plot_neighbor_graph(A, people)
plt.show()

# %% [markdown]
# Clustering: as many components as people (40) or digits (10), K-Means on the encodings, NMI
# against the truth. λ = 0 is plain NMF with the same rules and start (200 iterations each).

# %%
scores = {(name, lam): figures.nmf_beyond.gnmf_clustering(name, lam, random_state=SEED,
                                                          max_iter=200)
          for name in figures.nmf_beyond.CLUSTERING_SETS for lam in (0.0, 100.0)}
for score in scores.values():
    history = score.objective_history
    assert np.all(np.diff(history) <= 1e-9 * history[0])     # the objective never rises
for name in figures.nmf_beyond.CLUSTERING_SETS:
    assert scores[name, 100.0].nmi > scores[name, 0.0].nmi
    print(f"{name:6s} NMI: NMF {scores[name, 0.0].nmi:.3f}, GNMF {scores[name, 100.0].nmi:.3f}")

# %% [markdown]
# GNMF's encodings cluster better on both (the tests check three seeds). The graph hands the
# factorisation what K-Means needs: that neighbouring images belong together.
#
# ## Exercises
#
# Each exercise asks for one function: write it in its cell, run that cell, then run the check
# below it. The check says "Correct", or what is wrong and on which test case. Stuck?
# `hint_hoyer_sparseness()` gives a nudge, `hint_hoyer_sparseness(2)` a stronger hint and
# `solution_hoyer_sparseness()` shows a solution (each exercise has its own three, named after it).
# Try before you ask: the checks' messages are written to help.

# %%
from lessons_src.exercises.nmf_beyond import (
    check_beta_h_update, check_hoyer_sparseness, hint_beta_h_update, hint_hoyer_sparseness,
    solution_beta_h_update, solution_hoyer_sparseness)

# %% [markdown]
# **1. How sparse is a vector? (warm-up).** Write `hoyer_sparseness(x)` for a vector `x` (entries
# may be negative): 1 when a single entry is non-zero, 0 when all entries are equal, in between
# otherwise, as `nmf.hoyer_sparseness` does for every column of a basis.

# %% nbgrader={"grade": false, "grade_id": "11_hoyer_sparseness", "locked": false, "schema_version": 3, "solution": true, "task": false}
def hoyer_sparseness(x):
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    root_n = np.sqrt(x.size)
    l1, l2 = np.abs(x).sum(), np.sqrt(np.sum(x ** 2))
    return (root_n - l1 / l2) / (root_n - 1)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "11_hoyer_sparseness_check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
### BEGIN HIDDEN TESTS
assert check_hoyer_sparseness(hoyer_sparseness), repr(check_hoyer_sparseness(hoyer_sparseness))
### END HIDDEN TESTS
check_hoyer_sparseness(hoyer_sparseness)

# %% [markdown]
# **2. Derive the update for β (derive).** Differentiate D_β(V ‖ WH) with respect to H (W fixed),
# split the gradient into its positive and negative parts, and write
# `beta_h_update(V, W, H, beta)`, the heuristic rule (γ = 1) for H. The check tries β = 2, 1, 0,
# 0.5, 1.5 and 3; at β = 2 and β = 1 your rule must be the lecture's Euclidean and KL rules.

# %% nbgrader={"grade": false, "grade_id": "11_beta_h_update", "locked": false, "schema_version": 3, "solution": true, "task": false}
def beta_h_update(V, W, H, beta):
    ### BEGIN SOLUTION
    # d/dy d_beta(v | y) = y^(beta-1) - v y^(beta-2): positive part W^T (WH)^(beta-1),
    # negative part W^T [(WH)^(beta-2) * V]; H times negative over positive.
    WH = W @ H
    return H * (W.T @ (WH ** (beta - 2) * V)) / (W.T @ WH ** (beta - 1))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "11_beta_h_update_check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
### BEGIN HIDDEN TESTS
assert check_beta_h_update(beta_h_update), repr(check_beta_h_update(beta_h_update))
### END HIDDEN TESTS
check_beta_h_update(beta_h_update)

# %% [markdown]
# ## Summary
#
# - The **β-divergence** holds the Euclidean (β = 2), KL (β = 1) and Itakura-Saito (β = 0) losses;
#   each is the maximum-likelihood loss of a noise model: Gaussian, Poisson, multiplicative gamma.
#   Choose the loss that matches how your data are noisy.
# - **One rule** W ← W ∘ (∇⁻/∇⁺)^γ covers every β; γ(β) (Févotte and Idier) makes it provably
#   monotone, and the plain γ = 1 can rise outside [0, 2]. It equals scikit-learn's `solver='mu'`.
# - **HALS** solves one column at a time exactly: monotone, the same path as scikit-learn's `cd`,
#   and much faster than MU to a given loss. Use it for the Euclidean loss; the lecture teaches MU
#   because it is short, needs no step size and works for every β.
# - **Hoyer's sparseness** turns "part-like" into a number (NMF ≫ VQ, PCA; CBCL > ORL);
#   **sparse NMF** imposes it and brings parts out on ORL, at a cost in fit.
# - **GNMF** adds a neighbour-graph penalty, and its encodings cluster ORL faces and digits better
#   than plain NMF's.
#
# Previous: [10 · K-Means at scale](10_kmeans_at_scale.ipynb) ·
# Back to the rules: [07 · NMF update rules](07_nmf_update_rules.ipynb).
