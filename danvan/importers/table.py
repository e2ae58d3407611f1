"""Non-administrative units from a CSV or XLSX table, all-or-nothing with row errors."""

from __future__ import annotations

import csv
import datetime
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, BinaryIO

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..enums import UnitKind
from ..models import Unit
from ..utils import fold_vietnamese
from .common import ADMINISTRATIVE_KINDS, ImportSummary, RowError, UnitImportError, UnitWriter

# --------------------------------------------------------------------------------------
# Unit tables (CSV or XLSX)


@dataclass(frozen=True)
class _Column:
    field: str
    required: bool
    max_length: int | None
    aliases: tuple[str, ...]


# Headers are compared folded (lower case, no diacritics, "_" and "-" read as spaces),
# so "Mã đơn vị cấp trên", "ma_don_vi_cap_tren" and "MA DON VI CAP TREN" are one header.
_COLUMNS = (
    _Column("code", True, 32, ("code", "ma", "ma don vi", "unit code")),
    _Column("name", True, 255, ("name", "ten", "ten don vi", "unit name")),
    _Column("kind", True, None, ("kind", "type", "loai", "loai don vi")),
    _Column(
        "parent_code",
        False,
        None,
        (
            "parent code",
            "parent",
            "don vi cap tren",
            "ma don vi cap tren",
            "ma cap tren",
            "cap tren",
        ),
    ),
    _Column("short_name", False, 100, ("short name", "ten viet tat", "viet tat")),
    _Column(
        "valid_from",
        False,
        None,
        ("valid from", "tu ngay", "hieu luc tu", "ngay hieu luc", "ngay thanh lap"),
    ),
)
_COLUMN_BY_ALIAS = {alias: column for column in _COLUMNS for alias in column.aliases}
# Columns spreadsheets commonly carry that mean nothing to the import.
_IGNORED_HEADERS = frozenset({"stt", "so thu tu", "tt", "ghi chu", "note", "notes"})

# Vietnamese words people write in the "kind" column, beside the enum values and labels.
_KIND_WORDS = {
    UnitKind.DEPARTMENT: (
        "so",
        "so ban nganh",
        "so, ban, nganh",
        "co quan",
        "co quan, don vi",
        "co quan chuyen mon",
        "don vi su nghiep",
    ),
    UnitKind.PARTY_BODY: ("co quan dang", "to chuc dang", "dang uy", "dang bo", "ban dang"),
    UnitKind.MASS_ORGANISATION: (
        "mttq",
        "mat tran",
        "mat tran to quoc",
        "mttq va doan the",
        "mat tran to quoc va doan the",
        "doan the",
        "to chuc chinh tri - xa hoi",
        "to chuc chinh tri xa hoi",
    ),
    UnitKind.ARMED_FORCES: ("luc luong vu trang", "llvt", "quan su", "cong an", "bien phong"),
    UnitKind.RESIDENTIAL: (
        "thon",
        "to dan pho",
        "thon, to dan pho",
        "thon to dan pho",
        "khu dan cu",
        "ap",
        "chi bo",
    ),
    UnitKind.PROVINCE: ("tinh", "thanh pho truc thuoc trung uong"),
    UnitKind.COMMUNE: ("xa", "phuong", "dac khu", "xa, phuong, dac khu", "thi tran"),
    UnitKind.DISTRICT: ("huyen", "quan", "thi xa", "thanh pho thuoc tinh"),
}

_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


def _fold_header(text: str) -> str:
    return " ".join(fold_vietnamese(text.replace("_", " ")).split())


def _kind_lookup() -> dict[str, UnitKind]:
    """Folded value, label (English and Vietnamese) or usual word → kind."""
    lookup: dict[str, UnitKind] = {}
    for kind in UnitKind:
        lookup[fold_vietnamese(kind.value)] = kind
        for language in ("en", "vi"):
            with translation.override(language):
                lookup[fold_vietnamese(str(kind.label))] = kind
        lookup.update(dict.fromkeys(_KIND_WORDS.get(kind, ()), kind))
    return lookup


def _cell_text(value: Any) -> str:
    """A CSV or XLSX cell as NFC text (spreadsheet numbers keep no ".0")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    # Files from some Vietnamese input tools carry decomposed (NFD) accents.
    return unicodedata.normalize("NFC", str(value)).strip()


def _read_csv(data: bytes) -> Iterator[tuple[int, list[str]]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnitImportError(
            _(
                "The file is saved as UTF-16. Save it as “CSV UTF-8 (comma delimited)” "
                "and import it again."
            )
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # cp1258, latin-1 or TCVN3 would decode into garbled Vietnamese: refuse instead.
        raise UnitImportError(
            _(
                "The file is not UTF-8 encoded (line %(line)d has bytes that are not UTF-8). "
                "Save it as “CSV UTF-8 (comma delimited)” and import it again."
            )
            % {"line": data[: exc.start].count(b"\n") + 1}
        ) from exc
    first_line = text.split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(first_line, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous_end = 0
    try:
        for record in reader:
            # A quoted cell may span lines: a record starts after the previous one ended.
            yield previous_end + 1, [_cell_text(cell) for cell in record]
            previous_end = reader.line_num
    except csv.Error as exc:
        raise UnitImportError(
            _("Line %(line)d cannot be read as CSV: %(reason)s")
            % {"line": reader.line_num, "reason": exc}
        ) from exc


def _read_xlsx(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of error on a broken file
        raise UnitImportError(_("The file cannot be read as an Excel workbook (.xlsx).")) from exc
    try:
        sheet = workbook.worksheets[0]
        # Some generators write wrong dimensions; read the rows actually present.
        sheet.reset_dimensions()
        for number, row in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
            yield (
                number,
                [value.date() if isinstance(value, datetime.datetime) else value for value in row],
            )
    finally:
        workbook.close()


def _read_table(*, file: BinaryIO, filename: str) -> list[tuple[int, list[Any]]]:
    data = file.read()
    if isinstance(data, str):
        data = data.encode("utf-8")
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".csv":
        rows = list(_read_csv(data))
    elif suffix == ".xlsx":
        rows = list(_read_xlsx(data))
    else:
        raise UnitImportError(
            _("%(filename)s is neither a .csv nor a .xlsx file.") % {"filename": filename}
        )
    return [(line, cells) for line, cells in rows if any(_cell_text(cell) for cell in cells)]


def _parse_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    text = _cell_text(value)
    for date_format in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    return None


@dataclass
class _Row:
    line: int
    code: str = ""
    name: str = ""
    kind: str = ""
    parent_code: str = ""
    short_name: str = ""
    valid_from: datetime.date | None = None
    cells: dict[str, Any] = field(default_factory=dict)


def _map_header(*, line: int, cells: list[Any]) -> tuple[dict[str, int], dict[str, str]]:
    """Header cells → (field → column index, field → header as written); raises on errors."""
    errors = []
    indexes: dict[str, int] = {}
    headers: dict[str, str] = {}
    for index, cell in enumerate(cells):
        header = _cell_text(cell)
        folded = _fold_header(header)
        if not folded or folded in _IGNORED_HEADERS:
            continue
        column = _COLUMN_BY_ALIAS.get(folded)
        if column is None:
            errors.append(
                RowError(
                    line,
                    header,
                    _("Unknown column. Accepted columns: %(columns)s.")
                    % {"columns": ", ".join(c.field for c in _COLUMNS)},
                )
            )
        elif column.field in indexes:
            errors.append(
                RowError(
                    line,
                    header,
                    _("This column repeats column “%(column)s”.")
                    % {"column": headers[column.field]},
                )
            )
        else:
            indexes[column.field] = index
            headers[column.field] = header
    for column in _COLUMNS:
        if column.required and column.field not in indexes:
            errors.append(
                RowError(
                    line,
                    column.field,
                    _("Required column is missing (accepted headers: %(aliases)s).")
                    % {"aliases": ", ".join(column.aliases)},
                )
            )
    if errors:
        raise UnitImportError(_("The header row of the file is not right."), errors=errors)
    return indexes, headers


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
    table = _read_table(file=file, filename=filename)
    if not table:
        raise UnitImportError(_("The file is empty."))
    header_line, header_cells = table[0]
    indexes, headers = _map_header(line=header_line, cells=header_cells)

    rows: list[_Row] = []
    for line, cells in table[1:]:
        row = _Row(line=line)
        for name, index in indexes.items():
            row.cells[name] = cells[index] if index < len(cells) else None
        rows.append(row)

    referenced = {
        _cell_text(row.cells.get(name)) for row in rows for name in ("code", "parent_code")
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
    *, rows: list[_Row], headers: dict[str, str], existing: dict[str, Unit], parent: Unit | None
) -> list[RowError]:
    """Fill each row's fields from its cells and return every problem found."""
    errors: list[RowError] = []
    kinds = _kind_lookup()
    max_lengths = {column.field: column.max_length for column in _COLUMNS}
    first_line_of: dict[str, int] = {}
    for row in rows:
        code = _cell_text(row.cells.get("code"))
        if code and code not in first_line_of:
            first_line_of[code] = row.line

    def error(row: _Row, name: str, message: str) -> None:
        errors.append(RowError(row.line, headers.get(name, name), message))

    for row in rows:
        for name in ("code", "name", "short_name", "parent_code"):
            setattr(row, name, _cell_text(row.cells.get(name)))
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

        kind_text = _cell_text(row.cells.get("kind"))
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
        if _cell_text(raw_date):
            row.valid_from = _parse_date(raw_date)
            if row.valid_from is None:
                error(
                    row,
                    "valid_from",
                    _("“%(value)s” is not a date; write it as dd/mm/yyyy.")
                    % {"value": _cell_text(raw_date)},
                )
            elif unit is not None and unit.valid_to and row.valid_from > unit.valid_to:
                error(
                    row,
                    "valid_from",
                    _("The unit's validity ends on %(date)s, before this start date.")
                    % {"date": unit.valid_to.strftime("%d/%m/%Y")},
                )

    if not errors:
        errors.extend(_cycle_errors(rows=rows, headers=headers, existing=existing, parent=parent))
    # Report in reading order: by line, then by the column's place in the file.
    order = {header: index for index, header in enumerate(headers.values())}
    return sorted(errors, key=lambda e: (e.line, order.get(e.column, len(order))))


def _cycle_errors(
    *, rows: list[_Row], headers: dict[str, str], existing: dict[str, Unit], parent: Unit | None
) -> list[RowError]:
    """Rows that would move an existing unit below itself (only moves can close a loop)."""

    def target(row: _Row) -> Any:
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
