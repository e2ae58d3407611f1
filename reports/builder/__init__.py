"""Build the ``ReportDocument`` of the annual report and of the five-year summary.

The outline follows DOMAIN.md ("The December report"): I. results (1. leadership and
propaganda; 2. registration; 3. evaluation and recognition; 4. awards; 5. limitations;
6. causes; 7. lessons), II. next year's (next phase's) directions and tasks,
III. recommendations, then the annex. Every figure comes from ``reports.statistics``; the
narrative is the secretariat's ``ReportNarrative``; the issuer is the ``IssuerProfile``
valid on the report's date. The fixed wording is plain Vietnamese (``reports.wording``
says why). A handful of queries whatever the number of models.
"""

from .annual import annual_report
from .common import ANNEX_COLUMNS, issuer_snapshot
from .summary import summary_report

__all__ = ["ANNEX_COLUMNS", "annual_report", "issuer_snapshot", "summary_report"]
