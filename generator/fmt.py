"""casebook fmt: rewrite case files in the canonical key order and one style.

Round-trips with ruamel.yaml so comments and quoting survive. Keys are put in
the order the schema lists them (unknown keys keep their place at the end),
flow collections become block style, and indentation is uniform. A file is
only rewritten if the result parses, with the safe loader, to exactly the same
data; it is written to a temporary file and renamed over the original, so an
interrupted write never leaves half a file.
"""

from __future__ import annotations

import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .load import parse_bytes, read_file
from .problems import Problem
from .schema import case_schema, resolve


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


def _order(node: Any, schema: dict[str, Any], root: dict[str, Any]) -> None:
    """Reorder mapping keys as the schema lists them, recursively; make collections block style."""
    schema = resolve(root, schema)
    if isinstance(node, CommentedMap):
        node.fa.set_block_style()
        properties = schema.get("properties", {})
        known = [key for key in properties if key in node]
        for key in known + [key for key in list(node) if key not in properties]:
            node.move_to_end(key)
        for key, value in node.items():
            _order(value, properties.get(key, {}), root)
    elif isinstance(node, CommentedSeq):
        node.fa.set_block_style()
        for item in node:
            _order(item, schema.get("items", {}), root)


def canonical_text(text: str) -> str:
    """The canonical form of a case file's text (which must already load safely)."""
    yaml = _yaml()
    document = yaml.load(text)
    schema = case_schema()
    _order(document, schema, schema)
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` all at once: temporary file, fsync, rename."""
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def format_file(path: Path, *, check: bool) -> FormatResult:
    """Format one file (or, with ``check``, only report whether it would change)."""
    name = str(path)
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
    changed = formatted != original
    if changed and not check:
        write_atomically(path, formatted)
    return FormatResult(name, changed, [])
