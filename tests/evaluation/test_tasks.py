"""evaluation/tasks.py: the reviewers' e-mails."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from evaluation import services
from evaluation.models import Assignment
from evaluation.tasks import notify_assignments
from tests.factories import RoundEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignments(round_, members, secretariat):
    entries = [RoundEntryFactory(round=round_) for _ in range(2)]
    services.assignments_auto(round=round_, by=secretariat)
    return list(Assignment.objects.filter(entry__in=entries).order_by("pk"))


def test_notify_assignments_one_email_per_reviewer_in_site_language(assignments, mailoutbox):
    reviewers = {a.reviewer for a in assignments}

    sent = notify_assignments([a.pk for a in assignments])

    assert sent == len(reviewers) == len(mailoutbox)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(r.email for r in reviewers)
    with translation.override("vi"):
        expected = gettext("You have been asked to score models in “%(round)s”") % {
            "round": assignments[0].round.name
        }
    assert {m.subject for m in mailoutbox} == {expected}
    reviewer = assignments[0].reviewer
    body = next(m.body for m in mailoutbox if m.to == [reviewer.email])
    for assignment in assignments:
        if assignment.reviewer == reviewer:
            assert assignment.entry.dvk_model.name in body


def test_notify_assignments_skips_vanished_and_addressless(assignments, mailoutbox):
    first = assignments[0]
    type(first.reviewer).objects.filter(pk=first.reviewer_id).update(email="")
    others = [a for a in assignments if a.reviewer_id != first.reviewer_id]

    sent = notify_assignments([a.pk for a in assignments] + [999_999])

    assert sent == len({a.reviewer_id for a in others})
    assert first.reviewer.email not in [m.to[0] for m in mailoutbox]
