"""Issuer profiles, the secretariat's narrative of a report and the units' yearly plans.

Every write goes through ``reports.services``; the figures of a report are never stored
here, they are computed by ``reports.statistics`` when a report is built.
"""

from .issuers import IssuerProfile
from .narratives import NARRATIVE_FIELDS, NARRATIVE_MAX_LENGTH, ReportNarrative
from .plans import UnitPlan, unit_plan_upload_to
from .runs import OPEN_STATUSES, REPORT_FORMATS, Report, ReportStatus
from .showcase import LibrarySettings, Publication

__all__ = [
    "NARRATIVE_FIELDS",
    "NARRATIVE_MAX_LENGTH",
    "OPEN_STATUSES",
    "REPORT_FORMATS",
    "IssuerProfile",
    "LibrarySettings",
    "Publication",
    "Report",
    "ReportNarrative",
    "ReportStatus",
    "UnitPlan",
    "unit_plan_upload_to",
]
