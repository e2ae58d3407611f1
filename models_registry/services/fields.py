"""Fields of work (lĩnh vực) and their topics (chủ đề)."""

from django.db import transaction
from django.utils.translation import gettext as _

from danvan.activity import log_action
from danvan.models import User

from ..models import Field
from .common import RegistrationError


@transaction.atomic
def field_save(*, field: Field, by: User | None = None) -> Field:
    """Validate and save a field or topic (two levels at most); logs create or update.

    Raises ``RegistrationError`` on ``parent`` and Django's ``ValidationError`` from the
    model's constraints (a duplicate name).
    """
    if field.parent_id is not None:
        message = None
        if field.parent.parent_id is not None:
            message = _("A topic belongs to a top-level field, not to another topic.")
        elif field.pk and field.parent_id == field.pk:
            message = _("A field cannot be its own parent.")
        elif field.pk and Field.objects.filter(parent_id=field.pk).exists():
            message = _("This field has topics of its own, so it must stay top-level.")
        if message:
            raise RegistrationError(message, field="parent")
    created = field.pk is None
    field.full_clean()
    field.save()
    log_action(
        field,
        "models_registry.field.create" if created else "models_registry.field.update",
        actor=by,
        data={"name": field.name, "parent": field.parent_id, "active": field.active},
    )
    return field
