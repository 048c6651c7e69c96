"""What the search engine indexes: each case's text and each council page, without the theme's chrome."""

from __future__ import annotations

from collections import Counter

from ...core.catalogue import Catalogue
from ...core.project import FOLDER
from ...core.register import Council, name_forms, page_path, plain_name
from .common import environment
from .councils import council_cases, council_description, councils_by_code
from .fields import more_fields, shown_fields

# Shown on the page but no words to search for: addresses, the file's id, related cases' ids.
_NOT_WORDS = frozenset({"id", "related"})


def _keywords(case: dict[str, object]) -> list[str]:
    """The words of every field that is not Markdown (that text is indexed as it is), for search."""
    return [
        text
        for shown in shown_fields(case)
        if not shown.field.markdown and shown.field.key not in ("url", "email") and shown.field.path not in _NOT_WORDS
        for text in shown.texts
    ]


def own_name(council: Council, cases: list[dict[str, object]]) -> str:
    """The name a council goes by, for its search result: the form of its name its cases use most
    ("Bristol City Council"), when that is one of the usual forms the register gives
    (:func:`generator.core.register.name_forms`), so no case can give a council a name of its own
    making; the register's name ("Bristol, City of") otherwise."""
    forms = set(name_forms(council))
    used = Counter(
        name
        for case in cases
        for entry in case["councils"]  # type: ignore[attr-defined]
        if str(entry.get("gss_code", "")).upper() == council.code and (name := plain_name(entry["name"])) in forms
    )
    return min(used, key=lambda name: (-used[name], name)) if used else council.name


def search_documents(catalogue: Catalogue) -> dict[str, str]:
    """What the search engine indexes for each case and each council page, keyed by the page's path in the site."""
    template = environment().get_template("search_doc.html.j2")
    documents = {
        f"{FOLDER}/cases/{case.id}/index.html": template.render(
            case=case.data, more=more_fields(case.data), keywords=_keywords(case.data)
        )
        for case in catalogue.cases
    }
    council_template = environment().get_template("search_council.html.j2")
    for code, cases in council_cases(catalogue).items():
        council = councils_by_code(code)
        documents[f"{FOLDER}/{page_path(code)}index.html"] = council_template.render(
            council=council,
            title=own_name(council, [c.data for c in cases]),
            description=council_description(council, len(cases)),
            forms=name_forms(council),
            cases=[c.data for c in cases],
        )
    return documents
