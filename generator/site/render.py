"""Turning case values into safe text for pages: Markdown, escaping, numbers.

Every value that comes from a case file is untrusted. Markdown fields are
rendered to HTML by cmark (:mod:`generator.core.markdown`), links to addresses the
sanitiser refuses are unwrapped on a parsed tree, then nh3 cleans the result so
only a small set of tags and http(s)/mailto links survive: raw HTML in case text
is removed (its text is kept), scripts and their content dropped.
Plain-text values are escaped for HTML and, where they land in Markdown, for
Markdown too.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from typing import Any

import lxml.html
import nh3
import yaml
from markupsafe import Markup

from ..core.markdown import to_html

_TAGS = {"p", "ul", "ol", "li", "em", "strong", "a", "code", "pre", "blockquote", "br", "hr"}
_ATTRIBUTES = {"a": {"href", "title"}}
_URL_SCHEMES = {"http", "https", "mailto"}
_LINK_REL = "nofollow noopener"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")
_BACKTICKS = re.compile(r"`+")
_LATEX_SPECIAL = re.compile(r"([&%$#_])")
_ANCHOR = re.compile(r"<a[\s/>]", re.IGNORECASE)  # whether cmark's HTML holds a link at all


def _clean(fragment: str) -> str:
    return str(nh3.clean(fragment, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_URL_SCHEMES, link_rel=_LINK_REL))


@lru_cache(maxsize=1024)
def _href_survives(href: str) -> bool:
    """Whether the sanitiser keeps ``href`` on a link: asked of nh3 itself, so the two never disagree."""
    return "href=" in _clean(f'<a href="{html.escape(href)}">x</a>')


def _unwrap_unsafe_links(fragment: str) -> str:
    """cmark's HTML with every link whose address the sanitiser would drop replaced by its text.

    Done before sanitising, on a parsed tree (never with a pattern on HTML), so the
    sanitiser's output is the page's: a link without an address never reaches a page.
    """
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    for anchor in list(root.iter("a")):
        if not _href_survives(anchor.get("href") or ""):
            anchor.drop_tag()
    return str(lxml.html.tostring(root, encoding="unicode"))


@lru_cache(maxsize=65536)  # each field is rendered for its page and for the search index
def markdown_html(text: str) -> Markup:
    """A Markdown field as clean HTML: no raw HTML, no scripts, only safe links.

    A link whose address is not http(s) or mailto (``javascript:``, ``data:``) keeps its
    text and loses the link, raw HTML links included. nh3 has the last word on what
    reaches the page; nothing edits its output.
    """
    rendered = to_html(text)
    if _ANCHOR.search(rendered):
        rendered = _unwrap_unsafe_links(rendered)
    return Markup(_clean(rendered))


def md_escape(text: str) -> Markup:
    """Plain text for a Markdown line (a heading, a list item): HTML and Markdown escaped."""
    return Markup(_MD_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False)))


def code_cell(text: str) -> str:
    """Text for a cell of a GitHub Markdown table, as a code span: inert whatever it holds.

    Inside a code span nothing is a mention (``@org/team``), a link, an image or an
    autolink; the fence is one backtick longer than the longest run in the text, and a
    pipe is escaped, since GitHub splits table cells on pipes before anything else.
    Line breaks become spaces: a cell is one line.
    """
    flat = " ".join(str(text).split())
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(flat)), default=0) + 1)
    escaped = flat.replace("|", "\\|")
    return f"{fence} {escaped} {fence}"


def page_text(text: str) -> str:
    """Text for page metadata that the theme prints without escaping (title, description).

    Whitespace of every kind (line breaks, separators) becomes one space, and the
    text is HTML-escaped here, since Material writes it into the page as it is.
    """
    return html.escape(" ".join(str(text).split()))


def front_matter(meta: dict[str, Any]) -> str:
    """A page's YAML front matter, written by a YAML emitter (never by joining strings).

    Every character outside printable ASCII is written as an escape, so no value,
    whatever it holds (line separators, control characters, ``---``), can end the
    block early or stop MkDocs from reading it as metadata.
    """
    body = yaml.dump(
        meta,
        Dumper=yaml.CSafeDumper,  # libyaml's emitter: the same YAML as PyYAML's own, several times faster
        allow_unicode=False,
        sort_keys=False,
        default_flow_style=False,
        width=1_000_000,
    )
    return f"---\n{body}---\n\n"


def script_json(data: Any, *, compact: bool = False) -> str:
    """JSON safe inside a <script> element: no tag can be closed by it.

    ``compact``: no spaces and keys in their own order (for data a script reads, not people).
    """
    if compact:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    else:
        text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _trim(number: float, digits: int) -> str:
    text = f"{number:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_value(value: float, unit: str) -> str:
    """A measure as a person would write it: £1.2m, 35%, 1,200 households."""
    if unit == "GBP":
        for size, suffix in ((1e9, "bn"), (1e6, "m")):
            if abs(value) >= size:
                return f"£{_trim(value / size, 1)}{suffix}"
        return f"£{_trim(value, 2)}"
    if unit == "percent":
        return f"{_trim(value, 1)}%"
    if unit == "count":
        return _trim(value, 2)
    number = _trim(value, 2)
    singular = {"people": "person", "households": "household", "hours": "hour", "days": "day"}
    return f"{number} {singular[unit] if value == 1 else unit}"


def bibtex_escape(text: str) -> str:
    """Text for a BibTeX field: LaTeX specials escaped, braces removed."""
    text = str(text).replace("{", "").replace("}", "").replace("\\", "")
    return _LATEX_SPECIAL.sub(r"\\\1", text).replace("~", r"\~{}").replace("^", r"\^{}")
