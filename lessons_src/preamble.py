"""The common first cell of every lesson: ``from lessons_src.preamble import *``.

It sets the shared figure style, a stable print precision and the thread policy (one thread per
library, see :mod:`lessons_src.threads`), and brings in the names every lesson uses (``np``,
``plt``, ``SEED``, ``presenting``). It silences nothing: warnings a student should see still show.

Presenting on a projector: ``presenting()`` in any cell (or ``make present``, which sets the
environment variable ``LESSONS_PRESENTING=1`` before this module is imported) makes every figure
drawn afterwards, static or behind a slider, larger in text and lines; ``presenting(False)``
switches back. See :func:`lessons_src.plotting.presenting`.
"""
import matplotlib.pyplot as plt
import numpy as np

from . import SEED
from .plotting import apply_style, presenting
from .threads import limit_lesson_threads

__all__ = ["np", "plt", "SEED", "presenting"]

# The style, presenting or not as LESSONS_PRESENTING says.
apply_style()
# Four decimals and no scientific noise: printed arrays stay stable across machines and
# thread counts, which is what nbval compares.
np.set_printoptions(precision=4, suppress=True, linewidth=100)
limit_lesson_threads()
