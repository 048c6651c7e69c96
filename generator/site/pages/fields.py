"""Every field of a case as text for its page and its search record, read from the schema's field tree.

The case page's template lays out the fields it knows (:data:`PLACED`); every other field
the schema has, unless the schema marks it ``"x-page": false``, is shown in the page's
"More about this case" list, and every field's values are indexed for search. A field
added to the schema therefore reaches the page and search with no template changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from markupsafe import Markup, escape

from ...core.facets import FACETS, values_at
from ...core.schema import Field, iter_fields, vocabularies
from .. import render

# The fields the case page's template (case.md.j2) lays out itself; the completeness test
# (tests/test_case_page_fields.py) checks that each really shows on the page.
PLACED = frozenset(
    {
        "id", "title", "summary", "councils[].name", "councils[].gss_code", "councils[].type", "councils[].region",
        "partners", "themes", "techniques", "status", "year_started", "problem", "data[].name", "data[].owner",
        "data[].kind", "data[].personal", "approach", "impact.summary", "impact.evidence_level",
        "impact.evaluation.design", "impact.evaluation.by", "impact.evaluation.result", "impact.evaluation.source",
        "impact.measures[].metric", "impact.measures[].value", "impact.measures[].unit", "impact.measures[].period",
        "impact.measures[].year", "impact.measures[].source", "challenges[].category", "challenges[].description",
        "success_factors[].category", "success_factors[].description", "replication.guidance",
        "replication.adopted_by", "replication.effort.cost", "replication.effort.time_to_first_result",
        "replication.effort.team", "replication.prerequisites", "replication.artefacts[].title",
        "replication.artefacts[].url", "replication.artefacts[].kind", "sources[].title", "sources[].url",
        "sources[].publisher", "sources[].published", "contact.role", "contact.organisation", "contact.email",
        "contact.url", "related", "licence", "last_reviewed",
    }
)  # fmt: skip
_FOLDER_BY_FIELD = {facet.field: facet.path for facet in FACETS if facet.path}


@dataclass(frozen=True)
class Shown:
    """One field of a case with its values, as the page shows them."""

    field: Field
    values: list[Any]

    @property
    def texts(self) -> list[str]:
        """Each value as words: a term's label, yes or no, the text itself."""
        return [_text(self.field, value) for value in self.values]

    def html(self, link: Any) -> Markup:
        """The values for the page: Markdown rendered, a facet's term linked to its browse page."""
        folder = _FOLDER_BY_FIELD.get(self.field.path)
        parts = []
        for value, text in zip(self.values, self.texts, strict=True):
            if self.field.markdown:
                parts.append(render.markdown_html(value))
            elif folder and self.field.vocabulary:
                parts.append(Markup('<a href="{}">{}</a>').format(link(f"{folder}/{value}/"), text))
            else:
                parts.append(escape(text))
        return Markup("; ").join(parts)


def _text(field: Field, value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if field.vocabulary:
        return vocabularies()[field.vocabulary].label(value)
    return str(value)


@cache
def _leaves() -> tuple[Field, ...]:
    return tuple(f for f in iter_fields() if not f.children and f.schema.get("x-page", True) is not False)


@cache
def _unplaced() -> tuple[Field, ...]:
    return tuple(f for f in _leaves() if f.path not in PLACED)


def shown_fields(case: dict[str, Any]) -> list[Shown]:
    """Every field of ``case`` that has a value, in schema order."""
    return [Shown(field, values) for field in _leaves() if (values := values_at(case, field.path))]


def more_fields(case: dict[str, Any]) -> list[Shown]:
    """The fields of ``case`` the template does not lay out itself, for "More about this case"."""
    return [Shown(field, values) for field in _unplaced() if (values := values_at(case, field.path))]
