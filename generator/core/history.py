"""When each case joined the catalogue: the date its file first appeared in git.

One ``git log`` call per cases folder and process, cached. Where there is no
git history (a tarball, a test folder, git not installed) or a file is not
committed yet, a case's ``last_reviewed`` date stands in.
"""

from __future__ import annotations

import re
import subprocess
from functools import cache
from pathlib import Path
from typing import NamedTuple

from .catalogue import Catalogue

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Added(NamedTuple):
    """When a case joined the catalogue: the day, and how many commits ago (-1: not committed)."""

    date: str
    age: int


@cache
def _git_added(folder: str) -> dict[str, Added]:
    """File name (relative to ``folder``) -> the earliest commit that added it."""
    command = ["git", "log", "--diff-filter=A", "--format=%as", "--name-only", "--relative", "--", "."]
    try:
        result = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return {}
    if result.returncode != 0:
        return {}
    added: dict[str, Added] = {}
    day, age = "", -1
    for line in result.stdout.splitlines():
        if _DATE.fullmatch(line):
            day, age = line, age + 1
        elif line and day:
            added[line] = Added(day, age)  # newest commit first: the last one seen is the earliest
    return added


def added_dates(catalogue: Catalogue, folder: Path) -> dict[str, Added]:
    """Each case's id -> when it was added to the catalogue.

    The date its file first appeared in git (commits of the same day in their
    order), or its ``last_reviewed`` date where git has no record of the file.
    """
    root = folder.resolve()
    committed = _git_added(str(root)) if root.is_dir() else {}
    dates = {}
    for case in catalogue.cases:
        try:
            name = Path(case.file).resolve().relative_to(root).as_posix()
        except ValueError:
            name = ""
        dates[case.id] = committed.get(name) or Added(str(case["last_reviewed"]), -1)
    return dates
