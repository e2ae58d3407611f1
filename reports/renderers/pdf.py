"""The December report as a PDF in the Party layout (Hướng dẫn 36-HD/VPTW), WeasyPrint.

The annex is grouped by unit: a full-width row "unit (number of models)", then the unit's
models with four cells each (STT, name with a small second line "field · kind · level ·
origin", "score · tier", award): WeasyPrint pays ≈2 ms of CPU per cell, and the DOCX and
the XLSX keep every column (docs/performance.md). The STT runs across the whole annex, as
in the DOCX and the XLSX.

A short annex is printed with the report in one document, in this process. A long one
(more than ``IN_PROCESS_ROWS`` models) is printed in parts, each in its own forked process,
two at a time (``danvan.pdf.render_in_children``): the report, then the annex in chunks of
at most ``CHUNK_ROWS`` rows, each chunk starting on a new page (with its unit's row again,
marked "(tiếp theo)", when it starts inside a unit). That bounds the memory
(WeasyPrint keeps ≈0.13 MB per table row until its process ends) and uses both cores.
A chunk cannot know on which page it starts (the chunks are printed at the same time),
so its pages are printed without numbers; the merge draws them from ten digit pages
printed once with the same page style, shared by every page (``_PageNumbers``).

Identical input gives identical bytes: the dates come from ``doc.date``, the parts are
printed deterministically and merged in a fixed order with fixed metadata.
"""

from __future__ import annotations

import io
import math
from collections import Counter

from danvan.pdf import PDF, PdfPart, html_pdf, render_in_children, template_html

from ..data import ReportDocument
from .charts import bar_chart_svg
from .common import (
    ANNEX_COLUMNS,
    annex_columns,
    annex_heading,
    annex_reference,
    column_shares,
    document_title,
    is_numeric,
    ordered_annex,
    outline,
    recipient_lines,
    signer_lines,
    stem,
    vi_number,
)

STYLESHEETS = ("css/report-pdf.css",)
IN_PROCESS_ROWS = 600
CHUNK_ROWS = 800
WORKERS = 2
DIGITS = "0123456789"
CONTINUED = "(tiếp theo)"
# The advance of a digit of Liberation Serif (1024/2048 em) at the page numbers' 13 pt.
DIGIT_ADVANCE = 6.5
# The peak memory (bytes) of the child processes of the last ``render_pdf`` in this
# process, for the benchmark.
last_peak_rss: list[int] = []


def render_pdf(doc: ReportDocument) -> tuple[str, str, bytes]:
    """The report, then the annex on landscape pages; ``(filename, content_type, bytes)``."""
    context = _context(doc)
    rows = _annex_rows(doc)
    last_peak_rss.clear()
    if len(rows) <= IN_PROCESS_ROWS:
        html = template_html("reports/pdf/report.html", {**context, "annex": _grouped(rows)})
        content = html_pdf(html, stylesheets=STYLESHEETS).content
        return f"{stem(doc)}.pdf", PDF, content

    parts = render_in_children(_part_htmls(context, rows), stylesheets=STYLESHEETS, workers=WORKERS)
    last_peak_rss.extend(part.peak_rss for part in parts)
    return f"{stem(doc)}.pdf", PDF, _merge(doc, parts[0], parts[1:-1], parts[-1])


def _part_htmls(context: dict, rows: list):
    """The report, the annex in chunks, the digits of the page numbers (a generator: the
    child process imports WeasyPrint meanwhile)."""
    yield template_html("reports/pdf/report.html", context)
    totals = Counter(row[1] for row in rows)
    previous = None
    for index, chunk in enumerate(_chunks(rows)):
        annex = _grouped(chunk, totals, continued=previous)
        previous = chunk[-1][1]
        yield template_html(
            "reports/pdf/annex_part.html", {**context, "annex": annex, "first": index == 0}
        )
    yield template_html("reports/pdf/page_numbers.html", {**context, "numbers": DIGITS})


def _context(doc: ReportDocument) -> dict:
    month = doc.date.month
    signer, name = signer_lines(doc)
    return {
        "doc": doc,
        "title": document_title(doc),
        "dated": doc.date,
        "day": f"{doc.date.day:02d}",
        "month": f"{month:02d}" if month < 3 else str(month),
        "parts": [_part(part) for part in outline(doc)],
        "recipients": recipient_lines(doc),
        "signer_lines": signer,
        "signer_name": name,
        "annex_heading": annex_heading(doc),
        "annex_reference": annex_reference(doc, blank=" \u2003\u2003"),
        "annex_columns": _annex_header(doc),
    }


def _part(part):
    """A section with its tables' cells formatted and its charts drawn."""
    blocks = []
    for item in part.blocks:
        view = {"kind": item.kind, "block": item.block, "caption": item.caption}
        if item.kind == "table":
            view.update(_table(item.block))
        elif item.kind == "chart":
            view["svg"] = bar_chart_svg(item.block)
        blocks.append(view)
    return {"level": part.level, "heading": part.heading, "blocks": blocks}


def _table(table) -> dict:
    count = len(table.columns)
    return {
        "rows": [_cells(row) for row in table.rows],
        "total": _cells(table.total) if table.total else None,
        "widths": [f"{share * 100:.2f}" for share in column_shares(table)],
        "wide": count > 6,
        "short": len(table.rows) <= 12,
    }


def _cells(row) -> list[dict]:
    return [{"text": vi_number(cell), "numeric": is_numeric(cell)} for cell in row]


def _annex_header(doc: ReportDocument) -> tuple[str, ...]:
    """The PDF annex's four headings and the name's second line: "STT", "Tên mô hình,
    điển hình" over "Lĩnh vực · loại · cấp · mới/duy trì/nhân rộng", "Điểm, xếp loại",
    "Khen thưởng" (from the document's ten columns; the unit is a row of its own)."""
    columns = annex_columns(doc)
    if len(columns) != len(ANNEX_COLUMNS):
        columns = ANNEX_COLUMNS
    stt, _unit, name, field, kind, level, origin, score, tier, award = columns
    detail = " · ".join([field, *(text.lower() for text in (kind, level, origin))])
    return stt, name, detail, f"{score}, {tier.lower()}", award


def _annex_rows(doc: ReportDocument) -> list[tuple[str, ...]]:
    """Per model: STT, unit, name, the small line (field · kind · level · origin),
    "score · tier", award — the unit a group row and four cells in the PDF (WeasyPrint pays
    per cell), every column in the DOCX and the XLSX."""
    return [
        (
            vi_number(number),
            row.unit,
            row.name,
            _joined(row.field, row.kind, row.level, row.origin),
            _joined(vi_number(row.score), row.tier),
            row.award,
        )
        for number, row in enumerate(ordered_annex(doc), start=1)
    ]


def _grouped(rows: list, totals: Counter | None = None, continued: str | None = None) -> list:
    """The rows under their unit: ``[{"heading": "Phường Thành Sen (3)", "rows": […]}]``,
    the count the unit's models in the whole annex (``totals``). A chunk that starts inside
    the unit ``continued`` (the last of the chunk before) heads it "… (tiếp theo)"."""
    totals = totals if totals is not None else Counter(row[1] for row in rows)
    groups = []
    for row in rows:
        unit = row[1]
        if not groups or groups[-1]["unit"] != unit:
            heading = f"{unit} ({vi_number(totals[unit])})"
            if not groups and unit == continued:
                heading = f"{heading} {CONTINUED}"
            groups.append({"unit": unit, "heading": heading, "rows": []})
        groups[-1]["rows"].append(row)
    return groups


def _joined(*parts: str) -> str:
    return " · ".join(part for part in parts if part)


def _chunks(rows: list) -> list[list]:
    """Equal chunks of at most ``CHUNK_ROWS``, their count a multiple of the workers so
    that both cores stay busy to the end."""
    count = math.ceil(len(rows) / CHUNK_ROWS)
    count = math.ceil(count / WORKERS) * WORKERS
    size = math.ceil(len(rows) / count)
    return [rows[start : start + size] for start in range(0, len(rows), size)]


def _merge(doc: ReportDocument, report: PdfPart, annex: list[PdfPart], digits: PdfPart) -> bytes:
    """The parts one after the other, the annex pages numbered on from the report's."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(report.content)).pages:
        writer.add_page(page)
    stamp = _PageNumbers(writer, digits)
    number = report.pages
    for part in annex:
        for page in PdfReader(io.BytesIO(part.content)).pages:
            number += 1
            stamp(writer.add_page(page), number)
    when = f"D:{doc.date:%Y%m%d}000000Z"
    writer.add_metadata(
        {
            "/Title": document_title(doc),
            "/Author": doc.issuer.issuing_body,
            "/Creator": "Dân vận khéo",
            "/Producer": "WeasyPrint, pypdf",
            "/CreationDate": when,
            "/ModDate": when,
        }
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


class _PageNumbers:
    """Draws page numbers on pages printed without them. Each digit is a page of
    ``digits`` (the digit alone at the top centre, in the bundled font) made into one
    form XObject, shared by every page; a number is its digits drawn side by side
    (Liberation Serif's digits are all ``DIGIT_ADVANCE`` wide), centred like WeasyPrint's
    own numbers. A page gains a few bytes, not a copy of the font."""

    def __init__(self, writer, digits: PdfPart):
        from pypdf import PdfReader
        from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject

        self.writer = writer
        self.forms = {}
        for digit, page in zip(DIGITS, PdfReader(io.BytesIO(digits.content)).pages, strict=True):
            form = DecodedStreamObject()
            form.set_data(page.get_contents().get_data())
            form.update(
                {
                    NameObject("/Type"): NameObject("/XObject"),
                    NameObject("/Subtype"): NameObject("/Form"),
                    NameObject("/BBox"): ArrayObject(page.mediabox),
                    NameObject("/Resources"): page["/Resources"].clone(writer),
                }
            )
            self.forms[NameObject(f"/DvkDigit{digit}")] = writer._add_object(form.flate_encode())
        self.save = writer._add_object(_stream(b"q\n"))

    def __call__(self, page, number: int) -> None:
        from pypdf.generic import ArrayObject, DictionaryObject, NameObject

        text = str(number)
        draw = b"".join(
            b"q 1 0 0 1 %.2f 0 cm /DvkDigit%s Do Q\n"
            % ((index - (len(text) - 1) / 2) * DIGIT_ADVANCE, digit.encode())
            for index, digit in enumerate(text)
        )
        resources = page["/Resources"].get_object()
        xobjects = resources.get("/XObject")
        if xobjects is None:
            xobjects = resources[NameObject("/XObject")] = DictionaryObject()
        xobjects = xobjects.get_object()
        for digit in sorted(set(text)):
            name = NameObject(f"/DvkDigit{digit}")
            xobjects[name] = self.forms[name]
        contents = page.raw_get("/Contents")  # the reference: a stream is never inline
        own = list(contents.get_object()) if isinstance(contents.get_object(), list) else [contents]
        # The page's own drawing between q and Q, so that it leaves no transformation behind.
        page[NameObject("/Contents")] = ArrayObject(
            [self.save, *own, self.writer._add_object(_stream(b"Q\n" + draw))]
        )


def _stream(data: bytes):
    from pypdf.generic import DecodedStreamObject

    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream
