"""Spreading what works (issue 11): ``selectors.replications_of`` and the model page's
"Được nhân rộng tại …"; the registration form's ``?replicates=<pk>`` pre-selection."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from models_registry import selectors
from models_registry.enums import ModelStatus
from models_registry.models import Campaign, DvkModel
from tests.factories import CampaignFactory, DvkModelFactory, UnitFactory
from tests.factories.registry import dvk_model_in_status

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"models_registry:{name}", args=args)


@pytest.fixture
def original(world):
    """An accepted model of commune A that other units replicate."""
    return dvk_model_in_status(
        ModelStatus.ACCEPTED,
        campaign=world.campaign,
        unit=world.commune_a,
        created_by=world.officer_a,
        reviewer=world.secretariat,
    )


def replicating(world, original, unit, status=ModelStatus.ACCEPTED, campaign=None):
    return dvk_model_in_status(
        status,
        campaign=campaign or world.campaign,
        unit=unit,
        replicates=original,
        reviewer=world.secretariat,
    )


def share(campaign):
    Campaign.objects.filter(pk=campaign.pk).update(share_accepted_models=True)


# --- replications_of ------------------------------------------------------------------------


def test_replications_of_only_submitted_and_accepted(world, original):
    by_status = {
        status: replicating(world, original, UnitFactory(parent=world.province), status)
        for status in ModelStatus
    }
    withdrawn = replicating(
        world, original, UnitFactory(parent=world.province), ModelStatus.SUBMITTED
    )
    from models_registry import services

    services.dvk_model_withdraw(dvk_model=withdrawn, by=withdrawn.created_by)

    result = selectors.replications_of(original)

    assert {m.pk for m in result} == {
        by_status[ModelStatus.SUBMITTED].pk,
        by_status[ModelStatus.ACCEPTED].pk,
    }


def test_replications_of_by_year_then_unit_in_vietnamese_order(world, original):
    earlier = CampaignFactory(
        organiser=world.province,
        year=world.campaign.year - 1,
        registration_opens=datetime.date(2000, 1, 1),
    )
    hung = replicating(world, original, UnitFactory(name="Xã Hưng", parent=world.province))
    ha = replicating(world, original, UnitFactory(name="Xã Hà", parent=world.province))
    hong = replicating(world, original, UnitFactory(name="Xã Hồng", parent=world.province))
    dong = replicating(
        world, original, UnitFactory(name="Xã Đông", parent=world.province), campaign=earlier
    )
    DvkModelFactory(campaign=world.campaign, unit=world.commune_b)  # replicates nothing

    result = selectors.replications_of(original)

    assert result == [dong, ha, hong, hung]


def test_replications_of_reads_at_most_twice_with_unit_and_campaign(
    world, original, django_assert_max_num_queries
):
    """One read for the rows with the viewer's own policy, one more for the extra
    readers' conditions on the rows it does not open — whatever the number of rows."""
    for _n in range(3):
        replicating(world, original, UnitFactory(parent=world.province))
    selectors.replications_of(original, viewer=world.officer_b)  # caches the user's roles
    original = DvkModel.objects.get(pk=original.pk)  # without the rows kept on the instance

    with django_assert_max_num_queries(2):
        result = selectors.replications_of(original, viewer=world.officer_b)
        labels = [(m.unit.name, m.campaign.year, m.viewer_may_view) for m in result]

    assert len(labels) == 3


@pytest.mark.parametrize("shared", [False, True])
def test_replications_of_viewer_may_view_agrees_with_view_rule(world, original, shared):
    if shared:
        share(world.campaign)
    replications = [
        replicating(world, original, world.commune_b, ModelStatus.SUBMITTED),
        replicating(world, original, world.commune_b, ModelStatus.ACCEPTED),
        replicating(world, original, world.commune_c, ModelStatus.ACCEPTED),
    ]
    for user in (world.officer_a, world.officer_b, world.secretariat, world.outsider):
        result = selectors.replications_of(original, viewer=user)
        assert {m.pk: m.viewer_may_view for m in result} == {
            m.pk: user.has_perm("models_registry.view_dvkmodel", m) for m in replications
        }


# --- The model page ------------------------------------------------------------------------


def test_model_page_lists_replicating_units_with_links_only_where_readable(client, world, original):
    readable = replicating(world, original, world.front_a)  # in officer A's subtree
    unreadable = replicating(world, original, world.commune_b)  # campaign does not share
    client.force_login(world.officer_a)

    response = client.get(url("model_detail", original.pk))

    html = response.content.decode()
    assert gettext("Replicated at") in html
    assert response.context["replications"] == [readable, unreadable]
    assert f'href="{readable.get_absolute_url()}"' in html
    assert unreadable.get_absolute_url() not in html
    assert f"{world.commune_b.name}</a>" not in html
    assert world.commune_b.name in html


def test_model_page_without_replications_says_nothing(client, world, original):
    replicating(world, original, world.commune_b, ModelStatus.DRAFT)
    replicating(world, original, world.commune_b, ModelStatus.RETURNED)
    client.force_login(world.officer_a)

    response = client.get(url("model_detail", original.pk))

    assert response.context["replications"] == []
    assert gettext("Replicated at") not in response.content.decode()


def test_model_page_query_count_independent_of_replications(client, world, original):
    replicating(world, original, world.commune_b)
    client.force_login(world.officer_a)
    path = url("model_detail", original.pk)
    client.get(path)
    with CaptureQueriesContext(connection) as one:
        client.get(path)
    for _n in range(4):
        replicating(world, original, UnitFactory(parent=world.province))

    with CaptureQueriesContext(connection) as five:
        response = client.get(path)

    assert len(response.context["replications"]) == 5
    assert len(five.captured_queries) == len(one.captured_queries)


# --- ?replicates=<pk> on the registration form ------------------------------------------------


def test_model_create_replicates_parameter_preselects_a_choice(client, world):
    share(world.campaign)
    chosen = dvk_model_in_status(
        ModelStatus.ACCEPTED, campaign=world.campaign, unit=world.commune_b
    )
    client.force_login(world.officer_a)

    response = client.get(url("model_create") + f"?replicates={chosen.pk}")

    assert response.status_code == 200
    assert response.context["preselected"] == chosen
    assert response.context["form"]["replicates"].value() == chosen.pk
    html = response.content.decode()
    assert f'name="replicates" id="id_replicates" value="{chosen.pk}"' in html
    assert chosen.name in html


def test_model_create_with_preselected_replication_saves_it(client, world):
    share(world.campaign)
    chosen = dvk_model_in_status(
        ModelStatus.ACCEPTED, campaign=world.campaign, unit=world.commune_b
    )
    client.force_login(world.officer_a)

    response = client.post(
        url("model_create") + f"?replicates={chosen.pk}",
        {"name": "Đường hoa", "kind": "collective_model", "replicates": str(chosen.pk)},
    )

    assert response.status_code == 302
    assert DvkModel.objects.get(name="Đường hoa").replicates == chosen


@pytest.mark.parametrize(
    "case", ["not_shared", "own_unit", "draft", "missing", "text", "negative", "unicode_digit"]
)
def test_model_create_replicates_parameter_refused_is_ignored(client, world, case):
    if case != "not_shared":
        share(world.campaign)
    values = {
        "not_shared": lambda: (
            dvk_model_in_status(
                ModelStatus.ACCEPTED, campaign=world.campaign, unit=world.commune_b
            ).pk
        ),
        "own_unit": lambda: (
            dvk_model_in_status(
                ModelStatus.ACCEPTED, campaign=world.campaign, unit=world.commune_a
            ).pk
        ),
        "draft": lambda: DvkModelFactory(campaign=world.campaign, unit=world.commune_b).pk,
        "missing": lambda: 999999,
        "text": lambda: "abc",
        "negative": lambda: "-1",
        "unicode_digit": lambda: "²",
    }
    client.force_login(world.officer_a)

    response = client.get(url("model_create"), {"replicates": values[case]()})

    assert response.status_code == 200
    assert response.context["preselected"] is None
    assert response.context["form"]["replicates"].value() is None
    assert 'name="replicates" id="id_replicates" value=""' in response.content.decode()
