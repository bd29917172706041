"""Helper package for the lessons on image clustering and non-negative matrix factorisation.

Modules (one per topic, each with an explicit ``__all__``):

``setup``         the common first cell of every notebook (style, print precision, ``SEED``)
``datasets``      offline loaders: CBCL and ORL faces, digits, sample images, 2-D teaching sets
``plotting``      the shared look: image grids, cluster scatters, Voronoi regions
``widgets``       thin slider helpers; every slider calls a plain, tested function
``checks``        the machinery behind the exercises' ``check_*`` functions
``validation``    argument checks that raise clear ``ValueError`` / ``TypeError``

Topic modules (``kmeans``, ``hierarchical``, ``spectral``, ``metrics``, ``nmf``, ``features``,
``pipeline``, ``segmentation``) hold the algorithms written from scratch for teaching; each is
tested against scikit-learn or SciPy on the same input.
"""

SEED = 0
"""The one seed constant, passed explicitly to every generator and estimator in the lessons."""

__version__ = "0.1.0"
