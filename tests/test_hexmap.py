"""The hex map: every district drawn, shaded in bins, named for screen readers, linked, escaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from generator import load_catalogue
from generator.core.register import hex_layout, lookup, page_path
from generator.site.hexmap import BINS, COVERED_LABEL, Counts, bin_of, count_cases, hex_label, render_hexmap
from generator.site.pages import render_pages
from generator.site.pages.map import map_counts, map_regions

from helpers import CONFIG_WITH_REPO as CONFIG
from helpers import HOSTILE, ROOT, TODAY

SVG = "{http://www.w3.org/2000/svg}"
CAMDEN, CAMBRIDGE, CAMBRIDGESHIRE, KENT = "E09000007", "E07000008", "E10000003", "E10000016"


def names() -> dict[str, str]:
    return {code: lookup(code).name for code in hex_layout()}


def link(code: str) -> str:
    return "../" + page_path(code)


def draw(counts: Counts, district_names: dict[str, str] | None = None) -> str:
    return render_hexmap(hex_layout(), counts, district_names or names(), link)


def svg_of(html: str) -> ET.Element:
    """The map's SVG, parsed as XML (so it is well formed)."""
    return ET.fromstring(re.search(r"<svg.*</svg>", html, re.S).group(0))


def titled_links(html: str) -> dict[str, tuple[str, str]]:
    """Each linked hex: its accessible name -> (href, shading class)."""
    found = {}
    for a in svg_of(html).iter(f"{SVG}a"):
        use = a.find(f"{SVG}use")
        found[a.find(f"{SVG}title").text] = (a.get("href"), use.get("class"))
    return found


def test_every_district_of_the_layout_is_one_hex():
    counts = count_cases([[(CAMDEN, "London Borough of Camden")]], hex_layout())
    svg = svg_of(draw(counts))
    uses = list(svg.iter(f"{SVG}use"))
    assert len(uses) == len(hex_layout()) == 361
    assert len({(u.get("x"), u.get("y")) for u in uses}) == 361  # no two hexes on one spot
    assert all(u.get("x").isdigit() and u.get("y").isdigit() for u in uses)  # integer coordinates
    assert all(u.get("href") == "#cb-hex" for u in uses) and "style=" not in draw(counts)


@pytest.mark.parametrize(("cases", "shade"), [(0, 0), (1, 1), (2, 2), (3, 3), (4, 3), (5, 4), (40, 4)])
def test_cases_fall_into_the_legend_bins(cases, shade):
    assert bin_of(cases) == shade


def test_the_legend_names_each_bin_the_hatching_and_empty_districts():
    html = draw(Counts())
    legend = re.findall(r'<li><span class="cb-swatch ([a-z0-9-]+)"[^>]*></span>([^<]+)</li>', html)
    expected = [(f"cb-b{n}", label) for n, (_, label) in enumerate(BINS, 1)]
    assert legend == expected + [("cb-cov", COVERED_LABEL.replace("'", "&#39;")), ("cb-none", "no case yet")]
    assert [label for _, label in BINS] == ["1 case", "2 cases", "3 or 4 cases", "5 or more cases"]


def test_a_district_with_cases_is_a_link_named_with_its_count():
    cases = [[(CAMDEN, "Camden")], [(CAMDEN, "London Borough of Camden"), (CAMDEN, "Camden again")]]
    links = titled_links(draw(count_cases(cases, hex_layout())))
    assert links == {"Camden: 2 cases": ("../councils/e09000007/", "cb-b2")}


def test_a_district_covered_only_by_an_upper_tier_case_is_hatched_and_names_the_body():
    cases = [[(CAMBRIDGESHIRE, "Cambridgeshire County Council")], [(KENT, "Kent County Council")]]
    links = titled_links(draw(count_cases(cases, hex_layout())))
    assert links["Cambridge: 1 case of Cambridgeshire County Council"] == ("../councils/e10000003/", "cb-cov")
    assert links["Maidstone: 1 case of Kent County Council"] == ("../councils/e10000016/", "cb-cov")
    assert len(links) == 5 + 12  # Cambridgeshire's five districts and Kent's twelve; Medway is not in Kent's


def test_a_district_with_its_own_and_upper_tier_cases_is_shaded_and_names_both():
    cases = [[(CAMBRIDGESHIRE, "Cambridgeshire County Council"), (CAMBRIDGE, "Cambridge City Council")]]
    counts = count_cases(cases, hex_layout())
    assert counts.own == {CAMBRIDGE: 1} and counts.upper[CAMBRIDGE] == {CAMBRIDGESHIRE: 1}
    links = titled_links(draw(counts))
    assert links["Cambridge: 1 case; 1 case of Cambridgeshire County Council"] == ("../councils/e07000008/", "cb-b1")


def test_the_gla_covers_all_33_london_hexes():
    links = titled_links(draw(count_cases([[("E61000001", "Greater London Authority")]], hex_layout())))
    assert len(links) == 33 and all(name.endswith(": 1 case of Greater London Authority") for name in links)


def test_an_ended_code_counts_for_the_council_that_replaced_it():
    counts = count_cases([[("E07000026", "Allerdale Borough Council")], [("S12000046", "Glasgow City")]], hex_layout())
    assert counts.own == {"E06000063": 1, "S12000049": 1}  # Cumberland; Glasgow's current code


def test_the_links_follow_north_to_south_for_the_keyboard():
    cases = [[("E09000007", "Camden")], [("S12000036", "Edinburgh")], [("E06000052", "Cornwall")]]
    names_in_order = list(titled_links(draw(count_cases(cases, hex_layout()))))
    assert names_in_order == ["City of Edinburgh: 1 case", "Camden: 1 case", "Cornwall: 1 case"]


def test_hostile_names_are_escaped_everywhere():
    hostile = "<script>alert(1)</script> & \"quoted\" 'single'"
    counts = Counts(own={CAMDEN: 1}, upper={CAMBRIDGE: {KENT: 1}}, names={KENT: hostile})
    html = render_hexmap(hex_layout(), counts, {**names(), CAMDEN: hostile}, lambda code: f'x"><script>{code}')
    assert "<script>" not in html and 'x">' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quoted&#34; &#39;single&#39;: 1 case" in html
    links = titled_links(html)  # still well-formed XML, the names intact once parsed
    assert f"{hostile}: 1 case" in links and f"Cambridge: 1 case of {hostile}" in links
    title = render_hexmap(hex_layout(), Counts(), names(), link, title="</title><svg onload=x>")
    assert "<svg onload" not in title


def test_hex_labels_read_naturally():
    assert hex_label("Camden", 1, {}, {}) == "Camden: 1 case"
    assert hex_label("Cambridge", 0, {"B": 1, "A": 2}, {"A": "Alpha CA", "B": "Beta CC"}) == (
        "Cambridge: 2 cases of Alpha CA; 1 case of Beta CC"
    )


@pytest.fixture(scope="module")
def bundled():
    catalogue = load_catalogue([ROOT / "cases", HOSTILE], today=TODAY)
    assert catalogue.errors == []
    return catalogue


def test_the_map_page_shows_the_bundled_cases_and_the_coverage_by_region(bundled):
    pages = render_pages(bundled, CONFIG)
    page = pages["map/index.md"]
    assert page.startswith("---\n") and "\n# Map\n" in page
    links = titled_links(page)
    counts = map_counts(bundled)
    camden = counts.own[CAMDEN]
    gla = sum(1 for c in bundled.cases if any(x.get("gss_code") == "E61000001" for x in c["councils"]))
    lancashire = sum(1 for c in bundled.cases if any(x.get("gss_code") == "E10000017" for x in c["councils"]))
    assert camden >= 2 and counts.upper[CAMDEN] == {"E61000001": gla}  # the hostile fixture names Camden too
    assert links[f"Camden: {camden} cases; {gla} cases of Greater London Authority"] == (
        "../councils/e09000007/",
        f"cb-b{bin_of(camden)}",
    )
    # upper-tier bodies are named as the register names them, never as a case spells them
    assert links["Cambridge: 2 cases; 1 case of Cambridgeshire"][0] == "../councils/e07000008/"
    assert links[f"Wyre: {lancashire} cases of Lancashire"] == ("../councils/e10000017/", "cb-cov")
    regions = {str(row.region.id): row for row in map_regions(bundled, counts)}
    london = regions["london"]
    assert (london.districts, london.with_any) == (33, 33) and london.with_own < 33
    assert f'data-label="Coverage">{london.with_own} of 33 <span' in page
    assert sum(row.districts for row in regions.values()) == 361
    assert f'<a href="../councils/e61000001/">Greater London Authority</a> ({gla})' in page
    home = pages["_home.md"]
    assert "cb-hexmap--compact" in home and 'href="catalogue/councils/e09000007/"' in home
    assert 'href="catalogue/map/"' in home


def test_the_map_adds_under_60_kb_to_a_page(bundled):
    html = str(render_pages(bundled, CONFIG)["map/index.md"])
    figure = re.search(r'<figure class="cb-hexmap".*?</figure>', html, re.S).group(0)
    assert len(figure.encode()) < 60_000
