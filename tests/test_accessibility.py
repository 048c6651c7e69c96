"""WCAG 2.2 A/AA checks with axe-core in Chromium, in the light and the dark colour scheme."""

from __future__ import annotations

import pytest

from helpers import ROOT

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PAGES = {
    "home": "/",
    "case": "/catalogue/cases/camden-residents-index/",
    "case with an evaluation, prerequisites and artefacts": "/catalogue/cases/bristol-think-family-database/",
    "hostile case": "/catalogue/cases/hostile-script-injection/",
    "browse": "/catalogue/themes/housing/",
    "browse page": "/catalogue/browse/",
    "councils": "/catalogue/councils/",
    "catalogue": "/catalogue/",
    "catalogue with two filters": "/catalogue/?theme=housing&region=london",
    "catalogue with 0 results": "/catalogue/?council-type=district&region=scotland",
    "catalogue filtered by council": "/catalogue/?council=e09000007",
    "accessibility statement": "/accessibility/",
    "search results": "/search/?q=housing",
    "propose, step 1": "/propose/",
    "case with search results": "/catalogue/cases/camden-residents-index/?q=fraud",
    "data": "/data/",
    "map": "/catalogue/map/",
    "council page": "/catalogue/councils/e09000007/",
    "welsh council page": "/catalogue/councils/w06000015/",
}


# The page at rest: two frames on (scroll handlers have run), then every finite animation or
# transition finished, so contrast is measured on final colours (Material's back-to-top button
# fades in over 125 ms when a form step scrolls into view). Waits 5 s at most.
AT_REST = """() => new Promise(frame => requestAnimationFrame(() => requestAnimationFrame(frame))).then(() =>
    Promise.race([
        Promise.all(document.getAnimations()
            .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
            .map(a => a.finished.catch(() => null))),
        new Promise(enough => setTimeout(enough, 5000)),
    ]))"""


def violations(page):
    assert AXE.exists(), "run scripts/install-test-deps (npm's axe-core)"
    if not page.evaluate("() => typeof axe === 'object'"):  # once a page: later checks reuse it
        page.add_script_tag(path=str(AXE))
    page.evaluate(AT_REST)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5], v["help"]) for v in result["violations"]]


def choose_scheme(page, scheme):
    """Switch to ``scheme`` ("default" or "slate") with the header's toggle, as a reader does: the page
    keeps its state (a form step, open filters). Material turns transitions off while it switches
    (``data-md-color-switching``), so the colours are final once that mark is gone."""
    page.evaluate("s => document.querySelector(`input[name=__palette][data-md-color-scheme=${s}]`).click()", scheme)
    settled = "s => document.body.dataset.mdColorScheme === s && !document.body.hasAttribute('data-md-color-switching')"
    page.wait_for_function(settled, arg=scheme, polling=50, timeout=10_000)


def violations_in_both_schemes(page, check=lambda scheme: None):
    """The page's violations in the light scheme it opened in, then in the dark one; it is left light.
    ``check("light")``, then ``check("dark")``, runs the test's own assertions in each scheme.

    The dark scheme is chosen with the toggle rather than by opening the page again: the scheme
    changes only colours, and a reader's system preference picking it is checked by
    test_page_titles_have_strong_contrast.
    """
    assert page.get_attribute("body", "data-md-color-scheme") == "default"
    check("light")
    found = {"light": violations(page)}
    choose_scheme(page, "slate")
    try:
        check("dark")
        found["dark"] = violations(page)
    finally:
        choose_scheme(page, "default")  # the choice is remembered: the next page opens light again
    return found


NO_VIOLATIONS = {"light": [], "dark": []}


def opened(page, width, url):
    """``url`` in the test's tab (conftest's ``page``: shared by the module, storage cleared), ``width`` px wide."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page


# Playwright's default viewport is 1280 px wide; the finder's pages are checked on a phone too.
PHONE = ("catalogue", "case", "search results", "propose")
VIEWS = [(name, 1280) for name in PAGES] + [(name, 390) for name in PAGES if name.startswith(PHONE)]


@pytest.mark.parametrize(("name", "width"), VIEWS, ids=[f"{n}-{w}" for n, w in VIEWS])
def test_no_axe_violations(page, site_url, name, width):
    opened(page, width, site_url + PAGES[name])
    if "search results" in name:
        page.wait_for_selector(".cb-hsearch__results a", timeout=15_000)
    if name.startswith("catalogue"):
        page.wait_for_function("() => window.casebookCatalogue !== undefined")
    if name.startswith("propose"):
        page.wait_for_function("() => window.casebookForm !== undefined")
    assert violations_in_both_schemes(page) == NO_VIOLATIONS


CONTRAST = """el => {
    const rgba = s => s.match(/[\\d.]+/g).map(Number);
    const lum = ([r, g, b]) => [r, g, b].map(v => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
        .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
    const [r, g, b, a = 1] = rgba(getComputedStyle(el).color);
    const bg = rgba(getComputedStyle(document.body).backgroundColor);
    const fg = [r, g, b].map((v, i) => v * a + bg[i] * (1 - a));
    const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_page_titles_have_strong_contrast(browser, site_url, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    for path in ("/", "/catalogue/", "/catalogue/cases/camden-residents-index/"):
        page.goto(site_url + path)
        # the reader's system preference picks the scheme (the axe tests switch with the toggle)
        assert page.get_attribute("body", "data-md-color-scheme") == {"light": "default", "dark": "slate"}[scheme]
        assert page.eval_on_selector("article h1", CONTRAST) >= 7, (path, scheme)
    context.close()


PHONE_PAGES = {
    "home": "/",
    "map": "/catalogue/map/",
    "catalogue": "/catalogue/",
    "catalogue with two filters": "/catalogue/?theme=housing&region=london",
    "catalogue with 0 results": "/catalogue/?council-type=district&region=scotland",
    "catalogue filtered by council": "/catalogue/?council=e09000007",
    "council page": "/catalogue/councils/e09000007/",
}  # a case with search results at 390 px is in VIEWS


@pytest.mark.parametrize("name", list(PHONE_PAGES))
def test_no_axe_violations_on_a_phone(page, site_url, name):
    opened(page, 390, site_url + PHONE_PAGES[name])
    if name.startswith("catalogue"):
        page.wait_for_function("() => window.casebookCatalogue !== undefined")
        # the filters open, as a reader would have them (test_no_axe_violations checks them closed)
        page.click("#cb-filter-toggle")
        assert page.get_attribute("#cb-filter-toggle", "aria-expanded") == "true"
    assert violations_in_both_schemes(page) == NO_VIOLATIONS
