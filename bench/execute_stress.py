"""Execute notebooks again and again as `make execute` does (nbclient, a fresh kernel each time,
into a temporary copy: the committed notebooks are never touched) and report stalls: cells whose
execute_reply came more than 2 s after the kernel went idle.

    python bench/execute_stress.py --runs 3 notebooks/02_kmeans_pitfalls_and_variants.ipynb
    python bench/execute_stress.py --interact-repro --runs 8 --timeout 30
    python bench/execute_stress.py --interact-repro --runs 8 --timeout 30 --no-output-widget-send

``--interact-repro`` runs a small notebook of 15 ``ipywidgets.interact`` cells instead (the old
way of making a slider, with an Output widget). On this machine (2 cores, load 7-10) it stalled
in 3 of 8 runs, each time for exactly the cell timeout, after which nbclient found the reply
waiting; with ``--no-output-widget-send`` (nbclient's stand-in for the Output widget no longer
sends the outputs back to the kernel on the shell socket) it did not stall in 10 runs. That
send is the cause: the wake-up for the execute_reply, awaited on the same socket, is lost now
and then. The lessons' sliders (``lessons_src.widgets.LiveFigure``) have no Output widget.
"""
import argparse
import os
import pathlib
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
STALL_S = 2.0


def interact_notebook(n_cells=15):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    cells = [new_code_cell(
        "%matplotlib inline\nimport matplotlib.pyplot as plt\nimport ipywidgets\n"
        "from ipywidgets import interact\n"
        "def f(x):\n    fig, ax = plt.subplots(figsize=(2, 2))\n    ax.plot([0, x], [0, x])\n"
        "    plt.show()\n    print('x =', x)\n")]
    cells += [new_code_cell(f"interact(f, x=ipywidgets.IntSlider(min=0, max=10, value={i % 10}))"
                            "\n_ = 1") for i in range(n_cells)]
    return nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}})


def execute_once(nb, cwd, timeout):
    """Execute ``nb`` (a copy) as `make execute` does; return (seconds, stalls, error), where
    stalls lists (cell index, seconds from the kernel's idle to the execute_reply)."""
    import copy

    from nbclient import NotebookClient

    nb = copy.deepcopy(nb)
    idle_at, stalls = {}, []
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(cwd)}})
    process_message = client.process_message

    def watch(msg, cell, cell_index):
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            idle_at[cell_index] = time.perf_counter()
        return process_message(msg, cell, cell_index)

    def executed(cell, cell_index, **_):
        if cell_index in idle_at:
            gap = time.perf_counter() - idle_at[cell_index]
            if gap > STALL_S:
                stalls.append((cell_index, gap))

    client.process_message = watch
    client.on_cell_executed = executed
    start = time.perf_counter()
    try:
        client.execute()
        error = None
    except Exception as exc:  # a failing cell is reported, the stress run goes on
        error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[-1][:200]}"
    return time.perf_counter() - start, stalls, error


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=int, default=300, help="per cell, as make execute")
    parser.add_argument("--interact-repro", action="store_true")
    parser.add_argument("--no-output-widget-send", action="store_true")
    args = parser.parse_args(argv)
    import nbformat

    if args.no_output_widget_send:
        from nbclient import output_widget

        output_widget.OutputWidget.send = lambda self, *a, **k: None
    if args.interact_repro:
        books = [("interact_repro", interact_notebook(), ROOT)]
    else:
        books = [(path.name, nbformat.read(path, as_version=4), path.resolve().parent)
                 for path in args.notebooks]
    total_stalls = 0
    with tempfile.TemporaryDirectory() as state:
        for var, sub in [("JUPYTER_CONFIG_DIR", "cfg"), ("JUPYTER_DATA_DIR", "data"),
                         ("JUPYTER_RUNTIME_DIR", "run"), ("IPYTHONDIR", "ipy"),
                         ("MPLCONFIGDIR", "mpl")]:
            os.environ.setdefault(var, os.path.join(state, sub))
        for run in range(1, args.runs + 1):
            for name, nb, cwd in books:
                seconds, stalls, error = execute_once(nb, cwd, args.timeout)
                total_stalls += len(stalls)
                print(f"{time.strftime('%H:%M:%S')} {name} run {run}: {seconds:.1f} s, "
                      f"{len(stalls)} stalls {[(i, round(g, 1)) for i, g in stalls]}"
                      f"{'; ' + error if error else ''}", flush=True)
    print(f"{total_stalls} stalls in {args.runs * len(books)} executions")
    return 1 if total_stalls else 0


if __name__ == "__main__":
    sys.exit(main())
