"""Generate the site's Markdown pages from a validated catalogue.

:func:`render_pages` is pure: catalogue in, ``{relative path: text}`` out. The
pages are plain Markdown with front matter; the values from case files are
escaped by Jinja2's HTML autoescaping (the pages embed HTML blocks), Markdown
fields are pre-rendered by :func:`generator.render.markdown_html`, and the few
values that land in Markdown syntax (headings) pass the ``md`` filter.
"""

from __future__ import annotations

import json
import posixpath
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from slugify import slugify

from . import render
from .catalogue import Case, Catalogue
from .config import FOLDER, SiteConfig
from .facets import BROWSE_FACETS, FACETS, FACETS_BY_NAME, Facet
from .form import form_spec, register_names, spec_json
from .hexmap import Counts, count_cases, current_districts, render_hexmap
from .history import Added
from .register import Council, council_ref, hex_layout, lookup, name_forms, page_path, spoken_name
from .schema import Term, case_schema, constraints_in_words, iter_fields, vocabularies
from .tables import build_tables, data_dictionary


@cache
def _licence_urls() -> dict[str, str]:
    return {str(k): str(v) for k, v in case_schema()["properties"]["licence"]["x-licence-urls"].items()}


def _licence_url(licence: str) -> str:
    return _licence_urls()[licence]


def _label(vocab: str, term: Any) -> str:
    return vocabularies()[vocab].label(term)


def _definition(vocab: str, term: Any) -> str:
    found = vocabularies()[vocab].term(term)
    return found.definition if found else ""


def _cite(number: int) -> Markup:
    """A reference to the case's source ``number``, as ``[2]`` linking to it in the sources list."""
    return Markup('<a class="cb-cite" href="#source-{0}" aria-label="source {0}">[{0}]</a>').format(number)


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("generator", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters.update(md=render.md_escape, slug=slugify, vocab_label=lambda term, vocab: _label(vocab, term))
    env.globals.update(
        label=_label,
        definition=_definition,
        markdown=render.markdown_html,
        value=render.format_value,
        facet=lambda data, name: FACETS_BY_NAME[name].values(data),
        cite=_cite,
        rank=lambda vocab, term: vocabularies()[vocab].ids().index(term),
        council_path=_council_path,
        council_anchor=lambda council: council_ref(council).anchor,
    )
    return env


def _council_path(code: str | None) -> str | None:
    """The site path of the page of the council with register code ``code``; None without one."""
    return page_path(code) if code and lookup(code) is not None else None


def _linker(page: str) -> Callable[..., str]:
    """Relative links from the page at ``page`` (inside the generated folder)."""
    is_index = posixpath.basename(page) == "index.md"
    base = "../" * (page.count("/") + (not is_index))

    def link(path: str, anchor: str | None = None) -> str:
        return base + path + (f"#{anchor}" if anchor else "")

    return link


def _home_linker() -> Callable[..., str]:
    """Links from the home page (docs/index.md, outside the generated folder) into it."""

    def link(path: str, anchor: str | None = None) -> str:
        return f"{FOLDER}/" + path + (f"#{anchor}" if anchor else "")

    return link


def _render(template: str, page: str, meta: dict[str, Any], **context: Any) -> str:
    """A page: its front matter from ``meta``, then its template rendered with ``context``."""
    body = _environment().get_template(template).render(link=_linker(page), **context)
    return render.front_matter(meta) + body


def _meta(title: str, description: str, **more: Any) -> dict[str, Any]:
    """Page metadata: title and description escaped for the theme, which prints them as they are."""
    return {"title": render.page_text(title), "description": render.page_text(description), **more}


def _citation(case: Case, config: SiteConfig) -> tuple[str, str]:
    url = config.case_url(case.id)
    councils = "; ".join(c["name"] for c in case["councils"])
    year = str(case["last_reviewed"])[:4]
    text = f"{councils}. {case.title}. {config.site_name}, last reviewed {case['last_reviewed']}. {url}"
    bib = render.bibtex_escape
    bibtex = "\n".join(
        [
            f"@misc{{casebook-{case.id},",
            f"  title = {{{bib(case.title)}}},",
            f"  author = {{{{{bib(config.site_name)}}}}},",
            f"  year = {{{year}}},",
            f"  note = {{Case study of {bib(councils)}; last reviewed {case['last_reviewed']}}},",
            f"  url = {{{url}}}",
            "}",
        ]
    )
    return text, bibtex


def _jsonld(case: Case, config: SiteConfig) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": case.title,
        "description": case["summary"],
        "url": config.case_url(case.id),
        "dateModified": case["last_reviewed"],
        "license": _licence_url(case.licence),
        "about": [_label("themes", t) for t in case["themes"]],
        "spatialCoverage": [{"@type": "Place", "name": c["name"]} for c in case["councils"]],
        "publisher": {"@type": "Organization", "name": config.site_name},
    }


def case_page(case: Case, catalogue: Catalogue, config: SiteConfig) -> str:
    """The Markdown of one case's page."""
    citation, bibtex = _citation(case, config)
    name, url = _label("licences", case.licence), _licence_url(case.licence)
    meta = _meta(
        case.title,
        case["summary"],
        og_type="article",
        og_title=case.title,
        og_description=case["summary"],
        jsonld=render.script_json(_jsonld(case, config)),
    )
    return _render(
        "case.md.j2",
        f"cases/{case.id}.md",
        meta,
        case=case.data,
        related=[r.data for r in catalogue.related(case.id)],
        case_title=lambda case_id: getattr(catalogue.get(case_id), "title", ""),
        citation=citation,
        bibtex=bibtex,
        licence_name=name,
        licence_url=url,
        edit_url=config.edit_url(case.id),
    )


def search_documents(catalogue: Catalogue) -> dict[str, str]:
    """What the search engine indexes for each case and each council page, keyed by the page's path in the site."""
    template = _environment().get_template("search_doc.html.j2")
    documents = {f"{FOLDER}/cases/{case.id}/index.html": template.render(case=case.data) for case in catalogue.cases}
    council_template = _environment().get_template("search_council.html.j2")
    for code, cases in council_cases(catalogue).items():
        council = councils_by_code(code)
        documents[f"{FOLDER}/{page_path(code)}index.html"] = council_template.render(
            council=council,
            description=council_description(council, len(cases)),
            forms=name_forms(council),
            cases=[c.data for c in cases],
        )
    return documents


def councils_by_code(code: str) -> Council:
    """The register's row for a code :func:`council_cases` gave (it is in the register)."""
    council = lookup(code)
    assert council is not None, code
    return council


def council_cases(catalogue: Catalogue) -> dict[str, list[Case]]:
    """The cases naming each council that has a register code, by code, in code order.

    A case naming a council that has since ended counts for the councils of the map that
    replaced it too (Allerdale's for Cumberland), as it does on the map, so every hexagon
    with cases leads to a page listing them."""
    found: dict[str, list[Case]] = defaultdict(list)
    layout = hex_layout()
    for case in catalogue.cases:
        named = [code for code in dict.fromkeys(c.get("gss_code") for c in case["councils"]) if code and lookup(code)]
        successors = [d for code in named if code not in layout for d in current_districts(code, layout)]
        for code in dict.fromkeys([*named, *successors]):
            found[code].append(case)
    return dict(sorted(found.items()))


_PROPER_LABELS = ("London", "Greater", "Welsh", "Scottish", "Northern")


def _kind(council: Council) -> str:
    """The council's type in a sentence ("a London borough", "a county council")."""
    words = _label("council_types", council.type)
    if not words.startswith(_PROPER_LABELS):
        words = words[:1].lower() + words[1:]
    return ("an " if words[:1].lower() in "aeio" else "a ") + words


def _where(council: Council) -> str:
    """Where the council is, in a sentence: "in London", or "in several regions" for a body across regions."""
    region = _label("regions", council.region)
    return "in several regions" if council.region == "multiple" else f"in {region}"


def council_description(council: Council, cases: int) -> str:
    """A council page's description: "2 cases from Camden, a London borough in London."."""
    count = f"{cases} case" + ("" if cases == 1 else "s")
    return f"{count} from {spoken_name(council)}, {_kind(council)} {_where(council)}."


def _council_page(
    council: Council, cases: list[Case], coded: Mapping[str, list[Case]], items: Mapping[str, Markup]
) -> str:
    """The Markdown of one council's page: what the register says of it, its cases and its neighbours."""
    page = page_path(council.code) + "index.md"
    successors = [
        (found.name if (found := lookup(code)) else code, page_path(code) if code in coded else None)
        for code in council.replaced_by
    ]
    neighbours = sorted(
        (
            (other.name, page_path(other.code))
            for code in coded
            if code != council.code and (other := councils_by_code(code)).region == council.region
        ),
        key=lambda pair: pair[0].casefold(),
    )
    meta = _meta(council.name, council_description(council, len(cases)))
    return _render(
        "council.md.j2",
        page,
        meta,
        council=council,
        successors=successors,
        items=[items[c.id] for c in cases],
        neighbours=neighbours,
        where=_where(council),
    )


def council_pages(catalogue: Catalogue) -> dict[str, str]:
    """A page for each council with cases that has a register code, at ``page_path(code) + "index.md"``."""
    coded = council_cases(catalogue)
    items = _case_items(catalogue.cases, _linker("councils/code/index.md"))  # every council page is as deep
    return {
        page_path(code) + "index.md": _council_page(councils_by_code(code), cases, coded, items)
        for code, cases in coded.items()
    }


def _terms(facet: Facet, catalogue: Catalogue) -> list[tuple[Term, list[Case]]]:
    index = catalogue.index(facet.name)
    vocab = vocabularies()[facet.vocabulary or ""]
    return [(term, index.get(term.id, [])) for term in vocab.terms]


def _case_items(cases: list[Case], link: Callable[..., str], added: dict[str, str] | None = None) -> dict[str, Markup]:
    """Each case's list item for browse pages, rendered once with ``link`` (with the date added, if given)."""
    template = _environment().get_template("_case_item.html.j2")
    return {c.id: Markup(template.render(link=link, c=c.data, added=(added or {}).get(c.id))) for c in cases}


def _browse_lists(catalogue: Catalogue) -> list[tuple[str, str, list[str], str]]:
    """The Browse page's lists: (title, folder, labels of the terms with cases, what the count counts)."""
    lists = []
    for facet in BROWSE_FACETS:
        labels = [term.label for term, cases in _terms(facet, catalogue) if cases]
        lists.append((facet.title, facet.path or "", labels, "in use"))
        if facet.name == "technique":
            lists.append(("Councils", "councils", _council_names(catalogue), "councils"))
    return lists


@dataclass(frozen=True)
class CouncilEntry:
    """One council of the councils index: the register's name and page when the cases give its code."""

    name: str
    code: str | None
    path: str | None  # its page, for a council with a register code
    anchor: str  # its entry's id on the councils page
    key: str  # what the catalogue filters it by


def _councils(catalogue: Catalogue) -> list[tuple[Term, list[tuple[Term, list[tuple[CouncilEntry, list[Any]]]]]]]:
    """Councils grouped by region, then type, each with its cases; one entry per register code (or per
    name, for a council the cases give no code for), with the register's name, type and region."""
    grouped: dict[Any, dict[Any, dict[str, tuple[CouncilEntry, list[dict[str, Any]]]]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for case in catalogue.cases:
        for council in case["councils"]:
            ref = council_ref(council)
            found = lookup(ref.code) if ref.code else None
            path = page_path(found.code) if found else None
            entry = CouncilEntry(ref.name, ref.code, path, ref.anchor, ref.key)
            region, ctype = (found.region, found.type) if found else (council["region"], council["type"])
            cases = grouped[region][ctype].setdefault(ref.key, (entry, []))[1]
            if case.data not in cases:
                cases.append(case.data)
    vocab = vocabularies()
    return [
        (
            region,
            [
                (
                    ctype,
                    sorted(grouped[region.id][ctype.id].values(), key=lambda e: (e[0].name.casefold(), e[0].anchor)),
                )
                for ctype in vocab["council_types"].terms
                if ctype.id in grouped[region.id]
            ],
        )
        for region in vocab["regions"].terms
        if region.id in grouped
    ]


def _council_names(catalogue: Catalogue) -> list[str]:
    """The councils of the councils index by name, alphabetically: one per register code (or per name,
    for a council without a code), so two spellings of one council count once."""
    entries = [entry for _, types in _councils(catalogue) for _, councils in types for entry, _ in councils]
    return sorted((entry.name for entry in entries), key=str.casefold)


def _format_vocabularies() -> set[str]:
    """The vocabularies the case format's fields use (not those only the site derives, such as personal data)."""
    return {f.vocabulary for f in iter_fields() if f.vocabulary}


def _field_rows() -> list[dict[str, Any]]:
    rows = []
    for field in iter_fields():
        node = field.schema
        kind = node.get("type", "object")
        kind = " or ".join(kind) if isinstance(kind, list) else kind
        if field.markdown:
            kind = "markdown text"
        rows.append(
            {
                "path": field.path,
                "title": field.title,
                "description": field.description,
                "type": kind,
                "required": field.required,
                "rule": "; ".join(constraints_in_words(field)),
            }
        )
    return rows


@dataclass(frozen=True)
class FilterFacet:
    name: str
    title: str
    one: str  # one value's kind, for "Remove filter: Theme Housing"
    terms: list[tuple[Term, int]]  # each term with its number of cases
    choose: bool = False  # one value from a list (councils: too many for a box each)


def council_key(council: Mapping[str, Any]) -> str:
    """What the catalogue filters a case's council by: its code in lower case (as in
    ``?council=e09000007`` and ``councils/e09000007/``), or ``name:`` and its folded name when
    it has no code, which no code can equal."""
    return council_ref(council).key


def council_name(council: Mapping[str, Any]) -> str:
    """A council's register name when the case gives a code the register knows; the case's name otherwise."""
    return council_ref(council).name


def case_council_keys(case: Case) -> list[str]:
    return list(dict.fromkeys(council_key(c) for c in case["councils"]))


def council_terms(catalogue: Catalogue) -> list[tuple[Term, int]]:
    """Every council of the catalogue once, with its number of cases, sorted by name."""
    names: dict[str, str] = {}
    counts: dict[str, int] = defaultdict(int)
    for case in catalogue.cases:
        for council in case["councils"]:
            names.setdefault(council_key(council), council_name(council))
        for key in case_council_keys(case):
            counts[key] += 1
    order = sorted(names, key=lambda key: (names[key].casefold(), key))
    return [(Term(key, names[key], ""), counts[key]) for key in order]


def _filter_facets(catalogue: Catalogue) -> list[FilterFacet]:
    """The catalogue view's filters: every facet with terms, each with its number of cases (none left out)."""
    facets = []
    for facet in FACETS:
        if facet.vocabulary is None:  # councils: one list to choose from, by register code
            facets.append(FilterFacet(facet.name, facet.title, facet.one, council_terms(catalogue), choose=True))
            continue
        index = catalogue.index(facet.name)
        terms = [(t, len(index[t.id])) for t in vocabularies()[facet.vocabulary].terms if t.id in index]
        facets.append(FilterFacet(facet.name, facet.title, facet.one, terms))
    return facets


def catalogue_data(catalogue: Catalogue) -> str:
    """The compact facet index the catalogue view filters with (no text: that is in the table).

    Councils are keyed by :func:`council_key`; each case lists the positions of its councils' keys.
    A facet a case has no value for is left out of its row (it adds up at thousands of cases)."""
    terms: dict[str, list[Any]] = {f.name: f.terms() or [] for f in FACETS if f.vocabulary}
    terms["council"] = [term.id for term, _ in council_terms(catalogue)]
    position = {name: {term: i for i, term in enumerate(values)} for name, values in terms.items()}
    rows = []
    for case in catalogue.cases:
        coded = {name: [position[name][v] for v in case.facet_values(name)] for name in terms if name != "council"}
        coded["council"] = [position["council"][key] for key in case_council_keys(case)]
        rows.append([case.id, {name: values for name, values in coded.items() if values}])
    return json.dumps({"facets": terms, "rows": rows}, separators=(",", ":"), ensure_ascii=False) + "\n"


CHARTS = (
    ("theme", "Cases by theme", "Theme", None),
    ("region", "Cases by region", "Region", None),
    ("technique", "Cases by technique", "Technique", None),
    ("evidence", "Cases by evidence level", "Evidence level", None),
    ("evaluation", "Cases by evaluation design", "Evaluation design", None),
    ("challenge", "The most common challenges", "Challenge", 8),
    ("success-factor", "The most common success factors", "Success factor", 8),
)


def _charts(catalogue: Catalogue) -> list[Markup]:
    """The home page's bar charts, each bar linking to the catalogue filtered by it."""
    template = _environment().get_template("_chart.html.j2")
    charts = []
    for name, title, column, top in CHARTS:
        facet = FACETS_BY_NAME[name]
        index = catalogue.index(name)
        terms = vocabularies()[facet.vocabulary or ""].terms
        counted = [(t, len(index.get(t.id, []))) for t in terms if index.get(t.id)]
        if top:
            counted = sorted(counted, key=lambda pair: -pair[1])[:top]
        largest = max((n for _, n in counted), default=1)
        bars = [
            {"label": t.label, "count": n, "width": round(85 * n / largest), "href": f"{FOLDER}/?{name}={t.id}"}
            for t, n in counted
        ]
        chart = {"id": name, "title": title, "column": column}
        charts.append(Markup(template.render(chart=chart, bars=bars)))
    return charts


def map_counts(catalogue: Catalogue) -> Counts:
    """Cases per district of the hex layout, from the codes of each case's councils."""
    coded = [
        [(ref.code, ref.name) for c in case["councils"] if (ref := council_ref(c)).code] for case in catalogue.cases
    ]
    return count_cases(coded, hex_layout())


def hexmap_html(counts: Counts, link: Callable[..., str], compact: bool = False) -> Markup:
    """The hex map, its hexes linking to council pages with ``link``."""
    layout = hex_layout()
    names = {code: council.name for code in layout if (council := lookup(code)) is not None}
    return Markup(render_hexmap(layout, counts, names, lambda code: link(page_path(code)), compact=compact))


@dataclass
class MapRegion:
    """One row of the map page's table: a region's councils with cases, and its coverage."""

    region: Term
    councils: list[tuple[str, str | None, int]]  # name, page path (None without a code), cases
    cases: int
    districts: int  # the region's district-level councils in the hex layout
    with_own: int  # of them, with a case naming them
    with_any: int  # of them, with a case naming them or an upper-tier body covering them


def map_regions(catalogue: Catalogue, counts: Counts) -> list[MapRegion]:
    """Each region's councils with cases, its number of cases and how many of its councils have one."""
    councils: dict[str, dict[str, tuple[str, set[str], str | None]]] = defaultdict(dict)
    cases: dict[str, set[str]] = defaultdict(set)
    for case in catalogue.cases:
        for council in case["councils"]:
            ref = council_ref(council)
            found = lookup(ref.code) if ref.code else None
            region = found.region if found else council["region"]
            entry = councils[region].setdefault(ref.key, (ref.name, set(), page_path(found.code) if found else None))
            entry[1].add(case.id)
            cases[region].add(case.id)
    districts: dict[str, list[str]] = defaultdict(list)
    for code in hex_layout():
        if (found := lookup(code)) is not None:
            districts[found.region].append(code)
    rows = []
    for region in vocabularies()["regions"].terms:
        rid = str(region.id)
        own = [d for d in districts[rid] if counts.own.get(d)]
        covered = [d for d in districts[rid] if counts.own.get(d) or counts.upper.get(d)]
        if not cases[rid] and not districts[rid]:
            continue
        listed = sorted(
            ((name, path, len(ids)) for name, ids, path in councils[rid].values()),
            key=lambda row: row[0].casefold(),
        )
        rows.append(MapRegion(region, listed, len(cases[rid]), len(districts[rid]), len(own), len(covered)))
    return rows


def form_page(config: SiteConfig, schema: dict[str, Any] | None = None) -> str:
    """The "Propose a case" form (included into docs/propose.md), from the schema."""
    spec = form_spec(schema)
    repo = config.repo_url.rstrip("/")
    return (
        _environment()
        .get_template("_form.html.j2")
        .render(
            spec=spec,
            spec_json=spec_json(spec),
            councils_json=spec_json(register_names()),
            schema_url="../schema/case-v1.json",
            ids_url=f"../{FOLDER}/catalogue-data.json",
            repo_url=repo,
            new_file_uri=config.new_file_uri.strip("/"),
            issue_url=f"{repo}/issues/new?template=propose-case.yml" if repo else "",
        )
    )


def _data_dictionary_page(config: SiteConfig) -> str:
    text = data_dictionary(build_tables(config))
    meta = _meta("Data dictionary", "Every column of every table in the data downloads.")
    return render.front_matter(meta) + text + "\n"


def newest_cases(catalogue: Catalogue, added: Mapping[str, Added] | None = None, count: int = 6) -> list[Case]:
    """The cases most recently added to the catalogue (see :func:`generator.history.added_dates`)."""
    dates = added or {}

    def when(case: Case) -> tuple[str, int, str]:
        day, age = dates.get(case.id) or Added(str(case["last_reviewed"]), -1)
        return (day, -age, case.id)

    return sorted(catalogue.cases, key=when, reverse=True)[:count]


def render_pages(catalogue: Catalogue, config: SiteConfig, added: Mapping[str, Added] | None = None) -> dict[str, str]:
    """Every generated page, keyed by its path inside ``docs/catalogue/``.

    ``added`` gives each case's date of joining the catalogue (see
    :mod:`generator.history`), for the home page's newest cases.
    """
    pages: dict[str, str] = {}
    for case in catalogue.cases:
        pages[f"cases/{case.id}.md"] = case_page(case, catalogue, config)
    items = _case_items(catalogue.cases, _linker("facet/term.md"))  # every term page is two folders deep
    for facet in BROWSE_FACETS:
        terms = _terms(facet, catalogue)
        meta = _meta(facet.title, f"Browse the cases by {facet.title.lower()}.")
        pages[f"{facet.path}/index.md"] = _render(
            "facet_index.md.j2", f"{facet.path}/index.md", meta, facet=facet, terms=terms
        )
        for term, cases in terms:
            page = f"{facet.path}/{term.id}.md"
            meta = _meta(f"{facet.title}: {term.label}", term.definition)
            pages[page] = _render("term.md.j2", page, meta, facet=facet, term=term, items=[items[c.id] for c in cases])
    meta = _meta("Councils", "Every council in the catalogue, by region and type, with its cases.")
    pages["councils/index.md"] = _render("councils.md.j2", "councils/index.md", meta, regions=_councils(catalogue))
    pages.update(council_pages(catalogue))
    meta = _meta("Browse", "Browse the cases by theme, technique, council, region and more.")
    pages["browse/index.md"] = _render("browse.md.j2", "browse/index.md", meta, lists=_browse_lists(catalogue))
    meta = _meta(
        "Catalogue",
        "Every case in the Council Data Casebook in one table, with filters you can share as a link.",
        hide=["navigation", "toc"],
    )
    pages["index.md"] = _render(
        "catalogue.md.j2",
        "index.md",
        meta,
        cases=[c.data for c in catalogue.cases],
        facets=_filter_facets(catalogue),
        downloads="../data/",
    )
    counts = map_counts(catalogue)
    meta = _meta("Map", "Where the catalogue's cases are: a hex map of UK councils, and its figures by region.")
    pages["map/index.md"] = _render(
        "map.md.j2",
        "map/index.md",
        meta,
        hexmap=hexmap_html(counts, _linker("map/index.md")),
        regions=map_regions(catalogue, counts),
        uncoded=sum(1 for c in catalogue.cases if not any(x.get("gss_code") for x in c["councils"])),
    )
    pages["catalogue-data.json"] = catalogue_data(catalogue)
    pages["data-dictionary.md"] = _data_dictionary_page(config)
    newest = newest_cases(catalogue, added)
    days = {c.id: (added[c.id].date if added and c.id in added else str(c["last_reviewed"])) for c in newest}
    reviewed = sorted(catalogue.cases, key=lambda c: (c["last_reviewed"], c.id), reverse=True)[:6]
    home_link = _home_linker()
    pages["_home.md"] = (
        _environment()
        .get_template("_home.md.j2")
        .render(
            link=home_link,
            charts=_charts(catalogue),
            hexmap=hexmap_html(counts, home_link, compact=True),
            newest=list(_case_items(newest, home_link, days).values()),
            reviewed=[c.data for c in reviewed],
            total=len(catalogue),
            councils=len(_council_names(catalogue)),
            regions=len(set(catalogue.index("region")) - {"multiple"}),
        )
    )
    pages["_form.md"] = form_page(config)
    pages["_format.md"] = (
        _environment()
        .get_template("_format.md.j2")
        .render(
            fields=_field_rows(),
            vocabularies=[v for v in vocabularies().values() if v.name in _format_vocabularies()],
        )
    )
    return pages
