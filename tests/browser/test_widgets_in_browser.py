"""Every widget notebook, opened in JupyterLab in headless Chromium, really redraws.

nbval runs no JavaScript, so it cannot tell whether a slider renders or redraws. This test does
what a student does: JupyterLab serves a copy of ``notebooks/``; for every notebook whose code
uses widgets (discovered at run time, one test id per notebook) a Chromium page opens it, clears
the stored outputs, runs all cells (menu Run → Run All Cells), and then, in every cell that shows
a widget control:

- a slider is moved with the keyboard (focus ``.widget-slider .noUi-handle``, ArrowRight, or
  ArrowLeft when already at the maximum) and, for the first slider of the notebook, also with a
  mouse drag of the handle (held for 0.7 s before release: the figure must not redraw
  until the release, ``continuous_update=False``);
- a cell whose only controls are dropdowns gets another option selected instead;

and after each move the test asserts that the cell's output ``img`` changed (its ``src``), that
the figure was redrawn *in place* (the number of images in the cell is the same as before: no
stacking), and, at the end, that no error output (stderr, traceback, "Error displaying widget")
and no browser console error or uncaught page error appeared. On failure a screenshot (scrolled
to the failing cell) is saved to ``tests/browser/screenshots/<notebook>.png`` (git-ignored). The notebook's kernel is shut down
through the REST API after its test.

Running it
----------
``make test TESTS=tests/browser`` (``-s`` prints each notebook's phase times). Per notebook: about
5 s to open JupyterLab and connect the kernel, the notebook's own run time, and 1-10 s of widget
moves. All 11 lessons: 4 min 11 s to 5 min 10 s on 2 cores that other jobs were also using
(load average 3-4); e.g. 4 min 11 s = notebooks' own run time 122 s + opening 57 s + widget
moves 52 s + server, browser and collection ~20 s. It needs the system
Chromium (``apt-get install -y chromium``; ``LESSONS_CHROMIUM=/path`` overrides the search) and
the ``playwright`` Python package (pinned in requirements.txt). ``playwright install`` is never
needed or used: Playwright drives the system Chromium through ``executable_path``. Without
Chromium the tests are skipped with the reason; with ``LESSONS_REQUIRE_BROWSER=1`` (``.ci/run``
sets it) they fail instead.

Console errors: none is ignored (see ``BENIGN_CONSOLE_ERRORS``).

Proof that it can fail: with ``jupyterlab_widgets`` (the JupyterLab widget front-end)
uninstalled, JupyterLab shows the text repr of each widget instead of the controls, and every
test fails at "expected at least N cell(s) showing widget controls".
"""
import json
import os
import re
import time
from collections import Counter
from pathlib import Path

import pytest

NOTEBOOK_DIR = Path(__file__).resolve().parents[2] / "notebooks"
SCREENSHOT_DIR = Path(__file__).resolve().parent / "screenshots"  # git-ignored

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# A code cell that displays an interactive figure.
WIDGET_CALL = re.compile(r"\b(interactive_figure|interactive|interact|interact_manual)\s*\(")
# A notebook "has widgets" if any code cell calls one of the above or uses ipywidgets directly.
WIDGET_HINT = re.compile(r"\binteractive_figure\s*\(|\bipywidgets\b|\binteract(ive)?\s*\(")

# Browser console errors that are expected and harmless. Each entry: (regex, why it is benign).
# Empty on purpose: with JupyterLab's news feed and update check switched off (conftest.py:
# they would fetch from the offline internet), no console error was seen on any notebook, so
# every console error fails the test. Add an entry only for noise you can name.
BENIGN_CONSOLE_ERRORS = []

# Selectors measured with JupyterLab 4.6 (see ../shared/NOTEBOOK-TESTING.md).
KERNEL_IDLE = '.jp-Notebook-ExecutionIndicator[data-status="idle"]'
ERROR_OUTPUT = (
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], '
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]'
)
WIDGET_CONTROL = ".widget-slider, .widget-dropdown, .widget-checkbox, .widget-toggle-buttons"
CELL_OUTPUT_IMAGES = ".jp-OutputArea-output img"
REDRAW_TIMEOUT_S = 60
RUN_ALL_TIMEOUT_S = 180


def widget_notebooks(directory=NOTEBOOK_DIR):
    """The notebooks in ``directory`` whose code cells use widgets, with their widget-cell count.

    Returns
    -------
    list of (pathlib.Path, int)
        Sorted by name; the int counts the code cells that call ``interactive_figure`` (or
        ``interact``/``interactive``).
    """
    found = []
    for path in sorted(directory.glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
        if any(WIDGET_HINT.search(source) for source in code):
            found.append((path, sum(bool(WIDGET_CALL.search(source)) for source in code)))
    return found


WIDGET_NOTEBOOKS = widget_notebooks()


def test_discovery_finds_the_widget_notebooks():
    """The generic discovery is not vacuous: the overview lesson has a widget cell."""
    names = {path.name: n_cells for path, n_cells in WIDGET_NOTEBOOKS}
    assert names.get("00_overview.ipynb", 0) >= 1, names


class PageWatch:
    """Collects console errors and uncaught page errors of one page."""

    def __init__(self, page):
        self.console_errors, self.page_errors, self.ignored = [], [], []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    def _on_console(self, message):
        if message.type != "error":
            return
        location = message.location or {}
        text = f"{message.text} [{location.get('url', '')}:{location.get('lineNumber', '')}]"
        if any(pattern.search(text) for pattern, _why in BENIGN_CONSOLE_ERRORS):
            self.ignored.append(text)
        else:
            self.console_errors.append(text)

    def problems(self):
        counts = Counter([f"console error: {text}" for text in self.console_errors]
                         + [f"uncaught page error: {text}" for text in self.page_errors])
        return [text if n == 1 else f"{text} (x{n})" for text, n in counts.items()]


def _menu(page, menu, item):
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(rf"^{menu}$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(rf"^{re.escape(item)}$")).click()


def _error_outputs(page):
    texts = page.locator(ERROR_OUTPUT).all_inner_texts()
    texts += [text for text in page.locator(".jp-OutputArea-output").all_inner_texts()
              if "Error displaying widget" in text]
    return texts


def _unfinished_cells(page):
    """Describe the first code cell without an execution count and any error output (JupyterLab's
    Run All stops at the first cell that raises)."""
    cells = page.locator(".jp-Notebook .jp-CodeCell")
    lines = []
    for index in range(cells.count()):
        cell = cells.nth(index)
        prompt = cell.locator(".jp-InputPrompt").first.inner_text().strip()
        if not re.fullmatch(r"\[\d+\]:", prompt):
            cell.scroll_into_view_if_needed()
            source = cell.locator(".jp-InputArea-editor").first.inner_text()
            lines.append(f"first unfinished code cell #{index + 1} (prompt {prompt!r}):\n"
                         f"{source[:400]}")
            break
    errors = _error_outputs(page)
    if errors:
        page.locator(ERROR_OUTPUT).first.scroll_into_view_if_needed()
        lines.append("error output:\n" + "\n---\n".join(text[-1500:] for text in errors))
    return "\n".join(lines)


def _image_sources(cell):
    return cell.locator(CELL_OUTPUT_IMAGES).evaluate_all("imgs => imgs.map(i => i.src)")


def _wait_for_redraw(page, cell, before, what):
    """Wait until the cell shows as many images as ``before`` with a different first ``src``,
    then for the sources to stay put (the last redraw); return the new sources."""
    deadline = time.monotonic() + REDRAW_TIMEOUT_S
    while True:
        now = _image_sources(cell)
        if len(now) >= len(before) and now and now[:len(before)] != before:
            page.wait_for_timeout(400)
            settled = _image_sources(cell)
            if settled == now:
                assert len(settled) == len(before), (
                    f"{what}: the figure stacked instead of redrawing in place "
                    f"({len(before)} image(s) before, {len(settled)} after)")
                return settled
        elif time.monotonic() > deadline:
            raise AssertionError(f"{what}: the output image did not change within "
                                 f"{REDRAW_TIMEOUT_S} s ({len(before)} image(s) before, "
                                 f"{len(now)} now)")
        page.wait_for_timeout(150)


def _readout(slider):
    """The slider's value as displayed. textContent, not innerText: innerText is empty for a
    cell that JupyterLab's default windowing (content-visibility) has not painted yet."""
    readout = slider.locator(".widget-readout")
    return (readout.first.text_content() or "").strip() if readout.count() else ""


def _move_slider_with_keyboard(page, cell, slider, label):
    before_images, before_value = _image_sources(cell), _readout(slider)
    handle = slider.locator(".noUi-handle").first
    handle.scroll_into_view_if_needed()
    # noUiSlider keeps the handle's position in ARIA attributes: step away from the end it is at.
    now, top = (handle.get_attribute(name) for name in ("aria-valuenow", "aria-valuemax"))
    at_max = now is not None and top is not None and float(now) >= float(top)
    handle.focus()
    page.keyboard.press("ArrowLeft" if at_max else "ArrowRight")
    _wait_for_redraw(page, cell, before_images, f"{label}: slider moved with the keyboard "
                     f"(from {before_value!r})")
    after_value = _readout(slider)
    assert after_value != before_value, f"{label}: keyboard did not move the slider"
    return f"{before_value} -> {after_value}"


def _drag_slider_with_mouse(page, cell, slider, label):
    before_images, before_value = _image_sources(cell), _readout(slider)
    handle = slider.locator(".noUi-handle").first
    track = slider.locator(".noUi-target").first
    handle.scroll_into_view_if_needed()
    box, track_box = handle.bounding_box(), track.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    # Drag a third of the track towards the side with more room.
    room_right = track_box["x"] + track_box["width"] - x
    distance = track_box["width"] / 3 * (1 if room_right > track_box["width"] / 2 else -1)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + distance / 2, y, steps=5)
    page.mouse.move(x + distance, y, steps=5)
    # Still holding the button: no redraw yet (continuous_update=False), so dragging cannot
    # start a storm of redraws, a known ipywidgets + matplotlib complaint.
    page.wait_for_timeout(700)
    assert _image_sources(cell) == before_images, (
        f"{label}: the figure redrew while the slider was still held (continuous_update=True?)")
    page.mouse.up()
    _wait_for_redraw(page, cell, before_images, f"{label}: slider dragged with the mouse "
                     f"(from {before_value!r})")
    assert _readout(slider) != before_value, f"{label}: mouse drag did not move the slider"


def _change_dropdown(page, cell, select, label):
    before_images = _image_sources(cell)
    options = select.locator("option").all_inner_texts()
    assert len(options) >= 2, f"{label}: dropdown has fewer than two options: {options}"
    current = select.evaluate("s => s.selectedIndex")
    select.select_option(index=(current + 1) % len(options))
    _wait_for_redraw(page, cell, before_images, f"{label}: dropdown changed from "
                     f"{options[current]!r} to {options[(current + 1) % len(options)]!r}")


def _exercise_cell(page, cell, label, drag):
    """Move one control of a widget cell and check the redraw; return what was done."""
    sliders = cell.locator(".widget-slider")
    if sliders.count():
        slider = sliders.first
        value = _move_slider_with_keyboard(page, cell, slider, label)
        done = f"{label}: slider keyboard {value}"
        if drag:
            before = _readout(slider)
            _drag_slider_with_mouse(page, cell, slider, label)
            done += f", mouse drag {before} -> {_readout(slider)}"
        return done
    selects = cell.locator(".widget-dropdown select")
    if selects.count():
        _change_dropdown(page, cell, selects.first, label)
        return f"{label}: dropdown changed"
    checkboxes = cell.locator(".widget-checkbox input")
    if checkboxes.count():
        before = _image_sources(cell)
        checkboxes.first.click()
        _wait_for_redraw(page, cell, before, f"{label}: checkbox toggled")
        return f"{label}: checkbox toggled"
    raise AssertionError(f"{label}: a widget cell with no slider, dropdown or checkbox")


def _run_notebook(page, server, path, n_widget_cells):
    times = {}
    t0 = time.monotonic()
    workspace = re.sub(r"[^A-Za-z0-9]", "-", path.stem)
    server.start_session(f"notebooks/{path.name}")
    page.goto(server.url(f"lab/workspaces/browser-{workspace}/tree/notebooks/{path.name}"))
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
    server.wait_for_connected_kernel(f"notebooks/{path.name}")
    page.locator(KERNEL_IDLE).wait_for(timeout=60_000)
    times["open"] = time.monotonic() - t0

    # Start from a blank page so that every prompt and image seen below comes from this run.
    _menu(page, "Edit", "Clear Outputs of All Cells")
    page.wait_for_function(
        "() => document.querySelectorAll('.jp-Notebook .jp-OutputArea-output').length === 0")
    start = time.monotonic()
    _menu(page, "Run", "Run All Cells")
    # Done when every code cell shows an execution count and the kernel is idle again, or
    # early when an error output appeared (Run All stops at the first cell that raises).
    try:
        page.wait_for_function(
            """([idle, error]) => {
                const prompts = [...document.querySelectorAll(
                    '.jp-Notebook .jp-CodeCell .jp-InputPrompt')];
                const done = prompts.length > 0
                    && prompts.every(p => /^\\[\\d+\\]:$/.test(p.textContent.trim()));
                const failed = document.querySelector(error) !== null;
                return (done || failed) && document.querySelector(idle) !== null;
            }""",
            arg=[KERNEL_IDLE, ERROR_OUTPUT], timeout=RUN_ALL_TIMEOUT_S * 1000, polling=250,
        )
    except Exception as error:
        raise AssertionError(f"Run All did not finish: {error}\n{_unfinished_cells(page)}") from None
    if page.locator(ERROR_OUTPUT).count():
        raise AssertionError(f"Run All stopped at an error\n{_unfinished_cells(page)}")
    times["run all"] = time.monotonic() - start

    errors = _error_outputs(page)
    assert not errors, f"error output after Run All:\n" + "\n---\n".join(errors)

    widget_cells = page.locator(".jp-Notebook .jp-CodeCell").filter(
        has=page.locator(WIDGET_CONTROL))
    # Widgets render asynchronously after their display message: give them a moment.
    deadline = time.monotonic() + 20
    while widget_cells.count() < max(n_widget_cells, 1) and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    n_shown = widget_cells.count()
    if n_shown < max(n_widget_cells, 1):  # show, in the screenshot, what came instead
        reprs = page.locator('.jp-OutputArea-output[data-mime-type="text/plain"]').filter(
            has_text=re.compile(r"^(interactive|\w*Slider|Dropdown|VBox|HBox)\("))
        if reprs.count():
            reprs.first.scroll_into_view_if_needed()
    assert n_shown >= max(n_widget_cells, 1), (
        f"expected at least {max(n_widget_cells, 1)} cell(s) showing widget controls, found "
        f"{n_shown} (is the widget front-end, jupyterlab_widgets, installed?)")

    start = time.monotonic()
    done = []
    dragged = False
    for index in range(n_shown):
        cell = widget_cells.nth(index)
        cell.scroll_into_view_if_needed()
        label = f"{path.name} widget cell {index + 1}/{n_shown}"
        deadline = time.monotonic() + REDRAW_TIMEOUT_S
        while not _image_sources(cell):
            assert time.monotonic() < deadline, f"{label}: no figure drawn under the controls"
            page.wait_for_timeout(200)
        drag = not dragged and cell.locator(".widget-slider").count() > 0
        done.append(_exercise_cell(page, cell, label, drag))
        dragged = dragged or drag

    times["widgets"] = time.monotonic() - start
    errors = _error_outputs(page)
    assert not errors, f"error output after moving the widgets:\n" + "\n---\n".join(errors)
    return times, done


@pytest.mark.parametrize(
    "notebook, n_widget_cells",
    [pytest.param(path, n, id=path.stem) for path, n in WIDGET_NOTEBOOKS],
)
def test_widgets_redraw_in_browser(browser, lab_server, notebook, n_widget_cells):
    page = browser.new_page()
    watch = PageWatch(page)
    failure = None
    try:
        times, done = _run_notebook(page, lab_server, notebook, n_widget_cells)
        problems = watch.problems()
        assert not problems, "\n".join(problems)
        timing = ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in times.items())
        print(f"\n{notebook.name}: {timing}; ignored console errors: {len(watch.ignored)}\n  "
              + "\n  ".join(done))
    except Exception as error:
        SCREENSHOT_DIR.mkdir(exist_ok=True)
        shot = SCREENSHOT_DIR / f"{notebook.stem}.png"
        try:
            page.screenshot(path=str(shot))
        except Exception as shot_error:  # the page may be gone; the failure matters more
            shot = f"(no screenshot: {shot_error})"
        failure = f"{notebook.name}: {error}\nscreenshot: {shot}\n" + "\n".join(watch.problems())
        if not isinstance(error, AssertionError):  # unexpected: keep its traceback
            raise AssertionError(failure.rstrip()) from error
    finally:
        page.close()
        lab_server.shutdown_kernels_soon(f"notebooks/{notebook.name}")
    if failure:  # our own check failed: its message says it all
        pytest.fail(failure.rstrip(), pytrace=False)
