"""The report as plain data: what the statistics build and every renderer (PDF, DOCX,
XLSX) reads. Frozen dataclasses, no model import, so renderers are pure functions and the
benchmark can build a report without a database.

A report is a Party document (Hướng dẫn 36-HD/VPTW): the two header blocks from the
``Issuer`` valid on the report's date, the number line, place and date, "BÁO CÁO" and the
summary line, numbered sections of blocks (paragraphs, tables, charts), "Nơi nhận" and
the signature block, then the annex of every model of the year.

Every number in a table is computed from the data (``reports.statistics``), never typed;
the narrative paragraphs are the secretariat's text (``ReportNarrative``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

Cell = str | int | Decimal | None


@dataclass(frozen=True)
class Issuer:
    """A snapshot of the ``IssuerProfile`` valid on the report's date."""

    superior_body: str  # "ĐẢNG BỘ TỈNH HÀ TĨNH"
    issuing_body: str  # "BAN TUYÊN GIÁO VÀ DÂN VẬN" (before 2025 "BAN DÂN VẬN")
    symbol: str  # "BTGDVTU" (before 2025 "BDVTU")
    place: str  # "Hà Tĩnh"
    signer_prefix: str  # "T/M BAN THƯỜNG VỤ", "K/T TRƯỞNG BAN" ("" when signing in person)
    signer_title: str  # "PHÓ TRƯỞNG BAN"
    signer_name: str
    recipients: tuple[str, ...]  # "Thường trực Tỉnh ủy (để báo cáo)", …, "Lưu VP"


@dataclass(frozen=True)
class Paragraph:
    text: str  # plain text; a blank line in the secretariat's text starts a new Paragraph


@dataclass(frozen=True)
class Table:
    """A numbered table ("Bảng 1. …"; renderers number tables in reading order)."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total: tuple[Cell, ...] | None = None  # the "Tổng cộng" row, same width as columns
    note: str = ""  # e.g. "Số liệu của các huyện giải thể năm 2025 được cộng vào đơn vị kế thừa."
    key: str = ""  # a stable identifier ("by_unit_kind") for tests and the XLSX sheet name


@dataclass(frozen=True)
class Chart:
    """A bar chart drawn server-side as SVG (PDF) or left out (DOCX keeps the table)."""

    title: str
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[int, ...]], ...]  # (series name, one value per label)
    key: str = ""


Block = Paragraph | Table | Chart


@dataclass(frozen=True)
class Section:
    """A numbered heading ("I. KẾT QUẢ THỰC HIỆN", "1. Công tác lãnh đạo …") and its
    blocks; ``subsections`` nest one level."""

    heading: str
    blocks: tuple[Block, ...] = ()
    subsections: tuple[Section, ...] = ()


@dataclass(frozen=True)
class AnnexRow:
    """One model of the year in the annex (and the XLSX's full list)."""

    unit: str
    name: str
    field: str
    kind: str  # mô hình / điển hình tập thể / điển hình cá nhân
    level: str
    origin: str  # mới / duy trì / nhân rộng
    score: Decimal | None
    tier: str
    award: str  # the award types received, "; "-joined ("" when none)


@dataclass(frozen=True)
class ReportDocument:
    kind: str  # "annual" or "summary"
    issuer: Issuer
    date: datetime.date  # the report's date (picks the issuer profile)
    title: str  # "BÁO CÁO"
    summary_line: str  # "Kết quả phong trào thi đua “Dân vận khéo” năm 2025"
    sections: tuple[Section, ...]
    number: str = ""  # "" → "Số      -BC/BTGDVTU" with the number left blank
    day_given: bool = False  # False → "Hà Tĩnh, ngày    tháng 12 năm 2025" for the clerk
    annex_title: str = ""  # "PHỤ LỤC: DANH SÁCH MÔ HÌNH, ĐIỂN HÌNH …"
    annex_columns: tuple[str, ...] = ()
    annex: tuple[AnnexRow, ...] = field(default=())

    def tables(self) -> list[Table]:
        """Every table in reading order (the XLSX writes one sheet per table)."""
        found: list[Table] = []

        def walk(sections):
            for section in sections:
                found.extend(b for b in section.blocks if isinstance(b, Table))
                walk(section.subsections)

        walk(self.sections)
        return found
