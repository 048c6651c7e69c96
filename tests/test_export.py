"""Exports: tidy tables that round-trip exactly, guarded for spreadsheets, valid as a data package."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pandas as pd
import pytest

from generator import load_catalogue
from generator.core.errors import CasebookError
from generator.core.schema import iter_fields
from generator.exports.export import export_files, parse_filters, zip_bytes
from generator.exports.tables import build_tables, guard, unguard

from helpers import CONFIG, FIXTURES, ROOT, TODAY, run_cli, write_case

DERIVED = {"register_name", "region_code"}  # case_councils columns taken from the register, not the case
TRICKY = FIXTURES / "tricky" / "tricky-text-round-trip.yaml"


@pytest.fixture(scope="module")
def catalogue():
    catalogue = load_catalogue([ROOT / "cases", TRICKY, FIXTURES / "hostile"], today=TODAY)
    assert catalogue.errors == []
    return catalogue


@pytest.fixture(scope="module")
def files(catalogue):
    return export_files(catalogue.cases, ["all"], CONFIG)


def read_tables(files):
    package = json.loads(files["datapackage.json"])
    tables = {}
    for resource in package["resources"]:
        frame = pd.read_csv(io.BytesIO(files[resource["path"]]), dtype=str, keep_default_na=False)
        types = {f["name"]: f["type"] for f in resource["schema"]["fields"]}
        tables[resource["name"]] = (frame, types)
    return tables


def cell(text, kind):
    if text == "":
        return None
    text = unguard(text)
    if kind == "integer":
        return int(text)
    if kind == "number":
        number = float(text)
        return int(number) if number.is_integer() and "." not in text else number
    if kind == "boolean":
        return {"True": True, "False": False}[text]
    return text


def rebuild(tables, case_id):
    """A case's data put back together from the CSV tables alone."""
    fields = {f.path: f for f in iter_fields()}
    frame, types = tables["cases"]
    row = frame[frame["id"] == case_id].iloc[0]
    data: dict = {}
    for path, f in fields.items():
        column = path.replace(".", "_")
        if "[]" in path or f.schema.get("type") in ("array", "object") or column not in types:
            continue
        value = cell(row[column], types[column])
        if value is not None:
            target = data
            *parents, last = path.split(".")
            for part in parents:
                target = target.setdefault(part, {})
            target[last] = value
    for path, f in fields.items():
        if f.schema.get("type") != "array" or "[]" in path:
            continue
        name = "case_" + path.rsplit(".", 1)[-1]
        table, kinds = tables[name]
        rows = table[table["case_id"] == case_id].sort_values("position", key=lambda s: s.astype(int))
        value_columns = [c for c in table.columns if c not in ("case_id", "position") and c not in DERIVED]
        items = []
        for _, r in rows.iterrows():
            item = {c: cell(r[c], kinds[c]) for c in value_columns}
            item = {k: v for k, v in item.items() if v is not None}
            items.append(item if len(value_columns) > 1 else next(iter(item.values())))
        if items:
            target = data
            *parents, last = path.split(".")
            for part in parents:
                target = target.setdefault(part, {})
            target[last] = items
    return data


def normalise(data):
    """Drop empty lists and make YYYY years text, which CSV cannot tell apart."""
    if isinstance(data, dict):
        return {k: normalise(str(v) if k == "published" else v) for k, v in data.items() if v != []}
    if isinstance(data, list):
        return [normalise(v) for v in data]
    return data


def test_every_case_round_trips_through_the_csv_tables(catalogue, files):
    tables = read_tables(files)
    for case in catalogue.cases:
        assert rebuild(tables, case.id) == normalise(case.data), case.id


def test_cases_json_is_the_catalogue_exactly_as_loaded(catalogue, files):
    document = json.loads(files["cases.json"])
    assert document["format_version"] == "1.2.1"
    assert document["cases"] == [c.data for c in sorted(catalogue.cases, key=lambda c: c.id)]
    tricky = next(c for c in document["cases"] if c["id"] == "tricky-text-round-trip")
    assert tricky["title"].startswith("=HYPERLINK(")  # exact text, not guarded


def test_formula_like_cells_are_guarded_in_csv_and_xlsx(files):
    frame = pd.read_csv(io.BytesIO(files["cases.csv"]), dtype=str, keep_default_na=False)
    row = frame[frame["id"] == "tricky-text-round-trip"].iloc[0]
    assert row["title"].startswith("'=HYPERLINK(")
    assert row["summary"].startswith("'+44")
    measures = pd.read_csv(io.BytesIO(files["case_measures.csv"]), keep_default_na=False)
    tricky = measures[measures["case_id"] == "tricky-text-round-trip"]
    assert list(tricky["value"]) == [-12.5, 1200000.0]  # numbers stay numbers, even negative
    assert tricky.iloc[0]["metric"] == "'=SUM(1,2)"
    workbook = pd.read_excel(io.BytesIO(files["cases.xlsx"]), sheet_name="cases")
    title = workbook[workbook["id"] == "tricky-text-round-trip"].iloc[0]["title"]
    assert title.startswith("'=")


@pytest.mark.parametrize("text", ["=1", "+1", "-1", "@a", "\tx", "\rx", "\0x"])
def test_guard_and_unguard(text):
    assert guard(text) == "'" + text and unguard(guard(text)) == text
    assert guard("safe") == "safe" and guard(-1) == -1


def test_csv_is_utf8_rfc4180_and_byte_identical_on_two_runs(catalogue, files):
    again = export_files(list(reversed(catalogue.cases)), ["all"], CONFIG)
    assert again == files
    assert zip_bytes(again) == zip_bytes(files)
    text = files["cases.csv"].decode("utf-8")
    assert "\r\n" in text and "Ynys Môn" in text and "🚀" in text


def test_the_data_package_validates_with_frictionless(tmp_path, files):
    from frictionless import validate

    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_case_councils_carry_the_registers_name_and_the_region_code(files):
    frame = pd.read_csv(io.BytesIO(files["case_councils.csv"]), dtype=str, keep_default_na=False)
    rows = {(r.case_id, r.name): r for r in frame.itertuples()}
    camden = rows[("camden-residents-index", "London Borough of Camden")]
    assert (camden.gss_code, camden.register_name, camden.region_code) == ("E09000007", "Camden", "E12000007")
    gwynedd = rows[("gwynedd-second-homes-evidence", "Cyngor Gwynedd (Gwynedd Council)")]
    assert (gwynedd.register_name, gwynedd.region_code) == ("Gwynedd", "W92000004")
    partnership = rows[("troubled-families-data-linking", "Upper-tier councils in England")]
    assert (partnership.gss_code, partnership.register_name, partnership.region_code) == ("", "", "")


def test_the_councils_table_holds_the_register_rows_the_cases_use(catalogue, files):
    frame = pd.read_csv(io.BytesIO(files["councils.csv"]), dtype=str, keep_default_na=False)
    used = {c["gss_code"] for case in catalogue.cases for c in case["councils"] if "gss_code" in c}
    assert list(frame["code"]) == sorted(used)
    gla = frame[frame["code"] == "E61000001"].iloc[0]
    assert (gla["name"], gla["type"], gla["region"], gla["region_code"], gla["current"]) == (
        "Greater London Authority",
        "greater-london-authority",
        "london",
        "E12000007",
        "True",
    )
    anglesey = frame[frame["code"] == "W06000001"].iloc[0]
    assert anglesey["name_cy"] == "Ynys Môn"


def test_the_data_package_ties_case_councils_to_the_councils_table(tmp_path, files):
    from frictionless import validate

    package = json.loads(files["datapackage.json"])
    resources = {r["name"]: r for r in package["resources"]}
    assert resources["councils"]["schema"]["primaryKey"] == ["code"]
    assert {"fields": ["gss_code"], "reference": {"resource": "councils", "fields": ["code"]}} in resources[
        "case_councils"
    ]["schema"]["foreignKeys"]
    text = files["councils.csv"].decode("utf-8").splitlines(keepends=True)
    broken = {**files, "councils.csv": "".join(line for line in text if not line.startswith("E09000007,")).encode()}
    for name, data in broken.items():
        (tmp_path / name).write_bytes(data)
    report = validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    assert "foreign-key" in {error["type"] for task in report.to_dict()["tasks"] for error in task["errors"]}


def test_field_descriptions_come_from_the_schema(files):
    package = json.loads(files["datapackage.json"])
    cases = next(r for r in package["resources"] if r["name"] == "cases")
    described = {f["name"]: f["description"] for f in cases["schema"]["fields"]}
    schema_descriptions = {f.path: f.description for f in iter_fields()}
    assert described["title"] == schema_descriptions["title"]
    themes = next(r for r in package["resources"] if r["name"] == "case_themes")
    assert "housing" in themes["schema"]["fields"][2]["constraints"]["enum"]


def test_data_dictionary_lists_every_column_and_vocabulary(files):
    text = files["DATA_DICTIONARY.md"].decode()
    for table in build_tables(CONFIG):
        assert f"## {table.name}.csv" in text
        for column in table.columns:
            assert f"`{column.name}`" in text
    assert "| `housing` | Housing |" in text


def dictionary_meanings(text):
    """What DATA_DICTIONARY.md says of each table and column: {table: (description, {column: meaning})}."""
    meanings = {}
    for section in re.split(r"^## ", text, flags=re.M)[1:]:
        heading, _, body = section.partition("\n")
        if not heading.endswith(".csv"):
            continue
        description = body.strip().split("\n\n")[0]
        rows = re.findall(r"^\| `([a-z_]+)` \| [a-z]+ \| (.*) \|$", body, flags=re.M)
        columns = {
            name: re.sub(r" Allowed values: \[[a-z_-]+\]\(#[a-z_-]+\)\.$", "", meaning) for name, meaning in rows
        }
        meanings[heading.removesuffix(".csv")] = (description, columns)
    return meanings


def test_the_data_dictionary_says_what_an_empty_cell_and_none_mean_and_the_export_keeps_them_apart(files):
    text = files["DATA_DICTIONARY.md"].decode()
    assert (
        'An empty cell means the case does not give that fact (the site says "not reported"). `none` is an answer '
        "the case gives: an evaluation design of `none` means the case says no evaluation was done.\n"
    ) in text
    frame, _ = read_tables(files)["cases"]
    designs = dict(zip(frame["id"], frame["impact_evaluation_design"], strict=True))
    cases = load_catalogue([ROOT / "cases"], today=TODAY).cases
    said = {c.id: c["impact"].get("evaluation", {}).get("design") for c in cases}
    assert {i for i, d in said.items() if d == "none"} == {i for i in said if designs[i] == "none"} != set()
    assert {i for i, d in said.items() if d is None} == {i for i in said if designs[i] == ""} != set()


def test_datasette_describes_each_table_and_column_in_the_data_dictionarys_words(files):
    meanings = dictionary_meanings(files["DATA_DICTIONARY.md"].decode())
    described = json.loads(files["metadata.json"])["databases"]["casebook"]["tables"]
    assert set(described) == set(meanings) and "cases" in described
    for table, (description, columns) in meanings.items():
        assert described[table]["description"] == description, table
        assert described[table]["columns"] == columns, table


def test_filters_are_checked_against_the_vocabularies():
    assert parse_filters({"theme": ("housing",), "region": ()}) == {"theme": ["housing"]}
    with pytest.raises(CasebookError, match="did you mean 'housing'"):
        parse_filters({"theme": ("housin",)})


def test_cli_export_filters_and_writes_every_format(tmp_path):
    result = run_cli(
        "export",
        "--out",
        str(tmp_path),
        "--theme",
        "housing",
        "--region",
        "london",
        "--min-evidence",
        "2",
        "--quiet",
        "--zip",
    )
    assert result.returncode == 0, result.stderr
    frame = pd.read_csv(tmp_path / "cases.csv")
    assert list(frame["id"]) == ["camden-residents-index"]
    with zipfile.ZipFile(tmp_path / "council-data-casebook.zip") as archive:
        assert "cases.csv" in archive.namelist() and "DATA_DICTIONARY.md" in archive.namelist()


def test_cli_export_refuses_an_invalid_catalogue_unless_told(tmp_path, minimal):
    cases = tmp_path / "cases"
    cases.mkdir()
    write_case(cases, minimal)
    write_case(cases, {**minimal, "id": "broken-case", "status": "unknown"})
    refused = run_cli("export", "--cases", str(cases), "--out", str(tmp_path / "out"))
    assert refused.returncode == 1 and not (tmp_path / "out").exists()
    skipped = run_cli("export", "--cases", str(cases), "--out", str(tmp_path / "out"), "--skip-invalid")
    assert skipped.returncode == 0, skipped.stderr
    assert "Left out (has errors): " in skipped.stderr and "broken-case.yaml" in skipped.stderr
    assert list(pd.read_csv(tmp_path / "out" / "cases.csv")["id"]) == [minimal["id"]]


def test_xlsx_never_passes_openpyxl_a_value_it_refuses_and_says_when_text_is_cut(catalogue):
    """Text read without validation (control characters, over 32,767 characters) still exports."""
    import dataclasses

    from openpyxl import load_workbook

    from generator.exports.export import EXCEL_CELL_LIMIT, EXCEL_CUT_NOTE

    case = catalogue.cases[0]
    data = {**case.data, "title": "Bell\x07 and\r\ncarriage return", "problem": "p" * 40_000}
    odd = dataclasses.replace(case, data=data)
    workbook = load_workbook(io.BytesIO(export_files([odd], ["xlsx"], CONFIG)["cases.xlsx"]))
    sheet = workbook["cases"]
    header = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[2]]
    assert row[header.index("title")] == "Bell\ufffd and\r\ncarriage return"
    problem = row[header.index("problem")]
    assert len(problem) == EXCEL_CELL_LIMIT and problem.endswith(EXCEL_CUT_NOTE)


def test_the_sqlite_database_holds_every_table_with_keys_indexes_and_full_text_search(tmp_path, catalogue, files):
    import sqlite3

    path = tmp_path / "casebook.db"
    path.write_bytes(files["casebook.db"])
    db = sqlite3.connect(path)
    tables = read_tables(files)
    names = {row[0] for row in db.execute("select name from sqlite_master where type = 'table'")}
    assert set(tables) <= names and "cases_fts" in names
    for name, (frame, _) in tables.items():  # the same rows as the CSV export
        assert db.execute(f"select count(*) from [{name}]").fetchone()[0] == len(frame), name
    ids = [row[0] for row in db.execute("select id from cases order by id")]
    assert ids == sorted(c.id for c in catalogue.cases)
    keys = {(row[3], row[2], row[4]) for row in db.execute("select * from pragma_foreign_key_list('case_councils')")}
    assert keys == {("case_id", "cases", "id"), ("gss_code", "councils", "code")}
    indexed = {row[0] for row in db.execute("select name from pragma_index_list('case_councils')")}
    assert any("case_id" in name for name in indexed) and any("gss_code" in name for name in indexed)
    found = {
        row[0]
        for row in db.execute(
            "select cases.id from cases join cases_fts on cases.rowid = cases_fts.rowid where cases_fts match ?",
            ["gritting"],
        )
    }
    assert "norfolk-road-temperature-sensors-gritting" in found

    def text(case):
        return " ".join([case["title"], case["summary"], case["problem"], case["approach"], case["impact"]["summary"]])

    by_id = {c.id: c for c in catalogue.cases}
    assert {i for i, c in by_id.items() if "gritting" in text(c).lower()} <= found  # stemmed: "gritted" too
    assert all("grit" in text(by_id[i]).lower() for i in found)
    level = db.execute("select impact_evidence_level from cases where id = 'camden-residents-index'").fetchone()[0]
    assert level == 2 and isinstance(level, int)
    db.close()


def test_datasette_opens_the_database_with_its_metadata(tmp_path, files):
    import subprocess
    import sys
    from pathlib import Path

    (tmp_path / "casebook.db").write_bytes(files["casebook.db"])
    (tmp_path / "metadata.json").write_bytes(files["metadata.json"])
    metadata = json.loads(files["metadata.json"])
    columns = metadata["databases"]["casebook"]["tables"]["cases"]["columns"]
    assert columns["title"] and metadata["license_url"].startswith("https://")
    datasette = Path(sys.executable).with_name("datasette")

    def get(path):
        result = subprocess.run(
            [str(datasette), "casebook.db", "-m", "metadata.json", "--get", path],
            cwd=tmp_path, capture_output=True, text=True, timeout=120, check=True,
        )  # fmt: skip
        return json.loads(result.stdout)

    rows = get("/casebook/cases.json?_shape=array&_size=max&_col=title")
    assert len(rows) == len(read_tables(files)["cases"][0])
    found = get("/casebook/cases.json?_search=gritting&_shape=array&_col=id")
    assert "norfolk-road-temperature-sensors-gritting" in {row["id"] for row in found}
    described = get("/-/metadata.json")
    assert described["databases"]["casebook"]["tables"]["case_councils"]["columns"]["gss_code"]
