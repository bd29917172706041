"""Session fixtures for the browser test: one JupyterLab server and one headless Chromium.

Both are shared by every parametrized notebook test (starting them costs seconds; a notebook's
test costs about as much as running the notebook). Neither touches the repository or the user's
home: the server serves a *copy* of ``notebooks/`` (JupyterLab autosaves executed notebooks) and
all Jupyter, IPython, matplotlib and Chromium state lives in a temporary folder.

Each kernel the server starts logs every widget redraw (``lessons_src.widgets.LOG_ENV``) to
``LabServer.widget_log``, so the test can split release-to-new-picture into the kernel's part
(rules, callback, draw, PNG) and the rest (comm, browser). ``record_latency`` writes what the
test measured into ``bench/browser.json`` (with the machine's load average), which ``make bench``
folds into its table.

Availability: without Chromium or the ``playwright`` package the tests are *skipped* with the
reason (``make test`` runs pytest with ``-rs``, so the reason is printed). With
``LESSONS_REQUIRE_BROWSER=1`` (set by ``.ci/run``) they *fail* instead, so CI cannot pass
without really driving a browser.
"""
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = REPO / "notebooks"
SCREENSHOT_DIR = Path(__file__).resolve().parent / "screenshots"
BROWSER_RESULTS = REPO / "bench" / "browser.json"
WIDGET_LOG_ENV = "LESSONS_WIDGET_LOG"  # lessons_src.widgets.LOG_ENV (not imported: no kernel here)

REQUIRE_BROWSER = os.environ.get("LESSONS_REQUIRE_BROWSER", "") not in ("", "0")

# Flags measured on this machine (see ../shared/NOTEBOOK-TESTING.md): headless, no sandbox when
# running as root in a container, and no background traffic, since the machine is offline.
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

# JupyterLab user settings for a quiet, deterministic page.
LAB_SETTINGS = {
    # Start the notebook's own kernel (python3) without the "Select Kernel" dialog. The
    # windowing mode stays JupyterLab's default ("contentVisibility": every cell is in the DOM,
    # off-screen ones are not painted), as a student has it.
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {
        "autoStartDefaultKernel": True,
    },
    # No news or update check: the machine is offline and the toast would cover the page.
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False,
    },
}


def unavailable(reason):
    """Skip with ``reason``, or fail when the browser test is mandatory (CI)."""
    if REQUIRE_BROWSER:
        pytest.fail(f"{reason} (LESSONS_REQUIRE_BROWSER=1 makes the browser test mandatory)",
                    pytrace=False)
    pytest.skip(f"browser test skipped: {reason}")


def find_chromium():
    """Path of the system Chromium, or None. ``LESSONS_CHROMIUM`` overrides the search."""
    override = os.environ.get("LESSONS_CHROMIUM")
    if override:
        return override if os.access(override, os.X_OK) else None
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LabServer:
    """A running JupyterLab: ``url(path)`` builds a tokenised address; REST helpers."""

    def __init__(self, base_url, token, root_dir, process, log_path, widget_log=None):
        self.base_url, self.token, self.root_dir = base_url, token, root_dir
        self.process, self.log_path = process, log_path
        self.widget_log = widget_log
        self._shutdowns = []

    def url(self, path):
        separator = "&" if "?" in path else "?"
        return f"{self.base_url}/{path.lstrip('/')}{separator}token={self.token}"

    def api(self, path, method="GET"):
        request = urllib.request.Request(
            f"{self.base_url}/api/{path}", method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self, notebook_path=None):
        """Shut down the kernels of ``notebook_path`` (all kernels when None) through the REST
        API: each notebook's kernel goes once its test is over, which keeps memory low."""
        for session in self.api("sessions"):
            if notebook_path is None or session.get("path") == notebook_path:
                try:
                    self.api(f"sessions/{session['id']}", method="DELETE")
                except urllib.error.HTTPError:
                    pass
        if notebook_path is None:
            for kernel in self.api("kernels"):
                try:
                    self.api(f"kernels/{kernel['id']}", method="DELETE")
                except urllib.error.HTTPError:
                    pass

    def shutdown_kernels_soon(self, notebook_path):
        """``shutdown_kernels(notebook_path)`` in a background thread, so that the next notebook
        opens while this kernel exits; ``join_shutdowns`` waits for them."""
        def shutdown():
            try:
                self.shutdown_kernels(notebook_path)
            except OSError:  # the server is already gone: its kernels went with it
                pass

        thread = threading.Thread(target=shutdown)
        thread.start()
        self._shutdowns.append(thread)

    def join_shutdowns(self):
        for thread in self._shutdowns:
            thread.join(timeout=30)
        self._shutdowns.clear()

    def start_session(self, notebook_path, kernel_name="python3"):
        """Start the notebook's kernel through the REST API, so that it boots while the page
        loads; JupyterLab then connects to this session (it looks sessions up by path)."""
        body = json.dumps({"path": notebook_path, "name": Path(notebook_path).name,
                           "type": "notebook", "kernel": {"name": kernel_name}}).encode()
        request = urllib.request.Request(
            f"{self.base_url}/api/sessions", data=body, method="POST",
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def wait_for_connected_kernel(self, notebook_path, timeout=60):
        """Wait until the kernel of ``notebook_path`` (relative to the root) is idle *and* a
        page holds a connection to it. (The page's execution indicator says "idle" before any
        kernel is connected, so the page alone cannot tell.)"""
        deadline = time.monotonic() + timeout
        while True:
            for session in self.api("sessions"):
                kernel = session.get("kernel") or {}
                if (session.get("path") == notebook_path
                        and kernel.get("execution_state") == "idle"
                        and kernel.get("connections", 0) >= 1):
                    return kernel
            if time.monotonic() > deadline:
                raise AssertionError(f"no idle, connected kernel for {notebook_path} after "
                                     f"{timeout} s; sessions: {self.api('sessions')}")
            time.sleep(0.2)

    def widget_redraws(self):
        """The redraws the kernels logged so far (one dict per redraw, see
        ``lessons_src.widgets.LiveFigure``): callback, ``start_ms``/``end_ms`` (epoch), stage
        times."""
        try:
            lines = self.widget_log.read_text().splitlines()
        except (OSError, AttributeError):
            return []
        return [json.loads(line) for line in lines if line.strip()]

    def log_tail(self, n_chars=3000):
        try:
            return self.log_path.read_text(errors="replace")[-n_chars:]
        except OSError:
            return ""


@pytest.fixture(scope="session")
def lab_state_dir():
    path = Path(tempfile.mkdtemp(prefix="lessons-browser-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def lab_server(lab_state_dir):
    """JupyterLab on 127.0.0.1 with a token, serving a copy of ``notebooks/``; stopped by PID."""
    try:
        import jupyterlab  # noqa: F401
    except ImportError as error:
        unavailable(f"jupyterlab is not importable ({error})")

    root_dir = lab_state_dir / "root"
    shutil.copytree(NOTEBOOK_DIR, root_dir / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    settings_dir = lab_state_dir / "lab_user_settings"
    for relative, content in LAB_SETTINGS.items():
        target = settings_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(content))

    env = dict(os.environ)
    home = lab_state_dir / "home"
    for name, sub in [("HOME", "home"), ("JUPYTER_CONFIG_DIR", "jupyter_config"),
                      ("JUPYTER_DATA_DIR", "jupyter_data"),
                      ("JUPYTER_RUNTIME_DIR", "jupyter_runtime"), ("IPYTHONDIR", "ipython"),
                      ("MPLCONFIGDIR", "matplotlib")]:
        env[name] = str(lab_state_dir / sub)
        (lab_state_dir / sub).mkdir(parents=True, exist_ok=True)
    env.pop("JUPYTER_PATH", None)
    # A CI-wide MPLBACKEND=Agg would stop the kernels from showing figures inline.
    env.pop("MPLBACKEND", None)
    widget_log = lab_state_dir / "widget-redraws.jsonl"
    env[WIDGET_LOG_ENV] = str(widget_log)
    home.mkdir(exist_ok=True)
    # No news feed and no update check: both would fetch from the internet (offline here).
    # ``news_url`` must be None (null), which a command-line flag cannot express.
    offline = {"LabApp": {"news_url": None,
                          "check_for_updates_class": "jupyterlab.NeverCheckForUpdate"}}
    for config_name in ("jupyter_lab_config.json", "jupyter_server_config.json"):
        (lab_state_dir / "jupyter_config" / config_name).write_text(json.dumps(offline))

    port, token = _free_port(), secrets.token_hex(16)
    log_path = lab_state_dir / "jupyterlab.log"
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
        "--ip", "127.0.0.1", "--port", str(port), "--ServerApp.port_retries=0",
        f"--ServerApp.token={token}", f"--ServerApp.root_dir={root_dir}",
        f"--LabApp.user_settings_dir={settings_dir}",
        f"--LabApp.workspaces_dir={lab_state_dir / 'workspaces'}",
    ]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=root_dir, env=env, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    server = LabServer(f"http://127.0.0.1:{port}", token, root_dir, process, log_path,
                       widget_log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"JupyterLab exited with code {process.returncode}:\n"
                            f"{server.log_tail()}", pytrace=False)
            try:
                server.api("status")
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab not ready after 60 s:\n{server.log_tail()}",
                                pytrace=False)
                time.sleep(0.3)
        yield server
        server.join_shutdowns()
    finally:
        _stop(process)


def _stop(process):
    """Stop the server by its PID (its whole process group: the kernels it started, too)."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


@pytest.fixture(scope="session")
def browser(lab_state_dir):
    """Headless system Chromium driven by Playwright (never ``playwright install``)."""
    chromium_path = find_chromium()
    if chromium_path is None:
        unavailable("Chromium not found (install it with `apt-get install -y chromium`, "
                    "or set LESSONS_CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        unavailable(f"the playwright package is not importable ({error})")

    profile = lab_state_dir / "chromium-profile"
    profile.mkdir(exist_ok=True)
    manager = sync_playwright().start()
    try:
        # A persistent context is how Playwright takes a --user-data-dir: a fresh, throw-away one.
        context = manager.chromium.launch_persistent_context(
            str(profile), executable_path=chromium_path, headless=True,
            args=CHROMIUM_FLAGS, viewport={"width": 1400, "height": 1000},
        )
        context.set_default_timeout(30_000)
        yield context
        context.close()
    finally:
        manager.stop()


@pytest.fixture(scope="session")
def record_latency(browser):
    """``record_latency(notebook_name, entry)`` merges one notebook's measurements into
    ``bench/browser.json`` (other notebooks' entries are kept, so one notebook can be re-run
    alone). The file says when, on what machine and with which browser it was measured."""
    def record(name, entry):
        try:
            results = json.loads(BROWSER_RESULTS.read_text())
        except (OSError, ValueError):
            results = {}
        results.setdefault("notebooks", {})[name] = entry
        results.update({
            "about": "release to new image in JupyterLab (headless Chromium), measured by "
                     "tests/browser/test_widgets_in_browser.py; never asserted",
            "machine": f"{platform.machine()}, {os.cpu_count()} cores",
            "browser": chromium_version(),
        })
        results["notebooks"] = dict(sorted(results["notebooks"].items()))
        BROWSER_RESULTS.parent.mkdir(exist_ok=True)
        BROWSER_RESULTS.write_text(json.dumps(results, indent=1) + "\n")

    return record


def chromium_version():
    try:
        return subprocess.run([find_chromium(), "--version"], capture_output=True, text=True,
                              timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError, TypeError):
        return "Chromium (version unknown)"

