"""Check one loaded case document against everything it can be checked against on its own.

:func:`check_document` runs the schema (:mod:`.explain`), the rules on what values may
hold (:mod:`.values`) and the catalogue's rules on one case (:mod:`.rules`); the rules
across cases run once the whole catalogue is read (:func:`.rules.catalogue_rules`).
"""

from __future__ import annotations

from datetime import date

from .explain import schema_problems
from .load import Document
from .problems import Problem
from .rules import case_rules
from .values import markdown_problems, mistyped_problems, scan, text_problems


def check_document(doc: Document, today: date) -> list[Problem]:
    """Every problem of one case on its own: the schema, the characters of its texts, values YAML
    typed otherwise than meant, and the rules a schema cannot say. One walk of its values serves all."""
    found = scan(doc.data)
    mistyped = mistyped_problems(doc, found)
    skip = {p.path for p in mistyped}
    return [
        *mistyped,
        *(p for p in schema_problems(doc) if p.path not in skip),
        *text_problems(doc, found),
        *markdown_problems(doc, found),
        *case_rules(doc, today),
    ]
