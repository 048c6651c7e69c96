"""The table model of the catalogue: tidy tables derived from the JSON Schema, and their dictionary.

The site (the data dictionary page, the catalogue's downloads) and the exports
(CSV, the data package, XLSX) are siblings that both read these tables, so a
new field appears in every one of them without being typed here:

* ``cases`` has one row per case and one column per scalar field (nested
  objects flattened: ``impact.evidence_level`` becomes ``impact_evidence_level``),
  plus every list joined with ``"; "`` for spreadsheet users and the page URL;
* each list in the format becomes a long table ``case_<name>`` with one row
  per item, keyed by ``case_id`` and ``position``; ``case_councils`` adds the
  register's name and the region or nation code of each council;
* ``councils`` holds the rows of the register of UK local authorities that the
  cases name by ``gss_code``, tied to ``case_councils`` by a foreign key.

Text cells that a spreadsheet would run as a formula are guarded with a leading
``'`` (OWASP) when the rows are made for spreadsheets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..core.catalogue import Case
from ..core.project import SiteConfig
from ..core.register import CODE_BY_REGION, Council, lookup
from ..core.schema import FORMAT_VERSION, Field, iter_fields, vocabularies

if TYPE_CHECKING:
    import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
JOIN = "; "
WORKBOOK = "cases.xlsx"  # every table as a sheet: the download for spreadsheet users, on the site and from export
# What the data package and Datasette's metadata say of the whole catalogue.
CATALOGUE_DESCRIPTION = f"Case studies of UK councils using data (case format version {FORMAT_VERSION})."
LICENCE_ID = "OGL-UK-3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
LICENCE_TITLE = "Open Government Licence v3.0 (unless a case's licence column says otherwise)"
_FORMULA_FIRST = frozenset(FORMULA_STARTS)


def guard(value: Any) -> Any:
    """A text cell a spreadsheet would treat as a formula gets a leading apostrophe."""
    if type(value) is str and value and value[0] in _FORMULA_FIRST:
        return "'" + value
    return value


def unguard(value: Any) -> Any:
    """Undo :func:`guard` (for readers who want the exact text back)."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


@dataclass
class Column:
    name: str
    type: str  # Frictionless field type
    description: str
    get: Callable[[Any], Any] = field(repr=False)
    vocabulary: str | None = None


@dataclass
class Table:
    name: str
    description: str
    columns: list[Column]
    rows: Callable[[Case], Iterable[Any]] = field(repr=False)  # items of one case
    primary_key: list[str] = field(default_factory=list)
    foreign_keys: list[dict[str, Any]] = field(default_factory=list)
    # a table drawn from all the exported cases at once, not case by case
    collect: Callable[[list[Case]], Iterable[Any]] | None = field(default=None, repr=False)


CASE_KEY = {"fields": ["case_id"], "reference": {"resource": "cases", "fields": ["id"]}}
COUNCIL_KEY = {"fields": ["gss_code"], "reference": {"resource": "councils", "fields": ["code"]}}


def _frictionless_type(node: dict[str, Any]) -> str:
    kind = node.get("type")
    if isinstance(kind, list):
        return "string"
    if node.get("format") == "date":
        return "date"
    return {"integer": "integer", "number": "number", "boolean": "boolean"}.get(kind or "", "string")


def _getter(parts: list[str]) -> Callable[[Any], Any]:
    def get(item: Any) -> Any:
        for part in parts:
            if not isinstance(item, dict):
                return None
            item = item.get(part)
        return item

    return get


def _case_getter(path: str) -> Callable[[Case], Any]:
    get = _getter(path.split("."))
    return lambda case: get(case.data)


def _joined(path: str, key: str | None = None) -> Callable[[Case], str]:
    """A cases.csv cell: the list at ``path`` (or each item's ``key``) joined with '; '."""
    items_at = _list_getter(path)

    def get(case: Case) -> str:
        items = items_at(case.data)
        return JOIN.join(str(i.get(key, "")) if key else str(i) for i in items)

    return get


def _item_key(key: str) -> Callable[[Any], Any]:
    return lambda row: row[2].get(key) if isinstance(row[2], dict) else None


def _items_of(path: str) -> Callable[[Case], list[tuple[str, int, Any]]]:
    """The rows of a long table: (case id, position from 1, item)."""
    items_at = _list_getter(path)
    return lambda case: [(case.id, i, item) for i, item in enumerate(items_at(case.data), 1)]


def _list_getter(path: str) -> Callable[[dict[str, Any]], list[Any]]:
    get = _getter(path.split("."))

    def items(data: dict[str, Any]) -> list[Any]:
        value = get(data)
        return value if isinstance(value, list) else []

    return items


def _fields() -> list[Field]:
    return list(iter_fields())


def table_name(path: str) -> str:
    return "case_" + path.rsplit(".", 1)[-1]


def build_tables(config: SiteConfig) -> list[Table]:
    """The export's tables, derived from the schema."""
    top = [f for f in _fields() if "[]" not in f.path]
    scalar = [f for f in top if f.schema.get("type") not in ("array", "object")]
    lists = [f for f in top if f.is_list]
    columns = [
        Column(
            f.path.replace(".", "_"),
            _frictionless_type(f.schema),
            f.description or f.title,
            _case_getter(f.path),
            f.vocabulary,
        )
        for f in scalar
    ]
    for f in lists:
        name = f.key
        if f.is_list_of_objects:
            for key, column in f.schema.get("x-export-joined", {}).items():
                sub = f.child(key)
                if sub is None:
                    raise ValueError(f"the schema's x-export-joined names {key!r}, which {f.path}'s items lack")
                columns.append(
                    Column(
                        column,
                        "string",
                        f"{sub.schema.get('title', key)} of each of the case's {f.title.lower()}, joined with '; '.",
                        _joined(f.path, key),
                    )
                )
        else:
            columns.append(
                Column(
                    name,
                    "string",
                    f"{f.description} Joined with '; '.",
                    _joined(f.path),
                )
            )
    columns.append(Column("page_url", "string", "The case's page on the site.", lambda c: config.case_url(c.id)))
    tables = [Table("cases", "One row per case.", columns, lambda c: [c], ["id"])]
    for f in lists:
        key_columns = [
            Column("case_id", "string", "The id of the case (cases.id).", lambda pair: pair[0]),
            Column("position", "integer", "The item's position in the case's list, from 1.", lambda pair: pair[1]),
        ]
        if f.is_list_of_objects:
            value_columns = [
                Column(
                    sub.key,
                    _frictionless_type(sub.schema),
                    sub.schema.get("description", sub.key),
                    _item_key(sub.key),
                    sub.schema.get("x-vocabulary"),
                )
                for sub in f.children
            ]
        else:
            # The value column is named by the schema's x-export-column, else by the list's name in the singular.
            name = f.schema.get("x-export-column", f.key.removesuffix("s"))
            value_columns = [Column(name, "string", f.description, lambda pair: pair[2], f.vocabulary)]
        foreign_keys = [CASE_KEY]
        if f.path == "councils":
            value_columns += register_columns()
            foreign_keys.append(COUNCIL_KEY)
        tables.append(
            Table(
                table_name(f.path),
                f"One row per item of {f.path}: {f.description}",
                key_columns + value_columns,
                _items_of(f.path),
                ["case_id", "position"],
                foreign_keys,
            )
        )
    tables.append(councils_table())
    return tables


def _register_row(row: Any) -> Council | None:
    code = row[2].get("gss_code") if isinstance(row[2], dict) else None
    return lookup(code) if isinstance(code, str) else None


def register_columns() -> list[Column]:
    """What case_councils adds to each council from the register and the regions."""

    def register_name(row: Any) -> str | None:
        council = _register_row(row)
        return council.name if council else None

    def region_code(row: Any) -> str | None:
        region = row[2].get("region") if isinstance(row[2], dict) else None
        return CODE_BY_REGION.get(region) if isinstance(region, str) else None

    return [
        Column(
            "register_name",
            "string",
            "The council's name in the register of UK local authorities (councils.name), when it has a gss_code.",
            register_name,
        ),
        Column(
            "region_code",
            "string",
            "The ONS code of the council's region (E12000001 to E12000009) or nation (W92000004 Wales, "
            "S92000003 Scotland, N92000002 Northern Ireland); empty for several regions.",
            region_code,
        ),
    ]


def _used_councils(cases: list[Case]) -> list[Council]:
    codes = {
        council["gss_code"]
        for case in cases
        for council in case.get("councils", [])
        if isinstance(council, dict) and isinstance(council.get("gss_code"), str)
    }
    return [council for code in sorted(codes) if (council := lookup(code)) is not None]


def councils_table() -> Table:
    """councils: the register's rows for the codes the cases name."""

    def attribute(name: str) -> Callable[[Any], Any]:
        return lambda council: getattr(council, name)

    columns = [
        Column("code", "string", "The ONS (GSS) code of the local authority.", attribute("code")),
        Column("name", "string", "Its name, as the ONS gives it.", attribute("name")),
        Column("name_cy", "string", "Its name in Welsh, for Welsh councils.", attribute("name_cy")),
        Column("type", "string", "The kind of council its code stands for.", attribute("type"), "council_types"),
        Column("region", "string", "The region or nation it is in.", attribute("region"), "regions"),
        Column(
            "region_code",
            "string",
            "The ONS code of its region (E12...) or nation (W92000004, S92000003, N92000002); empty when it spans "
            "several regions.",
            attribute("region_code"),
        ),
        Column("began", "integer", "The year the code began, where a source gives it.", attribute("began")),
        Column("ended", "integer", "The year the code ended, where a source gives it.", attribute("ended")),
        Column("current", "boolean", "Whether the code is still in use.", attribute("current")),
        Column(
            "replaced_by",
            "string",
            "The codes of the authorities that replaced it, separated by spaces.",
            lambda council: " ".join(council.replaced_by),
        ),
    ]
    return Table(
        "councils",
        "One row per local authority that the exported cases name by gss_code, from the project's register of UK "
        "local authorities (codes and names from the ONS, Open Government Licence v3.0).",
        columns,
        lambda case: [],
        ["code"],
        collect=_used_councils,
    )


@dataclass
class TableRows:
    """One table's column names and rows (plain lists: fast to build and to write)."""

    columns: list[str]
    rows: list[list[Any]]

    def frame(self) -> pd.DataFrame:
        import pandas as pd  # imported here: only XLSX and analysis need it, and it is slow to import

        # object columns keep each value as loaded: 300 stays 300, 12.5 stays 12.5, a missing year stays empty
        return pd.DataFrame(self.rows, columns=self.columns, dtype=object)


def table_rows(cases: list[Case], tables: list[Table], spreadsheet: bool) -> dict[str, TableRows]:
    """Every table's rows for ``cases`` (sorted by id); text guarded for spreadsheets if asked."""
    out = {}
    for table in tables:
        getters = [(c.get, spreadsheet and c.type == "string") for c in table.columns]
        items = table.collect(cases) if table.collect else (item for case in cases for item in table.rows(case))
        rows = [[guard(get(item)) if guarded else get(item) for get, guarded in getters] for item in items]
        out[table.name] = TableRows([c.name for c in table.columns], rows)
    return out


def frames(cases: list[Case], tables: list[Table], spreadsheet: bool) -> dict[str, pd.DataFrame]:
    """One pandas DataFrame per table, for analysis in Python or writing to XLSX."""
    return {name: data.frame() for name, data in table_rows(cases, tables, spreadsheet).items()}


def data_dictionary(tables: list[Table]) -> str:
    """DATA_DICTIONARY.md: every column of every table, with allowed values."""
    vocabs = vocabularies()
    lines = [
        "# Data dictionary",
        "",
        f"The Council Data Casebook export (case format version {FORMAT_VERSION}). Every table is UTF-8 CSV "
        "(RFC 4180), rows sorted by case id (councils.csv by code). Text cells beginning with =, +, -, @, "
        "a tab or a carriage return start with an added ' in the CSV and XLSX files so spreadsheets do not run "
        "them; cases.json keeps the exact text.",
        "",
        'An empty cell means the case does not give that fact (the site says "not reported"). '
        "`none` is an answer the case gives: an evaluation design of `none` means the case says no "
        "evaluation was done.",
        "",
        "The same tables are in the SQLite database casebook.db (empty cells are NULL there, and the "
        "spreadsheet guard above is not added), with a full-text index, cases_fts, over each case's title, "
        "summary, problem, approach and impact_summary: `select id, title from cases join cases_fts on "
        "cases.rowid = cases_fts.rowid where cases_fts match 'damp'`. Open it with "
        "`datasette casebook.db -m metadata.json`.",
        "",
    ]
    used: dict[str, None] = {}
    for table in tables:
        key = ", ".join(table.primary_key)
        lines += [
            f"## {table.name}.csv",
            "",
            table.description,
            "",
            f"Key: {key}.",
            "",
            "| column | type | meaning |",
            "|---|---|---|",
        ]
        for column in table.columns:
            allowed = f" Allowed values: [{column.vocabulary}](#{column.vocabulary})." if column.vocabulary else ""
            if column.vocabulary:
                used[column.vocabulary] = None
            lines.append(f"| `{column.name}` | {column.type} | {column.description}{allowed} |")
        lines.append("")
    lines += ["## Vocabularies", ""]
    for name in used:
        lines += [f"### {name}", "", "| value | label | definition |", "|---|---|---|"]
        lines += [f"| `{t.id}` | {t.label} | {t.definition} |" for t in vocabs[name].terms]
        lines.append("")
    return "\n".join(lines)
