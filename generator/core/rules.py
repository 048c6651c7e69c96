"""The catalogue's rules that a JSON Schema cannot say: about one case (its file name, dates,
evidence level against its evaluation, source numbers, councils against the register) and
across cases (unique ids, related ids that exist).

The evidence rules have twins in the "Propose a case" form (docs/javascripts/propose.js);
both run the shared vectors of tests/fixtures/rules/vectors.yaml.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from .council_checks import council_problems
from .explain import short, suggest
from .load import Document
from .problems import Problem, format_path
from .schema import vocabularies

REVIEW_MONTHS = 24


def months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month - (later.day < earlier.day)


def _parse_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def case_rules(doc: Document, today: date) -> list[Problem]:
    """The rules about one case that a JSON Schema cannot say."""
    data = doc.data if isinstance(doc.data, dict) else {}
    found: list[Problem] = []

    def add(path: tuple[str | int, ...], rule: str, message: str, severity: str = "error") -> None:
        line, col = doc.locate(path)
        found.append(Problem(doc.file, line, col, format_path(path), rule, message, severity))  # type: ignore[arg-type]

    path = Path(doc.file)
    if path.suffix == ".yml":
        found.append(
            Problem(
                doc.file,
                1,
                1,
                "",
                "file-extension",
                f"case files end in .yaml; rename it to {path.with_suffix('.yaml').name}",
            )
        )
    case_id = data.get("id")
    if isinstance(case_id, str) and case_id.strip() and case_id != path.stem:
        add(
            ("id",),
            "id-filename",
            f"the id {case_id!r} must equal the file name; rename the file to {case_id}.yaml or set id: {path.stem}",
        )
    reviewed = _parse_date(data.get("last_reviewed"))
    if reviewed and reviewed > today:
        add(
            ("last_reviewed",), "date-future", f"{reviewed.isoformat()} is in the future (today is {today.isoformat()})"
        )
    elif reviewed and months_between(reviewed, today) >= REVIEW_MONTHS:
        add(
            ("last_reviewed",),
            "review-overdue",
            f"last reviewed {reviewed.isoformat()}, more than {REVIEW_MONTHS} months ago; check it against its sources",
            "warning",
        )
    year = data.get("year_started")
    if isinstance(year, int) and not isinstance(year, bool) and year > today.year:
        add(("year_started",), "year-future", f"{year} is after this year ({today.year})")
    related = data.get("related")
    if isinstance(related, list) and case_id in related:
        add(("related", related.index(case_id)), "related-self", f"a case cannot be related to itself ({case_id!r})")
    for path_, rule, message in evidence_problems(data):
        add(path_, rule, message)
    for path_, rule, message in council_problems(data):
        add(path_, rule, message)
    for index, url in _urls(data):
        if url.startswith("http://"):
            add(index, "insecure-url", f"{short(url)} uses plain http; use https if the site offers it", "warning")
    return found


COMPARISON_DESIGNS = ("comparison-group", "randomised-trial")
NOT_POSITIVE = ("null", "negative", "too-early")


def evidence_problems(data: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    """Case format 1.1: the evidence level against its evaluation, and source numbers that exist.

    Yields (path, rule, message). The same rules, with the same messages, run in the browser
    (docs/javascripts/propose.js); both are tested against tests/fixtures/rules/vectors.yaml.
    """
    impact: dict[str, Any] = data["impact"] if isinstance(data.get("impact"), dict) else {}
    level = impact.get("evidence_level")
    evaluation: dict[str, Any] | None = impact["evaluation"] if isinstance(impact.get("evaluation"), dict) else None
    sources = data.get("sources")
    count = len(sources) if isinstance(sources, list) else 0
    if isinstance(level, int) and not isinstance(level, bool) and level in vocabularies()["evidence_levels"].ids():
        yield from _level_problems(level, evaluation)
    measures = impact.get("measures")
    for i, measure in enumerate(measures if isinstance(measures, list) else []):
        source = measure.get("source") if isinstance(measure, dict) else None
        if _out_of(source, count):
            metric = measure.get("metric", f"number {i + 1}")
            yield (
                ("impact", "measures", i, "source"),
                "source-exists",
                f"the measure {short(metric)} cites source {source}, but the case lists {_sources(count)}",
            )
    if evaluation is not None and _out_of(evaluation.get("source"), count):
        yield (
            ("impact", "evaluation", "source"),
            "source-exists",
            f"the evaluation cites source {evaluation['source']}, but the case lists {_sources(count)}",
        )


def _level_problems(level: int, evaluation: dict[str, Any] | None) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    where = ("impact", "evidence_level")
    design = evaluation.get("design") if evaluation else None
    by = evaluation.get("by") if evaluation else None
    result = evaluation.get("result") if evaluation else None
    if level >= 3 and design not in COMPARISON_DESIGNS:
        found = f"the evaluation's design is {design!r}" if evaluation else "the case has no impact.evaluation"
        yield (
            where,
            "evidence-design",
            (
                f"evidence level {level} needs an evaluation against a comparison group or a randomised trial, "
                f"but {found}; use level 2 at most, or add the evaluation"
            ),
        )
    if level >= 4 and evaluation and by != "independent":
        yield (
            where,
            "evidence-independent",
            (
                f"evidence level {level} needs an independent evaluation, "
                f"but it was evaluated by {by!r}; use level 3 at most"
            ),
        )
    if level > 2 and by == "supplier":
        yield (
            where,
            "evidence-supplier",
            (f"evidence level {level} rests on the supplier's own evaluation, which allows level 2 at most"),
        )
    if level > 1 and result in NOT_POSITIVE:
        yield (
            where,
            "evidence-result",
            (
                f"evidence level {level} rates evidence of positive impact, but the evaluation's result is {result!r}; "
                "use level 1 (the site shows the result plainly)"
            ),
        )


_FOUND = {
    "null": "found no effect (a null result)",
    "negative": "found a negative effect",
    "too-early": "is too early to show an effect",
}


def evidence_cap(evaluation: dict[str, Any] | None) -> tuple[int, str] | None:
    """When the rules above hold a comparison or a trial below the level its design allows (3), the
    highest level they allow and why, in words for the case page; None otherwise."""
    design = (evaluation or {}).get("design")
    if design not in COMPARISON_DESIGNS:
        return None
    assert evaluation is not None
    kind = "randomised trial" if design == "randomised-trial" else "comparison"
    result = evaluation.get("result")
    if result in NOT_POSITIVE:
        return 1, f"the {kind} {_FOUND[result]}"
    if evaluation.get("by") == "supplier":
        return 2, f"the {kind} was run by the supplier, whose own evaluation allows level 2 at most"
    return None


def _out_of(source: Any, count: int) -> bool:
    return isinstance(source, int) and not isinstance(source, bool) and source > count


def _sources(count: int) -> str:
    return f"{count} source{'s' * (count != 1)}"


def _urls(data: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    sources = data.get("sources")
    for i, source in enumerate(sources if isinstance(sources, list) else []):
        if isinstance(source, dict) and isinstance(source.get("url"), str):
            yield ("sources", i, "url"), source["url"]
    contact = data.get("contact")
    if isinstance(contact, dict) and isinstance(contact.get("url"), str):
        yield ("contact", "url"), contact["url"]


CROSS_FILE_RULES = frozenset({"related-exists", "related-self", "id-unique"})  # rules about more than one file


def catalogue_rules(docs: list[Document], known_ids: set[str]) -> list[Problem]:
    """Rules across files: unique ids, and ``related`` ids that exist."""
    found: list[Problem] = []
    first_file: dict[str, str] = {}
    for doc in docs:
        data = doc.data if isinstance(doc.data, dict) else {}
        case_id = data.get("id")
        if isinstance(case_id, str):
            if case_id in first_file:
                line, col = doc.locate(("id",))
                found.append(
                    Problem(
                        doc.file,
                        line,
                        col,
                        "id",
                        "id-unique",
                        f"the id {case_id!r} is already used by {first_file[case_id]}",
                    )
                )
            else:
                first_file[case_id] = doc.file
    ids = known_ids | set(first_file)
    ordered = sorted(ids)
    by_length: dict[int, list[str]] = {}
    for known in ordered:
        by_length.setdefault(len(known), []).append(known)
    for doc in docs:
        data = doc.data if isinstance(doc.data, dict) else {}
        related = data.get("related")
        unknown = 0
        for i, other in enumerate(related if isinstance(related, list) else []):
            if isinstance(other, str) and other not in ids and other != data.get("id"):
                unknown += 1
                hint = ""
                if unknown <= SUGGESTIONS_PER_FILE:
                    hint = suggest(other, ordered, _near_in_length(other, by_length))
                line, col = doc.locate(("related", i))
                message = f"no case has the id {other!r}{hint}"
                found.append(Problem(doc.file, line, col, f"related[{i}]", "related-exists", message))
    return found


SUGGESTIONS_PER_FILE = 5  # "did you mean" for the first few unknown ids of a file: each costs a scan of every id


def _near_in_length(word: str, by_length: dict[int, list[str]]) -> list[str]:
    """Ids whose length could make them a close match (difflib's 0.7 cutoff allows about 1.5x)."""
    low, high = int(len(word) / 1.5), int(len(word) * 1.5) + 1
    return [known for size in range(low, high + 1) for known in by_length.get(size, ())]
