"""The classroom: `make lab` as root, the projector switch, legible figures, slide structure,
Previous/Next links, the lesson table, and the offline site builder.

Checks that apply to every lesson are parametrised over ``lessons/*.py``; the lessons whose
slide metadata, links or legibility pass comes later (the per-lesson phase) are marked, so that a
lesson that gains them turns the mark into a failure ("XPASS(strict)") until the mark goes.
The browser side (slides opening, the site's pages, presenting mode in JupyterLab) is
``tests/browser/test_site_and_slides.py``.
"""
import importlib.util
import json
import os
import re
import secrets
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import matplotlib
import jupytext
import nbformat
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from lessons_src import plotting  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "lessons").glob("*.py"))
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# docs/site/build.py, under a name of its own (a module called `build` may be installed too).
_spec = importlib.util.spec_from_file_location("lessons_site_build",
                                               ROOT / "docs" / "site" / "build.py")
site_build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(site_build)

# Lessons that carry what the classroom pass adds (slide metadata, Previous/Next links, legible
# figures): every lesson now; a new lesson joins by passing the same checks.
SLIDES_DONE = LINKS_DONE = LEGIBLE_DONE = frozenset(path.stem for path in SOURCES)

SLIDE_TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}
# A code cell this long, or one showing an algorithm's source, is off the main line of slides.
LONG_CODE_LINES = 12
# reveal.js lays a slide out 1280 x 800 (docs/site/build.py); a (sub)slide may scroll a little.
SLIDE_HEIGHT_BUDGET_PX = 1.5 * site_build.SLIDE_HEIGHT


def _lesson_params(done, reason):
    return [pytest.param(path, id=path.stem,
                         marks=() if path.stem in done else pytest.mark.xfail(strict=True,
                                                                              reason=reason))
            for path in SOURCES]


@pytest.fixture
def restore_style():
    saved = plt.rcParams.copy()
    yield
    plt.rcParams.update(saved)
    plt.close("all")


# --------------------------------------------------------------------------------------------
# make lab


def test_make_lab_adds_allow_root_only_for_root():
    dry = subprocess.run(["make", "-n", "lab"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    command = [line for line in dry.splitlines() if "jupyter lab" in line][-1]
    assert ("--allow-root" in command) == (os.geteuid() == 0), command
    assert "--LabApp.default_url=/lab/tree/notebooks/00_overview.ipynb" in command


def test_make_present_sets_the_presenting_variable():
    dry = subprocess.run(["make", "-n", "present"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    command = [line for line in dry.splitlines() if "jupyter lab" in line][-1]
    assert command.startswith(f"{plotting.PRESENTING_ENV}=1 "), command


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_make_lab_serves_lesson_00_and_prints_its_url(tmp_path):
    """``make lab LAB_ARGS="--no-browser --port P"`` as this user (root in CI): the server starts,
    prints lesson 00's URL with its token, and serves lesson 00 through the contents API."""
    port = _free_port()
    env = dict(os.environ)
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR",
                 "MPLCONFIGDIR", "HOME"):
        env[name] = str(tmp_path / name.lower())
    log_path = tmp_path / "lab.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            ["make", "lab", f"LAB_ARGS=--no-browser --ip 127.0.0.1 --port {port} "
                            "--ServerApp.port_retries=0"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url_pattern = re.compile(rf"http://127\.0\.0\.1:{port}/lab/tree/notebooks/"
                                 r"00_overview\.ipynb\?token=([0-9a-f]+)")
        deadline = time.monotonic() + 90
        while not (match := url_pattern.search(log_path.read_text(errors="replace"))):
            assert process.poll() is None, f"make lab exited:\n{log_path.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"no URL printed:\n{log_path.read_text()[-3000:]}"
            time.sleep(0.3)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/contents/notebooks/00_overview.ipynb?content=1",
            headers={"Authorization": f"token {match.group(1)}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            model = json.loads(response.read())
        assert model["type"] == "notebook" and model["path"] == "notebooks/00_overview.ipynb"
        assert len(model["content"]["cells"]) > 10
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


# --------------------------------------------------------------------------------------------
# The projector switch and the measure of legibility


def test_baseline_text_is_10_pt_in_the_column(restore_style):
    plotting.apply_style(presenting=False)
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    ax.set_title("title")
    measured = plotting.figure_legibility(fig)
    assert measured.fits
    assert measured.smallest_text_pt >= plotting.MIN_TEXT_PT - 1e-9
    # 12 pt at 80 dpi is 13.3 px, which is 10 CSS pt: the style's smallest size is the rule.
    assert measured.smallest_text_pt == pytest.approx(plotting.MIN_TEXT_PT)
    assert fig.get_size_inches()[0] * fig.dpi <= plotting.COLUMN_WIDTH_PX


def _two_figures():
    """A figure with rc-sized text only, and one with a fixed-size text only."""
    fig, ax = plt.subplots()
    line, = ax.plot([0, 1], [0, 1])
    ax.set_title("rc-sized title")
    fixed = plt.figure(figsize=(3, 1))
    fixed.text(0.5, 0.5, "fixed 12 pt", fontsize=12)
    return (plotting.figure_legibility(fig, column_px=1e6), line.get_linewidth() * fig.dpi,
            plotting.figure_legibility(fixed, column_px=1e6))


def test_presenting_scales_text_lines_and_resolution(restore_style):
    base = plotting.apply_style(presenting=False)
    rc_before, line_before, fixed_before = _two_figures()
    style = plotting.presenting()
    scale = plotting.PRESENTING_SCALE
    assert style["font.size"] == pytest.approx(base["font.size"] * scale)
    # Figures made afterwards (as a slider's redraw makes one) follow.
    rc_after, line_after, fixed_after = _two_figures()
    # rc-sized text: larger in points and in dots per point; lines likewise.
    assert rc_after.smallest_text_pt == pytest.approx(rc_before.smallest_text_pt * scale ** 2)
    assert line_after == pytest.approx(line_before * scale ** 2)
    # Text with a fixed size still grows with the resolution; the figure too.
    assert fixed_after.smallest_text_pt == pytest.approx(fixed_before.smallest_text_pt * scale)
    assert rc_after.width_px == pytest.approx(rc_before.width_px * scale, rel=0.05)
    plotting.presenting(False)
    assert plt.rcParams["font.size"] == base["font.size"]


def test_presenting_follows_the_environment_variable(monkeypatch, restore_style):
    monkeypatch.setenv(plotting.PRESENTING_ENV, "1")
    assert plotting.apply_style()["figure.dpi"] > 80
    for off in ("", "0", "false", "No"):
        monkeypatch.setenv(plotting.PRESENTING_ENV, off)
        assert plotting.apply_style()["figure.dpi"] == 80
    with pytest.raises(TypeError, match="presenting"):
        plotting.apply_style(presenting="yes")


def test_the_presenting_figure_still_fits_presentation_mode(restore_style):
    """The widest figure that fits the ordinary column (1008 px) still fits Presentation Mode's
    column (1214 px) once presenting scales it by 1.2."""
    plotting.apply_style(presenting=False)
    widest_in = plotting.COLUMN_WIDTH_PX / plt.rcParams["figure.dpi"]
    plotting.presenting()
    assert widest_in * plt.rcParams["figure.dpi"] <= plotting.PRESENTATION_COLUMN_WIDTH_PX


def test_legibility_counts_only_drawn_text_and_the_shrink(restore_style):
    plotting.apply_style(presenting=False)
    fig = plt.figure(figsize=(20, 3))  # 1600 px: JupyterLab shrinks it to the column
    fig.text(0.02, 0.5, "left", fontsize=24)
    fig.text(0.98, 0.5, "right", fontsize=24, ha="right")
    fig.text(0.5, 0.5, "hidden", fontsize=4, visible=False)
    measured = plotting.figure_legibility(fig)
    assert not measured.fits
    assert measured.shown_width_px == plotting.COLUMN_WIDTH_PX
    shrink = plotting.COLUMN_WIDTH_PX / measured.width_px
    assert measured.smallest_text_pt == pytest.approx(24 * 80 / 72 * 0.75 * shrink)
    assert measured.smallest_text in ("left", "right")
    empty = plotting.figure_legibility(plt.figure(figsize=(2, 2)))
    assert empty.smallest_text_pt == float("inf")
    with pytest.raises(ValueError, match="column_px"):
        plotting.figure_legibility(fig, column_px=0)


# Runs a lesson's code in a fresh IPython shell (Agg backend), measuring every figure at the
# moment the lesson shows it; prints one JSON line per figure.
_MEASURE_LESSON = r"""
import json, sys
import jupytext
import matplotlib.pyplot as plt
from IPython.core.interactiveshell import InteractiveShell
from lessons_src import plotting

shown = []
def show(*args, **kwargs):
    for number in plt.get_fignums():
        figure = plt.figure(number)
        measured = plotting.figure_legibility(figure)
        shown.append(dict(measured._asdict(), fits=measured.fits, cell=CELL))
        plt.close(figure)
plt.show = show
shell = InteractiveShell.instance()
CELL = None
for index, cell in enumerate(jupytext.read(sys.argv[1]).cells):
    if cell.cell_type == "code":
        CELL = index
        result = shell.run_cell(cell.source, silent=True)
        if not result.success:
            raise SystemExit(f"cell {index} failed: {result.error_in_exec or result.error_before_exec}")
        show()
print("LEGIBILITY " + json.dumps(shown))
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    "source", [pytest.param(path, id=path.stem,
                            marks=() if path.stem in LEGIBLE_DONE else pytest.mark.skip(
                                reason="legibility pass of this lesson: per-lesson phase"))
               for path in SOURCES])
def test_every_figure_fits_the_column_with_10_pt_text(source, tmp_path):
    env = dict(os.environ, MPLBACKEND="Agg", MPLCONFIGDIR=str(tmp_path),
               IPYTHONDIR=str(tmp_path / "ipython"))
    env.pop(plotting.PRESENTING_ENV, None)
    run = subprocess.run([sys.executable, "-c", _MEASURE_LESSON, str(source)], cwd=tmp_path,
                         env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    line = [text for text in run.stdout.splitlines() if text.startswith("LEGIBILITY ")][-1]
    figures = json.loads(line[len("LEGIBILITY "):])
    assert figures, "the lesson showed no figure"
    problems = [f"cell {f['cell']}: {f['width_px']:.0f} px wide (column "
                f"{plotting.COLUMN_WIDTH_PX}), smallest text {f['smallest_text_pt']:.1f} pt "
                f"({f['smallest_text'][:40]!r})"
                for f in figures
                if not f["fits"] or f["smallest_text_pt"] < plotting.MIN_TEXT_PT - 1e-6]
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------------------------
# Slides


def _slide_type(cell):
    return cell.metadata.get("slideshow", {}).get("slide_type", "-")


def _png_size(b64):
    import base64

    head = base64.b64decode(b64[:64])
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def _cell_height_px(cell):
    """A rough height of a cell on a 1280 x 800 slide: lines of text and stored figures."""
    if cell.cell_type == "markdown":
        return 30 * (cell.source.count("\n") + 1)
    height = 20 * (cell.source.count("\n") + 1)
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if "image/png" in data:
            width, image_height = _png_size(data["image/png"])
            height += image_height * min(1.0, site_build.SLIDE_WIDTH / width)
        elif "text" in output or "text/plain" in data:
            text = output.get("text") or data.get("text/plain", "")
            height += 20 * min(text.count("\n") + 1, 30)
    return height


def slide_problems(source):
    """What keeps a lesson from presenting well as slides (an empty list when nothing does)."""
    problems = []
    header = source.read_text(encoding="utf-8").split("# ---", 2)[1]
    match = re.search(r"cell_metadata_filter:\s*(\S+)", header)
    if not match or "slideshow" not in match.group(1).split(","):
        problems.append("the jupytext header's cell_metadata_filter drops `slideshow`")
    cells = jupytext.read(source, fmt="py:percent").cells
    notebook = nbformat.read(ROOT / "notebooks" / f"{source.stem}.ipynb", as_version=4)
    stored = [_slide_type(cell) for cell in notebook.cells]
    if [_slide_type(cell) for cell in cells] != stored:
        problems.append("the notebook's slide types differ from its source: run `make notebooks`")
    if not cells or cells[0].cell_type != "markdown" or _slide_type(cells[0]) != "slide":
        problems.append("the first cell (the title) is not a markdown `slide`")
    for index, cell in enumerate(cells):
        kind = _slide_type(cell)
        if kind not in SLIDE_TYPES:
            problems.append(f"cell {index}: unknown slide_type {kind!r}")
        first = cell.source.lstrip().split("\n", 1)[0]
        if cell.cell_type == "markdown" and re.match(r"#{1,2} ", first) and kind != "slide":
            problems.append(f"cell {index} ({first[:40]!r}): a section starts a `slide`")
        if cell.cell_type == "markdown" and first.startswith("### ") and kind not in (
                "slide", "subslide"):
            problems.append(f"cell {index} ({first[:40]!r}): a sub-section starts a `subslide`")
        long_code = cell.cell_type == "code" and (
            "show_source(" in cell.source or cell.source.count("\n") + 1 > LONG_CODE_LINES)
        if long_code and kind not in ("subslide", "skip", "notes"):
            problems.append(f"cell {index}: long code or show_source on the main line of slides "
                            f"({kind!r}; make it a `subslide`, `skip` or `notes`)")
    # Heights, per (sub)slide, from the executed notebook (its stored figures).
    height, start = 0, 0
    for index, cell in enumerate(notebook.cells + [None]):
        kind = "slide" if cell is None else _slide_type(cell)
        if kind in ("slide", "subslide"):
            if height > SLIDE_HEIGHT_BUDGET_PX:
                problems.append(f"the (sub)slide starting at cell {start} is about {height:.0f} "
                                f"px tall (budget {SLIDE_HEIGHT_BUDGET_PX:.0f}): split it")
            height, start = 0, index
        if cell is not None and kind not in ("skip", "notes"):
            height += _cell_height_px(cell)
    return problems


def test_slide_check_can_fail(tmp_path):
    """The structure check rejects a lesson whose section is not a slide."""
    text = (ROOT / "lessons" / "00_overview.py").read_text(encoding="utf-8")
    broken = text.replace('# %% [markdown] slideshow={"slide_type": "slide"}\n# ## Summary',
                          "# %% [markdown]\n# ## Summary")
    assert broken != text
    path = tmp_path / "00_overview.py"  # the notebook is still read from notebooks/
    path.write_text(broken, encoding="utf-8")
    problems = slide_problems(path)
    assert any("Summary" in problem for problem in problems), problems


# --------------------------------------------------------------------------------------------
# Previous / Next links and lesson 00's table

LINK = r"\[[^\]]+\]\(((\d\d)_[A-Za-z0-9_]+\.ipynb)\)"


def link_problems(source):
    cells = jupytext.read(source, fmt="py:percent").cells
    last = cells[-1]
    number = int(source.stem[:2])
    numbers = [int(path.stem[:2]) for path in NOTEBOOKS]
    problems = []
    if last.cell_type != "markdown":
        return ["the last cell is not a markdown cell with Previous/Next links"]
    for word, wanted in (("Previous", number - 1), ("Next", number + 1)):
        if wanted not in numbers:
            continue
        match = re.search(rf"{word}:\s*{LINK}", last.source)
        if not match:
            problems.append(f"no `{word}: [...](NN_name.ipynb)` link in the last cell")
        elif int(match.group(2)) != wanted or not (ROOT / "notebooks" / match.group(1)).exists():
            problems.append(f"{word} links to {match.group(1)}, not to lesson {wanted:02d}")
    return problems


# Per lesson: its slide structure, and Previous/Next links at its end.
PER_LESSON_CHECKS = {
    "slides": (slide_problems, SLIDES_DONE, "slide metadata comes with the per-lesson phase"),
    "links": (link_problems, LINKS_DONE, "added when the lessons are merged"),
}


@pytest.mark.parametrize("check, source", [
    pytest.param(check, param.values[0], id=f"{check}-{param.id}", marks=param.marks)
    for check, (_, done, reason) in PER_LESSON_CHECKS.items()
    for param in _lesson_params(done, reason)])
def test_lesson_is_ready_for_class(check, source):
    problems = PER_LESSON_CHECKS[check][0](source)
    assert not problems, "\n".join(problems)


def test_lesson_00_table_lists_every_notebook():
    text = (ROOT / "lessons" / "00_overview.py").read_text(encoding="utf-8")
    listed = re.findall(rf"^# \| (\d\d) \| {LINK} \|", text, flags=re.MULTILINE)
    assert [name for _, name, _ in listed] == [path.name for path in NOTEBOOKS]
    assert all(number == prefix for number, _, prefix in listed)
    assert "may not exist yet" not in text


# --------------------------------------------------------------------------------------------
# The offline site (docs/site/build.py); tests/browser/test_site_and_slides.py opens it


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "site"
    chosen = [ROOT / "notebooks" / "00_overview.ipynb",
              ROOT / "notebooks" / "07_nmf_update_rules.ipynb"]
    site_build.build(out, chosen)
    return out


def test_site_pages_fetch_nothing_from_other_hosts(small_site):
    pages = sorted(small_site.rglob("*.html"))
    assert {p.name for p in pages} >= {"index.html", "00_overview.html", "teaching-guide.html",
                                       "07_nmf_update_rules.html", "00_overview.slides.html"}
    for page in pages:
        html = page.read_text(encoding="utf-8")
        remote = re.findall(r"""(?:src|href)\s*=\s*["'](?:https?:)?//[^"']+""", html)
        assert not remote, f"{page.name} loads {remote[:3]}"
        assert "@import url(http" not in html
    assert (small_site / "_static" / "mathjax" / site_build.MATHJAX_FILE).stat().st_size > 1e6
    assert (small_site / "_static" / "reveal" / "dist" / "reveal.js").exists()


def test_site_links_lessons_and_drops_widgets(small_site):
    overview = (small_site / "00_overview.html").read_text(encoding="utf-8")
    assert 'href="07_nmf_update_rules.html"' in overview  # Next, in the site's own order
    assert 'href="01_kmeans_step_by_step.html"' in overview  # a lesson link, rewritten
    assert not re.findall(r'href="[^"]*\.ipynb"', overview)
    assert "application/vnd.jupyter.widget-view+json" not in overview
    assert "interactive(children=" not in overview
    rules = (small_site / "07_nmf_update_rules.html").read_text(encoding="utf-8")
    assert 'href="00_overview.html"' in rules and "book-next" not in rules


def test_site_keeps_every_figure(small_site):
    for name in ("00_overview", "07_nmf_update_rules"):
        notebook = site_build.for_reading(
            nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4))
        n_images = sum(any(kind.startswith("image/") for kind in output.get("data", {}))
                       for cell in notebook.cells for output in cell.get("outputs", []))
        html = (small_site / f"{name}.html").read_text(encoding="utf-8")
        assert len(re.findall(r'<img[^>]*src="data:image/[a-z]+;base64,', html)) == n_images > 0


def test_slides_follow_the_slide_metadata(small_site):
    notebook = nbformat.read(ROOT / "notebooks" / "00_overview.ipynb", as_version=4)
    kinds = [_slide_type(cell) for cell in notebook.cells]
    html = (small_site / "slides" / "00_overview.slides.html").read_text(encoding="utf-8")
    # nbconvert writes one outer <section> per slide, one inner per slide and sub-slide.
    body = html.split('<div class="slides">', 1)[1]
    assert body.count("<section") == kinds.count("slide") * 2 + kinds.count("subslide")
    assert body.count('class="fragment"') == kinds.count("fragment")


def test_for_reading_keeps_a_widget_fallback_picture():
    cell = nbformat.v4.new_code_cell("interactive_figure(draw)")
    cell.outputs = [nbformat.v4.new_output("display_data", data={
        "application/vnd.jupyter.widget-view+json": {"model_id": "x", "version_major": 2,
                                                      "version_minor": 0},
        "text/plain": "interactive(children=(...))", "image/png": "iVBORw0KGgo="})]
    bare = nbformat.v4.new_code_cell("interact(f)")
    bare.outputs = [nbformat.v4.new_output("display_data", data={
        "application/vnd.jupyter.widget-view+json": {"model_id": "y"},
        "text/plain": "interactive(...)"})]
    notebook = nbformat.v4.new_notebook(cells=[cell, bare], metadata={"widgets": {"state": {}}})
    read = site_build.for_reading(notebook)
    assert "widgets" not in read.metadata
    assert list(read.cells[0].outputs[0].data) == ["image/png"]
    assert read.cells[1].outputs == []
    assert "widgets" in notebook.metadata  # the input is left alone
