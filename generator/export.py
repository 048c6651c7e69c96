"""Research exports: tidy CSV tables, JSON, a Frictionless data package, XLSX.

The tables are derived from the JSON Schema, so a new field appears in the
export (and the data dictionary) without being typed here:

* ``cases.csv`` has one row per case and one column per scalar field (nested
  objects flattened: ``impact.evidence_level`` becomes ``impact_evidence_level``),
  plus every list joined with ``"; "`` for spreadsheet users and the page URL;
* each list in the format becomes a long table ``case_<name>.csv`` with one row
  per item, keyed by ``case_id`` and ``position``; ``case_councils`` adds the
  register's name and the region or nation code of each council;
* ``councils.csv`` holds the rows of the register of UK local authorities that the
  exported cases name by ``gss_code``, tied to ``case_councils`` by a foreign key.

Text cells that a spreadsheet would run as a formula are guarded with a leading
``'`` in CSV and XLSX (OWASP); JSON keeps the exact text.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .catalogue import Case
from .files import write_atomically

if TYPE_CHECKING:
    import pandas as pd
from .pages import FOLDER, SiteConfig
from .register import CODE_BY_REGION, Council, lookup
from .schema import FORMAT_VERSION, Field, case_schema, iter_fields, resolve, vocabularies

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
JOIN = "; "
# Which keys of a list of objects cases.csv also gives joined, for spreadsheet users
# (every key of every item is in that list's own long table either way).
JOINED = {
    "councils": ("name", "gss_code", "type", "region"),
    "data": ("name", "kind"),
    "challenges": ("category",),
    "success_factors": ("category",),
    "sources": ("url",),
}
SINGULAR = {
    "councils": "council",
    "data": "dataset",
    "challenges": "challenge",
    "success_factors": "success_factor",
    "sources": "source",
}
PLURAL = {
    "name": "names",
    "gss_code": "gss_codes",
    "type": "types",
    "region": "regions",
    "kind": "kinds",
    "category": "categories",
    "url": "urls",
}


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
    return list(iter_fields(case_schema()))


def _is_list(f: Field) -> bool:
    return f.schema.get("type") == "array"


def _items(schema: dict[str, Any], f: Field) -> dict[str, Any]:
    return resolve(schema, f.schema.get("items", {}))


def table_name(path: str) -> str:
    return "case_" + path.rsplit(".", 1)[-1]


def build_tables(config: SiteConfig) -> list[Table]:
    """The export's tables, derived from the schema."""
    schema = case_schema()
    fields = _fields()
    top = [f for f in fields if "[]" not in f.path]
    scalar = [f for f in top if f.schema.get("type") not in ("array", "object")]
    lists = [f for f in top if _is_list(f)]
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
        items = _items(schema, f)
        name = f.path.rsplit(".", 1)[-1]
        if items.get("type") == "object":
            for key in JOINED.get(name, ()):
                sub = resolve(schema, items["properties"][key])
                columns.append(
                    Column(
                        f"{SINGULAR[name]}_{PLURAL[key]}",
                        "string",
                        f"{sub.get('title', key)} of each of the case's {f.title.lower()}, joined with '; '.",
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
    columns.append(
        Column(
            "page_url", "string", "The case's page on the site.", lambda c: config.page_url(f"{FOLDER}/cases/{c.id}/")
        )
    )
    tables = [Table("cases", "One row per case.", columns, lambda c: [c], ["id"])]
    for f in lists:
        items = _items(schema, f)
        key_columns = [
            Column("case_id", "string", "The id of the case (cases.id).", lambda pair: pair[0]),
            Column("position", "integer", "The item's position in the case's list, from 1.", lambda pair: pair[1]),
        ]
        if items.get("type") == "object":
            value_columns = [
                Column(
                    key,
                    _frictionless_type(resolve(schema, sub)),
                    resolve(schema, sub).get("description", key),
                    _item_key(key),
                    resolve(schema, sub).get("x-vocabulary"),
                )
                for key, sub in items.get("properties", {}).items()
            ]
        else:
            name = "related_id" if f.path == "related" else f.path.rsplit(".", 1)[-1].rstrip("s")
            if f.path == "replication.adopted_by":
                name = "adopted_by"
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
    """councils.csv: the register's rows for the codes the exported cases name."""

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


def _csv_writer() -> tuple[io.StringIO, Any]:
    buffer = io.StringIO()
    return buffer, csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)


def _cells(values: Iterable[Any]) -> list[Any]:
    return ["" if v is None else v for v in values]


def to_csv(table: TableRows) -> bytes:
    """A table as RFC 4180 CSV (CRLF line ends, minimal quoting), the bytes pandas' to_csv writes."""
    buffer, writer = _csv_writer()
    writer.writerow(table.columns)
    writer.writerows(_cells(row) for row in table.rows)
    return buffer.getvalue().encode("utf-8")


def csv_rows(table: TableRows, key: str = "id") -> dict[str, Any]:
    """The header and each row of a table as CSV text, by key, exactly as in its .csv file.

    The site's catalogue view joins the rows a visitor has filtered into a CSV
    file in the browser, so it never needs to parse CSV.
    """
    buffer, writer = _csv_writer()

    def line(values: Iterable[Any]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(_cells(values))
        return buffer.getvalue()[:-2]

    position = table.columns.index(key)
    return {"header": line(table.columns), "rows": {str(row[position]): line(row) for row in table.rows}}


def datapackage(tables: list[Table]) -> dict[str, Any]:
    """A Frictionless data package describing every CSV table."""
    vocabs = vocabularies()
    resources = []
    for table in tables:
        fields_ = []
        for column in table.columns:
            entry: dict[str, Any] = {"name": column.name, "type": column.type, "description": column.description}
            if column.vocabulary:
                entry["constraints"] = {"enum": [str(t) for t in vocabs[column.vocabulary].ids()]}
                if column.type != "string":
                    entry["constraints"] = {"enum": vocabs[column.vocabulary].ids()}
            fields_.append(entry)
        schema: dict[str, Any] = {"fields": fields_, "primaryKey": table.primary_key}
        if table.foreign_keys:
            schema["foreignKeys"] = table.foreign_keys
        resources.append(
            {
                "name": table.name,
                "path": f"{table.name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": table.description,
                "schema": schema,
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True},
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": "council-data-casebook",
        "title": "Council Data Casebook",
        "description": f"Case studies of UK councils using data (case format version {FORMAT_VERSION}).",
        "licenses": [
            {
                "name": "OGL-UK-3.0",
                "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
                "title": "Open Government Licence v3.0 (unless a case's licence column says otherwise)",
            }
        ],
        "resources": resources,
    }


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
            allowed = (
                f" Allowed values: [{column.vocabulary}](#{column.vocabulary.replace('_', '-')})."
                if column.vocabulary
                else ""
            )
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


def cases_json(cases: list[Case]) -> bytes:
    """cases.json: every case exactly as loaded, one case per line (fast to write, easy to diff)."""
    lines = ",\n".join(json.dumps(c.data, ensure_ascii=False) for c in cases)
    return f'{{"format_version": {json.dumps(FORMAT_VERSION)}, "cases": [\n{lines}\n]}}\n'.encode()


EXCEL_CELL_LIMIT = 32_767  # characters in one cell
_EXCEL_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what openpyxl refuses; tab, LF and CR are kept
EXCEL_CUT_NOTE = " [cut: longer than a spreadsheet cell holds; the full text is in cases.csv and cases.json]"


def excel_cell(value: Any) -> Any:
    """A value as a spreadsheet cell can hold it.

    Characters openpyxl refuses become U+FFFD; text longer than a cell holds is
    cut, and says so at its end. (The case format refuses control characters,
    so only text read without validation can need this.) Carriage returns are
    kept: :func:`xlsx` writes them as character references.
    """
    if type(value) is not str:
        return value
    value = _EXCEL_ILLEGAL.sub("\ufffd", value)
    if len(value) > EXCEL_CELL_LIMIT:
        value = value[: EXCEL_CELL_LIMIT - len(EXCEL_CUT_NOTE)] + EXCEL_CUT_NOTE
    return value


def xlsx(frames_: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per table. The workbook's timestamps are fixed so the bytes are repeatable."""
    import pandas as pd

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in frames_.items():
            text = frame.select_dtypes(include="object").columns
            safe = frame.assign(**{column: frame[column].map(excel_cell) for column in text})
            safe.to_excel(writer, sheet_name=name[:31], index=False)
    parts = {}
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        for name in archive.namelist():
            parts[name] = archive.read(name)
    for name in parts:  # a raw CR in XML text reads back as LF: write it as a character reference
        if name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml":
            parts[name] = parts[name].replace(b"\r", b"&#13;")
    core = parts.get("docProps/core.xml", b"").decode("utf-8")
    core = re.sub(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)", r"\g<1>2000-01-01T00:00:00Z\3", core)
    parts["docProps/core.xml"] = core.encode("utf-8")
    return zip_bytes(parts)


FORMATS = ("csv", "json", "datapackage", "xlsx")
DEFAULT_FORMATS = ("csv", "json", "datapackage")  # XLSX is slower to write, so only on request
ZIP_NAME = "council-data-casebook.zip"


def export_files(
    cases: list[Case],
    formats: Iterable[str],
    config: SiteConfig,
    *,
    zipped: bool = False,
    tidy: dict[str, TableRows] | None = None,
) -> dict[str, bytes]:
    """The files of one export, by name, for ``formats`` (see :data:`FORMATS`; "all" means every one)."""
    wanted = set(FORMATS) if "all" in formats else set(formats)
    cases = sorted(cases, key=lambda c: c.id)
    tables = build_tables(config)
    files: dict[str, bytes] = {}
    if tidy is None:
        tidy = table_rows(cases, tables, spreadsheet=True) if wanted & {"csv", "datapackage", "xlsx"} else {}
    if wanted & {"csv", "datapackage"}:
        for name, table in tidy.items():
            files[f"{name}.csv"] = to_csv(table)
        files["DATA_DICTIONARY.md"] = data_dictionary(tables).encode("utf-8")
    if "datapackage" in wanted:
        files["datapackage.json"] = (json.dumps(datapackage(tables), indent=2) + "\n").encode("utf-8")
    if "json" in wanted:
        files["cases.json"] = cases_json(cases)
    if "xlsx" in wanted:
        files["cases.xlsx"] = xlsx({name: table.frame() for name, table in tidy.items()})
    if zipped:
        files[ZIP_NAME] = zip_bytes(files)
    return files


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """The files as one zip with fixed timestamps, so the same export gives the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name])
    return buffer.getvalue()


def write_files(folder: Path, files: dict[str, bytes]) -> None:
    """Write each file atomically (see :func:`generator.files.write_atomically`)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        write_atomically(folder / name, data)


def parse_filters(filters: dict[str, tuple[str, ...]]) -> dict[str, list[str]]:
    """Command-line filter values checked against their vocabularies."""
    from difflib import get_close_matches

    from .errors import CasebookError
    from .facets import FACETS_BY_NAME

    criteria: dict[str, list[str]] = {}
    for key, values in filters.items():
        if not values:
            continue
        facet = FACETS_BY_NAME[key.replace("_", "-")]
        allowed = [str(t) for t in vocabularies()[facet.vocabulary].ids()] if facet.vocabulary else None
        if facet.name == "personal-data":
            allowed = ["yes", "no"]
        for value in values:
            if allowed is not None and value not in allowed:
                close = get_close_matches(value, allowed, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f"; allowed: {', '.join(allowed)}"
                raise CasebookError(f"--{facet.name} {value!r} is not a known value{hint}")
        criteria[facet.name] = list(values)
    return criteria


def run_export(
    formats: Iterable[str],
    out: Path,
    cases_dir: Path,
    config_file: Path,
    skip_invalid: bool,
    min_evidence: int | None,
    filters: dict[str, tuple[str, ...]],
    progress: bool = False,
    zipped: bool = False,
) -> tuple[list[str], list[str], int]:
    """Load, check, filter and write one export. Returns (files, files left out, cases exported)."""
    from .build import read_site_config
    from .catalogue import load_catalogue
    from .errors import InvalidCatalogue

    criteria = parse_filters(filters)
    catalogue = load_catalogue([cases_dir])
    if catalogue.errors and not skip_invalid:
        raise InvalidCatalogue(catalogue.errors)
    chosen = catalogue.filter(criteria)
    if min_evidence is not None:
        chosen = [c for c in chosen if c["impact"]["evidence_level"] >= min_evidence]
    config = read_site_config(config_file) if config_file.is_file() else SiteConfig()
    if progress:
        import click

        with click.progressbar(length=2, label=f"Exporting {len(chosen)} cases") as bar:
            files = export_files(chosen, formats, config, zipped=zipped)
            bar.update(1)
            write_files(out, files)
            bar.update(1)
    else:
        files = export_files(chosen, formats, config, zipped=zipped)
        write_files(out, files)
    return sorted(files), catalogue.invalid_files, len(chosen)
