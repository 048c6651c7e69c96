"""Reading and checking case files, one at a time or on every core.

Each file is read, parsed and checked on its own (:func:`check_bytes`); only the rules
across cases need the whole catalogue, and they run afterwards. A large catalogue is
therefore checked by forked worker processes, a share of the files each, when the
machine has more than one core and nothing else runs in this process: forking a
process with other threads running could copy a lock one of them holds.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from datetime import date
from itertools import repeat
from pathlib import Path

from .load import Document, parse_bytes, read_bytes
from .problems import Problem
from .validate import check_document

Checked = tuple[Document | None, list[Problem]]

# Below this many files a fork costs more than it saves; above it, each core takes a share.
PARALLEL_FROM = 400
MAX_WORKERS = 8


def check_bytes(data: bytes, name: str, today: date) -> Checked:
    """One case file's document (its node graph released) and every problem it has on its own."""
    doc, problems = parse_bytes(data, name)
    if doc is not None:
        problems = problems + check_document(doc, today)
        doc.release()
    return doc, problems


def check_file(path: Path, name: str, today: date) -> Checked:
    data, problems = read_bytes(path, name)
    return check_bytes(data, name, today) if data is not None else (None, problems)


def _check_for_parent(path: Path, name: str, today: date) -> Checked:
    """:func:`check_file` in a worker: the text is dropped before the document is sent back,
    halving what crosses between processes; the file is read again if a position is needed."""
    doc, problems = check_file(path, name, today)
    if doc is not None:
        doc.text, doc.source = "", path
    return doc, problems


def workers(count: int) -> int:
    """How many processes should check ``count`` files: 1 unless it is worth forking and safe to."""
    if count < PARALLEL_FROM or threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, MAX_WORKERS, count // (PARALLEL_FROM // 2)))


def check_files(files: list[Path], names: list[str], today: date) -> list[Checked]:
    """Each file checked, in the order given."""
    processes = workers(len(files))
    if processes == 1:
        return [check_file(path, name, today) for path, name in zip(files, names, strict=True)]
    chunk = -(-len(files) // (processes * 4))
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        return pool.starmap(_check_for_parent, zip(files, names, repeat(today)), chunksize=chunk)
