from django.db import models
from django.utils.translation import gettext_lazy as _


class ModelKind(models.TextChoices):
    COLLECTIVE_MODEL = "collective_model", _("Collective model")
    COLLECTIVE_EXEMPLAR = "collective_exemplar", _("Exemplary collective")
    INDIVIDUAL_EXEMPLAR = "individual_exemplar", _("Exemplary individual")


class ModelStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    ACCEPTED = "accepted", _("Accepted")


class AttachmentPurpose(models.TextChoices):
    REGISTRATION = "registration", _("Registration evidence")
    RESULT = "result", _("Result evidence")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
