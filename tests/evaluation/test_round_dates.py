"""A round's scoring window against its campaign's dates (issue 13): a Vietnamese warning,
never a refusal, on the round's pages and the campaign's page; the seeded demo has none."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from danvan.dates import format_date
from danvan.enums import Role
from evaluation.enums import RoundStatus
from evaluation.models import Round
from evaluation.validators import round_date_warnings
from models_registry.models import Campaign
from tests.factories import RoundFactory, UserFactory
from tests.factories.registry import days

pytestmark = pytest.mark.django_db


def _warnings(round_):
    return round_date_warnings(
        campaign=round_.campaign,
        scoring_opens=round_.scoring_opens,
        scoring_closes=round_.scoring_closes,
    )


@pytest.fixture
def consistent_round(campaign, secretariat):
    """A round on exactly the campaign's scoring window, which opens after registration."""
    return RoundFactory(
        campaign=campaign,
        created_by=secretariat,
        scoring_opens=campaign.scoring_opens,
        scoring_closes=campaign.scoring_closes,
    )


@pytest.fixture
def early_round(campaign, secretariat):
    """Scores from yesterday while registration is open for another month."""
    return RoundFactory(
        campaign=campaign, created_by=secretariat, scoring_opens=days(-1), scoring_closes=days(14)
    )


def test_round_on_the_campaign_window_has_no_warning(consistent_round):
    assert _warnings(consistent_round) == []


def test_round_opening_before_registration_closes_is_warned(early_round):
    warnings = _warnings(early_round)

    assert len(warnings) == 2
    assert format_date(early_round.campaign.registration_closes) in warnings[0]
    assert format_date(early_round.campaign.scoring_opens) in warnings[1]


def test_round_differing_from_the_campaign_window_only_is_warned_once(campaign, secretariat):
    round_ = RoundFactory(
        campaign=campaign,
        created_by=secretariat,
        scoring_opens=campaign.scoring_opens,
        scoring_closes=days(150),
    )

    warnings = _warnings(round_)

    assert len(warnings) == 1
    assert format_date(days(150)) in warnings[0]


def test_round_page_and_settings_page_show_the_warning(client, secretariat, early_round):
    client.force_login(secretariat)
    expected = escape(_warnings(early_round)[0])

    detail = client.get(reverse("evaluation:round_detail", args=[early_round.pk]))
    settings_page = client.get(reverse("evaluation:round_update", args=[early_round.pk]))

    assert expected in detail.text
    assert expected in settings_page.text
    assert 'class="alert alert-warning"' in detail.text


def test_round_pages_without_contradiction_show_no_warning(client, secretariat, consistent_round):
    client.force_login(secretariat)

    detail = client.get(reverse("evaluation:round_detail", args=[consistent_round.pk]))

    assert "alert-warning" not in detail.text


def test_saving_a_contradicting_window_saves_and_warns(client, secretariat, consistent_round):
    client.force_login(secretariat)
    url = reverse("evaluation:round_update", args=[consistent_round.pk])
    form = client.get(url).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name in form.fields and not form.fields[name].disabled
    }
    data["nominated_from"] = []
    data["rubric_collective"] = consistent_round.rubric_collective_id
    data["scoring_opens"] = days(-1).isoformat()
    data["scoring_closes"] = days(14).isoformat()

    response = client.post(url, data, follow=True)

    consistent_round.refresh_from_db()
    assert consistent_round.scoring_opens == days(-1)
    assert escape(_warnings(consistent_round)[0]) in response.text


def test_campaign_page_lists_the_rounds_with_their_warnings(client, secretariat, early_round):
    client.force_login(secretariat)

    response = client.get(
        reverse("models_registry:campaign_detail", args=[early_round.campaign_id])
    )

    assert early_round.name in response.text
    for warning in _warnings(early_round):
        assert escape(warning) in response.text


def test_campaign_page_hides_rounds_from_a_unit_officer(client, early_round, commune):
    officer = UserFactory(unit=commune, roles=[Role.UNIT_OFFICER])
    client.force_login(officer)

    response = client.get(
        reverse("models_registry:campaign_detail", args=[early_round.campaign_id])
    )

    assert response.status_code == 200
    assert early_round.name not in response.text


def test_seeded_demo_dates_agree():
    call_command("seed_demo", verbosity=0)
    today = timezone.localdate()

    rounds = list(Round.objects.select_related("campaign"))
    current = Campaign.objects.get(year=today.year, organiser__code="42")

    assert rounds and all(_warnings(r) == [] for r in rounds)
    open_round = next(r for r in rounds if r.status == RoundStatus.OPEN)
    assert open_round.campaign == current
    assert open_round.scoring_opens <= today <= open_round.scoring_closes
    assert (
        current.registration_opens
        < current.registration_closes
        <= current.result_report_due
        < current.scoring_opens
        <= current.scoring_closes
        < current.honouring_date
        < current.report_date
    )
    # Units with a demo account may still register: a later deadline, not a reopened year.
    assert current.extensions.filter(registration_closes__gt=today).exists()
    # ... and early enough for a model registered meanwhile to be scored in the round.
    assert not current.extensions.filter(registration_closes__gte=current.scoring_closes).exists()
