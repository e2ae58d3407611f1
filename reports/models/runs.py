"""Runs of the December report and of the five-year summary: one ``Report`` row per request.

A run records what was asked (kind, campaign or years, date, number, whether the day is
printed, and the secretariat's narrative as it stood when the run was requested) and who
asked (nobody for the scheduled run). Its three files — PDF, DOCX, XLSX — are
``danvan.GeneratedFile`` jobs, one per format, made by the shared ``danvan.generate_file``
task (so size, SHA-256, progress, the private storage and the download page are theirs).
The run's own status is stored (so that a unique constraint can keep one open run per
input) and follows its files: written only by ``reports.runs``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.models import GeneratedFile, Unit
from models_registry.models import Campaign

from ..enums import ReportKind

# The formats of a run, in the order they are listed and made.
REPORT_FORMATS = ("pdf", "docx", "xlsx")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("report run", "Queued")
    RUNNING = "running", pgettext_lazy("report run", "Being made")
    DONE = "done", pgettext_lazy("report run", "Ready")
    FAILED = "failed", pgettext_lazy("report run", "Failed")


OPEN_STATUSES = (ReportStatus.QUEUED, ReportStatus.RUNNING)


def _file(label):
    return models.OneToOneField(
        GeneratedFile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=label,
    )


class Report(models.Model):
    """One run of a report. Created by ``reports.runs.report_request`` (or the schedule,
    which calls it); its status moves queued → running → done | failed as its files are
    made, and a failed run goes back to queued through ``report_retry``.

    ``fingerprint`` is the SHA-256 of every input (``reports.runs.ReportSpec``): two
    requests with the same inputs while a run is open get that run (the unique constraint
    below settles a race between them)."""

    kind = models.CharField(_("report"), max_length=20, choices=ReportKind.choices)
    organiser = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="report_runs", verbose_name=_("organiser")
    )
    # The annual report's campaign; for the summary, the phase's last campaign (whose
    # "summary" narrative the report prints).
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        related_name="report_runs",
        verbose_name=_("campaign"),
    )
    from_year = models.PositiveSmallIntegerField(_("from year"), null=True, blank=True)
    to_year = models.PositiveSmallIntegerField(_("to year"), null=True, blank=True)
    report_date = models.DateField(_("report date"))
    number = models.CharField(_("number"), max_length=30, blank=True)
    day_given = models.BooleanField(_("day printed"), default=False)
    # The narrative sections as they stood at request time ({field: text}, plus "version").
    narrative = models.JSONField(
        _("narrative"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )
    fingerprint = models.CharField(_("fingerprint"), max_length=64, db_index=True)
    scheduled = models.BooleanField(_("scheduled"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_runs",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    pdf = _file(_("PDF file"))
    docx = _file(_("DOCX file"))
    xlsx = _file(_("XLSX file"))

    class Meta:
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "campaign", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["fingerprint"],
                condition=Q(status__in=["queued", "running"]),
                name="report_one_open_run_per_input",
            ),
            models.CheckConstraint(
                condition=Q(kind="annual")
                | Q(
                    from_year__isnull=False,
                    to_year__isnull=False,
                    from_year__lte=models.F("to_year"),
                ),
                name="report_summary_has_years",
            ),
        ]

    def __str__(self):
        if self.kind == ReportKind.SUMMARY:
            return f"{self.get_kind_display()} {self.from_year}–{self.to_year}"
        return f"{self.get_kind_display()} {self.campaign.year}"

    def get_absolute_url(self):
        """The run's page (``reports:report_detail``), or "" while the pages are missing."""
        try:
            return reverse("reports:report_detail", args=[self.pk])
        except NoReverseMatch:
            return ""

    @property
    def is_finished(self) -> bool:
        return self.status in (ReportStatus.DONE, ReportStatus.FAILED)

    def files(self) -> list[GeneratedFile]:
        """The run's files in ``REPORT_FORMATS`` order (select_related them for lists)."""
        return [f for f in (self.pdf, self.docx, self.xlsx) if f is not None]

    @property
    def percent(self) -> int:
        """0–100 over the three files, for the progress bar."""
        if self.status == ReportStatus.DONE:
            return 100
        files = self.files()
        if not files:
            return 0
        return sum(f.percent for f in files) // len(REPORT_FORMATS)
