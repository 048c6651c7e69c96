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
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .catalogue import Catalogue, load_catalogue
from .config import FOLDER, SiteConfig, site_config
from .errors import CasebookError, InvalidCatalogue
from .export import DEFAULT_FORMATS, csv_rows, export_files, write_files
from .files import write_atomically
from .history import added_dates
from .pages import render_pages, search_documents
from .schema import SCHEMA_FILENAME, schema_json
from .tables import build_tables, table_rows


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
        write_atomically(target, text, durable=False)
        written += 1
    return written, removed


def generate(cases: Path, config_file: Path, today: date | None = None) -> tuple[Catalogue, int, int]:
    """Validate the catalogue and write its pages into the docs folder ``config_file`` names."""
    return _generate(cases, _mkdocs_config(config_file), today)


def _generate(cases: Path, config: Any, today: date | None) -> tuple[Catalogue, int, int]:
    catalogue = load_catalogue([cases], today=today)
    if not catalogue.ok():
        raise InvalidCatalogue(catalogue.errors)
    pages = render_pages(catalogue, site_config(config), added_dates(catalogue, cases))
    written, removed = write_pages(Path(config["docs_dir"]) / FOLDER, pages)
    return catalogue, written, removed


def _lower_priority() -> None:
    os.nice(10)


class _SearchIndexing:
    """Pagefind indexing the cases in a second process while MkDocs builds the site.

    The documents are the cases' text rendered by the generator (no theme
    chrome), at the same paths as the built pages, so the index is ready about
    when MkDocs finishes, on the machine's other core.
    """

    def __init__(self, catalogue: Catalogue, workdir: Path) -> None:
        self.source = workdir / "documents"
        self.output = workdir / "pagefind"
        for path, html in search_documents(catalogue).items():
            target = self.source / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8")
        command = [
            sys.executable,
            "-m",
            "pagefind_bin",
            "--site",
            str(self.source),
            "--output-path",
            str(self.output),
            "--silent",
        ]
        # One thread at low priority: the index is small work next to MkDocs' build,
        # which must keep its core to itself.
        env = {**os.environ, "RAYON_NUM_THREADS": "1"}
        try:
            self.process = subprocess.Popen(
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                env=env,
                preexec_fn=_lower_priority if hasattr(os, "nice") else None,
            )
        except OSError as error:
            raise BuildError(f"cannot run the search indexer (pagefind): {error.strerror}") from error

    def finish(self, site: Path) -> None:
        output, _ = self.process.communicate()
        if self.process.returncode != 0:
            raise BuildError(f"search indexing failed: {output.strip()}")
        shutil.move(str(self.output), str(site / "pagefind"))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


class _Parallel:
    """Runs ``target(*args)`` in a forked process beside MkDocs' build (inline where fork is missing)."""

    def __init__(self, target: Any, *args: Any) -> None:
        import multiprocessing

        self.process = None
        if "fork" in multiprocessing.get_all_start_methods():
            self.process = multiprocessing.get_context("fork").Process(target=target, args=args, daemon=True)
            self.process.start()
        else:  # pragma: no cover - Windows
            target(*args)

    def finish(self, what: str) -> None:
        if self.process is None:
            return
        self.process.join()
        if self.process.exitcode != 0:
            raise BuildError(f"{what} failed (exit code {self.process.exitcode}); see the messages above")

    def stop(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.kill()
            self.process.join()


def _merge(extras: Path, site: Path) -> None:
    """Move the files written beside the build into the built site."""
    for path in sorted(extras.rglob("*")):
        if path.is_file():
            target = site / path.relative_to(extras)
            target.parent.mkdir(parents=True, exist_ok=True)
            path.replace(target)


def _publish_files(site: Path, catalogue: Catalogue, config: SiteConfig) -> None:
    """Files the site serves beside its pages.

    The schema at a stable URL; the research downloads (every CSV table, JSON,
    the data package, the data dictionary and a zip of them all) under
    /downloads/; and each case's cases.csv row for the catalogue view's
    "download these results".
    """
    schema = site / "schema" / SCHEMA_FILENAME
    schema.parent.mkdir(parents=True, exist_ok=True)
    schema.write_text(schema_json(), encoding="utf-8")
    cases = sorted(catalogue.cases, key=lambda c: c.id)
    tidy = table_rows(cases, build_tables(config), spreadsheet=True)
    write_files(site / "downloads", export_files(cases, DEFAULT_FORMATS, config, zipped=True, tidy=tidy))
    rows = json.dumps(csv_rows(tidy["cases"]), ensure_ascii=False, separators=(",", ":"))
    (site / FOLDER).mkdir(parents=True, exist_ok=True)
    (site / FOLDER / "catalogue-csv.json").write_text(rows, encoding="utf-8")


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


def _exchange(new: Path, target: Path) -> bool:
    """Swap two folders in one step (Linux's renameat2 with RENAME_EXCHANGE).

    False where that cannot be done: another system, an old kernel or C
    library, a file system without it, or no ``target`` yet.
    """
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    at_cwd, exchange = -100, 2  # AT_FDCWD, RENAME_EXCHANGE
    return bool(renameat2(at_cwd, os.fsencode(new), at_cwd, os.fsencode(target), exchange) == 0)


def _swap(new: Path, target: Path) -> None:
    """Put the built site ``new`` in place of ``target``.

    On Linux the two folders trade places in one step, so the site is never
    missing, not even for a moment, and the old site ends up at ``new``.
    Elsewhere the old site is first moved aside, beside ``new``. Either way it
    is left in the work folder, which the build removes.
    """
    if _exchange(new, target):
        return
    old = new.with_name("old-site")
    with suppress(FileNotFoundError):  # none on the first build
        target.rename(old)
    try:
        new.rename(target)
    except OSError:
        if old.exists():
            old.rename(target)
        raise


@contextmanager
def _sigterm_unwinds() -> Iterator[None]:
    """While the build runs, SIGTERM unwinds it as Ctrl+C does, so its ``finally`` blocks run.

    The work folder and the helper processes are then removed and the process
    exits with status 143 (128 + SIGTERM), instead of dying with them left
    behind. Only where SIGTERM would kill the process outright (no handler of
    its own) and in the main thread, which Python delivers signals to; the
    default comes back after the build.
    """
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGTERM) != signal.SIG_DFL:
        yield
        return

    def unwind(signum: int, frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not cut the clean-up short
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, unwind)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


@contextmanager
def _one_build_at_a_time(target: Path) -> Iterator[None]:
    """Hold ``.<site>.lock`` beside the site for the whole build; stop at once if another build holds it.

    The lock (flock) goes with the process that holds it, however that process
    ends, so a killed build never leaves the site locked. The file keeps the
    holder's process id, for the message.
    """
    if sys.platform == "win32":  # pragma: no cover - no flock; builds are not serialised there
        yield
        return
    import fcntl

    path = target.with_name(f".{target.name}.lock")
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()
            who = f"process {holder} holds" if holder.isdigit() else "it holds"
            raise BuildError(
                f"another build is running ({who} {path}); wait for it to finish, then build again"
            ) from None
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)


def _remove_leftovers(target: Path) -> None:
    """Remove the work folders of earlier builds killed outright (SIGKILL, a power cut).

    Called with the lock held, so no running build owns them.
    """
    leftover = re.compile(re.escape(f".{target.name}-build-") + r"[a-z0-9_]{8}")  # tempfile.mkdtemp's names
    for path in target.parent.iterdir():
        if leftover.fullmatch(path.name) and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


def build(
    cases: Path = Path("cases"),
    config_file: Path = Path("mkdocs.yml"),
    site_dir: Path | None = None,
    today: date | None = None,
) -> BuildResult:
    """Validate, generate, build with MkDocs (indexing for search alongside), then swap in."""
    config = _mkdocs_config(config_file)
    target = Path(site_dir or config["site_dir"]).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with _sigterm_unwinds(), _one_build_at_a_time(target):
        _remove_leftovers(target)
        catalogue, written, removed = _generate(cases, config, today)
        _build_site(catalogue, config, target)
    return BuildResult(catalogue, target, written, removed)


def _build_site(catalogue: Catalogue, config: Any, target: Path) -> None:
    """Build with MkDocs into a work folder beside ``target``, index and add the downloads, then swap in."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import MkDocsException

    workdir = Path(tempfile.mkdtemp(prefix=f".{target.name}-build-", dir=target.parent))
    staging = workdir / "site"
    config["site_dir"] = str(staging)
    config.plugins["casebook-tidy-theme-html"] = _TidyThemeHtml()
    config.plugins["casebook-require-case-metadata"] = _RequireCaseMetadata()
    search = publishing = None
    try:
        search = _SearchIndexing(catalogue, workdir)
        extras = workdir / "extras"
        publishing = _Parallel(_publish_files, extras, catalogue, site_config(config))
        try:
            mkdocs_build(config)
        except BuildError:
            raise
        except (MkDocsException, OSError) as error:
            raise BuildError(f"mkdocs build failed: {error}") from error
        except Exception as error:  # a Markdown extension's own error: report it, never a traceback
            raise BuildError(f"mkdocs build failed: {type(error).__name__}: {error}") from error
        search.finish(staging)
        publishing.finish("writing the data downloads")
        _merge(extras, staging)
        try:
            _swap(staging, target)
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
