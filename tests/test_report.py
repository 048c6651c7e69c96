"""The reporters of ``generator/report.py``: problems as text, GitHub workflow commands or JSON."""

from __future__ import annotations

import json
import re

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
