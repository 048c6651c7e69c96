"""Schema errors in words a council analyst can act on, each with its key path, line and column.

Valid files take the fast path: one compiled ``jsonschema_rs`` validity check. Only a
file that fails is walked again with ``jsonschema``, and each error it finds is explained
here ("'housin' is not a term of the 'themes' vocabulary; did you mean 'housing'?"). The
project's own vocabulary file is checked against its schema the same way.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from .load import Document, parse_bytes

if TYPE_CHECKING:  # jsonschema itself is imported only to explain an invalid file
    import jsonschema
from .problems import Problem, format_path
from .schema import (
    VOCABULARIES_FILE,
    Field,
    bound_in_words,
    case_schema,
    data_path,
    fields,
    vocabularies,
    vocabularies_schema,
)

_TYPE_WORDS = {
    "object": "a mapping of keys to values",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "nothing",
}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {short(value)}"
    return f"the number {value!r}"


def short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    if len(text) <= limit:
        return text
    quote = text[-1] if text[-1] in "'\"" else ""
    return text[: limit - 3 - len(quote)] + "..." + quote


def suggest(value: Any, options: Iterable[Any], fuzzy: Iterable[str] | None = None) -> str:
    """A "did you mean" hint: options that start with or contain the typed word, else close ones.

    ``fuzzy`` narrows the options compared by similarity, the costly part (default: all).
    """
    words = [str(o) for o in options]
    typed = str(value).lower().replace(" ", "-").replace("_", "-")
    close = [w for w in words if len(typed) >= 3 and (w.lower().startswith(typed) or typed in w.split("-"))][:3]
    pool = words if fuzzy is None else list(fuzzy)
    close = close or difflib.get_close_matches(typed, pool, n=3, cutoff=0.7)
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


# Case format 1.1, "The file": characters no text value may hold. Tab and line feed
# are allowed in Markdown fields only. Noncharacters: U+FDD0-U+FDEF and the last two


@cache
def _fast(schema_name: str) -> Any:
    """The compiled validity check of a schema (``case`` or ``vocabularies``)."""
    schema = case_schema() if schema_name == "case" else vocabularies_schema()
    return jsonschema_rs.validator_for(schema, validate_formats=True)


@cache
def _detailed(schema_name: str) -> jsonschema.Draft202012Validator:
    """The validator that says what is wrong and where, for files the fast check refuses."""
    import jsonschema

    if schema_name == "vocabularies":
        return jsonschema.Draft202012Validator(vocabularies_schema())
    return jsonschema.Draft202012Validator(case_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def _explain(error: jsonschema.ValidationError) -> Iterator[tuple[tuple[str | int, ...], bool, str, str]]:
    """Yield (path, point-at-key, rule, message) for one schema error."""
    path = tuple(error.absolute_path)
    kind = str(error.validator)
    schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    value: Any = error.instance
    expected: Any = error.validator_value
    vocab = schema.get("x-vocabulary")
    if kind == "required":
        present = value if isinstance(value, dict) else {}
        for key in expected:
            if key not in present:
                yield (*path, key), False, "required", f"the required key {key!r} is missing"
    elif kind == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        for key in value:
            if key not in allowed:
                hint = suggest(key, allowed) or f"; allowed keys: {', '.join(allowed)}"
                yield (*path, key), True, "unknown-key", f"unknown key {key!r}{hint}"
    elif kind == "enum" and vocab:
        terms = vocabularies()[vocab].ids()
        hint = suggest(value, terms)
        listed = "" if hint and len(terms) > 8 else f" (allowed: {', '.join(map(str, terms))})"
        yield path, False, "vocabulary", f"{short(value)} is not a term of the {vocab!r} vocabulary{hint}{listed}"
    elif kind == "enum":
        choices = ", ".join(map(repr, expected))
        yield path, False, "enum", f"{short(value)} is not allowed; use one of {choices}"
    elif kind == "type":
        wanted = expected if isinstance(expected, list) else [expected]
        words = " or ".join(_TYPE_WORDS[w] for w in wanted)
        yield path, False, "type", f"expected {words}, got {_describe(value)}"
    elif kind in ("minLength", "maxLength"):
        n = len(value)
        must = bound_in_words(kind, expected)
        yield path, False, "length", f"{short(value)} is {n} character{'s' * (n != 1)} long; it must be {must}"
    elif kind in ("minItems", "maxItems"):
        n = len(value)
        yield path, False, "count", f"has {n} item{'s' * (n != 1)}; it must have {bound_in_words(kind, expected)}"
    elif kind == "uniqueItems":
        seen: set[str] = set()
        for item in value:
            if repr(item) in seen:
                yield path, False, "unique", f"{short(item)} is listed more than once"
                break
            seen.add(repr(item))
    elif kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        yield path, False, "range", f"{short(value)} is out of range; it must be {bound_in_words(kind, expected)}"
    elif kind == "pattern":
        what = schema.get("description", "")
        yield path, False, "pattern", f"{short(value)} is not in the right form: {what}"
    elif kind == "not" and isinstance(expected, dict) and "enum" in expected:
        reserved = ", ".join(map(str, expected["enum"]))
        message = f"{short(value)} is a name the site uses for its own pages; choose another (reserved: {reserved})"
        yield path, False, "reserved", message
    elif kind == "format":
        yield path, False, "format", f"{short(value)} is not a valid {expected}"
    else:
        yield path, False, str(kind), error.message


@cache
def vocabulary_problems() -> tuple[Problem, ...]:
    """Problems in the project's own vocabulary file, checked against its schema.

    A term with a missing, empty or extra key (a flow mapping cut at a comma
    makes one) would otherwise reach every page, the form and the exports.
    """
    path = data_path(VOCABULARIES_FILE)
    return tuple(check_vocabularies(path.read_bytes(), _shown(str(path))))


def check_vocabularies(data: bytes, name: str) -> list[Problem]:
    """Every way a vocabulary file's bytes break the vocabularies' schema, with positions."""
    doc, problems = parse_bytes(data, name)
    if doc is not None:
        errors = () if _fast("vocabularies").is_valid(doc.data) else _detailed("vocabularies").iter_errors(doc.data)
        for error in errors:
            for where, at_key, rule, message in _explain(error):
                line, col = doc.locate(where, key=at_key)
                problems.append(Problem(name, line, col, format_path(where), rule, message))
    return sorted(problems)


def _shown(path: str) -> str:
    """A path relative to the working folder when it is inside it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def unfilled(data: Any) -> dict[tuple[str | int, ...], Field]:
    """Required keys whose value is still to write (nothing, or blank text), with their field.

    A fresh ``casebook new`` template leaves every required value empty like this.
    Walks the data beside the schema's fields without recursion; the loader has
    already bounded its depth.
    """
    # (path, field, value, whether value is one item of the field's list)
    stack: list[tuple[tuple[str | int, ...], Field, Any, bool]] = [((), fields(), data, False)]
    found: dict[tuple[str | int, ...], Field] = {}
    while stack:
        path, field, value, item = stack.pop()
        if isinstance(value, dict) and (item or field.is_object):
            for key, sub in value.items():
                child = field.child(key) if isinstance(key, str) else None
                if child is None:
                    continue
                if child.required and _blank(sub):
                    found[(*path, key)] = child
                else:
                    stack.append(((*path, key), child, sub, False))
        elif isinstance(value, list) and field.is_list_of_objects:
            stack.extend(((*path, i), field, entry, True) for i, entry in enumerate(value))
    return found


def _fill_in(field: Field) -> str:
    return f"fill in {field.title}: {field.description}" if field.description else f"fill in {field.title}"


def schema_problems(doc: Document) -> list[Problem]:
    """Every way ``doc`` breaks the JSON Schema; empty when it is valid.

    A required value still to write is one problem, "fill in <title>: <description>",
    however many rules its emptiness breaks; a value of the wrong type is not also
    reported as not being a term of its vocabulary.
    """
    if _fast("case").is_valid(doc.data):
        return []
    blanks = unfilled(doc.data)
    found: list[tuple[tuple[str | int, ...], bool, str, str]] = []
    for error in _detailed("case").iter_errors(doc.data):
        found.extend(item for item in _explain(error) if item[0] not in blanks)
    for path, field in blanks.items():
        found.append((path, True, "fill-in", _fill_in(field)))
    mistyped = {path for path, _, rule, _ in found if rule == "type"}
    problems = []
    for path, at_key, rule, message in found:
        if rule in ("vocabulary", "enum") and path in mistyped:
            continue
        line, col = doc.locate(path, key=at_key)
        problems.append(Problem(doc.file, line, col, format_path(path), rule, message))
    return sorted(set(problems))
