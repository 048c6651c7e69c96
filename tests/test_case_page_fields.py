"""Every field of the schema reaches the case page and the search record, and a new field needs no template.

The first test fills every field of the format (with ``casebook new``'s example values, and
a distinct marker in each free text) and looks for each value on the built page and in
what search indexes. The second adds a field to a copy of the schema and the vocabularies,
and nothing else, and finds it on the case page, in search, on browse pages, in the
catalogue's filter, in the exports, in the form and in the export command's options.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from html import unescape
from typing import Any

import pytest
import yaml

from generator import load_catalogue
from generator.core.schema import Field, iter_fields
from generator.maintain.scaffold import example_value
from generator.site.pages import render_pages, search_documents

from helpers import CONFIG, MINIMAL_FILE, ROOT, TODAY, set_field, write_case

# Fields shown in another form than their value, and why.
SHOWN_OTHERWISE = {
    "impact.measures[].unit": "written with the value (£, %, households)",
    "impact.measures[].value": "written with its unit (£250,000)",
    "impact.measures[].source": "a citation, [1], linking to the source",
    "impact.evaluation.source": "a citation, [1], linking to the source",
    "related": "the related cases' titles",
}
NOT_SEARCHED = {  # no words to search for
    "id", "related", "sources[].url", "replication.artefacts[].url", "contact.url", "contact.email",
    "impact.measures[].value", "impact.measures[].unit", "impact.measures[].source", "impact.evaluation.source",
    "impact.measures[].year", "sources[].published", "last_reviewed", "year_started",
}  # fmt: skip


def _leaves() -> list[Field]:
    return [f for f in iter_fields() if not f.children]


def _full_case() -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The minimal case with every field filled, and the words each field should show."""
    case = yaml.safe_load(MINIMAL_FILE.read_text(encoding="utf-8"))
    case["impact"]["evidence_level"] = 3
    expected: dict[str, list[str]] = {}
    for number, field in enumerate(_leaves()):
        if field.path in ("id", "last_reviewed") or field.path.startswith("councils[]."):
            continue  # kept from the minimal case, so the case stays valid (its council is Camden's code)
        value = example_value(field)
        plain_text = field.schema.get("type") == "string" and not field.vocabulary and "pattern" not in field.schema
        if plain_text and "format" not in field.schema:
            marker = f"M{number:03d}"
            value = f"{marker} " + "words " * max(1, field.schema.get("minLength", 0) // 6 + 1)
            value = value.strip()
        if "http" in str(field.schema.get("pattern", "")):
            value = f"https://example.org/m{number:03d}"
        if field.is_list and not isinstance(value, list):
            value = [value]
        set_field(case, field.path, value)
    case["impact"]["evaluation"]["design"] = "randomised-trial"
    case["related"] = ["example-related-case"]
    return case, expected


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("full")
    case, _ = _full_case()
    write_case(folder, case)
    related = yaml.safe_load(MINIMAL_FILE.read_text(encoding="utf-8")) | {"id": "example-related-case"}
    related["title"] = "The related case's own title"
    write_case(folder, related)
    catalogue = load_catalogue([folder], today=TODAY)
    assert catalogue.errors == []
    page = render_pages(catalogue, CONFIG)[f"cases/{case['id']}.md"]
    search = search_documents(catalogue)[f"catalogue/cases/{case['id']}/index.html"]
    return case, unescape(page), unescape(search)


def _words(field: Field, case: dict[str, Any]) -> list[str]:
    from generator.core.facets import values_at
    from generator.site.pages.fields import Shown

    values = values_at(case, field.path)
    return [" ".join(t.split()[:2]) for t in Shown(field, values).texts]


@pytest.mark.parametrize("field", _leaves(), ids=lambda f: f.path)
def test_every_field_of_the_schema_shows_on_the_case_page_and_in_search(rendered, field):
    case, page, search = rendered
    if field.path in SHOWN_OTHERWISE:
        return
    words = _words(field, case)
    assert words, f"{field.path} has no value in the full case"
    for word in words:  # a term's label may be shown in lower case within a sentence ("by the council")
        assert word.lower() in page.lower(), f"{field.path}: {word!r} is not on the case page"
        if field.path not in NOT_SEARCHED:
            assert word.lower() in search.lower(), f"{field.path}: {word!r} is not in the search record"


def test_what_shows_otherwise_shows(rendered):
    from generator.site.render import format_value

    case, page, _ = rendered
    measure = case["impact"]["measures"][0]
    assert format_value(measure["value"], measure["unit"]) in page
    assert "The related case's own title" in page
    assert 'class="cb-cite" href="#source-1"' in page


PROBE = r"""
import json, sys
from pathlib import Path
from generator import load_catalogue
from generator.core.project import Project
from generator.site.pages import render_pages, search_documents
from generator.site.pages.reference import form_page
project = Project.load()
catalogue = load_catalogue([project.cases])
assert catalogue.errors == [], catalogue.errors
pages = render_pages(catalogue, project.settings)
search = search_documents(catalogue)
print(json.dumps({
    "case": pages["cases/example-council-tax-single-view.md"],
    "browse": sorted(p for p in pages if p.startswith("procurement-route/")),
    "browse_index": pages["browse/index.md"],
    "data": json.loads(pages["catalogue-data.json"])["facets"].get("procurement-route"),
    "catalogue": pages["index.md"],
    "search": search["catalogue/cases/example-council-tax-single-view/index.html"],
    "form": form_page(project.settings),
}))
"""


def test_a_field_added_to_the_schema_and_the_vocabularies_alone_reaches_every_part(tmp_path):
    """In a copy, an optional choice field marked x-facet, and its vocabulary, are the only change."""
    package = tmp_path / "package"
    shutil.copytree(ROOT / "generator", package / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    schema_file = package / "generator" / "data" / "case-v1.schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    schema["properties"]["procurement_route"] = {
        "title": "Procurement route",
        "description": "How the council bought the work.",
        "x-vocabulary": "procurement_routes",
        "type": "string",
        "x-facet": True,
    }
    schema_file.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    vocabularies = package / "generator" / "data" / "vocabularies.yaml"
    vocabularies.write_text(
        vocabularies.read_text(encoding="utf-8")
        + "procurement_routes:\n"
        + "  framework:\n    label: Framework agreement\n    definition: Bought through a public sector framework.\n"
        + "  in-house:\n    label: Built in house\n    definition: Built by the council's own staff.\n",
        encoding="utf-8",
    )
    project = tmp_path / "project"
    (project / "cases").mkdir(parents=True)
    for name in ("mkdocs.yml",):
        shutil.copy(ROOT / name, project / name)
    case = MINIMAL_FILE.read_text(encoding="utf-8") + "procurement_route: framework\n"
    (project / "cases" / "example-council-tax-single-view.yaml").write_text(case, encoding="utf-8")
    other = MINIMAL_FILE.read_text(encoding="utf-8").replace("id: example-council-tax-single-view", "id: another-case")
    (project / "cases" / "another-case.yaml").write_text(other, encoding="utf-8")
    env = {"PYTHONPATH": str(package), "NO_COLOR": "1", "PATH": "/usr/bin:/bin"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, *args], cwd=project, env=env, capture_output=True, text=True)

    checked = run("-m", "generator", "validate", "--today", TODAY.isoformat())
    assert checked.returncode == 0, checked.stdout + checked.stderr
    probe = run("-c", PROBE)
    assert probe.returncode == 0, probe.stderr
    out = json.loads(probe.stdout)
    assert (
        "Procurement route" in out["case"]
        and 'href="../../procurement-route/framework/">Framework agreement' in out["case"]
    )
    assert out["browse"] == [
        "procurement-route/framework.md",
        "procurement-route/in-house.md",
        "procurement-route/index.md",
    ]
    assert "Procurement route" in out["browse_index"]
    assert out["data"] == ["framework", "in-house"]
    assert 'name="procurement-route"' in out["catalogue"] and "Framework agreement" in out["catalogue"]
    assert "Framework agreement" in out["search"]
    assert "procurement_route" in out["form"] and "Framework agreement" in out["form"]
    assert "--procurement-route" in run("-m", "generator", "export", "--help").stdout
    exported = run("-m", "generator", "export", "--procurement-route", "framework", "--out", "out", "--quiet")
    assert exported.returncode == 0, exported.stderr
    with (project / "out" / "cases.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row["id"], row["procurement_route"]) for row in rows] == [("example-council-tax-single-view", "framework")]
