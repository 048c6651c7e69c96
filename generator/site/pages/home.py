"""The home page's parts: the charts, and the newest cases."""

from __future__ import annotations

from collections.abc import Mapping

from markupsafe import Markup

from ...core.catalogue import Case, Catalogue
from ...core.facets import FACETS_BY_NAME
from ...core.history import Added
from ...core.project import FOLDER
from ...core.schema import vocabularies
from .common import environment

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
