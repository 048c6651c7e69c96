"""Which case files a change touches, from git, for `validate --changed`."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import CasebookError
from .problems import Problem
from .rules import CROSS_FILE_RULES


@dataclass(frozen=True)
class Change:
    changed: frozenset[Path]  # case files added, modified or renamed (their new paths)
    removed_ids: frozenset[str]  # ids whose files were deleted or renamed away

    def problems_of(self, problems: list[Problem]) -> list[Problem]:
        """The problems in the changed files, and those of the cross-file rules a change can break
        anywhere (a renamed id still listed in another case's related)."""
        names = {str(p.resolve()) for p in self.changed}
        return [p for p in problems if str(Path(p.file).resolve()) in names or p.rule in CROSS_FILE_RULES]


def _git(args: list[str], cwd: Path) -> str:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except OSError as error:
        raise CasebookError(f"cannot run git: {error.strerror}") from error
    if result.returncode != 0:
        raise CasebookError(f"git {' '.join(args[:2])} failed: {result.stderr.strip()}")
    return result.stdout


def changed_cases(cases: Path, base: str) -> Change:
    """Case files changed between ``base`` and the working tree (untracked files included)."""
    folder = cases.resolve()
    top = Path(_git(["rev-parse", "--show-toplevel"], folder).strip())
    changed: set[Path] = set()
    removed: set[str] = set()
    diff = _git(["diff", "--name-status", "-M", base, "--", str(folder)], top)
    for line in diff.splitlines():
        status, *names = line.split("\t")
        if status.startswith("D"):
            removed.add(Path(names[0]).stem)
        elif status.startswith("R"):
            removed.add(Path(names[0]).stem)
            changed.add(top / names[1])
        else:
            changed.add(top / names[-1])
    untracked = _git(["ls-files", "--others", "--exclude-standard", "--", str(folder)], top)
    changed.update(top / name for name in untracked.splitlines())
    suffixes = (".yaml", ".yml")
    return Change(frozenset(p for p in changed if p.suffix in suffixes and p.exists()), frozenset(removed))
