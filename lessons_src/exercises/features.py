"""Exercises of lesson 08 (image features and clustering), each with its check function.

``check_word_histogram(fn)``: the bag-of-words step: word indices of one image -> histogram.
``check_unit_rows(fn)``: the pipeline's normalisation of raw pixels: centre, then unit rows.
"""
import numpy as np

from ..teaching import check_function

__all__ = [
    "reference_word_histogram",
    "check_word_histogram",
    "reference_unit_rows",
    "check_unit_rows",
]


def reference_word_histogram(words, n_words):
    """Fraction of an image's descriptors assigned to each visual word.

    Parameters
    ----------
    words : ndarray of shape (n_descriptors,), int in 0 .. n_words - 1
    n_words : int

    Returns
    -------
    histogram : ndarray of shape (n_words,), non-negative, sums to 1
    """
    counts = np.bincount(np.asarray(words, dtype=int), minlength=int(n_words)).astype(float)
    return counts / counts.sum()


def check_word_histogram(word_histogram):
    """Check the student's ``word_histogram(words, n_words)`` on fixed cases."""
    rng = np.random.default_rng(8)
    cases = [
        (np.array([0, 1, 1, 3]), 4),
        (np.array([2, 2, 2]), 5),              # words never used still get a 0 bin
        (rng.integers(0, 50, 16), 50),
    ]
    return check_function(
        word_histogram, reference_word_histogram, cases, name="your word_histogram",
        hint="count each word with np.bincount(words, minlength=n_words), then divide by "
             "the number of descriptors so the histogram sums to 1.",
    )


def reference_unit_rows(X):
    """Centre each column (subtract the mean image), then scale each row to length 1.

    Rows that are all zero after centring stay zero.

    Parameters
    ----------
    X : ndarray of shape (n_images, n_features)

    Returns
    -------
    Y : ndarray of shape (n_images, n_features)
    """
    X = np.asarray(X, dtype=float)
    X = X - X.mean(axis=0)
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    return X / np.where(norms > 0, norms, 1.0)


def check_unit_rows(unit_rows):
    """Check the student's ``unit_rows(X)`` on fixed cases."""
    rng = np.random.default_rng(8)
    cases = [
        (np.array([[1.0, 2.0], [3.0, 6.0]]),),
        (rng.random((6, 5)),),
        (np.array([[1.0, 1.0], [3.0, 3.0], [2.0, 2.0]]),),   # the last row is the mean: stays 0
    ]
    return check_function(
        unit_rows, reference_unit_rows, cases, name="your unit_rows",
        hint="subtract X.mean(axis=0) first, then divide each row by its norm "
             "(np.linalg.norm(..., axis=1, keepdims=True)), leaving zero rows at zero.",
    )
