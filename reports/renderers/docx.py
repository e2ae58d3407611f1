"""The December report as an editable Word document (python-docx): the clerk edits and
signs it in Word before issuing. The same header blocks (a borderless two-column table),
Times New Roman named in the file so that Word uses it, numbered tables, "Nơi nhận" and
the signature, page numbers at the top centre from page 2, the annex on landscape pages.
Charts are left out: their figures are in the tables.

Identical input gives identical bytes: the core properties are dated ``doc.date`` and the
zip members carry that date (``common.fixed_zip``).
"""

from __future__ import annotations

import copy
import datetime
import io

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ..data import Paragraph, ReportDocument, Table
from .common import (
    annex_cells,
    annex_columns,
    annex_heading,
    annex_reference,
    column_shares,
    date_line,
    document_title,
    fixed_zip,
    is_numeric,
    number_line,
    ordered_annex,
    outline,
    recipient_lines,
    signer_lines,
    stem,
    vi_number,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Times New Roman"
CENTER, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY
# Widths (mm) of the annex columns on a landscape page (262 mm between the margins).
ANNEX_WIDTHS = (11, 34, 63, 29, 26, 16, 21, 13, 17, 32)


def render_docx(doc: ReportDocument) -> tuple[str, str, bytes]:
    document = Document()
    _styles(document)
    section = document.sections[0]
    _page(section, landscape=False)
    section.different_first_page_header_footer = True
    _page_number(section.header.paragraphs[0])

    _header_blocks(document, doc)
    for part in outline(doc):
        _text(document, part.heading, bold=True, indent=True, before=6, keep=True)
        for item in part.blocks:
            if isinstance(item.block, Paragraph):
                _text(document, item.block.text, indent=True, before=6, align=JUSTIFY)
            elif isinstance(item.block, Table):
                _data_table(document, item.caption, item.block)
    _closing(document, doc)
    if doc.annex:
        _annex(document, doc)

    _properties(document, doc)
    buffer = io.BytesIO()
    document.save(buffer)
    content = fixed_zip(buffer.getvalue(), when=doc.date)
    return f"{stem(doc)}.docx", DOCX, content


def _styles(document) -> None:
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.space_before = Pt(0)
    style.paragraph_format.line_spacing = 1.1


def _page(section, *, landscape: bool) -> None:
    """A4; margins of Hướng dẫn 36-HD/VPTW (top 20, bottom 20, left 30, right 15 mm)."""
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (
        (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    )
    if landscape:
        section.top_margin, section.bottom_margin = Mm(20), Mm(15)
        section.left_margin, section.right_margin = Mm(20), Mm(15)
    else:
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)


def _page_number(paragraph) -> None:
    paragraph.alignment = CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _text(
    container,
    text: str,
    *,
    bold=False,
    italic=False,
    underline=False,
    size: float | None = None,
    align=None,
    indent=False,
    before: float = 0,
    keep=False,
):
    """A paragraph of one run in ``container`` (the document or a table cell)."""
    paragraph = container.add_paragraph()
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold or None, italic or None, underline or None
    if size:
        run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    form = paragraph.paragraph_format
    if indent:
        form.first_line_indent = Mm(10)
    if before:
        form.space_before = Pt(before)
    if keep:
        form.keep_with_next = True
    return paragraph


def _cell_text(cell, text: str, **style) -> None:
    """The cell's first (empty) paragraph holds the first line; ``_text`` adds the rest."""
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = style.get("bold") or None
    run.italic = style.get("italic") or None
    run.underline = style.get("underline") or None
    if style.get("size"):
        run.font.size = Pt(style["size"])
    if style.get("align") is not None:
        paragraph.alignment = style["align"]


def _borderless(document, widths_mm: tuple[int, int]):
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _widths(table, widths_mm)
    return table.rows[0].cells


def _header_blocks(document, doc: ReportDocument) -> None:
    left, right = _borderless(document, (80, 85))
    issuer = doc.issuer
    _cell_text(left, issuer.superior_body.upper(), align=CENTER)
    _text(left, issuer.issuing_body.upper(), bold=True, align=CENTER)
    _text(left, "*", align=CENTER)
    _text(left, number_line(doc, blank="        "), align=CENTER)
    _cell_text(right, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, underline=True, size=15, align=CENTER)
    _text(right, "")
    _text(right, date_line(doc, blank="       "), italic=True, align=CENTER)

    _text(document, doc.title, bold=True, size=16, align=CENTER, before=18)
    _text(document, doc.summary_line, bold=True, align=CENTER)
    _text(document, "-----", align=CENTER)


def _data_table(document, caption: str, table: Table) -> None:
    _text(document, caption, bold=True, size=13, align=CENTER, before=8, keep=True)
    rows = [*table.rows, *([table.total] if table.total else [])]
    grid = document.add_table(rows=1 + len(rows), cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    _widths(grid, [165 * share for share in column_shares(table)])
    _repeat_header(grid.rows[0])
    for cell, column in zip(grid.rows[0].cells, table.columns, strict=False):
        _cell_text(cell, column, bold=True, size=12, align=CENTER)
    for index, row in enumerate(rows):
        total = table.total is not None and index == len(rows) - 1
        for cell, value in zip(grid.rows[index + 1].cells, row, strict=False):
            align = CENTER if is_numeric(value) else None
            _cell_text(cell, vi_number(value), bold=total, size=12, align=align)
    if table.note:
        _text(document, table.note, italic=True, size=12, before=3, align=JUSTIFY)


def _widths(grid, widths_mm) -> None:
    """Column widths both in the grid (LibreOffice reads it) and on each cell (Word)."""
    for column, width in zip(grid.columns, widths_mm, strict=False):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _closing(document, doc: ReportDocument) -> None:
    _text(document, "")
    left, right = _borderless(document, (75, 90))
    recipients = recipient_lines(doc)
    if recipients:
        _cell_text(left, "Nơi nhận:", bold=True, italic=True, size=12)
        for line in recipients:
            _text(left, line, size=11)
    prefix_lines, name = signer_lines(doc)
    for index, line in enumerate(prefix_lines):
        if index == 0:
            _cell_text(right, line.upper(), bold=True, align=CENTER)
        else:
            _text(right, line.upper(), bold=True, align=CENTER)
    for _ in range(4):
        _text(right, "")
    _text(right, name, bold=True, align=CENTER)


def _annex(document, doc: ReportDocument) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=True)
    section.different_first_page_header_footer = False
    title, subtitle = annex_heading(doc)
    _text(document, title, bold=True, align=CENTER)
    if subtitle:
        _text(document, subtitle, bold=True, align=CENTER)
    _text(document, annex_reference(doc, blank="      "), italic=True, align=CENTER)
    _text(document, "")

    columns = annex_columns(doc)
    grid = document.add_table(rows=2, cols=len(columns))
    grid.style = "Table Grid"
    grid.autofit = False
    _widths(grid, ANNEX_WIDTHS)
    _repeat_header(grid.rows[0])
    for cell, column in zip(grid.rows[0].cells, columns, strict=False):
        _cell_text(cell, column, bold=True, size=11, align=CENTER)
    # One row is built with python-docx; the others are copies of its XML with the texts
    # replaced (python-docx's add_row is too slow for thousands of rows).
    template = grid.rows[1]
    for index, cell in enumerate(template.cells):
        _cell_text(cell, "-", size=11, align=CENTER if index in (0, 7) else None)
    model_tr = template._tr
    body = model_tr.getparent()
    body.remove(model_tr)
    for number, row in enumerate(ordered_annex(doc), start=1):
        tr = copy.deepcopy(model_tr)
        values = (vi_number(number), *annex_cells(row))
        for text, value in zip(tr.iter(qn("w:t")), values, strict=False):
            text.text = value
        body.append(tr)


def _properties(document, doc: ReportDocument) -> None:
    moment = datetime.datetime.combine(doc.date, datetime.time())
    properties = document.core_properties
    properties.title = document_title(doc)
    properties.author = doc.issuer.issuing_body
    properties.last_modified_by = doc.issuer.issuing_body
    properties.created = moment
    properties.modified = moment
    properties.last_printed = moment
    properties.revision = 1
    properties.comments = ""
