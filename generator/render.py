"""Turning case values into safe text for pages: Markdown, escaping, numbers.

Every value that comes from a case file is untrusted. Markdown fields are
rendered to HTML by cmark (GitHub's CommonMark library, in C), then cleaned with
nh3 so only a small set of tags and http(s)/mailto links survive: raw HTML in
case text is removed (its text is kept), scripts and their content dropped.
Plain-text values are escaped for HTML and, where they land in Markdown, for
Markdown too.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from typing import Any

import cmarkgfm
import nh3
import yaml
from cmarkgfm.cmark import Options
from markupsafe import Markup

# cmark passes raw HTML through here only so that nh3, the one sanitiser, decides
# what survives; nothing leaves this module without nh3's cleaning.
_CMARK_OPTIONS = Options.CMARK_OPT_UNSAFE
_TAGS = {"p", "ul", "ol", "li", "em", "strong", "a", "code", "pre", "blockquote", "br", "hr"}
_LINK_WITHOUT_HREF = re.compile(r"<a(?![^>]*\shref=)[^>]*>(.*?)</a>", re.S)
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


@lru_cache(maxsize=65536)  # each field is rendered for its page and for the search index
def markdown_html(text: str) -> Markup:
    """A Markdown field as clean HTML: no raw HTML, no scripts, only safe links."""
    rendered = cmarkgfm.markdown_to_html(text, options=_CMARK_OPTIONS)
    cleaned = nh3.clean(
        rendered,
        tags=_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
    )
    # A link whose unsafe URL nh3 removed is left as <a> with no href: keep its text only.
    return Markup(_LINK_WITHOUT_HREF.sub(r"\1", cleaned))


def md_escape(text: str) -> Markup:
    """Plain text for a Markdown line (a heading, a list item): HTML and Markdown escaped."""
    return Markup(_MD_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False)))


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
    return re.sub(r"([&%$#_])", r"\\\1", text).replace("~", r"\~{}").replace("^", r"\^{}")
