"""Research exports: the tables of :mod:`generator.exports.tables` as CSV, a Frictionless data package and
XLSX, and the catalogue as JSON. ``councils.csv`` holds the register rows the exported cases
name, tied to ``case_councils`` by a foreign key.

Text cells that a spreadsheet would run as a formula are guarded with a leading
``'`` in CSV and XLSX (OWASP); JSON keeps the exact text.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.catalogue import Case, load_catalogue
from ..core.errors import CasebookError, InvalidCatalogue
from ..core.facets import FACETS_BY_NAME
from ..core.files import write_atomically
from ..core.project import Project, SiteConfig
from ..core.schema import FORMAT_VERSION, vocabularies
from ..exports import DEFAULT_FORMATS, FORMATS
from .database import DATABASE, METADATA, database_bytes, datasette_metadata
from .tables import (
    CATALOGUE_DESCRIPTION,
    LICENCE_ID,
    LICENCE_TITLE,
    LICENCE_URL,
    WORKBOOK,
    Table,
    TableRows,
    build_tables,
    data_dictionary,
    table_rows,
)

if TYPE_CHECKING:
    import pandas as pd


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
        "description": CATALOGUE_DESCRIPTION,
        "licenses": [{"name": LICENCE_ID, "path": LICENCE_URL, "title": LICENCE_TITLE}],
        "resources": resources,
    }


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
        files[WORKBOOK] = xlsx({name: table.frame() for name, table in tidy.items()})
    if "sqlite" in wanted:
        files[DATABASE] = database_bytes(tables, table_rows(cases, tables, spreadsheet=False))
        files[METADATA] = (json.dumps(datasette_metadata(tables, config), indent=2) + "\n").encode("utf-8")
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
    """Write each file atomically (see :func:`generator.core.files.write_atomically`)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        write_atomically(folder / name, data)


def parse_filters(filters: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Command-line filter values checked against their vocabularies."""
    criteria: dict[str, list[str]] = {}
    for key, values in filters.items():
        if not values:
            continue
        facet = FACETS_BY_NAME[key.replace("_", "-")]
        terms = facet.terms()
        allowed = [str(t) for t in terms] if terms is not None else None
        for value in values:
            if allowed is not None and value not in allowed:
                close = get_close_matches(value, allowed, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f"; allowed: {', '.join(allowed)}"
                raise CasebookError(f"--{facet.name} {value!r} is not a known value{hint}")
        criteria[facet.name] = list(values)
    return criteria


@dataclass(frozen=True)
class ExportRequest:
    """What to export, and where: the command line's options as one value."""

    out: Path
    formats: tuple[str, ...] = DEFAULT_FORMATS
    project: Project = Project()
    skip_invalid: bool = False
    min_evidence: int | None = None
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    zipped: bool = False


@dataclass(frozen=True)
class ExportResult:
    files: list[str]  # the names written
    left_out: list[str]  # case files left out because they have errors
    cases: int  # how many cases were exported


def run_export(request: ExportRequest, step: Callable[[], object] = lambda: None) -> ExportResult:
    """Load, check, filter and write one export; ``step`` is called after each of its two slow steps."""
    criteria = parse_filters(request.filters)
    catalogue = load_catalogue([request.project.cases])
    if catalogue.errors and not request.skip_invalid:
        raise InvalidCatalogue(catalogue.errors)
    chosen = catalogue.filter(criteria)
    if request.min_evidence is not None:
        chosen = [c for c in chosen if c["impact"]["evidence_level"] >= request.min_evidence]
    files = export_files(chosen, request.formats, request.project.settings, zipped=request.zipped)
    step()
    write_files(request.out, files)
    step()
    return ExportResult(sorted(files), catalogue.invalid_files, len(chosen))
