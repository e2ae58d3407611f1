"""Evaluation rounds, their entries and reviewer assignments."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from danvan.models import Unit
from models_registry.enums import ModelKind
from models_registry.models import Campaign, DvkModel

from ..enums import (
    Aggregation,
    ConflictStatus,
    RankBy,
    RoundStatus,
    RubricAppliesTo,
    Visibility,
)
from .rubrics import Rubric


class Round(models.Model):
    """An evaluation round (đợt chấm) of a campaign, run by a province or a commune.

    Status changes only through ``round_open`` and ``round_finalise``.
    """

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("campaign")
    )
    scope_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("run by")
    )
    name = models.CharField(_("name"), max_length=255)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RoundStatus.choices,
        default=RoundStatus.DRAFT,
        editable=False,
    )
    rubric_collective = models.ForeignKey(
        Rubric,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rounds_collective",
        verbose_name=_("rubric for collectives"),
    )
    rubric_individual = models.ForeignKey(
        Rubric,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rounds_individual",
        verbose_name=_("rubric for individuals"),
    )
    # Entry rules.
    admit_collective_models = models.BooleanField(_("collective models"), default=True)
    admit_collective_exemplars = models.BooleanField(_("exemplary collectives"), default=True)
    admit_individual_exemplars = models.BooleanField(_("exemplary individuals"), default=False)
    require_result_report = models.BooleanField(
        _("only models with a submitted result report"), default=True
    )
    nominated_from = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="feeds",
        verbose_name=_("takes the nominations of"),
        help_text=_(
            "Finalised lower rounds (e.g. the communes' rounds) whose nominated models enter "
            "this round. Leave empty to take the accepted models of the campaign."
        ),
    )
    # Scoring.
    reviewers_per_model = models.PositiveSmallIntegerField(
        _("reviewers per model"), default=3, validators=[MinValueValidator(1)]
    )
    scoring_opens = models.DateField(_("scoring opens"))
    scoring_closes = models.DateField(_("scoring closes"))
    visibility = models.CharField(
        _("reviewers see each other's scores"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.AFTER_SUBMIT,
    )
    aggregation = models.CharField(
        _("aggregation"), max_length=20, choices=Aggregation.choices, default=Aggregation.MEAN
    )
    rank_by = models.CharField(
        _("rank by"), max_length=20, choices=RankBy.choices, default=RankBy.RAW
    )
    feedback_to_units = models.BooleanField(
        _("units see their feedback"),
        default=True,
        help_text=_(
            "Once the round is finalised, each unit sees its model's tier, rank, the average "
            "points per criterion and the reviewers' comments, without the reviewers' names."
        ),
    )
    # Bookkeeping (written by services only).
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True, editable=False)
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True, editable=False)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("finalised by"),
    )
    results_locked_at = models.DateTimeField(
        _("results locked at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when a report or an award decision uses the results."),
    )

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-scoring_opens", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scoring_closes__gte=F("scoring_opens")),
                name="round_scoring_window",
                violation_error_message=_("Scoring cannot close before it opens."),
            ),
            models.CheckConstraint(
                condition=Q(reviewers_per_model__gte=1),
                name="round_reviewers_at_least_one",
                violation_error_message=_("Each model needs at least one reviewer."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def model_kinds(self) -> list[str]:
        """The kinds of model this round admits."""
        admitted = [
            (self.admit_collective_models, ModelKind.COLLECTIVE_MODEL),
            (self.admit_collective_exemplars, ModelKind.COLLECTIVE_EXEMPLAR),
            (self.admit_individual_exemplars, ModelKind.INDIVIDUAL_EXEMPLAR),
        ]
        return [kind for on, kind in admitted if on]

    def rubric_id_for(self, kind: str) -> int | None:
        """The id of the rubric that scores a model of ``kind`` in this round."""
        if RubricAppliesTo.for_kind(kind) == RubricAppliesTo.INDIVIDUAL:
            return self.rubric_individual_id
        return self.rubric_collective_id

    @property
    def is_finalised(self) -> bool:
        return self.status == RoundStatus.FINALISED


class RoundEntry(models.Model):
    """A model taking part in a round; ``nominated`` sends it on to a higher round."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="entries", verbose_name=_("round")
    )
    dvk_model = models.ForeignKey(
        DvkModel, on_delete=models.PROTECT, related_name="round_entries", verbose_name=_("model")
    )
    source_entry = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="promoted_to",
        verbose_name=_("nominated by the entry"),
    )
    nominated = models.BooleanField(_("nominated to the higher round"), default=False)
    nominated_at = models.DateTimeField(_("nominated at"), null=True, blank=True, editable=False)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("round entry")
        verbose_name_plural = _("round entries")
        ordering = ["round", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "dvk_model"], name="entry_unique_model"),
        ]

    def __str__(self):
        return str(self.dvk_model)


def active_assignment_q(path: str = "") -> Q:
    """The condition of an active assignment, reached through ``path`` from another model
    (``"assignment__"`` from a sheet, ``"assignments__"`` from an entry): an approved
    conflict takes the reviewer off the entry. ``Assignment.objects.active()`` is this
    condition on assignments themselves; use it wherever it fits."""
    return ~Q(**{f"{path}conflict_status": ConflictStatus.APPROVED})


class AssignmentQuerySet(models.QuerySet):
    def active(self):
        """Assignments still in force: an approved conflict takes the reviewer off the
        entry (the row stays on record, inactive)."""
        return self.filter(active_assignment_q())


class Assignment(models.Model):
    """A reviewer asked to score one entry; approved conflicts stay on record, inactive."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("round")
    )
    entry = models.ForeignKey(
        RoundEntry, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("entry")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_assignments",
        verbose_name=_("reviewer"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    conflict_status = models.CharField(
        _("conflict of interest"),
        max_length=20,
        choices=ConflictStatus.choices,
        default=ConflictStatus.NONE,
        editable=False,
    )
    conflict_reason = models.TextField(_("reason for the conflict"), blank=True, editable=False)
    conflict_declared_at = models.DateTimeField(null=True, blank=True, editable=False)
    conflict_resolved_at = models.DateTimeField(null=True, blank=True, editable=False)
    conflict_resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["round", "entry", "pk"]
        indexes = [
            models.Index(fields=["reviewer", "round"]),
            # A round's conflicts waiting for a decision (round page, results, finalising):
            # a handful among thousands of assignments.
            models.Index(
                fields=["round"],
                condition=Q(conflict_status=ConflictStatus.DECLARED),
                name="assignment_declared_conflict",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["entry", "reviewer"], name="assignment_unique"),
        ]

    def __str__(self):
        return f"{self.reviewer} → {self.entry}"

    @property
    def is_active(self) -> bool:
        """An approved conflict takes the reviewer off the entry (the row stays on record)."""
        return self.conflict_status != ConflictStatus.APPROVED


# --- Scoring ------------------------------------------------------------------------------
