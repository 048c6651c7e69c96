"""The facets a case can be browsed, filtered and exported by, read from the schema.

A field marked ``"x-facet"`` in the schema is a facet: the site's browse pages, the
catalogue's filters and their counts, the export's filters and the command's options
all come from :data:`FACETS`, so a field added to the schema with the annotation
reaches all of them. The annotation is ``true`` or an object with any of:

- ``name``: the facet's name in addresses and options (``?theme=``, ``--theme``);
  default: the field's key, with hyphens;
- ``folder``: the folder of its browse pages (``themes/``); default: the name; ``null``
  for no browse pages;
- ``title`` and ``one``: how the facet and one of its values are called ("Themes",
  "Theme"); default: the field's title;
- ``vocabulary``: the terms of a yes-or-no field (``personal_data``), whose value is
  "yes" when any of its values is true;
- ``by``: ``council`` for the councils, keyed by who each council is
  (:func:`generator.core.register.council_ref`), not by a term;
- ``order``: where it comes among the facets (default: after those that give one).

One generic reader (:func:`values_at`) finds a facet's values in a case, whatever the
field's path (``councils[].region``, ``impact.evaluation.design``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from .register import council_ref
from .schema import Field, iter_fields, vocabularies


def _hashable(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)


@lru_cache(maxsize=256)
def _steps(path: str) -> tuple[str, ...]:
    return tuple(part.removesuffix("[]") for part in path.split("."))


def values_at(data: Any, path: str) -> list[Any]:
    """Every value at ``path`` in a case (``councils[].region``: one per council), in order, once each.

    A missing key, or an item of a list without it, gives nothing; a list at the end gives its items.
    """
    found: list[Any] = [data]
    for key in _steps(path):
        step: list[Any] = []
        for node in found:
            value = node.get(key) if isinstance(node, dict) else None
            if value is None:
                continue
            if isinstance(value, list):
                step.extend(value)
            else:
                step.append(value)
        found = step
        if not found:
            return found
    if len(found) < 2:
        return found
    return list(dict.fromkeys(found)) if all(_hashable(v) for v in found) else found


@dataclass(frozen=True)
class Facet:
    name: str  # URL and option name, e.g. "theme"
    title: str  # heading, e.g. "Themes"
    vocabulary: str | None  # vocabulary the values come from; None when any value can (councils)
    values: Callable[[dict[str, Any]], list[Any]]
    path: str | None = None  # folder of its browse pages on the site, if it has them
    one: str = ""  # one value's kind, e.g. "Theme" (in help texts and "Remove filter: Theme Housing")
    field: str = ""  # the schema field it reads, e.g. "councils[].region"

    def terms(self) -> list[Any] | None:
        """The values it can take, in order; None when any value can (council names)."""
        return vocabularies()[self.vocabulary].ids() if self.vocabulary else None


def _reader(field: Field, annotation: dict[str, Any]) -> Callable[[dict[str, Any]], list[Any]]:
    path = field.path
    if annotation.get("by") == "council":
        return lambda data: list(dict.fromkeys(council_ref(c).key for c in data.get(path, [])))
    if field.schema.get("type") == "boolean":  # yes when any is true ("does any dataset hold personal data?")
        return lambda data: ["yes" if any(values_at(data, path)) else "no"]
    return lambda data: values_at(data, path)


def _facet(field: Field) -> tuple[int, Facet]:
    raw = field.schema["x-facet"]
    annotation: dict[str, Any] = raw if isinstance(raw, dict) else {}
    name = str(annotation.get("name") or field.key.replace("_", "-"))
    folder = annotation.get("folder", name)
    title = str(annotation.get("title") or field.title)
    facet = Facet(
        name=name,
        title=title,
        vocabulary=None if annotation.get("by") == "council" else (annotation.get("vocabulary") or field.vocabulary),
        values=_reader(field, annotation),
        path=folder,
        one=str(annotation.get("one") or title),
        field=field.path,
    )
    return int(annotation.get("order", 1000)), facet


def _annotated() -> Iterator[Field]:
    return (f for f in iter_fields() if f.schema.get("x-facet"))


@cache
def schema_facets() -> tuple[Facet, ...]:
    """Every facet the schema marks, in the order its annotations give (schema order for the rest)."""
    ranked = [(*_facet(field), position) for position, field in enumerate(_annotated())]
    return tuple(facet for _, facet, _ in sorted(ranked, key=lambda item: (item[0], item[2])))


FACETS: tuple[Facet, ...] = schema_facets()
FACETS_BY_NAME = {facet.name: facet for facet in FACETS}
BROWSE_FACETS = tuple(facet for facet in FACETS if facet.path)
