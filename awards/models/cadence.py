"""How often each level holds an honouring event (data: directives differ and change)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..enums import EventLevel


class HonouringCadence(models.Model):
    """``events_per_period`` events every ``period_years`` years at ``level``, periods
    counted from ``base_year`` (the five-year phases 2021–2025, 2026–2030), usually on
    ``usual_day``/``usual_month`` (15/10). One row per level."""

    level = models.CharField(_("level"), max_length=20, choices=EventLevel.choices, unique=True)
    events_per_period = models.PositiveSmallIntegerField(_("events per period"), default=1)
    period_years = models.PositiveSmallIntegerField(_("period (years)"), default=5)
    base_year = models.PositiveSmallIntegerField(
        _("first year of a period"),
        default=2021,
        help_text=_("Periods start in this year and every period after it (2021–2025, 2026–2030)."),
    )
    usual_day = models.PositiveSmallIntegerField(_("usual day"), null=True, blank=True)
    usual_month = models.PositiveSmallIntegerField(_("usual month"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("honouring cadence")
        verbose_name_plural = _("honouring cadences")
        ordering = ["level"]
        constraints = [
            models.CheckConstraint(
                condition=Q(events_per_period__gte=1),
                name="cadence_events_at_least_one",
                violation_error_message=_("At least one event per period."),
            ),
            models.CheckConstraint(
                condition=Q(period_years__gte=1, period_years__lte=20),
                name="cadence_period_1_to_20_years",
                violation_error_message=_("A period lasts from 1 to 20 years."),
            ),
            models.CheckConstraint(
                # isnull=False: a CHECK whose comparison meets a NULL passes in SQL.
                condition=Q(usual_day__isnull=True, usual_month__isnull=True)
                | Q(
                    usual_day__isnull=False,
                    usual_month__isnull=False,
                    usual_day__gte=1,
                    usual_day__lte=31,
                    usual_month__gte=1,
                    usual_month__lte=12,
                ),
                name="cadence_usual_day_and_month",
                violation_error_message=_("Give both the usual day and month, or neither."),
            ),
        ]

    def __str__(self):
        return f"{self.get_level_display()}: {self.events_per_period}/{self.period_years}"

    def clean(self):
        if self.usual_day is not None and self.usual_month is not None:
            try:
                datetime.date(2000, self.usual_month, self.usual_day)  # 2000: 29/02 exists
            except ValueError:
                raise ValidationError(
                    {"usual_day": _("This day does not exist in that month.")}
                ) from None

    def period_of(self, year: int) -> tuple[int, int]:
        """The first and last year of the period that contains ``year``."""
        start = self.base_year + (year - self.base_year) // self.period_years * self.period_years
        return start, start + self.period_years - 1
