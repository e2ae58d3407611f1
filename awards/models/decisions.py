"""Decisions (quyết định khen thưởng), the awards they confer, and honouring events."""

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext_lazy as _

from danvan.models import Unit
from models_registry.models import Campaign

from ..enums import DecisionStatus, EventLevel, Numbering, Occasion
from ..validators import format_decision_number
from .proposals import Proposal
from .recipients import Recipient


class Decision(models.Model):
    """Editable while draft; ``decision_issue`` locks it, ``decision_revoke`` revokes it
    with a reason (its awards stop counting everywhere). Changed only through
    ``awards.services``."""

    number = models.PositiveIntegerField(_("number"))
    doc_type = models.CharField(_("document type"), max_length=20, default="QĐ")
    issuer_code = models.CharField(_("issuer code"), max_length=30)
    numbering = models.CharField(
        _("numbering"), max_length=10, choices=Numbering.choices, default=Numbering.STATE
    )
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    date = models.DateField(_("date"))
    issuing_authority = models.CharField(_("issuing authority"), max_length=255)
    issuer = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="award_decisions", verbose_name=_("issuer")
    )
    signer_name = models.CharField(_("signed by"), max_length=150)
    signer_title = models.CharField(_("signer's title"), max_length=150)
    occasion = models.CharField(
        _("occasion"), max_length=20, choices=Occasion.choices, default=Occasion.YEAR_END
    )
    reason = models.TextField(_("reason"), blank=True)
    campaigns = models.ManyToManyField(
        Campaign, related_name="award_decisions", verbose_name=_("campaigns")
    )
    scanned_copy = models.FileField(
        _("scanned copy (PDF)"), upload_to="awards/decisions/%Y/", blank=True
    )
    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("proposal"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DecisionStatus.choices,
        default=DecisionStatus.DRAFT,
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True, editable=False)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("award decision")
        verbose_name_plural = _("award decisions")
        ordering = ["-date", "-number", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "year", "number"],
                name="decision_unique_number",
                violation_error_message=_(
                    "This issuer already has a decision with this number in this year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="decision_number_positive",
                violation_error_message=_("The number of a decision is a whole number from 1."),
            ),
            models.CheckConstraint(
                condition=~Q(status=DecisionStatus.REVOKED) | ~Q(revoked_reason=""),
                name="decision_revoked_has_reason",
                violation_error_message=_("Give the reason for the revocation."),
            ),
        ]

    def __str__(self):
        return self.display_number

    @property
    def display_number(self) -> str:
        """The number and symbol as the issuer writes it: "1034/QĐ-UBND", "125-QĐ/TU"."""
        return format_decision_number(self.number, self.doc_type, self.issuer_code, self.numbering)

    @property
    def is_draft(self) -> bool:
        return self.status == DecisionStatus.DRAFT


class AwardQuerySet(models.QuerySet):
    def not_revoked(self):
        """Awards that count against the double-award rule (drafts included)."""
        return self.filter(revoked=False).exclude(decision__status=DecisionStatus.REVOKED)

    def counting(self):
        """Awards of issued decisions, not revoked: what registers and totals count."""
        return self.filter(revoked=False, decision__status=DecisionStatus.ISSUED)

    def with_is_revoked(self):
        """``revoked_any``: revoked on its own or with its decision (read by ``is_revoked``)."""
        return self.annotate(
            revoked_any=Case(
                When(
                    Q(revoked=True) | Q(decision__status=DecisionStatus.REVOKED), then=Value(True)
                ),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )


class Award(Recipient):
    """One recipient of a decision. Revoked when its decision is, or on its own."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="awards", verbose_name=_("decision")
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("campaign"),
    )
    amount = models.PositiveBigIntegerField(_("amount (VND)"), default=0)
    revoked = models.BooleanField(_("revoked"), default=False, editable=False)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True, editable=False)

    objects = AwardQuerySet.as_manager()

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["decision", "position", "pk"]
        constraints = [
            *Recipient.recipient_constraints("award"),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="award_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.recipient_name} ({self.decision_id})"

    @property
    def is_revoked(self) -> bool:
        if "revoked_any" in self.__dict__:
            return self.revoked_any
        return self.revoked or self.decision.status == DecisionStatus.REVOKED


class HonouringEvent(models.Model):
    """A ceremony (hội nghị biểu dương, vinh danh) and the awards presented there."""

    name = models.CharField(_("name"), max_length=300)
    date = models.DateField(_("date"))
    level = models.CharField(_("level"), max_length=20, choices=EventLevel.choices)
    place = models.CharField(_("place"), max_length=300, blank=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="honouring_events", verbose_name=_("organiser")
    )
    awards = models.ManyToManyField(
        Award, blank=True, related_name="events", verbose_name=_("awards presented")
    )

    class Meta:
        verbose_name = _("honouring event")
        verbose_name_plural = _("honouring events")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name", "date"], name="event_unique_name_date")
        ]

    def __str__(self):
        return self.name
