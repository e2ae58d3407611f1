"""Evidence files of a model (registration evidence and result evidence)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from danvan.activity import log_action
from danvan.models import User

from ..enums import AttachmentPurpose
from ..files import check_uploaded_file
from ..models import PHOTO_CONTENT_TYPES, Attachment, DvkModel
from .common import RegistrationError
from .reports import ensure_result_report_editable


def _log(attachment: Attachment, verb: str, *, by: User, **extra) -> None:
    dvk_model = attachment.dvk_model
    log_action(
        dvk_model,
        f"models_registry.dvkmodel.{verb}",
        actor=by,
        data={
            "attachment": attachment.pk,
            "name": attachment.original_name,
            "purpose": attachment.purpose,
            **extra,
        },
        unit=dvk_model.unit,
    )


def _ensure_photo(content_type: str) -> None:
    # Only photos may be shown in the library of exemplary models (the showcase).
    if content_type not in PHOTO_CONTENT_TYPES:
        raise RegistrationError(
            _("Only a photo (JPG or PNG) can be shown in the library."), field="public"
        )


@transaction.atomic
def attachment_add(
    *,
    dvk_model: DvkModel,
    uploaded_file,
    by: User,
    purpose: str,
    description: str = "",
    public: bool = False,
) -> Attachment:
    """Store an evidence file after checking its real type and size; logs
    ``add_attachment`` on the model. ``public``: the unit shows the photo in the library
    of exemplary models (refused on the ``public`` field for a file that is not a photo).

    Registration evidence can be added while the model is editable; result evidence
    while the result report is not yet submitted. Raises ``RegistrationError`` (on the
    ``file`` field when the file itself is refused).
    """
    if purpose == AttachmentPurpose.REGISTRATION and not dvk_model.is_editable:
        raise RegistrationError(
            _("Evidence can be added only while the model is a draft or returned.")
        )
    if purpose == AttachmentPurpose.RESULT:
        ensure_result_report_editable(dvk_model)
    try:
        checked = check_uploaded_file(uploaded_file)
    except ValidationError as error:
        raise RegistrationError(errors={"file": error.messages}) from None
    if public:
        _ensure_photo(checked.content_type)
    attachment = Attachment(
        dvk_model=dvk_model,
        purpose=purpose,
        original_name=uploaded_file.name[:255],
        extension=checked.extension,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        description=description[:300],
        public=public,
        uploaded_by=by,
    )
    attachment.file.save(uploaded_file.name, uploaded_file, save=False)
    attachment.save()
    _log(attachment, "add_attachment", by=by)
    return attachment


@transaction.atomic
def attachment_set_public(*, attachment: Attachment, public: bool, by: User) -> Attachment:
    """Show (``public=True``) or hide a photo in the library of exemplary models; logs
    ``show_attachment`` or ``hide_attachment`` on the model (nothing when unchanged). Allowed
    in every status: the library shows accepted models. Refuses a file that is not a photo.
    The caller checks the permission (``models_registry.publish_attachment``).
    """
    locked = (
        Attachment.objects.select_for_update()
        .select_related("dvk_model__unit")
        .get(pk=attachment.pk)
    )
    if locked.public == public:
        return locked
    if public:
        _ensure_photo(locked.content_type)
    locked.public = public
    locked.save(update_fields=["public"])
    _log(locked, "show_attachment" if public else "hide_attachment", by=by)
    return locked


@transaction.atomic
def attachment_delete(*, attachment: Attachment, by: User) -> None:
    """Remove an evidence file while it may still change; logs ``remove_attachment``."""
    dvk_model = attachment.dvk_model
    if attachment.purpose == AttachmentPurpose.REGISTRATION and not dvk_model.is_editable:
        raise RegistrationError(
            _("Evidence can be removed only while the model is a draft or returned.")
        )
    if attachment.purpose == AttachmentPurpose.RESULT:
        ensure_result_report_editable(dvk_model)
    _log(attachment, "remove_attachment", by=by)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    # The same content may be shared by another row (same hash): keep the file then.
    if not Attachment.objects.filter(file=name).exists():
        transaction.on_commit(lambda: storage.delete(name))
