"""Build the register of UK local authorities and the 2023 hex layout from scripts/register/.

python scripts/build_register.py          # write generator/data/councils.csv, hexmap-2023.json, covers.csv
python scripts/build_register.py --check  # exit 1 if the shipped files differ from what this builds

Inputs (scripts/register/, see its README.md):

* the hex layouts of Open Innovations for 2019, 2020, 2021 and 2023 (local
  authority districts: names, Welsh names, regions from 2021) and the 2020
  upper-tier layout (county councils; its boundaries are those of 2019);
* covers.csv: which districts of the 2023 layout each county council, combined
  authority and the Greater London Authority covers, each row with its source;
* supplement.csv: what the layouts do not hold, each row with the source it was
  looked up in: combined authorities, the Greater London Authority, regions of
  county councils, codes that ended before 2019, and the years codes began and
  ended (``?`` for a code known to have ended in a year no source confirmed).

The layouts bound the years: a code in the 2021 file and not the 2023 one ended
in 2022 or 2023. The build checks every year against those bounds, and refuses a
code that leaves a layout without a recorded end, so the register cannot claim
that an abolished council still exists.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.core.register import MULTIPLE, REGION_BY_CODE, TYPE_BY_PREFIX  # noqa: E402

INPUTS = ROOT / "scripts" / "register"
OUTPUT = ROOT / "generator" / "data"
REGISTER = "councils.csv"
HEXMAP = "hexmap-2023.json"
COVERS = "covers.csv"
COVERS_COLUMNS = ["body", "districts", "source"]
UPPER_TIER_PREFIXES = ("E10", "E47", "E61")
DISTRICT_LAYOUTS = {
    2019: "uk-local-authority-districts-2019.hexjson",
    2020: "uk-local-authority-districts-2020.hexjson",
    2021: "uk-local-authority-districts-2021.hexjson",
    2023: "uk-local-authority-districts-2023.hexjson",
}
UPPER_TIER = "uk-upper-tier-local-authorities-2020.hexjson"
UPPER_TIER_YEAR = 2019  # it holds Dorset's 2019 unitaries and Buckinghamshire County Council (abolished 2020)
LATEST = max(DISTRICT_LAYOUTS)
DISTRICT_PREFIXES = ("E06", "E07", "E08", "E09", "W06", "S12", "N09")
NATION_BY_PREFIX = {"W": "W92000004", "S": "S92000003", "N": "N92000002"}
SUPPLEMENT_COLUMNS = ["code", "name", "region_code", "began", "ended", "replaced_by", "source"]
COLUMNS = [
    "code", "name", "name_cy", "type", "region", "region_code", "began", "ended", "current", "replaced_by",
    "usual_names",
]  # fmt: skip
USUAL_COLUMNS = ["code", "usual_names", "source"]
UNKNOWN_END = "?"


class BuildError(Exception):
    """The inputs disagree with each other; the message lists every disagreement."""


@dataclass
class Row:
    code: str
    name: str = ""
    name_cy: str = ""
    region_code: str = ""
    began: int | None = None
    ended: int | None = None
    ended_unknown: bool = False
    replaced_by: list[str] = field(default_factory=list)
    usual_names: list[str] = field(default_factory=list)
    seen: set[int] = field(default_factory=set)  # years of the layouts that hold the code


def read_layout(path: Path) -> dict[str, dict[str, object]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    hexes: dict[str, dict[str, object]] = data["hexes"]
    return hexes


def read_supplement(path: Path, problems: list[str]) -> list[dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    if rows and list(rows[0]) != SUPPLEMENT_COLUMNS:
        problems.append(f"supplement.csv: the columns must be {', '.join(SUPPLEMENT_COLUMNS)}")
        return []
    seen: set[str] = set()
    for number, row in enumerate(rows, 2):
        if row["code"] in seen:
            problems.append(f"supplement.csv:{number}: {row['code']} is listed twice")
        seen.add(row["code"])
        if not row["source"].strip():
            problems.append(f"supplement.csv:{number}: {row['code']} names no source")
    return rows


def read_usual_names(path: Path, rows: dict[str, Row], problems: list[str]) -> None:
    """What a council calls itself where the register's place name is not it ("Hull City Council"),
    case format 1.2.1: each row a code, its usual names (separated by ";") and the source that shows it."""
    entries = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    if entries and list(entries[0]) != USUAL_COLUMNS:
        problems.append(f"{path.name}: the columns must be {', '.join(USUAL_COLUMNS)}")
        return
    for number, entry in enumerate(entries, 2):
        where = f"{path.name}:{number}"
        if entry["code"] not in rows:
            problems.append(f"{where}: {entry['code']} is not in the register")
        elif not entry["source"].strip():
            problems.append(f"{where}: {entry['code']} names no source")
        else:
            rows[entry["code"]].usual_names = [n.strip() for n in entry["usual_names"].split(";") if n.strip()]


def _year(text: str, where: str, problems: list[str]) -> int | None:
    if not text:
        return None
    if not (text.isdigit() and len(text) == 4):
        problems.append(f"{where}: {text!r} is not a year")
        return None
    return int(text)


def collect(inputs: Path, problems: list[str]) -> dict[str, Row]:
    """Every code, with what the layouts and the supplement say about it."""
    rows: dict[str, Row] = {}
    regions: dict[str, str] = {}
    for year, name in sorted(DISTRICT_LAYOUTS.items()):  # later layouts overwrite names
        for code, entry in read_layout(inputs / name).items():
            row = rows.setdefault(code, Row(code))
            row.seen.add(year)
            row.name = str(entry["n"])
            row.name_cy = str(entry.get("lad19nmw", "") or "").strip()
            if "region" in entry:
                if code in regions and regions[code] != entry["region"]:
                    problems.append(f"{code}: the layouts give two regions, {regions[code]} and {entry['region']}")
                regions[code] = str(entry["region"])
    for code, entry in read_layout(inputs / UPPER_TIER).items():
        row = rows.setdefault(code, Row(code, name=str(entry["n"])))
        if code.startswith("E10"):
            row.seen.add(UPPER_TIER_YEAR)
        elif row.name != entry["n"]:
            problems.append(f"{code}: the upper-tier layout names it {entry['n']!r}, the districts {row.name!r}")
    for number, extra in enumerate(read_supplement(inputs / "supplement.csv", problems), 2):
        where = f"supplement.csv:{number}"
        code = extra["code"]
        row = rows.setdefault(code, Row(code))
        if extra["name"] and row.name and extra["name"] != row.name:
            problems.append(f"{where}: {code} is {row.name!r} in the layouts, not {extra['name']!r}")
        row.name = row.name or extra["name"]
        row.region_code = extra["region_code"]
        row.began = _year(extra["began"], where, problems)
        row.ended_unknown = extra["ended"] == UNKNOWN_END
        row.ended = None if row.ended_unknown else _year(extra["ended"], where, problems)
        row.replaced_by = extra["replaced_by"].split()
    for code, region in regions.items():
        if rows[code].region_code and rows[code].region_code != region:
            problems.append(f"{code}: supplement.csv gives region {rows[code].region_code}, the layouts {region}")
        rows[code].region_code = region
    read_usual_names(inputs / "usual-names.csv", rows, problems)
    return rows


def check_years(row: Row, problems: list[str]) -> None:
    """A code's years against the layouts that hold it (or do not)."""
    known = sorted(DISTRICT_LAYOUTS) if row.code.startswith(DISTRICT_PREFIXES) else []
    if row.code.startswith("E10"):
        known = [UPPER_TIER_YEAR]
    ended = row.ended is not None or row.ended_unknown
    if not known:
        return
    if not row.seen:
        if not ended:
            problems.append(f"{row.code}: in no layout since {known[0]}, so it must have ended; give the year or ?")
        elif row.ended is not None and row.ended > known[0]:
            problems.append(f"{row.code}: ended in {row.ended}, but it is in no layout of {known[0]} or later")
        return
    first, last = min(row.seen), max(row.seen)
    if any(year not in row.seen for year in known if first < year < last):
        problems.append(f"{row.code}: leaves the layouts and comes back")
    before = [year for year in known if year < first]
    if row.began is not None and (row.began > first or (before and row.began <= before[-1])):
        problems.append(f"{row.code}: began in {row.began}, but the layouts hold it from {first}")
    after = [year for year in known if year > last]
    if not after:  # in the latest layout of its kind
        if ended and last == LATEST:
            problems.append(f"{row.code}: is in the {last} layout, so it cannot have ended")
        elif row.ended is not None and row.ended <= last:
            problems.append(f"{row.code}: ended in {row.ended}, but the {last} layout holds it")
        return
    if not ended:
        problems.append(f"{row.code}: in the {last} layout but not the {after[0]} one, so it ended; give the year or ?")
    elif row.ended is not None and not last < row.ended <= after[0]:
        problems.append(f"{row.code}: ended in {row.ended}, but the layouts say between {last} and {after[0]}")


def region_of(row: Row, rows: dict[str, Row], problems: list[str], seen: frozenset[str] = frozenset()) -> str:
    """The region or nation code of a row: its own, its nation's, or its successors'."""
    if row.region_code:
        return row.region_code
    nation = NATION_BY_PREFIX.get(row.code[0])
    if nation:
        return nation
    successors = {
        region_of(rows[code], rows, problems, seen | {row.code})
        for code in row.replaced_by
        if code in rows and code not in seen
    }
    if len(successors) == 1:
        return successors.pop()
    problems.append(f"{row.code}: no region; give region_code or successors in one region")
    return ""


def register_rows(rows: dict[str, Row], problems: list[str]) -> list[dict[str, str]]:
    out = []
    for code in sorted(rows):
        row = rows[code]
        kind = TYPE_BY_PREFIX.get(code[:3])
        if kind is None:
            problems.append(f"{code}: {code[:3]} is not a prefix of a local authority type")
            continue
        if not row.name:
            problems.append(f"{code}: no name")
        for successor in row.replaced_by:
            if successor not in rows:
                problems.append(f"{code}: replaced by {successor}, which is not in the register")
        check_years(row, problems)
        region_code = region_of(row, rows, problems)
        if region_code not in REGION_BY_CODE and region_code != MULTIPLE:
            problems.append(f"{code}: {region_code!r} is not a region or nation code")
        current = row.ended is None and not row.ended_unknown
        out.append(
            {
                "code": code,
                "name": row.name,
                "name_cy": row.name_cy,
                "type": kind,
                "region": REGION_BY_CODE.get(region_code, MULTIPLE),
                "region_code": "" if region_code == MULTIPLE else region_code,
                "began": "" if row.began is None else str(row.began),
                "ended": "" if row.ended is None else str(row.ended),
                "current": "true" if current else "false",
                "replaced_by": " ".join(row.replaced_by),
                "usual_names": "; ".join(row.usual_names),
            }
        )
    return out


def register_csv(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def hexmap_json(inputs: Path) -> bytes:
    """The latest district layout as data: code -> column q and row r, one hex a line."""
    data = json.loads((inputs / DISTRICT_LAYOUTS[LATEST]).read_text(encoding="utf-8"))
    lines = [
        f"  {json.dumps(code)}: {json.dumps({'q': entry['q'], 'r': entry['r']})}"
        for code, entry in sorted(data["hexes"].items())
    ]
    head = {
        "layout": data["layout"],
        "source": f"{DISTRICT_LAYOUTS[LATEST]} (c) Open Innovations, MIT licence (LICENSE-hexmaps.txt)",
    }
    opening = json.dumps(head)[:-1] + ', "hexes": {\n'
    return (opening + ",\n".join(lines) + "\n}}\n").encode("utf-8")


def read_covers(path: Path, problems: list[str]) -> dict[str, list[str]]:
    """covers.csv as body -> the district codes it covers, each row checked for a source."""
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    if rows and list(rows[0]) != COVERS_COLUMNS:
        problems.append(f"covers.csv: the columns must be {', '.join(COVERS_COLUMNS)}")
        return {}
    covers: dict[str, list[str]] = {}
    for number, row in enumerate(rows, 2):
        where = f"covers.csv:{number}"
        if row["body"] in covers:
            problems.append(f"{where}: {row['body']} is listed twice")
        if not row["source"].strip():
            problems.append(f"{where}: {row['body']} names no source")
        districts = row["districts"].split()
        if len(set(districts)) != len(districts):
            problems.append(f"{where}: {row['body']} lists a district twice")
        covers[row["body"]] = sorted(set(districts))
    return covers


def check_covers(
    covers: dict[str, list[str]], rows: list[dict[str, str]], layout: dict[str, dict[str, object]], problems: list[str]
) -> None:
    """Each body covers districts of the 2023 layout: a county its own region's E07 districts, one county
    for each district and a county for every E07 district; the Greater London Authority the E09 boroughs."""
    register = {row["code"]: row for row in rows}
    county_of: dict[str, str] = {}
    for body, districts in covers.items():
        row = register.get(body)
        if row is None or not body.startswith(UPPER_TIER_PREFIXES):
            problems.append(
                f"covers.csv: {body} is not a county council, combined authority or the GLA of the register"
            )
            continue
        for district in districts:
            if district not in layout:
                problems.append(f"covers.csv: {body} covers {district}, which is not a district of the {LATEST} layout")
            elif body.startswith("E10"):
                if not district.startswith("E07"):
                    problems.append(
                        f"covers.csv: county {body} covers {district}, which is not a non-metropolitan district"
                    )
                if layout[district].get("region") != row["region_code"]:
                    problems.append(f"covers.csv: county {body} covers {district}, in another region")
                if district in county_of:
                    problems.append(f"covers.csv: {district} is in two counties, {county_of[district]} and {body}")
                county_of[district] = body
        if body.startswith("E10") and row["current"] != "true":
            problems.append(f"covers.csv: county {body} has ended; its districts are not 2023 districts")
        if body.startswith("E61") and set(districts) != {code for code in layout if code.startswith("E09")}:
            problems.append(f"covers.csv: {body} must cover exactly the London boroughs and the City of London")
    for district in sorted(code for code in layout if code.startswith("E07") and code not in county_of):
        problems.append(f"covers.csv: {district} is a district of no county council")


def covers_csv(covers: dict[str, list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["body", "districts"])
    for body in sorted(covers):
        writer.writerow([body, " ".join(covers[body])])
    return buffer.getvalue().encode("utf-8")


def build(inputs: Path = INPUTS) -> dict[str, bytes]:
    """The files this script writes, by name; raises BuildError if the inputs disagree."""
    problems: list[str] = []
    rows = register_rows(collect(inputs, problems), problems)
    covers = read_covers(inputs / COVERS, problems)
    check_covers(covers, rows, read_layout(inputs / DISTRICT_LAYOUTS[LATEST]), problems)
    if problems:
        raise BuildError("\n".join(problems))
    return {REGISTER: register_csv(rows), HEXMAP: hexmap_json(inputs), COVERS: covers_csv(covers)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the shipped files are out of date")
    args = parser.parse_args(argv)
    try:
        files = build()
    except BuildError as error:
        print(error, file=sys.stderr)
        return 1
    stale = [
        name for name, data in files.items() if not (OUTPUT / name).is_file() or (OUTPUT / name).read_bytes() != data
    ]
    if args.check:
        for name in stale:
            print(f"generator/data/{name} is out of date: run python scripts/build_register.py", file=sys.stderr)
        return 1 if stale else 0
    for name in stale:
        (OUTPUT / name).write_bytes(files[name])
        print(f"wrote generator/data/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
