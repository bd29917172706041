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
# # 00 · Overview: NMF and image clustering (NMF 与图像聚类)
#
# This collection teaches one lecture: how to group images (and the pixels of one image) without
# labels, and how non-negative matrix factorisation (NMF, 非负矩阵分解) finds the parts that images
# are made of. Every lesson is a notebook you can run top to bottom in a few seconds, with sliders
# wherever a parameter matters.
#
# **In this notebook you will**
#
# - see the map of the lecture: features → clustering → evaluation, and pixels → segmentation;
# - take a picture tour of every data set the lessons use;
# - learn how the sliders work, and where each lesson lives.

# %% [markdown] slideshow={"slide_type": "fragment"}
# Every lesson starts with the same cell. It sets the figure style, the print precision and the
# seed constant `SEED` that every random generator receives.

# %%
from lessons_src.preamble import *
from lessons_src import datasets, figures, plotting
from lessons_src.widgets import interactive_figure, dropdown

print("SEED =", SEED)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The map of the lecture
#
# **Image clustering (图像聚类)** = **feature extraction (特征提取)** → **clustering (聚类)** →
# **evaluation (评价指标)**. Each image becomes a vector of features (raw pixels, PCA, NMF, or a
# histogram of SIFT "visual words" (视觉单词)); a clustering algorithm groups the vectors; a score compares
# the groups with the truth (RI, ARI) or judges them alone (silhouette). Clustering the *pixels*
# of one image instead of whole images is **segmentation (图像分割)**. The numbers in brackets are
# the lessons.

# %%
_ = figures.overview.plot_lecture_map()
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A picture tour of the data
#
# Nothing is downloaded: the two face databases ship inside `lessons_src`, the rest inside
# scikit-learn and scikit-image.
#
# ### CBCL faces: the data of Lee and Seung's NMF paper
#
# 2429 faces of 19 × 19 pixels, cropped and aligned (MIT CBCL Face Database #1). Lessons 06 and 07
# factorise them into 49 basis images (基图像).

# %%
cbcl = datasets.load_cbcl_faces()
print("CBCL:", cbcl.shape, cbcl.dtype)
_ = plotting.show_images(cbcl[:20], n_cols=10, suptitle="CBCL faces (first 20)")
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### ORL faces: 40 people, 10 photos each
#
# 400 images of 112 × 92 (AT&T Laboratories Cambridge). Less tightly cropped than CBCL, with
# turns of the head: good for clustering *by person* (lesson 08), and an honest case where NMF's
# parts are less local (lesson 06). Below, the first photo of 10 people, then all 10 photos of one.

# %%
orl_images, orl_people = datasets.load_orl_faces()
print("ORL:", orl_images.shape, "people:", len(np.unique(orl_people)))
first_photo = [np.flatnonzero(orl_people == p)[0] for p in range(10)]
_ = plotting.show_images(orl_images[first_photo], titles=[f"person {p}" for p in range(10)])
plt.show()
_ = plotting.show_images(orl_images[orl_people == 0], titles=[f"photo {i}" for i in range(10)])
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Handwritten digits
#
# 1797 digits of 8 × 8 pixels (scikit-learn), ten classes: a quick collection to cluster.

# %%
digit_images, digit_labels = datasets.load_digits_images()
print("digits:", digit_images.shape, "classes:", np.unique(digit_labels))
_ = plotting.show_images(digit_images[:20], n_cols=10, titles=[str(d) for d in digit_labels[:20]],
                         cmap="gray_r")
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Photographs and textures
#
# `datasets.load_image(name)` always returns uint8 RGB, whatever the source. Colour photographs
# are what lesson 09 segments; the three textures (brick, grass, gravel) become a small
# collection of patches to cluster in lesson 08.

# %%
names = ["china", "flower", "astronaut", "coffee", "coins", "brick", "grass", "gravel"]
photos = [datasets.load_image(name) for name in names]
fig, axes = plt.subplots(2, 4, figsize=(12, 5.2))
for ax, name, photo in zip(axes.ravel(), names, photos):
    ax.imshow(photo)
    ax.set_title(f"{name} {photo.shape[0]}×{photo.shape[1]}")
    ax.set_axis_off()
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Two-dimensional teaching sets
#
# Points in the plane show what an algorithm does at a glance. Colours are the *true* groups.
# Blobs are where K-Means (K均值) shines; moons, circles, stretched (anisotropic) and unequal clusters
# and outliers (异常点) are where it struggles (lessons 02, 03 and 04).

# %%
fig, axes = plt.subplots(2, 3, figsize=(12, 7.5))
for ax, name in zip(axes.ravel(), datasets.TEACHING_SETS):
    figures.overview.draw_teaching_set(name, ax=ax)
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## How to use the sliders
#
# A control above a figure changes one parameter; release the slider (or pick from the menu) and
# the figure is redrawn. Every slider calls an ordinary, tested function from `lessons_src`, so
# the picture you see is exactly what the function computes, and you can call it yourself with any
# value. Try it: pick a teaching set.

# %% tags=["nbval-ignore-output"]
interactive_figure(figures.overview.draw_teaching_set,
                   name=dropdown(list(datasets.TEACHING_SETS), description="teaching set"))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The lessons
#
# | # | lesson | one line |
# |---|---|---|
# | 00 | [Overview](00_overview.ipynb) | this map, the data sets, how the sliders work |
# | 01 | [K-Means step by step](01_kmeans_step_by_step.ipynb) | the four steps, replayed on a slider; Euclidean vs cosine; stop rules; scikit-learn's parameters |
# | 02 | [K-Means pitfalls and variants](02_kmeans_pitfalls_and_variants.ipynb) | initialisation, choosing K, outliers, non-convex (非凸) shapes; K-Means++, K-Means‖, Mini-Batch (小批量) |
# | 03 | [Hierarchical clustering](03_hierarchical_clustering.ipynb) | merging the closest clusters, the dendrogram (树状图), single vs complete vs average vs Ward |
# | 04 | [Spectral clustering](04_spectral_clustering.ipynb) | the affinity graph, the Laplacian, the eigenvector embedding |
# | 05 | [Evaluation metrics](05_evaluation_metrics.ipynb) | RI, ARI (and the slides' erratum), silhouette |
# | 06 | [NMF vs VQ vs PCA on faces](06_nmf_vq_pca_faces.ipynb) | Lee and Seung's Fig. 1: parts vs prototypes vs eigenfaces (特征脸) |
# | 07 | [NMF update rules](07_nmf_update_rules.ipynb) | the multiplicative updates (乘法更新) derived and checked, with the slides' errata |
# | 08 | [Image features and clustering](08_image_features_and_clustering.ipynb) | PCA, NMF, graph-regularised NMF and SIFT words feeding K-Means, hierarchical and spectral clustering (谱聚类); the bag-of-words recipe measured step by step |
# | 09 | [Pixel clustering and segmentation](09_pixel_segmentation.ipynb) | colour quantisation and the sliding-window recipe |
# | 10 | [K-Means at scale](10_kmeans_at_scale.ipynb) | K-Means++ vs K-Means‖ passes, Mini-Batch on chunks from disk, Dask's K-Means‖ on a million rows |
# | 11 | [NMF beyond the slides](11_nmf_beyond_the_slides.ipynb) | one rule for every β-divergence (β 散度), HALS, how part-like a basis is (Hoyer), sparse (稀疏) NMF, graph-regularised NMF |
#
# Teaching from them on a projector: `make present` opens JupyterLab with larger figure text and
# lines (or type `presenting()` in any lesson); `docs/teaching-guide.md` has a plan for each class.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - Image clustering is a pipeline: features (PCA, NMF, SIFT) → clustering (K-Means,
#   hierarchical, spectral) → evaluation (RI, ARI, silhouette); segmentation clusters pixels.
# - All data are local: `datasets.load_cbcl_faces()`, `load_orl_faces()`, `load_digits_images()`,
#   `load_image(name)` and the 2-D `TEACHING_SETS`.
# - Sliders redraw on release and call plain functions you can call yourself.

# %% [markdown]
# ---
# Next: [01 · K-Means step by step](01_kmeans_step_by_step.ipynb)
