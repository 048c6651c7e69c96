"""The hex map in headless Chromium: fits a phone, every case-bearing hex takes keyboard focus visibly,
and each is named for screen readers."""

from __future__ import annotations

import re

import pytest

from generator import load_catalogue

from helpers import ROOT, TODAY

pytestmark = pytest.mark.browser

HEX_LINKS = "svg.cb-hexmap__svg a"


@pytest.mark.parametrize("path", ["/catalogue/map/", "/"])
def test_the_map_fits_a_390_px_screen_without_sideways_scrolling(browser, site_url, path):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site_url + path)
    box = page.locator("svg.cb-hexmap__svg").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_each_case_bearing_hex_takes_keyboard_focus_with_a_visible_outline(page, site_url):
    page.goto(site_url + "/catalogue/map/")
    names = page.eval_on_selector_all(HEX_LINKS, "links => links.map(a => a.querySelector('title').textContent)")
    assert len(names) > 100  # the bundled cases' districts, and those their counties, authorities and the GLA cover
    page.locator("h1").click()  # start the keyboard walk from the top of the article
    visited = []
    for _ in range(len(names) + 60):
        page.keyboard.press("Tab")
        state = page.evaluate(
            """() => {
                const a = document.activeElement;
                if (!a || !a.closest('svg.cb-hexmap__svg')) return null;
                const use = a.querySelector('use');
                const outline = getComputedStyle(a), stroke = getComputedStyle(use);
                return {name: a.querySelector('title').textContent, visible: a.matches(':focus-visible'),
                        outline: outline.outlineStyle + ' ' + outline.outlineWidth,
                        stroke: stroke.strokeWidth, colour: stroke.stroke};
            }"""
        )
        if state is None:
            if visited:
                break
            continue
        assert state["visible"] and state["outline"] == "solid 3px" and state["stroke"] == "3.5px", state
        visited.append(state["name"])
    assert visited == names  # every hex with cases, once each, north to south


def test_the_hexes_are_named_for_screen_readers(page, site_url):
    page.goto(site_url + "/catalogue/map/")
    wyre = page.get_by_role("link", name=re.compile(r"^Wyre: \d+ cases? of Lancashire$"))
    assert wyre.count() == 1 and wyre.get_attribute("href") == "../councils/e10000017/"
    cambridge = page.get_by_role("link", name=re.compile(r"^Cambridge: \d+ cases?; 1 case of Cambridgeshire$"))
    assert cambridge.get_attribute("href") == "../councils/e07000008/"
    camden = page.get_by_role("link", name="Camden: ", exact=False).filter(has_text="Greater London Authority")
    assert camden.count() == 1
    assert page.get_by_role("group", name="Map of UK councils with cases in the catalogue").count() == 1
    empty = page.locator("svg.cb-hexmap__svg g.cb-hexmap__empty")
    assert empty.get_attribute("aria-hidden") == "true"  # districts without cases are not announced one by one


def test_on_a_phone_the_map_names_its_regions_and_every_council_with_a_case_is_a_24_px_target(browser, site_url):
    from generator.core.schema import vocabularies

    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto(site_url + "/catalogue/map/")
    labels = page.eval_on_selector_all(".cb-hexmap__regions text", "ts => ts.map(t => t.textContent)")
    regions = vocabularies()["regions"]
    assert sorted(labels) == sorted(regions.label(r) for r in regions.ids() if r != "multiple")
    assert len(labels) == 12  # the nine English regions, Wales, Scotland and Northern Ireland
    svg = page.eval_on_selector(".cb-hexmap__svg", "s => s.getBoundingClientRect().toJSON()")
    boxes = page.eval_on_selector_all(
        ".cb-hexmap__regions text", "ts => ts.map(t => t.getBoundingClientRect().toJSON())"
    )
    assert all(svg["left"] - 1 <= b["left"] and b["right"] <= svg["right"] + 1 for b in boxes)  # none cut off
    assert min(b["height"] for b in boxes) >= 9  # readable on a phone
    targets = page.eval_on_selector_all(
        ".cb-map-table__councils a", "links => links.map(a => a.getBoundingClientRect().toJSON())"
    )
    cases = load_catalogue([ROOT / "cases"], today=TODAY).cases
    assert len(targets) == len({c["gss_code"] for case in cases for c in case["councils"] if c.get("gss_code")})
    assert min(t["height"] for t in targets) >= 24
    assert page.evaluate("() => document.scrollingElement.scrollWidth <= innerWidth")
    context.close()
