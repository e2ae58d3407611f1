"""Registration pages (the façade ``urls.py`` imports). Each view: permission → selector →
form → service → message → redirect; refusals go through ``danvan.web.refusals``.

Objects outside the user's scope answer 404 (never 403) so that ids cannot be probed.
"""

from .attachments import (
    attachment_delete,
    attachment_download,
    attachment_preview,
    attachment_public,
    attachment_upload,
)
from .campaigns import (
    campaign_create,
    campaign_detail,
    campaign_extend,
    campaign_indicators,
    campaign_list,
    campaign_update,
)
from .drafts import model_autosave, model_autosave_new, model_delete
from .fields import field_edit, field_list
from .intake import coverage, intake, intake_export
from .models import model_create, model_detail, model_update, my_models, replication_search
from .reminders import coverage_remind
from .reports import result_report, result_report_autosave
from .transitions import (
    carry_over,
    intake_accept_many,
    intake_return_many,
    model_accept,
    model_return,
    model_submit,
    model_withdraw,
)

__all__ = [
    "attachment_delete",
    "attachment_download",
    "attachment_preview",
    "attachment_public",
    "attachment_upload",
    "campaign_create",
    "campaign_detail",
    "campaign_extend",
    "campaign_indicators",
    "campaign_list",
    "campaign_update",
    "carry_over",
    "coverage",
    "coverage_remind",
    "field_edit",
    "field_list",
    "intake",
    "intake_accept_many",
    "intake_export",
    "intake_return_many",
    "model_accept",
    "model_autosave",
    "model_autosave_new",
    "model_create",
    "model_delete",
    "model_detail",
    "model_return",
    "model_submit",
    "model_update",
    "model_withdraw",
    "my_models",
    "replication_search",
    "result_report",
    "result_report_autosave",
]
