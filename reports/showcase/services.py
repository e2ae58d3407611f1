"""Writes of the showcase: the secretariat publishes a library model on the public page
(or takes it off) and switches an organiser's public page on or off. Each writes one
activity row; refusals raise ``ShowcaseError`` with a Vietnamese message."""

from django.db import transaction
from django.utils.translation import gettext as _

from danvan.activity import log_action
from danvan.errors import DomainError
from danvan.models import Unit, User
from models_registry.models import Campaign, DvkModel

from ..models import LibrarySettings, Publication
from .selectors import library_models


class ShowcaseError(DomainError):
    """A refused change of the showcase."""


@transaction.atomic
def library_publish(*, dvk_model: DvkModel, by: User) -> Publication:
    """Publish a library model on the public page; logs ``reports.dvkmodel.publish`` on the
    model. Idempotent once published. Refuses a model that is not in the library (not
    accepted, or not recognised nor exemplary in a finalised round). The caller checks
    the permission (``reports.publish_library_model``)."""
    DvkModel.objects.select_for_update().filter(pk=dvk_model.pk).first()
    if not library_models().filter(pk=dvk_model.pk).exists():
        raise ShowcaseError(
            _(
                "Only an accepted model that a finalised round recognised or marked "
                "exemplary can be published."
            )
        )
    existing = Publication.objects.filter(dvk_model=dvk_model).first()
    if existing is not None:
        return existing
    publication = Publication.objects.create(dvk_model=dvk_model, published_by=by)
    log_action(dvk_model, "reports.dvkmodel.publish", actor=by, unit=dvk_model.unit)
    return publication


@transaction.atomic
def library_unpublish(*, dvk_model: DvkModel, by: User) -> None:
    """Take a model off the public page (it stays in the signed-in library); logs
    ``reports.dvkmodel.unpublish``. Refuses a model that is not published."""
    deleted, _rows = Publication.objects.filter(dvk_model=dvk_model).delete()
    if not deleted:
        raise ShowcaseError(_("This model is not published."))
    log_action(dvk_model, "reports.dvkmodel.unpublish", actor=by, unit=dvk_model.unit)


@transaction.atomic
def library_public_page_set(*, unit: Unit, public_page: bool, by: User) -> LibrarySettings:
    """Switch the public page of ``unit``'s library on or off; logs
    ``reports.librarysettings.public_on`` / ``public_off`` (nothing when unchanged).
    Refuses a unit that organises no campaign. The caller checks the permission
    (``reports.switch_public_page``)."""
    if not Campaign.objects.filter(organiser=unit).exists():
        raise ShowcaseError(_("This unit organises no campaign: it has no library to show."))
    settings, _created = LibrarySettings.objects.select_for_update().get_or_create(unit=unit)
    if settings.public_page == public_page:
        return settings
    settings.public_page = public_page
    settings.changed_by = by
    settings.save(update_fields=["public_page", "changed_by", "changed_at"])
    log_action(
        settings,
        "reports.librarysettings.public_on"
        if public_page
        else "reports.librarysettings.public_off",
        actor=by,
        unit=unit,
    )
    return settings
