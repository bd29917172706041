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
# # 07 · NMF's update rules, derived and checked (NMF 的乘法更新规则)
#
# Lesson 06 used NMF; this one opens it. NMF is an optimisation problem (最优化问题) with
# constraints; Lee and Seung's **multiplicative updates** (乘法更新) are gradient descent with a
# cleverly chosen step size, one per entry. We derive them for the Euclidean distance and for the
# KL divergence (correcting two errors in the slides), check every step numerically, and end with
# what NMF cannot do.
#
# **In this lesson you will**
#
# - see that the problem is not convex (two starts, two different minima);
# - derive W ← W ∘ (VHᵀ)/(WHHᵀ), check its gradient and its monotone loss, and match scikit-learn;
# - watch plain projected gradient descent fail with a fixed step;
# - derive the KL rules and show numerically that the slides' step size and gradient sign fail;
# - relate the Nature 1999 rules to KL, compare the three rules, and watch the parts form;
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
# orientation V (pixels × faces).

# %%
X, image_shape = datasets.load_face_matrix("cbcl", n_faces=300, random_state=SEED)
V = X.T
print("V:", V.shape, f" ½‖V‖² = {0.5 * np.sum(V ** 2):.1f}")

# %% [markdown]
# ## NMF as constrained optimisation (约束优化)
#
# $$\min_{W, H}\; D_E = \tfrac12 \lVert V - WH \rVert_F^2 \quad \text{s.t. } W \ge 0,\ H \ge 0.$$
#
# With H fixed, D_E is a convex quadratic in W (and the other way round), but **not convex in both
# together**: we can only hope for a local minimum (局部极小值). The smallest example: one number
# v = 1 ≈ w·h. Every point of the hyperbola wh = 1 is a minimum, but the point halfway between two
# of them is not:

# %%
loss = lambda w, h: 0.5 * (1 - w * h) ** 2
a, b = (0.5, 2.0), (2.0, 0.5)
mid = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
print(f"loss at a = {loss(*a):.3f}, at b = {loss(*b):.3f}, halfway = {loss(*mid):.3f}  "
      f"> 0: a convex function could not be higher between two minima")

# %% [markdown]
# On the faces: two random starts (seeds 0 and 1), 200 multiplicative steps each, r = 9. They end
# at different losses with different bases, and the loss along the straight line between the two
# solutions rises well above both ends (a convex loss would stay under the dashed chord).

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
assert max(line) > max(line[0], line[-1])   # higher between the two minima than at either
fig, axes = plt.subplots(1, 3, figsize=(11, 3.3), width_ratios=[1.3, 1, 1])
axes[0].plot(ts, line, marker=".")
axes[0].plot([0, 1], [line[0], line[-1]], "k--", label="chord")
axes[0].set_xlabel("t: (1 − t)·solution 0 + t·solution 1")
axes[0].set_ylabel("½‖V − WH‖²")
axes[0].legend()
for ax, (seed, solution) in zip(axes[1:], enumerate(solutions)):
    ax.imshow(plotting.basis_montage(solution.H, image_shape)[0], cmap="gray", vmin=0, vmax=1)
    ax.set_title(f"basis from start {seed}")
    ax.set_axis_off()
plt.show()

# %% [markdown]
# ## The Euclidean rules, step by step (欧几里得距离)
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
show_source(nmf.finite_difference_gradient)

# %%
rng = np.random.default_rng(SEED)
Vs, Ws, Hs = rng.random((6, 5)), rng.random((6, 2)), rng.random((2, 5))
gradient_W = -(Vs - Ws @ Hs) @ Hs.T
numeric = nmf.finite_difference_gradient(lambda W: nmf.euclidean_loss(Vs, W, Hs), Ws)
gap = np.abs(gradient_W - numeric).max()
assert gap < 1e-8
print(f"max |formula − finite differences| < 1e-8: {gap < 1e-8}")

# %% [markdown]
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
# no step size to tune. Lee and Seung (NIPS 2000) prove D_E never increases. Check that the
# gradient step with these μ, η is the multiplicative step:

# %%
step_W = Ws / (Ws @ Hs @ Hs.T)
W_gd = Ws - step_W * gradient_W
H_gd = Hs - Hs / (W_gd.T @ W_gd @ Hs) * (-(W_gd.T @ (Vs - W_gd @ Hs)))
W_mu, H_mu = nmf.update_euclidean(Vs, Ws, Hs)
assert np.allclose(W_gd, W_mu) and np.allclose(H_gd, H_mu)
print("gradient step with μ = w / [WHHᵀ] == multiplicative step:", np.allclose(W_gd, W_mu))

# %% [markdown]
# **4. The code** (W first, then H with the new W; HHᵀ and WᵀW are r × r, so the n × m product WH
# is never formed):

# %%
show_source(nmf.update_euclidean)

# %% [markdown]
# **5. The check.** 200 steps on the faces (r = 16): the loss never goes up. And scikit-learn's
# `NMF(solver='mu')` from the same start, after the same 200 iterations, reaches the same loss.
# `nmf.run_updates(rule, V, W, H, n)` applies a rule n times and records the loss at the start
# and after every step; it is also the loop of our estimator `nmf.NMF`, with these same rules.

# %%
W0, H0 = nmf.initialize(V, 16, "nndsvda", random_state=SEED)
losses = nmf.run_updates(nmf.update_euclidean, V, W0, H0, 200).losses
assert np.all(np.diff(losses) <= 1e-9 * losses[0]), "the loss went up"
# scikit-learn does not mind which axis holds the faces: give it V itself, so its W is ours.
sk = SklearnNMF(16, init="custom", solver="mu", max_iter=200, tol=0)
W_sk = sk.fit_transform(V, W=W0.copy(), H=H0.copy())
sk_loss = nmf.euclidean_loss(V, W_sk, sk.components_)
print(f"ours after 200 steps: {losses[-1]:.3f}   scikit-learn: {sk_loss:.3f}   "
      f"equal to 1e-9: {abs(losses[-1] - sk_loss) <= 1e-9 * sk_loss}")
_ = figures.nmf_rules.plot_loss_curves({"multiplicative (Euclidean)": losses}, ylabel="½‖V − WH‖²",
                              title="never increases")
plt.show()

# %% [markdown]
# (Same start, same order of updates, W then H: the two runs agree to rounding. Had we given
# scikit-learn X = Vᵀ instead, its "W first" would be our "H first" and the paths would differ
# slightly.)
#
# ## For contrast: projected gradient descent with a fixed step (投影梯度下降)
#
# W ← max(0, W − s ∇_W D), H ← max(0, H − s ∇_H D) with one step s for every entry. The scale
# that matters is L = ‖HHᵀ‖₂ (the curvature in W) at the start, here a random start. Too large a
# step (1/L) overshoots: the loss oscillates with ever larger peaks, it diverges (left panel, log
# scale). Too small (0.01/L) crawls (right panel, zoomed). A good fixed step (0.3/L) works, but
# had to be found by trial; the multiplicative rule needs none.

# %%
show_source(nmf.projected_gradient_step)

# %%
W0_random, H0_random = nmf.initialize(V, 16, "random", random_state=SEED)
curvature = np.linalg.norm(H0_random @ H0_random.T, 2)
curves = {}
for label, factor in (("too large, 1/L", 1.0), ("good, 0.3/L", 0.3), ("too small, 0.01/L", 0.01)):
    fixed_step = functools.partial(nmf.projected_gradient_step, step=factor / curvature)
    values = nmf.run_updates(fixed_step, V, W0_random, H0_random, 100).losses
    curves[label] = values
    print(f"{label:18s} loss after 100 steps: {values[-1]:8.1f}  "
          f"(went up {int(np.sum(np.diff(values) > 0))} times)")
curves["multiplicative"] = nmf.run_updates(nmf.update_euclidean, V, W0_random, H0_random, 100).losses
too_large, good, too_small = (curves[k] for k in ("too large, 1/L", "good, 0.3/L", "too small, 0.01/L"))
assert max(too_large) > 1e6 * too_large[0] and good[-1] < too_small[-1] < too_small[0]
fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))
figures.nmf_rules.plot_loss_curves(curves, ax=axes[0], ylabel="½‖V − WH‖²",
                          title=f"fixed steps (L = ‖HHᵀ‖₂ = {curvature:.0f} at the start)")
figures.nmf_rules.plot_loss_curves(curves, ax=axes[1], ylabel="½‖V − WH‖²", title="zoomed in")
axes[1].set_ylim(500, 10000)
axes[1].legend(loc="center right")
plt.show()

# %% [markdown]
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
#
# > **Errata (slides).** The slides print the gradient as −Σ_j (h_kj v_ij/[WH]_ij **+** h_kj)
# > (wrong sign on the second term: that "gradient" is negative everywhere) and the step as
# > μ_ik = **1** / Σ_j h_kj (missing the factor w_ik that makes the step multiplicative). Their
# > final multiplicative rules are right. Two numerical checks follow.
#
# First, finite differences (the same helper as above) agree with the correct gradient, not with
# the slides':

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

# %% [markdown]
# Second, the four combinations of step size and gradient, 20 additive steps each from the same
# start (negative entries clipped to 0, or D_KL would be undefined). Only the correct pair
# decreases D_KL; the others blow it up.

# %%
show_source(nmf.kl_gradient_step)

# %%
W0_kl, H0_kl = nmf.initialize(V, 16, "nndsvda", random_state=SEED)
start = nmf.kl_divergence(V, W0_kl, H0_kl)
kl_curves = {}
print(f"start: D_KL = {start:.1f}")
for step_rule in nmf.KL_RULES:
    for gradient_rule in nmf.KL_RULES:
        step = functools.partial(nmf.kl_gradient_step, step_rule=step_rule,
                                 gradient_rule=gradient_rule)
        values = nmf.run_updates(step, V, W0_kl, H0_kl, 20, loss=nmf.kl_divergence).losses
        label = f"{step_rule} step, {gradient_rule} gradient"
        kl_curves[label] = values
        print(f"{label:34s} after 1 step {values[1]:10.3g}, after 20 {values[-1]:10.3g}, "
              f"monotone: {bool(np.all(np.diff(values) <= 0))}")
_ = figures.nmf_rules.plot_loss_curves(kl_curves, ylabel="D_KL(V ‖ WH)", title="only the correct pair descends")
plt.show()

# %% [markdown]
# The correct pair is exactly the multiplicative rule:

# %%
show_source(nmf.update_kl)

# %%
assert np.allclose(nmf.kl_gradient_step(V, W0_kl, H0_kl).W, nmf.update_kl(V, W0_kl, H0_kl).W)
print("correct gradient step == update_kl")

# %% [markdown]
# ## The Nature 1999 rules (Nature 1999 中的代价函数)
#
# The paper maximises F = Σ_iμ (V_iμ log (WH)_iμ − (WH)_iμ) with
#
# $$W_{ia} \leftarrow W_{ia}\sum_\mu \frac{V_{i\mu}}{(WH)_{i\mu}} H_{a\mu},\qquad
#   W_{ia} \leftarrow \frac{W_{ia}}{\sum_j W_{ja}},\qquad
#   H_{a\mu} \leftarrow H_{a\mu}\sum_i W_{ia}\frac{V_{i\mu}}{(WH)_{i\mu}}.$$
#
# How it relates to KL: F = −D_KL + Σ(V log V − V), a constant apart, so maximising F is
# minimising D_KL. The W rule is the KL rule without its division by Σ_μ H_aμ, a factor per column
# that the normalisation removes anyway; with every column of W summing to 1, the KL rule for H has
# divisor Σ_i W_ia = 1, which is the H rule above. Normalising the basis images fixes the scale
# ambiguity of W and H (see the limits below).

# %%
show_source(nmf.update_nature1999)

# %%
constant = np.sum(V[V > 0] * np.log(V[V > 0])) - V.sum()
W, H = W0_kl, H0_kl
print(f"F = {nmf.nature1999_objective(V, W, H):.3f},  −D_KL + Σ(V log V − V) = "
      f"{constant - nmf.kl_divergence(V, W, H):.3f}")
W_nature, H_nature = nmf.update_nature1999(V, W, H)
W_kl_step = nmf.update_kl(V, W, H).W
assert np.allclose(W_nature, W_kl_step / W_kl_step.sum(axis=0))
assert np.allclose(W_nature.sum(axis=0), 1.0)
print("Nature W step == KL W step with its columns normalised; columns of W sum to 1")

# %% [markdown]
# ## The three rules on the same data
#
# Euclidean, KL and Nature rules, 60 steps each from the same start (r = 16), each scored on both
# objectives. Each rule ends lowest on its own objective: the Euclidean rule on ½‖V − WH‖², the
# two KL-type rules on D_KL, where the Nature rule tracks the KL rule closely (same objective up to
# a constant; only the scale of W, fixed by the normalisation, differs).

# %%
histories = figures.nmf_rules.rule_histories(V, W0_kl, H0_kl, n_iter=60)
fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))
figures.nmf_rules.plot_loss_curves({k: h["euclidean"] for k, h in histories.items()}, ax=axes[0],
                          ylabel="½‖V − WH‖²", title="Euclidean loss of each rule")
figures.nmf_rules.plot_loss_curves({k: h["kl"] for k, h in histories.items()}, ax=axes[1],
                          ylabel="D_KL(V ‖ WH)", title="KL divergence of each rule")
plt.show()
for name, h in histories.items():
    print(f"{name:10s}  ½‖V − WH‖² {h['euclidean'][-1]:8.1f}   D_KL {h['kl'][-1]:8.1f}   "
          f"F {h['nature1999'][-1]:9.1f}")
last = {name: {objective: h[objective][-1] for objective in ("euclidean", "kl")}
        for name, h in histories.items()}
assert min(last, key=lambda name: last[name]["euclidean"]) == "euclidean"
assert min(last, key=lambda name: last[name]["kl"]) == "kl"
assert last["nature1999"]["kl"] < 1.01 * last["kl"]["kl"]          # close behind
assert np.all(np.diff(histories["nature1999"]["nature1999"]) >= -1e-9 * abs(constant))

# %% [markdown]
# ## Watching the parts form
#
# 1000 faces, r = 49, Euclidean rules from a *random* start. The slider walks through the
# iterations: noise at 0, blurry faces after a few steps, then localised parts. The static figure
# is iteration 200.

# %%
_ = figures.nmf_rules.draw_basis_forming(step=len(figures.nmf_rules.SNAPSHOT_ITERATIONS) - 1,
                                         random_state=SEED)
plt.show()

# %% tags=["nbval-ignore-output"]
interactive_figure(figures.nmf_rules.draw_basis_forming,
                   step=int_slider(0, len(figures.nmf_rules.SNAPSHOT_ITERATIONS) - 1,
                                   len(figures.nmf_rules.SNAPSHOT_ITERATIONS) - 1,
                                   description="snapshot"),
                   random_state=fixed(SEED))

# %% [markdown]
# ## The limits of NMF (NMF 的缺点)
#
# **Not unique.** For any positive diagonal D (and any permutation P), W' = W D P and
# H' = Pᵀ D⁻¹ H give exactly the same product: the basis images can be rescaled and reordered
# freely, their encodings compensate. (The Nature rules fix the scale by making each column of W
# sum to 1; the order stays arbitrary.)

# %%
W, H = histories["euclidean"]["factors"]
D = np.diag(rng.uniform(0.2, 5.0, size=W.shape[1]))
P = np.eye(W.shape[1])[rng.permutation(W.shape[1])]
W2, H2 = W @ D @ P, P.T @ np.linalg.inv(D) @ H
print(f"loss: {nmf.euclidean_loss(V, W, H):.4f} vs {nmf.euclidean_loss(V, W2, H2):.4f};  "
      f"max |WH − W'H'| = {np.abs(W @ H - W2 @ H2).max():.1e};  W' ≥ 0: {bool(W2.min() >= 0)}")

# %% [markdown]
# **Parts need aligned images.** Shift each face by up to 3 pixels and turn it by up to 25°, then
# fit the same NMF (r = 49, 150 steps). An eye is no longer at a fixed place, so no single basis
# image can be "the left eye": the basis images shrink to small blobs scattered over the frame,
# each a bit of brightness at one position rather than a nameable part of a face. Sparse, but no
# longer parts.

# %%
X_moved = figures.nmf_rules.shifted_rotated_faces(X, image_shape, max_shift=3, max_angle=25.0,
                                                  random_state=SEED)
fig, axes = plt.subplots(1, 3, figsize=(11, 3.9), width_ratios=[0.8, 1, 1])
axes[0].imshow(plotting.basis_montage(X_moved[:16], image_shape)[0], cmap="gray", vmin=0, vmax=1)
axes[0].set_title("moved faces")
for ax, (label, data) in zip(axes[1:], (("aligned", X), ("shifted and rotated", X_moved))):
    model = nmf.NMF(49, loss="euclidean", init="nndsvda", max_iter=150, tol=0, random_state=SEED)
    model.fit(data)
    ax.imshow(plotting.basis_montage(model.components_, image_shape)[0], cmap="gray", vmin=0, vmax=1)
    ax.set_title(f"NMF basis, {label}\n{nmf.sparsity(model.components_, 1e-3):.0%} zero pixels")
for ax in axes:
    ax.set_axis_off()
plt.show()


# %% [markdown]
# Two more limits from the slides, which no figure here can fix: NMF learns **no syntax** between
# parts (nothing says the nose goes between the eyes), and non-negativity does **not** make the
# parts statistically independent. Faces seen from many angles or complex objects may need several
# layers of hidden variables (multi-layer NMF), not one.

# %% [markdown]
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

# %% [markdown]
# ## Summary
#
# - NMF minimises ½‖V − WH‖² (or D_KL) under W, H ≥ 0: convex in W or H alone, not jointly, so
#   different starts give different local minima.
# - The multiplicative rules are gradient descent with the per-entry steps w/[WHHᵀ] and
#   h/[WᵀWH] (Euclidean) or w/Σh and h/Σw (KL): no step to tune, non-negativity kept, loss
#   monotone. A fixed projected-gradient step either crawls or blows up.
# - Slides' errata: the KL gradient is Σ_j (h − h v/[WH]) and the step is **w**/Σh; the printed
#   versions do not decrease D_KL.
# - The Nature 1999 rules are the KL rules with W's columns normalised; F = −D_KL + constant.
# - NMF is not unique (W D, D⁻¹ H), and its parts need aligned data.
