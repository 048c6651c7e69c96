"""The built site in headless Chromium: hostile text stays inert, search works, nothing leaves 127.0.0.1."""

from __future__ import annotations

import re

import pytest
import yaml

from helpers import HOSTILE_CASES

pytestmark = pytest.mark.browser


RESULT = ".cb-hsearch__results a"


def search(page, site_url, query):
    """The search page opens the header search with the query from its address."""
    page.goto(f"{site_url}/search/?q={query}")
    page.wait_for_selector(RESULT, timeout=15_000)
    return page.eval_on_selector_all(RESULT, "links => links.map(a => a.getAttribute('href'))")


@pytest.mark.own_context
def test_a_hostile_case_runs_no_script(page, site_url):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{site_url}/catalogue/cases/hostile-script-injection/")
    page.wait_for_load_state("load")
    for selector in ("a", "p", "li", "td"):  # hovering and clicking must not trigger handlers either
        for element in [e for e in page.query_selector_all(f"article {selector}") if e.is_visible()][:40]:
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


@pytest.mark.own_context
@pytest.mark.parametrize("path", [p for p in HOSTILE_CASES], ids=[p.stem for p in HOSTILE_CASES])
def test_each_hostile_case_page_runs_no_script_and_keeps_its_metadata(page, site_url, path):
    """Whatever a valid case's text holds, its page has its title and og:title, and no front matter shows."""
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{site_url}/catalogue/cases/{case['id']}/")
    page.wait_for_load_state("load")
    visible = [e for e in page.query_selector_all("article a, article p, article li, article td") if e.is_visible()]
    for element in visible[:60]:  # (the address a printed page carries is hidden on screen)
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
        ("gritting", "norfolk-road-temperature-sensors-gritting"),  # the one with gritting in its title
        ("road temperature Sunderland", "sunderland-road-temperature-sensors"),
        ("trash screen", "carmarthenshire-trash-screen-telemetry"),
        ("Residents Index", "camden-residents-index"),
    ],
)
def test_search_finds_the_right_case_first(page, site_url, query, expected):
    results = search(page, site_url, query)
    if " " in query or query.islower():
        assert expected in results[0], results[:3]
    else:  # a council's name: its cases come first, this one among them
        assert any(expected in r for r in results[:3]), results[:3]


def grouped(page):
    """The search results by group ("case", "council"), each a list of links in the order shown."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.cb-hsearch__group:not([hidden])')].map(g =>
            [g.dataset.kind, [...g.querySelectorAll('.cb-hsearch__results a')].map(a => a.getAttribute('href'))]))"""
    )


def test_search_by_an_ons_code_finds_the_council_and_its_cases(page, site_url):
    search(page, site_url, "E09000012")
    groups = grouped(page)
    assert groups["council"][0].endswith("/catalogue/councils/e09000012/"), groups
    assert any("hackney-early-help-profiling-system" in r for r in groups["case"][:3]), groups


@pytest.mark.parametrize("query", ["Bristol City Council", "City of Bristol", "Bristol, City of", "Bristol Council"])
def test_search_finds_a_council_page_by_the_usual_forms_of_its_name(page, site_url, query):
    search(page, site_url, query)
    councils = grouped(page)["council"]
    assert any(r.endswith("/catalogue/councils/e06000023/") for r in councils[:3]), councils[:3]


def test_search_finds_a_welsh_council_by_its_welsh_name(page, site_url):
    search(page, site_url, "Caerdydd")
    assert grouped(page)["council"][0].endswith("/catalogue/councils/w06000015/")


def test_cases_come_first_and_councils_go_by_the_names_they_use(page, site_url):
    search(page, site_url, "damp")
    groups = grouped(page)
    assert list(groups) == ["case", "council"]
    assert all("/catalogue/cases/" in r for r in groups["case"])
    links = page.eval_on_selector_all(RESULT, "links => links.map(a => a.getAttribute('href'))")
    assert links[: len(groups["case"])] == groups["case"]  # every case before any council
    titles = page.eval_on_selector_all(
        ".cb-hsearch__group[data-kind=council] .cb-hsearch__link", "links => links.map(a => a.textContent)"
    )
    assert "Bristol City Council" in titles and "Bristol, City of" not in titles
    headings = page.eval_on_selector_all(".cb-hsearch__group:not([hidden]) h2", "hs => hs.map(h => h.textContent)")
    status = page.inner_text(".cb-hsearch__status")
    cases, councils = (int(n) for n in re.findall(r"(\d+) (?:cases|councils)", status))
    assert headings == [f"Cases ({cases})", f"Councils ({councils})"]
    assert cases == len(groups["case"]) and status.endswith("match \u201cdamp\u201d")
    assert page.inner_text(".cb-hsearch__group[data-kind=council] .cb-hsearch__more").startswith("More councils")


def test_the_search_page_shows_its_results_on_the_page(page, site_url):
    search(page, site_url, "housing")
    panel = page.locator("#cb-hsearch-panel")
    assert panel.evaluate("p => !!p.closest('article')")  # in the page's content, not a drop-down in the header
    assert panel.evaluate("p => getComputedStyle(p).position") == "static"
    title = page.eval_on_selector("article h1", "h => h.getBoundingClientRect().bottom")
    assert panel.bounding_box()["y"] > title
    page.click("article h1")  # a click elsewhere leaves the results where they are
    assert panel.is_visible()


def test_the_count_never_goes_stale_when_the_words_change_quickly(page, site_url):
    page.goto(site_url + "/catalogue/cases/camden-residents-index/")
    page.click("#cb-hsearch-input")
    for words in ("housing", "data", "gritting"):  # each typed before the last one's results are back
        page.fill("#cb-hsearch-input", words)
        page.wait_for_timeout(230)
    page.wait_for_function("() => document.querySelector('.cb-hsearch__status').textContent.includes('gritting')")
    page.wait_for_timeout(1500)  # any older search still on its way would land by now
    status = page.inner_text(".cb-hsearch__status")
    total = page.evaluate(
        """() => [...document.querySelectorAll('.cb-hsearch__group:not([hidden]) h2')]
            .reduce((n, h) => n + +h.textContent.match(/\\((\\d+)\\)/)[1], 0)"""
    )
    numbers = [int(n) for n in re.findall(r"(\d+) (?:cases?|councils?)", status)]
    assert status.endswith("match \u201cgritting\u201d") and sum(numbers) == total
    links = page.eval_on_selector_all(RESULT, "links => links.map(a => a.getAttribute('href'))")
    assert "norfolk-road-temperature-sensors-gritting" in links[0]


def test_search_finds_words_from_the_problem(page, site_url):
    results = search(page, site_url, "subletting")
    assert any("camden-residents-index" in r for r in results[:3])


@pytest.mark.own_context
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


def test_could_we_do_this_answers_at_a_glance_near_the_top(page, site_url):
    """The panel comes straight after the summary; a negative result is said plainly."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site_url}/catalogue/cases/bristol-think-family-database/")
    panel = page.locator(".cb-could")
    assert panel.is_visible()
    assert panel.bounding_box()["y"] < 1400  # within the first screens, before the problem
    text = panel.inner_text()
    assert "Evidence" in text and "Negative" in text and "In place first" in text
    headings = page.eval_on_selector_all("article h2", "hs => hs.map(h => h.textContent.replace('¶', '').trim())")
    assert headings[:2] == ["Could we do this?", "Problem"]


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


@pytest.mark.own_context
def test_the_header_search_on_a_case_page_keeps_the_query_in_the_url_and_escape_closes(page, site_url):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(site_url + "/catalogue/cases/camden-residents-index/")
    page.wait_for_load_state("networkidle")
    assert not [url for url in requests if "/pagefind/" in url]  # nothing is loaded until the search is used
    page.click("#cb-hsearch-input")
    page.keyboard.type("gritting")
    page.wait_for_selector(RESULT, timeout=15_000)
    page.wait_for_function("() => new URLSearchParams(location.search).get('q') === 'gritting'")
    assert page.url.endswith("/catalogue/cases/camden-residents-index/?q=gritting")
    links = page.eval_on_selector_all(RESULT, "links => links.map(a => a.getAttribute('href'))")
    assert "norfolk-road-temperature-sensors-gritting" in links[0]
    assert page.inner_text(".cb-hsearch__status").endswith("match “gritting”")
    page.keyboard.press("ArrowDown")  # into the results
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == links[0]
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == links[1]
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")  # back to the box
    assert page.evaluate("() => document.activeElement.id") == "cb-hsearch-input"
    page.keyboard.press("Escape")
    assert page.is_hidden("#cb-hsearch-panel")
    assert page.url.endswith("/catalogue/cases/camden-residents-index/")
    assert page.evaluate("() => document.activeElement.id") == "cb-hsearch-input"
    assert outside(requests, site_url) == []


def outside(requests, site_url):
    return [url for url in requests if not url.startswith(site_url)]


def test_a_shared_search_link_opens_the_results_and_a_result_leads_to_its_case(page, site_url):
    page.goto(site_url + "/catalogue/cases/camden-residents-index/?q=Sunderland%20gritting")
    page.wait_for_selector(RESULT, timeout=15_000)
    assert page.input_value("#cb-hsearch-input") == "Sunderland gritting"
    assert page.is_visible("#cb-hsearch-panel")
    with page.expect_navigation():
        page.click(f"{RESULT} >> nth=0")
    assert "/catalogue/cases/sunderland-road-temperature-sensors/" in page.url


def test_the_home_page_form_searches_in_place(page, site_url):
    page.goto(site_url + "/")
    page.fill("#home-search", "Camden Residents Index")
    page.press("#home-search", "Enter")
    page.wait_for_selector(RESULT, timeout=15_000)
    assert page.url.endswith("/?q=Camden+Residents+Index")  # no second page load: the header search shows the results
    assert "camden-residents-index" in page.get_attribute(f"{RESULT} >> nth=0", "href")


def excerpts(page, site_url, query):
    search(page, site_url, query)
    page.wait_for_selector(".cb-hsearch__excerpt")
    return page.eval_on_selector_all(
        ".cb-hsearch__result",
        "items => items.map(li => [li.querySelector('a').getAttribute('href'), "
        "li.querySelector('.cb-hsearch__excerpt').textContent])",
    )


@pytest.mark.parametrize("query", ["housing", "fraud", "E09000012", "Camden", "sensors"])
def test_result_excerpts_come_from_the_case_text_not_its_codes_and_tags(page, site_url, query):
    from generator import load_catalogue
    from generator.core.register import lookup
    from generator.site.pages.councils import council_cases, council_description

    from helpers import ROOT, TODAY

    catalogue = load_catalogue([ROOT / "cases", *HOSTILE_CASES], today=TODAY)
    tags = re.compile(r"E\d{8}|Keywords\.|^(London Borough|Royal Borough)|; (Fraud and error|Housing);")
    for href, text in excerpts(page, site_url, query):
        assert not tags.search(text), (href, text)
        if "/councils/" in href:  # a council page's text: its description and its cases' titles
            code = href.rstrip("/").rsplit("/", 1)[-1].upper()
            cases = council_cases(catalogue)[code]
            council = lookup(code)
            welsh = f"{council.name_cy}. " if council.name_cy else ""  # the Welsh name's line comes first
            body = welsh + " ".join([council_description(council, len(cases)), *(c.title for c in cases)])
            start = " ".join(text.split()[:3]).rstrip(".,;")
            assert start.lower() in " ".join(body.split()).lower(), (href, text)
            continue
        case = catalogue.get(href.rstrip("/").rsplit("/", 1)[-1])
        body = " ".join(
            [
                case["summary"],
                case["problem"],
                case["approach"],
                case["impact"]["summary"],
                case["replication"]["guidance"],
            ]
        )
        start = " ".join(text.split()[:3]).rstrip(".,;")
        assert start.lower() in " ".join(body.split()).lower() or start in str(case.data), (href, text)


@pytest.mark.own_context
def test_a_hostile_case_is_shown_as_text_in_the_search_results(page, site_url):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    search(page, site_url, "onerror")
    page.wait_for_timeout(300)
    assert dialogs == []
    assert (
        page.eval_on_selector_all(
            ".cb-hsearch__panel script, .cb-hsearch__panel img, .cb-hsearch__panel iframe", "e => e.length"
        )
        == 0
    )
    tags = page.eval_on_selector_all(".cb-hsearch__panel p *", "e => e.map(x => x.tagName)")
    assert set(tags) <= {"MARK"}  # the excerpts hold text and marks, nothing else
    assert '<script>alert("title")</script>' in page.inner_text(".cb-hsearch__results")


def test_on_a_phone_the_search_opens_from_a_button_and_fills_the_screen_below_the_header(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto(site_url + "/catalogue/cases/camden-residents-index/")
    assert page.is_hidden("#cb-hsearch-input")
    page.get_by_role("button", name="Search the cases").click()
    assert page.evaluate("() => document.activeElement.id") == "cb-hsearch-input"
    page.keyboard.type("housing")
    page.wait_for_selector(RESULT, timeout=15_000)
    box = page.eval_on_selector("#cb-hsearch-panel", "p => p.getBoundingClientRect().toJSON()")
    assert box["left"] == 0 and box["width"] == 390
    assert page.evaluate("() => document.scrollingElement.scrollWidth <= innerWidth")
    page.keyboard.press("Escape")
    assert page.is_hidden("#cb-hsearch-input")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "Search the cases"
    context.close()


def test_without_javascript_the_header_search_is_not_offered(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "/catalogue/cases/camden-residents-index/")
    assert page.is_hidden("#cb-hsearch")
    page.goto(site_url + "/search/?q=housing")
    assert "Search needs JavaScript" in page.content()
    context.close()


PHONE_PAGES = [
    "/",
    "/catalogue/",
    "/catalogue/map/",
    "/catalogue/councils/",
    "/catalogue/councils/e09000007/",
    "/catalogue/cases/camden-residents-index/",
    "/catalogue/themes/housing/",
    "/format/",
    "/propose/",
    "/data/",
    "/search/",
    "/maintaining/",
    "/performance/",
    "/accessibility/",
    "/cli/",
    "/wise-council/",
    "/search-decision/",
]


@pytest.mark.parametrize("path", PHONE_PAGES)
def test_every_kind_of_page_fits_a_phone_without_sideways_scrolling(browser, site_url, path):
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    wide = page.evaluate("document.scrollingElement.scrollWidth")
    context.close()
    assert wide <= 390, f"{path} is {wide} px wide at 390 px"


def largest_case_id():
    from helpers import ROOT

    return max((ROOT / "cases").glob("*.yaml"), key=lambda p: p.stat().st_size).stem


def test_a_case_prints_for_a_committee_paper_in_at_most_four_a4_pages(browser, site_url):
    case_id = largest_case_id()
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{site_url}/catalogue/cases/{case_id}/")
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.get_by_role("button", name="Print or save as PDF").click()
    assert page.evaluate("() => window.printed") == 1
    page.emulate_media(media="print")
    for hidden in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", "#cb-hsearch", ".md-footer"):
        assert page.locator(hidden).first.is_hidden(), hidden
    assert page.is_hidden("[data-cb-print-button]")
    top = page.inner_text(".cb-print-only")
    assert top.startswith(f"https://council-data-casebook.github.io/casebook/catalogue/cases/{case_id}/")
    assert re.search(r"printed \d{1,2} [A-Z][a-z]+ 20\d\d$", top), top
    after = page.eval_on_selector(".cb-sources a", "a => getComputedStyle(a, '::after').content")
    href = page.get_attribute(".cb-sources a", "href")
    assert after == f'" <{href}>"'  # each source with its full address
    pdf = page.pdf(format="A4", print_background=False)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 4, pages
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_a_vocabularys_label_in_a_case_table_never_breaks_inside_a_word(browser, site_url, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(site_url + "/catalogue/cases/kent-integrated-dataset/")  # "Administrative" in a narrow column
    lines = page.eval_on_selector_all("td.cb-term a", "links => links.map(a => a.getClientRects().length)")
    assert lines and set(lines) == {1}
    assert page.evaluate("() => document.scrollingElement.scrollWidth <= innerWidth")
    context.close()


def test_could_we_do_this_says_not_reported_and_why_a_rule_capped_the_level(page, site_url):
    from generator import load_catalogue

    from helpers import ROOT, TODAY

    catalogue = load_catalogue([ROOT / "cases"], today=TODAY)
    trial = next(
        c for c in catalogue.cases
        if c["impact"].get("evaluation", {}).get("design") == "randomised-trial"
        and c["impact"]["evaluation"].get("result") == "null"
    )  # fmt: skip
    page.goto(f"{site_url}/catalogue/cases/{trial.id}/")
    rows = page.eval_on_selector_all(
        ".cb-could__facts dt", "dts => dts.map(dt => [dt.textContent, dt.nextElementSibling.innerText.trim()])"
    )
    assert [dt for dt, _ in rows] == [
        "Evidence", "Set-up cost", "Time to first result", "Team", "In place first", "To reuse", "Contact"
    ]  # fmt: skip
    facts = dict(rows)
    assert "Level 1 at most: the randomised trial found no effect (a null result)." in facts["Evidence"]
    effort = trial["replication"].get("effort", {})
    assert (facts["Set-up cost"] == "Not reported") == (not effort.get("cost"))
    if "Not reported" in facts.values():
        link = page.get_by_role("link", name="Suggest a correction")
        assert link.get_attribute("href").endswith(f"/cases/{trial.id}.yaml")


def test_dates_read_as_people_write_them_in_time_elements(page, site_url):
    page.goto(f"{site_url}/catalogue/cases/camden-residents-index/")
    times = page.eval_on_selector_all("article time", "ts => ts.map(t => [t.getAttribute('datetime'), t.textContent])")
    assert times
    months = "January|February|March|April|May|June|July|August|September|October|November|December"
    for machine, text in times:
        assert re.fullmatch(r"\d{4}(-\d{2}){0,2}", machine), machine
        assert re.fullmatch(rf"(\d{{1,2}} )?({months}) \d{{4}}|\d{{4}}", text), text
    visible = page.evaluate(
        """() => { const a = document.querySelector('article').cloneNode(true);
        a.querySelectorAll('time, pre, code, script').forEach(e => e.remove()); return a.textContent; }"""
    )
    assert re.findall(r"\b(?:19|20)\d\d-\d\d-\d\d\b", visible) == []
