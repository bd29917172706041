"""Every lesson's notebook is generated from its source, and still agrees with it.

A lesson's source is ``lessons/NN_name.py`` (jupytext's percent format); ``make notebooks``
writes ``notebooks/NN_name.ipynb`` from it. An edit made on one side only (a cell changed in
JupyterLab, or a source edited without ``make notebooks``) fails here, naming the first cell that
differs.
"""
import pathlib

import jupytext
import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "lessons").glob("*.py"))
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _cells(notebook):
    return [(cell.cell_type, cell.source, sorted(cell.metadata.get("tags", [])))
            for cell in notebook.cells]


def test_one_source_per_notebook():
    assert [p.stem for p in SOURCES] == [p.stem for p in NOTEBOOKS]
    assert len(SOURCES) >= 11


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_notebook_cells_equal_their_source(source):
    expected = _cells(jupytext.read(source, fmt="py:percent"))
    stored = _cells(nbformat.read(ROOT / "notebooks" / f"{source.stem}.ipynb", as_version=4))
    for index, (want, got) in enumerate(zip(expected, stored)):
        assert got == want, (f"cell {index} of notebooks/{source.stem}.ipynb differs from "
                             f"lessons/{source.name}: edit the source and run `make notebooks`")
    assert len(stored) == len(expected), (
        f"notebooks/{source.stem}.ipynb has {len(stored)} cells, its source {len(expected)}: "
        f"run `make notebooks`")


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_sources_carry_no_test_plumbing(source):
    # nbval's markers are cell tags (jupytext: `# %% tags=["nbval-ignore-output"]`), not comments
    # that students read in the code they run.
    assert "NBVAL_" not in source.read_text(encoding="utf-8")
