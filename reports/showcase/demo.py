"""Demo data of the showcase: the secretariat publishes a few library models of the demo
province; the public page stays off (the secretariat switches it on)."""

from django.utils.translation import gettext as _

from danvan.enums import UnitKind
from danvan.models import Unit, User

from ..models import Publication
from .selectors import library_list, library_models
from .services import library_publish

PUBLISHED = 4


def seed() -> str:
    province = Unit.objects.filter(kind=UnitKind.PROVINCE, code="42").first()
    secretariat = User.objects.filter(username="thuongtruc").first()
    if province is None or secretariat is None:
        return _("skipped: the demo province or accounts are missing")
    if Publication.objects.filter(dvk_model__campaign__organiser=province).exists():
        return _("already published")
    candidates = library_list(
        queryset=library_models(user=secretariat).filter(campaign__organiser=province)
    )[:PUBLISHED]
    for dvk_model in candidates:
        library_publish(dvk_model=dvk_model, by=secretariat)
    return _("%(count)d library models published (public page off)") % {"count": len(candidates)}
