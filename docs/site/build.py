"""Build the static HTML book of the executed lessons, and their slides, with nothing fetched.

``make site`` runs ``python docs/site/build.py`` and writes ``build/site/``:

- ``index.html``: the contents (every lesson, its page and its slides, the teaching guide);
- ``NN_name.html``: each executed notebook as a page (nbconvert's ``lab`` look), with
  Contents / Previous / Next links above and below, math rendered by MathJax;
- ``slides/NN_name.slides.html``: the same notebook as reveal.js slides, from its cells'
  ``slideshow`` metadata (sections as slides, steps as fragments, ``skip`` left out);
- ``teaching-guide.html``: ``docs/teaching-guide.md``;
- ``_static/mathjax`` and ``_static/reveal``: MathJax 3 (from the ``sphinx-mathjax-offline``
  package) and reveal.js 5 (from ``sphinx-revealjs``), both pinned in requirements.txt.

Offline, at build time and at view time: no page loads anything from another host (no CDN
MathJax, require.js, jQuery, widget manager, web font or theme). The pages are read without a
kernel, so widgets are dropped: a widget output shows its static fallback (a PNG in the same
display bundle) when it has one, and nothing otherwise (every lesson draws each slider's figure
once statically too). Links between lessons (``NN_name.ipynb``) become links between pages.

Run ``python docs/site/build.py --help`` for the options; it prints the build time and size.
"""
import argparse
import copy
import re
import shutil
import sys
import time
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter, SlidesExporter

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = Path(__file__).resolve().parent / "templates"
NOTEBOOK_DIR = ROOT / "notebooks"
GUIDE = ROOT / "docs" / "teaching-guide.md"

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# A link to a lesson, in markdown or HTML: (01_kmeans_step_by_step).ipynb (with an optional
# ../notebooks/ in front, as the teaching guide writes them).
LESSON_LINK = re.compile(r"(?:\.\./notebooks/)?(\d\d_[A-Za-z0-9_]+)\.ipynb")
# MathJax 3.2 as the sphinx-mathjax-offline package ships it: one file, every TeX extension, SVG
# output (no web fonts to load); set up in templates/lessons_mathjax.html.j2.
MATHJAX_PACKAGE, MATHJAX_FILE = "sphinx-mathjax-offline", "tex-svg-full.js"
REVEAL_PARTS = ["LICENSE", "dist/reveal.js", "dist/reveal.css", "dist/reset.css",
                "dist/theme/white.css", "dist/theme/fonts/source-sans-pro",
                "plugin/notes/notes.js"]
# reveal.js's logical slide size: content is laid out at this size and scaled to the screen.
SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 800


def lesson_notebooks(directory=NOTEBOOK_DIR):
    """The lessons' notebooks ``NN_name.ipynb``, sorted by number."""
    return sorted(p for p in directory.glob("*.ipynb") if re.match(r"\d\d_", p.name))


def lesson_title(notebook):
    """The text of the notebook's first markdown heading (its title)."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#+\s+(.+)$", cell.source, flags=re.MULTILINE)
            if match:
                return match.group(1).strip()
    raise ValueError("notebook has no markdown heading to use as its title")


def short_title(title):
    """'03 · Hierarchical clustering (层次聚类)' -> '03 · Hierarchical clustering'."""
    return re.sub(r"\s*\([^()]*[^\x00-\x7f][^()]*\)\s*$", "", title)


def for_reading(notebook):
    """A copy of ``notebook`` for a page without a kernel.

    Widget views are dropped (their state too): an output that also carries a picture or text
    besides the widget view keeps those; an output that was only a widget (its text/plain is
    the widget's repr) is removed. Lesson links point at the pages.
    """
    notebook = copy.deepcopy(notebook)
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = LESSON_LINK.sub(r"\1.html", cell.source)
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data:
                data.pop(WIDGET_VIEW)
                data.pop("text/plain", None)  # the widget's repr, e.g. "interactive(children=..."
                if not data:
                    continue
            kept.append(output)
        cell.outputs = kept
    return notebook


def copy_parts(source, parts, target):
    """Copy ``parts`` (files or folders, relative to ``source``) to ``target``."""
    for part in parts:
        src, dst = source / part, target / part
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            shutil.copy2(src, dst)


def static_assets(out):
    """Copy MathJax and reveal.js from their installed packages into ``out/_static``."""
    from importlib.metadata import distribution

    import sphinx_revealjs

    mathjax = Path(distribution(MATHJAX_PACKAGE).locate_file(f"{MATHJAX_PACKAGE}/static/mathjax"))
    reveal = Path(sphinx_revealjs.__file__).parent / "_static" / "revealjs"
    copy_parts(mathjax, [MATHJAX_FILE], out / "_static" / "mathjax")
    copy_parts(reveal, REVEAL_PARTS, out / "_static" / "reveal")


def _exporters(static_prefix):
    mathjax_url = f"{static_prefix}/mathjax/{MATHJAX_FILE}"
    templates = {"extra_template_basedirs": [str(TEMPLATES)],
                 "extra_template_paths": [str(TEMPLATES)]}  # for lessons_mathjax.html.j2
    page = HTMLExporter(template_name="lessons_book", mathjax_url=mathjax_url, **templates)
    slides = SlidesExporter(
        template_name="lessons_slides", mathjax_url=f"../{mathjax_url}",
        reveal_url_prefix=f"../{static_prefix}/reveal", **templates,
        reveal_theme="white", reveal_transition="none", reveal_number="c/t",
        reveal_width=str(SLIDE_WIDTH), reveal_height=str(SLIDE_HEIGHT),
    )
    return page, slides


def _markdown_page(title, text):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell(LESSON_LINK.sub(r"\1.html", text))]
    notebook.metadata["title"] = title
    return notebook


def build(out, notebooks=None, slides=True):
    """Write the site into ``out`` (emptied first); return the list of pages written."""
    notebooks = lesson_notebooks() if notebooks is None else list(notebooks)
    if not notebooks:
        raise ValueError("no lesson notebooks to build")
    if out.exists():
        shutil.rmtree(out)
    (out / "slides").mkdir(parents=True)
    static_assets(out)
    page_exporter, slides_exporter = _exporters("_static")

    lessons = []
    for path in notebooks:
        notebook = for_reading(nbformat.read(path, as_version=4))
        notebook.metadata["title"] = short_title(lesson_title(notebook))
        lessons.append((path.stem, notebook))

    written = []
    for index, (stem, notebook) in enumerate(lessons):
        book = {
            "home": "index.html",
            "slides": f"slides/{stem}.slides.html" if slides else None,
            "previous": ((f"{lessons[index - 1][0]}.html",
                          lessons[index - 1][1].metadata["title"]) if index > 0 else None),
            "next": ((f"{lessons[index + 1][0]}.html", lessons[index + 1][1].metadata["title"])
                     if index + 1 < len(lessons) else None),
        }
        html, _ = page_exporter.from_notebook_node(notebook, resources={"book": book})
        (out / f"{stem}.html").write_text(html, encoding="utf-8")
        written.append(out / f"{stem}.html")
        if slides:
            html, _ = slides_exporter.from_notebook_node(notebook)
            (out / "slides" / f"{stem}.slides.html").write_text(html, encoding="utf-8")
            written.append(out / "slides" / f"{stem}.slides.html")

    rows = "\n".join(
        f"| [{notebook.metadata['title']}]({stem}.html) | "
        + (f"[slides](slides/{stem}.slides.html)" if slides else "") + " |"
        for stem, notebook in lessons)
    contents = ("# NMF and image clustering: the lessons\n\n"
                "Every lesson as it was last executed, with its figures; read without a kernel,"
                " so the sliders are shown at one value. Run the notebooks in JupyterLab to"
                " move them.\n\n| lesson | slides |\n|---|---|\n" + rows + "\n")
    if GUIDE.exists():
        contents += "\nFor teachers: [the teaching guide](teaching-guide.html).\n"
    pages = [("index", _markdown_page("NMF and image clustering", contents))]
    if GUIDE.exists():
        pages.append(("teaching-guide",
                      _markdown_page("Teaching guide", GUIDE.read_text(encoding="utf-8"))))
    for stem, notebook in pages:
        book = {"home": "index.html", "slides": None, "previous": None, "next": None}
        html, _ = page_exporter.from_notebook_node(notebook, resources={"book": book})
        (out / f"{stem}.html").write_text(html, encoding="utf-8")
        written.append(out / f"{stem}.html")
    return written


def folder_size(path):
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "site",
                        help="output folder, emptied first (default: build/site)")
    parser.add_argument("--no-slides", action="store_true", help="pages only")
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="lesson notebooks (default: every notebooks/NN_*.ipynb)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    written = build(args.out, args.notebooks or None, slides=not args.no_slides)
    seconds = time.perf_counter() - start
    size = folder_size(args.out) / 2 ** 20
    print(f"wrote {len(written)} pages to {args.out} in {seconds:.1f} s; "
          f"{size:.1f} MiB in all; open {args.out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
