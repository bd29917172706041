"""Smoke test of the benchmark runner on tiny inputs: it runs, measures every figure and writes
its files. Timings are never asserted here (they belong to `make bench` and the README)."""
import json
import pathlib
import runpy

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_bench_runner_measures_every_figure(tmp_path):
    bench = runpy.run_path(str(ROOT / "bench" / "run.py"), run_name="bench_run")
    assert bench["main"](["--smoke", "--out", str(tmp_path)]) == 0
    results = json.loads((tmp_path / "results.json").read_text())
    figures = results["figures"]
    assert len(figures) == 8
    for figure in figures:
        assert figure["ours"] is not None and figure["ours"] > 0, figure
        assert figure["reference"] is not None and figure["reference"] > 0, figure
        assert figure["met"] in (True, False)
    table = (tmp_path / "results.md").read_text()
    assert table.count("\n| `") >= 8 and "numpy" in table


def test_readme_has_the_bench_markers():
    text = (ROOT / "README.md").read_text()
    assert "<!-- bench:start -->" in text and "<!-- bench:end -->" in text
