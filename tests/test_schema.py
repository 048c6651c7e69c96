"""The case format as data, ``generator/schema.py``: vocabularies, the joined schema and the field tree."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import jsonschema
import yaml

from generator.core.schema import (
    BOUND_KEYWORDS,
    FORMAT_VERSION,
    SCHEMA_FILENAME,
    VOCABULARIES_FILE,
    Field,
    bound_in_words,
    case_schema,
    constraints_in_words,
    data_path,
    fields,
    iter_fields,
    resolve,
    schema_json,
    vocabularies,
)

from helpers import MINIMAL_FILE, ROOT


def nodes(node: Any) -> Iterator[dict[str, Any]]:
    """Every object in a JSON value, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from nodes(value)


def flatten(field: Field) -> Iterator[Field]:
    for child in field.children:
        yield child
        yield from flatten(child)


# vocabularies and data_path


def test_data_path_names_a_file_shipped_in_the_package():
    path = data_path(VOCABULARIES_FILE)
    assert path.is_file()
    assert path.read_text(encoding="utf-8") == (ROOT / "generator" / "data" / VOCABULARIES_FILE).read_text("utf-8")


def test_vocabularies_are_the_vocabulary_file_in_its_order_with_labels_and_definitions():
    raw = yaml.safe_load(data_path(VOCABULARIES_FILE).read_text(encoding="utf-8"))
    vocabs = vocabularies()
    assert list(vocabs) == list(raw)
    for name, vocabulary in vocabs.items():
        assert vocabulary.name == name
        assert vocabulary.ids() == list(raw[name])
        for term in vocabulary.terms:
            assert (term.label, term.definition) == (raw[name][term.id]["label"], raw[name][term.id]["definition"])


def test_a_vocabulary_finds_a_term_by_id_and_labels_an_unknown_id_with_itself():
    status = vocabularies()["status"]
    assert status.term("live") is status.terms[status.ids().index("live")]
    assert status.label("live") == "Live"
    assert status.term("no-such-status") is None
    assert status.label("no-such-status") == "no-such-status"
    assert vocabularies()["evidence_levels"].ids() == [1, 2, 3, 4, 5]  # ids keep their YAML type
    assert vocabularies()["evidence_levels"].label(9) == "9"


# case_schema and schema_json


def test_every_x_vocabulary_names_a_vocabulary_and_its_enum_is_that_vocabularys_ids():
    marked = [node for node in nodes(case_schema()) if "x-vocabulary" in node]
    assert len(marked) >= 20
    for node in marked:
        assert node["x-vocabulary"] in vocabularies(), node
        assert node["enum"] == vocabularies()[node["x-vocabulary"]].ids(), node["x-vocabulary"]


def test_the_schema_source_holds_no_terms_of_its_own():
    source = json.loads(data_path("case-v1.schema.json").read_text(encoding="utf-8"))
    assert [node for node in nodes(source) if "x-vocabulary" in node and "enum" in node] == []


def test_case_schema_is_a_fresh_copy_each_time():
    first = case_schema()
    first["properties"]["themes"]["items"]["enum"].clear()
    del first["required"]
    second = case_schema()
    assert second["properties"]["themes"]["items"]["enum"] == vocabularies()["themes"].ids()
    assert "id" in second["required"]


def test_the_schema_is_draft_2020_12_and_accepts_the_minimal_case():
    schema = case_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("/schema/" + SCHEMA_FILENAME)
    assert schema["x-format-version"] == FORMAT_VERSION
    jsonschema.Draft202012Validator.check_schema(schema)
    case = yaml.safe_load(MINIMAL_FILE.read_text(encoding="utf-8"))
    case["last_reviewed"] = case["last_reviewed"].isoformat()  # YAML reads a date; JSON has strings
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(case)) == []


def test_schema_json_parses_to_the_schema_and_ends_with_a_newline():
    text = schema_json()
    assert json.loads(text) == case_schema()
    assert text.endswith("}\n")
    assert "\\u" not in text  # non-ASCII is written as itself


def test_schema_json_is_what_the_site_publishes(built_site):
    assert (built_site / "schema" / SCHEMA_FILENAME).read_text(encoding="utf-8") == schema_json()


# resolve


def test_resolve_follows_refs_and_keeps_the_referring_nodes_own_keys():
    schema = {
        "$defs": {
            "a": {"$ref": "#/$defs/b", "title": "A"},
            "b": {"type": "string", "title": "B", "maxLength": 5},
        }
    }
    assert resolve(schema, {"$ref": "#/$defs/a", "description": "here"}) == {
        "type": "string",
        "title": "A",
        "maxLength": 5,
        "description": "here",
    }
    plain = {"type": "integer"}
    assert resolve(schema, plain) is plain


# fields, iter_fields and Field


def test_fields_is_a_tree_of_the_top_level_fields_in_schema_order():
    root = fields()
    assert (root.path, root.required) == ("", True)
    assert [f.path for f in root.children] == list(case_schema()["properties"])
    required = set(case_schema()["required"])
    assert {f.path for f in root.children if f.required} == required


def test_iter_fields_is_the_tree_flattened_depth_first():
    assert [f.path for f in iter_fields()] == [f.path for f in flatten(fields())]
    assert len({f.path for f in iter_fields()}) == len(list(iter_fields()))  # no field twice


def test_child_finds_nested_fields_and_nothing_else():
    impact = fields().child("impact")
    assert impact is not None and impact.is_object
    design = impact.child("evaluation").child("design")  # type: ignore[union-attr]
    assert design is not None
    assert (design.path, design.key, design.required, design.vocabulary) == (
        "impact.evaluation.design",
        "design",
        True,
        "evaluation_designs",
    )
    assert impact.child("design") is None  # only direct children
    assert fields().child("no_such_field") is None
    assert fields().child("id").child("anything") is None  # type: ignore[union-attr]


def test_a_list_of_objects_carries_the_fields_of_its_items():
    schema = case_schema()
    councils = fields().child("councils")
    assert councils is not None
    assert councils.is_list and councils.is_list_of_objects and not councils.is_object
    council = schema["$defs"]["council"]
    assert councils.items is not None and councils.items["type"] == "object"
    assert [f.key for f in councils.children] == list(council["properties"])
    assert [f.path for f in councils.children] == [f"councils[].{key}" for key in council["properties"]]
    assert {f.key for f in councils.children if f.required} == set(council["required"])
    assert councils.child("region").vocabulary == "regions"  # type: ignore[union-attr]


def test_a_list_of_terms_takes_its_vocabulary_from_its_items_and_has_no_children():
    themes = fields().child("themes")
    assert themes is not None
    assert themes.is_list and not themes.is_list_of_objects
    assert themes.vocabulary == "themes" and themes.children == ()
    assert themes.title == "Themes" and themes.description == "The service areas the case is about."


def test_markdown_fields_are_marked():
    markdown = {f.path for f in iter_fields() if f.markdown}
    assert {"problem", "approach", "impact.summary", "replication.guidance"} <= markdown
    assert "title" not in markdown


def test_fields_of_a_schema_given_resolves_refs_and_falls_back_to_the_key_for_a_title():
    schema = {
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": {"type": "string", "title": "Name", "description": "What it is called.", "x-markdown": True},
            "parts": {"type": "array", "items": {"$ref": "#/$defs/part"}},
            "where": {"type": "object", "properties": {"town": {"type": "string"}}},
        },
        "$defs": {"part": {"type": "object", "required": ["size"], "properties": {"size": {"type": "integer"}}}},
    }
    tree = fields(schema)
    assert [(f.path, f.required) for f in flatten(tree)] == [
        ("name", True),
        ("parts", False),
        ("parts[].size", True),
        ("where", False),
        ("where.town", False),
    ]
    name, parts, where = tree.children
    assert (name.title, name.description, name.markdown) == ("Name", "What it is called.", True)
    assert (where.title, where.description, where.markdown) == ("where", "", False)
    assert parts.items == {"type": "object", "required": ["size"], "properties": {"size": {"type": "integer"}}}
    assert [f.path for f in iter_fields(schema)] == [f.path for f in flatten(tree)]


# ---------- limits in words: one wording for the validator, the form, the template and the format page ----------


def field(path: str) -> Field:
    return next(f for f in iter_fields() if f.path == path)


def test_a_bound_reads_with_its_unit_in_the_singular_or_plural():
    assert bound_in_words("minLength", 10) == "at least 10 characters"
    assert bound_in_words("maxLength", 1) == "at most 1 character"
    assert bound_in_words("minItems", 1) == "at least 1 item"
    assert bound_in_words("maxItems", 4) == "at most 4 items"
    assert bound_in_words("minimum", 1990) == "at least 1990"
    assert bound_in_words("maximum", 2100) == "at most 2100"
    assert bound_in_words("exclusiveMaximum", 1e15) == "below 1,000,000,000,000,000"
    assert bound_in_words("exclusiveMinimum", -(10**15)) == "above -1,000,000,000,000,000"


def test_a_fields_constraints_read_as_ranges_terms_and_patterns():
    assert constraints_in_words(field("title")) == ["10 to 120 characters"]
    assert constraints_in_words(field("themes")) == ["a term of themes", "1 to 4 items", "no repeats"]
    assert constraints_in_words(field("year_started")) == ["at least 1990"]
    assert constraints_in_words(field("impact.measures[].year")) == ["from 1990 to 2100"]
    assert constraints_in_words(field("id")) == ["3 to 80 characters", "matches ^[a-z0-9]+(-[a-z0-9]+)*$"]
    assert constraints_in_words(field("id"), pattern=False) == ["3 to 80 characters"]
    themes = ", ".join(vocabularies()["themes"].ids())
    assert constraints_in_words(field("themes"), terms=True)[0] == f"choose from: {themes}"
    assert constraints_in_words(field("status"), terms=True) == ["one of: " + ", ".join(vocabularies()["status"].ids())]
    own = {"type": "object", "properties": {"size": {"type": "string", "enum": ["small", "large"]}}}
    assert constraints_in_words(fields(own).children[0]) == ["one of: small, large"]


def test_every_bound_of_the_format_is_worded_alike_on_the_format_page_in_the_template_and_in_the_form():
    from generator.maintain.scaffold import case_template
    from generator.site.form import form_spec
    from generator.site.pages.reference import field_rows as _field_rows

    rows = {row["path"]: row["rule"] for row in _field_rows()}
    template = case_template("a-new-case")
    specs: dict[str, dict[str, Any]] = {}

    def collect(items: list[dict[str, Any]], prefix: str) -> None:
        for spec in items:
            path = prefix + spec["key"]
            specs[path] = spec
            collect(spec.get("fields", []), path + ("[]." if spec["kind"] == "list-object" else "."))

    collect(form_spec(), "")
    bounded = [f for f in iter_fields() if any(key in f.schema for key in BOUND_KEYWORDS)]
    assert len(bounded) > 20
    for f in bounded:
        words = constraints_in_words(f)
        assert rows[f.path] == "; ".join(words), f.path
        shown = "; ".join(constraints_in_words(f, terms=True, pattern=False))
        assert shown[0].upper() + shown[1:] + "." in template, f.path
        bounds = {key: bound_in_words(key, f.schema[key]) for key in BOUND_KEYWORDS if key in f.schema}
        assert specs[f.path]["bounds"] == bounds, f.path
