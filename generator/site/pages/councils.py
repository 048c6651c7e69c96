"""The councils index and a page for each council with a register code: its row, cases and neighbours."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Set
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ...core.catalogue import Case, Catalogue
from ...core.register import Council, council_ref, hex_layout, lookup, page_path, spoken_name
from ...core.schema import Term, vocabularies
from ..hexmap import current_districts
from .common import case_items, label, linker, page_meta, render_page


def councils_by_code(code: str) -> Council:
    """The register's row for a code :func:`council_cases` gave (it is in the register)."""
    council = lookup(code)
    assert council is not None, code
    return council


def council_cases(catalogue: Catalogue) -> dict[str, list[Case]]:
    """The cases naming each council that has a register code, by code, in code order.

    A case naming a council that has since ended counts for the councils of the map that
    replaced it too (Allerdale's for Cumberland), as it does on the map, so every hexagon
    with cases leads to a page listing them."""
    found: dict[str, list[Case]] = defaultdict(list)
    layout = hex_layout()
    for case in catalogue.cases:
        named = [code for code in dict.fromkeys(c.get("gss_code") for c in case["councils"]) if code and lookup(code)]
        successors = [d for code in named if code not in layout for d in current_districts(code, layout)]
        for code in dict.fromkeys([*named, *successors]):
            found[code].append(case)
    return dict(sorted(found.items()))


_PROPER_LABELS = ("London", "Greater", "Welsh", "Scottish", "Northern")


def _kind(council: Council) -> str:
    """The council's type in a sentence ("a London borough", "a county council")."""
    words = label("council_types", council.type)
    if not words.startswith(_PROPER_LABELS):
        words = words[:1].lower() + words[1:]
    return ("an " if words[:1].lower() in "aeio" else "a ") + words


def _where(council: Council) -> str:
    """Where the council is, in a sentence: "in London", or "in several regions" for a body across regions."""
    region = label("regions", council.region)
    return "in several regions" if council.region == "multiple" else f"in {region}"


def council_description(council: Council, cases: int) -> str:
    """A council page's description: "2 cases from Camden, a London borough in London."."""
    count = f"{cases} case" + ("" if cases == 1 else "s")
    return f"{count} from {spoken_name(council)}, {_kind(council)} {_where(council)}."


def _council_page(
    council: Council, cases: list[Case], coded: Mapping[str, list[Case]], items: Mapping[str, Markup]
) -> str:
    """The Markdown of one council's page: what the register says of it, its cases and its neighbours."""
    page = page_path(council.code) + "index.md"
    successors = [
        (found.name if (found := lookup(code)) else code, page_path(code) if code in coded else None)
        for code in council.replaced_by
    ]
    neighbours = sorted(
        (
            (other.name, page_path(other.code))
            for code in coded
            if code != council.code and (other := councils_by_code(code)).region == council.region
        ),
        key=lambda pair: pair[0].casefold(),
    )
    meta = page_meta(council.name, council_description(council, len(cases)))
    return render_page(
        "council.md.j2",
        page,
        meta,
        council=council,
        successors=successors,
        items=[items[c.id] for c in cases],
        neighbours=neighbours,
        where=_where(council),
    )


def council_pages(catalogue: Catalogue, only: Set[str] | None = None) -> dict[str, str]:
    """A page for each council with cases that has a register code, at ``page_path(code) + "index.md"``
    (or for the codes in ``only``)."""
    coded = council_cases(catalogue)
    chosen = [code for code in coded if only is None or code in only]
    shown = {c.id: c for code in chosen for c in coded[code]}.values()
    items = case_items(list(shown), linker("councils/code/index.md"))  # every council page is as deep
    return {
        page_path(code) + "index.md": _council_page(councils_by_code(code), coded[code], coded, items)
        for code in chosen
    }


@dataclass(frozen=True)
class CouncilEntry:
    """One council of the councils index: the register's name and page when the cases give its code."""

    name: str
    code: str | None
    path: str | None  # its page, for a council with a register code
    anchor: str  # its entry's id on the councils page
    key: str  # what the catalogue filters it by


def councils_index(catalogue: Catalogue) -> list[tuple[Term, list[tuple[Term, list[tuple[CouncilEntry, list[Any]]]]]]]:
    """Councils grouped by region, then type, each with its cases; one entry per register code (or per
    name, for a council the cases give no code for), with the register's name, type and region."""
    grouped: dict[Any, dict[Any, dict[str, tuple[CouncilEntry, list[dict[str, Any]]]]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for case in catalogue.cases:
        for council in case["councils"]:
            ref = council_ref(council)
            found = lookup(ref.code) if ref.code else None
            path = page_path(found.code) if found else None
            entry = CouncilEntry(ref.name, ref.code, path, ref.anchor, ref.key)
            region, ctype = (found.region, found.type) if found else (council["region"], council["type"])
            cases = grouped[region][ctype].setdefault(ref.key, (entry, []))[1]
            if case.data not in cases:
                cases.append(case.data)
    vocab = vocabularies()
    return [
        (
            region,
            [
                (
                    ctype,
                    sorted(grouped[region.id][ctype.id].values(), key=lambda e: (e[0].name.casefold(), e[0].anchor)),
                )
                for ctype in vocab["council_types"].terms
                if ctype.id in grouped[region.id]
            ],
        )
        for region in vocab["regions"].terms
        if region.id in grouped
    ]


def council_names(catalogue: Catalogue) -> list[str]:
    """The councils of the councils index by name, alphabetically: one per register code (or per name,
    for a council without a code), so two spellings of one council count once."""
    entries = [entry for _, types in councils_index(catalogue) for _, councils in types for entry, _ in councils]
    return sorted((entry.name for entry in entries), key=str.casefold)
