"""The built site in headless Chromium: hostile text stays inert, search works, nothing leaves 127.0.0.1."""

from __future__ import annotations

import pytest
import yaml

from conftest import HOSTILE_CASES

pytestmark = pytest.mark.browser


def search(page, site_url, query):
    page.goto(f"{site_url}/search/?q={query}")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=15_000)
    return page.eval_on_selector_all(".pagefind-ui__result-link", "links => links.map(a => a.getAttribute('href'))")


def test_a_hostile_case_runs_no_script(page, site_url):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{site_url}/catalogue/cases/hostile-script-injection/")
    page.wait_for_load_state("load")
    for selector in ("a", "p", "li", "td"):  # hovering and clicking must not trigger handlers either
        for element in page.query_selector_all(f"article {selector}")[:40]:
            element.hover()
    page.wait_for_timeout(300)
    assert dialogs == []
    handlers = page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(el =>
        [...el.attributes].filter(a => a.name.startsWith('on')).map(a => el.tagName + ' ' + a.name))""")
    assert handlers == []
    selector = (
        "article script, article iframe, article img, article svg, article style, "
        'a[href^="javascript:"], [src^="data:"]'
    )
    unsafe = page.evaluate("s => [...document.querySelectorAll(s)].map(el => el.outerHTML)", selector)
    assert unsafe == []
    assert "<script>alert" in page.inner_text("article")  # the text is shown, not run


@pytest.mark.parametrize("path", [p for p in HOSTILE_CASES], ids=[p.stem for p in HOSTILE_CASES])
def test_each_hostile_case_page_runs_no_script_and_keeps_its_metadata(page, site_url, path):
    """Whatever a valid case's text holds, its page has its title and og:title, and no front matter shows."""
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{site_url}/catalogue/cases/{case['id']}/")
    page.wait_for_load_state("load")
    for element in page.query_selector_all("article a, article p, article li, article td")[:60]:
        element.hover()
    page.wait_for_timeout(200)
    assert dialogs == []
    title = " ".join(case["title"].split())
    assert page.title() == f"{title} - Council Data Casebook"
    assert page.get_attribute('meta[property="og:title"]', "content") == case["title"]
    assert page.get_attribute('meta[name="description"]', "content") == " ".join(case["summary"].split())
    assert "og_type" not in page.inner_text("article")  # a key no case text holds: front matter never shows
    heading = page.evaluate("""() => { const h = document.querySelector('article h1').cloneNode(true);
        h.querySelectorAll('.headerlink').forEach(a => a.remove()); return h.textContent.trim(); }""")
    assert heading == title
    assert page.eval_on_selector_all('script[type="application/ld+json"]', "s => s.length") == 1
    assert page.eval_on_selector_all("article script, a[href^='javascript:']", "s => s.length") == 0


def test_the_hostile_title_is_escaped_in_the_head(page, site_url):
    page.goto(f"{site_url}/catalogue/cases/hostile-script-injection/")
    assert page.title().startswith('<script>alert("title")</script>')
    og = page.get_attribute('meta[property="og:title"]', "content")
    assert og.startswith("<script>")  # an attribute value, so inert
    inline = page.evaluate("() => [...document.querySelectorAll('script:not([src])')].map(s => s.textContent)")
    assert not [text for text in inline if "alert(" in text and "\\u003c" not in text]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Sunderland", "sunderland-road-temperature-sensors"),
        ("Camden", "camden-residents-index"),
        ("Newcastle", "newcastle-family-insights-data-analysts"),
        ("E09000012", "hackney-early-help-profiling-system"),
        ("gritting", "sunderland-road-temperature-sensors"),
        ("gritters", "birmingham-road-temperature-sensors"),
        ("Residents Index", "camden-residents-index"),
    ],
)
def test_search_finds_the_right_case_first(page, site_url, query, expected):
    results = search(page, site_url, query)
    assert expected in results[0], results[:3]


def test_search_finds_words_from_the_problem(page, site_url):
    results = search(page, site_url, "subletting")
    assert any("camden-residents-index" in r for r in results[:3])


def test_no_request_leaves_127_0_0_1(page, site_url):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    for path in (
        "/",
        "/catalogue/",
        "/catalogue/cases/camden-residents-index/",
        "/catalogue/themes/housing/",
        "/wise-council/",
        "/format/",
    ):
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
    search(page, site_url, "housing")
    page.wait_for_load_state("networkidle")
    outside = [url for url in requests if not url.startswith(site_url)]
    assert outside == []
    assert len(requests) > 10


def test_the_schema_is_published_at_a_stable_url(page, site_url):
    response = page.goto(f"{site_url}/schema/case-v1.json")
    assert response.ok
    assert response.json()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("width", [1280, 390])
def test_every_home_chart_row_is_a_tap_target_of_at_least_24_px(browser, site_url, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(site_url + "/")
    boxes = page.eval_on_selector_all(
        ".cb-chart a", "links => links.filter(a => !a.closest('details')).map(a => a.getBoundingClientRect().toJSON())"
    )
    context.close()
    assert len(boxes) >= 40
    assert min(b["height"] for b in boxes) >= 24, width
    assert min(b["width"] for b in boxes) >= 150, width  # label, bar and count: the whole row


def test_the_browse_menu_lists_themes(page, site_url):
    page.goto(site_url + "/catalogue/techniques/")
    browse = page.locator("nav.md-nav--primary li.md-nav__item--nested", has_text="Browse").first
    links = browse.locator("a.md-nav__link").all_inner_texts()
    assert "Themes" in [text.strip() for text in links]
    page.goto(site_url + "/catalogue/browse/")
    assert page.locator("article a[href='../themes/']").is_visible()
