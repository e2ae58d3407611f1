"""Bringing units in from outside: the national administrative list and unit tables.

Administrative units (the province and its communes, wards and special zones) come only
from the national list shipped by the ``vietnam-provinces`` package; every other unit
(departments, Party bodies, the Front and mass organisations, the armed forces, villages
and residential groups) comes from a CSV or XLSX table the secretariat fills in.

Both imports match units by ``code`` and are idempotent: a unit is saved only when one of
its fields actually differs, so running an import twice adds no row to the units table
nor to its django-simple-history table.
"""

from .common import (
    ADMINISTRATIVE_KINDS,
    COMMUNES_VALID_FROM,
    ImportSummary,
    RowError,
    UnitImportError,
    UnitWriter,
)
from .national import units_import_province
from .table import units_import_table

__all__ = [
    "ADMINISTRATIVE_KINDS",
    "COMMUNES_VALID_FROM",
    "ImportSummary",
    "RowError",
    "UnitImportError",
    "UnitWriter",
    "units_import_province",
    "units_import_table",
]
