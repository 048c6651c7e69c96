"""The research exports: tidy tables, CSV, JSON, the data package and the workbook."""
