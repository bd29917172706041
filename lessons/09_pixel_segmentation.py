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
# # 09 · Pixel clustering and window segmentation (像素聚类与图像分割)
#
# So far we clustered whole images. Cluster the **pixels of one image** instead and the groups
# are regions: that is **image segmentation (图像分割)**. Plain K-Means (K均值) on pixel
# colours already segments simple images. The slides add one idea: cluster small **windows
# (窗口)** instead of single pixels, each described by its mean colour.
#
# **In this notebook you will**
#
# - see pixels as points in colour space and compress an image to K colours (**colour
#   quantisation, 颜色量化**), with a slider for K;
# - run the slides' recipe exactly: a 100 × 100 window, the mean of each RGB channel as a
#   3-number feature, K-Means, every window painted by its cluster;
# - compare the non-overlapping grid (stride = window, as in Solem's *Programming Computer Vision
#   with Python*) with a **sliding window (滑动窗口)** (stride < window), coarse with fine windows;
# - add each pixel's position to its features, and meet an image where colour alone fails;
# - see why the window means cost the same for any window size: the **integral image (积分图)**.

# %% [markdown]
# The common first cell: figure style, print precision and the seed `SEED`.

# %% slideshow={"slide_type": "subslide"}
from lessons_src.preamble import *
from ipywidgets import fixed
from scipy import ndimage

from lessons_src import datasets, figures, metrics, segmentation, timing
from lessons_src.teaching import show_source
from lessons_src.widgets import interactive_figure, int_slider, float_slider
from lessons_src.exercises.segmentation import check_integral_image_2d, check_window_sum
from matplotlib_inline.backend_inline import set_matplotlib_formats

# Photographs compress five times better as JPEG than as PNG: a lighter notebook file.
set_matplotlib_formats("jpeg", pil_kwargs={"quality": 85})

photo = datasets.load_image("coffee")        # 400 x 600 RGB, uint8
small = photo[::2, ::2]                      # 200 x 300: pixel K-Means and sliders stay quick
print("photo:", photo.shape, photo.dtype, " small:", small.shape)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. Pixels are points in colour space
#
# Each pixel is three numbers (red, green, blue), so an image is a cloud of points. Below, a
# sample of the coffee photo's pixels plotted by red and green. Look at the right panel:
# K-Means with K = 6 cuts the cloud into 6 groups and each pixel takes its centre's colour.

# %%
_ = figures.segmentation.plot_pixel_colors(small, n_colors=6, random_state=SEED)
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. Colour quantisation: an image in K colours
#
# Repainting every pixel with its centre's colour compresses the image to a **palette** of K
# colours. Colours here are on the [0, 1] scale (uint8 divided by 255). For a large image the
# palette is fitted on a seeded sample of 10 000 pixels, then every pixel is assigned to its
# nearest centre (as in scikit-learn's colour-quantisation example). The K-Means is
# scikit-learn's `KMeans` (4 restarts, `random_state=SEED`), the algorithm lesson 01 writes from
# scratch; clusters are numbered from dark to light. Look at how few colours keep the picture
# readable.

# %%
_ = figures.segmentation.plot_quantization_row(small, [2, 4, 8, 16], random_state=SEED)
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# The palette for K = 4, dark to light (one row per colour: red, green, blue):

# %%
quantization = segmentation.quantize_colors(small, 4, random_state=SEED)
print(np.round(quantization.palette, 2))
print("mean squared error per pixel:",
      f"{((quantization.image - small / 255.0) ** 2).sum(axis=2).mean():.4f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Try it: the slider sets K (1 to 16); the palette is shown under the result.

# %% tags=["nbval-ignore-output"]
interactive_figure(figures.segmentation.draw_quantization, image=fixed(small),
                   n_colors=int_slider(1, 16, 5, description="K (colours)"),
                   random_state=fixed(SEED))

# %% [markdown] slideshow={"slide_type": "subslide"}
# Colour quantisation is already a segmentation: pixels of one colour form one group. But it
# is noisy, because neighbouring pixels are clustered independently. Here the same clusters
# (K = 4) drawn as regions, each cluster in its own colour over the gray photo:

# %%
pixel_labels = segmentation.segment_pixels(small, 4, random_state=SEED)
_ = figures.segmentation.plot_segmentations(small, [pixel_labels], ["pixel K-Means on colour, K = 4"], size=4)
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. The slides' recipe: windows described by their mean colour
#
# 1. Slide a 100 × 100 window over the image.
# 2. At each window position take the mean of each RGB channel inside it: a 3-number feature.
# 3. Cluster these features with K-Means.
# 4. Paint each window with its cluster.
#
# With stride = window the windows tile the image without overlap (Solem's grid). The photo is
# 400 × 600, so that is 4 × 6 = 24 windows. `window_mean_features` returns one feature per
# window position, shape (rows, columns, channels):

# %%
grid_means = segmentation.window_mean_features(photo, window=100)
print("features:", grid_means.shape)
print("top-left window's mean colour:", np.round(grid_means[0, 0], 3))
print("the same, computed directly:  ", np.round(photo[:100, :100].mean(axis=(0, 1)) / 255, 3))

# %% [markdown] slideshow={"slide_type": "subslide"}
# The three panels: the image with the first window outlined, every pixel painted with the mean
# colour of its window (exactly what K-Means sees), and the clusters (K = 3).

# %%
_ = figures.segmentation.draw_window_segmentation(photo, n_clusters=3, window=100,
                                                  random_state=SEED)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Grid versus sliding window
#
# 24 windows give blocky regions. A **sliding window** moves by a stride smaller than the window,
# so windows overlap and there are many more of them: with stride 10, 31 × 51 = 1581 positions.
# Overlapping windows each want to paint the same pixel; our rule is that **each pixel takes the
# label of the window whose centre is nearest** (ties go to the later window). On the grid that
# is simply the window containing the pixel. Pixels at the right and bottom margins that no
# window reaches (when (H − window) is not a multiple of the stride) also take the nearest
# window. Look at the outlines in the left panel: three overlapping windows, 10 pixels apart.

# %%
_ = figures.segmentation.draw_window_segmentation(photo, n_clusters=3, window=100, stride=10,
                                                  random_state=SEED)
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# Side by side, the same K = 3:

# %%
grid_labels = segmentation.segment_windows(photo, 3, window=100, random_state=SEED)
sliding_labels = segmentation.segment_windows(photo, 3, window=100, stride=10, random_state=SEED)
_ = figures.segmentation.plot_segmentations(photo, [grid_labels, sliding_labels],
                          ["grid: window 100, stride 100", "sliding: window 100, stride 10"])
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# Sliders for the window, the stride and K. A window larger than the image, or K larger than
# the number of windows, shows a message instead of a picture.

# %% tags=["nbval-ignore-output"]
interactive_figure(figures.segmentation.draw_window_segmentation, image=fixed(photo),
                   window=int_slider(1, 400, 60, description="window"),
                   stride=int_slider(1, 200, 20, description="stride"),
                   n_clusters=int_slider(1, 10, 4, description="K (clusters)"),
                   random_state=fixed(SEED))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Coarse versus fine windows
#
# A large window averages away detail: regions are smooth but their borders are blurred by
# half a window. A small window keeps the borders but brings back the speckle of single
# pixels (window 1 *is* pixel K-Means). Look at the saucer's rim and the spoon. Stride is a
# quarter of the window each time, K = 3.

# %%
windows = [100, 40, 15, 4]
labels_by_window = [segmentation.segment_windows(photo, 3, window=w, stride=max(1, w // 4),
                                                random_state=SEED)
                    for w in windows]
_ = figures.segmentation.plot_segmentations(photo, labels_by_window, [f"window {w}" for w in windows],
                          show_image=False, size=2.6)
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. Adding position to the features
#
# Another way to get compact regions: give each pixel its position too, so that far-apart
# pixels are less alike even when their colours match. The feature is (r, g, b, w·y, w·x), with
# (y, x) divided by the image's larger side so it lies in [0, 1], and the weight w saying how
# much one image-width of distance counts against the whole colour range. Weight 0 is colour
# only; a large weight cuts the image into K blobs whatever the colours. Look at the wooden
# table: with position it splits by place rather than by shade.

# %%
_ = figures.segmentation.draw_position_weight(small, n_clusters=4, position_weight=1.0,
                                              random_state=SEED)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# Slide the weight from 0 (colour only) to 5 (position dominates).

# %% tags=["nbval-ignore-output"]
interactive_figure(figures.segmentation.draw_position_weight, image=fixed(small),
                   n_clusters=int_slider(1, 8, 4, description="K (clusters)"),
                   position_weight=float_slider(0.0, 5.0, 2.0, step=0.25, description="position weight"),
                   random_state=fixed(SEED))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. A harder image: where colour alone is not enough
#
# This test image has a rough disc on a smooth background, **both of the same average colour**
# (a tan). The background varies by ±0.02 around the tan, the disc by up to ±0.25: every
# background colour also occurs in the disc, and windows inside and outside have nearly the
# same mean colour. What differs is **texture**: how much the colour varies inside a window.
# The standard deviation per channel comes from the same trick (a second integral image, of the
# squared pixels: std² = mean(x²) − mean(x)²). We know the true regions, so the
# adjusted Rand index (调整兰德指数, ARI, lesson 05) scores each attempt: 1 is perfect, 0 is
# chance.

# %%
texture, truth = segmentation.make_texture_image(160, random_state=SEED)
grid = dict(window=9, stride=3, random_state=SEED)
texture_attempts = {"pixel colour": segmentation.segment_pixels(texture, 2, random_state=SEED),
                    "window 9: mean colour": segmentation.segment_windows(texture, 2, **grid),
                    "window 9: mean + std": segmentation.segment_windows(texture, 2, add_std=True,
                                                                         **grid)}
ari = {name: metrics.adjusted_rand_index(truth.ravel(), labels.ravel())
       for name, labels in texture_attempts.items()}
for name, value in ari.items():
    print(f"{name:22s} ARI = {value:.2f}")
colour_best = max(ari["pixel colour"], ari["window 9: mean colour"])
assert 0.1 < colour_best < 0.5 and ari["window 9: mean + std"] > 0.8

# %% [markdown] slideshow={"slide_type": "subslide"}
# The segmentations, each cluster in its own colour over the gray image (the cell also checks
# where the pixels that colour sets apart lie):

# %%
_ = figures.segmentation.plot_segmentations(texture, list(texture_attempts.values()),
                                            list(texture_attempts), size=2.6)
plt.show()
apart = {name: labels == np.argmin(np.bincount(labels.ravel()))  # each one's smaller cluster
         for name, labels in texture_attempts.items()}
for name in ["pixel colour", "window 9: mean colour"]:
    print(f"{name}: smaller cluster {apart[name].mean():.0%} of the image, "
          f"{truth[apart[name]].mean():.0%} of it in the disc")
brightness = texture.mean(axis=2)
assert truth[apart["pixel colour"]].all() and truth[apart["window 9: mean colour"]].mean() > 0.8
assert brightness[apart["pixel colour"]].mean() < brightness[truth == 1].mean()  # dark ones

# %% [markdown] slideshow={"slide_type": "fragment"}
# Colour alone is better than chance but does not find the region: pixel colour puts the
# background together with the disc's middle tones and sets apart only speckle of dark pixels,
# all inside the disc; window means put the background with most of the disc and mark blobs,
# mostly inside the disc, where its window means happen to drift. Those correct pixels are what
# their ARI (above 0.1, below 0.5) counts. The texture feature finds the disc itself (ARI above
# 0.8), up to a border of window-sized steps.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. The integral image: any window mean in four look-ups
#
# With stride 1 the coffee photo has 301 × 501 ≈ 150 000 positions of a 100 × 100 window;
# averaging each one separately reads 1.5 billion pixels. The **integral image** (summed-area
# table, 积分图) S holds at (y, x) the sum of all pixels above and to the left:
# S[y, x] = Σ image[:y, :x]. With a leading row and column of zeros, the sum over rows y..y+h−1
# and columns x..x+w−1 is
#
# $$\text{sum} = S[y+h,\,x+w] - S[y,\,x+w] - S[y+h,\,x] + S[y,\,x] = D - B - C + A.$$
#
# D counts everything above-left of the window's bottom-right corner; subtracting B and C removes
# the strips above and to the left, which removes A's block twice, so A is added back. Check the
# numbers in the picture:

# %%
_ = figures.segmentation.plot_integral_image_demo()
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# Building S is one cumulative sum down and one across, O(H·W); then every window is four
# look-ups, whatever its size. `window_mean_features` does all the look-ups at once with shifted
# slices of S, grouped as (D − B) − (C − A): no loop over windows. Read it:

# %% slideshow={"slide_type": "subslide"}
show_source(segmentation.window_mean_features)

# %% [markdown] slideshow={"slide_type": "subslide"}
# It must agree with the obvious loop (`window_mean_features_naive`) and with SciPy's box filter
# `scipy.ndimage.uniform_filter`, whose valid part (every fourth row and column here: stride 4)
# is the same set of window means. The asserts pass when the cell runs:

# %%
fast = segmentation.window_mean_features(small, window=25, stride=4)
naive = segmentation.window_mean_features_naive(small, window=25, stride=4)
box = ndimage.uniform_filter(small / 255.0, size=(25, 25, 1), mode="constant")
box_valid = box[12: 12 + 4 * fast.shape[0]: 4, 12: 12 + 4 * fast.shape[1]: 4]
assert np.allclose(fast, naive, rtol=0, atol=1e-9) and np.allclose(fast, box_valid, rtol=0, atol=1e-9)
print("window positions:", fast.shape[:2], " equal to the loop and to uniform_filter (to 1e-9): True")

# %% [markdown] slideshow={"slide_type": "subslide"}
# And the speed, for every position (stride 1) of a 25 × 25 window in a 100 × 150 crop: 76 × 126
# windows (`timing.median_seconds`: the median of repeated calls). Times vary from machine to
# machine; the ratio is the point, and it is at least 10 (the cell checks it).

# %% tags=["nbval-ignore-output"]
crop = small[:100, :150]
naive_seconds = timing.median_seconds(
    lambda: segmentation.window_mean_features_naive(crop, window=25, stride=1), repeat=3,
    warmup=False)
fast_seconds = timing.median_seconds(
    lambda: segmentation.window_mean_features(crop, window=25, stride=1), repeat=10)
assert naive_seconds > 10 * fast_seconds
print(f"naive loop: {naive_seconds:.3f} s   integral image: {1000 * fast_seconds:.2f} ms   "
      f"ratio: {naive_seconds / fast_seconds:.0f}x")

# %% [markdown] slideshow={"slide_type": "fragment"}
# The integral image's cost does not grow with the window (each naive mean reads window² pixels):

# %% tags=["nbval-ignore-output"]
seconds = {window: timing.median_seconds(
               lambda: segmentation.window_mean_features(photo, window=window, stride=1))
           for window in [5, 25, 100]}
assert seconds[100] < 2 * seconds[5]  # 400 times the pixels per window, not 400 times the time
for window, time_taken in seconds.items():
    print(f"window {window:3d}, stride 1 on 400 x 600: {1000 * time_taken:5.1f} ms")


# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Each exercise asks for one function: write it in its cell, run that cell, then run the check
# below it. The check says "Correct", or what is wrong and on which test case. Stuck?
# `hint_integral_image_2d()` gives a nudge, `hint_integral_image_2d(2)` a stronger hint and
# `solution_integral_image_2d()` shows a solution (each exercise has its own three, named after
# it). Try before you ask: the checks' messages are written to help.

# %%
from lessons_src.exercises.segmentation import (
    check_integral_image_2d, check_n_window_positions, check_window_sum, hint_integral_image_2d,
    hint_n_window_positions, hint_window_sum, solution_integral_image_2d,
    solution_n_window_positions, solution_window_sum)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 1: build an integral image (warm-up)
#
# Write `integral_image_2d(image)` for a 2-D array of shape (H, W): return S of shape
# (H + 1, W + 1) with S[y, x] = the sum of `image[:y, :x]` (so row 0 and column 0 are zeros).

# %% nbgrader={"grade": false, "grade_id": "09_integral_image_2d", "locked": false, "schema_version": 3, "solution": true, "task": false}
def integral_image_2d(image):
    ### BEGIN SOLUTION
    table = np.zeros((image.shape[0] + 1, image.shape[1] + 1))
    table[1:, 1:] = image.cumsum(axis=0).cumsum(axis=1)
    return table
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "09_integral_image_2d_check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
### BEGIN HIDDEN TESTS
assert check_integral_image_2d(integral_image_2d), repr(check_integral_image_2d(integral_image_2d))
### END HIDDEN TESTS
check_integral_image_2d(integral_image_2d)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2: a window sum in four look-ups
#
# Write `window_sum(S, y, x, window)`: the sum of `image[y:y+window, x:x+window]` read from its
# padded integral image S (use the picture of section 6).

# %% nbgrader={"grade": false, "grade_id": "09_window_sum", "locked": false, "schema_version": 3, "solution": true, "task": false}
def window_sum(S, y, x, window):
    ### BEGIN SOLUTION
    return S[y + window, x + window] - S[y, x + window] - S[y + window, x] + S[y, x]
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "09_window_sum_check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
### BEGIN HIDDEN TESTS
assert check_window_sum(window_sum), repr(check_window_sum(window_sum))
### END HIDDEN TESTS
check_window_sum(window_sum)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3: how many windows? (derive)
#
# Section 3 counted 4 × 6 windows on the grid and 31 × 51 positions with stride 10. Derive the
# rule and write `n_window_positions(height, width, window, stride)` returning `(rows, columns)`:
# how many positions a square window of side `window`, moved by `stride`, takes down and across a
# height × width image, every window entirely inside the image.

# %% nbgrader={"grade": false, "grade_id": "09_n_window_positions", "locked": false, "schema_version": 3, "solution": true, "task": false}
def n_window_positions(height, width, window, stride):
    ### BEGIN SOLUTION
    # Starts 0, stride, 2 stride, ... up to the last one that fits, size - window.
    return (height - window) // stride + 1, (width - window) // stride + 1
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "09_n_window_positions_check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
### BEGIN HIDDEN TESTS
assert check_n_window_positions(n_window_positions), repr(check_n_window_positions(n_window_positions))
### END HIDDEN TESTS
check_n_window_positions(n_window_positions)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 4 (open): texture on a photo
#
# Draw the window segmentation of section 3 on the photo with K = 4, window 30 and stride 10, once
# with the texture feature (the figure function's `add_std=True`) and once without. Which regions
# of the coffee photo does the texture feature change, and why?

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - Clustering pixels is segmentation. K-Means on colours alone is colour quantisation: a
#   palette of K colours, noisy regions.
# - The slides' recipe clusters windows by their mean colour: larger windows give smoother
#   regions with blurred borders; a sliding window (stride < window) gives finer borders than
#   the grid; each pixel takes the label of the window centred nearest.
# - Position features make regions compact; texture features (window std) separate regions
#   that share a colour.
# - The integral image gives every window mean in four look-ups: O(H·W) whatever the window,
#   the same numbers as the naive loop and as `scipy.ndimage.uniform_filter`.
#
# Previous: [08 · Image features and clustering](08_image_features_and_clustering.ipynb) ·
# Next: [10 · K-Means at scale](10_kmeans_at_scale.ipynb).
