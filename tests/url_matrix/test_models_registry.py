"""Registration (models_registry): the unit's models and their files, intake, fields,
campaigns and coverage."""

import pytest

from .matrix import FORM_ANSWERS, action, case_id, cases, check, page, pk
from .world import ADMIN, LEADER, OFFICER, SECRETARIAT, SIGNED_IN

pytestmark = pytest.mark.django_db

MANAGERS = {ADMIN, SECRETARIAT}
OVERSEERS = {ADMIN, SECRETARIAT, LEADER}
UNIT = {ADMIN, OFFICER}
AUTOSAVE = {"name": "Mô hình tự lưu"}

TABLE = {
    "models_registry:my_models": page({OFFICER}),
    "models_registry:model_create": page({OFFICER}),
    "models_registry:model_autosave_new": action({OFFICER}, ok=FORM_ANSWERS, data=AUTOSAVE),
    "models_registry:carry_over": page({OFFICER}),
    "models_registry:replication_search": page({OFFICER}),
    "models_registry:model_detail": page(OVERSEERS | UNIT, pk("submitted")),
    # A submitted model: its readers who may not edit it get 404, its officer a message.
    "models_registry:model_update": page(UNIT, pk("submitted"), ok=(200, 302)),
    "models_registry:model_autosave": action(UNIT, pk("submitted"), ok=FORM_ANSWERS, data=AUTOSAVE),
    "models_registry:model_delete": action(UNIT, pk("draft")),
    "models_registry:model_submit": action(UNIT, pk("draft")),
    "models_registry:model_withdraw": action(UNIT, pk("submitted")),
    "models_registry:model_accept": action(MANAGERS, pk("submitted")),
    "models_registry:model_return": page(MANAGERS, pk("submitted")),
    "models_registry:attachment_upload": action(UNIT, pk("draft"), ok=(200, 302)),
    "models_registry:result_report": page(UNIT, pk("exemplary")),
    "models_registry:result_report_autosave": action(UNIT, pk("exemplary"), ok=(200,)),
    "models_registry:attachment_download": page(UNIT, pk("attachment")),
    "models_registry:attachment_preview": page(UNIT, pk("attachment")),
    "models_registry:attachment_delete": action(UNIT, pk("attachment")),
    "models_registry:attachment_public": action(UNIT, pk("attachment")),
    "models_registry:intake": page(OVERSEERS),
    "models_registry:intake_export": page(OVERSEERS),
    "models_registry:intake_accept_many": action(MANAGERS),
    "models_registry:intake_return_many": action(MANAGERS),
    "models_registry:field_list": page(MANAGERS),
    "models_registry:field_create": page(MANAGERS),
    "models_registry:field_update": page(MANAGERS, pk("field"), shared=True),
    "models_registry:campaign_list": page(OVERSEERS),
    "models_registry:campaign_create": page(MANAGERS),
    # Every user the campaign reaches reads it.
    "models_registry:campaign_detail": page(SIGNED_IN, pk("campaign")),
    "models_registry:campaign_update": page(MANAGERS, pk("campaign")),
    "models_registry:campaign_indicators": page(MANAGERS, pk("campaign")),
    "models_registry:campaign_extend": action(MANAGERS, pk("campaign"), ok=(200, 302)),
    "models_registry:coverage": page(OVERSEERS, pk("campaign")),
    "models_registry:coverage_remind": action(MANAGERS, pk("campaign")),
}


@pytest.mark.parametrize(("name", "role", "scope"), cases(TABLE), ids=case_id)
def test_models_registry_url(client, world, name, role, scope):
    check(client, world, TABLE, name, role, scope)
