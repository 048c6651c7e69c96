"""The catalogue view in Chromium: filters narrow the table, survive reload and back, download, keyboard use."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from generator import load_catalogue

from conftest import HOSTILE_CASES, ROOT, TODAY

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


def test_known_answers(page, site_url):
    open_catalogue(page, site_url, "technique=sensors-iot&status=pilot")
    assert sorted(visible_ids(page)) == [
        "belfast-air-quality-detailed-assessment",
        "birmingham-road-temperature-sensors",
        "london-iot-damp-and-mould-sensors",
        "neath-port-talbot-air-quality-sensor-pilot",
        "sunderland-road-temperature-sensors",
    ]


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
    page.fill("#cb-filter-text", "Sunderland")
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


def test_without_javascript_the_full_table_is_there(browser, site_url, catalogue):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_url}/catalogue/?theme=housing")
    assert len(page.query_selector_all("#cb-catalogue-table tbody tr")) == len(catalogue)
    assert page.is_hidden("#cb-filters")
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
