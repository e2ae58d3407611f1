"""Generated files (certificates, reports): one row per request, with its progress and file.

Part of the ``danvan.models`` façade (import ``GeneratedFile`` from there). Written only by
``danvan.generation`` (the request service and the Celery task's runner); read by the job
page, which polls it while the file is being made (pretalx's ``CachedFile``).

The files are kept in a storage of their own, outside ``MEDIA_ROOT``'s other uploads and
without any URL: they are served only through the permission-checked download view.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class GeneratedFileStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("generated file", "Waiting")
    RUNNING = "running", pgettext_lazy("generated file", "Being made")
    DONE = "done", pgettext_lazy("generated file", "Ready")
    FAILED = "failed", pgettext_lazy("generated file", "Failed")


class PrivateStorage(FileSystemStorage):
    """A file system storage under ``PRIVATE_MEDIA_ROOT`` (default: ``MEDIA_ROOT/private``),
    read from the settings on every access so that a test's own ``MEDIA_ROOT`` applies.
    It has no URL: ``url()`` raises, the files go out only through permission checks."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        configured = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
        return Path(configured) if configured else Path(settings.MEDIA_ROOT) / "private"

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a view.")


private_storage = PrivateStorage()


def generated_file_storage():
    # A callable, so that migrations do not serialise the storage.
    return private_storage


def generated_file_upload_to(instance: GeneratedFile, filename: str) -> str:
    return f"generated/{timezone.now():%Y/%m}/{instance.pk}/{filename}"


class GeneratedFile(models.Model):
    """A file made in the background for a user: what (``kind`` and ``params``), for whom,
    how far along, and the result (file, size, SHA-256) or the error to show."""

    kind = models.CharField(_("kind"), max_length=100, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    params = models.JSONField(_("parameters"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="generated_files",
        verbose_name=_("requested by"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=GeneratedFileStatus.choices,
        default=GeneratedFileStatus.PENDING,
    )
    progress_done = models.PositiveIntegerField(_("steps done"), default=0)
    progress_total = models.PositiveIntegerField(_("steps in all"), default=0)
    file = models.FileField(
        _("file"),
        storage=generated_file_storage,
        upload_to=generated_file_upload_to,
        max_length=255,
        blank=True,
    )
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("generated file")
        verbose_name_plural = _("generated files")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_done__lte=F("progress_total")),
                name="generated_file_progress_in_range",
            ),
            models.CheckConstraint(
                condition=~Q(status=GeneratedFileStatus.DONE) | ~Q(file=""),
                name="generated_file_done_has_file",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("generated_file", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (GeneratedFileStatus.DONE, GeneratedFileStatus.FAILED)

    @property
    def percent(self) -> int:
        """0–100, for the progress bar (100 once done)."""
        if self.status == GeneratedFileStatus.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)
