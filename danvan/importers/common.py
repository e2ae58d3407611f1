"""What both imports share: errors, summaries and the idempotent unit writer."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from ..enums import UnitKind
from ..models import Unit

#: Communes, wards and special zones of the national list exist since the two-tier reform.
COMMUNES_VALID_FROM = datetime.date(2025, 7, 1)

#: Kinds that only the national list may create or change.
ADMINISTRATIVE_KINDS = frozenset(
    kind.value for kind in (UnitKind.PROVINCE, UnitKind.COMMUNE, UnitKind.DISTRICT)
)


class UnitImportError(Exception):
    """An import refused; ``message`` is user-facing, ``errors`` lists every row error.

    Nothing was saved when this is raised.
    """

    def __init__(self, message: str, *, errors: Iterable[RowError] = ()):
        super().__init__(message)
        self.message = message
        self.errors = list(errors)

    def __str__(self):
        return self.message


@dataclass(frozen=True)
class RowError:
    """One problem in an imported file.

    ``line`` is the line (CSV) or row (XLSX) number as the user sees it in the file;
    ``column`` is the column header as written in the file (empty for a whole-row problem).
    """

    line: int
    column: str
    message: str

    def __str__(self):
        if self.column:
            return _("Line %(line)d, column “%(column)s”: %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ImportSummary:
    """How many units an import created, updated and left as they were."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def __str__(self):
        return _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


class UnitWriter:
    """Create or update units by code, saving only the fields that differ.

    Units with the given codes are read in one query up front (all coded units when
    ``codes`` is None); ``summary`` counts what ``write`` did. Used by the imports here and
    by the demo data, so all of them share the same idempotence.
    """

    def __init__(self, *, codes: Iterable[str] | None = None, change_reason: str = ""):
        queryset = Unit.objects.filter(code__isnull=False)
        if codes is not None:
            queryset = queryset.filter(code__in=set(codes))
        self._by_code: dict[str, Unit] = {unit.code: unit for unit in queryset}
        self.change_reason = change_reason
        self.summary = ImportSummary()

    def get(self, code: str) -> Unit | None:
        """The unit with ``code`` known to this writer (read up front or written since)."""
        return self._by_code.get(code)

    def write(self, *, code: str, create_only: Iterable[str] = (), **values: Any) -> Unit:
        """Create the unit ``code`` with ``values``, or update the fields that differ.

        Fields named in ``create_only`` are set on creation and never changed afterwards.
        Side effects: at most one INSERT or one UPDATE (with its history row).
        """
        unit = self._by_code.get(code)
        if unit is None:
            unit = Unit(code=code, **values)
            unit._change_reason = self.change_reason
            unit.save()
            self._by_code[code] = unit
            self.summary.created += 1
            return unit
        changed = []
        for name, value in values.items():
            if name in create_only:
                continue
            if name == "parent":
                if unit.parent_id != (value.pk if value is not None else None):
                    unit.parent = value
                    changed.append(name)
            elif getattr(unit, name) != value:
                setattr(unit, name, value)
                changed.append(name)
        if changed:
            unit._change_reason = self.change_reason
            unit.save(update_fields=changed)
            self.summary.updated += 1
        else:
            self.summary.unchanged += 1
        return unit
