"""The intake list's filters the leaders' dashboard links with: ``locality`` (a unit's
subtree) and ``origin`` (new, carried over, replicated: the December report's rule)."""

import pytest

from models_registry.enums import ModelStatus
from models_registry.filters import IntakeFilter
from models_registry.models import DvkModel
from tests.factories import CampaignFactory, DvkModelFactory

pytestmark = pytest.mark.django_db


def names(**params) -> set[str]:
    filterset = IntakeFilter({k: str(v) for k, v in params.items()}, queryset=DvkModel.objects)
    return set(filterset.qs.values_list("name", flat=True))


@pytest.fixture
def models(world):
    earlier = CampaignFactory(organiser=world.province, year=world.campaign.year - 1)
    old = DvkModelFactory(campaign=earlier, unit=world.commune_a, name="Năm trước")
    DvkModelFactory(campaign=world.campaign, unit=world.commune_a, name="Xã A", predecessor=old)
    DvkModelFactory(campaign=world.campaign, unit=world.front_a, name="Mặt trận xã A")
    DvkModelFactory(campaign=world.campaign, unit=world.commune_b, name="Xã B", replicates=old)
    DvkModelFactory(campaign=world.campaign, unit=world.department, name="Sở")
    DvkModel.objects.update(status=ModelStatus.SUBMITTED)  # the intake lists no drafts


def test_locality_keeps_the_units_subtree(world, models):
    assert names(locality=world.commune_a.pk, year=world.campaign.year) == {
        "Xã A",
        "Mặt trận xã A",
    }
    assert names(locality=world.commune_b.pk) == {"Xã B"}


def test_locality_of_a_unit_without_models_keeps_nothing(world, models):
    assert names(locality=world.other_province.pk) == set()


def test_origin_new_carried_over_and_replicated(world, models):
    year = world.campaign.year

    assert names(origin="new", year=year) == {"Mặt trận xã A", "Sở"}
    assert names(origin="maintained", year=year) == {"Xã A"}
    assert names(origin="replicated", year=year) == {"Xã B"}


def test_unknown_origin_or_locality_is_refused_not_a_crash(world, models):
    assert not IntakeFilter({"origin": "old"}, queryset=DvkModel.objects).is_valid()
    assert not IntakeFilter({"locality": "abc"}, queryset=DvkModel.objects).is_valid()


def test_intake_page_lists_a_dashboard_link(client, world, models):
    client.force_login(world.secretariat)
    url = f"/mo-hinh/tiep-nhan/?year={world.campaign.year}&locality={world.commune_a.pk}"

    response = client.get(f"{url}&origin=maintained")

    assert response.status_code == 200
    assert [m.name for m in response.context["page_obj"]] == ["Xã A"]


def test_intake_page_with_bad_dashboard_values_answers(client, world, models):
    client.force_login(world.secretariat)

    response = client.get("/mo-hinh/tiep-nhan/?locality=abc&origin=old")

    assert response.status_code == 200


def test_filtering_again_keeps_the_dashboard_filters(client, world, models):
    client.force_login(world.secretariat)

    response = client.get(f"/mo-hinh/tiep-nhan/?locality={world.commune_a.pk}&origin=new")

    html = response.content.decode()
    assert f'type="hidden" name="locality" value="{world.commune_a.pk}"' in html
    assert 'type="hidden" name="origin" value="new"' in html
