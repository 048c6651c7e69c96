"""The casebook command, run as a subprocess the way a contributor runs it."""

from __future__ import annotations

import json
import re

import yaml

from generator import load_catalogue
from generator.core.schema import iter_fields
from generator.maintain.scaffold import case_template

from helpers import FIXTURES, MINIMAL_FILE, ROOT, TODAY, run_cli, write_case


def test_valid_files_exit_zero():
    result = run_cli("validate", str(FIXTURES / "valid"), "--today", TODAY.isoformat())
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "checked 1 file: 0 errors, 0 warnings"


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
    result = run_cli("new", "my-new-case", "--cases", str(tmp_path))
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
    assert load_catalogue([path], today=filled["last_reviewed"]).errors == []  # reviewed the day it was made


# What a fresh template leaves to write: every required value but the id and the review date.
STILL_TO_WRITE = [
    "title", "summary", "councils[0].name", "councils[0].type", "councils[0].region", "themes", "techniques",
    "status", "year_started", "problem", "data[0].name", "data[0].owner", "data[0].kind", "data[0].personal",
    "approach", "impact.summary", "impact.evidence_level", "challenges[0].category", "challenges[0].description",
    "success_factors[0].category", "success_factors[0].description", "replication.guidance", "sources[0].title",
    "sources[0].url",
]  # fmt: skip


def fill_in_message(path):
    """'fill in <title>: <description>' of the field at ``path``, from the schema."""
    field = {f.path: f for f in iter_fields()}[re.sub(r"\[\d+\]", "[]", path)]
    return f"fill in {field.title}: {field.description}"


def test_a_new_case_reports_each_value_still_to_write_once_and_nothing_else(tmp_path):
    created = run_cli("new", "x-y-z", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    path = tmp_path / "cases" / "x-y-z.yaml"
    result = run_cli("validate", "--format", "json", "cases/x-y-z.yaml", cwd=tmp_path)
    assert result.returncode == 1
    problems = json.loads(result.stdout)
    assert [p["path"] for p in problems] == STILL_TO_WRITE  # once each, in file order
    for problem in problems:
        assert (problem["rule"], problem["severity"]) == ("fill-in", "error")
        assert problem["message"] == fill_in_message(problem["path"])
        key = problem["path"].rsplit(".", 1)[-1].split("[")[0]
        line = path.read_text().splitlines()[problem["line"] - 1]
        assert line[problem["column"] - 1 :].removeprefix("- ").startswith(f"{key}:")  # points at the key


def uncomment_examples(text):
    """Uncomment every commented-out example line (a key, or a list item), as a contributor would."""
    return re.sub(r"^(\s*)# (?=\s*(- )?[a-z_]+:( |$))", r"\1", text, flags=re.MULTILINE)


def test_a_new_case_offers_every_optional_field_as_a_commented_example(tmp_path):
    text = case_template("x-y-z", today=TODAY)
    data = yaml.safe_load(text)
    assert "evaluation" not in data["impact"] and set(data["replication"]) == {"guidance"}
    assert not {"partners", "contact", "related", "licence"} & set(data)
    for example in (
        "  # evaluation:",
        "  #   design: before-after",
        "  #     source: 1",  # a measure's source
        "  # effort:",
        "  #   cost: under-10k",
        "  #   team: [analyst, information-governance]",
        "  # prerequisites: [data-sharing-agreement]",
        "  # artefacts:",
        '  #     url: "https://github.com/example-council/matching"',
    ):
        assert any(line.startswith(example) for line in text.splitlines()), example
    uncommented = uncomment_examples(text)
    case = yaml.safe_load(uncommented)
    assert set(case["impact"]["evaluation"]) == {"design", "by", "result", "source"}
    assert case["impact"]["measures"][0]["source"] == 1
    assert set(case["replication"]) == {"guidance", "adopted_by", "effort", "prerequisites", "artefacts"}
    assert set(case["replication"]["effort"]) == {"cost", "time_to_first_result", "team"}
    assert {"partners", "contact", "related", "licence"} <= set(case)
    assert case["councils"][0]["gss_code"] == "E10000016" and case["sources"][0]["published"] == "2016-11"
    # Every example is valid: uncommented, they add no problem to the values still to write.
    path = tmp_path / "x-y-z.yaml"
    path.write_text(uncommented, encoding="utf-8")
    bundled = [c.id for c in load_catalogue([ROOT / "cases"], today=TODAY).cases]
    problems = load_catalogue([path], today=TODAY, known_ids=bundled).problems
    assert [(p.path, p.rule) for p in problems] == [(path_, "fill-in") for path_ in STILL_TO_WRITE]


def test_new_refuses_to_overwrite(tmp_path):
    assert run_cli("new", "my-new-case", "--cases", str(tmp_path)).returncode == 0
    result = run_cli("new", "my-new-case", "--cases", str(tmp_path))
    assert result.returncode == 2
    assert "already exists" in result.stderr


def test_new_refuses_a_bad_id(tmp_path):
    result = run_cli("new", "Not An Id", "--cases", str(tmp_path))
    assert result.returncode == 2
    assert "is not a valid id" in result.stderr


def test_new_takes_the_case_folder_as_every_command_does_and_still_under_its_former_name(tmp_path):
    assert run_cli("new", "first-new-case", "--cases", str(tmp_path / "a")).returncode == 0
    assert (tmp_path / "a" / "first-new-case.yaml").is_file()
    assert run_cli("new", "second-new-case", "--cases-dir", str(tmp_path / "b")).returncode == 0
    assert (tmp_path / "b" / "second-new-case.yaml").is_file()
    assert "--cases-dir" not in run_cli("new", "--help").stdout


def test_export_offers_the_formats_the_export_module_has():
    from generator.exports.export import FORMATS

    shown = run_cli("export", "--help").stdout
    assert f"[{'|'.join(FORMATS)}|all]" in shown
