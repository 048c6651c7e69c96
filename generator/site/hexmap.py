"""The hex map of UK councils: where the catalogue's cases are, as an inline SVG.

One hexagon per district-level council of Open Innovations' 2023 layout (``odd-r``:
odd rows sit half a hexagon to the right; row numbers grow northwards). A district is
shaded by how many cases name it, in a few bins of one hue; a district whose only
cases are those of a county council, combined authority or the Greater London
Authority covering it is hatched. Each district with cases is a link with its name
and count as the link's text, so the map works without JavaScript, by keyboard and
with a screen reader; the page beside it carries the same figures as a table.

:func:`count_cases` turns the councils named by each case into per-district counts;
:func:`render_hexmap` draws them. Both are pure: the map is built with the pages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from markupsafe import escape

from ..core.register import covered_districts, lookup
from ..core.schema import vocabularies

# The bins of the shading: (least cases, legend label). A district falls in the last
# bin whose least it reaches.
BINS: tuple[tuple[int, str], ...] = ((1, "1 case"), (2, "2 cases"), (3, "3 or 4 cases"), (5, "5 or more cases"))
COVERED_LABEL = "covered only by a county council's, combined authority's or the Greater London Authority's case"
NO_CASE_LABEL = "no case yet"

# Hexagon geometry in integer units: pointy-top, 18 wide, rows 15 apart, so that
# neighbours share their edges exactly.
WIDTH, HALF, ROW = 18, 9, 15
HEX_PATH = "M0-10l9 5v10l-9 5-9-5v-10z"
MARGIN = 11


@dataclass
class Counts:
    """Cases by district: those naming the district, and those of upper-tier bodies covering it."""

    own: dict[str, int] = field(default_factory=dict)
    upper: dict[str, dict[str, int]] = field(default_factory=dict)  # district -> body code -> cases
    names: dict[str, str] = field(default_factory=dict)  # body code -> the name a case gives it


def bin_of(count: int) -> int:
    """The shading bin (1 to len(BINS)) of a number of cases; 0 for none."""
    return sum(1 for least, _ in BINS if count >= least)


def current_districts(code: str, layout: Mapping[str, object], seen: frozenset[str] = frozenset()) -> list[str]:
    """The layout's districts a district-level code stands for: itself, or the councils that replaced it."""
    if code in layout:
        return [code]
    council = lookup(code)
    if council is None or code in seen:
        return []
    return [d for successor in council.replaced_by for d in current_districts(successor, layout, seen | {code})]


def count_cases(cases: Iterable[Sequence[tuple[str, str]]], layout: Mapping[str, object]) -> Counts:
    """Per-district counts from each case's councils, given as (GSS code, name) pairs.

    A case counts once for each district it names (a code that ended counts for the
    districts that replaced it), and once for each district covered by an upper-tier
    body it names. Councils without a code cannot be placed and are left out."""
    own: dict[str, set[int]] = defaultdict(set)
    upper: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    names: dict[str, str] = {}
    for number, councils in enumerate(cases):
        for code, name in councils:
            covered = covered_districts(code)
            if covered:
                names.setdefault(code, name)
                for district in covered:
                    upper[district][code].add(number)
            else:
                for district in current_districts(code, layout):
                    own[district].add(number)
    return Counts(
        own={d: len(c) for d, c in own.items()},
        upper={d: {body: len(c) for body, c in bodies.items()} for d, bodies in upper.items()},
        names=names,
    )


def _cases(count: int) -> str:
    return f"{count} case" if count == 1 else f"{count} cases"


def hex_label(name: str, own: int, upper: Mapping[str, int], names: Mapping[str, str]) -> str:
    """A district's accessible name: "Camden: 2 cases", "Cambridge: 1 case of Cambridgeshire County Council"."""
    parts = [_cases(own)] if own else []
    parts += [
        f"{_cases(n)} of {names.get(body, body)}" for body, n in sorted(upper.items(), key=lambda p: (-p[1], p[0]))
    ]
    return f"{name}: {'; '.join(parts)}"


def _position(q: int, r: int, q_min: int, r_max: int) -> tuple[int, int]:
    return MARGIN + (q - q_min) * WIDTH + (HALF if r % 2 else 0), MARGIN + (r_max - r) * ROW


def region_labels(layout: Mapping[str, tuple[int, int]], q_min: int, r_max: int) -> str:
    """Each region's name at the middle of its hexes, above them (the names are the map's own
    words, hidden from screen readers: the table below the map names every region)."""
    spots: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for code, (q, r) in layout.items():
        council = lookup(code)
        if council is not None:
            spots[council.region].append(_position(q, r, q_min, r_max))
    regions = vocabularies()["regions"]
    texts = []
    for region in map(str, regions.ids()):
        if found := spots.get(region):
            x = round(sum(p[0] for p in found) / len(found))
            y = round(sum(p[1] for p in found) / len(found))
            west = min(p[0] for p in found) - HALF
            # Near the map's west edge (Northern Ireland), the name starts at the region's edge.
            at = f'x="{west}" y="{y}" text-anchor="start"' if x - west < 3 * WIDTH else f'x="{x}" y="{y}"'
            texts.append(f"<text {at}>{escape(regions.label(region))}</text>")
    return f'<g class="cb-hexmap__regions" aria-hidden="true">{"".join(texts)}</g>'


def render_hexmap(
    layout: Mapping[str, tuple[int, int]],
    counts: Counts,
    district_names: Mapping[str, str],
    link: Callable[[str], str],
    *,
    title: str = "Map of UK councils with cases in the catalogue",
    compact: bool = False,
) -> str:
    """The map as an HTML figure holding an inline SVG and its legend.

    ``layout`` maps district codes to (column, row); ``district_names`` gives each
    district's name; ``link(code)`` the address of a council's page. A district with
    cases of its own links to its page; one covered only by an upper-tier body's
    cases links to that body's page. Every text is escaped."""
    q_min = min(q for q, _ in layout.values())
    q_max = max(q for q, _ in layout.values())
    r_min = min(r for _, r in layout.values())
    r_max = max(r for _, r in layout.values())
    width = 2 * MARGIN + (q_max - q_min) * WIDTH + HALF
    height = 2 * MARGIN + (r_max - r_min) * ROW
    empty: list[str] = []
    linked: list[tuple[int, int, str]] = []
    # North to south, west to east: the order of the links for the keyboard.
    for code, (q, r) in sorted(layout.items(), key=lambda item: (-item[1][1], item[1][0], item[0])):
        x, y = _position(q, r, q_min, r_max)
        own = counts.own.get(code, 0)
        upper = counts.upper.get(code, {})
        if not own and not upper:
            empty.append(f'<use href="#cb-hex" x="{x}" y="{y}"/>')
            continue
        label = escape(hex_label(district_names.get(code, code), own, upper, counts.names))
        target = code if own else sorted(upper.items(), key=lambda p: (-p[1], p[0]))[0][0]
        shade = f"cb-b{bin_of(own)}" if own else "cb-cov"
        linked.append(
            (
                y,
                x,
                f'<a href="{escape(link(target))}"><title>{label}</title>'
                f'<use href="#cb-hex" x="{x}" y="{y}" class="{shade}"/></a>',
            )
        )
    labels = "" if compact else region_labels(layout, q_min, r_max)
    svg = (
        f'<svg class="cb-hexmap__svg" viewBox="0 0 {width} {height}" width="100%" role="group" '
        f'aria-labelledby="cb-hexmap-title" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="cb-hexmap-title">{escape(title)}</title>'
        f'<defs><path id="cb-hex" d="{HEX_PATH}"/>'
        '<pattern id="cb-hatch" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect class="cb-hatch__bg" width="4" height="4"/><rect class="cb-hatch__line" width="2" height="4"/></pattern>'
        "</defs>"
        f'<g class="cb-hexmap__empty" aria-hidden="true">{"".join(empty)}</g>'
        f'<g class="cb-hexmap__cases">{"".join(item for _, _, item in linked)}</g>{labels}</svg>'
    )
    legend = "".join(
        f'<li><span class="cb-swatch cb-b{number}" aria-hidden="true"></span>{escape(label)}</li>'
        for number, (_, label) in enumerate(BINS, 1)
    )
    legend += f'<li><span class="cb-swatch cb-cov" aria-hidden="true"></span>{escape(COVERED_LABEL)}</li>'
    legend += f'<li><span class="cb-swatch cb-none" aria-hidden="true"></span>{escape(NO_CASE_LABEL)}</li>'
    kind = " cb-hexmap--compact" if compact else ""
    return (
        f'<figure class="cb-hexmap{kind}">{svg}'
        f'<figcaption><span class="cb-visually-hidden">Key: </span><ul class="cb-hexmap__legend">{legend}</ul>'
        "</figcaption></figure>"
    )
