"""The install story: exact pins, the same in requirements.txt and environment.yml, and package
metadata that today's setuptools builds without a deprecation banner."""
import fnmatch
import pathlib
import re

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: pytest itself depends on tomli there
    import tomli as tomllib

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _requirement_pins():
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line or line.startswith("-"):
            continue
        name, _, version = line.partition("==")
        assert version, f"requirements.txt line is not pinned with ==: {line!r}"
        pins[name.strip().lower()] = version.strip()
    return pins


def _environment_pins():
    pins = {}
    for line in (ROOT / "environment.yml").read_text().splitlines():
        m = re.match(r"^\s*-\s*([A-Za-z0-9_.\-\[\]]+)\s*(==|=)\s*([0-9][^\s#]*)", line)
        if m:
            pins[m.group(1).lower()] = m.group(3)
    pins.pop("python", None)
    return pins


def test_every_requirement_is_pinned_exactly():
    pins = _requirement_pins()
    for needed in ["numpy", "scipy", "scikit-learn", "scikit-image", "matplotlib", "ipywidgets",
                   "jupyterlab", "ipykernel", "nbval", "pytest"]:
        assert needed in pins, f"{needed} missing from requirements.txt"
    assert "-e ." in (ROOT / "requirements.txt").read_text()


def test_environment_yml_carries_the_same_pins():
    assert _requirement_pins() == _environment_pins()


def test_installed_versions_are_the_pinned_ones():
    from importlib.metadata import version

    for name, pinned in _requirement_pins().items():
        assert version(name) == pinned, f"{name}: installed {version(name)}, pinned {pinned}"


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _package_folders():
    """Every folder under lessons_src holding a file, as a dotted package name."""
    folders = set()
    for path in (ROOT / "lessons_src").rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            folders.add(".".join(path.parent.relative_to(ROOT).parts))
    return folders


def test_license_is_an_spdx_expression_for_a_setuptools_that_reads_it():
    # A `license = { text = ... }` table makes setuptools >= 77 print a deprecation banner at
    # every install; the SPDX string (PEP 639) needs setuptools >= 77 to build.
    config = _pyproject()
    assert config["project"]["license"] == "BSD-3-Clause"
    setuptools = [Requirement(r) for r in config["build-system"]["requires"]
                  if Requirement(r).name == "setuptools"]
    assert len(setuptools) == 1
    lower_bounds = [Version(s.version) for s in setuptools[0].specifier if s.operator in (">=", "==")]
    assert lower_bounds and min(lower_bounds) >= Version("77"), setuptools[0]


def test_editable_install_puts_the_repository_on_sys_path():
    # With the packages at the top of the repository and package-dir {"" = "."}, `pip install -e .`
    # writes a .pth file; otherwise setuptools installs an import hook and prints a banner about it.
    assert _pyproject()["tool"]["setuptools"].get("package-dir") == {"": "."}


def test_package_discovery_finds_every_folder_of_lessons_src():
    # A folder left out (lessons_src.data once, then figures/ and exercises/) is missing from a
    # wheel and makes setuptools print its "Package would be ignored" banner.
    from setuptools.discovery import PEP420PackageFinder

    setuptools_config = _pyproject()["tool"]["setuptools"]
    assert "packages" not in setuptools_config or "find" in setuptools_config["packages"], (
        "list no packages by hand: a new subpackage would be left out")
    find = setuptools_config["packages"]["find"]
    assert find.get("namespaces", True), "data/ holds no code: only namespace discovery finds it"
    found = PEP420PackageFinder.find(str(ROOT), include=find.get("include", ("*",)),
                                     exclude=find.get("exclude", ()))
    assert set(found) == _package_folders()


def test_package_data_covers_every_data_file():
    package_data = _pyproject()["tool"]["setuptools"]["package-data"]
    for package in sorted(_package_folders()):
        folder = ROOT.joinpath(*package.split("."))
        for path in folder.iterdir():
            if path.is_file() and path.suffix not in (".py", ".pyc"):
                globs = package_data.get(package, []) + package_data.get("*", [])
                assert any(fnmatch.fnmatch(path.name, g) for g in globs), (
                    f"{path.relative_to(ROOT)} is not in [tool.setuptools.package-data]: "
                    f"a wheel would not ship it")
    assert (ROOT / "lessons_src" / "data" / "CREDITS.md").exists()
