"""Reports: the annual and summary reports, their runs, issuer profiles, unit plans and
the leaders' dashboard."""

import pytest

from .matrix import action, case_id, cases, check, page, pk
from .world import ADMIN, LEADER, OFFICER, SECRETARIAT

pytestmark = pytest.mark.django_db

MANAGERS = {ADMIN, SECRETARIAT}
OVERSEERS = {ADMIN, SECRETARIAT, LEADER}


def plan(side, role):
    return {"campaign_pk": side.campaign.pk, "unit_pk": side.commune_a.pk}


TABLE = {
    "reports:home": page(OVERSEERS),
    "reports:narrative_edit": page(MANAGERS, pk("campaign")),
    "reports:annual_preview": page(OVERSEERS, pk("campaign")),
    "reports:annual_request": action(MANAGERS, pk("campaign")),
    "reports:summary": page(OVERSEERS),  # a leader reads the form; requesting is refused
    "reports:report_detail": page(OVERSEERS, pk("report")),
    "reports:report_download": page(
        OVERSEERS, lambda side, role: {"pk": side.report.pk, "fmt": "pdf"}
    ),
    "reports:report_retry": action(MANAGERS, pk("report")),
    "reports:issuer_list": page(MANAGERS),
    "reports:issuer_create": page(MANAGERS),
    "reports:issuer_update": page(MANAGERS, pk("issuer")),
    "reports:plan_overview": page(OVERSEERS),
    "reports:my_plan": page({SECRETARIAT, OFFICER}, ok=(302,)),  # to their unit's plan
    "reports:plan_edit": page(MANAGERS | {OFFICER}, plan),
    "reports:plan_remove": action(MANAGERS | {OFFICER}, plan),
    "reports:plan_file": page(OVERSEERS | {OFFICER}, plan),
    "reports:dashboard": page(OVERSEERS),
    "reports:dashboard_pdf": page(OVERSEERS),
}


@pytest.mark.parametrize(("name", "role", "scope"), cases(TABLE), ids=case_id)
def test_reports_url(client, world, name, role, scope):
    check(client, world, TABLE, name, role, scope)
