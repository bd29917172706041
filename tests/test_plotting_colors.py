"""The cluster palette and the matching of labellings before colouring (plotting.match_labels)."""
import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment
from skimage.color import deltaE_ciede2000, rgb2lab

from lessons_src import plotting


def test_palette_colours_are_as_distinct_as_tab10s_own():
    palette = np.array(plotting.CLUSTER_COLORS)
    assert len(palette) == 30
    # Old figures keep their colours, but for tab10's gray (7), which read as the noise gray.
    keep = np.arange(10) != 7
    np.testing.assert_allclose(palette[:10][keep], plt_tab10()[keep])
    lab = rgb2lab(palette[None])[0]
    distance = deltaE_ciede2000(lab[:, None, :], lab[None, :, :])
    np.fill_diagonal(distance, np.inf)
    tab10_closest = distance[:10, :10].min()
    assert distance.min() >= 16.0 and distance.min() >= tab10_closest - 0.2, distance.min()
    # And none of them reads as the noise gray (tab10's own gray did: 9.1).
    noise = rgb2lab(np.array([[plotting.NOISE_COLOR]]))[0, 0]
    to_noise = deltaE_ciede2000(lab, np.broadcast_to(noise, lab.shape))
    assert to_noise.min() >= 16.0, to_noise.min()
    gray = rgb2lab(plt_tab10()[7][None, None])[0, 0]
    assert deltaE_ciede2000(gray, noise) < 16.0


def plt_tab10():
    import matplotlib.pyplot as plt

    return np.array(plt.get_cmap("tab10").colors)


def _brute_force_agreement(labels, reference):
    """The largest number of points on which a one-to-one renaming can agree (every injection)."""
    from itertools import permutations

    names, targets = np.unique(labels), np.unique(reference)
    best = 0
    for chosen in permutations(list(targets) + [None] * len(names), len(names)):
        agree = sum(np.sum((labels == a) & (reference == b)) for a, b in zip(names, chosen)
                    if b is not None)
        best = max(best, agree)
    return best


@pytest.mark.parametrize("seed", range(12))
def test_match_labels_is_an_optimal_renaming(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 30))
    labels = rng.integers(0, int(rng.integers(1, 5)), n) * 3 + 1    # arbitrary names
    reference = rng.integers(0, int(rng.integers(1, 5)), n)
    matched = plotting.match_labels(labels, reference)
    # The same partition, renamed one to one ...
    assert len(set(zip(labels, matched))) == len(np.unique(labels)) == len(np.unique(matched))
    # ... agreeing with the reference on as many points as any renaming can.
    assert np.sum(matched == reference) == _brute_force_agreement(labels, reference)
    # Clusters without a partner get names after the reference's.
    extra = np.setdiff1d(matched, reference)
    assert np.all(extra > reference.max())


def test_match_labels_follows_the_reference_names_and_keeps_noise():
    truth = np.array([0, 0, 0, 1, 1, 1, 2, 2])
    swapped = np.array([5, 5, 5, 3, 3, 3, 9, 9])
    np.testing.assert_array_equal(plotting.match_labels(swapped, truth), truth)
    # More clusters than the reference: the largest unmatched one is named first.
    split = np.array([0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, -1])
    reference = np.array([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1])
    matched = plotting.match_labels(split, reference)
    assert matched[-1] == -1
    np.testing.assert_array_equal(matched[:12], [3, 3, 0, 0, 0, 2, 2, 2, 1, 1, 1, 1])
    # The same result as the Hungarian assignment on the contingency table, done by hand.
    table = np.array([[np.sum((split == a) & (reference == b)) for b in (0, 1)] for a in range(4)])
    rows, cols = linear_sum_assignment(-table)
    assert all(np.all(matched[split == r] == c) for r, c in zip(rows, cols))


def test_match_labels_refuses_what_is_not_a_labelling():
    with pytest.raises(ValueError, match="same length"):
        plotting.match_labels([0, 1], [0, 1, 1])
    with pytest.raises(ValueError, match="labels"):
        plotting.match_labels([[0, 1]], [0, 1])
    with pytest.raises(ValueError, match="reference"):
        plotting.match_labels([0, 1], [0.5, np.nan])
    np.testing.assert_array_equal(plotting.match_labels([1.0, 1.0, 0.0], [0, 0, 1]), [0, 0, 1])
