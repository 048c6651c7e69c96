"""Every kind of page built from a catalogue of hostile cases, in Chromium, at a phone's and a laptop's width.

The built site of the session (``conftest.built_site``) holds the bundled cases and the
hostile ones of ``tests/fixtures/hostile/``, one class of attack each. On every kind
of page: no dialog opens, no element carries an event handler or a script address, the
page never scrolls sideways, every id is unique and not empty, and the site's own
labels read left to right whatever a case's text leaves open before them.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "catalogue": "/catalogue/",
    "case, third round": "/catalogue/cases/hostile-third-round/",
    "case, script injection": "/catalogue/cases/hostile-script-injection/",
    "case, front matter": "/catalogue/cases/hostile-front-matter/",
    "councils": "/catalogue/councils/",
    "council, Kent": "/catalogue/councils/e10000016/",
    "council, Camden": "/catalogue/councils/e09000007/",
    "map": "/catalogue/map/",
    "browse": "/catalogue/browse/",
    "theme": "/catalogue/themes/housing/",
    "search": "/search/?q=hostile",
    "data dictionary": "/catalogue/data-dictionary/",
    "propose": "/propose/",
}
WIDTHS = {"phone": 390, "laptop": 1280}

CHECKS = """() => {
  const ids = [...document.querySelectorAll('[id]')].map(el => el.id);
  const seen = new Set(), repeated = new Set();
  for (const id of ids) { if (seen.has(id)) repeated.add(id); seen.add(id); }
  const handlers = [...document.querySelectorAll('*')].flatMap(el =>
    [...el.attributes].filter(a => a.name.startsWith('on')).map(a => el.tagName + ' ' + a.name));
  const scripts = [...document.querySelectorAll('a[href], [src], [action], [formaction]')]
    .map(el => el.getAttribute('href') || el.getAttribute('src') || el.getAttribute('action') || el.getAttribute('formaction'))
    .filter(url => /^\\s*(javascript|vbscript|data):/i.test(url));
  const content = document.querySelector('article') || document.body;
  const injected = [...content.querySelectorAll('img, iframe, object, embed, style, svg script')]
    .filter(el => !el.closest('.cb-hexmap, .md-header, .md-footer')).map(el => el.outerHTML.slice(0, 80));
  return {
    empty: ids.filter(id => id === '').length,
    repeated: [...repeated],
    handlers,
    scripts,
    injected,
    sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  };
}"""

# Whether the site's own labels (headings, the terms of definition lists) read left to right:
# the first letter of each is drawn left of its last, when both sit on one line.
LEFT_TO_RIGHT = """() => {
  const reversed = [];
  for (const el of document.querySelectorAll('article h1, article h2, article h3, article dt, nav a')) {
    const node = [...el.childNodes].find(n => n.nodeType === 3 && /^[A-Za-z ,?]{4,}$/.test(n.textContent.trim()));
    if (!node) continue;
    const text = node.textContent, first = text.search(/[A-Za-z]/), last = text.search(/[A-Za-z][^A-Za-z]*$/);
    const box = i => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1); return r.getBoundingClientRect(); };
    const a = box(first), b = box(last);
    if (a.width && b.width && Math.abs(a.top - b.top) < 2 && a.left >= b.left) reversed.push(text.trim());
  }
  return reversed;
}"""


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_every_kind_of_page_of_a_hostile_catalogue_is_inert_unique_and_fits(browser, site_url, path, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(site_url + path)
        page.wait_for_load_state("load")
        for element in page.query_selector_all("article a, article p, article li, article dd")[:30]:
            element.dispatch_event("mouseover")  # what a pointer passing over it sends
            element.dispatch_event("focus")
        page.wait_for_timeout(200)
        found = page.evaluate(CHECKS)
        assert dialogs == []
        assert found["empty"] == 0 and found["repeated"] == [], found
        assert found["handlers"] == [] and found["scripts"] == [] and found["injected"] == [], found
        assert found["sideways"] <= 1, f"{path} scrolls {found['sideways']} px sideways at {width} px"
        assert page.evaluate(LEFT_TO_RIGHT) == []
    finally:
        context.close()


def test_a_link_with_markup_in_its_title_and_a_refused_address_is_plain_text(page, site_url):
    page.goto(f"{site_url}/catalogue/cases/hostile-third-round/")
    problem = page.inner_html("article .cb-text")
    assert "click me" in problem and "raw anchor" in problem
    assert "<a" not in problem.split("click me")[0][-40:], problem  # the words stand alone, not in a link
    assert page.eval_on_selector_all("article a:not([href])", "links => links.length") == 0


def test_a_coded_council_is_labelled_by_the_register_never_by_a_case(page, site_url):
    page.goto(f"{site_url}/catalogue/councils/")
    text = page.inner_text("article")
    assert "has closed" not in text and "evil.example" not in text
    page.goto(f"{site_url}/catalogue/map/")
    assert "has closed" not in page.inner_text("article")
    labels = page.eval_on_selector_all(".cb-hexmap a title", "ts => ts.map(t => t.textContent)")
    assert not [label for label in labels if "has closed" in label]


def test_a_name_that_looks_like_a_code_never_joins_that_councils_filter(page, site_url):
    page.goto(f"{site_url}/catalogue/?council=e09000007")
    page.wait_for_selector("#cb-count")
    shown = page.eval_on_selector_all("[data-id]:not([hidden])", "rows => rows.map(r => r.dataset.id)")
    assert "hostile-third-round" not in shown
    assert "camden-residents-index" in shown


def test_one_name_in_three_spellings_is_one_entry(page, site_url):
    page.goto(f"{site_url}/catalogue/councils/")
    entries = page.eval_on_selector_all("dt", "dts => dts.map(d => d.textContent.trim())")
    assert entries.count("Café Partnership") == 1, [e for e in entries if "Partnership" in e]
