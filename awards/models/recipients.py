"""The recipient of a proposal line or an award: a model, a collective or an individual."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from danvan.models import Unit
from models_registry.models import DvkModel

from ..enums import RecipientKind
from .types import AwardType


class Recipient(models.Model):
    recipient_kind = models.CharField(
        _("recipient"), max_length=20, choices=RecipientKind.choices, default=RecipientKind.MODEL
    )
    dvk_model = models.ForeignKey(
        DvkModel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("model"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    person_name = models.CharField(_("full name"), max_length=150, blank=True)
    person_position = models.CharField(_("position"), max_length=150, blank=True)
    award_type = models.ForeignKey(
        AwardType, on_delete=models.PROTECT, related_name="+", verbose_name=_("award type")
    )
    achievement = models.TextField(_("achievement"), max_length=2000)
    manual = models.BooleanField(_("manual proposal"), default=False)
    manual_reason = models.TextField(_("reason for the manual proposal"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        abstract = True

    @classmethod
    def recipient_constraints(cls, prefix: str) -> list:
        return [
            models.CheckConstraint(
                condition=~Q(recipient_kind=RecipientKind.MODEL) | Q(dvk_model__isnull=False),
                name=f"{prefix}_model_has_model",
                violation_error_message=_("Choose the model."),
            ),
            models.CheckConstraint(
                condition=~Q(recipient_kind=RecipientKind.COLLECTIVE) | Q(unit__isnull=False),
                name=f"{prefix}_collective_has_unit",
                violation_error_message=_("Choose the collective."),
            ),
            models.CheckConstraint(
                condition=~Q(recipient_kind=RecipientKind.INDIVIDUAL) | ~Q(person_name=""),
                name=f"{prefix}_individual_has_name",
                violation_error_message=_("Enter the individual's full name."),
            ),
            models.CheckConstraint(
                condition=Q(manual=False) | ~Q(manual_reason=""),
                name=f"{prefix}_manual_has_reason",
                violation_error_message=_("Give the reason for a manual proposal."),
            ),
        ]

    @property
    def recipient_name(self) -> str:
        """The name printed on the list or the certificate (crosses a loaded relation)."""
        if self.recipient_kind == RecipientKind.INDIVIDUAL:
            return self.person_name
        if self.recipient_kind == RecipientKind.COLLECTIVE:
            return self.unit.name if self.unit_id else ""
        return self.dvk_model.name if self.dvk_model_id else ""
