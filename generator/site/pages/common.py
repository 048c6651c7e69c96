"""What every generated page shares: the Jinja2 environment, links between pages, front matter."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, pass_context, select_autoescape
from markupsafe import Markup
from slugify import slugify

from ...core.catalogue import Case
from ...core.facets import FACETS_BY_NAME
from ...core.project import FOLDER
from ...core.register import council_ref, lookup, page_path
from ...core.schema import case_schema, vocabularies
from .. import render


@cache
def licence_urls() -> dict[str, str]:
    return {str(k): str(v) for k, v in case_schema()["properties"]["licence"]["x-licence-urls"].items()}


def licence_url(licence: str) -> str:
    return licence_urls()[licence]


def label(vocab: str, term: Any) -> str:
    return vocabularies()[vocab].label(term)


def definition(vocab: str, term: Any) -> str:
    found = vocabularies()[vocab].term(term)
    return found.definition if found else ""


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip


def long_date(value: Any) -> str:
    """A date as people read it, GOV.UK style: ``2026-12-01`` is "1 December 2026", ``2016-11`` is
    "November 2016", a year stays a year. Anything else is returned as it is."""
    text = str(value)
    parts = text.split("-")
    if not all(p.isdigit() for p in parts) or len(parts[0]) != 4 or len(parts) > 3:
        return text
    if len(parts) >= 2 and not 1 <= int(parts[1]) <= 12:
        return text
    words = [MONTHS[int(parts[1]) - 1]] if len(parts) >= 2 else []
    if len(parts) == 3:
        words.insert(0, str(int(parts[2])))
    return " ".join([*words, parts[0]])


def time_tag(value: Any) -> Markup:
    """A date for a page: readable text in ``<time datetime>``, which keeps the ISO form for machines."""
    text = str(value)
    readable = long_date(text)
    if readable == text:
        return Markup("{0}").format(text)
    return Markup('<time datetime="{0}">{1}</time>').format(text, readable)


def cite(number: int) -> Markup:
    """A reference to the case's source ``number``, as ``[2]`` linking to it in the sources list."""
    return Markup('<a class="cb-cite" href="#source-{0}" aria-label="source {0}">[{0}]</a>').format(number)


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("generator", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters.update(md=render.md_escape, slug=slugify, vocab_label=lambda term, vocab: label(vocab, term))
    env.globals.update(
        label=label,
        definition=definition,
        markdown=render.markdown_html,
        value=render.format_value,
        facet=lambda data, name: FACETS_BY_NAME[name].values(data),
        cite=cite,
        date=time_tag,
        rank=lambda vocab, term: vocabularies()[vocab].ids().index(term),
        council_path=council_path,
        council_anchor=lambda council: council_ref(council).anchor,
        facet_link=facet_link,
    )
    return env


@pass_context
def facet_link(context: Any, facet: str, term: Any = None) -> str:
    """The link from the page being rendered to the browse page of ``term`` of ``facet`` (by its name).

    Without a term, the link to the facet's own page, which lists its terms.
    """
    folder = FACETS_BY_NAME[facet].path
    return str(context["link"](f"{folder}/" if term is None else f"{folder}/{term}/"))


def council_path(code: str | None) -> str | None:
    """The site path of the page of the council with register code ``code``; None without one."""
    return page_path(code) if code and lookup(code) is not None else None


def linker(page: str) -> Callable[..., str]:
    """Relative links from the page at ``page`` (inside the generated folder)."""
    is_index = posixpath.basename(page) == "index.md"
    base = "../" * (page.count("/") + (not is_index))

    def link(path: str, anchor: str | None = None) -> str:
        return base + path + (f"#{anchor}" if anchor else "")

    return link


def home_linker() -> Callable[..., str]:
    """Links from the home page (docs/index.md, outside the generated folder) into it."""

    def link(path: str, anchor: str | None = None) -> str:
        return f"{FOLDER}/" + path + (f"#{anchor}" if anchor else "")

    return link


def render_page(template: str, page: str, meta: dict[str, Any], **context: Any) -> str:
    """A page: its front matter from ``meta``, then its template rendered with ``context``."""
    body = environment().get_template(template).render(link=linker(page), **context)
    return render.front_matter(meta) + body


def page_meta(title: str, description: str, **more: Any) -> dict[str, Any]:
    """Page metadata: title and description escaped for the theme, which prints them as they are."""
    return {"title": render.page_text(title), "description": render.page_text(description), **more}


def case_items(cases: list[Case], link: Callable[..., str], added: dict[str, str] | None = None) -> dict[str, Markup]:
    """Each case's list item for browse pages, rendered once with ``link`` (with the date added, if given)."""
    template = environment().get_template("_case_item.html.j2")
    return {c.id: Markup(template.render(link=link, c=c.data, added=(added or {}).get(c.id))) for c in cases}
