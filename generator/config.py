"""The site's settings: where the site and its repository live, read once from ``mkdocs.yml``.

:func:`site_config` turns settings (MkDocs' loaded configuration, or the plain
mapping :func:`read_site_config` reads quickly) into a :class:`SiteConfig`, so
the defaults are written once. The pages, the exports and the build all use it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import CasebookError

FOLDER = "catalogue"  # generated pages live in docs/catalogue/, served at /catalogue/


@dataclass(frozen=True)
class SiteConfig:
    """What the pages and exports need to know about where the site and repository live."""

    site_url: str = "https://example.org/"
    repo_url: str = ""
    case_edit_uri: str = "edit/main/cases/"
    new_file_uri: str = "new/main/cases"
    site_name: str = "Council Data Casebook"

    def page_url(self, path: str) -> str:
        return self.site_url.rstrip("/") + "/" + path

    def case_url(self, case_id: str) -> str:
        """The address of a case's page on the published site."""
        return self.page_url(f"{FOLDER}/cases/{case_id}/")

    def edit_url(self, case_id: str) -> str:
        return f"{self.repo_url.rstrip('/')}/{self.case_edit_uri.strip('/')}/{case_id}.yaml"


def site_config(settings: Mapping[str, Any]) -> SiteConfig:
    """The site's settings from ``mkdocs.yml`` (as MkDocs loaded it, or as a plain mapping)."""
    default = SiteConfig()
    extra = (settings.get("extra") or {}).get("casebook") or {}
    return SiteConfig(
        site_url=settings.get("site_url") or default.site_url,
        repo_url=settings.get("repo_url") or default.repo_url,
        case_edit_uri=extra.get("case_edit_uri", default.case_edit_uri),
        new_file_uri=extra.get("new_file_uri", default.new_file_uri),
        site_name=settings.get("site_name") or default.site_name,
    )


class _ConfigLoader(yaml.CSafeLoader):
    """Reads mkdocs.yml without MkDocs: its own tags (!ENV, !relative) read as plain values."""


_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def read_site_config(config_file: Path) -> SiteConfig:
    """The site's settings read quickly (no theme or plugins loaded); defaults if there is no file."""
    if not config_file.is_file():
        return SiteConfig()
    try:
        raw = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    except (OSError, yaml.YAMLError) as error:
        raise CasebookError(f"cannot read {config_file}: {error}") from error
    return site_config(raw if isinstance(raw, dict) else {})
