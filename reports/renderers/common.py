"""What the three renderers share: Vietnamese numbers, the header lines, table numbering,
the annex in dictionary order, file names, and zip archives with fixed timestamps."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from danvan.pdf import file_stem, vietnamese_month
from danvan.utils import vietnamese_sort_key

from ..data import AnnexRow, Chart, Paragraph, ReportDocument, Section, Table

ANNEX_COLUMNS = (
    "STT",
    "Đơn vị",
    "Tên mô hình, điển hình",
    "Lĩnh vực",
    "Loại",
    "Cấp",
    "Mới/duy trì/nhân rộng",
    "Điểm",
    "Xếp loại",
    "Khen thưởng",
)
NUMBER_TEXT = re.compile(r"[+\-−]?\d[\d.,]*%?")


def vi_number(value) -> str:
    """A number the Vietnamese way: "2.071", "85,5", "-12"; text unchanged; "" for None."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    number = Decimal(str(value)) if isinstance(value, float) else value
    text = f"{number:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    whole, _, fraction = text.partition(".")
    whole = whole.replace(",", ".")
    return f"{whole},{fraction}" if fraction else whole


def is_numeric(value) -> bool:
    """A cell shown as a figure (centred): a number, or text like "+276", "12,5%"."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | Decimal | float):
        return True
    return isinstance(value, str) and bool(NUMBER_TEXT.fullmatch(value.strip()))


# Relative widths of a table's columns by what they hold: the row number, a figure, text.
_WEIGHTS = {"stt": 0.6, "figure": 1.0, "text": 2.6}


def column_shares(table: Table) -> list[float]:
    """Each column's share of the table's width (they add up to 1): "STT" narrow, the
    figures alike, the text columns (unit kind, field, award type, issuer) wide."""
    kinds = []
    for index, name in enumerate(table.columns):
        values = [row[index] for row in table.rows if index < len(row) and row[index] != ""]
        values = [value for value in values if value is not None]
        if index == 0 and str(name).strip().upper() == "STT":
            kinds.append("stt")
        elif values and all(is_numeric(value) for value in values):
            kinds.append("figure")
        else:
            kinds.append("text")
    weights = [_WEIGHTS[kind] for kind in kinds]
    total = sum(weights) or 1.0
    return [weight / total for weight in weights]


def number_line(doc: ReportDocument, *, blank: str = "") -> str:
    """ "Số 15-BC/BTGDVTU", or "Số{blank}-BC/BTGDVTU" when the number is still to come."""
    number = doc.number.strip()
    return f"Số {number}-BC/{doc.issuer.symbol}" if number else f"Số{blank}-BC/{doc.issuer.symbol}"


def date_line(doc: ReportDocument, *, blank: str = "") -> str:
    """ "Hà Tĩnh, ngày 10 tháng 12 năm 2025"; the day left ``blank`` for the clerk unless
    the report's day is given."""
    day = f" {doc.date.day:02d} " if doc.day_given else blank
    return f"{doc.issuer.place}, ngày{day}tháng {vietnamese_month(doc.date)} năm {doc.date.year}"


def recipient_lines(doc: ReportDocument) -> list[str]:
    """ "- Thường trực Tỉnh ủy (để báo cáo)," …, "- Lưu VP.": a dash before each, a comma
    after each but the last, which takes a full stop (unless the text ends with one)."""
    recipients = [r.strip() for r in doc.issuer.recipients if r.strip()]
    lines = []
    for index, recipient in enumerate(recipients):
        end = "." if index == len(recipients) - 1 else ","
        if recipient[-1] in ",.;:":
            end = ""
        lines.append(f"- {recipient}{end}")
    return lines


def signer_lines(doc: ReportDocument) -> tuple[list[str], str]:
    """The signature block: the bold lines above the blank space (prefix, title), the name."""
    issuer = doc.issuer
    return [line for line in (issuer.signer_prefix, issuer.signer_title) if line], (
        issuer.signer_name
    )


@dataclass(frozen=True)
class Numbered:
    """A block with its caption number ("Bảng 2", "Biểu đồ 1"); paragraphs have none."""

    block: Paragraph | Table | Chart
    number: int = 0

    @property
    def kind(self) -> str:
        return type(self.block).__name__.lower()

    @property
    def caption(self) -> str:
        if isinstance(self.block, Table):
            return f"Bảng {self.number}: {self.block.title}"
        if isinstance(self.block, Chart):
            return f"Biểu đồ {self.number}: {self.block.title}"
        return ""


@dataclass(frozen=True)
class Part:
    """A section ready to print: level 1 or 2, its heading, its numbered blocks."""

    level: int
    heading: str
    blocks: tuple[Numbered, ...]


def outline(doc: ReportDocument) -> list[Part]:
    """The sections flattened in reading order, tables and charts numbered separately."""
    counters = {Table: 0, Chart: 0}
    parts: list[Part] = []

    def walk(sections: tuple[Section, ...], level: int) -> None:
        for section in sections:
            blocks = []
            for block in section.blocks:
                kind = type(block)
                if kind in counters:
                    counters[kind] += 1
                    blocks.append(Numbered(block, counters[kind]))
                else:
                    blocks.append(Numbered(block))
            parts.append(Part(level, section.heading, tuple(blocks)))
            walk(section.subsections, min(level + 1, 2))

    walk(doc.sections, 1)
    return parts


def annex_heading(doc: ReportDocument) -> tuple[str, str]:
    """The annex's title lines: "PHỤ LỤC" and what it lists (split at the colon when the
    data writes "PHỤ LỤC: DANH SÁCH …" on one line)."""
    title = doc.annex_title.strip()
    head, colon, rest = title.partition(":")
    if colon and head.strip().upper() == "PHỤ LỤC":
        return "PHỤ LỤC", rest.strip()
    if title.upper().startswith("PHỤ LỤC"):
        return title, ""
    return "PHỤ LỤC", title


def annex_reference(doc: ReportDocument, *, blank: str = "") -> str:
    """ "(Kèm theo Báo cáo số 15-BC/BTGDVTU)" under the annex title."""
    line = number_line(doc, blank=blank)  # "Số …" → "số …" inside the sentence
    return f"(Kèm theo {doc.title.strip().capitalize()} s{line[1:]})"


def annex_columns(doc: ReportDocument) -> tuple[str, ...]:
    """The annex header with "STT" first (the data may give the nine columns without it)."""
    columns = tuple(doc.annex_columns) or ANNEX_COLUMNS
    if len(columns) == len(ANNEX_COLUMNS) - 1:
        columns = ("STT", *columns)
    return columns


def ordered_annex(doc: ReportDocument) -> list[AnnexRow]:
    """The annex in Vietnamese dictionary order of the unit, then of the model's name (the
    same order, hence the same STT, in the PDF, the DOCX and the XLSX)."""
    return sorted(
        doc.annex,
        key=lambda row: (vietnamese_sort_key(row.unit), vietnamese_sort_key(row.name)),
    )


def annex_cells(row: AnnexRow) -> tuple[str, ...]:
    """The nine printed cells of an annex row (after STT), the score Vietnamese-style."""
    return (
        row.unit,
        row.name,
        row.field,
        row.kind,
        row.level,
        row.origin,
        vi_number(row.score),
        row.tier,
        row.award,
    )


def stem(doc: ReportDocument) -> str:
    """The file name (no extension) of every format: "bao-cao-ket-qua-…-nam-2025"."""
    return file_stem(f"{doc.title} {doc.summary_line}", max_length=90)


def document_title(doc: ReportDocument) -> str:
    return " ".join(filter(None, [doc.title, doc.summary_line]))


def fixed_zip(content: bytes, *, when: datetime.date, replace: dict | None = None) -> bytes:
    """The zip archive ``content`` rewritten with every member dated ``when`` (zip stores
    the time of writing otherwise), in the same order; ``replace`` maps a member name to a
    function turning its bytes into new bytes (fixed document properties)."""
    stamp = (when.year, when.month, when.day, 0, 0, 0)
    replace = replace or {}
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename in replace:
                data = replace[info.filename](data)
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            target.writestr(member, data)
    return output.getvalue()


def iso_datetime(day: datetime.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"
