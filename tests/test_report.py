"""The reporters of ``generator/report.py``: problems as text, GitHub workflow commands or JSON."""

from __future__ import annotations

import json
import re

import click
import pytest

from generator.core.problems import Problem
from generator.maintain import report

from helpers import TODAY, run_cli, write_case


def broken(tmp_path, minimal):
    minimal["themes"] = ["housin"]
    minimal["councils"][0]["gss_code"] = "X1"
    return write_case(tmp_path, minimal)


def test_text_format_lists_every_problem_with_position(tmp_path, minimal):
    path = broken(tmp_path, minimal)
    result = run_cli("validate", str(path), "--today", TODAY.isoformat())
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[-1] == "checked 1 file: 2 errors, 0 warnings"
    assert re.fullmatch(rf"{re.escape(str(path))}:\d+:\d+: error: themes\[0\]: 'housin' is not a term .*", lines[1])
    assert "Traceback" not in result.stderr


def test_github_format_is_one_workflow_command_per_problem(tmp_path, minimal):
    path = broken(tmp_path, minimal)
    result = run_cli("validate", "--format", "github", str(path), "--today", TODAY.isoformat())
    commands = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert len(commands) == 2
    for command in commands:
        assert re.fullmatch(r"::error file=[^,:]+,line=\d+,col=\d+,title=[a-z-]+::.+", command), command


def test_json_format_has_stable_keys(tmp_path, minimal):
    path = broken(tmp_path, minimal)
    result = run_cli("validate", "--format", "json", str(path), "--today", TODAY.isoformat())
    problems = json.loads(result.stdout)
    assert [sorted(p) for p in problems] == [["column", "file", "line", "message", "path", "rule", "severity"]] * 2


# The reporters themselves, on problems made by hand.

ERROR = Problem("cases/a.yaml", 3, 5, "themes[0]", "vocabulary", "'housin' is not a term of themes")
WARNING = Problem("cases/b.yaml", 1, 1, "", "stale", "last reviewed over a year ago", "warning")


@pytest.mark.parametrize(
    ("problems", "files", "line"),
    [
        ([], 1, "checked 1 file: 0 errors, 0 warnings"),
        ([ERROR, WARNING], 2, "checked 2 files: 1 error, 1 warning"),
        ([ERROR, ERROR, WARNING, WARNING, WARNING], 0, "checked 0 files: 2 errors, 3 warnings"),
    ],
    ids=["none", "one-each", "several"],
)
def test_summary_line_counts_files_errors_and_warnings_in_the_singular_or_plural(problems, files, line):
    assert report.summary_line(problems, files) == line


def test_text_is_one_line_per_problem_then_the_summary():
    assert report.text([ERROR, WARNING], 2) == (
        "cases/a.yaml:3:5: error: themes[0]: 'housin' is not a term of themes [vocabulary]\n"
        "cases/b.yaml:1:1: warning: last reviewed over a year ago [stale]\n"
        "checked 2 files: 1 error, 1 warning"
    )


def test_text_without_problems_is_only_the_summary():
    assert report.text([], 3) == "checked 3 files: 0 errors, 0 warnings"


def test_text_in_colour_styles_only_the_severity():
    coloured = report.text([ERROR, WARNING], 2, colour=True)
    assert click.unstyle(coloured) == report.text([ERROR, WARNING], 2)
    first, second, _ = coloured.splitlines()
    assert first.startswith("cases/a.yaml:3:5: " + click.style("error", fg="red", bold=True) + ": ")
    assert second.startswith("cases/b.yaml:1:1: " + click.style("warning", fg="yellow", bold=True) + ": ")


def test_github_is_one_workflow_command_per_problem_then_the_summary():
    assert report.github([ERROR, WARNING], 2) == (
        "::error file=cases/a.yaml,line=3,col=5,title=vocabulary::themes[0]: 'housin' is not a term of themes\n"
        "::warning file=cases/b.yaml,line=1,col=1,title=stale::last reviewed over a year ago\n"
        "checked 2 files: 1 error, 1 warning"
    )


def test_github_escapes_what_would_end_a_property_or_the_command():
    odd = Problem("cases/x,y:z.yaml", 2, 1, "title", "text", "100% wrong\r\nsecond line")
    assert report.github([odd], 1).splitlines()[0] == (
        "::error file=cases/x%2Cy%3Az.yaml,line=2,col=1,title=text::title: 100%25 wrong%0D%0Asecond line"
    )


def test_json_is_the_problems_as_objects_and_keeps_non_ascii_text():
    accented = Problem("cases/café.yaml", 4, 2, "summary", "text", "‘curly’ quotes", "warning")
    out = report.as_json([ERROR, accented], 2)
    assert json.loads(out) == [
        {
            "file": "cases/a.yaml",
            "line": 3,
            "column": 5,
            "path": "themes[0]",
            "rule": "vocabulary",
            "message": "'housin' is not a term of themes",
            "severity": "error",
        },
        {
            "file": "cases/café.yaml",
            "line": 4,
            "column": 2,
            "path": "summary",
            "rule": "text",
            "message": "‘curly’ quotes",
            "severity": "warning",
        },
    ]
    assert "café" in out and "\\u" not in out
    assert "checked" not in out  # no summary line: the output is JSON and nothing else
    assert report.as_json([], 5) == "[]"


def test_each_format_is_one_entry_of_the_reporters_table():
    assert {"text": report.text, "github": report.github, "json": report.as_json} == report.REPORTERS
