"""casebook fmt: rewrite case files in the canonical key order and one style.

Round-trips with ruamel.yaml so comments and quoting survive. Keys are put in
the order the schema lists them (unknown keys keep their place at the end),
flow collections become block style, and indentation is uniform. A file is
only rewritten if the result parses, with the safe loader, to exactly the same
data; it is written to a temporary file and renamed over the original, so an
interrupted write never leaves half a file, and the file keeps its mode. A
symbolic link is left alone rather than replaced by a copy of its target.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..core.files import write_atomically
from ..core.load import parse_bytes, read_file
from ..core.problems import Problem
from ..core.schema import Field, fields


@dataclass(frozen=True)
class FormatResult:
    file: str
    changed: bool
    problems: list[Problem]


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a line: that changes diffs, not meaning
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _order(node: Any, field: Field | None) -> None:
    """Reorder mapping keys as the schema lists them, recursively; make collections block style.

    ``field`` is the schema's field for ``node`` (None for a key the schema does not know)."""
    children = field.children if field is not None else ()
    if isinstance(node, CommentedMap):
        node.fa.set_block_style()
        known = [child.key for child in children if child.key in node]
        for key in known + [key for key in list(node) if key not in known]:
            node.move_to_end(key)
        for key, value in node.items():
            _order(value, field.child(key) if field is not None and isinstance(key, str) else None)
    elif isinstance(node, CommentedSeq):
        node.fa.set_block_style()
        for item in node:
            # The items of a list of objects are ordered by its fields; a list of text has none.
            _order(item, field if field is not None and field.is_list_of_objects else None)


def canonical_text(text: str) -> str:
    """The canonical form of a case file's text (which must already load safely)."""
    yaml = _yaml()
    document = yaml.load(text)
    _order(document, fields())
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


_COMMENT = re.compile(r"(?:^|[ \t])(#.*)$")


def _comments(text: str) -> Counter[str]:
    """Every comment of ``text`` (a ``#`` at a line's start or after a space, to the line's end).

    Quoted text holding " #" counts too; it is the same before and after formatting,
    so it never hides a lost comment.
    """
    found: Counter[str] = Counter()
    for line in text.splitlines():
        match = _COMMENT.search(line)
        if match:
            found[match[1].rstrip()] += 1
    return found


def _lost_comment(original: str, formatted: str) -> Problem | None:
    lost = _comments(original) - _comments(formatted)
    if not lost:
        return None
    comment = min(lost)
    line = next(i for i, text in enumerate(original.splitlines(), 1) if comment in text)
    message = (
        f"formatting would drop the comment {comment!r} (ruamel.yaml loses comments before an alias "
        "or around directives), so the file was left as it is; move the comment beside a key"
    )
    return Problem("", line, 1, "", "fmt-comment", message)


def format_file(path: Path, *, check: bool) -> FormatResult:
    """Format one file (or, with ``check``, only report whether it would change)."""
    name = str(path)
    if path.is_symlink():
        message = "is a symbolic link; fmt rewrites only regular files, so it was left as it is"
        return FormatResult(name, False, [Problem(name, 1, 1, "", "fmt-link", message)])
    doc, problems = read_file(path, name)
    fatal = [p for p in problems if p.severity == "error"]
    if doc is None or fatal:
        return FormatResult(name, False, problems)
    original = path.read_bytes().decode("utf-8")
    formatted = canonical_text(original)
    after, _ = parse_bytes(formatted.encode("utf-8"), name)
    if after is None or after.data != doc.data:
        return FormatResult(
            name,
            False,
            [Problem(name, 1, 1, "", "fmt-unsafe", "formatting would change a value, so the file was left as it is")],
        )
    lost = _lost_comment(original, formatted)
    if lost is not None:
        return FormatResult(name, False, [Problem(name, lost.line, 1, "", lost.rule, lost.message)])
    changed = formatted != original
    if changed and not check:
        write_atomically(path, formatted)
    return FormatResult(name, changed, [])
