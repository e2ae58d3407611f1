"""A unit's later registration deadline against the campaign's scoring window (issue 13):
a Vietnamese warning, never a refusal, when it reaches into scoring or past its end."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape

from danvan.dates import format_date
from models_registry import services
from models_registry.validators import extension_date_warnings
from tests.factories.registry import days

pytestmark = pytest.mark.django_db


def test_deadline_before_scoring_has_no_warning(campaign):
    assert (
        extension_date_warnings(
            campaign=campaign, until=campaign.scoring_opens - datetime.timedelta(days=1)
        )
        == []
    )


def test_deadline_inside_scoring_asks_to_add_the_late_models(campaign):
    (warning,) = extension_date_warnings(campaign=campaign, until=campaign.scoring_opens)

    assert format_date(campaign.scoring_opens) in warning
    assert "Thêm mô hình đủ điều kiện" in warning


def test_deadline_at_the_end_of_scoring_says_it_cannot_be_scored(campaign):
    (warning,) = extension_date_warnings(campaign=campaign, until=campaign.scoring_closes)

    assert format_date(campaign.scoring_closes) in warning
    assert "không kịp chấm" in warning


def test_granting_a_late_deadline_saves_and_warns(client, campaign, commune, secretariat):
    client.force_login(secretariat)
    until = campaign.scoring_closes

    response = client.post(
        reverse("models_registry:campaign_extend", args=[campaign.pk]),
        {"unit": commune.pk, "registration_closes": until.isoformat(), "reason": "Sáp nhập"},
    )

    assert response.status_code == 302
    assert services.registration_deadline(campaign=campaign, unit=commune) == until
    levels = [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]
    assert [tag for tag, _text in levels] == ["success", "warning"]
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert escape(levels[1][1]) in page


def test_campaign_page_without_late_deadline_shows_no_warning(
    client, campaign, commune, secretariat
):
    services.campaign_extend_deadline(
        campaign=campaign, unit=commune, until=days(40), reason="Bão", by=secretariat
    )
    client.force_login(secretariat)

    page = client.get(campaign.get_absolute_url()).content.decode()

    assert "extension-warning" not in page
