"""Council Data Casebook: validate case studies and publish them as a site and data.

The library is the main interface; the ``casebook`` command is a thin layer on it::

    from generator import load_catalogue
    catalogue = load_catalogue(["cases"])
    catalogue.ok(), catalogue.cases, catalogue.problems
"""

from .core.catalogue import Case, Catalogue, load_catalogue
from .core.problems import Problem
from .core.schema import FORMAT_VERSION, case_schema, vocabularies

__all__ = ["FORMAT_VERSION", "Case", "Catalogue", "Problem", "case_schema", "load_catalogue", "vocabularies"]
