# Two commands do everything on a fresh machine:
#   make lab    create .venv, install the pinned requirements, open JupyterLab on the first lesson
#   make test   same set-up, then every unit test and nbval over every notebook
# Options:
#   make lab LAB_ARGS="--no-browser --port 8899"
#   make test TESTS=notebooks/01_kmeans_step_by_step.ipynb     (one notebook)
#   make test PYTEST_ARGS="-x -k kmeans"
#   make execute NOTEBOOKS=notebooks/01_kmeans_step_by_step.ipynb
#   make notebooks  regenerate notebooks/*.ipynb, the student's edition of lessons/*.py (outputs kept)
#   make student    the same
#   make bench    benchmarks against scikit-learn / SciPy (README table)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed
LAB_ARGS ?=
TESTS ?= tests notebooks
PYTEST_ARGS ?=
NOTEBOOKS ?= $(sort $(wildcard notebooks/*.ipynb))

# Jupyter, IPython and matplotlib state goes to a throw-away folder, never the user's home.
STATE_ENV = JUPYTER_CONFIG_DIR=$$state/jupyter_config JUPYTER_DATA_DIR=$$state/jupyter_data \
	JUPYTER_RUNTIME_DIR=$$state/jupyter_runtime IPYTHONDIR=$$state/ipython MPLCONFIGDIR=$$state/matplotlib

.PHONY: lab test execute notebooks student venv clean bench

venv: $(STAMP)

# Re-install only when the requirements or the package metadata change.
$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@# nbgrader is a command-line tool here (make notebooks, teachers' hand-outs): its JupyterLab
	@# menus, toolbar button and server extensions stay off, so students see the usual lab.
	@$(BIN)/jupyter labextension disable --level=sys_prefix @jupyter/nbgrader \
		@jupyter-notebook/lab-extension >/dev/null 2>&1
	@$(BIN)/jupyter server extension disable --sys-prefix notebook nbgrader.server_extensions.formgrader \
		nbgrader.server_extensions.assignment_list nbgrader.server_extensions.course_list \
		nbgrader.server_extensions.validate_assignment >/dev/null 2>&1
	@touch $(STAMP)

# JupyterLab opened on lesson 00; without a browser (LAB_ARGS=--no-browser) it prints that URL
# with its token. --allow-root only when running as root (containers, hubs and CI run as root,
# and JupyterLab refuses root without it).
LAB_FLAGS = $(if $(filter 0,$(shell id -u)),--allow-root) \
	--LabApp.default_url=/lab/tree/notebooks/00_overview.ipynb

lab: $(STAMP)
	$(BIN)/jupyter lab $(LAB_FLAGS) $(LAB_ARGS)

# The same for a projector: LESSONS_PRESENTING=1 reaches every kernel, and each lesson's first
# cell (lessons_src.preamble) then draws figures, static and live, with 1.44x larger text and
# thicker lines. In JupyterLab: View > Appearance > Presentation Mode (larger prose), and close
# the left sidebar (Ctrl+B) so that the figures have the whole width.
present: $(STAMP)
	@echo "Presenting: figures drawn large. In JupyterLab: View > Appearance > Presentation Mode, then Ctrl+B (hide the left sidebar)."
	LESSONS_PRESENTING=1 $(BIN)/jupyter lab $(LAB_FLAGS) $(LAB_ARGS)

# A static HTML book of the executed lessons (pages with Previous/Next, math, every figure) and
# each lesson as reveal.js slides, in $(SITE_DIR); offline: MathJax and reveal.js come from
# pinned packages, nothing is fetched to build or to read it. Open $(SITE_DIR)/index.html.
SITE_DIR ?= build/site

site: $(STAMP)
	@state=$$(mktemp -d); \
	$(STATE_ENV) $(BIN)/python docs/site/build.py --out $(SITE_DIR); \
	rc=$$?; rm -rf $$state; exit $$rc

.PHONY: present site

NBVAL = --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout=300

test: $(STAMP)
	@state=$$(mktemp -d); \
	$(STATE_ENV) $(BIN)/python -m pytest -rs $(NBVAL) $(PYTEST_ARGS) $(TESTS); \
	rc=$$?; rm -rf $$state; exit $$rc

# Speed and memory against scikit-learn / SciPy, in one run; writes bench/results.{json,md} and
# the README's table. Timings are reported, never asserted in the tests.
bench: $(STAMP)
	@state=$$(mktemp -d); \
	$(STATE_ENV) $(BIN)/python bench/run.py $(BENCH_ARGS); \
	rc=$$?; rm -rf $$state; exit $$rc

# A lesson's source is lessons/NN_name.py (jupytext's percent format): the teacher's edition, with
# each exercise's solution between nbgrader's ### BEGIN SOLUTION / ### END SOLUTION markers and its
# hidden test. Edit it there; `make notebooks` (or `make student`) writes notebooks/NN_name.ipynb,
# the student's edition (solutions and hidden tests stripped by nbgrader's own preprocessors),
# keeping the stored outputs of the cells whose code did not change; `make execute NOTEBOOKS=...`
# refreshes the outputs. tests/test_notebook_sources.py fails when a notebook's cells differ from
# the student's edition of its source.
LESSON_SOURCES := $(sort $(wildcard lessons/*.py))

notebooks student: $(STAMP)
	@$(BIN)/python -m lessons_src.teaching $(LESSON_SOURCES) --to notebooks

# The only way stored outputs are regenerated: a fresh kernel in the pinned environment,
# no execution timestamps. No retry: the "hang" on interact cells (nbclient#312) was nbclient's
# stand-in for the Output widget, which sends each output back to the kernel on the shell socket
# while nbclient awaits the cell's execute_reply on that same socket; now and then that wake-up
# was lost and the cell waited out its whole timeout (300 s) before nbclient found the reply
# there. Lessons have no Output widget (widgets.LiveFigure updates one display instead;
# tests/test_widgets.py keeps it so), so nbclient never writes to the shell socket mid-cell.
execute: $(STAMP)
	@state=$$(mktemp -d); \
	for nb in $(NOTEBOOKS); do \
		echo "executing $$nb"; \
		$(STATE_ENV) $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
			--NotebookClient.record_timing=False --ExecutePreprocessor.timeout=300 "$$nb" \
			|| { rm -rf $$state; exit 1; }; \
	done; rm -rf $$state

clean:
	rm -rf $(VENV) build *.egg-info
