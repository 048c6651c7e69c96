"""The "Propose a case" form, generated from the JSON Schema and the vocabularies.

:func:`form_spec` walks the schema into a tree of fields; the page's HTML is
rendered from that tree, and the same tree is embedded in the page as JSON for
the script that collects the answers, so no field is written down twice and a
field added to the schema appears in the form.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from markupsafe import Markup

from ..core.register import Council, councils
from ..core.schema import BOUND_KEYWORDS, Field, Vocabulary, bound_in_words, vocabularies
from ..core.schema import fields as schema_fields
from .render import script_json

# The vocabulary whose field marks a group of fields as a council (name, gss_code, type, region):
# that group's name gets suggestions from the register.
COUNCIL_VOCABULARY = "council_types"


def _input(node: dict[str, Any]) -> str:
    """The HTML input type the schema asks for: its x-input (email, url), a date picker for
    ``format: date``, else text. (Patterns and lengths come from the schema too.)"""
    return str(node.get("x-input") or ("date" if node.get("format") == "date" else "text"))


def _kind(field: Field) -> str:
    node = field.schema
    if node.get("x-vocabulary"):
        return "choice"
    if field.is_object:
        return "object"
    if field.is_list_of_objects:
        return "list-object"
    if field.is_list:
        return "choices" if field.vocabulary else "lines"
    if field.markdown:
        return "text"
    if "enum" in node:
        return "enum"
    kind = node.get("type")
    if kind in ("integer", "number", "boolean"):
        return str(kind)
    return "string"


def _spec(field: Field, vocabs: dict[str, Vocabulary]) -> dict[str, Any]:
    node = field.schema
    kind = _kind(field)
    spec: dict[str, Any] = {
        "key": field.key,
        "kind": kind,
        "title": node.get("title", field.key.replace("_", " ").capitalize()),
        "description": field.description,
        "required": field.required,
        "markdown": field.markdown,
        "input": _input(node),
    }
    for limit in ("minItems", "maxItems", "minLength", "maxLength", "minimum", "maximum", "pattern"):
        if limit in node:
            spec[limit] = node[limit]
    bounds = {key: bound_in_words(key, node[key]) for key in BOUND_KEYWORDS if key in node}
    if bounds:
        spec["bounds"] = bounds  # each bound in the validator's words, for the form's messages
    if field.vocabulary:
        spec["vocabulary"] = field.vocabulary
        spec["terms"] = [
            {"id": t.id, "label": t.label, "definition": t.definition} for t in vocabs[field.vocabulary].terms
        ]
    if kind == "enum":
        spec["terms"] = [{"id": v, "label": v, "definition": ""} for v in node["enum"]]
    if "default" in node:
        spec["default"] = node["default"]
    if kind == "list-object":
        spec["item_title"] = (field.items or {}).get("title", "Item")
    if field.children:
        spec["fields"] = _specs(field.children, vocabs)
    if "x-step" in node:
        spec["step"] = node["x-step"]
    if "x-suggest" in node:  # "cases": the ids of cases in the catalogue, picked by their titles
        spec["suggest"] = node["x-suggest"]
    return spec


def _specs(fields: tuple[Field, ...], vocabs: dict[str, Vocabulary]) -> list[dict[str, Any]]:
    out = [_spec(field, vocabs) for field in fields]
    _mark_council_names(out)
    return out


def form_spec(schema: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The form's fields in schema order, nested like the case format."""
    return _specs(schema_fields(schema).children, vocabularies())


CHECK_STEP = "check"  # the step a field is asked on "Check your answers" (the id, made from the title)


def form_steps(spec: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The form's steps, one short section a page in the GOV.UK manner: each top-level field goes
    to the step its ``x-step`` names, the steps in the order their first fields come in the
    schema. Returns the steps (title and fields) and the fields asked on "Check your answers"."""
    steps: dict[str, list[dict[str, Any]]] = {}
    for field in spec:
        steps.setdefault(str(field.get("step") or "More about the case"), []).append(field)
    check = steps.pop(CHECK_STEP, [])
    return [{"title": title, "fields": fields} for title, fields in steps.items()], check


def _mark_council_names(fields: list[dict[str, Any]]) -> None:
    """A group holding a council type and a name is a council: its name suggests register names."""
    if any(f.get("vocabulary") == COUNCIL_VOCABULARY for f in fields):
        for field in fields:
            if field["key"] == "name" and field["kind"] == "string":
                field["suggest"] = "councils"


def _suffix(council: Council, shared: bool, type_labels: dict[str, str]) -> str:
    """What the form shows in brackets after a council's name to tell it apart: the year it ended,
    "former code" for a code replaced without an end year, the type for two current councils of
    one name ("Lancashire": the county and the combined authority)."""
    if council.ended:
        return f"ended {council.ended}"
    if not council.current:
        return "former code"
    return type_labels.get(council.type, council.type).lower() if shared else ""


def register_names() -> dict[str, Any]:
    """The register for the form's council name suggestions, kept small: the types and regions
    once each, then one row per council, ``[code, name, Welsh name, type, region, suffix]``
    (type and region as places in those lists; Welsh name "" when it is the name; suffix "" or
    what is shown in brackets after the name, such as "ended 2023"), current councils first,
    each part by name."""
    rows = sorted(councils().values(), key=lambda c: (not c.current, c.name.casefold(), c.code))
    types = sorted({c.type for c in rows})
    regions = sorted({c.region for c in rows})
    current_names = Counter(c.name for c in rows if c.current)
    type_labels = {str(t.id): t.label for t in vocabularies()[COUNCIL_VOCABULARY].terms}
    return {
        "types": types,
        "regions": regions,
        "rows": [
            [
                c.code,
                c.name,
                c.name_cy if c.name_cy != c.name else "",
                types.index(c.type),
                regions.index(c.region),
                _suffix(c, current_names[c.name] > 1, type_labels),
            ]
            for c in rows
        ],
    }


def spec_json(spec: list[dict[str, Any]] | dict[str, Any]) -> Markup:
    """The spec (or the register's names) as JSON that is safe inside a <script> element."""
    return Markup(script_json(spec, compact=True))
