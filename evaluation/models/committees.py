"""The Steering Committee and its members."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from danvan.db import vi_order
from danvan.models import Unit

from ..enums import (
    CommitteeRole,
)


class Committee(models.Model):
    """The Steering Committee (Ban Chỉ đạo) of a province or of a commune."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="committees", verbose_name=_("unit")
    )
    name = models.CharField(_("name"), max_length=255)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("steering committee")
        verbose_name_plural = _("steering committees")
        ordering = [vi_order("name")]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="committee_unique_name"),
        ]

    def __str__(self):
        return self.name


class CommitteeMember(models.Model):
    """A person on a committee; an active member is a reviewer of the committee's rounds."""

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="members", verbose_name=_("committee")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="committee_memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=CommitteeRole.choices, default=CommitteeRole.MEMBER
    )
    followed_units = models.ManyToManyField(
        Unit,
        blank=True,
        related_name="followed_by_members",
        verbose_name=_("localities followed"),
        help_text=_("The localities this member follows (địa bàn phụ trách)."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["committee", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "user"], name="member_unique_user"),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}"


# --- Rounds -------------------------------------------------------------------------------
