"""The secretariat's text of a report: the sections the figures cannot write."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from models_registry.models import Campaign

from ..enums import ReportKind

# The narrative sections in the order of the report's outline.
NARRATIVE_FIELDS = ["leadership", "limitations", "causes", "lessons", "next_tasks", "proposals"]
NARRATIVE_MAX_LENGTH = 20000


def _text(label):
    return models.TextField(label, max_length=NARRATIVE_MAX_LENGTH, blank=True)


class ReportNarrative(models.Model):
    """One per campaign and report kind (the five-year summary hangs on the phase's last
    campaign). Opened prefilled with the previous year's text
    (``reports.services.narrative_open``), saved by ``narrative_save`` with an activity row.
    A blank line in a section starts a new paragraph of the report."""

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        related_name="report_narratives",
        verbose_name=_("campaign"),
    )
    kind = models.CharField(
        _("report"), max_length=20, choices=ReportKind.choices, default=ReportKind.ANNUAL
    )
    leadership = _text(_("leadership, direction and propaganda"))
    limitations = _text(_("limitations"))
    causes = _text(_("causes"))
    lessons = _text(_("lessons learned"))
    next_tasks = _text(_("directions and tasks for next year"))
    proposals = _text(_("recommendations and proposals"))
    prefilled_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("prefilled from"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("updated by"),
    )
    # Optimistic lock: every save bumps it; a form opened before another save is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("report narrative")
        verbose_name_plural = _("report narratives")
        ordering = ["-campaign__year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind"], name="narrative_unique_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.campaign}"

    def paragraphs(self, field: str) -> list[str]:
        """The section's paragraphs: blocks separated by a blank line, inner lines joined."""
        text = (getattr(self, field) or "").replace("\r\n", "\n")
        blocks = [
            " ".join(line.strip() for line in block.split("\n")) for block in text.split("\n\n")
        ]
        return [" ".join(block.split()) for block in blocks if block.strip()]
