"""A case's page: its facts, the "Could we do this?" panel, its text, sources and how to cite it."""

from __future__ import annotations

from typing import Any

from ...core.catalogue import Case, Catalogue
from ...core.project import SiteConfig
from ...core.rules import evidence_cap
from .. import render
from .common import label, licence_url, long_date, page_meta, render_page
from .fields import more_fields


def _citation(case: Case, config: SiteConfig) -> tuple[str, str]:
    url = config.case_url(case.id)
    councils = "; ".join(c["name"] for c in case["councils"])
    year = str(case["last_reviewed"])[:4]
    text = f"{councils}. {case.title}. {config.site_name}, last reviewed {long_date(case['last_reviewed'])}. {url}"
    bib = render.bibtex_escape
    bibtex = "\n".join(
        [
            f"@misc{{casebook-{case.id},",
            f"  title = {{{bib(case.title)}}},",
            f"  author = {{{{{bib(config.site_name)}}}}},",
            f"  year = {{{year}}},",
            f"  note = {{Case study of {bib(councils)}; last reviewed {case['last_reviewed']}}},",
            f"  url = {{{url}}}",
            "}",
        ]
    )
    return text, bibtex


def _jsonld(case: Case, config: SiteConfig) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": case.title,
        "description": case["summary"],
        "url": config.case_url(case.id),
        "dateModified": case["last_reviewed"],
        "license": licence_url(case.licence),
        "about": [label("themes", t) for t in case["themes"]],
        "spatialCoverage": [{"@type": "Place", "name": c["name"]} for c in case["councils"]],
        "publisher": {"@type": "Organization", "name": config.site_name},
    }


def case_page(case: Case, catalogue: Catalogue, config: SiteConfig) -> str:
    """The Markdown of one case's page."""
    citation, bibtex = _citation(case, config)
    name, url = label("licences", case.licence), licence_url(case.licence)
    meta = page_meta(
        case.title,
        case["summary"],
        og_type="article",
        og_title=case.title,
        og_description=case["summary"],
        jsonld=render.script_json(_jsonld(case, config)),
    )
    return render_page(
        "case.md.j2",
        f"cases/{case.id}.md",
        meta,
        case=case.data,
        related=[r.data for r in catalogue.related(case.id)],
        case_title=lambda case_id: getattr(catalogue.get(case_id), "title", ""),
        citation=citation,
        bibtex=bibtex,
        licence_name=name,
        licence_url=url,
        edit_url=config.edit_url(case.id),
        more=more_fields(case.data),
        cap=evidence_cap(case["impact"].get("evaluation")),
    )
