"""The issuing body of the reports, versioned by validity dates."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from danvan.dates import format_date
from danvan.models import Unit


class IssuerProfile(models.Model):
    """What the header, the number line and the signature block of a report print, for the
    reports of ``unit`` dated from ``valid_from`` to ``valid_to`` (open: still in force).

    The versions of one unit never overlap (``reports.validators.validate_no_overlap``,
    called by ``clean()`` and the services; SQLite has no exclusion constraint). A report
    uses the version valid on its date (``reports.selectors.issuer_profile_on``), so the
    2024 report still reads "BAN DÂN VẬN" / "BDVTU" after the 2025 merger.
    """

    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="issuer_profiles",
        verbose_name=_("issuing unit"),
        help_text=_("The unit whose reports this profile signs (the commission)."),
    )
    superior_body = models.CharField(
        _("superior body"), max_length=200, help_text=_("e.g. “ĐẢNG BỘ TỈNH HÀ TĨNH”.")
    )
    issuing_body = models.CharField(
        _("issuing body"), max_length=200, help_text=_("e.g. “BAN TUYÊN GIÁO VÀ DÂN VẬN”.")
    )
    symbol = models.CharField(_("symbol"), max_length=30, help_text=_("e.g. “BTGDVTU”."))
    place = models.CharField(_("place"), max_length=100, help_text=_("e.g. “Hà Tĩnh”."))
    signer_prefix = models.CharField(
        _("signer's prefix"),
        max_length=100,
        blank=True,
        help_text=_("e.g. “T/M BAN THƯỜNG VỤ” or “K/T TRƯỞNG BAN”; empty when signing in person."),
    )
    signer_title = models.CharField(_("signer's title"), max_length=150)
    signer_name = models.CharField(_("signer's name"), max_length=150)
    recipients = models.TextField(
        _("recipients"),
        help_text=_(
            "One recipient per line, in order, e.g. “Thường trực Tỉnh ủy (để báo cáo)”, "
            "…, “Lưu VP”."
        ),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("issuer profile")
        verbose_name_plural = _("issuer profiles")
        ordering = ["unit", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="issuer_profile_valid_range",
                violation_error_message=_("The end of validity cannot precede its start."),
            ),
            models.UniqueConstraint(
                fields=["unit", "valid_from"],
                name="issuer_profile_unique_start",
                violation_error_message=_("This unit already has a profile from this date."),
            ),
        ]

    def __str__(self):
        until = format_date(self.valid_to) if self.valid_to else "…"
        return f"{self.issuing_body} ({format_date(self.valid_from)} – {until})"

    def clean(self):
        from ..validators import validate_no_overlap

        super().clean()
        validate_no_overlap(self)

    @property
    def recipient_lines(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.recipients.splitlines() if line.strip())
