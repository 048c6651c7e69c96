"""The facets a case can be browsed, filtered and exported by.

One table, used by the site's browse pages, the catalogue view's filters and the
export's command-line filters, so all three always offer the same choices.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .schema import vocabularies


def _unique(values: list[Any]) -> list[Any]:
    return list(dict.fromkeys(values))


@dataclass(frozen=True)
class Facet:
    name: str  # URL and option name, e.g. "theme"
    title: str  # heading, e.g. "Themes"
    vocabulary: str | None  # vocabulary the values come from, if any
    values: Callable[[dict[str, Any]], list[Any]]
    path: str | None = None  # folder of its browse pages on the site, if it has them

    def terms(self) -> list[Any] | None:
        """The values it can take, in order; None when any value can (council names)."""
        return vocabularies()[self.vocabulary].ids() if self.vocabulary else None


FACETS: tuple[Facet, ...] = (
    Facet("theme", "Themes", "themes", lambda d: list(d["themes"]), "themes"),
    Facet("technique", "Techniques", "techniques", lambda d: list(d["techniques"]), "techniques"),
    Facet("region", "Regions", "regions", lambda d: _unique([c["region"] for c in d["councils"]]), "regions"),
    Facet(
        "council-type",
        "Council types",
        "council_types",
        lambda d: _unique([c["type"] for c in d["councils"]]),
        "council-types",
    ),
    Facet("status", "Status", "status", lambda d: [d["status"]], "status"),
    Facet("evidence", "Evidence levels", "evidence_levels", lambda d: [d["impact"]["evidence_level"]], "evidence"),
    Facet(
        "challenge",
        "Challenges",
        "challenges",
        lambda d: _unique([c["category"] for c in d["challenges"]]),
        "challenges",
    ),
    Facet(
        "success-factor",
        "Success factors",
        "success_factors",
        lambda d: _unique([s["category"] for s in d["success_factors"]]),
        "success-factors",
    ),
    Facet("evaluation", "Evaluation designs", "evaluation_designs", lambda d: _evaluation(d, "design"), "evaluations"),
    Facet("result", "Evaluation results", "results", lambda d: _evaluation(d, "result"), "results"),
    Facet("cost", "Set-up cost", "cost_bands", lambda d: _effort(d, "cost"), "cost"),
    Facet("time", "Time to first result", "durations", lambda d: _effort(d, "time_to_first_result"), "time"),
    Facet(
        "prerequisite",
        "Prerequisites",
        "prerequisites",
        lambda d: list(d["replication"].get("prerequisites", [])),
        "prerequisites",
    ),
    Facet("data-kind", "Data kinds", "data_kinds", lambda d: _unique([x["kind"] for x in d["data"]]), "data-kinds"),
    Facet(
        "personal-data",
        "Personal data used",
        "personal_data",
        lambda d: ["yes" if any(x["personal"] for x in d["data"]) else "no"],
    ),
    Facet("council", "Councils", None, lambda d: _unique([c["name"] for c in d["councils"]])),
)


def _evaluation(data: dict[str, Any], key: str) -> list[Any]:
    evaluation = data["impact"].get("evaluation")
    return [evaluation[key]] if evaluation else []


def _effort(data: dict[str, Any], key: str) -> list[Any]:
    value = data["replication"].get("effort", {}).get(key)
    return [value] if value else []


FACETS_BY_NAME = {facet.name: facet for facet in FACETS}
BROWSE_FACETS = tuple(facet for facet in FACETS if facet.path)
