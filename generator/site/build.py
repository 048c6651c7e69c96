"""Build the site: validate, generate pages, run MkDocs, index for search, publish.

The pipeline reads and validates everything before it writes anything, builds
into a fresh folder beside ``site/`` and swaps it in only when every step has
succeeded, so a failed build leaves the previous site intact. One build at a
time: a build holds ``.site.lock`` beside the site, and another build of the
same site stops at once while it does. A build stopped by Ctrl+C or SIGTERM
removes its work folder and its helper processes before the process exits.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..core.catalogue import Catalogue, load_catalogue
from ..core.errors import BuildError, InvalidCatalogue
from ..core.files import write_atomically
from ..core.history import added_dates
from ..core.project import FOLDER, Project, SiteConfig
from ..core.schema import CATALOG_FILENAME, SCHEMA_FILENAME, schema_catalog_json, schema_json
from ..exports import DEFAULT_FORMATS
from ..exports.export import csv_rows, export_files, write_files
from ..exports.tables import build_tables, table_rows
from .engines import ENGINES, run_mkdocs, run_zensical
from .processes import (
    Parallel,
    SearchIndexing,
    one_build_at_a_time,
    remove_leftovers,
    render_on_two_cores,
    sigterm_unwinds,
    swap,
)


@dataclass(frozen=True)
class BuildResult:
    catalogue: Catalogue
    site_dir: Path
    pages_written: int
    pages_removed: int


def mkdocs_config(config_file: Path):  # type: ignore[no-untyped-def]
    """MkDocs' own configuration, which its build needs (the project's folders come from :class:`Project`)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    try:
        config = load_config(str(config_file))
    except (ConfigurationError, OSError) as error:
        raise BuildError(f"cannot read {config_file}: {error}") from error
    # Snippets resolve against the working folder; point them at this docs folder
    # so the site builds from anywhere (mkdocs.yml keeps "docs" for plain mkdocs).
    snippets = config["mdx_configs"].get("pymdownx.snippets")
    if snippets is not None:
        snippets["base_path"] = [config["docs_dir"]]
    return config


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
    return len(write_changed(folder, pages)), removed


def write_changed(folder: Path, pages: dict[str, str]) -> list[str]:
    """Write each page whose text differs from the file's; the paths written, relative to ``folder``."""
    written = []
    for relative, text in pages.items():
        target = folder / relative
        if target.is_file() and target.read_text(encoding="utf-8") == text:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, text, durable=False)
        written.append(relative)
    return written


def generate(project: Project, today: date | None = None) -> tuple[Catalogue, int, int]:
    """Validate the catalogue and write its pages into the project's generated folder (``docs/catalogue/``).

    Reads everything before it writes anything: an invalid catalogue leaves the pages as they were.
    """
    catalogue = load_catalogue([project.cases], today=today)
    if not catalogue.ok():
        raise InvalidCatalogue(catalogue.errors)
    pages = render_on_two_cores(catalogue, project.settings, added_dates(catalogue, project.cases))
    written, removed = write_pages(project.generated, pages)
    return catalogue, written, removed


def _merge(extras: Path, site: Path) -> None:
    """Move the files written beside the build into the built site."""
    for path in sorted(extras.rglob("*")):
        if path.is_file():
            target = site / path.relative_to(extras)
            target.parent.mkdir(parents=True, exist_ok=True)
            path.replace(target)


def publish_files(site: Path, catalogue: Catalogue, config: SiteConfig) -> None:
    """Files the site serves beside its pages.

    The schema at a stable URL, and a SchemaStore-style catalogue naming it for editors; the
    research downloads (every CSV table, JSON, the data package, the Excel workbook, the SQLite
    database, the data dictionary and a zip of them all) under /downloads/; and each case's
    cases.csv row for the catalogue view's "download these results".
    """
    schema = site / "schema" / SCHEMA_FILENAME
    schema.parent.mkdir(parents=True, exist_ok=True)
    schema.write_text(schema_json(), encoding="utf-8")
    (schema.parent / CATALOG_FILENAME).write_text(schema_catalog_json(), encoding="utf-8")
    cases = sorted(catalogue.cases, key=lambda c: c.id)
    tidy = table_rows(cases, build_tables(config), spreadsheet=True)
    formats = (*DEFAULT_FORMATS, "xlsx", "sqlite")  # for Excel users, and for Datasette and SQL
    write_files(site / "downloads", export_files(cases, formats, config, zipped=True, tidy=tidy))
    rows = json.dumps(csv_rows(tidy["cases"]), ensure_ascii=False, separators=(",", ":"))
    (site / FOLDER).mkdir(parents=True, exist_ok=True)
    (site / FOLDER / "catalogue-csv.json").write_text(rows, encoding="utf-8")


# The page offering the downloads (docs/data.md) marks where each file's size goes:
# <span class="cb-size" data-download="cases.xlsx"></span>; the build fills them in once
# the files are written, as "(1.2 MB)".
DOWNLOADS_PAGE = Path("data") / "index.html"
_SIZE_MARK = re.compile(r'<span class="cb-size" data-download="([A-Za-z0-9._-]+)">[^<]*</span>')


def file_size(size: int) -> str:
    """A file's size as people read it: ``"940 bytes"``, ``"412 KB"``, ``"1.3 MB"`` (1 KB = 1,024 bytes)."""
    if size < 1024:
        return f"{size:,} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:,.0f} KB"
    return f"{size / 1024 / 1024:,.1f} MB"


def fill_download_sizes(site: Path) -> None:
    """Write each download's size into the marks the downloads page holds for them."""
    page = site / DOWNLOADS_PAGE
    if not page.is_file():
        return
    html = page.read_text(encoding="utf-8")

    def size(match: re.Match[str]) -> str:
        download = site / "downloads" / match[1]
        if not download.is_file():
            page_name = DOWNLOADS_PAGE.as_posix()
            raise BuildError(f"{page_name} gives the size of downloads/{match[1]}, which the build does not write")
        return f'<span class="cb-size" data-download="{match[1]}">({file_size(download.stat().st_size)})</span>'

    filled = _SIZE_MARK.sub(size, html)
    if filled != html:
        page.write_text(filled, encoding="utf-8")


# Material writes autocomplete="off" on its checkbox toggles, which HTML does not
# allow on checkboxes (the Nu Html Checker reports it); the attribute is dropped.
_THEME_FIXES = (
    (' type="checkbox" id="__drawer" autocomplete="off">', ' type="checkbox" id="__drawer">'),
    (' type="checkbox" id="__search" autocomplete="off">', ' type="checkbox" id="__search">'),
)


class _TidyThemeHtml:
    """Applies :data:`_THEME_FIXES` to each page as MkDocs writes it.

    Registered by :func:`build` only (not in mkdocs.yml): the pages render the
    same without it, with plain MkDocs or Zensical.
    """

    def on_post_page(self, output: str, **_: object) -> str:
        for old, new in _THEME_FIXES:
            output = output.replace(old, new, 1)
        return output


class _RequireCaseMetadata:
    """Fails the build if a case page lost its metadata (title, og:title) on the way.

    The front matter is written by a YAML emitter and the validator refuses the
    characters that could break it; this is the last line of defence: a case page
    whose front matter MkDocs could not read would show it as body text.
    """

    REQUIRED = ("title", "description", "og_title", "jsonld")

    def on_page_markdown(self, markdown: str, page: Any, **_: object) -> str:
        if page.file.src_uri.startswith(f"{FOLDER}/cases/"):
            missing = [key for key in self.REQUIRED if not (page.meta or {}).get(key)]
            if missing:
                lost = ", ".join(missing)
                raise BuildError(f"{page.file.src_uri}: the page's metadata was not read ({lost} missing)")
        return markdown


def theme_plugins() -> dict[str, object]:
    """The plugins a build registers beside mkdocs.yml's own (none of them is in mkdocs.yml)."""
    return {"casebook-tidy-theme-html": _TidyThemeHtml(), "casebook-require-case-metadata": _RequireCaseMetadata()}


def build(project: Project, today: date | None = None, engine: str = "mkdocs") -> BuildResult:
    """Build the site as MkDocs' build command does, with the catalogue's steps around it:

    1. read and validate every case, and write the pages (nothing is written if one is invalid);
    2. build with the engine (MkDocs, or Zensical) into a work folder, indexing for search and
       writing the downloads alongside;
    3. swap the finished site in at once, so a failed build leaves the previous site as it was.
    """
    if engine not in ENGINES:
        raise BuildError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
    config = mkdocs_config(project.config_file) if engine == "mkdocs" else None
    target = project.site_dir.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with sigterm_unwinds(), one_build_at_a_time(target):
        remove_leftovers(target)
        catalogue, written, removed = generate(project, today)
        _build_site(catalogue, project, config, target)
    return BuildResult(catalogue, target, written, removed)


def _build_site(catalogue: Catalogue, project: Project, config: Any, target: Path) -> None:
    """Build with the engine into a work folder beside ``target``, index and add the downloads, then swap in.

    ``config``: MkDocs' configuration, or None to build with Zensical.
    """
    workdir = Path(tempfile.mkdtemp(prefix=f".{target.name}-build-", dir=target.parent))
    staging = workdir / "site"
    search = publishing = None
    try:
        search = SearchIndexing(catalogue, workdir)
        extras = workdir / "extras"
        publishing = Parallel(publish_files, extras, catalogue, project.settings)
        if config is None:
            run_zensical(project, staging)
        else:
            config["site_dir"] = str(staging)
            for name, plugin in theme_plugins().items():
                config.plugins[name] = plugin
            run_mkdocs(config)
        search.finish(staging)
        publishing.finish("writing the data downloads")
        _merge(extras, staging)
        fill_download_sizes(staging)
        try:
            swap(staging, target)
        except OSError as error:
            raise BuildError(f"cannot put the new site in place of {target}: {error}") from error
    finally:
        if search is not None:
            search.stop()
        if publishing is not None:
            publishing.stop()
        # Removed before build() returns: a background removal raced the next build's
        # check for leftovers and, under serve, left an unreaped child process behind.
        shutil.rmtree(workdir, ignore_errors=True)
