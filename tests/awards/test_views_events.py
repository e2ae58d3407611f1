"""The honouring events pages: list with the cadence card, detail with the awards presented
(revoked ones shown as revoked), record and edit with the awards picker; refusals at their
field with nothing saved; who may open what."""

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import services
from awards.enums import EventLevel
from awards.models import HonouringCadence, HonouringEvent
from danvan.enums import Role, UnitKind
from danvan.models import ActivityLog
from tests.factories import UnitFactory, UserFactory

from .conftest import collective_award, model_award, new_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(world):
    leadership = UnitFactory(
        kind=UnitKind.PARTY_BODY, parent=world.province, oversees=world.province
    )
    commune = UnitFactory(name="Xã Cẩm Xuyên", kind=UnitKind.COMMUNE, parent=world.province)
    other_province = UnitFactory(name="Tỉnh Khác", kind=UnitKind.PROVINCE)
    other_commission = UnitFactory(
        kind=UnitKind.PARTY_BODY, parent=other_province, oversees=other_province
    )
    return SimpleNamespace(
        secretariat=world.secretariat,
        commune=commune,
        other_province=other_province,
        leader=UserFactory(unit=leadership, roles=[Role.LEADER]),
        officer=UserFactory(unit=commune, roles=[Role.UNIT_OFFICER]),
        other_secretariat=UserFactory(unit=other_commission, roles=[Role.SECRETARIAT]),
    )


@pytest.fixture
def issued(world, people):
    """An issued decision with a model award and a collective award."""
    decision = new_decision(world)
    awards = [
        services.award_add(decision=decision, data=model_award(world), by=world.secretariat),
        services.award_add(
            decision=decision, data=collective_award(world, people.commune), by=world.secretariat
        ),
    ]
    services.decision_issue(decision=decision, by=world.secretariat)
    return SimpleNamespace(decision=decision, awards=awards)


@pytest.fixture
def event(world, issued):
    return services.honouring_event_save(
        data={
            "name": "Hội nghị biểu dương, vinh danh năm nay",
            "date": datetime.date.today(),
            "level": EventLevel.PROVINCE,
            "place": "Hội trường Tỉnh ủy",
            "unit": world.province,
        },
        awards=issued.awards,
        by=world.secretariat,
    )


def _post(world, awards=(), **changes):
    data = {
        "name": "Hội nghị biểu dương mô hình “Dân vận khéo”",
        "date": "2026-10-15",
        "level": EventLevel.PROVINCE,
        "place": "Nhà văn hóa tỉnh",
        "unit": str(world.province.pk),
        "awards": [str(award.pk) for award in awards],
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _read_pages(event):
    return [reverse("awards:event_list"), reverse("awards:event_detail", args=[event.pk])]


def _write_pages(event):
    return [reverse("awards:event_create"), reverse("awards:event_update", args=[event.pk])]


# --- Who may open the pages --------------------------------------------------------------


def test_event_pages_anonymous_redirects_to_login(client, event):
    for url in _read_pages(event) + _write_pages(event):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login"))


def test_event_pages_unit_officer_404(client, people, event):
    client.force_login(people.officer)
    for url in _read_pages(event) + _write_pages(event):
        assert client.get(url).status_code == 404, url


def test_event_pages_leader_reads_only(client, world, people, event):
    client.force_login(people.leader)
    for url in _read_pages(event):
        assert client.get(url).status_code == 200, url
    for url in _write_pages(event):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("awards:event_create"), _post(world)).status_code == 404
    detail = client.get(reverse("awards:event_detail", args=[event.pk])).content.decode()
    assert reverse("awards:event_update", args=[event.pk]) not in detail
    assert HonouringEvent.objects.count() == 1


def test_event_pages_other_province_secretariat_404_for_objects(client, world, people, event):
    client.force_login(people.other_secretariat)
    assert client.get(reverse("awards:event_detail", args=[event.pk])).status_code == 404
    assert client.get(reverse("awards:event_update", args=[event.pk])).status_code == 404
    response = client.post(reverse("awards:event_update", args=[event.pk]), _post(world))
    assert response.status_code == 404
    html = client.get(reverse("awards:event_list")).content.decode()
    assert event.name not in html
    event.refresh_from_db()
    assert event.name == "Hội nghị biểu dương, vinh danh năm nay"


def test_event_pages_secretariat_ok(client, world, event):
    client.force_login(world.secretariat)
    for url in _read_pages(event) + _write_pages(event):
        assert client.get(url).status_code == 200, url


# --- The list and the detail -------------------------------------------------------------


def test_event_list_shows_row_and_cadence_card(client, world, event):
    HonouringCadence.objects.create(
        level=EventLevel.PROVINCE, events_per_period=1, period_years=5, usual_day=15, usual_month=10
    )
    client.force_login(world.secretariat)

    response = client.get(reverse("awards:event_list"))

    html = response.content.decode()
    assert event.name in html
    assert "Hội trường Tỉnh ủy" in html
    assert world.province.name in html
    [status] = response.context["cadences"]
    assert (status.held, status.due) == (1, False)
    assert "15/10" in html


def test_event_list_query_count_constant(client, world, issued, django_assert_num_queries):
    client.force_login(world.secretariat)

    def make(n):
        for i in range(n):
            services.honouring_event_save(
                data={
                    "name": f"Hội nghị {HonouringEvent.objects.count()}-{i}",
                    "date": datetime.date(2026, 10, 15),
                    "level": EventLevel.PROVINCE,
                    "unit": world.province,
                },
                awards=issued.awards,
                by=world.secretariat,
            )

    make(1)
    client.get(reverse("awards:event_list"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("awards:event_list"))
    make(2)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("awards:event_list"))


def test_event_detail_lists_awards_with_decision_links(client, world, issued, event):
    client.force_login(world.secretariat)

    html = client.get(reverse("awards:event_detail", args=[event.pk])).content.decode()

    assert world.exemplary.name in html
    assert "Xã Cẩm Xuyên" in html
    assert world.award_type.name in html
    assert reverse("awards:decision_detail", kwargs={"pk": issued.decision.pk}) in html
    assert issued.decision.display_number in html


def test_event_detail_query_count_constant(client, world, people, issued, event):
    client.force_login(world.secretariat)
    url = reverse("awards:event_detail", args=[event.pk])
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    more = new_decision(world, number=2001)
    extra = [
        services.award_add(
            decision=more,
            data=collective_award(world, UnitFactory(parent=world.province)),
            by=world.secretariat,
        )
        for _ in range(3)
    ]
    services.decision_issue(decision=more, by=world.secretariat)
    event.awards.add(*extra)
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after.captured_queries) == len(before.captured_queries)


def test_event_detail_shows_award_revoked_after_the_event(client, world, issued, event):
    services.decision_revoke(decision=issued.decision, reason="Sai đối tượng", by=world.secretariat)
    client.force_login(world.secretariat)

    response = client.get(reverse("awards:event_detail", args=[event.pk]))

    rows = list(response.context["awards"])
    assert [award.is_revoked for award in rows] == [True, True]
    assert "text-bg-danger" in response.content.decode()


# --- Record and edit ---------------------------------------------------------------------


def test_event_create_form_groups_counting_awards_by_decision(client, world, issued):
    draft = new_decision(world, number=3001)
    services.award_add(
        decision=draft, data=collective_award(world, UnitFactory(parent=world.province)),
        by=world.secretariat,
    )  # fmt: skip
    client.force_login(world.secretariat)

    response = client.get(reverse("awards:event_create"))

    offered = list(response.context["award_choices"])
    assert sorted(a.pk for a in offered) == sorted(a.pk for a in issued.awards)
    html = response.content.decode()
    assert html.count("data-picker-group") == 1
    assert issued.decision.display_number in html
    assert "js/award-picker.js" in html
    assert response.context["form"]["unit"].value() == world.province.pk  # the user's scope


def test_event_create_saves_with_awards(client, world, issued):
    client.force_login(world.secretariat)

    response = client.post(reverse("awards:event_create"), _post(world, awards=issued.awards[:1]))

    event = HonouringEvent.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("awards:event_detail", args=[event.pk])
    assert list(event.awards.all()) == issued.awards[:1]
    assert (event.date, event.unit, event.place) == (
        datetime.date(2026, 10, 15),
        world.province,
        "Nhà văn hóa tỉnh",
    )
    assert ActivityLog.objects.filter(
        action="awards.honouringevent.create", object_id=event.pk
    ).exists()


def test_event_create_without_awards_allowed(client, world):
    client.force_login(world.secretariat)

    response = client.post(reverse("awards:event_create"), _post(world))

    assert response.status_code == 302
    assert HonouringEvent.objects.get().awards.count() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "   "}, "name"),
        ({"date": "15/13/2026"}, "date"),
        ({"date": ""}, "date"),
        ({"level": "district"}, "level"),
        ({"unit": ""}, "unit"),
        ({"unit": "abc"}, "unit"),
    ],
)
def test_event_create_refused_at_field_input_kept(client, world, issued, changes, field):
    client.force_login(world.secretariat)

    response = client.post(
        reverse("awards:event_create"), _post(world, awards=issued.awards, **changes)
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not HonouringEvent.objects.exists()
    html = response.content.decode()
    assert 'value="Nhà văn hóa tỉnh"' in html
    for award in issued.awards:  # the ticks are kept
        assert f'value="{award.pk}" id="award-{award.pk}" checked' in html


def test_event_create_organiser_of_other_province_refused(client, world, people, issued):
    client.force_login(world.secretariat)

    response = client.post(
        reverse("awards:event_create"), _post(world, unit=str(people.other_province.pk))
    )

    assert "unit" in response.context["form"].errors
    assert not HonouringEvent.objects.exists()


def test_event_create_award_of_draft_decision_refused(client, world, issued):
    draft = new_decision(world, number=3001)
    pending = services.award_add(
        decision=draft, data=collective_award(world, UnitFactory(parent=world.province)),
        by=world.secretariat,
    )  # fmt: skip
    client.force_login(world.secretariat)

    response = client.post(
        reverse("awards:event_create"), _post(world, awards=[issued.awards[0], pending])
    )

    assert "awards" in response.context["form"].errors
    assert not HonouringEvent.objects.exists()
    assert 'value="Hội nghị biểu dương mô hình “Dân vận khéo”"' in response.content.decode()


def test_event_create_award_of_other_province_refused(client, world, people, issued):
    client.force_login(people.other_secretariat)
    assert client.get(reverse("awards:event_create")).context["award_choices"].count() == 0

    response = client.post(
        reverse("awards:event_create"),
        _post(world, awards=issued.awards, unit=str(people.other_province.pk)),
    )

    assert "awards" in response.context["form"].errors
    assert not HonouringEvent.objects.exists()


def test_event_create_duplicate_refused(client, world, event):
    client.force_login(world.secretariat)

    response = client.post(
        reverse("awards:event_create"),
        _post(world, name=event.name, date=event.date.isoformat()),
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert HonouringEvent.objects.count() == 1


def test_event_update_changes_fields_and_awards(client, world, issued, event):
    client.force_login(world.secretariat)
    url = reverse("awards:event_update", args=[event.pk])
    html = client.get(url).content.decode()
    for award in issued.awards:
        assert f'value="{award.pk}" id="award-{award.pk}" checked' in html

    response = client.post(url, _post(world, awards=issued.awards[1:], place="Quảng trường"))

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.place == "Quảng trường"
    assert list(event.awards.all()) == issued.awards[1:]
    assert ActivityLog.objects.filter(
        action="awards.honouringevent.update", object_id=event.pk
    ).exists()


def test_event_update_keeps_award_revoked_since(client, world, issued, event):
    services.decision_revoke(decision=issued.decision, reason="Sai đối tượng", by=world.secretariat)
    client.force_login(world.secretariat)
    url = reverse("awards:event_update", args=[event.pk])

    html = client.get(url).content.decode()
    assert f'value="{issued.awards[0].pk}" id="award-{issued.awards[0].pk}" checked' in html

    response = client.post(url, _post(world, awards=issued.awards, place="Quảng trường"))

    assert response.status_code == 302
    assert event.awards.count() == 2


# --- The service -------------------------------------------------------------------------


def test_honouring_event_save_refuses_newly_added_revoked_award(world, people, issued, event):
    other = new_decision(world, number=4001)
    late = services.award_add(
        decision=other, data=collective_award(world, UnitFactory(parent=world.province)),
        by=world.secretariat,
    )  # fmt: skip
    services.decision_issue(decision=other, by=world.secretariat)
    services.decision_revoke(decision=other, reason="Nhầm", by=world.secretariat)

    with pytest.raises(services.AwardsError) as refused:
        services.honouring_event_save(
            data={}, awards=[*issued.awards, late], event=event, by=world.secretariat
        )

    assert refused.value.field == "awards"
    assert event.awards.count() == 2
