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
from .drafts import AUTOSAVE_LOG_WINDOW, dvk_model_autosave, dvk_model_delete
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
from .intake import BulkOutcome, dvk_models_accept_many, dvk_models_return_many
from .personal_data import REMOVED_NAME, person_data_export, person_data_remove
from .reports import (
    REPORT_REQUIRED_ON_SUBMIT,
    ensure_result_report_editable,
    result_report_save,
)

__all__ = [
    "AUTOSAVE_LOG_WINDOW",
    "CONTENT_FIELDS",
    "REMOVED_NAME",
    "REPORT_REQUIRED_ON_SUBMIT",
    "REQUIRED_FOR_INDIVIDUAL",
    "REQUIRED_ON_SUBMIT",
    "RESULT_FIELDS",
    "RETURN_GRACE_DAYS",
    "BulkOutcome",
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
    "dvk_model_autosave",
    "dvk_model_carry_over",
    "dvk_model_create",
    "dvk_model_delete",
    "dvk_model_missing_items",
    "dvk_model_return",
    "dvk_model_save",
    "dvk_model_submit",
    "dvk_model_update",
    "dvk_model_withdraw",
    "dvk_models_accept_many",
    "dvk_models_return_many",
    "ensure_registration_open",
    "ensure_result_report_editable",
    "field_save",
    "person_data_export",
    "person_data_remove",
    "registration_deadline",
    "result_report_save",
    "submission_deadline",
]
