"""Award types (hình thức khen thưởng), kept by the secretariat as data."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from danvan.db import vi_order

from ..enums import IssuingLevel, Proposer


class AwardType(models.Model):
    """Who may issue what changes with the law: it is data here, never code."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    short_code = models.CharField(_("short code"), max_length=30, unique=True)
    issuing_level = models.CharField(
        _("issuing level"), max_length=20, choices=IssuingLevel.choices
    )
    issuer_description = models.CharField(_("issued by"), max_length=255, blank=True)
    proposed_by = models.CharField(
        _("proposed by"), max_length=20, choices=Proposer.choices, default=Proposer.COMMISSION
    )
    default_amount = models.PositiveBigIntegerField(
        _("default amount (VND)"), null=True, blank=True
    )
    is_formal_award = models.BooleanField(
        _("formal award under the emulation law"),
        default=False,
        help_text=_("Off: a commendation (biểu dương, vinh danh)."),
    )
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("award type")
        verbose_name_plural = _("award types")
        ordering = ["position", vi_order("name")]
        constraints = [
            models.CheckConstraint(
                condition=Q(default_amount__isnull=True) | Q(default_amount__gte=0),
                name="award_type_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
        ]

    def __str__(self):
        return self.name
