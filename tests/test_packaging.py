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
