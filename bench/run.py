"""Benchmarks: the from-scratch code against scikit-learn / SciPy, in one run, on one machine.

    make bench                       # everything (a few minutes on two cores)
    python bench/run.py --smoke      # tiny inputs, no notebooks: checks the runner works
    python bench/run.py --memory-only [--notebooks notebooks/NN_x.ipynb ...]
                                     # each notebook once: its time and peak memory (kernel
                                     # and child processes), merged into the last results

Each figure is the median of several repetitions (after one warm-up call), reported with the
reference measured in the same run on the same input and the ratio ours / reference. Results go
to ``bench/results.json`` and ``bench/results.md``; the markdown table is also written into the
README between the ``<!-- bench:start -->`` and ``<!-- bench:end -->`` markers.
"""
import argparse
import copy
import datetime
import importlib.util
import json
import os
import pathlib
import platform
import sys
import tempfile
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Medians of repeated calls after a warm-up call, and tracemalloc peaks: the package's helpers,
# the same the lessons and figures use.
from lessons_src.timing import median_seconds, peak_bytes  # noqa: E402


def row(figure, ours, reference, ref_name, target, met, unit="s", note=""):
    return {"figure": figure, "ours": ours, "reference": reference, "reference_name": ref_name,
            "ratio": (ours / reference) if (ours is not None and reference) else None,
            "unit": unit, "target": target, "met": met, "note": note}


def unavailable(figure, ref_name, target, exc):
    return row(figure, None, None, ref_name, target, None,
               note=f"not measured: {type(exc).__name__}: {exc}")


# ----------------------------------------------------------------------------------------------
# Algorithm figures
# ----------------------------------------------------------------------------------------------

def bench_kmeans(smoke):
    figure = "`lessons_src.kmeans.KMeans` time per Lloyd iteration"
    ref_name = "sklearn `KMeans(algorithm='lloyd')`"
    try:
        from sklearn.cluster import KMeans as SkKMeans

        from lessons_src.kmeans import KMeans

        n, d, k, iters = (2000, 10, 5, 5) if smoke else (20000, 50, 20, 20)
        rng = np.random.default_rng(0)
        X = rng.normal(size=(n, d))
        centers = X[rng.choice(n, k, replace=False)]
        # history='none': plain Lloyd, as scikit-learn runs it (no per-step record for a slider).
        ours_model = KMeans(n_clusters=k, init=centers, n_init=1, max_iter=iters, tol=0,
                            history="none")
        teaching_model = KMeans(n_clusters=k, init=centers, n_init=1, max_iter=iters, tol=0)
        ref_model = SkKMeans(n_clusters=k, init=centers, n_init=1, max_iter=iters, tol=0,
                             algorithm="lloyd")
        repeat = 1 if smoke else 5
        ours = median_seconds(lambda: ours_model.fit(X), repeat) / max(ours_model.n_iter_, 1)
        ref = median_seconds(lambda: ref_model.fit(X), repeat) / max(ref_model.n_iter_, 1)
        teaching = median_seconds(lambda: teaching_model.fit(X), repeat) / max(teaching_model.n_iter_, 1)
        note = (f"with the default history='auto' (every step recorded with its exact inertia, "
                f"for the replay slider): {_fmt_time(teaching)} per iteration. scikit-learn fuses "
                f"assignment and centre sums in one cache-blocked OpenMP loop; ours makes separate "
                f"whole-array NumPy passes (product, add, argmin, indicator product)")
        return row(f"{figure}, history='none' ({n} x {d}, K = {k}, same init)", ours, ref, ref_name,
                   "<= 1.5x", ours / ref <= 1.5, note=note)
    except Exception as exc:  # a module not written yet must not stop the other figures
        return unavailable(figure, ref_name, "<= 1.5x", exc)


def bench_nmf(smoke):
    results = []
    try:
        from sklearn.decomposition import NMF as SkNMF

        from lessons_src import datasets, nmf
    except Exception as exc:
        return [unavailable("`lessons_src.nmf` updates per iteration", "sklearn `NMF(solver='mu')`",
                            "<= 1.2x / <= 1.5x", exc)]
    # CBCL faces preprocessed as Lee and Seung did (the package's nmf.lee_seung_preprocess), one
    # image per column as in the lecture's V (361 pixels x n images).
    X, _ = datasets.load_face_matrix("cbcl", n_faces=200 if smoke else None, random_state=0)
    V = X.T
    r = 10 if smoke else 49
    iters = 5 if smoke else 50
    rng = np.random.default_rng(0)
    W0 = rng.uniform(0.1, 1.0, size=(V.shape[0], r))
    H0 = rng.uniform(0.1, 1.0, size=(r, V.shape[1]))
    for loss, update, beta, target in [("Euclidean", "update_euclidean", "frobenius", 1.2),
                                       ("KL", "update_kl", "kullback-leibler", 1.5)]:
        figure = f"`lessons_src.nmf.{update}` per iteration (CBCL {V.shape[0]} x {V.shape[1]}, r = {r})"
        ref_name = f"sklearn `NMF(solver='mu', beta_loss='{beta}')`"
        try:
            step = getattr(nmf, update)

            def ours_run():
                W, H = W0.copy(), H0.copy()
                for _ in range(iters):
                    W, H = step(V, W, H)

            model = SkNMF(n_components=r, solver="mu", beta_loss=beta, init="custom",
                          max_iter=iters, tol=0)

            def ref_run():
                model.fit_transform(V, W=W0.copy(), H=H0.copy())

            repeat = 1 if smoke else 5
            ours = median_seconds(ours_run, repeat) / iters
            ref = median_seconds(ref_run, repeat) / max(model.n_iter_, 1)
            results.append(row(figure, ours, ref, ref_name, f"<= {target}x", ours / ref <= target))
        except Exception as exc:
            results.append(unavailable(figure, ref_name, f"<= {target}x", exc))
    return results


def bench_nmf_beyond(smoke):
    """Lesson 11: one HALS sweep against scikit-learn's cd iteration, and one beta-divergence
    MU step (Itakura-Saito, beta = 0) against scikit-learn's MU, same start, same data."""
    rows = []
    try:
        from sklearn.decomposition import NMF as SkNMF

        from lessons_src import datasets, nmf
    except Exception as exc:
        return [unavailable("`lessons_src.nmf.update_hals` / `update_beta` per iteration",
                            "sklearn `NMF`", "<= 1.5x", exc)]
    X, _ = datasets.load_face_matrix("cbcl", n_faces=200 if smoke else None, random_state=0)
    V = X.T + 0.01  # beta = 0 needs V > 0: the same shift for both
    r, iters, repeat = (10, 3, 1) if smoke else (49, 20, 5)
    rng = np.random.default_rng(0)
    W0 = rng.uniform(0.1, 1.0, size=(V.shape[0], r))
    H0 = rng.uniform(0.1, 1.0, size=(r, V.shape[1]))
    shape = f"CBCL {V.shape[0]} x {V.shape[1]} + 0.01, r = {r}"
    for name, step, options, ref_name in [
            ("update_hals", nmf.update_hals, {"solver": "cd"}, "sklearn `NMF(solver='cd')`"),
            ("update_beta", lambda V, W, H: nmf.update_beta(V, W, H, 0.0),
             {"solver": "mu", "beta_loss": 0.0}, "sklearn `NMF(solver='mu', beta_loss=0)`")]:
        figure = f"`lessons_src.nmf.{name}`" + (" (beta = 0)" if name == "update_beta" else "") \
            + f" per iteration ({shape})"
        try:
            def ours_run():
                W, H = W0, H0
                for _ in range(iters):
                    W, H = step(V, W, H)

            model = SkNMF(n_components=r, init="custom", max_iter=iters, tol=0, **options)

            def ref_run():
                model.fit_transform(V, W=W0.copy(), H=H0.copy())

            ours = median_seconds(ours_run, repeat) / iters
            ref = median_seconds(ref_run, repeat) / max(model.n_iter_, 1)
            rows.append(row(figure, ours, ref, ref_name, "<= 1.5x", ours / ref <= 1.5))
        except Exception as exc:
            rows.append(unavailable(figure, ref_name, "<= 1.5x", exc))
    return rows


def bench_ari(smoke):
    figure = "`adjusted_rand_index`"
    ref_name = "sklearn `adjusted_rand_score`"
    try:
        from sklearn.metrics import adjusted_rand_score

        from lessons_src.metrics import adjusted_rand_index

        n = 10_000 if smoke else 1_000_000
        rng = np.random.default_rng(0)
        a, b = rng.integers(0, 100, n), rng.integers(0, 100, n)
        repeat = 1 if smoke else 7
        ours = median_seconds(lambda: adjusted_rand_index(a, b), repeat)
        ref = median_seconds(lambda: adjusted_rand_score(a, b), repeat)
        return row(f"{figure} at n = {n:,}", ours, ref, ref_name, "<= 1.5x", ours / ref <= 1.5)
    except Exception as exc:
        return unavailable(figure, ref_name, "<= 1.5x", exc)


def bench_silhouette(smoke):
    figure = "`silhouette_score`"
    ref_name = "sklearn `silhouette_score`"
    try:
        from sklearn.datasets import make_blobs
        from sklearn.metrics import silhouette_score as sk_silhouette

        from lessons_src.metrics import silhouette_score

        n = 1000 if smoke else 10_000
        X, labels = make_blobs(n_samples=n, centers=10, n_features=10, random_state=0)
        repeat = 1 if smoke else 3
        ours = median_seconds(lambda: silhouette_score(X, labels), repeat)
        ref = median_seconds(lambda: sk_silhouette(X, labels), repeat)
        ours_mem = peak_bytes(lambda: silhouette_score(X, labels))
        ref_mem = peak_bytes(lambda: sk_silhouette(X, labels))
        full_matrix = n * n * 8
        note = (f"peak extra memory: ours {ours_mem / 2**20:.1f} MiB, sklearn {ref_mem / 2**20:.1f} MiB "
                f"(the full n x n distance matrix would be {full_matrix / 2**20:.0f} MiB)")
        met = ours / ref <= 2.0 and ours_mem < full_matrix
        return row(f"{figure} at n = {n:,}", ours, ref, ref_name, "<= 2x, bounded memory", met,
                   note=note)
    except Exception as exc:
        return unavailable(figure, ref_name, "<= 2x, bounded memory", exc)


def bench_window_means(smoke):
    figure = "`window_mean_features`, 100 x 100, stride 1"
    ref_name = "`scipy.ndimage.uniform_filter`; a naive loop"
    try:
        from scipy.ndimage import uniform_filter

        from lessons_src.datasets import load_image
        from lessons_src.segmentation import window_mean_features

        image = load_image("retina")
        window = 100
        if smoke:
            image, window = image[:200, :200], 20
        h, w = image.shape[:2]
        repeat = 1 if smoke else 5
        ours = median_seconds(lambda: window_mean_features(image, window=window, stride=1), repeat)

        def reference():
            # The same valid-window means: a centred box filter, then the valid part.
            filtered = uniform_filter(image.astype(np.float64) / 255.0, size=(window, window, 1),
                                      mode="constant")
            half = window // 2
            return filtered[half: h - window + 1 + half, half: w - window + 1 + half]

        ref = median_seconds(reference, repeat)
        # The naive loop over every window: timed on a sample of positions, then scaled up.
        positions = (h - window + 1) * (w - window + 1)
        sample = 200 if smoke else 2000
        img = image.astype(np.float64) / 255.0

        def naive_sample():
            for p in range(sample):
                y, x = divmod(p * 997 % positions, w - window + 1)
                img[y:y + window, x:x + window].mean(axis=(0, 1))

        naive = median_seconds(naive_sample, repeat=1, warmup=False) / sample * positions
        speedup = naive / ours
        note = (f"naive loop {naive:.1f} s (timed on {sample} of {positions:,} windows, scaled): "
                f"ours is {speedup:.0f}x faster")
        return row(f"{figure} on a {h} x {w} RGB image (retina)", ours, ref, ref_name,
                   "<= 1.5x; >= 50x faster than naive", ours / ref <= 1.5 and speedup >= 50,
                   note=note)
    except Exception as exc:
        return unavailable(figure, ref_name, "<= 1.5x; >= 50x faster than naive", exc)


# ----------------------------------------------------------------------------------------------
# Notebooks: wall time in a fresh kernel, peak RSS, and every widget callback
# ----------------------------------------------------------------------------------------------

CALLBACK_TARGET_S = 0.150  # issue 16: every slider callback, compute + draw, median <= 150 ms
BROWSER_TARGET_S = 0.400  # issue 16: release to new image in the browser, median per lesson
BROWSER_RESULTS = ROOT / "bench" / "browser.json"  # written by tests/browser


def _control_ends(control):
    """The values at the ends of a control's range: a slider's min and max, a dropdown's other
    options (at most 8, else its first and last), a checkbox's other state."""
    import ipywidgets

    if isinstance(control, ipywidgets.SelectionSlider):
        return [control.options[0], control.options[-1]]
    if isinstance(control, ipywidgets.FloatLogSlider):
        return [control.base ** control.min, control.base ** control.max]
    if hasattr(control, "min") and hasattr(control, "max"):
        return [control.min, control.max]
    if hasattr(control, "options"):
        values = [option[1] if isinstance(option, tuple) else option for option in control.options]
        return values if len(values) <= 8 else [values[0], values[-1]]
    if isinstance(control.value, bool):
        return [not control.value]
    return []


def callback_settings(live):
    """The settings a callback is timed at: its initial values, then each control at each end of
    its range (the others at their initial values; ranges as the rules set them).

    Returns
    -------
    list of (label, {control name: value})
    """
    initial = {name: control.value for name, control in live.controls.items()}
    settings = [("initial", initial)]
    for name, control in live.controls.items():
        for end in _control_ends(control):
            if end != initial[name]:
                settings.append((f"{name}={end!r}", {**initial, name: end}))
    return settings


TEXT_FUNCTIONS = ("ft2font.", "text.", "font_manager.", "mathtext.", "_mathtext.", "textpath.")
"""Where matplotlib lays out and renders text (a profile summary's "text rendering")."""


def _short_name(filename, function):
    """``ft2font._render_glyph`` for ``('~', 0, '<built-in method matplotlib.ft2font...>')``."""
    if filename == "~":
        text = function.strip("<>")
        for prefix in ("built-in method ", "method "):
            text = text.removeprefix(prefix)
        if " of " in text:  # "'encode' of 'ImagingEncoder' objects"
            method, owner = text.split(" of ", 1)
            text = f"{owner.split()[0].strip(chr(39))}.{method.strip(chr(39))}"
        return text.removeprefix("matplotlib.")
    return f"{pathlib.Path(filename).stem}.{function}"


def _profile_summary(live, values, stages, calls_profiled=2):
    """Where a redraw at ``values`` spends its time: the stages (``stages``: medians measured
    without the profiler), then, from a profile of ``calls_profiled`` redraws, the
    ``lessons_src`` functions that take the largest share (cumulative) and the hottest library
    functions (own time), as percentages of the profiled redraws."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    for _ in range(calls_profiled):
        live.set_values(**values)
    profiler.disable()
    total = time.perf_counter() - start
    ours, library = [], []
    stats = pstats.Stats(profiler).stats
    for (filename, _, function), (_, _, tottime, cumtime, _) in stats.items():
        path = filename.replace(os.sep, "/")
        if "/lessons_src/" in path:
            module = path.split("/lessons_src/")[1].removesuffix(".py").replace("/", ".")
            if module != "widgets" and function != live.draw.__name__:
                ours.append((cumtime, f"{module}.{function}"))
        else:
            library.append((tottime, _short_name(filename, function)))
    top = lambda items: ", ".join(f"{name} {t / total:.0%}"
                                  for t, name in sorted(items, reverse=True)[:3])
    is_text = lambda name: name.startswith(TEXT_FUNCTIONS) or "_text" in name
    text = sum(t for t, name in library if is_text(name))
    return (f"compute {stages['compute_s'] * 1e3:.0f} ms, draw {stages['draw_s'] * 1e3:.0f} ms"
            f"{' (layout ran)' if stages['layout'] else ''}, PNG {stages['encode_s'] * 1e3:.0f} "
            f"ms; in lessons_src: {top(ours) or '-'}; text rendering {text / total:.0%}; "
            f"hottest other: {top([(t, n) for t, n in library if not is_text(n)])}")


def measure_callback(live, calls=5, slow_s=CALLBACK_TARGET_S, budget_s=40.0):
    """Time a widget's redraws the way a slider triggers them (``LiveFigure.set_values``: rules,
    callback, Agg draw, PNG) at each of :func:`callback_settings`: the first call (cold caches)
    and the median of ``calls`` more, wall and CPU time. For a slow callback (worst median above
    ``slow_s``), a profile summary of its worst setting."""
    settings, to_try = [], callback_settings(live)
    start = time.perf_counter()
    for label, values in to_try:
        walls, cpus = [], []
        for _ in range(calls + 1):
            wall, cpu = time.perf_counter(), time.process_time()
            used = live.set_values(**values)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            if time.perf_counter() - start > budget_s and len(walls) >= 2:
                break
        stages = live.timings[-len(walls) + 1:] if len(walls) > 1 else live.timings[-1:]
        settings.append({
            "label": label, "values": {k: repr(v) for k, v in used.items()},
            "first_s": walls[0], "median_s": float(np.median(walls[1:] or walls)),
            "cpu_median_s": float(np.median(cpus[1:] or cpus)),
            **{f"{stage}_s": float(np.median([t[f"{stage}_s"] for t in stages]))
               for stage in ("compute", "draw", "encode")},
            "layout": any(t["layout"] for t in stages)})
    worst = max(settings, key=lambda s: s["median_s"])
    profile = None
    if worst["median_s"] > slow_s:
        profile = _profile_summary(live, dict(to_try)[worst["label"]], worst)
    draw = live.draw
    return {"callback": f"{getattr(draw, '__module__', '?')}.{getattr(draw, '__qualname__', '?')}",
            "settings": settings, "initial": settings[0], "worst": worst, "profile": profile,
            "median_s": worst["median_s"], "met": worst["median_s"] <= CALLBACK_TARGET_S}


INSTRUMENT = r"""
import importlib.util as _bench_util, time as _bench_time
import lessons_src.widgets as _bench_widgets
_bench_spec = _bench_util.spec_from_file_location("lessons_bench", __BENCH__)
_bench = _bench_util.module_from_spec(_bench_spec)
_bench_spec.loader.exec_module(_bench)
_BENCH = {"callbacks": [], "overhead_s": 0.0}
_bench_show = _bench_widgets.interactive_figure
def _bench_interactive_figure(draw, rules=None, **controls):
    # Time the widget's redraws at its initial values and the ends of its ranges (calls > 0),
    # or just show it, as a student's run does (calls == 0: the lesson's own time and memory).
    if __CALLS__ == 0:
        return _bench_show(draw, rules=rules, **controls)
    start = _bench_time.perf_counter()
    live = _bench_widgets.LiveFigure(draw, rules=rules, **controls)
    _BENCH["callbacks"].append(_bench.measure_callback(live, calls=__CALLS__))
    _BENCH["overhead_s"] += _bench_time.perf_counter() - start
_bench_widgets.interactive_figure = _bench_interactive_figure
"""

REPORT = r"""
import json as _bench_json
def _bench_peak_rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
_BENCH["peak_rss_mb"] = _bench_peak_rss_mb()
print("BENCH_RESULT " + _bench_json.dumps(_BENCH))
"""


NOTEBOOK_TARGET_S = 20.0  # issue 22: every lesson <= 20 s under nbval, the collection <= 120 s
COLLECTION_TARGET_S = 120.0
MEMORY_TARGET_MB = 400.0  # issue 22: peak RSS of a lesson's kernel (a class of 100 on one hub)
MEMORY_TARGETS_MB = {"10_kmeans_at_scale.ipynb": 600.0}  # lesson 10: kernel + Dask workers, in all


def memory_target_mb(notebook):
    return MEMORY_TARGETS_MB.get(notebook, MEMORY_TARGET_MB)


def _children_rss_mb(pid):
    """{pid: RSS in MB} of ``pid``'s descendants (psutil if installed, else /proc)."""
    try:
        import psutil
    except ImportError:
        psutil = None
    if psutil is not None:
        found = {}
        try:
            for child in psutil.Process(pid).children(recursive=True):
                try:
                    found[child.pid] = child.memory_info().rss / 2**20
                except psutil.Error:  # exited meanwhile
                    pass
        except psutil.Error:
            pass
        return found
    parents, rss = {}, {}
    for entry in pathlib.Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = {line.split(":", 1)[0]: line.split(":", 1)[1].split()
                      for line in (entry / "status").read_text().splitlines() if ":" in line}
        except OSError:
            continue
        parents[int(entry.name)] = int(fields["PPid"][0])
        rss[int(entry.name)] = int(fields.get("VmRSS", ["0"])[0]) / 1024
    found, frontier = {}, [pid]
    while frontier:
        parent = frontier.pop()
        for child, ppid in parents.items():
            if ppid == parent and child not in found:
                found[child] = rss[child]
                frontier.append(child)
    return found


class ProcessTreePeak:
    """Peak RSS of this process's descendants (a notebook's kernel and the processes it starts,
    such as Dask workers), sampled every ``interval`` seconds in a thread while in use:
    ``peak_total_mb`` is the largest sum over the tree at one sample (a sum of RSS: pages that
    a forked child shares with its parent count twice), ``peak_by_process_mb`` each process's
    largest RSS, ``processes`` how many were seen."""

    def __init__(self, interval=0.1):
        import threading

        self.interval, self._stop = interval, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.peak_total_mb, self.peak_by_process_mb = 0.0, {}
        self.cell, self.peak_by_cell_mb = None, {}  # the cell running (set by the caller)

    def _run(self):
        while not self._stop.is_set():
            sample = _children_rss_mb(os.getpid())
            total = sum(sample.values())
            self.peak_total_mb = max(self.peak_total_mb, total)
            if self.cell is not None:
                self.peak_by_cell_mb[self.cell] = max(self.peak_by_cell_mb.get(self.cell, 0.0), total)
            for pid, mb in sample.items():
                self.peak_by_process_mb[pid] = max(self.peak_by_process_mb.get(pid, 0.0), mb)
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @property
    def processes(self):
        return len(self.peak_by_process_mb)

    def rises(self, top=3):
        """The cells that raised the peak most: [(cell index, MB added to the running peak,
        peak after it)], largest first."""
        running, found = 0.0, []
        for cell in sorted(self.peak_by_cell_mb):
            peak = self.peak_by_cell_mb[cell]
            if peak > running:
                found.append((cell, peak - running if running else 0.0, peak))
                running = peak
        return sorted(found, key=lambda item: -item[1])[:top]


LEAK_TARGET_MB = 50.0  # issue 22: 200 slider moves grow the kernel by < 50 MB
LEAK_FIGURE = "kernel RSS growth over 200 slider moves (lesson 09's colour quantization, comm messages as from a browser; `bench/leak.py`)"


def bench_leak(moves=200):
    """The kernel's growth over ``moves`` slider moves (bench/leak.py)."""
    try:
        spec = importlib.util.spec_from_file_location("lessons_leak", ROOT / "bench" / "leak.py")
        leak = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(leak)
        result = leak.measure(moves, every=25, verbose=False)
    except Exception as exc:
        return unavailable(LEAK_FIGURE, "-", f"< {LEAK_TARGET_MB:.0f} MB", exc)
    peak = max([result["start_mb"], *(mb for _, mb in result["samples"])])
    note = (f"RSS {result['start_mb']:.0f} MB after the first figure, at most {peak:.0f} MB "
            f"(sampled every 25 moves), {result['end_mb']:.0f} MB at the end after gc.collect(); "
            f"{result['state']['redraws']} redraws in {result['seconds']:.0f} s, "
            f"{result['state']['to_draw']} figures queued by the inline backend, "
            f"{result['state']['open_figures']} left open")
    return {**row(LEAK_FIGURE, result["growth_mb"], None, "-", f"< {LEAK_TARGET_MB:.0f} MB",
                  result["growth_mb"] < LEAK_TARGET_MB, unit="MB", note=note), "leak": result}


WORKER_FIGURE = ("lesson 10's Dask workers as separate processes instead of threads (why they are "
                 "threads): RSS of one worker process after a dask-ml fit of 1797 rows, plus the "
                 "kernel that drives it")


def bench_dask_worker_process():
    """What one Dask worker *process* costs before any data: lesson 10 runs its workers as
    threads of the kernel (``processes=False``) because of this figure. A worker process imports
    again what dask-ml's tasks need (scikit-learn, pandas, numba) and compiles dask-ml's numba
    function; the kernel that builds the model has imported dask-ml too."""
    try:
        import psutil
        import dask
        from dask.distributed import Client, LocalCluster
        from dask_ml.cluster import KMeans as DaskKMeans
        import dask.array as da

        from lessons_src.datasets import load_digits_images

        def rss_mb():
            return psutil.Process().memory_info().rss / 2**20

        images, _ = load_digits_images()
        X = da.from_array(images.reshape(len(images), -1) / 16, chunks=(600, 64))
        with tempfile.TemporaryDirectory() as scratch, \
                dask.config.set({"temporary-directory": scratch, "logging.distributed": "error"}), \
                LocalCluster(n_workers=1, threads_per_worker=2, processes=True,
                             memory_limit="1GiB", dashboard_address=None) as cluster, \
                Client(cluster) as client:
            fresh = max(client.run(rss_mb).values())
            DaskKMeans(n_clusters=10, init="k-means||", oversampling_factor=20, init_max_iter=2,
                       max_iter=5, random_state=0).fit(X)
            after_fit = max(client.run(rss_mb).values())
            kernel = rss_mb()
    except Exception as exc:
        return unavailable(WORKER_FIGURE, "-", "lesson 10 <= 600 MB in all", exc)
    total = after_fit + kernel
    note = (f"a fresh worker process {fresh:.0f} MB; {after_fit:.0f} MB once a dask-ml fit has "
            f"imported scikit-learn, pandas and numba and compiled dask-ml's centre sums, before "
            f"any real data; this process (the kernel's part: scikit-learn, dask-ml) "
            f"{kernel:.0f} MB: {total:.0f} MB for one worker process and no data, against "
            f"lesson 10's threads measured in the table below with their data")
    # Not a target of its own (the lesson does not run this): the comparison that chose threads.
    return row(WORKER_FIGURE, total, None, "-", "for comparison: lesson 10 <= 600 MB in all", None,
               unit="MB total", note=note)


def browser_results(path=BROWSER_RESULTS):
    """What ``tests/browser`` measured (``bench/browser.json``), or None."""
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def bench_notebooks(notebooks, calls):
    import nbformat
    from nbclient import NotebookClient

    results = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        nb = copy.deepcopy(nb)
        for cell in nb.cells:
            cell.outputs = [] if cell.cell_type == "code" else None
            if cell.cell_type != "code":
                cell.pop("outputs", None)
        instrument = INSTRUMENT.replace("__CALLS__", str(calls)).replace(
            "__BENCH__", repr(str(pathlib.Path(__file__).resolve())))
        nb.cells.insert(0, nbformat.v4.new_code_cell(instrument))
        nb.cells.append(nbformat.v4.new_code_cell(REPORT))
        tree, cell_seconds, started = ProcessTreePeak(), {}, {}

        def cell_started(cell, cell_index, **_):
            tree.cell = cell_index
            started[cell_index] = time.perf_counter()

        def cell_executed(cell, cell_index, **_):
            cell_seconds[cell_index] = time.perf_counter() - started[cell_index]

        client = NotebookClient(nb, timeout=600, kernel_name="python3",
                                on_cell_start=cell_started, on_cell_executed=cell_executed,
                                resources={"metadata": {"path": str(path.parent)}})
        load = os.getloadavg()[0]
        start = time.perf_counter()
        try:
            with tree:
                client.execute()
        except Exception as exc:
            results.append({"notebook": path.name, "error": f"{type(exc).__name__}: {str(exc)[:200]}"})
            continue
        wall = time.perf_counter() - start
        report = None
        for out in nb.cells[-1].outputs:
            text = out.get("text", "")
            if text.startswith("BENCH_RESULT "):
                report = json.loads(text[len("BENCH_RESULT "):])
        if report is None:
            results.append({"notebook": path.name, "error": "no report"})
            continue
        results.append({"notebook": path.name, "seconds": wall - report["overhead_s"],
                        "peak_rss_mb": report["peak_rss_mb"],
                        "peak_tree_rss_mb": max(tree.peak_total_mb, report["peak_rss_mb"]),
                        "processes": tree.processes, "load_average": load,
                        # where the memory goes: the lesson's cells (the first is ours) that
                        # raised the peak most, MB added, and their first line
                        "memory_rises": [
                            {"cell": cell - 1, "added_mb": added, "peak_mb": peak,
                             "source": nb.cells[cell].source.strip().splitlines()[0][:70]
                             if nb.cells[cell].source.strip() else ""}
                            for cell, added, peak in tree.rises() if 0 < cell < len(nb.cells) - 1],
                        # time in the lesson's cells (the rest: kernel start and shutdown)
                        "cells_seconds": sum(seconds for cell, seconds in cell_seconds.items()
                                             if 0 < cell < len(nb.cells) - 1),
                        # where the time goes: the lesson's three slowest cells
                        "slowest_cells": [
                            {"cell": cell - 1, "seconds": seconds,
                             "source": nb.cells[cell].source.strip().splitlines()[0][:70]}
                            for cell, seconds in sorted(cell_seconds.items(), key=lambda c: -c[1])
                            if 0 < cell < len(nb.cells) - 1][:3],
                        "callbacks": report["callbacks"]})
    return results


# ----------------------------------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------------------------------

def _fmt_time(seconds):
    if seconds is None:
        return "-"
    return f"{seconds * 1e3:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _met(flag):
    return {True: "met", False: "**missed**", None: "-"}[flag]


def _browser_row(browser):
    lessons = {name: entry for name, entry in (browser or {}).get("notebooks", {}).items()
               if entry.get("release_to_image_median_ms") is not None}
    if not lessons:
        return []
    name, slowest = max(lessons.items(), key=lambda item: item[1]["release_to_image_median_ms"])
    worst = slowest["release_to_image_median_ms"] / 1e3
    loads = [entry["load_average_before"][0] for entry in lessons.values()]
    return [f"| release to new image in JupyterLab (headless Chromium), median per lesson over "
            f"every control moved ({len(lessons)} lessons; slowest: {name}; load average "
            f"{min(loads):.1f}-{max(loads):.1f} while measured) | {_fmt_time(worst)} | - | - | "
            f"<= 400 ms when idle | {_met(worst <= BROWSER_TARGET_S)} |"]


def _tree_mb(nb):
    """Peak RSS of a notebook's kernel and child processes (the kernel alone in older results)."""
    return nb.get("peak_tree_rss_mb", nb["peak_rss_mb"])


def _callback_entry(cb):
    """A callback's result in the current format (results from before the per-setting timings
    had one median at one setting: it stands for both its initial and its slowest setting)."""
    if "initial" in cb:
        return cb
    setting = {"label": "one setting (older bench)", "median_s": cb["median_s"],
               "cpu_median_s": None, "first_s": None}
    return {**cb, "initial": setting, "worst": setting, "profile": None,
            "met": cb["median_s"] <= CALLBACK_TARGET_S}


def _notebook_rows(notebooks, browser):
    """The widget and notebook rows of the table, and the per-callback details."""
    lines = []
    callbacks = [(nb["notebook"], _callback_entry(cb)) for nb in notebooks
                 for cb in nb.get("callbacks", [])]
    if callbacks:
        worst = max(cb["median_s"] for _, cb in callbacks)
        n_met = sum(cb["median_s"] <= CALLBACK_TARGET_S for _, cb in callbacks)
        lines.append(f"| every widget callback as its slider runs it (rules, compute, Agg draw, "
                     f"PNG), median at its initial values and at the ends of its ranges "
                     f"({len(callbacks)} callbacks, {n_met} within target; slowest shown) | "
                     f"{_fmt_time(worst)} | - | - | <= 150 ms | "
                     f"{_met(worst <= CALLBACK_TARGET_S)} |")
    lines += _browser_row(browser)
    ok = [nb for nb in notebooks if "seconds" in nb]
    if ok:
        total = sum(nb["seconds"] for nb in ok)
        slowest = max(ok, key=lambda nb: nb["seconds"])
        n_fast = sum(nb["seconds"] <= NOTEBOOK_TARGET_S for nb in ok)
        loads = [nb["load_average"] for nb in ok if "load_average" in nb]
        load = f"; load average {min(loads):.1f}-{max(loads):.1f} before each" if loads else ""
        lines.append(f"| each notebook in a fresh kernel, one after another (slowest: "
                     f"{slowest['notebook']}; {n_fast} of {len(ok)} within 20 s{load}); the whole "
                     f"collection | {slowest['seconds']:.1f} s; {total:.1f} s all | - | - | "
                     f"<= 20 s each; <= 120 s all | "
                     f"{_met(slowest['seconds'] <= NOTEBOOK_TARGET_S and total <= COLLECTION_TARGET_S)} |")
        over = lambda nb: _tree_mb(nb) / memory_target_mb(nb["notebook"])
        rss = max(ok, key=over)
        n_light = sum(over(nb) <= 1 for nb in ok)
        lines.append(f"| peak RSS of each notebook's kernel and its child processes (largest for "
                     f"its target: {rss['notebook']}; {n_light} of {len(ok)} within target) | "
                     f"{_tree_mb(rss):.0f} MB | - | - | <= 400 MB; lesson 10 <= 600 MB in all | "
                     f"{_met(n_light == len(ok))} |")
    lessons = (browser or {}).get("notebooks", {})
    if notebooks:
        lines += ["", "<details><summary>Per notebook: time in a fresh kernel (target 20 s) and "
                      "peak memory (target 400 MB; lesson 10, 600 MB with its workers)</summary>", "",
                  "| notebook | seconds (load average before) | time | peak RSS of the kernel (MB) | peak RSS of the "
                  "kernel and its child processes (MB; processes) | memory | release to new "
                  "image, median (kernel part; load average) |", "|---|---|---|---|---|---|---|"]
        for nb in notebooks:
            entry = lessons.get(nb["notebook"], {})
            browser_cell = "-"
            if entry.get("release_to_image_median_ms") is not None:
                browser_cell = (f"{entry['release_to_image_median_ms']:.0f} ms over "
                                f"{entry['n_moves']} moves ({entry.get('kernel_median_ms') or 0:.0f} "
                                f"ms; {entry['load_average_before'][0]:.1f})")
            if "error" in nb:
                lines.append(f"| {nb['notebook']} | error: {nb['error']} | | | | | {browser_cell} |")
            else:
                target = memory_target_mb(nb["notebook"])
                load = f" ({nb['load_average']:.1f})" if "load_average" in nb else ""
                lines.append(f"| {nb['notebook']} | {nb['seconds']:.1f}{load} | "
                             f"{_met(nb['seconds'] <= NOTEBOOK_TARGET_S)} | "
                             f"{nb['peak_rss_mb']:.0f} | {_tree_mb(nb):.0f} "
                             f"({nb.get('processes', 1)}) | "
                             f"{_met(_tree_mb(nb) <= target)} (<= {target:.0f}) | {browser_cell} |")
        timed = [nb for nb in notebooks if "error" not in nb and nb.get("slowest_cells")]
        if sum(nb["seconds"] for nb in timed) > COLLECTION_TARGET_S:
            cells = sorted(((c["seconds"], nb["notebook"][:2], c) for nb in timed
                            for c in nb["slowest_cells"]), key=lambda item: -item[0])[:8]
            in_cells = sum(nb.get("cells_seconds", 0.0) for nb in timed)
            if in_cells:
                lines += ["", f"Of the collection's {sum(nb['seconds'] for nb in timed):.1f} s, "
                              f"{in_cells:.1f} s are spent in the lessons' cells and the rest in "
                              f"starting and stopping {len(timed)} kernels."]
            lines += ["", f"The collection is over {COLLECTION_TARGET_S:.0f} s; its slowest cells "
                          "(wall time, from each notebook's three slowest): " + "; ".join(
                              f"{lesson} cell {c['cell']} `{c['source'].replace('|', '/')}` "
                              f"{seconds:.1f} s" for seconds, lesson, c in cells)]
        slow = [nb for nb in timed if nb["seconds"] > NOTEBOOK_TARGET_S]
        if slow:
            lines += ["", "Where the time goes in the notebooks over 20 s (their three slowest "
                          "cells, wall time including the kernel's waits on a loaded machine):", ""]
            for nb in slow:
                cells = "; ".join(f"cell {c['cell']} `{c['source'].replace('|', '/')}` "
                                  f"{c['seconds']:.1f} s" for c in nb["slowest_cells"])
                lines.append(f"- {nb['notebook']} ({nb['seconds']:.1f} s): {cells}")
        over = [nb for nb in notebooks if "error" not in nb and nb.get("memory_rises")
                and _tree_mb(nb) > memory_target_mb(nb["notebook"])]
        if over:
            lines += ["", "Where the memory goes in the notebooks over target (the cells that raised "
                          "the peak RSS of the kernel and its children most, sampled every 0.1 s):", ""]
            for nb in over:
                rises = "; ".join(f"cell {r['cell']} `{r['source'].replace('|', '/')}` "
                                  f"+{r['added_mb']:.0f} MB (to {r['peak_mb']:.0f})"
                                  for r in nb["memory_rises"])
                lines.append(f"- {nb['notebook']}: {rises}")
        lines += ["", "</details>"]
    if callbacks:
        lines += ["", "<details><summary>Per widget callback: median wall (CPU) time of one "
                      "redraw</summary>", "",
                  "| notebook | callback | at initial values | slowest end of a range | first "
                  "call there | result | where the time goes (slow callbacks) |",
                  "|---|---|---|---|---|---|---|"]
        for name, cb in callbacks:
            initial, worst = cb["initial"], cb["worst"]
            lines.append(
                f"| {name} | `{cb['callback'].split('.')[-1]}` | {_fmt_time(initial['median_s'])} "
                f"({_fmt_time(initial['cpu_median_s'])}) | {_fmt_time(worst['median_s'])} "
                f"({_fmt_time(worst['cpu_median_s'])}) at {worst['label']} | "
                f"{_fmt_time(worst['first_s'])} | {_met(cb['met'])} | {cb['profile'] or '-'} |")
        lines += ["", "</details>"]
    return lines


def markdown(meta, figures, notebooks, browser=None):
    lines = [f"Measured {meta['date']} on {meta['machine']} ({meta['cores']} cores), Python "
             f"{meta['python']}, " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()) + "."
             + (f" Notebook times and memory measured {meta['notebooks_measured']} "
                f"(`bench/run.py --memory-only`); widget callbacks as of {meta['date']}."
                if meta.get("notebooks_measured") else ""),
             "", "| figure | ours | reference | ratio | target | result |", "|---|---|---|---|---|---|"]
    for f in figures:
        ratio = f"{f['ratio']:.2f}x" if f["ratio"] is not None else "-"
        ref = f"{_fmt_time(f['reference'])} ({f['reference_name']})"
        ours = _fmt_time(f["ours"])
        if f.get("unit") == "MB":
            ours, ref = ("-" if f["ours"] is None else f"{f['ours']:+.0f} MB"), "-"
        elif f.get("unit") == "MB total":
            ours, ref = ("-" if f["ours"] is None else f"{f['ours']:.0f} MB"), "-"
        lines.append(f"| {f['figure']} | {ours} | {ref} | {ratio} | {f['target']} | "
                     f"{_met(f['met'])} |")
        if f["note"]:
            lines.append(f"| ↳ {f['note']} | | | | | |")
    lines += _notebook_rows(notebooks, browser)
    return "\n".join(lines) + "\n"


def metadata():
    from importlib.metadata import version

    return {
        "date": datetime.date.today().isoformat(),
        "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "versions": {name: version(name) for name in
                     ["numpy", "scipy", "scikit-learn", "scikit-image", "matplotlib"]},
    }


def update_readme(table, readme):
    text = readme.read_text()
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    if start not in text or end not in text:
        return False
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    readme.write_text(f"{head}{start}\n{table}{end}{tail}")
    return True


PLAIN_FIELDS = ("seconds", "peak_rss_mb", "peak_tree_rss_mb", "processes", "load_average",
                "memory_rises", "slowest_cells", "cells_seconds")
"""What the plain run (widgets shown, not timed) measures of a notebook."""


def merge_plain(notebooks, plain):
    """Each notebook's time and memory from the plain run ``plain`` ({name: result}), its
    callbacks from ``notebooks`` (the timed run, or the previous results)."""
    merged = []
    for nb in notebooks:
        nb = dict(nb)
        base = plain.get(nb["notebook"])
        if base is not None:
            nb.pop("error", None)
            if "error" in base:
                nb["error"] = base["error"]
            else:
                nb.update({key: base[key] for key in PLAIN_FIELDS if key in base})
        merged.append(nb)
    names = {nb["notebook"] for nb in merged}
    merged += [{**base, "callbacks": []} for name, base in plain.items() if name not in names]
    return sorted(merged, key=lambda nb: nb["notebook"])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny inputs, no notebooks")
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "bench")
    parser.add_argument("--skip-notebooks", action="store_true")
    parser.add_argument("--notebooks", nargs="*", type=pathlib.Path, default=None)
    parser.add_argument("--no-readme", action="store_true")
    parser.add_argument("--leak", action="store_true",
                        help="also the kernel's growth over 200 slider moves (bench/leak.py, "
                             "a few minutes)")
    parser.add_argument("--memory-only", action="store_true",
                        help="only each notebook's time and peak memory (one plain run of each, "
                             "widgets shown but not timed); the algorithm figures and callback "
                             "timings are kept from the previous results.json")
    args = parser.parse_args(argv)

    previous = None
    if args.memory_only:
        try:
            previous = json.loads((args.out / "results.json").read_text())
        except (OSError, ValueError):
            previous = {"figures": [], "notebooks": []}
        figures = previous["figures"]
    else:
        figures = [bench_kmeans(args.smoke), *bench_nmf(args.smoke), *bench_nmf_beyond(args.smoke),
                   bench_ari(args.smoke), bench_silhouette(args.smoke),
                   bench_window_means(args.smoke)]
        for f in figures:
            print(f"{f['figure']}: ours {_fmt_time(f['ours'])}, ref {_fmt_time(f['reference'])}, "
                  f"{_met(f['met'])} {f['note']}", flush=True)
    if args.leak and not args.smoke:
        leak = bench_leak()
        print(f"{leak['figure']}: {leak['ours']}, {_met(leak['met'])} {leak['note']}", flush=True)
        figures = [f for f in figures if f["figure"] != LEAK_FIGURE] + [leak]
    notebooks = previous["notebooks"] if args.memory_only else []
    if not (args.smoke or args.skip_notebooks):
        paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
        with tempfile.TemporaryDirectory() as state:
            for var, sub in [("JUPYTER_CONFIG_DIR", "cfg"), ("JUPYTER_DATA_DIR", "data"),
                             ("JUPYTER_RUNTIME_DIR", "run"), ("IPYTHONDIR", "ipy"),
                             ("MPLCONFIGDIR", "mpl")]:
                os.environ.setdefault(var, os.path.join(state, sub))
            # Two runs: repeated redraws grow the kernel's heap, so the lesson's own time and
            # peak RSS come from a run that does not time the widget callbacks.
            plain = {}
            for nb in bench_notebooks(paths, calls=0):
                plain[nb["notebook"]] = nb
                print(nb["notebook"], *(f"{key}={nb[key]:.1f}" for key in PLAIN_FIELDS
                                        if isinstance(nb.get(key), (int, float))),
                      nb.get("memory_rises", ""), nb.get("error", ""), flush=True)
            timed = previous["notebooks"] if args.memory_only else bench_notebooks(paths, calls=5)
            notebooks = merge_plain(timed, plain)
    if not args.smoke:
        # After the notebooks: the worker process leaves multiprocessing's resource tracker
        # behind, a child of this process that the notebooks' process trees would count.
        worker = bench_dask_worker_process()
        print(f"{worker['figure']}: {worker['ours']}, {_met(worker['met'])} {worker['note']}",
              flush=True)
        figures = [f for f in figures if f["figure"] != WORKER_FIGURE] + [worker]
    meta = metadata()
    if args.memory_only:
        meta = {**previous.get("meta", meta), "notebooks_measured": meta["date"]}
    browser = None if args.smoke else browser_results()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(
        {"meta": meta, "figures": figures, "notebooks": notebooks, "browser": browser},
        indent=2) + "\n")
    table = markdown(meta, figures, notebooks, browser)
    (args.out / "results.md").write_text(table)
    if not (args.smoke or args.no_readme):
        update_readme(table, ROOT / "README.md")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
