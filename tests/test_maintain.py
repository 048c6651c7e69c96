"""Maintainer tools: review warnings, possible duplicates, stale cases, validating only what changed."""

from __future__ import annotations

import json
import shutil
import subprocess

from generator import load_catalogue
from generator.core.load import read_file
from generator.maintain.review import review_files, review_warnings

from helpers import ROOT, TODAY, run_cli, write_case


def rules(path, today=TODAY):
    """The rules of every warning ``casebook review`` gives a file: the validator's and the reviewer's."""
    review = review_files([path], load_catalogue([ROOT / "cases"], today=today), today)
    return sorted({p.rule for p in review.problems if p.severity == "warning"})


def test_review_flags_each_warning(tmp_path, minimal):
    minimal["impact"].pop("measures")
    minimal["replication"]["guidance"] = "Needs a matching tool and one analyst for six months at most."
    minimal["sources"][0]["url"] = "http://www.example.org/report"
    minimal["problem"] += "\nCall Jo on 01632 960123 or email jo.bloggs@example.com; NI number QQ 12 34 56 C.\n"
    minimal["last_reviewed"] = "2023-01-01"
    path = write_case(tmp_path, minimal)
    assert rules(path) == ["insecure-url", "no-measures", "personal-data", "review-overdue", "thin-replication"]
    doc, _ = read_file(path)
    personal = [p.message for p in review_warnings(doc) if p.rule == "personal-data"]
    assert len(personal) == 3
    assert any("jo.bloggs@example.com" in m for m in personal)
    assert any("01632 960123" in m for m in personal)
    assert any("QQ 12 34 56 C" in m for m in personal)


def test_review_asks_for_the_source_of_each_measure(tmp_path, minimal):
    path = write_case(tmp_path, minimal)
    doc, _ = read_file(path)
    [warning] = [p for p in review_warnings(doc) if p.rule == "measure-source"]
    assert (warning.rule, warning.path, warning.message) == (
        "measure-source",
        "impact.measures[0]",
        "the measure 'Discounts removed' names no source: add source: N, the number of the source that gives it",
    )
    minimal["impact"]["measures"][0]["source"] = 1
    doc, _ = read_file(write_case(tmp_path, minimal))
    assert "measure-source" not in {p.rule for p in review_warnings(doc)}


def test_review_is_quiet_on_a_good_bundled_case():
    assert rules(ROOT / "cases" / "camden-residents-index.yaml") == []


def test_review_finds_a_planted_near_duplicate(tmp_path):
    copy = (ROOT / "cases" / "camden-residents-index.yaml").read_text()
    copy = copy.replace("id: camden-residents-index", "id: camden-single-view-copy")
    copy = copy.replace("The Camden Residents Index gives", "A residents index gives")
    path = tmp_path / "camden-single-view-copy.yaml"
    path.write_text(copy)
    result = run_cli("review", str(path), "--format", "github", "--today", TODAY.isoformat())
    lines = [line for line in result.stdout.splitlines() if "possible-duplicate" in line]
    assert len(lines) == 1 and "camden-residents-index" in lines[0]
    assert lines[0].startswith("::warning ")
    assert result.returncode == 0


def test_stale_lists_overdue_cases_oldest_first(tmp_path, minimal):
    for case_id, reviewed in (
        ("newer-stale-case", "2024-06-01"),
        ("older-stale-case", "2023-02-01"),
        ("fresh-case-here", "2026-10-01"),
    ):
        write_case(tmp_path, {**minimal, "id": case_id, "last_reviewed": reviewed})
    result = run_cli("stale", "--cases", str(tmp_path), "--format", "json", "--today", TODAY.isoformat())
    assert [row["id"] for row in json.loads(result.stdout)] == ["older-stale-case", "newer-stale-case"]
    markdown = run_cli("stale", "--cases", str(tmp_path), "--format", "markdown", "--today", TODAY.isoformat())
    assert "| older-stale-case" not in markdown.stdout and "older-stale-case.yaml" in markdown.stdout
    text = run_cli("stale", "--cases", str(tmp_path), "--months", "60", "--today", TODAY.isoformat())
    assert text.stdout.strip() == "0 cases overdue for review (over 60 months)."


def git(repo, *args):
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def test_validate_changed_catches_a_renamed_id_still_listed_elsewhere(tmp_path, minimal):
    repo = tmp_path / "repo"
    cases = repo / "cases"
    cases.mkdir(parents=True)
    write_case(cases, minimal)
    write_case(cases, {**minimal, "id": "second-case", "related": [minimal["id"]]})
    write_case(cases, {**minimal, "id": "third-case"})
    git(repo, "init", "-q", "-b", "main")
    git(repo, "-c", "user.email=ci@example.org", "-c", "user.name=CI", "add", ".")
    git(repo, "-c", "user.email=ci@example.org", "-c", "user.name=CI", "commit", "-q", "-m", "start")
    # Rename the first case; second-case still lists the old id.
    old = cases / f"{minimal['id']}.yaml"
    new = cases / "renamed-case.yaml"
    new.write_text(old.read_text().replace(f"id: {minimal['id']}", "id: renamed-case"))
    old.unlink()
    result = run_cli("validate", "--changed", "--base", "main", str(cases), "--today", TODAY.isoformat(), cwd=repo)
    assert result.returncode == 1
    assert "second-case.yaml" in result.stdout and "[related-exists]" in result.stdout
    assert "third-case.yaml" not in result.stdout
    assert result.stdout.strip().endswith("checked 1 file: 1 error, 0 warnings")


def test_validate_changed_outside_git_is_a_usage_error(tmp_path, minimal):
    write_case(tmp_path, minimal)
    result = run_cli("validate", "--changed", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 2 and "git" in result.stderr


def test_repository_files_validate_against_their_schemas():
    checker = shutil.which("check-jsonschema", path=str(ROOT / ".venv" / "bin")) or "check-jsonschema"
    for schema, files in (
        ("vendor.github-workflows", sorted((ROOT / ".github" / "workflows").glob("*.yml"))),
        ("vendor.github-issue-forms", sorted((ROOT / ".github" / "ISSUE_TEMPLATE").glob("*.yml"))),
        ("vendor.citation-file-format", [ROOT / "CITATION.cff"]),
    ):
        assert files, schema
        result = subprocess.run([checker, "--builtin-schema", schema, *map(str, files)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_are_read_only_and_never_use_pull_request_target():
    import yaml

    for path in (ROOT / ".github" / "workflows").glob("*.yml"):
        text = path.read_text()
        assert "pull_request_target" not in text
        workflow = yaml.safe_load(text)
        assert workflow["permissions"]["contents"] == "read", path.name
        for job in workflow["jobs"].values():
            for step in job["steps"]:
                if "uses" in step:
                    assert "@v" in step["uses"] and step["uses"].count(".") >= 2, step["uses"]  # pinned versions


def test_pre_commit_hooks_name_the_commands():
    import yaml

    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert hooks["casebook-validate"]["entry"] == "casebook validate"
    assert hooks["casebook-fmt"]["entry"] == "casebook fmt"


def test_a_new_case_file_starts_with_the_schema_line(tmp_path):
    run_cli("new", "editor-support-case", "--cases", str(tmp_path))
    first = (tmp_path / "editor-support-case.yaml").read_text().splitlines()[0]
    assert (
        first == "# yaml-language-server: $schema=https://council-data-casebook.github.io/casebook/schema/case-v1.json"
    )
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text())
    assert "cases/*.yaml" in settings["yaml.schemas"].values()
    # CONTRIBUTING shows the three ways an editor finds the schema, as they are
    from generator.core.schema import CATALOG_FILENAME, schema_catalog_json

    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    url = json.loads(schema_catalog_json())["schemas"][0]["url"]
    assert first in contributing and ".vscode/settings.json" in contributing
    assert url.rsplit("/", 1)[0] + "/" + CATALOG_FILENAME in contributing and "redhat.vscode-yaml" in contributing


def council_warnings_of(tmp_path, minimal, **council):
    minimal["councils"] = [council]
    doc, _ = read_file(write_case(tmp_path, minimal))
    return [(p.path, p.rule, p.message) for p in review_warnings(doc) if p.rule.startswith("council-")]


def test_review_suggests_the_code_a_council_of_a_coded_type_lacks(tmp_path, minimal):
    found = council_warnings_of(
        tmp_path, minimal, name="Westminster City Council", type="london-borough", region="london"
    )
    assert found == [
        (
            "councils[0].gss_code",
            "council-code-missing",
            "no gss_code: add 'E09000033' (Westminster), the register's code for this name",
        )
    ]


def test_review_suggests_the_current_code_of_the_councils_type(tmp_path, minimal):
    found = council_warnings_of(
        tmp_path, minimal, name="North Yorkshire County Council", type="county", region="yorkshire-and-the-humber"
    )
    assert found == [
        (
            "councils[0].gss_code",
            "council-code-missing",
            "no gss_code: add 'E10000023' (North Yorkshire), the register's code for this name",
        )
    ]
    found = council_warnings_of(
        tmp_path, minimal, name="North Yorkshire Council", type="unitary", region="yorkshire-and-the-humber"
    )
    assert found[0][2] == "no gss_code: add 'E06000065' (North Yorkshire), the register's code for this name"


def test_review_asks_for_a_code_it_cannot_suggest(tmp_path, minimal):
    found = council_warnings_of(
        tmp_path, minimal, name="Example Borough Council", type="london-borough", region="london"
    )
    assert found == [
        (
            "councils[0].gss_code",
            "council-code-missing",
            "no gss_code: every london-borough has an ONS code; add it so the case can be joined to ONS statistics "
            "and placed on the map",
        )
    ]


def test_review_leaves_partnerships_without_a_code_alone(tmp_path, minimal):
    assert council_warnings_of(tmp_path, minimal, name="London boroughs", type="partnership", region="london") == []


def test_review_flags_a_name_that_differs_from_the_registers(tmp_path, minimal):
    found = council_warnings_of(
        tmp_path, minimal, name="Camden Town Hall", gss_code="E09000007", type="london-borough", region="london"
    )
    assert found == [
        (
            "councils[0].name",
            "council-name-differs",
            "'Camden Town Hall' differs from the register's name for E09000007, 'Camden', beyond the words the check "
            "ignores; check that it names the same council",
        )
    ]
    quiet = council_warnings_of(
        tmp_path, minimal, name="Camden Council", gss_code="E09000007", type="london-borough", region="london"
    )
    assert quiet == []


def test_council_warnings_never_fail_validation(tmp_path, minimal):
    minimal["councils"][0]["name"] = "Camden Town Hall"
    del minimal["councils"][0]["gss_code"]
    path = write_case(tmp_path, minimal)
    result = run_cli("validate", "--strict", str(path), "--today", TODAY.isoformat())
    assert result.returncode == 0, result.stdout
    review = run_cli("review", str(path), "--today", TODAY.isoformat())
    assert "council-code-missing" in review.stdout and review.returncode == 0
