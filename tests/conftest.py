"""Fixtures and hooks only; plain helpers and constants live in ``helpers.py``.

How the tests are organised: ``test_<module>.py`` tests ``generator/<module>.py``
(``test_rules.py`` is the validator's, ``test_maintain.py`` the review tools',
``test_propose_form.py`` the form's); the other files test the whole pipeline, the
built site in Chromium (marked ``browser``), the bundled cases, docs and benchmarks.
"""

from __future__ import annotations

import copy
import os
import sys
from typing import Any

import pytest
import yaml

from helpers import HOSTILE_CASES, MINIMAL_FILE, TODAY, make_project

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


@pytest.fixture
def minimal() -> dict[str, Any]:
    """The minimal valid case of the format, as data to change."""
    return copy.deepcopy(yaml.safe_load(MINIMAL_FILE.read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):  # type: ignore[no-untyped-def]
    """The site built from the bundled cases plus the hostile cases, once per test run.

    Under pytest-xdist every worker asks for it; the first builds it in the run's shared
    temporary folder while holding a lock, and the others wait for it and use the same site.
    """
    import fcntl

    from generator.core.project import Project
    from generator.site.build import build

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the folder all the workers of this run share
    folder = shared / "built-site"
    with (shared / "built-site.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "site" / "index.html").exists():
            folder.mkdir(exist_ok=True)
            project = make_project(folder, HOSTILE_CASES)
            build(Project.load(project / "cases", project / "mkdocs.yml", project / "site"), today=TODAY)
    return folder / "site"


def pytest_collection_modifyitems(items):  # type: ignore[no-untyped-def]
    """A test that uses the built site needs a site build: mark it so (``make test-fast`` leaves those out)."""
    for item in items:
        if "built_site" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.site)


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

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request, client_address):  # type: ignore[no-untyped-def]
            if not isinstance(sys.exc_info()[1], ConnectionError):  # a tab left a page mid-download
                super().handle_error(request, client_address)

    server = Server(("127.0.0.1", 0), functools.partial(Quiet, directory=str(built_site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Debian's headless Chromium, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def _module_tab(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture
def page(request, browser, site_url):  # type: ignore[no-untyped-def]
    """A tab of the built site.

    By default the tests of a module share one: Chromium does about half the work to open a page
    in a tab that has run the site's scripts before as in a new one. Each test starts as on a first
    visit, with Playwright's default viewport; afterwards the tab leaves the page (stopping its
    scripts) and the site's storage is cleared. A test marked ``own_context`` (it listens to the
    page's events, or needs a cold cache) gets a browser context of its own; a test that adds a
    listener to the shared tab fails.
    """
    if request.node.get_closest_marker("own_context"):
        context = browser.new_context()
        yield context.new_page()
        context.close()
        return
    tab = request.getfixturevalue("_module_tab")
    listened = set(tab._impl_obj.event_names())  # Playwright's own: close, crash
    tab.set_viewport_size({"width": 1280, "height": 720})
    yield tab
    tab.goto(site_url + "/assets/images/favicon.png")
    tab.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")  # form answers, step, scheme
    added = set(tab._impl_obj.event_names()) - listened
    assert not added, f"the test listens to {sorted(added)} on the shared tab: mark it own_context"
