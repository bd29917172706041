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
# # 11 · NMF beyond the slides (课件之外的 NMF)
#
# The slides stop at Lee and Seung's two multiplicative rules and a list of NMF's limits. This
# lesson goes on: why the rules look the way they do, what people run instead today, and how
# two of the limits are overcome. It starts from [07 · NMF update rules](07_nmf_update_rules.ipynb).
#
# **In this lesson you will**
#
# - meet the **β-divergence** (β 散度), one family holding the Euclidean loss, the KL divergence
#   (KL 散度) and the Itakura-Saito loss, and read each loss as a noise model through
#   **maximum likelihood** (最大似然);
# - derive **one multiplicative update** (乘法更新) for every β, and see why scikit-learn raises it
#   to a power;
# - race it against **HALS**, hierarchical alternating least squares (分层交替最小二乘), the
#   solver that replaced it;
# - measure how part-like a set of basis images (基图像) is with the **Hoyer sparseness**
#   (Hoyer 稀疏度), then impose it: **sparse NMF** (稀疏 NMF);
# - add **graph regularization** (图正则化) to NMF, and test whether clustering (聚类) faces and
#   digits on its encodings gets better.

# %%
from lessons_src.preamble import *
from ipywidgets import fixed
from scipy import stats
from sklearn.decomposition import NMF as SklearnNMF
from lessons_src import datasets, figures, nmf
from lessons_src.teaching import show_source
from lessons_src.widgets import float_slider, interactive_figure

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. One family of losses: the β-divergence
#
# Lesson 07 fitted V ≈ WH with two different losses. Both are members of one family, summed
# over the entries x = v_ij, y = [WH]_ij:
#
# $$d_\beta(x\,|\,y) = \frac{x^\beta + (\beta-1)\,y^\beta - \beta\,x\,y^{\beta-1}}{\beta(\beta-1)},
# \qquad \beta = 2:\ \tfrac12(x-y)^2,\quad \beta \to 1:\ x\ln\tfrac{x}{y} - x + y,\quad
# \beta \to 0:\ \tfrac{x}{y} - \ln\tfrac{x}{y} - 1 .$$
#
# β = 2 is the Euclidean loss, β = 1 the KL divergence, β = 0 the **Itakura-Saito divergence**
# (板仓-斋藤散度). How does each punish a model value y below or above the data x = 1?

# %%
_ = figures.nmf_beyond.plot_beta_divergences()
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# The curves at two points, y = x/4 below the data and y = 3x above it:

# %%
betas = (0, 0.5, 1, 2, 3)
below = np.array([nmf.beta_divergence_entries(1.0, 0.25, beta) for beta in betas])
above = np.array([nmf.beta_divergence_entries(1.0, 3.0, beta) for beta in betas])
assert np.all(np.diff(below) < 0) and np.all(np.diff(above) > 0)
assert nmf.beta_divergence_entries(1.0, 0.5, 2) == nmf.beta_divergence_entries(1.0, 1.5, 2)
for beta, low, high in zip(betas, below, above):
    print(f"β = {beta:3}: d(1 | 0.25) = {low:.3f}   d(1 | 3) = {high:.3f}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# The Euclidean loss is symmetric around x. The smaller β, the harder a y *below* x is punished
# and the softer one above it.
#
# What about big and small entries? Scale data and model together by λ:

# %%
x, y, lam, one = np.array([[2.0, 5.0]]), np.array([[3.0, 4.0]]), 10.0, np.ones((1, 1))
for beta in (2, 1, 0):
    ratio = nmf.beta_divergence(lam * x, one, lam * y, beta) / nmf.beta_divergence(x, one, y, beta)
    assert np.isclose(ratio, lam ** beta)
    print(f"β = {beta}: d(λx | λy) / d(x | y) = {ratio:.1f} = λ^{beta}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# The loss scales like λ^β: big entries dominate a Euclidean fit, while IS (λ⁰ = 1) weighs every
# entry by its *relative* error.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Each loss is a noise model
#
# Suppose the data are the model plus noise, v ~ p(v | y) with y = [WH]_ij. The most likely
# W, H minimise −Σ log p(v_ij | [WH]_ij). For three noise models (噪声) that is a β-divergence
# plus terms that do not depend on the model:
#
# | noise | p(v \| y) | −log p(v \| y) | loss |
# |---|---|---|---|
# | additive Gaussian (高斯), σ | v = y + N(0, σ²) | (v − y)²/(2σ²) + c(v) | β = 2, Euclidean |
# | Poisson counts (泊松) | v ~ Poisson(y) | y − v log y + log v! | β = 1, KL |
# | multiplicative gamma (伽马) | v = y · ε, ε ~ Gamma(α, 1/α) | α (v/y − log(v/y) − 1) + c(v) | β = 0, IS |
#
# Check with SciPy's densities: is −log p(v | y) − d_β(v | y) the same number for every y?

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

# %% [markdown] slideshow={"slide_type": "fragment"}
# It is: minimising D_β is maximum likelihood under that noise, so the loss is a modelling
# choice. Euclidean suits noise of one size everywhere; KL suits counts (words in documents,
# photons in a detector), whose spread grows like √mean; IS suits noise proportional to the
# signal, as in the power spectrogram of a sound.

# %% [markdown] slideshow={"slide_type": "subslide"}
# An experiment: one rank-3 truth, observed with each noise, fitted with each loss (300 steps
# of the rule of section 2), scored by how close WH comes to the truth.

# %%
table = figures.nmf_beyond.noise_model_table(n_iter=300, random_state=SEED)
best = [table.betas[j] for j in table.error.argmin(axis=1)]
euclidean_over_is = table.error[2, 0] / table.error[2, 2]    # on the gamma-noise data
assert best == [2, 1, 0] and euclidean_over_is > 2
print(f"truth {table.truth.shape}, rank {np.linalg.matrix_rank(table.truth)}, entries "
      f"{table.truth.min():.2f} to {table.truth.max():.0f}")
print("best β for each noise:", dict(zip(table.noise_models, best)))
print(f"gamma noise: the Euclidean fit is {euclidean_over_is:.1f} times as far as the IS fit")
_ = figures.nmf_beyond.plot_noise_model_table(table)
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# Each noise is recovered best by its own loss (the diagonal). With gamma noise the Euclidean fit
# chases the largest noisy entries and ends more than twice as far from the truth as the IS fit.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. One multiplicative update for every β (乘法更新)
#
# **1. Gradient.** With y = WH, the derivative of d_β in y is y^(β−1) − x y^(β−2), so
#
# $$\nabla_W D_\beta = \big[(WH)^{\beta-1}\big]H^\top - \big[(WH)^{\beta-2}\circ V\big]H^\top
#   = \nabla^+ - \nabla^-, \qquad \nabla^+, \nabla^- \ge 0 .$$
#
# **2. Lee and Seung's recipe.** Multiply by the ratio of the negative to the positive part:
# W ← W ∘ ∇⁻/∇⁺ (a gradient step with step w/∇⁺, as in lesson 07). At a fixed point ∇⁻ = ∇⁺:
# the gradient is 0. At β = 2 the ratio is (VHᵀ)/(WHHᵀ), at β = 1 it is [(V/WH)Hᵀ]/(1Hᵀ).
#
# **3. The exponent.** This "heuristic" rule is proven to descend for 0 < β < 1 (Févotte and
# Idier 2011) and 1 ≤ β ≤ 2 (Kompass 2007); no proof covers the rest. Févotte and Idier built a
# majorization-minimization (MM) step for every β: the same ratio raised to a power,
# γ(β) = 1/(2 − β) for β < 1, 1 for 1 ≤ β ≤ 2, 1/(β − 1) for β > 2. scikit-learn uses it.

# %% slideshow={"slide_type": "subslide"}
show_source(nmf.update_beta)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Is it lesson 07's rules at β = 2 and β = 1? One step each from the same start:

# %%
rng = np.random.default_rng(SEED)
Vs, Ws, Hs = rng.random((8, 6)) + 0.1, rng.random((8, 3)) + 0.1, rng.random((3, 6)) + 0.1
for beta, rule in ((2, nmf.update_euclidean), (1, nmf.update_kl)):
    ours, lesson_07 = nmf.update_beta(Vs, Ws, Hs, beta), rule(Vs, Ws, Hs)
    gap = max(np.abs(a - b).max() for a, b in zip(ours, lesson_07))
    assert gap < 1e-13
    print(f"β = {beta}: update_beta equals {rule.__name__} to 1e-13: {gap < 1e-13}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# And elsewhere, is it one iteration of scikit-learn's `NMF(solver='mu', beta_loss=β)`?

# %%
for beta in (0, 0.5, 3):
    sk = SklearnNMF(3, init="custom", solver="mu", beta_loss=beta, max_iter=1, tol=0)
    W_sk = sk.fit_transform(Vs, W=Ws.copy(), H=Hs.copy())
    W_ours, H_ours = nmf.update_beta(Vs, Ws, Hs, beta)
    gap = max(np.abs(W_ours - W_sk).max(), np.abs(H_ours - sk.components_).max())
    assert gap < 1e-12
    print(f"β = {beta} (γ = {nmf.mm_exponent(beta):.3f}): equals scikit-learn's step to 1e-12: "
          f"{gap < 1e-12}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# Yes to both: the one rule *is* lesson 07's two rules at β = 2 and 1, and scikit-learn's step
# at β = 0, 0.5 and 3.

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Is γ needed?** A 1 × 3 example at β = −1, one W step each way:

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

# %% [markdown] slideshow={"slide_type": "fragment"}
# The heuristic step raised D_β by 16 %; the MM step, shorter, lowered it. How often does that
# happen? The same W step on 200 000 random 1 × 3 problems for each β:

# %%
search = figures.nmf_beyond.rising_steps(random_state=SEED)
inside = np.array([0 <= beta <= 2 for beta in search.betas])
assert not search.mm.any() and not search.heuristic[inside].any()
assert search.heuristic[~inside].all() and search.heuristic.max() < search.n_problems / 1000
for beta, rises, worst in zip(search.betas, search.heuristic, search.worst_heuristic):
    print(f"β = {beta:4}: the heuristic step rose in {rises:3d}" + (
        f" (at most {worst:+.1%})" if rises else "") + ", the MM step in 0")

# %% [markdown] slideshow={"slide_type": "fragment"}
# Rare (fewer than 1 in 1 000 problems), only outside [0, 2], and never with γ(β): only the γ
# rule comes with a guarantee.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. What replaced multiplicative updates: HALS
#
# Fix everything but one column w_k of W. The loss is then a quadratic in w_k, separate for each
# entry and with the same curvature [HHᵀ]_kk, so its best non-negative value is the unconstrained
# minimiser clipped at 0:
#
# $$w_k \leftarrow \max\Big(0,\; w_k + \frac{[VH^\top]_k - W[HH^\top]_k}{[HH^\top]_{kk}}\Big).$$
#
# HALS (Cichocki and Phan 2009) sweeps the columns of W, then the rows of H. Every update is an
# exact minimisation, so the loss can never go up. scikit-learn's coordinate descent (坐标下降,
# `solver='cd'`, its default) updates one entry at a time instead; the entries of one column do
# not interact, so it should do the same arithmetic.

# %% slideshow={"slide_type": "subslide"}
show_source(nmf.update_hals)

# %% [markdown] slideshow={"slide_type": "subslide"}
# On 500 CBCL faces (r = 49, NNDSVDa start), ten sweeps: does the loss ever rise?

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
print(f"loss {losses[0]:.0f} → {losses[-1]:.1f}, never up: {np.all(np.diff(losses) <= 0)}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# It never rises. And scikit-learn's `cd`, ten iterations from the same start?

# %%
sk = SklearnNMF(49, init="custom", solver="cd", max_iter=10, tol=0)
W_sk = sk.fit_transform(V, W=W0.copy(), H=H0.copy())
gap = max(np.abs(W - W_sk).max(), np.abs(H - sk.components_).max())
assert gap < 1e-9
print(f"HALS's factors equal scikit-learn's cd to 1e-9: {gap < 1e-9}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **The race.** MU (100 iterations), HALS and scikit-learn's `cd` (30 each) from the same start;
# the time axis is iterations × the median time of one iteration (five timed repeats). Times
# vary from run to run on a shared machine: the cell after the figure checks only what the text
# then claims.

# %% tags=["nbval-ignore-output"]
result = figures.nmf_beyond.race(V, n_components=49, n_iter_mu=100, n_iter_hals=30, repeat=5,
                                 random_state=SEED)
_ = figures.nmf_beyond.plot_race(result)
plt.show()

# %% slideshow={"slide_type": "subslide"}
mu_name, hals_name, cd_name = figures.nmf_beyond.RACE_METHODS
mu_losses, hals_losses = result.losses[mu_name], result.losses[hals_name]
catch_up = int(np.argmax(hals_losses <= mu_losses[-1]))
seconds = result.seconds_per_iteration
assert 0 < catch_up <= (len(mu_losses) - 1) / 10
assert catch_up * seconds[hals_name] < 0.5 * (len(mu_losses) - 1) * seconds[mu_name]
assert np.allclose(result.losses[cd_name], hals_losses, rtol=1e-9)
print(f"MU after {len(mu_losses) - 1} iterations: {mu_losses[-1]:.1f}; HALS is lower after "
      f"{catch_up} iterations, in less than half the time; scikit-learn's cd follows HALS's path")

# %% [markdown] slideshow={"slide_type": "fragment"}
# HALS reaches MU's loss after 100 iterations in a tenth of the iterations and less than half
# the time (the figure shows this run's times).
#
# **What to use:** for the Euclidean loss, HALS / coordinate descent (scikit-learn's default
# `solver='cd'`); for other β, `solver='mu'` with `beta_loss=β` (the MM rule above). **Why the
# lecture teaches MU:** it falls out of gradient descent (梯度下降) in two lines, needs no step
# size, keeps W, H ≥ 0 by itself, and, as section 2 showed, one recipe covers every β.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. How part-like is a basis? The Hoyer sparseness
#
# $$s(x) = \frac{\sqrt n - \lVert x\rVert_1/\lVert x\rVert_2}{\sqrt n - 1}\in[0, 1]$$
#
# (Hoyer 2004). Three vectors of length 4, each also scaled by 10:

# %%
for name, x in (("one non-zero", [0, 0, 3.0, 0]), ("all equal", [2.0] * 4),
                ("1, 2, 3, 4", [1.0, 2, 3, 4])):
    s = nmf.hoyer_sparseness(np.array(x))
    assert np.isclose(s, nmf.hoyer_sparseness(10 * np.array(x)), rtol=1e-12)
    print(f"{name:13s} s = {s:.3f}, scaled by 10: the same")
assert nmf.hoyer_sparseness(np.array([0, 0, 3.0, 0])) == 1
assert nmf.hoyer_sparseness(np.full(4, 2.0)) == 0

# %% [markdown] slideshow={"slide_type": "fragment"}
# s is 1 for a single non-zero entry and 0 when all entries have the same size, and it ignores
# scale, so basis images (基图像) of any brightness compare.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Lesson 06 drew the bases of VQ, PCA and NMF on CBCL and ORL faces. Here is each basis image's
# sparseness: 400 faces of each set, r = 49, 100 NMF iterations (PCA's images are signed: s
# uses |x|).

# %%
sparseness = figures.nmf_beyond.basis_sparseness(n_components=49, n_faces=400, max_iter=100,
                                                 random_state=SEED)
means = {key: values.mean() for key, values in sparseness.items()}
spread_out = [means[d, m] for d in ("cbcl", "orl") for m in ("VQ", "PCA")]
assert 0.15 < min(spread_out) and max(spread_out) < 0.25
assert means["cbcl", "NMF"] > means["orl", "NMF"] > 2 * max(spread_out)
for method in ("VQ", "PCA", "NMF"):
    print(f"{method:4s} mean sparseness: CBCL {means['cbcl', method]:.3f}, "
          f"ORL {means['orl', method]:.3f}")
_ = figures.nmf_beyond.plot_basis_sparseness(sparseness)
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# VQ's prototypes and PCA's eigenfaces (特征脸) spread over the whole face (s ≈ 0.2); NMF's
# basis images are more than twice as sparse, and less so on ORL than on CBCL.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. Sparse NMF: impose the sparseness (稀疏约束)
#
# Hoyer (2004) asks every basis image to have a chosen sparseness σ. After each gradient step on
# W, each column is replaced by the closest non-negative vector with its length and sparseness σ:

# %% slideshow={"slide_type": "subslide"}
show_source(nmf.update_sparse)

# %% [markdown] slideshow={"slide_type": "subslide"}
# The projection (`nmf.project_sparseness`, Hoyer's Fig. 2) on three random columns of 2576
# entries: does it land on the target, and keep the lengths?

# %%
x = np.random.default_rng(SEED).random((2576, 3))
for sigma in (0.3, 0.8):
    s = nmf.project_sparseness(x, sigma)
    assert np.allclose(nmf.hoyer_sparseness(s), sigma)
    assert np.allclose(np.linalg.norm(s, axis=0), np.linalg.norm(x, axis=0))
    print(f"σ = {sigma}: sparseness {np.round(nmf.hoyer_sparseness(s), 6)}, lengths kept, "
          f"{np.mean(s == 0):.0%} zeros")

# %% [markdown] slideshow={"slide_type": "subslide"}
# On ORL, plain NMF (200 faces, r = 16, 30 HALS sweeps) against the same fit continued for 30
# steps with σ = 0.6, 0.7 and 0.8 imposed on every basis image:

# %%
parts = figures.nmf_beyond.sparse_parts(n_faces=200, n_components=16, n_iter=30,
                                        random_state=SEED)
levels = figures.nmf_beyond.SPARSENESS_LEVELS
fits = [parts.fits[level] for level in (None, *levels)]
assert all(np.isclose(parts.fits[level].sparseness, level) for level in levels)
assert fits[0].sparseness < levels[0] and np.all(np.diff([fit.loss for fit in fits]) > 0)
for level, fit in zip(("plain", *levels), fits):
    print(f"{level:>5}: mean Hoyer sparseness {fit.sparseness:.2f}, loss {fit.loss:.0f}")
_ = figures.nmf_beyond.plot_sparse_parts(parts)
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# Plain NMF's basis images are whole-ish faces; as σ grows they break into local pieces (brows,
# eyes, nostrils, mouths, the outline of a cheek), and every step up in σ costs reconstruction
# loss.

# %% [markdown] slideshow={"slide_type": "subslide"}
# The slider picks the sparseness (the fits above are cached, so it only redraws):

# %% tags=["nbval-ignore-output"]
interactive_figure(figures.nmf_beyond.draw_sparse_parts,
                   sparseness=float_slider(levels[0], levels[-1], 0.7, step=0.1,
                                           description="sparseness σ"),
                   random_state=fixed(SEED))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. Graph-regularized NMF (图正则化 NMF)
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

# %% slideshow={"slide_type": "subslide"}
show_source(nmf.update_gnmf)

# %% [markdown] slideshow={"slide_type": "subslide"}
# The graph on ORL's 400 faces, shrunk to 28 × 23 pixels: how many edges join two photos of the
# same person?

# %%
X_orl, people, n_people = figures.nmf_beyond.clustering_set("orl")
A = nmf.neighbor_graph(X_orl, n_neighbors=5)
rows, cols = A.nonzero()
same = np.mean(people[rows] == people[cols])
assert X_orl.shape == (400, 28 * 23) and same > 0.7
print(f"{A.nnz // 2} edges; {same:.0%} join two photos of the same person")
_ = figures.nmf_beyond.plot_neighbor_graph(A, people)
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# Most edges join two photos of the same person: the diagonal blocks, one per person (the first
# ten people shown).

# %% [markdown] slideshow={"slide_type": "subslide"}
# Clustering: as many components as people (40) or digits (10), K-Means (K均值) on the
# encodings, NMI against the truth. λ = 0 is plain NMF with the same rules and start (200
# iterations each).

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

# %% [markdown] slideshow={"slide_type": "fragment"}
# With this seed GNMF's objective never rose, and its encodings cluster better on both sets (the
# unit tests repeat the comparison for seeds 0, 1 and 2). The graph hands the factorization what
# K-Means needs: that neighbouring images belong together.

# %% [markdown] slideshow={"slide_type": "slide"}
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

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# The lesson's results once more, from the cells above:

# %%
assert best == [2, 1, 0] and not search.mm.any() and not search.heuristic[inside].any()
assert catch_up <= (len(mu_losses) - 1) / 10
assert means["cbcl", "NMF"] > means["orl", "NMF"] > 2 * max(spread_out)
assert np.all(np.diff([fit.loss for fit in fits]) > 0)
assert all(scores[name, 100.0].nmi > scores[name, 0.0].nmi
           for name in figures.nmf_beyond.CLUSTERING_SETS)
print(f"best β for Gaussian, Poisson, gamma noise: {best}; heuristic rises outside [0, 2]: "
      f"{search.heuristic[~inside].sum()}, inside: {search.heuristic[inside].sum()}")
print(f"HALS at MU's 100-iteration loss after {catch_up} iterations")
print(f"mean Hoyer sparseness of NMF: CBCL {means['cbcl', 'NMF']:.3f}, ORL "
      f"{means['orl', 'NMF']:.3f}; VQ and PCA at most {max(spread_out):.3f}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# - The **β-divergence** holds the Euclidean (β = 2), KL (β = 1) and Itakura-Saito (β = 0) losses;
#   each is the maximum-likelihood loss of a noise model: Gaussian, Poisson, multiplicative gamma.
#   Choose the loss that matches how your data are noisy.
# - **One rule** W ← W ∘ (∇⁻/∇⁺)^γ covers every β; γ(β) (Févotte and Idier) makes it provably
#   monotone, and the plain γ = 1 can rise outside [0, 2]. It equals scikit-learn's `solver='mu'`.
# - **HALS** solves one column at a time exactly: monotone, the same path as scikit-learn's `cd`,
#   and it reached MU's loss in a tenth of the iterations. Use it for the Euclidean loss; the
#   lecture teaches MU because it is short, needs no step size and works for every β.
# - The **Hoyer sparseness** turns "part-like" into a number (NMF more than twice VQ's and PCA's;
#   CBCL above ORL); **sparse NMF** imposes it and brings parts out on ORL, at a cost in fit.
# - **GNMF** adds a neighbour-graph penalty, and its encodings cluster ORL faces and digits better
#   than plain NMF's.

# %% [markdown]
# ---
# Previous: [10 · K-Means at scale](10_kmeans_at_scale.ipynb) ·
# Back to the rules: [07 · NMF update rules](07_nmf_update_rules.ipynb)
