"""The yearly plan a unit issued for a campaign (kế hoạch triển khai phong trào)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from danvan.db import vi_order
from danvan.models import Unit
from models_registry.models import Campaign


def unit_plan_upload_to(instance, filename):
    # Named by content hash like evidence files; the user's name stays in original_name.
    return f"reports/plans/{instance.campaign.year}/{instance.sha256}.pdf"


class UnitPlan(models.Model):
    """One per unit and campaign: number and symbol ("05/KH-UBND", "12-KH/ĐU"), date and,
    optionally, the signed PDF. Written by ``reports.services.unit_plan_save``; the report
    counts the units that have one."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="unit_plans", verbose_name=_("campaign")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="campaign_plans", verbose_name=_("unit")
    )
    number = models.CharField(
        _("number and symbol"), max_length=60, help_text=_("e.g. “05/KH-UBND” or “12-KH/ĐU”.")
    )
    date = models.DateField(_("date issued"))
    title = models.CharField(_("title"), max_length=300, blank=True)
    file = models.FileField(
        _("signed plan (PDF)"), upload_to=unit_plan_upload_to, max_length=255, blank=True
    )
    original_name = models.CharField(_("file name"), max_length=255, blank=True, editable=False)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("unit plan")
        verbose_name_plural = _("unit plans")
        ordering = ["-campaign__year", vi_order("unit__name")]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit"],
                name="unit_plan_one_per_campaign",
                violation_error_message=_(
                    "This unit has already recorded its plan for this campaign."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.number} — {self.unit}"
