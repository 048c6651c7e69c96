"""Whole cases with arbitrary Unicode in every text field, pushed through the whole pipeline.

Hypothesis writes cases whose text holds anything: right-to-left marks, emoji,
combining marks, CRLF line ends, and the characters the format refuses (C0 and
C1 controls, U+2028/U+2029, noncharacters). For each one, loading and checking
never raise; a case with a refused character gets exactly a ``text-character``
error; any other case renders, exports to every format without an exception,
keeps its page metadata, and its text comes back exactly from CSV and JSON.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from generator import load_catalogue
from generator.core.project import Project
from generator.core.schema import iter_fields
from generator.exports.export import export_files
from generator.exports.tables import unguard
from generator.site.pages import render_pages

from helpers import CONFIG, MINIMAL_FILE, TODAY, make_project

MINIMAL = yaml.safe_load(MINIMAL_FILE.read_text(encoding="utf-8"))
MINIMAL["last_reviewed"] = str(MINIMAL["last_reviewed"])  # the loader gives dates as ISO text
MINIMAL["partners"] = ["A university partner"]
MINIMAL["contact"] = {"role": "Head of Data", "organisation": "Example Borough Council"}
# The council's name is fuzzed below, and case format 1.2 checks a gss_code against the name: no code here.
del MINIMAL["councils"][0]["gss_code"]

# Every text field of the minimal case, as a path into the data, with its bounds.
TEXT_FIELDS: dict[tuple[str | int, ...], tuple[int, int, bool]] = {}
for field in iter_fields():
    if field.schema.get("type") != "string" or "pattern" in field.schema or "enum" in field.schema:
        continue
    parts: list[str | int] = []
    for part in field.path.split("."):
        parts.extend([part[:-2], 0] if part.endswith("[]") else [part])
    node: Any = MINIMAL
    try:
        for part in parts:
            node = node[part]
    except (KeyError, IndexError, TypeError):
        continue
    if isinstance(node, str):
        TEXT_FIELDS[tuple(parts)] = (
            field.schema.get("minLength", 0),
            field.schema.get("maxLength", 400),
            field.markdown,
        )

REFUSED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufdd0-\ufdef\ufffe\uffff\U0001fffe\U0010ffff]")
# Case format 1.2.1: bidirectional embeddings, overrides and isolates only in Markdown fields.
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
ODD = "\u200f\u202e\u202c\u200d\ufeff\u0301 👩‍💻 עברית العربية 数据 \"'`#:-|>{}[]&*!%@,?\\ ---\t\n\r\x85\u2028\u2029\x7f\x1b\ufffe"
texts = st.text(alphabet=st.one_of(st.characters(codec="utf-8"), st.sampled_from(ODD)), max_size=40)
# Text the format accepts in any field: no controls, separators, bidirectional controls or
# noncharacters; tab and line feed left out.
clean_texts = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp", "Cn")).filter(
            lambda c: not BIDI.match(c)
        ),
        st.sampled_from([c for c in ODD if not REFUSED.match(c) and not BIDI.match(c) and c not in "\t\n\r"]),
    ),
    max_size=40,
)


def _set(data: dict[str, Any], path: tuple[str | int, ...], value: str) -> None:
    node: Any = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


def _get(data: dict[str, Any], path: tuple[str | int, ...]) -> Any:
    node: Any = data
    for part in path:
        node = node[part]
    return node


@st.composite
def cases(draw: st.DrawFn, clean: bool = False) -> dict[str, Any]:
    """The minimal case with fuzzed text in every text field, padded to each field's bounds.

    ``clean``: only text the format accepts.
    """
    data = copy.deepcopy(MINIMAL)
    data["id"] = "unicode-case"
    for path, (low, high, _) in TEXT_FIELDS.items():
        fuzz = draw(clean_texts if clean else texts)[: max(high - low, 1)]
        filler = "x" * max(low - len(fuzz), 0)
        _set(data, path, (fuzz + filler)[:high])
    return data


def _refused(data: dict[str, Any]) -> bool:
    for path, (_, _, markdown) in TEXT_FIELDS.items():
        value = _get(data, path)
        if REFUSED.search(value.replace("\t", "").replace("\n", "") if markdown else value):
            return True
        if not markdown and ("\t" in value or "\n" in value or BIDI.search(value)):
            return True
    return False


def write(folder: Path, data: dict[str, Any], crlf: bool) -> Path:
    """The case as a file, its characters written as they are where PyYAML's emitter keeps them.

    (PyYAML writes U+0085 as it is, where YAML reads it as a line break: such text is escaped.)
    """
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    if yaml.safe_load(text) != data:
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=False)
    path = folder / f"{data['id']}.yaml"
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8") if crlf else text.encode("utf-8"))
    return path


def _csv_cases(files: dict[str, bytes]) -> dict[str, dict[str, str]]:
    reader = csv.DictReader(io.StringIO(files["cases.csv"].decode("utf-8"), newline=""))
    return {row["id"]: row for row in reader}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=cases(), crlf=st.booleans())
def test_any_text_is_refused_or_goes_through_every_step_exactly(tmp_path_factory, data, crlf):
    folder = tmp_path_factory.mktemp("cases")
    write(folder, data, crlf)
    catalogue = load_catalogue([folder], today=TODAY)
    if _refused(data):
        assert {p.rule for p in catalogue.errors} == {"text-character"}, catalogue.errors
        assert all(re.search(r"holds U\+[0-9A-F]{4,6} \(", p.message) for p in catalogue.errors)
        return
    assert catalogue.errors == [], catalogue.errors
    [case] = catalogue.cases
    assert case.data == data  # the file loads to exactly what was written

    page = render_pages(catalogue, CONFIG)[f"cases/{data['id']}.md"]
    _, meta = get_data(page)  # what MkDocs itself reads from the page
    assert meta["og_title"] == data["title"]
    assert meta["og_description"] == data["summary"]
    assert meta["title"] and meta["jsonld"]

    files = export_files(catalogue.cases, ["all"], CONFIG)
    assert json.loads(files["cases.json"])["cases"] == [data]
    row = _csv_cases(files)[data["id"]]
    for path in TEXT_FIELDS:
        column = "_".join(str(p) for p in path if isinstance(p, str))
        if column in row:
            assert unguard(row[column]) == _get(data, path), column


@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(cases(clean=True), min_size=4, max_size=4))
@pytest.mark.site
def test_a_catalogue_of_fuzzed_cases_builds_and_every_page_keeps_its_metadata(tmp_path_factory, drawn):
    from generator.site.build import build

    project = make_project(tmp_path_factory.mktemp("project"), bundled=False)
    assert not any(_refused(data) for data in drawn)
    for number, data in enumerate(drawn):
        data["id"] = f"unicode-case-{number}"
        write(project / "cases", data, crlf=bool(number % 2))
    build(Project.load(project / "cases", project / "mkdocs.yml", project / "site"), today=TODAY)
    for data in drawn:
        html = (project / "site" / "catalogue" / "cases" / data["id"] / "index.html").read_text(encoding="utf-8")
        assert '<meta property="og:title"' in html
        assert 'type="application/ld+json"' in html
        assert "og_type" not in html.split("<article", 1)[1]
