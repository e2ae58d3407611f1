"""Score sheets and criterion scores."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..enums import (
    SheetStatus,
)
from .rounds import Assignment
from .rubrics import POINTS, Criterion


class ScoreSheet(models.Model):
    """A reviewer's sheet for one entry (phiếu chấm).

    ``total`` is written by ``sheet_submit`` (a SQL sum of the criterion scores) and cleared
    by ``sheet_reopen``: only a submitted sheet has one, and a submitted sheet cannot change.
    """

    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, related_name="sheet", verbose_name=_("assignment")
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SheetStatus.choices,
        default=SheetStatus.PENDING,
        editable=False,
    )
    overall_comment = models.TextField(_("overall comment"), max_length=10000, blank=True)
    total = models.DecimalField(_("total"), **POINTS, null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True, editable=False)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("reopened by"),
    )
    reopen_reason = models.TextField(_("reason for reopening"), blank=True, editable=False)
    reopened_until = models.DateField(
        _("may be changed until"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Optimistic lock for the sheet-level form (overall comment); criterion scores are rows
    # of their own and never touch it, so two tabs scoring different criteria both succeed.
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        ordering = ["pk"]
        indexes = [models.Index(fields=["status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(total__isnull=True) | Q(total__gte=0), name="sheet_total_not_negative"
            ),
        ]

    def __str__(self):
        return str(self.assignment)

    @property
    def is_submitted(self) -> bool:
        return self.status == SheetStatus.SUBMITTED


class CriterionScore(models.Model):
    """The points and comment one sheet gives one criterion (saved one at a time)."""

    sheet = models.ForeignKey(
        ScoreSheet, on_delete=models.CASCADE, related_name="scores", verbose_name=_("sheet")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="scores", verbose_name=_("criterion")
    )
    points = models.DecimalField(_("points"), **POINTS, null=True, blank=True)
    comment = models.TextField(_("comment"), max_length=5000, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        ordering = ["sheet", "criterion__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="score_unique_criterion"),
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__gte=0),
                name="score_points_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.points}"


# --- Results ------------------------------------------------------------------------------
