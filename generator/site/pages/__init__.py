"""Generate the site's Markdown pages from a validated catalogue.

:func:`render_pages` is pure: catalogue in, ``{relative path: text}`` out. The
pages are plain Markdown with front matter; the values from case files are
escaped by Jinja2's HTML autoescaping (the pages embed HTML blocks), Markdown
fields are pre-rendered by :func:`generator.site.render.markdown_html`, and the few
values that land in Markdown syntax (headings) pass the ``md`` filter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...core.catalogue import Catalogue
from ...core.facets import BROWSE_FACETS
from ...core.history import Added
from ...core.project import SiteConfig
from ...core.schema import vocabularies
from ...exports.tables import WORKBOOK
from .browse import browse_lists, facet_terms
from .case import case_page
from .common import case_items, environment, home_linker, linker, page_meta, render_page
from .councils import council_cases, council_names, council_pages, councils_index
from .finder import catalogue_data, filter_facets, finder_results
from .home import FEED, charts, feed_xml, newest_cases
from .map import hexmap_html, map_counts, map_regions
from .reference import data_dictionary_page, field_rows, form_page, format_vocabularies
from .search import search_documents


@dataclass(frozen=True)
class Selection:
    """Which of the pages that depend on particular cases to render: ``None`` for all of them.

    The pages of the whole catalogue (the catalogue, the map, the home page, the councils
    and browse indexes) are always rendered; :func:`touched` works out which case, term
    and council pages an edit changed.
    """

    cases: frozenset[str] | None = None  # case ids
    terms: frozenset[tuple[str, Any]] | None = None  # (facet name, term) of browse pages
    councils: frozenset[str] | None = None  # register codes of council pages


def touched(before: Catalogue, after: Catalogue) -> Selection:
    """The case, term and council pages whose text an edit from ``before`` to ``after`` can change."""
    old = {case.id: case for case in before.cases}
    new = {case.id: case for case in after.cases}
    changed = {i for i in old.keys() | new.keys() if (old.get(i) and old[i].data) != (new.get(i) and new[i].data)}
    cases = set(changed)
    for catalogue in (before, after):  # pages that show a changed case's title: related, adopted by
        for case in catalogue.cases:
            if changed & set(case.get("related", [])) or changed & set(case["replication"].get("adopted_by", [])):
                cases.add(case.id)
        for case_id in changed:
            cases.update(r.id for r in catalogue.related(case_id))
    terms = {
        (facet.name, value)
        for case in (c for i in changed for c in (old.get(i), new.get(i)) if c is not None)
        for facet in BROWSE_FACETS
        for value in case.facet_values(facet.name)
    }
    councils = {
        code
        for catalogue in (before, after)
        for code, cs in council_cases(catalogue).items()
        if changed & {c.id for c in cs}
    }
    return Selection(frozenset(cases), frozenset(terms), frozenset(councils))


def render_pages(
    catalogue: Catalogue, config: SiteConfig, added: Mapping[str, Added] | None = None, only: Selection | None = None
) -> dict[str, str]:
    """Every generated page, keyed by its path inside ``docs/catalogue/`` (or those ``only`` selects).

    ``added`` gives each case's date of joining the catalogue (see
    :mod:`generator.core.history`), for the home page's newest cases.
    """
    only = only or Selection()
    pages: dict[str, str] = {}
    for case in catalogue.cases:
        if only.cases is None or case.id in only.cases:
            pages[f"cases/{case.id}.md"] = case_page(case, catalogue, config)
    items = case_items(catalogue.cases, linker("facet/term.md"))  # every term page is two folders deep
    for facet in BROWSE_FACETS:
        terms = facet_terms(facet, catalogue)
        meta = page_meta(facet.title, f"Browse the cases by {facet.title.lower()}.")
        pages[f"{facet.path}/index.md"] = render_page(
            "facet_index.md.j2", f"{facet.path}/index.md", meta, facet=facet, terms=terms
        )
        for term, cases in terms:
            if only.terms is not None and (facet.name, term.id) not in only.terms:
                continue
            page = f"{facet.path}/{term.id}.md"
            meta = page_meta(f"{facet.title}: {term.label}", term.definition)
            pages[page] = render_page(
                "term.md.j2", page, meta, facet=facet, term=term, items=[items[c.id] for c in cases]
            )
    meta = page_meta("Councils", "Every council in the catalogue, by region and type, with its cases.")
    pages["councils/index.md"] = render_page(
        "councils.md.j2", "councils/index.md", meta, regions=councils_index(catalogue)
    )
    pages.update(council_pages(catalogue, only.councils))
    meta = page_meta("Browse", "Browse the cases by theme, technique, council, region and more.")
    pages["browse/index.md"] = render_page("browse.md.j2", "browse/index.md", meta, lists=browse_lists(catalogue))
    meta = page_meta(
        "Catalogue",
        "Every case in the Council Data Casebook in one table, with filters you can share as a link.",
        hide=["navigation", "toc"],
    )
    pages["index.md"] = render_page(
        "catalogue.md.j2",
        "index.md",
        meta,
        results=finder_results(catalogue, added),
        facets=filter_facets(catalogue),
        downloads="../data/",
        workbook="../downloads/" + WORKBOOK,
    )
    counts = map_counts(catalogue)
    meta = page_meta("Map", "Where the catalogue's cases are: a hex map of UK councils, and its figures by region.")
    pages["map/index.md"] = render_page(
        "map.md.j2",
        "map/index.md",
        meta,
        hexmap=hexmap_html(counts, linker("map/index.md")),
        regions=map_regions(catalogue, counts),
        uncoded=sum(1 for c in catalogue.cases if not any(x.get("gss_code") for x in c["councils"])),
    )
    pages["catalogue-data.json"] = catalogue_data(catalogue)
    pages[FEED] = feed_xml(catalogue, config, added)
    pages["data-dictionary.md"] = data_dictionary_page(config)
    newest = newest_cases(catalogue, added)
    days = {c.id: (added[c.id].date if added and c.id in added else str(c["last_reviewed"])) for c in newest}
    reviewed = sorted(catalogue.cases, key=lambda c: (c["last_reviewed"], c.id), reverse=True)[:6]
    home_link = home_linker()
    pages["_home.md"] = (
        environment()
        .get_template("_home.md.j2")
        .render(
            link=home_link,
            charts=charts(catalogue),
            hexmap=hexmap_html(counts, home_link, compact=True),
            newest=list(case_items(newest, home_link, days).values()),
            reviewed=[c.data for c in reviewed],
            total=len(catalogue),
            councils=len(council_names(catalogue)),
            regions=len(set(catalogue.index("region")) - {"multiple"}),
        )
    )
    pages["_form.md"] = form_page(config, cases=[(c.id, c.title) for c in catalogue.cases])
    pages["_format.md"] = (
        environment()
        .get_template("_format.md.j2")
        .render(
            fields=field_rows(),
            vocabularies=[v for v in vocabularies().values() if v.name in format_vocabularies()],
        )
    )
    return pages


__all__ = ["Selection", "case_page", "render_pages", "search_documents", "touched"]
