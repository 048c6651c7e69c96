"""Markdown fields as cmark reads them: their HTML before any cleaning, and how deep it nests.

cmark (GitHub's CommonMark library, in C) renders in linear time, but what reads its
output afterwards (the HTML sanitiser, MkDocs, the browser) does not stay linear
when elements nest tens of thousands deep: 40,000 nested block quotes, 80 KB of
text, took minutes to build. A case needs a few levels (a list inside a quote), so
the validator refuses a field whose HTML nests deeper than :data:`MAX_DEPTH`.
"""

from __future__ import annotations

import re
from functools import lru_cache

import cmarkgfm
from cmarkgfm.cmark import Options

# Raw HTML is passed through here only so that the one sanitiser (nh3, in
# generator.site.render) decides what survives; nothing reaches a page without it.
_CMARK_OPTIONS = Options.CMARK_OPT_UNSAFE

MAX_DEPTH = 20  # levels of nested elements in one field's HTML; a case needs about 6

# A start or end tag. Linear: a match cannot run past the next "<" or ">".
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*>")
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


@lru_cache(maxsize=65536)  # each field is read by the validator, its page and the search index
def to_html(text: str) -> str:
    """cmark's HTML for a Markdown field, raw HTML included: never put it on a page as it is."""
    return str(cmarkgfm.markdown_to_html(text, options=_CMARK_OPTIONS))


def nesting_depth(html: str) -> int:
    """How many elements deep ``html`` nests at most (each unclosed start tag counts as open)."""
    depth = deepest = 0
    for match in _TAG.finditer(html):
        closing, name = match.group(1), match.group(2).lower()
        if closing:
            depth = max(0, depth - 1)
        elif name not in _VOID and not match.group(0).endswith("/>"):
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def too_deep(text: str) -> int | None:
    """The depth of a Markdown field's HTML when it nests deeper than :data:`MAX_DEPTH`, else None.

    The number of start tags bounds the depth, so a short field is answered without a scan.
    """
    html = to_html(text)
    if html.count("<") - html.count("</") <= MAX_DEPTH:
        return None
    depth = nesting_depth(html)
    return depth if depth > MAX_DEPTH else None
