"""The casebook command, run as a subprocess the way a contributor runs it."""

from __future__ import annotations

import json
import re

import yaml

from conftest import FIXTURES, MINIMAL_FILE, TODAY, check_written_today, run_cli, write_case


def broken(tmp_path, minimal):
    minimal["themes"] = ["housin"]
    minimal["councils"][0]["gss_code"] = "X1"
    return write_case(tmp_path, minimal)


def test_valid_files_exit_zero():
    result = run_cli("validate", str(FIXTURES / "valid"), "--today", TODAY.isoformat())
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "checked 1 file: 0 errors, 0 warnings"


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


def test_strict_fails_on_warnings(tmp_path, minimal):
    minimal["last_reviewed"] = "2020-01-01"
    path = write_case(tmp_path, minimal)
    assert run_cli("validate", str(path), "--today", TODAY.isoformat()).returncode == 0
    assert run_cli("validate", "--strict", str(path), "--today", TODAY.isoformat()).returncode == 1


def test_usage_errors_exit_two():
    result = run_cli("validate", "no/such/folder")
    assert result.returncode == 2
    assert result.stderr.strip() == "Error: no such file or folder: no/such/folder"
    assert run_cli("validate", "--format", "xml").returncode == 2


def test_help_is_written_for_people():
    result = run_cli("--help")
    assert result.returncode == 0
    assert "case studies of UK councils using data" in result.stdout
    for command in ("validate", "new"):
        help_text = run_cli(command, "--help").stdout
        assert len(help_text.split()) > 40, command


def test_new_scaffolds_a_template_that_validates_once_filled(tmp_path):
    result = run_cli("new", "my-new-case", "--cases-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    path = tmp_path / "my-new-case.yaml"
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=https://")
    assert run_cli("validate", str(path)).returncode == 1  # not filled in yet

    filled = yaml.safe_load(text)
    example = yaml.safe_load(MINIMAL_FILE.read_text())
    for key, value in filled.items():
        if value in ("", None, [], False) or key in (
            "impact",
            "councils",
            "data",
            "challenges",
            "success_factors",
            "replication",
            "sources",
            "contact",
        ):
            filled[key] = example.get(key, value)
    filled.pop("contact", None)
    filled.pop("partners", None)
    filled["id"] = "my-new-case"
    path.write_text(yaml.safe_dump(filled, sort_keys=False))
    assert check_written_today(path).errors == []  # `new` dates the file with the real clock


def test_new_refuses_to_overwrite(tmp_path):
    assert run_cli("new", "my-new-case", "--cases-dir", str(tmp_path)).returncode == 0
    result = run_cli("new", "my-new-case", "--cases-dir", str(tmp_path))
    assert result.returncode == 2
    assert "already exists" in result.stderr


def test_new_refuses_a_bad_id(tmp_path):
    result = run_cli("new", "Not An Id", "--cases-dir", str(tmp_path))
    assert result.returncode == 2
    assert "is not a valid id" in result.stderr
