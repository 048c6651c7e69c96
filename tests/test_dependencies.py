"""The packages between a case file and a page are tested at the lowest version the project allows."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata

from helpers import ROOT

FLOORS = ROOT / "tests" / "security-floors.txt"


def pins() -> dict[str, str]:
    lines = [x.strip() for x in FLOORS.read_text(encoding="utf-8").splitlines()]
    return dict(x.split("==") for x in lines if x and not x.startswith("#"))


def floors() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    found = {}
    for requirement in project["dependencies"]:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)>=([0-9][^,]*),.*", requirement)
        if match:
            found[match[1].lower()] = match[2]
    return found


def test_each_pinned_version_is_the_floor_pyproject_allows():
    allowed = floors()
    assert pins() == {name: allowed[name] for name in pins()}


def test_the_suite_runs_on_the_pinned_lowest_versions():
    installed = {name: metadata.version(name) for name in pins()}
    assert installed == pins(), "run make setup: it installs tests/security-floors.txt as constraints"


def test_every_package_that_renders_case_text_is_pinned():
    assert set(pins()) >= {"cmarkgfm", "jinja2", "lxml", "markupsafe", "nh3", "pyyaml"}
