"""Shared fixtures: a valid case to break, and helpers to write and check files."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import load_catalogue

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = date(2026, 12, 1)
MINIMAL_FILE = FIXTURES / "valid" / "example-council-tax-single-view.yaml"


@pytest.fixture
def minimal() -> dict[str, Any]:
    """The minimal valid case of the format, as data to change."""
    return copy.deepcopy(yaml.safe_load(MINIMAL_FILE.read_text(encoding="utf-8")))


def write_case(folder: Path, data: dict[str, Any] | str, name: str | None = None) -> Path:
    """Write ``data`` (a dict or raw text) as a case file in ``folder``."""
    if isinstance(data, dict):
        name = name or f"{data.get('id', 'case')}.yaml"
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    else:
        text = data
    path = folder / (name or "case.yaml")
    path.write_text(text, encoding="utf-8")
    return path


def check(*paths: Path):  # type: ignore[no-untyped-def]
    return load_catalogue(paths, today=TODAY)


def run_cli(*args: str, cwd: Path | None = None, input: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``casebook`` as a subprocess, as a user would."""
    env = {**os.environ, "NO_COLOR": "1", "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd or ROOT, capture_output=True, text=True, env=env, input=input, timeout=600,
    )
