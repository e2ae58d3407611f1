"""models_registry/notifications.py: who hears of a registration's transitions (and no one
else), what they read, and that the link opens for them."""

import datetime

import pytest

from danvan.dates import format_date
from danvan.enums import Role, UnitKind
from danvan.models import Notification
from danvan.notifications import kind_for
from models_registry import services
from models_registry.notifications import secretariat_receiving, unit_officers
from tests.factories import DvkModelFactory, UnitFactory, UserFactory, dvk_model_in_status
from tests.factories.registry import days

pytestmark = pytest.mark.django_db

RESULT_DATA = {
    "results": "Bê tông hoá 2,3 km đường, vượt 15% chỉ tiêu.",
    "self_assessment": "Đạt và vượt mục tiêu; cần duy trì tổ tự quản.",
}


@pytest.fixture
def crowd(world):
    """Besides the world's people: the other province's secretariat, a commune-level
    commission (inside the province, but not the one receiving the province's campaign),
    inactive users of the right unit and role, and a leader."""
    other_commission = UnitFactory(
        name="Ban Tuyên giáo và Dân vận tỉnh khác",
        kind=UnitKind.PARTY_BODY,
        parent=world.other_province,
        oversees=world.other_province,
    )
    commune_commission = UnitFactory(
        name="Đảng ủy xã Cẩm Xuyên",
        kind=UnitKind.PARTY_BODY,
        parent=world.commune_a,
        oversees=world.commune_a,
    )
    world.other_secretariat = UserFactory(unit=other_commission, roles=[Role.SECRETARIAT])
    world.commune_secretariat = UserFactory(unit=commune_commission, roles=[Role.SECRETARIAT])
    world.inactive_secretariat = UserFactory(
        unit=world.secretariat.unit, roles=[Role.SECRETARIAT], is_active=False
    )
    world.inactive_officer = UserFactory(
        unit=world.commune_a, roles=[Role.UNIT_OFFICER], is_active=False
    )
    world.front_officer = UserFactory(unit=world.front_a, roles=[Role.UNIT_OFFICER])
    return world


def received(kind: str):
    """{recipient: [notification, …]} of ``kind``."""
    rows = {}
    for notification in Notification.objects.filter(kind=kind).select_related("recipient"):
        rows.setdefault(notification.recipient, []).append(notification)
    return rows


def model_of(world, **kwargs):
    return DvkModelFactory(
        campaign=world.campaign, unit=world.commune_a, created_by=world.officer_a, **kwargs
    )


def opens_for(client, user, url):
    client.force_login(user)
    return client.get(url).status_code


def test_kinds_are_registered_with_label_order_and_channel():
    for code in (
        "models_registry.submitted",
        "models_registry.returned",
        "models_registry.accepted",
        "models_registry.result_report_submitted",
    ):
        kind = kind_for(code)
        assert kind is not None and str(kind.label) and kind.order < 20
    assert kind_for("models_registry.returned").default_channel == "email"
    assert kind_for("models_registry.accepted").default_channel == "app"


def test_submit_reaches_the_receiving_secretariat_only(crowd, client):
    dvk_model = model_of(crowd)

    services.dvk_model_submit(dvk_model=dvk_model, by=crowd.officer_a)

    rows = received("models_registry.submitted")
    assert list(rows) == [crowd.secretariat]
    (notification,) = rows[crowd.secretariat]
    assert dvk_model.name in notification.title
    assert crowd.commune_a.name in notification.body
    assert notification.url == dvk_model.get_absolute_url()
    assert opens_for(client, crowd.secretariat, notification.url) == 200


def test_submit_again_after_a_return_says_so(crowd):
    dvk_model = dvk_model_in_status("returned", reviewer=crowd.secretariat, **_model_kwargs(crowd))

    services.dvk_model_submit(dvk_model=dvk_model, by=crowd.officer_a)

    first, again = received("models_registry.submitted")[crowd.secretariat][::-1]
    assert list(received("models_registry.submitted")) == [crowd.secretariat]
    assert dvk_model.name in again.title and again.title != first.title


def _model_kwargs(world):
    return {"campaign": world.campaign, "unit": world.commune_a, "created_by": world.officer_a}


def test_return_reaches_the_units_officers_with_reason_and_day(crowd, client):
    dvk_model = dvk_model_in_status("submitted", **_model_kwargs(crowd))
    day = days(10)

    services.dvk_model_return(
        dvk_model=dvk_model, by=crowd.secretariat, reason="Bổ sung số liệu.", resubmit_by=day
    )

    rows = received("models_registry.returned")
    assert list(rows) == [crowd.officer_a]
    (notification,) = rows[crowd.officer_a]
    assert dvk_model.name in notification.title
    assert "Bổ sung số liệu." in notification.body
    assert format_date(day) in notification.body
    assert notification.url == dvk_model.get_absolute_url()
    assert opens_for(client, crowd.officer_a, notification.url) == 200


def test_return_without_a_day_names_the_default_day(crowd):
    dvk_model = dvk_model_in_status("submitted", **_model_kwargs(crowd))

    returned = services.dvk_model_return(
        dvk_model=dvk_model, by=crowd.secretariat, reason="Thiếu minh chứng."
    )

    (notification,) = received("models_registry.returned")[crowd.officer_a]
    assert format_date(returned.resubmit_deadline) in notification.body


def test_accept_reaches_the_units_officers_not_the_actor(crowd, client):
    dvk_model = dvk_model_in_status("submitted", **_model_kwargs(crowd))
    # The secretariat's own colleague accepts: the actor never hears of their own act.
    services.dvk_model_accept(dvk_model=dvk_model, by=crowd.secretariat)

    rows = received("models_registry.accepted")
    assert list(rows) == [crowd.officer_a]
    assert rows[crowd.officer_a][0].url == dvk_model.get_absolute_url()
    assert opens_for(client, crowd.officer_a, rows[crowd.officer_a][0].url) == 200
    assert not Notification.objects.filter(recipient=crowd.secretariat).exclude(
        kind="models_registry.submitted"
    )


def test_result_report_submitted_reaches_the_secretariat(crowd, client):
    dvk_model = dvk_model_in_status("accepted", reviewer=crowd.secretariat, **_model_kwargs(crowd))

    services.result_report_save(
        dvk_model=dvk_model, by=crowd.officer_a, data=RESULT_DATA, version=None, submit=True
    )

    rows = received("models_registry.result_report_submitted")
    assert list(rows) == [crowd.secretariat]
    assert opens_for(client, crowd.secretariat, rows[crowd.secretariat][0].url) == 200


def test_drafts_and_edits_notify_nobody(crowd):
    dvk_model = services.dvk_model_create(
        campaign=crowd.campaign, unit=crowd.commune_a, by=crowd.officer_a, data={"name": "Mới"}
    )
    services.dvk_model_update(
        dvk_model=dvk_model, by=crowd.officer_a, data={"name": "Mới hơn"}, version=dvk_model.version
    )

    assert not Notification.objects.exists()


def test_a_rolled_back_transition_leaves_no_notification(crowd):
    dvk_model = model_of(crowd, name="")

    with pytest.raises(services.RegistrationError):
        services.dvk_model_submit(dvk_model=dvk_model, by=crowd.officer_a)

    assert not Notification.objects.exists()


def test_recipient_helpers_cost_fixed_queries(crowd, django_assert_num_queries):
    for _ in range(3):
        UserFactory(unit=crowd.commune_a, roles=[Role.UNIT_OFFICER])
        UserFactory(unit=crowd.secretariat.unit, roles=[Role.SECRETARIAT])

    with django_assert_num_queries(1):
        officers = unit_officers([crowd.commune_a.pk])
    with django_assert_num_queries(2):
        secretariat = secretariat_receiving(crowd.commune_a, organiser=crowd.province)

    assert len(officers) == 4 and crowd.front_officer not in officers
    assert len(secretariat) == 4 and crowd.commune_secretariat not in secretariat


def test_day_in_stored_data_is_read_back(crowd):
    from models_registry.notifications import as_date

    assert as_date("2026-03-04") == datetime.date(2026, 3, 4)
    assert as_date(datetime.date(2026, 3, 4)) == datetime.date(2026, 3, 4)
    assert as_date(None) is None and as_date("x") is None
