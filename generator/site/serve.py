"""Serve the built site locally and rebuild it when a case or page changes.

The server is MkDocs' own live-reload server, pointed at the complete built
site (search index and schema included) rather than at a bare ``mkdocs
serve``. A change under ``cases/``, ``docs/`` (except generated pages),
``overrides/`` or ``mkdocs.yml`` triggers a full build; if the catalogue stops
validating, the errors are printed and the last good site stays up.

:func:`open_server` binds the address before anything is built, so an address
that cannot be served (a port out of range or in use, an unknown host) is
reported at once, as a :class:`ServeError`; :func:`serve` then builds and serves.

Calling the server from Python also sidesteps the ``mkdocs serve`` command-line
flag whose live-reload default broke with Click 8.3: there is no flag to parse.
"""

from __future__ import annotations

import errno
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from mkdocs.livereload import LiveReloadServer

from ..core.errors import CasebookError
from ..core.project import FOLDER, Project
from ..core.schema import VOCABULARIES_FILE, data_path
from .live import LiveSite, Update, restart_process


class ServeError(CasebookError):
    """The site cannot be served at the address given."""


class Server(LiveReloadServer):
    """MkDocs' live-reload server, bound by :func:`open_server` before the first build.

    It answers each request in its own thread (socketserver's ThreadingMixIn;
    daemon threads, so an open request never holds up Ctrl+C). Its listen
    backlog is raised from socketserver's 5, with which a burst of requests
    (a page's assets, a link checker) lost connections: of 200 requests at
    once, a third got no answer within a minute. The kernel caps it at
    net.core.somaxconn.
    """

    request_queue_size = 1024
    daemon_threads = True
    _bound = False

    def serve_request(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        """Answer a request; a path no file can have (a NUL or another control character, an
        escape that is not UTF-8) gets 400 and a one-line log entry, never a 500 and a traceback."""
        path = str(environ.get("PATH_INFO", ""))
        try:
            decoded = path.encode("latin-1").decode("utf-8")
        except UnicodeError:
            decoded = "\x00"  # not UTF-8: as unusable as a NUL
        if any(ord(c) < 0x20 or c == "\x7f" for c in decoded):
            start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"400 Bad Request: the path holds a character no file name can have\n"]
        return super().serve_request(environ, start_response)

    def _build_loop(self) -> None:
        """MkDocs' rebuild loop, changed so that a request never waits for a rebuild.

        MkDocs holds every request while a build runs, so as not to serve half a site; a
        build here swaps the finished site in at once (see :mod:`generator.site.build`), so the
        last good site is served until then, and a failed build leaves it up. The epoch the
        browsers poll moves on when a build succeeds, which reloads them.
        """
        while True:
            with self._rebuild_cond:
                while not self._rebuild_cond.wait_for(
                    lambda: self._want_rebuild or self._shutdown, timeout=self.shutdown_delay
                ):
                    pass  # wake now and then, so Ctrl+C is seen
                if self._shutdown:
                    break
                while self._rebuild_cond.wait(timeout=self.build_delay):
                    pass  # until the files stop changing
                self._want_rebuild = False
            epoch = int(time.monotonic() * 1000)
            try:
                self.builder()
            except Exception:  # the builder reports its own errors; the last good site stays up
                continue
            with self._epoch_cond:
                self._wanted_epoch = self._visible_epoch = max(epoch, self._visible_epoch + 1)
                self._epoch_cond.notify_all()

    def bind(self) -> None:
        """Bind and listen now, before the first build; MkDocs' ``serve()`` then finds the socket ready."""
        self.server_bind()
        self.server_activate()
        self._bound = True
        host, port = self.socket.getsockname()[:2]  # the real port, if 0 was asked
        self.url = f"http://{f'[{host}]' if ':' in host else host}:{port}/"

    def watch_now(self) -> None:
        """Start the file watcher now, before the first build, so that an edit saved while it
        runs (or before ``serve()``) is seen: it asks for a rebuild as soon as serving starts."""
        if self._watched_paths and not self.observer.is_alive():
            self.observer.start()

    def serve(self, *, open_in_browser: bool = False) -> None:
        if self.observer.is_alive():  # started by watch_now(): MkDocs would start it twice
            self.observer.start = lambda: None  # type: ignore[method-assign]
        super().serve(open_in_browser=open_in_browser)  # type: ignore[no-untyped-call]

    def server_bind(self) -> None:
        if not self._bound:
            super().server_bind()

    def server_activate(self) -> None:
        if not self._bound:
            super().server_activate()


def parse_address(address: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:8000`` for IPv6) as a host and a port; port 0 means any free port."""
    host, _, port = address.rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if not host or not port.isdigit():
        raise ServeError(f"{address!r} is not an address: give HOST:PORT, such as 127.0.0.1:8000")
    if int(port) > 65535:
        raise ServeError(f"cannot serve on {address}: port {port} is out of range (0 to 65535)")
    try:
        if not host.isascii():
            host.encode("idna")  # as the socket will (it passes ASCII names as they are)
    except UnicodeError:
        raise ServeError(f"cannot serve on {address}: {host!r} is not a valid host name") from None
    return host, int(port)


def open_server(address: str, site_dir: Path) -> Server:
    """A server for ``site_dir``, bound to ``address`` (``HOST:PORT``) and listening.

    Raises :class:`ServeError` with a one-line message if the address cannot
    be served. Connections that arrive before :func:`serve` starts wait in the
    backlog and are answered once the first build is done.
    """
    host, port = parse_address(address)
    try:
        server = Server(builder=lambda: None, host=host, port=port, root=str(site_dir))
    except OSError as error:
        raise ServeError(f"cannot serve on {address}: {error.strerror or error}") from error
    try:
        server.bind()
    except (OSError, OverflowError) as error:
        server.server_close()
        raise ServeError(f"cannot serve on {address}: {_why(error, host, port)}") from error
    return server


def _why(error: Exception, host: str, port: int) -> str:
    if isinstance(error, socket.gaierror):
        return f"unknown host {host!r} ({error.strerror})"
    if isinstance(error, OverflowError):
        return f"port {port} is out of range (0 to 65535)"
    if isinstance(error, OSError) and error.errno == errno.EADDRINUSE:
        return f"port {port} is in use by another program; stop it or choose another port"
    return str(getattr(error, "strerror", None) or error)


def serve(
    server: Server,
    project: Project,
    report: Callable[[CasebookError], None],
    progress: Callable[[str], None] = lambda message: None,
) -> None:
    """Build the site, then serve it with ``server`` and update it on changes until Ctrl+C.

    After the first build an edit updates only what it touches (:class:`LiveSite`). Errors
    go to ``report`` and the last good site stays up; ``progress`` hears when an update
    starts and ends. The server is shut down on the way out.
    """
    site = LiveSite(replace(project, site_dir=Path(server.root)), restart=lambda: _restart(server, progress))

    def run(step: Callable[[], Update]) -> None:
        started = time.monotonic()
        try:
            done = step()
        except CasebookError as error:
            report(error)
        else:
            what = "Built" if done.full else f"Updated {done.rendered} pages of"
            progress(f"{what} {done.cases} cases in {time.monotonic() - started:.1f} s.")

    def rebuild() -> None:
        progress("Updating the site; the last good site is served meanwhile.")
        run(site.update)

    try:
        watched = [project.cases, project.config_file, *([project.overrides] if project.overrides else [])]
        format_folder = Path(str(data_path(VOCABULARIES_FILE))).parent
        for path in [*watched, *_hand_written(project.docs), format_folder]:
            if path.exists():
                server.watch(str(path))
        server.watch_now()
        run(site.build)
        server.builder = rebuild
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()


def _restart(server: Server, progress: Callable[[str], None]) -> None:
    progress("The case format changed: restarting the preview.")
    address = server.url.removeprefix("http://").rstrip("/")  # the port bound, if 0 was asked
    server.server_close()
    restart_process(["--dev-addr", address])


def _hand_written(docs: Path) -> list[Path]:
    """Everything in docs/ except the generated folder, which the build rewrites."""
    if not docs.is_dir():
        return []
    return [p for p in docs.iterdir() if p.name != FOLDER]
