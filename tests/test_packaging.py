"""The install story: exact pins, the same in requirements.txt and environment.yml."""
import pathlib
import re

import pytest

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


def test_data_files_ship_inside_the_package():
    text = (ROOT / "pyproject.toml").read_text()
    assert "data/*.npz" in text
    assert (ROOT / "lessons_src" / "data" / "CREDITS.md").exists()


# -- the optional "scale" extra (lesson 10): requirements-scale.txt <-> environment-scale.yml --
def _scale_requirement_pins():
    pins = {}
    for line in (ROOT / "requirements-scale.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line or line.startswith("-"):
            continue
        name, _, version = line.partition("==")
        assert version, f"requirements-scale.txt line is not pinned with ==: {line!r}"
        pins[name.strip().lower()] = version.strip()
    return pins


def _scale_environment_pins():
    pins = {}
    for line in (ROOT / "environment-scale.yml").read_text().splitlines():
        m = re.match(r"^\s*-\s*([A-Za-z0-9_.\-\[\]]+)\s*(==|=)\s*([0-9][^\s#]*)", line)
        if m:
            pins[m.group(1).lower()] = m.group(3)
    return pins


def test_scale_extra_is_pinned_exactly_on_top_of_the_core_pins():
    text = (ROOT / "requirements-scale.txt").read_text()
    assert "-r requirements.txt" in text.splitlines()
    pins = _scale_requirement_pins()
    for needed in ["dask", "distributed", "dask-ml"]:
        assert needed in pins, f"{needed} missing from requirements-scale.txt"
    # The extra adds packages; it never re-pins a core one differently.
    assert not set(pins) & set(_requirement_pins()), "a core package is pinned again in the extra"


def test_scale_environment_carries_the_same_pins():
    env_pins = _scale_environment_pins()
    python = env_pins.pop("python", None)
    assert python == "3.11", f"environment-scale.yml python={python}, environment.yml has 3.11"
    assert _scale_requirement_pins() == env_pins


def test_scale_extra_is_declared_in_pyproject_and_kept_out_of_the_core():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extra = project.get("optional-dependencies", {}).get("scale")
    assert extra, "pyproject.toml lacks [project.optional-dependencies] scale"
    declared = {re.split(r"[\[<>=;\s]", name)[0].lower() for name in extra}
    assert {"dask", "dask-ml"} <= declared
    core = {re.split(r"[\[<>=;\s]", name)[0].lower() for name in project["dependencies"]}
    assert not {"dask", "distributed", "dask-ml"} & core
    # `make lab` installs requirements.txt only: nothing of the extra may sit in it.
    assert not {"dask", "distributed", "dask-ml"} & set(_requirement_pins())


def test_scale_extra_installed_versions_are_the_pinned_ones():
    from importlib.metadata import PackageNotFoundError, version

    try:
        version("dask-ml")
    except PackageNotFoundError:
        pytest.skip("dask extra not installed: make scale")
    for name, pinned in _scale_requirement_pins().items():
        assert version(name) == pinned, f"{name}: installed {version(name)}, pinned {pinned}"
