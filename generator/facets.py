"""The facets a case can be browsed, filtered and exported by.

One table, used by the site's browse pages, the catalogue view's filters and the
export's command-line filters, so all three always offer the same choices.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


def _unique(values: list[Any]) -> list[Any]:
    return list(dict.fromkeys(values))


@dataclass(frozen=True)
class Facet:
    name: str  # URL and option name, e.g. "theme"
    title: str  # heading, e.g. "Themes"
    vocabulary: str | None  # vocabulary the values come from, if any
    values: Callable[[dict[str, Any]], list[Any]]


FACETS: tuple[Facet, ...] = (
    Facet("theme", "Themes", "themes", lambda d: list(d["themes"])),
    Facet("technique", "Techniques", "techniques", lambda d: list(d["techniques"])),
    Facet("region", "Regions", "regions", lambda d: _unique([c["region"] for c in d["councils"]])),
    Facet("council-type", "Council types", "council_types", lambda d: _unique([c["type"] for c in d["councils"]])),
    Facet("status", "Status", "status", lambda d: [d["status"]]),
    Facet("evidence", "Evidence levels", "evidence_levels", lambda d: [d["impact"]["evidence_level"]]),
    Facet("challenge", "Challenges", "challenges", lambda d: _unique([c["category"] for c in d["challenges"]])),
    Facet("success-factor", "Success factors", "success_factors",
          lambda d: _unique([s["category"] for s in d["success_factors"]])),
    Facet("data-kind", "Data kinds", "data_kinds", lambda d: _unique([x["kind"] for x in d["data"]])),
    Facet("personal-data", "Personal data used", None,
          lambda d: ["yes" if any(x["personal"] for x in d["data"]) else "no"]),
    Facet("council", "Councils", None, lambda d: _unique([c["name"] for c in d["councils"]])),
)

FACETS_BY_NAME = {facet.name: facet for facet in FACETS}
