"""The lessons' figures and slider callbacks, one module per lesson (or family of lessons).

=====================  ======================================================================
module                 lesson
=====================  ======================================================================
``overview``           00 the lecture's map, the 2-D teaching sets
``kmeans_steps``       01 K-Means, step by step
``kmeans_variants``    02 K-Means pitfalls and variants
``hierarchical``       03 hierarchical clustering
``spectral``           04 spectral clustering
``metrics``            05 evaluation metrics
``nmf_faces``          06 NMF vs VQ vs PCA on faces
``nmf_rules``          07 the NMF update rules
``features``           08 image features and image clustering
``segmentation``       09 pixel clustering and segmentation
``scale``              10 K-Means at scale
``nmf_beyond``         11 NMF beyond the slides
=====================  ======================================================================

A lesson writes ``from lessons_src import figures`` and calls ``figures.kmeans_steps.plot_six_steps(...)``:
the module name says which lesson a figure belongs to, and never clashes with the algorithm module
of the same topic (``lessons_src.hierarchical`` computes, ``figures.hierarchical`` draws).

Naming: ``draw_*`` functions are slider callbacks (one whole figure for one set of slider values,
never raising for any value the slider allows); ``plot_*`` functions draw static figures, take
``ax=None`` / ``axes=None`` and return what they drew. None of them calls ``plt.show()`` or saves
a file. Modules are imported on first use, so a lesson pays only for its own.
"""
import importlib

MODULES = ("overview", "kmeans_steps", "kmeans_variants", "hierarchical", "spectral", "metrics",
           "nmf_faces", "nmf_rules", "features", "segmentation", "scale", "nmf_beyond")
"""The figure modules, in lesson order."""

__all__ = list(MODULES)


def __getattr__(name):
    if name in MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(MODULES))
