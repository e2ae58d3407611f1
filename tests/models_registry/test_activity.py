"""Issue 7: every registration transition writes exactly one activity row (who, what,
which object, data), and the model page's timeline reads them."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from danvan.activity import action_label
from danvan.models import ActivityLog
from models_registry import services
from models_registry.enums import AttachmentPurpose, ModelStatus
from models_registry.extensions import ACTIONS
from models_registry.models import Campaign, Field
from tests.factories import CampaignFactory, DvkModelFactory
from tests.factories.registry import days, dvk_model_in_status, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def only_row(obj) -> ActivityLog:
    """The one activity row written about ``obj`` since the test's ``ActivityLog`` reset."""
    rows = list(
        ActivityLog.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        )
    )
    assert len(rows) == 1, [row.action for row in rows]
    return rows[0]


def fresh(*objs):
    """Forget the rows written while arranging the test."""
    ActivityLog.objects.all().delete()
    return objs[0] if len(objs) == 1 else objs


def test_dvk_model_create_logs_create(campaign, commune, officer):
    dvk_model = services.dvk_model_create(
        campaign=campaign, unit=commune, by=officer, data={"name": "Mô hình mới"}
    )

    row = only_row(dvk_model)
    assert (row.action, row.actor, row.unit, row.data) == (
        "models_registry.dvkmodel.create",
        officer,
        commune,
        {"from": "", "to": ModelStatus.DRAFT},
    )


def test_dvk_model_update_logs_changed_items(campaign, commune, officer):
    dvk_model = fresh(DvkModelFactory(campaign=campaign, unit=commune))

    services.dvk_model_update(
        dvk_model=dvk_model,
        by=officer,
        data={"name": "Tên mới", "goals": dvk_model.goals},
        version=1,
    )

    row = only_row(dvk_model)
    assert (row.action, row.actor, row.data["fields"]) == (
        "models_registry.dvkmodel.update",
        officer,
        ["name"],
    )


@pytest.mark.parametrize(
    ("start", "verb", "source", "target"),
    [
        (ModelStatus.DRAFT, "submit", ModelStatus.DRAFT, ModelStatus.SUBMITTED),
        (ModelStatus.SUBMITTED, "withdraw", ModelStatus.SUBMITTED, ModelStatus.DRAFT),
        (ModelStatus.SUBMITTED, "accept", ModelStatus.SUBMITTED, ModelStatus.ACCEPTED),
        (ModelStatus.RETURNED, "submit", ModelStatus.RETURNED, ModelStatus.SUBMITTED),
    ],
)
def test_dvk_model_transition_logs_one_row(
    campaign, commune, officer, secretariat, start, verb, source, target
):
    dvk_model = fresh(
        dvk_model_in_status(start, campaign=campaign, unit=commune, reviewer=secretariat)
    )
    by = secretariat if verb == "accept" else officer
    service = getattr(services, f"dvk_model_{verb}")

    service(dvk_model=dvk_model, by=by)

    row = only_row(dvk_model)
    assert (row.action, row.actor, row.unit, row.data) == (
        f"models_registry.dvkmodel.{verb}",
        by,
        commune,
        {"from": source, "to": target},
    )


def test_dvk_model_return_logs_reason_and_day(campaign, commune, secretariat):
    dvk_model = fresh(dvk_model_in_status(ModelStatus.SUBMITTED, campaign=campaign, unit=commune))

    services.dvk_model_return(
        dvk_model=dvk_model, by=secretariat, reason="Thiếu số liệu.", resubmit_by=days(10)
    )

    row = only_row(dvk_model)
    assert (row.action, row.actor, row.data) == (
        "models_registry.dvkmodel.return",
        secretariat,
        {
            "from": ModelStatus.SUBMITTED,
            "to": ModelStatus.RETURNED,
            "reason": "Thiếu số liệu.",
            "resubmit_by": days(10).isoformat(),
        },
    )


def test_dvk_model_refused_transition_logs_nothing(campaign, commune, secretariat):
    dvk_model = fresh(DvkModelFactory(campaign=campaign, unit=commune))

    with pytest.raises(services.RegistrationError):
        services.dvk_model_accept(dvk_model=dvk_model, by=secretariat)

    assert not ActivityLog.objects.exists()


def test_dvk_model_carry_over_logs_one_row_on_the_new_draft(campaign, province, commune, officer):
    last_year = CampaignFactory(organiser=province, year=campaign.year - 1)
    source = fresh(dvk_model_in_status(ModelStatus.ACCEPTED, campaign=last_year, unit=commune))

    carried = services.dvk_model_carry_over(source=source, campaign=campaign, by=officer)

    row = only_row(carried)
    assert (row.action, row.actor, row.data) == (
        "models_registry.dvkmodel.carry_over",
        officer,
        {"from": "", "to": ModelStatus.DRAFT, "predecessor": source.pk},
    )
    assert ActivityLog.objects.count() == 1


def test_attachment_add_and_delete_log_on_the_model(campaign, commune, officer):
    dvk_model = fresh(DvkModelFactory(campaign=campaign, unit=commune))

    attachment = services.attachment_add(
        dvk_model=dvk_model,
        uploaded_file=upload("Biên bản.pdf", pdf_bytes()),
        by=officer,
        purpose=AttachmentPurpose.REGISTRATION,
    )
    added = only_row(dvk_model)
    attachment_pk = fresh(attachment).pk
    services.attachment_delete(attachment=attachment, by=officer)
    removed = only_row(dvk_model)

    assert (added.action, added.actor, added.data) == (
        "models_registry.dvkmodel.add_attachment",
        officer,
        {"attachment": attachment_pk, "name": "Biên bản.pdf", "purpose": "registration"},
    )
    assert (removed.action, removed.data["name"]) == (
        "models_registry.dvkmodel.remove_attachment",
        "Biên bản.pdf",
    )


def test_result_report_submit_logs_once_draft_save_logs_nothing(campaign, commune, officer):
    dvk_model = fresh(dvk_model_in_status(ModelStatus.ACCEPTED, campaign=campaign, unit=commune))
    data = {"results": "Đạt", "self_assessment": "Tốt"}

    report = services.result_report_save(dvk_model=dvk_model, by=officer, data=data, version=None)
    assert not ActivityLog.objects.exists()
    services.result_report_save(
        dvk_model=dvk_model, by=officer, data=data, version=report.version, submit=True
    )

    row = only_row(dvk_model)
    assert (row.action, row.actor, row.data) == (
        "models_registry.dvkmodel.submit_result_report",
        officer,
        {"report": report.pk},
    )


def test_campaign_create_update_and_extension_log_on_the_campaign(province, commune, secretariat):
    campaign = Campaign(
        year=days(0).year + 1,
        title="Năm sau",
        organiser=province,
        registration_opens=days(1),
        registration_closes=days(10),
        result_report_due=days(60),
        scoring_opens=days(61),
        scoring_closes=days(70),
    )
    fresh(province)

    services.campaign_save(campaign=campaign, by=secretariat)
    created = only_row(campaign)
    fresh(campaign)
    campaign.title = "Năm sau (sửa)"
    services.campaign_save(campaign=campaign, by=secretariat)
    updated = only_row(campaign)
    fresh(campaign)
    services.campaign_extend_deadline(
        campaign=campaign, unit=commune, until=days(20), reason="Bão lũ", by=secretariat
    )
    extended = only_row(campaign)

    assert [(r.action, r.actor, r.unit) for r in (created, updated)] == [
        ("models_registry.campaign.create", secretariat, province),
        ("models_registry.campaign.update", secretariat, province),
    ]
    assert (extended.action, extended.unit, extended.data) == (
        "models_registry.campaign.extend_deadline",
        commune,
        {
            "unit": commune.pk,
            "unit_name": commune.name,
            "until": days(20).isoformat(),
            "reason": "Bão lũ",
        },
    )


def test_field_save_logs_create_then_update(secretariat):
    field = Field(name="Quốc phòng")

    services.field_save(field=field, by=secretariat)
    created = only_row(field)
    fresh(field)
    field.active = False
    services.field_save(field=field, by=secretariat)
    updated = only_row(field)

    assert [(r.action, r.actor, r.data["active"]) for r in (created, updated)] == [
        ("models_registry.field.create", secretariat, True),
        ("models_registry.field.update", secretariat, False),
    ]


def test_every_logged_action_has_a_label():
    assert all(action_label(action) == str(label) for action, label in ACTIONS.items())
    assert all(str(label) != action for action, label in ACTIONS.items())


def test_model_detail_timeline_shows_who_when_what_and_why(client, world):
    dvk_model = dvk_model_in_status(
        ModelStatus.RETURNED,
        campaign=world.campaign,
        unit=world.commune_a,
        created_by=world.officer_a,
        reviewer=world.secretariat,
    )
    client.force_login(world.officer_a)

    response = client.get(reverse("models_registry:model_detail", args=[dvk_model.pk]))

    timeline = response.context["timeline"]
    # The factory creates the draft directly; the services log the rest.
    assert [(e["label"], e["by"], e["reason"]) for e in timeline] == [
        (action_label("models_registry.dvkmodel.submit"), world.officer_a, ""),
        (
            action_label("models_registry.dvkmodel.return"),
            world.secretariat,
            "Bổ sung số liệu mục tiêu.",
        ),
    ]
    assert all(isinstance(e["at"], datetime.datetime) for e in timeline)
    content = response.content.decode()
    assert "Bổ sung số liệu mục tiêu." in content
    assert world.secretariat.get_full_name() in content
