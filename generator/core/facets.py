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
    one: str = ""  # one value's kind, e.g. "Theme" (in help texts and "Remove filter: Theme Housing")

    def terms(self) -> list[Any] | None:
        """The values it can take, in order; None when any value can (council names)."""
        return vocabularies()[self.vocabulary].ids() if self.vocabulary else None


FACETS: tuple[Facet, ...] = (
    Facet("theme", "Themes", "themes", lambda d: list(d["themes"]), "themes", one="Theme"),
    Facet("technique", "Techniques", "techniques", lambda d: list(d["techniques"]), "techniques", one="Technique"),
    Facet(
        "region", "Regions", "regions", lambda d: _unique([c["region"] for c in d["councils"]]), "regions", one="Region"
    ),
    Facet(
        "council-type",
        "Council types",
        "council_types",
        lambda d: _unique([c["type"] for c in d["councils"]]),
        "council-types",
        one="Council type",
    ),
    Facet("status", "Status", "status", lambda d: [d["status"]], "status", one="Status"),
    Facet(
        "evidence",
        "Evidence levels",
        "evidence_levels",
        lambda d: [d["impact"]["evidence_level"]],
        "evidence",
        one="Evidence level",
    ),
    Facet(
        "challenge",
        "Challenges",
        "challenges",
        lambda d: _unique([c["category"] for c in d["challenges"]]),
        "challenges",
        one="Challenge",
    ),
    Facet(
        "success-factor",
        "Success factors",
        "success_factors",
        lambda d: _unique([s["category"] for s in d["success_factors"]]),
        "success-factors",
        one="Success factor",
    ),
    Facet(
        "evaluation",
        "Evaluation designs",
        "evaluation_designs",
        lambda d: _evaluation(d, "design"),
        "evaluations",
        one="Evaluation design",
    ),
    Facet(
        "result",
        "Evaluation results",
        "results",
        lambda d: _evaluation(d, "result"),
        "results",
        one="Evaluation result",
    ),
    Facet("cost", "Set-up cost", "cost_bands", lambda d: _effort(d, "cost"), "cost", one="Set-up cost"),
    Facet(
        "time",
        "Time to first result",
        "durations",
        lambda d: _effort(d, "time_to_first_result"),
        "time",
        one="Time to first result",
    ),
    Facet(
        "prerequisite",
        "Prerequisites",
        "prerequisites",
        lambda d: list(d["replication"].get("prerequisites", [])),
        "prerequisites",
        one="Prerequisite",
    ),
    Facet(
        "data-kind",
        "Data kinds",
        "data_kinds",
        lambda d: _unique([x["kind"] for x in d["data"]]),
        "data-kinds",
        one="Data kind",
    ),
    Facet(
        "personal-data",
        "Personal data used",
        "personal_data",
        lambda d: ["yes" if any(x["personal"] for x in d["data"]) else "no"],
        one="Personal data used",
    ),
    Facet("council", "Councils", None, lambda d: _unique([c["name"] for c in d["councils"]]), one="Council"),
)


def _evaluation(data: dict[str, Any], key: str) -> list[Any]:
    evaluation = data["impact"].get("evaluation")
    return [evaluation[key]] if evaluation else []


def _effort(data: dict[str, Any], key: str) -> list[Any]:
    value = data["replication"].get("effort", {}).get(key)
    return [value] if value else []


FACETS_BY_NAME = {facet.name: facet for facet in FACETS}
BROWSE_FACETS = tuple(facet for facet in FACETS if facet.path)
