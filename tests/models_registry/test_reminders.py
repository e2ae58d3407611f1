"""models_registry/reminders (who is reminded of a registration deadline, what it says),
the daily task, the beat schedule and the coverage page's "nhắc" button.

The clock is frozen by passing the day (``on=`` / the task's ``day``) rather than by
patching: every date is relative to the campaign's registration deadline.
"""

import datetime

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse

from danvan.enums import Role
from danvan.models import ActivityLog, Notification, ReminderLog
from models_registry import reminders, services
from models_registry.enums import ModelStatus
from models_registry.tasks import send_reminders
from tests.factories import DvkModelFactory, UnitFactory, UserFactory
from tests.factories.registry import days, dvk_model_in_status

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def before(campaign, n: int) -> datetime.date:
    """``n`` days before the campaign's registration deadline."""
    return campaign.registration_closes - n * DAY


def unit_ids(due) -> list[int]:
    return sorted(d.unit.pk for d in due)


def notifications_of(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind).order_by("pk"))


# --- Units that registered nothing ---------------------------------------------------------


@pytest.mark.parametrize(("n", "selected"), [(7, True), (3, True), (1, True), (5, False)])
def test_unregistered_due_selects_unit_at_lead_days_only(campaign, commune, officer, n, selected):
    due = reminders.unregistered_due(on=before(campaign, n))

    assert unit_ids(due) == ([commune.pk] if selected else [])


@pytest.mark.parametrize("n", [0, -1, -7])
def test_unregistered_due_nobody_on_or_after_deadline_without_such_lead_day(
    campaign, commune, officer, n
):
    assert reminders.unregistered_due(on=before(campaign, n), days=(7, 3, 1)) == []


def test_unregistered_due_skips_units_with_a_submitted_model_or_a_draft(
    campaign, commune, officer, province
):
    drafting = UnitFactory(parent=province)
    silent = UnitFactory(parent=province)
    dvk_model_in_status(ModelStatus.SUBMITTED, campaign=campaign, unit=commune)
    DvkModelFactory(campaign=campaign, unit=drafting)

    due = reminders.unregistered_due(on=before(campaign, 3))

    assert unit_ids(due) == [silent.pk]


def test_unregistered_due_leaves_out_units_outside_the_campaign(campaign, commune, officer):
    elsewhere = UnitFactory(parent=UnitFactory(kind="province"))

    due = reminders.unregistered_due(on=before(campaign, 3))

    assert elsewhere.pk not in unit_ids(due)
    assert commune.pk in unit_ids(due)


def test_unregistered_due_follows_a_deadline_extension(campaign, commune, officer, secretariat):
    until = campaign.registration_closes + 10 * DAY
    services.campaign_extend_deadline(
        campaign=campaign, unit=commune, until=until, reason="Bão lũ", by=secretariat
    )

    at_campaign_deadline = reminders.unregistered_due(on=before(campaign, 3))
    at_extension = reminders.unregistered_due(on=until - 3 * DAY)

    assert commune.pk not in unit_ids(at_campaign_deadline)
    assert [(d.unit.pk, d.deadline) for d in at_extension] == [(commune.pk, until)]


def test_unregistered_due_before_registration_opens_selects_nobody(campaign, commune, officer):
    campaign.registration_opens = before(campaign, 2)
    campaign.save()

    assert reminders.unregistered_due(on=before(campaign, 3)) == []


# --- Drafts and returned models -----------------------------------------------------------


@pytest.mark.parametrize(("n", "selected"), [(7, True), (3, True), (1, True), (5, False)])
def test_models_due_drafts_at_lead_days_only(campaign, commune, officer, n, selected):
    draft = DvkModelFactory(campaign=campaign, unit=commune, created_by=officer)

    due = reminders.models_due(status=ModelStatus.DRAFT, on=before(campaign, n))

    assert [m.pk for d in due for m in d.models] == ([draft.pk] if selected else [])


def test_models_due_no_draft_once_submitted_or_after_deadline(campaign, commune, officer):
    dvk_model_in_status(ModelStatus.SUBMITTED, campaign=campaign, unit=commune)

    assert reminders.models_due(status=ModelStatus.DRAFT, on=before(campaign, 3)) == []
    DvkModelFactory(campaign=campaign, unit=commune)
    assert reminders.models_due(status=ModelStatus.DRAFT, on=before(campaign, -1)) == []


def test_models_due_returned_uses_the_resubmission_day(campaign, commune, officer, secretariat):
    dvk_model = dvk_model_in_status(ModelStatus.SUBMITTED, campaign=campaign, unit=commune)
    resubmit_by = campaign.registration_closes + 10 * DAY
    services.dvk_model_return(
        dvk_model=dvk_model, by=secretariat, reason="Bổ sung số liệu.", resubmit_by=resubmit_by
    )

    at_registration = reminders.models_due(status=ModelStatus.RETURNED, on=before(campaign, 3))
    at_resubmission = reminders.models_due(status=ModelStatus.RETURNED, on=resubmit_by - 3 * DAY)

    assert at_registration == []
    assert [(d.unit.pk, d.deadline) for d in at_resubmission] == [(commune.pk, resubmit_by)]


def test_scheduled_reminders_one_drafts_reminder_per_officer_listing_every_draft(
    campaign, commune, officer
):
    other_officer = UserFactory(unit=commune, roles=[Role.UNIT_OFFICER])
    first = DvkModelFactory(campaign=campaign, unit=commune, name="Mô hình “Đường sáng”")
    second = DvkModelFactory(campaign=campaign, unit=commune, name="Mô hình “Chợ văn minh”")

    reminders.scheduled_reminders(on=before(campaign, 3))

    for user in (officer, other_officer):
        [notification] = notifications_of(user, reminders.KIND_DRAFTS)
        assert first.name in notification.body and second.name in notification.body
        assert notification.url == reverse("models_registry:my_models")
        assert settings.SITE_URL + first.get_absolute_url() in notification.body
    # A unit with drafts is reminded of its drafts, not told it registered nothing.
    assert notifications_of(officer, reminders.KIND_UNREGISTERED) == []


def test_scheduled_reminders_reach_only_the_unit_s_own_officers(
    campaign, commune, officer, province, secretariat
):
    sibling = UnitFactory(parent=province)
    sibling_officer = UserFactory(unit=sibling, roles=[Role.UNIT_OFFICER])
    DvkModelFactory(campaign=campaign, unit=sibling)
    inactive = UserFactory(unit=commune, roles=[Role.UNIT_OFFICER], is_active=False)

    reminders.scheduled_reminders(on=before(campaign, 1))

    assert [n.recipient for n in Notification.objects.filter(kind=reminders.KIND_UNREGISTERED)] == [
        officer
    ]
    assert [n.recipient for n in Notification.objects.filter(kind=reminders.KIND_DRAFTS)] == [
        sibling_officer
    ]
    assert not Notification.objects.filter(recipient__in=[inactive, secretariat]).exists()


def test_unregistered_message_names_unit_campaign_deadline_and_link(campaign, commune, officer):
    reminders.scheduled_reminders(on=before(campaign, 7))

    [notification] = notifications_of(officer, reminders.KIND_UNREGISTERED)
    deadline = campaign.registration_closes.strftime("%d/%m/%Y")
    assert commune.name in notification.title and deadline in notification.title
    assert campaign.title in notification.body
    assert reminders.signature() in notification.body
    assert notification.url == reverse("models_registry:my_models")
    assert settings.SITE_URL + reverse("models_registry:my_models") in notification.body


def test_returned_message_carries_the_reason_and_links_the_model(
    campaign, commune, officer, secretariat
):
    dvk_model = dvk_model_in_status(ModelStatus.SUBMITTED, campaign=campaign, unit=commune)
    services.dvk_model_return(dvk_model=dvk_model, by=secretariat, reason="Thiếu số liệu hộ dân.")

    reminders.scheduled_reminders(on=before(campaign, 1))

    [notification] = notifications_of(officer, reminders.KIND_RETURNED)
    assert "Thiếu số liệu hộ dân." in notification.body
    assert notification.url == dvk_model.get_absolute_url()


# --- The daily task: once a day ----------------------------------------------------------


def test_send_reminders_twice_the_same_day_sends_once(campaign, commune, officer):
    day = before(campaign, 3).isoformat()

    first = send_reminders(day)
    second = send_reminders.delay(day).get()

    assert first[reminders.KIND_UNREGISTERED] == 1
    assert second[reminders.KIND_UNREGISTERED] == 0
    assert len(notifications_of(officer, reminders.KIND_UNREGISTERED)) == 1


def test_send_reminders_next_lead_day_reminds_again(settings, campaign, commune, officer):
    settings.REMINDER_DAYS_BEFORE = (3, 2)

    send_reminders(before(campaign, 3).isoformat())
    send_reminders(before(campaign, 2).isoformat())

    assert len(notifications_of(officer, reminders.KIND_UNREGISTERED)) == 2
    assert sorted(ReminderLog.objects.filter(user=officer).values_list("day", flat=True)) == [
        before(campaign, 3),
        before(campaign, 2),
    ]


def test_beat_schedule_runs_the_registration_reminders_daily():
    entries = [
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == send_reminders.name
    ]

    assert len(entries) == 1
    schedule = entries[0]["schedule"]
    assert (schedule.hour, schedule.minute) == ({6}, {30})
    assert settings.CELERY_TIMEZONE == "Asia/Ho_Chi_Minh"


def test_reminder_kinds_registered_without_actions():
    from danvan.notifications import kind_for

    for code in (reminders.KIND_UNREGISTERED, reminders.KIND_DRAFTS, reminders.KIND_RETURNED):
        assert kind_for(code).actions == ()


# --- The coverage page's "nhắc" ------------------------------------------------------------


def remind_url(campaign) -> str:
    return reverse("models_registry:coverage_remind", args=[campaign.pk])


def coverage_url(campaign) -> str:
    return reverse("models_registry:coverage", args=[campaign.pk])


def page_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_coverage_remind_reminds_ticked_units_and_logs_one_row(client, world):
    client.force_login(world.secretariat)

    response = client.post(
        remind_url(world.campaign), {"units": [world.commune_a.pk, world.commune_b.pk]}
    )

    assert response.status_code == 302
    assert response.url == coverage_url(world.campaign)
    reminded = Notification.objects.filter(kind=reminders.KIND_UNREGISTERED)
    assert sorted(n.recipient_id for n in reminded) == sorted(
        [world.officer_a.pk, world.officer_b.pk]
    )
    assert page_messages(response) == [reminders.reminded_message(reminders.Reminded(sent=2))]
    [log] = ActivityLog.objects.filter(action=reminders.ACTION_REMIND)
    assert (log.actor, log.object_id, log.data["sent"], log.data["skipped"]) == (
        world.secretariat,
        world.campaign.pk,
        2,
        0,
    )
    # No notification kind listens to the press itself.
    assert not Notification.objects.filter(activity=log).exists()


def test_coverage_remind_again_the_same_day_sends_nothing_new(client, world):
    client.force_login(world.secretariat)
    client.post(remind_url(world.campaign), {"units": [world.commune_a.pk]})

    response = client.post(
        remind_url(world.campaign), {"units": [world.commune_a.pk, world.commune_b.pk]}
    )

    assert page_messages(response)[-1] == reminders.reminded_message(
        reminders.Reminded(sent=1, skipped=1)
    )
    assert len(notifications_of(world.officer_a, reminders.KIND_UNREGISTERED)) == 1
    assert ActivityLog.objects.filter(action=reminders.ACTION_REMIND).count() == 2


def test_coverage_remind_message_reads_in_vietnamese(client, world):
    outcome = reminders.Reminded(sent=5, skipped=2)

    from django.utils import translation

    with translation.override("en"):
        text = reminders.reminded_message(outcome)

    assert text == (
        "Reminded 5 people; 2 people had already been reminded today and were not reminded again."
    )


def test_coverage_remind_row_button_reminds_only_its_unit(client, world):
    client.force_login(world.secretariat)

    client.post(
        remind_url(world.campaign),
        {"unit": world.commune_b.pk, "units": [world.commune_a.pk], "kind": "commune"},
    )

    assert [n.recipient for n in Notification.objects.filter(kind=reminders.KIND_UNREGISTERED)] == [
        world.officer_b
    ]


def test_coverage_remind_keeps_the_filter_and_page(client, world):
    client.force_login(world.secretariat)

    response = client.post(
        remind_url(world.campaign), {"units": [world.commune_a.pk], "kind": "commune", "page": "2"}
    )

    assert response.url == coverage_url(world.campaign) + "?kind=commune&page=2"


def test_coverage_remind_out_of_scope_or_registered_units_are_ignored(client, world):
    dvk_model_in_status(ModelStatus.SUBMITTED, campaign=world.campaign, unit=world.commune_b)
    client.force_login(world.secretariat)

    response = client.post(
        remind_url(world.campaign),
        {"units": [world.commune_c.pk, world.commune_b.pk, world.commune_a.pk, "²", "x"]},
    )

    assert [n.recipient for n in Notification.objects.filter(kind=reminders.KIND_UNREGISTERED)] == [
        world.officer_a
    ]
    assert page_messages(response) == [reminders.reminded_message(reminders.Reminded(sent=1))]


def test_coverage_remind_only_out_of_scope_units_sends_nothing_and_says_so(client, world):
    client.force_login(world.secretariat)

    response = client.post(remind_url(world.campaign), {"units": [world.commune_c.pk]})

    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=world.outsider).exists()
    assert not ActivityLog.objects.filter(action=reminders.ACTION_REMIND).exists()
    assert len(page_messages(response)) == 1


def test_coverage_remind_nothing_ticked_asks_for_a_unit(client, world):
    client.force_login(world.secretariat)

    response = client.post(remind_url(world.campaign), {})

    assert response.status_code == 302
    assert len(page_messages(response)) == 1
    assert not Notification.objects.exists()


def test_coverage_remind_counts_units_without_officers_and_past_deadlines(client, world):
    client.force_login(world.secretariat)
    world.campaign.registration_closes = days(-1)
    world.campaign.save()
    services.campaign_extend_deadline(
        campaign=world.campaign,
        unit=world.commune_a,
        until=days(5),
        reason="Bão lũ",
        by=world.secretariat,
    )

    response = client.post(
        remind_url(world.campaign),
        {"units": [world.commune_a.pk, world.commune_b.pk, world.department.pk]},
    )

    assert page_messages(response) == [
        reminders.reminded_message(reminders.Reminded(sent=1, closed=2))
    ]
    assert [n.recipient for n in Notification.objects.filter(kind=reminders.KIND_UNREGISTERED)] == [
        world.officer_a
    ]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("officer_a", 404),
        ("leader", 404),
        ("committee", 404),
        ("outsider", 404),
        ("anonymous", "login"),
        ("admin", 302),
    ],
)
def test_coverage_remind_permission(client, world, role, expected):
    path = remind_url(world.campaign)
    if role != "anonymous":
        client.force_login(getattr(world, role))

    response = client.post(path, {"units": [world.commune_a.pk]})

    if expected == "login":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected
    assert Notification.objects.exists() == (expected == 302)


def test_coverage_remind_get_is_not_allowed(client, world):
    client.force_login(world.secretariat)

    response = client.get(remind_url(world.campaign))

    assert response.status_code == 405


def test_coverage_page_shows_remind_buttons_to_the_secretariat_only(client, world):
    client.force_login(world.secretariat)
    secretariat_page = client.get(coverage_url(world.campaign)).content.decode()
    client.force_login(world.leader)
    leader_page = client.get(coverage_url(world.campaign)).content.decode()

    action = remind_url(world.campaign)
    assert action in secretariat_page
    assert f'name="units" value="{world.commune_a.pk}"' in secretariat_page
    assert f'name="unit" value="{world.commune_a.pk}"' in secretariat_page
    assert action not in leader_page
