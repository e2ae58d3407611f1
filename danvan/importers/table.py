"""Non-administrative units from a CSV or XLSX table, all-or-nothing with row errors."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any, BinaryIO

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..dates import format_date
from ..enums import UnitKind
from ..models import Unit
from ..utils import fold_vietnamese
from .common import ADMINISTRATIVE_KINDS, ImportSummary, RowError, UnitImportError, UnitWriter
from .reading import (
    COLUMNS,
    Row,
    cell_text,
    kind_lookup,
    map_header,
    parse_date,
    read_table,
)


@transaction.atomic
def units_import_table(
    *, file: BinaryIO, filename: str, parent: Unit | None = None
) -> ImportSummary:
    """Create or update non-administrative units from a CSV or XLSX table.

    ``file`` is a binary file object; ``filename`` picks the format (.csv: UTF-8 with or
    without BOM, comma, semicolon or tab separated; .xlsx: the first sheet). The first
    non-empty row is the header: code, name, kind, parent_code (optional when ``parent``
    is given: an empty cell then means ``parent``), short_name, valid_from (dd/mm/yyyy or
    yyyy-mm-dd); Vietnamese headers such as "Mã", "Tên", "Loại", "Mã đơn vị cấp trên",
    "Tên viết tắt", "Từ ngày" are accepted. A parent code names an existing unit or a
    row earlier in the file. Empty optional cells leave the existing value alone.

    Every row is checked before anything is written; units are then created or updated by
    code in file order, saving only the fields that differ (idempotent).

    Raises ``UnitImportError`` (with ``errors``: every row error, line numbers as the user
    sees them in the file) when the file cannot be read or any row is wrong; nothing is
    saved then.
    """
    table = read_table(file=file, filename=filename)
    if not table:
        raise UnitImportError(_("The file is empty."))
    header_line, header_cells = table[0]
    indexes, headers = map_header(line=header_line, cells=header_cells)

    rows: list[Row] = []
    for line, cells in table[1:]:
        row = Row(line=line)
        for name, index in indexes.items():
            row.cells[name] = cells[index] if index < len(cells) else None
        rows.append(row)

    referenced = {
        cell_text(row.cells.get(name)) for row in rows for name in ("code", "parent_code")
    }
    existing = {unit.code: unit for unit in Unit.objects.filter(code__in=referenced - {""})}
    errors = _validate_rows(rows=rows, headers=headers, existing=existing, parent=parent)
    if errors:
        raise UnitImportError(
            ngettext(
                "The file has %(count)d error; nothing was imported.",
                "The file has %(count)d errors; nothing was imported.",
                len(errors),
            )
            % {"count": len(errors)},
            errors=errors,
        )

    writer = UnitWriter(
        codes=existing.keys(),
        change_reason=_("Imported from %(filename)s") % {"filename": PurePath(filename).name},
    )
    for row in rows:
        values: dict[str, Any] = {
            "name": row.name,
            "kind": row.kind,
            "parent": writer.get(row.parent_code) if row.parent_code else parent,
        }
        if row.short_name:
            values["short_name"] = row.short_name
        if row.valid_from:
            values["valid_from"] = row.valid_from
        writer.write(code=row.code, **values)
    return writer.summary


def _validate_rows(
    *, rows: list[Row], headers: dict[str, str], existing: dict[str, Unit], parent: Unit | None
) -> list[RowError]:
    """Fill each row's fields from its cells and return every problem found."""
    errors: list[RowError] = []
    kinds = kind_lookup()
    max_lengths = {column.field: column.max_length for column in COLUMNS}
    first_line_of: dict[str, int] = {}
    for row in rows:
        code = cell_text(row.cells.get("code"))
        if code and code not in first_line_of:
            first_line_of[code] = row.line

    def error(row: Row, name: str, message: str) -> None:
        errors.append(RowError(row.line, headers.get(name, name), message))

    for row in rows:
        for name in ("code", "name", "short_name", "parent_code"):
            setattr(row, name, cell_text(row.cells.get(name)))
            limit = max_lengths[name]
            value = getattr(row, name)
            if limit and len(value) > limit:
                error(
                    row,
                    name,
                    _("The text is %(length)d characters long; at most %(max)d are allowed.")
                    % {"length": len(value), "max": limit},
                )
        for name in ("code", "name"):
            if not getattr(row, name):
                error(row, name, _("This cell is required."))

        if row.code and first_line_of[row.code] != row.line:
            error(
                row,
                "code",
                _("Code %(code)s is already used on line %(line)d.")
                % {"code": row.code, "line": first_line_of[row.code]},
            )
        unit = existing.get(row.code)
        if unit is not None and unit.kind in ADMINISTRATIVE_KINDS:
            error(
                row,
                "code",
                _(
                    "Code %(code)s belongs to the administrative unit %(unit)s, which only "
                    "the national list can change."
                )
                % {"code": row.code, "unit": unit.name},
            )

        kind_text = cell_text(row.cells.get("kind"))
        kind = kinds.get(fold_vietnamese(kind_text))
        if not kind_text:
            error(row, "kind", _("This cell is required."))
        elif kind is None:
            error(
                row,
                "kind",
                _("Unknown kind “%(kind)s”. Use one of: %(kinds)s.")
                % {
                    "kind": kind_text,
                    "kinds": ", ".join(k.value for k in UnitKind if k not in ADMINISTRATIVE_KINDS),
                },
            )
        elif kind in ADMINISTRATIVE_KINDS:
            error(
                row,
                "kind",
                _(
                    "Provinces, communes, wards and districts come from the national list "
                    "(import_units --province); they cannot be imported from a table."
                ),
            )
        else:
            row.kind = kind.value

        if not row.parent_code:
            if parent is None:
                error(
                    row,
                    "parent_code",
                    _("This cell is required when no parent unit is chosen for the import."),
                )
        elif row.parent_code == row.code:
            error(row, "parent_code", _("A unit cannot be its own parent."))
        elif first_line_of.get(row.parent_code, row.line) < row.line:
            pass  # defined on an earlier line of the file
        elif row.parent_code in existing:
            pass
        elif row.parent_code in first_line_of:
            error(
                row,
                "parent_code",
                _(
                    "Parent code %(code)s is defined on a later line (%(line)d); "
                    "list each parent before its children."
                )
                % {"code": row.parent_code, "line": first_line_of[row.parent_code]},
            )
        else:
            error(
                row,
                "parent_code",
                _("Parent code %(code)s matches no existing unit and no earlier line.")
                % {"code": row.parent_code},
            )

        raw_date = row.cells.get("valid_from")
        if cell_text(raw_date):
            row.valid_from = parse_date(raw_date)
            if row.valid_from is None:
                error(
                    row,
                    "valid_from",
                    _("“%(value)s” is not a date; write it as dd/mm/yyyy.")
                    % {"value": cell_text(raw_date)},
                )
            elif unit is not None and unit.valid_to and row.valid_from > unit.valid_to:
                error(
                    row,
                    "valid_from",
                    _("The unit's validity ends on %(date)s, before this start date.")
                    % {"date": format_date(unit.valid_to)},
                )

    if not errors:
        errors.extend(_cycle_errors(rows=rows, headers=headers, existing=existing, parent=parent))
    # Report in reading order: by line, then by the column's place in the file.
    order = {header: index for index, header in enumerate(headers.values())}
    return sorted(errors, key=lambda e: (e.line, order.get(e.column, len(order))))


def _cycle_errors(
    *, rows: list[Row], headers: dict[str, str], existing: dict[str, Unit], parent: Unit | None
) -> list[RowError]:
    """Rows that would move an existing unit below itself (only moves can close a loop)."""

    def target(row: Row) -> Any:
        if not row.parent_code:
            return parent.pk if parent else None
        if row.parent_code in existing:
            return existing[row.parent_code].pk
        return ("new", row.parent_code)

    moved = [
        row for row in rows if row.code in existing and existing[row.code].parent_id != target(row)
    ]
    if not moved:
        return []
    parent_of: dict[Any, Any] = dict(Unit.objects.values_list("pk", "parent_id"))
    for row in rows:
        node = existing[row.code].pk if row.code in existing else ("new", row.code)
        parent_of[node] = target(row)
    errors = []
    for row in moved:
        own = existing[row.code].pk
        node, steps = target(row), 0
        while node is not None and steps <= len(parent_of):
            if node == own:
                errors.append(
                    RowError(
                        row.line,
                        headers.get("parent_code", "parent_code"),
                        _("This would place the unit inside its own subtree."),
                    )
                )
                break
            node, steps = parent_of.get(node), steps + 1
    return errors
