"""The processes and file-system steps around a build: what runs beside MkDocs and how a site is swapped in.

A build indexes for search (Pagefind, in a second process) and writes the data
downloads (a forked process) while MkDocs builds, on the machine's other core. It holds
a lock so only one build of a site runs at a time, unwinds on SIGTERM as on Ctrl+C so
its work folder and helpers are removed, and swaps the finished site in one step.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from ..core.catalogue import Catalogue
from ..core.checking import workers
from ..core.errors import BuildError
from ..core.history import Added
from ..core.project import SiteConfig
from .pages import Selection, case_page, render_pages, search_documents


def lower_priority() -> None:
    os.nice(10)


class SearchIndexing:
    """Pagefind indexing the cases in a forked process while MkDocs builds the site.

    The documents are the cases' text rendered by the generator (no theme chrome), at the
    same paths as the built pages. The forked process writes them and runs Pagefind at low
    priority, so neither delays MkDocs' build, which keeps its core to itself; the index is
    ready about when MkDocs finishes.
    """

    def __init__(self, catalogue: Catalogue, workdir: Path) -> None:
        self.output = workdir / "pagefind"
        self.log = workdir / "pagefind.log"
        self.work = Parallel(_index, catalogue, workdir / "documents", self.output, self.log, group=True)

    def finish(self, site: Path) -> None:
        try:
            self.work.finish("search indexing")
        except BuildError as error:
            said = self.log.read_text(encoding="utf-8").strip() if self.log.is_file() else ""
            raise BuildError(f"search indexing failed: {said or error}") from error
        shutil.move(str(self.output), str(site / "pagefind"))

    def stop(self) -> None:
        self.work.stop()


def _index(catalogue: Catalogue, source: Path, output: Path, log: Path) -> None:
    """Write the search documents and index them with Pagefind (one thread); exits with
    status 1 if Pagefind fails, its messages in ``log``."""
    for path, html in search_documents(catalogue).items():
        target = source / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    command = [sys.executable, "-m", "pagefind_bin", "--site", str(source), "--output-path", str(output), "--silent"]
    with log.open("w", encoding="utf-8") as out:
        # SIGTERM (Parallel.stop) ends Pagefind, and this process once it has reaped it: held
        # back while Pagefind starts, so it never finds Pagefind started and not yet known.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
        try:
            indexer = subprocess.Popen(
                command, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "RAYON_NUM_THREADS": "1"}
            )
        except OSError as error:
            out.write(f"cannot run the search indexer (pagefind): {error.strerror}")
            sys.exit(1)
        signal.signal(signal.SIGTERM, lambda *_: indexer.kill())
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
        status = indexer.wait()
    if status != 0:
        sys.exit(1)


def render_on_two_cores(
    catalogue: Catalogue, config: SiteConfig, added: Mapping[str, Added] | None = None
) -> dict[str, str]:
    """Every generated page, as :func:`render_pages` gives them; for a large catalogue, a forked
    process renders every other case page meanwhile (when it is worth it and safe to fork, as
    :func:`generator.core.checking.workers` decides)."""
    ids = [case.id for case in catalogue.cases]
    if workers(len(ids)) < 2:
        return render_pages(catalogue, config, added)
    import multiprocessing

    share = frozenset(ids[1::2])
    receive, send = multiprocessing.get_context("fork").Pipe(duplex=False)
    helper = Parallel(_send_case_pages, send, catalogue, config, share)
    send.close()
    try:
        pages = render_pages(catalogue, config, added, Selection(cases=frozenset(ids) - share))
        try:
            pages.update(receive.recv())
        except EOFError:
            helper.finish("rendering the case pages")
            raise BuildError("rendering the case pages failed") from None
        helper.finish("rendering the case pages")
    finally:
        helper.stop()
        receive.close()
    return pages


def _send_case_pages(send: Any, catalogue: Catalogue, config: SiteConfig, ids: frozenset[str]) -> None:
    send.send({f"cases/{case.id}.md": case_page(case, catalogue, config) for case in catalogue.cases if case.id in ids})
    send.close()


class Parallel:
    """Runs ``target(*args)`` in a forked process beside MkDocs' build, at low priority so that the
    build keeps its core (inline where fork is missing).

    ``group``: the process leads a process group of its own, and :meth:`stop` ends the whole
    group, with the programs it started.
    """

    def __init__(self, target: Any, *args: Any, group: bool = False) -> None:
        import multiprocessing

        self.process = None
        self.group = group
        if "fork" in multiprocessing.get_all_start_methods():
            self.process = multiprocessing.get_context("fork").Process(
                target=_in_background, args=(group, target, *args), daemon=True
            )
            self.process.start()
            pid = self.process.pid
            if group and pid is not None:  # set on both sides, so that the group exists whichever runs first
                with suppress(OSError):
                    os.setpgid(pid, pid)
        else:  # pragma: no cover - Windows
            try:
                target(*args)
            except SystemExit as error:
                raise BuildError(f"{getattr(target, '__name__', 'a step')} failed (exit code {error.code})") from None

    def finish(self, what: str) -> None:
        if self.process is None:
            return
        self.process.join()
        if self.process.exitcode != 0:
            raise BuildError(f"{what} failed (exit code {self.process.exitcode}); see the messages above")

    def stop(self) -> None:
        """End the process; with ``group``, first ask it (SIGTERM) to end what it started and reap it."""
        if self.process is None:
            return
        if self.group and self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        if self.group and self.process.pid is not None:
            with suppress(ProcessLookupError, PermissionError):  # whatever of the group is left
                os.killpg(self.process.pid, signal.SIGKILL)


def _in_background(group: bool, target: Any, *args: Any) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the build's handler, which unwinds the build
    if group:
        with suppress(OSError):
            os.setpgid(0, 0)
    if hasattr(os, "nice"):
        lower_priority()
    target(*args)


def exchange(new: Path, target: Path) -> bool:
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


def swap(new: Path, target: Path) -> None:
    """Put the built site ``new`` in place of ``target``.

    On Linux the two folders trade places in one step, so the site is never
    missing, not even for a moment, and the old site ends up at ``new``.
    Elsewhere the old site is first moved aside, beside ``new``. Either way it
    is left in the work folder, which the build removes.
    """
    if exchange(new, target):
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
def sigterm_unwinds() -> Iterator[None]:
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
def one_build_at_a_time(target: Path) -> Iterator[None]:
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


def remove_leftovers(target: Path) -> None:
    """Remove the work folders of earlier builds killed outright (SIGKILL, a power cut).

    Called with the lock held, so no running build owns them.
    """
    leftover = re.compile(re.escape(f".{target.name}-build-") + r"[a-z0-9_]{8}")  # tempfile.mkdtemp's names
    for path in target.parent.iterdir():
        if leftover.fullmatch(path.name) and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
