"""Each user's notification settings list the kinds their roles can receive, no others."""

import pytest
from django.urls import reverse

from danvan import notifications
from danvan.enums import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OFFICER_KINDS = {
    "models_registry.returned",
    "models_registry.accepted",
    "evaluation.round_finalised",
    "awards.decision_issued",
    "awards.decision_revoked",
    "models_registry.remind_unregistered",
    "models_registry.remind_drafts",
    "models_registry.remind_returned",
}
SECRETARIAT_KINDS = {
    "models_registry.submitted",
    "models_registry.result_report_submitted",
    "reports.report_ready",
    "reports.report_failed",
}
REVIEWER_KINDS = {
    "evaluation.assigned",
    "evaluation.sheet_reopened",
    "evaluation.conflict_decided",
    "evaluation.remind_sheets",
}


def _listed(client, user) -> set[str]:
    client.force_login(user)
    form = client.get(reverse("notification_preferences")).context["form"]
    return set(form.fields)


@pytest.mark.parametrize(
    ("roles", "shown", "hidden"),
    [
        ((Role.UNIT_OFFICER,), OFFICER_KINDS, SECRETARIAT_KINDS | REVIEWER_KINDS),
        ((Role.SECRETARIAT,), SECRETARIAT_KINDS, OFFICER_KINDS | REVIEWER_KINDS),
        ((Role.COMMITTEE_MEMBER,), REVIEWER_KINDS, OFFICER_KINDS | SECRETARIAT_KINDS),
        ((Role.LEADER,), set(), OFFICER_KINDS | SECRETARIAT_KINDS | REVIEWER_KINDS),
        (
            (Role.SECRETARIAT, Role.COMMITTEE_MEMBER),
            SECRETARIAT_KINDS | REVIEWER_KINDS,
            OFFICER_KINDS,
        ),
    ],
)
def test_preferences_list_the_kinds_of_the_users_roles(client, roles, shown, hidden):
    registered = {kind.code for kind in notifications.notification_kinds()}
    assert shown | hidden <= registered  # the codes above are real

    listed = _listed(client, UserFactory(email="a@example.vn", roles=roles))

    assert (shown - listed, hidden & listed) == (set(), set())


def test_every_kind_names_who_may_receive_it():
    assert [k.code for k in notifications.notification_kinds() if not k.roles] == []
