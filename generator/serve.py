"""Serve the built site locally and rebuild it when a case or page changes.

The server is MkDocs' own live-reload server, pointed at the complete built
site (search index and schema included) rather than at a bare ``mkdocs
serve``. A change under ``cases/``, ``docs/`` (except generated pages),
``overrides/`` or ``mkdocs.yml`` triggers a full build; if the catalogue stops
validating, the errors are printed and the last good site stays up.

Calling the server from Python also sidesteps the ``mkdocs serve`` command-line
flag whose live-reload default broke with Click 8.3: there is no flag to parse.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .build import build
from .errors import CasebookError
from .pages import FOLDER


def serve(
    host: str, port: int, cases: Path, config_file: Path, site_dir: Path, report: Callable[[CasebookError], None]
) -> None:
    from mkdocs.livereload import LiveReloadServer

    def rebuild() -> None:
        try:
            build(cases, config_file, site_dir)
        except CasebookError as error:
            report(error)

    rebuild()
    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(site_dir))
    docs = config_file.parent / "docs"
    for path in [cases, config_file, config_file.parent / "overrides", *_hand_written(docs)]:
        if path.exists():
            server.watch(str(path))
    try:
        server.serve()  # type: ignore[no-untyped-call]
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()


def _hand_written(docs: Path) -> list[Path]:
    """Everything in docs/ except the generated folder, which the build rewrites."""
    if not docs.is_dir():
        return []
    return [p for p in docs.iterdir() if p.name != FOLDER]
