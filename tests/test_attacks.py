"""The third round of hostile input: one test (or more) for each class of attack.

Each test is named for the class, not for the one file that found it, and feeds
the whole class where it can: every output format, every integer field, every
refused character. What the built site does with hostile text is in
``test_hostile_site.py``.
"""

from __future__ import annotations

import json
import os
import re

import pytest
import yaml

from generator.core.problems import visible

from helpers import MINIMAL_FILE, TODAY, check, run_cli, set_field, write_case

# What a terminal acts on: escape (ESC), an operating system command (OSC ... BEL)
# that sets the window title, the 8-bit control sequence introducer and a
# right-to-left override.
TERMINAL_ATTACK = "Hackney\x1b[2J\x1b]0;owned\x07\x9b31m\u202e"


def minimal() -> dict:
    return yaml.safe_load(MINIMAL_FILE.read_text(encoding="utf-8"))


# --- Terminal escapes in messages ---------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_terminal_escapes_in_case_text_are_shown_never_obeyed(tmp_path, fmt):
    case = minimal()
    case["councils"][0]["name"] = "London Borough of " + TERMINAL_ATTACK
    write_case(tmp_path, case)
    result = run_cli("validate", "--format", fmt, str(tmp_path))
    assert result.returncode == 1
    out = result.stdout
    for raw in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert raw not in out, (fmt, repr(raw))
    if fmt == "json":
        [problem] = [p for p in json.loads(out) if p["rule"] == "text-character"]
        assert problem["path"] == "councils[0].name"
    else:
        assert "\\x1b" in out or "\\u001b" in out


def test_visible_escapes_every_control_format_and_separator_character():
    for code in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), 0x200E, 0x202E, 0x2066, 0x2028, 0x2029, 0xFEFF]:
        shown = visible(f"a{chr(code)}b")
        assert chr(code) not in shown and shown.startswith("a\\") and shown.endswith("b"), hex(code)
    assert visible("Café – £5") == "Café – £5"


def test_a_file_name_with_a_newline_stays_on_its_report_line(tmp_path):
    (tmp_path / "two\nlines.yaml").write_text("id: [", encoding="utf-8")
    result = run_cli("validate", str(tmp_path))
    [line] = [x for x in result.stdout.splitlines() if "lines.yaml" in x]
    assert "two\\x0alines.yaml" in line and "error" in line


# --- Floats that equal integers, and YAML's own words ----------------------------------


@pytest.mark.parametrize(
    ("pointer", "value", "message"),
    [
        (("impact", "evidence_level"), 5.0, "5.0 has a decimal point; Evidence level is a whole number: write 5"),
        (("year_started",), 9999.0, "9999.0 has a decimal point; Year started is a whole number: write 9999"),
        (
            ("impact", "measures", 0, "year"),
            2019.0,
            "2019.0 has a decimal point; Year measured is a whole number: write 2019",
        ),
        (
            ("impact", "measures", 0, "source"),
            1000.0,
            "1000.0 has a decimal point; Source is a whole number: write 1000",
        ),
    ],
    ids=["evidence-level", "year-started", "measure-year", "measure-source"],
)
def test_an_integer_field_refuses_a_whole_number_written_as_a_decimal(tmp_path, pointer, value, message):
    case = minimal()
    node = case
    for part in pointer[:-1]:
        node = node[part]
    node[pointer[-1]] = value
    errors = check(write_case(tmp_path, case)).errors
    assert [(e.rule, e.message) for e in errors if e.rule == "whole-number"] == [("whole-number", message)]
    assert not check(write_case(tmp_path, case)).cases


def test_every_integer_field_of_the_schema_is_checked_for_decimals():
    from generator.core.schema import iter_fields
    from generator.core.values import scan

    integers = [f for f in iter_fields() if f.schema.get("type") == "integer"]
    assert {f.path for f in integers} >= {"year_started", "impact.evidence_level", "impact.measures[].source"}
    for field in integers:
        data: dict = {}
        node = data
        parts = field.path.replace("[]", "").split(".")
        for part in parts[:-1]:
            node[part] = [{}] if f"{part}[]" in field.path else {}
            node = node[part][0] if isinstance(node[part], list) else node[part]
        node[parts[-1]] = 3.0
        assert [f.path for _, f, _ in scan(data).mistyped] == [field.path]


@pytest.mark.parametrize(
    ("line", "rule_message"),
    [
        (
            "    result: null",
            "impact.evaluation.result: YAML reads the unquoted word null as no value, not as the term 'null'; write result: \"null\"",
        ),
        ("status: yes", 'status: YAML reads the unquoted word yes as true, not as text; write status: "yes"'),
        ("status: Off", 'status: YAML reads the unquoted word Off as false, not as text; write status: "Off"'),
        (
            "themes: [housing, no]",
            'themes[1]: YAML reads the unquoted word no as false, not as text; write - "no"',
        ),
    ],
    ids=["null-result", "yes", "off", "in-a-list"],
)
def test_yaml_words_where_a_term_is_expected_are_told_to_be_quoted(tmp_path, line, rule_message):
    text = MINIMAL_FILE.read_text(encoding="utf-8")
    text = text.replace(
        "  evidence_level: 2\n", "  evidence_level: 1\n  evaluation:\n    design: randomised-trial\n    by: internal\n"
    )
    key = line.split(":")[0].strip()
    if key == "result":
        text = text.replace("    by: internal\n", f"    by: internal\n{line}\n")
    else:
        text = "\n".join(line if x.startswith(f"{key}:") else x for x in text.splitlines()) + "\n"
        text = text.replace("    by: internal\n", '    by: internal\n    result: "null"\n')
    path = tmp_path / "example-council-tax-single-view.yaml"
    path.write_text(text, encoding="utf-8")
    lines = [f"{p.path}: {p.message}" for p in check(path).errors]
    assert lines == [rule_message]


def test_a_quoted_null_result_is_the_term(tmp_path):
    text = MINIMAL_FILE.read_text(encoding="utf-8").replace(
        "  evidence_level: 2\n",
        '  evidence_level: 1\n  evaluation: {design: randomised-trial, by: internal, result: "null"}\n',
    )
    path = tmp_path / "example-council-tax-single-view.yaml"
    path.write_text(text, encoding="utf-8")
    assert check(path).errors == []


# --- Markdown nested deeper than a case needs -------------------------------------------


@pytest.mark.parametrize(
    ("nested", "at_least"),
    [
        ("> " * 40_000 + "x", 40_000),  # 80 KB of block quotes: minutes of build before they were refused
        ("- " * 3_000 + "x", 21),  # lists in lists
        ("> - " * 11 + "x", 21),  # quotes and lists mixed, just past the limit
    ],
)
def test_markdown_nested_deeper_than_a_case_needs_is_refused_with_its_place(tmp_path, nested, at_least):
    case = minimal()
    case["problem"] = "Records sat in separate systems.\n\n" + nested + "\n"
    path = write_case(tmp_path, case)
    [error] = check(path).errors
    assert (error.path, error.rule) == ("problem", "markdown-depth")
    words = re.fullmatch(
        r"Markdown nested ([\d,]+) levels deep \(block quotes, lists or HTML tags\); a case needs at most 20: flatten it",
        error.message,
    )
    assert words and int(words[1].replace(",", "")) >= at_least, error.message
    result = run_cli("validate", str(path))
    assert result.returncode != 0 and "Traceback" not in result.stderr + result.stdout
    assert f"{path.name}:{error.line}:" in result.stdout + result.stderr


def test_markdown_as_deep_as_a_case_needs_is_allowed(tmp_path):
    case = minimal()
    case["problem"] += "\n> A quote from the evaluation:\n>\n> - with a list\n>   - and a list in it\n"
    assert check(write_case(tmp_path, case)).errors == []


# --- What the weekly stale-cases issue shows -----------------------------------------


def test_the_stale_issue_shows_what_a_case_supplies_as_text_never_as_markdown(tmp_path):
    import cmarkgfm

    case = minimal()
    case["title"] = "Hi @org/team ![x](https://evil.example/x.png) [go](https://evil.example) <b>bold</b> | a | b `c`"
    case["last_reviewed"] = "2020-01-01"
    write_case(tmp_path, case)
    assert check(tmp_path).errors == []
    result = run_cli("stale", "--cases", str(tmp_path), "--format", "markdown", "--today", TODAY.isoformat())
    html = cmarkgfm.github_flavored_markdown_to_html(result.stdout)  # GitHub's own Markdown, tables included
    assert "<img" not in html and "<a " not in html and "<b>" not in html
    rows = re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
    assert [len(re.findall(r"<t[hd]>", row)) for row in rows] == [4, 4]  # the header and one case: no extra cells
    outside_code = re.sub(r"<code>.*?</code>", "", html, flags=re.S)
    assert "@org" not in outside_code and "evil.example" not in outside_code
    assert "Hi @org/team ![x](https://evil.example/x.png)" in html  # shown, as text


# --- Ids the site needs ----------------------------------------------------------------


def test_an_id_the_site_uses_for_its_own_pages_is_refused(tmp_path):
    case = minimal()
    case["id"] = "index"
    [error] = check(write_case(tmp_path, case)).errors
    assert (error.rule, error.message) == (
        "reserved",
        "'index' is a name the site uses for its own pages; choose another (reserved: index)",
    )


# --- Bidirectional controls -----------------------------------------------------------


@pytest.mark.parametrize(
    "char", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
)
def test_bidi_controls_are_refused_in_single_line_fields_and_allowed_in_markdown(tmp_path, char):
    case = minimal()
    case["title"] = f"Single view {char}cuts council tax fraud"
    case["partners"] = [f"Partner{char}"]
    case["problem"] += f" {char}reversed"
    errors = check(write_case(tmp_path, case)).errors
    assert sorted((e.path, e.rule) for e in errors) == [("partners[0]", "text-character"), ("title", "text-character")]
    assert f"U+{ord(char):04X} (bidirectional control)" in errors[0].message


# --- Symlinks and odd names in the case folder -----------------------------------------


def test_odd_names_in_the_case_folder_are_reported_not_skipped(tmp_path):
    text = MINIMAL_FILE.read_text(encoding="utf-8")
    (tmp_path / ".hidden.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "name.yaml ").write_text(text, encoding="utf-8")
    problems = {(os.path.basename(p.file), p.rule, p.message) for p in check(tmp_path).errors}
    assert problems == {
        (".hidden.yaml", "file-name", "is a hidden file (its name starts with a dot); rename it to hidden.yaml"),
        ("name.yaml ", "file-extension", "case files end in .yaml; rename it to name.yaml"),
    }


# --- Patterns applied to case text run in linear time ----------------------------------

N = 250_000  # a case file holds at most 256 KiB

# Each pattern of the package with the inputs that make a backtracking engine work
# hardest on it: long runs of what it matches, cut just before the match could end.
WORST_CASES: dict[str, list[str]] = {
    "maintain.review.EMAIL": [
        "a" * N,
        "a@" * (N // 2),
        "a@" + "a-" * (N // 2),
        "a@" + "a." * (N // 2) + "!",
        "." * N + "@",
    ],
    "maintain.review.PHONE": ["0" * N, "+44 " * (N // 4), "(0" * (N // 2), "01234 " * (N // 6)],
    "maintain.review.NI_NUMBER": ["AB" * (N // 2), "AB 12 " * (N // 6)],
    "maintain.review.WORD": ["a" * N],
    "core.markdown._TAG": ["<a" * (N // 2), "<a " + "x" * N, "</" * (N // 2)],
    "site.render._ANCHOR": ["<a" * (N // 2)],
    "site.render._BACKTICKS": ["`" * N, "`a" * (N // 2)],
    "site.render._MD_SPECIAL": ["*" * N],
    "site.render._LATEX_SPECIAL": ["_" * N],
    "maintain.fmt._COMMENT": [" " * N, " #" * (N // 2), "\t" * N + "x"],
    "maintain.scaffold._NOT_TEXT": ["1" * N + "x", "1e" * (N // 2) + "!"],
    "maintain.scaffold._PLAIN": ["a " * (N // 2) + "!"],
    "core.register._WORD": ["a" * N],
    "core.register._INVERTED": ["a, " * (N // 3) + "x", ", City of" * (N // 9) + "x"],
    "core.council_checks.GSS_CODE": ["E" + "0" * N],
    "exports.export._EXCEL_ILLEGAL": ["\x01" * N],
    "core.history._DATE": ["2026-" * (N // 5)],
    "core.values._FORBIDDEN_IN_MARKDOWN": ["\x01" * N, "é" * N],
    "core.values._FORBIDDEN_IN_TEXT": ["\u202e" * N, "é" * N],
    "core.values._BIDI_CONTROL": ["\u202e" * N],
    "site.engines._ANSI": ["\x1b[" + "0;" * (N // 2), "\x1b[" * (N // 2)],
    "site.build._SIZE_MARK": [
        '<span class="cb-size" data-download="' + "a" * N,
        '<span class="cb-size" data-download="a">' * (N // 40),
    ],
}


def module_patterns() -> dict[str, re.Pattern[str]]:
    """Every compiled pattern at the top of a module of the package."""
    import importlib
    import pkgutil

    import generator

    found = {}
    for info in pkgutil.walk_packages(generator.__path__, "generator."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and getattr(module, "__name__", "") == info.name:
                found[f"{info.name.removeprefix('generator.')}.{name}"] = value
    return found


def schema_patterns() -> dict[str, str]:
    from generator.core.schema import iter_fields

    found = {}
    for field in iter_fields():
        for node in (field.schema, field.items or {}):
            if "pattern" in node:
                found[field.path] = node["pattern"]
    return found


SCHEMA_WORST_CASES = {
    "id": ["a-" * (N // 2) + "!", "a" * N + "!"],
    "related": ["a-" * (N // 2) + "!"],
    "last_reviewed": ["2" * N],
    "councils[].gss_code": ["E" + "0" * N],
    "sources[].url": ["https://" + "a." * (N // 2) + "!", "https://a.aa/" + "%" * N + " ", "https://" + "a" * N],
    "sources[].published": ["2026-" * (N // 5)],
    "contact.email": ["a" * N + "@" + "a" * N, "@" * N, "a@" + "a." * (N // 2)],
    "contact.url": ["https://" + "a." * (N // 2) + "!"],
    "replication.artefacts[].url": ["https://" + "a." * (N // 2) + "!"],
}

LIMIT_SECONDS = 1.0  # each of these takes milliseconds; a quadratic pattern takes minutes at this size


def _worst_time(pattern: re.Pattern[str], inputs: list[str]) -> float:
    import time

    slowest = 0.0
    for text in inputs:
        start = time.perf_counter()
        pattern.search(text)
        for _ in pattern.finditer(text):
            pass
        slowest = max(slowest, time.perf_counter() - start)
    return slowest


def test_every_pattern_of_the_package_has_its_worst_case_here():
    assert set(module_patterns()) == set(WORST_CASES)
    assert set(schema_patterns()) == set(SCHEMA_WORST_CASES)


@pytest.mark.parametrize("name", sorted(WORST_CASES))
def test_a_pattern_runs_in_linear_time_on_its_worst_case(name):
    pattern = module_patterns()[name]
    assert _worst_time(pattern, WORST_CASES[name]) < LIMIT_SECONDS


@pytest.mark.parametrize("path", sorted(SCHEMA_WORST_CASES))
def test_a_schema_pattern_runs_in_linear_time_in_python_too(path):
    """jsonschema explains a failing file with Python's re, a backtracking engine."""
    pattern = re.compile(schema_patterns()[path])
    assert _worst_time(pattern, SCHEMA_WORST_CASES[path]) < LIMIT_SECONDS


def test_no_pattern_slows_down_on_a_long_run_of_any_one_character():
    """What no one thought of: 100,000 of each printable character, for every pattern."""
    runs = [chr(c) * 100_000 for c in range(0x20, 0x7F)] + ["é" * 100_000, "\u202e" * 100_000]
    for name, pattern in module_patterns().items():
        assert _worst_time(pattern, runs) < LIMIT_SECONDS, name


def test_review_of_a_long_word_takes_about_as_long_as_validating_it(tmp_path):
    import time

    from generator.core.load import read_file
    from generator.maintain.review import review_warnings

    case = minimal()
    case["problem"] = "The problem " + "a" * 250_000
    path = write_case(tmp_path, case)
    doc, _ = read_file(path)
    start = time.perf_counter()
    review_warnings(doc)
    assert time.perf_counter() - start < LIMIT_SECONDS


# --- Any text in any one-line field: the property -------------------------------------

FRAGMENTS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "[x](javascript:alert(1))",
    "{: #source-1 }",
    "{#case-title}",
    "source-1",
    "region-london",
    "index",
    "e09000007",
    "E09000007",
    "\u200f",  # right-to-left mark: allowed, unlike the overrides
    "\u200b",
    "\u0301",
    "\ufeff",
    "@org/team",
    "|",
    "`",
    "--- ",
    "&amp;",
    "W" * 60,
]


def _one_line_fields():
    from generator.core.schema import iter_fields

    return [
        f
        for f in iter_fields()
        if not f.markdown
        and not f.vocabulary
        and (f.schema.get("type") == "string" or (f.items or {}).get("type") == "string")
        and "pattern" not in f.schema
        and "pattern" not in (f.items or {})
        and "format" not in f.schema
        and f.path not in ("id", "last_reviewed", "licence")
    ]


def _put(case: dict, path: str, value: str) -> None:
    """Set the field at ``path`` of ``case``; a council keeps no code, so any name is valid."""
    set_field(case, path, value)
    if path == "councils[].name":
        case["councils"][0] = {"name": value, "type": "partnership", "region": "london"}


def _fill_required(case: dict) -> None:
    case.setdefault("contact", {}).setdefault("role", "Head of Data")
    case["contact"].setdefault("organisation", "Example Borough Council")
    for source in case["sources"]:
        source.setdefault("url", "https://example.org/")
        source.setdefault("title", "A source")
    for measure in case["impact"].get("measures", []):
        measure.setdefault("value", 1)
        measure.setdefault("unit", "count")
        measure.setdefault("metric", "A metric")
    for item in case["data"]:
        item.setdefault("name", "A dataset")
        item.setdefault("owner", "Example Borough Council")
        item.setdefault("kind", "administrative")
        item.setdefault("personal", False)


def _page_html(markdown_text: str) -> str:
    """A generated page as MkDocs turns it into HTML (its Markdown extensions, front matter dropped)."""
    import markdown as python_markdown

    body = markdown_text.split("\n---\n", 1)[1] if markdown_text.startswith("---\n") else markdown_text
    return python_markdown.markdown(body, extensions=["toc", "tables", "admonition", "attr_list", "md_in_html"])


ISOLATING = {"a", "abbr", "bdi", "cite", "code", "dd", "dt", "em", "figcaption", "h1", "h2", "h3", "h4", "label",
             "li", "option", "p", "span", "strong", "td", "th", "time", "title"}  # fmt: skip


def _check_page(html: str, value: str, where: str) -> None:
    import lxml.html

    root = lxml.html.fromstring(f"<div>{html}</div>")
    ids = [el.get("id") for el in root.iter() if isinstance(el.tag, str) and el.get("id") is not None]
    assert "" not in ids and len(ids) == len(set(ids)), (where, [i for i in ids if ids.count(i) > 1])
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        assert not [a for a in el.attrib if a.lower().startswith("on")], (where, el.tag, dict(el.attrib))
        for attribute in ("href", "src"):
            assert not (el.get(attribute) or "").strip().lower().startswith(("javascript:", "data:")), where
        if el.tag == "script":  # the site's own: data, or a script of its own with no inline code
            own = (el.get("src") or "").endswith(".js") and not (el.text or "").strip()
            assert own or el.get("type") in ("application/json", "application/ld+json"), where
        assert el.tag not in ("img", "iframe", "object", "embed", "style"), (where, el.tag)
    probe = " ".join(value.split())[:20]
    if len(probe.strip()) >= 4:
        for el in root.iter():
            if isinstance(el.tag, str) and probe in (el.text or ""):
                assert el.tag in ISOLATING or el.tag in ("div", "dl", "ul", "ol", "section"), (where, el.tag)
                assert el.tag != "pre", where  # every place a value lands wraps


def test_any_text_in_any_one_line_field_renders_inert_unique_and_isolated(tmp_path_factory):
    from hypothesis import HealthCheck, assume, given, settings
    from hypothesis import strategies as st

    from generator import load_catalogue
    from generator.site.pages import render_pages

    from helpers import CONFIG

    fields = _one_line_fields()
    assert {f.path for f in fields} >= {"title", "summary", "councils[].name", "partners", "impact.measures[].metric"}
    text = st.lists(
        st.one_of(st.sampled_from(FRAGMENTS), st.text(st.characters(codec="utf-8"), max_size=12)), max_size=6
    ).map("".join)

    rendered = []

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(field=st.sampled_from(fields), raw=text)
    def check(field, raw):
        value = " ".join(f"Case text {raw} and more case text here".split())
        limit = field.schema.get("maxLength") or (field.items or {}).get("maxLength")
        if limit:
            value = value[:limit]
        case = minimal()
        _put(case, field.path, value)
        _fill_required(case)
        folder = tmp_path_factory.mktemp("property")
        write_case(folder, case)
        catalogue = load_catalogue([folder], today=TODAY)
        assume(catalogue.ok())
        pages = render_pages(catalogue, CONFIG)
        for name in (f"cases/{case['id']}.md", "index.md", "councils/index.md", "map/index.md"):
            _check_page(_page_html(pages[name]), value, f"{field.path} on {name}")
        rendered.append(field.path)

    check()
    assert len(rendered) >= 30 and len(set(rendered)) >= 8  # most texts were valid, over many fields


# --- Format 1.2.1: a council's name names that council, and no one else -----------------


def _council_case(name: str, code: str) -> dict:
    from generator.core.register import lookup

    row = lookup(code)
    case = minimal()
    case["councils"] = [{"name": name, "gss_code": code, "type": row.type, "region": row.region}]
    return case


@pytest.mark.parametrize(
    ("name", "code", "message"),
    [
        (
            "South Kesteven District Council",
            "E07000139",
            "E07000139 is North Kesteven in the register, but the name says South Kesteven District Council",
        ),
        (
            "North East Lincolnshire Council",
            "E06000013",
            "E06000013 is North Lincolnshire in the register, but the name says North East Lincolnshire Council",
        ),
    ],
    ids=["a-neighbours-code", "a-code-whose-name-it-contains"],
)
def test_a_name_sharing_one_word_with_the_register_no_longer_passes(tmp_path, name, code, message):
    [error] = check(write_case(tmp_path, _council_case(name, code))).errors
    assert (error.path, error.rule, error.message) == ("councils[0].gss_code", "gss-code-name", message)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Hull City Council", "E06000010"),
        ("Bristol City Council", "E06000023"),
        ("Belfast City Council", "N09000003"),
        ("Leeds City Council", "E08000035"),
        ("St Albans City and District Council", "E07000240"),
        ("Royal Borough of Kensington and Chelsea", "E09000020"),
        ("Rhondda Cynon Taf County Borough Council", "W06000016"),
        ("Herefordshire Council", "E06000019"),
        ("The City of Edinburgh Council", "S12000036"),
        ("Cyngor Gwynedd", "W06000002"),
        ("Newcastle City Council", "E08000021"),
    ],
)
def test_councils_under_the_names_they_use_are_valid_and_draw_no_warning(tmp_path, name, code):
    from generator.core.council_checks import council_warnings

    case = _council_case(name, code)
    assert check(write_case(tmp_path, case)).errors == []
    assert list(council_warnings(case)) == []


def test_every_usual_name_in_the_register_has_its_source():
    import csv

    from helpers import ROOT

    rows = list(csv.DictReader((ROOT / "scripts" / "register" / "usual-names.csv").open(encoding="utf-8")))
    assert rows and all(row["source"].startswith("https://") for row in rows)
