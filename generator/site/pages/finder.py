"""The catalogue page: its filters with their counts, each case's line "at a glance", and the
compact index the page filters with."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...core.catalogue import Case, Catalogue
from ...core.facets import FACETS, FACETS_BY_NAME
from ...core.history import Added
from ...core.register import council_ref
from ...core.schema import Term, vocabularies
from .home import newest_cases

NOT_REPORTED = "not reported"


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


def filter_facets(catalogue: Catalogue) -> list[FilterFacet]:
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


@dataclass(frozen=True)
class Glance:
    """One fact of a case's "at a glance" line (EEF style): what it is and its value, or "not reported"."""

    name: str
    label: str
    text: str
    reported: bool


def _term_text(vocab: str, term: Any) -> tuple[str, bool]:
    return (vocabularies()[vocab].label(term), True) if term else (NOT_REPORTED, False)


def evidence_text(impact: Mapping[str, Any]) -> str:
    """``Level 3, causal impact (comparison group, positive)``: the level, then the evaluation's design
    and result when the case reports an evaluation (a design of ``none`` says so)."""
    level = vocabularies()["evidence_levels"].label(impact["evidence_level"])
    text = level.replace(": ", ", ", 1)
    evaluation = impact.get("evaluation") or {}
    design, result = evaluation.get("design"), evaluation.get("result")
    found = [vocabularies()["evaluation_designs"].label(design).lower()] if design and design != "none" else []
    if result:
        found.append(vocabularies()["results"].label(result).lower())
    return text + (" (" + ", ".join(found) + ")" if found else "")


def glance(case: Case) -> list[Glance]:
    """The facts an officer compares cases by, side by side: evidence, set-up cost, time to first
    result and status. A fact the case does not give reads "not reported", never a blank."""
    effort = case["replication"].get("effort") or {}
    cost, has_cost = _term_text("cost_bands", effort.get("cost"))
    time, has_time = _term_text("durations", effort.get("time_to_first_result"))
    return [
        Glance("evidence", "Evidence", evidence_text(case["impact"]), True),
        Glance("cost", "Set-up cost", cost, has_cost),
        Glance("time", "First result", time, has_time),
        Glance("status", "Status", vocabularies()["status"].label(case["status"]), True),
    ]


def finder_results(catalogue: Catalogue, added: Mapping[str, Added] | None = None) -> list[dict[str, Any]]:
    """Each case as the catalogue lists it, by title: the case, its regions' names, its line at a
    glance, and its rank among the newest (0 is the case that joined the catalogue last)."""
    newest = {case.id: rank for rank, case in enumerate(newest_cases(catalogue, added, count=len(catalogue)))}
    regions = vocabularies()["regions"]
    return [
        {
            "case": case.data,
            "regions": "; ".join(regions.label(r) for r in FACETS_BY_NAME["region"].values(case.data)),
            "glance": glance(case),
            "new": newest[case.id],
        }
        for case in sorted(catalogue.cases, key=lambda c: (c["title"].casefold(), c.id))
    ]


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
