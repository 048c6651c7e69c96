"""Build the site: validate, generate pages, run MkDocs, index for search, publish.

The pipeline reads and validates everything before it writes anything, builds
into a fresh folder beside ``site/`` and swaps it in only when every step has
succeeded, so a failed build leaves the previous site intact.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .catalogue import Catalogue, load_catalogue
from .errors import CasebookError, InvalidCatalogue
from .pages import FOLDER, SiteConfig, render_pages
from .schema import SCHEMA_FILENAME, schema_json


class BuildError(CasebookError):
    """A step of the build failed; the previous site is untouched."""


@dataclass(frozen=True)
class BuildResult:
    catalogue: Catalogue
    site_dir: Path
    pages_written: int
    pages_removed: int


def _mkdocs_config(config_file: Path, site_dir: Path | None = None):  # type: ignore[no-untyped-def]
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    try:
        overrides = {"site_dir": str(site_dir)} if site_dir else {}
        config = load_config(str(config_file), **overrides)
    except (ConfigurationError, OSError) as error:
        raise BuildError(f"cannot read {config_file}: {error}") from error
    # Snippets resolve against the working folder; point them at this docs folder
    # so the site builds from anywhere (mkdocs.yml keeps "docs" for plain mkdocs).
    snippets = config["mdx_configs"].get("pymdownx.snippets")
    if snippets is not None:
        snippets["base_path"] = [config["docs_dir"]]
    return config


def site_config(mkdocs_config) -> SiteConfig:  # type: ignore[no-untyped-def]
    extra = (mkdocs_config.get("extra") or {}).get("casebook", {})
    return SiteConfig(
        site_url=mkdocs_config["site_url"] or "https://example.org/",
        repo_url=mkdocs_config["repo_url"] or "",
        case_edit_uri=extra.get("case_edit_uri", "edit/main/cases/"),
        site_name=mkdocs_config["site_name"],
    )


def write_pages(folder: Path, pages: dict[str, str]) -> tuple[int, int]:
    """Make ``folder`` hold exactly ``pages``, writing only files whose text changed.

    Returns (files written, files removed).
    """
    folder.mkdir(parents=True, exist_ok=True)
    removed = 0
    for path in sorted(folder.rglob("*"), reverse=True):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and relative not in pages:
            path.unlink()
            removed += 1
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    written = 0
    for relative, text in pages.items():
        target = folder / relative
        if target.is_file() and target.read_text(encoding="utf-8") == text:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written += 1
    return written, removed


def generate(cases: Path, config_file: Path, today: date | None = None) -> tuple[Catalogue, int, int]:
    """Validate the catalogue and write its pages into the docs folder."""
    catalogue = load_catalogue([cases], today=today)
    if not catalogue.ok():
        raise InvalidCatalogue(catalogue.errors)
    config = _mkdocs_config(config_file)
    pages = render_pages(catalogue, site_config(config))
    written, removed = write_pages(Path(config["docs_dir"]) / FOLDER, pages)
    return catalogue, written, removed


def _publish_files(site: Path) -> None:
    """Files the site serves beside its pages: the schema at a stable URL."""
    schema = site / "schema" / SCHEMA_FILENAME
    schema.parent.mkdir(parents=True, exist_ok=True)
    schema.write_text(schema_json(), encoding="utf-8")


# Material writes autocomplete="off" on its checkbox toggles, which HTML does not
# allow on checkboxes (the Nu Html Checker reports it); the attribute is dropped.
_THEME_FIXES = (
    (' type="checkbox" id="__drawer" autocomplete="off">', ' type="checkbox" id="__drawer">'),
    (' type="checkbox" id="__search" autocomplete="off">', ' type="checkbox" id="__search">'),
)


def _tidy_theme_html(site: Path) -> None:
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        fixed = text
        for old, new in _THEME_FIXES:
            fixed = fixed.replace(old, new, 1)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


def _index_for_search(site: Path) -> None:
    """Index the case pages' content (not the theme's navigation) with Pagefind."""
    command = [
        sys.executable,
        "-m",
        "pagefind_bin",
        "--site",
        str(site),
        "--silent",
        "--glob",
        f"{FOLDER}/cases/*/index.html",
        "--root-selector",
        "article.md-content__inner",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BuildError(f"search indexing failed: {result.stderr.strip() or result.stdout.strip()}")


def _swap(new: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}-old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        shutil.rmtree(old)


def build(
    cases: Path = Path("cases"),
    config_file: Path = Path("mkdocs.yml"),
    site_dir: Path | None = None,
    today: date | None = None,
) -> BuildResult:
    """Validate, generate, build with MkDocs, index with Pagefind, then swap in."""
    catalogue, written, removed = generate(cases, config_file, today)
    config = _mkdocs_config(config_file)
    target = Path(site_dir or config["site_dir"]).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-build-", dir=target.parent))
    try:
        from mkdocs.commands.build import build as mkdocs_build
        from mkdocs.exceptions import MkDocsException

        config = _mkdocs_config(config_file, staging)
        try:
            mkdocs_build(config)
        except (MkDocsException, OSError) as error:
            raise BuildError(f"mkdocs build failed: {error}") from error
        except Exception as error:  # a Markdown extension's own error: report it, never a traceback
            raise BuildError(f"mkdocs build failed: {type(error).__name__}: {error}") from error
        _tidy_theme_html(staging)
        _publish_files(staging)
        _index_for_search(staging)
        _swap(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return BuildResult(catalogue, target, written, removed)
