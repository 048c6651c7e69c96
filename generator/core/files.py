"""Reading the case folder and writing files: the project's only file-system edges.

:func:`write_atomically` is the one way the project writes a file (``fmt``, the
exports, the generated pages): a temporary file beside the target, flushed and
renamed over it, so a reader never sees half a file and a failure leaves the
old one as it was. An existing file keeps its mode; a new one gets the mode the
umask gives, as any other program's would. A symbolic link is never written
through or replaced.

:func:`case_files` lists a folder of case files, refusing what cannot be a case:
links that lead out of the folder or nowhere (never read), folders, FIFOs and
devices, hidden files and names that almost end in ``.yaml``.
"""

from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import CasebookError

CASE_SUFFIX = ".yaml"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomically(path: Path, data: bytes | str, *, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` all at once (text is written as UTF-8, line ends as given).

    ``durable`` flushes the file to disk before the rename (fsync): a case file or
    an export survives a power cut; generated pages, which the next build writes
    again, skip it.
    """
    if path.is_symlink():
        raise CasebookError(f"{path} is a symbolic link; it is left as it is (write to the file it points to)")
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    payload = data.encode("utf-8") if isinstance(data, str) else data
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
            if durable:
                out.flush()
                os.fsync(out.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


@dataclass(frozen=True)
class Refused:
    """An entry of a case folder that cannot be read as a case, and why."""

    path: Path
    rule: str
    message: str


def _inside(path: Path, root: Path) -> bool:
    return root in path.parents


def check_entry(path: Path) -> Refused | None:
    """Why ``path`` cannot be read as a case file, or None if it can (nothing is opened).

    A symbolic link may only lead to a file in the folder that holds it (or below):
    a link to a token, a key or ``.git/config`` elsewhere is refused without being read,
    so no message can quote it.
    """
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return Refused(path, "file-link", "is a broken symbolic link; remove it or point it at a case file")
        folder = path.parent.resolve()
        if not _inside(target, folder):
            return Refused(path, "file-link", f"is a symbolic link to a file outside its folder ({folder}); not read")
    try:
        mode = path.stat().st_mode
    except OSError as error:
        return Refused(path, "file-read", f"cannot read it: {error.strerror}")
    if stat.S_ISDIR(mode):
        return Refused(path, "file-type", "is a folder, not a case file")
    if not stat.S_ISREG(mode):
        return Refused(path, "file-type", "is not a regular file (a FIFO, socket or device); not read")
    return None


def _looks_like_case(name: str) -> bool:
    """Whether a name is, or was probably meant to be, a case file's (``x.yaml``, ``x.YAML ``, ``.x.yaml``)."""
    return name.strip().lower().endswith((".yaml", ".yml"))


def _name_problem(path: Path) -> Refused | None:
    """Why a case-like name cannot be a case file's: hidden, or not quite ending in ``.yaml``."""
    name = path.name
    stem = name.strip()[: name.strip().rfind(".")].strip()
    if name.startswith("."):
        return Refused(
            path, "file-name", f"is a hidden file (its name starts with a dot); rename it to {stem.lstrip('.')}.yaml"
        )
    if not name.endswith((".yaml", ".yml")) or name != name.strip():
        return Refused(path, "file-extension", f"case files end in .yaml; rename it to {stem.lower()}.yaml")
    return None


def case_files(folder: Path) -> tuple[list[Path], list[Refused]]:
    """The case files of ``folder`` (sorted) and the entries refused.

    ``.yml`` files are listed: the validator tells the user to rename them.
    A hidden file (``.x.yaml``) or a name that almost ends in ``.yaml`` (``x.YAML``,
    ``x.yaml `` with a space) is refused with the name to use, never skipped in silence.
    """
    try:
        names = sorted(os.listdir(folder))
    except OSError as error:
        raise CasebookError(f"cannot list the folder {folder}: {error.strerror}") from error
    files: list[Path] = []
    refused: list[Refused] = []
    for name in names:
        if not _looks_like_case(name):
            continue
        path = folder / name
        problem = check_entry(path) or _name_problem(path)
        if problem is None:
            files.append(path)
        else:
            refused.append(problem)
    return files, refused


def sibling_ids(folders: set[Path]) -> set[str]:
    """Ids of the cases in ``folders`` (file names, as ids equal them)."""
    ids: set[str] = set()
    for folder in folders:
        try:
            names = os.listdir(folder)
        except OSError as error:
            raise CasebookError(f"cannot list the folder {folder} to check related ids: {error.strerror}") from error
        ids.update(name[: -len(CASE_SUFFIX)] for name in names if name.endswith(CASE_SUFFIX))
    return ids
