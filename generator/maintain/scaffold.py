"""Write the commented template that ``casebook new`` starts a case from.

The template is derived from the schema: every field in order, its description
as a comment and the allowed terms of each vocabulary. Each required value is
left empty, so that ``casebook validate`` on the fresh file reports it once, as
"fill in <title>: <description>", and nothing else. Each optional field is an
example written as a comment, to uncomment and change (or delete).
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from ..core.errors import CasebookError
from ..core.schema import Field, case_schema, constraints_in_words, fields

OPTIONAL = "Optional: uncomment to use."

# Example values of optional fields where the schema's own (its examples, its
# default, the first term of its vocabulary) would not make a good one, by path
# as iter_fields names it. A field missing here still gets an example.
EXAMPLES: dict[str, Any] = {
    "councils[].gss_code": "E10000016",
    "partners": ["Kent Police", "University of Kent"],
    "impact.evaluation.design": "before-after",
    "impact.measures[].metric": "Annual saving",
    "impact.measures[].value": 250000,
    "impact.measures[].period": "per-year",
    "impact.measures[].year": 2016,
    "replication.adopted_by": ["Leeds City Council"],
    "replication.effort.team": ["analyst", "information-governance"],
    "replication.artefacts[].title": "Matching code",
    "replication.artefacts[].url": "https://github.com/example-council/matching",
    "sources[].publisher": "Nesta",
    "sources[].published": "2016-11",
    "contact.role": "Head of Data and Insight",
    "contact.organisation": "Kent County Council",
    "contact.email": "data-team@example.org",
    "contact.url": "https://www.example.org/data-team",
    "related": ["kent-integrated-dataset"],
}

# Plain words a YAML 1.1 reader would take for something other than text.
_NOT_TEXT = re.compile(r"(?i)^(y|n|yes|no|on|off|true|false|null|~|[-+]?[0-9][0-9_.:eE+-]*)$")
_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ,.'()-]*$")


def _comment(field: Field, required: bool) -> str:
    node = field.schema
    parts = [field.description]
    rules = "; ".join(constraints_in_words(field, terms=True, pattern=False))
    if rules:
        parts.append(rules[0].upper() + rules[1:] + ".")
    if field.is_list and not field.is_list_of_objects and required:
        parts.append("Write them as a list: [first, second].")
    if field.markdown:
        parts.append("Markdown, on indented lines below the key.")
    if node.get("type") == "boolean":
        parts.append("true or false.")
    parts.append("Required." if required else OPTIONAL)
    return " ".join(p for p in parts if p)


def example_value(field: Field) -> Any:
    """An example value of a field: ours, the schema's own, its default, its first term, or one of its type."""
    if field.path in EXAMPLES:
        return EXAMPLES[field.path]
    if field.is_list:
        return [_value_example(field.items or {})]
    return _value_example(field.schema)


def _value_example(node: dict[str, Any]) -> Any:
    if node.get("examples"):
        return node["examples"][0]
    if "default" in node:
        return node["default"]
    if node.get("enum"):
        return node["enum"][0]
    kind = node.get("type")
    if kind in ("integer", "number"):
        return node.get("minimum", 1)
    if kind == "boolean":
        return False
    return str(node.get("title", "text"))


def _scalar(value: Any) -> str:
    """``value`` as a YAML scalar that reads back as itself."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if _PLAIN.match(text) and not _NOT_TEXT.match(text) and not text.endswith(" "):
        return text
    return json.dumps(text, ensure_ascii=False)


def _flow(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return _scalar(value)


def _example_lines(field: Field, indent: str, note: bool = True) -> list[str]:
    """An optional field as example YAML (not yet commented), its parts described in end-of-line comments."""
    if field.is_object:
        lines = [f"{indent}{field.key}:"]
        for child in field.children:
            lines.extend(_example_lines(child, indent + "  "))
        return lines
    if field.is_list_of_objects:
        item: list[str] = []
        for child in field.children:
            item.extend(_example_lines(child, indent + "    "))
        item[0] = f"{indent}  - " + item[0].lstrip()
        return [f"{indent}{field.key}:", *item]
    line = f"{indent}{field.key}: {_flow(example_value(field))}"
    return [f"{line}  # {_comment(field, False).removesuffix(' ' + OPTIONAL)}" if note else line]


def _emit(fields: tuple[Field, ...], indent: str, values: dict[str, str]) -> list[str]:
    lines: list[str] = []
    for field in fields:
        key = field.key
        lines.append(f"{indent}# {_comment(field, field.required)}")
        if key in values:
            lines.append(f"{indent}{key}: {values[key]}")
        elif not field.required:
            lines.extend(f"{indent}# {line[len(indent) :]}" for line in _example_lines(field, indent, note=False))
        elif field.is_object:
            lines.append(f"{indent}{key}:")
            lines.extend(_emit(field.children, indent + "  ", {}))
        elif field.is_list_of_objects:
            item = _emit(field.children, indent + "    ", {})
            first = next(i for i, line in enumerate(item) if not line.lstrip().startswith("#"))
            item = [f"{indent}  " + line.lstrip() if i < first else line for i, line in enumerate(item)]
            item[first] = f"{indent}  - " + item[first].lstrip()
            lines.append(f"{indent}{key}:")
            lines.extend(item)
        elif field.markdown:
            lines.append(f"{indent}{key}: |")
        else:
            lines.append(f"{indent}{key}:")
    return lines


def case_template(case_id: str, title: str = "", today: date | None = None) -> str:
    """The text of a new case file with ``case_id``, ready to fill in."""
    schema = case_schema()
    today = today or date.today()
    values = {"id": case_id, "last_reviewed": today.isoformat()}
    if title:
        values["title"] = json.dumps(title, ensure_ascii=False)
    lines = [
        f"# yaml-language-server: $schema={schema['$id']}",
        "# A new case for the Council Data Casebook. Write a value after every key left",
        "# empty (each is marked Required); the optional fields are commented-out examples:",
        "# uncomment the ones you need and change them. Then run:",
        f"#   casebook validate cases/{case_id}.yaml",
        "",
        *_emit(fields(schema).children, "", values),
    ]
    return "\n".join(lines) + "\n"


def new_case(cases_dir: Path, case_id: str, title: str = "", today: date | None = None) -> Path:
    """Write ``cases_dir/<case_id>.yaml`` from the template and return its path.

    Refuses an id the format would refuse and never replaces an existing file.
    """
    prop = case_schema()["properties"]["id"]
    if not re.fullmatch(prop["pattern"], case_id) or not prop["minLength"] <= len(case_id) <= prop["maxLength"]:
        raise CasebookError(
            f"{case_id!r} is not a valid id: use {prop['minLength']}-{prop['maxLength']} lowercase letters "
            "and digits joined by hyphens"
        )
    target = cases_dir / f"{case_id}.yaml"
    if target.exists():
        raise CasebookError(f"{target} already exists; choose another id or edit that file")
    cases_dir.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("x", encoding="utf-8") as handle:
            handle.write(case_template(case_id, title, today))
    except FileExistsError:
        raise CasebookError(f"{target} already exists; choose another id or edit that file") from None
    return target
