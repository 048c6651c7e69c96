"""The home page's parts: the charts, and the newest cases; and the feed of new and reviewed cases."""

from __future__ import annotations

from collections.abc import Mapping

from markupsafe import Markup

from ...core.catalogue import Case, Catalogue
from ...core.facets import FACETS_BY_NAME
from ...core.history import Added
from ...core.project import FOLDER, SiteConfig
from ...core.schema import vocabularies
from .common import environment

FEED = "feed.xml"  # in the generated folder: the site serves it at catalogue/feed.xml

CHARTS = (
    ("theme", "Cases by theme", "Theme", None),
    ("region", "Cases by region", "Region", None),
    ("technique", "Cases by technique", "Technique", None),
    ("evidence", "Cases by evidence level", "Evidence level", None),
    ("evaluation", "Cases by evaluation design", "Evaluation design", None),
    ("challenge", "The most common challenges", "Challenge", 8),
    ("success-factor", "The most common success factors", "Success factor", 8),
)


def charts(catalogue: Catalogue) -> list[Markup]:
    """The home page's bar charts, each bar linking to the catalogue filtered by it."""
    template = environment().get_template("_chart.html.j2")
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


def newest_cases(catalogue: Catalogue, added: Mapping[str, Added] | None = None, count: int = 6) -> list[Case]:
    """The cases most recently added to the catalogue (see :func:`generator.core.history.added_dates`)."""
    dates = added or {}

    def when(case: Case) -> tuple[str, int, str]:
        day, age = dates.get(case.id) or Added(str(case["last_reviewed"]), -1)
        return (day, -age, case.id)

    return sorted(catalogue.cases, key=when, reverse=True)[:count]


FEED_SIZE = 50  # entries: a reader polls often, so the newest are enough


def feed_xml(catalogue: Catalogue, config: SiteConfig, added: Mapping[str, Added] | None = None) -> str:
    """The Atom feed of the catalogue's cases, newest first by the later of the day each joined the
    catalogue and the day it was last reviewed."""
    dates = added or {}

    def day(case: Case) -> str:
        joined = dates[case.id].date if case.id in dates else ""
        return max(joined, str(case["last_reviewed"]))

    cases = sorted(catalogue.cases, key=lambda c: (day(c), c.id), reverse=True)[:FEED_SIZE]
    entries = [
        {
            "url": config.case_url(case.id),
            "title": case.title,
            "summary": case["summary"],
            "councils": [council["name"] for council in case["councils"]],
            "updated": f"{day(case)}T00:00:00Z",
        }
        for case in cases
    ]
    return (
        environment()
        .get_template("feed.xml.j2")
        .render(
            feed_url=config.page_url(f"{FOLDER}/{FEED}"),
            site_url=config.site_url,
            site_name=config.site_name,
            updated=entries[0]["updated"] if entries else "1970-01-01T00:00:00Z",
            entries=entries,
        )
    )
