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
# # 07 · NMF's update rules, derived and checked (NMF 的乘法更新规则)
#
# Lesson 06 used NMF; this one opens it. NMF is an **optimization problem (最优化问题)** with
# constraints; Lee and Seung's **multiplicative updates (乘法更新)** are **gradient descent
# (梯度下降)** with a cleverly chosen step size, one per entry. We derive them for the
# **Euclidean distance (欧氏距离)** and for the **KL divergence (KL 散度)**, check every step
# numerically, correct the slides where they are wrong (six errata, each with a numerical check),
# and end with what NMF cannot do.
#
# **In this lesson you will**
#
# - see that the problem is not convex (two starts, two different minima) and what "NP-hard"
#   means for them;
# - derive W ← W ∘ (VHᵀ)/(WHHᵀ), check its gradient, draw the auxiliary function that proves the
#   loss never increases, and see what that proof does not promise;
# - watch plain projected gradient descent fail with a fixed step;
# - derive the KL rules and show numerically that the slides' step size and gradient sign fail;
# - maximise (not minimise) the Nature 1999 cost, compare the three rules, and watch the parts
#   form;
# - meet the limits: non-uniqueness and unaligned faces.

# %%
from lessons_src.preamble import *
import functools
from ipywidgets import fixed
from sklearn.decomposition import NMF as SklearnNMF
from lessons_src import datasets, figures, nmf, plotting
from lessons_src.teaching import show_source
from lessons_src.widgets import interactive_figure, int_slider

# %% [markdown]
# Data for the whole lesson: 300 CBCL faces, preprocessed as in lesson 06, in the lecture's
# orientation V (pixels × faces), and one start (nndsvda, r = 16) that several sections share.

# %%
X, image_shape = datasets.load_face_matrix("cbcl", n_faces=300, random_state=SEED)
V = X.T
W0, H0 = nmf.initialize(V, 16, "nndsvda", random_state=SEED)
print("V:", V.shape, f" ½‖V‖² = {0.5 * np.sum(V ** 2):.1f}", " W0:", W0.shape, " H0:", H0.shape)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## NMF as constrained optimisation (约束优化)
#
# $$\min_{W, H}\; D_E = \tfrac12 \lVert V - WH \rVert_F^2 \quad \text{s.t. } W \ge 0,\ H \ge 0.$$
#
# > **Erratum (slides): the norm.** The slides write ‖V − WH‖₂². For a matrix, ‖A‖₂ usually
# > means the *spectral* norm, its largest **singular value (奇异值)**. The cost is the
# > **Frobenius** norm, ‖A‖²_F = Σ_ij a_ij², the sum of all squared entries: what
# > `nmf.euclidean_loss` computes (and scikit-learn's `beta_loss='frobenius'`). On the residual of
# > our start the two differ:

# %%
R = V - W0 @ H0
frobenius, spectral = np.sum(R ** 2), np.linalg.norm(R, 2) ** 2
assert np.isclose(frobenius, 2 * nmf.euclidean_loss(V, W0, H0), rtol=1e-12) and spectral < frobenius
print(f"‖R‖²_F = Σ r_ij² = {frobenius:.1f} = 2 · euclidean_loss: "
      f"{np.isclose(frobenius, 2 * nmf.euclidean_loss(V, W0, H0), rtol=1e-12)};  "
      f"spectral ‖R‖₂² = σ_max² = {spectral:.1f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# With H fixed, D_E is a convex quadratic in W (and the other way round), but **not convex in both
# together** (**non-convex (非凸)**): we can only hope for a **local minimum (局部最小值)**. The
# smallest example: one number v = 1 ≈ w·h. Every point of the hyperbola wh = 1 is a minimum
# (loss 0). And halfway between two of them?

# %%
loss = lambda w, h: 0.5 * (1 - w * h) ** 2
a, b = (0.5, 2.0), (2.0, 0.5)
mid = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
assert loss(*a) == loss(*b) == 0 < loss(*mid)
print(f"loss at a = {loss(*a):.3f}, at b = {loss(*b):.3f}, halfway = {loss(*mid):.3f}  "
      f"> 0: a convex function could not be higher between two minima")

# %% [markdown] slideshow={"slide_type": "subslide"}
# On the faces: two random starts (seeds 0 and 1), 200 multiplicative steps each, r = 9, and the
# loss along the straight line between the two solutions (a convex loss would stay under the
# chord between its ends):

# %%
solutions = []
for seed in (0, 1):
    model = nmf.NMF(9, loss="euclidean", init="random", max_iter=200, tol=0, random_state=seed)
    solutions.append(nmf.Factors(model.fit_transform(X), model.components_))
    print(f"start {seed}: final ½‖V − WH‖² = {model.loss_history_[-1]:.1f}")
first, second = solutions
ts = np.linspace(0, 1, 21)
line = [nmf.euclidean_loss(X, (1 - t) * first.W + t * second.W, (1 - t) * first.H + t * second.H)
        for t in ts]
assert line[0] != line[-1] and max(line) > max(line[0], line[-1])
print(f"highest on the line: {max(line):.1f} > both ends: {max(line) > max(line[0], line[-1])}")

# %%
_ = figures.nmf_rules.plot_two_solutions(ts, line, solutions, image_shape)
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# The two starts end at different losses with different bases, and between them the loss rises
# above both ends: not convex.

# %% [markdown] slideshow={"slide_type": "subslide"}
# > **Erratum (slides): "NMF 是一个 NP 问题".** NP is a class of *decision* problems (those whose
# > yes-answers can be checked quickly); calling NMF "an NP problem" says little. What is true:
# > exact NMF, and so finding the **global minimum (全局最小值)** of ½‖V − WH‖² under W, H ≥ 0,
# > is **NP-hard** (Vavasis 2009): no known algorithm solves every instance in time polynomial in
# > the size of V. For the local minima above this means: the multiplicative rules, like every
# > practical NMF algorithm, only descend from where they start; nothing certifies either run as
# > the global minimum, and in practice one tries several starts (or a good initialisation) and
# > keeps the best. A floor exists: no rank-9 factorisation, non-negative or not, beats the
# > truncated SVD (Eckart-Young, lesson 06's second exercise), so the best NMF lies between that
# > floor and the best start found:

# %%
sigma = np.linalg.svd(V, compute_uv=False)
floor = 0.5 * np.sum(sigma[9:] ** 2)
finals = [nmf.euclidean_loss(X, *solution) for solution in solutions]
assert floor <= min(finals) < max(finals)
print(f"rank-9 SVD floor {floor:.1f} <= best start {min(finals):.1f} < other start "
      f"{max(finals):.1f}: the gap to the global NMF minimum is unknown")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The Euclidean rules, step by step (欧氏距离)
#
# **1. Gradient.** With R = V − WH (the residual),
#
# $$\frac{\partial D_E}{\partial W} = -(V - WH)H^\top = WHH^\top - VH^\top, \qquad
# \frac{\partial D_E}{\partial H} = -W^\top(V - WH) = W^\top W H - W^\top V.$$
#
# A numerical check: the formula against finite differences on a small random problem.
# `nmf.finite_difference_gradient(f, W)` moves each entry of W by ±h in turn and returns
# (f(W + h) − f(W − h)) / 2h for every entry:

# %%
rng = np.random.default_rng(SEED)
Vs, Ws, Hs = rng.random((6, 5)), rng.random((6, 2)), rng.random((2, 5))
gradient_W = -(Vs - Ws @ Hs) @ Hs.T
numeric = nmf.finite_difference_gradient(lambda W: nmf.euclidean_loss(Vs, W, Hs), Ws)
gap = np.abs(gradient_W - numeric).max()
assert gap < 1e-8
print(f"max |formula − finite differences| < 1e-8: {gap < 1e-8}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **2. Gradient descent with one step size per entry.** w_ik ← w_ik − μ_ik ∂D/∂w_ik. Any
# fixed μ can overshoot below 0. Lee and Seung choose
#
# $$\mu_{ik} = \frac{w_{ik}}{[WHH^\top]_{ik}}, \qquad \eta_{kj} = \frac{h_{kj}}{[W^\top WH]_{kj}}.$$
#
# **3. The multiplicative form.** Substituting, the −WHHᵀ term cancels the w_ik in front:
#
# $$w_{ik} \leftarrow w_{ik} - \frac{w_{ik}}{[WHH^\top]_{ik}}\big([WHH^\top]_{ik} - [VH^\top]_{ik}\big)
#   = w_{ik}\,\frac{[VH^\top]_{ik}}{[WHH^\top]_{ik}}, \qquad
#   h_{kj} \leftarrow h_{kj}\,\frac{[W^\top V]_{kj}}{[W^\top WH]_{kj}}.$$
#
# Everything on the right is ≥ 0, so W and H stay non-negative with no projection, and there is
# no step size to tune. Check that the gradient step with these μ, η is the multiplicative step:

# %%
step_W = Ws / (Ws @ Hs @ Hs.T)
W_gd = Ws - step_W * gradient_W
H_gd = Hs - Hs / (W_gd.T @ W_gd @ Hs) * (-(W_gd.T @ (Vs - W_gd @ Hs)))
W_mu, H_mu = nmf.update_euclidean(Vs, Ws, Hs)
assert np.allclose(W_gd, W_mu) and np.allclose(H_gd, H_mu)
print("gradient step with μ = w / [WHHᵀ] == multiplicative step:", np.allclose(W_gd, W_mu))

# %% [markdown]
# **4. The code**, on the next sub-slide: W first, then H with the new W; HHᵀ and WᵀW are r × r,
# so the n × m product WH is never formed (the decorator turns a float64 overflow into a clear
# error).

# %% slideshow={"slide_type": "subslide"}
show_source(nmf.update_euclidean)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **5. The check.** 200 steps on the faces (r = 16): does the loss ever go up? And does
# scikit-learn's `NMF(solver='mu')` from the same start reach the same loss after the same 200
# iterations? `nmf.run_updates(rule, V, W, H, n)` applies a rule n times and records the loss at
# the start and after every step; it is also the loop of our estimator `nmf.NMF`, with these
# same rules.

# %%
losses = nmf.run_updates(nmf.update_euclidean, V, W0, H0, 200).losses
assert np.all(np.diff(losses) <= 1e-9 * losses[0]), "the loss went up"
# scikit-learn does not mind which axis holds the faces: give it V itself, so its W is ours.
sk = SklearnNMF(16, init="custom", solver="mu", max_iter=200, tol=0)
W_sk = sk.fit_transform(V, W=W0.copy(), H=H0.copy())
sk_loss = nmf.euclidean_loss(V, W_sk, sk.components_)
assert abs(losses[-1] - sk_loss) <= 1e-9 * sk_loss
print(f"ours after 200 steps: {losses[-1]:.3f}   scikit-learn: {sk_loss:.3f}   "
      f"equal to 1e-9: {abs(losses[-1] - sk_loss) <= 1e-9 * sk_loss}")
_ = figures.nmf_rules.plot_loss_curves({"multiplicative (Euclidean)": losses}, ylabel="½‖V − WH‖²",
                              title="never increases")
plt.show()

# %% [markdown]
# The loss never went up, and the two runs agree to rounding (same start, same order of
# updates, W then H). Had we given scikit-learn X = Vᵀ instead, its "W first" would be our
# "H first" and the paths would differ slightly.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Why the loss never goes up, and what that does not prove
#
# Lee and Seung's proof (NIPS 2000) uses an **auxiliary function**. Hold W fixed and look at one
# face v and its encoding h, with loss F(h) = ½‖v − Wh‖². At the current hᵗ > 0, define
#
# $$G(h, h^t) = F(h^t) + (h - h^t)^\top \nabla F(h^t)
#   + \tfrac12 \sum_a \frac{[W^\top W h^t]_a}{h^t_a}\,(h_a - h^t_a)^2 .$$
#
# F is the same expansion with WᵀW in place of the diagonal matrix K = diag([WᵀWhᵗ]_a / hᵗ_a),
# and K − WᵀW is positive semi-definite, so G ≥ F everywhere, with G = F at hᵗ. G is a
# separable quadratic; its minimum is hᵗ − ∇F/K = hᵗ ∘ (Wᵀv)/(WᵀWhᵗ): the multiplicative
# step. So F(hᵗ⁺¹) ≤ G(hᵗ⁺¹, hᵗ) ≤ G(hᵗ, hᵗ) = F(hᵗ). The three facts, checked on face 0 with the
# W of one step (the rule's H step holds that W fixed):

# %%
W1, H1 = nmf.update_euclidean(V, W0, H0)      # its H step: H0 -> H1 with W1 held fixed
v, h_t = V[:, 0], H0[:, 0]
at_h_t = nmf.euclidean_auxiliary(v, W1, h_t, h_t)
samples = h_t * np.random.default_rng(SEED).uniform(0, 3, size=(10_000, h_t.size))
gaps = np.array([np.subtract(*nmf.euclidean_auxiliary(v, W1, h, h_t)[1::-1]) for h in samples])
assert np.isclose(at_h_t.G, at_h_t.F, rtol=1e-12) and gaps.min() >= -1e-9 * at_h_t.F
assert np.allclose(at_h_t.G_argmin, H1[:, 0], rtol=1e-12)
print(f"G(hᵗ, hᵗ) = F(hᵗ) = {at_h_t.F:.4f}: {np.isclose(at_h_t.G, at_h_t.F, rtol=1e-12)};  "
      f"G − F >= 0 at 10 000 random h >= 0: {bool(gaps.min() >= -1e-9 * at_h_t.F)};  "
      f"argmin G == the rule's H step: {np.allclose(at_h_t.G_argmin, H1[:, 0], rtol=1e-12)}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The picture of the proof: F and G along the line from hᵗ through hᵗ⁺¹ (s = 0 is hᵗ, s = 1 the
# multiplicative step).

# %%
aux = figures.nmf_rules.auxiliary_slice(v, W1, h_t)
assert aux.s[np.argmin(aux.G)] == 1.0 and np.all(aux.G >= aux.F - 1e-9 * at_h_t.F)
_ = figures.nmf_rules.plot_auxiliary_function(aux)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# > **Erratum (slides): convergence (收敛).** The slides cite Lee and Seung (NIPS 2000) as the
# > 收敛性证明, the proof of convergence. What it proves is that the loss **never increases** (so
# > the sequence of losses converges); it does *not* prove that the iterates W, H converge to a
# > stationary point, let alone a minimum (Lin 2007 points out the gap and gives a modified rule
# > whose limit points are stationary). The zero lock of lesson 06 is one concrete failure: an
# > entry that is 0 stays 0 even where the gradient says it should grow. From nndsvd's start
# > (exact zeros), 500 steps:

# %%
W_nndsvd, H_nndsvd = nmf.initialize(V, 16, "nndsvd", random_state=SEED)
run = nmf.run_updates(nmf.update_euclidean, V, W_nndsvd, H_nndsvd, 500)
locked = (W_nndsvd == 0) & (run.W == 0)
gradient = -(V - run.W @ run.H) @ run.H.T
descending = int(np.sum(locked & (gradient < 0)))
flat = run.losses[-100] - run.losses[-1] < 1e-3 * run.losses[-1]
assert np.all(run.W[W_nndsvd == 0] == 0) and flat and descending > 0
print(f"{int(np.sum(W_nndsvd == 0))} zeros in W at the start, all still 0 after 500 steps: "
      f"{bool(np.all(run.W[W_nndsvd == 0] == 0))}; the loss changed by < 0.1% over the last 100 "
      f"steps: {flat}; yet at {descending} of the locked zeros ∂D/∂w < 0 (not stationary)")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## For contrast: projected gradient descent with a fixed step (投影梯度下降)
#
# W ← max(0, W − s ∇_W D), H ← max(0, H − s ∇_H D) with one step s for every entry. The scale
# that matters is L = ‖HHᵀ‖₂ (the curvature in W) at the start, here a random start. Three fixed
# steps (1/L, 0.3/L and 0.01/L), 100 iterations each, and the multiplicative rule from the same
# start. The source is on the next sub-slide.

# %% slideshow={"slide_type": "subslide"}
show_source(nmf.projected_gradient_step)

# %%
W0_random, H0_random = nmf.initialize(V, 16, "random", random_state=SEED)
curvature = np.linalg.norm(H0_random @ H0_random.T, 2)
curves, runs = {}, {}
for label, factor in (("too large, 1/L", 1.0), ("good, 0.3/L", 0.3), ("too small, 0.01/L", 0.01)):
    fixed_step = functools.partial(nmf.projected_gradient_step, step=factor / curvature)
    runs[label] = nmf.run_updates(fixed_step, V, W0_random, H0_random, 100)
    curves[label] = runs[label].losses
    print(f"{label:18s} loss after 100 steps: {curves[label][-1]:8.1f}  "
          f"(went up {int(np.sum(np.diff(curves[label]) > 0))} times)")
curves["multiplicative"] = nmf.run_updates(nmf.update_euclidean, V, W0_random, H0_random, 100).losses
print(f"multiplicative     loss after 100 steps: {curves['multiplicative'][-1]:8.1f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The "too large" run ends at 6691.6, which is ½‖V‖² exactly: what happened?

# %%
too_large, good, too_small = (curves[k] for k in ("too large, 1/L", "good, 0.3/L", "too small, 0.01/L"))
half_norm = nmf.euclidean_loss(V, np.zeros_like(W0_random), H0_random)   # ½‖V‖², the loss at WH = 0
collapsed = np.isclose(too_large, half_norm, rtol=1e-12)
peaks = too_large[1:][too_large[1:] > too_large[:-1]]
assert too_large.max() > 1e60 and collapsed[-1] and runs["too large, 1/L"].W.max() == 0
assert collapsed.sum() > 50 and peaks[-1] > 1e20 * peaks[len(peaks) // 4]
assert np.all(np.diff(good) <= 0) and good[-1] < too_small[-1] < too_small[0]
print(f"too large: the loss peaks at {too_large.max():.1e}; in {int(collapsed.sum())} of the 100 "
      f"steps all of W or all of H was projected to 0, so WH = 0 and the loss is exactly "
      f"½‖V‖² = {half_norm:.1f}; the last step is one of them (max W = {runs['too large, 1/L'].W.max():.0f})")

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
figures.nmf_rules.plot_loss_curves(curves, ax=axes[0], ylabel="½‖V − WH‖²",
                          title=f"fixed steps (L = ‖HHᵀ‖₂ = {curvature:.0f})", legend=False)
figures.nmf_rules.plot_loss_curves(curves, ax=axes[1], ylabel="½‖V − WH‖²", title="zoomed in",
                                   ncol=4)
axes[1].set_ylim(500, 10000)
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# **Too large (1/L)** does not settle, it diverges: the loss spikes ever higher (left panel, log
# scale), and in between the projection max(0, ·) wipes out all of W or all of H, so WH = 0 and
# the loss is exactly ½‖V‖². Its "final loss" is one of those wipe-outs, not a resting point.
# **Too small (0.01/L)** crawls (right panel, zoomed). **A good fixed step (0.3/L)** descends
# steadily, but had to be found by trial; the multiplicative rule needs none.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The KL divergence rules, and the slides' errata (KL 散度)
#
# $$D_{KL}(V\,\|\,WH) = \sum_{ij}\Big(v_{ij}\ln\frac{v_{ij}}{[WH]_{ij}} - v_{ij} + [WH]_{ij}\Big).$$
#
# Its gradient is
#
# $$\frac{\partial D_{KL}}{\partial w_{ik}} = \sum_j \Big(h_{kj} - h_{kj}\frac{v_{ij}}{[WH]_{ij}}\Big)
#  = -\sum_j \Big(h_{kj}\frac{v_{ij}}{[WH]_{ij}} \mathbin{\mathbf{-}} h_{kj}\Big),$$
#
# and with the step μ_ik = **w_ik** / Σ_j h_kj the gradient step becomes
#
# $$w_{ik} \leftarrow w_{ik}\,\frac{\sum_j h_{kj} v_{ij}/[WH]_{ij}}{\sum_j h_{kj}}, \qquad
#   h_{kj} \leftarrow h_{kj}\,\frac{\sum_i w_{ik} v_{ij}/[WH]_{ij}}{\sum_i w_{ik}}.$$

# %% [markdown] slideshow={"slide_type": "subslide"}
# > **Errata (slides): the KL gradient and step.** The slides print the gradient as
# > −Σ_j (h_kj v_ij/[WH]_ij **+** h_kj) (wrong sign on the second term: that "gradient" is
# > negative everywhere) and the step as μ_ik = **1** / Σ_j h_kj (missing the factor w_ik that
# > makes the step multiplicative). Their final multiplicative rules are right. Two numerical
# > checks follow.
#
# First, finite differences (the same helper as above) against the correct gradient and the
# slides':

# %%
ratio = Vs / (Ws @ Hs)
correct = (np.ones_like(Vs) - ratio) @ Hs.T
slides = -(ratio + np.ones_like(Vs)) @ Hs.T
numeric = nmf.finite_difference_gradient(lambda W: nmf.kl_divergence(Vs, W, Hs), Ws)
correct_agrees = np.allclose(correct, numeric, atol=1e-5)
slides_agree = np.allclose(slides, numeric, atol=1e-2)
assert correct_agrees and not slides_agree
print(f"correct gradient == finite differences (to 1e-5): {correct_agrees}")
print(f"slides' gradient == finite differences (to 1e-2): {slides_agree}, "
      f"off by up to {np.abs(slides - numeric).max():.2f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Second, the four combinations of step size and gradient, 20 additive steps each from the same
# start (negative entries clipped to 0, or D_KL would be undefined). `nmf.kl_gradient_step`
# takes the two choices as options; its source is the next sub-slide.

# %% slideshow={"slide_type": "subslide"}
show_source(nmf.kl_gradient_step)

# %% slideshow={"slide_type": "subslide"}
start = nmf.kl_divergence(V, W0, H0)
kl_curves = {}
print(f"start: D_KL = {start:.1f}")
for step_rule in nmf.KL_RULES:
    for gradient_rule in nmf.KL_RULES:
        step = functools.partial(nmf.kl_gradient_step, step_rule=step_rule,
                                 gradient_rule=gradient_rule)
        label = f"{step_rule} step, {gradient_rule} gradient"
        kl_curves[label] = nmf.run_updates(step, V, W0, H0, 20, loss=nmf.kl_divergence).losses
        print(f"{label:34s} after 1 step {kl_curves[label][1]:10.3g}, after 20 "
              f"{kl_curves[label][-1]:10.3g}, monotone: {bool(np.all(np.diff(kl_curves[label]) <= 0))}")

# %%
correct_pair = kl_curves["correct step, correct gradient"]
assert np.all(np.diff(correct_pair) <= 0) and correct_pair[-1] < start
assert all(values[-1] > 10 * start for label, values in kl_curves.items() if "slides" in label)
_ = figures.nmf_rules.plot_loss_curves(kl_curves, ylabel="D_KL(V ‖ WH)", title="only the correct pair descends")
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# Only the correct pair decreases D_KL; the three others end more than ten times above where they
# started. Is the correct pair the multiplicative rule? Here is `update_kl`, then the check:

# %% slideshow={"slide_type": "subslide"}
show_source(nmf.update_kl)

# %%
assert np.allclose(nmf.kl_gradient_step(V, W0, H0).W, nmf.update_kl(V, W0, H0).W)
print("correct gradient step == update_kl")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The Nature 1999 rules (Nature 1999 中的代价函数)
#
# The paper's **cost function (代价函数)** is F = Σ_iμ (V_iμ log (WH)_iμ − (WH)_iμ), which it
# **maximises** with
#
# $$W_{ia} \leftarrow W_{ia}\sum_\mu \frac{V_{i\mu}}{(WH)_{i\mu}} H_{a\mu},\qquad
#   W_{ia} \leftarrow \frac{W_{ia}}{\sum_j W_{ja}},\qquad
#   H_{a\mu} \leftarrow H_{a\mu}\sum_i W_{ia}\frac{V_{i\mu}}{(WH)_{i\mu}}.$$
#
# > **Erratum (slides): min or max.** The slides write *min* Σ[V log(WH) − WH]. That minimum does
# > not exist: scaling W by c gives F(cW, H) = Σ V log WH + (log c) Σ V − c Σ WH, which goes to
# > −∞ as c grows. Lee and Seung *maximise* F, and so does this lesson. F is bounded above by
# > Σ(V log V − V) (next sub-slide: F is that minus D_KL ≥ 0). The unbounded direction:

# %%
constant = np.sum(V[V > 0] * np.log(V[V > 0])) - V.sum()
scaled = {c: nmf.nature1999_objective(V, c * W0, H0) for c in (1, 10, 100, 1000, 10_000)}
assert np.all(np.diff(list(scaled.values())) < 0) and scaled[10_000] < -100 * abs(scaled[1])
assert max(scaled.values()) < constant
print("F(cW, H):", "  ".join(f"c = {c}: {value:.3g}" for c, value in scaled.items()))
print(f"bounded above by Σ(V log V − V) = {constant:.1f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# How it relates to KL: F = −D_KL + Σ(V log V − V), a constant apart, so maximising F is
# minimising D_KL. The W rule is the KL rule without its division by Σ_μ H_aμ, a factor per column
# that the normalisation removes anyway; with every column of W summing to 1, the KL rule for H has
# divisor Σ_i W_ia = 1, which is the H rule above. Normalising the **basis images (基图像)** fixes
# the scale ambiguity of W and H (see the limits below). The rule, then both facts checked:

# %% slideshow={"slide_type": "subslide"}
show_source(nmf.update_nature1999)

# %%
F_start = nmf.nature1999_objective(V, W0, H0)
assert np.isclose(F_start, constant - nmf.kl_divergence(V, W0, H0), rtol=1e-12)
print(f"F = {F_start:.3f},  −D_KL + Σ(V log V − V) = {constant - nmf.kl_divergence(V, W0, H0):.3f}")
W_nature, H_nature = nmf.update_nature1999(V, W0, H0)
W_kl_step = nmf.update_kl(V, W0, H0).W
assert np.allclose(W_nature, W_kl_step / W_kl_step.sum(axis=0))
assert np.allclose(W_nature.sum(axis=0), 1.0)
print("Nature W step == KL W step with its columns normalised; columns of W sum to 1")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The three rules on the same data
#
# Euclidean, KL and Nature rules, 60 steps each from the same start (r = 16), each scored on both
# objectives (and on F):

# %%
histories = figures.nmf_rules.rule_histories(V, W0, H0, n_iter=60)
for name, h in histories.items():
    print(f"{name:10s}  ½‖V − WH‖² {h['euclidean'][-1]:8.1f}   D_KL {h['kl'][-1]:8.1f}   "
          f"F {h['nature1999'][-1]:9.1f}")
last = {name: {objective: h[objective][-1] for objective in ("euclidean", "kl")}
        for name, h in histories.items()}
assert min(last, key=lambda name: last[name]["euclidean"]) == "euclidean"
assert min(last, key=lambda name: last[name]["kl"]) == "kl"
assert last["nature1999"]["kl"] < 1.01 * last["kl"]["kl"]          # close behind
assert np.all(np.diff(histories["nature1999"]["nature1999"]) >= -1e-9 * abs(constant))

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
figures.nmf_rules.plot_loss_curves({k: h["euclidean"] for k, h in histories.items()}, ax=axes[0],
                          ylabel="½‖V − WH‖²", title="Euclidean loss of each rule", legend=False)
figures.nmf_rules.plot_loss_curves({k: h["kl"] for k, h in histories.items()}, ax=axes[1],
                          ylabel="D_KL(V ‖ WH)", title="KL divergence of each rule", ncol=3)
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# Each rule ends lowest on its own objective: the Euclidean rule on ½‖V − WH‖², the KL rule on
# D_KL, with the Nature rule within 1% of it (the same objective up to a constant; only the scale
# of W, fixed by the normalisation, differs). The Nature rule's F never decreased: it is
# maximised, as the paper says.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Watching the parts form
#
# 1000 faces, r = 49, Euclidean rules from a *random* start. The slider walks through the
# iterations; first, the loss and the share of zero pixels in the basis images at a few of them
# (the slider starts at iteration 200):

# %%
snapshots = figures.nmf_rules.basis_snapshots(random_state=SEED)
zeros = {k: nmf.sparsity(snapshots.bases[k], 1e-3) for k in (0, 10, 200)}
print("zero pixels in the basis images:", "  ".join(f"iteration {k}: {z:.0%}" for k, z in zeros.items()))
assert zeros[0] < zeros[10] < zeros[200]
assert np.all(np.diff([snapshots.losses[k] for k in figures.nmf_rules.SNAPSHOT_ITERATIONS]) < 0)

# %% tags=["nbval-ignore-output"]
interactive_figure(figures.nmf_rules.draw_basis_forming,
                   step=int_slider(0, len(figures.nmf_rules.SNAPSHOT_ITERATIONS) - 1,
                                   len(figures.nmf_rules.SNAPSHOT_ITERATIONS) - 1,
                                   description="snapshot"),
                   random_state=fixed(SEED))

# %% [markdown] slideshow={"slide_type": "fragment"}
# Noise at 0, blurry faces after a few steps, then localised parts (move the slider back to
# iteration 0): the loss falls at every snapshot and the basis images become **sparse (稀疏)**.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The limits of NMF (NMF 的缺点)
#
# **Not unique.** For any positive diagonal D (and any permutation P), W' = W D P and
# H' = Pᵀ D⁻¹ H give the same product: the basis images can be rescaled and reordered freely,
# their encodings compensate. (The Nature rules fix the scale by making each column of W sum to 1;
# the order stays arbitrary.)

# %%
W, H = histories["euclidean"]["factors"]
D = np.diag(rng.uniform(0.2, 5.0, size=W.shape[1]))
P = np.eye(W.shape[1])[rng.permutation(W.shape[1])]
W2, H2 = W @ D @ P, P.T @ np.linalg.inv(D) @ H
same = np.allclose(W @ H, W2 @ H2, rtol=1e-12, atol=1e-12)
assert same and W2.min() >= 0 and H2.min() >= 0 and not np.allclose(W, W2)
print(f"loss: {nmf.euclidean_loss(V, W, H):.4f} vs {nmf.euclidean_loss(V, W2, H2):.4f};  "
      f"WH == W'H' to 1e-12: {same};  W', H' >= 0: {bool(W2.min() >= 0 and H2.min() >= 0)}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Parts need aligned images.** Shift each face by up to 3 pixels and turn it by up to 25°, then
# fit the same NMF (r = 49, 150 steps) on the aligned and on the moved faces:

# %%
X_moved = figures.nmf_rules.shifted_rotated_faces(X, image_shape, max_shift=3, max_angle=25.0,
                                                  random_state=SEED)
bases = {}
for label, data in (("aligned", X), ("shifted and rotated", X_moved)):
    model = nmf.NMF(49, loss="euclidean", init="nndsvda", max_iter=150, tol=0, random_state=SEED)
    bases[label] = model.fit(data).components_
print("zero pixels in the basis images:",
      "  ".join(f"{label}: {nmf.sparsity(basis, 1e-3):.0%}" for label, basis in bases.items()))
assert nmf.sparsity(bases["shifted and rotated"], 1e-3) > 0.5
_ = figures.nmf_rules.plot_alignment(X_moved, bases, image_shape)
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# An eye is no longer at a fixed place, so no single basis image can be "the left eye": the basis
# images become small blobs scattered over the frame, each a bit of brightness at one position
# rather than a nameable part of a face. Still sparse (more than half their pixels are zero), but
# no longer parts.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Two more limits from the slides, which no figure here can fix: NMF learns **no syntax** between
# parts (nothing says the nose goes between the eyes), and non-negativity does **not** make the
# parts statistically independent. Faces seen from many angles or complex objects may need several
# layers of hidden variables (multi-layer NMF), not one.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Each exercise asks for one function: write it in its cell, run that cell, then run the check
# below it. The check says "Correct", or what is wrong and on which test case. Stuck?
# `hint_normalize_basis()` gives a nudge, `hint_normalize_basis(2)` a stronger hint and
# `solution_normalize_basis()` shows a solution (each exercise has its own three, named after it).
# Try before you ask: the checks' messages are written to help.

# %%
from lessons_src.exercises.nmf_rules import (
    check_normalize_basis, check_sparse_kl_h_update, hint_normalize_basis,
    hint_sparse_kl_h_update, solution_normalize_basis, solution_sparse_kl_h_update)

# %% [markdown]
# **1. Fix the scale (warm-up).** NMF is not unique: W D and D⁻¹ H give the same product
# (see the limits above). Write `normalize_basis(W, H)` returning `(W_new, H_new)` where every
# column of `W_new` sums to 1 and `W_new @ H_new` equals `W @ H`: the normalisation of the Nature
# 1999 rules.

# %% nbgrader={"grade": false, "grade_id": "07_normalize_basis", "locked": false, "schema_version": 3, "solution": true, "task": false}
def normalize_basis(W, H):
    ### BEGIN SOLUTION
    sums = W.sum(axis=0)                       # one per basis image (column of W)
    return W / sums, H * sums[:, None]         # column k divided by s_k, row k of H times s_k
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "07_normalize_basis_check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
### BEGIN HIDDEN TESTS
assert check_normalize_basis(normalize_basis), repr(check_normalize_basis(normalize_basis))
### END HIDDEN TESTS
check_normalize_basis(normalize_basis)

# %% [markdown]
# **2. A rule for a new loss (derive).** Sparse encodings are often wanted: add the penalty λ Σ_kj
# h_kj to D_KL(V ‖ WH). Derive the multiplicative H rule for D_KL + λ Σ H the way this lesson
# derived the KL rule: the gradient with respect to h_kj, then a step size η_kj per entry that
# turns the gradient step into a product. Write `sparse_kl_h_update(V, W, H, lam)` (W fixed, lam ≥
# 0; with lam = 0 it is the KL rule). Mind both errata above.

# %% nbgrader={"grade": false, "grade_id": "07_sparse_kl_h_update", "locked": false, "schema_version": 3, "solution": true, "task": false}
def sparse_kl_h_update(V, W, H, lam):
    ### BEGIN SOLUTION
    # gradient: sum_i w_ik - sum_i w_ik v_ij / [WH]_ij + lam;  step: h_kj / (sum_i w_ik + lam)
    ratio = V / (W @ H)
    return H * (W.T @ ratio) / (W.sum(axis=0)[:, None] + lam)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "07_sparse_kl_h_update_check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
### BEGIN HIDDEN TESTS
assert check_sparse_kl_h_update(sparse_kl_h_update), repr(check_sparse_kl_h_update(sparse_kl_h_update))
### END HIDDEN TESTS
check_sparse_kl_h_update(sparse_kl_h_update)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - NMF minimises ½‖V − WH‖²_F (Frobenius, not the spectral norm) or D_KL under W, H ≥ 0: convex
#   in W or H alone, not jointly, and NP-hard to solve exactly, so different starts give different
#   local minima and only the best of several can be kept.
# - The multiplicative rules are gradient descent with the per-entry steps w/[WHHᵀ] and
#   h/[WᵀWH] (Euclidean) or w/Σh and h/Σw (KL): no step to tune, non-negativity kept. The
#   auxiliary function proves the loss never increases; it does not prove the iterates reach a
#   stationary point (the zero lock is a counterexample). A fixed projected-gradient step either
#   crawls or diverges.
# - Slides' errata: the KL gradient is Σ_j (h − h v/[WH]) and the step is **w**/Σh (the printed
#   versions do not decrease D_KL); the Nature 1999 cost F is maximised, not minimised.
# - The Nature 1999 rules are the KL rules with W's columns normalised; F = −D_KL + constant.
# - NMF is not unique (W D, D⁻¹ H), and its parts need aligned data.
#
# Previous: [06 · NMF vs VQ vs PCA on faces](06_nmf_vq_pca_faces.ipynb) ·
# Next: [08 · Image features and clustering](08_image_features_and_clustering.ipynb).
