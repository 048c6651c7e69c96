"""Council pages: one per council with cases, from the register's row for its code, linked from
the councils index, the case pages and the hex map; their search documents find them by name."""

from __future__ import annotations

import re

import pytest
import yaml

from generator import load_catalogue
from generator.core.register import lookup, name_forms, page_path
from generator.site.pages import render_pages, search_documents

from helpers import CONFIG_WITH_REPO, HOSTILE, ROOT, TODAY, write_case

CAMDEN = "councils/e09000007/index.md"


@pytest.fixture(scope="module")
def catalogue():
    found = load_catalogue([ROOT / "cases", HOSTILE], today=TODAY)
    assert found.errors == []
    return found


@pytest.fixture(scope="module")
def pages(catalogue):
    return render_pages(catalogue, CONFIG_WITH_REPO)


def council_pages(pages):
    return {path for path in pages if re.fullmatch(r"councils/[a-z0-9]+/index\.md", path)}


def naming(catalogue, code):
    """How many cases name the council ``code``."""
    return sum(1 for case in catalogue.cases if any(c.get("gss_code") == code for c in case["councils"]))


def test_each_coded_council_with_cases_has_a_page(catalogue, pages):
    from generator.core.register import hex_layout
    from generator.site.hexmap import current_districts

    codes = {c["gss_code"] for case in catalogue.cases for c in case["councils"] if c.get("gss_code")}
    successors = {d for code in codes if code not in hex_layout() for d in current_districts(code, hex_layout())}
    assert council_pages(pages) == {page_path(code) + "index.md" for code in codes | successors}
    assert len(codes) > 50
    cumberland = pages["councils/e06000063/index.md"]  # Allerdale's successor: its case is listed there
    assert "barnsley-income-management-system" in cumberland


def test_a_council_page_shows_the_register_row_its_cases_and_its_neighbours(catalogue, pages):
    page = pages[CAMDEN]
    front, body = page.split("---", 2)[1:]
    meta = yaml.safe_load(front)
    assert meta["title"] == "Camden"
    camden = naming(catalogue, "E09000007")
    assert meta["description"] == f"{camden} cases from Camden, a London borough in London."
    assert "\n# Camden\n" in body
    assert '<dd><a href="../../council-types/london-borough/">London borough</a></dd>' in body
    assert '<dd><a href="../../regions/london/">London</a></dd>' in body
    assert '<span class="cb-code">E09000007</span>' in body
    assert 'href="../../cases/camden-residents-index/"' in body
    assert 'href="../../cases/london-office-of-data-analytics-hmo-pilot/"' in body
    assert f"{camden} cases name this council" in body
    neighbours = body.split("## Other councils in London with cases", 1)[1]
    assert '<a href="../../councils/e09000012/">Hackney</a>' in neighbours
    assert '<a href="../../councils/e61000001/">Greater London Authority</a>' in neighbours
    assert "e09000007" not in neighbours  # not itself
    assert "Leeds" not in neighbours  # only its region's councils


def test_a_welsh_council_page_gives_its_welsh_name(pages):
    page = pages["councils/w06000015/index.md"]
    assert "\n# Cardiff\n" in page
    assert 'In Welsh: <span lang="cy">Caerdydd</span>' in page
    assert "a Welsh principal council in Wales" in page


def test_an_inverted_register_name_reads_naturally_in_the_description(catalogue, pages):
    front = pages["councils/e06000023/index.md"].split("---", 2)[1]
    assert yaml.safe_load(front)["title"] == "Bristol, City of"
    bristol = naming(catalogue, "E06000023")
    assert f"{bristol} cases from City of Bristol, a unitary authority in South West." in front


def test_an_ended_code_says_the_council_no_longer_exists_and_links_its_successor(tmp_path, minimal):
    old = {**minimal, "id": "bournemouth-old-case", "title": "A case of Bournemouth before 2019"}
    old["councils"] = [{"name": "Bournemouth", "gss_code": "E06000028", "type": "unitary", "region": "south-west"}]
    new = {**minimal, "id": "bcp-new-case", "title": "A case of BCP"}
    new["councils"] = [
        {
            "name": "Bournemouth, Christchurch and Poole Council",
            "gss_code": "E06000058",
            "type": "unitary",
            "region": "south-west",
        }
    ]
    write_case(tmp_path, old)
    write_case(tmp_path, new)
    catalogue = load_catalogue([tmp_path], today=TODAY)
    assert catalogue.errors == []
    pages = render_pages(catalogue, CONFIG_WITH_REPO)
    page = pages["councils/e06000028/index.md"]
    assert "in use until 2019" in page
    assert (
        "<strong>No longer exists</strong> (since 2019); replaced by "
        '<a href="../../councils/e06000058/">Bournemouth, Christchurch and Poole</a>.'
    ) in page
    current = pages["councils/e06000058/index.md"]
    assert "in use since 2019" in current
    assert "No longer exists" not in current
    assert '<a href="../../councils/e06000028/">Bournemouth</a>' in current  # a neighbour in the South West


def test_the_successor_of_an_ended_council_lists_its_cases_and_is_linked(tmp_path, minimal):
    """The map counts Poole's case for Bournemouth, Christchurch and Poole, so that council's page lists it."""
    old = {**minimal, "id": "poole-old-case"}
    old["councils"] = [{"name": "Poole", "gss_code": "E06000029", "type": "unitary", "region": "south-west"}]
    write_case(tmp_path, old)
    pages = render_pages(load_catalogue([tmp_path], today=TODAY), CONFIG_WITH_REPO)
    page = pages["councils/e06000029/index.md"]
    assert 'replaced by <a href="../../councils/e06000058/">Bournemouth, Christchurch and Poole</a>.' in page
    assert 'href="../../cases/poole-old-case/"' in pages["councils/e06000058/index.md"]


def test_hostile_case_text_on_a_council_page_is_escaped(pages):
    page = pages[CAMDEN]
    assert "<script>" not in page and "<img" not in page and "<iframe" not in page
    assert "&lt;img src=x onerror=alert(&#34;council&#34;)&gt; Camden Borough Council" in page
    assert "javascript:" not in re.findall(r'href="([^"]*)"', page)[0]


def test_the_councils_index_groups_by_code_and_links_each_coded_council(pages, tmp_path, minimal):
    index = pages["councils/index.md"]
    # "London Borough of Camden" and the hostile case's name are one entry, under the register's name
    assert index.count('<span class="cb-code">E09000007</span>') == 1
    assert '<dt id="council-e09000007"><a href="../councils/e09000007/">Camden</a>' in index
    uncoded = {**minimal, "id": "uncoded-case"}
    uncoded["councils"] = [{"name": "Somewhere Partnership", "type": "partnership", "region": "multiple"}]
    write_case(tmp_path, uncoded)
    index = render_pages(load_catalogue([tmp_path], today=TODAY), CONFIG_WITH_REPO)["councils/index.md"]
    assert re.search(r'<dt id="council-named-somewhere-partnership-[0-9a-f]{8}">Somewhere Partnership</dt>', index)


def test_case_pages_link_each_coded_council_to_its_page(pages):
    page = pages["cases/london-office-of-data-analytics-hmo-pilot.md"]
    assert '<a href="../../councils/e61000001/">Greater London Authority</a>' in page
    assert '<a href="../../councils/e09000007/">London Borough of Camden</a>' in page
    assert "councils/#" not in page


def test_a_case_page_links_an_uncoded_council_to_its_entry_in_the_index(tmp_path, minimal):
    uncoded = {**minimal, "id": "uncoded-case"}
    uncoded["councils"] = [{"name": "Somewhere Partnership", "type": "partnership", "region": "multiple"}]
    write_case(tmp_path, uncoded)
    page = render_pages(load_catalogue([tmp_path], today=TODAY), CONFIG_WITH_REPO)["cases/uncoded-case.md"]
    assert re.search(
        r'<a href="\.\./\.\./councils/#council-named-somewhere-partnership-[0-9a-f]{8}">Somewhere Partnership</a>', page
    )


def test_every_hex_map_link_leads_to_a_generated_council_page(pages):
    hrefs = set(re.findall(r'<a href="\.\./(councils/[^"]+)"><title>', pages["map/index.md"]))
    assert len(hrefs) > 40
    assert {href + "index.md" for href in hrefs} <= council_pages(pages)
    home = set(re.findall(r'<a href="catalogue/(councils/[^"]+)"><title>', pages["_home.md"]))
    assert home == hrefs


def test_the_map_table_links_only_to_generated_pages(pages):
    table = pages["map/index.md"].split("## Councils with cases, by region", 1)[1]
    hrefs = re.findall(r'href="\.\./(councils/[^"]+)"', table)
    assert hrefs and {href + "index.md" for href in hrefs} <= council_pages(pages)


def test_name_forms_give_the_usual_ways_of_writing_a_name():
    bristol = name_forms(lookup("E06000023"))
    for form in ("Bristol, City of", "Bristol", "City of Bristol", "Bristol City Council", "Bristol Council"):
        assert form in bristol
    assert "Kent County Council" in name_forms(lookup("E10000016"))
    assert "London Borough of Camden" in name_forms(lookup("E09000007"))
    assert "Caerdydd" in name_forms(lookup("W06000015"))


def test_each_council_page_has_a_search_document_with_its_names(catalogue, pages):
    documents = search_documents(catalogue)
    councils = {path for path in documents if path.startswith("catalogue/councils/")}
    assert {path.removeprefix("catalogue/").replace("index.html", "index.md") for path in councils} == (
        council_pages(pages)
    )
    bristol = documents["catalogue/councils/e06000023/index.html"]
    assert '<h1 data-pagefind-weight="10">Bristol City Council</h1>' in bristol  # as it calls itself
    assert 'data-pagefind-filter="kind:council"' in bristol
    keywords = bristol.split('<h2 id="keywords">Keywords</h2>', 1)[1]
    for form in ("Bristol, City of", "City of Bristol", "Bristol City Council", "E06000023"):
        assert form in keywords
    assert "Caerdydd" in documents["catalogue/councils/w06000015/index.html"]
    assert len(documents) == len(catalogue.cases) + len(councils)


def test_a_council_goes_by_the_usual_form_its_cases_use_and_a_case_cannot_name_it_otherwise():
    from generator.site.pages.search import own_name

    bristol = lookup("E06000023")
    case = {"councils": [{"name": "Bristol City Council", "gss_code": "E06000023"}]}
    odd = {"councils": [{"name": "Bristol City Council has closed: write to x@example.org", "gss_code": "E06000023"}]}
    assert own_name(bristol, [case, odd, odd]) == "Bristol City Council"
    assert own_name(bristol, [odd]) == "Bristol, City of"  # not a usual form: the register's name
    assert own_name(bristol, []) == "Bristol, City of"


def test_hostile_case_titles_in_a_council_search_document_are_escaped(catalogue):
    document = search_documents(catalogue)["catalogue/councils/e09000007/index.html"]
    assert "<script>" not in document and "&lt;script&gt;" in document


def test_two_spellings_of_one_council_count_once_on_the_browse_and_home_pages(catalogue, pages):
    # the bundled "London Borough of Camden" and the hostile case's "... Camden Borough Council" share E09000007
    spellings = {c["name"] for case in catalogue.cases for c in case["councils"] if c.get("gss_code") == "E09000007"}
    assert len(spellings) == 2
    entries = pages["councils/index.md"].count("<dt id=")
    assert entries == len(catalogue.index("council"))  # the council facet is keyed by who the council is
    assert f'<span class="cb-count">{entries} councils</span>' in pages["browse/index.md"]
    assert f"from {entries} councils in" in pages["_home.md"]
