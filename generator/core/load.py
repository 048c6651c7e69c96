"""Read case files safely, keeping where each value came from.

A case file is untrusted input. It is read in these steps, each of which turns a
failure into a :class:`Problem` rather than an exception:

1. the size is checked before a byte is parsed (at most 256 KiB);
2. the bytes are decoded as UTF-8 (a bad byte is reported by offset);
3. libyaml (``yaml.CSafeLoader``) composes the node graph: it builds nodes, it
   never constructs objects, so a ``!!python/...`` tag cannot run;
4. :class:`_Builder` turns nodes into plain data (dicts, lists, str, int, float,
   bool, None; dates become ISO strings), refusing unknown tags, duplicate keys,
   more than 100 aliases, more than 10,000 values once aliases are expanded and
   values nested more than 20 levels deep. Expansion is counted, never
   performed, so an alias bomb costs nothing; nesting is counted on the way
   down, so no recursion limit can be reached (libyaml itself stops at 1,000).

The node graph is kept so that later problems can be given a line and column.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem, format_path

MAX_BYTES = 256 * 1024
MAX_ALIASES = 100
MAX_VALUES = 10_000
MAX_DEPTH = 20  # levels of lists and mappings; the format needs 4

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_SAFE = yaml.SafeLoader("")  # used only for its scalar constructors


class _Refused(Exception):
    """A limit broke: the whole file is refused."""

    def __init__(self, node: yaml.Node | None, rule: str, message: str) -> None:
        super().__init__(message)
        self.node, self.rule, self.message = node, rule, message


@dataclass
class Document:
    """The data of one case file and the nodes it came from."""

    file: str
    data: Any
    root: yaml.Node | None = field(repr=False, default=None)
    text: str = field(repr=False, default="")
    source: Path | None = field(repr=False, default=None)  # read again for positions when ``text`` was dropped

    def release(self) -> None:
        """Drop the node graph (it is composed again if a position is needed).

        Keeping thousands of node graphs alive makes Python's garbage collector
        walk them again and again; a valid file never needs its positions.
        """
        self.root = None

    def _nodes(self) -> yaml.Node | None:
        if self.root is None and not self.text and self.source is not None:
            data, _ = read_bytes(self.source, self.file)
            self.text = data.decode("utf-8", "replace").removeprefix("\ufeff") if data is not None else ""
        if self.root is None and self.text:
            self.root = yaml.compose(self.text, Loader=yaml.CSafeLoader)
        return self.root

    def _walk(self, parts: tuple[str | int, ...], key: bool) -> tuple[yaml.Node | None, yaml.Mark | None, bool]:
        """The deepest node on the way to ``parts``, the mark of it (or of its key), and whether it is the end."""
        node = self._nodes()
        if node is None:
            return None, None, False
        mark = node.start_mark
        for part in parts:
            child: yaml.Node | None = None
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == str(part):
                        child, mark = v, (k.start_mark if key else v.start_mark)
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                child = node.value[part]
                mark = child.start_mark
            if child is None:
                return node, mark, False
            node = child
        return node, mark, True

    def locate(self, parts: tuple[str | int, ...], *, key: bool = False) -> tuple[int, int]:
        """1-based line and column of the value at ``parts`` (or of its key).

        Walks as deep as the path exists, so a missing key points at its parent.
        """
        _, mark, _ = self._walk(parts, key)
        return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)

    def node_at(self, parts: tuple[str | int, ...]) -> yaml.Node | None:
        """The node the value at ``parts`` was read from; None where the path does not exist."""
        node, _, complete = self._walk(parts, False)
        return node if complete else None


class _Builder:
    """Turns a composed node graph into plain data, within the limits."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.memo: dict[int, Any] = {}
        self.sizes: dict[int, int] = {}
        self.heights: dict[int, int] = {}
        self.active: set[int] = set()
        self.aliases = 0
        self.problems: list[Problem] = []

    def problem(self, node: yaml.Node, path: tuple[str | int, ...], rule: str, msg: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.file, mark.line + 1, mark.column + 1, format_path(path), rule, msg))

    def build(self, node: yaml.Node, path: tuple[str | int, ...] = (), depth: int = 0) -> tuple[Any, int]:
        """Return (value, number of values once expanded); ``depth`` counts the collections above."""
        key = id(node)
        if key in self.memo:
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise _Refused(node, "yaml-aliases", f"more than {MAX_ALIASES} aliases")
            self.check_depth(node, depth + self.heights[key])
            return self.memo[key], self.sizes[key]
        if key in self.active:
            raise _Refused(node, "yaml-recursive", "an alias refers to a value that contains it")
        self.active.add(key)
        height = 0
        if isinstance(node, yaml.ScalarNode):
            value, size = self.scalar(node, path), 1
        else:
            self.check_depth(node, depth + 1)
            if isinstance(node, yaml.SequenceNode):
                value, size, height = self.sequence(node, path, depth + 1)
            else:
                assert isinstance(node, yaml.MappingNode)
                value, size, height = self.mapping(node, path, depth + 1)
        self.active.discard(key)
        self.memo[key], self.sizes[key], self.heights[key] = value, size, height
        return value, size

    def check_depth(self, node: yaml.Node, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise _Refused(
                node, "yaml-depth", f"values are nested more than {MAX_DEPTH} levels deep (a case needs at most 4)"
            )

    def check_tag(self, node: yaml.Node, path: tuple[str | int, ...], allowed: set[str]) -> None:
        if node.tag not in allowed:
            tag = node.tag.replace(_TAG, "!!")
            raise _Refused(node, "yaml-tag", f"the tag {tag} is not allowed in a case file")

    def scalar(self, node: yaml.ScalarNode, path: tuple[str | int, ...]) -> Any:
        self.check_tag(node, path, _SCALAR_TAGS)
        tag = node.tag[len(_TAG) :]
        if tag == "str":
            return node.value
        try:
            value = getattr(_SAFE, f"construct_yaml_{tag}")(node)
        except (ValueError, OverflowError):
            self.problem(node, path, "yaml-value", f"{node.value!r} is not a valid {tag}")
            return node.value
        if tag == "timestamp":
            return value.isoformat()
        if tag == "float" and not math.isfinite(value):
            self.problem(node, path, "yaml-value", f"{node.value!r} is not a finite number")
        return value

    def sequence(self, node: yaml.SequenceNode, path: tuple[str | int, ...], depth: int) -> tuple[Any, int, int]:
        """Return (list, values once expanded, levels of collections from this one down)."""
        self.check_tag(node, path, {_TAG + "seq"})
        items, total, below = [], 1, 0
        for index, child in enumerate(node.value):
            value, size = self.build(child, (*path, index), depth)
            items.append(value)
            total = self.count(child, total + size)
            below = max(below, self.heights[id(child)])
        return items, total, below + 1

    def mapping(self, node: yaml.MappingNode, path: tuple[str | int, ...], depth: int) -> tuple[Any, int, int]:
        """Return (dict, values once expanded, levels of collections from this one down)."""
        self.check_tag(node, path, {_TAG + "map"})
        result: dict[str, Any] = {}
        total, below = 1, 0
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                raise _Refused(key_node, "yaml-merge", "merge keys (<<) are not allowed; write the keys out")
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused(key_node, "yaml-key", "a key must be plain text, not a list or mapping")
            name = key_node.value
            value, size = self.build(value_node, (*path, name), depth)
            below = max(below, self.heights[id(value_node)])
            if name in result:
                self.problem(
                    key_node,
                    (*path, name),
                    "yaml-duplicate-key",
                    f"duplicate key {name!r}: it is already set above; keep one",
                )
                continue
            result[name] = value
            total = self.count(value_node, total + size + 1)
        return result, total, below + 1

    def count(self, node: yaml.Node, total: int) -> int:
        if total > MAX_VALUES:
            raise _Refused(node, "yaml-expansion", f"more than {MAX_VALUES:,} values once aliases are expanded")
        return total


def _mark_problem(file: str, error: yaml.YAMLError, rule: str) -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    parts = [getattr(error, "context", None), getattr(error, "problem", None)]
    text = " ".join(p for p in parts if p) or str(error)
    return Problem(file, line, col, "", rule, f"YAML syntax: {text}")


def _offset_position(data: bytes, offset: int) -> tuple[int, int]:
    head = data[:offset]
    line = head.count(b"\n") + 1
    col = offset - (head.rfind(b"\n") + 1) + 1
    return line, col


def parse_bytes(data: bytes, file: str) -> tuple[Document | None, list[Problem]]:
    """Parse one case file's bytes into a :class:`Document` and its problems."""
    if len(data) > MAX_BYTES:
        return None, [_size_problem(file, len(data))]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, col = _offset_position(data, error.start)
        byte = data[error.start]
        return None, [
            Problem(
                file,
                line,
                col,
                "",
                "encoding",
                f"not UTF-8: byte 0x{byte:02x} at offset {error.start}; save the file as UTF-8",
            )
        ]
    text = text.removeprefix("\ufeff")
    try:
        root = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.composer.ComposerError as error:
        rule = "yaml-multiple-documents" if "single document" in str(error) else "yaml-syntax"
        problem = _mark_problem(file, error, rule)
        if rule == "yaml-multiple-documents":
            problem = Problem(
                file,
                problem.line,
                problem.column,
                "",
                rule,
                "a case file holds one YAML document; remove the second '---'",
            )
        return None, [problem]
    except yaml.YAMLError as error:
        return None, [_mark_problem(file, error, "yaml-syntax")]
    if root is None:
        return None, [Problem(file, 1, 1, "", "empty-file", "the file is empty")]
    builder = _Builder(file)
    try:
        value, _ = builder.build(root)
    except _Refused as refused:
        mark = refused.node.start_mark if refused.node is not None else None
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, [Problem(file, line, col, "", refused.rule, f"refused: {refused.message}")]
    return Document(file, value, root, text), builder.problems


def _size_problem(file: str, size: int) -> Problem:
    return Problem(
        file,
        1,
        1,
        "",
        "file-size",
        f"the file is {size / 1024:.0f} KiB; a case file may be at most {MAX_BYTES // 1024} KiB",
    )


def read_bytes(path: Path, file: str | None = None) -> tuple[bytes | None, list[Problem]]:
    """One case file's bytes, its size checked before it is read; or the problem that stops it."""
    name = file if file is not None else str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [_size_problem(name, size)]
        with path.open("rb") as handle:
            return handle.read(MAX_BYTES + 1), []
    except OSError as error:
        return None, [Problem(name, 1, 1, "", "file-read", f"cannot read the file: {error.strerror}")]


def read_file(path: Path, file: str | None = None) -> tuple[Document | None, list[Problem]]:
    """Read and parse one case file; the size is checked before it is read."""
    name = file if file is not None else str(path)
    data, problems = read_bytes(path, name)
    return parse_bytes(data, name) if data is not None else (None, problems)
