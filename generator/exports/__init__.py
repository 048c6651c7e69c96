"""The research exports: tidy tables, CSV, JSON, the data package, the workbook and the database."""

# Here, not in .export: the command line offers them without loading the exporters.
FORMATS = ("csv", "json", "datapackage", "xlsx", "sqlite")
DEFAULT_FORMATS = ("csv", "json", "datapackage")  # XLSX and SQLite are slower to write, so only on request
