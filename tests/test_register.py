"""The register of UK local authorities: sound in itself, built from its inputs, and matched by name."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest

from generator.core.register import (
    CODE_BY_REGION,
    MULTIPLE,
    REGION_BY_CODE,
    TYPE_BY_PREFIX,
    by_name,
    councils,
    covered_districts,
    covering_bodies,
    hex_layout,
    lookup,
    parse_covers,
    significant_words,
)
from generator.core.schema import data_path, vocabularies

from helpers import ROOT

INPUTS = ROOT / "scripts" / "register"
DISTRICT_PREFIXES = ("E06", "E07", "E08", "E09", "W06", "S12", "N09")


def load_builder():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("build_register", ROOT / "scripts" / "build_register.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def builder():  # type: ignore[no-untyped-def]
    return load_builder()


@pytest.fixture(scope="module")
def raw_rows() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data_path("councils.csv").read_text(encoding="utf-8"))))


def test_codes_are_unique(raw_rows):
    assert [code for code, n in Counter(r["code"] for r in raw_rows).items() if n > 1] == []
    assert len(councils()) == len(raw_rows) > 400


def test_each_code_prefix_matches_its_type(raw_rows):
    assert set(TYPE_BY_PREFIX.values()) == set(vocabularies()["council_types"].ids()) - {"partnership"}
    assert [r["code"] for r in raw_rows if TYPE_BY_PREFIX.get(r["code"][:3]) != r["type"]] == []


def test_every_region_is_known_and_agrees_with_its_code(raw_rows):
    regions = set(vocabularies()["regions"].ids())
    assert set(REGION_BY_CODE.values()) == regions - {MULTIPLE}
    for row in raw_rows:
        assert row["region"] in regions, row
        if row["region"] == MULTIPLE:
            assert row["region_code"] == "", row
        else:
            assert row["region_code"] == CODE_BY_REGION[row["region"]], row
    nations = {"W": "wales", "S": "scotland", "N": "northern-ireland"}
    assert [r["code"] for r in raw_rows if r["code"][0] in nations and r["region"] != nations[r["code"][0]]] == []


def test_names_years_and_successors_hang_together(raw_rows):
    codes = {r["code"] for r in raw_rows}
    for row in raw_rows:
        assert row["name"] and row["name"] == row["name"].strip(), row
        assert row["current"] in ("true", "false"), row
        if row["ended"]:
            assert row["current"] == "false", row
        if row["began"] and row["ended"]:
            assert int(row["began"]) <= int(row["ended"]), row
        assert set(row["replaced_by"].split()) <= codes, row
        if row["current"] == "true":
            assert row["replaced_by"] == "", row


def test_welsh_names_are_only_for_welsh_councils(raw_rows):
    welsh = [r for r in raw_rows if r["name_cy"]]
    assert {r["code"][0] for r in welsh} == {"W"}
    assert lookup("W06000015").name_cy == "Caerdydd"


def test_the_shipped_files_are_what_the_script_builds(builder):
    files = builder.build(INPUTS)
    assert files["councils.csv"] == data_path("councils.csv").read_bytes()
    assert files["hexmap-2023.json"] == data_path("hexmap-2023.json").read_bytes()
    assert builder.main(["--check"]) == 0
    assert data_path("LICENSE-hexmaps.txt").read_bytes() == (INPUTS / "LICENSE-hexmaps.txt").read_bytes()


def test_the_hex_layout_places_every_current_district_and_nothing_else():
    layout = json.loads(data_path("hexmap-2023.json").read_text(encoding="utf-8"))
    assert layout["layout"] == "odd-r" and "Open Innovations" in layout["source"]
    hexes = layout["hexes"]
    current = {c.code for c in councils().values() if c.current and c.code.startswith(DISTRICT_PREFIXES)}
    assert set(hexes) == current and len(hexes) == 361
    assert all(set(cell) == {"q", "r"} and all(isinstance(v, int) for v in cell.values()) for cell in hexes.values())
    assert len({(cell["q"], cell["r"]) for cell in hexes.values()}) == len(hexes)  # one council a hex


def test_councils_that_ended_keep_their_codes():
    allerdale = lookup("E07000026")
    assert allerdale is not None and allerdale.name == "Allerdale"
    assert (allerdale.type, allerdale.region, allerdale.ended, allerdale.current) == (
        "district",
        "north-west",
        2023,
        False,
    )
    assert allerdale.replaced_by == ("E06000063",)
    assert lookup("E06000063").began == 2023
    dorset = lookup("E10000009")
    assert (dorset.name, dorset.ended, dorset.region_code) == ("Dorset", 2019, "E12000009")
    assert lookup("E09000099") is None


def test_authorities_beyond_the_hex_layouts():
    gla = lookup("E61000001")
    assert (gla.name, gla.type, gla.region, gla.region_code) == (
        "Greater London Authority",
        "greater-london-authority",
        "london",
        "E12000007",
    )
    assert lookup("E47000001").type == "combined-authority"
    assert lookup("E47000017").region == MULTIPLE
    kent = lookup("E10000016")
    assert (kent.type, kent.region, kent.current) == ("county", "south-east", True)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("London Borough of Camden", ("camden",)),
        ("Royal Borough of Kingston upon Thames", ("kingston", "upon", "thames")),
        ("City of Bradford Metropolitan District Council", ("bradford",)),
        ("Herefordshire, County of", ("herefordshire",)),
        ("The Highland Council", ("highland",)),
        ("King's Lynn & West Norfolk", ("kings", "lynn", "and", "west", "norfolk")),
        ("Stoke-on-Trent City Council", ("stoke", "on", "trent")),
        ("St Albans City and District Council", ("st", "albans")),
        ("Kensington and Chelsea", ("kensington", "and", "chelsea")),
        ("St. Helens", ("st", "helens")),
        ("Cyngor Sir Ynys Môn", ("ynys", "môn")),
        ("Council", ()),
    ],
)
def test_significant_words(name, words):
    assert significant_words(name) == words


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("London Borough of Camden", ["E09000007"]),
        ("Leeds City Council", ["E08000035"]),
        ("Cyngor Gwynedd", ["W06000002"]),
        ("Isle of Anglesey County Council", ["W06000001"]),
        ("North Somerset Council", ["E06000024", "E06000066", "E10000027"]),  # exact first, then current first
        ("Northumberland County Council", ["E06000057", "E06000048"]),
        ("Example Borough Council", []),
    ],
)
def test_by_name_finds_the_councils_a_name_names_best_first(name, codes):
    assert [c.code for c in by_name(name)] == codes


def copy_inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "register"
    shutil.copytree(INPUTS, folder)
    return folder


def edit_supplement(folder: Path, code: str, **changes: str) -> None:
    path = folder / "supplement.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    fields = list(rows[0])
    if changes.get("drop"):
        rows = [r for r in rows if r["code"] != code]
    else:
        for row in rows:
            if row["code"] == code:
                row.update(changes)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


@pytest.mark.parametrize(
    ("code", "changes", "message"),
    [
        (
            "E07000026",
            {"drop": "yes"},
            "E07000026: in the 2021 layout but not the 2023 one, so it ended; give the year or ?",
        ),
        ("E07000026", {"ended": "2021"}, "E07000026: ended in 2021, but the layouts say between 2021 and 2023"),
        ("E07000201", {"ended": "2020"}, "E07000201: ended in 2020, but it is in no layout of 2019 or later"),
        ("E06000060", {"began": "2019"}, "E06000060: began in 2019, but the layouts hold it from 2020"),
        ("E07000201", {"source": " "}, "supplement.csv:"),
        ("E06000001", {}, ""),
        ("E07000026", {"name": "Allerdale Town"}, "is 'Allerdale' in the layouts, not 'Allerdale Town'"),
        ("E47000001", {"region_code": ""}, "E47000001: no region"),
        ("E10000016", {"replaced_by": "E06000099"}, "replaced by E06000099, which is not in the register"),
    ],
)
def test_the_build_refuses_inputs_that_disagree(builder, tmp_path, code, changes, message):
    folder = copy_inputs(tmp_path)
    edit_supplement(folder, code, **changes)
    if not message:
        builder.build(folder)  # a change the inputs allow
        return
    with pytest.raises(builder.BuildError, match=message.replace("?", r"\?").replace("(", r"\(")):
        builder.build(folder)


def test_the_shipped_covers_file_is_what_the_script_builds(builder):
    assert builder.build(INPUTS)["covers.csv"] == data_path("covers.csv").read_bytes()


def test_every_covered_code_is_a_district_of_the_hex_layout():
    layout = hex_layout()
    covers = parse_covers(data_path("covers.csv").read_text(encoding="utf-8"))
    assert {code[:3] for code in covers} == {"E10", "E47", "E61"}
    for body, districts in covers.items():
        assert districts and set(districts) <= set(layout), body
        assert lookup(body) is not None, body


def test_each_current_county_covers_non_metropolitan_districts_and_no_district_is_in_two():
    counties = [c for c in councils().values() if c.type == "county" and c.current]
    assert len(counties) == 21
    seen: dict[str, str] = {}
    for county in counties:
        districts = covered_districts(county.code)
        assert districts and all(d.startswith("E07") for d in districts), county.name
        assert {lookup(d).region for d in districts} == {county.region}, county.name
        for district in districts:
            assert district not in seen, (district, seen.get(district), county.code)
            seen[district] = county.code
    assert set(seen) == {code for code in hex_layout() if code.startswith("E07")}
    assert lookup("E07000008").name == "Cambridge" and covering_bodies("E07000008") == ("E10000003", "E47000008")
    assert len(covered_districts("E10000016")) == 12  # Kent's twelve districts; Medway is a unitary


def test_the_gla_covers_exactly_the_33_london_codes():
    london = covered_districts("E61000001")
    assert len(london) == 33 and "E09000001" in london
    assert set(london) == {code for code in hex_layout() if code.startswith("E09")}


def test_every_current_combined_authority_covers_its_districts():
    current = [c.code for c in councils().values() if c.type == "combined-authority" and c.current]
    assert [code for code in current if not covered_districts(code)] == []
    assert set(covered_districts("E47000014")) == set(covered_districts("E47000010")) | set(
        covered_districts("E47000011")
    )
    assert "E06000031" in covered_districts("E47000008")  # Peterborough, beside Cambridgeshire's districts
    assert covered_districts("E09000007") == () and covered_districts("X") == ()


def test_the_build_refuses_a_district_in_two_counties_or_outside_the_layout(builder, tmp_path):
    inputs = tmp_path / "register"
    shutil.copytree(INPUTS, inputs)
    covers = (inputs / "covers.csv").read_text(encoding="utf-8")
    kent = next(line for line in covers.splitlines() if line.startswith("E10000016,"))
    broken = kent.replace("E07000105", "E07000105 E07000008 E99999999 E08000001")
    (inputs / "covers.csv").write_text(covers.replace(kent, broken), encoding="utf-8")
    with pytest.raises(builder.BuildError) as raised:
        builder.build(inputs)
    message = str(raised.value)
    assert "E07000008 is in two counties" in message
    assert "E99999999, which is not a district of the 2023 layout" in message
    assert "E08000001, which is not a non-metropolitan district" in message
