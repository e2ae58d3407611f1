"""Every write and workflow transition of the registration stage (the façade: import
from ``models_registry.services``, never from a submodule).

Transitions of a ``DvkModel`` (draft → submitted → accepted, submitted → returned →
submitted, submitted → draft on withdrawal) happen only here; each one locks the row,
checks the source state, writes with ``update_fields`` and logs one activity row
(``danvan.activity.log_action``). Refusals raise ``RegistrationError`` (a
``danvan.errors.DomainError``) with a Vietnamese message, by form field where one applies.
"""

from danvan.errors import DomainError, StaleEditError

from .attachments import (
    attachment_add,
    attachment_delete,
    attachment_set_public,
)
from .campaigns import campaign_extend_deadline, campaign_save, campaign_save_indicators
from .common import (
    CONTENT_FIELDS,
    REQUIRED_FOR_INDIVIDUAL,
    REQUIRED_ON_SUBMIT,
    RESULT_FIELDS,
    RETURN_GRACE_DAYS,
    RegistrationError,
    ensure_registration_open,
    registration_deadline,
    submission_deadline,
)
from .dvk_models import (
    dvk_model_accept,
    dvk_model_carry_over,
    dvk_model_create,
    dvk_model_missing_items,
    dvk_model_return,
    dvk_model_save,
    dvk_model_submit,
    dvk_model_update,
    dvk_model_withdraw,
)
from .fields import field_save
from .reports import ensure_result_report_editable, result_report_save

__all__ = [
    "CONTENT_FIELDS",
    "REQUIRED_FOR_INDIVIDUAL",
    "REQUIRED_ON_SUBMIT",
    "RESULT_FIELDS",
    "RETURN_GRACE_DAYS",
    "DomainError",
    "RegistrationError",
    "StaleEditError",
    "attachment_add",
    "attachment_delete",
    "attachment_set_public",
    "campaign_extend_deadline",
    "campaign_save",
    "campaign_save_indicators",
    "dvk_model_accept",
    "dvk_model_carry_over",
    "dvk_model_create",
    "dvk_model_missing_items",
    "dvk_model_return",
    "dvk_model_save",
    "dvk_model_submit",
    "dvk_model_update",
    "dvk_model_withdraw",
    "ensure_registration_open",
    "ensure_result_report_editable",
    "field_save",
    "registration_deadline",
    "result_report_save",
    "submission_deadline",
]
