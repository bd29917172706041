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
# # 08 · Image features and image-collection clustering (图像特征与图像聚类)
#
# The whole lecture in one lesson, **image clustering (图像聚类)**: turn every image of a
# collection into a vector of **features (特征)**, group the vectors with a **clustering (聚类)**
# algorithm, and score the groups against the truth. Five feature kinds (raw pixels, PCA, NMF,
# graph-regularised NMF, SIFT **visual words (视觉单词)**), three algorithms (**K-Means (K均值)**,
# **hierarchical clustering (层次聚类)**, **spectral clustering (谱聚类)**), four real collections.
#
# **In this lesson you will**
#
# - run the full pipeline in one call, then take it apart;
# - see SIFT **keypoints (关键点)** on a face, a dense grid of SIFT descriptors on a digit, and
#   the visual words a vocabulary learns;
# - compare features × algorithms on ORL faces, digits, textures and faces vs non-faces, as
#   heat maps of ARI / NMI / accuracy / silhouette;
# - build the bag of visual words as practitioners do (RootSIFT, TF-IDF, L2), one measured step
#   at a time;
# - look inside the clusters with galleries, and explore them with menus.

# %%
from lessons_src.preamble import *
from ipywidgets import fixed
from lessons_src import datasets, features, figures, kmeans, nmf, pipeline, plotting
from lessons_src.widgets import interactive_figure, dropdown, int_slider

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. The pipeline in one call
#
# `cluster_images(images, n_clusters, features, algorithm)` takes any stack of images (gray or
# colour, uint8 or float, any size) and returns one cluster label per image; `evaluate` scores
# the labels against the true classes. Here: 600 handwritten digits, PCA features, K-Means,
# K = 10. Look at the three scores.

# %%
digit_images, digit_labels = datasets.load_digits_images()
digit_images, digit_labels = digit_images[:600], digit_labels[:600]
labels = pipeline.cluster_images(digit_images, 10, features="pca", algorithm="kmeans",
                                 random_state=SEED)
for name, value in pipeline.evaluate(digit_labels, labels).items():
    print(f"{name:>10}: {value:.3f}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# ARI and NMI (lesson 05) compare with the truth; **accuracy** first matches each cluster to a
# class (Hungarian matching). Given the feature matrix, `evaluate` adds the **silhouette
# (轮廓系数)**, which judges the clusters alone, in feature space (section 5). The call is two
# steps, both public: `compute_features`, then `cluster_features`. The defaults (written in `pipeline`'s docstring) need no tuning:
# images larger than 1024 pixels are shrunk, raw pixels and PCA coordinates are centred and
# scaled to unit length (the angle between two images counts, not their brightness), K-Means
# keeps the best of 10 starts, hierarchical clustering uses Ward linkage, and spectral
# clustering a k-nearest-neighbour graph sized from n and K.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. Five kinds of features
#
# - **raw**: the pixels, one number each;
# - **PCA**: the coordinates on the first principal axes (the "eigen-images" of lesson 06);
# - **NMF**: the non-negative weights of the parts (lessons 06 and 07);
# - **GNMF**: graph-regularised NMF (lesson 11): NMF whose weights are kept close for images
#   that are near neighbours (Cai et al. 2011: 5 neighbours, λ = 100, unit-length images);
# - **SIFT bag of visual words (视觉词袋)**: a histogram of local gradient patterns (next
#   section).
#
# Same 600 digits, one matrix per kind, one row per image (PCA, NMF and GNMF keep at most 40
# components and at most a third of the pixels: 21 here):

# %%
digit_features = {name: pipeline.compute_features(digit_images, name, random_state=SEED)
                  for name in ("raw", "pca", "nmf", "gnmf")}
for name, matrix in digit_features.items():
    print(f"{name:>4}: {matrix.shape[0]} images x {matrix.shape[1]:>2} features")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. SIFT: keypoints, descriptors, visual words
#
# **SIFT (尺度不变特征变换)** finds **keypoints (关键点)**: blobs at some position and scale,
# each with a main gradient orientation, and describes the patch around each by 4 × 4 cells of
# 8-bin gradient-orientation histograms: 128 numbers. scikit-image's `SIFT` on one ORL face
# (circles: keypoint scale; lines: orientation):

# %%
orl_images, orl_people = datasets.load_orl_faces()
keypoints = figures.features.plot_sift_keypoints(orl_images[0], max_keypoints=25)
plt.show()
print("descriptors:", keypoints.sift.descriptors.shape)

# %% [markdown] slideshow={"slide_type": "subslide"}
# An 8 × 8 digit is too small for the detector (even upsampled twice, as scikit-image does):
# on the 600 digits, scaled to [0, 1], it finds fewer keypoints than digits, and most digits get
# none:

# %%
found = [len(d) for d in figures.features.keypoint_descriptors(digit_images)]
print(f"{sum(found)} keypoints in {len(found)} digits; {found.count(0)} digits have none")
assert sum(found) < len(found) and found.count(0) > len(found) / 2

# %% [markdown] slideshow={"slide_type": "fragment"}
# So `sift_bovw_features` samples **densely**: it upsamples each digit to 32 × 32 and puts upright keypoints of a fixed
# scale on a grid. Each keypoint's descriptor reads a 24-pixel window (the 4 × 4 cells drawn
# for one of them): most of a digit, so each describes a stroke in its context.

# %%
bag = features.sift_bovw_features(digit_images, n_words=50, random_state=SEED,
                                  return_details=True)
_ = figures.features.plot_dense_grid(bag.gray[0], bag.positions, highlight=5)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# The descriptors are exactly scikit-image's SIFT descriptors for these keypoints, computed
# for all keypoints of a batch of images at once (the tests compare them with
# `skimage.feature.SIFT`). K-Means on a
# random 6000 of the 9600 descriptors learns a **vocabulary** of 50 visual words; every
# descriptor then counts as its nearest word. Below, the six most frequent words, each shown by the six image patches
# nearest to it: one word is one kind of stroke piece.

# %%
_ = figures.features.plot_visual_words(bag, n_words=6, n_examples=6)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# An image's features are the **histogram** of its words, divided by its number of
# descriptors (16 here), so each row sums to 1:

# %%
print("histogram of digit 0 (a '0'), first 12 words:", np.round(bag.features[0, :12], 3))
print("each row sums to 1:", np.allclose(bag.features.sum(axis=1), 1.0))
digit_features["sift"] = bag.features   # the same as compute_features(digit_images, "sift")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. Four collections
#
# - **ORL faces by person**: 400 photos, 40 people (K = 40);
# - **digits**: the 600 above (K = 10);
# - **textures**: 32 × 32 patches cut from scikit-image's brick, grass and gravel (K = 3);
# - **faces vs non-faces**: scikit-image's `lfw_subset`, 200 images of 25 × 25, the first 100
#   faces and the last 100 not (K = 2).
#
# The texture patches are cut at random places from each photograph, shrunk by 2 first so a
# patch holds a few bricks or pebbles (`figures.features.texture_patches`):

# %%
texture_names = list(figures.features.TEXTURE_NAMES)
texture_images, texture_labels = figures.features.texture_patches(40, random_state=SEED)
_ = plotting.show_images(texture_images[::8], n_cols=15, size=0.8,
                titles=[texture_names[k] for k in texture_labels[::8]])
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# The faces-vs-non-faces set. The documentation says the first 100 are faces and the last
# 100 are not; the first five of each half confirm it:

# %%
import skimage.data

lfw_images = skimage.data.lfw_subset()
lfw_labels = np.repeat([0, 1], 100)          # 0 = face, 1 = non-face
print(lfw_images.shape, lfw_images.dtype)
_ = plotting.show_images(lfw_images[[0, 1, 2, 3, 4, 100, 101, 102, 103, 104]], n_cols=10, size=0.9,
                titles=["face"] * 5 + ["non-face"] * 5)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# Now the features of every collection, computed **once** (everything below reuses them):

# %%
collections = {
    "ORL": (orl_images, orl_people, 40, None),
    "digits": (digit_images, digit_labels, 10, None),
    "textures": (texture_images, texture_labels, 3, texture_names),
    "faces": (lfw_images, lfw_labels, 2, ["face", "non-face"]),
}
feature_cache = {name: {f: digit_features[f] if name == "digits" else
                        pipeline.compute_features(images, f, random_state=SEED)
                        for f in pipeline.FEATURES}
                 for name, (images, _, _, _) in collections.items()}
print({name: {f: m.shape[1] for f, m in cache.items()} for name, cache in feature_cache.items()})

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. Features × algorithms, scored
#
# Every feature kind with every algorithm on every collection: 60 clusterings, each scored.

# %%
scores = {}
for name, (images, truth, k, _) in collections.items():
    for f, matrix in feature_cache[name].items():
        for algorithm in pipeline.ALGORITHMS:
            found = pipeline.cluster_features(matrix, k, algorithm, random_state=SEED)
            scores[name, f, algorithm] = pipeline.evaluate(truth, found, features=matrix)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ORL faces by person: the four scores as heat maps (rows: features, columns: algorithms).
# Bright is good. Compare the rows: which feature helps every algorithm?

# %%
orl_scores = {(f, a): s for (name, f, a), s in scores.items() if name == "ORL"}
_ = figures.features.plot_score_heatmap(orl_scores, title="ORL faces, 40 people")
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# NMI of all four collections side by side:

# %%
fig, axes = plt.subplots(1, 4, figsize=(12.4, 3.2))
for ax, name in zip(axes, collections):
    table = {(f, a): s for (n, f, a), s in scores.items() if n == name}
    figures.features.plot_score_heatmap(table, metrics=("NMI",), axes=[ax])
    ax.set_title(f"{name}: NMI")
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# Read the maps, one collection at a time. First the best of each, and the best NMI, ARI and
# matched accuracy of each feature kind:

# %%
nmi = {key: s["NMI"] for key, s in scores.items()}       # key: (collection, features, algorithm)
best = {name: max((key for key in nmi if key[0] == name), key=nmi.get) for name in collections}
for name, (_, feature, algorithm) in best.items():
    print(f"{name:>8}: best NMI {nmi[best[name]]:.3f} with {feature} + {algorithm}")
top = {}                                      # (collection, features, metric): best over algorithms
for (name, feature, _), s in scores.items():
    for metric in ("NMI", "ARI", "accuracy"):
        top[name, feature, metric] = max(s[metric], top.get((name, feature, metric), -1.0))
assert best["ORL"][1] in ("raw", "pca") and best["ORL"][2] == "spectral"
assert top["textures", "nmf", "NMI"] < 0.1
assert top["digits", "sift", "NMI"] < min(top["digits", "raw", "NMI"], top["digits", "pca", "NMI"])
assert min(top["faces", "sift", "NMI"], top["faces", "nmf", "NMI"]) > top["faces", "raw", "NMI"]

# %%
others = [f for f in pipeline.FEATURES if f != "sift"]
for metric in ("NMI", "ARI", "accuracy"):
    print(f"textures, best {metric:>8}: " + ", ".join(
        f"{f} {top['textures', f, metric]:.2f}" for f in pipeline.FEATURES))
best_accuracy = max((key for key in scores if key[0] == "textures"),
                    key=lambda key: scores[key]["accuracy"])
print(f"textures, best matched accuracy: {best_accuracy[1]} + {best_accuracy[2]} "
      f"({scores[best_accuracy]['accuracy']:.3f})")
for metric in ("NMI", "ARI"):
    assert top["textures", "sift", metric] > 0.1 + max(top["textures", f, metric] for f in others)
assert best_accuracy[1] != "sift"

# %% [markdown] slideshow={"slide_type": "fragment"}
# - **Faces by person** are best grouped by their normalised pixels or PCA coordinates, and
#   spectral clustering, which follows chains of near neighbours, is the best algorithm.
# - **Textures** have no fixed layout: a brick patch shifted by a few pixels has quite
#   different pixels, but the same *kinds* of local gradients. SIFT words win on NMI and ARI, by
#   more than 0.1 over every other feature: the histogram forgets *where* each pattern is. Not
#   on matched accuracy, though: the best accuracy printed above is not a SIFT run. Accuracy
#   counts one-to-one matched images, NMI and ARI the whole **contingency table (列联表)**; a clustering can
#   match more images and still mix the rest more. NMF fails completely here (NMI near 0): its
#   parts are fixed pixel positions, and the patches share none.
# - **Digits** are the opposite: *where* a stroke lies is the class, and a bag of words throws
#   that away, so SIFT trails the pixel features.
# - **Faces vs non-faces** is the hardest case for pixels (the non-faces are anything); local
#   gradient patterns (SIFT) and parts (NMF) separate the two groups better.
# - The **silhouette** needs no truth, and it does not always agree with ARI: it rewards
#   compact, separated groups in feature space, whether or not they are the classes.

# %% [markdown] slideshow={"slide_type": "subslide"}
# **GNMF against NMF.** A published reference (Cai et al. 2011, NMI on COIL-20, 20 objects):
# K-Means 0.74, NMF 0.74, graph-regularised NMF 0.88. Here, K-Means on each, from the table:

# %%
for name in collections:
    print(f"{name:>8}: K-Means NMI on NMF {nmi[name, 'nmf', 'kmeans']:.3f}, "
          f"on GNMF {nmi[name, 'gnmf', 'kmeans']:.3f}")
assert nmi["ORL", "gnmf", "kmeans"] > nmi["ORL", "nmf", "kmeans"]
assert nmi["digits", "gnmf", "kmeans"] > nmi["digits", "nmf", "kmeans"]
assert nmi["faces", "gnmf", "kmeans"] < nmi["faces", "nmf", "kmeans"]

# %% [markdown]
# Is GNMF's graph worse on faces vs non-faces? The share of its edges that join two images of
# the same class (person, or face / non-face):

# %%
same = {}                                    # edges joining two images of one class
for name in ("ORL", "faces"):                 # the graph GNMF builds: unit-length pixels
    images, truth = collections[name][:2]
    pixels = pipeline.prepare_images(images).reshape(len(images), -1)
    pixels = pixels / np.linalg.norm(pixels, axis=1, keepdims=True)
    rows, cols = nmf.neighbor_graph(pixels, n_neighbors=5).nonzero()
    same[name] = np.mean(truth[rows] == truth[cols])
print(f"same-class graph edges: ORL {same['ORL']:.0%}, faces vs non-faces {same['faces']:.0%}")
assert same["faces"] > same["ORL"]

# %% [markdown] slideshow={"slide_type": "fragment"}
# On ORL and on digits the graph helps, as in the paper (the unit tests repeat this for seeds
# 0, 1 and 2: mean NMI 0.885 against 0.856 on ORL, 0.856 against 0.666 on digits). On faces vs
# non-faces it does worse, although its graph is no worse: more of its edges join two images of
# the same group than on ORL. A good neighbour graph is not enough; measure the clusters.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. SIFT words done right
#
# The bag of words above is the textbook one. Practitioners add three steps:
#
# - **dense, upsampled**: descriptors on a grid of each image upsampled so SIFT's 4 × 4-cell
#   window (about 24 pixels here) covers a stroke or a texture element, instead of the few
#   keypoints scikit-image's detector finds in a small image;
# - **RootSIFT** (Arandjelović and Zisserman 2012): divide each descriptor by its sum and take
#   square roots; **Euclidean distance (欧氏距离)** then is the Hellinger distance, so one strong gradient bin
#   no longer dominates;
# - **TF-IDF** (Sivic and Zisserman 2003): weight word w by log(n / n_w), n_w the images that
#   use it, so words every image has count for little; then **L2** normalisation (unit length)
#   instead of dividing by the count.
#
# Each step's NMI (K-Means, 50 words, seeds 0, 1, 2) on three collections, the first row the
# baseline: scikit-image's `SIFT()` keypoints with a K-Means vocabulary:

# %%
recipe = {name: figures.features.recipe_nmi(*collections[name][:3], n_words=50, seeds=(0, 1, 2))
          for name in ("faces", "digits", "textures")}
steps = list(figures.features.RECIPE_STEPS)
mean = {(name, step): recipe[name][step].mean() for name in recipe for step in steps}
print(" " * 22 + "".join(f"{name:>10}" for name in recipe))
for step in steps:
    print(f"{step:>22}" + "".join(f"{mean[name, step]:>10.3f}" for name in recipe))

# %% [markdown] slideshow={"slide_type": "subslide"}
# The same as bars (dots: each seed), and the claims below, checked:

# %%
_ = figures.features.plot_recipe_steps(recipe)
plt.show()
for name in recipe:
    assert mean[name, "dense, upsampled"] > mean[name, "plain SIFT keypoints"]
for later, earlier in zip(steps[2:], steps[1:]):
    assert mean["faces", later] > mean["faces", earlier]
assert mean["digits", "+ L2 norm"] > mean["digits", "dense, upsampled"]
assert mean["textures", "+ L2 norm"] < mean["textures", "dense, upsampled"]
assert mean["textures", "+ L2 norm"] < mean["textures", "plain SIFT keypoints"]

# %% [markdown] slideshow={"slide_type": "fragment"}
# - The dense grid on upsampled images is the big step on every collection: the detector finds
#   a few keypoints, or none, in a 25 × 25 face or an 8 × 8 digit.
# - On faces vs non-faces each further step adds; on digits the full recipe ends a little above
#   the plain dense words.
# - On the three textures the reweighting hurts: the full recipe ends below the plain dense
#   words, and even below the keypoint baseline (which finds many keypoints in a texture). With
#   three classes and 50 words, the words shared by a whole texture are the signal, and TF-IDF
#   lowers exactly those. The recipe was made for retrieval in large, varied collections: measure
#   before you adopt it.
#
# The vocabulary size on a slider (faces vs non-faces, one seed): how few words are enough,
# and does every step keep its gain?

# %% tags=["nbval-ignore-output"]
interactive_figure(figures.features.draw_vocabulary_size, images=fixed(lfw_images),
                   labels_true=fixed(lfw_labels), n_clusters=fixed(2), seed=fixed(SEED),
                   name=fixed("faces vs non-faces:"),
                   n_words=int_slider(10, 100, 50, step=10, description="words"))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7. Cluster galleries: what each cluster holds
#
# A row of thumbnails per cluster (largest first); a **red frame** marks an image whose true
# class is not the cluster's majority. ORL with raw pixels and spectral clustering, the six
# largest clusters (the largest clusters are where two people get merged):

# %%
orl_labels = pipeline.cluster_features(feature_cache["ORL"]["raw"], 40, "spectral", random_state=SEED)
_ = figures.features.plot_cluster_gallery(orl_images, orl_labels, orl_people, max_clusters=6,
                                          title="ORL: raw + spectral, K = 40")
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# Faces vs non-faces with K-Means on raw pixels: which non-faces pass for faces?

# %%
face_labels = pipeline.cluster_features(feature_cache["faces"]["raw"], 2, "kmeans", random_state=SEED)
_ = figures.features.plot_cluster_gallery(lfw_images, face_labels,
                                          np.array(["face", "non-face"])[lfw_labels], n_per_row=12,
                                          title="faces vs non-faces: raw + K-Means, K = 2")
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 8. Explore: features, algorithm and K
#
# The texture patches, with any features, algorithm and number of clusters (it starts at SIFT
# words, spectral, K = 3). Try raw pixels: what do the clusters group instead of the texture?
# Try K = 1 and K = 6.

# %% tags=["nbval-ignore-output"]
interactive_figure(figures.features.draw_cluster_gallery, images=fixed(texture_images),
                   labels_true=fixed(texture_labels),
                   feature_matrices=fixed(feature_cache["textures"]),
                   class_names=fixed(texture_names), random_state=fixed(SEED),
                   features=dropdown(list(pipeline.FEATURES), "sift", "features"),
                   algorithm=dropdown(list(pipeline.ALGORITHMS), "spectral", "algorithm"),
                   n_clusters=int_slider(1, 12, 3, description="K"))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 9. Where the from-scratch versions fit
#
# The pipeline uses scikit-learn's `PCA`, `NMF`, `KMeans`, `AgglomerativeClustering` and
# `SpectralClustering` (robust and fast). Each has a from-scratch twin in an earlier lesson:
# `lessons_src.kmeans.KMeans` (lessons 01-02), `lessons_src.nmf.NMF` (lesson 07), the
# hierarchical and spectral code of lessons 03-04. Any of them can replace a stage. For
# example, our own K-Means on the ORL PCA features:

# %%
X = feature_cache["ORL"]["pca"]
ours = kmeans.KMeans(n_clusters=40, n_init=10, random_state=SEED).fit(X).labels_
theirs = pipeline.cluster_features(X, 40, "kmeans", random_state=SEED)
print(f"from-scratch K-Means NMI {pipeline.evaluate(orl_people, ours)['NMI']:.3f}, "
      f"scikit-learn K-Means NMI {pipeline.evaluate(orl_people, theirs)['NMI']:.3f}")


# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Each exercise asks for one function: write it in its cell, run that cell, then run the check
# below it. The check says "Correct", or what is wrong and on which test case. Stuck?
# `hint_bovw_vector()` gives a nudge, `hint_bovw_vector(2)` a stronger hint and
# `solution_bovw_vector()` shows a solution (each exercise has its own three, named after it). Try
# before you ask: the checks' messages are written to help.

# %%
from lessons_src.exercises.features import (
    check_angle_from_distance, check_bovw_vector, hint_angle_from_distance, hint_bovw_vector,
    solution_angle_from_distance, solution_bovw_vector)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 1: one image's bag of words (warm-up)
#
# Section 3 described it in words: every descriptor counts as its nearest visual word, and an
# image's feature is the histogram of its words divided by its number of descriptors. Write
# `bovw_vector(descriptors, vocabulary)` for one image: `descriptors` of shape (n_descriptors, d),
# `vocabulary` of shape (n_words, d); return the n_words fractions.

# %% nbgrader={"grade": false, "grade_id": "08_bovw_vector", "locked": false, "schema_version": 3, "solution": true, "task": false}
def bovw_vector(descriptors, vocabulary):
    ### BEGIN SOLUTION
    squared = ((descriptors[:, None, :] - vocabulary[None, :, :]) ** 2).sum(axis=2)
    words = np.argmin(squared, axis=1)                        # each descriptor's nearest word
    counts = np.bincount(words, minlength=len(vocabulary))   # a 0 for every unused word too
    return counts / len(descriptors)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "08_bovw_vector_check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
### BEGIN HIDDEN TESTS
assert check_bovw_vector(bovw_vector), repr(check_bovw_vector(bovw_vector))
### END HIDDEN TESTS
check_bovw_vector(bovw_vector)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2: distance is angle (derive)
#
# The pipeline scales every image's raw or PCA features to length 1 (section 1), so that K-Means
# compares images by their angle rather than their brightness. Make that exact: two vectors of
# length 1 are at Euclidean distance d; what is the angle between them? Derive it, and write
# `angle_from_distance(distance)` returning the angle in degrees (`distance` is a number or an
# array). Then: how far apart, in degrees, are two faces at distance 0.5?

# %% nbgrader={"grade": false, "grade_id": "08_angle_from_distance", "locked": false, "schema_version": 3, "solution": true, "task": false}
def angle_from_distance(distance):
    ### BEGIN SOLUTION
    cosine = 1 - np.asarray(distance) ** 2 / 2            # ||a - b||^2 = 2 - 2 cos(angle)
    return np.degrees(np.arccos(np.clip(cosine, -1, 1)))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "08_angle_from_distance_check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
### BEGIN HIDDEN TESTS
assert check_angle_from_distance(angle_from_distance), repr(check_angle_from_distance(angle_from_distance))
### END HIDDEN TESTS
check_angle_from_distance(angle_from_distance)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - Image clustering = features → clustering → scores; `pipeline.cluster_images` does all
#   three, `evaluate` scores with ARI, NMI, matched accuracy and silhouette.
# - Which feature wins depends on the collection: normalised pixels / PCA for aligned faces
#   and digits (where a stroke lies matters), SIFT visual words for textures (what kinds of
#   local patterns occur, not where).
# - A bag of visual words: dense SIFT descriptors → K-Means vocabulary → one normalised word
#   histogram per image. The dense grid on upsampled images is the big gain over detected
#   keypoints; RootSIFT, TF-IDF and L2 help on faces vs non-faces, barely on digits, and hurt on
#   three textures: measure each step on your own collection.
# - GNMF's neighbour graph lifts NMF's clustering on ORL and digits, not on faces vs non-faces.
# - Spectral clustering with a neighbour graph was the best algorithm on faces; Ward is a
#   strong deterministic choice; K-Means depends on its starts.
# - Look at the galleries, not only at the numbers: the errors show what the features see.

# %% [markdown]
# ---
# Previous: [07 · NMF update rules](07_nmf_update_rules.ipynb) ·
# Next: [09 · Pixel segmentation](09_pixel_segmentation.ipynb)
