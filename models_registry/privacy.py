"""Who sees the personal data of a registration (docs/security.md, "Personal data").

* The individual of an exemplar (``person_name``, ``person_position``) is part of what is
  registered and recognised: shown wherever the model itself may be read (the model's
  page, the score sheet, the library of recognised models, award decisions).
* The year of birth and the contact (``lead_name``, ``lead_phone``, ``lead_email``) only to
  readers whose scope holds the model's unit (its own officers, the secretariat and
  leaders above it) and administrators — never to a reviewer of another unit, a reader
  of a model a campaign shares, the library or the public page, nor in a cross-scope list
  or export.
"""

from django.db.models import BooleanField, ExpressionWrapper, Q, Value

from danvan.models import User

from .models import DvkModel
from .rules import unit_id_in_scope_of
from .selectors import in_scope_q

# The fields shown only in scope.
SCOPED_FIELDS = ("person_birth_year", "lead_name", "lead_phone", "lead_email")


def sees_personal_details(user: User, dvk_model: DvkModel) -> bool:
    """``user`` may see the year of birth and the contact of ``dvk_model`` (no query on
    the model's page: ``selectors.dvk_model_detail`` already noted whether the unit lies
    in the viewer's scope)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or unit_id_in_scope_of(user, dvk_model.unit_id)


def personal_details_annotation(user: User) -> ExpressionWrapper | Value:
    """The same as ``sees_personal_details`` for each row of a queryset of models (annotate
    it, e.g. ``personal_details=personal_details_annotation(user)``)."""
    if user.is_superuser:
        return Value(True, output_field=BooleanField())
    if user.scope_unit_id is None:
        return Value(False, output_field=BooleanField())
    return ExpressionWrapper(Q(in_scope_q(user)), output_field=BooleanField())
