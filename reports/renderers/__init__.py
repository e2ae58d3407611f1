"""The December report's renderers: pure functions of a ``reports.data.ReportDocument``,
each returning ``(filename, content_type, bytes)``; identical input, identical bytes.

- ``render_pdf``: the Party-format PDF (WeasyPrint; a long annex printed in child
  processes and merged);
- ``render_docx``: the same report, editable in Word (python-docx);
- ``render_xlsx``: the annex's full list and one sheet per table (openpyxl);
- ``render_dashboard_pdf``: the leaders' overview (a ``reports.dashboard.Dashboard``) on
  one A4 page for a meeting.
"""

from .dashboard import render_dashboard_pdf
from .docx import render_docx
from .pdf import render_pdf
from .xlsx import render_xlsx

__all__ = ["render_dashboard_pdf", "render_docx", "render_pdf", "render_xlsx"]
