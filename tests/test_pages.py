"""Generated pages: every field shown, links both ways, numbers formatted, nothing unsafe."""

from __future__ import annotations

import copy
import json
import re
from html import unescape
from html.parser import HTMLParser

import pytest
import yaml

from generator import load_catalogue
from generator.core.register import plain_name
from generator.core.schema import vocabularies
from generator.site.pages import render_pages
from generator.site.render import format_value, markdown_html

from helpers import CONFIG_WITH_REPO, HOSTILE, HOSTILE_CASES, ROOT, TODAY, check, write_case


@pytest.fixture(scope="module")
def pages():
    catalogue = load_catalogue([ROOT / "cases", HOSTILE], today=TODAY)
    assert catalogue.errors == []
    return render_pages(catalogue, CONFIG_WITH_REPO)


def leaves(value, path=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, f"{path}.{key}")
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item, path)
    else:
        yield path, value


def test_every_field_of_a_case_appears_on_its_page(tmp_path, minimal):
    minimal.update(
        partners=["Example NHS Trust"],
        contact={
            "role": "Head of Insight",
            "organisation": "Example Borough Council",
            "email": "insight@example.gov.uk",
            "url": "https://example.gov.uk/insight",
        },
        licence="CC-BY-4.0",
    )
    minimal["impact"]["measures"][0].update(year=2015)
    minimal["replication"]["adopted_by"] = ["Other Borough Council"]
    catalogue = check(write_case(tmp_path, minimal))
    page = render_pages(catalogue, CONFIG_WITH_REPO)[f"cases/{minimal['id']}.md"]
    from generator.site.pages.common import label as _label

    vocab_of = {
        "themes": "themes",
        "techniques": "techniques",
        "status": "status",
        "councils.type": "council_types",
        "councils.region": "regions",
        "data.kind": "data_kinds",
        "impact.measures.unit": None,
        "impact.measures.period": "periods",
        "challenges.category": "challenges",
        "success_factors.category": "success_factors",
        "impact.evidence_level": "evidence_levels",
    }
    for path, value in leaves(minimal):
        key = path.lstrip(".")
        if key in vocab_of:
            expected = _label(vocab_of[key], value) if vocab_of[key] else None
            if expected:
                assert expected in page, key
        elif key == "data.personal":
            assert ("Yes" if value else "No") in page
        elif key == "impact.measures.value":
            assert "300" in page
        elif key == "licence":
            assert "Creative Commons Attribution 4.0" in page
        elif key in ("problem", "approach", "impact.summary", "replication.guidance"):
            first_words = " ".join(str(value).split()[:4])
            assert first_words in re.sub(r"\s+", " ", page), key
        else:
            assert str(value).replace("'", "&#39;") in page, key


def test_related_cases_show_in_both_directions(pages):
    # hostile-script-injection lists camden-residents-index; Camden's page must link back.
    assert "../../cases/hostile-script-injection/" in pages["cases/camden-residents-index.md"]
    assert "../../cases/camden-residents-index/" in pages["cases/hostile-script-injection.md"]


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (1_200_000, "GBP", "£1.2m"),
        (3_400_000, "GBP", "£3.4m"),
        (18_000, "GBP", "£18,000"),
        (2.5e9, "GBP", "£2.5bn"),
        (12.5, "GBP", "£12.5"),
        (35, "percent", "35%"),
        (12.5, "percent", "12.5%"),
        (1200, "households", "1,200 households"),
        (1, "people", "1 person"),
        (24, "days", "24 days"),
        (1500000, "count", "1,500,000"),
        (8, "hours", "8 hours"),
    ],
)
def test_units_are_formatted_for_people(value, unit, text):
    assert format_value(value, unit) == text


def test_measures_are_formatted_on_the_page(pages):
    assert "£25,000" in pages["cases/camden-residents-index.md"]
    assert "80%" in pages["cases/camden-residents-index.md"]


def test_markdown_fields_lose_raw_html_and_unsafe_links():
    html = markdown_html("Text <script>x</script> [a](javascript:alert(1)) [b](https://ok.example) ![i](data:x)")
    assert_inert(html)
    assert '<a href="https://ok.example" rel="nofollow noopener">b</a>' in html
    assert "Text " in html and " a " in html  # the unsafe link keeps its text
    assert "Text " in html and " a " in html  # the unsafe link keeps its text


class Elements(HTMLParser):
    """Every start tag and its attributes in a piece of HTML."""

    def __init__(self, text):
        super().__init__()
        self.found = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


UNSAFE_TAGS = {"script", "iframe", "img", "svg", "style", "details", "b", "object", "embed", "form"}


def assert_inert(html_text):
    for tag, attrs in Elements(html_text).found:
        assert tag not in UNSAFE_TAGS, tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src"):
                assert not (value or "").lower().startswith(("javascript:", "data:", "vbscript:")), (tag, value)


def test_hostile_text_reaches_the_page_only_as_text(pages):
    page = pages["cases/hostile-script-injection.md"]
    front_matter, body = page.split("---", 2)[1:]
    assert_inert(body)
    meta = yaml.safe_load(front_matter)
    # Material prints title and description unescaped, and jsonld goes inside <script>.
    for key in ("title", "description", "jsonld"):
        assert "<" not in meta[key] and ">" not in meta[key], key
    assert "&lt;script&gt;" in body  # shown, as text


def test_every_vocabulary_term_has_a_browse_page_with_its_definition(pages):
    assert "Council and social housing" in pages["themes/housing.md"]
    assert pages["themes/index.md"].count("<dt>") == 18
    assert "Level 3: causal impact" in pages["evidence/3.md"]


def test_councils_are_grouped_by_region_then_type(pages):
    councils = pages["councils/index.md"]
    assert councils.index('id="region-north-east"') < councils.index('id="region-london"')
    # one entry per register code, under the register's name, linking to the council's page
    assert '<dt id="council-e09000007"><a href="../councils/e09000007/">Camden</a>' in councils
    assert 'id="london-borough-of-camden"' not in councils


def test_case_pages_are_not_in_the_navigation():
    import yaml

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    nav = repr(config["nav"])
    assert "cases/" not in nav


def _newest_ids(home):
    newest = home.split("## Newest cases", 1)[1].split("## Recently reviewed", 1)[0]
    return re.findall(r'href="catalogue/cases/([a-z0-9-]+)/"', newest)


def _three_cases(folder, minimal):
    """Three cases whose start years and review dates order them differently from when they were added."""
    for case_id, started, reviewed in (
        ("case-added-first", 2015, "2026-06-01"),
        ("case-added-second", 2022, "2025-01-01"),
        ("case-added-third", 2018, "2026-03-01"),
    ):
        data = {**minimal, "id": case_id, "title": f"The case {case_id}", "year_started": started}
        data["last_reviewed"] = reviewed
        write_case(folder, data)


def _git(folder, *args, day=None):
    import os
    import subprocess

    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    if day:
        env.update(GIT_AUTHOR_DATE=f"{day}T12:00:00+00:00", GIT_COMMITTER_DATE=f"{day}T12:00:00+00:00")
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=folder,
        env=env,
        check=True,
        capture_output=True,
    )


def test_newest_cases_are_those_most_recently_added_to_git(tmp_path, minimal):
    from generator.core.history import added_dates

    repo = tmp_path / "repo"
    cases = repo / "cases"
    cases.mkdir(parents=True)
    _three_cases(cases, minimal)
    _git(repo, "init", "-q")
    _git(repo, "add", "cases/case-added-first.yaml")
    _git(repo, "commit", "-q", "-m", "first", day="2024-02-01")
    _git(repo, "add", "cases/case-added-second.yaml")
    _git(repo, "commit", "-q", "-m", "second", day="2025-03-01")
    # case-added-third is not committed yet: its last_reviewed date (2026-03-01) stands in
    catalogue = check(cases)
    added = added_dates(catalogue, cases)
    assert {k: v.date for k, v in added.items()} == {
        "case-added-first": "2024-02-01",
        "case-added-second": "2025-03-01",
        "case-added-third": "2026-03-01",
    }
    home = render_pages(catalogue, CONFIG_WITH_REPO, added)["_home.md"]
    assert _newest_ids(home) == ["case-added-third", "case-added-second", "case-added-first"]
    assert 'added <time datetime="2025-03-01">1 March 2025</time>' in home


def test_cases_added_on_the_same_day_are_newest_by_commit_order(tmp_path, minimal):
    from generator.core.history import added_dates

    cases = tmp_path / "cases"
    cases.mkdir()
    _three_cases(cases, minimal)
    _git(tmp_path, "init", "-q")
    for case_id in ("case-added-second", "case-added-third", "case-added-first"):
        _git(tmp_path, "add", f"cases/{case_id}.yaml")
        _git(tmp_path, "commit", "-q", "-m", case_id, day="2025-05-05")
    catalogue = check(cases)
    home = render_pages(catalogue, CONFIG_WITH_REPO, added_dates(catalogue, cases))["_home.md"]
    assert _newest_ids(home) == ["case-added-first", "case-added-third", "case-added-second"]


def test_without_git_history_the_newest_cases_are_the_last_reviewed(tmp_path, minimal):
    from generator.core.history import added_dates

    cases = tmp_path / "cases"  # a plain folder, as in a tarball: no git history
    cases.mkdir()
    _three_cases(cases, minimal)
    catalogue = check(cases)
    home = render_pages(catalogue, CONFIG_WITH_REPO, added_dates(catalogue, cases))["_home.md"]
    assert _newest_ids(home) == ["case-added-first", "case-added-third", "case-added-second"]
    assert _newest_ids(render_pages(catalogue, CONFIG_WITH_REPO)["_home.md"]) == _newest_ids(home)


def test_the_home_page_headings_are_markdown_so_the_table_of_contents_lists_them(pages):
    home = pages["_home.md"]
    for heading in ("The catalogue at a glance", "Where the cases are", "Newest cases", "Recently reviewed"):
        assert f"\n## {heading}\n" in home
    assert "<h2" not in home


def test_the_browse_section_has_its_own_page_so_themes_is_listed_under_it(pages):
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    browse = next(item["Browse"] for item in config["nav"] if isinstance(item, dict) and "Browse" in item)
    assert browse[0] == "catalogue/browse/index.md"
    assert {"Themes": "catalogue/themes/index.md"} in browse[1:]
    page = pages["browse/index.md"]
    for folder in ("themes", "techniques", "councils", "regions", "status", "evidence", "prerequisites"):
        assert f'href="../{folder}/"' in page, folder


def test_each_chart_row_is_one_link_holding_its_label_bar_and_count(pages):
    home = pages["_home.md"]
    assert "<svg" not in home.split("## Where the cases are")[0]  # the charts are HTML; the map after them is SVG
    rows = re.findall(r'<a class="cb-bars__row" href="catalogue/\?theme=[a-z-]+">(.*?)</a>', home)
    assert len(rows) >= 10
    assert all("cb-bars__label" in r and "cb-bars__bar" in r and "cb-bars__count" in r for r in rows)


@pytest.fixture(scope="module")
def with_hostile():
    catalogue = load_catalogue([ROOT / "cases", *HOSTILE_CASES], today=TODAY)
    assert catalogue.errors == []
    return catalogue, render_pages(catalogue, CONFIG_WITH_REPO)


def _council_keys(case):
    return {
        (c["gss_code"].lower() if c.get("gss_code") else f"name:{plain_name(c['name']).casefold()}")
        for c in case["councils"]
    }


def test_catalogue_data_gives_each_case_its_council_codes(with_hostile):
    catalogue, pages = with_hostile
    data = json.loads(pages["catalogue-data.json"])
    keys = data["facets"]["council"]
    assert len(keys) == len(set(keys))
    rows = {case_id: coded for case_id, coded in data["rows"]}
    assert set(rows) == {c.id for c in catalogue.cases}
    for case in catalogue.cases:
        assert {keys[i] for i in rows[case.id]["council"]} == _council_keys(case), case.id
    assert {keys[i] for i in rows["barking-dagenham-one-view"]["council"]} == {"e09000002"}
    assert "e09000007" in {keys[i] for i in rows["hostile-script-injection"]["council"]}
    assert all(values for coded in rows.values() for values in coded.values())  # no empty lists sent
    assert "evaluation" not in rows["barking-dagenham-one-view"]


def test_catalogue_lists_each_council_once_with_its_cases_by_name(with_hostile):
    catalogue, pages = with_hostile
    page = pages["index.md"]
    select = re.search(r'<select id="f-council" name="council">(.*?)</select>', page, re.S)
    assert select, "the catalogue has one list of councils"
    options = re.findall(r'<option value="([^"]+)" data-label="([^"]*)">([^<]*) \((\d+)\)</option>', select.group(1))
    counts: dict[str, int] = {}
    for case in catalogue.cases:
        for key in _council_keys(case):
            counts[key] = counts.get(key, 0) + 1
    found = {unescape(value): int(n) for value, _, _, n in options}
    assert len(found) == len(options) == len(counts)
    assert found == counts
    labels = [unescape(label) for _, label, _, _ in options]
    assert labels == sorted(labels, key=lambda name: name.casefold())
    camden = next(option for option in options if option[0] == "e09000007")
    assert camden[1] == "Camden"  # the register's name, not the hostile case's
    assert 'onerror=alert("council")' not in select.group(1)
    assert "&lt;Council&gt;" in select.group(1) and "<Council>" not in select.group(1)
    assert select.group(1).startswith('\n<option value="">Choose a council</option>')


def test_the_finder_shows_each_fact_at_a_glance_and_says_not_reported_when_a_case_lacks_it(minimal):
    from generator.core.catalogue import Case
    from generator.site.pages.finder import glance

    data = copy.deepcopy(minimal)
    data["replication"].pop("effort", None)
    data["impact"] = {**data["impact"], "evidence_level": 1}
    data["impact"].pop("evaluation", None)
    facts = {g.label: (g.text, g.reported) for g in glance(Case(data["id"], "x.yaml", data))}
    assert facts == {
        "Evidence": ("Level 1, described", True),
        "Set-up cost": ("not reported", False),
        "First result": ("not reported", False),
        "Status": (vocabularies()["status"].label(data["status"]), True),
    }
    data["replication"]["effort"] = {"cost": "10k-50k", "time_to_first_result": "3-6-months"}
    data["impact"]["evaluation"] = {"design": "randomised-trial", "result": "null"}
    facts = {g.label: g.text for g in glance(Case(data["id"], "x.yaml", data))}
    assert facts["Evidence"] == "Level 1, described (randomised trial, no effect found)"
    assert facts["Set-up cost"] == "£10,000 to £50,000" and facts["First result"] == "3 to 6 months"
    data["impact"]["evaluation"] = {"design": "none"}
    assert glance(Case(data["id"], "x.yaml", data))[0].text == "Level 1, described"


@pytest.mark.parametrize(
    ("value", "text"),
    [("2026-12-01", "1 December 2026"), ("2016-11", "November 2016"), ("2014", "2014"), ("2026-13", "2026-13"),
     ("n.d.", "n.d."), ("2026-02-05", "5 February 2026")],
)  # fmt: skip
def test_dates_read_as_people_write_them_and_keep_the_iso_form_for_machines(value, text):
    from generator.site.pages.common import long_date, time_tag

    assert long_date(value) == text
    tag = str(time_tag(value))
    assert tag == (f'<time datetime="{value}">{text}</time>' if text != value else value)


def test_no_iso_date_is_left_in_a_case_pages_text(minimal):
    """People read dates as "5 December 2026"; the ISO form stays only in <time datetime> and BibTeX."""
    from generator.core.catalogue import Case, Catalogue
    from generator.site.pages.case import case_page

    from helpers import CONFIG

    data = copy.deepcopy(minimal)
    data["sources"][0]["published"] = "2016-11"
    data["last_reviewed"] = str(data["last_reviewed"])  # as loaded from a file
    case = Case(data["id"], "x.yaml", data)
    page = case_page(case, Catalogue(cases=[case], problems=[], files=[]), CONFIG)
    text = re.sub(r"<time [^>]*>|<pre class=\"cb-bibtex\">.*?</pre>|^---.*?---", "", page, flags=re.S)
    assert re.findall(r"\b(?:19|20)\d\d-\d\d(?:-\d\d)?\b(?![^<]*</time>)", text) == []
