"""Case format 1.2.1: each council of a case checked against the register of UK local authorities.

:func:`council_problems` gives the errors (an unknown code; a type, region or name
that disagrees with the code); :func:`council_warnings` what a reviewer should
look at (a missing code the register could supply; a name that differs from the
register's beyond the words the check ignores). Both yield (path, rule, message).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .register import TYPE_BY_PREFIX, Council, by_name, fit, lookup, names_council, same_words
from .schema import vocabularies

Found = tuple[tuple[str | int, ...], str, str]
CODED_TYPES = frozenset(TYPE_BY_PREFIX.values())
SUGGESTIONS = 3
GSS_CODE = re.compile(r"[ENSW][0-9]{8}")  # the schema's pattern; other values it reports itself


def _councils(data: dict[str, Any]) -> Iterator[tuple[int, dict[str, Any]]]:
    councils = data.get("councils")
    for i, council in enumerate(councils if isinstance(councils, list) else []):
        if isinstance(council, dict):
            yield i, council


def _term(council: dict[str, Any], key: str, vocabulary: str) -> str | None:
    value = council.get(key)
    return value if isinstance(value, str) and value in vocabularies()[vocabulary].ids() else None


def candidates(name: Any, council_type: str | None) -> list[Council]:
    """The register rows a council's name most likely means: of its type if any are, current ones first."""
    if not isinstance(name, str):
        return []
    found = by_name(name)
    if council_type in CODED_TYPES:
        found = [c for c in found if c.type == council_type] or found
    if not found:
        return []
    best = [c for c in found if fit(name, c) == fit(name, found[0])]
    current = [c for c in best if c.current]
    return (current or best)[:SUGGESTIONS]


def _listed(found: list[Council]) -> str:
    return " or ".join(f"{c.code!r} ({c.name})" for c in found)


def council_problems(data: dict[str, Any]) -> Iterator[Found]:
    """Errors: each council's gss_code against the register, and its type, region and name against the code."""
    regions = vocabularies()["regions"]
    types = vocabularies()["council_types"]
    for i, council in _councils(data):
        code = council.get("gss_code")
        if not isinstance(code, str) or not GSS_CODE.fullmatch(code):
            continue
        council_type = _term(council, "type", "council_types")
        name = council.get("name")
        row = lookup(code)
        if row is None:
            found = candidates(name, council_type)
            hint = f"; did you mean {_listed(found)}?" if found else ""
            yield (
                ("councils", i, "gss_code"),
                "gss-code-register",
                (f"{code} is not a UK local authority code in the register{hint}"),
            )
            continue
        if council_type is not None and council_type != row.type:
            partnership = " (a partnership has no gss_code)" if council_type == "partnership" else ""
            yield (
                ("councils", i, "type"),
                "gss-code-type",
                (
                    f"{code} is {row.name} in the register ({types.label(row.type)}), "
                    f"so type must be {row.type!r}, not {council_type!r}{partnership}"
                ),
            )
        region = _term(council, "region", "regions")
        if region is not None and region != row.region:
            yield (
                ("councils", i, "region"),
                "gss-code-region",
                (
                    f"{code} is {row.name} in the register ({regions.label(row.region)}), "
                    f"so region must be {row.region!r}, not {region!r}"
                ),
            )
        if isinstance(name, str) and (not names_council(name, row) or _names_another(name, row)):
            yield (
                ("councils", i, "gss_code"),
                "gss-code-name",
                (f"{code} is {row.name} in the register, but the name says {name}"),
            )


def _names_another(name: str, row: Council) -> bool:
    """Whether ``name`` is, word for word, the name of another council while only holding this one's
    words: "North East Lincolnshire Council" holds "North Lincolnshire" but is North East Lincolnshire."""
    score = fit(name, row)
    if score is None or score[0]:
        return False
    return any(other.code != row.code and (fit(name, other) or (False, 0))[0] for other in by_name(name))


def council_warnings(data: dict[str, Any]) -> Iterator[Found]:
    """Review warnings: a council that could carry a code and does not; a name unlike the register's."""
    for i, council in _councils(data):
        code = council.get("gss_code")
        name = council.get("name")
        council_type = _term(council, "type", "council_types")
        if code is None and council_type in CODED_TYPES:
            found = candidates(name, council_type)
            if found:
                message = f"no gss_code: add {_listed(found)}, the register's code for this name"
            else:
                message = (
                    f"no gss_code: every {council_type} has an ONS code; add it so the case can be joined "
                    "to ONS statistics and placed on the map"
                )
            yield ("councils", i, "gss_code"), "council-code-missing", message
        row = lookup(code) if isinstance(code, str) else None
        if row is not None and isinstance(name, str) and names_council(name, row) and not same_words(name, row):
            yield (
                ("councils", i, "name"),
                "council-name-differs",
                (
                    f"{name!r} differs from the register's name for {code}, {row.name!r}, beyond the words the check "
                    "ignores; check that it names the same council"
                ),
            )
