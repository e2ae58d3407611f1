"""The reports pages' forms, one module per area; saving goes through ``reports.services``
(narratives, plans, issuer profiles) and ``reports.runs`` (report requests)."""

from .dashboard import DashboardFilterForm
from .issuers import IssuerProfileForm
from .narratives import PARAGRAPH_HELP, NarrativeForm
from .options import ReportOptionsForm, SummaryRequestForm
from .plans import UnitPlanForm
from .showcase import LIBRARY_PAGE_SIZE, LibraryFilter, PublicPageForm

__all__ = [
    "LIBRARY_PAGE_SIZE",
    "PARAGRAPH_HELP",
    "DashboardFilterForm",
    "IssuerProfileForm",
    "LibraryFilter",
    "NarrativeForm",
    "PublicPageForm",
    "ReportOptionsForm",
    "SummaryRequestForm",
    "UnitPlanForm",
]
