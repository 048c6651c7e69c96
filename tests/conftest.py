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


# Shared test vectors: each breaks one rule of the minimal case; the validator
# (test_rules.py) and the form in Chromium (test_propose_form.py) both run them.
VECTORS: list[dict[str, Any]] = yaml.safe_load((FIXTURES / "rules" / "vectors.yaml").read_text(encoding="utf-8"))


def apply_vector(case: dict[str, Any], changes: dict[str, Any]) -> None:
    """Set each JSON Pointer of ``changes`` in ``case`` (None removes the key)."""
    for pointer, value in changes.items():
        *parents, last = pointer.lstrip("/").split("/")
        node: Any = case
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
        if value is None:
            del node[last]
        elif isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value


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


def check_written_today(*paths: Path):  # type: ignore[no-untyped-def]
    """Check files that a command or the form dated with the real clock (TODAY is pinned)."""
    return load_catalogue(paths, today=max(TODAY, date.today()))


def run_cli(*args: str, cwd: Path | None = None, input: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``casebook`` as a subprocess, as a user would."""
    env = {**os.environ, "NO_COLOR": "1", "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        env=env,
        input=input,
        timeout=600,
    )


def make_project(folder: Path, extra_cases: list[Path] = ()) -> Path:  # type: ignore[assignment]
    """A copy of the site's sources (config, docs, overrides) and the bundled cases."""
    import shutil

    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", folder / "docs", ignore=shutil.ignore_patterns("catalogue"))
    shutil.copytree(ROOT / "overrides", folder / "overrides")
    shutil.copytree(ROOT / "cases", folder / "cases")
    for case in extra_cases:
        shutil.copy(case, folder / "cases" / case.name)
    return folder


HOSTILE = FIXTURES / "hostile" / "hostile-script-injection.yaml"
HOSTILE_CASES = sorted((FIXTURES / "hostile").glob("*.yaml"))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):  # type: ignore[no-untyped-def]
    """The site built from the bundled cases plus the hostile cases, once per session."""
    from generator.build import build

    project = make_project(tmp_path_factory.mktemp("project"), HOSTILE_CASES)
    build(project / "cases", project / "mkdocs.yml", project / "site", today=TODAY)
    return project / "site"


@pytest.fixture(scope="session")
def site_url(built_site):  # type: ignore[no-untyped-def]
    """The built site served over HTTP on 127.0.0.1."""
    import functools
    import http.server
    import threading

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(built_site))

    class Quiet(handler.func):  # type: ignore[name-defined, misc]
        def log_message(self, *args):  # type: ignore[no-untyped-def]
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(built_site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Debian's headless Chromium, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context()
    tab = context.new_page()
    yield tab
    context.close()
