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

from .register import Council, councils
from .render import script_json
from .schema import case_schema, resolve, vocabularies

# The vocabulary whose field marks a group of fields as a council (name, gss_code, type, region):
# that group's name gets suggestions from the register.
COUNCIL_VOCABULARY = "council_types"


def _input(node: dict[str, Any]) -> str:
    """The HTML input type the schema asks for: its x-input (email, url), a date picker for
    ``format: date``, else text. (Patterns and lengths come from the schema too.)"""
    return str(node.get("x-input") or ("date" if node.get("format") == "date" else "text"))


def _kind(node: dict[str, Any], root: dict[str, Any]) -> str:
    kind = node.get("type")
    if node.get("x-vocabulary"):
        return "choice"
    if kind == "object":
        return "object"
    if kind == "array":
        items = resolve(root, node.get("items", {}))
        if items.get("type") == "object":
            return "list-object"
        return "choices" if items.get("x-vocabulary") else "lines"
    if node.get("x-markdown"):
        return "text"
    if "enum" in node:
        return "enum"
    if kind in ("integer", "number", "boolean"):
        return str(kind)
    return "string"


def form_spec(schema: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The form's fields in schema order, nested like the case format."""
    root = schema if schema is not None else case_schema()
    vocabs = vocabularies()

    def fields(node: dict[str, Any]) -> list[dict[str, Any]]:
        node = resolve(root, node)
        required = set(node.get("required", []))
        out = []
        for key, raw in node.get("properties", {}).items():
            sub = resolve(root, raw)
            kind = _kind(sub, root)
            field: dict[str, Any] = {
                "key": key,
                "kind": kind,
                "title": sub.get("title", key.replace("_", " ").capitalize()),
                "description": sub.get("description", ""),
                "required": key in required,
                "markdown": bool(sub.get("x-markdown")),
                "input": _input(sub),
            }
            for limit in ("minItems", "maxItems", "minLength", "maxLength", "minimum", "maximum", "pattern"):
                if limit in sub:
                    field[limit] = sub[limit]
            vocab = sub.get("x-vocabulary") or resolve(root, sub.get("items", {})).get("x-vocabulary")
            if vocab:
                field["vocabulary"] = vocab
                field["terms"] = [
                    {"id": t.id, "label": t.label, "definition": t.definition} for t in vocabs[vocab].terms
                ]
            if kind == "enum":
                field["terms"] = [{"id": v, "label": v, "definition": ""} for v in sub["enum"]]
            if "default" in sub:
                field["default"] = sub["default"]
            if kind == "object":
                field["fields"] = fields(sub)
            if kind == "list-object":
                items = resolve(root, sub["items"])
                field["item_title"] = items.get("title", "Item")
                field["fields"] = fields(items)
            out.append(field)
        _mark_council_names(out)
        return out

    return fields(root)


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
