"""What a case's values may hold: the characters of its text (case format 1.1 and 1.2.1),
values YAML typed otherwise than the field expects (1.2.1), and how deeply Markdown nests.

One walk of a case's values beside the schema's field tree (:func:`scan`) serves all three.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from .load import Document
from .markdown import MAX_DEPTH, too_deep
from .problems import Problem, format_path
from .schema import Field, fields, iter_fields, vocabularies

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
class Scan:
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


def scan(data: Any) -> Scan:
    """Walk a case's values beside the schema's field tree once (no recursion: the loader has
    bounded the depth): each value with its field, or None where the schema has no field for it."""
    result = Scan([], [], [], [])
    stack: list[tuple[tuple[str | int, ...], Any, Field | None, bool]] = [((), data, fields(), False)]
    while stack:
        path, value, field, item = stack.pop()
        if isinstance(value, str):
            if field is not None and field.markdown:
                result.in_markdown.append(value)
                result.markdown_at.append(path)
            else:
                result.in_text.append(value)
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
                result.mistyped.append((path, field, value))
    return result


def text_problems(doc: Document, found: Scan | None = None) -> list[Problem]:
    """Every text value holding a character the format refuses (one problem per value).

    Almost every case holds none, so the texts are first searched together, two searches
    a file; only a file with a refused character is walked value by value to place each.
    Neither walk recurses; the loader has already bounded the depth.
    """
    found = found or scan(doc.data)
    if not _refuses(" ".join(found.in_markdown), markdown=True) and not _refuses(
        " ".join(found.in_text), markdown=False
    ):
        return []
    markdown = _markdown_fields()
    problems = []
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
                problems.append(Problem(doc.file, line, col, format_path(path), "text-character", message))
    return sorted(problems)


# The plain (unquoted) words YAML 1.1 reads as no value or as true and false, not as text.
_YAML_WORDS = frozenset(
    w for base in ("null", "true", "false", "yes", "no", "on", "off") for w in (base, base.title(), base.upper())
) | {"~"}


def mistyped_problems(doc: Document, found: Scan | None = None) -> list[Problem]:
    """Values YAML typed otherwise than their field expects, which JSON Schema lets through or
    explains in the wrong words (case format 1.2.1): a whole number written ``5.0`` (JSON Schema
    counts it an integer; the format does not), and an unquoted ``null``, ``yes`` or ``off`` where
    text or a vocabulary term is expected (YAML reads no value, or true or false)."""
    problems = []
    for path, field, value in (found or scan(doc.data)).mistyped:
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
        problems.append(Problem(doc.file, line, col, format_path(path), rule, message))
    return problems


def markdown_problems(doc: Document, found: Scan | None = None) -> list[Problem]:
    """Markdown fields whose HTML nests deeper than a case needs (block quotes, lists, tags):
    refused, since what reads that HTML after cmark slows down far faster than it grows."""
    found = found or scan(doc.data)
    problems = []
    for path, text in zip(found.markdown_at, found.in_markdown, strict=True):
        depth = too_deep(text)
        if depth is not None:
            line, col = doc.locate(path)
            message = (
                f"Markdown nested {depth:,} levels deep (block quotes, lists or HTML tags); "
                f"a case needs at most {MAX_DEPTH}: flatten it"
            )
            problems.append(Problem(doc.file, line, col, format_path(path), "markdown-depth", message))
    return problems
