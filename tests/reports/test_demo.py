import datetime

import pytest
from django.core.management import call_command

from danvan.models import ActivityLog, Unit
from models_registry.models import Campaign
from reports import selectors
from reports.builder import annual_report
from reports.models import IssuerProfile, ReportNarrative, UnitPlan

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(IssuerProfile.objects.values_list("symbol", "valid_from", "valid_to")),
        ReportNarrative.objects.count(),
        UnitPlan.objects.count(),
        ActivityLog.objects.filter(action__startswith="reports.").count(),
    )


def test_seed_demo_builds_reports_data_once_and_a_report():
    call_command("seed_demo", verbosity=0)
    first = snapshot()

    call_command("seed_demo", verbosity=0)

    assert snapshot() == first
    commission = Unit.objects.get(code="42-BTGDV")
    assert selectors.issuer_profile_on(commission, datetime.date(2024, 12, 5)).symbol == "BDVTU"
    assert selectors.issuer_profile_on(commission, datetime.date(2025, 12, 5)).symbol == "BTGDVTU"
    assert first[1] == 1
    assert first[2] == 6
    current = Campaign.objects.filter(organiser__code="42").order_by("-year").first()
    document = annual_report(current)
    assert document.issuer.issuing_body == "BAN TUYÊN GIÁO VÀ DÂN VẬN"
    assert document.annex
