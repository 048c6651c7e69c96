"""The register of UK local authorities the project ships (``data/councils.csv``).

One row per ONS (GSS) code of a local authority, current or ended: its name (and
Welsh name), its type and region in the case format's terms, and the years the
code began and ended where a source gives them. ``scripts/build_register.py``
builds the file from the hex layouts of Open Innovations and looked-up facts.

Names are compared by their significant words: lower case, punctuation and the
words every council name carries ("council", "borough", "city of", ...) left out,
so "London Borough of Camden" and "Camden" name the same council.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from .schema import data_path

REGISTER_FILE = "councils.csv"
COVERS_FILE = "covers.csv"  # which 2023 districts each county council, combined authority and the GLA covers
HEXMAP_FILE = "hexmap-2023.json"

# The case format's council_types term for each code prefix (case format 1.2).
TYPE_BY_PREFIX = {
    "E10": "county",
    "E07": "district",
    "E06": "unitary",
    "E08": "metropolitan-district",
    "E09": "london-borough",
    "W06": "welsh-unitary",
    "S12": "scottish-council",
    "N09": "ni-district",
    "E47": "combined-authority",
    "E61": "greater-london-authority",
}

# The case format's regions term for each ONS region (England) or nation code.
REGION_BY_CODE = {
    "E12000001": "north-east",
    "E12000002": "north-west",
    "E12000003": "yorkshire-and-the-humber",
    "E12000004": "east-midlands",
    "E12000005": "west-midlands",
    "E12000006": "east-of-england",
    "E12000007": "london",
    "E12000008": "south-east",
    "E12000009": "south-west",
    "W92000004": "wales",
    "S92000003": "scotland",
    "N92000002": "northern-ireland",
}
CODE_BY_REGION = {region: code for code, region in REGION_BY_CODE.items()}
MULTIPLE = "multiple"  # an authority whose area spans regions has no one region code

# Case format 1.2.1: what a name leaves out when names are compared. Phrases first. The Welsh
# words are those of the councils' own Welsh names ("Cyngor Sir Ceredigion": council, county).
IGNORED_PHRASES = ("london borough of", "royal borough of", "city of", "county of")
TYPE_WORDS = frozenset({"council", "city", "borough", "county", "district", "metropolitan", "combined", "authority"})
IGNORED_WORDS = TYPE_WORDS | {"the", "cyngor", "sir", "bwrdeistref", "sirol", "dinas"}
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Council:
    """One row of the register."""

    code: str
    name: str
    name_cy: str
    type: str
    region: str
    region_code: str
    began: int | None
    ended: int | None
    current: bool
    replaced_by: tuple[str, ...]
    usual_names: tuple[str, ...] = ()  # what the council calls itself where the place name is not it ("Hull")


@lru_cache(maxsize=8192)  # the same names recur across cases
def significant_words(name: str) -> tuple[str, ...]:
    """The words of ``name`` that tell one council from another, in order.

    Lower case; "&" read as "and"; punctuation (apostrophes, commas, full stops,
    hyphens) left out or read as a space; the ignored phrases and words removed,
    and an "of" left dangling at either end ("Herefordshire, County of").
    """
    text = name.lower().replace("&", " and ").replace("'", "").replace("\u2019", "")
    words = _WORD.findall(text)
    joined = " " + " ".join(words) + " "
    for phrase in IGNORED_PHRASES:
        joined = joined.replace(f" {phrase} ", " ")
    split = joined.split()
    # "and" between two type words ("City and District Council") is part of the type, not the place
    split = [
        w
        for i, w in enumerate(split)
        if not (w == "and" and 0 < i < len(split) - 1 and split[i - 1] in TYPE_WORDS and split[i + 1] in TYPE_WORDS)
    ]
    kept = [w for w in split if w not in IGNORED_WORDS]
    while kept and kept[0] == "of":
        kept.pop(0)
    while kept and kept[-1] == "of":
        kept.pop()
    return tuple(dict.fromkeys(kept))


def _year(text: str) -> int | None:
    return int(text) if text else None


def parse(text: str) -> dict[str, Council]:
    """Register rows by code, from the CSV text of ``councils.csv``."""
    rows = csv.DictReader(io.StringIO(text))
    return {
        row["code"]: Council(
            code=row["code"],
            name=row["name"],
            name_cy=row["name_cy"],
            type=row["type"],
            region=row["region"],
            region_code=row["region_code"],
            began=_year(row["began"]),
            ended=_year(row["ended"]),
            current=row["current"] == "true",
            replaced_by=tuple(row["replaced_by"].split()),
            usual_names=tuple(n.strip() for n in row.get("usual_names", "").split(";") if n.strip()),
        )
        for row in rows
    }


@cache
def councils() -> dict[str, Council]:
    """Every row of the shipped register, by code (read once)."""
    return parse(data_path(REGISTER_FILE).read_text(encoding="utf-8"))


def lookup(code: str) -> Council | None:
    """The register's row for ``code``, or None if it is not a local authority code."""
    return councils().get(code)


@cache
def _word_sets(council: Council) -> tuple[frozenset[str], ...]:
    """The significant words of a council's name, of its Welsh name and of each of its usual names."""
    names = (council.name, council.name_cy, *council.usual_names)
    return tuple(frozenset(significant_words(n)) for n in names if significant_words(n))


@cache
def _by_word() -> dict[str, tuple[str, ...]]:
    index: dict[str, set[str]] = defaultdict(set)
    for code, council in councils().items():
        for words in _word_sets(council):
            for word in words:
                index[word].add(code)
    return {word: tuple(sorted(codes)) for word, codes in index.items()}


def fit(name: str, council: Council) -> tuple[bool, int] | None:
    """How well ``name`` names a council: whether their significant words are the same, and how
    many of the council's words it holds; None unless it holds all the words of the council's
    name (or of its Welsh name)."""
    wanted = frozenset(significant_words(name))
    own = [words for words in _word_sets(council) if words <= wanted]
    if not own:
        return None
    best = max(own, key=len)
    return best == wanted, len(best)


def by_name(name: str) -> list[Council]:
    """Register rows that ``name`` names, best first.

    A row matches when all the significant words of its name (or of its Welsh
    name) are in ``name``: "Leeds City Council" names Leeds. Rows whose words are
    exactly the name's come first, then those with more words in common, current
    codes before ended ones, then by code.
    """
    found = []
    for code in {code for word in significant_words(name) for code in _by_word().get(word, ())}:
        council = councils()[code]
        score = fit(name, council)
        if score is not None:
            found.append(((not score[0], -score[1], not council.current, code), council))
    return [council for _, council in sorted(found)]


def names_council(name: str, council: Council) -> bool:
    """Whether ``name`` holds every significant word of the council's name, of its Welsh name or of
    one of its usual names (case format 1.2.1): "South Kesteven District Council" does not name
    North Kesteven, and "Hull City Council" names Kingston upon Hull by its usual name."""
    return fit(name, council) is not None


def same_words(name: str, council: Council) -> bool:
    """Whether ``name`` differs from the council's name (or Welsh name) only in the ignored words."""
    wanted = frozenset(significant_words(name))
    return any(wanted == words for words in _word_sets(council))


def page_path(code: str) -> str:
    """The site path of a council's page, from its register code: ``councils/e09000007/``.

    The address is the code, not the name, so it stays the same when a council is
    renamed ("Bristol, City of" and "City of Bristol" are one page)."""
    return f"councils/{code.lower()}/"


def parse_covers(text: str) -> dict[str, tuple[str, ...]]:
    """Districts by upper-tier body, from the CSV text of ``covers.csv``."""
    return {row["body"]: tuple(row["districts"].split()) for row in csv.DictReader(io.StringIO(text))}


@cache
def _covers() -> dict[str, tuple[str, ...]]:
    return parse_covers(data_path(COVERS_FILE).read_text(encoding="utf-8"))


def covered_districts(code: str) -> tuple[str, ...]:
    """The districts of the 2023 hex layout that an upper-tier body (a county council, a combined
    authority, the Greater London Authority) covers, by code; () for any other code."""
    return _covers().get(code, ())


@cache
def covering_bodies(district: str) -> tuple[str, ...]:
    """The upper-tier bodies whose area holds a district of the 2023 layout, by code."""
    return tuple(body for body, districts in sorted(_covers().items()) if district in districts)


@cache
def hex_layout() -> dict[str, tuple[int, int]]:
    """The 2023 hex layout (``odd-r``): district code -> (column q, row r)."""
    data = json.loads(data_path(HEXMAP_FILE).read_text(encoding="utf-8"))
    return {code: (cell["q"], cell["r"]) for code, cell in data["hexes"].items()}


# The words a council's own name usually carries, by type: "Kent County Council".
_TYPE_SUFFIXES = {
    "county": ("County Council",),
    "district": ("District Council", "Borough Council"),
    "metropolitan-district": ("Metropolitan Borough Council", "City Council"),
    "london-borough": ("Borough Council",),
    "ni-district": ("City Council", "District Council", "Borough Council"),
}
_INVERTED = re.compile(r"^(?P<place>.+), (?P<kind>City|County|Borough) of$")


def spoken_name(council: Council) -> str:
    """The register's name as a sentence says it: "City of Bristol" for "Bristol, City of"."""
    inverted = _INVERTED.match(council.name)
    return f"{inverted['kind']} of {inverted['place']}" if inverted else council.name


def name_forms(council: Council) -> tuple[str, ...]:
    """The usual ways of writing a council's name, for search: the register's name ("Bristol,
    City of"), the place alone ("Bristol"), its inverted form ("City of Bristol"), the place
    with "Council" and the words of its type ("Bristol City Council"), and the Welsh name."""
    forms = [council.name]
    place = council.name
    if inverted := _INVERTED.match(council.name):
        place, kind = inverted["place"], inverted["kind"]
        forms += [place, f"{kind} of {place}", f"{place} {kind} Council"]
    if council.type == "london-borough":
        forms.append(f"London Borough of {place}")
    forms += [f"{place} Council", *(f"{place} {suffix}" for suffix in _TYPE_SUFFIXES.get(council.type, ()))]
    if council.name_cy:
        forms += [council.name_cy, f"Cyngor {council.name_cy}"]
    return tuple(dict.fromkeys(forms))


def plain_name(name: str) -> str:
    """A name as the site shows it: Unicode composed (NFC), invisible format characters
    (zero-width spaces, joiners, bidi marks) removed and runs of space made one, so that
    spellings which look the same are the same."""
    text = unicodedata.normalize("NFC", name)
    if not text.isascii():
        text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(text.split())


@dataclass(frozen=True)
class CouncilRef:
    """Who a council of a case is, for the site: the register's council when the case gives a
    code the register knows, else the case's own name, kept apart from every coded council."""

    key: str  # what the catalogue filters by: the code in lower case, or "name:" and the folded name
    name: str  # the register's name for a coded council; the plain name otherwise
    code: str | None  # the register code, if any

    @property
    def anchor(self) -> str:
        """The id of the council's entry on the councils page, unique and never empty: the code for
        a coded council; for another, its name's slug and a digest of its key (two names that slug
        alike, or to nothing, still differ), behind a prefix no id of the site's own has."""
        if self.code:
            return f"council-{self.code.lower()}"
        digest = hashlib.sha1(self.key.encode("utf-8")).hexdigest()[:8]
        from slugify import slugify  # here: only councils without a code need it, and it is slow to load

        return "-".join(part for part in ("council-named", slugify(self.name)[:40], digest) if part)


def council_ref(council: Mapping[str, Any]) -> CouncilRef:
    """The :class:`CouncilRef` of one council entry of a case (``name``, ``gss_code``)."""
    code = council.get("gss_code")
    known = lookup(code) if isinstance(code, str) else None
    if known is not None:
        return CouncilRef(known.code.lower(), known.name, known.code)
    name = plain_name(str(council["name"]))
    return CouncilRef(f"name:{name.casefold()}", name, None)
