"""Choices shared by the whole site (a leaf module: any layer may import it)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    COMMUNE = "commune", _("Commune, ward or special zone")
    DISTRICT = "district", _("District (historic)")
    DEPARTMENT = "department", _("Department or agency")
    PARTY_BODY = "party_body", _("Party body")
    MASS_ORGANISATION = "mass_org", _("Fatherland Front or mass organisation")
    ARMED_FORCES = "armed_forces", _("Armed forces")
    RESIDENTIAL = "residential", _("Village, residential group or Party cell")


class SuccessionKind(models.TextChoices):
    MERGED = "merged", _("Merged into")
    RENAMED = "renamed", _("Renamed")
    SPLIT = "split", _("Split into")
    DISSOLVED = "dissolved", _("Dissolved, territory passed to")


class Role(models.TextChoices):
    """Roles are Django groups; the value is the group name."""

    UNIT_OFFICER = "unit_officer", _("Unit officer")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    SECRETARIAT = "secretariat", _("Secretariat")
    LEADER = "leader", _("Leader")
