"""The showcase (thư viện mô hình tiêu biểu): what the secretariat published and whether an
organiser's library is open to the public. Written only by ``reports.showcase.services``;
which models belong to the library is not stored (``reports.showcase.library_models``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from danvan.models import Unit
from models_registry.models import DvkModel


class Publication(models.Model):
    """A library model the secretariat published on the public page (one per model;
    unpublishing deletes the row, the activity log keeps the history)."""

    dvk_model = models.OneToOneField(
        DvkModel,
        on_delete=models.CASCADE,
        related_name="showcase_publication",
        verbose_name=_("model"),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        verbose_name = _("publication in the library")
        verbose_name_plural = _("publications in the library")
        ordering = ["-published_at", "pk"]

    def __str__(self):
        return str(self.dvk_model)


class LibrarySettings(models.Model):
    """The library settings of one organiser (the unit that organises campaigns): whether
    its published models are shown on the public page, off until the secretariat switches
    it on."""

    unit = models.OneToOneField(
        Unit,
        on_delete=models.PROTECT,
        related_name="library_settings",
        verbose_name=_("organiser"),
    )
    public_page = models.BooleanField(_("public page"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("library settings")
        verbose_name_plural = _("library settings")

    def __str__(self):
        return str(self.unit)
