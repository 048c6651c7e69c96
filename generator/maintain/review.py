"""casebook review and casebook stale: what a reviewer or maintainer should look at."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..core.catalogue import Case, Catalogue, load_catalogue
from ..core.council_checks import council_warnings
from ..core.load import Document, read_file
from ..core.problems import Problem, format_path
from ..core.rules import REVIEW_MONTHS, months_between
from ..site.render import code_cell

# Each pattern runs in linear time on any text (tests/test_attacks.py feeds each its worst
# case): a match can only start where the one before it could not continue, so no
# position is scanned again from every place a long run of letters could begin.
EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?<!\d)(?:\+44\s?\(?0?\)?\s?\d{2,4}|\(?0\d{2,4}\)?)[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\d)")
NI_NUMBER = re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b")  # two letters, six digits, A-D
THIN_GUIDANCE_WORDS = 30
DUPLICATE_SIMILARITY = 0.5
WORD = re.compile(r"[a-z0-9]+")


def _texts(data: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _texts(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _texts(value, (*path, index))
    elif isinstance(data, str):
        yield path, data


def review_warnings(doc: Document) -> list[Problem]:
    """Warnings about one case for a reviewer, beyond what the validator reports; none makes it invalid."""
    data = doc.data if isinstance(doc.data, dict) else {}
    found: list[Problem] = []

    def warn(path: tuple[str | int, ...], rule: str, message: str) -> None:
        line, col = doc.locate(path)
        found.append(Problem(doc.file, line, col, format_path(path), rule, message, "warning"))

    impact = data.get("impact", {}) if isinstance(data.get("impact"), dict) else {}
    measures = impact.get("measures")
    if not measures:
        warn(("impact",), "no-measures", "no measures: add figures if a source gives them")
    for i, measure in enumerate(measures if isinstance(measures, list) else []):
        if isinstance(measure, dict) and "source" not in measure:
            metric = measure.get("metric", f"number {i + 1}")
            warn(
                ("impact", "measures", i),
                "measure-source",
                f"the measure {metric!r} names no source: add source: N, the number of the source that gives it",
            )
    guidance = data.get("replication", {}).get("guidance", "") if isinstance(data.get("replication"), dict) else ""
    if isinstance(guidance, str) and len(guidance.split()) < THIN_GUIDANCE_WORDS:
        warn(
            ("replication", "guidance"),
            "thin-replication",
            f"replication guidance has {len(guidance.split())} words; say what data, skills, cost and time "
            "another council needs",
        )
    for path, text in _texts(data):
        if path and path[-1] in ("url", "email"):
            continue
        for match in EMAIL.finditer(text):
            warn(
                path,
                "personal-data",
                f"an email address in free text ({match.group()}): give a role mailbox in "
                "contact.email instead, or remove it",
            )
        for match in PHONE.finditer(text):
            warn(path, "personal-data", f"what looks like a phone number in free text ({match.group().strip()})")
        for match in NI_NUMBER.finditer(text):
            warn(path, "personal-data", f"what looks like a National Insurance number ({match.group()})")
    for path, rule, message in council_warnings(data):
        warn(path, rule, message)
    return found


@dataclass(frozen=True)
class Review:
    """What ``casebook review`` found: every problem, and each file's most similar existing cases."""

    problems: list[Problem]
    similar: dict[str, list[Similar]]
    files: int


def review_files(targets: list[Path], catalogue: Catalogue, today: date) -> Review:
    """Validate each file against the catalogue, then add the reviewer's warnings and likely duplicates."""
    problems: list[Problem] = []
    similar: dict[str, list[Similar]] = {}
    known = [c.id for c in catalogue.cases]
    for path in targets:
        checked = load_catalogue([path], today=today, known_ids=known)
        problems += checked.problems
        doc, _ = read_file(path)
        if doc is None:
            continue
        problems += review_warnings(doc)
        if isinstance(doc.data, dict):
            similar[doc.file] = nearest(doc.data, catalogue)
            problems += duplicate_warnings(doc, similar[doc.file])
    return Review(sorted(set(problems)), similar, len(targets))


def _words(data: dict[str, Any]) -> Counter[str]:
    text = " ".join(str(data.get(k, "")) for k in ("title", "summary", "problem", "approach"))
    return Counter(WORD.findall(text.lower()))


@dataclass(frozen=True)
class Similar:
    case: Case
    score: float


def nearest(data: dict[str, Any], catalogue: Catalogue, limit: int = 3) -> list[Similar]:
    """The existing cases most like ``data`` by TF-IDF cosine similarity of their text."""
    others = [c for c in catalogue.cases if c.id != data.get("id")]
    if not others:
        return []
    bags = [_words(c.data) for c in others]
    documents = len(bags) + 1
    frequency: Counter[str] = Counter()
    for bag in [*bags, _words(data)]:
        frequency.update(bag.keys())

    def vector(bag: Counter[str]) -> dict[str, float]:
        return {w: n * math.log(documents / frequency[w]) for w, n in bag.items()}

    def cosine(a: dict[str, float], b: dict[str, float]) -> float:
        dot = sum(v * b.get(w, 0.0) for w, v in a.items())
        norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
        return dot / norm if norm else 0.0

    target = vector(_words(data))
    scored = [Similar(case, round(cosine(target, vector(bag)), 3)) for case, bag in zip(others, bags, strict=True)]
    return sorted(scored, key=lambda s: (-s.score, s.case.id))[:limit]


def duplicate_warnings(doc: Document, similar: list[Similar]) -> list[Problem]:
    return [
        Problem(
            doc.file,
            1,
            1,
            "",
            "possible-duplicate",
            f"very like {s.case.id} ({s.score:.0%} similar): check it is not the same work",
            "warning",
        )
        for s in similar
        if s.score >= DUPLICATE_SIMILARITY
    ]


def stale_cases(catalogue: Catalogue, today: date, months: int = REVIEW_MONTHS) -> list[tuple[Case, int]]:
    """Valid cases past their review date, oldest first, with their age in months."""
    overdue = []
    for case in catalogue.cases:
        age = months_between(date.fromisoformat(case["last_reviewed"]), today)
        if age >= months:
            overdue.append((case, age))
    return sorted(overdue, key=lambda pair: (pair[0]["last_reviewed"], pair[0].id))


def stale_markdown(overdue: list[tuple[Case, int]], months: int) -> str:
    if not overdue:
        return f"No cases are overdue for review (more than {months} months since last reviewed).\n"
    lines = [
        f"These cases were last reviewed more than {months} months ago. Check each against its sources, "
        "update it, and set `last_reviewed` to the date of the check.",
        "",
        "| case | file | last reviewed | months |",
        "|---|---|---|---|",
    ]
    lines += [f"| {code_cell(c.title)} | {code_cell(c.file)} | {c['last_reviewed']} | {age} |" for c, age in overdue]
    return "\n".join(lines) + "\n"
