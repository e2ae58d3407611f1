"""Reading a unit table: CSV or XLSX rows, their header and their cells."""

from __future__ import annotations

import csv
import datetime
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, BinaryIO

from django.utils import translation
from django.utils.translation import gettext as _

from ..enums import UnitKind
from ..utils import fold_vietnamese
from .common import RowError, UnitImportError


@dataclass(frozen=True)
class _Column:
    field: str
    required: bool
    max_length: int | None
    aliases: tuple[str, ...]


# Headers are compared folded (lower case, no diacritics, "_" and "-" read as spaces),
# so "Mã đơn vị cấp trên", "ma_don_vi_cap_tren" and "MA DON VI CAP TREN" are one header.
COLUMNS = (
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
_COLUMN_BY_ALIAS = {alias: column for column in COLUMNS for alias in column.aliases}
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


def kind_lookup() -> dict[str, UnitKind]:
    """Folded value, label (English and Vietnamese) or usual word → kind."""
    lookup: dict[str, UnitKind] = {}
    for kind in UnitKind:
        lookup[fold_vietnamese(kind.value)] = kind
        for language in ("en", "vi"):
            with translation.override(language):
                lookup[fold_vietnamese(str(kind.label))] = kind
        lookup.update(dict.fromkeys(_KIND_WORDS.get(kind, ()), kind))
    return lookup


def cell_text(value: Any) -> str:
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
            yield previous_end + 1, [cell_text(cell) for cell in record]
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


def read_table(*, file: BinaryIO, filename: str) -> list[tuple[int, list[Any]]]:
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
    return [(line, cells) for line, cells in rows if any(cell_text(cell) for cell in cells)]


def parse_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    for date_format in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    return None


@dataclass
class Row:
    line: int
    code: str = ""
    name: str = ""
    kind: str = ""
    parent_code: str = ""
    short_name: str = ""
    valid_from: datetime.date | None = None
    cells: dict[str, Any] = field(default_factory=dict)


def map_header(*, line: int, cells: list[Any]) -> tuple[dict[str, int], dict[str, str]]:
    """Header cells → (field → column index, field → header as written); raises on errors."""
    errors = []
    indexes: dict[str, int] = {}
    headers: dict[str, str] = {}
    for index, cell in enumerate(cells):
        header = cell_text(cell)
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
                    % {"columns": ", ".join(c.field for c in COLUMNS)},
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
    for column in COLUMNS:
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
