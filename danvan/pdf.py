"""The one way to print a PDF: HTML from a template, the bundled fonts, WeasyPrint.

Shared by every pure renderer (``awards.renderers``, ``reports.renderers``). Identical
input gives identical bytes: the PDF's dates come from the input (``dcterms`` meta tags in
the template), WeasyPrint writes no file identifier, font subsets are named
deterministically, and the text is NFC-normalised.

Long documents are printed in child processes (``render_in_children``): WeasyPrint's memory
(≈0.13 MB per table row, mostly in C) is only given back when a process ends, and these
run inside a Celery worker. The child is a plain ``python`` process, not a
``multiprocessing`` one, so it also starts from a daemonic prefork worker; it imports
WeasyPrint once and forks one process per part.
"""

from __future__ import annotations

import atexit
import datetime
import json
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify

PDF = "application/pdf"
FONT_CSS = "css/pdf-fonts.css"
CHILD_SCRIPT = Path(__file__).with_name("pdf_child.py")


class PdfChildError(RuntimeError):
    """A child process failed to print its part (its stderr is the message)."""


@dataclass(frozen=True)
class PdfPart:
    """One printed part: its bytes, its page count and the peak memory (RSS, bytes) of
    the process that printed it (0 when printed in this process)."""

    content: bytes
    pages: int
    peak_rss: int = 0


def vietnamese_date_words(day: datetime.date) -> str:
    """ "ngày 15 tháng 10 năm 2026"; days under 10 and months 1–2 take a leading zero
    (Nghị định 30/2020/NĐ-CP: "ngày 05 tháng 02 năm 2026", but "tháng 10", "tháng 3")."""
    return f"ngày {day.day:02d} tháng {vietnamese_month(day)} năm {day.year}"


def vietnamese_month(day: datetime.date) -> str:
    return f"{day.month:02d}" if day.month < 3 else str(day.month)


def file_stem(text: str, *, max_length: int = 80) -> str:
    """An ASCII file name: "Giấy chứng nhận 1034/QĐ-UBND" → "giay-chung-nhan-1034qd-ubnd"."""
    stem = slugify(text.replace("đ", "d").replace("Đ", "D"))[:max_length].strip("-")
    return stem or "tai-lieu"


def template_html(template: str, context: dict) -> str:
    """The template rendered in Vietnamese (the documents' fixed wording is Vietnamese), in
    composed letters (NFC), so that decomposed input from a paste or an import gives the
    same bytes and searchable, copyable text."""
    with translation.override("vi"):
        return unicodedata.normalize("NFC", render_to_string(template, context))


def render_pdf(template: str, context: dict, *, stylesheets: tuple[str, ...]) -> bytes:
    """``template`` printed in this process with the bundled fonts and ``stylesheets``
    (static paths, after ``css/pdf-fonts.css``)."""
    return html_pdf(template_html(template, context), stylesheets=stylesheets).content


def html_pdf(html: str, *, stylesheets: tuple[str, ...]) -> PdfPart:
    # WeasyPrint is heavy to import (Pango, fontTools): only the tasks that print pay for it.
    from weasyprint import HTML

    sheets, font_config = _stylesheets(tuple(stylesheets))
    document = HTML(string=html, base_url=_base_url()).render(
        stylesheets=sheets, font_config=font_config
    )
    return PdfPart(content=document.write_pdf(), pages=len(document.pages))


def render_in_children(
    htmls: Iterable[str], *, stylesheets: tuple[str, ...], workers: int = 2
) -> list[PdfPart]:
    """Each HTML string printed in its own child process, ``workers`` at a time; the parts
    in the order given. One child imports WeasyPrint (≈1.4 s of CPU) and forks one process
    per part (``pdf_child.py``); it starts first, so that a generator's HTML is rendered
    while it imports. Raises ``PdfChildError`` if a part fails."""
    paths = [str(static_path(name)) for name in (FONT_CSS, *stylesheets)]
    with (
        tempfile.TemporaryDirectory(prefix="danvan-pdf-") as folder,
        subprocess.Popen(  # nosec B603 # a fixed argument list (this Python, our script), no shell
            [sys.executable, "-P", str(CHILD_SCRIPT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        ) as child,
    ):
        try:
            htmls = list(htmls)
        except BaseException:
            child.kill()
            raise
        outs = [Path(folder) / f"part-{index}.pdf" for index in range(len(htmls))]
        request = {
            "base_url": _base_url(),
            "stylesheets": paths,
            "workers": workers,
            "parts": [
                {"html": html, "out": str(out)} for html, out in zip(htmls, outs, strict=True)
            ],
        }
        stdout, stderr = child.communicate(json.dumps(request).encode())
        if child.returncode != 0:
            raise PdfChildError(stderr.decode(errors="replace")[-2000:])
        return [
            PdfPart(content=out.read_bytes(), pages=answer["pages"], peak_rss=answer["peak_rss"])
            for out, answer in zip(outs, json.loads(stdout), strict=True)
        ]


def static_path(name: str) -> Path:
    found = finders.find(name)
    return Path(found) if found else Path(settings.BASE_DIR) / "static" / name


def _base_url() -> str:
    return str(static_path(FONT_CSS).parent)


@lru_cache(maxsize=8)
def _stylesheets(names: tuple[str, ...]):
    """The bundled fonts and the layout, parsed once per process."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    sheets = [
        CSS(filename=str(static_path(name)), font_config=font_config) for name in (FONT_CSS, *names)
    ]
    return sheets, font_config


# Drop the cached font configurations (and their temporary font folders) while the
# interpreter is still whole, not during its final teardown.
atexit.register(_stylesheets.cache_clear)
