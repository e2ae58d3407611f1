"""evaluation/notifications.py: reviewers hear of their assignments (with a link to each
sheet), of the decision on their conflict of interest and of a reopened sheet; units hear of
their results once the round is finalised — and nobody else does."""

import pytest
from django.conf import settings
from django.urls import reverse

from danvan.dates import format_date
from danvan.models import Notification
from danvan.notifications import kind_for
from evaluation import services
from evaluation.models import Assignment, Result
from tests.evaluation.helpers import scored_round
from tests.factories import RoundEntryFactory
from tests.factories.evaluation import accepted_model, fill_sheet, open_round, sheet_of
from tests.factories.registry import days

pytestmark = pytest.mark.django_db


def of_kind(kind: str):
    return list(Notification.objects.filter(kind=kind).select_related("recipient").order_by("pk"))


def opens_for(client, user, url):
    client.force_login(user)
    return client.get(url).status_code


def test_kinds_are_registered():
    for code in (
        "evaluation.assigned",
        "evaluation.conflict_decided",
        "evaluation.sheet_reopened",
        "evaluation.round_finalised",
    ):
        assert kind_for(code) is not None
    assert kind_for("evaluation.assigned").default_channel == "email"
    assert kind_for("evaluation.round_finalised").default_channel == "app"


def test_assignment_batch_one_notification_per_reviewer_with_each_sheet_link(
    round_, members, reviewers, secretariat, people, client
):
    entries = [RoundEntryFactory(round=round_) for _ in range(2)]
    open_round(round_, by=secretariat)

    services.assignments_add_bulk(
        round=round_, entries=entries, reviewers=reviewers[:2], by=secretariat
    )

    notifications = of_kind("evaluation.assigned")
    assert sorted(n.recipient.pk for n in notifications) == sorted(r.pk for r in reviewers[:2])
    first = next(n for n in notifications if n.recipient == reviewers[0])
    sheets = [sheet_of(a) for a in Assignment.objects.filter(reviewer=reviewers[0])]
    assert len(sheets) == 2
    for sheet in sheets:
        link = settings.SITE_URL + reverse("evaluation:sheet", args=[sheet.pk])
        assert link in first.body
        assert sheet.assignment.entry.dvk_model.name in first.body
        assert opens_for(client, reviewers[0], reverse("evaluation:sheet", args=[sheet.pk])) == 200
    assert round_.name in first.title
    assert format_date(round_.scoring_closes) in first.body
    assert first.url == reverse("evaluation:queue")
    assert opens_for(client, reviewers[0], first.url) == 200


def test_single_assignment_links_the_sheet_itself(round_, reviewers, secretariat, client):
    entry = RoundEntryFactory(round=round_)
    open_round(round_, by=secretariat)

    assignment = services.assignment_add(entry=entry, reviewer=reviewers[2], by=secretariat)

    (notification,) = of_kind("evaluation.assigned")
    assert notification.recipient == reviewers[2]
    assert notification.url == reverse("evaluation:sheet", args=[sheet_of(assignment).pk])
    assert opens_for(client, reviewers[2], notification.url) == 200


def test_automatic_assignment_notifies_each_reviewer_once(round_, members, secretariat):
    for _ in range(3):
        RoundEntryFactory(round=round_)
    open_round(round_, by=secretariat)

    result = services.assignments_auto(round=round_, by=secretariat)

    notifications = of_kind("evaluation.assigned")
    assigned = {a.reviewer_id for a in result.created}
    assert sorted(n.recipient_id for n in notifications) == sorted(assigned)
    assert secretariat.pk not in assigned


def test_assignments_of_a_round_in_preparation_are_told_when_it_opens(
    round_, members, reviewers, secretariat, client
):
    entries = [RoundEntryFactory(round=round_) for _ in range(2)]
    services.assignments_auto(round=round_, by=secretariat)
    assert of_kind("evaluation.assigned") == []  # the sheets cannot be opened yet

    open_round(round_, by=secretariat)

    notifications = of_kind("evaluation.assigned")
    active = Assignment.objects.filter(entry__in=entries)
    assert sorted(n.recipient_id for n in notifications) == sorted({a.reviewer_id for a in active})
    for notification in notifications:
        assert opens_for(client, notification.recipient, notification.url) == 200
        mine = [a for a in active if a.reviewer_id == notification.recipient_id]
        for assignment in mine:
            path = reverse("evaluation:sheet", args=[sheet_of(assignment).pk])
            assert settings.SITE_URL + path in notification.body


def test_assignment_writes_no_direct_email(
    round_, reviewers, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    entry = RoundEntryFactory(round=round_)
    open_round(round_, by=secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_add(entry=entry, reviewer=reviewers[0], by=secretariat)

    # The old direct e-mail is gone: the notification's own e-mail (sent by
    # danvan.tasks.send_notification_emails, per the reviewer's preference) is the only one.
    assert len(of_kind("evaluation.assigned")) == 1
    assert len(mailoutbox) <= 1
    assert all(m.to == [reviewers[0].email] for m in mailoutbox)


@pytest.fixture
def declared(round_, reviewers, secretariat):
    """One entry scored by the first two reviewers; the first declares a conflict."""
    entry = RoundEntryFactory(round=round_)
    open_round(round_, by=secretariat)
    services.assignments_add_bulk(
        round=round_, entries=[entry], reviewers=reviewers[:2], by=secretariat
    )
    assignment = Assignment.objects.get(entry=entry, reviewer=reviewers[0])
    services.assignment_declare_conflict(
        assignment=assignment, by=reviewers[0], reason="Tôi công tác tại đơn vị này."
    )
    Notification.objects.all().delete()
    return assignment


def test_conflict_approved_tells_the_reviewer_and_assigns_the_replacement(
    declared, reviewers, secretariat, client
):
    resolution = services.assignment_resolve_conflict(
        assignment=declared, by=secretariat, approve=True
    )

    (decided,) = of_kind("evaluation.conflict_decided")
    assert decided.recipient == reviewers[0]
    assert declared.entry.dvk_model.name in decided.title
    assert opens_for(client, reviewers[0], decided.url) == 200
    (assigned,) = of_kind("evaluation.assigned")
    assert assigned.recipient == resolution.replacement.reviewer == reviewers[2]
    assert assigned.url == reverse("evaluation:sheet", args=[sheet_of(resolution.replacement).pk])
    assert opens_for(client, reviewers[2], assigned.url) == 200


def test_conflict_refused_tells_the_reviewer_with_the_sheet_link(
    declared, reviewers, secretariat, client
):
    services.assignment_resolve_conflict(assignment=declared, by=secretariat, approve=False)

    (decided,) = of_kind("evaluation.conflict_decided")
    assert decided.recipient == reviewers[0]
    assert decided.url == reverse("evaluation:sheet", args=[sheet_of(declared).pk])
    assert decided.title != ""
    assert opens_for(client, reviewers[0], decided.url) == 200
    assert of_kind("evaluation.assigned") == []


def test_sheet_reopened_tells_the_reviewer_until_when_and_why(
    round_, reviewers, secretariat, client
):
    entry = RoundEntryFactory(round=round_)
    open_round(round_, by=secretariat)
    assignment = services.assignment_add(entry=entry, reviewer=reviewers[0], by=secretariat)
    sheet = fill_sheet(sheet_of(assignment), 70)

    services.sheet_reopen(sheet=sheet, by=secretariat, reason="Xem lại tiêu chí 2.", until=days(3))

    (notification,) = of_kind("evaluation.sheet_reopened")
    assert notification.recipient == reviewers[0]
    assert "Xem lại tiêu chí 2." in notification.body
    assert format_date(days(3)) in notification.body
    assert notification.url == reverse("evaluation:sheet", args=[sheet.pk])
    assert opens_for(client, reviewers[0], notification.url) == 200


def test_round_finalised_tells_each_unit_its_own_results(
    round_, committee, secretariat, people, commune, client
):
    scored_round(round_, committee, [[95], [60]], by=secretariat, unit=commune)
    other = RoundEntryFactory(
        round=round_, dvk_model=accepted_model(round_.campaign, reviewer=secretariat)
    )
    # The other entry's unit has no officer: nobody of that unit to tell.
    del other

    services.round_finalise(round=round_, by=secretariat, force=True)

    notifications = of_kind("evaluation.round_finalised")
    assert [n.recipient for n in notifications] == [people.officer]
    (notification,) = notifications
    for result in Result.objects.filter(dvk_model__unit=commune):
        assert result.dvk_model.name in notification.body
    assert Result.objects.exclude(dvk_model__unit=commune).get().dvk_model.name not in (
        notification.body
    )
    assert notification.url == reverse("evaluation:my_results")
    assert opens_for(client, people.officer, notification.url) == 200


def test_round_finalised_with_one_result_links_its_feedback(
    round_, committee, secretariat, people, commune, client
):
    scored_round(round_, committee, [[95]], by=secretariat, unit=commune)

    services.round_finalise(round=round_, by=secretariat)

    (notification,) = of_kind("evaluation.round_finalised")
    result = Result.objects.get(round=round_)
    assert notification.url == reverse("evaluation:result_feedback", args=[result.pk])
    assert opens_for(client, people.officer, notification.url) == 200
    for outsider in (people.other_officer, people.other_secretariat, people.leader, secretariat):
        assert not Notification.objects.filter(
            recipient=outsider, kind="evaluation.round_finalised"
        ).exists()
