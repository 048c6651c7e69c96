"""One test per rule of the case format, each asserting the exact message.

Each row breaks exactly one rule of a valid case and names the single problem
the validator must report: its key path, rule and message (with the value).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from helpers import VECTORS, apply_vector, check, write_case

Mutation = Callable[[dict[str, Any]], None]


def setter(path: str, value: Any) -> Mutation:
    def mutate(case: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = case
        for part in parents:
            node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return mutate


def deleter(path: str) -> Mutation:
    def mutate(case: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = case
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        del node[last]

    return mutate


RULES: list[tuple[str, Mutation, str]] = [
    (
        "id pattern",
        setter("id", "Bad_Id"),
        "id: 'Bad_Id' is not in the right form: Short lowercase name with hyphens; equals the file name without .yaml and is unique in the catalogue. [pattern]",
    ),
    ("id too short", setter("id", "ab"), "id: 'ab' is 2 characters long; it must be at least 3 characters [length]"),
    ("id required", deleter("id"), "id: the required key 'id' is missing [required]"),
    (
        "title too short",
        setter("title", "Short"),
        "title: 'Short' is 5 characters long; it must be at least 10 characters [length]",
    ),
    (
        "title one line",
        setter("title", "A title that has\ntwo lines"),
        "title: holds U+000A (line feed), which only Markdown fields may contain; write it on one line [text-character]",
    ),
    # Case format 1.1, "The file": characters no text value may hold
    (
        "text: tab outside Markdown",
        setter("challenges.0.description", "Each system had\tits own owner and legal basis."),
        "challenges[0].description: holds U+0009 (tab), which only Markdown fields may contain; write it on one line [text-character]",
    ),
    (
        "text: C0 control character",
        setter(
            "problem", "Residents' records sat in separate systems\x1b for council tax, benefits, parking and schools."
        ),
        "problem: holds U+001B (control character), which case text may not contain; remove it [text-character]",
    ),
    (
        "text: DEL",
        setter("summary", "A borough matched records across ten systems\x7f to build one view of each resident."),
        "summary: holds U+007F (control character), which case text may not contain; remove it [text-character]",
    ),
    (
        "text: C1 control character (NEL)",
        setter("title", "Single view of residents\x85 cuts council tax fraud"),
        "title: holds U+0085 (control character), which case text may not contain; remove it [text-character]",
    ),
    (
        "text: line separator",
        setter("summary", "A borough matched records\u2028--- across ten systems to build one view of each resident."),
        "summary: holds U+2028 (line separator), which case text may not contain; remove it [text-character]",
    ),
    (
        "text: paragraph separator in Markdown",
        setter("impact.summary", "Hundreds of incorrect discounts\u2029were found and removed in the first year."),
        "impact.summary: holds U+2029 (paragraph separator), which case text may not contain; remove it [text-character]",
    ),
    (
        "text: noncharacter",
        setter("councils.0.name", "London Borough of Camden\ufffe"),
        "councils[0].name: holds U+FFFE (noncharacter), which case text may not contain; remove it [text-character]",
    ),
    (
        "text: noncharacter in a supplementary plane",
        setter("sources.0.publisher", "Nesta\U0010ffff"),
        "sources[0].publisher: holds U+10FFFF (noncharacter), which case text may not contain; remove it [text-character]",
    ),
    (
        "measure value too large",
        setter("impact.measures.0.value", 10**400),
        "impact.measures[0].value: 100000000000000000000000000000000000000000000000000000000... is out of range; it must be below 1,000,000,000,000,000 [range]",
    ),
    (
        "measure value too small",
        setter("impact.measures.0.value", -1e15),
        "impact.measures[0].value: -1000000000000000.0 is out of range; it must be above -1,000,000,000,000,000 [range]",
    ),
    (
        "title too long",
        setter("title", "x" * 121),
        "title: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' is 121 characters long; it must be at most 120 characters [length]",
    ),
    (
        "summary too short",
        setter("summary", "Too short."),
        "summary: 'Too short.' is 10 characters long; it must be at least 40 characters [length]",
    ),
    (
        "summary too long",
        setter("summary", "y" * 301),
        "summary: 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy...' is 301 characters long; it must be at most 300 characters [length]",
    ),
    ("councils empty", setter("councils", []), "councils: has 0 items; it must have at least 1 item [count]"),
    (
        "council name required",
        deleter("councils.0.name"),
        "councils[0].name: the required key 'name' is missing [required]",
    ),
    (
        "gss code pattern",
        setter("councils.0.gss_code", "E1234"),
        "councils[0].gss_code: 'E1234' is not in the right form: The council's ONS (GSS) code, e.g. E10000016 for Kent County Council. [pattern]",
    ),
    (
        "council type vocabulary",
        setter("councils.0.type", "borough"),
        "councils[0].type: 'borough' is not a term of the 'council_types' vocabulary; did you mean 'london-borough'? [vocabulary]",
    ),
    (
        "region vocabulary",
        setter("councils.0.region", "Londn"),
        "councils[0].region: 'Londn' is not a term of the 'regions' vocabulary; did you mean 'london'? [vocabulary]",
    ),
    # Case format 1.2: councils checked against the register of UK local authorities
    (
        "gss code in the register, with a did you mean",
        setter("councils.0.gss_code", "E09000099"),
        "councils[0].gss_code: E09000099 is not a UK local authority code in the register; did you mean 'E09000007' (Camden)? [gss-code-register]",
    ),
    (
        "gss code in the register, no name to match",
        lambda case: case["councils"][0].update(gss_code="E09000099", name="Example Borough Council"),
        "councils[0].gss_code: E09000099 is not a UK local authority code in the register [gss-code-register]",
    ),
    (
        "gss code of a ward is not a council's",
        setter("councils.0.gss_code", "E05000129"),
        "councils[0].gss_code: E05000129 is not a UK local authority code in the register; did you mean 'E09000007' (Camden)? [gss-code-register]",
    ),
    (
        "council type agrees with the code",
        setter("councils.0.type", "unitary"),
        "councils[0].type: E09000007 is Camden in the register (London borough), so type must be 'london-borough', not 'unitary' [gss-code-type]",
    ),
    (
        "a partnership has no code",
        setter("councils.0.type", "partnership"),
        "councils[0].type: E09000007 is Camden in the register (London borough), so type must be 'london-borough', not 'partnership' (a partnership has no gss_code) [gss-code-type]",
    ),
    (
        "council region agrees with the register",
        setter("councils.0.region", "south-east"),
        "councils[0].region: E09000007 is Camden in the register (London), so region must be 'london', not 'south-east' [gss-code-region]",
    ),
    (
        "council region of an authority across regions",
        lambda case: case["councils"][0].update(
            name="Greater Lincolnshire Combined County Authority", gss_code="E47000017", type="combined-authority"
        ),
        "councils[0].region: E47000017 is Greater Lincolnshire in the register (Several regions), so region must be 'multiple', not 'london' [gss-code-region]",
    ),
    (
        "council name names the code's council",
        setter("councils.0.gss_code", "E09000033"),
        "councils[0].gss_code: E09000033 is Westminster in the register, but the name says London Borough of Camden [gss-code-name]",
    ),
    ("partners are text", setter("partners", [42]), "partners[0]: expected text, got the number 42 [type]"),
    (
        "themes vocabulary",
        setter("themes", ["housin"]),
        "themes[0]: 'housin' is not a term of the 'themes' vocabulary; did you mean 'housing'? [vocabulary]",
    ),
    (
        "themes at most 4",
        setter("themes", ["housing", "homelessness", "public-health", "workforce", "fraud-error"]),
        "themes: has 5 items; it must have at most 4 items [count]",
    ),
    (
        "themes no repeats",
        setter("themes", ["housing", "housing"]),
        "themes: 'housing' is listed more than once [unique]",
    ),
    (
        "techniques at least 1",
        setter("techniques", []),
        "techniques: has 0 items; it must have at least 1 item [count]",
    ),
    (
        "techniques vocabulary",
        setter("techniques", ["machine-learning"]),
        "techniques[0]: 'machine-learning' is not a term of the 'techniques' vocabulary (allowed: data-linking, single-view-master-data, predictive-modelling, dashboards-reporting, geospatial-analysis, open-data, data-sharing, text-analytics, sensors-iot, trials-evaluation, segmentation-profiling, data-platform) [vocabulary]",
    ),
    (
        "status vocabulary",
        setter("status", "Live"),
        "status: 'Live' is not a term of the 'status' vocabulary; did you mean 'live'? (allowed: pilot, live, scaled, ended, planned) [vocabulary]",
    ),
    (
        "year started integer",
        setter("year_started", "2013"),
        "year_started: expected a whole number, got the text '2013' [type]",
    ),
    (
        "year started minimum",
        setter("year_started", 1989),
        "year_started: 1989 is out of range; it must be at least 1990 [range]",
    ),
    (
        "year started not in the future",
        setter("year_started", 2027),
        "year_started: 2027 is after this year (2026) [year-future]",
    ),
    (
        "problem length",
        setter("problem", "Short problem."),
        "problem: 'Short problem.' is 14 characters long; it must be at least 80 characters [length]",
    ),
    ("data at least 1", setter("data", []), "data: has 0 items; it must have at least 1 item [count]"),
    (
        "dataset owner required",
        deleter("data.0.owner"),
        "data[0].owner: the required key 'owner' is missing [required]",
    ),
    (
        "dataset kind vocabulary",
        setter("data.0.kind", "admin"),
        "data[0].kind: 'admin' is not a term of the 'data_kinds' vocabulary; did you mean 'administrative'? (allowed: administrative, open, survey, sensor, commercial, geospatial) [vocabulary]",
    ),
    (
        "dataset personal boolean",
        setter("data.0.personal", "yes"),
        "data[0].personal: expected true or false, got the text 'yes' [type]",
    ),
    (
        "approach length",
        setter("approach", "We did it."),
        "approach: 'We did it.' is 10 characters long; it must be at least 80 characters [length]",
    ),
    ("impact required", deleter("impact"), "impact: the required key 'impact' is missing [required]"),
    (
        "impact summary length",
        setter("impact.summary", "It worked."),
        "impact.summary: 'It worked.' is 10 characters long; it must be at least 40 characters [length]",
    ),
    (
        "evidence level range",
        setter("impact.evidence_level", 6),
        "impact.evidence_level: 6 is not a term of the 'evidence_levels' vocabulary (allowed: 1, 2, 3, 4, 5) [vocabulary]",
    ),
    (
        "measure value number",
        setter("impact.measures.0.value", "300"),
        "impact.measures[0].value: expected a number, got the text '300' [type]",
    ),
    (
        "measure unit vocabulary",
        setter("impact.measures.0.unit", "pounds"),
        "impact.measures[0].unit: 'pounds' is not a term of the 'units' vocabulary (allowed: GBP, percent, hours, days, count, people, households) [vocabulary]",
    ),
    (
        "measure period vocabulary",
        setter("impact.measures.0.period", "yearly"),
        "impact.measures[0].period: 'yearly' is not a term of the 'periods' vocabulary (allowed: one-off, per-year, per-month) [vocabulary]",
    ),
    (
        "measure year integer",
        setter("impact.measures.0.year", 2016.5),
        "impact.measures[0].year: expected a whole number, got the number 2016.5 [type]",
    ),
    (
        "challenge category vocabulary",
        setter("challenges.0.category", "data-quallity"),
        "challenges[0].category: 'data-quallity' is not a term of the 'challenges' vocabulary; did you mean 'data-quality'? [vocabulary]",
    ),
    (
        "challenge description length",
        setter("challenges.0.description", "Hard."),
        "challenges[0].description: 'Hard.' is 5 characters long; it must be at least 20 characters [length]",
    ),
    (
        "success factor category vocabulary",
        setter("success_factors.0.category", "leadership"),
        "success_factors[0].category: 'leadership' is not a term of the 'success_factors' vocabulary (allowed: senior-sponsorship, problem-focus, frontline-involvement, partnerships, data-governance, skills-investment, quick-wins, iterative-delivery, open-standards-reuse, evidence-evaluation) [vocabulary]",
    ),
    (
        "replication guidance length",
        setter("replication.guidance", "Copy it."),
        "replication.guidance: 'Copy it.' is 8 characters long; it must be at least 40 characters [length]",
    ),
    (
        "adopted by list",
        setter("replication.adopted_by", "Leeds City Council"),
        "replication.adopted_by: expected a list, got the text 'Leeds City Council' [type]",
    ),
    ("sources at least 1", setter("sources", []), "sources: has 0 items; it must have at least 1 item [count]"),
    (
        "source url scheme",
        setter("sources.0.url", "ftp://example.org/report"),
        "sources[0].url: 'ftp://example.org/report' is not in the right form: Where to read it (https:// or http://). [pattern]",
    ),
    (
        "source published form",
        setter("sources.0.published", "Nov 2016"),
        "sources[0].published: 'Nov 2016' is not in the right form: When it was published: YYYY, YYYY-MM or YYYY-MM-DD. [pattern]",
    ),
    (
        "contact role required",
        setter("contact", {"organisation": "Example Borough Council"}),
        "contact.role: the required key 'role' is missing [required]",
    ),
    (
        "contact email",
        setter("contact", {"role": "Data team", "organisation": "Example Borough Council", "email": "not-an-email"}),
        "contact.email: 'not-an-email' is not in the right form: A team or role mailbox. [pattern]",
    ),
    (
        "related exists",
        setter("related", ["no-such-case"]),
        "related[0]: no case has the id 'no-such-case' [related-exists]",
    ),
    (
        "related not itself",
        setter("related", ["example-council-tax-single-view"]),
        "related[0]: a case cannot be related to itself ('example-council-tax-single-view') [related-self]",
    ),
    (
        "licence vocabulary",
        setter("licence", "MIT"),
        "licence: 'MIT' is not a term of the 'licences' vocabulary (allowed: OGL-3.0, CC-BY-4.0) [vocabulary]",
    ),
    (
        "last reviewed date",
        setter("last_reviewed", "2026-02-30"),
        "last_reviewed: '2026-02-30' is not a valid date [format]",
    ),
    (
        "last reviewed not in the future",
        setter("last_reviewed", "2027-01-01"),
        "last_reviewed: 2027-01-01 is in the future (today is 2026-12-05) [date-future]",
    ),
    (
        "unknown key",
        setter("sumary", "A misspelt key"),
        "sumary: unknown key 'sumary'; did you mean 'summary'? [unknown-key]",
    ),
    # A required value still to write (nothing, or blank text) is one problem, whatever it breaks.
    (
        "title to fill in",
        setter("title", None),
        "title: fill in Title: What was done and what it achieved, in one line. [fill-in]",
    ),
    (
        "evidence level to fill in, reported once",
        setter("impact.evidence_level", None),
        "impact.evidence_level: fill in Evidence level: Nesta Standards of Evidence, 1 to 5. [fill-in]",
    ),
    (
        "blank Markdown to fill in",
        setter("problem", "  \n"),
        "problem: fill in Problem: The problem, stated before any data or tool. [fill-in]",
    ),
    (
        "dataset value to fill in",
        setter("data.0.personal", None),
        "data[0].personal: fill in Personal data: Does the dataset hold personal data? [fill-in]",
    ),
    (
        "a value of the wrong type is not also reported as not a term",
        setter("impact.evidence_level", "3"),
        "impact.evidence_level: expected a whole number, got the text '3' [type]",
    ),
    (
        "an optional value left empty",
        setter("councils.0.gss_code", None),
        "councils[0].gss_code: expected text, got nothing [type]",
    ),
    ("root is a mapping", lambda case: case.clear(), ""),  # replaced below
]
RULES.pop()  # the empty-mapping case is covered by test_top_level_must_be_mapping


@pytest.mark.parametrize(("mutate", "expected"), [r[1:] for r in RULES], ids=[r[0] for r in RULES])
def test_each_rule_reports_one_exact_problem(tmp_path, minimal, mutate, expected):
    mutate(minimal)
    path = write_case(tmp_path, minimal, f"{minimal.get('id', 'example-council-tax-single-view')}.yaml")
    catalogue = check(path)
    lines = [f"{p.path}: {p.message} [{p.rule}]" for p in catalogue.errors]
    assert lines == [expected]
    assert catalogue.cases == []


def test_id_must_equal_file_name(tmp_path, minimal):
    path = write_case(tmp_path, minimal, "other-name.yaml")
    [problem] = check(path).errors
    assert (problem.line, problem.path, problem.rule) == (1, "id", "id-filename")
    assert problem.message == (
        "the id 'example-council-tax-single-view' must equal the file name; "
        "rename the file to example-council-tax-single-view.yaml or set id: other-name"
    )


def test_ids_are_unique(tmp_path, minimal):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = write_case(tmp_path / "a", minimal)
    second = write_case(tmp_path / "b", minimal)
    [problem] = check(first, second).errors
    assert problem.rule == "id-unique"
    assert problem.file.endswith("b/example-council-tax-single-view.yaml")
    assert problem.message.startswith("the id 'example-council-tax-single-view' is already used by ")


def test_yml_extension_is_refused_with_a_hint(tmp_path, minimal):
    path = write_case(tmp_path, minimal, "example-council-tax-single-view.yml")
    messages = [p.message for p in check(path).errors]
    assert "case files end in .yaml; rename it to example-council-tax-single-view.yaml" in messages


def test_top_level_must_be_mapping(tmp_path):
    path = write_case(tmp_path, "- just\n- a list\n", "a-list.yaml")
    [problem] = check(path).errors
    assert (problem.rule, problem.message) == ("type", "expected a mapping of keys to values, got a list")


def test_related_cases_resolve_across_the_folder(tmp_path, minimal):
    other = {**minimal, "id": "second-case", "related": [minimal["id"]]}
    write_case(tmp_path, minimal)
    path = write_case(tmp_path, other)
    catalogue = check(path)  # one file named; its sibling still counts as existing
    assert catalogue.errors == []


def test_warnings_are_separate_from_errors(tmp_path, minimal):
    minimal["last_reviewed"] = "2024-01-01"
    minimal["sources"][0]["url"] = "http://www.example.org/report"
    catalogue = check(write_case(tmp_path, minimal))
    assert catalogue.errors == []
    assert [(p.rule, p.message) for p in catalogue.warnings] == [
        ("insecure-url", "'http://www.example.org/report' uses plain http; use https if the site offers it"),
        ("review-overdue", "last reviewed 2024-01-01, more than 24 months ago; check it against its sources"),
    ]
    assert catalogue.ok() and not catalogue.ok(strict=True)
    assert len(catalogue.cases) == 1


def test_every_problem_is_reported_not_only_the_first(tmp_path, minimal):
    minimal["themes"] = ["housin", "transport"]
    minimal["status"] = "done"
    del minimal["summary"]
    rules = sorted(p.rule for p in check(write_case(tmp_path, minimal)).errors)
    assert rules == ["required", "vocabulary", "vocabulary", "vocabulary"]


def test_problem_positions_point_at_the_value(tmp_path, minimal):
    minimal["councils"][0]["region"] = "nowhere"
    path = write_case(tmp_path, minimal)
    [problem] = check(path).errors
    line = path.read_text().splitlines()[problem.line - 1]
    assert line[problem.column - 1 :].startswith("nowhere")


def test_unquoted_dates_and_years_validate(tmp_path):
    from helpers import MINIMAL_FILE

    text = MINIMAL_FILE.read_text().replace('published: "2016-11"', "published: 2016")
    path = write_case(tmp_path, text, "example-council-tax-single-view.yaml")
    catalogue = check(path)
    assert catalogue.errors == []
    case = catalogue.cases[0]
    assert case["last_reviewed"] == "2026-11-01"
    assert case["sources"][0]["published"] == 2016


def test_did_you_mean_is_computed_for_a_few_unknown_related_ids_only(tmp_path, minimal):
    """A file listing thousands of unknown ids costs a few suggestion scans, not one per id."""
    from generator.core.rules import SUGGESTIONS_PER_FILE

    minimal["related"] = [f"example-council-tax-single-viev-{n}" for n in range(40)]
    path = write_case(tmp_path, minimal)
    write_case(tmp_path, {**minimal, "id": "example-council-tax-single-viev-0x", "related": []})
    errors = [p for p in check(path).errors if p.file == str(path)]
    assert len(errors) == 40 and {p.rule for p in errors} == {"related-exists"}
    hinted = [p for p in errors if "did you mean" in p.message]
    assert len(hinted) == SUGGESTIONS_PER_FILE
    assert hinted[0].message == (
        "no case has the id 'example-council-tax-single-viev-0'; did you mean 'example-council-tax-single-viev-0x'?"
    )


def pointer_of(path: str) -> str:
    """``impact.measures[0].source`` -> ``/impact/measures/0/source``."""
    return "/" + path.replace("[", ".").replace("]", "").replace(".", "/")


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_each_shared_vector_breaks_exactly_its_rule(tmp_path, minimal, vector):
    apply_vector(minimal, vector["set"])
    path = write_case(tmp_path, minimal)
    [problem] = check(path).errors
    assert (pointer_of(problem.path), problem.rule) == (vector["pointer"], vector["rule"])
    if "message" in vector:
        assert problem.message == vector["message"]


def test_the_project_vocabulary_file_meets_its_own_schema():
    from generator.core.explain import vocabulary_problems

    assert vocabulary_problems() == ()


def test_a_definition_cut_at_a_comma_in_the_vocabulary_file_is_reported():
    """In a flow mapping each comma starts a new key: the definition is cut and stray keys appear."""
    from generator.core.explain import check_vocabularies

    text = b"themes:\n  housing: {label: Housing, definition: Council and social housing, private rented sector}\n"
    [problem] = check_vocabularies(text, "vocabularies.yaml")
    assert (problem.line, problem.path, problem.rule) == (2, "themes.housing.private rented sector", "unknown-key")
    assert problem.message == "unknown key 'private rented sector'; allowed keys: label, definition"
    empty = check_vocabularies(b"themes:\n  housing: {label: Housing, definition: ''}\n", "vocabularies.yaml")
    assert [(p.path, p.rule) for p in empty] == [("themes.housing.definition", "pattern")]


def test_a_council_that_no_longer_exists_keeps_its_code(tmp_path, minimal):
    """Allerdale became part of Cumberland in 2023; a case about its work stays valid."""
    minimal["councils"] = [
        {"name": "Allerdale Borough Council", "gss_code": "E07000026", "type": "district", "region": "north-west"}
    ]
    catalogue = check(write_case(tmp_path, minimal))
    assert catalogue.problems == []


@pytest.mark.parametrize(
    "council",
    [
        {"name": "Cyngor Sir Ynys Môn", "gss_code": "W06000001", "type": "welsh-unitary", "region": "wales"},
        {
            "name": "Kingston upon Hull City Council",
            "gss_code": "E06000010",
            "type": "unitary",
            "region": "yorkshire-and-the-humber",
        },
        {
            "name": "Royal Borough of Kingston upon Thames",
            "gss_code": "E09000021",
            "type": "london-borough",
            "region": "london",
        },
        {"name": "Kent County Council", "gss_code": "E10000016", "type": "county", "region": "south-east"},
        {
            "name": "Greater London Authority",
            "gss_code": "E61000001",
            "type": "greater-london-authority",
            "region": "london",
        },
        {
            "name": "West Midlands Combined Authority",
            "gss_code": "E47000007",
            "type": "combined-authority",
            "region": "west-midlands",
        },
        {
            "name": "Forest Heath District Council",
            "gss_code": "E07000201",
            "type": "district",
            "region": "east-of-england",
        },
        {"name": "Belfast City Council", "gss_code": "N09000003", "type": "ni-district", "region": "northern-ireland"},
        {"name": "The Highland Council", "gss_code": "S12000017", "type": "scottish-council", "region": "scotland"},
    ],
    ids=lambda council: council["gss_code"],
)
def test_councils_the_register_knows_are_valid(tmp_path, minimal, council):
    minimal["councils"] = [council]
    assert check(write_case(tmp_path, minimal)).errors == []


def test_every_council_rule_reports_at_its_key(tmp_path, minimal):
    minimal["councils"][0].update(type="unitary", region="south-east", gss_code="E09000033")
    path = write_case(tmp_path, minimal)
    problems = check(path).errors
    assert [(p.path, p.rule) for p in problems] == [
        ("councils[0].gss_code", "gss-code-name"),
        ("councils[0].type", "gss-code-type"),
        ("councils[0].region", "gss-code-region"),
    ]
    lines = path.read_text().splitlines()
    for problem in problems:
        key = problem.path.rsplit(".", 1)[-1]
        value = minimal["councils"][0][key]
        assert lines[problem.line - 1][problem.column - 1 :].startswith(value)


def test_the_quick_check_for_refused_characters_agrees_with_the_rule_for_every_character():
    """text_problems first checks a file's texts together, ASCII by deleting the allowed bytes;
    that check must refuse exactly what the format's patterns refuse."""
    from generator.core.values import _FORBIDDEN_IN_MARKDOWN, _FORBIDDEN_IN_TEXT, _refuses

    points = [
        *range(0x3000),
        *range(0xFDC0, 0xFE00),
        *(p * 0x10000 + e for p in range(17) for e in (0xFFFD, 0xFFFE, 0xFFFF)),
    ]
    for point in points:
        for text in (f"a{chr(point)}b", f"é{chr(point)}"):
            assert _refuses(text, markdown=True) == bool(_FORBIDDEN_IN_MARKDOWN.search(text)), hex(point)
            assert _refuses(text, markdown=False) == bool(_FORBIDDEN_IN_TEXT.search(text)), hex(point)


def test_the_quick_check_sorts_texts_into_markdown_and_plain_as_the_rule_does():
    from generator.core.values import scan

    data = {
        "title": "t",
        "problem": "p",
        "impact": {"summary": "s", "measures": [{"metric": "m"}]},
        "replication": {"guidance": ["g"], "adopted_by": ["a"]},
        "approach": {"nested": "n"},
        1: "k",
    }
    found = scan(data)
    markdown, plain = found.in_markdown, found.in_text
    assert sorted(markdown) == ["g", "p", "s"]
    assert sorted(plain) == ["a", "k", "m", "n", "t"]
