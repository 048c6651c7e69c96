"""Browse pages: an index for each facet and a page for each of its terms, and the Browse page."""

from __future__ import annotations

from ...core.catalogue import Case, Catalogue
from ...core.facets import BROWSE_FACETS, Facet
from ...core.schema import Term, vocabularies
from .councils import council_names


def facet_terms(facet: Facet, catalogue: Catalogue) -> list[tuple[Term, list[Case]]]:
    index = catalogue.index(facet.name)
    vocab = vocabularies()[facet.vocabulary or ""]
    return [(term, index.get(term.id, [])) for term in vocab.terms]


def browse_lists(catalogue: Catalogue) -> list[tuple[str, str, list[str], str]]:
    """The Browse page's lists: (title, folder, labels of the terms with cases, what the count counts)."""
    lists = []
    for facet in BROWSE_FACETS:
        labels = [term.label for term, cases in facet_terms(facet, catalogue) if cases]
        lists.append((facet.title, facet.path or "", labels, "in use"))
        if facet.name == "technique":
            lists.append(("Councils", "councils", council_names(catalogue), "councils"))
    return lists
