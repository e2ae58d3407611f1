"""Choices of the evaluation stage (a leaf module: any layer may import it)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from models_registry.enums import ModelKind


class RubricAppliesTo(models.TextChoices):
    """Which kinds of model a rubric scores: collectives or exemplary individuals."""

    COLLECTIVE = "collective", _("Collective models and exemplars")
    INDIVIDUAL = "individual", _("Exemplary individuals")

    @classmethod
    def for_kind(cls, kind: str) -> "RubricAppliesTo":
        return cls.INDIVIDUAL if kind == ModelKind.INDIVIDUAL_EXEMPLAR else cls.COLLECTIVE

    @property
    def model_kinds(self) -> list[str]:
        if self == RubricAppliesTo.INDIVIDUAL:
            return [ModelKind.INDIVIDUAL_EXEMPLAR]
        return [ModelKind.COLLECTIVE_MODEL, ModelKind.COLLECTIVE_EXEMPLAR]


class CommitteeRole(models.TextChoices):
    HEAD = "head", _("Head")
    DEPUTY = "deputy", _("Deputy head")
    MEMBER = "member", _("Member")
    SECRETARY = "secretary", _("Secretary")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Open for scoring")
    FINALISED = "finalised", _("Finalised")


class Visibility(models.TextChoices):
    """Whether a reviewer sees the other reviewers' submitted sheets of the same model."""

    NEVER = "never", _("Never")
    AFTER_SUBMIT = "after_submit", _("After submitting their own sheet")
    ALWAYS = "always", _("Always")


class Aggregation(models.TextChoices):
    MEAN = "mean", _("Mean")
    MEDIAN = "median", _("Median")
    TRIMMED_MEAN = "trimmed_mean", _("Trimmed mean (highest and lowest dropped from 5 sheets)")


class RankBy(models.TextChoices):
    RAW = "raw", _("Raw score")
    CALIBRATED = "calibrated", _("Calibrated score")


class ConflictStatus(models.TextChoices):
    NONE = "none", _("No conflict")
    DECLARED = "declared", _("Conflict declared")
    APPROVED = "approved", _("Conflict approved")
    REJECTED = "rejected", _("Conflict rejected")


class SheetStatus(models.TextChoices):
    PENDING = "pending", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", pgettext_lazy("score sheet", "Submitted")
