"""The live preview's site: built once, then updated page by page as files change.

``casebook serve`` builds the whole site first (:func:`generator.site.build.build`).
After that, an edit costs what it touches: case files are re-read only when their
bytes changed (:class:`~generator.core.catalogue.ReadCache`), the generated pages that
an edited case appears on are rendered again (:func:`~generator.site.pages.touched`),
and MkDocs turns only the pages whose Markdown changed into HTML, with the theme and the
navigation it loaded once. The search index and the data downloads follow a moment
later, in the background. A change to ``mkdocs.yml``, the theme overrides or an
include rebuilds the whole site; a change to the case format (the schema or the
vocabularies) restarts the preview, since every part of the program reads them.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.catalogue import Catalogue, ReadCache, load_catalogue
from ..core.errors import BuildError, InvalidCatalogue
from ..core.history import added_dates
from ..core.project import FOLDER, Project
from ..core.schema import data_path
from .build import build, fill_download_sizes, mkdocs_config, publish_files, theme_plugins, write_changed
from .pages import Selection, render_pages, touched
from .processes import Parallel, SearchIndexing

Snapshot = dict[Path, int]


def _snapshot(paths: Iterable[Path]) -> Snapshot:
    """Each file under ``paths`` with its modification time (nanoseconds)."""
    found: Snapshot = {}
    for root in paths:
        if root.is_file():
            found[root] = root.stat().st_mtime_ns
        elif root.is_dir():
            for path in root.rglob("*"):
                if path.is_file():
                    found[path] = path.stat().st_mtime_ns
    return found


def _changed(before: Snapshot, after: Snapshot) -> set[Path]:
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


@dataclass
class Update:
    """What one update did: how many generated pages changed, and how many pages MkDocs rendered."""

    cases: int
    generated: int
    rendered: int
    full: bool = False


class LiveSite:
    """The site of a project in ``site_dir``, kept up to date with its files."""

    def __init__(self, project: Project, restart: Callable[[], None] = lambda: None) -> None:
        self.project = project
        self.restart = restart
        self.cache = ReadCache()
        self.catalogue: Catalogue | None = None
        self.mkdocs: _MkDocs | None = None
        self.refresher = _Refresher(project)

    # -- what the preview watches ------------------------------------------------------------
    def _hand_written(self) -> list[Path]:
        docs = self.project.docs
        return [p for p in docs.iterdir() if p.name != FOLDER] if docs.is_dir() else []

    def _theme(self) -> list[Path]:
        return [self.project.config_file, *([self.project.overrides] if self.project.overrides else [])]

    def _format(self) -> list[Path]:
        return [Path(str(data_path("case-v1.schema.json"))), Path(str(data_path("vocabularies.yaml")))]

    # -- building -----------------------------------------------------------------------------
    def build(self) -> Update:
        """The whole site, from nothing: validate, generate, MkDocs, search, downloads."""
        self.refresher.wait()
        result = build(self.project)
        self.catalogue = load_catalogue([self.project.cases], cache=self.cache)
        self.mkdocs = _MkDocs(self.project)
        self.theme, self.docs, self.format = (
            _snapshot(self._theme()),
            _snapshot(self._hand_written()),
            _snapshot(self._format()),
        )
        return Update(len(result.catalogue), result.pages_written, 0, full=True)

    def update(self) -> Update:
        """Bring the site up to date with what changed on disk since the last build or update."""
        if self.mkdocs is None or self.catalogue is None:
            return self.build()
        if _changed(self.format, _snapshot(self._format())):
            self.restart()
            return Update(0, 0, 0, full=True)
        if _changed(self.theme, _snapshot(self._theme())):
            return self.build()
        catalogue = load_catalogue([self.project.cases], cache=self.cache)
        if not catalogue.ok():
            raise InvalidCatalogue(catalogue.errors)
        selection = touched(self.catalogue, catalogue)
        pages = render_pages(catalogue, self.project.settings, added_dates(catalogue, self.project.cases), selection)
        gone = _gone(self.catalogue, catalogue, selection)
        written = _write(self.project.generated, pages, gone)
        docs = _snapshot(self._hand_written())
        edited = [p.relative_to(self.project.docs).as_posix() for p in _changed(self.docs, docs) if p.suffix == ".md"]
        rendered = self.mkdocs.render(
            [f"{FOLDER}/{page}" for page in written] + edited, [f"{FOLDER}/{p}" for p in gone]
        )
        self.catalogue, self.docs = catalogue, docs
        self.refresher.request(catalogue)
        return Update(len(catalogue), len(written), rendered)


class _Refresher:
    """Refreshes the search index and the downloads in one background thread, once the edits
    pause: a run of quick edits costs one refresh of the latest catalogue, and never delays
    the next edit's pages."""

    def __init__(self, project: Project, pause: float = 1.0) -> None:
        self.project = project
        self.pause = pause
        self.lock = threading.Lock()
        self.pending: Catalogue | None = None
        self.due = 0.0
        self.thread: threading.Thread | None = None

    def request(self, catalogue: Catalogue) -> None:
        with self.lock:
            self.pending, self.due = catalogue, time.monotonic() + self.pause
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, daemon=True)
                self.thread.start()

    def _run(self) -> None:
        while True:
            with self.lock:
                wait = self.due - time.monotonic()
                catalogue = self.pending if wait <= 0 else None
                if catalogue is not None:
                    self.pending = None
                elif self.pending is None:
                    self.thread = None
                    return
            if catalogue is None:
                time.sleep(wait)
            else:
                _refresh(catalogue, self.project)

    def wait(self) -> None:
        """Until the refreshes asked for are done (before a full build replaces them)."""
        while (thread := self.thread) is not None:
            thread.join()


def _gone(before: Catalogue, after: Catalogue, selection: Selection) -> list[str]:
    """Generated pages of cases and councils that no longer exist."""
    from .pages.councils import council_cases

    cases = {c.id for c in before.cases} - {c.id for c in after.cases}
    councils = set(council_cases(before)) - set(council_cases(after))
    return [f"cases/{i}.md" for i in sorted(cases)] + [f"councils/{code.lower()}/index.md" for code in sorted(councils)]


def _write(folder: Path, pages: dict[str, str], gone: list[str]) -> list[str]:
    """Write the pages whose text changed and remove those gone; the paths written."""
    written = write_changed(folder, pages)
    for relative in gone:
        (folder / relative).unlink(missing_ok=True)
    return written


def _refresh(catalogue: Catalogue, project: Project) -> None:
    """Index the cases for search and write the downloads beside the site, then move them in."""
    site = project.site_dir
    with tempfile.TemporaryDirectory(prefix=".live-", dir=site.parent) as work:
        search = publishing = None
        try:
            search = SearchIndexing(catalogue, Path(work))
            extras = Path(work) / "extras"
            # A process of its own: in this one, it would hold the interpreter's lock
            # while the next edit's pages render.
            publishing = Parallel(publish_files, extras, catalogue, project.settings)
            fresh = Path(work) / "site"
            fresh.mkdir()
            search.finish(fresh)
            publishing.finish("writing the data downloads")
        except BuildError:
            return  # the last index and downloads stay; the next full build writes them again
        finally:
            for helper in (search, publishing):
                if helper is not None:
                    helper.stop()
        for folder in (fresh / "pagefind", extras / "downloads", extras / "schema"):
            target = site / folder.name
            if folder.is_dir():
                old = Path(work) / f"old-{folder.name}"
                if target.exists():
                    target.rename(old)
                folder.rename(target)
        for path in extras.rglob("*"):
            if path.is_file():
                destination = site / path.relative_to(extras)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(path), destination)
        fill_download_sizes(site)


class _MkDocs:
    """MkDocs, loaded once for the site being served: its configuration, files, navigation and
    theme, so that one page is rendered the way a full build renders it."""

    def __init__(self, project: Project) -> None:
        from mkdocs.structure.files import get_files, set_exclusions
        from mkdocs.structure.nav import get_navigation

        self.project = project
        self.config = mkdocs_config(project.config_file)
        self.config["site_dir"] = str(project.site_dir.resolve())
        for name, plugin in theme_plugins().items():
            self.config.plugins[name] = plugin
        self.files = get_files(self.config)
        self.env = self.config.theme.get_env()
        self.files.add_files_from_theme(self.env, self.config)
        set_exclusions(self.files, self.config)
        self.nav = get_navigation(self.files, self.config)
        for page in self.nav.pages:  # the navigation shows their titles on every page
            self._populate(page)
        self.includes = _includes(project.docs)

    def _populate(self, page: Any) -> None:
        from mkdocs.commands.build import _populate_page

        _populate_page(page, self.config, self.files)

    def render(self, changed: list[str], gone: list[str]) -> int:
        """Render the pages whose Markdown changed (and those that include one), remove those gone."""
        from mkdocs.commands.build import _build_page
        from mkdocs.structure.files import File, set_exclusions
        from mkdocs.structure.pages import Page

        wanted = set(changed) | {self.includes[p] for p in changed if p in self.includes}
        for src in gone:
            file = self.files.get_file_from_path(src)
            if file is not None:
                Path(file.abs_dest_path).unlink(missing_ok=True)
                self.files.remove(file)
        added = [src for src in wanted if self.files.get_file_from_path(src) is None]
        for src in added:
            self.files.append(
                File(src, self.config["docs_dir"], self.config["site_dir"], self.config["use_directory_urls"])
            )
        if added:
            set_exclusions(self.files, self.config)
        pages = self.files.documentation_pages()
        rendered = 0
        for file in pages:
            if file.src_uri not in wanted:
                continue
            page = file.page if file.page is not None else Page(None, file, self.config)
            self._populate(page)
            _build_page(page, self.config, pages, self.nav, self.env)
            rendered += 1
        return rendered


def _includes(docs: Path) -> dict[str, str]:
    """Generated pages that hand-written pages include whole (``--8<-- "catalogue/_home.md"``), by
    the included page: its includer is rendered again when it changes."""
    found = {}
    for page in docs.glob("*.md"):
        for line in page.read_text(encoding="utf-8").splitlines():
            if line.startswith('--8<-- "') and line.endswith('"'):
                found[line[len('--8<-- "') : -1]] = page.name
    return found


def restart_process(options: list[str]) -> None:
    """Start this command again in the same process, so every module reads the changed case format.

    ``options`` go after the command's own; an option given twice takes the last value, so
    the preview comes back on the port it had even when it was started with port 0.
    """
    os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:], *options])
