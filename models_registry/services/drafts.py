"""Drafts as the unit writes them: saved at every pause (autosave) and deleted while
still drafts."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from danvan.activity import log_action
from danvan.models import Unit, User

from ..enums import ModelStatus
from ..models import Attachment, Campaign, DvkModel
from .common import RegistrationError, lock_dvk_model
from .dvk_models import ACTION, dvk_model_create, dvk_model_update

# Autosaves by one user less than this far apart read as one edit in the timeline.
AUTOSAVE_LOG_WINDOW = datetime.timedelta(minutes=15)


def dvk_model_autosave(
    *,
    dvk_model: DvkModel | None,
    campaign: Campaign,
    unit: Unit,
    by: User,
    data: dict,
    version: int,
) -> DvkModel:
    """Save what the registration form holds, as its "Save draft" button does: the first
    autosave of a new registration creates the draft (``dvk_model`` None), later ones
    update it under the optimistic lock (``StaleEditError`` for an old ``version``).
    Never submits. Each runs in the transaction of the service it calls; raises what they
    raise."""
    if dvk_model is None:
        return dvk_model_create(campaign=campaign, unit=unit, by=by, data=data)
    return dvk_model_update(
        dvk_model=dvk_model, by=by, data=data, version=version, coalesce=AUTOSAVE_LOG_WINDOW
    )


@transaction.atomic
def dvk_model_delete(*, dvk_model: DvkModel, by: User) -> None:
    """Delete a draft with its evidence; logs ``delete`` (with its name) on the model.

    Refused with ``RegistrationError`` once the model has been submitted (a submitted,
    returned or accepted model is part of the record). The files of its attachments are
    removed from storage after the commit, unless another attachment shares them. The
    caller checks the permission (``models_registry.delete_dvkmodel``).
    """
    locked = lock_dvk_model(dvk_model)
    if locked.status != ModelStatus.DRAFT:
        raise RegistrationError(
            _(
                "Only a draft can be deleted: this model has been submitted to the "
                "secretariat and stays in the record."
            )
        )
    files = [(a.file.storage, a.file.name) for a in Attachment.objects.filter(dvk_model=locked)]
    log_action(
        locked,
        f"{ACTION}.delete",
        actor=by,
        data={"name": locked.name, "from": ModelStatus.DRAFT},
        unit=locked.unit,
    )
    locked.delete()
    shared = set(
        Attachment.objects.filter(file__in=[name for _storage, name in files]).values_list(
            "file", flat=True
        )
    )
    for storage, name in files:
        if name and name not in shared:
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
