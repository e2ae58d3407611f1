"""The reports pages' forms, one module per area; saving goes through ``reports.services``
(narratives, plans, issuer profiles) and ``reports.runs`` (report requests)."""

from .issuers import IssuerProfileForm
from .narratives import PARAGRAPH_HELP, NarrativeForm
from .options import ReportOptionsForm, SummaryRequestForm
from .plans import UnitPlanForm

__all__ = [
    "PARAGRAPH_HELP",
    "IssuerProfileForm",
    "NarrativeForm",
    "ReportOptionsForm",
    "SummaryRequestForm",
    "UnitPlanForm",
]
