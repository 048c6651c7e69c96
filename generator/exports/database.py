"""The catalogue as one SQLite database, for Datasette and for SQL, built with sqlite-utils.

The database holds the same tables as the CSV export, with the same columns and the
values as loaded (no spreadsheet guards: a database is not opened by Excel). Each table
keeps its primary key, its foreign keys (``case_id`` to ``cases``, ``gss_code`` to
``councils``) and an index on each; ``cases`` has a full-text index (FTS5) over its
title, summary, problem, approach and impact summary. :func:`datasette_metadata` gives
Datasette each table's and column's description from the data dictionary, with the
licence and the source.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from ..core.project import SiteConfig
from .tables import CATALOGUE_DESCRIPTION, LICENCE_TITLE, LICENCE_URL, Table, TableRows

DATABASE = "casebook.db"
METADATA = "metadata.json"
FULL_TEXT = ("title", "summary", "problem", "approach", "impact_summary")
_TYPES: dict[str, type] = {"integer": int, "number": float, "boolean": int}  # the rest are text (ISO dates too)


def _create(db: Any, table: Table, rows: TableRows) -> None:
    columns = {column.name: _TYPES.get(column.type, str) for column in table.columns}
    keys = [(k["fields"][0], k["reference"]["resource"], k["reference"]["fields"][0]) for k in table.foreign_keys]
    pk = table.primary_key[0] if len(table.primary_key) == 1 else tuple(table.primary_key) or None
    created = db.table(table.name)
    created.create(columns, pk=pk, foreign_keys=keys, not_null=set(table.primary_key))
    created.insert_all((dict(zip(rows.columns, row, strict=True)) for row in rows.rows), batch_size=500)
    for column in sorted({key[0] for key in keys}):
        created.create_index([column], if_not_exists=True)


def database_bytes(tables: list[Table], tidy: dict[str, TableRows]) -> bytes:
    """The database file's bytes: every table of ``tables`` with its rows from ``tidy``."""
    import sqlite_utils

    # the tables others point to first: cases, and the register's councils
    ordered = sorted(tables, key=lambda t: (bool(t.foreign_keys), tables.index(t)))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / DATABASE
        db = sqlite_utils.Database(path)
        for table in ordered:
            _create(db, table, tidy[table.name])
        db.table("cases").enable_fts(list(FULL_TEXT), tokenize="porter", create_triggers=False)
        db.conn.commit()
        db.vacuum()
        db.close()
        return path.read_bytes()


def datasette_metadata(tables: list[Table], config: SiteConfig) -> dict[str, Any]:
    """Datasette's metadata for the database: what each table and column holds, the licence and the source."""
    return {
        "title": config.site_name,
        "description": CATALOGUE_DESCRIPTION,
        "license": LICENCE_TITLE,
        "license_url": LICENCE_URL,
        "source": config.site_name,
        "source_url": config.site_url,
        "databases": {
            Path(DATABASE).stem: {
                "tables": {
                    table.name: {
                        "description": table.description,
                        "columns": {column.name: column.description for column in table.columns},
                    }
                    for table in tables
                }
            }
        },
    }
