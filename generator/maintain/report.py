"""Reporters: print problems as text, GitHub workflow commands or JSON.

A reporter is one function from problems to text, chosen by name; adding a
format is adding one function and one entry in :data:`REPORTERS`. Every reporter
shows what came from a case (a file name, a value quoted in a message) with the
characters a terminal could act on escaped (:func:`generator.core.problems.visible`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

import click

from ..core.problems import Problem, json_visible, visible


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(problems: Sequence[Problem], files: int) -> str:
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    return f"checked {_plural(files, 'file')}: {_plural(errors, 'error')}, {_plural(warnings, 'warning')}"


def text(problems: Sequence[Problem], files: int, colour: bool = False) -> str:
    lines = []
    for p in problems:
        level = (
            click.style(p.severity, fg="red" if p.severity == "error" else "yellow", bold=True)
            if colour
            else p.severity
        )
        where = f"{visible(p.path)}: " if p.path else ""
        lines.append(f"{visible(p.file)}:{p.line}:{p.column}: {level}: {where}{visible(p.message)} [{p.rule}]")
    lines.append(summary_line(problems, files))
    return "\n".join(lines)


def _escape_data(value: str) -> str:
    return visible(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(problems: Sequence[Problem], files: int, colour: bool = False) -> str:
    """GitHub Actions workflow commands: one annotation per problem."""
    lines = []
    for p in problems:
        props = ",".join(
            f"{k}={_escape_property(str(v))}"
            for k, v in (("file", p.file), ("line", p.line), ("col", p.column), ("title", p.rule))
        )
        where = f"{p.path}: " if p.path else ""
        lines.append(f"::{p.severity} {props}::{_escape_data(where + p.message)}")
    lines.append(summary_line(problems, files))
    return "\n".join(lines)


def as_json(problems: Sequence[Problem], files: int, colour: bool = False) -> str:
    return json_visible(json.dumps([p.as_dict() for p in problems], indent=2, ensure_ascii=False))


REPORTERS: dict[str, Callable[[Sequence[Problem], int, bool], str]] = {
    "text": text,
    "github": github,
    "json": as_json,
}
