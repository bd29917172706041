"""Helper package for the lessons on image clustering and non-negative matrix factorization.

Three layers, and the folders say so:

**Algorithms**, written from scratch for teaching, each tested against scikit-learn or SciPy on
the same input (the lessons show their source with ``teaching.show_source``):

``kmeans``        Lloyd's K-Means, K-Means++, K-Means||, Mini-Batch K-Means
``hierarchical``  agglomerative clustering (single, complete, average, Ward), dendrograms
``spectral``      affinity graphs, Laplacians, spectral embedding and clustering
``metrics``       Rand index, ARI, silhouette, NMI, matched accuracy
``nmf``           NMF: losses, multiplicative update rules, initializations, the estimator
``features``      image features: raw pixels, PCA, NMF, dense SIFT bag of visual words
``segmentation``  pixel clustering and sliding-window segmentation (integral images)
``pipeline``      features -> clustering -> scores, for whole image collections
``scale``         K-Means on data that do not fit in memory (chunks, Dask)

**Figures and exercises**, one module per lesson: ``figures`` (figures and slider callbacks) and
``exercises`` (checks, hints and solutions).

**The common ground**:

``preamble``      the common first cell of every lesson (style, print precision, threads, ``SEED``)
``datasets``      offline data: CBCL and ORL faces, digits, sample images, 2-D teaching sets
``plotting``      the shared look: palette, image grids, cluster scatters, Voronoi regions
``widgets``       sliders and the live figure they redraw
``teaching``      ``show_source`` and the machinery behind the exercises' checks
``validation``    argument checks that raise clear ``ValueError`` / ``TypeError``
``threads``       the thread policy (threadpoolctl), in one place
``caching``       one cache style (``functools.lru_cache``, also for array arguments)
``timing``        medians of repeated timings, and peak memory

Bad input
---------
One rule for every public function and estimator: it either returns a finite, valid answer or
raises ``ValueError`` / ``TypeError`` whose message names the argument and what is wrong with it.
Never a hang, a NaN, an obscure error from deep inside, or a silent guess. In particular:

* complex, object and string arrays are refused (casting would drop the imaginary part);
* NaN and infinity are refused, and so are finite magnitudes beyond
  :data:`lessons_src.validation.MAX_ABS` (1e100), whose squares and products overflow float64;
* counts are integers (NumPy integers too; not bools, not 1.5, not 2.0), real parameters are
  real numbers (not strings, not NaN);
* structures are checked where a function relies on them: linkage matrices (shape, cluster ids,
  non-negative non-decreasing heights), affinity and distance matrices (square, finite,
  non-negative, symmetric), label vectors, sample weights (one per sample, non-negative);
* nothing loops without bound on any input.

``tests/test_adversarial.py`` checks the rule over every public callable with a table of hostile
values per kind of argument, each case under a time and memory limit.

Random state
------------
Every function and estimator that draws random numbers takes ``random_state``: None, an int, a
``numpy.random.Generator`` or a ``numpy.random.RandomState``, read by
:func:`lessons_src.validation.check_random_state`. The default is always ``random_state=None``,
which means fresh, unpredictable randomness, as in scikit-learn and NumPy. The lessons pass
``random_state=SEED`` explicitly wherever something is drawn, so every run prints the same numbers.
"""

SEED = 0
"""The one seed constant, passed explicitly to every generator and estimator in the lessons."""

__version__ = "0.1.0"
