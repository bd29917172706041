"""Write a notebook from a percent-format script (``# %%`` code cells, ``# %% [markdown]``).

    python tools/py_to_notebook.py lesson.py notebooks/NN_name.ipynb

Markdown cells are written as comment lines (``# text``); the leading ``# `` is removed.
The notebook is written unexecuted: run ``make execute NOTEBOOKS=...`` afterwards, which is the
only way stored outputs are produced.
"""
import re
import sys

import nbformat


def convert(text):
    cells = []
    for block in re.split(r"^# %%", text, flags=re.M)[1:]:
        header, _, body = block.partition("\n")
        body = body.strip("\n")
        if "[markdown]" in header:
            lines = [re.sub(r"^# ?", "", line) for line in body.splitlines()]
            cells.append(nbformat.v4.new_markdown_cell("\n".join(lines)))
        elif body.strip():
            cells.append(nbformat.v4.new_code_cell(body))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


if __name__ == "__main__":
    source, target = sys.argv[1:3]
    with open(source, encoding="utf-8") as fh:
        nbformat.write(convert(fh.read()), target)
