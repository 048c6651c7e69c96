"""The catalogue of ``generator/catalogue.py``: which files a selection names, and the loaded, indexed cases."""

from __future__ import annotations

import copy

import pytest

from generator.core.catalogue import DEFAULT_LICENCE, Case, Catalogue, find_case_files, load_catalogue
from generator.core.errors import CasebookError
from generator.core.problems import Problem
from generator.core.schema import case_schema

from helpers import TODAY, run_cli, write_case


def test_an_empty_selection_is_an_error_not_success(tmp_path):
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "notes.txt").write_text("not a case")
    result = run_cli("validate", "cases", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "Error: no case files in cases (case files are named <id>.yaml)"


# Catalogue, Case and load_catalogue, on small catalogues built here.


def make_case(minimal, case_id, **changes):
    data = copy.deepcopy(minimal)
    data["id"] = case_id
    data.update(changes)
    return Case(case_id, f"cases/{case_id}.yaml", data)


@pytest.fixture
def three(minimal):
    """a lists b as related, b lists no one, c lists an id that is not in the catalogue."""
    a = make_case(minimal, "a", themes=["housing"], related=["b"])
    b = make_case(minimal, "b", themes=["housing", "fraud-error"], status="pilot")
    c = make_case(minimal, "c", themes=["fraud-error"], related=["ghost"])
    c.data["impact"] = {**c.data["impact"], "evidence_level": 3}
    return Catalogue([a, b, c], [], [a.file, b.file, c.file])


def test_a_case_reads_like_its_data(minimal):
    case = make_case(minimal, "a")
    assert case["title"] == case.title == minimal["title"]
    assert case.get("related") is None and case.get("related", []) == []
    assert case.facet_values("theme") == ["revenues-benefits", "fraud-error"]
    assert case.facet_values("region") == ["london"]


def test_a_case_without_a_licence_has_the_schemas_default(minimal):
    assert "licence" not in minimal
    assert make_case(minimal, "a").licence == DEFAULT_LICENCE == case_schema()["properties"]["licence"]["default"]
    assert make_case(minimal, "b", licence="OGL-UK-3.0").licence == "OGL-UK-3.0"


def test_related_goes_both_ways_and_ignores_ids_not_in_the_catalogue(three):
    assert [c.id for c in three.related("a")] == ["b"]
    assert [c.id for c in three.related("b")] == ["a"]  # b names no one, but a names b
    assert three.related("c") == []
    assert three.related("ghost") == []


def test_related_cases_are_sorted_by_id(minimal):
    hub = make_case(minimal, "m", related=["z", "b"])
    catalogue = Catalogue([hub, make_case(minimal, "z"), make_case(minimal, "b", related=["m"])], [], [])
    assert [c.id for c in catalogue.related("m")] == ["b", "z"]


def test_get_len_and_iteration(three):
    assert three.get("b") is three.cases[1]
    assert three.get("ghost") is None
    assert len(three) == 3
    assert [c.id for c in three] == ["a", "b", "c"]


def test_index_groups_the_cases_under_each_value_of_a_facet(three):
    assert {k: [c.id for c in v] for k, v in three.index("theme").items()} == {
        "housing": ["a", "b"],
        "fraud-error": ["b", "c"],
    }
    assert {k: [c.id for c in v] for k, v in three.index("status").items()} == {"live": ["a", "c"], "pilot": ["b"]}
    assert {k: [c.id for c in v] for k, v in three.index("evidence").items()} == {2: ["a", "b"], 3: ["c"]}


def test_filter_takes_any_value_of_a_facet_and_every_facet(three):
    def ids(criteria):
        return [c.id for c in three.filter(criteria)]

    assert ids({"theme": ["housing"]}) == ["a", "b"]
    assert ids({"theme": ["housing", "fraud-error"]}) == ["a", "b", "c"]  # any of a facet's values
    assert ids({"theme": ["fraud-error"], "status": ["live"]}) == ["c"]  # and every facet
    assert ids({"evidence": ["3"]}) == ids({"evidence": [3]}) == ["c"]  # values compare as text
    assert ids({"theme": [], "status": ["pilot"]}) == ["b"]  # a facet with no values does not filter
    assert ids({}) == ["a", "b", "c"]
    assert ids({"theme": ["no-such-theme"]}) == []


def test_ok_fails_on_errors_and_strictly_on_warnings_too():
    error = Problem("cases/x.yaml", 1, 1, "", "rule", "broken")
    warning = Problem("cases/y.yaml", 2, 1, "", "rule", "doubtful", "warning")
    clean = Catalogue([], [], [])
    warned = Catalogue([], [warning], [])
    failed = Catalogue([], [error, warning], [])
    assert (clean.ok(), clean.ok(strict=True)) == (True, True)
    assert (warned.ok(), warned.ok(strict=True)) == (True, False)
    assert (failed.ok(), failed.ok(strict=True)) == (False, False)
    assert (failed.errors, failed.warnings, failed.invalid_files) == ([error], [warning], ["cases/x.yaml"])


def test_load_catalogue_keeps_the_valid_cases_sorted_and_every_problem(tmp_path, minimal):
    minimal["related"] = ["a-case"]
    write_case(tmp_path, {**minimal, "id": "b-case"})
    write_case(tmp_path, {**minimal, "id": "a-case", "related": ["b-case"], "last_reviewed": "2020-01-01"})
    write_case(tmp_path, {**minimal, "id": "c-case", "themes": ["housin"]})
    catalogue = load_catalogue([tmp_path], today=TODAY)
    assert [c.id for c in catalogue] == ["a-case", "b-case"]  # c-case has an error
    assert [c.id for c in catalogue.related("a-case")] == ["b-case"]
    assert catalogue.files == [str(tmp_path / f"{name}.yaml") for name in ("a-case", "b-case", "c-case")]
    assert [(p.file.rsplit("/", 1)[-1], p.severity) for p in catalogue.problems] == [
        ("a-case.yaml", "warning"),
        ("c-case.yaml", "error"),
    ]
    assert catalogue.ok() is False and catalogue.invalid_files == [str(tmp_path / "c-case.yaml")]


def test_related_ids_may_name_known_ids_outside_the_files_loaded(tmp_path, minimal):
    (tmp_path / "one").mkdir()
    path = write_case(tmp_path / "one", {**minimal, "related": ["elsewhere-case"]})
    assert [p.rule for p in load_catalogue([path], today=TODAY).errors] == ["related-exists"]
    assert load_catalogue([path], today=TODAY, known_ids=["elsewhere-case"]).errors == []


def test_find_case_files_lists_a_folder_and_a_file_named_twice_once(tmp_path, minimal):
    a = write_case(tmp_path, {**minimal, "id": "a-case"})
    b = write_case(tmp_path, {**minimal, "id": "b-case"})
    (tmp_path / "notes.txt").write_text("not a case")
    assert find_case_files([tmp_path, a, b, a]) == ([a, b], [])


def test_find_case_files_refuses_a_name_that_does_not_exist(tmp_path):
    with pytest.raises(CasebookError, match=r"^no such file or folder: .*missing\.yaml$"):
        find_case_files([tmp_path / "missing.yaml"])


def test_find_case_files_refuses_a_selection_with_no_case_file(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(CasebookError, match=r"^no case files in .*empty \(case files are named <id>\.yaml\)$"):
        find_case_files([tmp_path / "empty"])


def test_odd_entries_are_problems_at_line_one_named_from_the_working_folder(tmp_path, monkeypatch):
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "folder.yaml").mkdir()
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    monkeypatch.chdir(tmp_path)
    files, problems = find_case_files(["cases", tmp_path / "gone.yaml"])
    assert files == []  # refused entries are not an empty selection: they are reported
    assert problems == [
        Problem("cases/folder.yaml", 1, 1, "", "file-type", "is a folder, not a case file"),
        Problem("gone.yaml", 1, 1, "", "file-link", "is a broken symbolic link; remove it or point it at a case file"),
    ]


def test_a_read_cache_parses_a_file_again_only_when_its_bytes_change(tmp_path, minimal, monkeypatch):
    import os

    from generator.core import catalogue as catalogue_module

    parsed = []
    real_check = catalogue_module.check_bytes

    def counting_check(data, name, today):  # type: ignore[no-untyped-def]
        parsed.append(name)
        return real_check(data, name, today)

    monkeypatch.setattr(catalogue_module, "check_bytes", counting_check)
    path = write_case(tmp_path, {**minimal, "id": "cached-case"})
    cache = catalogue_module.ReadCache()

    def load():  # type: ignore[no-untyped-def]
        return load_catalogue([tmp_path], today=TODAY, cache=cache)

    first = load()
    assert [c.id for c in first.cases] == ["cached-case"] and len(parsed) == 1
    os.utime(path, (1, 1))  # a new time alone is not a change
    assert [c.id for c in load().cases] == ["cached-case"] and len(parsed) == 1
    path.write_text(path.read_text(encoding="utf-8").replace(minimal["title"], "A title changed by an edit"))
    again = load()
    assert len(parsed) == 2 and again.get("cached-case")["title"] == "A title changed by an edit"
    path.write_text("id: [unclosed\n", encoding="utf-8")  # a broken file is reported, never served from the cache
    broken = load()
    assert len(parsed) == 3 and broken.cases == [] and broken.problems
