"""Check loaded case documents against the schema and the catalogue's rules.

Valid files take the fast path: one compiled ``jsonschema_rs`` validity check.
Only a file that fails is walked again with ``jsonschema`` to explain every
error with its key path, line and column, in words a council analyst can act on.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import yaml

from .council_checks import council_problems
from .load import Document, parse_bytes
from .markdown import MAX_DEPTH, too_deep
from .problems import Problem, format_path
from .schema import (
    VOCABULARIES_FILE,
    Field,
    bound_in_words,
    case_schema,
    data_path,
    fields,
    iter_fields,
    vocabularies,
    vocabularies_schema,
)

REVIEW_MONTHS = 24

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
        return f"the text {_short(value)}"
    return f"the number {value!r}"


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    if len(text) <= limit:
        return text
    quote = text[-1] if text[-1] in "'\"" else ""
    return text[: limit - 3 - len(quote)] + "..." + quote


def _suggest(value: Any, options: Iterable[Any], fuzzy: Iterable[str] | None = None) -> str:
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
# code points of every plane.
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
_FORBIDDEN = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029" + _NONCHARACTERS
# Case format 1.2.1: bidirectional embeddings, overrides and isolates, which a one-line
# value could leave open to reverse the text a page or a message prints after it.
_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
_FORBIDDEN_IN_MARKDOWN = re.compile(f"[{_FORBIDDEN}]")
_FORBIDDEN_IN_TEXT = re.compile(f"[\t\n{_BIDI_CONTROLS}{_FORBIDDEN}]")
_BIDI_CONTROL = re.compile(f"[{_BIDI_CONTROLS}]")
_CHARACTER_KINDS = {0x09: "tab", 0x0A: "line feed", 0x2028: "line separator", 0x2029: "paragraph separator"}


def _character_message(char: str) -> str:
    code = ord(char)
    if code in (0x09, 0x0A):
        kind = _CHARACTER_KINDS[code]
        return f"holds U+{code:04X} ({kind}), which only Markdown fields may contain; write it on one line"
    if _BIDI_CONTROL.match(char):
        return f"holds U+{code:04X} (bidirectional control), which only Markdown fields may contain; remove it"
    kind = _CHARACTER_KINDS.get(code) or ("control character" if code <= 0x9F else "noncharacter")
    return f"holds U+{code:04X} ({kind}), which case text may not contain; remove it"


@cache
def _markdown_fields() -> frozenset[str]:
    """Paths of the Markdown fields, list positions left out (``impact.summary``)."""
    return frozenset(f.path.replace("[]", "") for f in iter_fields() if f.markdown)


# The printable ASCII characters, and those with tab and line feed, as bytes to delete with translate().
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))
_MARKDOWN_ASCII = _PRINTABLE_ASCII + b"\t\n"


def _refuses(text: str, *, markdown: bool) -> bool:
    """Whether ``text`` holds a character the format refuses; ASCII text (nearly all) is
    checked by deleting the allowed bytes, a hundred times faster than the pattern."""
    if text.isascii():
        return bool(text.encode("ascii").translate(None, _MARKDOWN_ASCII if markdown else _PRINTABLE_ASCII))
    return bool((_FORBIDDEN_IN_MARKDOWN if markdown else _FORBIDDEN_IN_TEXT).search(text))


@dataclass
class _Scan:
    """What one walk of a case's values beside the schema's fields finds: its texts, those of
    Markdown fields apart, and the values YAML typed otherwise than the field expects (a whole
    number written ``5.0``; an unquoted ``null`` or ``yes`` where text is expected)."""

    in_markdown: list[str]
    in_text: list[str]
    mistyped: list[tuple[tuple[str | int, ...], Field, Any]]
    markdown_at: list[tuple[str | int, ...]]  # where each of ``in_markdown`` is


def _expected_type(field: Field | None, item: bool) -> Any:
    if field is None:
        return None
    return (field.items or {}).get("type") if item else field.schema.get("type")


def _scan(data: Any) -> _Scan:
    """Walk a case's values beside the schema's field tree once (no recursion: the loader has
    bounded the depth): each value with its field, or None where the schema has no field for it."""
    scan = _Scan([], [], [], [])
    stack: list[tuple[tuple[str | int, ...], Any, Field | None, bool]] = [((), data, fields(), False)]
    while stack:
        path, value, field, item = stack.pop()
        if isinstance(value, str):
            if field is not None and field.markdown:
                scan.in_markdown.append(value)
                scan.markdown_at.append(path)
            else:
                scan.in_text.append(value)
        elif isinstance(value, dict):
            if field is not None and field.children:
                stack.extend(
                    ((*path, k), v, field.child(k) if isinstance(k, str) else None, False) for k, v in value.items()
                )
            else:
                stack.extend(((*path, k), v, None, False) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend(((*path, i), v, field, True) for i, v in enumerate(value))
        elif field is not None and (value is None or isinstance(value, bool | float)):
            expected = _expected_type(field, item)
            if (isinstance(value, float) and expected == "integer") or (
                (value is None or isinstance(value, bool)) and expected == "string"
            ):
                scan.mistyped.append((path, field, value))
    return scan


def text_problems(doc: Document, scan: _Scan | None = None) -> list[Problem]:
    """Every text value holding a character the format refuses (one problem per value).

    Almost every case holds none, so the texts are first searched together, two searches
    a file; only a file with a refused character is walked value by value to place each.
    Neither walk recurses; the loader has already bounded the depth.
    """
    scan = scan or _scan(doc.data)
    if not _refuses(" ".join(scan.in_markdown), markdown=True) and not _refuses(" ".join(scan.in_text), markdown=False):
        return []
    markdown = _markdown_fields()
    found = []
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), doc.data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(((*path, k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend(((*path, i), v) for i, v in enumerate(value))
        elif isinstance(value, str):
            field = ".".join(p for p in path if isinstance(p, str))
            pattern = _FORBIDDEN_IN_MARKDOWN if field in markdown else _FORBIDDEN_IN_TEXT
            bad = pattern.search(value)
            if bad:
                line, col = doc.locate(path)
                message = _character_message(bad[0])
                found.append(Problem(doc.file, line, col, format_path(path), "text-character", message))
    return sorted(found)


# The plain (unquoted) words YAML 1.1 reads as no value or as true and false, not as text.
_YAML_WORDS = frozenset(
    w for base in ("null", "true", "false", "yes", "no", "on", "off") for w in (base, base.title(), base.upper())
) | {"~"}


def mistyped_problems(doc: Document, scan: _Scan | None = None) -> list[Problem]:
    """Values YAML typed otherwise than their field expects, which JSON Schema lets through or
    explains in the wrong words (case format 1.2.1): a whole number written ``5.0`` (JSON Schema
    counts it an integer; the format does not), and an unquoted ``null``, ``yes`` or ``off`` where
    text or a vocabulary term is expected (YAML reads no value, or true or false)."""
    found = []
    for path, field, value in (scan or _scan(doc.data)).mistyped:
        if isinstance(value, float):
            if not value.is_integer():
                continue  # the schema reports it: not a whole number at all
            rule = "whole-number"
            message = f"{value!r} has a decimal point; {field.title} is a whole number: write {int(value)}"
        else:
            node = doc.node_at(path)
            if not isinstance(node, yaml.ScalarNode) or node.style or node.value not in _YAML_WORDS:
                continue  # left blank: the schema asks to fill it in
            if value is None and not field.vocabulary:
                continue  # null for a text: the schema asks to fill it in
            word = node.value
            meaning = "no value" if value is None else str(value).lower()
            terms = {str(t) for t in vocabularies()[field.vocabulary].ids()} if field.vocabulary else set()
            what = f"the term {word!r}" if word in terms else "text"
            where = f"{path[-1]}: " if isinstance(path[-1], str) else "- "
            rule = "yaml-word"
            message = f'YAML reads the unquoted word {word} as {meaning}, not as {what}; write {where}"{word}"'
        line, col = doc.locate(path)
        found.append(Problem(doc.file, line, col, format_path(path), rule, message))
    return found


def markdown_problems(doc: Document, scan: _Scan | None = None) -> list[Problem]:
    """Markdown fields whose HTML nests deeper than a case needs (block quotes, lists, tags):
    refused, since what reads that HTML after cmark slows down far faster than it grows."""
    scan = scan or _scan(doc.data)
    found = []
    for path, text in zip(scan.markdown_at, scan.in_markdown, strict=True):
        depth = too_deep(text)
        if depth is not None:
            line, col = doc.locate(path)
            message = (
                f"Markdown nested {depth:,} levels deep (block quotes, lists or HTML tags); "
                f"a case needs at most {MAX_DEPTH}: flatten it"
            )
            found.append(Problem(doc.file, line, col, format_path(path), "markdown-depth", message))
    return found


def check_document(doc: Document, today: date) -> list[Problem]:
    """Every problem of one case on its own: the schema, the characters of its texts, values YAML
    typed otherwise than meant, and the rules a schema cannot say. One walk of its values serves all."""
    scan = _scan(doc.data)
    mistyped = mistyped_problems(doc, scan)
    skip = {p.path for p in mistyped}
    return [
        *mistyped,
        *(p for p in schema_problems(doc) if p.path not in skip),
        *text_problems(doc, scan),
        *markdown_problems(doc, scan),
        *case_rules(doc, today),
    ]


@dataclass(frozen=True)
class _Checker:
    fast: Any
    detailed: jsonschema.Draft202012Validator


@cache
def _checker() -> _Checker:
    schema = case_schema()
    return _Checker(
        fast=jsonschema_rs.validator_for(schema, validate_formats=True),
        detailed=jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER),
    )


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
                hint = _suggest(key, allowed) or f"; allowed keys: {', '.join(allowed)}"
                yield (*path, key), True, "unknown-key", f"unknown key {key!r}{hint}"
    elif kind == "enum" and vocab:
        terms = vocabularies()[vocab].ids()
        hint = _suggest(value, terms)
        listed = "" if hint and len(terms) > 8 else f" (allowed: {', '.join(map(str, terms))})"
        yield path, False, "vocabulary", f"{_short(value)} is not a term of the {vocab!r} vocabulary{hint}{listed}"
    elif kind == "enum":
        choices = ", ".join(map(repr, expected))
        yield path, False, "enum", f"{_short(value)} is not allowed; use one of {choices}"
    elif kind == "type":
        wanted = expected if isinstance(expected, list) else [expected]
        words = " or ".join(_TYPE_WORDS[w] for w in wanted)
        yield path, False, "type", f"expected {words}, got {_describe(value)}"
    elif kind in ("minLength", "maxLength"):
        n = len(value)
        must = bound_in_words(kind, expected)
        yield path, False, "length", f"{_short(value)} is {n} character{'s' * (n != 1)} long; it must be {must}"
    elif kind in ("minItems", "maxItems"):
        n = len(value)
        yield path, False, "count", f"has {n} item{'s' * (n != 1)}; it must have {bound_in_words(kind, expected)}"
    elif kind == "uniqueItems":
        seen: set[str] = set()
        for item in value:
            if repr(item) in seen:
                yield path, False, "unique", f"{_short(item)} is listed more than once"
                break
            seen.add(repr(item))
    elif kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        yield path, False, "range", f"{_short(value)} is out of range; it must be {bound_in_words(kind, expected)}"
    elif kind == "pattern":
        what = schema.get("description", "")
        yield path, False, "pattern", f"{_short(value)} is not in the right form: {what}"
    elif kind == "not" and isinstance(expected, dict) and "enum" in expected:
        reserved = ", ".join(map(str, expected["enum"]))
        message = f"{_short(value)} is a name the site uses for its own pages; choose another (reserved: {reserved})"
        yield path, False, "reserved", message
    elif kind == "format":
        yield path, False, "format", f"{_short(value)} is not a valid {expected}"
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
        checker = jsonschema.Draft202012Validator(vocabularies_schema())
        for error in checker.iter_errors(doc.data):
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
    checker = _checker()
    if checker.fast.is_valid(doc.data):
        return []
    blanks = unfilled(doc.data)
    found: list[tuple[tuple[str | int, ...], bool, str, str]] = []
    for error in checker.detailed.iter_errors(doc.data):
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


def _months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month - (later.day < earlier.day)


def _parse_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def case_rules(doc: Document, today: date) -> list[Problem]:
    """The rules about one case that a JSON Schema cannot say."""
    data = doc.data if isinstance(doc.data, dict) else {}
    found: list[Problem] = []

    def add(path: tuple[str | int, ...], rule: str, message: str, severity: str = "error") -> None:
        line, col = doc.locate(path)
        found.append(Problem(doc.file, line, col, format_path(path), rule, message, severity))  # type: ignore[arg-type]

    path = Path(doc.file)
    if path.suffix == ".yml":
        found.append(
            Problem(
                doc.file,
                1,
                1,
                "",
                "file-extension",
                f"case files end in .yaml; rename it to {path.with_suffix('.yaml').name}",
            )
        )
    case_id = data.get("id")
    if isinstance(case_id, str) and case_id.strip() and case_id != path.stem:
        add(
            ("id",),
            "id-filename",
            f"the id {case_id!r} must equal the file name; rename the file to {case_id}.yaml or set id: {path.stem}",
        )
    reviewed = _parse_date(data.get("last_reviewed"))
    if reviewed and reviewed > today:
        add(
            ("last_reviewed",), "date-future", f"{reviewed.isoformat()} is in the future (today is {today.isoformat()})"
        )
    elif reviewed and _months_between(reviewed, today) >= REVIEW_MONTHS:
        add(
            ("last_reviewed",),
            "review-overdue",
            f"last reviewed {reviewed.isoformat()}, more than {REVIEW_MONTHS} months ago; check it against its sources",
            "warning",
        )
    year = data.get("year_started")
    if isinstance(year, int) and not isinstance(year, bool) and year > today.year:
        add(("year_started",), "year-future", f"{year} is after this year ({today.year})")
    related = data.get("related")
    if isinstance(related, list) and case_id in related:
        add(("related", related.index(case_id)), "related-self", f"a case cannot be related to itself ({case_id!r})")
    for path_, rule, message in evidence_problems(data):
        add(path_, rule, message)
    for path_, rule, message in council_problems(data):
        add(path_, rule, message)
    for index, url in _urls(data):
        if url.startswith("http://"):
            add(index, "insecure-url", f"{_short(url)} uses plain http; use https if the site offers it", "warning")
    return found


COMPARISON_DESIGNS = ("comparison-group", "randomised-trial")
NOT_POSITIVE = ("null", "negative", "too-early")


def evidence_problems(data: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    """Case format 1.1: the evidence level against its evaluation, and source numbers that exist.

    Yields (path, rule, message). The same rules, with the same messages, run in the browser
    (docs/javascripts/propose.js); both are tested against tests/fixtures/rules/vectors.yaml.
    """
    impact: dict[str, Any] = data["impact"] if isinstance(data.get("impact"), dict) else {}
    level = impact.get("evidence_level")
    evaluation: dict[str, Any] | None = impact["evaluation"] if isinstance(impact.get("evaluation"), dict) else None
    sources = data.get("sources")
    count = len(sources) if isinstance(sources, list) else 0
    if isinstance(level, int) and not isinstance(level, bool) and level in vocabularies()["evidence_levels"].ids():
        yield from _level_problems(level, evaluation)
    measures = impact.get("measures")
    for i, measure in enumerate(measures if isinstance(measures, list) else []):
        source = measure.get("source") if isinstance(measure, dict) else None
        if _out_of(source, count):
            metric = measure.get("metric", f"number {i + 1}")
            yield (
                ("impact", "measures", i, "source"),
                "source-exists",
                f"the measure {_short(metric)} cites source {source}, but the case lists {_sources(count)}",
            )
    if evaluation is not None and _out_of(evaluation.get("source"), count):
        yield (
            ("impact", "evaluation", "source"),
            "source-exists",
            f"the evaluation cites source {evaluation['source']}, but the case lists {_sources(count)}",
        )


def _level_problems(level: int, evaluation: dict[str, Any] | None) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    where = ("impact", "evidence_level")
    design = evaluation.get("design") if evaluation else None
    by = evaluation.get("by") if evaluation else None
    result = evaluation.get("result") if evaluation else None
    if level >= 3 and design not in COMPARISON_DESIGNS:
        found = f"the evaluation's design is {design!r}" if evaluation else "the case has no impact.evaluation"
        yield (
            where,
            "evidence-design",
            (
                f"evidence level {level} needs an evaluation against a comparison group or a randomised trial, "
                f"but {found}; use level 2 at most, or add the evaluation"
            ),
        )
    if level >= 4 and evaluation and by != "independent":
        yield (
            where,
            "evidence-independent",
            (
                f"evidence level {level} needs an independent evaluation, "
                f"but it was evaluated by {by!r}; use level 3 at most"
            ),
        )
    if level > 2 and by == "supplier":
        yield (
            where,
            "evidence-supplier",
            (f"evidence level {level} rests on the supplier's own evaluation, which allows level 2 at most"),
        )
    if level > 1 and result in NOT_POSITIVE:
        yield (
            where,
            "evidence-result",
            (
                f"evidence level {level} rates evidence of positive impact, but the evaluation's result is {result!r}; "
                "use level 1 (the site shows the result plainly)"
            ),
        )


def _out_of(source: Any, count: int) -> bool:
    return isinstance(source, int) and not isinstance(source, bool) and source > count


def _sources(count: int) -> str:
    return f"{count} source{'s' * (count != 1)}"


def _urls(data: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    sources = data.get("sources")
    for i, source in enumerate(sources if isinstance(sources, list) else []):
        if isinstance(source, dict) and isinstance(source.get("url"), str):
            yield ("sources", i, "url"), source["url"]
    contact = data.get("contact")
    if isinstance(contact, dict) and isinstance(contact.get("url"), str):
        yield ("contact", "url"), contact["url"]


CROSS_FILE_RULES = frozenset({"related-exists", "related-self", "id-unique"})  # rules about more than one file


def catalogue_rules(docs: list[Document], known_ids: set[str]) -> list[Problem]:
    """Rules across files: unique ids, and ``related`` ids that exist."""
    found: list[Problem] = []
    first_file: dict[str, str] = {}
    for doc in docs:
        data = doc.data if isinstance(doc.data, dict) else {}
        case_id = data.get("id")
        if isinstance(case_id, str):
            if case_id in first_file:
                line, col = doc.locate(("id",))
                found.append(
                    Problem(
                        doc.file,
                        line,
                        col,
                        "id",
                        "id-unique",
                        f"the id {case_id!r} is already used by {first_file[case_id]}",
                    )
                )
            else:
                first_file[case_id] = doc.file
    ids = known_ids | set(first_file)
    ordered = sorted(ids)
    by_length: dict[int, list[str]] = {}
    for known in ordered:
        by_length.setdefault(len(known), []).append(known)
    for doc in docs:
        data = doc.data if isinstance(doc.data, dict) else {}
        related = data.get("related")
        unknown = 0
        for i, other in enumerate(related if isinstance(related, list) else []):
            if isinstance(other, str) and other not in ids and other != data.get("id"):
                unknown += 1
                hint = ""
                if unknown <= SUGGESTIONS_PER_FILE:
                    hint = _suggest(other, ordered, _near_in_length(other, by_length))
                line, col = doc.locate(("related", i))
                message = f"no case has the id {other!r}{hint}"
                found.append(Problem(doc.file, line, col, f"related[{i}]", "related-exists", message))
    return found


SUGGESTIONS_PER_FILE = 5  # "did you mean" for the first few unknown ids of a file: each costs a scan of every id


def _near_in_length(word: str, by_length: dict[int, list[str]]) -> list[str]:
    """Ids whose length could make them a close match (difflib's 0.7 cutoff allows about 1.5x)."""
    low, high = int(len(word) / 1.5), int(len(word) * 1.5) + 1
    return [known for size in range(low, high + 1) for known in by_length.get(size, ())]
