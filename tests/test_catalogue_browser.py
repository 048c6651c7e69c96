"""The catalogue view in Chromium: filters narrow the table, survive reload and back, download, keyboard use."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from generator import load_catalogue

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


def visible_ids(page):
    return page.eval_on_selector_all(
        "#cb-catalogue-table tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.id)"
    )


def open_catalogue(page, site_url, query=""):
    page.goto(f"{site_url}/catalogue/{('?' + query) if query else ''}")
    page.wait_for_function("() => window.casebookCatalogue !== undefined")


@pytest.mark.parametrize(("query", "criteria"), COMBINATIONS, ids=[q for q, _ in COMBINATIONS])
def test_filters_from_the_url_narrow_the_table_to_the_expected_cases(page, site_url, catalogue, query, criteria):
    open_catalogue(page, site_url, query)
    expected = sorted(c.id for c in catalogue.filter(criteria))
    assert expected, "each combination should match some cases"
    assert sorted(visible_ids(page)) == expected
    assert page.inner_text("#cb-count") == f"{len(expected)} of {len(catalogue)} cases match"


def grep_cases(*lines):
    """Case ids whose file has every one of these lines, read as plain text rather than through the loader."""
    return sorted(
        path.stem
        for path in (ROOT / "cases").glob("*.yaml")
        if all(line in path.read_text(encoding="utf-8").splitlines() for line in lines)
    )


def test_known_answers(page, site_url):
    expected = grep_cases("  - sensors-iot", "status: pilot")
    assert len(expected) >= 7 and "birmingham-road-temperature-sensors" in expected
    open_catalogue(page, site_url, "technique=sensors-iot&status=pilot")
    assert sorted(visible_ids(page)) == expected


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


def test_text_filter_and_sorting(page, site_url):
    open_catalogue(page, site_url, "q=gritting")
    page.fill("#cb-filter-text", "Sunderland gritting")
    page.wait_for_function("() => location.search.includes('q=Sunderland')")
    assert visible_ids(page) == ["sunderland-road-temperature-sensors"]
    open_catalogue(page, site_url)
    page.click("th[data-sort=year] button")
    years = page.eval_on_selector_all(
        "#cb-catalogue-table tbody tr td:nth-child(8)", "cells => cells.map(c => +c.textContent)"
    )
    assert years == sorted(years)
    page.click("th[data-sort=year] button")
    years = page.eval_on_selector_all(
        "#cb-catalogue-table tbody tr td:nth-child(8)", "cells => cells.map(c => +c.textContent)"
    )
    assert years == sorted(years, reverse=True)
    assert page.get_attribute("th[data-sort=year]", "aria-sort") == "descending"
    assert "sort=-year" in page.url


def test_download_holds_exactly_the_filtered_rows_with_the_cases_csv_columns(page, site_url, built_site):
    open_catalogue(page, site_url, "theme=housing&region=london")
    shown = visible_ids(page)
    with page.expect_download() as info:
        page.click("#cb-download")
    text = Path(info.value.path()).read_text(encoding="utf-8")
    full = (built_site / "downloads" / "cases.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    full_rows = {r[0]: r for r in list(csv.reader(io.StringIO(full)))[1:]}
    assert rows[0] == next(csv.reader(io.StringIO(full)))
    assert [r[0] for r in rows[1:]] == shown
    assert all(r == full_rows[r[0]] for r in rows[1:])  # guarded cells included, exactly as in cases.csv


@pytest.mark.parametrize("width", [1280, 390])
def test_without_javascript_the_full_table_is_there(browser, site_url, catalogue, width):
    context = browser.new_context(java_script_enabled=False, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{site_url}/catalogue/?theme=housing")
    rows = page.locator("#cb-catalogue-table tbody tr")
    assert rows.count() == len(catalogue)
    assert rows.nth(len(catalogue) - 1).is_visible()
    assert page.is_hidden("#cb-filters") and page.is_hidden("#cb-chips")
    assert page.is_hidden("#cb-catalogue-table thead") == (width == 390)  # no sort bar on a phone: sorting needs it
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
    for _ in range(200):  # tab on until a case link in the table has focus
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('#cb-catalogue-table tbody')"):
            break
    href = page.evaluate("() => document.activeElement.getAttribute('href')")
    first_row = page.eval_on_selector("#cb-catalogue-table tbody tr:not([hidden]) a", "a => a.getAttribute('href')")
    assert href == first_row
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
    assert page.inner_text("#cb-count") == f"{len(housing)} of {len(catalogue)} cases match"
    page.go_back()  # each removal is a step in the history
    page.wait_for_function("() => location.search.includes('q=camden')")
    assert chip_names(page)[-2] == "Remove filter: Words camden×"
    page.get_by_role("button", name="Clear all", exact=True).click()
    assert page.url.endswith("/catalogue/")
    assert len(visible_ids(page)) == len(catalogue)
    assert page.is_hidden("#cb-chips")
    assert page.evaluate("() => document.activeElement.id") == "cb-filter-text"


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
    card = page.eval_on_selector(
        "#cb-catalogue-table tbody tr:not([hidden])", "r => r.getBoundingClientRect().toJSON()"
    )
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


def test_on_a_phone_each_case_is_a_card_with_title_councils_evidence_status_and_year(browser, site_url):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    open_catalogue(page, site_url, "q=camden residents")
    row = page.locator("#cb-catalogue-table tbody tr:not([hidden])").first
    shown = row.evaluate("r => [...r.cells].filter(c => c.offsetParent !== null).map(c => c.innerText.trim())")
    assert shown == [
        "The Camden Residents Index gives one view of residents across 16 systems",
        "London Borough of Camden",
        "Live",
        "Level 2: positive change",
        "2013",
    ]
    year = row.locator("td").nth(9).evaluate("td => getComputedStyle(td, '::before').content")
    assert year == '"· started "'
    assert page.evaluate("() => document.scrollingElement.scrollWidth <= innerWidth")
    context.close()


@pytest.mark.parametrize("width", [390, 320])
def test_no_case_page_scrolls_sideways_on_a_phone(browser, site_url, catalogue, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    wide = []
    for case in catalogue.cases:
        page.goto(f"{site_url}/catalogue/cases/{case.id}/")
        if not page.evaluate("() => document.scrollingElement.scrollWidth <= innerWidth"):
            wide.append(case.id)
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
    assert page.inner_text("#cb-count") == f"{len(camden)} of {len(catalogue)} cases match"
    assert chip_names(page) == ["Remove filter: Council Camden×", "Clear all"]
    assert page.inner_text("select[name=council] option:checked") == f"Camden ({len(camden)})"


def test_a_council_link_opens_the_catalogue_filtered_and_its_chip_clears_it(page, site_url, catalogue):
    camden = council_cases(catalogue, "e09000007")
    for query in ("council=e09000007", "council=E09000007"):  # the register spells codes in capitals
        open_catalogue(page, site_url, query)
        assert sorted(visible_ids(page)) == camden
        assert page.input_value("select[name=council]") == "e09000007"
        assert open_panels(page) == ["Councils"]
    page.get_by_role("button", name="Remove filter: Council Camden", exact=True).click()
    assert page.url.endswith("/catalogue/")
    assert len(visible_ids(page)) == len(catalogue)
    assert page.input_value("select[name=council]") == ""
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


def test_without_javascript_a_council_link_shows_the_full_table(browser, site_url, catalogue):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_url}/catalogue/?council=e09000007")
    assert page.locator("#cb-catalogue-table tbody tr").count() == len(catalogue)
    assert page.is_hidden("#cb-filters")  # like every filter: without the script the form is not offered
    context.close()
