"""The pages generated from the schema: the format's fields, the propose form and the data dictionary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...core.project import FOLDER, SiteConfig
from ...core.schema import constraints_in_words, iter_fields
from ...exports.tables import build_tables, data_dictionary
from .. import render
from ..form import form_spec, form_steps, register_names, spec_json
from .common import environment, page_meta


def format_vocabularies() -> set[str]:
    """The vocabularies the case format's fields use (not those only the site derives, such as personal data)."""
    return {f.vocabulary for f in iter_fields() if f.vocabulary}


def field_rows() -> list[dict[str, Any]]:
    rows = []
    for field in iter_fields():
        node = field.schema
        kind = node.get("type", "object")
        kind = " or ".join(kind) if isinstance(kind, list) else kind
        if field.markdown:
            kind = "markdown text"
        rows.append(
            {
                "path": field.path,
                "title": field.title,
                "description": field.description,
                "type": kind,
                "required": field.required,
                "rule": "; ".join(constraints_in_words(field)),
            }
        )
    return rows


def form_page(config: SiteConfig, schema: dict[str, Any] | None = None, cases: Sequence[tuple[str, str]] = ()) -> str:
    """The "Propose a case" form (included into docs/propose.md), from the schema; ``cases`` (id and
    title) are the catalogue's cases, which a new case's related cases are picked from by title."""
    spec = form_spec(schema)
    steps, check = form_steps(spec)
    repo = config.repo_url.rstrip("/")
    return (
        environment()
        .get_template("_form.html.j2")
        .render(
            steps=steps,
            check=check,
            spec_json=spec_json(spec),
            councils_json=spec_json(register_names()),
            schema_url="../schema/case-v1.json",
            ids_url=f"../{FOLDER}/catalogue-data.json",
            repo_url=repo,
            new_file_uri=config.new_file_uri.strip("/"),
            submit_email=config.submit_email,
            cases=sorted(cases, key=lambda pair: pair[1].casefold()),
            issue_url=f"{repo}/issues/new?template=propose-case.yml" if repo else "",
        )
    )


def data_dictionary_page(config: SiteConfig) -> str:
    text = data_dictionary(build_tables(config))
    meta = page_meta("Data dictionary", "Every column of every table in the data downloads.")
    return render.front_matter(meta) + text + "\n"
