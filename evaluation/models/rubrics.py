"""Rubrics (bộ tiêu chí): criteria and tiers."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from danvan.models import Unit
from models_registry.models import Campaign

from ..enums import (
    RubricAppliesTo,
)

POINTS = {"max_digits": 5, "decimal_places": 1}
SCORE = {"max_digits": 7, "decimal_places": 2}


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
