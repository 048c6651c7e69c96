"""WCAG 2.2 A/AA checks with axe-core in Chromium, in the light and the dark colour scheme."""

from __future__ import annotations

import pytest

from conftest import ROOT

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PAGES = {
    "home": "/",
    "case": "/catalogue/cases/camden-residents-index/",
    "case with an evaluation, prerequisites and artefacts": "/catalogue/cases/bristol-think-family-database/",
    "hostile case": "/catalogue/cases/hostile-script-injection/",
    "browse": "/catalogue/themes/housing/",
    "councils": "/catalogue/councils/",
    "catalogue with two filters": "/catalogue/?theme=housing&region=london",
    "accessibility statement": "/accessibility/",
    "search results": "/search/?q=housing",
    "data": "/data/",
}


def violations(page):
    assert AXE.exists(), "run scripts/install-test-deps (npm's axe-core)"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5], v["help"]) for v in result["violations"]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_axe_violations(browser, site_url, name, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(site_url + PAGES[name])
    page.wait_for_load_state("networkidle")
    if name == "search results":
        page.wait_for_selector(".pagefind-ui__result-link", timeout=15_000)
    if name.startswith("catalogue"):
        page.wait_for_function("() => window.casebookCatalogue !== undefined")
    expected = "slate" if scheme == "dark" else "default"
    assert page.get_attribute("body", "data-md-color-scheme") == expected
    assert violations(page) == []
    context.close()
