"""Campaigns, fields and the registered "Dân vận khéo" models with their evidence."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from danvan.models import Unit
from danvan.utils import fold_vietnamese

from .enums import AttachmentPurpose, ModelKind, ModelStatus, ReportStatus


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
        ordering = ["position", "name"]
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
                condition=Q(result_report_due__gte=F("registration_opens")),
                name="campaign_result_after_registration",
                violation_error_message=_(
                    "Result reports cannot be due before registration opens."
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
        return f"{self.unit} → {self.registration_closes:%d/%m/%Y}"


class DvkModel(models.Model):
    """A "Dân vận khéo" model or exemplar registered by a unit for one campaign.

    Every status change goes through ``models_registry.services`` (``dvk_model_submit``,
    ``dvk_model_accept``, ``dvk_model_return``, ``dvk_model_withdraw``), which records a
    ``StatusChange``; never assign ``status`` elsewhere.
    """

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="models", verbose_name=_("campaign")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="dvk_models", verbose_name=_("unit")
    )
    kind = models.CharField(
        _("kind"), max_length=30, choices=ModelKind.choices, default=ModelKind.COLLECTIVE_MODEL
    )
    field = models.ForeignKey(
        Field,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dvk_models",
        verbose_name=_("field"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ModelStatus.choices,
        default=ModelStatus.DRAFT,
        editable=False,
    )
    # The ten items of the registration form.
    name = models.CharField(_("name of the model"), max_length=300)
    situation = models.TextField(_("situation and reasons"), max_length=10000, blank=True)
    goals = models.TextField(_("goals and targets"), max_length=10000, blank=True)
    content = models.TextField(_("content and method"), max_length=20000, blank=True)
    area = models.TextField(_("area and target group"), max_length=5000, blank=True)
    forces = models.TextField(_("people carrying it out"), max_length=5000, blank=True)
    resources = models.TextField(_("resources"), max_length=5000, blank=True)
    timeline = models.TextField(_("timeline and milestones"), max_length=5000, blank=True)
    outputs = models.TextField(_("verifiable outputs"), max_length=5000, blank=True)
    sustainability = models.TextField(
        _("sustainability and replicability"), max_length=5000, blank=True
    )
    # An exemplary individual.
    person_name = models.CharField(_("individual's full name"), max_length=150, blank=True)
    person_position = models.CharField(_("individual's position"), max_length=150, blank=True)
    person_birth_year = models.PositiveSmallIntegerField(
        _("individual's year of birth"), null=True, blank=True
    )
    # Contact and schedule.
    lead_name = models.CharField(_("person in charge"), max_length=150, blank=True)
    lead_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    lead_email = models.EmailField(_("contact e-mail"), blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    # Links across years and units.
    predecessor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("continues the model of"),
    )
    replicates = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replications",
        verbose_name=_("replicates the model of"),
    )
    # Workflow bookkeeping (written by services only).
    return_reason = models.TextField(_("reason for return"), blank=True, editable=False)
    resubmit_deadline = models.DateField(
        _("resubmit by"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when the model is returned: it may be resubmitted until this day."),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Optimistic lock: every save through the services bumps it; a stale form is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    search_text = models.TextField(blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"])

    class Meta:
        verbose_name = _("Dan Van Kheo model")
        verbose_name_plural = _("Dan Van Kheo models")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["campaign", "status"]),
            models.Index(fields=["campaign", "unit"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=F("planned_start")),
                name="dvk_model_planned_range",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=~Q(replicates=F("pk")) & ~Q(predecessor=F("pk")),
                name="dvk_model_not_own_link",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = fold_vietnamese(
            " ".join(filter(None, [self.name, self.person_name, self.lead_name]))
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text", "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("models_registry:model_detail", args=[self.pk])

    @property
    def is_individual(self) -> bool:
        return self.kind == ModelKind.INDIVIDUAL_EXEMPLAR

    @property
    def is_editable(self) -> bool:
        return self.status in (ModelStatus.DRAFT, ModelStatus.RETURNED)


class StatusChange(models.Model):
    """One workflow transition of a model: who moved it, when, from where, and why."""

    dvk_model = models.ForeignKey(
        DvkModel, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("model")
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=ModelStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=ModelStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.dvk_model_id}: {self.from_status} → {self.to_status}"


def attachment_upload_to(instance, filename):
    # The stored name is generated from the content hash; the user's name stays in
    # original_name. Nothing under MEDIA_ROOT is served directly.
    today = datetime.date.today()
    return f"evidence/{today:%Y/%m}/{instance.sha256}{instance.extension}"


class Attachment(models.Model):
    """An evidence file of a model, served only through a permission-checked view."""

    dvk_model = models.ForeignKey(
        DvkModel, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("model")
    )
    purpose = models.CharField(
        _("purpose"),
        max_length=20,
        choices=AttachmentPurpose.choices,
        default=AttachmentPurpose.REGISTRATION,
    )
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    extension = models.CharField(max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64, db_index=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("models_registry:attachment_download", args=[self.pk])


class ResultReport(models.Model):
    """The unit's report, near the end of the year, of what an accepted model achieved."""

    dvk_model = models.OneToOneField(
        DvkModel, on_delete=models.CASCADE, related_name="result_report", verbose_name=_("model")
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ReportStatus.choices,
        default=ReportStatus.DRAFT,
        editable=False,
    )
    results = models.TextField(_("results against each target"), max_length=20000, blank=True)
    people_reached = models.PositiveIntegerField(_("people reached"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households benefiting"), null=True, blank=True)
    money_mobilised = models.PositiveBigIntegerField(
        _("money mobilised (VND)"), null=True, blank=True
    )
    workdays = models.PositiveIntegerField(_("work-days contributed"), null=True, blank=True)
    land_cleared_m2 = models.PositiveIntegerField(
        _("land cleared or donated (m²)"), null=True, blank=True
    )
    participants = models.TextField(_("participation"), max_length=5000, blank=True)
    self_assessment = models.TextField(_("self-assessment"), max_length=10000, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("result report")
        verbose_name_plural = _("result reports")

    def __str__(self):
        return str(self.dvk_model)


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


class IndicatorValue(models.Model):
    """One indicator's figure in one result report."""

    report = models.ForeignKey(
        ResultReport,
        on_delete=models.CASCADE,
        related_name="indicator_values",
        verbose_name=_("result report"),
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="values", verbose_name=_("indicator")
    )
    value = models.DecimalField(
        _("value"), max_digits=16, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="indicator_value_unique"),
            models.CheckConstraint(condition=Q(value__gte=0), name="indicator_value_not_negative"),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value}"
