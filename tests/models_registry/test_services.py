"""models_registry/services.py: every service, its happy path, each refusal and its edges.

"Today" is fixed by choosing campaign dates relative to ``timezone.localdate()``; the
passing of time is simulated by moving a campaign's dates with a queryset update.
"""

import hashlib
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.text import capfirst
from django.utils.translation import gettext

from danvan.activity import activity_for
from danvan.dates import format_date
from danvan.enums import UnitKind
from models_registry import services
from models_registry.enums import AttachmentPurpose, ModelKind, ModelStatus, ReportStatus
from models_registry.models import (
    Attachment,
    Campaign,
    DeadlineExtension,
    DvkModel,
    ResultReport,
)
from tests.factories import (
    CampaignFactory,
    DvkModelFactory,
    FieldFactory,
    UnitFactory,
    dvk_model_in_status,
)
from tests.factories.registry import (
    days,
    docx_bytes,
    exe_bytes,
    jpg_bytes,
    pdf_bytes,
    png_bytes,
    upload,
    xlsx_bytes,
    zip_bytes,
)

pytestmark = pytest.mark.django_db

RESULT_DATA = {
    "results": "Bê tông hoá 2,3 km đường, vượt 15% chỉ tiêu.",
    "people_reached": 1200,
    "households": 350,
    "money_mobilised": 1_500_000_000,
    "workdays": 800,
    "land_cleared_m2": 5000,
    "participants": "Mặt trận, Hội Nông dân, Đoàn Thanh niên.",
    "self_assessment": "Đạt và vượt mục tiêu; cần duy trì tổ tự quản.",
}


def closed_on(day) -> str:
    return gettext("Registration closed on %(date)s.") % {"date": format_date(day)}


STATUS_VERBS = ("create", "submit", "withdraw", "accept", "return", "carry_over")


def status_changes(dvk_model) -> list[tuple]:
    """The status transitions of the model's activity log: (from, to, actor id, reason)."""
    return [
        (row.data["from"], row.data["to"], row.actor_id, row.data.get("reason", ""))
        for row in activity_for(dvk_model)
        if row.action.rsplit(".", 1)[-1] in STATUS_VERBS
    ]


def move_campaign_dates(campaign, **dates) -> None:
    """Simulate time passing: the campaign's dates move, today stays."""
    Campaign.objects.filter(pk=campaign.pk).update(**dates)
    campaign.refresh_from_db()


# --- Deadlines and campaigns --------------------------------------------------------------


def test_registration_deadline_without_extension_is_campaign_close(campaign, commune):
    assert services.registration_deadline(campaign=campaign, unit=commune) == days(30)


def test_registration_deadline_extension_for_unit_respected(campaign, commune, secretariat):
    services.campaign_extend_deadline(
        campaign=campaign, unit=commune, until=days(40), reason="Bão lũ", by=secretariat
    )

    assert services.registration_deadline(campaign=campaign, unit=commune) == days(40)


def test_registration_deadline_extension_for_ancestor_respected(campaign, commune, secretariat):
    front = UnitFactory(name="MTTQ xã Cẩm Xuyên", kind=UnitKind.MASS_ORGANISATION, parent=commune)
    services.campaign_extend_deadline(
        campaign=campaign, unit=commune, until=days(40), reason="Bão lũ", by=secretariat
    )

    assert services.registration_deadline(campaign=campaign, unit=front) == days(40)


def test_registration_deadline_extension_for_sibling_ignored(
    campaign, province, commune, secretariat
):
    sibling = UnitFactory(parent=province)
    services.campaign_extend_deadline(
        campaign=campaign, unit=sibling, until=days(40), reason="Bão lũ", by=secretariat
    )

    assert services.registration_deadline(campaign=campaign, unit=commune) == days(30)


def test_campaign_extend_deadline_not_after_campaign_close_refused(campaign, commune, secretariat):
    with pytest.raises(services.RegistrationError) as excinfo:
        services.campaign_extend_deadline(
            campaign=campaign, unit=commune, until=days(30), reason="Bão lũ", by=secretariat
        )

    assert list(excinfo.value.field_errors()) == ["registration_closes"]
    assert DeadlineExtension.objects.count() == 0


def test_campaign_extend_deadline_blank_reason_refused(campaign, commune, secretariat):
    with pytest.raises(services.RegistrationError) as excinfo:
        services.campaign_extend_deadline(
            campaign=campaign, unit=commune, until=days(40), reason="   ", by=secretariat
        )

    assert excinfo.value.field_errors() == {"reason": [gettext("Please give a reason.")]}


def test_campaign_extend_deadline_second_grant_replaces_first(campaign, commune, secretariat):
    services.campaign_extend_deadline(
        campaign=campaign, unit=commune, until=days(40), reason="Bão lũ", by=secretariat
    )

    services.campaign_extend_deadline(
        campaign=campaign, unit=commune, until=days(50), reason=" Lũ kéo dài ", by=secretariat
    )

    rows = list(DeadlineExtension.objects.values_list("unit_id", "registration_closes", "reason"))
    assert rows == [(commune.pk, days(50), "Lũ kéo dài")]


def test_campaign_save_new_campaign_saved_with_focus_fields(province):
    fields = FieldFactory.create_batch(2)
    campaign = Campaign(
        year=days(-1).year + 1,
        title="Dân vận khéo năm sau",
        organiser=province,
        registration_opens=days(-1),
        registration_closes=days(10),
        result_report_due=days(60),
        scoring_opens=days(61),
        scoring_closes=days(70),
    )

    services.campaign_save(campaign=campaign, focus_fields=fields)

    assert set(Campaign.objects.get(pk=campaign.pk).focus_fields.all()) == set(fields)


def test_campaign_save_registration_closing_before_opening_refused(province):
    campaign = Campaign(
        year=days(10).year + 1,
        title="Dân vận khéo năm sau",
        organiser=province,
        registration_opens=days(10),
        registration_closes=days(1),
        result_report_due=days(60),
        scoring_opens=days(61),
        scoring_closes=days(70),
    )

    with pytest.raises(services.RegistrationError) as excinfo:
        services.campaign_save(campaign=campaign)

    assert excinfo.value.field_errors() == {
        "registration_closes": [
            gettext("This date cannot be before “%(other)s”.")
            % {"other": capfirst(Campaign._meta.get_field("registration_opens").verbose_name)}
        ]
    }
    assert Campaign.objects.count() == 1  # the province's campaign of this year only


def test_campaign_save_second_campaign_same_year_refused(campaign):
    duplicate = Campaign(
        year=campaign.year,
        title="Trùng năm",
        organiser=campaign.organiser,
        registration_opens=days(-1),
        registration_closes=days(10),
        result_report_due=days(60),
        scoring_opens=days(61),
        scoring_closes=days(70),
    )

    with pytest.raises(ValidationError):
        services.campaign_save(campaign=duplicate)

    assert Campaign.objects.filter(organiser=campaign.organiser).count() == 1


# --- Create -------------------------------------------------------------------------------


def test_dvk_model_create_open_registration_creates_draft(campaign, commune, officer):
    field = FieldFactory()

    dvk_model = services.dvk_model_create(
        campaign=campaign,
        unit=commune,
        by=officer,
        data={
            "name": "Dân vận khéo xây dựng Đường thôn",
            "field": field,
            "lead_name": "Lê Văn Đức",
        },
    )

    dvk_model.refresh_from_db()
    assert (dvk_model.status, dvk_model.unit, dvk_model.created_by, dvk_model.field) == (
        ModelStatus.DRAFT,
        commune,
        officer,
        field,
    )
    assert dvk_model.search_text == "dan van kheo xay dung duong thon le van duc"
    assert status_changes(dvk_model) == [("", ModelStatus.DRAFT, officer.pk, "")]


def test_dvk_model_create_before_opening_refused(commune, officer):
    campaign = CampaignFactory(organiser=commune.parent, year=2099, registration_opens=days(1))

    with pytest.raises(services.RegistrationError) as excinfo:
        services.dvk_model_create(campaign=campaign, unit=commune, by=officer, data={"name": "A"})

    assert str(excinfo.value) == gettext("Registration for this campaign opens on %(date)s.") % {
        "date": days(1).strftime("%d/%m/%Y")
    }
    assert DvkModel.objects.count() == 0


def test_dvk_model_create_after_deadline_refused(commune, officer):
    campaign = CampaignFactory(
        organiser=commune.parent,
        year=2099,
        registration_opens=days(-30),
        registration_closes=days(-1),
    )

    with pytest.raises(services.RegistrationError) as excinfo:
        services.dvk_model_create(campaign=campaign, unit=commune, by=officer, data={"name": "A"})

    assert str(excinfo.value) == closed_on(days(-1))
    assert DvkModel.objects.count() == 0


def test_dvk_model_create_on_deadline_day_allowed(commune, officer):
    campaign = CampaignFactory(
        organiser=commune.parent,
        year=2099,
        registration_opens=days(-30),
        registration_closes=days(0),
    )

    dvk_model = services.dvk_model_create(
        campaign=campaign, unit=commune, by=officer, data={"name": "A"}
    )

    assert dvk_model.status == ModelStatus.DRAFT


def test_dvk_model_create_after_deadline_with_unit_extension_allowed(commune, officer, secretariat):
    campaign = CampaignFactory(
        organiser=commune.parent,
        year=2099,
        registration_opens=days(-30),
        registration_closes=days(-1),
    )
    services.campaign_extend_deadline(
        campaign=campaign, unit=commune, until=days(3), reason="Bão lũ", by=secretariat
    )

    dvk_model = services.dvk_model_create(
        campaign=campaign, unit=commune, by=officer, data={"name": "A"}
    )

    assert DvkModel.objects.get().pk == dvk_model.pk


def test_dvk_model_create_after_deadline_with_ancestor_extension_allowed(
    commune, officer, secretariat
):
    front = UnitFactory(kind=UnitKind.MASS_ORGANISATION, parent=commune)
    campaign = CampaignFactory(
        organiser=commune.parent,
        year=2099,
        registration_opens=days(-30),
        registration_closes=days(-1),
    )
    services.campaign_extend_deadline(
        campaign=campaign, unit=commune, until=days(3), reason="Bão lũ", by=secretariat
    )

    dvk_model = services.dvk_model_create(
        campaign=campaign, unit=front, by=officer, data={"name": "A"}
    )

    assert dvk_model.unit == front


def test_dvk_model_create_after_deadline_with_sibling_extension_refused(
    province, commune, officer, secretariat
):
    sibling = UnitFactory(parent=province)
    campaign = CampaignFactory(
        organiser=province, year=2099, registration_opens=days(-30), registration_closes=days(-1)
    )
    services.campaign_extend_deadline(
        campaign=campaign, unit=sibling, until=days(3), reason="Bão lũ", by=secretariat
    )

    with pytest.raises(services.RegistrationError):
        services.dvk_model_create(campaign=campaign, unit=commune, by=officer, data={"name": "A"})

    assert DvkModel.objects.count() == 0


def test_dvk_model_create_end_before_start_refused(campaign, commune, officer):
    data = {"name": "A", "planned_start": days(10), "planned_end": days(5)}

    with pytest.raises(services.RegistrationError) as excinfo:
        services.dvk_model_create(campaign=campaign, unit=commune, by=officer, data=data)

    assert list(excinfo.value.field_errors()) == ["planned_end"]
    assert DvkModel.objects.count() == 0


def test_dvk_model_create_birth_year_in_future_refused(campaign, commune, officer):
    data = {
        "name": "A",
        "kind": ModelKind.INDIVIDUAL_EXEMPLAR,
        "person_birth_year": days(0).year + 1,
    }

    with pytest.raises(services.RegistrationError) as excinfo:
        services.dvk_model_create(campaign=campaign, unit=commune, by=officer, data=data)

    assert excinfo.value.field_errors() == {
        "person_birth_year": [gettext("The year of birth cannot be in the future.")]
    }


def test_dvk_model_create_replicating_own_unit_refused(campaign, commune, officer):
    own = DvkModelFactory(campaign=campaign, unit=commune)

    with pytest.raises(services.RegistrationError) as excinfo:
        services.dvk_model_create(
            campaign=campaign, unit=commune, by=officer, data={"name": "A", "replicates": own}
        )

    assert list(excinfo.value.field_errors()) == ["replicates"]


# --- Update -------------------------------------------------------------------------------


def test_dvk_model_update_current_version_saves_and_bumps_version(campaign, commune, officer):
    dvk_model = DvkModelFactory(campaign=campaign, unit=commune)

    services.dvk_model_update(dvk_model=dvk_model, by=officer, data={"name": "Tên mới"}, version=1)

    dvk_model.refresh_from_db()
    assert (dvk_model.name, dvk_model.version, dvk_model.search_text) == (
        "Tên mới",
        2,
        "ten moi tran thi binh",
    )


def test_dvk_model_update_stale_version_raises_and_saves_nothing(campaign, commune, officer):
    dvk_model = DvkModelFactory(campaign=campaign, unit=commune, name="Tên cũ")
    first_tab = DvkModel.objects.get(pk=dvk_model.pk)
    second_tab = DvkModel.objects.get(pk=dvk_model.pk)
    services.dvk_model_update(dvk_model=first_tab, by=officer, data={"name": "Tab 1"}, version=1)

    with pytest.raises(services.StaleEditError):
        services.dvk_model_update(
            dvk_model=second_tab, by=officer, data={"name": "Tab 2", "goals": "Khác"}, version=1
        )

    dvk_model.refresh_from_db()
    assert (dvk_model.name, dvk_model.goals, dvk_model.version) == (
        "Tab 1",
        DvkModelFactory.goals,
        2,
    )
    assert dvk_model.history.count() == 2


def test_dvk_model_update_invalid_content_keeps_version(campaign, commune, officer):
    dvk_model = DvkModelFactory(campaign=campaign, unit=commune)

    with pytest.raises(services.RegistrationError):
        services.dvk_model_update(
            dvk_model=dvk_model,
            by=officer,
            data={"planned_start": days(10), "planned_end": days(1)},
            version=1,
        )

    assert DvkModel.objects.values_list("version", "planned_start").get() == (1, days(0))


def test_dvk_model_update_submitted_model_refused(campaign, commune, officer):
    dvk_model = dvk_model_in_status(ModelStatus.SUBMITTED, campaign=campaign, unit=commune)

    with pytest.raises(services.RegistrationError):
        services.dvk_model_update(
            dvk_model=dvk_model, by=officer, data={"name": "Sửa"}, version=dvk_model.version
        )

    assert DvkModel.objects.get().name != "Sửa"


def test_dvk_model_update_returned_model_saved(campaign, commune, officer):
    dvk_model = dvk_model_in_status(ModelStatus.RETURNED, campaign=campaign, unit=commune)

    services.dvk_model_update(
        dvk_model=dvk_model,
        by=officer,
        data={"goals": "Mục tiêu có số liệu"},
        version=dvk_model.version,
    )

    assert DvkModel.objects.get().goals == "Mục tiêu có số liệu"


def test_dvk_model_history_rows_created_on_create_and_update(campaign, commune, officer):
    dvk_model = services.dvk_model_create(
        campaign=campaign, unit=commune, by=officer, data={"name": "A"}
    )

    services.dvk_model_update(dvk_model=dvk_model, by=officer, data={"name": "B"}, version=1)

    rows = list(
        dvk_model.history.order_by("history_id").values_list("history_type", "name", "version")
    )
    assert rows == [("+", "A", 1), ("~", "B", 2)]


# --- Submit -------------------------------------------------------------------------------


def test_dvk_model_missing_items_complete_model_is_empty(campaign):
    assert services.dvk_model_missing_items(DvkModelFactory(campaign=campaign)) == {}


def test_dvk_model_submit_incomplete_lists_exactly_missing_fields(campaign, commune, officer):
    dvk_model = DvkModelFactory(
        campaign=campaign,
        unit=commune,
        field=None,
        situation="",
        lead_phone="   ",
        planned_end=None,
    )

    with pytest.raises(services.RegistrationError) as excinfo:
        services.dvk_model_submit(dvk_model=dvk_model, by=officer)

    assert sorted(excinfo.value.field_errors()) == [
        "field",
        "lead_phone",
        "planned_end",
        "situation",
    ]
    assert DvkModel.objects.get().status == ModelStatus.DRAFT


def test_dvk_model_submit_individual_without_person_lists_person_fields(campaign, commune, officer):
    dvk_model = DvkModelFactory(campaign=campaign, unit=commune, kind=ModelKind.INDIVIDUAL_EXEMPLAR)

    with pytest.raises(services.RegistrationError) as excinfo:
        services.dvk_model_submit(dvk_model=dvk_model, by=officer)

    assert sorted(excinfo.value.field_errors()) == [
        "person_birth_year",
        "person_name",
        "person_position",
    ]


def test_dvk_model_submit_collective_without_person_not_missing(campaign):
    dvk_model = DvkModelFactory(campaign=campaign, kind=ModelKind.COLLECTIVE_EXEMPLAR)

    assert services.dvk_model_missing_items(dvk_model) == {}


def test_dvk_model_submit_after_deadline_refused(campaign, commune, officer):
    move_campaign_dates(campaign, registration_closes=days(-1))
    dvk_model = DvkModelFactory(campaign=campaign, unit=commune)

    with pytest.raises(services.RegistrationError) as excinfo:
        services.dvk_model_submit(dvk_model=dvk_model, by=officer)

    assert str(excinfo.value) == closed_on(days(-1))
    assert DvkModel.objects.get().status == ModelStatus.DRAFT
    assert status_changes(dvk_model) == []


def test_dvk_model_submit_complete_draft_submitted(campaign, commune, officer):
    dvk_model = DvkModelFactory(campaign=campaign, unit=commune)

    result = services.dvk_model_submit(dvk_model=dvk_model, by=officer)

    dvk_model.refresh_from_db()
    assert (dvk_model.status, dvk_model.version, result.version) == (ModelStatus.SUBMITTED, 2, 2)
    assert dvk_model.submitted_at is not None
    assert status_changes(dvk_model) == [(ModelStatus.DRAFT, ModelStatus.SUBMITTED, officer.pk, "")]


def test_dvk_model_submit_twice_is_idempotent(campaign, commune, officer):
    dvk_model = DvkModelFactory(campaign=campaign, unit=commune)
    services.dvk_model_submit(dvk_model=dvk_model, by=officer)

    services.dvk_model_submit(dvk_model=dvk_model, by=officer)

    assert status_changes(dvk_model) == [(ModelStatus.DRAFT, ModelStatus.SUBMITTED, officer.pk, "")]
    assert DvkModel.objects.get().version == 2


def test_dvk_model_submit_accepted_refused(campaign, commune, officer):
    dvk_model = dvk_model_in_status(ModelStatus.ACCEPTED, campaign=campaign, unit=commune)

    with pytest.raises(services.RegistrationError):
        services.dvk_model_submit(dvk_model=dvk_model, by=officer)

    assert DvkModel.objects.get().status == ModelStatus.ACCEPTED


def test_dvk_model_submit_returned_after_registration_deadline_before_resubmit_deadline_allowed(
    campaign, commune, officer
):
    move_campaign_dates(campaign, registration_closes=days(2))
    dvk_model = dvk_model_in_status(ModelStatus.RETURNED, campaign=campaign, unit=commune)
    move_campaign_dates(campaign, registration_opens=days(-40), registration_closes=days(-1))

    services.dvk_model_submit(dvk_model=dvk_model, by=officer)

    dvk_model.refresh_from_db()
    assert (dvk_model.status, dvk_model.resubmit_deadline) == (ModelStatus.SUBMITTED, days(7))


def test_dvk_model_submit_returned_after_resubmit_deadline_refused(campaign, commune, officer):
    dvk_model = dvk_model_in_status(ModelStatus.RETURNED, campaign=campaign, unit=commune)
    move_campaign_dates(campaign, registration_opens=days(-40), registration_closes=days(-5))
    DvkModel.objects.filter(pk=dvk_model.pk).update(resubmit_deadline=days(-1))

    with pytest.raises(services.RegistrationError) as excinfo:
        services.dvk_model_submit(dvk_model=dvk_model, by=officer)

    assert str(excinfo.value) == closed_on(days(-1))
    assert DvkModel.objects.get().status == ModelStatus.RETURNED


def test_dvk_model_submit_withdrawn_after_return_keeps_resubmit_deadline(
    campaign, commune, officer
):
    """A model once returned keeps its own resubmission day, also after a withdrawal."""
    move_campaign_dates(campaign, registration_closes=days(-1))
    dvk_model = DvkModelFactory(campaign=campaign, unit=commune)
    DvkModel.objects.filter(pk=dvk_model.pk).update(resubmit_deadline=days(5))
    dvk_model.refresh_from_db()

    services.dvk_model_submit(dvk_model=dvk_model, by=officer)

    assert DvkModel.objects.get().status == ModelStatus.SUBMITTED


def test_dvk_model_withdraw_after_deadline_refused(campaign, commune, officer):
    dvk_model = dvk_model_in_status(ModelStatus.SUBMITTED, campaign=campaign, unit=commune)
    move_campaign_dates(campaign, registration_closes=days(-1))
    dvk_model.refresh_from_db()

    with pytest.raises(services.RegistrationError):
        services.dvk_model_withdraw(dvk_model=dvk_model, by=officer)

    assert DvkModel.objects.get().status == ModelStatus.SUBMITTED


# --- Withdraw, accept, return -------------------------------------------------------------


def test_dvk_model_withdraw_submitted_back_to_draft(campaign, commune, officer):
    dvk_model = dvk_model_in_status(ModelStatus.SUBMITTED, campaign=campaign, unit=commune)

    services.dvk_model_withdraw(dvk_model=dvk_model, by=officer)

    assert DvkModel.objects.values_list("status", "version").get() == (ModelStatus.DRAFT, 3)
    assert status_changes(dvk_model)[-1] == (
        ModelStatus.SUBMITTED,
        ModelStatus.DRAFT,
        officer.pk,
        "",
    )


def test_dvk_model_withdraw_draft_refused(campaign, commune, officer):
    dvk_model = DvkModelFactory(campaign=campaign, unit=commune)

    with pytest.raises(services.RegistrationError):
        services.dvk_model_withdraw(dvk_model=dvk_model, by=officer)

    assert status_changes(dvk_model) == []


def test_dvk_model_withdraw_accepted_refused(campaign, commune, officer):
    dvk_model = dvk_model_in_status(ModelStatus.ACCEPTED, campaign=campaign, unit=commune)

    with pytest.raises(services.RegistrationError):
        services.dvk_model_withdraw(dvk_model=dvk_model, by=officer)

    assert DvkModel.objects.get().status == ModelStatus.ACCEPTED


def test_dvk_model_accept_submitted_accepted(campaign, commune, secretariat):
    dvk_model = dvk_model_in_status(ModelStatus.SUBMITTED, campaign=campaign, unit=commune)

    services.dvk_model_accept(dvk_model=dvk_model, by=secretariat)

    dvk_model.refresh_from_db()
    assert (dvk_model.status, dvk_model.version) == (ModelStatus.ACCEPTED, 3)
    assert dvk_model.accepted_at is not None
    assert status_changes(dvk_model)[-1] == (
        ModelStatus.SUBMITTED,
        ModelStatus.ACCEPTED,
        secretariat.pk,
        "",
    )


def test_dvk_model_accept_draft_refused(campaign, commune, secretariat):
    dvk_model = DvkModelFactory(campaign=campaign, unit=commune)

    with pytest.raises(services.RegistrationError):
        services.dvk_model_accept(dvk_model=dvk_model, by=secretariat)

    assert DvkModel.objects.get().status == ModelStatus.DRAFT


def test_dvk_model_accept_returned_refused(campaign, commune, secretariat):
    dvk_model = dvk_model_in_status(ModelStatus.RETURNED, campaign=campaign, unit=commune)

    with pytest.raises(services.RegistrationError):
        services.dvk_model_accept(dvk_model=dvk_model, by=secretariat)

    assert DvkModel.objects.get().status == ModelStatus.RETURNED


def test_dvk_model_accept_twice_is_idempotent(campaign, commune, secretariat):
    dvk_model = dvk_model_in_status(ModelStatus.ACCEPTED, campaign=campaign, unit=commune)

    services.dvk_model_accept(dvk_model=dvk_model, by=secretariat)

    assert [change[1] for change in status_changes(dvk_model)].count(ModelStatus.ACCEPTED) == 1


def test_dvk_model_accept_resubmitted_clears_return_reason(campaign, commune, officer, secretariat):
    dvk_model = dvk_model_in_status(ModelStatus.RETURNED, campaign=campaign, unit=commune)
    services.dvk_model_submit(dvk_model=dvk_model, by=officer)

    services.dvk_model_accept(dvk_model=dvk_model, by=secretariat)

    assert DvkModel.objects.values_list("status", "return_reason").get() == (
        ModelStatus.ACCEPTED,
        "",
    )


def test_dvk_model_return_blank_reason_refused(campaign, commune, secretariat):
    dvk_model = dvk_model_in_status(ModelStatus.SUBMITTED, campaign=campaign, unit=commune)

    with pytest.raises(services.RegistrationError) as excinfo:
        services.dvk_model_return(dvk_model=dvk_model, by=secretariat, reason="  \n ")

    assert list(excinfo.value.field_errors()) == ["reason"]
    assert DvkModel.objects.get().status == ModelStatus.SUBMITTED


def test_dvk_model_return_sets_reason_and_week_grace_when_deadline_sooner(
    campaign, commune, secretariat
):
    move_campaign_dates(campaign, registration_closes=days(3))
    dvk_model = dvk_model_in_status(ModelStatus.SUBMITTED, campaign=campaign, unit=commune)

    services.dvk_model_return(dvk_model=dvk_model, by=secretariat, reason="  Thiếu số liệu.  ")

    assert DvkModel.objects.values_list("status", "return_reason", "resubmit_deadline").get() == (
        ModelStatus.RETURNED,
        "Thiếu số liệu.",
        days(7),
    )
    assert status_changes(dvk_model)[-1] == (
        ModelStatus.SUBMITTED,
        ModelStatus.RETURNED,
        secretariat.pk,
        "Thiếu số liệu.",
    )


def test_dvk_model_return_default_resubmit_is_unit_deadline_when_later(
    campaign, commune, secretariat
):
    dvk_model = dvk_model_in_status(ModelStatus.SUBMITTED, campaign=campaign, unit=commune)

    services.dvk_model_return(dvk_model=dvk_model, by=secretariat, reason="Thiếu số liệu.")

    assert DvkModel.objects.get().resubmit_deadline == days(30)


def test_dvk_model_return_default_resubmit_counts_unit_extension(campaign, commune, secretariat):
    dvk_model = dvk_model_in_status(ModelStatus.SUBMITTED, campaign=campaign, unit=commune)
    services.campaign_extend_deadline(
        campaign=campaign, unit=commune, until=days(45), reason="Bão lũ", by=secretariat
    )

    services.dvk_model_return(dvk_model=dvk_model, by=secretariat, reason="Thiếu số liệu.")

    assert DvkModel.objects.get().resubmit_deadline == days(45)


def test_dvk_model_return_explicit_resubmit_by_kept(campaign, commune, secretariat):
    dvk_model = dvk_model_in_status(ModelStatus.SUBMITTED, campaign=campaign, unit=commune)

    services.dvk_model_return(
        dvk_model=dvk_model, by=secretariat, reason="Thiếu số liệu.", resubmit_by=days(3)
    )

    assert DvkModel.objects.get().resubmit_deadline == days(3)


def test_dvk_model_return_resubmit_by_in_past_refused(campaign, commune, secretariat):
    dvk_model = dvk_model_in_status(ModelStatus.SUBMITTED, campaign=campaign, unit=commune)

    with pytest.raises(services.RegistrationError) as excinfo:
        services.dvk_model_return(
            dvk_model=dvk_model, by=secretariat, reason="Thiếu số liệu.", resubmit_by=days(-1)
        )

    assert list(excinfo.value.field_errors()) == ["resubmit_by"]
    assert DvkModel.objects.get().status == ModelStatus.SUBMITTED


def test_dvk_model_return_draft_refused(campaign, commune, secretariat):
    dvk_model = DvkModelFactory(campaign=campaign, unit=commune)

    with pytest.raises(services.RegistrationError):
        services.dvk_model_return(dvk_model=dvk_model, by=secretariat, reason="Thiếu số liệu.")

    assert DvkModel.objects.get().status == ModelStatus.DRAFT


def test_dvk_model_transitions_record_status_changes_with_by_and_reason(
    campaign, commune, officer, secretariat
):
    template = DvkModelFactory.build(campaign=campaign, unit=commune, field=FieldFactory())
    data = {name: getattr(template, name) for name in services.CONTENT_FIELDS}
    dvk_model = services.dvk_model_create(campaign=campaign, unit=commune, by=officer, data=data)

    services.dvk_model_submit(dvk_model=dvk_model, by=officer)
    services.dvk_model_withdraw(dvk_model=dvk_model, by=officer)
    services.dvk_model_submit(dvk_model=dvk_model, by=officer)
    services.dvk_model_return(dvk_model=dvk_model, by=secretariat, reason="Bổ sung minh chứng.")
    services.dvk_model_submit(dvk_model=dvk_model, by=officer)
    services.dvk_model_accept(dvk_model=dvk_model, by=secretariat)

    draft, submitted = ModelStatus.DRAFT, ModelStatus.SUBMITTED
    assert status_changes(dvk_model) == [
        ("", draft, officer.pk, ""),
        (draft, submitted, officer.pk, ""),
        (submitted, draft, officer.pk, ""),
        (draft, submitted, officer.pk, ""),
        (submitted, ModelStatus.RETURNED, secretariat.pk, "Bổ sung minh chứng."),
        (ModelStatus.RETURNED, submitted, officer.pk, ""),
        (submitted, ModelStatus.ACCEPTED, secretariat.pk, ""),
    ]
    assert dvk_model.history.count() == 7


# --- Carry-over ---------------------------------------------------------------------------


@pytest.fixture
def last_year(province):
    # Its registration window is open today too: dates are data, and the accepted source
    # model has to be reached through the services.
    return CampaignFactory(organiser=province, year=days(0).year - 1)


def test_dvk_model_carry_over_accepted_copies_content_and_links(
    last_year, campaign, commune, officer
):
    source = dvk_model_in_status(
        ModelStatus.ACCEPTED, campaign=last_year, unit=commune, individual=True
    )

    carried = services.dvk_model_carry_over(source=source, campaign=campaign, by=officer)

    carried.refresh_from_db()
    copied = [n for n in services.CONTENT_FIELDS if n not in ("planned_start", "planned_end")]
    assert {n: getattr(carried, n) for n in copied} == {n: getattr(source, n) for n in copied}
    assert (carried.campaign, carried.unit, carried.predecessor, carried.status) == (
        campaign,
        commune,
        source,
        ModelStatus.DRAFT,
    )
    assert (carried.planned_start, carried.planned_end, carried.created_by) == (None, None, officer)


def test_dvk_model_carry_over_same_year_refused(campaign, commune, officer):
    source = dvk_model_in_status(ModelStatus.ACCEPTED, campaign=campaign, unit=commune)
    other_province = CampaignFactory(year=campaign.year)

    with pytest.raises(services.RegistrationError):
        services.dvk_model_carry_over(source=source, campaign=other_province, by=officer)

    assert DvkModel.objects.count() == 1


def test_dvk_model_carry_over_into_earlier_year_refused(last_year, campaign, commune, officer):
    source = dvk_model_in_status(ModelStatus.ACCEPTED, campaign=campaign, unit=commune)

    with pytest.raises(services.RegistrationError):
        services.dvk_model_carry_over(source=source, campaign=last_year, by=officer)

    assert DvkModel.objects.count() == 1


def test_dvk_model_carry_over_not_accepted_refused(last_year, campaign, commune, officer):
    source = DvkModelFactory(campaign=last_year, unit=commune)

    with pytest.raises(services.RegistrationError) as excinfo:
        services.dvk_model_carry_over(source=source, campaign=campaign, by=officer)

    assert str(excinfo.value) == gettext("Only an accepted model can be carried over.")
    assert DvkModel.objects.count() == 1


def test_dvk_model_carry_over_twice_refused(last_year, campaign, commune, officer):
    source = dvk_model_in_status(ModelStatus.ACCEPTED, campaign=last_year, unit=commune)
    services.dvk_model_carry_over(source=source, campaign=campaign, by=officer)

    with pytest.raises(services.RegistrationError) as excinfo:
        services.dvk_model_carry_over(source=source, campaign=campaign, by=officer)

    assert str(excinfo.value) == gettext(
        "This model has already been carried over into this campaign."
    )
    assert DvkModel.objects.filter(campaign=campaign).count() == 1


def test_dvk_model_carry_over_registration_closed_refused(last_year, campaign, commune, officer):
    source = dvk_model_in_status(ModelStatus.ACCEPTED, campaign=last_year, unit=commune)
    move_campaign_dates(campaign, registration_opens=days(-30), registration_closes=days(-1))
    campaign.refresh_from_db()

    with pytest.raises(services.RegistrationError):
        services.dvk_model_carry_over(source=source, campaign=campaign, by=officer)

    assert DvkModel.objects.filter(campaign=campaign).count() == 0


# --- Attachments --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "extension", "content_type"),
    [
        ("minh-chung.pdf", pdf_bytes(), ".pdf", "application/pdf"),
        ("anh-cong-trinh.png", png_bytes(), ".png", "image/png"),
        ("anh-cong-trinh.jpg", jpg_bytes(), ".jpg", "image/jpeg"),
        ("ANH.JPEG", jpg_bytes(), ".jpg", "image/jpeg"),
        (
            "bao-cao.docx",
            docx_bytes(),
            ".docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "so-lieu.xlsx",
            xlsx_bytes(),
            ".xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_attachment_add_allowed_type_stored(
    campaign, commune, officer, name, content, extension, content_type
):
    dvk_model = DvkModelFactory(campaign=campaign, unit=commune)

    attachment = services.attachment_add(
        dvk_model=dvk_model,
        uploaded_file=upload(name, content),
        by=officer,
        purpose=AttachmentPurpose.REGISTRATION,
        description="Minh chứng",
    )

    row = Attachment.objects.get()
    assert (row.pk, row.extension, row.content_type, row.size, row.original_name) == (
        attachment.pk,
        extension,
        content_type,
        len(content),
        name,
    )
    with default_storage.open(row.file.name, "rb") as stored:
        assert stored.read() == content


def test_attachment_add_stores_sha256_under_generated_name(campaign, commune, officer):
    dvk_model = DvkModelFactory(campaign=campaign, unit=commune)
    content = pdf_bytes()

    attachment = services.attachment_add(
        dvk_model=dvk_model,
        uploaded_file=upload("Biên bản họp dân.pdf", content),
        by=officer,
        purpose=AttachmentPurpose.REGISTRATION,
    )

    sha256 = hashlib.sha256(content).hexdigest()
    assert attachment.sha256 == sha256
    assert os.path.basename(attachment.file.name) == f"{sha256}.pdf"
    assert attachment.original_name == "Biên bản họp dân.pdf"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("evidence.pdf", exe_bytes(), "The content of this file is not a real %(type)s file."),
        (
            "bao-cao.docx",
            zip_bytes({"readme.txt": "không phải Word"}),
            "The content of this file is not a real %(type)s file.",
        ),
        ("so-lieu.xlsx", docx_bytes(), "The content of this file is not a real %(type)s file."),
        ("anh.png", jpg_bytes(), "The content of this file is not a real %(type)s file."),
        ("virus.exe", exe_bytes(), "Only PDF, DOCX, XLSX, JPG and PNG files are accepted."),
        ("khong-duoi", pdf_bytes(), "Only PDF, DOCX, XLSX, JPG and PNG files are accepted."),
        ("rong.pdf", b"", "The file is empty."),
    ],
)
def test_attachment_add_bad_file_refused(
    campaign, commune, officer, settings, name, content, message
):
    dvk_model = DvkModelFactory(campaign=campaign, unit=commune)

    with pytest.raises(services.RegistrationError) as excinfo:
        services.attachment_add(
            dvk_model=dvk_model,
            uploaded_file=upload(name, content),
            by=officer,
            purpose=AttachmentPurpose.REGISTRATION,
        )

    file_type = name.rsplit(".", 1)[-1].upper()
    assert excinfo.value.field_errors() == {"file": [gettext(message) % {"type": file_type}]}
    assert Attachment.objects.count() == 0
    assert not (settings.MEDIA_ROOT / "evidence").exists()


def test_attachment_add_oversized_refused(campaign, commune, officer, settings):
    settings.FILE_UPLOAD_MAX_MB = 1
    dvk_model = DvkModelFactory(campaign=campaign, unit=commune)
    content = pdf_bytes() + b"0" * int(1.1 * 1024 * 1024)

    with pytest.raises(services.RegistrationError) as excinfo:
        services.attachment_add(
            dvk_model=dvk_model,
            uploaded_file=upload("lon.pdf", content),
            by=officer,
            purpose=AttachmentPurpose.REGISTRATION,
        )

    assert excinfo.value.field_errors() == {
        "file": [gettext("The file is larger than %(limit)s MB.") % {"limit": 1}]
    }
    assert Attachment.objects.count() == 0


def test_attachment_add_just_under_limit_accepted(campaign, commune, officer, settings):
    settings.FILE_UPLOAD_MAX_MB = 1
    dvk_model = DvkModelFactory(campaign=campaign, unit=commune)
    content = pdf_bytes() + b"0" * (1024 * 1024 - len(pdf_bytes()))

    services.attachment_add(
        dvk_model=dvk_model,
        uploaded_file=upload("vua.pdf", content),
        by=officer,
        purpose=AttachmentPurpose.REGISTRATION,
    )

    assert Attachment.objects.get().size == 1024 * 1024


def test_attachment_add_registration_evidence_to_submitted_refused(campaign, commune, officer):
    dvk_model = dvk_model_in_status(ModelStatus.SUBMITTED, campaign=campaign, unit=commune)

    with pytest.raises(services.RegistrationError):
        services.attachment_add(
            dvk_model=dvk_model,
            uploaded_file=upload("a.pdf", pdf_bytes()),
            by=officer,
            purpose=AttachmentPurpose.REGISTRATION,
        )

    assert Attachment.objects.count() == 0


def test_attachment_add_result_evidence_to_draft_refused(campaign, commune, officer):
    dvk_model = DvkModelFactory(campaign=campaign, unit=commune)

    with pytest.raises(services.RegistrationError) as excinfo:
        services.attachment_add(
            dvk_model=dvk_model,
            uploaded_file=upload("a.pdf", pdf_bytes()),
            by=officer,
            purpose=AttachmentPurpose.RESULT,
        )

    assert str(excinfo.value) == gettext("A result report can be filed only for an accepted model.")


def test_attachment_add_result_evidence_to_accepted_stored(campaign, commune, officer):
    dvk_model = dvk_model_in_status(ModelStatus.ACCEPTED, campaign=campaign, unit=commune)

    services.attachment_add(
        dvk_model=dvk_model,
        uploaded_file=upload("ket-qua.pdf", pdf_bytes()),
        by=officer,
        purpose=AttachmentPurpose.RESULT,
    )

    assert Attachment.objects.get().purpose == AttachmentPurpose.RESULT


def test_attachment_delete_draft_removes_row_and_file(
    campaign, commune, officer, django_capture_on_commit_callbacks
):
    dvk_model = DvkModelFactory(campaign=campaign, unit=commune)
    attachment = services.attachment_add(
        dvk_model=dvk_model,
        uploaded_file=upload("a.pdf", pdf_bytes()),
        by=officer,
        purpose=AttachmentPurpose.REGISTRATION,
    )
    stored_name = attachment.file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_delete(attachment=attachment, by=officer)

    assert Attachment.objects.count() == 0
    assert default_storage.exists(stored_name) is False


def test_attachment_delete_registration_evidence_of_submitted_refused(campaign, commune, officer):
    dvk_model = DvkModelFactory(campaign=campaign, unit=commune)
    attachment = services.attachment_add(
        dvk_model=dvk_model,
        uploaded_file=upload("a.pdf", pdf_bytes()),
        by=officer,
        purpose=AttachmentPurpose.REGISTRATION,
    )
    services.dvk_model_submit(dvk_model=dvk_model, by=officer)
    attachment.refresh_from_db()

    with pytest.raises(services.RegistrationError):
        services.attachment_delete(attachment=attachment, by=officer)

    assert Attachment.objects.count() == 1


# --- Result reports -----------------------------------------------------------------------


@pytest.fixture
def accepted(campaign, commune):
    return dvk_model_in_status(ModelStatus.ACCEPTED, campaign=campaign, unit=commune)


def test_result_report_save_accepted_model_saves_draft(accepted, officer):
    report = services.result_report_save(
        dvk_model=accepted, by=officer, data=RESULT_DATA, version=None
    )

    report.refresh_from_db()
    assert (report.status, report.version, report.people_reached, report.submitted_at) == (
        ReportStatus.DRAFT,
        1,
        1200,
        None,
    )


def test_result_report_save_submit_locks_report(accepted, officer):
    report = services.result_report_save(
        dvk_model=accepted, by=officer, data=RESULT_DATA, version=None, submit=True
    )

    with pytest.raises(services.RegistrationError) as excinfo:
        services.result_report_save(
            dvk_model=accepted, by=officer, data={"households": 1}, version=report.version
        )

    report.refresh_from_db()
    assert (report.status, report.submitted_by, report.households) == (
        ReportStatus.SUBMITTED,
        officer,
        350,
    )
    assert str(excinfo.value) == gettext("The result report has already been submitted.")


def test_result_report_save_submit_incomplete_refused(accepted, officer):
    data = {**RESULT_DATA, "results": " ", "self_assessment": ""}

    with pytest.raises(services.RegistrationError) as excinfo:
        services.result_report_save(
            dvk_model=accepted, by=officer, data=data, version=None, submit=True
        )

    assert sorted(excinfo.value.field_errors()) == ["results", "self_assessment"]
    assert ResultReport.objects.count() == 0


def test_result_report_save_submit_negative_figure_refused(accepted, officer):
    data = {**RESULT_DATA, "people_reached": -5}

    with pytest.raises(ValidationError) as excinfo:
        services.result_report_save(
            dvk_model=accepted, by=officer, data=data, version=None, submit=True
        )

    assert list(excinfo.value.message_dict) == ["people_reached"]
    assert ResultReport.objects.count() == 0


def test_result_report_save_incomplete_draft_saved(accepted, officer):
    """A draft may be saved incomplete; only submitting requires the texts."""
    report = services.result_report_save(
        dvk_model=accepted, by=officer, data={"people_reached": 40}, version=None
    )

    assert (report.status, report.people_reached, report.results) == (ReportStatus.DRAFT, 40, "")


def test_result_report_save_stale_version_refused(accepted, officer):
    services.result_report_save(dvk_model=accepted, by=officer, data=RESULT_DATA, version=None)
    services.result_report_save(dvk_model=accepted, by=officer, data={"households": 400}, version=1)

    with pytest.raises(services.StaleEditError):
        services.result_report_save(
            dvk_model=accepted, by=officer, data={"households": 1}, version=1
        )

    assert ResultReport.objects.values_list("households", "version").get() == (400, 2)


def test_result_report_save_after_due_date_refused(accepted, officer):
    move_campaign_dates(accepted.campaign, registration_closes=days(-2), result_report_due=days(-1))

    with pytest.raises(services.RegistrationError) as excinfo:
        services.result_report_save(dvk_model=accepted, by=officer, data=RESULT_DATA, version=None)

    assert str(excinfo.value) == gettext("Result reports were due on %(date)s.") % {
        "date": days(-1).strftime("%d/%m/%Y")
    }
    assert ResultReport.objects.count() == 0


def test_result_report_save_on_due_date_allowed(accepted, officer):
    move_campaign_dates(accepted.campaign, registration_closes=days(-1), result_report_due=days(0))

    services.result_report_save(dvk_model=accepted, by=officer, data=RESULT_DATA, version=None)

    assert ResultReport.objects.count() == 1


def test_result_report_save_draft_model_refused(campaign, commune, officer):
    dvk_model = DvkModelFactory(campaign=campaign, unit=commune)

    with pytest.raises(services.RegistrationError):
        services.result_report_save(dvk_model=dvk_model, by=officer, data=RESULT_DATA, version=None)

    assert ResultReport.objects.count() == 0


def test_result_report_save_submitted_model_refused(campaign, commune, officer):
    dvk_model = dvk_model_in_status(ModelStatus.SUBMITTED, campaign=campaign, unit=commune)

    with pytest.raises(services.RegistrationError):
        services.result_report_save(dvk_model=dvk_model, by=officer, data=RESULT_DATA, version=None)

    assert ResultReport.objects.count() == 0


def test_result_report_save_records_history_rows(accepted, officer):
    services.result_report_save(dvk_model=accepted, by=officer, data=RESULT_DATA, version=None)

    services.result_report_save(
        dvk_model=accepted, by=officer, data={"households": 400}, version=1, submit=True
    )

    report = ResultReport.objects.get()
    assert list(report.history.order_by("history_id").values_list("history_type", "status")) == [
        ("+", ReportStatus.DRAFT),
        ("~", ReportStatus.SUBMITTED),
    ]


# --- Fields -------------------------------------------------------------------------------


def test_field_save_topic_under_top_level_field(db):
    from models_registry.models import Field

    economy = services.field_save(field=Field(name="Kinh tế"))

    topic = services.field_save(field=Field(name="Chuyển đổi số", parent=economy))

    assert (topic.parent, str(topic)) == (economy, "Kinh tế › Chuyển đổi số")


def test_field_save_topic_under_topic_refused(db):
    from models_registry.models import Field

    economy = services.field_save(field=Field(name="Kinh tế"))
    topic = services.field_save(field=Field(name="Chuyển đổi số", parent=economy))

    with pytest.raises(services.RegistrationError) as excinfo:
        services.field_save(field=Field(name="Sàn thương mại", parent=topic))

    assert list(excinfo.value.field_errors()) == ["parent"]
    assert Field.objects.count() == 2


def test_field_save_field_with_topics_cannot_become_topic(db):
    from models_registry.models import Field

    economy = services.field_save(field=Field(name="Kinh tế"))
    services.field_save(field=Field(name="Chuyển đổi số", parent=economy))
    society = services.field_save(field=Field(name="Văn hóa – xã hội"))
    economy.parent = society

    with pytest.raises(services.RegistrationError) as excinfo:
        services.field_save(field=economy)

    assert list(excinfo.value.field_errors()) == ["parent"]
    assert Field.objects.get(pk=economy.pk).parent_id is None


# --- Result indicators --------------------------------------------------------------------


def test_result_report_save_indicator_values_kept_per_campaign(accepted, officer):
    from decimal import Decimal

    from models_registry.models import Indicator, IndicatorValue

    poverty = Indicator.objects.create(
        campaign=accepted.campaign, name="Hộ thoát nghèo", unit_label="hộ"
    )
    services.result_report_save(
        dvk_model=accepted,
        by=officer,
        data={"results": "R"},
        version=None,
        indicator_values={poverty.pk: Decimal("15"), 999999: Decimal("3")},
    )

    assert list(IndicatorValue.objects.values_list("indicator__name", "value")) == [
        ("Hộ thoát nghèo", Decimal("15.00"))
    ]


def test_result_report_save_negative_indicator_refused(accepted, officer):
    from decimal import Decimal

    from models_registry.models import Indicator, ResultReport

    poverty = Indicator.objects.create(campaign=accepted.campaign, name="Hộ thoát nghèo")

    with pytest.raises(services.RegistrationError):
        services.result_report_save(
            dvk_model=accepted,
            by=officer,
            data={"results": "R"},
            version=None,
            indicator_values={poverty.pk: Decimal("-1")},
        )

    assert ResultReport.objects.count() == 0


def test_campaign_save_indicators_used_one_cannot_be_deleted(accepted, officer):
    from decimal import Decimal

    from models_registry.models import Indicator

    poverty = Indicator.objects.create(campaign=accepted.campaign, name="Hộ thoát nghèo")
    services.result_report_save(
        dvk_model=accepted,
        by=officer,
        data={},
        version=None,
        indicator_values={poverty.pk: Decimal("2")},
    )

    with pytest.raises(services.RegistrationError):
        services.campaign_save_indicators(
            campaign=accepted.campaign, rows=[{"id": poverty.pk, "delete": True}]
        )

    assert Indicator.objects.filter(pk=poverty.pk).exists()
