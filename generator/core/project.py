"""The project: where its cases, pages and site are, and the site's settings, read once from ``mkdocs.yml``.

:class:`Project` is what every command works on: :meth:`Project.load` resolves the
folders (cases, docs, overrides, site) and the site's settings (:class:`SiteConfig`:
where the site and its repository live) from ``mkdocs.yml`` once, relative to it as
MkDocs does, so the defaults are written here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import CasebookError

FOLDER = "catalogue"  # generated pages live in docs/catalogue/, served at /catalogue/
CASES = Path("cases")  # the case files, one YAML file each
CONFIG = Path("mkdocs.yml")  # the site's configuration


@dataclass(frozen=True)
class SiteConfig:
    """What the pages and exports need to know about where the site and repository live."""

    site_url: str = "https://example.org/"
    repo_url: str = ""
    case_edit_uri: str = "edit/main/cases/"
    new_file_uri: str = "new/main/cases"
    site_name: str = "Council Data Casebook"
    submit_email: str = ""  # where "Email it to the maintainers" on the form sends a case; none: no such button

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
        submit_email=str(extra.get("submit_email") or ""),
    )


class _ConfigLoader(yaml.CSafeLoader):
    """Reads mkdocs.yml without MkDocs: its own tags (!ENV, !relative) read as plain values."""


_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def _read_mkdocs_yml(config_file: Path) -> dict[str, Any]:
    """``mkdocs.yml`` as a plain mapping, read quickly (no theme or plugins loaded); {} if there is none."""
    if not config_file.is_file():
        return {}
    try:
        raw = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    except (OSError, yaml.YAMLError) as error:
        raise CasebookError(f"cannot read {config_file}: {error}") from error
    return raw if isinstance(raw, dict) else {}


@dataclass(frozen=True)
class Project:
    """A catalogue and its site: the folders every command reads or writes, and the site's settings."""

    cases: Path = CASES
    config_file: Path = CONFIG
    docs: Path = Path("docs")
    overrides: Path | None = None
    site_dir: Path = Path("site")
    settings: SiteConfig = SiteConfig()

    @classmethod
    def load(cls, cases: Path | None = None, config_file: Path | None = None, site_dir: Path | None = None) -> Project:
        """The project of ``config_file`` (``mkdocs.yml``): folders relative to it, as MkDocs reads them;
        ``cases`` and ``site_dir`` given here win over the defaults and the file."""
        config_file = config_file or CONFIG
        raw = _read_mkdocs_yml(config_file)
        base = config_file.parent
        theme = raw.get("theme") if isinstance(raw.get("theme"), dict) else {}
        custom = theme.get("custom_dir") if isinstance(theme, dict) else None
        return cls(
            cases=cases or CASES,
            config_file=config_file,
            docs=base / str(raw.get("docs_dir") or "docs"),
            overrides=base / str(custom) if custom else None,
            site_dir=site_dir or base / str(raw.get("site_dir") or "site"),
            settings=site_config(raw),
        )

    @property
    def generated(self) -> Path:
        """The folder the generated pages are written to (``docs/catalogue/``)."""
        return self.docs / FOLDER
