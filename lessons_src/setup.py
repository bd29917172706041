"""The common first cell of every lesson: ``from lessons_src.setup import *``.

It sets the shared figure style and a stable print precision, and brings in the names every
lesson uses (``np``, ``plt``, ``SEED``). It silences nothing: warnings a student should see
still show.
"""
import matplotlib.pyplot as plt
import numpy as np

from . import SEED
from .plotting import apply_style

__all__ = ["np", "plt", "SEED"]

apply_style()
# Four decimals and no scientific noise: printed arrays stay stable across machines and
# thread counts, which is what nbval compares.
np.set_printoptions(precision=4, suppress=True, linewidth=100)
