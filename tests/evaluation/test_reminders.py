"""evaluation/reminders (reviewers with score sheets not yet submitted), the daily task,
the beat schedule and the assignment page's "nhắc" button.

The clock is frozen by passing the day (``on=`` / the task's ``day``), relative to the
round's end of scoring.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danvan.models import ActivityLog, Notification, ReminderLog
from evaluation import reminders, services
from evaluation.tasks import send_reminders
from models_registry.reminders import Reminded, reminded_message
from tests.factories import CommitteeMemberFactory, RoundEntryFactory
from tests.factories.evaluation import fill_sheet, open_round, sheet_of

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def before(round_, n: int) -> datetime.date:
    """``n`` days before the round's end of scoring."""
    return round_.scoring_closes - n * DAY


def reminded(kind=reminders.KIND_SHEETS) -> list:
    return sorted(n.recipient_id for n in Notification.objects.filter(kind=kind))


@pytest.fixture
def scoring(round_, reviewers, secretariat):
    """An open round with two models: the first reviewer scores both, the second one."""
    entries = [RoundEntryFactory(round=round_) for _ in range(2)]
    open_round(round_, by=secretariat)
    first = [
        services.assignment_add(entry=e, reviewer=reviewers[0], by=secretariat) for e in entries
    ]
    second = services.assignment_add(entry=entries[0], reviewer=reviewers[1], by=secretariat)
    return SimpleNamespace(
        round=round_,
        entries=entries,
        first=reviewers[0],
        second=reviewers[1],
        idle=reviewers[2],
        first_sheets=[sheet_of(a) for a in first],
        second_sheet=sheet_of(second),
    )


# --- Who ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "selected"), [(7, True), (3, True), (1, True), (5, False)])
def test_sheets_due_selects_reviewers_at_lead_days_only(scoring, n, selected):
    due = reminders.sheets_due(on=before(scoring.round, n))

    expected = sorted([scoring.first.pk, scoring.second.pk]) if selected else []
    assert sorted(user.pk for user in due) == expected


def test_sheets_due_leaves_out_submitted_sheets(scoring):
    fill_sheet(scoring.second_sheet, 70)

    due = reminders.sheets_due(on=before(scoring.round, 3))

    assert [user.pk for user in due] == [scoring.first.pk]
    assert len(due[scoring.first]) == 2


def test_sheets_due_nobody_after_the_end_of_scoring(scoring):
    assert reminders.sheets_due(on=before(scoring.round, -1), days=(7, 3, 1, -1)) == {}


def test_sheets_due_nobody_in_a_round_still_being_prepared(round_, reviewers, secretariat):
    entry = RoundEntryFactory(round=round_)
    services.assignment_add(entry=entry, reviewer=reviewers[0], by=secretariat)

    assert reminders.sheets_due(on=before(round_, 3)) == {}


def test_sheets_due_follows_a_reopened_sheet_s_own_deadline(scoring, secretariat):
    fill_sheet(scoring.second_sheet, 70)
    until = scoring.round.scoring_closes + 10 * DAY
    services.sheet_reopen(
        sheet=scoring.second_sheet, by=secretariat, reason="Xem lại.", until=until
    )

    at_round_end = reminders.sheets_due(on=before(scoring.round, 3))
    at_own_deadline = reminders.sheets_due(on=until - 3 * DAY)

    assert scoring.second not in at_round_end
    assert [user.pk for user in at_own_deadline] == [scoring.second.pk]
    assert [s.deadline for s in at_own_deadline[scoring.second]] == [until]


# --- What ---------------------------------------------------------------------------------


def test_scheduled_reminder_lists_each_sheet_with_a_direct_link(scoring):
    reminders.scheduled_reminders(on=before(scoring.round, 3))

    [many] = Notification.objects.filter(recipient=scoring.first, kind=reminders.KIND_SHEETS)
    [one] = Notification.objects.filter(recipient=scoring.second, kind=reminders.KIND_SHEETS)
    for sheet in scoring.first_sheets:
        link = settings.SITE_URL + reverse("evaluation:sheet", args=[sheet.pk])
        assert link in many.body
        assert sheet.assignment.entry.dvk_model.name in many.body
    assert many.url == reverse("evaluation:queue")
    assert one.url == reverse("evaluation:sheet", args=[scoring.second_sheet.pk])
    assert scoring.round.scoring_closes.strftime("%d/%m/%Y") in one.title


# --- The daily task: once a day ----------------------------------------------------------


def test_send_reminders_twice_the_same_day_sends_once(scoring):
    day = before(scoring.round, 1).isoformat()

    first = send_reminders(day)
    second = send_reminders.delay(day).get()

    assert (first, second) == (2, 0)
    assert reminded() == sorted([scoring.first.pk, scoring.second.pk])


def test_send_reminders_next_lead_day_reminds_again(settings, scoring):
    settings.REMINDER_DAYS_BEFORE = (3, 2)

    send_reminders(before(scoring.round, 3).isoformat())
    send_reminders(before(scoring.round, 2).isoformat())

    assert (
        Notification.objects.filter(recipient=scoring.first, kind=reminders.KIND_SHEETS).count()
        == 2
    )
    assert ReminderLog.objects.filter(user=scoring.first).count() == 2


def test_beat_schedule_runs_the_scoring_reminders_daily():
    entries = [
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == send_reminders.name
    ]

    assert len(entries) == 1
    assert (entries[0]["schedule"].hour, entries[0]["schedule"].minute) == ({6}, {30})


def test_reminder_kind_registered_without_actions():
    from danvan.notifications import kind_for

    assert kind_for(reminders.KIND_SHEETS).actions == ()


# --- The page's "nhắc" -----------------------------------------------------------------------


def remind_url(round_) -> str:
    return reverse("evaluation:round_remind", args=[round_.pk])


def assignments_url(round_) -> str:
    return reverse("evaluation:round_assignments", args=[round_.pk])


def page_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_round_remind_reminds_ticked_reviewers_and_logs_one_row(client, scoring, secretariat):
    client.force_login(secretariat)

    response = client.post(
        remind_url(scoring.round), {"reviewers": [scoring.first.pk, scoring.second.pk]}
    )

    assert response.status_code == 302
    assert response.url == assignments_url(scoring.round)
    assert reminded() == sorted([scoring.first.pk, scoring.second.pk])
    assert page_messages(response) == [reminded_message(Reminded(sent=2))]
    [log] = ActivityLog.objects.filter(action=reminders.ACTION_REMIND)
    assert (log.actor, log.object_id, log.unit, log.data["sent"]) == (
        secretariat,
        scoring.round.pk,
        scoring.round.scope_unit,
        2,
    )
    assert not Notification.objects.filter(activity=log).exists()


def test_round_remind_again_the_same_day_sends_nothing_new(client, scoring, secretariat):
    client.force_login(secretariat)
    client.post(remind_url(scoring.round), {"reviewer": scoring.first.pk})

    response = client.post(
        remind_url(scoring.round), {"reviewers": [scoring.first.pk, scoring.second.pk]}
    )

    assert page_messages(response)[-1] == reminded_message(Reminded(sent=1, skipped=1))
    assert (
        Notification.objects.filter(recipient=scoring.first, kind=reminders.KIND_SHEETS).count()
        == 1
    )


def test_round_remind_ignores_reviewers_without_an_open_sheet_in_the_round(
    client, scoring, secretariat, people
):
    fill_sheet(scoring.second_sheet, 70)
    client.force_login(secretariat)

    client.post(
        remind_url(scoring.round),
        {
            "reviewers": [
                scoring.first.pk,
                scoring.second.pk,
                scoring.idle.pk,
                people.officer.pk,
                "²",
            ]
        },
    )

    assert reminded() == [scoring.first.pk]


def test_round_remind_only_unrelated_ids_sends_nothing_and_says_so(
    client, scoring, secretariat, people
):
    client.force_login(secretariat)

    response = client.post(
        remind_url(scoring.round), {"reviewers": [scoring.idle.pk, people.officer.pk]}
    )

    assert response.status_code == 302
    assert len(page_messages(response)) == 1
    assert not Notification.objects.filter(kind=reminders.KIND_SHEETS).exists()
    assert not ActivityLog.objects.filter(action=reminders.ACTION_REMIND).exists()


def test_round_remind_nothing_ticked_asks_for_a_reviewer(client, scoring, secretariat):
    client.force_login(secretariat)

    response = client.post(remind_url(scoring.round), {})

    assert len(page_messages(response)) == 1
    assert not Notification.objects.filter(kind=reminders.KIND_SHEETS).exists()


def test_round_remind_draft_round_is_refused(client, round_, reviewers, secretariat):
    entry = RoundEntryFactory(round=round_)
    services.assignment_add(entry=entry, reviewer=reviewers[0], by=secretariat)
    client.force_login(secretariat)

    response = client.post(remind_url(round_), {"reviewers": [reviewers[0].pk]})

    assert response.status_code == 302
    assert len(page_messages(response)) == 1
    assert not Notification.objects.filter(kind=reminders.KIND_SHEETS).exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("officer", 404),
        ("leader", 404),
        ("other_secretariat", 404),
        ("anonymous", "login"),
        ("admin", 302),
    ],
)
def test_round_remind_permission(client, scoring, people, role, expected):
    path = remind_url(scoring.round)
    if role != "anonymous":
        client.force_login(getattr(people, role))

    response = client.post(path, {"reviewers": [scoring.first.pk]})

    if expected == "login":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected
    assert Notification.objects.filter(kind=reminders.KIND_SHEETS).exists() == (expected == 302)


def test_round_remind_reviewer_cannot_remind(client, scoring):
    client.force_login(scoring.first)

    response = client.post(remind_url(scoring.round), {"reviewers": [scoring.second.pk]})

    assert response.status_code == 404
    assert not Notification.objects.filter(kind=reminders.KIND_SHEETS).exists()


def test_round_remind_get_is_not_allowed(client, scoring, secretariat):
    client.force_login(secretariat)

    assert client.get(remind_url(scoring.round)).status_code == 405


def test_assignments_page_lists_reviewers_behind_with_remind_buttons(client, scoring, secretariat):
    fill_sheet(scoring.second_sheet, 70)
    client.force_login(secretariat)
    client.post(remind_url(scoring.round), {"reviewer": scoring.first.pk})

    page = client.get(assignments_url(scoring.round)).content.decode()

    assert remind_url(scoring.round) in page
    assert f'id="remind-reviewer-{scoring.first.pk}"' in page
    assert f'id="remind-reviewer-{scoring.second.pk}"' not in page


def test_assignments_page_of_a_draft_round_has_no_remind_list(client, round_, secretariat):
    client.force_login(secretariat)

    page = client.get(assignments_url(round_)).content.decode()

    assert remind_url(round_) not in page


def test_reviewers_behind_query_count_does_not_grow(scoring, committee, secretariat):
    def count():
        with CaptureQueriesContext(connection) as queries:
            rows = reminders.reviewers_behind(round=scoring.round)
        return len(queries), len(rows)

    small = count()
    for _ in range(2):
        member = CommitteeMemberFactory(committee=committee)
        services.assignment_add(entry=scoring.entries[1], reviewer=member.user, by=secretariat)
    large = count()

    assert (small[0], small[1], large[1]) == (large[0], 2, 4)
