"""No leak: slider redraws of lesson 09's photo figures do not grow the kernel (issue 22).

A figure keeps every array it shows until it is garbage-collected, and the figures a slider
replaces are reference cycles (figure <-> axes <-> artists): they wait for Python's cycle
collector, which runs after so many new objects, not after so many bytes. With the photo's
panels kept as float64 (5.8 MB each, three per figure) the kernel's memory rose by about 17 MB
per redraw between collections, a saw-tooth up to about 240 MB above its start; kept as uint8
(what the screen shows) the teeth are an eighth as tall.

The redraws go through ``LiveFigure`` as a student's slider drives them, in a fresh process
(so that no other test's memory counts), with the lessons' one-thread policy of the preamble.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from lessons_src import datasets, figures  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
N_REDRAWS = 200
MAX_GROWTH_MB = 50

_DRIVE = r"""
import gc, json, sys, time
import matplotlib
matplotlib.use("Agg")
from ipywidgets import fixed
from lessons_src import datasets, figures, threads
from lessons_src.widgets import LiveFigure, int_slider

threads.limit_lesson_threads()  # as the preamble does in every lesson


def rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024


n_redraws = int(sys.argv[1])
photo = datasets.load_image("coffee")  # 400 x 600, as lesson 09's window slider shows it
live = LiveFigure(figures.segmentation.draw_window_segmentation, image=fixed(photo),
                  window=int_slider(1, 400, 100), stride=int_slider(1, 200, 100),
                  n_clusters=int_slider(1, 10, 3), random_state=fixed(0))
for k in range(10):  # warm up: imports, caches, the renderer
    live.set_values(n_clusters=1 + k % 4)
gc.collect()  # the baseline holds no garbage, so the peak below counts the garbage that piles up
start, peak, begin = rss_mb(), 0.0, time.perf_counter()
for k in range(n_redraws):
    live.set_values(n_clusters=1 + k % 4)
    peak = max(peak, rss_mb())
print("LEAK " + json.dumps({"start_mb": start, "peak_mb": peak, "end_mb": rss_mb(),
                            "seconds": time.perf_counter() - begin}))
"""


def test_window_segmentation_keeps_its_panels_as_uint8():
    """The photo-sized arrays a lesson-09 figure holds are one byte per channel."""
    photo = datasets.load_image("coffee")
    axes = figures.segmentation.draw_window_segmentation(photo, n_clusters=3, window=100,
                                                         random_state=0)
    fig = axes[0].get_figure()
    shown = [image.get_array() for ax in fig.axes for image in ax.get_images()]
    plt.close(fig)
    assert len(shown) == 3
    assert all(array.dtype == np.uint8 and array.shape[:2] == photo.shape[:2] for array in shown)
    assert sum(array.nbytes for array in shown) < 2.5e6  # float64 would be 17 MB


@pytest.mark.slow
def test_200_slider_redraws_grow_the_process_less_than_50_mb(tmp_path):
    """Measured on this 2-core machine: about 30 s of CPU. With the panels kept as float64
    (the fault this guards against) the same run peaks about 200 MB above its start."""
    env = dict(os.environ, MPLBACKEND="Agg", MPLCONFIGDIR=str(tmp_path))
    run = subprocess.run([sys.executable, "-c", _DRIVE, str(N_REDRAWS)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    line = [text for text in run.stdout.splitlines() if text.startswith("LEAK ")][-1]
    measured = json.loads(line[len("LEAK "):])
    growth = measured["peak_mb"] - measured["start_mb"]
    assert growth < MAX_GROWTH_MB, (f"{N_REDRAWS} redraws grew the process by {growth:.0f} MB "
                                    f"at its peak: {measured}")
