"""Finalised results: the immutable snapshot a round leaves."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from models_registry.models import DvkModel

from ..enums import (
    Aggregation,
    RankBy,
)
from .rounds import Round, RoundEntry
from .rubrics import SCORE


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
    # The tier the raw score alone reaches (shown beside ``tier_name`` when they differ).
    raw_tier_name = models.CharField(_("tier by raw score"), max_length=100, blank=True)
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
        # The first result of a round carries the policy it was finalised with
        # (``round_for_results``): found without reading the round's other results.
        indexes = [models.Index(fields=["round", "id"], name="result_round_first")]

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
