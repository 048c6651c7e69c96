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
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from ..core.catalogue import Catalogue
from ..core.errors import BuildError
from .pages import search_documents


def lower_priority() -> None:
    os.nice(10)


class SearchIndexing:
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
                preexec_fn=lower_priority if hasattr(os, "nice") else None,
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


class Parallel:
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
