"""Write the commented template that ``casebook new`` starts a case from.

The template is derived from the schema: every field in order, its description
as a comment, the allowed terms of each vocabulary, required fields left empty
so the file does not validate until it has been filled in.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from .schema import case_schema, resolve, vocabularies

SCHEMA_URL = "https://council-data-casebook.github.io/casebook/schema/case-v1.json"


def _comment(node: dict[str, Any], required: bool) -> str:
    parts = [node.get("description", "")]
    vocab = node.get("x-vocabulary") or node.get("items", {}).get("x-vocabulary")
    if vocab:
        parts.append("One of: " if "x-vocabulary" in node else "Choose from: ")
        parts[-1] += ", ".join(map(str, vocabularies()[vocab].ids())) + "."
    if "maxItems" in node:
        parts.append(f"{node.get('minItems', 0)} to {node['maxItems']} items.")
    elif node.get("minItems"):
        parts.append(f"At least {node['minItems']}.")
    parts.append("Required." if required else "Optional: delete the line if not needed.")
    return " ".join(p for p in parts if p)


def _empty(node: dict[str, Any]) -> str:
    kind = node.get("type")
    if kind == "array":
        return "[]"
    if kind == "boolean":
        return "false"
    if kind in ("integer", "number"):
        return "null"
    return '""'


def _emit(schema: dict[str, Any], node: dict[str, Any], indent: str, values: dict[str, str]) -> list[str]:
    lines: list[str] = []
    required = set(node.get("required", []))
    for key, sub in node["properties"].items():
        sub = resolve(schema, sub)
        lines.append(f"{indent}# {_comment(sub, key in required)}")
        if key in values:
            lines.append(f"{indent}{key}: {values[key]}")
        elif sub.get("type") == "object":
            lines.append(f"{indent}{key}:")
            lines.extend(_emit(schema, sub, indent + "  ", {}))
        elif sub.get("type") == "array" and resolve(schema, sub.get("items", {})).get("type") == "object":
            item = _emit(schema, resolve(schema, sub["items"]), indent + "    ", {})
            first = next(i for i, line in enumerate(item) if not line.lstrip().startswith("#"))
            item = [f"{indent}  " + line.lstrip() if i < first else line for i, line in enumerate(item)]
            item[first] = f"{indent}  - " + item[first].lstrip()
            lines.append(f"{indent}{key}:")
            lines.extend(item)
        elif sub.get("x-markdown"):
            lines.append(f"{indent}{key}: |")
            lines.append(f"{indent}  ")
        else:
            lines.append(f"{indent}{key}: {_empty(sub)}")
    return lines


def case_template(case_id: str, title: str = "", today: date | None = None) -> str:
    """The text of a new case file with ``case_id``, ready to fill in."""
    schema = case_schema()
    today = today or date.today()
    values = {
        "id": case_id,
        "last_reviewed": today.isoformat(),
        "licence": "OGL-3.0",
    }
    if title:
        values["title"] = json.dumps(title, ensure_ascii=False)
    lines = [
        f"# yaml-language-server: $schema={SCHEMA_URL}",
        "# A new case for the Council Data Casebook. Fill in every field marked Required,",
        "# then run: casebook validate " + f"cases/{case_id}.yaml",
        "",
        *_emit(schema, schema, "", values),
    ]
    return "\n".join(lines) + "\n"
