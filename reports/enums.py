"""Choices of the reports stage (a leaf module: any layer may import it)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    ANNUAL = "annual", _("Annual report")
    SUMMARY = "summary", _("Five-year summary")
