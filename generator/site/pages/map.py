"""The map page: the hex map of councils with cases, and its figures by region."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from ...core.catalogue import Catalogue
from ...core.register import council_ref, hex_layout, lookup, page_path
from ...core.schema import Term, vocabularies
from ..hexmap import Counts, count_cases, render_hexmap


def map_counts(catalogue: Catalogue) -> Counts:
    """Cases per district of the hex layout, from the codes of each case's councils."""
    coded = [
        [(ref.code, ref.name) for c in case["councils"] if (ref := council_ref(c)).code] for case in catalogue.cases
    ]
    return count_cases(coded, hex_layout())


def hexmap_html(counts: Counts, link: Callable[..., str], compact: bool = False) -> Markup:
    """The hex map, its hexes linking to council pages with ``link``."""
    layout = hex_layout()
    names = {code: council.name for code in layout if (council := lookup(code)) is not None}
    return Markup(render_hexmap(layout, counts, names, lambda code: link(page_path(code)), compact=compact))


@dataclass
class MapRegion:
    """One row of the map page's table: a region's councils with cases, and its coverage."""

    region: Term
    councils: list[tuple[str, str | None, int]]  # name, page path (None without a code), cases
    cases: int
    districts: int  # the region's district-level councils in the hex layout
    with_own: int  # of them, with a case naming them
    with_any: int  # of them, with a case naming them or an upper-tier body covering them


def map_regions(catalogue: Catalogue, counts: Counts) -> list[MapRegion]:
    """Each region's councils with cases, its number of cases and how many of its councils have one."""
    councils: dict[str, dict[str, tuple[str, set[str], str | None]]] = defaultdict(dict)
    cases: dict[str, set[str]] = defaultdict(set)
    for case in catalogue.cases:
        for council in case["councils"]:
            ref = council_ref(council)
            found = lookup(ref.code) if ref.code else None
            region = found.region if found else council["region"]
            entry = councils[region].setdefault(ref.key, (ref.name, set(), page_path(found.code) if found else None))
            entry[1].add(case.id)
            cases[region].add(case.id)
    districts: dict[str, list[str]] = defaultdict(list)
    for code in hex_layout():
        if (found := lookup(code)) is not None:
            districts[found.region].append(code)
    rows = []
    for region in vocabularies()["regions"].terms:
        rid = str(region.id)
        own = [d for d in districts[rid] if counts.own.get(d)]
        covered = [d for d in districts[rid] if counts.own.get(d) or counts.upper.get(d)]
        if not cases[rid] and not districts[rid]:
            continue
        listed = sorted(
            ((name, path, len(ids)) for name, ids, path in councils[rid].values()),
            key=lambda row: row[0].casefold(),
        )
        rows.append(MapRegion(region, listed, len(cases[rid]), len(districts[rid]), len(own), len(covered)))
    return rows
