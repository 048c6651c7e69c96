"""The "Propose a case" form in Chromium: keyboard-only entry to a valid file, errors, pull request link, storage."""

from __future__ import annotations

import copy
import json
import random
import re
import urllib.parse
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import expect

from generator import load_catalogue
from generator.core.load import parse_bytes
from generator.core.project import SiteConfig
from generator.core.register import councils, parse
from generator.core.schema import bound_in_words, case_schema, iter_fields, vocabularies
from generator.maintain.fmt import FormatResult, format_file
from generator.site import form
from generator.site.form import form_spec, register_names
from generator.site.pages.reference import form_page

from helpers import MINIMAL_FILE, ROOT, VECTORS, apply_vector, run_cli

pytestmark = pytest.mark.browser

PROBLEM = (
    "Tenants in Ynys Môn and on the Llŷn peninsula reported damp, but the council could not tell which homes "
    "needed help first.\n\nSecond paragraph: repairs were booked in the order complaints arrived."
)


def open_form(page, site_url, steps=False):
    """The form, by default with every question on one page (its "Show all questions on one page")."""
    page.goto(f"{site_url}/propose/{'' if steps else '?view=all'}")
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


def fill_in(page, selector, text):
    page.fill(selector, text)


def select(page, selector, label):
    """Choose the option whose label starts with ``label``, as typing it into the focused select does."""
    value = page.eval_on_selector(
        selector, "(s, label) => [...s.options].find(o => o.textContent.trim().startsWith(label)).value", label
    )
    page.select_option(selector, value)


def fill_complete_case(page, keyboard=False):
    """A complete case, typed with the keyboard alone or (faster, for tests about what follows) filled in."""
    write, pick, box = (type_into, choose, tick) if keyboard else (fill_in, select, lambda page, s: page.check(s))
    write(page, "#f-title", "Cyngor Gwynedd finds damp homes with tenants' sensors")
    write(
        page,
        "#f-summary",
        "Tenants in Gwynedd measured damp with cheap sensors, so repairs went first to the homes that needed them most.",
    )
    write(page, "#f-councils-0-name", "Cyngor Gwynedd")
    write(page, "#f-councils-0-gss_code", "W06000002")
    pick(page, "#f-councils-0-type", "Welsh")
    pick(page, "#f-councils-0-region", "Wales")
    write(page, "#f-partners", "Prifysgol Bangor\nAdra (Tai) Cyf")
    box(page, "#f-themes-4")  # housing
    box(page, "#f-themes-3")  # public health
    box(page, "#f-techniques-8")  # sensors
    pick(page, "#f-status", "Pilot")
    write(page, "#f-year_started", "2023")
    write(page, "#f-problem", PROBLEM)
    write(page, "#f-data-0-name", "Humidity readings from 40 homes")
    write(page, "#f-data-0-owner", "Cyngor Gwynedd")
    pick(page, "#f-data-0-kind", "Sensor")
    pick(page, "#f-data-0-personal", "No")
    write(
        page,
        "#f-approach",
        "The housing team lent sensors to tenants who reported damp and ranked the repairs by the readings, weekly.",
    )
    write(page, "#f-impact-summary", "Repairs reached the dampest homes first during the pilot winter.")
    pick(page, "#f-impact-evidence_level", "Level 1")
    pick(page, "#f-challenges-0-category", "Data quality")
    write(page, "#f-challenges-0-description", "Some sensors were moved next to radiators.")
    pick(page, "#f-success_factors-0-category", "Frontline")
    write(page, "#f-success_factors-0-description", "Housing officers chose which tenants to ask.")
    write(
        page,
        "#f-replication-guidance",
        "Needs about forty sensors, a housing officer's time for a winter and a spreadsheet.",
    )
    write(page, "#f-sources-0-title", "Damp pilot report to the housing committee")
    write(page, "#f-sources-0-url", "https://www.gwynedd.llyw.cymru/en/Council/Meetings")
    write(page, "#f-sources-0-publisher", "Cyngor Gwynedd")


def produced_yaml(page):
    page.wait_for_selector(".cb-result:not([hidden])", timeout=10_000)
    return page.inner_text(".cb-yaml code")


def test_a_complete_case_typed_with_the_keyboard_gives_a_valid_file(page, site_url, tmp_path):
    open_form(page, site_url)
    page.focus("body")
    fill_complete_case(page, keyboard=True)
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    text = produced_yaml(page)
    case_id = "cyngor-gwynedd-finds-damp-homes-with-tenants-sensors"
    path = tmp_path / f"{case_id}.yaml"
    path.write_text(text + ("" if text.endswith("\n") else "\n"), encoding="utf-8")
    reviewed = page.input_value("#f-last_reviewed")  # the form's today, which the file is checked as of
    catalogue = load_catalogue([path], today=date.fromisoformat(reviewed))
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
    assert data["last_reviewed"] == reviewed
    assert not {"contact", "related"} & set(data)  # optional groups and fields left alone write nothing
    assert "evaluation" not in data["impact"] and set(data["replication"]) == {"guidance"}
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


# The contrast of an element's text with the first background behind it that is not transparent.
TEXT_CONTRAST = """e => {
    const rgba = s => s.match(/[\\d.]+/g).map(Number);
    const lum = c => c.slice(0, 3).map(v => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
        .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
    let behind = [255, 255, 255];
    for (let at = e; at; at = at.parentElement) {
        const colour = rgba(getComputedStyle(at).backgroundColor);
        if (colour.length < 4 || colour[3] > 0) { behind = colour; break; }
    }
    const [hi, lo] = [lum(rgba(getComputedStyle(e).color)), lum(behind)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
}"""


WAYS_TO_SEND = ("Copy the file", "Download the file", "Email it to the maintainers", "Open a pull request on GitHub")


def test_the_ways_to_send_the_file_are_readable_and_have_no_axe_violations(page, site_url):
    from test_accessibility import NO_VIOLATIONS, violations_in_both_schemes

    open_form(page, site_url)
    fill_complete_case(page)
    page.click("button[type=submit]")
    produced_yaml(page)

    def readable(scheme):  # type: ignore[no-untyped-def]
        for name in WAYS_TO_SEND:
            control = page.locator(".cb-result").get_by_text(name, exact=True)
            assert control.is_visible() and control.evaluate(TEXT_CONTRAST) >= 4.5, (scheme, name)

    assert violations_in_both_schemes(page, readable) == NO_VIOLATIONS


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
    page.check("#f-contact")
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


def test_the_form_words_each_limit_as_the_validator_does(page, site_url):
    """The form says a bound in the words of schema.bound_in_words, which its spec carries and which the
    validator, the template and the format page use too, so no two of them word a limit differently."""
    props = case_schema()["properties"]
    open_form(page, site_url)
    data = minimal_case(page)
    data["title"] = "T" * (props["title"]["minLength"] - 1)
    data["year_started"] = props["year_started"]["minimum"] - 1
    data["themes"] = vocabularies()["themes"].ids()[: props["themes"]["maxItems"] + 1]
    restore(page, data)
    submit(page)
    page.wait_for_selector(".cb-error-summary:not([hidden])")
    expected = {
        "#f-title": "Title must be " + bound_in_words("minLength", props["title"]["minLength"]),
        "#f-year_started": "Year started must be " + bound_in_words("minimum", props["year_started"]["minimum"]),
        "#f-themes": "Choose or add " + bound_in_words("maxItems", props["themes"]["maxItems"]) + " for themes",
    }
    assert expected["#f-title"] == "Title must be at least 10 characters"
    for selector, text in expected.items():
        expect(field_error(page, selector)).to_have_text(text)


def test_the_form_has_no_axe_violations(page, site_url):
    from test_accessibility import NO_VIOLATIONS, violations_in_both_schemes

    open_form(page, site_url)
    page.fill("#f-related-pick", "Not a title of any case")
    page.click("[data-action=pick]")
    page.click("button[type=submit]")  # with every error showing, too
    page.wait_for_selector(".cb-error-summary:not([hidden])")
    assert page.locator("#f-related-pick-error").is_visible()
    assert violations_in_both_schemes(page) == NO_VIOLATIONS


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


def field_paths(fields, prefix=""):
    for field in fields:
        path = prefix + field["key"]
        yield path
        if field["kind"] == "object":
            yield from field_paths(field["fields"], path + ".")
        if field["kind"] == "list-object":
            yield from field_paths(field["fields"], path + "[].")


def test_every_field_of_the_format_is_in_the_form_and_each_optional_group_has_a_tick_box():
    assert list(field_paths(form_spec())) == [f.path for f in iter_fields()]  # 1.1's fields too, nested as in a case
    html = form_page(SiteConfig(repo_url="https://github.com/example/casebook"))
    groups = re.findall(
        r'<fieldset class="cb-group" data-key="([a-z_]+)"[^>]*>\s*<legend>[^<]*</legend>\s*(?:<p class="cb-hint">[^<]*</p>)?'
        r'\s*(<p class="cb-error-message"[^>]*></p>)?\s*(<div class="cb-check cb-group-toggle">)?',
        html,
    )
    assert {key for key, _, _ in groups} == {"impact", "evaluation", "replication", "effort", "contact"}
    assert all(box for _, box, _ in groups)  # every group has room for a message about it
    assert {key for key, _, toggle in groups if toggle} == {"evaluation", "effort", "contact"}  # the optional ones


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
    page.check("#f-contact")  # an optional group: its fields show once it is ticked
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


# Bidirectional controls are allowed in Markdown fields only (format 1.2.1).
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
ODD_ONE_LINE = [odd for odd in ODD if not BIDI_CONTROLS.search(odd)]


def odd_line(rng, shortest, longest, odd=ODD_ONE_LINE):
    """One line of odd but allowed text whose trimmed length is within the bounds."""
    while True:
        parts = [rng.choice(odd if rng.random() < 0.6 else WORDS) for _ in range(rng.randint(2, 7))]
        text = rng.choice(["", " ", "  "]) + "".join(p + rng.choice(["", " "]) for p in parts)
        while len(js_trim(text)) < shortest:
            text += " " + rng.choice(WORDS)
        if len(js_trim(text)) <= longest:
            return text


def naming_gwynedd(text):
    """Odd text that still names Gwynedd, whose code the case carries (case format 1.2 checks the name)."""
    middle = len(text) // 2
    return text[:middle] + " Gwynedd " + text[middle:]


def odd_markdown(rng, shortest):
    lines = []
    for _ in range(rng.randint(2, 5)):
        start = rng.choice(LINE_STARTS + [""] * 4)
        lines.append(start + odd_line(rng, 0, 80, ODD) + rng.choice(["", " ", "  "]))
        if rng.random() < 0.3:
            lines.append(rng.choice(["", "   "]))
    text = rng.choice(["", " ", "\n"]) + "".join(line + rng.choice(["\n", "\r\n"]) for line in lines)
    while len(js_trim(text.replace("\r\n", "\n"))) < shortest:
        text += rng.choice(WORDS) + " "
    return text


def odd_lines(rng, shortest, longest):
    items = {js_trim(odd_line(rng, shortest, longest)) for _ in range(rng.randint(1, 3))}
    items.add(rng.choice([k for k in KEYWORDS if len(k) >= shortest]))
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
        texts["#f-councils-0-name"] = naming_gwynedd(odd_line(rng, 3, 111))
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


# ---------- format 1.1, the shared rule vectors, and problems that are never lost ----------

STORAGE = "casebook-propose-v1"
FORM_TODAY = """() => { const d = new Date();
  return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0"); }"""
# Every visible message beside a field, and the field (its data-pointer) it is beside.
SHOWN_ERRORS = """() => Array.from(document.querySelectorAll("#cb-case-form .cb-error-message"))
  .filter(box => !box.hidden && box.offsetParent !== null)
  .map(box => ({ place: box.parentElement.getAttribute("data-pointer") || "", text: box.textContent }))"""
# The field with this data-pointer, or its nearest ancestor with one.
PLACE = """pointer => {
  const form = document.getElementById("cb-case-form");
  const parts = pointer.split("/");
  for (; parts.length > 1; parts.pop()) {
    if (form.querySelector('[data-pointer="' + parts.join("/") + '"]')) { return parts.join("/"); }
  }
  return "";
}"""
# The visible messages that describe the control with this id (or the message itself, for the form's own).
DESCRIBED = """id => {
  const control = document.getElementById(id);
  const ids = (control.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
  const boxes = control.classList.contains("cb-error-message") ? [control] : ids.map(i => document.getElementById(i));
  return boxes.filter(box => box && !box.hidden && box.offsetParent !== null).map(box => box.textContent);
}"""


def minimal_case(page):
    """The minimal valid case as JSON data, reviewed today by the browser's clock."""
    data = yaml.safe_load(MINIMAL_FILE.read_text(encoding="utf-8"))
    data["last_reviewed"] = page.evaluate(FORM_TODAY)
    return data


def restore(page, data):
    """Put ``data`` where the form keeps its answers, and reload: the form fills itself in from it."""
    page.evaluate(
        "([key, data]) => localStorage.setItem(key, JSON.stringify({ data: data, idEdited: true }))", [STORAGE, data]
    )
    page.reload()
    page.wait_for_function("() => window.casebookForm !== undefined")


def written_case(page, tmp_path=None):
    """The case the form wrote, as data; with ``tmp_path``, also checked by the validator."""
    text = produced_yaml(page)
    data = yaml.safe_load(text)
    data["last_reviewed"] = data["last_reviewed"].isoformat()
    if tmp_path is not None:
        path = tmp_path / f"{data['id']}.yaml"
        path.write_text(text + ("" if text.endswith("\n") else "\n"), encoding="utf-8")
        problems = load_catalogue([path], today=date.fromisoformat(data["last_reviewed"])).problems
        assert problems == [], problems
    return data


def as_the_form_writes(data):
    """``data`` as the form writes it: Markdown ends with a line feed, terms ticked in a list of tick boxes
    come in the vocabulary's order, and the licence is chosen (the default)."""
    data = copy.deepcopy({"licence": "OGL-3.0", **data})
    for field in iter_fields():
        if "[]" in field.path:
            continue
        *parents, last = field.path.split(".")
        node = data
        for part in parents:
            node = node.get(part, {})
        value = node.get(last)
        if field.markdown and isinstance(value, str) and not value.endswith("\n"):
            node[last] = value + "\n"
        if field.vocabulary and isinstance(value, list):
            node[last] = sorted(value, key=vocabularies()[field.vocabulary].ids().index)
    return data


def every_listed_problem_is_beside_its_field(page):
    """The summary lists every problem the form found, each linked to a control that a visible message
    beside it describes in the same words. Returns the summary's entries."""
    links = page.eval_on_selector_all(
        ".cb-error-summary a", "links => links.map(a => [a.textContent, a.getAttribute('href')])"
    )
    assert len(links) == page.evaluate("() => window.casebookForm.refresh(true).length")
    for text, href in links:
        beside = page.evaluate(DESCRIBED, href.removeprefix("#"))
        assert any(text in message for message in beside), (text, beside)
    return [text for text, _ in links]


def test_the_valid_case_restored_into_the_form_checks_clean_and_is_written_back_as_it_was(page, site_url, tmp_path):
    open_form(page, site_url)
    data = minimal_case(page)
    restore(page, data)
    submit(page)
    expect(page.locator(".cb-error-summary")).to_be_hidden()
    assert written_case(page, tmp_path) == as_the_form_writes(data)


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_each_shared_vector_is_reported_by_the_form_where_the_validator_reports_it(page, site_url, tmp_path, vector):
    open_form(page, site_url)
    data = minimal_case(page)
    apply_vector(data, vector["set"])
    restore(page, data)
    submit(page)
    if "form_skip" in vector:
        # The form cannot hold this mistake (vectors.yaml says why): what it writes instead is a valid case.
        written_case(page, tmp_path)
        return
    expect(page.locator(".cb-error-summary")).to_be_visible()
    expect(page.locator(".cb-result")).to_be_hidden()
    place = page.evaluate(PLACE, vector["pointer"])
    shown = page.evaluate(SHOWN_ERRORS)
    assert [s["place"] for s in shown] == [place], shown  # at the vector's field, and nowhere else
    listed = every_listed_problem_is_beside_its_field(page)
    assert listed and all(text in shown[0]["text"] for text in listed)
    if vector.get("form_message") == "same":
        assert vector["message"] in shown[0]["text"]
        assert any(vector["message"] in text for text in listed)


# A case using every field format 1.1 added, as a restored case and as the form writes it back.
EVERY_NEW_FIELD = {
    "/impact/evidence_level": 4,
    "/impact/evaluation": {"design": "randomised-trial", "by": "independent", "result": "positive", "source": 2},
    "/impact/measures/0/source": 1,
    "/replication/effort": {
        "cost": "50k-250k",
        "time_to_first_result": "6-12-months",
        "team": ["analyst", "information-governance"],
    },
    "/replication/prerequisites": ["data-sharing-agreement", "senior-sponsor"],
    "/replication/artefacts": [
        {"title": "Matching code", "url": "https://github.com/example-council/matching", "kind": "code"},
        {"title": "Data sharing agreement", "url": "https://www.example.org/isp.pdf", "kind": "data-sharing-agreement"},
    ],
}


def test_every_field_format_1_1_added_is_shown_and_written_back_as_restored(page, site_url, tmp_path):
    open_form(page, site_url)
    data = minimal_case(page)
    data["sources"].append({"title": "An independent evaluation", "url": "https://www.example.org/evaluation"})
    apply_vector(data, EVERY_NEW_FIELD)
    restore(page, data)
    for pointer in (
        "/impact/evaluation/design",
        "/impact/evaluation/by",
        "/impact/evaluation/result",
        "/impact/evaluation/source",
        "/impact/measures/0/source",
        "/replication/effort/cost",
        "/replication/effort/time_to_first_result",
        "/replication/effort/team",
        "/replication/prerequisites",
        "/replication/artefacts/1/title",
        "/replication/artefacts/1/url",
        "/replication/artefacts/1/kind",
    ):
        expect(page.locator(f'[data-pointer="{pointer}"]')).to_be_visible()
    submit(page)
    assert written_case(page, tmp_path) == as_the_form_writes(data)


def test_an_optional_group_writes_nothing_unless_it_is_ticked_and_filled_in(page, site_url):
    open_form(page, site_url)
    fill_case(page, ORDINARY, "optional-groups")
    submit(page)
    case = written_case(page)
    assert "evaluation" not in case["impact"] and "effort" not in case["replication"]
    expect(page.locator("#f-impact-evaluation-design")).to_be_hidden()
    page.check("#f-impact-evaluation")
    page.check("#f-replication-effort")
    expect(page.locator("#f-impact-evaluation-design")).to_be_visible()
    submit(page)  # ticked, but left empty: still nothing, and no error
    case = written_case(page)
    assert "evaluation" not in case["impact"] and "effort" not in case["replication"]
    page.select_option("#f-impact-evaluation-design", "before-after")  # half an evaluation is never written
    submit(page)
    expect(page.locator(".cb-result")).to_be_hidden()
    expect(field_error(page, "#f-impact-evaluation-by")).to_have_text("Choose evaluated by")
    expect(field_error(page, "#f-impact-evaluation-result")).to_have_text("Choose result")
    assert every_listed_problem_is_beside_its_field(page) == ["Choose evaluated by", "Choose result"]
    page.uncheck("#f-impact-evaluation")  # left out again: its answers are not written
    expect(page.locator("#f-impact-evaluation-design")).to_be_hidden()
    submit(page)
    assert "evaluation" not in written_case(page)["impact"]
    page.check("#f-impact-evaluation")  # and ticked again, they are still there
    page.select_option("#f-impact-evaluation-by", "internal")
    page.select_option("#f-impact-evaluation-result", "positive")
    page.select_option("#f-replication-effort-cost", "under-10k")
    submit(page)
    case = written_case(page)
    assert case["impact"]["evaluation"] == {"design": "before-after", "by": "internal", "result": "positive"}
    assert case["replication"]["effort"] == {"cost": "under-10k"}


def required_places():
    """Where an empty form must report a missing answer: each required field, and each
    required field of a required group (last_reviewed starts filled in, with today)."""
    places = set()
    for field in form_spec():
        if not field["required"] or field["key"] == "last_reviewed":
            continue
        if field["kind"] == "object":
            places |= {f"/{field['key']}/{sub['key']}" for sub in field["fields"] if sub["required"]}
        else:
            places.add(f"/{field['key']}")
    return places


def test_an_empty_form_names_every_missing_answer_in_the_summary_and_beside_its_field(page, site_url):
    open_form(page, site_url)
    submit(page)
    expect(page.locator(".cb-error-summary")).to_be_visible()
    expect(page.locator(".cb-result")).to_be_hidden()
    listed = every_listed_problem_is_beside_its_field(page)
    assert {"Enter impact summary", "Choose evidence level", "Enter guidance"} <= set(listed)
    places = {shown["place"] for shown in page.evaluate(SHOWN_ERRORS)}
    assert required_places() <= places, required_places() - places


# A required group emptied of everything that the rest of a valid case puts in it.
EMPTIED = {
    "impact": (
        ["#f-impact-summary", "#f-impact-measures-0-metric", "#f-impact-measures-0-value"],
        ["#f-impact-evidence_level", "#f-impact-measures-0-unit", "#f-impact-measures-0-period"],
        ["Enter impact summary", "Choose evidence level"],
    ),
    "replication": (["#f-replication-guidance", "#f-replication-adopted_by"], [], ["Enter guidance"]),
}


@pytest.mark.parametrize("group", list(EMPTIED))
def test_a_required_group_left_empty_is_reported_beside_its_fields_not_dropped(page, site_url, group):
    texts, choices, expected = EMPTIED[group]
    open_form(page, site_url)
    fill_case(page, ORDINARY, "an-empty-group")
    for selector in texts:
        page.fill(selector, "")
    for selector in choices:
        page.select_option(selector, "")
    submit(page)
    expect(page.locator(".cb-error-summary")).to_be_visible()
    expect(page.locator(".cb-result")).to_be_hidden()
    assert every_listed_problem_is_beside_its_field(page) == expected


# ---------- council names from the register ----------


def council_fields(page, index):
    return [page.input_value(f"#f-councils-{index}-{key}") for key in ("name", "gss_code", "type", "region")]


def pick_name(page, selector, text):
    """Put ``text`` in a council name input as picking it from the suggestions does (an input
    event whose inputType is insertReplacementText, and no change event until focus leaves)."""
    page.eval_on_selector(
        selector,
        """(input, text) => { input.focus(); input.value = text;
             input.dispatchEvent(new InputEvent("input", {bubbles: true, inputType: "insertReplacementText"})); }""",
        text,
    )


def test_typing_a_register_name_fills_the_councils_code_type_and_region(page, site_url):
    open_form(page, site_url)
    assert page.get_attribute("#f-councils-0-name", "list") == "cb-council-names"
    options = page.eval_on_selector_all("#cb-council-names option", "os => os.map(o => o.value)")
    assert "Camden" in options and "Allerdale (ended 2023)" in options and len(options) == len(councils())
    type_into(page, "#f-councils-0-name", "Camden")
    assert page.input_value("#f-councils-0-gss_code") == ""  # nothing is filled while typing
    page.keyboard.press("Tab")
    assert council_fields(page, 0) == ["Camden", "E09000007", "london-borough", "london"]


def test_picking_a_suggestion_fills_at_once_and_an_ended_council_gets_its_code(page, site_url):
    open_form(page, site_url)
    pick_name(page, "#f-councils-0-name", "Allerdale (ended 2023)")
    assert council_fields(page, 0) == ["Allerdale", "E07000026", "district", "north-west"]
    pick_name(page, "#f-councils-0-name", "Camden")
    assert council_fields(page, 0) == ["Camden", "E09000007", "london-borough", "london"]


def test_a_name_not_in_the_register_leaves_the_other_fields_alone(page, site_url):
    open_form(page, site_url)
    type_into(page, "#f-councils-0-gss_code", "E06000001")
    type_into(page, "#f-councils-0-name", "Camden Town Hall Trust")
    page.keyboard.press("Tab")
    pick_name(page, "#f-councils-0-name", "Camden Town Hall Trust")
    assert council_fields(page, 0) == ["Camden Town Hall Trust", "E06000001", "", ""]


def test_a_second_council_gets_suggestions_and_the_file_validates(page, site_url, tmp_path):
    open_form(page, site_url)
    page.focus("body")
    fill_complete_case(page)
    page.click("#f-councils-add")
    assert page.get_attribute("#f-councils-1-name", "list") == "cb-council-names"
    type_into(page, "#f-councils-1-name", "Camden")
    page.keyboard.press("Tab")
    assert council_fields(page, 1) == ["Camden", "E09000007", "london-borough", "london"]
    assert council_fields(page, 0) == ["Cyngor Gwynedd", "W06000002", "welsh-unitary", "wales"]
    page.click("button[type=submit]")
    expect(page.locator(".cb-result")).to_be_visible()
    content = download(page)
    (tmp_path / "cyngor-gwynedd-finds-damp-homes-with-tenants-sensors.yaml").write_bytes(content)
    validated = run_cli("validate", str(tmp_path))
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert yaml.safe_load(content)["councils"][1] == {
        "name": "Camden",
        "gss_code": "E09000007",
        "type": "london-borough",
        "region": "london",
    }


def test_the_form_lists_every_register_council_and_escapes_them(monkeypatch):
    names = register_names()
    assert len(names["rows"]) == len(councils())
    assert {row[0] for row in names["rows"]} == set(councils())
    first_ended = next(i for i, row in enumerate(names["rows"]) if row[5])
    assert all(not row[5].startswith("ended") for row in names["rows"][:first_ended])  # current councils first
    camden = next(row for row in names["rows"] if row[0] == "E09000007")
    assert [camden[1], names["types"][camden[3]], names["regions"][camden[4]], camden[5]] == [
        "Camden",
        "london-borough",
        "london",
        "",
    ]
    assert next(row for row in names["rows"] if row[0] == "E07000026")[5] == "ended 2023"
    hostile = parse(
        "code,name,name_cy,type,region,region_code,began,ended,current,replaced_by\n"
        'E09000099,"</script><script>alert(1)</script> & Co","Cyngor <b>",london-borough,london,E12000007,,,true,\n'
    )
    monkeypatch.setattr(form, "councils", lambda: hostile)
    html = form_page(SiteConfig(repo_url="https://github.com/example/casebook"))
    block = html.split('id="cb-councils">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and "&" not in block
    assert json.loads(block)["rows"] == [
        ["E09000099", "</script><script>alert(1)</script> & Co", "Cyngor <b>", 0, 0, ""]
    ]


def visible_steps(page):
    return page.eval_on_selector_all(".cb-step:not([hidden])", "steps => steps.map(s => s.dataset.title)")


STEPS = ["About the work", "The problem and the approach", "What changed", "What it took", "Sources and contact"]


def test_the_form_asks_one_step_at_a_time_and_continue_checks_only_that_step(page, site_url):
    page.set_viewport_size({"width": 1280, "height": 900})
    open_form(page, site_url, steps=True)
    assert visible_steps(page) == ["About the work"]
    assert page.inner_text("#cb-progress") == f"Step 1 of {len(STEPS) + 1}: About the work"
    assert page.evaluate("document.documentElement.scrollHeight") < 8000  # was one page of about 12,400 px
    page.click(".cb-step:not([hidden]) [data-action=continue]")
    assert visible_steps(page) == ["About the work"]  # its empty answers hold it
    summary = page.eval_on_selector_all(".cb-error-summary li a", "links => links.map(a => a.getAttribute('href'))")
    assert summary and all(
        page.evaluate("id => !!document.getElementById(id).closest('#cb-step-1')", href[1:]) for href in summary
    )  # only this step's problems
    assert page.evaluate("() => document.activeElement.classList.contains('cb-error-summary')")


def test_a_complete_case_goes_step_by_step_to_check_your_answers_and_the_file(page, site_url, tmp_path):
    open_form(page, site_url)
    fill_complete_case(page)
    page.click("[data-action=all-questions]")  # back to one step at a time
    assert page.get_attribute("[data-action=all-questions]", "aria-pressed") == "false"
    for number, title in enumerate(STEPS, 1):
        assert visible_steps(page) == [title]
        assert page.inner_text("#cb-progress") == f"Step {number} of {len(STEPS) + 1}: {title}"
        assert page.is_hidden(".cb-result")
        page.click(".cb-step:not([hidden]) [data-action=continue]")
        assert page.evaluate("() => document.activeElement.tagName") == "H2"  # the next step's heading
    assert visible_steps(page) == ["Check your answers"]
    assert page.eval_on_selector_all(".cb-answers h3", "hs => hs.map(h => h.textContent)") == STEPS
    rows = page.eval_on_selector_all(
        ".cb-answers__list > div", "rows => rows.map(r => [...r.children].map(c => c.textContent))"
    )
    by_title = {row[0]: row[1] for row in rows}
    assert by_title["Title"] == "Cyngor Gwynedd finds damp homes with tenants' sensors"
    assert by_title["Themes"] == "Public health; Housing"  # the order of the vocabulary, as in the file
    assert by_title["Status"] == "Pilot"
    assert by_title["Contact"] == "Not given (optional)"
    assert all(row[2].startswith("Change") for row in rows)
    case_id = "cyngor-gwynedd-finds-damp-homes-with-tenants-sensors"
    assert page.input_value("#f-id") == case_id  # made from the title, shown at the end, editable
    page.get_by_role("button", name="Change status").click()  # back to its step, on its field
    assert visible_steps(page) == ["About the work"] and page.evaluate("() => document.activeElement.id") == "f-status"
    for _ in STEPS:
        page.click(".cb-step:not([hidden]) [data-action=continue]")
    page.fill("#f-id", "gwynedd-damp-sensors")
    page.click("button[type=submit]")
    text = produced_yaml(page)
    assert "id: gwynedd-damp-sensors" in text
    path = tmp_path / "gwynedd-damp-sensors.yaml"
    path.write_text(text + ("" if text.endswith("\n") else "\n"), encoding="utf-8")
    reviewed = page.input_value("#f-last_reviewed")
    assert load_catalogue([path], today=date.fromisoformat(reviewed)).errors == []
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the file").click()
    assert info.value.suggested_filename == "gwynedd-damp-sensors.yaml"


def email_link(page):
    """The e-mail link's address, subject and body, read back from its mailto URL."""
    parsed = urllib.parse.urlparse(page.get_attribute(".cb-email-link", "href"))
    query = urllib.parse.parse_qs(parsed.query)
    return parsed.scheme, parsed.path, query["subject"][0], query["body"][0]


MAILTO_LIMIT = 1800  # the length of mailto link that mail programs keep whole (propose.js)


def short_case(page):
    """A valid case whose every answer is about as short as its field allows: its file fits in an e-mail."""
    data = minimal_case(page)
    data.update(
        id="short-case",
        title="Short case",
        summary="Matching records found misclaimed discounts.",
        problem="Disconnected administrative databases concealed discount misclaims; nobody noticed them.",
        approach="Analysts matched identities across databases, then investigators checked mismatches.",
        themes=["fraud-error"],
        techniques=["data-linking"],
        data=[{"name": "Tax", "owner": "Camden", "kind": "administrative", "personal": True}],
        impact={"summary": "Hundreds of misclaimed discounts ended.", "evidence_level": 1},
        challenges=[{"category": "data-sharing-governance", "description": "Separate data owners."}],
        success_factors=[{"category": "problem-focus", "description": "Began from a problem."}],
        replication={"guidance": "Needs database access plus one analyst."},
        sources=[{"title": "Wise Council", "url": "https://www.nesta.org.uk/", "publisher": "Nesta"}],
    )
    return data


@pytest.mark.parametrize("length", ["short", "long"])
def test_email_it_to_the_maintainers_holds_the_file_or_asks_for_it_attached(page, site_url, length):
    from generator.core.project import Project

    address = Project.load(ROOT / "cases", ROOT / "mkdocs.yml").settings.submit_email
    assert "@" in address
    open_form(page, site_url)
    if length == "short":  # a valid case with one-line answers: its file fits in the e-mail
        restore(page, short_case(page))
    else:
        fill_complete_case(page)
        page.fill("#f-approach", page.input_value("#f-approach") + "\n\n" + "More about the approach. " * 80)
    page.click("button[type=submit]")
    text = produced_yaml(page)
    title = yaml.safe_load(text)["title"]

    def encode(text):  # as JavaScript's encodeURIComponent
        return urllib.parse.quote(text, safe="!*'()")

    whole = f"mailto:{address}?subject={encode('Proposed case: ' + title)}&body={encode(text)}"
    assert (len(whole) <= MAILTO_LIMIT) == (length == "short")  # each branch is reached
    scheme, to, subject, body = email_link(page)
    assert (scheme, to, subject) == ("mailto", address, f"Proposed case: {title}")
    if length == "short":
        assert body == text and page.is_hidden(".cb-email-note")
    else:  # too long for a mailto link: attach the downloaded file
        case_id = yaml.safe_load(text)["id"]
        assert body == f"The case file {case_id}.yaml is attached (downloaded from the Propose a case form).\n"
        assert page.is_visible(".cb-email-note") and f"attach {case_id}.yaml" in page.inner_text(".cb-email-note")


def test_optional_questions_and_groups_say_so_and_required_ones_do_not(page, site_url):
    """Each question's label ends in "(optional)" exactly when the schema does not require it."""
    required = {}

    def walk(fields, prefix=""):
        for field in fields:
            required[prefix + field["key"]] = field["required"]
            if field["kind"] in ("object", "list-object"):
                walk(field["fields"], prefix + field["key"] + ".")

    walk(form_spec())
    open_form(page, site_url)
    page.check("#f-contact")  # an optional group's own questions
    labels = page.eval_on_selector_all(
        "[data-key]",
        """els => els.map(el => {
            const path = [];
            for (let at = el; at; at = at.parentElement.closest("[data-key]")) path.unshift(at.dataset.key);
            const label = el.querySelector(":scope > legend, :scope > label");
            return [path.join("."), label ? label.textContent.trim() : null];
        })""",
    )
    assert labels and all(text is not None for _, text in labels)
    said = {path: text.endswith("(optional)") for path, text in labels}
    assert said == {path: not required[path] for path in said}
    assert {"contact", "related", "partners", "impact.evaluation", "replication.effort"} <= {
        p for p, o in said.items() if o
    }
    assert (
        not said["title"] and not said["councils"] and not said["contact.role"]
    )  # a required question in an optional group


@pytest.mark.parametrize("width", [1280, 390])
def test_the_steps_have_no_axe_violations(page, site_url, width):
    """Every step, with errors and filled in, and "Check your answers", at both widths and in both schemes."""
    from test_accessibility import NO_VIOLATIONS, violations_in_both_schemes

    page.set_viewport_size({"width": width, "height": 900})
    open_form(page, site_url, steps=True)
    page.click(".cb-step:not([hidden]) [data-action=continue]")
    found = {"step 1 with errors": violations_in_both_schemes(page)}
    open_form(page, site_url)
    fill_complete_case(page)
    page.click("[data-action=all-questions]")
    for title in [*STEPS, "Check your answers"]:
        assert visible_steps(page) == [title]
        found[title] = violations_in_both_schemes(page)
        if title != "Check your answers":
            page.click(".cb-step:not([hidden]) [data-action=continue]")
    assert found == dict.fromkeys(found, NO_VIOLATIONS)


def test_the_home_page_leads_to_the_form(page, site_url):
    page.goto(site_url + "/")
    link = page.get_by_role("link", name="Propose a case", exact=True).last
    with page.expect_navigation():
        link.click()
    assert page.url.endswith("/propose/")


def test_related_cases_are_picked_by_their_titles(page, site_url):
    open_form(page, site_url)
    title = "The Camden Residents Index gives one view of residents across 16 systems"
    page.fill("#f-related-pick", title)
    page.press("#f-related-pick", "Enter")  # Enter adds the case and sends nothing
    assert page.input_value("#f-related") == "camden-residents-index"
    assert page.inner_text(".cb-picked li").startswith(title)
    page.fill("#f-related-pick", "Not a title of any case")
    page.click("[data-action=pick]")
    page.evaluate("() => window.casebookForm.refresh(false)")  # the check that follows typing keeps the message
    message = page.locator("#f-related-pick-error")
    assert message.is_visible() and message.inner_text().startswith("No case in the catalogue has this title")
    assert page.get_attribute("#f-related-pick", "aria-invalid") == "true"
    assert page.get_attribute("#f-related-pick", "aria-describedby") == "f-related-pick-error"
    assert page.input_value("#f-related") == "camden-residents-index"
    page.press("#f-related-pick", "Backspace")  # editing the title clears the message
    assert not message.is_visible() and page.get_attribute("#f-related-pick", "aria-invalid") is None
    page.get_by_role("button", name=f"Remove {title}").click()
    assert page.input_value("#f-related") == ""
    assert page.locator(".cb-picked li").count() == 0
    options = page.eval_on_selector_all("#cb-case-titles option", "os => os.map(o => [o.dataset.id, o.value])")
    assert ["camden-residents-index", title] in options and len(options) >= 150
