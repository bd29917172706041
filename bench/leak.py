"""Kernel memory over many slider moves: a widget redrawn N times in a real kernel, the way a
browser moves it (comm messages on the shell channel, outside any cell execution), with the
kernel's RSS read from outside.

    python bench/leak.py                     # lesson 09's colour quantization, 200 moves
    python bench/leak.py --moves 50 --every 10

Prints the kernel's RSS after the widget is shown and every ``--every`` moves, and the growth.
``python bench/run.py --leak`` puts the growth in the bench table. Measured 2026-12-02 (load
average about 7): 268 MB after the first figure, 311-313 MB from move 50 to 150 (8 settings of
K, each drawn once, then the same again), 300 MB after 200 moves; +13 MB after a final
``gc.collect()``, with no figure left open or queued by the inline backend.
"""
import argparse
import json
import os
import pathlib
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]

SETUP = """
%matplotlib inline
import json
from ipywidgets import fixed
from lessons_src import datasets, figures, plotting
from lessons_src.widgets import LiveFigure, int_slider
plotting.apply_style()
photo = datasets.load_image("coffee")
live = LiveFigure(figures.segmentation.draw_quantization, image=fixed(photo[::2, ::2]),
                  n_colors=int_slider(1, 16, 5), random_state=fixed(0))
display(live)
print("MODEL " + json.dumps(live.controls["n_colors"].model_id))
"""

REPORT = """
import gc, json, matplotlib_inline.backend_inline as _bi
gc.collect()
print("STATE " + json.dumps({"redraws": len(live.timings), "to_draw": len(_bi.show._to_draw),
                             "open_figures": len(plotting.plt.get_fignums())}))
"""


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024


def run_cell(kc, code, timeout=120):
    """Execute ``code``; return its stdout."""
    msg_id = kc.execute(code)
    out = []
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream":
            out.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            raise RuntimeError("\n".join(msg["content"]["traceback"]))
        elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            kc.get_shell_msg(timeout=timeout)
            return "".join(out)


def move(kc, model_id, value, timeout=120):
    """One slider release, as the browser sends it; wait until the kernel has handled it."""
    msg = kc.session.msg("comm_msg", {"comm_id": model_id, "data": {
        "method": "update", "state": {"value": value}, "buffer_paths": []}})
    kc.shell_channel.send(msg)
    while True:  # the kernel is idle again once the redraw is done
        reply = kc.get_iopub_msg(timeout=timeout)
        if (reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]
                and reply["msg_type"] == "status"
                and reply["content"]["execution_state"] == "idle"):
            return


def measure(moves=200, every=50, verbose=True):
    """Move lesson 09's colour-quantization slider ``moves`` times in a fresh kernel.

    Returns
    -------
    dict: ``start_mb`` (RSS after the first figure), ``samples`` ([moves, MB] every ``every``
    moves), ``end_mb`` (after a final gc.collect()), ``growth_mb``, ``seconds``, ``state``
    (redraws, figures queued by the inline backend, pyplot figures open)
    """
    from jupyter_client.manager import start_new_kernel

    with tempfile.TemporaryDirectory() as state:
        env = {**os.environ, "MPLCONFIGDIR": state, "IPYTHONDIR": state}
        km, kc = start_new_kernel(kernel_name="python3", cwd=str(ROOT), env=env)
        try:
            pid = km.provisioner.process.pid
            setup = run_cell(kc, SETUP)
            model_id = json.loads(setup.split("MODEL ", 1)[1].splitlines()[0])
            start, samples = rss_mb(pid), []
            if verbose:
                print(f"after the first figure: {start:.0f} MB", flush=True)
            t0 = time.perf_counter()
            for i in range(1, moves + 1):
                move(kc, model_id, 2 + i % 8)  # K from 2 to 9 and back
                if i % every == 0:
                    samples.append([i, rss_mb(pid)])
                    if verbose:
                        print(f"after {i} moves: {samples[-1][1]:.0f} MB "
                              f"({time.perf_counter() - t0:.0f} s)", flush=True)
            seconds = time.perf_counter() - t0
            kernel_state = json.loads(run_cell(kc, REPORT).split("STATE ", 1)[1])
            end = rss_mb(pid)
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    return {"moves": moves, "start_mb": start, "samples": samples, "end_mb": end,
            "growth_mb": end - start, "seconds": seconds, "state": kernel_state}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=200)
    parser.add_argument("--every", type=int, default=50)
    args = parser.parse_args(argv)
    result = measure(args.moves, args.every)
    print(f"growth over {args.moves} moves: {result['growth_mb']:+.0f} MB; kernel state "
          f"{json.dumps(result['state'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
