"""The catalogue as a finder, in Chromium: filters narrow the list, their counts say what choosing each
would give, the state survives reload and back, sorting, 0-result advice, download, keyboard use."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from generator import load_catalogue
from generator.core.facets import FACETS_BY_NAME
from generator.core.schema import vocabularies

from helpers import HOSTILE_CASES, ROOT, TODAY

pytestmark = pytest.mark.browser

COMBINATIONS = [
    ("theme=housing&region=london", {"theme": ["housing"], "region": ["london"]}),
    ("technique=sensors-iot&status=pilot", {"technique": ["sensors-iot"], "status": ["pilot"]}),
    ("challenge=ethics-bias&evidence=1&evidence=2", {"challenge": ["ethics-bias"], "evidence": [1, 2]}),
]


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue([ROOT / "cases", *HOSTILE_CASES], today=TODAY)


RESULTS = "#cb-results > li:not([hidden])"


def visible_ids(page):
    """The ids of every matching case, in the order listed (pressing "Show more" until all are shown)."""
    while page.is_visible("#cb-more"):
        page.click("#cb-more")
    return page.eval_on_selector_all(RESULTS, "items => items.map(r => r.dataset.id)")


def counted(n):
    return "1 case" if n == 1 else f"{n} cases"


def open_catalogue(page, site_url, query=""):
    page.goto(f"{site_url}/catalogue/{('?' + query) if query else ''}")
    page.wait_for_function("() => window.casebookCatalogue !== undefined")


@pytest.mark.parametrize(("query", "criteria"), COMBINATIONS, ids=[q for q, _ in COMBINATIONS])
def test_filters_from_the_url_narrow_the_list_to_the_expected_cases(page, site_url, catalogue, query, criteria):
    open_catalogue(page, site_url, query)
    expected = sorted(c.id for c in catalogue.filter(criteria))
    assert expected, "each combination should match some cases"
    assert page.inner_text("#cb-count").startswith(counted(len(expected)))
    assert sorted(visible_ids(page)) == expected


def grep_cases(*lines):
    """Case ids whose file has every one of these lines, read as plain text rather than through the loader."""
    return sorted(
        path.stem
        for path in (ROOT / "cases").glob("*.yaml")
        if all(line in path.read_text(encoding="utf-8").splitlines() for line in lines)
    )


def test_known_answers(page, site_url):
    expected = grep_cases("  - sensors-iot", "status: pilot")
    assert len(expected) >= 7 and "sunderland-road-temperature-sensors" in expected
    open_catalogue(page, site_url, "technique=sensors-iot&status=pilot")
    assert sorted(visible_ids(page)) == expected


def option_counts(page):
    """Each filter option as the page shows it: its count and whether it is disabled."""
    return page.evaluate(
        """() => {
        const found = {};
        document.querySelectorAll('#cb-filters input[type=checkbox]').forEach(box => {
            const text = document.querySelector(`label[for='${box.id}'] .cb-count`).textContent;
            found[box.name + '=' + box.value] = [+text.replace(/[()]/g, ''), box.disabled];
        });
        document.querySelectorAll('#cb-filters select option[data-label]').forEach(o => {
            found[o.parentNode.name + '=' + o.value] = [+o.textContent.match(/\\((\\d+)\\)$/)[1], o.disabled];
        });
        return found;
    }"""
    )


def expected_counts(catalogue, criteria):
    """What choosing each option would give, given the other filters (one already chosen: what it brings in)."""
    wanted = {name: {str(v) for v in values} for name, values in criteria.items()}
    found = {}
    for name in FACETS_BY_NAME:
        others = catalogue.filter({k: v for k, v in wanted.items() if k != name})
        chosen = wanted.get(name, set())
        for term in {str(v) for c in catalogue.cases for v in c.facet_values(name)}:
            if term in chosen or not chosen:
                n = sum(1 for c in others if term in {str(v) for v in c.facet_values(name)})
            else:
                n = sum(1 for c in others if (chosen | {term}) & {str(v) for v in c.facet_values(name)})
            found[f"{name}={term}"] = [n, n == 0 and term not in chosen]
    return found


@pytest.mark.parametrize(
    "criteria",
    [{}, {"theme": ["housing"]}, {"theme": ["housing", "homelessness"], "region": ["london"]},
     {"council-type": ["district"], "status": ["pilot"]}, {"council": ["e09000007"], "technique": ["data-linking"]}],
    ids=["none", "one", "two-themes-and-a-region", "district-pilots", "camden-linking"],
)  # fmt: skip
def test_each_option_counts_what_choosing_it_would_give(page, site_url, catalogue, criteria):
    query = "&".join(f"{k}={v}" for k, values in criteria.items() for v in values)
    open_catalogue(page, site_url, query)
    shown = option_counts(page)
    expected = expected_counts(catalogue, criteria)
    assert {k: shown.get(k) for k in expected} == expected
    assert any(disabled for _, disabled in expected.values()) or not criteria  # some options are shown, disabled
    assert not page.is_hidden("#cb-filters")


def test_zero_results_say_so_and_offer_to_remove_each_filter(page, site_url, catalogue):
    criteria = {"council-type": ["district"], "theme": ["waste-environment"], "region": ["scotland"]}
    assert catalogue.filter(criteria) == []  # Scotland has no district councils
    open_catalogue(page, site_url, "council-type=district&theme=waste-environment&region=scotland")
    assert page.inner_text("#cb-count") == "0 cases"
    assert page.is_visible("#cb-empty") and page.inner_text("#cb-empty h2") == "No cases match"

    def without(name):
        return len(catalogue.filter({k: v for k, v in criteria.items() if k != name}))

    assert advice(page) == [
        f"Remove theme \u201cWaste and environment\u201d ({counted(without('theme'))})",
        f"Remove region \u201cScotland\u201d ({counted(without('region'))})",
        f"Remove council type \u201cDistrict council\u201d ({counted(without('council-type'))})",
    ]  # in the order of the filters on the page
    assert without("council-type") > 0
    page.get_by_role("button", name="Remove council type \u201cDistrict council\u201d").click()
    assert "council-type" not in page.url
    assert page.inner_text("#cb-count") == counted(without("council-type"))
    assert page.is_hidden("#cb-empty")
    housing = len(catalogue.filter({"theme": ["housing"]}))
    open_catalogue(page, site_url, "theme=housing&q=qqqxyz")
    assert advice(page) == [
        "Remove theme \u201cHousing\u201d (0 cases)",
        f"Remove words \u201cqqqxyz\u201d ({counted(housing)})",
    ]


def advice(page):
    return page.eval_on_selector_all("#cb-empty-list li", "items => items.map(i => i.textContent.trim())")


def test_ticking_filters_updates_the_url_survives_reload_and_back(page, site_url):
    open_catalogue(page, site_url)
    everything = len(visible_ids(page))
    page.click("summary:has-text('Themes')")
    page.check("input[name=theme][value=housing]")
    page.click("summary:has-text('Regions')")
    page.check("input[name=region][value=london]")
    assert "theme=housing" in page.url and "region=london" in page.url
    narrowed = visible_ids(page)
    assert 0 < len(narrowed) < everything
    page.reload()
    page.wait_for_function("() => window.casebookCatalogue !== undefined")
    assert visible_ids(page) == narrowed
    assert page.is_checked("input[name=theme][value=housing]")
    page.go_back()  # back to housing only
    page.wait_for_function("() => !location.search.includes('region')")
    assert len(visible_ids(page)) >= len(narrowed)
    assert page.is_checked("input[name=theme][value=housing]") and not page.is_checked(
        "input[name=region][value=london]"
    )


def test_text_filter_and_sorting(page, site_url, catalogue):
    open_catalogue(page, site_url, "q=gritting")
    page.fill("#cb-filter-text", "Sunderland gritting")
    page.wait_for_function("() => location.search.includes('q=Sunderland')")
    assert visible_ids(page) == ["sunderland-road-temperature-sensors"]
    assert page.input_value("#cb-sort") == "relevance"  # words typed: the best match first
    open_catalogue(page, site_url, "q=sensors")
    ids = visible_ids(page)
    by_id = {c.id: c for c in catalogue.cases}
    in_title = ["sensors" in by_id[i]["title"].lower() for i in ids]
    assert in_title == sorted(in_title, reverse=True)  # every title match before the rest
    open_catalogue(page, site_url)
    assert page.input_value("#cb-sort") == "title"
    titles = [by_id[i]["title"].casefold() for i in visible_ids(page)]
    assert titles == sorted(titles)
    for sort, key in (("year", "year_started"), ("evidence", "evidence")):
        page.select_option("#cb-sort", sort)
        assert f"sort={sort}" in page.url
        values = [
            by_id[i]["year_started"] if key == "year_started" else by_id[i]["impact"]["evidence_level"]
            for i in visible_ids(page)
        ]
        assert values == sorted(values, reverse=True)
    page.select_option("#cb-sort", "newest")
    ranks = page.eval_on_selector_all(RESULTS, "items => items.map(i => +i.dataset.new)")
    assert ranks == sorted(ranks) and ranks[0] == 0
    page.reload()
    page.wait_for_function("() => window.casebookCatalogue !== undefined")
    assert page.input_value("#cb-sort") == "newest"


def test_several_councils_at_once(page, site_url, catalogue):
    camden = set(council_cases(catalogue, "e09000007"))
    leeds = set(council_cases(catalogue, "e08000035"))
    assert camden and leeds
    for query in ("council=e09000007&council=e08000035", "council=e09000007,E08000035"):
        open_catalogue(page, site_url, query)
        assert set(visible_ids(page)) == camden | leeds
        assert [n for n in chip_names(page) if n.startswith("Remove filter: Council")] == [
            "Remove filter: Council Camden×", "Remove filter: Council Leeds×"
        ]  # fmt: skip
    open_catalogue(page, site_url, "council=e09000007")
    page.select_option("select[name=council]", "e08000035")  # adds a council to those chosen
    assert set(visible_ids(page)) == camden | leeds
    assert "council=e09000007&council=e08000035" in page.url
    assert page.input_value("select[name=council]") == ""


def test_copy_link_copies_the_filtered_address(browser, site_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    open_catalogue(page, site_url, "theme=housing")
    page.select_option("#cb-sort", "evidence")
    page.click("#cb-copy")
    page.wait_for_function("() => document.getElementById('cb-copy-done').textContent === 'Link copied'")
    assert page.evaluate("() => navigator.clipboard.readText()") == f"{site_url}/catalogue/?theme=housing&sort=evidence"
    context.close()


def test_each_result_shows_its_facts_at_a_glance_and_says_what_is_not_reported(page, site_url, catalogue):
    open_catalogue(page, site_url)
    visible_ids(page)  # every case listed
    found = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('#cb-results > li')].map(li => [li.dataset.id,
            [...li.querySelectorAll('.cb-glance > div')].map(d => [d.querySelector('dt').textContent, d.querySelector('dd').textContent])]))"""
    )
    assert set(found) == {c.id for c in catalogue.cases}
    vocab = vocabularies()
    for case in catalogue.cases:
        effort = case["replication"].get("effort", {})
        facts = dict(found[case.id])
        assert list(facts) == ["Evidence", "Set-up cost", "First result", "Status"]
        assert facts["Evidence"].startswith(f"Level {case['impact']['evidence_level']}, ")
        design = case["impact"].get("evaluation", {}).get("design")
        if design and design != "none":
            assert vocab["evaluation_designs"].label(design).lower() in facts["Evidence"]
        cost = effort.get("cost")
        assert facts["Set-up cost"] == (vocab["cost_bands"].label(cost) if cost else "not reported")
        time = effort.get("time_to_first_result")
        assert facts["First result"] == (vocab["durations"].label(time) if time else "not reported")
        assert facts["Status"] == vocab["status"].label(case["status"])
    trial = next(c for c in catalogue.cases if c["impact"].get("evaluation", {}).get("result") == "null")
    assert "no effect found" in dict(found[trial.id])["Evidence"]


def test_at_1280_px_filters_sit_left_of_the_results_and_61_cases_fit_in_6000_px(page, site_url):
    page.set_viewport_size({"width": 1280, "height": 900})
    open_catalogue(page, site_url)
    filters = page.eval_on_selector("#cb-filters", "f => f.getBoundingClientRect().toJSON()")
    results = page.eval_on_selector("#cb-results", "r => r.getBoundingClientRect().toJSON()")
    assert filters["right"] <= results["left"] and filters["top"] < results["top"] + 100
    assert page.get_attribute("#cb-count", "role") == "status"
    assert page.get_attribute("#cb-count", "aria-live") == "polite"
    visible_ids(page)
    height = page.evaluate(
        """() => { const items = [...document.querySelectorAll('#cb-results > li:not([hidden])')];
        const list = document.getElementById('cb-results').getBoundingClientRect();
        return document.documentElement.scrollHeight - (list.bottom - items[60].getBoundingClientRect().bottom); }"""
    )  # the page as it would be with 61 cases listed
    assert height < 6000, height
    assert page.evaluate("() => document.scrollingElement.scrollWidth <= innerWidth")


def test_download_holds_exactly_the_filtered_rows_with_the_cases_csv_columns(page, site_url, built_site):
    open_catalogue(page, site_url, "theme=housing&region=london&sort=evidence")
    shown = visible_ids(page)
    with page.expect_download() as info:
        page.click("#cb-download")
    raw = Path(info.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a byte-order mark: Excel reads UTF-8 ("£", not "Â£")
    text = raw.decode("utf-8-sig")
    full = (built_site / "downloads" / "cases.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    full_rows = {r[0]: r for r in list(csv.reader(io.StringIO(full)))[1:]}
    assert rows[0] == next(csv.reader(io.StringIO(full)))
    assert [r[0] for r in rows[1:]] == shown
    assert all(r == full_rows[r[0]] for r in rows[1:])  # guarded cells included, exactly as in cases.csv


def test_the_full_catalogue_downloads_as_an_excel_workbook(page, site_url, catalogue):
    import openpyxl

    open_catalogue(page, site_url)
    with page.expect_download() as info:
        page.get_by_role("link", name="Every case as an Excel workbook").click()
    assert info.value.suggested_filename == "cases.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()), read_only=True)
    assert "cases" in workbook.sheetnames and "case_councils" in workbook.sheetnames
    ids = [row[0] for row in workbook["cases"].iter_rows(min_row=2, values_only=True)]
    assert sorted(ids) == sorted(c.id for c in catalogue.cases)


@pytest.mark.parametrize("width", [1280, 390])
def test_without_javascript_the_full_list_is_there(browser, site_url, catalogue, width):
    context = browser.new_context(java_script_enabled=False, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{site_url}/catalogue/?theme=housing")
    items = page.locator("#cb-results > li")
    assert items.count() == len(catalogue)
    assert items.nth(len(catalogue) - 1).is_visible()
    assert page.is_hidden("#cb-filters") and page.is_hidden("#cb-chips") and page.is_hidden("#cb-tools")
    context.close()


def test_the_catalogue_works_with_the_keyboard_alone(page, site_url):
    open_catalogue(page, site_url)
    page.focus("body")
    for _ in range(60):  # tab until the first filter group's summary has focus
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.tagName") == "SUMMARY":
            break
    assert page.evaluate("() => document.activeElement.textContent") == "Themes"
    page.keyboard.press("Enter")  # open the group
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.name") == "theme"
    page.keyboard.press("Space")  # tick the first theme
    assert page.evaluate("() => document.activeElement.checked") is True
    first_value = page.evaluate("() => document.activeElement.value")
    assert f"theme={first_value}" in page.url
    for _ in range(200):  # tab on until a case link in the results has focus
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('#cb-results')"):
            break
    href = page.evaluate("() => document.activeElement.getAttribute('href')")
    first = page.eval_on_selector(f"{RESULTS} a", "a => a.getAttribute('href')")
    assert href == first
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/catalogue/cases/" in page.url


def chip_names(page):
    return page.eval_on_selector_all(
        "#cb-chips:not([hidden]) button", "buttons => buttons.map(b => b.textContent.replace(/\\s+/g, ' ').trim())"
    )


def open_panels(page):
    return page.eval_on_selector_all("details.cb-filter[open] summary", "s => s.map(x => x.textContent.trim())")


def test_a_shared_filtered_link_shows_its_filters_as_chips_and_opens_their_panels(page, site_url):
    open_catalogue(page, site_url, "theme=housing&region=london")
    for _ in range(2):  # as opened from the link, and after a reload
        assert chip_names(page) == ["Remove filter: Theme Housing×", "Remove filter: Region London×", "Clear all"]
        assert page.get_by_role("button", name="Remove filter: Theme Housing", exact=True).is_visible()
        assert page.get_by_role("button", name="Remove filter: Region London", exact=True).is_visible()
        assert page.get_by_role("button", name="Clear all", exact=True).is_visible()
        assert open_panels(page) == ["Themes", "Regions"]
        page.reload()
        page.wait_for_function("() => window.casebookCatalogue !== undefined")


def test_removing_a_chip_updates_the_url_and_the_results(page, site_url, catalogue):
    open_catalogue(page, site_url, "theme=housing&region=london&q=camden")
    page.get_by_role("button", name="Remove filter: Region London", exact=True).click()
    assert page.url.endswith("/catalogue/?theme=housing&q=camden")
    assert not page.is_checked("input[name=region][value=london]")
    housing = {c.id for c in catalogue.filter({"theme": ["housing"]})}
    shown = visible_ids(page)
    assert shown and set(shown) <= housing
    assert page.evaluate("() => document.activeElement.textContent").startswith("Remove filter: Words camden")
    page.get_by_role("button", name="Remove filter: Words camden", exact=True).click()
    assert page.url.endswith("/catalogue/?theme=housing")
    assert sorted(visible_ids(page)) == sorted(housing)
    assert page.inner_text("#cb-count") == counted(len(housing))
    page.go_back()  # each removal is a step in the history
    page.wait_for_function("() => location.search.includes('q=camden')")
    assert chip_names(page)[-2] == "Remove filter: Words camden×"
    page.get_by_role("button", name="Clear all", exact=True).click()
    assert page.evaluate("() => document.activeElement.id") == "cb-filter-text"
    assert page.url.endswith("/catalogue/")
    assert page.is_hidden("#cb-chips")
    assert len(visible_ids(page)) == len(catalogue)


PHONE = {"width": 390, "height": 900}


@pytest.mark.parametrize("query", ["", "theme=housing&region=london"])
def test_on_a_phone_the_filters_fold_behind_one_button_and_the_first_case_is_on_the_first_screen(
    browser, site_url, query
):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    open_catalogue(page, site_url, query)
    toggle = page.locator("#cb-filter-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert page.locator("details.cb-filter").first.is_hidden()
    card = page.eval_on_selector(RESULTS, "r => r.getBoundingClientRect().toJSON()")
    assert card["top"] > 0 and card["bottom"] <= PHONE["height"], card
    assert card["width"] <= PHONE["width"]
    assert page.evaluate("() => document.scrollingElement.scrollWidth <= innerWidth")
    if query:
        assert page.get_by_role("button", name="Filter 2 active", exact=True).is_visible()
        assert page.get_by_role("button", name="Remove filter: Theme Housing", exact=True).is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    page.click("summary:has-text('Status')")
    page.check("input[name=status][value=live]")
    assert "status=live" in page.url
    assert page.inner_text("#cb-filter-count").split()[0] == str(3 if query else 1)
    page.click("#cb-filter-done")
    assert page.locator("details.cb-filter").first.is_hidden()
    context.close()


def test_on_a_phone_each_case_shows_title_summary_councils_and_its_facts(browser, site_url):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    open_catalogue(page, site_url, "q=camden residents")
    item = page.locator(RESULTS).first
    assert item.locator("h2").inner_text() == "The Camden Residents Index gives one view of residents across 16 systems"
    assert item.locator(".cb-result__summary").is_visible()
    assert item.locator(".cb-result__where").inner_text() == "London Borough of Camden · London"
    glance = item.locator(".cb-glance > div").evaluate_all("ds => ds.map(d => [...d.children].map(x => x.textContent))")
    assert glance[0][0] == "Evidence" and glance[0][1].startswith("Level 2, positive change")
    assert glance[-1] == ["Status", "Live"]
    assert page.evaluate("() => document.scrollingElement.scrollWidth <= innerWidth")
    context.close()


def test_no_case_page_scrolls_sideways_on_a_phone(browser, site_url, catalogue):
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    wide = []
    for case in catalogue.cases:  # each page loaded once, looked at 390 and 320 px wide
        page.set_viewport_size({"width": 390, "height": 900})
        page.goto(f"{site_url}/catalogue/cases/{case.id}/")
        for width in (390, 320):
            page.set_viewport_size({"width": width, "height": 900})
            if not page.evaluate("() => document.scrollingElement.scrollWidth <= innerWidth"):
                wide.append((case.id, width))
    context.close()
    assert wide == []


def council_cases(catalogue, key):
    """The ids of the cases with a council keyed ``key`` (its code in lower case, or ``name:`` and its name)."""
    from generator.core.register import council_ref

    return sorted(c.id for c in catalogue.cases if any(council_ref(x).key == key for x in c["councils"]))


def test_choosing_a_council_filters_to_its_cases_and_puts_its_code_in_the_url(page, site_url, catalogue):
    camden = council_cases(catalogue, "e09000007")
    assert len(camden) >= 2  # a real case and the hostile one
    open_catalogue(page, site_url)
    page.click("summary:has-text('Councils')")
    page.select_option("select[name=council]", "e09000007")
    page.wait_for_function("() => location.search.includes('council=e09000007')")
    assert page.url.endswith("/catalogue/?council=e09000007")
    assert sorted(visible_ids(page)) == camden
    assert page.inner_text("#cb-count") == counted(len(camden))
    assert chip_names(page) == ["Remove filter: Council Camden×", "Clear all"]
    assert page.inner_text("select[name=council] option[value=e09000007]") == f"Camden ({len(camden)})"


def test_a_council_link_opens_the_catalogue_filtered_and_its_chip_clears_it(page, site_url, catalogue):
    camden = council_cases(catalogue, "e09000007")
    for query in ("council=e09000007", "council=E09000007"):  # the register spells codes in capitals
        open_catalogue(page, site_url, query)
        assert sorted(visible_ids(page)) == camden
        assert chip_names(page) == ["Remove filter: Council Camden×", "Clear all"]
        assert open_panels(page) == ["Councils"]
    page.get_by_role("button", name="Remove filter: Council Camden", exact=True).click()
    assert page.url.endswith("/catalogue/")
    assert len(visible_ids(page)) == len(catalogue)
    assert page.is_hidden("#cb-chips")


def test_a_council_combines_with_a_theme(page, site_url, catalogue):
    camden = set(council_cases(catalogue, "e09000007"))
    housing = {c.id for c in catalogue.filter({"theme": ["housing"]})}
    fraud = {c.id for c in catalogue.filter({"theme": ["fraud-error"]})}
    open_catalogue(page, site_url, "council=e09000007")
    page.click("summary:has-text('Themes')")
    page.check("input[name=theme][value=housing]")
    assert "theme=housing" in page.url and "council=e09000007" in page.url
    assert set(visible_ids(page)) == camden & housing and camden & housing
    page.check("input[name=theme][value=fraud-error]")  # themes widen each other; the council still narrows
    assert set(visible_ids(page)) == camden & (housing | fraud)
    page.get_by_role("button", name="Remove filter: Council Camden", exact=True).click()
    assert set(visible_ids(page)) == housing | fraud
    assert "council" not in page.url


@pytest.mark.own_context
def test_hostile_council_names_are_listed_as_text(page, site_url, catalogue):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    name = "Borough of '---' & <Council>"  # as the case spells it, less its invisible U+FEFF
    open_catalogue(page, site_url)
    labels = page.eval_on_selector_all("select[name=council] option", "options => options.map(o => o.dataset.label)")
    assert name in labels and not any(label and "onerror" in label for label in labels)
    page.click("summary:has-text('Councils')")
    page.select_option("select[name=council]", f"name:{name.casefold()}")
    assert visible_ids(page) == ["hostile-front-matter"]
    assert page.eval_on_selector("#cb-chips button", "b => b.textContent") == f"Remove filter: Council {name}×"
    assert page.eval_on_selector_all("#cb-chips img, #cb-filters select img", "found => found.length") == 0
    assert dialogs == []


def test_without_javascript_a_council_link_shows_the_full_list(browser, site_url, catalogue):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_url}/catalogue/?council=e09000007")
    assert page.locator("#cb-results > li").count() == len(catalogue)
    assert page.is_hidden("#cb-filters")  # like every filter: without the script the form is not offered
    context.close()
