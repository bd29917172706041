"""Figures and slider callbacks of lesson 00 (overview): the lecture's map and the 2-D teaching
sets."""
import matplotlib.pyplot as plt
from matplotlib.patches import FancyBboxPatch

from .. import SEED
from ..datasets import TEACHING_SETS
from ..plotting import plot_clusters

__all__ = ["draw_teaching_set", "plot_lecture_map"]


def draw_teaching_set(name, ax=None):
    """Draw one of the 2-D teaching sets of ``lessons_src.datasets.TEACHING_SETS``, coloured by
    its true groups. Used by the overview's first slider.

    Returns
    -------
    ax : Axes
    """
    if name not in TEACHING_SETS:
        raise ValueError(f"name must be one of {sorted(TEACHING_SETS)}, got name={name!r}")
    X, y = TEACHING_SETS[name](random_state=SEED)
    ax = plot_clusters(X, y, ax=ax, title=f"{name}: {len(X)} points, {len(set(y) - {-1})} groups")
    return ax


def _box(ax, xy, text, color, width=0.2, height=0.1):
    x, y = xy
    patch = FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                           boxstyle="round,pad=0.01,rounding_size=0.02",
                           facecolor=color, edgecolor="0.25", linewidth=1.0)
    ax.add_patch(patch)
    ax.text(x, y, text, ha="center", va="center", fontsize="medium")
    return patch


def _arrow(ax, start, end):
    ax.annotate("", xy=end, xytext=start,
                arrowprops=dict(arrowstyle="-|>", color="0.3", lw=1.3, shrinkA=2, shrinkB=2))


def plot_lecture_map(ax=None):
    """The lecture's map: feature extraction -> clustering -> evaluation, and pixels ->
    segmentation, with the lesson number of each box.

    Returns
    -------
    ax : Axes
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(12, 5.5))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_axis_off()
    feature_color, cluster_color, eval_color, pixel_color = "#dbe9f6", "#fde2c8", "#d9f0d3", "#eadcf0"
    # Only Latin text in figures: the default fonts have no CJK glyphs (the Chinese terms are in
    # the lessons' prose).
    ax.text(0.13, 0.95, "Feature extraction", ha="center", va="center", fontsize="large", weight="bold")
    ax.text(0.5, 0.95, "Clustering", ha="center", va="center", fontsize="large", weight="bold")
    ax.text(0.86, 0.95, "Evaluation", ha="center", va="center", fontsize="large", weight="bold")
    images = _box(ax, (0.13, 0.48), "image\ncollection", "white", width=0.16, height=0.12)
    features = [("PCA  (06)", 0.72), ("NMF  (06, 07)", 0.55), ("SIFT words (08)", 0.38)]
    clusterers = [("K-Means (01, 02)", 0.72), ("hierarchical (03)", 0.55), ("spectral (04)", 0.38)]
    scores = [("RI, ARI (05)", 0.68), ("silhouette (05)", 0.45)]
    del images
    for text, y in features:
        _box(ax, (0.33, y), text, feature_color, width=0.19, height=0.1)
        _arrow(ax, (0.21, 0.48), (0.235, y))
    for text, y in clusterers:
        _box(ax, (0.6, y), text, cluster_color, width=0.21, height=0.1)
    for (_, yf) in features:
        _arrow(ax, (0.425, yf), (0.49, 0.55))
    for text, y in scores:
        _box(ax, (0.87, y), text, eval_color, width=0.19, height=0.1)
    for (_, yc) in clusterers:
        _arrow(ax, (0.71, yc), (0.775, 0.565))
    _box(ax, (0.13, 0.14), "image pixels", "white", width=0.16, height=0.1)
    _box(ax, (0.6, 0.14), "pixel / window K-Means (09)", pixel_color, width=0.3, height=0.1)
    _box(ax, (0.87, 0.14), "segmentation", pixel_color, width=0.19, height=0.11)
    _arrow(ax, (0.21, 0.14), (0.45, 0.14))
    _arrow(ax, (0.75, 0.14), (0.775, 0.14))
    ax.text(0.5, 0.25, "image clustering = features -> clustering -> scores;  "
                       "clustering pixels instead of images = segmentation",
            ha="center", va="center", fontsize="medium", style="italic", color="0.3")
    return ax
