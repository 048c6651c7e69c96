"""Case format 1.1 end to end: a case using every new field, on its page and in every export."""

from __future__ import annotations

import copy
import csv
import io
import json
import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import load_catalogue
from generator.core.project import Project
from generator.core.schema import vocabularies
from generator.exports.export import export_files
from generator.site.build import build

from helpers import CONFIG, FIXTURES, MINIMAL_FILE, TODAY, make_project, write_case

FULL = FIXTURES / "full" / "example-every-field.yaml"


def label(vocab, term):
    return vocabularies()[vocab].label(term)


@pytest.mark.site
def test_a_case_using_every_1_1_field_shows_each_on_its_page_and_exports_it(tmp_path):
    project = make_project(tmp_path, [FULL], bundled=False)
    build(Project.load(project / "cases", project / "mkdocs.yml", project / "site"), today=TODAY)
    html = (project / "site" / "catalogue" / "cases" / "example-every-field" / "index.html").read_text()
    data = yaml.safe_load(FULL.read_text())
    evaluation, replication = data["impact"]["evaluation"], data["replication"]
    panel = html.split('class="cb-could"', 1)[1].split("</div>", 1)[0]
    expected = [
        label("evidence_levels", 4),
        label("evaluation_designs", evaluation["design"]),
        label("evaluators", evaluation["by"]).lower(),
        label("results", evaluation["result"]),
        label("cost_bands", replication["effort"]["cost"]),
        label("durations", replication["effort"]["time_to_first_result"]),
        *[label("roles", r) for r in replication["effort"]["team"]],
        *[label("prerequisites", p) for p in replication["prerequisites"]],
        *[a["title"] for a in replication["artefacts"]],
        *[f'href="{a["url"]}"' for a in replication["artefacts"]],
        'href="#source-2"',  # the evaluation cites its source
    ]
    assert [text for text in expected if text not in panel] == []
    measures = html.split('aria-label="Measures"', 1)[1].split("</table>", 1)[0]
    assert re.findall(r'href="#source-(\d)"', measures) == ["2", "1"]  # each measure cites its source
    assert 'id="source-1"' in html and 'id="source-2"' in html

    catalogue = load_catalogue([project / "cases"], today=TODAY)
    files = export_files(catalogue.cases, ["all"], CONFIG)
    [row] = csv.DictReader(io.StringIO(files["cases.csv"].decode()))
    assert (row["impact_evaluation_design"], row["impact_evaluation_by"], row["impact_evaluation_result"]) == (
        "randomised-trial",
        "independent",
        "positive",
    )
    assert (row["impact_evaluation_source"], row["replication_effort_cost"]) == ("2", "10k-50k")
    assert row["replication_effort_time_to_first_result"] == "3-6-months"

    def long(name, column):
        return [r[column] for r in csv.DictReader(io.StringIO(files[f"{name}.csv"].decode()))]

    assert long("case_team", "team") == replication["effort"]["team"]
    assert long("case_prerequisites", "prerequisite") == replication["prerequisites"]
    assert long("case_artefacts", "kind") == ["code", "dpia"]
    assert long("case_measures", "source") == ["2", "1"]
    assert json.loads(files["cases.json"])["cases"][0] == catalogue.cases[0].data
    package = json.loads(files["datapackage.json"])
    resources = {r["name"]: r for r in package["resources"]}
    for name in ("case_team", "case_prerequisites", "case_artefacts"):
        assert resources[name]["schema"]["foreignKeys"][0]["reference"] == {"resource": "cases", "fields": ["id"]}
    kinds = {f["name"]: f for f in resources["case_artefacts"]["schema"]["fields"]}["kind"]
    assert kinds["constraints"]["enum"] == vocabularies()["artefact_kinds"].ids()


def test_could_we_do_this_always_answers_and_says_not_reported_with_a_way_to_correct_it(tmp_path):
    from generator.site.pages import render_pages

    catalogue = load_catalogue([MINIMAL_FILE], today=TODAY)
    page = render_pages(catalogue, CONFIG)["cases/example-council-tax-single-view.md"]
    panel = page.split('<div class="cb-could">', 1)[1].split("</div>", 1)[0]
    assert "No evaluation is reported." in panel
    rows = re.findall(r"<dt>(.*?)</dt>\n<dd>(.*?)</dd>", panel, re.S)
    headings = ["Evidence", "Set-up cost", "Time to first result", "Team", "In place first", "To reuse", "Contact"]
    assert [dt for dt, _ in rows] == headings
    case = catalogue.cases[0]
    missing = [dt for dt, dd in rows if dd == "Not reported"]
    assert "Set-up cost" in missing and "To reuse" in missing
    assert ("Contact" in missing) == (not case.data.get("contact"))
    correct = page.split("Know a missing fact?", 1)[1].split("</p>", 1)[0]
    assert f'href="{CONFIG.edit_url(case.id)}"' in correct and "Suggest a correction" in correct


@pytest.mark.parametrize(
    ("evaluation", "level", "reason"),
    [
        ({"design": "randomised-trial", "by": "independent", "result": "null"}, 1,
         "Level 1 at most: the randomised trial found no effect (a null result)."),
        ({"design": "comparison-group", "by": "internal", "result": "negative"}, 1,
         "Level 1 at most: the comparison found a negative effect."),
        ({"design": "comparison-group", "by": "supplier", "result": "positive"}, 2,
         "Level 2 at most: the comparison was run by the supplier, whose own evaluation allows level 2 at most."),
        ({"design": "before-after", "by": "internal", "result": "null"}, 1, None),
        ({"design": "randomised-trial", "by": "independent", "result": "positive"}, 3, None),
    ],
)  # fmt: skip
def test_when_a_rule_caps_the_level_the_evidence_row_says_why(tmp_path, evaluation, level, reason):
    from generator.site.pages import render_pages

    data = copy.deepcopy(MINIMAL)
    data["impact"]["evidence_level"] = level
    data["impact"]["evaluation"] = evaluation
    path = tmp_path / f"{data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    catalogue = load_catalogue([path], today=TODAY)
    assert catalogue.problems == []
    page = render_pages(catalogue, CONFIG)[f"cases/{data['id']}.md"]
    evidence = page.split("<dt>Evidence</dt>", 1)[1].split("</dd>", 1)[0]
    found = re.findall(r'<span class="cb-could__cap">(.*?)</span>', evidence)
    assert found == ([reason] if reason else [])


# Text a 1.0 file could hold that 1.1 still accepts: no controls, separators or noncharacters,
# nor the bidirectional controls 1.2.1 keeps to Markdown fields (title and description are one-line).
ALLOWED = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp", "Cn")).filter(
    lambda c: not "\u202a" <= c <= "\u202e" and not "\u2066" <= c <= "\u2069"
)
MINIMAL = yaml.safe_load(MINIMAL_FILE.read_text())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=st.text(ALLOWED, min_size=10, max_size=120),
    problem=st.text(st.one_of(ALLOWED, st.just("\n"), st.just("\t")), min_size=80, max_size=400),
    level=st.integers(1, 2),
    description=st.text(ALLOWED, min_size=20, max_size=200),
)
def test_a_1_0_valid_case_without_control_characters_stays_valid(tmp_path_factory, title, problem, level, description):
    """Format 1.1 only adds: such a case (level 1 or 2, no 1.1 field) is as valid as under 1.0."""
    case = copy.deepcopy(MINIMAL)
    case.update(title=title, problem=problem, last_reviewed=str(case["last_reviewed"]))
    case["impact"]["evidence_level"] = level
    case["challenges"][0]["description"] = description
    folder = tmp_path_factory.mktemp("cases")
    catalogue = load_catalogue([write_case(folder, case)], today=TODAY)
    assert catalogue.errors == []
