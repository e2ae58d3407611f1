"""Rubrics, the Steering Committee, evaluation rounds, score sheets and finalised results.

Every write goes through ``evaluation.services``; every read the UI needs through
``evaluation.selectors``. Two rules hold the design together:

* a ``Rubric`` is frozen once any ``CriterionScore`` exists on its criteria: changing it
  means ``rubric_new_version``;
* a ``Result`` is the immutable snapshot written by ``round_finalise``; afterwards only its
  ``exemplary`` flag may change (``result_set_exemplary``), which ``Result.save`` enforces.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from danvan.models import Unit
from models_registry.enums import ModelKind
from models_registry.models import Campaign, DvkModel

from .enums import (
    Aggregation,
    CommitteeRole,
    ConflictStatus,
    RankBy,
    RoundStatus,
    RubricAppliesTo,
    SheetStatus,
    Visibility,
)

POINTS = {"max_digits": 5, "decimal_places": 1}
SCORE = {"max_digits": 7, "decimal_places": 2}


# --- Rubrics ------------------------------------------------------------------------------


class Rubric(models.Model):
    """A set of criteria with points and tiers (bộ tiêu chí), for collectives or individuals.

    A new version (``previous_version``) is a copy made when the rubric is frozen; a clone
    for another campaign also records its source there.
    """

    organiser = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="rubrics", verbose_name=_("organiser")
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rubrics",
        verbose_name=_("campaign"),
        help_text=_("Leave empty for a rubric that any campaign of the organiser may use."),
    )
    name = models.CharField(_("name"), max_length=255)
    applies_to = models.CharField(_("applies to"), max_length=20, choices=RubricAppliesTo.choices)
    total_points = models.DecimalField(
        _("total points"), **POINTS, default=Decimal("100"), validators=[MinValueValidator(1)]
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    previous_version = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="derived",
        verbose_name=_("based on"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_points__gt=0),
                name="rubric_total_positive",
                violation_error_message=_("The total must be more than 0 points."),
            ),
        ]

    def __str__(self):
        return f"{self.name} (v{self.version})" if self.version > 1 else self.name

    @property
    def model_kinds(self) -> list[str]:
        return RubricAppliesTo(self.applies_to).model_kinds


class Criterion(models.Model):
    """One line of a rubric: a title, what earns full marks, and its maximum points."""

    rubric = models.ForeignKey(
        Rubric, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("rubric")
    )
    group = models.CharField(_("group"), max_length=200, blank=True)
    title = models.CharField(_("criterion"), max_length=500)
    guidance = models.TextField(_("what earns full marks"), max_length=5000, blank=True)
    max_points = models.DecimalField(_("maximum points"), **POINTS)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["rubric", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_points__gt=0),
                name="criterion_max_positive",
                violation_error_message=_("The maximum must be more than 0 points."),
            ),
        ]

    def __str__(self):
        return self.title


class Tier(models.Model):
    """A classification reached from ``min_score`` up (xếp loại: Xuất sắc ≥ 90 …).

    The top tier is the one with the highest ``min_score``; the lowest must start at 0.
    """

    rubric = models.ForeignKey(
        Rubric, on_delete=models.CASCADE, related_name="tiers", verbose_name=_("rubric")
    )
    name = models.CharField(_("name"), max_length=100)
    min_score = models.DecimalField(_("from score"), **POINTS)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        ordering = ["rubric", "-min_score"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "name"], name="tier_unique_name"),
            models.UniqueConstraint(fields=["rubric", "min_score"], name="tier_unique_min"),
            models.CheckConstraint(
                condition=Q(min_score__gte=0),
                name="tier_min_not_negative",
                violation_error_message=_("A tier cannot start below 0."),
            ),
        ]

    def __str__(self):
        return f"{self.name} (≥ {self.min_score.normalize():f})"


# --- The Steering Committee ---------------------------------------------------------------


class Committee(models.Model):
    """The Steering Committee (Ban Chỉ đạo) of a province or of a commune."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="committees", verbose_name=_("unit")
    )
    name = models.CharField(_("name"), max_length=255)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("steering committee")
        verbose_name_plural = _("steering committees")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="committee_unique_name"),
        ]

    def __str__(self):
        return self.name


class CommitteeMember(models.Model):
    """A person on a committee; an active member is a reviewer of the committee's rounds."""

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="members", verbose_name=_("committee")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="committee_memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=CommitteeRole.choices, default=CommitteeRole.MEMBER
    )
    followed_units = models.ManyToManyField(
        Unit,
        blank=True,
        related_name="followed_by_members",
        verbose_name=_("localities followed"),
        help_text=_("The localities this member follows (địa bàn phụ trách)."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["committee", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "user"], name="member_unique_user"),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}"


# --- Rounds -------------------------------------------------------------------------------


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


class AssignmentQuerySet(models.QuerySet):
    def active(self):
        """Assignments still in force: an approved conflict takes the reviewer off the
        entry (the row stays on record, inactive)."""
        return self.exclude(conflict_status=ConflictStatus.APPROVED)


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
        indexes = [models.Index(fields=["reviewer", "round"])]
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


class ResultQuerySet(models.QuerySet):
    def update(self, **kwargs):
        """Only the exemplary selection may change on a finalised result."""
        if set(kwargs) - Result.MUTABLE_FIELDS:
            raise TypeError("A finalised result is immutable (only 'exemplary' may change).")
        return super().update(**kwargs)


class Result(models.Model):
    """The finalised outcome of one entry (kết quả xét chọn), frozen by ``round_finalise``.

    The policy in force (``aggregation``, ``rank_by``) is copied so that the row explains
    itself after the round's settings change. Nothing here names a reviewer: units read
    these rows, never the sheets.
    """

    MUTABLE_FIELDS = frozenset({"exemplary", "exemplary_set_by", "exemplary_set_at"})

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="results", verbose_name=_("round")
    )
    entry = models.OneToOneField(
        RoundEntry, on_delete=models.PROTECT, related_name="result", verbose_name=_("entry")
    )
    dvk_model = models.ForeignKey(
        DvkModel, on_delete=models.PROTECT, related_name="results", verbose_name=_("model")
    )
    sheet_count = models.PositiveSmallIntegerField(_("score sheets"))
    raw_score = models.DecimalField(_("raw score"), **SCORE, null=True, blank=True)
    calibrated_score = models.DecimalField(_("calibrated score"), **SCORE, null=True, blank=True)
    score_used = models.DecimalField(_("score"), **SCORE, null=True, blank=True)
    min_score = models.DecimalField(_("lowest sheet"), **SCORE, null=True, blank=True)
    max_score = models.DecimalField(_("highest sheet"), **SCORE, null=True, blank=True)
    stddev = models.DecimalField(_("standard deviation"), **SCORE, null=True, blank=True)
    disagreement = models.BooleanField(_("reviewers disagree"), default=False)
    tier_name = models.CharField(_("tier"), max_length=100, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    aggregation = models.CharField(_("aggregation"), max_length=20, choices=Aggregation.choices)
    rank_by = models.CharField(_("ranked by"), max_length=20, choices=RankBy.choices)
    recognised = models.BooleanField(_("recognised"), default=False)
    exemplary = models.BooleanField(_("exemplary (tiêu biểu)"), default=False)
    exemplary_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    exemplary_set_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("finalised at"), auto_now_add=True)

    objects = ResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["round", "rank", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "dvk_model"], name="result_unique_model"),
        ]

    def __str__(self):
        return f"{self.dvk_model_id}: {self.score_used} ({self.tier_name})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            update_fields = kwargs.get("update_fields")
            if update_fields is None or set(update_fields) - self.MUTABLE_FIELDS:
                raise TypeError("A finalised result is immutable (only 'exemplary' may change).")
        super().save(*args, **kwargs)

    @property
    def spread(self):
        if self.min_score is None or self.max_score is None:
            return None
        return self.max_score - self.min_score
