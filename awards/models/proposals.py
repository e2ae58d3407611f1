"""Proposals (tờ trình đề nghị khen thưởng) and their lines."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from danvan.models import Unit
from models_registry.models import Campaign

from ..enums import ProposalStatus
from .recipients import Recipient


class Proposal(models.Model):
    """Changed only through ``awards.services`` (``proposal_*``)."""

    round = models.ForeignKey(
        "evaluation.Round",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award_proposals",
        verbose_name=_("round"),
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        related_name="award_proposals",
        verbose_name=_("campaign"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="award_proposals",
        verbose_name=_("proposed by"),
    )
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProposalStatus.choices,
        default=ProposalStatus.DRAFT,
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("award proposal")
        verbose_name_plural = _("award proposals")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == ProposalStatus.DRAFT


class ProposalLine(Recipient):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="lines", verbose_name=_("proposal")
    )

    class Meta:
        verbose_name = _("proposal line")
        verbose_name_plural = _("proposal lines")
        ordering = ["proposal", "position", "pk"]
        constraints = Recipient.recipient_constraints("proposal_line")

    def __str__(self):
        return f"{self.recipient_name} — {self.award_type_id}"
