"""Reads of report runs (the pages' lists and the run page)."""

from __future__ import annotations

from django.db.models import QuerySet

from danvan.models import Unit
from models_registry.models import Campaign

from ..models import Report


def reports_for(
    *, campaign: Campaign | None = None, kind: str | None = None, organiser: Unit | None = None
) -> QuerySet[Report]:
    """Earlier runs, newest first, with their files and requester loaded (a fixed number
    of queries whatever the number of runs): of a campaign (the annual report's, or the
    summaries ending with it), of a kind, of an organiser — any combination."""
    qs = Report.objects.select_related(
        "campaign", "organiser", "requested_by", "pdf", "docx", "xlsx"
    )
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if kind is not None:
        qs = qs.filter(kind=kind)
    if organiser is not None:
        qs = qs.filter(organiser=organiser)
    return qs.order_by("-created_at", "-pk")


def report_of(pk: int) -> Report:
    """One run with its files (raises ``Report.DoesNotExist``; views wrap it in
    ``object_or_404`` with ``reports.view_report``)."""
    return reports_for().get(pk=pk)
