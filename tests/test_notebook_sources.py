"""Every lesson's notebook is the student's edition of its source, and still agrees with it.

A lesson's source is ``lessons/NN_name.py`` (jupytext's percent format), the teacher's edition:
solutions between nbgrader's markers. ``make notebooks`` writes ``notebooks/NN_name.ipynb``, its
student's edition (``lessons_src.teaching.student_edition``: solutions and hidden tests
stripped). An edit made on one side only (a cell changed in JupyterLab, or a source edited
without ``make notebooks``) fails here, naming the first cell that differs.
"""
import pathlib

import jupytext
import nbformat
import pytest

from lessons_src.teaching import student_edition

ROOT = pathlib.Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "lessons").glob("*.py"))
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _cells(notebook):
    return [(cell.cell_type, cell.source, sorted(cell.metadata.get("tags", [])),
             cell.metadata.get("nbgrader", {}).get("grade_id"))
            for cell in notebook.cells]


def test_one_source_per_notebook():
    assert [p.stem for p in SOURCES] == [p.stem for p in NOTEBOOKS]
    assert len(SOURCES) >= 11


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_notebook_cells_equal_their_source(source):
    expected = _cells(student_edition(jupytext.read(source, fmt="py:percent")))
    stored = _cells(nbformat.read(ROOT / "notebooks" / f"{source.stem}.ipynb", as_version=4))
    for index, (want, got) in enumerate(zip(expected, stored)):
        assert got == want, (f"cell {index} of notebooks/{source.stem}.ipynb differs from the "
                             f"student's edition of lessons/{source.name}: edit the source and run "
                             "`make notebooks`")
    assert len(stored) == len(expected), (
        f"notebooks/{source.stem}.ipynb has {len(stored)} cells, its source {len(expected)}: "
        f"run `make notebooks`")


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_sources_carry_no_test_plumbing(source):
    # nbval's markers are cell tags (jupytext: `# %% tags=["nbval-ignore-output"]`), not comments
    # that students read in the code they run.
    assert "NBVAL_" not in source.read_text(encoding="utf-8")


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_header_lets_nbgrader_and_slideshow_metadata_through(source):
    # jupytext writes only the cell metadata its filter names: nbgrader's (the teacher's edition)
    # and slideshow's (slides) must survive a round trip through JupyterLab.
    notebook = jupytext.read(source, fmt="py:percent")
    kept = notebook.metadata["jupytext"]["cell_metadata_filter"].split(",")
    assert {"nbgrader", "slideshow", "tags"} <= set(kept)
    assert jupytext.writes(notebook, fmt="py:percent") == source.read_text(encoding="utf-8")
