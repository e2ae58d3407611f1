"""Evidence files of a model (registration evidence and result evidence)."""

import errno
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.activity import log_action
from danvan.models import User

from ..enums import AttachmentPurpose
from ..files import check_uploaded_file
from ..models import PHOTO_CONTENT_TYPES, Attachment, DvkModel
from .common import RegistrationError
from .reports import ensure_result_report_editable

logger = logging.getLogger(__name__)

# What the uploader reads when the file cannot be written (tests/faults/test_disk_full.py).
DISK_FULL = gettext_lazy(
    "The file could not be stored: the server's disk is full. Nothing was saved; try again "
    "later or tell the administrator."
)
WRITE_FAILED = gettext_lazy(
    "The file could not be stored because of an error on the server. Nothing was saved; "
    "try again later or tell the administrator."
)


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
    _store(attachment, uploaded_file)
    try:
        attachment.save()
        _log(attachment, "add_attachment", by=by)
    except Exception:
        attachment.file.storage.delete(attachment.file.name)  # no file without its row
        raise
    return attachment


def _store(attachment: Attachment, uploaded_file) -> None:
    """Write the file under its own name. A write that fails (a full disk, half-way
    through) leaves nothing behind and is refused on the ``file`` field."""
    field_file = attachment.file
    storage, max_length = field_file.storage, field_file.field.max_length
    # The name is chosen here, not inside ``storage.save``, so that a write cut short can
    # be removed: ``save`` keeps this name, which nothing uses yet.
    name = storage.get_available_name(
        field_file.field.generate_filename(attachment, uploaded_file.name), max_length=max_length
    )
    try:
        field_file.name = storage.save(name, uploaded_file, max_length=max_length)
    except OSError as error:
        logger.exception("Evidence file %s could not be written", name)
        storage.delete(name)
        full = error.errno in (errno.ENOSPC, errno.EDQUOT)
        raise RegistrationError(DISK_FULL if full else WRITE_FAILED, field="file") from None
    field_file._committed = True


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
