"""Fault: Redis (the Celery broker and result backend) is down.

Simulated with the production shape of the settings — tasks are sent to a broker, not run
in process (``task_always_eager`` off), broker and result backend at the same Redis URL —
pointed at a closed port (``redis://127.0.0.1:1/0``): every connection is refused. A
second case points them at a socket that accepts connections and never answers (a Redis
that hangs). Then a real ``redis-server`` of the test's own is started and the periodic
sweep sends the job that was recorded meanwhile.

Shown: the pages keep working and answer within seconds; a report run and a certificate
request are recorded and say in Vietnamese that they wait for the background service; a
transition that queues a notification e-mail commits and answers; nothing is lost — the
sweep (``danvan.generation_recovery.generated_files_sweep``) sends the waiting jobs once
Redis is back.
"""

import base64
import datetime
import json
import socket
import time

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from awards.enums import DecisionStatus
from awards.models import Decision
from danvan import generation, generation_recovery, notifications
from danvan.enums import Role
from danvan.generation import BROKER_DOWN
from danvan.models import GeneratedFile, GeneratedFileStatus, Notification
from danvan.notifications import Message, NotificationKind
from models_registry.models import DvkModel
from reports.models import Report, ReportStatus
from tests.factories import DvkModelFactory, UserFactory
from tests.reports.views_support import pages_world

from .conftest import broker_at

pytestmark = pytest.mark.django_db

# Not a speed target: what is tested is that a request does not hang on the broker (before
# the fix each `.delay()` retried for ~20 s; nginx gives up at 60 s). Half of that hang
# leaves room for a loaded CI machine.
FAST_S = 10.0


@pytest.fixture
def pages(world):
    return pages_world(world)


def timed(call):
    start = time.monotonic()
    response = call()
    return response, time.monotonic() - start


def vietnamese(message) -> str:
    with translation.override("vi"):
        return str(message)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_pages_keep_working_and_answer_fast(client, pages, broker_down):
    officer = pages.officer
    dvk_model = DvkModelFactory(unit=officer.unit, campaign=pages.campaign, created_by=officer)
    client.force_login(officer)

    for url in (
        reverse("home"),
        reverse("models_registry:my_models"),
        reverse("models_registry:model_detail", args=[dvk_model.pk]),
    ):
        response, took = timed(lambda url=url: client.get(url))
        assert (url, response.status_code) == (url, 200)
        assert took < FAST_S, f"{url} took {took:.1f} s with Redis down"


def test_report_run_is_recorded_and_says_it_waits(client, pages, broker_down):
    client.force_login(pages.secretariat)
    url = reverse("reports:annual_request", args=[pages.campaign.pk])

    response, took = timed(lambda: client.post(url, follow=True))

    report = Report.objects.get()
    assert response.redirect_chain[-1][0] == reverse("reports:report_detail", args=[report.pk])
    assert messages_of(response) == [vietnamese(BROKER_DOWN)]
    assert "dịch vụ xử lý nền" in response.content.decode()
    assert report.status == ReportStatus.QUEUED
    assert [job.status for job in report.files()] == [GeneratedFileStatus.PENDING] * 3
    assert took < FAST_S


def test_certificate_request_is_recorded_and_says_it_waits(client, pages, broker_down):
    decision = Decision.objects.filter(status=DecisionStatus.ISSUED).first()
    client.force_login(pages.secretariat)
    url = reverse("awards:certificates", args=[decision.pk])

    response, took = timed(lambda: client.post(url, follow=True))

    job = GeneratedFile.objects.get(kind="awards.certificates")
    assert response.redirect_chain[-1][0] == job.get_absolute_url()
    assert messages_of(response) == [vietnamese(BROKER_DOWN)]
    assert [job.status, job.params] == [GeneratedFileStatus.PENDING, {"decision": decision.pk}]
    assert took < FAST_S


@pytest.mark.django_db(transaction=True)
def test_transition_that_queues_an_email_commits_and_answers_fast(client, broker_down, caplog):
    """Submitting a model notifies a watcher after the commit: the e-mail task cannot be
    sent, which is logged; the submission stands, the in-app notification exists and the
    page answers at once (with the result backend retrying, it took ~20 s)."""
    officer = UserFactory(roles=[Role.UNIT_OFFICER])
    watcher = UserFactory(email="watcher@example.vn")
    dvk_model = DvkModelFactory(unit=officer.unit, created_by=officer)
    notifications.register_notification_kind(
        NotificationKind(
            code="tests.faults.submitted",
            label="Có mô hình gửi đến",
            actions=("models_registry.dvkmodel.submit",),
            recipients=lambda log: [watcher],
            message=lambda log, user: Message(title="Có mô hình mới", url="/"),
        )
    )
    client.force_login(officer)
    try:
        response, took = timed(
            lambda: client.post(reverse("models_registry:model_submit", args=[dvk_model.pk]))
        )
    finally:
        notifications.unregister_notification_kind("tests.faults.submitted")

    assert response.status_code == 302
    assert took < FAST_S, f"the submission took {took:.1f} s with Redis down"
    assert DvkModel.objects.get(pk=dvk_model.pk).status != dvk_model.status
    assert Notification.objects.filter(recipient=watcher).count() == 1
    assert "could not send the e-mails of notifications" in caplog.text


def test_a_redis_that_hangs_is_given_up_within_seconds(pages):
    """A broker that accepts the connection and never answers (a stuck Redis, a full
    network buffer): the check before sending gives up after the socket timeout."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        with broker_at(f"redis://127.0.0.1:{silent.getsockname()[1]}/0"):
            available, took = timed(generation.broker_available)

    assert available is False
    assert took < 2 * FAST_S


def test_waiting_job_is_sent_by_the_sweep_once_redis_is_back(
    pages, broker_down, redis_server, django_capture_on_commit_callbacks
):
    decision = Decision.objects.filter(status=DecisionStatus.ISSUED).first()
    from awards.certificates import certificates_request

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = certificates_request(decision=decision, by=pages.secretariat)
    assert [job.broker_down, len(callbacks)] == [True, 0]
    later = timezone.now() + generation_recovery.DISPATCH_GRACE + datetime.timedelta(seconds=1)

    with broker_at(redis_server.url):
        sent = generation_recovery.generated_files_sweep(now=later)

    assert sent == (1, 0)
    queued = [json.loads(raw) for raw in redis_server.client.lrange("celery", 0, -1)]
    assert [m["headers"]["task"] for m in queued] == ["danvan.generate_file"]
    body = json.loads(base64.b64decode(queued[0]["body"]))
    assert body[0] == [job.pk]  # (args, kwargs, embed)
    job.refresh_from_db()
    assert job.status == GeneratedFileStatus.PENDING  # a worker makes it from here
