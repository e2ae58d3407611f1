"""Fields of work, campaigns (emulation years), deadline extensions and the indicators a campaign asks for."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from danvan.dates import format_date
from danvan.db import vi_order
from danvan.models import Unit


class Field(models.Model):
    """A field of work (lĩnh vực) or, with a parent, one of its topics (chủ đề)."""

    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent field"),
        limit_choices_to={"parent__isnull": True},
    )
    position = models.PositiveIntegerField(_("display order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["position", vi_order("name")]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"],
                name="field_unique_name",
                violation_error_message=_("This field already has a topic with this name."),
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(parent__isnull=True),
                name="field_unique_top_name",
                violation_error_message=_("A top-level field with this name already exists."),
            ),
        ]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name


class Campaign(models.Model):
    """One emulation year (năm thi đua) run by an organiser unit, with all its dates."""

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("title"), max_length=255)
    organiser = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("organiser")
    )
    registration_opens = models.DateField(_("registration opens"))
    registration_closes = models.DateField(_("registration closes"))
    result_report_due = models.DateField(_("result reports due"))
    scoring_opens = models.DateField(_("scoring opens"))
    scoring_closes = models.DateField(_("scoring closes"))
    honouring_date = models.DateField(_("honouring date"), null=True, blank=True)
    report_date = models.DateField(_("report date"), null=True, blank=True)
    focus_fields = models.ManyToManyField(
        Field, blank=True, related_name="campaigns", verbose_name=_("focus fields")
    )
    share_accepted_models = models.BooleanField(
        _("units may read other units' accepted models"),
        default=False,
        help_text=_("When on, every unit can read (not edit) the accepted models of others."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[focus_fields])

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["organiser", "year"], name="campaign_unique_year"),
            models.CheckConstraint(
                condition=Q(registration_closes__gte=F("registration_opens")),
                name="campaign_registration_window",
                violation_error_message=_("Registration cannot close before it opens."),
            ),
            models.CheckConstraint(
                condition=Q(scoring_closes__gte=F("scoring_opens")),
                name="campaign_scoring_window",
                violation_error_message=_("Scoring cannot close before it opens."),
            ),
            models.CheckConstraint(
                condition=Q(result_report_due__gte=F("registration_closes")),
                name="campaign_result_after_registration",
                violation_error_message=_(
                    "Result reports cannot be due before registration closes."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("models_registry:campaign_detail", args=[self.pk])


class DeadlineExtension(models.Model):
    """A later registration deadline granted to one unit (and its subtree) in a campaign."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("campaign")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="deadline_extensions", verbose_name=_("unit")
    )
    registration_closes = models.DateField(_("registration closes"))
    reason = models.CharField(_("reason"), max_length=500)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="extension_unique_unit"),
        ]

    def __str__(self):
        return f"{self.unit} → {format_date(self.registration_closes)}"


class Indicator(models.Model):
    """A figure the campaign asks every result report for (e.g. "households out of poverty")."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("campaign")
    )
    name = models.CharField(_("indicator"), max_length=200)
    unit_label = models.CharField(_("unit of measure"), max_length=50, blank=True)
    position = models.PositiveIntegerField(_("display order"), default=0)

    class Meta:
        verbose_name = _("result indicator")
        verbose_name_plural = _("result indicators")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="indicator_unique_name"),
        ]

    def __str__(self):
        return f"{self.name} ({self.unit_label})" if self.unit_label else self.name
