"""The "Propose a case" form in Chromium: keyboard-only entry to a valid file, errors, pull request link, storage."""

from __future__ import annotations

import copy
import random
import urllib.parse
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import expect

from generator.fmt import FormatResult, format_file
from generator.form import form_spec
from generator.load import parse_bytes
from generator.pages import SiteConfig, form_page
from generator.schema import case_schema

from conftest import MINIMAL_FILE, check_written_today, run_cli

pytestmark = pytest.mark.browser

PROBLEM = (
    "Tenants in Ynys Môn and on the Llŷn peninsula reported damp, but the council could not tell which homes "
    "needed help first.\n\nSecond paragraph: repairs were booked in the order complaints arrived."
)


def open_form(page, site_url):
    page.goto(f"{site_url}/propose/")
    page.wait_for_function("() => window.casebookForm !== undefined")


def tab_to(page, selector, limit=600):
    """Press Tab (and only Tab) until the element matching ``selector`` has focus."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement === document.querySelector(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"never reached {selector} with Tab")


def type_into(page, selector, text):
    tab_to(page, selector)
    for number, line in enumerate(text.split("\n")):
        if number:
            page.keyboard.press("Enter")
        page.keyboard.type(line)


def choose(page, selector, label):
    tab_to(page, selector)
    page.keyboard.type(label)  # a focused select picks the option whose label starts with what is typed


def tick(page, selector):
    tab_to(page, selector)
    page.keyboard.press("Space")


def fill_complete_case(page):
    type_into(page, "#f-title", "Cyngor Gwynedd finds damp homes with tenants' sensors")
    type_into(
        page,
        "#f-summary",
        "Tenants in Gwynedd measured damp with cheap sensors, so repairs went first to the homes that needed them most.",
    )
    type_into(page, "#f-councils-0-name", "Cyngor Gwynedd")
    type_into(page, "#f-councils-0-gss_code", "W06000002")
    choose(page, "#f-councils-0-type", "Welsh")
    choose(page, "#f-councils-0-region", "Wales")
    type_into(page, "#f-partners", "Prifysgol Bangor\nAdra (Tai) Cyf")
    tick(page, "#f-themes-4")  # housing
    tick(page, "#f-themes-3")  # public health
    tick(page, "#f-techniques-8")  # sensors
    choose(page, "#f-status", "Pilot")
    type_into(page, "#f-year_started", "2023")
    type_into(page, "#f-problem", PROBLEM)
    type_into(page, "#f-data-0-name", "Humidity readings from 40 homes")
    type_into(page, "#f-data-0-owner", "Cyngor Gwynedd")
    choose(page, "#f-data-0-kind", "Sensor")
    choose(page, "#f-data-0-personal", "No")
    type_into(
        page,
        "#f-approach",
        "The housing team lent sensors to tenants who reported damp and ranked the repairs by the readings, weekly.",
    )
    type_into(page, "#f-impact-summary", "Repairs reached the dampest homes first during the pilot winter.")
    choose(page, "#f-impact-evidence_level", "Level 1")
    choose(page, "#f-challenges-0-category", "Data quality")
    type_into(page, "#f-challenges-0-description", "Some sensors were moved next to radiators.")
    choose(page, "#f-success_factors-0-category", "Frontline")
    type_into(page, "#f-success_factors-0-description", "Housing officers chose which tenants to ask.")
    type_into(
        page,
        "#f-replication-guidance",
        "Needs about forty sensors, a housing officer's time for a winter and a spreadsheet.",
    )
    type_into(page, "#f-sources-0-title", "Damp pilot report to the housing committee")
    type_into(page, "#f-sources-0-url", "https://www.gwynedd.llyw.cymru/en/Council/Meetings")
    type_into(page, "#f-sources-0-publisher", "Cyngor Gwynedd")


def produced_yaml(page):
    page.wait_for_selector(".cb-result:not([hidden])", timeout=10_000)
    return page.inner_text(".cb-yaml code")


def test_a_complete_case_typed_with_the_keyboard_gives_a_valid_file(page, site_url, tmp_path):
    open_form(page, site_url)
    page.focus("body")
    fill_complete_case(page)
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    text = produced_yaml(page)
    case_id = "cyngor-gwynedd-finds-damp-homes-with-tenants-sensors"
    path = tmp_path / f"{case_id}.yaml"
    path.write_text(text + ("" if text.endswith("\n") else "\n"), encoding="utf-8")
    catalogue = check_written_today(path)  # the form dates the case with the browser's clock
    assert catalogue.errors == [], catalogue.errors
    data = catalogue.cases[0].data
    assert data["id"] == case_id
    assert data["councils"] == [
        {"name": "Cyngor Gwynedd", "gss_code": "W06000002", "type": "welsh-unitary", "region": "wales"}
    ]
    assert data["partners"] == ["Prifysgol Bangor", "Adra (Tai) Cyf"]
    assert data["themes"] == ["public-health", "housing"]
    assert data["problem"] == PROBLEM + "\n"
    assert data["impact"]["evidence_level"] == 1 and data["year_started"] == 2023
    assert data["data"][0]["personal"] is False
    assert data["last_reviewed"] == page.evaluate("() => new Date().toISOString().slice(0, 10)")
    assert text.startswith("# yaml-language-server: $schema=https://")
    fmt = run_cli("fmt", "--check", str(path))
    assert fmt.returncode == 0, fmt.stdout  # exactly as casebook fmt would write it


def test_the_pull_request_link_holds_the_path_and_the_content(page, site_url):
    open_form(page, site_url)
    fill_complete_case(page)
    text = produced_yaml(page)
    href = page.get_attribute(".cb-pr-link", "href")
    parsed = urllib.parse.urlparse(href)
    query = urllib.parse.parse_qs(parsed.query)
    assert parsed.path.endswith("/new/main/cases")
    assert query["filename"] == ["cyngor-gwynedd-finds-damp-homes-with-tenants-sensors.yaml"]
    assert query["value"] == [text]
    assert "value=%23%20yaml-language-server" in href  # the content is URL-encoded


def test_a_reload_restores_the_answers_and_start_again_clears_them(page, site_url):
    open_form(page, site_url)
    type_into(page, "#f-title", "A title that should survive a reload")
    page.click("[data-key=councils] [data-action=add]")
    page.fill("#f-councils-1-name", "Second Borough Council")
    page.wait_for_timeout(400)
    page.reload()
    page.wait_for_function("() => window.casebookForm !== undefined")
    assert page.input_value("#f-title") == "A title that should survive a reload"
    assert page.input_value("#f-councils-1-name") == "Second Borough Council"
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-action=start-again]")
    assert page.input_value("#f-title") == ""
    page.reload()
    page.wait_for_function("() => window.casebookForm !== undefined")
    assert page.input_value("#f-title") == ""


def test_wrong_entries_show_errors_beside_their_fields_and_no_file(page, site_url):
    open_form(page, site_url)
    fill_complete_case(page)
    produced_yaml(page)
    page.fill("#f-id", "camden-residents-index")  # an id already in the catalogue
    page.click("[data-key=councils] .cb-item [data-action=remove]")  # no council left: an empty one appears
    page.click("#f-themes-4")
    page.click("#f-themes-3")  # no theme chosen
    page.click("[data-key=contact] legend")
    page.fill("#f-contact-role", "Head of Housing")
    page.fill("#f-contact-organisation", "Cyngor Gwynedd")
    page.fill("#f-contact-email", "not an email address")
    page.click("button[type=submit]")
    page.wait_for_selector(".cb-error-summary:not([hidden])")
    assert page.is_hidden(".cb-result")
    errors = {
        "#f-id": "already exists",
        "#f-councils-add": "Add at least one council",
        "#f-themes": "Choose themes",
        "#f-contact-email": "Email is not in the right form",
    }
    for selector, text in errors.items():
        field = page.locator(selector).locator("xpath=ancestor-or-self::*[@data-pointer][1]")
        assert text in field.locator(".cb-error-message").first.inner_text(), selector
    summary = page.inner_text(".cb-error-summary")
    assert "There is a problem" in summary and "already exists" in summary
    link = page.get_attribute(".cb-error-summary a >> nth=0", "href")
    assert link.startswith("#f-")
    assert page.evaluate("() => document.activeElement.classList.contains('cb-error-summary')")
    invalid = page.get_attribute("#f-contact-email", "aria-invalid")
    assert invalid == "true"


def test_the_form_has_no_axe_violations(page, site_url):
    from test_accessibility import violations

    open_form(page, site_url)
    page.click("button[type=submit]")  # with every error showing, too
    page.wait_for_selector(".cb-error-summary:not([hidden])")
    assert violations(page) == []


def test_the_form_is_derived_from_the_schema():
    schema = case_schema()
    schema["properties"]["funding_source"] = {"title": "Funding source", "description": "Who paid.", "type": "string"}
    schema["$defs"]["council"]["properties"]["population"] = {"title": "Population", "type": "integer"}
    html = form_page(SiteConfig(repo_url="https://github.com/example/casebook"), schema)
    assert 'data-key="funding_source"' in html and "Funding source" in html and "Who paid." in html
    assert 'data-key="population"' in html
    spec = {f["key"]: f for f in form_spec(schema)}
    assert spec["funding_source"]["kind"] == "string"
    assert spec["problem"]["markdown"] and not spec["title"]["markdown"]  # which text may hold tabs and line feeds
    keys = [f["key"] for f in form_spec()]
    assert keys == list(case_schema()["properties"])  # every field of the format, in order


# ---------- characters: what the form refuses, and a file that always reads back as checked ----------

# Every free-text control of a case, with the shortest and longest text its field takes.
ONE_LINE = {
    "#f-title": (10, 120),
    "#f-summary": (40, 300),
    "#f-councils-0-name": (3, 120),
    "#f-data-0-name": (2, 200),
    "#f-data-0-owner": (2, 200),
    "#f-impact-measures-0-metric": (2, 120),
    "#f-challenges-0-description": (20, 400),
    "#f-success_factors-0-description": (20, 400),
    "#f-sources-0-title": (3, 300),
    "#f-sources-0-publisher": (2, 200),
    "#f-contact-role": (3, 120),
    "#f-contact-organisation": (3, 200),
}
MARKDOWN = {"#f-problem": 80, "#f-approach": 80, "#f-impact-summary": 40, "#f-replication-guidance": 40}
LINES = {"#f-partners": (2, 200), "#f-replication-adopted_by": (3, 120)}
CHOICES = {
    "#f-councils-0-type": "welsh-unitary",
    "#f-councils-0-region": "wales",
    "#f-status": "pilot",
    "#f-data-0-kind": "sensor",
    "#f-data-0-personal": "false",
    "#f-impact-evidence_level": "1",
    "#f-impact-measures-0-unit": "count",
    "#f-impact-measures-0-period": "per-year",
    "#f-challenges-0-category": "data-quality",
    "#f-success_factors-0-category": "frontline-involvement",
}
FIXED = {
    "#f-councils-0-gss_code": "W06000002",
    "#f-year_started": "2023",
    "#f-impact-measures-0-value": "0.0000001",  # JavaScript writes 1e-7, which YAML 1.1 reads as text
    "#f-sources-0-url": "https://www.gwynedd.llyw.cymru/en/Council/Meetings",
    "#f-sources-0-published": "2024-03",
}
ORDINARY = {
    **{selector: "Ordinary words for a field, long enough for any of them." for selector in ONE_LINE},
    **{
        selector: "Ordinary Markdown text.\n\nIt has two paragraphs, long enough for any field that holds it."
        for selector in MARKDOWN
    },
    "#f-partners": "Prifysgol Bangor",
    "#f-replication-adopted_by": "Cyngor Sir Ynys Môn",
}


def fill_case(page, texts, case_id):
    """Fill a whole case fast (paste-like), with ``texts`` in the free-text controls."""
    for selector, value in CHOICES.items():
        page.select_option(selector, value)
    page.check("#f-themes-4")
    page.check("#f-techniques-8")
    for selector, value in {**FIXED, **texts}.items():
        page.fill(selector, value)
    page.fill("#f-id", case_id)


def submit(page):
    page.click("button[type=submit]")


def field_error(page, selector):
    field = page.locator(selector).locator("xpath=ancestor-or-self::*[@data-pointer][1]")
    return field.locator(":scope > .cb-error-message")


REFUSED = "which case text may not contain; remove it"
ONE_LINE_ONLY = "which only Markdown fields may contain; write it on one line"
# (control, text typed, the error the field shows): one for each kind of refused character.
REFUSED_CASES = [
    ("#f-title", "A title with a \x01 in it", f"Title holds U+0001 (control character), {REFUSED}"),
    (
        "#f-summary",
        "A summary with a NUL \x00 in it, which no file can hold.",
        f"Summary holds U+0000 (control character), {REFUSED}",
    ),
    ("#f-councils-0-name", "Cyngor\x7f Gwynedd", f"Name holds U+007F (control character), {REFUSED}"),
    (
        "#f-problem",
        ORDINARY["#f-problem"] + "\nnext line\x85partners: [x]",
        f"Problem holds U+0085 (control character), {REFUSED}",
    ),
    ("#f-sources-0-publisher", "Cyngor\x9b Gwynedd", f"Publisher holds U+009B (control character), {REFUSED}"),
    (
        "#f-approach",
        ORDINARY["#f-approach"] + "\u2028partners: [x]",
        f"Approach holds U+2028 (line separator), {REFUSED}",
    ),
    (
        "#f-impact-summary",
        "Ordinary text,\u2029 then more text, enough for an impact summary.",
        f"Impact summary holds U+2029 (paragraph separator), {REFUSED}",
    ),
    (
        "#f-replication-guidance",
        "\ufdd0" + ORDINARY["#f-replication-guidance"],
        f"Guidance holds U+FDD0 (noncharacter), {REFUSED}",
    ),
    ("#f-sources-0-title", "Damp pilot report\uffff", f"Title holds U+FFFF (noncharacter), {REFUSED}"),
    (
        "#f-challenges-0-description",
        "Sensors were moved \U0001fffe next to radiators.",
        f"Description holds U+1FFFE (noncharacter), {REFUSED}",
    ),
    ("#f-contact-role", "Head of \U0010ffff Housing", f"Role holds U+10FFFF (noncharacter), {REFUSED}"),
    ("#f-partners", "Prifysgol Bangor\nAdra\t(Tai) Cyf", f"Partners holds U+0009 (tab), {ONE_LINE_ONLY}"),
    ("#f-data-0-name", "Humidity\treadings", f"Dataset holds U+0009 (tab), {ONE_LINE_ONLY}"),
    # Only the first refused character of a field is reported.
    (
        "#f-success_factors-0-description",
        "Housing officers \u2029 chose \x01 which tenants",
        f"Description holds U+2029 (paragraph separator), {REFUSED}",
    ),
]


def type_text(page, selector, text):
    page.fill(selector, "")
    page.focus(selector)
    page.keyboard.insert_text(text)


def test_refused_characters_show_the_validators_message_beside_the_field_and_in_the_summary(page, site_url):
    open_form(page, site_url)
    fill_case(page, ORDINARY, "refused-characters")
    submit(page)
    expect(page.locator(".cb-result")).to_be_visible()
    for selector, text, error in REFUSED_CASES:
        type_text(page, selector, text)
        submit(page)
        expect(field_error(page, selector)).to_have_text(error)
        link = page.locator(".cb-error-summary a", has_text=error)
        expect(link).to_have_count(1)
        expect(link).to_have_text(error)
        assert link.get_attribute("href") == "#" + page.get_attribute(selector, "id")
        expect(page.locator(".cb-result")).to_be_hidden()
        page.fill(selector, ORDINARY[selector])
    # Tab and line feed are Markdown's own; a carriage return typed in a textarea is a line feed.
    type_text(page, "#f-problem", "First line,\tthen a tab.\r\nSecond line" + "." * 80)
    # A one-line field cannot hold a line break: the browser makes it a space.
    type_text(page, "#f-title", "A title typed\non two lines")
    assert page.input_value("#f-title") == "A title typed on two lines"
    submit(page)
    expect(page.locator(".cb-result")).to_be_visible()
    expect(page.locator(".cb-error-summary")).to_be_hidden()
    data = yaml.safe_load(produced_yaml(page))
    assert data["problem"] == "First line,\tthen a tab.\nSecond line" + "." * 80 + "\n"


# Odd characters a case may hold, and text YAML could mistake for something else.
ODD = [
    "\u200f", "\u202e", "\u202a\u202c", "\u200b", "\u00ad", "\ufeff", "\ufffd", "\ue000", "\U0001fffd",
    "😀", "👩🏽‍💻", "🇨🇾", "\U0001d54f", "e\u0301", "a\u0308\u0323", "Ynys Môn", "漢字かな交じり文", "عربي", "עברית",
    '"', "'", "\\", "\\n", "\\x41", "\\u2028", ":", ": ", " #", "# ", "- ", "? ", "&anchor", "*alias", "!tag",
    "!!python/object:os.system", "%TAG", "@", "`", "{a: b}", "[x]", ",", "|", ">", "\xa0", "\u3000", "ß", "ﬁ",
    "...", "---", "partners: [x]", "yes", "null", "~", "0x10", "1e3", "Off", "2016-11-01",
]  # fmt: skip
LINE_STARTS = [
    "---", "...", "- ", "? ", ": ", "partners: [x]", "  indented", "# heading", "> quote", "|", "yes", "null", "~",
    "0x10", "1e3", "\t",
]  # fmt: skip
KEYWORDS = ["yes", "null", "0x10", "1e3", "Off", "true", "~~", "2016-11-01", "- x", "? x", "partners: [x]", "#hash"]
WORDS = ["council", "data", "tenants", "damp", "homes", "sensor", "repairs", "winter"]


# What a browser's String.prototype.trim (and /\s/) removes.
JS_SPACE = "\t\n\v\f\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"


def js_trim(text):
    return text.strip(JS_SPACE)


def odd_line(rng, shortest, longest):
    """One line of odd but allowed text whose trimmed length is within the bounds."""
    while True:
        parts = [rng.choice(ODD if rng.random() < 0.6 else WORDS) for _ in range(rng.randint(2, 7))]
        text = rng.choice(["", " ", "  "]) + "".join(p + rng.choice(["", " "]) for p in parts)
        while len(js_trim(text)) < shortest:
            text += " " + rng.choice(WORDS)
        if len(js_trim(text)) <= longest:
            return text


def odd_markdown(rng, shortest):
    lines = []
    for _ in range(rng.randint(2, 5)):
        start = rng.choice(LINE_STARTS + [""] * 4)
        lines.append(start + odd_line(rng, 0, 80) + rng.choice(["", " ", "  "]))
        if rng.random() < 0.3:
            lines.append(rng.choice(["", "   "]))
    text = rng.choice(["", " ", "\n"]) + "".join(line + rng.choice(["\n", "\r\n"]) for line in lines)
    while len(js_trim(text.replace("\r\n", "\n"))) < shortest:
        text += rng.choice(WORDS) + " "
    return text


def odd_lines(rng, shortest, longest):
    items = {js_trim(odd_line(rng, shortest, longest)) for _ in range(rng.randint(1, 3))}
    items.add(rng.choice(KEYWORDS))
    return rng.choice(["\n", "\r\n"]).join(sorted(items)) + rng.choice(["", "\n"])


def expected_value(selector, typed):
    typed = typed.replace("\r\n", "\n").replace("\r", "\n")
    if selector in MARKDOWN:
        return js_trim(typed) + "\n"
    if selector in LINES:
        return [js_trim(line) for line in typed.split("\n") if js_trim(line)]
    return js_trim(typed)


def set_path(data, selector, value):
    """Put ``value`` where the control ``#f-a-0-b`` puts it: data["a"][0]["b"] (keys use _, never -)."""
    parts = [int(p) if p.isdigit() else p for p in selector.removeprefix("#f-").split("-")]
    node = data
    for part, after in zip(parts[:-1], parts[1:], strict=True):
        if isinstance(node, list):
            while len(node) <= part:
                node.append({})
        else:
            node.setdefault(part, [] if isinstance(after, int) else {})
        node = node[part]
    node[parts[-1]] = value


def expected_case(texts, case_id, reviewed):
    data = {
        "id": case_id,
        "themes": ["housing"],
        "techniques": ["sensors-iot"],
        "licence": "OGL-3.0",
        "last_reviewed": reviewed,
    }
    for selector, value in {**CHOICES, **FIXED}.items():
        set_path(data, selector, value)
    data["year_started"] = 2023  # the controls that are not text give numbers and booleans
    data["data"][0]["personal"] = False
    data["impact"]["evidence_level"] = 1
    data["impact"]["measures"][0]["value"] = 1e-7
    for selector, typed in texts.items():
        set_path(data, selector, expected_value(selector, typed))
    return data


def download(page):
    with page.expect_download() as info:
        page.click(".cb-result [data-action=download]")
    return Path(info.value.path()).read_bytes()


def test_odd_unicode_in_every_text_field_reads_back_exactly_as_typed(page, site_url, tmp_path):
    open_form(page, site_url)
    reviewed = page.input_value("#f-last_reviewed")
    for seed in range(4):
        rng = random.Random(seed)
        texts = {selector: odd_line(rng, *bounds) for selector, bounds in ONE_LINE.items()}
        texts.update({selector: odd_markdown(rng, shortest) for selector, shortest in MARKDOWN.items()})
        texts.update({selector: odd_lines(rng, *bounds) for selector, bounds in LINES.items()})
        case_id = f"odd-unicode-{seed}"
        fill_case(page, texts, case_id)
        submit(page)
        expect(page.locator(".cb-error-summary")).to_be_hidden()
        expect(page.locator(".cb-result")).to_be_visible()
        content = download(page)
        doc, problems = parse_bytes(content, f"{case_id}.yaml")
        assert problems == [] and doc is not None, problems
        assert doc.data == expected_case(texts, case_id, reviewed), content.decode()
        (tmp_path / f"{case_id}.yaml").write_bytes(content)
    validated = run_cli("validate", str(tmp_path))
    assert validated.returncode == 0, validated.stdout + validated.stderr
    for path in tmp_path.iterdir():  # laid out as casebook fmt would write it, odd text too
        assert format_file(path, check=True) == FormatResult(str(path), False, [])


# Every character the format refuses, and the characters YAML reads as line breaks or drops.
FORBIDDEN = (
    [chr(c) for c in range(0x20) if c not in (0x09, 0x0A)]
    + [chr(c) for c in range(0x7F, 0xA0)]
    + ["\u2028", "\u2029", "\ufeff"]
    + [chr(c) for c in range(0xFDD0, 0xFDF0)]
    + [chr(plane * 0x10000 + last) for plane in range(17) for last in (0xFFFE, 0xFFFF)]
)
TRAPS = ["\t", "\n", "\r\n", " ", "  ", '"', "\\", "#", ": ", "- ", "---", "...", "|", "yes", "~", "0x10", "😀", "\u202e"]  # fmt: skip
# Where the emitter is given the string: every kind of text field of the form.
STRING_PLACES = [
    ("title",),
    ("summary",),
    ("problem",),
    ("approach",),
    ("councils", 0, "name"),
    ("impact", "summary"),
    ("challenges", 0, "description"),
    ("replication", "guidance"),
    ("sources", 0, "title"),
    ("sources", 0, "publisher"),
]


def emitted_and_read_back(page, base, text):
    data = copy.deepcopy(base)
    for path in STRING_PLACES:
        node = data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = text
    data["problem"] = text + "\n"  # Markdown as the form keeps it, and as a block could hold it
    data["partners"] = [text, text + "!"]
    data["replication"]["adopted_by"] = [text]
    emitted = page.evaluate("data => window.casebookYaml.emit(data)", data)
    back = yaml.safe_load(emitted)
    back["last_reviewed"] = back["last_reviewed"].isoformat()
    return data, back, emitted


@pytest.fixture
def emitter(page, site_url):
    open_form(page, site_url)
    page.wait_for_function("() => window.casebookYaml !== undefined")
    base = yaml.safe_load(MINIMAL_FILE.read_text(encoding="utf-8"))
    base["last_reviewed"] = base["last_reviewed"].isoformat()
    return page, base


def test_the_emitter_writes_every_refused_character_so_that_it_reads_back(emitter):
    page, base = emitter
    every = "".join(FORBIDDEN)
    for text in [every, "x" + every + "x", "".join(c + "partners: [x]\n" for c in FORBIDDEN)]:
        data, back, emitted = emitted_and_read_back(page, base, text)
        assert back == data, emitted
        doc, problems = parse_bytes(emitted.encode("utf-8"), "case.yaml")
        assert doc is not None and doc.data == data, problems


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.lists(
        st.one_of(st.characters(codec="utf-8"), st.sampled_from(FORBIDDEN), st.sampled_from(TRAPS)), max_size=30
    ).map("".join),
    term=st.sampled_from(["yes", "null", "0x10", "0o17", "0b101", "2024", "2016-1-1", "1e3", "live", "an-id"]),
    value=st.floats(allow_nan=False, allow_infinity=False),
)
def test_the_emitter_writes_any_string_so_that_it_reads_back(emitter, text, term, value):
    page, base = emitter
    base = {
        **base,
        "id": term,
        "status": term,
        "impact": {**base["impact"], "measures": [{**base["impact"]["measures"][0], "value": value}]},
    }
    data, back, emitted = emitted_and_read_back(page, base, text)
    assert back == data, emitted
