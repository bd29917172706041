"""The classroom in a real browser: presenting mode in JupyterLab, the slides, the offline site.

Three checks, each parametrised by lesson so that it covers every lesson once the per-lesson
phase has given them slide metadata and legible figures (``PRESENTING_DONE``, ``SLIDES_DONE``):

- **Presenting in JupyterLab** (live, with the kernel): a copy of the lesson whose first cell is
  ``%env LESSONS_PRESENTING=1`` (what ``make present`` does) is run in JupyterLab in a 1440 x 900
  window; in View > Appearance > Presentation Mode with the left sidebar closed (as the teaching
  guide says) the first figure must be the presenting size
  (1.2 times the stored one) and fit the notebook column unshrunk; a slider (or menu) is moved
  and redraws in that mode. Screenshots of the first figure and of the moved widget go to
  ``tests/browser/screenshots/presenting-<lesson>-*.png`` (git-ignored).
- **Slides** (``make site`` builds them with ``jupyter nbconvert``'s reveal.js template and a local
  reveal.js): the deck opens, has one slide per ``slide`` cell and one more per ``subslide``, and
  every step (fragments included) can be walked through with no console error; a slide taller
  than the screen scrolls rather than being cut off.
- **The offline site**: every page opens from disk with no console error and no request to any
  other host, every figure of the notebook is there and loaded, the math is typeset (MathJax
  3, no error), and Next leads to the next lesson.

The JupyterLab server and Chromium are the session fixtures of ``conftest.py``; the notebook
runner and console watcher come from ``test_widgets_in_browser.py``. Without Chromium these tests
are skipped (failed with ``LESSONS_REQUIRE_BROWSER=1``), like the widget test.

Measured here (2 cores shared with other jobs, so slow): the site builds in about 15 s; lesson
00's presenting test takes about 40 s, its slides 5 s, the 24 site pages about 40 s.
"""
import importlib.util
import re
from pathlib import Path

import nbformat
import pytest

from lessons_src import plotting
from test_widgets_in_browser import (
    SCREENSHOT_DIR,
    WIDGET_CONTROL,
    PageWatch,
    _exercise_cell,
    _run_notebook,
    widget_notebooks,
)

REPO = Path(__file__).resolve().parents[2]
# docs/site/build.py, under a name of its own (a module called `build` may be installed too).
_spec = importlib.util.spec_from_file_location("lessons_site_build",
                                               REPO / "docs" / "site" / "build.py")
site_build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(site_build)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOKS = site_build.lesson_notebooks()
# Lessons whose figures and slides have had their classroom pass (the rest: per-lesson phase).
PRESENTING_DONE = SLIDES_DONE = frozenset(path.stem for path in NOTEBOOKS)
VIEWPORT = {"width": 1440, "height": 900}
# Tolerance for the measured column against the numbers lessons_src.plotting is built on.
COLUMN_TOLERANCE_PX = 4


def _lessons(done, reason):
    return [pytest.param(path, id=path.stem,
                         marks=() if path.stem in done else pytest.mark.skip(reason=reason))
            for path in NOTEBOOKS]


def _figure_and_column(page, cell):
    """The first output image of ``cell``: natural and shown width, and its output area's width."""
    return cell.locator(".jp-OutputArea-output img").first.evaluate(
        """img => ({natural: img.naturalWidth, shown: img.getBoundingClientRect().width,
                    column: img.closest('.jp-OutputArea-output').clientWidth})""")


def _appearance(page, item):
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^View$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Appearance$")).hover()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(rf"^{item}$")).click()


def _presentation_mode(page):
    """What a teacher does at the projector: View > Appearance > Presentation Mode, and the left
    sidebar closed (Presentation Mode alone keeps it, and its wider margins leave the column
    narrower than before: 962 px in a 1440-px window)."""
    _appearance(page, "Presentation Mode")
    page.locator(".jp-mod-presentationMode").first.wait_for()
    if page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current").count():
        _appearance(page, "Show Left Sidebar")
        page.wait_for_function("() => !document.querySelector("
                               "'.jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current')")
    page.wait_for_timeout(800)  # the layout settles


@pytest.mark.parametrize("notebook", _lessons(PRESENTING_DONE,
                                              "presenting pass of this lesson: per-lesson phase"))
def test_presenting_in_jupyterlab(browser, lab_server, notebook):
    stored = nbformat.read(notebook, as_version=4)
    first_png = next(output["data"]["image/png"] for cell in stored.cells
                     for output in cell.get("outputs", []) if "image/png" in output.get("data", {}))
    import base64
    import struct

    stored_width = struct.unpack(">I", base64.b64decode(first_png[:64])[16:20])[0]
    # The lesson as `make present` runs it: the variable is set before the preamble is imported.
    variant = nbformat.read(notebook, as_version=4)
    variant.cells.insert(0, nbformat.v4.new_code_cell(f"%env {plotting.PRESENTING_ENV}=1"))
    variant_path = Path(lab_server.root_dir) / "notebooks" / f"presenting-{notebook.name}"
    nbformat.write(variant, variant_path)
    n_widget_cells = dict((p.name, n) for p, n in widget_notebooks()).get(notebook.name, 0)

    page = browser.new_page()
    page.set_viewport_size(VIEWPORT)
    watch = PageWatch(page)
    try:
        times, done = _run_notebook(page, lab_server, variant_path, n_widget_cells)
        figure_cell = page.locator(".jp-Notebook .jp-CodeCell").filter(
            has=page.locator(".jp-OutputArea-output img")).first
        figure_cell.scroll_into_view_if_needed()
        ordinary = _figure_and_column(page, figure_cell)
        _presentation_mode(page)
        figure_cell.scroll_into_view_if_needed()
        presenting = _figure_and_column(page, figure_cell)
        SCREENSHOT_DIR.mkdir(exist_ok=True)
        figure_cell.locator(".jp-OutputArea-output img").first.screenshot(
            path=str(SCREENSHOT_DIR / f"presenting-{notebook.stem}-first-figure.png"))
        print(f"\n{notebook.name}: stored first figure {stored_width} px; presenting "
              f"{presenting['natural']} px; column {ordinary['column']} px (file browser open), "
              f"{presenting['column']} px (Presentation Mode); {times}")

        # The numbers the style is built on are still what JupyterLab gives.
        assert abs(ordinary["column"] - plotting.COLUMN_WIDTH_PX) <= COLUMN_TOLERANCE_PX, ordinary
        assert abs(presenting["column"]
                   - plotting.PRESENTATION_COLUMN_WIDTH_PX) <= COLUMN_TOLERANCE_PX, presenting
        # The switch took effect: the figure was drawn larger than the stored one (its PNG has
        # 1.2 times the resolution, but the box is cut to the contents: equal-aspect panels lose
        # room to the larger text and grow less, 1.06x in lesson 09; larger titles widen others
        # more, 1.32x in lesson 05)...
        assert presenting["natural"] >= 1.04 * stored_width, (stored_width, presenting)
        # ... and it fits the column, shown at its own size (not shrunk, so its text is as large
        # as drawn).
        assert presenting["natural"] <= presenting["column"], presenting
        assert presenting["shown"] == pytest.approx(presenting["natural"], abs=1), presenting

        # A control moved in Presentation Mode redraws its figure, which fits too.
        widget_cell = page.locator(".jp-Notebook .jp-CodeCell").filter(
            has=page.locator(WIDGET_CONTROL)).first
        widget_cell.scroll_into_view_if_needed()
        moved = _exercise_cell(page, widget_cell, f"{notebook.name} (presenting)", drag=False)
        redrawn = _figure_and_column(page, widget_cell)
        assert redrawn["natural"] <= redrawn["column"], redrawn
        widget_cell.screenshot(path=str(SCREENSHOT_DIR / f"presenting-{notebook.stem}-widget.png"))
        print(f"  {moved}; redrawn figure {redrawn['natural']} px")
        problems = watch.problems()
        assert not problems, "\n".join(problems)
    finally:
        page.close()
        lab_server.shutdown_kernels_soon(f"notebooks/{variant_path.name}")


# --------------------------------------------------------------------------------------------
# The static site and the slides, built once for the module


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "site"
    site_build.build(out)
    return out


def _open(page, path):
    """Open a page of the site from disk; record every request that is not a file or data URL."""
    foreign = []
    page.on("request", lambda request: foreign.append(request.url)
            if not request.url.startswith(("file:", "data:")) else None)
    failed = []
    page.on("requestfailed", lambda request: failed.append(f"{request.url}: {request.failure}"))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return foreign, failed


def _wait_for_math(page):
    """Wait for MathJax 3 to finish typesetting; return (formulas, errors)."""
    return page.evaluate("""async () => {
        if (!window.MathJax || !MathJax.startup) { return [0, 0]; }
        await MathJax.startup.promise;
        return [document.querySelectorAll('mjx-container').length,
                document.querySelectorAll('mjx-merror, [data-mjx-error]').length];
    }""")


@pytest.mark.parametrize("notebook", _lessons(SLIDES_DONE,
                                              "slide metadata comes with the per-lesson phase"))
def test_slides_open_and_step_through(browser, site, notebook):
    kinds = [cell.metadata.get("slideshow", {}).get("slide_type", "-")
             for cell in nbformat.read(notebook, as_version=4).cells]
    page = browser.new_page()
    page.set_viewport_size(VIEWPORT)
    watch = PageWatch(page)
    try:
        foreign, failed = _open(page, site / "slides" / f"{notebook.stem}.slides.html")
        page.wait_for_function("() => window.Reveal && Reveal.isReady()")
        _wait_for_math(page)
        counts = page.evaluate("() => [Reveal.getHorizontalSlides().length, Reveal.getTotalSlides()]")
        assert counts == [kinds.count("slide"), kinds.count("slide") + kinds.count("subslide")]
        steps, shots, cut_off = 0, 0, []
        SCREENSHOT_DIR.mkdir(exist_ok=True)
        while True:
            state = page.evaluate("""() => { const s = Reveal.getCurrentSlide();
                const imgs = [...s.querySelectorAll('img')];
                return {indices: Reveal.getIndices(), images: imgs.length,
                        loaded: imgs.every(i => i.complete && i.naturalWidth > 0),
                        tall: s.scrollHeight > document.querySelector('.reveal').clientHeight,
                        scrolls: s.classList.contains('lessons-scroll')}; }""")
            assert state["loaded"], f"an image did not load on slide {state['indices']}"
            if state["tall"] and not state["scrolls"]:
                cut_off.append(state["indices"])
            if state["images"] and shots < 2:
                page.screenshot(path=str(SCREENSHOT_DIR / f"slides-{notebook.stem}-{shots}.png"))
                shots += 1
            if page.evaluate("() => Reveal.isLastSlide() && !Reveal.availableFragments().next"):
                break
            page.evaluate("() => Reveal.next()")
            page.wait_for_timeout(150)
            steps += 1
            assert steps < 500, "the slides never end"
        print(f"\n{notebook.stem}: {counts[1]} slides, {steps} steps")
        assert steps >= counts[1] - 1 + kinds.count("fragment")
        assert not cut_off, f"slides taller than the screen that do not scroll: {cut_off}"
        assert not foreign and not failed, (foreign, failed)
        problems = watch.problems()
        assert not problems, "\n".join(problems)
    finally:
        page.close()


def _expected_images(stem):
    notebook = site_build.for_reading(nbformat.read(REPO / "notebooks" / f"{stem}.ipynb",
                                                    as_version=4))
    n_images = sum(any(kind.startswith("image/") for kind in output.get("data", {}))
                   for cell in notebook.cells for output in cell.get("outputs", []))
    has_math = any(cell.cell_type == "markdown" and "$" in cell.source for cell in notebook.cells)
    return n_images, has_math


@pytest.mark.parametrize("name", ["index", "teaching-guide"] + [p.stem for p in NOTEBOOKS])
def test_site_page(browser, site, name):
    page = browser.new_page()
    page.set_viewport_size(VIEWPORT)
    watch = PageWatch(page)
    try:
        foreign, failed = _open(page, site / f"{name}.html")
        formulas, math_errors = _wait_for_math(page)
        images = page.evaluate("""() => [...document.querySelectorAll('img')].map(
            i => i.complete && i.naturalWidth > 0)""")
        assert not foreign, f"requests to other hosts: {foreign}"
        assert not failed, f"failed requests: {failed}"
        assert all(images), f"{images.count(False)} image(s) did not load"
        if name[:2].isdigit():
            n_images, has_math = _expected_images(name)
            assert len(images) == n_images, f"{len(images)} figures shown, {n_images} stored"
            if has_math:
                assert formulas > 0, "the page has $...$ but no typeset formula"
            index = [p.stem for p in NOTEBOOKS].index(name)
            next_link = page.locator("nav.book-nav.top a.book-next")
            if index + 1 < len(NOTEBOOKS):
                assert next_link.get_attribute("href") == f"{NOTEBOOKS[index + 1].stem}.html"
            else:
                assert next_link.count() == 0
            if name == "07_nmf_update_rules":
                SCREENSHOT_DIR.mkdir(exist_ok=True)
                page.locator("mjx-container").first.scroll_into_view_if_needed()
                page.screenshot(path=str(SCREENSHOT_DIR / f"site-{name}.png"))
        else:
            links = page.evaluate("() => [...document.querySelectorAll('a')].map(a => a.href)")
            assert all(link.startswith("file:") for link in links if "://" in link), links
        assert math_errors == 0, f"{math_errors} formula(s) failed to typeset"
        problems = watch.problems()
        assert not problems, "\n".join(problems)
    finally:
        page.close()
