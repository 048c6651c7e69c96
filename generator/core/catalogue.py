"""The catalogue: every validated case, with indexes and the related-case graph.

:func:`load_catalogue` is the one load path. The validator, the site and the
exports all call it; none of them reads YAML on its own.
"""

from __future__ import annotations

import gc
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .checking import check_bytes, check_files
from .errors import CasebookError
from .explain import vocabulary_problems
from .facets import FACETS_BY_NAME
from .files import Refused, case_files, check_entry, sibling_ids
from .load import Document, read_bytes
from .problems import Problem
from .project import CASES
from .rules import catalogue_rules
from .schema import case_schema

DEFAULT_LICENCE = str(case_schema()["properties"]["licence"]["default"])


@dataclass(frozen=True)
class Case:
    """One valid case: its id, the file it came from and its data as loaded."""

    id: str
    file: str
    data: dict[str, Any] = field(repr=False)

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    @property
    def title(self) -> str:
        return str(self.data["title"])

    @property
    def licence(self) -> str:
        return str(self.data.get("licence", DEFAULT_LICENCE))

    def facet_values(self, facet: str) -> list[Any]:
        """The case's values of ``facet``, read once (a case's data never changes once loaded)."""
        cached: dict[str, list[Any]] = self.__dict__.setdefault("_facet_values", {})
        if facet not in cached:
            cached[facet] = FACETS_BY_NAME[facet].values(self.data)
        return cached[facet]


@dataclass
class Catalogue:
    """Validated cases (sorted by id) and every problem found on the way."""

    cases: list[Case]
    problems: list[Problem]
    files: list[str]

    def __post_init__(self) -> None:
        self._indexes: dict[str, dict[Any, list[Case]]] = {}
        self._by_id = {case.id: case for case in self.cases}
        self._related: dict[str, set[str]] = defaultdict(set)
        for case in self.cases:
            for other in case.get("related", []):
                if other in self._by_id:
                    self._related[case.id].add(other)
                    self._related[other].add(case.id)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def ok(self, *, strict: bool = False) -> bool:
        return not (self.problems if strict else self.errors)

    @property
    def invalid_files(self) -> list[str]:
        return sorted({p.file for p in self.errors})

    def __len__(self) -> int:
        return len(self.cases)

    def __iter__(self) -> Iterator[Case]:
        return iter(self.cases)

    def get(self, case_id: str) -> Case | None:
        return self._by_id.get(case_id)

    def related(self, case_id: str) -> list[Case]:
        """Cases related to ``case_id`` in either direction, sorted by id."""
        return [self._by_id[i] for i in sorted(self._related.get(case_id, ()))]

    def index(self, facet: str) -> dict[Any, list[Case]]:
        """Cases by each value of ``facet`` (see :mod:`generator.core.facets`), worked out once."""
        if facet not in self._indexes:
            groups: dict[Any, list[Case]] = defaultdict(list)
            for case in self.cases:
                for value in case.facet_values(facet):
                    groups[value].append(case)
            self._indexes[facet] = dict(groups)
        return self._indexes[facet]

    def filter(self, criteria: Mapping[str, Sequence[Any]]) -> list[Case]:
        """Cases that match every facet in ``criteria`` (any of its values)."""
        wanted = {name: {str(v) for v in values} for name, values in criteria.items() if values}
        return [
            case
            for case in self.cases
            if all(values & {str(v) for v in case.facet_values(name)} for name, values in wanted.items())
        ]


def _display(path: Path, cwd: Path) -> str:
    """The path as a user should see it: relative to the working folder if inside it."""
    try:
        return str(path.absolute().relative_to(cwd))
    except ValueError:
        return str(path)


def find_case_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[Problem]]:
    """The case files named by ``paths`` (files, or folders of ``*.yaml``) and the entries refused.

    Nothing outside the repository is read through a link, and nothing that is
    not a regular file is opened. Naming no case file at all is an error.
    """
    found: list[Path] = []
    refused: list[Refused] = []
    cwd = Path.cwd()
    for raw in paths:
        path = Path(raw)
        if path.is_dir() and not path.is_symlink():
            files, odd = case_files(path)
            found.extend(files)
            refused.extend(odd)
        elif path.is_symlink() or path.exists():
            problem = check_entry(path)
            if problem is None:
                found.append(path)
            else:
                refused.append(problem)
        else:
            raise CasebookError(f"no such file or folder: {raw}")
    if not found and not refused:
        named = ", ".join(str(p) for p in paths)
        raise CasebookError(f"no case files in {named} (case files are named <id>.yaml)")
    problems = [Problem(_display(r.path, cwd), 1, 1, "", r.rule, r.message) for r in refused]
    return list(dict.fromkeys(found)), problems


@dataclass
class ReadCache:
    """What reading and checking each case file gave, by path, with the digest of the bytes read.

    A file whose bytes are the same as last time is neither parsed nor checked again: ``casebook
    serve`` keeps one across rebuilds, so an edit costs the parse of the file edited.
    """

    entries: dict[Path, tuple[bytes, date, Document | None, list[Problem]]] = field(default_factory=dict)

    def read(self, path: Path, name: str, today: date) -> tuple[Document | None, list[Problem]]:
        data, problems = read_bytes(path, name)
        if data is None:
            self.entries.pop(path, None)
            return None, problems
        digest = hashlib.blake2b(data, digest_size=16).digest()
        cached = self.entries.get(path)
        if cached is not None and cached[:2] == (digest, today):
            return cached[2], list(cached[3])
        doc, problems = check_bytes(data, name, today)
        self.entries[path] = (digest, today, doc, problems)
        return doc, list(problems)


def load_catalogue(
    paths: Iterable[str | Path] = (CASES,),
    *,
    today: date | None = None,
    known_ids: Iterable[str] = (),
    cache: ReadCache | None = None,
) -> Catalogue:
    """Load, validate and index the cases at ``paths``.

    Returns every case that has no errors, and every problem (errors and
    warnings) found in any file. ``related`` ids are checked against all the
    cases in the folders of the files named (and ``known_ids``), so one file
    can be checked alone. With a ``cache``, files unchanged since it last read
    them are not read again.
    """
    today = today or date.today()
    with _collector_paused():
        return _load(paths, today, known_ids, cache)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while loading.

    Loading builds millions of small, acyclic objects; the collector would walk
    the growing heap again and again (about a sixth of the time at 10,000 cases).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load(paths: Iterable[str | Path], today: date, known_ids: Iterable[str], cache: ReadCache | None) -> Catalogue:
    files, problems = find_case_files(paths)
    problems.extend(vocabulary_problems())
    cwd = Path.cwd()
    names = [_display(path, cwd) for path in files]
    if cache is not None:
        checked = [cache.read(path, name, today) for path, name in zip(files, names, strict=True)]
    else:
        checked = check_files(files, names, today)
    docs: list[Document] = []
    for doc, found in checked:
        problems.extend(found)
        if doc is not None:
            docs.append(doc)
    problems.extend(catalogue_rules(docs, sibling_ids({f.parent for f in files}) | set(known_ids)))
    bad = {p.file for p in problems if p.severity == "error"}
    cases = sorted(
        (Case(doc.data["id"], doc.file, doc.data) for doc in docs if doc.file not in bad),
        key=lambda case: case.id,
    )
    names += sorted({p.file for p in problems} - set(names))
    return Catalogue(cases, sorted(problems, key=_problem_order), names)


def _problem_order(problem: Problem) -> tuple[str, int, int, str]:
    return (problem.file, problem.line, problem.column, problem.message)
