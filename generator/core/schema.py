"""The case format as data: the JSON Schema and its vocabularies.

The schema source (``data/case-v1.schema.json``) marks each controlled field with
``x-vocabulary: <name>``; the terms themselves live once, with their labels and
definitions, in ``data/vocabularies.yaml``. :func:`case_schema` joins the two into
the complete draft 2020-12 schema that the validator, the site, the exports and
the form all use, and that the site publishes at ``/schema/case-v1.json``.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import yaml

SCHEMA_FILENAME = "case-v1.json"
VOCABULARIES_FILE = "vocabularies.yaml"


@dataclass(frozen=True)
class Term:
    """One term of a vocabulary."""

    id: str | int
    label: str
    definition: str


@dataclass(frozen=True)
class Vocabulary:
    """A named, ordered list of terms."""

    name: str
    terms: tuple[Term, ...]

    def ids(self) -> list[str | int]:
        return [term.id for term in self.terms]

    @cached_property
    def _by_id(self) -> dict[str | int, Term]:
        return {term.id: term for term in self.terms}

    def term(self, term_id: str | int) -> Term | None:
        return self._by_id.get(term_id)

    def label(self, term_id: str | int) -> str:
        term = self.term(term_id)
        return term.label if term else str(term_id)


def data_path(name: str) -> Traversable:
    """A data file shipped in the package (``generator/data/<name>``)."""
    return resources.files("generator").joinpath("data").joinpath(name)


def _data_text(name: str) -> str:
    return data_path(name).read_text(encoding="utf-8")


@cache
def vocabularies() -> dict[str, Vocabulary]:
    """Every vocabulary of the format, by name, terms in their defined order."""
    raw = yaml.load(_data_text(VOCABULARIES_FILE), Loader=yaml.CSafeLoader)
    return {
        name: Vocabulary(
            name,
            tuple(Term(term_id, t["label"], t["definition"]) for term_id, t in terms.items()),
        )
        for name, terms in raw.items()
    }


def _inject_vocabularies(node: Any, vocabs: dict[str, Vocabulary]) -> None:
    if isinstance(node, dict):
        name = node.get("x-vocabulary")
        if name is not None:
            node["enum"] = vocabs[name].ids()
        for value in node.values():
            _inject_vocabularies(value, vocabs)
    elif isinstance(node, list):
        for value in node:
            _inject_vocabularies(value, vocabs)


@cache
def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(_data_text("case-v1.schema.json"))
    _inject_vocabularies(schema, vocabularies())
    return schema


def vocabularies_schema() -> dict[str, Any]:
    """The JSON Schema the vocabulary file itself must meet (labels and definitions, nothing else)."""
    schema: dict[str, Any] = json.loads(_data_text("vocabularies.schema.json"))
    return schema


FORMAT_VERSION: str = _schema()["x-format-version"]


def case_schema() -> dict[str, Any]:
    """The complete JSON Schema of a case (a fresh copy the caller may change)."""
    return copy.deepcopy(_schema())


def schema_json() -> str:
    """The complete schema as published on the site."""
    return json.dumps(_schema(), indent=2, ensure_ascii=False) + "\n"


CASE_FILES = "cases/*.yaml"  # where case files are, as editors match them
CATALOG_FILENAME = "catalog.json"  # the SchemaStore-style catalogue, published beside the schema


def schema_catalog_json() -> str:
    """A SchemaStore-style catalogue with one entry: case files (``cases/*.yaml``) and the schema they
    meet, for editors that find schemas through a catalogue (VS Code's YAML extension, JetBrains IDEs)."""
    schema = _schema()
    entry = {
        "name": schema["title"].split(" (")[0],
        "description": schema["description"],
        "fileMatch": [CASE_FILES],
        "url": schema["$id"],
        "versions": {FORMAT_VERSION: schema["$id"]},
    }
    catalog = {"$schema": "https://json.schemastore.org/schema-catalog.json", "version": 1, "schemas": [entry]}
    return json.dumps(catalog, indent=2, ensure_ascii=False) + "\n"


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow a local ``$ref`` (``#/$defs/...``) to the subschema it names."""
    while "$ref" in node:
        target: Any = schema
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


@dataclass(frozen=True, eq=False)
class Field:
    """One field of the format, with its schema resolved and, for an object or a list of
    objects, its own fields. :func:`fields` walks the schema into a tree of these once;
    the form, the template, ``fmt``'s key order, the format page and the exports all read
    that tree rather than walking the schema themselves."""

    path: str  # e.g. "councils[].gss_code"
    schema: dict[str, Any]
    required: bool
    children: tuple[Field, ...] = ()  # an object's fields, or the fields of each item of a list of objects
    items: dict[str, Any] | None = None  # an array's item schema, resolved

    @property
    def key(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    @property
    def title(self) -> str:
        return str(self.schema.get("title", self.key))

    @property
    def description(self) -> str:
        return str(self.schema.get("description", ""))

    @property
    def vocabulary(self) -> str | None:
        name = self.schema.get("x-vocabulary") or (self.items or {}).get("x-vocabulary")
        return str(name) if name else None

    @property
    def markdown(self) -> bool:
        return bool(self.schema.get("x-markdown"))

    @property
    def is_object(self) -> bool:
        return self.schema.get("type") == "object"

    @property
    def is_list(self) -> bool:
        return self.schema.get("type") == "array"

    @property
    def is_list_of_objects(self) -> bool:
        return self.is_list and (self.items or {}).get("type") == "object"

    @cached_property
    def _by_key(self) -> dict[str, Field]:
        return {child.key: child for child in self.children}

    def child(self, key: str) -> Field | None:
        """The field ``key`` of this object (or of each item of this list of objects)."""
        return self._by_key.get(key)


def fields(schema: dict[str, Any] | None = None) -> Field:
    """The whole format as a tree: a root :class:`Field` (path "") whose children are the
    top-level fields, in schema order, each nested object and list of objects with its own.

    The format's own tree is built once and shared: read it, never change it."""
    return _walk(schema) if schema is not None else _format_fields()


@cache
def _format_fields() -> Field:
    return _walk(_schema())


def _walk(root: dict[str, Any]) -> Field:

    def walk(node: dict[str, Any], prefix: str) -> tuple[Field, ...]:
        required = set(node.get("required", []))
        out = []
        for key, raw in node.get("properties", {}).items():
            sub = resolve(root, raw)
            path = f"{prefix}{key}"
            items = resolve(root, sub["items"]) if isinstance(sub.get("items"), dict) else None
            children: tuple[Field, ...] = ()
            if sub.get("type") == "object":
                children = walk(sub, path + ".")
            elif items is not None and items.get("type") == "object":
                children = walk(items, path + "[].")
            out.append(Field(path, sub, key in required, children, items))
        return tuple(out)

    return Field("", root, True, walk(resolve(root, root), ""))


def iter_fields(schema: dict[str, Any] | None = None) -> Iterator[Field]:
    """Every field of the format in schema order, nested objects flattened."""
    stack = list(reversed(fields(schema).children))
    while stack:
        field = stack.pop()
        yield field
        stack.extend(reversed(field.children))


# How each keyword that bounds a value reads in words: the bound, and what is counted.
_BOUNDS: dict[str, tuple[str, str]] = {
    "minLength": ("at least", "character"),
    "maxLength": ("at most", "character"),
    "minItems": ("at least", "item"),
    "maxItems": ("at most", "item"),
    "minimum": ("at least", ""),
    "maximum": ("at most", ""),
    "exclusiveMinimum": ("above", ""),
    "exclusiveMaximum": ("below", ""),
}
BOUND_KEYWORDS = tuple(_BOUNDS)
# Bounds met together read as one range: "10 to 120 characters", "from 1990 to 2100".
_RANGES = (("minLength", "maxLength"), ("minItems", "maxItems"), ("minimum", "maximum"))


def _number(value: float) -> str:
    """A bound as people write it: 1990, 120, 1,000,000,000,000,000."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if abs(value) >= 10_000 else str(value)


def bound_in_words(keyword: str, limit: float) -> str:
    """One bound in words, as the validator, the form, the template and the format page all
    say it: ``bound_in_words("minLength", 10)`` is "at least 10 characters"."""
    bound, unit = _BOUNDS[keyword]
    words = f"{bound} {_number(limit)}"
    return f"{words} {unit}{'s' * (limit != 1)}" if unit else words


def constraints_in_words(field: Field, *, terms: bool = False, pattern: bool = True) -> list[str]:
    """Every rule ``field``'s schema sets on its value, each in words.

    A vocabulary is named ("a term of themes") or, with ``terms``, its terms are listed
    ("one of: a, b" for one value, "choose from: a, b" for a list); a pattern is shown
    unless ``pattern`` is false (the field's description says it in words).
    """
    node = field.schema
    words = []
    if field.vocabulary:
        if terms:
            ids = ", ".join(map(str, vocabularies()[field.vocabulary].ids()))
            words.append(f"{'choose from' if field.is_list else 'one of'}: {ids}")
        else:
            words.append(f"a term of {field.vocabulary}")
    for low, high in _RANGES:
        if low in node and high in node:
            unit = _BOUNDS[low][1]
            span = f"{_number(node[low])} to {_number(node[high])}"
            words.append(f"{span} {unit}s" if unit else f"from {span}")
        else:
            words.extend(bound_in_words(key, node[key]) for key in (low, high) if key in node)
    words.extend(bound_in_words(key, node[key]) for key in ("exclusiveMinimum", "exclusiveMaximum") if key in node)
    if node.get("uniqueItems"):
        words.append("no repeats")
    if "enum" in node and not field.vocabulary:
        words.append("one of: " + ", ".join(map(str, node["enum"])))
    if pattern and "pattern" in node:
        words.append(f"matches {node['pattern']}")
    return words
