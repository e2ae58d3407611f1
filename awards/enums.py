"""Choices of the awards stage (a leaf module: any layer may import it)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class IssuingLevel(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    PROVINCE = "province", _("Province")
    PARTY = "party", _("Party committee")
    FRONT = "front", _("Fatherland Front")
    COMMISSION = "commission", _("Commission (Ban Tuyên giáo và Dân vận)")
    OTHER = "other", _("Other")


class Proposer(models.TextChoices):
    COMMISSION = "commission", _("The commission with the Emulation and Reward Council")
    COMMUNE = "commune", _("The commune")
    UNIT = "unit", _("The unit itself")
    FRONT = "front", _("The Fatherland Front")
    ANY = "any", _("Any level")


class Numbering(models.TextChoices):
    """How the issuer writes a number: state "1034/QĐ-UBND", Party "125-QĐ/TU"."""

    STATE = "state", _("State (1034/QĐ-UBND)")
    PARTY = "party", _("Party (125-QĐ/TU)")


class Occasion(models.TextChoices):
    YEAR_END = "year_end", _("Year-end review")
    OCT15 = "oct15", _("15/10 day")
    FIVE_YEAR = "five_year", _("Five-year summary")
    OTHER = "other", _("Other")


class RecipientKind(models.TextChoices):
    MODEL = "model", _("Model")
    COLLECTIVE = "collective", _("Collective")
    INDIVIDUAL = "individual", _("Individual")


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("proposal", "Draft")
    SENT = "sent", pgettext_lazy("proposal", "Sent")


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("decision", "Draft")
    ISSUED = "issued", pgettext_lazy("decision", "Issued")
    REVOKED = "revoked", pgettext_lazy("decision", "Revoked")


class EventLevel(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    PROVINCE = "province", _("Province")
