"""Where awards show outside the awards pages: the model's page (with its carried-over
lineage), the unit's page, and the home panel — only the awards the user may see."""

import pytest
from django.urls import reverse

from awards import panels, services
from danvan.enums import Role
from tests.awards.conftest import collective_award, model_award, new_decision
from tests.factories import (
    AwardTypeFactory,
    CampaignFactory,
    DvkModelFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def issued(world, number, awards):
    decision = new_decision(world, number=number)
    for data in awards:
        services.award_add(decision=decision, data=data, by=world.secretariat)
    return services.decision_issue(decision=decision, by=world.secretariat)


def sections(response, template):
    return [s for s in response.context["sections"] if s["template"] == template]


MODEL_SECTION = "awards/includes/model_awards.html"
UNIT_SECTION = "awards/includes/unit_awards.html"
HOME_PANEL = "awards/includes/home_awards.html"


@pytest.fixture
def officer(world):
    return UserFactory(unit=world.exemplary.unit, roles=[Role.UNIT_OFFICER])


# --- The model's page ------------------------------------------------------------------------


def test_model_page_shows_award_of_last_years_model_on_carried_over_model(client, world, officer):
    issued(world, 1034, [model_award(world)])
    next_campaign = CampaignFactory(organiser=world.province, year=world.campaign.year + 1)
    successor = DvkModelFactory(
        campaign=next_campaign,
        unit=world.exemplary.unit,
        predecessor=world.exemplary,
        name=world.exemplary.name,
    )
    client.force_login(officer)

    response = client.get(successor.get_absolute_url())

    [section] = sections(response, MODEL_SECTION)
    assert [a.dvk_model for a in section["awards"]] == [world.exemplary]
    html = response.content.decode()
    assert "1034/QĐ-UBND" in html
    assert world.award_type.name in html


def test_model_page_revoked_award_struck_through(client, world, officer):
    decision = issued(world, 7, [model_award(world)])
    services.decision_revoke(decision=decision, reason="Sai đối tượng", by=world.secretariat)
    client.force_login(officer)

    response = client.get(world.exemplary.get_absolute_url())

    [section] = sections(response, MODEL_SECTION)
    assert section["awards"][0].is_revoked is True
    assert f"<del>{world.award_type.name}</del>" in response.content.decode()


def test_model_page_section_hidden_without_awards_and_for_drafts(client, world, officer):
    draft = new_decision(world, number=9)
    services.award_add(decision=draft, data=model_award(world), by=world.secretariat)
    client.force_login(officer)

    response = client.get(world.exemplary.get_absolute_url())

    assert sections(response, MODEL_SECTION) == []
    assert "model-awards-title" not in response.content.decode()


# --- The unit's page -------------------------------------------------------------------------


def test_unit_page_shows_collective_individual_and_model_awards(client, world, officer):
    commune = world.exemplary.unit
    person = {
        "recipient_kind": "individual",
        "person_name": "Trần Thị Huệ",
        "person_position": "Chủ tịch Hội Phụ nữ xã",
        "unit": commune,
        "award_type": world.award_type,
        "achievement": "Đã có thành tích xuất sắc",
    }
    issued(world, 1, [model_award(world), collective_award(world, commune), person])
    client.force_login(officer)

    response = client.get(commune.get_absolute_url())

    [section] = sections(response, UNIT_SECTION)
    assert section["total"] == 3
    assert section["can_open_register"] is False
    html = response.content.decode()
    assert "Trần Thị Huệ" in html
    assert reverse("awards:register") + "?unit=" not in html


def test_unit_page_caps_list_and_links_register_for_secretariat(client, world):
    province = world.province
    # The double-award rule: one award type per award.
    kinds = [AwardTypeFactory() for _ in range(12)]
    issued(world, 1, [collective_award(world, province, award_type=kind) for kind in kinds])
    client.force_login(world.secretariat)

    response = client.get(province.get_absolute_url())

    [section] = sections(response, UNIT_SECTION)
    assert (len(section["awards"]), section["total"], section["more"]) == (10, 12, True)
    assert f"{reverse('awards:register')}?unit={province.pk}" in response.content.decode()


def test_unit_page_section_hidden_without_awards(client, world, officer):
    client.force_login(officer)

    response = client.get(world.exemplary.unit.get_absolute_url())

    assert sections(response, UNIT_SECTION) == []


# --- The home page ---------------------------------------------------------------------------


def test_home_panel_unit_officer_latest_awards_and_this_year(client, world, officer):
    issued(world, 1, [model_award(world)])
    revoked = issued(world, 2, [collective_award(world, world.exemplary.unit)])
    services.decision_revoke(decision=revoked, reason="Sai", by=world.secretariat)
    client.force_login(officer)

    response = client.get(reverse("home"))

    [panel] = [p for p in response.context["panels"] if p["template"] == HOME_PANEL]
    assert len(panel["unit"]["awards"]) == 2
    assert panel["unit"]["this_year"] == 1  # the revoked award does not count
    assert panel["overview"] is None
    assert world.exemplary.name in response.content.decode()


def test_home_panel_hidden_for_unit_officer_without_awards(client, world, officer):
    other = UnitFactory(parent=world.province)
    issued(world, 1, [collective_award(world, other)])
    client.force_login(officer)

    response = client.get(reverse("home"))

    assert [p for p in response.context["panels"] if p["template"] == HOME_PANEL] == []


def test_home_panel_leader_count_and_prize_money_of_the_year(client, world):
    issued(world, 1, [model_award(world, amount=2_000_000)])
    leader = UserFactory(unit=world.secretariat.unit, roles=[Role.LEADER])
    client.force_login(leader)

    response = client.get(reverse("home"))

    [panel] = [p for p in response.context["panels"] if p["template"] == HOME_PANEL]
    year = world.campaign.year
    assert panel["overview"] == [
        {"year": year, "count": 1, "total_amount": 2_000_000},
        {"year": year - 1, "count": 0, "total_amount": 0},
    ]
    assert "2.000.000" in response.content.decode()


def test_home_panel_context_none_for_reviewer_only(rf, world):
    request = rf.get("/")
    request.user = UserFactory(unit=UnitFactory(), roles=[Role.COMMITTEE_MEMBER])

    assert panels.home_panel_awards(request) is None


def _queries(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context.captured_queries)


def test_unit_and_model_sections_query_count_independent_of_awards(
    client, world, officer, django_assert_num_queries
):
    commune = world.exemplary.unit
    issued(world, 1, [model_award(world)])
    client.force_login(officer)
    unit_queries = _queries(client, commune.get_absolute_url())
    model_queries = _queries(client, world.exemplary.get_absolute_url())
    kinds = [AwardTypeFactory() for _ in range(12)]
    issued(world, 2, [model_award(world, award_type=kind) for kind in kinds])
    issued(world, 3, [collective_award(world, commune, award_type=kind) for kind in kinds])

    with django_assert_num_queries(unit_queries):
        client.get(commune.get_absolute_url())
    with django_assert_num_queries(model_queries):
        response = client.get(world.exemplary.get_absolute_url())
    assert len(sections(response, MODEL_SECTION)[0]["awards"]) == 13
