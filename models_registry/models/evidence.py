"""Evidence files and the result report with its indicator values."""

import datetime

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..enums import AttachmentPurpose, ReportStatus
from .campaigns import Indicator
from .dvk_models import DvkModel

# Evidence that can be shown as a photo (in the library of exemplary models).
PHOTO_CONTENT_TYPES = ("image/jpeg", "image/png")


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
    # The unit shows this photo in the library of exemplary models (reports' showcase);
    # changed only through ``models_registry.services.attachment_set_public``.
    public = models.BooleanField(
        _("shown in the library"),
        default=False,
        help_text=_("The unit shows this photo in the library of exemplary models."),
    )
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

    @property
    def is_photo(self) -> bool:
        return self.content_type in PHOTO_CONTENT_TYPES


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
